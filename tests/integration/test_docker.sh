# shellcheck shell=bash
# Integration tests against a real Docker engine (Debian's package). The test starts its own
# dockerd with data-root and exec-root below a test --host-root and its own socket, so it
# neither needs nor touches a daemon that may already run; it imports a busybox image from a
# local tarball (no registry) and stops the daemon by its PID when done.

# Docker's default capabilities (moby's oci/caps defaults), in bit order
DOCKER_DEFAULT_CAPS=cap_chown,cap_dac_override,cap_fowner,cap_fsetid,cap_kill,cap_setgid,cap_setuid,cap_setpcap,cap_net_bind_service,cap_net_raw,cap_sys_chroot,cap_mknod,cap_audit_write,cap_setfcap

needs() { requires root btf cmd:dockerd=docker.io file:/bin/busybox=busybox-static; }

HOSTROOT=$T/host
DOCKER="/usr/bin/docker -H unix://$T/docker.sock"

# dockerd_start [DAEMON OPTIONS...]: a private daemon; its cgroups parent /docker is removed
# afterwards if new
dockerd_start() {
	local h i
	chmod 755 "$T"
	mkdir -p "$HOSTROOT/var/lib/docker" "$HOSTROOT/run/docker"
	for h in "${CGALL[@]}"; do
		[ ! -d "$h/docker" ] && CLEANUP_CMDS+=("rmdir '$h/docker'")
	done
	dockerd "$@" --iptables=false --ip-masq=false --bridge=none \
		--data-root "$HOSTROOT/var/lib/docker" --exec-root "$HOSTROOT/run/docker" \
		--pidfile "$T/dockerd.pid" -H "unix://$T/docker.sock" > "$T/dockerd.log" 2>&1 &
	local pid=$!
	CLEANUP_CMDS+=("kill $pid; for _ in \$(seq 1 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done")
	for i in $(seq 1 300); do
		$DOCKER info >/dev/null 2>&1 && break
		kill -0 "$pid" 2>/dev/null || { fail "dockerd exited: $(tail -5 "$T/dockerd.log")"; return 1; }
		sleep 0.1
	done
	$DOCKER info >/dev/null 2>&1 || { fail "dockerd did not start: $(tail -5 "$T/dockerd.log")"; return 1; }
	CLEANUP_CMDS+=("$DOCKER rm -f \$($DOCKER ps -aq)")
	mkdir -p "$T/img/bin"
	cp /bin/busybox "$T/img/bin/busybox"
	for i in sh sleep true; do ln -sf busybox "$T/img/bin/$i"; done
	# a program of its own file: programs are told apart by their file, and every applet above
	# is busybox (busybox picks the applet by name: this one is "true")
	mkdir -p "$T/img/opt" && cp /bin/busybox "$T/img/opt/true"
	tar -C "$T/img" -cf "$T/img.tar" . && $DOCKER import "$T/img.tar" uwtest:1 >/dev/null ||
		{ fail "docker import failed"; return 1; }
}

test_dockerd_container_reported_with_metadata() {
	local cid pid line name
	dockerd_start || return 1
	uw_start --host-root "$HOSTROOT" || return 1
	name=uw-web-$RANDOM
	cid=$($DOCKER run -d --network none --name "$name" uwtest:1 /bin/sleep 30) || { fail "docker run"; return 1; }
	pid=$($DOCKER inspect -f '{{.State.Pid}}' "$cid")
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.pid == $pid") || return 1
	# userns_mode: the daemon's default
	expect "$line" \
		.container.id "$cid" \
		.container.runtime docker \
		.container.name "$name" \
		.container.image uwtest:1 \
		.container.userns_mode "" \
		.container.userns_requested false \
		.container.metadata_error null \
		.process.exe /bin/sleep &&
	# root with Docker's default capabilities, without CAP_SYS_ADMIN: high
	expect "$line" \
		.severity high \
		'.process.cap_effective | join(",")' "$DOCKER_DEFAULT_CAPS" || return 1
	# docker exec: the new program is reported; runc entering the container is its setup
	# (a host process that has run no program there yet): no alert of its own
	$DOCKER exec "$cid" /opt/true || { fail "docker exec"; return 1; }
	line=$(wait_json ".container.id == \"$cid\" and .source == \"exec\" and .process.exe == \"/opt/true\"") || return 1
	assert_eq "$name" "$(jq -r .container.name <<<"$line")" "docker exec container.name" || return 1
	expect -m "docker exec" "$line" \
		.container.evidence cgroup \
		.provenance.how placed \
		'.provenance.moved | tojson' false \
		'.origin | tojson' null || return 1
	sentinel || return 1
	assert_eq 0 "$(count_json ".container.id == \"$cid\" and (.source == \"setns\" or .source == \"fork\")")" \
		"alerts about runc's setup (setns, fork)" || return 1
	uw_stop
	schema_valid
}

