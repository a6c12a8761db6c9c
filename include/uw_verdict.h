/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pure decisions about a task's namespace set, compiled by clang for the BPF programs and by
 * the host compiler for the loader and the unit tests: one logic, tested once.
 */
#ifndef UW_VERDICT_H
#define UW_VERDICT_H

#include "uw_event.h"

#ifndef UW_INLINE
#define UW_INLINE static inline __attribute__((always_inline))
#endif

/*
 * 1 if two 32-bit values differ, else 0, computed without a branch. BPF has no conditional
 * set: every `!=` is a jump, and older verifiers (6.1) give up on programs whose dozens of
 * such jumps combine (one million instructions explored). These helpers keep the decisions
 * straight-line code.
 */
UW_INLINE __u32 uw_ne(__u32 a, __u32 b)
{
	return (__u32)(((__u64)(a ^ b) + 0xffffffffULL) >> 32);
}

/*
 * Can this task be a container process that shares the host's user namespace?
 *
 * It must be in the host user namespace (else CIS 5.31 holds for it) and have at least one
 * other namespace of its own: containers always get a private mount namespace, and with
 * --pid/--net/--uts/--ipc=host they may share every other one, so any difference counts.
 * Host services with private namespaces (systemd PrivateTmp=, PrivateNetwork=) pass this test
 * too; userspace tells them apart by their cgroup and tells the kernel to ignore that cgroup
 * (see uw_ignorable). A task with every namespace of the host's is ordinary host activity.
 */
UW_INLINE int uw_is_candidate(const struct uw_ns *t, const struct uw_ns *host)
{
	return (int)((1 ^ uw_ne(t->user, host->user)) &
		     (uw_ne(t->mnt, host->mnt) | uw_ne(t->pid, host->pid) | uw_ne(t->net, host->net) |
		      uw_ne(t->uts, host->uts) | uw_ne(t->ipc, host->ipc) |
		      uw_ne(t->cgroup, host->cgroup)));
}

/*
 * May a candidate be dropped because userspace found its cgroup (with these namespaces) to be
 * no container? Only while it shares the host pid namespace and the host's root directory: a
 * task with a pid namespace or a root of its own is a container process whatever its cgroup
 * says (runtime "unknown"), so it must always reach userspace. flags: UW_F_* of the task.
 */
UW_INLINE int uw_ignorable(const struct uw_ns *t, const struct uw_ns *host, __u32 flags)
{
	return t->pid == host->pid && !(flags & UW_F_ROOT_OTHER);
}

/*
 * Userspace verdict on a candidate: alert when a container is known for it (its cgroup names
 * one, or it shares a container's namespaces), when it has a pid namespace of its own, or when
 * its root directory is not the host's (a container of a layout we do not know).
 */
UW_INLINE int uw_should_alert(int container_known, const struct uw_ns *t, const struct uw_ns *host,
			      __u32 flags)
{
	if (!uw_is_candidate(t, host))
		return 0;
	return container_known || !uw_ignorable(t, host, flags);
}

/* Two full namespace sets (pid namespace for children included) are the same. */
UW_INLINE int uw_ns_same(const struct uw_ns *a, const struct uw_ns *b)
{
	return (int)(1 ^ (uw_ne(a->user, b->user) | uw_ne(a->mnt, b->mnt) | uw_ne(a->pid, b->pid) |
			  uw_ne(a->net, b->net) | uw_ne(a->uts, b->uts) | uw_ne(a->ipc, b->ipc) |
			  uw_ne(a->cgroup, b->cgroup) | uw_ne(a->pid_for_children, b->pid_for_children)));
}

/*
 * A 64-bit digest of a full namespace set, to remember the other sets a process's threads
 * reached through hooked calls without storing them whole. Inode numbers are allocated by the
 * kernel, not chosen by the process, so a collision cannot be aimed at.
 */
