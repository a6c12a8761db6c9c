# shellcheck shell=bash
# Helpers for the integration tests: start the real binary, build containers the way runtimes
# build them (namespaces + a cgroup named like the runtime's), read its JSON lines.
# Every process and cgroup a test makes is recorded and removed by PID/path, never by name.

UW_BIN=${UW_BIN:-$PWD/userns-watch}
T=$(mktemp -d /tmp/uw-it.XXXXXX)
# The watch as the tests run it: with --no-pin, so that no test's kernel side outlives it or is
# adopted by the next test's watch (user/pin.h). test_pin.sh runs UW_REAL_BIN, pinned in a BPF
# filesystem of its own (pin_fs), and what names the program file itself uses UW_REAL_BIN.
UW_REAL_BIN=$(readlink -f "$UW_BIN")
printf '#!/bin/sh\nexec "%s" --no-pin "$@"\n' "$UW_REAL_BIN" > "$T/userns-watch" && chmod 755 "$T/userns-watch"
UW_BIN=$T/userns-watch
UW_PID=""
STARTED_PIDS=()
MADE_CGROUPS=()
CLEANUP_CMDS=()   # commands run at cleanup, newest first (e.g. runc delete of a container we made)

# Under software emulation (make vmtest) starting a process costs a tenth of a second to half a
# second, and the guest's two vCPUs share one host thread: a wait that ran sleep(1), grep(1) or
# stat(1) every turn slowed down what it waited for. The helpers below poll with bash's own
# read, and their limits are by the clock, times UW_WAIT_SCALE (1 here; the vmtest guests set
# it to what their limits in turns had stretched to).
WAIT_SCALE=${UW_WAIT_SCALE:-1}

# nap SECONDS: sleeps without starting a process (read's timeout on a FIFO of the test's own)
nap() {
	[ -p "$T/.nap" ] || mkfifo "$T/.nap"
	read -r -t "$1" _ <> "$T/.nap"
	return 0
}

# cgroup mounts on this host: the cgroup2 mount and each v1 controller hierarchy; CGALL: every
# cgroup mount, named hierarchies (name=systemd) included (runtimes create groups in all)
CG2="" CG1=() CGALL=()
while read -r -a mi; do
	for ((i = 6; i < ${#mi[@]}; i++)); do [ "${mi[$i]}" = - ] && break; done
	case ${mi[$((i + 1))]} in
	cgroup2) [ -n "$CG2" ] || CG2=${mi[4]}; CGALL+=("${mi[4]}") ;;
	cgroup) [[ ${mi[-1]} =~ (pids|memory|cpu|cpuacct|cpuset|devices|freezer|blkio) ]] && CG1+=("${mi[4]}")
		CGALL+=("${mi[4]}") ;;
	esac
done < /proc/self/mountinfo
unset mi i

# setns/unshare entry points this kernel takes: "fentry" or "tracepoint", then "compat" when the
# 32-bit table's are fentry too (tests/helpers/uw-probe.c, apart from the loader)
kernel_transition_hooks() { local p; p=$(kernel_probe) && echo "${p%% *}"; }
kernel_compat_hooks() { local p; p=$(kernel_probe) && { [[ " $p " == *" compat "* ]] && echo fentry || echo late; }; }
# exec/fork/exit hooks this kernel takes: "tp_btf" where it has bpf_task_pt_regs (5.15+), which
# the tp_btf fork program uses to tell clone3 from clone, else "raw_tp"
kernel_task_hooks() { local p; p=$(kernel_probe) && { [[ $p == *" regs" ]] && echo tp_btf || echo raw_tp; }; }
# kernel_probe: uw-probe's line, probed once a run (the kernel does not change under it; the
# probe loads BPF programs, seconds under emulation): kept in tests/run.sh's UW_RUN_DIR
kernel_probe() {
	local c=${UW_RUN_DIR:+$UW_RUN_DIR/probe} l
	if [ -n "$c" ] && [ -s "$c" ]; then read -r l < "$c" && echo "$l" && return 0; fi
	l=$("$PWD/.output/tests/uw-probe") && [ -n "$l" ] || return 1
	[ -z "$c" ] || echo "$l" > "$c"
	echo "$l"
}

# requires NEED...: what a test file needs of this machine (its `needs` function calls it once
# per test). A need that is missing sets SKIP_REASON and returns 1: the test is skipped, and
# under CI=true a skip fails the run (CI installs everything: make test-deps).
#   root  btf  cmd:NAME[=PACKAGE]  file:PATH[=PACKAGE]  py:MODULE[=PACKAGE]  helper:NAME
requires() {
	local n what pkg
	for n in "$@"; do
		what=${n#*:} pkg=
		case $what in *=*) pkg=${what#*=} what=${what%%=*} ;; esac
		case $n in
		root) [ "$(id -u)" -eq 0 ] || { SKIP_REASON="not root"; return 1; } ;;
		btf) [ -r /sys/kernel/btf/vmlinux ] || { SKIP_REASON="no kernel BTF (/sys/kernel/btf/vmlinux)"; return 1; } ;;
		cmd:*) command -v "$what" >/dev/null ||
			{ SKIP_REASON="no $what (apt-get install ${pkg:-$what}; make test-deps installs it)"; return 1; } ;;
		file:*) [ -e "$what" ] ||
			{ SKIP_REASON="no $what (apt-get install ${pkg:-?}; make test-deps installs it)"; return 1; } ;;
		py:*) /usr/bin/python3 -c "import $what" 2>/dev/null ||
			{ SKIP_REASON="no python module $what (apt-get install ${pkg:-python3-$what})"; return 1; } ;;
		helper:*) [ -x "$PWD/.output/tests/$what" ] || { SKIP_REASON="helper $what not built (make test builds it)"; return 1; } ;;
		*) SKIP_REASON="requires: unknown need '$n'"; return 1 ;;
		esac
	done
}

