# shellcheck shell=bash
# -o ecs against Elastic's own definitions: real output lines become typed literals of the
# @elastic/ecs package's Ecs type and are compiled with tsc --noEmit --strict, so an unknown
# field or a wrongly typed one fails; the record under userns_watch is checked against
# include/userns-watch.schema.json. The tools (exact versions, tests/ecs/package.json) are
# installed with npm into .output/ecs, the test's own folder, once.

needs() { requires root btf cmd:jq cmd:npm cmd:node=nodejs; }

SLEEP=$(readlink -f "$(command -v sleep)")
ECS_DIR=$PWD/.output/ecs

# ecs_tools: @elastic/ecs and typescript at the versions tests/ecs/package.json names
ecs_tools() {
	if ! cmp -s tests/ecs/package.json "$ECS_DIR/package.json" || [ ! -x "$ECS_DIR/node_modules/.bin/tsc" ]; then
		rm -rf "$ECS_DIR" && mkdir -p "$ECS_DIR" && cp tests/ecs/package.json "$ECS_DIR/" &&
			(cd "$ECS_DIR" && timeout 600 npm install --no-package-lock --no-audit --no-fund --loglevel=error) \
				> "$T/npm.log" 2>&1 || { rm -rf "$ECS_DIR"; fail "npm install: $(tail -5 "$T/npm.log")"; return 1; }
	fi
	mkdir -p "$ECS_DIR/checks"
}

# tsc_check NAME FILE: every line of FILE as a literal of type Doc; prints tsc's complaints
tsc_check() {
	local ts=$ECS_DIR/checks/$1.ts n=0 line
	{
		echo "import type { Ecs } from '@elastic/ecs';"
		echo "type Doc = Ecs & { userns_watch: Record<string, unknown> };"
		while IFS= read -r line; do
			n=$((n + 1))
			echo "export const r$n: Doc = $line;"
		done < "$2"
	} > "$ts"
	(cd "$ECS_DIR" && node_modules/.bin/tsc --noEmit --strict --skipLibCheck --target es2020 \
		--module commonjs --moduleResolution node "checks/$1.ts")
}

