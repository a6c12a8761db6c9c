/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event pipeline: a task record from the kernel -> cgroup path -> container -> verdict ->
 * flood control -> output. Also tells the kernel which cgroups are no container.
 */
#ifndef UW_REPORT_H
#define UW_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "cgroup.h"
#include "cli.h"
#include "limiter.h"
#include "nsmemo.h"
#include "output.h"
#include "policy.h"
#include "setns.h"
#include "setup.h"
#include "table.h"
#include "uw_event.h"

#define UW_CGCACHE_MAX 16384
#define UW_METACACHE_MAX 4096
#define UW_OWNERCACHE_MAX 4096
#define UW_OWNER_TTL_NS 1000000000ULL /* namespace inodes are reused: owner answers live 1 s */
#define UW_PIDMEMO_MAX 16384
#define UW_SETUP_MAX_CONTAINERS 4096
#define UW_DEFAULT_REPORT_INTERVAL_NS (60ULL * 1000000000ULL)
#define UW_CLOCK_REFRESH_NS 1000000000ULL

struct uw_exe_later;

struct uw_report {
	const char *procfs;
	const char *host_root;   /* NULL: no runtime metadata */
	int host_transitions;    /* write transitions that touch no container too */
	struct uw_ns host;
	struct uw_cgroups *cg;
	struct uw_table cgcache; /* key: (hierarchy, cgroup id) -> struct uw_cginfo */
	struct uw_table metacache; /* key: runtime NUL id -> struct uw_meta */
	struct uw_table ownercache; /* key: (ns type, inode) -> struct uw_owner, both answers */
	struct uw_nsmemo nsmemo;   /* mount namespace <-> container, learned from its processes */
	struct uw_table pidmemo;   /* key: pid -> struct uw_pidmemo: the verdict on its last task
				    * record, and the mount namespace it had then */
	uint64_t owner_scans;      /* /proc scans made to find a namespace's container */
	struct uw_limiter lim;
	struct uw_output *out;
	/* called for a (cgroup, namespaces) pair found to be no container: the kernel drops its
	 * events; returns 0 or -errno (counted) */
	int (*ignore)(void *ctx, const struct uw_ignore_key *key);
	void *kernel_ctx;        /* passed to ignore, watch and repeat (the loaded BPF object) */
	/* called for each cgroup resolved and cached, so the kernel reports its removal */
	int (*watch)(void *ctx, uint64_t cgroup_id, uint32_t hierarchy_id);
	/* called with the repeat-cache key a task record carries (UW_F_REPEAT_KEY), when it
	 * arrives: the kernel decides later execs and forks with the same facts without a record;
	 * returns 0 or -errno (counted) */
	int (*repeat)(void *ctx, const struct uw_repeat_key *key);
	int64_t boot_to_real_ns; /* add to CLOCK_BOOTTIME ns to get the wall clock; measured again
				  * every UW_CLOCK_REFRESH_NS (the wall clock may be stepped) */
	uint64_t (*clock_real)(void); /* CLOCK_REALTIME and CLOCK_BOOTTIME ns (tests inject theirs) */
	uint64_t (*clock_boot)(void);
	uint64_t next_clock_ns;   /* CLOCK_BOOTTIME of the next measurement */
	struct uw_counts counts;
	int write_errno;         /* set when the output could not be written */
	char hier1[32];          /* "v1:<controller>", the label of the v1 hierarchy */
	uint64_t report_interval_ns; /* period of alert_limit "ongoing" records; 0: none */
	uint64_t next_report_ns; /* CLOCK_BOOTTIME */
	struct uw_setns_table setns; /* setns calls being merged, per process */
	struct uw_setup setup;   /* new containers' setup phases (hold_ns 0: not held) */
	struct uw_policy *policy; /* allow rules (--policy), or NULL */
	int report_allowed;      /* write allowed alerts too, at severity info */
	uint32_t self_pid;       /* userns-watch's own PID in the host's procfs; 0: not known */
	int self_written;        /* the "self" record has been written */
	struct uw_exe_later *exe_later; /* the task record being handled: how to name its
					 * executable, once an alert needs the name */
};

int uw_report_init(struct uw_report *r, const char *procfs, const struct uw_ns *host,
		   struct uw_cgroups *cg, struct uw_output *out, unsigned max_alerts);
void uw_report_free(struct uw_report *r);
/* Learns userns-watch's own PID as the host's procfs shows it (procfs/self): records about
 * that process are never alerts. Returns the PID, or 0 when procfs does not show it. */
uint32_t uw_report_find_self(struct uw_report *r);
/* Writes the "self" record unless one was written already (when the snapshot met userns-watch
 * in a container): here userns-watch runs outside any container (runtime "host"). Returns 0,
 * or -EIO when the output could not be written. */
int uw_report_self(struct uw_report *r);
/* The runtime's metadata of container c (cached), or NULL when it has no ID. */
const struct uw_meta *uw_report_meta(struct uw_report *r, const struct uw_container *c);
/* Handles one raw record (size bytes). Returns 0, or -EIO when the output could not be
 * written (write_errno says why). */
int uw_report_record(struct uw_report *r, const void *data, size_t size);
/*
 * Judges the merged setns calls of processes that have settled: older than
 * UW_SETNS_SETTLE_NS at now_boot_ns (CLOCK_BOOTTIME), or all of them with now_boot_ns 0
 * (at exit). Returns 0 or -EIO as uw_report_record.
 */
int uw_report_flush(struct uw_report *r, uint64_t now_boot_ns);
/*
 * The periodic work of the live loop: uw_report_flush; every UW_CLOCK_REFRESH_NS the offset
 * from the boot clock to the wall clock is measured again (an NTP step moves every later
 * timestamp with it); every report_interval_ns an alert_limit record ("ongoing") per container
 * and budget whose suppressed count grew.
 */
int uw_report_tick(struct uw_report *r, uint64_t now_boot_ns);
uint64_t uw_now_boot_ns(void);

/* CLOCK_BOOTTIME -> wall clock offset, measured now. */
int64_t uw_boot_to_real_ns(void);
uint64_t uw_now_real_ns(void);

#endif
