// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The userspace pipeline (user/pipeline.c) end to end without a kernel: records -> decode ->
 * cgroup (from a fake procfs) and container -> verdict -> gates -> JSON, parsed back strictly
 * by jansson.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

#include <sys/stat.h>

#include "fakeproc.h"
#include "jsonl.h"
#include "pipeline.h"

#define ID1 "3f4e1a9b2c7d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081"
#define ID2 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "8e2f6c1a-4b7d-4c3e-9f10-2a3b4c5d6e7f"
#define UID_ "8e2f6c1a_4b7d_4c3e_9f10_2a3b4c5d6e7f"

static const struct uw_ns host = { 4026531837u, 4026531832u, 4026531836u, 4026531833u,
				   4026531838u, 4026531839u, 4026531835u, 0 };
static const struct uw_ns cont = { 4026531837u, 4026532100u, 4026532101u, 4026532102u,
				   4026532103u, 4026532104u, 4026531835u, 0 };

struct fixture {
	char *root;
	char *buf;
	size_t len;
	FILE *f;
	struct uw_cgroups cg;
	struct uw_pipeline p;
	int ignored;
	struct uw_ignore_key last_ignored;
	int repeats_added;
	int repeat_rc; /* what on_repeat returns */
	struct uw_repeat_key last_repeat;
};

static int on_repeat(void *ctx, const struct uw_repeat_key *k)
{
	struct fixture *fx = ctx;

	fx->repeats_added++;
	fx->last_repeat = *k;
	return fx->repeat_rc;
}

static int on_ignore(void *ctx, const struct uw_ignore_key *k)
{
	struct fixture *fx = ctx;

	fx->ignored++;
	fx->last_ignored = *k;
	return 0;
}

static int setup_n(void **state, unsigned max_alerts)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->root = fake_root();
	fx->f = open_memstream(&fx->buf, &fx->len);
	/* no hierarchy open: every lookup by ID fails and the pipeline asks the fake procfs */
	fx->cg.v2.fd = fx->cg.v1.fd = -1;
	fx->cg.v1_ctrl = UW_CG1_PIDS;
	fx->cg.v1_name = "pids";
	{
		struct uw_pipeline_opts o = {
			.procfs = fx->root, .host = &host, .cg = &fx->cg, .max_alerts = max_alerts,
			.report_interval_ns = UW_DEFAULT_REPORT_INTERVAL_NS,
			.kernel = { .ignore = on_ignore, .repeat = on_repeat, .ctx = fx },
			.out = fx->f, .format = UW_OUT_JSON, .host_name = "node-1",
		};

		assert_int_equal(uw_pipeline_init(&fx->p, &o), 0);
	}
	fx->p.clock.boot_to_real_ns = 0;
	*state = fx;
	return 0;
}

static int setup(void **state)
{
	return setup_n(state, 32);
}

static int setup_small(void **state)
{
	return setup_n(state, 2);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	uw_pipeline_free(&fx->p);
	fclose(fx->f);
	free(fx->buf);
	fake_rm(fx->root);
	free(fx);
	return 0;
}

/* Fakes procfs/PID/cgroup and, with exe, procfs/PID/exe as a link to a real file named exe
 * below the fake root; returns that file's path (static) and its inode in *ino. */
static const char *proc_task(struct fixture *fx, int pid, const char *cgroup_file, const char *exe,
			     uint64_t *ino)
{
	static char target[4096];
	char rel[64];
	struct stat st;

	snprintf(rel, sizeof(rel), "%d/cgroup", pid);
	fake_put(fx->root, rel, cgroup_file, 0);
	if (!exe)
		return NULL;
	snprintf(rel, sizeof(rel), "files%s", exe);
	fake_put(fx->root, rel, "binary", 0);
	snprintf(target, sizeof(target), "%s/%s", fx->root, rel);
	snprintf(rel, sizeof(rel), "%d/exe", pid);
	fake_put(fx->root, rel, target, 1);
	assert_int_equal(stat(target, &st), 0);
	*ino = st.st_ino;
	return target;
}

static struct uw_task_event ev_make(int pid, const struct uw_ns *ns, uint32_t source,
				    const char *comm, const char *exe)
{
	struct uw_task_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.type = UW_T_TASK;
	ev.hdr.size = sizeof(ev);
	ev.hdr.ts_ns = 1763800000123456789ULL;
	ev.source = source;
	ev.pid = (uint32_t)pid;
	ev.ppid = 1;
	ev.cgroup_id = 5000 + (uint64_t)pid;
	ev.cgroup1_id = 6000 + (uint64_t)pid;
	ev.ns = *ns;
	snprintf(ev.comm, sizeof(ev.comm), "%s", comm);
	if (exe) {
		snprintf(ev.exe, sizeof(ev.exe), "%s", exe);
		ev.flags |= UW_F_EXE_FROM_EXEC;
	}
	return ev;
}

/* All JSON lines written so far (strictly parsed), at most max. */
static int lines(struct fixture *fx, json_t **out, int max)
{
	return jl_lines(fx->f, fx->buf, out, max);
}

static void test_docker_alert_fields(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(4242, &cont, UW_SRC_EXEC, "sh", "/bin/sh");
	json_t *l[4], *c;
	int n;

	ev.cap_effective = (1ULL << 21) | 1ULL | (1ULL << 63); /* sys_admin, chown, an unnamed one */
	proc_task(fx, 4242, "8:pids:/docker/" ID1 "\n0::/docker/" ID1 "\n", NULL, NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "ts"), "2025-11-22T08:26:40.123456789Z");
	assert_string_equal(jl_str(l[0], "host"), "node-1");
	assert_string_equal(jl_str(l[0], "event"), "host_userns");
	assert_string_equal(jl_str(l[0], "severity"), "critical");
	c = jl_get(l[0], "process.cap_effective");
	assert_true(json_is_array(c));
	assert_int_equal(json_array_size(c), 3);
	assert_string_equal(json_string_value(json_array_get(c, 0)), "cap_chown");
	assert_string_equal(json_string_value(json_array_get(c, 1)), "cap_sys_admin");
	assert_string_equal(json_string_value(json_array_get(c, 2)), "cap_63");
	assert_string_equal(jl_str(l[0], "source"), "exec");
	assert_string_equal(jl_str(l[0], "rule.id"), "CIS-Docker-5.31");
	assert_non_null(strstr(jl_str(l[0], "rule.text"), "5.31"));
	assert_int_equal(jl_int(l[0], "process.pid"), 4242);
	assert_int_equal(jl_int(l[0], "process.ppid"), 1);
	assert_int_equal(jl_int(l[0], "process.uid"), 0);
	assert_int_equal(jl_int(l[0], "process.euid"), 0);
	assert_string_equal(jl_str(l[0], "process.comm"), "sh");
	assert_string_equal(jl_str(l[0], "process.exe"), "/bin/sh");
	assert_int_equal(jl_int(l[0], "userns.inum"), 4026531837);
	assert_true(json_is_true(jl_get(l[0], "userns.host")));
	assert_int_equal(jl_int(l[0], "ns.mnt"), 4026532100);
	assert_int_equal(jl_int(l[0], "ns.pid"), 4026532101);
	assert_int_equal(jl_int(l[0], "ns.net"), 4026532102);
	assert_int_equal(jl_int(l[0], "ns.uts"), 4026532103);
	assert_int_equal(jl_int(l[0], "ns.ipc"), 4026532104);
	assert_int_equal(jl_int(l[0], "ns.cgroup"), 4026531835);
	assert_int_equal(jl_int(l[0], "cgroup.id"), 5000 + 4242);
	assert_string_equal(jl_str(l[0], "cgroup.path"), "/docker/" ID1);
	assert_string_equal(jl_str(l[0], "cgroup.hierarchy"), "v2");
	assert_string_equal(jl_str(l[0], "container.id"), ID1);
	assert_string_equal(jl_str(l[0], "container.runtime"), "docker");
	c = jl_get(l[0], "container");
	assert_null(json_object_get(c, "pod_uid"));
	assert_null(json_object_get(l[0], "alert_limit_reached"));
	assert_int_equal(fx->p.counts.violations, 1);
	assert_int_equal(fx->p.counts.alerts, 1);
	jl_free(l, n);
}

