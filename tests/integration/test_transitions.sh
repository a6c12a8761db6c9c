# shellcheck shell=bash
# Integration tests for user-namespace transitions: setns (nsenter), unshare, clone3, in and
# out of synthetic containers, with exact events, IDs and inodes.

needs() { requires root btf cmd:nsenter cmd:unshare helper:uw-nstest; }

SLEEP=$(readlink -f "$(command -v sleep)")
NSTEST=$PWD/.output/tests/uw-nstest
HOST_USERNS=$(readlink /proc/self/ns/user | tr -dc 0-9)

# (1) nsenter from the host into a container's mnt+pid namespaces, staying in the host user
# namespace: nsenter itself (a host process that has run no program there yet, as a runtime
# entering for docker exec) is the setup, counted in the kernel; the command it runs inside is
# the alert, with the container's ID
test_nsenter_host_userns_setns() {
	local id line pid before after
	id=$(rand_id)
	uw_start || return 1
	violating "/docker/$id" || return 1
	before=$(stats_now)
	cp "$SLEEP" "$T/nsprog"   # a program the container has not run yet (repeats are not alerts)
	nsenter --target "$CPID" --mount --pid -- "$T/nsprog" 5 &
	pid=$!
	STARTED_PIDS+=("$pid")
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.exe == \"$T/nsprog\"") || return 1
	expect "$line" \
		.container.id "$id" \
		.container.runtime docker \
		.container.evidence namespaces \
		.provenance.how placed \
		.userns.inum "$HOST_USERNS" \
		.userns.host true \
		.ns.mnt "$(ino "$CPID" mnt)" \
		.rule.id CIS-Docker-5.31 || return 1
	after=$(stats_now)
	# nsenter's two setns calls (pid, then mnt) and its fork (into the pid namespace)
	assert_eq 3 "$(( $(jq .kernel.setup <<<"$after") - $(jq .kernel.setup <<<"$before") ))" "setup records counted" &&
	assert_eq 0 "$(count_json ".source == \"setns\"")" "setns alerts" || return 1
	uw_stop
	schema_valid
}

# (2) a process of container A (host user namespace) enters container B's user and mount
# namespaces: userns_enter, about B, from A. The same from a host shell (kubectl exec into a
# pod with hostUsers: false: the runtime entering) is its setup, quiet.
test_nsenter_userns_enter() {
	local a b line cuser bpid
	a=$(rand_id)
	b=$(rand_id)
	uw_start || return 1
	mk_cgroup "/docker/$b"
	container "/docker/$b" both --user --map-root-user -- "$SLEEP" 600 || return 1
	bpid=$CPID
	cuser=$(ino "$bpid" user)
	nsenter --target "$bpid" --user --mount --pid -- /bin/true || { fail "nsenter from the host"; return 1; }
	mk_cgroup "/docker/$a"
	container "/docker/$a" both -- sh -c "sleep 0.3; exec nsenter --target $bpid --user --mount -- $SLEEP 5" || return 1
	line=$(wait_json ".event == \"userns_enter\" and .process.pid == $CPID") || return 1
	expect "$line" \
		.container.id "$b" \
		.origin.id "$a" \
		.source setns \
		.userns.inum "$cuser" \
		.userns.previous "$HOST_USERNS" \
		.userns.host false \
		.transition.before.user "$HOST_USERNS" \
		.transition.after.user "$cuser" || return 1
	sentinel || return 1
	assert_eq 1 "$(count_json ".container.id == \"$b\"")" "records about container B (A's entering only)" &&
	assert_eq 0 "$(count_json ".event == \"host_userns\" and .container.id == \"$b\"")" "host_userns for the userns container"
}

