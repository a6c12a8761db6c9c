/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics: what the Prometheus exposition says, and when /healthz says 200. Pure: the caller
 * gathers the figures (kernel counters, ring buffer, links) and httpd.c serves the text.
 * No string from a container is a label: alerts are counted by event, severity and runtime,
 * all from userns-watch's own fixed lists, so the series are few and bounded.
 */
#ifndef UW_METRICS_H
#define UW_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "kind.h"

#define UW_TALLY_SEVS 6      /* critical, high, medium, low, info, and "other" */
#define UW_TALLY_RUNTIMES 16 /* runtimes met, in order; the last slot is "other" */
#define UW_TALLY_NAME 32

/* Alert records written (after flood control), by event, severity and runtime. */
struct uw_alert_tally {
	char runtime[UW_TALLY_RUNTIMES][UW_TALLY_NAME];
	unsigned nrt;
	uint64_t n[UW_AK_MAX][UW_TALLY_SEVS][UW_TALLY_RUNTIMES];
};

void uw_tally_alert(struct uw_alert_tally *t, enum uw_alert_kind k, const char *severity, const char *runtime);

/* /healthz: the live links, and how long ago the ring buffer was last seen drained. */
#define UW_HEALTH_DRAIN_NS (5ULL * 1000000000ULL)

struct uw_health {
	unsigned links;          /* live hooks attached at set-up */
	unsigned links_attached; /* of which the kernel still shows attached */
	uint64_t now_ns;         /* CLOCK_BOOTTIME */
	uint64_t drained_ns;     /* the last time the ring buffer held at most a quarter of its size
				  * after a read (CLOCK_BOOTTIME); 0: never */
};

/* 1 when healthy; else 0 with the reasons, one sentence each, in why (may be NULL). */
int uw_health_ok(const struct uw_health *h, char *why, size_t len);

struct uw_status;

struct uw_metrics_view {
	const char *version, *libbpf;
	double start_time;             /* seconds since the epoch */
	const struct uw_status *s;     /* hooks, the kernel's and userspace's counters, syslog */
	const uint64_t *sent_per_cpu;  /* kernel records submitted and lost, per possible CPU */
	const uint64_t *lost_per_cpu;
	unsigned ncpu;
	uint64_t ring_used, ring_size; /* ring buffer bytes waiting, and its size */
	const struct uw_alert_tally *t;
	const struct uw_health *h;
};

/* The Prometheus text exposition format (version 0.0.4): the counters with a metric in the
 * tables (include/uw_event.h, counters.h), the alert tally, the ring buffer, health and syslog.
 * Returns 0, or -1 on a write error. */
int uw_metrics_write(FILE *f, const struct uw_metrics_view *v);

#endif
