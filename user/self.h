/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * userns-watch itself. A sidecar in the host user namespace is a container process like any
 * other: its own process's first record becomes the "self" record (once, never an alert) and
 * the rest are counted; anything else in its container is judged. When the snapshot does not
 * meet it (it runs on the host), the self record is made from its own /proc/self.
 */
#ifndef UW_SELF_H
#define UW_SELF_H

#include <stdint.h>

#include "alert.h"
#include "cgroup.h"
#include "counters.h"

struct uw_self {
	uint32_t pid;   /* userns-watch's own PID in the host's procfs; 0: not known */
	int written;    /* the self record has been written */
	struct uw_container c; /* the container it runs in: its cgroup at start (before the
				* snapshot), then its self record's provenance; id "" when none. Only
				* with a mount namespace of its own: a watch in the host's (a host
				* service) is in no container, whatever cgroup it was moved into */
	uint32_t mnt;          /* its mount namespace: a process is of its container only when it
				* shares it too (set by the runtime; writing a cgroup does not give
				* it), 0 when not known */
	int have_start_caps;
	uint64_t start_caps; /* its effective capabilities before the sandbox cut them: the self
			      * record says what it was given (it is written after the cut) */
};

/* Learns the PID the host's procfs shows for this process (procfs/self): 0 when it does not;
 * and the capabilities it holds now (called before the sandbox). */
uint32_t uw_self_find(struct uw_self *s, const char *procfs);

/* The self gate: 0 when a is about another process; else 1 (counted: self_records), with
 * *first set when a is to become the self record (uw_self_record). */
int uw_self_gate(struct uw_self *s, const struct uw_alert *a, struct uw_counters *counts, int *first);

/* Makes alert a the self record (marked written), and learns its container from it; its
 * metadata is the caller's to add. */
void uw_self_record(struct uw_self *s, struct uw_alert *a, uint32_t host_user);
/* Whether a process of container c in mount namespace mnt is of the container userns-watch
 * runs in: the same container, and the watch's own mount namespace. */
int uw_self_container_is(const struct uw_self *s, const struct uw_container *c, uint32_t mnt);
/* Learns the container of the watch's own process at start: its cgroup now (it has just
 * started), kept only when its mount namespace is not the host's (host_mnt). */
struct uw_attr;
void uw_self_learn(struct uw_self *s, struct uw_attr *attr, const char *procfs, uint32_t host_mnt);

/* What the self record of this process points at when it is made here. */
struct uw_self_store {
	char comm[UW_COMM_LEN + 1];
	char exe[4096];
	char cgpath[UW_PATH_MAX];
	struct uw_ns ns;
};

/* The self record of this process, read from procfs and /proc/self, at now_real_ns: it runs
 * outside any container (runtime "host"). */
void uw_self_describe(struct uw_self *s, const char *procfs, const struct uw_ns *host,
		      uint64_t now_real_ns, struct uw_self_store *st, struct uw_alert *a);

#endif
