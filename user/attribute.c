// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "attribute.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "hostns.h"
#include "metadata.h"
#include "nsowner.h"
#include "uw_verdict.h"

/* What the last task record of a process said: in mount namespace mnt it was (or was not) a
 * container's. A setns sequence judged later starts from there: the namespace it left may be
 * gone and its inode number reused by another container by then. */
struct pidmemo {
	uint32_t mnt;
	uint32_t in_container;
};

/* A namespace's owner, as a /proc scan found it. */
struct owner {
	uint64_t expires_ns;     /* CLOCK_BOOTTIME */
	int found;
	int pid;                 /* found: the process that showed it (checked on every use) */
	struct uw_container c;
};

int uw_attr_init(struct uw_attr *a, const char *procfs, const char *host_root,
		 const struct uw_roots *roots, const struct uw_ns *host, struct uw_cgroups *cg,
		 const struct uw_feedback *kernel, struct uw_counters *counts)
{
	memset(a, 0, sizeof(*a));
	a->procfs = procfs;
	a->host_root = host_root;
	if (roots)
		a->roots = *roots;
	else
		uw_roots_init(&a->roots, host_root ? host_root : "/");
	a->host = *host;
	a->host.pid_for_children = host->pid;
	if (uw_cgcache_init(&a->cgc, procfs, cg, kernel, counts) ||
	    uw_table_init(&a->metacache, UW_METACACHE_MAX, free) ||
	    uw_table_init(&a->ownercache, UW_OWNERCACHE_MAX, free) ||
	    uw_nsmemo_init(&a->nsmemo, procfs, host->mnt) ||
	    uw_table_init(&a->pidmemo, UW_PIDMEMO_MAX, free)) {
		uw_attr_free(a);
		return -ENOMEM;
	}
	return 0;
}

void uw_attr_free(struct uw_attr *a)
{
	uw_cgcache_free(&a->cgc);
	uw_table_free(&a->metacache);
	uw_table_free(&a->ownercache);
	uw_nsmemo_free(&a->nsmemo);
	uw_table_free(&a->pidmemo);
}

void uw_attr_resolve(struct uw_attr *a, uint32_t pid, const struct uw_cgroup_key *cg,
		     struct uw_cgref *out)
{
	uw_cgcache_resolve(&a->cgc, pid, cg, out);
}

static size_t meta_key(char *key, size_t cap, const struct uw_container *c)
{
	return (size_t)snprintf(key, cap, "%s%c%s", c->runtime, 0, c->id);
}

const struct uw_meta *uw_attr_meta(struct uw_attr *a, const struct uw_container *c)
{
	char key[UW_CID_MAX + 40];
	struct uw_meta *m;
	size_t n;

	if (!a->host_root || !c->id[0])
		return NULL;
	n = meta_key(key, sizeof(key), c);
	m = uw_table_get(&a->metacache, key, n);
	if (m)
		return m;
	m = malloc(sizeof(*m));
	if (!m)
		return NULL;
	uw_meta_load_in(&a->roots, c, m);
	if (uw_table_put(&a->metacache, key, n, m))
		return NULL;
	return m;
}

void uw_attr_cgroup_gone(struct uw_attr *a, const struct uw_cgroup_event *ev)
{
	struct uw_memo_src src = { ev->hierarchy_id != 0, ev->cgroup_id };
	char mkey[UW_CID_MAX + 40];
	struct uw_container c;

	if (!uw_cgcache_gone(&a->cgc, ev, &c))
		return;
	uw_table_del(&a->metacache, mkey, meta_key(mkey, sizeof(mkey), &c));
	uw_nsmemo_forget(&a->nsmemo, &c, &src);
}

int uw_attr_container_of_pid(struct uw_attr *a, int pid, struct uw_container *c)
{
	return uw_cgcache_container_of_pid(&a->cgc, pid, c);
}

