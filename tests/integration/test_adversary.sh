# shellcheck shell=bash
# Integration tests: a process that is root on the host, in a container, trying to stay unseen
# by what it knows of userns-watch. Each route must be reported (the tests fail on a watch that
# lets it through), and the legitimate look-alikes must stay quiet.

needs() { requires root btf cmd:nsenter cmd:unshare helper:uw-nstest; }

SLEEP=$(readlink -f "$(command -v sleep)")
NSTEST=$PWD/.output/tests/uw-nstest
COMPAT=$PWD/.output/tests/uw-compat
HOST_USERNS=$(readlink /proc/self/ns/user | tr -dc 0-9)

# after_go ID: shell words that wait until the test touches $T/go.ID: a container whose program
# ends at once (uw-compat) starts it only after the test has found the container's PID
# (child_of), not after a fixed sleep that a loaded, emulated machine can outlast
after_go() { echo "until [ -e '$T/go.$1' ]; do sleep 0.05; done;"; }

# (1) a hostPID container joins the host's mount, uts, ipc and net namespaces (nsenter -t 1):
# an escape, critical, with the container's ID, before and after, and the program
test_escape_from_hostpid_container() {
	local id line esc
	id=$(rand_id)
	esc=$(prog escprog)
	uw_start || return 1
	hostpid_container "/docker/$id" sh -c "sleep 0.5; exec nsenter -t $BASHPID -m -u -i -n -- $esc 5" || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	# after: the host's mount and net namespaces
	expect "$line" \
		.container.id "$id" \
		.container.runtime docker \
		.container.evidence cgroup \
		.severity critical \
		.rule.id CONTAINER-ESCAPE \
		.source setns \
		.process.comm nsenter \
		'.escape.namespaces | tojson' '["mnt","net","uts","ipc"]' \
		.transition.after.mnt "$(ino self mnt)" \
		.transition.after.net "$(ino self net)" \
		.cgroup.path "/docker/$id" \
		'[.attack[] | .technique_id + "/" + .tactic_id] | tojson' '["T1611/TA0004"]' \
		.remediation.id docker-userns-remap \
		'.remediation.text | startswith("Treat the node as compromised")' true || return 1
	# before: the container's own mount namespace (its init's, unshare's child, is nsenter)
	[ "$(jq -r .transition.before.mnt <<<"$line")" != "$(ino self mnt)" ] || { fail "transition.before.mnt is the host's"; return 1; }
	assert_eq 1 "$(count_json ".event == \"escape\" and .process.pid == $CPID")" "one escape for nsenter's calls" || return 1
	uw_stop
	schema_valid
}

# (1b) a container with a pid namespace of its own, and the host's /proc in its mount
# namespace, joins the host's namespaces by their files (its pid namespace cannot be left:
# setns takes only the caller's own pid namespace or its descendants)
test_escape_from_own_pidns_container() {
	local id line esc pidns h=$BASHPID
	id=$(rand_id)
	esc=$(prog escprog2)
	uw_start || return 1
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- sh -c "sleep 0.5; exec nsenter --mount=/proc/$h/ns/mnt --uts=/proc/$h/ns/uts --ipc=/proc/$h/ns/ipc --net=/proc/$h/ns/net -- $esc 5" || return 1
	# its own pid namespace, read now: under emulation the program may be gone (5 s) by the time
	# the escape is written
	pidns=$(ino "$CPID" pid)
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$id" \
		.severity critical \
		'.escape.namespaces | tojson' '["mnt","net","uts","ipc"]' \
		.transition.after.pid "$pidns" || return 1 # its own still
	[ "$(jq -r .transition.after.pid <<<"$line")" != "$(ino self pid)" ] || { fail "pid namespace is the host's"; return 1; }
	uw_stop
	schema_valid
}

