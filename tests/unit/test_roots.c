// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The engines' directories (roots.h): configuration values read exactly, bad ones refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "roots.h"

static int val(const char *text, const char *table, const char *key, char *out, char *err)
{
	return uw_conf_value(text, strlen(text), table, key, out, 64, err, 128);
}

static void test_toml(void **state)
{
	char out[64], err[128];
	const char *conf = "# containerd\nversion = 2\nroot = \"/var/lib/containerd\"\n  state = '/srv/state' # here\n"
			   "[plugins.\"io.containerd.grpc.v1.cri\"]\n  state = \"/not/this\"\n";
	const char *storage = "[storage]\ndriver = \"overlay\"\ngraphroot=\"/data/c\"\r\n[storage.options]\n"
			      "graphroot = \"/no\"\n[[storage]]\nrunroot = \"/r\"\n";

	(void)state;
	assert_int_equal(val(conf, "", "state", out, err), 1);
	assert_string_equal(out, "/srv/state");
	assert_int_equal(val(conf, "", "root", out, err), 1);
	assert_string_equal(out, "/var/lib/containerd");
	assert_int_equal(val(conf, "", "nothere", out, err), 0);
	assert_int_equal(val(storage, "storage", "graphroot", out, err), 1);
	assert_string_equal(out, "/data/c");
	assert_int_equal(val(storage, "storage", "runroot", out, err), 1); /* [[storage]] too */
	assert_string_equal(out, "/r");
	assert_int_equal(val(storage, "", "graphroot", out, err), 0);    /* not at the top level */
	/* not usable: said */
	assert_int_equal(val("state = 7\n", "", "state", out, err), -1);
	assert_string_equal(err, "the value is not a string");
	assert_int_equal(val("state = \"/a\\\\b\"\n", "", "state", out, err), -1);
	assert_string_equal(err, "an escape in the string (not read)");
	assert_int_equal(val("state = \"/a\n", "", "state", out, err), -1);
	assert_string_equal(err, "the string does not end");
	assert_int_equal(val("state = \"/a\" x\n", "", "state", out, err), -1);
	assert_string_equal(err, "more after the string");
	assert_int_equal(val("state = \"/0123456789012345678901234567890123456789012345678901234567890123456789\"", "",
			     "state", out, err), -1);
	assert_string_equal(err, "the string is too long");
	/* no newline at the end, the first one kept */
	assert_int_equal(val("state = \"/x\"\nstate = \"/y\"", "", "state", out, err), 1);
	assert_string_equal(out, "/x");
}

static void test_lxc(void **state)
{
	char out[64], err[128];

	(void)state;
	assert_int_equal(val("lxc.lxcpath = /srv/lxc\n# lxc.lxcpath = /no\nlxc.lxcpath=/srv/lxc2 \n", NULL,
			     "lxc.lxcpath", out, err), 1);
	assert_string_equal(out, "/srv/lxc2"); /* the last one, as LXC reads it */
	assert_int_equal(val("lxc.lxcpathx = /a\n", NULL, "lxc.lxcpath", out, err), 0);
}

static void test_set(void **state)
{
	struct uw_roots r;
	char err[400];

	(void)state;
	uw_roots_init(&r, "/host");
	assert_string_equal(r.dir[UW_ROOT_DOCKER], "/var/lib/docker");
	assert_string_equal(r.from[UW_ROOT_DOCKER], "default");
	assert_int_equal(uw_roots_set(&r, "docker=/srv/docker//", err, sizeof(err)), 0);
	assert_string_equal(r.dir[UW_ROOT_DOCKER], "/srv/docker");
	assert_string_equal(r.from[UW_ROOT_DOCKER], "--data-root");
	assert_int_equal(uw_roots_set(&r, "storage-run=/", err, sizeof(err)), 0);
	assert_string_equal(r.dir[UW_ROOT_STORAGE_RUN], "/");
	assert_int_equal(uw_roots_set(&r, "docker=srv", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "want an absolute directory"));
	assert_int_equal(uw_roots_set(&r, "docker=/a/../b", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no \".\" or \"..\" components"));
	assert_int_equal(uw_roots_set(&r, "docker=/a/./b", err, sizeof(err)), -1);
	assert_int_equal(uw_roots_set(&r, "docker=/..", err, sizeof(err)), -1);
	assert_int_equal(uw_roots_set(&r, "docker=/a\nb", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "control byte"));
	assert_int_equal(uw_roots_set(&r, "dock=/a", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "want KEY=DIR"));
	assert_int_equal(uw_roots_set(&r, "docker", err, sizeof(err)), -1);
	assert_int_equal(uw_roots_set(&r, "docker=/a..b/.c", err, sizeof(err)), 0); /* names, not .. */
	assert_string_equal(r.dir[UW_ROOT_DOCKER], "/a..b/.c");
	assert_string_equal(uw_root_name(UW_ROOT_LXC), "lxc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_toml),
		cmocka_unit_test(test_lxc),
		cmocka_unit_test(test_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
