// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Runtime metadata: fixture files parsed with exact fields, and the search on a fake host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>

#include "fakeproc.h"
#include "metadata.h"
#include "policy.h"

#define FIX "tests/unit/fixtures/"
#define ID1 "3f4e1a9b2c7d8e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081"

typedef int (*parse_fn)(const char *, size_t, struct uw_meta *);

static int parse_file(const char *name, parse_fn fn, struct uw_meta *m)
{
	size_t len;
	char *buf = uw_read_file_bounded(name, &len);
	int rc;

	assert_non_null(buf);
	rc = fn(buf, len, m);
	free(buf);
	return rc;
}

static void test_oci_host_userns(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "oci-host-userns.json", uw_meta_parse_oci, &m), 0);
	assert_int_equal(m.userns_requested, 0);
	assert_string_equal(m.error, "");
	assert_string_equal(m.pod_name, "");
	assert_string_equal(m.image, "");
}

static void test_oci_userns(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "oci-userns.json", uw_meta_parse_oci, &m), 0);
	assert_int_equal(m.userns_requested, 1);
	assert_string_equal(m.error, "");
}

static void test_oci_k8s_containerd(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "oci-k8s-containerd.json", uw_meta_parse_oci, &m), 0);
	assert_int_equal(m.userns_requested, 0);
	assert_string_equal(m.name, "nginx");
	assert_string_equal(m.image, "registry.example/library/nginx:1.27");
	assert_string_equal(m.pod_name, "web-7d9f8c6b5-x2x8q");
	assert_string_equal(m.pod_namespace, "shop");
	assert_string_equal(m.pod_uid, "8e2f6c1a-4b7d-4c3e-9f10-2a3b4c5d6e7f");
	assert_string_equal(m.error, "");
}

static void test_oci_k8s_crio(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "oci-k8s-crio.json", uw_meta_parse_oci, &m), 0);
	assert_int_equal(m.userns_requested, 1);
	assert_string_equal(m.name, "postgres");
	assert_string_equal(m.image, "registry.example/example/postgres:16");
	assert_string_equal(m.pod_name, "db-0");
	assert_string_equal(m.pod_namespace, "data");
	assert_string_equal(m.pod_uid, "11111111-2222-3333-4444-555555555555");
}

static void test_oci_truncated(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "oci-truncated.json", uw_meta_parse_oci, &m), -1);
	assert_int_equal(m.userns_requested, -1);
	assert_non_null(strstr(m.error, "config.json: not valid JSON ("));
	assert_non_null(strstr(m.error, "premature end of input"));
}

static void test_oci_wrong_types(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "oci-wrong-types.json", uw_meta_parse_oci, &m), 0);
	assert_int_equal(m.userns_requested, -1); /* namespaces is not a list: unknown */
	assert_string_equal(m.pod_name, "");
	assert_string_equal(m.pod_namespace, "ok-ns");
	assert_string_equal(m.name, "");
	assert_non_null(strstr(m.error, "config.json linux: namespaces has the wrong type"));
	assert_non_null(strstr(m.error, "annotations: io.kubernetes.pod.name has the wrong type"));
	assert_non_null(strstr(m.error, "annotations: io.kubernetes.container.name has the wrong type"));
}

/*
 * Strict JSON (json-c's "strict" mode accepted each of these; found by fuzzing): a file that is
 * not RFC 8259 JSON, or that could be read two ways, gives no metadata at all.
 */
