// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "uw_verdict.h"

struct uw_cginfo {
	int found;                   /* a container matched the path */
	struct uw_container c;
	char path[];
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t uw_now_real_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

int64_t uw_boot_to_real_ns(void)
{
	return (int64_t)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME));
}

int uw_report_init(struct uw_report *r, const char *procfs, const struct uw_ns *host,
		   struct uw_cgroups *cg, struct uw_output *out, unsigned max_alerts)
{
	memset(r, 0, sizeof(*r));
	r->procfs = procfs;
	r->host = *host;
	r->cg = cg;
	r->out = out;
	r->boot_to_real_ns = uw_boot_to_real_ns();
	snprintf(r->hier1, sizeof(r->hier1), "v1:%s", cg->v1_name ? cg->v1_name : "?");
	if (uw_table_init(&r->cgcache, UW_CGCACHE_MAX, free))
		return -ENOMEM;
	if (uw_table_init(&r->metacache, UW_METACACHE_MAX, free)) {
		uw_table_free(&r->cgcache);
		return -ENOMEM;
	}
	if (uw_limiter_init(&r->lim, max_alerts, UW_LIMITER_MAX_CONTAINERS)) {
		uw_table_free(&r->cgcache);
		uw_table_free(&r->metacache);
		return -ENOMEM;
	}
	return 0;
}

void uw_report_free(struct uw_report *r)
{
	uw_table_free(&r->cgcache);
	uw_table_free(&r->metacache);
	uw_limiter_free(&r->lim);
}

static struct uw_cginfo *cginfo_new(const char *path)
{
	size_t n = strlen(path);
	struct uw_cginfo *ci = malloc(sizeof(*ci) + n + 1);

	if (!ci)
		return NULL;
	memcpy(ci->path, path, n + 1);
	ci->found = uw_container_from_path(path, n, &ci->c);
	return ci;
}

/* Path and container of cgroup id in one hierarchy, cached; NULL if it cannot be resolved. */
static struct uw_cginfo *resolve_id(struct uw_report *r, int v1, uint64_t id)
{
	struct {
		uint64_t v1;
		uint64_t id;
	} key = { (uint64_t)v1, id };
	char path[UW_PATH_MAX];
	struct uw_cginfo *ci = uw_table_get(&r->cgcache, &key, sizeof(key));

	if (ci)
		return ci;
	if (id == 0 || uw_cgroup_path_by_id(r->cg, v1, id, path, sizeof(path)))
		return NULL;
	ci = cginfo_new(path);
	if (ci && uw_table_put(&r->cgcache, &key, sizeof(key), ci))
		return NULL;
	if (ci && r->watch)
		r->watch(r->ignore_ctx, id, v1 ? r->cg->v1_hier : 0);
	return ci;
}

struct resolved {
	struct uw_cginfo *ci;   /* the hierarchy that names the container, or the best path */
	struct uw_cginfo *tmp;  /* owned here when it came from /proc/PID/cgroup */
	uint64_t id;
	const char *hier;
	int known;              /* we know the cgroup paths (so "no container" is a fact) */
};

/* Records the chosen hierarchy; returns 1 so callers can `return take(…)` from resolve(). */
static int take(struct resolved *out, struct uw_cginfo *ci, uint64_t id, const char *hier,
		int owned)
{
	out->ci = ci;
	out->id = id;
	out->hier = hier;
	if (owned)
		out->tmp = ci;
	return 1;
}

/* Container first, then any path but the root, then the root. */
static struct uw_cginfo *better(struct uw_cginfo *x, struct uw_cginfo *y)
{
	if (!x || !y)
		return x ? x : y;
	if (x->found != y->found)
		return x->found ? x : y;
	return strcmp(x->path, "/") || !strcmp(y->path, "/") ? x : y;
}

/*
 * Finds the hierarchy that names the container (v2 first, then the v1 one the kernel reads):
 * by cgroup ID, which works after the process is gone, else from /proc/PID/cgroup.
 */
