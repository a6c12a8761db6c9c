# shellcheck shell=bash
# Integration tests: the real binary with -o json against containers built the way runtimes
# build them. Each test_* function runs in its own subshell (tests/run.sh) and must fail on
# any wrong ID, field or count.

needs() { requires root btf cmd:unshare cmd:jq; }

SLEEP=$(readlink -f "$(command -v sleep)")

# (1) no user namespace, Docker cgroupfs layout (/docker/<id>, v1 and v2): alert on exec
test_docker_cgroupfs_exec_alert() {
	local id line
	id=$(rand_id)
	uw_start || return 1
	violating "/docker/$id" || return 1
	line=$LINE
	fields "$line" .container.id .container.runtime .process.exe .process.comm .process.ppid \
		.process.euid .severity .cgroup.path .userns.inum .userns.host .ns.mnt .ns.pid .ns.net \
		.rule.id .ts || return 1
	assert_eq "$id" "${F[0]}" "container.id" &&
	assert_eq docker "${F[1]}" "container.runtime" &&
	assert_eq "$SLEEP" "${F[2]}" "process.exe" &&
	assert_eq sleep "${F[3]}" "process.comm" &&
	assert_eq "$UPID" "${F[4]}" "process.ppid" &&
	assert_eq 0 "${F[5]}" "process.euid" &&
	assert_eq critical "${F[6]}" "severity" &&
	assert_eq "/docker/$id" "${F[7]}" "cgroup.path" &&
	assert_eq "$(ino self user)" "${F[8]}" "userns.inum" &&
	assert_eq true "${F[9]}" "userns.host" &&
	assert_eq "$(ino "$CPID" mnt)" "${F[10]}" "ns.mnt" &&
	assert_eq "$(ino "$CPID" pid)" "${F[11]}" "ns.pid" &&
	assert_eq "$(ino "$CPID" net)" "${F[12]}" "ns.net" &&
	assert_eq CIS-Docker-5.31 "${F[13]}" "rule.id" || return 1
	[[ ${F[14]} =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z$ ]] ||
		{ fail "ts format: ${F[14]}"; return 1; }
	# the fork of unshare's child, before its exec, is the runtime's setup (a process of host
	# lineage that has run no program in the container): counted in the kernel, not sent
	assert_eq 0 "$(count_json ".source == \"fork\" and .process.pid == $CPID")" "fork records of the setup" || return 1
	[ "$(jq .kernel.setup <<<"$(stats_now)")" -ge 1 ] || { fail "kernel.setup: not counted"; return 1; }
	uw_stop
	schema_valid
}

# Docker with the systemd cgroup driver: system.slice/docker-<id>.scope
test_docker_systemd_scope_alert() {
	local id line
	id=$(rand_id)
	uw_start || return 1
	violating "/system.slice/docker-$id.scope" || return 1
	line=$LINE
	expect "$line" \
		.container.id "$id" \
		.container.runtime docker
}

# containerd under Kubernetes, systemd driver, burstable pod
test_kubernetes_pod_alert() {
	local id uid path line
	id=$(rand_id)
	uid=$(rand_uid)
	path="/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid//-/_}.slice/cri-containerd-$id.scope"
	uw_start || return 1
	violating "$path" || return 1
	line=$LINE
	expect "$line" \
		.container.id "$id" \
		.container.runtime containerd \
		.container.pod_uid "$uid" || return 1
	uw_stop
	schema_valid
}

# (2) the same container with its own user namespace (unshare -U -r): no alert
test_own_userns_no_alert() {
	local id
	id=$(rand_id)
	uw_start || return 1
	mk_cgroup "/docker/$id"
	container "/docker/$id" both --user --map-root-user -- "$SLEEP" 600 || return 1
	local c1=$CPID
	[ "$(readlink /proc/$c1/ns/user)" != "$(readlink /proc/self/ns/user)" ] || { fail "no user namespace"; return 1; }
	sentinel || return 1
	assert_eq 0 "$(count_json ".container.id == \"$id\" or .process.pid == $c1")" "alerts for the userns container"
}

# (3) ordinary host processes and a host service with only a private mount namespace: no alert
test_host_activity_no_alert() {
	local svc
	uw_start || return 1
	"$SLEEP" 0.01; /bin/true; sh -c 'ls / >/dev/null'
	mk_cgroup "/system.slice/uw-test-privatetmp.service"
	run_in_cgroup "/system.slice/uw-test-privatetmp.service" both unshare --mount --fork --kill-child -- sh -c "sleep 0.2; exec $SLEEP 600"
	svc=$LAST_PID
	STARTED_PIDS+=("$(child_of "$svc")") || return 1
	sleep 0.5
	sentinel || return 1
	assert_eq 0 "$(count_json '.event == "host_userns" and (.cgroup.path | test("uw-test-privatetmp"))')" "alerts for the PrivateTmp service" &&
	assert_eq 0 "$(count_json '.event == "host_userns" and .container.runtime != "docker"')" "alerts other than the sentinel's"
}

