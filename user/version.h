/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * userns-watch's version: --version, the records (ECS observer, OCSF product), the image tag.
 * What names the build beside it (--version): the git revision it was made from, written by the
 * Makefile into a header of the build's own (tools/dist/buildinfo.sh), read by version.c alone
 * so that a new commit recompiles that one file.
 */
#ifndef UW_VERSION_H
#define UW_VERSION_H

#include <stdio.h>

#define UW_VERSION "0.1.0"

/* the revision: 40 hex digits, "-dirty" after them for a tree that differed from its commit;
 * "unknown" outside a git checkout */
extern const char uw_revision[];

/* The name of the build, on five lines ("userns-watch VERSION", then "revision: ",
 * "architecture: ", "libbpf: " and "bpf object: sha256:HEX"); bpf_sha256 is the BPF object's
 * digest (loader.h), NULL where it is not known. */
void uw_version_print(FILE *f, const char *bpf_sha256);

#endif
