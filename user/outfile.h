/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --output-file: records appended to a file instead of stdout. The file is created 0600 (the
 * records name every container of the host), never through a symlink, and opened again on
 * SIGHUP after a log rotation: the new descriptor takes the old one's number (dup3), so the
 * writer never sees a change and no record is split between two files. Only a regular file is
 * taken, at start and at every reopen, and the open never waits (a FIFO put there would
 * otherwise block it until a reader came, and stop the watch's loop).
 */
#ifndef UW_OUTFILE_H
#define UW_OUTFILE_H

#include <stddef.h>

/* Opens path for appending; returns the descriptor, or -1 with a sentence in err. */
int uw_outfile_open(const char *path, char *err, size_t errlen);
/* Opens path again onto fd. Returns 0, or -1 with a sentence in err (fd stays the old file). */
int uw_outfile_reopen(int fd, const char *path, char *err, size_t errlen);

#endif