static void test_oci_strict(void **state)
{
	static const char *const bad[] = {
		"{'annotations': {}}",
		"{\"linux\": {\"namespaces\": []}, \"x\": NaN}",
		"{\"x\": Infinity}",
		"{\"x\": -Infinity}",
		"{\"annotations\": {\"io.kubernetes.pod.name\": \"a\tb\"}}",            /* raw tab */
		"{\"annotations\": {\"io.kubernetes.pod.name\": \"a\x01b\"}}",          /* raw control */
		"{\"annotations\": {\"io.kubernetes.pod.name\": \"\xc3\x28\"}}",        /* bad UTF-8 */
		"{\"annotations\": {\"io.kubernetes.pod.name\": \"\xed\xa0\x80\"}}",    /* surrogate */
		"{\"annotations\": {\"io.kubernetes.pod.name\\u0000x\": \"evil\"}}",     /* NUL in a key */
		"{\"annotations\": {\"io.kubernetes.pod.name\": \"a\\u0000b\"}}",        /* NUL in a value */
		"{\"annotations\": {\"io.kubernetes.pod.name\": \"a\", \"io.kubernetes.pod.name\": \"b\"}}",
		"{\"linux\": {}} {\"linux\": {}}",                                        /* two documents */
		"{\"linux\": {},}",                                                      /* trailing comma */
		"[{\"linux\": {}}]",                                                     /* not an object */
		"{\"x\": 1e99999}",                                                       /* overflow */
		"{\"x\": 01}",
		"/* c */ {\"linux\": {}}",
	};
	struct uw_meta m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("case %zu: %s\n", i, bad[i]);
		uw_meta_init(&m);
		assert_int_equal(uw_meta_parse_oci(bad[i], strlen(bad[i]), &m), -1);
		assert_int_equal(m.userns_requested, -1);
		assert_string_equal(m.pod_name, "");
		assert_non_null(strstr(m.error, "config.json: not"));
	}
	/* and the good form of the same is read */
	uw_meta_init(&m);
	{
		const char *good = "{\"annotations\": {\"io.kubernetes.pod.name\": \"a\\u00e9\"}}";

		assert_int_equal(uw_meta_parse_oci(good, strlen(good), &m), 0);
	}
	assert_string_equal(m.pod_name, "a\xc3\xa9");
}

static void test_oci_no_namespaces(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "oci-no-namespaces.json", uw_meta_parse_oci, &m), 0);
	assert_int_equal(m.userns_requested, 0); /* no namespaces asked for: all the host's */
	assert_string_equal(m.error, "");
}

static void test_oci_hostile(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "oci-hostile.json", uw_meta_parse_oci, &m), 0);
	assert_string_equal(m.pod_name, "evil\"\n\x1b[31mname"); /* bytes kept, escaped on output */
	assert_int_equal(m.userns_requested, 0);
	assert_non_null(strstr(m.error, "linux.namespaces[0] is not an object"));
	assert_non_null(strstr(m.error, "namespace: type has the wrong type"));
}

static void test_not_json(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_oci("[1,2]", 5, &m), -1);
	assert_non_null(strstr(m.error, "not a JSON object"));
	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_oci("{} trailing", 11, &m), -1);
	assert_non_null(strstr(m.error, "not valid JSON"));
	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_oci("", 0, &m), -1);
}

/* Long strings are bounded, never overflow. */
static void test_long_strings(void **state)
{
	size_t n = 100000;
	char *buf = malloc(n + 200);
	struct uw_meta m;
	int len;

	len = sprintf(buf, "{\"annotations\":{\"io.kubernetes.pod.name\":\"");
	memset(buf + len, 'x', n);
	len += (int)n;
	len += sprintf(buf + len, "\"}}");
	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_oci(buf, (size_t)len, &m), 0);
	assert_int_equal(strlen(m.pod_name), UW_META_STR - 1);
	free(buf);
}

static void test_docker_record(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "docker-config.v2.json", uw_meta_parse_docker_config, &m), 0);
	assert_string_equal(m.name, "web-frontend");
	assert_string_equal(m.image, "busybox:local");
	assert_string_equal(m.image_id, "sha256:1111111111111111111111111111111111111111111111111111111111111111");
	assert_int_equal(parse_file(FIX "docker-hostconfig-host.json", uw_meta_parse_docker_hostconfig, &m), 0);
	assert_int_equal(m.have_userns_mode, 1);
	assert_string_equal(m.userns_mode, "host");
	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "docker-hostconfig-default.json", uw_meta_parse_docker_hostconfig,
				    &m),
			 0);
	assert_int_equal(m.have_userns_mode, 1);
	assert_string_equal(m.userns_mode, "");
	assert_string_equal(m.error, "");
}

