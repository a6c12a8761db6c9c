// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "pipeline.h"

#include <errno.h>
#include <string.h>

#include "audit.h"
#include "decode.h"
#include "uw_verdict.h"

int uw_pipeline_init(struct uw_pipeline *p, const struct uw_pipeline_opts *o)
{
	memset(p, 0, sizeof(*p));
	uw_clock_init(&p->clock);
	p->kernel = o->kernel;
	p->report_interval_ns = o->report_interval_ns;
	uw_setns_init(&p->setns, o->host);
	uw_judge_init(&p->judge, o->procfs, o->host_root, o->host, o->host_transitions, &p->clock, &p->counts);
	uw_encoder_init(&p->enc, o->format, o->host_name);
	p->enc.cluster = o->cluster_name;
	p->enc.verbose = o->verbose;
	p->enc.colour = o->colour;
	p->sinks = (struct uw_sinks){ o->out, o->host_name, o->syslog, o->tally, o->give_up, 0 };
	if (uw_attr_init(&p->attr, o->procfs, o->host_root, o->roots, o->host, o->cg, &p->kernel, &p->counts) ||
	    uw_gate_init(&p->gate, o->max_alerts, o->policy, o->report_allowed, &p->counts)) {
		uw_pipeline_free(p);
		return -ENOMEM;
	}
	return 0;
}

void uw_pipeline_free(struct uw_pipeline *p)
{
	uw_attr_free(&p->attr);
	uw_gate_free(&p->gate);
	uw_encoder_free(&p->enc);
}

/* ---- writing: encode, then deliver to the sinks ---- */

static int deliver(struct uw_pipeline *p, int encoded, const struct uw_rec *r)
{
	if (encoded || uw_sinks_deliver(&p->sinks, r)) {
		p->write_errno = errno ? errno : EIO;
		return -EIO;
	}
	return 0;
}

static int write_alert(struct uw_pipeline *p, const struct uw_alert *a)
{
	struct uw_rec r;

	return deliver(p, uw_encode_alert(&p->enc, a, &r), &r);
}

static int write_limit(struct uw_pipeline *p, const struct uw_limit_note *n)
{
	struct uw_rec r;

	if (deliver(p, uw_encode_limit(&p->enc, n, &r), &r))
		return -EIO;
	p->counts.limit_records++;
	return 0;
}

static int write_policy(struct uw_pipeline *p, const struct uw_policy_note *n)
{
	struct uw_rec r;

	return deliver(p, uw_encode_policy(&p->enc, n, &r), &r);
}

int uw_pipeline_policy_note(struct uw_pipeline *p, const char *action, const char *file,
			    size_t rules, const char *error, const char *trigger)
{
	struct uw_policy_note n = { p->clock.real(), action, file, NULL, rules, error, trigger };

	return write_policy(p, &n);
}

void uw_pipeline_status(struct uw_pipeline *p, struct uw_status *s)
{
	s->c = &p->counts;
	s->policy = p->gate.policy;
	s->lim = &p->gate.lim;
	s->syslog = p->sinks.syslog;
}

int uw_pipeline_stats(struct uw_pipeline *p, const struct uw_status *s)
{
	struct uw_rec r;

	return deliver(p, uw_encode_stats(&p->enc, p->clock.real(), s, &r), &r);
}

int uw_pipeline_gap(struct uw_pipeline *p, const struct uw_pin_gap *g, const char *dir)
{
	struct uw_rec r;

	return deliver(p, uw_encode_gap(&p->enc, g, dir, &r), &r);
}

int uw_pipeline_compliance(struct uw_pipeline *p, const struct uw_audit_row *w)
{
	struct uw_rec r;
	int rc = uw_encode_compliance(&p->enc, p->clock.real(), w, uw_attr_meta(&p->attr, &w->c), &r);

	return rc == 1 ? 0 : deliver(p, rc, &r);
}

int uw_pipeline_audit_summary(struct uw_pipeline *p, const struct uw_audit *au)
{
	struct uw_rec r;
	int rc = uw_encode_audit_summary(&p->enc, p->clock.real(), au, &r);

	return rc == 1 ? 0 : deliver(p, rc, &r);
}

/* ---- the gates, then writing ---- */

