/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the seed generators (seed_record.c, seed_setns.c) share: one seed file a stream. */
#ifndef UW_FUZZ_SEED_H
#define UW_FUZZ_SEED_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct stream {
	FILE *f;
	int err; /* the first write error */
};

/* Appends n bytes; a failed write is kept in s->err. */
static inline void seed_put(struct stream *s, const void *p, size_t n)
{
	if (fwrite(p, 1, n, s->f) != n && !s->err)
		s->err = errno ? errno : EIO;
}

/* Writes seed DIR/NAME with fill; 0, or 1 with the reason on stderr (prog names the caller). */
static inline int seed_write(const char *prog, const char *dir, const char *name,
			     void (*fill)(struct stream *))
{
	char path[4096];
	struct stream s = { NULL, 0 };

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s.f = fopen(path, "w");
	if (!s.f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return 1;
	}
	fill(&s);
	if (fclose(s.f) || s.err) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(s.err ? s.err : errno));
		return 1;
	}
	return 0;
}

#endif