# (4) a violating container started before userns-watch: snapshot, and --once exits 1
test_snapshot_and_once() {
	local id line rc
	id=$(rand_id)
	idle_container "/docker/$id" || return 1
	uw_start || return 1
	line=$(wait_json ".source == \"snapshot\" and .process.pid == $CPID") || return 1
	expect -m snapshot "$line" \
		.container.id "$id" \
		.process.exe "$SLEEP" || return 1
	uw_stop
	"$UW_BIN" --once -o json > "$T/once.json" 2> "$T/once.err"
	rc=$?
	assert_eq 1 "$rc" "--once exit code with a violation" || { cat "$T/once.err" >&2; return 1; }
	line=$(json_lines ".event == \"host_userns\" and .process.pid == $CPID" "$T/once.json")
	expect -m --once "$line" \
		.container.id "$id" \
		.source snapshot &&
	assert_eq once "$(jq -r 'select(.event == "stats") | .reason' "$T/once.json")" "--once stats record" || return 1
	schema_valid "$T/once.json" || return 1
	# and 0 once the container is gone
	kill -KILL "$UPID" "$CPID"; wait "$UPID" 2>/dev/null
	for _ in $(seq 1 50); do kill -0 "$CPID" 2>/dev/null || break; sleep 0.02; done
	"$UW_BIN" --once -o json > "$T/once2.json" 2>&1
	rc=$?
	assert_eq 0 "$rc" "--once exit code without violations" || { cat "$T/once2.json" >&2; return 1; }
}

# (5) a container in cgroup v1 hierarchies only (hybrid host): alert with its ID
test_v1_only_container() {
	local id line
	kernel_has cgroup-v1 || return
	id=$(rand_id)
	uw_start || return 1
	violating "/docker/$id" v1 || return 1
	line=$LINE
	expect "$line" \
		.container.id "$id" \
		.container.runtime docker &&
	[[ $(jq -r .cgroup.hierarchy <<<"$line") == v1:* ]] || { fail "hierarchy: $(jq -r .cgroup.hierarchy <<<"$line")"; return 1; }
}

# (6) comm with quotes, a newline and bytes >= 0x80: valid JSON with the exact bytes
test_hostile_comm_valid_json() {
	local id dir name line want
	id=$(rand_id)
	dir=$T/bin
	mkdir -p "$dir"
	name=$(printf 'q"x\ny\x80\xff\\z')
	cp "$SLEEP" "$dir/$name"
	uw_start || return 1
	violating "/docker/$id" both "$dir/$name" 600 || return 1
	line=$LINE
	all_json_valid || return 1
	# invalid UTF-8 bytes are written as \u00XX: jq decodes them to U+0080 and U+00FF
	want=$(printf 'q"x\ny\xc2\x80\xc3\xbf\\z')
	assert_eq "$want" "$(jq -j .process.comm <<<"$line")" "process.comm" &&
	assert_eq "$dir/$want" "$(jq -j .process.exe <<<"$line")" "process.exe" &&
	grep -q '"comm":"q\\"x\\ny\\u0080\\u00ff\\\\z"' "$T/out.json" || { fail "raw comm escape"; return 1; }
	schema_valid
}

# 1,000 ordinary host execs send zero events through the ring buffer
test_host_execs_send_nothing() {
	local before=() i
	uw_start || return 1
	fields "$(stats_now)" '.kernel.sent | tojson' '.received | tojson' || return 1
	before=("${F[@]}")
	# (300: under software emulation each costs tens of milliseconds)
	for i in $(seq 1 300); do /bin/true; done
	fields "$(stats_now)" '.kernel.sent | tojson' '.received | tojson' '.kernel.lost | tojson' || return 1
	assert_eq 0 "$(( F[0] - before[0] ))" "ring buffer records for 300 host execs" &&
	assert_eq 0 "$(( F[1] - before[1] ))" "records received for 300 host execs" &&
	assert_eq 0 "${F[2]}" "kernel.lost"
}

# Flood control: many distinct programs in one container give max-alerts alerts, the rest counted
test_flood_control() {
	local id stats i c
	id=$(rand_id)
	copies /bin/true 6 "$T/flood/p"
	mkfifo "$T/flood/go"
	uw_start --max-alerts 3 || return 1
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- sh -c "for i in 1 2 3 4 5 6; do $T/flood/p\$i; done; read x < $T/flood/go; for i in 1 2; do $T/flood/p\$i; done; exec $SLEEP 600" || return 1
	# the limit notice is written when p2's record arrives, after p1's and p2's keys went to
	# the kernel: the second runs of p1 and p2 are the kernel's repeats
	wait_json ".event == \"alert_limit\" and .key == \"$id\"" >/dev/null || return 1
	timeout 60 sh -c "echo > $T/flood/go" || { fail "the container stopped waiting"; return 1; }
	# the loop is over once the container runs sleep (its alert is suppressed: nothing to wait
	# for in the output); a sentinel's alert then says every record before it has been read
	until_exe "$CPID" "$SLEEP" || return 1
	sentinel || return 1
	stats=$(stats_now)
	c="[.containers[] | select(.key == \"$id\")][0]"
	assert_eq 3 "$(count_json ".event == \"host_userns\" and .container.id == \"$id\"")" "alerts for the container" &&
	assert_eq 1 "$(count_json ".container.id == \"$id\" and .alert_limit_reached == true")" "limit notice" &&
	# sh, p1 and p2 are alerted on (unshare's fork is the runtime's setup, never sent); p3 to
	# p6 and sleep are over the limit (the suppressed count); p1 and p2 again are repeats,
	# decided in the kernel (the same file in the same container) and not sent: none reach
	# userspace
	expect -m stats "$stats" \
		"$c.alerts | tojson" 3 \
		"$c.suppressed | tojson" 5 \
		"$c.repeats | tojson" 0 \
		'.kernel.repeats | tojson' 2 ||
		return 1
	schema_valid
}

