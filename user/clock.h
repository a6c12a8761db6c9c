/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel stamps records with CLOCK_BOOTTIME; alerts say the wall-clock time. The offset
 * between the two is measured again every UW_CLOCK_REFRESH_NS (an NTP step moves every later
 * timestamp with it). The clocks are functions so that tests and the replay tool give theirs.
 */
#ifndef UW_CLOCK_H
#define UW_CLOCK_H

#include <stdint.h>

#define UW_CLOCK_REFRESH_NS 1000000000ULL

struct uw_clock {
	int64_t boot_to_real_ns;  /* add to CLOCK_BOOTTIME ns to get the wall clock */
	uint64_t next_ns;         /* CLOCK_BOOTTIME of the next measurement */
	uint64_t (*real)(void);   /* CLOCK_REALTIME and CLOCK_BOOTTIME, ns */
	uint64_t (*boot)(void);
};

void uw_clock_init(struct uw_clock *c);
/* Measures the offset again when it is due at now_boot_ns. */
void uw_clock_tick(struct uw_clock *c, uint64_t now_boot_ns);
/* A CLOCK_BOOTTIME time as wall-clock time. */
static inline uint64_t uw_clock_real_of(const struct uw_clock *c, uint64_t boot_ns)
{
	return boot_ns + (uint64_t)c->boot_to_real_ns;
}

uint64_t uw_now_real_ns(void);
uint64_t uw_now_boot_ns(void);

#endif
