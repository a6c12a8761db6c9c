// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Merging a process's setns calls: the states it passed through are kept (user/setns.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "setns.h"

static const struct uw_ns host = { 100, 101, 102, 103, 104, 105, 106, 102 };
static const struct uw_ns ctr = { 100, 201, 102, 203, 204, 205, 106, 102 };  /* hostPID container */
static const struct uw_ns ctru = { 300, 301, 302, 303, 304, 305, 106, 302 }; /* userns container */

static struct uw_transition_event call(uint32_t pid, uint64_t ts, uint32_t nstype,
				       const struct uw_ns *before, const struct uw_ns *after)
{
	struct uw_transition_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.type = UW_T_TRANSITION;
	ev.hdr.size = sizeof(ev);
	ev.hdr.ts_ns = ts;
	ev.syscall = UW_SYS_SETNS;
	ev.flags = nstype;
	ev.pid = pid;
	ev.before = *before;
	ev.after = *after;
	return ev;
}

/* A container process joins the host's mnt, then uts/ipc/net: one escape with every namespace
 * it left, and the sequence starts where the process was before the first call. */
static void test_escape_union(void **state)
{
	struct uw_setns_table t;
	struct uw_setns_seq q, ev;
	struct uw_ns s1 = ctr, s2;
	struct uw_transition_event c;

	uw_setns_init(&t, &host);
	s1.mnt = host.mnt;
	s2 = host;
	c = call(7, 1000, UW_CLONE_NEWNS, &ctr, &s1);
	assert_int_equal(uw_setns_add(&t, &c, &ev), 0);
	c = call(7, 2000, UW_CLONE_NEWNET, &s1, &s2);
	assert_int_equal(uw_setns_add(&t, &c, &ev), 0);
	assert_int_equal(t.used, 1);
	assert_int_equal(uw_setns_take(&t, 7, &q), 1);
	assert_int_equal(t.used, 0);
	assert_int_equal(q.calls, 2);
	assert_true(q.have_escape);
	assert_false(q.have_entered);
	assert_int_equal(q.escape_mask, UW_CLONE_NEWNS | UW_CLONE_NEWNET | UW_CLONE_NEWUTS | UW_CLONE_NEWIPC);
	assert_int_equal(q.last.before.mnt, ctr.mnt);
	assert_int_equal(q.last.after.mnt, host.mnt);
	assert_int_equal(q.last.flags, UW_CLONE_NEWNS | UW_CLONE_NEWNET);
	assert_int_equal(q.last.hdr.ts_ns, 1000); /* the sequence's age counts from its first call */
	assert_int_equal(uw_setns_take(&t, 7, &q), 0);
}

/* A container process goes into another container's mount namespace and back home: the state
 * in the other one is what it entered, not its own at the end. (Fails when the last container
 * state is kept whatever it is.) */
static void test_other_container_and_home(void **state)
{
	struct uw_setns_table t;
	struct uw_setns_seq q, ev;
	struct uw_ns other = ctr;
	struct uw_transition_event c;

	(void)state;
	uw_setns_init(&t, &host);
	other.mnt = 401;
	c = call(9, 10, UW_CLONE_NEWNS, &ctr, &other);
	uw_setns_add(&t, &c, &ev);
	c = call(9, 11, UW_CLONE_NEWNS, &other, &ctr);
	uw_setns_add(&t, &c, &ev);
	assert_int_equal(uw_setns_take(&t, 9, &q), 1);
	assert_true(q.have_entered);
	assert_int_equal(q.entered.after.mnt, 401);
	assert_int_equal(q.last.after.mnt, ctr.mnt);
}

/* Into a container's mount namespace and back out before the sequence is judged: the state in
 * the container is kept; the end state alone would say nothing happened. */
