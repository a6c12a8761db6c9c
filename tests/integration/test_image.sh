# shellcheck shell=bash
# The image's tree and its SBOM, without Docker (make image-rootfs; the image itself is
# test_docker.sh's): the SBOM is SPDX 2.3 JSON listing exactly the Debian packages, of the
# image's architecture, that ship the shared objects in the tree (found here with dpkg -S), at
# the versions dpkg-query says, every file with its digests, and each package's licences read
# from its DEP-5 copyright file as SPDX expressions of SPDX's own identifiers (Debian's
# node-spdx-license-ids and node-spdx-exceptions hold the lists); tools/dist/buildinfo.sh's
# revision and URL in repositories of the test's own. No BPF, no daemon.

needs() {
	requires cmd:jq cmd:git cmd:readelf=binutils \
		file:/usr/share/nodejs/spdx-license-ids/index.json=node-spdx-license-ids \
		file:/usr/share/nodejs/spdx-exceptions/index.json=node-spdx-exceptions
}

# make_here [MAKE ARGS...]: make as `make` makes it, whatever the make running the suite was
# given (make test SANITIZE=1 passes SANITIZE through MAKEFLAGS)
make_here() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE make -s "$@" > "$T/make.log" 2>&1 ||
		{ fail "make $*: $(tail -5 "$T/make.log")"; return 1; }
}

# tools/dist/buildinfo.sh in a repository of the test's own: the commit, -dirty once a tracked
# file changes (not for an untracked one), unknown outside git and inside another repository;
# the remote's URL without its password, host:path as ssh://, nothing for a local folder or
# without a remote
test_buildinfo_revision_and_source() {
	local r=$T/repo c url want
	mkdir -p "$r/tools/dist" && cp tools/dist/buildinfo.sh "$r/tools/dist/" &&
	git -C "$r" init -q && git -C "$r" add -A &&
	git -C "$r" -c user.name=t -c user.email=t@example.org commit -qm one || { fail "git init"; return 1; }
	c=$(git -C "$r" rev-parse HEAD)
	assert_eq "$c" "$(bash "$r/tools/dist/buildinfo.sh" revision)" "revision of a clean tree" || return 1
	touch "$r/untracked"
	assert_eq "$c" "$(bash "$r/tools/dist/buildinfo.sh" revision)" "revision with an untracked file" || return 1
	echo "# changed" >> "$r/tools/dist/buildinfo.sh"
	assert_eq "$c-dirty" "$(bash "$r/tools/dist/buildinfo.sh" revision)" "revision of a changed tree" || return 1
	assert_eq "" "$(bash "$r/tools/dist/buildinfo.sh" source)" "source without a remote" || return 1
	while read -r url want; do
		git -C "$r" remote remove origin 2>/dev/null
		git -C "$r" remote add origin "$url"
		assert_eq "$want" "$(bash "$r/tools/dist/buildinfo.sh" source)" "source of remote $url" || return 1
	done <<-EOF
		https://user:secret@example.org/uw/userns-watch.git https://example.org/uw/userns-watch.git
		git@example.org:uw/userns-watch.git ssh://example.org/uw/userns-watch.git
		/srv/git/userns-watch.git
		file:///srv/git/userns-watch.git
	EOF
	# not a checkout of its own: a copy outside git, a folder inside another repository
	mkdir -p "$T/plain/tools/dist" "$r/sub/tools/dist" &&
	cp tools/dist/buildinfo.sh "$T/plain/tools/dist/" && cp tools/dist/buildinfo.sh "$r/sub/tools/dist/"
	assert_eq unknown "$(bash "$T/plain/tools/dist/buildinfo.sh" revision)" "revision outside git" &&
	assert_eq unknown "$(bash "$r/sub/tools/dist/buildinfo.sh" revision)" "revision inside another repository" &&
	assert_eq "" "$(bash "$r/sub/tools/dist/buildinfo.sh" source)" "source inside another repository"
}

