# shellcheck shell=bash
# Deployment artifacts: the man page (lint-clean, every option of --help documented, installed by
# make install), the systemd unit (systemd-analyze verify without a warning, its hardening
# rated by systemd-analyze security), the Kubernetes manifests (the DaemonSet, the kustomize
# base and overlay rendered by Debian's kubectl kustomize, every document against the API's models), the
# Prometheus alert rules (promtool) and the Grafana dashboard. Host only: no BPF is loaded.

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
	grep -q "^ExecStart=$(readlink -f "$UW_BIN") -o json \$USERNS_WATCH_OPTS$" "$T/userns-watch.service" || { fail "ExecStart not as expected"; return 1; }
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

# The unit's lockdown lets each sink through only with its drop-in (tools/dist/systemd/sinks/):
# the base unit has no network and no AF_INET sockets (a --syslog tcp: or --metrics there would
# fail), network.conf gives both and nothing else; every drop-in verifies with the unit; the
# options file names what ExecStart adds; each sink option of --help has its drop-in
test_systemd_sink_dropins() {
	local u=$T/sd d out sec
	mkdir -p "$T/man/man8" "$u" && cp "$MAN" "$T/man/man8/"
	sed "s|^ExecStart=/usr/local/sbin/userns-watch|ExecStart=$(readlink -f "$UW_BIN")|" "$UNIT" > "$u/userns-watch.service"
	sec=$(cd "$u" && systemd-analyze security --offline=yes "$u/userns-watch.service" 2>/dev/null)
	grep -q '✓ PrivateNetwork=' <<<"$sec" && grep -q '✓ RestrictAddressFamilies=~AF_(INET|INET6)' <<<"$sec" ||
		{ fail "the base unit lets the network through: $(grep -E 'PrivateNetwork|AF_\(INET' <<<"$sec")"; return 1; }
	for d in network output-file syslog-unix; do
		rm -rf "$u/userns-watch.service.d" && mkdir "$u/userns-watch.service.d"
		cp "tools/dist/systemd/sinks/$d.conf" "$u/userns-watch.service.d/"
		out=$(cd "$u" && MANPATH="$T/man" systemd-analyze verify "$u/userns-watch.service" 2>&1)
		assert_eq "" "$out" "systemd-analyze verify with $d.conf" || return 1
		sec=$(cd "$u" && systemd-analyze security --offline=yes "$u/userns-watch.service" 2>/dev/null)
		if [ "$d" = network ]; then
			grep -q '✗ PrivateNetwork=' <<<"$sec" && grep -q '✗ RestrictAddressFamilies=~AF_(INET|INET6)' <<<"$sec" ||
				{ fail "network.conf does not let the network through"; return 1; }
			grep -q '✓ RestrictAddressFamilies=~AF_PACKET' <<<"$sec" && grep -q '✓ RestrictAddressFamilies=~AF_NETLINK' <<<"$sec" ||
				{ fail "network.conf allows more than IP sockets"; return 1; }
		else
			grep -q '✓ PrivateNetwork=' <<<"$sec" || { fail "$d.conf changes the network"; return 1; }
		fi
	done
	grep -qx 'LogsDirectory=userns-watch' tools/dist/systemd/sinks/output-file.conf &&
	grep -qx 'BindPaths=/dev/log' tools/dist/systemd/sinks/syslog-unix.conf &&
	grep -qx 'USERNS_WATCH_OPTS=""' tools/dist/systemd/userns-watch.default &&
	grep -qx 'EnvironmentFile=-/etc/default/userns-watch' "$UNIT" || { fail "a drop-in or the options file lost its key"; return 1; }
	# each sink option --help lists is named by the drop-in that lets it through
	for d in "--syslog:network" "--metrics:network" "--output-file:output-file" "unix:/dev/log:syslog-unix"; do
		"$UW_BIN" --help | grep -qe "${d%%:*}" && grep -qe "${d%%:*}" "tools/dist/systemd/sinks/${d##*:}.conf" ||
			{ [ "${d%%:*}" = unix ] && grep -q 'unix:/dev/log' "tools/dist/systemd/sinks/${d##*:}.conf"; } ||
			{ fail "${d%%:*}: not named by sinks/${d##*:}.conf"; return 1; }
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

# ---- the kustomize base and its overlay (kubectl kustomize, offline) ----
KUBE=tools/dist/kubernetes

# kubectl_get: KUBECTL, Debian's kubectl (kubernetes-client: 1.20 and its kustomize v2.0.3 in
# Debian 12), taken out of the package once into .output/kubectl by tools/dev/debian-tool.sh,
# whatever kubectl this machine has on PATH: the oldest kustomize the base and overlay are
# written for, and the one any Debian machine gets. Where it cannot be had the test is skipped
# (77) with the reason.
kubectl_get() {
	KUBECTL=$(tools/dev/debian-tool.sh kubernetes-client kubectl 2> "$T/kubectl.err") ||
		{ SKIP_REASON="no Debian kubectl: $(tr '\n' ' ' < "$T/kubectl.err")"; return 77; }
}

# kustomize_render DIR OUT: the rendering of DIR by Debian's kubectl kustomize in OUT (kubectl_get
# first); anything said on stderr fails it
kustomize_render() {
	local err
	err=$("$KUBECTL" kustomize "$1" 2>&1 > "$2") || { fail "kubectl kustomize $1: $err"; return 1; }
	[ -z "$err" ] || { fail "kubectl kustomize $1 warns: $err"; return 1; }
}

# The base renders to the DaemonSet file's documents as they are (what the image tests run) and
# the metrics port's Service and NetworkPolicy, every one of a built-in API (the base applies
# on a cluster without CRDs); the namespace carries the Pod Security Admission labels of the
# privileged level; the Service and the NetworkPolicy select the DaemonSet's pods and name its
# metrics port, and the NetworkPolicy lets in only Prometheus's pods of the monitoring namespace
# (both selectors in one peer: either alone would let in more), on that port only. The
# prometheus-operator overlay is the base and one ServiceMonitor on the Service's port.
test_kustomize_base() {
	local out
	kubectl_get || return $?
	kustomize_render "$KUBE/base" "$T/base.yaml" || return 1
	kustomize_render "$KUBE/overlays/prometheus-operator" "$T/operator.yaml" || return 1
	out=$(/usr/bin/python3 - "$MANIFEST" "$T/base.yaml" "$T/operator.yaml" <<'PY' 2>&1
import sys, yaml
load = lambda p: [d for d in yaml.safe_load_all(open(p)) if d]
plain, base, op = load(sys.argv[1]), load(sys.argv[2]), load(sys.argv[3])
key = lambda d: f'{d["kind"]}/{d["metadata"]["name"]}'
by = {key(d): d for d in base}
assert sorted(by) == ["ConfigMap/userns-watch-policy", "DaemonSet/userns-watch", "Namespace/userns-watch",
                      "NetworkPolicy/userns-watch-metrics", "Service/userns-watch"], sorted(by)
for d in plain:
    assert by[key(d)] == d, f"{key(d)} is not rendered as userns-watch.yaml has it"
apis = sorted({d["apiVersion"] for d in base})
assert apis == ["apps/v1", "networking.k8s.io/v1", "v1"], apis
assert all(d["metadata"].get("namespace") == "userns-watch" for d in base if d["kind"] != "Namespace")
ns = by["Namespace/userns-watch"]
assert ns["metadata"]["labels"] == {f"pod-security.kubernetes.io/{m}{v}": ("latest" if v else "privileged")
                                    for m in ("enforce", "audit", "warn") for v in ("", "-version")}, ns["metadata"]["labels"]
ds = by["DaemonSet/userns-watch"]
pod_labels = ds["spec"]["template"]["metadata"]["labels"]
(c,) = ds["spec"]["template"]["spec"]["containers"]
args = c["args"]
mport = int(args[args.index("--metrics") + 1].rsplit(":", 1)[1])
rport = int(args[args.index("--ready-tcp") + 1].rsplit(":", 1)[1])
(p,) = [p for p in c["ports"] if p["name"] == "metrics"]
assert p["containerPort"] == mport
svc = by["Service/userns-watch"]
assert svc["spec"]["clusterIP"] == "None", "headless: every pod a target of its own"
assert svc["spec"]["selector"] == ds["spec"]["selector"]["matchLabels"]
assert all(pod_labels.get(k) == v for k, v in svc["spec"]["selector"].items())
assert svc["spec"]["ports"] == [{"name": "metrics", "port": mport, "targetPort": "metrics", "protocol": "TCP"}], svc["spec"]["ports"]
np = by["NetworkPolicy/userns-watch-metrics"]["spec"]
assert np["podSelector"] == {"matchLabels": ds["spec"]["selector"]["matchLabels"]}, np["podSelector"]
assert np["policyTypes"] == ["Ingress"] and "egress" not in np, "ingress only"
assert np["ingress"] == [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
                                    "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}}}],
                          "ports": [{"port": "metrics", "protocol": "TCP"}]}], np["ingress"]
assert str(rport) not in yaml.safe_dump([svc, np]) and "ready" not in yaml.safe_dump([svc, np]), "the readiness port is the kubelet's"
# the overlay: the base as it is, and a ServiceMonitor
extra = [d for d in op if key(d) not in by]
assert [key(d) for d in extra] == ["ServiceMonitor/userns-watch"], [key(d) for d in extra]
assert all(d == by[key(d)] for d in op if d not in extra) and len(op) == len(base) + 1
sm = extra[0]
assert sm["apiVersion"] == "monitoring.coreos.com/v1" and sm["metadata"]["namespace"] == "userns-watch"
s = sm["spec"]
assert all(svc["metadata"]["labels"].get(k) == v for k, v in s["selector"]["matchLabels"].items()), s["selector"]
assert s["namespaceSelector"] == {"matchNames": ["userns-watch"]}
(e,) = s["endpoints"]
assert (e["port"], e["path"], e["scheme"]) == ("metrics", "/metrics", "http"), e
assert e["relabelings"] == [{"sourceLabels": ["__meta_kubernetes_pod_node_name"], "targetLabel": "node", "action": "replace"}], e["relabelings"]
assert "jobLabel" not in s, "the job label is the Service's name, which the rules select"
PY
) || { fail "kustomize: $out"; return 1; }
}

