// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "netaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_port(const char *s, unsigned short *port)
{
	unsigned long v;
	char *end;

	if (!*s || *s < '0' || *s > '9' || strlen(s) > 5)
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > 65535)
		return -1;
	*port = (unsigned short)v;
	return 0;
}

int uw_netaddr_parse(const char *spec, int port_alone, struct uw_netaddr *a)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *port_s;
	unsigned short port;
	size_t hl;

	memset(a, 0, sizeof(*a));
	if (spec[0] == '[') { /* [IPV6]:PORT */
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':')
			goto bad;
		hl = (size_t)(close - spec - 1);
		if (hl == 0 || hl >= sizeof(host))
			goto bad;
		memcpy(host, spec + 1, hl);
		host[hl] = '\0';
		port_s = close + 2;
		if (parse_port(port_s, &port))
			goto bad;
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			goto bad;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		a->len = sizeof(*s6);
		return 0;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;
	colon = strrchr(spec, ':');
	if (!colon) { /* PORT: loopback only */
		if (!port_alone || parse_port(spec, &port))
			goto bad;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else {
		hl = (size_t)(colon - spec);
		if (hl == 0 || hl >= sizeof(host) || memchr(spec, ':', hl))
			goto bad;
		memcpy(host, spec, hl);
		host[hl] = '\0';
		if (parse_port(colon + 1, &port) || inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			goto bad;
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	a->len = sizeof(*s4);
	return 0;
bad:
	return -1;
}

void uw_netaddr_str(const struct uw_netaddr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";
	int port;

	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&a->ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&a->ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		port = ntohs(s4->sin_port);
	}
	snprintf(buf, len, "%s port %d", host, port);
}

int uw_netaddr_option(const char *opt, const char *spec, struct uw_netaddr *a, char *err, size_t errlen)
{
	if (!uw_netaddr_parse(spec, 1, a))
		return 0;
	snprintf(err, errlen,
		 "bad %s value '%.300s' (want PORT, IPV4:PORT or [IPV6]:PORT, a numeric address and a port "
		 "from 1 to 65535)",
		 opt, spec);
	return -1;
}

int uw_netaddr_listen(const char *opt, const struct uw_netaddr *a, int backlog, char *err, size_t errlen)
{
	char where[80];
	int fd, one = 1;

	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
			bind(fd, (const struct sockaddr *)&a->ss, a->len) || listen(fd, backlog))) {
		int e = errno;

		close(fd);
		errno = e;
		fd = -1;
	}
	if (fd < 0) {
		uw_netaddr_str(a, where, sizeof(where));
		snprintf(err, errlen, "%s: cannot listen on %s: %s", opt, where, strerror(errno));
	}
	return fd;
}
