// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --version (user/version.c): the version and what names the build, line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include <bpf/libbpf_version.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

#define DIGEST "f39fbe5fce6301e29d9a892e901e0ebc61bf790049e954273279c886dd2bf6e3"

#if defined(__x86_64__)
#define ARCH "x86_64"
#elif defined(__aarch64__)
#define ARCH "aarch64"
#endif

static char *printed(const char *digest)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	uw_version_print(f, digest);
	fclose(f);
	return buf;
}

static void test_version_lines(void **state)
{
	char want[1024], *got = printed(DIGEST);

	snprintf(want, sizeof(want),
		 "userns-watch " UW_VERSION "\n"
		 "revision: %s\n"
		 "architecture: " ARCH "\n"
		 "libbpf: %u.%u (built with %d.%d)\n"
		 "bpf object: sha256:" DIGEST "\n",
		 uw_revision, libbpf_major_version(), libbpf_minor_version(), LIBBPF_MAJOR_VERSION,
		 LIBBPF_MINOR_VERSION);
	assert_string_equal(got, want);
	free(got);
	/* a digest not known is said so */
	got = printed(NULL);
	assert_non_null(strstr(got, "\nbpf object: unknown\n"));
	free(got);
}

/* the revision the Makefile wrote: a commit, maybe dirty, or unknown (the integration tests
 * compare it with git: test_version_names_the_build) */
static void test_revision_form(void **state)
{
	regex_t re;

	assert_int_equal(regcomp(&re, "^([0-9a-f]{40}(-dirty)?|unknown)$", REG_EXTENDED | REG_NOSUB), 0);
	print_message("revision %s\n", uw_revision);
	assert_int_equal(regexec(&re, uw_revision, 0, NULL, 0), 0);
	regfree(&re);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_lines),
		cmocka_unit_test(test_revision_form),
	};

	return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
