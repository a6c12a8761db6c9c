// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* /proc/PID/ns/TYPE link texts (user/hostns.c): taken only when exactly "TYPE:[digits]". */
#include "fuzz.h"
#include "hostns.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const char *const types[] = { "mnt", "user", "pid", "net" };
	char *s = fuzz_cstr(d, n), want[64];
	unsigned inum = 0;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (uw_parse_ns_link(s, types[i], &inum))
			continue;
		snprintf(want, sizeof(want), "%s:[%u]", types[i], inum);
		FUZZ_CHECK(!strcmp(want, s));
	}
	free(s);
	return 0;
}
