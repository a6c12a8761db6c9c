/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which container owns a namespace? For a process that joined a container's namespaces
 * without joining its cgroup (nsenter), the container is found through the other processes
 * that live in that namespace.
 */
#ifndef UW_NSOWNER_H
#define UW_NSOWNER_H

#include "container.h"

/*
 * Scans procfs for a process other than skip_pid whose namespace `type` ("mnt", "user", …)
 * has inode inum and whose cgroup names a container (v2 path, else the v1_name hierarchy).
 * Returns 1 and fills c and *found_pid (may be NULL), or 0 when no such process exists.
 * Reads at most 1,000,000 entries.
 */
int uw_ns_owner(const char *procfs, const char *type, unsigned inum, int skip_pid,
		const char *v1_name, struct uw_container *c, int *found_pid);

#endif
