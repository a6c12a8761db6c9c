// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Preference order for the v1 hierarchy the kernel reads. */
static const struct {
	enum uw_cg1 id;
	const char *name;
} cg1_names[] = {
	{ UW_CG1_PIDS, "pids" },       { UW_CG1_MEMORY, "memory" },   { UW_CG1_CPU, "cpu" },
	{ UW_CG1_CPUACCT, "cpuacct" }, { UW_CG1_CPUSET, "cpuset" },   { UW_CG1_DEVICES, "devices" },
	{ UW_CG1_FREEZER, "freezer" }, { UW_CG1_BLKIO, "blkio" },
};

/* mountinfo escapes ' ', '\t', '\n' and '\\' as \ooo. */
static void unescape_field(const char *s, size_t n, char *out, size_t outlen)
{
	size_t i = 0, o = 0;

	while (i < n && o + 1 < outlen) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' &&
		    s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' &&
		    s[i + 3] <= '7') {
			out[o++] = (char)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
			i += 4;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = 0;
}

/* Splits at spaces; returns the number of fields (at most max). */
static int split(const char *line, const char **f, size_t *fl, int max)
{
	int n = 0;
	const char *p = line;

	while (*p && *p != '\n' && n < max) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		f[n] = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		fl[n] = (size_t)(p - f[n]);
		n++;
	}
	return n;
}

int uw_parse_mountinfo_line(const char *line, struct uw_mount *m)
{
	const char *f[64];
	size_t fl[64];
	int n = split(line, f, fl, 64), sep = -1, i;

	for (i = 6; i < n; i++) {
		if (fl[i] == 1 && f[i][0] == '-') {
			sep = i;
			break;
		}
	}
	if (sep < 0 || n < sep + 4)
		return 0;
	if (!((fl[sep + 1] == 7 && !memcmp(f[sep + 1], "cgroup2", 7)) ||
	      (fl[sep + 1] == 6 && !memcmp(f[sep + 1], "cgroup", 6))))
		return 0;
	memset(m, 0, sizeof(*m));
	memcpy(m->fstype, f[sep + 1], fl[sep + 1]);
	unescape_field(f[3], fl[3], m->root, sizeof(m->root));
	unescape_field(f[4], fl[4], m->point, sizeof(m->point));
	unescape_field(f[sep + 3], fl[sep + 3], m->opts, sizeof(m->opts));
	return 1;
}

static int has_opt(const char *opts, const char *name)
{
	size_t n = strlen(name);
	const char *p = opts;

	while (*p) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && !memcmp(p, name, n))
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/*
 * The next whole line of f into buf (its newline removed): 1, or 0 at the end. A line longer
 * than buf is skipped whole, so its tail is never read as a line of its own (a cgroup name or
 * mount point of hostile length would otherwise forge one).
 */
int uw_read_line(FILE *f, char *buf, size_t cap)
{
	int skip = 0;

	while (fgets(buf, (int)cap, f)) {
		char *nl = strchr(buf, '\n');

		if (!nl && !feof(f)) {
			skip = 1; /* the rest of this line follows in the next chunk(s) */
			continue;
		}
		if (skip) {
			skip = 0; /* the last chunk of a line that was too long */
			continue;
		}
		if (nl)
			*nl = 0;
		return 1;
	}
	return 0;
}

static int hier_open(struct uw_hier *h, const struct uw_mount *m)
{
	int fd = open(m->point, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	h->fd = fd;
	snprintf(h->point, sizeof(h->point), "%s", m->point);
	snprintf(h->root, sizeof(h->root), "%s", m->root);
	return 0;
}

int uw_cgroups_open(struct uw_cgroups *cg, const char *mountinfo, char *err, size_t errlen)
{
	struct uw_mount m, v1[sizeof(cg1_names) / sizeof(cg1_names[0])];
	int have_v1[sizeof(cg1_names) / sizeof(cg1_names[0])] = { 0 };
	char line[3 * UW_PATH_MAX];
	size_t i;
	FILE *f;

	memset(cg, 0, sizeof(*cg));
	cg->v2.fd = cg->v1.fd = -1;
	cg->v1_ctrl = UW_CG1_NONE;
	f = fopen(mountinfo, "re");
	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", mountinfo, strerror(errno));
		return -1;
	}
	while (uw_read_line(f, line, sizeof(line))) {
		if (!uw_parse_mountinfo_line(line, &m))
			continue;
		if (!strcmp(m.fstype, "cgroup2")) {
			if (cg->v2.fd < 0)
				hier_open(&cg->v2, &m);
			continue;
		}
		for (i = 0; i < sizeof(cg1_names) / sizeof(cg1_names[0]); i++) {
			if (!have_v1[i] && has_opt(m.opts, cg1_names[i].name)) {
				v1[i] = m;
				have_v1[i] = 1;
			}
		}
	}
	fclose(f);
	for (i = 0; i < sizeof(cg1_names) / sizeof(cg1_names[0]); i++) {
		if (have_v1[i] && hier_open(&cg->v1, &v1[i]) == 0) {
			cg->v1_ctrl = cg1_names[i].id;
			cg->v1_name = cg1_names[i].name;
			cg->v1_hier = uw_cgroup_hierarchy_id("/proc/self/cgroup", cg->v1_name);
			break;
		}
	}
	if (cg->v2.fd < 0 && cg->v1.fd < 0) {
		snprintf(err, errlen, "no cgroup hierarchy is mounted (looked in %s)", mountinfo);
		return -1;
	}
	return 0;
}

