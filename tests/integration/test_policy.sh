# shellcheck shell=bash
# --policy FILE: allow rules. An allowed container gives no alert (counted per rule), is written
# at info with --report-allowed, does not fail --once; transitions need the rule to list them;
# an expired rule stops matching and says so once; SIGHUP reloads, keeping the old rules when
# the new file is bad; a bad file at start exits 2 naming line and column.

needs() { requires root btf helper:uw-nstest; }

SLEEP=$(readlink -f "$(command -v sleep)")
NSTEST=$PWD/.output/tests/uw-nstest

# policy_allowing FILE ID [EXTRA-LINES]: one rule allowing the Docker container ID
policy_allowing() {
	printf 'allow:\n  - name: allow-%s\n    reason: "reviewed"\n%s    match:\n      runtime: docker\n      container_id: "%s*"\n' \
		"${2:0:8}" "${3:-}" "${2:0:12}" > "$1"
}

test_policy_allows_and_counts() {
	local good bad line rc
	good=$(rand_id); bad=$(rand_id)
	policy_allowing "$T/p.yaml" "$good"
	uw_start --policy "$T/p.yaml" || return 1
	line=$(wait_json '.event == "policy"') || return 1
	expect -m "policy record" "$line" \
		.action loaded \
		.rules 1 || return 1
	violating "/docker/$bad" || return 1
	mk_cgroup "/docker/$good"
	# a user namespace made in the allowed container is still reported: the rule lists no events
	container "/docker/$good" both -- sh -c "sleep 0.3; exec unshare --user $SLEEP 600" || return 1
	wait_json ".event == \"userns_create\" and .container.id == \"$good\"" >/dev/null || return 1
	sentinel || return 1
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$good\"")" "host_userns records of the allowed container" || return 1
	line=$(stats_now)
	assert_eq "allow-${good:0:8}" "$(jq -r '.policy.rules[0].name' <<<"$line")" "stats rule name" &&
	[ "$(jq -r '.policy.rules[0].allowed' <<<"$line")" -ge 2 ] || { fail "stats allowed: $line"; return 1; }
	uw_stop
	schema_valid || return 1
	# --once: the allowed container alone does not fail the audit
	"$UW_BIN" --once -o json --policy "$T/p.yaml" > "$T/once.json" 2> "$T/err"
	rc=$?
	assert_eq 1 "$rc" "--once exit code (the other container violates)" &&
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$good\"" "$T/once.json")" "--once records of the allowed container"
}

test_policy_report_allowed() {
	local good line
	good=$(rand_id)
	policy_allowing "$T/p.yaml" "$good"
	uw_start --policy "$T/p.yaml" --report-allowed || return 1
	mk_cgroup "/docker/$good"
	container "/docker/$good" both -- "$SLEEP" 600 || return 1
	line=$(wait_json ".event == \"host_userns\" and .container.id == \"$good\" and .process.exe == \"$SLEEP\"") || return 1
	# an allowed alert
	expect "$line" \
		.severity info \
		.policy.rule "allow-${good:0:8}" \
		.policy.reason reviewed || return 1
	uw_stop
	schema_valid || return 1
	# --once with only allowed containers passes
	"$UW_BIN" --once -o json --policy "$T/p.yaml" > "$T/once.json" 2> "$T/err"
	assert_eq 0 "$?" "--once exit code with only an allowed container" &&
	line=$(json_lines '.event == "stats"' "$T/once.json") &&
	assert_eq 0 "$(jq -r .violations <<<"$line")" "--once violations" &&
	[ "$(jq -r .policy.allowed <<<"$line")" -ge 1 ] || { fail "--once policy.allowed: $line"; return 1; }
}

