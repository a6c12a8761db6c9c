// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * userns-watch: report container processes that share the host's user namespace.
 * Order (libbpf-bootstrap's): options, preflight, host namespaces, cgroups, load, ring buffer,
 * attach, snapshot, poll loop, one cleanup path.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cgroup.h"
#include "cli.h"
#include "hostname.h"
#include "hostns.h"
#include "httpd.h"
#include "loader.h"
#include "metrics.h"
#include "policy.h"
#include "outfile.h"
#include "output.h"
#include "preflight.h"
#include "ready.h"
#include "report.h"
#include "sandbox.h"

#define EXIT_VIOLATION 1
#define EXIT_ERROR 2
#define EXIT_OUTPUT_CLOSED 3 /* the reader of the output went away (EPIPE) */
/* the ring buffer is drained every UW_POLL_FAST_MS while records flow, every UW_POLL_MS once
 * none came for UW_IDLE_MS; the kernel wakes us for the first record after that (uw_emit.h) */
#define UW_POLL_MS 5
#define UW_POLL_FAST_MS 1
#define UW_IDLE_MS 50

#ifdef UW_SANITIZE
/*
 * make SANITIZE=1: AddressSanitizer and UBSan check the running watch under its seccomp filter
 * and cut capabilities. LeakSanitizer's check at exit stops the process's threads from a traced
 * helper, which least privilege rightly forbids: leaks are checked by the unit tests (the same
 * code, without the sandbox), not here.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

static volatile sig_atomic_t exiting, want_stats, want_reload;
static int verbosity;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_stats = 1;
	else if (sig == SIGHUP)
		want_reload = 1;
	else
		exiting = sig;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (verbosity == 0 || (level == LIBBPF_DEBUG && verbosity < 2))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	/* SA_RESTART: a write blocked on a slow reader goes on after the signal (the writer
	 * retries EINTR too); the ring-buffer poll returns at a signal all the same (epoll_wait
	 * is never restarted), so the flags below are seen within one poll */
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* a closed output is EPIPE from write, handled */
}

static int on_record(void *ctx, const void *data, size_t size)
{
	return uw_report_record(ctx, data, size);
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	return uw_report_record(ctx, data, size);
}

static int on_ignore(void *ctx, const struct uw_ignore_key *key)
{
	return uw_bpf_ignore(ctx, key);
}

static int on_repeat(void *ctx, const struct uw_repeat_key *key)
{
	return uw_bpf_repeat(ctx, key);
}

static int on_watch(void *ctx, uint64_t cgroup_id, uint32_t hierarchy_id)
{
	return uw_bpf_watch_cgroup(ctx, cgroup_id, hierarchy_id);
}

/*
 * Least privilege for the rest of the run. A kernel or container that refuses it leaves the
 * watch running as it was, with a warning (the stats record says what holds).
 */
static int enter_sandbox(struct uw_sandbox *s, struct uw_report *r)
{
	char err[256];

	if (uw_drop_capabilities(s, err, sizeof(err)))
		fprintf(stderr, "userns-watch: warning: %s: running with all its capabilities\n", err);
	if (uw_seccomp_install(s, err, sizeof(err)))
		fprintf(stderr, "userns-watch: warning: %s: no system call filter\n", err);
	r->counts.sandbox = s;
	return 0;
}

/* the figures every stats record and /metrics say, read now (lost_per_cpu: the caller's) */
static void gather_counts(struct uw_report *r, struct uw_bpf *b, uint64_t *sent, uint64_t *lost, unsigned ncpu)
{
	r->counts.hooks = b->hooks;
	r->counts.transition_hooks = b->transition_hooks;
	r->counts.compat_hooks = b->compat_hooks;
	r->counts.setup_open = r->setup.open;
	r->counts.setup_held = r->setup.held;
	r->counts.setup_released = r->setup.released;
	r->counts.setup_dropped = r->setup.dropped;
	r->counts.host_learned = b->host_learned;
	r->counts.policy = r->policy;
	r->counts.syslog = r->out->syslog;
	uw_bpf_counters(b, r->counts.kernel, sent, lost, ncpu);
}

