// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Least privilege: the capabilities kept, and the seccomp allow-list, each in a child process. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox.h"
#include "severity.h"

/* Runs fn in a child with stderr to a pipe; returns its wait status and what it wrote. */
static int in_child(void (*fn)(void), char *out, size_t len)
{
	int p[2], status = 0;
	ssize_t n, have = 0;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDERR_FILENO);
		fn();
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], out + have, len - 1 - (size_t)have)) > 0)
		have += n;
	out[have] = 0;
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void filtered_then_forbidden(void)
{
	struct uw_sandbox s = { 0 };
	char err[256];

	if (uw_seccomp_install(&s, err, sizeof(err)))
		_exit(10);
	if (write(STDERR_FILENO, "allowed\n", 8) != 8) /* a call on the list */
		_exit(11);
	syscall(SYS_getpgid, 0); /* not on the list */
	_exit(12);
}

/* A call outside the allow-list ends the process with one sentence naming it. */
static void test_seccomp_names_the_call(void **state)
{
	char out[512];
	int st = in_child(filtered_then_forbidden, out, sizeof(out));

	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	assert_non_null(strstr(out, "allowed\n"));
	assert_non_null(strstr(out, "the seccomp filter stopped system call"));
	assert_non_null(strstr(out, "(getpgid)"));
}

/* socket() is on the list only with UW_SANDBOX_CONNECT (--syslog) */
static void socket_with_extra(unsigned extra)
{
	struct uw_sandbox s = { .extra = extra };
	char err[256];
	int fd;

	if (uw_seccomp_install(&s, err, sizeof(err)))
		_exit(10);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	_exit(fd >= 0 ? 0 : 11);
}

static void socket_without_connect(void)
{
	socket_with_extra(UW_SANDBOX_REOPEN | UW_SANDBOX_ACCEPT);
}

static void socket_with_connect(void)
{
	socket_with_extra(UW_SANDBOX_CONNECT);
}

/* without: the call is stopped and named; with: the child ends well and says nothing */
static void stopped_without_allowed_with(void (*without)(void), void (*with)(void), const char *call)
{
	char out[512];
	int st;

	st = in_child(without, out, sizeof(out));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	assert_non_null(strstr(out, call));
	st = in_child(with, out, sizeof(out));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_string_equal(out, "");
}

static void test_seccomp_extra_calls(void **state)
{
	stopped_without_allowed_with(socket_without_connect, socket_with_connect, "(socket)");
}

/* files open for reading always; for writing only with UW_SANDBOX_REOPEN (--output-file) */
static void write_open_with_extra(unsigned extra)
{
	struct uw_sandbox s = { .extra = extra };
	char err[256];
	int fd;

	if (uw_seccomp_install(&s, err, sizeof(err)))
		_exit(10);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		_exit(11);
	close(fd);
	fd = open("/dev/null", O_WRONLY | O_APPEND | O_CLOEXEC);
	_exit(fd >= 0 ? 0 : 12);
}

static void write_open_without_reopen(void)
{
	write_open_with_extra(UW_SANDBOX_ACCEPT | UW_SANDBOX_CONNECT | UW_SANDBOX_HTTP);
}

static void write_open_with_reopen(void)
{
	write_open_with_extra(UW_SANDBOX_REOPEN);
}

static void test_seccomp_write_opens(void **state)
{
	stopped_without_allowed_with(write_open_without_reopen, write_open_with_reopen, "(openat)");
}

/* epoll_ctl (libmicrohttpd's sockets) only with UW_SANDBOX_HTTP (--metrics) */
static void epoll_with_extra(unsigned extra)
{
	struct uw_sandbox s = { .extra = extra };
	struct epoll_event ev = { .events = EPOLLIN };
	char err[256];
	int ep = epoll_create1(EPOLL_CLOEXEC), p[2];

	if (ep < 0 || pipe(p) || uw_seccomp_install(&s, err, sizeof(err)))
		_exit(10);
	_exit(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) ? 11 : 0);
}

static void epoll_without_http(void)
{
	epoll_with_extra(UW_SANDBOX_REOPEN | UW_SANDBOX_ACCEPT | UW_SANDBOX_CONNECT);
}

static void epoll_with_http(void)
{
	epoll_with_extra(UW_SANDBOX_HTTP);
}

static void test_seccomp_http_calls(void **state)
{
	stopped_without_allowed_with(epoll_without_http, epoll_with_http, "(epoll_ctl)");
}

static void drop_and_report(void)
{
	struct uw_sandbox s = { 0 };
	char err[256], line[256];
	FILE *f;

	if (uw_drop_capabilities(&s, err, sizeof(err)))
		_exit(10);
	f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7) || !strncmp(line, "CapBnd:", 7) ||
		    !strncmp(line, "NoNewPrivs:", 11))
			fputs(line, stderr);
	uw_caps_names(s.kept, line, sizeof(line));
	fprintf(stderr, "kept %s bounding %d\n", line, s.bounding_dropped);
	_exit(0);
}

/* Without CAP_BPF (a runtime that grants CAP_SYS_ADMIN instead): CAP_SYS_ADMIN is kept for
 * the loop's bpf() calls, not dropped with the rest. */
static void drop_without_cap_bpf(void)
{
	cap_value_t bpf = 39; /* CAP_BPF */
	cap_t c = cap_get_proc();

	if (!c || cap_set_flag(c, CAP_EFFECTIVE, 1, &bpf, CAP_CLEAR) ||
	    cap_set_flag(c, CAP_PERMITTED, 1, &bpf, CAP_CLEAR) || cap_set_proc(c))
		_exit(13);
	cap_free(c);
	drop_and_report();
}

static void test_capabilities_kept_without_cap_bpf(void **state)
{
	char out[1024];
	int st;

	if (geteuid() != 0 || !CAP_IS_SUPPORTED(39)) {
		print_message("SKIP: needs root and a kernel with CAP_BPF\n");
		skip();
	}
	st = in_child(drop_without_cap_bpf, out, sizeof(out));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_non_null(strstr(out, "CapEff:\t0000000000280004\n"));
	assert_non_null(strstr(out, "kept cap_dac_read_search,cap_sys_ptrace,cap_sys_admin bounding 1\n"));
}

/* As root: only CAP_BPF, CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH stay, in every set. */
static void test_capabilities_kept(void **state)
{
	char out[1024];
	int st;

	if (geteuid() != 0) {
		print_message("SKIP: dropping capabilities needs root to have them\n");
		skip();
	}
	st = in_child(drop_and_report, out, sizeof(out));
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_non_null(strstr(out, "CapEff:\t0000008000080004\n"));
	assert_non_null(strstr(out, "CapBnd:\t0000008000080004\n"));
	assert_non_null(strstr(out, "NoNewPrivs:\t1\n"));
	assert_non_null(strstr(out, "kept cap_dac_read_search,cap_sys_ptrace,cap_bpf bounding 1\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seccomp_names_the_call),
		cmocka_unit_test(test_seccomp_extra_calls),
		cmocka_unit_test(test_seccomp_write_opens),
		cmocka_unit_test(test_seccomp_http_calls),
		cmocka_unit_test(test_capabilities_kept),
		cmocka_unit_test(test_capabilities_kept_without_cap_bpf),
	};

	return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
