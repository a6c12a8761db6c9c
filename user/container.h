/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* cgroup path -> container ID, runtime and pod UID. Pure string work, no I/O. */
#ifndef UW_CONTAINER_H
#define UW_CONTAINER_H

#include <stddef.h>

#define UW_CID_HEX_LEN 64 /* Docker, containerd, CRI-O, Podman IDs: 64 lowercase hex digits */
#define UW_CID_MAX 128    /* longest accepted ID or name (LXC, systemd-nspawn, ctr) */
#define UW_POD_UID_LEN 36 /* 8-4-4-4-12 */

struct uw_ref {
	char id[UW_CID_MAX + 1];
	const char *runtime;      /* static string from the layout table */
};

struct uw_container {
	char id[UW_CID_MAX + 1];
	const char *runtime;                /* static string from the layout table: the engine, one
					     * name whatever its cgroup driver and layout ("docker",
					     * "containerd", "crio", "podman", "lxc", "systemd-nspawn") */
	const char *iface;                  /* through what it was made, as its cgroup shows: "cri"
					     * (the kubelet: a pod's), "docker", "containerd" (its own
					     * API: ctr), "nerdctl", "podman", "lxc", "systemd-nspawn";
					     * NULL for none (unknown, host) */
	char pod_uid[UW_POD_UID_LEN + 1];   /* "" when not in a Kubernetes pod */
	char ns[64];                        /* containerd namespace ("default") where the path says */
	struct uw_ref nested;               /* innermost container below this one, id "" if none */
};

/* What alerts name when no container ID is known: runtime "unknown" (a process with a pid
 * namespace or root directory of its own) and "host" (a transition outside any container). */
extern const struct uw_container uw_unknown_container;
extern const struct uw_container uw_host_container;

/* Whether a and b are the same container: ID, runtime, interface, pod UID and containerd
 * namespace all the same (an ID alone is one per namespace: ctr's default/<id> and a pod's
 * <id> are two containers). */
int uw_container_same(const struct uw_container *a, const struct uw_container *b);

/*
 * Finds the container named by a cgroup path (as in /proc/PID/cgroup, v1 or v2).
 * The outermost one is the container: only the host's runtime creates top-level groups, while
 * a process inside a container may create look-alike groups below its own. The innermost
 * other match, if any, is reported as `nested` (docker-in-docker, a pod's runtime inside a
 * container), as the container's own cgroup names claim it.
 * Returns 1 and fills c when a container is found, 0 otherwise.
 */
int uw_container_from_path(const char *path, size_t len, struct uw_container *c);

/*
 * A container's names in as few bytes as they take (struct uw_container reserves the longest
 * of each: 392 bytes), for what keeps many of them (the cgroup cache): the two
 * runtimes, then id, pod_uid, ns and nested.id, each with its NUL.
 */
struct uw_cpack {
	const char *runtime, *nested_runtime, *iface;
	char s[];
};

/* Bytes c takes packed (struct uw_cpack and its strings). */
size_t uw_container_packed_len(const struct uw_container *c);
/* Packs c into p, uw_container_packed_len(c) bytes (aligned as struct uw_cpack). */
void uw_container_pack_to(const struct uw_container *c, struct uw_cpack *p);
/* A packed copy of c (malloc'd, free() it), NULL without memory. */
struct uw_cpack *uw_container_pack(const struct uw_container *c);
/* c as it was packed. */
void uw_container_unpack(const struct uw_cpack *p, struct uw_container *c);

#endif
