// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "loader.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "clock.h"
#include "setns.h"
#include "uw_arch.h"
#include "userns_watch.skel.h"
#include "userns_watch.digest.h" /* generated beside the skeleton, from the same object */

/* Entry points of setns/unshare: fentry/fexit where the kernel takes them, else tracepoints. */
enum trset { TR_NONE, TR_FENTRY, TR_TRACEPOINT };

static const char *trset_name(enum trset t)
{
	return t == TR_FENTRY ? "fentry" : t == TR_TRACEPOINT ? "tracepoint" : "none";
}

/*
 * What uw_bpf_start asks of the running kernel's BTF, answered once from one parse (a parse
 * takes milliseconds natively and seconds under emulation, and each name is a scan of every
 * type; libbpf parses it once more to load):
 *  - setns_id: the setns entry point's BTF id, to attach fentry to (0: none);
 *  - compat: x86's 32-bit setns and unshare entry points, which exist only with
 *    CONFIG_IA32_EMULATION (on arm64 compat tasks call the 64-bit entry points, so the same
 *    programs see them: include/uw_arch.h);
 *  - rdonly_cast: the bpf_rdonly_cast kfunc (bpf/uw_maps.h, uw_untrusted);
 *  - hostpower: tracefs shows the ptrace and process_vm_writev syscall tracepoints (not BTF:
 *    tracefs, which main.c has mounted by then);
 *  - hostpower_fexit: security_ptrace_access_check and proc_mem_open, where the kernel decides
 *    those routes whatever the call (bpf/uw_syscall.h); with fentry they replace the tracepoints.
 */
static struct {
	int setns_id;
	bool compat, rdonly_cast, hostpower, hostpower_fexit;
} kernel;

/* The BTF id of a function of the kernel, or 0 when it has none of that name. */
static int func_id(const struct btf *btf, const char *name)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);

	return id > 0 ? id : 0;
}

/* Fills kernel; without BTF every answer is no. */
static void learn_kernel(void)
{
	struct btf *btf = btf__load_vmlinux_btf();

	memset(&kernel, 0, sizeof(kernel));
	if (!btf)
		return;
	kernel.setns_id = func_id(btf, UW_SYS(setns));
	kernel.compat = func_id(btf, UW_SYS32(setns)) && func_id(btf, UW_SYS32(unshare));
	kernel.hostpower = access("/sys/kernel/tracing/events/syscalls/sys_enter_ptrace/id", F_OK) == 0 &&
			   access("/sys/kernel/tracing/events/syscalls/sys_enter_process_vm_writev/id", F_OK) == 0;
	kernel.rdonly_cast = func_id(btf, "bpf_rdonly_cast") > 0;
	kernel.hostpower_fexit = func_id(btf, "security_ptrace_access_check") && func_id(btf, "proc_mem_open");
	btf__free(btf);
}

static void set_autoload(struct userns_watch_bpf *s, enum uw_hooks h, enum trset tr)
{
	bool btf = h == UW_HOOKS_TP_BTF, raw = h == UW_HOOKS_RAW_TP;
	bool tp = tr == TR_TRACEPOINT && h != UW_HOOKS_NONE, fe = tr == TR_FENTRY && h != UW_HOOKS_NONE;
	/* routes to host power: with fentry, where the kernel grants them (any call, any ABI);
	 * else the ptrace and process_vm_writev syscall tracepoints, where tracefs shows them
	 * (main.c mounts it first) */
	bool hpf = fe && kernel.hostpower_fexit;
	bool hp = h != UW_HOOKS_NONE && kernel.hostpower && !hpf;
#if UW_HAVE_SYS32
	bool fe32 = fe && kernel.compat;
#endif

	bpf_program__set_autoload(s->progs.enter_setns, tp);
	bpf_program__set_autoload(s->progs.exit_setns, tp);
	bpf_program__set_autoload(s->progs.enter_unshare, tp);
	bpf_program__set_autoload(s->progs.exit_unshare, tp);
	bpf_program__set_autoload(s->progs.fentry_setns, fe);
	bpf_program__set_autoload(s->progs.fexit_setns, fe);
	bpf_program__set_autoload(s->progs.fentry_unshare, fe);
	bpf_program__set_autoload(s->progs.fexit_unshare, fe);
	bpf_program__set_autoload(s->progs.enter_ptrace, hp);
	bpf_program__set_autoload(s->progs.exit_ptrace, hp);
	bpf_program__set_autoload(s->progs.enter_vmwrite, hp);
	bpf_program__set_autoload(s->progs.exit_vmwrite, hp);
	bpf_program__set_autoload(s->progs.fexit_ptrace_access, hpf);
	bpf_program__set_autoload(s->progs.fexit_proc_mem, hpf);
#if UW_HAVE_SYS32
	bpf_program__set_autoload(s->progs.fentry_setns32, fe32);
	bpf_program__set_autoload(s->progs.fexit_setns32, fe32);
	bpf_program__set_autoload(s->progs.fentry_unshare32, fe32);
	bpf_program__set_autoload(s->progs.fexit_unshare32, fe32);
#endif
	bpf_program__set_autoload(s->progs.exec_btf, btf);
	bpf_program__set_autoload(s->progs.fork_btf, btf);
	bpf_program__set_autoload(s->progs.exit_btf, btf);
	bpf_program__set_autoload(s->progs.rmdir_btf, btf);
	bpf_program__set_autoload(s->progs.exec_raw, raw);
	bpf_program__set_autoload(s->progs.fork_raw, raw);
	bpf_program__set_autoload(s->progs.exit_raw, raw);
	bpf_program__set_autoload(s->progs.rmdir_raw, raw);
}

