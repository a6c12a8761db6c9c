#!/bin/bash
# make image: the image's file tree. userns-watch, the shared objects it loads (as this
# machine's dynamic loader resolves them, from Debian's packages) with the loader itself, and
# each package's copyright file. Nothing else: no shell, no package manager.
# (Not one static binary: libmicrohttpd's TLS dependencies, gnutls and p11-kit, ship no static
# library in Debian.)
# Usage: rootfs.sh BINARY DIR
set -euo pipefail
bin=$1 root=$2
rm -rf "$root"
mkdir -p "$root/usr/sbin"
install -m 0755 "$bin" "$root/usr/sbin/userns-watch"

copy_lib() {
	local path=$1 real pkg
	[ -e "$root$path" ] && return 0
	real=$(readlink -f "$path")
	mkdir -p "$root$(dirname "$path")"
	cp "$real" "$root$path"
	# the package that ships it (dpkg knows the path as the package has it)
	pkg=$(dpkg -S "$path" 2>/dev/null || dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null) ||
		{ echo "rootfs.sh: no Debian package ships $path" >&2; return 1; }
	pkg=${pkg%%:*}
	pkg=${pkg%%,*}
	if [ -f "/usr/share/doc/$pkg/copyright" ] && [ ! -e "$root/usr/share/doc/$pkg/copyright" ]; then
		mkdir -p "$root/usr/share/doc/$pkg"
		cp "/usr/share/doc/$pkg/copyright" "$root/usr/share/doc/$pkg/copyright"
	fi
}

n=0
while read -r first arrow path _; do
	case "$first" in
	linux-vdso.so.*|linux-gate.so.*) continue ;;
	esac
	if [ "$arrow" = "=>" ]; then
		[ "$path" != "not" ] && [ -e "$path" ] || { echo "rootfs.sh: $first not found" >&2; exit 1; }
		copy_lib "$path"
	elif [ "${first#/}" != "$first" ]; then
		copy_lib "$first" # the dynamic loader
	else
		echo "rootfs.sh: cannot read ldd's line: $first $arrow $path" >&2
		exit 1
	fi
	n=$((n + 1))
done < <(ldd "$bin")
[ "$n" -gt 0 ] || { echo "rootfs.sh: ldd listed nothing for $bin" >&2; exit 1; }
