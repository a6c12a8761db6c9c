// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "severity.h"

#include <stdio.h>
#include <sys/capability.h>

const char *uw_host_userns_severity(uint32_t uid, uint32_t euid, uint64_t cap_effective)
{
	if (cap_effective & (1ULL << UW_CAP_SYS_ADMIN))
		return "critical";
	if (uid == 0 || euid == 0 || cap_effective)
		return "high";
	return "medium";
}

void uw_caps_each(uint64_t caps, void (*fn)(void *ctx, const char *name), void *ctx)
{
	char num[16];
	int c;

	for (c = 0; c < 64; c++) {
		char *name;

		if (!(caps & (1ULL << c)))
			continue;
		name = c <= CAP_LAST_CAP ? cap_to_name((cap_value_t)c) : NULL;
		if (name && name[0] && !(name[0] >= '0' && name[0] <= '9')) {
			fn(ctx, name);
		} else {
			snprintf(num, sizeof(num), "cap_%d", c);
			fn(ctx, num);
		}
		cap_free(name);
	}
}
