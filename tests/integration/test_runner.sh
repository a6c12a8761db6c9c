# shellcheck shell=bash
# The test runner itself (tests/run.sh) and its probes (lib.sh): a test the running kernel
# cannot run (probed) is counted apart from a skipped one, which CI counts as failed; a probe
# that cannot tell fails the test instead of hiding it.

needs() { :; }

# fake_suite FILE: a test file whose tests end each way the runner knows
fake_suite() {
	cat > "$1" <<'EOF'
needs() { :; }
test_fake_passes() { return 0; }
test_fake_not_applicable() { NA_REASON="this kernel lacks the fake capability"; return 78; }
test_fake_bare_78() { return 78; }
test_fake_skipped() { SKIP_REASON="no fake tool"; return 77; }
EOF
}

# run_fake REGEX: the runner under CI=true on the fake suite's tests matching REGEX; sets OUT, RC
run_fake() {
	OUT=$(CI=true UW_FILES="$T/fake.sh" UW_TESTS="$1" bash tests/run.sh 2>/dev/null)
	RC=$?
}

test_runner_not_applicable_is_not_a_skip() {
	fake_suite "$T/fake.sh"
	run_fake '^test_fake_(passes|not_applicable)$'
	assert_eq 0 "$RC" "exit status (CI=true, one test not applicable)" &&
	assert_eq "TOTAL: 1 passed, 0 failed, 0 skipped, 1 not applicable" "$(tail -n 1 <<<"$OUT")" "summary" &&
	grep -qx "N/A - test_fake_not_applicable # [0-9]*s" <<<"$OUT" || { fail "no N/A line: $OUT"; return 1; }
	grep -qx "  test_fake_not_applicable: this kernel lacks the fake capability" <<<"$OUT" ||
		{ fail "the capability is not named: $OUT"; return 1; }
}

test_runner_skip_and_bare_78_fail_under_ci() {
	fake_suite "$T/fake.sh"
	run_fake '.'
	assert_eq 1 "$RC" "exit status" &&
	assert_eq "TOTAL: 1 passed, 2 failed, 1 skipped, 1 not applicable" "$(tail -n 1 <<<"$OUT")" "summary" &&
	grep -qx "not ok - test_fake_bare_78 # [0-9]*s" <<<"$OUT" || { fail "a 78 without a reason passed as not applicable: $OUT"; return 1; }
	grep -qx "CI runs every test: 1 skipped count as failed" <<<"$OUT" || { fail "the skip was not failed: $OUT"; return 1; }
}

# probe_32bit tells a kernel that refuses 32-bit programs (ENOEXEC at execve, SIGSEGV at the
# first system call) from a helper that is broken
test_probe_32bit_answers() {
	local rc
	case $(uname -m) in x86_64|aarch64) ;; *) SKIP_REASON="no compat table on $(uname -m)"; return 77 ;; esac
	# an ELF header the kernel cannot load: execve fails with ENOEXEC
	printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000\377\377' > "$T/bad-elf"
	chmod +x "$T/bad-elf"
	NA_REASON=""; probe_32bit "$T/bad-elf"; rc=$?
	assert_eq 78 "$rc" "ENOEXEC: not applicable" &&
	[[ $NA_REASON == *"Exec format error"* ]] || { fail "reason: $NA_REASON"; return 1; }
	NA_REASON=""; probe_32bit sh -c 'kill -SEGV $$'; rc=$?
	assert_eq 78 "$rc" "SIGSEGV: not applicable" &&
	[[ $NA_REASON == *SIGSEGV* ]] || { fail "reason: $NA_REASON"; return 1; }
	probe_32bit sh -c 'exit 2' 2>/dev/null; rc=$?
	assert_eq 1 "$rc" "a helper that fails: the test fails" || return 1
	probe_32bit "$T/missing" 2>/dev/null; rc=$?
	assert_eq 1 "$rc" "a helper that is not there: the test fails"
}