# The repeat cache: the same program in the same container with the same credentials, once
# userspace has its first record (and so its key), is decided in the kernel and not sent
# (counted in kernel.repeats); the same file rewritten in place (a new change time), the same
# file run under another uid, and anything after a policy reload are sent again, and
# userspace's flood control counts them as its own repeats.
test_repeats_decided_in_kernel() {
	local id stats i other
	id=$(rand_id) other=$(rand_id)
	mkdir -p "$T/rep"
	cp /bin/true "$T/rep/p1"
	mkfifo "$T/rep/go0" "$T/rep/go1" "$T/rep/go2"
	printf 'allow:\n  - name: other\n    reason: "a container this test does not run"\n    match:\n      runtime: docker\n      container_id: "%s"\n' "$other" > "$T/p.yaml"
	uw_start --policy "$T/p.yaml" || return 1
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- sh -c "$T/rep/p1; read x < $T/rep/go0; $T/rep/p1; : > $T/rep/done1; read x < $T/rep/go1
		$T/rep/p1; setpriv --reuid 1000 $T/rep/p1; : > $T/rep/done2; read x < $T/rep/go2
		$T/rep/p1; exec $SLEEP 600" || return 1
	# p1's alert is written after its key went to the kernel: the next run is the kernel's
	wait_json ".event == \"host_userns\" and .container.id == \"$id\" and .process.exe == \"$T/rep/p1\"" >/dev/null || return 1
	# a stat of the file (anyone's: ls -l, the attacker's own) changes nothing of it (since 6.13 the
	# kernel marks its change time as queried, in a bit the key must not take for time)
	stat "$T/rep/p1" > /dev/null
	timeout 60 sh -c "echo > $T/rep/go0" || { fail "the container stopped waiting"; return 1; }
	for i in $(seq 1 600); do [ -e "$T/rep/done1" ] && break; sleep 0.05; done
	[ -e "$T/rep/done1" ] || { fail "the container's first two runs did not end"; return 1; }
	# the same inode, rewritten: its change time is new
	cat /bin/true > "$T/rep/p1"
	timeout 60 sh -c "echo > $T/rep/go1" || { fail "the container stopped waiting"; return 1; }
	for i in $(seq 1 600); do [ -e "$T/rep/done2" ] && break; sleep 0.05; done
	[ -e "$T/rep/done2" ] || { fail "the container's second phase did not end"; return 1; }
	kill -HUP "$UW_PID"
	wait_json '.event == "policy" and .action == "reloaded"' >/dev/null || return 1
	timeout 60 sh -c "echo > $T/rep/go2" || { fail "the container stopped waiting"; return 1; }
	until_exe "$CPID" "$SLEEP" || return 1
	sentinel || return 1
	stats=$(stats_now)
	# p1 ran six times: the first is alerted on, the second is the kernel's one repeat (no
	# repeat-cache key failed to be added); the rewritten file is another program (same inode,
	# a new change time: flood control tells programs apart by both), alerted on; uid 1000 and
	# the run after the reload reach userspace as its repeats
	assert_eq 2 "$(count_json ".event == \"host_userns\" and .container.id == \"$id\" and .process.exe == \"$T/rep/p1\"")" "alerts for p1 (the file, then the file rewritten)" &&
	expect -m stats "$stats" \
		'.kernel.repeats | tojson' 1 \
		'.repeat_failed | tojson' 0 \
		"[.containers[] | select(.key == \"$id\")][0].repeats | tojson" 2 ||
		return 1
	schema_valid
}

# The watched-process table's counting filter (bpf/uw_maps.h, seen_slots) never counts fewer
# entries than the table has in a slot, and once processes have settled exactly as many: the
# slots of a container's init (watched, running) and of its 12 children (watched, then gone)
# each hold the number of table entries in them. A slot lowered too far would hide a watched
# process from the host test; one left high only costs a lookup.
test_seen_filter_counts_entries() {
	local before ids maps slots seen id i p pids keys slot want got
	before=$(bpftool prog show -j | jq -r '.[].id')
	uw_start || return 1
	ids=$(new_prog_ids "$before")
	# shellcheck disable=SC2086
	maps=$(bpftool prog show -j | of_ids id '.map_ids[]?' $ids | sort -u)
	# shellcheck disable=SC2086
	slots=$(bpftool map show -j | of_ids id 'select(.name == "seen_slots") | .id' $maps)
	# shellcheck disable=SC2086
	seen=$(bpftool map show -j | of_ids id 'select(.name == "seen_map") | .id' $maps)
	[ -n "$slots" ] && [ -n "$seen" ] || { fail "no seen_slots or seen_map among the programs' maps ($maps)"; return 1; }
	id=$(rand_id)
	mk_cgroup "/docker/$id"
	# each child writes its pid as the host's procfs shows it (\$! would be the container's)
	container "/docker/$id" both -- sh -c "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		sh -c 'read p x < /proc/self/stat; echo \$p >> $T/pids; exec $SLEEP 0.05' & done
		wait; : > $T/done; exec $SLEEP 600" || return 1
	for i in $(seq 1 600); do [ -e "$T/done" ] && break; sleep 0.05; done
	[ -e "$T/done" ] || { fail "the container's children did not end"; return 1; }
	until_exe "$CPID" "$SLEEP" || return 1
	pids=$(cat "$T/pids")
	assert_eq 12 "$(wc -w <<<"$pids")" "children started" || return 1
	keys=$(bpftool map dump id "$seen" -j | jq -r '.[].formatted.key')
	grep -qxF "$CPID" <<<"$keys" || { fail "the container's init $CPID is not in the table"; return 1; }
	for p in $pids; do
		grep -qxF "$p" <<<"$keys" && { fail "child $p, gone, is still in the table"; return 1; }
	done
	for p in "$CPID" $pids; do
		slot=$((p & 65535))
		want=$(awk -v s="$slot" '$1 % 65536 == s' <<<"$keys" | wc -l)
		got=$(bpftool map lookup id "$slots" key $((slot & 255)) $((slot >> 8)) 0 0 -j | jq -r .formatted.value)
		assert_eq "$want" "$got" "slot $slot (process $p)" || return 1
	done
}