# (3) unshare -U inside a container: userns_create with parent and child inodes
test_unshare_userns_in_container() {
	local id line
	id=$(rand_id)
	uw_start || return 1
	mk_cgroup "/docker/$id"
	# (a long sleep: under software emulation the assertions may come more than 30 s later)
	container "/docker/$id" both -- sh -c "sleep 0.3; exec unshare --user $SLEEP 600" || return 1
	line=$(wait_json ".event == \"userns_create\" and .source == \"unshare\"") || return 1
	# userns.inum: the new one
	expect "$line" \
		.process.pid "$CPID" \
		.container.id "$id" \
		.userns.parent "$HOST_USERNS" \
		.userns.inum "$(ino "$CPID" user)" \
		.userns.level 1 \
		'.transition.flags | tojson' '["CLONE_NEWUSER"]' \
		.transition.before.mnt "$(ino "$CPID" mnt)" \
		.severity high || return 1
	uw_stop
	schema_valid
}

# (4) clone3 with CLONE_NEWUSER from a container: userns_create from clone3 (from "clone" where
# the kernel has no bpf_task_pt_regs: the raw_tp fork twin cannot read the syscall number)
test_clone3_userns_in_container() {
	local id line child source=clone3
	[ "$(kernel_task_hooks)" = tp_btf ] || source=clone
	id=$(rand_id)
	uw_start || return 1
	mk_cgroup "/docker/$id"
	container "/docker/$id" both -- "$NSTEST" clone3-newuser "$T/child.pid" || return 1
	for _ in $(seq 1 100); do [ -s "$T/child.pid" ] && break; sleep 0.02; done
	child=$(cat "$T/child.pid")
	[ -n "$child" ] || { fail "helper wrote no child pid"; return 1; }
	line=$(wait_json ".event == \"userns_create\" and .source == \"$source\"") || return 1
	expect "$line" \
		.container.id "$id" \
		.userns.parent "$HOST_USERNS" \
		.userns.level 1 \
		'.transition.flags | tojson' '["CLONE_NEWUSER"]' \
		.process.comm uw-nstest \
		.process.ppid "$CPID"
	# (the helper runs as the container's init, pid 1 inside: the child's host PID is not what
	# it printed, so the parent is compared instead)
}

# (5) failed setns calls (bad fd, EPERM) send nothing
test_failed_setns_nothing() {
	local id before after
	id=$(rand_id)
	uw_start || return 1
	violating "/docker/$id" || return 1
	before=$(stats_now)
	"$NSTEST" setns-badfd || { fail "setns(9999) did not fail with EBADF"; return 1; }
	"$NSTEST" setns-eperm "/proc/$CPID/ns/mnt" || { fail "setns as nobody did not fail with EPERM"; return 1; }
	# a successful one, for contrast (a host process: the kernel counts it as setup)
	"$NSTEST" setns-seq "/proc/$CPID/ns/mnt" || { fail "setns-seq"; return 1; }
	after=$(stats_now)
	# the entry points this kernel takes (fentry where it loads; else the syscall tracepoints)
	expect -m "on this kernel" "$after" \
		.transition_hooks "$(kernel_transition_hooks)" \
		.compat_transition_hooks "$(kernel_compat_hooks)" &&
	assert_eq 1 "$(( $(jq .kernel.setup <<<"$after") - $(jq .kernel.setup <<<"$before") ))" "transitions seen (only the successful setns)" &&
	assert_eq 0 "$(count_json '.process.comm == "uw-nstest"')" "alerts for the failed calls"
}

# (6) unshare -U on the host: nothing by default, an event with --host-transitions
test_host_unshare_only_with_flag() {
	local before after line
	uw_start || return 1
	before=$(stats_now)
	unshare --user /bin/true
	sentinel || return 1
	after=$(stats_now)
	assert_eq 0 "$(count_json '.event == "userns_create"')" "userns_create alerts without the flag" &&
	# neither unshare's nor the sentinel's runtime (its setup) sends a transition record
	assert_eq 0 "$(( $(jq .transitions <<<"$after") - $(jq .transitions <<<"$before") ))" "transition records" || return 1
	uw_stop
	uw_start --host-transitions || return 1
	unshare --user /bin/true
	line=$(wait_json '.event == "userns_create" and .source == "unshare" and .process.comm == "unshare"') || return 1
	expect "$line" \
		.container.runtime host \
		.container.id null \
		.severity info \
		.rule.id USERNS-HOST-TRANSITION \
		.userns.parent "$HOST_USERNS"
}
