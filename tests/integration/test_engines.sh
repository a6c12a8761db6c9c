# shellcheck shell=bash
# Integration tests against real container engines from Debian's apt, each keeping its state
# below a test host root ($HOSTROOT, given to userns-watch as --host-root) so that nothing of
# the machine's own is used or touched:
#   Podman 4 (rootful, runc, cgroupfs driver), with --root/--runroot/--tmpdir of its own;
#   containerd through ctr, with a daemon of its own (config, root, state, socket);
#   LXC, with an lxcpath of its own.
# For each engine: a container in the host user namespace is reported with its runtime, ID and
# what the engine's files name it; a container with a user namespace of its own gives no
# host_userns alert at all (the runtime's setup is not the container); a program run into the
# host-userns container (exec, attach) is reported. Images come from busybox-static (no
# registry). Containers and images are removed with the engine's own commands, daemons are
# stopped by their PID, cgroup parents an engine created are removed when they are new.

needs() { requires root btf file:/bin/busybox=busybox-static; }

HOSTROOT=$T/host
RUNC=$(readlink -f "$(command -v runc 2>/dev/null || echo /usr/sbin/runc)")

# needs_cmd CMD PACKAGE: returns 77 (skip) when CMD is missing
needs_cmd() {
	command -v "$1" >/dev/null && return 0
	SKIP_REASON="no $1 (apt-get install $2)"
	return 77
}

# A host root for userns-watch: the runtime binary it names runc's private-mount copy by
mk_hostroot() {
	chmod 755 "$T"
	mkdir -p "$HOSTROOT$(dirname "$RUNC")"
	ln -sf "$RUNC" "$HOSTROOT$RUNC"
}

# mk_rootfs DIR: busybox with sh, sleep, true; /opt/true is a program of its own file
mk_rootfs() {
	local i
	mkdir -p "$1/bin" "$1/opt" "$1/proc" "$1/dev" "$1/sys" "$1/tmp"
	cp /bin/busybox "$1/bin/busybox"
	for i in sh sleep true; do ln -sf busybox "$1/bin/$i"; done
	cp /bin/busybox "$1/opt/true"
}

# cgroup_parent_cleanup NAME: removes the top-level cgroup NAME (and the groups the engine left
# below it, empty) at cleanup if it is new
cgroup_parent_cleanup() {
	local h
	for h in "${CGALL[@]}"; do
		[ ! -d "$h/$1" ] && CLEANUP_CMDS+=("find '$h/$1' -depth -type d -exec rmdir {} +")
	done
}

HOST_USERNS=$(readlink /proc/self/ns/user | tr -dc 0-9)
userns_of() { readlink "/proc/$1/ns/user" | tr -dc 0-9; }

# host_userns_quiet ID: no host_userns or escape alert for container ID (a sentinel's alert
# says everything before it was read)
host_userns_quiet() {
	sentinel || return 1
	assert_eq 0 "$(count_json ".container.id == \"$1\" and (.event == \"host_userns\" or .event == \"escape\")")" \
		"host_userns and escape alerts of container $1"
}

# ---- Podman ---------------------------------------------------------------------------------

PM=(podman --root "$HOSTROOT/var/lib/containers/storage" --runroot "$HOSTROOT/run/containers/storage"
    --tmpdir "$HOSTROOT/run/libpod" --runtime "$RUNC" --cgroup-manager cgroupfs --events-backend file)
