// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "metrics.h"

#include <inttypes.h>
#include <string.h>

#include "alert.h"
#include "counters.h"
#include "syslog5424.h"
#include "uw_event.h"

static const char *const sev_names[UW_TALLY_SEVS] = { "critical", "high", "medium", "low", "info", "other" };

static unsigned sev_slot(const char *s)
{
	unsigned i;

	for (i = 0; s && i < UW_TALLY_SEVS - 1; i++)
		if (!strcmp(s, sev_names[i]))
			return i;
	return UW_TALLY_SEVS - 1;
}

/* the runtime's slot: names are learnt in order, at most UW_TALLY_RUNTIMES - 1 of them, and
 * the rest share "other" (the runtimes are userns-watch's own names: a handful) */
static unsigned runtime_slot(struct uw_alert_tally *t, const char *r)
{
	unsigned i;

	if (!r || !*r || strlen(r) >= UW_TALLY_NAME)
		return UW_TALLY_RUNTIMES - 1;
	for (i = 0; i < t->nrt; i++)
		if (!strcmp(t->runtime[i], r))
			return i;
	if (t->nrt >= UW_TALLY_RUNTIMES - 1)
		return UW_TALLY_RUNTIMES - 1;
	strcpy(t->runtime[t->nrt], r);
	return t->nrt++;
}

void uw_tally_alert(struct uw_alert_tally *t, enum uw_alert_kind k, const char *severity, const char *runtime)
{
	if ((unsigned)k >= UW_AK_MAX)
		return;
	t->n[k][sev_slot(severity)][runtime_slot(t, runtime)]++;
}

