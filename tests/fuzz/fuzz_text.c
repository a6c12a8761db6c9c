// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Text output escaping (user/json.c): printable ASCII only, terminated, within the buffer. */
#include "fuzz.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *s = fuzz_cstr(d, n);
	size_t caps[] = { 1, 7, 64, 4096 }, i, k, cap;

	for (k = 0; k < sizeof(caps) / sizeof(caps[0]); k++) {
		char *out;

		cap = caps[k];
		out = malloc(cap);
		if (!out)
			abort();
		uw_text_escape(out, cap, s, n);
		FUZZ_CHECK(fuzz_terminated(out, cap));
		for (i = 0; out[i]; i++)
			FUZZ_CHECK(out[i] >= 0x20 && out[i] <= 0x7e);
		free(out);
	}
	free(s);
	return 0;
}