# kernel_has CAPABILITY: 0 when this machine's kernel has it. When a probe shows it lacks it,
# sets NA_REASON and returns 78: the test is "not applicable" here, which tests/run.sh counts
# and names apart from skips (the qemu guests of make vmtest, whose kernels have it, must run
# it). A probe that cannot tell (a broken helper) fails the test (1): only a kernel's own
# answer makes a test not applicable.
#   32bit      the kernel runs a static 32-bit program (i386 on x86-64, AArch32 on arm64)
#   cgroup-v1  a cgroup v1 controller hierarchy is mounted on this host
#   fentry     the kernel loads and attaches fentry/fexit programs (tests/helpers/uw-probe.c)
kernel_has() {
	case $1 in
	32bit) probe_32bit "$PWD/.output/tests/uw-compat" setns /proc/self/ns/mnt ;;
	cgroup-v1) [ ${#CG1[@]} -gt 0 ] || { NA_REASON="no cgroup v1 hierarchy is mounted on this host"; return 78; } ;;
	fentry) local h
		h=$(kernel_transition_hooks) || { fail "kernel_has: uw-probe failed"; return 1; }
		[ "$h" = fentry ] || { NA_REASON="this kernel refuses fentry/fexit programs (probed: $h)"; return 78; } ;;
	*) fail "kernel_has: unknown capability '$1'"; return 1 ;;
	esac
}

# probe_32bit PROGRAM ARGS...: runs a static 32-bit program. It runs (exit 0): 0. The kernel
# refuses to load it (execve's ENOEXEC: no IA32 emulation or AArch32 at EL0) or kills it at its
# first 32-bit system call (SIGSEGV: ia32_emulation=off keeps the loader but not int 0x80): 78
# with NA_REASON. Any other end (missing helper, a failed call): 1, the test fails.
probe_32bit() {
	local out rc
	case $(uname -m) in x86_64|aarch64) ;; *) NA_REASON="no 32-bit compat table to test on $(uname -m)"; return 78 ;; esac
	command -v "$1" >/dev/null || { fail "probe_32bit: $1 is not built"; return 1; }
	out=$("$@" 2>&1); rc=$?
	case $rc in
	0) return 0 ;;
	126) if [[ $out == *"Exec format error"* ]]; then
		NA_REASON="this kernel runs no 32-bit programs (execve: Exec format error)"; return 78
	     fi ;;
	139) NA_REASON="this kernel runs no 32-bit programs (killed by SIGSEGV at its first 32-bit system call)"; return 78 ;;
	esac
	fail "probe_32bit: $* ended with status $rc: $out"
	return 1
}

# rand_id: 64 random lowercase hex digits (a container ID), from bash's getrandom(2) source
rand_id() { printf '%08x%08x%08x%08x%08x%08x%08x%08x\n' $SRANDOM $SRANDOM $SRANDOM $SRANDOM $SRANDOM $SRANDOM $SRANDOM $SRANDOM; }
rand_uid() { cat /proc/sys/kernel/random/uuid; }

fail() { echo "    FAIL: $*" >&2; return 1; }