static void test_enter_and_leave(void **state)
{
	struct uw_setns_table t;
	struct uw_setns_seq q, ev;
	struct uw_ns in = host;
	struct uw_transition_event c;

	uw_setns_init(&t, &host);
	in.mnt = ctr.mnt;
	c = call(8, 10, UW_CLONE_NEWNS, &host, &in);
	uw_setns_add(&t, &c, &ev);
	c = call(8, 11, UW_CLONE_NEWNS, &in, &host);
	uw_setns_add(&t, &c, &ev);
	assert_int_equal(uw_setns_take(&t, 8, &q), 1);
	assert_true(q.have_entered);
	assert_int_equal(q.entered.after.mnt, ctr.mnt);
	assert_int_equal(q.entered.before.mnt, host.mnt);
	assert_int_equal(q.last.after.mnt, host.mnt);
	assert_false(q.have_escape); /* the host's namespaces were never left */
}

/* nsenter as root enters mnt and pid first, the user namespace last: the host-user-namespace
 * state on the way is not a violation once the user namespace follows. */
static void test_user_namespace_last_cures(void **state)
{
	struct uw_setns_table t;
	struct uw_setns_seq q, ev;
	struct uw_ns mid = host, end;
	struct uw_transition_event c;

	uw_setns_init(&t, &host);
	mid.mnt = ctru.mnt;
	mid.pid_for_children = ctru.pid;
	end = mid;
	end.user = ctru.user;
	c = call(9, 1, 0, &host, &mid);
	uw_setns_add(&t, &c, &ev);
	c = call(9, 2, UW_CLONE_NEWUSER, &mid, &end);
	uw_setns_add(&t, &c, &ev);
	assert_int_equal(uw_setns_take(&t, 9, &q), 1);
	assert_false(q.have_entered);
	assert_false(q.have_escape);
	assert_int_equal(q.last.after.user, ctru.user);
	assert_int_equal(q.last.before.user, host.user);
}

/* Every slot taken: the oldest sequence comes out to be judged now, never lost. */
static void test_full_table_evicts_oldest(void **state)
{
	static struct uw_setns_table t;
	struct uw_setns_seq ev;
	struct uw_ns in = host;
	struct uw_transition_event c;
	uint32_t pid;

	uw_setns_init(&t, &host);
	in.mnt = ctr.mnt;
	for (pid = 1; pid <= UW_PENDING_SETNS; pid++) {
		c = call(pid, 1000 + pid, UW_CLONE_NEWNS, &host, &in);
		assert_int_equal(uw_setns_add(&t, &c, &ev), 0);
	}
	c = call(5000, 5000, UW_CLONE_NEWNS, &host, &in);
	assert_int_equal(uw_setns_add(&t, &c, &ev), 1);
	assert_int_equal(ev.last.pid, 1);
	assert_true(ev.have_entered);
	assert_int_equal(t.used, UW_PENDING_SETNS);
	/* settled ones come out by age; now 0 means all */
	assert_int_equal(uw_setns_take_settled(&t, 1002 + UW_SETNS_SETTLE_NS, &ev), 1);
	assert_int_equal(ev.last.pid, 2);
	assert_int_equal(uw_setns_take_settled(&t, 1002 + UW_SETNS_SETTLE_NS, &ev), 0);
	while (uw_setns_take_settled(&t, 0, &ev))
		;
	assert_int_equal(t.used, 0);
}

/* A single record (a late change) folds like a one-call sequence. */
static void test_start_single(void **state)
{
	struct uw_transition_event c = call(3, 1, 0, &ctr, &host);
	struct uw_setns_seq q;

	c.syscall = UW_SYS_UNKNOWN;
	c.tflags = UW_TF_LATE;
	uw_setns_start(&host, &c, &q);
	assert_int_equal(q.calls, 1);
	assert_true(q.have_escape);
	assert_int_equal(q.escape.tflags, UW_TF_LATE);
	assert_int_equal(q.escape_mask, UW_CLONE_NEWNS | UW_CLONE_NEWNET | UW_CLONE_NEWUTS | UW_CLONE_NEWIPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_union),
		cmocka_unit_test(test_enter_and_leave),
		cmocka_unit_test(test_other_container_and_home),
		cmocka_unit_test(test_user_namespace_last_cures),
		cmocka_unit_test(test_full_table_evicts_oldest),
		cmocka_unit_test(test_start_single),
	};

	return cmocka_run_group_tests_name("setns", tests, NULL, NULL);
}