# A daemon with userns-remap (what CIS 5.31 asks for): docker run and docker exec of a remapped
# container are quiet, though runc's parent process enters the container's mount namespace from
# the host on every exec (the runtime's setup), and --once says PASS for it. The remap user is
# the test's own (ranges written here, removed at cleanup): the machine's accounts are not
# touched beyond it.
test_dockerd_userns_remap_quiet() {
	local cid pid stats user=uwremap$RANDOM short
	useradd -r -M -s /bin/false "$user" || { fail "useradd $user"; return 1; }
	CLEANUP_CMDS+=("userdel '$user'; sed -i '/^$user:/d' /etc/subuid /etc/subgid")
	echo "$user:400000:65536" >> /etc/subuid
	echo "$user:400000:65536" >> /etc/subgid
	dockerd_start "--userns-remap=$user:$user" || return 1
	uw_start --host-root "$HOSTROOT" || return 1
	cid=$($DOCKER run -d --network none uwtest:1 /bin/sleep 30) || { fail "docker run"; return 1; }
	pid=$($DOCKER inspect -f '{{.State.Pid}}' "$cid")
	[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ] || { fail "userns-remap: the container has the host's user namespace"; return 1; }
	$DOCKER exec "$cid" /opt/true || { fail "docker exec"; return 1; }
	$DOCKER exec "$cid" /bin/sh -c 'exec /opt/true' || { fail "docker exec sh"; return 1; }
	sentinel || return 1
	stats=$(stats_now)
	assert_eq 0 "$(count_json ".container.id == \"$cid\"")" "records about the remapped container" &&
	[ "$(jq .kernel.setup <<<"$stats")" -ge 2 ] || { fail "kernel.setup: runc's setup not told apart: $stats"; return 1; }
	uw_stop
	short=${cid:0:12}
	"$UW_BIN" --once --host-root "$HOSTROOT" > "$T/once.txt" 2> "$T/err"
	grep -Eq "^PASS +docker +$short " "$T/once.txt" || { fail "--once: no PASS row for $short: $(cat "$T/once.txt")"; return 1; }
}

test_dockerd_userns_host_and_once() {
	local cid pid line rc
	dockerd_start || return 1
	cid=$($DOCKER run -d --network none --userns=host --user 1000:1000 uwtest:1 /bin/sleep 30) || { fail "docker run"; return 1; }
	pid=$($DOCKER inspect -f '{{.State.Pid}}' "$cid")
	"$UW_BIN" --once -o json --host-root "$HOSTROOT" > "$T/once.json" 2> "$T/err"
	rc=$?
	assert_eq 1 "$rc" "--once exit code" || { cat "$T/err" >&2; return 1; }
	line=$(json_lines ".event == \"host_userns\" and .process.pid == $pid" "$T/once.json")
	expect "$line" \
		.container.id "$cid" \
		.container.userns_mode host \
		.process.uid 1000 \
		.severity medium \
		'.process.cap_effective | tojson' '[]' \
		.source snapshot || return 1
	# CAP_SYS_ADMIN (--cap-add, as --privileged has it too): critical
	cid=$($DOCKER run -d --network none --userns=host --cap-add SYS_ADMIN uwtest:1 /bin/sleep 30) || { fail "docker run --cap-add"; return 1; }
	pid=$($DOCKER inspect -f '{{.State.Pid}}' "$cid")
	"$UW_BIN" --once -o json --host-root "$HOSTROOT" > "$T/once.json" 2> "$T/err"
	line=$(json_lines ".event == \"host_userns\" and .process.pid == $pid" "$T/once.json")
	expect "$line" \
		.severity critical \
		'.process.cap_effective | join(",")' "${DOCKER_DEFAULT_CAPS/cap_sys_chroot,/cap_sys_chroot,cap_sys_admin,}"
}

