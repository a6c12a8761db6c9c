// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "nsowner.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "hostns.h"

int uw_ns_owner(const char *procfs, const char *type, unsigned inum, int skip_pid,
		const char *v1_name, struct uw_container *c, int *found_pid)
{
	char p2[UW_PATH_MAX], p1[UW_PATH_MAX];
	struct dirent *de;
	unsigned long seen = 0;
	int found = 0;
	DIR *d;

	if (!inum)
		return 0;
	d = opendir(procfs);
	if (!d)
		return 0;
	while (!found && (de = readdir(d)) && seen++ < 1000000) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		unsigned v;

		if (*end || pid <= 0 || pid == skip_pid)
			continue;
		if (uw_read_ns(procfs, (int)pid, type, &v) || v != inum)
			continue;
		if (uw_cgroup_paths_of_pid(procfs, (int)pid, v1_name, p2, sizeof(p2), p1, sizeof(p1)))
			continue;
		found = uw_container_from_path(p2, sizeof(p2), c) ||
			uw_container_from_path(p1, sizeof(p1), c);
		if (found && found_pid)
			*found_pid = (int)pid;
	}
	closedir(d);
	return found;
}
