// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Container layouts, one row each: a row looks at one path component (and what the walk knows
 * of the components above it) and says whether it names a container. Add a runtime by adding
 * a row. IDs are checked strictly: 64 lowercase hex digits, or for runtimes that use names,
 * 1..128 bytes of [A-Za-z0-9_.+@-].
 */
#include "container.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

const struct uw_container uw_unknown_container = { .runtime = "unknown" };
const struct uw_container uw_host_container = { .runtime = "host" };

struct comp {
	const char *s;
	size_t n;
};

/* What the components above the current one said. */
struct walk {
	struct comp prev;                   /* the parent component, n == 0 at the top */
	unsigned depth;                     /* 0 for the top-level component */
	bool kubepods;                      /* below a kubepods group */
	char pod[UW_POD_UID_LEN + 1];       /* the pod UID of an ancestor, or "" */
};

typedef bool (*match_fn)(struct comp c, const struct walk *w, struct uw_container *out);

struct layout {
	const char *runtime;
	const char *iface;  /* the interface it was made through (a pod's: "cri", whatever this) */
	match_fn match;
	const char *prefix; /* for the generic prefix + ID + suffix rows */
	const char *suffix;
};

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

static bool is_hex_id(const char *s, size_t n)
{
	size_t i;

	if (n != UW_CID_HEX_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool is_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > UW_CID_MAX || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '.' || ch == '+' || ch == '@' || ch == '-'))
			return false;
	}
	return true;
}

static bool set_id(struct uw_container *out, const char *s, size_t n)
{
	memcpy(out->id, s, n);
	out->id[n] = 0;
	return true;
}

/*
 * Parses a pod UID written with `sep` between the 8-4-4-4-12 hex groups (Kubernetes writes
 * '-' in cgroupfs names and '_' in systemd slice names). Writes the dashed form to out.
 */
/* A pod UID (8-4-4-4-12 lowercase hex, sep between groups), written to out only when whole. */
static bool parse_pod_uid(const char *s, size_t n, char sep, char out[UW_POD_UID_LEN + 1])
{
	char uid[UW_POD_UID_LEN + 1];
	size_t i;

	if (n != UW_POD_UID_LEN)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (ch != sep)
				return false;
			uid[i] = '-';
		} else if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')) {
			uid[i] = ch;
		} else {
			return false;
		}
	}
	uid[n] = 0;
	memcpy(out, uid, sizeof(uid));
	return true;
}

/*
 * A Kubernetes pod group: cgroupfs "pod<uid>" below kubepods, or a systemd slice
 * "…kubepods…-pod<uid_with_underscores>.slice" (kubepods-burstable-pod…, kubelet-kubepods-…).
 */
static bool pod_component(struct comp c, const struct walk *w, char uid[UW_POD_UID_LEN + 1])
{
	const size_t tail = 4 + UW_POD_UID_LEN + 6; /* "-pod" UID ".slice" */

	if (w->kubepods && comp_starts(c, "pod"))
		return parse_pod_uid(c.s + 3, c.n - 3, '-', uid);
	if (c.n <= tail || !comp_ends(c, ".slice") || !memmem(c.s, c.n - tail + 1, "kubepods", 8))
		return false;
	if (memcmp(c.s + c.n - tail, "-pod", 4))
		return false;
	return parse_pod_uid(c.s + c.n - tail + 4, UW_POD_UID_LEN, '_', uid);
}

/* prefix + 64-hex ID + suffix, e.g. docker-<id>.scope */
static bool m_affix(const struct layout *l, struct comp c, struct uw_container *out)
{
	size_t pn = strlen(l->prefix), sn = strlen(l->suffix);

	if (c.n != pn + UW_CID_HEX_LEN + sn || !comp_starts(c, l->prefix) || !comp_ends(c, l->suffix) ||
	    !is_hex_id(c.s + pn, UW_CID_HEX_LEN))
		return false;
	return set_id(out, c.s + pn, UW_CID_HEX_LEN);
}

/* /docker/<id>: Docker's cgroupfs driver (any parent path above "docker") */
static bool m_docker_dir(struct comp c, const struct walk *w, struct uw_container *out)
{
	return comp_eq(w->prev, "docker") && is_hex_id(c.s, c.n) && set_id(out, c.s, c.n);
}

/* /kubepods[/<qos>]/pod<uid>/<id>: Kubernetes, cgroupfs driver (runtime not in the path) */
static bool m_pod_dir(struct comp c, const struct walk *w, struct uw_container *out)
{
	char uid[UW_POD_UID_LEN + 1];

	return w->kubepods && comp_starts(w->prev, "pod") && pod_component(w->prev, w, uid) &&
	       is_hex_id(c.s, c.n) && set_id(out, c.s, c.n);
}

