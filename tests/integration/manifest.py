#!/usr/bin/python3
"""The DaemonSet of tools/dist/kubernetes/base/userns-watch.yaml as a `docker run` / `podman run`.

The end-to-end test runs the image with the pod settings the manifest gives, not with a copy of
them: this reads the manifest and prints one argument per line.

    manifest.py MANIFEST engine-args [--node NAME] [--config-dir DIR] [--host-path SRC=DST]...
                                     [--cap-as NAME=OTHER]... [--cap-without NAME]...
    manifest.py MANIFEST command     the container's args (image entrypoint's arguments)
    manifest.py MANIFEST image
    manifest.py MANIFEST ready-port  the readiness probe's TCP port, as a number
    manifest.py MANIFEST live-probe  the liveness probe's HTTP port and path: "PORT PATH"
    manifest.py MANIFEST caps        the capabilities added, one per line

--host-path maps a hostPath to the test's stand-in (a private tracefs, the daemon's host root);
--config-dir is where the ConfigMap's keys are written; --cap-as and --cap-without say what the
engine or the test's own bounding set cannot grant (each printed on stderr, so the log shows
every departure from the manifest). Anything in the pod spec this does not know how to run is
an error, not skipped.
"""
import argparse
import os
import sys

import yaml

KNOWN_SPEC = {"hostPID", "hostUsers", "automountServiceAccountToken", "enableServiceLinks",
              "terminationGracePeriodSeconds", "tolerations", "containers", "volumes"}
KNOWN_CONTAINER = {"name", "image", "imagePullPolicy", "args", "env", "ports", "readinessProbe",
                   "livenessProbe", "resources", "securityContext", "volumeMounts"}
KNOWN_SECURITY = {"privileged", "allowPrivilegeEscalation", "readOnlyRootFilesystem", "runAsUser",
                  "runAsNonRoot", "seccompProfile", "capabilities"}


def die(msg):
    print(f"manifest.py: {msg}", file=sys.stderr)
    sys.exit(2)


def load(path):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    ds = [d for d in docs if d.get("kind") == "DaemonSet"]
    if len(ds) != 1:
        die(f"{path}: want one DaemonSet, found {len(ds)}")
    return docs, ds[0]


def pod_of(ds):
    spec = ds["spec"]["template"]["spec"]
    unknown = set(spec) - KNOWN_SPEC
    if unknown:
        die(f"pod spec keys this cannot run: {sorted(unknown)}")
    if len(spec["containers"]) != 1:
        die("want one container")
    c = spec["containers"][0]
    unknown = set(c) - KNOWN_CONTAINER
    if unknown:
        die(f"container keys this cannot run: {sorted(unknown)}")
    return spec, c


def mebibytes(q):
    if q.endswith("Mi"):
        return int(q[:-2])
    if q.endswith("Gi"):
        return int(q[:-2]) * 1024
    die(f"memory quantity {q!r}: want Mi or Gi")


