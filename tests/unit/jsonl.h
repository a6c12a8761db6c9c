/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * JSON lines for the unit tests: what a pipeline or an encoder wrote to a memory stream, parsed
 * strictly by jansson (valid UTF-8, no NUL, no key twice, one object per line), and its fields
 * by dotted path. A missing field or a field of another type fails the test.
 */
#ifndef UW_TEST_JSONL_H
#define UW_TEST_JSONL_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Every line written to f (its buffer buf) so far, at most max, into out; returns how many. */
static inline int jl_lines(FILE *f, const char *buf, json_t **out, int max)
{
	const char *p, *nl;
	int n = 0;

	fflush(f);
	for (p = buf; p && *p && n < max; p = nl + 1) {
		json_error_t err;

		nl = strchr(p, '\n');
		assert_non_null(nl);
		out[n] = json_loadb(p, (size_t)(nl - p), JSON_REJECT_DUPLICATES, &err);
		if (!out[n])
			print_message("line %d: %s\n", n + 1, err.text);
		assert_non_null(out[n]);
		n++;
	}
	return n;
}

/* The field at path ("a.b.c"), or NULL (said) when it is missing. */
static inline json_t *jl_get(json_t *o, const char *path)
{
	char buf[256], *save = NULL, *k;

	snprintf(buf, sizeof(buf), "%s", path);
	for (k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		if (!(o = json_object_get(o, k))) {
			print_message("missing field %s\n", path);
			return NULL;
		}
	}
	return o;
}

static inline const char *jl_str(json_t *o, const char *path)
{
	json_t *v = jl_get(o, path);

	assert_non_null(v);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static inline int64_t jl_int(json_t *o, const char *path)
{
	json_t *v = jl_get(o, path);

	assert_non_null(v);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static inline void jl_free(json_t **l, int n)
{
	while (n-- > 0)
		json_decref(l[n]);
}

#endif
