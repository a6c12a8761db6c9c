/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The system calls userns-watch hooks by their entry and exit: setns and unshare (a change of
 * namespaces, compared between entry and exit), ptrace and process_vm_writev (a container
 * process taking hold of another process). Entry keeps what it needs by thread
 * (pending_map); exit reports a call that succeeded. Included once, by userns_watch.bpf.c,
 * with the entry points (tracepoints; fentry/fexit where the kernel takes them).
 */
#ifndef UW_SYSCALL_H
#define UW_SYSCALL_H

/* Keeps p for thread tid until its call returns; a full map is counted (the backstop still
 * sees a watched process's namespace change). */
UW_INLINE void pending_put(__u32 tid, const struct uw_pending *p)
{
	if (bpf_map_update_elem(&pending_map, &tid, p, BPF_ANY))
		count(UW_C_PENDING_FULL);
}

/* What entry kept for thread tid, taken out of the map: 0 with *out, or -1 for nothing. */
UW_INLINE int pending_take(__u32 tid, struct uw_pending *out)
{
	struct uw_pending *p = bpf_map_lookup_elem(&pending_map, &tid);

	if (!p)
		return -1;
	*out = *p;
	bpf_map_delete_elem(&pending_map, &tid);
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
	if (read_ns(t, &p.ns, 0))
		return 0;
	p.flags = flags;
	p.fd = fd;
	p.tflags = root_flag(t, 0) ? UW_TF_ROOT_OTHER : 0;
	pending_put(tid, &p);
	return 0;
}

/* setns/unshare exit: on success, compare with what entry saw. */
UW_INLINE int ns_syscall_exit(long ret, __u32 syscall)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = (__u32)(id >> 32);
	struct uw_pending before;
	struct uw_ns after = {}, host_set;
	struct uw_seen *s;

	if (pending_take(tid, &before))
		return 0;
	load_host_ns(&host_set);
	if (ret != 0 || read_ns(t, &after, 0))
		return 0; /* failed calls change nothing */
	/* a watched process: what it is in now was seen by a hook, not late */
	s = bpf_map_lookup_elem(&seen_map, &tgid);
	if (s) {
		if (!seen_knows(s, &after))
			seen_moved(s, &after);
		if (s->flags & UW_SEEN_SETUP)
			before.tflags |= UW_TF_SETUP;
	} else if (uw_ns_same(&before.ns, &host_set)) {
		/* a host task leaving the host's namespaces: a runtime setting a container up (or
		 * entering one to run a program there); watched from here, as its setup, while it is
		 * in the host user namespace (a pid namespace for children alone is no candidate yet,
		 * but the next call makes it one: nsenter's first setns) */
		before.tflags |= UW_TF_SETUP;
		if (after.user == host_set.user && !uw_ns_same(&after, &host_set)) {
			struct uw_cgroup_key cg = {};
			struct uw_origin o;

			read_cgroups(t, &cg, 0);
			o.cg = cg;
			o.how = UW_ORIGIN_PLACED;
			o.base = uw_ns_hash(&before.ns);
			remember(tgid, &after, &cg, &o, UW_SEEN_SETUP, 0);
			s = bpf_map_lookup_elem(&seen_map, &tgid);
		}
	}
	transition(t, syscall, before.flags, before.fd, &before.ns, &after, before.tflags, s);
	return 0;
}

/*
 * Routes to host power that change no namespace: a container process attaching to another
 * process with ptrace (it may then make it run anything, in every namespace the target has) or
 * writing its memory with process_vm_writev. Only for watched processes past their setup: the
 * host's own debuggers are never looked at. Entry keeps the target (the pid as the caller's pid
 * namespace numbers it) by thread; exit sends the call that succeeded, with the caller's
 * namespaces; userspace finds the target and judges. Syscall tracepoints only (fentry on
 * process_vm_writev's entry point is refused on 5.10): the loader loads them wherever tracefs
 * has them, beside either set of setns/unshare entry points.
 */
UW_INLINE int hostpower_enter(__u32 req, __s32 pid)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = (__u32)(id >> 32);
	struct uw_pending p = {};
	struct uw_seen *s = seen_lookup(tgid);

	if (!s || (s->flags & UW_SEEN_SETUP))
		return 0;
	p.flags = req;
	p.fd = pid;
	pending_put(tid, &p);
	return 0;
}

/* The process of the thread tid that t traces (t->ptraced: its tracees), or 0 when none of the
 * first 16 is that thread. */
UW_INLINE __u32 tracee_tgid(struct task_struct *t, __u32 tid)
{
	void *head = (void *)t + bpf_core_field_offset(struct task_struct, ptraced);
	__u32 off = bpf_core_field_offset(struct task_struct, ptrace_entry);
	struct list_head *n = BPF_CORE_READ(t, ptraced.next);
	struct task_struct *c;
	int i;

	for (i = 0; i < 16 && n && (void *)n != head; i++) {
		c = (struct task_struct *)((void *)n - off);
		if ((__u32)BPF_CORE_READ(c, pid) == tid)
			return (__u32)BPF_CORE_READ(c, tgid);
		n = BPF_CORE_READ(c, ptrace_entry.next);
	}
	return 0;
}

