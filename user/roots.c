// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Where each engine keeps its containers (roots.h): defaults, the engines' configuration, and
 * --data-root. */
#include "roots.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostfile.h"
#include "json.h"

static const struct {
	const char *name, *def;
} keys[UW_ROOT_N] = {
	[UW_ROOT_DOCKER] = { "docker", "/var/lib/docker" },
	[UW_ROOT_DOCKER_EXEC] = { "docker-exec", "/run/docker" },
	[UW_ROOT_CONTAINERD] = { "containerd", "/run/containerd" },
	[UW_ROOT_STORAGE] = { "storage", "/var/lib/containers/storage" },
	[UW_ROOT_STORAGE_RUN] = { "storage-run", "/run/containers/storage" },
	[UW_ROOT_LXC] = { "lxc", "/var/lib/lxc" },
};

const char *uw_root_name(enum uw_root_key k)
{
	return (unsigned)k < UW_ROOT_N ? keys[k].name : "?";
}

void uw_roots_init(struct uw_roots *r, const char *host_root)
{
	int k;

	memset(r, 0, sizeof(*r));
	r->host_root = host_root;
	for (k = 0; k < UW_ROOT_N; k++) {
		snprintf(r->dir[k], sizeof(r->dir[k]), "%s", keys[k].def);
		r->from[k] = "default";
	}
}

/* An absolute directory without "." or ".." components or control bytes, its trailing slashes
 * cut, into out; 0, or -1 with why. */
static int good_dir(const char *s, char out[UW_ROOT_MAX], char *err, size_t len)
{
	size_t n = strlen(s), i, start;

	while (n > 1 && s[n - 1] == '/')
		n--;
	if (s[0] != '/' || n >= UW_ROOT_MAX) {
		snprintf(err, len, "want an absolute directory of fewer than %d bytes", UW_ROOT_MAX);
		return -1;
	}
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(err, len, "a control byte in the directory");
			return -1;
		}
	for (i = 1, start = 1; i <= n; i++) {
		if (i < n && s[i] != '/')
			continue;
		if ((i - start == 1 && s[start] == '.') || (i - start == 2 && s[start] == '.' && s[start + 1] == '.')) {
			snprintf(err, len, "no \".\" or \"..\" components (it is looked up below the host root)");
			return -1;
		}
		start = i + 1;
	}
	memcpy(out, s, n);
	out[n] = 0;
	return 0;
}

int uw_roots_set(struct uw_roots *r, const char *spec, char *err, size_t len)
{
	const char *eq = strchr(spec, '=');
	char why[160];
	int k;

	for (k = 0; eq && k < UW_ROOT_N; k++)
		if (strlen(keys[k].name) == (size_t)(eq - spec) && !strncmp(spec, keys[k].name, (size_t)(eq - spec)))
			break;
	if (!eq || k == UW_ROOT_N) {
		snprintf(err, len, "bad --data-root '%.200s' (want KEY=DIR, KEY one of docker, docker-exec, "
			 "containerd, storage, storage-run, lxc)", spec);
		return -1;
	}
	if (good_dir(eq + 1, r->dir[k], why, sizeof(why))) {
		snprintf(err, len, "bad --data-root '%.200s': %s", spec, why);
		return -1;
	}
	r->from[k] = "--data-root";
	return 0;
}

/* A TOML basic ("…", no escapes read) or literal ('…') string in [s, e), then only a comment. */
static int toml_string(const char *s, const char *e, char *out, size_t cap, char *err, size_t errlen)
{
	char q = s < e ? *s : 0;
	const char *end, *p;

	if (q != '"' && q != '\'') {
		snprintf(err, errlen, "the value is not a string");
		return -1;
	}
	end = memchr(s + 1, q, (size_t)(e - s - 1));
	if (!end || (q == '"' && memchr(s + 1, '\\', (size_t)(end - s - 1)))) {
		snprintf(err, errlen, end ? "an escape in the string (not read)" : "the string does not end");
		return -1;
	}
	for (p = end + 1; p < e && (*p == ' ' || *p == '\t'); p++)
		;
	if (p < e && *p != '#') {
		snprintf(err, errlen, "more after the string");
		return -1;
	}
	if ((size_t)(end - s - 1) >= cap) {
		snprintf(err, errlen, "the string is too long");
		return -1;
	}
	memcpy(out, s + 1, (size_t)(end - s - 1));
	out[end - s - 1] = 0;
	return 0;
}

int uw_conf_value(const char *buf, size_t len, const char *table, const char *key, char *out,
		  size_t cap, char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len;
	int in_table = table && !table[0], found = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *s = p, *e = le, *eq;

		p = nl ? nl + 1 : end;
		uw_trim(&s, &e);
		if (s == e || *s == '#')
			continue;
		if (table && *s == '[') { /* a table header: [name] or [[name]] */
			const char *a = s, *b = e;

			while (a < b && *a == '[')
				a++;
			while (b > a && b[-1] == ']')
				b--;
			uw_trim(&a, &b);
			in_table = (size_t)(b - a) == strlen(table) && !memcmp(a, table, (size_t)(b - a));
			continue;
		}
		eq = memchr(s, '=', (size_t)(e - s));
		if (!in_table && table)
			continue;
		if (eq) {
			const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;

			uw_trim(&ks, &ke);
			uw_trim(&vs, &ve);
			if ((size_t)(ke - ks) != strlen(key) || memcmp(ks, key, (size_t)(ke - ks)))
				continue;
			if (table) {
				if (found)
					continue; /* TOML has one; the first is kept */
				if (toml_string(vs, ve, out, cap, err, errlen))
					return -1;
			} else {
				if ((size_t)(ve - vs) >= cap) {
					snprintf(err, errlen, "the value is too long");
					return -1;
				}
				memcpy(out, vs, (size_t)(ve - vs)); /* LXC: the last one wins */
				out[ve - vs] = 0;
			}
			found = 1;
		}
	}
	return found;
}

