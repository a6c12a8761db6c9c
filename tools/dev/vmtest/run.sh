#!/usr/bin/env bash
# make vmtest: the integration suites under Debian's kernels, booted with qemu (software
# emulation). The guest's userland is Debian 12 (debootstrap from this machine's own apt
# sources, cached in .output/vmtest/), unpacked from the initramfs, with this build's
# userns-watch, test helpers and tests/ in /uw; its /init (tools/dev/vmtest/guest-init.sh) runs
# tests/run.sh on the suites in VM_FILES and prints the runner's own output on the serial
# console, ending with its "TOTAL: N passed, N failed, N skipped, N not applicable" line.
# Debian's kernels run 32-bit programs: a guest where a test is not applicable for any reason
# but its cgroup layout (a v1-only test in a pure v2 guest) fails, so the compat tests that a
# machine without IA32 emulation cannot run (tests/run.sh: not applicable) always run here.
# VM_MATRIX lists kernel:cgroup-layout pairs (kernels 5.10 from Debian 11, 6.1 from Debian 12,
# 6.12 from bookworm-backports, each fetched through a private apt configuration; layouts v2 =
# pure cgroup v2, v1 = v1 only); "arm64/6.1:v2" is an arm64 guest (qemu-system-aarch64, the
# cross-built binary and helpers in an arm64 Debian userland); "6.12:v2:no32" is booted with
# ia32_emulation=false and must find its compat tests not applicable (run_guest). A guest whose
# suite fails, or that does not finish in its time (VM_TIMEOUT), fails the run and its console
# log is printed. VM_TESTS=REGEX (no spaces) runs only the tests whose names match, for a quick
# look at one kernel. The tests assert the hook types the guest's kernel accepts
# (tests/helpers/uw-probe.c). The arm64 guests run VM_TESTS_ARM64, the v1-only guest
# VM_TESTS_V1 (defaults below) unless VM_TESTS is set.
set -u
cd "$(dirname "$0")/../../.."
W=.output/vmtest
# The longest guests come first, the shortest last, where fewer than VM_JOBS are left running:
# the longest jobs started first finish the matrix soonest.
MATRIX=${VM_MATRIX:-"arm64/6.1:v2 arm64/6.12:v2 6.1:v2 6.12:v2 5.10:v2 5.10:v1 6.12:v2:no32"}
FILES=${VM_FILES:-"tests/integration/test_live.sh tests/integration/test_transitions.sh tests/integration/test_adversary.sh tests/integration/test_provenance.sh tests/integration/test_hardening.sh tests/integration/test_pin.sh tests/integration/test_identity.sh tests/integration/test_policy.sh tests/integration/test_operator.sh"}
# make install needs the build tree, not the kernel: the host runs it; so do the tests of a
# policy file or an option alone, which load no BPF
EXCLUDE=${VM_EXCLUDE:-"^test_(make_install|check_policy|policy_schema_agrees|host_name_refused)$"}
# tests_regex NAME...: the runner's UW_TESTS regex for exactly the tests test_NAME
tests_regex() { local IFS='|'; echo "^test_($*)\$"; }
# The arm64 guests run the tests that cross architecture code, not all four suites: under
# emulation an arm64 test takes about 55 s (three guests on two cores, 2026-12-01), and the whole
# 50 made each arm64 guest 40-50 min, the CI 75 (over its 60-minute budget). The userspace logic
# the other tests cover is the same code on both architectures, run in full by the x86 guests
# and make test.
ARM64_LIST=(
	docker_cgroupfs_exec_alert      # the exec path
	clean_shutdown                  # the program set this kernel takes, and shutdown
	severity_by_capabilities        # credentials: arm64's kernel_cap_t layout
	snapshot_and_once               # the task iterator
	leader_exited_in_snapshot       # the task iterator, a process whose leader has exited
	raw_tp_hooks_alert              # the raw_tp twins: arguments from the registers
	repeats_decided_in_kernel       # the repeat key
	clone3_userns_in_container      # every transition test: arm64's syscall entry points,
	failed_setns_nothing            #   clone3 told from the registers
	host_unshare_only_with_flag
	nsenter_host_userns_setns
	nsenter_userns_enter
	unshare_userns_in_container
	escape_from_hostpid_container   # the escapes
	escape_from_own_pidns_container
	compat_unshare_in_container     # the AArch32 compat table
	compat_setns_escape
	compat_home_copy_escape
	compat_ptrace_escape            # the AArch32 ptrace, where fexit sees it
	proc_mem_write_escape           # fexit on security_ptrace_access_check / proc_mem_open
	memfd_program_named             # the memfd name
	running_watch_least_privilege   # the seccomp sandbox: arm64's syscall numbers
	sighup_keeps_watching           #   and a reload under it
	policy_follows_its_file         #   and inotify's calls under it
	pin_kill_restart_reports_all    # the pinned kernel side: arm64's links pinned, adopted
	pin_replace_under_load          #   and replaced
)
ARM64_TESTS=${VM_TESTS_ARM64:-$(tests_regex "${ARM64_LIST[@]}")}
# The v1-only guest (5.10:v1) runs the tests whose behaviour depends on the cgroup layout: where
# only v1 hierarchies are mounted, every task's cgroup2 group is the root, and containers are
# told apart by the v1 group of one controller (the kernel's cgroup1 key, userspace's path and
# ID lookups). The rest does the same on any layout and runs in the pure-v2 guest of the same
# kernel (5.10:v2), and on the host's hybrid layout in make test.
V1_LIST=(
	docker_cgroupfs_exec_alert      # a container found by its v1 group: ID, path, exec and fork
	kubernetes_pod_alert            # a pod's nested v1 path: the pod UID
	v1_only_container               # v1-specific (not applicable in pure-v2 guests)
	fresh_cgroups_named             # groups made right before the first exec: found by v1 ID
	removed_cgroup_forgotten        # the kernel's report of a v1 group's removal
	unknown_layout_reported         # an unknown layout's path, read from v1
	snapshot_and_once               # the task iterator's v1 groups of processes started before
	once_audit_table                # --once: every container found by its v1 group, PASS too
	host_activity_no_alert          # the ignore map: a host service's key holds its v1 group
	moved_into_service_cgroup       # a container process moved into that ignored v1 group
	setup_lookalike_reported        # a new container's first program, known by its v1 group
	attribution_a_to_b              # the container entered against the v1 group it came from
	escape_from_hostpid_container   # a hostPID container known only by its v1 group escaping
	repeats_decided_in_kernel       # the kernel's repeat key holds the v1 group
)
V1_TESTS=${VM_TESTS_V1:-$(tests_regex "${V1_LIST[@]}")}
# a guest is cut off after VM_TIMEOUT seconds (x86) or VM_TIMEOUT_ARM64 (arm64). Emulation speed
# varies between machines of the same kind: on 2026-12-01 the arm64 guests needed about 47 min
# (55 s a test, against 29 s on 2026-11-24), past the earlier 40, and an x86 one 16 of its 20.
TIMEOUT=${VM_TIMEOUT:-1800}
TIMEOUT_ARM64=${VM_TIMEOUT_ARM64:-$((TIMEOUT * 2))}
mkdir -p "$W/debs" "$W/kernels"