/* The image's ID where the engine records it, only as a sha256 digest; Docker's Privileged */
static void test_image_id_and_privileged(void **state)
{
	static const char hex[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	char buf[512];
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(m.privileged, -1);
	snprintf(buf, sizeof(buf), "{\"Name\":\"/w\",\"Image\":\"sha256:%s\"}", hex);
	assert_int_equal(uw_meta_parse_docker_config(buf, strlen(buf), &m), 0);
	assert_string_equal(m.image_id, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	/* the first one found stays */
	snprintf(buf, sizeof(buf), "[{\"id\":\"c1\",\"image\":\"%.63s0\"}]", hex);
	assert_int_equal(uw_meta_parse_storage(buf, strlen(buf), "c1", &m), 0);
	assert_string_equal(m.image_id + 7, hex);
	/* containers/storage's bare hex, normalised */
	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_storage(buf, strlen(buf), "c1", &m), 0);
	assert_int_equal(strncmp(m.image_id, "sha256:", 7), 0);
	assert_int_equal(m.image_id[7 + 63], '0');
	/* not a digest: left out and said (upper case, short, long, another algorithm, junk after) */
	{
		static const char *const bad[] = {
			"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
			"sha256:0123", "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0",
			"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\\n",
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			uw_meta_init(&m);
			snprintf(buf, sizeof(buf), "{\"Image\":\"%s\"}", bad[i]);
			assert_int_equal(uw_meta_parse_docker_config(buf, strlen(buf), &m), 0);
			assert_string_equal(m.image_id, "");
			assert_non_null(strstr(m.error, "the image ID is not a sha256 digest"));
		}
	}
	/* CRI-O's ImageRef annotation */
	uw_meta_init(&m);
	snprintf(buf, sizeof(buf), "{\"annotations\":{\"io.kubernetes.cri-o.ImageRef\":\"%s\"}}", hex);
	assert_int_equal(uw_meta_parse_oci(buf, strlen(buf), &m), 0);
	assert_string_equal(m.image_id + 7, hex);
	/* Privileged: true, false, or said when of another type */
	uw_meta_init(&m);
	snprintf(buf, sizeof(buf), "{\"Privileged\":true}");
	assert_int_equal(uw_meta_parse_docker_hostconfig(buf, strlen(buf), &m), 0);
	assert_int_equal(m.privileged, 1);
	snprintf(buf, sizeof(buf), "{\"Privileged\":false}");
	assert_int_equal(uw_meta_parse_docker_hostconfig(buf, strlen(buf), &m), 0);
	assert_int_equal(m.privileged, 0);
	uw_meta_init(&m);
	snprintf(buf, sizeof(buf), "{\"Privileged\":\"yes\"}");
	assert_int_equal(uw_meta_parse_docker_hostconfig(buf, strlen(buf), &m), 0);
	assert_int_equal(m.privileged, -1);
	assert_non_null(strstr(m.error, "Privileged has the wrong type"));
}

static void test_lxc_config(void **state)
{
	struct uw_meta m;

	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "lxc-idmap.conf", uw_meta_parse_lxc_config, &m), 0);
	assert_int_equal(m.userns_requested, 1);
	uw_meta_init(&m);
	assert_int_equal(parse_file(FIX "lxc-privileged.conf", uw_meta_parse_lxc_config, &m), 0);
	assert_int_equal(m.userns_requested, 0);
}

/* LXC reads "key = value" with spaces or tabs around both (a tab before "=" was missed: found
 * by fuzzing), "#" comments, and an empty lxc.idmap clears the ones before it. */
