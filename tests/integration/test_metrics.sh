# shellcheck shell=bash
# Integration tests of --metrics: /metrics scraped over HTTP and parsed by Debian's
# python3-prometheus-client, its figures checked against the watch's own records; /healthz; the
# methods, paths and bounds; loopback unless told otherwise; the refusals; every metric the
# alert rules and the Grafana dashboard (tools/dist) name is served.

needs() { requires root btf cmd:jq py:prometheus_client=python3-prometheus-client; }

PROM=tests/integration/prom_check.py

# free_port: a TCP port nothing listens on
free_port() {
	local p i
	for i in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		ss -ltnH "sport = :$p" | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}

# get PATH [prom_check.py fetch options]: sets STATUS, CTYPE, ALLOW; the body in $T/body
get() {
	local line
	line=$(/usr/bin/python3 "$PROM" fetch "http://127.0.0.1:$MPORT$1" "$T/body" "${@:2}") ||
		{ fail "GET $1: no answer"; return 1; }
	IFS=$'\t' read -r STATUS CTYPE ALLOW <<< "$line"
}

# scrape OUT: /metrics, parsed, as JSON samples in OUT
scrape() {
	get /metrics || return 1
	assert_eq 200 "$STATUS" "/metrics status" &&
	assert_eq "text/plain; version=0.0.4; charset=utf-8" "$CTYPE" "/metrics content type" || return 1
	/usr/bin/python3 "$PROM" parse "$T/body" > "$1" 2> "$T/parse.err" ||
		{ fail "the exposition does not parse: $(cat "$T/parse.err")"; return 1; }
}

# sample FILE KEY: a sample's value as an integer ("" if absent)
sample() { jq -r --arg k "$2" '.[$k] // empty | floor' "$1"; }