UW_INLINE __u64 uw_ns_hash(const struct uw_ns *n)
{
	__u64 h = 0x9e3779b97f4a7c15ULL;

	h = (h ^ n->user) * 0xff51afd7ed558ccdULL;
	h = (h ^ n->mnt) * 0xc4ceb9fe1a85ec53ULL;
	h = (h ^ n->pid) * 0xff51afd7ed558ccdULL;
	h = (h ^ n->net) * 0xc4ceb9fe1a85ec53ULL;
	h = (h ^ n->uts) * 0xff51afd7ed558ccdULL;
	h = (h ^ n->ipc) * 0xc4ceb9fe1a85ec53ULL;
	h = (h ^ n->cgroup) * 0xff51afd7ed558ccdULL;
	h = (h ^ n->pid_for_children) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

/*
 * CLONE_NEW* bits of the namespaces that were not the host's before and are the host's after:
 * a task leaving a container's namespaces for the host's (the pid namespace counts through the
 * pid namespace for children, which is what setns changes). host->pid_for_children must be host->pid.
 */
UW_INLINE __u32 uw_escape_mask(const struct uw_ns *before, const struct uw_ns *after,
			       const struct uw_ns *host)
{
	__u32 pid_before = uw_ne(before->pid, host->pid) & uw_ne(before->pid_for_children, 0) &
			   uw_ne(before->pid_for_children, host->pid);

	return ((uw_ne(before->user, host->user) & (1 ^ uw_ne(after->user, host->user))) *
		UW_CLONE_NEWUSER) |
	       ((uw_ne(before->mnt, host->mnt) & (1 ^ uw_ne(after->mnt, host->mnt))) * UW_CLONE_NEWNS) |
	       ((pid_before & (1 ^ uw_ne(after->pid_for_children, host->pid))) * UW_CLONE_NEWPID) |
	       ((uw_ne(before->net, host->net) & (1 ^ uw_ne(after->net, host->net))) * UW_CLONE_NEWNET) |
	       ((uw_ne(before->uts, host->uts) & (1 ^ uw_ne(after->uts, host->uts))) * UW_CLONE_NEWUTS) |
	       ((uw_ne(before->ipc, host->ipc) & (1 ^ uw_ne(after->ipc, host->ipc))) * UW_CLONE_NEWIPC) |
	       ((uw_ne(before->cgroup, host->cgroup) & (1 ^ uw_ne(after->cgroup, host->cgroup))) *
		UW_CLONE_NEWCGROUP);
}

/* CLONE_NEW* bits of the namespaces that differ between two sets. */
UW_INLINE __u32 uw_ns_change_mask(const struct uw_ns *a, const struct uw_ns *b)
{
	return (uw_ne(a->user, b->user) * UW_CLONE_NEWUSER) | (uw_ne(a->mnt, b->mnt) * UW_CLONE_NEWNS) |
	       ((uw_ne(a->pid, b->pid) | uw_ne(a->pid_for_children, b->pid_for_children)) * UW_CLONE_NEWPID) |
	       (uw_ne(a->net, b->net) * UW_CLONE_NEWNET) | (uw_ne(a->uts, b->uts) * UW_CLONE_NEWUTS) |
	       (uw_ne(a->ipc, b->ipc) * UW_CLONE_NEWIPC) |
	       (uw_ne(a->cgroup, b->cgroup) * UW_CLONE_NEWCGROUP);
}

/* Every namespace but the user one is the host's (the pid one for children included). */
UW_INLINE int uw_rest_is_host(const struct uw_ns *t, const struct uw_ns *host)
{
	__u32 pidc_other = uw_ne(t->pid_for_children, 0) & uw_ne(t->pid_for_children, host->pid);

	return (int)(1 ^ (uw_ne(t->mnt, host->mnt) | uw_ne(t->pid, host->pid) |
			  uw_ne(t->net, host->net) | uw_ne(t->uts, host->uts) |
			  uw_ne(t->ipc, host->ipc) | uw_ne(t->cgroup, host->cgroup) | pidc_other));
}

/*
 * Is a namespace transition worth sending to userspace? Something must have changed, and it
 * must touch a container: the task was, or now is, outside the host's namespaces (a user
 * namespace of its own counts only before: creating one from the host is host activity).
 * Host-only transitions are sent only when asked for (host_too).
 */
UW_INLINE int uw_transition_wanted(const struct uw_ns *before, const struct uw_ns *after,
				   const struct uw_ns *host, int host_too)
{
	__u32 changed = uw_ns_change_mask(before, after) != 0;
	__u32 touches = uw_ne(before->user, host->user) | (1 ^ (__u32)uw_rest_is_host(before, host)) |
			(1 ^ (__u32)uw_rest_is_host(after, host));

	return (int)(changed & (touches | (host_too != 0)));
}

/*
 * After a setns, is the task inside a container as a person entering it would be: in a mount or
 * pid namespace (or pid namespace for children) that is not the host's? Runtimes and CNI plugins
 * join only network namespaces to set them up; that is plumbing, not entering the container.
 */
UW_INLINE int uw_entered_container(const struct uw_ns *after, const struct uw_ns *host)
{
	return after->mnt != host->mnt || after->pid != host->pid ||
	       (after->pid_for_children != 0 && after->pid_for_children != host->pid);
}

#endif /* UW_VERDICT_H */
