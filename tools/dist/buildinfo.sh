#!/bin/bash
# What names a build, from the source tree it is made from (the Makefile asks; --version, the
# image's labels and its SBOM say it):
#   buildinfo.sh revision   the commit checked out, 40 hex digits, with "-dirty" when a tracked
#                           file differs from it; "unknown" when the tree is not a git checkout
#                           of its own (a release tarball, even one unpacked inside another
#                           repository)
#   buildinfo.sh source     the URL of the repository the tree came from: its remote "origin"
#                           (else its first remote), without any user or password written in
#                           it (host:path written as ssh://host/path); nothing when it has no
#                           remote, or one that is a folder of this machine (a local clone)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd -P)

# a checkout of this tree itself, not of a folder above it
own_checkout() {
	local t
	t=$(git -C "$top" rev-parse --show-toplevel 2>/dev/null) && [ "$(cd "$t" && pwd -P)" = "$top" ]
}

case "${1:-}" in
revision)
	if command -v git >/dev/null && own_checkout; then
		# --exclude='*': never a tag's name, always the commit
		git -C "$top" describe --always --dirty --abbrev=40 --exclude='*'
	else
		echo unknown
	fi
	;;
source)
	command -v git >/dev/null && own_checkout || exit 0
	url=$(git -C "$top" remote get-url origin 2>/dev/null ||
		{ r=$(git -C "$top" remote | head -n 1) && [ -n "$r" ] && git -C "$top" remote get-url "$r"; }) || exit 0
	case "$url" in
	file://*) exit 0 ;; # a folder of this machine: no URL for anyone else
	*://*) ;;
	*:*) # [user@]host:path (git's scp-like form; a slash before the colon makes it a path)
		case "${url%%:*}" in */*) exit 0 ;; esac
		url="ssh://${url%%:*}/${url#*:}" ;;
	*) exit 0 ;; # a path
	esac
	# scheme://user:password@host/… → scheme://host/…
	printf '%s\n' "$url" | sed -E 's|^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@|\1|'
	;;
*)
	echo "usage: buildinfo.sh revision|source" >&2
	exit 2
	;;
esac