# Debian's licence names turned into SPDX: or/and with DEP-5's comma, GNU versions (+: or later),
# Expat as MIT, a known exception with WITH, names of no SPDX meaning as LicenseRefs with the text
# the file gives, each expression once; a file that is not DEP-5 (or is malformed) says
# NOASSERTION
test_sbom_licences_from_copyright_files() {
	local out format
	# the Format line as Debian writes it (DEP-5's own address), from a package's file
	format=$(grep -h -m1 '^Format: .*copyright-format/1\.0' /usr/share/doc/zlib1g/copyright /usr/share/doc/libjansson4/copyright | head -n 1)
	[ -n "$format" ] || { fail "no DEP-5 Format line in zlib1g's or libjansson4's copyright file"; return 1; }
	{ echo "$format"; cat; } > "$T/dep5" <<-'EOF'
		Upstream-Name: demo

		Files: *
		Copyright: 2020 A
		License: GPL-2+ or Artistic-2.0, and BSD-3-clause

		Files: lib/*
		Copyright: 2021 B
		License: LGPL-2.1
		 The text of this one is here.

		Files: include/uapi/*
		Copyright: 2022 C
		License: GPL-2 with Linux-syscall-note exception

		Files: extra/*
		Copyright: 2023 D
		License: permissive

		Files: odd/*
		Copyright: 2023 E
		License: GPL-2+ with distribution exception

		Files: dup/*
		Copyright: 2023 F
		License: Expat

		Files: more/*
		Copyright: 2023 F
		License: MIT or LGPL-3+

		License: permissive
		 Do what you like with it.
		 .
		 No warranty.
	EOF
	out=$(/usr/bin/python3 tools/dist/image/sbom.py licence demo "$T/dep5") || { fail "sbom.py licence"; return 1; }
	assert_eq "(GPL-2.0-or-later OR Artistic-2.0) AND BSD-3-Clause AND LGPL-2.1-only AND GPL-2.0-only WITH Linux-syscall-note AND LicenseRef-demo-permissive AND LicenseRef-demo-GPL-2-with-distribution-exception AND MIT AND (MIT OR LGPL-3.0-or-later)" \
		"$(jq -r .licenseDeclared <<<"$out")" "the DEP-5 file's expression" &&
	assert_eq '{"LicenseRef-demo-permissive":{"name":"permissive","text":"Do what you like with it.\n\nNo warranty."},"LicenseRef-demo-GPL-2-with-distribution-exception":{"name":"GPL-2+ with distribution exception","text":"The licence named \"GPL-2+ with distribution exception\" in '"$T"'/dep5, which gives no text for it."}}' \
		"$(jq -c .refs <<<"$out")" "its LicenseRefs" || return 1
	printf 'This is the Debian package of demo.\n\nIt is under the GPL, version 2 or later.\n' > "$T/prose"
	assert_eq '{"licenseDeclared":"NOASSERTION","refs":{}}' "$(/usr/bin/python3 tools/dist/image/sbom.py licence demo "$T/prose" | jq -c .)" "a copyright file in prose" || return 1
	printf '%s\n\nFiles: *\nLicense: MIT\nthis line is no field\n' "$format" > "$T/broken"
	assert_eq '{"licenseDeclared":"NOASSERTION","refs":{}}' "$(/usr/bin/python3 tools/dist/image/sbom.py licence demo "$T/broken" | jq -c .)" "a malformed DEP-5 file"
}

# check_sbom DIR DEB_ARCH: DIR's tree (DIR/rootfs) and its SBOM (DIR/sbom.spdx.json) against what
# this machine says of them
check_sbom() {
	local dir=$1 arch=$2 f c p line owners="" out
	# the expected packages: each shared object's owner of this architecture, by dpkg -S
	for f in $(cd "$dir/rootfs" && find . -type f -name '*.so*' | sed 's/^\.//' | sort); do
		p=""
		for c in "$f" "/usr${f#/usr}" "${f#/usr}" "$(readlink -f "$f")" "/usr$(readlink -f "$f" | sed 's|^/usr||')"; do
			line=$(dpkg -S "$c" 2>/dev/null | head -n 1) || continue
			p=$(tr ',' '\n' <<<"${line%%: /*}" | tr -d ' ' | grep -m1 ":$arch\$") && break
		done
		[ -n "$p" ] || { fail "dpkg -S: no $arch package ships $f"; return 1; }
		owners+="$f	$p	$(dpkg-query -W -f '${Version}' "$p")"$'\n'
	done
	printf '%s' "$owners" > "$T/owners.tsv"
	cmp -s "$dir/sbom.spdx.json" "$dir/rootfs/usr/share/doc/userns-watch/sbom.spdx.json" ||
		{ fail "the SBOM in the tree is not the one beside it"; return 1; }
	out=$(/usr/bin/python3 - "$dir" "$arch" "$T/owners.tsv" "$(uw_version)" "$(git_revision)" <<'PY' 2>&1
import hashlib, json, os, re, sys
d, arch, owners_tsv, version, revision = sys.argv[1:]
doc = json.load(open(os.path.join(d, "sbom.spdx.json")))
root = os.path.join(d, "rootfs")
created = open(os.path.join(d, "created")).read().strip()
ids = json.load(open("/usr/share/nodejs/spdx-license-ids/index.json"))
deprecated = json.load(open("/usr/share/nodejs/spdx-license-ids/deprecated.json"))
exceptions = json.load(open("/usr/share/nodejs/spdx-exceptions/index.json"))
sbom_path = "/usr/share/doc/userns-watch/sbom.spdx.json"

def eq(want, got, what):
    assert want == got, f"{what}: expected {want!r}, got {got!r}"

eq("SPDX-2.3", doc["spdxVersion"], "spdxVersion")
eq("CC0-1.0", doc["dataLicense"], "dataLicense")
eq("SPDXRef-DOCUMENT", doc["SPDXID"], "SPDXID")
eq(f"userns-watch-{version}-{arch}", doc["name"], "name")
assert re.fullmatch(rf"https://spdx\.org/spdxdocs/userns-watch-{re.escape(version)}-{arch}-[0-9a-f-]{{36}}",
                    doc["documentNamespace"]), doc["documentNamespace"]
eq(created, doc["creationInfo"]["created"], "created")
eq([f"Tool: userns-watch-sbom.py-{version}"], doc["creationInfo"]["creators"], "creators")

# every element once, every reference to one that exists
elems = [p["SPDXID"] for p in doc["packages"]] + [f["SPDXID"] for f in doc["files"]]
eq(len(elems), len(set(elems)), "unique SPDXIDs")
assert all(re.fullmatch(r"SPDXRef-[A-Za-z0-9.-]+", e) for e in elems), "SPDXID form"
known = set(elems) | {"SPDXRef-DOCUMENT"}
for r in doc["relationships"]:
    assert r["spdxElementId"] in known and r["relatedSpdxElement"] in known, r
rels = {(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"]) for r in doc["relationships"]}
assert ("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image") in rels, "DESCRIBES the image"

# the files: exactly the tree's but the SBOM itself, with their digests
tree = {}
for dp, _, names in os.walk(root):
    for n in names:
        full = os.path.join(dp, n)
        tree["/" + os.path.relpath(full, root)] = open(full, "rb").read()
del tree[sbom_path]
files = {f["fileName"][1:]: f for f in doc["files"]}
eq(sorted(tree), sorted(files), "the files listed")
for path, data in tree.items():
    sums = {c["algorithm"]: c["checksumValue"] for c in files[path]["checksums"]}
    eq({"SHA1": hashlib.sha1(data).hexdigest(), "SHA256": hashlib.sha256(data).hexdigest()}, sums, path)
(image,) = [p for p in doc["packages"] if p["SPDXID"] == "SPDXRef-Image"]
eq(sorted(f["SPDXID"] for f in doc["files"]), sorted(image["hasFiles"]), "the image's files")
eq(hashlib.sha1("".join(sorted(hashlib.sha1(v).hexdigest() for v in tree.values())).encode()).hexdigest(),
   image["packageVerificationCode"]["packageVerificationCodeValue"], "verification code")
eq(["." + sbom_path], image["packageVerificationCode"]["packageVerificationCodeExcludedFiles"], "excluded")
eq(f"userns-watch:{version}-{arch}", image["name"], "the image's name")

# userns-watch itself
(app,) = [p for p in doc["packages"] if p["SPDXID"] == "SPDXRef-Package-userns-watch"]
eq((version, "APPLICATION", "LGPL-2.1 OR BSD-2-Clause", f"built from revision {revision}"),
   (app["versionInfo"], app["primaryPackagePurpose"], app["licenseDeclared"], app["sourceInfo"]), "userns-watch")
assert (files["/usr/sbin/userns-watch"]["SPDXID"], "GENERATED_FROM", app["SPDXID"]) in rels, "the binary's package"

# the Debian packages: exactly the shared objects' owners, at dpkg-query's versions
owners = [line.rstrip("\n").split("\t") for line in open(owners_tsv)]
want = sorted({(p.split(":")[0], v) for _, p, v in owners})
debs = [p for p in doc["packages"] if p["SPDXID"].startswith("SPDXRef-Package-deb-")]
eq(want, sorted((p["name"], p["versionInfo"]) for p in debs), "packages and versions")
by_name = {p["name"]: p for p in debs}
for path, p, v in owners:
    name = p.split(":")[0]
    assert (files[path]["SPDXID"], "EXPANDED_FROM_ARCHIVE", by_name[name]["SPDXID"]) in rels, f"{path} from {p}"
    purl = by_name[name]["externalRefs"][0]["referenceLocator"]
    assert purl.startswith(f"pkg:deb/debian/{name}@") and f"arch={arch}" in purl, purl

# licences: SPDX's identifiers (never deprecated ones), exceptions after WITH, or a LicenseRef
# the document defines; known ones exactly
refs = {e["licenseId"] for e in doc.get("hasExtractedLicensingInfos", [])}
for p in debs:
    e = p["licenseDeclared"]
    if e == "NOASSERTION":
        continue
    toks = re.findall(r"[^\s()]+", e)
    for i, t in enumerate(toks):
        if t in ("AND", "OR", "WITH"):
            continue
        if i > 0 and toks[i - 1] == "WITH":
            assert t in exceptions, f"{p['name']}: exception {t}"
        elif t.startswith("LicenseRef-"):
            assert t in refs, f"{p['name']}: {t} undefined"
        else:
            assert t in ids, f"{p['name']}: {t} is not an SPDX licence identifier"
for name, lic in {"zlib1g": "Zlib", "libjansson4": "MIT", "libseccomp2": "LGPL-2.1-only",
                  "libc6": "NOASSERTION"}.items():
    eq(lic, by_name[name]["licenseDeclared"], f"{name}'s licence")
assert set(app["licenseDeclared"].split(" OR ")) <= set(ids) | set(deprecated), app["licenseDeclared"]
print(len(debs))
PY
) || { fail "the SBOM of $dir: $out"; return 1; }
	echo "    $arch: $out Debian packages" >&2
}

# make image-rootfs: the tree and its SBOM, as above; made again on an unchanged tree, the same
# SBOM byte for byte
test_image_rootfs_sbom() {
	make_here image-rootfs || return 1
	check_sbom .output/image amd64 || return 1
	cp .output/image/sbom.spdx.json "$T/sbom-1.json"
	make_here image-rootfs || return 1
	cmp -s "$T/sbom-1.json" .output/image/sbom.spdx.json || { fail "the SBOM changed on an unchanged tree"; return 1; }
}

# make ARCH=arm64 image-rootfs: the arm64 packages' libraries (every ELF file AArch64) and an SBOM
# of them
test_image_rootfs_sbom_arm64() {
	local f bad=""
	requires cmd:aarch64-linux-gnu-gcc=gcc-aarch64-linux-gnu file:/lib/ld-linux-aarch64.so.1=libc6:arm64 || return 77
	make_here ARCH=arm64 image-rootfs || return 1
	for f in $(find .output/arm64/image/rootfs -type f \( -name '*.so*' -o -path '*/sbin/*' \)); do
		[ "$(readelf -h "$f" | sed -n 's/^ *Machine: *//p')" = AArch64 ] || bad+=" $f"
	done
	assert_eq "" "$bad" "files of the arm64 tree that are not AArch64" || return 1
	check_sbom .output/arm64/image arm64
}
