# shellcheck shell=bash
# The pinned kernel side (user/pin.h): it outlives the watch (killed, stopped, replaced), keeps
# recording, and the next watch reports what it kept, in order and once, after a gap record.
# Every test pins in a BPF filesystem of its own (pin_fs), unmounted at the cleanup: whatever a
# test leaves pinned goes with it.

needs() { requires root btf cmd:unshare cmd:jq cmd:bpftool; }

# pin_fs: a BPF filesystem of the test's own at $T/bpffs; PIN is the watch's directory there
pin_fs() {
	mkdir -p "$T/bpffs"
	mount -t bpf bpf "$T/bpffs" || { fail "cannot mount a BPF filesystem"; return 1; }
	CLEANUP_CMDS=("umount -l '$T/bpffs'" "${CLEANUP_CMDS[@]}")
	PIN=$T/bpffs/uw
}

# pstart [options]: the real watch, pinned in PIN, its JSON lines in $T/out.json (waits until
# it is watching, as uw_start); the previous watch's lines, if any, are kept as $T/out1.json
pstart() {
	[ -s "$T/out.json" ] && mv "$T/out.json" "$T/out1.json"
	UW_BIN=$UW_REAL_BIN uw_start --pin-dir "$PIN" "$@"
}

kill_watch_hard() { kill -KILL "$UW_PID"; wait "$UW_PID" 2>/dev/null; UW_PID=""; }

