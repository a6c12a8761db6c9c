// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "metadata.h"
#include "roots.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void uw_meta_init(struct uw_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->userns_requested = -1;
	m->privileged = -1;
}

/* Appends a reason to m->error ("; " between reasons). */
static void note(struct uw_meta *m, const char *fmt, ...)
{
	size_t n = strlen(m->error);
	va_list ap;

	if (n && n + 2 < sizeof(m->error)) {
		memcpy(m->error + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(m->error + n, sizeof(m->error) - n, fmt, ap);
	va_end(ap);
}

/* An image ID as engines write it ("sha256:<64 hex>", or the 64 hex digits alone) into
 * m->image_id, normalised to "sha256:<hex>", unless one was found before; anything else but ""
 * is left out (and said). */
static void image_id(struct uw_meta *m, const char *s, const char *what)
{
	size_t i, off = strncmp(s, "sha256:", 7) ? 0 : 7;

	if (m->image_id[0] || !s[0])
		return;
	for (i = 0; i < 64; i++)
		if (!((s[off + i] >= '0' && s[off + i] <= '9') || (s[off + i] >= 'a' && s[off + i] <= 'f')))
			break;
	if (i != 64 || s[off + 64]) {
		note(m, "%s: the image ID is not a sha256 digest", what);
		return;
	}
	snprintf(m->image_id, sizeof(m->image_id), "sha256:%.64s", s + off);
}

static void copy_str(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s);
}

/* Parses a whole JSON document strictly; NULL with a reason noted when it is not JSON. */
/*
 * Strict JSON with jansson: RFC 8259 only (no NaN or Infinity, no single quotes, no raw control
 * bytes, valid UTF-8), no NUL inside strings (a key "a\u0000b" cannot pass for "a"), no key
 * twice in one object (two readers would each take another), the whole buffer one object.
 */
static json_t *parse(const char *buf, size_t len, struct uw_meta *m, const char *what)
{
	json_error_t err;
	json_t *o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);

	if (!o) {
		note(m, "%s: not valid JSON (%.80s at byte %d)", what, err.text, err.position);
		return NULL;
	}
	if (!json_is_object(o)) {
		note(m, "%s: not a JSON object", what);
		json_decref(o);
		return NULL;
	}
	return o;
}

/* o[key] if it has the type; notes a reason when it exists with another type. */
static json_t *get_typed(json_t *o, const char *key, json_type t, struct uw_meta *m,
			 const char *what)
{
	json_t *v = o ? json_object_get(o, key) : NULL;

	if (!v || json_is_null(v))
		return NULL;
	if (json_typeof(v) != t) {
		note(m, "%s: %s has the wrong type", what, key);
		return NULL;
	}
	return v;
}

/* The first of keys present as a string annotation, copied to dst. */
static void annotation(json_t *ann, const char *const keys[], char *dst, size_t cap,
		       struct uw_meta *m)
{
	size_t i;

	for (i = 0; keys[i]; i++) {
		json_t *v = get_typed(ann, keys[i], JSON_STRING, m, "annotations");

		if (v) {
			copy_str(dst, cap, json_string_value(v));
			return;
		}
	}
}

