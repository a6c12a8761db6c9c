// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "syslog5424.h"
#include "netaddr.h"
#include "relp.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_MIN_NS 100000000ULL   /* 100 ms */
#define BACKOFF_MAX_NS 5000000000ULL  /* 5 s */
#define QUEUE_MAX_MSGS 65536

int uw_syslog_parse(const char *spec, struct uw_syslog *s, char *err, size_t errlen)
{
	struct uw_netaddr na;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (!strncmp(spec, "unix:", 5)) {
		struct sockaddr_un *un = (struct sockaddr_un *)&s->addr;
		size_t n = strlen(spec + 5);

		if (spec[5] != '/' || n >= sizeof(un->sun_path)) {
			snprintf(err, errlen,
				 "bad --syslog value '%.300s' (unix: wants an absolute socket path of at most %zu bytes)",
				 spec, sizeof(un->sun_path) - 1);
			return -1;
		}
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, spec + 5, n + 1);
		s->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
		s->kind = UW_SYSLOG_UNIX;
		snprintf(s->where, sizeof(s->where), "unix %.140s", spec + 5);
		return 0;
	}
	if (!strncmp(spec, "udp:", 4) || !strncmp(spec, "tcp:", 4) || !strncmp(spec, "relp:", 5)) {
		size_t k = spec[0] == 'r' ? 5 : 4;
		char a[80];

		if (uw_netaddr_parse(spec + k, 0, &na)) {
			snprintf(err, errlen,
				 "bad --syslog value '%.300s' (want unix:PATH, udp:ADDR:PORT, tcp:ADDR:PORT or "
				 "relp:ADDR:PORT, ADDR numeric: IPv4, or IPv6 in brackets)",
				 spec);
			return -1;
		}
		s->kind = spec[0] == 'u' ? UW_SYSLOG_UDP : spec[0] == 'r' ? UW_SYSLOG_RELP : UW_SYSLOG_TCP;
		memcpy(&s->addr, &na.ss, sizeof(na.ss));
		s->addrlen = na.len;
		uw_netaddr_str(&na, a, sizeof(a));
		snprintf(s->where, sizeof(s->where), "%.*s %s", (int)k - 1, spec, a);
		return 0;
	}
	snprintf(err, errlen,
		 "bad --syslog value '%.300s' (want unix:PATH, udp:ADDR:PORT, tcp:ADDR:PORT or relp:ADDR:PORT)",
		 spec);
	return -1;
}

int uw_syslog_init(struct uw_syslog *s, size_t max_bytes)
{
	s->qcap = 256;
	s->q = calloc(s->qcap, sizeof(*s->q));
	if (!s->q)
		return -1;
	s->qhead = s->qn = s->qbytes = 0;
	s->max_bytes = max_bytes;
	s->fd = -1;
	s->backoff = BACKOFF_MIN_NS;
	s->pid = (int)getpid();
	if (s->kind == UW_SYSLOG_RELP && !(s->rbuf = malloc(UW_RELP_RSP_MAX + 64))) {
		free(s->q);
		s->q = NULL;
		return -1;
	}
	return 0;
}

static void close_fd(struct uw_syslog *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->up = s->connecting = 0;
	s->off = 0;
}

void uw_syslog_free(struct uw_syslog *s)
{
	size_t i;

	close_fd(s);
	for (i = 0; s->q && i < s->qn; i++)
		free(s->q[(s->qhead + i) % s->qcap].buf);
	free(s->q);
	s->q = NULL;
	s->qn = 0;
	free(s->out);
	s->out = NULL;
	free(s->rbuf);
	s->rbuf = NULL;
}

int uw_syslog_severity(const char *sev)
{
	if (!sev)
		return 6;
	if (!strcmp(sev, "critical"))
		return 2;
	if (!strcmp(sev, "high"))
		return 3;
	if (!strcmp(sev, "medium"))
		return 4;
	return 6; /* info */
}

/* PRINTUSASCII (33..126) of at most max bytes; "-" when empty (RFC 5424 NILVALUE) */
static void header_field(char *out, size_t cap, const char *in, size_t max)
{
	size_t i, n = 0;

	for (i = 0; in && in[i] && i < max && n + 1 < cap; i++)
		out[n++] = in[i] >= 33 && in[i] <= 126 ? in[i] : '_';
	if (!n)
		out[n++] = '-';
	out[n] = '\0';
}

/* A header of n bytes (snprintf's count) in buf, then msg after it as far as cap allows; the
 * whole length, or what it would need (snprintf's rule). */
static size_t with_msg(char *buf, size_t cap, int n, const char *msg, size_t len)
{
	if (n < 0)
		return 0;
	if ((size_t)n < cap) {
		size_t room = cap - (size_t)n - 1;

		memcpy(buf + n, msg, len < room ? len : room);
		buf[(size_t)n + (len < room ? len : room)] = '\0';
	}
	return (size_t)n + len;
}

