/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Readers of kernel facts about a task: namespaces, cgroups, root directory, executable.
 * CO-RE reads only, so one object runs on every kernel with BTF.
 */
#ifndef UW_READ_H
#define UW_READ_H

/*
 * UW_RD(direct, src, a, b, ...): the field chain src->a->b..., as plain loads where src is a
 * BTF-typed pointer (tp_btf arguments, the iterator's task: the verifier turns each load into
 * one instruction with a fault handler, a NULL on the way reading 0), else CO-RE probe reads
 * (raw_tp arguments, bpf_get_current_task). `direct` is a constant wherever a reader is
 * inlined, so each program carries one of the two. The loads are CO-RE relocated either way
 * (vmlinux.h's preserve_access_index).
 */
#define UW_ARROW1(s, a) (s)->a
#define UW_ARROW2(s, a, b) (s)->a->b
#define UW_ARROW3(s, a, b, c) (s)->a->b->c
#define UW_ARROW4(s, a, b, c, d) (s)->a->b->c->d
#define UW_NTH(_1, _2, _3, _4, n, ...) n
#define UW_NARG(...) UW_NTH(__VA_ARGS__, 4, 3, 2, 1, 0)
#define UW_CAT_(a, b) a##b
#define UW_CAT(a, b) UW_CAT_(a, b)
#define UW_RD(direct, src, ...)                                                          \
	((direct) ? UW_CAT(UW_ARROW, UW_NARG(__VA_ARGS__))(src, __VA_ARGS__)                \
		  : BPF_CORE_READ(src, __VA_ARGS__))

/* The task's own pid namespace: the one its pid was allocated in (the deepest level). */
UW_INLINE __u32 task_pidns_inum(struct task_struct *t, int direct)
{
	struct pid *p = UW_RD(direct, t, thread_pid);
	struct pid_namespace *pns = NULL;
	unsigned int level;
	void *numbers;

	if (!p)
		return 0;
	level = UW_RD(direct, p, level);
	/* level 0 (the host's pid namespace) is a constant offset, which a plain load takes */
	if (direct && level == 0)
		return p->numbers[0].ns->ns.inum;
	/* numbers[level]: a variable index, which only a probe read takes */
	numbers = (void *)p + bpf_core_field_offset(struct pid, numbers);
	bpf_probe_read_kernel(&pns, sizeof(pns),
			      numbers + level * bpf_core_type_size(struct upid) +
				      bpf_core_field_offset(struct upid, ns));
	if (!pns)
		return 0;
	return BPF_CORE_READ(pns, ns.inum);
}

/*
 * Fills ns but for the task's own pid namespace (which never changes after the task is
 * created: only the one for its children does, ns->pid_for_children, what setns(CLONE_NEWPID)
 * changes); returns 0, or -1 for a task without namespaces (exiting).
 */
UW_INLINE int read_ns_proxy(struct task_struct *t, struct uw_ns *ns, int direct)
{
	struct nsproxy *nsp = UW_RD(direct, t, nsproxy);

	if (!nsp)
		return -1;
	ns->user = UW_RD(direct, t, real_cred, user_ns, ns.inum);
	ns->mnt = UW_RD(direct, nsp, mnt_ns, ns.inum);
	ns->net = UW_RD(direct, nsp, net_ns, ns.inum);
	ns->uts = UW_RD(direct, nsp, uts_ns, ns.inum);
	ns->ipc = UW_RD(direct, nsp, ipc_ns, ns.inum);
	ns->cgroup = UW_RD(direct, nsp, cgroup_ns, ns.inum);
	ns->pid_for_children = UW_RD(direct, nsp, pid_ns_for_children, ns.inum);
	return 0;
}

/* The whole namespace set; returns 0, or -1 for a task without namespaces (exiting). */
UW_INLINE int read_ns(struct task_struct *t, struct uw_ns *ns, int direct)
{
	if (read_ns_proxy(t, ns, direct))
		return -1;
	ns->pid = task_pidns_inum(t, direct);
	return 0;
}

/* The kernel's index of a v1 controller, resolved by CO-RE on the running kernel. */
#define CG1_CASE(sel, id)                                                              \
	case sel:                                                                      \
		if (bpf_core_enum_value_exists(enum cgroup_subsys_id, id))             \
			return bpf_core_enum_value(enum cgroup_subsys_id, id);         \
		break

UW_INLINE int cg1_index(void)
{
	switch (cg1_subsys) {
	CG1_CASE(UW_CG1_PIDS, pids_cgrp_id);
	CG1_CASE(UW_CG1_MEMORY, memory_cgrp_id);
	CG1_CASE(UW_CG1_CPU, cpu_cgrp_id);
	CG1_CASE(UW_CG1_CPUACCT, cpuacct_cgrp_id);
	CG1_CASE(UW_CG1_CPUSET, cpuset_cgrp_id);
	CG1_CASE(UW_CG1_DEVICES, devices_cgrp_id);
	CG1_CASE(UW_CG1_FREEZER, freezer_cgrp_id);
	CG1_CASE(UW_CG1_BLKIO, io_cgrp_id);
	}
	return -1;
}

