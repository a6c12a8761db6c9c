// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Text lines: every record as one line a person can scan, every string from outside escaped. */
#include "encode_text.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exe.h"
#include "limiter.h"
#include "metadata.h"
#include "pin.h"
#include "remedy.h"
#include "severity.h"

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
	uw_text_escape_word(buf, cap, id, len);
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
int uw_text_alert(struct uw_encoder *o, const struct uw_alert *a, struct uw_rec *rec)
{
	char t[40], comm[16 * 4 + 1], exe[1024], cg[1024], id[UW_CID_MAX * 4 + 1], tr[200] = "";
	char name[200] = "", image[600] = "", pod[600] = "", origin[UW_CID_MAX * 4 + 48] = "";
	char caps[64 * 24] = "none", verbose[1600 + UW_CMDLINE_MAX * 4] = "", fix[200] = "";
	const struct uw_remedy *rem = uw_remedy_for(a->kind, a->container, a->meta);
	const struct uw_meta *m = a->meta;
	char policy[600] = "";

	uw_rfc3339(a->ts_real_ns, t, sizeof(t));
	uw_text_escape(exe, sizeof(exe), a->exe, 4096);
	if (a->policy_rule)
		uw_text_escape_word(policy, sizeof(policy), a->policy_rule, 512);
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
		snprintf(pod, sizeof(pod), " pod=\"%s/%s\"", ns, pn);
	} else if (a->container->pod_uid[0]) {
		char uid[sizeof(a->container->pod_uid) * 4 + 1];

		uw_text_escape_word(uid, sizeof(uid), a->container->pod_uid, sizeof(a->container->pod_uid));
		snprintf(pod, sizeof(pod), " pod=uid:%s", uid);
	}
	if (a->origin) {
		char oid[UW_CID_MAX * 4 + 1];

		short_id(oid, sizeof(oid), a->origin->id, strnlen(a->origin->id, UW_CID_MAX), o->verbose);
		snprintf(origin, sizeof(origin), " from=%s:%s", a->origin->runtime, oid);
	}
	if (a->kind == UW_AK_CGROUP_MOVE) {
		char oid[UW_CID_MAX * 4 + 1] = "";

		if (a->moved_to)
			short_id(oid, sizeof(oid), a->moved_to->id, strnlen(a->moved_to->id, UW_CID_MAX),
				 o->verbose);
		snprintf(origin, sizeof(origin), " to=%s%s%s", a->moved_to ? a->moved_to->runtime : "none",
			 a->moved_to ? ":" : "", oid);
	} else if (a->moved) {
		snprintf(origin + strlen(origin), sizeof(origin) - strlen(origin), " moved");
	}
	if (a->escape_via) {
		char tcomm[UW_COMM_LEN * 4 + 1];

		uw_text_escape_word(tcomm, sizeof(tcomm), a->target->comm, UW_COMM_LEN);
		snprintf(origin + strlen(origin), sizeof(origin) - strlen(origin), " via=%s target=%u(%s)",
			 a->escape_via, a->target->pid, tcomm);
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
		if (a->cmdline && a->cmdline[0]) {
			char cmd[UW_CMDLINE_MAX * 4 + 1];

			uw_text_escape(cmd, sizeof(cmd), a->cmdline, UW_CMDLINE_MAX);
			snprintf(verbose + strlen(verbose), sizeof(verbose) - strlen(verbose), " cmdline=\"%s%s\"",
				 cmd, a->cmdline_truncated ? "..." : "");
		}
	}
	/* what to do, in a few words (the JSON records have it in full) */
	if (rem)
		snprintf(fix, sizeof(fix), " fix=\"%s%s\"", a->kind == UW_AK_ESCAPE ? "isolate the node; " : "",
			 rem->summary);
	return uw_enc_text(o, rec,
		   "%s %s%s%s %s exe=\"%s\" uid=%u euid=%u caps=%s container=%s:%s%s%s%s%s pid=%u "
		   "source=%s%s%s%s%s%s%s\n",
		   t, o->colour ? sev_colour(a->severity) : "", a->severity, o->colour ? "\033[0m" : "",
		   uw_alert_kind_label(a->kind), exe, a->uid, a->euid, caps, a->container->runtime, id, name,
		   image, pod, origin, a->pid, a->source,
		   a->tr && (a->tr->tflags & UW_TF_LATE) ? " detected_late" : "",
		   a->policy_rule ? " allowed-by=" : "", a->policy_rule ? policy : "", fix, verbose,
		   a->limit_reached ? " [alert limit reached for this container]" : "");
}