static int print_stats(struct uw_report *r, struct uw_bpf *b, const char *reason)
{
	unsigned ncpu = (unsigned)libbpf_num_possible_cpus();
	uint64_t *lost = calloc(ncpu ? ncpu : 1, sizeof(*lost));
	int rc;

	r->counts.reason = reason;
	gather_counts(r, b, NULL, lost, ncpu);
	r->counts.lost_per_cpu = lost;
	r->counts.ncpu = ncpu;
	rc = uw_output_stats(r->out, uw_now_real_ns(), &r->counts, &r->lim);
	r->counts.lost_per_cpu = NULL;
	free(lost);
	return rc;
}

/* --metrics: what /metrics and /healthz read, all of it in this thread */
struct live {
	struct uw_report *r;
	struct uw_bpf *b;
	struct uw_alert_tally tally;
	struct uw_health health;
	uint64_t start_real_ns;
};

static void check_health(struct live *l)
{
	l->health.now_ns = uw_now_boot_ns();
	l->health.links = uw_bpf_links(l->b, &l->health.links_attached);
}

static int on_health(void *ctx, char *why, size_t len)
{
	struct live *l = ctx;

	check_health(l);
	return uw_health_ok(&l->health, why, len);
}

static int on_metrics(void *ctx, FILE *f)
{
	struct live *l = ctx;
	unsigned ncpu = (unsigned)libbpf_num_possible_cpus();
	uint64_t *pc = calloc(2 * (ncpu ? ncpu : 1), sizeof(*pc));
	struct uw_metrics_view v = {
		.version = UW_VERSION,
		.libbpf = libbpf_version_string(),
		.start_time = (double)l->start_real_ns / 1e9,
		.c = &l->r->counts,
		.ncpu = ncpu,
		.t = &l->tally,
		.h = &l->health,
	};
	int rc;

	if (!pc)
		return -1;
	gather_counts(l->r, l->b, pc, pc + ncpu, ncpu);
	v.sent_per_cpu = pc;
	v.lost_per_cpu = pc + ncpu;
	v.ring_used = uw_bpf_ring_used(l->b, &v.ring_size);
	check_health(l);
	rc = uw_metrics_write(f, &v);
	free(pc);
	return rc;
}

