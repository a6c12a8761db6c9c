# shellcheck shell=bash
# Integration tests: who a process belongs to comes from where the runtime put it (its cgroup
# when it ran its first program there), inherited through fork; nothing the process does later
# (moving cgroups, making a container-looking cgroup, chroot) changes it. Each test is what an
# attacker with root in the host user namespace, inside a container that can write the cgroup
# tree, would do; and the runtime's own setup (a host process that has run no program in the
# container yet) gives no alert.

needs() { requires root btf cmd:nsenter cmd:unshare cmd:chroot helper:uw-nstest; }

SLEEP=$(readlink -f "$(command -v sleep)")
NSTEST=$PWD/.output/tests/uw-nstest

# move_words PATH: shell words that move the shell running them into cgroup PATH (both
# hierarchies), as a container process that can write the cgroup tree does
move_words() { local f; for f in $(procs_files "$1" both); do printf 'echo $$ > %s; ' "$f"; done; }

# A process of container A moves itself into container B's cgroup and runs a program: the
# program is A's (its origin), the move is reported about A with B as the destination, and no
# record blames B.
test_move_into_other_container() {
	local a b line payload
	a=$(rand_id)
	b=$(rand_id)
	payload=$(prog mvpayload)
	uw_start || return 1
	violating "/docker/$b" || return 1
	mk_cgroup "/docker/$a"
	container "/docker/$a" both -- sh -c "sleep 0.3; $(move_words "/docker/$b") exec $payload 30" || return 1
	line=$(wait_json ".event == \"host_userns\" and .process.pid == $CPID and .process.exe == \"$payload\"") || return 1
	expect "$line" \
		.container.id "$a" \
		.container.evidence cgroup \
		.provenance.how placed \
		'.provenance.moved | tojson' true \
		.provenance.origin_cgroup.path "/docker/$a" \
		.cgroup.path "/docker/$b" || return 1
	line=$(wait_json ".event == \"cgroup_move\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$a" \
		.destination.id "$b" \
		.destination.runtime docker \
		.severity high \
		.rule.id CONTAINER-CGROUP-MOVE \
		.cgroup.path "/docker/$b" || return 1
	assert_eq 0 "$(count_json ".container.id == \"$b\" and .process.pid == $CPID")" "records blaming container B" || return 1
	uw_stop
	schema_valid
}

# A hostPID container makes a container-looking cgroup of a container that does not exist,
# moves into it and escapes into the host's namespaces: the escape names the container it came
# from; the made-up one is only the move's destination.
test_fake_cgroup_escape() {
	local a fake line esc
	a=$(rand_id)
	fake=$(rand_id)
	esc=$(prog fakeesc)
	uw_start || return 1
	mk_cgroup "/docker/$fake"
	hostpid_container "/docker/$a" sh -c "sleep 0.3; $(move_words "/docker/$fake") exec nsenter -t $BASHPID -m -u -i -n -- $esc 5" || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$a" \
		.severity critical \
		'.provenance.moved | tojson' true \
		.provenance.origin_cgroup.path "/docker/$a" \
		.cgroup.path "/docker/$fake" || return 1
	line=$(wait_json ".event == \"cgroup_move\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$a" \
		.destination.id "$fake" || return 1
	assert_eq 0 "$(count_json ".container.id == \"$fake\"")" "records about the made-up container" || return 1
	uw_stop
	schema_valid
}

# A hostPID container process moves to the root cgroup, makes a mount namespace of its own and
# chroots into a host process's root: the programs it runs there are still its container's (by
# its cgroup and namespaces alone, a host service with private mounts)
test_root_cgroup_chroot() {
	local a line payload h=$BASHPID
	a=$(rand_id)
	payload=$(prog rootpayload)
	uw_start || return 1
	hostpid_container "/docker/$a" sh -c "sleep 0.3; $(move_words /) exec unshare --mount -- chroot /proc/$h/root $payload 30" || return 1
	line=$(wait_json ".event == \"host_userns\" and .process.exe == \"$payload\"") || return 1
	expect "$line" \
		.container.id "$a" \
		.container.runtime docker \
		'.provenance.moved | tojson' true \
		.provenance.origin_cgroup.path "/docker/$a" \
		.cgroup.path / || return 1
	line=$(wait_json ".event == \"cgroup_move\" and .container.id == \"$a\"") || return 1
	expect "$line" '.destination | tojson' null
}

