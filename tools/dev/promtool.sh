#!/usr/bin/env bash
# Prints the path of a promtool, Prometheus's rule checker, for the alert rules' tests
# (tests/integration/test_artifacts.sh). A promtool on PATH is used as it is; else the one of
# Debian's prometheus package, taken out of it once into .output/promtool by
# tools/dev/debian-tool.sh (apt-get download, dpkg-deb -x: nothing installed, no service
# started). Exit 1, with the reason on stderr, when it cannot be had.
#   tools/dev/promtool.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

if command -v promtool >/dev/null; then
	command -v promtool
	exit 0
fi
exec tools/dev/debian-tool.sh prometheus promtool