# The hooks read through bpf_rdonly_cast's untrusted copy of their task exactly where the
# kernel has that kfunc (bpf/uw_maps.h): the loaded programs' read-only data says
# have_rdonly_cast 1 when the kernel's BTF names it, 0 when not (5.10 and 6.1 guests)
test_untrusted_cast_where_kernel_has_it() {
	local before ids maps m want got=""
	before=$(bpftool prog show -j | jq -r '.[].id')
	uw_start || return 1
	ids=$(new_prog_ids "$before")
	# the programs' maps, and of them the read-only data's (one bpftool and jq each: jq is slow
	# under emulation)
	# shellcheck disable=SC2086
	maps=$(bpftool prog show -j | of_ids id '.map_ids[]?' $ids | sort -u)
	# shellcheck disable=SC2086
	m=$(bpftool map show -j | of_ids id 'select((.name // "") | endswith(".rodata")) | .id' $maps | head -n 1)
	[ -n "$m" ] || { fail "no .rodata map among the programs' maps ($maps)"; return 1; }
	got=$(bpftool map dump id "$m" -j 2>/dev/null |
		jq -r '.[0].formatted.value[".rodata"][]? | select(has("have_rdonly_cast")) | .have_rdonly_cast')
	want=$(bpftool btf dump file /sys/kernel/btf/vmlinux | grep -c "FUNC 'bpf_rdonly_cast'")
	assert_eq "$want" "$got" "have_rdonly_cast in the programs' read-only data"
}

# Shutdown: SIGINT exits 0 with a stats record, none of our BPF programs stay loaded, and
# tracefs is not left mounted if userns-watch mounted it. SIGKILL leaves no program either.
test_clean_shutdown() {
	local before ids names tracefs_before want
	mountpoint -q /sys/kernel/tracing && tracefs_before=1 || tracefs_before=0
	before=$(bpftool prog show -j | jq -r '.[].id')
	uw_start || return 1
	ids=$(new_prog_ids "$before")
	# names compared on their first 15 bytes: the kernel keeps no more, and bpftool shows the
	# whole name only where it finds it in the program's BTF
	# shellcheck disable=SC2086
	names=$(prog_names $ids)
	# the programs are those this kernel takes
	if [ "$(kernel_task_hooks)" = tp_btf ]; then
		want="exec_btf exit_btf fork_btf rmdir_btf"
	else
		want="exec_raw exit_raw fork_raw rmdir_raw"
	fi
	want+=" learn_host snapshot_tasks"
	if [ "$(kernel_transition_hooks)" = fentry ]; then
		want+=" fentry_setns fentry_unshare fexit_setns fexit_unshare"
		# x86's 32-bit table has entry points of its own (include/uw_arch.h); arm64's compat
		# tasks call the 64-bit ones
		[ "$(uname -m)" = x86_64 ] && [ "$(kernel_compat_hooks)" = fentry ] &&
			want+=" fentry_setns32 fentry_unshare32 fexit_setns32 fexit_unshare32"
		# taking hold of a process: where the kernel grants it, whatever the call
		want+=" fexit_ptrace_access fexit_proc_mem"
	else
		want+=" enter_setns enter_unshare exit_setns exit_unshare"
		# ptrace and process_vm_writev: their syscall tracepoints
		want+=" enter_ptrace exit_ptrace enter_vmwrite exit_vmwrite"
	fi
	assert_eq "$(tr ' ' '\n' <<<"$want" | cut -c1-15 | sort | tr '\n' ' ')" "$names" "programs loaded" || return 1
	# the tracepoints are attached: tracefs is unmounted again right after, if it was mounted
	# for them (no capability is kept to unmount it at exit)
	if [ "$tracefs_before" = 0 ] && mountpoint -q /sys/kernel/tracing; then
		fail "tracefs left mounted while watching"; return 1
	fi
	uw_stop
	assert_eq 0 "$UW_RC" "exit code after SIGINT" || return 1
	assert_eq exit "$(jq -r 'select(.event == "stats") | .reason' "$T/out.json" | tail -n 1)" "stats record at exit" || return 1
	# shellcheck disable=SC2086
	programs_gone $ids || return 1
	if [ "$tracefs_before" = 0 ] && mountpoint -q /sys/kernel/tracing; then
		fail "tracefs left mounted after a clean exit"; return 1
	fi
	# a killed process: its links die with its file descriptors
	before=$(bpftool prog show -j | jq -r '.[].id')
	uw_start || return 1
	ids=$(new_prog_ids "$before")
	kill -KILL "$UW_PID"; wait "$UW_PID" 2>/dev/null; UW_PID=""
	# shellcheck disable=SC2086
	programs_gone $ids || return 1
	# SIGKILL gives no chance to unmount: put tracefs back as it was
	if [ "$tracefs_before" = 0 ] && mountpoint -q /sys/kernel/tracing; then umount /sys/kernel/tracing; fi
}

