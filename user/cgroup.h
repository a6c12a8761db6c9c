/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* cgroup hierarchies of this host (v2, v1, hybrid) and cgroup ID -> path. */
#ifndef UW_CGROUP_H
#define UW_CGROUP_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include "uw_event.h"

#define UW_PATH_MAX 4096

struct uw_mount {
	char fstype[16];        /* "cgroup2" or "cgroup" */
	char point[UW_PATH_MAX]; /* mount point, unescaped */
	char root[UW_PATH_MAX];  /* the hierarchy path mounted there ("/" normally) */
	char opts[512];          /* super options: v1 controller names live here */
};

struct uw_hier {
	int fd;                  /* mount point directory, for open_by_handle_at; -1 if none */
	char point[UW_PATH_MAX];
	char root[UW_PATH_MAX];
};

struct uw_cgroups {
	struct uw_hier v2;
	struct uw_hier v1;
	enum uw_cg1 v1_ctrl;     /* controller whose v1 hierarchy the kernel reads; NONE on pure v2 */
	const char *v1_name;     /* its name as in /proc/PID/cgroup ("pids"), or NULL */
	uint32_t v1_hier;        /* its hierarchy ID (first column of /proc/PID/cgroup), 0 if none */
};

/* Parses one /proc/PID/mountinfo line; 1 if it is a cgroup or cgroup2 mount, else 0. */
int uw_parse_mountinfo_line(const char *line, struct uw_mount *m);

/* The hierarchy ID of v1 controller `name` in a /proc/PID/cgroup file; 0 if not there. */
uint32_t uw_cgroup_hierarchy_id(const char *proc_cgroup, const char *name);
uint32_t uw_cgroup_hierarchy_id_f(FILE *f, const char *name);

/*
 * The next whole line of f into buf (its newline removed): 1, or 0 at the end. A line longer
 * than buf is skipped whole, so its tail is never read as a line of its own.
 */
int uw_read_line(FILE *f, char *buf, size_t cap);

/*
 * Finds the cgroup2 mount and picks one v1 hierarchy with a controller (pids, memory, cpu, …
 * in that order) from a mountinfo file. Returns 0, or -1 with a sentence in err when there is no
 * cgroup hierarchy at all.
 */
int uw_cgroups_open(struct uw_cgroups *cg, const char *mountinfo, char *err, size_t errlen);
void uw_cgroups_close(struct uw_cgroups *cg);

/*
 * The path of cgroup `id` inside its hierarchy ("/docker/<id>"), found by opening the cgroup
 * by its file handle (its ID) and reading the link: works for short-lived processes too.
 * Returns 0, or -errno (-ESTALE: the cgroup is gone; -ENOENT: no such hierarchy).
 */
int uw_cgroup_path_by_id(const struct uw_cgroups *cg, int v1, uint64_t id, char *out, size_t outlen);

/*
 * Fallback: the v2 ("0::") and selected v1 paths from procfs/PID/cgroup. Either output may be
 * NULL. Returns 0 or -errno (the process is gone).
 */
int uw_cgroup_paths_of_pid(const char *procfs, int pid, const char *v1_name, char *v2,
			   size_t v2len, char *v1, size_t v1len);
/* The same from an open /proc/PID/cgroup stream. */
void uw_cgroup_paths_parse(FILE *f, const char *v1_name, char *v2, size_t v2len, char *v1,
			   size_t v1len);

#endif