size_t uw_syslog_format(char *buf, size_t cap, int pri, uint64_t ts_ns, const char *host,
			const char *app, int pid, const char *msgid, const char *msg, size_t len)
{
	char h[256], a[49], m[33], t[96];
	time_t sec = (time_t)(ts_ns / 1000000000ULL);
	struct tm tm;
	int n;

	header_field(h, sizeof(h), host, 255);
	header_field(a, sizeof(a), app, 48);
	header_field(m, sizeof(m), msgid, 32);
	gmtime_r(&sec, &tm);
	/* TIME-SECFRAC has six digits at most */
	snprintf(t, sizeof(t), "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(ts_ns % 1000000000ULL / 1000));
	n = snprintf(buf, cap, "<%d>1 %s %s %s %d %s - ", pri, t, h, a, pid, m);
	return with_msg(buf, cap, n, msg, len);
}

size_t uw_syslog_format_local(char *buf, size_t cap, int pri, uint64_t ts_ns, const char *app, int pid,
			      const char *msg, size_t len)
{
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t sec = (time_t)(ts_ns / 1000000000ULL);
	char a[49];
	struct tm tm;
	int n;

	header_field(a, sizeof(a), app, 48);
	localtime_r(&sec, &tm);
	n = snprintf(buf, cap, "<%d>%s %2d %02d:%02d:%02d %s[%d]: ", pri, mon[tm.tm_mon % 12], tm.tm_mday,
		     tm.tm_hour, tm.tm_min, tm.tm_sec, a, pid);
	return with_msg(buf, cap, n, msg, len);
}

/* The head message is out (or dropped): the next one is the head. */
static void pop(struct uw_syslog *s)
{
	struct uw_syslog_msg *m = &s->q[s->qhead];

	s->qbytes -= m->len;
	free(m->buf);
	m->buf = NULL;
	s->qhead = (s->qhead + 1) % s->qcap;
	s->qn--;
	if (s->kind != UW_SYSLOG_RELP)
		s->off = 0; /* relp: off is the frame's, not the message's */
}

static int push(struct uw_syslog *s, char *buf, size_t len)
{
	if (s->qn == s->qcap) {
		struct uw_syslog_msg *nq;
		size_t i, ncap = s->qcap * 2;

		if (ncap > QUEUE_MAX_MSGS)
			return -1;
		nq = calloc(ncap, sizeof(*nq));
		if (!nq)
			return -1;
		for (i = 0; i < s->qn; i++)
			nq[i] = s->q[(s->qhead + i) % s->qcap];
		free(s->q);
		s->q = nq;
		s->qcap = ncap;
		s->qhead = 0;
	}
	s->q[(s->qhead + s->qn) % s->qcap] = (struct uw_syslog_msg){ buf, len, 0, 0, 0 };
	s->qn++;
	s->qbytes += len;
	return 0;
}

/* RELP: what the receiver acknowledged leaves the queue, from the head (in order). */
static void relp_acked(struct uw_syslog *s)
{
	while (s->qn && s->q[s->qhead].acked) {
		if (s->q[s->qhead].acked == 1) {
			s->sent++;
		} else {
			s->dropped++;
			s->last_errno = EPROTO;
		}
		s->inflight--;
		pop(s);
	}
}

/* RELP: the session is over; every message not acknowledged goes again on the next one. */
static void relp_reset(struct uw_syslog *s)
{
	size_t i;

	relp_acked(s);
	for (i = 0; i < s->qn; i++) {
		s->q[(s->qhead + i) % s->qcap].txnr = 0;
		s->q[(s->qhead + i) % s->qcap].acked = 0;
	}
	s->relp_state = 0;
	s->txnr = s->open_txnr = 0;
	s->inflight = 0;
	s->outlen = s->off = 0;
	s->rlen = 0;
}

/* The receiver is away: no try before the backoff has passed, and the next wait is longer. */
static void away(struct uw_syslog *s, uint64_t now, int err)
{
	s->last_errno = err;
	s->errors++;
	s->retry_at = now + s->backoff;
	s->backoff = s->backoff * 2 > BACKOFF_MAX_NS ? BACKOFF_MAX_NS : s->backoff * 2;
	if (s->kind == UW_SYSLOG_TCP || s->kind == UW_SYSLOG_RELP)
		close_fd(s);
	if (s->kind == UW_SYSLOG_RELP)
		relp_reset(s);
	s->up = 0;
}

static void connected(struct uw_syslog *s)
{
	s->up = 1;
	s->connecting = 0;
	s->connects++;
	s->backoff = BACKOFF_MIN_NS;
}

/* TCP: a connection made or in progress; 0 when it can be written to now. */
static int tcp_ready(struct uw_syslog *s, uint64_t now)
{
	char c;
	ssize_t r;

	if (s->up && s->kind == UW_SYSLOG_RELP)
		return 0; /* its responses are read (relp_read), and its close seen there */
	if (s->up) {
		/* the receiver closed it (a restart): gone before we write into it */
		r = recv(s->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
			away(s, now, r == 0 ? ECONNRESET : errno);
			return -1;
		}
		while (r > 0 && (r = recv(s->fd, &c, 1, MSG_DONTWAIT)) > 0)
			; /* a receiver has nothing to say: discarded */
		return 0;
	}
	if (s->connecting) {
		struct pollfd p = { .fd = s->fd, .events = POLLOUT };
		int e = 0;
		socklen_t el = sizeof(e);

		if (poll(&p, 1, 0) <= 0)
			return -1;
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &el) || e) {
			away(s, now, e ? e : errno);
			return -1;
		}
		connected(s);
		return 0;
	}
	s->fd = socket(s->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		away(s, now, errno);
		return -1;
	}
	if (!connect(s->fd, (struct sockaddr *)&s->addr, s->addrlen)) {
		connected(s);
		return 0;
	}
	if (errno == EINPROGRESS) {
		s->connecting = 1;
		return -1;
	}
	away(s, now, errno);
	return -1;
}

