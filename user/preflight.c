// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "preflight.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <unistd.h>

static int has_cap(cap_t caps, cap_value_t c)
{
	cap_flag_value_t v = CAP_CLEAR;

	if (!CAP_IS_SUPPORTED(c))
		return 0;
	if (cap_get_flag(caps, c, CAP_EFFECTIVE, &v))
		return 0;
	return v == CAP_SET;
}

int uw_check_privileges(char *err, size_t errlen)
{
	cap_t caps = cap_get_proc();
	char missing[256] = "";
	int admin, bpf, perfmon;

	if (!caps) {
		snprintf(err, errlen, "cannot read this process's capabilities: %s", strerror(errno));
		return -1;
	}
	admin = has_cap(caps, CAP_SYS_ADMIN);
	bpf = has_cap(caps, CAP_BPF);
	perfmon = has_cap(caps, CAP_PERFMON);
	if (!admin && !(bpf && perfmon))
		strcat(missing, bpf ? " CAP_PERFMON" : perfmon ? " CAP_BPF" : " CAP_BPF CAP_PERFMON");
	if (!has_cap(caps, CAP_SYS_PTRACE))
		strcat(missing, " CAP_SYS_PTRACE");
	if (!has_cap(caps, CAP_DAC_READ_SEARCH))
		strcat(missing, " CAP_DAC_READ_SEARCH");
	cap_free(caps);
	if (missing[0]) {
		snprintf(err, errlen,
			 "userns-watch needs root (it loads BPF programs and reads other processes' "
			 "/proc entries); missing capabilities:%s",
			 missing);
		return -1;
	}
	return 0;
}

int uw_check_btf(const char *path, char *err, size_t errlen)
{
	if (access(path, R_OK) == 0)
		return 0;
	snprintf(err, errlen,
		 "this kernel exposes no BTF type information (%s: %s); userns-watch needs a kernel "
		 "built with CONFIG_DEBUG_INFO_BTF=y",
		 path, strerror(errno));
	return -1;
}

int uw_tracefs_ready(int *mounted)
{
	*mounted = 0;
	if (access("/sys/kernel/tracing/events", F_OK) == 0 ||
	    access("/sys/kernel/debug/tracing/events", F_OK) == 0)
		return 0;
	if (mount("tracefs", "/sys/kernel/tracing", "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return -errno;
	*mounted = 1;
	return 0;
}

void uw_tracefs_release(int mounted)
{
	if (mounted)
		umount2("/sys/kernel/tracing", MNT_DETACH);
}

int uw_check_ringbuf(char *err, size_t errlen)
{
	int fd;

	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) > 0)
		return 0;
	/* the probe says no for any failure: a map every kernel has tells a refused bpf() apart */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	if (fd < 0 && (errno == EPERM || errno == EACCES)) {
		snprintf(err, errlen,
			 "the kernel refuses bpf() to this process (%s): in a container, the engine's "
			 "default seccomp profile may allow it only with CAP_SYS_ADMIN (run it unconfined: "
			 "userns-watch loads its own allow-list once set up)",
			 strerror(errno));
		return -1;
	}
	if (fd >= 0)
		close(fd);
	snprintf(err, errlen,
		 "this kernel has no BPF ring buffer (BPF_MAP_TYPE_RINGBUF, Linux 5.8 or later), "
		 "which userns-watch needs to receive events");
	return -1;
}
