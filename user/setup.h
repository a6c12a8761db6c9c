/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A container's setup phase: a runtime sets a container up from inside its cgroup, running its
 * own program (runc re-executes itself in the container's cgroup and a private mount namespace
 * before it creates the container's user namespace), so what it does there says nothing about
 * the container. The alerts of a container seen for the first time (not in the snapshot) are
 * held while they come from the program its first record ran (the setup program):
 *  - when the setup program creates a user namespace, the container has one of its own: what
 *    was held, and what the setup program does afterwards, is dropped as setup (counted) when
 *    the hold ends, except the alerts whose process is then still alive in the host user
 *    namespace (still_host: a kernel fact, /proc/PID/ns/user): a runtime's setup processes
 *    have exited or moved into the container's namespace by then, a program that only looks
 *    like a runtime's setup has not;
 *  - when another program runs in the container (its entrypoint), or when the time is up, the
 *    container is set up and judged by what it runs: alerts pass from then on, and what was
 *    held is written (a container in the host user namespace is reported as before; its
 *    entrypoint's alert as early as before, its runtime's after it) unless the container has a
 *    user namespace of its own.
 * The time: UW_SETUP_HOLD_NS after the first record; while a held alert's process is then still
 * at work (still_host: alive, same file, host user namespace: a runtime slowed down by a busy
 * machine, or a program that only looks like one), checked again every UW_SETUP_RECHECK_NS, up
 * to UW_SETUP_MAX_HOLD_NS after the first record.
 * Bounded (UW_SETUP_MAX_HELD alerts a container, the table's size in containers): past that, a
 * hold ends and everything is judged at once (a full table ends its oldest entry's hold before
 * evicting it).
 */
#ifndef UW_SETUP_H
#define UW_SETUP_H

#include <stdint.h>
#include "alert.h"
#include "limiter.h"
#include "setns.h"
#include "table.h"

/*
 * A runtime's setup takes milliseconds: 250 ms of them, and the 250 ms a setns sequence begun in
 * them takes to settle (UW_SETNS_SETTLE_NS, setns.h): runc's setns calls come out as one record
 * when they settle, and one that came out after the hold would be written as an alert.
 */
#define UW_SETUP_HOLD_NS (250000000ULL + UW_SETNS_SETTLE_NS)
#define UW_SETUP_MAX_HOLD_NS 2000000000ULL /* the most a hold is made longer (still_host) */
#define UW_SETUP_RECHECK_NS 50000000ULL
#define UW_SETUP_MAX_HELD 32

/* A held alert, with copies of everything it points at. */
struct uw_held;

struct uw_setup {
	struct uw_table t;  /* container key -> its state */
	uint64_t hold_ns, max_hold_ns;
	uint64_t open;      /* holds going on */
	uint64_t held;      /* alerts held so far */
	uint64_t released;  /* of which written at the end of their hold */
	uint64_t dropped;   /* alerts dropped as the setup of a user-namespaced container */
	/* 1 when alert a's process is still alive, running the same file, in the host user
	 * namespace (NULL: never); uw_setup_use_procfs sets the kernel's answer */
	int (*still_host)(void *ctx, const struct uw_alert *a);
	void *still_ctx;
	const char *procfs; /* uw_setup_use_procfs */
	uint32_t host_user;
	struct uw_held *out_head, *out_tail; /* released alerts not yet taken */
};

enum uw_setup_act {
	UW_SETUP_PASS = 0, /* write it now */
	UW_SETUP_HELD,     /* kept (copied) until the hold ends */
	UW_SETUP_DROPPED,  /* the user namespace a runtime creates for its container */
};

/* hold_ns 0: nothing is held; max_hold_ns below hold_ns: hold_ns */
int uw_setup_init(struct uw_setup *s, size_t max_containers, uint64_t hold_ns,
		  uint64_t max_hold_ns);
void uw_setup_free(struct uw_setup *s);
/* still_host from the host's procfs: /proc/PID/ns/user against host_user, /proc/PID/exe
 * against the alert's executable. */
void uw_setup_use_procfs(struct uw_setup *s, const char *procfs, uint32_t host_user);

/*
 * What to do with alert a about container key, from program prog, seen at now (CLOCK_BOOTTIME);
 * snapshot: the record came from the snapshot (the container was set up before we started).
 * A hold that ends here releases what it held first: uw_setup_take gives it, before a.
 */
enum uw_setup_act uw_setup_check(struct uw_setup *s, const char *key, const struct uw_alert *a,
				 const struct uw_prog_id *prog, int snapshot, uint64_t now);

/* Ends the holds whose time is up at now (every hold with now 0): uw_setup_take gives what
 * they release. */
void uw_setup_tick(struct uw_setup *s, uint64_t now);

/* The oldest alert a hold released and nobody took yet, or NULL. It is the caller's: handle
 * its alert (uw_held_alert: its container unpacked into c), then uw_held_free it. */
struct uw_held *uw_setup_take(struct uw_setup *s);
struct uw_alert *uw_held_alert(struct uw_held *h, struct uw_container *c);
void uw_held_free(struct uw_held *h);

#endif
