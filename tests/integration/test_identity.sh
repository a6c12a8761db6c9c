# shellcheck shell=bash
# Integration tests for who userns-watch says it is: the records' "host" is the node's name
# (--host-name, else NODE_NAME, else the host's own hostname read from the host's UTS namespace),
# never a sidecar's own hostname.

needs() { requires root btf cmd:jq; }

SLEEP=$(readlink -f "$(command -v sleep)")

# once_in_uts NAME [ENV...] -- ARGS: --once from a UTS namespace of its own whose hostname is
# NAME (as a sidecar without the host's UTS namespace sees it); output in $T/once.json, exit code
# in ONCE_RC
once_in_uts() {
	local name=$1; shift
	local envs=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	env -u NODE_NAME "${envs[@]}" unshare --uts sh -c 'hostname "$1"; shift; exec "$@"' sh "$name" \
		"$UW_BIN" --once -o json "$@" > "$T/once.json" 2> "$T/once.err"
	ONCE_RC=$?
}

# a violating container; --once from a sidecar-like UTS namespace names the host, not itself
test_host_name_from_host_uts() {
	local id want line
	id=$(rand_id)
	want=$(cat /proc/sys/kernel/hostname)
	idle_container "/docker/$id" || return 1
	once_in_uts "sidecar-$RANDOM" --
	assert_eq 1 "$ONCE_RC" "--once exit code" || { cat "$T/once.err" >&2; return 1; }
	line=$(json_lines ".event == \"host_userns\" and .process.pid == $CPID" "$T/once.json")
	# the alert's host: the host's UTS hostname
	expect "$line" \
		.container.id "$id" \
		.host "$want" &&
	assert_eq "$want" "$(jq -r 'select(.event == "stats") | .host' "$T/once.json")" "stats host" &&
	assert_eq host_uts "$(jq -r 'select(.event == "stats") | .host_name_source' "$T/once.json")" "host_name_source" &&
	assert_eq 0 "$(count_json ".host != \"$want\"" "$T/once.json")" "records naming another host" ||
		return 1
	schema_valid "$T/once.json"
}

# NODE_NAME (the Downward API's usual name) comes before the hostname; --host-name before both
test_host_name_env_and_option() {
	local id line
	id=$(rand_id)
	idle_container "/docker/$id" || return 1
	once_in_uts "sidecar-$RANDOM" NODE_NAME=node-a.example --
	assert_eq 1 "$ONCE_RC" "--once exit code" || { cat "$T/once.err" >&2; return 1; }
	line=$(json_lines ".event == \"host_userns\" and .process.pid == $CPID" "$T/once.json")
	assert_eq node-a.example "$(jq -r .host <<<"$line")" "host from NODE_NAME" &&
	assert_eq NODE_NAME "$(jq -r 'select(.event == "stats") | .host_name_source' "$T/once.json")" "host_name_source" ||
		return 1
	once_in_uts "sidecar-$RANDOM" NODE_NAME=node-a.example -- --host-name worker-7
	assert_eq 1 "$ONCE_RC" "--once exit code" || { cat "$T/once.err" >&2; return 1; }
	line=$(json_lines ".event == \"host_userns\" and .process.pid == $CPID" "$T/once.json")
	assert_eq worker-7 "$(jq -r .host <<<"$line")" "host from --host-name" &&
	assert_eq option "$(jq -r 'select(.event == "stats") | .host_name_source' "$T/once.json")" "host_name_source" &&
	assert_eq 0 "$(count_json '.host != "worker-7"' "$T/once.json")" "records naming another host"
}

# a name that is not a DNS name is refused with exit 2 and one sentence, from either source
test_host_name_refused() {
	local rc
	"$UW_BIN" --once -o json --host-name 'node a' > "$T/o" 2> "$T/e"
	rc=$?
	assert_eq 2 "$rc" "exit code for --host-name 'node a'" &&
	assert_eq 1 "$(grep -c "bad --host-name 'node a'" "$T/e")" "the sentence" &&
	assert_eq 0 "$(wc -c < "$T/o")" "bytes on stdout" || return 1
	"$UW_BIN" --once -o json --host-name "$(printf 'a%.0s' $(seq 1 64))" > "$T/o" 2> "$T/e"
	assert_eq 2 "$?" "exit code for a 64-byte label" || return 1
	NODE_NAME=$'node\x1b[31m' "$UW_BIN" --once -o json > "$T/o" 2> "$T/e"
	rc=$?
	assert_eq 2 "$rc" "exit code for a NODE_NAME with an escape sequence" &&
	assert_eq 1 "$(grep -c "NODE_NAME in the environment is not a DNS name" "$T/e")" "the sentence" &&
	assert_eq 0 "$(wc -c < "$T/o")" "bytes on stdout"
}

