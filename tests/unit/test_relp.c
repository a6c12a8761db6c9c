// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* RELP frames (user/relp.c): what is sent, and what of a receiver's bytes is taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "relp.h"

static void test_frames_written(void **state)
{
	char buf[256];

	assert_int_equal(uw_relp_frame(buf, sizeof(buf), 1, "open", UW_RELP_OFFERS, strlen(UW_RELP_OFFERS)),
			 strlen("1 open 57 " UW_RELP_OFFERS "\n"));
	assert_string_equal(buf, "1 open 57 relp_version=0\nrelp_software=userns-watch\ncommands=syslog\n");
	assert_int_equal(uw_relp_frame(buf, sizeof(buf), 42, "syslog", "<86>1 - x", 9), 22);
	assert_string_equal(buf, "42 syslog 9 <86>1 - x\n");
	assert_int_equal(uw_relp_frame(buf, sizeof(buf), 3, "close", "", 0), 10);
	assert_string_equal(buf, "3 close 0\n");
	/* too small: the length it needs, nothing written past cap */
	memset(buf, 'z', sizeof(buf));
	assert_int_equal(uw_relp_frame(buf, 8, 42, "syslog", "<86>1 - x", 9), 22);
	assert_int_equal(buf[8], 'z');
	assert_int_equal(uw_relp_frame(NULL, 0, 999999999, "syslog", "a", 1), 21);
}

static void test_responses_read(void **state)
{
	static const char open_rsp[] = "1 rsp 90 200 OK\nrelp_version=0\nrelp_software=librelp,1.11.0,"
				       "https://www.rsyslog.com\ncommands=syslog\n";
	enum uw_relp_kind k;
	unsigned t;
	int c;

	assert_int_equal(uw_relp_parse(open_rsp, strlen(open_rsp), &t, &k, &c), strlen(open_rsp));
	assert_int_equal(t, 1);
	assert_int_equal(k, UW_RELP_RSP);
	assert_int_equal(c, 200);
	/* two frames: the first only */
	assert_int_equal(uw_relp_parse("2 rsp 6 200 OK\n3 rsp 6 200 OK\n", 30, &t, &k, &c), 15);
	assert_int_equal(t, 2);
	assert_int_equal(uw_relp_parse("7 rsp 21 500 error, no session\n", 31, &t, &k, &c), 31);
	assert_int_equal(c, 500);
	assert_int_equal(uw_relp_parse("0 serverclose 0\n", 16, &t, &k, &c), 16);
	assert_int_equal(k, UW_RELP_SERVERCLOSE);
	/* partial: more wanted */
	assert_int_equal(uw_relp_parse("", 0, &t, &k, &c), 0);
	assert_int_equal(uw_relp_parse("12", 2, &t, &k, &c), 0);
	assert_int_equal(uw_relp_parse("12 rs", 5, &t, &k, &c), 0);
	assert_int_equal(uw_relp_parse("12 rsp 6 200", 12, &t, &k, &c), 0);
	assert_int_equal(uw_relp_parse("12 rsp 6 200 OK", 15, &t, &k, &c), 0);
	/* not what a server sends */
	assert_int_equal(uw_relp_parse("x rsp 6 200 OK\n", 15, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1234567890 rsp 6 200 OK\n", 24, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1 syslog 6 200 OK\n", 18, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1 RSP 6 200 OK\n", 15, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1 rsp 0\n", 8, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1 rsp 2 20\n", 11, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1 rsp 6 2x0 OK\n", 15, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1 rsp 6 200 OKX", 15, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1 rsp 5000 200", 14, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1  rsp 6 200 OK\n", 16, &t, &k, &c), -1);
	assert_int_equal(uw_relp_parse("1 rsp 6x200 OK\n", 15, &t, &k, &c), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_written),
		cmocka_unit_test(test_responses_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
