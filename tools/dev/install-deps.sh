#!/usr/bin/env bash
# Installs from Debian's apt what userns-watch needs, if it is missing.
#   tools/dev/install-deps.sh          to build and run it
#   tools/dev/install-deps.sh --test   also to run the tests (real runtimes, qemu, validators)
set -euo pipefail

PKGS=(make gcc clang llvm pkg-config bpftool libbpf-dev libelf-dev zlib1g-dev libcap-dev
      libjansson-dev libseccomp-dev libyaml-dev libmicrohttpd-dev)
# (Debian's Docker engine package is named after Docker's registry host: it is the package's
# name only; no test pulls from a registry)
TEST_PKGS=(libcmocka-dev jq util-linux python3-jsonschema python3-yaml runc busybox-static docker.io containerd
           podman lxc debootstrap cpio groff-base man-db systemd logrotate rsyslog rsyslog-relp strace
           qemu-system-x86 python3-prometheus-client
           # the SBOM test's lists of SPDX's licence and exception identifiers
           node-spdx-license-ids node-spdx-exceptions
           # make vmtest's arm64 guests, and arm64 programs run through binfmt_misc for their
           # userland (debootstrap's second stage)
           qemu-system-arm qemu-user-static binfmt-support)
# the arm64 cross build (make ARCH=arm64): Debian's cross compiler, the arm64 libraries through
# multiarch, qemu-user to run its unit tests, and lld to link the AArch32 test helper
CROSS_PKGS=(gcc-aarch64-linux-gnu qemu-user lld libc6-dev:arm64 libbpf-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64
            libjansson-dev:arm64 libseccomp-dev:arm64 libyaml-dev:arm64 libcap-dev:arm64
            libmicrohttpd-dev:arm64 libcmocka-dev:arm64)
[ "${1:-}" = "--test" ] && PKGS+=("${TEST_PKGS[@]}" "${CROSS_PKGS[@]}")

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# the ECS conformance test's compiler runs on Node.js: Debian's, unless a node and npm are
# already there (another packaging of Node.js would conflict with Debian's npm)
if [ "${1:-}" = "--test" ] && ! { command -v node && command -v npm; } >/dev/null; then
	missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	if printf '%s\n' "${missing[@]}" | grep -q ':arm64$' && ! dpkg --print-foreign-architectures | grep -qx arm64; then
		echo "adding the arm64 architecture to dpkg (multiarch: arm64 libraries beside this machine's)"
		$SUDO dpkg --add-architecture arm64
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	echo "installing: ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# the alert rules' test's promtool, and the kustomize tests' kubectl (Debian's, whatever kubectl
# is on PATH): taken out of Debian's prometheus and kubernetes-client packages into .output
# (nothing installed, no service started: an installed kubernetes-client would conflict with
# another packaging's /usr/bin/kubectl); where that fails the tests fetch them themselves, or skip
if [ "${1:-}" = "--test" ]; then
	bash "$(dirname "$0")/promtool.sh" > /dev/null || echo "promtool: not fetched now (test_prometheus_rules tries again)"
	bash "$(dirname "$0")/debian-tool.sh" kubernetes-client kubectl > /dev/null ||
		echo "kubectl: not fetched now (test_kustomize_base and test_kubernetes_schemas try again)"
fi
