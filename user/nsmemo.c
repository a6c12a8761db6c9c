// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "nsmemo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostns.h"

struct uw_memo {
	struct uw_memo_src src;
	uint32_t pid;            /* the process that taught it */
	uint32_t mnt;
};

int uw_nsmemo_init(struct uw_nsmemo *m, const char *procfs, uint32_t host_mnt)
{
	memset(m, 0, sizeof(*m));
	m->procfs = procfs;
	m->host_mnt = host_mnt;
	if (uw_table_init(&m->by_mnt, UW_NSMEMO_MAX, free) ||
	    uw_table_init(&m->by_ctr, UW_NSMEMO_MAX, free)) {
		uw_nsmemo_free(m);
		return -1;
	}
	return 0;
}

void uw_nsmemo_free(struct uw_nsmemo *m)
{
	uw_table_free(&m->by_mnt);
	uw_table_free(&m->by_ctr);
}

static size_t ctr_key(char *key, size_t cap, const struct uw_container *c)
{
	return (size_t)snprintf(key, cap, "%s%c%s", c->runtime, 0, c->id);
}

static struct uw_memo *memo_new(const struct uw_memo_src *src, uint32_t pid, uint32_t mnt)
{
	struct uw_memo *e = malloc(sizeof(*e));

	if (!e)
		return NULL;
	e->src = *src;
	e->pid = pid;
	e->mnt = mnt;
	return e;
}

void uw_nsmemo_learn_mnt(struct uw_nsmemo *m, const struct uw_memo_src *src, uint32_t pid,
			 uint32_t mnt)
{
	struct uw_memo_src known;
	struct uw_memo *e;

	if (!mnt || mnt == m->host_mnt || uw_nsmemo_owner(m, mnt, &known))
		return;
	e = memo_new(src, pid, mnt);
	if (e)
		uw_table_put(&m->by_mnt, &mnt, sizeof(mnt), e);
}

void uw_nsmemo_learn(struct uw_nsmemo *m, const struct uw_container *c, const struct uw_memo_src *src,
		     uint32_t pid, uint32_t mnt)
{
	char key[UW_CID_MAX + 40];
	struct uw_memo *e;
	size_t n;

	if (!mnt || mnt == m->host_mnt || !c->id[0] || uw_nsmemo_ctr_mnt(m, c))
		return;
	n = ctr_key(key, sizeof(key), c);
	e = memo_new(src, pid, mnt);
	if (!e || uw_table_put(&m->by_ctr, key, n, e))
		return;
	uw_nsmemo_learn_mnt(m, src, pid, mnt);
}

/* Is the entry still true: does its process still live in that mount namespace? */
static int live(struct uw_nsmemo *m, const struct uw_memo *e)
{
	unsigned v;

	return uw_read_ns(m->procfs, (int)e->pid, "mnt", &v) == 0 && v == e->mnt;
}

int uw_nsmemo_owner(struct uw_nsmemo *m, uint32_t mnt, struct uw_memo_src *src)
{
	struct uw_memo *e = uw_table_get(&m->by_mnt, &mnt, sizeof(mnt));

	if (!e)
		return 0;
	if (!live(m, e)) {
		m->stale++;
		uw_table_del(&m->by_mnt, &mnt, sizeof(mnt));
		return 0;
	}
	*src = e->src;
	return 1;
}

/*
 * Not checked: it makes no claim about any other process. When it is out of date (the process
 * that taught it moved), a process of the container seen in another namespace only leads to a
 * checked look-up of whose that namespace is.
 */
uint32_t uw_nsmemo_ctr_mnt(struct uw_nsmemo *m, const struct uw_container *c)
{
	char key[UW_CID_MAX + 40];
	const struct uw_memo *e = uw_table_get(&m->by_ctr, key, ctr_key(key, sizeof(key), c));

	return e ? e->mnt : 0;
}

void uw_nsmemo_forget(struct uw_nsmemo *m, const struct uw_container *c, const struct uw_memo_src *src)
{
	char key[UW_CID_MAX + 40];
	size_t n = ctr_key(key, sizeof(key), c);
	struct uw_memo *e = uw_table_get(&m->by_ctr, key, n), *o;

	if (!e || memcmp(&e->src, src, sizeof(*src)))
		return;
	o = uw_table_get(&m->by_mnt, &e->mnt, sizeof(e->mnt));
	if (o && !memcmp(&o->src, src, sizeof(*src)))
		uw_table_del(&m->by_mnt, &e->mnt, sizeof(e->mnt));
	uw_table_del(&m->by_ctr, key, n);
}
