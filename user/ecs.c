// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "ecs.h"
#include "version.h"
#include "alert.h"
#include "metadata.h"
#include "remedy.h"
#include "rfc3339.h"
#include "severity.h"

#include <stdio.h>
#include <string.h>

/* What ECS's rule.name, rule.reference and event.reference say of each rule. */
static const struct {
	const char *id, *name, *reference;
} rules[] = {
	{ UW_RULE_ID, "Container process in the host's user namespace",
	  "https://www.cisecurity.org/benchmark/docker" },
	{ UW_RULE_ESCAPE_ID, "Container process joined the host's namespaces",
	  "https://man7.org/linux/man-pages/man2/setns.2.html" },
	{ UW_RULE_CREATE_ID, "User namespace created in a container",
	  "https://man7.org/linux/man-pages/man7/user_namespaces.7.html" },
	{ UW_RULE_ENTER_ID, "User namespace entered",
	  "https://man7.org/linux/man-pages/man7/user_namespaces.7.html" },
	{ UW_RULE_HOST_ID, "Host process changed user namespace",
	  "https://man7.org/linux/man-pages/man7/user_namespaces.7.html" },
	{ UW_RULE_SELF_ID, "userns-watch itself", NULL },
};

const char *uw_rule_name(const char *rule_id)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].id, rule_id))
			return rules[i].name;
	return rule_id;
}

int uw_ecs_severity(const char *sev)
{
	return !strcmp(sev, "critical") ? 4 : !strcmp(sev, "high") ? 3 : !strcmp(sev, "medium") ? 2 : 1;
}

int uw_ecs_risk(const char *sev)
{
	return !strcmp(sev, "critical") ? 99 : !strcmp(sev, "high") ? 73 : !strcmp(sev, "medium") ? 47 : 21;
}

