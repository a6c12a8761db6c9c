// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test helper: which setns/unshare entry points the running kernel takes, found apart from
 * userns-watch's loader, so tests assert what this kernel accepts rather than what one kernel
 * did. Prints "fentry" (an fentry program loads and attaches on the 64-bit setns entry point:
 * arm64 kernels before 6.4 load it but cannot attach it, having no ftrace direct calls) or
 * "tracepoint", then " compat" when the 32-bit table's entry points exist too, then " regs"
 * when the kernel has the bpf_task_pt_regs helper (5.15+: the tp_btf fork program reads the
 * parent's syscall number with it; without it the raw_tp twins are used).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "uw_arch.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* the kernel's own list of helpers (enum bpf_func_id in its BTF) names task_pt_regs */
static int has_task_pt_regs(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	const struct btf_type *t;
	const struct btf_enum *e;
	int id, i, found = 0;

	if (!btf)
		return 0;
	id = btf__find_by_name_kind(btf, "bpf_func_id", BTF_KIND_ENUM);
	if (id > 0) {
		t = btf__type_by_id(btf, id);
		e = btf_enum(t);
		for (i = 0; i < btf_vlen(t) && !found; i++)
			found = !strcmp(btf__name_by_offset(btf, e[i].name_off), "BPF_FUNC_task_pt_regs");
	}
	btf__free(btf);
	return found;
}

int main(void)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	int id, fd = -1;

	libbpf_set_print(quiet);
	id = libbpf_find_vmlinux_btf_id(UW_SYS(setns), BPF_TRACE_FENTRY);
	if (id > 0) {
		opts.attach_btf_id = (__u32)id;
		fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "uw_probe", "GPL", insns, 2, &opts);
	}
	if (fd >= 0) {
		int link = bpf_raw_tracepoint_open(NULL, fd);

		if (link < 0) {
			close(fd);
			fd = -1;
		} else {
			close(link);
		}
	}
	printf("%s", fd >= 0 ? "fentry" : "tracepoint");
	if (fd >= 0 && libbpf_find_vmlinux_btf_id(UW_SYS32(setns), BPF_TRACE_FENTRY) > 0 &&
	    libbpf_find_vmlinux_btf_id(UW_SYS32(unshare), BPF_TRACE_FENTRY) > 0)
		printf(" compat");
	if (has_task_pt_regs())
		printf(" regs");
	printf("\n");
	if (fd >= 0)
		close(fd);
	return 0;
}
