/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The node's name for the records' "host": given, from the environment, or the host's own. */
#ifndef UW_HOSTNAME_H
#define UW_HOSTNAME_H

#include <stddef.h>

#define UW_HOST_NAME_MAX 253 /* a DNS name; Kubernetes node names are DNS subdomains */
/* what a name must be, for the sentences that refuse one */
#define UW_HOST_NAME_RULES "letters, digits, '-', '_' and '.', at most 253 characters"

/* Where the name came from. */
enum uw_host_name_source {
	UW_HN_OPTION = 0, /* --host-name */
	UW_HN_ENV,        /* NODE_NAME (the Downward API's usual name) */
	UW_HN_HOST_UTS,   /* the hostname of the host's UTS namespace, read through --procfs */
	UW_HN_OWN,        /* this process's own hostname: the host's could not be read */
};

const char *uw_host_name_source_str(enum uw_host_name_source s);

/* 1 when s is a DNS name: 1..253 bytes of letters, digits, '-', '_' and '.', labels of 1..63
 * bytes. */
int uw_valid_host_name(const char *s);

/*
 * Picks the node's name into out (size n > UW_HOST_NAME_MAX): the option when given, else
 * env_node_name when set and not empty, else the hostname of the UTS namespace of host_pid
 * (procfs/host_pid/ns/uts; read in a short-lived child that enters it, when it is not this
 * process's own), else this process's own. Returns 0; 1 when the host's could not be read and
 * this process's own is used (a sentence in err says why); -1 with a sentence in err when the
 * option or NODE_NAME is not a DNS name.
 */
int uw_host_name(const char *option, const char *env_node_name, const char *procfs, int host_pid,
		 char *out, size_t n, enum uw_host_name_source *source, char *err, size_t errlen);

#endif
