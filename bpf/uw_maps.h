/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel-side state of userns-watch: configuration set by the loader, what the host looks
 * like, and the maps. Included once, by userns_watch.bpf.c.
 */
#ifndef UW_MAPS_H
#define UW_MAPS_H

/* Set by the loader between open and load. */
const volatile struct uw_ns host_ns = {};
const volatile __u32 cg1_subsys = UW_CG1_NONE;
const volatile __u32 host_transitions = 0; /* also report transitions outside containers */
const volatile __u32 host_ref_pid = 1;     /* the process host_ns was read from */
const volatile __u32 have_rdonly_cast = 0; /* the kernel has bpf_rdonly_cast (6.2+) */
const volatile __u64 build_id = 0;         /* this object and its configuration (user/pin.c) */

/*
 * A task (or binprm) argument of a tp_btf or iterator program is a trusted pointer, and on
 * recent kernels the verifier asks, for every load of a pointer field through a trusted
 * pointer on every path it explores, whether that field keeps the trust: up to four scans of
 * the kernel's whole BTF by name (btf_nested_type_is_trusted; 40 % of start-up's CPU in perf
 * on 6.18). With the hooks' many reads that was most of their verification and of start-up.
 * bpf_rdonly_cast gives an untrusted copy of the pointer: the same direct loads (the JIT emits
 * the same fault-safe load either way; the verifier turns the call into a register move),
 * without the lookups. Under strace -T on 6.18: exec 36 -> 4-5 ms, fork 53 -> 4-6 ms, the
 * snapshot iterator 13 -> 1.5 ms; start-up to "watching" about 220 -> 120 ms.
 * The kfunc is weak: where the kernel lacks it (before 6.2) the loader leaves
 * have_rdonly_cast 0, the call is dead code the verifier never visits and removes, and those
 * kernels have no such lookups either. Never used for a pointer a helper needs trusted
 * (bpf_task_pt_regs takes the fork hook's own parent).
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

#define uw_untrusted(p, type) \
	(have_rdonly_cast ? (type *)bpf_rdonly_cast((p), bpf_core_type_id_kernel(type)) : (p))

/*
 * Learned from the host reference process before the hooks are attached (learn_host):
 *  - its nsproxy: a task sharing it is in the host's mount, uts, ipc, net, cgroup and pid
 *    namespaces, so with one pointer compare the hooks skip the ~18 reads that would say so
 *    (the common case, every host process);
 *  - its root directory: a task whose root is another directory (pivot_root or chroot into
 *    an image) is a container process whatever its cgroup says.
 */
void *host_nsproxy = NULL;
void *host_root = NULL;

/* The host reference's namespace objects, for is_host_task's test of an nsproxy copy. */
void *host_mnt_ns = NULL;
void *host_net_ns = NULL;
void *host_uts_ns = NULL;
void *host_ipc_ns = NULL;
void *host_cgroup_ns = NULL;
void *host_pid_children = NULL;

/*
 * The kernel side's own record (struct uw_pin_meta): shared by every build that pins under the
 * same directory, so that a new build's hooks take over from the old ones at one store (uw_live).
 * Mapped into userspace, which writes its heartbeat there without a system call.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct uw_pin_meta);
} meta_map SEC(".maps");

/*
 * Do this object's hooks run? Only while the meta record names this load (build_id): attached
 * beside an older build, they wait until the loader switches active to them (and the old ones
 * then stop), so that across an upgrade every event is handled by one of the two, but an event
 * whose two program runs straddle the one store itself (nanoseconds): a tracepoint runs the old
 * program first (both may handle it), a trampoline the new one first (neither may). One array
 * load (the verifier inlines the lookup).
 */
UW_INLINE int uw_live(void)
{
	__u32 zero = 0;
	struct uw_pin_meta *m = bpf_map_lookup_elem(&meta_map, &zero);

	return m && m->active == build_id;
}

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22); /* 4 MiB; resized by the loader */
} events_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, UW_C_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters_map SEC(".maps");

/*
 * (cgroup, namespaces) pairs userspace resolved as "no container": candidates with exactly
 * that pair are dropped here. Eviction only makes a candidate reach userspace again.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct uw_ignore_key);
	__type(value, __u8);
} ignore_map SEC(".maps");

/* cgroups userspace has resolved and cached: their removal is reported so it can forget them. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct uw_watch_key);
	__type(value, __u8);
} watched_map SEC(".maps");

/*
 * What the kernel last saw of a watched process (a candidate), by thread-group ID: its full
 * namespace set and cgroups, and digests of the other sets its threads reached through hooked
 * setns/unshare calls. A change that matches none of them was made where no hook looked (a
 * system call table we do not hook) and is reported as late at the next exec, fork or exit.
 * A plain hash, not an LRU: a process is forgotten only when its last thread exits, and an
 * insert that fails is counted (UW_C_SEEN_FULL), never a silent eviction.
 */
#define UW_SEEN_REPORTED (1u << 0)   /* a record about it reached the ring buffer */
#define UW_SEEN_ROOT_OTHER (1u << 1) /* its root directory was not the host's */
/*
 * The runtime's setup: a process of host lineage (its parent was no watched process, or it was
 * a host task itself before a setns or unshare) that has run no program since it left the
 * namespaces of that lineage (base: their digest). Set there, inherited through fork, cleared
 * by an exec in other namespaces than base: the container's first program of its own (an exec
 * in base's namespaces is the runtime running itself again where it was, as runc does in a
 * host service's private mount namespace: still setup). A container's own processes descend
 * from such an exec and can never have it: its records are the runtime's, not sent
 * (UW_C_SETUP), and its origin follows its cgroup until that exec (the runtime may place it in
 * the container's cgroup after creating it, as LXC does).
 */
