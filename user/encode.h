/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The encode stage: every record userns-watch writes (an alert, a stats, policy or alert_limit
 * record, an OCSF compliance finding) turned into bytes in the chosen format: a text line
 * (encode_text.c) or a JSON line (encode_json.c), as an ECS document (ecs.c) or an OCSF event
 * (ocsf.c) around the JSON record. Encoders only make bytes: the sinks (sink.c) deliver them.
 */
#ifndef UW_ENCODE_H
#define UW_ENCODE_H

#include <stdint.h>

#include "alert.h"
#include "counters.h"
#include "encoder.h"

struct uw_limit_note;
struct uw_audit_row;
struct uw_pin_gap;

/* Each returns 0 with the record in *r, or -1 with errno (ENOMEM). */
int uw_encode_alert(struct uw_encoder *e, const struct uw_alert *a, struct uw_rec *r);
int uw_encode_policy(struct uw_encoder *e, const struct uw_policy_note *n, struct uw_rec *r);
int uw_encode_limit(struct uw_encoder *e, const struct uw_limit_note *n, struct uw_rec *r);
/* The gap record: what the pinned kernel side kept while no watch ran (pin.h), in dir. */
int uw_encode_gap(struct uw_encoder *e, const struct uw_pin_gap *g, const char *dir, struct uw_rec *r);
int uw_encode_stats(struct uw_encoder *e, uint64_t now_real_ns, const struct uw_status *s,
		    struct uw_rec *r);
/* --once: one container's verdict ("compliance": a Compliance Finding in OCSF), then the
 * audit's summary ("audit_summary"). Return 1 (nothing to write) for text, which has the
 * audit's table instead. */
int uw_encode_compliance(struct uw_encoder *e, uint64_t ts_real_ns, const struct uw_audit_row *w,
			 const struct uw_meta *m, struct uw_rec *r);
struct uw_audit;
int uw_encode_audit_summary(struct uw_encoder *e, uint64_t ts_real_ns, const struct uw_audit *au,
			    struct uw_rec *r);

#endif
