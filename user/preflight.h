/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the tool needs before it touches the kernel: privileges and BTF. */
#ifndef UW_PREFLIGHT_H
#define UW_PREFLIGHT_H

#include <stddef.h>

/*
 * Checks the effective capabilities (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN; CAP_SYS_PTRACE
 * to read other processes' /proc entries; CAP_DAC_READ_SEARCH to open cgroups by ID).
 * Returns 0, or -1 with one sentence naming what is missing in err.
 */
int uw_check_privileges(char *err, size_t errlen);

/* Checks that the kernel exposes its BTF at path. Returns 0, or -1 with a sentence in err. */
int uw_check_btf(const char *path, char *err, size_t errlen);

/* Checks that the kernel has BPF ring buffers (Linux 5.8+). Returns 0, or -1 with err set. */
int uw_check_ringbuf(char *err, size_t errlen);

/*
 * Makes sure tracefs is mounted (classic tracepoints need it): at /sys/kernel/tracing or
 * /sys/kernel/debug/tracing, else mounts it at /sys/kernel/tracing and sets *mounted.
 * Returns 0, or -errno when it is not there and cannot be mounted.
 */
int uw_tracefs_ready(int *mounted);
/* Unmounts what uw_tracefs_ready mounted. */
void uw_tracefs_release(int mounted);

#endif
