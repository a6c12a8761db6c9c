# shellcheck shell=bash
# What an operator reads in a finding: the remediation for its engine and situation, the ATT&CK
# techniques, the audit of --once as JSON records (one per container, then a summary), the
# process's command line and the cluster's name. Containers are built the way runtimes build
# them (namespaces and a cgroup named like the runtime's), Docker's records below a test
# --host-root.

needs() { requires root btf cmd:unshare cmd:jq file:/usr/bin/python3=python3; }

SLEEP=$(readlink -f "$(command -v sleep)")
HOSTROOT=$T/host

# docker_record ID HOSTCONFIG_JSON [IMAGE_ID]: Docker's own record of container ID
docker_record() {
	local d=$HOSTROOT/var/lib/docker/containers/$1
	mkdir -p "$d"
	jq -n --arg id "$1" --arg img "${3:-}" '{ID: $id, Name: "/web-\($id[0:6])", Image: $img, Config: {Image: "nginx:1.27"}}' \
		> "$d/config.v2.json"
	echo "$2" > "$d/hostconfig.json"
}

# Docker: the remediation follows the situation its record shows (a daemon without remapping,
# --userns=host, --privileged); the image's ID comes from Docker's record; the text line says
# the fix in a few words
test_remediation_docker_situations() {
	local a b c img
	a=$(rand_id) b=$(rand_id) c=$(rand_id) img=sha256:$(rand_id)
	docker_record "$a" '{"UsernsMode": "", "Privileged": false}' "$img"
	docker_record "$b" '{"UsernsMode": "host", "Privileged": false}'
	docker_record "$c" '{"UsernsMode": "host", "Privileged": true}' "not-a-digest"
	idle_container "/docker/$a" || return 1
	idle_container "/docker/$b" || return 1
	idle_container "/docker/$c" || return 1
	"$UW_BIN" --once -o json --host-root "$HOSTROOT" > "$T/out.json" 2> "$T/err"
	assert_eq 1 "$?" "exit status (violations)" || return 1
	expect -m "no remapping" "$(json_lines ".event == \"host_userns\" and .container.id == \"$a\"" | head -n 1)" \
		.remediation.id docker-userns-remap \
		.remediation.summary "enable userns-remap in daemon.json" \
		.remediation.reference https://docs.docker.com/engine/security/userns-remap/ \
		'.remediation.text | test("\"userns-remap\": \"default\" in /etc/docker/daemon.json")' true \
		.container.image_id "$img" \
		.container.privileged false \
		'[.attack[] | .technique_id, .tactic_id] | tojson' '["T1611","TA0004"]' || return 1
	expect -m "--userns=host" "$(json_lines ".event == \"host_userns\" and .container.id == \"$b\"" | head -n 1)" \
		.remediation.id docker-drop-userns-host \
		'.container.image_id | tojson' null || return 1
	# a privileged container: drop --privileged first; an image ID not of the digest's form
	# is left out, and said
	expect -m "--privileged" "$(json_lines ".event == \"host_userns\" and .container.id == \"$c\"" | head -n 1)" \
		.remediation.id docker-drop-privileged \
		.container.privileged true \
		'.container.image_id | tojson' null \
		'.container.metadata_error | test("config.v2.json: the image ID is not a sha256 digest")' true || return 1
	# the audit's records carry it too, for FAIL rows
	expect -m "compliance" "$(json_lines ".event == \"compliance\" and .container.id == \"$b\"")" \
		.verdict FAIL .remediation.id docker-drop-userns-host || return 1
	schema_valid || return 1
	"$UW_BIN" --once -o text --host-root "$HOSTROOT" > "$T/out.txt" 2> "$T/err"
	grep -F "container=docker:${a:0:12}" "$T/out.txt" | grep -qF ' fix="enable userns-remap in daemon.json"' ||
		{ fail "text line without fix=: $(grep -F "${a:0:12}" "$T/out.txt" | head -n 1)"; return 1; }
	grep -F "container=docker:${c:0:12}" "$T/out.txt" | grep -qF ' fix="drop --privileged (and --userns=host)"' ||
		{ fail "text line of the privileged container: $(grep -F "${c:0:12}" "$T/out.txt" | head -n 1)"; return 1; }
}

