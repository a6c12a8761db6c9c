// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "json.h"

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

static __attribute__((noinline)) int grow(struct uw_json *j, size_t want)
{
	size_t ncap = j->cap ? j->cap : 512;
	char *nb;

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

/* Room for `more` bytes and a NUL. The fast path is inline: it runs for every append. */
static inline int reserve(struct uw_json *j, size_t more)
{
	size_t want = j->len + more + 1;

	if (__builtin_expect(want <= j->cap && !j->failed, 1))
		return 0;
	if (j->failed)
		return -1;
	return grow(j, want);
}

static inline void put(struct uw_json *j, const char *s, size_t n)
{
	if (reserve(j, n))
		return;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = 0;
}

static inline void putc_(struct uw_json *j, char c)
{
	if (reserve(j, 1))
		return;
	j->buf[j->len++] = c;
	j->buf[j->len] = 0;
}

static const char hexd[] = "0123456789abcdef";

/* 1 for a byte that goes into a JSON string as it is: printable ASCII but '"' and '\\' */
#define P16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char plain[256] = {
	[0x20] = 1, 1, 0 /* '"' */, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	[0x30] = P16, P16,
	[0x50] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* '\\' */, 1, 1, 1,
	[0x60] = P16,
	[0x70] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0 /* DEL */,
};
#undef P16

/* Writes \u00XX at o (room reserved by the caller); returns the new end. */
static inline char *u00(char *o, unsigned char c)
{
	o[0] = '\\', o[1] = 'u', o[2] = '0', o[3] = '0', o[4] = hexd[c >> 4], o[5] = hexd[c & 15];
	return o + 6;
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
	size_t i = 0, l;
	uint32_t cp;
	char *o;

	/* Worst case every byte becomes \u00XX: reserve once, then write without checks. */
	if (reserve(j, n * 6))
		return;
	o = j->buf + j->len;
	while (i < n) {
		unsigned char c = s[i];
		size_t k;

		if (plain[c]) {
			/* a run of plain bytes (most strings are one): found, then copied at once */
			for (k = i + 1; k < n && plain[s[k]]; k++)
				;
			memcpy(o, s + i, k - i);
			o += k - i;
			i = k;
			continue;
		}
		switch (c) {
		case '"': *o++ = '\\'; *o++ = '"'; i++; continue;
		case '\\': *o++ = '\\'; *o++ = '\\'; i++; continue;
		case '\n': *o++ = '\\'; *o++ = 'n'; i++; continue;
		case '\r': *o++ = '\\'; *o++ = 'r'; i++; continue;
		case '\t': *o++ = '\\'; *o++ = 't'; i++; continue;
		case '\b': *o++ = '\\'; *o++ = 'b'; i++; continue;
		case '\f': *o++ = '\\'; *o++ = 'f'; i++; continue;
		}
		if (c < 0x80) { /* other control bytes, NUL and DEL */
			o = u00(o, c);
			i++;
			continue;
		}
		l = utf8_valid_len(s + i, n - i, &cp);
		if (!l) {
			o = u00(o, c);
			i++;
		} else if (cp <= 0x9f) {
			o = u00(o, (unsigned char)cp);
			i += l;
		} else if (cp == 0x2028 || cp == 0x2029) {
			memcpy(o, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
			o += 6;
			i += l;
		} else {
			memcpy(o, s + i, l); /* l bytes of input never take more than 6 * l */
			o += l;
			i += l;
		}
	}
	j->len = (size_t)(o - j->buf);
	j->buf[j->len] = 0;
}

/*
 * Keys are the writer's own literals: copied as they are, in one pass that also measures and
 * checks them; a key with a byte that needs escaping (none today) goes through the escaper.
 */
static inline void key_prefix(struct uw_json *j, const char *key)
{
	size_t start, i;
	char *o;

	if (reserve(j, 2 + 64 + 2))
		return;
	o = j->buf + j->len;
	if (j->need_comma[j->depth])
		*o++ = ',';
	j->need_comma[j->depth] = 1;
	if (!key) {
		j->len = (size_t)(o - j->buf);
		j->buf[j->len] = 0;
		return;
	}
	*o++ = '"';
	start = (size_t)(o - j->buf);
	for (i = 0; i < 64 && plain[(unsigned char)key[i]]; i++)
		o[i] = key[i];
	if (key[i]) { /* long or special: the general path */
		j->len = start;
		uw_json_escape(j, key, strlen(key));
	} else {
		j->len = start + i;
	}
	put(j, "\":", 2);
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

/* "00" "01" … "99": two digits per division */
static const char digits2[] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Decimal digits of v, written backwards from end; returns the first digit. */
char *uw_utoa(uint64_t v, char *end)
{
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);

		v /= 100;
		end -= 2;
		memcpy(end, digits2 + r * 2, 2);
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, digits2 + v * 2, 2);
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

void uw_json_u64(struct uw_json *j, const char *key, uint64_t v)
{
	char b[24], *p = uw_utoa(v, b + sizeof(b));

	key_prefix(j, key);
	put(j, p, (size_t)(b + sizeof(b) - p));
}

void uw_json_i64(struct uw_json *j, const char *key, int64_t v)
{
	char b[24], *p = uw_utoa(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, b + sizeof(b));

	if (v < 0)
		*--p = '-';
	key_prefix(j, key);
	put(j, p, (size_t)(b + sizeof(b) - p));
}

void uw_json_raw(struct uw_json *j, const char *key, const char *text, size_t n)
{
	key_prefix(j, key);
	put(j, text, n);
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

static size_t text_escape(char *out, size_t outcap, const char *str, size_t max, int word);

size_t uw_text_escape(char *out, size_t outcap, const char *str, size_t max)
{
	return text_escape(out, outcap, str, max, 0);
}

size_t uw_text_escape_word(char *out, size_t outcap, const char *str, size_t max)
{
	return text_escape(out, outcap, str, max, 1);
}

static size_t text_escape(char *out, size_t outcap, const char *str, size_t max, int word)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t o = 0, i;

	if (!outcap)
		return 0;
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = s[i];
		char e[4];
		size_t el;

		if (c == '\\' || (c == '"' && !word)) {
			e[0] = '\\', e[1] = (char)c, el = 2;
		} else if ((c > 0x20 && c < 0x7f && (c != 0x22 || !word)) || (c == 0x20 && !word)) {
			e[0] = (char)c, el = 1;
		} else {
			e[0] = '\\', e[1] = 'x', e[2] = hexd[c >> 4], e[3] = hexd[c & 15], el = 4;
		}
		if (o + el >= outcap)
			break;
		memcpy(out + o, e, el);
		o += el;
	}
	out[o] = 0;
	return o;
}
