# shellcheck shell=bash
# Integration tests of where records go: --output-file (created 0600, appended, opened again on
# SIGHUP) through real log rotations by Debian's logrotate, losing and splitting no record; and
# --syslog to a real rsyslogd (Debian's) started by the test on a unix socket and on loopback
# TCP, restarted while records are written.

needs() { requires root btf cmd:jq cmd:logrotate cmd:rsyslogd=rsyslog "file:$(echo /usr/lib/*/rsyslog/imrelp.so)=rsyslog-relp"; }

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
	assert_eq once "$(jq -r 'select(.event == "stats") | .reason' "$log" | tail -n 1)" "the once stats record appended" &&
	assert_eq audit_summary "$(tail -n 1 "$log" | jq -r .event)" "the audit's summary last" &&
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

# A FIFO as the output file is refused without waiting for a reader: at start (exit 2 with one
# sentence, with or without a reader), and at a reopen (SIGHUP after a FIFO took the file's
# place), where the watch says so and writes on to the old file; a regular file put back is
# taken at the next SIGHUP.
test_output_file_fifo_refused() {
	local log=$T/uw.json rc reader i
	mkfifo "$T/fifo"
	timeout -k 5 10 "$UW_BIN" --once --output-file "$T/fifo" > /dev/null 2> "$T/err.once"
	rc=$?
	assert_eq 2 "$rc" "a FIFO without a reader: exit code (124: it waited)" &&
	assert_eq "userns-watch: the output file $T/fifo is not a regular file (a FIFO or a socket)" "$(cat "$T/err.once")" "a FIFO without a reader: message" || return 1
	sleep 30 < "$T/fifo" &
	reader=$!
	STARTED_PIDS+=("$reader")
	timeout -k 5 10 "$UW_BIN" --once --output-file "$T/fifo" > /dev/null 2> "$T/err.once"
	rc=$?
	kill "$reader" 2>/dev/null
	assert_eq 2 "$rc" "a FIFO with a reader: exit code" &&
	assert_eq "userns-watch: the output file $T/fifo is not a regular file" "$(cat "$T/err.once")" "a FIFO with a reader: message" || return 1
	uw_start --output-file "$log" || return 1
	ln "$log" "$T/old.json"
	rm "$log"
	mkfifo "$log"
	kill -HUP "$UW_PID"
	for i in $(seq 1 100); do said "$T/err" "is not a regular file" && break; nap 0.05; done
	said "$T/err" "userns-watch: warning: the output file $log is not a regular file (a FIFO or a socket): writing on to the old file" ||
		{ fail "no warning: $(cat "$T/err")"; return 1; }
	kill -USR1 "$UW_PID"
	for i in $(seq 1 100); do grep -q '"reason":"signal"' "$T/old.json" && break; nap 0.05; done
	grep -q '"reason":"signal"' "$T/old.json" || { fail "no stats record in the old file after the refused reopen"; return 1; }
	rm "$log"
	kill -HUP "$UW_PID"
	for i in $(seq 1 100); do [ -f "$log" ] && break; nap 0.05; done
	kill -USR1 "$UW_PID"
	for i in $(seq 1 100); do grep -q '"reason":"signal"' "$log" 2>/dev/null && break; nap 0.05; done
	grep -q '"reason":"signal"' "$log" || { fail "no stats record in the regular file put back"; return 1; }
	uw_stop
	assert_eq 0 "$UW_RC" "exit code"
}

