/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A task's cgroup, by ID (which works after the process is gone) or from procfs, and the
 * container its path names: part of attribution (attribute.h). Resolved cgroups are cached
 * (bounded) and each is handed to the kernel to report its removal (feedback.h), which forgets
 * it here.
 */
#ifndef UW_CGCACHE_H
#define UW_CGCACHE_H

#include <stdint.h>

#include "cgroup.h"
#include "container.h"
#include "counters.h"
#include "feedback.h"
#include "table.h"

#define UW_CGCACHE_MAX 16384

/* A task's cgroup path and the container it names (a copy the caller owns). */
struct uw_cginfo {
	int found;                   /* a container matched the path */
	struct uw_container c;
	char path[];
};

/* The cgroup resolve chose for a task: the hierarchy that names the container, or the best
 * path. ci is always the caller's own copy, never an entry of the bounded cache (later steps
 * add to the cache, which may evict an entry a pointer would still point at). */
struct uw_cgref {
	struct uw_cginfo *ci;        /* NULL when nothing could be resolved; free with uw_cgref_free */
	uint64_t id;
	const char *hier;            /* "v2" or "v1:<controller>" */
	int known;                   /* every hierarchy resolved by ID: "no container" is a fact */
};

struct uw_cgcache {
	const char *procfs;
	struct uw_cgroups *cg;
	struct uw_table t;           /* key: (hierarchy, cgroup id) -> the path and its container */
	char hier1[32];              /* "v1:<controller>", the label of the v1 hierarchy */
	const struct uw_feedback *kernel;
	struct uw_counters *counts;  /* unresolved, cgroups_removed, watch_failed */
};

int uw_cgcache_init(struct uw_cgcache *cc, const char *procfs, struct uw_cgroups *cg,
		    const struct uw_feedback *kernel, struct uw_counters *counts);
void uw_cgcache_free(struct uw_cgcache *cc);

/* Finds the hierarchy that names the container (v2 first, then the v1 one the kernel reads): by
 * cgroup ID, else from procfs/PID/cgroup (pid 0: by ID only, for cgroups pid is not in now). */
void uw_cgcache_resolve(struct uw_cgcache *cc, uint32_t pid, const struct uw_cgroup_key *cg,
			struct uw_cgref *out);
void uw_cgref_free(struct uw_cgref *r);

/* The container whose cgroup is (v1 ? the v1 hierarchy : cgroup2, id): 1 and *c, else 0. */
int uw_cgcache_container(struct uw_cgcache *cc, int v1, uint64_t id, struct uw_container *c);

/* The container procfs/PID/cgroup names now, chosen as uw_cgcache_resolve chooses from procfs
 * (the cgroup2 path's, else the v1 one's): --once's audit of every process. */
int uw_cgcache_container_of_pid(struct uw_cgcache *cc, int pid, struct uw_container *c);

/* A cached cgroup was removed: forgets it. Returns 1 with the container its path named in *c
 * (whose other state the caller forgets), else 0. */
int uw_cgcache_gone(struct uw_cgcache *cc, const struct uw_cgroup_event *ev, struct uw_container *c);

#endif
