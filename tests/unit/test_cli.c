// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "cli.h"
#include "pin.h"

static char outbuf[8192], errbuf[8192];

static enum uw_cli_result parse(struct uw_config *o, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;
	FILE *out = fmemopen(outbuf, sizeof(outbuf), "w");
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");
	enum uw_cli_result r;

	argv[argc++] = "userns-watch";
	va_start(ap, o);
	for (char *a; (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	memset(outbuf, 0, sizeof(outbuf));
	memset(errbuf, 0, sizeof(errbuf));
	r = uw_parse_args(argc, argv, o, out, err);
	fclose(out);
	fclose(err);
	return r;
}

static void test_defaults(void **state)
{
	struct uw_config o;

	assert_int_equal(parse(&o, NULL), UW_CLI_RUN);
	assert_int_equal(o.output, UW_OUT_TEXT);
	assert_int_equal(o.once, 0);
	assert_int_equal(o.verbose, 0);
	assert_string_equal(o.procfs, "/proc");
	assert_int_equal(o.max_alerts, UW_DEFAULT_MAX_ALERTS);
	assert_int_equal(o.hooks, UW_HOOKS_AUTO);
	assert_int_equal(o.ringbuf_kib, UW_DEFAULT_RINGBUF_KIB);
	assert_int_equal(o.report_interval, 60);
	assert_null(o.host_name);
	assert_null(o.ready_tcp);
	assert_null(o.metrics);
	assert_null(o.output_file);
	assert_int_equal(o.stats_interval, 0); /* text: a person reads it */
	assert_int_equal(parse(&o, "-o", "json", NULL), UW_CLI_RUN);
	assert_int_equal(o.stats_interval, UW_DEFAULT_STATS_INTERVAL_JSON);
	assert_int_equal(UW_DEFAULT_STATS_INTERVAL_JSON, 60);
}

static void test_all_options(void **state)
{
	struct uw_config o;

	assert_int_equal(parse(&o, "-o", "json", "--once", "--procfs", "/host/proc",
			       "--max-alerts", "7", "-v", "-v", NULL),
			 UW_CLI_RUN);
	assert_int_equal(o.output, UW_OUT_JSON);
	assert_int_equal(o.once, 1);
	assert_int_equal(o.verbose, 2);
	assert_string_equal(o.procfs, "/host/proc");
	assert_int_equal(o.max_alerts, 7);
	assert_int_equal(parse(&o, "--output=text", NULL), UW_CLI_RUN);
	assert_int_equal(o.output, UW_OUT_TEXT);
	assert_int_equal(parse(&o, "--output", "json", NULL), UW_CLI_RUN);
	assert_int_equal(o.output, UW_OUT_JSON);
	assert_int_equal(parse(&o, "-ojson", NULL), UW_CLI_RUN);
	assert_int_equal(o.output, UW_OUT_JSON);
	assert_int_equal(parse(&o, "-o", "ocsf", NULL), UW_CLI_RUN);
	assert_int_equal(o.output, UW_OUT_OCSF);
	assert_int_equal(parse(&o, "-o", "ecs", NULL), UW_CLI_RUN);
	assert_int_equal(o.output, UW_OUT_ECS);
	assert_int_equal(o.stats_interval, UW_DEFAULT_STATS_INTERVAL_JSON);
	assert_int_equal(parse(&o, "--hooks", "raw_tp", "--ringbuf-kib", "4", NULL), UW_CLI_RUN);
	assert_int_equal(o.hooks, UW_HOOKS_RAW_TP);
	assert_int_equal(o.ringbuf_kib, 4);
	assert_int_equal(parse(&o, "--hooks=tp_btf", "--ringbuf-kib=1048576", NULL), UW_CLI_RUN);
	assert_int_equal(o.hooks, UW_HOOKS_TP_BTF);
	assert_int_equal(o.ringbuf_kib, 1048576);
	assert_int_equal(parse(&o, "--hooks", "auto", NULL), UW_CLI_RUN);
	assert_int_equal(o.hooks, UW_HOOKS_AUTO);
	assert_int_equal(parse(&o, "--report-interval", "0", NULL), UW_CLI_RUN);
	assert_int_equal(o.report_interval, 0);
	assert_int_equal(parse(&o, "--report-interval=86400", NULL), UW_CLI_RUN);
	assert_int_equal(o.report_interval, 86400);
	assert_int_equal(parse(&o, "--host-name", "ip-10-0-0-1.ec2.internal", NULL), UW_CLI_RUN);
	assert_string_equal(o.host_name, "ip-10-0-0-1.ec2.internal");
	assert_int_equal(parse(&o, "--ready-tcp", "0.0.0.0:9477", NULL), UW_CLI_RUN);
	assert_string_equal(o.ready_tcp, "0.0.0.0:9477");
	/* parsed once, here: the watch listens on what the options hold */
	assert_int_equal(o.ready_addr.ss.ss_family, AF_INET);
	assert_int_equal(ntohs(((const struct sockaddr_in *)&o.ready_addr.ss)->sin_port), 9477);
	assert_int_equal(parse(&o, "--metrics", "[::1]:9478", NULL), UW_CLI_RUN);
	assert_string_equal(o.metrics, "[::1]:9478");
	assert_int_equal(o.metrics_addr.ss.ss_family, AF_INET6);
	assert_int_equal(o.metrics_addr.len, sizeof(struct sockaddr_in6));
	assert_int_equal(ntohs(((const struct sockaddr_in6 *)&o.metrics_addr.ss)->sin6_port), 9478);
	assert_int_equal(parse(&o, "-o", "json", "--stats-interval", "0", NULL), UW_CLI_RUN);
	assert_int_equal(o.stats_interval, 0);
	assert_int_equal(parse(&o, "--stats-interval=86400", NULL), UW_CLI_RUN);
	assert_int_equal(o.stats_interval, 86400);
	assert_int_equal(parse(&o, "--output-file", "/var/log/uw.json", NULL), UW_CLI_RUN);
	assert_string_equal(o.output_file, "/var/log/uw.json");
}

struct bad {
	const char *a, *b;
	const char *msg;
};

/* The pins: on by default in the default directory, never with --once, and the conflicts. */
static void test_pin_options(void **state)
{
	struct uw_config o;

	assert_int_equal(parse(&o, NULL), UW_CLI_RUN);
	assert_string_equal(o.pin_dir, UW_PIN_DIR_DEFAULT);
	assert_int_equal(o.pin_dir_set, 0);
	assert_int_equal(o.unpin, 0);
	assert_int_equal(parse(&o, "--no-pin", NULL), UW_CLI_RUN);
	assert_null(o.pin_dir);
	assert_int_equal(parse(&o, "--once", NULL), UW_CLI_RUN);
	assert_null(o.pin_dir);
	assert_int_equal(parse(&o, "--once", "--no-pin", NULL), UW_CLI_RUN);
	assert_int_equal(parse(&o, "--pin-dir", "/sys/fs/bpf/x", NULL), UW_CLI_RUN);
	assert_string_equal(o.pin_dir, "/sys/fs/bpf/x");
	assert_int_equal(o.pin_dir_set, 1);
	assert_int_equal(parse(&o, "--unpin", "--pin-dir", "/sys/fs/bpf/x", NULL), UW_CLI_RUN);
	assert_int_equal(o.unpin, 1);
	assert_string_equal(o.pin_dir, "/sys/fs/bpf/x");
	assert_int_equal(parse(&o, "--no-pin", "--pin-dir", "/sys/fs/bpf/x", NULL), UW_CLI_ERROR);
	assert_non_null(strstr(errbuf, "--no-pin goes with neither --pin-dir nor --unpin"));
	assert_int_equal(parse(&o, "--unpin", "--no-pin", NULL), UW_CLI_ERROR);
	assert_int_equal(parse(&o, "--unpin", "--once", NULL), UW_CLI_ERROR);
	assert_int_equal(parse(&o, "--pin-dir", "/sys/fs/bpf/x", "--once", NULL), UW_CLI_ERROR);
	assert_int_equal(parse(&o, "--pin-dir", "rel", NULL), UW_CLI_ERROR);
	assert_non_null(strstr(errbuf, "bad --pin-dir 'rel'"));
	assert_int_equal(parse(&o, "--pin-dir", "", NULL), UW_CLI_ERROR);
}

/* --check-policy FILE runs alone */
static void test_check_policy_option(void **state)
{
	struct uw_config o;

	assert_int_equal(parse(&o, "--check-policy", "p.yaml", NULL), UW_CLI_RUN);
	assert_string_equal(o.check_policy, "p.yaml");
	assert_int_equal(parse(&o, NULL), UW_CLI_RUN);
	assert_null(o.check_policy);
	assert_int_equal(parse(&o, "--check-policy", "", NULL), UW_CLI_ERROR);
	assert_int_equal(parse(&o, "--check-policy", "p.yaml", "--once", NULL), UW_CLI_ERROR);
	assert_non_null(strstr(errbuf, "--check-policy FILE runs alone"));
	assert_int_equal(parse(&o, "--check-policy", "p.yaml", "--policy", "q.yaml", NULL), UW_CLI_ERROR);
	assert_int_equal(parse(&o, "--check-policy", "p.yaml", "--unpin", NULL), UW_CLI_ERROR);
}

static void test_errors(void **state)
{
	static const struct bad bads[] = {
		{ "--bogus", NULL, "unknown option '--bogus'" },
		{ "-x", NULL, "unknown option '-x'" },
		{ "-o", "xml", "unknown output format 'xml' (want text, json, ecs or ocsf)" },
		{ "-o", NULL, "option '-o' needs a value" },
		{ "--output", NULL, "option '--output' needs a value" },
		{ "--max-alerts", "0", "bad --max-alerts value '0'" },
		{ "--max-alerts", "-3", "bad --max-alerts value '-3'" },
		{ "--max-alerts", "12abc", "bad --max-alerts value '12abc'" },
		{ "--max-alerts", "99999999999999999999", "bad --max-alerts value" },
		{ "--max-alerts", "1000001", "bad --max-alerts value '1000001'" },
		{ "--procfs", "", "--procfs needs a directory" },
		{ "--hooks", "fentry", "unknown hook kind 'fentry'" },
		{ "--ringbuf-kib", "6", "bad --ringbuf-kib value '6'" },
		{ "--ringbuf-kib", "2", "bad --ringbuf-kib value '2'" },
		{ "--ringbuf-kib", "2097152", "bad --ringbuf-kib value '2097152'" },
		{ "--report-interval", "86401", "bad --report-interval value '86401'" },
		{ "--report-interval", "-1", "bad --report-interval value '-1'" },
		{ "--report-interval", "1m", "bad --report-interval value '1m'" },
		{ "--host-name", "node a", "bad --host-name 'node a'" },
		{ "--host-name", "", "bad --host-name ''" },
		{ "--host-name", "a..b", "bad --host-name 'a..b'" },
		{ "--cluster-name", "prod eu", "bad --cluster-name 'prod eu'" },
		{ "--cluster-name", "", "bad --cluster-name ''" },
		{ "--report-interval", NULL, "option '--report-interval' needs a value" },
		{ "--ready-tcp", "0", "bad --ready-tcp value '0'" },
		{ "--ready-tcp", "localhost:9477", "bad --ready-tcp value 'localhost:9477'" },
		{ "--ready-tcp", NULL, "option '--ready-tcp' needs a value" },
		{ "--metrics", "65536", "bad --metrics value '65536'" },
		{ "--metrics", "prometheus:9478", "bad --metrics value 'prometheus:9478'" },
		{ "--metrics", "", "bad --metrics value ''" },
		{ "--stats-interval", "86401", "bad --stats-interval value '86401'" },
		{ "--stats-interval", "-5", "bad --stats-interval value '-5'" },
		{ "--stats-interval", "1s", "bad --stats-interval value '1s'" },
		{ "--output-file", "", "--output-file needs a file" },
		{ "extra", NULL, "unexpected argument 'extra'" },
	};
	struct uw_config o;
	size_t i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		print_message("case %s %s\n", bads[i].a, bads[i].b ? bads[i].b : "");
		assert_int_equal(parse(&o, bads[i].a, bads[i].b, NULL), UW_CLI_ERROR);
		assert_non_null(strstr(errbuf, bads[i].msg));
		assert_non_null(strstr(errbuf, "Usage: userns-watch"));
		assert_string_equal(outbuf, "");
	}
}

static void test_help_version(void **state)
{
	struct uw_config o;

	assert_int_equal(parse(&o, "--help", NULL), UW_CLI_EXIT);
	assert_non_null(strstr(outbuf, "Usage: userns-watch"));
	assert_string_equal(errbuf, "");
	/* --version is printed by the caller (test_version.c), which has the BPF object's digest */
	assert_int_equal(parse(&o, "-V", NULL), UW_CLI_VERSION);
	assert_string_equal(outbuf, "");
	assert_int_equal(parse(&o, "--once", "--version", NULL), UW_CLI_VERSION);
	assert_string_equal(outbuf, "");
	/* parsing again after an error starts fresh */
	assert_int_equal(parse(&o, "--bogus", NULL), UW_CLI_ERROR);
	assert_int_equal(parse(&o, "--once", NULL), UW_CLI_RUN);
	assert_int_equal(o.once, 1);
	/* a readiness port belongs to a watch */
	assert_int_equal(parse(&o, "--once", "--ready-tcp", "9477", NULL), UW_CLI_ERROR);
	assert_non_null(strstr(errbuf, "--ready-tcp is for a watch, not --once"));
	assert_int_equal(parse(&o, "--once", "--metrics", "9478", NULL), UW_CLI_ERROR);
	assert_non_null(strstr(errbuf, "--metrics is for a watch, not --once"));
	assert_int_equal(parse(&o, "--once", "--stats-interval", "5", NULL), UW_CLI_ERROR);
	assert_non_null(strstr(errbuf, "--stats-interval is for a watch, not --once"));
	assert_int_equal(parse(&o, "--once", "-o", "json", NULL), UW_CLI_RUN);
	assert_int_equal(o.stats_interval, UW_DEFAULT_STATS_INTERVAL_JSON); /* unused by --once */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_pin_options),
		cmocka_unit_test(test_check_policy_option),
		cmocka_unit_test(test_help_version),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
