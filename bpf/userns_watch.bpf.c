// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * userns-watch kernel side: report tasks that may be container processes sharing the host's
 * user namespace, and namespace transitions that touch containers. Everything else (ordinary
 * host activity, tasks with a user namespace of their own) is decided here and never reaches
 * userspace.
 *
 * Entry points: exec, fork and exit as tp_btf programs with raw_tp twins (the loader keeps one
 * set, chosen by trying to load); setns and unshare as fentry/fexit programs on the 64-bit and
 * 32-bit system call entry points, or the syscall tracepoints where fentry does not load; a
 * task iterator for processes that run before we start. All of them call the handlers below.
 *
 * Files: uw_maps.h (configuration, maps), uw_read.h (kernel facts about a task), uw_emit.h
 * (records and the per-process state behind them), uw_repeat.h (what records already said),
 * uw_syscall.h (setns, unshare, ptrace, process_vm_writev: their handlers and entry points),
 * this file (exec, fork, exit, cgroup removal, the iterators).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define UW_INLINE static __always_inline
#define PF_KTHREAD 0x00200000 /* include/linux/sched.h, stable since 2.6 */
#include "uw_arch.h"
#include "uw_event.h"
#include "uw_verdict.h"
#include "uw_maps.h"
#include "uw_read.h"
#include "uw_emit.h"
#include "uw_repeat.h"
#include "uw_syscall.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#ifdef UW_BUILD_VARIANT
/* make test's second build (the Makefile's VARIANT): the same programs in another object, which
 * tests/integration/test_pin.sh upgrades a running watch to */
const volatile __u32 build_variant = UW_BUILD_VARIANT;
#endif

/*
 * make bench builds a copy of this object with UW_BENCH_NOP, where the exec, fork and exit
 * hooks return at once: the same object, loader and attachment otherwise, so the benchmark
 * can tell what a hook of this object costs before any of its code runs (beside the empty
 * program on the same hook, loaded by another process).
 */
#ifdef UW_BENCH_NOP
#define UW_BENCH_RETURN() return 0
#else
#define UW_BENCH_RETURN() do {} while (0)
#endif

/*
 * The common filter for a task in ns (read by the caller): its UW_F_* flags, with cg filled,
 * when it must be reported; 0 for tasks that are no candidate and candidates whose cgroup of
 * origin (origin; NULL: cg, a process whose origin is where it is) and namespaces userspace
 * found to be no container. UW_F_WANTED is set in every non-zero answer. A process that moved
 * into a cgroup found to be no container's keeps its origin, so it is not dropped here.
 */
#define UW_F_WANTED (1u << 31)
#define UW_F_IGNORED (1u << 30) /* (alone) a candidate of a pair found to be no container's */

UW_INLINE __u32 wanted(struct task_struct *t, const struct uw_ns *ns, struct uw_cgroup_key *cg,
		       const struct uw_cgroup_key *origin, int direct)
{
	struct uw_ignore_key ik = {};
	struct uw_ns host;
	__u32 flags;

	load_host_ns(&host);
	if (!uw_is_candidate(ns, &host))
		return 0;
	if (UW_RD(direct, t, flags) & PF_KTHREAD)
		return 0; /* kernel threads (kdevtmpfs has a mount namespace of its own) */
	read_cgroups(t, cg, direct);
	flags = root_flag(t, direct);
	if (uw_ignorable(ns, &host, flags)) {
		ik.cg = origin ? *origin : *cg;
		ik.mnt = ns->mnt;
		ik.net = ns->net;
		ik.uts = ns->uts;
		ik.ipc = ns->ipc;
		ik.cgroup = ns->cgroup;
		if (bpf_map_lookup_elem(&ignore_map, &ik)) {
			count(UW_C_IGNORED);
			return UW_F_IGNORED;
		}
	}
	return flags | UW_F_WANTED;
}

