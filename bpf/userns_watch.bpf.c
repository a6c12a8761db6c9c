// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * userns-watch kernel side: report tasks that may be container processes sharing the host's
 * user namespace. Everything else (ordinary host activity, tasks with a user namespace of their
 * own) is decided here and never reaches userspace.
 *
 * Entry points: exec, fork and exit as tp_btf programs with raw_tp twins (the loader keeps one
 * set, chosen by trying to load), and a task iterator for processes that run before we start.
 * All of them call the same handlers below.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define UW_INLINE static __always_inline
#define PF_KTHREAD 0x00200000 /* include/linux/sched.h, stable since 2.6 */
#define UW_NR_CLONE3 435       /* x86-64 syscall number */
#include "uw_event.h"
#include "uw_verdict.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader between open and load. */
const volatile struct uw_ns host_ns = {};
const volatile __u32 cg1_subsys = UW_CG1_NONE;
const volatile __u32 host_transitions = 0; /* also report transitions outside containers */
const volatile __u32 host_ref_pid = 1;     /* the process host_ns was read from */

/*
 * The host reference process's nsproxy, found by the snapshot iterator. A task sharing it is
 * in the host's mount, uts, ipc, net, cgroup and pid namespaces: with one pointer compare the
 * hooks skip the ~18 reads that would say so (the common case, every host process).
 */
void *host_nsproxy = NULL;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22); /* 4 MiB; resized by the loader */
} events_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UW_C_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters_map SEC(".maps");

/* cgroups userspace resolved as "no container": candidates in them are dropped here. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct uw_cgroup_key);
	__type(value, __u8);
} ignore_map SEC(".maps");

/* cgroups userspace has resolved and cached: their removal is reported so it can forget them. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct uw_watch_key);
	__type(value, __u8);
} watched_map SEC(".maps");

/* What was last reported for a process (by tgid), so that its forks need not be sent again. */
struct uw_seen {
	struct uw_ns ns;
	struct uw_cgroup_key cg;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, struct uw_seen);
} seen_map SEC(".maps");

/* Namespaces of a task inside setns/unshare, from entry to exit (by thread ID). */
struct uw_pending {
	struct uw_ns ns;
	__u32 flags;
	__s32 fd;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct uw_pending);
} pending_map SEC(".maps");

/* Scratch record for the iterator (a whole event does not fit the BPF stack comfortably). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uw_task_event);
} scratch_map SEC(".maps");

UW_INLINE void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&counters_map, &idx);

	if (c)
		(*c)++;
}

/*
 * Waking the consumer from inside a hook lets the scheduler switch to it right there, so the
 * traced task pays for userspace's work (measured: 26 us instead of 2 us per exec). Userspace
 * drains the ring buffer every 5 ms anyway; a wakeup is forced only once a quarter of the
 * ring is pending, so a burst is drained at once instead of overflowing.
 */
UW_INLINE __u64 wakeup_flags(void)
{
	__u64 pending = bpf_ringbuf_query(&events_map, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&events_map, BPF_RB_RING_SIZE);

	return pending > size / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

UW_INLINE void load_host_ns(struct uw_ns *h)
{
	h->user = host_ns.user;
	h->mnt = host_ns.mnt;
	h->pid = host_ns.pid;
	h->net = host_ns.net;
	h->uts = host_ns.uts;
	h->ipc = host_ns.ipc;
	h->cgroup = host_ns.cgroup;
	h->pad = 0;
}

/* The task's own pid namespace: the one its pid was allocated in (the deepest level). */
UW_INLINE __u32 task_pidns_inum(struct task_struct *t)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	struct pid_namespace *pns = NULL;
	unsigned int level;
	void *numbers;

	if (!p)
		return 0;
	level = BPF_CORE_READ(p, level);
	numbers = (void *)p + bpf_core_field_offset(struct pid, numbers);
	bpf_probe_read_kernel(&pns, sizeof(pns),
			      numbers + level * bpf_core_type_size(struct upid) +
				      bpf_core_field_offset(struct upid, ns));
	if (!pns)
		return 0;
	return BPF_CORE_READ(pns, ns.inum);
}

