/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Numeric socket addresses from the command line (no name lookups: the image has no resolver). */
#ifndef UW_NETADDR_H
#define UW_NETADDR_H

#include <stddef.h>
#include <sys/socket.h>

struct uw_netaddr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* "IPV4:PORT" or "[IPV6]:PORT", and with port_alone "PORT" too (127.0.0.1); the port 1..65535.
 * Returns 0, or -1. */
int uw_netaddr_parse(const char *spec, int port_alone, struct uw_netaddr *a);
/* "ADDR port N", for messages. */
void uw_netaddr_str(const struct uw_netaddr *a, char *buf, size_t len);

#endif
