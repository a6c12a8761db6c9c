// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Flood control and the bounded table under it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limiter.h"
#include "table.h"

static int frees;

static void count_free(void *p)
{
	frees++;
	free(p);
}

static void test_table_basic(void **state)
{
	struct uw_table t;
	char k[32];
	int i;

	frees = 0;
	assert_int_equal(uw_table_init(&t, 1000, count_free), 0);
	for (i = 0; i < 1000; i++) {
		snprintf(k, sizeof(k), "key-%d", i);
		assert_int_equal(uw_table_put(&t, k, strlen(k), strdup(k)), 0);
	}
	assert_int_equal(t.count, 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(k, sizeof(k), "key-%d", i);
		assert_string_equal(uw_table_get(&t, k, strlen(k)), k);
	}
	assert_null(uw_table_get(&t, "key-1000", 8));
	/* keys are bytes: a prefix is another key */
	assert_null(uw_table_get(&t, "key-1", 4));
	/* replace frees the old value */
	assert_int_equal(uw_table_put(&t, "key-5", 5, strdup("five")), 0);
	assert_string_equal(uw_table_get(&t, "key-5", 5), "five");
	assert_int_equal(frees, 1);
	uw_table_del(&t, "key-5", 5);
	assert_null(uw_table_get(&t, "key-5", 5));
	assert_int_equal(t.count, 999);
	uw_table_free(&t);
	assert_int_equal(frees, 1001);
}

static int collect(void *ctx, const void *key, size_t klen, void *val)
{
	char *out = ctx;

	strncat(out, key, klen);
	strcat(out, ",");
	return 0;
}

/* Full: the oldest entry goes, so memory stays bounded. */
static void test_table_eviction(void **state)
{
	struct uw_table t;
	char order[64] = "";

	assert_int_equal(uw_table_init(&t, 3, free), 0);
	uw_table_put(&t, "a", 1, strdup("1"));
	uw_table_put(&t, "b", 1, strdup("2"));
	uw_table_put(&t, "c", 1, strdup("3"));
	uw_table_put(&t, "d", 1, strdup("4"));
	assert_int_equal(t.count, 3);
	assert_int_equal(t.evicted, 1);
	assert_null(uw_table_get(&t, "a", 1));
	assert_string_equal(uw_table_get(&t, "d", 1), "4");
	uw_table_each(&t, collect, order);
	assert_string_equal(order, "b,c,d,");
	uw_table_free(&t);
}

static struct uw_prog_id P(uint64_t ino)
{
	return (struct uw_prog_id){ 0x800001, ino, 7 };
}

#define CHECK(l, key, kind, ino) \
	({ struct uw_prog_id p_ = P(ino); uw_limiter_check(l, key, "docker", kind, &p_); })

static void test_limiter(void **state)
{
	struct uw_limiter l;
	struct uw_prog_id other_dev = { 0x800002, 10, 7 };

	assert_int_equal(uw_limiter_init(&l, 3, 100), 0);
	assert_int_equal(CHECK(&l, "c1", UW_BUDGET_HOST_USERNS, 10), UW_LIM_ALERT);
	assert_int_equal(CHECK(&l, "c1", UW_BUDGET_HOST_USERNS, 10), UW_LIM_REPEAT);
	assert_int_equal(CHECK(&l, "c1", UW_BUDGET_HOST_USERNS, 11), UW_LIM_ALERT);
	assert_int_equal(CHECK(&l, "c2", UW_BUDGET_HOST_USERNS, 10), UW_LIM_ALERT);
	/* the same inode number on another file system is another program */
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", UW_BUDGET_HOST_USERNS, &other_dev),
			 UW_LIM_LAST);
	assert_int_equal(CHECK(&l, "c1", UW_BUDGET_HOST_USERNS, 13), UW_LIM_SUPPRESSED_FIRST);
	assert_int_equal(CHECK(&l, "c1", UW_BUDGET_HOST_USERNS, 14), UW_LIM_SUPPRESSED);
	assert_int_equal(CHECK(&l, "c1", UW_BUDGET_HOST_USERNS, 11), UW_LIM_REPEAT);
	assert_int_equal(l.repeats, 2);
	assert_int_equal(l.suppressed, 2);
	{
		struct uw_cstate *s = uw_table_get(&l.containers, "c1", 2);
		uint64_t a, r, sup;

		assert_non_null(s);
		assert_int_equal(s->k[UW_BUDGET_HOST_USERNS]->alerts, 3);
		assert_int_equal(s->k[UW_BUDGET_HOST_USERNS]->repeats, 2);
		assert_int_equal(s->k[UW_BUDGET_HOST_USERNS]->suppressed, 2);
		assert_string_equal(s->runtime, "docker");
		uw_cstate_totals(s, &a, &r, &sup);
		assert_int_equal(a, 3);
		assert_int_equal(r, 2);
		assert_int_equal(sup, 2);
	}
	uw_limiter_free(&l);
}

