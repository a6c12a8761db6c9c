// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * userns-watch: report container processes that share the host's user namespace.
 * main() reads the configuration (cli.c), then sets the run up in libbpf-bootstrap's order:
 * the host's facts, the outputs, the pipeline, the programs (ring buffer, attach, snapshot),
 * the listeners and least privilege; watch.c runs it; one teardown frees what was set up.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "app.h"
#include "hostns.h"
#include "httpd.h"
#include "outfile.h"
#include "preflight.h"
#include "ready.h"

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

static int verbosity;

/* SIGINT, SIGTERM: the first starts a stop and its clock (UW_STOP_SECONDS: SIGALRM) */
static void on_signal(int sig)
{
	if (sig == SIGUSR1) {
		uw_want_stats = 1;
	} else if (sig == SIGHUP) {
		uw_want_reload = 1;
	} else if (sig == SIGALRM) {
		uw_give_up = 1;
	} else {
		if (!uw_exiting) {
			struct itimerval t = { .it_value = { .tv_sec = UW_STOP_SECONDS } };

			setitimer(ITIMER_REAL, &t, NULL);
		}
		uw_exiting = sig;
	}
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
	/* the stop's clock ran out: no SA_RESTART, so a write still blocked on the output returns
	 * (EINTR), and the sinks wait for it no more (uw_give_up) */
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN); /* a closed output is EPIPE from write, handled */
}

static int failed(const char *msg)
{
	fprintf(stderr, "userns-watch: %s\n", msg);
	return -1;
}

/* The host as the kernel sees it: privileges, BTF, its namespaces, its cgroups, its name; and
 * the policy. */
static int learn_host(struct uw_app *app)
{
	const struct uw_config *o = &app->cfg;
	const char *btf = getenv("UW_BTF_PATH");
	char err[1024];
	struct uw_ns *h = &app->host;

	if (uw_check_privileges(err, sizeof(err)) ||
	    uw_check_btf(btf ? btf : "/sys/kernel/btf/vmlinux", err, sizeof(err)) ||
	    uw_check_ringbuf(err, sizeof(err)) || uw_host_ns(o->procfs, h, &app->host_pid, err, sizeof(err)))
		return failed(err);
	/* The kernel reports process IDs as the initial pid namespace sees them, and the verdicts
	 * need the host's namespaces: a procfs of another pid namespace (a sidecar without
	 * hostPID) would make every host process look like a container's. */
	if (h->pid != UW_INIT_PIDNS_INO) {
		fprintf(stderr,
			"userns-watch: %s is the procfs of pid namespace %u, not the host's (%u): mount "
			"the host's /proc there (a sidecar needs hostPID: true, or --pid=host)\n",
			o->procfs, h->pid, UW_INIT_PIDNS_INO);
		return -1;
	}
	if (h->user != UW_INIT_USERNS_INO)
		fprintf(stderr,
			"userns-watch: warning: the user namespace of PID %d in %s is %u, not the "
			"kernel's initial one (%u): verdicts are relative to it\n",
			app->host_pid, o->procfs, h->user, UW_INIT_USERNS_INO);
	if (verbosity)
		fprintf(stderr, "userns-watch: host namespaces from %s/%d: user %u mnt %u pid %u\n",
			o->procfs, app->host_pid, h->user, h->mnt, h->pid);
	if (uw_cgroups_open(&app->cg, "/proc/self/mountinfo", err, sizeof(err)))
		return failed(err);
	if (verbosity)
		fprintf(stderr, "userns-watch: cgroup2 at %s, v1 hierarchy %s at %s\n",
			app->cg.v2.fd >= 0 ? app->cg.v2.point : "(none)",
			app->cg.v1_name ? app->cg.v1_name : "(none)",
			app->cg.v1.fd >= 0 ? app->cg.v1.point : "(none)");
	if (o->policy && uw_policy_load(o->policy, &app->policy, err, sizeof(err)))
		return failed(err);
	/* a watch follows its policy file: an edit or a ConfigMap's update is read as SIGHUP is */
	if (o->policy && !o->once && uw_policywatch_start(&app->policy_watch, o->policy, err, sizeof(err)))
		fprintf(stderr, "userns-watch: warning: %s: the policy file is not followed (SIGHUP reads it again)\n",
			err);
	switch (uw_host_name(o->host_name, getenv("NODE_NAME"), o->procfs, app->host_pid, app->host_name,
			     sizeof(app->host_name), &app->host_source, err, sizeof(err))) {
	case 0:
		break;
	case 1:
		fprintf(stderr, "userns-watch: warning: %s\n", err);
		break;
	default:
		return failed(err);
	}
	if (verbosity)
		fprintf(stderr, "userns-watch: host name %s (%s)\n", app->host_name,
			uw_host_name_source_str(app->host_source));
	return 0;
}