const char *uw_bpf_object_sha256(void)
{
	return UW_BPF_OBJECT_SHA256;
}

/*
 * The build digest: the BPF object's bytes and everything that makes its programs what they are
 * once loaded (the configuration in .rodata, the hook set and entry points, what the kernel
 * offered). Equal digests mean the pinned programs are the ones this watch would load.
 */
static uint64_t build_digest(const struct uw_load_opts *o, enum uw_hooks h, enum trset tr)
{
	struct {
		struct uw_ns host;
		uint32_t cg1, host_transitions, host_ref_pid, h, tr;
		uint8_t rdonly_cast, hostpower, hostpower_fexit, compat;
	} c;
	size_t n;
	const void *elf = userns_watch_bpf__elf_bytes(&n);
	uint64_t d;

	memset(&c, 0, sizeof(c));
	c.host = *o->host;
	c.cg1 = o->cg1;
	c.host_transitions = o->host_transitions ? 1 : 0;
	c.host_ref_pid = (uint32_t)o->host_ref_pid;
	c.h = h;
	c.tr = tr;
	c.rdonly_cast = kernel.rdonly_cast;
	c.hostpower = kernel.hostpower;
	c.hostpower_fexit = kernel.hostpower_fexit;
	c.compat = kernel.compat;
	d = uw_fnv(uw_fnv(UW_FNV_START, elf, n), &c, sizeof(c));
	return d ? d : 1; /* 0 is "no build" in the meta record */
}

/*
 * This load's ID: the build digest mixed with 64 random bits, so that the meta record's active
 * names one loaded copy of the programs, never two (the same build loaded beside its pinned
 * self, after an adoption that failed, waits for its switch like any other).
 */
static uint64_t live_id(uint64_t build)
{
	uint64_t r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = uw_now_boot_ns() ^ ((uint64_t)getpid() << 32);
	r ^= build;
	return r ? r : 1;
}

/* Maps the meta record read-write; for a meta of the watch's own (not a pinned one found), fills
 * it and makes this build the running one (before the hooks attach). 0 or -errno. */
static int map_meta(struct uw_bpf *b, int own, enum uw_hooks h, enum trset tr)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (sizeof(struct uw_pin_meta) + page - 1) / page * page;
	struct uw_pin_meta *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
				     bpf_map__fd(b->skel->maps.meta_map), 0);

	if (m == MAP_FAILED)
		return -errno;
	b->meta = m;
	if (own) {
		m->magic = UW_PIN_MAGIC;
		m->layout = b->pin.layout;
		m->build = b->build;
		m->hooks = h;
		m->trset = tr;
		m->pid = (uint32_t)getpid();
		m->started_real_ns = b->pin.gap.started_real_ns;
		__atomic_store_n(&m->active, b->live, __ATOMIC_RELEASE);
	}
	return 0;
}

/* Do the pins found hold state this object can share (the same layout)? */
static int pins_shared(const struct uw_bpf *b)
{
	return b->pin.dir_fd >= 0 && b->pin.have_old && b->pin.old.layout == b->pin.layout;
}

/* The names the stats record gives the hook set h, tr. */
static void name_hooks(struct uw_bpf *b, enum uw_hooks h, enum trset tr)
{
	b->hooks = uw_hooks_name(h);
	b->transition_hooks = trset_name(h == UW_HOOKS_NONE ? TR_NONE : tr);
	b->ptrace_hooks = h == UW_HOOKS_NONE ? "none"
			  : tr == TR_FENTRY && kernel.hostpower_fexit ? "fexit"
			  : kernel.hostpower ? "tracepoint" : "none";
	b->compat_hooks = h == UW_HOOKS_NONE ? "none"
			  : tr == TR_FENTRY && kernel.compat ? "fentry" : "late";
}

