// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "output.h"
#include "metrics.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/random.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "ecs.h"
#include "ocsf.h"
#include "limiter.h"
#include "policy.h"
#include "severity.h"

/* At most this many containers are listed one by one in a stats record. */
#define UW_STATS_MAX_CONTAINERS 1000

void uw_output_init(struct uw_output *o, FILE *f, enum uw_format fmt, const char *host)
{
	memset(o, 0, sizeof(*o)); /* every option off (syslog, tally, verbose, colour) */
	o->f = f;
	o->fmt = fmt;
	o->host = host;
	uw_random_hex(o->run_id, sizeof(o->run_id));
	uw_json_init(&o->j);
	uw_json_init(&o->caps);
}

void uw_random_hex(char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[32];
	size_t n = (len - 1) / 2, i;
	struct timespec ts;

	if (n > sizeof(r))
		n = sizeof(r);
	if (getrandom(r, n, 0) != (ssize_t)n) {
		/* no entropy source (a very old kernel): still distinct per run and host */
		uint64_t x;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = ((uint64_t)ts.tv_sec * 1000000007ULL) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 40);
		for (i = 0; i < n; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
			r[i] = (unsigned char)(x >> 56);
	}
	for (i = 0; i < n; i++) {
		buf[2 * i] = hex[r[i] >> 4];
		buf[2 * i + 1] = hex[r[i] & 15];
	}
	buf[2 * n] = '\0';
}

void uw_output_free(struct uw_output *o)
{
	uw_json_free(&o->j);
	uw_json_free(&o->caps);
}

void uw_rfc3339(uint64_t ns, char *buf, size_t len)
{
	/* the date and time of day change once a second: format them once per second */
	static __thread time_t last = -1;
	static __thread char head[32];
	static __thread size_t hl;
	time_t s = (time_t)(ns / 1000000000ULL);
	uint64_t frac = ns % 1000000000ULL;
	char tail[12];
	size_t n, rest;
	int i;

	if (s != last) {
		struct tm tm;

		gmtime_r(&s, &tm);
		hl = strftime(head, sizeof(head), "%Y-%m-%dT%H:%M:%S", &tm);
		last = s;
	}
	tail[0] = '.';
	for (i = 9; i >= 1; i--, frac /= 10)
		tail[i] = (char)('0' + frac % 10);
	tail[10] = 'Z';
	tail[11] = 0;
	/* head and tail, cut to len as snprintf would (no format to parse: once per record) */
	if (!len)
		return;
	n = hl < len - 1 ? hl : len - 1;
	memcpy(buf, head, n);
	rest = len - n < sizeof(tail) ? len - n : sizeof(tail);
	memcpy(buf + n, tail, rest);
	buf[n + rest - 1] = 0;
}

/* The next record's "id", "<run_id>-<sequence>", into id (UW_ID_LEN bytes). */
#define UW_ID_LEN 40
static void next_id(struct uw_output *o, char *id)
{
	char d[21], *p;
	size_t rl = strnlen(o->run_id, sizeof(o->run_id) - 1);

	d[20] = 0;
	p = uw_utoa(++o->seq, d + 20);
	memcpy(id, o->run_id, rl); /* 16 + 1 + 20 digits + NUL fit in UW_ID_LEN */
	id[rl] = '-';
	memcpy(id + rl + 1, p, (size_t)(d + sizeof(d) - p));
}

const char *uw_source_name(uint32_t source)
{
	switch (source) {
	case UW_SRC_EXEC: return "exec";
	case UW_SRC_FORK: return "fork";
	case UW_SRC_SNAPSHOT: return "snapshot";
	case UW_SRC_EXIT: return "exit";
	}
	return "unknown";
}

/* JSON event names and text labels, by kind */
static const struct {
	const char *event;
	const char *label;
} kinds[] = {
	[UW_AK_HOST_USERNS] = { "host_userns", "HOST-USERNS" },
	[UW_AK_USERNS_CREATE] = { "userns_create", "USERNS-CREATE" },
	[UW_AK_USERNS_ENTER] = { "userns_enter", "USERNS-ENTER" },
	[UW_AK_ESCAPE] = { "escape", "ESCAPE" },
	[UW_AK_SELF] = { "self", "SELF" },
};

const char *uw_alert_kind_name(enum uw_alert_kind k)
{
	return kinds[k].event;
}

const char *uw_evidence_name(enum uw_evidence e)
{
	switch (e) {
	case UW_EV_CGROUP: return "cgroup";
	case UW_EV_NAMESPACES: return "namespaces";
	case UW_EV_PID_NS: return "pid_namespace";
	case UW_EV_ROOT: return "root_directory";
	case UW_EV_NONE: break;
	}
	return NULL;
}

