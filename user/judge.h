/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The judge stage: from an event and its attribution, a complete alert (kind, rule, severity,
 * process, program, container, evidence, namespaces, cgroup) or nothing. It names the program
 * (exe.h) and reads the clock; it writes nothing and decides nothing about flood control,
 * policy or setup (the gates do).
 */
#ifndef UW_JUDGE_H
#define UW_JUDGE_H

#include "alert.h"
#include "exe.h"
#include "attribute.h"
#include "cgroup.h"
#include "clock.h"
#include "counters.h"
#include "setns.h"

struct uw_judge {
	const char *procfs;
	const char *host_root;      /* runtime binaries are found below it (exe.h) */
	struct uw_ns host;          /* pid_for_children: the host's pid namespace */
	int host_transitions;       /* transitions that touch no container are alerts too (info) */
	const struct uw_clock *clock;
	struct uw_counters *counts; /* not_container, transitions, late, moves_within, held_within */
};

/* An alert and what it points at, kept for as long as it is handled. */
struct uw_judged {
	struct uw_alert a;
	struct uw_attribution at;   /* a task record's attribution; a transition's cgroup and the
				     * container it started from (at.owner) */
	struct uw_container to;     /* a transition: the container it went to */
	struct uw_target target;    /* ptrace, process_vm_writev: the process taken hold of */
	struct uw_container target_c;
	char exe[UW_PATH_MAX];
	char cmdline[UW_CMDLINE_MAX];
};

void uw_judge_init(struct uw_judge *j, const char *procfs, const char *host_root,
		   const struct uw_ns *host, int host_transitions, const struct uw_clock *clock,
		   struct uw_counters *counts);

/* A task record, attributed in out->at (uw_attr_task): 1 with the alert in out->a when it is a
 * container process in the host user namespace; else 0 (counted: not_container). */
int uw_judge_task(struct uw_judge *j, const struct uw_task_event *ev, struct uw_judged *out);

/*
 * Judges a sequence of setns calls (or one change found late, or an unshare/clone), its states
 * attributed through attr as it goes; in order:
 *  1. escape: a namespace that was not the host's at the start became the host's, and the
 *     process was in a container then (its cgroup, the namespaces it left, a pid namespace or
 *     root directory of its own): critical, about the container it left;
 *  2. host_userns: a state inside a container's mount or pid namespace with the host user
 *     namespace (not followed by entering a user namespace of its own): about the container
 *     entered, with the one it came from as origin;
 *  3. userns_enter (setns into another user namespace) or userns_create (unshare or clone
 *     with a new user namespace, or a late change to a child of the old one).
 * Transitions that touch no container are alerts only with host_transitions.
 * 1 with the alert in out->a, or 0; uw_judged_free(out) either way.
 */
int uw_judge_seq(struct uw_judge *j, struct uw_attr *attr, const struct uw_setns_seq *q,
		 struct uw_judged *out);

void uw_judged_free(struct uw_judged *jd);

#endif
