// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A developer's tool (tools/dev/replay/diff.sh): a live watch whose kernel records are also
 * handed, frame by frame, to replay processes (replay.c built from two commits, one per output
 * configuration), each in turn: a frame goes to the first and its acknowledgement is awaited
 * before the next gets it, so every replay reads procfs and the cgroups as they are then.
 * The recorder runs the pipeline itself too (output to /dev/null) for what it tells the kernel
 * (the ignore, watched-cgroup and repeat maps), so the kernel sends what it sends a real watch.
 *
 *   record SECONDS CMDFILE     CMDFILE: one replay command line per line (split at spaces);
 *                              SIGINT or SIGTERM ends the recording early
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "hostns.h"
#include "loader.h"
#include "pipeline.h"
#include "preflight.h"
#include "replay.h"

#define MAX_CHILDREN 32

struct child {
	pid_t pid;
	int in, ack;
};

static struct child kids[MAX_CHILDREN];
static unsigned nkids;
static volatile sig_atomic_t stop;
static unsigned long frames;

static void on_signal(int sig)
{
	stop = sig;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* one frame to every replay, in turn, each acknowledged before the next */
static void send_frame(uint32_t type, const void *data, size_t len, uint64_t now)
{
	struct uw_replay_frame fr = { type, (uint32_t)len, now };
	unsigned i;
	char ack;

	for (i = 0; i < nkids; i++) {
		if (write_all(kids[i].in, &fr, sizeof(fr)) || (len && write_all(kids[i].in, data, len)) ||
		    read(kids[i].ack, &ack, 1) != 1) {
			fprintf(stderr, "record: replay %u (pid %d) went away\n", i, kids[i].pid);
			exit(1);
		}
	}
	frames++;
}

static int on_record(void *ctx, const void *data, size_t size)
{
	send_frame(UW_REPLAY_RECORD, data, size, uw_now_boot_ns());
	return uw_pipeline_record(ctx, data, size);
}

static int on_ringbuf(void *ctx, void *data, size_t size)
{
	return on_record(ctx, data, size);
}

static void spawn(char *line)
{
	char *argv[64], *save = NULL, *tok;
	int in[2], ack[2], n = 0;
	pid_t pid;

	for (tok = strtok_r(line, " \t\n", &save); tok && n < 63; tok = strtok_r(NULL, " \t\n", &save))
		argv[n++] = tok;
	argv[n] = NULL;
	if (!n || nkids >= MAX_CHILDREN)
		return;
	if (pipe(in) || pipe(ack))
		exit(1);
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(ack[1], 1);
		close(in[1]);
		close(ack[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(ack[1]);
	kids[nkids++] = (struct child){ pid, in[1], ack[0] };
}

int main(int argc, char **argv)
{
	struct uw_cgroups cg = { .v2.fd = -1, .v1.fd = -1 };
	struct uw_load_opts lo = { 0 };
	struct uw_bpf bpf = { 0 };
	struct ring_buffer *rb;
	struct uw_pipeline rep;
	struct uw_ns hns;
	char err[1024], line[4096], self[16];
	int from, mounted = 0;
	unsigned i, secs;
	uint64_t end;
	FILE *cmds, *null;

	if (argc != 3 || !(cmds = fopen(argv[2], "r"))) {
		fprintf(stderr, "usage: record SECONDS CMDFILE\n");
		return 2;
	}
	secs = (unsigned)atoi(argv[1]);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	snprintf(self, sizeof(self), "%d", getpid());
	while (fgets(line, sizeof(line), cmds)) {
		char expanded[4200], *at = strstr(line, "SELF_PID");

		if (at) { /* the recorder's PID: records about it are "self" in every replay */
			*at = 0;
			snprintf(expanded, sizeof(expanded), "%s%s%s", line, self, at + 8);
			spawn(expanded);
		} else {
			spawn(line);
		}
	}
	fclose(cmds);
	if (uw_host_ns("/proc", &hns, &from, err, sizeof(err)) ||
	    uw_cgroups_open(&cg, "/proc/self/mountinfo", err, sizeof(err))) {
		fprintf(stderr, "record: %s\n", err);
		return 1;
	}
	null = fopen("/dev/null", "w");
	{
		struct uw_pipeline_opts o = {
			.procfs = "/proc", .host_root = "/", .host = &hns, .cg = &cg, .host_transitions = 1,
			.max_alerts = 32, .report_interval_ns = UW_DEFAULT_REPORT_INTERVAL_NS,
			.kernel = uw_bpf_feedback(&bpf, 1),
			.out = null, .format = UW_OUT_JSON, .host_name = "record",
		};

		if (uw_pipeline_init(&rep, &o))
			return 1;
	}
	uw_tracefs_ready(&mounted);
	lo.host = &hns;
	lo.cg1 = cg.v1_ctrl;
	lo.hooks = UW_HOOKS_AUTO;
	lo.ringbuf_bytes = 16u << 20;
	lo.transitions = 1;
	lo.host_transitions = 1;
	lo.host_ref_pid = from;
	if (uw_bpf_start(&bpf, &lo, err, sizeof(err))) {
		fprintf(stderr, "record: %s\n", err);
		return 1;
	}
	rb = ring_buffer__new(uw_bpf_events_fd(&bpf), on_ringbuf, &rep, NULL);
	if (!rb || uw_bpf_snapshot(&bpf, on_record, &rep)) {
		fprintf(stderr, "record: cannot start\n");
		return 1;
	}
	fprintf(stderr, "record: recording (%u replays)\n", nkids);
	end = uw_now_boot_ns() + (uint64_t)secs * 1000000000ULL;
	while (!stop && uw_now_boot_ns() < end) {
		uint64_t now;

		ring_buffer__poll(rb, 5);
		ring_buffer__consume(rb);
		now = uw_now_boot_ns();
		send_frame(UW_REPLAY_TICK, NULL, 0, now);
		uw_pipeline_tick(&rep, now);
	}
	ring_buffer__consume(rb);
	send_frame(UW_REPLAY_END, NULL, 0, uw_now_boot_ns());
	for (i = 0; i < nkids; i++) {
		close(kids[i].in);
		waitpid(kids[i].pid, NULL, 0);
	}
	fprintf(stderr, "record: %lu frames, %llu records\n", frames,
		(unsigned long long)(rep.counts.received + rep.counts.snapshot));
	ring_buffer__free(rb);
	uw_bpf_destroy(&bpf);
	uw_pipeline_free(&rep);
	uw_tracefs_release(mounted);
	return 0;
}