# A move inside the container's own cgroups (a sub-cgroup, as systemd in a container makes) is
# no alert, only counted; the program run there is the container's as ever
test_move_within_own_container_quiet() {
	local a line payload stats
	a=$(rand_id)
	payload=$(prog subpayload)
	uw_start || return 1
	mk_cgroup "/docker/$a/sub"
	container "/docker/$a" both -- sh -c "sleep 0.3; $(move_words "/docker/$a/sub") exec $payload 30" || return 1
	line=$(wait_json ".event == \"host_userns\" and .process.exe == \"$payload\"") || return 1
	expect "$line" \
		.container.id "$a" \
		.cgroup.path "/docker/$a/sub" || return 1
	sentinel || return 1
	stats=$(stats_now)
	assert_eq 0 "$(count_json '.event == "cgroup_move"')" "cgroup_move alerts" &&
	[ "$(jq .cgroup_moves_within <<<"$stats")" -ge 1 ] || { fail "cgroup_moves_within: $stats"; return 1; }
}

# The first program of a new container escapes into the host's namespaces and then creates a
# user namespace (what a runtime setting a container up does): the escape is written, never
# taken for the runtime's setup
test_first_program_escape_then_userns() {
	local a line
	a=$(rand_id)
	uw_start || return 1
	hostpid_container "/docker/$a" nsenter -t $BASHPID -m -u -i -n -- unshare --user "$SLEEP" 5 || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$a" \
		.process.comm nsenter \
		.severity critical || return 1
	uw_stop
	schema_valid
}

# What runtimes do from the host: a host process enters a container's mount namespace and goes
# back without running a program there (runc's parent process on every docker exec), a host
# process leaves for a container's namespaces and exits, and a runtime makes a container with a
# user namespace of its own. All of it is the runtime's setup: no alert, counted in the kernel.
test_runtime_setup_quiet() {
	local b c line stats
	b=$(rand_id)
	c=$(rand_id)
	uw_start || return 1
	violating "/docker/$b" || return 1
	"$NSTEST" setns-seq "/proc/$CPID/ns/mnt" /proc/self/ns/mnt || { fail "setns-seq in and out"; return 1; }
	"$NSTEST" setns-seq "/proc/$CPID/ns/mnt" "/proc/$CPID/ns/pid" || { fail "setns-seq in"; return 1; }
	mk_cgroup "/docker/$c"
	container "/docker/$c" both --user --map-root-user -- "$SLEEP" 30 || return 1
	sentinel || return 1
	stats=$(stats_now)
	assert_eq 0 "$(count_json '.source == "setns"')" "setns alerts" &&
	assert_eq 0 "$(count_json ".container.id == \"$c\"")" "records about the user-namespaced container" &&
	assert_eq 1 "$(count_json ".container.id == \"$b\"")" "records about container B (its program)" || return 1
	[ "$(jq .kernel.setup <<<"$stats")" -ge 3 ] || { fail "kernel.setup: $stats"; return 1; }
}

# vm_target: a host process started by the test (uw-nstest vm-target) for a container process to
# take hold of; sets TPID and TADDR (a buffer of its own)
vm_target() {
	"$NSTEST" vm-target "$T/target" 60 &
	STARTED_PIDS+=("$!")
	for _ in $(seq 1 200); do [ -s "$T/target" ] && break; nap 0.02; done
	read -r TPID TADDR < "$T/target" || { fail "vm-target wrote nothing"; return 1; }
}

