# shellcheck shell=bash
# The JSON-lines helpers of lib.sh the other tests assert with: each must be exactly as strict
# as the jq call it stands for (expect as `jq -r` on a scalar and, with `| tojson`, as `jq` and
# `jq -c`), so that a test written with them passes and fails where the jq form would.

needs() { requires cmd:jq py:jsonschema=python3-jsonschema; }

LINE='{"s":"a b","n":4026531837,"big":18446744073709551615,"z":null,"t":true,"f":false,"e":"","q":"1","a":["x","y"],"o":{"k":1},"u":"\u00ff"}'

# expect_fails ARGS...: expect with these arguments must fail (its message is not shown)
expect_fails() { ! expect "$@" 2>/dev/null || { fail "expect $* passed"; return 1; }; }

test_lib_expect_as_jq() {
	local f
	# what jq -r prints for each scalar, and jq -c for an array or object
	for f in .s .n .big .z .t .f .e .q .u .missing; do
		expect "$LINE" "$f" "$(jq -r "$f" <<<"$LINE")" || return 1
	done
	for f in .a .o; do
		expect "$LINE" "$f | tojson" "$(jq -c "$f" <<<"$LINE")" || return 1
	done
	for f in .n .big .q .z .t .e .u; do
		expect "$LINE" "$f | tojson" "$(jq "$f" <<<"$LINE")" || return 1
	done
	expect -m what "$LINE" .s "a b" .n 4026531837 .z null .t true .e "" '.a | tojson' '["x","y"]' || return 1
	# each of these fails, the first pair or a later one
	expect_fails "$LINE" .s "a" &&
	expect_fails "$LINE" .s "a b" .n 4026531838 &&
	expect_fails "$LINE" .s "a b" .z "" &&
	expect_fails "$LINE" .missing "" &&
	# a string that looks like a number, with | tojson, is not the number
	expect_fails "$LINE" '.q | tojson' 1 &&
	# a filter with two values or none, a line that is not one JSON value, odd arguments
	expect_fails "$LINE" '.a[]' x &&
	expect_fails "$LINE" 'empty' "" &&
	expect_fails "" .s "a b" &&
	expect_fails "$LINE"$'\n'"$LINE" .s "a b" &&
	expect_fails "$LINE" .s &&
	expect_fails "$LINE" || return 1
	# the failure names the filter, after WHAT
	assert_eq "    FAIL: stats: n: expected '1', got '4026531837'" "$(expect -m stats "$LINE" .n 1 2>&1)" "expect's message"
}

test_lib_json_lines_count_last_stats() {
	printf '%s\n' '{"event":"stats","reason":"signal","n":1}' '{"event":"host_userns","n":2}' \
		'{"event":"stats","reason":"exit","n":3}' > "$T/out.json"
	printf '%s\n' '{"event":"stats","reason":"once","n":4}' > "$T/once.json"
	assert_eq '{"event":"host_userns","n":2}' "$(json_lines '.event == "host_userns"')" "json_lines" &&
	assert_eq 2 "$(count_json '.event == "stats"')" "count_json" &&
	assert_eq 0 "$(count_json '.event == "self"')" "count_json, none" &&
	assert_eq 1 "$(count_json '.event == "stats"' "$T/once.json")" "count_json FILE" &&
	assert_eq '{"event":"stats","reason":"exit","n":3}' "$(last_stats)" "last_stats" &&
	assert_eq '{"event":"stats","reason":"once","n":4}' "$(last_stats "$T/once.json")" "last_stats FILE"
}

# schema_valid asks the run's validator (validate_schema.py --serve, started by tests/run.sh):
# it answers what the script run on the file prints, with its exit status
test_lib_schema_validator_answers_as_the_script() {
	local file direct rc
	[ -n "${UW_RUN_DIR:-}" ] || { fail "tests/run.sh started no validator"; return 1; }
	printf '%s\n' '{"event":"bogus"}' 'not json' '{"ts":1}' > "$T/bad.json"
	: > "$T/empty.json"
	for file in "$T/bad.json" "$T/empty.json"; do
		direct=$(/usr/bin/python3 tests/integration/validate_schema.py include/userns-watch.schema.json "$file" 2>&1)
		rc=$?
		schema_ask "$file" || { fail "the run's validator did not answer for $file"; return 1; }
		assert_eq 1 "$rc" "the script's exit status for $file" &&
		assert_eq "$rc" "$SCHEMA_RC" "the validator's exit status for $file" &&
		assert_eq "$direct" "$SCHEMA_OUT" "the validator's lines for $file" || return 1
		! schema_valid "$file" 2>/dev/null || { fail "schema_valid passed $file"; return 1; }
	done
}
