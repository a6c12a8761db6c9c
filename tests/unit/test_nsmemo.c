// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Mount namespace <-> container memory, checked against procfs before every answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fakeproc.h"
#include "nsmemo.h"

#define HOST_MNT 4026531840u

static void put_mnt(const char *root, int pid, uint32_t mnt)
{
	char rel[64], link[64], path[4200];

	snprintf(rel, sizeof(rel), "%d/ns/mnt", pid);
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
	snprintf(link, sizeof(link), "mnt:[%u]", mnt);
	assert_int_equal(fake_put(root, rel, link, 1), 0);
}

static struct uw_container ctr(const char *id)
{
	struct uw_container c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	c.runtime = "docker";
	return c;
}

/* Learned from a container's process; answers both ways while that process lives there. */
static void test_learn_and_answer(void **state)
{
	char *root = fake_root();
	struct uw_nsmemo m;
	struct uw_container a = ctr("aaa"), b = ctr("bbb");
	struct uw_memo_src src = { 0, 77 }, srcb = { 0, 88 }, got;

	assert_int_equal(uw_nsmemo_init(&m, root, HOST_MNT), 0);
	put_mnt(root, 10, 5000);
	put_mnt(root, 20, 6000);
	uw_nsmemo_learn(&m, &a, &src, 10, 5000);
	assert_int_equal(uw_nsmemo_owner(&m, 5000, &got), 1);
	assert_int_equal(got.id, 77);
	assert_int_equal(got.hier, 0);
	assert_int_equal(uw_nsmemo_ctr_mnt(&m, &a), 5000);
	/* first one wins: a later process of b in a's namespace does not claim it, and a's own
	 * namespace stays the first one it was seen in */
	uw_nsmemo_learn(&m, &b, &srcb, 20, 5000);
	assert_int_equal(uw_nsmemo_owner(&m, 5000, &got), 1);
	assert_int_equal(got.id, 77);
	uw_nsmemo_learn(&m, &a, &src, 20, 6000);
	assert_int_equal(uw_nsmemo_ctr_mnt(&m, &a), 5000);
	/* the host's mount namespace is nobody's */
	uw_nsmemo_learn(&m, &b, &srcb, 20, HOST_MNT);
	assert_int_equal(uw_nsmemo_owner(&m, HOST_MNT, &got), 0);
	assert_int_equal(m.stale, 0);
	uw_nsmemo_free(&m);
	fake_rm(root);
}

/* The teaching process left (exited, or moved namespaces): the answer is dropped, counted,
 * and the namespace can be learned afresh for whoever owns the reused inode now. */
static void test_stale_answers_dropped(void **state)
{
	char *root = fake_root();
	struct uw_nsmemo m;
	struct uw_container a = ctr("aaa"), b = ctr("bbb");
	struct uw_memo_src src = { 0, 77 }, srcb = { 1, 99 }, got;

	assert_int_equal(uw_nsmemo_init(&m, root, HOST_MNT), 0);
	put_mnt(root, 10, 5000);
	uw_nsmemo_learn(&m, &a, &src, 10, 5000);
	put_mnt(root, 10, 5999); /* it moved */
	assert_int_equal(uw_nsmemo_owner(&m, 5000, &got), 0);
	assert_int_equal(m.stale, 1);
	/* the container's own namespace as first seen claims nothing about others: kept */
	assert_int_equal(uw_nsmemo_ctr_mnt(&m, &a), 5000);
	put_mnt(root, 30, 5000); /* the inode now names b's namespace */
	uw_nsmemo_learn(&m, &b, &srcb, 30, 5000);
	assert_int_equal(uw_nsmemo_owner(&m, 5000, &got), 1);
	assert_int_equal(got.hier, 1);
	assert_int_equal(got.id, 99);
	uw_nsmemo_free(&m);
	fake_rm(root);
}

/* A removed cgroup takes back what it taught, and only that. */
static void test_forget_by_cgroup(void **state)
{
	char *root = fake_root();
	struct uw_nsmemo m;
	struct uw_container a = ctr("aaa");
	struct uw_memo_src v2 = { 0, 77 }, other = { 0, 78 }, got;

	assert_int_equal(uw_nsmemo_init(&m, root, HOST_MNT), 0);
	put_mnt(root, 10, 5000);
	uw_nsmemo_learn(&m, &a, &v2, 10, 5000);
	uw_nsmemo_forget(&m, &a, &other);
	assert_int_equal(uw_nsmemo_owner(&m, 5000, &got), 1);
	uw_nsmemo_forget(&m, &a, &v2);
	assert_int_equal(uw_nsmemo_owner(&m, 5000, &got), 0);
	assert_int_equal(uw_nsmemo_ctr_mnt(&m, &a), 0);
	assert_int_equal(m.stale, 0);
	uw_nsmemo_free(&m);
	fake_rm(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_learn_and_answer),
		cmocka_unit_test(test_stale_answers_dropped),
		cmocka_unit_test(test_forget_by_cgroup),
	};

	return cmocka_run_group_tests_name("nsmemo", tests, NULL, NULL);
}
