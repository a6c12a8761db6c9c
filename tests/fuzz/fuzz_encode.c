// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Every encoder (user/encode*.c, ecs.c, ocsf.c) and the syslog framing (user/syslog5424.c) over
 * records whose every string a container or its creator controls comes from the input: the
 * program, comm, container IDs, pod UID, name, image, pod, cgroup paths, the target's comm and
 * program, a policy rule's name, a host name. Invariants, for each format:
 *  - one record is one line: it ends with its only newline, and holds no NUL;
 *  - JSON, ECS and OCSF: the line parses strictly (jansson: RFC 8259, no NUL, no key twice in
 *    an object) into an object;
 *  - text: outside quotes, every word with '=' has a key of [a-z_-] and no key comes twice
 *    (a value cannot end itself and add a field);
 *  - syslog: "<PRI>1 " then five header fields of printable ASCII, "- " and the record as MSG;
 *    in the local form (unix sockets) "<PRI>Mmm dd hh:mm:ss userns-watch[PID]: " and the record.
 * Input: a byte of choices (kind, -v, escape, metadata), then the strings, split at 0xff.
 */
#include <jansson.h>

#include "encode.h"
#include "fuzz.h"
#include "limiter.h"
#include "metadata.h"
#include "pin.h"
#include "syslog5424.h"

enum { F_EXE, F_COMM, F_ID, F_POD_UID, F_NAME, F_IMAGE, F_POD, F_POD_NS, F_CGROUP, F_ORIGIN_CG,
       F_TCOMM, F_TEXE, F_RULE, F_HOST, F_OTHER_ID, F_FILE, F_N };

static void field(char *out, size_t cap, const char *s)
{
	snprintf(out, cap, "%s", s);
}

/* Outside quotes, no key twice, and each key is [a-z_-]+ (text lines). */
static void check_text(const char *b, size_t len)
{
	char keys[64][32];
	size_t nk = 0, i = 0, k;

	while (i < len) {
		size_t start = i, eq = 0;
		int quoted = 0;

		while (i < len && (quoted || b[i] != ' ')) {
			if (b[i] == '\\' && quoted)
				i++;
			else if (b[i] == '"')
				quoted = !quoted;
			else if (b[i] == '=' && !quoted && !eq)
				eq = i;
			i++;
		}
		FUZZ_CHECK(!quoted);
		if (eq && eq > start && b[start] != '[') {
			size_t kl = eq - start;

			FUZZ_CHECK(kl < sizeof(keys[0]));
			for (k = start; k < eq; k++)
				FUZZ_CHECK((b[k] >= 'a' && b[k] <= 'z') || b[k] == '_' || b[k] == '-');
			for (k = 0; k < nk; k++)
				FUZZ_CHECK(strlen(keys[k]) != kl || memcmp(keys[k], b + start, kl));
			FUZZ_CHECK(nk < 64);
			memcpy(keys[nk], b + start, kl);
			keys[nk++][kl] = 0;
		}
		i++;
	}
}

static void check_syslog(const char *rec, size_t len, const char *host)
{
	static char buf[1 << 17];
	size_t n = uw_syslog_format(buf, sizeof(buf), 84, 1764928800123456789ULL, host, "userns-watch",
				    4242, "host_userns", rec, len);
	size_t i = 0, f;

	if (n >= sizeof(buf))
		return;
	FUZZ_CHECK(n == strlen(buf));
	FUZZ_CHECK(!strncmp(buf, "<84>1 ", 6));
	i = 6;
	for (f = 0; f < 5; f++) { /* TIMESTAMP HOSTNAME APP-NAME PROCID MSGID */
		size_t s = i;

		while (i < n && buf[i] != ' ') {
			FUZZ_CHECK(buf[i] >= 33 && buf[i] <= 126);
			i++;
		}
		FUZZ_CHECK(i > s && i < n);
		i++;
	}
	FUZZ_CHECK(!strncmp(buf + i, "- ", 2));
	FUZZ_CHECK(n - i - 2 == len && !memcmp(buf + i + 2, rec, len));
	/* the local form (unix sockets): "<84>Mmm dd hh:mm:ss userns-watch[4242]: " and the record */
	n = uw_syslog_format_local(buf, sizeof(buf), 84, 1764928800123456789ULL, "userns-watch", 4242, rec, len);
	if (n >= sizeof(buf))
		return;
	FUZZ_CHECK(n == strlen(buf) && n > 40);
	FUZZ_CHECK(!strncmp(buf, "<84>", 4) && buf[7] == ' ' && buf[10] == ' ' && buf[13] == ':' && buf[16] == ':');
	FUZZ_CHECK(!strncmp(buf + 19, " userns-watch[4242]: ", 21));
	FUZZ_CHECK(n - 40 == len && !memcmp(buf + 40, rec, len));
}