/*
 * "<slice>:<prefix>:<id>": runc's systemd cgroupsPath syntax, left as a literal directory name
 * when the runtime uses the cgroupfs driver under a systemd-style parent.
 */
static bool m_colon(struct comp c, const char *prefix, struct uw_container *out)
{
	size_t pn = strlen(prefix);
	const char *id = c.s + c.n - UW_CID_HEX_LEN;

	if (c.n < pn + UW_CID_HEX_LEN + 3 || !is_hex_id(id, UW_CID_HEX_LEN) || id[-1] != ':' ||
	    memcmp(id - 1 - pn, prefix, pn) || id[-2 - (long)pn] != ':')
		return false;
	return set_id(out, id, UW_CID_HEX_LEN);
}

static bool m_colon_containerd(struct comp c, const struct walk *w, struct uw_container *out)
{
	return m_colon(c, "cri-containerd", out);
}

static bool m_colon_crio(struct comp c, const struct walk *w, struct uw_container *out)
{
	return m_colon(c, "crio", out);
}

/* /default/<id>: containerd's default namespace (ctr, nerdctl with cgroupfs); IDs are names */
static bool m_containerd_ns(struct comp c, const struct walk *w, struct uw_container *out)
{
	if (w->depth != 1 || !comp_eq(w->prev, "default") || !is_name(c.s, c.n))
		return false;
	strcpy(out->ns, "default");
	return set_id(out, c.s, c.n);
}

/* LXC 4+: lxc.payload.<name>; older LXC: /lxc/<name> or /lxc.payload/<name> at the top */
static bool m_lxc(struct comp c, const struct walk *w, struct uw_container *out)
{
	if (comp_starts(c, "lxc.payload.") && is_name(c.s + 12, c.n - 12))
		return set_id(out, c.s + 12, c.n - 12);
	if (w->depth == 1 && (comp_eq(w->prev, "lxc") || comp_eq(w->prev, "lxc.payload")) &&
	    is_name(c.s, c.n))
		return set_id(out, c.s, c.n);
	return false;
}

/* systemd-nspawn: machine-<name>.scope, with systemd's \xNN escapes ("\x2d" is '-') */
static bool m_nspawn(struct comp c, const struct walk *w, struct uw_container *out)
{
	char name[UW_CID_MAX + 1];
	size_t i, o = 0;

	if (!comp_starts(c, "machine-") || !comp_ends(c, ".scope") || c.n <= 14)
		return false;
	for (i = 8; i < c.n - 6; i++) {
		char ch = c.s[i];

		if (o >= UW_CID_MAX)
			return false;
		if (ch == '\\' && i + 3 < c.n - 6 && c.s[i + 1] == 'x') {
			unsigned v = 0, k;

			for (k = 2; k < 4; k++) {
				char h = c.s[i + k];

				v <<= 4;
				if (h >= '0' && h <= '9')
					v |= (unsigned)(h - '0');
				else if (h >= 'a' && h <= 'f')
					v |= (unsigned)(h - 'a' + 10);
				else
					return false;
			}
			ch = (char)v;
			i += 3;
		}
		name[o++] = ch;
	}
	return is_name(name, o) && set_id(out, name, o);
}

static const struct layout layouts[] = {
	{ "docker", "docker", NULL, "docker-", ".scope" },               /* systemd driver */
	{ "docker", "docker", m_docker_dir, NULL, NULL },                /* cgroupfs: /docker/<id> */
	{ "containerd", "cri", NULL, "cri-containerd-", ".scope" },
	{ "containerd", "cri", m_colon_containerd, NULL, NULL },         /* <slice>:cri-containerd:<id> */
	{ "crio", "cri", NULL, "crio-", ".scope" },                      /* not crio-conmon-<id>.scope */
	{ "crio", "cri", NULL, "crio-", "" },                            /* cgroupfs driver */
	{ "crio", "cri", m_colon_crio, NULL, NULL },
	{ "podman", "podman", NULL, "libpod-", ".scope" },               /* not libpod-conmon-<id>.scope */
	{ "podman", "podman", NULL, "libpod-", "" },                     /* cgroupfs: /libpod_parent/libpod-<id> */
	{ "containerd", "nerdctl", NULL, "nerdctl-", ".scope" },         /* nerdctl, systemd driver */
	/* the kubelet's cgroupfs pod directory names no engine: CRI-O names its groups crio-<id>
	 * under both drivers, so a bare ID there is containerd's (the CRI engines of today) */
	{ "containerd", "cri", m_pod_dir, NULL, NULL },
	{ "containerd", "containerd", m_containerd_ns, NULL, NULL },     /* ctr; nerdctl with cgroupfs */
	{ "lxc", "lxc", m_lxc, NULL, NULL },
	{ "systemd-nspawn", "systemd-nspawn", m_nspawn, NULL, NULL },
};

