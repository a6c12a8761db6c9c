/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Text lines (-o text): each record as one line a person can scan. */
#ifndef UW_ENCODE_TEXT_H
#define UW_ENCODE_TEXT_H

#include "counters.h"
#include "encoder.h"

struct uw_limit_note;

/* Each fills r with the line: 0, or -1 (ENOMEM). */
int uw_text_alert(struct uw_encoder *e, const struct uw_alert *a, struct uw_rec *r);
struct uw_pin_gap;
int uw_text_gap(struct uw_encoder *e, const struct uw_pin_gap *g, const char *dir, const char *sev,
		struct uw_rec *r);
int uw_text_policy(struct uw_encoder *e, const struct uw_policy_note *n, const char *sev, struct uw_rec *r);
int uw_text_limit(struct uw_encoder *e, const struct uw_limit_note *n, struct uw_rec *r);
int uw_text_stats(struct uw_encoder *e, uint64_t now_ns, const struct uw_status *s, struct uw_rec *r);

#endif