# Each engine gets its own remediation, chosen from the container's cgroup of origin (a pod's,
# whatever the engine below it), never from what the container wrote
test_remediation_per_engine() {
	local k k2 p c d l n s i want id engine remedy uid uid2
	k=$(rand_id) k2=$(rand_id) p=$(rand_id) c=c$SRANDOM d=$(rand_id) l=l$SRANDOM n=n$SRANDOM s=$(rand_id)
	uid=$(rand_uid) uid2=$(rand_uid)
	# containerd under the kubelet: the cgroupfs driver's pod directory, the systemd driver's scope
	idle_container "/kubepods/burstable/pod$uid/$k" || return 1
	idle_container "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid2//-/_}.slice/cri-containerd-$k2.scope" || return 1
	idle_container "/system.slice/nerdctl-$d.scope" || return 1
	idle_container "/machine.slice/libpod-$p.scope" || return 1
	idle_container "/default/$c" || return 1
	idle_container "/lxc.payload.$l" || return 1
	idle_container "/machine.slice/machine-$n.scope" || return 1
	idle_container "/system.slice/crio-$s.scope" || return 1
	"$UW_BIN" --once -o json > "$T/out.json" 2> "$T/err"
	# and one runtime name per engine, with the interface it was made through
	want=("$k containerd/cri kubernetes-host-users" "$k2 containerd/cri kubernetes-host-users"
	      "$d containerd/nerdctl containerd-userns" "$p podman/podman podman-userns-auto"
	      "$c containerd/containerd containerd-userns" "$l lxc/lxc lxc-unprivileged"
	      "$n systemd-nspawn/systemd-nspawn nspawn-private-users" "$s crio/cri kubernetes-host-users")
	for i in "${want[@]}"; do
		read -r id engine remedy <<<"$i"
		assert_eq "$engine $remedy" "$(json_lines ".event == \"host_userns\" and .container.id == \"$id\"" | head -n 1 |
			jq -r '"\(.container.runtime)/\(.container.interface) \(.remediation.id)"')" \
			"runtime, interface and remediation of $id" || return 1
		assert_eq "$remedy" "$(json_lines ".event == \"compliance\" and .container.id == \"$id\"" | jq -r .remediation.id)" \
			"the audit's remediation of $id" || return 1
	done
	# only host_userns and escape records carry one
	assert_eq 0 "$(count_json '.remediation and .event != "host_userns" and .event != "compliance"')" "records of other kinds with a remediation" || return 1
	schema_valid
}

