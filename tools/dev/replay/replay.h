/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The frames tools/dev/replay/record.c sends to each replay process (replay.c). */
#ifndef UW_REPLAY_H
#define UW_REPLAY_H

#include <stdint.h>

enum uw_replay_type {
	UW_REPLAY_RECORD = 1, /* a record from the kernel (snapshot or ring buffer), len bytes */
	UW_REPLAY_TICK = 2,   /* the loop's periodic work at now_boot_ns */
	UW_REPLAY_END = 3,    /* the end: what is pending is judged, then a stats record */
};

struct uw_replay_frame {
	uint32_t type;
	uint32_t len;
	uint64_t now_boot_ns; /* the boot clock when the recorder received it */
};

/* wall clock = boot clock + this, in both builds (2026-01-01T00:00:00Z) */
#define UW_REPLAY_REAL_OFFSET 1767225600000000000ULL

#endif
