/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One run of userns-watch: what main.c sets up from the configuration (the host's facts, the
 * outputs, the pipeline, the kernel side) and watch.c runs (--once, or the live loop), in one
 * struct with one teardown.
 */
#ifndef UW_APP_H
#define UW_APP_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "cgroup.h"
#include "cli.h"
#include "hostname.h"
#include "loader.h"
#include "metrics.h"
#include "pipeline.h"
#include "policy.h"
#include "policywatch.h"
#include "sandbox.h"
#include "syslog5424.h"

#define EXIT_VIOLATION 1
#define EXIT_ERROR 2
#define EXIT_OUTPUT_CLOSED 3 /* the reader of the output went away (EPIPE) */

struct ring_buffer;
struct uw_httpd;

struct uw_app {
	struct uw_config cfg;
	struct uw_ns host;          /* the host's namespaces */
	int host_pid;               /* the PID they were read from */
	struct uw_cgroups cg;
	struct uw_policy policy;    /* --policy's rules (replaced on SIGHUP or a change of the file) */
	struct uw_policywatch policy_watch; /* the policy file followed (fd -1: not) */
	char host_name[UW_HOST_NAME_MAX + 2];
	enum uw_host_name_source host_source;
	FILE *out;                  /* stdout, or --output-file */
	struct uw_syslog syslog;    /* --syslog (fd -1 without) */
	struct uw_alert_tally tally; /* --metrics: alerts written */
	struct uw_pipeline p;
	int have_pipeline;
	struct uw_bpf bpf;
	int have_bpf;
	int tracefs_mounted;
	struct ring_buffer *rb;
	struct uw_sandbox sandbox;
	int sandboxed;              /* least privilege was entered (what holds is in sandbox) */
	int ready_fd;               /* --ready-tcp's listener, or -1 */
	struct uw_httpd *httpd;     /* --metrics, or NULL */
	struct uw_health health;
	uint64_t start_real_ns;
};

/* The signals the loop looks at (main.c's handler sets them). */
extern volatile sig_atomic_t uw_exiting, uw_want_stats, uw_want_reload, uw_give_up;
/* How long a stop (SIGINT, SIGTERM) waits for a blocked output before it writes no more */
#define UW_STOP_SECONDS 5

/* watch.c: the run. Each returns the exit status. */
int uw_run_once(struct uw_app *app);
int uw_run_live(struct uw_app *app);
/* The exit status for an output that could not be written (and why, on stderr). */
int uw_output_failed(struct uw_app *app);
/* --metrics: /metrics and /healthz (struct uw_httpd_ops), ctx the app. */
int uw_app_metrics(void *ctx, FILE *f);
int uw_app_health(void *ctx, char *why, size_t len);
/* The status record's facts (the kernel's counters read now; lost_per_cpu: the caller's,
 * ncpu entries, or NULL) into s. */
void uw_app_status(struct uw_app *app, const char *reason, uint64_t *sent_per_cpu,
		   uint64_t *lost_per_cpu, unsigned ncpu, struct uw_status *s);

#endif
