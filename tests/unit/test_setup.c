// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A new container's setup phase (user/setup.c): held, dropped for a user namespace, released. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "setup.h"

static const struct uw_ns ns = { 1, 2, 3, 4, 5, 6, 7, 3 };
static const struct uw_container ctr = { .id = "c1", .runtime = "podman" };
static const struct uw_prog_id runc = { 0xfe00000, 1052777 }, sleep_ = { 0xfe00000, 248056 };

struct released {
	int n;
	char exe[8][32];
};

static int on_release(void *ctx, struct uw_alert *a)
{
	struct released *r = ctx;

	snprintf(r->exe[r->n++ % 8], 32, "%s", a->exe);
	return 0;
}

/* Hands every alert the setup released to fn, in order, as the pipeline does. */
static int take_released(struct uw_setup *s, int (*fn)(void *ctx, struct uw_alert *a), void *ctx)
{
	struct uw_container c;
	struct uw_held *h;

	while ((h = uw_setup_take(s))) {
		fn(ctx, uw_held_alert(h, &c));
		uw_held_free(h);
	}
	return 0;
}

/* uw_setup_check, then what it released (*rc: 0) */
static enum uw_setup_act check(struct uw_setup *s, const char *key, const struct uw_alert *a,
			       const struct uw_prog_id *prog, int snap, uint64_t now,
			       int (*fn)(void *ctx, struct uw_alert *a), void *ctx, int *rc)
{
	enum uw_setup_act r = uw_setup_check(s, key, a, prog, snap, now);

	*rc = take_released(s, fn, ctx);
	return r;
}

/* uw_setup_tick, then what it released */
static int tick(struct uw_setup *s, uint64_t now, int (*fn)(void *ctx, struct uw_alert *a), void *ctx)
{
	uw_setup_tick(s, now);
	return take_released(s, fn, ctx);
}

static struct uw_alert alert(enum uw_alert_kind kind, const char *exe, const char *source)
{
	struct uw_alert a;

	memset(&a, 0, sizeof(a));
	a.kind = kind;
	a.exe = exe;
	a.source = source;
	a.comm = "runc:[1:CHILD]";
	a.container = &ctr;
	a.ns = &ns;
	a.cgroup_path = "/libpod_parent/libpod-c1";
	a.cgroup_hier = "v2";
	return a;
}

#define CHECK(s, a, prog, snap, now, rel) \
	({ int rc_; enum uw_setup_act r_ = check(s, "c1", a, prog, snap, now, on_release, rel, &rc_); \
	   assert_int_equal(rc_, 0); r_; })

/* runc sets up a container with a user namespace of its own (podman run --uidmap): its exec,
 * the user namespace it creates and its setns are dropped, nothing is written. */
static void test_userns_container_setup_dropped(void **state)
{
	struct uw_setup s;
	struct released rel = { 0 };
	struct uw_alert exec = alert(UW_AK_HOST_USERNS, "runc", "exec");
	struct uw_alert create = alert(UW_AK_USERNS_CREATE, "runc", "unshare");
	struct uw_alert setns = alert(UW_AK_HOST_USERNS, "runc", "setns");

	assert_int_equal(uw_setup_init(&s, 16, 1000, 1000), 0);
	assert_int_equal(CHECK(&s, &exec, &runc, 0, 100, &rel), UW_SETUP_HELD);
	assert_int_equal(CHECK(&s, &create, &runc, 0, 101, &rel), UW_SETUP_DROPPED);
	assert_int_equal(CHECK(&s, &setns, &runc, 0, 102, &rel), UW_SETUP_HELD);
	assert_int_equal(s.open, 1);
	assert_int_equal(tick(&s, 1099, on_release, &rel), 0);
	assert_int_equal(s.open, 1); /* not yet */
	assert_int_equal(tick(&s, 1100, on_release, &rel), 0);
	assert_int_equal(s.open, 0);
	assert_int_equal(rel.n, 0);
	assert_int_equal(s.dropped, 3); /* the held exec, the create, the setns */
	/* set up: a later podman exec's runc is judged like anything else */
	assert_int_equal(CHECK(&s, &setns, &runc, 0, 5000, &rel), UW_SETUP_PASS);
	uw_setup_free(&s);
}

static int host_if_fake(void *ctx, const struct uw_alert *a)
{
	return !strcmp(a->exe, "fake-runc");
}

/* A program that looks like a runtime's setup (first in a new container, creates a user
 * namespace) but stays in the host user namespace: its alerts are written when the hold ends,
 * the kernel says so (still_host); the runtime's real setup processes, gone by then, are not. */