PM_RUN=(run -d --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

podman_start() {
	needs_cmd podman podman || return 77
	mk_hostroot
	cgroup_parent_cleanup libpod_parent
	CLEANUP_CMDS+=("umount '$HOSTROOT/var/lib/containers/storage/overlay'")
	CLEANUP_CMDS+=("${PM[*]} rm -f -t 0 -a; ${PM[*]} rmi -f -a")
	mk_rootfs "$T/img"
	tar -C "$T/img" -cf "$T/img.tar" . && "${PM[@]}" import "$T/img.tar" localhost/uwtest:1 >/dev/null 2>"$T/podman.err" ||
		{ fail "podman import: $(tail -3 "$T/podman.err")"; return 1; }
}

test_podman_host_userns_reported() {
	local cid pid line name
	podman_start || return
	uw_start --host-root "$HOSTROOT" || return 1
	name=uw-pod-$RANDOM
	cid=$("${PM[@]}" "${PM_RUN[@]}" --name "$name" localhost/uwtest:1 /bin/sleep 60 2>"$T/podman.err") ||
		{ fail "podman run: $(tail -3 "$T/podman.err")"; return 1; }
	pid=$("${PM[@]}" inspect -f '{{.State.Pid}}' "$cid")
	assert_eq "$HOST_USERNS" "$(userns_of "$pid")" "the container's user namespace (the host's)" || return 1
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.pid == $pid") || return 1
	# name and image: from containers.json
	expect "$line" \
		.container.id "$cid" \
		.container.runtime podman \
		.container.name "$name" \
		.container.image localhost/uwtest:1 \
		.container.userns_requested false \
		.container.metadata_error null \
		.process.exe /bin/sleep &&
	# root with Podman's default capabilities, without CAP_SYS_ADMIN: high
	expect "$line" \
		.severity high \
		'.process.cap_effective | index("cap_sys_admin") != null' false \
		'.process.cap_effective | index("cap_chown") != null' true || return 1
	# podman exec: the program run into the container
	"${PM[@]}" exec "$cid" /opt/true || { fail "podman exec"; return 1; }
	line=$(wait_json ".container.id == \"$cid\" and .source == \"exec\" and .process.exe == \"/opt/true\"") || return 1
	assert_eq "$name" "$(jq -r .container.name <<<"$line")" "podman exec: container.name" || return 1
	# runc's own processes in the container's cgroup (creating it, entering it for the exec)
	# are its setup: no alert names runc
	sentinel || return 1
	assert_eq 0 "$(count_json ".container.id == \"$cid\" and (.process.exe == \"$RUNC\" or .source == \"setns\" or .source == \"fork\")")" \
		"alerts about runc's setup" || return 1
	uw_stop
	schema_valid
}

test_podman_own_userns_quiet() {
	local cid pid stats
	podman_start || return
	uw_start --host-root "$HOSTROOT" || return 1
	cid=$("${PM[@]}" "${PM_RUN[@]}" --uidmap 0:100000:65536 --gidmap 0:100000:65536 \
		--name "uw-podu-$RANDOM" localhost/uwtest:1 /bin/sleep 60 2>"$T/podman.err") ||
		{ fail "podman run --uidmap: $(tail -3 "$T/podman.err")"; return 1; }
	pid=$("${PM[@]}" inspect -f '{{.State.Pid}}' "$cid")
	[ "$(userns_of "$pid")" != "$HOST_USERNS" ] || { fail "podman --uidmap: no user namespace"; return 1; }
	"${PM[@]}" exec "$cid" /opt/true || { fail "podman exec"; return 1; }
	host_userns_quiet "$cid" || return 1
	stats=$(stats_now)
	# runc's setup (its processes before the container's first program) was told apart in the
	# kernel and never sent
	[ "$(jq .kernel.setup <<<"$stats")" -ge 1 ] || { fail "kernel.setup: runc's setup records were not told apart: $stats"; return 1; }
}

