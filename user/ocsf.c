// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "ocsf.h"
#include "audit.h"
#include "metadata.h"
#include "remedy.h"
#include "version.h"
#include "ecs.h"
#include "alert.h"
#include "metadata.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *word, *caption;
	int id;
} severities[] = {
	{ "critical", "Critical", 5 }, { "high", "High", 4 }, { "medium", "Medium", 3 }, { "info", "Informational", 1 },
};

static void class_of(struct uw_json *j, int cat, const char *cat_name, int cls, const char *cls_name,
		     int act, const char *act_name)
{
	char t[96];

	uw_json_u64(j, "category_uid", (uint64_t)cat);
	uw_json_str(j, "category_name", cat_name, 64);
	uw_json_u64(j, "class_uid", (uint64_t)(cat * 1000 + cls));
	uw_json_str(j, "class_name", cls_name, 64);
	uw_json_u64(j, "activity_id", (uint64_t)act);
	uw_json_str(j, "activity_name", act_name, 32);
	uw_json_u64(j, "type_uid", (uint64_t)(cat * 1000 + cls) * 100 + (uint64_t)act);
	snprintf(t, sizeof(t), "%s: %s", cls_name, act_name);
	uw_json_str(j, "type_name", t, sizeof(t));
}

static void product(struct uw_json *j, const char *key)
{
	uw_json_obj_begin(j, key);
	uw_json_str(j, "name", "userns-watch", 16);
	uw_json_str(j, "vendor_name", "userns-watch", 16);
	uw_json_str(j, "version", UW_VERSION, 16);
	uw_json_obj_end(j);
}

/* resources: the container a finding is about */
static void container_resource(struct uw_json *j, const char *cid, const struct uw_meta *m)
{
	uw_json_arr_begin(j, "resources");
	uw_json_obj_begin(j, NULL);
	uw_json_str(j, "type", "Container", 16);
	uw_json_str(j, "uid", cid, UW_CID_MAX);
	if (m && m->name[0])
		uw_json_str(j, "name", m->name, sizeof(m->name));
	if (m && m->pod_namespace[0])
		uw_json_str(j, "namespace", m->pod_namespace, sizeof(m->pod_namespace));
	uw_json_obj_end(j);
	uw_json_arr_end(j);
}

/* What every event has: time, severity, metadata (the profiles applied: host, and container
 * when a process's container is named), and the node as device. */
static void common(struct uw_json *j, uint64_t ms, int sev_id, const char *sev_caption, const char *id,
		   const char *host, int container_profile)
{
	uw_json_u64(j, "time", ms);
	uw_json_u64(j, "severity_id", (uint64_t)sev_id);
	uw_json_str(j, "severity", sev_caption, 16);
	uw_json_obj_begin(j, "metadata");
	product(j, "product");
	uw_json_str(j, "version", UW_OCSF_VERSION, 16);
	uw_json_str(j, "uid", id, 64);
	uw_json_arr_begin(j, "profiles");
	uw_json_str(j, NULL, "host", 8);
	if (container_profile)
		uw_json_str(j, NULL, "container", 16);
	uw_json_arr_end(j);
	uw_json_str(j, "log_name", "userns-watch", 16);
	uw_json_obj_end(j);
	uw_json_obj_begin(j, "device");
	uw_json_str(j, "hostname", host, 256);
	uw_json_str(j, "name", host, 256);
	uw_json_u64(j, "type_id", 1);
	uw_json_str(j, "type", "Server", 16);
	uw_json_obj_end(j);
}

/* an OCSF technique, tactic or sub_technique: uid, name, src_url */
static void entity(struct uw_json *j, const char *key, const char *uid, const char *name, const char *url)
{
	uw_json_obj_begin(j, key);
	uw_json_str(j, "uid", uid, 16);
	uw_json_str(j, "name", name, 64);
	uw_json_str(j, "src_url", url, 128);
	uw_json_obj_end(j);
}

/* finding_info.attacks: the ATT&CK techniques (remedy.h); a sub-technique as sub_technique */
static void attacks(struct uw_json *j, const struct uw_alert *a)
{
	size_t i, n;
	const struct uw_attack *t = uw_attack_for(a->kind, a->escape_via, &n);

	if (!n)
		return;
	uw_json_arr_begin(j, "attacks");
	for (i = 0; i < n; i++) {
		char url[64];

		snprintf(url, sizeof(url), "https://attack.mitre.org/tactics/%s/", t[i].tactic_id);
		uw_json_obj_begin(j, NULL);
		entity(j, "tactic", t[i].tactic_id, t[i].tactic, url);
		entity(j, strchr(t[i].technique_id, '.') ? "sub_technique" : "technique", t[i].technique_id,
		       t[i].technique, t[i].reference);
		uw_json_obj_end(j);
	}
	uw_json_arr_end(j);
}

