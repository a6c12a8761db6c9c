// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int uw_outfile_open(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);

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
