// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The bounded table: lookups, oldest-first eviction, and the bucket array that grows with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

static int freed;

static void count_free(void *v)
{
	freed++;
	free(v);
}

static void *val(unsigned i)
{
	unsigned *v = malloc(sizeof(*v));

	assert_non_null(v);
	*v = i;
	return v;
}

static unsigned get(const struct uw_table *t, unsigned key)
{
	unsigned *v = uw_table_get(t, &key, sizeof(key));

	return v ? *v : ~0u;
}

/* Put, get, replace, delete; values freed once each. */
static void test_basic(void **state)
{
	struct uw_table t;
	unsigned k = 7;

	freed = 0;
	assert_int_equal(uw_table_init(&t, 100, count_free), 0);
	assert_int_equal(uw_table_put(&t, &k, sizeof(k), val(1)), 0);
	assert_int_equal(get(&t, 7), 1);
	assert_int_equal(uw_table_put(&t, &k, sizeof(k), val(2)), 0);
	assert_int_equal(freed, 1);
	assert_int_equal(get(&t, 7), 2);
	assert_int_equal(t.count, 1);
	uw_table_del(&t, &k, sizeof(k));
	assert_int_equal(freed, 2);
	assert_int_equal(get(&t, 7), ~0u);
	assert_int_equal(t.count, 0);
	uw_table_free(&t);
}

struct order {
	unsigned next, n;
};

static int in_order(void *ctx, const void *key, size_t klen, void *v)
{
	struct order *o = ctx;
	unsigned k;

	assert_int_equal(klen, sizeof(k));
	memcpy(&k, key, sizeof(k));
	assert_int_equal(k, o->next);
	assert_int_equal(*(unsigned *)v, k * 3);
	o->next++;
	o->n++;
	return 0;
}

/* The bucket array starts small, doubles as entries come, never past max's power of two, and
 * every entry is still found, in insertion order, after each doubling. */
static void test_grows_and_keeps_all(void **state)
{
	struct uw_table t;
	struct order o = { 0, 0 };
	size_t first;
	unsigned i;

	assert_int_equal(uw_table_init(&t, 20000, count_free), 0);
	first = t.nbuckets;
	assert_true(first < 20000);
	assert_int_equal(t.max_buckets, 32768);
	for (i = 0; i < 20000; i++) {
		assert_int_equal(uw_table_put(&t, &i, sizeof(i), val(i * 3)), 0);
		assert_true(t.nbuckets >= first && t.nbuckets <= t.max_buckets);
		assert_true(t.count <= t.nbuckets || t.nbuckets == t.max_buckets);
	}
	assert_int_equal(t.nbuckets, 32768);
	for (i = 0; i < 20000; i++)
		assert_int_equal(get(&t, i), i * 3);
	assert_int_equal(t.evicted, 0);
	uw_table_each(&t, in_order, &o);
	assert_int_equal(o.n, 20000);
	uw_table_free(&t);
}

/* Full: the oldest entry goes (freed), whatever the bucket array's size. */
static void test_evicts_oldest(void **state)
{
	struct uw_table t;
	unsigned i;

	freed = 0;
	assert_int_equal(uw_table_init(&t, 1000, count_free), 0);
	for (i = 0; i < 1500; i++)
		assert_int_equal(uw_table_put(&t, &i, sizeof(i), val(i)), 0);
	assert_int_equal(t.count, 1000);
	assert_int_equal(t.evicted, 500);
	assert_int_equal(freed, 500);
	assert_int_equal(t.nbuckets, 1024);
	for (i = 0; i < 500; i++)
		assert_int_equal(get(&t, i), ~0u);
	for (i = 500; i < 1500; i++)
		assert_int_equal(get(&t, i), i);
	uw_table_free(&t);
	assert_int_equal(freed, 1500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_grows_and_keeps_all),
		cmocka_unit_test(test_evicts_oldest),
	};

	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