uint32_t uw_cgroup_hierarchy_id_f(FILE *f, const char *name)
{
	char line[UW_PATH_MAX + 128];
	uint32_t id = 0;

	while (uw_read_line(f, line, sizeof(line))) {
		char *c1 = strchr(line, ':'), *c2;
		unsigned long v;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c2 = 0;
		v = strtoul(line, NULL, 10);
		if (v && v <= UINT32_MAX && has_opt(c1 + 1, name)) {
			id = (uint32_t)v;
			break;
		}
	}
	return id;
}

uint32_t uw_cgroup_hierarchy_id(const char *proc_cgroup, const char *name)
{
	FILE *f = fopen(proc_cgroup, "re");
	uint32_t id;

	if (!f)
		return 0;
	id = uw_cgroup_hierarchy_id_f(f, name);
	fclose(f);
	return id;
}

void uw_cgroups_close(struct uw_cgroups *cg)
{
	if (cg->v2.fd >= 0)
		close(cg->v2.fd);
	if (cg->v1.fd >= 0)
		close(cg->v1.fd);
	cg->v2.fd = cg->v1.fd = -1;
}

#define FILEID_KERNFS 0xfe

int uw_cgroup_path_by_id(const struct uw_cgroups *cg, int v1, uint64_t id, char *out, size_t outlen)
{
	const struct uw_hier *h = v1 ? &cg->v1 : &cg->v2;
	struct {
		struct file_handle fh;
		uint64_t id;
	} handle;
	char link[64], buf[UW_PATH_MAX];
	size_t pl = strlen(h->point);
	const char *rest;
	ssize_t n;
	int fd, e;

	if (h->fd < 0)
		return -ENOENT;
	handle.fh.handle_bytes = sizeof(uint64_t);
	handle.fh.handle_type = FILEID_KERNFS;
	handle.id = id;
	fd = open_by_handle_at(h->fd, &handle.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = 0;
	/* A cgroup removed meanwhile reads "… (deleted)"; its name cannot be trusted then. */
	if (n >= 10 && !strcmp(buf + n - 10, " (deleted)"))
		return -ESTALE;
	if (strncmp(buf, h->point, pl) || (buf[pl] != '/' && buf[pl] != 0))
		return -EXDEV; /* not below the mount point: outside our view */
	rest = buf + pl;
	if (strcmp(h->root, "/"))
		snprintf(out, outlen, "%s%s", h->root, rest);
	else
		snprintf(out, outlen, "%s", *rest ? rest : "/");
	return 0;
}

void uw_cgroup_paths_parse(FILE *f, const char *v1_name, char *v2, size_t v2len, char *v1,
			   size_t v1len)
{
	char line[UW_PATH_MAX + 128];
	int got1 = 0, got2 = 0;

	if (v2 && v2len)
		v2[0] = 0;
	if (v1 && v1len)
		v1[0] = 0;
	while (uw_read_line(f, line, sizeof(line))) {
		char *c1 = strchr(line, ':'), *c2;

		if (!c1)
			continue;
		c2 = strchr(c1 + 1, ':');
		if (!c2)
			continue;
		*c1 = 0;
		*c2 = 0;
		/* First match only: a cgroup name holding a newline cannot add a line that wins. */
		if (!strcmp(line, "0") && !c1[1]) {
			if (v2 && !got2++)
				snprintf(v2, v2len, "%s", c2 + 1);
		} else if (v1 && v1_name && has_opt(c1 + 1, v1_name) && !got1++) {
			snprintf(v1, v1len, "%s", c2 + 1);
		}
	}
}

int uw_cgroup_paths_of_pid(const char *procfs, int pid, const char *v1_name, char *v2,
			   size_t v2len, char *v1, size_t v1len)
{
	char path[UW_PATH_MAX];
	FILE *f;

	if (v2 && v2len)
		v2[0] = 0;
	if (v1 && v1len)
		v1[0] = 0;
	snprintf(path, sizeof(path), "%s/%d/cgroup", procfs, pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	uw_cgroup_paths_parse(f, v1_name, v2, v2len, v1, v1len);
	fclose(f);
	return 0;
}
