// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Remediation per engine and situation, and the ATT&CK mapping (remedy.h), exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "container.h"
#include "metadata.h"
#include "remedy.h"

static struct uw_container ctr(const char *runtime, const char *pod_uid)
{
	struct uw_container c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "abc");
	c.runtime = runtime;
	snprintf(c.pod_uid, sizeof(c.pod_uid), "%s", pod_uid);
	return c;
}

static const char *id_of(enum uw_alert_kind k, const char *rt, const char *pod, const struct uw_meta *m)
{
	struct uw_container c = ctr(rt, pod);
	const struct uw_remedy *r = uw_remedy_for(k, &c, m);

	return r ? r->id : "none";
}

#define POD "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

static void test_per_engine(void **state)
{
	(void)state;
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "docker", "", NULL), "docker-userns-remap");
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "podman", "", NULL), "podman-userns-auto");
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "containerd", "", NULL), "containerd-userns");
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "lxc", "", NULL), "lxc-unprivileged");
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "systemd-nspawn", "", NULL), "nspawn-private-users");
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "unknown", "", NULL), "userns-own");
	/* a pod, whatever the engine below it; CRI-O only runs pods */
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "containerd", POD, NULL), "kubernetes-host-users");
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "docker", POD, NULL), "kubernetes-host-users");
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "crio", "", NULL), "kubernetes-host-users");
	/* only host_userns and escape records get one */
	assert_string_equal(id_of(UW_AK_USERNS_CREATE, "docker", "", NULL), "none");
	assert_string_equal(id_of(UW_AK_USERNS_ENTER, "docker", "", NULL), "none");
	assert_string_equal(id_of(UW_AK_CGROUP_MOVE, "docker", "", NULL), "none");
	assert_string_equal(id_of(UW_AK_SELF, "docker", "", NULL), "none");
	assert_string_equal(id_of(UW_AK_ESCAPE, "lxc", "", NULL), "lxc-unprivileged");
}

/* Docker: what its record says of the container decides */
static void test_docker_situations(void **state)
{
	struct uw_meta m;

	(void)state;
	uw_meta_init(&m);
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "docker", "", &m), "docker-userns-remap");
	m.have_userns_mode = 1;
	snprintf(m.userns_mode, sizeof(m.userns_mode), "host");
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "docker", "", &m), "docker-drop-userns-host");
	m.privileged = 0;
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "docker", "", &m), "docker-drop-userns-host");
	m.privileged = 1;
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "docker", "", &m), "docker-drop-privileged");
	snprintf(m.userns_mode, sizeof(m.userns_mode), "private");
	m.privileged = -1;
	assert_string_equal(id_of(UW_AK_HOST_USERNS, "docker", "", &m), "docker-userns-remap");
}

/* an escape's text: contain the node first, then the engine's remediation; bounded */
static void test_text(void **state)
{
	struct uw_container c = ctr("docker", "");
	const struct uw_remedy *r = uw_remedy_for(UW_AK_ESCAPE, &c, NULL);
	char buf[UW_REMEDY_TEXT_MAX], small[40];

	(void)state;
	uw_remedy_text(UW_AK_ESCAPE, r, buf, sizeof(buf));
	assert_int_equal(strncmp(buf, "Treat the node as compromised", 29), 0);
	assert_non_null(strstr(buf, r->desc));
	assert_true(strlen(buf) < sizeof(buf) - 1); /* whole, not cut */
	uw_remedy_text(UW_AK_HOST_USERNS, r, buf, sizeof(buf));
	assert_string_equal(buf, r->desc);
	uw_remedy_text(UW_AK_ESCAPE, r, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

static const char *techniques(enum uw_alert_kind k, const char *via, char *out, size_t len)
{
	size_t i, n, o = 0;
	const struct uw_attack *t = uw_attack_for(k, via, &n);

	out[0] = 0;
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s/%s", i ? "," : "", t[i].technique_id, t[i].tactic_id);
	return out;
}

static void test_attack(void **state)
{
	char b[128];

	(void)state;
	assert_string_equal(techniques(UW_AK_HOST_USERNS, NULL, b, sizeof(b)), "T1611/TA0004");
	assert_string_equal(techniques(UW_AK_ESCAPE, NULL, b, sizeof(b)), "T1611/TA0004");
	assert_string_equal(techniques(UW_AK_ESCAPE, "ptrace_attach", b, sizeof(b)), "T1611/TA0004,T1055.008/TA0004");
	assert_string_equal(techniques(UW_AK_ESCAPE, "ptrace_seize", b, sizeof(b)), "T1611/TA0004,T1055.008/TA0004");
	assert_string_equal(techniques(UW_AK_ESCAPE, "ptrace_access", b, sizeof(b)), "T1611/TA0004,T1055/TA0004");
	assert_string_equal(techniques(UW_AK_ESCAPE, "process_vm_writev", b, sizeof(b)), "T1611/TA0004,T1055/TA0004");
	assert_string_equal(techniques(UW_AK_ESCAPE, "proc_pid_mem", b, sizeof(b)), "T1611/TA0004,T1055/TA0004");
	assert_string_equal(techniques(UW_AK_USERNS_CREATE, NULL, b, sizeof(b)), "");
	assert_string_equal(techniques(UW_AK_SELF, NULL, b, sizeof(b)), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_engine),
		cmocka_unit_test(test_docker_situations),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_attack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