# Text output (the default): one readable line per alert
test_text_output() {
	local id
	id=$(rand_id)
	"$UW_BIN" > "$T/out.txt" 2> "$T/err" &
	UW_PID=$!
	for _ in $(seq 1 300); do grep -q watching "$T/err" && break; sleep 0.05; done
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- "$SLEEP" 600 || return 1
	for _ in $(seq 1 200); do grep -q "pid=$CPID " "$T/out.txt" && break; sleep 0.05; done
	# for people: the program and user first; caps "full" for every capability up to
	# cap_audit_read, "full-except:..." for one lacking a few, else their names; a 12-character
	# ID; no cgroup path, full ID or colour (not a terminal)
	grep "pid=$CPID " "$T/out.txt" | grep -Eq " critical HOST-USERNS exe=\"$SLEEP\" uid=0 euid=0 caps=(full|full-except:[a-z_,]+|[a-z_,]*cap_sys_admin[a-z_,]*) container=docker:${id:0:12} pid=$CPID source=exec fix=\"enable userns-remap in daemon.json\"\$" ||
		{ fail "text line: $(cat "$T/out.txt")"; return 1; }
	assert_eq 0 "$(grep -c -e "$id" -e 'cgroup=' -e $'\033' "$T/out.txt")" "lines with the full ID, a cgroup path or colour" || return 1
	kill -INT "$UW_PID"; wait "$UW_PID"; UW_PID=""
	# -v: the rule, the full ID and the cgroup path
	"$UW_BIN" --once -v > "$T/v.txt" 2> "$T/err"
	grep "pid=$CPID " "$T/v.txt" | grep -q " container=docker:$id pid=$CPID source=snapshot fix=\"enable userns-remap in daemon.json\" rule=CIS-Docker-5.31 ppid=$UPID comm=\"sleep\" userns=" ||
		{ fail "-v text line: $(cat "$T/v.txt")"; return 1; }
	grep "pid=$CPID " "$T/v.txt" | grep -q "cgroup=\"/docker/$id\"" || { fail "-v cgroup path: $(cat "$T/v.txt")"; return 1; }
	# on a terminal the severity is coloured, unless NO_COLOR is set
	command -v script >/dev/null || { fail "no script(1) (bsdutils) to give the watch a terminal"; return 1; }
	script -qec "$UW_BIN --once" /dev/null > "$T/tty.txt" 2>&1 < /dev/null
	grep "pid=$CPID " "$T/tty.txt" | grep -q $'\033\[1;31mcritical\033\[0m HOST-USERNS' ||
		{ fail "no colour on a terminal: $(cat -v "$T/tty.txt" | head -3)"; return 1; }
	NO_COLOR=1 script -qec "$UW_BIN --once" /dev/null > "$T/tty.txt" 2>&1 < /dev/null
	assert_eq 0 "$(grep -c $'\033\[' "$T/tty.txt")" "colour with NO_COLOR=1"
}

# cap_eff_count PID: how many effective capabilities the process holds (CapEff in its status)
cap_eff_count() {
	local hex n=0 i
	hex=$(awk '$1 == "CapEff:" {print $2}' "/proc/$1/status")
	for i in $(seq 0 63); do (( (0x$hex >> i) & 1 )) && n=$((n + 1)); done
	echo "$n"
}

# Severity by what the process can do: CAP_SYS_ADMIN is critical, root without it high, a
# process that is not root and holds no capability medium; process.cap_effective names the
# effective set exactly as the kernel holds it
test_severity_by_capabilities() {
	local id line want sev
	uw_start || return 1
	for want in critical high medium; do
		id=$(rand_id)
		mk_cgroup "/docker/$id"
		case $want in
		critical) container "/docker/$id" both -- "$SLEEP" 600 || return 1 ;;
		high) container "/docker/$id" both -- setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin -- "$SLEEP" 600 || return 1 ;;
		medium) container "/docker/$id" both -- setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all -- "$SLEEP" 600 || return 1 ;;
		esac
		line=$(wait_json ".event == \"host_userns\" and .container.id == \"$id\" and .process.exe == \"$SLEEP\"") || return 1
		fields "$line" .severity '.process.cap_effective | length' \
			'.process.cap_effective | index("cap_sys_admin") != null' \
			'.process.cap_effective | index("cap_chown") != null' .process.uid .process.cap_effective || return 1
		sev=${F[0]}
		assert_eq "$want" "$sev" "severity of the $want case (${F[5]})" &&
		assert_eq "$(cap_eff_count "$CPID")" "${F[1]}" "cap_effective count ($want)" || return 1
		case $want in
		critical) assert_eq true "${F[2]}" "cap_sys_admin listed" ;;
		high) assert_eq false "${F[2]}" "cap_sys_admin not listed" &&
			assert_eq true "${F[3]}" "cap_chown listed" ;;
		medium) assert_eq 65534 "${F[4]}" "uid" &&
			assert_eq '[]' "${F[5]}" "no capability" ;;
		esac || return 1
	done
	schema_valid
}