/* Tries every row on one component; fills out and returns 1 on the first match. */
static int match_any(struct comp c, const struct walk *w, struct uw_container *out)
{
	size_t k;

	for (k = 0; k < sizeof(layouts) / sizeof(layouts[0]); k++) {
		const struct layout *l = &layouts[k];
		bool hit = l->match ? l->match(c, w, out) : m_affix(l, c, out);

		if (hit) {
			out->runtime = l->runtime;
			out->iface = l->iface;
			return 1;
		}
	}
	return 0;
}

int uw_container_from_path(const char *path, size_t len, struct uw_container *out)
{
	struct walk w = { { "", 0 }, 0, false, "" };
	struct uw_container tmp;
	int found = 0;
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	len = strnlen(path, len);
	while (i < len) {
		struct comp c;
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

		memset(&tmp, 0, sizeof(tmp));
		if (match_any(c, &w, &tmp)) {
			if (!found) {
				*out = tmp;
				memcpy(out->pod_uid, w.pod, sizeof(w.pod));
				/* "<pod slice>:cri-containerd:<id>" carries its pod in the name */
				if (!out->pod_uid[0] && memchr(c.s, ':', c.n)) {
					struct comp head = { c.s, (size_t)((const char *)memchr(c.s, ':', c.n) - c.s) };

					pod_component(head, &w, out->pod_uid);
				}
				/* in a pod: the kubelet made it, through CRI, whatever the engine */
				if (out->pod_uid[0])
					out->iface = "cri";
				found = 1;
			} else {
				memcpy(out->nested.id, tmp.id, sizeof(tmp.id));
				out->nested.runtime = tmp.runtime;
			}
		}
		if (comp_eq(c, "kubepods") || comp_eq(c, "kubepods.slice") ||
		    (comp_starts(c, "kubelet-kubepods") && comp_ends(c, ".slice")))
			w.kubepods = true;
		if (!w.pod[0]) {
			char uid[UW_POD_UID_LEN + 1];

			if (pod_component(c, &w, uid))
				memcpy(w.pod, uid, sizeof(uid));
		}
		w.prev = c;
		w.depth++;
	}
	if (!found)
		memset(out, 0, sizeof(*out));
	return found;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int uw_container_same(const struct uw_container *a, const struct uw_container *b)
{
	return a && b && !strcmp(a->id, b->id) && same_str(a->runtime, b->runtime) &&
	       same_str(a->iface, b->iface) && !strcmp(a->pod_uid, b->pod_uid) && !strcmp(a->ns, b->ns);
}

/* Copies the string at *s (NUL-terminated, written by uw_container_pack) into dst of size n. */
static void unpack_str(const char **s, char *dst, size_t n)
{
	size_t len = strnlen(*s, n - 1);

	memcpy(dst, *s, len);
	dst[len] = 0;
	*s += strlen(*s) + 1;
}

/* The four strings uw_container_pack writes, in order, each cut at its field's size. */
static void pack_fields(const struct uw_container *c, const char *f[4], size_t len[4])
{
	const size_t max[4] = { sizeof(c->id) - 1, sizeof(c->pod_uid) - 1, sizeof(c->ns) - 1,
				sizeof(c->nested.id) - 1 };
	size_t i;

	f[0] = c->id;
	f[1] = c->pod_uid;
	f[2] = c->ns;
	f[3] = c->nested.id;
	for (i = 0; i < 4; i++)
		len[i] = strnlen(f[i], max[i]);
}

size_t uw_container_packed_len(const struct uw_container *c)
{
	const char *f[4];
	size_t len[4];

	pack_fields(c, f, len);
	return sizeof(struct uw_cpack) + len[0] + len[1] + len[2] + len[3] + 4;
}

void uw_container_pack_to(const struct uw_container *c, struct uw_cpack *p)
{
	const char *f[4];
	size_t len[4], i;
	char *d = p->s;

	pack_fields(c, f, len);
	p->runtime = c->runtime;
	p->nested_runtime = c->nested.runtime;
	p->iface = c->iface;
	for (i = 0; i < 4; d += len[i++] + 1) {
		memcpy(d, f[i], len[i]);
		d[len[i]] = 0;
	}
}

struct uw_cpack *uw_container_pack(const struct uw_container *c)
{
	struct uw_cpack *p = malloc(uw_container_packed_len(c));

	if (p)
		uw_container_pack_to(c, p);
	return p;
}

void uw_container_unpack(const struct uw_cpack *p, struct uw_container *c)
{
	const char *s = p->s;

	memset(c, 0, sizeof(*c));
	c->runtime = p->runtime;
	c->nested.runtime = p->nested_runtime;
	c->iface = p->iface;
	unpack_str(&s, c->id, sizeof(c->id));
	unpack_str(&s, c->pod_uid, sizeof(c->pod_uid));
	unpack_str(&s, c->ns, sizeof(c->ns));
	unpack_str(&s, c->nested.id, sizeof(c->nested.id));
}
