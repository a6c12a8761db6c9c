// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "cli.h"
#include "roots.h"
#include "hostname.h"
#include "pin.h"
#include "syslog5424.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_ONCE = 256, OPT_PROCFS, OPT_HOST_ROOT, OPT_MAX_ALERTS, OPT_HOOKS, OPT_RINGBUF, OPT_HOST_TRANS,
       OPT_REPORT_INTERVAL, OPT_HOST_NAME, OPT_POLICY, OPT_REPORT_ALLOWED, OPT_READY_TCP, OPT_STATS_INTERVAL, OPT_OUTPUT_FILE, OPT_SYSLOG,
       OPT_METRICS, OPT_PIN_DIR, OPT_NO_PIN, OPT_UNPIN, OPT_CHECK_POLICY, OPT_CLUSTER_NAME, OPT_DATA_ROOT };

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ "procfs", required_argument, NULL, OPT_PROCFS },
	{ "host-root", required_argument, NULL, OPT_HOST_ROOT },
	{ "max-alerts", required_argument, NULL, OPT_MAX_ALERTS },
	{ "hooks", required_argument, NULL, OPT_HOOKS },
	{ "ringbuf-kib", required_argument, NULL, OPT_RINGBUF },
	{ "host-transitions", no_argument, NULL, OPT_HOST_TRANS },
	{ "report-interval", required_argument, NULL, OPT_REPORT_INTERVAL },
	{ "host-name", required_argument, NULL, OPT_HOST_NAME },
	{ "cluster-name", required_argument, NULL, OPT_CLUSTER_NAME },
	{ "data-root", required_argument, NULL, OPT_DATA_ROOT },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "report-allowed", no_argument, NULL, OPT_REPORT_ALLOWED },
	{ "ready-tcp", required_argument, NULL, OPT_READY_TCP },
	{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
	{ "output-file", required_argument, NULL, OPT_OUTPUT_FILE },
	{ "syslog", required_argument, NULL, OPT_SYSLOG },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "pin-dir", required_argument, NULL, OPT_PIN_DIR },
	{ "no-pin", no_argument, NULL, OPT_NO_PIN },
	{ "unpin", no_argument, NULL, OPT_UNPIN },
	{ "check-policy", required_argument, NULL, OPT_CHECK_POLICY },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void uw_usage(FILE *f)
{
	fprintf(f,
		"Usage: userns-watch [OPTIONS]\n"
		"Report container processes that run in the host's user namespace (CIS Docker 5.31).\n"
		"\n"
		"  -o, --output FORMAT  text (default), json (one JSON object per line), ecs\n"
		"                       (Elastic Common Schema) or ocsf (OCSF events)\n"
		"      --output-file PATH  append the records to PATH (created 0600) instead\n"
		"                       of stdout; SIGHUP opens it again (log rotation)\n"
		"      --syslog unix:PATH|udp:ADDR:PORT|tcp:ADDR:PORT|relp:ADDR:PORT  every\n"
		"                       record also as an RFC 5424 message (queued while the\n"
		"                       receiver is away; relp: kept until acknowledged)\n"
		"      --once           report the processes running now and exit:\n"
		"                       1 if any violates, 0 if none, 2 on error\n"
		"      --procfs DIR     the host's /proc (default /proc), for a sidecar that\n"
		"                       mounts it elsewhere\n"
		"      --host-root DIR  the host's root file system (default /), where runtime\n"
		"                       metadata (OCI bundles, Docker's records) is read\n"
		"      --host-name NAME the node's name for the records' host (default: NODE_NAME\n"
		"                       from the environment, else the host's hostname, read\n"
		"                       from its UTS namespace through --procfs)\n"
		"      --cluster-name NAME  the cluster's name, in every record beside the host's\n"
		"      --data-root KEY=DIR  where an engine keeps its containers' files on the host\n"
		"                       when not where its configuration says (KEY: docker,\n"
		"                       docker-exec, containerd, storage, storage-run, lxc)\n"
		"      --policy FILE    allow rules (YAML): containers they match give no alert;\n"
		"                       read again when it changes (or at SIGHUP)\n"
		"      --report-allowed write what the policy allows too, at severity info\n"
		"      --check-policy FILE  check a policy file and exit (0: valid, 2: the first\n"
		"                       error as FILE:LINE:COLUMN); needs neither root nor BPF\n"
		"      --ready-tcp [ADDR:]PORT  once set up, accept (and close) TCP connections\n"
		"                       there, for a readiness probe; ADDR is numeric, IPv6 in\n"
		"                       brackets (default 127.0.0.1)\n"
		"      --metrics [ADDR:]PORT  once set up, serve /metrics (Prometheus text) and\n"
		"                       /healthz over HTTP there (default address 127.0.0.1)\n"
		"      --max-alerts N   alerts per container and kind (one per distinct program)\n"
		"                       before further ones are only counted (default %d, 1..%d)\n"
		"      --report-interval S  seconds between alert_limit records for containers\n"
		"                       whose alerts are being counted (default %d, 0: never)\n"
		"      --stats-interval S  seconds between stats records while watching, a\n"
		"                       heartbeat (default %d with json, ecs, ocsf; 0 (none) with text)\n"
		"      --hooks KIND     auto (default: tp_btf, else raw_tp), tp_btf or raw_tp\n"
		"      --ringbuf-kib N  kernel-to-userspace ring buffer size in KiB, a power of\n"
		"                       two from 4 to 1048576 (default %d)\n"
		"      --host-transitions  also report user namespaces created or entered\n"
		"                       outside containers\n"
		"      --pin-dir DIR    keep the kernel side pinned in DIR on a BPF filesystem\n"
		"                       (default %s): it goes on recording while no\n"
		"                       watch runs, and the next watch reports what it kept\n"
		"      --no-pin         the kernel side ends with the watch\n"
		"      --unpin          remove the pinned kernel side (its hooks too) and exit\n"
		"  -v, --verbose        text lines with the rule, full IDs, namespaces and cgroup\n"
		"                       paths; libbpf and loader diagnostics on stderr\n"
		"  -h, --help           this help\n"
		"  -V, --version        print the version and what names the build (revision,\n"
		"                       architecture, libbpf, the BPF object's digest)\n"
		"\n"
		"Signals: SIGUSR1 prints a stats record; SIGHUP opens --output-file and reads\n"
		"--policy again; SIGINT/SIGTERM stop the watch.\n",
		UW_DEFAULT_MAX_ALERTS, UW_MAX_MAX_ALERTS, UW_DEFAULT_REPORT_INTERVAL,
		UW_DEFAULT_STATS_INTERVAL_JSON, UW_DEFAULT_RINGBUF_KIB, UW_PIN_DIR_DEFAULT);
}

