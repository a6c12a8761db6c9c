// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test helper for namespace transitions.
 *   uw-nstest clone3-newuser PIDFILE  clone3(CLONE_NEWUSER); the child writes its PID to PIDFILE,
 *                                     sleeps 2 s and exits; exits 0 when all went so
 *   uw-nstest setns-badfd             setns(9999, 0) must fail with EBADF (exit 0 if it did)
 *   uw-nstest setns-eperm NSFILE      opens NSFILE, drops root (uid 65534), setns must fail with
 *                                     EPERM (exit 0 if it did)
 *   uw-nstest setns-seq NSFILE... [-- CMD ARGS...]
 *                                     opens every NSFILE first, then setns into each in order
 *                                     (enter and leave again: name the way back last), then
 *                                     runs CMD, or exits 0; with UW_NSTEST_WAIT=FIFO in the
 *                                     environment, waits for a line on FIFO before CMD (having
 *                                     made the file UW_NSTEST_READY names, if set)
 *   uw-nstest leader-exit SECONDS     a second thread lives SECONDS; the thread-group leader
 *                                     exits at once (the process lives on without it)
 *   uw-nstest memfd-exec FILE ARGS... copies FILE into a memfd named uw-payload and runs it
 *                                     with fexecve
 *   uw-nstest newuser-stay SECONDS    clone(CLONE_NEWUSER): a child in a new user namespace, while
 *                                     this process stays in its own; both live SECONDS (the child
 *                                     dies with its parent)
 *   uw-nstest vm-target FILE SECONDS  writes "PID ADDRESS" (of a buffer of its own) to FILE, then
 *                                     lives SECONDS: a process for the two below to take hold of
 *   uw-nstest ptrace-seize PID        PTRACE_SEIZE on PID (exit 0 if it succeeded; the tracee is
 *                                     let go when this process exits, never stopped)
 *   uw-nstest vm-write PID ADDRESS    process_vm_writev of one byte to PID at ADDRESS (hex; exit 0
 *                                     if it wrote it)
 *   uw-nstest mem-write PID ADDRESS   the same through /proc/PID/mem
 *   uw-nstest thread-exec FILE FIFO PROG ARGS...  a second thread writes "PID TID ADDRESS" to FILE,
 *                                     waits for a line on FIFO, then runs PROG (an exec from a
 *                                     thread that is not the process's first)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

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

static int setns_seq(int argc, char **argv)
{
	int fds[16], n = 0, i;

	for (i = 2; i < argc && strcmp(argv[i], "--") && n < 16; i++) {
		fds[n] = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fds[n] < 0) {
			perror(argv[i]);
			return 1;
		}
		n++;
	}
	for (i = 0; i < n; i++) {
		if (setns(fds[i], 0)) {
			perror("setns");
			return 1;
		}
	}
	if (getenv("UW_NSTEST_WAIT")) {
		char line[16];
		int w;

		if (getenv("UW_NSTEST_READY"))
			close(open(getenv("UW_NSTEST_READY"), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
		w = open(getenv("UW_NSTEST_WAIT"), O_RDONLY | O_CLOEXEC);

		if (w < 0 || read(w, line, sizeof(line)) < 0)
			return 1;
		close(w);
	}
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--") && i + 1 < argc) {
			execv(argv[i + 1], argv + i + 1);
			perror("execv");
			return 1;
		}
	}
	return 0;
}

static void *live_on(void *arg)
{
	sleep((unsigned)(uintptr_t)arg);
	exit(0);
}

static int leader_exit(const char *secs)
{
	pthread_t t;

	if (pthread_create(&t, NULL, live_on, (void *)(uintptr_t)strtoul(secs, NULL, 10)))
		return 1;
	syscall(SYS_exit, 0); /* this thread only: the process lives on in the other */
	return 1;
}

static int memfd_exec(char **argv)
{
	char buf[65536];
	int in = open(argv[2], O_RDONLY | O_CLOEXEC), fd = memfd_create("uw-payload", 0);
	ssize_t n;

	if (in < 0 || fd < 0)
		return 1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return 1;
	close(in);
	fexecve(fd, argv + 3, environ);
	perror("fexecve");
	return 1;
}

