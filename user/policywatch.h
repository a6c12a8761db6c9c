/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Following the policy file (--policy) while the watch runs: inotify on the file's directory
 * and on its target's (through symlinks), so that an edit in place, a file renamed over it, or
 * a Kubernetes ConfigMap's update (a new directory, then the "..data" symlink renamed over the
 * old one) has it read again, as SIGHUP does. A change is taken once the directory has been
 * quiet for UW_POLICYWATCH_SETTLE_MS (an editor's several writes are one change; a directory
 * never quiet is looked at every UW_POLICYWATCH_MAX_WAIT_MS all the same), and only when the
 * file the path names now is another file or was written (device, inode, size, times): events
 * about other files of the directory cost a stat. A directory replaced by another of its name
 * is watched again. A FIFO or device put at the path is refused when read (policy.c).
 */
#ifndef UW_POLICYWATCH_H
#define UW_POLICYWATCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define UW_POLICYWATCH_SETTLE_MS 200
#define UW_POLICYWATCH_MAX_WAIT_MS 1000

struct uw_policywatch {
	char path[4096];         /* the policy file, made absolute at start (no getcwd later) */
	char dir[4096];          /* its directory, watched again after events (it may have been
				  * replaced by another of the same name) */
	int fd;                  /* inotify (non-blocking), -1: not following */
	int wd_dir, wd_target;   /* the path's directory; its target's when elsewhere, or -1 */
	int dir_lost;            /* the directory was moved or removed: watched again once there */
	char target_dir[4096];   /* the directory of what the path resolves to now */
	int have_last;
	struct stat last;        /* what was read last (or found unreadable) */
	uint64_t due_ns;         /* a change seen: look at CLOCK_BOOTTIME >= this; 0: none */
	uint64_t first_ns;       /* the first event since the last look: events keep coming (a busy
				  * directory) put the look off UW_POLICYWATCH_MAX_WAIT_MS at most */
};

/* Starts following path (before the sandbox: inotify_init1). 0, or -1 with why in err (the
 * watch goes on without following: SIGHUP still reads it). */
int uw_policywatch_start(struct uw_policywatch *w, const char *path, char *err, size_t len);
/* What the file is now, taken right before it is read (an edit after this is seen as a change):
 * its identity, and the target's directory followed anew (a symlink may point elsewhere now). */
void uw_policywatch_loaded(struct uw_policywatch *w);
/* Drains the events; 1 when the file should be read again now (it settled and changed). */
int uw_policywatch_due(struct uw_policywatch *w, uint64_t now_ns);
void uw_policywatch_stop(struct uw_policywatch *w);

#endif
