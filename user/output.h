/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Alert and stats records, as readable lines or JSON lines. */
#ifndef UW_OUTPUT_H
#define UW_OUTPUT_H

#include <stdint.h>
#include <stdio.h>
#include "cli.h"
#include "container.h"
#include "json.h"
#include "kind.h"
#include "metadata.h"
#include "sandbox.h"
#include "syslog5424.h"
#include "uw_event.h"

/* The version of the JSON lines' schema (include/userns-watch.schema.json), in every record. */
#define UW_SCHEMA_VERSION "1.0.0"

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

/* Why a process is judged to belong to a container (container.evidence). */
enum uw_evidence {
	UW_EV_NONE = 0,
	UW_EV_CGROUP,     /* "cgroup": its cgroup path names the container */
	UW_EV_NAMESPACES, /* "namespaces": it shares a mount or pid namespace with the container's
			   * processes */
	UW_EV_PID_NS,     /* "pid_namespace": a pid namespace of its own, layout unknown */
	UW_EV_ROOT,       /* "root_directory": a root directory that is not the host's */
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
	const char *exe_kind;      /* "path", "fd", "memfd", "deleted", or NULL when not known */
	uint64_t exe_ino;          /* the executable's inode and device (kernel encoding), 0 if */
	uint32_t exe_dev;          /* unknown */
	int exe_truncated;
	const struct uw_ns *ns;    /* the task's namespaces (after a transition) */
	uint32_t userns_parent;    /* userns_create: parent user namespace and nesting level */
	uint32_t userns_level;
	uint32_t userns_previous;  /* userns_enter: the user namespace before */
	const struct uw_transition_event *tr; /* the transition, or NULL */
	const struct uw_container *container; /* runtime "unknown"/"host" and id "" when none */
	enum uw_evidence evidence; /* how the container was found */
	const struct uw_container *origin; /* the container the process came from, when it moved
					    * into another one's namespaces; else NULL */
	uint32_t escape_mask;      /* escape: the CLONE_NEW* namespaces now the host's */
	uint64_t cgroup_id;
	const char *cgroup_path;
	const char *cgroup_hier;   /* "v2" or "v1:<controller>" */
	int limit_reached;         /* the last alert this container gets */
	const struct uw_meta *meta; /* runtime metadata, NULL when the container has no ID */
	int self_host_userns;      /* self: userns-watch runs in the host user namespace */
	const char *policy_rule;   /* allowed by this policy rule (--report-allowed), else NULL */
	const char *policy_reason;
};

struct uw_counts {
	const char *reason;        /* "exit", "signal", "once" */
	const char *hooks;         /* the entry points in use */
	const char *transition_hooks; /* setns/unshare entry points: "tracepoint" or "none" */
	uint64_t kernel[UW_C_MAX]; /* summed over CPUs */
	const uint64_t *lost_per_cpu;
	unsigned ncpu;
	uint64_t received;         /* records read from the ring buffer */
	uint64_t snapshot;         /* records from the snapshot */
	uint64_t violations;       /* events that are violations, before flood control */
	uint64_t alerts;
	uint64_t repeats;
	uint64_t suppressed;
	uint64_t not_container;
	uint64_t unresolved;       /* cgroup could not be resolved at all */
	uint64_t bad_records;
	uint64_t cgroups_removed;  /* cached cgroups forgotten because the kernel removed them */
	uint64_t transitions;      /* namespace transition records received */
	uint64_t late;             /* of which changes no hook saw (found at exec/fork/exit) */
	uint64_t escapes;          /* escape verdicts, before flood control */
	uint64_t self_records;     /* records about userns-watch's own process (never alerts) */
	uint64_t allowed;          /* alerts a policy rule allowed */
	const struct uw_policy *policy; /* the rules, for their counts; NULL without --policy */
	uint64_t limit_records;    /* alert_limit records written */
	uint64_t setup_open, setup_held, setup_released, setup_dropped; /* containers' setup phases (setup.h) */
	uint64_t ignore_failed;    /* kernel ignore/watch map updates that failed */
	uint64_t watch_failed;
	uint64_t repeat_failed;    /* repeat-cache keys from records not added to the kernel's cache */
	const char *compat_hooks;  /* 32-bit setns/unshare: "fentry", "late" or "none" */
	const struct uw_sandbox *sandbox; /* what least privilege holds; NULL before it is entered */
	int host_learned;          /* the kernel knows the host's nsproxy and root directory */
	const char *host_name_source; /* where "host" came from (hostname.h) */
	const struct uw_syslog *syslog; /* --syslog: its counts; NULL without */
};

