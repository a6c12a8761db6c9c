// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Merging setns calls (user/setns.c): a stream of calls (pid and namespace sets drawn from a
 * few values, so that they meet), takes and settles. Invariants: the count matches the slots,
 * every sequence taken starts where its first call started, an escape state has a mask, and
 * emptying the table leaves it empty.
 */
#include "fuzz.h"
#include "setns.h"

static const struct uw_ns host = { 100, 101, 102, 103, 104, 105, 106, 102 };

static uint32_t pick(uint8_t b, uint32_t host_v)
{
	return b % 3 == 0 ? host_v : 200 + b % 5;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct uw_setns_table t;
	struct uw_setns_seq q;
	size_t off;
	unsigned used, i;

	uw_setns_init(&t, &host);
	for (off = 0; off + 18 <= n; off += 18) {
		const uint8_t *p = d + off;
		struct uw_transition_event ev;
		uint32_t pid = p[0] % 300;

		memset(&ev, 0, sizeof(ev));
		ev.hdr.type = UW_T_TRANSITION;
		ev.hdr.size = sizeof(ev);
		ev.hdr.ts_ns = (uint64_t)p[1] * 10000000ULL;
		ev.syscall = UW_SYS_SETNS;
		ev.pid = pid;
		ev.flags = p[2];
		ev.before = (struct uw_ns){ pick(p[3], host.user), pick(p[4], host.mnt), pick(p[5], host.pid),
					    pick(p[6], host.net), pick(p[7], host.uts), pick(p[8], host.ipc),
					    pick(p[9], host.cgroup), pick(p[10], host.pid) };
		ev.after = (struct uw_ns){ pick(p[11], host.user), pick(p[12], host.mnt), ev.before.pid,
					   pick(p[13], host.net), pick(p[14], host.uts), pick(p[15], host.ipc),
					   pick(p[16], host.cgroup), pick(p[17], host.pid) };
		if (p[2] % 7 == 0) {
			if (uw_setns_take(&t, pid, &q))
				FUZZ_CHECK(q.used && q.last.pid == pid && q.calls >= 1);
		} else if (p[2] % 7 == 1) {
			uint64_t now = (uint64_t)p[1] * 10000000ULL; /* 0: every sequence, settled or not */

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
