/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What to do about a finding: the remediation a host_userns or escape record carries (and the
 * audit's FAIL rows), chosen by the container's engine and what its metadata says of it (a
 * Docker container started with --userns=host or --privileged, a Kubernetes pod), and the MITRE
 * ATT&CK techniques a record maps to. Static text only: nothing a container wrote goes into it.
 * The mapping is documented in docs/output.md ("Remediation", "ATT&CK").
 */
#ifndef UW_REMEDY_H
#define UW_REMEDY_H

#include <stddef.h>

#include "kind.h"

struct uw_container;
struct uw_meta;

struct uw_remedy {
	const char *id;        /* stable: "docker-userns-remap", "kubernetes-host-users", … */
	const char *summary;   /* a few words, for the text line */
	const char *desc;      /* what to do, in full */
	const char *reference; /* the engine's documentation of it */
};

/*
 * The remediation for a record of kind k about container c (m: its metadata, may be NULL), or
 * NULL for kinds that get none (only host_userns and escape do). For an escape it is the
 * engine's user namespace remediation, after containing the node (uw_remedy_text).
 */
const struct uw_remedy *uw_remedy_for(enum uw_alert_kind k, const struct uw_container *c,
				      const struct uw_meta *m);

#define UW_REMEDY_TEXT_MAX 2048
/* r's whole text for a record of kind k into buf (len bytes): its desc, after the escape's
 * first step (isolate the node) for an escape. Returns buf. */
const char *uw_remedy_text(enum uw_alert_kind k, const struct uw_remedy *r, char *buf, size_t len);

/* One ATT&CK technique. */
struct uw_attack {
	const char *technique_id, *technique, *tactic_id, *tactic, *reference;
};

/* The techniques a record of kind k maps to (escape_via: how an escape took hold, or NULL);
 * their number in *n, 0 for none. */
const struct uw_attack *uw_attack_for(enum uw_alert_kind k, const char *escape_via, size_t *n);

#endif