assert_eq() { # expected actual what
	if [ "$1" != "$2" ]; then
		fail "$3: expected '$1', got '$2'"
		return 1
	fi
}

# mk_dirs BASE PATH: creates BASE/PATH component by component, recording only the new ones
mk_dirs() {
	local d=$1 c
	local IFS=/
	for c in $2; do
		[ -n "$c" ] || continue
		d="$d/$c"
		if [ ! -d "$d" ]; then
			mkdir "$d" && MADE_CGROUPS+=("$d")
			# a new v1 cpuset group takes no task until it has CPUs and memory nodes (runc
			# copies them from the parent the same way)
			if [ -f "$d/cpuset.cpus" ] && [ -f "${d%/*}/cpuset.cpus" ]; then
				cat "${d%/*}/cpuset.cpus" > "$d/cpuset.cpus"
				cat "${d%/*}/cpuset.mems" > "$d/cpuset.mems"
			fi
		fi
	done
}

# mk_cgroup PATH WHERE: WHERE is both (default), v2 or v1
mk_cgroup() {
	local p=$1 where=${2:-both} h
	if [ "$where" != v1 ] && [ -n "$CG2" ]; then mk_dirs "$CG2" "$p"; fi
	if [ "$where" != v2 ]; then for h in "${CG1[@]}"; do mk_dirs "$h" "$p"; done; fi
}

# procs_files PATH WHERE: the cgroup.procs files a process must be written to
procs_files() {
	local p=$1 where=${2:-both} h
	if [ "$where" != v1 ] && [ -n "$CG2" ]; then echo "$CG2$p/cgroup.procs"; fi
	if [ "$where" != v2 ]; then for h in "${CG1[@]}"; do echo "$h$p/cgroup.procs"; done; fi
}

# run_in_cgroup PATH WHERE CMD...: runs CMD in the background, moved into the cgroup first.
# Sets LAST_PID to the PID of CMD.
run_in_cgroup() {
	local p=$1 where=$2; shift 2
	local files
	files=$(procs_files "$p" "$where" | tr '\n' ' ')
	# shellcheck disable=SC2016
	sh -c 'for f in $0; do echo $$ > "$f" || exit 97; done; exec "$@"' "$files" "$@" &
	LAST_PID=$!
	STARTED_PIDS+=("$LAST_PID")
}

# proc_state PID: the process's state letter (R, S, Z, ...), empty when it is gone. The file is
# read whole (mapfile): read(1)'s line at a time seeks back, and procfs writes the file anew
# each time, so a process exec'ing meanwhile (its name changed) shifted the lines under it
proc_state() {
	local l st=()
	mapfile -t st 2>/dev/null < "/proc/$1/status" || return 0
	for l in "${st[@]}"; do
		[[ $l == State:* ]] && { read -r l _ <<<"${l#State:}"; echo "$l"; return; }
	done
}

# child_of PID: waits (up to 30 s, by the clock: an emulated guest forks slowly) for PID's
# first child and prints it; says on stderr why there is none (PID gone, and its status)
child_of() {
	local c end=$((SECONDS + 30)) st
	while [ "$SECONDS" -le "$end" ]; do
		c=
		read -r c _ 2>/dev/null < "/proc/$1/task/$1/children"
		if [ -n "$c" ]; then echo "$c"; return 0; fi
		st=$(proc_state "$1")
		case $st in
		Z|X|"") echo "child_of: process $1 ended before it forked" >&2; return 1 ;;
		esac
		nap 0.02
	done
	echo "child_of: process $1 forked nothing in 30 s ($(tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null); state $(proc_state "$1"); wchan $(cat "/proc/$1/wchan" 2>/dev/null))" >&2
	return 1
}

# not_started UPID: fails the test for a container whose launcher forked nothing, with the
# launcher's exit status when it has ended (a child of this shell: reaped here)
not_started() {
	local rc=running
	case $(proc_state "$1") in
	Z|X|"") wait "$1" 2>/dev/null; rc="exit status $?" ;;
	esac
	fail "container did not start (launcher $1: $rc)"
}

# container PATH WHERE [unshare options...] -- CMD...: a container in the host user namespace
# unless the options ask for one. Sets CPID (its init, the child of unshare) and UPID (unshare).
container() {
	local p=$1 where=$2; shift 2
	local opts=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	run_in_cgroup "$p" "$where" unshare --mount --pid --uts --ipc --net --fork --kill-child "${opts[@]}" "$@"
	UPID=$LAST_PID
	CPID=$(child_of "$UPID") || { not_started "$UPID"; return 1; }
	STARTED_PIDS+=("$CPID")
}