# userns-watch as a sidecar: in a container of its own (host user namespace, its own mount, pid,
# uts, ipc and net namespaces). Its own process is one "self" record (info) naming its
# container, never an alert; another container's violation is reported, and so is a process
# that joins the watch's own container (only the watch's process is "self").
test_self_in_container() {
	local id other line uw_pid uw_unshare joined
	id=$(rand_id)
	other=$(rand_id)
	mk_cgroup "/docker/$id"
	: > "$T/out.json"
	container "/docker/$id" both -- "$UW_BIN" -o json > "$T/out.json" 2> "$T/err" || return 1
	uw_pid=$CPID uw_unshare=$UPID
	for _ in $(seq 1 300); do grep -q watching "$T/err" && break; sleep 0.05; done
	grep -q watching "$T/err" || { fail "the watch in a container did not start: $(cat "$T/err")"; return 1; }
	line=$(wait_json '.event == "self"') || return 1
	# process.pid: the host's PID
	expect -m self "$line" \
		.process.pid "$uw_pid" \
		.container.id "$id" \
		.container.runtime docker \
		.severity info \
		.rule.id USERNS-WATCH-SELF \
		.userns.host true || return 1
	# another container's violation is reported
	mk_cgroup "/docker/$other"
	container "/docker/$other" both -- "$SLEEP" 600 || return 1
	wait_json ".event == \"host_userns\" and .container.id == \"$other\" and .process.pid == $CPID" >/dev/null || return 1
	# a process that joins the watch's container is judged like any other
	run_in_cgroup "/docker/$id" both nsenter -t "$uw_pid" -m -p -u -i -n -- "$SLEEP" 600
	joined=$(child_of "$LAST_PID") || joined=$LAST_PID
	STARTED_PIDS+=("$joined")
	wait_json ".event == \"host_userns\" and .container.id == \"$id\" and .process.exe == \"$SLEEP\"" >/dev/null || return 1
	kill -USR1 "$uw_pid"
	wait_json '.event == "stats"' >/dev/null || return 1
	kill -INT "$uw_pid"
	wait "$uw_unshare"
	assert_eq 1 "$(count_json '.event == "self"')" "self records" &&
	assert_eq 0 "$(count_json ".event != \"self\" and .event != \"stats\" and .process.pid == $uw_pid")" "alerts about the watch itself" &&
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$id\" and .process.exe == \"$UW_REAL_BIN\"")" "alerts about the watch's program" ||
		return 1
	line=$(last_stats)
	[ "$(jq -r .self_records <<<"$line")" -ge 1 ] || { fail "stats self_records: $(jq -r .self_records <<<"$line")"; return 1; }
	schema_valid "$T/out.json"
}

# on the host, outside any container: one "self" record with runtime "host", and nothing else
# about itself
test_self_on_host() {
	"$UW_BIN" --once -o json > "$T/once.json" 2> "$T/once.err"
	local line
	line=$(json_lines '.event == "self"' "$T/once.json")
	assert_eq 1 "$(wc -l <<<"$line")" "self records" &&
	expect -m self "$line" \
		.container.runtime host \
		.container.id null \
		.process.exe "$UW_REAL_BIN" \
		.severity info || return 1
	schema_valid "$T/once.json"
}