static void check(struct uw_encoder *e, const struct uw_rec *r, const char *host)
{
	FUZZ_CHECK(r->len > 0 && r->buf[r->len - 1] == '\n');
	FUZZ_CHECK(!memchr(r->buf, '\n', r->len - 1));
	FUZZ_CHECK(!memchr(r->buf, '\0', r->len));
	if (e->fmt == UW_OUT_TEXT) {
		check_text(r->buf, r->len - 1);
	} else {
		json_error_t err;
		json_t *j = json_loadb(r->buf, r->len - 1, JSON_REJECT_DUPLICATES, &err);

		FUZZ_CHECK(j && json_is_object(j));
		json_decref(j);
	}
	check_syslog(r->buf, r->len - 1, host);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const enum uw_format fmts[] = { UW_OUT_TEXT, UW_OUT_TEXT, UW_OUT_JSON, UW_OUT_ECS, UW_OUT_OCSF };
	char *in, *f[F_N], *p;
	uint8_t ch;
	size_t i, k;
	struct uw_container c = { .runtime = "lxc" }, other = { .runtime = "docker" };
	struct uw_meta m = { .userns_requested = -1 };
	struct uw_target t = { .pid = 7 };
	struct uw_ns ns = { .user = 4026531837u, .mnt = 4026532301u, .pid = 4026531836u };
	struct uw_transition_event tr;
	struct uw_alert a;
	struct uw_kstate ks = { 0 };
	struct uw_policy_note pn;
	struct uw_limit_note ln;
	struct uw_pin_gap g;

	if (n < 1)
		return 0;
	ch = d[0];
	in = fuzz_cstr(d + 1, n - 1);
	/* the strings, split at 0xff; those not given are empty */
	for (i = 0, p = in; i < F_N; i++) {
		f[i] = p;
		if (p) {
			char *sep = memchr(p, 0xff, strlen(p));

			if (sep)
				*sep++ = 0;
			p = sep;
		}
		if (!f[i])
			f[i] = "";
	}
	field(c.id, sizeof(c.id), f[F_ID]);
	field(c.pod_uid, sizeof(c.pod_uid), f[F_POD_UID]);
	field(other.id, sizeof(other.id), f[F_OTHER_ID]);
	field(m.name, sizeof(m.name), f[F_NAME]);
	field(m.image, sizeof(m.image), f[F_IMAGE]);
	field(m.pod_name, sizeof(m.pod_name), f[F_POD]);
	field(m.pod_namespace, sizeof(m.pod_namespace), f[F_POD_NS]);
	field(m.pod_uid, sizeof(m.pod_uid), f[F_POD_UID]);
	m.vouched = ch & 7;
	field(t.comm, sizeof(t.comm), f[F_TCOMM]);
	field(t.exe, sizeof(t.exe), f[F_TEXE]);
	t.container = ch & 0x40 ? &other : NULL;
	memset(&tr, 0, sizeof(tr));
	tr.syscall = UW_SYS_SETNS;
	tr.before = tr.after = ns;
	tr.tflags = ch & 0x20 ? UW_TF_LATE : 0;

	memset(&a, 0, sizeof(a));
	a.kind = (enum uw_alert_kind)((ch >> 3) % UW_AK_MAX);
	a.source = "exec";
	a.severity = "critical";
	a.rule_id = "CIS-Docker-5.31";
	a.rule_text = "rule";
	a.ts_real_ns = 1764928800123456789ULL;
	a.pid = 4242;
	a.comm = f[F_COMM];
	a.exe = f[F_EXE];
	a.exe_kind = "path";
	a.exe_view = "process";
	a.exe_ino = 12;
	a.exe_dev = 1;
	a.ns = &ns;
	a.container = &c;
	a.evidence = UW_EV_CGROUP;
	a.cgroup_path = f[F_CGROUP];
	a.cgroup_hier = "v2";
	a.origin_cgroup_path = f[F_ORIGIN_CG];
	a.origin_how = UW_ORIGIN_PLACED;
	a.meta = ch & 0x80 ? &m : NULL;
	if (a.kind != UW_AK_HOST_USERNS && a.kind != UW_AK_SELF)
		a.tr = &tr;
	if (a.kind == UW_AK_ESCAPE && (ch & 0x40)) {
		a.escape_via = "ptrace_access";
		a.target = &t;
	}
	if (a.kind == UW_AK_CGROUP_MOVE)
		a.moved_to = ch & 0x40 ? &other : NULL;
	if (a.kind == UW_AK_USERNS_ENTER)
		a.origin = &other;
	if (f[F_RULE][0]) {
		a.policy_rule = f[F_RULE];
		a.policy_reason = f[F_RULE];
	}
	pn = (struct uw_policy_note){ a.ts_real_ns, "rejected", f[F_FILE], NULL, 2, f[F_RULE], "file" };
	ln = (struct uw_limit_note){ a.ts_real_ns, "reached", c.id, strlen(c.id), "lxc", "host_userns",
				     5, &ks, 1, &c };

	/* the gap record: its directory is the operator's, escaped all the same */
	memset(&g, 0, sizeof(g));
	g.have = 1;
	g.how = ch & 1 ? "adopted" : "replaced_layout";
	g.started_real_ns = a.ts_real_ns;
	g.prev.pid = 7;
	g.prev.heartbeat_real_ns = ch & 2 ? a.ts_real_ns - 5000000000ULL : 0;
	g.prev.stopped_real_ns = ch & 4 ? a.ts_real_ns - 6000000000ULL : 0;
	g.kept = ch;
	g.unread = ch & 8;
	g.ncpu = ch & 3;
	g.lost_cpu[0] = ch;

	for (k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		struct uw_encoder e;
		struct uw_rec r;

		uw_encoder_init(&e, fmts[k], f[F_HOST][0] ? f[F_HOST] : "node-1");
		e.verbose = k == 1;
		if (a.kind != UW_AK_SELF || fmts[k] != UW_OUT_OCSF) {
			FUZZ_CHECK(uw_encode_alert(&e, &a, &r) == 0);
			check(&e, &r, f[F_HOST]);
		}
		FUZZ_CHECK(uw_encode_policy(&e, &pn, &r) == 0);
		check(&e, &r, f[F_HOST]);
		FUZZ_CHECK(uw_encode_limit(&e, &ln, &r) == 0);
		check(&e, &r, f[F_HOST]);
		FUZZ_CHECK(uw_encode_gap(&e, &g, f[F_FILE], &r) == 0);
		check(&e, &r, f[F_HOST]);
		uw_encoder_free(&e);
	}
	free(in);
	return 0;
}