# --once in JSON: one compliance record per container (compliant ones included), FAIL first,
# then ALLOWED, then PASS, and one audit_summary last whose counts are those records'; the exit
# status says whether any failed
test_once_json_audit() {
	local a b c out
	a=$(rand_id) b=$(rand_id) c=$(rand_id)
	printf 'allow:\n  - name: reviewed\n    reason: "a reviewed exception"\n    match:\n      runtime: docker\n      container_id: "%s"\n' "$c" > "$T/policy.yaml"
	idle_container "/docker/$a" || return 1
	idle_container "/docker/$b" --user --map-root-user || return 1
	idle_container "/docker/$c" || return 1
	"$UW_BIN" --once -o json --policy "$T/policy.yaml" > "$T/out.json" 2> "$T/err"
	assert_eq 1 "$?" "exit status" || return 1
	expect -m FAIL "$(json_lines ".event == \"compliance\" and .container.id == \"$a\"")" \
		.verdict FAIL .severity high .userns host .processes 2 .host_processes 2 \
		.container.runtime docker .rule.id CIS-Docker-5.31 '.policy | tojson' null \
		.remediation.id docker-userns-remap || return 1
	expect -m PASS "$(json_lines ".event == \"compliance\" and .container.id == \"$b\"")" \
		.verdict PASS .severity info .userns own .processes 2 .host_processes 0 \
		'.remediation | tojson' null || return 1
	expect -m ALLOWED "$(json_lines ".event == \"compliance\" and .container.id == \"$c\"")" \
		.verdict ALLOWED .severity info .policy.rule reviewed .remediation.id docker-userns-remap || return 1
	# (unshare and its child: two processes each)
	# one record per container, in verdict order, then the summary, last, with their counts
	out=$(jq -sc '[.[] | select(.event == "compliance" or .event == "audit_summary")] |
		{order: ([.[] | select(.event == "compliance") | .verdict] | . == (sort_by({FAIL: 0, ALLOWED: 1, PASS: 2}[.]))),
		 last: (.[-1].event), summaries: ([.[] | select(.event == "audit_summary")] | length),
		 counts: ((.[-1] | [.containers, .fail, .allowed, .pass]) ==
			  ([.[] | select(.event == "compliance")] | [length, ([.[] | select(.verdict == "FAIL")] | length),
			   ([.[] | select(.verdict == "ALLOWED")] | length), ([.[] | select(.verdict == "PASS")] | length)])),
		 ids: ([.[] | select(.event == "compliance") | .container.id] | (length == (unique | length)))}' "$T/out.json")
	assert_eq '{"order":true,"last":"audit_summary","summaries":1,"counts":true,"ids":true}' "$out" "the audit's records" || return 1
	expect -m summary "$(json_lines '.event == "audit_summary"')" .verdict FAIL .severity high .unlisted_processes 0 || return 1
	schema_valid || return 1
	# ECS: the same records, as state documents
	"$UW_BIN" --once -o ecs --policy "$T/policy.yaml" > "$T/ecs.json" 2> "$T/err"
	expect -m ECS "$(json_lines ".userns_watch.event == \"compliance\" and .userns_watch.container.id == \"$b\"" "$T/ecs.json")" \
		.event.kind state '.event.category | tojson' '["configuration"]' .userns_watch.verdict PASS || return 1
	assert_eq audit_summary "$(tail -n 1 "$T/ecs.json" | jq -r .userns_watch.event)" "ECS: the last document" || return 1
}

# The command line, as /proc shows it, bounded and escaped: JSON has it whole (to 1023 bytes,
# cmdline_truncated beyond), the verbose text line escaped; ECS and OCSF in their own fields.
# The cluster's name is in every record, beside the host's.
test_cmdline_and_cluster() {
	local id long line py CMD_JSON
	id=$(rand_id)
	py=$(readlink -f /usr/bin/python3)
	# a program that takes any argument and sleeps, without another exec
	CMD_JSON="\"$py -c import time; time.sleep(600) a\\nb\\\"c\""
	long=$(printf 'x%.0s' $(seq 1 1500))
	uw_start --cluster-name prod-eu-1 || return 1
	violating "/docker/$id" both "$py" -c 'import time; time.sleep(600)' $'a\nb"c' || return 1
	expect "$LINE" '.process.cmdline | tojson' "$CMD_JSON" '.process.cmdline_truncated | tojson' null .cluster prod-eu-1 || return 1
	violating "/docker/$(rand_id)" both "$py" -c 'import time; time.sleep(600)' "$long" || return 1
	expect "$LINE" '.process.cmdline | length' 1023 .process.cmdline_truncated true || return 1
	uw_stop
	assert_eq 0 "$(count_json '.cluster != "prod-eu-1"')" "records without the cluster" || return 1
	schema_valid || return 1
	# -v text: escaped, on one line
	"$UW_BIN" --once -v -o text > "$T/out.txt" 2> "$T/err"
	line=$(grep -F "container=docker:$id" "$T/out.txt" | grep -F "exe=\"$py\"" | head -n 1)
	[[ $line == *"cmdline=\"$py -c import time; time.sleep(600) a\\x0ab\\\"c\""* ]] || { fail "text cmdline: $line"; return 1; }
	# ECS and OCSF: process.command_line, actor.process.cmd_line, orchestrator.cluster.name
	"$UW_BIN" --once -o ecs --cluster-name prod-eu-1 > "$T/ecs.json" 2> "$T/err"
	expect -m ECS "$(json_lines ".userns_watch.event == \"host_userns\" and .container.id == \"$id\" and .process.executable == \"$py\"" "$T/ecs.json" | head -n 1)" \
		'.process.command_line | tojson' "$CMD_JSON" .orchestrator.cluster.name prod-eu-1 \
		'.threat.technique.id | tojson' '["T1611"]' .threat.framework "MITRE ATT&CK" || return 1
	"$UW_BIN" --once -o ocsf > "$T/ocsf.json" 2> "$T/err"
	expect -m OCSF "$(json_lines ".class_uid == 2004 and .actor.process.container.uid == \"$id\" and .actor.process.file.path == \"$py\"" "$T/ocsf.json" | head -n 1)" \
		'.actor.process.cmd_line | tojson' "$CMD_JSON" \
		'.finding_info.attacks[0].technique.uid' T1611 \
		'.remediation.references[0]' https://docs.docker.com/engine/security/userns-remap/ || return 1
	# a name that is no DNS name is refused
	"$UW_BIN" --cluster-name 'bad name' --once > /dev/null 2> "$T/err" && { fail "--cluster-name 'bad name' taken"; return 1; }
	grep -qF "bad --cluster-name 'bad name'" "$T/err" || { fail "refusal: $(cat "$T/err")"; return 1; }
}