/* The configuration an opened object is loaded with (.rodata, the hook set), for load live. */
static void configure(struct userns_watch_bpf *s, const struct uw_load_opts *o, enum uw_hooks h,
		      enum trset tr, uint64_t live)
{
	s->rodata->host_ns = *o->host;
	s->rodata->cg1_subsys = o->cg1;
	s->rodata->host_transitions = o->host_transitions ? 1 : 0;
	s->rodata->host_ref_pid = o->host_ref_pid;
	s->rodata->have_rdonly_cast = kernel.rdonly_cast;
	s->rodata->build_id = live;
	set_autoload(s, h, tr);
}

static void unload(struct uw_bpf *b);

static int try_load(struct uw_bpf *b, const struct uw_load_opts *o, enum uw_hooks h, enum trset tr)
{
	struct userns_watch_bpf *s = userns_watch_bpf__open();
	int err;

	if (!s)
		return -errno;
	b->build = build_digest(o, h, tr);
	b->live = live_id(b->build);
	configure(s, o, h, tr, b->live);
	/* the ring buffer is unused without live hooks (--once) */
	bpf_map__set_max_entries(s->maps.events_map, h == UW_HOOKS_NONE ? 4096 : o->ringbuf_bytes);
	b->pin.layout = uw_pin_layout(s->obj);
	/* the state the pinned hooks kept, shared with the new ones (attached beside them, they
	 * wait until the switch in pin_commit) */
	err = pins_shared(b) ? uw_pin_reuse_maps(&b->pin, s->obj, b->pin.layout) : 0;
	if (!err)
		err = userns_watch_bpf__load(s);
	if (err) {
		userns_watch_bpf__destroy(s);
		return err;
	}
	b->skel = s;
	err = map_meta(b, !pins_shared(b), h, tr);
	if (err) {
		userns_watch_bpf__destroy(s);
		b->skel = NULL;
		return err;
	}
	name_hooks(b, h, tr);
	return 0;
}

/* Runs an iterator program to its end (learn_host writes nothing). Returns 0 or -errno. */
static int run_iter(struct bpf_program *prog)
{
	struct bpf_link *link = bpf_program__attach_iter(prog, NULL);
	char buf[64];
	ssize_t n;
	int fd, rc = 0;

	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
	}
	close(fd);
out:
	bpf_link__destroy(link);
	return rc;
}

/* The host reference process's nsproxy and root directory, before any hook runs. */
static int learn_host(struct uw_bpf *b)
{
	int rc = run_iter(b->skel->progs.learn_host);

	b->host_learned = !rc && b->skel->bss->host_nsproxy && b->skel->bss->host_root;
	return rc;
}

static void explain(int err, char *buf, size_t len)
{
	if (err == -EPERM || err == -EACCES)
		snprintf(buf, len,
			 "the kernel refused to load the BPF programs (%s): run as root, and check "
			 "kernel.unprivileged_bpf_disabled, lockdown and any LSM policy on bpf()",
			 strerror(-err));
	else
		snprintf(buf, len,
			 "loading the BPF programs failed (%s); run with -v for the verifier's and "
			 "libbpf's messages",
			 strerror(-err));
}

/* Loads one hook set and, for live hooks, attaches it. */
static int try_set(struct uw_bpf *b, const struct uw_load_opts *o, enum uw_hooks h, enum trset tr,
		   int *attach_failed)
{
	int rc = try_load(b, o, h, tr);

	*attach_failed = 0;
	if (rc)
		return rc;
	rc = learn_host(b);
	if (rc) {
		unload(b);
		return rc;
	}
	if (h == UW_HOOKS_NONE)
		return 0;
	rc = userns_watch_bpf__attach(b->skel);
	if (rc) {
		*attach_failed = 1;
		unload(b);
	}
	return rc;
}

/*
 * Does this kernel take (load and attach) fentry programs on the setns entry point? A
 * two-instruction program answers in about a millisecond; loading the whole object to find out costs a full
 * verification (this machine's kernel refuses fentry with EPERM).
 */
static int fentry_works(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int fd, link;

	if (!kernel.setns_id)
		return 0;
	opts.attach_btf_id = (__u32)kernel.setns_id;
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "uw_probe", "GPL", insns, 2, &opts);
	if (fd < 0)
		return 0;
	/* and attaches it: arm64 kernels before 6.4 load fentry programs but have no ftrace
	 * direct calls to attach them with */
	link = bpf_raw_tracepoint_open(NULL, fd);
	close(fd);
	if (link < 0)
		return 0;
	close(link);
	return 1;
}

