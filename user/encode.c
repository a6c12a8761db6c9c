// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The encode stage's entry points: each record in the chosen format, by the format's encoder
 * (encode_json.c, encode_text.c; what they share is envelope.c's). */
#include "encode.h"
#include "encode_json.h"
#include "encode_text.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "limiter.h"
#include "ocsf.h"
#include "pin.h"

/* What every record says of itself, for the sinks. */
static void rec_begin(struct uw_rec *r, uint64_t ts, const char *event, const char *sev)
{
	memset(r, 0, sizeof(*r));
	r->ts_real_ns = ts;
	r->event = event;
	r->severity = sev;
}

int uw_encode_alert(struct uw_encoder *e, const struct uw_alert *a, struct uw_rec *r)
{
	rec_begin(r, a->ts_real_ns, uw_alert_kind_name(a->kind), a->severity);
	r->alert = 1;
	r->kind = a->kind;
	r->runtime = a->container ? a->container->runtime : NULL;
	return e->fmt != UW_OUT_TEXT ? uw_json_alert(e, a, r) : uw_text_alert(e, a, r);
}

int uw_encode_policy(struct uw_encoder *e, const struct uw_policy_note *n, struct uw_rec *r)
{
	const char *sev = !strcmp(n->action, "rejected") || !strcmp(n->action, "expired") ? "medium" : "info";

	rec_begin(r, n->ts_real_ns, "policy", sev);
	return e->fmt == UW_OUT_TEXT ? uw_text_policy(e, n, sev, r) : uw_json_policy(e, n, sev, r);
}

int uw_encode_limit(struct uw_encoder *e, const struct uw_limit_note *n, struct uw_rec *r)
{
	rec_begin(r, n->ts_real_ns, "alert_limit", "medium");
	return e->fmt == UW_OUT_TEXT ? uw_text_limit(e, n, r) : uw_json_limit(e, n, r);
}

int uw_encode_gap(struct uw_encoder *e, const struct uw_pin_gap *g, const char *dir, struct uw_rec *r)
{
	/* a watch that did not stop cleanly (killed, crashed) or anything lost is worth a look */
	const char *sev = !g->prev.stopped_real_ns || g->lost || g->unread ? "medium" : "info";

	rec_begin(r, g->started_real_ns, "gap", sev);
	return e->fmt == UW_OUT_TEXT ? uw_text_gap(e, g, dir, sev, r) : uw_json_gap(e, g, dir, sev, r);
}

int uw_encode_stats(struct uw_encoder *e, uint64_t now_real_ns, const struct uw_status *s,
		    struct uw_rec *r)
{
	rec_begin(r, now_real_ns, "stats", "info");
	return e->fmt == UW_OUT_TEXT ? uw_text_stats(e, now_real_ns, s, r)
				     : uw_json_stats(e, now_real_ns, s, r);
}

int uw_encode_compliance(struct uw_encoder *e, uint64_t ts_real_ns, const struct uw_audit_row *w,
			 const struct uw_meta *m, struct uw_rec *r)
{
	const char *sev = w->host_procs && !w->allowed_by ? "high" : "info";
	char id[UW_ID_LEN];

	if (e->fmt == UW_OUT_TEXT)
		return 1;
	rec_begin(r, ts_real_ns, "compliance", sev);
	if (e->fmt != UW_OUT_OCSF)
		return uw_json_compliance(e, ts_real_ns, w, m, sev, r);
	uw_json_reset(&e->j);
	uw_enc_next_id(e, id);
	uw_json_obj_begin(&e->j, NULL);
	uw_ocsf_compliance(&e->j, ts_real_ns, id, e->host, w, m);
	uw_json_obj_end(&e->j);
	return uw_enc_json_raw_end(e, r);
}

int uw_encode_audit_summary(struct uw_encoder *e, uint64_t ts_real_ns, const struct uw_audit *au,
			    struct uw_rec *r)
{
	const char *sev = au->fails ? "high" : "info";

	if (e->fmt == UW_OUT_TEXT)
		return 1;
	rec_begin(r, ts_real_ns, "audit_summary", sev);
	return uw_json_audit_summary(e, ts_real_ns, au, sev, r);
}
