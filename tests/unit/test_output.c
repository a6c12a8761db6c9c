// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The envelope every JSON record shares (id, schema_version, time) and the capability list. */
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

/* RFC 3339 times, whole and cut to every smaller buffer the way snprintf cuts */
static void test_rfc3339(void **state)
{
	const char *want = "2025-11-22T08:26:40.000000042Z";
	char buf[40];
	size_t len;

	uw_rfc3339(1763800000000000042ULL, buf, sizeof(buf));
	assert_string_equal(buf, want);
	uw_rfc3339(1763800001123456789ULL, buf, sizeof(buf)); /* the next second: the date part anew */
	assert_string_equal(buf, "2025-11-22T08:26:41.123456789Z");
	for (len = 1; len <= strlen(want) + 1; len++) {
		memset(buf, 'x', sizeof(buf));
		uw_rfc3339(1763800000000000042ULL, buf, len);
		assert_int_equal(strlen(buf), len - 1);
		assert_memory_equal(buf, want, len - 1);
		assert_int_equal(buf[len], 'x'); /* nothing written past len */
	}
	memset(buf, 'x', sizeof(buf));
	uw_rfc3339(1763800000000000042ULL, buf, 0);
	assert_int_equal(buf[0], 'x');
}

/* One alert per capability set, a set repeated and changed: each line names its own set (the
 * writer keeps the last set's rendering for reuse) */
static void test_caps_rendered_per_set(void **state)
{
	static const struct uw_container c = { .id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
					       .runtime = "docker" };
	static const struct uw_ns ns = { .user = 4026531837u, .mnt = 1, .pid = 2, .net = 3 };
	const uint64_t sets[] = { 1ULL << 21, 1ULL << 21, (1ULL << 0) | (1ULL << 21), 0, 1ULL << 21, 1ULL << 63 };
	const char *want[] = { "[\"cap_sys_admin\"]", "[\"cap_sys_admin\"]",
			       "[\"cap_chown\",\"cap_sys_admin\"]", "[]", "[\"cap_sys_admin\"]",
			       "[\"cap_63\"]" };
	struct uw_alert a = { .kind = UW_AK_HOST_USERNS, .source = "exec", .severity = "critical",
			      .rule_id = UW_RULE_ID, .rule_text = UW_RULE_TEXT, .pid = 4242, .ppid = 1,
			      .comm = "sh", .exe = "/bin/sh", .ns = &ns, .container = &c, .cgroup_id = 77,
			      .cgroup_path = "/docker/x", .cgroup_hier = "v2" };
	struct uw_output o;
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	uw_output_init(&o, f, UW_OUT_JSON, "node-1");
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		a.cap_effective = sets[i];
		assert_int_equal(uw_output_alert(&o, &a), 0);
	}
	uw_output_free(&o);
	fclose(f);
	i = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		json_error_t e;
		json_t *r = json_loads(line, JSON_REJECT_DUPLICATES, &e);
		char *caps;

		assert_non_null(r);
		assert_true(i < sizeof(sets) / sizeof(sets[0]));
		caps = json_dumps(json_object_get(json_object_get(r, "process"), "cap_effective"), JSON_COMPACT);
		assert_non_null(caps);
		assert_string_equal(caps, want[i]);
		free(caps);
		json_decref(r);
	}
	assert_int_equal(i, sizeof(sets) / sizeof(sets[0]));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_ids),
		cmocka_unit_test(test_random_hex),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_caps_rendered_per_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
