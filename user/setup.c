// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "setup.h"

#include <stdlib.h>
#include <string.h>

/*
 * A held alert, with copies of everything it points at (the record it came from is gone). The
 * origin and the transition, which task records (most held alerts) do not have, are separate
 * allocations: a burst of new containers holds thousands of alerts at once (make bench's RSS).
 */
struct uw_held {
	struct uw_held *next;
	struct uw_alert a;   /* a.container is NULL while held: c unpacked when released */
	struct uw_cpack *c;  /* a held alert's container, packed (thousands may be held) */
	struct uw_container *origin;
	struct uw_ns ns;
	struct uw_transition_event *tr;
	char comm[UW_COMM_LEN + 1];
	char hier[32];
	char *exe, *cgroup_path;
};

struct uw_setup_state {
	int done, userns;
	uint64_t t0, next; /* the first record; when to look at the hold again */
	struct uw_prog_id prog; /* the setup program: the runtime's, run by the first record */
	unsigned nheld;
	struct uw_held *head, *tail;
};

static void held_free(struct uw_held *h)
{
	free(h->c);
	free(h->exe);
	free(h->cgroup_path);
	free(h->origin);
	free(h->tr);
	free(h);
}

static void state_free(void *p)
{
	struct uw_setup_state *st = p;

	while (st && st->head) {
		struct uw_held *h = st->head;

		st->head = h->next;
		held_free(h);
	}
	free(st);
}

int uw_setup_init(struct uw_setup *s, size_t max_containers, uint64_t hold_ns,
		  uint64_t max_hold_ns)
{
	memset(s, 0, sizeof(*s));
	s->hold_ns = hold_ns;
	s->max_hold_ns = max_hold_ns > hold_ns ? max_hold_ns : hold_ns;
	return uw_table_init(&s->t, max_containers, state_free);
}

void uw_setup_free(struct uw_setup *s)
{
	uw_table_free(&s->t);
}

static void *copy_of(const void *p, size_t n)
{
	void *c = malloc(n);

	if (c)
		memcpy(c, p, n);
	return c;
}

static struct uw_held *held_copy(const struct uw_setup *s, const struct uw_alert *a, void *ctx)
{
	struct uw_held *h = calloc(1, sizeof(*h));
	const char *kind = a->exe_kind;
	const char *exe = s->exe_name ? s->exe_name(ctx, a, &kind) : a->exe;

	if (!h)
		return NULL;
	h->a = *a;
	h->c = uw_container_pack(a->container);
	h->a.container = NULL;
	h->ns = *a->ns;
	h->a.ns = &h->ns;
	snprintf(h->comm, sizeof(h->comm), "%.*s", UW_COMM_LEN, a->comm ? a->comm : "");
	h->a.comm = h->comm;
	snprintf(h->hier, sizeof(h->hier), "%s", a->cgroup_hier ? a->cgroup_hier : "v2");
	h->a.cgroup_hier = h->hier;
	h->exe = strdup(exe ? exe : "");
	h->cgroup_path = a->cgroup_path ? strdup(a->cgroup_path) : NULL;
	h->origin = a->origin ? copy_of(a->origin, sizeof(*a->origin)) : NULL;
	h->tr = a->tr ? copy_of(a->tr, sizeof(*a->tr)) : NULL;
	if (!h->c || !h->exe || (a->cgroup_path && !h->cgroup_path) || (a->origin && !h->origin) ||
	    (a->tr && !h->tr)) {
		held_free(h);
		return NULL;
	}
	h->a.exe = h->exe;
	h->a.exe_kind = kind;
	h->a.cgroup_path = h->cgroup_path;
	h->a.origin = h->origin;
	h->a.tr = h->tr;
	h->a.meta = NULL; /* read again when released */
	return h;
}

struct tick_ctx {
	struct uw_setup *s;
	uint64_t now; /* end holds this old at now; 0: every hold */
	int oldest;   /* only the oldest entry's */
	int (*release)(void *ctx, struct uw_alert *a);
	void *ctx;
	int rc;
};

static int end_hold(struct uw_setup *s, struct uw_setup_state *st,
		    int (*release)(void *ctx, struct uw_alert *a), void *ctx);

/* 1 when a process that made one of the held alerts is still at work in the host user
 * namespace (a kernel fact, still_host), so the setup may not be over. */
