// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "judge.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "exe.h"
#include "severity.h"
#include "uw_verdict.h"

void uw_judge_init(struct uw_judge *j, const char *procfs, const char *host_root,
		   const struct uw_ns *host, int host_transitions, const struct uw_clock *clock,
		   struct uw_counters *counts)
{
	memset(j, 0, sizeof(*j));
	j->procfs = procfs;
	j->host_root = host_root;
	j->host = *host;
	j->host.pid_for_children = host->pid;
	j->host_transitions = host_transitions;
	j->clock = clock;
	j->counts = counts;
}

void uw_judged_free(struct uw_judged *jd)
{
	uw_attribution_free(&jd->at);
}

/* The envelope every alert about task pid shares. */
static void alert_task(const struct uw_judge *j, struct uw_alert *a, uint64_t ts, uint32_t pid,
		       uint32_t ppid, uint32_t uid, uint32_t euid, const char *comm)
{
	a->ts_real_ns = uw_clock_real_of(j->clock, ts);
	a->pid = pid;
	a->ppid = ppid;
	a->uid = uid;
	a->euid = euid;
	a->comm = comm;
}

static void alert_cgroup(struct uw_alert *a, const struct uw_cgref *res, uint64_t cgroup_id)
{
	a->cgroup_id = res->ci ? res->id : cgroup_id;
	a->cgroup_path = res->ci ? res->ci->path : NULL;
	a->cgroup_hier = res->ci ? res->hier : "v2";
}

/* Provenance: how the origin was decided, and the cgroup of origin when the process is in
 * another one now (origin: its resolution; origin_id: the kernel's ID, for one not resolved). */
static void alert_origin(struct uw_alert *a, uint32_t how, int moved, const struct uw_cgref *origin,
			 uint64_t origin_id)
{
	a->origin_how = how;
	a->moved = moved;
	if (!moved)
		return;
	a->origin_cgroup_id = origin->ci ? origin->id : origin_id;
	a->origin_cgroup_path = origin->ci ? origin->ci->path : NULL;
}

int uw_judge_task(struct uw_judge *j, const struct uw_task_event *ev, struct uw_judged *out)
{
	const struct uw_attribution *at = &out->at;
	struct uw_alert *a = &out->a;

	/* a process a container took hold of runs the container's programs where it is */
	int held = ev->origin_how == UW_ORIGIN_HELD && at->why == UW_EV_CGROUP;

	if (!at->c || (!held && !uw_should_alert(at->why == UW_EV_CGROUP || at->why == UW_EV_NAMESPACES,
						 &ev->ns, &j->host, ev->flags))) {
		j->counts->not_container++;
		return 0;
	}
	memset(a, 0, sizeof(*a));
	a->container = at->c;
	a->evidence = at->why;
	a->kind = UW_AK_HOST_USERNS;
	a->source = uw_source_name(ev->source);
	a->severity = uw_host_userns_severity(ev->uid, ev->euid, ev->cap_effective);
	a->rule_id = UW_RULE_ID;
	a->rule_text = UW_RULE_TEXT;
	alert_task(j, a, ev->hdr.ts_ns, ev->pid, ev->ppid, ev->uid, ev->euid, ev->comm);
	a->cap_effective = ev->cap_effective;
	a->exe = uw_exe_name(j->procfs, j->host_root, ev->pid, ev->flags, ev->exe, ev->exe_ino,
			     ev->exe_dev, &a->exe_kind, &a->exe_view, out->exe, sizeof(out->exe));
	a->exe_ino = ev->exe_ino;
	a->exe_dev = ev->exe_dev;
	if ((ev->flags & UW_F_REPEAT_KEY) && ev->repeat.exe_ino == ev->exe_ino) {
		a->exe_id_read = 1;
		a->exe_gen = ev->repeat.exe_gen;
		a->exe_ctime_ns = ev->repeat.exe_ctime_ns;
	}
	a->exe_truncated = !!(ev->flags & UW_F_EXE_TRUNCATED);
	a->cmdline = uw_cmdline(j->procfs, ev->pid, ev->exe_ino, ev->exe_dev, out->cmdline,
				sizeof(out->cmdline), &a->cmdline_truncated);
	a->ns = &ev->ns;
	/* found in another container's namespaces: that one, and the one it comes from */
	if (at->why == UW_EV_NAMESPACES && at->cg.ci && at->cg.ci->found && at->c != &at->cg.ci->c)
		a->origin = &at->cg.ci->c;
	if (ev->flags & UW_F_MOVED)
		alert_cgroup(a, &at->now, ev->cgroup_id);
	else
		alert_cgroup(a, &at->cg, ev->cgroup_id);
	alert_origin(a, ev->origin_how, !!(ev->flags & UW_F_MOVED), &at->cg, ev->origin.cgroup_id);
	return 1;
}