/* remediation: what to do (remedy.h) about a record of kind k about container c */
static void remediation(struct uw_json *j, enum uw_alert_kind k, const struct uw_container *c,
			const struct uw_meta *m)
{
	const struct uw_remedy *r = uw_remedy_for(k, c, m);
	char text[UW_REMEDY_TEXT_MAX];

	if (!r)
		return;
	uw_remedy_text(k, r, text, sizeof(text));
	uw_json_obj_begin(j, "remediation");
	uw_json_str(j, "desc", text, sizeof(text));
	uw_json_arr_begin(j, "references");
	uw_json_str(j, NULL, r->reference, 256);
	uw_json_arr_end(j);
	uw_json_obj_end(j);
}

void uw_ocsf_fields(struct uw_json *j, uint64_t ts_ns, const char *id, const char *event, const char *sev,
		    const struct uw_alert *a, const char *host)
{
	const char *sev_caption = "Informational";
	int sev_id = 1, suppressed = a && (a->kind == UW_AK_SELF || a->policy_rule);
	uint64_t ms = ts_ns / 1000000ULL;
	size_t i;

	for (i = 0; i < sizeof(severities) / sizeof(severities[0]); i++)
		if (!strcmp(sev, severities[i].word)) {
			sev_id = severities[i].id;
			sev_caption = severities[i].caption;
		}
	if (a)
		class_of(j, 2, "Findings", 4, "Detection Finding", 1, "Create");
	else
		class_of(j, 6, "Application Activity", 2, "Application Lifecycle", 99, event);
	common(j, ms, sev_id, sev_caption, id, host, a != NULL);

	if (!a) {
		product(j, "app");
		uw_json_u64(j, "status_id", 1);
		uw_json_str(j, "status", "Success", 16);
		uw_json_str(j, "message", event, 32);
		return;
	}
	uw_json_str(j, "message", a->rule_text, 256);
	uw_json_bool(j, "is_alert", !suppressed);
	uw_json_u64(j, "status_id", suppressed ? 3 : 1);
	uw_json_str(j, "status", suppressed ? "Suppressed" : "New", 16);
	uw_json_u64(j, "confidence_id", 3);
	uw_json_str(j, "confidence", "High", 8);
	uw_json_obj_begin(j, "finding_info");
	uw_json_str(j, "uid", id, 64);
	uw_json_str(j, "title", uw_rule_name(a->rule_id), 128);
	uw_json_str(j, "desc", a->rule_text, 256);
	uw_json_u64(j, "created_time", ms);
	uw_json_arr_begin(j, "types");
	uw_json_str(j, NULL, event, 32);
	uw_json_arr_end(j);
	uw_json_obj_begin(j, "analytic");
	uw_json_str(j, "uid", a->rule_id, 64);
	uw_json_str(j, "name", uw_rule_name(a->rule_id), 128);
	uw_json_u64(j, "type_id", 1);
	uw_json_str(j, "type", "Rule", 8);
	uw_json_obj_end(j);
	attacks(j, a);
	uw_json_obj_end(j);
	remediation(j, a->kind, a->container, a->meta);

	uw_json_obj_begin(j, "actor");
	uw_json_obj_begin(j, "process");
	uw_json_u64(j, "pid", a->pid);
	uw_json_str(j, "name", a->comm, UW_COMM_LEN);
	if (a->cmdline && a->cmdline[0])
		uw_json_str(j, "cmd_line", a->cmdline, 4096);
	if (a->exe && a->exe[0]) {
		const char *base = strrchr(a->exe, '/');

		uw_json_obj_begin(j, "file");
		uw_json_str(j, "name", base && base[1] ? base + 1 : a->exe, 4096);
		uw_json_str(j, "path", a->exe, 4096);
		uw_json_u64(j, "type_id", 1);
		uw_json_str(j, "type", "Regular File", 16);
		uw_json_obj_end(j);
	}
	{
		char uid[16];

		snprintf(uid, sizeof(uid), "%u", a->euid);
		uw_json_obj_begin(j, "user");
		uw_json_str(j, "uid", uid, sizeof(uid));
		uw_json_obj_end(j);
	}
	uw_json_obj_begin(j, "parent_process");
	uw_json_u64(j, "pid", a->ppid);
	uw_json_obj_end(j);
	if (a->container->id[0]) {
		const struct uw_meta *m = a->meta;

		uw_json_obj_begin(j, "container");
		uw_json_str(j, "uid", a->container->id, sizeof(a->container->id));
		if (m && m->name[0])
			uw_json_str(j, "name", m->name, sizeof(m->name));
		uw_json_str(j, "runtime", a->container->runtime, 32);
		/* OCSF's image requires its uid: only where the engine records the image's ID */
		if (m && m->image_id[0]) {
			uw_json_obj_begin(j, "image");
			uw_json_str(j, "uid", m->image_id, sizeof(m->image_id));
			if (m->image[0])
				uw_json_str(j, "name", m->image, sizeof(m->image));
			uw_json_obj_end(j);
		}
		uw_json_obj_end(j);
	}
	uw_json_obj_end(j);
	uw_json_obj_end(j);
	if (a->container->id[0])
		container_resource(j, a->container->id, a->meta);
}

