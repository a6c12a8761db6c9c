#!/usr/bin/python3
"""Validates every line of a JSON-lines file against include/userns-watch.schema.json.

Uses Debian's python3-jsonschema (run with /usr/bin/python3). Prints the first errors and
exits 1 if any line is not valid JSON or does not match the schema.

    validate_schema.py SCHEMA FILE
    validate_schema.py --serve DIR SCHEMA

--serve answers the same question for many files, for tests/run.sh's whole run (lib.sh's
schema_valid asks it): under software emulation a python3 start with jsonschema's import costs
2 to 5 s, the check itself a fraction of that. DIR holds two FIFOs the caller made: requests
"ID<TAB>FILE" arrive on DIR/req; for each, every line this script would print comes on DIR/reply
as "ID<TAB>line", then "ID<TAB>END <exit status>". DIR/ready is written once the schema is
loaded.
"""
import json
import os
import sys
import traceback

import jsonschema


def check(validator, data_path):
    """The lines the one-file form prints for data_path, and its exit status."""
    out = []
    lines = 0
    with open(data_path, "rb") as f:
        for n, raw in enumerate(f, 1):
            lines += 1
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                out.append(f"line {n}: not valid JSON: {e}")
                continue
            for err in validator.iter_errors(obj):
                out.append(f"line {n}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
    if lines == 0:
        return ["no lines to validate"], 1
    return out, 1 if out else 0


def load(schema_path):
    with open(schema_path, encoding="utf-8") as f:
        return jsonschema.Draft202012Validator(json.load(f))


def serve(d, schema_path):
    validator = load(schema_path)
    # read-write: the FIFO stays open between callers (no end of file when one closes it)
    req = open(os.open(os.path.join(d, "req"), os.O_RDWR), "r", encoding="utf-8")
    with open(os.path.join(d, "ready"), "w", encoding="utf-8") as f:
        f.write(f"{os.getpid()}\n")
    for line in req:
        ident, _, data_path = line.rstrip("\n").partition("\t")
        try:
            out, rc = check(validator, data_path)
        except Exception:  # what the one-file form would print before dying
            out, rc = traceback.format_exc().splitlines(), 1
        try:
            # the caller holds DIR/reply open while it waits; one that gave up is not waited for
            fd = os.open(os.path.join(d, "reply"), os.O_WRONLY | os.O_NONBLOCK)
            os.set_blocking(fd, True)
            with open(fd, "w", encoding="utf-8") as r:
                for o in out:
                    for part in o.split("\n"):
                        r.write(f"{ident}\t{part}\n")
                r.write(f"{ident}\tEND {rc}\n")
        except OSError:
            continue


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(sys.argv[2], sys.argv[3])
        return 0
    schema_path, data_path = sys.argv[1], sys.argv[2]
    out, rc = check(load(schema_path), data_path)
    for o in out:
        print(o)
    return rc


if __name__ == "__main__":
    sys.exit(main())