# pinned_prog_ids: the programs of the links pinned now
pinned_prog_ids() {
	local l
	for l in "$PIN"/links-*/*; do
		[ -e "$l" ] && bpftool link show pinned "$l" -j | jq -r .prog_id
	done
}

# lines_of OUT FILTER: the line numbers of OUT's records that FILTER selects
lines_of() { jq -r "select($2) | input_line_number" "$1"; }

# (1) killed: a burst of violations and an escape while no watch runs are all reported by the
# next one, each once and in order, after one gap record that says the watch did not stop
# cleanly and how many records the kernel kept
test_pin_kill_restart_reports_all() {
	local id esc n=20 i last=0 ln got kept before_self ids epid
	pin_fs || return 1
	id=$(rand_id)
	copies "$(type -P true)" "$n" "$T/burst/p"
	esc=$(prog escprog)
	pstart || return 1
	kill -USR1 "$UW_PID"
	assert_eq new "$(wait_json '.event == "stats"' | jq -r .pinning)" "stats.pinning at the first start" || return 1
	ids=$(pinned_prog_ids)
	[ -n "$ids" ] || { fail "no links pinned in $PIN"; return 1; }
	kill_watch_hard
	# the hooks run on with no reader: a container's programs and an escape, meanwhile
	hostpid_container "/docker/$id" sh -c "for i in \$(seq 1 $n); do $T/burst/p\$i; done; exec nsenter -t $BASHPID -m -u -i -n -- $esc 600" || return 1
	until_exe "$CPID" "$esc" || return 1
	epid=$CPID
	# setns calls are merged for UW_SETNS_SETTLE_NS (250 ms, user/setns.h) before they are
	# judged: settled by the restart, the escape is judged with the records kept, before the
	# snapshot (one still in its window is judged by the loop, as in a running watch)
	nap 0.5
	pstart || return 1
	sentinel || return 1
	# the gap record first: the previous watch was killed (no clean stop), nothing lost
	expect "$(head -n 1 "$T/out.json")" \
		.event gap \
		.how adopted \
		.severity medium \
		.pin_dir "$PIN" \
		.previous.stopped null \
		.lost 0 \
		.unread 0 || return 1
	kept=$(head -n 1 "$T/out.json" | jq .kept)
	# every program of the burst, once, in the order it ran, all before the snapshot, each its
	# container's (one jq for all: under emulation each costs most of a second)
	local -A at=() cid=()
	local l e c
	while read -r l e c; do
		[ -z "${at[$e]:-}" ] || { fail "$e reported twice (lines ${at[$e]} and $l)"; return 1; }
		at[$e]=$l cid[$e]=$c
	done < <(jq -r --arg d "$T/burst/" 'select(.event == "host_userns" and (.process.exe | startswith($d))) | "\(input_line_number) \(.process.exe) \(.container.id)"' "$T/out.json")
	for ((i = 1; i <= n; i++)); do
		got=${at[$T/burst/p$i]:-}
		[ -n "$got" ] || { fail "p$i not reported"; return 1; }
		[ "$got" -gt "$last" ] || { fail "p$i (line $got) after p$((i - 1)) (line $last)"; return 1; }
		last=$got
		assert_eq "$id" "${cid[$T/burst/p$i]}" "p$i's container" || return 1
	done
	assert_eq 1 "$(count_json ".event == \"escape\" and .process.pid == $epid" "$T/out.json")" "the escape, once" || return 1
	ln=$(lines_of "$T/out.json" ".event == \"escape\" and .process.pid == $epid")
	before_self=$(lines_of "$T/out.json" '.event == "self"')
	[ "$ln" -gt "$last" ] && [ "$ln" -lt "$before_self" ] || { fail "the escape (line $ln) not between the burst ($last) and the snapshot ($before_self)"; return 1; }
	# kept: every record the kernel handed over before the snapshot (the container's shell, the
	# burst, nsenter's exec and its escape)
	[ "$kept" -ge $((n + 2)) ] || { fail "kept $kept (want at least $((n + 2)))"; return 1; }
	assert_eq 0 "$(count_json '.event == "gap"' "$T/out1.json")" "a gap record at the first start" || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit status" || return 1
	schema_valid || return 1
	# --unpin: the hooks detach, the directory goes
	"$UW_REAL_BIN" --unpin --pin-dir "$PIN" 2> "$T/unpin.err" || { fail "--unpin: $(cat "$T/unpin.err")"; return 1; }
	[ ! -e "$PIN" ] || { fail "$PIN left after --unpin"; return 1; }
	# shellcheck disable=SC2086
	programs_gone $ids
}

# (1a) the attacker's order: escape (nsenter into the host's namespaces), then kill the watch at
# once, while the escape's setns calls are read but still being merged (250 ms,
# user/setns.h). The journal of sequences being merged outlives the watch: the next one reports
# the escape, once
test_pin_escape_then_kill_reported() {
	local id esc epid c1 c2
	pin_fs || return 1
	id=$(rand_id)
	esc=$(prog escprog)
	pstart || return 1
	hostpid_container "/docker/$id" sh -c "sleep 0.3; exec nsenter -t $BASHPID -m -u -i -n -- $esc 600" || return 1
	epid=$CPID
	until_exe "$epid" "$esc" || return 1
	kill_watch_hard
	pstart || return 1
	wait_json ".event == \"escape\" and .process.pid == $epid" > /dev/null || return 1
	c1=$(count_json ".event == \"escape\" and .process.pid == $epid" "$T/out1.json")
	c2=$(count_json ".event == \"escape\" and .process.pid == $epid")
	assert_eq 1 "$((c1 + c2))" "escape records (killed watch $c1, next one $c2)" || return 1
	expect "$(cat "$T/out1.json" "$T/out.json" | jq -c "select(.event == \"escape\" and .process.pid == $epid)" | head -n 1)" \
		.container.id "$id" .source setns '.escape.namespaces | tojson' '["mnt","net","uts","ipc"]' || return 1
	uw_stop
	schema_valid
}

# (1b) the ring buffer fills while no watch reads it: what the kernel dropped is counted per CPU,
# and the next watch's gap record says how many (medium), beside the records it kept
test_pin_ring_full_while_down_counted() {
	local id n=40 line kept lost sum
	pin_fs || return 1
	id=$(rand_id)
	copies "$(type -P true)" "$n" "$T/burst/p"
	pstart --ringbuf-kib 4 || return 1
	kill_watch_hard
	hostpid_container "/docker/$id" sh -c "for i in \$(seq 1 $n); do $T/burst/p\$i; done; exec sleep 600" || return 1
	until_exe "$CPID" "$(readlink -f "$(command -v sleep)")" || return 1
	pstart --ringbuf-kib 4 || return 1
	line=$(head -n 1 "$T/out.json")
	expect "$line" .event gap .severity medium '.previous.stopped' null || return 1
	kept=$(jq .kept <<<"$line") lost=$(jq .lost <<<"$line") sum=$(jq '.lost_per_cpu | add' <<<"$line")
	[ "$lost" -gt 0 ] || { fail "nothing lost with $n programs into a 4 KiB ring: $line"; return 1; }
	assert_eq "$lost" "$sum" "lost_per_cpu adds up to lost" || return 1
	# every record the container's programs made was kept or lost: its shell, seq, the n
	# programs, sleep
	[ $((kept + lost)) -ge $((n + 3)) ] || { fail "kept $kept + lost $lost < $((n + 3))"; return 1; }
	# the kept ones are written, each once
	assert_eq "$kept" "$(count_json ".container.id == \"$id\" and .source == \"exec\"")" "records kept and written" || return 1
	uw_stop
	schema_valid
}

# (2) a clean stop, then a start: the gap record says so (info), with the stop's time
test_pin_clean_stop_gap_info() {
	pin_fs || return 1
	pstart || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit status" || return 1
	said "$T/err" "stays pinned in $PIN" || { fail "no word of the pins at the stop: $(cat "$T/err")"; return 1; }
	# another ring buffer size asked for: the kept one stays, and that is said
	pstart --ringbuf-kib 1024 || return 1
	said "$T/err" "the pinned ring buffer is 4096 KiB, kept: --ringbuf-kib 1024 takes effect after userns-watch --unpin" ||
		{ fail "no word of the kept ring buffer: $(cat "$T/err")"; return 1; }
	expect "$(head -n 1 "$T/out.json")" \
		.event gap \
		.how adopted \
		.severity info \
		.kept 0 \
		'.previous.stopped != null' true \
		'.previous.pid > 0' true || return 1
	uw_stop
	# one watch per directory: a second one is refused while the first runs
	pstart || return 1
	"$UW_REAL_BIN" -o json --pin-dir "$PIN" > /dev/null 2> "$T/err2"
	assert_eq 2 "$?" "a second watch on the same directory" || return 1
	said "$T/err2" "another userns-watch uses the pins" || { fail "message: $(cat "$T/err2")"; return 1; }
	# and --unpin too, while a watch holds it
	"$UW_REAL_BIN" --unpin --pin-dir "$PIN" 2> "$T/err3"
	assert_eq 2 "$?" "--unpin while a watch runs" || return 1
	[ -e "$PIN/meta" ] || { fail "--unpin removed what a running watch holds"; return 1; }
	uw_stop
}

# (3) a process that moves itself into another container's cgroup while no watch runs is still
# its own container's at the next start (the kernel kept its origin; the snapshot does not
# decide it again from where the process is now)
test_pin_origin_kept_across_restart() {
	local a b line
	pin_fs || return 1
	a=$(rand_id)
	b=$(rand_id)
	mk_cgroup "/docker/$b"
	pstart || return 1
	violating "/docker/$a" || return 1
	kill_watch_hard
	# the whole container moves itself into b's cgroup (it is root on the host): its launcher
	# first, then its program, so that no process of it is left where it was
	local f p
	for p in "$UPID" "$CPID"; do
		while read -r f; do echo "$p" > "$f" || { fail "cannot move $p to $f"; return 1; }; done < <(procs_files "/docker/$b")
	done
	pstart || return 1
	line=$(json_lines ".source == \"snapshot\" and .process.pid == $CPID" "$T/out.json" | head -n 1)
	[ -n "$line" ] || { fail "no snapshot record of $CPID"; return 1; }
	expect "$line" \
		.container.id "$a" \
		.cgroup.path "/docker/$b" || return 1
	line=$(json_lines ".source == \"snapshot\" and .process.pid == $UPID" "$T/out.json" | head -n 1)
	expect "$line" .container.id "$a" || return 1
	uw_stop
}

# (4) a new build replaces the pinned one under load: its hooks attach beside the old ones and
# take over at one store, so every program of a steady stream is reported once, by one watch or
# the other, and the old programs are gone. The new build is make test's variant binary (the
# same sources, another BPF object: the Makefile's VARIANT_BIN, UW_VARIANT_BIN); where it was
# not built (the vmtest guests carry one binary), the same binary with another configuration,
# which also makes other programs and another build digest
test_pin_replace_under_load() {
	local id n=60 i c1 c2 old_ids new_ids
	pin_fs || return 1
	id=$(rand_id)
	copies "$(type -P true)" "$n" "$T/load/p"
	# flood control (32 alerts per container and kind) would hide most of the load
	pstart --max-alerts 1000 || return 1
	old_ids=$(pinned_prog_ids)
	hostpid_container "/docker/$id" sh -c "for i in \$(seq 1 $n); do $T/load/p\$i; sleep 0.02; done; exec sleep 600" || return 1
	# the first watch stops while the load runs: once it has seen some of it
	wait_json ".process.exe == \"$T/load/p3\"" > /dev/null || return 1
	kill -TERM "$UW_PID"; wait "$UW_PID"; UW_PID=""
	if [ -x "${UW_VARIANT_BIN:-}" ]; then
		echo "    upgrading to the variant build $UW_VARIANT_BIN" >&2
		UW_REAL_BIN=$UW_VARIANT_BIN pstart --max-alerts 1000 || return 1
	else
		# --host-transitions: other .rodata, another build digest
		echo "    upgrading to the same binary with --host-transitions (no variant build here)" >&2
		pstart --max-alerts 1000 --host-transitions || return 1
	fi
	until_exe "$CPID" "$(readlink -f "$(command -v sleep)")" || return 1
	sentinel || return 1
	expect "$(head -n 1 "$T/out.json")" .event gap .how replaced .severity info || return 1
	# each program once, by one watch or the other (one jq per output)
	local -A n1=() n2=()
	local e
	while read -r e; do n1[$e]=$((${n1[$e]:-0} + 1)); done < <(jq -r --arg d "$T/load/" 'select(.event == "host_userns" and (.process.exe | startswith($d))) | .process.exe' "$T/out1.json")
	while read -r e; do n2[$e]=$((${n2[$e]:-0} + 1)); done < <(jq -r --arg d "$T/load/" 'select(.event == "host_userns" and (.process.exe | startswith($d))) | .process.exe' "$T/out.json")
	for ((i = 1; i <= n; i++)); do
		c1=${n1[$T/load/p$i]:-0} c2=${n2[$T/load/p$i]:-0}
		assert_eq 1 "$((c1 + c2))" "records of p$i (first watch $c1, second $c2)" || return 1
	done
	# both watches saw part of it (the switch happened under load)
	[ "${#n1[@]}" -gt 0 ] && [ "${#n2[@]}" -gt 0 ] || { fail "one watch saw none of the load (${#n1[@]}, ${#n2[@]})"; return 1; }
	kill -USR1 "$UW_PID"
	assert_eq replaced "$(wait_json '.event == "stats"' | jq -r .pinning)" "stats.pinning" || return 1
	new_ids=$(pinned_prog_ids)
	assert_eq 1 "$(find "$PIN" -maxdepth 1 -name 'links-*' | wc -l)" "link directories" || return 1
	[ -n "$new_ids" ] || { fail "no links pinned after the replacement"; return 1; }
	uw_stop
	# shellcheck disable=SC2086
	programs_gone $old_ids
}

# (5) a pinned kernel side of another layout (an older build's maps) is stopped and replaced
# whole; its records this build cannot read are counted (unread) in a medium gap record
test_pin_other_layout_replaced() {
	local id old_ids maps hex
	pin_fs || return 1
	id=$(rand_id)
	pstart || return 1
	old_ids=$(pinned_prog_ids)
	kill_watch_hard
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- "$(readlink -f "$(command -v sleep)")" 600 || return 1
	until_exe "$CPID" "$(readlink -f "$(command -v sleep)")" || return 1
	# another layout: the meta record's layout field (bytes 16-23, little-endian) and its maps'
	# directory, named by it
	maps=$(find "$PIN" -maxdepth 1 -name 'maps-*')
	mv "$maps" "$PIN/maps-efcdab8967452301" || { fail "cannot rename $maps"; return 1; }
	hex=$(bpftool map dump pinned "$PIN/meta" -j | jq -r \
		'.[0].value as $v | ["01","23","45","67","89","ab","cd","ef"] as $f | [range(0; $v | length)] | map(. as $i | if $i >= 16 and $i < 24 then $f[$i - 16] else ($v[$i] | ltrimstr("0x")) end) | join(" ")')
	# shellcheck disable=SC2086
	bpftool map update pinned "$PIN/meta" key hex 00 00 00 00 value hex $hex || { fail "cannot rewrite the meta record"; return 1; }
	pstart || return 1
	expect "$(head -n 1 "$T/out.json")" \
		.event gap \
		.how replaced_layout \
		.severity medium \
		.kept 0 \
		'.unread >= 1' true || return 1
	[ ! -e "$PIN/maps-efcdab8967452301" ] || { fail "the old layout's maps are left"; return 1; }
	sentinel || return 1
	uw_stop
	# shellcheck disable=SC2086
	programs_gone $old_ids
}

# (6) options: --no-pin goes with neither --pin-dir nor --unpin; a relative directory is refused;
# --unpin of nothing says so; a directory not on a BPF filesystem is refused when named
test_pin_options() {
	local rc
	"$UW_REAL_BIN" --no-pin --pin-dir /sys/fs/bpf/x 2> "$T/e1"; rc=$?
	assert_eq 2 "$rc" "--no-pin --pin-dir" || return 1
	"$UW_REAL_BIN" --pin-dir relative/dir 2> "$T/e2"; rc=$?
	assert_eq 2 "$rc" "a relative --pin-dir" || return 1
	"$UW_REAL_BIN" --unpin --pin-dir "$T/none" 2> "$T/e3"; rc=$?
	assert_eq 0 "$rc" "--unpin of nothing" || return 1
	said "$T/e3" "nothing pinned" || { fail "--unpin of nothing: $(cat "$T/e3")"; return 1; }
	mkdir -p "$T/plain"
	"$UW_REAL_BIN" -o json --pin-dir "$T/plain/uw" > /dev/null 2> "$T/e4"; rc=$?
	assert_eq 2 "$rc" "--pin-dir outside a BPF filesystem" || return 1
	said "$T/e4" "is not on a BPF filesystem" || { fail "message: $(cat "$T/e4")"; return 1; }
	# a directory others may write (maps planted there would be shared) is refused
	pin_fs || return 1
	mkdir -m 0777 "$PIN"
	"$UW_REAL_BIN" -o json --pin-dir "$PIN" > /dev/null 2> "$T/e5"; rc=$?
	assert_eq 2 "$rc" "a pin directory others may write" || return 1
	said "$T/e5" "is not this user's alone (owner 0, mode 0777)" || { fail "message: $(cat "$T/e5")"; return 1; }
}
