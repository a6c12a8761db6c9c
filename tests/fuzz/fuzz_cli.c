// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Option parsing (user/cli.c): the input split at NUL bytes into at most 16 arguments.
 * Invariants: one of run, exit or error; a run has every value in its documented range.
 */
#include "fuzz.h"
#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = fuzz_cstr(d, n), *argv[18], *p = buf;
	FILE *out = fopen("/dev/null", "w");
	struct uw_config o;
	enum uw_cli_result r;
	int argc = 1;

	argv[0] = (char *)"userns-watch";
	while (p < buf + n && argc < 17) {
		argv[argc++] = p;
		p += strlen(p) + 1;
	}
	argv[argc] = NULL;
	r = uw_parse_args(argc, argv, &o, out, out);
	fclose(out);
	FUZZ_CHECK(r == UW_CLI_RUN || r == UW_CLI_EXIT || r == UW_CLI_ERROR || r == UW_CLI_VERSION);
	if (r == UW_CLI_RUN) {
		FUZZ_CHECK(o.max_alerts >= 1 && o.max_alerts <= UW_MAX_MAX_ALERTS);
		FUZZ_CHECK(o.ringbuf_kib >= 4 && o.ringbuf_kib <= UW_MAX_RINGBUF_KIB &&
			   !(o.ringbuf_kib & (o.ringbuf_kib - 1)));
		FUZZ_CHECK(o.report_interval <= UW_MAX_REPORT_INTERVAL);
		FUZZ_CHECK(o.procfs && o.procfs[0] && o.host_root && o.host_root[0]);
		FUZZ_CHECK(o.output == UW_OUT_TEXT || o.output == UW_OUT_JSON || o.output == UW_OUT_ECS ||
			   o.output == UW_OUT_OCSF);
		/* pins: an absolute directory, never with --once; --unpin names one */
		FUZZ_CHECK(!o.pin_dir || o.pin_dir[0] == '/');
		FUZZ_CHECK(!(o.once && o.pin_dir));
		FUZZ_CHECK(!o.unpin || o.pin_dir);
		FUZZ_CHECK(!o.check_policy || (o.check_policy[0] && !o.once && !o.unpin && !o.policy));
	}
	free(buf);
	return 0;
}
