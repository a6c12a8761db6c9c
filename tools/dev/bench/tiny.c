// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The smallest program to exec: exit(0), no libc (built -static -nostdlib). */
void _start(void)
{
	__asm__ volatile("mov $60, %eax\n\txor %edi, %edi\n\tsyscall");
}
