# shellcheck shell=bash
# Integration tests for who userns-watch says it is: the records' "host" is the node's name
# (--host-name, else NODE_NAME, else the host's own hostname read from the host's UTS namespace),
# never a sidecar's own hostname.

needs_root_bpf() {
	[ "$(id -u)" -eq 0 ] || { SKIP_REASON="not root"; return 1; }
	[ -r /sys/kernel/btf/vmlinux ] || { SKIP_REASON="no kernel BTF"; return 1; }
	command -v jq >/dev/null || { SKIP_REASON="no jq"; return 1; }
}

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
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- "$SLEEP" 30 || return 1
	sleep 0.3
	once_in_uts "sidecar-$RANDOM" --
	assert_eq 1 "$ONCE_RC" "--once exit code" || { cat "$T/once.err" >&2; return 1; }
	line=$(jq -c "select(.event == \"host_userns\" and .process.pid == $CPID)" "$T/once.json")
	assert_eq "$id" "$(jq -r .container.id <<<"$line")" "container.id" &&
	assert_eq "$want" "$(jq -r .host <<<"$line")" "alert host (the host's UTS hostname)" &&
	assert_eq "$want" "$(jq -r 'select(.event == "stats") | .host' "$T/once.json")" "stats host" &&
	assert_eq host_uts "$(jq -r 'select(.event == "stats") | .host_name_source' "$T/once.json")" "host_name_source" &&
	assert_eq 0 "$(jq -c "select(.host != \"$want\")" "$T/once.json" | wc -l)" "records naming another host" ||
		return 1
	schema_valid "$T/once.json"
}

# NODE_NAME (the Downward API's usual name) comes before the hostname; --host-name before both
test_host_name_env_and_option() {
	local id line
	id=$(rand_id)
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- "$SLEEP" 30 || return 1
	sleep 0.3
	once_in_uts "sidecar-$RANDOM" NODE_NAME=node-a.example --
	assert_eq 1 "$ONCE_RC" "--once exit code" || { cat "$T/once.err" >&2; return 1; }
	line=$(jq -c "select(.event == \"host_userns\" and .process.pid == $CPID)" "$T/once.json")
	assert_eq node-a.example "$(jq -r .host <<<"$line")" "host from NODE_NAME" &&
	assert_eq NODE_NAME "$(jq -r 'select(.event == "stats") | .host_name_source' "$T/once.json")" "host_name_source" ||
		return 1
	once_in_uts "sidecar-$RANDOM" NODE_NAME=node-a.example -- --host-name worker-7
	assert_eq 1 "$ONCE_RC" "--once exit code" || { cat "$T/once.err" >&2; return 1; }
	line=$(jq -c "select(.event == \"host_userns\" and .process.pid == $CPID)" "$T/once.json")
	assert_eq worker-7 "$(jq -r .host <<<"$line")" "host from --host-name" &&
	assert_eq option "$(jq -r 'select(.event == "stats") | .host_name_source' "$T/once.json")" "host_name_source" &&
	assert_eq 0 "$(jq -c 'select(.host != "worker-7")' "$T/once.json" | wc -l)" "records naming another host"
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
