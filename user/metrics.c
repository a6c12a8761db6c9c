// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "metrics.h"

#include <inttypes.h>
#include <string.h>

#include "output.h"
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

static void per_cpu(FILE *f, const char *name, const char *help, const uint64_t *v, unsigned n)
{
	unsigned i;

	family(f, name, "counter", help);
	for (i = 0; v && i < n; i++)
		fprintf(f, "%s{cpu=\"%u\"} %" PRIu64 "\n", name, i, v[i]);
}

int uw_metrics_write(FILE *f, const struct uw_metrics_view *v)
{
	const struct uw_counts *c = v->c;
	const struct uw_alert_tally *t = v->t;
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

	per_cpu(f, "userns_watch_kernel_records_sent_total",
		"records the kernel side put in the ring buffer, per CPU", v->sent_per_cpu, v->ncpu);
	per_cpu(f, "userns_watch_kernel_records_lost_total",
		"records lost because the ring buffer was full, per CPU", v->lost_per_cpu, v->ncpu);
	family(f, "userns_watch_kernel_map_full_total", "counter",
	       "kernel-side state that could not be kept because its map was full");
	fprintf(f, "userns_watch_kernel_map_full_total{map=\"seen\"} %" PRIu64 "\n", c->kernel[UW_C_SEEN_FULL]);
	fprintf(f, "userns_watch_kernel_map_full_total{map=\"pending\"} %" PRIu64 "\n", c->kernel[UW_C_PENDING_FULL]);
	one(f, "userns_watch_kernel_late_total", "counter",
	    "namespace changes no hook saw, found later at exec, fork or exit", c->kernel[UW_C_LATE]);
	one(f, "userns_watch_kernel_repeats_total", "counter",
	    "execs and forks decided in the kernel as repeats of a task record already sent", c->kernel[UW_C_REPEAT]);
	one(f, "userns_watch_kernel_ignored_total", "counter",
	    "kernel candidates dropped because their cgroup is known to be no container", c->kernel[UW_C_IGNORED]);
	one(f, "userns_watch_records_received_total", "counter", "records read from the ring buffer", c->received);

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
	one(f, "userns_watch_violations_total", "counter", "violations found, before flood control", c->violations);
	one(f, "userns_watch_alerts_suppressed_total", "counter",
	    "alerts only counted: the container's budget was spent (flood control)", c->suppressed);
	one(f, "userns_watch_alerts_allowed_total", "counter", "alerts a policy rule allowed", c->allowed);
	one(f, "userns_watch_not_container_total", "counter",
	    "records about processes found to be in no container", c->not_container);
	one(f, "userns_watch_unresolved_total", "counter", "records whose cgroup could not be resolved",
	    c->unresolved);
	one(f, "userns_watch_bad_records_total", "counter", "malformed records from the ring buffer", c->bad_records);
	family(f, "userns_watch_map_update_failures_total", "counter",
	       "updates of the kernel's ignore, watched-cgroup and repeat maps that failed");
	fprintf(f, "userns_watch_map_update_failures_total{map=\"ignore\"} %" PRIu64 "\n", c->ignore_failed);
	fprintf(f, "userns_watch_map_update_failures_total{map=\"watched\"} %" PRIu64 "\n", c->watch_failed);
	fprintf(f, "userns_watch_map_update_failures_total{map=\"repeat\"} %" PRIu64 "\n", c->repeat_failed);

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