# what it runs is installed by make test-deps (tools/dev/install-deps.sh --test), not here
missing=""
need() { command -v "$1" >/dev/null || missing+=" $2"; }
need qemu-system-x86_64 qemu-system-x86
need debootstrap debootstrap
need cpio cpio
case " $MATRIX" in
*" arm64/"*)
	# arm64 guests: qemu-system-aarch64, and arm64 programs run on this machine through
	# binfmt_misc (debootstrap's second stage runs the userland's own programs)
	need qemu-system-aarch64 qemu-system-arm
	[ -x /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] || missing+=" qemu-user-static"
	command -v update-binfmts >/dev/null || missing+=" binfmt-support" ;;
esac
[ -z "$missing" ] || { echo "vmtest: missing:$missing (make test-deps installs them)"; exit 2; }
case " $MATRIX" in
*" arm64/"*)
	grep -q ' /proc/sys/fs/binfmt_misc ' /proc/mounts || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
		{ echo "vmtest: cannot mount binfmt_misc"; exit 2; }
	[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64 ||
		{ echo "vmtest: cannot register qemu-aarch64 with binfmt_misc"; exit 2; } ;;
esac

# newc archive of the current directory on stdout; nothing of this machine's own binaries goes
# into the guest but the build's (the guest's userland is its own Debian)
pack() { find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet | gzip -1; }

# debian_uri, apt_opts, fetch_kernel ARCH VERSION (kernels cached in $W)
. tools/dev/vmtest/kernels.sh

# The guest's Debian userland: what the integration tests and the binary use. Made once with
# debootstrap from this machine's apt sources and kept, packed, in $W (the name says its list).
GUEST_PKGS="busybox-static,jq,python3-jsonschema,util-linux,procps,bpftool,libbpf1,libelf1,zlib1g,libjansson4,libcap2,libseccomp2,libyaml-0-2,libmicrohttpd12"
build_rootfs() { # ARCH
	local arch=$1 key out tmp uri deb_arch
	deb_arch=$([ "$arch" = arm64 ] && echo arm64 || echo amd64)
	key=$(echo "bookworm $deb_arch $GUEST_PKGS" | sha256sum | cut -c1-12)
	out=$W/rootfs-$arch-$key.cpio.gz
	if [ -s "$out" ]; then echo "$out"; return 0; fi
	uri=$(debian_uri)
	[ -n "$uri" ] || { echo "vmtest: no Debian bookworm source in this machine's apt configuration" >&2; return 1; }
	tmp=$W/rootfs-build-$arch
	rm -rf "$tmp"
	debootstrap --arch="$deb_arch" --variant=minbase --include="$GUEST_PKGS" bookworm "$tmp" "$uri" > "$W/debootstrap-$arch.log" 2>&1 ||
		{ echo "vmtest: debootstrap ($deb_arch) failed: $(tail -n 3 "$W/debootstrap-$arch.log")" >&2; return 1; }
	rm -rf "$tmp"/usr/share/doc "$tmp"/usr/share/man "$tmp"/usr/share/info "$tmp"/usr/share/locale \
		"$tmp"/var/cache/apt/* "$tmp"/var/lib/apt/lists/*
	(cd "$tmp" && pack) > "$out.tmp" && mv "$out.tmp" "$out" ||
		{ echo "vmtest: cannot pack the guest's userland" >&2; return 1; }
	rm -rf "$tmp"
	# userlands made for an older package list are not used again
	find "$W" -maxdepth 1 -name "rootfs-$arch-*.cpio.gz" ! -name "${out##*/}" -delete
	echo "$out"
}

