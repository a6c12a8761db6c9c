#!/usr/bin/env bash
# Prints the path of /usr/bin/PROGRAM taken out of the Debian package PACKAGE, for the tests
# that need a checker which no test package installs (tests/integration/test_artifacts.sh:
# kubectl from kubernetes-client, promtool from prometheus). The package is fetched once with
# `apt-get download` (from the sources this machine's apt is configured with) and only PROGRAM
# is taken out of it with `dpkg-deb -x`, into .output/PROGRAM/root/usr/bin/PROGRAM, its
# package version in .output/PROGRAM/VERSION: nothing is installed, no service is started,
# nothing is written outside .output, and whatever PROGRAM is on PATH is never looked at.
# When apt knows no such package (no lists yet, or lists so old that the file is gone) and
# this runs as root, `apt-get update` is run once and the download tried again. Exit 1, with
# the reason on stderr, when it cannot be had (not root and no lists; no network).
#   tools/dev/debian-tool.sh PACKAGE PROGRAM
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 PACKAGE PROGRAM" >&2; exit 2; }
PKG=$1 PROG=$2
cd "$(dirname "$0")/../.."

DIR=$PWD/.output/$PROG
BIN=$DIR/root/usr/bin/$PROG
mkdir -p .output
# one fetch at a time (install-deps and a test run may both ask)
exec 9> ".output/$PROG.lock"
flock 9
if [ -x "$BIN" ]; then
	echo "$BIN"
	exit 0
fi

# download: apt-get download PKG into $DIR/deb, its output in $DIR/apt.log
download() {
	rm -rf "$DIR/deb" && mkdir -p "$DIR/deb"
	# apt-get download as root hands the download to the _apt user, who must be able to write
	# the folder
	if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$DIR/deb"; fi
	(cd "$DIR/deb" && timeout 600 apt-get download -q "$PKG") > "$DIR/apt.log" 2>&1
}

rm -rf "$DIR" && mkdir -p "$DIR"
if ! download; then
	# no lists, or lists naming a file the mirror no longer has: apt-get update, once
	if grep -qE "Unable to locate package|Can't select (candidate|versions)|404 +Not Found|has no installation candidate" "$DIR/apt.log" &&
		[ "$(id -u)" -eq 0 ]; then
		echo "debian-tool.sh: apt has no $PKG to download; running apt-get update" >&2
		if ! timeout 600 apt-get update -qq > "$DIR/update.log" 2>&1; then
			echo "debian-tool.sh: apt-get update failed: $(tail -n 3 "$DIR/update.log" | tr '\n' ' ')" >&2
			exit 1
		fi
		# (apt-get update exits 0 when a source cannot be reached: its warnings say why)
		download || {
			echo "debian-tool.sh: apt-get download $PKG failed after apt-get update: $(tail -n 3 "$DIR/apt.log" | tr '\n' ' ')$(head -n 3 "$DIR/update.log" | tr '\n' ' ')" >&2
			exit 1
		}
	else
		echo "debian-tool.sh: apt-get download $PKG failed (the package comes from this machine's apt sources; as root, apt-get update first): $(tail -n 3 "$DIR/apt.log" | tr '\n' ' ')" >&2
		exit 1
	fi
fi
deb=$(ls "$DIR"/deb/"$PKG"_*.deb)
dpkg-deb -x "$deb" "$DIR/unpacked"
[ -x "$DIR/unpacked/usr/bin/$PROG" ] || { echo "debian-tool.sh: no usr/bin/$PROG in $deb" >&2; exit 1; }
dpkg-deb -f "$deb" Version > "$DIR/VERSION"
mkdir -p "$DIR/root/usr/bin"
# last: an executable BIN is a complete fetch
mv "$DIR/unpacked/usr/bin/$PROG" "$BIN"
rm -rf "$DIR/unpacked" "$DIR/deb"
echo "$BIN"