UW_INLINE __u32 seen_flags(__u32 flags, int reported)
{
	return (reported ? UW_SEEN_REPORTED : 0) | (flags & UW_F_ROOT_OTHER ? UW_SEEN_ROOT_OTHER : 0);
}

/*
 * Does the process's last-seen state need writing? Not when it says exactly this already (an
 * exec in a process seen in the same namespaces, cgroups and origin): a repeat writes nothing.
 */
UW_INLINE int seen_stale(const struct uw_seen *s, const struct uw_ns *ns, const struct uw_cgroup_key *cg,
			 const struct uw_origin *o, __u32 sflags)
{
	return !s || s->flags != sflags || !uw_ns_same(&s->ns, ns) || !cg_same(&s->cg, cg) ||
	       !cg_same(&s->origin, &o->cg) || s->origin_how != o->how;
}

/*
 * The exec of a task that is not a host task. Here, and for fork and exit, the work for such
 * tasks is a subprogram of its own (one per kind of task pointer), not inlined: the hook's host
 * path (every host exec) then keeps the small frame of a two-load test.
 */
/*
 * An exec ends the runtime's setup (UW_SEEN_SETUP) of the process: the program is the
 * container's own, and where the runtime put it is its origin from here on. A process never
 * watched (its lineage lost: the table was full, or a change no hook saw) gets the cgroup it is
 * in, and says it is unknown.
 */
/*
 * The exec of a process taken hold of (UW_SEEN_HELD): its program is its container of origin's,
 * in whatever namespaces it runs (a host task's, usually), sent every time (no repeat key).
 */
UW_INLINE int exec_held(struct task_struct *t, struct uw_seen *s, struct uw_ns *ns,
			struct linux_binprm *bprm, int direct)
{
	struct uw_cgroup_key cg = {};
	struct uw_origin o;

	ns->pid = task_pidns_inum(t, direct);
	read_cgroups(t, &cg, direct);
	o.cg = s->origin;
	o.how = UW_ORIGIN_HELD;
	o.base = 0;
	submit(t, UW_SRC_EXEC, ns, &cg, root_flag(t, direct), &o, NULL, bprm, direct);
	s->ns = *ns;
	s->cg = cg;
	return 0;
}

UW_INLINE int exec_other(struct task_struct *t, struct linux_binprm *bprm, int direct)
{
	struct uw_ns ns = {};
	struct uw_cgroup_key cg = {};
	struct uw_repeat_key *rk;
	struct uw_origin o;
	struct uw_seen *s;
	__u32 tgid, flags, zero = 0;
	int ok, placed;

	if (read_ns_proxy(t, &ns, direct))
		return 0;
	tgid = UW_RD(direct, t, tgid);
	s = bpf_map_lookup_elem(&seen_map, &tgid);
	if (s && (s->flags & UW_SEEN_HELD))
		return exec_held(t, s, &ns, bprm, direct);
	/* a task never changes its own pid namespace, and a process's threads share it: a
	 * process seen before is in the one it was seen in (no probe read of its pid) */
	ns.pid = s ? s->ns.pid : task_pidns_inum(t, direct);
	if (s)
		check_late(t, s, &ns, UW_SRC_EXEC);
	placed = s && !(s->flags & UW_SEEN_SETUP);
	flags = wanted(t, &ns, &cg, placed ? &s->origin : NULL, direct);
	if (!(flags & UW_F_WANTED)) {
		if ((flags & UW_F_IGNORED) && s)
			forget(tgid); /* a host service's process: its children are host lineage */
		return 0;
	}
	flags &= ~UW_F_WANTED;
	if (s && !placed && uw_ns_hash(&ns) == s->base) {
		/* the runtime running itself again in its lineage's namespaces: still its setup */
		count(UW_C_SETUP);
		s->origin = cg;
		s->cg = cg;
		return 0;
	}
	o.base = 0;
	if (placed) {
		check_moved(t, s, &ns, &cg, UW_SRC_EXEC);
		o.cg = s->origin;
		o.how = s->origin_how;
	} else {
		o.cg = cg;
		o.how = s ? UW_ORIGIN_PLACED : UW_ORIGIN_UNKNOWN;
	}
	rk = bpf_map_lookup_elem(&key_scratch, &zero);
	if (!rk)
		return 0;
	repeat_key(rk, t, UW_RD(direct, bprm, file), UW_SRC_EXEC, &ns, &cg, &o.cg, flags, direct);
	ok = repeat_seen(rk) || submit(t, UW_SRC_EXEC, &ns, &cg, flags, &o, rk, bprm, direct);
	if (seen_stale(s, &ns, &cg, &o, seen_flags(flags, ok)))
		remember(tgid, &ns, &cg, &o, seen_flags(flags, ok), s != NULL);
	return 0;
}