static void test_lxc_syntax(void **state)
{
	static const struct {
		const char *conf;
		int userns;
	} cases[] = {
		{ "lxc.idmap\t= u 0 100000 65536\n", 1 },
		{ "\t lxc.idmap=u 0 100000 65536\r\n", 1 },
		{ "lxc.id_map = u 0 100000 65536", 1 },
		{ "# lxc.idmap = u 0 100000 65536\n", 0 },
		{ "lxc.idmapx = u 0 1 1\n", 0 },
		{ "xlxc.idmap = u 0 1 1\n", 0 },
		{ "lxc.idmap = u 0 100000 65536\nlxc.idmap =\n", 0 },
		{ "lxc.idmap =\nlxc.idmap = g 0 100000 65536\n", 1 },
		{ "lxc.idmap\n", 0 },
	};
	struct uw_meta m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("case %zu\n", i);
		uw_meta_init(&m);
		assert_int_equal(uw_meta_parse_lxc_config(cases[i].conf, strlen(cases[i].conf), &m), 0);
		assert_int_equal(m.userns_requested, cases[i].userns);
	}
}

static struct uw_container ctr(const char *id, const char *runtime);

/* lxc.include is followed below the host root: a file, a directory of *.conf files; a path
 * with .. is not, nor are includes past the depth bound (a file including itself). */
static void test_lxc_include(void **state)
{
	char *root = fake_root();
	struct uw_container c = ctr("web02", "lxc");
	struct uw_meta m;

	fake_put(root, "var/lib/lxc/web02/config",
		 "lxc.include = /usr/share/lxc/config/common.conf\n"
		 "lxc.include\t= /usr/share/lxc/config/userns.conf\n", 0);
	fake_put(root, "usr/share/lxc/config/common.conf", "lxc.cap.drop = sys_module\n", 0);
	fake_put(root, "usr/share/lxc/config/userns.conf", "lxc.idmap = u 0 100000 65536\n", 0);
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.userns_requested, 1);
	assert_string_equal(m.error, "");

	/* a directory: its *.conf files */
	fake_put(root, "var/lib/lxc/web02/config", "lxc.include = /etc/lxc/conf.d\n", 0);
	fake_put(root, "etc/lxc/conf.d/10-userns.conf", "lxc.idmap = g 0 100000 65536\n", 0);
	fake_put(root, "etc/lxc/conf.d/README", "lxc.idmap =\n", 0);
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.userns_requested, 1);

	/* never outside the host root, never upwards */
	fake_put(root, "var/lib/lxc/web02/config", "lxc.include = /etc/../../../../etc/passwd\n", 0);
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.userns_requested, 0);
	assert_non_null(strstr(m.error, "a path with .. is not followed"));
	fake_put(root, "var/lib/lxc/web02/config", "lxc.include = relative.conf\n", 0);
	uw_meta_load(root, &c, &m);
	assert_non_null(strstr(m.error, "not an absolute path"));

	/* a loop ends at the depth bound, said */
	fake_put(root, "var/lib/lxc/web02/config", "lxc.include = /var/lib/lxc/web02/config\n", 0);
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.userns_requested, 0);
	assert_non_null(strstr(m.error, "nested too deep"));
	fake_rm(root);
}

static void copy_fixture(const char *root, const char *rel, const char *fixture)
{
	size_t len;
	char *buf = uw_read_file_bounded(fixture, &len);

	assert_non_null(buf);
	assert_int_equal(fake_put(root, rel, buf, 0), 0);
	free(buf);
}

static struct uw_container ctr(const char *id, const char *runtime)
{
	struct uw_container c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	c.runtime = runtime;
	return c;
}