# k8s_check NAME DOCS.json: every document against the Kubernetes API's models: as typed
# literals compiled by tsc --strict (an unknown field, a wrong type, a missing required one),
# then against their JSON schemas; prints the complaints of both, fails when there are any
k8s_check() {
	local rc=0
	deploy_check k8s-ts "$2" "checks/$1.ts" || return 1
	(cd "$DEPLOY_DIR" && node_modules/.bin/tsc --noEmit --strict --skipLibCheck --target es2020 \
		--module commonjs --moduleResolution node "checks/$1.ts") || rc=1
	deploy_check k8s-validate "$2" || rc=1
	return $rc
}

# Every document the base and the overlay render is valid against the Kubernetes API (core,
# apps and networking v1, from kubernetes-models) and the prometheus-operator's ServiceMonitor,
# with unknown fields refused. The check can fail: planted documents with a misspelt field (in a
# container's securityContext, at the top, in a ServiceMonitor endpoint), a value outside an
# enum, a string for an integer, and a kind without a model are each refused, for that reason.
test_kubernetes_schemas() {
	local out
	requires cmd:jq || return 77
	kubectl_get || return $?
	deploy_tools || return $?
	kustomize_render "$KUBE/base" "$T/base.yaml" || return 1
	kustomize_render "$KUBE/overlays/prometheus-operator" "$T/operator.yaml" || return 1
	/usr/bin/python3 -c 'import json, sys, yaml
print(json.dumps([d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]))' "$T/base.yaml" "$T/operator.yaml" > "$T/docs.json" || return 1
	assert_eq "Namespace ConfigMap Service DaemonSet NetworkPolicy Namespace ConfigMap Service DaemonSet ServiceMonitor NetworkPolicy" \
		"$(jq -r '[.[].kind] | join(" ")' "$T/docs.json")" "documents rendered (the base's, then the overlay's)" || return 1
	out=$(k8s_check rendered "$T/docs.json" 2>&1) || { fail "the rendered documents: $out"; return 1; }
	assert_eq "" "$out" "the checkers' output on the rendered documents" || return 1
	# planted faults, one a document, checked together (one compile): each is refused, for its
	# reason, and nothing else is said
	jq -c '
		(.[3] | .spec.template.spec.containers[0].securityContext |= (.readOnlyRootFilesytem = .readOnlyRootFilesystem | del(.readOnlyRootFilesystem))),
		(.[0] | .metdata = .metadata | del(.metadata)),
		(.[9] | .spec.endpoints[0].intervall = .spec.endpoints[0].interval | del(.spec.endpoints[0].interval)),
		(.[4] | .spec.policyTypes = ["Ingres"]),
		(.[2] | .spec.ports[0].port = "9478")' "$T/docs.json" | jq -s . > "$T/bad.json"
	out=$(k8s_check bad "$T/bad.json" 2>&1) && { fail "the planted faults were taken"; return 1; }
	assert_eq "$(printf '%s\n' \
		"checks/bad.ts(7,CC): error TS2353: Object literal may only specify known properties, and '\"readOnlyRootFilesytem\"' does not exist in type 'ISecurityContext'." \
		"checks/bad.ts(9,CC): error TS2353: Object literal may only specify known properties, and '\"metdata\"' does not exist in type 'INamespace'." \
		"checks/bad.ts(11,CC): error TS2353: Object literal may only specify known properties, and '\"intervall\"' does not exist in type 'IEndpoint'." \
		"checks/bad.ts(13,CC): error TS2820: Type '\"Ingres\"' is not assignable to type '\"Egress\" | \"Ingress\"'. Did you mean '\"Ingress\"'?" \
		"checks/bad.ts(15,CC): error TS2322: Type 'string' is not assignable to type 'number'." \
		"NetworkPolicy/userns-watch-metrics: data/spec/policyTypes/0 must be equal to one of the allowed values" \
		"Service/userns-watch: data/spec/ports/0/port must be integer")" \
		"$(sed 's/^\(checks\/bad.ts([0-9]*,\)[0-9]*)/\1CC)/' <<<"$out")" "the faults found in the planted documents" || return 1
	jq -c '.[3] | .apiVersion = "apps/v1beta2"' "$T/docs.json" | jq -s . > "$T/bad-kind.json"
	out=$(k8s_check bad-kind "$T/bad-kind.json" 2>&1) && { fail "apps/v1beta2 was taken"; return 1; }
	assert_eq "document 0 (apps/v1beta2 DaemonSet): no model of that kind here" "$out" "a kind without a model"
}

