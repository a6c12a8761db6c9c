// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Userspace throughput and memory, no kernel events needed: generated task records go through
 * the real pipeline (uw_pipeline_record: cgroup resolution by ID, verdict, flood control, JSON)
 * with output to /dev/null, pinned to one CPU. The containers are real cgroups made below
 * the cgroup2 mount (bench-only, removed at the end), so resolution and caches work as in
 * production. Prints key=value lines.
 *
 *   replay pipeline CONTAINERS EVENTS   mixed records (16 programs per container, repeats)
 *   replay json EVENTS                  alert records only: writer + stdio to /dev/null
 *   replay rss CONTAINERS               one record for each of CONTAINERS containers, then
 *                                       the peak resident set size
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "hostns.h"
#include "pipeline.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long maxrss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static char base[UW_PATH_MAX + 64];

/* Makes N container cgroups /uw-bench-<pid>/docker/<id> below the cgroup2 mount. */
static uint64_t *make_cgroups(const struct uw_cgroups *cg, unsigned n, char (*ids)[65])
{
	uint64_t *ino = calloc(n, sizeof(*ino));
	char path[UW_PATH_MAX + 160];
	struct stat st;
	unsigned i;

	snprintf(base, sizeof(base), "%s/uw-bench-%d", cg->v2.point, getpid());
	if (mkdir(base, 0755))
		return NULL;
	snprintf(path, sizeof(path), "%s/docker", base);
	if (mkdir(path, 0755))
		return NULL;
	for (i = 0; i < n; i++) {
		snprintf(ids[i], 65, "%016x%016x%016x%016x", i, i * 7u + 1, i * 13u + 2, i * 31u + 3);
		snprintf(path, sizeof(path), "%s/docker/%s", base, ids[i]);
		if (mkdir(path, 0755) || stat(path, &st))
			return NULL;
		ino[i] = st.st_ino;
	}
	return ino;
}

static void remove_cgroups(unsigned n, char (*ids)[65])
{
	char path[UW_PATH_MAX + 160];
	unsigned i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/docker/%s", base, ids[i]);
		rmdir(path);
	}
	snprintf(path, sizeof(path), "%s/docker", base);
	rmdir(path);
	rmdir(base);
}

static struct uw_task_event make_ev(const struct uw_ns *host, uint64_t cg, unsigned prog)
{
	struct uw_task_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.type = UW_T_TASK;
	ev.hdr.size = sizeof(ev);
	ev.hdr.ts_ns = 1000000000ULL;
	ev.source = UW_SRC_EXEC;
	ev.flags = UW_F_EXE_FROM_EXEC;
	ev.pid = 4242 + prog;
	ev.ppid = 1;
	ev.cgroup_id = cg;
	ev.ns = *host;
	ev.ns.mnt += 1000;
	ev.ns.pid += 1000;
	snprintf(ev.comm, sizeof(ev.comm), "prog%u", prog);
	snprintf(ev.exe, sizeof(ev.exe), "/usr/local/bin/program-%u", prog);
	return ev;
}

