// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cgroup path -> container: a table of real-looking paths with the exact answer expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"

#define ID1 "3f4e1a9b2c7d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081"
#define ID2 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "8e2f6c1a-4b7d-4c3e-9f10-2a3b4c5d6e7f"
#define UID_ "8e2f6c1a_4b7d_4c3e_9f10_2a3b4c5d6e7f"

#define ID3 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

struct row {
	const char *path;
	const char *id;      /* NULL: must not match */
	const char *runtime; /* "RUNTIME/INTERFACE" */
	const char *pod_uid; /* "" when none */
	const char *nested;  /* nested container ID, "" when none */
};

static const struct row rows[] = {
	/* Docker: cgroupfs driver (v1 and v2 look the same), systemd driver */
	{ "/docker/" ID1, ID1, "docker/docker", "", "" },
	{ "/docker/" ID1 "/", ID1, "docker/docker", "", "" },
	{ "/custom-parent/docker/" ID1, ID1, "docker/docker", "", "" },
	{ "/system.slice/docker-" ID1 ".scope", ID1, "docker/docker", "", "" },
	/* containerd CRI plugin, systemd driver, the three QoS classes */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	  ".slice/cri-containerd-" ID2 ".scope",
	  ID2, "containerd/cri", UID, "" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
	  ".slice/cri-containerd-" ID2 ".scope",
	  ID2, "containerd/cri", UID, "" },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID2 ".scope", ID2,
	  "containerd/cri", UID, "" },
	/* kind / kubelet in its own slice */
	{ "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
	  "kubelet-kubepods-besteffort-pod" UID_ ".slice/cri-containerd-" ID2 ".scope",
	  ID2, "containerd/cri", UID, "" },
	/* containerd with the cgroupfs driver under a systemd-style parent: a literal name */
	{ "/system.slice/containerd.service/kubepods-burstable-pod" UID_ ".slice:cri-containerd:" ID2,
	  ID2, "containerd/cri", UID, "" },
	/* a pod slice whose UID has a bad byte names no pod, not a part of one (found by fuzzing:
	 * the UID was written out before it was checked whole) */
	{ "/kubepods.slice/kubepods-pod8e2f6c1a_4b\xce" "d_4c3e_9f10_2a3b4c5d6e7f.slice/cri-containerd-" ID2
	  ".scope",
	  ID2, "containerd/cri", "", "" },
	{ "/system.slice/containerd.service/kubepods-burstable-pod8e2f6c1a_4b\xce"
	  "d_4c3e_9f10_2a3b4c5d6e7f.slice:cri-containerd:" ID2,
	  ID2, "containerd/cri", "", "" },
	/* Kubernetes with the Docker engine, systemd driver */
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/docker-" ID1 ".scope", ID1, "docker/cri", UID, "" },
	/* Kubernetes, cgroupfs driver */
	{ "/kubepods/burstable/pod" UID "/" ID2, ID2, "containerd/cri", UID, "" },
	{ "/kubepods/pod" UID "/" ID2, ID2, "containerd/cri", UID, "" },
	{ "/kubepods/besteffort/pod" UID "/" ID1, ID1, "containerd/cri", UID, "" },
	/* CRI-O: systemd and cgroupfs drivers; its conmon scope is no container */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice/crio-" ID3
	  ".scope",
	  ID3, "crio/cri", UID, "" },
	{ "/kubepods/burstable/pod" UID "/crio-" ID3, ID3, "crio/cri", UID, "" },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-conmon-" ID3 ".scope", NULL, NULL, NULL,
	  NULL },
	{ "/machine.slice/kubepods-pod" UID_ ".slice:crio:" ID3, ID3, "crio/cri", UID, "" },
	/* Podman: systemd (machine.slice), crun's "container" subgroup, cgroupfs; not conmon */
	{ "/machine.slice/libpod-" ID1 ".scope", ID1, "podman/podman", "", "" },
	{ "/machine.slice/libpod-" ID1 ".scope/container", ID1, "podman/podman", "", "" },
	{ "/libpod_parent/libpod-" ID1, ID1, "podman/podman", "", "" },
	{ "/machine.slice/libpod-conmon-" ID1 ".scope", NULL, NULL, NULL, NULL },
	/* nerdctl (systemd), ctr / nerdctl in containerd's default namespace (cgroupfs) */
	{ "/system.slice/nerdctl-" ID2 ".scope", ID2, "containerd/nerdctl", "", "" },
	{ "/default/" ID2, ID2, "containerd/containerd", "", "" },
	{ "/default/my-ctr_1", "my-ctr_1", "containerd/containerd", "", "" },
	/* LXC 4+ (v1 and v2), older LXC; its monitor is no container */
	{ "/lxc.payload.web01", "web01", "lxc/lxc", "", "" },
	{ "/lxc.payload.web01/init.scope", "web01", "lxc/lxc", "", "" },
	{ "/lxc/web01", "web01", "lxc/lxc", "", "" },
	{ "/lxc.payload/web01", "web01", "lxc/lxc", "", "" },
	{ "/lxc.monitor.web01", NULL, NULL, NULL, NULL },
	/* systemd-nspawn, with systemd's escaping */
	{ "/machine.slice/machine-debian\\x2dbuild.scope", "debian-build", "systemd-nspawn/systemd-nspawn", "", "" },
	{ "/machine.slice/machine-test1.scope/payload", "test1", "systemd-nspawn/systemd-nspawn", "", "" },
	/* nested: the outermost container wins; the innermost other match is reported too */
	{ "/docker/" ID1 "/docker/" ID2, ID1, "docker/docker", "", ID2 },
	{ "/system.slice/docker-" ID1 ".scope/system.slice/docker-" ID2 ".scope/docker/" ID3, ID1,
	  "docker/docker", "", ID3 },
	{ "/docker/" ID1 "/kubepods/burstable/pod" UID "/" ID2, ID1, "docker/docker", "", ID2 },
	{ "/lxc.payload.c1/system.slice/docker-" ID2 ".scope", "c1", "lxc/lxc", "", ID2 },

	/* look-alikes that must not match */
	{ "/", NULL, NULL, NULL, NULL },
	{ "", NULL, NULL, NULL, NULL },
	{ "/docker", NULL, NULL, NULL, NULL },
	{ "/docker/" ID1 "0", NULL, NULL, NULL, NULL },                   /* 65 digits */
	{ "/docker/3f4e1a9b2c7d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708", NULL, NULL,
	  NULL, NULL },                                                     /* 63 digits */
	{ "/docker/3F4E1A9B2C7D8E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F7081", NULL, NULL,
	  NULL, NULL },                                                     /* upper case */
	{ "/docker/3f4e1a9b2c7d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708g", NULL, NULL,
	  NULL, NULL },                                                     /* not hex */
	{ "/notdocker/" ID1, NULL, NULL, NULL, NULL },
	{ "/dockerx/" ID1, NULL, NULL, NULL, NULL },
	{ "/system.slice/docker.service", NULL, NULL, NULL, NULL },
	{ "/system.slice/docker-" ID1 ".scopex", NULL, NULL, NULL, NULL },
	{ "/system.slice/docker-" ID1 ".scope.d", NULL, NULL, NULL, NULL },
	{ "/system.slice/xdocker-" ID1 ".scope", NULL, NULL, NULL, NULL },
	{ "/system.slice/containerd.service", NULL, NULL, NULL, NULL },
	{ "/system.slice/crio.service", NULL, NULL, NULL, NULL },
	{ "/user.slice/user-1000.slice/session-2.scope", NULL, NULL, NULL, NULL },
	{ "/process_api/33cb9d0f2fef5c672a4701f6a0ecebfe", NULL, NULL, NULL, NULL }, /* 32 digits */
	{ "/kubepods/burstable/pod" UID, NULL, NULL, NULL, NULL },         /* pod, no container */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice", NULL,
	  NULL, NULL, NULL },
	{ "/pod" UID "/" ID2, NULL, NULL, NULL, NULL },                    /* no kubepods above */
	{ "/kubepods/burstable/podnot-a-uid/" ID2, NULL, NULL, NULL, NULL },
	{ "/" ID1, NULL, NULL, NULL, NULL },                               /* bare ID at the top */
	{ "/system.slice/" ID1, NULL, NULL, NULL, NULL },
	{ "/x/default/" ID2, NULL, NULL, NULL, NULL },                     /* not at the top */
	{ "/default", NULL, NULL, NULL, NULL },
	{ "/system.slice/x:cri-containerd:" ID2 "0", NULL, NULL, NULL, NULL },
	{ "/system.slice/:cri-containerd" ID2, NULL, NULL, NULL, NULL },
	{ "/lxc.payload.", NULL, NULL, NULL, NULL },
	{ "/lxc.payload.a b", NULL, NULL, NULL, NULL },                    /* not a name */
	{ "/lxc.payload..hidden", NULL, NULL, NULL, NULL },
	{ "/sub/lxc/web01", NULL, NULL, NULL, NULL },
	{ "/machine.slice/machine-.scope", NULL, NULL, NULL, NULL },
	{ "/machine.slice/machine-a\\x2fb.scope", NULL, NULL, NULL, NULL }, /* escapes to '/' */
	{ "/machine.slice/machine-a\\x2.scope", NULL, NULL, NULL, NULL },   /* cut escape */
	{ "/machine.slice/machine-a\\xzz.scope", NULL, NULL, NULL, NULL },
};