static int still_at_work(const struct uw_setup *s, const struct uw_setup_state *st, void *ctx)
{
	const struct uw_held *h;

	for (h = st->head; s->still_host && h; h = h->next)
		if (s->still_host(ctx, &h->a))
			return 1;
	return 0;
}

static int tick_one(void *c, const void *key, size_t klen, void *val)
{
	struct tick_ctx *t = c;
	struct uw_setup_state *st = val;

	if (st->done || (t->now && t->now < st->next))
		return t->oldest; /* the table walks oldest first */
	if (t->now && t->now < st->t0 + t->s->max_hold_ns && still_at_work(t->s, st, t->ctx)) {
		st->next = t->now + UW_SETUP_RECHECK_NS;
	} else {
		int rc = end_hold(t->s, st, t->release, t->ctx);

		if (!t->rc)
			t->rc = rc;
	}
	return t->oldest;
}

/* Ends a hold: a container with a user namespace of its own drops what it held (setup), any
 * other releases it. Returns the first non-zero release result. */
static int end_hold(struct uw_setup *s, struct uw_setup_state *st,
		    int (*release)(void *ctx, struct uw_alert *a), void *ctx)
{
	int rc = 0;

	st->done = 1;
	s->open--;
	while (st->head) {
		struct uw_held *h = st->head;

		st->head = h->next;
		if (st->userns && !(s->still_host && h->a.kind != UW_AK_USERNS_CREATE &&
				    s->still_host(ctx, &h->a))) {
			s->dropped++;
		} else {
			struct uw_container c;

			s->released++;
			uw_container_unpack(h->c, &c);
			h->a.container = &c;
			if (!rc)
				rc = release(ctx, &h->a);
			h->a.container = NULL;
		}
		held_free(h);
	}
	st->tail = NULL;
	st->nheld = 0;
	return rc;
}

enum uw_setup_act uw_setup_check(struct uw_setup *s, const char *key, const struct uw_alert *a,
				 const struct uw_prog_id *prog, int snapshot, uint64_t now,
				 int (*release)(void *ctx, struct uw_alert *a), void *ctx, int *rc)
{
	size_t klen = strlen(key);
	struct uw_setup_state *st = uw_table_get(&s->t, key, klen);
	struct uw_held *h;

	*rc = 0;
	if (!st) {
		/* a full table evicts its oldest entry: a hold it has is ended first, so what it
		 * held is judged (written or dropped and counted), never lost with it */
		if (s->t.count >= s->t.max) {
			struct tick_ctx t = { s, 0, 1, release, ctx, 0 };

			uw_table_each(&s->t, tick_one, &t);
			*rc = t.rc;
		}
		st = calloc(1, sizeof(*st));
		if (!st)
			return UW_SETUP_PASS;
		st->done = snapshot; /* running before we started: past its setup */
		st->t0 = now;
		st->next = now + s->hold_ns;
		st->prog = *prog;
		if (uw_table_put(&s->t, key, klen, st))
			return UW_SETUP_PASS;
		s->open += !snapshot;
	}
	if (st->done)
		return UW_SETUP_PASS;
	if (prog->dev != st->prog.dev || prog->ino != st->prog.ino || snapshot) {
		/* another program runs in it: the container is set up, judged from here on */
		int r2 = end_hold(s, st, release, ctx);

		*rc = *rc ? *rc : r2;
		return UW_SETUP_PASS;
	}
	if (a->kind == UW_AK_USERNS_CREATE) {
		/* the runtime gives the container a user namespace of its own */
		st->userns = 1;
		s->dropped++;
		return UW_SETUP_DROPPED;
	}
	if (st->nheld >= UW_SETUP_MAX_HELD) {
		int r2 = end_hold(s, st, release, ctx); /* too much for a setup: judge it all now */

		*rc = *rc ? *rc : r2;
		return UW_SETUP_PASS;
	}
	h = held_copy(s, a, ctx);
	if (!h)
		return UW_SETUP_PASS;
	if (st->tail)
		st->tail->next = h;
	else
		st->head = h;
	st->tail = h;
	st->nheld++;
	s->held++;
	return UW_SETUP_HELD;
}


int uw_setup_tick(struct uw_setup *s, uint64_t now, int (*release)(void *ctx, struct uw_alert *a),
		  void *ctx)
{
	struct tick_ctx t = { s, now, 0, release, ctx, 0 };

	if (!s->open)
		return 0;
	uw_table_each(&s->t, tick_one, &t);
	return t.rc;
}