/* Hybrid host, container only in v1 hierarchies: v2 says "/", the pids hierarchy names it. */
static void test_v1_only_pod(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(77, &cont, UW_SRC_FORK, "pause", NULL);
	json_t *l[4];
	int n;

	const char *exe;
	uint64_t ino;

	ev.uid = ev.euid = 65535;
	snprintf(ev.exe, sizeof(ev.exe), "pause");
	exe = proc_task(fx, 77,
			"8:pids:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
			".slice/cri-containerd-" ID2 ".scope\n0::/\n",
			"/pause", &ino);
	ev.exe_ino = ino;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "severity"), "medium"); /* not root, no capability */
	assert_int_equal(json_array_size(jl_get(l[0], "process.cap_effective")), 0);
	assert_string_equal(jl_str(l[0], "source"), "fork");
	assert_string_equal(jl_str(l[0], "process.exe"), exe); /* from /proc/PID/exe */
	assert_string_equal(jl_str(l[0], "container.id"), ID2);
	assert_string_equal(jl_str(l[0], "container.runtime"), "containerd");
	assert_string_equal(jl_str(l[0], "container.pod_uid"), UID);
	assert_string_equal(jl_str(l[0], "cgroup.hierarchy"), "v1:pids");
	assert_int_equal(jl_int(l[0], "cgroup.id"), 6000 + 77);
	jl_free(l, n);
}

/* A host service with a private /tmp: no alert, counted. */
static void test_host_service_quiet(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns privtmp = host;
	struct uw_task_event ev;

	privtmp.mnt = 4026532999u;
	ev = ev_make(900, &privtmp, UW_SRC_EXEC, "nginx", "/usr/sbin/nginx");
	proc_task(fx, 900, "8:pids:/system.slice/nginx.service\n0::/system.slice/nginx.service\n", NULL,
		  NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	fflush(fx->f);
	assert_int_equal(fx->len, 0);
	assert_int_equal(fx->p.counts.not_container, 1);
	assert_int_equal(fx->p.counts.violations, 0);
}

/* The kernel is told to ignore a cgroup only when every hierarchy was resolved by ID. */
static void test_ignore_feedback(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns privtmp = host;
	struct uw_cgroups real;
	struct uw_task_event ev;
	char err[256];
	struct stat st;

	privtmp.mnt = 4026532999u;
	ev = ev_make(901, &privtmp, UW_SRC_EXEC, "x", "/x");
	proc_task(fx, 901, "0::/system.slice/x.service\n", NULL, NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(fx->ignored, 0); /* resolved through procfs only: no fact about IDs */

	/* the root cgroups of this host's real hierarchies, resolved by file handle */
	if (geteuid() != 0) {
		print_message("SKIP: resolving cgroups by ID needs CAP_DAC_READ_SEARCH (root)\n");
		skip();
	}
	assert_int_equal(uw_cgroups_open(&real, "/proc/self/mountinfo", err, sizeof(err)), 0);
	fx->p.attr.cgc.cg = &real;
	ev.cgroup_id = 0;
	ev.cgroup1_id = 0;
	if (real.v2.fd >= 0) {
		assert_int_equal(fstat(real.v2.fd, &st), 0);
		ev.cgroup_id = st.st_ino;
	}
	if (real.v1.fd >= 0) {
		assert_int_equal(fstat(real.v1.fd, &st), 0);
		ev.cgroup1_id = st.st_ino;
	}
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(fx->ignored, 1);
	assert_int_equal(fx->last_ignored.cg.cgroup_id, ev.cgroup_id);
	assert_int_equal(fx->last_ignored.cg.cgroup1_id, ev.cgroup1_id);
	/* the namespaces are part of the key: a container process moving into this cgroup keeps
	 * its own and is not dropped with the service's */
	assert_int_equal(fx->last_ignored.mnt, privtmp.mnt);
	assert_int_equal(fx->last_ignored.net, privtmp.net);
	assert_int_equal(fx->last_ignored.uts, privtmp.uts);
	assert_int_equal(fx->last_ignored.ipc, privtmp.ipc);
	assert_int_equal(fx->last_ignored.cgroup, privtmp.cgroup);
	/* a root directory of its own is never ignored (runtime "unknown", root_directory) */
	ev.flags |= UW_F_ROOT_OTHER;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(fx->ignored, 1);
	ev.flags &= ~UW_F_ROOT_OTHER;
	/* a pid namespace of its own is never ignored (reported as runtime "unknown") */
	privtmp.pid = 4026532998u;
	ev.ns = privtmp;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(fx->ignored, 1);
	fx->p.attr.cgc.cg = &fx->cg;
	uw_cgroups_close(&real);
}

/* Own pid namespace and root in an unknown cgroup layout: reported with runtime "unknown". */
static void test_unknown_runtime(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(555, &cont, UW_SRC_SNAPSHOT, "init", NULL);
	json_t *l[4];
	int n;

	uint64_t ino;

	ev.flags |= UW_F_ROOT_OTHER;
	proc_task(fx, 555, "0::/machine.slice/something\n", "/sbin/init", &ino);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "container.runtime"), "unknown");
	assert_true(json_is_null(json_object_get(jl_get(l[0], "container"), "id")));
	assert_string_equal(jl_str(l[0], "source"), "snapshot");
	assert_string_equal(jl_str(l[0], "cgroup.path"), "/machine.slice/something");
	assert_string_equal(jl_str(l[0], "container.evidence"), "pid_namespace");
	jl_free(l, n);
}

/* A pid namespace of its own with the host's root, in a cgroup naming no container (unshare -p
 * -f --mount-proc from a host shell, a service's private pid namespace): a host sandbox, quiet.
 * (Fails with "own pid namespace is enough".) */
static void test_host_sandbox_quiet(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(556, &cont, UW_SRC_EXEC, "bash", NULL);
	json_t *l[2];

	proc_task(fx, 556, "0::/user.slice/user-0.slice/session-1.scope\n", NULL, NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(lines(fx, l, 2), 0);
	assert_int_equal(fx->p.counts.not_container, 1);
}

/* One alert per distinct program, at most max_alerts (2 here) per container. */
static void test_flood_control(void **state)
{
	struct fixture *fx = *state;
	const char *exes[] = { "/a", "/a", "/b", "/c", "/d", "/b" };
	json_t *l[8], *v;
	size_t i;
	int n;

	proc_task(fx, 10, "0::/docker/" ID1 "\n", NULL, NULL);
	for (i = 0; i < sizeof(exes) / sizeof(exes[0]); i++) {
		struct uw_task_event ev = ev_make(10, &cont, UW_SRC_EXEC, "x", exes[i]);

		assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	}
	/* another container still gets its alert */
	proc_task(fx, 11, "0::/docker/" ID2 "\n", NULL, NULL);
	{
		struct uw_task_event ev = ev_make(11, &cont, UW_SRC_EXEC, "x", "/a");

		assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	}
	n = lines(fx, l, 8);
	assert_int_equal(n, 4);
	assert_string_equal(jl_str(l[0], "process.exe"), "/a");
	assert_string_equal(jl_str(l[1], "process.exe"), "/b");
	assert_non_null(v = json_object_get(l[1], "alert_limit_reached"));
	assert_true(json_is_true(v));
	/* the first program over the limit: said at once, not only at exit */
	assert_string_equal(jl_str(l[2], "event"), "alert_limit");
	assert_string_equal(jl_str(l[2], "phase"), "reached");
	assert_string_equal(jl_str(l[2], "budget"), "host_userns");
	assert_string_equal(jl_str(l[2], "container.id"), ID1);
	assert_int_equal(jl_int(l[2], "limit"), 2);
	assert_int_equal(jl_int(l[2], "counts.suppressed"), 1);
	assert_string_equal(jl_str(l[3], "container.id"), ID2);
	assert_int_equal(fx->p.counts.violations, 7);
	assert_int_equal(fx->p.counts.alerts, 3);
	assert_int_equal(fx->p.counts.limit_records, 1);
	assert_int_equal(fx->p.counts.repeats, 2);    /* /a again, /b again */
	assert_int_equal(fx->p.counts.suppressed, 2); /* /c, /d */
	jl_free(l, n);
}

/* comm and exe with quotes, newline and bytes >= 0x80 come out as valid JSON, exactly. */
static void test_hostile_strings(void **state)
{
	struct fixture *fx = *state;
	const char comm[] = "a\"b\nc\x80\xff\\d\x1b";
	const char exe[] = "/tmp/\"x\"\n\xc3\xa9\xc3";
	struct uw_task_event ev = ev_make(20, &cont, UW_SRC_EXEC, comm, exe);
	json_t *l[4];
	int n;

	proc_task(fx, 20, "0::/docker/" ID1 "\n", NULL, NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "process.comm"), "a\"b\nc\xc2\x80\xc3\xbf\\d\x1b");
	assert_string_equal(jl_str(l[0], "process.exe"), "/tmp/\"x\"\n\xc3\xa9\xc3\x83");
	jl_free(l, n);
}

