// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --syslog: RFC 5424 headers, the --syslog values, the bounded queue, TCP framing and
 * reconnection against a loopback listener of the test's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "syslog5424.h"

#define TS 1795501600123456789ULL /* 2026-11-24T06:26:40.123456789Z */

static void test_format(void **state)
{
	char buf[512];
	size_t n;

	n = uw_syslog_format(buf, sizeof(buf), 10 * 8 + 2, TS, "node-a", "userns-watch", 42, "escape",
			     "{\"a\":1}", 7);
	assert_string_equal(buf, "<82>1 2026-11-24T06:26:40.123456Z node-a userns-watch 42 escape - {\"a\":1}");
	assert_int_equal(n, strlen(buf));
	/* header fields are PRINTUSASCII, cut to their length; empty ones are "-" */
	uw_syslog_format(buf, sizeof(buf), 86, TS, "a b\x01\xff", "", 1, "", "m", 1);
	assert_string_equal(buf, "<86>1 2026-11-24T06:26:40.123456Z a_b__ - 1 - - m");
	/* too small: cut, and the length it needs */
	n = uw_syslog_format(buf, 20, 86, TS, "h", "a", 1, "e", "0123456789", 10);
	assert_int_equal(strlen(buf), 19);
	assert_int_equal(n, strlen("<86>1 2026-11-24T06:26:40.123456Z h a 1 e - 0123456789"));
	assert_int_equal(uw_syslog_severity("critical"), 2);
	assert_int_equal(uw_syslog_severity("high"), 3);
	assert_int_equal(uw_syslog_severity("medium"), 4);
	assert_int_equal(uw_syslog_severity("info"), 6);
	assert_int_equal(uw_syslog_severity(NULL), 6);
}

static void test_parse(void **state)
{
	static const char *const bad[] = {
		"", "tcp:", "tcp:1.2.3.4", "tcp:localhost:514", "udp:1.2.3.4:0", "udp:1.2.3.4:65536",
		"unix:", "unix:rel.sock", "TCP:1.2.3.4:514", "tcp:1.2.3.4:514x", "udp:[::1]",
		"unix:/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct uw_syslog s;
	char err[512];
	size_t i;

	assert_int_equal(uw_syslog_parse("tcp:127.0.0.1:514", &s, err, sizeof(err)), 0);
	assert_int_equal(s.kind, UW_SYSLOG_TCP);
	assert_string_equal(s.where, "tcp 127.0.0.1 port 514");
	assert_int_equal(uw_syslog_parse("udp:[::1]:5140", &s, err, sizeof(err)), 0);
	assert_int_equal(s.kind, UW_SYSLOG_UDP);
	assert_string_equal(s.where, "udp ::1 port 5140");
	assert_int_equal(uw_syslog_parse("unix:/dev/log", &s, err, sizeof(err)), 0);
	assert_int_equal(s.kind, UW_SYSLOG_UNIX);
	assert_string_equal(s.where, "unix /dev/log");
	assert_string_equal(((struct sockaddr_un *)&s.addr)->sun_path, "/dev/log");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("case '%s'\n", bad[i]);
		assert_int_equal(uw_syslog_parse(bad[i], &s, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "bad --syslog value '"));
	}
}

/* No receiver (a unix path nobody listens on): messages wait, in order; past the bound they
 * are dropped and counted; the backoff keeps the watch from trying at every record. */
static void test_queue_bound(void **state)
{
	struct uw_syslog s;
	char err[256];
	uint64_t now = 1000000000ULL;
	int i;

	assert_int_equal(uw_syslog_parse("unix:/nonexistent/uw-test.sock", &s, err, sizeof(err)), 0);
	assert_int_equal(uw_syslog_init(&s, 1000), 0);
	/* a unix socket gets the local form */
	size_t each = uw_syslog_format_local(NULL, 0, 86, TS, "userns-watch", s.pid,
					     "0123456789012345678901234567890123456789", 40);

	for (i = 0; i < 20; i++)
		uw_syslog_record(&s, "info", "stats", TS, "h", "0123456789012345678901234567890123456789", 40, now);
	/* as many as fit in 1000 bytes wait; the rest are dropped */
	assert_int_equal(s.qn, 1000 / each);
	assert_int_equal(s.dropped, 20 - 1000 / each);
	assert_int_equal(s.qbytes, (1000 / each) * each);
	assert_int_equal(s.sent, 0);
	assert_int_equal(s.errors, 1); /* tried once, then waits for the backoff */
	assert_int_equal(s.last_errno, ENOENT);
	uw_syslog_pump(&s, now + 200000000ULL); /* past 100 ms: one more try */
	assert_int_equal(s.errors, 2);
	assert_true(s.retry_at >= now + 200000000ULL + 200000000ULL); /* the wait doubled */
	uw_syslog_free(&s);
}

