# shellcheck shell=bash
# -o ocsf against OCSF's own schema sources of the release the events declare, 1.8.0 (as
# ../shared/ocsf-schema-1.8.0 keeps them, next to this repository or next to the one it was
# cloned from; or $OCSF_SCHEMA; the 1.9.0-dev sources are not used): every event
# a watch and an audit write is checked by tests/integration/ocsf_check.py (the class resolved
# through extends, $include and profiles; every attribute known and of the dictionary's type,
# enum values valid, required attributes present, constraints held), and what the events say
# is asserted field by field.

ocsf_schema_dir() {
	local d origin
	for d in "${OCSF_SCHEMA:-}" "$PWD/../shared/ocsf-schema-1.8.0"; do
		[ -n "$d" ] && [ -r "$d/dictionary.json" ] && { (cd "$d" && pwd); return; }
	done
	origin=$(git config --get remote.origin.url 2>/dev/null)
	[ -n "$origin" ] && [ -r "$origin/../shared/ocsf-schema-1.8.0/dictionary.json" ] &&
		(cd "$origin/../shared/ocsf-schema-1.8.0" && pwd)
}
OCSF_SCHEMA=$(ocsf_schema_dir)

needs() {
	requires root btf cmd:jq || return 1
	[ -n "$OCSF_SCHEMA" ] || { SKIP_REASON="no OCSF 1.8.0 schema sources (../shared/ocsf-schema-1.8.0, or set OCSF_SCHEMA to them)"; return 1; }
}

SLEEP=$(readlink -f "$(command -v sleep)")

ocsf_valid() {
	local out
	out=$(/usr/bin/python3 tests/integration/ocsf_check.py "$OCSF_SCHEMA" "$1" 2>&1) || { fail "OCSF: $out"; return 1; }
}

# A watch: Detection Findings for alerts (and for itself, suppressed), Application Lifecycle
# events for the policy and stats records.
test_ocsf_watch_conforms() {
	local id line
	printf 'allow:\n  - name: nothing\n    reason: "matches no container"\n    match:\n      container_id: "none*"\n' > "$T/policy.yaml"
	uw_start -o ocsf --policy "$T/policy.yaml" --host-name uw-node-ocsf || return 1
	id=$(rand_id)
	mk_cgroup "/docker/$id" both
	container "/docker/$id" both -- sh -c "sleep 0.3; exec unshare --user $SLEEP 600" || return 1
	wait_json ".unmapped.event == \"userns_create\"" 15 >/dev/null || return 1
	stats_now >/dev/null
	uw_stop
	assert_eq 0 "$UW_RC" "exit code" || return 1
	assert_eq "host_userns policy self stats userns_create" \
		"$(jq -r .unmapped.event "$T/out.json" | sort -u | tr '\n' ' ' | sed 's/ $//')" "records written" &&
	ocsf_valid "$T/out.json" || return 1
	line=$(jq -c 'select(.unmapped.event == "host_userns" and .unmapped.source == "exec")' "$T/out.json" | head -n 1)
	assert_eq "2004 2 1 200401 5 true 1 CIS-Docker-5.31 $id docker uw-node-ocsf" \
		"$(jq -r '"\(.class_uid) \(.category_uid) \(.activity_id) \(.type_uid) \(.severity_id) \(.is_alert) \(.status_id) \(.finding_info.analytic.uid) \(.actor.process.container.uid) \(.actor.process.container.runtime) \(.device.hostname)"' <<<"$line")" \
		"class, activity, severity, alert, analytic, container, device" &&
	assert_eq "$(jq -r '"\(.unmapped.id) \(.unmapped.process.pid) \(.unmapped.process.ppid) \(.unmapped.process.exe)"' <<<"$line")" \
		"$(jq -r '"\(.metadata.uid) \(.actor.process.pid) \(.actor.process.parent_process.pid) \(.actor.process.file.path)"' <<<"$line")" \
		"metadata.uid and the process as in the record" &&
	assert_eq "$(( $(jq -r '.unmapped.ts | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601' <<<"$line") ))" \
		"$(( $(jq -r .time <<<"$line") / 1000 ))" "time (ms since the epoch)" &&
	assert_eq "2004 false 3 1" "$(jq -r 'select(.unmapped.event == "self") | "\(.class_uid) \(.is_alert) \(.status_id) \(.severity_id)"' "$T/out.json")" "self: suppressed, informational" &&
	assert_eq "6002 99 stats" "$(jq -r 'select(.unmapped.event == "stats") | "\(.class_uid) \(.activity_id) \(.activity_name)"' "$T/out.json" | sort -u)" "stats: application lifecycle" &&
	jq -c .unmapped "$T/out.json" > "$T/inner.json" && schema_valid "$T/inner.json"
}

