// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "limiter.h"

#include <stdlib.h>
#include <string.h>

static void free_cstate(void *p)
{
	struct uw_cstate *s = p;
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->nexe; i++)
		free(s->exes[i]);
	free(s->exes);
	free(s);
}

int uw_limiter_init(struct uw_limiter *l, unsigned max_alerts, size_t max_containers)
{
	memset(l, 0, sizeof(*l));
	l->max_alerts = max_alerts ? max_alerts : 1;
	return uw_table_init(&l->containers, max_containers, free_cstate);
}

void uw_limiter_free(struct uw_limiter *l)
{
	uw_table_free(&l->containers);
}

enum uw_limit uw_limiter_check(struct uw_limiter *l, const char *ckey, const char *runtime,
			       const char *exe)
{
	size_t klen = strlen(ckey);
	struct uw_cstate *s = uw_table_get(&l->containers, ckey, klen);
	char *dup;
	unsigned i;

	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return UW_LIM_NOMEM;
		strncpy(s->runtime, runtime ? runtime : "", sizeof(s->runtime) - 1);
		s->exes = calloc(l->max_alerts, sizeof(*s->exes));
		if (!s->exes) {
			free(s);
			return UW_LIM_NOMEM;
		}
		if (uw_table_put(&l->containers, ckey, klen, s))
			return UW_LIM_NOMEM; /* the table freed s */
	}
	for (i = 0; i < s->nexe; i++) {
		if (!strcmp(s->exes[i], exe)) {
			s->repeats++;
			l->repeats++;
			return UW_LIM_REPEAT;
		}
	}
	if (s->alerts >= l->max_alerts) {
		s->suppressed++;
		l->suppressed++;
		return UW_LIM_SUPPRESSED;
	}
	dup = strdup(exe);
	if (!dup)
		return UW_LIM_NOMEM;
	s->exes[s->nexe++] = dup;
	s->alerts++;
	return s->alerts == l->max_alerts ? UW_LIM_LAST : UW_LIM_ALERT;
}