/* Docker under userns-remap keeps its record in /var/lib/docker/<uid>.<gid>/containers/<id>. */
static void test_load_docker(void **state)
{
	char *root = fake_root();
	struct uw_container c = ctr(ID1, "docker");
	struct uw_meta m;

	copy_fixture(root, "run/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/" ID1
			   "/config.json",
		     FIX "oci-host-userns.json");
	copy_fixture(root, "var/lib/docker/100000.100000/containers/" ID1 "/config.v2.json",
		     FIX "docker-config.v2.json");
	copy_fixture(root, "var/lib/docker/100000.100000/containers/" ID1 "/hostconfig.json",
		     FIX "docker-hostconfig-host.json");
	uw_meta_load(root, &c, &m);
	assert_string_equal(m.error, "");
	assert_string_equal(m.name, "web-frontend");
	assert_string_equal(m.image, "busybox:local");
	assert_string_equal(m.userns_mode, "host");
	assert_int_equal(m.userns_requested, 0);
	assert_non_null(strstr(m.source, "/moby/" ID1 "/config.json"));
	fake_rm(root);
}

/* containerd: the namespace is found by looking, k8s annotations are read. */
static void test_load_containerd(void **state)
{
	char *root = fake_root();
	struct uw_container c = ctr(ID1, "containerd");
	struct uw_meta m;

	copy_fixture(root, "run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID1 "/config.json",
		     FIX "oci-k8s-containerd.json");
	uw_meta_load(root, &c, &m);
	assert_string_equal(m.error, "");
	assert_string_equal(m.pod_name, "web-7d9f8c6b5-x2x8q");
	c.runtime = "containerd";
	uw_meta_load(root, &c, &m);
	assert_string_equal(m.name, "nginx");
	fake_rm(root);
}

/*
 * A pod's container (its cgroup in the kubelet's tree) is looked for in CRI's namespace only:
 * a bundle with its ID and annotations naming its pod UID and another namespace, put in a
 * containerd namespace of someone's own (listed first), names nothing and vouches nothing.
 */
static void test_pod_container_in_cri_namespace_only(void **state)
{
	char *root = fake_root();
	struct uw_container c = ctr(ID1, "containerd");
	const char *forged = "{\"ociVersion\":\"1.0.2\",\"annotations\":{"
			     "\"io.kubernetes.cri.sandbox-name\":\"cilium-x1\","
			     "\"io.kubernetes.cri.sandbox-namespace\":\"kube-system\","
			     "\"io.kubernetes.cri.container-name\":\"agent\","
			     "\"io.kubernetes.cri.sandbox-uid\":\"8e2f6c1a-4b7d-4c3e-9f10-2a3b4c5d6e7f\"}}";
	struct uw_meta m;

	c.iface = "cri";
	snprintf(c.pod_uid, sizeof(c.pod_uid), "8e2f6c1a-4b7d-4c3e-9f10-2a3b4c5d6e7f");
	assert_int_equal(fake_put(root, "run/containerd/io.containerd.runtime.v2.task/aaa/" ID1 "/config.json", forged, 0), 0);
	uw_meta_load(root, &c, &m);
	assert_string_equal(m.pod_namespace, "");
	assert_int_equal(m.vouched, 0);
	copy_fixture(root, "run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID1 "/config.json",
		     FIX "oci-k8s-containerd.json");
	uw_meta_load(root, &c, &m);
	assert_string_equal(m.pod_namespace, "shop");
	assert_string_equal(m.pod_name, "web-7d9f8c6b5-x2x8q");
	assert_int_equal(m.vouched, UW_VOUCH_NAME | UW_VOUCH_IMAGE | UW_VOUCH_POD);
	fake_rm(root);
}

/*
 * What a policy may match on: the annotations of a CRI container are vouched for only when its
 * cgroup lies in the kubelet's pod tree with the pod UID they give (dashes or the systemd
 * driver's underscores); a container anyone made with the same annotations (ctr, its own
 * cgroup) gets nothing vouched, and the policy subject has no pod, name or image to match.
 */
