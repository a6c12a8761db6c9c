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

SEC("raw_tp/sched_process_exec")
int BPF_PROG(empty_exec_raw) { return 0; }

SEC("raw_tp/sched_process_fork")
int BPF_PROG(empty_fork_raw) { return 0; }

SEC("raw_tp/sched_process_exit")
int BPF_PROG(empty_exit_raw) { return 0; }