# The end-to-end test: make image, run under the real dockerd with the DaemonSet's settings; the
# watch is ready once set up, reports another container's violation with its name and image,
# reports itself only as self, and puts the node's name in host.
test_image_as_daemonset_under_dockerd() {
	local uw uwid uwpid web webid webpid line i caps_as=()
	dockerd_start || return 1
	make -s image DOCKER="$DOCKER" > "$T/make-image.log" 2>&1 ||
		{ fail "make image: $(tail -5 "$T/make-image.log")"; return 1; }
	# the image: the one the manifest names, tagged with the version, one layer
	local version
	version=$(sed -n 's/^#define UW_VERSION "\(.*\)"/\1/p' user/version.h)
	IMAGE_REF=$(/usr/bin/python3 tests/integration/manifest.py "$MANIFEST" image)
	assert_eq "userns-watch:$version" "$IMAGE_REF" "the manifest's image" &&
	assert_eq "$version" "$($DOCKER image inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "$IMAGE_REF")" "image version label" &&
	assert_eq 1 "$($DOCKER image inspect -f '{{len .RootFS.Layers}}' "$IMAGE_REF")" "image layers" &&
	assert_eq '["/usr/sbin/userns-watch"]' "$($DOCKER image inspect -f '{{json .Config.Entrypoint}}' "$IMAGE_REF")" "image entrypoint" || return 1
	# Docker 20.10 does not know CAP_BPF and CAP_PERFMON by name: CAP_SYS_ADMIN stands in
	if ! $DOCKER run --rm --network none --cap-add BPF uwtest:1 /bin/true >/dev/null 2>&1; then
		caps_as=(--cap-as BPF=SYS_ADMIN --cap-as PERFMON=SYS_ADMIN)
	fi
	image_run_args "${caps_as[@]}" || return 1
	uw=uw-watch-$RANDOM
	uwid=$($DOCKER run -d --name "$uw" "${IMAGE_ARGS[@]}" "$IMAGE_REF" "${IMAGE_CMD[@]}") ||
		{ fail "docker run of the image with the DaemonSet's settings"; return 1; }
	$DOCKER logs -f "$uw" > "$T/out.json" 2> "$T/err" &
	STARTED_PIDS+=($!)
	uwpid=$($DOCKER inspect -f '{{.State.Pid}}' "$uw")
	wait_ready "$uwpid" || return 1
	for i in $(seq 1 100); do grep -q "userns-watch: watching" "$T/err" && break; sleep 0.1; done
	grep -q "userns-watch: watching" "$T/err" || { fail "ready, but the watch never said it watches"; return 1; }
	# the probe is accepted and closed every time (more than the backlog of one)
	for i in 1 2 3 4 5; do
		ready_probe "$uwpid" || { fail "readiness probe $i refused"; return 1; }
		sleep 0.2
	done
	web=uw-web-$RANDOM
	webid=$($DOCKER run -d --network none --name "$web" uwtest:1 /bin/sleep 30) || { fail "docker run"; return 1; }
	webpid=$($DOCKER inspect -f '{{.State.Pid}}' "$web")
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.pid == $webpid" 20) || return 1
	expect "$line" \
		.container.id "$webid" \
		.container.name "$web" \
		.container.image uwtest:1 \
		.host "uw-node-$$" \
		.severity high || return 1 # host: NODE_NAME from the Downward API
	# a setns into another container is seen (the tracepoints through the host's tracefs): runc
	# entering for docker exec is the runtime's setup, counted (below, kernel.setup), and the
	# program it runs there is the alert
	$DOCKER exec "$web" /opt/true || { fail "docker exec"; return 1; }
	wait_json ".container.id == \"$webid\" and .event == \"host_userns\" and .source == \"exec\" and .process.exe == \"/opt/true\"" 20 >/dev/null || return 1
	# the audit run in the agent's container as `kubectl exec` would, with the manifest's own
	# arguments and policy: the agent's container ALLOWED by the shipped rule, the planted
	# violation the one FAIL, no alert about the agent; the running watch allows the exec too
	local once_args=() skip=0 a
	for a in "${IMAGE_CMD[@]}"; do
		if [ "$skip" = 1 ]; then skip=0; continue; fi
		case $a in --ready-tcp | --metrics) skip=1; continue ;; esac
		once_args+=("$a")
	done
	$DOCKER exec "$uw" /usr/sbin/userns-watch --once "${once_args[@]}" > "$T/once.json" 2> "$T/once.err"
	assert_eq 1 "$?" "--once in the agent's container: exit status (the planted violation)" || { cat "$T/once.err" >&2; return 1; }
	expect -m "the agent's own row" "$(json_lines ".event == \"compliance\" and .container.id == \"$uwid\"" "$T/once.json")" \
		.verdict ALLOWED .policy.rule userns-watch-agent || return 1
	expect -m "the planted violation" "$(json_lines ".event == \"compliance\" and .container.id == \"$webid\"" "$T/once.json")" \
		.verdict FAIL .container.name "$web" .remediation.id docker-userns-remap || return 1
	expect -m "summary" "$(json_lines '.event == "audit_summary"' "$T/once.json")" .fail 1 .allowed 1 || return 1
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$uwid\"" "$T/once.json")" \
		"--once: alerts about the agent's container" || return 1
	# the liveness probe as the kubelet makes it, and a Prometheus scrape, in the pod's network
	local live_port live_path st
	read -r live_port live_path < <(/usr/bin/python3 tests/integration/manifest.py "$MANIFEST" live-probe)
	st=$(nsenter -t "$uwpid" -n /usr/bin/python3 tests/integration/prom_check.py fetch "http://127.0.0.1:$live_port$live_path" "$T/health") ||
		{ fail "the liveness probe had no answer"; return 1; }
	assert_eq 200 "${st%%$'\t'*}" "liveness probe status" || return 1
	# docker's high alerts: what the scrape counts lies between the records read before it and
	# all of them (the log stream lags)
	local q='.event == "host_userns" and .container.runtime == "docker" and .severity == "high"' before m
	before=$(count_json "$q")
	nsenter -t "$uwpid" -n /usr/bin/python3 tests/integration/prom_check.py fetch "http://127.0.0.1:$live_port/metrics" "$T/metrics" >/dev/null &&
	/usr/bin/python3 tests/integration/prom_check.py parse "$T/metrics" > "$T/metrics.json" ||
		{ fail "scraping /metrics in the pod's network"; return 1; }
	m=$(jq '.["userns_watch_alerts_total{event=\"host_userns\",runtime=\"docker\",severity=\"high\"}"] // 0 | floor' "$T/metrics.json")
	assert_eq 1 "$(jq '.userns_watch_healthy | floor' "$T/metrics.json")" "metrics: healthy" || return 1
	$DOCKER stop -t 10 "$uw" >/dev/null
	wait_json '.event == "stats" and .reason == "exit"' 10 >/dev/null || return 1
	[ "$before" -ge 1 ] && [ "$before" -le "$m" ] && [ "$m" -le "$(count_json "$q")" ] ||
		{ fail "metrics: $m docker high alerts; $before records before the scrape, $(count_json "$q") in all"; return 1; }
	# itself: one self record, its own process in its own container, nothing else about it
	assert_eq 1 "$(count_json '.event == "self"')" "self records" &&
	line=$(json_lines '.event == "self"') &&
	expect -m self "$line" \
		.container.id "$uwid" \
		.container.name "$uw" \
		.process.pid "$uwpid" \
		.host "uw-node-$$" \
		.severity info && # process.pid: the host's
	assert_eq 0 "$(count_json "(.container.id? == \"$uwid\") and .event != \"self\"")" "records about its own container besides self" &&
	# the policy from the ConfigMap, the sandbox after set-up, the hooks
	line=$(json_lines '.event == "policy"') &&
	assert_eq "loaded /etc/userns-watch/policy.yaml 2" "$(jq -r '"\(.action) \(.file) \(.rules)"' <<<"$line")" "policy record" &&
	line=$(last_stats) &&
	[ "$(jq '[.policy.rules[] | select(.name == "userns-watch-agent")][0].allowed' <<<"$line")" -ge 1 ] ||
		{ fail "the exec'd audit was not allowed by userns-watch-agent: $(jq -c .policy <<<"$line")"; return 1; }
	line=$(json_lines '.event == "stats" and .reason == "exit"') &&
	{ [ "$(jq .kernel.setup <<<"$line")" -ge 1 ] || { fail "kernel.setup: runc's setns calls not seen"; return 1; }; } &&
	expect -m stats "$line" \
		.transition_hooks tracepoint \
		.host_name_source NODE_NAME \
		'"\(.sandbox.bounding_set_cut) \(.sandbox.no_new_privs) \(.sandbox.seccomp)"' "true true true" \
		.kernel.lost 0 &&
	all_json_valid && schema_valid
}