int uw_meta_parse_oci(const char *buf, size_t len, struct uw_meta *m)
{
	static const char *const pod_name[] = { "io.kubernetes.cri.sandbox-name",
						"io.kubernetes.pod.name", NULL };
	static const char *const pod_ns[] = { "io.kubernetes.cri.sandbox-namespace",
					      "io.kubernetes.pod.namespace", NULL };
	static const char *const pod_uid[] = { "io.kubernetes.cri.sandbox-uid",
					       "io.kubernetes.pod.uid", NULL };
	static const char *const cname[] = { "io.kubernetes.cri.container-name",
					     "io.kubernetes.container.name", NULL };
	static const char *const image[] = { "io.kubernetes.cri.image-name",
					     "io.kubernetes.cri-o.ImageName", NULL };
	static const char *const image_ref[] = { "io.kubernetes.cri-o.ImageRef", NULL };
	json_t *root = parse(buf, len, m, "config.json"), *linux_, *nss, *ann;
	size_t i, n;

	if (!root)
		return -1;
	linux_ = get_typed(root, "linux", JSON_OBJECT, m, "config.json");
	nss = get_typed(linux_, "namespaces", JSON_ARRAY, m, "config.json linux");
	if (linux_ && !json_object_get(linux_, "namespaces"))
		m->userns_requested = 0; /* no namespaces asked for: all the host's */
	if (nss) {
		m->userns_requested = 0;
		n = json_array_size(nss);
		for (i = 0; i < n; i++) {
			json_t *ns = json_array_get(nss, i), *t;

			if (!json_is_object(ns)) {
				note(m, "config.json linux.namespaces[%zu] is not an object", i);
				continue;
			}
			t = get_typed(ns, "type", JSON_STRING, m, "config.json namespace");
			if (t && !strcmp(json_string_value(t), "user"))
				m->userns_requested = 1;
		}
	} else if (!linux_ && m->userns_requested < 0) {
		note(m, "config.json has no linux section");
	}
	ann = get_typed(root, "annotations", JSON_OBJECT, m, "config.json");
	if (ann) {
		annotation(ann, pod_name, m->pod_name, sizeof(m->pod_name), m);
		annotation(ann, pod_ns, m->pod_namespace, sizeof(m->pod_namespace), m);
		annotation(ann, pod_uid, m->pod_uid, sizeof(m->pod_uid), m);
		if (!m->name[0])
			annotation(ann, cname, m->name, sizeof(m->name), m);
		if (!m->image[0])
			annotation(ann, image, m->image, sizeof(m->image), m);
		if (!m->image_id[0]) {
			char ref[UW_META_STR] = "";

			annotation(ann, image_ref, ref, sizeof(ref), m);
			if (ref[0])
				image_id(m, ref, "config.json annotations");
		}
	}
	json_decref(root);
	return 0;
}

int uw_meta_parse_docker_config(const char *buf, size_t len, struct uw_meta *m)
{
	json_t *root = parse(buf, len, m, "config.v2.json"), *v, *cfg;

	if (!root)
		return -1;
	v = get_typed(root, "Name", JSON_STRING, m, "config.v2.json");
	if (v) {
		const char *s = json_string_value(v);

		copy_str(m->name, sizeof(m->name), s[0] == '/' ? s + 1 : s);
	}
	cfg = get_typed(root, "Config", JSON_OBJECT, m, "config.v2.json");
	v = get_typed(cfg, "Image", JSON_STRING, m, "config.v2.json Config");
	if (v)
		copy_str(m->image, sizeof(m->image), json_string_value(v));
	v = get_typed(root, "Image", JSON_STRING, m, "config.v2.json");
	if (v)
		image_id(m, json_string_value(v), "config.v2.json");
	json_decref(root);
	return 0;
}

int uw_meta_parse_docker_hostconfig(const char *buf, size_t len, struct uw_meta *m)
{
	json_t *root = parse(buf, len, m, "hostconfig.json"), *v;

	if (!root)
		return -1;
	v = get_typed(root, "UsernsMode", JSON_STRING, m, "hostconfig.json");
	if (v) {
		copy_str(m->userns_mode, sizeof(m->userns_mode), json_string_value(v));
		m->have_userns_mode = 1;
	}
	v = json_object_get(root, "Privileged");
	if (json_is_boolean(v))
		m->privileged = json_is_true(v);
	else if (v && !json_is_null(v))
		note(m, "hostconfig.json: Privileged has the wrong type");
	json_decref(root);
	return 0;
}

static int key_is(const char *k, size_t n, const char *want)
{
	return n == strlen(want) && !memcmp(k, want, n);
}

/*
 * One LXC config file, as LXC reads it: "key = value" lines, spaces and tabs around both, "#"
 * comments. lxc.idmap (LXC 3+) or lxc.id_map (older) give the container a user namespace; an
 * empty one clears the list. Each lxc.include value is handed to inc (when not NULL).
 */
