// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "sink.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "clock.h"
#include "metrics.h"
#include "syslog5424.h"

static int put_fd(FILE *f, const char *buf, size_t len, const volatile sig_atomic_t *give_up)
{
	int fd = fileno(f);

	if (fd < 0)
		return fwrite(buf, 1, len, f) == len && !fflush(f) ? 0 : -1;
	while (len) {
		ssize_t n;

		if (give_up && *give_up) {
			errno = ETIMEDOUT;
			return -1;
		}
		n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			if (poll(&p, 1, -1) < 0 && errno != EINTR)
				return -1;
			continue;
		}
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int uw_sinks_deliver(struct uw_sinks *s, const struct uw_rec *r)
{
	int rc = put_fd(s->f, r->buf, r->len, s->give_up), e = errno, written = !rc;

	if (rc && s->give_up && *s->give_up) {
		s->unwritten++;
		rc = 0;
	}
	if (s->syslog)
		uw_syslog_record(s->syslog, r->severity, r->event, r->ts_real_ns, s->host, r->buf, r->len,
				 uw_now_boot_ns());
	if (written && r->alert && s->tally)
		uw_tally_alert(s->tally, r->kind, r->severity, r->runtime);
	errno = e;
	return rc;
}
