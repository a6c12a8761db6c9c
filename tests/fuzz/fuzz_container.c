// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cgroup path -> container (user/container.c), with the README's invariants: an ID is 64
 * lowercase hex digits for the runtimes that use IDs, else a name of 1 to 128 bytes of
 * [A-Za-z0-9_.+@-]; a pod UID is whole (8-4-4-4-12 lowercase hex) or empty; the outermost match
 * wins (components added below the path do not change the container found).
 */
#include "fuzz.h"
#include "container.h"

/* 64-hex IDs: Docker, CRI-O, Podman, and containerd's but through its own API (ctr: names) */
static int hex_id(const char *rt, const char *iface)
{
	return !strcmp(rt, "docker") || !strcmp(rt, "crio") || !strcmp(rt, "podman") ||
	       (!strcmp(rt, "containerd") && iface && strcmp(iface, "containerd"));
}

static int id_ok(const char *id, const char *rt, const char *iface)
{
	size_t n = strlen(id), i;

	if (n == 0 || n > UW_CID_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char c = id[i];

		if (hex_id(rt, iface) ? !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
				    : !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
					(c >= '0' && c <= '9') || c == '_' || c == '.' || c == '+' ||
					c == '@' || c == '-'))
			return 0;
	}
	return !hex_id(rt, iface) || n == UW_CID_HEX_LEN;
}

static int uid_ok(const char *u)
{
	size_t i;

	if (!u[0])
		return 1;
	if (strlen(u) != UW_POD_UID_LEN)
		return 0;
	for (i = 0; i < UW_POD_UID_LEN; i++) {
		char c = u[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const char below[] = "/x/docker/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
	struct uw_container c, longer;
	char *p = fuzz_cstr(d, n), *q;
	int found = uw_container_from_path(p, n, &c);

	FUZZ_CHECK(fuzz_terminated(c.id, sizeof(c.id)));
	FUZZ_CHECK(fuzz_terminated(c.pod_uid, sizeof(c.pod_uid)));
	FUZZ_CHECK(fuzz_terminated(c.ns, sizeof(c.ns)));
	FUZZ_CHECK(fuzz_terminated(c.nested.id, sizeof(c.nested.id)));
	if (!found) {
		FUZZ_CHECK(c.id[0] == 0 && c.pod_uid[0] == 0);
		free(p);
		return 0;
	}
	FUZZ_CHECK(c.runtime && c.runtime[0]);
	FUZZ_CHECK(id_ok(c.id, c.runtime, c.iface));
	FUZZ_CHECK(uid_ok(c.pod_uid));
	if (c.nested.id[0])
		FUZZ_CHECK(c.nested.runtime && id_ok(c.nested.id, c.nested.runtime, NULL));
	/* outermost wins: a container below this path is nested, not the container */
	q = malloc(n + sizeof(below));
	if (!q)
		abort();
	memcpy(q, p, n);
	memcpy(q + n, below, sizeof(below));
	if (strlen(p) == n && uw_container_from_path(q, n + sizeof(below) - 1, &longer)) {
		FUZZ_CHECK(!strcmp(longer.id, c.id));
		FUZZ_CHECK(!strcmp(longer.runtime, c.runtime));
	}
	free(q);
	free(p);
	return 0;
}
