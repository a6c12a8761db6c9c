// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The pinned kernel side (pin.h): the directory and its lock, digests, pins, the gap's facts. */
#include "pin.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "clock.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

uint64_t uw_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int on_bpffs(const char *path)
{
	struct statfs s;

	return !statfs(path, &s) && (unsigned long)s.f_type == (unsigned long)BPF_FS_MAGIC;
}

/* path = dir/sub[/name] in buf; -ENAMETOOLONG when it does not fit */
static int path_of(char *buf, size_t len, const char *dir, const char *sub, const char *name)
{
	int n = name ? snprintf(buf, len, "%s/%s/%s", dir, sub, name) : snprintf(buf, len, "%s/%s", dir, sub);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static void sub_name(char *buf, size_t len, const char *what, uint64_t v)
{
	snprintf(buf, len, "%s-%016" PRIx64, what, v);
}

/* ---- the ring buffer's waiting records ---- */

#define RB_BUSY (1u << 31)
#define RB_DISCARD (1u << 30)

uint64_t uw_pin_ring_records(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size;
	const uint64_t *cons_p;
	const char *pd;
	uint64_t cons, prod, n = 0;

	memset(&info, 0, sizeof(info));
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != BPF_MAP_TYPE_RINGBUF)
		return 0;
	size = info.max_entries;
	cons_p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	if (cons_p == MAP_FAILED)
		return 0;
	/* the producer's page, then the data (mapped twice, so a record never wraps) */
	pd = mmap(NULL, page + 2 * size, PROT_READ, MAP_SHARED, fd, (off_t)page);
	if (pd == MAP_FAILED) {
		munmap((void *)cons_p, page);
		return 0;
	}
	cons = __atomic_load_n(cons_p, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n((const uint64_t *)pd, __ATOMIC_ACQUIRE);
	while (cons < prod) {
		uint32_t h = __atomic_load_n((const uint32_t *)(pd + page + (cons & (size - 1))), __ATOMIC_ACQUIRE);

		if (h & RB_BUSY)
			break; /* being written: the reader will see it, as the records after it */
		if (!(h & RB_DISCARD))
			n++;
		cons += ((h & ~(RB_BUSY | RB_DISCARD)) + 8 + 7) & ~7ULL;
	}
	munmap((void *)pd, page + 2 * size);
	munmap((void *)cons_p, page);
	return n;
}

/* ---- the layout digest ---- */

static uint64_t type_digest(const struct btf *btf, __u32 id, uint64_t h, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	__u32 kind, vlen, i;

	if (!t || depth > 12)
		return uw_fnv(h, "?", 1);
	kind = btf_kind(t);
	vlen = btf_vlen(t);
	h = uw_fnv(h, &kind, sizeof(kind));
	switch (kind) {
	case BTF_KIND_INT:
		h = uw_fnv(h, &t->size, sizeof(t->size));
		return uw_fnv(h, (const char *)t + sizeof(*t), 4); /* encoding, offset, bits */
	case BTF_KIND_PTR:
		return h; /* a pointer's target is not part of the layout (kernel addresses) */
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);

		h = uw_fnv(h, &a->nelems, sizeof(a->nelems));
		return type_digest(btf, a->type, h, depth + 1);
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);

		h = uw_fnv(h, &t->size, sizeof(t->size));
		for (i = 0; i < vlen; i++, m++) {
			const char *n = btf__name_by_offset(btf, m->name_off);
			__u32 off = btf_member_bit_offset(t, i);

			h = uw_fnv(h, n ? n : "", n ? strlen(n) + 1 : 1);
			h = uw_fnv(h, &off, sizeof(off));
			h = type_digest(btf, m->type, h, depth + 1);
		}
		return h;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_FWD:
		return uw_fnv(h, &t->size, sizeof(t->size));
	case BTF_KIND_VAR: {
		const char *n = btf__name_by_offset(btf, t->name_off);

		h = uw_fnv(h, n ? n : "", n ? strlen(n) + 1 : 1);
		return type_digest(btf, t->type, h, depth + 1);
	}
	case BTF_KIND_DATASEC: {
		const struct btf_var_secinfo *v = btf_var_secinfos(t);

		for (i = 0; i < vlen; i++, v++) {
			h = uw_fnv(h, &v->offset, sizeof(v->offset));
			h = uw_fnv(h, &v->size, sizeof(v->size));
			h = type_digest(btf, v->type, h, depth + 1);
		}
		return h;
	}
	default: /* typedef, const, volatile, restrict, type tags: what they name */
		return type_digest(btf, t->type, h, depth + 1);
	}
}