test_ecs_conforms() {
	local id out line
	ecs_tools || return 1
	printf 'allow:\n  - name: nothing\n    reason: "a rule that matches no container"\n    match:\n      container_id: "none*"\n' > "$T/policy.yaml"
	uw_start -o ecs --max-alerts 2 --policy "$T/policy.yaml" --host-name uw-node-ecs || return 1
	id=$(rand_id)
	mk_cgroup "/docker/$id" both
	# an exec and a fork (host_userns), a user namespace created inside (userns_create), and
	# programs past the budget (alert_limit)
	container "/docker/$id" both -- sh -c "sleep 0.3; /bin/true; $(command -v env) true; $(command -v nice) true; exec unshare --user $SLEEP 600" || return 1
	wait_json ".userns_watch.event == \"userns_create\"" 15 >/dev/null &&
	wait_json ".userns_watch.event == \"alert_limit\"" 15 >/dev/null || return 1
	stats_now >/dev/null
	uw_stop
	assert_eq 0 "$UW_RC" "exit code" || return 1
	# the kinds of record the check covers
	assert_eq "alert_limit host_userns policy self stats userns_create" \
		"$(jq -r .userns_watch.event "$T/out.json" | sort -u | tr '\n' ' ' | sed 's/ $//')" "records written" || return 1
	out=$(tsc_check real "$T/out.json" 2>&1) || { fail "tsc on real output: $out"; return 1; }
	# the record inside is the userns-watch record, valid against its own schema
	jq -c .userns_watch "$T/out.json" > "$T/inner.json" && schema_valid "$T/inner.json" || return 1
	# what ECS says of an alert
	line=$(jq -c 'select(.userns_watch.event == "host_userns" and .userns_watch.source == "exec")' "$T/out.json" | head -n 1)
	assert_eq "8.11.0 alert process start host_userns $id docker uw-node-ecs userns-watch 0" \
		"$(jq -r '"\(.ecs.version) \(.event.kind) \(.event.category[0]) \(.event.type[0]) \(.event.action) \(.container.id) \(.container.runtime) \(.host.name) \(.observer.product) \(.process.user.id)"' <<<"$line")" \
		"ecs.version, event.kind/category/type/action, container, host, observer, process.user.id" &&
	assert_eq "$(jq -r '"\(.userns_watch.ts) \(.userns_watch.id) \(.userns_watch.process.pid) \(.userns_watch.process.ppid) \(.userns_watch.process.exe) \(.userns_watch.rule.id)"' <<<"$line")" \
		"$(jq -r '"\(."@timestamp") \(.event.id) \(.process.pid) \(.process.parent.pid) \(.process.executable) \(.rule.id)"' <<<"$line")" \
		"@timestamp, event.id, process and rule as in the record" &&
	assert_eq "$(jq -r '.userns_watch.process.cap_effective | map(ascii_upcase) | join(",")' <<<"$line")" \
		"$(jq -r '.process.thread.capabilities.effective | join(",")' <<<"$line")" "process.thread.capabilities.effective" &&
	assert_eq "critical 4 99" "$(jq -r '"\(.userns_watch.severity) \(.event.severity) \(.event.risk_score)"' <<<"$line")" "severity, event.severity, risk_score" &&
	assert_eq "change high 3 73" "$(jq -r 'select(.userns_watch.event == "userns_create") | "\(.event.type[0]) \(.userns_watch.severity) \(.event.severity) \(.event.risk_score)"' "$T/out.json")" "userns_create" &&
	assert_eq "event info" "$(jq -r 'select(.userns_watch.event == "self") | "\(.event.kind) \(.event.type[0])"' "$T/out.json")" "self is no alert" &&
	assert_eq "metric host" "$(jq -r 'select(.userns_watch.event == "stats") | "\(.event.kind) \(.event.category[0])"' "$T/out.json" | sort -u)" "stats" &&
	# the ECS version claimed is the one of the definitions checked against
	assert_eq "$(jq -r .ecs.version "$T/out.json" | sort -u)" "$(cd "$ECS_DIR" && node -p "require('@elastic/ecs').EcsVersion")" "the definitions' EcsVersion"
}

# The check can fail: an unknown field and a wrongly typed one are refused by tsc.
test_ecs_check_refuses_wrong_documents() {
	local out
	ecs_tools || return 1
	printf '%s\n' '{"@timestamp":"2026-11-24T00:00:00Z","ecs":{"version":"8.11.0"},"process":{"pid":1,"bogus":2},"userns_watch":{}}' > "$T/unknown.json"
	out=$(tsc_check unknown "$T/unknown.json" 2>&1) && { fail "tsc took an unknown field"; return 1; }
	grep -q "error TS2353: Object literal may only specify known properties, and '\"bogus\"' does not exist in type 'EcsProcess'" <<<"$out" || { fail "tsc: $out"; return 1; }
	printf '%s\n' '{"@timestamp":"2026-11-24T00:00:00Z","ecs":{"version":"8.11.0"},"process":{"user":{"id":0}},"userns_watch":{}}' > "$T/typed.json"
	out=$(tsc_check typed "$T/typed.json" 2>&1) && { fail "tsc took a number for user.id"; return 1; }
	grep -q "error TS2322: Type 'number' is not assignable to type 'string'" <<<"$out" || { fail "tsc: $out"; return 1; }
	printf '%s\n' '{"ecs":{"version":"8.11.0"},"userns_watch":{}}' > "$T/missing.json"
	out=$(tsc_check missing "$T/missing.json" 2>&1) && { fail "tsc took a document without @timestamp"; return 1; }
	grep -q "Property ''@timestamp'' is missing" <<<"$out" || { fail "tsc: $out"; return 1; }
}