# what the guest runs, in /uw (a second archive appended to the userland's: the kernel unpacks
# both): this build's binary and helpers for the guest's architecture (arm64: cross-built into
# .output/arm64 by make vmtest)
build_suite() { # ARCH
	local arch=$1 r=$W/suite-$1 out=.output bin=${UW_BIN:-userns-watch} helpers="uw-nstest uw-probe uw-compat" h
	if [ "$arch" = arm64 ]; then out=.output/arm64 bin=.output/arm64/userns-watch; fi
	rm -rf "$r"
	mkdir -p "$r/uw/.output/tests" "$r/uw/include" "$r/uw/tests"
	cp "$bin" "$r/uw/userns-watch" || return 1
	cp include/userns-watch.schema.json "$r/uw/include/"
	cp -r tests/run.sh tests/integration "$r/uw/tests/"
	for h in $helpers; do cp "$out/tests/$h" "$r/uw/.output/tests/" || return 1; done
	cp tools/dev/vmtest/guest-init.sh "$r/init"
	chmod +x "$r/init"
	(cd "$r" && pack) > "$W/suite-$arch.cpio.gz" || { echo "vmtest: cannot pack the suite" >&2; return 1; }
}

arches=$(for kl in $MATRIX; do case $kl in */*) echo "${kl%%/*}" ;; *) echo x86 ;; esac; done | sort -u)
for arch in $arches; do
	[ "$arch" = x86 ] || make -s --no-print-directory ARCH="$arch" all helpers ||
		{ echo "vmtest: cannot cross-build for $arch (tools/dev/install-deps.sh --test installs the tools)" >&2; exit 2; }
done
# the userlands of all architectures at once (debootstrap waits on downloads as much as it
# computes), then each architecture's initramfs
for arch in $arches; do build_rootfs "$arch" > "$W/rootfs-$arch.path" & done
wait
for arch in $arches; do
	rootfs=$(cat "$W/rootfs-$arch.path")
	[ -s "$rootfs" ] || exit 2
	build_suite "$arch" || { echo "vmtest: cannot gather the $arch suite (make vmtest builds it)" >&2; exit 2; }
	cat "$rootfs" "$W/suite-$arch.cpio.gz" > "$W/initrd-$arch.gz"
done
files_arg=$(echo $FILES | tr ' ' ',')

# run_guest ARCH KERNEL LAYOUT VARIANT ID: boots one guest, writes its summary line to
# $W/result-ID ("ok ..." or "FAIL ...") and, when it failed, the end of its console to
# $W/failed-ID. VARIANT no32 (x86): booted with ia32_emulation=false, it runs the compat tests
# only (VM_TESTS_NO32), and passes when each is not applicable for that reason, as the probe
# says on a machine that runs no 32-bit program: the runner's not-applicable path on a real
# kernel.
NO32_TESTS=${VM_TESTS_NO32:-"^test_compat_"}
run_guest() {
	local arch=$1 k=$2 l=$3 variant=$4 id=$5 vmlinuz log t0 retried="" attempt rc=0 secs kern total skipped na_bad why name qemu con limit=$TIMEOUT
	local tests=${VM_TESTS:-} extra="" ok=0 na_count
	name=$([ "$arch" = x86 ] && echo "$k" || echo "$arch/$k")
	local res=$W/result-$id what="cgroup $l"
	rm -f "$res" "$W/failed-$id"
	vmlinuz=$(fetch_kernel "$arch" "$k") || { echo "FAIL $name: kernel not available" > "$res"; return; }
	log=$W/console-$id.log
	t0=$(date +%s)
	# one host thread per guest (two guests run at once on two cores): multi-threaded TCG let a
	# vCPU run code another had just patched (an int3 Oops in the kernel's own text patching,
	# seen once on 6.12)
	if [ "$arch" = arm64 ]; then
		qemu=(qemu-system-aarch64 -M virt -cpu max -accel tcg,thread=single -smp 2 -m 2048)
		con=ttyAMA0 limit=$TIMEOUT_ARM64 tests=${VM_TESTS:-$ARM64_TESTS}
	else
		qemu=(qemu-system-x86_64 -accel tcg,thread=single -cpu qemu64,-cx16 -smp 2 -m 2048)
		con=ttyS0
		[ "$l" = v1 ] && tests=${VM_TESTS:-$V1_TESTS}
	fi
	if [ "$variant" = no32 ]; then
		extra=" ia32_emulation=false" tests=${VM_TESTS:-$NO32_TESTS} what+=", ia32_emulation=false"
	fi
	for attempt in 1 2; do
		timeout "$limit" "${qemu[@]}" \
			-nographic -no-reboot -kernel "$vmlinuz" -initrd "$W/initrd-$arch.gz" \
			-append "console=$con panic=-1 quiet$extra uw.cgroup=$l uw.files=$files_arg uw.exclude=$EXCLUDE${tests:+ uw.tests=$tests}" \
			< /dev/null > "$log" 2>&1
		rc=$?
		tr -d '\r' < "$log" > "$log.txt"
		# a guest whose kernel died (before its init ran, or with an Oops or a panic before the
		# suite's end: software emulation's faults, which a BPF program cannot cause) is booted
		# once more, and the summary says why; a guest whose tests failed is never retried
		if ! grep -q 'VMTEST-KERNEL' "$log.txt"; then
			why="the first boot died before init"
		elif ! grep -q 'VMTEST-DONE' "$log.txt" && grep -Eq '(Oops|Kernel panic|BUG):' "$log.txt"; then
			why="the first run's kernel failed: $(grep -Eam1 '(Oops|Kernel panic|BUG):' "$log.txt" | sed 's/^\[ *[0-9.]*\] //' | cut -c1-80)"
		else
			break
		fi
		[ "$attempt" = 1 ] && { retried=" (booted twice: $why)"; cp "$log.txt" "$log.first.txt"; }
	done
	secs=$(( $(date +%s) - t0 ))
	kern=$(sed -n 's/.*VMTEST-KERNEL \([^ ]*\).*/\1/p' "$log.txt")
	total=$(grep -a '^TOTAL: ' "$log.txt" | tail -n 1)
	skipped=$(grep -a '^SKIP - ' "$log.txt" | sed 's/^SKIP - //; s/ # [0-9]*s$//' | tr '\n' ' ')
	if [ "$variant" = no32 ]; then
		# every test not applicable, each because the kernel runs no 32-bit program
		na_count=$(grep -ac '^N/A - ' "$log.txt")
		na_bad=$(grep -a '^N/A: ' "$log.txt" | grep -v 'runs no 32-bit programs' | sed 's/^N\/A: //' | tr '\n' ' ')
		[[ $total == "TOTAL: 0 passed, 0 failed, 0 skipped, $na_count not applicable" ]] && [ "$na_count" -gt 0 ] && ok=1
	else
		# tests not applicable for another reason than the layout: "  test_x: reason" lines;
		# arm64 kernels before 6.4 attach no fentry/fexit program (no ftrace direct calls): the
		# routes only fexit sees are not applicable there, and must run on arm64 6.12
		local na_ok='no cgroup v1 hierarchy is mounted'
		[ "$arch" = arm64 ] && [ "$k" = 6.1 ] && na_ok+='|refuses fentry/fexit programs'
		na_bad=$(grep -a '^N/A: ' "$log.txt" | grep -Ev "$na_ok" | sed 's/^N\/A: //' | tr '\n' ' ')
		[[ $total =~ ^TOTAL:\ [1-9][0-9]*\ passed,\ 0\ failed ]] && ok=1
	fi
	if grep -q 'VMTEST-DONE' "$log.txt" && grep -q '^VMTEST-RC 0 ' "$log.txt" && [ -z "$na_bad" ] && [ "$ok" = 1 ]; then
		echo "ok   $name ($kern) $what: ${total#TOTAL: } in ${secs}s${skipped:+ [skipped: ${skipped% }]}$retried" > "$res"
	else
		echo "FAIL $name ($kern) $what: ${total:-no TOTAL line} (qemu rc=$rc) after ${secs}s${na_bad:+ [not applicable, must run here: ${na_bad% }]}" > "$res"
		{ echo "---- console of $name / $what ----"; grep -a -v '^    {' "$log.txt" | tail -n 150 | cut -c1-400; } > "$W/failed-$id"
	fi
}