static void lxc_lines(const char *buf, size_t len, struct uw_meta *m,
		      void (*inc)(void *ctx, const char *path, size_t n), void *ctx)
{
	const char *p = buf, *end = buf + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
		const char *eq = memchr(p, '=', (size_t)(e - p)), *k = p, *ke, *v, *ve = e;

		p = e + 1;
		if (!eq)
			continue;
		ke = eq;
		v = eq + 1;
		uw_trim(&k, &ke);
		uw_trim(&v, &ve);
		if (k < ke && *k == '#')
			continue;
		if (key_is(k, (size_t)(ke - k), "lxc.idmap") || key_is(k, (size_t)(ke - k), "lxc.id_map"))
			m->userns_requested = v < ve;
		else if (inc && key_is(k, (size_t)(ke - k), "lxc.include") && v < ve)
			inc(ctx, v, (size_t)(ve - v));
	}
}

int uw_meta_parse_lxc_config(const char *buf, size_t len, struct uw_meta *m)
{
	m->userns_requested = 0;
	lxc_lines(buf, len, m, NULL, NULL);
	return 0;
}

/* Reads path and runs parse on it. Returns 1 if the file was found (parsed or not). */
static int load(const char *path, int (*parse_fn)(const char *, size_t, struct uw_meta *),
		struct uw_meta *m, int is_source)
{
	size_t len;
	char *buf = uw_read_file_bounded(path, &len);

	if (!buf) {
		if (errno != ENOENT && errno != ENOTDIR)
			note(m, "%s: %s", path, strerror(errno));
		return errno != ENOENT && errno != ENOTDIR;
	}
	if (parse_fn(buf, len, m) == 0 && is_source)
		copy_str(m->source, sizeof(m->source), path);
	free(buf);
	return 1;
}

/* snprintf that refuses to cut: a shortened path could name another file. */
__attribute__((format(printf, 3, 4))) static int mkpath(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap) {
		buf[0] = 0;
		return -1;
	}
	return 0;
}

static int exists_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *root_of(const char *host_root)
{
	return strcmp(host_root, "/") ? host_root : "";
}

/* containerd keeps bundles per namespace: <root>/run/containerd/io.containerd.runtime.v2.task/<ns>/<id> */
static int oci_containerd(const char *host_root, const char *base, const char *ns, const char *id,
			  struct uw_meta *m)
{
	char dir[4096], path[4096];
	struct dirent *de;
	DIR *d;
	int found = 0;

	if (ns) {
		mkpath(path, sizeof(path), "%s%s/%s/%s/config.json", root_of(host_root), base, ns, id);
		return load(path, uw_meta_parse_oci, m, 1);
	}
	mkpath(dir, sizeof(dir), "%s%s", root_of(host_root), base);
	d = opendir(dir);
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		mkpath(path, sizeof(path), "%s/%s/%s", dir, de->d_name, id);
		if (exists_dir(path)) {
			mkpath(path, sizeof(path), "%s/%s/%s/config.json", dir, de->d_name, id);
			found = load(path, uw_meta_parse_oci, m, 1);
		}
	}
	closedir(d);
	return found;
}

/*
 * containers/storage's record of its containers (Podman, CRI-O): overlay-containers/
 * containers.json, an array of {"id", "names": [...], "metadata": "<JSON text>"}, the inner
 * text holding "name" and "image-name". Fills what is still missing; 0, or -1 with a reason.
 */
