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
	if (t->user != host->user)
		return 0;
	return t->mnt != host->mnt || t->pid != host->pid || t->net != host->net ||
	       t->uts != host->uts || t->ipc != host->ipc || t->cgroup != host->cgroup;
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
	return (a->user != b->user ? UW_CLONE_NEWUSER : 0) | (a->mnt != b->mnt ? UW_CLONE_NEWNS : 0) |
	       (a->pid != b->pid || a->pad != b->pad ? UW_CLONE_NEWPID : 0) |
	       (a->net != b->net ? UW_CLONE_NEWNET : 0) | (a->uts != b->uts ? UW_CLONE_NEWUTS : 0) |
	       (a->ipc != b->ipc ? UW_CLONE_NEWIPC : 0) |
	       (a->cgroup != b->cgroup ? UW_CLONE_NEWCGROUP : 0);
}

/* Every namespace but the user one is the host's (the pid one for children included). */
UW_INLINE int uw_rest_is_host(const struct uw_ns *t, const struct uw_ns *host)
{
	return t->mnt == host->mnt && t->pid == host->pid && t->net == host->net &&
	       t->uts == host->uts && t->ipc == host->ipc && t->cgroup == host->cgroup &&
	       (t->pad == 0 || t->pad == host->pid);
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
	int changed = before->user != after->user || before->mnt != after->mnt ||
		      before->pid != after->pid || before->net != after->net ||
		      before->uts != after->uts || before->ipc != after->ipc ||
		      before->cgroup != after->cgroup || before->pad != after->pad;

	if (!changed)
		return 0;
	if (host_too)
		return 1;
	return before->user != host->user || !uw_rest_is_host(before, host) ||
	       !uw_rest_is_host(after, host);
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
