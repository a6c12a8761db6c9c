# shellcheck shell=bash
# The counters are declared once (include/uw_event.h UW_KERNEL_COUNTERS, user/counters.h
# UW_COUNTERS): the stats record, /metrics, the JSON schema and docs/output.md are made from
# those tables. A table row the files do not say yet, or a stats record that says a counter no
# table declares, fails here.

needs() { requires root btf cmd:jq; }

# the table dumper as a plain make builds it, whatever the make running the suite was given
# (make test SANITIZE=1 passes SANITIZE to its children through MAKEFLAGS)
counters_bin() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE make -s --no-print-directory .output/counters > "$T/make.log" 2>&1 ||
		{ fail "make .output/counters: $(tail -3 "$T/make.log")"; return 1; }
}

# the schema's stats counters and docs/output.md's table say what the tables say (make generated)
test_counters_generated_files_current() {
	local out
	counters_bin || return 1
	out=$(/usr/bin/python3 tools/dev/gen-counters.py .output/counters --check 2>&1) ||
		{ fail "$out"; return 1; }
}

# a real stats record (--once, with a policy) has exactly the tables' counters, in their order
test_counters_stats_record_is_the_table() {
	local stats want got
	counters_bin || return 1
	printf 'allow:\n  - name: r\n    reason: test\n    match:\n      runtime: none-such\n' > "$T/policy.yaml"
	"$UW_BIN" --once -o json --policy "$T/policy.yaml" > "$T/out.json" 2> "$T/err"
	stats=$(jq -c 'select(.event == "stats")' "$T/out.json")
	[ -n "$stats" ] || { fail "no stats record"; return 1; }
	# the tables' keys in order: kernel.* first (as the record's "kernel" object comes first)
	want=$(.output/counters | jq -r 'if .table == "kernel" then "kernel." + .key else .key end')
	# the record's counters in order: every number at the top level and in kernel, setup and policy
	got=$(jq -r '[paths(type == "number")] | map(select(length == 1 or (length == 2 and (.[0] == "kernel" or .[0] == "setup" or .[0] == "policy")))) | .[] | join(".")' <<<"$stats" |
		grep -vx 'containers_total\|containers_evicted')
	assert_eq "$want" "$got" "the stats record's counters against the tables"
}