int main(int argc, char **argv)
{
	unsigned containers = 0, i;
	unsigned long events = 0, k;
	struct uw_cgroups cg;
	struct uw_pipeline rep;
	char err[512], (*ids)[65];
	struct uw_ns host;
	uint64_t *ino;
	cpu_set_t one;
	FILE *null;
	double t0, t1;
	int from;

	if (argc < 3) {
		fprintf(stderr, "usage: replay pipeline CONTAINERS EVENTS | json EVENTS | rss CONTAINERS\n");
		return 2;
	}
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	if (uw_host_ns("/proc", &host, &from, err, sizeof(err)) ||
	    uw_cgroups_open(&cg, "/proc/self/mountinfo", err, sizeof(err)) || cg.v2.fd < 0) {
		fprintf(stderr, "replay: %s\n", err[0] ? err : "no cgroup2 mount");
		return 1;
	}
	null = fopen("/dev/null", "w");

	if (!strcmp(argv[1], "json")) {
		struct uw_task_event ev = make_ev(&host, 1, 1);
		static const struct uw_container c = { .id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
						       .runtime = "docker" };
		struct uw_alert a = { .kind = UW_AK_HOST_USERNS, .source = "exec", .severity = "critical",
				      .rule_id = UW_RULE_ID, .rule_text = UW_RULE_TEXT,
				      .pid = 4242, .ppid = 1, .comm = ev.comm, .exe = ev.exe,
				      .cap_effective = 0xa80425fbULL, /* root in a Docker container: 14 */
				      .ns = &ev.ns, .container = &c, .cgroup_id = 77,
				      .cgroup_path = "/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
				      .cgroup_hier = "v2" };

		struct uw_encoder enc;
		struct uw_sinks sinks = { null, "bench-host", NULL, NULL, NULL, 0 };
		struct uw_rec r;

		uw_encoder_init(&enc, UW_OUT_JSON, "bench-host");
		events = strtoul(argv[2], NULL, 10);
		t0 = now_s();
		for (k = 0; k < events; k++) {
			a.ts_real_ns = 1763800000000000000ULL + k;
			if (uw_encode_alert(&enc, &a, &r) || uw_sinks_deliver(&sinks, &r))
				return 1;
		}
		t1 = now_s();
		printf("json_events=%lu\njson_seconds=%.6f\njson_events_per_s=%.0f\n", events, t1 - t0,
		       (double)events / (t1 - t0));
		return 0;
	}

	containers = (unsigned)strtoul(argv[2], NULL, 10);
	if (!strcmp(argv[1], "pipeline") && argc > 3)
		events = strtoul(argv[3], NULL, 10);
	ids = calloc(containers, sizeof(*ids));
	ino = make_cgroups(&cg, containers, ids);
	if (!ino) {
		fprintf(stderr, "replay: cannot make cgroups below %s: %s\n", cg.v2.point, strerror(errno));
		remove_cgroups(containers, ids);
		return 1;
	}
	{
		/* no host root: runtime metadata is a per-container file read, measured apart */
		struct uw_pipeline_opts o = {
			.procfs = "/proc", .host = &host, .cg = &cg, .max_alerts = 32,
			.report_interval_ns = UW_DEFAULT_REPORT_INTERVAL_NS,
			.out = null, .format = UW_OUT_JSON, .host_name = "bench-host",
		};

		if (uw_pipeline_init(&rep, &o))
			return 1;
	}

	if (!strcmp(argv[1], "rss")) {
		long before = maxrss_kib();

		for (i = 0; i < containers; i++) {
			struct uw_task_event ev = make_ev(&host, ino[i], i % 16);

			uw_pipeline_record(&rep, &ev, sizeof(ev));
		}
		printf("rss_containers=%u\nrss_before_kib=%ld\nrss_peak_kib=%ld\nalerts=%llu\n", containers,
		       before, maxrss_kib(), (unsigned long long)rep.counts.alerts);
	} else {
		/* warm: every container seen once, so the run measures the steady state */
		for (i = 0; i < containers; i++) {
			struct uw_task_event ev = make_ev(&host, ino[i], 0);

			uw_pipeline_record(&rep, &ev, sizeof(ev));
		}
		t0 = now_s();
		for (k = 0; k < events; k++) {
			struct uw_task_event ev = make_ev(&host, ino[k % containers], (unsigned)(k / containers) % 16);

			uw_pipeline_record(&rep, &ev, sizeof(ev));
		}
		t1 = now_s();
		printf("pipeline_events=%lu\npipeline_seconds=%.6f\npipeline_events_per_s=%.0f\n"
		       "pipeline_alerts=%llu\n",
		       events, t1 - t0, (double)events / (t1 - t0),
		       (unsigned long long)rep.counts.alerts);
	}
	uw_pipeline_free(&rep);
	remove_cgroups(containers, ids);
	return 0;
}
