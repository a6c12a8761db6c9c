// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A developer's tool for proving that a change of userspace keeps its output byte for byte:
 * the kernel's records, as tools/dev/replay/record.c receives them from a live watch, go
 * through this build's pipeline and are written in one format to a file. record.c feeds the
 * same frames to this program built from two commits, one frame at a time to each (lockstep),
 * so both read procfs, cgroups and runtime files at the same moment; tools/dev/replay/diff.sh
 * compares what they wrote.
 *
 *   replay FORMAT OUTFILE SELF_PID [-v] [--policy FILE] [--report-allowed]
 *          [--host-transitions] [--max-alerts N] [--report-interval S]
 *
 * Frames on stdin (struct frame, then len bytes), one acknowledgement byte on stdout after
 * each. Clocks are the frames' own: the wall clock is the boot clock plus a fixed offset, the
 * run ID is fixed, so two builds given the same frames write the same bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "hostns.h"
#include "pipeline.h"
#include "policy.h"
#include "replay.h"

static uint64_t cur_boot;

static uint64_t fake_boot(void)
{
	return cur_boot;
}

static uint64_t fake_real(void)
{
	return cur_boot + UW_REPLAY_REAL_OFFSET;
}

static int read_all(void *p, size_t n)
{
	char *b = p;

	while (n) {
		ssize_t r = read(0, b, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *fmt_name, *policy = NULL;
	enum uw_format fmt;
	struct uw_cgroups cg;
	struct uw_pipeline rep;
	struct uw_status st;
	struct uw_policy pol = { 0 };
	struct uw_ns host;
	unsigned max_alerts = 32, interval = 60;
	int verbose = 0, report_allowed = 0, host_transitions = 0, from, i;
	char err[1024], *buf = NULL;
	FILE *f;

	if (argc < 4) {
		fprintf(stderr, "usage: replay FORMAT OUTFILE SELF_PID [options]\n");
		return 2;
	}
	fmt_name = argv[1];
	fmt = !strcmp(fmt_name, "json") ? UW_OUT_JSON : !strcmp(fmt_name, "ecs") ? UW_OUT_ECS
	      : !strcmp(fmt_name, "ocsf") ? UW_OUT_OCSF : UW_OUT_TEXT;
	for (i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "--policy") && i + 1 < argc)
			policy = argv[++i];
		else if (!strcmp(argv[i], "--report-allowed"))
			report_allowed = 1;
		else if (!strcmp(argv[i], "--host-transitions"))
			host_transitions = 1;
		else if (!strcmp(argv[i], "--max-alerts") && i + 1 < argc)
			max_alerts = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--report-interval") && i + 1 < argc)
			interval = (unsigned)atoi(argv[++i]);
	}
	f = fopen(argv[2], "w");
	if (!f || uw_host_ns("/proc", &host, &from, err, sizeof(err)) ||
	    uw_cgroups_open(&cg, "/proc/self/mountinfo", err, sizeof(err)) ||
	    (policy && uw_policy_load(policy, &pol, err, sizeof(err)))) {
		fprintf(stderr, "replay: %s\n", f ? err : strerror(errno));
		return 1;
	}
	{
		struct uw_pipeline_opts o = {
			.procfs = "/proc", .host_root = "/", .host = &host, .cg = &cg,
			.host_transitions = host_transitions, .policy = policy ? &pol : NULL,
			.report_allowed = report_allowed, .max_alerts = max_alerts,
			.report_interval_ns = (uint64_t)interval * 1000000000ULL,
			.out = f, .format = fmt, .host_name = "replay-host", .verbose = verbose,
		};

		if (uw_pipeline_init(&rep, &o))
			return 1;
	}
	memcpy(rep.enc.run_id, "0000000000000000", 17);
	rep.clock.boot = fake_boot;
	rep.clock.real = fake_real;
	rep.clock.boot_to_real_ns = (int64_t)UW_REPLAY_REAL_OFFSET;
	rep.self.pid = (uint32_t)atoi(argv[3]);
	for (;;) {
		struct uw_replay_frame fr;
		char ack = 0;

		if (read_all(&fr, sizeof(fr)))
			break;
		cur_boot = fr.now_boot_ns;
		free(buf);
		buf = fr.len ? malloc(fr.len) : NULL;
		if (fr.len && (!buf || read_all(buf, fr.len)))
			break;
		if (fr.type == UW_REPLAY_RECORD)
			uw_pipeline_record(&rep, buf, fr.len);
		else if (fr.type == UW_REPLAY_TICK)
			uw_pipeline_tick(&rep, fr.now_boot_ns);
		else if (fr.type == UW_REPLAY_END)
			uw_pipeline_flush(&rep, 0);
		if (write(1, &ack, 1) != 1 || fr.type == UW_REPLAY_END)
			break;
	}
	memset(&st, 0, sizeof(st));
	st.reason = "exit";
	st.hooks = "replay";
	uw_pipeline_status(&rep, &st);
	uw_pipeline_stats(&rep, &st);
	fclose(f);
	free(buf);
	uw_pipeline_free(&rep);
	uw_policy_free(&pol);
	return 0;
}