# The DaemonSet's exact capabilities (no CAP_SYS_ADMIN: Podman knows CAP_BPF and CAP_PERFMON by
# name, as containerd and CRI-O do), with the rest of its pod settings: the image, built by
# Podman from the same recipe, sets up, is ready, reports another container and keeps what
# tools/dist/kubernetes/base/userns-watch.yaml says it keeps.
test_podman_image_with_the_daemonsets_capabilities() {
	local uw uwid uwpid web webid webpid line want
	podman_start || return
	make -s image DOCKER="${PM[*]}" > "$T/make-image.log" 2>&1 ||
		{ fail "make image with podman: $(tail -5 "$T/make-image.log")"; return 1; }
	image_run_args || return 1
	assert_eq "" "$(printf '%s\n' "${IMAGE_ARGS[@]}" | grep -x -e '--cap-add=SYS_ADMIN' -e '--privileged')" "no CAP_SYS_ADMIN, not privileged" || return 1
	uw=uw-watch-$RANDOM
	uwid=$("${PM[@]}" run -d --name "$uw" --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "${IMAGE_ARGS[@]}" "$IMAGE_REF" "${IMAGE_CMD[@]}" 2>"$T/podman.err") ||
		{ fail "podman run of the image with the DaemonSet's settings: $(tail -3 "$T/podman.err")"; return 1; }
	"${PM[@]}" logs -f "$uw" > "$T/out.json" 2> "$T/err" &
	STARTED_PIDS+=($!)
	uwpid=$("${PM[@]}" inspect -f '{{.State.Pid}}' "$uw")
	wait_ready "$uwpid" || return 1
	web=uw-web-$RANDOM
	webid=$("${PM[@]}" "${PM_RUN[@]}" --name "$web" localhost/uwtest:1 /bin/sleep 60 2>"$T/podman.err") ||
		{ fail "podman run: $(tail -3 "$T/podman.err")"; return 1; }
	webpid=$("${PM[@]}" inspect -f '{{.State.Pid}}' "$web")
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.pid == $webpid" 20) || return 1
	assert_eq "$webid $web localhost/uwtest:1 podman uw-node-$$" \
		"$(jq -r '"\(.container.id) \(.container.name) \(.container.image) \(.container.runtime) \(.host)"' <<<"$line")" \
		"container.id, name, image, runtime, host" || return 1
	"${PM[@]}" exec "$webid" /opt/true || { fail "podman exec"; return 1; }
	wait_json ".container.id == \"$webid\" and .event == \"host_userns\" and .source == \"exec\" and .process.exe == \"/opt/true\"" 20 >/dev/null || return 1
	"${PM[@]}" stop -t 10 "$uw" >/dev/null 2>&1
	wait_json '.event == "stats" and .reason == "exit"' 10 >/dev/null || return 1
	line=$(json_lines '.event == "self"') &&
	assert_eq "$uwid $uwpid" "$(jq -r '"\(.container.id) \(.process.pid)"' <<<"$line")" "self: container.id, process.pid" &&
	assert_eq 0 "$(count_json "(.container.id? == \"$uwid\") and .event != \"self\"")" "records about its own container besides self" || return 1
	# what it held at start: the manifest's capabilities (less what the test cannot grant)
	want=$(/usr/bin/python3 tests/integration/manifest.py "$MANIFEST" caps | tr 'A-Z' 'a-z' | sed 's/^/cap_/' | sort | tr '\n' ' ')
	[ $(( 0x$(awk '/^CapBnd:/ {print $2}' /proc/self/status) >> 24 & 1 )) -eq 1 ] || want=${want/cap_sys_resource /}
	assert_eq "$want" "$(jq -r '.process.cap_effective[]' <<<"$line" | sort | tr '\n' ' ')" "self: the capabilities it started with" &&
	line=$(json_lines '.event == "stats" and .reason == "exit"') &&
	# tracepoints: the host's tracefs, no mount of its own
	expect -m stats "$line" \
		.transition_hooks tracepoint \
		.hooks "$(kernel_task_hooks)" \
		.sandbox.capabilities "cap_dac_read_search,cap_sys_ptrace,cap_bpf" \
		'"\(.sandbox.bounding_set_cut) \(.sandbox.no_new_privs) \(.sandbox.seccomp)"' "true true true" &&
	assert_eq "" "$(grep -i "warning" "$T/err")" "warnings on stderr" &&
	all_json_valid && schema_valid
}

# ---- containerd (ctr) -----------------------------------------------------------------------

CTR=(ctr -a "$T/ctd.sock")

