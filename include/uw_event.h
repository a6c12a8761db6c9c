/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The event contract shared by the BPF programs (bpf/) and the loader (user/).
 *
 * Rules: only fixed-width types, explicit padding, no pointers or bool; every record starts
 * with struct uw_hdr so the format can grow. The _Static_asserts below are compiled by clang
 * for BPF and by the host compiler for userspace and tests, so layout drift fails the build.
 */
#ifndef UW_EVENT_H
#define UW_EVENT_H

#ifdef __bpf__
/* vmlinux.h provides __u32/__u64 on the BPF side. */
#else
#include <linux/types.h>
#include <stddef.h>
#endif

#define UW_COMM_LEN 16
#define UW_EXE_LEN 256

/* Record types (uw_hdr.type). */
enum uw_type {
	UW_T_TASK = 1,        /* a task in a candidate namespace set: struct uw_task_event */
	UW_T_CGROUP_GONE = 2, /* a cgroup userspace asked to watch was removed: struct uw_cgroup_event */
	UW_T_TRANSITION = 3,  /* a task's namespaces changed: struct uw_transition_event */
};

/* CLONE_NEW* flags (UAPI <linux/sched.h>, stable), for transition flags. */
#define UW_CLONE_NEWTIME 0x00000080u
#define UW_CLONE_NEWNS 0x00020000u
#define UW_CLONE_NEWCGROUP 0x02000000u
#define UW_CLONE_NEWUTS 0x04000000u
#define UW_CLONE_NEWIPC 0x08000000u
#define UW_CLONE_NEWUSER 0x10000000u
#define UW_CLONE_NEWPID 0x20000000u
#define UW_CLONE_NEWNET 0x40000000u
#define UW_CLONE_NEW_ANY (UW_CLONE_NEWTIME | UW_CLONE_NEWNS | UW_CLONE_NEWCGROUP | UW_CLONE_NEWUTS | \
			  UW_CLONE_NEWIPC | UW_CLONE_NEWUSER | UW_CLONE_NEWPID | UW_CLONE_NEWNET)

/* The system call behind a transition (uw_transition_event.syscall). */
enum uw_syscall {
	UW_SYS_UNKNOWN = 0, /* a change no hook saw, found later (UW_TF_LATE) */
	UW_SYS_SETNS = 1,
	UW_SYS_UNSHARE = 2,
	UW_SYS_CLONE = 3,   /* clone(2), or a clone whose exact call could not be read */
	UW_SYS_CLONE3 = 4,
	UW_SYS_CGROUP_MOVE = 5, /* not a namespace change: a watched process found in a cgroup
				 * other than the one it was last seen in (at `source`); before and
				 * after are its namespaces then (the same set) */
	UW_SYS_PTRACE = 6,      /* not a namespace change: a container process attached to another
				 * process with ptrace (flags: the request, PTRACE_ATTACH or
				 * PTRACE_SEIZE; fd: the target's pid as the caller's pid namespace
				 * numbers it); before and after: the caller's namespaces */
	UW_SYS_VM_WRITE = 7,    /* the same for process_vm_writev (flags: bytes written) */
	UW_SYS_PTRACE_ACCESS = 8, /* the kernel granted a container process attach-level access
				   * to another process with its real credentials (ptrace attach or
				   * seize, process_vm_readv/writev, pidfd_getfd; any ABI); flags:
				   * the PTRACE_MODE_* asked; fd: the target's process ID in the
				   * host's pid namespace */
	UW_SYS_PROC_MEM = 9,    /* the same for opening /proc/PID/mem */
};

/* ptrace requests that attach (UAPI <linux/ptrace.h>) */
#define UW_PTRACE_ATTACH 16
#define UW_PTRACE_SEIZE 0x4206

/*
 * How a process's container of origin (uw_task_event.origin) was decided: provenance, never
 * where the process is now. Origin is fixed when the runtime's setup ends (the first exec after a
 * process of host lineage entered container namespaces: until then the runtime is still placing
 * it) and inherited through fork; nothing a container process does later changes it.
 */