# A stop ends within its bound (5 s) when the output is blocked (its reader stopped, the pipe
# full): the records it could not write are counted and said, and the exit code says so.
test_stop_with_blocked_output() {
	local reader pid i t0 rc
	mkfifo "$T/pipe"
	cat "$T/pipe" > /dev/null &
	reader=$!
	STARTED_PIDS+=("$reader")
	"$UW_BIN" -o json > "$T/pipe" 2> "$T/err.stop" &
	pid=$!
	STARTED_PIDS+=("$pid")
	for i in $(seq 1 300); do said "$T/err.stop" watching && break; nap 0.05; done
	said "$T/err.stop" watching || { fail "the watch did not start: $(cat "$T/err.stop")"; return 1; }
	kill -STOP "$reader"
	# stats records until the pipe is full (64 KiB; a record is a few KiB)
	for i in $(seq 1 100); do kill -USR1 "$pid"; nap 0.01; done
	nap 0.5
	t0=$SECONDS
	kill -TERM "$pid"
	for i in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; nap 0.05; done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"; kill -CONT "$reader"
		fail "the watch did not stop within 10 s of SIGTERM"
		return 1
	fi
	wait "$pid"
	rc=$?
	kill -CONT "$reader"; kill "$reader" 2>/dev/null
	[ $((SECONDS - t0)) -le 9 ] || { fail "the stop took $((SECONDS - t0)) s"; return 1; }
	assert_eq 2 "$rc" "exit code" &&
	grep -Eq '^userns-watch: the output took nothing for 5 s after the stop: [1-9][0-9]* record\(s\) not written$' "$T/err.stop" ||
		{ fail "no count of the records not written: $(cat "$T/err.stop")"; return 1; }
}

# ---- --syslog against a real rsyslogd ----

RS=$T/rs
# free_port: a loopback TCP port nothing listens on
free_port() {
	local i p
	for i in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		ss -ltnH "sport = :$p" | grep -q . || break
	done
	echo "$p"
}

# rsyslog_start: rsyslogd in the foreground with a configuration of the test's: a unix socket
# ($RS/log.sock), loopback TCP ($RS_PORT), RELP ($RS_RELP_PORT, imrelp), every message to
# $RS/out.log as "facility.severity timestamp hostname app-name procid msgid msg"; waits until
# all listen
rsyslog_start() {
	local i
	mkdir -p "$RS"
	[ -n "${RS_PORT:-}" ] || RS_PORT=$(free_port)
	[ -n "${RS_RELP_PORT:-}" ] || RS_RELP_PORT=$(free_port)
	cat > "$RS/rsyslog.conf" <<CONF
global(maxMessageSize="1m" workDirectory="$RS")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$RS/log.sock")
module(load="imtcp")
input(type="imtcp" port="$RS_PORT" address="127.0.0.1")
module(load="imrelp")
input(type="imrelp" port="$RS_RELP_PORT" address="127.0.0.1" maxDataSize="1m")
template(name="uw" type="string" string="%syslogfacility%.%syslogseverity% %timereported:::date-rfc3339% %hostname% %app-name% %procid% %msgid% %msg%\n")
*.* action(type="omfile" file="$RS/out.log" template="uw")
*.* action(type="omfile" file="$RS/default.log")
CONF
	rsyslogd -n -f "$RS/rsyslog.conf" -i "$RS/rsyslogd.pid" > "$RS/rsyslogd.log" 2>&1 &
	RS_PID=$!
	STARTED_PIDS+=("$RS_PID")
	for i in $(seq 1 100); do
		[ -S "$RS/log.sock" ] && ss -ltnH "sport = :$RS_PORT" | grep -q . &&
			ss -ltnH "sport = :$RS_RELP_PORT" | grep -q . && return 0
		kill -0 "$RS_PID" 2>/dev/null || break
		sleep 0.05
	done
	fail "rsyslogd did not start: $(cat "$RS/rsyslogd.log")"
}

# rsyslog_stop: stops the rsyslogd the test started, by its PID, and waits for it
rsyslog_stop() {
	kill "$RS_PID" 2>/dev/null
	wait "$RS_PID" 2>/dev/null
	rm -f "$RS/log.sock"
}

# wait_delivered N: rsyslog has written N messages
wait_delivered() {
	local i
	for i in $(seq 1 200); do
		[ "$(wc -l < "$RS/out.log" 2>/dev/null || echo 0)" -ge "$1" ] && return 0
		sleep 0.05
	done
	fail "rsyslog has $(wc -l < "$RS/out.log" 2>/dev/null) messages, not $1"
}