# mk_oci_archive ROOTFS TAR NAME: an OCI image archive of ROOTFS (one uncompressed layer) that
# ctr images import names NAME
mk_oci_archive() {
	local d=$T/oci l c m
	mkdir -p "$d/blobs/sha256"
	tar -C "$1" -cf "$d/layer" . || return 1
	l=$(sha256sum "$d/layer" | cut -d' ' -f1)
	mv "$d/layer" "$d/blobs/sha256/$l"
	printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["/bin/sleep","300"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
		"$(dpkg --print-architecture)" "$l" > "$d/config"
	c=$(sha256sum "$d/config" | cut -d' ' -f1)
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
		"$c" "$(stat -c %s "$d/config")" "$l" "$(stat -c %s "$d/blobs/sha256/$l")" > "$d/manifest"
	m=$(sha256sum "$d/manifest" | cut -d' ' -f1)
	mv "$d/config" "$d/blobs/sha256/$c"
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s"}}]}' \
		"$m" "$(stat -c %s "$d/manifest")" "$3" > "$d/index.json"
	mv "$d/manifest" "$d/blobs/sha256/$m"
	echo '{"imageLayoutVersion":"1.0.0"}' > "$d/oci-layout"
	tar -C "$d" -cf "$2" .
}

containerd_start() {
	local pid i
	needs_cmd containerd containerd || return 77
	needs_cmd ctr containerd || return 77
	mk_hostroot
	cgroup_parent_cleanup default
	cat > "$T/ctd.toml" <<-EOF
	version = 2
	root = "$HOSTROOT/var/lib/containerd"
	state = "$HOSTROOT/run/containerd"
	[grpc]
	  address = "$T/ctd.sock"
	[ttrpc]
	  address = "$T/ctd.sock.ttrpc"
	[debug]
	  address = ""
	[metrics]
	  address = ""
	EOF
	containerd --config "$T/ctd.toml" > "$T/containerd.log" 2>&1 &
	pid=$!
	CLEANUP_CMDS+=("kill $pid; for _ in \$(seq 1 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done")
	for i in $(seq 1 300); do
		"${CTR[@]}" version >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || { fail "containerd exited: $(tail -5 "$T/containerd.log")"; return 1; }
		sleep 0.1
	done
	"${CTR[@]}" version >/dev/null 2>&1 || { fail "containerd did not start: $(tail -5 "$T/containerd.log")"; return 1; }
	mk_rootfs "$T/img"
	mk_oci_archive "$T/img" "$T/img-oci.tar" localhost/uwtest:1 &&
		"${CTR[@]}" images import "$T/img-oci.tar" >/dev/null 2>"$T/ctr.err" ||
		{ fail "ctr images import: $(tail -3 "$T/ctr.err")"; return 1; }
	CLEANUP_CMDS+=("${CTR[*]} images rm localhost/uwtest:1")
}

# ctr_run NAME [ctr run options]: starts container NAME (the image's sleep 300); sets CTR_PID
ctr_run() {
	local name=$1
	shift
	CLEANUP_CMDS+=("${CTR[*]} task kill -s KILL $name; sleep 0.2; ${CTR[*]} task rm -f $name; ${CTR[*]} containers rm $name")
	"${CTR[@]}" run -d "$@" localhost/uwtest:1 "$name" >/dev/null 2>"$T/ctr.err" ||
		{ fail "ctr run $*: $(tail -3 "$T/ctr.err")"; return 1; }
	CTR_PID=$("${CTR[@]}" task ls | awk -v n="$name" '$1 == n {print $2}')
	[ -n "$CTR_PID" ] || { fail "ctr task ls: no task $name"; return 1; }
}

test_containerd_host_userns_reported() {
	local name line
	containerd_start || return
	uw_start --host-root "$HOSTROOT" || return 1
	name=uw-ctd-$RANDOM
	ctr_run "$name" || return 1
	assert_eq "$HOST_USERNS" "$(userns_of "$CTR_PID")" "the container's user namespace (the host's)" || return 1
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.pid == $CTR_PID") || return 1
	# ctr: the name is the ID; userns_requested: config.json was read
	expect "$line" \
		.container.id "$name" \
		.container.runtime containerd \
		.container.userns_requested false \
		.container.metadata_error null \
		.cgroup.path "/default/$name" \
		.process.exe /bin/sleep || return 1
	"${CTR[@]}" task exec --exec-id e1 "$name" /opt/true || { fail "ctr task exec"; return 1; }
	line=$(wait_json ".container.id == \"$name\" and .source == \"exec\" and .process.exe == \"/opt/true\"") || return 1
	expect -m "ctr task exec" "$line" .provenance.how placed || return 1
	# the runtime's own processes (runc creating the container, entering it for the exec) are
	# its setup: the alerts are about the programs the container runs
	sentinel || return 1
	assert_eq 0 "$(count_json ".container.id == \"$name\" and (.process.exe == \"$RUNC\" or .source == \"setns\" or .source == \"fork\")")" \
		"alerts about runc's setup (its forks and setns calls)" || return 1
	uw_stop
	schema_valid
}

test_containerd_own_userns_quiet() {
	local name
	containerd_start || return
	uw_start --host-root "$HOSTROOT" || return 1
	name=uw-ctdu-$RANDOM
	ctr_run "$name" --uidmap 0:100000:65536 --gidmap 0:100000:65536 || return 1
	[ "$(userns_of "$CTR_PID")" != "$HOST_USERNS" ] || { fail "ctr --uidmap: no user namespace"; return 1; }
	"${CTR[@]}" task exec --exec-id e1 "$name" /opt/true || { fail "ctr task exec"; return 1; }
	host_userns_quiet "$name"
}