static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static enum uw_cli_result fail(FILE *err, const char *fmt, const char *arg)
{
	fprintf(err, "userns-watch: ");
	fprintf(err, fmt, arg);
	fputc('\n', err);
	uw_usage(err);
	return UW_CLI_ERROR;
}

/* A port option's value, parsed once: kept as given (for messages) and as an address. */
static int port_option(const char *name, const char *v, const char **given, struct uw_netaddr *a, FILE *err)
{
	char msg[512];

	if (uw_netaddr_option(name, v, a, msg, sizeof(msg))) {
		fail(err, "%s", msg);
		return -1;
	}
	*given = v;
	return 0;
}

enum uw_cli_result uw_parse_args(int argc, char **argv, struct uw_config *o, FILE *out, FILE *err)
{
	int c, stats_interval_set = 0, no_pin = 0;

	memset(o, 0, sizeof(*o));
	o->output = UW_OUT_TEXT;
	o->procfs = "/proc";
	o->host_root = "/";
	o->max_alerts = UW_DEFAULT_MAX_ALERTS;
	o->hooks = UW_HOOKS_AUTO;
	o->ringbuf_kib = UW_DEFAULT_RINGBUF_KIB;
	o->report_interval = UW_DEFAULT_REPORT_INTERVAL;
	o->pin_dir = UW_PIN_DIR_DEFAULT;

