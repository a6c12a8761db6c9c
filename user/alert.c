// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "alert.h"

const char *uw_source_name(uint32_t source)
{
	switch (source) {
	case UW_SRC_EXEC: return "exec";
	case UW_SRC_FORK: return "fork";
	case UW_SRC_SNAPSHOT: return "snapshot";
	case UW_SRC_EXIT: return "exit";
	}
	return "unknown";
}

const char *uw_syscall_name(uint32_t syscall)
{
	switch (syscall) {
	case UW_SYS_SETNS: return "setns";
	case UW_SYS_UNSHARE: return "unshare";
	case UW_SYS_CLONE: return "clone";
	case UW_SYS_CLONE3: return "clone3";
	case UW_SYS_CGROUP_MOVE: return "cgroup_move";
	case UW_SYS_PTRACE: return "ptrace";
	case UW_SYS_VM_WRITE: return "process_vm_writev";
	case UW_SYS_PTRACE_ACCESS: return "ptrace_access";
	case UW_SYS_PROC_MEM: return "proc_pid_mem";
	case UW_SYS_UNKNOWN: return "unknown";
	}
	return "unknown";
}

/* JSON event names and text labels, by kind */
static const struct {
	const char *event;
	const char *label;
} kinds[UW_AK_MAX] = {
	[UW_AK_HOST_USERNS] = { "host_userns", "HOST-USERNS" },
	[UW_AK_USERNS_CREATE] = { "userns_create", "USERNS-CREATE" },
	[UW_AK_USERNS_ENTER] = { "userns_enter", "USERNS-ENTER" },
	[UW_AK_ESCAPE] = { "escape", "ESCAPE" },
	[UW_AK_CGROUP_MOVE] = { "cgroup_move", "CGROUP-MOVE" },
	[UW_AK_SELF] = { "self", "SELF" },
};

const char *uw_alert_kind_name(enum uw_alert_kind k)
{
	return kinds[k].event;
}

const char *uw_alert_kind_label(enum uw_alert_kind k)
{
	return kinds[k].label;
}

const char *uw_evidence_name(enum uw_evidence e)
{
	switch (e) {
	case UW_EV_CGROUP: return "cgroup";
	case UW_EV_NAMESPACES: return "namespaces";
	case UW_EV_PID_NS: return "pid_namespace";
	case UW_EV_ROOT: return "root_directory";
	case UW_EV_NONE: break;
	}
	return NULL;
}

const char *uw_origin_how_name(uint32_t how)
{
	switch (how) {
	case UW_ORIGIN_PLACED: return "placed";
	case UW_ORIGIN_INHERITED: return "inherited";
	case UW_ORIGIN_SNAPSHOT: return "snapshot";
	case UW_ORIGIN_HELD: return "held";
	}
	return "unknown";
}
