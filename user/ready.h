/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Readiness: with --ready-tcp, a TCP port that is listened on only once the watch is set up
 * (programs attached, snapshot written, sandbox entered), for a Kubernetes tcpSocket probe.
 * Connections are accepted and closed at once: nothing is read from them, so there is no
 * request parser to attack. The backlog is one: a loop that stops accepting makes the probe
 * fail within a few probes.
 */
#ifndef UW_READY_H
#define UW_READY_H

#include <stddef.h>
#include "netaddr.h"

/* A non-blocking, close-on-exec listening socket bound to a; -1 with a sentence in err. */
int uw_ready_listen(const struct uw_netaddr *a, char *err, size_t errlen);
/* Accepts and closes up to max pending connections; returns how many. */
unsigned uw_ready_accept(int fd, unsigned max);

#endif
