// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The policy parser (user/policy.c, libyaml) and its matcher: any bytes as a policy file.
 * Invariants: a refusal says FILE:LINE:COLUMN and leaves no rule; an accepted policy has every
 * rule named, reasoned and matching something, unique names, printable bounded strings; matching
 * it against a subject built from the input's own strings never fails.
 */
#include <string.h>

#include "fuzz.h"
#include "policy.h"

static int printable(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > UW_POLICY_MAX_STR)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct uw_policy p;
	struct uw_policy_rule *r, *expired;
	struct uw_policy_subject s;
	char err[512] = "";
	size_t i, j;
	int f, given;

	if (uw_policy_parse((const char *)d, n, "fuzz.yaml", &p, err, sizeof(err))) {
		FUZZ_CHECK(!strncmp(err, "fuzz.yaml:", 10));
		FUZZ_CHECK(p.n == 0 && p.rules == NULL);
		return 0;
	}
	FUZZ_CHECK(p.n <= UW_POLICY_MAX_RULES);
	for (i = 0; i < p.n; i++) {
		r = &p.rules[i];
		FUZZ_CHECK(r->name && r->reason && printable(r->name) && printable(r->reason));
		FUZZ_CHECK(r->events && r->events < (1u << UW_AK_MAX));
		for (given = 0, f = 0; f < UW_PF_MAX; f++)
			if (r->match[f]) {
				FUZZ_CHECK(printable(r->match[f]));
				given++;
			}
		FUZZ_CHECK(given > 0);
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(p.rules[j].name, r->name) != 0);
	}
	/* each rule's own patterns as the subject's fields */
	for (i = 0; i < p.n; i++) {
		for (f = 0; f < UW_PF_MAX; f++)
			s.field[f] = p.rules[i].match[f] ? p.rules[i].match[f] : "";
		s.kind = (enum uw_alert_kind)(i % UW_AK_MAX);
		r = uw_policy_match(&p, &s, 0, &expired);
		FUZZ_CHECK(!r || (r >= p.rules && r < p.rules + p.n));
	}
	uw_policy_free(&p);
	return 0;
}