enum uw_origin_how {
	UW_ORIGIN_UNKNOWN = 0,   /* the kernel lost the process's lineage (its table was full, or a
				  * parent it never saw): origin is the cgroup it was found in */
	UW_ORIGIN_PLACED = 1,    /* the runtime (host lineage) placed it: its cgroup at its first exec */
	UW_ORIGIN_INHERITED = 2, /* forked from a process of that origin */
	UW_ORIGIN_SNAPSHOT = 3,  /* running before the watch started: its cgroup then (or its
				  * parent's origin when the parent was seen first) */
	UW_ORIGIN_HELD = 4,      /* a process outside the container that a container process took
				  * hold of (ptrace, process_vm_writev), or its child: the
				  * container's, whatever namespaces it has */
};

/* Where a uw_task_event came from (uw_task_event.source). */
enum uw_source {
	UW_SRC_EXEC = 1,
	UW_SRC_FORK = 2,
	UW_SRC_SNAPSHOT = 3,
	UW_SRC_EXIT = 4,      /* transitions only: found when the process exited */
};

/* uw_task_event.flags */
#define UW_F_EXE_TRUNCATED (1u << 0) /* exe filled and cut at UW_EXE_LEN - 1 bytes */
#define UW_F_EXE_FROM_EXEC (1u << 1) /* exe is the file name given to execve; else the
                                      * executable's base name */
#define UW_F_EXE_FD (1u << 2)        /* executed through a file descriptor (fexecve, execveat
                                      * with AT_EMPTY_PATH: "/dev/fd/N"); exe is the base name */
#define UW_F_EXE_UNLINKED (1u << 3)  /* the executable has no link left (memfd, deleted file) */
#define UW_F_ROOT_OTHER (1u << 4)    /* the task's root directory is not the host's (pivot_root
                                      * or chroot into an image) */
#define UW_F_REPEAT_KEY (1u << 5)    /* repeat holds the record's repeat-cache key: userspace
                                      * adds it to the cache when the record arrives */
#define UW_F_MOVED (1u << 6)         /* its cgroup is not its cgroup of origin (origin) */

/* uw_transition_event.tflags */
#define UW_TF_LATE (1u << 0)         /* no hook saw the change: found at the next exec, fork or
                                      * exit (source) by comparing with what was last seen */
#define UW_TF_ROOT_OTHER (1u << 1)   /* before the change, the root directory was not the host's */
#define UW_TF_EXE_UNLINKED (1u << 2) /* the executable has no link left (memfd, deleted file) */
#define UW_TF_SETUP (1u << 3)        /* made by the runtime's setup (a process of host lineage
                                      * that has run no program since it left the host's
                                      * namespaces): sent only with host_transitions */

/* The namespace set of one task, as inode numbers (the numbers shown by /proc/PID/ns/X). */
struct uw_ns {
	__u32 user;
	__u32 mnt;
	__u32 pid;
	__u32 net;
	__u32 uts;
	__u32 ipc;
	__u32 cgroup;
	__u32 pid_for_children; /* nsproxy->pid_ns_for_children: where its next children go */
};

struct uw_hdr {
	__u32 type;   /* enum uw_type */
	__u32 size;   /* sizeof the whole record */
	__u64 ts_ns;  /* CLOCK_BOOTTIME nanoseconds (bpf_ktime_get_boot_ns) */
};

/* A task's cgroups: its cgroup2 ID and its ID in the selected v1 hierarchy. */
struct uw_cgroup_key {
	__u64 cgroup_id;
	__u64 cgroup1_id;
};

/*
 * The key of the kernel's repeat cache (bpf/uw_maps.h, repeat_map): the kernel facts a task
 * record was sent about. The kernel builds it, looks it up, and sends it in the record
 * (UW_F_REPEAT_KEY); userspace adds it to the cache on arrival, so a later exec or fork with the
 * same facts is decided in the kernel without a record.
 */