static __noinline int exec_other_btf(struct task_struct *t, struct linux_binprm *bprm)
{
	return exec_other(t, bprm, 1);
}

static __noinline int exec_other_raw(struct task_struct *t, struct linux_binprm *bprm)
{
	return exec_other(t, bprm, 0);
}

/* Might tgid be watched (a host task taken hold of)? None is while held_count is 0 (one load);
 * else the counting filter's answer: a slot at 0 says no with one array load. */
UW_INLINE int maybe_watched(struct task_struct *t, int direct)
{
	__u64 *c;

	if (!held_count)
		return 0;
	c = seen_slot(UW_RD(direct, t, tgid));
	return !c || *c != 0;
}

UW_INLINE int handle_exec(struct task_struct *t, __u32 old_pid, struct linux_binprm *bprm, int direct)
{
	UW_BENCH_RETURN();
	if (held_count)
		held_thread_ends(old_pid, UW_RD(direct, t, tgid), 1);
	if (is_host_task(t, direct) && !maybe_watched(t, direct))
		return 0;
	return direct ? exec_other_btf(t, bprm) : exec_other_raw(t, bprm);
}

/* clone or clone3: the parent's syscall number, where the registers can be read (tp_btf: the
 * hook's own, trusted parent; NULL on raw_tp) */
UW_INLINE __u32 clone_syscall(struct task_struct *parent)
{
	struct pt_regs *regs;

	if (!parent)
		return UW_SYS_CLONE;
	regs = (struct pt_regs *)bpf_task_pt_regs(parent);
	return BPF_CORE_READ(regs, UW_REG_SYSCALL_NR) == UW_NR_CLONE3 ? UW_SYS_CLONE3 : UW_SYS_CLONE;
}

/* regs_of: the parent as the hook got it, for bpf_task_pt_regs (NULL: no registers to read) */
UW_INLINE int fork_other(struct task_struct *parent, struct task_struct *child,
			 struct task_struct *regs_of, int direct)
{
	struct uw_ns ns = {}, pns = {};
	struct uw_cgroup_key cg = {};
	struct uw_repeat_key *rk;
	struct uw_origin o;
	struct uw_seen *ps;
	__u32 ptgid, ctgid, flags, zero = 0;
	int ok, have_pns = 0, setup;

