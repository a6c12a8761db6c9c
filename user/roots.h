/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where each engine keeps its containers' files, as the host names them: the defaults, what the
 * engines' own configuration under the host root says (Docker's daemon.json data-root and
 * exec-root, containerd's config.toml state, containers/storage's storage.conf graphroot and
 * runroot, LXC's lxc.conf lxc.lxcpath), and --data-root KEY=DIR over both. Read once at start.
 * A directory must be absolute, without "." or ".." components: it is looked up below the
 * host root, never outside it. Only names and images come from these files (metadata.h); a
 * container's identity and the verdicts never do.
 */
#ifndef UW_ROOTS_H
#define UW_ROOTS_H

#include <stddef.h>

#define UW_ROOT_MAX 512

enum uw_root_key {
	UW_ROOT_DOCKER = 0,   /* "docker": Docker's data-root (/var/lib/docker) */
	UW_ROOT_DOCKER_EXEC,  /* "docker-exec": Docker's exec-root (/run/docker) */
	UW_ROOT_CONTAINERD,   /* "containerd": containerd's state directory (/run/containerd) */
	UW_ROOT_STORAGE,      /* "storage": containers/storage's graphroot (/var/lib/containers/storage) */
	UW_ROOT_STORAGE_RUN,  /* "storage-run": its runroot (/run/containers/storage) */
	UW_ROOT_LXC,          /* "lxc": LXC's lxcpath (/var/lib/lxc) */
	UW_ROOT_N,
};

struct uw_roots {
	const char *host_root;          /* "/" or the host's root file system (a sidecar's mount) */
	char dir[UW_ROOT_N][UW_ROOT_MAX]; /* host paths */
	const char *from[UW_ROOT_N];    /* "default", the configuration file, or "--data-root" */
	unsigned warned;                /* bit per key: nothing was found there, said once */
};

/* The defaults, below host_root. */
void uw_roots_init(struct uw_roots *r, const char *host_root);
/* KEY=DIR (--data-root): 0, or -1 with why in err. */
int uw_roots_set(struct uw_roots *r, const char *spec, char *err, size_t len);
/* The engines' configuration under host_root, for every key --data-root did not set; what
 * cannot be used (unreadable syntax, a relative path) is said on stderr and the default kept. */
void uw_roots_read(struct uw_roots *r);
/* The key's name ("docker", …). */
const char *uw_root_name(enum uw_root_key k);
/* A container's files were not found below the key's directory: when that directory is not
 * there at all, says once on stderr (per key) where it looked and how to name another. */
void uw_roots_missed(struct uw_roots *r, enum uw_root_key k, const char *engine);

/* For the parsers' tests: a TOML file's basic-string KEY in TABLE ("" for the top level), or an
 * LXC-style "KEY = VALUE" file's KEY (table NULL), into out. 1 found, 0 not, -1 not usable
 * (said in err). */
int uw_conf_value(const char *buf, size_t len, const char *table, const char *key, char *out,
		  size_t cap, char *err, size_t errlen);

#endif
