// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Seeds for fuzz_record, built from the record layouts of include/uw_event.h, so they follow
 * any change to them (seeds written once by hand went stale with the first one). make fuzz
 * writes them into fuzz_record's working corpus before the run:
 *   seed_record DIR
 * Each file is a stream of records, each a 2-byte little-endian length, then the record.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/types.h>

#include "uw_event.h"
#include "seed.h"


static const struct uw_ns host = { 4026531837u, 4026531840u, 4026531836u, 4026531992u,
				   4026531838u, 4026531839u, 4026531835u, 4026531836u };
static const struct uw_ns ctr = { 4026531837u, 4026532300u, 4026532301u, 4026532302u,
				  4026532303u, 4026532304u, 4026531835u, 4026532301u };

static void put(struct stream *s, const void *rec, size_t len)
{
	unsigned char n[2] = { (unsigned char)(len & 0xff), (unsigned char)(len >> 8) };

	seed_put(s, n, 2);
	seed_put(s, rec, len);
}

static struct uw_task_event task(uint32_t source, uint32_t pid, const struct uw_ns *ns,
				 const char *comm, const char *exe, int with_key)
{
	struct uw_task_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr = (struct uw_hdr){ UW_T_TASK, sizeof(ev), 1000000000ULL + pid };
	ev.source = source;
	ev.pid = pid;
	ev.ppid = pid - 1;
	ev.cap_effective = 0x1ffffffffffULL;
	ev.cgroup_id = 7001;
	ev.cgroup1_id = 7002;
	ev.exe_ino = 131000 + pid;
	ev.exe_dev = 0xfe00001;
	ev.ns = *ns;
	snprintf(ev.comm, sizeof(ev.comm), "%s", comm);
	snprintf(ev.exe, sizeof(ev.exe), "%s", exe);
	if (source == UW_SRC_EXEC)
		ev.flags |= UW_F_EXE_FROM_EXEC;
	if (with_key) {
		ev.flags |= UW_F_REPEAT_KEY;
		ev.repeat.cg.cgroup_id = ev.cgroup_id;
		ev.repeat.cg.cgroup1_id = ev.cgroup1_id;
		ev.repeat.ns = ev.ns;
		ev.repeat.exe_ino = ev.exe_ino;
		ev.repeat.exe_ctime_ns = 1763800000000000000ULL;
		ev.repeat.exe_dev = ev.exe_dev;
		ev.repeat.exe_gen = 0x5eed;
		ev.repeat.cap_effective = ev.cap_effective;
		ev.repeat.flags = source << 24;
	}
	return ev;
}

static struct uw_transition_event transition(uint32_t syscall, uint32_t flags, uint32_t pid,
					     const struct uw_ns *before, const struct uw_ns *after,
					     uint32_t tflags, uint32_t source)
{
	struct uw_transition_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr = (struct uw_hdr){ UW_T_TRANSITION, sizeof(ev), 2000000000ULL + pid };
	ev.syscall = syscall;
	ev.flags = flags;
	ev.fd = syscall == UW_SYS_SETNS ? 3 : -1;
	ev.pid = pid;
	ev.ppid = pid - 1;
	ev.userns_level = after->user != host.user;
	ev.userns_parent = ev.userns_level ? host.user : 0;
	ev.tflags = tflags;
	ev.source = source;
	ev.cap_effective = 0x1ffffffffffULL;
	ev.cgroup_id = 7001;
	ev.cgroup1_id = 7002;
	ev.before = *before;
	ev.after = *after;
	snprintf(ev.comm, sizeof(ev.comm), "nsenter");
	snprintf(ev.exe, sizeof(ev.exe), "nsenter");
	return ev;
}

/* an exec with its key, the short form of a fork, a snapshot record, a cgroup removed */
static void exec_fork_exit(struct stream *s)
{
	struct uw_task_event e = task(UW_SRC_EXEC, 4100, &ctr, "sh", "/bin/sh", 1);
	struct uw_task_event f = task(UW_SRC_FORK, 4101, &ctr, "sh", "sh", 1);
	struct uw_task_event n = task(UW_SRC_SNAPSHOT, 4102, &ctr, "pause", "pause", 0);
	struct uw_cgroup_event g = { { UW_T_CGROUP_GONE, sizeof(g), 3000000000ULL }, 7001, 0, 0 };

	put(s, &e, sizeof(e));
	f.hdr.size = UW_TASK_SHORT_SIZE;
	put(s, &f, UW_TASK_SHORT_SIZE);
	put(s, &n, sizeof(n));
	put(s, &g, sizeof(g));
}

/* a container process, then its late move into the host's namespaces (found at exit) */
static void escape_late(struct stream *s)
{
	struct uw_task_event e = task(UW_SRC_EXEC, 4200, &ctr, "sh", "/bin/sh", 1);
	struct uw_transition_event t = transition(UW_SYS_UNKNOWN, 0x6c020000, 4200, &ctr, &host,
						  UW_TF_LATE, UW_SRC_EXIT);

	put(s, &e, sizeof(e));
	put(s, &t, sizeof(t));
}

/* setns into a container's namespaces and back out, then an exec there */
static void setns_enter_leave(struct stream *s)
{
	struct uw_transition_event in = transition(UW_SYS_SETNS, 0, 4300, &host, &ctr, 0, 0);
	struct uw_transition_event out = transition(UW_SYS_SETNS, 0, 4300, &ctr, &host, 0, 0);
	struct uw_task_event e = task(UW_SRC_EXEC, 4300, &ctr, "nsenter", "/usr/bin/nsenter", 1);

	put(s, &in, sizeof(in));
	put(s, &out, sizeof(out));
	put(s, &e, sizeof(e));
}

/* a container process makes a user namespace: unshare, then clone */
static void userns_create(struct stream *s)
{
	struct uw_ns own = ctr;
	struct uw_transition_event u, c;

	own.user = 4026532399u;
	u = transition(UW_SYS_UNSHARE, UW_CLONE_NEWUSER, 4400, &ctr, &own, 0, 0);
	c = transition(UW_SYS_CLONE3, UW_CLONE_NEWUSER, 4401, &ctr, &own, 0, 0);
	put(s, &u, sizeof(u));
	put(s, &c, sizeof(c));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seed_record DIR\n");
		return 2;
	}
	return seed_write("seed_record", argv[1], "exec_fork_exit", exec_fork_exit) |
	       seed_write("seed_record", argv[1], "escape_late", escape_late) |
	       seed_write("seed_record", argv[1], "setns_enter_leave", setns_enter_leave) |
	       seed_write("seed_record", argv[1], "userns_create", userns_create);
}