# violating PATH [WHERE] [CMD...]: a container in the host user namespace at cgroup PATH;
# waits for its exec alert and sets LINE to it. CMD defaults to sleep 600, ended by the cleanup:
# under software emulation a test can read /proc/PID of its container more than 30 s later.
violating() {
	local p=$1 where=${2:-both}
	shift 2 2>/dev/null || shift $#
	[ $# -gt 0 ] || set -- "$(readlink -f "$(command -v sleep)")" 600
	mk_cgroup "$p" "$where"
	container "$p" "$where" -- "$@" || return 1
	LINE=$(wait_json ".event == \"host_userns\" and .source == \"exec\" and .process.pid == $CPID")
}

# idle_container PATH [unshare options...]: a container at cgroup PATH (both hierarchies)
# running sleep 600, settled before the caller goes on (for --once and snapshots, where no watch
# waits for its alert). It ends when the test does (teardown kills it): a test under software
# emulation, beside other guests, can take more than 30 s before it runs --once.
idle_container() {
	local p=$1; shift
	mk_cgroup "$p"
	container "$p" both "$@" -- "$(readlink -f "$(command -v sleep)")" 600 || return 1
	nap 0.3
}

# until_exe PID PATH: waits (up to 30 s) until process PID runs the program PATH (the file,
# looked at by bash's -ef each turn; then its path, by readlink(1) once)
until_exe() {
	local end=$((SECONDS + 30 * WAIT_SCALE))
	while [ "$SECONDS" -le "$end" ]; do
		[[ /proc/$1/exe -ef $2 ]] && [ "$(readlink "/proc/$1/exe")" = "$2" ] && return 0
		nap 0.05
	done
	fail "process $1 never ran $2 (it runs $(readlink "/proc/$1/exe"))"
}

# copies SRC N PREFIX: N copies of the program SRC, PREFIX1 to PREFIXN, each a file of its own
# (programs are told apart by their file), written by one tee(1), not N cp(1)
copies() {
	local files=() i
	mkdir -p "${3%/*}"
	for ((i = 1; i <= $2; i++)); do files+=("$3$i"); done
	tee "${files[@]}" < "$1" > /dev/null && chmod 755 "${files[@]}"
}

# A sentinel violating container: once its alert is out, everything before it has been read.
sentinel() {
	violating "/docker/$(rand_id)"
}

# said FILE TEXT: FILE has a line holding TEXT (read by bash)
said() {
	local l
	while IFS= read -r l || [ -n "$l" ]; do
		[[ $l == *"$2"* ]] && return 0
	done 2>/dev/null < "$1"
	return 1
}

uw_start() { # uw_start [options]: starts the watch, waits (15 s) until it is watching
	# emptied here, not only by the watch's redirections: those happen in the child, after the
	# wait below has read the previous watch's "watching"
	: > "$T/out.json"
	: > "$T/err"
	"$UW_BIN" -o json "$@" > "$T/out.json" 2> "$T/err" &
	UW_PID=$!
	local end=$((SECONDS + 15 * WAIT_SCALE))
	while [ "$SECONDS" -le "$end" ]; do
		said "$T/err" watching && return 0
		kill -0 "$UW_PID" 2>/dev/null || { cat "$T/err" >&2; fail "userns-watch exited early"; return 1; }
		nap 0.05
	done
	fail "userns-watch did not start: $(cat "$T/err")"
}

uw_stop() { # stops the watch with SIGINT; sets UW_RC
	UW_RC=""
	[ -n "$UW_PID" ] || return 0
	kill -INT "$UW_PID" 2>/dev/null
	wait "$UW_PID"
	UW_RC=$?
	UW_PID=""
}

# grew FD: reads what was written to the file open on FD since the last look (bash's read);
# true when there was anything
grew() {
	local l any=1
	while IFS= read -r -u "$1" l || [ -n "$l" ]; do any=0 l=; done
	return $any
}

# wait_json FILTER [SECONDS]: waits (10 s) for a JSON line matching the jq filter, prints it
wait_json() {
	local f=$1 secs=${2:-10} out fd end
	end=$((SECONDS + secs * WAIT_SCALE))
	exec {fd}< "$T/out.json" || return 1
	while :; do
		# jq only when the output grew: under software emulation one jq costs 0.5-1 s of CPU
		if grew "$fd"; then
			out=$(jq -c "select($f)" "$T/out.json" 2>/dev/null | head -n 1)
			if [ -n "$out" ]; then exec {fd}<&-; echo "$out"; return 0; fi
		fi
		[ "$SECONDS" -le "$end" ] || break
		nap 0.05
	done
	exec {fd}<&-
	fail "no JSON line matching: $f"
	return 1
}

# JSON lines, read from the watch's output ($T/out.json) unless a FILE is given. Each of these
# runs jq once: under software emulation one jq costs 0.5-1 s of CPU.
# json_lines FILTER [FILE]: the lines matching the jq filter
json_lines() { jq -c "select($1)" "${2:-$T/out.json}"; }
# count_json FILTER [FILE]: how many lines match; a filter jq cannot run on every line (a
# syntax error, a type error on some record) prints "jq-error" and fails the test's assertion
# rather than counting the lines before the error
count_json() {
	local out
	out=$(json_lines "$@") || { echo "    FAIL: count_json: jq failed on: $1" >&2; echo jq-error; return 1; }
	[ -z "$out" ] && echo 0 || wc -l <<<"$out"
}
# last_stats [FILE]: the last stats record
last_stats() { jq -c 'select(.event == "stats")' "${1:-$T/out.json}" | tail -n 1; }

ino() { readlink "/proc/$1/ns/$2" | tr -dc 0-9; } # ino PID|self NAME: a namespace's inode number

# fields LINE FILTER...: sets the array F to the filters' values in LINE, one jq for all
# (strings raw, anything else as JSON: null, numbers, true), in the order given
fields() {
	local line=$1 expr="" f
	shift
	for f in "$@"; do expr+="${expr:+, }($f)"; done
	mapfile -t F < <(jq -r "$expr | if type == \"string\" then . else tojson end" <<<"$line")
	[ "${#F[@]}" -eq $# ] || { fail "fields: $# filters, ${#F[@]} values (a value with a newline?)"; return 1; }
}

# expect [-m WHAT] LINE FILTER EXPECTED [FILTER EXPECTED]...: each filter's value in LINE (as
# fields gives it: strings raw, anything else as compact JSON, which is what `jq -r` prints for
# a string, number, boolean or null; end a filter with `| tojson` for what `jq` or `jq -c`
# prints) must be EXPECTED. Checked in order with assert_eq, each named by its filter (after
# "WHAT: " when given); the first that differs fails. One jq for all.
expect() {
	local what="" line i filters=() want=()
	if [ "${1:-}" = -m ]; then what="$2: "; shift 2; fi
	line=$1
	shift
	[ $(($# % 2)) -eq 0 ] && [ $# -gt 0 ] || { fail "expect: FILTER EXPECTED pairs, got $# arguments"; return 1; }
	while [ $# -gt 0 ]; do filters+=("$1"); want+=("$2"); shift 2; done
	fields "$line" "${filters[@]}" || return 1
	for i in "${!filters[@]}"; do
		assert_eq "${want[$i]}" "${F[$i]}" "$what${filters[$i]#.}" || return 1
	done
}

# every line of the output must be valid JSON
all_json_valid() {
	local n bad
	n=$(wc -l < "$T/out.json")
	bad=$(jq -c . "$T/out.json" 2>&1 >/dev/null | head -n 3)
	[ -z "$bad" ] || { fail "invalid JSON in output: $bad"; return 1; }
	[ "$(jq -c . "$T/out.json" | wc -l)" -eq "$n" ] || { fail "JSON line count differs"; return 1; }
}

# every line of the output must match include/userns-watch.schema.json: asked of the run's
# validator (tests/run.sh starts validate_schema.py --serve) when it is there, else of a
# validate_schema.py of its own; the same answer either way
schema_valid() {
	local f=${1:-$T/out.json} out
	if schema_ask "$f"; then
		[ "$SCHEMA_RC" = 0 ] || { fail "schema: $SCHEMA_OUT"; return 1; }
		return 0
	fi
	out=$(/usr/bin/python3 tests/integration/validate_schema.py include/userns-watch.schema.json "$f" 2>&1) ||
		{ fail "schema: $out"; return 1; }
}

# schema_ask FILE: the run's validator's answer for FILE in SCHEMA_RC (its exit status) and
# SCHEMA_OUT (what it printed); false when there is no validator, or none answered
schema_ask() {
	local d=${UW_RUN_DIR:-} id="$BASHPID.$SRANDOM" rq rp l end
	[ -n "$d" ] && [ -p "$d/req" ] && kill -0 "${UW_SCHEMA_PID:-0}" 2>/dev/null || return 1
	# loading jsonschema takes it seconds under emulation: wait for it, as long as it runs
	end=$((SECONDS + 30 * WAIT_SCALE))
	until [ -s "$d/ready" ]; do
		[ "$SECONDS" -le "$end" ] && kill -0 "$UW_SCHEMA_PID" 2>/dev/null || return 1
		nap 0.05
	done
	# both FIFOs read-write: opening neither waits, and the reply stays open until it is read
	exec {rp}<> "$d/reply" {rq}<> "$d/req" || return 1
	printf '%s\t%s\n' "$id" "$1" >&"$rq"
	exec {rq}>&-
	SCHEMA_OUT="" SCHEMA_RC=""
	while IFS= read -r -t $((60 * WAIT_SCALE)) -u "$rp" l; do
		[ "${l%%$'\t'*}" = "$id" ] || continue
		l=${l#*$'\t'}
		case $l in
		"END "*) SCHEMA_RC=${l#END }; break ;;
		*) SCHEMA_OUT+="${SCHEMA_OUT:+$'\n'}$l" ;;
		esac
	done
	exec {rp}<&-
	[ -n "$SCHEMA_RC" ]
}

# stats_now: asks for a stats record, prints it (-o json). It waits (4 s) until a whole new
# record is written, read by bash: each record writes "event":"stats" once (at the top in JSON,
# inside userns_watch or unmapped in ECS and OCSF, where jq's .event is another object; a string
# value holds no bare quote). A jq every 20 ms took a second a turn under software emulation,
# and counted no record at all in ECS and OCSF (the wait ran out every time).
stats_now() {
	local fd l part="" end=$((SECONDS + 4 * WAIT_SCALE))
	exec {fd}< "$T/out.json" || return 1
	# what is there already; a line still being written is kept in part
	while IFS= read -r -u "$fd" l; do :; done
	part=$l
	kill -USR1 "$UW_PID"
	while [ "$SECONDS" -le "$end" ]; do
		while IFS= read -r -u "$fd" l; do
			l=$part$l part=
			[[ $l == *'"event":"stats"'* ]] && break 2
		done
		part+=$l
		nap 0.02
	done
	exec {fd}<&-
	last_stats
}

# programs_gone IDS...: waits for the kernel to free the programs (after an RCU grace period)
# and checks no link still points at them
programs_gone() {
	local id left
	for id in "$@"; do
		for _ in $(seq 1 100); do bpftool prog show id "$id" >/dev/null 2>&1 || break; nap 0.05; done
		if bpftool prog show id "$id" >/dev/null 2>&1; then fail "program $id still loaded"; return 1; fi
	done
	# one look at the links for all of them (jq is slow under emulation)
	left=$(bpftool link show -j | of_ids prog_id .prog_id "$@")
	[ -z "$left" ] || { fail "links to programs left: $left"; return 1; }
}

# of_ids FIELD OUT IDS...: of a JSON array on stdin (bpftool -j), OUT (a jq filter, raw output)
# of each element whose FIELD is one of IDS (numbers, split at any white space), in one jq
of_ids() {
	local field=$1 out=$2
	shift 2
	jq -r --arg ids "$*" --arg f "$field" \
		'($ids | [splits("\\s+")] | map(select(. != "") | tonumber)) as $w | .[] | select(.[$f] as $v | any($w[]; . == $v)) | '"$out"
}

# prog_names IDS...: the programs' names (first 15 bytes: all the kernel keeps), sorted, on one
# line with a space after each
prog_names() { bpftool prog show -j | of_ids id '.name[0:15]' "$@" | sort | tr '\n' ' '; }

# ours are the programs that appear while it runs (bpftool here cannot show owner PIDs)
new_prog_ids() { bpftool prog show -j | jq -r '.[].id' | grep -vxF -f <(echo "$1"; echo x); }

# ---- the image (make image) as the DaemonSet of tools/dist/kubernetes/base runs it ----
MANIFEST=tools/dist/kubernetes/base/userns-watch.yaml

# image_run_args [extra manifest.py options]: the manifest's pod settings as run options, in
# IMAGE_ARGS; the container's arguments in IMAGE_CMD; the image in IMAGE_REF. The test's engine
# keeps its data below $HOSTROOT, so the watch's --host-root is the host's root mount plus that;
# the host's tracefs is a private tracefs mount of the test's (this host may have none mounted).
image_run_args() {
	local a
	mkdir -p "$T/tracing"
	if ! grep -q " $T/tracing tracefs " /proc/self/mountinfo; then
		mount -t tracefs nodev "$T/tracing" || { fail "cannot mount a tracefs"; return 1; }
		CLEANUP_CMDS=("umount -l '$T/tracing'" "${CLEANUP_CMDS[@]}")
	fi
	# the host's BPF filesystem: one of the test's own, so that what the image's watch pins goes
	# with the test (unmounted at its cleanup)
	mkdir -p "$T/bpffs"
	if ! grep -q " $T/bpffs bpf " /proc/self/mountinfo; then
		mount -t bpf bpf "$T/bpffs" || { fail "cannot mount a BPF filesystem"; return 1; }
		CLEANUP_CMDS=("umount -l '$T/bpffs'" "${CLEANUP_CMDS[@]}")
	fi
	local opts=(--node "uw-node-$$" --config-dir "$T/policy" --host-path "/sys/kernel/tracing=$T/tracing"
		    --host-path "/sys/fs/bpf=$T/bpffs")
	# what the test's own bounding set lacks cannot be granted to a container
	[ $(( 0x$(awk '/^CapBnd:/ {print $2}' /proc/self/status) >> 24 & 1 )) -eq 1 ] ||
		opts+=(--cap-without SYS_RESOURCE)
	mapfile -t IMAGE_ARGS < <(/usr/bin/python3 tests/integration/manifest.py "$MANIFEST" engine-args "${opts[@]}" "$@") &&
		[ ${#IMAGE_ARGS[@]} -gt 0 ] || { fail "manifest.py engine-args"; return 1; }
	mapfile -t IMAGE_CMD < <(/usr/bin/python3 tests/integration/manifest.py "$MANIFEST" command)
	for a in "${!IMAGE_CMD[@]}"; do
		[ "${IMAGE_CMD[$a]}" = "/host" ] && [ "${IMAGE_CMD[$((a - 1))]}" = "--host-root" ] &&
			IMAGE_CMD[$a]="/host$HOSTROOT"
	done
	IMAGE_REF=$(/usr/bin/python3 tests/integration/manifest.py "$MANIFEST" image)
	IMAGE_PORT=$(/usr/bin/python3 tests/integration/manifest.py "$MANIFEST" ready-port)
}

# ready_probe PID: a TCP connection to the readiness port in the network namespace of PID, as
# the kubelet's tcpSocket probe makes it
ready_probe() {
	nsenter -t "$1" -n bash -c "exec 3<>/dev/tcp/127.0.0.1/$IMAGE_PORT" 2>/dev/null
}

# wait_ready PID: the port accepts within 20 s (set-up under qemu is slow)
wait_ready() {
	local i
	for i in $(seq 1 200); do
		ready_probe "$1" && return 0
		nap 0.1
	done
	fail "the readiness port $IMAGE_PORT never accepted"
}

# ---- the deployment artifacts' checkers: tests/deploy/check.mjs over npm packages at the
# versions tests/deploy/package.json names (the Kubernetes models, the TypeScript compiler,
# Prometheus's PromQL grammar), installed once into .output/deploy ----
DEPLOY_DIR=$PWD/.output/deploy

# deploy_tools: installs them when missing or when package.json changed. Without node, npm or
# the registry the test is skipped (77), and SKIP_REASON says why.
deploy_tools() {
	requires cmd:node=nodejs cmd:npm || return 77
	if ! cmp -s tests/deploy/package.json "$DEPLOY_DIR/package.json" || [ ! -x "$DEPLOY_DIR/node_modules/.bin/tsc" ]; then
		rm -rf "$DEPLOY_DIR" && mkdir -p "$DEPLOY_DIR" && cp tests/deploy/package.json "$DEPLOY_DIR/" &&
			(cd "$DEPLOY_DIR" && timeout 600 npm install --no-package-lock --no-audit --no-fund --loglevel=error) \
				> "$T/npm.log" 2>&1 || {
			rm -rf "$DEPLOY_DIR"
			SKIP_REASON="npm install of tests/deploy/package.json failed (no npm registry here?): $(tail -n 3 "$T/npm.log" | tr '\n' ' ')"
			return 77
		}
	fi
	cp tests/deploy/check.mjs "$DEPLOY_DIR/" && mkdir -p "$DEPLOY_DIR/checks"
}

# deploy_check ARGS...: check.mjs ARGS in .output/deploy (files given by absolute path)
deploy_check() { (cd "$DEPLOY_DIR" && node check.mjs "$@"); }

# the Prometheus alert rules and the Grafana dashboard (test_artifacts.sh checks them, with
# promtool and check.mjs; test_metrics.sh that each metric they name is served)
RULES=tools/dist/prometheus/userns-watch.rules.yaml
DASHBOARD=tools/dist/grafana/userns-watch.json

# monitoring_exprs OUT: every PromQL expression of the alert rules and of the Grafana dashboard
# (its panels' queries and its query variables) as JSON {"WHERE": "EXPR"}, WHERE being "rule
# NAME", "panel ID TITLE REFID" or "variable NAME". Grafana's interval variables become 5m, so
# that the query parses as PromQL; label_values(SELECTOR, LABEL) gives its selector.
monitoring_exprs() {
	/usr/bin/python3 - "$RULES" "$DASHBOARD" > "$1" <<'PY'
import json, re, sys, yaml
out = {}
for g in yaml.safe_load(open(sys.argv[1]))["groups"]:
    for r in g["rules"]:
        out[f'rule {r.get("alert") or r.get("record")}'] = r["expr"]
d = json.load(open(sys.argv[2]))
panels = [q for p in d["panels"] for q in [p] + p.get("panels", [])]
for p in panels:
    for t in p.get("targets", []):
        out[f'panel {p["id"]} {p["title"]} {t["refId"]}'] = re.sub(r'\$__(rate_interval|interval|range)\b', '5m', t["expr"])
for v in d["templating"]["list"]:
    if v["type"] == "query":
        m = re.fullmatch(r'label_values\((.*), *\w+\)', v["query"])
        out[f'variable {v["name"]}'] = m.group(1) if m else v["query"]
print(json.dumps(out))
PY
}

cleanup() {
	local p c i
	uw_stop
	for ((i = ${#CLEANUP_CMDS[@]} - 1; i >= 0; i--)); do eval "${CLEANUP_CMDS[$i]}" >/dev/null 2>&1; done
	CLEANUP_CMDS=()
	for p in "${STARTED_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	for p in "${STARTED_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	STARTED_PIDS=()
	# newest first: children before their parents; only what the test made
	for ((i = ${#MADE_CGROUPS[@]} - 1; i >= 0; i--)); do
		c=${MADE_CGROUPS[$i]}
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			[ -d "$c" ] || break
			rmdir "$c" 2>/dev/null && break
			nap 0.05
		done
		[ ! -d "$c" ] || echo "    note: could not remove $c" >&2
	done
	MADE_CGROUPS=()
}

# a copy of a program, so that it is a program of its own (flood control tells programs apart
# by their file)
prog() { cp "${2:-$(readlink -f "$(command -v sleep)")}" "$T/$1" && echo "$T/$1"; }

# hostpid_container PATH CMD...: a container sharing the host pid namespace (docker run
# --pid=host): its own mount, uts, ipc and net namespaces
hostpid_container() {
	local p=$1; shift
	mk_cgroup "$p"
	run_in_cgroup "$p" both unshare --mount --uts --ipc --net --fork --kill-child "$@"
	UPID=$LAST_PID
	CPID=$(child_of "$UPID") || { not_started "$UPID"; return 1; }
	STARTED_PIDS+=("$CPID")
}

# ---- what names a build (tools/dist/buildinfo.sh), worked out here apart from it ----
uw_version() { sed -n 's/^#define UW_VERSION "\(.*\)"/\1/p' user/version.h; }
# git_revision: HEAD's commit, with -dirty when a tracked file differs from it
git_revision() {
	local r
	r=$(git rev-parse HEAD 2>/dev/null) || { echo unknown; return 0; }
	[ -z "$(git status --porcelain --untracked-files=no)" ] || r+=-dirty
	echo "$r"
}
# want_version ARCH BPF_OBJECT LIBBPF_SO: what --version prints for a build for ARCH (as uname -m
# names it) whose BPF object is BPF_OBJECT, run with the libbpf shared object LIBBPF_SO
want_version() {
	local so built
	so=$(readlink -f "$3")
	built=$(awk '$2 == "LIBBPF_MAJOR_VERSION" {M = $3} $2 == "LIBBPF_MINOR_VERSION" {m = $3} END {print M "." m}' \
		/usr/include/bpf/libbpf_version.h)
	printf 'userns-watch %s\nrevision: %s\narchitecture: %s\nlibbpf: %s (built with %s)\nbpf object: sha256:%s\n' \
		"$(uw_version)" "$(git_revision)" "$1" "$(echo "${so##*.so.}" | cut -d. -f1,2)" "$built" \
		"$(sha256sum < "$2" | cut -c1-64)"
}
