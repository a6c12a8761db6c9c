#!/usr/bin/python3
"""Checks OCSF events (JSON lines) against OCSF's own schema sources.

    ocsf_check.py SCHEMA_DIR FILE

SCHEMA_DIR holds OCSF's sources (dictionary.json, categories.json, events/, objects/,
profiles/). For every event: its class (class_uid) is found and resolved as the sources say
(`extends` up to base_event, `$include` of profile and include files, the class's own
overrides of the dictionary's attributes); the profiles it applies are metadata.profiles. Then,
at every level (the event, and each object by its type, its own `extends` and `$include`):
every attribute present must exist, be of the dictionary's type (arrays where is_array, enum
values among the enum's keys), and not belong to a profile the event does not apply; every
attribute marked required must be present; an object's at_least_one and just_one constraints
must hold; category_uid and type_uid must agree with the class. Prints one line per problem
and exits 1 when there is any.
"""
import json
import os
import sys

ROOT = sys.argv[1]


def load(rel):
    with open(os.path.join(ROOT, rel)) as f:
        return json.load(f)


DICT = load("dictionary.json")
ATTRS = DICT["attributes"]
TYPES = DICT["types"]["attributes"]
CATEGORIES = {v["uid"]: k for k, v in load("categories.json")["attributes"].items()}


def find_files(sub):
    out = {}
    for dirpath, _, files in os.walk(os.path.join(ROOT, sub)):
        for fn in files:
            if fn.endswith(".json"):
                rel = os.path.relpath(os.path.join(dirpath, fn), ROOT)
                out[load(rel)["name"]] = rel
    return out


EVENT_FILES = find_files("events")
OBJECT_FILES = find_files("objects")


def merge(into, attrs, profile=None):
    """attrs over into: a key's fields override, None means keep what was there."""
    for name, spec in attrs.items():
        if name == "$include" or not isinstance(spec, dict):
            continue
        cur = dict(into.get(name, {}))
        for k, v in spec.items():
            if v is None and k != "profile":
                continue
            cur[k] = v
        if profile is not None and "profile" not in spec:
            cur["profile"] = profile
        into[name] = cur


def own_attributes(defn):
    """A definition's attributes with its $include files merged in (profiles marked)."""
    out = {}
    inc = defn.get("attributes", {}).get("$include", [])
    for rel in [inc] if isinstance(inc, str) else inc:
        part = load(rel)
        merge(out, own_attributes(part), part["name"] if rel.startswith("profiles/") else None)
    merge(out, defn.get("attributes", {}))
    return out


def resolve(files, name, seen=()):
    defn = load(files[name])
    parent = defn.get("extends")
    attrs, constraints = {}, {}
    if parent and parent != "object" and parent not in seen:
        attrs, constraints = resolve(files, parent, seen + (name,))
    merge(attrs, own_attributes(defn))
    constraints = dict(constraints)
    constraints.update(defn.get("constraints") or {})
    return attrs, constraints


CLASSES = {}
for name, rel in EVENT_FILES.items():
    d = load(rel)
    if "uid" in d and d.get("category") or d.get("extends"):
        CLASSES[name] = d


def class_by_uid(class_uid):
    for name, d in CLASSES.items():
        attrs_parent = d
        cat = d.get("category")
        # a class's category comes from itself or the file it extends
        while not cat and attrs_parent.get("extends") in EVENT_FILES:
            attrs_parent = load(EVENT_FILES[attrs_parent["extends"]])
            cat = attrs_parent.get("category")
        if cat and "uid" in d and load("categories.json")["attributes"][cat]["uid"] * 1000 + d["uid"] == class_uid:
            return name, load("categories.json")["attributes"][cat]["uid"]
    return None, None


def base_type(t):
    while t in TYPES and TYPES[t].get("type"):
        t = TYPES[t]["type"]
    return t


PY_TYPES = {
    "string_t": str, "integer_t": int, "long_t": int, "float_t": (int, float),
    "boolean_t": bool, "timestamp_t": int, "json_t": object,
}


