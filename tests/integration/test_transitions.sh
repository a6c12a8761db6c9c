# shellcheck shell=bash
# Integration tests for user-namespace transitions: setns (nsenter), unshare, clone3, in and
# out of synthetic containers, with exact events, IDs and inodes.

needs() { requires root btf cmd:nsenter cmd:unshare helper:uw-nstest; }

SLEEP=$(readlink -f "$(command -v sleep)")
NSTEST=$PWD/.output/tests/uw-nstest
HOST_USERNS=$(readlink /proc/self/ns/user | tr -dc 0-9)

# (1) nsenter into a container's mnt+pid namespaces, staying in the host user namespace
test_nsenter_host_userns_setns() {
	local id line pid
	id=$(rand_id)
	uw_start || return 1
	violating "/docker/$id" || return 1
	cp "$SLEEP" "$T/nsprog"   # a program the container has not run yet (repeats are not alerts)
	nsenter --target "$CPID" --mount --pid -- "$T/nsprog" 5 &
	pid=$!
	STARTED_PIDS+=("$pid")
	line=$(wait_json ".event == \"host_userns\" and .source == \"setns\" and .process.pid == $pid") || return 1
	assert_eq "$id" "$(jq -r .container.id <<<"$line")" "container.id" &&
	assert_eq docker "$(jq -r .container.runtime <<<"$line")" "container.runtime" &&
	assert_eq setns "$(jq -r .transition.syscall <<<"$line")" "transition.syscall" &&
	assert_eq "$HOST_USERNS" "$(jq -r .transition.after.user <<<"$line")" "transition.after.user" &&
	assert_eq "$HOST_USERNS" "$(jq -r .userns.inum <<<"$line")" "userns.inum" &&
	assert_eq true "$(jq -r .userns.host <<<"$line")" "userns.host" &&
	assert_eq CIS-Docker-5.31 "$(jq -r .rule.id <<<"$line")" "rule.id" || return 1
	# nsenter's setns calls (pid, then mnt) are judged together: before is the host's, after
	# the container's mount namespace and pid namespace for children
	assert_eq "$(ino "$CPID" mnt)" "$(jq -r .transition.after.mnt <<<"$line")" "transition.after.mnt" &&
	assert_eq "$(ino "$CPID" pid)" "$(jq -r .transition.after.pid_for_children <<<"$line")" "transition.after.pid_for_children" &&
	assert_eq "$(ino self mnt)" "$(jq -r .transition.before.mnt <<<"$line")" "transition.before.mnt" &&
	assert_eq '["CLONE_NEWNS","CLONE_NEWPID"]' "$(jq -c .transition.nstype <<<"$line")" "transition.nstype" &&
	assert_eq 1 "$(count_json ".source == \"setns\" and .process.pid == $pid")" "one alert for nsenter's setns calls" || return 1
	# the command nsenter runs inside is reported too, with the container's ID (not "unknown")
	line=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.exe == \"$T/nsprog\"") || return 1
	assert_eq "$id" "$(jq -r .container.id <<<"$line")" "container.id of the command run by nsenter" || return 1
	uw_stop
	schema_valid
}

