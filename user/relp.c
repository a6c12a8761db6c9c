// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* RELP frames (relp.h): written for the receiver, and its responses read, bounded and strict. */
#include "relp.h"

#include <stdio.h>
#include <string.h>

size_t uw_relp_frame(char *buf, size_t cap, unsigned txnr, const char *cmd, const char *data, size_t len)
{
	int n = snprintf(buf, cap, len ? "%u %s %zu " : "%u %s %zu", txnr, cmd, len);
	size_t need;

	if (n < 0)
		return 0;
	need = (size_t)n + len + 1;
	if (buf && need < cap) {
		memcpy(buf + n, data, len);
		buf[n + len] = '\n';
		buf[need] = '\0';
	}
	return need;
}

/* A decimal number of 1 to 9 digits at buf[*i], followed by a space, LF or (datalen 0) the
 * end of what was read. Returns 1 (read, *i past the digits), 0 (more bytes needed), -1. */
static int number(const char *buf, size_t len, size_t *i, unsigned *v)
{
	size_t start = *i;

	*v = 0;
	while (*i < len && buf[*i] >= '0' && buf[*i] <= '9') {
		if (*i - start == 9)
			return -1;
		*v = *v * 10 + (unsigned)(buf[*i] - '0');
		(*i)++;
	}
	if (*i == len)
		return 0;
	return *i > start ? 1 : -1;
}

long uw_relp_parse(const char *buf, size_t len, unsigned *txnr, enum uw_relp_kind *kind, int *code)
{
	char cmd[16];
	size_t i = 0, c = 0;
	unsigned dlen;
	int r;

	*code = 0;
	if ((r = number(buf, len, &i, txnr)) <= 0)
		return r;
	if (buf[i++] != ' ')
		return -1;
	while (i < len && buf[i] != ' ' && buf[i] != '\n') {
		if (c == sizeof(cmd) - 1 || buf[i] < 'a' || buf[i] > 'z')
			return -1;
		cmd[c++] = buf[i++];
	}
	if (i == len)
		return 0;
	cmd[c] = '\0';
	if (!strcmp(cmd, "rsp"))
		*kind = UW_RELP_RSP;
	else if (!strcmp(cmd, "serverclose"))
		*kind = UW_RELP_SERVERCLOSE;
	else
		return -1;
	if (buf[i++] != ' ')
		return -1;
	if ((r = number(buf, len, &i, &dlen)) <= 0)
		return r;
	if (dlen > UW_RELP_RSP_MAX)
		return -1;
	if (dlen) {
		if (buf[i] != ' ')
			return -1;
		i++;
		if (len - i < (size_t)dlen + 1)
			return 0;
		if (*kind == UW_RELP_RSP) {
			if (dlen < 3 || buf[i] < '1' || buf[i] > '5' || buf[i + 1] < '0' || buf[i + 1] > '9' ||
			    buf[i + 2] < '0' || buf[i + 2] > '9')
				return -1;
			*code = (buf[i] - '0') * 100 + (buf[i + 1] - '0') * 10 + (buf[i + 2] - '0');
		}
		i += dlen;
	} else if (*kind == UW_RELP_RSP) {
		return -1; /* a response always has a status */
	}
	if (buf[i] != '\n')
		return -1;
	return (long)i + 1;
}