/* One exec/fork/exit hook set with the best setns/unshare entry points that load and attach. */
static int try_hooks(struct uw_bpf *b, const struct uw_load_opts *o, enum uw_hooks h,
		     int *attach_failed)
{
	int rc;

	if (h == UW_HOOKS_NONE)
		return try_set(b, o, h, TR_NONE, attach_failed);
	rc = fentry_works() ? try_set(b, o, h, TR_FENTRY, attach_failed) : -EOPNOTSUPP;
	if (rc && o->transitions)
		rc = try_set(b, o, h, TR_TRACEPOINT, attach_failed);
	if (rc)
		rc = try_set(b, o, h, TR_NONE, attach_failed);
	return rc;
}

/* Empties a hash map the kernel side keeps for userspace (0 or -errno). */
static int map_clear(const struct bpf_map *m)
{
	char next[64];
	int fd = bpf_map__fd(m);

	if (bpf_map__key_size(m) > sizeof(next))
		return -E2BIG;
	while (!bpf_map_get_next_key(fd, NULL, next))
		if (bpf_map_delete_elem(fd, next) && errno != ENOENT)
			return -errno;
	return 0;
}

/*
 * What a kept kernel side knows that stands for the previous watch's decisions, not the
 * kernel's facts, is made new: the repeat cache (verdicts under its policy: every program is
 * new to this watch), and after another build, the pairs it found to be no container's and the
 * cgroups it cached (another build may tell them apart differently). Provenance, the counters
 * and the records kept stay.
 */
static void forget_decisions(struct uw_bpf *b, int other_build)
{
	uw_bpf_forget_repeats(b);
	if (other_build) {
		map_clear(b->skel->maps.ignore_map);
		map_clear(b->skel->maps.watched_map);
	}
}

/*
 * Adopts the pinned kernel side when its programs are the ones this watch would load (the same
 * build digest for the hook set they were attached with): nothing is loaded or attached but the
 * snapshot's iterators, every map is the pinned one, every hook is the pinned link. Returns 0,
 * or non-zero when it cannot (the caller replaces the kernel side instead).
 */
static int try_adopt(struct uw_bpf *b, const struct uw_load_opts *o)
{
	const struct uw_pin_meta *old = &b->pin.old;
	enum uw_hooks h = (enum uw_hooks)old->hooks;
	enum trset tr = (enum trset)old->trset;
	struct userns_watch_bpf *s;
	struct bpf_program *prog;
	int i, rc;

	if (!b->pin.have_old || (h != UW_HOOKS_TP_BTF && h != UW_HOOKS_RAW_TP) || tr > TR_TRACEPOINT ||
	    (o->hooks != UW_HOOKS_AUTO && o->hooks != h) || build_digest(o, h, tr) != old->build ||
	    !old->active)
		return -1;
	if (!(s = userns_watch_bpf__open()))
		return -1;
	b->build = old->build;
	b->live = old->active;
	configure(s, o, h, tr, b->live);
	b->pin.layout = uw_pin_layout(s->obj);
	if (b->pin.layout != old->layout || uw_pin_reuse_maps(&b->pin, s->obj, old->layout)) {
		userns_watch_bpf__destroy(s);
		return -1;
	}
	/* the hooks: the pinned links of every program this hook set loads; only the iterators
	 * are loaded */
	for (i = 0; i < s->skeleton->prog_cnt; i++) {
		prog = *s->skeleton->progs[i].prog;
		if (!bpf_program__autoload(prog) || (bpf_program__type(prog) == BPF_PROG_TYPE_TRACING &&
						     bpf_program__expected_attach_type(prog) == BPF_TRACE_ITER))
			continue;
		*s->skeleton->progs[i].link = uw_pin_open_link(&b->pin, old->active, bpf_program__name(prog));
		if (!*s->skeleton->progs[i].link) {
			userns_watch_bpf__destroy(s);
			return -1;
		}
		bpf_program__set_autoload(prog, false);
	}
	rc = userns_watch_bpf__load(s);
	b->skel = s;
	if (rc || map_meta(b, 0, h, tr) || learn_host(b)) {
		unload(b);
		return -1;
	}
	name_hooks(b, h, tr);
	/* this watch's heartbeat from now on; a stop mark only when it stops cleanly */
	b->meta->pid = (uint32_t)getpid();
	b->meta->started_real_ns = b->pin.gap.started_real_ns;
	b->meta->stopped_real_ns = 0;
	forget_decisions(b, 0);
	/* links of another load left by a start that died before its switch was done */
	uw_pin_remove_links(&b->pin, b->live);
	b->pin.mode = "adopted";
	return 0;
}

