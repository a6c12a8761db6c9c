// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Remediation and ATT&CK techniques per finding (remedy.h): tables of static text. */
#include "remedy.h"

#include <stdio.h>
#include <string.h>

#include "container.h"
#include "metadata.h"

static const char escape_first[] =
	"Treat the node as compromised: a process of this container took hold of the host's "
	"namespaces or of a process outside the container. Isolate the node (cordon and drain it, "
	"or take it off the network), keep this record and the process for forensics, rebuild the "
	"node and rotate the secrets it held. Then, so that the container's root is not the host's "
	"root again:";

static const struct uw_remedy docker_remap = {
	"docker-userns-remap", "enable userns-remap in daemon.json",
	"Enable user namespace remapping on the Docker daemon: set \"userns-remap\": \"default\" in "
	"/etc/docker/daemon.json (Docker creates the dockremap user and its ranges in /etc/subuid and "
	"/etc/subgid) and restart dockerd; containers then start in a user namespace of their own. "
	"Images and volumes are kept apart per remapping (pull or rebuild them). A container that "
	"must keep the host's user namespace then has to ask for it (--userns=host), which a policy "
	"rule can allow by name.",
	"https://docs.docker.com/engine/security/userns-remap/",
};

static const struct uw_remedy docker_userns_host = {
	"docker-drop-userns-host", "drop --userns=host",
	"The container was started with --userns=host (HostConfig.UsernsMode \"host\"), which takes "
	"it out of the daemon's user namespace remapping: start it without --userns=host (in Compose, "
	"remove userns_mode: host). If the daemon does not remap, enable userns-remap in "
	"/etc/docker/daemon.json too.",
	"https://docs.docker.com/engine/security/userns-remap/",
};

static const struct uw_remedy docker_privileged = {
	"docker-drop-privileged", "drop --privileged (and --userns=host)",
	"The container is privileged (--privileged): every capability and every device of the host, "
	"and on a remapping daemon Docker runs a privileged container only with --userns=host, so its "
	"root is the host's root. Start it without --privileged and without --userns=host, adding "
	"only the capabilities (--cap-add) and devices (--device) it needs, and enable userns-remap in "
	"/etc/docker/daemon.json if the daemon does not remap.",
	"https://docs.docker.com/engine/security/userns-remap/",
};

static const struct uw_remedy kubernetes = {
	"kubernetes-host-users", "set hostUsers: false in the pod spec",
	"Set spec.hostUsers: false in the pod's spec so that its containers run in a user namespace "
	"of their own (Kubernetes user namespaces: the UserNamespacesSupport feature, beta since 1.30 "
	"and on by default since 1.33). The node needs Linux 6.3 or later, a runtime that supports "
	"it (containerd 2.0 or later, or CRI-O 1.25 or later, with runc 1.2 or crun 1.9 or later) "
	"and file systems with idmapped mounts for the pod's volumes. A pod with hostNetwork, hostPID "
	"or hostIPC cannot use it.",
	"https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/",
};

static const struct uw_remedy podman = {
	"podman-userns-auto", "run with --userns=auto",
	"Run the container in a user namespace of its own: podman run --userns=auto (or userns = "
	"\"auto\" in the [containers] section of containers.conf; /etc/subuid and /etc/subgid need a "
	"range for the containers user), or run it with rootless Podman, whose containers never share "
	"the host's user namespace.",
	"https://docs.podman.io/en/latest/markdown/podman-run.1.html",
};

static const struct uw_remedy containerd = {
	"containerd-userns", "give it a user namespace (uid/gid maps)",
	"Give the container a user namespace in its OCI spec: ctr run --uidmap 0:100000:65536 --gidmap "
	"0:100000:65536 (its root file system remapped or mounted idmapped), or nerdctl run "
	"--userns-remap=USER with nerdctl 2.0 or later. Under Kubernetes, set hostUsers: false in the "
	"pod spec.",
	"https://github.com/containerd/nerdctl/blob/main/docs/command-reference.md",
};