/* A fork record read after the child exec'd: /proc/PID/exe names the new program, which
 * must not be reported as the forked one (else the exec alert would look like a repeat). */
static void test_exe_changed_since_fork(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(40, &cont, UW_SRC_FORK, "unshare", NULL);
	json_t *l[2];
	uint64_t ino;
	int n;

	snprintf(ev.exe, sizeof(ev.exe), "unshare");
	proc_task(fx, 40, "0::/docker/" ID1 "\n", "/usr/bin/sleep", &ino);
	ev.exe_ino = ino + 1; /* the executable at fork time was another file */
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	n = lines(fx, l, 2);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "process.exe"), "unshare");
	jl_free(l, n);
}

static struct uw_transition_event tr_make(int pid, uint32_t syscall, uint32_t flags,
					   const struct uw_ns *before, const struct uw_ns *after)
{
	struct uw_transition_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.hdr.type = UW_T_TRANSITION;
	ev.hdr.size = sizeof(ev);
	ev.hdr.ts_ns = 1763800000123456789ULL;
	ev.syscall = syscall;
	ev.flags = flags;
	ev.fd = syscall == UW_SYS_SETNS ? 3 : -1;
	ev.pid = (uint32_t)pid;
	ev.ppid = 1;
	ev.cgroup_id = 5000 + (uint64_t)pid;
	ev.origin.cgroup_id = ev.cgroup_id; /* not moved */
	ev.before = *before;
	ev.after = *after;
	ev.userns_level = after->user == host.user ? 0 : 1;
	ev.userns_parent = after->user == host.user ? 0 : before->user;
	snprintf(ev.comm, sizeof(ev.comm), "nsenter");
	snprintf(ev.exe, sizeof(ev.exe), "nsenter");
	return ev;
}

/* procfs/PID/ns/mnt of a process living in mount namespace mnt. */
static void proc_mnt(struct fixture *fx, int pid, uint32_t mnt)
{
	char rel[64], link[64];

	snprintf(rel, sizeof(rel), "%d/ns/mnt", pid);
	snprintf(link, sizeof(link), "mnt:[%u]", mnt);
	fake_put(fx->root, rel, link, 1);
}

/* A process of container ID1 living in namespaces ns (for the owner scan). */
static void proc_member(struct fixture *fx, int pid, const struct uw_ns *ns)
{
	char rel[64], link[64];

	proc_task(fx, pid, "0::/docker/" ID1 "\n", NULL, NULL);
	snprintf(rel, sizeof(rel), "%d/ns/mnt", pid);
	snprintf(link, sizeof(link), "mnt:[%u]", ns->mnt);
	fake_put(fx->root, rel, link, 1);
	snprintf(rel, sizeof(rel), "%d/ns/user", pid);
	snprintf(link, sizeof(link), "user:[%u]", ns->user);
	fake_put(fx->root, rel, link, 1);
	snprintf(rel, sizeof(rel), "%d/ns/pid", pid);
	snprintf(link, sizeof(link), "pid:[%u]", ns->pid);
	fake_put(fx->root, rel, link, 1);
	snprintf(rel, sizeof(rel), "%d/ns/net", pid);
	snprintf(link, sizeof(link), "net:[%u]", ns->net);
	fake_put(fx->root, rel, link, 1);
}

/* nsenter: setns(pid) then setns(mnt), judged together once it forks */
static void test_setns_merged_host_userns(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns h = host, mid = host, end = host;
	struct uw_transition_event t1, t2;
	struct uw_task_event fork_ev;
	json_t *l[4], *v;
	int n;

	h.pid_for_children = host.pid;
	mid.pid_for_children = cont.pid;              /* pid namespace for children: the container's */
	end = mid;
	end.mnt = cont.mnt;
	proc_member(fx, 77, &cont);      /* the container's init */
	proc_task(fx, 300, "0::/user.slice/session-1.scope\n", NULL, NULL);
	t1 = tr_make(300, UW_SYS_SETNS, UW_CLONE_NEWPID, &h, &mid);
	t2 = tr_make(300, UW_SYS_SETNS, UW_CLONE_NEWNS, &mid, &end);
	assert_int_equal(uw_pipeline_record(&fx->p, &t1, sizeof(t1)), 0);
	assert_int_equal(uw_pipeline_record(&fx->p, &t2, sizeof(t2)), 0);
	fflush(fx->f);
	assert_int_equal(fx->len, 0); /* not settled yet */
	/* its child: the fork settles the parent's setns calls first */
	fork_ev = ev_make(301, &h, UW_SRC_FORK, "nsenter", NULL);
	fork_ev.ppid = 300;
	assert_int_equal(uw_pipeline_record(&fx->p, &fork_ev, sizeof(fork_ev)), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "event"), "host_userns");
	assert_string_equal(jl_str(l[0], "source"), "setns");
	assert_string_equal(jl_str(l[0], "container.id"), ID1);
	assert_int_equal(jl_int(l[0], "process.pid"), 300);
	assert_string_equal(jl_str(l[0], "transition.syscall"), "setns");
	assert_int_equal(jl_int(l[0], "transition.before.mnt"), host.mnt);
	assert_int_equal(jl_int(l[0], "transition.after.mnt"), cont.mnt);
	assert_int_equal(jl_int(l[0], "transition.after.pid_for_children"), cont.pid);
	v = jl_get(l[0], "transition.nstype");
	assert_int_equal(json_array_size(v), 2);
	assert_int_equal(fx->p.counts.transitions, 1);
	jl_free(l, n);
}

/* nsenter --user into a userns container: userns_enter, no host_userns */
static void test_setns_userns_enter(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns h = host, cu = cont, end;
	struct uw_transition_event t1, t2;
	json_t *l[4];
	int n;

	h.pid_for_children = host.pid;
	cu.user = 4026532500u;
	proc_member(fx, 78, &cu);
	proc_task(fx, 310, "0::/\n", NULL, NULL);
	end = h;
	end.mnt = cu.mnt;
	end.pid_for_children = cu.pid;
	t1 = tr_make(310, UW_SYS_SETNS, 0, &h, &end); /* mnt and pid first: mid-way, host userns */
	end.user = cu.user;
	t2 = tr_make(310, UW_SYS_SETNS, UW_CLONE_NEWUSER, &t1.after, &end);
	assert_int_equal(uw_pipeline_record(&fx->p, &t1, sizeof(t1)), 0);
	assert_int_equal(uw_pipeline_record(&fx->p, &t2, sizeof(t2)), 0);
	assert_int_equal(uw_pipeline_flush(&fx->p, 0), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "event"), "userns_enter");
	assert_string_equal(jl_str(l[0], "severity"), "medium");
	assert_string_equal(jl_str(l[0], "container.id"), ID1);
	assert_int_equal(jl_int(l[0], "userns.inum"), cu.user);
	assert_int_equal(jl_int(l[0], "userns.previous"), host.user);
	jl_free(l, n);
}

