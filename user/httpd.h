/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics: /metrics (Prometheus text) and /healthz over HTTP, served by libmicrohttpd in the
 * watch's own loop (no thread: the figures are read where they are kept, and a loop that
 * stalls stops answering, which a probe sees). GET and HEAD only; 4 connections from one
 * address, 16 KiB of request, 5 s of life each whatever the client sends (a slow client cannot
 * hold one longer); over 32, a new connection ends the oldest, so a liveness probe is always
 * taken in: a local scraper and a probe are all it is for.
 */
#ifndef UW_HTTPD_H
#define UW_HTTPD_H

#include <stddef.h>
#include <stdio.h>
#include "netaddr.h"

struct uw_httpd;

struct uw_httpd_ops {
	/* writes the /metrics text; 0, or -1 (500) */
	int (*metrics)(void *ctx, FILE *f);
	/* 1: healthy (200), else 0 with the reasons in why (503) */
	int (*health)(void *ctx, char *why, size_t len);
	void *ctx;
};

/* Listens on a and serves from now on; NULL with a sentence in err. */
struct uw_httpd *uw_httpd_start(const struct uw_netaddr *a, const struct uw_httpd_ops *ops, int verbose,
				char *err, size_t errlen);
/* Serves whatever is waiting, without blocking. */
void uw_httpd_run(struct uw_httpd *h);
/* Connections open now (the loop serves them at once rather than every 100 ms). */
unsigned uw_httpd_connections(const struct uw_httpd *h);
void uw_httpd_stop(struct uw_httpd *h);

#endif
