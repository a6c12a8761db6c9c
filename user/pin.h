/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel side that outlives the process: maps, links and the meta record pinned in a BPF
 * filesystem directory, so that the hooks go on deciding and recording while no watch runs, and
 * the next watch adopts them, or replaces them without a window, and says what happened
 * meanwhile (the gap). The directory:
 *   DIR/meta                 the meta record (struct uw_pin_meta): which build's hooks run
 *   DIR/maps-LAYOUT/NAME     the shared maps (state, counters, ring buffer), by layout digest
 *   DIR/links-BUILD/PROGRAM  the hooks' links, by build digest
 * The directory is locked (flock) while a watch uses it: one watch per directory.
 */
#ifndef UW_PIN_H
#define UW_PIN_H

#include <stddef.h>
#include <stdint.h>

#include "uw_event.h"

struct bpf_object;
struct bpf_map;

#define UW_PIN_DIR_DEFAULT "/sys/fs/bpf/userns-watch"

/* What a start found of the previous watch and its kernel side: the gap record's facts. */
struct uw_pin_gap {
	int have;                  /* the previous kernel side was found (a record is due) */
	const char *how;           /* "adopted", "replaced", "replaced_layout" */
	struct uw_pin_meta prev;   /* its meta record as found (the previous watch's heartbeat) */
	uint64_t started_real_ns;  /* this watch's start */
	uint64_t kept;             /* records the ring buffer held at the start, read by this watch */
	uint64_t unread;           /* records of another layout, which this build cannot read: lost */
	uint64_t lost;             /* records the kernel dropped since the last heartbeat */
	unsigned ncpu;
	uint64_t lost_cpu[UW_PIN_CPUS];
};

struct uw_pin {
	int dir_fd;                /* the pin directory, locked; -1: nothing is pinned (--no-pin) */
	char dir[4096];
	int have_old;              /* a meta record of this layout version was found */
	struct uw_pin_meta old;    /* ... its copy */
	uint64_t layout;           /* this object's layout digest (uw_pin_layout) */
	const char *mode;          /* "off", "new", "adopted", "replaced", "replaced_layout" */
	struct uw_pin_gap gap;
};

/*
 * Opens (makes) and locks dir, which must be on a BPF filesystem, and reads what a previous
 * watch left there (meta, its ring buffer's records, its counters' losses since its heartbeat).
 * Returns 0; 1 when dir's parent is no BPF filesystem and quiet is set (the default directory:
 * the caller runs unpinned, and says so); -1 with a sentence in err. quiet 2: the caller runs in
 * the host's mount namespace, and /sys/fs/bpf may be mounted when nothing is there yet.
 */
int uw_pin_open(struct uw_pin *p, const char *dir, int quiet, char *err, size_t errlen);
void uw_pin_close(struct uw_pin *p);

/* Digest of what the pins share between builds: the shared maps' definitions and types, and
 * the records' layouts, from obj's BTF (after open). */
uint64_t uw_pin_layout(const struct bpf_object *obj);
/* 64-bit FNV-1a of n bytes, continued from h (start: UW_FNV_START). */
#define UW_FNV_START 0xcbf29ce484222325ULL
uint64_t uw_fnv(uint64_t h, const void *p, size_t n);

/* Is this map one the pins share (state, counters, ring buffer, meta)? Its pin name in *name. */
int uw_pin_shared(const struct bpf_map *m, const char **name);

/* Makes obj's shared maps the ones pinned under maps-LAYOUT (before load). 0 or -errno. */
int uw_pin_reuse_maps(const struct uw_pin *p, struct bpf_object *obj, uint64_t layout);
/* Pins obj's shared maps under maps-LAYOUT and its meta map as DIR/meta (after load, the
 * meta last: a directory without it is no kernel side). 0 or -errno. */
int uw_pin_maps(const struct uw_pin *p, struct bpf_object *obj, uint64_t layout);
/* The pinned link of program name for build, opened (NULL: none). */
struct bpf_link *uw_pin_open_link(const struct uw_pin *p, uint64_t build, const char *name);
/* Pins a link under links-BUILD/name. 0 or -errno. */
int uw_pin_link(const struct uw_pin *p, uint64_t build, struct bpf_link *l, const char *name);
/* Removes every links-* directory but keep's (keep 0: all): their hooks detach. */
void uw_pin_remove_links(const struct uw_pin *p, uint64_t keep);
/* Removes every maps-* directory but keep's. */
void uw_pin_remove_maps(const struct uw_pin *p, uint64_t keep);

/* Removes every journal-* file but keep (NULL: all). */
void uw_pin_remove_journals(const struct uw_pin *p, const char *keep);

/* The ring buffer map fd's records waiting to be read (discarded ones not counted). */
uint64_t uw_pin_ring_records(int ring_fd);

/*
 * --unpin: removes everything under dir and dir itself (the hooks detach, the maps go) unless a
 * watch holds it. Returns 0 (said on out), or -1 with a sentence in err.
 */
int uw_pin_unpin(const char *dir, char *said, size_t saidlen, char *err, size_t errlen);

#endif
