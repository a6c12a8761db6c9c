# shellcheck shell=bash
# Deployment artifacts: the man page (lint-clean, every option of --help documented, installed by
# make install) and the systemd unit (systemd-analyze verify without a warning, its hardening
# rated by systemd-analyze security). Host only: no BPF is loaded.

needs() { requires cmd:groff=groff-base cmd:systemd-analyze=systemd; }

MAN=tools/dist/man/userns-watch.8
UNIT=tools/dist/systemd/userns-watch.service

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
	assert_eq "$("$UW_BIN" --version | awk 'NR == 1 {print $2}')" "$(sed -n 's/^\.TH [^"]*"userns-watch \([^"]*\)".*/\1/p' "$MAN")" "the man page's version"
}

# --version names the build: the version, the revision git says the tree is at, the
# architecture, the libbpf it runs with (the shared object its loader picks) and was built with,
# and the SHA-256 of the BPF object of its build (make test built both from this tree)
test_version_names_the_build() {
	local libbpf
	libbpf=$(ldd "$UW_REAL_BIN" | awk '$1 ~ /^libbpf\.so/ {print $3}')
	[ -n "$libbpf" ] || { fail "ldd names no libbpf for $UW_REAL_BIN"; return 1; }
	assert_eq "$(want_version "$(uname -m)" .output/userns_watch.bpf.o "$libbpf")" "$("$UW_BIN" --version)" "--version"
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

# The DaemonSet manifest says what docs/deployment.md and the end-to-end tests rely on: host pid
# namespace and host users written out, every node tolerated, read-only host mounts, the
# capabilities and only those, resources, a readiness probe on the port the watch is told to
# listen on, the node's name from the Downward API, and a policy the watch accepts.
test_daemonset_manifest() {
	local out
	out=$(/usr/bin/python3 - "$MANIFEST" "$(sed -n 's/^#define UW_VERSION "\(.*\)"/\1/p' user/version.h)" <<'PY' 2>&1
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = [d["kind"] for d in docs]
assert kinds == ["Namespace", "ConfigMap", "DaemonSet"], kinds
ns = docs[0]["metadata"]["name"]
cm, ds = docs[1], docs[2]
assert cm["metadata"]["namespace"] == ns and ds["metadata"]["namespace"] == ns
assert ds["apiVersion"] == "apps/v1"
sel = ds["spec"]["selector"]["matchLabels"]
tpl = ds["spec"]["template"]
assert all(tpl["metadata"]["labels"].get(k) == v for k, v in sel.items()), "selector"
pod = tpl["spec"]
assert pod["hostPID"] is True and pod["hostUsers"] is True, "hostPID, hostUsers"
assert "hostNetwork" not in pod and "hostIPC" not in pod, "no host network or IPC"
assert pod["tolerations"] == [{"operator": "Exists"}], "tolerations: every taint"
assert pod["automountServiceAccountToken"] is False, "no API token"
(c,) = pod["containers"]
assert c["image"] == "userns-watch:" + sys.argv[2], c["image"]
sc = c["securityContext"]
assert sc["privileged"] is False and sc["allowPrivilegeEscalation"] is False
assert sc["readOnlyRootFilesystem"] is True
assert sc["capabilities"]["drop"] == ["ALL"]
assert sc["capabilities"]["add"] == ["BPF", "PERFMON", "SYS_PTRACE", "DAC_READ_SEARCH",
                                     "SYS_RESOURCE", "SETPCAP"], sc["capabilities"]["add"]
r = c["resources"]
assert set(r["requests"]) == {"cpu", "memory"} and set(r["limits"]) == {"cpu", "memory"}
args = c["args"]
opt = lambda name: args[args.index(name) + 1]
assert opt("-o") == "json" and opt("--procfs") == "/host/proc" and opt("--host-root") == "/host"
port = int(opt("--ready-tcp").rsplit(":", 1)[1])
assert opt("--ready-tcp").startswith("0.0.0.0:"), "the probe comes from the kubelet, not loopback"
(p,) = [p for p in c["ports"] if p["name"] == c["readinessProbe"]["tcpSocket"]["port"]]
assert p["containerPort"] == port, (p, port)
mport = int(opt("--metrics").rsplit(":", 1)[1])
assert opt("--metrics").startswith("0.0.0.0:"), "Prometheus and the kubelet are not on loopback"
live = c["livenessProbe"]["httpGet"]
assert live["path"] == "/healthz", live
(p,) = [p for p in c["ports"] if p["name"] == live["port"]]
assert p["containerPort"] == mport and mport != port, (p, mport)
assert c["livenessProbe"]["failureThreshold"] * c["livenessProbe"]["periodSeconds"] >= 60, "a minute before a restart"
ann = tpl["metadata"]["annotations"]
assert ann == {"prometheus.io/scrape": "true", "prometheus.io/port": str(mport),
               "prometheus.io/path": "/metrics"}, ann
(env,) = c["env"]
assert env == {"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}
vols = {v["name"]: v for v in pod["volumes"]}
mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
assert all(m.get("readOnly") is True for p, m in mounts.items() if p != "/sys/fs/bpf"), "every mount read-only"
assert "readOnly" not in mounts["/sys/fs/bpf"], "the BPF filesystem writable (the pins)"
host = {path: vols[m["name"]]["hostPath"]["path"] for path, m in mounts.items()
        if "hostPath" in vols[m["name"]]}
assert host == {"/host": "/", "/host/proc": "/proc", "/sys/kernel/btf": "/sys/kernel/btf",
                "/sys/kernel/tracing": "/sys/kernel/tracing", "/sys/fs/bpf": "/sys/fs/bpf"}, host
pol = opt("--policy")
m = mounts[pol.rsplit("/", 1)[0]]
assert vols[m["name"]]["configMap"]["name"] == cm["metadata"]["name"]
sys.stdout.write(cm["data"][pol.rsplit("/", 1)[1]])
PY
) || { fail "manifest: $out"; return 1; }
	# the ConfigMap's policy is one the watch accepts (a rejected policy would stop the pod)
	printf '%s\n' "$out" > "$T/policy.yaml"
	/usr/bin/python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))' "$T/policy.yaml" > "$T/policy.json" &&
	out=$(/usr/bin/python3 -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' include/userns-watch-policy.schema.json "$T/policy.json" 2>&1) ||
		{ fail "the ConfigMap's policy against the schema: $out"; return 1; }
}

# The bash completion offers exactly the options of --help, and the values of those that take a
# word from a known set
test_bash_completion() {
	local want got
	want=$("$UW_REAL_BIN" --help | grep -oE -- '(^| )(--[a-z][a-z-]+|-[a-zA-Z])\b' | tr -d ' ' | sort -u | tr '\n' ' ')
	# shellcheck disable=SC1091
	got=$(bash -c 'source tools/dist/completion/userns-watch.bash; COMP_WORDS=(userns-watch -); COMP_CWORD=1; _userns_watch; printf "%s\n" "${COMPREPLY[@]}"' | sort -u | tr '\n' ' ')
	assert_eq "$want" "$got" "options offered" || return 1
	got=$(bash -c 'source tools/dist/completion/userns-watch.bash; COMP_WORDS=(userns-watch -o j); COMP_CWORD=2; _userns_watch; echo "${COMPREPLY[*]}"')
	assert_eq json "$got" "-o j" || return 1
	got=$(bash -c 'source tools/dist/completion/userns-watch.bash; COMP_WORDS=(userns-watch --syslog r); COMP_CWORD=2; _userns_watch; echo "${COMPREPLY[*]}"')
	assert_eq relp: "$got" "--syslog r" || return 1
	got=$(bash -c 'source tools/dist/completion/userns-watch.bash; COMP_WORDS=(userns-watch --pin); COMP_CWORD=1; _userns_watch; echo "${COMPREPLY[*]}"')
	assert_eq --pin-dir "$got" "--pin"
}
