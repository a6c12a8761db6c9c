#!/usr/bin/env bash
# Prints the path of a promtool, Prometheus's rule checker, for the alert rules' tests
# (tests/integration/test_artifacts.sh). A promtool on PATH is used as it is; else Debian's
# prometheus package is fetched once with `apt-get download` (from the sources this machine's
# apt is configured with) into .output/promtool and only promtool is taken out of it with
# `dpkg-deb -x`: nothing is installed, no service is started, nothing is written outside
# .output. Exit 1, with the reason on stderr, when it cannot be had (no apt lists: run
# apt-get update; no network).
#   tools/dev/promtool.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

if command -v promtool >/dev/null; then
	command -v promtool
	exit 0
fi
DIR=$PWD/.output/promtool
BIN=$DIR/root/usr/bin/promtool
if [ ! -x "$BIN" ]; then
	rm -rf "$DIR" && mkdir -p "$DIR/deb"
	# apt-get download as root hands the download to the _apt user, who must be able to write
	# the folder
	if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$DIR/deb"; fi
	if ! (cd "$DIR/deb" && timeout 600 apt-get download -q prometheus) > "$DIR/apt.log" 2>&1; then
		echo "promtool.sh: apt-get download prometheus failed (run apt-get update first; the package comes from this machine's apt sources): $(tail -n 3 "$DIR/apt.log" | tr '\n' ' ')" >&2
		exit 1
	fi
	deb=$(ls "$DIR"/deb/prometheus_*.deb)
	dpkg-deb -x "$deb" "$DIR/unpacked"
	[ -x "$DIR/unpacked/usr/bin/promtool" ] || { echo "promtool.sh: no usr/bin/promtool in $deb" >&2; exit 1; }
	mkdir -p "$DIR/root/usr/bin"
	mv "$DIR/unpacked/usr/bin/promtool" "$BIN"
	dpkg-deb -f "$deb" Version > "$DIR/VERSION"
	rm -rf "$DIR/unpacked" "$DIR/deb"
fi
echo "$BIN"
