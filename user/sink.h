/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The sinks: where an encoded record goes. The output (stdout, or --output-file), then
 * --syslog (a bounded queue, never blocking: syslog5424.c), then --metrics' tally of the alerts
 * written (metrics.c). They deliver bytes and count; they never look inside a record.
 */
#ifndef UW_SINK_H
#define UW_SINK_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "encoder.h"

struct uw_syslog;
struct uw_alert_tally;

struct uw_sinks {
	FILE *f;                      /* the output */
	const char *host;             /* the node's name, for syslog's header */
	struct uw_syslog *syslog;     /* --syslog, or NULL */
	struct uw_alert_tally *tally; /* --metrics, or NULL */
	/* set (by a signal) when a stop has waited long enough for the output: from then on
	 * nothing waits for it, and what it did not take is counted in unwritten; NULL: never */
	const volatile sig_atomic_t *give_up;
	uint64_t unwritten;           /* records (or their rest) the output did not take at a stop */
};

/*
 * Delivers one record. To a file descriptor (stdout, a file): write(2) until every byte is out,
 * across signals (EINTR), partial writes and a non-blocking descriptor (EAGAIN: wait until it
 * is writable), so a slow or paused reader only slows the watch down; a stream without a
 * descriptor (the unit tests' memory stream) goes through stdio. Syslog gets the record
 * whatever happened to the output; the tally counts an alert written. Returns 0, or -1 with
 * errno when the output could not be written (EPIPE: its reader is gone). Once give_up is
 * set, a record the output does not take at once (a blocked write is interrupted by the signal
 * that sets it) is counted in unwritten and 0 returned: a stop goes on to its end.
 */
int uw_sinks_deliver(struct uw_sinks *s, const struct uw_rec *r);

#endif
