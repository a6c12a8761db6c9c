// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A RELP receiver's bytes (user/relp.c): a frame is taken only when it is one whole, strict
 * response or serverclose, never read past the input, and reads the same from a copy cut at its
 * end; a prefix of it asks for more. */
#include "fuzz.h"
#include "relp.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n ? n : 1);
	enum uw_relp_kind kind, k2;
	unsigned txnr, t2;
	int code, c2;
	long r, r2;

	if (!buf)
		abort();
	memcpy(buf, d, n);
	r = uw_relp_parse(buf, n, &txnr, &kind, &code);
	FUZZ_CHECK(r >= -1 && r <= (long)n);
	if (r > 0) {
		FUZZ_CHECK(buf[r - 1] == '\n');
		FUZZ_CHECK(kind == UW_RELP_RSP || kind == UW_RELP_SERVERCLOSE);
		FUZZ_CHECK(txnr <= UW_RELP_TXNR_MAX);
		FUZZ_CHECK(kind != UW_RELP_RSP || (code >= 100 && code <= 599));
		/* the frame alone reads the same; any shorter prefix wants more */
		r2 = uw_relp_parse(buf, (size_t)r, &t2, &k2, &c2);
		FUZZ_CHECK(r2 == r && t2 == txnr && k2 == kind && c2 == code);
		FUZZ_CHECK(uw_relp_parse(buf, (size_t)r - 1, &t2, &k2, &c2) == 0);
	}
	free(buf);
	return 0;
}
