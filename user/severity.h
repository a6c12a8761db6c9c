/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* How bad a container process in the host user namespace is: the table the README documents. */
#ifndef UW_SEVERITY_H
#define UW_SEVERITY_H

#include <stddef.h>
#include <stdint.h>

#define UW_CAP_SYS_ADMIN 21
#define UW_CAPS_FULL_TEXT 0x3fffffffffULL /* capabilities 0..37: said "full" in text lines */

/*
 * critical: CAP_SYS_ADMIN in the effective set (root of a privileged container, or any process
 *           holding it: with the host user namespace it is the host's CAP_SYS_ADMIN);
 * high:     root (uid or euid 0) without CAP_SYS_ADMIN (a default Docker container's root), or a
 *           process that is not root but holds effective capabilities;
 * medium:   not root and no effective capability.
 */
const char *uw_host_userns_severity(uint32_t uid, uint32_t euid, uint64_t cap_effective);

/* The capabilities' names ("cap_sys_admin", ...; "cap_N" for a number libcap does not know), in
 * bit order, for each bit set: calls fn(ctx, name). */
void uw_caps_each(uint64_t caps, void (*fn)(void *ctx, const char *name), void *ctx);

/* This process's effective capabilities (libcap), bit n for capability n. */
uint64_t uw_caps_own_effective(void);

/* The same names, comma-separated, into buf (cut at len; "" for none). */
void uw_caps_names(uint64_t caps, char *buf, size_t len);

#endif
