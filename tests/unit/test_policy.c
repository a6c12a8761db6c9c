// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"

static const char good[] =
	"allow:\n"
	"  - name: node-agents\n"
	"    reason: \"privileged by design, reviewed 2026-11\"\n"
	"    expires: 2027-05-01T00:00:00Z\n"
	"    match:\n"
	"      runtime: containerd\n"
	"      pod_namespace: kube-system\n"
	"      pod_name: \"cilium-*\"\n"
	"      container_name: \"*\"\n"
	"      image: \"registry.example/cilium/*\"\n"
	"      container_id: \"3f9a*\"\n"
	"  - name: csi\n"
	"    reason: mounts for pods\n"
	"    match: { pod_namespace: kube-system, pod_name: \"csi-?\" }\n"
	"    events: [host_userns, escape]\n";

#define T2027 (1809129600LL * 1000000000LL) /* 2027-05-01T00:00:00Z */

static void test_parse_good(void **state)
{
	struct uw_policy p;
	char err[512] = "";

	(void)state;
	assert_int_equal(uw_policy_parse(good, strlen(good), "p.yaml", &p, err, sizeof(err)), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.rules[0].name, "node-agents");
	assert_string_equal(p.rules[0].reason, "privileged by design, reviewed 2026-11");
	assert_true(p.rules[0].expires_ns == T2027);
	assert_string_equal(p.rules[0].match[UW_PF_POD_NAME], "cilium-*");
	assert_string_equal(p.rules[0].match[UW_PF_CONTAINER_ID], "3f9a*");
	assert_int_equal(p.rules[0].events, 1u << UW_AK_HOST_USERNS);
	assert_null(p.rules[1].match[UW_PF_RUNTIME]);
	assert_int_equal(p.rules[1].events, (1u << UW_AK_HOST_USERNS) | (1u << UW_AK_ESCAPE));
	uw_policy_free(&p);
}

struct bad {
	const char *yaml;
	const char *err;
};

static void test_parse_bad(void **state)
{
	static const struct bad cases[] = {
		{ "", "p.yaml:1:1: the policy is empty" },
		{ "- a\n", "p.yaml:1:1: the policy must be a mapping with an allow list, not a list" },
		{ "allow: [\n", "p.yaml:2:1: " },
		{ "deny: []\n", "p.yaml:1:1: unknown key 'deny' (want allow)" },
		{ "allow: 3\n", "p.yaml:1:8: allow must be a list of rules, not a value" },
		{ "allow:\n  - reason: r\n    match: {runtime: docker}\n", "p.yaml:2:5: a rule has no name" },
		{ "allow:\n  - name: a\n    match: {runtime: docker}\n", "p.yaml:2:5: rule 'a' has no reason" },
		{ "allow:\n  - name: a\n    reason: r\n", "p.yaml:2:5: rule 'a' has no match" },
		{ "allow:\n  - name: a\n    reason: r\n    match: {}\n", "p.yaml:4:12: match is empty" },
		{ "allow:\n  - name: a\n    reason: r\n    match: {pod: x}\n", "p.yaml:4:13: unknown key 'pod' in match" },
		{ "allow:\n  - name: a\n    reason: r\n    nmae: b\n    match: {runtime: x}\n",
		  "p.yaml:4:5: unknown key 'nmae' in a rule" },
		{ "allow:\n  - name: a\n    reason: r\n    match: {runtime: x}\n  - name: a\n    reason: r\n    match: {runtime: y}\n",
		  "p.yaml:5:11: rule name 'a' is used twice" },
		{ "allow:\n  - name: a\n    reason: r\n    expires: tomorrow\n    match: {runtime: x}\n",
		  "p.yaml:4:14: expires must be a UTC time" },
		{ "allow:\n  - name: a\n    reason: r\n    expires: 4054-01-01T00:00:00Z\n    match: {runtime: x}\n",
		  "p.yaml:4:14: expires must be a UTC time" },
		{ "allow:\n  - name: a\n    reason: r\n    events: [exec]\n    match: {runtime: x}\n",
		  "p.yaml:4:14: unknown event in events" },
		{ "allow:\n  - name: \"\"\n    reason: r\n    match: {runtime: x}\n", "p.yaml:2:11: name is empty" },
		{ "allow:\n  - name: [a]\n    reason: r\n    match: {runtime: x}\n", "p.yaml:2:11: name must be a string, not a list" },
		{ "allow:\n  - name: \"a\\x1b[31m\"\n    reason: r\n    match: {runtime: x}\n", "p.yaml:2:11: name holds a control character" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct uw_policy p;
		char err[512] = "";

		if (uw_policy_parse(cases[i].yaml, strlen(cases[i].yaml), "p.yaml", &p, err, sizeof(err)) != -1 ||
		    strncmp(err, cases[i].err, strlen(cases[i].err))) {
			print_error("case %zu: got '%s', want '%s...'\n", i, err, cases[i].err);
			fail();
		}
	}
}

static void test_match(void **state)
{
	struct uw_policy p;
	struct uw_policy_rule *r, *expired;
	struct uw_policy_subject s = { { "containerd", "kube-system", "cilium-x8k2", "agent",
					 "registry.example/cilium/cilium:1.15", "3f9a00" },
				       UW_AK_HOST_USERNS };
	char err[512];

	(void)state;
	assert_int_equal(uw_policy_parse(good, strlen(good), "p.yaml", &p, err, sizeof(err)), 0);
	r = uw_policy_match(&p, &s, T2027 - 1, &expired);
	assert_non_null(r);
	assert_string_equal(r->name, "node-agents");
	assert_null(expired);
	/* a transition is not allowed by a rule that does not list it */
	s.kind = UW_AK_ESCAPE;
	assert_null(uw_policy_match(&p, &s, T2027 - 1, &expired));
	s.kind = UW_AK_HOST_USERNS;
	/* every field must match; an unknown one is "" */
	s.field[UW_PF_IMAGE] = "registry.example/other:1";
	assert_null(uw_policy_match(&p, &s, T2027 - 1, &expired));
	s.field[UW_PF_IMAGE] = "";
	assert_null(uw_policy_match(&p, &s, T2027 - 1, &expired));
	s.field[UW_PF_IMAGE] = "registry.example/cilium/cilium:1.15";
	/* expired: no longer matches, and is told once */
	assert_null(uw_policy_match(&p, &s, T2027, &expired));
	assert_non_null(expired);
	assert_string_equal(expired->name, "node-agents");
	assert_null(uw_policy_match(&p, &s, T2027 + 1, &expired));
	assert_null(expired);
	/* the second rule: ? is one character, and it allows escapes */
	s.field[UW_PF_POD_NAME] = "csi-7";
	s.kind = UW_AK_ESCAPE;
	r = uw_policy_match(&p, &s, T2027, &expired);
	assert_non_null(r);
	assert_string_equal(r->name, "csi");
	s.field[UW_PF_POD_NAME] = "csi-77";
	assert_null(uw_policy_match(&p, &s, T2027, &expired));
	uw_policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