int uw_text_gap(struct uw_encoder *o, const struct uw_pin_gap *g, const char *dir, const char *sev,
		struct uw_rec *rec)
{
	char t[40], hb[40] = "none", d[1100];

	uw_rfc3339(g->started_real_ns, t, sizeof(t));
	if (g->prev.heartbeat_real_ns)
		uw_rfc3339(g->prev.heartbeat_real_ns, hb, sizeof(hb));
	uw_text_escape(d, sizeof(d), dir, 1024);
	return uw_enc_text(o, rec,
			   "%s %s GAP %s pin_dir=\"%s\" previous_pid=%u previous_heartbeat=%s "
			   "previous_stop=%s kept=%" PRIu64 " unread=%" PRIu64 " lost=%" PRIu64 "\n",
			   t, sev, g->how ? g->how : "adopted", d, g->prev.pid, hb,
			   g->prev.stopped_real_ns ? "clean" : "unclean", g->kept, g->unread, g->lost);
}

int uw_text_policy(struct uw_encoder *o, const struct uw_policy_note *n, const char *sev, struct uw_rec *rec)
{
	char t[40], f[1100] = "", r[600] = "", e[1300] = "", c[32] = "", by[32] = "";

	uw_rfc3339(n->ts_real_ns, t, sizeof(t));
	if (n->trigger)
		snprintf(by, sizeof(by), " trigger=%s", n->trigger);
	if (n->file) {
		char esc[1024];

		uw_text_escape(esc, sizeof(esc), n->file, 4096);
		snprintf(f, sizeof(f), " file=\"%s\"", esc);
	}
	if (n->rule) {
		char esc[560];

		uw_text_escape_word(esc, sizeof(esc), n->rule, 512);
		snprintf(r, sizeof(r), " rule=%s", esc);
	} else {
		snprintf(c, sizeof(c), " rules=%zu", n->rules);
	}
	if (n->error) {
		char esc[1200];

		uw_text_escape(esc, sizeof(esc), n->error, 1024);
		snprintf(e, sizeof(e), " error=\"%s\"", esc);
	}
	return uw_enc_text(o, rec, "%s %s POLICY %s%s%s%s%s%s\n", t, sev, n->action, f, r, c, by, e);
}

int uw_text_limit(struct uw_encoder *o, const struct uw_limit_note *n, struct uw_rec *rec)
{
	char t[40], key[UW_CID_MAX * 4 + 64];

	uw_rfc3339(n->ts_real_ns, t, sizeof(t));
	short_id(key, sizeof(key), n->key, n->klen, o->verbose);
	return uw_enc_text(o, rec,
			   "%s medium ALERT-LIMIT %s container=%s:%s budget=%s limit=%u alerts=%u "
			   "suppressed=%" PRIu64 " (+%" PRIu64 ") repeats=%" PRIu64 "\n",
			   t, n->phase, n->runtime, key, n->budget, n->limit, n->k->alerts,
			   n->k->suppressed, n->since, n->k->repeats);
}

/* The figures a person looks at first; the JSON stats record has them all. */
int uw_text_stats(struct uw_encoder *o, uint64_t now_ns, const struct uw_status *s, struct uw_rec *rec)
{
	const struct uw_counters *c = s->c;
	char t[40];

	uw_rfc3339(now_ns, t, sizeof(t));
	return uw_enc_text(o, rec,
			   "%s stats (%s): hooks=%s violations=%" PRIu64 " alerts=%" PRIu64
			   " repeats=%" PRIu64 " suppressed=%" PRIu64 " lost=%" PRIu64
			   " received=%" PRIu64 " snapshot=%" PRIu64 " not_container=%" PRIu64
			   " unresolved=%" PRIu64 " escapes=%" PRIu64 " late=%" PRIu64 "\n",
			   t, s->reason, s->hooks, c->violations, c->alerts, c->repeats, c->suppressed,
			   s->kernel[UW_C_LOST], c->received, c->snapshot, c->not_container,
			   c->unresolved, c->escapes, s->kernel[UW_C_LATE]);
}
