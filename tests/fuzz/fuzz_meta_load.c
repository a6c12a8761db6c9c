// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime metadata read where each runtime keeps it, below a fake host root: the input is the
 * container's file (the first byte chooses the runtime: Docker's record, a containerd or CRI-O
 * OCI bundle, an LXC config that may include others). Invariants: every field terminated, the
 * name of an LXC container is its own, a userns_requested of -1, 0 or 1.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "metadata.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char root[64];

static void put(const char *rel, const void *buf, size_t n)
{
	char path[512], *s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(path, 0755);
		*s = '/';
	}
	f = fopen(path, "w");
	if (!f)
		abort();
	if (n && fwrite(buf, 1, n, f) != n)
		abort();
	fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	snprintf(root, sizeof(root), "/tmp/uw-fuzz-root-XXXXXX");
	if (!mkdtemp(root))
		abort();
	put("usr/share/lxc/config/common.conf", "lxc.cap.drop = sys_module\nlxc.include = /etc/lxc/d\n", 52);
	put("etc/lxc/d/10.conf", "lxc.idmap = u 0 100000 65536\n", 29);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const char *const files[] = {
		"var/lib/docker/containers/" ID "/config.v2.json",
		"run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
		"run/containers/storage/overlay-containers/" ID "/userdata/config.json",
		"var/lib/lxc/web01/config",
	};
	static const char *const runtimes[] = { "docker", "containerd", "crio", "lxc" };
	struct uw_container c;
	struct uw_meta m;
	unsigned k;

	if (n < 1)
		return 0;
	k = d[0] % 4;
	put(files[k], d + 1, n - 1);
	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", k == 3 ? "web01" : ID);
	c.runtime = runtimes[k];
	uw_meta_load(root, &c, &m);
	FUZZ_CHECK(fuzz_terminated(m.name, sizeof(m.name)) && fuzz_terminated(m.image, sizeof(m.image)) &&
		   fuzz_terminated(m.pod_name, sizeof(m.pod_name)) &&
		   fuzz_terminated(m.source, sizeof(m.source)) && fuzz_terminated(m.error, sizeof(m.error)));
	FUZZ_CHECK(m.userns_requested >= -1 && m.userns_requested <= 1);
	if (k == 3)
		FUZZ_CHECK(!strcmp(m.name, "web01"));
	return 0;
}
