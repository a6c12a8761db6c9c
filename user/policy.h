/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --policy FILE: allow rules read from YAML (libyaml), matched against alerts. */
#ifndef UW_POLICY_H
#define UW_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "kind.h"

#define UW_POLICY_MAX_RULES 4096
#define UW_POLICY_MAX_STR 512 /* a name, reason or pattern */

enum uw_policy_field {
	UW_PF_RUNTIME = 0,
	UW_PF_POD_NAMESPACE,
	UW_PF_POD_NAME,
	UW_PF_CONTAINER_NAME,
	UW_PF_IMAGE,
	UW_PF_CONTAINER_ID,
	UW_PF_SELF,        /* "self: true": the container userns-watch's own process runs in */
	UW_PF_MAX,
};

struct uw_policy_rule {
	char *name;
	char *reason;
	int64_t expires_ns;           /* wall clock; 0: never */
	char *match[UW_PF_MAX];       /* glob (* and ?), NULL: not constrained */
	unsigned events;              /* 1 << enum uw_alert_kind the rule allows */
	uint64_t allowed;             /* alerts it allowed */
	int expired_told;             /* its expiry has been written */
};

struct uw_policy {
	struct uw_policy_rule *rules;
	size_t n;
};

/* What an alert is about, as the rules see it: "" for what is not known. */
struct uw_policy_subject {
	const char *field[UW_PF_MAX];
	enum uw_alert_kind kind;
};

const char *uw_policy_field_name(enum uw_policy_field f);

struct uw_meta;
/* The subject of an alert of kind about container (runtime, id) with its runtime metadata m
 * (NULL: none known). */
void uw_policy_subject_of(struct uw_policy_subject *s, enum uw_alert_kind kind, const char *runtime,
			  const char *id, const struct uw_meta *m);
/* Whether the subject's container is the one userns-watch's own process runs in, as its
 * provenance says (self.h): what "self: true" matches. */
void uw_policy_subject_self(struct uw_policy_subject *s, int is_self);

/*
 * Parses a policy (YAML, a mapping with "allow": a list of rules, each a mapping of name
 * (required, unique), reason (required), expires (RFC 3339 UTC, optional), match (a mapping of
 * runtime, pod_namespace, pod_name, container_name, image, container_id, self (true only):
 * at least one) and
 * events (a list of host_userns, escape, userns_create, userns_enter; default host_userns)).
 * Returns 0, or -1 with "NAME:LINE:COLUMN: what is wrong" in err (1-based).
 */
int uw_policy_parse(const char *buf, size_t len, const char *name, struct uw_policy *p, char *err,
		    size_t errlen);
/* Reads and parses file path (at most 1 MiB). */
int uw_policy_load(const char *path, struct uw_policy *p, char *err, size_t errlen);
void uw_policy_free(struct uw_policy *p);

/*
 * The first rule, in file order, that allows subject s at wall-clock time now_ns: every field
 * the rule constrains matches (fnmatch, no flags; a field not known is "" and matches only "*"),
 * the alert's kind is among its events, and it has not expired. A rule found expired here that
 * would otherwise have matched and has not been told yet is returned in *expired (once).
 */
struct uw_policy_rule *uw_policy_match(struct uw_policy *p, const struct uw_policy_subject *s,
				       int64_t now_ns, struct uw_policy_rule **expired);

#endif