	optind = 0; /* full re-initialisation (glibc), so the parser can run more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:vhV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!strcmp(optarg, "json"))
				o->output = UW_OUT_JSON;
			else if (!strcmp(optarg, "text"))
				o->output = UW_OUT_TEXT;
			else if (!strcmp(optarg, "ecs"))
				o->output = UW_OUT_ECS;
			else if (!strcmp(optarg, "ocsf"))
				o->output = UW_OUT_OCSF;
			else
				return fail(err, "unknown output format '%s' (want text, json, ecs or ocsf)", optarg);
			break;
		case OPT_ONCE:
			o->once = 1;
			break;
		case OPT_SYSLOG: {
			struct uw_syslog sl;
			char msg[512];

			if (uw_syslog_parse(optarg, &sl, msg, sizeof(msg)))
				return fail(err, "%s", msg);
			o->syslog = optarg;
			break;
		}
		case OPT_OUTPUT_FILE:
			if (!*optarg)
				return fail(err, "%s--output-file needs a file", "");
			o->output_file = optarg;
			break;
		case OPT_PROCFS:
			if (!*optarg)
				return fail(err, "%s--procfs needs a directory", "");
			o->procfs = optarg;
			break;
		case OPT_HOST_ROOT:
			if (!*optarg)
				return fail(err, "%s--host-root needs a directory", "");
			o->host_root = optarg;
			break;
		case OPT_HOST_NAME:
			if (!uw_valid_host_name(optarg))
				return fail(err, "bad --host-name '%.300s' (want a DNS name: " UW_HOST_NAME_RULES ")", optarg);
			o->host_name = optarg;
			break;
		case OPT_DATA_ROOT: {
			struct uw_roots scratch;
			char why[400];

			uw_roots_init(&scratch, "/");
			if (uw_roots_set(&scratch, optarg, why, sizeof(why)))
				return fail(err, "%s", why);
			if (o->n_data_root >= sizeof(o->data_root) / sizeof(o->data_root[0]))
				return fail(err, "%s--data-root given too many times", "");
			o->data_root[o->n_data_root++] = optarg;
			break;
		}
		case OPT_CLUSTER_NAME:
			if (!uw_valid_host_name(optarg))
				return fail(err, "bad --cluster-name '%.300s' (want a DNS name: " UW_HOST_NAME_RULES ")", optarg);
			o->cluster_name = optarg;
			break;
		case OPT_POLICY:
			if (!*optarg)
				return fail(err, "%s--policy needs a file", "");
			o->policy = optarg;
			break;
		case OPT_CHECK_POLICY:
			if (!*optarg)
				return fail(err, "%s--check-policy needs a file", "");
			o->check_policy = optarg;
			break;
		case OPT_REPORT_ALLOWED:
			o->report_allowed = 1;
			break;
		case OPT_READY_TCP:
			if (port_option("--ready-tcp", optarg, &o->ready_tcp, &o->ready_addr, err))
				return UW_CLI_ERROR;
			break;
		case OPT_METRICS:
			if (port_option("--metrics", optarg, &o->metrics, &o->metrics_addr, err))
				return UW_CLI_ERROR;
			break;
		case OPT_MAX_ALERTS:
			if (parse_uint(optarg, 1, UW_MAX_MAX_ALERTS, &o->max_alerts))
				return fail(err, "bad --max-alerts value '%s' (want a whole number from 1 to 1000000)",
					    optarg);
			break;
		case OPT_HOOKS:
			if (!strcmp(optarg, "auto"))
				o->hooks = UW_HOOKS_AUTO;
			else if (!strcmp(optarg, "tp_btf"))
				o->hooks = UW_HOOKS_TP_BTF;
			else if (!strcmp(optarg, "raw_tp"))
				o->hooks = UW_HOOKS_RAW_TP;
			else
				return fail(err, "unknown hook kind '%s' (want auto, tp_btf or raw_tp)", optarg);
			break;
		case OPT_RINGBUF:
			if (parse_uint(optarg, 4, UW_MAX_RINGBUF_KIB, &o->ringbuf_kib) ||
			    (o->ringbuf_kib & (o->ringbuf_kib - 1)))
				return fail(err, "bad --ringbuf-kib value '%s' (want a power of two from 4 to 1048576)",
					    optarg);
			break;
		case OPT_HOST_TRANS:
			o->host_transitions = 1;
			break;
		case OPT_REPORT_INTERVAL:
			if (parse_uint(optarg, 0, UW_MAX_REPORT_INTERVAL, &o->report_interval))
				return fail(err, "bad --report-interval value '%s' (want whole seconds from 0 to 86400)",
					    optarg);
			break;
		case OPT_STATS_INTERVAL:
			if (parse_uint(optarg, 0, UW_MAX_STATS_INTERVAL, &o->stats_interval))
				return fail(err, "bad --stats-interval value '%s' (want whole seconds from 0 to 86400)",
					    optarg);
			stats_interval_set = 1;
			break;
		case OPT_PIN_DIR:
			if (!*optarg || optarg[0] != '/')
				return fail(err, "bad --pin-dir '%.300s' (want an absolute path on a BPF filesystem)", optarg);
			o->pin_dir = optarg;
			o->pin_dir_set = 1;
			break;
		case OPT_NO_PIN:
			no_pin = 1;
			break;
		case OPT_UNPIN:
			o->unpin = 1;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			uw_usage(out);
			return UW_CLI_EXIT;
		case 'V':
			return UW_CLI_VERSION;
		case ':':
			return fail(err, "option '%s' needs a value", argv[optind - 1]);
		default:
			return fail(err, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return fail(err, "unexpected argument '%s'", argv[optind]);
	if (stats_interval_set && o->once)
		return fail(err, "%s--stats-interval is for a watch, not --once", "");
	if (!stats_interval_set)
		o->stats_interval = o->output != UW_OUT_TEXT ? UW_DEFAULT_STATS_INTERVAL_JSON : 0;
	if (o->report_allowed && !o->policy)
		return fail(err, "%s--report-allowed needs --policy", "");
	if (o->ready_tcp && o->once)
		return fail(err, "%s--ready-tcp is for a watch, not --once", "");
	if (o->metrics && o->once)
		return fail(err, "%s--metrics is for a watch, not --once", "");
	if (o->check_policy && (o->once || o->unpin || o->policy))
		return fail(err, "%s--check-policy FILE runs alone (it checks FILE and exits)", "");
	if (no_pin && (o->pin_dir_set || o->unpin))
		return fail(err, "%s--no-pin goes with neither --pin-dir nor --unpin", "");
	if (o->unpin && o->once)
		return fail(err, "%s--unpin and --once are two different runs", "");
	if (o->pin_dir_set && o->once)
		return fail(err, "%s--pin-dir is for a watch, not --once (which pins nothing)", "");
	/* --once loads only the snapshot's iterator: nothing to pin */
	if (no_pin || o->once)
		o->pin_dir = NULL;
	return UW_CLI_RUN;
}