static void test_vouched_identity(void **state)
{
	char *root = fake_root();
	struct uw_container c = ctr(ID1, "containerd");
	struct uw_policy_subject s;
	struct uw_meta m;

	copy_fixture(root, "run/containerd/io.containerd.runtime.v2.task/k8s.io/" ID1 "/config.json",
		     FIX "oci-k8s-containerd.json");
	uw_meta_load(root, &c, &m); /* no pod UID in its cgroup: not the kubelet's */
	assert_string_equal(m.pod_name, "web-7d9f8c6b5-x2x8q");
	assert_int_equal(m.vouched, 0);
	uw_policy_subject_of(&s, UW_AK_HOST_USERNS, c.runtime, c.id, &m);
	assert_null(s.field[UW_PF_POD_NAMESPACE]);
	assert_null(s.field[UW_PF_POD_NAME]);
	assert_null(s.field[UW_PF_IMAGE]);
	assert_string_equal(s.field[UW_PF_CONTAINER_ID], ID1);
	snprintf(c.pod_uid, sizeof(c.pod_uid), "8e2f6c1a-4b7d-4c3e-9f10-2a3b4c5d6e7e"); /* another pod */
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.vouched, 0);
	snprintf(c.pod_uid, sizeof(c.pod_uid), "8e2f6c1a_4b7d_4c3e_9f10_2a3b4c5d6e7f");
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.vouched, UW_VOUCH_NAME | UW_VOUCH_IMAGE | UW_VOUCH_POD);
	uw_policy_subject_of(&s, UW_AK_HOST_USERNS, c.runtime, c.id, &m);
	assert_string_equal(s.field[UW_PF_POD_NAME], "web-7d9f8c6b5-x2x8q");
	/* Docker: its own record names the container */
	c = ctr(ID1, "docker");
	copy_fixture(root, "var/lib/docker/containers/" ID1 "/config.v2.json", FIX "docker-config.v2.json");
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.vouched, UW_VOUCH_NAME | UW_VOUCH_IMAGE);
	fake_rm(root);
}

static void test_load_crio_lxc_nspawn(void **state)
{
	char *root = fake_root();
	struct uw_container c = ctr(ID1, "crio");
	struct uw_meta m;

	copy_fixture(root, "run/containers/storage/overlay-containers/" ID1 "/userdata/config.json",
		     FIX "oci-k8s-crio.json");
	uw_meta_load(root, &c, &m);
	assert_string_equal(m.name, "postgres");
	assert_int_equal(m.userns_requested, 1);
	c = ctr("web01", "lxc");
	copy_fixture(root, "var/lib/lxc/web01/config", FIX "lxc-privileged.conf");
	uw_meta_load(root, &c, &m);
	assert_string_equal(m.name, "web01");
	assert_int_equal(m.userns_requested, 0);
	assert_string_equal(m.error, "");
	c = ctr("build", "systemd-nspawn");
	uw_meta_load(root, &c, &m);
	assert_string_equal(m.name, "build");
	assert_non_null(strstr(m.error, "systemd-nspawn keeps no metadata file"));
	fake_rm(root);
}

/* containers/storage's containers.json: the record of the container asked for, its name and
 * image from the metadata string, names[0] when that has none; what is wrong is said. */