/* Fills ns; returns 0, or -1 for a task without namespaces (exiting). */
UW_INLINE int read_ns(struct task_struct *t, struct uw_ns *ns)
{
	struct nsproxy *nsp = BPF_CORE_READ(t, nsproxy);

	if (!nsp)
		return -1;
	ns->user = BPF_CORE_READ(t, real_cred, user_ns, ns.inum);
	ns->mnt = BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	ns->net = BPF_CORE_READ(nsp, net_ns, ns.inum);
	ns->uts = BPF_CORE_READ(nsp, uts_ns, ns.inum);
	ns->ipc = BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	ns->cgroup = BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
	ns->pid = task_pidns_inum(t);
	ns->pad = 0;
	return 0;
}

/* The kernel's index of a v1 controller, resolved by CO-RE on the running kernel. */
#define CG1_CASE(sel, id)                                                              \
	case sel:                                                                      \
		if (bpf_core_enum_value_exists(enum cgroup_subsys_id, id))             \
			return bpf_core_enum_value(enum cgroup_subsys_id, id);         \
		break

UW_INLINE int cg1_index(void)
{
	switch (cg1_subsys) {
	CG1_CASE(UW_CG1_PIDS, pids_cgrp_id);
	CG1_CASE(UW_CG1_MEMORY, memory_cgrp_id);
	CG1_CASE(UW_CG1_CPU, cpu_cgrp_id);
	CG1_CASE(UW_CG1_CPUACCT, cpuacct_cgrp_id);
	CG1_CASE(UW_CG1_CPUSET, cpuset_cgrp_id);
	CG1_CASE(UW_CG1_DEVICES, devices_cgrp_id);
	CG1_CASE(UW_CG1_FREEZER, freezer_cgrp_id);
	CG1_CASE(UW_CG1_BLKIO, io_cgrp_id);
	}
	return -1;
}

UW_INLINE void read_cgroups(struct task_struct *t, struct uw_cgroup_key *cg)
{
	struct css_set *cs = BPF_CORE_READ(t, cgroups);
	struct cgroup_subsys_state *css = NULL;
	int idx;

	cg->cgroup_id = BPF_CORE_READ(cs, dfl_cgrp, kn, id);
	cg->cgroup1_id = 0;
	idx = cg1_index();
	if (idx < 0)
		return;
	bpf_probe_read_kernel(&css, sizeof(css),
			      (void *)cs + bpf_core_field_offset(struct css_set, subsys) +
				      idx * sizeof(void *));
	if (css)
		cg->cgroup1_id = BPF_CORE_READ(css, cgroup, kn, id);
}

/*
 * task->nsproxy: a plain load where the task pointer is BTF-typed (tp_btf, iterator), a probe
 * read in the raw_tp twins. `direct` is a constant at every entry point, so each program
 * carries one of the two.
 */
UW_INLINE void *task_nsproxy(struct task_struct *t, int direct)
{
	return direct ? (void *)t->nsproxy : (void *)BPF_CORE_READ(t, nsproxy);
}

/*
 * The common filter: 1 when t must be reported, with ns and cg filled.
 * Drops host tasks, tasks that are no candidate, and candidates in cgroups known to be no
 * container.
 */
UW_INLINE int wanted(struct task_struct *t, struct uw_ns *ns, struct uw_cgroup_key *cg, int direct)
{
	struct uw_ns host;
	void *nsp = task_nsproxy(t, direct);

	/* the host's namespaces but the user one: no candidate, whatever its user namespace */
	if (nsp && nsp == host_nsproxy)
		return 0;
	if (read_ns(t, ns))
		return 0;
	load_host_ns(&host);
	if (!uw_is_candidate(ns, &host))
		return 0;
	if (BPF_CORE_READ(t, flags) & PF_KTHREAD)
		return 0; /* kernel threads (kdevtmpfs has a mount namespace of its own) */
	read_cgroups(t, cg);
	if (uw_ignorable(ns, &host) && bpf_map_lookup_elem(&ignore_map, cg)) {
		count(UW_C_IGNORED);
		return 0;
	}
	return 1;
}

