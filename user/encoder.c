// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the encoders share: the encoder's state, record ids, the JSON envelope, the buffers. */
#include "encoder.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "ecs.h"
#include "ocsf.h"

void uw_encoder_init(struct uw_encoder *e, enum uw_format fmt, const char *host)
{
	memset(e, 0, sizeof(*e)); /* every option off (verbose, colour) */
	e->fmt = fmt;
	e->host = host;
	uw_random_hex(e->run_id, sizeof(e->run_id));
	uw_json_init(&e->j);
	uw_json_init(&e->caps);
}

void uw_encoder_free(struct uw_encoder *e)
{
	uw_json_free(&e->j);
	uw_json_free(&e->caps);
	free(e->text);
	e->text = NULL;
	e->text_cap = 0;
}

void uw_random_hex(char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[32];
	size_t n = (len - 1) / 2, i;
	struct timespec ts;

	if (n > sizeof(r))
		n = sizeof(r);
	if (getrandom(r, n, 0) != (ssize_t)n) {
		/* no entropy source (a very old kernel): still distinct per run and host */
		uint64_t x;

		clock_gettime(CLOCK_REALTIME, &ts);
		x = ((uint64_t)ts.tv_sec * 1000000007ULL) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 40);
		for (i = 0; i < n; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
			r[i] = (unsigned char)(x >> 56);
	}
	for (i = 0; i < n; i++) {
		buf[2 * i] = hex[r[i] >> 4];
		buf[2 * i + 1] = hex[r[i] & 15];
	}
	buf[2 * n] = '\0';
}

void uw_enc_next_id(struct uw_encoder *e, char *id)
{
	char d[21], *p;
	size_t rl = strnlen(e->run_id, sizeof(e->run_id) - 1);

	d[20] = 0;
	p = uw_utoa(++e->seq, d + 20);
	memcpy(id, e->run_id, rl);
	id[rl] = '-';
	memcpy(id + rl + 1, p, (size_t)(d + sizeof(d) - p));
}

void uw_enc_json_envelope(struct uw_encoder *e, uint64_t ts, const char *event, const char *sev,
			  const struct uw_alert *a)
{
	char t[40], id[UW_ID_LEN];

	uw_json_reset(&e->j);
	uw_rfc3339(ts, t, sizeof(t));
	uw_enc_next_id(e, id);
	uw_json_obj_begin(&e->j, NULL);
	if (e->fmt == UW_OUT_ECS) {
		uw_ecs_fields(&e->j, ts, id, event, sev, a, e->host, e->cluster);
		uw_json_obj_begin(&e->j, "userns_watch");
	} else if (e->fmt == UW_OUT_OCSF) {
		uw_ocsf_fields(&e->j, ts, id, event, sev, a, e->host);
		uw_json_obj_begin(&e->j, "unmapped");
	}
	uw_json_str(&e->j, "ts", t, sizeof(t));
	uw_json_str(&e->j, "id", id, sizeof(id));
	uw_json_str(&e->j, "schema_version", UW_SCHEMA_VERSION, 16);
	uw_json_str(&e->j, "host", e->host, 256);
	if (e->cluster)
		uw_json_str(&e->j, "cluster", e->cluster, 256);
	uw_json_str(&e->j, "event", event, 32);
}

int uw_enc_json_raw_end(struct uw_encoder *e, struct uw_rec *r)
{
	if (e->j.failed || e->j.depth) {
		errno = ENOMEM;
		return -1;
	}
	e->j.buf[e->j.len] = '\n'; /* the writer keeps a byte for the NUL after len */
	r->buf = e->j.buf;
	r->len = e->j.len + 1;
	return 0;
}

int uw_enc_json_end(struct uw_encoder *e, struct uw_rec *r)
{
	if (e->fmt == UW_OUT_ECS || e->fmt == UW_OUT_OCSF)
		uw_json_obj_end(&e->j); /* the ECS document or OCSF event around the record */
	return uw_enc_json_raw_end(e, r);
}

int uw_enc_text(struct uw_encoder *e, struct uw_rec *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(e->text, e->text_cap, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n >= e->text_cap) {
		size_t cap = (size_t)n + 1 > 4096 ? (size_t)n + 1 : 4096;
		char *t = realloc(e->text, cap);

		if (!t)
			return -1;
		e->text = t;
		e->text_cap = cap;
		va_start(ap, fmt);
		vsnprintf(e->text, e->text_cap, fmt, ap);
		va_end(ap);
	}
	r->buf = e->text;
	r->len = (size_t)n;
	return 0;
}