int uw_meta_parse_storage(const char *buf, size_t len, const char *id, struct uw_meta *m)
{
	json_error_t err;
	json_t *all = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err), *c = NULL, *v, *inner = NULL;
	size_t i;

	if (!all || !json_is_array(all)) {
		note(m, "containers.json: %s", all ? "not a JSON array" : "not valid JSON");
		json_decref(all);
		return -1;
	}
	for (i = 0; i < json_array_size(all); i++) {
		c = json_array_get(all, i);
		v = json_is_object(c) ? json_object_get(c, "id") : NULL;
		if (json_is_string(v) && !strcmp(json_string_value(v), id))
			break;
	}
	if (i == json_array_size(all)) {
		note(m, "containers.json has no record of the container");
		json_decref(all);
		return -1;
	}
	v = get_typed(c, "metadata", JSON_STRING, m, "containers.json");
	if (v) {
		inner = json_loadb(json_string_value(v), json_string_length(v), JSON_REJECT_DUPLICATES, &err);
		if (!inner || !json_is_object(inner)) {
			note(m, "containers.json: the container's metadata is not a JSON object");
			json_decref(inner);
			inner = NULL;
		}
	}
	v = get_typed(inner, "name", JSON_STRING, m, "containers.json metadata");
	if (!m->name[0] && v)
		copy_str(m->name, sizeof(m->name), json_string_value(v));
	v = get_typed(c, "names", JSON_ARRAY, m, "containers.json");
	if (!m->name[0] && v && json_is_string(json_array_get(v, 0)))
		copy_str(m->name, sizeof(m->name), json_string_value(json_array_get(v, 0)));
	v = get_typed(inner, "image-name", JSON_STRING, m, "containers.json metadata");
	if (!m->image[0] && v)
		copy_str(m->image, sizeof(m->image), json_string_value(v));
	v = get_typed(c, "image", JSON_STRING, m, "containers.json");
	if (v)
		image_id(m, json_string_value(v), "containers.json");
	json_decref(inner);
	json_decref(all);
	return 0;
}

static int storage_record(const char *path, const char *id, struct uw_meta *m)
{
	size_t len;
	char *buf = uw_read_file_bounded(path, &len);
	int rc;

	if (!buf)
		return 0;
	rc = uw_meta_parse_storage(buf, len, id, m);
	free(buf);
	return rc == 0;
}

/* containers/storage (Podman, CRI-O): the OCI bundle in the container's userdata/, and the
 * name and image from containers.json beside it. */
static int oci_storage(const struct uw_roots *r, const char *id, struct uw_meta *m)
{
	const char *host_root = r->host_root;
	const char *const bases[] = { r->dir[UW_ROOT_STORAGE_RUN], r->dir[UW_ROOT_STORAGE] };
	char path[4096];
	int found = 0, rec = 0;
	size_t i;

	for (i = 0; i < 2 && !found; i++) {
		if (mkpath(path, sizeof(path), "%s%s/overlay-containers/%s/userdata/config.json",
			   root_of(host_root), bases[i], id))
			continue;
		found = load(path, uw_meta_parse_oci, m, 1);
	}
	for (i = 0; i < 2 && !rec; i++) {
		if (mkpath(path, sizeof(path), "%s%s/overlay-containers/containers.json",
			   root_of(host_root), bases[i]))
			continue;
		rec = storage_record(path, id, m);
	}
	if (found && !rec && (!m->name[0] || !m->image[0]))
		note(m, "containers/storage's containers.json has no usable record of the container");
	return found;
}

/* Docker's own record: <data-root>/containers/<id>/, data-root /var/lib/docker (roots.h) or,
 * under userns-remap, <data-root>/<uid>.<gid> */
static int docker_record(const struct uw_roots *r, const char *id, struct uw_meta *m)
{
	const char *host_root = r->host_root, *data = r->dir[UW_ROOT_DOCKER];
	char dir[4096], path[4096];
	struct dirent *de;
	DIR *d;
	int found;

	mkpath(dir, sizeof(dir), "%s%s/containers/%s", root_of(host_root), data, id);
	if (!exists_dir(dir)) {
		mkpath(path, sizeof(path), "%s%s", root_of(host_root), data);
		dir[0] = 0;
		d = opendir(path);
		while (d && (de = readdir(d))) {
			unsigned a, b;
			char tail;

			if (sscanf(de->d_name, "%u.%u%c", &a, &b, &tail) != 2)
				continue;
			mkpath(path, sizeof(path), "%s%s/%s/containers/%s", root_of(host_root), data,
			       de->d_name, id);
			if (exists_dir(path)) {
				mkpath(dir, sizeof(dir), "%s", path);
				break;
			}
		}
		if (d)
			closedir(d);
		if (!dir[0])
			return 0;
	}
	mkpath(path, sizeof(path), "%s/config.v2.json", dir);
	found = load(path, uw_meta_parse_docker_config, m, 0);
	mkpath(path, sizeof(path), "%s/hostconfig.json", dir);
	found |= load(path, uw_meta_parse_docker_hostconfig, m, 0);
	return found;
}