def check_value(path, spec, value, profiles, problems):
    t = spec.get("type") or ATTRS.get(path.split(".")[-1].split("[")[0], {}).get("type")
    if spec.get("is_array"):
        if not isinstance(value, list):
            problems.append(f"{path}: an array is wanted")
            return
        for i, v in enumerate(value):
            check_scalar_or_object(f"{path}[{i}]", spec, t, v, profiles, problems)
    else:
        check_scalar_or_object(path, spec, t, value, profiles, problems)


def check_scalar_or_object(path, spec, t, value, profiles, problems):
    if t == "object":
        if not isinstance(value, dict):
            problems.append(f"{path}: an object is wanted")
        return
    if t in TYPES:
        py = PY_TYPES.get(base_type(t), object)
        if py is int and isinstance(value, bool) or not isinstance(value, py):
            problems.append(f"{path}: {value!r} is not a {t}")
            return
        # class_uid, category_uid, type_uid: checked against the class itself (check_event)
        if "enum" in spec and path not in ("class_uid", "category_uid", "type_uid") and str(value) not in spec["enum"]:
            problems.append(f"{path}: {value!r} is not one of {sorted(spec['enum'])}")
        return
    if t in OBJECT_FILES:
        if not isinstance(value, dict):
            problems.append(f"{path}: an object ({t}) is wanted")
            return
        attrs, constraints = resolve(OBJECT_FILES, t)
        check_object(path, attrs, constraints, value, profiles, problems)
        return
    problems.append(f"{path}: unknown type {t!r}")


def check_object(path, attrs, constraints, obj, profiles, problems):
    for k, v in obj.items():
        p = f"{path}.{k}" if path else k
        if k not in attrs:
            problems.append(f"{p}: not an attribute here")
            continue
        spec = dict(ATTRS.get(k, {}))
        for x, y in attrs[k].items():
            if y is None:
                continue
            if x == "enum" and "enum" in spec:
                spec["enum"] = {**spec["enum"], **y}  # a class adds to the dictionary's values
            else:
                spec[x] = y
        prof = attrs[k].get("profile")
        if prof and prof not in profiles:
            problems.append(f"{p}: an attribute of profile {prof}, not applied (metadata.profiles)")
        check_value(p, spec, v, profiles, problems)
    for k, spec in attrs.items():
        prof = spec.get("profile")
        if spec.get("requirement") == "required" and (not prof or prof in profiles) and k not in obj:
            problems.append(f"{path + '.' if path else ''}{k}: required, missing")
    if constraints.get("at_least_one"):
        names = constraints["at_least_one"]
        if not any(n in obj for n in names):
            problems.append(f"{path or 'event'}: needs at least one of {names}")
    if constraints.get("just_one"):
        names = constraints["just_one"]
        if sum(n in obj for n in names) != 1:
            problems.append(f"{path or 'event'}: needs exactly one of {names}")


def check_event(ev):
    problems = []
    name, cat_uid = class_by_uid(ev.get("class_uid"))
    if not name:
        return [f"class_uid {ev.get('class_uid')!r}: no such class"]
    attrs, constraints = resolve(EVENT_FILES, name)
    profiles = set((ev.get("metadata") or {}).get("profiles") or [])
    if ev.get("category_uid") != cat_uid:
        problems.append(f"category_uid {ev.get('category_uid')!r}: the class's is {cat_uid}")
    if ev.get("type_uid") != ev.get("class_uid", 0) * 100 + ev.get("activity_id", -1):
        problems.append(f"type_uid {ev.get('type_uid')!r}: want class_uid * 100 + activity_id")
    check_object("", attrs, constraints, ev, profiles, problems)
    return problems


def main():
    bad = 0
    with open(sys.argv[2]) as f:
        for n, line in enumerate(f, 1):
            for p in check_event(json.loads(line)):
                print(f"line {n}: {p}")
                bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