/* Policy and flood control (key: the container's flood-control key, prog: the program). */
static int pass_gates(struct uw_pipeline *p, struct uw_alert *a, const char *key,
		      const struct uw_prog_id *prog)
{
	struct uw_policy_rule *expired;
	struct uw_limit_note note;
	int go_on;

	if (uw_gate_policy_active(&p->gate))
		a->meta = uw_attr_meta(&p->attr, a->container); /* what the rules match on */
	go_on = uw_gate_policy(&p->gate, a, &expired);
	if (expired) {
		struct uw_policy_note n = { a->ts_real_ns, "expired", NULL, expired->name, 0, NULL, NULL };

		if (write_policy(p, &n))
			return -EIO;
	}
	if (!go_on)
		return 0;
	switch (uw_gate_flood(&p->gate, a, key, prog, &note)) {
	case UW_FLOOD_NOTE: return write_limit(p, &note);
	case UW_FLOOD_DROP: return 0;
	case UW_FLOOD_WRITE: break;
	}
	if (!a->meta)
		a->meta = uw_attr_meta(&p->attr, a->container);
	if (write_alert(p, a))
		return -EIO;
	p->counts.alerts++;
	return 0;
}

static int pass_gates_keyed_here(struct uw_pipeline *p, struct uw_alert *a)
{
	char key[UW_CID_MAX + 32];
	struct uw_prog_id prog = uw_gate_prog(&p->gate, a);

	uw_gate_key(key, sizeof(key), a->container, a->ns);
	return pass_gates(p, a, key, &prog);
}

/* An alert from the judge: self, then policy and flood control. */
static int handle_alert(struct uw_pipeline *p, struct uw_alert *a)
{
	int first;

	if (uw_self_gate(&p->self, a, &p->counts, &first)) {
		if (!first)
			return 0;
		uw_self_record(&p->self, a, p->attr.host.user);
		a->meta = uw_attr_meta(&p->attr, a->container);
		return write_alert(p, a);
	}
	a->in_self_container = uw_self_container_is(&p->self, a->container, a->ns ? a->ns->mnt : 0);
	return pass_gates_keyed_here(p, a);
}

/* ---- records ---- */

/*
 * A task record's repeat-cache key goes to the kernel's cache as the record arrives, whatever
 * the verdict: the kernel then decides the same facts without a record. Only a key that says
 * what its record says (namespaces, cgroups, and a hook that has keys: exec or fork) is added:
 * a key that did not would silence something never reported.
 */
static void tell_repeat(struct uw_pipeline *p, const struct uw_task_event *ev)
{
	const struct uw_repeat_key *k = &ev->repeat;

	if (!(ev->flags & UW_F_REPEAT_KEY) || !p->kernel.repeat)
		return;
	if ((ev->source != UW_SRC_EXEC && ev->source != UW_SRC_FORK) ||
	    memcmp(&k->ns, &ev->ns, sizeof(k->ns)) || k->cg.cgroup_id != ev->cgroup_id ||
	    k->cg.cgroup1_id != ev->cgroup1_id || memcmp(&k->origin, &ev->origin, sizeof(k->origin)) ||
	    k->flags >> 24 != ev->source ||
	    p->kernel.repeat(p->kernel.ctx, k))
		p->counts.repeat_failed++;
}

/* A (cgroup, namespaces) pair known to be no container's: the kernel drops its candidates. */
static void tell_ignore(struct uw_pipeline *p, const struct uw_task_event *ev, const struct uw_attribution *at)
{
	/* the kernel asks with the cgroups of origin (what a process's cgroup was when placed) */
	struct uw_ignore_key k = { .cg = { ev->cgroup_id, ev->cgroup1_id }, .mnt = ev->ns.mnt,
				   .net = ev->ns.net, .uts = ev->ns.uts, .ipc = ev->ns.ipc,
				   .cgroup = ev->ns.cgroup };

	if (ev->flags & UW_F_MOVED)
		k.cg = ev->origin;
	if (at->cg.known && uw_ignorable(&ev->ns, &p->attr.host, ev->flags) && p->kernel.ignore &&
	    p->kernel.ignore(p->kernel.ctx, &k))
		p->counts.ignore_failed++;
}

static int task_record(struct uw_pipeline *p, const struct uw_task_event *ev)
{
	struct uw_judged jd;
	int rc = 0;

	tell_repeat(p, ev);
	uw_attr_task(&p->attr, ev, &jd.at);
	if (uw_judge_task(&p->judge, ev, &jd))
		rc = handle_alert(p, &jd.a);
	else
		tell_ignore(p, ev, &jd.at);
	uw_judged_free(&jd);
	return rc;
}

/* The journal follows the setns table: a sequence is written there while it is merged, and
 * forgotten once judged (a journal that fails costs only what a kill would lose). */
static void journal(struct uw_pipeline *p, uint32_t pid, const struct uw_setns_seq *q)
{
	if (p->kernel.journal)
		p->kernel.journal(p->kernel.ctx, pid, q);
}

