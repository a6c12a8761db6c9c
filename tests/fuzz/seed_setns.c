// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Seeds for fuzz_setns, written in its input's layout (fuzz_setns.h), so they follow any change
 * to it: the call sequences the setns table is there for. make fuzz writes them into
 * fuzz_setns's working corpus before the run:
 *   seed_setns DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_setns.h"
#include "seed.h"

/* a namespace in a step: the host's (H) or another one, 0 to 4 */
#define H (-1)

struct ns8 {
	int user, mnt, pid, net, uts, ipc, cgroup, pid_for_children;
};

static const struct ns8 at_host = { H, H, H, H, H, H, H, H };

/* The byte fs_pick reads as namespace k (H: the host's); checked against it */
static uint8_t ns_byte(int k)
{
	unsigned b;

	for (b = 0; b < 256; b++)
		if (k == H ? fs_pick(b, 7) == 7 : fs_pick(b, 7) == 200u + (unsigned)k)
			return b;
	fprintf(stderr, "seed_setns: no byte encodes namespace %d\n", k);
	exit(1);
}

static void step(struct stream *s, unsigned pid, unsigned t10ms, uint8_t op,
		 const struct ns8 *before, const struct ns8 *after)
{
	uint8_t p[FUZZ_SETNS_STEP] = { 0 };
	const int b[8] = { before->user, before->mnt, before->pid, before->net,
			   before->uts, before->ipc, before->cgroup, before->pid_for_children };
	/* no pid: a setns keeps the caller's pid namespace */
	const int a[7] = { after->user, after->mnt, after->net, after->uts,
			   after->ipc, after->cgroup, after->pid_for_children };
	unsigned i;

	p[FS_PID] = (uint8_t)pid;
	p[FS_TIME] = (uint8_t)t10ms;
	p[FS_OP] = op;
	for (i = 0; i < 8; i++)
		p[FS_BEFORE + i] = ns_byte(b[i]);
	for (i = 0; i < 7; i++)
		p[FS_AFTER + i] = ns_byte(a[i]);
	seed_put(s, p, sizeof(p));
}

/* FS_OP values: the harness reads them modulo 7 */
#define OP_TAKE 0
#define OP_SETTLED 1
#define OP_ADD 2

static void add(struct stream *s, unsigned pid, unsigned t, const struct ns8 *b,
		const struct ns8 *a)
{
	step(s, pid, t, OP_ADD, b, a);
}

/* nsenter -t CONTAINER -m -p from the host: pid (for children), then mnt; judged once settled */
static void nsenter_mnt_pid(struct stream *s)
{
	struct ns8 pid = at_host, both;

	pid.pid_for_children = 0;
	both = pid;
	both.mnt = 0;
	add(s, 10, 1, &at_host, &pid);
	add(s, 10, 1, &pid, &both);
	step(s, 0, 10, OP_SETTLED, &at_host, &at_host); /* 90 ms on: not settled yet */
	step(s, 0, 30, OP_SETTLED, &at_host, &at_host); /* 290 ms on: settled */
}

/* into a container's mount namespace and straight back out: the state inside is kept */
static void enter_and_leave(struct stream *s)
{
	struct ns8 in = at_host;

	in.mnt = 1;
	add(s, 20, 2, &at_host, &in);
	add(s, 20, 2, &in, &at_host);
	step(s, 20, 3, OP_TAKE, &at_host, &at_host);
}

/* a container process (its own mnt, net, uts, ipc) joins the host's, one call each */
static void escape_home(struct stream *s)
{
	struct ns8 ctr = { H, 2, 2, 2, 2, 2, H, 2 }, now = ctr;

	now.mnt = H;
	add(s, 30, 5, &ctr, &now);
	now.net = H;
	add(s, 30, 5, &ctr, &now);
	now.uts = H;
	now.ipc = H;
	add(s, 30, 6, &ctr, &now);
	step(s, 0, 0, OP_SETTLED, &at_host, &at_host); /* 0: any, settled or not */
}

/* nsenter --user last: in the container's mount namespace, then its user namespace */
static void userns_last(struct stream *s)
{
	struct ns8 mnt = at_host, user;

	mnt.mnt = 3;
	user = mnt;
	user.user = 3;
	add(s, 40, 7, &at_host, &mnt);
	add(s, 40, 7, &mnt, &user);
	step(s, 40, 8, OP_TAKE, &at_host, &at_host);
}

/* five processes' calls interleaved, then judged one by one as time passes */
static void interleaved(struct stream *s)
{
	struct ns8 in = at_host;
	unsigned pid, t;

	for (t = 0; t < 3; t++)
		for (pid = 50; pid < 55; pid++) {
			in.mnt = (int)(pid % 5);
			in.net = t == 2 ? (int)(pid % 5) : H;
			add(s, pid, 10 + t, t ? &in : &at_host, &in);
		}
	for (t = 30; t < 45; t += 5)
		step(s, 0, t, OP_SETTLED, &at_host, &at_host);
	step(s, 54, 45, OP_TAKE, &at_host, &at_host);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seed_setns DIR\n");
		return 2;
	}
	return seed_write("seed_setns", argv[1], "nsenter_mnt_pid", nsenter_mnt_pid) |
	       seed_write("seed_setns", argv[1], "enter_and_leave", enter_and_leave) |
	       seed_write("seed_setns", argv[1], "escape_home", escape_home) |
	       seed_write("seed_setns", argv[1], "userns_last", userns_last) |
	       seed_write("seed_setns", argv[1], "interleaved", interleaved);
}
