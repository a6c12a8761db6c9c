// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "severity.h"

#include <pthread.h>
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

uint64_t uw_caps_own_effective(void)
{
	cap_t c = cap_get_proc();
	cap_flag_value_t v;
	uint64_t caps = 0;
	int i;

	if (!c)
		return 0;
	for (i = 0; i < 64; i++)
		if (!cap_get_flag(c, (cap_value_t)i, CAP_EFFECTIVE, &v) && v == CAP_SET)
			caps |= 1ULL << i;
	cap_free(c);
	return caps;
}

struct names {
	char *buf;
	size_t len, off;
};

static void add_name(void *ctx, const char *name)
{
	struct names *n = ctx;
	int w;

	if (n->off >= n->len)
		return;
	w = snprintf(n->buf + n->off, n->len - n->off, "%s%s", n->off ? "," : "", name);
	n->off += w > 0 ? (size_t)w : 0;
}

void uw_caps_names(uint64_t caps, char *buf, size_t len)
{
	struct names n = { buf, len, 0 };

	if (!len)
		return;
	buf[0] = '\0';
	uw_caps_each(caps, add_name, &n);
}

/*
 * Each capability's name, asked of libcap once (cap_to_name allocates a string per call):
 * "cap_N" where the library has no name (a number it does not know, or above its last).
 */
static char cap_names[64][32];
static pthread_once_t cap_names_once = PTHREAD_ONCE_INIT;

static void cap_names_load(void)
{
	int c;

	for (c = 0; c < 64; c++) {
		char *name = c <= CAP_LAST_CAP ? cap_to_name((cap_value_t)c) : NULL;

		if (name && name[0] && !(name[0] >= '0' && name[0] <= '9'))
			snprintf(cap_names[c], sizeof(cap_names[c]), "%s", name);
		else
			snprintf(cap_names[c], sizeof(cap_names[c]), "cap_%d", c);
		cap_free(name);
	}
}

void uw_caps_each(uint64_t caps, void (*fn)(void *ctx, const char *name), void *ctx)
{
	int c;

	pthread_once(&cap_names_once, cap_names_load);
	for (c = 0; c < 64; c++)
		if (caps & (1ULL << c))
			fn(ctx, cap_names[c]);
}