#define UW_LXC_MAX_DEPTH 4  /* lxc.include nesting followed */
#define UW_LXC_MAX_FILES 64  /* files read for one container */

struct lxc_walk {
	const char *host_root;
	struct uw_meta *m;
	int depth, files;
};

static void lxc_file(struct lxc_walk *w, const char *path);

/* An lxc.include value: a file, or a directory whose *.conf files are read (as LXC does). The
 * path is the host's, so it is looked up below the host root, never outside it. */
static void lxc_include(void *ctx, const char *val, size_t n)
{
	struct lxc_walk *w = ctx;
	char rel[4096], path[4096 + 64];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (n >= sizeof(rel) || val[0] != '/' || memchr(val, 0, n)) {
		note(w->m, "lxc.include %.*s: not an absolute path, not followed", (int)(n < 200 ? n : 200), val);
		return;
	}
	memcpy(rel, val, n);
	rel[n] = 0;
	if (strstr(rel, "/../") || (n >= 3 && !strcmp(rel + n - 3, "/.."))) {
		note(w->m, "lxc.include %.200s: a path with .. is not followed", rel);
		return;
	}
	if (mkpath(path, sizeof(path), "%s%s", root_of(w->host_root), rel))
		return;
	if (lstat(path, &st) || !S_ISDIR(st.st_mode)) {
		lxc_file(w, path);
		return;
	}
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char f[4096 + 320];

		if (l > 5 && !strcmp(de->d_name + l - 5, ".conf") &&
		    !mkpath(f, sizeof(f), "%s/%s", path, de->d_name))
			lxc_file(w, f);
	}
	closedir(d);
}

static void lxc_file(struct lxc_walk *w, const char *path)
{
	size_t len;
	char *buf;

	if (w->depth >= UW_LXC_MAX_DEPTH || w->files >= UW_LXC_MAX_FILES) {
		note(w->m, "%.200s: lxc.include nested too deep or too many files, not read", path);
		return;
	}
	buf = uw_read_file_bounded(path, &len);
	if (!buf) {
		if (errno != ENOENT)
			note(w->m, "%.200s: %s", path, strerror(errno));
		return;
	}
	w->files++;
	w->depth++;
	lxc_lines(buf, len, w->m, lxc_include, w);
	w->depth--;
	free(buf);
}

/* The container's config and what it includes; 1 when the config itself was found. */
static int lxc_load(const char *host_root, const char *path, struct uw_meta *m)
{
	struct lxc_walk w = { host_root, m, 0, 0 };
	struct stat st;

	if (lstat(path, &st))
		return 0;
	m->userns_requested = 0;
	lxc_file(&w, path);
	snprintf(m->source, sizeof(m->source), "%.*s", (int)sizeof(m->source) - 1, path);
	return 1;
}

/* The pod UIDs of the cgroup path and of the annotations are the same (dashes or underscores:
 * the systemd cgroup driver writes underscores). */
static int same_pod_uid(const char *cg, const char *ann)
{
	size_t i;

	if (!cg[0] || !ann[0] || strlen(cg) != strlen(ann))
		return 0;
	for (i = 0; cg[i]; i++) {
		char x = cg[i] == '_' ? '-' : cg[i], y = ann[i] == '_' ? '-' : ann[i];

		if (x != y)
			return 0;
	}
	return 1;
}

/* What m holds that the tool can vouch for (UW_VOUCH_*), for container c; record: the
 * runtime's own record of the container (Docker's config.v2.json, Podman's containers.json)
 * was read. */
static unsigned vouch(const struct uw_container *c, const struct uw_meta *m, int record)
{
	const char *rt = c->runtime ? c->runtime : "";
	int kubelet = same_pod_uid(c->pod_uid, m->pod_uid);

	if (!strcmp(rt, "lxc") || !strcmp(rt, "systemd-nspawn"))
		return UW_VOUCH_NAME; /* the name is the ID */
	if ((!strcmp(rt, "docker") || !strcmp(rt, "podman")) && record)
		return UW_VOUCH_NAME | UW_VOUCH_IMAGE | (kubelet ? UW_VOUCH_POD : 0);
	return kubelet ? UW_VOUCH_NAME | UW_VOUCH_IMAGE | UW_VOUCH_POD : 0;
}

