/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A file of the host's (a runtime's record, an engine's configuration) read whole: a regular
 * file of bounded size, never through a symlink as its last component, never waiting (a FIFO in
 * its place is refused). */
#ifndef UW_HOSTFILE_H
#define UW_HOSTFILE_H

#include <stddef.h>

#define UW_HOSTFILE_MAX (4u << 20) /* larger files are refused, not read */

/* Reads a regular file (no symlink as last component) of at most UW_HOSTFILE_MAX bytes.
 * Returns a NUL-terminated malloc'd buffer and its length, or NULL with errno set. */
char *uw_read_file_bounded(const char *path, size_t *len);

/* Trims spaces, tabs and a carriage return from both ends of [*s, *e) (a line of a host's
 * configuration file). */
void uw_trim(const char **s, const char **e);

#endif
