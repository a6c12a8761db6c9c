// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The envelope every JSON record shares: id and schema_version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* Writes n policy records through a new output; returns the lines' ids, joined by spaces. */
static void ids_of(size_t n, char *ids, size_t cap)
{
	struct uw_output o;
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	uw_output_init(&o, f, UW_OUT_JSON, "node-1");
	for (i = 0; i < n; i++)
		assert_int_equal(uw_output_policy(&o, 1, "loaded", "p.yaml", NULL, 0, NULL), 0);
	uw_output_free(&o);
	fclose(f);
	ids[0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *r = json_loads(line, JSON_REJECT_DUPLICATES, &e);

		assert_non_null(r);
		assert_string_equal(json_string_value(json_object_get(r, "schema_version")), UW_SCHEMA_VERSION);
		if (ids[0])
			strncat(ids, " ", cap - strlen(ids) - 1);
		strncat(ids, json_string_value(json_object_get(r, "id")), cap - strlen(ids) - 1);
		json_decref(r);
	}
	free(buf);
}

static void test_record_ids(void **state)
{
	char a[256], b[256], run[17], want[256];
	size_t i;

	ids_of(3, a, sizeof(a));
	/* 16 hex digits of this run, then 1, 2, 3 */
	assert_int_equal(strspn(a, "0123456789abcdef"), 16);
	memcpy(run, a, 16);
	run[16] = '\0';
	snprintf(want, sizeof(want), "%s-1 %s-2 %s-3", run, run, run);
	assert_string_equal(a, want);
	/* another run, another run ID */
	ids_of(1, b, sizeof(b));
	assert_int_equal(strlen(b), 18);
	assert_memory_not_equal(a, b, 16);
	for (i = 0; i < 16; i++)
		assert_non_null(strchr("0123456789abcdef", b[i]));
}

static void test_random_hex(void **state)
{
	char h[65], odd[4];

	uw_random_hex(h, sizeof(h));
	assert_int_equal(strlen(h), 64);
	assert_int_equal(strspn(h, "0123456789abcdef"), 64);
	uw_random_hex(odd, sizeof(odd)); /* 3 digits asked: one byte, two digits */
	assert_int_equal(strlen(odd), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_ids),
		cmocka_unit_test(test_random_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