# ---- LXC ------------------------------------------------------------------------------------

LXCPATH=$HOSTROOT/var/lib/lxc

# lxc_make NAME [config lines...]: a busybox container, no network, unconfined
lxc_make() {
	local name=$1 c
	shift
	needs_cmd lxc-create lxc || return 77
	mk_hostroot
	cgroup_parent_cleanup lxc.pivot
	mkdir -p "$LXCPATH"
	CLEANUP_CMDS+=("lxc-destroy -P '$LXCPATH' -n $name -f")
	lxc-create -P "$LXCPATH" -n "$name" -t busybox > "$T/lxc.log" 2>&1 ||
		{ fail "lxc-create: $(tail -3 "$T/lxc.log")"; return 1; }
	c=$LXCPATH/$name/config
	sed -i -e '/^lxc\.net\./d' -e '/^lxc\.apparmor\./d' "$c"
	printf '%s\n' "lxc.net.0.type = empty" "lxc.apparmor.profile = unconfined" "$@" >> "$c"
	mkdir -p "$LXCPATH/$name/rootfs/opt"
	cp /bin/busybox "$LXCPATH/$name/rootfs/opt/true"
}

# lxc_run NAME: starts it; sets LXC_PID (its init). Without newuidmap on PATH, LXC run by root
# writes an lxc.idmap itself (newuidmap would need /etc/subuid ranges for root).
lxc_run() {
	CLEANUP_CMDS+=("lxc-stop -P '$LXCPATH' -n $1 -k")
	env PATH=/usr/sbin:/sbin "$(command -v lxc-start)" -P "$LXCPATH" -n "$1" -d -l INFO -o "$T/lxc-start.log" ||
		{ fail "lxc-start: $(grep ERROR "$T/lxc-start.log" | head -3)"; return 1; }
	LXC_PID=$(lxc-info -P "$LXCPATH" -n "$1" -pH)
	[ -n "$LXC_PID" ] || { fail "lxc-info: no PID"; return 1; }
}

test_lxc_host_userns_reported() {
	local name=uw-lxc-$RANDOM line
	lxc_make "$name" || return
	uw_start --host-root "$HOSTROOT" || return 1
	lxc_run "$name" || return 1
	assert_eq "$HOST_USERNS" "$(userns_of "$LXC_PID")" "the container's user namespace (the host's)" || return 1
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.pid == $LXC_PID") || return 1
	# LXC: the name is the ID; userns_requested: its config was read
	expect "$line" \
		.container.id "$name" \
		.container.runtime lxc \
		.container.name "$name" \
		.container.userns_requested false \
		.container.metadata_error null \
		.cgroup.path "/lxc.payload.$name" \
		.process.exe /sbin/init || return 1
	lxc-attach -P "$LXCPATH" -n "$name" -- /opt/true || { fail "lxc-attach"; return 1; }
	line=$(wait_json ".container.id == \"$name\" and .source == \"exec\" and .process.exe == \"/opt/true\"") || return 1
	# lxc-attach entering (from a memfd) is the runtime's setup: only the program it runs
	sentinel || return 1
	assert_eq 0 "$(count_json ".container.id == \"$name\" and (.source == \"setns\" or .process.exe_kind == \"memfd\")")" \
		"alerts about lxc-attach entering" || return 1
	uw_stop
	schema_valid
}

test_lxc_own_userns_quiet() {
	local name=uw-lxcu-$RANDOM line
	lxc_make "$name" "lxc.idmap = u 0 100000 65536" "lxc.idmap = g 0 100000 65536" || return
	chown -R 100000:100000 "$LXCPATH/$name/rootfs"
	chmod 755 "$HOSTROOT" "$HOSTROOT/var" "$HOSTROOT/var/lib" "$LXCPATH" "$LXCPATH/$name"
	uw_start --host-root "$HOSTROOT" || return 1
	lxc_run "$name" || return 1
	[ "$(userns_of "$LXC_PID")" != "$HOST_USERNS" ] || { fail "lxc.idmap: no user namespace"; return 1; }
	lxc-attach -P "$LXCPATH" -n "$name" -- /opt/true || { fail "lxc-attach"; return 1; }
	# lxc-attach entering its namespaces (its user namespace too) is the runtime's setup: quiet,
	# and nothing at all about the container
	host_userns_quiet "$name" &&
	assert_eq 0 "$(count_json ".container.id == \"$name\"")" "records about container $name"
}
