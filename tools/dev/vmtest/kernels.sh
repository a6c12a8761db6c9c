# shellcheck shell=bash
# Debian's cloud kernels for the vmtest guests and for make vmlinux (tools/dev/vmlinux.sh), fetched
# with apt: the machine's own configuration for its own architecture's 6.1, else a private one
# (another suite, another architecture) whose URI is read from the machine's own. Sourced;
# W is the cache directory (kernels in $W/kernels, packages in $W/debs).

# Debian's archive as this machine's own apt configuration names it (deb822 .sources files, or
# sources.list): the repository names no registry host
debian_uri() {
	local u
	u=$(awk 'tolower($1) == "uris:" {u=$2} tolower($1) == "suites:" && u != "" {
			for (i = 2; i <= NF; i++) if ($i == "bookworm") {print u; exit}
		} /^$/ {u=""}' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
	[ -n "$u" ] || u=$(awk '$1 == "deb" && $0 ~ / bookworm / {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' \
			/etc/apt/sources.list 2>/dev/null | head -n 1)
	echo "$u"
}

# a private apt configuration for one more suite (the machine's own sources stay as they are)
apt_opts() { # DIR
	echo -o Dir::Etc::SourceList="$1/sources.list" -o Dir::Etc::SourceParts=- \
		-o Dir::State::Lists="$1/lists" -o Dir::Cache="$1/cache" -o Debug::NoLocking=1
}

fetch_kernel() { # ARCH VERSION -> path of vmlinuz
	mkdir -p "$W/debs" "$W/kernels"
	local arch=$1 v=$2 pkg="" deb dir uri suite a deb_arch
	deb_arch=$([ "$arch" = arm64 ] && echo arm64 || echo amd64)
	dir=$W/kernels/$arch-$v
	if ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1; then ls "$dir"/boot/vmlinuz-* | head -n 1; return 0; fi
	case $v in
	6.1) suite="" ;;
	5.10) suite=bullseye ;;
	*) suite=bookworm-backports ;;
	esac
	if [ -z "$suite" ] && [ "$deb_arch" = amd64 ]; then
		pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' | awk '{print $1}' | sort -V | tail -n 1)
		(cd "$W/debs" && apt-get download "$pkg" >/dev/null 2>&1)
	else
		suite=${suite:-bookworm}
		a=$PWD/$W/apt-$deb_arch-$suite
		mkdir -p "$a/lists/partial" "$a/cache/archives/partial"
		uri=$(debian_uri)
		[ -n "$uri" ] || { echo "vmtest: no Debian bookworm source in this machine's apt configuration" >&2; return 1; }
		echo "deb [arch=$deb_arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" > "$a/sources.list"
		local o=(-o "APT::Architectures=$deb_arch" -o "APT::Architecture=$deb_arch" $(apt_opts "$a"))
		apt-get "${o[@]}" update -qq >/dev/null 2>&1
		pkg=$(apt-cache "${o[@]}" pkgnames "linux-image-$v." | grep -E "^linux-image-${v//./\\.}\.[0-9]+.*-cloud-$deb_arch$" | sort -V | tail -n 1)
		[ -n "$pkg" ] && (cd "$W/debs" && apt-get "${o[@]}" download "$pkg:$deb_arch" >/dev/null 2>&1)
	fi
	deb=$(ls "$W"/debs/"$pkg"_*.deb 2>/dev/null | head -n 1)
	[ -n "$pkg" ] && [ -f "$deb" ] || { echo "vmtest: cannot download a $arch $v cloud kernel" >&2; return 1; }
	mkdir -p "$dir" && dpkg-deb -x "$deb" "$dir"
	ls "$dir"/boot/vmlinuz-* | head -n 1
}
