// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test helper for namespace transitions.
 *   uw-nstest clone3-newuser PIDFILE  clone3(CLONE_NEWUSER); the child writes its PID to PIDFILE,
 *                                     sleeps 2 s and exits; exits 0 when all went so
 *   uw-nstest setns-badfd             setns(9999, 0) must fail with EBADF (exit 0 if it did)
 *   uw-nstest setns-eperm NSFILE      opens NSFILE, drops root (uid 65534), setns must fail with
 *                                     EPERM (exit 0 if it did)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int clone3_newuser(const char *pidfile)
{
	struct clone_args args;
	int status;
	long pid;

	memset(&args, 0, sizeof(args));
	args.flags = CLONE_NEWUSER;
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		perror("clone3");
		return 1;
	}
	if (pid == 0) {
		FILE *f = fopen(pidfile, "w");

		if (f) {
			fprintf(f, "%d\n", getpid());
			fclose(f);
		}
		sleep(2);
		_exit(0);
	}
	if (waitpid((pid_t)pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc == 3 && !strcmp(argv[1], "clone3-newuser"))
		return clone3_newuser(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "setns-badfd"))
		return setns(9999, 0) == -1 && errno == EBADF ? 0 : 1;
	if (argc == 3 && !strcmp(argv[1], "setns-eperm")) {
		fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setgid(65534) || setuid(65534))
			return 2;
		return setns(fd, 0) == -1 && errno == EPERM ? 0 : 1;
	}
	fprintf(stderr, "usage: uw-nstest clone3-newuser PIDFILE | setns-badfd | setns-eperm NSFILE\n");
	return 2;
}