/* Pins every attached hook's link under links-BUILD. 0 or -errno. */
static int pin_links(struct uw_bpf *b)
{
	const struct bpf_object_skeleton *s = b->skel->skeleton;
	int i, rc;

	for (i = 0; i < s->prog_cnt; i++) {
		struct bpf_link *l = *s->progs[i].link;
		struct bpf_program *prog = *s->progs[i].prog;

		/* the iterators' links (the skeleton attaches them too) are no hooks */
		if (bpf_program__type(prog) == BPF_PROG_TYPE_TRACING &&
		    bpf_program__expected_attach_type(prog) == BPF_TRACE_ITER)
			continue;
		if (l && (rc = uw_pin_link(&b->pin, b->live, l, s->progs[i].name)))
			return rc;
	}
	return 0;
}

/*
 * After a start that loaded and attached its own programs: pins them, and makes them the running
 * ones. Beside a pinned kernel side of the same layout (its maps shared), the new hooks took
 * nothing yet: one store of the meta record's active switches every event from the old programs
 * to the new ones (attach-then-switch: only an event whose two program runs straddle the store
 * itself can be handled by both or neither, bpf/uw_maps.h), then the old links
 * go. A kernel side of another layout is stopped (its own meta), its records not readable by this
 * build counted in the gap, and removed. Where a link cannot be pinned, nothing is: the watch
 * runs as with --no-pin, and says so.
 */
static void pin_commit(struct uw_bpf *b, enum uw_hooks h, enum trset tr)
{
	struct uw_pin *p = &b->pin;
	int shared = pins_shared(b), rc;

	if (p->dir_fd < 0)
		return;
	rc = pin_links(b);
	if (shared && rc) {
		/* the new links could not all be pinned: the old ones stay the running ones (they
		 * feed the same ring buffer), this load's wait, gated off, and go with the process */
		fprintf(stderr,
			"userns-watch: warning: cannot pin this build's hooks in %s (%s): the pinned "
			"ones go on running\n",
			p->dir, strerror(-rc));
		uw_pin_remove_links(p, p->old.active);
		b->live = p->old.active; /* the running hooks are those: health counts them */
		p->mode = "adopted";
		p->gap.how = p->mode;
		return;
	}
	if (shared) {
		b->meta->layout = p->layout;
		b->meta->build = b->build;
		b->meta->hooks = h;
		b->meta->trset = tr;
		b->meta->pid = (uint32_t)getpid();
		b->meta->started_real_ns = p->gap.started_real_ns;
		b->meta->stopped_real_ns = 0;
		forget_decisions(b, 1);
		__atomic_store_n(&b->meta->active, b->live, __ATOMIC_SEQ_CST);
		uw_pin_remove_links(p, b->live);
		p->mode = "replaced";
	} else {
		char path[4200];
		int fd = -1;
		uint32_t zero = 0;

		if (!rc && p->gap.have && snprintf(path, sizeof(path), "%s/meta", p->dir) > 0 &&
		    (fd = bpf_obj_get(path)) >= 0 && p->have_old) {
			struct uw_pin_meta m = p->old;

			/* the old hooks stop here: then their ring's records are all there is */
			m.active = 0;
			bpf_map_update_elem(fd, &zero, &m, BPF_ANY);
			snprintf(path, sizeof(path), "%s/maps-%016llx/events_map", p->dir,
				 (unsigned long long)p->old.layout);
			close(fd);
			fd = bpf_obj_get(path);
			/* records of another layout: this build cannot read them */
			p->gap.unread = fd >= 0 ? uw_pin_ring_records(fd) : 0;
			p->gap.kept = 0;
		}
		if (fd >= 0)
			close(fd);
		if (!rc) {
			uw_pin_remove_links(p, b->live);
			uw_pin_remove_maps(p, p->layout);
			rc = uw_pin_maps(p, b->skel->obj, p->layout);
		}
		p->mode = p->gap.have ? "replaced_layout" : "new";
	}
	if (rc) {
		fprintf(stderr,
			"userns-watch: warning: cannot pin the kernel side in %s (%s): it ends with this "
			"process, as with --no-pin\n",
			p->dir, strerror(-rc));
		if (!shared) {
			uw_pin_remove_links(p, 0);
			uw_pin_remove_maps(p, 0);
			unlinkat(p->dir_fd, "meta", 0);
		}
		uw_pin_close(p);
		p->mode = "off";
		p->gap.have = 0;
		return;
	}
	p->gap.how = p->mode;
}