# MATRIX entry [ARCH/]KERNEL:LAYOUT[:VARIANT] -> "ARCH KERNEL LAYOUT VARIANT ID" (VARIANT "-" for
# none; ID names the guest's files)
entry() {
	local a=x86 kl=$1 k l v
	case $kl in */*) a=${kl%%/*} kl=${kl#*/} ;; esac
	IFS=: read -r k l v <<<"$kl"
	echo "$a $k $l ${v:--} $a-$k-$l${v:+-$v}"
}

# kernels first (apt, one at a time), then VM_JOBS guests at once (default 3 on two cores: a
# guest's suite waits on its sleeps and polls about a third of the time, measured)
for kl in $MATRIX; do set -- $(entry "$kl"); fetch_kernel "$1" "$2" > /dev/null; done
# VM_PREPARE=1 (make vmtest-prep): the builds, userlands and kernels only, no guest (CI makes
# them while the host's tests run; make vmtest then finds them made)
if [ -n "${VM_PREPARE:-}" ]; then echo "vmtest: prepared $(echo $arches) userlands and the kernels of $MATRIX"; exit 0; fi
for kl in $MATRIX; do
	while [ "$(jobs -rp | wc -l)" -ge "${VM_JOBS:-3}" ]; do wait -n; done
	run_guest $(entry "$kl") &
done
wait

fail=0 pass=0
for kl in $MATRIX; do
	set -- $(entry "$kl")
	[ -f "$W/failed-$5" ] && cat "$W/failed-$5"
done
for kl in $MATRIX; do
	set -- $(entry "$kl")
	line=$(cat "$W/result-$5" 2>/dev/null || echo "FAIL $kl: no result")
	echo "$line"
	case $line in ok*) pass=$((pass + 1)) ;; *) fail=$((fail + 1)) ;; esac
done
echo "vmtest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
