# shellcheck shell=bash
# Integration tests against a real OCI runtime: Debian's runc runs busybox-static bundles that
# are placed where Docker, containerd (Kubernetes CRI) and CRI-O keep theirs, below a test
# --host-root, with linux.cgroupsPath where those runtimes put their containers.

needs() { requires root btf cmd:runc file:/bin/busybox=busybox-static cmd:jq cmd:strace; }

HOSTROOT=$T/host
RUNC_ROOT=$T/runc-state

# bundle DIR CGROUPS_PATH USERNS(0|1) [ANNOTATIONS_JSON]: an OCI bundle over busybox, made by
# `runc spec` like every runtime's
bundle() {
	local dir=$1 cg=$2 userns=$3 ann=${4:-"{}"}
	chmod 755 "$T" # mapped root (host uid 100000) must reach the rootfs, as in /run
	mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/dev" "$dir/rootfs/sys" || return 1
	cp /bin/busybox "$dir/rootfs/bin/busybox"
	local c
	for c in sh sleep true cat; do ln -sf busybox "$dir/rootfs/bin/$c"; done
	(cd "$dir" && runc spec) || return 1
	jq --arg cg "$cg" --argjson userns "$userns" --argjson ann "$ann" '
		.process.terminal = false | .process.args = ["sleep", "30"] |
		.linux.cgroupsPath = $cg | .annotations = $ann |
		if $userns == 1 then
			.linux.namespaces += [{"type": "user"}] |
			.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}] |
			.linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		else . end' "$dir/config.json" > "$dir/config.json.new" && mv "$dir/config.json.new" "$dir/config.json"
}

# runc_start ID DIR: runs the bundle detached; sets CPID to the container's init
runc_start() {
	local id=$1 dir=$2
	# the parent cgroups runc creates are removed afterwards unless they existed before
	local cg parent h
	cg=$(jq -r .linux.cgroupsPath "$dir/config.json")
	parent=$(dirname "$cg")
	for h in "${CGALL[@]}"; do
		[ ! -d "$h$parent" ] && CLEANUP_CMDS+=("rmdir -p --ignore-fail-on-non-empty '$h$parent'")
	done
	CLEANUP_CMDS+=("runc --root '$RUNC_ROOT' delete -f '$id'")
	runc --root "$RUNC_ROOT" run -d --bundle "$dir" "$id" > "$T/runc.out" 2>&1 < /dev/null ||
		{ fail "runc run: $(cat "$T/runc.out")"; return 1; }
	CPID=$(runc --root "$RUNC_ROOT" state "$id" | jq .pid)
	[ "$CPID" -gt 0 ] || { fail "no pid for $id"; return 1; }
}

# Docker's layout: bundle in Docker's containerd task dir, Docker's own record beside it
docker_like() { # ID USERNS
	local id=$1 userns=$2 dir
	dir=$HOSTROOT/run/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/$id
	bundle "$dir" "/docker/$id" "$userns" || return 1
	mkdir -p "$HOSTROOT/var/lib/docker/containers/$id"
	jq -n --arg id "$id" '{ID: $id, Name: "/uw-test-web", Config: {Image: "busybox:uwtest"}}' \
		> "$HOSTROOT/var/lib/docker/containers/$id/config.v2.json"
	jq -n --arg m "$([ "$userns" = 1 ] && echo "" || echo host)" '{UsernsMode: $m, NetworkMode: "none"}' \
		> "$HOSTROOT/var/lib/docker/containers/$id/hostconfig.json"
	runc_start "$id" "$dir"
}

test_runc_docker_host_userns() {
	local id line
	id=$(rand_id)
	uw_start --host-root "$HOSTROOT" || return 1
	docker_like "$id" 0 || return 1
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$id" \
		.container.runtime docker \
		.container.name uw-test-web \
		.container.image busybox:uwtest \
		.container.userns_mode host \
		.container.userns_requested false \
		.container.userns_mismatch null \
		.container.metadata_error null \
		.container.metadata_source "$HOSTROOT/run/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/$id/config.json" \
		.process.exe /bin/sleep \
		.cgroup.path "/docker/$id" || return 1
	uw_stop
	schema_valid
}