test_policy_expired_and_reload() {
	local good bad line
	good=$(rand_id); bad=$(rand_id)
	policy_allowing "$T/p.yaml" "$good" "    expires: 2020-01-01T00:00:00Z
"
	uw_start --policy "$T/p.yaml" || return 1
	mk_cgroup "/docker/$good"
	container "/docker/$good" both -- "$SLEEP" 600 || return 1
	wait_json ".event == \"host_userns\" and .container.id == \"$good\"" >/dev/null || return 1
	line=$(wait_json '.event == "policy" and .action == "expired"') || return 1
	assert_eq "allow-${good:0:8}" "$(jq -r .rule <<<"$line")" "expired rule" || return 1
	# SIGHUP: a bad file is rejected with its line and column, the rules in force stay
	printf 'allow:\n  - name: x\n    reason: r\n    match: {bad: 1}\n' > "$T/p.yaml"
	kill -HUP "$UW_PID"
	line=$(wait_json '.event == "policy" and .action == "rejected"') || return 1
	[[ $(jq -r .error <<<"$line") == *"p.yaml:4:13: unknown key 'bad' in match"* ]] || { fail "rejected error: $line"; return 1; }
	# a good one replaces them: the other container is now allowed
	policy_allowing "$T/p.yaml" "$bad"
	kill -HUP "$UW_PID"
	line=$(wait_json '.event == "policy" and .action == "reloaded"') || return 1
	assert_eq 1 "$(jq -r .rules <<<"$line")" "rules reloaded" || return 1
	mk_cgroup "/docker/$bad"
	container "/docker/$bad" both -- "$SLEEP" 600 || return 1
	sentinel || return 1
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$bad\"")" "alerts of the container the new rule allows" &&
	assert_eq 1 "$(count_json '.event == "policy" and .action == "expired"')" "expired records (once)" || return 1
	uw_stop
	schema_valid
}

test_policy_bad_file_exit_2() {
	local rc
	printf 'allow:\n  - name: a\n    reason: r\n    match: {runtime: docker}\n  - name: a\n    reason: r\n    match: {runtime: lxc}\n' > "$T/p.yaml"
	"$UW_BIN" --once --policy "$T/p.yaml" > "$T/o" 2> "$T/e"
	rc=$?
	assert_eq 2 "$rc" "exit code" &&
	assert_eq "userns-watch: $T/p.yaml:5:11: rule name 'a' is used twice" "$(cat "$T/e")" "the sentence" &&
	assert_eq 0 "$(wc -c < "$T/o")" "bytes on stdout" || return 1
	"$UW_BIN" --once --policy "$T/none.yaml" > "$T/o" 2> "$T/e"
	assert_eq 2 "$?" "exit code for a missing file" || return 1
	"$UW_BIN" --once --report-allowed > "$T/o" 2> "$T/e"
	assert_eq 2 "$?" "--report-allowed without --policy"
}

# the audit table says ALLOWED, with the rule, for a host-userns container a rule allows
test_policy_audit_table_allowed() {
	local good bad
	good=$(rand_id); bad=$(rand_id)
	policy_allowing "$T/p.yaml" "$good"
	idle_container "/docker/$good" || return 1
	idle_container "/docker/$bad" || return 1
	"$UW_BIN" --once --policy "$T/p.yaml" > "$T/once.txt" 2> "$T/err"
	assert_eq 1 "$?" "--once exit code (one container is not allowed)" || return 1
	grep -Eq "^CIS Docker Benchmark 5\.31 .*: [0-9]+ containers, [1-9][0-9]* FAIL, 1 ALLOWED, [0-9]+ PASS$" "$T/once.txt" ||
		{ fail "summary: $(cat "$T/once.txt")"; return 1; }
	grep -Eq "^ALLOWED +docker +${good:0:12} +- +- +host +2 \(rule allow-${good:0:8}\)$" "$T/once.txt" ||
		{ fail "no ALLOWED row: $(cat "$T/once.txt")"; return 1; }
	grep -Eq "^FAIL +docker +${bad:0:12} +- +- +host +2$" "$T/once.txt" || { fail "no FAIL row: $(cat "$T/once.txt")"; return 1; }
}

# policy_schema_ok FILE: the policy's JSON Schema accepts the YAML file as python3-yaml loads it
# (an unquoted time would be a date there, not the string the schema checks: the example quotes)
policy_schema_ok() {
	/usr/bin/python3 - "$1" <<'PY'
import json, sys, yaml, jsonschema
schema = json.load(open("include/userns-watch-policy.schema.json"))
try:
    doc = yaml.safe_load(open(sys.argv[1]))
    jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())
except Exception as e:
    print(str(e).splitlines()[0], file=sys.stderr)
    sys.exit(1)
PY
}