struct uw_repeat_key {
	struct uw_cgroup_key cg;
	struct uw_cgroup_key origin; /* the process's cgroup of origin: a process of another
				      * container never repeats this one's records */
	struct uw_ns ns;
	__u64 exe_ino;
	__u64 exe_ctime_ns;
	__u32 exe_dev;
	__u32 exe_gen;
	__u64 cap_effective;
	__u32 uid;
	__u32 euid;
	__u32 flags;  /* UW_F_ROOT_OTHER, UW_F_EXE_UNLINKED, the source (enum uw_source) << 24 */
	__u32 epoch;
};

struct uw_task_event {
	struct uw_hdr hdr;
	__u32 source; /* enum uw_source */
	__u32 flags;  /* UW_F_* */
	__u32 pid;    /* thread-group id in the initial pid namespace */
	__u32 ppid;   /* real parent's thread-group id */
	__u32 uid;    /* real uid, as the initial user namespace sees it */
	__u32 euid;   /* effective uid */
	__u64 cap_effective; /* effective capabilities (bit n: capability n) */
	__u64 cgroup_id;  /* cgroup v2 (default hierarchy) id; 1 = root */
	__u64 cgroup1_id; /* id in the selected cgroup v1 hierarchy, 0 if none selected */
	__u64 exe_ino;    /* inode number of the executable, to check /proc/PID/exe against */
	__u32 exe_dev;    /* its file system's device (kernel encoding: major << 20 | minor) */
	__u32 origin_how; /* enum uw_origin_how */
	struct uw_ns ns;
	struct uw_cgroup_key origin; /* the cgroups of its container of origin (provenance) */
	struct uw_repeat_key repeat; /* with UW_F_REPEAT_KEY; else zero */
	char comm[UW_COMM_LEN];
	char exe[UW_EXE_LEN];
};

/*
 * A fork's record is usually the short form: the same layout cut after UW_EXE_SHORT bytes of
 * exe (288 bytes instead of 480), sent when the executable's base name fits; hdr.size says
 * which form a record is. Exec records and snapshot records are always whole.
 */
#define UW_EXE_SHORT 64
#define UW_TASK_SHORT_SIZE (__builtin_offsetof(struct uw_task_event, exe) + UW_EXE_SHORT)

struct uw_cgroup_event {
	struct uw_hdr hdr;
	__u64 cgroup_id;
	__u32 hierarchy_id; /* 0: cgroup v2; else the v1 hierarchy (first column of /proc/PID/cgroup) */
	__u32 pad;
};

/*
 * A namespace transition: before and after sets of one task (setns, unshare) or of a parent
 * and the child it cloned into new namespaces (clone, clone3; the child is the task reported).
 */
struct uw_transition_event {
	struct uw_hdr hdr;
	__u32 syscall;       /* enum uw_syscall */
	__u32 flags;         /* setns: the nstype argument; unshare: its flags; clone: CLONE_NEW*
			      * bits of the namespaces that differ between parent and child */
	__s32 fd;            /* setns: the file descriptor argument; else -1 */
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__u32 euid;
	__u32 userns_level;  /* nesting level of the user namespace after (0: the initial one) */
	__u32 userns_parent; /* inode of its parent user namespace, 0 for the initial one */
	__u32 tflags;        /* UW_TF_* */
	__u64 cap_effective; /* effective capabilities after */
	__u64 cgroup_id;
	__u64 cgroup1_id;
	__u64 exe_ino;
	__u32 exe_dev;
	__u32 source;        /* UW_TF_LATE: the hook that found it (enum uw_source); else 0 */
	struct uw_ns before;
	struct uw_ns after;
	struct uw_cgroup_key origin; /* the cgroups of the process's container of origin; for a
				      * process not watched before, the ones it has now */
	__u32 origin_how;    /* enum uw_origin_how */
	__u32 pad;
	char comm[UW_COMM_LEN];
	char exe[UW_EXE_LEN]; /* the executable's base name */
};

/* Key of the kernel's watched map: cgroup IDs are unique only within one hierarchy. */
struct uw_watch_key {
	__u64 cgroup_id;
	__u32 hierarchy_id;
	__u32 pad;
};

/*
 * Key of the kernel's ignore map: a cgroup userspace found to be no container, together with
 * the namespaces its task had. A process that moves into that cgroup from a container keeps
 * the container's namespaces, so it does not match and still reaches userspace.
 */