struct uw_alert_tally;

struct uw_output {
	FILE *f;
	enum uw_format fmt;
	int verbose;               /* text: rule, full IDs, namespaces and cgroup paths too */
	int colour;                /* text: severity in colour (a terminal, NO_COLOR unset) */
	const char *host;
	struct uw_syslog *syslog;  /* --syslog: every record goes there too; NULL without */
	struct uw_alert_tally *tally; /* --metrics: alerts written are counted there; NULL without */
	uint64_t rec_ts;           /* the record being written: its time, kind and severity */
	const char *rec_event, *rec_sev;
	char run_id[17];           /* 64 random bits, hex: this run's part of every record's id */
	uint64_t seq;              /* records written so far: the other part */
	struct uw_json j;
	/* the last capability set written, rendered as its JSON array (a violating container's
	 * processes mostly share one): reused while the set is the same */
	uint64_t caps_mask;
	struct uw_json caps;       /* empty (len 0) until a set is rendered */
};

/* Every JSON record's "id" is "<run_id>-<sequence>": unique across nodes and restarts (the run
 * ID is random), the same for a record delivered twice. */
void uw_output_init(struct uw_output *o, FILE *f, enum uw_format fmt, const char *host);
void uw_output_free(struct uw_output *o);
/* (len - 1) / 2 random bytes (at most 32) as hex digits, and a NUL. */
void uw_random_hex(char *buf, size_t len);
/* Formats ns since the epoch as RFC 3339 UTC with nanoseconds; buf >= 32 bytes. */
void uw_rfc3339(uint64_t ns, char *buf, size_t len);
const char *uw_source_name(uint32_t source);
const char *uw_syscall_name(uint32_t syscall);
const char *uw_alert_kind_name(enum uw_alert_kind k);
const char *uw_evidence_name(enum uw_evidence e);
/* Returns 0, or -1 if the record could not be written (the caller counts it). */
int uw_output_alert(struct uw_output *o, const struct uw_alert *a);
/* A record about the policy itself ("event": "policy"): action "loaded", "reloaded", "rejected"
 * (the file given to SIGHUP is not valid; the rules in force stay), or "expired" (rule). */
int uw_output_policy(struct uw_output *o, uint64_t ts_real_ns, const char *action, const char *file,
		     const char *rule, size_t rules, const char *error);

/* -o ocsf, --once: a Compliance Finding for one container of the audit (nothing in other
 * formats). Returns 0, or -1 when it could not be written. */
struct uw_audit_row;
int uw_output_compliance(struct uw_output *o, uint64_t ts_real_ns, const struct uw_audit_row *w,
			 const struct uw_meta *m);

struct uw_limiter;
struct uw_kstate;

/*
 * An alert_limit record: a container's alerts of one kind are now only counted. phase
 * "reached" when it first happens (c: the container, as in its alerts), "ongoing" for the
 * periodic counts (c NULL: the key and runtime say which). since: suppressed since the last
 * record.
 */
struct uw_limit_note {
	uint64_t ts_real_ns;
	const char *phase;
	const char *key;           /* the flood-control key: container ID, or runtime:pid ns */
	size_t klen;
	const char *runtime;
	const char *budget;        /* uw_budget_name */
	unsigned limit;
	const struct uw_kstate *k;
	uint64_t since;
	const struct uw_container *c;
};
int uw_output_limit(struct uw_output *o, const struct uw_limit_note *n);

int uw_output_stats(struct uw_output *o, uint64_t now_ns, const struct uw_counts *c,
		    const struct uw_limiter *lim);

#endif
