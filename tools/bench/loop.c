// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Timed process loops for the overhead benchmark.
 *   loop exec N PROG   N times: fork, execve(PROG), wait   (fork+exec+exit)
 *   loop fork N        N times: fork, _exit, wait           (fork+exit)
 * Prints the elapsed nanoseconds (CLOCK_MONOTONIC) on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int exec_mode = argc >= 4 && !strcmp(argv[1], "exec");
	long i, n;
	long long t0;

	if (argc < 3 || (!exec_mode && strcmp(argv[1], "fork"))) {
		fprintf(stderr, "usage: loop exec N PROG | loop fork N\n");
		return 2;
	}
	n = atol(argv[2]);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0) {
			if (exec_mode) {
				char *args[] = { argv[3], NULL }, *env[] = { NULL };

				execve(argv[3], args, env);
			}
			_exit(0);
		}
		if (waitpid(p, NULL, 0) < 0)
			return 1;
	}
	printf("%lld\n", now_ns() - t0);
	return 0;
}
