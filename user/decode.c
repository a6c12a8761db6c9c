// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "decode.h"

#include <string.h>

enum uw_event_kind uw_decode(const void *data, size_t size, struct uw_event *ev, struct uw_counters *c)
{
	const struct uw_hdr *hdr = data;

	ev->kind = UW_EVENT_BAD;
	ev->task = NULL;
	ev->tr = NULL;
	ev->cg = NULL;
	if (size >= UW_TASK_SHORT_SIZE && hdr->type == UW_T_TASK &&
	    ((const struct uw_task_event *)data)->source == UW_SRC_SNAPSHOT)
		c->snapshot++;
	else
		c->received++;

	if (size >= UW_TASK_SHORT_SIZE && hdr->type == UW_T_TASK && hdr->size == UW_TASK_SHORT_SIZE) {
		/* the short form: the whole record with the rest of exe empty (NUL-terminated by
		 * the kernel's string read, terminated here all the same) */
		memcpy(&ev->whole, data, UW_TASK_SHORT_SIZE);
		memset((char *)&ev->whole + UW_TASK_SHORT_SIZE, 0, sizeof(ev->whole) - UW_TASK_SHORT_SIZE);
		ev->whole.exe[UW_EXE_SHORT - 1] = '\0';
		ev->whole.hdr.size = sizeof(ev->whole);
		ev->task = &ev->whole;
		return ev->kind = UW_EVENT_TASK;
	}
	if (size >= sizeof(struct uw_task_event) && hdr->type == UW_T_TASK &&
	    hdr->size == sizeof(struct uw_task_event)) {
		ev->task = data;
		return ev->kind = UW_EVENT_TASK;
	}
	if (size >= sizeof(struct uw_transition_event) && hdr->type == UW_T_TRANSITION &&
	    hdr->size == sizeof(struct uw_transition_event)) {
		ev->tr = data;
		return ev->kind = UW_EVENT_TRANSITION;
	}
	if (size >= sizeof(struct uw_cgroup_event) && hdr->type == UW_T_CGROUP_GONE &&
	    hdr->size == sizeof(struct uw_cgroup_event)) {
		ev->cg = data;
		return ev->kind = UW_EVENT_CGROUP_GONE;
	}
	c->bad_records++;
	return UW_EVENT_BAD;
}
