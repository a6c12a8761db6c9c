/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runtime metadata from what the runtimes leave on the host (no API server): the OCI bundle's
 * config.json, Kubernetes annotations, Docker's own container record, LXC's config.
 * Every string in these files may come from whoever wrote the pod or container spec: it is
 * bounded here and escaped on output.
 */
#ifndef UW_METADATA_H
#define UW_METADATA_H

#include <stddef.h>
#include "container.h"
#include "hostfile.h"

#define UW_META_STR 256
#define UW_META_MAX_FILE UW_HOSTFILE_MAX /* larger files are refused, not read */

struct uw_meta {
	char name[UW_META_STR];       /* Docker's container name, or the Kubernetes container name */
	char image[UW_META_STR];
	char image_id[80];            /* "sha256:" and 64 hex digits: the image's ID (the digest of
				       * its configuration) where the engine records it (Docker's
				       * config.v2.json Image, containers/storage's image, CRI-O's
				       * ImageRef annotation); "" otherwise or when not of that form */
	char pod_name[UW_META_STR];
	char pod_namespace[UW_META_STR];
	char pod_uid[UW_META_STR];
	int userns_requested;         /* -1 unknown, 0 no, 1 yes (OCI linux.namespaces has "user") */
	char userns_mode[64];         /* Docker's HostConfig.UsernsMode */
	int have_userns_mode;
	int privileged;               /* -1 unknown, 0 no, 1 yes (Docker's HostConfig.Privileged) */
	char source[512];             /* the file userns_requested and annotations came from */
	unsigned vouched;             /* UW_VOUCH_*: the fields the tool can vouch for (below) */
	char error[512];              /* why something is missing or was not read; "" if nothing */
};

/*
 * Which identity fields come from records the tool can trust for a container of this origin
 * (the container's ID and runtime, from its cgroup of origin, always): Docker's and Podman's own
 * records of the containers they made (name, image), the orchestrator's annotations only for a
 * container the kubelet made (its cgroup lies in the kubelet's pod tree with the pod UID the
 * annotations give). Annotations and labels on any other container are whatever its creator
 * wrote: shown, never matched by a policy rule.
 */
#define UW_VOUCH_NAME (1u << 0)
#define UW_VOUCH_IMAGE (1u << 1)
#define UW_VOUCH_POD (1u << 2)

void uw_meta_init(struct uw_meta *m);

/* Parsers of one file's bytes; return 0, or -1 with m->error set. Unknown fields are ignored. */
int uw_meta_parse_oci(const char *buf, size_t len, struct uw_meta *m);
int uw_meta_parse_docker_config(const char *buf, size_t len, struct uw_meta *m);
int uw_meta_parse_docker_hostconfig(const char *buf, size_t len, struct uw_meta *m);
int uw_meta_parse_lxc_config(const char *buf, size_t len, struct uw_meta *m);
/* containers/storage's containers.json (Podman, CRI-O): the record of container id, for its
 * name and image where still missing. */
int uw_meta_parse_storage(const char *buf, size_t len, const char *id, struct uw_meta *m);

/*
 * Looks for the container's files below host_root ("/" normally; the host's root file system
 * in a sidecar) where its runtime keeps them by default, and fills what it finds. Never fails: what cannot
 * be read is said in m->error.
 */
void uw_meta_load(const char *host_root, const struct uw_container *c, struct uw_meta *m);
/* The same below the directories r names (roots.h: the engines' data roots), saying once on
 * stderr per engine when a container's files were not found. */
struct uw_roots;
void uw_meta_load_in(struct uw_roots *r, const struct uw_container *c, struct uw_meta *m);


#endif