/*
 * The journal: the setns sequences userspace is merging (user/setns.c), by process, in a map of
 * its own pinned as DIR/journal-N-SIZE (N: this layout's version, SIZE: the sequence's). They
 * left the ring buffer when they were read, and wait up to 250 ms to be judged: a watch killed
 * meanwhile would take them with it. The next one merges them on. A journal of another version
 * or size is another build's: removed (what it held is not readable here).
 */
#define UW_JOURNAL_VERSION 1

static void journal_open(struct uw_bpf *b)
{
	char name[64], path[4200];
	int fd;

	snprintf(name, sizeof(name), "journal-%d-%zu", UW_JOURNAL_VERSION, sizeof(struct uw_setns_seq));
	if (snprintf(path, sizeof(path), "%s/%s", b->pin.dir, name) >= (int)sizeof(path))
		return;
	fd = bpf_obj_get(path);
	if (fd < 0) {
		LIBBPF_OPTS(bpf_map_create_opts, mo);

		fd = bpf_map_create(BPF_MAP_TYPE_HASH, "uw_journal", sizeof(uint32_t),
				    sizeof(struct uw_setns_seq), UW_PENDING_SETNS, &mo);
		if (fd < 0 || bpf_obj_pin(fd, path)) {
			fprintf(stderr, "userns-watch: warning: no journal of setns calls in %s (%s): "
					"calls being merged when the watch is killed are lost with it\n",
				b->pin.dir, strerror(errno));
			if (fd >= 0)
				close(fd);
			return;
		}
	}
	b->journal_fd = fd;
	uw_pin_remove_journals(&b->pin, name);
}

static int feedback_journal(void *ctx, uint32_t pid, const struct uw_setns_seq *q)
{
	const struct uw_bpf *b = ctx;

	if (b->journal_fd < 0)
		return 0;
	if (!q)
		return bpf_map_delete_elem(b->journal_fd, &pid) && errno != ENOENT ? -errno : 0;
	return bpf_map_update_elem(b->journal_fd, &pid, q, BPF_ANY) ? -errno : 0;
}

unsigned uw_bpf_journal_each(struct uw_bpf *b, int (*fn)(void *ctx, const struct uw_setns_seq *q), void *ctx)
{
	struct uw_setns_seq q;
	uint32_t key, next, *prev = NULL;
	unsigned n = 0;

	if (b->journal_fd < 0)
		return 0;
	while (!bpf_map_get_next_key(b->journal_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(b->journal_fd, &key, &q) && q.used && q.last.pid == key) {
			fn(ctx, &q);
			n++;
		}
	}
	return n;
}

/* A kept ring buffer keeps its size: an option asking for another is said to wait. */
static void warn_ring(const struct uw_bpf *b, const struct uw_load_opts *o)
{
	__u32 have = bpf_map__max_entries(b->skel->maps.events_map);

	if (b->pin.dir_fd >= 0 && have != o->ringbuf_bytes)
		fprintf(stderr,
			"userns-watch: warning: the pinned ring buffer is %u KiB, kept: --ringbuf-kib %u "
			"takes effect after userns-watch --unpin\n",
			have / 1024, o->ringbuf_bytes / 1024);
}

int uw_bpf_start(struct uw_bpf *b, const struct uw_load_opts *o, char *err, size_t errlen)
{
	enum uw_hooks first = o->hooks == UW_HOOKS_AUTO ? UW_HOOKS_TP_BTF : o->hooks;
	int rc, attach_failed;

	memset(b, 0, sizeof(*b));
	b->pin.dir_fd = -1;
	b->journal_fd = -1;
	b->pin.mode = "off";
	learn_kernel();
	if (o->pin_dir && o->hooks != UW_HOOKS_NONE) {
		rc = uw_pin_open(&b->pin, o->pin_dir, o->pin_quiet, err, errlen);
		if (rc < 0)
			return -EINVAL;
		if (rc > 0)
			fprintf(stderr,
				"userns-watch: warning: %s is not on a BPF filesystem: the kernel side "
				"ends with this process (mount bpffs at /sys/fs/bpf to keep it across "
				"restarts, or say --no-pin)\n",
				o->pin_dir);
		if (!try_adopt(b, o)) {
			b->pin.gap.how = b->pin.mode;
			warn_ring(b, o);
			journal_open(b);
			return 0;
		}
	}
	rc = try_hooks(b, o, first, &attach_failed);
	/* auto: where tp_btf does not load or attach, the raw_tp twins do the same job */
	if (rc && o->hooks == UW_HOOKS_AUTO)
		rc = try_hooks(b, o, UW_HOOKS_RAW_TP, &attach_failed);
	if (rc && attach_failed)
		snprintf(err, errlen, "attaching the %s hooks failed: %s",
			 uw_hooks_name(o->hooks == UW_HOOKS_AUTO ? UW_HOOKS_RAW_TP : first), strerror(-rc));
	else if (rc)
		explain(rc, err, errlen);
	if (!rc)
		warn_ring(b, o);
	if (rc)
		uw_pin_close(&b->pin);
	else
		pin_commit(b, b->hooks && !strcmp(b->hooks, "raw_tp") ? UW_HOOKS_RAW_TP : UW_HOOKS_TP_BTF,
			   !strcmp(b->transition_hooks, "fentry") ? TR_FENTRY
			   : !strcmp(b->transition_hooks, "tracepoint") ? TR_TRACEPOINT : TR_NONE);
	if (!rc && b->pin.dir_fd >= 0)
		journal_open(b);
	return rc;
}

