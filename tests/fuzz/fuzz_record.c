// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel-record decoder and the pipeline behind it (user/pipeline.c): any bytes of any size,
 * as a stream of records (each a 2-byte length, then that many bytes), through one long-lived
 * pipeline (its tables, setns sequences and flood control carry over from input to input),
 * output to /dev/null, in JSON or text (short or -v lines) as the input's length picks. Invariants: no write error, the counts add up, the setns table's count
 * matches its slots, no more repeat-cache keys added than exec and fork records, nor added
 * and refused than task records.
 */
#include <unistd.h>

#include "fuzz.h"
#include "pipeline.h"

static struct uw_pipeline rep;
static struct uw_cgroups cg = { .v2.fd = -1, .v1.fd = -1, .v1_ctrl = UW_CG1_PIDS, .v1_name = "pids" };
static char procfs[64];
static uint64_t repeats_added;

/* the kernel's repeat map: refuses a key now and then (an odd epoch), as a full map would */
static int on_repeat(void *ctx, const struct uw_repeat_key *k)
{
	if (k->epoch & 1)
		return -1;
	repeats_added++;
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct uw_ns host = { 4026531837u, 4026531840u, 4026531836u, 4026531992u,
					   4026531838u, 4026531839u, 4026531835u, 4026531836u };
	struct uw_pipeline_opts o = {
		.procfs = procfs, .host = &host, .cg = &cg, .max_alerts = 4,
		/* alert_limit records now and then: walking every container on each input would
		 * make the harness slower as its state grows */
		.report_interval_ns = 10000000ULL,
		.kernel = { .repeat = on_repeat },
		.out = fopen("/dev/null", "w"), .format = UW_OUT_JSON, .host_name = "fuzz",
	};

	snprintf(procfs, sizeof(procfs), "/tmp/uw-fuzz-proc-XXXXXX");
	if (!o.out || !mkdtemp(procfs) || uw_pipeline_init(&rep, &o))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	size_t off = 0;
	unsigned used, i;

	/* the length picks the writer, so one corpus exercises all five */
	rep.enc.fmt = n % 5 == 0 ? UW_OUT_JSON : n % 5 == 3 ? UW_OUT_ECS : n % 5 == 4 ? UW_OUT_OCSF : UW_OUT_TEXT;
	rep.enc.verbose = n % 5 == 2;
	while (off + 2 <= n) {
		size_t len = ((size_t)d[off] | (size_t)d[off + 1] << 8) % 1024;
		uint8_t *rec;

		off += 2;
		if (len > n - off)
			len = n - off;
		rec = malloc(len ? len : 1); /* exactly len bytes: AddressSanitizer sees overreads */
		if (!rec)
			abort();
		memcpy(rec, d + off, len);
		FUZZ_CHECK(uw_pipeline_record(&rep, rec, len) == 0);
		free(rec);
		off += len;
	}
	FUZZ_CHECK(uw_pipeline_tick(&rep, uw_now_boot_ns()) == 0);
	for (used = 0, i = 0; i < UW_PENDING_SETNS; i++)
		used += rep.setns.s[i].used != 0;
	FUZZ_CHECK(used == rep.setns.used);
	FUZZ_CHECK(rep.write_errno == 0);
	FUZZ_CHECK(rep.counts.alerts <= rep.counts.violations);
	FUZZ_CHECK(rep.counts.late <= rep.counts.transitions);
	FUZZ_CHECK(repeats_added <= rep.counts.received); /* exec and fork records only */
	FUZZ_CHECK(repeats_added + rep.counts.repeat_failed <= rep.counts.received + rep.counts.snapshot);
	return 0;
}
