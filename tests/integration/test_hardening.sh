# shellcheck shell=bash
# Integration tests: the watch keeps running through signals and slow readers, says so when its
# reader goes away, refuses a procfs it cannot trust.

needs() { requires root btf cmd:unshare cmd:jq; }

SLEEP=$(readlink -f "$(command -v sleep)")

# n_programs N DIR: N distinct programs (copies of true: programs are told apart by their file)
n_programs() { copies /bin/true "$1" "$2/p"; }

# SIGHUP never ends the watch; alerts go on after it
test_sighup_keeps_watching() {
	local id
	id=$(rand_id)
	uw_start || return 1
	kill -HUP "$UW_PID"
	sleep 0.3
	kill -0 "$UW_PID" 2>/dev/null || { fail "SIGHUP ended the watch"; return 1; }
	violating "/docker/$id" || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit code after SIGINT"
}

# A reader that stops reading while 300 alerts are due (far more than a pipe holds), with
# SIGUSR1 and SIGHUP sent while the watch is blocked on it: when it reads again, every alert is
# there, whole, and the watch goes on.
test_paused_reader_loses_nothing() {
	local id reader i n stats
	id=$(rand_id)
	n_programs 300 "$T/progs"
	mkfifo "$T/fifo"
	cat "$T/fifo" > "$T/out.json" &
	reader=$!
	STARTED_PIDS+=("$reader")
	"$UW_BIN" -o json --max-alerts 1000 > "$T/fifo" 2> "$T/err" &
	UW_PID=$!
	for _ in $(seq 1 300); do grep -q watching "$T/err" 2>/dev/null && break; sleep 0.05; done
	grep -q watching "$T/err" || { fail "did not start: $(cat "$T/err")"; return 1; }
	kill -STOP "$reader"
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- sh -c "for i in \$(seq 1 300); do $T/progs/p\$i; done; exec $SLEEP 600" || { kill -CONT "$reader"; return 1; }
	for _ in $(seq 1 200); do [ "$(cat /proc/"$CPID"/comm 2>/dev/null)" = sleep ] && break; sleep 0.05; done
	# blocked now: signals must not end it nor cut a line
	for i in 1 2 3; do kill -USR1 "$UW_PID"; kill -HUP "$UW_PID"; sleep 0.5; done
	kill -0 "$UW_PID" 2>/dev/null || { kill -CONT "$reader"; fail "the watch ended while its reader was paused"; return 1; }
	sleep 2
	kill -CONT "$reader"
	wait_json ".container.id == \"$id\" and .process.exe == \"$SLEEP\"" 20 >/dev/null || return 1
	stats=$(stats_now)
	kill -0 "$UW_PID" 2>/dev/null || { fail "the watch ended"; return 1; }
	all_json_valid || return 1
	assert_eq 0 "$(jq .kernel.lost <<<"$stats")" "kernel.lost (a 4 MiB ring buffer holds these)" &&
	assert_eq 300 "$(count_json ".container.id == \"$id\" and (.process.exe // \"\" | test(\"/progs/p[0-9]+$\"))")" "alerts for the 300 programs" &&
	# the three SIGUSR1 sent while blocked are one request (a flag, as signals are), then ours
	assert_eq 2 "$(count_json '.event == "stats" and .reason == "signal"')" "stats records for SIGUSR1" || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit code after SIGINT" || return 1
	schema_valid
}