# Engines with their files elsewhere: Docker's data-root in daemon.json, containers/storage's
# graphroot in storage.conf, LXC's path by --data-root; names and images are found there, what
# was read is said, and where nothing was found is said once per engine
test_custom_data_roots() {
	local d1 d2 p l line
	d1=$(rand_id) d2=$(rand_id) p=$(rand_id) l=l$SRANDOM
	mkdir -p "$HOSTROOT/etc/docker" "$HOSTROOT/etc/containers" "$HOSTROOT/srv/docker/containers/$d1" \
		"$HOSTROOT/data/containers/overlay-containers/$p/userdata" "$HOSTROOT/srv/lxc/$l"
	echo '{"data-root": "/srv/docker", "log-level": "warn"}' > "$HOSTROOT/etc/docker/daemon.json"
	printf '[storage]\ndriver = "overlay"\nrunroot = "/run/nowhere"\ngraphroot = "/data/containers" # moved\n[storage.options]\ngraphroot = "/not/this"\n' \
		> "$HOSTROOT/etc/containers/storage.conf"
	jq -n '{Name: "/moved-web", Config: {Image: "nginx:moved"}}' > "$HOSTROOT/srv/docker/containers/$d1/config.v2.json"
	echo '{"UsernsMode": ""}' > "$HOSTROOT/srv/docker/containers/$d1/hostconfig.json"
	echo '{"ociVersion": "1.0.2", "linux": {"namespaces": [{"type": "pid"}]}}' \
		> "$HOSTROOT/data/containers/overlay-containers/$p/userdata/config.json"
	jq -nc --arg id "$p" '[{id: $id, names: ["moved-db"], metadata: ({"image-name": "postgres:moved"} | tojson)}]' \
		> "$HOSTROOT/data/containers/overlay-containers/containers.json"
	echo "lxc.uts.name = $l" > "$HOSTROOT/srv/lxc/$l/config"
	idle_container "/docker/$d1" || return 1
	idle_container "/docker/$d2" || return 1
	idle_container "/machine.slice/libpod-$p.scope" || return 1
	idle_container "/lxc.payload.$l" || return 1
	"$UW_BIN" --once -o json --host-root "$HOSTROOT" --data-root lxc=/srv/lxc > "$T/out.json" 2> "$T/err"
	line=$(json_lines ".event == \"compliance\" and .container.id == \"$d1\"")
	expect -m "docker data-root" "$line" .container.name moved-web .container.image nginx:moved || return 1
	line=$(json_lines ".event == \"compliance\" and .container.id == \"$p\"")
	expect -m "storage graphroot" "$line" .container.name moved-db .container.image postgres:moved || return 1
	line=$(json_lines ".event == \"compliance\" and .container.id == \"$l\"")
	expect -m "lxc by --data-root" "$line" .container.metadata_source "$HOSTROOT/srv/lxc/$l/config" || return 1
	# the second Docker container has no record: said in its record (where) and once on stderr
	line=$(json_lines ".event == \"compliance\" and .container.id == \"$d2\"")
	jq -r .container.metadata_error <<<"$line" | grep -qF "was not found in /srv/docker/containers" ||
		{ fail "metadata_error: $(jq -r .container.metadata_error <<<"$line")"; return 1; }
	assert_eq 0 "$(grep -c "files were looked for" "$T/err")" "a miss said on stderr while the directory is there" || return 1
	grep -qF "docker containers' files in /srv/docker (data-root in /etc/docker/daemon.json)" "$T/err" &&
	grep -qF "storage containers' files in /data/containers (graphroot in /etc/containers/storage.conf)" "$T/err" &&
	grep -qF "storage-run containers' files in /run/nowhere (runroot in /etc/containers/storage.conf)" "$T/err" ||
		{ fail "what was read not said: $(cat "$T/err")"; return 1; }
	schema_valid || return 1
	# Docker's directory not there: said once, for two containers, with where it looked
	"$UW_BIN" --once -o json --host-root "$HOSTROOT" --data-root docker=/nowhere > "$T/out.json" 2> "$T/err"
	assert_eq 1 "$(grep -c "a docker container's files were looked for in $HOSTROOT/nowhere, which is not a directory (docker: --data-root)" "$T/err")" \
		"the miss said once" || return 1
	# a directory outside the host root's view, or not absolute, is refused; a key must be known
	echo '{"data-root": "/srv/../../etc"}' > "$HOSTROOT/etc/docker/daemon.json"
	"$UW_BIN" --once -o json --host-root "$HOSTROOT" > "$T/out.json" 2> "$T/err"
	grep -qF "/etc/docker/daemon.json: data-root '/srv/../../etc' not used (no \".\" or \"..\" components" "$T/err" ||
		{ fail "a data-root with ..: $(cat "$T/err")"; return 1; }
	for bad in docker=relative lxc=/a/../b podman=/x nokey; do
		"$UW_BIN" --once --data-root "$bad" > /dev/null 2> "$T/err" && { fail "--data-root $bad taken"; return 1; }
		grep -qF "bad --data-root '$bad'" "$T/err" || { fail "--data-root $bad: $(cat "$T/err")"; return 1; }
	done
}

# A process whose main thread has exited while another runs on (its leader a zombie in /proc)
# still runs: the audit counts it, and fails its container
test_audit_counts_a_process_without_its_main_thread() {
	local id py line
	id=$(rand_id)
	py=$(readlink -f /usr/bin/python3)
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- "$py" -c 'import ctypes, threading, time
threading.Thread(target=time.sleep, args=(600,)).start()
ctypes.CDLL(None).pthread_exit(None)' || return 1
	for _ in $(seq 1 100); do [ "$(awk '{print $3}' "/proc/$CPID/stat" 2>/dev/null)" = Z ] && break; nap 0.05; done
	[ "$(awk '{print $3}' "/proc/$CPID/stat")" = Z ] || { fail "the leader did not exit"; return 1; }
	"$UW_BIN" --once -o json > "$T/out.json" 2> "$T/err"
	assert_eq 1 "$?" "exit status" || return 1
	line=$(json_lines ".event == \"compliance\" and .container.id == \"$id\"")
	# unshare, and the process without its main thread
	expect -m "its container" "$line" .verdict FAIL .processes 2 .host_processes 2
}
