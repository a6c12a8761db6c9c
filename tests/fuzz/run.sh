#!/usr/bin/env bash
# make fuzz: runs each libFuzzer harness given for FUZZ_SECONDS (default 60), FUZZ_JOBS at a
# time (default: the number of CPUs), each from a working corpus in .output/fuzz/corpus/<name>
# seeded from tests/fuzz/corpus/<name> (the repository's seeds are never written). Prints one
# row per harness (executions, executions per second, coverage, corpus) and a summary line;
# exits 1 when any harness found something (its reproducer is in .output/fuzz/artifacts/<name>,
# its log in .output/fuzz/logs/<name>.log).
# FUZZ_REPORT=FILE also writes the rows as a Markdown table.
set -u
cd "$(dirname "$0")/../.."
SECS=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-$(nproc)}
W=$PWD/.output/fuzz
L=$W/logs # apart from the harnesses, so that .output/fuzz/fuzz_* names only them
[ $# -gt 0 ] || { echo "usage: tests/fuzz/run.sh HARNESS..."; exit 2; }

run_one() { # BINARY
	local bin=$1 name corpus art
	name=$(basename "$bin")
	corpus=$W/corpus/$name
	art=$W/artifacts/$name
	mkdir -p "$corpus" "$art"
	[ -d "tests/fuzz/corpus/$name" ] && cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
	# -timeout: an input taking 10 s is a finding too; -rss_limit_mb: so is 2 GiB
	(cd "$W" && "$bin" -max_total_time="$SECS" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$art/" "$corpus") > "$L/$name.log" 2>&1
	echo $? > "$L/$name.rc"
}

mkdir -p "$L"
rm -f "$L"/*.rc
running=0
for bin in "$@"; do
	run_one "$(readlink -f "$bin")" &
	running=$((running + 1))
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

total=0 findings=0 rows=""
printf '%-18s %14s %10s %8s %8s  %s\n' harness executions "exec/s" cov corpus result
for bin in "$@"; do
	name=$(basename "$bin")
	log=$L/$name.log
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | awk '{print $2}')
	corp=$(find "$W/corpus/$name" -type f | wc -l)
	rc=$(cat "$L/$name.rc" 2>/dev/null || echo 1)
	result=ok
	if [ "$rc" != 0 ] || [ -n "$(ls -A "$W/artifacts/$name" 2>/dev/null)" ]; then
		result="FINDING (see $log, $W/artifacts/$name)"
		findings=$((findings + 1))
	fi
	runs=${runs:-0}
	total=$((total + runs))
	printf '%-18s %14s %10s %8s %8s  %s\n' "$name" "$runs" "${eps:-0}" "${cov:-0}" "$corp" "$result"
	rows+="| \`$name\` | $runs | ${eps:-0} | ${cov:-0} | $corp | $result |"$'\n'
	if [ "$result" != ok ]; then
		grep -m 5 -E 'ERROR|invariant|SUMMARY|Test unit written' "$log" | sed 's/^/    /'
	fi
done
if [ -n "${FUZZ_REPORT:-}" ]; then
	{
		echo "| harness | executions | exec/s | coverage (edges) | corpus | result |"
		echo "| --- | --- | --- | --- | --- | --- |"
		printf '%s' "$rows"
	} > "$FUZZ_REPORT"
fi
echo "fuzz: $# harnesses, ${SECS}s each, $total executions, $findings with findings"
[ "$findings" -eq 0 ]