/* the records the ring buffer carries (include/uw_event.h) */
static const char *const record_types[] = {
	"uw_hdr", "uw_task_event", "uw_transition_event", "uw_cgroup_event",
};

uint64_t uw_pin_layout(const struct bpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj);
	uint64_t h = uw_fnv(UW_FNV_START, "userns-watch layout 1", 21);
	const struct bpf_map *m;
	size_t i;

	if (!btf)
		return 0;
	bpf_object__for_each_map(m, obj) {
		const char *name;
		__u32 v[5];

		if (!uw_pin_shared(m, &name))
			continue;
		h = uw_fnv(h, name, strlen(name) + 1);
		v[0] = bpf_map__type(m);
		v[1] = bpf_map__key_size(m);
		v[2] = bpf_map__value_size(m);
		/* the ring buffer's size is an option, not its layout */
		v[3] = bpf_map__type(m) == BPF_MAP_TYPE_RINGBUF ? 0 : bpf_map__max_entries(m);
		v[4] = bpf_map__map_flags(m);
		h = uw_fnv(h, v, sizeof(v));
		if (bpf_map__is_internal(m)) {
			int id = btf__find_by_name_kind(btf, ".bss", BTF_KIND_DATASEC);

			h = type_digest(btf, id > 0 ? (__u32)id : 0, h, 0);
		} else {
			h = type_digest(btf, bpf_map__btf_key_type_id(m), h, 0);
			h = type_digest(btf, bpf_map__btf_value_type_id(m), h, 0);
		}
	}
	for (i = 0; i < sizeof(record_types) / sizeof(record_types[0]); i++) {
		int id = btf__find_by_name_kind(btf, record_types[i], BTF_KIND_STRUCT);

		h = uw_fnv(h, record_types[i], strlen(record_types[i]) + 1);
		h = type_digest(btf, id > 0 ? (__u32)id : 0, h, 0);
	}
	return h ? h : 1;
}

/* ---- which maps, and their pins ---- */

static const char *const shared_maps[] = {
	"meta_map", "events_map", "counters_map", "ignore_map", "watched_map",
	"seen_map", "seen_slots", "repeat_map", "pending_map",
};

int uw_pin_shared(const struct bpf_map *m, const char **name)
{
	const char *n = bpf_map__name(m);
	size_t i, l = strlen(n);

	/* .bss: the hooks' globals (held_count beside seen_map, the host's learned pointers);
	 * .rodata is the configuration, made new by every load */
	if (bpf_map__is_internal(m)) {
		*name = "bss";
		return l >= 4 && !strcmp(n + l - 4, ".bss");
	}
	for (i = 0; i < sizeof(shared_maps) / sizeof(shared_maps[0]); i++)
		if (!strcmp(n, shared_maps[i])) {
			*name = shared_maps[i];
			return 1;
		}
	return 0;
}

static int map_path(const struct uw_pin *p, uint64_t layout, const char *name, char *buf, size_t len)
{
	char sub[32];

	if (!strcmp(name, "meta_map"))
		return path_of(buf, len, p->dir, "meta", NULL);
	sub_name(sub, sizeof(sub), "maps", layout);
	return path_of(buf, len, p->dir, sub, name);
}

int uw_pin_reuse_maps(const struct uw_pin *p, struct bpf_object *obj, uint64_t layout)
{
	struct bpf_map *m;
	char path[4200];
	int fd, rc;

	bpf_object__for_each_map(m, obj) {
		const char *name;

		if (!uw_pin_shared(m, &name))
			continue;
		if ((rc = map_path(p, layout, name, path, sizeof(path))))
			return rc;
		fd = bpf_obj_get(path);
		if (fd < 0)
			return -errno;
		rc = bpf_map__reuse_fd(m, fd);
		close(fd);
		if (rc)
			return rc;
	}
	return 0;
}

/* Pins fd as DIR/sub/name (sub made when missing; a pin of that name, no longer used, replaced).
 * 0 or -errno. */
static int pin_in(const struct uw_pin *p, const char *sub, const char *name, int fd)
{
	char path[4200];
	int rc;

	if ((rc = path_of(path, sizeof(path), p->dir, sub, NULL)))
		return rc;
	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	if ((rc = path_of(path, sizeof(path), p->dir, sub, name)))
		return rc;
	unlink(path);
	return bpf_obj_pin(fd, path) ? -errno : 0;
}