# (2) nsenter into a container with its own user namespace, entering it too: userns_enter
test_nsenter_userns_enter() {
	local id line pid cuser
	id=$(rand_id)
	uw_start || return 1
	mk_cgroup "/docker/$id"
	container "/docker/$id" both --user --map-root-user -- "$SLEEP" 600 || return 1
	cuser=$(ino "$CPID" user)
	nsenter --target "$CPID" --user --mount --pid -- "$SLEEP" 5 &
	pid=$!
	STARTED_PIDS+=("$pid")
	line=$(wait_json ".event == \"userns_enter\" and .process.pid == $pid") || return 1
	assert_eq "$id" "$(jq -r .container.id <<<"$line")" "container.id" &&
	assert_eq setns "$(jq -r .source <<<"$line")" "source" &&
	assert_eq "$cuser" "$(jq -r .userns.inum <<<"$line")" "userns.inum" &&
	assert_eq "$HOST_USERNS" "$(jq -r .userns.previous <<<"$line")" "userns.previous" &&
	assert_eq false "$(jq -r .userns.host <<<"$line")" "userns.host" &&
	assert_eq "$HOST_USERNS" "$(jq -r .transition.before.user <<<"$line")" "transition.before.user" &&
	assert_eq "$cuser" "$(jq -r .transition.after.user <<<"$line")" "transition.after.user" || return 1
	sentinel || return 1
	assert_eq 0 "$(count_json ".event == \"host_userns\" and (.process.pid == $pid or .container.id == \"$id\")")" "host_userns for the userns container"
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
	assert_eq "$CPID" "$(jq -r .process.pid <<<"$line")" "process.pid" &&
	assert_eq "$id" "$(jq -r .container.id <<<"$line")" "container.id" &&
	assert_eq "$HOST_USERNS" "$(jq -r .userns.parent <<<"$line")" "userns.parent" &&
	assert_eq "$(ino "$CPID" user)" "$(jq -r .userns.inum <<<"$line")" "userns.inum (the new one)" &&
	assert_eq 1 "$(jq -r .userns.level <<<"$line")" "userns.level" &&
	assert_eq '["CLONE_NEWUSER"]' "$(jq -c .transition.flags <<<"$line")" "transition.flags" &&
	assert_eq "$(ino "$CPID" mnt)" "$(jq -r .transition.before.mnt <<<"$line")" "transition.before.mnt" &&
	assert_eq high "$(jq -r .severity <<<"$line")" "severity" || return 1
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
	assert_eq "$id" "$(jq -r .container.id <<<"$line")" "container.id" &&
	assert_eq "$HOST_USERNS" "$(jq -r .userns.parent <<<"$line")" "userns.parent" &&
	assert_eq 1 "$(jq -r .userns.level <<<"$line")" "userns.level" &&
	assert_eq '["CLONE_NEWUSER"]' "$(jq -c .transition.flags <<<"$line")" "transition.flags" &&
	assert_eq uw-nstest "$(jq -r .process.comm <<<"$line")" "process.comm" || return 1
	# the helper runs as the container's init (pid 1 inside): the child's host PID is not what
	# it printed, so compare the parent instead
	assert_eq "$CPID" "$(jq -r .process.ppid <<<"$line")" "process.ppid"
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
	nsenter --target "$CPID" --mount -- /bin/true 2>/dev/null   # a successful one, for contrast
	wait_json ".source == \"setns\" and .container.id == \"$id\"" >/dev/null || return 1
	after=$(stats_now)
	# the entry points this kernel takes (fentry where it loads; else the syscall tracepoints)
	assert_eq "$(kernel_transition_hooks)" "$(jq -r .transition_hooks <<<"$after")" "transition_hooks on this kernel" &&
	assert_eq "$(kernel_compat_hooks)" "$(jq -r .compat_transition_hooks <<<"$after")" "compat_transition_hooks on this kernel" &&
	assert_eq 1 "$(( $(jq .transitions <<<"$after") - $(jq .transitions <<<"$before") ))" "transition records (only the successful setns)" &&
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
	assert_eq 1 "$(( $(jq .transitions <<<"$after") - $(jq .transitions <<<"$before") ))" "transition records (the sentinel's setup only)" || return 1
	uw_stop
	uw_start --host-transitions || return 1
	unshare --user /bin/true
	line=$(wait_json '.event == "userns_create" and .source == "unshare" and .process.comm == "unshare"') || return 1
	assert_eq host "$(jq -r .container.runtime <<<"$line")" "container.runtime" &&
	assert_eq null "$(jq -r .container.id <<<"$line")" "container.id" &&
	assert_eq info "$(jq -r .severity <<<"$line")" "severity" &&
	assert_eq USERNS-HOST-TRANSITION "$(jq -r .rule.id <<<"$line")" "rule.id" &&
	assert_eq "$HOST_USERNS" "$(jq -r .userns.parent <<<"$line")" "userns.parent"
}
