// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Test helper: which setns/unshare entry points the running kernel takes, found apart from
 * userns-watch's loader, so tests assert what this kernel accepts rather than what one kernel
 * did. Prints "fentry" (an fentry program loads on the x86-64 setns entry point) or
 * "tracepoint", then " compat" when the 32-bit table's entry points exist too.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <unistd.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
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
	id = libbpf_find_vmlinux_btf_id("__x64_sys_setns", BPF_TRACE_FENTRY);
	if (id > 0) {
		opts.attach_btf_id = (__u32)id;
		fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "uw_probe", "GPL", insns, 2, &opts);
	}
	printf("%s", fd >= 0 ? "fentry" : "tracepoint");
	if (fd >= 0 && libbpf_find_vmlinux_btf_id("__ia32_sys_setns", BPF_TRACE_FENTRY) > 0 &&
	    libbpf_find_vmlinux_btf_id("__ia32_sys_unshare", BPF_TRACE_FENTRY) > 0)
		printf(" compat");
	printf("\n");
	if (fd >= 0)
		close(fd);
	return 0;
}
