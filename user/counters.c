// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "counters.h"

#include "uw_event.h"

#define UW_COUNTER_DEF(field, key, metric, family_help, help) \
	{ key, metric, family_help, help, offsetof(struct uw_counters, field) },
const struct uw_counter_def uw_counter_defs[] = { UW_COUNTERS(UW_COUNTER_DEF) };
#undef UW_COUNTER_DEF
const size_t uw_counter_ndefs = sizeof(uw_counter_defs) / sizeof(uw_counter_defs[0]);

#define UW_KERNEL_DEF(name, key, metric, family_help, help) [UW_C_##name] = { key, metric, family_help, help, 0 },
const struct uw_counter_def uw_kernel_counter_defs[UW_C_MAX] = { UW_KERNEL_COUNTERS(UW_KERNEL_DEF) };
#undef UW_KERNEL_DEF
