// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* JSON lines: every record as one JSON object (the body under ECS's and OCSF's fields too). */
#include "encode_json.h"

#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "exe.h"
#include "limiter.h"
#include "metadata.h"
#include "pin.h"
#include "policy.h"
#include "remedy.h"
#include "sandbox.h"
#include "severity.h"
#include "syslog5424.h"

/* At most this many containers are listed one by one in a stats record. */
#define UW_STATS_MAX_CONTAINERS 1000

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
	if (c->iface)
		uw_json_str(j, "interface", c->iface, 32);
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
		str_if(j, "image_id", m->image_id, sizeof(m->image_id));
		if (m->privileged >= 0)
			uw_json_bool(j, "privileged", m->privileged);
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
		/* the identity fields a policy may match on: the ID and runtime always, these when
		 * the tool can vouch for them (metadata.h) */
		uw_json_arr_begin(j, "vouched");
		if (m->vouched & UW_VOUCH_NAME)
			uw_json_str(j, NULL, "name", 8);
		if (m->vouched & UW_VOUCH_IMAGE)
			uw_json_str(j, NULL, "image", 8);
		if (m->vouched & UW_VOUCH_POD)
			uw_json_str(j, NULL, "pod", 8);
		uw_json_arr_end(j);
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
static void caps_json(struct uw_encoder *o, uint64_t caps)
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

/* a remediation object, for what has one */
static void remedy_obj(struct uw_json *j, enum uw_alert_kind k, const struct uw_remedy *r)
{
	char text[UW_REMEDY_TEXT_MAX];

	uw_json_obj_begin(j, "remediation");
	uw_json_str(j, "id", r->id, 64);
	uw_json_str(j, "summary", r->summary, 128);
	uw_json_str(j, "text", uw_remedy_text(k, r, text, sizeof(text)), sizeof(text));
	uw_json_str(j, "reference", r->reference, 256);
	uw_json_obj_end(j);
}

/* "remediation": what to do (remedy.h), for host_userns and escape records */
static void remedy_json(struct uw_json *j, const struct uw_alert *a)
{
	const struct uw_remedy *r = uw_remedy_for(a->kind, a->container, a->meta);

	if (r)
		remedy_obj(j, a->kind, r);
}

/* "attack": the MITRE ATT&CK techniques the record maps to (remedy.h) */
static void attack_json(struct uw_json *j, const struct uw_alert *a)
{
	size_t i, n;
	const struct uw_attack *t = uw_attack_for(a->kind, a->escape_via, &n);

	if (!n)
		return;
	uw_json_arr_begin(j, "attack");
	for (i = 0; i < n; i++) {
		uw_json_obj_begin(j, NULL);
		uw_json_str(j, "technique_id", t[i].technique_id, 16);
		uw_json_str(j, "technique", t[i].technique, 64);
		uw_json_str(j, "tactic_id", t[i].tactic_id, 16);
		uw_json_str(j, "tactic", t[i].tactic, 64);
		uw_json_str(j, "reference", t[i].reference, 128);
		uw_json_obj_end(j);
	}
	uw_json_arr_end(j);
}

