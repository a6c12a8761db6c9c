// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * O_NONBLOCK: opening a FIFO for writing blocks until a reader comes (and a device's open may
 * wait too); with it, a FIFO without a reader fails at once (ENXIO) and one with a reader is
 * refused by fstat like any file that is not regular. A regular file then writes blocking.
 */
int uw_outfile_open(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK,
		      0600);

	if (fd < 0 && errno == ENXIO) {
		snprintf(err, errlen, "the output file %.300s is not a regular file (a FIFO or a socket)", path);
		return -1;
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open the output file %.300s: %s%s", path, strerror(errno),
			 errno == ELOOP ? " (a symlink is not followed)" : "");
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "the output file %.300s is not a regular file", path);
		close(fd);
		return -1;
	}
	if (fcntl(fd, F_SETFL, O_APPEND) < 0) {
		snprintf(err, errlen, "cannot set up the output file %.300s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int uw_outfile_reopen(int fd, const char *path, char *err, size_t errlen)
{
	int nfd = uw_outfile_open(path, err, errlen);

	if (nfd < 0)
		return -1;
	if (dup3(nfd, fd, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "cannot reopen the output file %.300s: %s", path, strerror(errno));
		close(nfd);
		return -1;
	}
	close(nfd);
	return 0;
}