static const struct uw_remedy lxc = {
	"lxc-unprivileged", "make it unprivileged (lxc.idmap)",
	"Make it an unprivileged container: map its IDs with lxc.idmap = u 0 100000 65536 and "
	"lxc.idmap = g 0 100000 65536 in its config (root needs those ranges in /etc/subuid and "
	"/etc/subgid), shift the ownership of its root file system into that range, and restart it.",
	"https://linuxcontainers.org/lxc/security/",
};

static const struct uw_remedy nspawn = {
	"nspawn-private-users", "run with --private-users=pick",
	"Start the machine in a user namespace of its own: systemd-nspawn -U (--private-users=pick), "
	"or PrivateUsers=pick in the [Exec] section of its .nspawn file.",
	"https://www.freedesktop.org/software/systemd/man/latest/systemd-nspawn.html",
};

static const struct uw_remedy generic = {
	"userns-own", "give it a user namespace of its own",
	"Run it in a user namespace of its own with its engine's user namespace option (in an OCI "
	"runtime spec: a \"user\" entry in linux.namespaces, with uidMappings and gidMappings).",
	"https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md",
};

static int is(const char *rt, const char *name)
{
	return rt && !strcmp(rt, name);
}

const struct uw_remedy *uw_remedy_for(enum uw_alert_kind k, const struct uw_container *c,
				      const struct uw_meta *m)
{
	const char *rt = c ? c->runtime : NULL;

	if (k != UW_AK_HOST_USERNS && k != UW_AK_ESCAPE)
		return NULL;
	/* a pod: the kubelet made it, whatever the engine below (its cgroup says so) */
	if ((c && c->pod_uid[0]) || is(rt, "crio"))
		return &kubernetes;
	if (is(rt, "docker")) {
		if (m && m->privileged == 1)
			return &docker_privileged;
		if (m && m->have_userns_mode && !strcmp(m->userns_mode, "host"))
			return &docker_userns_host;
		return &docker_remap;
	}
	if (is(rt, "podman"))
		return &podman;
	if (is(rt, "containerd"))
		return &containerd;
	if (is(rt, "lxc"))
		return &lxc;
	if (is(rt, "systemd-nspawn"))
		return &nspawn;
	return &generic;
}

const char *uw_remedy_text(enum uw_alert_kind k, const struct uw_remedy *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", k == UW_AK_ESCAPE ? escape_first : "", k == UW_AK_ESCAPE ? " " : "",
		 r->desc);
	return buf;
}

#define ATTACK_URL "https://attack.mitre.org/techniques/"

#define ESCAPE_TO_HOST { "T1611", "Escape to Host", "TA0004", "Privilege Escalation", ATTACK_URL "T1611/" }
#define PTRACE_INJECTION                                                                   \
	{ "T1055.008", "Process Injection: Ptrace System Calls", "TA0004", "Privilege Escalation", \
	  ATTACK_URL "T1055/008/" }
#define PROCESS_INJECTION                                                                  \
	{ "T1055", "Process Injection", "TA0004", "Privilege Escalation", ATTACK_URL "T1055/" }

/* host_userns and an escape into the host's namespaces: Escape to Host (the container's root
 * is the host's); an escape by taking hold of a host process: that and how it took hold */
static const struct uw_attack host_userns_set[] = { ESCAPE_TO_HOST };
static const struct uw_attack escape_ptrace_set[] = { ESCAPE_TO_HOST, PTRACE_INJECTION };
static const struct uw_attack escape_inject_set[] = { ESCAPE_TO_HOST, PROCESS_INJECTION };

const struct uw_attack *uw_attack_for(enum uw_alert_kind k, const char *escape_via, size_t *n)
{
	*n = 0;
	if (k == UW_AK_HOST_USERNS) {
		*n = 1;
		return host_userns_set;
	}
	if (k != UW_AK_ESCAPE)
		return NULL;
	*n = 2;
	/* ptrace_access (fexit) is attach-level access by any call, process_vm_writev among them */
	if (escape_via && (!strcmp(escape_via, "ptrace_attach") || !strcmp(escape_via, "ptrace_seize")))
		return escape_ptrace_set;
	if (escape_via)
		return escape_inject_set;
	*n = 1;
	return host_userns_set;
}
