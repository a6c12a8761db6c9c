/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The input of fuzz_setns: a stream of steps of FUZZ_SETNS_STEP bytes, each one call on the
 * setns table. The harness reads them and seed_setns.c writes its seeds with these offsets and
 * this namespace encoding, so a change here changes both.
 */
#ifndef UW_FUZZ_SETNS_H
#define UW_FUZZ_SETNS_H

#include <stdint.h>
#include "uw_event.h"

enum {
	FS_PID,                  /* the process: the byte modulo 300 */
	FS_TIME,                 /* the record's time: the byte times 10 ms */
	FS_OP,                   /* modulo 7: 0 take its pid's sequence, 1 take a settled one (at
				  * FS_TIME; 0: any), else add a setns record (flags: this byte) */
	FS_BEFORE,               /* 8 namespaces in struct uw_ns order, one byte each */
	FS_AFTER = FS_BEFORE + 8, /* the same but pid (a setns keeps its own pid namespace): 7 bytes */
	FUZZ_SETNS_STEP = FS_AFTER + 7,
};

#define FUZZ_SETNS_TIME_NS 10000000ULL

static const struct uw_ns fs_host = { 100, 101, 102, 103, 104, 105, 106, 102 };

/* A namespace from one byte: the host's for a multiple of 3, else one of five others */
static inline uint32_t fs_pick(uint8_t b, uint32_t host_v)
{
	return b % 3 == 0 ? host_v : 200u + b % 5;
}

#endif
