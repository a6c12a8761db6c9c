/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * -o ocsf: each record as an OCSF event: alerts and the self record as Detection Findings
 * (class 2004), the other records (stats, policy, alert_limit) as Application Lifecycle events
 * (6002, activity Other) of userns-watch itself; the whole userns-watch record under
 * "unmapped"; with --once, a Compliance Finding (2003) per container. encoder.c opens
 * the event, this writes the OCSF attributes.
 */
#ifndef UW_OCSF_H
#define UW_OCSF_H

#include <stdint.h>
#include "json.h"

#define UW_OCSF_VERSION "1.8.0"

struct uw_alert;
struct uw_audit_row;
struct uw_meta;

void uw_ocsf_fields(struct uw_json *j, uint64_t ts_ns, const char *id, const char *event, const char *sev,
		    const struct uw_alert *a, const char *host);

/* --once: one Compliance Finding (class 2003) for a container the audit judged against CIS
 * Docker 5.31: the whole event, its row under "unmapped". */
void uw_ocsf_compliance(struct uw_json *j, uint64_t ts_ns, const char *id, const char *host,
			const struct uw_audit_row *w, const struct uw_meta *m);

#endif
