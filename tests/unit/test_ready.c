// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --ready-tcp: what the address parser takes and refuses, and a listener that accepts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netaddr.h"
#include "ready.h"

static void test_parse_good(void **state)
{
	struct uw_netaddr a;
	char err[512], buf[INET6_ADDRSTRLEN];
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&a.ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&a.ss;

	assert_int_equal(uw_netaddr_option("--ready-tcp", "9477", &a, err, sizeof(err)), 0);
	assert_int_equal(a.ss.ss_family, AF_INET);
	assert_int_equal(a.len, sizeof(struct sockaddr_in));
	assert_int_equal(ntohs(s4->sin_port), 9477);
	assert_string_equal(inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof(buf)), "127.0.0.1");

	assert_int_equal(uw_netaddr_option("--ready-tcp", "0.0.0.0:1", &a, err, sizeof(err)), 0);
	assert_int_equal(ntohs(s4->sin_port), 1);
	assert_string_equal(inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof(buf)), "0.0.0.0");

	assert_int_equal(uw_netaddr_option("--ready-tcp", "10.1.2.3:65535", &a, err, sizeof(err)), 0);
	assert_int_equal(ntohs(s4->sin_port), 65535);
	assert_string_equal(inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof(buf)), "10.1.2.3");

	assert_int_equal(uw_netaddr_option("--ready-tcp", "[::]:9477", &a, err, sizeof(err)), 0);
	assert_int_equal(a.ss.ss_family, AF_INET6);
	assert_int_equal(a.len, sizeof(struct sockaddr_in6));
	assert_int_equal(ntohs(s6->sin6_port), 9477);
	assert_string_equal(inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf)), "::");

	assert_int_equal(uw_netaddr_option("--ready-tcp", "[fe80::1]:80", &a, err, sizeof(err)), 0);
	assert_string_equal(inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf)), "fe80::1");
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", "0", "65536", "99999999999", "-1", "+80", " 80", "80 ", "0x50", "9477:",
		":9477", "localhost:9477", "1.2.3:80", "1.2.3.4:", "1.2.3.4:0", "::1:80", "[::1]",
		"[::1]80", "[]:80", "[::1]:", "[1.2.3.4]:80", "[::1]:65536",
		"[0000:0000:0000:0000:0000:0000:0000:0000:0000]:80",
	};
	struct uw_netaddr a;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("case '%s'\n", bad[i]);
		assert_int_equal(uw_netaddr_option("--ready-tcp", bad[i], &a, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "bad --ready-tcp value '"));
	}
}

/* A loopback listener on a port the kernel picks: connections are taken off the queue. */
static void test_listen_accept(void **state)
{
	struct uw_netaddr a;
	struct sockaddr_in got;
	socklen_t gl = sizeof(got);
	char err[512];
	int fd, c[4], i;

	assert_int_equal(uw_netaddr_option("--ready-tcp", "127.0.0.1:1", &a, err, sizeof(err)), 0);
	((struct sockaddr_in *)&a.ss)->sin_port = 0; /* any free port */
	fd = uw_ready_listen(&a, err, sizeof(err));
	assert_true(fd >= 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&got, &gl), 0);
	assert_int_equal(uw_ready_accept(fd, 16), 0); /* nothing pending, no blocking */
	for (i = 0; i < 2; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM, 0);
		assert_int_equal(connect(c[i], (struct sockaddr *)&got, sizeof(got)), 0);
	}
	assert_int_equal(uw_ready_accept(fd, 1), 1); /* bounded */
	assert_int_equal(uw_ready_accept(fd, 16), 1);
	assert_int_equal(uw_ready_accept(fd, 16), 0);
	for (i = 0; i < 2; i++) {
		char b;

		/* the peer was closed without a byte: end of file */
		assert_int_equal(read(c[i], &b, 1), 0);
		close(c[i]);
	}
	/* a second listener on the same address fails with a sentence */
	memset(&a, 0, sizeof(a));
	memcpy(&a.ss, &got, sizeof(got));
	a.len = sizeof(got);
	assert_int_equal(uw_ready_listen(&a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--ready-tcp: cannot listen on 127.0.0.1 port "));
	assert_non_null(strstr(err, "Address already in use"));
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_listen_accept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