	ctgid = UW_RD(direct, child, tgid);
	if (UW_RD(direct, child, pid) != ctgid)
		return 0; /* a new thread: same process (CLONE_THREAD excludes CLONE_NEWUSER) */
	/* the child's pid was allocated in its nsproxy's pid namespace for children (copy_process
	 * calls alloc_pid with it), and it has not run yet: that is its own pid namespace */
	if (read_ns_proxy(child, &ns, direct))
		return 0;
	ns.pid = ns.pid_for_children;
	ptgid = UW_RD(direct, parent, tgid);
	ps = bpf_map_lookup_elem(&seen_map, &ptgid);
	if (ps && (ps->flags & UW_SEEN_HELD)) {
		remember_held(ctgid, ps); /* a child of a process taken hold of: the same */
		return 0;
	}
	/* the child starts in its parent's namespaces unless clone made new ones: only when it
	 * differs from what the parent was seen in are the parent's own read and compared */
	if (ps && !seen_knows(ps, &ns) && !read_ns_proxy(parent, &pns, direct)) {
		pns.pid = ps->ns.pid;
		have_pns = 1;
		check_late(parent, ps, &pns, UW_SRC_FORK);
	}
	/* the runtime's setup: a child of its setup, or of a process that is not watched (a host
	 * task, or a host service's: a runtime creating the container's first process) */
	setup = ps ? !!(ps->flags & UW_SEEN_SETUP) : 1;
	if (UW_RD(direct, child, real_cred, user_ns) != UW_RD(direct, parent, real_cred, user_ns)) {
		if (have_pns || !read_ns(parent, &pns, direct))
			transition(child, clone_syscall(regs_of), uw_ns_change_mask(&pns, &ns),
				   -1, &pns, &ns, setup ? UW_TF_SETUP : 0, ps);
	}
	flags = wanted(child, &ns, &cg, ps && !setup ? &ps->origin : NULL, direct);
	if (!(flags & UW_F_WANTED)) {
		/* a host service's child in its parent's namespaces and cgroups: the parent is that
		 * service's too */
		if ((flags & UW_F_IGNORED) && ps && uw_ns_same(&ps->ns, &ns) && cg_same(&ps->cg, &cg))
			forget(ptgid);
		return 0;
	}
	flags &= ~UW_F_WANTED;
	if (setup) {
		/* not sent: the container is judged by the program this process runs */
		count(UW_C_SETUP);
		o.cg = cg;
		o.how = UW_ORIGIN_PLACED;
		if (ps)
			o.base = ps->base;
		else if (!read_ns(parent, &pns, direct))
			o.base = uw_ns_hash(&pns);
		else
			o.base = 0;
		remember(ctgid, &ns, &cg, &o, UW_SEEN_SETUP | seen_flags(flags, 0), 0);
		return 0;
	}
	o.base = 0;
	if (ps) {
		/* the child is in the cgroups its parent is in now */
		check_moved(parent, ps, &ns, &cg, UW_SRC_FORK);
		o.cg = ps->origin;
		o.how = UW_ORIGIN_INHERITED;
	} else {
		o.cg = cg;
		o.how = UW_ORIGIN_UNKNOWN; /* a parent no hook saw become a container process */
	}
	/* Same program, namespaces and cgroups as a parent already reported: nothing new. */
	if (ps && (ps->flags & UW_SEEN_REPORTED) && uw_ns_same(&ps->ns, &ns) && cg_same(&ps->cg, &cg)) {
		count(UW_C_FORK_SKIPPED);
		ok = 1;
	} else {
		rk = bpf_map_lookup_elem(&key_scratch, &zero);
		if (!rk)
			return 0;
		repeat_key(rk, child, UW_RD(direct, child, mm, exe_file), UW_SRC_FORK, &ns, &cg, &o.cg,
			   flags, direct);
		ok = repeat_seen(rk) || submit(child, UW_SRC_FORK, &ns, &cg, flags, &o, rk, NULL, direct);
	}
	remember(ctgid, &ns, &cg, &o, seen_flags(flags, ok), 0);
	return 0;
}

static __noinline int fork_other_btf(struct task_struct *parent, struct task_struct *child)
{
	return fork_other(uw_untrusted(parent, struct task_struct), child, parent, 1);
}

static __noinline int fork_other_raw(struct task_struct *parent, struct task_struct *child)
{
	return fork_other(parent, child, NULL, 0);
}

UW_INLINE int handle_fork(struct task_struct *parent, struct task_struct *child, int direct)
{
	UW_BENCH_RETURN();
	/* A child sharing the host's nsproxy is a host task; if it got a new user namespace
	 * (CLONE_NEWUSER alone keeps the nsproxy), that is a host-only transition. */
	if (!host_transitions && is_host_task_of(child, parent, direct) && !maybe_watched(parent, direct))
		return 0;
	return direct ? fork_other_btf(parent, child) : fork_other_raw(parent, child);
}

