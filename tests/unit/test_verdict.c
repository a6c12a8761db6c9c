// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The namespace decisions the BPF programs and userspace share (include/uw_verdict.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "uw_verdict.h"

static const struct uw_ns host = { 100, 101, 102, 103, 104, 105, 106, 0 };

struct vcase {
	const char *what;
	struct uw_ns t;
	__u32 flags;
	int candidate, ignorable, alert_known, alert_unknown;
};

static const struct vcase cases[] = {
	{ "host process", { 100, 101, 102, 103, 104, 105, 106, 0 }, 0, 0, 1, 0, 0 },
	{ "container: mnt+pid+uts+ipc+net", { 100, 201, 202, 203, 204, 205, 106, 0 }, 0, 1, 0, 1, 1 },
	{ "container with own userns", { 300, 201, 202, 203, 204, 205, 206, 0 }, 0, 0, 0, 0, 0 },
	{ "userns only (unshare -U)", { 300, 101, 102, 103, 104, 105, 106, 0 }, 0, 0, 1, 0, 0 },
	{ "PrivateTmp service: mnt only", { 100, 201, 102, 103, 104, 105, 106, 0 }, 0, 1, 1, 1, 0 },
	{ "--pid=host --net=host container", { 100, 201, 102, 103, 204, 205, 106, 0 }, 0, 1, 1, 1, 0 },
	{ "hostPID container with an image root", { 100, 201, 102, 203, 204, 205, 106, 0 },
	  UW_F_ROOT_OTHER, 1, 0, 1, 1 },
	{ "chroot on the host, no namespace of its own", { 100, 101, 102, 103, 104, 105, 106, 0 },
	  UW_F_ROOT_OTHER, 0, 0, 0, 0 },
	{ "cgroupns only", { 100, 101, 102, 103, 104, 105, 206, 0 }, 0, 1, 1, 1, 0 },
	{ "pid ns only", { 100, 101, 202, 103, 104, 105, 106, 0 }, 0, 1, 0, 1, 1 },
	{ "net ns only", { 100, 101, 102, 203, 104, 105, 106, 0 }, 0, 1, 1, 1, 0 },
};

static void test_cases(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct vcase *c = &cases[i];

		print_message("case: %s\n", c->what);
		assert_int_equal(uw_is_candidate(&c->t, &host), c->candidate);
		assert_int_equal(uw_ignorable(&c->t, &host, c->flags), c->ignorable);
		assert_int_equal(uw_should_alert(1, &c->t, &host, c->flags), c->alert_known);
		assert_int_equal(uw_should_alert(0, &c->t, &host, c->flags), c->alert_unknown);
	}
}

struct tcase {
	const char *what;
	struct uw_ns before, after;
	int wanted, wanted_host_too, entered;
	unsigned mask;
};

/* the host's pid namespace for children is its pid namespace (102). */
static const struct tcase tcases[] = {
	{ "nothing changed", { 100, 101, 102, 103, 104, 105, 106, 102 },
	  { 100, 101, 102, 103, 104, 105, 106, 102 }, 0, 0, 0, 0 },
	{ "unshare -U on the host", { 100, 101, 102, 103, 104, 105, 106, 102 },
	  { 300, 101, 102, 103, 104, 105, 106, 102 }, 0, 1, 0, UW_CLONE_NEWUSER },
	{ "nsenter -m -p into a container", { 100, 101, 102, 103, 104, 105, 106, 102 },
	  { 100, 201, 102, 103, 104, 105, 106, 202 }, 1, 1, 1, UW_CLONE_NEWNS | UW_CLONE_NEWPID },
	{ "setns into a container's net only (CNI)", { 100, 101, 102, 103, 104, 105, 106, 102 },
	  { 100, 101, 102, 203, 104, 105, 106, 102 }, 1, 1, 0, UW_CLONE_NEWNET },
	{ "unshare -U inside a container", { 100, 201, 202, 203, 204, 205, 106, 202 },
	  { 300, 201, 202, 203, 204, 205, 106, 202 }, 1, 1, 1, UW_CLONE_NEWUSER },
	{ "setns back to the host from a userns container", { 300, 201, 202, 203, 204, 205, 106, 202 },
	  { 100, 201, 202, 203, 204, 205, 106, 202 }, 1, 1, 1, UW_CLONE_NEWUSER },
	{ "unshare -m on the host (PrivateTmp)", { 100, 101, 102, 103, 104, 105, 106, 102 },
	  { 100, 201, 102, 103, 104, 105, 106, 102 }, 1, 1, 1, UW_CLONE_NEWNS },
};