# A hostPID container process attaches to a host process with ptrace (it could then make it
# run anything, in every host namespace): an escape, critical, naming the host process; a
# container process that writes a host process's memory likewise. Attaching to a process of its
# own container is no alert (counted).
test_ptrace_and_vm_write_escape() {
	local a b line stats route via_p via_v
	[ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 3 ] ||
		{ NA_REASON="ptrace is disabled (yama ptrace_scope 3)"; return 78; }
	a=$(rand_id)
	b=$(rand_id)
	vm_target || return 1
	uw_start || return 1
	route=$(hostpower_route) || return 1
	# where the kernel grants the access (fexit) one name for both; else the system calls'
	if [ "$route" = fexit ]; then via_p=ptrace_access via_v=ptrace_access; else via_p=ptrace_seize via_v=process_vm_writev; fi
	# its own sleep first (a process of its own container: no alert), ended before it goes on
	hostpid_container "/docker/$a" sh -c "sleep 0.3; $SLEEP 30 & s=\$!; $NSTEST ptrace-seize \$s || exit 9; kill \$s; exec $NSTEST ptrace-seize $TPID" || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$a" \
		.severity critical \
		.source "${via_p/_seize/}" \
		.escape.via "$via_p" \
		'.escape.namespaces | tojson' '[]' \
		.escape.target.pid "$TPID" \
		.escape.target.comm uw-nstest \
		'.escape.target.container | tojson' null \
		'[.attack[].technique_id] | tojson' "$([ "$route" = fexit ] && echo '["T1611","T1055"]' || echo '["T1611","T1055.008"]')" || return 1
	hostpid_container "/docker/$b" sh -c "sleep 0.3; exec $NSTEST vm-write $TPID $TADDR" || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$b" \
		.source "$via_v" \
		.escape.via "$via_v" \
		.escape.target.pid "$TPID" \
		'[.attack[].technique_id] | tojson' '["T1611","T1055"]' || return 1
	sentinel || return 1
	stats=$(stats_now)
	assert_eq 2 "$(count_json '.event == "escape"')" "escapes (the attach to its own sleep is none)" &&
	[ "$(jq .ptrace_within <<<"$stats")" -ge 1 ] || { fail "ptrace_within: $stats"; return 1; }
	uw_stop
	schema_valid
}

# A runtime's setup process (host lineage, in a container's namespaces and back, no program run
# yet: its records are not sent) that a hostPID container process takes hold of is the
# container's from then on: the program it runs in the host's namespaces is reported as held.
test_setup_process_taken_hold_of() {
	local a b line payload hpid
	[ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 3 ] ||
		{ NA_REASON="ptrace is disabled (yama ptrace_scope 3)"; return 78; }
	a=$(rand_id)
	b=$(rand_id)
	payload=$(prog setuppayload)
	mkfifo "$T/go"
	uw_start || return 1
	hostpid_container "/docker/$b" "$SLEEP" 60 || return 1
	UW_NSTEST_WAIT=$T/go UW_NSTEST_READY=$T/ready "$NSTEST" setns-seq "/proc/$CPID/ns/mnt" /proc/self/ns/mnt -- "$payload" 30 &
	hpid=$!
	STARTED_PIDS+=("$hpid")
	for _ in $(seq 1 200); do [ -e "$T/ready" ] && break; nap 0.02; done
	[ -e "$T/ready" ] || { fail "the setup process did not get ready"; return 1; }
	hostpid_container "/docker/$a" sh -c "sleep 0.3; exec $NSTEST ptrace-seize $hpid" || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" .container.id "$a" .escape.target.pid "$hpid" || return 1
	timeout 60 sh -c "echo > $T/go" || { fail "the setup process stopped waiting"; return 1; }
	line=$(wait_json ".event == \"host_userns\" and .process.pid == $hpid and .process.exe == \"$payload\"") || return 1
	expect "$line" \
		.container.id "$a" \
		.provenance.how held \
		.source exec \
		.ns.mnt "$(ino self mnt)" || return 1
	sentinel || return 1
	assert_eq 1 "$(count_json ".process.exe == \"$payload\"")" "alerts for the program" || return 1
	assert_eq 0 "$(count_json ".container.id == \"$b\" and .process.pid == $hpid")" "alerts about the container entered" || return 1
	uw_stop
	schema_valid
}