# The runtime's files (what a container's creator writes) are parsed only inside the sandbox:
# in --once, whose audit is the snapshot, the first open of the container's bundle or Docker
# record comes after the seccomp filter is loaded; the record still names the container.
test_metadata_read_in_sandbox() {
	local id first_filter first_meta
	id=$(rand_id)
	docker_like "$id" 0 || return 1
	strace -f -qq -e trace=seccomp,prctl,openat,open -o "$T/strace.log" \
		"$UW_BIN" --once -o json --host-root "$HOSTROOT" > "$T/once.json" 2> "$T/once.err"
	[ $? -le 1 ] || { fail "--once: $(cat "$T/once.err")"; return 1; }
	first_filter=$(grep -nE 'SECCOMP_SET_MODE_FILTER|PR_SET_SECCOMP' "$T/strace.log" | head -n 1 | cut -d: -f1)
	first_meta=$(grep -nE "open(at)?\(.*$id/(config\.json|config\.v2\.json|hostconfig\.json)" "$T/strace.log" | head -n 1 | cut -d: -f1)
	[ -n "$first_filter" ] || { fail "no seccomp filter loaded: $(grep -c . "$T/strace.log") lines traced"; return 1; }
	[ -n "$first_meta" ] || { fail "the container's files were never opened"; return 1; }
	[ "$first_filter" -lt "$first_meta" ] ||
		{ fail "the container's files were opened (line $first_meta) before the filter (line $first_filter)"; return 1; }
	assert_eq uw-test-web "$(jq -r "select(.container.id == \"$id\") | .container.name" "$T/once.json" | head -n 1)" "the container's name, read in the sandbox"
}

# The same container with a user namespace and uid/gid mappings: no alert
test_runc_docker_own_userns_quiet() {
	local id c1
	id=$(rand_id)
	uw_start --host-root "$HOSTROOT" || return 1
	docker_like "$id" 1 || return 1
	c1=$CPID
	[ "$(readlink "/proc/$c1/ns/user")" != "$(readlink /proc/self/ns/user)" ] || { fail "runc made no user namespace"; return 1; }
	grep -q 100000 "/proc/$c1/uid_map" || { fail "uid_map: $(cat /proc/$c1/uid_map)"; return 1; }
	# a sentinel in the host user namespace: once it is reported, the first one would have been
	docker_like "$(rand_id)" 0 || return 1
	wait_json ".process.pid == $CPID and .source == \"exec\"" >/dev/null || return 1
	assert_eq 0 "$(count_json ".container.id == \"$id\" or .process.pid == $c1")" "alerts for the userns container"
}