# stats_burst N: N stats records (SIGUSR1), each written before the next is asked for
stats_burst() {
	local i have
	for i in $(seq 1 "$1"); do
		have=$(wc -l < "$T/out.json")
		kill -USR1 "$UW_PID"
		for _ in $(seq 1 100); do [ "$(wc -l < "$T/out.json")" -gt "$have" ] && break; sleep 0.02; done
	done
}

# syslog_matches PID [unix]: every record on stdout arrived once, whole and in order, as the MSG
# of a message with facility authpriv (10), the record's severity, the app and the watch's PID;
# over the network an RFC 5424 message with the node's name, the record's event as MSGID and
# its time; on a unix socket (/dev/log) the local form rsyslog's imuxsock parses by default:
# rsyslog's own host name, no MSGID, and in rsyslog's default file format the tag
# "userns-watch[PID]:" before the record
syslog_matches() {
	local pid=$1 n f=7
	n=$(wc -l < "$T/out.json")
	# a local message's MSG is what follows "TAG:", its space included
	[ "${2:-}" = unix ] && f=8
	assert_eq "$n" "$(wc -l < "$RS/out.log")" "messages rsyslog wrote" &&
	assert_eq "$(cat "$T/out.json")" "$(cut -d' ' -f$f- "$RS/out.log")" "the records as the messages' MSG" || return 1
	if [ "${2:-}" = unix ]; then
		assert_eq "$(jq -r '"10.\(if .severity == "critical" then 2 elif .severity == "high" then 3 elif .severity == "medium" then 4 else 6 end) userns-watch '"$pid"' -"' "$T/out.json")" \
			"$(awk '{print $1, $4, $5, $6}' "$RS/out.log")" "facility.severity, app-name, procid, msgid" &&
		assert_eq "$(sed 's/^/userns-watch['"$pid"']: /' "$T/out.json")" \
			"$(cut -d' ' -f3- "$RS/default.log")" "rsyslog's default file format (time, host, tag, record): tag and record"
		return
	fi
	assert_eq "$(jq -r '"10.\(if .severity == "critical" then 2 elif .severity == "high" then 3 elif .severity == "medium" then 4 else 6 end) \(.host) userns-watch '"$pid"' \(.event)"' "$T/out.json")" \
		"$(awk '{print $1, $3, $4, $5, $6}' "$RS/out.log")" "facility.severity, hostname, app-name, procid, msgid" &&
	assert_eq "$(jq -r '.ts | sub("(?<f>\\.[0-9]{6})[0-9]{3}Z$"; "\(.f)Z")' "$T/out.json")" "$(awk '{print $2}' "$RS/out.log" | sed 's/+00:00$/Z/')" "timestamps (RFC 5424: microseconds)"
}

# test_syslog_restart KIND: records before, while and after rsyslogd restarts all arrive
syslog_restart() {
	local to=$1 pid line
	rsyslog_start || return 1
	[ "$to" = tcp ] && to="tcp:127.0.0.1:$RS_PORT" || to="unix:$RS/log.sock"
	uw_start --syslog "$to" --host-name uw-node-a || return 1
	pid=$UW_PID
	stats_burst 3
	wait_delivered 3 || return 1
	rsyslog_stop
	stats_burst 4 # written while no receiver listens: queued
	sleep 0.3
	rsyslog_start || return 1
	stats_burst 2
	wait_delivered 9 || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit code" &&
	wait_delivered 10 || return 1 # the exit stats record, drained before the watch ends
	line=$(json_lines '.reason == "exit"')
	assert_eq 0 "$(jq -r .syslog.dropped <<<"$line")" "stats: syslog.dropped" &&
	[ "$(jq -r .syslog.connects <<<"$line")" -ge 2 ] || { fail "stats: syslog.connects below 2: $line"; return 1; }
	assert_eq "$to" "$(jq -r '.syslog.to | sub(" port "; ":") | sub("^(?<k>[a-z]+) "; "\(.k):")' <<<"$line")" "stats: syslog.to" &&
	syslog_matches "$pid" "${to%%:*}" && schema_valid
}

test_syslog_tcp_rsyslog_restart() { syslog_restart tcp; }