int uw_pin_maps(const struct uw_pin *p, struct bpf_object *obj, uint64_t layout)
{
	struct bpf_map *m, *meta = NULL;
	char path[4200], sub[32];
	int rc;

	sub_name(sub, sizeof(sub), "maps", layout);
	bpf_object__for_each_map(m, obj) {
		const char *name;

		if (!uw_pin_shared(m, &name))
			continue;
		if (!strcmp(name, "meta_map"))
			meta = m;
		else if ((rc = pin_in(p, sub, name, bpf_map__fd(m))))
			return rc;
	}
	/* the meta record last: a directory without it is no kernel side */
	if (!meta || (rc = path_of(path, sizeof(path), p->dir, "meta", NULL)))
		return -ENOENT;
	unlink(path);
	return bpf_obj_pin(bpf_map__fd(meta), path) ? -errno : 0;
}

struct bpf_link *uw_pin_open_link(const struct uw_pin *p, uint64_t build, const char *name)
{
	char path[4200], sub[32];

	sub_name(sub, sizeof(sub), "links", build);
	if (path_of(path, sizeof(path), p->dir, sub, name))
		return NULL;
	return bpf_link__open(path);
}

int uw_pin_link(const struct uw_pin *p, uint64_t build, struct bpf_link *l, const char *name)
{
	char sub[32];

	sub_name(sub, sizeof(sub), "links", build);
	/* bpf_link__pin would keep the path in the link; the pin is the directory's, not its */
	return pin_in(p, sub, name, bpf_link__fd(l));
}

/* Removes dir/sub's entries and dir/sub. */
static void remove_sub(int dfd, const char *sub)
{
	int fd = openat(dfd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(fd, e->d_name, 0);
	closedir(d);
	unlinkat(dfd, sub, AT_REMOVEDIR);
}

/* Removes every dir/PREFIX-* but keep's (keep 0: all). */
static void remove_subs(int dfd, const char *prefix, uint64_t keep)
{
	char k[32];
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	char names[64][32];
	int n = 0, i;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	sub_name(k, sizeof(k), prefix, keep);
	rewinddir(d);
	while ((e = readdir(d)) && n < 64)
		if (!strncmp(e->d_name, prefix, strlen(prefix)) && e->d_name[strlen(prefix)] == '-' &&
		    strlen(e->d_name) < sizeof(names[0]) && (!keep || strcmp(e->d_name, k)))
			snprintf(names[n++], sizeof(names[0]), "%s", e->d_name);
	closedir(d);
	for (i = 0; i < n; i++)
		remove_sub(dfd, names[i]);
}

void uw_pin_remove_journals(const struct uw_pin *p, const char *keep)
{
	int fd = dup(p->dir_fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rewinddir(d);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "journal-", 8) && (!keep || strcmp(e->d_name, keep)))
			unlinkat(p->dir_fd, e->d_name, 0);
	closedir(d);
}

void uw_pin_remove_links(const struct uw_pin *p, uint64_t keep)
{
	remove_subs(p->dir_fd, "links", keep);
}

void uw_pin_remove_maps(const struct uw_pin *p, uint64_t keep)
{
	remove_subs(p->dir_fd, "maps", keep);
}

/* ---- the directory ---- */

/* Opens and locks dir (made when missing). 0, 1 (no BPF filesystem, quiet), -1 (err). */
static int open_dir(const char *dir, int quiet, int make, int *out, char *err, size_t errlen)
{
	char parent[4096];
	struct stat st;
	char *slash;
	int fd;

	if (strlen(dir) >= sizeof(parent) || dir[0] != '/') {
		snprintf(err, errlen, "--pin-dir %s: give an absolute path", dir);
		return -1;
	}
	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	/* the default directory on a host where nothing mounted the BPF filesystem yet: mounted
	 * as systemd and bpftool do (quiet > 1: in the host's mount namespace, where the mount
	 * outlives the watch; in a container's it would go with the container, and the pins too) */
	if (quiet > 1 && !strcmp(parent, "/sys/fs/bpf") && !on_bpffs(parent))
		mount("bpf", parent, "bpf", 0, "mode=0700");
	if (!on_bpffs(access(dir, F_OK) ? parent : dir)) {
		if (quiet)
			return 1;
		snprintf(err, errlen,
			 "%s is not on a BPF filesystem (mount one: mount -t bpf bpf /sys/fs/bpf; or "
			 "run with --no-pin)",
			 dir);
		return -1;
	}
	if (make && mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "cannot make the pin directory %s: %s", dir, strerror(errno));
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open the pin directory %s: %s", dir, strerror(errno));
		return -1;
	}
	/* what is pinned there decides what the hooks share: a directory another user or group
	 * could write (a pod given the host's /sys/fs/bpf, planting maps) is not taken */
	if (fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & 022)) {
		snprintf(err, errlen,
			 "the pin directory %s is not this user's alone (owner %u, mode %04o): refused "
			 "(remove it, or give it to root with mode 0700)",
			 dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		snprintf(err, errlen,
			 "another userns-watch uses the pins in %s (one watch per directory: stop it, "
			 "or give this one --pin-dir or --no-pin)",
			 dir);
		close(fd);
		return -1;
	}
	*out = fd;
	return 0;
}

