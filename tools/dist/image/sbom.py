#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""make image: the image's software bill of materials, SPDX 2.3 JSON.

  sbom.py write --rootfs DIR --files DIR.files --arch DEB_ARCH --name NAME --version V
                --revision R --source URL --created T --license EXPR OUT...
      Writes the SBOM of the tree DIR (tools/dist/image/rootfs.sh made it, and DIR.files says
      where each file is from) to each OUT; an OUT below DIR is the copy the image holds, and is
      left out of the files it lists.
  sbom.py licence PKG COPYRIGHT
      Prints, as JSON, the licence expression the SBOM gives the package PKG whose copyright file
      is COPYRIGHT, and each LicenseRef it defines with its name and text (the tests ask).

What it says:
  - the image (a package, CONTAINER): every file in it, with SHA-1 and SHA-256;
  - userns-watch (APPLICATION): its version, the revision it was built from, its licence;
  - each Debian package a file was taken from (the packages that ship the shared objects, of the
    image's architecture): its version and source package as dpkg-query says them, a purl, and
    its licences: every License: field of the Files paragraphs of its copyright file where that
    file is machine-readable (DEP-5), Debian's short names turned into SPDX identifiers where
    one means the same, else a LicenseRef with the text the file gives; NOASSERTION where the
    copyright file is not machine-readable;
  - which file came from which package (EXPANDED_FROM_ARCHIVE; the binary GENERATED_FROM
    userns-watch).
Python's standard library only; the same input gives the same document byte for byte.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import uuid

SBOM_IN_IMAGE = "/usr/share/doc/userns-watch/sbom.spdx.json"

# ---- Debian's licence short names (DEP-5) as SPDX expressions ----

# names that mean exactly one SPDX licence (lower case)
SIMPLE = {
    "apache-2.0": "Apache-2.0",
    "artistic-2.0": "Artistic-2.0",
    "bsd-2-clause": "BSD-2-Clause",
    "bsd-3-clause": "BSD-3-Clause",
    "bsd-4-clause": "BSD-4-Clause",
    "cc0-1.0": "CC0-1.0",
    "expat": "MIT",
    "mit": "MIT",
    "isc": "ISC",
    "mpl-1.1": "MPL-1.1",
    "mpl-2.0": "MPL-2.0",
    "x11": "X11",
    "zlib": "Zlib",
}
# the GNU licences: NAME-VERSION, + for "or later"; the versions each has
GNU = {"gpl": ("GPL", {"1.0", "2.0", "3.0"}), "lgpl": ("LGPL", {"2.0", "2.1", "3.0"}),
       "agpl": ("AGPL", {"3.0"}), "gfdl": ("GFDL", {"1.1", "1.2", "1.3"})}
GNU_RE = re.compile(r"^(a?gpl|lgpl|gfdl)-(\d+(?:\.\d+)?)(\+?)$", re.I)


def gnu(name):
    m = GNU_RE.match(name)
    if not m:
        return None
    family, versions = GNU[m.group(1).lower()]
    v = m.group(2) if "." in m.group(2) else m.group(2) + ".0"
    if v not in versions:
        return None
    return f"{family}-{v}-{'or-later' if m.group(3) else 'only'}"


def exception(lic, words):
    """The SPDX exception of "with WORDS exception" after licence lic, or None."""
    w = " ".join(words).lower()
    if w == "linux-syscall-note":
        return "Linux-syscall-note"
    if w == "bison" and lic.startswith("GPL-3.0"):
        return "Bison-exception-2.2"
    if w == "autoconf" and lic.startswith("GPL-3.0"):
        return "Autoconf-exception-3.0"
    if w == "autoconf" and lic.startswith("GPL-2.0"):
        return "Autoconf-exception-2.0"
    return None


class Licences:
    """One package's licences: SPDX expressions, and the LicenseRefs they use."""

    def __init__(self, pkg, path, texts):
        self.pkg, self.path, self.texts = pkg, path, texts
        self.refs = {}  # LicenseRef id -> (Debian name, text)

    def ref(self, name):
        rid = "LicenseRef-" + re.sub(r"[^A-Za-z0-9.-]+", "-", f"{self.pkg}-{name}")
        text = self.texts.get(name.lower()) or (
            f'The licence named "{name}" in {self.path}, which gives no text for it.')
        self.refs.setdefault(rid, (name, text))
        return rid

    def term(self, words):
        """NAME [with X exception] as SPDX; a name of no SPDX meaning as a LicenseRef."""
        if not words:
            raise ValueError("no licence name")
        name = words[0]
        lic = SIMPLE.get(name.lower()) or gnu(name)
        if len(words) == 1:
            return lic or self.ref(name)
        if len(words) >= 4 and words[1].lower() == "with" and words[-1].lower() == "exception":
            exc = exception(lic, words[2:-1]) if lic else None
            return f"{lic} WITH {exc}" if exc else self.ref(" ".join(words))
        raise ValueError("two names without an operator")

    def part(self, text):
        """A OR B AND C (DEP-5 gives "and" precedence over "or", as SPDX does)."""
        out, words = [], []
        for w in text.split():
            if w.lower() in ("or", "and"):
                out += [self.term(words), w.upper()]
                words = []
            else:
                words.append(w)
        out.append(self.term(words))
        return " ".join(out)

    def field(self, value):
        """A License: field's first line; a comma before "and"/"or" groups what precedes it."""
        try:
            parts = re.split(r",\s*(and|or)\s+", value.strip(), flags=re.I)
            if any("," in p for p in parts[::2]):
                raise ValueError("a comma not before and/or")
            exprs = [self.part(p) for p in parts[::2]]
            if len(exprs) == 1:
                return exprs[0]
            out = [paren(exprs[0])]
            for op, e in zip(parts[1::2], exprs[1:]):
                out += [op.upper(), paren(e)]
            return " ".join(out)
        except ValueError:
            return self.ref(value.strip())


def paren(e):
    """e, in parentheses where an OR stands outside any (AND binds first: A AND B needs none)."""
    depth = 0
    for i, c in enumerate(e):
        depth += (c == "(") - (c == ")")
        if depth == 0 and e.startswith(" OR ", i):
            return f"({e})"
    return e


def paragraphs(text):
    """deb822 paragraphs: {field (lower case): value}; None where it is not deb822."""
    paras, cur, last = [], {}, None
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                paras.append(cur)
            cur, last = {}, None
        elif line[0] in " \t":
            if last is None:
                return None
            cur[last] += "\n" + line
        elif ":" in line:
            k, v = line.split(":", 1)
            last = k.strip().lower()
            cur[last] = v.strip()
        else:
            return None
    if cur:
        paras.append(cur)
    return paras


def body(value):
    """A field's text after its first line (" ." is an empty line)."""
    lines = value.split("\n")[1:]
    return "\n".join("" if ln.strip() == "." else ln[1:] if ln[:1] in " \t" else ln
                     for ln in lines).strip("\n")


def licences(pkg, path):
    """(licenseDeclared, {LicenseRef: (name, text)}) of a package from its copyright file."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            paras = paragraphs(f.read())
    except FileNotFoundError:
        return "NOASSERTION", {}
    if not paras or "copyright-format/1.0" not in paras[0].get("format", ""):
        return "NOASSERTION", {}
    texts = {}  # licence name (lower case) -> its text: stand-alone paragraphs, then Files'
    for p in paras:
        if "license" in p and "files" not in p and body(p["license"]):
            texts.setdefault(p["license"].split("\n")[0].strip().lower(), body(p["license"]))
    for p in paras:
        if "license" in p and "files" in p and body(p["license"]):
            texts.setdefault(p["license"].split("\n")[0].strip().lower(), body(p["license"]))
    lic = Licences(pkg, path, texts)
    exprs = []
    for p in paras:
        if "files" in p and "license" in p:
            first = p["license"].split("\n")[0].strip()
            if first:
                e = lic.field(first)
                if e not in exprs:
                    exprs.append(e)
    if not exprs:
        return "NOASSERTION", {}
    return (exprs[0] if len(exprs) == 1 else " AND ".join(paren(e) for e in exprs)), lic.refs


# ---- the document ----

def spdx_id(kind, name):
    return f"SPDXRef-{kind}-" + re.sub(r"[^A-Za-z0-9.-]+", "-", name.strip("/"))


def digests(path):
    with open(path, "rb") as f:
        data = f.read()
    return hashlib.sha1(data).hexdigest(), hashlib.sha256(data).hexdigest(), data[:4] == b"\x7fELF"


def dpkg(pkg):
    """Version, source package and its version of PKG:ARCH as dpkg-query says them."""
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}\t${source:Package}\t${source:Version}", pkg],
                         check=True, capture_output=True, text=True).stdout
    return out.split("\t")


def distro():
    rel = {}
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    rel[k] = v.strip('"')
    except FileNotFoundError:
        pass
    return rel.get("ID", "debian"), rel.get("VERSION_ID", "")


def purl(name, version, arch):
    os_id, os_version = distro()
    q = f"arch={arch}" + (f"&distro={os_id}-{os_version}" if os_version else "")
    enc = "".join(c if c.isalnum() or c in ".-_~" else "%%%02X" % ord(c) for c in version)
    return f"pkg:deb/{os_id}/{name}@{enc}?{q}"


def download_location(source, revision):
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", source or ""):
        return "NOASSERTION"
    loc = source if source.startswith("git+") else "git+" + source
    return loc + ("@" + revision if re.fullmatch(r"[0-9a-f]{40}", revision) else "")


def document(a):
    origin = {}  # file in the image -> "userns-watch" or PKG:ARCH
    with open(a.files) as f:
        for line in f:
            path, src = line.rstrip("\n").split("\t")
            origin[path] = src
    outs_inside = {"/" + os.path.relpath(os.path.abspath(o), os.path.abspath(a.rootfs))
                   for o in a.out if os.path.abspath(o).startswith(os.path.abspath(a.rootfs) + os.sep)}
    files, rels, sha1s = [], [], []
    image_id = "SPDXRef-Image"
    app_id = "SPDXRef-Package-userns-watch"
    debs = {}  # PKG:ARCH -> SPDX id
    for dirpath, dirnames, names in os.walk(a.rootfs):
        dirnames.sort()
        for n in sorted(names):
            full = os.path.join(dirpath, n)
            path = "/" + os.path.relpath(full, a.rootfs)
            if path in outs_inside:
                continue
            if path not in origin:
                sys.exit(f"sbom.py: {path} is in the tree but not in {a.files}")
            sha1, sha256, elf = digests(full)
            fid = spdx_id("File", path)
            files.append({
                "fileName": "." + path,
                "SPDXID": fid,
                "fileTypes": ["BINARY" if elf else "TEXT"],
                "checksums": [{"algorithm": "SHA1", "checksumValue": sha1},
                              {"algorithm": "SHA256", "checksumValue": sha256}],
                "licenseConcluded": "NOASSERTION",
                "copyrightText": "NOASSERTION",
            })
            sha1s.append(sha1)
            src = origin[path]
            if src == "userns-watch":
                rels.append((fid, "GENERATED_FROM", app_id))
            else:
                debs.setdefault(src, spdx_id("Package-deb", src.replace(":", "-")))
                rels.append((fid, "EXPANDED_FROM_ARCHIVE", debs[src]))
    missing = set(origin) - {f["fileName"][1:] for f in files}
    if missing:
        sys.exit(f"sbom.py: in {a.files} but not in the tree: {' '.join(sorted(missing))}")

    platform = f"linux/{a.arch}"
    packages = [{
        "name": f"{a.name}:{a.version}-{a.arch}",
        "SPDXID": image_id,
        "versionInfo": a.version,
        "primaryPackagePurpose": "CONTAINER",
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": True,
        "packageVerificationCode": {
            "packageVerificationCodeValue": hashlib.sha1("".join(sorted(sha1s)).encode()).hexdigest(),
            "packageVerificationCodeExcludedFiles": ["." + p for p in sorted(outs_inside)],
        },
        "hasFiles": [f["SPDXID"] for f in files],
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "comment": f"The {platform} image make image builds (FROM scratch).",
    }, {
        "name": "userns-watch",
        "SPDXID": app_id,
        "versionInfo": a.version,
        "primaryPackagePurpose": "APPLICATION",
        "downloadLocation": download_location(a.source, a.revision),
        "sourceInfo": f"built from revision {a.revision}",
        "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": a.license,
        "copyrightText": "NOASSERTION",
    }]
    extracted = []
    for pkg in sorted(debs):
        name, arch = pkg.split(":")
        version, src, src_version = dpkg(pkg)
        copyright_file = f"/usr/share/doc/{name}/copyright"
        declared, refs = licences(name, copyright_file)
        p = {
            "name": name,
            "SPDXID": debs[pkg],
            "versionInfo": version,
            "supplier": "Organization: Debian",
            "primaryPackagePurpose": "LIBRARY",
            "downloadLocation": "NOASSERTION",
            "sourceInfo": f"built from Debian source package {src} {src_version}",
            "filesAnalyzed": False,
            "licenseConcluded": "NOASSERTION",
            "licenseDeclared": declared,
            "copyrightText": "NOASSERTION",
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                              "referenceLocator": purl(name, version, arch)}],
        }
        p["licenseComments"] = (
            f"Every License: field of the Files paragraphs of {copyright_file} (DEP-5), which "
            "covers the whole source package, joined with AND." if declared != "NOASSERTION" else
            f"{copyright_file} is not machine-readable (DEP-5).")
        packages.append(p)
        for rid, (lname, text) in refs.items():
            extracted.append({"licenseId": rid, "name": lname, "extractedText": text,
                              "comment": f"from {copyright_file}"})

    relationships = [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                      "relatedSpdxElement": image_id}]
    relationships += [{"spdxElementId": image_id, "relationshipType": "CONTAINS",
                       "relatedSpdxElement": p["SPDXID"]} for p in packages[1:]]
    relationships += [{"spdxElementId": x, "relationshipType": r, "relatedSpdxElement": y}
                      for x, r, y in rels]

    ident = f"{a.name}-{a.version}-{a.arch}"
    seed = json.dumps([ident, a.revision, a.created, sorted(sha1s)])
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": ident,
        "documentNamespace": f"https://spdx.org/spdxdocs/{ident}-{uuid.uuid5(uuid.NAMESPACE_URL, seed)}",
        "creationInfo": {
            "created": a.created,
            "creators": [f"Tool: userns-watch-sbom.py-{a.version}"],
            "comment": f"What the {platform} image of userns-watch {a.version} holds "
                       f"(revision {a.revision}): tools/dist/image/sbom.py.",
        },
        "packages": packages,
        "files": files,
        "relationships": relationships,
    }
    if extracted:
        doc["hasExtractedLicensingInfos"] = extracted
    return doc


def main():
    ap = argparse.ArgumentParser(description="the image's SBOM (SPDX 2.3 JSON)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    for opt in ("rootfs", "files", "arch", "name", "version", "revision", "created", "license"):
        w.add_argument("--" + opt, required=True)
    w.add_argument("--source", default="")
    w.add_argument("out", nargs="+")
    lc = sub.add_parser("licence")
    lc.add_argument("pkg")
    lc.add_argument("copyright")
    a = ap.parse_args()
    if a.cmd == "licence":
        declared, refs = licences(a.pkg, a.copyright)
        print(json.dumps({"licenseDeclared": declared,
                          "refs": {rid: {"name": n, "text": t} for rid, (n, t) in refs.items()}}))
        return
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a.created):
        sys.exit(f"sbom.py: --created {a.created}: want YYYY-MM-DDThh:mm:ssZ")
    text = json.dumps(document(a), indent=1, ensure_ascii=False) + "\n"
    for o in a.out:
        os.makedirs(os.path.dirname(os.path.abspath(o)), exist_ok=True)
        with open(o + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(o + ".tmp", o)


if __name__ == "__main__":
    main()