# Bad input and missing privileges: one clear sentence, exit 2, nothing on stdout
test_errors_exit_2() {
	local rc
	"$UW_BIN" --bogus > "$T/o" 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "unknown option exit code" && grep -q "unknown option '--bogus'" "$T/e" &&
	grep -q Usage "$T/e" && [ ! -s "$T/o" ] || { fail "unknown option: $(cat "$T/e")"; return 1; }
	"$UW_BIN" -o yaml > "$T/o" 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "bad output exit code" || return 1
	"$UW_BIN" --max-alerts 0 > "$T/o" 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "bad --max-alerts exit code" || return 1
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$UW_REAL_BIN" --once > "$T/o" 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "not root exit code" && grep -q "needs root" "$T/e" && [ ! -s "$T/o" ] ||
		{ fail "not root: $(cat "$T/e")"; return 1; }
	assert_eq 1 "$(wc -l < "$T/e")" "not-root message lines" || return 1
	UW_BTF_PATH=/nonexistent/vmlinux "$UW_BIN" --once > "$T/o" 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "no BTF exit code" && grep -q "no BTF" "$T/e" ||
		{ fail "no BTF: $(cat "$T/e")"; return 1; }
	"$UW_BIN" --once --procfs /nonexistent > "$T/o" 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "bad --procfs exit code" && grep -q -- "--procfs" "$T/e" ||
		{ fail "bad procfs: $(cat "$T/e")"; return 1; }
	# libbpf's messages only with -v, and on stderr
	"$UW_BIN" --once -o json > "$T/o" 2> "$T/e"
	jq -e . "$T/o" >/dev/null || { fail "stdout is not only JSON"; return 1; }
	[ ! -s "$T/e" ] || { fail "stderr without -v: $(cat "$T/e")"; return 1; }
	"$UW_BIN" --once -o json -vv > "$T/o" 2> "$T/e"
	jq -e . "$T/o" >/dev/null || { fail "stdout is not only JSON with -vv"; return 1; }
	grep -q libbpf "$T/e" || { fail "no libbpf messages with -vv"; return 1; }
}

# The raw_tp twins (used where tp_btf does not attach) give the same verdict
test_raw_tp_hooks_alert() {
	local id line stats
	id=$(rand_id)
	uw_start --hooks raw_tp || return 1
	violating "/docker/$id" || return 1
	line=$LINE
	expect "$line" \
		.container.id "$id" \
		.process.exe "$SLEEP" || return 1
	stats=$(stats_now)
	expect -m stats "$stats" \
		.hooks raw_tp \
		.reason signal
}

# Events lost in the kernel (ring buffer full) are counted per CPU, never lost silently:
# the watch is stopped while a container execs 300 times into a 4 KiB ring buffer.
test_ring_buffer_loss_counted() {
	local id stats sent lost received percpu i
	id=$(rand_id)
	# 60 programs, each a first record (repeats are decided in the kernel), six times what a
	# 4 KiB ring buffer holds
	copies /bin/true 60 "$T/fill/p"
	uw_start --ringbuf-kib 4 || return 1
	mk_cgroup "/docker/$id"
	kill -STOP "$UW_PID"
	container "/docker/$id" both -- sh -c 'i=1; while [ $i -le 60 ]; do '"$T"'/fill/p$i; i=$((i+1)); done; exec '"$SLEEP"' 30' || { kill -CONT "$UW_PID"; return 1; }
	for _ in $(seq 1 300); do [ "$(cat /proc/"$CPID"/comm)" = sleep ] && break; sleep 0.05; done
	kill -CONT "$UW_PID"
	sleep 0.5
	stats=$(stats_now)
	fields "$stats" '.kernel.sent | tojson' '.kernel.lost | tojson' '.received | tojson' \
		'[.kernel.lost_per_cpu[]] | add | tojson' '.kernel.repeats | tojson' || return 1
	sent=${F[0]} lost=${F[1]} received=${F[2]} percpu=${F[3]}
	[ "$lost" -gt 0 ] || { fail "nothing lost with a 4 KiB ring buffer: $stats"; return 1; }
	assert_eq "$lost" "$percpu" "sum of lost_per_cpu" &&
	assert_eq "$sent" "$received" "records sent = records received" &&
	# 60 programs, the exec of sh and of sleep; the fork of unshare's child and the unshare(2)
	# that made the container's namespaces are the runtime's setup (kernel.setup), never sent
	assert_eq 62 "$((sent + lost))" "records sent + lost" &&
	assert_eq 0 "${F[4]}" "kernel.repeats"
}

# --procfs: a sidecar reads the host's /proc mounted elsewhere; same verdict
test_procfs_elsewhere() {
	local id line rc
	id=$(rand_id)
	mkdir -p "$T/hostproc"
	mount -t proc proc "$T/hostproc" || { fail "cannot mount a procfs"; return 1; }
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- "$SLEEP" 600 || { umount "$T/hostproc"; return 1; }
	sleep 0.3
	"$UW_BIN" --once -o json --procfs "$T/hostproc" > "$T/once.json" 2> "$T/err"
	rc=$?
	umount "$T/hostproc"
	assert_eq 1 "$rc" "--once --procfs exit code" || { cat "$T/err" >&2; return 1; }
	line=$(json_lines ".event == \"host_userns\" and .process.pid == $CPID" "$T/once.json")
	expect "$line" \
		.container.id "$id" \
		.process.exe "$SLEEP"
}

