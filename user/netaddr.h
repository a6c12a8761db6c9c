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
/* The value of a port option (opt: "--ready-tcp", ...): "PORT" (127.0.0.1), "IPV4:PORT" or
 * "[IPV6]:PORT". Returns 0, or -1 with "bad OPT value ..." in err. */
int uw_netaddr_option(const char *opt, const char *spec, struct uw_netaddr *a, char *err, size_t errlen);
/* A non-blocking, close-on-exec socket listening on a; -1 with "OPT: cannot listen on ..." in
 * err. */
int uw_netaddr_listen(const char *opt, const struct uw_netaddr *a, int backlog, char *err, size_t errlen);

#endif