/* A program deleted and replaced by a new file that got the same inode number (same device) is
 * another program: its change time and generation (the stamp) differ. */
static void test_limiter_reused_inode(void **state)
{
	struct uw_prog_id first = { 0x800001, 10, 0x1111 }, reused = { 0x800001, 10, 0x2222 };
	struct uw_limiter l;

	(void)state;
	assert_int_equal(uw_limiter_init(&l, 3, 100), 0);
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", UW_BUDGET_HOST_USERNS, &first), UW_LIM_ALERT);
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", UW_BUDGET_HOST_USERNS, &first), UW_LIM_REPEAT);
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", UW_BUDGET_HOST_USERNS, &reused), UW_LIM_ALERT);
	assert_int_equal(l.repeats, 1);
	uw_limiter_free(&l);
}

/* Decoys: a container that used up its host_userns budget still gets its first escape,
 * userns_create and userns_enter alerts, each kind with a budget of its own. */
static void test_limiter_kinds_apart(void **state)
{
	struct uw_limiter l;
	int i;

	assert_int_equal(uw_limiter_init(&l, 32, 100), 0);
	for (i = 0; i < 40; i++) {
		enum uw_limit r = CHECK(&l, "c", UW_BUDGET_HOST_USERNS, 100 + (uint64_t)i);

		assert_int_equal(r, i < 31 ? UW_LIM_ALERT : i == 31 ? UW_LIM_LAST
						     : i == 32 ? UW_LIM_SUPPRESSED_FIRST
							       : UW_LIM_SUPPRESSED);
	}
	assert_int_equal(CHECK(&l, "c", UW_BUDGET_USERNS_CREATE, 100), UW_LIM_ALERT);
	assert_int_equal(CHECK(&l, "c", UW_BUDGET_ESCAPE, 100), UW_LIM_ALERT);
	assert_int_equal(CHECK(&l, "c", UW_BUDGET_USERNS_ENTER, 100), UW_LIM_ALERT);
	/* entering the container (setns) is not one more program running in it */
	assert_int_equal(CHECK(&l, "c", UW_BUDGET_ENTERED, 100), UW_LIM_ALERT);
	/* a repeat is per kind: the same program escaping again is a repeat of that kind */
	assert_int_equal(CHECK(&l, "c", UW_BUDGET_ESCAPE, 100), UW_LIM_REPEAT);
	uw_limiter_free(&l);
}

