// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The namespace decisions the BPF programs and userspace share (include/uw_verdict.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "uw_verdict.h"

static const struct uw_ns host = { 100, 101, 102, 103, 104, 105, 106, 0 };

struct vcase {
	const char *what;
	struct uw_ns t;
	int candidate, ignorable, alert_known, alert_unknown;
};

static const struct vcase cases[] = {
	{ "host process", { 100, 101, 102, 103, 104, 105, 106, 0 }, 0, 1, 0, 0 },
	{ "container: mnt+pid+uts+ipc+net", { 100, 201, 202, 203, 204, 205, 106, 0 }, 1, 0, 1, 1 },
	{ "container with own userns", { 300, 201, 202, 203, 204, 205, 206, 0 }, 0, 0, 0, 0 },
	{ "userns only (unshare -U)", { 300, 101, 102, 103, 104, 105, 106, 0 }, 0, 1, 0, 0 },
	{ "PrivateTmp service: mnt only", { 100, 201, 102, 103, 104, 105, 106, 0 }, 1, 1, 1, 0 },
	{ "--pid=host --net=host container", { 100, 201, 102, 103, 204, 205, 106, 0 }, 1, 1, 1, 0 },
	{ "cgroupns only", { 100, 101, 102, 103, 104, 105, 206, 0 }, 1, 1, 1, 0 },
	{ "pid ns only", { 100, 101, 202, 103, 104, 105, 106, 0 }, 1, 0, 1, 1 },
	{ "net ns only", { 100, 101, 102, 203, 104, 105, 106, 0 }, 1, 1, 1, 0 },
};

static void test_cases(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];

		print_message("case: %s\n", c->what);
		assert_int_equal(uw_is_candidate(&c->t, &host), c->candidate);
		assert_int_equal(uw_ignorable(&c->t, &host), c->ignorable);
		assert_int_equal(uw_should_alert(1, &c->t, &host), c->alert_known);
		assert_int_equal(uw_should_alert(0, &c->t, &host), c->alert_unknown);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};

	return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
