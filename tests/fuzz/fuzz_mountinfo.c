// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mountinfo lines (user/cgroup.c): the line reader, then the parser of one line. Invariants:
 * only cgroup and cgroup2 mounts are taken, every field is terminated within its buffer and
 * holds no newline.
 */
#include "fuzz.h"
#include "cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static char line[3 * UW_PATH_MAX];
	struct uw_mount m;
	FILE *f = n ? fmemopen((void *)d, n, "r") : NULL;

	if (!f)
		return 0;
	while (uw_read_line(f, line, sizeof(line))) {
		FUZZ_CHECK(!strchr(line, '\n'));
		if (!uw_parse_mountinfo_line(line, &m))
			continue;
		FUZZ_CHECK(!strcmp(m.fstype, "cgroup") || !strcmp(m.fstype, "cgroup2"));
		FUZZ_CHECK(fuzz_terminated(m.point, sizeof(m.point)) &&
			   fuzz_terminated(m.root, sizeof(m.root)) &&
			   fuzz_terminated(m.opts, sizeof(m.opts)));
	}
	fclose(f);
	return 0;
}
