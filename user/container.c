// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Container layouts, one row each. A cgroup path is split into components; a row matches one
 * component (prefix + ID + suffix), or, with `parent` set, a bare-ID component directly below a
 * component accepted by `parent`. Add a runtime by adding a row.
 */
#include "container.h"

#include <stdbool.h>
#include <string.h>

struct comp {
	const char *s;
	size_t n;
};

struct walk;
typedef bool (*parent_fn)(struct comp c, const struct walk *w);

struct layout {
	const char *runtime;
	const char *prefix;
	const char *suffix;
	parent_fn parent; /* for bare IDs: which parent component makes them a container */
};

static bool is_hex_id(const char *s, size_t n)
{
	size_t i;

	if (n != UW_CID_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool comp_eq(struct comp c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n == n && !memcmp(c.s, lit, n);
}

static bool comp_starts(struct comp c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n >= n && !memcmp(c.s, lit, n);
}

static bool comp_ends(struct comp c, const char *lit)
{
	size_t n = strlen(lit);

	return c.n >= n && !memcmp(c.s + c.n - n, lit, n);
}

/*
 * Parses a pod UID written with `sep` between the 8-4-4-4-12 hex groups (Kubernetes writes
 * '-' in cgroupfs names and '_' in systemd slice names). Writes the dashed form to out.
 */
static bool parse_pod_uid(const char *s, size_t n, char sep, char out[UW_POD_UID_LEN + 1])
{
	size_t i;

	if (n != UW_POD_UID_LEN)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ch != sep)
				return false;
			out[i] = '-';
		} else if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')) {
			out[i] = ch;
		} else {
			return false;
		}
	}
	out[n] = 0;
	return true;
}

/* Walk state: what the components above the current one said. */
struct walk {
	bool kubepods;                      /* below a kubepods or kubepods.slice group */
	char pod[UW_POD_UID_LEN + 1];       /* the pod UID of an ancestor, or "" */
};

/*
 * A Kubernetes pod component: cgroupfs "pod<uid>" below kubepods, or systemd
 * "kubepods[-besteffort|-burstable]-pod<uid_with_underscores>.slice". Fills uid on success.
 */
static bool pod_component(struct comp c, const struct walk *w, char uid[UW_POD_UID_LEN + 1])
{
	static const char *const slices[] = { "kubepods-pod", "kubepods-besteffort-pod",
					      "kubepods-burstable-pod" };
	const size_t sfx = strlen(".slice");
	size_t k, pn;

	if (w->kubepods && comp_starts(c, "pod"))
		return parse_pod_uid(c.s + 3, c.n - 3, '-', uid);
	if (!comp_ends(c, ".slice"))
		return false;
	for (k = 0; k < sizeof(slices) / sizeof(slices[0]); k++) {
		pn = strlen(slices[k]);
		if (c.n >= pn + sfx && comp_starts(c, slices[k]))
			return parse_pod_uid(c.s + pn, c.n - pn - sfx, '_', uid);
	}
	return false;
}

static bool parent_docker(struct comp c, const struct walk *w)
{
	return comp_eq(c, "docker");
}

static bool parent_pod(struct comp c, const struct walk *w)
{
	char uid[UW_POD_UID_LEN + 1];

	return w->kubepods && comp_starts(c, "pod") && pod_component(c, w, uid);
}

static const struct layout layouts[] = {
	/* Docker, systemd cgroup driver: system.slice/docker-<id>.scope */
	{ "docker", "docker-", ".scope", NULL },
	/* Docker, cgroupfs driver: /docker/<id> */
	{ "docker", "", "", parent_docker },
	/* containerd CRI plugin, systemd driver: …/cri-containerd-<id>.scope */
	{ "containerd", "cri-containerd-", ".scope", NULL },
	/* Kubernetes, cgroupfs driver: /kubepods[/<qos>]/pod<uid>/<id>; the path does not say
	 * which CRI runtime made it */
	{ "cri", "", "", parent_pod },
};

static bool match(const struct layout *l, const struct walk *w, struct comp prev, bool has_prev,
		  struct comp c, struct uw_container *out)
{
	size_t pn, sn;

	if (l->parent) {
		if (!has_prev || !l->parent(prev, w) || !is_hex_id(c.s, c.n))
			return false;
		memcpy(out->id, c.s, c.n);
		out->id[c.n] = 0;
		return true;
	}
	pn = strlen(l->prefix);
	sn = strlen(l->suffix);
	if (c.n != pn + UW_CID_LEN + sn || !comp_starts(c, l->prefix) || !comp_ends(c, l->suffix) ||
	    !is_hex_id(c.s + pn, UW_CID_LEN))
		return false;
	memcpy(out->id, c.s + pn, UW_CID_LEN);
	out->id[UW_CID_LEN] = 0;
	return true;
}

int uw_container_from_path(const char *path, size_t len, struct uw_container *out)
{
	struct comp prev = { NULL, 0 }, c;
	struct walk w = { false, "" };
	bool has_prev = false;
	size_t i = 0, k;

	memset(out, 0, sizeof(*out));
	len = strnlen(path, len);
	while (i < len) {
		size_t start;

		while (i < len && path[i] == '/')
			i++;
		if (i >= len)
			break;
		start = i;
		while (i < len && path[i] != '/')
			i++;
		c.s = path + start;
		c.n = i - start;

		for (k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++) {
			if (match(&layouts[k], &w, prev, has_prev, c, out)) {
				out->runtime = layouts[k].runtime;
				memcpy(out->pod_uid, w.pod, sizeof(w.pod));
				return 1;
			}
		}
		if (comp_eq(c, "kubepods") || comp_eq(c, "kubepods.slice"))
			w.kubepods = true;
		if (!w.pod[0]) {
			char uid[UW_POD_UID_LEN + 1];

			if (pod_component(c, &w, uid))
				memcpy(w.pod, uid, sizeof(uid));
		}
		prev = c;
		has_prev = true;
	}
	memset(out, 0, sizeof(*out));
	return 0;
}
