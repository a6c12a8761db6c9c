// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --metrics: the alert tally, /healthz's verdict, and the exposition text, line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "alert.h"
#include "counters.h"
#include "syslog5424.h"
#include "uw_event.h"

#define S 1000000000ULL

static void test_tally_slots(void **state)
{
	struct uw_alert_tally *t = calloc(1, sizeof(*t));
	char name[UW_TALLY_NAME + 8];
	unsigned i;

	assert_non_null(t);
	uw_tally_alert(t, UW_AK_HOST_USERNS, "critical", "docker");
	uw_tally_alert(t, UW_AK_HOST_USERNS, "critical", "docker");
	uw_tally_alert(t, UW_AK_HOST_USERNS, "high", "containerd");
	uw_tally_alert(t, UW_AK_ESCAPE, "bogus", "docker");     /* an unknown severity: "other" */
	uw_tally_alert(t, UW_AK_SELF, "info", NULL);            /* no runtime: "other" */
	uw_tally_alert(t, UW_AK_MAX, "high", "docker");         /* no such kind: not counted */
	assert_int_equal(t->nrt, 2);
	assert_string_equal(t->runtime[0], "docker");
	assert_string_equal(t->runtime[1], "containerd");
	assert_int_equal(t->n[UW_AK_HOST_USERNS][0][0], 2);
	assert_int_equal(t->n[UW_AK_HOST_USERNS][1][1], 1);
	assert_int_equal(t->n[UW_AK_ESCAPE][UW_TALLY_SEVS - 1][0], 1);
	assert_int_equal(t->n[UW_AK_SELF][4][UW_TALLY_RUNTIMES - 1], 1);

	/* more runtimes than slots: the rest share "other", nothing is lost */
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "rt%u", i);
		uw_tally_alert(t, UW_AK_USERNS_ENTER, "medium", name);
	}
	assert_int_equal(t->nrt, UW_TALLY_RUNTIMES - 1);
	assert_int_equal(t->n[UW_AK_USERNS_ENTER][2][UW_TALLY_RUNTIMES - 1], 40 - (UW_TALLY_RUNTIMES - 1 - 2));
	/* a name too long for a slot is "other" too */
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	uw_tally_alert(t, UW_AK_USERNS_ENTER, "medium", name);
	assert_int_equal(t->n[UW_AK_USERNS_ENTER][2][UW_TALLY_RUNTIMES - 1], 40 - (UW_TALLY_RUNTIMES - 1 - 2) + 1);
	free(t);
}

static void test_health(void **state)
{
	struct uw_health h = { .links = 10, .links_attached = 10, .now_ns = 100 * S, .drained_ns = 99 * S };
	char why[256];

	assert_int_equal(uw_health_ok(&h, why, sizeof(why)), 1);
	assert_string_equal(why, "");
	h.drained_ns = 100 * S - UW_HEALTH_DRAIN_NS; /* exactly the limit: still healthy */
	assert_int_equal(uw_health_ok(&h, why, sizeof(why)), 1);
	h.drained_ns = 94 * S;
	assert_int_equal(uw_health_ok(&h, why, sizeof(why)), 0);
	assert_string_equal(why, "the ring buffer has not been drained for 6 s\n");
	h.drained_ns = 0;
	assert_int_equal(uw_health_ok(&h, why, sizeof(why)), 0);
	assert_string_equal(why, "the ring buffer has not been drained yet\n");
	h.drained_ns = 99 * S;
	h.links_attached = 9;
	assert_int_equal(uw_health_ok(&h, why, sizeof(why)), 0);
	assert_string_equal(why, "9 of 10 programs attached\n");
	h.drained_ns = 1 * S;
	assert_int_equal(uw_health_ok(&h, why, sizeof(why)), 0);
	assert_string_equal(why, "9 of 10 programs attached\nthe ring buffer has not been drained for 99 s\n");
	/* no live hook at all is not healthy */
	h.links = h.links_attached = 0;
	h.drained_ns = 99 * S;
	assert_int_equal(uw_health_ok(&h, NULL, 0), 0);
	/* a clock before the drain (never, but never trusted) */
	h.links = h.links_attached = 1;
	h.drained_ns = 200 * S;
	assert_int_equal(uw_health_ok(&h, why, 8), 0); /* a short buffer is cut, not overrun */
	assert_int_equal(strlen(why), 7);
}

/* the value of the sample line that starts with prefix (name and labels), -1 if none */
static long long sample(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while ((p = strstr(p, prefix))) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtoll(p + n + 1, NULL, 10);
		p += n;
	}
	return -1;
}

