// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "exe.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* The runtime binary below the host root that is the file (ino, dev), or NULL: checked by
 * identity, not by name. */
static const char *runtime_by_inode(const char *host_root, uint64_t ino, uint32_t dev)
{
	static const char *const runtimes[] = {
		"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc", "/usr/local/bin/runc",
		"/usr/bin/crun", "/usr/local/bin/crun", "/usr/sbin/crun",
	};
	const char *root = host_root && strcmp(host_root, "/") ? host_root : "";
	char path[4096];
	struct stat st;
	size_t i;

	for (i = 0; ino && i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s%s", root, runtimes[i]) >= sizeof(path))
			break;
		if (!stat(path, &st) && (uint64_t)st.st_ino == ino && major(st.st_dev) == dev >> 20 &&
		    minor(st.st_dev) == (dev & 0xfffff))
			return runtimes[i];
	}
	return NULL;
}

/*
 * A program whose file has no path from the host's view: /proc/PID/exe reads "/" when the
 * process reached it through a mount that only another mount namespace has (runc executes its
 * own binary that way, from its private mount namespace). It is named by the runtime binary
 * with its device and inode, else by those numbers.
 */
static const char *private_mount_exe(const char *host_root, uint64_t ino, uint32_t dev,
				     const char **kind, const char **view, char *buf, size_t len)
{
	const char *rt = runtime_by_inode(host_root, ino, dev);

	*kind = "private_mount";
	*view = rt ? "host" : "name";
	if (rt)
		snprintf(buf, len, "%s", rt);
	else
		snprintf(buf, len, "(inode %" PRIu64 " on device %u:%u, through a private mount)", ino,
			 dev >> 20, dev & 0xfffff);
	return buf;
}

const char *uw_exe_name(const char *procfs, const char *host_root, uint32_t pid, uint32_t flags,
			const char kexe[UW_EXE_LEN], uint64_t exe_ino, uint32_t exe_dev,
			const char **kind, const char **view, char *buf, size_t len)
{
	char path[64];
	struct stat st;
	ssize_t n;

	*kind = flags & UW_F_EXE_UNLINKED ? "deleted" : flags & UW_F_EXE_FD ? "fd" : "path";
	*view = "process";
	if ((flags & UW_F_EXE_UNLINKED) && !strncmp(kexe, "memfd:", 6)) {
		*kind = "memfd";
		goto kernel;
	}
	if ((flags & (UW_F_EXE_FROM_EXEC | UW_F_EXE_TRUNCATED | UW_F_EXE_FD | UW_F_EXE_UNLINKED)) ==
		    UW_F_EXE_FROM_EXEC &&
	    kexe[0] == '/')
		goto kernel;
	snprintf(path, sizeof(path), "%s/%u/exe", procfs, pid);
	if (strlen(procfs) < sizeof(path) - 24) {
		n = readlink(path, buf, len - 1);
		if (n > 0 && stat(path, &st) == 0 && (uint64_t)st.st_ino == exe_ino &&
		    (!exe_dev || (major(st.st_dev) == exe_dev >> 20 &&
				  minor(st.st_dev) == (exe_dev & 0xfffff)))) {
			buf[n] = 0;
			/* "/": the file was reached through a mount the host's view does not have */
			if (!strcmp(buf, "/"))
				return private_mount_exe(host_root, exe_ino, exe_dev, kind, view, buf, len);
			return buf;
		}
	}
kernel:
	if (!strcmp(kexe, "/") || !kexe[0])
		return private_mount_exe(host_root, exe_ino, exe_dev, kind, view, buf, len);
	/* only the file's base name (the process is gone): a runtime's binary by its inode */
	if (!(flags & UW_F_EXE_FROM_EXEC) && !memchr(kexe, '/', strnlen(kexe, UW_EXE_LEN)) &&
	    strcmp(*kind, "memfd")) {
		const char *rt = runtime_by_inode(host_root, exe_ino, exe_dev);

		if (rt) {
			*view = "host";
			snprintf(buf, len, "%s", rt);
			return buf;
		}
	}
	if (!strcmp(*kind, "memfd") || !memchr(kexe, '/', strnlen(kexe, UW_EXE_LEN)))
		*view = "name";
	snprintf(buf, len, "%.*s", UW_EXE_LEN, kexe);
	return buf;
}


/* whether procfs/PID/exe is the file (ino, dev) */
static int same_exe(const char *procfs, uint32_t pid, uint64_t ino, uint32_t dev)
{
	char path[64];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%u/exe", procfs, pid) >= (int)sizeof(path) || stat(path, &st))
		return 0;
	return (uint64_t)st.st_ino == ino &&
	       (!dev || (major(st.st_dev) == dev >> 20 && minor(st.st_dev) == (dev & 0xfffff)));
}

char *uw_cmdline(const char *procfs, uint32_t pid, uint64_t exe_ino, uint32_t exe_dev, char *buf,
		 size_t len, int *truncated)
{
	char path[64], extra;
	size_t n = 0, i;
	ssize_t r;
	int fd;

	buf[0] = 0;
	*truncated = 0;
	if (!exe_ino || snprintf(path, sizeof(path), "%s/%u/cmdline", procfs, pid) >= (int)sizeof(path))
		return buf;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return buf;
	while (n < len - 1 && ((r = read(fd, buf + n, len - 1 - n)) > 0 || (r < 0 && errno == EINTR)))
		n += r > 0 ? (size_t)r : 0;
	if (n == len - 1 && read(fd, &extra, 1) == 1)
		*truncated = 1;
	close(fd);
	if (!same_exe(procfs, pid, exe_ino, exe_dev)) {
		buf[0] = 0;
		*truncated = 0;
		return buf;
	}
	/* the arguments end with a NUL each: spaces between them, none at the end */
	while (n && !buf[n - 1])
		n--;
	for (i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = 0;
	return buf;
}
