// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "audit.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "hostns.h"
#include "json.h"
#include "metadata.h"
#include "policy.h"
#include "report.h"

#define AUDIT_MAX_ROWS 65536 /* containers listed; more are counted */

struct row {
	struct uw_container c;
	unsigned procs, host_procs;
	const char *allowed_by; /* the policy rule allowing it, when it shares the host's */
};

/* the rule of --policy that allows container c's processes in the host user namespace */
static const char *allowed_by(struct uw_report *r, const struct uw_container *c)
{
	const struct uw_meta *m = uw_report_meta(r, c);
	struct uw_policy_rule *rule, *expired;
	struct uw_policy_subject s;

	if (!r->policy)
		return NULL;
	s.kind = UW_AK_HOST_USERNS;
	s.field[UW_PF_RUNTIME] = c->runtime;
	s.field[UW_PF_CONTAINER_ID] = c->id;
	s.field[UW_PF_POD_NAMESPACE] = m ? m->pod_namespace : "";
	s.field[UW_PF_POD_NAME] = m ? m->pod_name : "";
	s.field[UW_PF_CONTAINER_NAME] = m ? m->name : "";
	s.field[UW_PF_IMAGE] = m ? m->image : "";
	rule = uw_policy_match(r->policy, &s, (int64_t)r->clock_real(), &expired);
	return rule ? rule->name : NULL;
}

struct rows {
	struct row *v;
	size_t n, cap;
	size_t dropped; /* containers beyond AUDIT_MAX_ROWS */
};

static struct row *row_of(struct rows *t, const struct uw_container *c)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].c.id, c->id) && !strcmp(t->v[i].c.runtime, c->runtime))
			return &t->v[i];
	if (t->n == AUDIT_MAX_ROWS) {
		t->dropped++;
		return NULL;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct row *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	t->v[t->n].c = *c;
	return &t->v[t->n++];
}

/* the container procfs/PID/cgroup names, outermost first (as the pipeline reads it) */
static int container_of_pid(const char *procfs, const char *pid, struct uw_container *c)
{
	char path[4096], line[4096];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "%s/%s/cgroup", procfs, pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (!p || !(p = strchr(p + 1, ':')))
			continue;
		p++;
		p[strcspn(p, "\n")] = '\0';
		found = uw_container_from_path(p, strlen(p), c);
	}
	fclose(f);
	return found;
}

static int by_verdict(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
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

int uw_audit_table(struct uw_report *r, FILE *f)
{
	struct rows t = { 0 };
	struct dirent *de;
	size_t i, fails = 0, allowed = 0;
	DIR *d = opendir(r->procfs);
	int rc = 0;

	while (d && (de = readdir(d))) {
		struct uw_container c;
		struct row *row;
		unsigned user;

		if (!isdigit((unsigned char)de->d_name[0]) || !container_of_pid(r->procfs, de->d_name, &c))
			continue;
		if (uw_read_ns(r->procfs, atoi(de->d_name), "user", &user))
			continue; /* gone meanwhile */
		row = row_of(&t, &c);
		if (!row)
			continue;
		row->procs++;
		row->host_procs += user == r->host.user;
	}
	if (d)
		closedir(d);
	for (i = 0; i < t.n; i++) {
		t.v[i].allowed_by = t.v[i].host_procs ? allowed_by(r, &t.v[i].c) : NULL;
		fails += t.v[i].host_procs > 0 && !t.v[i].allowed_by;
		allowed += t.v[i].allowed_by != NULL;
	}
	qsort(t.v, t.n, sizeof(*t.v), by_verdict);
	if (fprintf(f, "\nCIS Docker Benchmark 5.31 (the host's user namespace is not shared): %zu containers, "
		       "%zu FAIL, %zu ALLOWED, %zu PASS\n", t.n, fails, allowed, t.n - fails - allowed) < 0 ||
	    fprintf(f, "%-7s %-10s %-12s %-24s %-32s %-6s %s\n", "VERDICT", "RUNTIME", "CONTAINER", "NAME",
		    "IMAGE", "USERNS", "PROCESSES") < 0)
		rc = -1;
	for (i = 0; i < t.n && !rc; i++) {
		const struct row *w = &t.v[i];
		const struct uw_meta *m = uw_report_meta(r, &w->c);
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
		if (fprintf(f, "%-7s %-10s %-12s %-24s %-32s %-6s %s\n",
			    w->allowed_by ? "ALLOWED" : w->host_procs ? "FAIL" : "PASS", w->c.runtime, id, name,
			    image, w->host_procs ? "host" : "own", procs) < 0)
			rc = -1;
	}
	if (!rc && t.dropped && fprintf(f, "(%zu more containers not listed)\n", t.dropped) < 0)
		rc = -1;
	free(t.v);
	return rc || fflush(f) ? -1 : 0;
}