# ---- the Prometheus alert rules and the Grafana dashboard ----
RULES_TEST=tests/prometheus/userns-watch.rules.test.yaml

# promtool_get: PROMTOOL, from tools/dev/promtool.sh (Debian's prometheus package, fetched once
# into .output/promtool); where it cannot be had the test is skipped (77) with the reason
promtool_get() {
	PROMTOOL=$(tools/dev/promtool.sh 2> "$T/promtool.err") ||
		{ SKIP_REASON="no promtool: $(cat "$T/promtool.err")"; return 77; }
}

# The alert rules pass promtool check rules, are the thirteen named below, each with a severity
# and a summary and description; promtool test rules (RULES_TEST) makes each of them fire, and
# each of them stay quiet, at least once, and passes. Both can fail: a rule that does not parse
# is refused, and a rule whose annotation changed fails its test.
test_prometheus_rules() {
	local out
	promtool_get || return $?
	out=$("$PROMTOOL" check rules "$RULES" 2>&1) || { fail "promtool check rules: $out"; return 1; }
	assert_eq "Checking $RULES|  SUCCESS: 13 rules found|" "$(tr '\n' '|' <<<"$out")" "promtool check rules" || return 1
	out=$(/usr/bin/python3 - "$RULES" "$RULES_TEST" <<'PY' 2>&1
import sys, yaml
rules = [r for g in yaml.safe_load(open(sys.argv[1]))["groups"] for r in g["rules"]]
names = [r["alert"] for r in rules]
assert names == ["UsernsWatchTargetMissing", "UsernsWatchDown", "UsernsWatchUnhealthy", "UsernsWatchHooksDetached",
                 "UsernsWatchRestarting", "UsernsWatchStalled", "UsernsWatchRecordsLost", "UsernsWatchKernelMapFull",
                 "UsernsWatchBadRecords", "UsernsWatchAlertsSuppressed", "UsernsWatchSyslogDown",
                 "UsernsWatchSyslogDropped", "UsernsWatchViolation"], names
for r in rules:
    assert r["labels"]["severity"] in ("critical", "warning"), r["alert"]
    assert set(r["annotations"]) == {"summary", "description"}, r["alert"]
    assert 'job="userns-watch"' in r["expr"], r["alert"]
tests = yaml.safe_load(open(sys.argv[2]))["tests"]
cases = [c for t in tests for c in t["alert_rule_test"]]
fires = {c["alertname"] for c in cases if c["exp_alerts"]}
quiet = {c["alertname"] for c in cases if not c["exp_alerts"]}
assert fires == set(names), sorted(set(names) - fires)
assert quiet == set(names), sorted(set(names) - quiet)
PY
) || { fail "rules: $out"; return 1; }
	out=$("$PROMTOOL" test rules "$RULES_TEST" 2>&1) || { fail "promtool test rules: $out"; return 1; }
	assert_eq "Unit Testing:  $RULES_TEST|  SUCCESS|" "$(tr '\n' '|' <<<"$out")" "promtool test rules" || return 1
	# the checks can fail
	sed 's/^\(        expr: \)up{job="userns-watch"} == 0$/\1up{job="userns-watch"} == = 0/' "$RULES" > "$T/broken.rules.yaml"
	! cmp -s "$RULES" "$T/broken.rules.yaml" || { fail "could not plant a broken expression"; return 1; }
	out=$("$PROMTOOL" check rules "$T/broken.rules.yaml" 2>&1) && { fail "promtool took a broken expression: $out"; return 1; }
	grep -q 'FAILED:' <<<"$out" && grep -q 'group "userns-watch.availability", rule 2, "UsernsWatchDown"' <<<"$out" ||
		{ fail "a broken expression: $out"; return 1; }
	mkdir -p "$T/prometheus" && sed 's/ keeps restarting$/ restarts/' "$RULES" > "$T/changed.rules.yaml"
	sed "s|^  - ../../tools/dist/prometheus/userns-watch.rules.yaml$|  - $T/changed.rules.yaml|" "$RULES_TEST" > "$T/prometheus/test.yaml"
	out=$("$PROMTOOL" test rules "$T/prometheus/test.yaml" 2>&1) && { fail "promtool test passed a changed annotation: $out"; return 1; }
	grep -q 'alertname: UsernsWatchRestarting, time: 5m' <<<"$out" &&
	grep -q 'summary="userns-watch on node-a:9478 restarts"' <<<"$out" || { fail "a changed annotation: $out"; return 1; }
}

