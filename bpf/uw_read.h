/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Readers of kernel facts about a task: namespaces, cgroups, root directory, executable.
 * CO-RE reads only, so one object runs on every kernel with BTF.
 */
#ifndef UW_READ_H
#define UW_READ_H

/* The task's own pid namespace: the one its pid was allocated in (the deepest level). */
UW_INLINE __u32 task_pidns_inum(struct task_struct *t)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	struct pid_namespace *pns = NULL;
	unsigned int level;
	void *numbers;

	if (!p)
		return 0;
	level = BPF_CORE_READ(p, level);
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
 * created: only the one for its children does), the pid namespace for children in .pad (what
 * setns(CLONE_NEWPID) changes); returns 0, or -1 for a task without namespaces (exiting).
 */
UW_INLINE int read_ns_proxy(struct task_struct *t, struct uw_ns *ns)
{
	struct nsproxy *nsp = BPF_CORE_READ(t, nsproxy);

	if (!nsp)
		return -1;
	ns->user = BPF_CORE_READ(t, real_cred, user_ns, ns.inum);
	ns->mnt = BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	ns->net = BPF_CORE_READ(nsp, net_ns, ns.inum);
	ns->uts = BPF_CORE_READ(nsp, uts_ns, ns.inum);
	ns->ipc = BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	ns->cgroup = BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
	ns->pad = BPF_CORE_READ(nsp, pid_ns_for_children, ns.inum);
	return 0;
}

/* The whole namespace set; returns 0, or -1 for a task without namespaces (exiting). */
UW_INLINE int read_ns(struct task_struct *t, struct uw_ns *ns)
{
	if (read_ns_proxy(t, ns))
		return -1;
	ns->pid = task_pidns_inum(t);
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

UW_INLINE void read_cgroups(struct task_struct *t, struct uw_cgroup_key *cg)
{
	struct css_set *cs = BPF_CORE_READ(t, cgroups);
	struct cgroup_subsys_state *css = NULL;
	int idx;

	cg->cgroup_id = BPF_CORE_READ(cs, dfl_cgrp, kn, id);
	cg->cgroup1_id = 0;
	idx = cg1_index();
	if (idx < 0)
		return;
	bpf_probe_read_kernel(&css, sizeof(css),
			      (void *)cs + bpf_core_field_offset(struct css_set, subsys) +
				      idx * sizeof(void *));
	if (css)
		cg->cgroup1_id = BPF_CORE_READ(css, cgroup, kn, id);
}

/*
 * UW_F_ROOT_OTHER when the task's root directory is not the host's. A mount namespace copy
 * (PrivateTmp, unshare -m) keeps the same root dentry; pivot_root or chroot into an image
 * gives another. Unknown (0) until learn_host has found the host's root.
 */
UW_INLINE __u32 root_flag(struct task_struct *t)
{
	void *root = BPF_CORE_READ(t, fs, root.dentry);

	return host_root && root && root != host_root ? UW_F_ROOT_OTHER : 0;
}

/*
 * task->nsproxy: a plain load where the task pointer is BTF-typed (tp_btf, iterator), a probe
 * read in the raw_tp twins. `direct` is a constant at every entry point, so each program
 * carries one of the two.
 */
UW_INLINE void *task_nsproxy(struct task_struct *t, int direct)
{
	return direct ? (void *)t->nsproxy : (void *)BPF_CORE_READ(t, nsproxy);
}

/* A task sharing the host reference's nsproxy: every namespace but maybe the user one is the
 * host's (a task that changed namespaces always has a new nsproxy). */
UW_INLINE int is_host_task(struct task_struct *t, int direct)
{
	void *nsp = task_nsproxy(t, direct);

	return nsp && nsp == host_nsproxy;
}

/*
 * The executable's identity (device, inode), its base name into name (UW_EXE_LEN), and
 * UW_F_EXE_UNLINKED when the file has no link left (memfd_create, a deleted file).
 */
UW_INLINE __u32 read_file_id(struct file *f, __u64 *ino, __u32 *dev, char *name)
{
	struct inode *inode = BPF_CORE_READ(f, f_inode);
	const unsigned char *n = BPF_CORE_READ(f, f_path.dentry, d_name.name);

	*ino = BPF_CORE_READ(inode, i_ino);
	*dev = BPF_CORE_READ(inode, i_sb, s_dev);
	if (n && name)
		bpf_probe_read_kernel_str(name, UW_EXE_LEN, n);
	return inode && BPF_CORE_READ(inode, __i_nlink) == 0 ? UW_F_EXE_UNLINKED : 0;
}

#endif /* UW_READ_H */