/* The exit of a task that is not a host task. */
UW_INLINE int exit_watched(struct task_struct *t, int direct)
{
	struct uw_cgroup_key cg = {};
	struct uw_ns ns = {};
	struct uw_seen *s;
	__u32 tgid;

	tgid = UW_RD(direct, t, tgid);
	s = seen_lookup(tgid);
	if (!s)
		return 0;
	/* the tracepoint runs before exit_task_namespaces: the namespaces are still there; its
	 * own pid namespace is the one it was seen in (a task never changes it); a process taken
	 * hold of has no namespaces of its own to compare */
	if (!(s->flags & UW_SEEN_HELD) && !read_ns_proxy(t, &ns, direct)) {
		ns.pid = s->ns.pid;
		check_late(t, s, &ns, UW_SRC_EXIT);
		read_cgroups(t, &cg, direct);
		check_moved(t, s, &ns, &cg, UW_SRC_EXIT);
	}
	/* forgotten with its last thread: the leader may exit while other threads run on */
	if (UW_RD(direct, t, signal, live.counter) == 0) {
		__u32 held = s->flags & UW_SEEN_HELD;

		if (!bpf_map_delete_elem(&seen_map, &tgid)) {
			seen_slot_add(tgid, -1);
			if (held)
				__sync_fetch_and_add(&held_count, -1);
		}
	}
	return 0;
}

static __noinline int exit_watched_btf(struct task_struct *t)
{
	return exit_watched(t, 1);
}

static __noinline int exit_watched_raw(struct task_struct *t)
{
	return exit_watched(t, 0);
}