int uw_health_ok(const struct uw_health *h, char *why, size_t len)
{
	int ok = 1;
	size_t off = 0;

	if (why && len)
		why[0] = '\0';
	if (!h->links || h->links_attached < h->links) {
		ok = 0;
		if (why && off < len)
			off += (size_t)snprintf(why + off, len - off, "%u of %u programs attached\n",
						h->links_attached, h->links);
	}
	if (!h->drained_ns || h->now_ns < h->drained_ns || h->now_ns - h->drained_ns > UW_HEALTH_DRAIN_NS) {
		ok = 0;
		if (why && off < len) {
			if (!h->drained_ns)
				snprintf(why + off, len - off, "the ring buffer has not been drained yet\n");
			else
				snprintf(why + off, len - off,
					 "the ring buffer has not been drained for %" PRIu64 " s\n",
					 (uint64_t)((h->now_ns - h->drained_ns) / 1000000000ULL));
		}
	}
	return ok;
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* a label value: backslash, double quote and newline escaped (ours are plain words, but a
 * version or runtime name is never trusted to be) */
static void label(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f), fputc(*s, f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void one(FILE *f, const char *name, const char *type, const char *help, uint64_t v)
{
	family(f, name, type, help);
	fprintf(f, "%s %" PRIu64 "\n", name, v);
}

/*
 * The series of one counter table (defs[0..n), values by index): a row's metric is a family
 * name, "name{label=\"value\"}" for one series of a family (its rows are consecutive, the
 * first says the family's HELP), or "name{cpu}" for one series per CPU (per_cpu[i]).
 */
static void table_series(FILE *f, const struct uw_counter_def *defs, size_t n,
			 uint64_t (*value)(const void *ctx, size_t i), const void *ctx,
			 const uint64_t *const *per_cpu, unsigned ncpu)
{
	char fam[128] = "";
	size_t i;
	unsigned c;

	for (i = 0; i < n; i++) {
		const char *m = defs[i].metric, *brace = strchr(m, '{');
		size_t flen = brace ? (size_t)(brace - m) : strlen(m);

		if (!m[0] || flen + 14 >= sizeof(fam))
			continue;
		if (strlen(fam) != flen + 13 || strncmp(fam + 13, m, flen)) {
			snprintf(fam, sizeof(fam), "userns_watch_%.*s", (int)flen, m);
			family(f, fam, "counter", defs[i].family_help[0] ? defs[i].family_help : defs[i].help);
		}
		if (!brace) {
			fprintf(f, "%s %" PRIu64 "\n", fam, value(ctx, i));
		} else if (!strcmp(brace, "{cpu}")) {
			for (c = 0; per_cpu && per_cpu[i] && c < ncpu; c++)
				fprintf(f, "%s{cpu=\"%u\"} %" PRIu64 "\n", fam, c, per_cpu[i][c]);
		} else {
			fprintf(f, "%s%s %" PRIu64 "\n", fam, brace, value(ctx, i));
		}
	}
}

static uint64_t kernel_value(const void *ctx, size_t i)
{
	return ((const struct uw_status *)ctx)->kernel[i];
}

static uint64_t user_value(const void *ctx, size_t i)
{
	return uw_counter_value(((const struct uw_status *)ctx)->c, &uw_counter_defs[i]);
}

int uw_metrics_write(FILE *f, const struct uw_metrics_view *v)
{
	const struct uw_status *c = v->s;
	const struct uw_alert_tally *t = v->t;
	const uint64_t *per_cpu[UW_C_MAX] = { [UW_C_SENT] = v->sent_per_cpu, [UW_C_LOST] = v->lost_per_cpu };
	unsigned k, s, r;

	family(f, "userns_watch_build_info", "gauge", "userns-watch's version, libbpf's, and the hooks in use");
	fputs("userns_watch_build_info{version=\"", f);
	label(f, v->version);
	fputs("\",libbpf=\"", f);
	label(f, v->libbpf);
	fputs("\",hooks=\"", f);
	label(f, c->hooks);
	fputs("\",transition_hooks=\"", f);
	label(f, c->transition_hooks);
	fputs("\"} 1\n", f);
	family(f, "userns_watch_start_time_seconds", "gauge", "when the watch started, in seconds since the epoch");
	fprintf(f, "userns_watch_start_time_seconds %.3f\n", v->start_time);

	table_series(f, uw_kernel_counter_defs, UW_C_MAX, kernel_value, c, per_cpu, v->ncpu);
	table_series(f, uw_counter_defs, uw_counter_ndefs, user_value, c, NULL, 0);

	family(f, "userns_watch_alerts_total", "counter",
	       "alert records written (after flood control), by event, severity and runtime");
	for (k = 0; k < UW_AK_MAX; k++)
		for (s = 0; s < UW_TALLY_SEVS; s++)
			for (r = 0; r < UW_TALLY_RUNTIMES; r++) {
				if (!t || !t->n[k][s][r])
					continue;
				fprintf(f, "userns_watch_alerts_total{event=\"%s\",severity=\"%s\",runtime=\"",
					uw_alert_kind_name((enum uw_alert_kind)k), sev_names[s]);
				label(f, r < t->nrt ? t->runtime[r] : "other");
				fprintf(f, "\"} %" PRIu64 "\n", t->n[k][s][r]);
			}

	one(f, "userns_watch_ringbuf_used_bytes", "gauge", "bytes waiting in the ring buffer", v->ring_used);
	one(f, "userns_watch_ringbuf_size_bytes", "gauge", "the ring buffer's size", v->ring_size);
	if (v->h) {
		one(f, "userns_watch_programs", "gauge", "live hooks attached at set-up", v->h->links);
		one(f, "userns_watch_programs_attached", "gauge", "live hooks the kernel shows attached now",
		    v->h->links_attached);
		one(f, "userns_watch_healthy", "gauge", "1 when /healthz says 200", (uint64_t)uw_health_ok(v->h, NULL, 0));
	}
	if (c->syslog) {
		one(f, "userns_watch_syslog_sent_total", "counter", "records delivered to the syslog receiver",
		    c->syslog->sent);
		one(f, "userns_watch_syslog_dropped_total", "counter", "records dropped: the syslog queue was full",
		    c->syslog->dropped);
		one(f, "userns_watch_syslog_queued_bytes", "gauge", "bytes waiting for the syslog receiver",
		    c->syslog->qbytes);
		one(f, "userns_watch_syslog_up", "gauge", "1 while the syslog receiver takes records",
		    (uint64_t)!!c->syslog->up);
	}
	return ferror(f) ? -1 : 0;
}
