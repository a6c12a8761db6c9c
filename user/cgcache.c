// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "cgcache.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cache entry, one allocation: the path, then (aligned) the container it names, packed. The
 * cache keeps thousands: a Docker container's entry takes 164 bytes, a uw_cginfo 470. */
struct cgentry {
	uint32_t pack_off; /* where the container's struct uw_cpack starts; 0: no container */
	char path[];
};

/* cgroup IDs are unique within one hierarchy: the cache is keyed by both */
struct cgkey {
	uint64_t v1; /* 0: cgroup v2, 1: the v1 hierarchy the kernel reads */
	uint64_t id;
};

static const struct uw_cpack *cg_pack(const struct cgentry *e)
{
	return e->pack_off ? (const struct uw_cpack *)((const char *)e + e->pack_off) : NULL;
}

int uw_cgcache_init(struct uw_cgcache *cc, const char *procfs, struct uw_cgroups *cg,
		    const struct uw_feedback *kernel, struct uw_counters *counts)
{
	memset(cc, 0, sizeof(*cc));
	cc->procfs = procfs;
	cc->cg = cg;
	cc->kernel = kernel;
	cc->counts = counts;
	snprintf(cc->hier1, sizeof(cc->hier1), "v1:%s", cg->v1_name ? cg->v1_name : "?");
	return uw_table_init(&cc->t, UW_CGCACHE_MAX, free) ? -ENOMEM : 0;
}

void uw_cgcache_free(struct uw_cgcache *cc)
{
	uw_table_free(&cc->t);
}

/* The entry for a cgroup path (the container it names, if any); NULL without memory. */
static struct cgentry *cgentry_new(const char *path)
{
	const size_t align = _Alignof(struct uw_cpack);
	size_t n = strlen(path), off = (sizeof(struct cgentry) + n + 1 + align - 1) & ~(align - 1);
	struct uw_container c;
	int found = uw_container_from_path(path, n, &c);
	struct cgentry *e = malloc(found ? off + uw_container_packed_len(&c) : off);

	if (!e)
		return NULL;
	memcpy(e->path, path, n + 1);
	e->pack_off = found ? (uint32_t)off : 0;
	if (found)
		uw_container_pack_to(&c, (struct uw_cpack *)((char *)e + off));
	return e;
}

/* Path and container of cgroup id in one hierarchy, cached; NULL if it cannot be resolved. */
static struct cgentry *resolve_id(struct uw_cgcache *cc, int v1, uint64_t id)
{
	struct cgkey key = { (uint64_t)v1, id };
	char path[UW_PATH_MAX];
	struct cgentry *e = uw_table_get(&cc->t, &key, sizeof(key));

	if (e)
		return e;
	if (id == 0 || uw_cgroup_path_by_id(cc->cg, v1, id, path, sizeof(path)))
		return NULL;
	e = cgentry_new(path);
	if (e && uw_table_put(&cc->t, &key, sizeof(key), e))
		return NULL;
	if (e && cc->kernel && cc->kernel->watch &&
	    cc->kernel->watch(cc->kernel->ctx, id, v1 ? cc->cg->v1_hier : 0))
		cc->counts->watch_failed++;
	return e;
}

/* What entry e says, unpacked, owned by the caller. */
static struct uw_cginfo *cginfo_of(const struct cgentry *e)
{
	size_t n = strlen(e->path) + 1;
	struct uw_cginfo *ci = malloc(sizeof(*ci) + n);

	if (!ci)
		return NULL;
	ci->found = e->pack_off != 0;
	if (e->pack_off)
		uw_container_unpack(cg_pack(e), &ci->c);
	else
		memset(&ci->c, 0, sizeof(ci->c));
	memcpy(ci->path, e->path, n);
	return ci;
}

/* Records the chosen hierarchy (entry e unpacked; e is freed when owned, not cached). */
static void take(struct uw_cgref *out, struct cgentry *e, uint64_t id, const char *hier, int owned)
{
	struct uw_cginfo *ci = cginfo_of(e);

	if (owned)
		free(e);
	if (!ci)
		return;
	out->ci = ci;
	out->id = id;
	out->hier = hier;
}

/* Container first, then any path but the root, then the root. */
static struct cgentry *better(struct cgentry *x, struct cgentry *y)
{
	if (!x || !y)
		return x ? x : y;
	if (!x->pack_off != !y->pack_off)
		return x->pack_off ? x : y;
	return strcmp(x->path, "/") || !strcmp(y->path, "/") ? x : y;
}