UW_INLINE void fill(struct uw_task_event *ev, struct task_struct *t, __u32 source,
		    const struct uw_ns *ns, const struct uw_cgroup_key *cg)
{
	ev->hdr.type = UW_T_TASK;
	ev->hdr.size = sizeof(*ev);
	ev->hdr.ts_ns = bpf_ktime_get_boot_ns();
	ev->source = source;
	ev->flags = 0;
	ev->pid = BPF_CORE_READ(t, tgid);
	ev->ppid = BPF_CORE_READ(t, real_parent, tgid);
	ev->uid = BPF_CORE_READ(t, real_cred, uid.val);
	ev->euid = BPF_CORE_READ(t, real_cred, euid.val);
	ev->cgroup_id = cg->cgroup_id;
	ev->cgroup1_id = cg->cgroup1_id;
	ev->ns = *ns;
	BPF_CORE_READ_STR_INTO(&ev->comm, t, comm);
	ev->exe[0] = 0;
	ev->exe_ino = 0;
}

/* Base name of the task's executable: a fallback for when /proc/PID/exe is gone. */
UW_INLINE void fill_exe_basename(struct uw_task_event *ev, struct task_struct *t)
{
	const unsigned char *name = BPF_CORE_READ(t, mm, exe_file, f_path.dentry, d_name.name);

	ev->exe_ino = BPF_CORE_READ(t, mm, exe_file, f_inode, i_ino);
	if (name)
		bpf_probe_read_kernel_str(ev->exe, sizeof(ev->exe), name);
}

UW_INLINE void remember(__u32 tgid, const struct uw_ns *ns, const struct uw_cgroup_key *cg)
{
	struct uw_seen s = { .ns = *ns, .cg = *cg };

	bpf_map_update_elem(&seen_map, &tgid, &s, BPF_ANY);
}

UW_INLINE int submit(struct task_struct *t, __u32 source, const struct uw_ns *ns,
		     const struct uw_cgroup_key *cg, struct linux_binprm *bprm)
{
	struct uw_task_event *ev = bpf_ringbuf_reserve(&events_map, sizeof(*ev), 0);
	long n;

	if (!ev) {
		count(UW_C_LOST);
		return 0;
	}
	fill(ev, t, source, ns, cg);
	if (bprm) {
		const char *fn = BPF_CORE_READ(bprm, filename);

		ev->exe_ino = BPF_CORE_READ(bprm, file, f_inode, i_ino);
		n = bpf_probe_read_kernel_str(ev->exe, sizeof(ev->exe), fn);
		if (n > 0) {
			ev->flags |= UW_F_EXE_FROM_EXEC;
			if (n == sizeof(ev->exe)) {
				char next = 0;

				bpf_probe_read_kernel(&next, 1, fn + sizeof(ev->exe) - 1);
				if (next)
					ev->flags |= UW_F_EXE_TRUNCATED;
			}
		}
	} else {
		fill_exe_basename(ev, t);
	}
	bpf_ringbuf_submit(ev, wakeup_flags());
	count(UW_C_SENT);
	return 0;
}

/* read_ns plus the pid namespace for children in .pad (what setns(CLONE_NEWPID) changes). */
UW_INLINE int read_ns_full(struct task_struct *t, struct uw_ns *ns)
{
	if (read_ns(t, ns))
		return -1;
	ns->pad = BPF_CORE_READ(t, nsproxy, pid_ns_for_children, ns.inum);
	return 0;
}

