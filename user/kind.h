/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The kinds of alert userns-watch writes (flood control keeps a budget per kind). */
#ifndef UW_KIND_H
#define UW_KIND_H

enum uw_alert_kind {
	UW_AK_HOST_USERNS = 0, /* "host_userns": a container process in the host user namespace */
	UW_AK_USERNS_CREATE,   /* "userns_create" */
	UW_AK_USERNS_ENTER,    /* "userns_enter" */
	UW_AK_ESCAPE,          /* "escape": a container process joined the host's namespaces */
	UW_AK_CGROUP_MOVE,     /* "cgroup_move": a container process left its container's cgroup */
	UW_AK_SELF,            /* "self": userns-watch's own process, once, never an alert */
	UW_AK_MAX,
};

#endif
