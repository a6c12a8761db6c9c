// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The counter tables (include/uw_event.h UW_KERNEL_COUNTERS, user/counters.h UW_COUNTERS) as
 * JSON lines, for tools/dev/gen-counters.py, which writes the stats record's part of the JSON
 * schema and the table in docs/output.md from them (make generated).
 */
#include <stdio.h>

#include "counters.h"
#include "json.h"

static void row(const char *table, const struct uw_counter_def *d)
{
	struct uw_json j;

	uw_json_init(&j);
	uw_json_obj_begin(&j, NULL);
	uw_json_str(&j, "table", table, 16);
	uw_json_str(&j, "key", d->key, 64);
	uw_json_str(&j, "metric", d->metric, 128);
	uw_json_str(&j, "family_help", d->family_help, 512);
	uw_json_str(&j, "help", d->help, 512);
	uw_json_obj_end(&j);
	printf("%s\n", j.buf);
	uw_json_free(&j);
}

int main(void)
{
	size_t i;

	for (i = 0; i < UW_C_MAX; i++)
		row("kernel", &uw_kernel_counter_defs[i]);
	for (i = 0; i < uw_counter_ndefs; i++)
		row("user", &uw_counter_defs[i]);
	return 0;
}