static void test_userns_lookalike_still_host_reported(void **state)
{
	struct uw_setup s;
	struct released rel = { 0 };
	struct uw_alert exec = alert(UW_AK_HOST_USERNS, "fake-runc", "exec");
	struct uw_alert create = alert(UW_AK_USERNS_CREATE, "fake-runc", "clone");
	struct uw_alert fork = alert(UW_AK_HOST_USERNS, "fake-runc", "fork");
	struct uw_alert gone = alert(UW_AK_HOST_USERNS, "runc", "fork");

	assert_int_equal(uw_setup_init(&s, 16, 1000, 1000), 0);
	s.still_host = host_if_fake;
	assert_int_equal(CHECK(&s, &exec, &runc, 0, 100, &rel), UW_SETUP_HELD);
	assert_int_equal(CHECK(&s, &create, &runc, 0, 101, &rel), UW_SETUP_DROPPED);
	assert_int_equal(CHECK(&s, &fork, &runc, 0, 102, &rel), UW_SETUP_HELD);
	assert_int_equal(CHECK(&s, &gone, &runc, 0, 103, &rel), UW_SETUP_HELD);
	assert_int_equal(tick(&s, 1100, on_release, &rel), 0);
	assert_int_equal(rel.n, 2);
	assert_string_equal(rel.exe[0], "fake-runc");
	assert_string_equal(rel.exe[1], "fake-runc");
	assert_int_equal(s.released, 2);
	assert_int_equal(s.dropped, 2); /* the create, the exited process's fork */
	uw_setup_free(&s);
}

/* A container in the host user namespace: its entrypoint passes at once, the runtime's records
 * held before it are written right before it; later records pass. */
static void test_host_userns_container_reported(void **state)
{
	struct uw_setup s;
	struct released rel = { 0 };
	struct uw_alert fork = alert(UW_AK_HOST_USERNS, "runc", "fork");
	struct uw_alert entry = alert(UW_AK_HOST_USERNS, "/bin/sleep", "exec");

	assert_int_equal(uw_setup_init(&s, 16, 1000, 1000), 0);
	assert_int_equal(CHECK(&s, &fork, &runc, 0, 100, &rel), UW_SETUP_HELD);
	assert_int_equal(rel.n, 0);
	assert_int_equal(CHECK(&s, &entry, &sleep_, 0, 101, &rel), UW_SETUP_PASS);
	assert_int_equal(rel.n, 1);
	assert_string_equal(rel.exe[0], "runc");
	assert_int_equal(s.open, 0);
	assert_int_equal(CHECK(&s, &fork, &runc, 0, 102, &rel), UW_SETUP_PASS);
	uw_setup_free(&s);
}

/* A container whose only program is the one of its first record (LXC's init): its alerts are
 * written when the hold ends, never lost; the snapshot's containers are never held. */
static void test_hold_ends_by_time_and_snapshot_passes(void **state)
{
	struct uw_setup s;
	struct released rel = { 0 };
	struct uw_alert init = alert(UW_AK_HOST_USERNS, "/sbin/init", "exec");
	struct uw_alert snap = alert(UW_AK_HOST_USERNS, "/sbin/init", "snapshot");
	int rc;

	assert_int_equal(uw_setup_init(&s, 16, 1000, 1000), 0);
	assert_int_equal(CHECK(&s, &init, &sleep_, 0, 100, &rel), UW_SETUP_HELD);
	assert_int_equal(CHECK(&s, &init, &sleep_, 0, 200, &rel), UW_SETUP_HELD);
	assert_int_equal(tick(&s, 0, on_release, &rel), 0); /* 0: every hold (exit) */
	assert_int_equal(rel.n, 2);
	assert_int_equal(s.released, 2);
	uw_setup_free(&s);

	assert_int_equal(uw_setup_init(&s, 16, 1000, 1000), 0);
	assert_int_equal(check(&s, "c2", &snap, &sleep_, 1, 100, on_release, &rel, &rc),
			 UW_SETUP_PASS);
	assert_int_equal(s.open, 0);
	uw_setup_free(&s);
}

/* More than a setup's worth of records: the hold ends and everything is judged at once. */
static void test_bounded(void **state)
{
	struct uw_setup s;
	struct released rel = { 0 };
	struct uw_alert fork = alert(UW_AK_HOST_USERNS, "runc", "fork");
	int i;

	assert_int_equal(uw_setup_init(&s, 16, 1000000, 1000000), 0);
	for (i = 0; i < UW_SETUP_MAX_HELD; i++)
		assert_int_equal(CHECK(&s, &fork, &runc, 0, 100, &rel), UW_SETUP_HELD);
	assert_int_equal(CHECK(&s, &fork, &runc, 0, 100, &rel), UW_SETUP_PASS);
	assert_int_equal(s.released, UW_SETUP_MAX_HELD);
	uw_setup_free(&s);
}

