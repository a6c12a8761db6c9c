/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Every count userspace keeps, declared once. The table below makes struct uw_counters, the
 * stats record's fields (in this order), the /metrics series and, through
 * tools/dev/counters.c (make generated), the stats record's part of the JSON schema and the
 * table in docs/output.md: adding a counter is one line here, then `make generated`.
 * The kernel's own counters are declared the same way in include/uw_event.h
 * (UW_KERNEL_COUNTERS).
 *
 *   X(field, key, metric, family_help, help)
 *     field        the member of struct uw_counters
 *     key          its name in the stats record: "name", or "object.name" inside an object
 *                  ("policy." fields are written only with --policy)
 *     metric       its /metrics series: a family name ("" none), with {label="value"} when it
 *                  is one series of a family
 *     family_help  the family's HELP text, on its first series when it differs from help
 *     help         what it counts (documentation, schema, /metrics HELP)
 *
 * Each stage counts its own fields: decode (received, snapshot, bad_records), attribution
 * (unresolved, cgroups_removed, watch_failed), judging (not_container, transitions, late, moves_within),
 * the gates (self_records, violations, escapes, allowed, repeats, suppressed), the
 * pipeline's writing (alerts, limit_records) and its messages to the kernel (ignore_failed,
 * repeat_failed).
 */
#ifndef UW_COUNTERS_H
#define UW_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "uw_event.h"

#define UW_COUNTERS(X)                                                                         \
	X(received, "received", "records_received_total", "",                                  \
	  "records read from the ring buffer")                                                  \
	X(snapshot, "snapshot", "", "", "records from the snapshot of the processes running at start") \
	X(violations, "violations", "violations_total", "violations found, before flood control", "records judged violations, before flood control") \
	X(alerts, "alerts", "", "", "alert records written (after flood control)")             \
	X(repeats, "repeats", "", "",                                                           \
	  "violations of a program already alerted on in the same container and budget that reached userspace (most repeats are decided in the kernel: kernel.repeats)") \
	X(suppressed, "suppressed", "alerts_suppressed_total",                                  \
	  "alerts only counted: the container's budget was spent (flood control)",             \
	  "violations over a container's limit, only counted (flood control)")         \
	X(not_container, "not_container", "not_container_total", "records about processes found to be in no container",                           \
	  "candidates judged to be in no container (host services with private namespaces)")                               \
	X(unresolved, "unresolved", "unresolved_total", "records whose cgroup could not be resolved", "records whose cgroup could not be resolved at all (still judged and reported)") \
	X(bad_records, "bad_records", "bad_records_total", "malformed records from the ring buffer", "records of an unexpected type or size (should stay 0)") \
	X(cgroups_removed, "cgroups_removed", "", "",                                           \
	  "cached cgroups forgotten because the kernel reported their removal")                 \
	X(transitions, "transitions", "", "",                                                   \
	  "namespace transitions judged (the merged setns calls of a process count once)")            \
	X(late, "late_transitions", "", "",                                                     \
	  "of which changes no hook saw, found at a later exec, fork or exit")                  \
	X(escapes, "escapes", "", "", "escape verdicts, before flood control")                  \
	X(self_records, "self_records", "", "",                                                 \
	  "records about userns-watch's own process: the first is the self record, none is an alert")                           \
	X(allowed, "policy.allowed", "alerts_allowed_total", "", "alerts a policy rule allowed") \
	X(limit_records, "limit_records", "", "", "alert_limit records written")                \
	X(moves_within, "cgroup_moves_within", "", "",                                          \
	  "cgroup moves of container processes that stayed in their container's cgroups (no alert)") \
	X(held_within, "ptrace_within", "", "",                                                 \
	  "ptrace attaches and process_vm_writev calls of container processes on processes of their own container or pid namespace (no alert)") \
	X(ignore_failed, "ignore_failed", "map_update_failures_total{map=\"ignore\"}",          \
	  "updates of the kernel's ignore, watched-cgroup and repeat maps that failed",         \
	  "updates of the kernel's ignore map that failed")                                     \
	X(watch_failed, "watch_failed", "map_update_failures_total{map=\"watched\"}", "",       \
	  "updates of the kernel's watched-cgroup map that failed")                             \
	X(repeat_failed, "repeat_failed", "map_update_failures_total{map=\"repeat\"}", "",      \
	  "repeat-cache keys of task records not added to the kernel's repeat cache (its programs' next execs are sent again, never missed)")

#define UW_COUNTER_FIELD(field, key, metric, family_help, help) uint64_t field;
struct uw_counters {
	UW_COUNTERS(UW_COUNTER_FIELD)
};
#undef UW_COUNTER_FIELD

/* One row of the table, for the writers that walk it. */
struct uw_counter_def {
	const char *key, *metric, *family_help, *help;
	size_t offset; /* of the field in struct uw_counters */
};

extern const struct uw_counter_def uw_counter_defs[];
extern const size_t uw_counter_ndefs;
/* The kernel's table (include/uw_event.h), indexed by enum uw_counter. */
extern const struct uw_counter_def uw_kernel_counter_defs[];

struct uw_sandbox;
struct uw_policy;
struct uw_syslog;
struct uw_limiter;

/* What a stats record and /metrics say: the counters, and facts about this watch. */
struct uw_status {
	const char *reason;           /* stats: "exit", "signal", "once", "interval" */
	const char *hooks;            /* exec/fork/exit entry points: "tp_btf", "raw_tp", "none" */
	const char *transition_hooks; /* setns/unshare: "fentry", "tracepoint" or "none" */
	const char *compat_hooks;     /* 32-bit setns/unshare: "fentry", "late" or "none" */
	const char *ptrace_hooks;     /* ptrace, process_vm_writev: "tracepoint" or "none" */
	const char *pinning;          /* the pinned kernel side (pin.h): "off", "new", "adopted", ... */
	int host_learned;             /* the kernel knows the host's nsproxy and root directory */
	const char *host_name_source; /* where "host" came from (hostname.h) */
	const struct uw_sandbox *sandbox; /* what least privilege holds; NULL before it is entered */
	uint64_t kernel[UW_C_MAX];    /* the kernel's counters, summed over CPUs */
	const uint64_t *lost_per_cpu; /* ncpu entries, or NULL */
	unsigned ncpu;
	const struct uw_counters *c;
	const struct uw_policy *policy; /* the rules, for their counts; NULL without --policy */
	const struct uw_syslog *syslog; /* --syslog: its counts; NULL without */
	const struct uw_limiter *lim;   /* flood control: the containers' counts */
};

static inline uint64_t uw_counter_value(const struct uw_counters *c, const struct uw_counter_def *d)
{
	return *(const uint64_t *)((const char *)c + d->offset);
}

#endif
