/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* An alert's program: the best name for the executable a task record or transition names. */
#ifndef UW_EXE_H
#define UW_EXE_H

#include <stddef.h>
#include <stdint.h>

#include "uw_event.h"

/*
 * Best name of the program, and what kind of file it is (*kind):
 *  - "memfd": an unlinked file named memfd:* (memfd_create), shown by that name;
 *  - "deleted": an unlinked file, shown as /proc/PID/exe shows it ("… (deleted)");
 *  - "fd": executed through a file descriptor (fexecve, execveat): /proc/PID/exe;
 *  - "path": what execve was given if absolute, else /proc/PID/exe;
 *  - "private_mount": a file the host's view has no path to (runc runs its own binary from
 *    its private mount namespace): the runtime binary below host_root with the same device
 *    and inode, else those numbers.
 * /proc/PID/exe is used only while it is still the same file (device and inode checked: the
 * process may have exec'd something else since); else the name the kernel sent (kexe, with
 * flags UW_F_EXE_*). Returns buf (len bytes, at least 64), or a string in it.
 *
 * *view says whose view the name is, since a path proves nothing (a container can mount any
 * file at /usr/sbin/runc): "process" (a path as the process's own root and mount namespace
 * name it: a container's, which it controls), "host" (a host file found by the executable's
 * device and inode below host_root), or "name" (no path: memfd_create's name, a base name,
 * or the device and inode numbers). The program's identity is the device, inode, generation
 * and change time, never the name.
 */
const char *uw_exe_name(const char *procfs, const char *host_root, uint32_t pid, uint32_t flags,
			const char kexe[UW_EXE_LEN], uint64_t exe_ino, uint32_t exe_dev,
			const char **kind, const char **view, char *buf, size_t len);

/*
 * The command line of process pid as procfs/PID/cmdline shows it now, its arguments joined by
 * spaces, into buf (len bytes, at least 2): only while /proc/PID/exe is still the file the
 * kernel recorded (exe_ino, exe_dev; checked after the read), else "" (gone, or it ran another
 * program since). At most len - 1 bytes: *truncated says whether there was more. The process
 * writes its own command line (its argument memory): it names, it never decides. Returns buf.
 */
#define UW_CMDLINE_MAX 1024
char *uw_cmdline(const char *procfs, uint32_t pid, uint64_t exe_ino, uint32_t exe_dev, char *buf,
		 size_t len, int *truncated);

#endif