# hostpower_route: how the watch started last (uw_start) sees routes to host power: "fexit"
# where this kernel takes fentry programs, else "tracepoint"; fails when stats say otherwise
hostpower_route() {
	local want have
	want=$(kernel_transition_hooks) || { fail "uw-probe failed"; return 1; }
	[ "$want" = fentry ] && want=fexit || want=tracepoint
	have=$(jq -r .ptrace_hooks <<<"$(stats_now)")
	[ "$have" = "$want" ] || { fail "stats.ptrace_hooks is $have, this kernel should give $want"; return 1; }
	echo "$want"
}

# A host process a hostPID container process took hold of with ptrace runs the container's
# programs from then on: its next program is reported as the container's (provenance "held"),
# in the host's namespaces; the same program run by a host process nobody took hold of is not.
test_held_host_process_runs_for_the_container() {
	local a line payload tpid
	[ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 3 ] ||
		{ NA_REASON="ptrace is disabled (yama ptrace_scope 3)"; return 78; }
	a=$(rand_id)
	payload=$(prog heldpayload)
	mkfifo "$T/go"
	uw_start || return 1
	sh -c "read x < $T/go; exec $payload 30" &
	tpid=$!
	STARTED_PIDS+=("$tpid")
	hostpid_container "/docker/$a" sh -c "sleep 0.3; exec $NSTEST ptrace-seize $tpid" || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" .escape.target.pid "$tpid" .escape.target.comm sh || return 1
	timeout 60 sh -c "echo > $T/go" || { fail "the host process stopped waiting"; return 1; }
	line=$(wait_json ".event == \"host_userns\" and .process.pid == $tpid and .process.exe == \"$payload\"") || return 1
	expect "$line" \
		.container.id "$a" \
		.provenance.how held \
		.source exec \
		.ns.mnt "$(ino self mnt)" || return 1
	"$payload" 0.1
	sentinel || return 1
	assert_eq 1 "$(count_json ".process.exe == \"$payload\"")" "alerts for the program (only the held process's run)" || return 1
	uw_stop
	schema_valid
}

# thread_followed CALL: a hostPID container process takes hold of the second thread of a host
# process, named by the thread's ID (CALL: ptrace-seize, or vm-write into the process), which
# then runs a program from that thread. The program is the container's (held), found through
# the thread's process, not through the thread's own ID.
thread_followed() {
	local a line payload tpid ttid taddr
	[ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 3 ] ||
		{ NA_REASON="ptrace is disabled (yama ptrace_scope 3)"; return 78; }
	a=$(rand_id)
	payload=$(prog threadpayload)
	mkfifo "$T/go"
	uw_start || return 1
	"$NSTEST" thread-exec "$T/thread" "$T/go" "$payload" 30 &
	STARTED_PIDS+=("$!")
	for _ in $(seq 1 200); do [ -s "$T/thread" ] && break; nap 0.02; done
	read -r tpid ttid taddr < "$T/thread" || { fail "thread-exec wrote nothing"; return 1; }
	[ "$ttid" != "$tpid" ] || { fail "the thread is the process's first ($ttid)"; return 1; }
	if [ "$1" = ptrace-seize ]; then
		hostpid_container "/docker/$a" sh -c "sleep 0.3; exec $NSTEST ptrace-seize $ttid" || return 1
	else
		hostpid_container "/docker/$a" sh -c "sleep 0.3; exec $NSTEST vm-write $ttid $taddr" || return 1
	fi
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" .container.id "$a" || return 1
	timeout 60 sh -c "echo > $T/go" || { fail "the host process stopped waiting"; return 1; }
	line=$(wait_json ".event == \"host_userns\" and .process.pid == $tpid and .process.exe == \"$payload\"") || return 1
	expect "$line" \
		.container.id "$a" \
		.provenance.how held \
		.source exec || return 1
	sentinel || return 1
	assert_eq 1 "$(count_json ".process.exe == \"$payload\"")" "alerts for the program" || return 1
	uw_stop
	schema_valid
}

