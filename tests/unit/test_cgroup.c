// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "cgroup.h"
#include "fakeproc.h"

static void test_mountinfo_lines(void **state)
{
	struct uw_mount m;

	assert_int_equal(uw_parse_mountinfo_line(
				 "35 24 0:30 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 "
				 "rw,nsdelegate,memory_recursiveprot\n",
				 &m),
			 1);
	assert_string_equal(m.fstype, "cgroup2");
	assert_string_equal(m.point, "/sys/fs/cgroup");
	assert_string_equal(m.root, "/");
	/* no optional fields, v1 controller in the super options */
	assert_int_equal(uw_parse_mountinfo_line("40 30 0:35 / /sys/fs/cgroup/pids rw,relatime - "
						 "cgroup cgroup rw,pids\n",
						 &m),
			 1);
	assert_string_equal(m.fstype, "cgroup");
	assert_string_equal(m.opts, "rw,pids");
	/* escaped space in the mount point, a subtree root */
	assert_int_equal(uw_parse_mountinfo_line("41 30 0:36 /docker/x /host\\040cg rw - cgroup2 "
						 "none rw\n",
						 &m),
			 1);
	assert_string_equal(m.point, "/host cg");
	assert_string_equal(m.root, "/docker/x");
	/* not cgroup */
	assert_int_equal(uw_parse_mountinfo_line("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n", &m), 0);
	assert_int_equal(uw_parse_mountinfo_line("22 1 8:1 / / rw - cgroupx a rw\n", &m), 0);
	assert_int_equal(uw_parse_mountinfo_line("garbage\n", &m), 0);
	assert_int_equal(uw_parse_mountinfo_line("", &m), 0);
}

