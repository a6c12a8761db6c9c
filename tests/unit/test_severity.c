// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "severity.h"

#define CAP(n) (1ULL << (n))

static void test_table(void **state)
{
	(void)state;
	/* CAP_SYS_ADMIN: critical, root or not */
	assert_string_equal(uw_host_userns_severity(0, 0, CAP(UW_CAP_SYS_ADMIN)), "critical");
	assert_string_equal(uw_host_userns_severity(1000, 1000, CAP(UW_CAP_SYS_ADMIN)), "critical");
	assert_string_equal(uw_host_userns_severity(0, 0, ~0ULL), "critical");
	/* root without it: high, whatever else it holds */
	assert_string_equal(uw_host_userns_severity(0, 0, 0), "high");
	assert_string_equal(uw_host_userns_severity(0, 0, ~0ULL & ~CAP(UW_CAP_SYS_ADMIN)), "high");
	assert_string_equal(uw_host_userns_severity(1000, 0, 0), "high"); /* setuid root */
	assert_string_equal(uw_host_userns_severity(0, 1000, 0), "high");
	/* not root but holding capabilities (file capabilities, ambient): high */
	assert_string_equal(uw_host_userns_severity(1000, 1000, CAP(13)), "high");
	/* not root, nothing: medium */
	assert_string_equal(uw_host_userns_severity(1000, 1000, 0), "medium");
	assert_string_equal(uw_host_userns_severity(65534, 65534, 0), "medium");
}

static char names[2048];

static void add(void *ctx, const char *name)
{
	size_t off = strlen(names);

	(void)ctx;
	snprintf(names + off, sizeof(names) - off, "%s%s", off ? "," : "", name);
}

static void test_names(void **state)
{
	(void)state;
	names[0] = 0;
	uw_caps_each(0, add, NULL);
	assert_string_equal(names, "");
	uw_caps_each(CAP(0) | CAP(21) | CAP(39) | CAP(40), add, NULL);
	assert_string_equal(names, "cap_chown,cap_sys_admin,cap_bpf,cap_checkpoint_restore");
	names[0] = 0;
	uw_caps_each(CAP(62) | CAP(63), add, NULL);
	assert_string_equal(names, "cap_62,cap_63");	/* the same names, comma-separated, cut at the buffer's end */
	uw_caps_names(CAP(0) | CAP(21) | CAP(63), names, sizeof(names));
	assert_string_equal(names, "cap_chown,cap_sys_admin,cap_63");
	uw_caps_names(CAP(0) | CAP(21), names, 12);
	assert_string_equal(names, "cap_chown,c");
	uw_caps_names(0, names, sizeof(names));
	assert_string_equal(names, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
