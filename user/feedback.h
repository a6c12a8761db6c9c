/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What userspace tells the kernel side as records arrive (loader.c implements it): a cgroup and
 * namespace pair found to be no container's (the kernel drops its candidates), a cgroup to
 * report the removal of, a task record's repeat-cache key. A NULL member does nothing; each
 * returns 0 or -errno, which the caller counts (ignore_failed, watch_failed, repeat_failed).
 */
#ifndef UW_FEEDBACK_H
#define UW_FEEDBACK_H

#include <stdint.h>

#include "uw_event.h"

struct uw_setns_seq;

struct uw_feedback {
	int (*ignore)(void *ctx, const struct uw_ignore_key *key);
	int (*watch)(void *ctx, uint64_t cgroup_id, uint32_t hierarchy_id);
	int (*repeat)(void *ctx, const struct uw_repeat_key *key);
	/* the journal of setns sequences being merged (a pinned map: they outlive a killed watch,
	 * user/pin.h): q is pid's sequence now, NULL once judged. NULL: no journal */
	int (*journal)(void *ctx, uint32_t pid, const struct uw_setns_seq *q);
	void *ctx;                  /* the loaded programs (struct uw_bpf) */
};

#endif
