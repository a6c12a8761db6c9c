// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int kept_cap(cap_value_t c, cap_value_t bpf)
{
	return c == bpf || c == CAP_SYS_PTRACE || c == CAP_DAC_READ_SEARCH;
}

int uw_drop_capabilities(struct uw_sandbox *s, char *err, size_t errlen)
{
	cap_value_t max = (cap_value_t)cap_max_bits(); /* what the running kernel knows */
	cap_t cur = cap_get_proc(), next = cap_init();
	cap_value_t bpf = CAP_SYS_ADMIN, c;
	cap_flag_value_t v;
	int rc = -1;

	if (!cur || !next) {
		snprintf(err, errlen, "cannot read the process's capabilities: %s", strerror(errno));
		goto out;
	}
	/* CAP_BPF exists from Linux 5.8 (which the ring buffer needs anyway), but a runtime that
	 * does not know its name (Docker 20.10) grants CAP_SYS_ADMIN instead: keep the one held */
	if (CAP_IS_SUPPORTED(CAP_BPF) && !cap_get_flag(cur, CAP_BPF, CAP_PERMITTED, &v) && v == CAP_SET)
		bpf = CAP_BPF;
	/* the bounding set first, while CAP_SETPCAP is still held */
	s->bounding_dropped = 1;
	for (c = 0; c < max; c++)
		if (!kept_cap(c, bpf) && cap_drop_bound(c) && errno != EINVAL)
			s->bounding_dropped = 0;
	cap_reset_ambient();
	s->kept = 0;
	for (c = 0; c < max && c < 64; c++) {
		if (!kept_cap(c, bpf) || cap_get_flag(cur, c, CAP_PERMITTED, &v) || v != CAP_SET)
			continue;
		if (cap_set_flag(next, CAP_PERMITTED, 1, &c, CAP_SET) ||
		    cap_set_flag(next, CAP_EFFECTIVE, 1, &c, CAP_SET))
			goto fail;
		s->kept |= 1ULL << c;
	}
	if (cap_set_proc(next))
		goto fail;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		goto fail;
	s->no_new_privs = 1;
	rc = 0;
	goto out;
fail:
	snprintf(err, errlen, "cannot drop capabilities: %s", strerror(errno));
out:
	cap_free(cur);
	cap_free(next);
	return rc;
}

/* Dies with one sentence naming the system call the filter stopped. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char msg[160], *name;
	int n;

	(void)sig;
	(void)uc;
	/* not async-signal-safe, but the process ends here in any case */
	name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, si->si_syscall);
	n = snprintf(msg, sizeof(msg),
		     "userns-watch: the seccomp filter stopped system call %d (%s): ending the watch\n",
		     si->si_syscall, name ? name : "unknown");
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0) {
	}
	_exit(2);
}

/* The system calls of the watch loop, its output and its shutdown (glibc and libbpf's). */
static const char *const allowed[] = {
	/* records in, records out */
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "poll", "ppoll", "read", "readv", "pread64",
	"write", "writev", "bpf",
	/* /proc, cgroups by ID, runtime files (open and openat: for reading only, below) */
	"close", "fstat", "newfstatat", "fstatat64", "statx", "stat", "lstat",
	"lseek", "readlink", "readlinkat", "getdents64", "fcntl", "open_by_handle_at",
	/* memory, time, signals, the end */
	"mmap", "munmap", "mremap", "brk", "madvise", "mprotect", "futex", "clock_gettime",
	"clock_nanosleep", "nanosleep", "gettimeofday", "rt_sigaction", "rt_sigprocmask",
	"rt_sigreturn", "sigaltstack", "restart_syscall", "getpid", "getppid", "gettid", "tgkill",
	/* the self record: its own credentials */
	"getuid", "geteuid", "capget",
	"sched_yield", "exit", "exit_group",
	/* a stop's clock (SIGINT, SIGTERM: main.c) */
	"setitimer",
	/* the random seed of a hash table made after set-up (--once's audit table) */
	"getrandom",
};

/* What options add, only when given: --output-file opens its file again onto its descriptor at
 * SIGHUP; --ready-tcp accepts and closes probes; --syslog connects and sends; --metrics serves. */