/* The previous watch's losses: its counters now, less what its last heartbeat saw. */
static void measure_losses(struct uw_pin *p, int counters_fd)
{
	int ncpus = libbpf_num_possible_cpus(), c;
	uint32_t k = UW_C_LOST;
	uint64_t *v;

	if (counters_fd < 0 || ncpus <= 0 || !(v = calloc((size_t)ncpus, sizeof(*v))))
		return;
	if (!bpf_map_lookup_elem(counters_fd, &k, v)) {
		uint64_t total = 0;

		for (c = 0; c < ncpus; c++)
			total += v[c];
		p->gap.lost = total > p->old.lost ? total - p->old.lost : 0;
		p->gap.ncpu = (unsigned)ncpus < UW_PIN_CPUS ? (unsigned)ncpus : UW_PIN_CPUS;
		for (c = 0; c < (int)p->gap.ncpu; c++) {
			uint64_t base = (unsigned)c < p->old.ncpu ? p->old.lost_cpu[c] : 0;

			p->gap.lost_cpu[c] = v[c] > base ? v[c] - base : 0;
		}
	}
	free(v);
}

int uw_pin_open(struct uw_pin *p, const char *dir, int quiet, char *err, size_t errlen)
{
	char path[4200];
	struct bpf_map_info info;
	__u32 len = sizeof(info), zero = 0;
	int rc, fd;

	memset(p, 0, sizeof(*p));
	p->dir_fd = -1;
	p->mode = "off";
	snprintf(p->dir, sizeof(p->dir), "%s", dir);
	rc = open_dir(dir, quiet, 1, &p->dir_fd, err, errlen);
	if (rc)
		return rc;
	p->gap.started_real_ns = uw_now_real_ns();
	if (path_of(path, sizeof(path), dir, "meta", NULL) || (fd = bpf_obj_get(path)) < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	p->gap.have = 1;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.value_size == sizeof(p->old) &&
	    !bpf_map_lookup_elem(fd, &zero, &p->old) && p->old.magic == UW_PIN_MAGIC)
		p->have_old = 1;
	else
		memset(&p->old, 0, sizeof(p->old)); /* another version's: replaced whole */
	close(fd);
	p->gap.prev = p->old;
	if (!p->have_old)
		return 0;
	/* what it recorded while no watch ran, and what it lost */
	if (!map_path(p, p->old.layout, "events_map", path, sizeof(path)) && (fd = bpf_obj_get(path)) >= 0) {
		p->gap.kept = uw_pin_ring_records(fd);
		close(fd);
	}
	if (!map_path(p, p->old.layout, "counters_map", path, sizeof(path)) && (fd = bpf_obj_get(path)) >= 0) {
		measure_losses(p, fd);
		close(fd);
	}
	return 0;
}

void uw_pin_close(struct uw_pin *p)
{
	if (p->dir_fd >= 0)
		close(p->dir_fd); /* the lock with it */
	p->dir_fd = -1;
}

int uw_pin_unpin(const char *dir, char *said, size_t saidlen, char *err, size_t errlen)
{
	struct uw_pin p;
	int rc;

	memset(&p, 0, sizeof(p));
	snprintf(p.dir, sizeof(p.dir), "%s", dir);
	if (access(dir, F_OK)) {
		snprintf(said, saidlen, "nothing pinned in %s", dir);
		return 0;
	}
	rc = open_dir(dir, 0, 0, &p.dir_fd, err, errlen);
	if (rc)
		return -1;
	/* the links first: the hooks detach before their maps go */
	uw_pin_remove_links(&p, 0);
	unlinkat(p.dir_fd, "meta", 0);
	uw_pin_remove_journals(&p, NULL);
	uw_pin_remove_maps(&p, 0);
	if (rmdir(dir)) {
		snprintf(err, errlen, "%s: %s (what is left there is not userns-watch's)", dir, strerror(errno));
		close(p.dir_fd);
		return -1;
	}
	close(p.dir_fd);
	snprintf(said, saidlen, "removed the pinned kernel side in %s: its hooks are detached", dir);
	return 0;
}