/* setns settles by time too; a net-only join (CNI, dockerd) is no alert */
static void test_setns_settles_by_time_net_only_quiet(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns h = host, end = host;
	struct uw_transition_event t;

	h.pid_for_children = host.pid;
	end.pid_for_children = host.pid;
	end.net = cont.net;
	proc_member(fx, 79, &cont);
	t = tr_make(320, UW_SYS_SETNS, UW_CLONE_NEWNET, &h, &end);
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	assert_int_equal(uw_pipeline_flush(&fx->p, t.hdr.ts_ns + UW_SETNS_SETTLE_NS - 1), 0);
	assert_int_equal(fx->p.counts.transitions, 0); /* not judged yet */
	assert_int_equal(uw_pipeline_flush(&fx->p, t.hdr.ts_ns + UW_SETNS_SETTLE_NS), 0);
	assert_int_equal(fx->p.counts.transitions, 1);
	fflush(fx->f);
	assert_int_equal(fx->len, 0);
}

/* unshare -U from inside a container's namespaces: userns_create */
static void test_unshare_userns_create(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns b = cont, a = cont;
	struct uw_transition_event t;
	json_t *l[2];
	int n;

	b.pid_for_children = cont.pid;
	a = b;
	a.user = 4026532600u;
	proc_task(fx, 330, "0::/docker/" ID1 "\n", NULL, NULL);
	t = tr_make(330, UW_SYS_UNSHARE, UW_CLONE_NEWUSER, &b, &a);
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	n = lines(fx, l, 2);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "event"), "userns_create");
	assert_string_equal(jl_str(l[0], "source"), "unshare");
	assert_string_equal(jl_str(l[0], "rule.id"), "USERNS-CREATE-IN-CONTAINER");
	assert_string_equal(jl_str(l[0], "container.id"), ID1);
	assert_int_equal(jl_int(l[0], "userns.inum"), 4026532600u);
	assert_int_equal(jl_int(l[0], "userns.parent"), host.user);
	assert_int_equal(jl_int(l[0], "userns.level"), 1);
	jl_free(l, n);
}

/* A runtime making a container's user namespace from the host's namespaces is setup, not an
 * alert; --host-transitions shows it as a host transition. */
static void test_runtime_setup_is_host_only(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns b = host, a;
	struct uw_transition_event t;
	json_t *l[2];
	int n;

	b.pid_for_children = host.pid;
	a = cont;
	a.user = 4026532700u;
	a.pid_for_children = cont.pid;
	proc_task(fx, 340, "0::/docker/" ID1 "\n", NULL, NULL);
	t = tr_make(340, UW_SYS_UNSHARE, UW_CLONE_NEWUSER | UW_CLONE_NEWNS | UW_CLONE_NEWPID, &b, &a);
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	fflush(fx->f);
	assert_int_equal(fx->len, 0);
	fx->p.judge.host_transitions = 1;
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	n = lines(fx, l, 2);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "container.runtime"), "host");
	assert_string_equal(jl_str(l[0], "severity"), "info");
	assert_string_equal(jl_str(l[0], "rule.id"), "USERNS-HOST-TRANSITION");
	jl_free(l, n);
}

/* 50 processes of an unknown-layout container: /proc is scanned once per namespace, not once
 * per process (that made a snapshot quadratic). */
static void test_owner_scans_cached(void **state)
{
	struct fixture *fx = *state;
	int pid, n;
	json_t *l[4];

	for (pid = 600; pid < 650; pid++) {
		struct uw_task_event ev = ev_make(pid, &cont, UW_SRC_SNAPSHOT, "sleep", NULL);

		ev.flags |= UW_F_ROOT_OTHER; /* its image's root */
		proc_task(fx, pid, "0::/custom-engine/box\n", NULL, NULL);
		assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	}
	/* mnt and pid each looked up once (the pid namespace for children is 0 here; network, uts
	 * and ipc namespaces never name a container) */
	assert_int_equal(fx->p.attr.owner_scans, 2);
	assert_int_equal(fx->p.counts.violations, 50);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1); /* one program: one alert for the unknown container */
	assert_string_equal(jl_str(l[0], "container.runtime"), "unknown");
	jl_free(l, n);
}

/* A process of container ID1 (hostPID) attaches to a host process with PTRACE_SEIZE: an escape
 * naming the target; attaching to a process of its own container is none (counted). */
static void test_ptrace_escape(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns c = cont;
	struct uw_transition_event t;
	json_t *l[2];
	int n;

	c.pid = host.pid;
	c.pid_for_children = host.pid;
	proc_task(fx, 361, "0::/docker/" ID1 "\n", NULL, NULL);
	proc_task(fx, 362, "0::/system.slice/sshd.service\n", NULL, NULL);
	fake_put(fx->root, "362/comm", "sshd\n", 0);
	proc_task(fx, 363, "0::/docker/" ID1 "\n", NULL, NULL);
	t = tr_make(361, UW_SYS_PTRACE, UW_PTRACE_SEIZE, &c, &c);
	t.fd = 363; /* its own container's process */
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	assert_int_equal(lines(fx, l, 2), 0);
	assert_int_equal(fx->p.counts.held_within, 1);
	t.fd = 362; /* the host's sshd */
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	n = lines(fx, l, 2);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "event"), "escape");
	assert_string_equal(jl_str(l[0], "severity"), "critical");
	assert_string_equal(jl_str(l[0], "source"), "ptrace");
	assert_string_equal(jl_str(l[0], "container.id"), ID1);
	assert_string_equal(jl_str(l[0], "escape.via"), "ptrace_seize");
	assert_int_equal(jl_int(l[0], "escape.target.pid"), 362);
	assert_string_equal(jl_str(l[0], "escape.target.comm"), "sshd");
	assert_true(json_is_null(jl_get(l[0], "escape.target.container")));
	assert_int_equal(json_array_size(jl_get(l[0], "escape.namespaces")), 0);
	jl_free(l, n);
}

/* A process of container ID1 (host pid namespace, its own mnt/net/uts/ipc) joins the host's
 * mount, uts, ipc and net namespaces: an escape, critical, about ID1, with what it left. */
static void test_escape_from_hostpid_container(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns c = cont, h = host, mid;
	struct uw_transition_event t1, t2;
	json_t *l[2], *v;
	int n;

	c.pid = host.pid;
	c.pid_for_children = host.pid;
	h.pid_for_children = host.pid;
	mid = c;
	mid.mnt = host.mnt;
	proc_task(fx, 360, "0::/docker/" ID1 "\n", NULL, NULL);
	t1 = tr_make(360, UW_SYS_SETNS, UW_CLONE_NEWNS, &c, &mid);
	t2 = tr_make(360, UW_SYS_SETNS, 0, &mid, &h);
	assert_int_equal(uw_pipeline_record(&fx->p, &t1, sizeof(t1)), 0);
	assert_int_equal(uw_pipeline_record(&fx->p, &t2, sizeof(t2)), 0);
	assert_int_equal(uw_pipeline_flush(&fx->p, 0), 0);
	n = lines(fx, l, 2);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "event"), "escape");
	assert_string_equal(jl_str(l[0], "severity"), "critical");
	assert_string_equal(jl_str(l[0], "rule.id"), "CONTAINER-ESCAPE");
	assert_string_equal(jl_str(l[0], "source"), "setns");
	assert_string_equal(jl_str(l[0], "container.id"), ID1);
	assert_string_equal(jl_str(l[0], "container.evidence"), "cgroup");
	assert_int_equal(jl_int(l[0], "transition.before.mnt"), cont.mnt);
	assert_int_equal(jl_int(l[0], "transition.after.mnt"), host.mnt);
	assert_int_equal(jl_int(l[0], "transition.after.net"), host.net);
	v = jl_get(l[0], "escape.namespaces");
	assert_int_equal(json_array_size(v), 4);
	assert_string_equal(json_string_value(json_array_get(v, 0)), "mnt");
	assert_string_equal(json_string_value(json_array_get(v, 1)), "net");
	assert_string_equal(json_string_value(json_array_get(v, 2)), "uts");
	assert_string_equal(json_string_value(json_array_get(v, 3)), "ipc");
	assert_int_equal(fx->p.counts.escapes, 1);
	jl_free(l, n);
	/* the same from a program run out of a memfd: named for what it is */
	t1.hdr.ts_ns = t2.hdr.ts_ns = 1763800001000000000ULL;
	t1.tflags = t2.tflags = UW_TF_EXE_UNLINKED;
	snprintf(t1.exe, sizeof(t1.exe), "memfd:x");
	t2 = t1;
	t2.before = mid;
	t2.after = h;
	t1.exe_ino = t2.exe_ino = 99;
	assert_int_equal(uw_pipeline_record(&fx->p, &t1, sizeof(t1)), 0);
	assert_int_equal(uw_pipeline_record(&fx->p, &t2, sizeof(t2)), 0);
	assert_int_equal(uw_pipeline_flush(&fx->p, 0), 0);
	n = lines(fx, l, 2);
	assert_int_equal(n, 2);
	assert_string_equal(jl_str(l[1], "event"), "escape");
	assert_string_equal(jl_str(l[1], "process.exe"), "memfd:x");
	assert_string_equal(jl_str(l[1], "process.exe_kind"), "memfd");
	jl_free(l, n);
}