UW_INLINE int handle_exit(struct task_struct *t, int direct)
{
	UW_BENCH_RETURN();
	if (held_count)
		held_thread_ends(UW_RD(direct, t, pid), UW_RD(direct, t, tgid), 0);
	/* host tasks are not watched (a watched task never gets the host's nsproxy back, and
	 * is_host_task takes a copy of it only for a process that is not watched), but for those
	 * taken hold of (UW_SEEN_HELD), which the counting filter may hold */
	if (is_host_task(t, direct) && !maybe_watched(t, direct))
		return 0;
	return direct ? exit_watched_btf(t) : exit_watched_raw(t);
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
	if (!uw_live())
		return 0;
	return handle_exec(uw_untrusted(p, struct task_struct), (__u32)old_pid, uw_untrusted(bprm, struct linux_binprm), 1);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(exec_raw, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	if (!uw_live())
		return 0;
	return handle_exec(p, (__u32)old_pid, bprm, 0);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_btf, struct task_struct *parent, struct task_struct *child)
{
	if (!uw_live())
		return 0;
	return handle_fork(parent, uw_untrusted(child, struct task_struct), 1);
}

/* raw_tp cannot read the registers: clone and clone3 are both reported as clone */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(fork_raw, struct task_struct *parent, struct task_struct *child)
{
	if (!uw_live())
		return 0;
	return handle_fork(parent, child, 0);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_btf, struct task_struct *p)
{
	if (!uw_live())
		return 0;
	return handle_exit(uw_untrusted(p, struct task_struct), 1);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(exit_raw, struct task_struct *p)
{
	if (!uw_live())
		return 0;
	return handle_exit(p, 0);
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(rmdir_btf, struct cgroup *cgrp, const char *path)
{
	if (!uw_live())
		return 0;
	return handle_rmdir(cgrp);
}

SEC("raw_tp/cgroup_rmdir")
int BPF_PROG(rmdir_raw, struct cgroup *cgrp, const char *path)
{
	if (!uw_live())
		return 0;
	return handle_rmdir(cgrp);
}


/*
 * Learns the host reference process's nsproxy and root directory; run by the loader before
 * the hooks are attached, so every hook has them from its first event. Only if its
 * namespaces really are the host's (the procfs may not be this kernel's view).
 */
SEC("iter/task")
int learn_host(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct uw_ns h, r = {};

	if (!t)
		return 0;
	t = uw_untrusted(t, struct task_struct);
	if (t->pid != t->tgid || t->tgid != host_ref_pid || host_nsproxy)
		return 0;
	load_host_ns(&h);
	if (!read_ns(t, &r, 1) && r.mnt == h.mnt && r.pid == h.pid && r.net == h.net &&
	    r.uts == h.uts && r.ipc == h.ipc && r.cgroup == h.cgroup && r.pid_for_children == h.pid) {
		struct nsproxy *nsp = t->nsproxy;

		host_root = t->fs->root.dentry;
		/* nsproxy copies count as the host's only where its pid namespace is the initial
		 * one (is_host_task compares a task's pid level with 0) */
		if (t->thread_pid->level == 0) {
			host_mnt_ns = nsp->mnt_ns;
			host_net_ns = nsp->net_ns;
			host_uts_ns = nsp->uts_ns;
			host_ipc_ns = nsp->ipc_ns;
			host_cgroup_ns = nsp->cgroup_ns;
			host_pid_children = nsp->pid_ns_for_children;
		}
		host_nsproxy = nsp;
	}
	return 0;
}

/*
 * Snapshot: one record per process that runs now, written to the iterator's seq file. A
 * process is read through its thread-group leader, or, when the leader has exited while other
 * threads run on (it then has no namespaces left), through its first live thread visited.
 */
SEC("iter/task")
int snapshot_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct uw_task_event *ev;
	struct uw_ns ns = {};
	struct uw_cgroup_key cg = {};
	struct uw_repeat_key *rk;
	struct uw_origin o;
	struct uw_seen *ps, *me;
	__u32 zero = 0, tgid, ppid, flags;
	__u8 one = 1;

	if (!t)
		return 0;
	t = uw_untrusted(t, struct task_struct);
	tgid = t->tgid;
	if (t->pid != tgid) {
		if (BPF_CORE_READ(t, group_leader, nsproxy))
			return 0; /* the leader speaks for the process */
		if (bpf_map_update_elem(&snap_done_map, &tgid, &one, BPF_NOEXIST))
			return 0; /* another thread of it was written already */
	}
	if (is_host_task(t, 1) || read_ns(t, &ns, 1))
		return 0;
	/* the same rule as the hooks: a child of a watched process (visited first: the iterator
	 * goes by pid) comes from its parent's origin */
	ppid = BPF_CORE_READ(t, real_parent, tgid);
	ps = seen_lookup(ppid);
	/* a process the kernel side knows already (it outlived the previous watch: pinned) keeps
	 * what it knows of it: its origin, how that was decided, its flags. The snapshot never
	 * rewrites provenance from where the process is now (a cgroup it may have chosen) */
	me = seen_lookup(tgid);
	flags = wanted(t, &ns, &cg, me ? &me->origin : ps ? &ps->origin : NULL, 1);
	if (!(flags & UW_F_WANTED))
		return 0;
	flags &= ~UW_F_WANTED;
	ev = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!ev)
		return 0;
	rk = bpf_map_lookup_elem(&key_scratch, &zero);
	if (!rk)
		return 0;
	if (me) {
		o.cg = me->origin;
		o.how = me->origin_how;
		o.base = me->base;
	} else {
		o.cg = ps ? ps->origin : cg;
		o.how = UW_ORIGIN_SNAPSHOT;
		o.base = 0;
		remember(tgid, &ns, &cg, &o, seen_flags(flags, 1), 0);
	}
	/* the key is not added to the repeat cache (userspace adds exec and fork keys): it gives
	 * the program's identity (generation, change time) */
	repeat_key(rk, t, t->mm ? t->mm->exe_file : NULL, UW_SRC_SNAPSHOT, &ns, &cg, &o.cg, flags, 1);
	fill(ev, t, UW_SRC_SNAPSHOT, &ns, &cg, flags, &o, rk, 1);
	fill_exe_mm(ev, t, 1);
	bpf_seq_write(ctx->meta->seq, ev, sizeof(*ev));
	return 0;
}
