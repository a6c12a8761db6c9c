// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hostname.h"

static void test_valid_names(void **state)
{
	char long_ok[254], long_bad[255], label64[65];

	(void)state;
	assert_true(uw_valid_host_name("node-1"));
	assert_true(uw_valid_host_name("ip-10-0-0-1.eu-west-1.compute.internal"));
	assert_true(uw_valid_host_name("Worker_7"));
	/* 253 bytes in labels of 63 */
	memset(long_ok, 'a', 253);
	long_ok[63] = long_ok[127] = long_ok[191] = '.';
	long_ok[253] = '\0';
	assert_true(uw_valid_host_name(long_ok));
	memcpy(long_bad, long_ok, 253);
	long_bad[253] = 'a';
	long_bad[254] = '\0';
	assert_false(uw_valid_host_name(long_bad));
	memset(label64, 'a', 64);
	label64[64] = '\0';
	assert_false(uw_valid_host_name(label64));
	label64[63] = '\0';
	assert_true(uw_valid_host_name(label64));
	assert_false(uw_valid_host_name(""));
	assert_false(uw_valid_host_name("."));
	assert_false(uw_valid_host_name(".a"));
	assert_false(uw_valid_host_name("a."));
	assert_false(uw_valid_host_name("a..b"));
	assert_false(uw_valid_host_name("a b"));
	assert_false(uw_valid_host_name("a\n"));
	assert_false(uw_valid_host_name("node\x1b[31m"));
	assert_false(uw_valid_host_name("n\xc3\xbc"));
	assert_false(uw_valid_host_name("a/b"));
}

static void test_option_before_env(void **state)
{
	char out[UW_HOST_NAME_MAX + 2], err[512];
	enum uw_host_name_source src;

	(void)state;
	assert_int_equal(0, uw_host_name("opt-name", "env-name", "/nonexistent", 1, out, sizeof(out), &src, err,
					 sizeof(err)));
	assert_string_equal("opt-name", out);
	assert_int_equal(UW_HN_OPTION, src);
	assert_string_equal("option", uw_host_name_source_str(src));
	assert_int_equal(-1, uw_host_name("bad name", "env-name", "/nonexistent", 1, out, sizeof(out), &src, err,
					  sizeof(err)));
	assert_non_null(strstr(err, "bad --host-name 'bad name'"));
}

static void test_env(void **state)
{
	char out[UW_HOST_NAME_MAX + 2], err[512];
	enum uw_host_name_source src;

	(void)state;
	assert_int_equal(0, uw_host_name(NULL, "node-a", "/nonexistent", 1, out, sizeof(out), &src, err,
					 sizeof(err)));
	assert_string_equal("node-a", out);
	assert_int_equal(UW_HN_ENV, src);
	assert_string_equal("NODE_NAME", uw_host_name_source_str(src));
	assert_int_equal(-1, uw_host_name(NULL, "node a", "/nonexistent", 1, out, sizeof(out), &src, err,
					  sizeof(err)));
	assert_non_null(strstr(err, "NODE_NAME in the environment is not a DNS name"));
	/* the value is not echoed: it may hold anything */
	assert_null(strstr(err, "node a"));
}

static void test_own_uts(void **state)
{
	char out[UW_HOST_NAME_MAX + 2], err[512], own[256] = "";
	enum uw_host_name_source src;

	(void)state;
	gethostname(own, sizeof(own) - 1);
	/* an empty NODE_NAME counts as unset; this process's UTS namespace is the "host's" here */
	assert_int_equal(0, uw_host_name(NULL, "", "/proc", (int)getpid(), out, sizeof(out), &src, err,
					 sizeof(err)));
	assert_string_equal(own, out);
	assert_int_equal(UW_HN_HOST_UTS, src);
}

static void test_unreadable_falls_back(void **state)
{
	char out[UW_HOST_NAME_MAX + 2], err[512], own[256] = "";
	enum uw_host_name_source src;

	(void)state;
	gethostname(own, sizeof(own) - 1);
	assert_int_equal(1, uw_host_name(NULL, NULL, "/nonexistent", 1, out, sizeof(out), &src, err,
					 sizeof(err)));
	assert_string_equal(own, out);
	assert_int_equal(UW_HN_OWN, src);
	assert_string_equal("own", uw_host_name_source_str(src));
	assert_non_null(strstr(err, "cannot read the host's hostname through /nonexistent/1/ns/uts"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_names),
		cmocka_unit_test(test_option_before_env),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_own_uts),
		cmocka_unit_test(test_unreadable_falls_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