/* A table full of containers evicts its oldest: a hold that one has is ended first, and what it
 * held is written, not lost with the entry (nor counted open for ever). */
static void test_evicted_hold_released(void **state)
{
	struct uw_setup s;
	struct released rel = { 0 };
	struct uw_alert a = alert(UW_AK_HOST_USERNS, "runc", "exec");
	const char *keys[] = { "c1", "c2", "c3" };
	size_t i;
	int rc;

	assert_int_equal(uw_setup_init(&s, 2, 1000000, 1000000), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(check(&s, keys[i], &a, &runc, 0, 100, on_release, &rel, &rc),
				 UW_SETUP_HELD);
	assert_int_equal(s.open, 2);
	assert_int_equal(rel.n, 0);
	/* a third container: c1's hold ends (its alert is written) before c1 is evicted */
	assert_int_equal(check(&s, keys[2], &a, &runc, 0, 100, on_release, &rel, &rc), UW_SETUP_HELD);
	assert_int_equal(rc, 0);
	assert_int_equal(rel.n, 1);
	assert_int_equal(s.released, 1);
	assert_int_equal(s.open, 2);
	/* the rest end by time as usual */
	assert_int_equal(tick(&s, 0, on_release, &rel), 0);
	assert_int_equal(rel.n, 3);
	assert_int_equal(s.open, 0);
	uw_setup_free(&s);
}

static int alive; /* the runtime's setup process is still at work (still_host) */

static int host_while_alive(void *ctx, const struct uw_alert *a)
{
	return alive;
}

#define MS 1000000ULL

/* A runtime slowed down by a busy machine (this project's CI): runc's setns calls settle into a
 * record after the first 500 ms, while its stage-0 process still waits for the container's
 * user namespace. The hold lasts while that process is at work (looked at every 50 ms), so the
 * late setns is held and dropped with the rest, not written as an alert. */
static void test_hold_longer_while_setup_at_work(void **state)
{
	struct uw_setup s;
	struct released rel = { 0 };
	struct uw_alert exec = alert(UW_AK_HOST_USERNS, "runc", "exec");
	struct uw_alert create = alert(UW_AK_USERNS_CREATE, "runc", "unshare");
	struct uw_alert setns = alert(UW_AK_HOST_USERNS, "runc", "setns");
	uint64_t t0 = 1000 * MS;

	assert_int_equal(uw_setup_init(&s, 16, 500 * MS, 2000 * MS), 0);
	s.still_host = host_while_alive;
	alive = 1;
	assert_int_equal(CHECK(&s, &exec, &runc, 0, t0, &rel), UW_SETUP_HELD);
	assert_int_equal(tick(&s, t0 + 499 * MS, on_release, &rel), 0);
	assert_int_equal(tick(&s, t0 + 500 * MS, on_release, &rel), 0);
	assert_int_equal(s.open, 1); /* time is up, the runtime is still at work */
	assert_int_equal(CHECK(&s, &create, &runc, 0, t0 + 520 * MS, &rel), UW_SETUP_DROPPED);
	assert_int_equal(CHECK(&s, &setns, &runc, 0, t0 + 530 * MS, &rel), UW_SETUP_HELD);
	alive = 0; /* stage 0 exits */
	assert_int_equal(tick(&s, t0 + 549 * MS, on_release, &rel), 0);
	assert_int_equal(s.open, 1); /* not looked at again before 50 ms */
	assert_int_equal(tick(&s, t0 + 550 * MS, on_release, &rel), 0);
	assert_int_equal(s.open, 0);
	assert_int_equal(rel.n, 0);
	assert_int_equal(s.dropped, 3);
	uw_setup_free(&s);
}

/* A process that stays at work for ever (LXC's init, a program acting like a runtime): the hold
 * ends 2 s after the first record, and what it held is judged then (written: the process is
 * still in the host user namespace, with or without the user namespace it created). */
static void test_hold_longer_is_bounded(void **state)
{
	struct uw_setup s;
	struct released rel = { 0 };
	struct uw_alert exec = alert(UW_AK_HOST_USERNS, "fake-runc", "exec");
	struct uw_alert create = alert(UW_AK_USERNS_CREATE, "fake-runc", "clone");
	uint64_t t0 = 1000 * MS, t;
	int userns;

	for (userns = 0; userns < 2; userns++) {
		memset(&rel, 0, sizeof(rel));
		assert_int_equal(uw_setup_init(&s, 16, 500 * MS, 2000 * MS), 0);
		s.still_host = host_while_alive;
		alive = 1;
		assert_int_equal(CHECK(&s, &exec, &runc, 0, t0, &rel), UW_SETUP_HELD);
		if (userns)
			assert_int_equal(CHECK(&s, &create, &runc, 0, t0 + 1, &rel), UW_SETUP_DROPPED);
		for (t = t0 + 500 * MS; t < t0 + 2000 * MS; t += 10 * MS)
			assert_int_equal(tick(&s, t, on_release, &rel), 0);
		assert_int_equal(s.open, 1);
		assert_int_equal(rel.n, 0);
		assert_int_equal(tick(&s, t0 + 2000 * MS, on_release, &rel), 0);
		assert_int_equal(s.open, 0);
		assert_int_equal(rel.n, 1);
		assert_string_equal(rel.exe[0], "fake-runc");
		assert_int_equal(s.released, 1);
		assert_int_equal(s.dropped, (uint64_t)userns);
		uw_setup_free(&s);
	}
}

struct released_full {
	int n;
	char origin[UW_CID_MAX + 1], exe[32];
	uint32_t syscall, fd;
	int have_origin, have_tr;
};

static int on_release_full(void *ctx, struct uw_alert *a)
{
	struct released_full *r = ctx;

	r->n++;
	r->have_origin = a->origin != NULL;
	r->have_tr = a->tr != NULL;
	if (a->origin)
		snprintf(r->origin, sizeof(r->origin), "%s", a->origin->id);
	if (a->tr) {
		r->syscall = a->tr->syscall;
		r->fd = (uint32_t)a->tr->fd;
	}
	snprintf(r->exe, sizeof(r->exe), "%s", a->exe);
	return 0;
}

/* A held transition keeps its own copies of the origin container and the transition (the
 * caller's are gone when the hold ends); a held task record has neither. */
static void test_held_copies_origin_and_transition(void **state)
{
	struct uw_setup s;
	struct released_full rel = { 0 };
	struct uw_container origin = { .id = "o1", .runtime = "docker" };
	struct uw_transition_event tr;
	struct uw_alert a = alert(UW_AK_HOST_USERNS, "runc", "setns");
	struct uw_alert task = alert(UW_AK_HOST_USERNS, "runc", "exec");
	char exe[] = "nsenter";

	memset(&tr, 0, sizeof(tr));
	tr.syscall = UW_SYS_SETNS;
	tr.fd = 7;
	a.origin = &origin;
	a.tr = &tr;
	a.exe = exe;
	assert_int_equal(uw_setup_init(&s, 16, 1000, 1000), 0);
	assert_int_equal(check(&s, "c1", &a, &runc, 0, 100, on_release_full, &rel, &(int){ 0 }),
			 UW_SETUP_HELD);
	/* the caller's buffers are reused before the hold ends */
	memset(&origin, 0, sizeof(origin));
	memset(&tr, 0xff, sizeof(tr));
	memset(exe, 'x', sizeof(exe) - 1);
	assert_int_equal(tick(&s, 0, on_release_full, &rel), 0);
	assert_int_equal(rel.n, 1);
	assert_int_equal(rel.have_origin, 1);
	assert_string_equal(rel.origin, "o1");
	assert_int_equal(rel.have_tr, 1);
	assert_int_equal(rel.syscall, UW_SYS_SETNS);
	assert_int_equal(rel.fd, 7);
	assert_string_equal(rel.exe, "nsenter");
	uw_setup_free(&s);

	memset(&rel, 0, sizeof(rel));
	assert_int_equal(uw_setup_init(&s, 16, 1000, 1000), 0);
	assert_int_equal(check(&s, "c1", &task, &runc, 0, 100, on_release_full, &rel, &(int){ 0 }),
			 UW_SETUP_HELD);
	assert_int_equal(tick(&s, 0, on_release_full, &rel), 0);
	assert_int_equal(rel.n, 1);
	assert_int_equal(rel.have_origin, 0);
	assert_int_equal(rel.have_tr, 0);
	uw_setup_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_userns_container_setup_dropped),
		cmocka_unit_test(test_host_userns_container_reported),
		cmocka_unit_test(test_userns_lookalike_still_host_reported),
		cmocka_unit_test(test_hold_ends_by_time_and_snapshot_passes),
		cmocka_unit_test(test_hold_longer_while_setup_at_work),
		cmocka_unit_test(test_hold_longer_is_bounded),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_evicted_hold_released),
		cmocka_unit_test(test_held_copies_origin_and_transition),
	};

	return cmocka_run_group_tests_name("setup", tests, NULL, NULL);
}