# the shipped example and the schema agree with the binary: the example is valid for both, and
# each broken policy is refused by both
test_policy_schema_agrees() {
	local i f rc
	policy_schema_ok tools/dist/policy/example.yaml || { fail "the schema refuses tools/dist/policy/example.yaml"; return 1; }
	"$UW_BIN" --once -o json --policy tools/dist/policy/example.yaml > "$T/o" 2> "$T/e"
	rc=$?
	[ "$rc" -le 1 ] || { fail "the binary refuses the example: $(cat "$T/e")"; return 1; }
	assert_eq 2 "$(jq -r 'select(.event == "policy") | .rules' "$T/o")" "rules in the example" || return 1
	local bad=(
		'deny: []'
		$'allow:\n  - reason: r\n    match: {runtime: docker}'
		$'allow:\n  - name: a\n    match: {runtime: docker}'
		$'allow:\n  - name: a\n    reason: r'
		$'allow:\n  - name: a\n    reason: r\n    match: {}'
		$'allow:\n  - name: a\n    reason: r\n    match: {pod: x}'
		$'allow:\n  - name: a\n    reason: r\n    nmae: b\n    match: {runtime: x}'
		$'allow:\n  - name: a\n    reason: r\n    expires: tomorrow\n    match: {runtime: x}'
		$'allow:\n  - name: a\n    reason: r\n    events: [exec]\n    match: {runtime: x}'
		$'allow:\n  - name: ""\n    reason: r\n    match: {runtime: x}'
		$'allow:\n  - name: a\n    reason: r\n    events: []\n    match: {runtime: x}'
		$'allow:\n  - name: a\n    reason: r\n    match: {self: false}'
		$'allow:\n  - name: a\n    reason: r\n    match: {self: "*"}'
	)
	for i in "${!bad[@]}"; do
		f=$T/bad$i.yaml
		printf '%s\n' "${bad[$i]}" > "$f"
		policy_schema_ok "$f" 2>/dev/null && { fail "the schema accepts bad policy $i: ${bad[$i]}"; return 1; }
		"$UW_BIN" --once --policy "$f" > /dev/null 2> "$T/e"
		assert_eq 2 "$?" "the binary's exit code for bad policy $i" || return 1
		grep -q "^userns-watch: $f:[0-9]*:[0-9]*: " "$T/e" || { fail "no FILE:LINE:COLUMN for bad policy $i: $(cat "$T/e")"; return 1; }
	done
}

# --check-policy: a policy checked as the watch reads it, by a user with neither root nor BPF;
# the first error as FILE:LINE:COLUMN, exit 2
test_check_policy() {
	local rc
	cp tools/dist/policy/example.yaml "$T/ok.yaml"
	printf 'allow:\n  - name: a\n    reason: r\n    match: {pod: x}\n' > "$T/bad.yaml"
	chmod 755 "$T"
	chmod 644 "$T/ok.yaml" "$T/bad.yaml"
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$UW_REAL_BIN" --check-policy "$T/ok.yaml" > "$T/o" 2> "$T/e"; rc=$?
	assert_eq 0 "$rc" "exit code for the shipped example" &&
	assert_eq "$T/ok.yaml: valid, 2 rules" "$(cat "$T/o")" "what it says" &&
	[ ! -s "$T/e" ] || { fail "stderr: $(cat "$T/e")"; return 1; }
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$UW_REAL_BIN" --check-policy "$T/bad.yaml" > "$T/o" 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "exit code for a broken policy" || return 1
	grep -Eq "^userns-watch: $T/bad.yaml:4:[0-9]+: " "$T/e" || { fail "no FILE:LINE:COLUMN: $(cat "$T/e")"; return 1; }
	[ ! -s "$T/o" ] || { fail "stdout for a broken policy: $(cat "$T/o")"; return 1; }
	"$UW_REAL_BIN" --check-policy "$T/none.yaml" > /dev/null 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "exit code for a missing file" || return 1
	"$UW_REAL_BIN" --check-policy "$T/ok.yaml" --once > /dev/null 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "--check-policy with --once" || return 1
}