# containerd under Kubernetes: CRI annotations give the pod and container names and the image
test_runc_kubernetes_containerd() {
	local id uid path ann line dir
	id=$(rand_id)
	uid=$(rand_uid)
	path="/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid//-/_}.slice/cri-containerd-$id.scope"
	ann=$(jq -nc --arg uid "$uid" '{
		"io.kubernetes.cri.container-type": "container",
		"io.kubernetes.cri.container-name": "app",
		"io.kubernetes.cri.image-name": "registry.local/shop/app:1.0",
		"io.kubernetes.cri.sandbox-name": "app-6f7d8-abcde",
		"io.kubernetes.cri.sandbox-namespace": "shop",
		"io.kubernetes.cri.sandbox-uid": $uid }')
	dir=$HOSTROOT/run/containerd/io.containerd.runtime.v2.task/k8s.io/$id
	uw_start --host-root "$HOSTROOT" || return 1
	bundle "$dir" "$path" 0 "$ann" || return 1
	runc_start "$id" "$dir" || return 1
	line=$(wait_json ".source == \"exec\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$id" \
		.container.runtime containerd \
		.container.name app \
		.container.image registry.local/shop/app:1.0 \
		.container.pod.name app-6f7d8-abcde \
		.container.pod.namespace shop \
		.container.pod.uid "$uid" \
		.container.pod_uid "$uid" \
		.container.userns_requested false || return 1
	uw_stop
	schema_valid
}

# CRI-O, cgroupfs driver: /kubepods/<qos>/pod<uid>/crio-<id>, bundle in containers/storage
test_runc_crio_cgroupfs() {
	local id uid line dir ann
	id=$(rand_id)
	uid=$(rand_uid)
	ann=$(jq -nc --arg uid "$uid" '{"io.kubernetes.pod.name": "db-0", "io.kubernetes.pod.namespace": "data",
		"io.kubernetes.pod.uid": $uid, "io.kubernetes.container.name": "postgres",
		"io.kubernetes.cri-o.ImageName": "registry.example/example/postgres:16"}')
	dir=$HOSTROOT/run/containers/storage/overlay-containers/$id/userdata
	uw_start --host-root "$HOSTROOT" || return 1
	bundle "$dir" "/kubepods/burstable/pod$uid/crio-$id" 0 "$ann" || return 1
	runc_start "$id" "$dir" || return 1
	line=$(wait_json ".source == \"exec\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$id" \
		.container.runtime crio \
		.container.interface cri \
		.container.name postgres \
		.container.pod.name db-0 \
		.container.pod_uid "$uid"
}

# Metadata missing: the alert still comes, without those fields, with the reason
test_runc_metadata_missing() {
	local id line dir
	id=$(rand_id)
	dir=$T/elsewhere/$id   # not where Docker keeps bundles, and no Docker record
	uw_start --host-root "$HOSTROOT" || return 1
	bundle "$dir" "/docker/$id" 0 || return 1
	runc_start "$id" "$dir" || return 1
	line=$(wait_json ".source == \"exec\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$id" \
		.container.name null \
		.container.userns_requested null || return 1
	jq -r .container.metadata_error <<<"$line" | grep -q "no OCI bundle config.json found for this docker container" ||
		{ fail "metadata_error: $(jq -r .container.metadata_error <<<"$line")"; return 1; }
	jq -r .container.metadata_error <<<"$line" | grep -q "Docker's record of the container" ||
		{ fail "metadata_error: $(jq -r .container.metadata_error <<<"$line")"; return 1; }
}

# The runtime's config says "user namespace", the kernel says host: flagged as a mismatch.
# The bundle's config.json is rewritten after the start (as a tampered or stale record would be);
# the container is then found by the snapshot.
test_runc_userns_mismatch_flagged() {
	local id line dir
	id=$(rand_id)
	dir=$HOSTROOT/run/containers/storage/overlay-containers/$id/userdata
	bundle "$dir" "/machine.slice/libpod-$id.scope" 0 || return 1
	runc_start "$id" "$dir" || return 1
	jq '.linux.namespaces += [{"type": "user"}]' "$dir/config.json" > "$dir/c" && mv "$dir/c" "$dir/config.json"
	uw_start --host-root "$HOSTROOT" || return 1
	line=$(wait_json ".source == \"snapshot\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.runtime podman \
		.container.interface podman \
		.container.userns_requested true \
		.container.userns_mismatch true
}

# A malformed config.json: alert without the fields, with the parser's reason
test_runc_metadata_malformed() {
	local id line dir
	id=$(rand_id)
	dir=$HOSTROOT/run/containerd/io.containerd.runtime.v2.task/k8s.io/$id
	bundle "$dir" "/kubepods/besteffort/pod$(rand_uid)/$id" 0 || return 1
	runc_start "$id" "$dir" || return 1
	printf '{"linux": {"namespaces": [' > "$dir/config.json"
	uw_start --host-root "$HOSTROOT" || return 1
	line=$(wait_json ".source == \"snapshot\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.runtime containerd \
		.container.interface cri \
		.container.userns_requested null || return 1
	jq -r .container.metadata_error <<<"$line" | grep -q "config.json: not valid JSON" ||
		{ fail "metadata_error: $(jq -r .container.metadata_error <<<"$line")"; return 1; }
}