UW_INLINE void read_cgroups(struct task_struct *t, struct uw_cgroup_key *cg, int direct)
{
	struct css_set *cs = UW_RD(direct, t, cgroups);
	struct cgroup_subsys_state *css = NULL;
	int idx;

	cg->cgroup_id = UW_RD(direct, cs, dfl_cgrp, kn, id);
	cg->cgroup1_id = 0;
	idx = cg1_index();
	if (idx < 0)
		return;
	if (direct) /* cg1_subsys is read-only data, so the verifier knows idx: a constant offset */
		css = cs->subsys[idx];
	else
		bpf_probe_read_kernel(&css, sizeof(css),
				      (void *)cs + bpf_core_field_offset(struct css_set, subsys) +
					      idx * sizeof(void *));
	if (css)
		cg->cgroup1_id = UW_RD(direct, css, cgroup, kn, id);
}

/*
 * UW_F_ROOT_OTHER when the task's root directory is not the host's. A mount namespace copy
 * (PrivateTmp, unshare -m) keeps the same root dentry; pivot_root or chroot into an image
 * gives another. Unknown (0) until learn_host has found the host's root.
 */
UW_INLINE __u32 root_flag(struct task_struct *t, int direct)
{
	void *root = UW_RD(direct, t, fs, root.dentry);

	return host_root && root && root != host_root ? UW_F_ROOT_OTHER : 0;
}

/* kernel_cap_t in its two layouts, whichever the vmlinux.h in use has: two u32 words before
 * 6.3 (low first), one u64 since */
struct cred___cap32 {
	struct {
		__u32 cap[2];
	} cap_effective;
} __attribute__((preserve_access_index));

struct cred___cap64 {
	struct {
		__u64 val;
	} cap_effective;
} __attribute__((preserve_access_index));

/*
 * The effective capabilities as one u64 in either layout. A probe read takes the field whole,
 * 8 bytes at its relocated offset: the same little-endian value in both layouts.
 */
UW_INLINE __u64 cred_cap_effective(const struct cred *c, int direct)
{
	const struct cred___cap32 *c32 = (const void *)c;
	const struct cred___cap64 *c64 = (const void *)c;
	__u64 v = 0;

	if (!direct) {
		bpf_core_read(&v, sizeof(v), &c->cap_effective);
		return v;
	}
	if (bpf_core_field_exists(c64->cap_effective.val))
		return c64->cap_effective.val;
	return c32->cap_effective.cap[0] | (__u64)c32->cap_effective.cap[1] << 32;
}

/*
 * Is the task in every namespace of the host's but maybe the user one (a host task, never
 * watched)? Yes when it shares the host reference's nsproxy: a task that changed namespaces
 * always has a new one. Under tp_btf also when its nsproxy is a copy whose namespace objects
 * are the host's own (a setns back home, and the children of such a task), provided the task
 * was itself born in the host's pid namespace (level 0: its own pid namespace is not in the
 * nsproxy) and is not a watched process (whose namespace changes the backstop follows; for a
 * new child, whose parent's fork is where a parent's unhooked change is found, the parent). The
 * comparison is of the objects themselves, not of a remembered answer: the task's nsproxy
 * holds its namespaces alive and the host reference's hold the host's, so equal pointers are
 * the same namespaces, and a freed and reused nsproxy address can give no stale answer.
 */
UW_INLINE int is_host_task_of(struct task_struct *t, struct task_struct *owner, int direct)
{
	struct nsproxy *nsp = UW_RD(direct, t, nsproxy);
	__u32 tgid;

	if (!nsp)
		return 0;
	if ((void *)nsp == host_nsproxy)
		return 1;
	if (!direct || !host_mnt_ns)
		return 0;
	if ((void *)nsp->mnt_ns != host_mnt_ns || (void *)nsp->net_ns != host_net_ns ||
	    (void *)nsp->uts_ns != host_uts_ns || (void *)nsp->ipc_ns != host_ipc_ns ||
	    (void *)nsp->cgroup_ns != host_cgroup_ns ||
	    (void *)nsp->pid_ns_for_children != host_pid_children || t->thread_pid->level != 0)
		return 0;
	tgid = owner->tgid;
	return !seen_lookup(tgid);
}

/* owner: the process whose being watched rules the copy out (a new child's: its parent's) */
#define is_host_task(t, direct) is_host_task_of(t, t, direct)

/*
 * The executable's identity (device, inode), its base name into name (UW_EXE_LEN), and
 * UW_F_EXE_UNLINKED when the file has no link left (memfd_create, a deleted file).
 */
UW_INLINE __u32 read_file_id_n(struct file *f, __u64 *ino, __u32 *dev, char *name, __u32 cap,
				int direct)
{
	struct inode *inode = UW_RD(direct, f, f_inode);
	const unsigned char *n = UW_RD(direct, f, f_path.dentry, d_name.name);

	*ino = UW_RD(direct, inode, i_ino);
	*dev = UW_RD(direct, inode, i_sb, s_dev);
	if (n && name)
		bpf_probe_read_kernel_str(name, cap, n);
	return inode && UW_RD(direct, inode, __i_nlink) == 0 ? UW_F_EXE_UNLINKED : 0;
}

#define read_file_id(f, ino, dev, name, direct) read_file_id_n(f, ino, dev, name, UW_EXE_LEN, direct)

#endif /* UW_READ_H */
