#!/usr/bin/python3
"""Validates every line of a JSON-lines file against include/userns-watch.schema.json.

Uses Debian's python3-jsonschema (run with /usr/bin/python3). Prints the first errors and
exits 1 if any line is not valid JSON or does not match the schema.
"""
import json
import sys

import jsonschema

schema_path, data_path = sys.argv[1], sys.argv[2]
with open(schema_path, encoding="utf-8") as f:
    schema = json.load(f)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
lines = 0
with open(data_path, "rb") as f:
    for n, raw in enumerate(f, 1):
        lines += 1
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            print(f"line {n}: not valid JSON: {e}")
            bad += 1
            continue
        for err in validator.iter_errors(obj):
            print(f"line {n}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
            bad += 1
if lines == 0:
    print("no lines to validate")
    sys.exit(1)
sys.exit(1 if bad else 0)