/* RELP: a response to the open command, or to a message on this connection. 0, or -1 when
 * the receiver refused (a new session then, after the backoff: every message not
 * acknowledged goes again). */
static int relp_rsp(struct uw_syslog *s, unsigned txnr, int code)
{
	size_t i;

	if (s->relp_state == 1 && txnr == s->open_txnr) {
		if (code != 200)
			return -1;
		s->relp_state = 2;
		return 0;
	}
	for (i = 0; i < s->inflight; i++) {
		struct uw_syslog_msg *m = &s->q[(s->qhead + i) % s->qcap];

		if (m->txnr == txnr && !m->acked) {
			if (code == 200) {
				m->acked = 1;
				return 0;
			}
			/* refused: sent again on a new session, dropped at the last refusal */
			if (++m->refused >= UW_RELP_REFUSALS)
				m->acked = 2;
			return -1;
		}
	}
	return -1; /* a response to nothing sent */
}

/* RELP: reads and applies the receiver's responses. 0, or -1 (the connection is gone). */
static int relp_read(struct uw_syslog *s, uint64_t now)
{
	size_t cap = UW_RELP_RSP_MAX + 64;
	enum uw_relp_kind kind;
	unsigned txnr;
	int code;
	long n;

	for (;;) {
		ssize_t r = recv(s->fd, s->rbuf + s->rlen, cap - s->rlen, MSG_DONTWAIT);

		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
			away(s, now, r == 0 ? ECONNRESET : errno);
			return -1;
		}
		if (r < 0)
			return 0;
		s->rlen += (size_t)r;
		while ((n = uw_relp_parse(s->rbuf, s->rlen, &txnr, &kind, &code)) != 0) {
			if (n < 0 || kind == UW_RELP_SERVERCLOSE || relp_rsp(s, txnr, code)) {
				away(s, now, n < 0 || kind == UW_RELP_RSP ? EPROTO : ECONNRESET);
				return -1;
			}
			memmove(s->rbuf, s->rbuf + n, s->rlen - (size_t)n);
			s->rlen -= (size_t)n;
		}
		if (s->rlen == cap) { /* no frame in all that */
			away(s, now, EPROTO);
			return -1;
		}
	}
}

/* RELP: the next frame (the open command, or the next message not sent on this connection)
 * into s->out; 0, or -1 when there is none to send now. */
static int relp_next(struct uw_syslog *s)
{
	const char *data = UW_RELP_OFFERS, *cmd = "open";
	size_t len = sizeof(UW_RELP_OFFERS) - 1, need;
	struct uw_syslog_msg *m = NULL;

	if (s->relp_state == 1)
		return -1; /* the open's response first */
	if (s->relp_state == 2) {
		if (s->inflight >= s->qn || s->inflight >= UW_RELP_WINDOW)
			return -1;
		m = &s->q[(s->qhead + s->inflight) % s->qcap];
		data = m->buf;
		len = m->len;
		cmd = "syslog";
	}
	if (s->txnr == UW_RELP_TXNR_MAX)
		s->txnr = 0;
	need = uw_relp_frame(NULL, 0, s->txnr + 1, cmd, data, len);
	if (need + 1 > s->outcap) {
		char *o = realloc(s->out, need + 1);

		if (!o)
			return -1;
		s->out = o;
		s->outcap = need + 1;
	}
	uw_relp_frame(s->out, s->outcap, ++s->txnr, cmd, data, len);
	s->outlen = need;
	s->off = 0;
	if (m) {
		m->txnr = s->txnr;
		s->inflight++;
	} else {
		s->open_txnr = s->txnr;
		s->relp_state = 1;
	}
	return 0;
}