static void test_storage_record(void **state)
{
	size_t len;
	char *buf = uw_read_file_bounded(FIX "storage-containers.json", &len);
	struct uw_meta m;

	assert_non_null(buf);
	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_storage(buf, len, ID1, &m), 0);
	assert_string_equal(m.name, "uw-pod-host2");
	assert_string_equal(m.image, "localhost/uwtest:1");
	assert_string_equal(m.error, "");
	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_storage(buf, len, "aa11", &m), -1); /* ids match whole */
	assert_string_equal(m.name, "");
	assert_non_null(strstr(m.error, "no record of the container"));
	free(buf);

	/* no metadata: names[0]; metadata not an object: said, names[0] still used */
	uw_meta_init(&m);
	buf = "[{\"id\":\"c1\",\"names\":[\"n1\",\"n2\"]}]";
	assert_int_equal(uw_meta_parse_storage(buf, strlen(buf), "c1", &m), 0);
	assert_string_equal(m.name, "n1");
	assert_string_equal(m.image, "");
	uw_meta_init(&m);
	buf = "[{\"id\":\"c1\",\"names\":[\"n1\"],\"metadata\":\"[1]\"}]";
	assert_int_equal(uw_meta_parse_storage(buf, strlen(buf), "c1", &m), 0);
	assert_string_equal(m.name, "n1");
	assert_non_null(strstr(m.error, "metadata is not a JSON object"));
	/* wrong types are said, not taken */
	uw_meta_init(&m);
	buf = "[{\"id\":\"c1\",\"names\":\"n1\",\"metadata\":7}]";
	assert_int_equal(uw_meta_parse_storage(buf, strlen(buf), "c1", &m), 0);
	assert_string_equal(m.name, "");
	assert_non_null(strstr(m.error, "containers.json"));
	/* not an array, not JSON, duplicate keys, a record that is not an object */
	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_storage("{}", 2, "c1", &m), -1);
	assert_non_null(strstr(m.error, "not a JSON array"));
	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_storage("[", 1, "c1", &m), -1);
	assert_non_null(strstr(m.error, "not valid JSON"));
	uw_meta_init(&m);
	buf = "[{\"id\":\"c1\",\"id\":\"c2\"}]";
	assert_int_equal(uw_meta_parse_storage(buf, strlen(buf), "c2", &m), -1);
	uw_meta_init(&m);
	buf = "[7,\"c1\",{\"id\":\"c1\",\"names\":[\"ok\"]}]";
	assert_int_equal(uw_meta_parse_storage(buf, strlen(buf), "c1", &m), 0);
	assert_string_equal(m.name, "ok");
}

/* A hostile name in containers.json is bounded (escaping is the output's job). */
static void test_storage_long_name(void **state)
{
	size_t n = 100000;
	char *buf = malloc(n + 100);
	struct uw_meta m;
	int len;

	assert_non_null(buf);
	len = sprintf(buf, "[{\"id\":\"c1\",\"names\":[\"");
	memset(buf + len, 'x', n);
	len += (int)n;
	len += sprintf(buf + len, "\"]}]");
	uw_meta_init(&m);
	assert_int_equal(uw_meta_parse_storage(buf, (size_t)len, "c1", &m), 0);
	assert_int_equal(strlen(m.name), UW_META_STR - 1);
	free(buf);
}

/* Podman: the OCI bundle in the container's userdata/ says the user namespace, containers.json
 * beside it the name and image. */
static void test_load_podman(void **state)
{
	char *root = fake_root();
	struct uw_container c = ctr(ID1, "podman");
	struct uw_meta m;

	copy_fixture(root, "var/lib/containers/storage/overlay-containers/" ID1 "/userdata/config.json",
		     FIX "oci-userns.json");
	copy_fixture(root, "var/lib/containers/storage/overlay-containers/containers.json",
		     FIX "storage-containers.json");
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.userns_requested, 1);
	assert_string_equal(m.name, "uw-pod-host2");
	assert_string_equal(m.image, "localhost/uwtest:1");
	assert_string_equal(m.error, "");
	/* a bundle without a record: said */
	c = ctr("bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22", "podman");
	copy_fixture(root, "var/lib/containers/storage/overlay-containers/" 
		     "bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22bb22/userdata/config.json",
		     FIX "oci-userns.json");
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.userns_requested, 1);
	assert_string_equal(m.name, "");
	assert_non_null(strstr(m.error, "no record of the container"));
	fake_rm(root);
}