/* A host service with a private /tmp going back to the host's mount namespace is no escape:
 * it never was in a container. */
static void test_host_service_leaving_private_mnt_quiet(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns priv = host, h = host;
	struct uw_transition_event t;

	h.pid_for_children = priv.pid_for_children = host.pid;
	priv.mnt = 4026532999u;
	proc_task(fx, 361, "0::/system.slice/cron.service\n", NULL, NULL);
	t = tr_make(361, UW_SYS_SETNS, UW_CLONE_NEWNS, &priv, &h);
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	assert_int_equal(uw_pipeline_flush(&fx->p, 0), 0);
	fflush(fx->f);
	assert_int_equal(fx->len, 0);
	assert_int_equal(fx->p.counts.transitions, 1);
}

/* Into a container's mount namespace and straight back out, within the merge window: the
 * state inside is reported (host_userns), with the namespaces it had then. */
static void test_enter_and_leave_reported(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns h = host, in = host;
	struct uw_transition_event t1, t2;
	json_t *l[2];
	int n;

	h.pid_for_children = in.pid_for_children = host.pid;
	in.mnt = cont.mnt;
	proc_member(fx, 81, &cont);
	proc_task(fx, 362, "0::/user.slice\n", NULL, NULL);
	t1 = tr_make(362, UW_SYS_SETNS, UW_CLONE_NEWNS, &h, &in);
	t2 = tr_make(362, UW_SYS_SETNS, UW_CLONE_NEWNS, &in, &h);
	assert_int_equal(uw_pipeline_record(&fx->p, &t1, sizeof(t1)), 0);
	assert_int_equal(uw_pipeline_record(&fx->p, &t2, sizeof(t2)), 0);
	assert_int_equal(uw_pipeline_flush(&fx->p, 0), 0);
	n = lines(fx, l, 2);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "event"), "host_userns");
	assert_string_equal(jl_str(l[0], "source"), "setns");
	assert_string_equal(jl_str(l[0], "container.id"), ID1);
	assert_string_equal(jl_str(l[0], "container.evidence"), "namespaces");
	assert_int_equal(jl_int(l[0], "transition.after.mnt"), cont.mnt);
	assert_int_equal(jl_int(l[0], "ns.mnt"), cont.mnt);
	jl_free(l, n);
}

/* A change no hook saw (unshare(CLONE_NEWUSER) through the 32-bit table), found when the
 * process exited: userns_create, detected late, source exit, no program left to name. */
static void test_late_userns_create(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns b = cont, a;
	struct uw_transition_event t;
	json_t *l[2], *p;
	int n;

	b.pid_for_children = cont.pid;
	a = b;
	a.user = 4026532650u;
	proc_task(fx, 363, "0::/docker/" ID1 "\n", NULL, NULL);
	t = tr_make(363, UW_SYS_UNKNOWN, UW_CLONE_NEWUSER, &b, &a);
	t.tflags = UW_TF_LATE;
	t.source = UW_SRC_EXIT;
	t.exe[0] = 0;
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	n = lines(fx, l, 2);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "event"), "userns_create");
	assert_string_equal(jl_str(l[0], "source"), "exit");
	assert_string_equal(jl_str(l[0], "transition.syscall"), "unknown");
	assert_true(json_is_true(jl_get(l[0], "transition.detected_late")));
	assert_string_equal(jl_str(l[0], "container.id"), ID1);
	assert_int_equal(jl_int(l[0], "userns.parent"), host.user);
	p = jl_get(l[0], "process");
	assert_null(json_object_get(p, "exe_kind"));
	assert_int_equal(fx->p.counts.late, 1);
	jl_free(l, n);
}

/* A process of container A (by cgroup) moves into container B's namespaces: the alert is about
 * B, what it entered, with A as its origin. (Here cgroups resolve through the fake procfs only,
 * so whose B's namespace is comes from the /proc scan; with real hierarchies, from what B's own
 * processes showed.) */
static void test_attribution_a_to_b(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns a = cont, b = cont;
	struct uw_task_event ea, eb;
	struct uw_transition_event t;
	json_t *l[4];
	int n;

	a.pid_for_children = a.pid;
	b.mnt = 4026533100u;
	b.pid = b.pid_for_children = 4026533101u;
	ea = ev_make(370, &a, UW_SRC_EXEC, "a", "/a");
	eb = ev_make(371, &b, UW_SRC_EXEC, "b", "/b");
	proc_task(fx, 370, "0::/docker/" ID1 "\n", NULL, NULL);
	proc_task(fx, 371, "0::/docker/" ID2 "\n", NULL, NULL);
	proc_mnt(fx, 370, a.mnt);
	proc_mnt(fx, 371, b.mnt);
	/* the records resolve their cgroups by ID (cached): give both the same IDs as below */
	assert_int_equal(uw_pipeline_record(&fx->p, &ea, sizeof(ea)), 0);
	assert_int_equal(uw_pipeline_record(&fx->p, &eb, sizeof(eb)), 0);
	proc_task(fx, 372, "0::/docker/" ID1 "\n", NULL, NULL);
	t = tr_make(372, UW_SYS_SETNS, UW_CLONE_NEWNS | UW_CLONE_NEWPID, &a, &b);
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	assert_int_equal(uw_pipeline_flush(&fx->p, 0), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 3);
	assert_string_equal(jl_str(l[2], "event"), "host_userns");
	assert_string_equal(jl_str(l[2], "container.id"), ID2);
	assert_string_equal(jl_str(l[2], "container.evidence"), "namespaces");
	assert_string_equal(jl_str(l[2], "origin.id"), ID1);
	assert_string_equal(jl_str(l[2], "origin.runtime"), "docker");
	jl_free(l, n);
}

/* A container process moved into a host service's cgroup keeps the container's mount
 * namespace: it is still the container's, found through that namespace, and never ignored. */
static void test_moved_into_service_cgroup(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns c = cont;
	struct uw_task_event e1, e2;
	json_t *l[4];
	int n;

	c.pid = host.pid; /* hostPID: the pid namespace names nothing */
	e1 = ev_make(380, &c, UW_SRC_EXEC, "init", "/init");
	proc_task(fx, 380, "0::/docker/" ID1 "\n", NULL, NULL);
	proc_mnt(fx, 380, c.mnt);
	assert_int_equal(uw_pipeline_record(&fx->p, &e1, sizeof(e1)), 0);
	e2 = ev_make(381, &c, UW_SRC_EXEC, "payload", "/payload");
	proc_task(fx, 381, "0::/system.slice/cron.service\n", NULL, NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &e2, sizeof(e2)), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 2);
	assert_string_equal(jl_str(l[1], "container.id"), ID1);
	assert_string_equal(jl_str(l[1], "container.evidence"), "namespaces");
	assert_string_equal(jl_str(l[1], "cgroup.path"), "/system.slice/cron.service");
	assert_int_equal(fx->ignored, 0);
	jl_free(l, n);
}

/* A mount namespace learned as container ID1's dies and its inode is reused by a host
 * service's: the service is not taken for ID1 (the process that taught it is gone). */
