// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "audit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attribute.h"
#include "clock.h"
#include "container.h"
#include "hostns.h"
#include "json.h"
#include "metadata.h"
#include "policy.h"
#include "self.h"
#include "table.h"

#define AUDIT_MAX_ROWS 65536 /* containers listed; the processes of more are counted */


/* the rule of --policy that allows container c's processes in the host user namespace (is_self:
 * c is userns-watch's own container, all of its processes in the watch's mount namespace) */
static const char *allowed_by(struct uw_attr *attr, struct uw_policy *policy,
			      const struct uw_clock *clock, const struct uw_container *c, int is_self)
{
	struct uw_policy_rule *rule, *expired;
	struct uw_policy_subject s;

	if (!policy)
		return NULL;
	uw_policy_subject_of(&s, UW_AK_HOST_USERNS, c->runtime, c->id, uw_attr_meta(attr, c));
	uw_policy_subject_self(&s, is_self);
	rule = uw_policy_match(policy, &s, (int64_t)clock->real(), &expired);
	return rule ? rule->name : NULL;
}

/* the state letter of procfs/PID/stat or procfs/PID/task/TID/stat, 0 when not read */
static char state_of(const char *path)
{
	char buf[512], *rp;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	rp = strrchr(buf, ')'); /* comm may hold anything, ')' included: the last one ends it */
	return rp && rp[1] == ' ' ? rp[2] : 0;
}

/* a process that has exited and is not reaped yet (a zombie, state Z or X, every thread of it:
 * a leader that exited while its other threads run on is Z itself) runs nothing: it is no
 * container process to count, whatever its credentials still say */
static int exited(const char *procfs, int pid)
{
	char path[300];
	struct dirent *de;
	int live = 0;
	char st;
	DIR *d;

	if (snprintf(path, sizeof(path), "%s/%d/stat", procfs, pid) >= (int)sizeof(path))
		return 0;
	st = state_of(path);
	if (!st)
		return 1; /* gone */
	if (st != 'Z' && st != 'X')
		return 0;
	snprintf(path, sizeof(path), "%s/%d/task", procfs, pid);
	d = opendir(path);
	while (d && !live && (de = readdir(d))) {
		char tpath[300];

		if (de->d_name[0] == '.' ||
		    snprintf(tpath, sizeof(tpath), "%s/%d/task/%.32s/stat", procfs, pid, de->d_name) >= (int)sizeof(tpath))
			continue;
		st = state_of(tpath);
		live = st && st != 'Z' && st != 'X';
	}
	if (d)
		closedir(d);
	return !live;
}

static struct uw_audit_row *row_of(struct uw_audit *t, const struct uw_container *c)
{
	char key[UW_CID_MAX + 64];
	size_t klen = (size_t)snprintf(key, sizeof(key), "%s%c%s", c->runtime, 0, c->id);
	struct uw_audit_row *w = uw_table_get(&t->t, key, klen);

	if (w)
		return w;
	if (t->t.count >= AUDIT_MAX_ROWS) { /* never evict a row: count what is not listed */
		t->unlisted++;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w || uw_table_put(&t->t, key, klen, w))
		return NULL;
	w->c = *c;
	return w;
}

struct collect {
	struct uw_audit_row **v;
	size_t n;
};

static int collect_one(void *ctx, const void *key, size_t klen, void *val)
{
	struct collect *c = ctx;

	c->v[c->n++] = val;
	return 0;
}

static int by_verdict(const void *x, const void *y)
{
	const struct uw_audit_row *a = *(const struct uw_audit_row *const *)x, *b = *(const struct uw_audit_row *const *)y;
	int ra = a->host_procs ? (a->allowed_by ? 1 : 2) : 0, rb = b->host_procs ? (b->allowed_by ? 1 : 2) : 0;
	int r = rb - ra;

	if (r)
		return r;
	r = strcmp(a->c.runtime, b->c.runtime);
	return r ? r : strcmp(a->c.id, b->c.id);
}

/* a cell of a text table: escaped, cut to width with "~" */
static void cell(char *out, size_t cap, const char *s, size_t max, size_t width)
{
	char esc[1024];

	uw_text_escape(esc, sizeof(esc), s && *s ? s : "-", max);
	if (strlen(esc) > width) {
		esc[width - 1] = '~';
		esc[width] = '\0';
	}
	snprintf(out, cap, "%s", esc);
}

