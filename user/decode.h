/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The decode stage: the kernel's raw records (include/uw_event.h), as the ring buffer or the
 * snapshot hands them over, checked against their type's size and turned into a typed event.
 * A fork's short form is made whole. Anything else is a bad record (counted, never read).
 */
#ifndef UW_DECODE_H
#define UW_DECODE_H

#include <stddef.h>

#include "counters.h"
#include "uw_event.h"

enum uw_event_kind {
	UW_EVENT_BAD = 0,
	UW_EVENT_TASK,        /* task: exec, fork, snapshot */
	UW_EVENT_TRANSITION,  /* tr: setns, unshare, clone, or a change found late */
	UW_EVENT_CGROUP_GONE, /* cg: a watched cgroup was removed */
};

struct uw_event {
	enum uw_event_kind kind;
	const struct uw_task_event *task;   /* the record, or whole (a short form made whole) */
	const struct uw_transition_event *tr;
	const struct uw_cgroup_event *cg;
	struct uw_task_event whole;
};

/* Decodes size bytes at data into ev (which may point into data: keep both while it is used).
 * Counts received (or snapshot) and bad_records. Returns ev->kind. */
enum uw_event_kind uw_decode(const void *data, size_t size, struct uw_event *ev, struct uw_counters *c);

#endif
