// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "policy.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "metadata.h"

#define POLICY_MAX_BYTES (1 << 20)

static const char *const field_names[UW_PF_MAX] = {
	[UW_PF_RUNTIME] = "runtime",
	[UW_PF_POD_NAMESPACE] = "pod_namespace",
	[UW_PF_POD_NAME] = "pod_name",
	[UW_PF_CONTAINER_NAME] = "container_name",
	[UW_PF_IMAGE] = "image",
	[UW_PF_CONTAINER_ID] = "container_id",
	[UW_PF_SELF] = "self",
};

static const char *const event_names[UW_AK_MAX] = {
	[UW_AK_HOST_USERNS] = "host_userns",
	[UW_AK_USERNS_CREATE] = "userns_create",
	[UW_AK_USERNS_ENTER] = "userns_enter",
	[UW_AK_ESCAPE] = "escape",
	[UW_AK_CGROUP_MOVE] = "cgroup_move",
};

const char *uw_policy_field_name(enum uw_policy_field f)
{
	return f < UW_PF_MAX ? field_names[f] : "?";
}

void uw_policy_subject_of(struct uw_policy_subject *s, enum uw_alert_kind kind, const char *runtime,
			  const char *id, const struct uw_meta *m)
{
	s->kind = kind;
	s->field[UW_PF_RUNTIME] = runtime;
	s->field[UW_PF_CONTAINER_ID] = id;
	/* only what the tool can vouch for (metadata.h, UW_VOUCH_*): a field its creator wrote
	 * (an annotation on a container the kubelet did not make) is NULL, which no rule matches */
	s->field[UW_PF_POD_NAMESPACE] = m && (m->vouched & UW_VOUCH_POD) ? m->pod_namespace : NULL;
	s->field[UW_PF_POD_NAME] = m && (m->vouched & UW_VOUCH_POD) ? m->pod_name : NULL;
	s->field[UW_PF_CONTAINER_NAME] = m && (m->vouched & UW_VOUCH_NAME) ? m->name : NULL;
	s->field[UW_PF_IMAGE] = m && (m->vouched & UW_VOUCH_IMAGE) ? m->image : NULL;
	s->field[UW_PF_SELF] = NULL;
}

void uw_policy_subject_self(struct uw_policy_subject *s, int is_self)
{
	s->field[UW_PF_SELF] = is_self ? "true" : NULL;
}

struct ctx {
	yaml_document_t *doc;
	const char *name;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4))) static int bad(struct ctx *c, const yaml_node_t *at, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%zu:%zu: %s", c->name, at ? at->start_mark.line + 1 : 1,
		 at ? at->start_mark.column + 1 : 1, what);
	return -1;
}

static const char *kind_word(const yaml_node_t *n)
{
	return n->type == YAML_MAPPING_NODE ? "a mapping" : n->type == YAML_SEQUENCE_NODE ? "a list" : "a value";
}

/* a scalar of printable text, 1..UW_POLICY_MAX_STR bytes, copied into *out */
static int scalar(struct ctx *c, const yaml_node_t *n, const char *what, char **out)
{
	size_t i, len;

	if (n->type != YAML_SCALAR_NODE)
		return bad(c, n, "%s must be a string, not %s", what, kind_word(n));
	len = n->data.scalar.length;
	if (!len)
		return bad(c, n, "%s is empty", what);
	if (len > UW_POLICY_MAX_STR)
		return bad(c, n, "%s is longer than %d bytes", what, UW_POLICY_MAX_STR);
	for (i = 0; i < len; i++)
		if (n->data.scalar.value[i] < 0x20 || n->data.scalar.value[i] == 0x7f)
			return bad(c, n, "%s holds a control character", what);
	*out = strndup((const char *)n->data.scalar.value, len);
	return *out ? 0 : bad(c, n, "out of memory");
}

static int key_is(const yaml_node_t *k, const char *s)
{
	return k->type == YAML_SCALAR_NODE && k->data.scalar.length == strlen(s) &&
	       !memcmp(k->data.scalar.value, s, k->data.scalar.length);
}

/* "2027-05-01T00:00:00Z": whole seconds, UTC */
static int parse_time(const char *s, int64_t *ns)
{
	struct tm tm = { 0 };
	char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	time_t t;

	/* 1970 to 2200: nanoseconds since the epoch stay within 64 bits (to 2262) */
	if (!end || *end || tm.tm_year < 70 || tm.tm_year > 300)
		return -1;
	t = timegm(&tm);
	if (t <= 0)
		return -1;
	*ns = (int64_t)t * 1000000000LL;
	return 0;
}

