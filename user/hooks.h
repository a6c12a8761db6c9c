/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Which exec/fork/exit entry points the programs use: asked for (--hooks), then in use. */
#ifndef UW_HOOKS_H
#define UW_HOOKS_H

enum uw_hooks {
	UW_HOOKS_AUTO = 0, /* asked for: tp_btf where the kernel loads and attaches it, else raw_tp */
	UW_HOOKS_TP_BTF,   /* tp_btf/sched_process_* (BTF-typed tracepoints) */
	UW_HOOKS_RAW_TP,   /* their raw_tp twins */
	UW_HOOKS_NONE,     /* no live hook: the snapshot only (--once) */
};

/* "auto", "tp_btf", "raw_tp", "none" */
static inline const char *uw_hooks_name(enum uw_hooks h)
{
	return h == UW_HOOKS_TP_BTF ? "tp_btf" : h == UW_HOOKS_RAW_TP ? "raw_tp" : h == UW_HOOKS_NONE ? "none" : "auto";
}

#endif
