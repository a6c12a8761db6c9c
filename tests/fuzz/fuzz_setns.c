// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Merging setns calls (user/setns.c): a stream of calls (pid and namespace sets drawn from a
 * few values, so that they meet), takes and settles. Invariants: the count matches the slots,
 * every sequence taken starts where its first call started, an escape state has a mask, and
 * emptying the table leaves it empty.
 */
#include "fuzz.h"
#include "fuzz_setns.h"
#include "setns.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct uw_setns_table t;
	const struct uw_ns host = fs_host;
	struct uw_setns_seq q;
	size_t off;
	unsigned used, i;

	uw_setns_init(&t, &host);
	for (off = 0; off + FUZZ_SETNS_STEP <= n; off += FUZZ_SETNS_STEP) {
		const uint8_t *p = d + off, *b = p + FS_BEFORE, *a = p + FS_AFTER;
		struct uw_transition_event ev;
		uint32_t pid = p[FS_PID] % 300;

		memset(&ev, 0, sizeof(ev));
		ev.hdr.type = UW_T_TRANSITION;
		ev.hdr.size = sizeof(ev);
		ev.hdr.ts_ns = (uint64_t)p[FS_TIME] * FUZZ_SETNS_TIME_NS;
		ev.syscall = UW_SYS_SETNS;
		ev.pid = pid;
		ev.flags = p[FS_OP];
		ev.before = (struct uw_ns){ fs_pick(b[0], host.user), fs_pick(b[1], host.mnt),
					    fs_pick(b[2], host.pid), fs_pick(b[3], host.net),
					    fs_pick(b[4], host.uts), fs_pick(b[5], host.ipc),
					    fs_pick(b[6], host.cgroup), fs_pick(b[7], host.pid) };
		ev.after = (struct uw_ns){ fs_pick(a[0], host.user), fs_pick(a[1], host.mnt), ev.before.pid,
					   fs_pick(a[2], host.net), fs_pick(a[3], host.uts),
					   fs_pick(a[4], host.ipc), fs_pick(a[5], host.cgroup),
					   fs_pick(a[6], host.pid) };
		if (p[FS_OP] % 7 == 0) {
			if (uw_setns_take(&t, pid, &q))
				FUZZ_CHECK(q.used && q.last.pid == pid && q.calls >= 1);
		} else if (p[FS_OP] % 7 == 1) {
			uint64_t now = (uint64_t)p[FS_TIME] * FUZZ_SETNS_TIME_NS; /* 0: every sequence, settled or not */

			if (uw_setns_take_settled(&t, now, &q))
				FUZZ_CHECK(!now || q.last.hdr.ts_ns + UW_SETNS_SETTLE_NS <= now);
		} else if (uw_setns_add(&t, &ev, &q)) {
			FUZZ_CHECK(q.used && q.calls >= 1);
		}
		for (used = 0, i = 0; i < UW_PENDING_SETNS; i++)
			used += t.s[i].used != 0;
		FUZZ_CHECK(used == t.used && used <= UW_PENDING_SETNS);
	}
	while (uw_setns_take_settled(&t, 0, &q)) {
		FUZZ_CHECK(!q.have_escape || q.escape_mask);
		FUZZ_CHECK(!q.have_escape || q.escape.before.mnt == q.last.before.mnt);
	}
	FUZZ_CHECK(t.used == 0);
	return 0;
}
