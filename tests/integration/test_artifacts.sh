# shellcheck shell=bash
# Deployment artifacts: the man page (lint-clean, every option of --help documented, installed by
# make install) and the systemd unit (systemd-analyze verify without a warning, its hardening
# rated by systemd-analyze security). Host only: no BPF is loaded.

needs_root_bpf() {
	command -v groff >/dev/null || { SKIP_REASON="no groff (groff-base)"; return 1; }
	command -v systemd-analyze >/dev/null || { SKIP_REASON="no systemd-analyze (systemd)"; return 1; }
}

MAN=tools/man/userns-watch.8
UNIT=tools/systemd/userns-watch.service

test_man_page_lint_clean() {
	local out opt missing=""
	out=$(groff -ww -man -z "$MAN" 2>&1)
	assert_eq "" "$out" "groff -ww warnings" || return 1
	out=$(MANWIDTH=80 man -l "$MAN" 2>&1 >/dev/null)
	assert_eq "" "$out" "man -l warnings" || return 1
	LC_ALL=C MANWIDTH=200 man -l "$MAN" 2>/dev/null | tr -s ' ' | grep -q "userns-watch - report container processes that run in the host's user namespace" ||
		{ fail "man -l does not render the NAME line"; return 1; }
	# every long option the binary takes is documented
	for opt in $("$UW_BIN" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
		grep -qF -- "${opt//-/\\-}" "$MAN" || missing+=" $opt"
	done
	assert_eq "" "$missing" "options of --help missing from the man page" &&
	assert_eq "$("$UW_BIN" --version | awk '{print $2}')" "$(sed -n 's/^\.TH [^"]*"userns-watch \([^"]*\)".*/\1/p' "$MAN")" "the man page's version"
}

test_systemd_unit_verifies() {
	local out level
	mkdir -p "$T/man/man8" && cp "$MAN" "$T/man/man8/"
	# verify wants ExecStart's program to exist: the built one stands in for the installed one
	sed "s|^ExecStart=/usr/local/sbin/userns-watch|ExecStart=$(readlink -f "$UW_BIN")|" "$UNIT" > "$T/userns-watch.service"
	grep -q "^ExecStart=$(readlink -f "$UW_BIN") -o json$" "$T/userns-watch.service" || { fail "ExecStart not as expected"; return 1; }
	out=$(cd "$T" && MANPATH="$T/man" systemd-analyze verify "$T/userns-watch.service" 2>&1)
	assert_eq "" "$out" "systemd-analyze verify output" || return 1
	# a unit with an unknown key is caught the same way (the check can fail)
	printf '[Service]\nNoSuchKey=1\nExecStart=/bin/true\n' > "$T/bad.service"
	out=$(cd "$T" && systemd-analyze verify --man=no "$T/bad.service" 2>&1)
	[ -n "$out" ] || { fail "systemd-analyze verify said nothing of an unknown key"; return 1; }
	# the hardening the unit asks for, as systemd rates it
	level=$(cd "$T" && systemd-analyze security --offline=yes "$T/userns-watch.service" 2>/dev/null |
		sed -n 's/.*Overall exposure level for userns-watch.service: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p')
	[[ $level =~ ^[0-4]\.[0-9]\ (OK|SAFE)$ ]] || { fail "exposure level '$level' (want below 5.0, OK or SAFE)"; return 1; }
	for key in NoNewPrivileges=yes ProtectSystem=strict RestrictAddressFamilies=AF_UNIX "CapabilityBoundingSet=CAP_BPF "; do
		grep -q "^$key" "$UNIT" || { fail "$key missing"; return 1; }
	done
}