test_ptrace_thread_followed() { thread_followed ptrace-seize; }
test_vm_write_thread_followed() { thread_followed vm-write; }

# A thread a hostPID container process wrote into by its ID ends with its process; a new host
# process later gets that ID (ns_last_pid set just below it): its program is no container's.
test_thread_id_reused_not_held() {
	local a line payload tpid ttid taddr i
	a=$(rand_id)
	payload=$(prog reusedpayload)
	mkfifo "$T/go"
	uw_start || return 1
	"$NSTEST" thread-exec "$T/thread" "$T/go" /bin/true &
	STARTED_PIDS+=("$!")
	for _ in $(seq 1 200); do [ -s "$T/thread" ] && break; nap 0.02; done
	read -r tpid ttid taddr < "$T/thread" || { fail "thread-exec wrote nothing"; return 1; }
	hostpid_container "/docker/$a" sh -c "sleep 0.3; exec $NSTEST vm-write $ttid $taddr" || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	kill "$tpid"; wait "$tpid" 2>/dev/null
	# a new process with the thread's ID runs the program (other processes of the machine may
	# take the ID first: tried again)
	for i in $(seq 1 50); do
		echo $((ttid - 1)) > /proc/sys/kernel/ns_last_pid
		sh -c "[ \$\$ = $ttid ] && exec $payload 0.01" && break
	done
	[ "$i" -lt 50 ] || { fail "no process got ID $ttid"; return 1; }
	sentinel || return 1
	assert_eq 0 "$(count_json ".process.exe == \"$payload\"")" "alerts for the program of the new process $ttid" || return 1
	uw_stop
	schema_valid
}
# Where the kernel takes fexit programs, the routes the 64-bit system calls' tracepoints miss
# are escapes too: writing a host process's memory through /proc/PID/mem, and ptrace from a
# 32-bit program.
test_proc_mem_write_escape() {
	local a line
	kernel_has fentry || return
	a=$(rand_id)
	vm_target || return 1
	uw_start || return 1
	[ "$(hostpower_route)" = fexit ] || return 1
	hostpid_container "/docker/$a" sh -c "sleep 0.3; exec $NSTEST mem-write $TPID $TADDR" || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$a" \
		.severity critical \
		.source proc_pid_mem \
		.escape.via proc_pid_mem \
		.escape.target.pid "$TPID" \
		.escape.target.comm uw-nstest || return 1
	sentinel || return 1
	assert_eq 1 "$(count_json '.event == "escape"')" "escapes" || return 1
	uw_stop
	schema_valid
}

test_compat_ptrace_escape() {
	local a line compat=$PWD/.output/tests/uw-compat
	[ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" != 3 ] ||
		{ NA_REASON="ptrace is disabled (yama ptrace_scope 3)"; return 78; }
	kernel_has fentry || return
	kernel_has 32bit || return
	a=$(rand_id)
	vm_target || return 1
	uw_start || return 1
	[ "$(hostpower_route)" = fexit ] || return 1
	hostpid_container "/docker/$a" sh -c "sleep 0.3; exec $compat ptrace-seize $TPID" || return 1
	line=$(wait_json ".event == \"escape\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$a" \
		.severity critical \
		.escape.via ptrace_access \
		.escape.target.pid "$TPID" || return 1
	sentinel || return 1
	uw_stop
	schema_valid
}
