// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define UW_TABLE_FIRST_BUCKETS 256

struct uw_entry {
	struct uw_entry *next;              /* bucket chain */
	struct uw_entry *older, *newer;     /* insertion order */
	uint64_t hash;
	size_t klen;
	void *val;
	unsigned char key[];
};

static uint64_t hash_bytes(uint64_t seed, const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	/* final mix (splitmix64) so the seed affects every bit */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h;
}

int uw_table_init(struct uw_table *t, size_t max, void (*free_val)(void *val))
{
	size_t nb = 16;

	memset(t, 0, sizeof(*t));
	while (nb < max && nb < ((size_t)1 << 24))
		nb <<= 1;
	t->max_buckets = nb;
	t->nbuckets = nb < UW_TABLE_FIRST_BUCKETS ? nb : UW_TABLE_FIRST_BUCKETS;
	t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
	if (!t->buckets)
		return -ENOMEM;
	t->max = max ? max : 1;
	t->free_val = free_val;
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) != sizeof(t->seed))
		t->seed = (uint64_t)(uintptr_t)t ^ 0x9e3779b97f4a7c15ULL;
	return 0;
}

/* Doubles the bucket array (each entry keeps its hash); without memory the table goes on with
 * longer chains. */
static void grow(struct uw_table *t)
{
	size_t nb = t->nbuckets * 2;
	struct uw_entry **b = calloc(nb, sizeof(*b)), *e;

	if (!b)
		return;
	for (e = t->oldest; e; e = e->newer) {
		struct uw_entry **head = &b[e->hash & (nb - 1)];

		e->next = *head;
		*head = e;
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = nb;
}

static struct uw_entry **find(const struct uw_table *t, const void *key, size_t klen, uint64_t h)
{
	struct uw_entry **pp = &t->buckets[h & (t->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->hash == h && (*pp)->klen == klen && !memcmp((*pp)->key, key, klen))
			return pp;
	return pp;
}

static void unlink_entry(struct uw_table *t, struct uw_entry **pp)
{
	struct uw_entry *e = *pp;

	*pp = e->next;
	if (e->older)
		e->older->newer = e->newer;
	else
		t->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		t->newest = e->older;
	if (t->free_val)
		t->free_val(e->val);
	free(e);
	t->count--;
}

void *uw_table_get(const struct uw_table *t, const void *key, size_t klen)
{
	struct uw_entry **pp = find(t, key, klen, hash_bytes(t->seed, key, klen));

	return *pp ? (*pp)->val : NULL;
}

void uw_table_del(struct uw_table *t, const void *key, size_t klen)
{
	struct uw_entry **pp = find(t, key, klen, hash_bytes(t->seed, key, klen));

	if (*pp)
		unlink_entry(t, pp);
}

int uw_table_put(struct uw_table *t, const void *key, size_t klen, void *val)
{
	uint64_t h = hash_bytes(t->seed, key, klen);
	struct uw_entry **pp = find(t, key, klen, h), *e;

	if (*pp) {
		if (t->free_val && (*pp)->val != val)
			t->free_val((*pp)->val);
		(*pp)->val = val;
		return 0;
	}
	e = malloc(sizeof(*e) + klen);
	if (!e) {
		if (t->free_val)
			t->free_val(val);
		return -ENOMEM;
	}
	if (t->count >= t->max) {
		struct uw_entry *old = t->oldest;

		unlink_entry(t, find(t, old->key, old->klen, old->hash));
		t->evicted++;
		pp = find(t, key, klen, h);
	}
	e->hash = h;
	e->klen = klen;
	e->val = val;
	memcpy(e->key, key, klen);
	e->next = NULL;
	*pp = e;
	e->older = t->newest;
	e->newer = NULL;
	if (t->newest)
		t->newest->newer = e;
	else
		t->oldest = e;
	t->newest = e;
	t->count++;
	if (t->count > t->nbuckets && t->nbuckets < t->max_buckets)
		grow(t);
	return 0;
}

void uw_table_each(const struct uw_table *t,
		   int (*fn)(void *ctx, const void *key, size_t klen, void *val), void *ctx)
{
	struct uw_entry *e;

	for (e = t->oldest; e; e = e->newer)
		if (fn(ctx, e->key, e->klen, e->val))
			break;
}

void uw_table_free(struct uw_table *t)
{
	while (t->oldest)
		unlink_entry(t, find(t, t->oldest->key, t->oldest->klen, t->oldest->hash));
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}
