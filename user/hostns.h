/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The host's namespace inodes, read from the host's procfs. */
#ifndef UW_HOSTNS_H
#define UW_HOSTNS_H

#include <stddef.h>
#include "uw_event.h"

/* The kernel's fixed inode of the initial user namespace (PROC_USER_INIT_INO). */
#define UW_INIT_USERNS_INO 0xEFFFFFFDu
/* ... and of the initial pid namespace (PROC_PID_INIT_INO). */
#define UW_INIT_PIDNS_INO 0xEFFFFFFCu

/*
 * Reads procfs/1/ns/{user,mnt,pid,net,uts,ipc,cgroup}. Where PID 1's links cannot be read
 * (some sandboxes deny it even to root), falls back to PID 2 when it is kthreadd: kernel
 * threads always live in the initial namespaces. Returns 0, or -1 with a sentence in err.
 * *from_pid is set to the PID the values came from.
 */
int uw_host_ns(const char *procfs, struct uw_ns *ns, int *from_pid, char *err, size_t errlen);

/* Parses a /proc/PID/ns link text such as "mnt:[4026531841]" for the given type. */
int uw_parse_ns_link(const char *link, const char *type, unsigned *inum);

/* Reads procfs/PID/ns/TYPE; returns 0 or -errno. */
int uw_read_ns(const char *procfs, int pid, const char *type, unsigned *inum);

/* Reads every namespace of procfs/PID (pid_for_children stays 0); returns 0 or the first -errno. */
int uw_read_all_ns(const char *procfs, int pid, struct uw_ns *ns);

#endif