# make_image [MAKE ARGS...]: make image for the test's daemon, as `make image` makes it whatever
# the make running the suite was given (make test SANITIZE=1 passes SANITIZE through MAKEFLAGS)
make_image() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE make -s image DOCKER="$DOCKER" "$@" > "$T/make-image.log" 2>&1 ||
		{ fail "make image $*: $(tail -5 "$T/make-image.log")"; return 1; }
}

# image_tree REF DIR: the files of the image REF (one layer) into DIR, through docker save
image_tree() {
	local layer
	rm -rf "$T/save" "$2" && mkdir -p "$T/save" "$2" &&
	$DOCKER save "$1" | tar -x -C "$T/save" &&
	layer=$(jq -r '.[0].Layers | if length == 1 then .[0] else error("layers: \(length)") end' "$T/save/manifest.json") &&
	tar -x -C "$2" -f "$T/save/$layer" || { fail "docker save $1: no single layer"; return 1; }
}

# machine FILE: the ELF machine readelf names (AArch64, Advanced Micro Devices X86-64)
machine() { readelf -h "$1" | sed -n 's/^ *Machine: *//p'; }

# make image's labels, exact: created from SOURCE_DATE_EPOCH (the tree made again), source from
# IMAGE_SOURCE and none without one, the revision git says, the licences LICENSE names; the image
# is this machine's architecture, tagged with the version and with it and the architecture, its
# userns-watch names the revision its label says, and it holds its SBOM and what that lists
test_image_labels_under_dockerd() {
	local v rev ref want
	dockerd_start || return 1
	v=$(uw_version) rev=$(git_revision) ref=userns-watch:$(uw_version)
	rm -f .output/image/rootfs.stamp
	SOURCE_DATE_EPOCH=1700000000 make_image IMAGE_SOURCE=https://example.org/userns-watch.git || return 1
	want=$(jq -cnS --arg v "$v" --arg r "$rev" '{
		"org.opencontainers.image.version": $v,
		"org.opencontainers.image.revision": $r,
		"org.opencontainers.image.created": "2023-11-14T22:13:20Z",
		"org.opencontainers.image.source": "https://example.org/userns-watch.git",
		"org.opencontainers.image.licenses": "LGPL-2.1 OR BSD-2-Clause",
		"org.opencontainers.image.title": "userns-watch",
		"org.opencontainers.image.description": "Reports container processes that run in the host'\''s user namespace (eBPF)"}')
	assert_eq "$want" "$($DOCKER image inspect -f '{{json .Config.Labels}}' "$ref" | jq -cS .)" "labels" &&
	assert_eq "linux amd64" "$($DOCKER image inspect -f '{{.Os}} {{.Architecture}}' "$ref")" "platform" &&
	assert_eq "$($DOCKER image inspect -f '{{.Id}}' "$ref")" "$($DOCKER image inspect -f '{{.Id}}' "$ref-amd64")" \
		"$ref and $ref-amd64: one image" || return 1
	assert_eq "$rev" "$($DOCKER run --rm --network none "$ref" --version | sed -n 's/^revision: //p')" \
		"the image's userns-watch --version revision" || return 1
	# the image's files: the SBOM make image wrote beside the tree, and what it lists (its
	# contents are test_image.sh's), made when the label says
	image_tree "$ref" "$T/tree" || return 1
	cmp -s .output/image/sbom.spdx.json "$T/tree/usr/share/doc/userns-watch/sbom.spdx.json" ||
		{ fail "the image's SBOM is not .output/image/sbom.spdx.json"; return 1; }
	assert_eq "$({ jq -r '.files[].fileName[1:]' .output/image/sbom.spdx.json; echo /usr/share/doc/userns-watch/sbom.spdx.json; } | LC_ALL=C sort)" \
		"$(cd "$T/tree" && find . -type f | sed 's/^\.//' | LC_ALL=C sort)" "the image's files" &&
	assert_eq 2023-11-14T22:13:20Z "$(jq -r .creationInfo.created .output/image/sbom.spdx.json)" "the SBOM's created" &&
	assert_eq git+https://example.org/userns-watch.git"$([[ $rev == *-dirty ]] || echo "@$rev")" \
		"$(jq -r '.packages[] | select(.SPDXID == "SPDXRef-Package-userns-watch") | .downloadLocation' .output/image/sbom.spdx.json)" \
		"the SBOM's download location" || return 1
	# without a source URL (a tree with no remote) the label is not set
	make_image IMAGE_SOURCE= || return 1
	assert_eq false "$($DOCKER image inspect -f '{{json .Config.Labels}}' "$ref" | jq 'has("org.opencontainers.image.source")')" \
		"a source label without IMAGE_SOURCE"
}