static void test_open_picks_hierarchies(void **state)
{
	char *root = fake_root(), mi[4096], err[256], content[8192];
	struct uw_cgroups cg;

	/* the real directories exist on every Linux machine; mountinfo only names them */
	snprintf(content, sizeof(content),
		 "1 0 0:1 / /tmp rw - cgroup cgroup rw,name=systemd\n"
		 "2 0 0:2 / /usr rw - cgroup cgroup rw,cpu,cpuacct\n"
		 "3 0 0:3 / /var rw - cgroup cgroup rw,memory\n"
		 "4 0 0:4 / /etc rw - cgroup2 cgroup2 rw\n");
	fake_put(root, "mountinfo", content, 0);
	snprintf(mi, sizeof(mi), "%s/mountinfo", root);
	assert_int_equal(uw_cgroups_open(&cg, mi, err, sizeof(err)), 0);
	assert_int_equal(cg.v1_ctrl, UW_CG1_MEMORY); /* pids absent: memory comes next */
	assert_string_equal(cg.v1_name, "memory");
	assert_string_equal(cg.v1.point, "/var");
	assert_string_equal(cg.v2.point, "/etc");
	uw_cgroups_close(&cg);

	/* pure v2 */
	fake_put(root, "mi2", "4 0 0:4 / /etc rw - cgroup2 cgroup2 rw\n", 0);
	snprintf(mi, sizeof(mi), "%s/mi2", root);
	assert_int_equal(uw_cgroups_open(&cg, mi, err, sizeof(err)), 0);
	assert_int_equal(cg.v1_ctrl, UW_CG1_NONE);
	assert_null(cg.v1_name);
	assert_int_equal(cg.v1.fd, -1);
	uw_cgroups_close(&cg);

	/* none at all */
	fake_put(root, "mi3", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n", 0);
	snprintf(mi, sizeof(mi), "%s/mi3", root);
	assert_int_equal(uw_cgroups_open(&cg, mi, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no cgroup hierarchy"));
	fake_rm(root);
}

/* A mount point of hostile length: the line is dropped whole, and what follows the reader's
 * buffer is not read as a cgroup2 mount line of its own (found by fuzzing). */
static void test_mountinfo_overlong_line(void **state)
{
	char *root = fake_root(), mi[4096], err[256];
	static char content[3 * 4096 + 200];
	struct uw_cgroups cg;
	size_t pad = 3 * 4096 - 1; /* one chunk of the reader's buffer */

	memset(content, 'a', pad);
	memcpy(content, "1 0 0:1 / /", 11);
	snprintf(content + pad, sizeof(content) - pad, "4 0 0:4 / /etc rw - cgroup2 cgroup2 rw\n");
	fake_put(root, "mountinfo", content, 0);
	snprintf(mi, sizeof(mi), "%s/mountinfo", root);
	assert_int_equal(uw_cgroups_open(&cg, mi, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no cgroup hierarchy"));
	fake_rm(root);
}

static void test_paths_of_pid(void **state)
{
	char *root = fake_root(), v2[4096], v1[4096];

	fake_put(root, "42/cgroup",
		 "9:name=systemd:/system.slice/x.service\n"
		 "8:pids:/docker/abc\n"
		 "4:memory:/docker/abc\n"
		 "0::/system.slice/x.service\n",
		 0);
	assert_int_equal(uw_cgroup_paths_of_pid(root, 42, "pids", v2, sizeof(v2), v1, sizeof(v1)), 0);
	assert_string_equal(v2, "/system.slice/x.service");
	assert_string_equal(v1, "/docker/abc");
	/* controller list with several names */
	fake_put(root, "43/cgroup", "2:cpu,cpuacct:/docker/def\n0::/\n", 0);
	assert_int_equal(uw_cgroup_paths_of_pid(root, 43, "cpuacct", v2, sizeof(v2), v1, sizeof(v1)), 0);
	assert_string_equal(v1, "/docker/def");
	assert_string_equal(v2, "/");
	/* the process is gone */
	assert_int_equal(uw_cgroup_paths_of_pid(root, 44, "pids", v2, sizeof(v2), v1, sizeof(v1)),
			 -ENOENT);
	fake_rm(root);
}

/* A cgroup name holding a newline cannot forge a later line that wins. */
static void test_paths_of_pid_hostile(void **state)
{
	char *root = fake_root(), v2[4096], v1[4096], big[12000];

	fake_put(root, "42/cgroup", "0::/user.slice/evil\n0::/docker/forged\n", 0);
	assert_int_equal(uw_cgroup_paths_of_pid(root, 42, NULL, v2, sizeof(v2), NULL, 0), 0);
	assert_string_equal(v2, "/user.slice/evil");
	/* an overlong line is dropped whole: its tail is not read as a line of its own */
	memset(big, 'a', sizeof(big));
	memcpy(big, "8:pids:/", 8);
	snprintf(big + 9000, sizeof(big) - 9000, "0::/docker/forged\n0::/real\n");
	fake_put(root, "43/cgroup", big, 0);
	assert_int_equal(uw_cgroup_paths_of_pid(root, 43, "pids", v2, sizeof(v2), v1, sizeof(v1)), 0);
	assert_string_equal(v2, "/real");
	assert_string_equal(v1, "");
	fake_rm(root);
}

static void test_hierarchy_id(void **state)
{
	char *root = fake_root(), path[4096];

	fake_put(root, "cgroup", "9:name=systemd:/\n8:pids:/\n2:cpu,cpuacct:/x\n0::/\n", 0);
	snprintf(path, sizeof(path), "%s/cgroup", root);
	assert_int_equal(uw_cgroup_hierarchy_id(path, "pids"), 8);
	assert_int_equal(uw_cgroup_hierarchy_id(path, "cpuacct"), 2);
	assert_int_equal(uw_cgroup_hierarchy_id(path, "memory"), 0);
	assert_int_equal(uw_cgroup_hierarchy_id("/nonexistent", "pids"), 0);
	{
		static char big[4096 + 128 + 100];
		size_t pad = 4096 + 128 - 1;

		memset(big, 'a', pad);
		memcpy(big, "9:name=x:/", 10);
		snprintf(big + pad, sizeof(big) - pad, "7:pids:/\n");
		fake_put(root, "cgroup2", big, 0);
		snprintf(path, sizeof(path), "%s/cgroup2", root);
		assert_int_equal(uw_cgroup_hierarchy_id(path, "pids"), 0);
	}
	fake_rm(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mountinfo_lines),
		cmocka_unit_test(test_open_picks_hierarchies),
		cmocka_unit_test(test_mountinfo_overlong_line),
		cmocka_unit_test(test_paths_of_pid),
		cmocka_unit_test(test_paths_of_pid_hostile),
		cmocka_unit_test(test_hierarchy_id),
	};

	return cmocka_run_group_tests_name("cgroup", tests, NULL, NULL);
}