# --once: a Compliance Finding per container, CIS Docker 5.31: Fail for one in the host user
# namespace, Pass for one with its own, Fail but suppressed for one a policy rule allows.
test_ocsf_once_compliance() {
	local a b c rc
	a=$(rand_id) b=$(rand_id) c=$(rand_id)
	idle_container "/docker/$a" || return 1
	idle_container "/docker/$b" --user --map-root-user || return 1
	idle_container "/docker/$c" || return 1
	printf 'allow:\n  - name: reviewed-%s\n    reason: "reviewed"\n    match:\n      container_id: "%s"\n' "${c:0:8}" "$c" > "$T/policy.yaml"
	"$UW_BIN" --once -o ocsf --policy "$T/policy.yaml" --host-name uw-node-ocsf > "$T/out.json" 2> "$T/err"
	rc=$?
	assert_eq 1 "$rc" "--once exit code" || return 1
	ocsf_valid "$T/out.json" || return 1
	assert_eq "Fail 3 New 4" "$(jq -r "select(.class_uid == 2003 and .resources[0].uid == \"$a\") | \"\(.compliance.status) \(.compliance.status_id) \(.status) \(.severity_id)\"" "$T/out.json")" "host-userns container" &&
	assert_eq "Pass 1 New 1" "$(jq -r "select(.class_uid == 2003 and .resources[0].uid == \"$b\") | \"\(.compliance.status) \(.compliance.status_id) \(.status) \(.severity_id)\"" "$T/out.json")" "own-userns container" &&
	assert_eq "Fail Suppressed allowed by policy rule reviewed-${c:0:8}" "$(jq -r "select(.class_uid == 2003 and .resources[0].uid == \"$c\") | \"\(.compliance.status) \(.status) \(.compliance.status_detail)\"" "$T/out.json")" "allowed container" &&
	assert_eq "CIS Docker Benchmark 5.31 200301 uw-node-ocsf" "$(jq -r "select(.class_uid == 2003 and .resources[0].uid == \"$a\") | \"\(.compliance.standards[0]) \(.compliance.control) \(.type_uid) \(.device.hostname)\"" "$T/out.json")" "standard, control, type, device"
}

# What a detection engineer reads, conformant: the remediation (Detection and Compliance
# Findings), the ATT&CK techniques (a sub-technique for an escape by ptrace), the command line,
# and the image by its ID where the engine records it (Docker's record below a --host-root)
NSTEST=$PWD/.output/tests/uw-nstest
test_ocsf_remediation_attacks_image() {
	local a b host=$T/host img tpid line
	a=$(rand_id) b=$(rand_id) img=sha256:$(rand_id)
	[ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 3 ] ||
		{ NA_REASON="ptrace is disabled (yama ptrace_scope 3)"; return 78; }
	mkdir -p "$host/var/lib/docker/containers/$a"
	jq -n --arg img "$img" '{Name: "/web", Image: $img, Config: {Image: "nginx:1.27"}}' > "$host/var/lib/docker/containers/$a/config.v2.json"
	echo '{"UsernsMode": "", "Privileged": false}' > "$host/var/lib/docker/containers/$a/hostconfig.json"
	"$NSTEST" vm-target "$T/target" 60 &
	STARTED_PIDS+=("$!")
	for _ in $(seq 1 200); do [ -s "$T/target" ] && break; nap 0.02; done
	read -r tpid _ < "$T/target" || { fail "vm-target wrote nothing"; return 1; }
	uw_start -o ocsf --host-root "$host" || return 1
	mk_cgroup "/docker/$a"
	container "/docker/$a" both -- "$SLEEP" 600 || return 1
	hostpid_container "/docker/$b" sh -c "sleep 0.3; exec $NSTEST ptrace-seize $tpid" || return 1
	line=$(wait_json ".class_uid == 2004 and .unmapped.event == \"escape\" and .unmapped.container.id == \"$b\"") || return 1
	expect -m escape "$line" \
		'[.finding_info.attacks[] | (.technique // .sub_technique).uid] | sort | tojson' "$(jq -nc --arg v "$(jq -r '.unmapped.escape.via' <<<"$line")" 'if $v == "ptrace_seize" or $v == "ptrace_attach" then ["T1055.008","T1611"] else ["T1055","T1611"] end')" \
		'.remediation.desc | startswith("Treat the node as compromised")' true || return 1
	line=$(wait_json ".class_uid == 2004 and .unmapped.event == \"host_userns\" and .unmapped.container.id == \"$a\" and .unmapped.process.exe == \"$SLEEP\"") || return 1
	expect -m host_userns "$line" \
		.actor.process.container.image.uid "$img" \
		.actor.process.container.image.name nginx:1.27 \
		.actor.process.cmd_line "$SLEEP 600" \
		'.finding_info.attacks[0].technique.uid' T1611 \
		'.remediation.references[0]' https://docs.docker.com/engine/security/userns-remap/ || return 1
	uw_stop
	ocsf_valid "$T/out.json" || return 1
	"$UW_BIN" --once -o ocsf --host-root "$host" > "$T/once.json" 2> "$T/err"
	ocsf_valid "$T/once.json" || return 1
	expect -m compliance "$(json_lines ".class_uid == 2003 and .resources[0].uid == \"$a\"" "$T/once.json")" \
		'.remediation.desc | startswith("Enable user namespace remapping")' true || return 1
	assert_eq audit_summary "$(tail -n 1 "$T/once.json" | jq -r .activity_name)" "the summary, last" || return 1
}

# The check can fail: what OCSF does not define, wrong types and missing required attributes.
test_ocsf_check_refuses_wrong_events() {
	local out
	"$UW_BIN" --once -o ocsf > "$T/good.json" 2>/dev/null
	ocsf_valid "$T/good.json" || return 1
	head -n 1 "$T/good.json" | jq -c '.actor.process.bogus = 1 | .actor.process.pid = "7" | .device.type_id = 42 | del(.finding_info.uid) | .metadata.profiles = ["host"] | .actor.process.container = {"uid": "x"}' > "$T/bad.json"
	out=$(/usr/bin/python3 tests/integration/ocsf_check.py "$OCSF_SCHEMA" "$T/bad.json" 2>&1) && { fail "the checker took a wrong event"; return 1; }
	assert_eq "line 1: device.type_id: 42 is not one of ['0', '1', '10', '11', '12', '13', '14', '15', '2', '3', '4', '5', '6', '7', '8', '9', '99']
line 1: finding_info.uid: required, missing
line 1: actor.process.pid: '7' is not a integer_t
line 1: actor.process.bogus: not an attribute here
line 1: actor.process.container: an attribute of profile container, not applied (metadata.profiles)" "$out" "what the checker says" || return 1
}
