// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Empty programs on the hooks userns-watch uses: the baseline of the per-hook cost. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sched_process_exec")
int BPF_PROG(empty_exec) { return 0; }

SEC("tp_btf/sched_process_fork")
int BPF_PROG(empty_fork) { return 0; }

SEC("tp_btf/sched_process_exit")
int BPF_PROG(empty_exit) { return 0; }

/*
 * Four more copies of each: identical programs on one hook can cost twice as much as each
 * other and more, and the difference stays with a program for as long as it is loaded (its
 * place in memory or on the hook: 47 to 131 ns for copies of empty_exec in one run). The
 * benchmark still divides by the first copy (the program measured before the copies came) and
 * prints the cheapest and the dearest copy beside it.
 */
#define UW_EMPTY_COPY(n)                                                                \
	SEC("tp_btf/sched_process_exec") int BPF_PROG(empty##n##_exec) { return 0; }    \
	SEC("tp_btf/sched_process_fork") int BPF_PROG(empty##n##_fork) { return 0; }    \
	SEC("tp_btf/sched_process_exit") int BPF_PROG(empty##n##_exit) { return 0; }

UW_EMPTY_COPY(1)
UW_EMPTY_COPY(2)
UW_EMPTY_COPY(3)
UW_EMPTY_COPY(4)

SEC("raw_tp/sched_process_exec")
int BPF_PROG(empty_exec_raw) { return 0; }

SEC("raw_tp/sched_process_fork")
int BPF_PROG(empty_fork_raw) { return 0; }

SEC("raw_tp/sched_process_exit")
int BPF_PROG(empty_exit_raw) { return 0; }

/*
 * Replicas of userns-watch's host-task test, to tell where a host hook's cost goes: ref_* load
 * the task's nsproxy and compare it with a global (as is_host_task does with the learned host
 * nsproxy), imm_* compare it with the kernel's init_nsproxy as an immediate (no global load).
 * Their answers are discarded; only their run time is read.
 */
void *ref_nsproxy = NULL;
extern const void init_nsproxy __ksym __weak;

#define UW_REPLICA(name, hook, task)                                                          \
	SEC("tp_btf/" #hook) int BPF_PROG(ref_##name, struct task_struct *a, struct task_struct *b) \
	{                                                                               \
		if ((void *)(task)->nsproxy == ref_nsproxy)                             \
			return 1;                                                       \
		return 0;                                                               \
	}                                                                               \
	SEC("tp_btf/" #hook) int BPF_PROG(imm_##name, struct task_struct *a, struct task_struct *b) \
	{                                                                               \
		if ((void *)(task)->nsproxy == &init_nsproxy)                           \
			return 1;                                                       \
		return 0;                                                               \
	}

UW_REPLICA(exec, sched_process_exec, a)
UW_REPLICA(fork, sched_process_fork, b)
UW_REPLICA(exit, sched_process_exit, a)
