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

#define UW_HTTP_CONNECTIONS 32u
#define UW_HTTP_PER_ADDRESS 4u
#define UW_HTTP_TIMEOUT_S 5u
#define UW_HTTP_MEMORY ((size_t)16384)
#define UW_HTTP_BACKLOG 16u
#define UW_PROM_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct uw_httpd {
	struct MHD_Daemon *d;
	struct uw_httpd_ops ops;
	int verbose;
};

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
				MHD_OPTION_CONNECTION_LIMIT, UW_HTTP_CONNECTIONS,
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
	if (h)
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