/*
 * uw_ns_owner with a cache: every process of an unknown-layout container (or an nsenter'd
 * session) would otherwise scan all of /proc, making a snapshot of N such processes O(N^2).
 * Answers, found or not, are kept for UW_OWNER_TTL_NS; a found one only while the process that
 * showed it still lives in that namespace (inode numbers are reused as soon as a namespace
 * dies).
 */
static int ns_owner_cached(struct uw_attr *a, const char *type, unsigned inum, uint32_t skip_pid,
			   struct uw_container *c)
{
	struct {
		char type[8];
		uint32_t inum;
	} key;
	uint64_t now = uw_now_boot_ns();
	const char *v1_name = a->cgc.cg->v1_name;
	struct owner *o;
	unsigned v;

	memset(&key, 0, sizeof(key));
	snprintf(key.type, sizeof(key.type), "%s", type);
	key.inum = inum;
	o = uw_table_get(&a->ownercache, &key, sizeof(key));
	if (o && o->found && (uw_read_ns(a->procfs, o->pid, type, &v) || v != inum))
		o = NULL; /* its process is gone or moved: ask again */
	if (!o || o->expires_ns <= now) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return uw_ns_owner(a->procfs, type, inum, (int)skip_pid, v1_name, c, NULL);
		a->owner_scans++;
		o->found = uw_ns_owner(a->procfs, type, inum, (int)skip_pid, v1_name, &o->c, &o->pid);
		o->expires_ns = now + UW_OWNER_TTL_NS;
		if (uw_table_put(&a->ownercache, &key, sizeof(key), o))
			return 0;
	}
	if (o->found)
		*c = o->c;
	return o->found;
}

int uw_attr_user_ns_owner(struct uw_attr *a, uint32_t inum, uint32_t skip_pid, struct uw_container *c)
{
	return ns_owner_cached(a, "user", inum, skip_pid, c);
}

/* The container of the cgroup whose processes were seen in mount namespace mnt (checked). */
static int memo_owner(struct uw_attr *a, uint32_t mnt, struct uw_container *c)
{
	struct uw_memo_src src;

	if (mnt == a->host.mnt || !uw_nsmemo_owner(&a->nsmemo, mnt, &src))
		return 0;
	return uw_cgcache_container(&a->cgc, src.hier != 0, src.id, c);
}

/*
 * The container owning ns's mount or pid namespace (or pid namespace for children): a mount
 * namespace its processes were seen in, else one of its processes found in /proc. Network,
 * uts and ipc namespaces do not count: runtimes and CNI plugins join those to set containers
 * up.
 */
static int owner_of(struct uw_attr *a, uint32_t skip_pid, const struct uw_ns *ns,
		    struct uw_container *c)
{
	static const char *const types[] = { "mnt", "pid", "pid" };
	const unsigned inums[] = { ns->mnt, ns->pid, ns->pid_for_children };
	const unsigned host[] = { a->host.mnt, a->host.pid, a->host.pid };
	size_t i;

	if (memo_owner(a, ns->mnt, c))
		return 1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (inums[i] && inums[i] != host[i] && ns_owner_cached(a, types[i], inums[i], skip_pid, c))
			return 1;
	return 0;
}

static int same_container(const struct uw_container *x, const struct uw_container *y)
{
	return !strcmp(x->id, y->id) && !strcmp(x->runtime, y->runtime);
}

const struct uw_container *uw_attr_container(struct uw_attr *a, uint32_t pid, const struct uw_cgref *res,
					     const struct uw_ns *ns, int root_other,
					     struct uw_container *owner, enum uw_evidence *ev)
{
	const struct uw_cginfo *ci = res->ci && res->ci->found ? res->ci : NULL;
	uint32_t own;

