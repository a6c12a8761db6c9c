// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fakeproc.h"
#include "hostns.h"

static void test_parse_link(void **state)
{
	unsigned v = 0;

	assert_int_equal(uw_parse_ns_link("mnt:[4026531841]", "mnt", &v), 0);
	assert_int_equal(v, 4026531841u);
	assert_int_equal(uw_parse_ns_link("user:[4026531837]", "user", &v), 0);
	assert_int_equal(v, 4026531837u);
	assert_int_equal(uw_parse_ns_link("mnt:[4026531841]", "net", &v), -1);
	assert_int_equal(uw_parse_ns_link("mnt:[]", "mnt", &v), -1);
	assert_int_equal(uw_parse_ns_link("mnt:[12x]", "mnt", &v), -1);
	assert_int_equal(uw_parse_ns_link("mnt:[12]x", "mnt", &v), -1);
	assert_int_equal(uw_parse_ns_link("mnt:[-1]", "mnt", &v), -1);
	assert_int_equal(uw_parse_ns_link("mnt:[4294967296]", "mnt", &v), -1);
	assert_int_equal(uw_parse_ns_link("mntx:[1]", "mnt", &v), -1);
	/* only the kernel's own form (found by fuzzing): no leading zero, sign or space */
	assert_int_equal(uw_parse_ns_link("mnt:[011000]", "mnt", &v), -1);
	assert_int_equal(uw_parse_ns_link("mnt:[0]", "mnt", &v), -1);
	assert_int_equal(uw_parse_ns_link("mnt:[+5]", "mnt", &v), -1);
	assert_int_equal(uw_parse_ns_link("mnt:[ 5]", "mnt", &v), -1);
}

static void put_ns(const char *root, int pid, unsigned base)
{
	static const char *const types[] = { "user", "mnt", "pid", "net", "uts", "ipc", "cgroup" };
	char rel[64], link[64];
	size_t i;

	for (i = 0; i < 7; i++) {
		snprintf(rel, sizeof(rel), "%d/ns/%s", pid, types[i]);
		snprintf(link, sizeof(link), "%s:[%u]", types[i], base + (unsigned)i);
		fake_put(root, rel, link, 1);
	}
}

static void test_from_pid1(void **state)
{
	char *root = fake_root(), err[512];
	struct uw_ns ns;
	int from = 0;

	put_ns(root, 1, 1000);
	put_ns(root, 2, 2000);
	fake_put(root, "2/stat", "2 (kthreadd) S 0 0 0 0", 0);
	assert_int_equal(uw_host_ns(root, &ns, &from, err, sizeof(err)), 0);
	assert_int_equal(from, 1);
	assert_int_equal(ns.user, 1000);
	assert_int_equal(ns.mnt, 1001);
	assert_int_equal(ns.pid, 1002);
	assert_int_equal(ns.net, 1003);
	assert_int_equal(ns.uts, 1004);
	assert_int_equal(ns.ipc, 1005);
	assert_int_equal(ns.cgroup, 1006);
	fake_rm(root);
}

/* PID 1 unreadable (this sandbox): kthreadd is used, but only when it is kthreadd. */
static void test_fallback_kthreadd(void **state)
{
	char *root = fake_root(), err[512];
	struct uw_ns ns;
	int from = 0;

	put_ns(root, 2, 2000);
	fake_put(root, "2/stat", "2 (kthreadd) S 0 0 0 0", 0);
	assert_int_equal(uw_host_ns(root, &ns, &from, err, sizeof(err)), 0);
	assert_int_equal(from, 2);
	assert_int_equal(ns.user, 2000);
	assert_int_equal(ns.cgroup, 2006);
	fake_rm(root);

	root = fake_root();
	put_ns(root, 2, 2000);
	fake_put(root, "2/stat", "2 (sh) S 1 0 0 0", 0); /* a container's PID 2 */
	assert_int_equal(uw_host_ns(root, &ns, &from, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot read the host's user namespace"));
	assert_non_null(strstr(err, "--procfs"));
	fake_rm(root);

	root = fake_root();
	put_ns(root, 2, 2000);
	fake_put(root, "2/stat", "2 (kthreadd) S 1 0 0 0", 0); /* wrong parent */
	assert_int_equal(uw_host_ns(root, &ns, &from, err, sizeof(err)), -1);
	fake_rm(root);
}

static void test_missing(void **state)
{
	char err[512];
	struct uw_ns ns;
	int from;

	assert_int_equal(uw_host_ns("/nonexistent-procfs", &ns, &from, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent-procfs/1/ns/user"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_link),
		cmocka_unit_test(test_from_pid1),
		cmocka_unit_test(test_fallback_kthreadd),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests_name("hostns", tests, NULL, NULL);
}
