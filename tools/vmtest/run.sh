#!/usr/bin/env bash
# make vmtest: the integration suites under Debian's kernels, booted with qemu (software
# emulation). The guest's userland is Debian 12 (debootstrap from this machine's own apt
# sources, cached in .output/vmtest/), unpacked from the initramfs, with this build's
# userns-watch, test helpers and tests/ in /uw; its /init (tools/vmtest/guest-init.sh) runs
# tests/run.sh on the suites in VM_FILES and prints the runner's own output on the serial
# console, ending with its "TOTAL: N passed, N failed, N skipped" line.
# VM_MATRIX lists kernel:cgroup-layout pairs (kernels 5.10 from Debian 11, 6.1 from Debian 12,
# 6.12 from bookworm-backports, each fetched through a private apt configuration; layouts v2 =
# pure cgroup v2, v1 = v1 only). A guest whose suite fails, or that does not finish in
# VM_TIMEOUT seconds, fails the run and its console log is printed. VM_TESTS=REGEX (no spaces)
# runs only the tests whose names match, for a quick look at one kernel. The tests assert the hook
# types the guest's kernel accepts (tests/helpers/uw-probe.c).
set -u
cd "$(dirname "$0")/../.."
W=.output/vmtest
MATRIX=${VM_MATRIX:-"5.10:v2 6.1:v2 6.12:v2 5.10:v1"}
FILES=${VM_FILES:-"tests/integration/test_live.sh tests/integration/test_transitions.sh tests/integration/test_adversary.sh tests/integration/test_hardening.sh"}
# make install needs the build tree, not the kernel: the host runs it
EXCLUDE=${VM_EXCLUDE:-"^test_make_install$"}
TIMEOUT=${VM_TIMEOUT:-1080}
mkdir -p "$W/debs" "$W/kernels"

command -v qemu-system-x86_64 >/dev/null && command -v debootstrap >/dev/null && command -v cpio >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-system-x86 debootstrap cpio >/dev/null ||
	{ echo "vmtest: cannot install qemu-system-x86, debootstrap and cpio"; exit 2; }

# newc archive of the current directory on stdout; nothing of this machine's own binaries goes
# into the guest but the build's (the guest's userland is its own Debian)
pack() { find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet | gzip -1; }

# Debian's archive as this machine's own apt configuration names it (deb822 .sources files, or
# sources.list): the repository names no registry host
debian_uri() {
	local u
	u=$(awk 'tolower($1) == "uris:" {u=$2} tolower($1) == "suites:" && u != "" {
			for (i = 2; i <= NF; i++) if ($i == "bookworm") {print u; exit}
		} /^$/ {u=""}' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
	[ -n "$u" ] || u=$(awk '$1 == "deb" && $0 ~ / bookworm / {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' \
			/etc/apt/sources.list 2>/dev/null | head -n 1)
	echo "$u"
}

# a private apt configuration for one more suite (the machine's own sources stay as they are)
apt_opts() { # DIR
	echo -o Dir::Etc::SourceList="$1/sources.list" -o Dir::Etc::SourceParts=- \
		-o Dir::State::Lists="$1/lists" -o Dir::Cache="$1/cache" -o Debug::NoLocking=1
}

fetch_kernel() { # VERSION -> path of vmlinuz
	local v=$1 pkg="" deb dir uri suite a
	dir=$W/kernels/$v
	if ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1; then ls "$dir"/boot/vmlinuz-* | head -n 1; return 0; fi
	case $v in
	6.1) suite="" ;;
	5.10) suite=bullseye ;;
	*) suite=bookworm-backports ;;
	esac
	if [ -z "$suite" ]; then
		pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' | awk '{print $1}' | sort -V | tail -n 1)
		(cd "$W/debs" && apt-get download "$pkg" >/dev/null 2>&1)
	else
		a=$PWD/$W/apt-$suite
		mkdir -p "$a/lists/partial" "$a/cache/archives/partial"
		uri=$(debian_uri)
		[ -n "$uri" ] || { echo "vmtest: no Debian bookworm source in this machine's apt configuration" >&2; return 1; }
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" > "$a/sources.list"
		# shellcheck disable=SC2046
		apt-get $(apt_opts "$a") update -qq >/dev/null 2>&1
		# shellcheck disable=SC2046
		pkg=$(apt-cache $(apt_opts "$a") pkgnames "linux-image-$v." | grep -E "^linux-image-${v//./\\.}\.[0-9]+.*-cloud-amd64$" | sort -V | tail -n 1)
		# shellcheck disable=SC2046
		[ -n "$pkg" ] && (cd "$W/debs" && apt-get $(apt_opts "$a") download "$pkg" >/dev/null 2>&1)
	fi
	deb=$(ls "$W"/debs/"$pkg"_*.deb 2>/dev/null | head -n 1)
	[ -n "$pkg" ] && [ -f "$deb" ] || { echo "vmtest: cannot download a $v cloud kernel" >&2; return 1; }
	mkdir -p "$dir" && dpkg-deb -x "$deb" "$dir"
	ls "$dir"/boot/vmlinuz-* | head -n 1
}

