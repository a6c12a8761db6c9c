#!/usr/bin/env bash
# Installs what userns-watch needs to build and test, from Debian's apt, if it is missing.
set -euo pipefail

PKGS=(make gcc clang llvm pkg-config bpftool libbpf-dev libelf-dev zlib1g-dev libcap-dev runc busybox-static
      libcmocka-dev libjson-c-dev jq util-linux python3-jsonschema docker.io)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ] && [ "${1:-}" != "--update" ]; then
	exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
