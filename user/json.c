// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void uw_json_init(struct uw_json *j)
{
	memset(j, 0, sizeof(*j));
}

void uw_json_reset(struct uw_json *j)
{
	j->len = 0;
	j->depth = 0;
	j->failed = 0;
	j->need_comma[0] = 0;
	if (j->buf)
		j->buf[0] = 0;
}

void uw_json_free(struct uw_json *j)
{
	free(j->buf);
	uw_json_init(j);
}

static int reserve(struct uw_json *j, size_t more)
{
	size_t want = j->len + more + 1;
	char *nb;
	size_t ncap;

	if (j->failed)
		return -1;
	if (want <= j->cap)
		return 0;
	ncap = j->cap ? j->cap : 512;
	while (ncap < want)
		ncap *= 2;
	nb = realloc(j->buf, ncap);
	if (!nb) {
		j->failed = 1;
		return -1;
	}
	j->buf = nb;
	j->cap = ncap;
	return 0;
}

static void put(struct uw_json *j, const char *s, size_t n)
{
	if (reserve(j, n))
		return;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = 0;
}

static void putc_(struct uw_json *j, char c)
{
	put(j, &c, 1);
}

static void put_u00(struct uw_json *j, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	put(j, e, sizeof(e));
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if the byte at s does not start one. */
static size_t utf8_valid_len(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len, i;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

void uw_json_escape(struct uw_json *j, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0, l;
	uint32_t cp;

	/* Worst case every byte becomes \u00XX: reserve once so the loop rarely reallocates. */
	if (reserve(j, n * 6))
		return;
	while (i < n) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			run++;
			i++;
			continue;
		}
		if (run) {
			put(j, (const char *)s + i - run, run);
			run = 0;
		}
		switch (c) {
		case '"': put(j, "\\\"", 2); i++; continue;
		case '\\': put(j, "\\\\", 2); i++; continue;
		case '\n': put(j, "\\n", 2); i++; continue;
		case '\r': put(j, "\\r", 2); i++; continue;
		case '\t': put(j, "\\t", 2); i++; continue;
		case '\b': put(j, "\\b", 2); i++; continue;
		case '\f': put(j, "\\f", 2); i++; continue;
		}
		if (c < 0x80) { /* other control bytes, NUL and DEL */
			put_u00(j, c);
			i++;
			continue;
		}
		l = utf8_valid_len(s + i, n - i, &cp);
		if (!l) {
			put_u00(j, c);
			i++;
		} else if (cp <= 0x9f) {
			put_u00(j, (unsigned char)cp);
			i += l;
		} else if (cp == 0x2028 || cp == 0x2029) {
			put(j, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
			i += l;
		} else {
			put(j, (const char *)s + i, l);
			i += l;
		}
	}
	if (run)
		put(j, (const char *)s + i - run, run);
}

static void key_prefix(struct uw_json *j, const char *key)
{
	if (j->need_comma[j->depth])
		putc_(j, ',');
	j->need_comma[j->depth] = 1;
	if (key) {
		putc_(j, '"');
		uw_json_escape(j, key, strlen(key));
		put(j, "\":", 2);
	}
}

static void open_(struct uw_json *j, const char *key, char c)
{
	key_prefix(j, key);
	putc_(j, c);
	if (j->depth + 1 >= UW_JSON_MAX_DEPTH) {
		j->failed = 1;
		return;
	}
	j->depth++;
	j->need_comma[j->depth] = 0;
}

static void close_(struct uw_json *j, char c)
{
	if (j->depth == 0) {
		j->failed = 1;
		return;
	}
	j->depth--;
	putc_(j, c);
}

void uw_json_obj_begin(struct uw_json *j, const char *key) { open_(j, key, '{'); }
void uw_json_obj_end(struct uw_json *j) { close_(j, '}'); }
void uw_json_arr_begin(struct uw_json *j, const char *key) { open_(j, key, '['); }
void uw_json_arr_end(struct uw_json *j) { close_(j, ']'); }

void uw_json_str(struct uw_json *j, const char *key, const char *s, size_t max)
{
	key_prefix(j, key);
	putc_(j, '"');
	if (s)
		uw_json_escape(j, s, strnlen(s, max));
	putc_(j, '"');
}

void uw_json_u64(struct uw_json *j, const char *key, uint64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%" PRIu64, v);

	key_prefix(j, key);
	put(j, b, (size_t)n);
}

void uw_json_i64(struct uw_json *j, const char *key, int64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%" PRId64, v);

	key_prefix(j, key);
	put(j, b, (size_t)n);
}

void uw_json_bool(struct uw_json *j, const char *key, int v)
{
	key_prefix(j, key);
	put(j, v ? "true" : "false", v ? 4 : 5);
}

void uw_json_null(struct uw_json *j, const char *key)
{
	key_prefix(j, key);
	put(j, "null", 4);
}

size_t uw_text_escape(char *out, size_t outcap, const char *str, size_t max)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t o = 0, i;

	if (!outcap)
		return 0;
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];
		char e[4];
		size_t el;

		if (c == '\\' || c == '"') {
			e[0] = '\\', e[1] = (char)c, el = 2;
		} else if (c >= 0x20 && c < 0x7f) {
			e[0] = (char)c, el = 1;
		} else {
			e[0] = '\\', e[1] = 'x', e[2] = hex[c >> 4], e[3] = hex[c & 15], el = 4;
		}
		if (o + el >= outcap)
			break;
		memcpy(out + o, e, el);
		o += el;
	}
	out[o] = 0;
	return o;
}