static int parse_match(struct ctx *c, const yaml_node_t *m, struct uw_policy_rule *r)
{
	yaml_node_pair_t *p;
	int given = 0;

	if (m->type != YAML_MAPPING_NODE)
		return bad(c, m, "match must be a mapping, not %s", kind_word(m));
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);
		int f;

		for (f = 0; f < UW_PF_MAX && !key_is(k, field_names[f]); f++)
			;
		if (f == UW_PF_MAX)
			return bad(c, k, "unknown key '%.64s' in match (want runtime, pod_namespace, pod_name, "
					 "container_name, image, container_id or self)",
				   k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "?");
		if (r->match[f])
			return bad(c, k, "match gives %s twice", field_names[f]);
		if (scalar(c, v, field_names[f], &r->match[f]))
			return -1;
		/* self is no pattern: the watch's own container, or nothing */
		if (f == UW_PF_SELF && strcmp(r->match[f], "true"))
			return bad(c, v, "self can only be true (the container userns-watch runs in)");
		given++;
	}
	return given ? 0 : bad(c, m, "match is empty: a rule must say what it allows");
}

static int parse_events(struct ctx *c, const yaml_node_t *e, struct uw_policy_rule *r)
{
	yaml_node_item_t *it;

	if (e->type != YAML_SEQUENCE_NODE)
		return bad(c, e, "events must be a list, not %s", kind_word(e));
	r->events = 0;
	for (it = e->data.sequence.items.start; it < e->data.sequence.items.top; it++) {
		yaml_node_t *v = yaml_document_get_node(c->doc, *it);
		int k;

		for (k = 0; k < UW_AK_MAX && !(event_names[k] && key_is(v, event_names[k])); k++)
			;
		if (k == UW_AK_MAX)
			return bad(c, v, "unknown event in events (want host_userns, escape, userns_create or "
					 "userns_enter)");
		r->events |= 1u << k;
	}
	return r->events ? 0 : bad(c, e, "events is empty");
}

static int parse_rule(struct ctx *c, const yaml_node_t *n, struct uw_policy *pol)
{
	struct uw_policy_rule *r = &pol->rules[pol->n];
	const yaml_node_t *name_node = NULL, *match_node = NULL;
	yaml_node_pair_t *p;
	char *expires = NULL;
	size_t i;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	pol->n++; /* freed with the policy from here on */
	r->events = 1u << UW_AK_HOST_USERNS;
	if (n->type != YAML_MAPPING_NODE)
		return bad(c, n, "a rule must be a mapping, not %s", kind_word(n));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top && !rc; p++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(c->doc, p->value);

		if (key_is(k, "name")) {
			rc = r->name ? bad(c, k, "name given twice") : scalar(c, v, "name", &r->name);
			name_node = v;
		} else if (key_is(k, "reason")) {
			rc = r->reason ? bad(c, k, "reason given twice") : scalar(c, v, "reason", &r->reason);
		} else if (key_is(k, "expires")) {
			rc = expires ? bad(c, k, "expires given twice") : scalar(c, v, "expires", &expires);
			if (!rc && parse_time(expires, &r->expires_ns))
				rc = bad(c, v, "expires must be a UTC time from 1970 to 2200 such as 2027-05-01T00:00:00Z");
		} else if (key_is(k, "match")) {
			rc = match_node ? bad(c, k, "match given twice") : parse_match(c, v, r);
			match_node = v;
		} else if (key_is(k, "events")) {
			rc = parse_events(c, v, r);
		} else {
			rc = bad(c, k, "unknown key '%.64s' in a rule (want name, reason, expires, match or events)",
				 k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "?");
		}
	}
	free(expires);
	if (rc)
		return rc;
	if (!r->name)
		return bad(c, n, "a rule has no name");
	if (!r->reason)
		return bad(c, n, "rule '%.64s' has no reason", r->name);
	if (!match_node)
		return bad(c, n, "rule '%.64s' has no match", r->name);
	for (i = 0; i + 1 < pol->n; i++)
		if (!strcmp(pol->rules[i].name, r->name))
			return bad(c, name_node, "rule name '%.64s' is used twice", r->name);
	return 0;
}

