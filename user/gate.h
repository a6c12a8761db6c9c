/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Two of the gates an alert passes before it is written (the pipeline calls them in this
 * order, after the self gate (self.h)):
 *  - policy: an alert a --policy rule allows is counted for its rule and not written, or
 *    written at severity info naming the rule (--report-allowed);
 *  - flood control (limiter.h): per container and budget, one alert per program and at most
 *    max_alerts, then a note that the rest are only counted.
 * Each decides and counts; none writes: the pipeline writes what they return.
 */
#ifndef UW_GATE_H
#define UW_GATE_H

#include <stddef.h>

#include "alert.h"
#include "counters.h"
#include "limiter.h"
#include "policy.h"

struct uw_gate {
	struct uw_policy *policy;   /* --policy (its rules may be replaced on SIGHUP), or NULL */
	int report_allowed;
	struct uw_limiter lim;
	struct uw_counters *counts; /* allowed, violations, escapes, repeats, suppressed */
};

int uw_gate_init(struct uw_gate *g, unsigned max_alerts, struct uw_policy *policy, int report_allowed,
		 struct uw_counters *counts);
void uw_gate_free(struct uw_gate *g);

/* 1 when the policy has rules to match (the pipeline then reads the metadata they match on). */
int uw_gate_policy_active(const struct uw_gate *g);
/* The flood-control key of a container: its ID, or runtime:pid namespace when it has none. */
void uw_gate_key(char *key, size_t cap, const struct uw_container *c, const struct uw_ns *ns);
/* The program an alert is about: its executable's identity, else a digest of its name. */
struct uw_prog_id uw_gate_prog(const struct uw_gate *g, const struct uw_alert *a);

/*
 * The policy (a->meta read for it): 0 when a rule allows a and it is not to be written; 1 when
 * it goes on, a violation (counted), or allowed and marked (severity info, policy_rule). A
 * rule found expired while it would have matched is returned in *expired, once, for the
 * pipeline to say so.
 */
int uw_gate_policy(struct uw_gate *g, struct uw_alert *a, struct uw_policy_rule **expired);

enum uw_flood {
	UW_FLOOD_WRITE = 0, /* write it (a->limit_reached: the last one its budget gets) */
	UW_FLOOD_DROP,      /* a repeat, or over the limit: counted only */
	UW_FLOOD_NOTE,      /* over the limit for the first time: write *note instead */
};

/* Flood control for alert a of container key (uw_gate_key) and program prog. */
enum uw_flood uw_gate_flood(struct uw_gate *g, struct uw_alert *a, const char *key,
			    const struct uw_prog_id *prog, struct uw_limit_note *note);

#endif