static void test_reused_mnt_inode_not_trusted(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns c = cont, svc = host;
	struct uw_task_event e1, e2;
	char cmd[4200];
	int n;
	json_t *l[4];

	c.pid = host.pid;
	e1 = ev_make(385, &c, UW_SRC_EXEC, "init", "/init");
	proc_task(fx, 385, "0::/docker/" ID1 "\n", NULL, NULL);
	proc_mnt(fx, 385, c.mnt);
	assert_int_equal(uw_pipeline_record(&fx->p, &e1, sizeof(e1)), 0);
	/* ID1's process is gone; a PrivateTmp service gets the same mount namespace inode */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/385'", fx->root);
	assert_int_equal(system(cmd), 0);
	svc.mnt = c.mnt;
	e2 = ev_make(386, &svc, UW_SRC_EXEC, "nginx", "/nginx");
	proc_task(fx, 386, "0::/system.slice/nginx.service\n", NULL, NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &e2, sizeof(e2)), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1); /* ID1's own alert only */
	assert_int_equal(fx->p.counts.not_container, 1);
	assert_int_equal(fx->p.attr.nsmemo.stale, 1);
	jl_free(l, n);
}

/* Unknown cgroup, host pid namespace, but a root directory of its own: a container. */
static void test_root_directory_evidence(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns c = cont;
	struct uw_task_event ev;
	json_t *l[2];
	int n;

	c.pid = host.pid;
	ev = ev_make(390, &c, UW_SRC_EXEC, "sh", "/bin/sh");
	ev.flags |= UW_F_ROOT_OTHER;
	proc_task(fx, 390, "0::/my-engine/box-7\n", NULL, NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	n = lines(fx, l, 2);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "container.runtime"), "unknown");
	assert_string_equal(jl_str(l[0], "container.evidence"), "root_directory");
	assert_true(json_is_null(json_object_get(jl_get(l[0], "container"), "id")));
	jl_free(l, n);
}

/* Programs run from a memfd or through an fd are named for what they are. */
/* A kernel record's exe and comm fields filled to the last byte, without a NUL, in a buffer of
 * exactly the record's size (AddressSanitizer sees any read past it: fuzz_record found one in a
 * strchr on the base name) */
static void test_exe_without_nul(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(4300, &cont, UW_SRC_FORK, "x", NULL);
	struct uw_task_event *heap = malloc(sizeof(*heap));
	json_t *l[4];
	int n;

	assert_non_null(heap);
	memset(ev.exe, 'e', sizeof(ev.exe));
	memset(ev.comm, 'c', sizeof(ev.comm));
	ev.exe_ino = 99;
	proc_task(fx, 4300, "0::/docker/" ID1 "\n", NULL, NULL);
	memcpy(heap, &ev, sizeof(ev));
	assert_int_equal(uw_pipeline_record(&fx->p, heap, sizeof(*heap)), 0);
	free(heap);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1);
	assert_int_equal(strlen(jl_str(l[0], "process.exe")), UW_EXE_LEN);
	assert_int_equal(strlen(jl_str(l[0], "process.comm")), UW_COMM_LEN);
	jl_free(l, n);
}

static void test_exe_kinds(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(395, &cont, UW_SRC_EXEC, "x", NULL);
	json_t *l[4];
	const char *path;
	uint64_t ino;
	int n;

	proc_task(fx, 395, "0::/docker/" ID1 "\n", NULL, NULL);
	snprintf(ev.exe, sizeof(ev.exe), "memfd:payload");
	ev.flags = UW_F_EXE_UNLINKED | UW_F_EXE_FD;
	ev.exe_ino = 4242;
	ev.exe_dev = 1;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	path = proc_task(fx, 396, "0::/docker/" ID1 "\n", "/opt/tool", &ino);
	ev = ev_make(396, &cont, UW_SRC_EXEC, "tool", NULL);
	snprintf(ev.exe, sizeof(ev.exe), "tool"); /* the kernel sends the base name for an fd */
	ev.flags = UW_F_EXE_FD;
	ev.exe_ino = ino;
	/* the identity the kernel read: generation and change time (in the repeat key) */
	ev.flags |= UW_F_REPEAT_KEY;
	ev.repeat.exe_ino = ino;
	ev.repeat.exe_gen = 77;
	ev.repeat.exe_ctime_ns = 1700000000123456789ULL;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 2);
	assert_string_equal(jl_str(l[0], "process.exe"), "memfd:payload");
	assert_string_equal(jl_str(l[0], "process.exe_kind"), "memfd");
	assert_string_equal(jl_str(l[0], "process.exe_view"), "name");
	assert_string_equal(jl_str(l[0], "process.exe_device"), "0:1");
	assert_int_equal(jl_int(l[0], "process.exe_inode"), 4242);
	assert_null(json_object_get(jl_get(l[0], "process"), "exe_generation"));
	assert_string_equal(jl_str(l[1], "process.exe"), path);
	assert_string_equal(jl_str(l[1], "process.exe_kind"), "fd");
	assert_string_equal(jl_str(l[1], "process.exe_view"), "process");
	assert_int_equal(jl_int(l[1], "process.exe_generation"), 77);
	assert_true(json_integer_value(jl_get(l[1], "process.exe_change_time_ns")) == 1700000000123456789LL);
	jl_free(l, n);
}

static uint64_t fake_real, fake_boot;

static uint64_t fake_real_now(void)
{
	return fake_real;
}

static uint64_t fake_boot_now(void)
{
	return fake_boot;
}

/* While a container's alerts are counted, an alert_limit record says so every interval, with
 * the count since the last one; nothing when nothing more was counted. */
static void test_limit_records_periodic(void **state)
{
	struct fixture *fx = *state;
	const char *exes[] = { "/a", "/b", "/c", "/d", "/e" };
	json_t *l[8];
	uint64_t t0 = 1000000000000ULL;
	size_t i;
	int n;

	proc_task(fx, 12, "0::/docker/" ID1 "\n", NULL, NULL);
	fx->p.report_interval_ns = 1000;
	assert_int_equal(uw_pipeline_tick(&fx->p, t0), 0); /* starts the clock */
	for (i = 0; i < sizeof(exes) / sizeof(exes[0]); i++) {
		struct uw_task_event ev = ev_make(12, &cont, UW_SRC_EXEC, "x", exes[i]);

		assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	}
	assert_int_equal(uw_pipeline_tick(&fx->p, t0 + 999), 0);
	/* the periodic record is stamped by the pipeline's wall clock */
	fx->p.clock.real = fake_real_now;
	fake_real = 1763800000000000000ULL + 42;
	assert_int_equal(uw_pipeline_tick(&fx->p, t0 + 1000), 0);
	assert_int_equal(uw_pipeline_tick(&fx->p, t0 + 2000), 0); /* nothing new: no record */
	n = lines(fx, l, 8);
	assert_int_equal(n, 4); /* /a, /b (limit 2), reached at /c, ongoing for /d and /e */
	assert_string_equal(jl_str(l[2], "phase"), "reached");
	assert_string_equal(jl_str(l[3], "ts"), "2025-11-22T08:26:40.000000042Z");
	assert_string_equal(jl_str(l[3], "event"), "alert_limit");
	assert_string_equal(jl_str(l[3], "phase"), "ongoing");
	assert_string_equal(jl_str(l[3], "key"), ID1);
	assert_string_equal(jl_str(l[3], "container.runtime"), "docker");
	assert_int_equal(jl_int(l[3], "counts.suppressed"), 3);
	assert_int_equal(jl_int(l[3], "counts.suppressed_since_last"), 2);
	jl_free(l, n);
}

/* Text output: an escape names its container, the namespaces moved and that it was found
 * late; an alert_limit record says which budget and how many were counted. */