void uw_bpf_heartbeat(struct uw_bpf *b, uint64_t now_real_ns, int stopped)
{
	struct uw_pin_meta *m = b->meta;
	int ncpus = libbpf_num_possible_cpus(), c;
	uint64_t *vals, total = 0;
	uint32_t k = UW_C_LOST;

	if (!m || b->pin.dir_fd < 0)
		return;
	/* the losses so far, which the next watch's gap does not count again: every CPU in the
	 * total, the first UW_PIN_CPUS one by one */
	vals = ncpus > 0 ? calloc((size_t)ncpus, sizeof(*vals)) : NULL;
	if (vals && !bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.counters_map), &k, vals)) {
		for (c = 0; c < ncpus; c++) {
			if (c < UW_PIN_CPUS)
				m->lost_cpu[c] = vals[c];
			total += vals[c];
		}
		m->ncpu = (uint32_t)(ncpus < UW_PIN_CPUS ? ncpus : UW_PIN_CPUS);
		m->lost = total;
	}
	free(vals);
	m->heartbeat_real_ns = now_real_ns;
	if (stopped)
		m->stopped_real_ns = now_real_ns;
}

void uw_bpf_destroy(struct uw_bpf *b)
{
	unload(b);
	uw_pin_close(&b->pin);
}

/* The programs and maps this process holds; the pins (and what they hold) stay. */
static void unload(struct uw_bpf *b)
{
	if (b->journal_fd >= 0) {
		close(b->journal_fd);
		b->journal_fd = -1;
	}
	if (b->meta) {
		size_t page = (size_t)sysconf(_SC_PAGESIZE);

		munmap(b->meta, (sizeof(struct uw_pin_meta) + page - 1) / page * page);
		b->meta = NULL;
	}
	if (b->ring_pos) {
		munmap(b->ring_pos, 2 * b->ring_page);
		b->ring_pos = NULL;
	}
	userns_watch_bpf__destroy(b->skel);
	b->skel = NULL;
	b->hooks = NULL;
}

int uw_bpf_events_fd(const struct uw_bpf *b)
{
	return bpf_map__fd(b->skel->maps.events_map);
}