int main(int argc, char **argv)
{
	char err[1024], host[UW_HOST_NAME_MAX + 2] = "";
	enum uw_host_name_source host_source;
	const char *btf = getenv("UW_BTF_PATH");
	struct ring_buffer *rb = NULL;
	struct uw_cgroups cg = { .v2.fd = -1, .v1.fd = -1 };
	struct uw_output out;
	struct uw_report rep;
	struct uw_bpf bpf = { 0 };
	struct uw_load_opts lo = { 0 };
	struct uw_sandbox sandbox = { 0 };
	struct uw_opts o;
	struct uw_ns hns;
	struct uw_policy pol = { 0 };
	int tracefs_mounted = 0, tracing = 1;
	int rc = EXIT_ERROR, from_pid, n, ready_fd = -1, out_fd = -1;
	FILE *out_f = stdout;
	struct uw_syslog sl = { .fd = -1 };
	uint64_t next_ready = 0, next_http = 0, last_records = 0;
	uint64_t now, next_stats;
	struct live live = { .start_real_ns = uw_now_real_ns() };
	struct uw_httpd *httpd = NULL;

	switch (uw_parse_args(argc, argv, &o, stdout, stderr)) {
	case UW_CLI_RUN: break;
	case UW_CLI_EXIT: return 0;
	default: return EXIT_ERROR;
	}
	verbosity = o.verbose;
	libbpf_set_print(libbpf_print);
	install_signals();

	if (uw_check_privileges(err, sizeof(err)) ||
	    uw_check_btf(btf ? btf : "/sys/kernel/btf/vmlinux", err, sizeof(err)) ||
	    uw_check_ringbuf(err, sizeof(err)) || uw_host_ns(o.procfs, &hns, &from_pid, err, sizeof(err))) {
		fprintf(stderr, "userns-watch: %s\n", err);
		return EXIT_ERROR;
	}
	/* The kernel reports process IDs as the initial pid namespace sees them, and the verdicts
	 * need the host's namespaces: a procfs of another pid namespace (a sidecar without
	 * hostPID) would make every host process look like a container's. */
	if (hns.pid != UW_INIT_PIDNS_INO) {
		fprintf(stderr,
			"userns-watch: %s is the procfs of pid namespace %u, not the host's (%u): mount "
			"the host's /proc there (a sidecar needs hostPID: true, or --pid=host)\n",
			o.procfs, hns.pid, UW_INIT_PIDNS_INO);
		return EXIT_ERROR;
	}
	if (hns.user != UW_INIT_USERNS_INO)
		fprintf(stderr,
			"userns-watch: warning: the user namespace of PID %d in %s is %u, not the "
			"kernel's initial one (%u): verdicts are relative to it\n",
			from_pid, o.procfs, hns.user, UW_INIT_USERNS_INO);
	if (verbosity)
		fprintf(stderr, "userns-watch: host namespaces from %s/%d: user %u mnt %u pid %u\n",
			o.procfs, from_pid, hns.user, hns.mnt, hns.pid);
	if (uw_cgroups_open(&cg, "/proc/self/mountinfo", err, sizeof(err))) {
		fprintf(stderr, "userns-watch: %s\n", err);
		return EXIT_ERROR;
	}
	if (verbosity)
		fprintf(stderr, "userns-watch: cgroup2 at %s, v1 hierarchy %s at %s\n",
			cg.v2.fd >= 0 ? cg.v2.point : "(none)", cg.v1_name ? cg.v1_name : "(none)",
			cg.v1.fd >= 0 ? cg.v1.point : "(none)");
	if (o.policy && uw_policy_load(o.policy, &pol, err, sizeof(err))) {
		fprintf(stderr, "userns-watch: %s\n", err);
		goto out_cg;
	}
	switch (uw_host_name(o.host_name, getenv("NODE_NAME"), o.procfs, from_pid, host, sizeof(host),
			     &host_source, err, sizeof(err))) {
	case 0:
		break;
	case 1:
		fprintf(stderr, "userns-watch: warning: %s\n", err);
		break;
	default:
		fprintf(stderr, "userns-watch: %s\n", err);
		goto out_cg;
	}
	if (verbosity)
		fprintf(stderr, "userns-watch: host name %s (%s)\n", host, uw_host_name_source_str(host_source));
	if (o.output_file) {
		out_fd = uw_outfile_open(o.output_file, err, sizeof(err));
		if (out_fd < 0 || !(out_f = fdopen(out_fd, "a"))) {
			fprintf(stderr, "userns-watch: %s\n", out_fd < 0 ? err : strerror(errno));
			if (out_fd >= 0)
				close(out_fd);
			goto out_cg;
		}
	}
	if (o.syslog) {
		if (uw_syslog_parse(o.syslog, &sl, err, sizeof(err))) {
			fprintf(stderr, "userns-watch: %s\n", err);
			goto out_cg;
		}
		if (uw_syslog_init(&sl, UW_SYSLOG_QUEUE_BYTES)) {
			fprintf(stderr, "userns-watch: out of memory\n");
			goto out_cg;
		}
	}
	uw_output_init(&out, out_f, o.output, host);
	if (o.metrics) /* every alert record from the first (the snapshot's, self) is counted */
		out.tally = &live.tally;
	live.r = &rep;
	live.b = &bpf;
	out.verbose = o.verbose;
	if (o.syslog)
		out.syslog = &sl;
	/* colour only for a person at a terminal (https://no-color.org: any non-empty NO_COLOR) */
	out.colour = o.output == UW_OUT_TEXT && isatty(fileno(out_f)) &&
		     !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	if (uw_report_init(&rep, o.procfs, &hns, &cg, &out, o.max_alerts)) {
		fprintf(stderr, "userns-watch: out of memory\n");
		goto out_cg;
	}
	rep.counts.host_name_source = uw_host_name_source_str(host_source);
	if (o.policy) {
		rep.policy = &pol;
		rep.report_allowed = o.report_allowed;
		if (uw_output_policy(&out, uw_now_real_ns(), "loaded", o.policy, NULL, pol.n, NULL)) {
			fprintf(stderr, "userns-watch: cannot write the output: %s\n", strerror(errno));
			goto out_rep;
		}
	}
	if (!uw_report_find_self(&rep))
		fprintf(stderr,
			"userns-watch: warning: %s/self does not show this process: its own records "
			"cannot be told apart (mount the host's /proc with hostPID)\n",
			o.procfs);
	rep.host_root = o.host_root;
	rep.host_transitions = o.host_transitions;
	rep.report_interval_ns = (uint64_t)o.report_interval * 1000000000ULL;

	/* Live hooks are attached before the snapshot so that no process falls between the two;
	 * their records wait in the ring buffer meanwhile. */
	if (!o.once && uw_tracefs_ready(&tracefs_mounted)) {
		fprintf(stderr,
			"userns-watch: warning: tracefs is not mounted and cannot be mounted: setns and "
			"unshare are not watched (clone is)\n");
		tracing = 0;
	}
	lo.host = &hns;
	lo.cg1 = cg.v1_ctrl;
	lo.hooks = o.once ? UW_LOAD_NONE
		   : o.hooks == UW_HOOKS_TP_BTF ? UW_LOAD_TP_BTF
		   : o.hooks == UW_HOOKS_RAW_TP ? UW_LOAD_RAW_TP
						: UW_LOAD_AUTO;
	lo.ringbuf_bytes = o.ringbuf_kib * 1024u;
	lo.transitions = !o.once && tracing;
	lo.host_transitions = o.host_transitions;
	lo.host_ref_pid = from_pid;
	if (uw_bpf_start(&bpf, &lo, err, sizeof(err))) {
		fprintf(stderr, "userns-watch: %s\n", err);
		goto out_rep;
	}
	rep.ignore = on_ignore;
	rep.repeat = on_repeat;
	rep.kernel_ctx = &bpf;
	if (!o.once)
		rep.watch = on_watch;
	/* the tracepoints are attached: their perf events do not need tracefs any more, and
	 * unmounting it now needs no capability kept for the exit */
	uw_tracefs_release(tracefs_mounted);
	tracefs_mounted = 0;
	if (verbosity)
		fprintf(stderr, "userns-watch: hooks: %s, 32-bit setns/unshare: %s\n", bpf.hooks,
			bpf.compat_hooks);
	if (!bpf.host_learned)
		fprintf(stderr,
			"userns-watch: warning: the host's nsproxy and root directory were not found "
			"through PID %d: every task takes the slow path, and a root directory of a "
			"container's own is not recognized\n",
			from_pid);
	if (!o.once) {
		rb = ring_buffer__new(uw_bpf_events_fd(&bpf), on_ringbuf, &rep, NULL);
		if (!rb) {
			fprintf(stderr, "userns-watch: cannot open the ring buffer: %s\n", strerror(errno));
			goto out_bpf;
		}
	}
	n = uw_bpf_snapshot(&bpf, on_record, &rep);
	if (rep.write_errno)
		goto out_write;
	if (n) {
		fprintf(stderr, "userns-watch: the snapshot of running processes failed: %s\n",
			strerror(-n));
		goto out_rb;
	}
	/* the snapshot wrote it if userns-watch runs in a container; else it runs on the host */
	if (uw_report_self(&rep))
		goto out_write;
	/* set up: the readiness port listens from now on (a probe before this is refused) */
	if (o.ready_tcp) {
		if ((ready_fd = uw_ready_listen(&o.ready_addr, err, sizeof(err))) < 0) {
			fprintf(stderr, "userns-watch: %s\n", err);
			goto out_rb;
		}
		if (verbosity)
			fprintf(stderr, "userns-watch: ready: listening on %s\n", o.ready_tcp);
	}
	/* the same for /metrics and /healthz */
	if (o.metrics) {
		struct uw_httpd_ops ops = { on_metrics, on_health, &live };

		if ((n = uw_bpf_ring_map(&bpf))) {
			fprintf(stderr, "userns-watch: --metrics: cannot map the ring buffer's positions: %s\n",
				strerror(-n));
			goto out_rb;
		}
		if (!(httpd = uw_httpd_start(&o.metrics_addr, &ops, verbosity, err, sizeof(err)))) {
			fprintf(stderr, "userns-watch: %s\n", err);
			goto out_rb;
		}
		if (verbosity)
			fprintf(stderr, "userns-watch: metrics: serving on %s\n", o.metrics);
	}
	/* from here on only what the loop needs */
	sandbox.extra = (o.output_file ? UW_SANDBOX_REOPEN : 0) | (o.ready_tcp ? UW_SANDBOX_ACCEPT : 0) |
			(o.syslog ? UW_SANDBOX_CONNECT : 0) | (o.metrics ? UW_SANDBOX_HTTP : 0);
	if (enter_sandbox(&sandbox, &rep))
		goto out_rb;
	if (o.once) {
		if (print_stats(&rep, &bpf, "once"))
			goto out_write;
		/* for a person: every container found, compliant ones included */
		if (o.output == UW_OUT_TEXT && uw_audit_table(&rep, out_f))
			goto out_write;
		/* for a SIEM: a compliance finding per container */
		if (o.output == UW_OUT_OCSF) {
			struct uw_audit au;
			size_t i;

			if (uw_audit_collect(&rep, &au))
				goto out_write;
			for (i = 0; i < au.n; i++)
				if (uw_output_compliance(&out, uw_now_real_ns(), au.v[i], uw_report_meta(&rep, &au.v[i]->c)))
					break;
			uw_audit_free(&au);
			if (i < au.n)
				goto out_write;
		}
		rc = rep.counts.violations ? EXIT_VIOLATION : 0;
		goto out_rb;
	}

	fprintf(stderr,
		"userns-watch: watching (hooks: %s, transitions: %s; snapshot: %" PRIu64
		" candidate processes)\n",
		bpf.hooks, bpf.transition_hooks, rep.counts.snapshot);
	next_stats = uw_now_boot_ns() + (uint64_t)o.stats_interval * 1000000000ULL;
	while (!exiting) {
		/* the kernel wakes us only after a quiet spell and for bursts (see wakeup_flags) */
		now = uw_now_boot_ns();
		n = ring_buffer__poll(rb, now - last_records < UW_IDLE_MS * 1000000ULL ? UW_POLL_FAST_MS : UW_POLL_MS);
		if (n >= 0) {
			int more = ring_buffer__consume(rb);

			n = more < 0 ? more : n + more;
		}
		now = uw_now_boot_ns();
		if (n > 0)
			last_records = now;
		/* readiness probes: accepted and closed every 100 ms */
		if (ready_fd >= 0 && now >= next_ready) {
			next_ready = now + 100000000ULL;
			uw_ready_accept(ready_fd, 16);
		}
		uw_report_tick(&rep, now);
		if (out.syslog)
			uw_syslog_pump(out.syslog, now);
		if (httpd) {
			uint64_t size, used = uw_bpf_ring_used(&bpf, &size);

			/* drained: at most a quarter of the ring left after a read (under a flood
			 * the producer refills it at once; a consumer that keeps up still sees it) */
			if (n >= 0 && used * 4 <= size)
				live.health.drained_ns = now;
			/* new connections every 100 ms; open ones every round */
			if (now >= next_http || uw_httpd_connections(httpd)) {
				next_http = now + 100000000ULL;
				uw_httpd_run(httpd);
			}
		}
		/* the heartbeat: a SIEM tells a silent node from a quiet one */
		if (o.stats_interval && now >= next_stats) {
			next_stats = now + (uint64_t)o.stats_interval * 1000000000ULL;
			if (print_stats(&rep, &bpf, "interval"))
				goto out_write;
		}
		if (rep.write_errno)
			goto out_write;
		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "userns-watch: reading the ring buffer failed: %s\n", strerror(-n));
			goto out_rb;
		}
		if (want_stats) {
			want_stats = 0;
			if (print_stats(&rep, &bpf, "signal"))
				goto out_write;
		}
		if (want_reload) {
			/* SIGHUP never ends the watch: the policy is read again; an invalid file
			 * leaves the rules in force, and a record says why */
			want_reload = 0;
			/* a rotated output file: records go on in a new one */
			if (o.output_file && uw_outfile_reopen(fileno(out_f), o.output_file, err, sizeof(err)))
				fprintf(stderr, "userns-watch: warning: %s: writing on to the old file\n", err);
			if (o.policy) {
				struct uw_policy next;

				if (uw_policy_load(o.policy, &next, err, sizeof(err))) {
					if (uw_output_policy(&out, uw_now_real_ns(), "rejected", o.policy, NULL,
							     pol.n, err))
						goto out_write;
				} else {
					uw_policy_free(&pol);
					pol = next;
					uw_bpf_forget_repeats(&bpf);
					if (uw_output_policy(&out, uw_now_real_ns(), "reloaded", o.policy, NULL,
							     pol.n, NULL))
						goto out_write;
				}
			} else if (verbosity && !o.output_file) {
				fprintf(stderr, "userns-watch: SIGHUP: no policy to read again\n");
			}
		}
	}
	ring_buffer__consume(rb);
	uw_report_flush(&rep, 0);
	if (rep.write_errno || print_stats(&rep, &bpf, "exit"))
		goto out_write;
	rc = 0;
	goto out_rb;