# (1c) a process of container A (hostPID) goes into container B's mount namespace and straight
# back out, well within the 250 ms the setns calls are merged for: the state inside was a
# violation and is reported, about B, from A
test_enter_and_leave_within_window() {
	local a b line bpid
	a=$(rand_id)
	b=$(rand_id)
	uw_start || return 1
	violating "/docker/$b" || return 1
	bpid=$CPID
	hostpid_container "/docker/$a" sh -c "sleep 0.5; exec $NSTEST setns-seq /proc/$bpid/ns/mnt /proc/self/ns/mnt -- $SLEEP 5" || return 1
	line=$(wait_json ".event == \"host_userns\" and .source == \"setns\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$b" \
		.container.evidence namespaces \
		.origin.id "$a" \
		.transition.after.mnt "$(ino "$bpid" mnt)" # after: the state inside
}

# (2) 40 decoy programs use up the container's host_userns budget; a later unshare -U is still
# reported at once, the limit is said when it is reached, and path tricks are repeats
test_decoys_then_unshare() {
	local id i line stats ctr
	id=$(rand_id)
	copies /bin/true 40 "$T/decoy/d"
	mkfifo "$T/decoy/go"
	uw_start || return 1
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- sh -c "for i in \$(seq 1 40); do $T/decoy/d\$i; done; read x < $T/decoy/go; $T/decoy//d1; $T/decoy/../decoy/d2; exec unshare --user $SLEEP 600" || return 1
	# d2's alert is written after d1's and d2's keys went to the kernel: the renamed runs
	# below are the kernel's repeats
	wait_json ".event == \"host_userns\" and .container.id == \"$id\" and .process.exe == \"$T/decoy/d2\"" >/dev/null || return 1
	timeout 60 sh -c "echo > $T/decoy/go" || { fail "the container stopped waiting"; return 1; }
	line=$(wait_json ".event == \"userns_create\" and .container.id == \"$id\"") || return 1
	assert_eq high "$(jq -r .severity <<<"$line")" "userns_create severity" || return 1
	line=$(wait_json ".event == \"alert_limit\" and .key == \"$id\"") || return 1
	expect -m alert_limit "$line" \
		.phase reached \
		.budget host_userns \
		.limit 32 \
		.container.runtime docker || return 1
	stats=$(stats_now)
	ctr=$(jq -c "[.containers[] | select(.key == \"$id\")][0]" <<<"$stats")
	assert_eq 32 "$(count_json ".event == \"host_userns\" and .container.id == \"$id\"")" "host_userns alerts" &&
	expect -m stats "$ctr" \
		'.budgets.host_userns.alerts | tojson' 32 \
		'.budgets.userns_create.alerts | tojson' 1 || return 1
	# sh, unshare's fork and the 40 decoys are 42 programs: 10 over the limit; //d1 and
	# ../decoy/d2 are the same files as d1 and d2: repeats, however they were named, decided
	# in the kernel (the file's identity, not its name)
	[ "$(jq .budgets.host_userns.suppressed <<<"$ctr")" -ge 10 ] || { fail "suppressed: $ctr"; return 1; }
	assert_eq 2 "$(jq .kernel.repeats <<<"$stats")" "repeats decided in the kernel" || return 1
	assert_eq 0 "$(count_json ".container.id == \"$id\" and (.process.exe // \"\" | test(\"//d1|/\\\\.\\\\./\"))")" "alerts for renamed decoys" || return 1
	uw_stop
	schema_valid
}

# (2b) a program run from a memfd (fexecve) is named for what it is
test_memfd_program_named() {
	local id line
	id=$(rand_id)
	uw_start || return 1
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- "$NSTEST" memfd-exec "$SLEEP" sleep 30 || return 1
	line=$(wait_json ".container.id == \"$id\" and .process.exe_kind == \"memfd\"") || return 1
	expect "$line" \
		.process.exe "memfd:uw-payload" \
		.source exec &&
	[[ $(jq -r .process.exe_device <<<"$line") =~ ^[0-9]+:[0-9]+$ ]] || { fail "exe_device: $line"; return 1; }
	uw_stop
	schema_valid
}

# the 32-bit (compat) system call table, from a static 32-bit program (i386 on x86-64, AArch32
# on arm64): fentry where the kernel takes it (x86's __ia32_sys_*; arm64's compat table calls
# __arm64_sys_*), else the backstop at the process's exit (marked late): the syscall
# tracepoints ignore compat calls on both. Which one this kernel has is read from stats.
compat_mode() { jq -r .compat_transition_hooks <<<"$(stats_now)"; }

