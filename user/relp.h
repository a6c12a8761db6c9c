/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * RELP, the Reliable Event Logging Protocol (rsyslog's imrelp): the frames the syslog sink
 * (syslog5424.c) sends and the responses it reads. A frame is
 *   TXNR SP COMMAND SP DATALEN [SP DATA] LF
 * TXNR a transaction number (1 to 999999999, counting up from 1 on each connection), COMMAND
 * "open", "syslog", "close" from the client, "rsp" (DATA: a three-digit code, 200 for success,
 * then text) and "serverclose" from the server. Only what a client needs is here.
 */
#ifndef UW_RELP_H
#define UW_RELP_H

#include <stddef.h>

#define UW_RELP_TXNR_MAX 999999999u
/* The longest response frame read: a server's "rsp" to open lists its offers, a few hundred
 * bytes; anything longer is not a server this client talks to. */
#define UW_RELP_RSP_MAX 4096

/* Writes the frame into buf (NUL-terminated when it fits); returns its length, or the length
 * it needs (snprintf's rule). */
size_t uw_relp_frame(char *buf, size_t cap, unsigned txnr, const char *cmd, const char *data, size_t len);

/* The open command's offers. */
#define UW_RELP_OFFERS "relp_version=0\nrelp_software=userns-watch\ncommands=syslog"

enum uw_relp_kind { UW_RELP_RSP = 1, UW_RELP_SERVERCLOSE = 2 };

/*
 * Parses one server frame at the start of buf (len bytes). Returns 0 when more bytes are needed,
 * -1 when the bytes are no frame a server sends (the connection is to be dropped), or the
 * frame's length, with *txnr, *kind and, for rsp, *code (the status: 200 is success).
 */
long uw_relp_parse(const char *buf, size_t len, unsigned *txnr, enum uw_relp_kind *kind, int *code);

#endif
