// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "httpd.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"

#define UW_HTTP_CONNECTIONS 32u
/* libmicrohttpd's own cap, above ours: the connection over ours is accepted, and the oldest
 * one is ended to make room for it (below) */
#define UW_HTTP_MHD_CONNECTIONS 64u
#define UW_HTTP_PER_ADDRESS 4u
#define UW_HTTP_TIMEOUT_S 5u
/* a connection's whole life, whatever it sends: a client that sends a byte now and then keeps
 * the idle timeout away, never this */
#define UW_HTTP_DEADLINE_NS (5ULL * 1000000000ULL)
#define UW_HTTP_MEMORY ((size_t)16384)
#define UW_HTTP_BACKLOG 16u
#define UW_PROM_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* A connection open now: its socket and when it was accepted (boot clock) */
struct conn {
	MHD_socket fd;
	uint64_t since;
	int used, ended;
};

struct uw_httpd {
	struct MHD_Daemon *d;
	struct uw_httpd_ops ops;
	int verbose;
	struct conn conns[UW_HTTP_MHD_CONNECTIONS];
	unsigned open;
};

/* Ends a connection: libmicrohttpd sees the socket shut and closes it at its next run. */
static void end_conn(struct conn *c)
{
	if (!c->ended) {
		shutdown(c->fd, SHUT_RDWR);
		c->ended = 1;
	}
}

/*
 * Every connection is noted when accepted. Over UW_HTTP_CONNECTIONS the oldest is ended, so a
 * new one (a liveness probe) is always taken in, whoever holds the others; with the per-address
 * cap, a client needs many addresses to hold many, and each holds one for its deadline at most.
 */
static void on_connection(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_ConnectionNotificationCode code)
{
	struct uw_httpd *h = cls;
	const union MHD_ConnectionInfo *i;
	struct conn *slot = NULL, *oldest = NULL;
	unsigned k;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		slot = *ctx;
		if (slot) {
			slot->used = 0;
			h->open--;
		}
		*ctx = NULL;
		return;
	}
	i = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	for (k = 0; k < UW_HTTP_MHD_CONNECTIONS && !slot; k++)
		if (!h->conns[k].used)
			slot = &h->conns[k];
	if (!slot || !i) { /* not expected: libmicrohttpd's cap is the table's size */
		*ctx = NULL;
		return;
	}
	*slot = (struct conn){ .fd = i->connect_fd, .since = uw_now_boot_ns(), .used = 1 };
	*ctx = slot;
	h->open++;
	if (h->open <= UW_HTTP_CONNECTIONS)
		return;
	for (k = 0; k < UW_HTTP_MHD_CONNECTIONS; k++) {
		struct conn *o = &h->conns[k];

		if (o->used && !o->ended && o != slot && (!oldest || o->since < oldest->since))
			oldest = o;
	}
	if (oldest)
		end_conn(oldest);
}

static void logger(void *cls, const char *fmt, va_list ap)
{
	struct uw_httpd *h = cls;

	/* what a client did wrong is its business: said only with -v */
	if (!h->verbose)
		return;
	fputs("userns-watch: metrics: ", stderr);
	vfprintf(stderr, fmt, ap);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type, char *body,
			     size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type) == MHD_NO ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") == MHD_NO ||
	    (status == MHD_HTTP_METHOD_NOT_ALLOWED &&
	     MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") == MHD_NO)) {
		MHD_destroy_response(r);
		return MHD_NO;
	}
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned status, const char *s)
{
	return reply(c, status, "text/plain; charset=utf-8", (char *)s, strlen(s), MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct uw_httpd *h = cls;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (!strcmp(url, "/healthz")) {
		char why[512];

		if (h->ops.health(h->ops.ctx, why, sizeof(why)))
			return text(c, MHD_HTTP_OK, "ok\n");
		return text(c, MHD_HTTP_SERVICE_UNAVAILABLE, why);
	}
	if (strcmp(url, "/metrics"))
		return text(c, MHD_HTTP_NOT_FOUND, "not found: /metrics and /healthz are served\n");
	f = open_memstream(&buf, &len);
	if (!f)
		return text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	if (h->ops.metrics(h->ops.ctx, f) || fclose(f)) {
		free(buf);
		return text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the metrics could not be written\n");
	}
	/* the response frees the buffer (open_memstream's, from malloc) */
	return reply(c, MHD_HTTP_OK, UW_PROM_TYPE, buf, len, MHD_RESPMEM_MUST_FREE);
}

struct uw_httpd *uw_httpd_start(const struct uw_netaddr *a, const struct uw_httpd_ops *ops, int verbose,
				char *err, size_t errlen)
{
	struct uw_httpd *h = calloc(1, sizeof(*h));
	int fd;

	if (!h) {
		snprintf(err, errlen, "--metrics: out of memory");
		return NULL;
	}
	h->ops = *ops;
	h->verbose = verbose;
	fd = uw_netaddr_listen("--metrics", a, UW_HTTP_BACKLOG, err, errlen);
	if (fd < 0) {
		free(h);
		return NULL;
	}
	/* no thread of its own (MHD_run from the loop), epoll, no TLS; the socket is ours (the
	 * same error messages as --ready-tcp), and MHD closes it at the end */
	h->d = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, h,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_CONNECTION_LIMIT, UW_HTTP_MHD_CONNECTIONS,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, UW_HTTP_PER_ADDRESS,
				MHD_OPTION_CONNECTION_TIMEOUT, UW_HTTP_TIMEOUT_S,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, UW_HTTP_MEMORY,
				MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
				MHD_OPTION_EXTERNAL_LOGGER, logger, h,
				MHD_OPTION_END);
	if (!h->d) {
		char where[80];

		close(fd);
		uw_netaddr_str(a, where, sizeof(where));
		snprintf(err, errlen, "--metrics: libmicrohttpd could not serve on %s", where);
		free(h);
		return NULL;
	}
	return h;
}

void uw_httpd_run(struct uw_httpd *h)
{
	uint64_t now;
	unsigned k;

	if (!h)
		return;
	now = uw_now_boot_ns();
	for (k = 0; k < UW_HTTP_MHD_CONNECTIONS && h->open; k++) {
		struct conn *c = &h->conns[k];

		if (c->used && !c->ended && now - c->since > UW_HTTP_DEADLINE_NS)
			end_conn(c);
	}
	MHD_run(h->d);
}

unsigned uw_httpd_connections(const struct uw_httpd *h)
{
	const union MHD_DaemonInfo *i;

	if (!h)
		return 0;
	i = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return i ? i->num_connections : 0;
}

void uw_httpd_stop(struct uw_httpd *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
