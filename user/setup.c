// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

void uw_held_free(struct uw_held *h)
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
		uw_held_free(h);
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
	struct uw_held *h;

	while ((h = uw_setup_take(s)))
		uw_held_free(h);
	uw_table_free(&s->t);
}

/* Kernel facts about a held alert's process at the end of its container's setup: 1 when it is
 * still alive, still runs the same file, and is still in the host user namespace. */
static int procfs_still_host(void *ctx, const struct uw_alert *a)
{
	const struct uw_setup *s = ctx;
	char path[64];
	struct stat st;

	if (strlen(s->procfs) >= sizeof(path) - 24)
		return 1; /* cannot tell: report it */
	snprintf(path, sizeof(path), "%s/%u/ns/user", s->procfs, a->pid);
	if (stat(path, &st) || (uint64_t)st.st_ino != s->host_user)
		return 0;
	snprintf(path, sizeof(path), "%s/%u/exe", s->procfs, a->pid);
	if (a->exe_ino && (stat(path, &st) || (uint64_t)st.st_ino != a->exe_ino))
		return 0;
	return 1;
}

void uw_setup_use_procfs(struct uw_setup *s, const char *procfs, uint32_t host_user)
{
	s->procfs = procfs;
	s->host_user = host_user;
	s->still_host = procfs_still_host;
	s->still_ctx = s;
}

struct uw_held *uw_setup_take(struct uw_setup *s)
{
	struct uw_held *h = s->out_head;

	if (h) {
		s->out_head = h->next;
		if (!s->out_head)
			s->out_tail = NULL;
		h->next = NULL;
	}
	return h;
}

struct uw_alert *uw_held_alert(struct uw_held *h, struct uw_container *c)
{
	uw_container_unpack(h->c, c);
	h->a.container = c;
	return &h->a;
}

static void *copy_of(const void *p, size_t n)
{
	void *c = malloc(n);

	if (c)
		memcpy(c, p, n);
	return c;
}

static struct uw_held *held_copy(const struct uw_alert *a)
{
	struct uw_held *h = calloc(1, sizeof(*h));
	const char *kind = a->exe_kind;
	const char *exe = a->exe;

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
		uw_held_free(h);
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
};

static void end_hold(struct uw_setup *s, struct uw_setup_state *st);

/* 1 when a process that made one of the held alerts is still at work in the host user
 * namespace (a kernel fact, still_host), so the setup may not be over. */
static int still_at_work(const struct uw_setup *s, const struct uw_setup_state *st)
{
	const struct uw_held *h;

	for (h = st->head; s->still_host && h; h = h->next)
		if (s->still_host(s->still_ctx, &h->a))
			return 1;
	return 0;
}

static int tick_one(void *c, const void *key, size_t klen, void *val)
{
	struct tick_ctx *t = c;
	struct uw_setup_state *st = val;

	if (st->done || (t->now && t->now < st->next))
		return t->oldest; /* the table walks oldest first */
	if (t->now && t->now < st->t0 + t->s->max_hold_ns && still_at_work(t->s, st))
		st->next = t->now + UW_SETUP_RECHECK_NS;
	else
		end_hold(t->s, st);
	return t->oldest;
}

/* Ends a hold: a container with a user namespace of its own drops what it held (setup), any
 * other releases it (in order, to uw_setup_take). */
static void end_hold(struct uw_setup *s, struct uw_setup_state *st)
{
	st->done = 1;
	s->open--;
	while (st->head) {
		struct uw_held *h = st->head;

		st->head = h->next;
		h->next = NULL;
		if (st->userns && !(s->still_host && h->a.kind != UW_AK_USERNS_CREATE &&
				    s->still_host(s->still_ctx, &h->a))) {
			s->dropped++;
			uw_held_free(h);
			continue;
		}
		s->released++;
		if (s->out_tail)
			s->out_tail->next = h;
		else
			s->out_head = h;
		s->out_tail = h;
	}
	st->tail = NULL;
	st->nheld = 0;
}

enum uw_setup_act uw_setup_check(struct uw_setup *s, const char *key, const struct uw_alert *a,
				 const struct uw_prog_id *prog, int snapshot, uint64_t now)
{
	size_t klen = strlen(key);
	struct uw_setup_state *st = uw_table_get(&s->t, key, klen);
	struct uw_held *h;

	if (!st) {
		/* a full table evicts its oldest entry: a hold it has is ended first, so what it
		 * held is judged (written or dropped and counted), never lost with it */
		if (s->t.count >= s->t.max) {
			struct tick_ctx t = { s, 0, 1 };

			uw_table_each(&s->t, tick_one, &t);
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
		end_hold(s, st);
		return UW_SETUP_PASS;
	}
	if (a->kind == UW_AK_USERNS_CREATE) {
		/* the runtime gives the container a user namespace of its own */
		st->userns = 1;
		s->dropped++;
		return UW_SETUP_DROPPED;
	}
	if (st->nheld >= UW_SETUP_MAX_HELD) {
		end_hold(s, st); /* too much for a setup: judge it all now */
		return UW_SETUP_PASS;
	}
	h = held_copy(a);
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


void uw_setup_tick(struct uw_setup *s, uint64_t now)
{
	struct tick_ctx t = { s, now, 0 };

	if (s->open)
		uw_table_each(&s->t, tick_one, &t);
}
