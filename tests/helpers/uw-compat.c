// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test helper: namespace system calls through the 32-bit (compat) system call table, which the
 * syscall tracepoints do not report on x86-64 or arm64. A static 32-bit program without libc,
 * so it needs no 32-bit libraries: i386 for x86-64 (int 0x80; gcc -m32), AArch32 for arm64
 * (svc 0 with the number in r7; clang --target=armv7a-linux-gnueabihf, linked by lld).
 *   uw-compat unshare-user     unshare(CLONE_NEWUSER)
 *   uw-compat setns PATH...    open(PATH) and setns(fd, 0), for each PATH in turn
 *   uw-compat setns-fork PATH...  the same, then fork; the child exits at once (a fork made
 *                              after the changes, where they are found when no hook saw them)
 *   uw-compat ptrace-seize PID  ptrace(PTRACE_SEIZE, PID, 0, 0) (the tracee is let go when this
 *                              process exits, never stopped)
 * Exits 0 when the calls succeeded, else with the first failed one's errno.
 */
#define CLONE_NEWUSER 0x10000000

#if defined(__i386__)
#define NR_EXIT 1
#define NR_FORK 2
#define NR_OPEN 5
#define NR_UNSHARE 310
#define NR_SETNS 346
#define NR_PTRACE 26

static long sys4(long n, long a, long b, long c, long d)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
	return r;
}
#elif defined(__arm__)
/* arch/arm/tools/syscall.tbl (EABI) */
#define NR_EXIT 1
#define NR_FORK 2
#define NR_OPEN 5
#define NR_UNSHARE 337
#define NR_SETNS 375
#define NR_PTRACE 26

static long sys4(long n, long a, long b, long c, long d)
{
	register long r0 __asm__("r0") = a;
	register long r1 __asm__("r1") = b;
	register long r2 __asm__("r2") = c;
	register long r3 __asm__("r3") = d;
	register long r7 __asm__("r7") = n;

	__asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r7) : "memory");
	return r0;
}
#else
#error "uw-compat: a 32-bit x86 or Arm program"
#endif

#define PTRACE_SEIZE 0x4206

static long sys3(long n, long a, long b, long c)
{
	return sys4(n, a, b, c, 0);
}

/* a decimal number, or -1 */
static long number(const char *s)
{
	long n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* open and setns each path in turn; the first failure's negative errno, else 0 */
static long setns_all(long n, char **paths)
{
	long i, fd, r = 0;

	for (i = 0; i < n && r >= 0; i++) {
		fd = sys3(NR_OPEN, (long)paths[i], 0, 0);
		r = fd < 0 ? fd : sys3(NR_SETNS, fd, 0, 0);
	}
	return r;
}

__attribute__((used, noreturn)) void uw_main(long *sp)
{
	long argc = sp[0], r = -22, pid;
	char **argv = (char **)(sp + 1);

	if (argc == 2 && streq(argv[1], "unshare-user")) {
		r = sys3(NR_UNSHARE, CLONE_NEWUSER, 0, 0);
	} else if (argc >= 3 && streq(argv[1], "setns")) {
		r = setns_all(argc - 2, argv + 2);
	} else if (argc == 3 && streq(argv[1], "ptrace-seize")) {
		pid = number(argv[2]);
		r = pid > 0 ? sys4(NR_PTRACE, PTRACE_SEIZE, pid, 0, 0) : -22;
	} else if (argc >= 3 && streq(argv[1], "setns-fork")) {
		r = setns_all(argc - 2, argv + 2);
		if (r >= 0) {
			pid = sys3(NR_FORK, 0, 0, 0);
			if (pid == 0)
				sys3(NR_EXIT, 0, 0, 0);
			r = pid < 0 ? pid : 0;
		}
	}
	sys3(NR_EXIT, r < 0 ? -r : 0, 0, 0);
	for (;;)
		;
}

/* the entry point: the stack holds argc, argv[]; align it and call uw_main(sp) */
#if defined(__i386__)
__asm__(".globl _start\n"
	"_start:\n"
	"\tmovl %esp, %eax\n"
	"\tandl $-16, %esp\n"
	"\tsubl $12, %esp\n"
	"\tpushl %eax\n"
	"\tcall uw_main\n"
	"\thlt\n");
#else
__asm__(".globl _start\n"
	"_start:\n"
	"\tmov r0, sp\n"
	"\tbic sp, sp, #7\n"
	"\tbl uw_main\n");
#endif
