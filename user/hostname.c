// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "hostname.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

const char *uw_host_name_source_str(enum uw_host_name_source s)
{
	switch (s) {
	case UW_HN_OPTION:
		return "option";
	case UW_HN_ENV:
		return "NODE_NAME";
	case UW_HN_HOST_UTS:
		return "host_uts";
	default:
		return "own";
	}
}

int uw_valid_host_name(const char *s)
{
	size_t len = 0, label = 0;

	for (; s[len]; len++) {
		char c = s[len];

		if (len >= UW_HOST_NAME_MAX)
			return 0;
		if (c == '.') {
			if (!label)
				return 0;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_'))
			return 0;
		if (++label > 63)
			return 0;
	}
	return len > 0 && label > 0;
}

/* the nodename of the UTS namespace at path, read by a child that enters it (setns changes the
 * caller's namespace: the watch itself stays where it is) */
static int read_uts_name(const char *path, char *out, size_t n)
{
	int p[2], fd, status = 0;
	ssize_t got = 0, r;
	pid_t pid;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pipe2(p, O_CLOEXEC)) {
		r = -errno;
		close(fd);
		return (int)r;
	}
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(fd);
		close(p[0]);
		close(p[1]);
		return (int)r;
	}
	if (pid == 0) {
		struct utsname u;

		close(p[0]);
		if (setns(fd, CLONE_NEWUTS) || uname(&u))
			_exit(1);
		u.nodename[sizeof(u.nodename) - 1] = '\0';
		_exit(write(p[1], u.nodename, strlen(u.nodename)) < 0);
	}
	close(fd);
	close(p[1]);
	while ((size_t)got < n - 1 && ((r = read(p[0], out + got, n - 1 - (size_t)got)) > 0 ||
				      (r < 0 && errno == EINTR)))
		if (r > 0)
			got += r;
	close(p[0]);
	out[got] = '\0';
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) || !got)
		return -EPERM;
	return 0;
}

int uw_host_name(const char *option, const char *env_node_name, const char *procfs, int host_pid,
		 char *out, size_t n, enum uw_host_name_source *source, char *err, size_t errlen)
{
	char path[4096];
	struct stat host_st, own_st;
	int r;

	if (option) {
		if (!uw_valid_host_name(option)) {
			snprintf(err, errlen, "bad --host-name '%.300s' (want a DNS name: " UW_HOST_NAME_RULES ")", option);
			return -1;
		}
		snprintf(out, n, "%s", option);
		*source = UW_HN_OPTION;
		return 0;
	}
	if (env_node_name && *env_node_name) {
		if (!uw_valid_host_name(env_node_name)) {
			snprintf(err, errlen,
				 "NODE_NAME in the environment is not a DNS name (" UW_HOST_NAME_RULES
				 "): set it to the node's name, or give --host-name");
			return -1;
		}
		snprintf(out, n, "%s", env_node_name);
		*source = UW_HN_ENV;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%d/ns/uts", procfs, host_pid);
	if (stat(path, &host_st) == 0 && stat("/proc/self/ns/uts", &own_st) == 0 &&
	    host_st.st_ino == own_st.st_ino && host_st.st_dev == own_st.st_dev)
		r = gethostname(out, n - 1) ? -errno : 0; /* the host's UTS namespace is ours */
	else
		r = read_uts_name(path, out, n);
	out[n - 1] = '\0';
	if (r == 0 && *out) {
		*source = UW_HN_HOST_UTS;
		return 0;
	}
	snprintf(err, errlen,
		 "cannot read the host's hostname through %s (%s): records name this process's own; "
		 "give --host-name or NODE_NAME",
		 path, strerror(r < 0 ? -r : EINVAL));
	if (gethostname(out, n - 1))
		snprintf(out, n, "unknown");
	out[n - 1] = '\0';
	*source = UW_HN_OWN;
	return 1;
}
