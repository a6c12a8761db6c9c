/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -o ecs: each record as an Elastic Common Schema document: the ECS fields it maps to first
 * (@timestamp, ecs, event, rule, process, container, orchestrator, host, observer), then the
 * whole userns-watch record under "userns_watch" (include/userns-watch.schema.json): what ECS
 * has no field for (namespace inodes, transitions, evidence, the stats) is there, and nothing
 * is lost in the mapping. encoder.c opens the document, this writes the ECS fields.
 */
#ifndef UW_ECS_H
#define UW_ECS_H

#include <stdint.h>
#include "json.h"

#define UW_ECS_VERSION "8.11.0"

struct uw_alert;

/* The ECS fields of one record: event is the record's "event", sev its severity word, id its
 * id, a the alert (NULL for stats, policy and alert_limit records); cluster: --cluster-name or
 * NULL. */
void uw_ecs_fields(struct uw_json *j, uint64_t ts_ns, const char *id, const char *event, const char *sev,
		   const struct uw_alert *a, const char *host, const char *cluster);
/* A rule's name for people (ECS rule.name, OCSF finding_info.title); the ID when unknown. */
const char *uw_rule_name(const char *rule_id);
/* ECS's event.severity (1 info .. 4 critical) and event.risk_score (21, 47, 73, 99). */
int uw_ecs_severity(const char *sev);
int uw_ecs_risk(const char *sev);

#endif