UW_INLINE int hostpower_exit(long ret, __u32 syscall)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id, tgid = (__u32)(id >> 32);
	struct uw_pending call;
	struct uw_ns ns = {};
	struct uw_seen *s;

	if (pending_take(tid, &call))
		return 0;
	/* ptrace attaching returns 0; process_vm_writev the bytes written */
	if ((syscall == UW_SYS_PTRACE ? ret != 0 : ret <= 0) || read_ns(t, &ns, 0))
		return 0;
	s = bpf_map_lookup_elem(&seen_map, &tgid);
	if (!s)
		return 0;
	send_transition(t, syscall, syscall == UW_SYS_PTRACE ? call.flags : (__u32)ret, call.fd, &ns, &ns,
			s->flags & UW_SEEN_ROOT_OTHER ? UW_TF_ROOT_OTHER : 0, 0, s);
	/* in the host's pid namespace the pid is the target's own: its later programs are the
	 * container's (a target in the caller's own container is watched already: kept). ptrace
	 * names a thread: the tracee, now on the caller's list, gives its process. */
	if (ns.pid == host_ns.pid && call.fd > 0) {
		__u32 target = syscall == UW_SYS_PTRACE ? tracee_tgid(t, (__u32)call.fd) : (__u32)call.fd;

		if (target)
			remember_held(target, s);
	}
	return 0;
}

UW_INLINE int ptrace_enter(__s64 req, __s32 pid)
{
	if (req != UW_PTRACE_ATTACH && req != UW_PTRACE_SEIZE)
		return 0;
	return hostpower_enter((__u32)req, pid);
}

