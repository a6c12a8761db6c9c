// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "self.h"
#include "attribute.h"
#include "hostns.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hostns.h"
#include "severity.h"

uint32_t uw_self_find(struct uw_self *s, const char *procfs)
{
	char path[4096], link[32];
	unsigned long v;
	ssize_t n;
	char *end;

	s->pid = 0;
	s->start_caps = uw_caps_own_effective();
	s->have_start_caps = 1;
	snprintf(path, sizeof(path), "%s/self", procfs);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	errno = 0;
	v = strtoul(link, &end, 10);
	if (errno || *end || end == link || v == 0 || v > UINT32_MAX)
		return 0;
	s->pid = (uint32_t)v;
	return s->pid;
}

int uw_self_gate(struct uw_self *s, const struct uw_alert *a, struct uw_counters *counts, int *first)
{
	/* only its own process (its PID as the host's procfs shows it) */
	if (!s->pid || a->pid != s->pid)
		return 0;
	counts->self_records++;
	*first = !s->written;
	return 1;
}

void uw_self_record(struct uw_self *s, struct uw_alert *a, uint32_t host_user)
{
	s->written = 1;
	/* a container named by an ID (not "unknown", "host"), with a mount namespace of its own:
	 * its own process's provenance; a watch whose record says no container is in none */
	if (a->container && a->container->id[0] && a->container->runtime && s->mnt)
		s->c = *a->container;
	else
		memset(&s->c, 0, sizeof(s->c));
	a->kind = UW_AK_SELF;
	a->severity = "info";
	a->rule_id = UW_RULE_SELF_ID;
	a->rule_text = UW_RULE_SELF_TEXT;
	a->limit_reached = 0;
	a->origin = NULL;
	a->self_host_userns = a->ns->user == host_user;
	if (s->have_start_caps)
		a->cap_effective = s->start_caps;
}

int uw_self_container_is(const struct uw_self *s, const struct uw_container *c, uint32_t mnt)
{
	return s->c.id[0] && s->mnt && mnt == s->mnt && uw_container_same(c, &s->c);
}

void uw_self_learn(struct uw_self *s, struct uw_attr *attr, const char *procfs, uint32_t host_mnt)
{
	struct uw_container c;
	uint32_t mnt = 0;

	memset(&s->c, 0, sizeof(s->c));
	s->mnt = 0;
	if (!s->pid || uw_read_ns(procfs, (int)s->pid, "mnt", &mnt) || !mnt || mnt == host_mnt)
		return;
	s->mnt = mnt;
	if (uw_attr_container_of_pid(attr, (int)s->pid, &c) && c.id[0])
		s->c = c;
}

void uw_self_describe(struct uw_self *s, const char *procfs, const struct uw_ns *host,
		      uint64_t now_real_ns, struct uw_self_store *st, struct uw_alert *a)
{
	struct stat sb;
	ssize_t n;

	memset(a, 0, sizeof(*a));
	memset(st->comm, 0, sizeof(st->comm));
	prctl(PR_GET_NAME, st->comm); /* 16 bytes, NUL included */
	n = readlink("/proc/self/exe", st->exe, sizeof(st->exe) - 1);
	st->exe[n > 0 ? n : 0] = '\0';
	if (!stat("/proc/self/exe", &sb)) {
		a->exe_ino = sb.st_ino;
		a->exe_dev = (uint32_t)((major(sb.st_dev) << 20) | minor(sb.st_dev));
		a->exe_kind = "path";
	}
	st->ns = *host;
	if (!s->pid || uw_read_all_ns(procfs, (int)s->pid, &st->ns))
		st->ns = *host;
	a->source = "snapshot";
	a->ts_real_ns = now_real_ns;
	a->pid = s->pid ? s->pid : (uint32_t)getpid();
	a->ppid = (uint32_t)getppid();
	a->uid = (uint32_t)getuid();
	a->euid = (uint32_t)geteuid();
	a->cap_effective = uw_caps_own_effective();
	a->comm = st->comm;
	a->exe = st->exe;
	a->ns = &st->ns;
	a->container = &uw_host_container;
	a->evidence = UW_EV_NONE;
	a->cgroup_path = uw_cgroup_paths_of_pid("/proc", getpid(), NULL, st->cgpath, sizeof(st->cgpath),
						NULL, 0) || !st->cgpath[0] ? NULL : st->cgpath;
	a->cgroup_hier = "v2";
}
