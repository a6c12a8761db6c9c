/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --once in text: the table that answers the CIS question for every container at a glance. */
#ifndef UW_AUDIT_H
#define UW_AUDIT_H

#include <stddef.h>
#include <stdio.h>
#include "container.h"
#include "table.h"

struct uw_attr;
struct uw_clock;
struct uw_policy;
struct uw_self;

/* One container found by the audit: its processes, and how many run in the host's user
 * namespace; the policy rule that allows that, if one does. */
struct uw_audit_row {
	struct uw_container c;
	unsigned procs, host_procs;
	unsigned foreign;         /* of the watch's own container by cgroup, not by mount namespace:
				   * put there by a cgroup write, its "self: true" rule does not hold */
	const char *allowed_by;
};

/* Every container found, FAIL first, then ALLOWED, then PASS. */
struct uw_audit {
	struct uw_table t;        /* runtime NUL id -> row (owns them) */
	struct uw_audit_row **v;  /* sorted */
	size_t n, fails, allowed;
	size_t unlisted;          /* processes of containers beyond the table's bound */
};

/* Scans the host's procfs (attr->procfs) as the table below describes, each process's
 * container named by attribution (attribute.h), allowed by a rule of policy (may be NULL) at
 * clock's time; self: userns-watch itself (what "self: true" matches: its container, for a row
 * whose every process shares its mount namespace), or NULL. 0, or -1 (out of memory). */
int uw_audit_collect(struct uw_attr *attr, struct uw_policy *policy, const struct uw_clock *clock,
		     const struct uw_self *self, struct uw_audit *a);
void uw_audit_free(struct uw_audit *a);

/*
 * Writes the audit t as one table to f: verdict (FAIL when any process of the container is in
 * the host's user namespace and no rule allows it, ALLOWED with the rule, else PASS), runtime,
 * short ID, name, image, user namespace (host or own) and processes seen, FAIL first. Returns
 * 0, or -1 when f could not be written.
 */
int uw_audit_table(struct uw_attr *attr, const struct uw_audit *t, FILE *f);

#endif