	if (ci) {
		struct uw_memo_src src = { strcmp(res->hier, "v2") != 0, res->id };

		own = uw_nsmemo_ctr_mnt(&a->nsmemo, &ci->c);
		*ev = UW_EV_CGROUP;
		if (!own || own == ns->mnt || ns->mnt == a->host.mnt)
			return &ci->c;
		if (memo_owner(a, ns->mnt, owner)) {
			if (same_container(owner, &ci->c))
				return &ci->c;
			*ev = UW_EV_NAMESPACES;
			return owner;
		}
		if (owner_of(a, pid, ns, owner) && !same_container(owner, &ci->c)) {
			*ev = UW_EV_NAMESPACES;
			return owner;
		}
		/* another mount namespace of its own (a process of it ran unshare -m) */
		uw_nsmemo_learn_mnt(&a->nsmemo, &src, pid, ns->mnt);
		return &ci->c;
	}
	if (owner_of(a, pid, ns, owner)) {
		*ev = UW_EV_NAMESPACES;
		return owner;
	}
	/*
	 * No cgroup names a container and no container's process shares its namespaces: a
	 * container of a runtime we do not know has a root file system of its own (pivot_root or
	 * chroot into an image). A pid namespace of its own with the host's root is a host
	 * sandbox (unshare -p -f --mount-proc from a shell, bwrap over the host's root, a
	 * service's private pid namespace): host root sandboxing itself, not a container, when
	 * its cgroup is known to name none (one that could not be resolved at all may have named
	 * one: a container process gone with its cgroup is still reported).
	 */
	if (root_other || (!res->ci && ns->pid != a->host.pid)) {
		*ev = ns->pid != a->host.pid ? UW_EV_PID_NS : UW_EV_ROOT;
		return &uw_unknown_container;
	}
	*ev = UW_EV_NONE;
	return NULL;
}

static void note_pid(struct uw_attr *a, uint32_t pid, uint32_t mnt, int in_container)
{
	struct pidmemo *pm = uw_table_get(&a->pidmemo, &pid, sizeof(pid));

	if (!pm) {
		pm = malloc(sizeof(*pm));
		if (!pm || uw_table_put(&a->pidmemo, &pid, sizeof(pid), pm))
			return;
	}
	pm->mnt = mnt;
	pm->in_container = !!in_container;
}

int uw_attr_maybe_in_container(struct uw_attr *a, uint32_t pid, uint32_t mnt)
{
	const struct pidmemo *pm = uw_table_get(&a->pidmemo, &pid, sizeof(pid));

	return !pm || pm->mnt != mnt || pm->in_container;
}

void uw_attr_task(struct uw_attr *a, const struct uw_task_event *ev, struct uw_attribution *out)
{
	struct uw_cgroup_key cg = { ev->cgroup_id, ev->cgroup1_id };

	memset(out, 0, sizeof(*out));
	/* who it is comes from where it was placed, never from where it moved itself */
	if (ev->flags & UW_F_MOVED) {
		uw_cgcache_resolve(&a->cgc, 0, &ev->origin, &out->cg);
		uw_cgcache_resolve(&a->cgc, ev->pid, &cg, &out->now);
	} else {
		uw_cgcache_resolve(&a->cgc, ev->pid, &cg, &out->cg);
	}
	/* the kernel sends candidates only (and processes a container took hold of, whatever
	 * namespaces they have); which of them are container processes, and why */
	if (uw_is_candidate(&ev->ns, &a->host) || ev->origin_how == UW_ORIGIN_HELD)
		out->c = uw_attr_container(a, ev->pid, &out->cg, &ev->ns, !!(ev->flags & UW_F_ROOT_OTHER),
					   &out->owner, &out->why);
	if (out->c && out->why == UW_EV_CGROUP) {
		struct uw_memo_src src = { strcmp(out->cg.hier, "v2") != 0, out->cg.id };

		uw_nsmemo_learn(&a->nsmemo, out->c, &src, ev->pid, ev->ns.mnt);
	}
	note_pid(a, ev->pid, ev->ns.mnt, out->c != NULL);
}

void uw_attribution_free(struct uw_attribution *at)
{
	uw_cgref_free(&at->cg);
	uw_cgref_free(&at->now);
}