static void test_table(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct uw_container c;
		int got = uw_container_from_path(rows[i].path, strlen(rows[i].path), &c);

		print_message("path %s\n", rows[i].path);
		if (!rows[i].id) {
			assert_int_equal(got, 0);
			assert_string_equal(c.id, "");
			continue;
		}
		assert_int_equal(got, 1);
		assert_string_equal(c.id, rows[i].id);
		{
			char want[64];

			snprintf(want, sizeof(want), "%s/%s", c.runtime, c.iface);
			assert_string_equal(want, rows[i].runtime);
		}
		assert_string_equal(c.pod_uid, rows[i].pod_uid);
		assert_string_equal(c.nested.id, rows[i].nested);
	}
}

/* The length bound is honoured: the ID past len is not seen. */
static void test_len_bound(void **state)
{
	const char *p = "/docker/" ID1;
	struct uw_container c;

	assert_int_equal(uw_container_from_path(p, strlen(p) - 1, &c), 0);
	assert_int_equal(uw_container_from_path(p, strlen(p), &c), 1);
}

/* Hostile bytes in other components do not stop the right match. */
static void test_hostile_components(void **state)
{
	const char *p = "/a\nb\"c\\/\x80\xff/docker/" ID1 "/\x1b[2J";
	struct uw_container c;

	assert_int_equal(uw_container_from_path(p, strlen(p), &c), 1);
	assert_string_equal(c.id, ID1);
	assert_string_equal(c.nested.id, "");
}