int uw_policy_parse(const char *buf, size_t len, const char *name, struct uw_policy *p, char *err,
		    size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct ctx c = { &doc, name, err, errlen };
	yaml_node_t *root, *allow = NULL;
	yaml_node_pair_t *pair;
	yaml_node_item_t *it;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		snprintf(err, errlen, "%s:%zu:%zu: %s%s%s", name, parser.problem_mark.line + 1,
			 parser.problem_mark.column + 1, parser.problem ? parser.problem : "not YAML",
			 parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		rc = bad(&c, NULL, "the policy is empty (want a mapping with an allow list)");
		goto out;
	}
	if (root->type != YAML_MAPPING_NODE) {
		rc = bad(&c, root, "the policy must be a mapping with an allow list, not %s", kind_word(root));
		goto out;
	}
	for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(&doc, pair->key);

		if (!key_is(k, "allow")) {
			rc = bad(&c, k, "unknown key '%.64s' (want allow)",
				 k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "?");
			goto out;
		}
		if (allow) {
			rc = bad(&c, k, "allow given twice");
			goto out;
		}
		allow = yaml_document_get_node(&doc, pair->value);
	}
	if (!allow) {
		rc = bad(&c, root, "no allow list");
		goto out;
	}
	/* "allow:" with nothing after it is an empty list */
	if (allow->type == YAML_SCALAR_NODE && !allow->data.scalar.length)
		goto out;
	if (allow->type != YAML_SEQUENCE_NODE) {
		rc = bad(&c, allow, "allow must be a list of rules, not %s", kind_word(allow));
		goto out;
	}
	if (allow->data.sequence.items.top - allow->data.sequence.items.start > UW_POLICY_MAX_RULES) {
		rc = bad(&c, allow, "more than %d rules", UW_POLICY_MAX_RULES);
		goto out;
	}
	p->rules = calloc((size_t)(allow->data.sequence.items.top - allow->data.sequence.items.start) + 1,
			  sizeof(*p->rules));
	if (!p->rules) {
		rc = bad(&c, allow, "out of memory");
		goto out;
	}
	for (it = allow->data.sequence.items.start; it < allow->data.sequence.items.top && !rc; it++)
		rc = parse_rule(&c, yaml_document_get_node(&doc, *it), p);
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (rc)
		uw_policy_free(p);
	return rc;
}

/* Not uw_read_file_bounded: that refuses a symlink as last component (runtime files are
 * hostile), while a Kubernetes ConfigMap mounts its keys as symlinks. */
int uw_policy_load(const char *path, struct uw_policy *p, char *err, size_t errlen)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd, rc;

	memset(p, 0, sizeof(*p));
	/* never waiting: a FIFO put at the path is refused below, not read (O_NONBLOCK); no
	 * terminal becomes the watch's */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open the policy %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > POLICY_MAX_BYTES) {
		snprintf(err, errlen, "the policy %s is not a regular file of at most 1 MiB", path);
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (got < (size_t)st.st_size && ((n = read(fd, buf + got, (size_t)st.st_size - got)) > 0 ||
					    (n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	close(fd);
	rc = uw_policy_parse(buf, got, path, p, err, errlen);
	free(buf);
	return rc;
}

void uw_policy_free(struct uw_policy *p)
{
	size_t i;
	int f;

	for (i = 0; i < p->n; i++) {
		free(p->rules[i].name);
		free(p->rules[i].reason);
		for (f = 0; f < UW_PF_MAX; f++)
			free(p->rules[i].match[f]);
	}
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

static int rule_matches(const struct uw_policy_rule *r, const struct uw_policy_subject *s)
{
	int f;

	if (s->kind >= UW_AK_MAX || !(r->events & (1u << s->kind)))
		return 0;
	for (f = 0; f < UW_PF_MAX; f++)
		if (r->match[f] && (!s->field[f] || fnmatch(r->match[f], s->field[f], 0)))
			return 0;
	return 1;
}

struct uw_policy_rule *uw_policy_match(struct uw_policy *p, const struct uw_policy_subject *s,
				       int64_t now_ns, struct uw_policy_rule **expired)
{
	size_t i;

	*expired = NULL;
	for (i = 0; i < p->n; i++) {
		struct uw_policy_rule *r = &p->rules[i];

		if (!rule_matches(r, s))
			continue;
		if (r->expires_ns && now_ns >= r->expires_ns) {
			if (!r->expired_told && !*expired) {
				r->expired_told = 1;
				*expired = r;
			}
			continue;
		}
		return r;
	}
	return NULL;
}