SEC("tracepoint/syscalls/sys_enter_ptrace")
int enter_ptrace(struct trace_event_raw_sys_enter *ctx)
{
	if (!uw_live())
		return 0;
	return ptrace_enter((__s64)ctx->args[0], (__s32)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_ptrace")
int exit_ptrace(struct trace_event_raw_sys_exit *ctx)
{
	if (!uw_live())
		return 0;
	return hostpower_exit(ctx->ret, UW_SYS_PTRACE);
}

SEC("tracepoint/syscalls/sys_enter_process_vm_writev")
int enter_vmwrite(struct trace_event_raw_sys_enter *ctx)
{
	if (!uw_live())
		return 0;
	return hostpower_enter(0, (__s32)ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_exit_process_vm_writev")
int exit_vmwrite(struct trace_event_raw_sys_exit *ctx)
{
	if (!uw_live())
		return 0;
	return hostpower_exit(ctx->ret, UW_SYS_VM_WRITE);
}

/*
 * Where the kernel takes fexit programs, the same routes are hooked where the kernel decides
 * them, whatever the system call and its ABI (32-bit ones too, which syscall tracepoints
 * miss): security_ptrace_access_check granting attach-level access with the caller's real
 * credentials (ptrace attach and seize, process_vm_readv and writev, pidfd_getfd), and
 * proc_mem_open opening /proc/PID/mem. The target is a task: its process is known exactly, in
 * any pid namespace. The loader loads these instead of the ptrace and process_vm_writev
 * tracepoints where fentry works.
 */
#define UW_PTRACE_MODE_ATTACH 0x02u    /* include/linux/ptrace.h */
#define UW_PTRACE_MODE_REALCREDS 0x10u

UW_INLINE int hostpower_granted(struct task_struct *target, __u32 syscall, __u32 mode)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	__u32 tgid = (__u32)(bpf_get_current_pid_tgid() >> 32), to;
	struct uw_ns ns = {};
	struct uw_seen *s = seen_lookup(tgid);

	if (!s || (s->flags & UW_SEEN_SETUP) || !target)
		return 0;
	to = (__u32)BPF_CORE_READ(target, tgid);
	if (!to || to == tgid || read_ns(t, &ns, 0))
		return 0;
	send_transition(t, syscall, mode, (__s32)to, &ns, &ns,
			s->flags & UW_SEEN_ROOT_OTHER ? UW_TF_ROOT_OTHER : 0, 0, s);
	remember_held(to, s);
	return 0;
}

SEC("fexit/security_ptrace_access_check")
int BPF_PROG(fexit_ptrace_access, struct task_struct *child, unsigned int mode, int ret)
{
	if (!uw_live())
		return 0;
	if (ret || (mode & (UW_PTRACE_MODE_ATTACH | UW_PTRACE_MODE_REALCREDS)) !=
			   (UW_PTRACE_MODE_ATTACH | UW_PTRACE_MODE_REALCREDS))
		return 0;
	return hostpower_granted(child, UW_SYS_PTRACE_ACCESS, mode);
}

/* /proc/PID/mem (and /proc/PID/task/TID/mem) asks for PTRACE_MODE_ATTACH; the other files
 * proc_mem_open serves (maps, environ, auxv, pagemap) ask for read access */
SEC("fexit/proc_mem_open")
int BPF_PROG(fexit_proc_mem, struct inode *inode, unsigned int mode, struct mm_struct *ret)
{
	struct proc_inode *pi;
	struct hlist_node *first;
	struct pid *pid;

	if (!uw_live())
		return 0;

	if (mode != UW_PTRACE_MODE_ATTACH || !ret || (unsigned long)ret >= (unsigned long)-4095)
		return 0;
	pi = (struct proc_inode *)((void *)inode - bpf_core_field_offset(struct proc_inode, vfs_inode));
	pid = BPF_CORE_READ(pi, pid);
	first = pid ? BPF_CORE_READ(pid, tasks[PIDTYPE_PID].first) : NULL;
	if (!first)
		return 0;
	return hostpower_granted((struct task_struct *)((void *)first -
					bpf_core_field_offset(struct task_struct, pid_links)),
				 UW_SYS_PROC_MEM, mode);
}

/*
 * Namespace system calls: classic tracepoints (they need tracefs; the loader mounts it). They
 * do not fire for the 32-bit table (x86 ignores compat calls in syscall tracepoints): there,
 * the backstop (check_late) reports a watched process's change at its next exec, fork or exit.
 */
SEC("tracepoint/syscalls/sys_enter_setns")
int enter_setns(struct trace_event_raw_sys_enter *ctx)
{
	if (!uw_live())
		return 0;
	return ns_syscall_enter((__u32)ctx->args[1], (__s32)ctx->args[0], 0);
}

SEC("tracepoint/syscalls/sys_exit_setns")
int exit_setns(struct trace_event_raw_sys_exit *ctx)
{
	if (!uw_live())
		return 0;
	return ns_syscall_exit(ctx->ret, UW_SYS_SETNS);
}

SEC("tracepoint/syscalls/sys_enter_unshare")
int enter_unshare(struct trace_event_raw_sys_enter *ctx)
{
	if (!uw_live())
		return 0;
	return ns_syscall_enter((__u32)ctx->args[0], -1, 1);
}

SEC("tracepoint/syscalls/sys_exit_unshare")
int exit_unshare(struct trace_event_raw_sys_exit *ctx)
{
	if (!uw_live())
		return 0;
	return ns_syscall_exit(ctx->ret, UW_SYS_UNSHARE);
}

/*
 * The same two bodies as fentry/fexit programs on the system call entry points, where the
 * kernel takes them (no tracefs needed); the loader tries these first. The entry points and
 * where their arguments are differ by architecture (include/uw_arch.h, libbpf's
 * PT_REGS_PARM*_CORE_SYSCALL): x86-64 passes them in di, si, arm64 in orig_x0, x1.
 */
SEC("fentry/" UW_SYS(setns))
int BPF_PROG(fentry_setns, const struct pt_regs *regs)
{
	if (!uw_live())
		return 0;
	return ns_syscall_enter((__u32)PT_REGS_PARM2_CORE_SYSCALL(regs), (__s32)PT_REGS_PARM1_CORE_SYSCALL(regs), 0);
}

SEC("fexit/" UW_SYS(setns))
int BPF_PROG(fexit_setns, const struct pt_regs *regs, long ret)
{
	if (!uw_live())
		return 0;
	return ns_syscall_exit(ret, UW_SYS_SETNS);
}

SEC("fentry/" UW_SYS(unshare))
int BPF_PROG(fentry_unshare, const struct pt_regs *regs)
{
	if (!uw_live())
		return 0;
	return ns_syscall_enter((__u32)PT_REGS_PARM1_CORE_SYSCALL(regs), -1, 1);
}

SEC("fexit/" UW_SYS(unshare))
int BPF_PROG(fexit_unshare, const struct pt_regs *regs, long ret)
{
	if (!uw_live())
		return 0;
	return ns_syscall_exit(ret, UW_SYS_UNSHARE);
}

#if UW_HAVE_SYS32
/* x86's 32-bit table (int 0x80, sysenter): its own entry points, arguments in bx, cx */
SEC("fentry/" UW_SYS32(setns))
int BPF_PROG(fentry_setns32, const struct pt_regs *regs)
{
	if (!uw_live())
		return 0;
	return ns_syscall_enter((__u32)BPF_CORE_READ(regs, cx), (__s32)BPF_CORE_READ(regs, bx), 0);
}

SEC("fexit/" UW_SYS32(setns))
int BPF_PROG(fexit_setns32, const struct pt_regs *regs, long ret)
{
	if (!uw_live())
		return 0;
	return ns_syscall_exit(ret, UW_SYS_SETNS);
}

SEC("fentry/" UW_SYS32(unshare))
int BPF_PROG(fentry_unshare32, const struct pt_regs *regs)
{
	if (!uw_live())
		return 0;
	return ns_syscall_enter((__u32)BPF_CORE_READ(regs, bx), -1, 1);
}

SEC("fexit/" UW_SYS32(unshare))
int BPF_PROG(fexit_unshare32, const struct pt_regs *regs, long ret)
{
	if (!uw_live())
		return 0;
	return ns_syscall_exit(ret, UW_SYS_UNSHARE);
}
#endif

#endif /* UW_SYSCALL_H */
