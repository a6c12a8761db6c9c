// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "clock.h"

#include <time.h>

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t uw_now_real_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

uint64_t uw_now_boot_ns(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

void uw_clock_init(struct uw_clock *c)
{
	c->real = uw_now_real_ns;
	c->boot = uw_now_boot_ns;
	c->boot_to_real_ns = (int64_t)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME));
	c->next_ns = 0;
}

void uw_clock_tick(struct uw_clock *c, uint64_t now_boot_ns)
{
	if (now_boot_ns >= c->next_ns) {
		uint64_t real = c->real(), boot = c->boot();

		c->boot_to_real_ns = (int64_t)(real - boot);
		c->next_ns = now_boot_ns + UW_CLOCK_REFRESH_NS;
	}
}