/* A name of exactly the maximum length is accepted; one byte more is not. */
static void test_name_bounds(void **state)
{
	char p[300], name[UW_CID_MAX + 2];
	struct uw_container c;

	memset(name, 'a', sizeof(name));
	name[UW_CID_MAX] = 0;
	snprintf(p, sizeof(p), "/lxc.payload.%s", name);
	assert_int_equal(uw_container_from_path(p, strlen(p), &c), 1);
	assert_int_equal(strlen(c.id), UW_CID_MAX);
	name[UW_CID_MAX] = 'a';
	name[UW_CID_MAX + 1] = 0;
	snprintf(p, sizeof(p), "/lxc.payload.%s", name);
	assert_int_equal(uw_container_from_path(p, strlen(p), &c), 0);
}

/* pack, then unpack: the same container, byte for byte (the unused tails zero as from_path
 * leaves them), for every row of the table and for fields filled to their longest. */
static void roundtrip(const struct uw_container *c)
{
	struct uw_cpack *p = uw_container_pack(c);
	struct uw_container u;

	assert_non_null(p);
	memset(&u, 0x5a, sizeof(u));
	uw_container_unpack(p, &u);
	assert_string_equal(u.id, c->id);
	assert_ptr_equal(u.runtime, c->runtime);
	assert_string_equal(u.pod_uid, c->pod_uid);
	assert_string_equal(u.ns, c->ns);
	assert_string_equal(u.nested.id, c->nested.id);
	assert_ptr_equal(u.nested.runtime, c->nested.runtime);
	free(p);
}

static void test_pack_roundtrip(void **state)
{
	struct uw_container c;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (!uw_container_from_path(rows[i].path, strlen(rows[i].path), &c))
			continue;
		roundtrip(&c);
	}
	memset(&c, 0, sizeof(c));
	memset(c.id, 'i', sizeof(c.id) - 1);
	c.runtime = "lxc";
	memset(c.pod_uid, 'p', sizeof(c.pod_uid) - 1);
	memset(c.ns, 'n', sizeof(c.ns) - 1);
	memset(c.nested.id, 'x', sizeof(c.nested.id) - 1);
	c.nested.runtime = "docker";
	roundtrip(&c);
	/* a field without its NUL (never made by from_path) is cut at its size, not read past */
	memset(c.pod_uid, 'q', sizeof(c.pod_uid));
	{
		struct uw_cpack *p = uw_container_pack(&c);
		struct uw_container u;

		assert_non_null(p);
		uw_container_unpack(p, &u);
		assert_int_equal(strlen(u.pod_uid), sizeof(u.pod_uid) - 1);
		assert_int_equal(strlen(u.ns), sizeof(u.ns) - 1);
		assert_int_equal(u.ns[0], 'n');
		free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_len_bound),
		cmocka_unit_test(test_hostile_components),
		cmocka_unit_test(test_name_bounds),
		cmocka_unit_test(test_pack_roundtrip),
	};

	return cmocka_run_group_tests_name("container", tests, NULL, NULL);
}