/* Where records go: stdout or --output-file, and --syslog. */
static int open_outputs(struct uw_app *app)
{
	const struct uw_config *o = &app->cfg;
	char err[1024];
	int fd;

	if (o->output_file) {
		fd = uw_outfile_open(o->output_file, err, sizeof(err));
		if (fd < 0)
			return failed(err);
		if (!(app->out = fdopen(fd, "a"))) {
			app->out = stdout;
			close(fd);
			return failed(strerror(errno));
		}
	}
	if (o->syslog) {
		if (uw_syslog_parse(o->syslog, &app->syslog, err, sizeof(err)))
			return failed(err);
		if (uw_syslog_init(&app->syslog, UW_SYSLOG_QUEUE_BYTES))
			return failed("out of memory");
	}
	return 0;
}

/* The pipeline, with what it tells the kernel bound to the programs loaded next. */
static int start_pipeline(struct uw_app *app)
{
	const struct uw_config *o = &app->cfg;
	struct uw_roots roots;
	struct uw_pipeline_opts po = {
		.procfs = o->procfs,
		.host_root = o->host_root,
		.roots = &roots,
		.host = &app->host,
		.cg = &app->cg,
		.host_transitions = o->host_transitions,
		.policy = o->policy ? &app->policy : NULL,
		.report_allowed = o->report_allowed,
		.max_alerts = o->max_alerts,
		.report_interval_ns = (uint64_t)o->report_interval * 1000000000ULL,
		/* --once: no cgroup is watched for its removal */
		.kernel = uw_bpf_feedback(&app->bpf, !o->once),
		.out = app->out,
		.format = o->output,
		.host_name = app->host_name,
		.cluster_name = o->cluster_name,
		.verbose = o->verbose,
		/* colour only for a person at a terminal (https://no-color.org: any non-empty
		 * NO_COLOR) */
		.colour = o->output == UW_OUT_TEXT && isatty(fileno(app->out)) &&
			  !(getenv("NO_COLOR") && *getenv("NO_COLOR")),
		.syslog = o->syslog ? &app->syslog : NULL,
		/* every alert record from the first (the snapshot's, self) is counted */
		.tally = o->metrics ? &app->tally : NULL,
		.give_up = &uw_give_up,
	};
	unsigned i;
	char why[400];

	/* where each engine keeps its containers: --data-root, else its configuration (roots.h) */
	uw_roots_init(&roots, o->host_root);
	for (i = 0; i < o->n_data_root; i++)
		if (uw_roots_set(&roots, o->data_root[i], why, sizeof(why))) {
			fprintf(stderr, "userns-watch: %s\n", why);
			return -1;
		}
	uw_roots_read(&roots);

	if (uw_pipeline_init(&app->p, &po))
		return failed("out of memory");
	app->have_pipeline = 1;
	if (o->policy && uw_pipeline_policy_note(&app->p, "loaded", o->policy, app->policy.n, NULL, NULL)) {
		fprintf(stderr, "userns-watch: cannot write the output: %s\n", strerror(app->p.write_errno));
		return -1;
	}
	if (!uw_pipeline_find_self(&app->p))
		fprintf(stderr,
			"userns-watch: warning: %s/self does not show this process: its own records "
			"cannot be told apart (mount the host's /proc with hostPID)\n",
			o->procfs);
	return 0;
}