# A full disk or closed pipe on stdout is an error (exit 2), not a silent loss
test_output_write_error() {
	local id rc
	id=$(rand_id)
	idle_container "/docker/$id" || return 1
	"$UW_BIN" --once -o json > /dev/full 2> "$T/e"; rc=$?
	assert_eq 2 "$rc" "exit code writing to /dev/full" &&
	grep -q "cannot write the output" "$T/e" || { fail "message: $(cat "$T/e")"; return 1; }
}

# make install honours DESTDIR and prefix
test_make_install() {
	make -s install DESTDIR="$T/inst" prefix=/usr > "$T/e" 2>&1 || { fail "make install: $(cat "$T/e")"; return 1; }
	[ -x "$T/inst/usr/sbin/userns-watch" ] || { fail "no $T/inst/usr/sbin/userns-watch"; return 1; }
	assert_eq "$("$UW_BIN" --version)" "$("$T/inst/usr/sbin/userns-watch" --version)" "installed --version" &&
	cmp -s tools/dist/man/userns-watch.8 "$T/inst/usr/share/man/man8/userns-watch.8" ||
		{ fail "the man page is not installed in $T/inst/usr/share/man/man8"; return 1; }
	cmp -s tools/dist/completion/userns-watch.bash "$T/inst/usr/share/bash-completion/completions/userns-watch" &&
	cmp -s tools/dist/policy/example.yaml "$T/inst/usr/share/doc/userns-watch/policy.example.yaml" ||
		{ fail "completion or example policy not installed"; return 1; }
	local d
	for d in userns-watch.default network.conf output-file.conf syslog-unix.conf; do
		cmp -s "$(ls tools/dist/systemd/$d tools/dist/systemd/sinks/$d 2>/dev/null | head -n 1)" "$T/inst/usr/share/doc/userns-watch/systemd/$d" ||
			{ fail "$d not installed in share/doc/userns-watch/systemd"; return 1; }
	done
	grep -qx 'ExecStart=/usr/sbin/userns-watch -o json $USERNS_WATCH_OPTS' "$T/inst/usr/lib/systemd/system/userns-watch.service" ||
		{ fail "the unit's ExecStart is not the installed program: $(grep ExecStart "$T/inst/usr/lib/systemd/system/userns-watch.service")"; return 1; }
	make -s uninstall DESTDIR="$T/inst" prefix=/usr > "$T/e" 2>&1 || { fail "make uninstall: $(cat "$T/e")"; return 1; }
	assert_eq "" "$(find "$T/inst" -type f)" "files left by make uninstall"
}

# Containers whose cgroup is created and entered right before their first exec (well within
# 5 ms) are named correctly: cgroups are resolved by ID on their first event.
test_fresh_cgroups_named() {
	local i ids=() files h n
	uw_start || return 1
	for i in $(seq 1 20); do ids+=("$(rand_id)"); done
	for i in "${ids[@]}"; do
		files=""
		[ -z "$CG2" ] || files="$CG2/docker/$i"
		for h in "${CG1[@]}"; do files="$files $h/docker/$i"; done
		mk_cgroup /docker   # the parent only; each container's group is made by the shell below
		# shellcheck disable=SC2016
		sh -c 'for d in $1; do mkdir "$d" || exit 97
				[ -f "$d/cpuset.cpus" ] && cat "$(dirname "$d")/cpuset.cpus" > "$d/cpuset.cpus" && cat "$(dirname "$d")/cpuset.mems" > "$d/cpuset.mems"
				echo $$ > "$d/cgroup.procs" || exit 98; done
			exec unshare --mount --pid --uts --ipc --fork --kill-child /bin/true' _ "$files" || return 1
		for h in $files; do MADE_CGROUPS+=("$h"); done
	done
	for i in "${ids[@]}"; do
		wait_json ".container.id == \"$i\" and .source == \"exec\" and .process.exe == \"/bin/true\"" >/dev/null || return 1
	done
	n=$(count_json '.event == "host_userns" and .container.runtime == "unknown"')
	assert_eq 0 "$n" "alerts with an unresolved container"
}

# A removed container cgroup is forgotten (the kernel reports its removal)
test_removed_cgroup_forgotten() {
	local id stats c
	id=$(rand_id)
	uw_start || return 1
	violating "/docker/$id" || return 1
	kill -KILL "$UPID" "$CPID"; wait "$UPID" 2>/dev/null
	for _ in $(seq 1 100); do kill -0 "$CPID" 2>/dev/null || break; sleep 0.02; done
	for c in ${CG2:+"$CG2/docker/$id"} "${CG1[@]/%//docker/$id}"; do
		for _ in $(seq 1 50); do rmdir "$c" 2>/dev/null && break; sleep 0.02; done
	done
	sleep 0.3
	stats=$(stats_now)
	assert_eq 1 "$(jq .cgroups_removed <<<"$stats")" "cgroups_removed"
}