/* Sends a transition of task t (after) from before; the decision is uw_transition_wanted. */
UW_INLINE int transition(struct task_struct *t, __u32 syscall, __u32 flags, __s32 fd,
			 const struct uw_ns *before, const struct uw_ns *after)
{
	struct uw_transition_event *ev;
	struct uw_cgroup_key cg = {};
	struct user_namespace *uns;
	struct uw_ns host;
	const unsigned char *name;

	load_host_ns(&host);
	host.pad = host.pid;
	if (!uw_transition_wanted(before, after, &host, host_transitions))
		return 0;
	ev = bpf_ringbuf_reserve(&events_map, sizeof(*ev), 0);
	if (!ev) {
		count(UW_C_LOST);
		return 0;
	}
	read_cgroups(t, &cg);
	ev->hdr.type = UW_T_TRANSITION;
	ev->hdr.size = sizeof(*ev);
	ev->hdr.ts_ns = bpf_ktime_get_boot_ns();
	ev->syscall = syscall;
	ev->flags = flags;
	ev->fd = fd;
	ev->pid = BPF_CORE_READ(t, tgid);
	ev->ppid = BPF_CORE_READ(t, real_parent, tgid);
	ev->uid = BPF_CORE_READ(t, real_cred, uid.val);
	ev->euid = BPF_CORE_READ(t, real_cred, euid.val);
	uns = BPF_CORE_READ(t, real_cred, user_ns);
	ev->userns_level = BPF_CORE_READ(uns, level);
	ev->userns_parent = BPF_CORE_READ(uns, parent, ns.inum);
	ev->pad = 0;
	ev->cgroup_id = cg.cgroup_id;
	ev->cgroup1_id = cg.cgroup1_id;
	ev->before = *before;
	ev->after = *after;
	BPF_CORE_READ_STR_INTO(&ev->comm, t, comm);
	ev->exe[0] = 0;
	ev->exe_ino = BPF_CORE_READ(t, mm, exe_file, f_inode, i_ino);
	name = BPF_CORE_READ(t, mm, exe_file, f_path.dentry, d_name.name);
	if (name)
		bpf_probe_read_kernel_str(ev->exe, sizeof(ev->exe), name);
	bpf_ringbuf_submit(ev, wakeup_flags());
	count(UW_C_SENT);
	return 0;
}

/* setns/unshare entry: remember the namespaces, if the call can change any. */
UW_INLINE int ns_syscall_enter(__u32 flags, __s32 fd, int is_unshare)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct uw_pending p = {};
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (is_unshare && !(flags & UW_CLONE_NEW_ANY))
		return 0;
	if (read_ns_full(t, &p.ns))
		return 0;
	p.flags = flags;
	p.fd = fd;
	bpf_map_update_elem(&pending_map, &tid, &p, BPF_ANY);
	return 0;
}

/* setns/unshare exit: on success, compare with what entry saw. */
UW_INLINE int ns_syscall_exit(long ret, __u32 syscall)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct uw_pending *p = bpf_map_lookup_elem(&pending_map, &tid);
	struct uw_pending before;
	struct uw_ns after = {};

	if (!p)
		return 0;
	before = *p;
	bpf_map_delete_elem(&pending_map, &tid);
	if (ret != 0 || read_ns_full(t, &after))
		return 0; /* failed calls change nothing */
	return transition(t, syscall, before.flags, before.fd, &before.ns, &after);
}

UW_INLINE int handle_exec(struct task_struct *t, struct linux_binprm *bprm, int direct)
{
	struct uw_ns ns = {};
	struct uw_cgroup_key cg = {};

	if (!wanted(t, &ns, &cg, direct))
		return 0;
	remember(BPF_CORE_READ(t, tgid), &ns, &cg);
	return submit(t, UW_SRC_EXEC, &ns, &cg, bprm);
}

UW_INLINE int same_seen(const struct uw_seen *s, const struct uw_ns *ns,
			const struct uw_cgroup_key *cg)
{
	return s->ns.user == ns->user && s->ns.mnt == ns->mnt && s->ns.pid == ns->pid &&
	       s->ns.net == ns->net && s->ns.uts == ns->uts && s->ns.ipc == ns->ipc &&
	       s->ns.cgroup == ns->cgroup && s->cg.cgroup_id == cg->cgroup_id &&
	       s->cg.cgroup1_id == cg->cgroup1_id;
}