out_write:
	n = rep.write_errno ? rep.write_errno : errno ? errno : EIO;
	if (n == EPIPE) {
		fprintf(stderr, "userns-watch: the output's reader went away (broken pipe): stopping\n");
		rc = EXIT_OUTPUT_CLOSED;
	} else {
		fprintf(stderr, "userns-watch: cannot write the output: %s\n", strerror(n));
		rc = EXIT_ERROR;
	}
out_rb:
	/* what the syslog receiver has not taken yet: two seconds more */
	if (out.syslog && (n = (int)uw_syslog_drain(out.syslog, 2000)))
		fprintf(stderr, "userns-watch: warning: %d records not delivered to syslog (%s): %s\n", n,
			out.syslog->where, out.syslog->last_errno ? strerror(out.syslog->last_errno) : "the receiver is slow");
	if (ready_fd >= 0)
		close(ready_fd);
	uw_httpd_stop(httpd);
	ring_buffer__free(rb);
out_bpf:
	uw_bpf_destroy(&bpf);
out_rep:
	uw_report_free(&rep);
	uw_output_free(&out);
out_cg:
	uw_syslog_free(&sl);
	if (out_f != stdout)
		fclose(out_f);
	uw_policy_free(&pol);
	uw_cgroups_close(&cg);
	uw_tracefs_release(tracefs_mounted);
	return rc;
}