/* Reads the runtime's records of container c into m, below r's directories (r->warned: what
 * was not found is said once). Returns 1 when the runtime's own record of the container
 * (Docker's config.v2.json, Podman's storage) was read. */
static int load_records(struct uw_roots *r, const struct uw_container *c, const char *rt, struct uw_meta *m)
{
	const char *host_root = r->host_root;
	char task[UW_ROOT_MAX + 64], dtask[UW_ROOT_MAX + 64];
	int oci = 0, record = 0;

	snprintf(task, sizeof(task), "%s/io.containerd.runtime.v2.task", r->dir[UW_ROOT_CONTAINERD]);
	if (!strcmp(rt, "docker")) {
		snprintf(dtask, sizeof(dtask), "%s/containerd/daemon/io.containerd.runtime.v2.task",
			 r->dir[UW_ROOT_DOCKER_EXEC]);
		oci = oci_containerd(host_root, dtask, "moby", c->id, m) ||
		      oci_containerd(host_root, task, "moby", c->id, m);
		record = docker_record(r, c->id, m);
		if (!record) {
			note(m, "Docker's record of the container (config.v2.json, hostconfig.json) was not found "
				"in %s/containers", r->dir[UW_ROOT_DOCKER]);
			uw_roots_missed(r, UW_ROOT_DOCKER, "docker");
		}
	} else if (!strcmp(rt, "containerd")) {
		/* a pod's container: CRI's namespace only. IDs are unique per namespace: anyone who can
		 * make containers could put a bundle with this ID, and annotations naming this pod, in
		 * a namespace of their own, and a search of every namespace might find theirs first */
		const char *ns = c->ns[0] ? c->ns : c->iface && !strcmp(c->iface, "cri") ? "k8s.io" : NULL;

		oci = oci_containerd(host_root, task, ns, c->id, m);
		if (!oci)
			uw_roots_missed(r, UW_ROOT_CONTAINERD, "containerd");
	} else if (!strcmp(rt, "crio") || !strcmp(rt, "podman")) {
		oci = oci_storage(r, c->id, m);
		record = oci && !strcmp(rt, "podman");
		if (!oci)
			uw_roots_missed(r, UW_ROOT_STORAGE, rt);
	} else if (!strcmp(rt, "lxc")) {
		char path[4096];

		copy_str(m->name, sizeof(m->name), c->id);
		if (mkpath(path, sizeof(path), "%s%s/%s/config", root_of(host_root), r->dir[UW_ROOT_LXC], c->id) ||
		    !lxc_load(host_root, path, m)) {
			note(m, "LXC config not found at %s", path);
			uw_roots_missed(r, UW_ROOT_LXC, "lxc");
		}
		return 0;
	} else if (!strcmp(rt, "systemd-nspawn")) {
		copy_str(m->name, sizeof(m->name), c->id);
		note(m, "systemd-nspawn keeps no metadata file; the name is the machine name");
		return 0;
	}
	if (!oci)
		note(m, "no OCI bundle config.json found for this %s container (looked in %s)", rt,
		     !strcmp(rt, "docker") ? dtask : !strcmp(rt, "containerd") ? task : r->dir[UW_ROOT_STORAGE]);
	return record;
}

void uw_meta_load_in(struct uw_roots *r, const struct uw_container *c, struct uw_meta *m)
{
	const char *rt = c->runtime ? c->runtime : "unknown";

	uw_meta_init(m);
	if (!c->id[0])
		return;
	m->vouched = vouch(c, m, load_records(r, c, rt, m));
}

void uw_meta_load(const char *host_root, const struct uw_container *c, struct uw_meta *m)
{
	struct uw_roots r;

	uw_roots_init(&r, host_root);
	r.warned = ~0u; /* nothing said */
	uw_meta_load_in(&r, c, m);
}
