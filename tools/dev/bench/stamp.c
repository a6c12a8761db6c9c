// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Prefixes every line read on stdin with the wall-clock time of its arrival, in ns. */
#include <stdio.h>
#include <time.h>

int main(void)
{
	static char line[1 << 16];
	struct timespec ts;

	while (fgets(line, sizeof(line), stdin)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		printf("%lld %s", ts.tv_sec * 1000000000LL + ts.tv_nsec, line);
		fflush(stdout);
	}
	return 0;
}