/* The program of transition ev's process, named (exe.h); a change found at exit has none. */
static void alert_program(const struct uw_judge *j, struct uw_alert *a, const struct uw_transition_event *ev,
			  struct uw_judged *out)
{
	a->exe = uw_exe_name(j->procfs, j->host_root, ev->pid,
			     ev->tflags & UW_TF_EXE_UNLINKED ? UW_F_EXE_UNLINKED : 0, ev->exe,
			     ev->exe_ino, ev->exe_dev, &a->exe_kind, &a->exe_view, out->exe, sizeof(out->exe));
	a->exe_ino = ev->exe_ino;
	a->exe_dev = ev->exe_dev;
	a->cmdline = uw_cmdline(j->procfs, ev->pid, ev->exe_ino, ev->exe_dev, out->cmdline,
				sizeof(out->cmdline), &a->cmdline_truncated);
	if (!ev->exe_ino && !ev->exe[0])
		a->exe_kind = a->exe_view = NULL; /* found at exit: the program is gone */
}

static int same_container(const struct uw_container *x, const struct uw_container *y)
{
	return !strcmp(x->id, y->id) && !strcmp(x->runtime, y->runtime);
}

/* The process is in cgroups other than its cgroups of origin (none: not known) */
static int tr_moved(const struct uw_transition_event *ev)
{
	return (ev->origin.cgroup_id || ev->origin.cgroup1_id) &&
	       (ev->origin.cgroup_id != ev->cgroup_id || ev->origin.cgroup1_id != ev->cgroup1_id);
}

/* A transition's cgroup of origin into out->at.cg: by ID only when the process has moved
 * since (procfs shows where it is now). */
static void resolve_origin(struct uw_attr *attr, const struct uw_transition_event *ev, struct uw_judged *out)
{
	struct uw_cgroup_key cg = { ev->cgroup_id, ev->cgroup1_id };

	if (tr_moved(ev))
		uw_attr_resolve(attr, 0, &ev->origin, &out->at.cg);
	else
		uw_attr_resolve(attr, ev->pid, &cg, &out->at.cg);
}

/* Where a transition's process is (its cgroup now) and where it comes from (provenance). */
static void alert_where(struct uw_attr *attr, struct uw_alert *a, const struct uw_transition_event *ev,
			struct uw_judged *out)
{
	struct uw_cgroup_key cg = { ev->cgroup_id, ev->cgroup1_id };

	if (tr_moved(ev)) {
		uw_attr_resolve(attr, ev->pid, &cg, &out->at.now);
		alert_cgroup(a, &out->at.now, ev->cgroup_id);
	} else {
		alert_cgroup(a, &out->at.cg, ev->cgroup_id);
	}
	alert_origin(a, ev->origin_how, tr_moved(ev), &out->at.cg, ev->origin.cgroup_id);
}

/*
 * A watched process found in another cgroup than it was last seen in: an alert about its
 * container of origin when the cgroup it is in now is not that container's (another
 * container's, or none); a move inside its own container's cgroups is only counted.
 */
static int judge_move(struct uw_judge *j, struct uw_attr *attr, const struct uw_transition_event *ev,
		      struct uw_judged *out)
{
	struct uw_cgroup_key now = { ev->cgroup_id, ev->cgroup1_id };
	const struct uw_container *from, *to = NULL;
	struct uw_alert *a = &out->a;
	enum uw_evidence why = UW_EV_NONE;

	memset(a, 0, sizeof(*a));
	memset(&out->at, 0, sizeof(out->at));
	uw_attr_resolve(attr, 0, &ev->origin, &out->at.cg);
	from = uw_attr_container(attr, ev->pid, &out->at.cg, &ev->after, !!(ev->tflags & UW_TF_ROOT_OTHER),
				 &out->at.owner, &why);
	if (!from)
		return 0; /* no container's process (a host sandbox's) */
	uw_attr_resolve(attr, ev->pid, &now, &out->at.now);
	if (out->at.now.ci && out->at.now.ci->found) {
		out->to = out->at.now.ci->c;
		to = &out->to;
		if (same_container(to, from)) {
			j->counts->moves_within++;
			return 0;
		}
	}
	a->kind = UW_AK_CGROUP_MOVE;
	a->rule_id = UW_RULE_MOVE_ID;
	a->rule_text = UW_RULE_MOVE_TEXT;
	a->severity = "high";
	a->container = from;
	a->evidence = why;
	a->moved_to = to;
	a->source = uw_source_name(ev->source);
	alert_task(j, a, ev->hdr.ts_ns, ev->pid, ev->ppid, ev->uid, ev->euid, ev->comm);
	a->cap_effective = ev->cap_effective;
	alert_program(j, a, ev, out);
	a->ns = &ev->after;
	alert_cgroup(a, &out->at.now, ev->cgroup_id);
	alert_origin(a, ev->origin_how, 1, &out->at.cg, ev->origin.cgroup_id);
	return 1;
}