# The Grafana dashboard is one Grafana imports as it is: a data source variable that every panel
# and query uses, the job variable at the rules' job and an instance variable; panels with
# ids of their own that do not overlap on the 24-column grid. Every query of it and every rule
# expression parses with Prometheus's PromQL grammar and names a metric; every selector of the
# dashboard follows $job (and those of userns-watch's metrics $instance), every selector of the
# rules job="userns-watch". (That each metric named is served: test_metrics.sh.) The parse can
# fail: a query with a missing bracket, or one that names no metric, is refused.
test_grafana_dashboard() {
	local out
	deploy_tools || return $?
	monitoring_exprs "$T/exprs.json" || { fail "monitoring_exprs"; return 1; }
	out=$(deploy_check promql "$T/exprs.json" 2>&1 > "$T/selectors.json") || { fail "PromQL: $out"; return 1; }
	out=$(/usr/bin/python3 - "$DASHBOARD" "$T/selectors.json" <<'PY' 2>&1
import json, sys
d, sel = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert (d["uid"], d["title"], d["schemaVersion"]) == ("userns-watch", "userns-watch", 39)
v = {x["name"]: x for x in d["templating"]["list"]}
assert list(v) == ["datasource", "job", "instance"], list(v)
assert (v["datasource"]["type"], v["datasource"]["query"]) == ("datasource", "prometheus")
assert (v["job"]["type"], v["job"]["query"]) == ("textbox", "userns-watch"), "the rules' job"
assert v["instance"]["type"] == "query" and v["instance"]["includeAll"] and v["instance"]["multi"]
ds = {"type": "prometheus", "uid": "${datasource}"}
assert v["instance"]["datasource"] == ds
ids = [p["id"] for p in d["panels"]]
assert ids == list(range(1, 18)), ids
cells = set()
for p in d["panels"]:
    g = p["gridPos"]
    assert g["x"] + g["w"] <= 24, p["title"]
    mine = {(g["x"] + i, g["y"] + j) for i in range(g["w"]) for j in range(g["h"])}
    assert not cells & mine, f'{p["title"]} overlaps another panel'
    cells |= mine
    assert p["datasource"] == ds and all(t["datasource"] == ds for t in p["targets"]), p["title"]
    refs = [t["refId"] for t in p["targets"]]
    assert len(set(refs)) == len(refs) and p["title"] and p["description"], p["title"]
assert sum(len(p["targets"]) for p in d["panels"]) == 35
assert len(sel) == 35 + 1 + 13, len(sel)
for where, ss in sel.items():
    for s in ss:
        if where.startswith("rule "):
            assert 'job="userns-watch"' in s["matchers"], (where, s)
        else:
            assert 'job="$job"' in s["matchers"], (where, s)
            if where.startswith("panel ") and s["name"] != "up":
                assert 'instance=~"$instance"' in s["matchers"], (where, s)
PY
) || { fail "dashboard: $out"; return 1; }
	# the parse can fail
	printf '%s\n' '{"a bracket missing": "sum(rate(userns_watch_violations_total[5m])", "no metric": "vector(1) + 2"}' > "$T/bad-exprs.json"
	out=$(deploy_check promql "$T/bad-exprs.json" 2>&1 >/dev/null) && { fail "PromQL faults were taken"; return 1; }
	grep -q '^a bracket missing: does not parse at offset 43' <<<"$out" && grep -q '^no metric: names no metric$' <<<"$out" ||
		{ fail "PromQL faults: $out"; return 1; }
}
