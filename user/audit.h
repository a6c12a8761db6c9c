/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --once in text: the table that answers the CIS question for every container at a glance. */
#ifndef UW_AUDIT_H
#define UW_AUDIT_H

#include <stdio.h>

struct uw_report;

/*
 * Scans the host's procfs (r->procfs): every process whose cgroup names a container counts for
 * that container, and whether it runs in the host's user namespace (its ns/user link against
 * r->host.user). Writes one table to f: verdict (FAIL when any process of the container is in
 * the host user namespace, else PASS), runtime, short ID, name, image, user namespace (host or
 * own) and processes seen, FAIL first. Returns 0, or -1 when f could not be written.
 */
int uw_audit_table(struct uw_report *r, FILE *f);

#endif
