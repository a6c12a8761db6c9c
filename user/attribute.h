/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The attribute stage: which container (and runtime) a process belongs to, why, and the
 * container's runtime metadata. The one resolver the live watch, --once and the audit table
 * use. Its state: the cgroup cache (cgcache.h), what mount namespaces were learned to be whose
 * (nsmemo.h), which container owns a namespace (a /proc scan, cached), the last verdict on each
 * process, and each container's metadata.
 */
#ifndef UW_ATTRIBUTE_H
#define UW_ATTRIBUTE_H

#include <stdint.h>

#include "alert.h"
#include "cgcache.h"
#include "counters.h"
#include "feedback.h"
#include "nsmemo.h"
#include "roots.h"
#include "table.h"

#define UW_METACACHE_MAX 4096
#define UW_OWNERCACHE_MAX 4096
#define UW_OWNER_TTL_NS 1000000000ULL /* namespace inodes are reused: owner answers live 1 s */
#define UW_PIDMEMO_MAX 16384

struct uw_attr {
	const char *procfs;
	const char *host_root;     /* NULL: no runtime metadata */
	struct uw_roots roots;     /* where each engine keeps its containers' files, below it */
	struct uw_ns host;         /* pid_for_children: the host's pid namespace */
	struct uw_cgcache cgc;
	struct uw_table metacache; /* key: runtime NUL id -> struct uw_meta */
	struct uw_table ownercache; /* key: (ns type, inode) -> the owner found, or none */
	struct uw_nsmemo nsmemo;   /* mount namespace <-> container, learned from its processes */
	struct uw_table pidmemo;   /* key: pid -> whether its last task record was a container's,
				    * and the mount namespace it had then */
	uint64_t owner_scans;      /* /proc scans made to find a namespace's container */
};

/*
 * A task record's attribution: its cgroup of origin (provenance: where the runtime placed the
 * process, inherited through fork, uw_event.h), and the container it belongs to and why; now:
 * the cgroup it is in, resolved only when it moved (UW_F_MOVED; else cg is both).
 */
struct uw_attribution {
	struct uw_cgref cg;
	struct uw_cgref now;
	const struct uw_container *c; /* NULL: none (a host process); else into this struct, or
				       * uw_unknown_container */
	enum uw_evidence why;
	struct uw_container owner;  /* the container found through its namespaces */
};

/* roots: the engines' directories below host_root (roots.h), NULL for the defaults */
int uw_attr_init(struct uw_attr *a, const char *procfs, const char *host_root,
		 const struct uw_roots *roots, const struct uw_ns *host, struct uw_cgroups *cg, const struct uw_feedback *kernel,
		 struct uw_counters *counts);
void uw_attr_free(struct uw_attr *a);

/* A task record (in a candidate namespace set or not): its cgroup and container; what it
 * teaches (a container's mount namespace, the verdict on its process) is remembered. */
void uw_attr_task(struct uw_attr *a, const struct uw_task_event *ev, struct uw_attribution *out);
void uw_attribution_free(struct uw_attribution *at);

/* The parts, for a transition, whose states are attributed one by one as judging needs them.
 * pid 0: by cgroup ID only (a cgroup of origin the process may have left). */
void uw_attr_resolve(struct uw_attr *a, uint32_t pid, const struct uw_cgroup_key *cg,
		     struct uw_cgref *out);
/*
 * The container a process in namespace set ns belongs to, and why. By its cgroup, unless it
 * has moved into another container's mount namespace: the cgroup's container is known to live
 * in another mount namespace, and this one is known (or found in /proc) to be another
 * container's; then the container whose namespaces it is in, what it entered (a process of A
 * that joined B's namespaces runs in B). Both facts are needed, so a process that moved cannot
 * make a container's own processes be taken for another's. Without a cgroup naming one: the
 * container owning its mount or pid namespace, or "unknown" for a pid namespace or root
 * directory of its own. NULL when there is none (a host process, a host service with private
 * mounts). owner: storage for a container found through namespaces.
 */
const struct uw_container *uw_attr_container(struct uw_attr *a, uint32_t pid, const struct uw_cgref *res,
					     const struct uw_ns *ns, int root_other,
					     struct uw_container *owner, enum uw_evidence *ev);
/* 0 when the last task record of pid said it was in no container in mount namespace mnt (a
 * setns sequence starting there left no container); else 1. */
int uw_attr_maybe_in_container(struct uw_attr *a, uint32_t pid, uint32_t mnt);
/* The container owning user namespace inum (one of its processes but skip_pid lives in it). */
int uw_attr_user_ns_owner(struct uw_attr *a, uint32_t inum, uint32_t skip_pid, struct uw_container *c);

/* The runtime's metadata of container c (cached), or NULL when it has no ID or none is read. */
const struct uw_meta *uw_attr_meta(struct uw_attr *a, const struct uw_container *c);
/* The container procfs/PID/cgroup names now (the audit of --once). */
int uw_attr_container_of_pid(struct uw_attr *a, int pid, struct uw_container *c);
/* The kernel says a cached cgroup was removed: forget it and, if it was a container's, the
 * container's metadata and mount namespaces (a container restarted under the same ID gets a
 * new cgroup and is read again). */
void uw_attr_cgroup_gone(struct uw_attr *a, const struct uw_cgroup_event *ev);

#endif
