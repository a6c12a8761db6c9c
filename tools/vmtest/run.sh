#!/usr/bin/env bash
# make vmtest: the same scenarios under other kernels, booted with qemu (software emulation).
# For each kernel (Debian 6.1 from bookworm, 6.12 from bookworm-backports through a private apt
# configuration) and each cgroup layout (pure v2, v1-only), boots a busybox initramfs holding
# a static userns-watch and tools/vmtest/scenarios.sh, and reads VMTEST lines from the serial
# console. A guest that fails, or does not finish in VM_TIMEOUT seconds, fails the run and its
# console log is printed. VM_KERNELS / VM_LAYOUTS choose the matrix. The setns/unshare hooks
# must be VM_EXPECT_TRANSITIONS (default fentry: these kernels take fentry/fexit programs).
set -u
cd "$(dirname "$0")/../.."
W=.output/vmtest
KERNELS=${VM_KERNELS:-"6.1 6.12"}
LAYOUTS=${VM_LAYOUTS:-"v2 v1"}
TIMEOUT=${VM_TIMEOUT:-240}
mkdir -p "$W/debs" "$W/kernels"

command -v qemu-system-x86_64 >/dev/null && [ -x /bin/busybox ] ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-system-x86 busybox-static >/dev/null ||
	{ echo "vmtest: cannot install qemu-system-x86 and busybox-static"; exit 2; }

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

# a private apt configuration for bookworm-backports (the machine's own sources stay as they are)
BP=$PWD/$W/apt-backports
bp_opts() {
	echo -o Dir::Etc::SourceList="$BP/sources.list" -o Dir::Etc::SourceParts=- \
		-o Dir::State::Lists="$BP/lists" -o Dir::Cache="$BP/cache" -o Debug::NoLocking=1
}

fetch_kernel() { # VERSION -> path of vmlinuz
	local v=$1 pkg deb dir uri
	dir=$W/kernels/$v
	if ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1; then ls "$dir"/boot/vmlinuz-* | head -n 1; return 0; fi
	if [ "$v" = 6.1 ]; then
		pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' | awk '{print $1}' | sort -V | tail -n 1)
		(cd "$W/debs" && apt-get download "$pkg" >/dev/null 2>&1)
	else
		mkdir -p "$BP/lists/partial" "$BP/cache/archives/partial"
		uri=$(debian_uri)
		[ -n "$uri" ] || { echo "vmtest: no Debian bookworm source in this machine's apt configuration" >&2; return 1; }
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri bookworm-backports main" \
			> "$BP/sources.list"
		# shellcheck disable=SC2046
		apt-get $(bp_opts) update -qq >/dev/null 2>&1
		# shellcheck disable=SC2046
		pkg=$(apt-cache $(bp_opts) pkgnames "linux-image-$v." | grep -E "^linux-image-${v//./\\.}\.[0-9]+.*-cloud-amd64$" | sort -V | tail -n 1)
		# shellcheck disable=SC2046
		[ -n "$pkg" ] && (cd "$W/debs" && apt-get $(bp_opts) download "$pkg" >/dev/null 2>&1)
	fi
	deb=$(ls "$W"/debs/"$pkg"_*.deb 2>/dev/null | head -n 1)
	[ -n "$pkg" ] && [ -f "$deb" ] || { echo "vmtest: cannot download a $v cloud kernel" >&2; return 1; }
	mkdir -p "$dir" && dpkg-deb -x "$deb" "$dir"
	ls "$dir"/boot/vmlinuz-* | head -n 1
}

build_initrd() {
	local r=$W/root
	rm -rf "$r"
	mkdir -p "$r/bin" "$r/sbin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/etc"
	cp /bin/busybox "$r/bin/busybox"
	for a in $(/bin/busybox --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
	cp "$W/userns-watch" "$r/bin/userns-watch"
	cp "$W/uw-ia32" "$r/bin/uw-ia32"
	cp tools/vmtest/scenarios.sh "$r/bin/scenarios.sh"
	cp tools/vmtest/guest-init.sh "$r/init"
	chmod +x "$r/init" "$r/bin/scenarios.sh"
	echo "root:x:0:0:root:/:/bin/sh" > "$r/etc/passwd"
	(cd "$r" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$W/initrd.gz"
}

[ -x "$W/userns-watch" ] && [ -x "$W/uw-ia32" ] || { echo "vmtest: $W/userns-watch or $W/uw-ia32 missing (make vmtest builds them)"; exit 2; }
build_initrd

fail=0 pass=0
SUMMARY=""
for k in $KERNELS; do
	vmlinuz=$(fetch_kernel "$k") || { SUMMARY+="$k: kernel not available"$'\n'; fail=$((fail + 1)); continue; }
	for l in $LAYOUTS; do
		log=$W/console-$k-$l.log
		t0=$(date +%s)
		retried=""
		for attempt in 1 2; do
			timeout "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=multi -cpu qemu64,-cx16 -smp 2 -m 1024 \
				-nographic -no-reboot -kernel "$vmlinuz" -initrd "$W/initrd.gz" \
				-append "console=ttyS0 panic=-1 quiet uw.cgroup=$l" < /dev/null > "$log" 2>&1
			rc=$?
			tr -d '\r' < "$log" > "$log.txt"
			# a guest that panicked before its init ran (software emulation crashes at random
			# in early boot) is booted once more; one that ran the scenarios is never retried
			grep -q 'VMTEST-KERNEL' "$log.txt" && break
			[ "$attempt" = 1 ] && { retried=" (booted twice: the first boot died before init)"; cp "$log.txt" "$log.first.txt"; }
		done
		secs=$(( $(date +%s) - t0 ))
		np=$(grep -c '^VMTEST [a-z0-9_]* PASS' "$log.txt")
		nf=$(grep -c '^VMTEST [a-z0-9_]* FAIL' "$log.txt")
		hooks=$(sed -n 's/^VMTEST-HOOKS //p' "$log.txt" | head -n 1)
		kern=$(sed -n 's/.*VMTEST-KERNEL \([^ ]*\).*/\1/p' "$log.txt")
		# these kernels take fentry/fexit: the stats record must say the setns/unshare hooks are
		# those, the 32-bit table's included
		want="\"transition_hooks\":\"${VM_EXPECT_TRANSITIONS:-fentry}\",\"compat_transition_hooks\":\"${VM_EXPECT_TRANSITIONS:-fentry}\""
		# and the watch ran with least privilege there too
		sandbox='"no_new_privs":true,"seccomp":true'
		if grep -q 'VMTEST-DONE' "$log.txt" && [ "$nf" -eq 0 ] && [ "$np" -gt 0 ] &&
		   grep '^VMTEST-STATS' "$log.txt" | grep -qF "$want" &&
		   grep '^VMTEST-STATS' "$log.txt" | grep -qF "$sandbox"; then
			pass=$((pass + 1))
			SUMMARY+="ok   $k ($kern) cgroup $l: $np scenarios passed in ${secs}s [$hooks]$retried"$'\n'
		else
			fail=$((fail + 1))
			SUMMARY+="FAIL $k ($kern) cgroup $l: $np passed, $nf failed, rc=$rc after ${secs}s [$hooks; want $want and $sandbox]"$'\n'
			echo "---- console of $k / $l ----"
			tail -n 80 "$log.txt"
		fi
	done
done
printf '%s' "$SUMMARY"
echo "vmtest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