# The guest's Debian userland: what the integration tests and the binary use. Made once with
# debootstrap from this machine's apt sources and kept, packed, in $W (the name says its list).
GUEST_PKGS="busybox-static,jq,python3-jsonschema,util-linux,procps,bpftool,libbpf1,libelf1,zlib1g,libjansson4,libcap2,libseccomp2,libyaml-0-2,libmicrohttpd12"
build_rootfs() {
	local key out tmp uri
	key=$(echo "bookworm $GUEST_PKGS" | sha256sum | cut -c1-12)
	out=$W/rootfs-$key.cpio.gz
	if [ -s "$out" ]; then echo "$out"; return 0; fi
	uri=$(debian_uri)
	[ -n "$uri" ] || { echo "vmtest: no Debian bookworm source in this machine's apt configuration" >&2; return 1; }
	tmp=$W/rootfs-build
	rm -rf "$tmp"
	debootstrap --variant=minbase --include="$GUEST_PKGS" bookworm "$tmp" "$uri" > "$W/debootstrap.log" 2>&1 ||
		{ echo "vmtest: debootstrap failed: $(tail -n 3 "$W/debootstrap.log")" >&2; return 1; }
	rm -rf "$tmp"/usr/share/doc "$tmp"/usr/share/man "$tmp"/usr/share/info "$tmp"/usr/share/locale \
		"$tmp"/var/cache/apt/* "$tmp"/var/lib/apt/lists/*
	(cd "$tmp" && pack) > "$out.tmp" && mv "$out.tmp" "$out" ||
		{ echo "vmtest: cannot pack the guest's userland" >&2; return 1; }
	rm -rf "$tmp"
	# userlands made for an older package list are not used again
	find "$W" -maxdepth 1 -name 'rootfs-*.cpio.gz' ! -name "${out##*/}" -delete
	echo "$out"
}

# what the guest runs, in /uw (a second archive appended to the userland's: the kernel unpacks
# both)
build_suite() {
	local r=$W/suite
	rm -rf "$r"
	mkdir -p "$r/uw/.output/tests" "$r/uw/include" "$r/uw/tests"
	cp "${UW_BIN:-userns-watch}" "$r/uw/userns-watch"
	cp include/userns-watch.schema.json "$r/uw/include/"
	cp -r tests/run.sh tests/integration "$r/uw/tests/"
	cp .output/tests/uw-nstest .output/tests/uw-probe .output/tests/uw-ia32 "$r/uw/.output/tests/"
	cp tools/vmtest/guest-init.sh "$r/init"
	chmod +x "$r/init"
	(cd "$r" && pack) > "$W/suite.cpio.gz" || { echo "vmtest: cannot pack the suite" >&2; return 1; }
}

rootfs=$(build_rootfs) || exit 2
build_suite || exit 2
cat "$rootfs" "$W/suite.cpio.gz" > "$W/initrd.gz"
files_arg=$(echo $FILES | tr ' ' ',')

# run_guest KERNEL LAYOUT: boots one guest, writes its summary line to $W/result-KERNEL-LAYOUT
# ("ok ..." or "FAIL ...") and, when it failed, the end of its console to $W/failed-KERNEL-LAYOUT
run_guest() {
	local k=$1 l=$2 vmlinuz log t0 retried="" attempt rc=0 secs kern total skipped why res=$W/result-$1-$2
	rm -f "$res" "$W/failed-$k-$l"
	vmlinuz=$(fetch_kernel "$k") || { echo "FAIL $k: kernel not available" > "$res"; return; }
	log=$W/console-$k-$l.log
	t0=$(date +%s)
	for attempt in 1 2; do
		# one host thread per guest (two guests run at once on two cores): multi-threaded TCG
		# let a vCPU run code another had just patched (an int3 Oops in the kernel's own
		# text patching, seen once on 6.12)
		timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=single -cpu qemu64,-cx16 -smp 2 -m 2048 \
			-nographic -no-reboot -kernel "$vmlinuz" -initrd "$W/initrd.gz" \
			-append "console=ttyS0 panic=-1 quiet uw.cgroup=$l uw.files=$files_arg uw.exclude=$EXCLUDE${VM_TESTS:+ uw.tests=$VM_TESTS}" \
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
	skipped=$(grep -a '^SKIP - ' "$log.txt" | sed 's/^SKIP - //' | tr '\n' ' ')
	if grep -q 'VMTEST-DONE' "$log.txt" && grep -q '^VMTEST-RC 0 ' "$log.txt" &&
	   [[ $total =~ ^TOTAL:\ [1-9][0-9]*\ passed,\ 0\ failed ]]; then
		echo "ok   $k ($kern) cgroup $l: ${total#TOTAL: } in ${secs}s${skipped:+ [skipped: ${skipped% }]}$retried" > "$res"
	else
		echo "FAIL $k ($kern) cgroup $l: ${total:-no TOTAL line} (qemu rc=$rc) after ${secs}s" > "$res"
		{ echo "---- console of $k / $l ----"; grep -a -v '^    {' "$log.txt" | tail -n 150 | cut -c1-400; } > "$W/failed-$k-$l"
	fi
}

# kernels first (apt, one at a time), then VM_JOBS guests at once (default 2: a guest's suite
# waits as much as it computes)
for kl in $MATRIX; do fetch_kernel "${kl%%:*}" > /dev/null; done
for kl in $MATRIX; do
	while [ "$(jobs -rp | wc -l)" -ge "${VM_JOBS:-2}" ]; do wait -n; done
	run_guest "${kl%%:*}" "${kl#*:}" &
done
wait

fail=0 pass=0
for kl in $MATRIX; do
	k=${kl%%:*} l=${kl#*:}
	[ -f "$W/failed-$k-$l" ] && cat "$W/failed-$k-$l"
done
for kl in $MATRIX; do
	k=${kl%%:*} l=${kl#*:}
	line=$(cat "$W/result-$k-$l" 2>/dev/null || echo "FAIL $k cgroup $l: no result")
	echo "$line"
	case $line in ok*) pass=$((pass + 1)) ;; *) fail=$((fail + 1)) ;; esac
done
echo "vmtest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