/* What procfs/PID shows of a process: comm and executable (bounded; empty when gone). */
static void read_target(const char *procfs, uint32_t pid, struct uw_target *t)
{
	char path[64];
	ssize_t n;
	FILE *f;

	memset(t, 0, sizeof(*t));
	t->pid = pid;
	if (strlen(procfs) >= sizeof(path) - 24)
		return;
	snprintf(path, sizeof(path), "%s/%u/comm", procfs, pid);
	f = fopen(path, "re");
	if (f) {
		if (fgets(t->comm, sizeof(t->comm), f))
			t->comm[strcspn(t->comm, "\n")] = 0;
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/%u/exe", procfs, pid);
	n = readlink(path, t->exe, sizeof(t->exe) - 1);
	t->exe[n > 0 ? n : 0] = 0;
}

/*
 * A container process attached to a process with ptrace, or wrote its memory: an escape when
 * the target is outside its container of origin (a host process, or another container's), for
 * it can make the target run anything with the target's namespaces and powers. The target is
 * found by its pid only when the caller shares the host's pid namespace (a pid of its own pid
 * namespace names a process of its container, or below it: counted, no alert).
 */
static int judge_hostpower(struct uw_judge *j, struct uw_attr *attr, const struct uw_transition_event *ev,
			   struct uw_judged *out)
{
	const struct uw_container *from;
	struct uw_alert *a = &out->a;
	enum uw_evidence why = UW_EV_NONE;
	uint32_t tpid = (uint32_t)ev->fd;
	/* the tracepoints' target is a pid of the caller's pid namespace, the kernel's (fexit) a
	 * process of the host's */
	int host_pid = ev->syscall == UW_SYS_PTRACE_ACCESS || ev->syscall == UW_SYS_PROC_MEM ||
		       ev->after.pid == j->host.pid;

	memset(a, 0, sizeof(*a));
	memset(&out->at, 0, sizeof(out->at));
	resolve_origin(attr, ev, out);
	from = uw_attr_container(attr, ev->pid, &out->at.cg, &ev->after, !!(ev->tflags & UW_TF_ROOT_OTHER),
				 &out->at.owner, &why);
	if (!from)
		return 0;
	if (!host_pid || ev->fd <= 0 || tpid == ev->pid) {
		j->counts->held_within++;
		return 0;
	}
	read_target(j->procfs, tpid, &out->target);
	if (uw_attr_container_of_pid(attr, (int)tpid, &out->target_c)) {
		if (same_container(&out->target_c, from)) {
			j->counts->held_within++;
			return 0;
		}
		out->target.container = &out->target_c;
	}
	a->kind = UW_AK_ESCAPE;
	a->rule_id = UW_RULE_ESCAPE_ID;
	a->rule_text = UW_RULE_ESCAPE_TEXT;
	a->severity = "critical";
	a->container = from;
	a->evidence = why;
	a->escape_via = ev->syscall == UW_SYS_PTRACE ? (ev->flags == UW_PTRACE_SEIZE ? "ptrace_seize" : "ptrace_attach")
			: uw_syscall_name(ev->syscall);
	a->target = &out->target;
	a->source = uw_syscall_name(ev->syscall);
	alert_task(j, a, ev->hdr.ts_ns, ev->pid, ev->ppid, ev->uid, ev->euid, ev->comm);
	a->cap_effective = ev->cap_effective;
	alert_program(j, a, ev, out);
	a->ns = &ev->after;
	alert_where(attr, a, ev, out);
	return 1;
}

int uw_judge_seq(struct uw_judge *j, struct uw_attr *attr, const struct uw_setns_seq *q,
		 struct uw_judged *out)
{
	const struct uw_transition_event *last = &q->last, *ev;
	const struct uw_ns *b = &last->before, *af = &last->after;
	struct uw_cgref *res = &out->at.cg;
	const struct uw_container *from = NULL, *to = NULL;
	const struct uw_ns *host = &j->host;
	enum uw_evidence from_ev = UW_EV_NONE, to_ev = UW_EV_NONE;
	int late = !!(last->tflags & UW_TF_LATE), is_setns = last->syscall == UW_SYS_SETNS;
	int root_before = !!(last->tflags & UW_TF_ROOT_OTHER), setup;
	struct uw_alert *a = &out->a;

	if (last->syscall == UW_SYS_CGROUP_MOVE)
		return judge_move(j, attr, last, out);
	if (last->syscall == UW_SYS_PTRACE || last->syscall == UW_SYS_VM_WRITE ||
	    last->syscall == UW_SYS_PTRACE_ACCESS || last->syscall == UW_SYS_PROC_MEM)
		return judge_hostpower(j, attr, last, out);
	j->counts->transitions++;
	j->counts->late += late;
	memset(a, 0, sizeof(*a));
	memset(&out->at, 0, sizeof(out->at));
	/* a runtime creating a container's user namespace from the host's namespaces (runc,
	 * unshare -U -m -p) is setting the container up; "inside" means the creator already was
	 * in the container's namespaces */
	setup = !is_setns && !late && af->user != b->user && b->user == host->user &&
		uw_rest_is_host(b, host);
	if (setup && !j->host_transitions)
		return 0;
	/* where the process was before: its cgroup of origin (a moved process is its origin's),
	 * the namespaces it left, a pid namespace or root of its own */
	resolve_origin(attr, last, out); /* into res */
	if (uw_attr_maybe_in_container(attr, last->pid, b->mnt))
		from = uw_attr_container(attr, last->pid, res, b, root_before, &out->at.owner, &from_ev);

	ev = last;
	if ((is_setns || late) && q->have_escape && from) {
		ev = &q->escape;
		a->kind = UW_AK_ESCAPE;
		a->rule_id = UW_RULE_ESCAPE_ID;
		a->rule_text = UW_RULE_ESCAPE_TEXT;
		a->severity = "critical";
		a->escape_mask = q->escape_mask;
		a->container = from;
		a->evidence = from_ev;
	} else if ((is_setns || late) && q->have_entered) {
		ev = &q->entered;
		a->kind = UW_AK_HOST_USERNS;
		a->rule_id = UW_RULE_ID;
		a->rule_text = UW_RULE_TEXT;
		a->severity = uw_host_userns_severity(ev->uid, ev->euid, ev->cap_effective);
		to = uw_attr_container(attr, last->pid, res, &ev->after, 0, &out->to, &to_ev);
		a->container = to;
		a->evidence = to_ev;
		a->origin = from;
	} else if (af->user != b->user && af->user != host->user &&
		   (is_setns || (late && last->userns_parent != b->user))) {
		a->kind = UW_AK_USERNS_ENTER;
		a->rule_id = UW_RULE_ENTER_ID;
		a->rule_text = UW_RULE_ENTER_TEXT;
		a->severity = "medium";
		a->userns_previous = b->user;
		/* the container owning the user namespace entered, else where the process is */
		if (!(res->ci && res->ci->found) &&
		    uw_attr_user_ns_owner(attr, af->user, last->pid, &out->to)) {
			to = &out->to;
			to_ev = UW_EV_NAMESPACES;
		} else {
			to = uw_attr_container(attr, last->pid, res, af, 0, &out->to, &to_ev);
		}
		if (!to && b->user != host->user)
			to = &uw_unknown_container; /* from a container's user namespace: about that one too */
		a->container = to;
		a->evidence = to_ev;
		a->origin = from;
	} else if (!is_setns && af->user != b->user && af->user != host->user) {
		a->kind = UW_AK_USERNS_CREATE;
		a->rule_id = UW_RULE_CREATE_ID;
		a->rule_text = UW_RULE_CREATE_TEXT;
		a->severity = "high";
		a->userns_parent = last->userns_parent;
		a->userns_level = last->userns_level;
		a->container = setup ? &uw_host_container : from;
		a->evidence = setup ? UW_EV_NONE : from_ev;
	} else {
		return 0; /* no container story: new tasks are judged at fork and exec */
	}
	/* the runtime's setup (sent with host_transitions only): a host process's transition */
	if (last->tflags & UW_TF_SETUP) {
		if (a->kind == UW_AK_ESCAPE || a->kind == UW_AK_HOST_USERNS)
			return 0;
		a->container = NULL;
		a->origin = NULL;
	}
	if (!a->container || a->container == &uw_host_container) {
		if (!j->host_transitions || a->kind == UW_AK_ESCAPE || a->kind == UW_AK_HOST_USERNS)
			return 0;
		a->container = &uw_host_container;
		a->evidence = UW_EV_NONE;
		a->rule_id = UW_RULE_HOST_ID;
		a->rule_text = UW_RULE_HOST_TEXT;
		a->severity = "info";
	}
	/* a process that went where it came from has no origin to name */
	if (a->origin && a->origin->id[0] && same_container(a->origin, a->container))
		a->origin = NULL;
	a->source = late ? uw_source_name(last->source) : uw_syscall_name(last->syscall);
	alert_task(j, a, ev->hdr.ts_ns, last->pid, last->ppid, ev->uid, ev->euid, last->comm);
	a->cap_effective = ev->cap_effective;
	alert_program(j, a, last, out);
	a->ns = &ev->after;
	a->tr = ev;
	alert_where(attr, a, last, out);
	return 1;
}