static int resolve(struct uw_report *r, const struct uw_task_event *ev, struct resolved *out,
		   const char *hier1)
{
	/* only hierarchies mounted here can be resolved by ID (v1-only hosts have no cgroup2) */
	int have2 = ev->cgroup_id && r->cg->v2.fd >= 0, have1 = ev->cgroup1_id && r->cg->v1.fd >= 0;
	struct uw_cginfo *c2 = NULL, *c1 = NULL, *a, *b, *best;
	char p2[UW_PATH_MAX], p1[UW_PATH_MAX];

	memset(out, 0, sizeof(*out));
	if (have2)
		c2 = resolve_id(r, 0, ev->cgroup_id);
	if (c2 && c2->found)
		return take(out, c2, ev->cgroup_id, "v2", 0);
	if (have1)
		c1 = resolve_id(r, 1, ev->cgroup1_id);
	if ((c2 || c1) && (c2 || !have2) && (c1 || !have1)) {
		out->known = 1; /* every hierarchy resolved by ID: a fact about these cgroups */
		best = better(c2, c1);
		return best ? take(out, best, best == c2 ? ev->cgroup_id : ev->cgroup1_id,
				   best == c2 ? "v2" : hier1, 0)
			    : 0;
	}
	/* A cgroup the handle did not resolve (removed, or outside our mount): ask procfs. */
	if (uw_cgroup_paths_of_pid(r->procfs, (int)ev->pid, r->cg->v1_name, p2, sizeof(p2), p1,
				   sizeof(p1)) == 0) {
		a = p2[0] ? cginfo_new(p2) : NULL;
		b = p1[0] ? cginfo_new(p1) : NULL;
		best = better(a, b);
		if (best) {
			free(best == a ? b : a);
			return take(out, best, best == a ? ev->cgroup_id : ev->cgroup1_id,
				    best == a ? "v2" : hier1, 1);
		}
	}
	r->counts.unresolved++;
	best = better(c2, c1);
	return best ? take(out, best, best == c2 ? ev->cgroup_id : ev->cgroup1_id,
			   best == c2 ? "v2" : hier1, 0)
		    : 0;
}

static size_t meta_key(char *key, size_t cap, const struct uw_container *c)
{
	return (size_t)snprintf(key, cap, "%s%c%s", c->runtime, 0, c->id);
}

/* The container's runtime metadata, read once per container and cached (bounded). */
static const struct uw_meta *meta_of(struct uw_report *r, const struct uw_container *c)
{
	char key[UW_CID_MAX + 40];
	struct uw_meta *m;
	size_t n;

	if (!r->host_root || !c->id[0])
		return NULL;
	n = meta_key(key, sizeof(key), c);
	m = uw_table_get(&r->metacache, key, n);
	if (m)
		return m;
	m = malloc(sizeof(*m));
	if (!m)
		return NULL;
	uw_meta_load(r->host_root, c, m);
	if (uw_table_put(&r->metacache, key, n, m))
		return NULL;
	return m;
}

/*
 * Best name of the program: what execve was given if absolute, else /proc/PID/exe if it still
 * is the same file (same inode: the process may have exec'd something else since), else the
 * name the kernel sent (the executable's base name, or a relative execve name).
 */
static const char *exe_of(struct uw_report *r, const struct uw_task_event *ev, char *buf,
			  size_t len)
{
	char path[UW_PATH_MAX];
	struct stat st;
	ssize_t n;

	if ((ev->flags & UW_F_EXE_FROM_EXEC) && ev->exe[0] == '/' &&
	    !(ev->flags & UW_F_EXE_TRUNCATED))
		goto kernel;
	snprintf(path, sizeof(path), "%s/%u/exe", r->procfs, ev->pid);
	n = readlink(path, buf, len - 1);
	if (n > 0 && stat(path, &st) == 0 && (uint64_t)st.st_ino == ev->exe_ino) {
		buf[n] = 0;
		return buf;
	}
kernel:
	snprintf(buf, len, "%.*s", (int)sizeof(ev->exe), ev->exe);
	return buf;
}

