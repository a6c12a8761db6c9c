/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Least privilege once the watch is set up (programs loaded and attached, listeners open), before
 * the first byte a container controls is parsed (the snapshot's metadata and /proc files): every
 * capability the watch does not use is dropped from every set, no_new_privs is set, and a
 * seccomp allow-list admits exactly the system calls the snapshot and the loop make; files are
 * opened for reading only, but with --output-file (its reopen). The capabilities
 * kept, and why:
 *  - CAP_BPF (CAP_SYS_ADMIN on a kernel without it, or when the process does not hold
 *    CAP_BPF, as in a container of a runtime that cannot grant it): the bpf() calls of the loop (counters,
 *    the ignore and watched-cgroup maps; with kernel.unprivileged_bpf_disabled every bpf()
 *    call needs it);
 *  - CAP_SYS_PTRACE: /proc/PID/exe and /proc/PID/ns/ entries of processes of other users, or with
 *    capabilities we no longer hold (ptrace access checks);
 *  - CAP_DAC_READ_SEARCH: open_by_handle_at (cgroups by ID), and runtime files below the host
 *    root whatever their modes.
 */
#ifndef UW_SANDBOX_H
#define UW_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

/* System calls options add to the allow-list (uw_sandbox.extra), only when given. */
#define UW_SANDBOX_REOPEN 1u  /* --output-file: dup3, and open/openat for writing (else files
			       * are opened for reading only) */
#define UW_SANDBOX_ACCEPT 2u  /* --ready-tcp: accept4 */
#define UW_SANDBOX_CONNECT 4u /* --syslog: socket, connect, sendto, recvfrom, getsockopt */
#define UW_SANDBOX_HTTP 8u    /* --metrics: what libmicrohttpd calls to serve (sandbox.c) */
#define UW_SANDBOX_INOTIFY 16u /* --policy followed: inotify_add_watch, inotify_rm_watch */

struct uw_sandbox {
	unsigned extra;       /* UW_SANDBOX_* given by the caller before the filter is loaded */
	uint64_t kept;        /* capability bits kept (effective = permitted) */
	int bounding_dropped; /* the bounding set was cut too (needs CAP_SETPCAP) */
	int no_new_privs;
	int seccomp;          /* the allow-list is loaded */
};

/*
 * Drops the capabilities and sets no_new_privs. Returns 0, or -1 with a sentence in err (the
 * process keeps running with what it had: the caller says so).
 */
int uw_drop_capabilities(struct uw_sandbox *s, char *err, size_t errlen);

/*
 * Loads the seccomp allow-list. A call outside it kills the process (SIGSYS) after one sentence
 * on stderr naming the call. Returns 0, or -1 with a sentence in err.
 */
int uw_seccomp_install(struct uw_sandbox *s, char *err, size_t errlen);

#endif