static void test_write(void **state)
{
	struct uw_alert_tally *t = calloc(1, sizeof(*t));
	struct uw_counters uc = { 0 };
	struct uw_status c = { .c = &uc };
	struct uw_syslog sl = { .sent = 7, .dropped = 2, .qbytes = 300, .up = 1 };
	struct uw_health h = { .links = 3, .links_attached = 3, .now_ns = 10 * S, .drained_ns = 9 * S };
	uint64_t sent[2] = { 11, 13 }, lost[2] = { 0, 5 };
	struct uw_metrics_view v = {
		.version = "0.1.0", .libbpf = "v1.1",
		.start_time = 1700000000.25, .s = &c, .sent_per_cpu = sent, .lost_per_cpu = lost, .ncpu = 2,
		.ring_used = 4096, .ring_size = 4194304, .t = t, .h = &h,
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(t);
	c.hooks = "tp_btf";
	c.transition_hooks = "tracepoint";
	c.kernel[UW_C_SEEN_FULL] = 3;
	c.kernel[UW_C_PENDING_FULL] = 4;
	c.kernel[UW_C_LATE] = 12;
	c.kernel[UW_C_IGNORED] = 14;
	uc.unresolved = 15;
	uc.bad_records = 16;
	uc.received = 24;
	uc.violations = 9;
	uc.suppressed = 6;
	uc.allowed = 1;
	uc.not_container = 8;
	uc.ignore_failed = 2;
	uc.watch_failed = 1;
	uc.repeat_failed = 5;
	c.syslog = &sl;
	uw_tally_alert(t, UW_AK_HOST_USERNS, "critical", "docker");
	uw_tally_alert(t, UW_AK_HOST_USERNS, "critical", "docker");
	uw_tally_alert(t, UW_AK_USERNS_ENTER, "high", "we\"ird\\\nname");
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(uw_metrics_write(f, &v), 0);
	fclose(f);

	assert_int_equal(sample(buf, "userns_watch_build_info{version=\"0.1.0\",libbpf=\"v1.1\",hooks=\"tp_btf\","
				     "transition_hooks=\"tracepoint\"}"), 1);
	assert_non_null(strstr(buf, "\nuserns_watch_start_time_seconds 1700000000.250\n"));
	assert_int_equal(sample(buf, "userns_watch_kernel_records_sent_total{cpu=\"0\"}"), 11);
	assert_int_equal(sample(buf, "userns_watch_kernel_records_sent_total{cpu=\"1\"}"), 13);
	assert_int_equal(sample(buf, "userns_watch_kernel_records_lost_total{cpu=\"1\"}"), 5);
	assert_int_equal(sample(buf, "userns_watch_kernel_records_lost_total{cpu=\"2\"}"), -1);
	assert_int_equal(sample(buf, "userns_watch_kernel_map_full_total{map=\"seen\"}"), 3);
	assert_int_equal(sample(buf, "userns_watch_kernel_map_full_total{map=\"pending\"}"), 4);
	assert_int_equal(sample(buf, "userns_watch_kernel_late_total"), 12);
	assert_int_equal(sample(buf, "userns_watch_kernel_ignored_total"), 14);
	assert_int_equal(sample(buf, "userns_watch_unresolved_total"), 15);
	assert_int_equal(sample(buf, "userns_watch_bad_records_total"), 16);
	assert_int_equal(sample(buf, "userns_watch_records_received_total"), 24);
	assert_int_equal(sample(buf, "userns_watch_alerts_total{event=\"host_userns\",severity=\"critical\",runtime=\"docker\"}"), 2);
	/* a label value is escaped: quote, backslash and newline */
	assert_int_equal(sample(buf, "userns_watch_alerts_total{event=\"userns_enter\",severity=\"high\","
				     "runtime=\"we\\\"ird\\\\\\nname\"}"), 1);
	assert_int_equal(sample(buf, "userns_watch_violations_total"), 9);
	assert_int_equal(sample(buf, "userns_watch_alerts_suppressed_total"), 6);
	assert_int_equal(sample(buf, "userns_watch_alerts_allowed_total"), 1);
	assert_int_equal(sample(buf, "userns_watch_not_container_total"), 8);
	assert_int_equal(sample(buf, "userns_watch_map_update_failures_total{map=\"ignore\"}"), 2);
	assert_int_equal(sample(buf, "userns_watch_map_update_failures_total{map=\"watched\"}"), 1);
	assert_int_equal(sample(buf, "userns_watch_map_update_failures_total{map=\"repeat\"}"), 5);
	assert_int_equal(sample(buf, "userns_watch_ringbuf_used_bytes"), 4096);
	assert_int_equal(sample(buf, "userns_watch_ringbuf_size_bytes"), 4194304);
	assert_int_equal(sample(buf, "userns_watch_programs"), 3);
	assert_int_equal(sample(buf, "userns_watch_programs_attached"), 3);
	assert_int_equal(sample(buf, "userns_watch_healthy"), 1);
	assert_int_equal(sample(buf, "userns_watch_syslog_sent_total"), 7);
	assert_int_equal(sample(buf, "userns_watch_syslog_dropped_total"), 2);
	assert_int_equal(sample(buf, "userns_watch_syslog_queued_bytes"), 300);
	assert_int_equal(sample(buf, "userns_watch_syslog_up"), 1);
	/* every family is declared once, before its samples */
	assert_non_null(strstr(buf, "# TYPE userns_watch_alerts_total counter\n"));
	assert_non_null(strstr(buf, "# TYPE userns_watch_ringbuf_used_bytes gauge\n"));
	free(buf);

	/* without syslog no syslog family; an unhealthy watch says 0 */
	c.syslog = NULL;
	h.drained_ns = 0;
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(uw_metrics_write(f, &v), 0);
	fclose(f);
	assert_null(strstr(buf, "syslog"));
	assert_int_equal(sample(buf, "userns_watch_healthy"), 0);
	free(buf);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tally_slots),
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
