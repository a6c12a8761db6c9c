// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Following the policy file with inotify (policywatch.h). */
#include "policywatch.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

/* what changes a directory's entries or a file's bytes */
#define DIR_EVENTS                                                                          \
	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_MODIFY |   \
	 IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

/* the directory part of path into out ("." for none) */
static void dir_of(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, cap, ".");
	else if (slash == path)
		snprintf(out, cap, "/");
	else
		snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

int uw_policywatch_start(struct uw_policywatch *w, const char *path, char *err, size_t len)
{
	char dir[4096];

	memset(w, 0, sizeof(*w));
	w->wd_dir = w->wd_target = -1;
	w->fd = -1;
	if (path[0] == '/') {
		snprintf(w->path, sizeof(w->path), "%s", path);
	} else {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)) ||
		    snprintf(w->path, sizeof(w->path), "%s/%s", cwd, path) >= (int)sizeof(w->path)) {
			snprintf(err, len, "cannot make the policy's path absolute");
			return -1;
		}
	}
	path = w->path;
	dir_of(path, w->dir, sizeof(w->dir));
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		snprintf(err, len, "inotify: %s", strerror(errno));
		return -1;
	}
	dir_of(path, dir, sizeof(dir));
	w->wd_dir = inotify_add_watch(w->fd, dir, DIR_EVENTS | IN_ONLYDIR);
	if (w->wd_dir < 0) {
		snprintf(err, len, "inotify on %.3000s: %s", dir, strerror(errno));
		uw_policywatch_stop(w);
		return -1;
	}
	uw_policywatch_loaded(w);
	return 0;
}

void uw_policywatch_loaded(struct uw_policywatch *w)
{
	char real[PATH_MAX], dir[4096], mine[4096];
	const char *path = w->path;

	if (w->fd < 0)
		return;
	w->have_last = stat(path, &w->last) == 0;
	if (!w->have_last)
		memset(&w->last, 0, sizeof(w->last));
	/* the target's directory, when a symlink leads elsewhere (a ConfigMap's "..data/…") */
	dir_of(path, mine, sizeof(mine));
	if (!realpath(path, real))
		return;
	dir_of(real, dir, sizeof(dir));
	if (!strcmp(dir, w->target_dir) && w->wd_target >= 0)
		return;
	if (w->wd_target >= 0 && w->wd_target != w->wd_dir)
		inotify_rm_watch(w->fd, w->wd_target);
	w->wd_target = -1;
	snprintf(w->target_dir, sizeof(w->target_dir), "%s", dir);
	{
		char rmine[PATH_MAX];

		if (realpath(mine, rmine) && !strcmp(rmine, dir))
			return; /* the same directory */
	}
	w->wd_target = inotify_add_watch(w->fd, dir, DIR_EVENTS | IN_ONLYDIR);
}

/* whether the file path names now is not the one read last */
static int changed(const struct uw_policywatch *w, const char *path)
{
	struct stat st;
	int have = stat(path, &st) == 0;

	if (have != w->have_last)
		return 1;
	if (!have)
		return 0;
	return st.st_dev != w->last.st_dev || st.st_ino != w->last.st_ino || st.st_size != w->last.st_size ||
	       st.st_mtim.tv_sec != w->last.st_mtim.tv_sec || st.st_mtim.tv_nsec != w->last.st_mtim.tv_nsec ||
	       st.st_ctim.tv_sec != w->last.st_ctim.tv_sec || st.st_ctim.tv_nsec != w->last.st_ctim.tv_nsec;
}

int uw_policywatch_due(struct uw_policywatch *w, uint64_t now_ns)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	int any = 0;

	if (w->fd < 0)
		return 0;
	while ((n = read(w->fd, buf, sizeof(buf))) > 0) {
		ssize_t off = 0;

		any = 1; /* which name does not matter: the path is looked at */
		while (off + (ssize_t)sizeof(struct inotify_event) <= n) {
			const struct inotify_event *e = (const void *)(buf + off);

			/* the directory itself went (moved, removed): watched again once one is there */
			if (e->wd == w->wd_dir && (e->mask & (IN_IGNORED | IN_MOVE_SELF | IN_DELETE_SELF)))
				w->dir_lost = 1;
			off += (ssize_t)sizeof(*e) + e->len;
		}
	}
	if (w->dir_lost) {
		int wd = inotify_add_watch(w->fd, w->dir, DIR_EVENTS | IN_ONLYDIR);

		if (wd >= 0) {
			w->wd_dir = wd;
			w->dir_lost = 0;
			any = 1; /* a new directory: what it holds is looked at */
		}
	}
	if (any) {
		uint64_t cap;

		if (!w->due_ns)
			w->first_ns = now_ns;
		cap = w->first_ns + UW_POLICYWATCH_MAX_WAIT_MS * 1000000ULL;
		w->due_ns = now_ns + UW_POLICYWATCH_SETTLE_MS * 1000000ULL;
		if (w->due_ns > cap)
			w->due_ns = cap;
	}
	if (!w->due_ns || now_ns < w->due_ns)
		return 0;
	w->due_ns = 0;
	return changed(w, w->path);
}

void uw_policywatch_stop(struct uw_policywatch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	w->wd_dir = w->wd_target = -1;
}
