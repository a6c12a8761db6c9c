// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "gate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int uw_gate_init(struct uw_gate *g, unsigned max_alerts, struct uw_policy *policy, int report_allowed,
		 struct uw_counters *counts)
{
	memset(g, 0, sizeof(*g));
	g->policy = policy;
	g->report_allowed = report_allowed;
	g->counts = counts;
	return uw_limiter_init(&g->lim, max_alerts, UW_LIMITER_MAX_CONTAINERS) ? -ENOMEM : 0;
}

void uw_gate_free(struct uw_gate *g)
{
	uw_limiter_free(&g->lim);
}

int uw_gate_policy_active(const struct uw_gate *g)
{
	return g->policy && g->policy->n;
}

void uw_gate_key(char *key, size_t cap, const struct uw_container *c, const struct uw_ns *ns)
{
	if (c->id[0])
		snprintf(key, cap, "%s", c->id);
	else
		snprintf(key, cap, "%s:%u", c->runtime, ns->pid);
}

/* A digest of the executable's generation and change time (0: not read): a program in a file
 * that took a deleted one's inode number is another program. */
static uint64_t exe_stamp(const struct uw_alert *a)
{
	uint64_t h = (a->exe_ctime_ns ^ ((uint64_t)a->exe_gen << 32 | a->exe_gen)) * 0x9e3779b97f4a7c15ULL;

	if (!a->exe_id_read)
		return 0;
	return h ? h : 1;
}

struct uw_prog_id uw_gate_prog(const struct uw_gate *g, const struct uw_alert *a)
{
	if (a->exe_ino)
		return (struct uw_prog_id){ a->exe_dev, a->exe_ino, exe_stamp(a) };
	return uw_prog_id_of_name(&g->lim, a->exe ? a->exe : "");
}

/* The flood-control budget of an alert: its kind, host_userns split by how it came. */
static enum uw_budget budget_of(const struct uw_alert *a)
{
	switch (a->kind) {
	case UW_AK_HOST_USERNS: return a->tr ? UW_BUDGET_ENTERED : UW_BUDGET_HOST_USERNS;
	case UW_AK_ESCAPE: return UW_BUDGET_ESCAPE;
	case UW_AK_USERNS_CREATE: return UW_BUDGET_USERNS_CREATE;
	case UW_AK_USERNS_ENTER: return UW_BUDGET_USERNS_ENTER;
	case UW_AK_CGROUP_MOVE: return UW_BUDGET_CGROUP_MOVE;
	case UW_AK_SELF:
	case UW_AK_MAX: break;
	}
	return UW_BUDGET_HOST_USERNS;
}

int uw_gate_policy(struct uw_gate *g, struct uw_alert *a, struct uw_policy_rule **expired)
{
	struct uw_policy_rule *allow = NULL;

	*expired = NULL;
	if (uw_gate_policy_active(g)) {
		struct uw_policy_subject s;

		uw_policy_subject_of(&s, a->kind, a->container->runtime, a->container->id, a->meta);
		uw_policy_subject_self(&s, a->in_self_container);
		allow = uw_policy_match(g->policy, &s, (int64_t)a->ts_real_ns, expired);
	}
	if (allow) {
		/* not a violation: counted for its rule, written at info only when asked */
		allow->allowed++;
		g->counts->allowed++;
		if (!g->report_allowed)
			return 0;
		a->severity = "info";
		a->policy_rule = allow->name;
		a->policy_reason = allow->reason;
	} else {
		g->counts->violations++;
	}
	g->counts->escapes += a->kind == UW_AK_ESCAPE;
	return 1;
}

enum uw_flood uw_gate_flood(struct uw_gate *g, struct uw_alert *a, const char *key,
			    const struct uw_prog_id *prog, struct uw_limit_note *note)
{
	enum uw_budget budget = budget_of(a);
	enum uw_limit lim = uw_limiter_check(&g->lim, key, a->container->runtime, budget, prog);

	g->counts->repeats = g->lim.repeats;
	g->counts->suppressed = g->lim.suppressed;
	if (lim == UW_LIM_SUPPRESSED_FIRST) {
		/* the container's alerts of this kind are now only counted: say so at once */
		const struct uw_cstate *s = uw_table_get(&g->lim.containers, key, strlen(key));

		*note = (struct uw_limit_note){
			.ts_real_ns = a->ts_real_ns, .phase = "reached", .key = key,
			.klen = strlen(key), .runtime = a->container->runtime,
			.budget = uw_budget_name(budget), .limit = g->lim.max_alerts,
			.k = s ? s->k[budget] : NULL, .since = 1, .c = a->container,
		};
		return note->k ? UW_FLOOD_NOTE : UW_FLOOD_DROP;
	}
	if (lim == UW_LIM_REPEAT || lim == UW_LIM_SUPPRESSED)
		return UW_FLOOD_DROP;
	a->limit_reached = lim == UW_LIM_LAST;
	return UW_FLOOD_WRITE;
}
