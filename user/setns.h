/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A process's consecutive setns calls, merged until it settles. nsenter makes several calls
 * (pid, then mnt, then, as root, the user namespace last), so where a process ends up is what
 * matters; but a state it passed through is kept too, so a violation cannot be hidden by
 * leaving again before the sequence is judged:
 *  - escape: the latest state in which a namespace that was not the host's at the start is the
 *    host's (uw_escape_mask), and the union of those namespaces over every state;
 *  - entered: the latest state inside a container's mount or pid namespace while in the host
 *    user namespace, unless a later state of the sequence is in another user namespace (that is
 *    nsenter entering the container's user namespace last, not a violation).
 * Pure bookkeeping, no I/O: the pipeline (pipeline.c) has them attributed and judged.
 */
#ifndef UW_SETNS_H
#define UW_SETNS_H

#include <stdint.h>
#include "uw_event.h"

#define UW_PENDING_SETNS 256           /* processes with setns calls being merged */
/*
 * Judge a process's setns calls 250 ms after the first (or at its next fork, exec or
 * transition). nsenter makes its calls in a row, but a busy or emulated machine can pause it
 * between two of them for tens of milliseconds: 50 ms split one nsenter into two escapes.
 */
#define UW_SETNS_SETTLE_NS 250000000ULL

struct uw_setns_seq {
	int used;
	unsigned calls;
	uint32_t nstype;                    /* the nstype arguments of every call, or-ed */
	uint32_t escape_mask;               /* CLONE_NEW* left for the host's, over every state */
	int have_escape, have_entered;
	/* whole records; .before of each is where the sequence started, .flags the nstype union */
	struct uw_transition_event last;    /* the latest call: where the process is now */
	struct uw_transition_event escape;
	struct uw_transition_event entered;
};

struct uw_setns_table {
	struct uw_ns host;                  /* pid_for_children: the host's pid namespace */
	unsigned used;
	struct uw_setns_seq s[UW_PENDING_SETNS];
};

void uw_setns_init(struct uw_setns_table *t, const struct uw_ns *host);

/* Starts a sequence from one record (a setns, or a late change seen once). */
void uw_setns_start(const struct uw_ns *host, const struct uw_transition_event *ev,
		    struct uw_setns_seq *out);

/*
 * Adds a setns record to its process's sequence. When every slot is taken, the oldest
 * sequence is moved into *evicted to be judged now (returns 1); else returns 0.
 */
int uw_setns_add(struct uw_setns_table *t, const struct uw_transition_event *ev,
		 struct uw_setns_seq *evicted);

/* The sequence of process pid being merged, or NULL. */
const struct uw_setns_seq *uw_setns_find(const struct uw_setns_table *t, uint32_t pid);
/* Puts back a sequence a previous watch was merging (its journal, user/pin.h): 0, or -1 when
 * pid has one already or every slot is taken. */
int uw_setns_restore(struct uw_setns_table *t, const struct uw_setns_seq *q);

/* Moves the sequence of process pid into *out; returns 1, or 0 when it has none. */
int uw_setns_take(struct uw_setns_table *t, uint32_t pid, struct uw_setns_seq *out);

/*
 * Moves one settled sequence into *out: started UW_SETNS_SETTLE_NS or more before now_boot_ns
 * (CLOCK_BOOTTIME), or any with now_boot_ns 0. Returns 1, or 0 when none is.
 */
int uw_setns_take_settled(struct uw_setns_table *t, uint64_t now_boot_ns, struct uw_setns_seq *out);

#endif
