/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Record times as RFC 3339 UTC with nanoseconds ("2026-12-04T18:23:49.123456789Z"). */
#ifndef UW_RFC3339_H
#define UW_RFC3339_H

#include <stddef.h>
#include <stdint.h>

/* Formats ns since the epoch into buf (>= 32 bytes; a shorter one is cut as snprintf cuts). */
void uw_rfc3339(uint64_t ns, char *buf, size_t len);

#endif
