// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JSON writer (user/json.c) round trip: any bytes as a key and as a string value give a
 * line that jansson parses strictly (RFC 8259, no NUL, no duplicate key); bytes that are valid
 * UTF-8 come back exactly.
 */
#include <jansson.h>

#include "fuzz.h"
#include "json.h"

static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], len, cp, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
		if (!len || c > 0xf4 || i + len > n)
			return 0;
		cp = c & (0x7f >> len);
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *s = fuzz_cstr(d, n);
	size_t len = strlen(s);
	struct uw_json j;
	json_error_t e;
	json_t *o, *v;

	uw_json_init(&j);
	uw_json_obj_begin(&j, NULL);
	uw_json_str(&j, "s", s, n + 1);
	if (strcmp(s, "s"))
		uw_json_str(&j, s, "key", 4);
	uw_json_obj_end(&j);
	FUZZ_CHECK(!j.failed);
	o = json_loadb(j.buf, j.len, JSON_REJECT_DUPLICATES, &e);
	if (!o)
		fprintf(stderr, "jansson: %s\n", e.text);
	FUZZ_CHECK(o && json_is_object(o));
	v = json_object_get(o, "s");
	FUZZ_CHECK(v && json_is_string(v));
	if (valid_utf8((const unsigned char *)s, len))
		FUZZ_CHECK(json_string_length(v) == len && !memcmp(json_string_value(v), s, len));
	else
		FUZZ_CHECK(json_string_length(v) >= len);
	json_decref(o);
	uw_json_free(&j);
	free(s);
	return 0;
}
