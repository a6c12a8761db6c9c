#!/bin/bash
# make image: the image's file tree. userns-watch, the shared objects it loads and the dynamic
# loader, from Debian's packages of the image's architecture, and each package's copyright file.
# Nothing else: no shell, no package manager.
# (Not one static binary: libmicrohttpd's TLS dependencies, gnutls and p11-kit, ship no static
# library in Debian.)
# The libraries are found as the target's dynamic loader finds them, without running the binary
# (a cross-built one does not run here): the loader its ELF header names (PT_INTERP), then each
# DT_NEEDED name, of the binary and of every library found, in the architecture's multiarch
# folders, where Debian's packages put them (for arm64, the :arm64 packages the cross build
# links against).
# Beside DIR it writes DIR.files: each file put in the tree, a tab, and what it is from: the
# package that ships it (PKG:ARCH, found with dpkg -S), or "userns-watch" (the SBOM reads it,
# tools/dist/image/sbom.py).
# Usage: rootfs.sh BINARY DIR DEB_ARCH    (DEB_ARCH: amd64, arm64)
set -euo pipefail
bin=$1 root=$2 arch=$3
case "$arch" in
amd64) triplet=x86_64-linux-gnu ;;
arm64) triplet=aarch64-linux-gnu ;;
*) echo "rootfs.sh: no multiarch folder known for $arch" >&2; exit 1 ;;
esac
# the folders glibc's loader searches by default (Debian's multiarch ones first); /usr/local is
# left out on purpose: nothing but Debian's packages goes into the image
search=(/lib/$triplet /usr/lib/$triplet /lib /usr/lib)
files=$root.files
rm -rf "$root"
mkdir -p "$root/usr/sbin"
install -m 0755 "$bin" "$root/usr/sbin/userns-watch"
printf '/usr/sbin/userns-watch\tuserns-watch\n' > "$files"

machine() { readelf -h "$1" | sed -n 's/^ *Machine: *//p'; }
want=$(machine "$bin")

# owner PATH: the package of this architecture that ships PATH, as PKG:ARCH (dpkg knows a path
# as the package has it: /lib/… or /usr/lib/…, the symlink's name or the file's)
owner() {
	local p=$1 real cand line pkgs pkg a
	real=$(readlink -f "$p")
	for cand in "$p" "/usr${p#/usr}" "${p#/usr}" "$real" "/usr${real#/usr}" "${real#/usr}"; do
		line=$(dpkg -S "$cand" 2>/dev/null | head -n 1) || continue
		pkgs=${line%%: /*}
		IFS=', ' read -r -a pkgs <<<"$pkgs"
		for pkg in "${pkgs[@]}"; do
			if [ "${pkg%:*}" != "$pkg" ]; then
				a=${pkg##*:} pkg=${pkg%:*}
			else
				a=$(dpkg-query -W -f '${Architecture}' "$pkg" 2>/dev/null) || continue
			fi
			[ "$a" = "$arch" ] && { echo "$pkg:$arch"; return 0; }
		done
	done
	return 1
}

# add PATH: copies the file PATH names (as PATH) and its package's copyright file
add() {
	local path=$1 pkg name
	[ -e "$root$path" ] && return 0
	[ "$(machine "$path")" = "$want" ] || { echo "rootfs.sh: $path is not for $want" >&2; return 1; }
	pkg=$(owner "$path") || { echo "rootfs.sh: no Debian package of $arch ships $path" >&2; return 1; }
	mkdir -p "$root$(dirname "$path")"
	cp "$(readlink -f "$path")" "$root$path"
	printf '%s\t%s\n' "$path" "$pkg" >> "$files"
	name=${pkg%:*}
	if [ -f "/usr/share/doc/$name/copyright" ] && [ ! -e "$root/usr/share/doc/$name/copyright" ]; then
		mkdir -p "$root/usr/share/doc/$name"
		cp "/usr/share/doc/$name/copyright" "$root/usr/share/doc/$name/copyright"
		printf '%s\t%s\n' "/usr/share/doc/$name/copyright" "$pkg" >> "$files"
	fi
}

needed() { readelf -d "$1" | sed -n 's/.*(NEEDED) *Shared library: \[\(.*\)\]$/\1/p'; }

interp=$(readelf -l "$bin" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p')
[ -n "$interp" ] || { echo "rootfs.sh: $bin names no dynamic loader" >&2; exit 1; }
add "$interp"
# breadth first over DT_NEEDED: each name once; libc's need of the loader is the loader itself
queue=("$root/usr/sbin/userns-watch") seen=" ${interp##*/} "
while [ ${#queue[@]} -gt 0 ]; do
	f=${queue[0]} queue=("${queue[@]:1}")
	for lib in $(needed "$f"); do
		case "$seen" in *" $lib "*) continue ;; esac
		seen+="$lib "
		path=""
		for d in "${search[@]}"; do
			if [ -e "$d/$lib" ] && [ "$(machine "$d/$lib")" = "$want" ]; then path=$d/$lib; break; fi
		done
		[ -n "$path" ] || { echo "rootfs.sh: $lib ($want) not found in ${search[*]}" >&2; exit 1; }
		add "$path"
		queue+=("$root$path")
	done
done
[ "$seen" != " ${interp##*/} " ] || { echo "rootfs.sh: $bin needs no shared object: not the dynamic build expected" >&2; exit 1; }