# (3) unshare(CLONE_NEWUSER) through the compat table inside a container
test_compat_unshare_in_container() {
	local id line mode
	kernel_has 32bit || return
	id=$(rand_id)
	uw_start || return 1
	mode=$(compat_mode)
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- sh -c "$(after_go "$id") exec $COMPAT unshare-user" || return 1
	touch "$T/go.$id"
	line=$(wait_json ".event == \"userns_create\" and .container.id == \"$id\"") || return 1
	expect "$line" \
		.process.pid "$CPID" \
		.userns.parent "$HOST_USERNS" || return 1
	if [ "$mode" = fentry ]; then
		# fentry on the compat entry point
		expect "$line" \
			.source unshare \
			.transition.detected_late null || return 1
	else
		# found at exit
		assert_eq late "$mode" "compat_transition_hooks" &&
		expect "$line" \
			.source exit \
			.transition.detected_late true \
			.transition.syscall unknown || return 1
		[ "$(jq .kernel.late <<<"$(stats_now)")" -ge 1 ] || { fail "kernel.late not counted"; return 1; }
	fi
	uw_stop
	schema_valid
}

# compat_escape ARGS...: a hostPID container runs uw-compat ARGS; waits for its escape, into
# LINE (MODE: the watch's compat_transition_hooks), and checks it is the container's process's
compat_escape() {
	local id
	id=$(rand_id)
	uw_start || return 1
	MODE=$(compat_mode)
	hostpid_container "/docker/$id" sh -c "$(after_go "$id") exec $COMPAT $*" || return 1
	touch "$T/go.$id"
	LINE=$(wait_json ".event == \"escape\" and .container.id == \"$id\"") || return 1
	assert_eq "$CPID" "$(jq -r .process.pid <<<"$LINE")" "process.pid"
}

# (3b) setns into the host's mount namespace through the compat table from a hostPID container
test_compat_setns_escape() {
	kernel_has 32bit || return
	compat_escape setns "/proc/$BASHPID/ns/mnt" || return 1
	assert_eq '["mnt"]' "$(jq -c .escape.namespaces <<<"$LINE")" "escape.namespaces" || return 1
	if [ "$MODE" = fentry ]; then
		assert_eq setns "$(jq -r .source <<<"$LINE")" "source" || return 1
	else
		assert_eq true "$(jq -r .transition.detected_late <<<"$LINE")" "detected_late" || return 1
	fi
}

# (3c) a hostPID container's process goes home to every host namespace it can leave (mount,
# uts, ipc, net) through the compat table, then forks. Its nsproxy is then a copy of the host's
# (the host's own namespace objects in another struct), which the hooks' fast path takes for a
# host task only when the process is not watched: here it is, so the fork (where no hook saw
# the calls) or the setns hooks (fentry on the compat entry point) report the escape. A fast
# path that took every copy for the host would let the process go home unseen.
test_compat_home_copy_escape() {
	local h=$BASHPID
	kernel_has 32bit || return
	compat_escape setns-fork "/proc/$h/ns/mnt" "/proc/$h/ns/uts" "/proc/$h/ns/ipc" "/proc/$h/ns/net" || return 1
	assert_eq "$(ino self mnt)" "$(jq -r .transition.after.mnt <<<"$LINE")" "transition.after.mnt (the host's)" || return 1
	if [ "$MODE" = fentry ]; then
		assert_eq setns "$(jq -r .source <<<"$LINE")" "source" || return 1
	else
		# found at its fork, in the host's net namespace
		expect "$LINE" \
			.source fork \
			.transition.detected_late true \
			'.escape.namespaces | tojson' '["mnt","net","uts","ipc"]' \
			.transition.after.net "$(ino self net)" || return 1
	fi
	uw_stop
	schema_valid
}

# (4) an unknown cgroup layout, the host pid namespace, and a root directory of its own
# (chroot into an image): a container, runtime unknown, found by its root directory
test_unknown_hostpid_own_root() {
	local root line path=/uw-test-engine/box-$RANDOM
	[ -x /bin/busybox ] || { fail "no /bin/busybox"; return 1; }
	root=$T/rootfs
	mkdir -p "$root/bin"
	cp /bin/busybox "$root/bin/busybox"
	uw_start || return 1
	hostpid_container "$path" --root="$root" /bin/busybox sleep 30 || return 1
	line=$(wait_json ".event == \"host_userns\" and .process.pid == $CPID and .source == \"exec\"") || return 1
	expect "$line" \
		.container.runtime unknown \
		.container.id null \
		.container.evidence root_directory \
		.cgroup.path "$path" || return 1
	uw_stop
	schema_valid
}