# The watch follows its policy file without SIGHUP: an edit in place, a bad edit (rejected,
# the rules kept), and a Kubernetes ConfigMap's update (a new timestamped directory, then the
# "..data" symlink renamed over the old one, the old directory removed); a change to another
# file of the directory reads nothing
test_policy_follows_its_file() {
	local a b c line cm
	a=$(rand_id) b=$(rand_id) c=$(rand_id)
	cm=$T/configmap
	mkdir -p "$cm/..2026_12_05_08_00_00.1"
	policy_allowing "$cm/..2026_12_05_08_00_00.1/policy.yaml" "$a"
	ln -s ..2026_12_05_08_00_00.1 "$cm/..data"
	ln -s ..data/policy.yaml "$cm/policy.yaml"
	uw_start --policy "$cm/policy.yaml" || return 1
	wait_json '.event == "policy" and .action == "loaded"' > /dev/null || return 1
	# the ConfigMap's update, as the kubelet makes it
	mkdir "$cm/..2026_12_05_08_01_00.2"
	policy_allowing "$cm/..2026_12_05_08_01_00.2/policy.yaml" "$b"
	ln -s ..2026_12_05_08_01_00.2 "$cm/..data_tmp"
	mv -T "$cm/..data_tmp" "$cm/..data"
	rm -rf "$cm/..2026_12_05_08_00_00.1"
	line=$(wait_json '.event == "policy" and .action == "reloaded"' 5) || return 1
	expect -m "ConfigMap update" "$line" .trigger file .rules 1 .file "$cm/policy.yaml" || return 1
	# the new rule is in force: b is quiet, a (no longer allowed) is not
	mk_cgroup "/docker/$b"
	container "/docker/$b" both -- "$SLEEP" 600 || return 1
	violating "/docker/$a" || return 1
	sentinel || return 1
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$b\"")" "alerts of the container the new rule allows" || return 1
	# another file of the directory: nothing read
	echo x > "$cm/unrelated"
	nap 0.6
	assert_eq 2 "$(count_json '.event == "policy"')" "policy records after an unrelated file changed" || return 1
	# a bad edit, in the ConfigMap's current directory (through the symlinks): rejected, the
	# rules in force stay
	printf 'allow:\n  - name: x\n    reason: r\n    match: {bad: 1}\n' > "$cm/..2026_12_05_08_01_00.2/policy.yaml"
	line=$(wait_json '.event == "policy" and .action == "rejected"' 5) || return 1
	expect -m "bad edit" "$line" .trigger file .rules 1 || return 1
	[[ $(jq -r .error <<<"$line") == *"policy.yaml:4:13: unknown key 'bad' in match"* ]] || { fail "rejected error: $line"; return 1; }
	mk_cgroup "/docker/$c"
	# an edit in place that allows c too: read, and c is quiet
	printf 'allow:\n  - name: both\n    reason: "reviewed"\n    match:\n      runtime: docker\n      container_id: "%s*"\n  - name: c\n    reason: "reviewed"\n    match:\n      container_id: "%s"\n' \
		"${b:0:12}" "$c" > "$cm/..2026_12_05_08_01_00.2/policy.yaml"
	line=$(wait_json '.event == "policy" and .action == "reloaded" and .rules == 2' 5) || return 1
	container "/docker/$c" both -- "$SLEEP" 600 || return 1
	sentinel || return 1
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$c\"")" "alerts of the container the edited rule allows" &&
	assert_eq 1 "$(count_json '.event == "policy" and .action == "reloaded" and .rules == 2')" "one reload for one edit" || return 1
	# a FIFO renamed over the file: refused, never waited on (the watch goes on)
	mkfifo "$cm/..2026_12_05_08_01_00.2/fifo"
	mv -f "$cm/..2026_12_05_08_01_00.2/fifo" "$cm/..2026_12_05_08_01_00.2/policy.yaml"
	line=$(wait_json '.event == "policy" and .action == "rejected" and (.error | test("not a regular file"))' 5) || return 1
	sentinel || return 1
	# a directory that never stops changing still has its policy read (within a second)
	( for _ in $(seq 1 300); do echo x > "$cm/busy"; sleep 0.05; done ) &
	STARTED_PIDS+=("$!")
	policy_allowing "$cm/..2026_12_05_08_01_00.2/p.new" "$b"
	mv -f "$cm/..2026_12_05_08_01_00.2/p.new" "$cm/..2026_12_05_08_01_00.2/policy.yaml"
	wait_json '.event == "policy" and .action == "reloaded" and .rules == 1' 3 >/dev/null || return 1
	uw_stop
	schema_valid
}

# A policy directory replaced by another of its name (moved away, made again): the new one's
# file is read, and followed
test_policy_directory_replaced() {
	local d=$T/pd line
	mkdir -p "$d"
	printf 'allow:\n  - name: one\n    reason: r\n    match: {runtime: docker}\n' > "$d/policy.yaml"
	uw_start --policy "$d/policy.yaml" || return 1
	wait_json '.event == "policy" and .action == "loaded"' > /dev/null || return 1
	mv "$d" "$T/pd.old"
	nap 0.3
	mkdir "$d"
	printf 'allow:\n  - name: one\n    reason: r\n    match: {runtime: docker}\n  - name: two\n    reason: r\n    match: {runtime: lxc}\n' > "$d/policy.yaml"
	line=$(wait_json '.event == "policy" and .action == "reloaded"' 5) || return 1
	expect "$line" .rules 2 .trigger file || return 1
	printf 'allow:\n  - name: three\n    reason: r\n    match: {runtime: podman}\n' > "$d/policy.yaml"
	line=$(wait_json '.event == "policy" and .action == "reloaded" and .rules == 1' 5) || return 1
	uw_stop
}
