// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "ready.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int uw_ready_parse(const char *spec, struct uw_netaddr *a, char *err, size_t errlen)
{
	if (!uw_netaddr_parse(spec, 1, a))
		return 0;
	snprintf(err, errlen,
		 "bad --ready-tcp value '%.300s' (want PORT, IPV4:PORT or [IPV6]:PORT, a numeric address "
		 "and a port from 1 to 65535)",
		 spec);
	return -1;
}

int uw_ready_listen(const struct uw_netaddr *a, char *err, size_t errlen)
{
	char where[80];
	int fd, one = 1;

	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)&a->ss, a->len) || listen(fd, 1)) {
		int e = errno;

		close(fd);
		errno = e;
		goto fail;
	}
	return fd;
fail:
	uw_netaddr_str(a, where, sizeof(where));
	snprintf(err, errlen, "--ready-tcp: cannot listen on %s: %s", where, strerror(errno));
	return -1;
}

unsigned uw_ready_accept(int fd, unsigned max)
{
	unsigned n = 0;
	int c;

	while (n < max && (c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		close(c);
		n++;
	}
	return n;
}