/* Reads the engine's configuration file at host path file below the host root (at most
 * UW_HOSTFILE_MAX bytes, no symlink as last component): a malloc'd buffer, NULL when absent. */
static char *conf_file(const struct uw_roots *r, const char *file, size_t *len)
{
	char path[4096];

	if (snprintf(path, sizeof(path), "%s%s", strcmp(r->host_root, "/") ? r->host_root : "", file) >=
	    (int)sizeof(path))
		return NULL;
	return uw_read_file_bounded(path, len);
}

/* key k from value v of file: checked, then kept (unless --data-root set it) */
static void take(struct uw_roots *r, enum uw_root_key k, const char *v, const char *file, const char *what)
{
	char why[160];

	if (!strcmp(r->from[k], "--data-root"))
		return;
	if (good_dir(v, r->dir[k], why, sizeof(why))) {
		char esc[4 * 200 + 1];

		/* the file's value may hold anything: escaped, cut */
		uw_text_escape(esc, sizeof(esc), v, 200);
		snprintf(r->dir[k], sizeof(r->dir[k]), "%s", keys[k].def);
		fprintf(stderr, "userns-watch: %s: %s '%s' not used (%s); looking in %s\n", file, what, esc, why,
			keys[k].def);
		return;
	}
	r->from[k] = file;
	if (strcmp(r->dir[k], keys[k].def))
		fprintf(stderr, "userns-watch: %s containers' files in %s (%s in %s)\n", keys[k].name, r->dir[k],
			what, file);
}

/* Docker's daemon.json: data-root (its older name: graph) and exec-root */
static void read_docker(struct uw_roots *r)
{
	static const char file[] = "/etc/docker/daemon.json";
	size_t len;
	char *buf = conf_file(r, file, &len);
	json_error_t jerr;
	json_t *root, *v;

	if (!buf)
		return;
	root = json_loadb(buf, len, 0, &jerr);
	free(buf);
	if (!json_is_object(root)) {
		fprintf(stderr, "userns-watch: %s is not a JSON object: Docker's default directories are looked in\n",
			file);
		json_decref(root);
		return;
	}
	v = json_object_get(root, "data-root");
	if (!v)
		v = json_object_get(root, "graph");
	if (json_is_string(v))
		take(r, UW_ROOT_DOCKER, json_string_value(v), file, "data-root");
	v = json_object_get(root, "exec-root");
	if (json_is_string(v))
		take(r, UW_ROOT_DOCKER_EXEC, json_string_value(v), file, "exec-root");
	json_decref(root);
}

/* one value of a configuration file: table "" (the top level) or a TOML table, NULL: LXC's */
static void read_conf(struct uw_roots *r, const char *file, const char *table, const char *key,
		      enum uw_root_key k)
{
	char v[UW_ROOT_MAX * 2], why[160];
	size_t len;
	char *buf = conf_file(r, file, &len);
	int rc;

	if (!buf)
		return;
	rc = uw_conf_value(buf, len, table, key, v, sizeof(v), why, sizeof(why));
	free(buf);
	if (rc < 0)
		fprintf(stderr, "userns-watch: %s: %s not read (%s); looking in %s\n", file, key, why, r->dir[k]);
	else if (rc)
		take(r, k, v, file, key);
}

void uw_roots_read(struct uw_roots *r)
{
	read_docker(r);
	read_conf(r, "/etc/containerd/config.toml", "", "state", UW_ROOT_CONTAINERD);
	read_conf(r, "/etc/containers/storage.conf", "storage", "graphroot", UW_ROOT_STORAGE);
	read_conf(r, "/etc/containers/storage.conf", "storage", "runroot", UW_ROOT_STORAGE_RUN);
	read_conf(r, "/etc/lxc/lxc.conf", NULL, "lxc.lxcpath", UW_ROOT_LXC);
}

void uw_roots_missed(struct uw_roots *r, enum uw_root_key k, const char *engine)
{
	char path[4096];
	struct stat st;

	if ((unsigned)k >= UW_ROOT_N || (r->warned & (1u << k)))
		return;
	snprintf(path, sizeof(path), "%s%s", strcmp(r->host_root, "/") ? r->host_root : "", r->dir[k]);
	/* a container whose files are gone (removed meanwhile) says so in its own record; a
	 * directory that is not there says the engine keeps them elsewhere */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return;
	r->warned |= 1u << k;
	fprintf(stderr,
		"userns-watch: a %s container's files were looked for in %s, which is not a directory "
		"(%s: %s); names and images of %s containers will be missing: --data-root %s=DIR names "
		"where they are\n",
		engine, path, keys[k].name, r->from[k], engine, keys[k].name);
}