# The figures are the watch's own: every alert record written is counted under its event,
# severity and runtime, exactly; the kernel's and the ring buffer's counts agree with a stats
# record taken between two scrapes; the programs are attached and the watch is healthy.
test_metrics_scrape() {
	local id1 id2 s1 s2 st want got k
	MPORT=$(free_port) || { fail "no free port"; return 1; }
	uw_start --metrics "$MPORT" --stats-interval 0 || return 1
	# loopback only, unless told otherwise
	assert_eq "127.0.0.1:$MPORT" "$(ss -ltnH "sport = :$MPORT" | awk '{print $4}')" "listening address" || return 1
	id1=$(rand_id) id2=$(rand_id)
	violating "/docker/$id1" || return 1
	violating "/docker/$id2" || return 1
	violating "/machine.slice/libpod-$(rand_id).scope" || return 1
	sentinel || return 1
	scrape "$T/s1.json" || return 1
	st=$(stats_now)
	scrape "$T/s2.json" || return 1
	# the alerts, by event, severity and runtime: as many as the records written
	want=$(jq -c 'select(.event | IN("host_userns", "userns_create", "userns_enter", "escape", "self"))
		| "userns_watch_alerts_total{event=\"\(.event)\",runtime=\"\(.container.runtime)\",severity=\"\(.severity)\"}"' \
		"$T/out.json" | jq -rs 'group_by(.) | map("\(.[0]) \(length)") | .[]')
	got=$(jq -r 'to_entries[] | select(.key | startswith("userns_watch_alerts_total{")) | "\(.key) \(.value | floor)"' "$T/s1.json" | sort)
	[ -n "$want" ] || { fail "no alert records"; return 1; }
	assert_eq "$want" "$got" "alerts_total against the records" || return 1
	assert_eq "$(count_json '.event == "host_userns"')" "$(echo "$got" | grep 'event="host_userns"' | awk '{s += $2} END {print s}')" "host_userns alerts" &&
	assert_eq 1 "$(echo "$got" | grep -c 'event="self",runtime="host",severity="info"')" "the self record's series" || return 1
	[ "$(count_json '.event == "host_userns"')" -ge 4 ] || { fail "fewer than 4 host_userns alerts"; return 1; }
	echo "$got" | grep -q 'runtime="podman"' || { fail "no podman series: $got"; return 1; }
	# counters between two scrapes: the stats record's figures lie between them
	for k in received:userns_watch_records_received_total violations:userns_watch_violations_total \
		 not_container:userns_watch_not_container_total suppressed:userns_watch_alerts_suppressed_total; do
		local f=${k%%:*} m=${k#*:} a b v
		a=$(sample "$T/s1.json" "$m") b=$(sample "$T/s2.json" "$m") v=$(echo "$st" | jq -r ".$f")
		[ -n "$a" ] && [ "$a" -le "$v" ] && [ "$v" -le "$b" ] ||
			{ fail "$m: $a, then $b; the stats record between says $f $v"; return 1; }
	done
	s1=$(jq '[to_entries[] | select(.key | startswith("userns_watch_kernel_records_sent_total{")) | .value] | add' "$T/s1.json")
	s2=$(jq '[to_entries[] | select(.key | startswith("userns_watch_kernel_records_sent_total{")) | .value] | add' "$T/s2.json")
	[ "${s1%.*}" -le "$(echo "$st" | jq .kernel.sent)" ] && [ "$(echo "$st" | jq .kernel.sent)" -le "${s2%.*}" ] ||
		{ fail "records sent per CPU sum to $s1 and $s2; the stats record says $(echo "$st" | jq .kernel.sent)"; return 1; }
	# one series per possible CPU (the kernel's per-CPU counters), "0-N" in sysfs
	assert_eq "$(( $(cut -d- -f2 /sys/devices/system/cpu/possible) + 1 ))" "$(jq '[keys[] | select(startswith("userns_watch_kernel_records_lost_total{"))] | length' "$T/s1.json")" "lost series, one per possible CPU" || return 1
	assert_eq 0 "$(jq '[to_entries[] | select(.key | startswith("userns_watch_kernel_records_lost_total{")) | .value] | add' "$T/s2.json")" "records lost" &&
	assert_eq 4194304 "$(sample "$T/s2.json" userns_watch_ringbuf_size_bytes)" "ring buffer size (the default 4096 KiB)" &&
	assert_eq 1 "$(sample "$T/s2.json" userns_watch_healthy)" "healthy" &&
	assert_eq "$(sample "$T/s2.json" userns_watch_programs)" "$(sample "$T/s2.json" userns_watch_programs_attached)" "programs attached" || return 1
	[ "$(sample "$T/s2.json" userns_watch_programs)" -ge 3 ] || { fail "programs: $(sample "$T/s2.json" userns_watch_programs)"; return 1; }
	local ver hooks
	ver=$("$UW_BIN" --version | awk 'NR == 1 {print $2}')
	hooks=$(echo "$st" | jq -r .hooks)
	assert_eq 1 "$(jq --arg v "$ver" --arg h "$hooks" '[to_entries[] | select(.key | startswith("userns_watch_build_info{") and contains("version=\"\($v)\"") and contains("hooks=\"\($h)\""))] | length' "$T/s2.json")" "build_info with the version and hooks" || return 1
	local start now
	start=$(sample "$T/s2.json" userns_watch_start_time_seconds) now=$(date +%s)
	[ "$start" -le "$now" ] && [ "$start" -ge $((now - 120)) ] || { fail "start time $start, now $now"; return 1; }
	# /healthz, the other paths and methods
	get /healthz || return 1
	assert_eq 200 "$STATUS" "/healthz" && assert_eq ok "$(cat "$T/body")" "/healthz body" || return 1
	get /nowhere || return 1
	assert_eq 404 "$STATUS" "another path" || return 1
	get /metrics --method POST || return 1
	assert_eq 405 "$STATUS" "POST" && assert_eq "GET, HEAD" "$ALLOW" "Allow" || return 1
	get /metrics --method HEAD || return 1
	assert_eq 200 "$STATUS" "HEAD" && assert_eq 0 "$(stat -c %s "$T/body")" "HEAD has no body" || return 1
	# served under the sandbox: the watch is alive, its filter loaded
	kill -0 "$UW_PID" || { fail "the watch ended: $(cat "$T/err")"; return 1; }
	assert_eq true "$(stats_now | jq .sandbox.seccomp)" "seccomp filter loaded" || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit code" &&
	schema_valid "$T/out.json"
}

# Connections are bounded per address: four idle ones from 127.0.0.1 take that address's
# share, a fifth from it is turned away, and a scraper from another address is still served;
# once they close, 127.0.0.1 is served again.
test_metrics_bounds() {
	local holder i
	MPORT=$(free_port) || { fail "no free port"; return 1; }
	uw_start --metrics "127.0.0.1:$MPORT" --stats-interval 0 || return 1
	/usr/bin/python3 "$PROM" hold 127.0.0.1 "$MPORT" 4 3 > "$T/hold.out" 2>&1 &
	holder=$!
	STARTED_PIDS+=("$holder")
	for i in $(seq 1 100); do grep -q held "$T/hold.out" && break; sleep 0.05; done
	grep -q held "$T/hold.out" || { fail "could not hold 4 connections: $(cat "$T/hold.out")"; return 1; }
	sleep 0.3
	if /usr/bin/python3 "$PROM" fetch "http://127.0.0.1:$MPORT/healthz" "$T/body" > "$T/fifth" 2>&1; then
		fail "a fifth connection from 127.0.0.1 was served: $(cat "$T/fifth")"; return 1
	fi
	get /healthz --source 127.0.0.2 || return 1
	assert_eq 200 "$STATUS" "from another address" || return 1
	wait "$holder"
	sleep 0.3
	get /healthz || return 1
	assert_eq 200 "$STATUS" "from 127.0.0.1 again" || return 1
	kill -0 "$UW_PID" || { fail "the watch ended: $(cat "$T/err")"; return 1; }
	uw_stop
	assert_eq 0 "$UW_RC" "exit code"
}

# Slow clients cannot hold the endpoint shut: 40 connections from ten addresses, each sending
# one header line a second (and connecting again when closed), for 12 s; meanwhile a probe of
# /healthz every 250 ms is answered (200) within 1 s every time, and no slow connection lives
# past its 5 s.
test_metrics_slow_clients() {
	local out
	MPORT=$(free_port) || { fail "no free port"; return 1; }
	uw_start --metrics "$MPORT" --stats-interval 0 || return 1
	out=$(timeout -k 5 60 /usr/bin/python3 - "$MPORT" <<'PY'
import socket, sys, threading, time
port = int(sys.argv[1])
end = time.monotonic() + 12
lives = []
def slow(src):
    while time.monotonic() < end:
        try:
            s = socket.socket()
            s.bind((src, 0))
            s.settimeout(1)
            s.connect(("127.0.0.1", port))
            t0 = time.monotonic()
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            while time.monotonic() < end:
                s.sendall(b"X-Slow: 1\r\n")
                try:
                    if s.recv(1) == b"":
                        break
                except socket.timeout:
                    pass
            lives.append(time.monotonic() - t0)
            s.close()
        except OSError:
            time.sleep(0.05)
threads = [threading.Thread(target=slow, args=("127.0.0.%d" % (2 + i // 4),)) for i in range(40)]
for t in threads:
    t.start()
time.sleep(1)
bad = []
lat = []
n = 0
while time.monotonic() < end - 0.5:
    t0 = time.monotonic()
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        s.settimeout(max(0.05, 1 - (time.monotonic() - t0)))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        line = s.recv(64).split(b"\r\n")[0]
        s.close()
        lat.append(time.monotonic() - t0)
        if not line.startswith(b"HTTP/1.1 200") or time.monotonic() - t0 > 1:
            bad.append("%r after %.2f s" % (line, time.monotonic() - t0))
    except OSError as e:
        bad.append("%s after %.2f s" % (e, time.monotonic() - t0))
    n += 1
    time.sleep(0.25)
for t in threads:
    t.join()
print("probes", n, "bad", len(bad), "; ".join(bad[:5]))
print("slowest", "%.2f" % max(lat or [0]), file=sys.stderr)
print("longest", "%.1f" % max(lives or [0]), "closed", sum(1 for x in lives if x < 11))
PY
) || { fail "the client: $out"; return 1; }
	echo "$out" | grep -Eq '^probes (3[0-9]|4[0-9]) bad 0 $' || { fail "probes: $out"; return 1; }
	awk '/^longest/ { exit !($2 <= 7 && $4 >= 40) }' <<<"$out" || { fail "slow connections: $out"; return 1; }
	kill -0 "$UW_PID" || { fail "the watch ended: $(cat "$T/err")"; return 1; }
	uw_stop
	assert_eq 0 "$UW_RC" "exit code"
}

# Bad values and a port in use: one sentence, exit code 2.
test_metrics_refusals() {
	local rc port holder
	"$UW_BIN" --metrics localhost:9478 > /dev/null 2> "$T/err"
	assert_eq 2 "$?" "a name: exit code" &&
	grep -q "bad --metrics value 'localhost:9478' (want PORT, IPV4:PORT or \[IPV6\]:PORT" "$T/err" || { fail "message: $(cat "$T/err")"; return 1; }
	"$UW_BIN" --once --metrics 9478 > /dev/null 2> "$T/err"
	assert_eq 2 "$?" "with --once: exit code" &&
	grep -q -- "--metrics is for a watch, not --once" "$T/err" || { fail "message: $(cat "$T/err")"; return 1; }
	port=$(free_port) || { fail "no free port"; return 1; }
	/usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
print("bound", flush=True); time.sleep(30)' "$port" > "$T/bound" &
	holder=$!
	STARTED_PIDS+=("$holder")
	for rc in $(seq 1 100); do grep -q bound "$T/bound" && break; sleep 0.05; done
	timeout 60 "$UW_BIN" --metrics "$port" > /dev/null 2> "$T/err"
	rc=$?
	kill "$holder" 2>/dev/null
	assert_eq 2 "$rc" "a port in use: exit code" &&
	assert_eq "userns-watch: --metrics: cannot listen on 127.0.0.1 port $port: Address already in use" "$(grep -v watching "$T/err" | tail -n 1)" "a port in use: message"
}

# A watch whose output is blocked (its reader stopped, the pipe full) stops answering /healthz
# altogether, so a liveness probe fails; once the reader goes on, it answers 200 again.
test_metrics_blocked_output_fails_the_probe() {
	local reader i st
	MPORT=$(free_port) || { fail "no free port"; return 1; }
	mkfifo "$T/fifo"
	cat "$T/fifo" > "$T/out.json" &
	reader=$!
	STARTED_PIDS+=("$reader")
	"$UW_BIN" -o json --metrics "$MPORT" --stats-interval 0 > "$T/fifo" 2> "$T/err" &
	UW_PID=$!
	for i in $(seq 1 300); do grep -q "watching" "$T/err" && break; sleep 0.05; done
	get /healthz || return 1
	assert_eq 200 "$STATUS" "/healthz while the output flows" || return 1
	kill -STOP "$reader"
	# stats records until the pipe (64 KiB) is full and a write blocks
	for i in $(seq 1 400); do kill -USR1 "$UW_PID"; sleep 0.005; done
	sleep 0.5
	if /usr/bin/python3 "$PROM" fetch "http://127.0.0.1:$MPORT/healthz" "$T/body" > "$T/blocked" 2>&1; then
		kill -CONT "$reader"
		fail "/healthz answered while the output was blocked: $(cat "$T/blocked")"; return 1
	fi
	kill -CONT "$reader"
	for i in $(seq 1 50); do get /healthz 2>/dev/null && [ "$STATUS" = 200 ] && break; sleep 0.1; done
	assert_eq 200 "$STATUS" "/healthz once the output flows again" || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit code" &&
	wait "$reader"
	# (signals that arrive while one waits are one request: fewer records than signals)
	jq -e . "$T/out.json" > /dev/null || { fail "a record was split"; return 1; }
	assert_eq exit "$(tail -n 1 "$T/out.json" | jq -r .reason)" "the exit stats record came through"
}

# What a hostile client sends is answered by libmicrohttpd's own checks, under the watch's
# seccomp filter: a header past 16 KiB (431), a request line without a version (400), a path
# outside the two (404), a query string and a body on GET (ignored: 200); bytes that are no
# HTTP at all get no answer: the connection is closed (at the latest when its 5 s are up). The
# watch stays up and healthy.
test_metrics_hostile_requests() {
	local out
	MPORT=$(free_port) || { fail "no free port"; return 1; }
	uw_start --metrics "$MPORT" --stats-interval 0 || return 1
	out=$(/usr/bin/python3 - "$MPORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
def status(req):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(req)
    s.settimeout(8)
    try:
        line = s.recv(64).split(b"\r\n")[0].decode("latin-1")
    except socket.timeout:
        line = "no answer"
    s.close()
    if not line:
        return "closed"
    return line.split(" ")[1] if line.startswith("HTTP/1.1 ") else line
print(status(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 20000 + b"\r\n\r\n"))
print(status(b"GET /healthz\r\n\r\n"))
print(status(b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"))
print(status(b"GET /metrics?x=%00%ff HTTP/1.1\r\nHost: x\r\n\r\n"))
print(status(b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + b"x" * 1000))
print(status(b"\x00\xff\x01 not http\r\n\r\n"))
PY
) || { fail "the client: $out"; return 1; }
	assert_eq "431 400 404 200 200 closed" "$(echo "$out" | tr '\n' ' ' | sed 's/ $//')" "statuses" || return 1
	kill -0 "$UW_PID" || { fail "the watch ended: $(cat "$T/err")"; return 1; }
	get /healthz || return 1
	assert_eq 200 "$STATUS" "/healthz afterwards" || return 1
	uw_stop
	assert_eq 0 "$UW_RC" "exit code"
}

# Every metric the alert rules (tools/dist/prometheus) and the Grafana dashboard
# (tools/dist/grafana) name is one the watch serves, Prometheus's own `up` aside, and the
# dashboard shows every family the watch serves: a watch with --metrics and --syslog (UDP, to a
# port nobody reads, so that the syslog families are served too) is scraped once its self
# record is written. The names are read from each query with Prometheus's PromQL grammar
# (tests/deploy/check.mjs, as test_grafana_dashboard in test_artifacts.sh).
test_metrics_dashboard_and_rules_served() {
	local rc sport
	deploy_tools; rc=$?
	[ "$rc" -eq 0 ] || return "$rc"
	monitoring_exprs "$T/exprs.json" && deploy_check promql "$T/exprs.json" > "$T/selectors.json" ||
		{ fail "the rules' and the dashboard's queries do not parse"; return 1; }
	jq -r '[to_entries[] | select(.key | startswith("rule ")) | .value[].name] | unique[]' "$T/selectors.json" > "$T/rules.names"
	jq -r '[to_entries[] | select(.key | startswith("rule ") | not) | .value[].name] | unique[]' "$T/selectors.json" > "$T/dashboard.names"
	MPORT=$(free_port) && sport=$(free_port) || { fail "no free port"; return 1; }
	uw_start --metrics "$MPORT" --syslog "udp:127.0.0.1:$sport" --stats-interval 0 || return 1
	wait_json '.event == "self"' 10 >/dev/null || return 1
	scrape "$T/s.json" || return 1
	# the families served: the samples' names (a counter's samples keep their _total)
	jq -r 'keys[] | sub("\\{.*"; "")' "$T/s.json" | LC_ALL=C sort -u > "$T/served.names"
	assert_eq 28 "$(wc -l < "$T/served.names")" "families served with --syslog" || return 1
	assert_eq "" "$(LC_ALL=C comm -23 "$T/rules.names" <(echo up | LC_ALL=C sort -u - "$T/served.names") | tr '\n' ' ')" \
		"metrics the alert rules name that the watch does not serve" &&
	assert_eq "" "$(LC_ALL=C comm -23 "$T/dashboard.names" <(echo up | LC_ALL=C sort -u - "$T/served.names") | tr '\n' ' ')" \
		"metrics the dashboard names that the watch does not serve" &&
	assert_eq "" "$(LC_ALL=C comm -13 "$T/dashboard.names" "$T/served.names" | tr '\n' ' ')" \
		"metrics the watch serves that the dashboard does not show" &&
	assert_eq 14 "$(wc -l < "$T/rules.names")" "metrics the rules name (up and 13 of the watch's)" || return 1
	kill -0 "$UW_PID" || { fail "the watch ended: $(cat "$T/err")"; return 1; }
	uw_stop
	assert_eq 0 "$UW_RC" "exit code"
}
