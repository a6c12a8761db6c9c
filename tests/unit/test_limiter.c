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

static void test_limiter(void **state)
{
	struct uw_limiter l;

	assert_int_equal(uw_limiter_init(&l, 3, 100), 0);
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", "/bin/sh"), UW_LIM_ALERT);
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", "/bin/sh"), UW_LIM_REPEAT);
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", "/bin/ls"), UW_LIM_ALERT);
	assert_int_equal(uw_limiter_check(&l, "c2", "docker", "/bin/sh"), UW_LIM_ALERT);
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", "/bin/cat"), UW_LIM_LAST);
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", "/bin/id"), UW_LIM_SUPPRESSED);
	assert_int_equal(uw_limiter_check(&l, "c1", "docker", "/bin/ls"), UW_LIM_REPEAT);
	/* a program name that is a prefix of another is another program */
	assert_int_equal(uw_limiter_check(&l, "c2", "docker", "/bin/s"), UW_LIM_ALERT);
	assert_int_equal(l.repeats, 2);
	assert_int_equal(l.suppressed, 1);
	{
		struct uw_cstate *s = uw_table_get(&l.containers, "c1", 2);

		assert_non_null(s);
		assert_int_equal(s->alerts, 3);
		assert_int_equal(s->repeats, 2);
		assert_int_equal(s->suppressed, 1);
		assert_string_equal(s->runtime, "docker");
	}
	uw_limiter_free(&l);
}

/* Thousands of short-lived programs in one container: max_alerts alerts, the rest counted. */
static void test_limiter_flood(void **state)
{
	struct uw_limiter l;
	int i, alerts = 0;
	char exe[32];

	assert_int_equal(uw_limiter_init(&l, 32, 100), 0);
	for (i = 0; i < 10000; i++) {
		enum uw_limit r;

		snprintf(exe, sizeof(exe), "/tmp/x%d", i % 5000);
		r = uw_limiter_check(&l, "c", "docker", exe);
		alerts += r == UW_LIM_ALERT || r == UW_LIM_LAST;
	}
	assert_int_equal(alerts, 32);
	assert_int_equal(l.suppressed + l.repeats, 10000 - 32);
	assert_int_equal(l.repeats, 32); /* the 32 alerted programs, seen again */
	uw_limiter_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_basic),
		cmocka_unit_test(test_table_eviction),
		cmocka_unit_test(test_limiter),
		cmocka_unit_test(test_limiter_flood),
	};

	return cmocka_run_group_tests_name("limiter", tests, NULL, NULL);
}