/* clone or clone3: the parent's syscall number, where the registers can be read (tp_btf) */
UW_INLINE __u32 clone_syscall(struct task_struct *parent, int can_read_regs)
{
	struct pt_regs *regs;

	if (!can_read_regs)
		return UW_SYS_CLONE;
	regs = (struct pt_regs *)bpf_task_pt_regs(parent);
	return BPF_CORE_READ(regs, orig_ax) == UW_NR_CLONE3 ? UW_SYS_CLONE3 : UW_SYS_CLONE;
}

UW_INLINE int handle_fork(struct task_struct *parent, struct task_struct *child, int direct)
{
	struct uw_ns ns = {};
	struct uw_cgroup_key cg = {};
	struct uw_seen *s;
	__u32 ptgid, ctgid;

	/* A child sharing the host's nsproxy is a host task; if it got a new user namespace
	 * (CLONE_NEWUSER alone keeps the nsproxy), that is a host-only transition. */
	if (!host_transitions && host_nsproxy && task_nsproxy(child, direct) == host_nsproxy)
		return 0;
	ctgid = BPF_CORE_READ(child, tgid);
	if (BPF_CORE_READ(child, pid) != ctgid)
		return 0; /* a new thread: same process (CLONE_THREAD excludes CLONE_NEWUSER) */
	if (BPF_CORE_READ(child, real_cred, user_ns) != BPF_CORE_READ(parent, real_cred, user_ns)) {
		struct uw_ns before = {}, after = {};

		if (!read_ns_full(parent, &before) && !read_ns_full(child, &after))
			transition(child, clone_syscall(parent, direct),
				   uw_ns_change_mask(&before, &after), -1, &before, &after);
	}
	if (!wanted(child, &ns, &cg, direct))
		return 0;
	remember(ctgid, &ns, &cg);
	/* Same program, namespaces and cgroups as a parent already reported: nothing new. */
	ptgid = BPF_CORE_READ(parent, tgid);
	s = bpf_map_lookup_elem(&seen_map, &ptgid);
	if (s && same_seen(s, &ns, &cg)) {
		count(UW_C_FORK_SKIPPED);
		return 0;
	}
	return submit(child, UW_SRC_FORK, &ns, &cg, NULL);
}

UW_INLINE int handle_exit(struct task_struct *t, int direct)
{
	__u32 tgid;

	/* host tasks were never reported (a reported task never gets the host's nsproxy back:
	 * setns makes a new one) */
	if (host_nsproxy && task_nsproxy(t, direct) == host_nsproxy)
		return 0;
	tgid = BPF_CORE_READ(t, tgid);
	if (BPF_CORE_READ(t, pid) == tgid)
		bpf_map_delete_elem(&seen_map, &tgid);
	return 0;
}

