// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "hostns.h"
#include "nsowner.h"
#include "severity.h"
#include "uw_verdict.h"

/* A task's cgroup, owned by the record being handled (struct resolved). */
struct uw_cginfo {
	int found;                   /* a container matched the path */
	struct uw_container c;
	char path[];
};

/* A cgroup cache entry, one allocation: the path, then (aligned) the container it names,
 * packed. The cache keeps thousands: a Docker container's entry takes 164 bytes, a uw_cginfo
 * 470. */
struct cgentry {
	uint32_t pack_off; /* where the container's struct uw_cpack starts; 0: no container */
	char path[];
};

static const struct uw_cpack *cg_pack(const struct cgentry *e)
{
	return e->pack_off ? (const struct uw_cpack *)((const char *)e + e->pack_off) : NULL;
}

/* cgroup IDs are unique within one hierarchy: the cache is keyed by both */
struct cgkey {
	uint64_t v1; /* 0: cgroup v2, 1: the v1 hierarchy the kernel reads */
	uint64_t id;
};

/*
 * What the last task record of a process said: in mount namespace mnt it was (or was not) a
 * container's. A setns sequence judged later starts from there: the namespace it left may be
 * gone and its inode number reused by another container by then.
 */
struct uw_pidmemo {
	uint32_t mnt;
	uint32_t in_container;
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

static int still_host(void *ctx, const struct uw_alert *a);
static const char *exe_name(void *ctx, const struct uw_alert *a, const char **kind);

static const struct uw_container unknown_ctr = { .runtime = "unknown" };
static const struct uw_container host_ctr = { .runtime = "host" };

int uw_report_init(struct uw_report *r, const char *procfs, const struct uw_ns *host,
		   struct uw_cgroups *cg, struct uw_output *out, unsigned max_alerts)
{
	memset(r, 0, sizeof(*r));
	r->procfs = procfs;
	r->host = *host;
	r->host.pid_for_children = host->pid;
	r->cg = cg;
	r->out = out;
	r->clock_real = uw_now_real_ns;
	r->clock_boot = uw_now_boot_ns;
	r->boot_to_real_ns = uw_boot_to_real_ns();
	r->report_interval_ns = UW_DEFAULT_REPORT_INTERVAL_NS;
	uw_setns_init(&r->setns, host);
	snprintf(r->hier1, sizeof(r->hier1), "v1:%s", cg->v1_name ? cg->v1_name : "?");
	if (uw_table_init(&r->cgcache, UW_CGCACHE_MAX, free) ||
	    uw_table_init(&r->metacache, UW_METACACHE_MAX, free) ||
	    uw_table_init(&r->ownercache, UW_OWNERCACHE_MAX, free) ||
	    uw_nsmemo_init(&r->nsmemo, procfs, host->mnt) ||
	    uw_table_init(&r->pidmemo, UW_PIDMEMO_MAX, free) ||
	    uw_setup_init(&r->setup, UW_SETUP_MAX_CONTAINERS, UW_SETUP_HOLD_NS, UW_SETUP_MAX_HOLD_NS) ||
	    uw_limiter_init(&r->lim, max_alerts, UW_LIMITER_MAX_CONTAINERS)) {
		uw_report_free(r);
		return -ENOMEM;
	}
	r->setup.still_host = still_host;
	r->setup.exe_name = exe_name; /* a held alert is named when held */
	return 0;
}

void uw_report_free(struct uw_report *r)
{
	uw_table_free(&r->cgcache);
	uw_table_free(&r->metacache);
	uw_table_free(&r->ownercache);
	uw_nsmemo_free(&r->nsmemo);
	uw_table_free(&r->pidmemo);
	uw_setup_free(&r->setup);
	uw_limiter_free(&r->lim);
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
static struct cgentry *resolve_id(struct uw_report *r, int v1, uint64_t id)
{
	struct cgkey key = { (uint64_t)v1, id };
	char path[UW_PATH_MAX];
	struct cgentry *e = uw_table_get(&r->cgcache, &key, sizeof(key));

	if (e)
		return e;
	if (id == 0 || uw_cgroup_path_by_id(r->cg, v1, id, path, sizeof(path)))
		return NULL;
	e = cgentry_new(path);
	if (e && uw_table_put(&r->cgcache, &key, sizeof(key), e))
		return NULL;
	if (e && r->watch && r->watch(r->kernel_ctx, id, v1 ? r->cg->v1_hier : 0))
		r->counts.watch_failed++;
	return e;
}

/*
 * A task's cgroup as resolve() found it. ci is always owned here (tmp), never an entry of the
 * bounded cache: later steps add to that cache (a namespace's owner resolved by ID), which may
 * evict the entry a pointer would still point at.
 */
struct resolved {
	struct uw_cginfo *ci;   /* the hierarchy that names the container, or the best path */
	struct uw_cginfo *tmp;  /* what ci points at, freed by the caller */
	uint64_t id;
	const char *hier;
	int known;              /* we know the cgroup paths (so "no container" is a fact) */
};

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

/* Records the chosen hierarchy (entry e unpacked; e is freed when owned, not cached); returns
 * 1 so callers can `return take(…)` from resolve(), or 0 without memory. */
static int take(struct resolved *out, struct cgentry *e, uint64_t id, const char *hier,
		int owned)
{
	struct uw_cginfo *ci = cginfo_of(e);

	if (owned)
		free(e);
	if (!ci)
		return 0;
	out->ci = ci;
	out->tmp = ci;
	out->id = id;
	out->hier = hier;
	return 1;
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
	struct cgentry *c2 = NULL, *c1 = NULL, *a, *b, *best;
	char p2[UW_PATH_MAX], p1[UW_PATH_MAX];

	memset(out, 0, sizeof(*out));
	if (have2)
		c2 = resolve_id(r, 0, cg->cgroup_id);
	if (c2 && c2->pack_off)
		return take(out, c2, cg->cgroup_id, "v2", 0);
	if (have1) {
		struct cgkey k2 = { 0, cg->cgroup_id };

		c1 = resolve_id(r, 1, cg->cgroup1_id);
		/* caching c1 may have evicted c2 from the bounded cache: never hold it across */
		if (c2)
			c2 = uw_table_get(&r->cgcache, &k2, sizeof(k2));
	}
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
		a = p2[0] ? cgentry_new(p2) : NULL;
		b = p1[0] ? cgentry_new(p1) : NULL;
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

/* The runtime binary below the host root that is the file (ino, dev), or NULL: checked by
 * identity, not by name. */
static const char *runtime_by_inode(struct uw_report *r, uint64_t ino, uint32_t dev)
{
	static const char *const runtimes[] = {
		"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc",
		"/usr/bin/crun", "/usr/local/bin/crun", "/usr/sbin/crun",
	};
	const char *root = r->host_root && strcmp(r->host_root, "/") ? r->host_root : "";
	char path[4096];
	struct stat st;
	size_t i;

	for (i = 0; ino && i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s", root, runtimes[i]) >= sizeof(path))
			break;
		if (!stat(path, &st) && (uint64_t)st.st_ino == ino && major(st.st_dev) == dev >> 20 &&
		    minor(st.st_dev) == (dev & 0xfffff))
			return runtimes[i];
	}
	return NULL;
}

/*
 * A program whose file has no path from the host's view: /proc/PID/exe reads "/" when the
 * process reached it through a mount that only another mount namespace has (runc executes its
 * own binary that way, from its private mount namespace). It is named by the runtime binary
 * with its device and inode, else by those numbers.
 */
static const char *private_mount_exe(struct uw_report *r, uint64_t ino, uint32_t dev,
				     const char **kind, char *buf, size_t len)
{
	const char *rt = runtime_by_inode(r, ino, dev);

	*kind = "private_mount";
	if (rt)
		snprintf(buf, len, "%s", rt);
	else
		snprintf(buf, len, "(inode %" PRIu64 " on device %u:%u, through a private mount)", ino,
			 dev >> 20, dev & 0xfffff);
	return buf;
}

/*
 * Best name of the program, and what kind of file it is:
 *  - "memfd": an unlinked file named memfd:* (memfd_create), shown by that name;
 *  - "deleted": an unlinked file, shown as /proc/PID/exe shows it ("… (deleted)");
 *  - "fd": executed through a file descriptor (fexecve, execveat): /proc/PID/exe;
 *  - "path": what execve was given if absolute, else /proc/PID/exe.
 * /proc/PID/exe is used only while it is still the same file (device and inode checked: the
 * process may have exec'd something else since); else the name the kernel sent.
 */
static const char *exe_of(struct uw_report *r, uint32_t pid, uint32_t flags,
			  const char kexe[UW_EXE_LEN], uint64_t exe_ino, uint32_t exe_dev,
			  const char **kind, char *buf, size_t len)
{
	char path[64];
	struct stat st;
	ssize_t n;

	*kind = flags & UW_F_EXE_UNLINKED ? "deleted" : flags & UW_F_EXE_FD ? "fd" : "path";
	if ((flags & UW_F_EXE_UNLINKED) && !strncmp(kexe, "memfd:", 6)) {
		*kind = "memfd";
		goto kernel;
	}
	if ((flags & (UW_F_EXE_FROM_EXEC | UW_F_EXE_TRUNCATED | UW_F_EXE_FD | UW_F_EXE_UNLINKED)) ==
		    UW_F_EXE_FROM_EXEC &&
	    kexe[0] == '/')
		goto kernel;
	snprintf(path, sizeof(path), "%s/%u/exe", r->procfs, pid);
	if (strlen(r->procfs) < sizeof(path) - 24) {
		n = readlink(path, buf, len - 1);
		if (n > 0 && stat(path, &st) == 0 && (uint64_t)st.st_ino == exe_ino &&
		    (!exe_dev || (major(st.st_dev) == exe_dev >> 20 &&
				  minor(st.st_dev) == (exe_dev & 0xfffff)))) {
			buf[n] = 0;
			/* "/": the file was reached through a mount the host's view does not have */
			if (!strcmp(buf, "/"))
				return private_mount_exe(r, exe_ino, exe_dev, kind, buf, len);
			return buf;
		}
	}
kernel:
	if (!strcmp(kexe, "/") || !kexe[0])
		return private_mount_exe(r, exe_ino, exe_dev, kind, buf, len);
	/* only the file's base name (the process is gone): a runtime's binary by its inode */
	if (!(flags & UW_F_EXE_FROM_EXEC) && !memchr(kexe, '/', strnlen(kexe, UW_EXE_LEN)) &&
	    strcmp(*kind, "memfd")) {
		const char *rt = runtime_by_inode(r, exe_ino, exe_dev);

		if (rt) {
			snprintf(buf, len, "%s", rt);
			return buf;
		}
	}
	snprintf(buf, len, "%.*s", UW_EXE_LEN, kexe);
	return buf;
}

/*
 * A cached cgroup was removed: forget its path and, if it was a container's, the container's
 * metadata and what it taught about mount namespaces (a container restarted under the same ID
 * gets a new cgroup and is read again).
 */
static void cgroup_gone(struct uw_report *r, const struct uw_cgroup_event *ev)
{
	struct cgkey key = { ev->hierarchy_id != 0, ev->cgroup_id };
	struct cgentry *e = uw_table_get(&r->cgcache, &key, sizeof(key));
	struct uw_memo_src src = { key.v1, key.id };
	char mkey[UW_CID_MAX + 40];
	struct uw_container c;

	if (!e)
		return;
	if (e->pack_off) {
		uw_container_unpack(cg_pack(e), &c);
		uw_table_del(&r->metacache, mkey, meta_key(mkey, sizeof(mkey), &c));
		uw_nsmemo_forget(&r->nsmemo, &c, &src);
	}
	uw_table_del(&r->cgcache, &key, sizeof(key));
	r->counts.cgroups_removed++;
}

struct uw_owner {
	uint64_t expires_ns;     /* CLOCK_BOOTTIME */
	int found;
	int pid;                 /* found: the process that showed it (checked on every use) */
	struct uw_container c;
};

/*
 * uw_ns_owner with a cache: every process of an unknown-layout container (or an nsenter'd
 * session) would otherwise scan all of /proc, making a snapshot of N such processes O(N^2).
 * Answers, found or not, are kept for UW_OWNER_TTL_NS; a found one only while the process that
 * showed it still lives in that namespace (inode numbers are reused as soon as a namespace
 * dies).
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
	unsigned v;

	memset(&key, 0, sizeof(key));
	snprintf(key.type, sizeof(key.type), "%s", type);
	key.inum = inum;
	o = uw_table_get(&r->ownercache, &key, sizeof(key));
	if (o && o->found && (uw_read_ns(r->procfs, o->pid, type, &v) || v != inum))
		o = NULL; /* its process is gone or moved: ask again */
	if (!o || o->expires_ns <= now) {
		o = calloc(1, sizeof(*o));
		if (!o)
			return uw_ns_owner(r->procfs, type, inum, (int)skip_pid, r->cg->v1_name, c, NULL);
		r->owner_scans++;
		o->found = uw_ns_owner(r->procfs, type, inum, (int)skip_pid, r->cg->v1_name, &o->c,
				       &o->pid);
		o->expires_ns = now + UW_OWNER_TTL_NS;
		if (uw_table_put(&r->ownercache, &key, sizeof(key), o))
			return 0;
	}
	if (o->found)
		*c = o->c;
	return o->found;
}

/* The container of the cgroup whose processes were seen in mount namespace mnt (checked). */
static int memo_owner(struct uw_report *r, uint32_t mnt, struct uw_container *c)
{
	const struct cgentry *e;
	struct uw_memo_src src;

	if (mnt == r->host.mnt || !uw_nsmemo_owner(&r->nsmemo, mnt, &src))
		return 0;
	e = resolve_id(r, src.hier != 0, src.id);
	if (!e || !e->pack_off)
		return 0;
	uw_container_unpack(cg_pack(e), c);
	return 1;
}

/*
 * The container owning ns's mount or pid namespace (or pid namespace for children): a mount
 * namespace its processes were seen in, else one of its processes found in /proc. Network,
 * uts and ipc namespaces do not count: runtimes and CNI plugins join those to set containers
 * up.
 */
static int owner_of(struct uw_report *r, uint32_t skip_pid, const struct uw_ns *ns,
		    struct uw_container *c)
{
	static const char *const types[] = { "mnt", "pid", "pid" };
	const unsigned inums[] = { ns->mnt, ns->pid, ns->pid_for_children };
	const unsigned host[] = { r->host.mnt, r->host.pid, r->host.pid };
	size_t i;

	if (memo_owner(r, ns->mnt, c))
		return 1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (inums[i] && inums[i] != host[i] && ns_owner_cached(r, types[i], inums[i], skip_pid, c))
			return 1;
	return 0;
}

/* The flood-control key of a container: its ID, or runtime:pid namespace when it has none. */
static void limit_key(char *key, size_t cap, const struct uw_container *c, const struct uw_ns *ns)
{
	if (c->id[0])
		snprintf(key, cap, "%s", c->id);
	else
		snprintf(key, cap, "%s:%u", c->runtime, ns->pid);
}

/* The flood-control budget of an alert: its kind, host_userns split by how it came. */
static enum uw_budget budget_of(const struct uw_alert *a)
{
	switch (a->kind) {
	case UW_AK_HOST_USERNS: return a->tr ? UW_BUDGET_ENTERED : UW_BUDGET_HOST_USERNS;
	case UW_AK_ESCAPE: return UW_BUDGET_ESCAPE;
	case UW_AK_USERNS_CREATE: return UW_BUDGET_USERNS_CREATE;
	case UW_AK_USERNS_ENTER: return UW_BUDGET_USERNS_ENTER;
	case UW_AK_SELF:
	case UW_AK_MAX: break;
	}
	return UW_BUDGET_HOST_USERNS;
}

/*
 * A task record's executable is named (exe_of: a readlink and a stat in procfs) only when an
 * alert needs the name: written, held, or keyed by it. A snapshot of thousands of processes
 * running one program in one container writes one alert and counts the rest.
 */
struct uw_exe_later {
	const struct uw_alert *a; /* the alert it names */
	uint32_t pid, flags;
	const char *kexe;
	uint64_t ino;
	uint32_t dev;
	char *buf;
	size_t len;
};

/* The name of a's executable (and its kind), read now if it was left for later. */
static const char *exe_name(void *ctx, const struct uw_alert *a, const char **kind)
{
	struct uw_report *r = ctx;
	struct uw_exe_later *l = r->exe_later;

	if (a->exe || !l || l->a != a)
		return a->exe;
	return exe_of(r, l->pid, l->flags, l->kexe, l->ino, l->dev, kind, l->buf, l->len);
}

static void exe_now(struct uw_report *r, struct uw_alert *a)
{
	a->exe = exe_name(r, a, &a->exe_kind);
}

/* The program an alert is about: its executable's identity, else a digest of its name. */
static struct uw_prog_id prog_of(struct uw_report *r, struct uw_alert *a)
{
	if (!a->exe_ino)
		exe_now(r, a);
	if (a->exe_ino)
		return (struct uw_prog_id){ a->exe_dev, a->exe_ino };
	return uw_prog_id_of_name(&r->lim, a->exe ? a->exe : "");
}

/*
 * The policy rule that allows alert a, or NULL. A rule found expired while it would have
 * matched is written once ("policy" record, action "expired"); -EIO when that cannot be.
 */
static int policy_check(struct uw_report *r, struct uw_alert *a, struct uw_policy_rule **allow)
{
	const struct uw_meta *m;
	struct uw_policy_rule *expired;
	struct uw_policy_subject s;

	*allow = NULL;
	if (!r->policy || !r->policy->n)
		return 0;
	m = a->container->id[0] ? meta_of(r, a->container) : NULL;
	a->meta = m;
	uw_policy_subject_of(&s, a->kind, a->container->runtime, a->container->id, m);
	*allow = uw_policy_match(r->policy, &s, (int64_t)a->ts_real_ns, &expired);
	if (expired && uw_output_policy(r->out, a->ts_real_ns, "expired", NULL, expired->name, 0, NULL)) {
		r->write_errno = errno ? errno : EIO;
		return -EIO;
	}
	return 0;
}

/* Writes an alert through the policy and flood control (per container, budget and program). */
static int emit_keyed(struct uw_report *r, struct uw_alert *a, const char *key,
		      const struct uw_prog_id *prog)
{
	enum uw_budget budget = budget_of(a);
	struct uw_policy_rule *allow;
	enum uw_limit lim;

	if (policy_check(r, a, &allow))
		return -EIO;
	if (allow) {
		/* not a violation: counted for its rule, written at info only when asked */
		allow->allowed++;
		r->counts.allowed++;
		if (!r->report_allowed)
			return 0;
		a->severity = "info";
		a->policy_rule = allow->name;
		a->policy_reason = allow->reason;
	}
	if (!allow)
		r->counts.violations++;
	r->counts.escapes += a->kind == UW_AK_ESCAPE;
	lim = uw_limiter_check(&r->lim, key, a->container->runtime, budget, prog);
	r->counts.repeats = r->lim.repeats;
	r->counts.suppressed = r->lim.suppressed;
	if (lim == UW_LIM_SUPPRESSED_FIRST) {
		/* the container's alerts of this kind are now only counted: say so at once */
		const struct uw_cstate *s = uw_table_get(&r->lim.containers, key, strlen(key));
		struct uw_limit_note n = {
			.ts_real_ns = a->ts_real_ns, .phase = "reached", .key = key,
			.klen = strlen(key), .runtime = a->container->runtime,
			.budget = uw_budget_name(budget), .limit = r->lim.max_alerts,
			.k = s ? s->k[budget] : NULL, .since = 1,
			.c = a->container,
		};

		if (!n.k)
			return 0;
		if (uw_output_limit(r->out, &n)) {
			r->write_errno = errno ? errno : EIO;
			return -EIO;
		}
		r->counts.limit_records++;
		return 0;
	}
	if (lim == UW_LIM_REPEAT || lim == UW_LIM_SUPPRESSED)
		return 0;
	a->limit_reached = lim == UW_LIM_LAST;
	exe_now(r, a);
	if (!a->meta) /* the policy may have read it already */
		a->meta = meta_of(r, a->container);
	if (a->origin && a->origin->id[0] && !strcmp(a->origin->id, a->container->id) &&
	    !strcmp(a->origin->runtime, a->container->runtime))
		a->origin = NULL;
	if (uw_output_alert(r->out, a)) {
		r->write_errno = errno ? errno : EIO;
		return -EIO;
	}
	r->counts.alerts++;
	return 0;
}

/* The same, with the flood-control key and program worked out here. */
static int emit_now(struct uw_report *r, struct uw_alert *a)
{
	char key[UW_CID_MAX + 32];
	struct uw_prog_id prog = prog_of(r, a);

	limit_key(key, sizeof(key), a->container, a->ns);
	return emit_keyed(r, a, key, &prog);
}

static int release_held(void *ctx, struct uw_alert *a)
{
	return emit_now(ctx, a);
}

/* Kernel facts about a held alert's process at the end of its container's setup: 1 when it is
 * still alive, still runs the same file, and is still in the host user namespace. */
static int still_host(void *ctx, const struct uw_alert *a)
{
	struct uw_report *r = ctx;
	char path[64];
	struct stat st;

	if (strlen(r->procfs) >= sizeof(path) - 24)
		return 1; /* cannot tell: report it */
	snprintf(path, sizeof(path), "%s/%u/ns/user", r->procfs, a->pid);
	if (stat(path, &st) || (uint64_t)st.st_ino != r->host.user)
		return 0;
	snprintf(path, sizeof(path), "%s/%u/exe", r->procfs, a->pid);
	if (a->exe_ino && (stat(path, &st) || (uint64_t)st.st_ino != a->exe_ino))
		return 0;
	return 1;
}

#define SELF_RULE_ID "USERNS-WATCH-SELF"
#define SELF_RULE_TEXT "userns-watch's own process, and the container it runs in if any: recorded once at start, never alerted on"

static int write_self(struct uw_report *r, struct uw_alert *a)
{
	r->self_written = 1;
	a->kind = UW_AK_SELF;
	a->severity = "info";
	a->rule_id = SELF_RULE_ID;
	a->rule_text = SELF_RULE_TEXT;
	a->limit_reached = 0;
	a->origin = NULL;
	a->self_host_userns = a->ns->user == r->host.user;
	a->meta = a->container->id[0] ? meta_of(r, a->container) : NULL;
	if (uw_output_alert(r->out, a)) {
		r->write_errno = errno ? errno : EIO;
		return -EIO;
	}
	return 0;
}

const struct uw_meta *uw_report_meta(struct uw_report *r, const struct uw_container *c)
{
	return c->id[0] ? meta_of(r, c) : NULL;
}

uint32_t uw_report_find_self(struct uw_report *r)
{
	char path[4096], link[32];
	unsigned long v;
	ssize_t n;
	char *end;

	r->self_pid = 0;
	snprintf(path, sizeof(path), "%s/self", r->procfs);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	errno = 0;
	v = strtoul(link, &end, 10);
	if (errno || *end || end == link || v == 0 || v > UINT32_MAX)
		return 0;
	r->self_pid = (uint32_t)v;
	return r->self_pid;
}

int uw_report_self(struct uw_report *r)
{
	char comm[UW_COMM_LEN + 1] = "", exe[4096] = "", cgpath[4096];
	struct uw_alert a = { 0 };
	struct uw_ns ns = r->host;
	struct stat st;
	ssize_t n;

	if (r->self_written)
		return 0;
	prctl(PR_GET_NAME, comm); /* 16 bytes, NUL included */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	if (!stat("/proc/self/exe", &st)) {
		a.exe_ino = st.st_ino;
		a.exe_dev = (uint32_t)((major(st.st_dev) << 20) | minor(st.st_dev));
		a.exe_kind = "path";
	}
	if (!r->self_pid || uw_read_all_ns(r->procfs, (int)r->self_pid, &ns))
		ns = r->host;
	a.source = "snapshot";
	a.ts_real_ns = r->clock_real();
	a.pid = r->self_pid ? r->self_pid : (uint32_t)getpid();
	a.ppid = (uint32_t)getppid();
	a.uid = (uint32_t)getuid();
	a.euid = (uint32_t)geteuid();
	a.cap_effective = uw_caps_own_effective();
	a.comm = comm;
	a.exe = exe;
	a.ns = &ns;
	a.container = &host_ctr;
	a.evidence = UW_EV_NONE;
	a.cgroup_path = uw_cgroup_paths_of_pid("/proc", getpid(), NULL, cgpath, sizeof(cgpath), NULL, 0) ||
				!cgpath[0] ? NULL : cgpath;
	a.cgroup_hier = "v2";
	return write_self(r, &a);
}

/*
 * An alert, unless it belongs to a container's setup (user/setup.c): the runtime's own records
 * while it sets a new container up are held, and dropped when it gives the container a user
 * namespace of its own, unless their process is still in the host's when the setup ends.
 */
static int emit(struct uw_report *r, struct uw_alert *a)
{
	char key[UW_CID_MAX + 32];
	struct uw_prog_id prog;
	enum uw_setup_act act;
	int rc;

	/* userns-watch itself (a sidecar in the host user namespace is a container process like
	 * any other): its first record is the "self" record, none is an alert. Only its own process
	 * (its PID as the host's procfs shows it): anything else in its container is judged. */
	if (r->self_pid && a->pid == r->self_pid) {
		r->counts.self_records++;
		if (r->self_written)
			return 0;
		exe_now(r, a);
		return write_self(r, a);
	}
	/* only a container's own records: the host's and unnamed ones are judged at once */
	if (!r->setup.hold_ns || !a->container->id[0])
		return emit_now(r, a);
	limit_key(key, sizeof(key), a->container, a->ns);
	prog = prog_of(r, a);
	act = uw_setup_check(&r->setup, key, a, &prog, !strcmp(a->source, "snapshot"),
			     r->clock_boot(), release_held, r, &rc);
	if (rc)
		return rc;
	return act == UW_SETUP_PASS ? emit_keyed(r, a, key, &prog) : 0;
}

/* The envelope every alert about task pid shares. */
static void alert_task(struct uw_report *r, struct uw_alert *a, uint64_t ts, uint32_t pid,
		       uint32_t ppid, uint32_t uid, uint32_t euid, const char *comm)
{
	a->ts_real_ns = ts + (uint64_t)r->boot_to_real_ns;
	a->pid = pid;
	a->ppid = ppid;
	a->uid = uid;
	a->euid = euid;
	a->comm = comm;
}

static void alert_cgroup(struct uw_alert *a, const struct resolved *res, uint64_t cgroup_id)
{
	a->cgroup_id = res->ci ? res->id : cgroup_id;
	a->cgroup_path = res->ci ? res->ci->path : NULL;
	a->cgroup_hier = res->ci ? res->hier : "v2";
}

static int same_container(const struct uw_container *a, const struct uw_container *b)
{
	return !strcmp(a->id, b->id) && !strcmp(a->runtime, b->runtime);
}

/*
 * The container a process in namespace set ns belongs to, and why. By its cgroup, unless it
 * has moved into another container's mount namespace: the cgroup's container is known to live
 * in another mount namespace, and this one is known (or found in /proc) to be another
 * container's; then the container whose namespaces it is in, what it entered (a process of A
 * that joined B's namespaces runs in B). Both facts are needed, so a process that moved cannot
 * make a container's own processes be taken for another's. Without a cgroup naming one: the
 * container owning its mount or pid namespace, or "unknown" for a pid namespace or root
 * directory of its own. NULL when there is none (a host process, a host service with private
 * mounts).
 */
static const struct uw_container *container_of(struct uw_report *r, uint32_t pid,
					       const struct resolved *res, const struct uw_ns *ns,
					       int root_other, struct uw_container *owner,
					       enum uw_evidence *ev)
{
	const struct uw_cginfo *ci = res->ci && res->ci->found ? res->ci : NULL;
	uint32_t own;

	if (ci) {
		struct uw_memo_src src = { strcmp(res->hier, "v2") != 0, res->id };

		own = uw_nsmemo_ctr_mnt(&r->nsmemo, &ci->c);
		*ev = UW_EV_CGROUP;
		if (!own || own == ns->mnt || ns->mnt == r->host.mnt)
			return &ci->c;
		if (memo_owner(r, ns->mnt, owner)) {
			if (same_container(owner, &ci->c))
				return &ci->c;
			*ev = UW_EV_NAMESPACES;
			return owner;
		}
		if (owner_of(r, pid, ns, owner) && !same_container(owner, &ci->c)) {
			*ev = UW_EV_NAMESPACES;
			return owner;
		}
		/* another mount namespace of its own (a process of it ran unshare -m) */
		uw_nsmemo_learn_mnt(&r->nsmemo, &src, pid, ns->mnt);
		return &ci->c;
	}
	if (owner_of(r, pid, ns, owner)) {
		*ev = UW_EV_NAMESPACES;
		return owner;
	}
	if (ns->pid != r->host.pid || (ns->pid_for_children && ns->pid_for_children != r->host.pid)) {
		*ev = UW_EV_PID_NS;
		return &unknown_ctr;
	}
	if (root_other) {
		*ev = UW_EV_ROOT;
		return &unknown_ctr;
	}
	*ev = UW_EV_NONE;
	return NULL;
}

/*
 * Judges a sequence of setns calls (or one change found late, or an unshare/clone): in order,
 *  1. escape: a namespace that was not the host's at the start became the host's, and the
 *     process was in a container then (its cgroup, the namespaces it left, a pid namespace or
 *     root directory of its own): critical, about the container it left;
 *  2. host_userns: a state inside a container's mount or pid namespace with the host user
 *     namespace (not followed by entering a user namespace of its own): about the container
 *     entered, with the one it came from as origin;
 *  3. userns_enter (setns into another user namespace) or userns_create (unshare or clone
 *     with a new user namespace, or a late change to a child of the old one).
 * Transitions that touch no container are written only with --host-transitions.
 */
static int judge_seq(struct uw_report *r, const struct uw_setns_seq *q)
{
	const struct uw_transition_event *last = &q->last, *ev;
	const struct uw_ns *b = &last->before, *af = &last->after;
	struct uw_cgroup_key cg = { last->cgroup_id, last->cgroup1_id };
	struct uw_container from_owner, to_owner;
	const struct uw_container *from = NULL, *to = NULL;
	const struct uw_ns *host = &r->host;
	enum uw_evidence from_ev = UW_EV_NONE, to_ev = UW_EV_NONE;
	int late = !!(last->tflags & UW_TF_LATE), is_setns = last->syscall == UW_SYS_SETNS;
	int root_before = !!(last->tflags & UW_TF_ROOT_OTHER), setup, rc;
	const struct uw_pidmemo *pm;
	struct resolved res;
	struct uw_alert a;
	char exe[UW_PATH_MAX];

	r->counts.transitions++;
	r->counts.late += late;
	memset(&a, 0, sizeof(a));
	/* a runtime creating a container's user namespace from the host's namespaces (runc,
	 * unshare -U -m -p) is setting the container up; "inside" means the creator already was
	 * in the container's namespaces */
	setup = !is_setns && !late && af->user != b->user && b->user == host->user &&
		uw_rest_is_host(b, host);
	if (setup && !r->host_transitions)
		return 0;
	/* where the process was before: its cgroup (it has not moved cgroups), the namespaces it
	 * left, a pid namespace or root of its own */
	resolve(r, last->pid, &cg, &res);
	pm = uw_table_get(&r->pidmemo, &last->pid, sizeof(last->pid));
	if (!pm || pm->mnt != b->mnt || pm->in_container)
		from = container_of(r, last->pid, &res, b, root_before, &from_owner, &from_ev);

	ev = last;
	if ((is_setns || late) && q->have_escape && from) {
		ev = &q->escape;
		a.kind = UW_AK_ESCAPE;
		a.rule_id = UW_RULE_ESCAPE_ID;
		a.rule_text = UW_RULE_ESCAPE_TEXT;
		a.severity = "critical";
		a.escape_mask = q->escape_mask;
		a.container = from;
		a.evidence = from_ev;
	} else if ((is_setns || late) && q->have_entered) {
		ev = &q->entered;
		a.kind = UW_AK_HOST_USERNS;
		a.rule_id = UW_RULE_ID;
		a.rule_text = UW_RULE_TEXT;
		a.severity = uw_host_userns_severity(ev->uid, ev->euid, ev->cap_effective);
		to = container_of(r, last->pid, &res, &ev->after, 0, &to_owner, &to_ev);
		a.container = to;
		a.evidence = to_ev;
		a.origin = from;
	} else if (af->user != b->user && af->user != host->user &&
		   (is_setns || (late && last->userns_parent != b->user))) {
		a.kind = UW_AK_USERNS_ENTER;
		a.rule_id = UW_RULE_ENTER_ID;
		a.rule_text = UW_RULE_ENTER_TEXT;
		a.severity = "medium";
		a.userns_previous = b->user;
		/* the container owning the user namespace entered, else where the process is */
		if (!(res.ci && res.ci->found) &&
		    ns_owner_cached(r, "user", af->user, last->pid, &to_owner)) {
			to = &to_owner;
			to_ev = UW_EV_NAMESPACES;
		} else {
			to = container_of(r, last->pid, &res, af, 0, &to_owner, &to_ev);
		}
		if (!to && b->user != host->user)
			to = &unknown_ctr; /* from a container's user namespace: about that one too */
		a.container = to;
		a.evidence = to_ev;
		a.origin = from;
	} else if (!is_setns && af->user != b->user && af->user != host->user) {
		a.kind = UW_AK_USERNS_CREATE;
		a.rule_id = UW_RULE_CREATE_ID;
		a.rule_text = UW_RULE_CREATE_TEXT;
		a.severity = "high";
		a.userns_parent = last->userns_parent;
		a.userns_level = last->userns_level;
		a.container = setup ? &host_ctr : from;
		a.evidence = setup ? UW_EV_NONE : from_ev;
	} else {
		free(res.tmp);
		return 0; /* no container story: new tasks are judged at fork and exec */
	}
	if (!a.container || a.container == &host_ctr) {
		if (!r->host_transitions || a.kind == UW_AK_ESCAPE || a.kind == UW_AK_HOST_USERNS) {
			free(res.tmp);
			return 0;
		}
		a.container = &host_ctr;
		a.evidence = UW_EV_NONE;
		a.rule_id = UW_RULE_HOST_ID;
		a.rule_text = UW_RULE_HOST_TEXT;
		a.severity = "info";
	}
	a.source = late ? uw_source_name(last->source) : uw_syscall_name(last->syscall);
	alert_task(r, &a, ev->hdr.ts_ns, last->pid, last->ppid, ev->uid, ev->euid, last->comm);
	a.cap_effective = ev->cap_effective;
	a.exe = exe_of(r, last->pid, last->tflags & UW_TF_EXE_UNLINKED ? UW_F_EXE_UNLINKED : 0,
		       last->exe, last->exe_ino, last->exe_dev, &a.exe_kind, exe, sizeof(exe));
	a.exe_ino = last->exe_ino;
	a.exe_dev = last->exe_dev;
	if (!last->exe_ino && !last->exe[0])
		a.exe_kind = NULL; /* found at exit: the program is gone */
	a.ns = &ev->after;
	a.tr = ev;
	alert_cgroup(&a, &res, last->cgroup_id);
	rc = emit(r, &a);
	free(res.tmp);
	return rc;
}

static void note_pid(struct uw_report *r, uint32_t pid, uint32_t mnt, int in_container)
{
	struct uw_pidmemo *pm = uw_table_get(&r->pidmemo, &pid, sizeof(pid));

	if (!pm) {
		pm = malloc(sizeof(*pm));
		if (!pm || uw_table_put(&r->pidmemo, &pid, sizeof(pid), pm))
			return;
	}
	pm->mnt = mnt;
	pm->in_container = !!in_container;
}

/* One task record: verdict, flood control, alert. */
/*
 * A task record's repeat-cache key goes to the kernel's cache as the record arrives, whatever
 * the verdict: the kernel then decides the same facts without a record. Only a key that says
 * what its record says (namespaces, cgroups, and a hook that has keys: exec or fork) is added:
 * a key that did not would silence something never reported.
 */
static void add_repeat(struct uw_report *r, const struct uw_task_event *ev)
{
	const struct uw_repeat_key *k = &ev->repeat;

	if (!(ev->flags & UW_F_REPEAT_KEY) || !r->repeat)
		return;
	if ((ev->source != UW_SRC_EXEC && ev->source != UW_SRC_FORK) ||
	    memcmp(&k->ns, &ev->ns, sizeof(k->ns)) || k->cg.cgroup_id != ev->cgroup_id ||
	    k->cg.cgroup1_id != ev->cgroup1_id || k->flags >> 24 != ev->source ||
	    r->repeat(r->kernel_ctx, k))
		r->counts.repeat_failed++;
}

static int task_record(struct uw_report *r, const struct uw_task_event *ev)
{
	struct uw_cgroup_key cg = { ev->cgroup_id, ev->cgroup1_id };
	const struct uw_container *c = NULL;
	struct uw_container owner;
	enum uw_evidence why = UW_EV_NONE;
	struct resolved res;
	struct uw_alert a;
	struct uw_exe_later later;
	char exe[UW_PATH_MAX];
	int rc = 0;

	add_repeat(r, ev);
	resolve(r, ev->pid, &cg, &res);
	/* the kernel sends candidates only; which of them are container processes, and why */
	if (uw_is_candidate(&ev->ns, &r->host))
		c = container_of(r, ev->pid, &res, &ev->ns, !!(ev->flags & UW_F_ROOT_OTHER), &owner,
				 &why);
	if (c && why == UW_EV_CGROUP) {
		struct uw_memo_src src = { strcmp(res.hier, "v2") != 0, res.id };

		uw_nsmemo_learn(&r->nsmemo, c, &src, ev->pid, ev->ns.mnt);
	}
	note_pid(r, ev->pid, ev->ns.mnt, c != NULL);
	if (!c || !uw_should_alert(why == UW_EV_CGROUP || why == UW_EV_NAMESPACES, &ev->ns, &r->host,
				   ev->flags)) {
		r->counts.not_container++;
		if (res.known && uw_ignorable(&ev->ns, &r->host, ev->flags) && r->ignore) {
			struct uw_ignore_key k = { .cg = cg, .mnt = ev->ns.mnt, .net = ev->ns.net,
						   .uts = ev->ns.uts, .ipc = ev->ns.ipc,
						   .cgroup = ev->ns.cgroup };

			if (r->ignore(r->kernel_ctx, &k))
				r->counts.ignore_failed++;
		}
		goto out;
	}
	memset(&a, 0, sizeof(a));
	a.container = c;
	a.evidence = why;
	later = (struct uw_exe_later){ &a, ev->pid, ev->flags, ev->exe, ev->exe_ino, ev->exe_dev,
				       exe, sizeof(exe) };
	a.exe_ino = ev->exe_ino;
	a.exe_dev = ev->exe_dev;
	a.kind = UW_AK_HOST_USERNS;
	a.source = uw_source_name(ev->source);
	a.severity = uw_host_userns_severity(ev->uid, ev->euid, ev->cap_effective);
	a.rule_id = UW_RULE_ID;
	a.rule_text = UW_RULE_TEXT;
	alert_task(r, &a, ev->hdr.ts_ns, ev->pid, ev->ppid, ev->uid, ev->euid, ev->comm);
	a.cap_effective = ev->cap_effective;
	a.exe_truncated = !!(ev->flags & UW_F_EXE_TRUNCATED);
	a.ns = &ev->ns;
	alert_cgroup(&a, &res, ev->cgroup_id);
	r->exe_later = &later;
	rc = emit(r, &a);
	r->exe_later = NULL;
out:
	free(res.tmp);
	return rc;
}

/* Judges the pending setns calls of pid, if any (it forked, exec'd or moved again). */
static int settle(struct uw_report *r, uint32_t pid)
{
	struct uw_setns_seq q;

	if (!r->setns.used || !uw_setns_take(&r->setns, pid, &q))
		return 0;
	return judge_seq(r, &q);
}

int uw_report_flush(struct uw_report *r, uint64_t now_boot_ns)
{
	struct uw_setns_seq q;
	int rc = 0;

	while (r->setns.used && uw_setns_take_settled(&r->setns, now_boot_ns, &q))
		rc |= judge_seq(r, &q);
	if (r->setup.open)
		rc |= uw_setup_tick(&r->setup, now_boot_ns, release_held, r);
	return rc;
}

static int tell_suppressed(void *ctx, const char *ckey, size_t klen, const struct uw_cstate *s,
			   enum uw_budget b, uint64_t since)
{
	struct uw_report *r = ctx;
	struct uw_limit_note n = {
		.ts_real_ns = uw_now_real_ns(), .phase = "ongoing", .key = ckey, .klen = klen,
		.runtime = s->runtime, .budget = uw_budget_name(b), .limit = r->lim.max_alerts,
		.k = s->k[b], .since = since,
	};

	if (uw_output_limit(r->out, &n)) {
		r->write_errno = errno ? errno : EIO;
		return -EIO;
	}
	r->counts.limit_records++;
	return 0;
}

int uw_report_tick(struct uw_report *r, uint64_t now_boot_ns)
{
	int rc = uw_report_flush(r, now_boot_ns);

	if (now_boot_ns >= r->next_clock_ns) {
		uint64_t real = r->clock_real(), boot = r->clock_boot();

		r->boot_to_real_ns = (int64_t)(real - boot);
		r->next_clock_ns = now_boot_ns + UW_CLOCK_REFRESH_NS;
	}

	if (!r->report_interval_ns)
		return rc;
	if (!r->next_report_ns)
		r->next_report_ns = now_boot_ns + r->report_interval_ns;
	if (now_boot_ns >= r->next_report_ns) {
		r->next_report_ns = now_boot_ns + r->report_interval_ns;
		rc |= uw_limiter_each_new_suppressed(&r->lim, tell_suppressed, r);
	}
	return rc;
}

/* A transition record: setns calls are merged per process, the rest judged now. */
static int transition_record(struct uw_report *r, const struct uw_transition_event *ev)
{
	struct uw_setns_seq q;
	int rc = 0;

	if (ev->syscall == UW_SYS_SETNS && !(ev->tflags & UW_TF_LATE)) {
		if (uw_setns_add(&r->setns, ev, &q))
			rc = judge_seq(r, &q); /* every slot taken: the oldest is judged now */
		return rc;
	}
	rc = settle(r, ev->pid) | settle(r, ev->ppid);
	uw_setns_start(&r->host, ev, &q);
	return judge_seq(r, &q) | rc;
}

/* A task record in its whole form: a process forking or exec'ing after setns calls has
 * settled, so those are judged first. */
static int task_arrived(struct uw_report *r, const struct uw_task_event *ev)
{
	int rc = 0;

	if (ev->source != UW_SRC_SNAPSHOT)
		rc = settle(r, ev->pid) | settle(r, ev->ppid);
	return task_record(r, ev) | rc;
}

int uw_report_record(struct uw_report *r, const void *data, size_t size)
{
	const struct uw_hdr *hdr = data;

	if (size >= UW_TASK_SHORT_SIZE && hdr->type == UW_T_TASK &&
	    ((const struct uw_task_event *)data)->source == UW_SRC_SNAPSHOT)
		r->counts.snapshot++;
	else
		r->counts.received++;

	if (size >= UW_TASK_SHORT_SIZE && hdr->type == UW_T_TASK && hdr->size == UW_TASK_SHORT_SIZE) {
		/* the short form: the whole record with the rest of exe empty (NUL-terminated by
		 * the kernel's string read, terminated here all the same) */
		struct uw_task_event whole;

		memcpy(&whole, data, UW_TASK_SHORT_SIZE);
		memset((char *)&whole + UW_TASK_SHORT_SIZE, 0, sizeof(whole) - UW_TASK_SHORT_SIZE);
		whole.exe[UW_EXE_SHORT - 1] = '\0';
		whole.hdr.size = sizeof(whole);
		return task_arrived(r, &whole);
	}
	if (size >= sizeof(struct uw_task_event) && hdr->type == UW_T_TASK &&
	    hdr->size == sizeof(struct uw_task_event))
		return task_arrived(r, data);
	if (size >= sizeof(struct uw_transition_event) && hdr->type == UW_T_TRANSITION &&
	    hdr->size == sizeof(struct uw_transition_event))
		return transition_record(r, data);
	if (size >= sizeof(struct uw_cgroup_event) && hdr->type == UW_T_CGROUP_GONE &&
	    hdr->size == sizeof(struct uw_cgroup_event)) {
		cgroup_gone(r, data);
		return 0;
	}
	r->counts.bad_records++;
	return 0;
}
