// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The encoders (user/encode*.c): the envelope every JSON record shares (id, schema_version,
 * time) and the capability list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "jsonl.h"
#include "metadata.h"
#include "pin.h"
#include "sink.h"

/* An encoded record delivered as the pipeline delivers it: 0 or -1. */
static int put_alert(struct uw_encoder *e, struct uw_sinks *s, const struct uw_alert *a)
{
	struct uw_rec r;

	return uw_encode_alert(e, a, &r) || uw_sinks_deliver(s, &r) ? -1 : 0;
}

static int put_policy(struct uw_encoder *e, struct uw_sinks *s, const struct uw_policy_note *n)
{
	struct uw_rec r;

	return uw_encode_policy(e, n, &r) || uw_sinks_deliver(s, &r) ? -1 : 0;
}

/* Writes n policy records through a new output; returns the lines' ids, joined by spaces. */
static void ids_of(size_t n, char *ids, size_t cap)
{
	struct uw_encoder o;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	struct uw_sinks sk = { f, "node-1", NULL, NULL, NULL, 0 };
	struct uw_policy_note note = { 1, "loaded", "p.yaml", NULL, 0, NULL, NULL };
	json_t *l[8];
	int k, nl;

	uw_encoder_init(&o, UW_OUT_JSON, "node-1");
	for (i = 0; i < n; i++)
		assert_int_equal(put_policy(&o, &sk, &note), 0);
	uw_encoder_free(&o);
	nl = jl_lines(f, buf, l, 8);
	assert_int_equal(nl, (int)n);
	ids[0] = '\0';
	for (k = 0; k < nl; k++) {
		assert_string_equal(jl_str(l[k], "schema_version"), UW_SCHEMA_VERSION);
		if (ids[0])
			strncat(ids, " ", cap - strlen(ids) - 1);
		strncat(ids, jl_str(l[k], "id"), cap - strlen(ids) - 1);
	}
	jl_free(l, nl);
	fclose(f);
	free(buf);
}

static void test_record_ids(void **state)
{
	char a[256], b[256], run[17], want[256];
	size_t i;

	ids_of(3, a, sizeof(a));
	/* 16 hex digits of this run, then 1, 2, 3 */
	assert_int_equal(strspn(a, "0123456789abcdef"), 16);
	memcpy(run, a, 16);
	run[16] = '\0';
	snprintf(want, sizeof(want), "%s-1 %s-2 %s-3", run, run, run);
	assert_string_equal(a, want);
	/* another run, another run ID */
	ids_of(1, b, sizeof(b));
	assert_int_equal(strlen(b), 18);
	assert_memory_not_equal(a, b, 16);
	for (i = 0; i < 16; i++)
		assert_non_null(strchr("0123456789abcdef", b[i]));
}

static void test_random_hex(void **state)
{
	char h[65], odd[4];

	uw_random_hex(h, sizeof(h));
	assert_int_equal(strlen(h), 64);
	assert_int_equal(strspn(h, "0123456789abcdef"), 64);
	uw_random_hex(odd, sizeof(odd)); /* 3 digits asked: one byte, two digits */
	assert_int_equal(strlen(odd), 2);
}

/* RFC 3339 times, whole and cut to every smaller buffer the way snprintf cuts */
static void test_rfc3339(void **state)
{
	const char *want = "2025-11-22T08:26:40.000000042Z";
	char buf[40];
	size_t len;

	uw_rfc3339(1763800000000000042ULL, buf, sizeof(buf));
	assert_string_equal(buf, want);
	uw_rfc3339(1763800001123456789ULL, buf, sizeof(buf)); /* the next second: the date part anew */
	assert_string_equal(buf, "2025-11-22T08:26:41.123456789Z");
	for (len = 1; len <= strlen(want) + 1; len++) {
		memset(buf, 'x', sizeof(buf));
		uw_rfc3339(1763800000000000042ULL, buf, len);
		assert_int_equal(strlen(buf), len - 1);
		assert_memory_equal(buf, want, len - 1);
		assert_int_equal(buf[len], 'x'); /* nothing written past len */
	}
	memset(buf, 'x', sizeof(buf));
	uw_rfc3339(1763800000000000042ULL, buf, 0);
	assert_int_equal(buf[0], 'x');
}

/* One alert per capability set, a set repeated and changed: each line names its own set (the
 * writer keeps the last set's rendering for reuse) */
static void test_caps_rendered_per_set(void **state)
{
	static const struct uw_container c = { .id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
					       .runtime = "docker" };
	static const struct uw_ns ns = { .user = 4026531837u, .mnt = 1, .pid = 2, .net = 3 };
	const uint64_t sets[] = { 1ULL << 21, 1ULL << 21, (1ULL << 0) | (1ULL << 21), 0, 1ULL << 21, 1ULL << 63 };
	const char *want[] = { "[\"cap_sys_admin\"]", "[\"cap_sys_admin\"]",
			       "[\"cap_chown\",\"cap_sys_admin\"]", "[]", "[\"cap_sys_admin\"]",
			       "[\"cap_63\"]" };
	struct uw_alert a = { .kind = UW_AK_HOST_USERNS, .source = "exec", .severity = "critical",
			      .rule_id = UW_RULE_ID, .rule_text = UW_RULE_TEXT, .pid = 4242, .ppid = 1,
			      .comm = "sh", .exe = "/bin/sh", .ns = &ns, .container = &c, .cgroup_id = 77,
			      .cgroup_path = "/docker/x", .cgroup_hier = "v2" };
	struct uw_encoder o;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	struct uw_sinks sk = { f, "node-1", NULL, NULL, NULL, 0 };
	json_t *l[8];
	int nl;

	uw_encoder_init(&o, UW_OUT_JSON, "node-1");
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		a.cap_effective = sets[i];
		assert_int_equal(put_alert(&o, &sk, &a), 0);
	}
	uw_encoder_free(&o);
	nl = jl_lines(f, buf, l, 8);
	assert_int_equal(nl, (int)(sizeof(sets) / sizeof(sets[0])));
	for (i = 0; i < (size_t)nl; i++) {
		char *caps = json_dumps(jl_get(l[i], "process.cap_effective"), JSON_COMPACT);

		assert_non_null(caps);
		assert_string_equal(caps, want[i]);
		free(caps);
	}
	jl_free(l, nl);
	fclose(f);
	free(buf);
}

