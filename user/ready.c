// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "ready.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int uw_ready_listen(const struct uw_netaddr *a, char *err, size_t errlen)
{
	return uw_netaddr_listen("--ready-tcp", a, 1, err, errlen);
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