static void test_text_escape_and_limit(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns c = cont, h = host;
	struct uw_transition_event t;
	const char *exes[] = { "/a", "/b", "/c" };
	size_t i;

	fx->p.enc.fmt = UW_OUT_TEXT;
	c.pid = c.pid_for_children = host.pid;
	h.pid_for_children = host.pid;
	proc_task(fx, 397, "0::/docker/" ID1 "\n", NULL, NULL);
	t = tr_make(397, UW_SYS_UNKNOWN, UW_CLONE_NEWNS, &c, &h);
	t.tflags = UW_TF_LATE;
	t.source = UW_SRC_EXIT;
	assert_int_equal(uw_pipeline_record(&fx->p, &t, sizeof(t)), 0);
	for (i = 0; i < sizeof(exes) / sizeof(exes[0]); i++) {
		struct uw_task_event ev = ev_make(397, &c, UW_SRC_EXEC, "x", exes[i]);

		assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	}
	fflush(fx->f);
	/* for people: the program and user first, a 12-character ID, no cgroup path or full ID */
	assert_non_null(strstr(fx->buf, " critical ESCAPE exe=\"nsenter\" uid=0 euid=0 caps=none container=docker:3f4e1a9b2c7d "
				       "pid=397 source=exit detected_late fix=\"isolate the node; enable userns-remap in daemon.json\"\n"));
	assert_non_null(strstr(fx->buf, " high HOST-USERNS exe=\"/a\" uid=0 euid=0 caps=none container=docker:3f4e1a9b2c7d pid=397 source=exec fix=\"enable userns-remap in daemon.json\"\n"));
	assert_non_null(strstr(fx->buf, " medium ALERT-LIMIT reached container=docker:3f4e1a9b2c7d"
				       " budget=host_userns limit=2 alerts=2 suppressed=1 (+1) repeats=0\n"));
	assert_null(strstr(fx->buf, ID1));
	assert_null(strstr(fx->buf, "cgroup="));
	assert_null(strstr(fx->buf, "\033"));
}

/* -v: the rule, the full ID, parent, comm, namespaces and the cgroup path; a privileged set is
 * "full", one that lacks a few capabilities says which */
static void test_text_verbose(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(398, &cont, UW_SRC_EXEC, "sh", "/bin/sh");

	fx->p.enc.fmt = UW_OUT_TEXT;
	fx->p.enc.verbose = 1;
	ev.cap_effective = ~0ULL;
	proc_task(fx, 398, "0::/docker/" ID1 "\n", NULL, NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	ev = ev_make(399, &cont, UW_SRC_EXEC, "sh", "/bin/ash");
	ev.cap_effective = ~0ULL & ~(1ULL << 24);
	proc_task(fx, 399, "0::/docker/" ID2 "\n", NULL, NULL);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	fflush(fx->f);
	assert_non_null(strstr(fx->buf, " critical HOST-USERNS exe=\"/bin/sh\" uid=0 euid=0 caps=full container=docker:" ID1
				       " pid=398 source=exec fix=\"enable userns-remap in daemon.json\" rule=CIS-Docker-5.31 ppid="));
	assert_non_null(strstr(fx->buf, " cgroup=\"/docker/" ID1 "\"\n"));
	assert_non_null(strstr(fx->buf, " caps=full-except:cap_sys_resource container=docker:" ID2 " pid=399 "));
}

/* The wall clock is stepped (NTP): within a second, records carry the new time. */
static void test_clock_step_followed(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev;
	json_t *l[4];
	int n;

	fx->p.clock.real = fake_real_now;
	fx->p.clock.boot = fake_boot_now;
	fake_boot = 100000000000ULL;                    /* 100 s since boot */
	fake_real = 1763800000000000000ULL;             /* 2025-11-22T08:26:40Z */
	assert_int_equal(uw_pipeline_tick(&fx->p, fake_boot), 0);
	proc_task(fx, 398, "0::/docker/" ID1 "\n", NULL, NULL);
	ev = ev_make(398, &cont, UW_SRC_EXEC, "x", "/a");
	ev.hdr.ts_ns = fake_boot;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	/* an hour's step forward, half a second later: not yet measured again */
	fake_boot += 500000000ULL;
	fake_real += 500000000ULL + 3600000000000ULL;
	assert_int_equal(uw_pipeline_tick(&fx->p, fake_boot), 0);
	ev = ev_make(398, &cont, UW_SRC_EXEC, "x", "/b");
	ev.hdr.ts_ns = fake_boot;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	/* a second after the last measurement it is applied */
	fake_boot += 500000000ULL;
	fake_real += 500000000ULL;
	assert_int_equal(uw_pipeline_tick(&fx->p, fake_boot), 0);
	ev = ev_make(398, &cont, UW_SRC_EXEC, "x", "/c");
	ev.hdr.ts_ns = fake_boot;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 3);
	assert_string_equal(jl_str(l[0], "ts"), "2025-11-22T08:26:40.000000000Z");
	assert_string_equal(jl_str(l[1], "ts"), "2025-11-22T08:26:40.500000000Z");
	assert_string_equal(jl_str(l[2], "ts"), "2025-11-22T09:26:41.000000000Z");
	jl_free(l, n);
}

/*
 * The cgroup cache is bounded and evicts its oldest entry: resolving a task's v1 cgroup could
 * free the v2 entry resolve() still held, then read it (AddressSanitizer on a hybrid host once
 * 16,384 cgroups were cached). With a cache of one entry every resolution evicts the other;
 * under make test SANITIZE=1 a use after free ends this test.
 */
static void test_cgroup_cache_eviction_no_use_after_free(void **state)
{
	struct fixture *fx = *state;
	struct uw_ns privtmp = host;
	struct uw_cgroups real;
	struct uw_task_event ev;
	char err[256];
	struct stat st;
	int i;

	if (geteuid() != 0) {
		print_message("SKIP: resolving cgroups by ID needs CAP_DAC_READ_SEARCH (root)\n");
		skip();
	}
	assert_int_equal(uw_cgroups_open(&real, "/proc/self/mountinfo", err, sizeof(err)), 0);
	if (real.v2.fd < 0 || real.v1.fd < 0) {
		uw_cgroups_close(&real);
		print_message("SKIP: needs a hybrid host (cgroup2 and a v1 hierarchy)\n");
		skip();
	}
	fx->p.attr.cgc.cg = &real;
	uw_table_free(&fx->p.attr.cgc.t);
	assert_int_equal(uw_table_init(&fx->p.attr.cgc.t, 1, free), 0);
	privtmp.mnt = 4026532999u;
	ev = ev_make(902, &privtmp, UW_SRC_EXEC, "x", "/x");
	assert_int_equal(fstat(real.v2.fd, &st), 0);
	ev.cgroup_id = st.st_ino;
	assert_int_equal(fstat(real.v1.fd, &st), 0);
	ev.cgroup1_id = st.st_ino;
	for (i = 0; i < 3; i++)
		assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_true(fx->p.attr.cgc.t.evicted >= 2);
	assert_int_equal(fx->p.counts.not_container, 3);
	fx->p.attr.cgc.cg = &fx->cg;
	uw_cgroups_close(&real);
}

static void test_bad_records(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(30, &cont, UW_SRC_EXEC, "x", "/x");

	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev) - 1), 0);
	ev.hdr.type = 99;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(fx->p.counts.bad_records, 2);
	assert_int_equal(fx->p.counts.received, 2); /* read, then found bad */
}

/*
 * The short form of a fork's record (288 bytes): read as the whole record with an empty rest of
 * exe; nothing past its size is read, its exe ends within it even without a NUL, and a size
 * that says neither form is a bad record.
 */
static void test_short_fork_record(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(78, &cont, UW_SRC_FORK, "pause", NULL);
	unsigned char buf[sizeof(ev)];
	json_t *l[4];
	int n;

	proc_task(fx, 78, "0::/docker/" ID1 "\n", NULL, NULL);
	ev.hdr.size = UW_TASK_SHORT_SIZE;
	memset(ev.exe, 'a', UW_EXE_SHORT); /* no NUL in the short exe */
	memcpy(buf, &ev, sizeof(ev));
	memset(buf + UW_TASK_SHORT_SIZE, 'Z', sizeof(buf) - UW_TASK_SHORT_SIZE);
	assert_int_equal(uw_pipeline_record(&fx->p, buf, UW_TASK_SHORT_SIZE), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "source"), "fork");
	assert_string_equal(jl_str(l[0], "container.id"), ID1);
	assert_int_equal(jl_int(l[0], "process.pid"), 78);
	assert_int_equal(strlen(jl_str(l[0], "process.exe")), UW_EXE_SHORT - 1);
	assert_null(strchr(jl_str(l[0], "process.exe"), 'Z'));
	jl_free(l, n);
	assert_int_equal(fx->p.counts.bad_records, 0);
	/* shorter than it says, or a size of neither form */
	assert_int_equal(uw_pipeline_record(&fx->p, buf, UW_TASK_SHORT_SIZE - 1), 0);
	((struct uw_task_event *)buf)->hdr.size = UW_TASK_SHORT_SIZE + 8;
	assert_int_equal(uw_pipeline_record(&fx->p, buf, UW_TASK_SHORT_SIZE + 8), 0);
	assert_int_equal(fx->p.counts.bad_records, 2);
}

