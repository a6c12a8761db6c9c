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
 * May a candidate be dropped because userspace found its cgroup to be no container?
 * Only while it shares the host pid namespace: a task with a pid namespace of its own is
 * reported even from an unknown cgroup (runtime "unknown"), so it must always reach userspace.
 */
UW_INLINE int uw_ignorable(const struct uw_ns *t, const struct uw_ns *host)
{
	return t->pid == host->pid;
}

/*
 * Userspace verdict on a candidate: alert when its cgroup names a container, or when it has a
 * pid namespace of its own (a container of a layout we do not know).
 */
UW_INLINE int uw_should_alert(int container_known, const struct uw_ns *t, const struct uw_ns *host)
{
	if (!uw_is_candidate(t, host))
		return 0;
	return container_known || t->pid != host->pid;
}

/* CLONE_NEW* bits of the namespaces that differ between two sets. */
UW_INLINE __u32 uw_ns_change_mask(const struct uw_ns *a, const struct uw_ns *b)
{
	return (uw_ne(a->user, b->user) * UW_CLONE_NEWUSER) | (uw_ne(a->mnt, b->mnt) * UW_CLONE_NEWNS) |
	       ((uw_ne(a->pid, b->pid) | uw_ne(a->pad, b->pad)) * UW_CLONE_NEWPID) |
	       (uw_ne(a->net, b->net) * UW_CLONE_NEWNET) | (uw_ne(a->uts, b->uts) * UW_CLONE_NEWUTS) |
	       (uw_ne(a->ipc, b->ipc) * UW_CLONE_NEWIPC) |
	       (uw_ne(a->cgroup, b->cgroup) * UW_CLONE_NEWCGROUP);
}

/* Every namespace but the user one is the host's (the pid one for children included). */
UW_INLINE int uw_rest_is_host(const struct uw_ns *t, const struct uw_ns *host)
{
	__u32 pad_other = uw_ne(t->pad, 0) & uw_ne(t->pad, host->pid);

	return (int)(1 ^ (uw_ne(t->mnt, host->mnt) | uw_ne(t->pid, host->pid) |
			  uw_ne(t->net, host->net) | uw_ne(t->uts, host->uts) |
			  uw_ne(t->ipc, host->ipc) | uw_ne(t->cgroup, host->cgroup) | pad_other));
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
	       (after->pad != 0 && after->pad != host->pid);
}

#endif /* UW_VERDICT_H */