void uw_ocsf_compliance(struct uw_json *j, uint64_t ts_ns, const char *id, const char *host,
			const struct uw_audit_row *w, const struct uw_meta *m)
{
	const char *verdict = w->allowed_by ? "ALLOWED" : w->host_procs ? "FAIL" : "PASS";
	int fail = w->host_procs > 0, alert = fail && !w->allowed_by;
	uint64_t ms = ts_ns / 1000000ULL;
	char title[600], msg[700];
	const char *who = m && m->name[0] ? m->name : w->c.id;

	class_of(j, 2, "Findings", 3, "Compliance Finding", 1, "Create");
	common(j, ms, alert ? 4 : 1, alert ? "High" : "Informational", id, host, 0);
	snprintf(msg, sizeof(msg), "%s: %s container %.512s: %u of %u processes in the host's user namespace",
		 verdict, w->c.runtime, who, w->host_procs, w->procs);
	uw_json_str(j, "message", msg, sizeof(msg));
	/* the finding's own state: new, or suppressed by a reviewed policy rule */
	uw_json_u64(j, "status_id", w->allowed_by ? 3 : 1);
	uw_json_str(j, "status", w->allowed_by ? "Suppressed" : "New", 16);
	uw_json_obj_begin(j, "compliance");
	uw_json_arr_begin(j, "standards");
	uw_json_str(j, NULL, "CIS Docker Benchmark", 32);
	uw_json_arr_end(j);
	uw_json_str(j, "control", "5.31", 8);
	uw_json_str(j, "desc", "Ensure that the host's user namespace is not shared", 64);
	uw_json_u64(j, "status_id", fail ? 3 : 1);
	uw_json_str(j, "status", fail ? "Fail" : "Pass", 8);
	if (w->allowed_by) {
		char d[600];

		snprintf(d, sizeof(d), "allowed by policy rule %.512s", w->allowed_by);
		uw_json_str(j, "status_detail", d, sizeof(d));
	}
	uw_json_obj_end(j);
	uw_json_obj_begin(j, "finding_info");
	uw_json_str(j, "uid", id, 64);
	snprintf(title, sizeof(title), "CIS Docker 5.31 %s: %.512s", fail ? "fails" : "passes", who);
	uw_json_str(j, "title", title, sizeof(title));
	uw_json_u64(j, "created_time", ms);
	uw_json_obj_end(j);
	if (fail)
		remediation(j, UW_AK_HOST_USERNS, &w->c, m);
	container_resource(j, w->c.id, m);
	uw_json_obj_begin(j, "unmapped");
	uw_json_str(j, "verdict", verdict, 8);
	uw_json_str(j, "runtime", w->c.runtime, 32);
	uw_json_str(j, "container_id", w->c.id, sizeof(w->c.id));
	if (m && m->image[0])
		uw_json_str(j, "image", m->image, sizeof(m->image));
	uw_json_str(j, "userns", w->host_procs ? "host" : "own", 8);
	uw_json_u64(j, "processes", w->procs);
	uw_json_u64(j, "host_processes", w->host_procs);
	if (w->allowed_by)
		uw_json_str(j, "policy_rule", w->allowed_by, 512);
	uw_json_obj_end(j);
}