/* The repeat-cache key a record carries, as the kernel would build it for ev. */
static struct uw_repeat_key key_for(const struct uw_task_event *ev)
{
	struct uw_repeat_key k;

	memset(&k, 0, sizeof(k));
	k.cg.cgroup_id = ev->cgroup_id;
	k.cg.cgroup1_id = ev->cgroup1_id;
	k.ns = ev->ns;
	k.exe_ino = 4711;
	k.exe_ctime_ns = 1763800000000000007ULL;
	k.exe_dev = 0xfe00001;
	k.exe_gen = 0x5eed;
	k.cap_effective = 0x1ffffffffffULL;
	k.flags = UW_F_ROOT_OTHER | ev->source << 24;
	k.epoch = 3;
	return k;
}

/*
 * A task record's repeat-cache key (UW_F_REPEAT_KEY) goes to the kernel's cache as the record
 * arrives, byte for byte, whatever the verdict and in either form; a record without the flag
 * adds nothing; a key that does not say what its record says (namespaces, cgroups, source), a
 * key on a snapshot record (the kernel makes keys for exec and fork only), and a failed update,
 * are counted and add nothing more.
 */
static void test_repeat_key_added(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(4243, &cont, UW_SRC_EXEC, "sh", "/bin/sh");
	struct uw_repeat_key want;
	unsigned char buf[sizeof(ev)];

	proc_task(fx, 4243, "0::/docker/" ID1 "\n", NULL, NULL);
	proc_task(fx, 79, "0::/docker/" ID1 "\n", NULL, NULL);
	/* no flag: nothing added, even with a key in the record */
	ev.repeat = key_for(&ev);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(fx->repeats_added, 0);
	/* the flag: exactly the record's key */
	ev.flags |= UW_F_REPEAT_KEY;
	want = ev.repeat;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(fx->repeats_added, 1);
	assert_memory_equal(&fx->last_repeat, &want, sizeof(want));
	assert_int_equal(fx->p.counts.repeat_failed, 0);
	/* the short form of a fork's record carries its key too */
	ev = ev_make(79, &cont, UW_SRC_FORK, "pause", NULL);
	ev.hdr.size = UW_TASK_SHORT_SIZE;
	ev.flags |= UW_F_REPEAT_KEY;
	ev.repeat = key_for(&ev);
	want = ev.repeat;
	memcpy(buf, &ev, sizeof(ev));
	memset(buf + UW_TASK_SHORT_SIZE, 'Z', sizeof(buf) - UW_TASK_SHORT_SIZE);
	assert_int_equal(uw_pipeline_record(&fx->p, buf, UW_TASK_SHORT_SIZE), 0);
	assert_int_equal(fx->repeats_added, 2);
	assert_memory_equal(&fx->last_repeat, &want, sizeof(want));
	/* keys that say something else than their records: counted, not added */
	ev = ev_make(4243, &cont, UW_SRC_EXEC, "sh", "/bin/sh");
	ev.flags |= UW_F_REPEAT_KEY;
	ev.repeat = key_for(&ev);
	ev.repeat.ns.net++;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	ev.repeat = key_for(&ev);
	ev.repeat.cg.cgroup1_id++;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	ev.repeat = key_for(&ev);
	ev.repeat.flags = UW_F_ROOT_OTHER | UW_SRC_FORK << 24;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	ev.source = UW_SRC_SNAPSHOT;
	ev.repeat = key_for(&ev);
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	ev.source = UW_SRC_EXEC;
	assert_int_equal(fx->repeats_added, 2);
	assert_int_equal(fx->p.counts.repeat_failed, 4);
	/* the kernel refuses the update: counted */
	ev.repeat = key_for(&ev);
	fx->repeat_rc = -ENOMEM;
	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(fx->repeats_added, 3);
	assert_int_equal(fx->p.counts.repeat_failed, 5);
	assert_int_equal(fx->p.counts.bad_records, 0);
}

/* A process gone before its cgroup could be read is still reported, as unresolved. */
static void test_unresolved(void **state)
{
	struct fixture *fx = *state;
	struct uw_task_event ev = ev_make(31, &cont, UW_SRC_EXEC, "x", "/x");
	json_t *l[2];
	int n;

	assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	assert_int_equal(fx->p.counts.unresolved, 1);
	n = lines(fx, l, 2);
	assert_int_equal(n, 1);
	assert_string_equal(jl_str(l[0], "container.runtime"), "unknown");
	assert_true(json_is_null(jl_get(l[0], "cgroup.path")));
	jl_free(l, n);
}

static void test_stats_record(void **state)
{
	struct fixture *fx = *state;
	uint64_t lost[2] = { 3, 4 };
	struct uw_status st = { 0 };
	struct uw_rec r;
	json_t *l[4], *v;
	int n;

	st.reason = "exit";
	st.hooks = "tp_btf";
	st.kernel[UW_C_SENT] = 10;
	st.kernel[UW_C_LOST] = 7;
	st.lost_per_cpu = lost;
	st.ncpu = 2;
	proc_task(fx, 10, "0::/docker/" ID1 "\n", NULL, NULL);
	{
		struct uw_task_event ev = ev_make(10, &cont, UW_SRC_EXEC, "x", "/a");

		assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
		assert_int_equal(uw_pipeline_record(&fx->p, &ev, sizeof(ev)), 0);
	}
	uw_pipeline_status(&fx->p, &st);
	assert_int_equal(uw_encode_stats(&fx->p.enc, 0, &st, &r), 0);
	assert_int_equal(uw_sinks_deliver(&fx->p.sinks, &r), 0);
	n = lines(fx, l, 4);
	assert_int_equal(n, 2);
	assert_string_equal(jl_str(l[1], "event"), "stats");
	assert_string_equal(jl_str(l[1], "reason"), "exit");
	assert_string_equal(jl_str(l[1], "hooks"), "tp_btf");
	assert_int_equal(jl_int(l[1], "kernel.sent"), 10);
	assert_int_equal(jl_int(l[1], "kernel.lost"), 7);
	v = jl_get(l[1], "kernel.lost_per_cpu");
	assert_int_equal(json_array_size(v), 2);
	assert_int_equal(json_integer_value(json_array_get(v, 1)), 4);
	assert_int_equal(jl_int(l[1], "received"), 2);
	assert_int_equal(jl_int(l[1], "alerts"), 1);
	assert_int_equal(jl_int(l[1], "repeats"), 1);
	v = jl_get(l[1], "containers");
	assert_int_equal(json_array_size(v), 1);
	assert_string_equal(jl_str(json_array_get(v, 0), "key"), ID1);
	assert_int_equal(jl_int(json_array_get(v, 0), "repeats"), 1);
	jl_free(l, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_docker_alert_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_only_pod, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_service_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ignore_feedback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_runtime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_sandbox_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ptrace_escape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flood_control, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exe_changed_since_fork, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setns_merged_host_userns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setns_userns_enter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setns_settles_by_time_net_only_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unshare_userns_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runtime_setup_is_host_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owner_scans_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escape_from_hostpid_container, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_service_leaving_private_mnt_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enter_and_leave_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_userns_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attribution_a_to_b, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moved_into_service_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reused_mnt_inode_not_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_directory_evidence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exe_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exe_without_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_records_periodic, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_text_escape_and_limit, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_text_verbose, setup_small, teardown),
		cmocka_unit_test_setup_teardown(test_clock_step_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cgroup_cache_eviction_no_use_after_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_fork_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_key_added, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unresolved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_record, setup, teardown),
	};

	return cmocka_run_group_tests_name("pipeline", tests, NULL, NULL);
}
