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

#endif /* UW_VERDICT_H */