static void test_transitions(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		const struct tcase *c = &tcases[i];
		struct uw_ns h = host;

		h.pid_for_children = h.pid;
		print_message("case: %s\n", c->what);
		assert_int_equal(uw_transition_wanted(&c->before, &c->after, &h, 0), c->wanted);
		assert_int_equal(uw_transition_wanted(&c->before, &c->after, &h, 1), c->wanted_host_too);
		assert_int_equal(uw_entered_container(&c->after, &h), c->entered);
		assert_int_equal(uw_ns_change_mask(&c->before, &c->after), c->mask);
	}
	/* a pid_for_children of 0 (none read) counts as the host's */
	assert_true(uw_rest_is_host(&host, &host));
}

struct ecase {
	const char *what;
	struct uw_ns before, after;
	unsigned mask;
};

/* Escapes: namespaces that were a container's before and are the host's after. */
static const struct ecase ecases[] = {
	{ "hostPID container joins the host's mnt, uts, ipc, net (nsenter -t 1 -m -u -i -n)",
	  { 100, 201, 102, 203, 204, 205, 106, 102 }, { 100, 101, 102, 103, 104, 105, 106, 102 },
	  UW_CLONE_NEWNS | UW_CLONE_NEWNET | UW_CLONE_NEWUTS | UW_CLONE_NEWIPC },
	{ "container with its own pid namespace joins the host's pid namespace for children",
	  { 100, 201, 202, 203, 204, 205, 106, 202 }, { 100, 201, 202, 203, 204, 205, 106, 102 },
	  UW_CLONE_NEWPID },
	{ "hostPID container: its pid namespace was the host's, nothing to escape",
	  { 100, 201, 102, 203, 204, 205, 106, 102 }, { 100, 201, 102, 203, 204, 205, 106, 102 }, 0 },
	{ "host process enters a container (nsenter from the host)",
	  { 100, 101, 102, 103, 104, 105, 106, 102 }, { 100, 201, 202, 203, 104, 105, 106, 202 }, 0 },
	{ "container joins another container's namespaces", { 100, 201, 202, 203, 204, 205, 106, 202 },
	  { 100, 301, 302, 303, 304, 305, 106, 302 }, 0 },
	{ "container joins a hostNetwork container: its network is now the host's",
	  { 100, 201, 202, 203, 204, 205, 106, 202 }, { 100, 301, 302, 103, 304, 305, 106, 302 },
	  UW_CLONE_NEWNET },
	{ "from a container's user namespace into the host's", { 300, 201, 202, 203, 204, 205, 206, 202 },
	  { 100, 201, 202, 203, 204, 205, 206, 202 }, UW_CLONE_NEWUSER },
};

static void test_escapes(void **state)
{
	struct uw_ns h = host;
	size_t i;

	h.pid_for_children = h.pid;
	for (i = 0; i < sizeof(ecases) / sizeof(ecases[0]); i++) {
		print_message("case: %s\n", ecases[i].what);
		assert_int_equal(uw_escape_mask(&ecases[i].before, &ecases[i].after, &h), ecases[i].mask);
	}
}

/* Same sets compare equal with the pid namespace for children; digests tell sets apart. */
static void test_same_and_hash(void **state)
{
	struct uw_ns a = { 100, 201, 202, 203, 204, 205, 106, 202 }, b = a;

	assert_true(uw_ns_same(&a, &b));
	assert_true(uw_ns_hash(&a) == uw_ns_hash(&b));
	b.pid_for_children = 102;
	assert_false(uw_ns_same(&a, &b));
	assert_true(uw_ns_hash(&a) != uw_ns_hash(&b));
	b = a;
	b.user = 300;
	assert_false(uw_ns_same(&a, &b));
	/* swapping two inodes between fields is another set */
	b = a;
	b.mnt = a.net;
	b.net = a.mnt;
	assert_true(uw_ns_hash(&a) != uw_ns_hash(&b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_same_and_hash),
	};

	return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
