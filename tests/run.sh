#!/usr/bin/env bash
# Runs the whole suite: the cmocka unit test binaries given as arguments, then every test_*
# function of tests/integration/test_*.sh, each in its own subshell with cleanup.
# Each test's line ends with its time ("# 3s"). Ends with one summary line
# "TOTAL: N passed, N failed, N skipped, N not applicable"; exits 1 if any failed.
# A test ends in one of four ways: passed (0), failed, skipped (77: this machine lacks a tool
# or package, SKIP_REASON) or not applicable (78: a probe showed that the running kernel lacks
# what the test is about, NA_REASON, e.g. a kernel that runs no 32-bit programs; lib.sh
# kernel_has). Under CI=true a skipped test counts as failed: CI must run them all. A test not
# applicable here is not: its capability is named above the summary, and make vmtest runs it
# on kernels that have it (a guest fails when any of its tests is not applicable).
# UW_TESTS=REGEX runs only the integration tests whose names match, UW_EXCLUDE=REGEX leaves out
# those whose names match (not counted); UW_FILES="FILE..." runs only those test files.
set -u
cd "$(dirname "$0")/.."

pass=0 failn=0 skip=0 na=0
failed_names=() na_lines=()

# What the run's tests share (UW_RUN_DIR): one schema validator, asked by lib.sh's schema_valid
# (a python3 start with jsonschema's import costs 2 to 5 s under emulation; a test that finds
# none runs its own), and the kernel's probe, made once (lib.sh's kernel_probe)
UW_RUN_DIR=$(mktemp -d /tmp/uw-run.XXXXXX)
mkfifo "$UW_RUN_DIR/req" "$UW_RUN_DIR/reply"
/usr/bin/python3 tests/integration/validate_schema.py --serve "$UW_RUN_DIR" include/userns-watch.schema.json \
	< /dev/null > /dev/null 2>&1 &
UW_SCHEMA_PID=$!
export UW_RUN_DIR UW_SCHEMA_PID
trap 'kill "$UW_SCHEMA_PID" 2>/dev/null; rm -rf "$UW_RUN_DIR"' EXIT

for bin in "$@"; do
	out=$("$bin" 2>&1)
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' <<<"$out")
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' <<<"$out")
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test(s)/\1/p' <<<"$out")
	p=${p:-0} f=${f:-0} s=${s:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p)) failn=$((failn + f)) skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		echo "not ok - unit $(basename "$bin"): $f failed"
		echo "$out" | sed 's/^/    /'
		failed_names+=("$(basename "$bin")")
	else
		echo "ok - unit $(basename "$bin"): $p passed"
	fi
done

for file in ${UW_FILES:-tests/integration/test_*.sh}; do
	[ -f "$file" ] || continue
	if ! bash -n "$file"; then
		echo "not ok - $file does not parse"; failn=$((failn + 1)); failed_names+=("$file")
		continue
	fi
	na_file=$(mktemp /tmp/uw-na.XXXXXX)
	names=$(bash -c "source tests/integration/lib.sh >/dev/null 2>&1; rm -rf \"\$T\"; source '$file'; declare -F" | awk '$3 ~ /^test_/ {print $3}')
	for t in $names; do
		[[ $t =~ ${UW_TESTS:-.} ]] || continue
		[ -z "${UW_EXCLUDE:-}" ] || [[ ! $t =~ $UW_EXCLUDE ]] || continue
		t0=$SECONDS
		: > "$na_file"
		(
			source tests/integration/lib.sh
			source "$file"
			trap 'cleanup; rm -rf "$T"' EXIT
			SKIP_REASON="" NA_REASON=""
			if declare -F needs >/dev/null && ! needs; then
				echo "SKIP: $t: $SKIP_REASON" >&2
				exit 77
			fi
			"$t"
			rc=$?
			[ "$rc" -eq 77 ] && echo "SKIP: $t: $SKIP_REASON" >&2
			# not applicable only with the probe's reason; a bare 78 is a failure
			if [ "$rc" -eq 78 ] && [ -n "$NA_REASON" ]; then
				echo "N/A: $t: $NA_REASON" >&2
				echo "$t: $NA_REASON" > "$na_file"
			fi
			if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ "$rc" -ne 78 ]; then
				echo "    --- userns-watch stderr:" >&2; sed 's/^/    /' "$T/err" >&2 2>/dev/null
				echo "    --- userns-watch stdout (last 5 lines):" >&2; tail -n 5 "$T/out.json" 2>/dev/null | sed 's/^/    /' >&2
			fi
			exit "$rc"
		)
		rc=$?
		took="# $((SECONDS - t0))s"
		if [ "$rc" -eq 0 ]; then
			echo "ok - $t $took"; pass=$((pass + 1))
		elif [ "$rc" -eq 77 ]; then
			echo "SKIP - $t $took"; skip=$((skip + 1))
		elif [ "$rc" -eq 78 ] && [ -s "$na_file" ]; then
			echo "N/A - $t $took"; na=$((na + 1)); na_lines+=("$(cat "$na_file")")
		else
			echo "not ok - $t $took"; failn=$((failn + 1)); failed_names+=("$t")
		fi
	done
	rm -f "$na_file"
done

if [ "$na" -gt 0 ]; then
	echo "not applicable on this kernel (probed; make vmtest runs them on kernels that have it):"
	printf '  %s\n' "${na_lines[@]}"
fi
if [ "${CI:-}" = "true" ] && [ "$skip" -gt 0 ]; then
	echo "CI runs every test: $skip skipped count as failed"
	failn=$((failn + skip))
fi
[ ${#failed_names[@]} -eq 0 ] || echo "failed: ${failed_names[*]}"
echo "TOTAL: $pass passed, $failn failed, $skip skipped, $na not applicable"
[ "$failn" -eq 0 ]
