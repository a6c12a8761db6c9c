/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command line: options and their validation. */
#ifndef UW_CLI_H
#define UW_CLI_H

#include <stdio.h>

#include "encoder.h"
#include "hooks.h"
#include "netaddr.h"
#include "version.h"

/* The configuration: made by the option parser, read by main.c, which hands each stage its part. */
struct uw_config {
	enum uw_format output;
	int once;
	int verbose;
	const char *procfs;       /* where the host's /proc is mounted */
	const char *host_root;    /* where the host's root file system is (runtime metadata) */
	const char *host_name;    /* --host-name, or NULL */
	const char *cluster_name; /* --cluster-name, or NULL: the records' cluster */
	const char *data_root[12]; /* --data-root KEY=DIR, as given (checked), in order */
	unsigned n_data_root;
	const char *policy;       /* --policy FILE, or NULL */
	int report_allowed;       /* write allowed alerts at severity info */
	unsigned max_alerts;      /* alerts per container before the rest are only counted */
	enum uw_hooks hooks;      /* which entry points to load */
	unsigned ringbuf_kib;     /* ring buffer size */
	int host_transitions;     /* report user namespace transitions outside containers too */
	unsigned report_interval; /* seconds between alert_limit "ongoing" records; 0: never */
	const char *ready_tcp;    /* --ready-tcp [ADDR:]PORT, or NULL */
	struct uw_netaddr ready_addr; /* ... parsed */
	unsigned stats_interval;  /* seconds between heartbeat stats records; 0: none */
	const char *output_file;  /* --output-file PATH, or NULL: stdout */
	const char *syslog;       /* --syslog unix:PATH|udp:ADDR:PORT|tcp:ADDR:PORT, or NULL */
	const char *metrics;      /* --metrics [ADDR:]PORT, or NULL */
	struct uw_netaddr metrics_addr; /* ... parsed */
	const char *pin_dir;      /* where the kernel side is pinned (user/pin.h); NULL: --no-pin */
	int pin_dir_set;          /* --pin-dir was given (else the default, used where it can be) */
	int unpin;                /* --unpin: remove the pins in pin_dir and exit */
	const char *check_policy; /* --check-policy FILE: check it and exit */
};

#define UW_DEFAULT_MAX_ALERTS 32
#define UW_MAX_MAX_ALERTS 1000000
#define UW_DEFAULT_RINGBUF_KIB 4096
#define UW_MAX_RINGBUF_KIB (1024 * 1024)
#define UW_DEFAULT_REPORT_INTERVAL 60
#define UW_MAX_REPORT_INTERVAL 86400
/* the heartbeat: JSON lines go to a SIEM that alerts on a node gone silent; text to a person */
#define UW_DEFAULT_STATS_INTERVAL_JSON 60
#define UW_MAX_STATS_INTERVAL 86400

enum uw_cli_result {
	UW_CLI_RUN = 0,     /* options are good: run */
	UW_CLI_EXIT = 1,    /* --help was printed to out: exit 0 */
	UW_CLI_ERROR = 2,   /* a message and the usage were printed to err: exit 2 */
	UW_CLI_VERSION = 3, /* --version: the caller prints it (uw_version_print, with the BPF
			     * object's digest, which the loader has), then exits 0 */
};

enum uw_cli_result uw_parse_args(int argc, char **argv, struct uw_config *o, FILE *out, FILE *err);
void uw_usage(FILE *f);

#endif
