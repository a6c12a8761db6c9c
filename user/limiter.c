// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "limiter.h"

#include <stdlib.h>
#include <string.h>

static const char *const budget_names[UW_BUDGET_MAX] = {
	[UW_BUDGET_HOST_USERNS] = "host_userns",
	[UW_BUDGET_ENTERED] = "host_userns_setns",
	[UW_BUDGET_ESCAPE] = "escape",
	[UW_BUDGET_USERNS_CREATE] = "userns_create",
	[UW_BUDGET_USERNS_ENTER] = "userns_enter",
	[UW_BUDGET_CGROUP_MOVE] = "cgroup_move",
};

const char *uw_budget_name(enum uw_budget b)
{
	return (unsigned)b < UW_BUDGET_MAX ? budget_names[b] : "?";
}

static void free_cstate(void *p)
{
	struct uw_cstate *s = p;
	unsigned k;

	if (!s)
		return;
	for (k = 0; k < UW_BUDGET_MAX; k++) {
		if (s->k[k])
			free(s->k[k]->progs);
		free(s->k[k]);
	}
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

struct uw_prog_id uw_prog_id_of_name(const struct uw_limiter *l, const char *name)
{
	struct uw_prog_id id = { 0x9e3779b97f4a7c15ULL ^ l->containers.seed, 0, 0 };
	const unsigned char *p = (const unsigned char *)name;

	for (; *p; p++)
		id.dev = (id.dev ^ *p) * 0x100000001b3ULL;
	id.dev ^= id.dev >> 31;
	return id;
}

enum uw_limit uw_limiter_check(struct uw_limiter *l, const char *ckey, const char *runtime,
			       enum uw_budget kind, const struct uw_prog_id *prog)
{
	size_t klen = strlen(ckey);
	struct uw_cstate *s = uw_table_get(&l->containers, ckey, klen);
	struct uw_kstate *k;
	unsigned i;

	if ((unsigned)kind >= UW_BUDGET_MAX)
		return UW_LIM_NOMEM;
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return UW_LIM_NOMEM;
		strncpy(s->runtime, runtime ? runtime : "", sizeof(s->runtime) - 1);
		if (uw_table_put(&l->containers, ckey, klen, s))
			return UW_LIM_NOMEM; /* the table freed s */
	}
	if (!s->k[kind] && !(s->k[kind] = calloc(1, sizeof(*s->k[kind]))))
		return UW_LIM_NOMEM;
	k = s->k[kind];
	for (i = 0; i < k->nprog; i++) {
		if (k->progs[i].dev == prog->dev && k->progs[i].ino == prog->ino &&
		    k->progs[i].stamp == prog->stamp) {
			k->repeats++;
			l->repeats++;
			return UW_LIM_REPEAT;
		}
	}
	if (k->alerts >= l->max_alerts) {
		k->suppressed++;
		l->suppressed++;
		if (k->suppressed == 1) {
			k->suppressed_told = 1;
			return UW_LIM_SUPPRESSED_FIRST;
		}
		return UW_LIM_SUPPRESSED;
	}
	if (k->nprog == k->cap) {
		unsigned cap = k->cap ? k->cap * 2 : 4;
		struct uw_prog_id *p;

		if (cap > l->max_alerts)
			cap = l->max_alerts;
		p = realloc(k->progs, cap * sizeof(*p));
		if (!p)
			return UW_LIM_NOMEM;
		k->progs = p;
		k->cap = cap;
	}
	k->progs[k->nprog++] = *prog;
	k->alerts++;
	return k->alerts == l->max_alerts ? UW_LIM_LAST : UW_LIM_ALERT;
}

void uw_cstate_totals(const struct uw_cstate *s, uint64_t *alerts, uint64_t *repeats,
		      uint64_t *suppressed)
{
	unsigned k;

	*alerts = *repeats = *suppressed = 0;
	for (k = 0; k < UW_BUDGET_MAX; k++) {
		if (!s->k[k])
			continue;
		*alerts += s->k[k]->alerts;
		*repeats += s->k[k]->repeats;
		*suppressed += s->k[k]->suppressed;
	}
}

struct each_new {
	int (*fn)(void *ctx, const char *ckey, size_t klen, const struct uw_cstate *s,
		  enum uw_budget b, uint64_t since);
	void *ctx;
	int rc;
};

static int each_new(void *ctx, const void *key, size_t klen, void *val)
{
	struct each_new *e = ctx;
	struct uw_cstate *s = val;
	unsigned k;
	int rc;

	for (k = 0; k < UW_BUDGET_MAX; k++) {
		uint64_t since = s->k[k] ? s->k[k]->suppressed - s->k[k]->suppressed_told : 0;

		if (!since)
			continue;
		s->k[k]->suppressed_told = s->k[k]->suppressed;
		rc = e->fn(e->ctx, key, klen, s, (enum uw_budget)k, since);
		if (rc) {
			e->rc = rc;
			return rc;
		}
	}
	return 0;
}

int uw_limiter_each_new_suppressed(struct uw_limiter *l,
				   int (*fn)(void *ctx, const char *ckey, size_t klen,
					     const struct uw_cstate *s, enum uw_budget b,
					     uint64_t since),
				   void *ctx)
{
	struct each_new e = { fn, ctx, 0 };

	uw_table_each(&l->containers, each_new, &e);
	return e.rc;
}
