/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The pipeline: one kernel record at a time, in a straight line of stages, each owning its
 * state:
 *   decode (decode.h)       ring-buffer bytes -> a typed event
 *   attribute (attribute.h) which container and runtime, and why; the runtime's metadata
 *   judge (judge.h)         a complete alert, or nothing (setns calls merged first: setns.h)
 *   gates                   self (self.h), policy and flood control (gate.h): each decides
 *                           and counts (a runtime's setup is told apart in the kernel: its
 *                           records never come, bpf/uw_maps.h UW_SEEN_SETUP)
 *   encode (encode.h)       the record in the output format
 *   sinks (sink.h)          the output, syslog, the metrics tally
 * and, as records arrive, what the kernel is told back (feedback.h). This file is the driver:
 * it calls the stages in that order and writes what they return.
 */
#ifndef UW_PIPELINE_H
#define UW_PIPELINE_H

#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "attribute.h"
#include "clock.h"
#include "counters.h"
#include "encode.h"
#include "feedback.h"
#include "gate.h"
#include "judge.h"
#include "self.h"
#include "setns.h"
#include "sink.h"

#define UW_DEFAULT_REPORT_INTERVAL_NS (60ULL * 1000000000ULL)

struct uw_roots;

/* What the pipeline is made from (the configuration's part for it, and the host's facts). */
struct uw_pipeline_opts {
	const char *procfs;         /* the host's /proc */
	const char *host_root;      /* the host's root file system (runtime metadata); NULL: none */
	const struct uw_roots *roots; /* the engines' directories below it (roots.h); NULL: defaults */
	const struct uw_ns *host;   /* the host's namespaces */
	struct uw_cgroups *cg;
	int host_transitions;       /* transitions that touch no container are written too */
	struct uw_policy *policy;   /* NULL: no --policy */
	int report_allowed;
	unsigned max_alerts;
	uint64_t report_interval_ns; /* alert_limit "ongoing" records; 0: none */
	struct uw_feedback kernel;  /* what the kernel is told; members NULL: nothing */
	FILE *out;                  /* the output */
	enum uw_format format;
	const char *host_name;      /* the records' "host" */
	const char *cluster_name;   /* the records' "cluster" (--cluster-name), or NULL */
	int verbose, colour;        /* text lines */
	struct uw_syslog *syslog;   /* --syslog, or NULL */
	struct uw_alert_tally *tally; /* --metrics, or NULL */
	const volatile sig_atomic_t *give_up; /* set when a stop stops waiting for the output
					       * (struct uw_sinks); NULL: never */
};

struct uw_pipeline {
	struct uw_counters counts;
	struct uw_clock clock;
	struct uw_feedback kernel;
	struct uw_attr attr;
	struct uw_setns_table setns; /* setns calls being merged, per process */
	struct uw_judge judge;
	struct uw_self self;
	struct uw_gate gate;
	struct uw_encoder enc;
	struct uw_sinks sinks;
	uint64_t report_interval_ns;
	uint64_t next_report_ns;     /* CLOCK_BOOTTIME */
	int write_errno;             /* set when the output could not be written */
};

int uw_pipeline_init(struct uw_pipeline *p, const struct uw_pipeline_opts *o);
void uw_pipeline_free(struct uw_pipeline *p);

/* Puts back a setns sequence the previous watch was merging (its journal): judged when it has
 * settled, as any. 0, or -1 (a slot of that process taken, or none free). */
struct uw_setns_seq;
int uw_pipeline_restore_seq(struct uw_pipeline *p, const struct uw_setns_seq *q);
/* Handles one raw record (size bytes). Returns 0, or -EIO when the output could not be
 * written (write_errno says why). */
int uw_pipeline_record(struct uw_pipeline *p, const void *data, size_t size);
/*
 * Judges the merged setns calls of processes that have settled: older than
 * UW_SETNS_SETTLE_NS at now_boot_ns (CLOCK_BOOTTIME), or all of them with now_boot_ns 0 (at
 * exit). Returns 0 or -EIO.
 */
int uw_pipeline_flush(struct uw_pipeline *p, uint64_t now_boot_ns);
/*
 * The periodic work of the live loop: uw_pipeline_flush; the boot-to-wall clock offset
 * measured again when due; every report_interval_ns an alert_limit record ("ongoing") per
 * container and budget whose suppressed count grew.
 */
int uw_pipeline_tick(struct uw_pipeline *p, uint64_t now_boot_ns);

/* Learns this process's PID as the host's procfs shows it: records about it are never alerts.
 * Returns it, or 0 when procfs does not show it. */
uint32_t uw_pipeline_find_self(struct uw_pipeline *p);
/* Writes the self record unless one was written already (when the snapshot met userns-watch in
 * a container): here userns-watch runs outside any container. Returns 0 or -EIO. */
int uw_pipeline_self(struct uw_pipeline *p);

/* A record about the policy (its action: "loaded", "reloaded", "rejected"). 0 or -EIO. */
int uw_pipeline_policy_note(struct uw_pipeline *p, const char *action, const char *file,
			    size_t rules, const char *error, const char *trigger);
struct uw_audit_row;
/* --once: one container's verdict (a Compliance Finding in OCSF), then the audit's summary
 * (nothing in text, which has the table). 0 or -EIO. */
int uw_pipeline_compliance(struct uw_pipeline *p, const struct uw_audit_row *w);
struct uw_audit;
int uw_pipeline_audit_summary(struct uw_pipeline *p, const struct uw_audit *au);
/* The pipeline's part of the status (its counters, the policy's, flood control's, syslog's). */
void uw_pipeline_status(struct uw_pipeline *p, struct uw_status *s);
/* A stats record of s. 0 or -EIO. */
int uw_pipeline_stats(struct uw_pipeline *p, const struct uw_status *s);
/* The gap record (pin.h), first of a start that found a pinned kernel side. 0 or -1 (output). */
struct uw_pin_gap;
int uw_pipeline_gap(struct uw_pipeline *p, const struct uw_pin_gap *g, const char *dir);

#endif