/* Text lines: a pod name, a container name from a cgroup path (LXC), a target's comm: whatever
 * they hold, none adds a field (quoted, or with its spaces and quotes escaped) */
/* The gap record, in text and JSON: every field, the severity by the previous stop and losses. */
static void test_gap_record(void **state)
{
	struct uw_pin_gap g;
	struct uw_encoder e;
	struct uw_rec r;
	json_t *j;

	memset(&g, 0, sizeof(g));
	g.have = 1;
	g.how = "adopted";
	g.started_real_ns = 1764928810000000000ULL;
	g.prev.pid = 4321;
	g.prev.started_real_ns = 1764928700000000000ULL;
	g.prev.heartbeat_real_ns = 1764928800000000000ULL;
	g.kept = 23;
	g.ncpu = 2;
	g.lost = 5;
	g.lost_cpu[1] = 5;
	uw_encoder_init(&e, UW_OUT_TEXT, "node-1");
	assert_int_equal(uw_encode_gap(&e, &g, "/sys/fs/bpf/a \"b\"", &r), 0);
	assert_string_equal(r.severity, "medium");
	assert_int_equal(r.len, strlen(r.buf));
	assert_string_equal(r.buf, "2025-12-05T10:00:10.000000000Z medium GAP adopted pin_dir=\"/sys/fs/bpf/a \\\"b\\\"\" "
				   "previous_pid=4321 previous_heartbeat=2025-12-05T10:00:00.000000000Z "
				   "previous_stop=unclean kept=23 unread=0 lost=5\n");
	uw_encoder_free(&e);

	uw_encoder_init(&e, UW_OUT_JSON, "node-1");
	g.lost = 0;
	g.lost_cpu[1] = 0;
	g.prev.stopped_real_ns = 1764928800000000000ULL;
	assert_int_equal(uw_encode_gap(&e, &g, "/sys/fs/bpf/userns-watch", &r), 0);
	assert_string_equal(r.severity, "info");
	j = json_loadb(r.buf, r.len, 0, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "event")), "gap");
	assert_string_equal(json_string_value(json_object_get(j, "how")), "adopted");
	assert_string_equal(json_string_value(json_object_get(j, "pin_dir")), "/sys/fs/bpf/userns-watch");
	assert_int_equal(json_integer_value(json_object_get(j, "down_ms")), 10000);
	assert_int_equal(json_integer_value(json_object_get(j, "kept")), 23);
	assert_int_equal(json_array_size(json_object_get(j, "lost_per_cpu")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "previous"), "pid")), 4321);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "previous"), "stopped")),
			    "2025-12-05T10:00:00.000000000Z");
	json_decref(j);
	uw_encoder_free(&e);
}

static void test_text_fields_not_forged(void **state)
{
	static const struct uw_container c = { .id = "web pid=1 source=snapshot", .runtime = "lxc" };
	static const struct uw_ns ns = { .user = 4026531837u, .mnt = 1, .pid = 2, .net = 3 };
	static const struct uw_target t = { .pid = 7, .comm = "x severity=info" };
	struct uw_meta m = { .pod_name = "p pid=1 source=snapshot allowed-by=kube severity=info",
			     .pod_namespace = "kube-system\" pid=2" };
	struct uw_alert a = { .kind = UW_AK_ESCAPE, .source = "ptrace_access", .severity = "critical",
			      .rule_id = UW_RULE_ID, .rule_text = UW_RULE_TEXT, .pid = 4242, .ppid = 1,
			      .comm = "sh", .exe = "/bin/sh", .ns = &ns, .container = &c, .meta = &m,
			      .escape_via = "ptrace_access", .target = &t, .cgroup_path = "/lxc.payload.web",
			      .cgroup_hier = "v2" };
	struct uw_encoder o;
	struct uw_rec r;

	uw_encoder_init(&o, UW_OUT_TEXT, "node-1");
	assert_int_equal(uw_encode_alert(&o, &a, &r), 0);
	assert_non_null(strstr(r.buf, " container=lxc:web\\x20pid=1\\x20source=snapshot "));
	assert_non_null(strstr(r.buf, " pod=\"kube-system\\\" pid=2/p pid=1 source=snapshot allowed-by=kube severity=info\" "));
	assert_non_null(strstr(r.buf, " target=7(x\\x20severity=info) "));
	/* the line's own fields, once each */
	assert_non_null(strstr(r.buf, " pid=4242 source=ptrace_access fix=\"isolate the node; make it unprivileged (lxc.idmap)\"\n"));
	assert_null(strstr(strstr(r.buf, " pid=4242 ") + 1, " pid="));
	uw_encoder_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_fields_not_forged),
		cmocka_unit_test(test_gap_record),
		cmocka_unit_test(test_record_ids),
		cmocka_unit_test(test_random_hex),
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_caps_rendered_per_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
