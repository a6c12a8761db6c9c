/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* cgroup path -> container ID, runtime and pod UID. Pure string work, no I/O. */
#ifndef UW_CONTAINER_H
#define UW_CONTAINER_H

#include <stddef.h>

#define UW_CID_LEN 64     /* container IDs are 64 lowercase hex digits */
#define UW_POD_UID_LEN 36 /* 8-4-4-4-12 */

struct uw_container {
	char id[UW_CID_LEN + 1];
	const char *runtime;                /* static string from the pattern table */
	char pod_uid[UW_POD_UID_LEN + 1];   /* "" when not in a Kubernetes pod */
};

/*
 * Finds the outermost container named by the cgroup path (as in /proc/PID/cgroup, v1 or v2).
 * The outermost one is taken because only the host's runtime creates top-level groups, while a
 * process inside a container may create look-alike groups below its own.
 * Returns 1 and fills c when a container is found, 0 otherwise.
 */
int uw_container_from_path(const char *path, size_t len, struct uw_container *c);

#endif