const char *uw_syscall_name(uint32_t syscall)
{
	switch (syscall) {
	case UW_SYS_SETNS: return "setns";
	case UW_SYS_UNSHARE: return "unshare";
	case UW_SYS_CLONE: return "clone";
	case UW_SYS_CLONE3: return "clone3";
	case UW_SYS_UNKNOWN: return "unknown";
	}
	return "unknown";
}

static const struct {
	uint32_t bit;
	const char *name;
} clone_flags[] = {
	{ UW_CLONE_NEWUSER, "CLONE_NEWUSER" }, { UW_CLONE_NEWNS, "CLONE_NEWNS" },
	{ UW_CLONE_NEWPID, "CLONE_NEWPID" },   { UW_CLONE_NEWNET, "CLONE_NEWNET" },
	{ UW_CLONE_NEWUTS, "CLONE_NEWUTS" },   { UW_CLONE_NEWIPC, "CLONE_NEWIPC" },
	{ UW_CLONE_NEWCGROUP, "CLONE_NEWCGROUP" }, { UW_CLONE_NEWTIME, "CLONE_NEWTIME" },
};

/* CLONE_NEW* bits as namespace names ("mnt", "net", …), for escape.namespaces */
static const struct {
	uint32_t bit;
	const char *name;
} ns_names[] = {
	{ UW_CLONE_NEWUSER, "user" }, { UW_CLONE_NEWNS, "mnt" },  { UW_CLONE_NEWPID, "pid" },
	{ UW_CLONE_NEWNET, "net" },   { UW_CLONE_NEWUTS, "uts" }, { UW_CLONE_NEWIPC, "ipc" },
	{ UW_CLONE_NEWCGROUP, "cgroup" },
};

static void ns_json(struct uw_json *j, const char *key, const struct uw_ns *ns, int with_children)
{
	uw_json_obj_begin(j, key);
	if (with_children)
		uw_json_u64(j, "user", ns->user);
	uw_json_u64(j, "mnt", ns->mnt);
	uw_json_u64(j, "pid", ns->pid);
	if (with_children)
		uw_json_u64(j, "pid_for_children", ns->pid_for_children);
	uw_json_u64(j, "net", ns->net);
	uw_json_u64(j, "uts", ns->uts);
	uw_json_u64(j, "ipc", ns->ipc);
	uw_json_u64(j, "cgroup", ns->cgroup);
	uw_json_obj_end(j);
}

static void transition_json(struct uw_json *j, const struct uw_transition_event *tr)
{
	size_t i;

	uw_json_obj_begin(j, "transition");
	uw_json_str(j, "syscall", uw_syscall_name(tr->syscall), 16);
	/* setns: the nstype asked for (none: any type, from the fd); else the CLONE_NEW* flags */
	uw_json_arr_begin(j, tr->syscall == UW_SYS_SETNS ? "nstype" : "flags");
	for (i = 0; i < sizeof(clone_flags) / sizeof(clone_flags[0]); i++)
		if (tr->flags & clone_flags[i].bit)
			uw_json_str(j, NULL, clone_flags[i].name, 32);
	uw_json_arr_end(j);
	if (tr->syscall == UW_SYS_SETNS)
		uw_json_i64(j, "fd", tr->fd);
	if (tr->tflags & UW_TF_LATE)
		uw_json_bool(j, "detected_late", 1);
	ns_json(j, "before", &tr->before, 1);
	ns_json(j, "after", &tr->after, 1);
	uw_json_obj_end(j);
}

/*
 * Writes a whole record. To a file descriptor (stdout): write(2) until every byte is out,
 * across signals (EINTR), partial writes and a non-blocking descriptor (EAGAIN: wait until it
 * is writable), so a slow or paused reader only slows the watch down. A stream without a
 * descriptor (the unit tests' memory stream) goes through stdio. Returns 0, or -1 with errno
 * (EPIPE: the reader is gone).
 */
static int put_fd(struct uw_output *o, const char *buf, size_t len);

