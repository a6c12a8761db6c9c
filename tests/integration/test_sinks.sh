# shellcheck shell=bash
# Integration tests of where records go: --output-file (created 0600, appended, opened again on
# SIGHUP) through real log rotations by Debian's logrotate, losing and splitting no record.

needs_root_bpf() {
	[ "$(id -u)" -eq 0 ] || { SKIP_REASON="not root"; return 1; }
	[ -r /sys/kernel/btf/vmlinux ] || { SKIP_REASON="no kernel BTF"; return 1; }
	command -v jq >/dev/null || { SKIP_REASON="no jq"; return 1; }
	command -v logrotate >/dev/null || { SKIP_REASON="no logrotate (tools/install-deps.sh --test installs it)"; return 1; }
}

# record_numbers FILE...: the numbers of the records' ids, in file order, one line
record_numbers() { cat "$@" | jq -r '.id | split("-")[1]' | tr '\n' ' ' | sed 's/ $//'; }

# Two rotations while records stream (SIGUSR1 stats records every 10 ms): every record is in
# exactly one file, in order, whole; the files the watch creates are 0600.
test_output_file_logrotate() {
	local log=$T/log/uw.json n pump i
	logrotate --version >/dev/null 2>&1 || { fail "logrotate does not run"; return 1; }
	mkdir -p "$T/log"
	local mask
	mask=$(umask)
	umask 000
	uw_start --output-file "$log" || { umask "$mask"; return 1; }
	umask "$mask"
	assert_eq 600 "$(stat -c %a "$log")" "mode of the file it created (umask 000)" || return 1
	cat > "$T/logrotate.conf" <<CONF
$log {
	rotate 5
	nocompress
	nocreate
	missingok
	postrotate
		kill -HUP $UW_PID
	endscript
}
CONF
	( for i in $(seq 1 200); do kill -USR1 "$UW_PID" 2>/dev/null || exit; sleep 0.01; done ) &
	pump=$!
	sleep 0.5
	logrotate -f -s "$T/logrotate.state" "$T/logrotate.conf" 2>"$T/logrotate.err" ||
		{ fail "logrotate: $(cat "$T/logrotate.err")"; return 1; }
	sleep 0.5
	logrotate -f -s "$T/logrotate.state" "$T/logrotate.conf" 2>"$T/logrotate.err" ||
		{ fail "logrotate (second): $(cat "$T/logrotate.err")"; return 1; }
	wait "$pump"
	sleep 0.3
	uw_stop
	assert_eq 0 "$UW_RC" "exit code" || return 1
	for i in "$log.2" "$log.1" "$log"; do
		[ -s "$i" ] || { fail "$i is missing or empty"; return 1; }
		jq -c . "$i" > /dev/null || { fail "$i: a line is not JSON"; return 1; }
	done
	assert_eq 600 "$(stat -c %a "$log")" "mode of the file created after the rotation" || return 1
	n=$(cat "$log.2" "$log.1" "$log" | wc -l)
	[ "$n" -ge 50 ] || { fail "only $n records: the pump did not run"; return 1; }
	assert_eq "$(seq -s ' ' 1 "$n")" "$(record_numbers "$log.2" "$log.1" "$log")" "record numbers across the three files" &&
	assert_eq exit "$(tail -n 1 "$log" | jq -r .reason)" "the exit stats record is in the new file" &&
	assert_eq "" "$(cat "$T/out.json")" "stdout" &&
	schema_valid "$log"
}

# The file is appended to, never truncated; a symlink, a directory and a missing directory are
# refused with one sentence and exit code 2.
test_output_file_append_and_refusals() {
	local log=$T/uw.json rc
	printf '%s\n' '{"kept":true}' > "$log"
	chmod 640 "$log"
	"$UW_BIN" --once -o json --output-file "$log" > "$T/stdout" 2> "$T/err"
	rc=$?
	[ "$rc" -le 1 ] || { fail "--once exit code $rc: $(cat "$T/err")"; return 1; }
	assert_eq '{"kept":true}' "$(head -n 1 "$log")" "the line already there" &&
	assert_eq once "$(tail -n 1 "$log" | jq -r .reason)" "the once stats record appended" &&
	assert_eq 640 "$(stat -c %a "$log")" "an existing file keeps its mode" &&
	assert_eq "" "$(cat "$T/stdout")" "stdout" || return 1
	ln -s "$log" "$T/link.json"
	"$UW_BIN" --once --output-file "$T/link.json" > /dev/null 2> "$T/err"
	assert_eq 2 "$?" "a symlink: exit code" &&
	assert_eq "userns-watch: cannot open the output file $T/link.json: Too many levels of symbolic links (a symlink is not followed)" "$(cat "$T/err")" "a symlink: message" || return 1
	"$UW_BIN" --once --output-file "$T" > /dev/null 2> "$T/err"
	assert_eq 2 "$?" "a directory: exit code" &&
	assert_eq "userns-watch: cannot open the output file $T: Is a directory" "$(cat "$T/err")" "a directory: message" || return 1
	"$UW_BIN" --once --output-file "$T/none/uw.json" > /dev/null 2> "$T/err"
	assert_eq 2 "$?" "a missing directory: exit code" &&
	assert_eq "userns-watch: cannot open the output file $T/none/uw.json: No such file or directory" "$(cat "$T/err")" "a missing directory: message"
}