static int on_record(void *ctx, const void *data, size_t size)
{
	return uw_pipeline_record(ctx, data, size);
}

static int on_journal(void *ctx, const struct uw_setns_seq *q)
{
	return uw_pipeline_restore_seq(ctx, q);
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	return uw_pipeline_record(ctx, data, size);
}

/* Does this process share the host's mount namespace (a mount it makes outlives it)? */
static int same_mnt_ns(unsigned host_mnt)
{
	struct stat st;

	return !stat("/proc/self/ns/mnt", &st) && st.st_ino == host_mnt;
}

/*
 * The programs: loaded, the live hooks attached (before the snapshot, so that no process falls
 * between the two; their records wait in the ring buffer meanwhile). Returns 0 or -1 (said on
 * stderr).
 */
static int start_kernel(struct uw_app *app)
{
	const struct uw_config *o = &app->cfg;
	struct uw_load_opts lo = { 0 };
	char err[1024];
	int tracing = 1;

	if (!o->once && uw_tracefs_ready(&app->tracefs_mounted)) {
		fprintf(stderr,
			"userns-watch: warning: tracefs is not mounted and cannot be mounted: setns and "
			"unshare are not watched (clone is)\n");
		tracing = 0;
	}
	lo.host = &app->host;
	lo.cg1 = app->cg.v1_ctrl;
	lo.hooks = o->once ? UW_HOOKS_NONE : o->hooks;
	lo.ringbuf_bytes = o->ringbuf_kib * 1024u;
	lo.transitions = !o->once && tracing;
	lo.host_transitions = o->host_transitions;
	lo.host_ref_pid = app->host_pid;
	lo.pin_dir = o->pin_dir;
	lo.pin_quiet = o->pin_dir_set ? 0 : same_mnt_ns(app->host.mnt) ? 2 : 1;
	if (uw_bpf_start(&app->bpf, &lo, err, sizeof(err)))
		return failed(err);
	app->have_bpf = 1;
	/* the tracepoints are attached: their perf events do not need tracefs any more, and
	 * unmounting it now needs no capability kept for the exit */
	uw_tracefs_release(app->tracefs_mounted);
	app->tracefs_mounted = 0;
	if (verbosity)
		fprintf(stderr, "userns-watch: hooks: %s, 32-bit setns/unshare: %s\n", app->bpf.hooks,
			app->bpf.compat_hooks);
	if (strcmp(app->bpf.hooks, "none") && !strcmp(app->bpf.ptrace_hooks, "none"))
		fprintf(stderr, "userns-watch: warning: tracefs has no ptrace or process_vm_writev "
				"tracepoints: a container process taking hold of a host process that way "
				"is not seen\n");
	if (!app->bpf.host_learned)
		fprintf(stderr,
			"userns-watch: warning: the host's nsproxy and root directory were not found "
			"through PID %d: every task takes the slow path, and a root directory of a "
			"container's own is not recognized\n",
			app->host_pid);
	if (verbosity && strcmp(app->bpf.pin.mode, "off"))
		fprintf(stderr, "userns-watch: pinned in %s: %s\n", app->bpf.pin.dir, app->bpf.pin.mode);
	if (!o->once) {
		app->rb = ring_buffer__new(uw_bpf_events_fd(&app->bpf), on_ringbuf, &app->p, NULL);
		if (!app->rb) {
			fprintf(stderr, "userns-watch: cannot open the ring buffer: %s\n", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * The snapshot of the running processes and the self record: the first records about
 * containers, whose metadata (files a container's creator writes) is read and parsed here, so
 * inside the sandbox. Returns 0, -1 (said on stderr), or -EIO (the output).
 */
static int take_snapshot(struct uw_app *app)
{
	int n;

	/* a pinned kernel side found: first the gap record, then what it kept while no watch ran,
	 * in order, then the snapshot of what runs now */
	if (app->bpf.pin.gap.have) {
		if (uw_pipeline_gap(&app->p, &app->bpf.pin.gap, app->bpf.pin.dir))
			return -EIO;
		/* the setns calls the previous watch had read and was merging (its journal), then
		 * the records after them */
		uw_bpf_journal_each(&app->bpf, on_journal, &app->p);
		n = ring_buffer__consume(app->rb);
		/* the setns calls among them that have settled are judged now, before the snapshot
		 * (a sequence still in its merge window waits for the loop, as any) */
		if (n >= 0 && uw_pipeline_flush(&app->p, uw_now_boot_ns()))
			return -EIO;
		if (app->p.write_errno)
			return -EIO;
		if (n < 0) {
			fprintf(stderr, "userns-watch: reading the ring buffer failed: %s\n", strerror(-n));
			return -1;
		}
	}
	uw_bpf_heartbeat(&app->bpf, uw_now_real_ns(), 0);
	n = uw_bpf_snapshot(&app->bpf, on_record, &app->p);

	if (app->p.write_errno)
		return -EIO;
	if (n) {
		fprintf(stderr, "userns-watch: the snapshot of running processes failed: %s\n", strerror(-n));
		return -1;
	}
	/* the snapshot wrote it if userns-watch runs in a container; else it runs on the host */
	return uw_pipeline_self(&app->p) ? -EIO : 0;
}

/* The readiness port and /metrics listen from now on (a probe before this is refused). */
static int start_listeners(struct uw_app *app)
{
	const struct uw_config *o = &app->cfg;
	char err[1024];
	int n;

	if (o->ready_tcp) {
		if ((app->ready_fd = uw_ready_listen(&o->ready_addr, err, sizeof(err))) < 0)
			return failed(err);
		if (verbosity)
			fprintf(stderr, "userns-watch: ready: listening on %s\n", o->ready_tcp);
	}
	if (o->metrics) {
		struct uw_httpd_ops ops = { uw_app_metrics, uw_app_health, app };

		if ((n = uw_bpf_ring_map(&app->bpf))) {
			fprintf(stderr, "userns-watch: --metrics: cannot map the ring buffer's positions: %s\n",
				strerror(-n));
			return -1;
		}
		if (!(app->httpd = uw_httpd_start(&o->metrics_addr, &ops, verbosity, err, sizeof(err))))
			return failed(err);
		if (verbosity)
			fprintf(stderr, "userns-watch: metrics: serving on %s\n", o->metrics);
	}
	return 0;
}

/*
 * Least privilege for the rest of the run: only what the loop needs. A kernel or container that
 * refuses it leaves the watch running as it was, with a warning (the stats record says what
 * holds).
 */
static void enter_sandbox(struct uw_app *app)
{
	const struct uw_config *o = &app->cfg;
	char err[256];

	app->sandbox.extra = (o->output_file ? UW_SANDBOX_REOPEN : 0) | (o->ready_tcp ? UW_SANDBOX_ACCEPT : 0) |
			     (o->syslog ? UW_SANDBOX_CONNECT : 0) | (o->metrics ? UW_SANDBOX_HTTP : 0) |
			     (app->policy_watch.fd >= 0 ? UW_SANDBOX_INOTIFY : 0);
	if (uw_drop_capabilities(&app->sandbox, err, sizeof(err)))
		fprintf(stderr, "userns-watch: warning: %s: running with all its capabilities\n", err);
	if (uw_seccomp_install(&app->sandbox, err, sizeof(err)))
		fprintf(stderr, "userns-watch: warning: %s: no system call filter\n", err);
	app->sandboxed = 1;
}

static void teardown(struct uw_app *app)
{
	int n;

	/* what the syslog receiver has not taken yet: two seconds more */
	if (app->have_pipeline && app->cfg.syslog && (n = (int)uw_syslog_drain(&app->syslog, 2000)))
		fprintf(stderr, "userns-watch: warning: %d records not delivered to syslog (%s): %s\n", n,
			app->syslog.where,
			app->syslog.last_errno ? strerror(app->syslog.last_errno) : "the receiver is slow");
	if (app->ready_fd >= 0)
		close(app->ready_fd);
	uw_httpd_stop(app->httpd);
	ring_buffer__free(app->rb);
	if (app->have_bpf)
		uw_bpf_destroy(&app->bpf);
	if (app->have_pipeline)
		uw_pipeline_free(&app->p);
	uw_syslog_free(&app->syslog);
	if (app->out != stdout)
		fclose(app->out);
	uw_policy_free(&app->policy);
	uw_policywatch_stop(&app->policy_watch);
	uw_cgroups_close(&app->cg);
	uw_tracefs_release(app->tracefs_mounted);
}

/* --check-policy FILE: parsed as the watch would (no root, no BPF); exit status 0 with the
 * number of rules, or 2 with the first error as FILE:LINE:COLUMN. */
static int check_policy(const char *file)
{
	struct uw_policy p;
	char err[1024];

	memset(&p, 0, sizeof(p));
	if (uw_policy_load(file, &p, err, sizeof(err))) {
		fprintf(stderr, "userns-watch: %s\n", err);
		return EXIT_ERROR;
	}
	printf("%s: valid, %zu rule%s\n", file, p.n, p.n == 1 ? "" : "s");
	uw_policy_free(&p);
	return 0;
}

/* --unpin: the pinned kernel side removed; exit status 0, or 2 with a sentence. */
static int unpin(const struct uw_config *o)
{
	char said[4400], err[4400];

	if (uw_pin_unpin(o->pin_dir, said, sizeof(said), err, sizeof(err))) {
		fprintf(stderr, "userns-watch: %s\n", err);
		return EXIT_ERROR;
	}
	fprintf(stderr, "userns-watch: %s\n", said);
	return 0;
}

int main(int argc, char **argv)
{
	static struct uw_app app = {
		.cg = { .v2.fd = -1, .v1.fd = -1 },
		.syslog = { .fd = -1 },
		.ready_fd = -1,
		.policy_watch = { .fd = -1 },
	};
	int rc = EXIT_ERROR;

	app.start_real_ns = uw_now_real_ns();
	app.out = stdout;
	switch (uw_parse_args(argc, argv, &app.cfg, stdout, stderr)) {
	case UW_CLI_RUN: break;
	case UW_CLI_EXIT: return 0;
	case UW_CLI_VERSION:
		uw_version_print(stdout, uw_bpf_object_sha256());
		return 0;
	default: return EXIT_ERROR;
	}
	verbosity = app.cfg.verbose; /* libbpf_print has no context to read it from */
	libbpf_set_print(libbpf_print);
	if (app.cfg.check_policy)
		return check_policy(app.cfg.check_policy);
	if (app.cfg.unpin)
		return unpin(&app.cfg);
	install_signals();

	if (learn_host(&app) || open_outputs(&app) || start_pipeline(&app) || start_kernel(&app) ||
	    start_listeners(&app))
		goto out;
	/* privileges cut before the first byte a container controls is parsed (the snapshot's
	 * metadata, /proc of its processes) */
	enter_sandbox(&app);
	switch (take_snapshot(&app)) {
	case 0: break;
	case -EIO: rc = uw_output_failed(&app); goto out;
	default: goto out;
	}
	rc = app.cfg.once ? uw_run_once(&app) : uw_run_live(&app);
	if (app.have_pipeline && app.p.sinks.unwritten) {
		fprintf(stderr,
			"userns-watch: the output took nothing for %d s after the stop: %llu record(s) "
			"not written\n",
			UW_STOP_SECONDS, (unsigned long long)app.p.sinks.unwritten);
		if (rc == 0 || rc == EXIT_VIOLATION)
			rc = EXIT_ERROR;
	}
	if (app.have_bpf && app.bpf.pin.dir_fd >= 0)
		fprintf(stderr,
			"userns-watch: the kernel side stays pinned in %s and records on: the next start "
			"reports what it kept (userns-watch --unpin removes it)\n",
			app.bpf.pin.dir);
out:
	teardown(&app);
	return rc;
}