static const char *const allowed_reopen[] = { "dup3", "openat", "open" };
static const char *const allowed_accept[] = { "accept4" };
static const char *const allowed_connect[] = { "socket", "connect", "sendto", "recvfrom", "getsockopt" };
/* --metrics: libmicrohttpd accepts, watches its sockets in its epoll set, reads requests, sends
 * replies and ends connections */
/* the policy file followed: the directory its symlink leads to now is watched anew */
static const char *const allowed_inotify[] = { "inotify_add_watch", "inotify_rm_watch" };
static const char *const allowed_http[] = { "accept4", "epoll_ctl", "recvfrom", "sendto", "sendmsg", "setsockopt", "shutdown" };

static int allow_names(scmp_filter_ctx ctx, const char *const *names, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);

		if (nr == __NR_SCMP_ERROR)
			continue; /* not a call of this architecture */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (rc)
			return rc;
	}
	return 0;
}

int uw_seccomp_install(struct uw_sandbox *s, char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	struct sigaction sa;
	int rc;

	if (!ctx) {
		snprintf(err, errlen, "cannot build the seccomp filter");
		return -1;
	}
	rc = allow_names(ctx, allowed, sizeof(allowed) / sizeof(allowed[0]));
	if (!rc && (s->extra & UW_SANDBOX_REOPEN))
		rc = allow_names(ctx, allowed_reopen, sizeof(allowed_reopen) / sizeof(allowed_reopen[0]));
	if (!rc && (s->extra & UW_SANDBOX_ACCEPT))
		rc = allow_names(ctx, allowed_accept, sizeof(allowed_accept) / sizeof(allowed_accept[0]));
	if (!rc && (s->extra & UW_SANDBOX_CONNECT))
		rc = allow_names(ctx, allowed_connect, sizeof(allowed_connect) / sizeof(allowed_connect[0]));
	if (!rc && (s->extra & UW_SANDBOX_HTTP))
		rc = allow_names(ctx, allowed_http, sizeof(allowed_http) / sizeof(allowed_http[0]));
	if (!rc && (s->extra & UW_SANDBOX_INOTIFY))
		rc = allow_names(ctx, allowed_inotify, sizeof(allowed_inotify) / sizeof(allowed_inotify[0]));
	if (rc)
		goto fail;
	/* files are opened for reading only (the output file's reopen, when configured, is on
	 * allowed_reopen): no access mode but O_RDONLY, no O_CREAT, O_TRUNC or O_APPEND */
	if (!(s->extra & UW_SANDBOX_REOPEN)) {
		const uint64_t wr = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND;
		struct scmp_arg_cmp ro_at = { .arg = 2, .op = SCMP_CMP_MASKED_EQ, .datum_a = wr, .datum_b = 0 };
		struct scmp_arg_cmp ro = { .arg = 1, .op = SCMP_CMP_MASKED_EQ, .datum_a = wr, .datum_b = 0 };
		int nr = seccomp_syscall_resolve_name("open");

		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1, &ro_at);
		if (!rc && nr >= 0) /* not on arm64 */
			rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &ro);
		if (rc)
			goto fail;
	}
	/* prctl only to read its own name (the self record) */
	{
		struct scmp_arg_cmp name = { .arg = 0, .op = SCMP_CMP_EQ, .datum_a = PR_GET_NAME, .datum_b = 0 };

		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, &name);
		if (rc)
			goto fail;
	}
	/* ioctl only to ask whether stderr is a terminal and to stop perf events at detach */
	{
		struct scmp_arg_cmp tcgets = { .arg = 1, .op = SCMP_CMP_EQ, .datum_a = TCGETS, .datum_b = 0 };
		struct scmp_arg_cmp perf = { .arg = 1, .op = SCMP_CMP_EQ,
					     .datum_a = PERF_EVENT_IOC_DISABLE, .datum_b = 0 };

		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, &tcgets);
		if (!rc)
			rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1, &perf);
	}
	if (rc)
		goto fail;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL)) {
		rc = -errno;
		goto fail;
	}
	rc = seccomp_load(ctx);
	if (rc)
		goto fail;
	seccomp_release(ctx);
	s->seccomp = 1;
	return 0;
fail:
	snprintf(err, errlen, "cannot load the seccomp filter: %s", strerror(-rc));
	seccomp_release(ctx);
	return -1;
}