# An unknown cgroup layout whose process has a pid namespace and a root file system of its own
# (an image): runtime "unknown"
test_unknown_layout_reported() {
	local line root=$T/rootfs
	[ -x /bin/busybox ] || { fail "no /bin/busybox"; return 1; }
	mkdir -p "$root/bin" && cp /bin/busybox "$root/bin/busybox"
	uw_start || return 1
	mk_cgroup "/uw-test-custom-engine/box-1"
	container "/uw-test-custom-engine/box-1" both --root="$root" -- /bin/busybox sleep 600 || return 1
	line=$(wait_json ".source == \"exec\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.runtime unknown \
		.container.id null \
		.container.evidence pid_namespace \
		.cgroup.path /uw-test-custom-engine/box-1
}

# Host root sandboxing itself: unshare --pid --fork --mount-proc from a host shell, and a
# service with a pid namespace of its own, both over the host's root file system and in
# cgroups that name no container: quiet (a pid namespace alone does not make a container)
test_host_sandbox_quiet() {
	local svc=/system.slice/uw-test-sandbox-$RANDOM.service stats
	uw_start || return 1
	unshare --pid --fork --mount-proc -- sh -c "/bin/true; $SLEEP 0.1" || { fail "unshare sandbox"; return 1; }
	mk_cgroup "$svc"
	run_in_cgroup "$svc" both unshare --pid --fork --mount --mount-proc -- sh -c "/bin/true; exec $SLEEP 0.3"
	wait "$LAST_PID"
	sentinel || return 1
	stats=$(stats_now)
	assert_eq 0 "$(count_json '.event == "host_userns" and .container.runtime == "unknown"')" "unknown containers" &&
	assert_eq 0 "$(count_json ".cgroup.path == \"$svc\"")" "alerts for the service" &&
	[ "$(jq .not_container <<<"$stats")" -ge 2 ] || { fail "not_container: $stats"; return 1; }
}

# --once in text ends with the CIS audit table: every container found, compliant ones too,
# FAIL first, with runtime, short ID, user namespace and processes seen
test_once_audit_table() {
	local bad good rc
	bad=$(rand_id)
	good=$(rand_id)
	idle_container "/docker/$bad" || return 1
	idle_container "/docker/$good" --user --map-root-user || return 1
	"$UW_BIN" --once > "$T/once.txt" 2> "$T/err"
	rc=$?
	assert_eq 1 "$rc" "--once exit code" || return 1
	grep -Eq "^CIS Docker Benchmark 5\.31 \(the host's user namespace is not shared\): [0-9]+ containers, [1-9][0-9]* FAIL, 0 ALLOWED, [1-9][0-9]* PASS$" "$T/once.txt" ||
		{ fail "no summary line: $(cat "$T/once.txt")"; return 1; }
	grep -q '^VERDICT RUNTIME    CONTAINER    NAME  ' "$T/once.txt" || { fail "no table header: $(cat "$T/once.txt")"; return 1; }
	# unshare and its child in each: the first both in the host's user namespace, the second
	# both in one of their own
	grep -Eq "^FAIL +docker +${bad:0:12} +- +- +host +2$" "$T/once.txt" || { fail "no FAIL row: $(cat "$T/once.txt")"; return 1; }
	grep -Eq "^PASS +docker +${good:0:12} +- +- +own +2$" "$T/once.txt" || { fail "no PASS row: $(cat "$T/once.txt")"; return 1; }
	# FAIL rows come first
	[ "$(grep -nE "^FAIL +docker +${bad:0:12}" "$T/once.txt" | cut -d: -f1)" -lt "$(grep -nE "^PASS +docker +${good:0:12}" "$T/once.txt" | cut -d: -f1)" ] ||
		{ fail "FAIL rows do not come first"; return 1; }
	# JSON has no table
	"$UW_BIN" --once -o json > "$T/once.json" 2> "$T/err"
	assert_eq 0 "$(grep -c "^CIS\|^VERDICT" "$T/once.json")" "table lines in JSON output" &&
	schema_valid "$T/once.json"
}

# The heartbeat: --stats-interval 1 writes a stats record every second, reason "interval", with
# the counts so far, each with the next record id of the run.
test_stats_interval_heartbeat() {
	local lines n
	uw_start --stats-interval 1 || return 1
	sleep 3.5
	uw_stop
	lines=$(json_lines '.event == "stats" and .reason == "interval"')
	n=$(grep -c . <<<"$lines")
	[ "$n" -ge 3 ] && [ "$n" -le 4 ] || { fail "interval stats records in 3.5 s: $n"; return 1; }
	# one run: the same run ID, numbers rising by one per record written
	assert_eq 1 "$(jq -r '.id | split("-")[0]' "$T/out.json" | sort -u | wc -l)" "run IDs in one run" &&
	assert_eq "$(seq -s ' ' 1 "$(wc -l < "$T/out.json")")" "$(jq -r '.id | split("-")[1]' "$T/out.json" | tr '\n' ' ' | sed 's/ $//')" "record numbers" &&
	assert_eq exit "$(jq -r 'select(.event == "stats") | .reason' "$T/out.json" | tail -n 1)" "the last stats record" &&
	schema_valid || return 1
	# text: no heartbeat unless asked
	"$UW_BIN" -o text > "$T/out.txt" 2> "$T/err" &
	UW_PID=$!
	sleep 1.5
	uw_stop
	assert_eq 1 "$(grep -c ' stats ' "$T/out.txt")" "text stats lines (the exit one)"
}
