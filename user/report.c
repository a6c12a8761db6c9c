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
#include "nsowner.h"
#include "uw_verdict.h"

struct uw_cginfo {
	int found;                   /* a container matched the path */
	struct uw_container c;
	char path[];
};

/* cgroup IDs are unique within one hierarchy: the cache is keyed by both */
struct cgkey {
	uint64_t v1; /* 0: cgroup v2, 1: the v1 hierarchy the kernel reads */
	uint64_t id;
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

uint64_t uw_now_boot_ns(void)
{
	return clock_ns(CLOCK_BOOTTIME);
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
	if (uw_table_init(&r->ownercache, UW_OWNERCACHE_MAX, free)) {
		uw_table_free(&r->cgcache);
		uw_table_free(&r->metacache);
		return -ENOMEM;
	}
	if (uw_limiter_init(&r->lim, max_alerts, UW_LIMITER_MAX_CONTAINERS)) {
		uw_table_free(&r->cgcache);
		uw_table_free(&r->metacache);
		uw_table_free(&r->ownercache);
		return -ENOMEM;
	}
	return 0;
}

void uw_report_free(struct uw_report *r)
{
	uw_table_free(&r->cgcache);
	uw_table_free(&r->metacache);
	uw_table_free(&r->ownercache);
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
	struct cgkey key = { (uint64_t)v1, id };
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
		r->watch(r->kernel_ctx, id, v1 ? r->cg->v1_hier : 0);
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
static int resolve(struct uw_report *r, uint32_t pid, const struct uw_cgroup_key *cg,
		   struct resolved *out)
{
	/* only hierarchies mounted here can be resolved by ID (v1-only hosts have no cgroup2) */
	int have2 = cg->cgroup_id && r->cg->v2.fd >= 0, have1 = cg->cgroup1_id && r->cg->v1.fd >= 0;
	const char *hier1 = r->hier1;
	struct uw_cginfo *c2 = NULL, *c1 = NULL, *a, *b, *best;
	char p2[UW_PATH_MAX], p1[UW_PATH_MAX];

	memset(out, 0, sizeof(*out));
	if (have2)
		c2 = resolve_id(r, 0, cg->cgroup_id);
	if (c2 && c2->found)
		return take(out, c2, cg->cgroup_id, "v2", 0);
	if (have1)
		c1 = resolve_id(r, 1, cg->cgroup1_id);
	if ((c2 || c1) && (c2 || !have2) && (c1 || !have1)) {
		out->known = 1; /* every hierarchy resolved by ID: a fact about these cgroups */
		best = better(c2, c1);
		return best ? take(out, best, best == c2 ? cg->cgroup_id : cg->cgroup1_id,
				   best == c2 ? "v2" : hier1, 0)
			    : 0;
	}
	/* A cgroup the handle did not resolve (removed, or outside our mount): ask procfs. */
	if (uw_cgroup_paths_of_pid(r->procfs, (int)pid, r->cg->v1_name, p2, sizeof(p2), p1,
				   sizeof(p1)) == 0) {
		a = p2[0] ? cginfo_new(p2) : NULL;
		b = p1[0] ? cginfo_new(p1) : NULL;
		best = better(a, b);
		if (best) {
			free(best == a ? b : a);
			return take(out, best, best == a ? cg->cgroup_id : cg->cgroup1_id,
				    best == a ? "v2" : hier1, 1);
		}
	}
	r->counts.unresolved++;
	best = better(c2, c1);
	return best ? take(out, best, best == c2 ? cg->cgroup_id : cg->cgroup1_id,
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
static const char *exe_of(struct uw_report *r, uint32_t pid, uint32_t flags,
			  const char kexe[UW_EXE_LEN], uint64_t exe_ino, char *buf, size_t len)
{
	char path[UW_PATH_MAX];
	struct stat st;
	ssize_t n;

	if ((flags & UW_F_EXE_FROM_EXEC) && kexe[0] == '/' && !(flags & UW_F_EXE_TRUNCATED))
		goto kernel;
	snprintf(path, sizeof(path), "%s/%u/exe", r->procfs, pid);
	n = readlink(path, buf, len - 1);
	if (n > 0 && stat(path, &st) == 0 && (uint64_t)st.st_ino == exe_ino) {
		buf[n] = 0;
		return buf;
	}
kernel:
	snprintf(buf, len, "%.*s", UW_EXE_LEN, kexe);
	return buf;
}

/*
 * A cached cgroup was removed: forget its path and, if it was a container's, the container's
 * metadata (a container restarted under the same ID gets a new cgroup and is read again).
 */
static void cgroup_gone(struct uw_report *r, const struct uw_cgroup_event *ev)
{
	struct cgkey key = { ev->hierarchy_id != 0, ev->cgroup_id };
	struct uw_cginfo *ci = uw_table_get(&r->cgcache, &key, sizeof(key));
	char mkey[UW_CID_MAX + 40];

	if (!ci)
		return;
	if (ci->found)
		uw_table_del(&r->metacache, mkey, meta_key(mkey, sizeof(mkey), &ci->c));
	uw_table_del(&r->cgcache, &key, sizeof(key));
	r->counts.cgroups_removed++;
}

struct uw_owner {
	uint64_t expires_ns;     /* CLOCK_BOOTTIME */
	int found;
	struct uw_container c;
};

/*
 * uw_ns_owner with a cache: every process of an unknown-layout container (or an nsenter'd
 * session) would otherwise scan all of /proc, making a snapshot of N such processes O(N^2).
 * Answers, found or not, are kept for UW_OWNER_TTL_NS.
 */
static int ns_owner_cached(struct uw_report *r, const char *type, unsigned inum, uint32_t skip_pid,
			   struct uw_container *c)
{
	struct {
		char type[8];
		uint32_t inum;
	} key;
	uint64_t now = uw_now_boot_ns();
	struct uw_owner *o;

	memset(&key, 0, sizeof(key));
	snprintf(key.type, sizeof(key.type), "%s", type);
	key.inum = inum;
	o = uw_table_get(&r->ownercache, &key, sizeof(key));
	if (!o || o->expires_ns <= now) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return uw_ns_owner(r->procfs, type, inum, (int)skip_pid, r->cg->v1_name, c);
		r->owner_scans++;
		o->found = uw_ns_owner(r->procfs, type, inum, (int)skip_pid, r->cg->v1_name, &o->c);
		o->expires_ns = now + UW_OWNER_TTL_NS;
		if (uw_table_put(&r->ownercache, &key, sizeof(key), o))
			return 0;
	}
	if (o->found)
		*c = o->c;
	return o->found;
}

/* The container owning any of these namespaces (mnt first), found through other processes. */
static int owner_of(struct uw_report *r, uint32_t skip_pid, const struct uw_ns *ns,
		    struct uw_container *c)
{
	static const char *const types[] = { "mnt", "pid", "pid", "net", "uts", "ipc" };
	const unsigned inums[] = { ns->mnt, ns->pid, ns->pad, ns->net, ns->uts, ns->ipc };
	const unsigned host[] = { r->host.mnt, r->host.pid, r->host.pid, r->host.net, r->host.uts,
				  r->host.ipc };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (inums[i] && inums[i] != host[i] && ns_owner_cached(r, types[i], inums[i], skip_pid, c))
			return 1;
	return 0;
}

/* Writes an alert through flood control; key is the container's, what is the program. */
static int emit(struct uw_report *r, struct uw_alert *a, const char *what)
{
	char key[UW_CID_MAX + 32];
	enum uw_limit lim;

	if (a->container->id[0])
		snprintf(key, sizeof(key), "%s", a->container->id);
	else
		snprintf(key, sizeof(key), "%s:%u", a->container->runtime, a->ns->pid);
	r->counts.violations++;
	lim = uw_limiter_check(&r->lim, key, a->container->runtime, what);
	r->counts.repeats = r->lim.repeats;
	r->counts.suppressed = r->lim.suppressed;
	if (lim == UW_LIM_REPEAT || lim == UW_LIM_SUPPRESSED)
		return 0;
	a->limit_reached = lim == UW_LIM_LAST;
	a->meta = meta_of(r, a->container);
	if (uw_output_alert(r->out, a)) {
		r->write_errno = errno ? errno : EIO;
		return -EIO;
	}
	r->counts.alerts++;
	return 0;
}

/*
 * A namespace transition: which alert, if any, and whose container.
 *  - setns into a set that keeps (or moves into) the host user namespace while other namespaces
 *    are a container's, or a move from a container into the host user namespace: host_userns;
 *  - setns into another user namespace: userns_enter (the container owning that namespace);
 *  - unshare/clone with a new user namespace: userns_create (the container of the creator).
 * Transitions that touch no container are written only with --host-transitions (runtime "host").
 */
static int transition_record(struct uw_report *r, const struct uw_transition_event *ev)
{
	static const struct uw_container unknown = { .runtime = "unknown" };
	static const struct uw_container host_ctr = { .runtime = "host" };
	const struct uw_ns *b = &ev->before, *af = &ev->after;
	struct uw_ns host = r->host;
	struct uw_cgroup_key cg = { ev->cgroup_id, ev->cgroup1_id };
	struct uw_container owner;
	struct resolved res;
	struct uw_alert a;
	char exe[UW_PATH_MAX], what[UW_PATH_MAX + 32];
	int rc, in_ctr, setup;

	r->counts.transitions++;
	host.pad = host.pid;
	memset(&a, 0, sizeof(a));
	if (ev->syscall == UW_SYS_SETNS && af->user == host.user &&
	    (uw_entered_container(af, &host) || b->user != host.user)) {
		a.kind = UW_AK_HOST_USERNS;
		a.rule_id = UW_RULE_ID;
		a.rule_text = UW_RULE_TEXT;
		a.severity = ev->euid == 0 || ev->uid == 0 ? "critical" : "high";
	} else if (ev->syscall == UW_SYS_SETNS && af->user != b->user) {
		a.kind = UW_AK_USERNS_ENTER;
		a.rule_id = UW_RULE_ENTER_ID;
		a.rule_text = UW_RULE_ENTER_TEXT;
		a.severity = "medium";
		a.userns_previous = b->user;
	} else if (ev->syscall != UW_SYS_SETNS && af->user != b->user) {
		a.kind = UW_AK_USERNS_CREATE;
		a.rule_id = UW_RULE_CREATE_ID;
		a.rule_text = UW_RULE_CREATE_TEXT;
		a.severity = "high";
		a.userns_parent = ev->userns_parent;
		a.userns_level = ev->userns_level;
	} else {
		return 0; /* no user namespace story: new tasks are judged at fork and exec */
	}

	/* a runtime creating a container's user namespace from the host's namespaces (runc,
	 * unshare -U -m -p) is setting the container up; "inside" means the creator already was in
	 * the container's namespaces */
	setup = a.kind == UW_AK_USERNS_CREATE && b->user == host.user && uw_rest_is_host(b, &host);
	if (setup && !r->host_transitions)
		return 0;

	/* the task's cgroup first (runc exec joins it), then the namespaces it is in or came from */
	resolve(r, ev->pid, &cg, &res);
	if (setup) {
		a.container = &host_ctr;
	} else if (res.ci && res.ci->found) {
		a.container = &res.ci->c;
	} else if ((a.kind == UW_AK_USERNS_ENTER &&
		    ns_owner_cached(r, "user", af->user, ev->pid, &owner)) ||
		   owner_of(r, ev->pid, a.kind == UW_AK_USERNS_CREATE ? b : af, &owner)) {
		a.container = &owner;
	} else if ((a.kind == UW_AK_USERNS_CREATE ? b : af)->pid != host.pid ||
		   (af->pad && af->pad != host.pid) ||
		   /* userns_enter from a container's user namespace is about that container too */
		   (a.kind == UW_AK_USERNS_ENTER && b->user != host.user)) {
		a.container = &unknown;
	} else {
		a.container = &host_ctr;
	}
	in_ctr = a.container != &host_ctr;
	if (!in_ctr && !r->host_transitions) {
		free(res.tmp);
		return 0;
	}
	if (!in_ctr) {
		a.rule_id = UW_RULE_HOST_ID;
		a.rule_text = UW_RULE_HOST_TEXT;
		a.severity = "info";
	}
	a.source = uw_syscall_name(ev->syscall);
	a.ts_real_ns = ev->hdr.ts_ns + (uint64_t)r->boot_to_real_ns;
	a.pid = ev->pid;
	a.ppid = ev->ppid;
	a.uid = ev->uid;
	a.euid = ev->euid;
	a.comm = ev->comm;
	a.exe = exe_of(r, ev->pid, 0, ev->exe, ev->exe_ino, exe, sizeof(exe));
	a.ns = af;
	a.tr = ev;
	a.cgroup_id = res.ci ? res.id : ev->cgroup_id;
	a.cgroup_path = res.ci ? res.ci->path : NULL;
	a.cgroup_hier = res.ci ? res.hier : "v2";
	snprintf(what, sizeof(what), "%s/%s:%s", uw_alert_kind_name(a.kind), a.source, a.exe);
	rc = emit(r, &a, what);
	free(res.tmp);
	return rc;
}

/* One task record: verdict, flood control, alert. */
static int task_record(struct uw_report *r, const struct uw_task_event *ev)
{
	static const struct uw_container unknown = { .runtime = "unknown" };
	char exe[UW_PATH_MAX];
	struct uw_container owner;
	struct resolved res;
	struct uw_alert a;
	int rc = 0;

	struct uw_cgroup_key cg = { ev->cgroup_id, ev->cgroup1_id };

	resolve(r, ev->pid, &cg, &res);
	if (!uw_should_alert(res.ci && res.ci->found, &ev->ns, &r->host)) {
		r->counts.not_container++;
		if (res.known && uw_ignorable(&ev->ns, &r->host) && r->ignore)
			r->ignore(r->kernel_ctx, &cg);
		goto out;
	}
	memset(&a, 0, sizeof(a));
	a.container = res.ci && res.ci->found ? &res.ci->c : &unknown;
	/* a process that joined a container's namespaces but not its cgroup (nsenter) */
	if (!a.container->id[0] && owner_of(r, ev->pid, &ev->ns, &owner))
		a.container = &owner;
	a.exe = exe_of(r, ev->pid, ev->flags, ev->exe, ev->exe_ino, exe, sizeof(exe));
	a.kind = UW_AK_HOST_USERNS;
	a.source = uw_source_name(ev->source);
	a.severity = ev->euid == 0 || ev->uid == 0 ? "critical" : "high"; /* container root is host root */
	a.rule_id = UW_RULE_ID;
	a.rule_text = UW_RULE_TEXT;
	a.pid = ev->pid;
	a.ppid = ev->ppid;
	a.uid = ev->uid;
	a.euid = ev->euid;
	a.comm = ev->comm;
	a.exe_truncated = !!(ev->flags & UW_F_EXE_TRUNCATED);
	a.ns = &ev->ns;
	a.ts_real_ns = ev->hdr.ts_ns + (uint64_t)r->boot_to_real_ns;
	a.cgroup_id = res.ci ? res.id : ev->cgroup_id;
	a.cgroup_path = res.ci ? res.ci->path : NULL;
	a.cgroup_hier = res.ci ? res.hier : "v2";
	rc = emit(r, &a, a.exe);
out:
	free(res.tmp);
	return rc;
}

/* Judges the pending setns calls of pid, if any. */
/* Frees a pending slot and judges what it held. */
static int judge(struct uw_report *r, struct uw_pending_setns *p)
{
	p->used = 0;
	r->npending--;
	return transition_record(r, &p->ev);
}

static int settle(struct uw_report *r, uint32_t pid)
{
	size_t i;

	for (i = 0; r->npending && i < UW_PENDING_SETNS; i++)
		if (r->pending[i].used && r->pending[i].ev.pid == pid)
			return judge(r, &r->pending[i]);
	return 0;
}

int uw_report_flush(struct uw_report *r, uint64_t now_boot_ns)
{
	int rc = 0;
	size_t i;

	for (i = 0; r->npending && i < UW_PENDING_SETNS; i++) {
		struct uw_pending_setns *p = &r->pending[i];

		if (p->used && (!now_boot_ns || p->ev.hdr.ts_ns + UW_SETNS_SETTLE_NS <= now_boot_ns))
			rc |= judge(r, p);
	}
	return rc;
}

/* A setns: merged with the same process's earlier ones, judged when it settles. */
static int setns_record(struct uw_report *r, const struct uw_transition_event *ev)
{
	struct uw_pending_setns *slot = NULL, *oldest = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < UW_PENDING_SETNS; i++) {
		struct uw_pending_setns *p = &r->pending[i];

		if (p->used && p->ev.pid == ev->pid) {
			struct uw_ns before = p->ev.before;
			uint64_t ts = p->ev.hdr.ts_ns;
			uint32_t flags = p->ev.flags;

			p->ev = *ev;
			p->ev.before = before;
			p->ev.hdr.ts_ns = ts;
			p->ev.flags |= flags;
			return 0;
		}
		if (!p->used && !slot)
			slot = p;
		if (p->used && (!oldest || p->ev.hdr.ts_ns < oldest->ev.hdr.ts_ns))
			oldest = p;
	}
	if (!slot) { /* full: judge the oldest now rather than lose it */
		rc = judge(r, oldest);
		slot = oldest;
	}
	slot->used = 1;
	slot->ev = *ev;
	r->npending++;
	return rc;
}

int uw_report_record(struct uw_report *r, const void *data, size_t size)
{
	const struct uw_hdr *hdr = data;
	int rc = 0;

	if (size >= sizeof(struct uw_task_event) && hdr->type == UW_T_TASK &&
	    ((const struct uw_task_event *)data)->source == UW_SRC_SNAPSHOT)
		r->counts.snapshot++;
	else
		r->counts.received++;

	if (size >= sizeof(struct uw_task_event) && hdr->type == UW_T_TASK &&
	    hdr->size == sizeof(struct uw_task_event)) {
		const struct uw_task_event *ev = data;

		/* a process forking or exec'ing after setns calls has settled */
		if (ev->source != UW_SRC_SNAPSHOT)
			rc = settle(r, ev->pid) | settle(r, ev->ppid);
		return task_record(r, ev) | rc;
	}
	if (size >= sizeof(struct uw_transition_event) && hdr->type == UW_T_TRANSITION &&
	    hdr->size == sizeof(struct uw_transition_event)) {
		const struct uw_transition_event *ev = data;

		if (ev->syscall == UW_SYS_SETNS)
			return setns_record(r, ev);
		rc = settle(r, ev->pid) | settle(r, ev->ppid);
		return transition_record(r, ev) | rc;
	}
	if (size >= sizeof(struct uw_cgroup_event) && hdr->type == UW_T_CGROUP_GONE &&
	    hdr->size == sizeof(struct uw_cgroup_event)) {
		cgroup_gone(r, data);
		return 0;
	}
	r->counts.bad_records++;
	return 0;
}