# (4b) a container process moves itself into a host service's cgroup (one the watch has
# judged to be no container) and runs a new program there: still the container's
test_moved_into_service_cgroup() {
	local id svc line stats payload files
	id=$(rand_id)
	svc=/system.slice/uw-test-svc-$RANDOM.service
	payload=$(prog payload)
	uw_start || return 1
	# the service: a private mount namespace, like PrivateTmp=
	mk_cgroup "$svc"
	run_in_cgroup "$svc" both unshare --mount --fork --kill-child -- sh -c "sleep 0.2; exec $SLEEP 600"
	STARTED_PIDS+=("$(child_of "$LAST_PID")")
	for _ in $(seq 1 100); do
		[ "$(jq .not_container <<<"$(stats_now)")" -ge 1 ] && break
		sleep 0.05
	done
	files=$(procs_files "$svc" both | tr '\n' ' ')
	hostpid_container "/docker/$id" sh -c "sleep 0.3; for f in $files; do echo \$\$ > \$f; done; exec $payload 30" || return 1
	line=$(wait_json ".event == \"host_userns\" and .process.pid == $CPID and .process.exe == \"$payload\"") || return 1
	# its container of origin (where the runtime put it), and where it is now
	expect "$line" \
		.container.id "$id" \
		.container.evidence cgroup \
		.provenance.how placed \
		'.provenance.moved | tojson' true \
		.provenance.origin_cgroup.path "/docker/$id" \
		.cgroup.path "$svc" || return 1 # the service's
	# the move itself: about the container, to no container
	line=$(wait_json ".event == \"cgroup_move\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$id" \
		.severity high \
		'.destination | tojson' null \
		.cgroup.path "$svc" || return 1
	# and the service itself stays quiet
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .cgroup.path == \"$svc\" and .process.pid != $CPID")" "alerts for the service"
}

# (5) a record lost to a full ring buffer does not mark the process as reported: its forks
# after the loss are sent and reported
test_full_ring_buffer_then_forks() {
	local id lostsh stats line i
	id=$(rand_id)
	lostsh=$(prog lostsh /bin/dash)
	# 40 programs: 40 first records (repeats of one program are decided in the kernel and
	# would fill nothing), ten times what a 4 KiB ring buffer holds
	copies /bin/true 40 "$T/fill/p"
	uw_start --ringbuf-kib 4 || return 1
	mk_cgroup "/docker/$id"
	kill -STOP "$UW_PID"
	container "/docker/$id" both -- sh -c "for i in \$(seq 1 40); do $T/fill/p\$i; done; exec $lostsh -c 'sleep 2; /bin/true; exec $SLEEP 600'" || { kill -CONT "$UW_PID"; return 1; }
	for _ in $(seq 1 300); do [ "$(cat /proc/"$CPID"/comm)" = lostsh ] && break; sleep 0.05; done
	kill -CONT "$UW_PID"
	assert_eq lostsh "$(cat /proc/"$CPID"/comm)" "the container's last program" || return 1
	stats=$(stats_now)
	[ "$(jq .kernel.lost <<<"$stats")" -gt 0 ] || { fail "nothing was lost: $stats"; return 1; }
	# lostsh's exec record was lost; its fork (for sleep 2) is reported with it as the program
	line=$(wait_json ".container.id == \"$id\" and .process.comm == \"lostsh\" and .source == \"fork\"" 8) || return 1
	assert_eq "$CPID" "$(jq -r .process.ppid <<<"$line")" "process.ppid"
}

