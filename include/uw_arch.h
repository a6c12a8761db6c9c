/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What differs between architectures, in one place, for the BPF programs (built with
 * -D__TARGET_ARCH_<arch>) and userspace (the compiler's own macros). A third architecture is
 * one more block here, its include/<arch>/vmlinux.h and a line in the Makefile's table.
 *
 *  UW_SYS(name)          the 64-bit system call entry point fentry attaches to
 *  UW_SYS32(name)        the 32-bit (compat) table's own entry point, where it has one
 *  UW_HAVE_SYS32         1 when the compat table has entry points of its own (x86's
 *                        __ia32_sys_*); 0 where compat tasks call the 64-bit entry points (arm64)
 *  UW_REG_SYSCALL_NR     the struct pt_regs field holding the current system call's number
 *  UW_NR_CLONE3          clone3's number (435 in x86-64's, i386's and the generic table alike)
 *  UW_ARCH_NAME          the architecture's name as `uname -m` says it (--version)
 */
#ifndef UW_ARCH_H
#define UW_ARCH_H

#if defined(__TARGET_ARCH_x86) || (!defined(__bpf__) && defined(__x86_64__))
#define UW_SYS(name) "__x64_sys_" #name
#define UW_SYS32(name) "__ia32_sys_" #name
#define UW_HAVE_SYS32 1
#define UW_REG_SYSCALL_NR orig_ax
#define UW_ARCH_NAME "x86_64"
#elif defined(__TARGET_ARCH_arm64) || (!defined(__bpf__) && defined(__aarch64__))
#define UW_SYS(name) "__arm64_sys_" #name
#define UW_SYS32(name) "__arm64_sys_" #name
#define UW_HAVE_SYS32 0
#define UW_REG_SYSCALL_NR syscallno
#define UW_ARCH_NAME "aarch64"
#else
#error "include/uw_arch.h: no entry for this architecture"
#endif

#define UW_NR_CLONE3 435

#endif
