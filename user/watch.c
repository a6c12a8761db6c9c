// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The run, once set up (main.c): --once's audit, or the live loop; and what both report. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "httpd.h"
#include "outfile.h"
#include "ready.h"

/* the ring buffer is drained every UW_POLL_FAST_MS while records flow, every UW_POLL_MS once
 * none came for UW_IDLE_MS; the kernel wakes us for the first record after that (uw_emit.h) */
#define UW_POLL_MS 5
#define UW_POLL_FAST_MS 1
#define UW_IDLE_MS 50

volatile sig_atomic_t uw_exiting, uw_want_stats, uw_want_reload, uw_give_up;

void uw_app_status(struct uw_app *app, const char *reason, uint64_t *sent_per_cpu,
		   uint64_t *lost_per_cpu, unsigned ncpu, struct uw_status *s)
{
	memset(s, 0, sizeof(*s));
	s->reason = reason;
	s->hooks = app->bpf.hooks;
	s->transition_hooks = app->bpf.transition_hooks;
	s->compat_hooks = app->bpf.compat_hooks;
	s->ptrace_hooks = app->bpf.ptrace_hooks;
	s->pinning = app->bpf.pin.mode;
	s->host_learned = app->bpf.host_learned;
	s->host_name_source = uw_host_name_source_str(app->host_source);
	s->sandbox = app->sandboxed ? &app->sandbox : NULL;
	s->lost_per_cpu = lost_per_cpu;
	s->ncpu = ncpu;
	uw_bpf_counters(&app->bpf, s->kernel, sent_per_cpu, lost_per_cpu, ncpu);
	uw_pipeline_status(&app->p, s);
}

/* A stats record (reason: "exit", "signal", "once", "interval"). 0 or -EIO. */
static int write_stats(struct uw_app *app, const char *reason)
{
	unsigned ncpu = (unsigned)libbpf_num_possible_cpus();
	uint64_t *lost = calloc(ncpu ? ncpu : 1, sizeof(*lost));
	struct uw_status s;
	int rc;

	uw_app_status(app, reason, NULL, lost, ncpu, &s);
	rc = uw_pipeline_stats(&app->p, &s);
	free(lost);
	return rc;
}

int uw_output_failed(struct uw_app *app)
{
	int n = app->p.write_errno ? app->p.write_errno : errno ? errno : EIO;

	if (n == EPIPE) {
		fprintf(stderr, "userns-watch: the output's reader went away (broken pipe): stopping\n");
		return EXIT_OUTPUT_CLOSED;
	}
	fprintf(stderr, "userns-watch: cannot write the output: %s\n", strerror(n));
	return EXIT_ERROR;
}

static void check_health(struct uw_app *app)
{
	app->health.now_ns = uw_now_boot_ns();
	app->health.links = uw_bpf_links(&app->bpf, &app->health.links_attached);
}

int uw_app_health(void *ctx, char *why, size_t len)
{
	struct uw_app *app = ctx;

	check_health(app);
	return uw_health_ok(&app->health, why, len);
}

int uw_app_metrics(void *ctx, FILE *f)
{
	struct uw_app *app = ctx;
	unsigned ncpu = (unsigned)libbpf_num_possible_cpus();
	uint64_t *pc = calloc(2 * (ncpu ? ncpu : 1), sizeof(*pc));
	struct uw_status s;
	struct uw_metrics_view v = {
		.version = UW_VERSION,
		.libbpf = libbpf_version_string(),
		.start_time = (double)app->start_real_ns / 1e9,
		.s = &s,
		.ncpu = ncpu,
		.t = &app->tally,
		.h = &app->health,
	};
	int rc;

	if (!pc)
		return -1;
	uw_app_status(app, NULL, pc, pc + ncpu, ncpu, &s);
	v.sent_per_cpu = pc;
	v.lost_per_cpu = pc + ncpu;
	v.ring_used = uw_bpf_ring_used(&app->bpf, &v.ring_size);
	check_health(app);
	rc = uw_metrics_write(f, &v);
	free(pc);
	return rc;
}

int uw_run_once(struct uw_app *app)
{
	struct uw_pipeline *p = &app->p;
	struct uw_policy *policy = app->cfg.policy ? &app->policy : NULL;
	struct uw_audit au;
	size_t i, fails;
	int failed = 0;

	if (write_stats(app, "once"))
		return uw_output_failed(app);
	if (uw_audit_collect(&p->attr, policy, &p->clock, &p->self, &au))
		return uw_output_failed(app);
	if (app->cfg.output == UW_OUT_TEXT) {
		/* for a person: every container found, compliant ones included */
		failed = uw_audit_table(&p->attr, &au, app->out) != 0;
	} else {
		/* for a SIEM or a CI job: a verdict per container, compliant ones included, then
		 * the summary, so that the whole audit can be read from the records */
		for (i = 0; i < au.n && !failed; i++)
			failed = uw_pipeline_compliance(p, au.v[i]) != 0;
		failed = failed || uw_pipeline_audit_summary(p, &au);
	}
	fails = au.fails;
	uw_audit_free(&au);
	if (failed)
		return uw_output_failed(app);
	/* a violation: an alert, or a container the audit finds failing (a process in the host's
	 * user namespace that no alert named, such as a runtime's process seen mid-setup) */
	return p->counts.violations || fails ? EXIT_VIOLATION : 0;
}