static int write_row(struct uw_attr *attr, FILE *f, const struct uw_audit_row *w)
{
	const struct uw_meta *m = uw_attr_meta(attr, &w->c);
	char id[64], name[64], image[64], procs[128];
	size_t len = strnlen(w->c.id, UW_CID_MAX);

	cell(id, sizeof(id), w->c.id, len == 64 ? 12 : len, 12);
	cell(name, sizeof(name), m ? m->name : NULL, UW_META_STR, 24);
	cell(image, sizeof(image), m ? m->image : NULL, UW_META_STR, 32);
	if (w->host_procs && w->host_procs != w->procs)
		snprintf(procs, sizeof(procs), "%u (%u in the host's)", w->procs, w->host_procs);
	else
		snprintf(procs, sizeof(procs), "%u", w->procs);
	if (w->allowed_by) {
		char rule[64];

		cell(rule, sizeof(rule), w->allowed_by, UW_POLICY_MAX_STR, 40);
		snprintf(procs + strlen(procs), sizeof(procs) - strlen(procs), " (rule %s)", rule);
	}
	return fprintf(f, "%-7s %-10s %-12s %-24s %-32s %-6s %s\n",
		       w->allowed_by ? "ALLOWED" : w->host_procs ? "FAIL" : "PASS", w->c.runtime, id, name,
		       image, w->host_procs ? "host" : "own", procs) < 0 ? -1 : 0;
}

int uw_audit_collect(struct uw_attr *attr, struct uw_policy *policy, const struct uw_clock *clock,
		     const struct uw_self *self, struct uw_audit *t)
{
	struct collect all = { NULL, 0 };
	struct dirent *de;
	size_t i;
	DIR *d;

	memset(t, 0, sizeof(*t));
	if (uw_table_init(&t->t, AUDIT_MAX_ROWS + 1, free))
		return -1;
	d = opendir(attr->procfs);
	while (d && (de = readdir(d))) {
		struct uw_container c;
		struct uw_audit_row *row;
		unsigned user;
		int pid = atoi(de->d_name);

		if (pid <= 0 || exited(attr->procfs, pid) || !uw_attr_container_of_pid(attr, pid, &c))
			continue;
		if (uw_read_ns(attr->procfs, pid, "user", &user))
			continue; /* gone meanwhile */
		row = row_of(t, &c);
		if (!row)
			continue;
		row->procs++;
		row->host_procs += user == attr->host.user;
		/* in the watch's container by its cgroup, which a write puts anyone in: of it only
		 * in its mount namespace too, which the runtime gave */
		if (self && self->c.id[0] && uw_container_same(&c, &self->c)) {
			unsigned mnt = 0;

			row->foreign += uw_read_ns(attr->procfs, pid, "mnt", &mnt) || mnt != self->mnt;
		}
	}
	if (d)
		closedir(d);
	all.v = calloc(t->t.count + 1, sizeof(*all.v));
	if (!all.v) {
		uw_table_free(&t->t);
		return -1;
	}
	uw_table_each(&t->t, collect_one, &all);
	for (i = 0; i < all.n; i++) {
		struct uw_audit_row *w = all.v[i];
		int is_self = self && uw_self_container_is(self, &w->c, self->mnt) && !w->foreign;

		w->allowed_by = w->host_procs ? allowed_by(attr, policy, clock, &w->c, is_self) : NULL;
		t->fails += all.v[i]->host_procs > 0 && !all.v[i]->allowed_by;
		t->allowed += all.v[i]->allowed_by != NULL;
	}
	qsort(all.v, all.n, sizeof(*all.v), by_verdict);
	t->v = all.v;
	t->n = all.n;
	return 0;
}

void uw_audit_free(struct uw_audit *a)
{
	free(a->v);
	a->v = NULL;
	uw_table_free(&a->t);
}

int uw_audit_table(struct uw_attr *attr, const struct uw_audit *t, FILE *f)
{
	size_t i;
	int rc = 0;

	if (fprintf(f, "\nCIS Docker Benchmark 5.31 (the host's user namespace is not shared): %zu containers, "
		       "%zu FAIL, %zu ALLOWED, %zu PASS\n", t->n, t->fails, t->allowed, t->n - t->fails - t->allowed) < 0 ||
	    fprintf(f, "%-7s %-10s %-12s %-24s %-32s %-6s %s\n", "VERDICT", "RUNTIME", "CONTAINER", "NAME",
		    "IMAGE", "USERNS", "PROCESSES") < 0)
		rc = -1;
	for (i = 0; i < t->n && !rc; i++)
		rc = write_row(attr, f, t->v[i]);
	if (!rc && t->unlisted &&
	    fprintf(f, "(%zu processes of further containers not listed: more than %d containers)\n",
		    t->unlisted, AUDIT_MAX_ROWS) < 0)
		rc = -1;
	return rc || fflush(f) ? -1 : 0;
}
