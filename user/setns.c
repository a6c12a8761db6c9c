// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "setns.h"

#include <string.h>

#include "uw_verdict.h"

void uw_setns_init(struct uw_setns_table *t, const struct uw_ns *host)
{
	memset(t, 0, sizeof(*t));
	t->host = *host;
	t->host.pid_for_children = host->pid;
}

/* Folds one more state (ev.after, reached from the sequence's start) into q. */
static void fold(const struct uw_ns *host, struct uw_setns_seq *q, const struct uw_transition_event *ev)
{
	const struct uw_ns *b0 = &q->last.before, *s = &ev->after;
	uint32_t mask = uw_escape_mask(b0, s, host);
	struct uw_ns before = *b0;
	uint64_t ts = q->last.hdr.ts_ns;

	q->calls++;
	q->nstype |= ev->flags;
	q->last = *ev;
	q->last.before = before;
	q->last.hdr.ts_ns = ts; /* the sequence's age counts from its first call */
	q->last.flags = q->nstype;
	if (mask) {
		q->escape_mask |= mask;
		q->escape = q->last;
		q->have_escape = 1;
	}
	/* a state inside a container's namespaces that is not where the sequence started (a
	 * container process going into another container and back home: the other one's) */
	if (s->user == host->user && uw_entered_container(s, host) &&
	    (s->mnt != before.mnt || s->pid_for_children != before.pid_for_children)) {
		q->entered = q->last;
		q->have_entered = 1;
	} else if (s->user != host->user) {
		q->have_entered = 0;
	}
}

void uw_setns_start(const struct uw_ns *host, const struct uw_transition_event *ev,
		    struct uw_setns_seq *out)
{
	struct uw_ns h = *host;

	h.pid_for_children = host->pid;
	memset(out, 0, sizeof(*out));
	out->used = 1;
	out->last = *ev;
	fold(&h, out, ev);
}

int uw_setns_add(struct uw_setns_table *t, const struct uw_transition_event *ev,
		 struct uw_setns_seq *evicted)
{
	struct uw_setns_seq *slot = NULL, *oldest = NULL;
	int rc = 0;
	size_t i;

	for (i = 0; i < UW_PENDING_SETNS; i++) {
		struct uw_setns_seq *q = &t->s[i];

		if (q->used && q->last.pid == ev->pid) {
			fold(&t->host, q, ev);
			return 0;
		}
		if (!q->used && !slot)
			slot = q;
		if (q->used && (!oldest || q->last.hdr.ts_ns < oldest->last.hdr.ts_ns))
			oldest = q;
	}
	if (!slot) { /* full: the oldest is judged now rather than lost */
		*evicted = *oldest;
		oldest->used = 0;
		t->used--;
		rc = 1;
		slot = oldest;
	}
	uw_setns_start(&t->host, ev, slot);
	t->used++;
	return rc;
}

static void take(struct uw_setns_table *t, struct uw_setns_seq *q, struct uw_setns_seq *out)
{
	*out = *q;
	q->used = 0;
	t->used--;
}

const struct uw_setns_seq *uw_setns_find(const struct uw_setns_table *t, uint32_t pid)
{
	size_t i;

	for (i = 0; t->used && i < UW_PENDING_SETNS; i++)
		if (t->s[i].used && t->s[i].last.pid == pid)
			return &t->s[i];
	return NULL;
}

int uw_setns_restore(struct uw_setns_table *t, const struct uw_setns_seq *q)
{
	size_t i;

	if (!q->used || uw_setns_find(t, q->last.pid))
		return -1;
	for (i = 0; i < UW_PENDING_SETNS; i++)
		if (!t->s[i].used) {
			t->s[i] = *q;
			t->used++;
			return 0;
		}
	return -1;
}

int uw_setns_take(struct uw_setns_table *t, uint32_t pid, struct uw_setns_seq *out)
{
	size_t i;

	for (i = 0; t->used && i < UW_PENDING_SETNS; i++) {
		if (t->s[i].used && t->s[i].last.pid == pid) {
			take(t, &t->s[i], out);
			return 1;
		}
	}
	return 0;
}

int uw_setns_take_settled(struct uw_setns_table *t, uint64_t now_boot_ns, struct uw_setns_seq *out)
{
	size_t i;

	for (i = 0; t->used && i < UW_PENDING_SETNS; i++) {
		struct uw_setns_seq *q = &t->s[i];

		if (q->used && (!now_boot_ns || q->last.hdr.ts_ns + UW_SETNS_SETTLE_NS <= now_boot_ns)) {
			take(t, q, out);
			return 1;
		}
	}
	return 0;
}