/* RELP: connects, reads the responses, sends frames while the receiver takes them. */
static void relp_pump(struct uw_syslog *s, uint64_t now)
{
	while (s->qn) {
		ssize_t n;

		if (now < s->retry_at || tcp_ready(s, now) || relp_read(s, now))
			return;
		relp_acked(s);
		if (s->off == s->outlen && (!s->qn || relp_next(s)))
			return;
		n = send(s->fd, s->out + s->off, s->outlen - s->off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				away(s, now, errno);
			return;
		}
		s->off += (size_t)n;
		if (s->off < s->outlen)
			return;
	}
}

void uw_syslog_pump(struct uw_syslog *s, uint64_t now)
{
	if (s->kind == UW_SYSLOG_RELP) {
		relp_pump(s, now);
		return;
	}
	while (s->qn) {
		struct uw_syslog_msg *m = &s->q[s->qhead];
		ssize_t n;

		if (now < s->retry_at)
			return;
		if (s->kind == UW_SYSLOG_TCP) {
			if (tcp_ready(s, now))
				return;
			n = send(s->fd, m->buf + s->off, m->len - s->off, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
					return;
				away(s, now, errno); /* the message goes again, whole, on a new connection */
				return;
			}
			s->off += (size_t)n;
			if (s->off < m->len)
				return;
		} else {
			if (s->fd < 0) {
				s->fd = socket(s->kind == UW_SYSLOG_UNIX ? AF_UNIX : s->addr.ss_family,
					       SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
				if (s->fd < 0) {
					away(s, now, errno);
					return;
				}
			}
			n = sendto(s->fd, m->buf, m->len, MSG_DONTWAIT | MSG_NOSIGNAL,
				   (struct sockaddr *)&s->addr, s->addrlen);
			if (n < 0) {
				if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ENOBUFS)
					return;
				if (errno == EMSGSIZE) { /* never fits a datagram: dropped, counted */
					s->dropped++;
					s->last_errno = errno;
					pop(s);
					continue;
				}
				away(s, now, errno); /* no receiver (ECONNREFUSED, ENOENT): kept */
				return;
			}
			if (!s->up) {
				s->up = 1;
				s->connects++;
				s->backoff = BACKOFF_MIN_NS;
			}
		}
		s->sent++;
		pop(s);
	}
}

void uw_syslog_record(struct uw_syslog *s, const char *sev, const char *event, uint64_t ts_ns,
		      const char *host, const char *msg, size_t len, uint64_t now_ns)
{
	int pri = UW_SYSLOG_FACILITY * 8 + uw_syslog_severity(sev), local = s->kind == UW_SYSLOG_UNIX;
	size_t need, pre = 0, total;
	char *buf;

	while (len && (msg[len - 1] == '\n'))
		len--;
	need = local ? uw_syslog_format_local(NULL, 0, pri, ts_ns, "userns-watch", s->pid, msg, len)
		     : uw_syslog_format(NULL, 0, pri, ts_ns, host, "userns-watch", s->pid, event, msg, len);
	if (s->kind == UW_SYSLOG_TCP)
		pre = (size_t)snprintf(NULL, 0, "%zu ", need);
	total = pre + need;
	if (s->qbytes + total > s->max_bytes || !(buf = malloc(total + 1))) {
		s->dropped++;
		return;
	}
	if (pre)
		snprintf(buf, pre + 1, "%zu ", need);
	if (local)
		uw_syslog_format_local(buf + pre, need + 1, pri, ts_ns, "userns-watch", s->pid, msg, len);
	else
		uw_syslog_format(buf + pre, need + 1, pri, ts_ns, host, "userns-watch", s->pid, event, msg, len);
	if (push(s, buf, total)) {
		free(buf);
		s->dropped++;
		return;
	}
	uw_syslog_pump(s, now_ns);
}

size_t uw_syslog_drain(struct uw_syslog *s, int timeout_ms)
{
	struct timespec ts;
	uint64_t now, end;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	end = now + (uint64_t)timeout_ms * 1000000ULL;
	while (s->qn && now < end) {
		struct timespec nap = { 0, 10000000 }; /* 10 ms */

		uw_syslog_pump(s, now);
		if (!s->qn)
			break;
		nanosleep(&nap, NULL);
		clock_gettime(CLOCK_BOOTTIME, &ts);
		now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	}
	return s->qn;
}