static int listener(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Reads what arrived within 200 ms. */
static size_t slurp(int fd, char *buf, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t have = 0;
	ssize_t n;

	while (have + 1 < cap && poll(&p, 1, 200) > 0 && (n = read(fd, buf + have, cap - 1 - have)) > 0)
		have += (size_t)n;
	buf[have] = '\0';
	return have;
}

/* TCP: octet-counted frames; a receiver that closed is noticed before the next send, and what
 * waited goes out on the next connection, whole and in order. */
static void test_tcp_frames_and_reconnect(void **state)
{
	struct uw_syslog s;
	char spec[64], err[256], got[4096];
	const char *hdr = "<86>1 2026-11-24T06:26:40.123456Z h userns-watch ";
	uint16_t port;
	int l = listener(&port), c;
	uint64_t now = 1000000000ULL;

	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%u", port);
	assert_int_equal(uw_syslog_parse(spec, &s, err, sizeof(err)), 0);
	assert_int_equal(uw_syslog_init(&s, 1 << 20), 0);
	s.pid = 7;
	uw_syslog_record(&s, "info", "stats", TS, "h", "{\"n\":1}\n", 8, now); /* newline cut */
	c = accept(l, NULL, NULL);
	assert_true(c >= 0);
	uw_syslog_pump(&s, now); /* the connection was in progress */
	uw_syslog_record(&s, "info", "stats", TS, "h", "{\"n\":2}", 7, now);
	slurp(c, got, sizeof(got));
	snprintf(err, sizeof(err), "%zu %s7 stats - {\"n\":1}%zu %s7 stats - {\"n\":2}",
		 strlen(hdr) + 17, hdr, strlen(hdr) + 17, hdr);
	assert_string_equal(got, err);
	assert_int_equal(s.sent, 2);
	assert_int_equal(s.connects, 1);
	/* the receiver restarts: its end closes */
	close(c);
	usleep(50000);
	uw_syslog_record(&s, "high", "host_userns", TS, "h", "{\"n\":3}", 7, now);
	assert_int_equal(s.qn, 1); /* not written into the dead connection */
	assert_int_equal(s.sent, 2);
	uw_syslog_pump(&s, now + 150000000ULL); /* after the backoff: connects again */
	c = accept(l, NULL, NULL);
	assert_true(c >= 0);
	uw_syslog_pump(&s, now + 160000000ULL);
	slurp(c, got, sizeof(got));
	snprintf(err, sizeof(err), "%zu <83>1 2026-11-24T06:26:40.123456Z h userns-watch 7 host_userns - {\"n\":3}",
		 strlen("<83>1 2026-11-24T06:26:40.123456Z h userns-watch 7 host_userns - {\"n\":3}"));
	assert_string_equal(got, err);
	assert_int_equal(s.sent, 3);
	assert_int_equal(s.connects, 2);
	assert_int_equal(s.dropped, 0);
	assert_int_equal(uw_syslog_drain(&s, 100), 0);
	close(c);
	close(l);
	uw_syslog_free(&s);
}

/* A unix datagram receiver (/dev/log): one message per datagram, no framing, in the local form
 * a host's syslog daemon parses (syslog(3)'s: the tag is the app-name and PID; local time) */
static void test_unix_datagrams(void **state)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/uw-sl.XXXXXX", spec[160], err[256], got[512];
	struct uw_syslog s;
	ssize_t n;
	int r;

	assert_non_null(mkdtemp(dir));
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/log.sock", dir);
	r = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(bind(r, (struct sockaddr *)&a, sizeof(a)), 0);
	snprintf(spec, sizeof(spec), "unix:%s", a.sun_path);
	assert_int_equal(uw_syslog_parse(spec, &s, err, sizeof(err)), 0);
	assert_int_equal(uw_syslog_init(&s, 1 << 20), 0);
	s.pid = 9;
	setenv("TZ", "UTC", 1);
	tzset();
	uw_syslog_record(&s, "medium", "alert_limit", TS, "h", "x", 1, 1);
	uw_syslog_record(&s, "critical", "escape", TS, "h", "y", 1, 1);
	n = recv(r, got, sizeof(got) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, "<84>Nov 24 06:26:40 userns-watch[9]: x");
	n = recv(r, got, sizeof(got) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, "<82>Nov 24 06:26:40 userns-watch[9]: y");
	assert_int_equal(s.sent, 2);
	uw_syslog_free(&s);
	close(r);
	unlink(a.sun_path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_queue_bound),
		cmocka_unit_test(test_tcp_frames_and_reconnect),
		cmocka_unit_test(test_unix_datagrams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