/* ECS writes capabilities as the kernel's headers name them: CAP_SYS_ADMIN */
static void cap_name(void *ctx, const char *name)
{
	char up[40];
	size_t i;

	for (i = 0; name[i] && i + 1 < sizeof(up); i++)
		up[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
	up[i] = '\0';
	uw_json_str(ctx, NULL, up, sizeof(up));
}

static void id_str(struct uw_json *j, const char *key, uint32_t v)
{
	char b[16];

	snprintf(b, sizeof(b), "%u", v);
	uw_json_obj_begin(j, key);
	uw_json_str(j, "id", b, sizeof(b));
	uw_json_obj_end(j);
}

static void one(struct uw_json *j, const char *key, const char *v)
{
	uw_json_arr_begin(j, key);
	uw_json_str(j, NULL, v, 32);
	uw_json_arr_end(j);
}

/* event.category, event.type: ECS's allowed values */
static void categorize(struct uw_json *j, const char *event, const struct uw_alert *a)
{
	if (a) {
		const char *s = a->source;

		one(j, "category", "process");
		one(j, "type", !strcmp(s, "snapshot") || a->kind == UW_AK_SELF ? "info"
			       : !strcmp(s, "exec") || !strcmp(s, "fork") || !strcmp(s, "clone") ||
					 !strcmp(s, "clone3")
				       ? "start"
				       : "change");
	} else if (!strcmp(event, "policy")) {
		one(j, "category", "configuration");
		one(j, "type", "change");
	} else if (!strcmp(event, "compliance") || !strcmp(event, "audit_summary")) {
		one(j, "category", "configuration");
		one(j, "type", "info");
	} else if (!strcmp(event, "stats") || !strcmp(event, "gap")) {
		one(j, "category", "host");
		one(j, "type", "info");
	} else {
		one(j, "category", "process");
		one(j, "type", "info");
	}
}

/* threat: the ATT&CK techniques (remedy.h) as ECS lists them: a sub-technique ("T1055.008")
 * under technique.subtechnique, its technique ("T1055") under technique */
static void threat(struct uw_json *j, const struct uw_alert *a)
{
	static const char *const keys[] = { "id", "name", "reference" };
	size_t i, k, n;
	const struct uw_attack *t = uw_attack_for(a->kind, a->escape_via, &n);

	if (!n)
		return;
	uw_json_obj_begin(j, "threat");
	uw_json_str(j, "framework", "MITRE ATT&CK", 16);
	uw_json_obj_begin(j, "tactic");
	for (k = 0; k < 3; k++) { /* one tactic: TA0004 for every technique mapped */
		char ref[64];

		snprintf(ref, sizeof(ref), "https://attack.mitre.org/tactics/%s/", t[0].tactic_id);
		uw_json_arr_begin(j, keys[k]);
		uw_json_str(j, NULL, k == 0 ? t[0].tactic_id : k == 1 ? t[0].tactic : ref, 64);
		uw_json_arr_end(j);
	}
	uw_json_obj_end(j);
	uw_json_obj_begin(j, "technique");
	for (k = 0; k < 3; k++) {
		uw_json_arr_begin(j, keys[k]);
		for (i = 0; i < n; i++) {
			const char *dot = strchr(t[i].technique_id, '.'), *colon = strstr(t[i].technique, ": ");
			char v[128];

			if (k == 0)
				snprintf(v, sizeof(v), "%.*s", (int)(dot ? dot - t[i].technique_id : 16), t[i].technique_id);
			else if (k == 1)
				snprintf(v, sizeof(v), "%.*s", (int)(colon ? colon - t[i].technique : 64), t[i].technique);
			else if (dot)
				snprintf(v, sizeof(v), "https://attack.mitre.org/techniques/%.*s/",
					 (int)(dot - t[i].technique_id), t[i].technique_id);
			else
				snprintf(v, sizeof(v), "%s", t[i].reference);
			uw_json_str(j, NULL, v, sizeof(v));
		}
		uw_json_arr_end(j);
	}
	for (i = 0; i < n && !strchr(t[i].technique_id, '.'); i++)
		;
	if (i < n) {
		const char *colon = strstr(t[i].technique, ": ");

		uw_json_obj_begin(j, "subtechnique");
		for (k = 0; k < 3; k++) {
			uw_json_arr_begin(j, keys[k]);
			uw_json_str(j, NULL, k == 0 ? t[i].technique_id : k == 1 ? (colon ? colon + 2 : t[i].technique)
										 : t[i].reference, 128);
			uw_json_arr_end(j);
		}
		uw_json_obj_end(j);
	}
	uw_json_obj_end(j);
	uw_json_obj_end(j);
}

void uw_ecs_fields(struct uw_json *j, uint64_t ts_ns, const char *id, const char *event, const char *sev,
		   const struct uw_alert *a, const char *host, const char *cluster)
{
	const char *rule_name = NULL, *reference = NULL;
	char t[40], ds[48];
	size_t i;

	uw_rfc3339(ts_ns, t, sizeof(t));
	uw_json_str(j, "@timestamp", t, sizeof(t));
	uw_json_obj_begin(j, "ecs");
	uw_json_str(j, "version", UW_ECS_VERSION, 16);
	uw_json_obj_end(j);
	for (i = 0; a && i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].id, a->rule_id)) {
			rule_name = rules[i].name;
			reference = rules[i].reference;
		}

	uw_json_obj_begin(j, "event");
	/* an alert, unless it is userns-watch itself or what a policy rule allows */
	uw_json_str(j, "kind",
		    a && a->kind != UW_AK_SELF && !a->policy_rule ? "alert"
		    : !strcmp(event, "stats")			 ? "metric"
		    : !strcmp(event, "compliance") || !strcmp(event, "audit_summary") ? "state"
								 : "event",
		    16);
	categorize(j, event, a);
	uw_json_str(j, "action", event, 32);
	uw_json_u64(j, "severity", (uint64_t)uw_ecs_severity(sev));
	uw_json_u64(j, "risk_score", (uint64_t)uw_ecs_risk(sev));
	uw_json_str(j, "id", id, 64);
	uw_json_str(j, "created", t, sizeof(t));
	snprintf(ds, sizeof(ds), "userns_watch.%s", event);
	uw_json_str(j, "dataset", ds, sizeof(ds));
	uw_json_str(j, "module", "userns_watch", 16);
	if (a) {
		uw_json_str(j, "reason", a->rule_text, 256);
		if (reference)
			uw_json_str(j, "reference", reference, 128);
	}
	uw_json_obj_end(j);

	if (a) {
		uw_json_obj_begin(j, "rule");
		uw_json_str(j, "id", a->rule_id, 64);
		uw_json_str(j, "name", rule_name ? rule_name : a->rule_id, 128);
		uw_json_str(j, "ruleset", "userns-watch", 16);
		uw_json_str(j, "description", a->rule_text, 256);
		if (reference)
			uw_json_str(j, "reference", reference, 128);
		uw_json_obj_end(j);

		uw_json_obj_begin(j, "process");
		uw_json_u64(j, "pid", a->pid);
		uw_json_obj_begin(j, "parent");
		uw_json_u64(j, "pid", a->ppid);
		uw_json_obj_end(j);
		if (a->exe && a->exe[0])
			uw_json_str(j, "executable", a->exe, 4096);
		if (a->cmdline && a->cmdline[0])
			uw_json_str(j, "command_line", a->cmdline, 4096);
		uw_json_str(j, "name", a->comm, UW_COMM_LEN);
		id_str(j, "user", a->euid);
		id_str(j, "real_user", a->uid);
		uw_json_obj_begin(j, "thread");
		uw_json_obj_begin(j, "capabilities");
		uw_json_arr_begin(j, "effective");
		uw_caps_each(a->cap_effective, cap_name, j);
		uw_json_arr_end(j);
		uw_json_obj_end(j);
		uw_json_obj_end(j);
		uw_json_obj_end(j);

		if (a->container->id[0]) {
			const struct uw_meta *m = a->meta;

			uw_json_obj_begin(j, "container");
			uw_json_str(j, "id", a->container->id, sizeof(a->container->id));
			uw_json_str(j, "runtime", a->container->runtime, 32);
			if (m && m->name[0])
				uw_json_str(j, "name", m->name, sizeof(m->name));
			if (m && (m->image[0] || m->image_id[0])) {
				uw_json_obj_begin(j, "image");
				if (m->image[0])
					uw_json_str(j, "name", m->image, sizeof(m->image));
				if (m->image_id[0]) {
					uw_json_obj_begin(j, "hash");
					uw_json_arr_begin(j, "all");
					uw_json_str(j, NULL, m->image_id, sizeof(m->image_id));
					uw_json_arr_end(j);
					uw_json_obj_end(j);
				}
				uw_json_obj_end(j);
			}
			uw_json_obj_end(j);
			if (m && (m->pod_name[0] || m->pod_namespace[0])) {
				uw_json_obj_begin(j, "orchestrator");
				uw_json_str(j, "type", "kubernetes", 16);
				if (cluster) {
					uw_json_obj_begin(j, "cluster");
					uw_json_str(j, "name", cluster, 256);
					uw_json_obj_end(j);
				}
				if (m->pod_namespace[0])
					uw_json_str(j, "namespace", m->pod_namespace, sizeof(m->pod_namespace));
				if (m->pod_name[0]) {
					uw_json_obj_begin(j, "resource");
					uw_json_str(j, "type", "pod", 8);
					uw_json_str(j, "name", m->pod_name, sizeof(m->pod_name));
					uw_json_obj_end(j);
				}
				uw_json_obj_end(j);
			}
		}
		threat(j, a);
	}
	/* the cluster, for records that name no pod too */
	if (cluster && !(a && a->container->id[0] && a->meta && (a->meta->pod_name[0] || a->meta->pod_namespace[0]))) {
		uw_json_obj_begin(j, "orchestrator");
		uw_json_obj_begin(j, "cluster");
		uw_json_str(j, "name", cluster, 256);
		uw_json_obj_end(j);
		uw_json_obj_end(j);
	}

	uw_json_obj_begin(j, "host");
	uw_json_str(j, "name", host, 256);
	uw_json_obj_end(j);
	uw_json_obj_begin(j, "observer");
	uw_json_str(j, "vendor", "userns-watch", 16);
	uw_json_str(j, "product", "userns-watch", 16);
	uw_json_str(j, "version", UW_VERSION, 16);
	uw_json_str(j, "type", "sensor", 16);
	uw_json_str(j, "hostname", host, 256);
	uw_json_obj_end(j);
}
