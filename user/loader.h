/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Loading and attaching the BPF programs; the snapshot iterator; kernel counters. */
#ifndef UW_LOADER_H
#define UW_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include "feedback.h"
#include "hooks.h"
#include "pin.h"
#include "uw_event.h"

struct userns_watch_bpf;

struct uw_bpf {
	struct userns_watch_bpf *skel;
	const char *hooks;            /* exec/fork/exit: "tp_btf", "raw_tp", or "none" (snapshot only) */
	const char *transition_hooks; /* setns/unshare: "fentry", "tracepoint" or "none" */
	/* the 32-bit system call table's setns/unshare: "fentry" where the kernel takes fentry
	 * programs on its entry points (include/uw_arch.h), else "late" (only the exec/fork/exit backstop
	 * sees them) */
	const char *compat_hooks;
	const char *ptrace_hooks;     /* ptrace, process_vm_writev: "tracepoint" or "none" */
	int host_learned;             /* the host's nsproxy and root directory were found */
	void *ring_pos;               /* uw_bpf_ring_map: the ring buffer's position pages, */
	size_t ring_page;             /* the page size, */
	uint64_t ring_size;           /* and the ring's size in bytes */
	uint64_t build;               /* this object's build digest (which programs these are) */
	uint64_t live;                /* this load's own ID (rodata build_id): its hooks run while
				       * the meta record's active names it */
	struct uw_pin_meta *meta;     /* the meta record, mapped (pinned or the watch's own) */
	struct uw_pin pin;            /* the pins: pin.mode says what the start did with them */
	int journal_fd;               /* the pinned journal of setns sequences being merged, or -1 */
};


struct uw_load_opts {
	const struct uw_ns *host;
	enum uw_cg1 cg1;
	enum uw_hooks hooks;
	unsigned ringbuf_bytes;
	int transitions;      /* the setns/unshare tracepoints may be tried (tracefs is mounted);
			       * fentry/fexit are always tried first */
	int host_transitions; /* report transitions outside containers too */
	int host_ref_pid;     /* the PID host namespaces were read from (its nsproxy is the host's) */
	const char *pin_dir;  /* pin the kernel side there (NULL: --no-pin, --once) */
	int pin_quiet;        /* pin_dir is the default: without a BPF filesystem, run unpinned;
			       * 2: in the host's mount namespace, mount one at /sys/fs/bpf first */
};

/*
 * Opens, configures and loads the programs, and attaches the live hooks unless hooks is NONE
 * (snapshot only, for --once). With AUTO, the tp_btf programs where the kernel loads and
 * attaches them, else their raw_tp twins. Returns 0, or -errno with a sentence in err.
 */
int uw_bpf_start(struct uw_bpf *b, const struct uw_load_opts *o, char *err, size_t errlen);
void uw_bpf_destroy(struct uw_bpf *b);

/* The SHA-256 of the BPF object built into this program (64 hex digits: sha256sum of the
 * userns_watch.bpf.o its skeleton was made from), for --version. */
const char *uw_bpf_object_sha256(void);

/* Calls fn for every setns sequence the previous watch was merging when it stopped (its
 * journal), to be merged on and judged by this one. Returns how many there were. */
struct uw_setns_seq;
unsigned uw_bpf_journal_each(struct uw_bpf *b, int (*fn)(void *ctx, const struct uw_setns_seq *q), void *ctx);

/* The watch's heartbeat in the meta record (its time, the kernel's losses so far), which the
 * next watch's gap record reports; stopped: the watch ends cleanly. */
void uw_bpf_heartbeat(struct uw_bpf *b, uint64_t now_real_ns, int stopped);
int uw_bpf_events_fd(const struct uw_bpf *b);

/* Runs the task iterator and calls fn for every record. Returns 0 or -errno. */
int uw_bpf_snapshot(struct uw_bpf *b, int (*fn)(void *ctx, const void *rec, size_t size),
		    void *ctx);

/* Sums the per-CPU counters; sent_per_cpu and lost_per_cpu (ncpu entries each) may be NULL. */
int uw_bpf_counters(const struct uw_bpf *b, uint64_t totals[UW_C_MAX], uint64_t *sent_per_cpu,
		    uint64_t *lost_per_cpu, unsigned ncpu);

/* The live hooks attached: returns how many there are, and in *attached how many the kernel
 * still shows attached (a link whose program is gone counts as detached). */
unsigned uw_bpf_links(const struct uw_bpf *b, unsigned *attached);

/* The ring buffer's positions, mapped read-only (its first two pages): 0 or -errno. */
int uw_bpf_ring_map(struct uw_bpf *b);
/* Bytes the kernel has written and userspace not yet read, and the ring's size (both 0 before
 * uw_bpf_ring_map). */
uint64_t uw_bpf_ring_used(const struct uw_bpf *b, uint64_t *size);
/*
 * Makes every program new to the kernel's repeat cache: the next exec or fork of each is sent
 * again (after a policy reload, whose verdicts may differ from those the cache stands for).
 */
void uw_bpf_forget_repeats(struct uw_bpf *b);
/* Tells the kernel to drop candidates with this cgroup pair and namespaces. */
int uw_bpf_ignore(const struct uw_bpf *b, const struct uw_ignore_key *key);
/* Adds a task record's repeat-cache key: the kernel decides the same facts without a record. */
int uw_bpf_repeat(const struct uw_bpf *b, const struct uw_repeat_key *key);

/* Asks the kernel to report the removal of this cgroup (UW_T_CGROUP_GONE). */
int uw_bpf_watch_cgroup(const struct uw_bpf *b, uint64_t id, uint32_t hierarchy_id);

/* What the pipeline tells the kernel (feedback.h), bound to b (which may be loaded later);
 * watch 0: no cgroup is watched for its removal (--once). */
struct uw_feedback uw_bpf_feedback(struct uw_bpf *b, int watch);

#endif
