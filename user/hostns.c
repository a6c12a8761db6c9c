// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "hostns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int uw_parse_ns_link(const char *link, const char *type, unsigned *inum)
{
	size_t tl = strlen(type);
	unsigned long v;
	char *end;

	if (strncmp(link, type, tl) || link[tl] != ':' || link[tl + 1] != '[')
		return -1;
	/* the kernel's own form only: "type:[inode]", decimal, no sign, space or leading zero */
	if (link[tl + 2] < '1' || link[tl + 2] > '9')
		return -1;
	errno = 0;
	v = strtoul(link + tl + 2, &end, 10);
	if (errno || end[0] != ']' || end[1] || v == 0 || v > 0xffffffffUL)
		return -1;
	*inum = (unsigned)v;
	return 0;
}

int uw_read_ns(const char *procfs, int pid, const char *type, unsigned *inum)
{
	char path[4096], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%d/ns/%s", procfs, pid, type);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	link[n] = 0;
	return uw_parse_ns_link(link, type, inum) ? -EINVAL : 0;
}

/* PID 2 of a host procfs is kthreadd, child of the idle task (ppid 0). */
static int is_kthreadd(const char *procfs)
{
	char path[4096], buf[256];
	FILE *f;
	int ppid = -1;
	size_t n;

	snprintf(path, sizeof(path), "%s/2/stat", procfs);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	if (strncmp(buf, "2 (kthreadd) ", 13))
		return 0;
	if (sscanf(buf + 13, "%*c %d", &ppid) != 1)
		return 0;
	return ppid == 0;
}

static const char *const ns_types[] = { "user", "mnt", "pid", "net", "uts", "ipc", "cgroup" };

static int read_all(const char *procfs, int pid, struct uw_ns *ns, int *bad_errno,
		    const char **bad_type)
{
	unsigned *dst[] = { &ns->user, &ns->mnt, &ns->pid, &ns->net, &ns->uts, &ns->ipc, &ns->cgroup };
	size_t i;
	int rc;

	memset(ns, 0, sizeof(*ns));
	for (i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++) {
		rc = uw_read_ns(procfs, pid, ns_types[i], dst[i]);
		if (rc) {
			*bad_errno = -rc;
			*bad_type = ns_types[i];
			return -1;
		}
	}
	return 0;
}

int uw_read_all_ns(const char *procfs, int pid, struct uw_ns *ns)
{
	const char *bad_type;
	int bad_errno = 0;

	return read_all(procfs, pid, ns, &bad_errno, &bad_type) ? -bad_errno : 0;
}

int uw_host_ns(const char *procfs, struct uw_ns *ns, int *from_pid, char *err, size_t errlen)
{
	const char *bad_type = "";
	int bad_errno = 0, e2 = 0;
	const char *t2 = "";

	if (read_all(procfs, 1, ns, &bad_errno, &bad_type) == 0) {
		*from_pid = 1;
		return 0;
	}
	if (is_kthreadd(procfs) && read_all(procfs, 2, ns, &e2, &t2) == 0) {
		*from_pid = 2;
		return 0;
	}
	snprintf(err, errlen,
		 "cannot read the host's %s namespace from %s/1/ns/%s (%s); is %s the host's /proc "
		 "(see --procfs)?",
		 bad_type, procfs, bad_type, strerror(bad_errno), procfs);
	return -1;
}