static int put(struct uw_output *o, const char *buf, size_t len)
{
	int rc = put_fd(o, buf, len), e = errno;

	if (o->syslog && o->rec_event) {
		struct timespec ts;

		clock_gettime(CLOCK_BOOTTIME, &ts);
		uw_syslog_record(o->syslog, o->rec_sev, o->rec_event, o->rec_ts, o->host, buf, len,
				 (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
	}
	errno = e;
	return rc;
}

/* The record about to be written, for --syslog's header. */
static void record_begin(struct uw_output *o, uint64_t ts, const char *event, const char *sev)
{
	o->rec_ts = ts;
	o->rec_event = event;
	o->rec_sev = sev;
}

static int put_fd(struct uw_output *o, const char *buf, size_t len)
{
	int fd = fileno(o->f);

	if (fd < 0)
		return fwrite(buf, 1, len, o->f) == len && !fflush(o->f) ? 0 : -1;
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				return -1;
			continue;
		}
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* printf into one record and put it whole (text lines). */
__attribute__((format(printf, 2, 3))) static int say(struct uw_output *o, const char *fmt, ...)
{
	char small[4096], *big = NULL;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return put(o, small, (size_t)n);
	big = malloc((size_t)n + 1);
	if (!big)
		return -1;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = put(o, big, (size_t)n);
	free(big);
	return rc;
}

static int flush_raw(struct uw_output *o);

static int flush_json(struct uw_output *o)
{
	if (o->fmt == UW_OUT_ECS || o->fmt == UW_OUT_OCSF)
		uw_json_obj_end(&o->j); /* the ECS document or OCSF event around the record */
	return flush_raw(o);
}

static int flush_raw(struct uw_output *o)
{
	if (o->j.failed || o->j.depth) {
		errno = ENOMEM;
		return -1;
	}
	o->j.buf[o->j.len] = '\n';
	return put(o, o->j.buf, o->j.len + 1);
}

/* A record's first fields; with -o ecs, the ECS document's fields first and the record under
 * "userns_watch" (a: the alert, NULL for other records). */
static void json_envelope(struct uw_output *o, uint64_t ts, const char *event, const char *sev,
			  const struct uw_alert *a)
{
	char t[40], id[UW_ID_LEN];

	uw_json_reset(&o->j);
	uw_rfc3339(ts, t, sizeof(t));
	next_id(o, id);
	uw_json_obj_begin(&o->j, NULL);
	if (o->fmt == UW_OUT_ECS) {
		uw_ecs_fields(&o->j, ts, id, event, sev, a, o->host);
		uw_json_obj_begin(&o->j, "userns_watch");
	} else if (o->fmt == UW_OUT_OCSF) {
		uw_ocsf_fields(&o->j, ts, id, event, sev, a, o->host);
		uw_json_obj_begin(&o->j, "unmapped");
	}
	uw_json_str(&o->j, "ts", t, sizeof(t));
	uw_json_str(&o->j, "id", id, sizeof(id));
	uw_json_str(&o->j, "schema_version", UW_SCHEMA_VERSION, 16);
	uw_json_str(&o->j, "host", o->host, 256);
	uw_json_str(&o->j, "event", event, 32);
}

static void str_if(struct uw_json *j, const char *key, const char *s, size_t max)
{
	if (s && s[0])
		uw_json_str(j, key, s, max);
}

/* A container named only (origin): ID or null, runtime. */
static void container_ref_json(struct uw_json *j, const char *key, const struct uw_container *c)
{
	uw_json_obj_begin(j, key);
	if (c->id[0])
		uw_json_str(j, "id", c->id, sizeof(c->id));
	else
		uw_json_null(j, "id");
	uw_json_str(j, "runtime", c->runtime, 32);
	uw_json_obj_end(j);
}

static void container_json(struct uw_json *j, const struct uw_container *c, const struct uw_meta *m,
			   enum uw_evidence ev)
{
	const char *pod_uid = c->pod_uid[0] ? c->pod_uid : m ? m->pod_uid : "";

	uw_json_obj_begin(j, "container");
	if (c->id[0])
		uw_json_str(j, "id", c->id, sizeof(c->id));
	else
		uw_json_null(j, "id");
	uw_json_str(j, "runtime", c->runtime, 32);
	if (uw_evidence_name(ev))
		uw_json_str(j, "evidence", uw_evidence_name(ev), 32);
	str_if(j, "pod_uid", c->pod_uid, sizeof(c->pod_uid));
	if (c->nested.id[0]) {
		uw_json_obj_begin(j, "nested");
		uw_json_str(j, "id", c->nested.id, sizeof(c->nested.id));
		uw_json_str(j, "runtime", c->nested.runtime, 32);
		uw_json_obj_end(j);
	}
	if (m) {
		str_if(j, "name", m->name, sizeof(m->name));
		str_if(j, "image", m->image, sizeof(m->image));
		if (m->pod_name[0] || m->pod_namespace[0] || pod_uid[0]) {
			uw_json_obj_begin(j, "pod");
			str_if(j, "name", m->pod_name, sizeof(m->pod_name));
			str_if(j, "namespace", m->pod_namespace, sizeof(m->pod_namespace));
			str_if(j, "uid", pod_uid, UW_META_STR);
			uw_json_obj_end(j);
		}
		if (m->userns_requested >= 0) {
			uw_json_bool(j, "userns_requested", m->userns_requested);
			/* the runtime's config asks for a user namespace, the kernel saw the host's */
			if (m->userns_requested)
				uw_json_bool(j, "userns_mismatch", 1);
		}
		if (m->have_userns_mode)
			uw_json_str(j, "userns_mode", m->userns_mode, sizeof(m->userns_mode));
		str_if(j, "metadata_source", m->source, sizeof(m->source));
		str_if(j, "metadata_error", m->error, sizeof(m->error));
	}
	uw_json_obj_end(j);
}

static void cap_json(void *ctx, const char *name)
{
	uw_json_str(ctx, NULL, name, 32);
}

/* "cap_effective": the names of the set's capabilities, rendered once per set in a row */
static void caps_json(struct uw_output *o, uint64_t caps)
{
	if (!o->caps.len || o->caps_mask != caps) {
		uw_json_reset(&o->caps);
		uw_json_arr_begin(&o->caps, NULL);
		uw_caps_each(caps, cap_json, &o->caps);
		uw_json_arr_end(&o->caps);
		if (o->caps.failed) { /* out of memory: this record fails with it, nothing is kept */
			uw_json_reset(&o->caps);
			o->j.failed = 1;
			return;
		}
		o->caps_mask = caps;
	}
	uw_json_raw(&o->j, "cap_effective", o->caps.buf, o->caps.len);
}

static int alert_json(struct uw_output *o, const struct uw_alert *a)
{
	struct uw_json *j = &o->j;

	json_envelope(o, a->ts_real_ns, kinds[a->kind].event, a->severity, a);
	uw_json_str(j, "severity", a->severity, 16);
	uw_json_str(j, "source", a->source, 16);
	uw_json_obj_begin(j, "rule");
	uw_json_str(j, "id", a->rule_id, 64);
	uw_json_str(j, "text", a->rule_text, 256);
	uw_json_obj_end(j);

	uw_json_obj_begin(j, "process");
	uw_json_u64(j, "pid", a->pid);
	uw_json_u64(j, "ppid", a->ppid);
	uw_json_u64(j, "uid", a->uid);
	uw_json_u64(j, "euid", a->euid);
	caps_json(o, a->cap_effective);
	uw_json_str(j, "comm", a->comm, UW_COMM_LEN);
	uw_json_str(j, "exe", a->exe, 4096);
	if (a->exe_truncated)
		uw_json_bool(j, "exe_truncated", 1);
	if (a->exe_kind)
		uw_json_str(j, "exe_kind", a->exe_kind, 16);
	if (a->exe_ino) {
		char dev[24];

		snprintf(dev, sizeof(dev), "%u:%u", a->exe_dev >> 20, a->exe_dev & 0xfffff);
		uw_json_str(j, "exe_device", dev, sizeof(dev));
		uw_json_u64(j, "exe_inode", a->exe_ino);
	}
	uw_json_obj_end(j);

	uw_json_obj_begin(j, "userns");
	uw_json_u64(j, "inum", a->ns->user);
	uw_json_bool(j, "host", a->kind == UW_AK_HOST_USERNS || (a->kind == UW_AK_SELF && a->self_host_userns));
	if (a->kind == UW_AK_USERNS_CREATE) {
		uw_json_u64(j, "parent", a->userns_parent);
		uw_json_u64(j, "level", a->userns_level);
	} else if (a->kind == UW_AK_USERNS_ENTER) {
		uw_json_u64(j, "previous", a->userns_previous);
	}
	uw_json_obj_end(j);

	ns_json(j, "ns", a->ns, 0);

	uw_json_obj_begin(j, "cgroup");
	uw_json_u64(j, "id", a->cgroup_id);
	if (a->cgroup_path)
		uw_json_str(j, "path", a->cgroup_path, 4096);
	else
		uw_json_null(j, "path");
	uw_json_str(j, "hierarchy", a->cgroup_hier, 32);
	uw_json_obj_end(j);

	container_json(j, a->container, a->meta, a->evidence);
	if (a->origin)
		container_ref_json(j, "origin", a->origin);
	if (a->kind == UW_AK_ESCAPE) {
		size_t i;

		uw_json_obj_begin(j, "escape");
		uw_json_arr_begin(j, "namespaces");
		for (i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++)
			if (a->escape_mask & ns_names[i].bit)
				uw_json_str(j, NULL, ns_names[i].name, 16);
		uw_json_arr_end(j);
		uw_json_obj_end(j);
	}
	if (a->tr)
		transition_json(j, a->tr);
	if (a->policy_rule) {
		uw_json_obj_begin(j, "policy");
		uw_json_str(j, "rule", a->policy_rule, 512);
		uw_json_str(j, "reason", a->policy_reason ? a->policy_reason : "", 512);
		uw_json_obj_end(j);
	}
	if (a->limit_reached)
		uw_json_bool(j, "alert_limit_reached", 1);
	uw_json_obj_end(j);
	return flush_json(o);
}

/* A container ID as people read it: 12 characters for a 64-hex ID (as docker ps shows it), the
 * whole name otherwise (LXC, systemd-nspawn, ctr); the full ID stays in JSON and in -v lines. */
static void short_id(char *buf, size_t cap, const char *id, size_t len, int verbose)
{
	if (!len) {
		snprintf(buf, cap, "-");
		return;
	}
	if (!verbose && len == 64) {
		size_t i;

		/* within len: a flood-control key from a table has no NUL after it */
		for (i = 0; i < len && ((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')); i++)
			;
		if (i == len)
			len = 12;
	}
	uw_text_escape(buf, cap, id, len);
}

/* ANSI colours for a severity word, only on a terminal (NO_COLOR honoured by the caller) */
static const char *sev_colour(const char *sev)
{
	if (!strcmp(sev, "critical"))
		return "\033[1;31m";
	if (!strcmp(sev, "high"))
		return "\033[31m";
	if (!strcmp(sev, "medium"))
		return "\033[33m";
	return "\033[36m";
}

/*
 * One line a person can scan: when, how bad, what; then the program and the user it ran as,
 * its capabilities, the container (short ID, name, image, pod), the PID and how it was seen.
 * -v adds the rule, the full ID, the parent, comm, namespaces and the cgroup path.
 */
static int alert_text(struct uw_output *o, const struct uw_alert *a)
{
	char t[40], comm[16 * 4 + 1], exe[1024], cg[1024], id[UW_CID_MAX * 4 + 1], tr[200] = "";
	char name[200] = "", image[600] = "", pod[600] = "", origin[UW_CID_MAX * 4 + 48] = "";
	char caps[64 * 24] = "none", verbose[1600] = "";
	const struct uw_meta *m = a->meta;
	char policy[600] = "";

	uw_rfc3339(a->ts_real_ns, t, sizeof(t));
	uw_text_escape(exe, sizeof(exe), a->exe, 4096);
	if (a->policy_rule)
		uw_text_escape(policy, sizeof(policy), a->policy_rule, 512);
	/* every capability up to cap_audit_read (37): a privileged container's set, said short;
	 * a set that lacks only a few of them, by what it lacks */
	if ((a->cap_effective & UW_CAPS_FULL_TEXT) == UW_CAPS_FULL_TEXT) {
		snprintf(caps, sizeof(caps), "full");
	} else if (__builtin_popcountll(UW_CAPS_FULL_TEXT & ~a->cap_effective) <= 4) {
		size_t off = (size_t)snprintf(caps, sizeof(caps), "full-except:");

		uw_caps_names(UW_CAPS_FULL_TEXT & ~a->cap_effective, caps + off, sizeof(caps) - off);
	} else if (a->cap_effective) {
		uw_caps_names(a->cap_effective, caps, sizeof(caps));
	}
	short_id(id, sizeof(id), a->container->id, strnlen(a->container->id, UW_CID_MAX), o->verbose);
	if (m && m->name[0]) {
		char esc[160];

		uw_text_escape(esc, sizeof(esc), m->name, sizeof(m->name));
		snprintf(name, sizeof(name), " name=\"%s\"", esc);
	}
	if (m && m->image[0]) {
		char esc[560];

		uw_text_escape(esc, sizeof(esc), m->image, sizeof(m->image));
		snprintf(image, sizeof(image), " image=\"%s\"", esc);
	}
	if (m && m->pod_name[0]) {
		char ns[260], pn[260];

		uw_text_escape(ns, sizeof(ns), m->pod_namespace[0] ? m->pod_namespace : "-", sizeof(m->pod_namespace));
		uw_text_escape(pn, sizeof(pn), m->pod_name, sizeof(m->pod_name));
		snprintf(pod, sizeof(pod), " pod=%s/%s", ns, pn);
	} else if (a->container->pod_uid[0]) {
		snprintf(pod, sizeof(pod), " pod=uid:%s", a->container->pod_uid);
	}
	if (a->origin) {
		char oid[UW_CID_MAX * 4 + 1];

		short_id(oid, sizeof(oid), a->origin->id, strnlen(a->origin->id, UW_CID_MAX), o->verbose);
		snprintf(origin, sizeof(origin), " from=%s:%s", a->origin->runtime, oid);
	}
	if (o->verbose) {
		uw_text_escape(comm, sizeof(comm), a->comm, UW_COMM_LEN);
		uw_text_escape(cg, sizeof(cg), a->cgroup_path ? a->cgroup_path : "?", 4096);
		if (a->tr)
			snprintf(tr, sizeof(tr), " userns=%u->%u mnt=%u->%u", a->tr->before.user,
				 a->tr->after.user, a->tr->before.mnt, a->tr->after.mnt);
		else
			snprintf(tr, sizeof(tr), " userns=%u mnt=%u pid_ns=%u", a->ns->user, a->ns->mnt,
				 a->ns->pid);
		snprintf(verbose, sizeof(verbose), " rule=%s ppid=%u comm=\"%s\"%s cgroup=\"%s\"", a->rule_id,
			 a->ppid, comm, tr, cg);
	}
	return say(o,
		   "%s %s%s%s %s exe=\"%s\" uid=%u euid=%u caps=%s container=%s:%s%s%s%s%s pid=%u "
		   "source=%s%s%s%s%s%s\n",
		   t, o->colour ? sev_colour(a->severity) : "", a->severity, o->colour ? "\033[0m" : "",
		   kinds[a->kind].label, exe, a->uid, a->euid, caps, a->container->runtime, id, name,
		   image, pod, origin, a->pid, a->source,
		   a->tr && (a->tr->tflags & UW_TF_LATE) ? " detected_late" : "",
		   a->policy_rule ? " allowed-by=" : "", a->policy_rule ? policy : "", verbose,
		   a->limit_reached ? " [alert limit reached for this container]" : "");
}

int uw_output_policy(struct uw_output *o, uint64_t ts_real_ns, const char *action, const char *file,
		     const char *rule, size_t rules, const char *error)
{
	struct uw_json *j = &o->j;
	const char *sev = !strcmp(action, "rejected") || !strcmp(action, "expired") ? "medium" : "info";

	record_begin(o, ts_real_ns, "policy", sev);

	if (o->fmt == UW_OUT_TEXT) {
		char t[40], f[1100] = "", r[600] = "", e[1300] = "", n[32] = "";

		uw_rfc3339(ts_real_ns, t, sizeof(t));
		if (file) {
			char esc[1024];

			uw_text_escape(esc, sizeof(esc), file, 4096);
			snprintf(f, sizeof(f), " file=\"%s\"", esc);
		}
		if (rule) {
			char esc[560];

			uw_text_escape(esc, sizeof(esc), rule, 512);
			snprintf(r, sizeof(r), " rule=%s", esc);
		} else {
			snprintf(n, sizeof(n), " rules=%zu", rules);
		}
		if (error) {
			char esc[1200];

			uw_text_escape(esc, sizeof(esc), error, 1024);
			snprintf(e, sizeof(e), " error=\"%s\"", esc);
		}
		return say(o, "%s %s POLICY %s%s%s%s%s\n", t, sev, action, f, r, n, e);
	}
	json_envelope(o, ts_real_ns, "policy", sev, NULL);
	uw_json_str(j, "severity", sev, 16);
	uw_json_str(j, "action", action, 16);
	if (file)
		uw_json_str(j, "file", file, 4096);
	if (rule)
		uw_json_str(j, "rule", rule, 512);
	else
		uw_json_u64(j, "rules", rules);
	if (error)
		uw_json_str(j, "error", error, 1024);
	uw_json_obj_end(j);
	return flush_json(o);
}

int uw_output_alert(struct uw_output *o, const struct uw_alert *a)
{
	int rc;

	record_begin(o, a->ts_real_ns, uw_alert_kind_name(a->kind), a->severity);
	rc = o->fmt != UW_OUT_TEXT ? alert_json(o, a) : alert_text(o, a);
	if (!rc && o->tally)
		uw_tally_alert(o->tally, a->kind, a->severity, a->container ? a->container->runtime : NULL);
	return rc;
}

struct each_ctx {
	struct uw_json *j;
	unsigned listed;
	unsigned total;
};

static int stats_container(void *ctx, const void *key, size_t klen, void *val)
{
	struct each_ctx *c = ctx;
	const struct uw_cstate *s = val;
	uint64_t alerts, repeats, suppressed;
	unsigned k;

	c->total++;
	if (c->listed >= UW_STATS_MAX_CONTAINERS)
		return 0;
	c->listed++;
	uw_cstate_totals(s, &alerts, &repeats, &suppressed);
	uw_json_obj_begin(c->j, NULL);
	uw_json_str(c->j, "key", key, klen);
	uw_json_str(c->j, "runtime", s->runtime, sizeof(s->runtime));
	uw_json_u64(c->j, "alerts", alerts);
	uw_json_u64(c->j, "repeats", repeats);
	uw_json_u64(c->j, "suppressed", suppressed);
	/* per budget, only the budgets this container used */
	uw_json_obj_begin(c->j, "budgets");
	for (k = 0; k < UW_BUDGET_MAX; k++) {
		const struct uw_kstate *ks = s->k[k];

		if (!ks)
			continue;
		uw_json_obj_begin(c->j, uw_budget_name((enum uw_budget)k));
		uw_json_u64(c->j, "alerts", ks->alerts);
		uw_json_u64(c->j, "repeats", ks->repeats);
		uw_json_u64(c->j, "suppressed", ks->suppressed);
		uw_json_obj_end(c->j);
	}
	uw_json_obj_end(c->j);
	uw_json_obj_end(c->j);
	return 0;
}

int uw_output_stats(struct uw_output *o, uint64_t now_ns, const struct uw_counts *c,
		    const struct uw_limiter *lim)
{
	struct uw_json *j = &o->j;
	struct each_ctx ec = { j, 0, 0 };
	unsigned i;

	record_begin(o, now_ns, "stats", "info");

	if (o->fmt == UW_OUT_TEXT) {
		char t[40];

		uw_rfc3339(now_ns, t, sizeof(t));
		return say(o,
			"%s stats (%s): hooks=%s violations=%" PRIu64 " alerts=%" PRIu64
			" repeats=%" PRIu64 " suppressed=%" PRIu64 " lost=%" PRIu64
			" received=%" PRIu64 " snapshot=%" PRIu64 " not_container=%" PRIu64
			" unresolved=%" PRIu64 " escapes=%" PRIu64 " late=%" PRIu64 "\n",
			t, c->reason, c->hooks, c->violations, c->alerts, c->repeats, c->suppressed,
			c->kernel[UW_C_LOST], c->received, c->snapshot, c->not_container,
			c->unresolved, c->escapes, c->kernel[UW_C_LATE]);
	}
	json_envelope(o, now_ns, "stats", "info", NULL);
	uw_json_str(j, "reason", c->reason, 16);
	uw_json_str(j, "hooks", c->hooks, 32);
	uw_json_str(j, "transition_hooks", c->transition_hooks ? c->transition_hooks : "none", 32);
	uw_json_str(j, "compat_transition_hooks", c->compat_hooks ? c->compat_hooks : "none", 32);
	uw_json_bool(j, "host_learned", c->host_learned);
	uw_json_str(j, "host_name_source", c->host_name_source ? c->host_name_source : "own", 16);
	if (c->sandbox) {
		char caps[256];

		uw_caps_names(c->sandbox->kept, caps, sizeof(caps));
		uw_json_obj_begin(j, "sandbox");
		uw_json_str(j, "capabilities", caps, sizeof(caps));
		uw_json_bool(j, "bounding_set_cut", c->sandbox->bounding_dropped);
		uw_json_bool(j, "no_new_privs", c->sandbox->no_new_privs);
		uw_json_bool(j, "seccomp", c->sandbox->seccomp);
		uw_json_obj_end(j);
	}
	uw_json_obj_begin(j, "kernel");
	uw_json_u64(j, "sent", c->kernel[UW_C_SENT]);
	uw_json_u64(j, "lost", c->kernel[UW_C_LOST]);
	uw_json_arr_begin(j, "lost_per_cpu");
	for (i = 0; c->lost_per_cpu && i < c->ncpu; i++)
		uw_json_u64(j, NULL, c->lost_per_cpu[i]);
	uw_json_arr_end(j);
	uw_json_u64(j, "ignored", c->kernel[UW_C_IGNORED]);
	uw_json_u64(j, "fork_skipped", c->kernel[UW_C_FORK_SKIPPED]);
	uw_json_u64(j, "repeats", c->kernel[UW_C_REPEAT]);
	uw_json_u64(j, "late", c->kernel[UW_C_LATE]);
	uw_json_u64(j, "seen_full", c->kernel[UW_C_SEEN_FULL]);
	uw_json_u64(j, "pending_full", c->kernel[UW_C_PENDING_FULL]);
	uw_json_obj_end(j);
	uw_json_u64(j, "received", c->received);
	uw_json_u64(j, "snapshot", c->snapshot);
	uw_json_u64(j, "violations", c->violations);
	uw_json_u64(j, "alerts", c->alerts);
	uw_json_u64(j, "repeats", c->repeats);
	uw_json_u64(j, "suppressed", c->suppressed);
	uw_json_u64(j, "not_container", c->not_container);
	uw_json_u64(j, "unresolved", c->unresolved);
	uw_json_u64(j, "bad_records", c->bad_records);
	uw_json_u64(j, "cgroups_removed", c->cgroups_removed);
	uw_json_u64(j, "transitions", c->transitions);
	uw_json_u64(j, "late_transitions", c->late);
	uw_json_u64(j, "escapes", c->escapes);
	uw_json_u64(j, "self_records", c->self_records);
	if (c->policy) {
		size_t i;

		uw_json_obj_begin(j, "policy");
		uw_json_u64(j, "allowed", c->allowed);
		uw_json_arr_begin(j, "rules");
		for (i = 0; i < c->policy->n; i++) {
			uw_json_obj_begin(j, NULL);
			uw_json_str(j, "name", c->policy->rules[i].name, 512);
			uw_json_u64(j, "allowed", c->policy->rules[i].allowed);
			uw_json_bool(j, "expired", c->policy->rules[i].expired_told);
			uw_json_obj_end(j);
		}
		uw_json_arr_end(j);
		uw_json_obj_end(j);
	}
	uw_json_u64(j, "limit_records", c->limit_records);
	uw_json_obj_begin(j, "setup");
	uw_json_u64(j, "open", c->setup_open);
	uw_json_u64(j, "held", c->setup_held);
	uw_json_u64(j, "released", c->setup_released);
	uw_json_u64(j, "dropped", c->setup_dropped);
	uw_json_obj_end(j);
	uw_json_u64(j, "ignore_failed", c->ignore_failed);
	uw_json_u64(j, "watch_failed", c->watch_failed);
	uw_json_u64(j, "repeat_failed", c->repeat_failed);
	if (c->syslog) {
		uw_json_obj_begin(j, "syslog");
		uw_json_str(j, "to", c->syslog->where, sizeof(c->syslog->where));
		uw_json_u64(j, "sent", c->syslog->sent);
		uw_json_u64(j, "queued", c->syslog->qn);
		uw_json_u64(j, "dropped", c->syslog->dropped);
		uw_json_u64(j, "connects", c->syslog->connects);
		uw_json_u64(j, "errors", c->syslog->errors);
		if (c->syslog->last_errno)
			uw_json_str(j, "last_error", strerror(c->syslog->last_errno), 128);
		uw_json_obj_end(j);
	}
	uw_json_arr_begin(j, "containers");
	if (lim)
		uw_table_each(&lim->containers, stats_container, &ec);
	uw_json_arr_end(j);
	uw_json_u64(j, "containers_total", ec.total);
	if (lim)
		uw_json_u64(j, "containers_evicted", lim->containers.evicted);
	uw_json_obj_end(j);
	return flush_json(o);
}

int uw_output_limit(struct uw_output *o, const struct uw_limit_note *n)
{
	struct uw_json *j = &o->j;

	record_begin(o, n->ts_real_ns, "alert_limit", "medium");

	if (o->fmt == UW_OUT_TEXT) {
		char t[40], key[UW_CID_MAX * 4 + 64];

		uw_rfc3339(n->ts_real_ns, t, sizeof(t));
		short_id(key, sizeof(key), n->key, n->klen, o->verbose);
		return say(o,
			"%s medium ALERT-LIMIT %s container=%s:%s budget=%s limit=%u alerts=%u "
			"suppressed=%" PRIu64 " (+%" PRIu64 ") repeats=%" PRIu64 "\n",
			t, n->phase, n->runtime, key, n->budget, n->limit, n->k->alerts,
			n->k->suppressed, n->since, n->k->repeats);
	}
	json_envelope(o, n->ts_real_ns, "alert_limit", "medium", NULL);
	uw_json_str(j, "severity", "medium", 16);
	uw_json_str(j, "phase", n->phase, 16);
	uw_json_str(j, "budget", n->budget, 32);
	uw_json_u64(j, "limit", n->limit);
	uw_json_str(j, "key", n->key, n->klen);
	if (n->c) {
		container_ref_json(j, "container", n->c);
	} else {
		uw_json_obj_begin(j, "container");
		uw_json_str(j, "runtime", n->runtime, 32);
		uw_json_obj_end(j);
	}
	uw_json_obj_begin(j, "counts");
	uw_json_u64(j, "alerts", n->k->alerts);
	uw_json_u64(j, "suppressed", n->k->suppressed);
	uw_json_u64(j, "suppressed_since_last", n->since);
	uw_json_u64(j, "repeats", n->k->repeats);
	uw_json_obj_end(j);
	uw_json_obj_end(j);
	return flush_json(o);
}

int uw_output_compliance(struct uw_output *o, uint64_t ts_real_ns, const struct uw_audit_row *w,
			 const struct uw_meta *m)
{
	char id[UW_ID_LEN];

	if (o->fmt != UW_OUT_OCSF)
		return 0;
	record_begin(o, ts_real_ns, "compliance", w->host_procs && !w->allowed_by ? "high" : "info");
	uw_json_reset(&o->j);
	next_id(o, id);
	uw_json_obj_begin(&o->j, NULL);
	uw_ocsf_compliance(&o->j, ts_real_ns, id, o->host, w, m);
	uw_json_obj_end(&o->j);
	return flush_raw(o);
}