/* Missing, malformed and symlinked files: fields left out, a reason given, never a crash. */
static void test_load_missing_and_bad(void **state)
{
	char *root = fake_root(), target[4096];
	struct uw_container c = ctr(ID1, "docker");
	struct uw_meta m;

	uw_meta_load(root, &c, &m);
	assert_int_equal(m.userns_requested, -1);
	assert_string_equal(m.name, "");
	assert_non_null(strstr(m.error, "Docker's record of the container"));
	assert_non_null(strstr(m.error, "no OCI bundle config.json found for this docker container"));

	copy_fixture(root, "run/containers/storage/overlay-containers/" ID1 "/userdata/config.json",
		     FIX "oci-truncated.json");
	c.runtime = "podman";
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.userns_requested, -1);
	assert_non_null(strstr(m.error, "not valid JSON"));

	/* a config.json that is a symlink is not followed */
	snprintf(target, sizeof(target),
		 "%s/run/containers/storage/overlay-containers/" ID1 "/userdata/config.json", root);
	assert_int_equal(unlink(target), 0);
	snprintf(target, sizeof(target), "%s/elsewhere.json", root);
	fake_put(root, "elsewhere.json", "{\"linux\":{\"namespaces\":[]}}", 0);
	fake_put(root, "var/lib/containers/storage/overlay-containers/" ID1 "/userdata/config.json",
		 target, 1);
	c.runtime = "crio";
	uw_meta_load(root, &c, &m);
	assert_int_equal(m.userns_requested, -1);
	assert_non_null(strstr(m.error, "Too many levels of symbolic links"));

	/* a runtime without metadata, and no ID: nothing, silently */
	c = ctr("", "unknown");
	uw_meta_load(root, &c, &m);
	assert_string_equal(m.error, "");
	fake_rm(root);
}

/* Files above UW_META_MAX_FILE are refused, not read; at the limit they are read. */
static void test_file_size_bound(void **state)
{
	char *root = fake_root(), path[4096];
	size_t len;
	char *buf;
	FILE *f;

	snprintf(path, sizeof(path), "%s/big.json", root);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), UW_META_MAX_FILE), 0);
	fclose(f);
	buf = uw_read_file_bounded(path, &len);
	assert_non_null(buf);
	assert_int_equal(len, UW_META_MAX_FILE);
	free(buf);
	assert_int_equal(truncate(path, UW_META_MAX_FILE + 1), 0);
	errno = 0;
	assert_null(uw_read_file_bounded(path, &len));
	assert_int_equal(errno, EFBIG);
	fake_rm(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oci_host_userns),
		cmocka_unit_test(test_oci_userns),
		cmocka_unit_test(test_oci_k8s_containerd),
		cmocka_unit_test(test_oci_k8s_crio),
		cmocka_unit_test(test_oci_truncated),
		cmocka_unit_test(test_oci_wrong_types),
		cmocka_unit_test(test_oci_no_namespaces),
		cmocka_unit_test(test_oci_hostile),
		cmocka_unit_test(test_oci_strict),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_docker_record),
		cmocka_unit_test(test_image_id_and_privileged),
		cmocka_unit_test(test_lxc_config),
		cmocka_unit_test(test_lxc_syntax),
		cmocka_unit_test(test_lxc_include),
		cmocka_unit_test(test_load_docker),
		cmocka_unit_test(test_load_containerd),
		cmocka_unit_test(test_vouched_identity),
		cmocka_unit_test(test_pod_container_in_cri_namespace_only),
		cmocka_unit_test(test_load_crio_lxc_nspawn),
		cmocka_unit_test(test_storage_record),
		cmocka_unit_test(test_storage_long_name),
		cmocka_unit_test(test_load_podman),
		cmocka_unit_test(test_load_missing_and_bad),
		cmocka_unit_test(test_file_size_bound),
	};

	return cmocka_run_group_tests_name("metadata", tests, NULL, NULL);
}