# RELP: a receiver that stops reading (SIGSTOP) while records go to it, then dies (SIGKILL) and
# is started again. What it had in its socket, never acknowledged, is sent again on the new
# session: every record arrives, whole, exactly once (the dead receiver processed none of
# them), and the stats count as sent only what was acknowledged. Over TCP the same records
# would have been counted sent and lost with the receiver.
test_syslog_relp_receiver_killed() {
	local pid line n to before
	rsyslog_start || return 1
	to="relp:127.0.0.1:$RS_RELP_PORT"
	uw_start --syslog "$to" --host-name uw-node-a || return 1
	pid=$UW_PID
	stats_burst 3
	# the self record and the three: delivered and acknowledged before the receiver stops
	before=$(wc -l < "$T/out.json")
	wait_delivered "$before" || return 1
	nap 0.2
	kill -STOP "$RS_PID"
	stats_burst 10 # into the stopped receiver's socket: written, not acknowledged
	kill -USR1 "$UW_PID"
	line=$(wait_json '.event == "stats" and .syslog.queued >= 10') || return 1
	assert_eq "$before" "$(jq .syslog.sent <<<"$line")" "sent (acknowledged) while the receiver is stopped" || return 1
	kill -KILL "$RS_PID"
	wait "$RS_PID" 2>/dev/null
	rm -f "$RS/log.sock"
	rsyslog_start || return 1
	stats_burst 3
	n=$(wc -l < "$T/out.json")
	wait_delivered "$n" || return 1
	nap 0.3
	# everything so far acknowledged, on a second session
	kill -USR1 "$UW_PID"
	line=$(wait_json ".event == \"stats\" and .syslog.sent >= $n") || return 1
	assert_eq "$n 0 0" "$(jq -r '"\(.syslog.sent) \(.syslog.queued) \(.syslog.dropped)"' <<<"$line")" "stats: syslog sent, queued, dropped" &&
	[ "$(jq -r .syslog.connects <<<"$line")" -ge 2 ] || { fail "stats: syslog.connects below 2: $line"; return 1; }
	assert_eq "relp 127.0.0.1 port $RS_RELP_PORT" "$(jq -r .syslog.to <<<"$line")" "stats: syslog.to" || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit code" || return 1
	wait_delivered "$(wc -l < "$T/out.json")" || return 1
	nap 0.3
	assert_eq "$(jq -r .id "$T/out.json" | sort)" "$(cut -d' ' -f7- "$RS/out.log" | jq -r .id | sort)" "record ids delivered (each once)" &&
	syslog_matches "$pid" && schema_valid
}
test_syslog_unix_rsyslog_restart() { syslog_restart unix; }

# An alert keeps its severity in the syslog header (a container's root with every capability:
# critical, 2), over TCP.
test_syslog_alert_severity() {
	local id line pid
	rsyslog_start || return 1
	uw_start --syslog "tcp:127.0.0.1:$RS_PORT" || return 1
	id=$(rand_id)
	violating "/docker/$id" || return 1
	pid=$UW_PID
	uw_stop
	line=$(grep -F " host_userns {" "$RS/out.log" | head -n 1 | cut -d' ' -f7-)
	[ -n "$line" ] || { fail "no host_userns message: $(cat "$RS/out.log")"; return 1; }
	assert_eq "$(jq -r 'select(.event == "host_userns") | .severity' "$T/out.json" | head -n 1)" \
		"$(jq -r .severity <<<"$line")" "the record's severity" &&
	assert_eq "$id" "$(jq -r .container.id <<<"$line")" "container.id" &&
	syslog_matches "$pid"
}

# A bad --syslog value exits 2 with one sentence.
test_syslog_bad_values() {
	local v
	for v in "tcp:localhost:514" "udp:1.2.3.4" "unix:relative.sock" "http://x" "tcp:[::1]:0"; do
		"$UW_BIN" --syslog "$v" > /dev/null 2> "$T/err"
		assert_eq 2 "$?" "--syslog $v: exit code" &&
		[ "$(head -c $((37 + ${#v})) "$T/err")" = "userns-watch: bad --syslog value '$v' (" ] ||
			{ fail "--syslog $v: $(head -n 1 "$T/err")"; return 1; }
	done
}