# The agent's own container, allowed narrowly by a policy rule "self: true": a process that
# joins the watch's container is allowed (counted for the rule, no alert), the --once audit run
# in that container says ALLOWED for it; a process of another container that moved itself into
# the watch's cgroup is reported as its own container's (the rule follows provenance and the
# mount namespace, not a cgroup a process can write), and the audit, which counts by cgroup,
# then fails the watch's row
test_self_rule_allows_only_its_own_container() {
	local id other mover line uw_pid uw_unshare joined mpid
	id=$(rand_id) other=$(rand_id) mover=$(rand_id)
	printf 'allow:\n  - name: userns-watch-itself\n    reason: "the agent loads eBPF: the host user namespace"\n    events: [host_userns, cgroup_move]\n    match:\n      self: true\n' > "$T/policy.yaml"
	mk_cgroup "/docker/$id"
	: > "$T/out.json"
	container "/docker/$id" both -- "$UW_BIN" -o json --policy "$T/policy.yaml" > "$T/out.json" 2> "$T/err" || return 1
	uw_pid=$CPID uw_unshare=$UPID
	for _ in $(seq 1 300); do grep -q watching "$T/err" && break; sleep 0.05; done
	grep -q watching "$T/err" || { fail "the watch in a container did not start: $(cat "$T/err")"; return 1; }
	wait_json '.event == "self"' >/dev/null || return 1
	# a process joins the watch's container: allowed by the rule
	run_in_cgroup "/docker/$id" both nsenter -t "$uw_pid" -m -p -u -i -n -- "$SLEEP" 600
	joined=$(child_of "$LAST_PID") || joined=$LAST_PID
	STARTED_PIDS+=("$joined")
	# the audit, run in the watch's container as kubectl exec would: its own container allowed
	# by the rule, the watch and the joined process in it quiet
	run_in_cgroup "/docker/$id" both sh -c "exec nsenter -t $uw_pid -m -p -u -i -n -- $UW_BIN --once -o json --policy $T/policy.yaml > $T/once.json 2> $T/once.err"
	wait "$LAST_PID"
	assert_eq 0 "$?" "--once's exit status (nothing but the watch's container)" || { cat "$T/once.err" >&2; return 1; }
	expect -m "the audit's own container" "$(json_lines ".event == \"compliance\" and .container.id == \"$id\"" "$T/once.json")" \
		.verdict ALLOWED .policy.rule userns-watch-itself || return 1
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$id\"" "$T/once.json")" \
		"--once: alerts about the watch's own container" || return 1
	# a process of another container moves itself into the watch's cgroup, then runs a program
	mk_cgroup "/docker/$mover"
	container "/docker/$mover" both -- sh -c "sleep 0.5; for f in $(procs_files "/docker/$id" both | tr "\n" " "); do echo \$\$ > \$f; done; exec $SLEEP 600" || return 1
	mpid=$CPID
	# (the rule allows cgroup moves too: one decided by the cgroup a process is in now would be
	# the watch's, and allowed)
	wait_json ".event == \"cgroup_move\" and .container.id == \"$mover\" and .process.pid == $mpid" 10 >/dev/null || return 1
	# the audit again: the audit counts by cgroup, and a process in the watch's cgroup without
	# its mount namespace (the mover) is no process of the watch's container: the rule does not
	# hold, the row fails
	run_in_cgroup "/docker/$id" both sh -c "exec nsenter -t $uw_pid -m -p -u -i -n -- $UW_BIN --once -o json --policy $T/policy.yaml > $T/once.json 2> $T/once.err"
	wait "$LAST_PID"
	assert_eq 1 "$?" "--once's exit status (the mover in the watch's cgroup)" || return 1
	expect -m "the audit's own container, with the mover" "$(json_lines ".event == \"compliance\" and .container.id == \"$id\"" "$T/once.json")" \
		.verdict FAIL '.policy | tojson' null || return 1
	sentinel || return 1
	kill -INT "$uw_pid"
	wait "$uw_unshare"
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$id\"")" "alerts about the watch's own container" &&
	line=$(last_stats) &&
	[ "$(jq -r '.policy.rules[0].allowed' <<<"$line")" -ge 1 ] || { fail "rule userns-watch-itself allowed nothing: $line"; return 1; }
	assert_eq 1 "$(count_json ".event == \"cgroup_move\" and .container.id == \"$mover\" and .process.pid == $mpid and .provenance.moved == true and .destination.id == \"$id\"")" \
		"the mover, reported as its own container's, moved into the watch's" || return 1
	schema_valid "$T/out.json"
}

# A watch on the host (a service) is in no container, whatever cgroup it runs in (a process that
# can write cgroup.procs can move it into its own container's): "self: true" then matches
# nothing, and that container is reported
test_self_rule_on_host_matches_nothing() {
	local atk
	atk=$(rand_id)
	printf 'allow:\n  - name: userns-watch-itself\n    reason: r\n    match:\n      self: true\n' > "$T/policy.yaml"
	mk_cgroup "/docker/$atk"
	run_in_cgroup "/docker/$atk" both "$UW_BIN" -o json --policy "$T/policy.yaml" > "$T/out.json" 2> "$T/err"
	UW_PID=$LAST_PID
	for _ in $(seq 1 300); do grep -q watching "$T/err" && break; sleep 0.05; done
	grep -q watching "$T/err" || { fail "the watch did not start: $(cat "$T/err")"; return 1; }
	container "/docker/$atk" both -- "$SLEEP" 600 || return 1
	wait_json ".event == \"host_userns\" and .container.id == \"$atk\" and .process.pid == $CPID" >/dev/null || return 1
	uw_stop
	line=$(last_stats)
	assert_eq 0 "$(jq '.policy.rules[0].allowed' <<<"$line")" "what the self rule allowed" || return 1
	"$UW_BIN" --once -o json --policy "$T/policy.yaml" > "$T/once.json" 2> "$T/err"
	expect -m "the audit" "$(json_lines ".event == \"compliance\" and .container.id == \"$atk\"" "$T/once.json")" .verdict FAIL
}