/* Only cgroups userspace watches are reported: ordinary cgroup churn sends nothing. */
UW_INLINE int handle_rmdir(struct cgroup *cgrp)
{
	struct uw_watch_key k = {
		.cgroup_id = BPF_CORE_READ(cgrp, kn, id),
		.hierarchy_id = BPF_CORE_READ(cgrp, root, hierarchy_id),
	};
	struct uw_cgroup_event *ev;

	if (!bpf_map_lookup_elem(&watched_map, &k))
		return 0;
	bpf_map_delete_elem(&watched_map, &k);
	ev = bpf_ringbuf_reserve(&events_map, sizeof(*ev), 0);
	if (!ev) {
		count(UW_C_LOST);
		return 0;
	}
	ev->hdr.type = UW_T_CGROUP_GONE;
	ev->hdr.size = sizeof(*ev);
	ev->hdr.ts_ns = bpf_ktime_get_boot_ns();
	ev->cgroup_id = k.cgroup_id;
	ev->hierarchy_id = k.hierarchy_id;
	ev->pad = 0;
	bpf_ringbuf_submit(ev, wakeup_flags());
	count(UW_C_SENT);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_btf, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return handle_exec(p, bprm, 1);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(exec_raw, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return handle_exec(p, bprm, 0);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
	return handle_fork(parent, child, 1);
}

/* raw_tp cannot read the registers: clone and clone3 are both reported as clone */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(fork_raw, struct task_struct *parent, struct task_struct *child)
{
	return handle_fork(parent, child, 0);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_btf, struct task_struct *p)
{
	return handle_exit(p, 1);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(exit_raw, struct task_struct *p)
{
	return handle_exit(p, 0);
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(rmdir_btf, struct cgroup *cgrp, const char *path)
{
	return handle_rmdir(cgrp);
}

SEC("raw_tp/cgroup_rmdir")
int BPF_PROG(rmdir_raw, struct cgroup *cgrp, const char *path)
{
	return handle_rmdir(cgrp);
}

/* Namespace system calls: classic tracepoints (they need tracefs; the loader mounts it). */
SEC("tracepoint/syscalls/sys_enter_setns")
int enter_setns(struct trace_event_raw_sys_enter *ctx)
{
	return ns_syscall_enter((__u32)ctx->args[1], (__s32)ctx->args[0], 0);
}

SEC("tracepoint/syscalls/sys_exit_setns")
int exit_setns(struct trace_event_raw_sys_exit *ctx)
{
	return ns_syscall_exit(ctx->ret, UW_SYS_SETNS);
}

SEC("tracepoint/syscalls/sys_enter_unshare")
int enter_unshare(struct trace_event_raw_sys_enter *ctx)
{
	return ns_syscall_enter((__u32)ctx->args[0], -1, 1);
}

SEC("tracepoint/syscalls/sys_exit_unshare")
int exit_unshare(struct trace_event_raw_sys_exit *ctx)
{
	return ns_syscall_exit(ctx->ret, UW_SYS_UNSHARE);
}

/*
 * The same two bodies as fentry/fexit programs on the x86-64 syscall entry points, where the
 * kernel takes them (no tracefs needed); the loader tries these first.
 */
SEC("fentry/__x64_sys_setns")
int BPF_PROG(fentry_setns, const struct pt_regs *regs)
{
	return ns_syscall_enter((__u32)BPF_CORE_READ(regs, si), (__s32)BPF_CORE_READ(regs, di), 0);
}

SEC("fexit/__x64_sys_setns")
int BPF_PROG(fexit_setns, const struct pt_regs *regs, long ret)
{
	return ns_syscall_exit(ret, UW_SYS_SETNS);
}

SEC("fentry/__x64_sys_unshare")
int BPF_PROG(fentry_unshare, const struct pt_regs *regs)
{
	return ns_syscall_enter((__u32)BPF_CORE_READ(regs, di), -1, 1);
}

SEC("fexit/__x64_sys_unshare")
int BPF_PROG(fexit_unshare, const struct pt_regs *regs, long ret)
{
	return ns_syscall_exit(ret, UW_SYS_UNSHARE);
}

/* Snapshot: one record per process that runs now, written to the iterator's seq file. */
SEC("iter/task")
int snapshot_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct uw_task_event *ev;
	struct uw_ns ns = {};
	struct uw_cgroup_key cg = {};
	__u32 zero = 0;

	if (!t || t->pid != t->tgid)
		return 0;
	if (t->tgid == host_ref_pid && !host_nsproxy) {
		struct uw_ns h, r = {};

		load_host_ns(&h);
		/* only if it really is the host's set (the procfs may not be this kernel's view) */
		if (!read_ns(t, &r) && r.mnt == h.mnt && r.pid == h.pid && r.net == h.net &&
		    r.uts == h.uts && r.ipc == h.ipc && r.cgroup == h.cgroup &&
		    BPF_CORE_READ(t, nsproxy, pid_ns_for_children, ns.inum) == h.pid)
			host_nsproxy = BPF_CORE_READ(t, nsproxy);
	}
	if (!wanted(t, &ns, &cg, 1))
		return 0;
	ev = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!ev)
		return 0;
	remember(t->tgid, &ns, &cg);
	fill(ev, t, UW_SRC_SNAPSHOT, &ns, &cg);
	fill_exe_basename(ev, t);
	bpf_seq_write(ctx->meta->seq, ev, sizeof(*ev));
	return 0;
}