/* Programs the kernel could not name by inode are told apart by name, and names by bytes. */
static void test_limiter_names(void **state)
{
	struct uw_limiter l;
	struct uw_prog_id a, b, c;

	assert_int_equal(uw_limiter_init(&l, 8, 100), 0);
	a = uw_prog_id_of_name(&l, "/bin/s");
	b = uw_prog_id_of_name(&l, "/bin/sh");
	c = uw_prog_id_of_name(&l, "/bin/sh");
	assert_int_equal(a.ino, 0);
	assert_true(a.dev != b.dev);
	assert_true(b.dev == c.dev);
	assert_int_equal(uw_limiter_check(&l, "c", "lxc", UW_BUDGET_HOST_USERNS, &a), UW_LIM_ALERT);
	assert_int_equal(uw_limiter_check(&l, "c", "lxc", UW_BUDGET_HOST_USERNS, &b), UW_LIM_ALERT);
	assert_int_equal(uw_limiter_check(&l, "c", "lxc", UW_BUDGET_HOST_USERNS, &c), UW_LIM_REPEAT);
	uw_limiter_free(&l);
}

/* Thousands of short-lived programs in one container: max_alerts alerts, the rest counted. */
static void test_limiter_flood(void **state)
{
	struct uw_limiter l;
	int i, alerts = 0;

	assert_int_equal(uw_limiter_init(&l, 32, 100), 0);
	for (i = 0; i < 10000; i++) {
		enum uw_limit r = CHECK(&l, "c", UW_BUDGET_HOST_USERNS, (uint64_t)(i % 5000) + 1);

		alerts += r == UW_LIM_ALERT || r == UW_LIM_LAST;
	}
	assert_int_equal(alerts, 32);
	assert_int_equal(l.suppressed + l.repeats, 10000 - 32);
	assert_int_equal(l.repeats, 32); /* the 32 alerted programs, seen again */
	uw_limiter_free(&l);
}

struct told {
	int calls;
	char key[16];
	enum uw_budget kind;
	uint64_t since;
};

static int tell(void *ctx, const char *ckey, size_t klen, const struct uw_cstate *s,
		enum uw_budget kind, uint64_t since)
{
	struct told *t = ctx;

	t->calls++;
	snprintf(t->key, sizeof(t->key), "%.*s", (int)klen, ckey);
	t->kind = kind;
	t->since = since;
	return 0;
}

/* Suppression is told while it happens: the first one at once (SUPPRESSED_FIRST), the growth
 * since then on each periodic pass, nothing when nothing grew. */
static void test_limiter_new_suppressed(void **state)
{
	struct uw_limiter l;
	struct told t = { 0 };
	int i;

	assert_int_equal(uw_limiter_init(&l, 1, 100), 0);
	assert_int_equal(CHECK(&l, "c9", UW_BUDGET_ESCAPE, 1), UW_LIM_LAST);
	assert_int_equal(CHECK(&l, "c9", UW_BUDGET_ESCAPE, 2), UW_LIM_SUPPRESSED_FIRST);
	assert_int_equal(uw_limiter_each_new_suppressed(&l, tell, &t), 0);
	assert_int_equal(t.calls, 0); /* the first was told when it happened */
	for (i = 0; i < 5; i++)
		CHECK(&l, "c9", UW_BUDGET_ESCAPE, 10 + (uint64_t)i);
	assert_int_equal(uw_limiter_each_new_suppressed(&l, tell, &t), 0);
	assert_int_equal(t.calls, 1);
	assert_string_equal(t.key, "c9");
	assert_int_equal(t.kind, UW_BUDGET_ESCAPE);
	assert_int_equal(t.since, 5);
	assert_int_equal(uw_limiter_each_new_suppressed(&l, tell, &t), 0);
	assert_int_equal(t.calls, 1);
	uw_limiter_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_basic),
		cmocka_unit_test(test_table_eviction),
		cmocka_unit_test(test_limiter),
		cmocka_unit_test(test_limiter_reused_inode),
		cmocka_unit_test(test_limiter_kinds_apart),
		cmocka_unit_test(test_limiter_names),
		cmocka_unit_test(test_limiter_flood),
		cmocka_unit_test(test_limiter_new_suppressed),
	};

	return cmocka_run_group_tests_name("limiter", tests, NULL, NULL);
}