#define UW_SEEN_SETUP (1u << 2)
/*
 * A process outside its container (a host task, usually) that a container process took hold of
 * with ptrace or process_vm_writev, and its children: watched although it may be a host task,
 * its programs sent as its container of origin's (uw_origin_how UW_ORIGIN_HELD). The host paths
 * of exec, fork and exit ask the counting filter (seen_slots) for it only while some process is
 * (held_count).
 */
#define UW_SEEN_HELD (1u << 3)
/* How many processes are taken hold of now: while none is (always, but during an attack), the
 * host paths pay one load of this word and nothing more. */
__u64 held_count = 0;

/*
 * origin: the cgroups of the process's container of origin (provenance: enum uw_origin_how),
 * decided once and inherited through fork; cg: the cgroups it was last seen in; base: with
 * UW_SEEN_SETUP, the digest (uw_ns_hash) of its host lineage's namespaces.
 */
struct uw_seen {
	struct uw_ns ns;
	struct uw_cgroup_key cg;
	struct uw_cgroup_key origin;
	__u64 alt[2];
	__u64 base;
	__u32 flags;
	__u32 origin_how;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct uw_seen);
} seen_map SEC(".maps");

/*
 * How many seen_map entries have a thread-group ID in each slot (tgid modulo UW_SEEN_SLOTS):
 * a counting filter in front of the table for the hooks that mostly ask about processes that
 * are not watched (is_host_task's copy test, exit). A slot at 0 answers "not watched" with one
 * array load instead of a hash lookup; any other value (another process in the slot) only
 * sends the question on to the table. A slot is raised before its entry is inserted and
 * lowered after it is deleted, so it never counts fewer than the entries it stands for: the
 * filter can cost a lookup, never hide a watched process. Only the hooks touch seen_map.
 */
#define UW_SEEN_SLOTS 65536

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, UW_SEEN_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} seen_slots SEC(".maps");

UW_INLINE __u64 *seen_slot(__u32 tgid)
{
	__u32 k = tgid & (UW_SEEN_SLOTS - 1);

	return bpf_map_lookup_elem(&seen_slots, &k);
}

/* Adds d (1 or -1) to tgid's slot; atomic, the slot is shared by the CPUs. */
UW_INLINE void seen_slot_add(__u32 tgid, __s64 d)
{
	__u64 *c = seen_slot(tgid);

	if (c)
		__sync_fetch_and_add(c, d);
}

/* The process's last-seen state, or NULL when it is not watched (asked of the filter first). */
UW_INLINE struct uw_seen *seen_lookup(__u32 tgid)
{
	__u64 *c = seen_slot(tgid);

	if (c && *c == 0)
		return NULL;
	return bpf_map_lookup_elem(&seen_map, &tgid);
}

/*
 * What task records already said (the repeat cache): a record sent about exactly these kernel
 * facts (struct uw_repeat_key, include/uw_event.h) makes a later exec or fork with the same
 * facts a repeat, decided here with one lookup, counted (UW_C_REPEAT) and not sent. The facts:
 * the container (its cgroups, unique and never reused), the whole namespace set, the
 * credentials (uids, effective capabilities), the root and unlinked flags, the hook, and the
 * executable by its file's identity: device, inode number, generation and change time. An
 * inode number freed and reused for another file gets a new generation (random on ext4, xfs,
 * btrfs and tmpfs) and always a new change time, which the kernel sets when the file is made
 * and no system call sets to a chosen value, so another program cannot pass for a reported
 * one. No pointer is part of the key. The hooks only look keys up: the record carries its key
 * and userspace inserts it when the record arrives (an LRU insert was a third of a first
 * record's cost in the hook), so an exec in the milliseconds before that is sent again, never
 * missed. Eviction (LRU) only makes a program's next exec a first record again; repeat_epoch,
 * which userspace bumps (a SIGHUP's policy reload), makes every program new.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct uw_repeat_key);
	__type(value, __u8);
} repeat_map SEC(".maps");

__u32 repeat_epoch = 0;

/* Namespaces of a thread inside setns/unshare, from entry to exit (by thread ID). */
struct uw_pending {
	struct uw_ns ns;
	__u32 flags;
	__s32 fd;
	__u32 tflags;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct uw_pending);
} pending_map SEC(".maps");

/*
 * Scratch for the hooks' repeat-cache key (112 bytes: with the namespaces, cgroups and origin
 * on the stack too, a fork's frame would pass the BPF stack's 512 bytes). Per CPU: the task
 * hooks do not run in interrupts, so one hook's use is never interleaved with another's.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uw_repeat_key);
} key_scratch SEC(".maps");

/* Scratch record for the iterator (a whole event does not fit the BPF stack comfortably). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uw_task_event);
} scratch_map SEC(".maps");

/*
 * Processes the snapshot has written, for processes whose thread-group leader has exited
 * (their live threads are visited one by one). Eviction only repeats a record.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u8);
} snap_done_map SEC(".maps");

UW_INLINE void count(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&counters_map, &idx);

	if (c)
		(*c)++;
}

UW_INLINE void load_host_ns(struct uw_ns *h)
{
	h->user = host_ns.user;
	h->mnt = host_ns.mnt;
	h->pid = host_ns.pid;
	h->net = host_ns.net;
	h->uts = host_ns.uts;
	h->ipc = host_ns.ipc;
	h->cgroup = host_ns.cgroup;
	h->pid_for_children = host_ns.pid; /* the host's pid namespace for children is its pid namespace */
}

#endif /* UW_MAPS_H */
