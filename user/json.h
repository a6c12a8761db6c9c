/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A small streaming JSON writer for one record at a time, safe for hostile strings. */
#ifndef UW_JSON_H
#define UW_JSON_H

#include <stddef.h>
#include <stdint.h>

#define UW_JSON_MAX_DEPTH 16

struct uw_json {
	char *buf;
	size_t len;
	size_t cap;
	unsigned depth;
	unsigned char need_comma[UW_JSON_MAX_DEPTH];
	int failed; /* out of memory or nesting misuse: the record must not be written */
};

void uw_json_init(struct uw_json *j);
void uw_json_reset(struct uw_json *j);
void uw_json_free(struct uw_json *j);

/* key is NULL inside arrays and for the top-level value. */
void uw_json_obj_begin(struct uw_json *j, const char *key);
void uw_json_obj_end(struct uw_json *j);
void uw_json_arr_begin(struct uw_json *j, const char *key);
void uw_json_arr_end(struct uw_json *j);
/* Reads at most max bytes of s, stopping at a NUL; see uw_json_escape for what is written. */
void uw_json_str(struct uw_json *j, const char *key, const char *s, size_t max);
void uw_json_u64(struct uw_json *j, const char *key, uint64_t v);
void uw_json_i64(struct uw_json *j, const char *key, int64_t v);
void uw_json_bool(struct uw_json *j, const char *key, int v);
void uw_json_null(struct uw_json *j, const char *key);
/*
 * Appends text (n bytes) as key's value, unchanged: only for a whole JSON value this program
 * wrote itself with another struct uw_json (a rendering kept for reuse), never for data from
 * outside, which goes through uw_json_str.
 */
void uw_json_raw(struct uw_json *j, const char *key, const char *text, size_t n);
/* Writes v's decimal digits backwards, ending just before end (room for 20); returns the first. */
char *uw_utoa(uint64_t v, char *end);

/*
 * Appends s (n bytes, NULs included) as the inside of a JSON string. Valid UTF-8 is copied,
 * except C1 controls (U+0080..U+009F) and U+2028/U+2029, which are escaped. Control bytes,
 * '"', '\\' and DEL are escaped; every byte that is not part of valid UTF-8 (stray
 * continuation bytes, overlong forms, surrogates, > U+10FFFF, cut sequences) is written as
 * \u00XX with the byte's value, so the output is always valid JSON and no byte is hidden.
 */
void uw_json_escape(struct uw_json *j, const char *s, size_t n);

/*
 * Escapes s (at most max bytes, stopping at NUL) for a terminal line: printable ASCII is kept,
 * '\\' becomes "\\\\", '"' becomes "\\\"", everything else "\\xNN". Always NUL-terminates out
 * (when outcap > 0) and cuts at a whole escape; returns the length written.
 */
size_t uw_text_escape(char *out, size_t outcap, const char *s, size_t max);
/* The same for a value written without quotes (key=value): a space and '"' become "\\x20"
 * and "\\x22", so no value can end itself, start another key or open a quote. */
size_t uw_text_escape_word(char *out, size_t outcap, const char *s, size_t max);

#endif