# (5b) a process whose thread-group leader has exited while another thread runs on is in the
# snapshot, and --once reports it
test_leader_exited_in_snapshot() {
	local id rc line
	id=$(rand_id)
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- "$NSTEST" leader-exit 30 || return 1
	for _ in $(seq 1 100); do grep -q '^State:.*Z' "/proc/$CPID/status" 2>/dev/null && break; sleep 0.05; done
	grep -q '^State:.*Z' "/proc/$CPID/status" || { fail "the leader did not exit"; return 1; }
	"$UW_BIN" --once -o json > "$T/once.json" 2> "$T/err"
	rc=$?
	assert_eq 1 "$rc" "--once exit code" || { cat "$T/err" >&2; return 1; }
	line=$(json_lines ".event == \"host_userns\" and .process.pid == $CPID" "$T/once.json")
	expect "$line" \
		.container.id "$id" \
		.source snapshot &&
	assert_eq 1 "$(count_json ".event == \"host_userns\" and .process.pid == $CPID" "$T/once.json")" "records for the process (one, not one per thread)" || return 1
	schema_valid "$T/once.json"
}

# (6) a process of container A (sharing the host pid namespace, so that it may join B's, a
# descendant) moves into container B's namespaces: about B, from A
test_attribution_a_to_b() {
	local a b line bpid abprog
	a=$(rand_id)
	b=$(rand_id)
	abprog=$(prog abprog)
	uw_start || return 1
	violating "/docker/$b" || return 1
	bpid=$CPID
	hostpid_container "/docker/$a" sh -c "sleep 0.5; exec nsenter -t $bpid -m -p -- $abprog 5" || return 1
	line=$(wait_json ".event == \"host_userns\" and .source == \"setns\" and .process.pid == $CPID") || return 1
	# the container entered (B), the one it came from (A), and A's cgroup still
	expect "$line" \
		.container.id "$b" \
		.container.evidence namespaces \
		.origin.id "$a" \
		.origin.runtime docker \
		.cgroup.path "/docker/$a" \
		.transition.after.mnt "$(ino "$bpid" mnt)" || return 1
	# what it runs there is B's too
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.exe == \"$abprog\"") || return 1
	assert_eq "$b" "$(jq -r .container.id <<<"$line")" "container.id of the program run in B"
}

# No false positives: nsenter from the host into a container's network namespace (CNI, a
# runtime's setup), a host process switching into a container's network namespace and back
# (Go's netns.Set), and a host service with a private mount namespace going back to the host's
test_lookalikes_quiet() {
	local id svc pid stats
	id=$(rand_id)
	uw_start || return 1
	violating "/docker/$id" || return 1
	nsenter -t "$CPID" -n -- /bin/true || { fail "nsenter -n"; return 1; }
	"$NSTEST" setns-seq "/proc/$CPID/ns/net" /proc/self/ns/net || { fail "setns-seq net"; return 1; }
	svc=/system.slice/uw-test-priv-$RANDOM.service
	mk_cgroup "$svc"
	run_in_cgroup "$svc" both unshare --mount -- nsenter -t "$BASHPID" -m -- /bin/true
	pid=$LAST_PID
	wait "$pid"
	sentinel || return 1
	sleep 0.1
	stats=$(stats_now)
	assert_eq 0 "$(count_json '.event == "escape"')" "escapes" &&
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .source == \"setns\"")" "setns alerts" &&
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.runtime == \"unknown\"")" "unknown containers" &&
	assert_eq 0 "$(count_json ".cgroup.path == \"$svc\"")" "alerts for the service"
}

# A program that acts like a runtime setting a container up (the first program in a new
# container's cgroup, it creates a user namespace) while it stays in the host user namespace
# itself: a program run in the container is the container's, whatever it does next; only the
# runtime's processes before that first program are its setup (told apart in the kernel)
test_setup_lookalike_reported() {
	local id line stats
	id=$(rand_id)
	uw_start || return 1
	mk_cgroup "/docker/$id"
	run_in_cgroup "/docker/$id" both unshare --mount -- "$NSTEST" newuser-stay 30
	line=$(wait_json ".event == \"host_userns\" and .process.pid == $LAST_PID") || return 1
	expect "$line" \
		.container.id "$id" \
		.source exec \
		.provenance.how placed \
		.process.exe "$(readlink -f "$NSTEST")" || return 1
	# unshare leaving the host's namespaces was the setup: counted, not sent
	stats=$(stats_now)
	[ "$(jq .kernel.setup <<<"$stats")" -ge 1 ] || { fail "kernel.setup: $stats"; return 1; }
}
