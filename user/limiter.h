/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Alert flood control: per violating container and budget, one alert per distinct program and
 * at most max_alerts; repeats and the alerts over the limit are counted, never hidden. Each
 * kind of event has its own budget, so a flood of one (decoy programs exec'd to use up
 * host_userns alerts) never silences another (a later escape, userns_create, or a process
 * entering the container). A program is its executable file (device and inode), not the path
 * string it was started by.
 */
#ifndef UW_LIMITER_H
#define UW_LIMITER_H

#include <stdint.h>
#include "table.h"

#define UW_LIMITER_MAX_CONTAINERS 65536

/* The budgets: an alert kind, with host_userns split by how the process got there. */
enum uw_budget {
	UW_BUDGET_HOST_USERNS = 0, /* a program running in the container (exec, fork, snapshot) */
	UW_BUDGET_ENTERED,         /* host_userns by a transition: a process entered it (setns) */
	UW_BUDGET_ESCAPE,
	UW_BUDGET_USERNS_CREATE,
	UW_BUDGET_USERNS_ENTER,
	UW_BUDGET_CGROUP_MOVE,
	UW_BUDGET_MAX,
};

/* "host_userns", "host_userns_setns", "escape", "userns_create", "userns_enter", "cgroup_move" */
const char *uw_budget_name(enum uw_budget b);

/* A program's identity: its executable's (device, inode) and a digest of its generation and
 * change time (stamp, 0 when not known), which a file given the inode number of a deleted one
 * does not share; where the kernel could not read them (ino 0), dev holds a digest of the name
 * instead. */
struct uw_prog_id {
	uint64_t dev;
	uint64_t ino;
	uint64_t stamp;
};

struct uw_kstate {
	unsigned alerts;         /* alerts written */
	unsigned nprog, cap;     /* programs alerted on (at most max_alerts), room in progs */
	uint64_t repeats;        /* events for a program already alerted on */
	uint64_t suppressed;     /* events for new programs after the limit */
	uint64_t suppressed_told; /* suppressed as of the last alert_limit record */
	struct uw_prog_id *progs; /* grown by doubling: most containers run a few programs */
};

/* A container's budgets, each allocated on first use (most containers use one). */
struct uw_cstate {
	char runtime[16];
	struct uw_kstate *k[UW_BUDGET_MAX];
};

struct uw_limiter {
	struct uw_table containers; /* key: container key string, value: struct uw_cstate */
	unsigned max_alerts;
	uint64_t repeats;
	uint64_t suppressed;
};

enum uw_limit {
	UW_LIM_ALERT = 0,          /* write the alert */
	UW_LIM_LAST,               /* write it: it is the last one of its kind this container gets */
	UW_LIM_REPEAT,             /* same container, kind and program as an earlier alert */
	UW_LIM_SUPPRESSED,         /* over the container's limit for this kind */
	UW_LIM_SUPPRESSED_FIRST,   /* the same, for the first time: say so now (alert_limit) */
	UW_LIM_NOMEM,
};

int uw_limiter_init(struct uw_limiter *l, unsigned max_alerts, size_t max_containers);
void uw_limiter_free(struct uw_limiter *l);
enum uw_limit uw_limiter_check(struct uw_limiter *l, const char *ckey, const char *runtime,
			       enum uw_budget b, const struct uw_prog_id *prog);
/* The identity of a program known only by name (a seeded digest of the string). */
struct uw_prog_id uw_prog_id_of_name(const struct uw_limiter *l, const char *name);

/* Sums of a container's counters over every budget. */
void uw_cstate_totals(const struct uw_cstate *s, uint64_t *alerts, uint64_t *repeats,
		      uint64_t *suppressed);

/*
 * Calls fn for every (container, budget) whose suppressed count grew since the last call (or
 * since its UW_LIM_SUPPRESSED_FIRST), with the growth, and marks it told. Returns the first
 * non-zero fn result.
 */
/*
 * An alert_limit record: a container's alerts of one kind are now only counted. phase
 * "reached" when it first happens (c: the container, as in its alerts), "ongoing" for the
 * periodic counts (c NULL: the key and runtime say which). since: suppressed since the last
 * record.
 */
struct uw_container;
struct uw_limit_note {
	uint64_t ts_real_ns;
	const char *phase;
	const char *key;           /* the flood-control key: container ID, or runtime:pid ns */
	size_t klen;
	const char *runtime;
	const char *budget;        /* uw_budget_name */
	unsigned limit;
	const struct uw_kstate *k;
	uint64_t since;
	const struct uw_container *c;
};

int uw_limiter_each_new_suppressed(struct uw_limiter *l,
				   int (*fn)(void *ctx, const char *ckey, size_t klen,
					     const struct uw_cstate *s, enum uw_budget b,
					     uint64_t since),
				   void *ctx);

#endif
