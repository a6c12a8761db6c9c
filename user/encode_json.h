/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* JSON lines (-o json; the record inside ECS's and OCSF's fields too): the body of each record. */
#ifndef UW_ENCODE_JSON_H
#define UW_ENCODE_JSON_H

#include "counters.h"
#include "encoder.h"

struct uw_limit_note;

/* Each fills r with the record: 0, or -1 (ENOMEM). */
int uw_json_alert(struct uw_encoder *e, const struct uw_alert *a, struct uw_rec *r);
struct uw_pin_gap;
int uw_json_gap(struct uw_encoder *e, const struct uw_pin_gap *g, const char *dir, const char *sev,
		struct uw_rec *r);
int uw_json_policy(struct uw_encoder *e, const struct uw_policy_note *n, const char *sev, struct uw_rec *r);
int uw_json_limit(struct uw_encoder *e, const struct uw_limit_note *n, struct uw_rec *r);
int uw_json_stats(struct uw_encoder *e, uint64_t now_ns, const struct uw_status *s, struct uw_rec *r);
/* --once: one container's verdict (an audit row, m: its metadata or NULL), and the summary */
struct uw_audit;
struct uw_audit_row;
struct uw_meta;
int uw_json_compliance(struct uw_encoder *e, uint64_t ts, const struct uw_audit_row *w, const struct uw_meta *m,
		       const char *sev, struct uw_rec *r);
int uw_json_audit_summary(struct uw_encoder *e, uint64_t ts, const struct uw_audit *au, const char *sev,
			  struct uw_rec *r);

#endif
