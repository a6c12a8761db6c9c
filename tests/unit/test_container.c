// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cgroup path -> container: a table of real-looking paths with the exact answer expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "container.h"

#define ID1 "3f4e1a9b2c7d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081"
#define ID2 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "8e2f6c1a-4b7d-4c3e-9f10-2a3b4c5d6e7f"
#define UID_ "8e2f6c1a_4b7d_4c3e_9f10_2a3b4c5d6e7f"

struct row {
	const char *path;
	const char *id;      /* NULL: must not match */
	const char *runtime;
	const char *pod_uid; /* "" when none */
};

static const struct row rows[] = {
	/* Docker, cgroupfs driver (v1 and v2 look the same) */
	{ "/docker/" ID1, ID1, "docker", "" },
	{ "/docker/" ID1 "/", ID1, "docker", "" },
	{ "/custom-parent/docker/" ID1, ID1, "docker", "" },
	/* Docker, systemd driver */
	{ "/system.slice/docker-" ID1 ".scope", ID1, "docker", "" },
	/* containerd CRI, systemd driver, the three QoS classes */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	  ".slice/cri-containerd-" ID2 ".scope",
	  ID2, "containerd", UID },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
	  ".slice/cri-containerd-" ID2 ".scope",
	  ID2, "containerd", UID },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID2 ".scope", ID2,
	  "containerd", UID },
	/* Kubernetes with the Docker engine, systemd driver */
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/docker-" ID1 ".scope", ID1, "docker", UID },
	/* Kubernetes, cgroupfs driver */
	{ "/kubepods/burstable/pod" UID "/" ID2, ID2, "cri", UID },
	{ "/kubepods/pod" UID "/" ID2, ID2, "cri", UID },
	{ "/kubepods/besteffort/pod" UID "/" ID1, ID1, "cri", UID },
	/* nested: the outermost container wins over look-alikes made inside it */
	{ "/docker/" ID1 "/docker/" ID2, ID1, "docker", "" },
	{ "/system.slice/docker-" ID1 ".scope/system.slice/docker-" ID2 ".scope", ID1, "docker", "" },

	/* look-alikes that must not match */
	{ "/", NULL, NULL, NULL },
	{ "", NULL, NULL, NULL },
	{ "/docker", NULL, NULL, NULL },
	{ "/docker/" ID1 "0", NULL, NULL, NULL },                        /* 65 digits */
	{ "/docker/3f4e1a9b2c7d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708", NULL, NULL,
	  NULL },                                                          /* 63 digits */
	{ "/docker/3F4E1A9B2C7D8E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F7081", NULL, NULL,
	  NULL },                                                          /* upper case */
	{ "/docker/3f4e1a9b2c7d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708g", NULL, NULL,
	  NULL },                                                          /* not hex */
	{ "/notdocker/" ID1, NULL, NULL, NULL },
	{ "/dockerx/" ID1, NULL, NULL, NULL },
	{ "/system.slice/docker.service", NULL, NULL, NULL },
	{ "/system.slice/docker-" ID1 ".scopex", NULL, NULL, NULL },
	{ "/system.slice/docker-" ID1, NULL, NULL, NULL },
	{ "/system.slice/xdocker-" ID1 ".scope", NULL, NULL, NULL },
	{ "/system.slice/containerd.service", NULL, NULL, NULL },
	{ "/user.slice/user-1000.slice/session-2.scope", NULL, NULL, NULL },
	{ "/process_api/33cb9d0f2fef5c672a4701f6a0ecebfe", NULL, NULL, NULL }, /* 32 digits */
	{ "/kubepods/burstable/pod" UID, NULL, NULL, NULL },               /* pod, no container */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice", NULL,
	  NULL, NULL },
	{ "/pod" UID "/" ID2, NULL, NULL, NULL },                          /* no kubepods above */
	{ "/kubepods/burstable/podnot-a-uid/" ID2, NULL, NULL, NULL },
	{ "/" ID1, NULL, NULL, NULL },                                     /* bare ID at the top */
	{ "/system.slice/" ID1, NULL, NULL, NULL },
	{ "/docker-" ID1 ".scope.d/x", NULL, NULL, NULL },
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
		assert_string_equal(c.runtime, rows[i].runtime);
		assert_string_equal(c.pod_uid, rows[i].pod_uid);
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
	const char *p = "/a\nb\"c\\/\x80\xff/docker/" ID1;
	struct uw_container c;

	assert_int_equal(uw_container_from_path(p, strlen(p), &c), 1);
	assert_string_equal(c.id, ID1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_len_bound),
		cmocka_unit_test(test_hostile_components),
	};

	return cmocka_run_group_tests_name("container", tests, NULL, NULL);
}
