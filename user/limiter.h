/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Alert flood control: one alert per violating container and distinct program, at most
 * max_alerts per container; repeats and the alerts over the limit are counted, never hidden.
 */
#ifndef UW_LIMITER_H
#define UW_LIMITER_H

#include <stdint.h>
#include "table.h"

#define UW_LIMITER_MAX_CONTAINERS 65536

struct uw_cstate {
	char runtime[16];
	unsigned alerts;       /* alerts written */
	uint64_t repeats;      /* events for a program already alerted on */
	uint64_t suppressed;   /* events for new programs after the limit */
	unsigned nexe;
	char **exes;           /* programs alerted on, at most max_alerts */
};

struct uw_limiter {
	struct uw_table containers; /* key: container key string, value: struct uw_cstate */
	unsigned max_alerts;
	uint64_t repeats;
	uint64_t suppressed;
};

enum uw_limit {
	UW_LIM_ALERT = 0,     /* write the alert */
	UW_LIM_LAST,          /* write it: it is the last one this container gets */
	UW_LIM_REPEAT,        /* same container and program as an earlier alert */
	UW_LIM_SUPPRESSED,    /* over the container's limit */
	UW_LIM_NOMEM,
};

int uw_limiter_init(struct uw_limiter *l, unsigned max_alerts, size_t max_containers);
void uw_limiter_free(struct uw_limiter *l);
enum uw_limit uw_limiter_check(struct uw_limiter *l, const char *ckey, const char *runtime,
			       const char *exe);

#endif