static int judge_seq(struct uw_pipeline *p, const struct uw_setns_seq *q)
{
	struct uw_judged jd;
	int rc = 0;

	journal(p, q->last.pid, NULL);
	if (uw_judge_seq(&p->judge, &p->attr, q, &jd))
		rc = handle_alert(p, &jd.a);
	uw_judged_free(&jd);
	return rc;
}

/* Judges the pending setns calls of pid, if any (it forked, exec'd or moved again). */
static int settle(struct uw_pipeline *p, uint32_t pid)
{
	struct uw_setns_seq q;

	if (!p->setns.used || !uw_setns_take(&p->setns, pid, &q))
		return 0;
	return judge_seq(p, &q);
}

/* A transition record: setns calls are merged per process, the rest judged now. */
static int transition_record(struct uw_pipeline *p, const struct uw_transition_event *ev)
{
	struct uw_setns_seq q;
	int rc;

	if (ev->syscall == UW_SYS_SETNS && !(ev->tflags & UW_TF_LATE)) {
		/* every slot taken: the oldest is judged now */
		rc = uw_setns_add(&p->setns, ev, &q) ? judge_seq(p, &q) : 0;
		journal(p, ev->pid, uw_setns_find(&p->setns, ev->pid));
		return rc;
	}
	rc = settle(p, ev->pid) | settle(p, ev->ppid);
	uw_setns_start(&p->attr.host, ev, &q);
	return judge_seq(p, &q) | rc;
}

int uw_pipeline_restore_seq(struct uw_pipeline *p, const struct uw_setns_seq *q)
{
	return uw_setns_restore(&p->setns, q);
}

int uw_pipeline_record(struct uw_pipeline *p, const void *data, size_t size)
{
	struct uw_event ev;
	int rc = 0;

	switch (uw_decode(data, size, &ev, &p->counts)) {
	case UW_EVENT_TASK:
		/* a process forking or exec'ing after setns calls has settled: those first */
		if (ev.task->source != UW_SRC_SNAPSHOT)
			rc = settle(p, ev.task->pid) | settle(p, ev.task->ppid);
		return task_record(p, ev.task) | rc;
	case UW_EVENT_TRANSITION:
		return transition_record(p, ev.tr);
	case UW_EVENT_CGROUP_GONE:
		uw_attr_cgroup_gone(&p->attr, ev.cg);
		return 0;
	case UW_EVENT_BAD:
		break;
	}
	return 0;
}

/* ---- time ---- */

int uw_pipeline_flush(struct uw_pipeline *p, uint64_t now_boot_ns)
{
	struct uw_setns_seq q;
	int rc = 0;

	while (p->setns.used && uw_setns_take_settled(&p->setns, now_boot_ns, &q))
		rc |= judge_seq(p, &q);
	return rc;
}

static int tell_suppressed(void *ctx, const char *ckey, size_t klen, const struct uw_cstate *s,
			   enum uw_budget b, uint64_t since)
{
	struct uw_pipeline *p = ctx;
	struct uw_limit_note n = {
		.ts_real_ns = p->clock.real(), .phase = "ongoing", .key = ckey, .klen = klen,
		.runtime = s->runtime, .budget = uw_budget_name(b), .limit = p->gate.lim.max_alerts,
		.k = s->k[b], .since = since,
	};

	return write_limit(p, &n);
}

int uw_pipeline_tick(struct uw_pipeline *p, uint64_t now_boot_ns)
{
	int rc = uw_pipeline_flush(p, now_boot_ns);

	uw_clock_tick(&p->clock, now_boot_ns);
	if (!p->report_interval_ns)
		return rc;
	if (!p->next_report_ns)
		p->next_report_ns = now_boot_ns + p->report_interval_ns;
	if (now_boot_ns >= p->next_report_ns) {
		p->next_report_ns = now_boot_ns + p->report_interval_ns;
		rc |= uw_limiter_each_new_suppressed(&p->gate.lim, tell_suppressed, p);
	}
	return rc;
}

/* ---- userns-watch itself ---- */

uint32_t uw_pipeline_find_self(struct uw_pipeline *p)
{
	uint32_t pid = uw_self_find(&p->self, p->attr.procfs);

	/* its container before the snapshot judges the others in it; its self record's provenance
	 * replaces it */
	uw_self_learn(&p->self, &p->attr, p->attr.procfs, p->attr.host.mnt);
	return pid;
}

int uw_pipeline_self(struct uw_pipeline *p)
{
	struct uw_self_store st;
	struct uw_alert a;

	if (p->self.written)
		return 0;
	uw_self_describe(&p->self, p->attr.procfs, &p->attr.host, p->clock.real(), &st, &a);
	uw_self_record(&p->self, &a, p->attr.host.user);
	a.meta = uw_attr_meta(&p->attr, a.container);
	return write_alert(p, &a);
}
