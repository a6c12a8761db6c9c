/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A bounded hash table with byte-string keys. When full, the oldest entry is evicted (FIFO),
 * so memory stays bounded whatever hostile processes do. Hashing is seeded at random so that
 * keys chosen by processes cannot be made to collide on purpose. The bucket array starts small
 * and doubles as entries come (up to one bucket an entry at max), so a table sized for a large
 * node costs a small one little.
 */
#ifndef UW_TABLE_H
#define UW_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct uw_entry;

struct uw_table {
	struct uw_entry **buckets;
	size_t nbuckets;  /* power of two */
	size_t max_buckets; /* where it stops doubling: the power of two >= max */
	size_t count;
	size_t max;
	uint64_t seed;
	uint64_t evicted;
	struct uw_entry *oldest, *newest;
	void (*free_val)(void *val);
};

int uw_table_init(struct uw_table *t, size_t max, void (*free_val)(void *val));
void uw_table_free(struct uw_table *t);
void *uw_table_get(const struct uw_table *t, const void *key, size_t klen);
/* Inserts or replaces; the table owns val from now on. Returns 0 or -ENOMEM. */
int uw_table_put(struct uw_table *t, const void *key, size_t klen, void *val);
void uw_table_del(struct uw_table *t, const void *key, size_t klen);
/* Calls fn for each entry, oldest first; stops when fn returns non-zero. */
void uw_table_each(const struct uw_table *t, int (*fn)(void *ctx, const void *key, size_t klen,
						       void *val), void *ctx);

#endif
