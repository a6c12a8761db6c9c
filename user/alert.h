/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An alert: what the judge (judge.c, judge_seq.c) finds in one event, complete (rule, severity,
 * process, program, container and how it was found), then passed through the gates (gate.c,
 * setup.c) and written by every encoder (encode*.c, ecs.c, ocsf.c) the same way. Its strings
 * and structs belong to whoever made it, for as long as the record is handled (the setup gate
 * copies what it holds).
 */
#ifndef UW_ALERT_H
#define UW_ALERT_H

#include <stdint.h>

#include "container.h"
#include "kind.h"
#include "uw_event.h"

struct uw_meta;

#define UW_RULE_ID "CIS-Docker-5.31"
#define UW_RULE_TEXT                                                                       \
	"CIS Docker Benchmark 5.31: ensure that the host's user namespace is not shared "  \
	"(container root is host root)"
#define UW_RULE_CREATE_ID "USERNS-CREATE-IN-CONTAINER"
#define UW_RULE_CREATE_TEXT                                                                \
	"a process inside a container created a user namespace (the first step of many "   \
	"container escapes)"
#define UW_RULE_ENTER_ID "USERNS-ENTER"
#define UW_RULE_ENTER_TEXT "a process entered another user namespace with setns"
#define UW_RULE_HOST_ID "USERNS-HOST-TRANSITION"
#define UW_RULE_HOST_TEXT "a host process created or entered a user namespace (--host-transitions)"
#define UW_RULE_ESCAPE_ID "CONTAINER-ESCAPE"
#define UW_RULE_ESCAPE_TEXT                                                                \
	"a container process joined the host's namespaces (container breakout)"
#define UW_RULE_MOVE_ID "CONTAINER-CGROUP-MOVE"
#define UW_RULE_MOVE_TEXT                                                                  \
	"a container process in the host user namespace left its container's cgroup (it is "  \
	"still reported as its container of origin's)"
#define UW_RULE_SELF_ID "USERNS-WATCH-SELF"
#define UW_RULE_SELF_TEXT                                                                  \
	"userns-watch's own process, and the container it runs in if any: recorded once at " \
	"start, never alerted on"

/* Why a process is judged to belong to a container (container.evidence). */
enum uw_evidence {
	UW_EV_NONE = 0,
	UW_EV_CGROUP,     /* "cgroup": its cgroup path names the container */
	UW_EV_NAMESPACES, /* "namespaces": it shares a mount or pid namespace with the container's
			   * processes */
	UW_EV_PID_NS,     /* "pid_namespace": a pid namespace of its own, layout unknown */
	UW_EV_ROOT,       /* "root_directory": a root directory that is not the host's */
};

/* The process a container process took hold of (escape by ptrace or process_vm_writev). */
struct uw_target {
	uint32_t pid;                /* in the host's pid namespace */
	char comm[UW_COMM_LEN + 1];  /* "" when it could not be read (gone) */
	char exe[256];
	const struct uw_container *container; /* its container, NULL for none (a host process) */
};

/* One alert: the envelope, the process, and what the event adds. */
struct uw_alert {
	enum uw_alert_kind kind;
	const char *source;        /* "exec", "fork", "snapshot", "setns", "unshare", "clone", "clone3" */
	const char *severity;
	const char *rule_id;
	const char *rule_text;
	uint64_t ts_real_ns;       /* wall clock, ns since the epoch */
	uint32_t pid, ppid, uid, euid;
	uint64_t cap_effective;    /* effective capabilities (bit n: capability n) */
	const char *comm;          /* UW_COMM_LEN bytes at most */
	const char *exe;
	const char *exe_kind;      /* "path", "fd", "memfd", "deleted", "private_mount", or NULL
				    * when not known */
	uint64_t exe_ino;          /* the executable's inode and device (kernel encoding), 0 if */
	uint32_t exe_dev;          /* unknown */
	int exe_id_read;           /* the kernel read its file's generation and change time, which a
				    * new file given a freed inode number does not share: */
	uint32_t exe_gen;
	uint64_t exe_ctime_ns;
	const char *exe_view;      /* whose view exe is: "process", "host" or "name" (user/exe.h) */
	int exe_truncated;
	const char *cmdline;       /* the command line procfs shows (exe.h uw_cmdline), "" or NULL
				    * when not read */
	int cmdline_truncated;
	const struct uw_ns *ns;    /* the task's namespaces (after a transition) */
	uint32_t userns_parent;    /* userns_create: parent user namespace and nesting level */
	uint32_t userns_level;
	uint32_t userns_previous;  /* userns_enter: the user namespace before */
	const struct uw_transition_event *tr; /* the transition, or NULL */
	const struct uw_container *container; /* runtime "unknown"/"host" and id "" when none */
	enum uw_evidence evidence; /* how the container was found */
	const struct uw_container *origin; /* the container the process came from, when it moved
					    * into another one's namespaces; else NULL */
	const struct uw_container *moved_to; /* cgroup_move: the container of the cgroup it is in
					      * now, or NULL for none */
	uint32_t escape_mask;      /* escape: the CLONE_NEW* namespaces now the host's */
	const char *escape_via;    /* escape without a namespace change: "ptrace_attach",
				    * "ptrace_seize", "process_vm_writev" (tracepoints),
				    * "ptrace_access" or "proc_pid_mem" (fexit) (else NULL) */
	const struct uw_target *target; /* with escape_via: the process taken hold of */
	/* provenance: how the container of origin was decided (enum uw_origin_how), its cgroup,
	 * and whether the process is in another one now */
	uint32_t origin_how;
	int moved;
	uint64_t origin_cgroup_id;
	const char *origin_cgroup_path; /* NULL: not resolved (removed) */
	uint64_t cgroup_id;
	const char *cgroup_path;
	const char *cgroup_hier;   /* "v2" or "v1:<controller>" */
	int limit_reached;         /* the last alert this container gets (flood control) */
	const struct uw_meta *meta; /* runtime metadata, NULL when the container has no ID or it
				     * is not read (no --host-root) */
	int self_host_userns;      /* self: userns-watch runs in the host user namespace */
	int in_self_container;     /* the container is userns-watch's own (by provenance: self.h) */
	const char *policy_rule;   /* allowed by this policy rule (--report-allowed), else NULL */
	const char *policy_reason;
};

const char *uw_source_name(uint32_t source);
const char *uw_syscall_name(uint32_t syscall);
/* "host_userns", "userns_create", "userns_enter", "escape", "cgroup_move", "self" */
const char *uw_alert_kind_name(enum uw_alert_kind k);
/* the text lines' label: "HOST-USERNS", "USERNS-CREATE", … */
const char *uw_alert_kind_label(enum uw_alert_kind k);
/* "cgroup", "namespaces", "pid_namespace", "root_directory", or NULL for none */
const char *uw_evidence_name(enum uw_evidence e);
/* "unknown", "placed", "inherited", "snapshot", "held" */
const char *uw_origin_how_name(uint32_t how);

#endif
