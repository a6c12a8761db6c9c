/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --syslog: every record also goes to a syslog receiver, the record (JSON or text line) as MSG:
 *   unix:PATH       a datagram socket (/dev/log: rsyslog's imuxsock, journald), in the local
 *                   form those parse by default (syslog(3)'s: app-name and PID as the tag)
 *   udp:ADDR:PORT   an RFC 5424 message per datagram (RFC 5426)
 *   tcp:ADDR:PORT   octet-counted framing (RFC 6587, 3.4.1)
 *   relp:ADDR:PORT  RELP (relp.h: rsyslog's imrelp): every message is kept until the receiver
 *                   acknowledges it, and sent again on a new connection when it did not
 * ADDR is numeric (IPv4, or IPv6 in brackets). Nothing here blocks the watch: messages wait in
 * a bounded queue, in order, while the receiver cannot take them (down, restarting, slow) and
 * go out when it can again; a message that does not fit the queue is dropped and counted.
 * Over TCP a connection the receiver closed is noticed before the next send, and a message
 * cut by a reset is sent again whole on the next connection (its partial frame died with the
 * old one). What UDP loses, nothing can tell; what TCP wrote into a connection the receiver then
 * lost is not known either ("sent" counts it): RELP's acknowledgements are what say "delivered".
 */
#ifndef UW_SYSLOG5424_H
#define UW_SYSLOG5424_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum uw_syslog_kind { UW_SYSLOG_UNIX, UW_SYSLOG_UDP, UW_SYSLOG_TCP, UW_SYSLOG_RELP };

/* RELP: messages sent and not yet acknowledged, at most (rsyslog's imrelp offers 128) */
#define UW_RELP_WINDOW 128
/* RELP: a message the receiver refuses this many times (an error status, each on a new
 * session) is dropped and counted, so that it cannot hold the queue behind it forever */
#define UW_RELP_REFUSALS 3

#define UW_SYSLOG_FACILITY 10 /* authpriv: security records, readable by root only */
#define UW_SYSLOG_QUEUE_BYTES (4u << 20)

struct uw_syslog_msg {
	char *buf;
	size_t len;
	unsigned txnr;          /* relp: its transaction on this connection (0: not sent on it) */
	int acked;              /* relp: 1 the receiver took it; 2 it refused it UW_RELP_REFUSALS
				 * times: dropped, counted */
	int refused;            /* relp: times the receiver answered it with an error */
};

struct uw_syslog {
	enum uw_syslog_kind kind;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char where[160];        /* for messages: "tcp 127.0.0.1 port 514" */
	int fd;                 /* -1: none */
	int up;                 /* tcp: connected; datagrams: last send worked */
	int connecting;         /* tcp: connect in progress */
	size_t off;             /* tcp: bytes of the head message sent */
	uint64_t retry_at;      /* boot clock: no send or connect before */
	uint64_t backoff;       /* ns, doubles up to 5 s while the receiver is away */
	struct uw_syslog_msg *q;
	size_t qcap, qhead, qn, qbytes, max_bytes;
	int pid;
	/* relp: the connection's session */
	int relp_state;         /* 0: open to be sent, 1: open sent, 2: open (messages go) */
	unsigned txnr, open_txnr;
	size_t inflight;        /* messages from the head sent on this connection, not acknowledged */
	char *out;              /* the frame being sent (off: its bytes sent) */
	size_t outlen, outcap;
	char *rbuf;             /* responses read, not yet parsed */
	size_t rlen;
	/* counts for the stats record (relp: sent counts what the receiver acknowledged) */
	uint64_t sent, dropped, connects, errors;
	int last_errno;
};

/* Parses the --syslog value into s (kind and address); -1 with a sentence in err. */
int uw_syslog_parse(const char *spec, struct uw_syslog *s, char *err, size_t errlen);
/* Sets up an empty queue of max_bytes; the first send connects. -1 when out of memory. */
int uw_syslog_init(struct uw_syslog *s, size_t max_bytes);
void uw_syslog_free(struct uw_syslog *s);
/* Formats one record (sev: the record's severity word, event: its kind) as an RFC 5424
 * message from host at ts_ns (wall clock), queues it and sends what the receiver takes now. */
void uw_syslog_record(struct uw_syslog *s, const char *sev, const char *event, uint64_t ts_ns,
		      const char *host, const char *msg, size_t len, uint64_t now_ns);
/* Connects again when due and sends what is queued; cheap when the queue is empty. */
void uw_syslog_pump(struct uw_syslog *s, uint64_t now_ns);
/* At exit: sends what is queued for up to timeout_ms; returns how many messages are left. */
size_t uw_syslog_drain(struct uw_syslog *s, int timeout_ms);
/* The RFC 5424 severity (0..7) for a record's severity word. */
int uw_syslog_severity(const char *sev);
/* Formats the message (header and msg, no framing) into buf; returns its length, or the
 * length it would need when it does not fit (snprintf's rule). */
size_t uw_syslog_format(char *buf, size_t cap, int pri, uint64_t ts_ns, const char *host,
			const char *app, int pid, const char *msgid, const char *msg, size_t len);
/* The same in the local form a host's syslog daemon parses on its socket (/dev/log: rsyslog's
 * imuxsock, journald), as syslog(3) and logger(1) write it: "<PRI>Mmm dd hh:mm:ss APP[PID]: MSG"
 * (the daemon adds the host's name; the time is the local one, to the second). */
size_t uw_syslog_format_local(char *buf, size_t cap, int pri, uint64_t ts_ns, const char *app, int pid,
			      const char *msg, size_t len);

#endif
