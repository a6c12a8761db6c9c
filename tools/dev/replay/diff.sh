#!/usr/bin/env bash
# A change of userspace that must not change what userns-watch writes, proven on real records:
#   tools/dev/replay/diff.sh BASE [SECONDS] [-- SCENARIO...]
# builds the replay tool (tools/dev/replay/replay.c) from commit BASE (in a worktree under
# .output/replay-base) and from the working tree, starts the recorder (record.c: a live watch
# of this build), which hands every kernel record to both builds in lockstep for each output
# configuration below, runs SCENARIO while it records (default: the live, transition and
# adversary integration suites, whose containers, escapes and transitions make the records),
# and diffs each configuration's outputs. The one normalization: the time of the periodic
# alert_limit "ongoing" records, which both builds read from the wall clock when they write
# them. A replay reads /proc as it is when its turn comes: a process that exec'd or exited
# between two replays' turns (a fork followed at once by an exec) is named differently by the
# second. So BASE runs twice, before and after the working tree's build (base, new, base2): the
# new output must equal one of the two, and how much base and base2 differ from each other is
# this machine's own timing noise, printed with the verdict. Exits 0 when every configuration's
# new output is identical to a base output. Root; loads BPF.
set -u
cd "$(dirname "$0")/../../.."
BASE=${1:?usage: diff.sh BASE [SECONDS] [-- SCENARIO...]}
shift
SECS=3600
if [ $# -gt 0 ] && [ "$1" != "--" ]; then SECS=$1; shift; fi
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || set -- env UW_FILES="tests/integration/test_live.sh tests/integration/test_transitions.sh tests/integration/test_adversary.sh" bash tests/run.sh
SCENARIO_CMD=("$@")
W=$PWD/.output/replay-diff
B=$PWD/.output/replay-base
rm -rf "$W" && mkdir -p "$W"

make -s --no-print-directory all helpers replay-tools || exit 2
if [ ! -d "$B" ]; then git worktree add -q --detach "$B" "$BASE" || exit 2; fi
git -C "$B" checkout -q --detach "$BASE" && make -s --no-print-directory -C "$B" replay-tools || exit 2

cat > "$W/policy.yaml" <<'EOF'
allow:
  - name: expired-rule
    reason: "exercises the expired record"
    expires: 2026-01-01T00:00:00Z
    match:
      container_id: "*"
  - name: lxc-and-unknown
    reason: "exercises allowed alerts"
    match:
      runtime: "[lu]*"
    events: [host_userns, escape, userns_create, userns_enter]
EOF
# name: replay options
CONFIGS=(
	"json:json"
	"text:text"
	"text-v:text -v"
	"ecs:ecs"
	"ocsf:ocsf"
	"json-policy:json --policy $W/policy.yaml --report-allowed --host-transitions --max-alerts 3 --report-interval 2"
	"text-policy:text -v --policy $W/policy.yaml --max-alerts 2 --report-interval 2"
)
: > "$W/cmds"
for c in "${CONFIGS[@]}"; do
	name=${c%%:*} opts=${c#*:}
	set -- $opts
	fmt=$1; shift
	echo "$B/.output/replay/replay $fmt $W/$name.base SELF_PID $*" >> "$W/cmds"
	echo "$PWD/.output/replay/replay $fmt $W/$name.new SELF_PID $*" >> "$W/cmds"
	echo "$B/.output/replay/replay $fmt $W/$name.base2 SELF_PID $*" >> "$W/cmds"
done

.output/replay/record "$SECS" "$W/cmds" 2> "$W/record.err" &
rec=$!
for _ in $(seq 1 600); do grep -q recording "$W/record.err" && break; kill -0 "$rec" 2>/dev/null || break; sleep 0.1; done
grep -q recording "$W/record.err" || { cat "$W/record.err"; exit 2; }
echo "replay-diff: recording; scenario: ${SCENARIO_CMD[*]}"
"${SCENARIO_CMD[@]}" > "$W/scenario.log" 2>&1
echo "replay-diff: scenario ended: $(tail -n 1 "$W/scenario.log")"
kill -INT "$rec"
wait "$rec"
cat "$W/record.err"

normal() { # the wall-clock time of periodic alert_limit records
	sed -E '/"phase":"ongoing"|ALERT-LIMIT ongoing/ s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/<ongoing-time>/g' "$1"
}
fail=0
for c in "${CONFIGS[@]}"; do
	name=${c%%:*}
	noise=$(diff <(normal "$W/$name.base") <(normal "$W/$name.base2") | grep -c '^<')
	lines="$(wc -l < "$W/$name.new") lines, $(grep -c '"event":"\(host_userns\|escape\|userns_create\|userns_enter\)"\|HOST-USERNS\|ESCAPE\|USERNS-' "$W/$name.new") alerts; base and base2 differ in $noise"
	if diff -q <(normal "$W/$name.base") <(normal "$W/$name.new") > /dev/null ||
	   diff -q <(normal "$W/$name.base2") <(normal "$W/$name.new") > /dev/null; then
		echo "identical  $name: $lines"
	else
		diff <(normal "$W/$name.base") <(normal "$W/$name.new") > "$W/$name.diff"
		echo "DIFFERENT  $name: $(grep -c '^[<>]' "$W/$name.diff") lines differ from base ($W/$name.diff), $lines"
		fail=1
	fi
done
exit "$fail"