# make ARCH=arm64 image: an arm64 image (its config says so; its userns-watch is an AArch64
# program with arm64's loader, and every shared object beside it is AArch64) tagged
# VERSION-arm64, beside the amd64 one, which keeps both its tags
test_image_arm64_under_dockerd() {
	local v amd f bad=""
	requires cmd:aarch64-linux-gnu-gcc=gcc-aarch64-linux-gnu file:/lib/ld-linux-aarch64.so.1=libc6:arm64 || return 77
	dockerd_start || return 1
	v=$(uw_version)
	make_image || return 1
	amd=$($DOCKER image inspect -f '{{.Id}}' "userns-watch:$v")
	make_image ARCH=arm64 || return 1
	assert_eq "linux arm64" "$($DOCKER image inspect -f '{{.Os}} {{.Architecture}}' "userns-watch:$v-arm64")" "arm64 image platform" &&
	assert_eq "$amd" "$($DOCKER image inspect -f '{{.Id}}' "userns-watch:$v")" "userns-watch:$v after the arm64 build" &&
	assert_eq "$amd" "$($DOCKER image inspect -f '{{.Id}}' "userns-watch:$v-amd64")" "userns-watch:$v-amd64 after the arm64 build" &&
	assert_eq "$(git_revision)" "$($DOCKER image inspect -f '{{index .Config.Labels "org.opencontainers.image.revision"}}' "userns-watch:$v-arm64")" \
		"arm64 revision label" || return 1
	image_tree "userns-watch:$v-arm64" "$T/tree" || return 1
	assert_eq AArch64 "$(machine "$T/tree/usr/sbin/userns-watch")" "/usr/sbin/userns-watch's machine" &&
	assert_eq /lib/ld-linux-aarch64.so.1 "$(readelf -l "$T/tree/usr/sbin/userns-watch" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')" \
		"interpreter" &&
	[ -f "$T/tree/lib/ld-linux-aarch64.so.1" ] || { fail "no /lib/ld-linux-aarch64.so.1 in the arm64 image"; return 1; }
	for f in $(find "$T/tree" -type f -name '*.so*'); do
		[ "$(machine "$f")" = AArch64 ] || bad+=" ${f#"$T/tree"}"
	done
	assert_eq "" "$bad" "shared objects of the arm64 image that are not AArch64" || return 1
	cmp -s .output/arm64/image/sbom.spdx.json "$T/tree/usr/share/doc/userns-watch/sbom.spdx.json" ||
		{ fail "the arm64 image's SBOM is not .output/arm64/image/sbom.spdx.json"; return 1; }
}