int uw_json_alert(struct uw_encoder *o, const struct uw_alert *a, struct uw_rec *r)
{
	struct uw_json *j = &o->j;

	uw_enc_json_envelope(o, a->ts_real_ns, uw_alert_kind_name(a->kind), a->severity, a);
	uw_json_str(j, "severity", a->severity, 16);
	uw_json_str(j, "source", a->source, 24);
	uw_json_obj_begin(j, "rule");
	uw_json_str(j, "id", a->rule_id, 64);
	uw_json_str(j, "text", a->rule_text, 256);
	uw_json_obj_end(j);
	remedy_json(j, a);
	attack_json(j, a);

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
	if (a->cmdline && a->cmdline[0]) {
		uw_json_str(j, "cmdline", a->cmdline, UW_CMDLINE_MAX);
		if (a->cmdline_truncated)
			uw_json_bool(j, "cmdline_truncated", 1);
	}
	if (a->exe_view)
		uw_json_str(j, "exe_view", a->exe_view, 16);
	if (a->exe_ino) {
		char dev[24];

		snprintf(dev, sizeof(dev), "%u:%u", a->exe_dev >> 20, a->exe_dev & 0xfffff);
		uw_json_str(j, "exe_device", dev, sizeof(dev));
		uw_json_u64(j, "exe_inode", a->exe_ino);
	}
	if (a->exe_id_read) {
		uw_json_u64(j, "exe_generation", a->exe_gen);
		uw_json_u64(j, "exe_change_time_ns", a->exe_ctime_ns);
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

	if (a->kind != UW_AK_SELF) {
		uw_json_obj_begin(j, "provenance");
		uw_json_str(j, "how", uw_origin_how_name(a->origin_how), 16);
		uw_json_bool(j, "moved", a->moved);
		if (a->moved) {
			uw_json_obj_begin(j, "origin_cgroup");
			uw_json_u64(j, "id", a->origin_cgroup_id);
			if (a->origin_cgroup_path)
				uw_json_str(j, "path", a->origin_cgroup_path, 4096);
			else
				uw_json_null(j, "path");
			uw_json_obj_end(j);
		}
		uw_json_obj_end(j);
	}

	container_json(j, a->container, a->meta, a->evidence);
	if (a->origin)
		container_ref_json(j, "origin", a->origin);
	if (a->kind == UW_AK_CGROUP_MOVE) {
		if (a->moved_to)
			container_ref_json(j, "destination", a->moved_to);
		else
			uw_json_null(j, "destination");
	}
	if (a->kind == UW_AK_ESCAPE) {
		size_t i;

		uw_json_obj_begin(j, "escape");
		uw_json_arr_begin(j, "namespaces");
		for (i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++)
			if (a->escape_mask & ns_names[i].bit)
				uw_json_str(j, NULL, ns_names[i].name, 16);
		uw_json_arr_end(j);
		if (a->escape_via) {
			uw_json_str(j, "via", a->escape_via, 32);
			uw_json_obj_begin(j, "target");
			uw_json_u64(j, "pid", a->target->pid);
			uw_json_str(j, "comm", a->target->comm, UW_COMM_LEN);
			uw_json_str(j, "exe", a->target->exe, sizeof(a->target->exe));
			if (a->target->container)
				container_ref_json(j, "container", a->target->container);
			else
				uw_json_null(j, "container");
			uw_json_obj_end(j);
		}
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
	return uw_enc_json_end(o, r);
}


/* a time of the previous watch's, or null when it never wrote one */
static void ts_or_null(struct uw_json *j, const char *key, uint64_t ns)
{
	char t[40];

	if (!ns) {
		uw_json_null(j, key);
		return;
	}
	uw_rfc3339(ns, t, sizeof(t));
	uw_json_str(j, key, t, sizeof(t));
}

int uw_json_gap(struct uw_encoder *e, const struct uw_pin_gap *g, const char *dir, const char *sev,
		struct uw_rec *r)
{
	struct uw_json *j = &e->j;
	unsigned c;

	uw_enc_json_envelope(e, g->started_real_ns, "gap", sev, NULL);
	uw_json_str(j, "severity", sev, 16);
	uw_json_str(j, "how", g->how ? g->how : "adopted", 16);
	uw_json_str(j, "pin_dir", dir, 4096);
	uw_json_obj_begin(j, "previous");
	uw_json_u64(j, "pid", g->prev.pid);
	ts_or_null(j, "started", g->prev.started_real_ns);
	ts_or_null(j, "heartbeat", g->prev.heartbeat_real_ns);
	ts_or_null(j, "stopped", g->prev.stopped_real_ns);
	uw_json_obj_end(j);
	uw_json_u64(j, "down_ms", g->prev.heartbeat_real_ns && g->started_real_ns > g->prev.heartbeat_real_ns
					   ? (g->started_real_ns - g->prev.heartbeat_real_ns) / 1000000
					   : 0);
	uw_json_u64(j, "kept", g->kept);
	uw_json_u64(j, "unread", g->unread);
	uw_json_u64(j, "lost", g->lost);
	uw_json_arr_begin(j, "lost_per_cpu");
	for (c = 0; c < g->ncpu; c++)
		uw_json_u64(j, NULL, g->lost_cpu[c]);
	uw_json_arr_end(j);
	uw_json_obj_end(j);
	return uw_enc_json_end(e, r);
}

int uw_json_policy(struct uw_encoder *e, const struct uw_policy_note *n, const char *sev, struct uw_rec *r)
{
	struct uw_json *j = &e->j;

	uw_enc_json_envelope(e, n->ts_real_ns, "policy", sev, NULL);
	uw_json_str(j, "severity", sev, 16);
	uw_json_str(j, "action", n->action, 16);
	if (n->file)
		uw_json_str(j, "file", n->file, 4096);
	if (n->rule)
		uw_json_str(j, "rule", n->rule, 512);
	else
		uw_json_u64(j, "rules", n->rules);
	if (n->error)
		uw_json_str(j, "error", n->error, 1024);
	if (n->trigger)
		uw_json_str(j, "trigger", n->trigger, 16);
	uw_json_obj_end(j);
	return uw_enc_json_end(e, r);
}

int uw_json_limit(struct uw_encoder *e, const struct uw_limit_note *n, struct uw_rec *r)
{
	struct uw_json *j = &e->j;

	uw_enc_json_envelope(e, n->ts_real_ns, "alert_limit", "medium", NULL);
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
	return uw_enc_json_end(e, r);
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

/* The kernel's counters (include/uw_event.h's table, in its order), lost_per_cpu after lost. */
static void kernel_json(struct uw_json *j, const struct uw_status *s)
{
	unsigned i, k;

	uw_json_obj_begin(j, "kernel");
	for (k = 0; k < UW_C_MAX; k++) {
		uw_json_u64(j, uw_kernel_counter_defs[k].key, s->kernel[k]);
		if (k != UW_C_LOST)
			continue;
		uw_json_arr_begin(j, "lost_per_cpu");
		for (i = 0; s->lost_per_cpu && i < s->ncpu; i++)
			uw_json_u64(j, NULL, s->lost_per_cpu[i]);
		uw_json_arr_end(j);
	}
	uw_json_obj_end(j);
}

/* The end of an object of counters: the policy's ends with its rules. */
static void group_end(struct uw_json *j, const char *group, const struct uw_status *s)
{
	size_t i;

	if (!strcmp(group, "policy")) {
		uw_json_arr_begin(j, "rules");
		for (i = 0; i < s->policy->n; i++) {
			uw_json_obj_begin(j, NULL);
			uw_json_str(j, "name", s->policy->rules[i].name, 512);
			uw_json_u64(j, "allowed", s->policy->rules[i].allowed);
			uw_json_bool(j, "expired", s->policy->rules[i].expired_told);
			uw_json_obj_end(j);
		}
		uw_json_arr_end(j);
	}
	uw_json_obj_end(j);
}

/* The counters of counters.h's table, in its order: "name" at the top level, "group.name"
 * inside object group (the policy's only with --policy). */
static void counters_json(struct uw_json *j, const struct uw_status *s)
{
	char group[32] = "";
	size_t i;

	for (i = 0; i < uw_counter_ndefs; i++) {
		const struct uw_counter_def *d = &uw_counter_defs[i];
		const char *dot = strchr(d->key, '.');
		size_t glen = dot ? (size_t)(dot - d->key) : 0;

		if (group[0] && (glen != strlen(group) || strncmp(group, d->key, glen))) {
			group_end(j, group, s);
			group[0] = '\0';
		}
		if (dot && !strncmp(d->key, "policy.", 7) && !s->policy)
			continue;
		if (dot && !group[0] && glen < sizeof(group)) {
			memcpy(group, d->key, glen);
			group[glen] = '\0';
			uw_json_obj_begin(j, group);
		}
		uw_json_u64(j, dot ? dot + 1 : d->key, uw_counter_value(s->c, d));
	}
	if (group[0])
		group_end(j, group, s);
}

int uw_json_stats(struct uw_encoder *e, uint64_t now_ns, const struct uw_status *s, struct uw_rec *r)
{
	struct uw_json *j = &e->j;
	struct each_ctx ec = { j, 0, 0 };

	uw_enc_json_envelope(e, now_ns, "stats", "info", NULL);
	uw_json_str(j, "reason", s->reason, 16);
	uw_json_str(j, "hooks", s->hooks, 32);
	uw_json_str(j, "transition_hooks", s->transition_hooks ? s->transition_hooks : "none", 32);
	uw_json_str(j, "compat_transition_hooks", s->compat_hooks ? s->compat_hooks : "none", 32);
	uw_json_str(j, "ptrace_hooks", s->ptrace_hooks ? s->ptrace_hooks : "none", 16);
	uw_json_str(j, "pinning", s->pinning ? s->pinning : "off", 16);
	uw_json_bool(j, "host_learned", s->host_learned);
	uw_json_str(j, "host_name_source", s->host_name_source ? s->host_name_source : "own", 16);
	if (s->sandbox) {
		char caps[256];

		uw_caps_names(s->sandbox->kept, caps, sizeof(caps));
		uw_json_obj_begin(j, "sandbox");
		uw_json_str(j, "capabilities", caps, sizeof(caps));
		uw_json_bool(j, "bounding_set_cut", s->sandbox->bounding_dropped);
		uw_json_bool(j, "no_new_privs", s->sandbox->no_new_privs);
		uw_json_bool(j, "seccomp", s->sandbox->seccomp);
		uw_json_obj_end(j);
	}
	kernel_json(j, s);
	counters_json(j, s);
	if (s->syslog) {
		uw_json_obj_begin(j, "syslog");
		uw_json_str(j, "to", s->syslog->where, sizeof(s->syslog->where));
		uw_json_u64(j, "sent", s->syslog->sent);
		uw_json_u64(j, "queued", s->syslog->qn);
		uw_json_u64(j, "dropped", s->syslog->dropped);
		uw_json_u64(j, "connects", s->syslog->connects);
		uw_json_u64(j, "errors", s->syslog->errors);
		if (s->syslog->last_errno)
			uw_json_str(j, "last_error", strerror(s->syslog->last_errno), 128);
		uw_json_obj_end(j);
	}
	uw_json_arr_begin(j, "containers");
	if (s->lim)
		uw_table_each(&s->lim->containers, stats_container, &ec);
	uw_json_arr_end(j);
	uw_json_u64(j, "containers_total", ec.total);
	if (s->lim)
		uw_json_u64(j, "containers_evicted", s->lim->containers.evicted);
	uw_json_obj_end(j);
	return uw_enc_json_end(e, r);
}

/* the rule both --once records are about */
static void cis_rule(struct uw_json *j)
{
	uw_json_obj_begin(j, "rule");
	uw_json_str(j, "id", UW_RULE_ID, 64);
	uw_json_str(j, "text", UW_RULE_TEXT, 256);
	uw_json_obj_end(j);
}

int uw_json_compliance(struct uw_encoder *e, uint64_t ts, const struct uw_audit_row *w, const struct uw_meta *m,
		       const char *sev, struct uw_rec *r)
{
	struct uw_json *j = &e->j;

	uw_enc_json_envelope(e, ts, "compliance", sev, NULL);
	uw_json_str(j, "severity", sev, 16);
	cis_rule(j);
	uw_json_str(j, "verdict", w->allowed_by ? "ALLOWED" : w->host_procs ? "FAIL" : "PASS", 8);
	uw_json_str(j, "userns", w->host_procs ? "host" : "own", 8);
	uw_json_u64(j, "processes", w->procs);
	uw_json_u64(j, "host_processes", w->host_procs);
	container_json(j, &w->c, m, UW_EV_CGROUP);
	if (w->allowed_by) {
		uw_json_obj_begin(j, "policy");
		uw_json_str(j, "rule", w->allowed_by, 512);
		uw_json_obj_end(j);
	}
	if (w->host_procs)
		remedy_obj(j, UW_AK_HOST_USERNS, uw_remedy_for(UW_AK_HOST_USERNS, &w->c, m));
	uw_json_obj_end(j);
	return uw_enc_json_end(e, r);
}

int uw_json_audit_summary(struct uw_encoder *e, uint64_t ts, const struct uw_audit *au, const char *sev,
			  struct uw_rec *r)
{
	struct uw_json *j = &e->j;

	uw_enc_json_envelope(e, ts, "audit_summary", sev, NULL);
	uw_json_str(j, "severity", sev, 16);
	cis_rule(j);
	uw_json_str(j, "verdict", au->fails ? "FAIL" : "PASS", 8);
	uw_json_u64(j, "containers", au->n);
	uw_json_u64(j, "fail", au->fails);
	uw_json_u64(j, "allowed", au->allowed);
	uw_json_u64(j, "pass", au->n - au->fails - au->allowed);
	uw_json_u64(j, "unlisted_processes", au->unlisted);
	uw_json_obj_end(j);
	return uw_enc_json_end(e, r);
}
