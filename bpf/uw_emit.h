/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Records for userspace (task, transition) and the per-process state behind them: what was
 * reported, what the kernel last saw, and late detection of changes no hook saw.
 */
#ifndef UW_EMIT_H
#define UW_EMIT_H

/*
 * Waking the consumer from inside a hook lets the scheduler switch to it right there, so the
 * traced task pays for userspace's work (measured: 26 us instead of 2 us per exec). Userspace
 * drains the ring buffer every millisecond while records flow, and every 5 ms once none came
 * for UW_IDLE_NS (user/main.c keeps the same figure); so a wakeup is forced only for the first
 * record after such a quiet spell (which would otherwise wait up to 5 ms), and once a quarter
 * of the ring is pending, so that a burst is drained at once instead of overflowing. Repeats
 * are decided without a record (uw_repeat.h): records, and so wakeups, are rare.
 */
#define UW_IDLE_NS 50000000ULL
__u64 last_record_ns = 0;

UW_INLINE __u64 wakeup_flags(void)
{
	__u64 pending = bpf_ringbuf_query(&events_map, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(&events_map, BPF_RB_RING_SIZE);
	__u64 now = bpf_ktime_get_ns(), last = last_record_ns;

	last_record_ns = now;
	return pending > size / 4 || now - last > UW_IDLE_NS ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/*
 * The task's credentials, read from one pointer: real and effective uid, and the effective
 * capabilities (cred_cap_effective: either layout of kernel_cap_t). Here and below, `direct`
 * as for UW_RD: plain loads where t is a BTF pointer (the tp_btf hooks, the iterator).
 */
#define fill_cred(ev, t, direct)                                                        \
	do {                                                                            \
		const struct cred *c_ = UW_RD(direct, t, real_cred);                   \
		(ev)->uid = UW_RD(direct, c_, uid.val);                                 \
		(ev)->euid = UW_RD(direct, c_, euid.val);                               \
		(ev)->cap_effective = cred_cap_effective(c_, direct);                  \
	} while (0)

/* The head task and transition records share: header, the task's IDs, credentials and comm. */
#define fill_head(ev, t, rtype, direct)                                                 \
	do {                                                                            \
		(ev)->hdr.type = (rtype);                                               \
		(ev)->hdr.size = sizeof(*(ev));                                         \
		(ev)->hdr.ts_ns = bpf_ktime_get_boot_ns();                              \
		(ev)->pid = UW_RD(direct, t, tgid);                                     \
		(ev)->ppid = UW_RD(direct, t, real_parent, tgid);                       \
		fill_cred(ev, t, direct);                                               \
		BPF_CORE_READ_STR_INTO(&(ev)->comm, t, comm);                           \
	} while (0)

/* Where a process comes from (provenance): its container of origin's cgroups, and how the
 * kernel knows. */
struct uw_origin {
	struct uw_cgroup_key cg;
	__u32 how;  /* enum uw_origin_how */
	__u64 base; /* a setup process's host lineage namespaces (uw_seen.base) */
};

UW_INLINE int cg_same(const struct uw_cgroup_key *a, const struct uw_cgroup_key *b)
{
	return a->cgroup_id == b->cgroup_id && a->cgroup1_id == b->cgroup1_id;
}

UW_INLINE void fill(struct uw_task_event *ev, struct task_struct *t, __u32 source,
		    const struct uw_ns *ns, const struct uw_cgroup_key *cg, __u32 flags,
		    const struct uw_origin *o, const struct uw_repeat_key *rk, int direct)
{
	fill_head(ev, t, UW_T_TASK, direct);
	ev->source = source;
	ev->flags = flags | (cg_same(cg, &o->cg) ? 0 : UW_F_MOVED);
	ev->cgroup_id = cg->cgroup_id;
	ev->cgroup1_id = cg->cgroup1_id;
	ev->ns = *ns;
	ev->origin = o->cg;
	ev->origin_how = o->how;
	if (rk) {
		ev->repeat = *rk;
		ev->flags |= UW_F_REPEAT_KEY;
	} else {
		__builtin_memset(&ev->repeat, 0, sizeof(ev->repeat));
	}
	ev->exe[0] = 0;
	ev->exe_ino = 0;
	ev->exe_dev = 0;
}

/* The running executable (mm->exe_file): identity, base name, unlinked flag. */
UW_INLINE void fill_exe_mm(struct uw_task_event *ev, struct task_struct *t, int direct)
{
	struct file *f = UW_RD(direct, t, mm, exe_file);

	if (f)
		ev->flags |= read_file_id(f, &ev->exe_ino, &ev->exe_dev, ev->exe, direct);
}

/* "/dev/fd/" as one little-endian word: the name execve is given for an fd (fexecve). */
#define UW_DEV_FD_WORD 0x2f64662f7665642fULL

/* The program being executed: the path execve was given, or for an fd its base name. */
UW_INLINE void fill_exe_bprm(struct uw_task_event *ev, struct linux_binprm *bprm, int direct)
{
	const char *fn = UW_RD(direct, bprm, filename);
	struct file *f = UW_RD(direct, bprm, file);
	__u64 word = 0;
	long n;

	bpf_probe_read_kernel(&word, sizeof(word), fn);
	if (word == UW_DEV_FD_WORD) {
		ev->flags |= UW_F_EXE_FD | read_file_id(f, &ev->exe_ino, &ev->exe_dev, ev->exe, direct);
		return;
	}
	ev->flags |= read_file_id(f, &ev->exe_ino, &ev->exe_dev, NULL, direct);
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
}

/*
 * The short form of a task record (uw_event.h) for a task with no bprm: its executable's base
 * name, read from the dentry, is under UW_EXE_SHORT - 1 bytes (a rename since then can only cut
 * it: flagged truncated). Returns as submit does.
 */
UW_INLINE int submit_short(struct task_struct *t, __u32 source, const struct uw_ns *ns,
			   const struct uw_cgroup_key *cg, __u32 flags, const struct uw_origin *o,
			   const struct uw_repeat_key *rk, struct file *f, int direct)
{
	struct uw_task_event *ev = bpf_ringbuf_reserve(&events_map, UW_TASK_SHORT_SIZE, 0);
	const unsigned char *n;
	struct inode *inode;
	long len;

	if (!ev) {
		count(UW_C_LOST);
		return 0;
	}
	fill(ev, t, source, ns, cg, flags, o, rk, direct);
	ev->hdr.size = UW_TASK_SHORT_SIZE;
	if (f) {
		inode = UW_RD(direct, f, f_inode);
		n = UW_RD(direct, f, f_path.dentry, d_name.name);
		ev->exe_ino = UW_RD(direct, inode, i_ino);
		ev->exe_dev = UW_RD(direct, inode, i_sb, s_dev);
		if (inode && UW_RD(direct, inode, __i_nlink) == 0)
			ev->flags |= UW_F_EXE_UNLINKED;
		len = n ? bpf_probe_read_kernel_str(ev->exe, UW_EXE_SHORT, n) : 0;
		if (len == UW_EXE_SHORT)
			ev->flags |= UW_F_EXE_TRUNCATED;
	}
	bpf_ringbuf_submit(ev, wakeup_flags());
	count(UW_C_SENT);
	return 1;
}

/*
 * A task record, carrying its repeat-cache key rk (NULL: none); returns 1 when it reached the
 * ring buffer, 0 when it was lost (counted). An exec's is whole (the path execve was given); a
 * fork's is short when the name fits.
 */
UW_INLINE int submit(struct task_struct *t, __u32 source, const struct uw_ns *ns,
		     const struct uw_cgroup_key *cg, __u32 flags, const struct uw_origin *o,
		     const struct uw_repeat_key *rk, struct linux_binprm *bprm, int direct)
{
	struct uw_task_event *ev;
	struct file *f;

	if (!bprm) {
		f = UW_RD(direct, t, mm, exe_file);
		if (!f || UW_RD(direct, f, f_path.dentry, d_name.len) < UW_EXE_SHORT - 1)
			return submit_short(t, source, ns, cg, flags, o, rk, f, direct);
	}
	ev = bpf_ringbuf_reserve(&events_map, sizeof(*ev), 0);
	if (!ev) {
		count(UW_C_LOST);
		return 0;
	}
	fill(ev, t, source, ns, cg, flags, o, rk, direct);
	if (bprm)
		fill_exe_bprm(ev, bprm, direct);
	else
		fill_exe_mm(ev, t, direct);
	bpf_ringbuf_submit(ev, wakeup_flags());
	count(UW_C_SENT);
	return 1;
}

#define UW_ENOENT 2 /* errno-base.h */
#define UW_EEXIST 17

/*
 * Remembers a watched process (known: the caller found its entry, which is rewritten where it
 * still is); a failed insert is counted, never silent. A new entry's slot (seen_slots) is
 * raised before the insert and lowered again if the insert adds nothing.
 */
UW_INLINE void remember(__u32 tgid, const struct uw_ns *ns, const struct uw_cgroup_key *cg,
			const struct uw_origin *o, __u32 flags, int known)
{
	struct uw_seen s = { .ns = *ns, .cg = *cg, .origin = o->cg, .origin_how = o->how, .flags = flags,
			     .base = o->base };
	long err;

	if (known) {
		err = bpf_map_update_elem(&seen_map, &tgid, &s, BPF_EXIST);
		if (err != -UW_ENOENT) {
			if (err)
				count(UW_C_SEEN_FULL);
			return;
		}
	}
	seen_slot_add(tgid, 1);
	err = bpf_map_update_elem(&seen_map, &tgid, &s, BPF_NOEXIST);
	if (!err)
		return;
	seen_slot_add(tgid, -1);
	if (err != -UW_EEXIST || bpf_map_update_elem(&seen_map, &tgid, &s, BPF_EXIST))
		count(UW_C_SEEN_FULL);
}

/*
 * Forgets a process the kernel watched that userspace has found to be a host service's (its
 * cgroup and namespaces are in the ignore map): its children are of host lineage. The slot is
 * lowered after a delete that succeeded, as at exit.
 */
UW_INLINE void forget(__u32 tgid)
{
	if (!bpf_map_delete_elem(&seen_map, &tgid))
		seen_slot_add(tgid, -1);
}

/*
 * Marks tgid as taken hold of by a process of state `by` (UW_SEEN_HELD): its origin is by's
 * from now on, unless it is of that origin already, or held already.
 */
UW_INLINE void remember_held(__u32 tgid, const struct uw_seen *by)
{
	struct uw_seen h = { .origin = by->origin, .origin_how = UW_ORIGIN_HELD,
			     .flags = UW_SEEN_HELD | UW_SEEN_REPORTED };
	struct uw_seen *cur = bpf_map_lookup_elem(&seen_map, &tgid);

	/* watched already: a process of the same origin stays as it is, and so does one held
	 * already; any other (a runtime's setup process, another container's) is taken hold of:
	 * its setup ends, its later programs are the holder's */
	if (cur) {
		if ((cur->flags & UW_SEEN_HELD) ||
		    (!(cur->flags & UW_SEEN_SETUP) && cur->origin.cgroup_id == by->origin.cgroup_id &&
		     cur->origin.cgroup1_id == by->origin.cgroup1_id))
			return;
		cur->origin = by->origin;
		cur->origin_how = UW_ORIGIN_HELD;
		cur->flags = (cur->flags & ~UW_SEEN_SETUP) | UW_SEEN_HELD | UW_SEEN_REPORTED;
		__sync_fetch_and_add(&held_count, 1);
		return;
	}
	seen_slot_add(tgid, 1);
	if (bpf_map_update_elem(&seen_map, &tgid, &h, BPF_NOEXIST))
		seen_slot_add(tgid, -1);
	else
		__sync_fetch_and_add(&held_count, 1);
}

/*
 * A hold taken on a thread by its own ID (process_vm_writev seen by its tracepoint, which has
 * only the ID the call named) ends with the thread: at its exec it becomes the process's (the
 * thread now leads it, under the process's ID), at its exit it is forgotten (the ID may next
 * name another process). Asked only while some process is held.
 */
static __noinline int held_thread_ends(__u32 tid, __u32 tgid, int to_process)
{
	struct uw_seen *s;

	if (tid == tgid)
		return 0;
	s = seen_lookup(tid);
	if (!s || !(s->flags & UW_SEEN_HELD))
		return 0;
	if (to_process)
		remember_held(tgid, s);
	if (!bpf_map_delete_elem(&seen_map, &tid)) {
		seen_slot_add(tid, -1);
		__sync_fetch_and_add(&held_count, -1);
	}
	return 0;
}

/* Is ns one of the sets this process is known to be in? */
UW_INLINE int seen_knows(const struct uw_seen *s, const struct uw_ns *ns)
{
	__u64 h;

	if (uw_ns_same(&s->ns, ns))
		return 1;
	h = uw_ns_hash(ns);
	return h == s->alt[0] || h == s->alt[1];
}

/* The process is now in ns (a hooked transition, or a late one being reported). */
UW_INLINE void seen_moved(struct uw_seen *s, const struct uw_ns *ns)
{
	s->alt[1] = s->alt[0];
	s->alt[0] = uw_ns_hash(&s->ns);
	s->ns = *ns;
}

/*
 * Sends a transition of task t from before to after. tflags UW_TF_LATE: a change no hook saw,
 * found by `source` (exec, fork or exit); it is always sent (the process was watched).
 */
UW_INLINE void send_transition(struct task_struct *t, __u32 syscall, __u32 flags, __s32 fd,
			       const struct uw_ns *before, const struct uw_ns *after, __u32 tflags,
			       __u32 source, const struct uw_seen *s)
{
	struct uw_transition_event *ev;
	struct uw_cgroup_key cg = {};
	struct user_namespace *uns;
	struct file *f;

	ev = bpf_ringbuf_reserve(&events_map, sizeof(*ev), 0);
	if (!ev) {
		count(UW_C_LOST);
		return;
	}
	read_cgroups(t, &cg, 0);
	fill_head(ev, t, UW_T_TRANSITION, 0);
	ev->syscall = syscall;
	ev->flags = flags;
	ev->fd = fd;
	uns = BPF_CORE_READ(t, real_cred, user_ns);
	ev->userns_level = BPF_CORE_READ(uns, level);
	ev->userns_parent = BPF_CORE_READ(uns, parent, ns.inum);
	ev->tflags = tflags;
	ev->source = source;
	ev->cgroup_id = cg.cgroup_id;
	ev->cgroup1_id = cg.cgroup1_id;
	ev->before = *before;
	ev->after = *after;
	/* a process never watched has no lineage the kernel knows: where it is now */
	ev->origin = s ? s->origin : cg;
	ev->origin_how = s ? s->origin_how : UW_ORIGIN_UNKNOWN;
	ev->pad = 0;
	ev->exe[0] = 0;
	ev->exe_ino = 0;
	ev->exe_dev = 0;
	f = BPF_CORE_READ(t, mm, exe_file); /* none at exit: the mm is gone */
	if (f && read_file_id(f, &ev->exe_ino, &ev->exe_dev, ev->exe, 0))
		ev->tflags |= UW_TF_EXE_UNLINKED;
	bpf_ringbuf_submit(ev, wakeup_flags());
	count(UW_C_SENT);
}

/* A hooked transition; the decision is uw_transition_wanted. */
/*
 * A hooked transition; the decision is uw_transition_wanted. s: the process's state (NULL: not
 * watched). One of the runtime's setup (UW_TF_SETUP) is counted and sent only with
 * host_transitions: the container is judged by the programs it runs.
 */
UW_INLINE void transition(struct task_struct *t, __u32 syscall, __u32 flags, __s32 fd,
			  const struct uw_ns *before, const struct uw_ns *after, __u32 tflags,
			  const struct uw_seen *s)
{
	struct uw_ns host;

	load_host_ns(&host);
	if (!uw_transition_wanted(before, after, &host, host_transitions))
		return;
	if (tflags & UW_TF_SETUP) {
		count(UW_C_SETUP);
		if (!host_transitions)
			return;
	}
	send_transition(t, syscall, flags, fd, before, after, tflags, 0, s);
}

/*
 * The backstop: t (of watched process s) is in ns. If that is none of the sets the process is
 * known to be in, its namespaces changed where no hook looked (the 32-bit system call table on
 * a kernel without fentry, a call we do not hook): report it as late, found by `source`.
 */
UW_INLINE void check_late(struct task_struct *t, struct uw_seen *s, const struct uw_ns *ns,
			  __u32 source)
{
	struct uw_ns before;

	if (seen_knows(s, ns))
		return;
	before = s->ns;
	count(UW_C_LATE);
	send_transition(t, UW_SYS_UNKNOWN, uw_ns_change_mask(&before, ns), -1, &before, ns,
			UW_TF_LATE | (s->flags & UW_SEEN_ROOT_OTHER ? UW_TF_ROOT_OTHER : 0) |
				(s->flags & UW_SEEN_SETUP ? UW_TF_SETUP : 0),
			source, s);
	seen_moved(s, ns);
}

/*
 * t (of watched process s, in ns) is in cgroups cg. A container process found in cgroups other
 * than the ones it was last seen in has moved (a write to cgroup.procs, its own or another's):
 * reported once (UW_SYS_CGROUP_MOVE, found by `source`); its origin stays. A process of the
 * runtime's setup is still being placed: its origin follows it.
 */
UW_INLINE void check_moved(struct task_struct *t, struct uw_seen *s, const struct uw_ns *ns,
			   const struct uw_cgroup_key *cg, __u32 source)
{
	if (cg_same(&s->cg, cg))
		return;
	if (s->flags & UW_SEEN_SETUP) {
		s->origin = *cg;
	} else {
		count(UW_C_MOVED);
		send_transition(t, UW_SYS_CGROUP_MOVE, 0, -1, ns, ns,
				s->flags & UW_SEEN_ROOT_OTHER ? UW_TF_ROOT_OTHER : 0, source, s);
	}
	s->cg = *cg;
}

#endif /* UW_EMIT_H */