/* The cgroup paths procfs/PID/cgroup shows, the hierarchy that names the container first (the
 * IDs are the record's, for out->id): 1 with out filled, or 0 when procfs shows none (gone). */
static int resolve_procfs(struct uw_cgcache *cc, uint32_t pid, const struct uw_cgroup_key *cg,
			  struct uw_cgref *out)
{
	char p2[UW_PATH_MAX], p1[UW_PATH_MAX];
	struct cgentry *a, *b, *best;

	if (uw_cgroup_paths_of_pid(cc->procfs, (int)pid, cc->cg->v1_name, p2, sizeof(p2), p1,
				   sizeof(p1)))
		return 0;
	a = p2[0] ? cgentry_new(p2) : NULL;
	b = p1[0] ? cgentry_new(p1) : NULL;
	best = better(a, b);
	if (!best)
		return 0;
	free(best == a ? b : a);
	take(out, best, best == a ? cg->cgroup_id : cg->cgroup1_id, best == a ? "v2" : cc->hier1, 1);
	return 1;
}

void uw_cgcache_resolve(struct uw_cgcache *cc, uint32_t pid, const struct uw_cgroup_key *cg,
			struct uw_cgref *out)
{
	/* only hierarchies mounted here can be resolved by ID (v1-only hosts have no cgroup2) */
	int have2 = cg->cgroup_id && cc->cg->v2.fd >= 0, have1 = cg->cgroup1_id && cc->cg->v1.fd >= 0;
	struct cgentry *c2 = NULL, *c1 = NULL, *best;

	memset(out, 0, sizeof(*out));
	if (have2)
		c2 = resolve_id(cc, 0, cg->cgroup_id);
	if (c2 && c2->pack_off) {
		take(out, c2, cg->cgroup_id, "v2", 0);
		return;
	}
	if (have1) {
		struct cgkey k2 = { 0, cg->cgroup_id };

		c1 = resolve_id(cc, 1, cg->cgroup1_id);
		/* caching c1 may have evicted c2 from the bounded cache: never hold it across */
		if (c2)
			c2 = uw_table_get(&cc->t, &k2, sizeof(k2));
	}
	if ((c2 || c1) && (c2 || !have2) && (c1 || !have1)) {
		out->known = 1; /* every hierarchy resolved by ID: a fact about these cgroups */
		best = better(c2, c1);
		if (best)
			take(out, best, best == c2 ? cg->cgroup_id : cg->cgroup1_id,
			     best == c2 ? "v2" : cc->hier1, 0);
		return;
	}
	/* A cgroup the handle did not resolve (removed, or outside our mount): ask procfs (what
	 * the process is in now: not for a cgroup it left, pid 0). */
	if (pid && resolve_procfs(cc, pid, cg, out))
		return;
	cc->counts->unresolved++;
	best = better(c2, c1);
	if (best)
		take(out, best, best == c2 ? cg->cgroup_id : cg->cgroup1_id, best == c2 ? "v2" : cc->hier1, 0);
}

void uw_cgref_free(struct uw_cgref *r)
{
	free(r->ci);
	r->ci = NULL;
}

int uw_cgcache_container(struct uw_cgcache *cc, int v1, uint64_t id, struct uw_container *c)
{
	const struct cgentry *e = resolve_id(cc, v1, id);

	if (!e || !e->pack_off)
		return 0;
	uw_container_unpack(cg_pack(e), c);
	return 1;
}

int uw_cgcache_container_of_pid(struct uw_cgcache *cc, int pid, struct uw_container *c)
{
	static const struct uw_cgroup_key none;
	struct uw_cgref r = { 0 };
	int found = resolve_procfs(cc, (uint32_t)pid, &none, &r) && r.ci && r.ci->found;

	if (found)
		*c = r.ci->c;
	uw_cgref_free(&r);
	return found;
}

int uw_cgcache_gone(struct uw_cgcache *cc, const struct uw_cgroup_event *ev, struct uw_container *c)
{
	struct cgkey key = { ev->hierarchy_id != 0, ev->cgroup_id };
	struct cgentry *e = uw_table_get(&cc->t, &key, sizeof(key));
	int named = 0;

	if (!e)
		return 0;
	if (e->pack_off) {
		uw_container_unpack(cg_pack(e), c);
		named = 1;
	}
	uw_table_del(&cc->t, &key, sizeof(key));
	cc->counts->cgroups_removed++;
	return named;
}
