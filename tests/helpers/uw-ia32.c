// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test helper: namespace system calls through the 32-bit table (int 0x80), which x86-64's
 * syscall tracepoints do not report. A static i386 program without libc (built with
 * gcc -m32 -static -nostdlib), so it needs no 32-bit libraries.
 *   uw-ia32 unshare-user     unshare(CLONE_NEWUSER)
 *   uw-ia32 setns PATH       open(PATH) and setns(fd, 0)
 * Exits 0 when the call succeeded, else with its errno.
 */
#define NR_EXIT 1
#define NR_OPEN 5
#define NR_UNSHARE 310
#define NR_SETNS 346
#define CLONE_NEWUSER 0x10000000

static long sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

__attribute__((used, noreturn)) void uw_main(long *sp)
{
	long argc = sp[0], r = -22, fd;
	char **argv = (char **)(sp + 1);

	if (argc == 2 && streq(argv[1], "unshare-user")) {
		r = sys3(NR_UNSHARE, CLONE_NEWUSER, 0, 0);
	} else if (argc == 3 && streq(argv[1], "setns")) {
		fd = sys3(NR_OPEN, (long)argv[2], 0, 0);
		r = fd < 0 ? fd : sys3(NR_SETNS, fd, 0, 0);
	}
	sys3(NR_EXIT, r < 0 ? -r : 0, 0, 0);
	for (;;)
		;
}

/* the entry point: the stack holds argc, argv[]; align it and call uw_main(sp) */
__asm__(".globl _start\n"
	"_start:\n"
	"\tmovl %esp, %eax\n"
	"\tandl $-16, %esp\n"
	"\tsubl $12, %esp\n"
	"\tpushl %eax\n"
	"\tcall uw_main\n"
	"\thlt\n");