/*
 * A cached cgroup was removed: forget its path and, if it was a container's, the container's
 * metadata (a container restarted under the same ID gets a new cgroup and is read again).
 */
static void cgroup_gone(struct uw_report *r, const struct uw_cgroup_event *ev)
{
	struct {
		uint64_t v1;
		uint64_t id;
	} key = { ev->hierarchy_id != 0, ev->cgroup_id };
	struct uw_cginfo *ci = uw_table_get(&r->cgcache, &key, sizeof(key));
	char mkey[UW_CID_MAX + 40];

	if (!ci)
		return;
	if (ci->found)
		uw_table_del(&r->metacache, mkey, meta_key(mkey, sizeof(mkey), &ci->c));
	uw_table_del(&r->cgcache, &key, sizeof(key));
	r->counts.cgroups_removed++;
}

/* One task record: verdict, flood control, alert. */
static int task_record(struct uw_report *r, const struct uw_task_event *ev)
{
	static const struct uw_container unknown = { .runtime = "unknown" };
	char exe[UW_PATH_MAX], key[UW_CID_MAX + 32];
	struct resolved res;
	struct uw_alert a;
	enum uw_limit lim;
	int rc = 0;

	if (ev->source == UW_SRC_SNAPSHOT)
		r->counts.snapshot++;
	else
		r->counts.received++;

	resolve(r, ev, &res, r->hier1);
	if (!uw_should_alert(res.ci && res.ci->found, &ev->ns, &r->host)) {
		r->counts.not_container++;
		if (res.known && uw_ignorable(&ev->ns, &r->host) && r->ignore) {
			struct uw_cgroup_key k = { ev->cgroup_id, ev->cgroup1_id };

			r->ignore(r->ignore_ctx, &k);
		}
		goto out;
	}
	r->counts.violations++;

	memset(&a, 0, sizeof(a));
	a.ev = ev;
	a.container = res.ci && res.ci->found ? &res.ci->c : &unknown;
	a.exe = exe_of(r, ev, exe, sizeof(exe));
	if (a.container->id[0])
		snprintf(key, sizeof(key), "%s", a.container->id);
	else
		snprintf(key, sizeof(key), "pidns:%u", ev->ns.pid);
	lim = uw_limiter_check(&r->lim, key, a.container->runtime, a.exe);
	r->counts.repeats = r->lim.repeats;
	r->counts.suppressed = r->lim.suppressed;
	if (lim == UW_LIM_REPEAT || lim == UW_LIM_SUPPRESSED)
		goto out;

	a.limit_reached = lim == UW_LIM_LAST;
	a.ts_real_ns = ev->hdr.ts_ns + (uint64_t)r->boot_to_real_ns;
	a.cgroup_id = res.ci ? res.id : ev->cgroup_id;
	a.cgroup_path = res.ci ? res.ci->path : NULL;
	a.cgroup_hier = res.ci ? res.hier : "v2";
	a.meta = meta_of(r, a.container);
	if (uw_output_alert(r->out, &a)) {
		r->write_errno = errno ? errno : EIO;
		rc = -EIO;
	} else {
		r->counts.alerts++;
	}
out:
	free(res.tmp);
	return rc;
}

int uw_report_record(struct uw_report *r, const void *data, size_t size)
{
	const struct uw_hdr *hdr = data;

	if (size >= sizeof(struct uw_task_event) && hdr->type == UW_T_TASK &&
	    hdr->size == sizeof(struct uw_task_event))
		return task_record(r, data);
	if (size >= sizeof(struct uw_cgroup_event) && hdr->type == UW_T_CGROUP_GONE &&
	    hdr->size == sizeof(struct uw_cgroup_event)) {
		cgroup_gone(r, data);
		return 0;
	}
	r->counts.bad_records++;
	return 0;
}
