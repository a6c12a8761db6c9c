// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Timed process loops for the overhead benchmark.
 *   loop exec N PROG...     N times: fork, execve(PROG), wait   (fork+exec+exit), cycling over
 *                           the programs given
 *   loop fork N             N times: fork, _exit, wait           (fork+exit)
 *   loop cluster N PROG...  runs each PROG once (first records), writes "ready" on stderr,
 *                           waits for a byte on stdin, then does what `exec N PROG...` does
 * Prints the elapsed nanoseconds (CLOCK_MONOTONIC) of the timed loop on stdout.
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

/* fork, exec prog (NULL: exit at once), wait; 0 or -1 */
static int run(char *prog)
{
	pid_t p = fork();

	if (p < 0)
		return -1;
	if (p == 0) {
		if (prog) {
			char *args[] = { prog, NULL }, *env[] = { NULL };

			execve(prog, args, env);
		}
		_exit(0);
	}
	return waitpid(p, NULL, 0) < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	int cluster = argc >= 4 && !strcmp(argv[1], "cluster");
	int exec_mode = cluster || (argc >= 4 && !strcmp(argv[1], "exec"));
	char **progs = argv + 3, go;
	long i, n, nprog = argc - 3;
	long long t0;

	if (argc < 3 || (!exec_mode && strcmp(argv[1], "fork"))) {
		fprintf(stderr, "usage: loop exec N PROG... | loop fork N | loop cluster N PROG...\n");
		return 2;
	}
	n = atol(argv[2]);
	if (cluster) {
		for (i = 0; i < nprog; i++)
			if (run(progs[i]))
				return 1;
		fprintf(stderr, "ready\n");
		if (read(0, &go, 1) != 1)
			return 1;
	}
	t0 = now_ns();
	for (i = 0; i < n; i++)
		if (run(exec_mode ? progs[i % nprog] : NULL))
			return 1;
	printf("%lld\n", now_ns() - t0);
	return 0;
}
