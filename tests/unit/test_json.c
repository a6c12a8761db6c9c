// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The JSON writer: exact escapes, and every output parsed back by jansson (a strict parser). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

/* Writes {"s": <n bytes of in>} and returns the text (static buffer). */
static const char *obj_with(struct uw_json *j, const char *in, size_t n)
{
	uw_json_reset(j);
	uw_json_obj_begin(j, NULL);
	uw_json_str(j, "s", in, n);
	uw_json_obj_end(j);
	assert_false(j->failed);
	return j->buf;
}

/* Parses text strictly and returns the decoded "s" (caller frees). */
static char *decode_s(const char *text, size_t *len)
{
	json_error_t err;
	json_t *o, *s;
	char *out;

	/* NUL allowed here only: the round trip must give back every byte */
	o = json_loads(text, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
	if (!o)
		print_message("%s: %s\n", text, err.text);
	assert_non_null(o);
	s = json_object_get(o, "s");
	assert_non_null(s);
	*len = json_string_length(s);
	out = malloc(*len + 1);
	memcpy(out, json_string_value(s), *len + 1);
	json_decref(o);
	return out;
}

struct esc {
	const char *in;
	size_t n;
	const char *want; /* the exact object text */
};

static const struct esc escs[] = {
	{ "plain", 5, "{\"s\":\"plain\"}" },
	{ "a\"b", 3, "{\"s\":\"a\\\"b\"}" },
	{ "a\\b", 3, "{\"s\":\"a\\\\b\"}" },
	{ "\n\r\t\b\f", 5, "{\"s\":\"\\n\\r\\t\\b\\f\"}" },
	{ "\x01\x1b\x1f\x7f", 4, "{\"s\":\"\\u0001\\u001b\\u001f\\u007f\"}" },
	{ "caf\xc3\xa9", 5, "{\"s\":\"caf\xc3\xa9\"}" },                 /* valid UTF-8 kept */
	{ "\xe2\x82\xac\xf0\x9f\x98\x80", 7, "{\"s\":\"\xe2\x82\xac\xf0\x9f\x98\x80\"}" },
	{ "\x80", 1, "{\"s\":\"\\u0080\"}" },                             /* stray continuation */
	{ "a\xff" "b", 3, "{\"s\":\"a\\u00ffb\"}" },
	{ "\xc3", 1, "{\"s\":\"\\u00c3\"}" },                             /* cut sequence */
	{ "\xc0\xaf", 2, "{\"s\":\"\\u00c0\\u00af\"}" },                  /* overlong '/' */
	{ "\xed\xa0\x80", 3, "{\"s\":\"\\u00ed\\u00a0\\u0080\"}" },       /* surrogate */
	{ "\xf4\x90\x80\x80", 4, "{\"s\":\"\\u00f4\\u0090\\u0080\\u0080\"}" }, /* > U+10FFFF */
	{ "\xc2\x9b", 2, "{\"s\":\"\\u009b\"}" },                         /* C1 control (CSI) */
	{ "\xe2\x80\xa8", 3, "{\"s\":\"\\u2028\"}" },
	{ "ab\0cd", 5, "{\"s\":\"ab\"}" },                                 /* stops at NUL */
};

static void test_escapes(void **state)
{
	struct uw_json j;
	size_t i;

	uw_json_init(&j);
	for (i = 0; i < sizeof(escs) / sizeof(escs[0]); i++) {
		const char *got = obj_with(&j, escs[i].in, escs[i].n);
		size_t dl;
		char *dec;

		print_message("case %zu\n", i);
		assert_string_equal(got, escs[i].want);
		dec = decode_s(got, &dl);
		free(dec);
	}
	uw_json_free(&j);
}

/* Valid strings round-trip exactly through a strict parser. */
static void test_round_trip(void **state)
{
	const char *in = "q\"uote \\ back\nnew\ttab caf\xc3\xa9 \xe2\x82\xac";
	struct uw_json j;
	size_t dl;
	char *dec;

	uw_json_init(&j);
	dec = decode_s(obj_with(&j, in, strlen(in)), &dl);
	assert_int_equal(dl, strlen(in));
	assert_memory_equal(dec, in, dl);
	free(dec);
	uw_json_free(&j);
}

/* Every single byte and every byte pair gives JSON a strict parser accepts. */
static void test_all_bytes_valid(void **state)
{
	struct uw_json j;
	unsigned a, b;
	char in[3];
	size_t dl;

	uw_json_init(&j);
	for (a = 1; a < 256; a++) {
		for (b = 1; b < 256; b++) {
			in[0] = (char)a;
			in[1] = (char)b;
			in[2] = 0;
			free(decode_s(obj_with(&j, in, 2), &dl));
		}
	}
	uw_json_free(&j);
}

/* The writer's text is want exactly when the byte is plain, something else (escaped) when not. */
static void plain_or_escaped(const struct uw_json *j, const char *want, int plain)
{
	if (plain)
		assert_string_equal(j->buf, want);
	else
		assert_string_not_equal(j->buf, want);
}

/* Printable ASCII but '"' and '\\' goes into strings and keys as it is, every other byte
 * escaped: the writer's table of plain bytes, checked byte by byte against the rule */
static void test_plain_bytes(void **state)
{
	struct uw_json j;
	char in[2] = { 0, 0 }, want[32];
	unsigned c;

	uw_json_init(&j);
	for (c = 1; c < 256; c++) {
		int plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';

		in[0] = (char)c;
		obj_with(&j, in, 1);
		snprintf(want, sizeof(want), "{\"s\":\"%s\"}", in);
		plain_or_escaped(&j, want, plain);
		/* the same byte as a key */
		uw_json_reset(&j);
		uw_json_obj_begin(&j, NULL);
		uw_json_u64(&j, in, 1);
		uw_json_obj_end(&j);
		snprintf(want, sizeof(want), "{\"%s\":1}", in);
		plain_or_escaped(&j, want, plain);
	}
	uw_json_free(&j);
}

/* Long strings: bounded by max, grown without loss. */
static void test_long_and_bounded(void **state)
{
	size_t n = 100000, dl;
	char *big = malloc(n + 1);
	struct uw_json j;
	char *dec;

	memset(big, 'x', n);
	big[n] = 0;
	big[5] = '\x01';
	uw_json_init(&j);
	dec = decode_s(obj_with(&j, big, n), &dl);
	assert_int_equal(dl, n);
	free(dec);
	dec = decode_s(obj_with(&j, big, 4096), &dl);
	assert_int_equal(dl, 4096);
	free(dec);
	free(big);
	uw_json_free(&j);
}

static void test_structure(void **state)
{
	struct uw_json j;

	uw_json_init(&j);
	uw_json_obj_begin(&j, NULL);
	uw_json_u64(&j, "a", 18446744073709551615ULL);
	uw_json_i64(&j, "b", -5);
	uw_json_bool(&j, "c", 1);
	uw_json_null(&j, "d");
	uw_json_arr_begin(&j, "e");
	uw_json_u64(&j, NULL, 1);
	uw_json_obj_begin(&j, NULL);
	uw_json_obj_end(&j);
	uw_json_arr_end(&j);
	uw_json_obj_begin(&j, "k\"ey");
	uw_json_obj_end(&j);
	uw_json_obj_end(&j);
	assert_false(j.failed);
	assert_int_equal(j.depth, 0);
	assert_string_equal(j.buf, "{\"a\":18446744073709551615,\"b\":-5,\"c\":true,\"d\":null,"
				   "\"e\":[1,{}],\"k\\\"ey\":{}}");
	/* closing more than was opened marks the record as failed */
	uw_json_obj_end(&j);
	assert_true(j.failed);
	uw_json_free(&j);
}

/* The integer formatter, around every place its two-digit steps change. */
static void test_numbers(void **state)
{
	static const struct {
		uint64_t v;
		const char *want;
	} cases[] = {
		{ 0, "0" }, { 7, "7" }, { 9, "9" }, { 10, "10" }, { 42, "42" }, { 99, "99" },
		{ 100, "100" }, { 101, "101" }, { 999, "999" }, { 1000, "1000" }, { 10007, "10007" },
		{ 4026531837ULL, "4026531837" }, { 18446744073709551615ULL, "18446744073709551615" },
	};
	struct uw_json j;
	char want[64];
	size_t i;

	uw_json_init(&j);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uw_json_reset(&j);
		uw_json_u64(&j, NULL, cases[i].v);
		assert_string_equal(j.buf, cases[i].want);
		uw_json_reset(&j);
		uw_json_i64(&j, NULL, -(int64_t)(cases[i].v & 0x7fffffffffffffffULL));
		snprintf(want, sizeof(want), "%lld", -(long long)(cases[i].v & 0x7fffffffffffffffULL));
		assert_string_equal(j.buf, want);
	}
	uw_json_reset(&j);
	uw_json_i64(&j, NULL, INT64_MIN);
	assert_string_equal(j.buf, "-9223372036854775808");
	uw_json_free(&j);
}

struct tcase {
	const char *in;
	const char *want;
};

static void test_text_escape(void **state)
{
	static const struct tcase cases[] = {
		{ "plain text", "plain text" },
		{ "a\"b\\c", "a\\\"b\\\\c" },
		{ "\x1b[31mred\n", "\\x1b[31mred\\x0a" },
		{ "caf\xc3\xa9", "caf\\xc3\\xa9" },
		{ "\x7f", "\\x7f" },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uw_text_escape(out, sizeof(out), cases[i].in, 64);
		assert_string_equal(out, cases[i].want);
	}
	/* cut at a whole escape, always terminated */
	uw_text_escape(out, 6, "ab\x01zz", 64);
	assert_string_equal(out, "ab");
	uw_text_escape(out, 1, "abc", 64);
	assert_string_equal(out, "");
	/* a bare value: no space or quote can end it, start a key or open a quote */
	uw_text_escape_word(out, sizeof(out), "a b\"c\\d=e", 64);
	assert_string_equal(out, "a\\x20b\\x22c\\\\d=e");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_all_bytes_valid),
		cmocka_unit_test(test_plain_bytes),
		cmocka_unit_test(test_long_and_bounded),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_text_escape),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
