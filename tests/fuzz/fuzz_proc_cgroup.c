// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * /proc/PID/cgroup parsing (user/cgroup.c): the v2 ("0::") and v1 paths, the hierarchy ID.
 * Invariants: outputs terminated within their buffers, never holding a newline (a line is one
 * line: a long line's tail is never read as another), the first matching line wins.
 */
#include "fuzz.h"
#include "cgroup.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char v2[UW_PATH_MAX], v1[UW_PATH_MAX];
	FILE *f = n ? fmemopen((void *)d, n, "r") : NULL;

	if (!f)
		return 0;
	uw_cgroup_paths_parse(f, "pids", v2, sizeof(v2), v1, sizeof(v1));
	FUZZ_CHECK(fuzz_terminated(v2, sizeof(v2)) && fuzz_terminated(v1, sizeof(v1)));
	FUZZ_CHECK(!strchr(v2, '\n') && !strchr(v1, '\n'));
	rewind(f);
	(void)uw_cgroup_hierarchy_id_f(f, "memory");
	fclose(f);
	return 0;
}