struct uw_ignore_key {
	struct uw_cgroup_key cg;
	__u32 mnt;
	__u32 net;
	__u32 uts;
	__u32 ipc;
	__u32 cgroup;
	__u32 pad;
};

/*
 * The kernel's per-CPU counters (index into counters_map), declared once: the enum below, the
 * stats record's "kernel" object (in this order, key), /metrics (metric: a family name, with
 * {label="value"} for one series of a family, {cpu} for one series per CPU; "" for none;
 * family_help on a family's first series) and the documentation (help) are all made from it.
 *   X(NAME, key, metric, family_help, help)
 */
#define UW_KERNEL_COUNTERS(X)                                                                  \
	X(SENT, "sent", "kernel_records_sent_total{cpu}", "records the kernel side put in the ring buffer, per CPU", \
	  "records submitted to the ring buffer")                                               \
	X(LOST, "lost", "kernel_records_lost_total{cpu}", "records lost because the ring buffer was full, per CPU", \
	  "records dropped because the ring buffer was full (per CPU in lost_per_cpu)")         \
	X(IGNORED, "ignored", "kernel_ignored_total", "kernel candidates dropped because their cgroup is known to be no container", "candidates dropped in the kernel because their cgroup and namespaces are known to be no container's") \
	X(FORK_SKIPPED, "fork_skipped", "", "", "forks not sent because the parent was already reported with the same namespaces and cgroups") \
	X(REPEAT, "repeats", "kernel_repeats_total", "execs and forks decided in the kernel as repeats of a task record already sent", "execs and forks not sent because a task record with the same kernel facts was sent already (the repeat cache: container, namespaces, credentials, executable file)") \
	X(LATE, "late", "kernel_late_total", "namespace changes no hook saw, found later at exec, fork or exit", "namespace changes no hook saw, found at the process's next exec, fork or exit") \
	X(SEEN_FULL, "seen_full", "kernel_map_full_total{map=\"seen\"}",                          \
	  "kernel-side state that could not be kept because its map was full",                 \
	  "processes that could not be remembered (the kernel's table of watched processes was full)")          \
	X(PENDING_FULL, "pending_full", "kernel_map_full_total{map=\"pending\"}", "",               \
	  "setns or unshare calls in flight that could not be kept (the pending map was full)") \
	X(SETUP, "setup", "kernel_setup_total", "records of container runtimes' setup not sent (host lineage, no program run yet in the container)", "forks and namespace changes of a runtime's setup, not sent: made by processes of host lineage that have run no program since they left the host's namespaces (the container is judged by the programs it runs)") \
	X(MOVED, "moved", "kernel_cgroup_moves_total", "watched processes found in a cgroup other than the one they were last seen in", "watched processes found in a cgroup other than the one last seen (reported as cgroup_move; their container of origin is kept)")

#define UW_KERNEL_COUNTER_ENUM(name, key, metric, family_help, help) UW_C_##name,
enum uw_counter {
	UW_KERNEL_COUNTERS(UW_KERNEL_COUNTER_ENUM)
	UW_C_MAX,
};
#undef UW_KERNEL_COUNTER_ENUM

/*
 * The pinned kernel side's own record (the one entry of meta_map, pinned as DIR/meta, see
 * user/pin.c): which build's programs run, what the shared maps look like, and the last watch's
 * heartbeat. Every build reads it at the same offsets: its layout is never changed in place (a
 * new layout takes a new magic, and a watch that finds another magic replaces the kernel side
 * whole). The hooks read only `active`: a program runs only while active is its own build_id,
 * so a new build's programs, attached beside the old ones, take over at one store.
 */
#define UW_PIN_MAGIC 0x7577706d65746131ULL /* "uwpmeta1" */
#define UW_PIN_CPUS 256                    /* lost_cpu: CPUs beyond these are summed in lost */

