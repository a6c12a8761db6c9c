// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loads the empty programs, turns BPF run-time statistics on (for as long as it runs, through
 * bpf_enable_stats), prints "ready" and waits for SIGINT/SIGTERM. With "stats", prints instead
 * one line per loaded program: ID name run_cnt run_time_ns, and exits. With "statsonly", turns
 * the statistics on and waits, loading nothing (another program measured alone on its hooks).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "empty.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int quiet(enum libbpf_print_level l, const char *f, va_list ap)
{
	return 0;
}

static int dump_stats(void)
{
	__u32 id = 0;

	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			printf("%u %s %llu %llu\n", id, info.name, (unsigned long long)info.run_cnt,
			       (unsigned long long)info.run_time_ns);
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct empty_bpf *skel;
	int stats_fd;

	libbpf_set_print(quiet);
	if (argc > 1 && !strcmp(argv[1], "stats"))
		return dump_stats();
	stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats_fd < 0) {
		fprintf(stderr, "bpf_enable_stats: %s\n", strerror(errno));
		return 1;
	}
	skel = NULL;
	if (!(argc > 1 && !strcmp(argv[1], "statsonly"))) {
		skel = empty_bpf__open_and_load();
		if (!skel || empty_bpf__attach(skel)) {
			fprintf(stderr, "empty programs: %s\n", strerror(errno));
			return 1;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	empty_bpf__destroy(skel);
	close(stats_fd);
	return 0;
}
