/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which cgroup's processes live in a mount namespace, learned from container processes named
 * by their cgroup, and the other way round: the mount namespace a container was first seen in.
 * Facts only (cgroup IDs and namespace inodes, 24 bytes an entry): the pipeline derives the
 * container from the cgroup the way it derives every other. Namespace inode numbers are reused
 * as soon as a namespace dies, so an answer about whose a namespace is, is checked before it is
 * given: the process that taught it must still live in that namespace (PROCFS/PID/ns/mnt); an
 * answer that fails the check is forgotten. Bounded: the oldest entry goes first, which only
 * means asking /proc again.
 */
#ifndef UW_NSMEMO_H
#define UW_NSMEMO_H

#include <stdint.h>
#include "container.h"
#include "table.h"

#define UW_NSMEMO_MAX 16384

/* A cgroup: the one that named the container (0: cgroup v2, 1: the v1 hierarchy read). */
struct uw_memo_src {
	uint64_t hier;
	uint64_t id;
};

struct uw_nsmemo {
	const char *procfs;
	uint32_t host_mnt;       /* never learned: the host's mount namespace is nobody's */
	struct uw_table by_mnt;  /* mount namespace inode -> struct uw_memo */
	struct uw_table by_ctr;  /* runtime NUL id -> struct uw_memo (its own mount namespace) */
	uint64_t stale;          /* answers dropped because their process was gone or moved */
};

int uw_nsmemo_init(struct uw_nsmemo *m, const char *procfs, uint32_t host_mnt);
void uw_nsmemo_free(struct uw_nsmemo *m);

/*
 * Process pid of container c (named by cgroup src) lives in mount namespace mnt. The first
 * answer wins both ways: the container's own namespace is the first it was seen in, and a
 * namespace belongs to the first cgroup seen in it.
 */
void uw_nsmemo_learn(struct uw_nsmemo *m, const struct uw_container *c, const struct uw_memo_src *src,
		     uint32_t pid, uint32_t mnt);
/* Only that mnt is the container's of cgroup src (a second mount namespace of its own). */
void uw_nsmemo_learn_mnt(struct uw_nsmemo *m, const struct uw_memo_src *src, uint32_t pid,
			 uint32_t mnt);

/* The cgroup whose container mount namespace mnt belongs to: 1 and *src, or 0 when not known
 * (any more). */
int uw_nsmemo_owner(struct uw_nsmemo *m, uint32_t mnt, struct uw_memo_src *src);
/* Container c's own mount namespace as first seen, or 0 when not known (not checked). */
uint32_t uw_nsmemo_ctr_mnt(struct uw_nsmemo *m, const struct uw_container *c);

/* The cgroup src was removed: forget what it taught about container c. */
void uw_nsmemo_forget(struct uw_nsmemo *m, const struct uw_container *c, const struct uw_memo_src *src);

#endif