int uw_bpf_snapshot(struct uw_bpf *b, int (*fn)(void *ctx, const void *rec, size_t size),
		    void *ctx)
{
	const size_t rs = sizeof(struct uw_task_event);
	struct bpf_link *link;
	size_t have = 0, off;
	char *buf;
	ssize_t n;
	int fd, rc = 0;

	link = bpf_program__attach_iter(b->skel->progs.snapshot_tasks, NULL);
	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		rc = -errno;
		goto out_link;
	}
	buf = malloc(64 * rs);
	if (!buf) {
		rc = -ENOMEM;
		goto out_fd;
	}
	for (;;) {
		n = read(fd, buf + have, 64 * rs - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		for (off = 0; off + rs <= have; off += rs) {
			rc = fn(ctx, buf + off, rs);
			if (rc)
				goto out_buf;
		}
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	if (have)
		rc = -EPROTO; /* a partial record: layout mismatch */
out_buf:
	free(buf);
out_fd:
	close(fd);
out_link:
	bpf_link__destroy(link);
	return rc;
}

int uw_bpf_counters(const struct uw_bpf *b, uint64_t totals[UW_C_MAX], uint64_t *sent_per_cpu,
		    uint64_t *lost_per_cpu, unsigned ncpu)
{
	int fd = bpf_map__fd(b->skel->maps.counters_map);
	int ncpus = libbpf_num_possible_cpus();
	uint64_t *vals;
	uint32_t k;
	int c;

	memset(totals, 0, sizeof(uint64_t) * UW_C_MAX);
	if (ncpus <= 0)
		return -EINVAL;
	vals = calloc((size_t)ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (k = 0; k < UW_C_MAX; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (c = 0; c < ncpus; c++) {
			totals[k] += vals[c];
			if (k == UW_C_LOST && lost_per_cpu && (unsigned)c < ncpu)
				lost_per_cpu[c] = vals[c];
			if (k == UW_C_SENT && sent_per_cpu && (unsigned)c < ncpu)
				sent_per_cpu[c] = vals[c];
		}
	}
	free(vals);
	return 0;
}

void uw_bpf_forget_repeats(struct uw_bpf *b)
{
	/* .bss is mapped into this process: the kernel's next lookups carry the new epoch */
	if (b->skel && b->skel->bss)
		__atomic_add_fetch(&b->skel->bss->repeat_epoch, 1, __ATOMIC_RELAXED);
}

/* Puts key into one of the kernel's key-only maps (a one-byte value); libbpf checks the key's
 * size against the map's. 0 or -errno. */
static int map_mark(const struct bpf_map *m, const void *key, size_t key_size)
{
	uint8_t one = 1;

	return bpf_map__update_elem(m, key, key_size, &one, sizeof(one), BPF_ANY);
}

int uw_bpf_ignore(const struct uw_bpf *b, const struct uw_ignore_key *key)
{
	return map_mark(b->skel->maps.ignore_map, key, sizeof(*key));
}

int uw_bpf_repeat(const struct uw_bpf *b, const struct uw_repeat_key *key)
{
	return map_mark(b->skel->maps.repeat_map, key, sizeof(*key));
}

int uw_bpf_watch_cgroup(const struct uw_bpf *b, uint64_t id, uint32_t hierarchy_id)
{
	struct uw_watch_key k = { id, hierarchy_id, 0 };

	return map_mark(b->skel->maps.watched_map, &k, sizeof(k));
}

unsigned uw_bpf_links(const struct uw_bpf *b, unsigned *attached)
{
	const struct bpf_object_skeleton *s = b->skel ? b->skel->skeleton : NULL;
	/* hooks gated off (the meta record names another load: a replacement, or someone with
	 * bpf() writing it) decide nothing: none counts as attached */
	int gated = b->meta && __atomic_load_n(&b->meta->active, __ATOMIC_ACQUIRE) != b->live;
	unsigned n = 0;
	int i;

	*attached = 0;
	for (i = 0; s && i < s->prog_cnt; i++) {
		struct bpf_link *l = *s->progs[i].link;
		struct bpf_link_info info;
		__u32 len = sizeof(info);
		int fd;

		if (!l)
			continue;
		n++;
		fd = bpf_link__fd(l);
		memset(&info, 0, sizeof(info));
		if (fd < 0)
			continue;
		/* a kernel link: its program is still there. A tracepoint attached the old way
		 * (a perf event, before BPF links for them) is not a link the kernel describes
		 * (EINVAL): it stays attached while we hold its file, and we do */
		if (!gated && (!bpf_obj_get_info_by_fd(fd, &info, &len) ? info.prog_id != 0 : errno == EINVAL))
			(*attached)++;
	}
	return n;
}

int uw_bpf_ring_map(struct uw_bpf *b)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p;

	/* page 0: the consumer position, page 1: the producer's; read-only, beside libbpf's own
	 * mapping (the kernel refuses only writable mappings past the consumer page) */
	p = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, uw_bpf_events_fd(b), 0);
	if (p == MAP_FAILED)
		return -errno;
	b->ring_pos = p;
	b->ring_page = page;
	b->ring_size = bpf_map__max_entries(b->skel->maps.events_map);
	return 0;
}

uint64_t uw_bpf_ring_used(const struct uw_bpf *b, uint64_t *size)
{
	uint64_t cons, prod;

	*size = b->ring_size;
	if (!b->ring_pos)
		return 0;
	cons = __atomic_load_n((const uint64_t *)b->ring_pos, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n((const uint64_t *)((const char *)b->ring_pos + b->ring_page), __ATOMIC_ACQUIRE);
	return prod > cons ? prod - cons : 0;
}

static int feedback_ignore(void *ctx, const struct uw_ignore_key *key)
{
	return uw_bpf_ignore(ctx, key);
}

static int feedback_repeat(void *ctx, const struct uw_repeat_key *key)
{
	return uw_bpf_repeat(ctx, key);
}

static int feedback_watch(void *ctx, uint64_t cgroup_id, uint32_t hierarchy_id)
{
	return uw_bpf_watch_cgroup(ctx, cgroup_id, hierarchy_id);
}

struct uw_feedback uw_bpf_feedback(struct uw_bpf *b, int watch)
{
	return (struct uw_feedback){ feedback_ignore, watch ? feedback_watch : NULL, feedback_repeat,
				     watch ? feedback_journal : NULL, b };
}