# The reader goes away (head -n 1): one sentence, exit code 3, no program left behind
test_closed_output_ends_cleanly() {
	local id before ids i rc
	id=$(rand_id)
	n_programs 20 "$T/progs"
	before=$(bpftool prog show -j | jq -r '.[].id')
	( "$UW_BIN" -o json 2> "$T/err"; echo $? > "$T/rc" ) | head -n 1 > "$T/first" &
	for _ in $(seq 1 300); do grep -q watching "$T/err" 2>/dev/null && break; sleep 0.05; done
	ids=$(new_prog_ids "$before")
	[ -n "$ids" ] || { fail "no programs loaded"; return 1; }
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- sh -c "for i in \$(seq 1 20); do $T/progs/p\$i; sleep 0.1; done; exec $SLEEP 600" || return 1
	for i in $(seq 1 100); do [ -s "$T/rc" ] && break; sleep 0.1; done
	rc=$(cat "$T/rc" 2>/dev/null)
	# stderr: the start line, then one sentence
	assert_eq 3 "$rc" "exit code when the reader is gone" &&
	assert_eq 2 "$(grep -vc "files were looked for in" "$T/err")" "lines on stderr (but where Docker's files are not)" &&
	assert_eq "userns-watch: the output's reader went away (broken pipe): stopping" "$(tail -n 1 "$T/err")" "the sentence" ||
		{ cat "$T/err" >&2; return 1; }
	jq -e . "$T/first" >/dev/null || { fail "the line read is not JSON"; return 1; }
	# shellcheck disable=SC2086
	programs_gone $ids
}

# A procfs of another pid namespace (a sidecar without hostPID): refused with one sentence
test_procfs_of_other_pidns_refused() {
	local rc pid
	mkdir -p "$T/otherproc"
	unshare --pid --fork --kill-child sh -c "mount -t proc proc '$T/otherproc' && exec sleep 30" &
	pid=$!
	STARTED_PIDS+=("$pid")
	CLEANUP_CMDS+=("umount '$T/otherproc'")
	# the new pid namespace's init: killed by its PID too (a signal from its own namespace,
	# as --kill-child's is, does not end a pid namespace's init)
	STARTED_PIDS+=("$(child_of "$pid")")
	for _ in $(seq 1 100); do [ -e "$T/otherproc/1" ] && break; sleep 0.05; done
	[ -e "$T/otherproc/1" ] || { fail "no procfs mounted"; return 1; }
	"$UW_BIN" --once -o json --procfs "$T/otherproc" > "$T/o" 2> "$T/e"
	rc=$?
	assert_eq 2 "$rc" "exit code" &&
	assert_eq 1 "$(wc -l < "$T/e" | tr -d ' ')" "lines on stderr" &&
	grep -q "is the procfs of pid namespace .*, not the host's" "$T/e" &&
	[ ! -s "$T/o" ] || { fail "message: $(cat "$T/e")"; return 1; }
}

# A running watch holds only what its loop uses: CAP_BPF, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH
# (bits 39, 19, 2) in every set, no_new_privs, a seccomp filter (mode 2); the stats say so
test_running_watch_least_privilege() {
	local st stats
	uw_start || return 1
	st=$(cat "/proc/$UW_PID/status")
	assert_eq 0000008000080004 "$(awk '/^CapEff:/ {print $2}' <<<"$st")" "CapEff" &&
	assert_eq 0000008000080004 "$(awk '/^CapPrm:/ {print $2}' <<<"$st")" "CapPrm" &&
	assert_eq 0000008000080004 "$(awk '/^CapBnd:/ {print $2}' <<<"$st")" "CapBnd" &&
	assert_eq 0000000000000000 "$(awk '/^CapInh:/ {print $2}' <<<"$st")" "CapInh" &&
	assert_eq 1 "$(awk '/^NoNewPrivs:/ {print $2}' <<<"$st")" "NoNewPrivs" &&
	assert_eq 2 "$(awk '/^Seccomp:/ {print $2}' <<<"$st")" "Seccomp" || return 1
	stats=$(stats_now)
	assert_eq '{"capabilities":"cap_dac_read_search,cap_sys_ptrace,cap_bpf","bounding_set_cut":true,"no_new_privs":true,"seccomp":true}' \
		"$(jq -c .sandbox <<<"$stats")" "stats sandbox" || return 1
	# and it still does its work under them: a container, then a clean exit
	violating "/docker/$(rand_id)" || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit code after SIGINT"
}