/* The policy read again (SIGHUP, or its file changed: trigger): an invalid file leaves the
 * rules in force, and a record says why. What is read is remembered first, so that the same
 * file is not read again for nothing and an edit while it is read is read next. 0 or -EIO. */
static int reload_policy(struct uw_app *app, const char *trigger)
{
	const struct uw_config *o = &app->cfg;
	struct uw_policy next;
	char err[1024];
	int rc;

	/* what is read from here on: an edit after this is a change to read again */
	uw_policywatch_loaded(&app->policy_watch);
	if (uw_policy_load(o->policy, &next, err, sizeof(err))) {
		rc = uw_pipeline_policy_note(&app->p, "rejected", o->policy, app->policy.n, err, trigger);
	} else {
		uw_policy_free(&app->policy);
		app->policy = next;
		uw_bpf_forget_repeats(&app->bpf);
		rc = uw_pipeline_policy_note(&app->p, "reloaded", o->policy, app->policy.n, NULL, trigger);
	}
	return rc;
}

/* SIGHUP never ends the watch: a rotated output file is opened again, the policy read again.
 * 0 or -EIO. */
static int reload(struct uw_app *app)
{
	const struct uw_config *o = &app->cfg;
	char err[1024];

	if (o->output_file && uw_outfile_reopen(fileno(app->out), o->output_file, err, sizeof(err)))
		fprintf(stderr, "userns-watch: warning: %s: writing on to the old file\n", err);
	if (o->policy)
		return reload_policy(app, "signal");
	if (o->verbose && !o->output_file)
		fprintf(stderr, "userns-watch: SIGHUP: no policy to read again\n");
	return 0;
}

int uw_run_live(struct uw_app *app)
{
	struct uw_pipeline *p = &app->p;
	uint64_t next_ready = 0, next_http = 0, last_records = 0, now, next_stats, next_beat = 0;
	unsigned interval = app->cfg.stats_interval;
	int n;

	fprintf(stderr,
		"userns-watch: watching (hooks: %s, transitions: %s; snapshot: %" PRIu64
		" candidate processes)\n",
		app->bpf.hooks, app->bpf.transition_hooks, p->counts.snapshot);
	next_stats = uw_now_boot_ns() + (uint64_t)interval * 1000000000ULL;
	while (!uw_exiting) {
		/* the kernel wakes us only after a quiet spell and for bursts (see wakeup_flags) */
		now = uw_now_boot_ns();
		n = ring_buffer__poll(app->rb, now - last_records < UW_IDLE_MS * 1000000ULL ? UW_POLL_FAST_MS : UW_POLL_MS);
		if (n >= 0) {
			int more = ring_buffer__consume(app->rb);

			n = more < 0 ? more : n + more;
		}
		now = uw_now_boot_ns();
		if (n > 0)
			last_records = now;
		/* every 100 ms: readiness probes accepted and closed; the policy file's changes */
		if (now >= next_ready) {
			next_ready = now + 100000000ULL;
			if (app->ready_fd >= 0)
				uw_ready_accept(app->ready_fd, 16);
			if (uw_policywatch_due(&app->policy_watch, now) && reload_policy(app, "file"))
				return uw_output_failed(app);
		}
		uw_pipeline_tick(p, now);
		if (p->sinks.syslog)
			uw_syslog_pump(p->sinks.syslog, now);
		if (app->httpd) {
			uint64_t size, used = uw_bpf_ring_used(&app->bpf, &size);

			/* drained: at most a quarter of the ring left after a read (under a flood
			 * the producer refills it at once; a consumer that keeps up still sees it) */
			if (n >= 0 && used * 4 <= size)
				app->health.drained_ns = now;
			/* new connections every 100 ms; open ones every round */
			if (now >= next_http || uw_httpd_connections(app->httpd)) {
				next_http = now + 100000000ULL;
				uw_httpd_run(app->httpd);
			}
		}
		/* the pinned kernel side's heartbeat, every second: the next watch's gap record
		 * says when this one was last alive, and its losses from there */
		if (now >= next_beat) {
			next_beat = now + 1000000000ULL;
			uw_bpf_heartbeat(&app->bpf, uw_now_real_ns(), 0);
		}
		/* the heartbeat: a SIEM tells a silent node from a quiet one */
		if (interval && now >= next_stats) {
			next_stats = now + (uint64_t)interval * 1000000000ULL;
			if (write_stats(app, "interval"))
				return uw_output_failed(app);
		}
		if (p->write_errno)
			return uw_output_failed(app);
		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "userns-watch: reading the ring buffer failed: %s\n", strerror(-n));
			return EXIT_ERROR;
		}
		if (uw_want_stats) {
			uw_want_stats = 0;
			if (write_stats(app, "signal"))
				return uw_output_failed(app);
		}
		if (uw_want_reload) {
			uw_want_reload = 0;
			if (reload(app))
				return uw_output_failed(app);
		}
	}
	ring_buffer__consume(app->rb);
	uw_pipeline_flush(p, 0);
	if (p->write_errno || write_stats(app, "exit"))
		return uw_output_failed(app);
	/* what the kernel side records from here on is the next watch's: a clean stop */
	uw_bpf_heartbeat(&app->bpf, uw_now_real_ns(), 1);
	return 0;
}