def engine_args(docs, ds, a):
    spec, c = pod_of(ds)
    out = []
    if spec.get("hostPID") is not True:
        die("hostPID is not true")
    out.append("--pid=host")
    if spec.get("hostUsers") is not True:
        die("hostUsers is not written out as true")
    out.append("--userns=host")
    # a pod has a network namespace of its own; the test's daemon has no bridge
    out.append("--network=none")
    sc = c.get("securityContext", {})
    unknown = set(sc) - KNOWN_SECURITY
    if unknown:
        die(f"securityContext keys this cannot run: {sorted(unknown)}")
    if sc.get("privileged"):
        die("privileged is set")
    if sc.get("allowPrivilegeEscalation") is False:
        out.append("--security-opt=no-new-privileges")
    if sc.get("readOnlyRootFilesystem"):
        out.append("--read-only")
    if "runAsUser" in sc:
        out.append(f"--user={sc['runAsUser']}")
    prof = sc.get("seccompProfile", {}).get("type", "RuntimeDefault")
    if prof == "Unconfined":
        out.append("--security-opt=seccomp=unconfined")
    elif prof != "RuntimeDefault":
        die(f"seccompProfile {prof!r}")
    caps = sc.get("capabilities", {})
    if caps.get("drop") != ["ALL"]:
        die("capabilities.drop is not [ALL]")
    out.append("--cap-drop=ALL")
    cap_as = dict(x.split("=", 1) for x in a.cap_as)
    added = []
    for cap in caps.get("add", []):
        if cap in a.cap_without:
            print(f"manifest.py: without CAP_{cap} (the test cannot grant it)", file=sys.stderr)
            continue
        if cap in cap_as:
            print(f"manifest.py: CAP_{cap} as CAP_{cap_as[cap]} (the engine does not know it)",
                  file=sys.stderr)
            cap = cap_as[cap]
        if cap not in added:
            added.append(cap)
    out += [f"--cap-add={cap}" for cap in added]
    lim = c.get("resources", {}).get("limits", {})
    if "memory" in lim:
        out.append(f"--memory={mebibytes(lim['memory'])}m")
    if "cpu" in lim:
        cpu = str(lim["cpu"])
        out.append(f"--cpus={int(cpu[:-1]) / 1000 if cpu.endswith('m') else float(cpu)}")
    for e in c.get("env", []):
        if "value" in e:
            out.append(f"--env={e['name']}={e['value']}")
        elif e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "spec.nodeName":
            if not a.node:
                die(f"{e['name']} is the node's name: give --node")
            out.append(f"--env={e['name']}={a.node}")
        else:
            die(f"env {e['name']}: a source this cannot run")
    host_path = dict(x.split("=", 1) for x in a.host_path)
    vols = {v["name"]: v for v in spec.get("volumes", [])}
    for m in c.get("volumeMounts", []):
        v = vols[m["name"]]
        # the host's BPF filesystem is the one writable mount (the pinned kernel side)
        rw = m["mountPath"] == "/sys/fs/bpf"
        if not m.get("readOnly") and not rw:
            die(f"volume {m['name']} is not mounted read-only")
        if "hostPath" in v:
            src = v["hostPath"]["path"]
            if src in host_path:
                print(f"manifest.py: host path {src} stands in as {host_path[src]}",
                      file=sys.stderr)
                src = host_path[src]
            if not os.path.isdir(src):
                die(f"host path {src} ({m['name']}) is not a directory here")
        elif "configMap" in v:
            cms = [d for d in docs if d.get("kind") == "ConfigMap" and
                   d["metadata"]["name"] == v["configMap"]["name"]]
            if len(cms) != 1 or not a.config_dir:
                die(f"configMap {v['configMap']['name']}: not in the manifest, or no --config-dir")
            os.makedirs(a.config_dir, exist_ok=True)
            for k, text in cms[0]["data"].items():
                with open(os.path.join(a.config_dir, k), "w") as f:
                    f.write(text)
            src = a.config_dir
        else:
            die(f"volume {m['name']}: a kind this cannot run")
        out.append(f"--volume={src}:{m['mountPath']}" + ("" if rw else ":ro"))
    return out


def port_number(c, port, what):
    if isinstance(port, int):
        return port
    named = [p["containerPort"] for p in c.get("ports", []) if p.get("name") == port]
    if len(named) != 1:
        die(f"{what} port {port!r} is not a container port")
    return named[0]


def ready_port(c):
    return port_number(c, c["readinessProbe"]["tcpSocket"]["port"], "readiness")


def live_probe(c):
    g = c["livenessProbe"].get("httpGet")
    if not g or set(g) - {"path", "port"}:
        die("the liveness probe is not a plain httpGet")
    return f"{port_number(c, g['port'], 'liveness')} {g['path']}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("manifest")
    p.add_argument("what", choices=["engine-args", "command", "image", "ready-port", "live-probe",
                                      "caps"])
    p.add_argument("--node")
    p.add_argument("--config-dir")
    p.add_argument("--host-path", action="append", default=[])
    p.add_argument("--cap-as", action="append", default=[])
    p.add_argument("--cap-without", action="append", default=[])
    a = p.parse_args()
    docs, ds = load(a.manifest)
    spec, c = pod_of(ds)
    if a.what == "engine-args":
        lines = engine_args(docs, ds, a)
    elif a.what == "command":
        lines = [str(x) for x in c.get("args", [])]
    elif a.what == "image":
        lines = [c["image"]]
    elif a.what == "ready-port":
        lines = [str(ready_port(c))]
    elif a.what == "live-probe":
        lines = [live_probe(c)]
    else:
        lines = c["securityContext"]["capabilities"].get("add", [])
    for line in lines:
        if "\n" in line:
            die(f"an argument with a newline: {line!r}")
        print(line)


if __name__ == "__main__":
    main()