static int newuser_stay(const char *secs)
{
	unsigned n = (unsigned)strtoul(secs, NULL, 10);
	long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);

	if (pid < 0) {
		perror("clone(CLONE_NEWUSER)");
		return 1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		sleep(n);
		_exit(0);
	}
	sleep(n);
	return 0;
}

static volatile char vm_buf[64];

static int vm_target(const char *file, const char *secs)
{
	FILE *f = fopen(file, "w");

	if (!f)
		return 1;
	fprintf(f, "%d %lx\n", getpid(), (unsigned long)(uintptr_t)vm_buf);
	fclose(f);
	sleep((unsigned)strtoul(secs, NULL, 10));
	return vm_buf[0] == 'x' ? 3 : 0; /* 3: it was written to */
}

static int vm_write(const char *pid, const char *addr)
{
	char b = 'x';
	struct iovec local = { &b, 1 };
	struct iovec remote = { (void *)(uintptr_t)strtoul(addr, NULL, 16), 1 };

	return process_vm_writev((pid_t)atoi(pid), &local, 1, &remote, 1, 0) == 1 ? 0 : 1;
}

static int mem_write(const char *pid, const char *addr)
{
	char path[64], b = 'x';
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/%d/mem", atoi(pid));
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 1;
	ok = pwrite(fd, &b, 1, (off_t)strtoul(addr, NULL, 16)) == 1;
	close(fd);
	return ok ? 0 : 1;
}

static char **thread_argv;

static void *thread_exec_run(void *arg)
{
	FILE *f = fopen(thread_argv[2], "w");
	char line[16];
	int fifo;

	(void)arg;
	if (!f)
		exit(1);
	fprintf(f, "%d %ld %lx\n", getpid(), (long)syscall(SYS_gettid), (unsigned long)(uintptr_t)vm_buf);
	fclose(f);
	fifo = open(thread_argv[3], O_RDONLY | O_CLOEXEC);
	if (fifo < 0 || read(fifo, line, sizeof(line)) < 0)
		exit(1);
	execve(thread_argv[4], thread_argv + 4, environ);
	exit(127);
}

static int thread_exec(char **argv)
{
	pthread_t th;

	thread_argv = argv;
	if (pthread_create(&th, NULL, thread_exec_run, NULL))
		return 1;
	pthread_join(th, NULL);
	return 1;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc >= 3 && !strcmp(argv[1], "setns-seq"))
		return setns_seq(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "leader-exit"))
		return leader_exit(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "memfd-exec"))
		return memfd_exec(argv);

	if (argc == 3 && !strcmp(argv[1], "clone3-newuser"))
		return clone3_newuser(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "newuser-stay"))
		return newuser_stay(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "vm-target"))
		return vm_target(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "ptrace-seize"))
		return ptrace(PTRACE_SEIZE, (pid_t)atoi(argv[2]), 0, 0) == 0 ? 0 : 1;
	if (argc == 4 && !strcmp(argv[1], "vm-write"))
		return vm_write(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "mem-write"))
		return mem_write(argv[2], argv[3]);
	if (argc >= 5 && !strcmp(argv[1], "thread-exec"))
		return thread_exec(argv);
	if (argc == 2 && !strcmp(argv[1], "setns-badfd"))
		return setns(9999, 0) == -1 && errno == EBADF ? 0 : 1;
	if (argc == 3 && !strcmp(argv[1], "setns-eperm")) {
		fd = open(argv[2], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setgid(65534) || setuid(65534))
			return 2;
		return setns(fd, 0) == -1 && errno == EPERM ? 0 : 1;
	}
	fprintf(stderr, "usage: uw-nstest clone3-newuser PIDFILE | setns-badfd | setns-eperm NSFILE |\n"
			"       setns-seq NSFILE... [-- CMD...] | leader-exit SECONDS |\n"
			"       memfd-exec FILE ARGV0 ARGS... | newuser-stay SECONDS |\n"
			"       vm-target FILE SECONDS | ptrace-seize PID | vm-write PID ADDRESS |\n"
			"       mem-write PID ADDRESS | thread-exec FILE FIFO PROG ARGS...\n");
	return 2;
}
