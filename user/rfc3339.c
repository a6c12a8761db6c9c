// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "rfc3339.h"

#include <string.h>
#include <time.h>

void uw_rfc3339(uint64_t ns, char *buf, size_t len)
{
	/* the date and time of day change once a second: format them once per second */
	static __thread time_t last = -1;
	static __thread char head[32];
	static __thread size_t hl;
	time_t s = (time_t)(ns / 1000000000ULL);
	uint64_t frac = ns % 1000000000ULL;
	char tail[12];
	size_t n, rest;
	int i;

	if (s != last) {
		struct tm tm;

		gmtime_r(&s, &tm);
		hl = strftime(head, sizeof(head), "%Y-%m-%dT%H:%M:%S", &tm);
		last = s;
	}
	tail[0] = '.';
	for (i = 9; i >= 1; i--, frac /= 10)
		tail[i] = (char)('0' + frac % 10);
	tail[10] = 'Z';
	tail[11] = 0;
	/* head and tail, cut to len as snprintf would (no format to parse: once per record) */
	if (!len)
		return;
	n = hl < len - 1 ? hl : len - 1;
	memcpy(buf, head, n);
	rest = len - n < sizeof(tail) ? len - n : sizeof(tail);
	memcpy(buf + n, tail, rest);
	buf[n + rest - 1] = 0;
}