struct uw_pin_meta {
	__u64 magic;
	__u64 active;            /* the build whose programs run (0: none: a replaced kernel side) */
	__u64 layout;            /* digest of the shared maps' types and the records' layout */
	__u64 build;             /* digest of the BPF object and its configuration */
	__u32 hooks;             /* the pinned programs' hook set (enum uw_hooks) */
	__u32 trset;             /* and their setns/unshare entry points (loader.c's enum trset) */
	__u64 started_real_ns;   /* when the watch now writing the heartbeat started */
	__u64 heartbeat_real_ns; /* its last heartbeat (CLOCK_REALTIME) */
	__u64 stopped_real_ns;   /* when it stopped cleanly; 0 while it runs, and after a kill */
	__u64 lost;              /* UW_C_LOST summed over the CPUs at the heartbeat */
	__u32 pid;               /* the watch's process ID (the host's view) */
	__u32 ncpu;              /* entries of lost_cpu written */
	__u64 lost_cpu[UW_PIN_CPUS];
};

/* v1 controllers whose hierarchy the kernel can read a cgroup id from (rodata cg1_subsys). */
enum uw_cg1 {
	UW_CG1_NONE = 0,
	UW_CG1_PIDS,
	UW_CG1_MEMORY,
	UW_CG1_CPU,
	UW_CG1_CPUACCT,
	UW_CG1_CPUSET,
	UW_CG1_DEVICES,
	UW_CG1_FREEZER,
	UW_CG1_BLKIO,
	UW_CG1_MAX,
};

_Static_assert(sizeof(struct uw_ns) == 32, "uw_ns layout");
_Static_assert(sizeof(struct uw_hdr) == 16, "uw_hdr layout");
_Static_assert(__builtin_offsetof(struct uw_task_event, source) == 16, "uw_task_event.source");
_Static_assert(__builtin_offsetof(struct uw_task_event, cap_effective) == 40, "uw_task_event.cap_effective");
_Static_assert(__builtin_offsetof(struct uw_task_event, cgroup_id) == 48, "uw_task_event.cgroup_id");
_Static_assert(__builtin_offsetof(struct uw_task_event, exe_dev) == 72, "uw_task_event.exe_dev");
_Static_assert(__builtin_offsetof(struct uw_task_event, ns) == 80, "uw_task_event.ns");
_Static_assert(__builtin_offsetof(struct uw_task_event, origin) == 112, "uw_task_event.origin");
_Static_assert(__builtin_offsetof(struct uw_task_event, repeat) == 128, "uw_task_event.repeat");
_Static_assert(sizeof(struct uw_repeat_key) == 112, "uw_repeat_key layout");
_Static_assert(__builtin_offsetof(struct uw_task_event, comm) == 240, "uw_task_event.comm");
_Static_assert(__builtin_offsetof(struct uw_task_event, exe) == 256, "uw_task_event.exe");
_Static_assert(UW_TASK_SHORT_SIZE == 320 && UW_TASK_SHORT_SIZE % 8 == 0, "short task record");
_Static_assert(sizeof(struct uw_task_event) == 512, "uw_task_event size");
_Static_assert(sizeof(struct uw_cgroup_key) == 16, "uw_cgroup_key layout");
_Static_assert(sizeof(struct uw_ignore_key) == 40, "uw_ignore_key layout");
_Static_assert(sizeof(struct uw_cgroup_event) == 32, "uw_cgroup_event layout");
_Static_assert(sizeof(struct uw_watch_key) == 16, "uw_watch_key layout");
_Static_assert(__builtin_offsetof(struct uw_transition_event, cap_effective) == 56, "transition cap_effective");
_Static_assert(__builtin_offsetof(struct uw_transition_event, cgroup_id) == 64, "transition cgroup_id");
_Static_assert(__builtin_offsetof(struct uw_transition_event, exe_dev) == 88, "transition exe_dev");
_Static_assert(__builtin_offsetof(struct uw_transition_event, before) == 96, "transition before");
_Static_assert(__builtin_offsetof(struct uw_transition_event, origin) == 160, "transition origin");
_Static_assert(__builtin_offsetof(struct uw_transition_event, comm) == 184, "transition comm");
_Static_assert(sizeof(struct uw_transition_event) == 456, "uw_transition_event size");

#endif /* UW_EVENT_H */
