#!/usr/bin/env python3
# The views of the counter tables that are files: the stats record's counters in the JSON schema
# (include/userns-watch.schema.json: each counter a property of its object, required, with its
# help as description) and the table in docs/output.md between its two marker lines.
#   gen-counters.py COUNTERS_BIN          rewrite both files from the tables
#   gen-counters.py COUNTERS_BIN --check  exit 1 (and say what differs) when they are not current
# COUNTERS_BIN is tools/dev/counters.c built (make generated builds and runs it).
import json
import subprocess
import sys

SCHEMA = "include/userns-watch.schema.json"
DOC = "docs/output.md"
BEGIN = "<!-- counters: begin (generated from user/counters.h; do not edit) -->"
END = "<!-- counters: end -->"
MARK = "a counter (user/counters.h, include/uw_event.h): generated"


def rows(binary):
    out = subprocess.run([binary], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def schema_text(rows, text):
    schema = json.loads(text)
    stats = schema["$defs"]["stats"]

    def obj(path):
        node = stats
        for name in path:
            node = node["properties"][name]
        return node

    counted = {}
    for r in rows:
        path = ["kernel"] if r["table"] == "kernel" else r["key"].split(".")[:-1]
        name = r["key"].split(".")[-1]
        counted.setdefault(tuple(path), []).append(name)
        node = obj(path)
        node["properties"][name] = {"$ref": "#/$defs/u64", "description": r["help"], "$comment": MARK}
        if name not in node["required"]:
            node["required"].append(name)
    # counters no table has any more
    for path in [(), ("kernel",), ("policy",)]:
        node = obj(path)
        for name, prop in list(node["properties"].items()):
            if isinstance(prop, dict) and prop.get("$comment") == MARK and name not in counted.get(path, []):
                del node["properties"][name]
                node["required"] = [n for n in node["required"] if n != name]
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def doc_table(rows):
    lines = ["| stats record | /metrics | what it counts |", "| --- | --- | --- |"]
    for r in rows:
        key = ("kernel." if r["table"] == "kernel" else "") + r["key"]
        metric = r["metric"].replace("{cpu}", '{cpu="N"}')
        metric = "`userns_watch_" + metric + "`" if metric else ""
        lines.append("| `%s` | %s | %s |" % (key, metric, r["help"].replace("|", "\\|")))
    return "\n".join(lines)


def doc_text(rows, text):
    if BEGIN not in text or END not in text:
        sys.exit("gen-counters: %s has no counter markers (%s ... %s)" % (DOC, BEGIN, END))
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + BEGIN + "\n" + doc_table(rows) + "\n" + END + tail


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: gen-counters.py COUNTERS_BIN [--check]")
    check = "--check" in sys.argv[2:]
    table = rows(sys.argv[1])
    stale = []
    for path, make in [(SCHEMA, schema_text), (DOC, doc_text)]:
        with open(path) as f:
            old = f.read()
        new = make(table, old)
        if new == old:
            continue
        if check:
            stale.append(path)
        else:
            with open(path, "w") as f:
                f.write(new)
            print("gen-counters: wrote %s" % path)
    if stale:
        print("gen-counters: not current (run make generated): %s" % ", ".join(stale))
        sys.exit(1)


main()
