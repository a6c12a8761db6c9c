/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A throw-away procfs look-alike in a temporary directory, for unit tests. */
#ifndef UW_FAKEPROC_H
#define UW_FAKEPROC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline char *fake_root(void)
{
	char *t = strdup("/tmp/uw-fakeproc-XXXXXX");

	return mkdtemp(t);
}

/* Creates root/rel (a file with content, or a symlink to target when link is set). */
static inline int fake_put(const char *root, const char *rel, const char *content, int link)
{
	char path[4096], dir[4096], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = dir + strlen(root) + 1; (slash = strchr(slash, '/')); slash++) {
		*slash = 0;
		mkdir(dir, 0755);
		*slash = '/';
	}
	if (link)
		return symlink(content, path);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(content, f);
	return fclose(f);
}

static inline void fake_rm(char *root)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd)) {
	}
	free(root);
}

#endif
