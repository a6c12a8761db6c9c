// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The engines' configuration files (user/roots.c uw_conf_value): TOML at the top level and in a
 * table, and LXC's KEY = VALUE lines, read from a buffer that is not NUL-terminated (ASan sees
 * any read past it). Invariants: a value found is terminated within its buffer and holds no
 * newline, and a TOML one no quote; not usable always says why.
 */
#include "fuzz.h"
#include "roots.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const struct {
		const char *table, *key;
	} asks[] = { { "", "state" }, { "storage", "graphroot" }, { NULL, "lxc.lxcpath" } };
	char *buf = malloc(n ? n : 1), out[64], err[128];
	size_t i;

	if (!buf)
		abort();
	memcpy(buf, d, n);
	for (i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		int rc;

		memset(out, 'x', sizeof(out));
		err[0] = 0;
		rc = uw_conf_value(buf, n, asks[i].table, asks[i].key, out, sizeof(out), err, sizeof(err));
		FUZZ_CHECK(rc >= -1 && rc <= 1);
		if (rc == 1) {
			FUZZ_CHECK(fuzz_terminated(out, sizeof(out)) && !strchr(out, '\n'));
			FUZZ_CHECK(!asks[i].table || (!strchr(out, '"') || strchr(out, '\'') == NULL));
		}
		if (rc == -1)
			FUZZ_CHECK(err[0] && fuzz_terminated(err, sizeof(err)));
	}
	free(buf);
	return 0;
}
