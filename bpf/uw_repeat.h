/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The repeat cache (repeat_map, uw_maps.h): the key of a task record, and whether a record
 * with that key was sent already (userspace adds a record's key when the record arrives).
 */
#ifndef UW_REPEAT_H
#define UW_REPEAT_H

/* struct inode's change time: a timespec64 before 6.6, __i_ctime until 6.11, then two fields */
struct inode___ctime_split {
	time64_t i_ctime_sec;
	u32 i_ctime_nsec;
} __attribute__((preserve_access_index));

struct inode___ctime_priv {
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

struct inode___ctime_ts {
	struct timespec64 i_ctime;
} __attribute__((preserve_access_index));

/* Multigrain timestamps (6.13 on) keep a flag in the nanoseconds' top bit, I_CTIME_QUERIED, set
 * when anyone stat()s the file: not part of the time (nanoseconds stay below 2^30), so a stat of
 * a program must not make it another program */
#define UW_CTIME_NSEC_MASK 0x3fffffffU

UW_INLINE __u64 inode_ctime_ns(struct inode *i, int direct)
{
	if (bpf_core_field_exists(struct inode___ctime_split, i_ctime_sec)) {
		struct inode___ctime_split *x = (void *)i;

		return UW_RD(direct, x, i_ctime_sec) * 1000000000ULL +
		       (UW_RD(direct, x, i_ctime_nsec) & UW_CTIME_NSEC_MASK);
	}
	if (bpf_core_field_exists(struct inode___ctime_priv, __i_ctime)) {
		struct inode___ctime_priv *x = (void *)i;

		return UW_RD(direct, x, __i_ctime.tv_sec) * 1000000000ULL + UW_RD(direct, x, __i_ctime.tv_nsec);
	}
	if (bpf_core_field_exists(struct inode___ctime_ts, i_ctime)) {
		struct inode___ctime_ts *x = (void *)i;

		return UW_RD(direct, x, i_ctime.tv_sec) * 1000000000ULL + UW_RD(direct, x, i_ctime.tv_nsec);
	}
	return 0;
}

/*
 * The key of a task record about task t running (or about to run) executable f, from source,
 * in ns and cg, of origin `origin`, with the record's flags (UW_F_ROOT_OTHER). A task without an executable file
 * (f NULL) gets a key with inode 0, which a program cannot have.
 */
UW_INLINE void repeat_key(struct uw_repeat_key *k, struct task_struct *t, struct file *f,
			  __u32 source, const struct uw_ns *ns, const struct uw_cgroup_key *cg,
			  const struct uw_cgroup_key *origin, __u32 flags, int direct)
{
	const struct cred *c = UW_RD(direct, t, real_cred);
	struct inode *i = f ? UW_RD(direct, f, f_inode) : NULL;

	k->cg = *cg;
	k->origin = *origin;
	k->ns = *ns;
	k->uid = UW_RD(direct, c, uid.val);
	k->euid = UW_RD(direct, c, euid.val);
	k->cap_effective = cred_cap_effective(c, direct);
	k->flags = (flags & UW_F_ROOT_OTHER) | (source << 24);
	k->epoch = repeat_epoch;
	k->exe_ino = 0;
	k->exe_dev = 0;
	k->exe_gen = 0;
	k->exe_ctime_ns = 0;
	if (!i)
		return;
	k->exe_ino = UW_RD(direct, i, i_ino);
	k->exe_dev = UW_RD(direct, i, i_sb, s_dev);
	k->exe_gen = UW_RD(direct, i, i_generation);
	k->exe_ctime_ns = inode_ctime_ns(i, direct);
	if (UW_RD(direct, i, __i_nlink) == 0)
		k->flags |= UW_F_EXE_UNLINKED;
}

/* Was a record with this key sent? Counts the repeat. */
UW_INLINE int repeat_seen(const struct uw_repeat_key *k)
{
	if (!bpf_map_lookup_elem(&repeat_map, k))
		return 0;
	count(UW_C_REPEAT);
	return 1;
}

#endif /* UW_REPEAT_H */
