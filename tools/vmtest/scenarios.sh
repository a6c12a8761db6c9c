#!/bin/sh
# vmtest scenarios (busybox sh, no jq): the verdicts every kernel must give.
# Prints "VMTEST <name> PASS|FAIL <detail>" per scenario.
CGS=$1
UW=/bin/userns-watch
pass() { echo "VMTEST $1 PASS"; }
# a failure also shows the watch's last records (cut to 600 bytes each) and its stderr
failv() {
	echo "VMTEST $1 FAIL $2"
	tail -n 6 /tmp/out.json | cut -c1-600 | sed 's/^/VMTEST-LOG /'
	sed 's/^/VMTEST-LOG stderr: /' /tmp/err
}

# container NAME-ID UNSHARE-OPTIONS CMD...: a synthetic container in cgroup /docker/ID
container() {
	id=$1; opts=$2; shift 2
	files=""
	for h in $CGS; do mkdir -p "$h/docker/$id"; files="$files $h/docker/$id/cgroup.procs"; done
	sh -c 'for f in $0; do echo $$ > "$f"; done; exec unshare '"$opts"' "$@"' "$files" "$@" &
	CPID=$!
}

wait_for() { # FILE PATTERN SECONDS
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

ID1=1111111111111111111111111111111111111111111111111111111111111111
ID2=2222222222222222222222222222222222222222222222222222222222222222
ID3=3333333333333333333333333333333333333333333333333333333333333333
ID4=4444444444444444444444444444444444444444444444444444444444444444
ID5=5555555555555555555555555555555555555555555555555555555555555555

# the watch
$UW -o json > /tmp/out.json 2> /tmp/err &
UWP=$!
if ! wait_for /tmp/err watching 60; then
	failv start "$(cat /tmp/err)"
	$UW -vv > /dev/null 2> /tmp/verbose &
	sleep 20
	grep -i -B2 -A2 'fail\|error\|too large\|E2BIG\|invalid\|unknown func\|-7' /tmp/verbose | grep -v 'relo #' | tail -n 40 | sed 's/^/VMTEST-LOG /'
	exit 0
fi
grep -o 'hooks: [a-z_]*, transitions: [a-z]*' /tmp/err | sed 's/^/VMTEST-HOOKS /'

# 1. a container in the host user namespace: alert with its ID
container $ID1 "-m -p -u -i -n -f" sleep 30
# (everything here is busybox, one file: its first record is the alert, fork or exec)
if wait_for /tmp/out.json "\"event\":\"host_userns\".*\"container\":{\"id\":\"$ID1\",\"runtime\":\"docker\"" 20; then
	pass host_userns
else
	failv host_userns "no exec alert for $ID1"
fi

# 2. the same with its own user namespace: no alert (checked after 4)
container $ID2 "-U -r -m -p -u -i -n -f" sleep 30

# 3. userns_create inside a container
container $ID3 "-m -p -u -i -n -f" sh -c "sleep 0.5; unshare -U sleep 30"
if wait_for /tmp/out.json "\"event\":\"userns_create\".*\"id\":\"$ID3\"" 20; then
	pass userns_create
else
	failv userns_create "no userns_create for $ID3"
fi

# 4. a host process is quiet
/bin/true; ls / > /dev/null
sleep 1
if grep -q "$ID2" /tmp/out.json; then failv userns_quiet "alert for $ID2"; else pass userns_quiet; fi
if grep '"event":"host_userns"' /tmp/out.json | grep -v -e "$ID1" -e "$ID3" | grep -q .; then
	failv host_quiet "$(grep '"event":"host_userns"' /tmp/out.json | grep -v -e "$ID1" -e "$ID3" | head -1)"
else
	pass host_quiet
fi

# 5. a hostPID container joins the host's mount, uts, ipc and net namespaces: an escape
container $ID4 "-m -u -i -n -f" sh -c "sleep 0.5; exec nsenter -t 1 -m -u -i -n sleep 5"
if wait_for /tmp/out.json "\"event\":\"escape\".*\"id\":\"$ID4\".*\"escape\":{\"namespaces\":\[\"mnt\",\"net\",\"uts\",\"ipc\"\]}" 20; then
	pass escape
else
	failv escape "no escape for $ID4"
fi

# 6. unshare(CLONE_NEWUSER) through the 32-bit table: fentry on __ia32_sys_unshare sees it
container $ID5 "-m -p -u -i -n -f" sh -c "sleep 0.5; exec /bin/uw-ia32 unshare-user"
if wait_for /tmp/out.json "\"event\":\"userns_create\",\"severity\":\"high\",\"source\":\"unshare\".*\"id\":\"$ID5\"" 20; then
	if grep "\"id\":\"$ID5\"" /tmp/out.json | grep '"userns_create"' | grep -q detected_late; then
		failv ia32_unshare "reported late: the 32-bit entry point was not hooked"
	else
		pass ia32_unshare
	fi
else
	failv ia32_unshare "no userns_create from unshare for $ID5"
fi

# 7. an unknown cgroup layout, the host pid namespace, a root directory of its own
mkdir -p /tmp/ctr-root/bin && cp /bin/busybox /tmp/ctr-root/bin/busybox
files=""
for h in $CGS; do mkdir -p "$h/engine/box"; files="$files $h/engine/box/cgroup.procs"; done
sh -c 'for f in $0; do echo $$ > "$f"; done; exec unshare -m -u -i -n -f chroot /tmp/ctr-root /bin/busybox sleep 30' "$files" &
if wait_for /tmp/out.json '"runtime":"unknown","evidence":"root_directory"' 20; then
	pass root_directory
else
	failv root_directory "no alert for the chrooted hostPID container"
fi

kill -INT $UWP
wait $UWP
grep '"event":"stats"' /tmp/out.json | sed 's/^/VMTEST-STATS /'
