#!/bin/bash
# Resolve and fetch the Debian kernels kvalab is tested on.
#
#   kernels.sh release [--apt] 6.1|6.12...
#                                 print the current release(s), e.g. 6.1.0-56-amd64,
#                                 one line per series (--apt: no fallback)
#   kernels.sh fetch 6.1|6.12     download + extract the image (no install), print vmlinuz
#   kernels.sh headers 6.1|6.12   print the KDIR to build modules against; for 6.12
#                                 download + extract the headers into the cache (once)
#   kernels.sh update             refresh the private bookworm-backports apt lists
#
# 6.1 is bookworm's generic amd64 flavour, 6.12 is bookworm-backports' cloud flavour.
# Debian bumps the ABI number in these names with security updates, so the release is
# resolved through the metapackages (linux-image-amd64, linux-image-cloud-amd64).
#
# Nothing is installed on the host and its apt configuration is not touched.
# 6.1 comes from the host's own apt lists (bookworm); its headers are installed
# by scripts/deps.sh from bookworm. Everything of 6.12 comes from a private apt
# setup in the cache ($cache/apt: its own sources.list with only
# bookworm-backports, lists, package cache and an empty dpkg status), used only
# by apt-cache and apt-get download; it needs no root. Debian's 6.12 headers
# depend on their image, so they are never installed: their three packages
# (linux-headers-<release>, the -common and the linux-kbuild one it depends on)
# are unpacked with dpkg-deb -x into one folder.
#
# Without usable apt lists, release falls back to the newest kernel already in
# the cache (6.12) or the newest /lib/modules/<release> with a `build` link (6.1).
#
# Cache layout, ${KVALAB_CACHE:-$HOME/.cache/kvalab}/kernels/<release>/:
#   boot/      vmlinuz, config, System.map of the image package (fetch)
#   package    name and version of the image package
#   headers/   the unpacked 6.12 header packages; KDIR is
#              headers/usr/src/linux-headers-<release> (headers)
#   headers.packages  their names and versions
set -euo pipefail

cache=${KVALAB_CACHE:-$HOME/.cache/kvalab}
bpo_mirror=${KVALAB_BPO_MIRROR:-http://deb.debian.org/debian}
bpo_keyring=/usr/share/keyrings/debian-archive-keyring.gpg
apt_dir=$cache/apt

msg() { printf 'kernels: %s\n' "$*" >&2; }
die() { msg "error: $*"; exit 1; }

usage() {
	cat <<EOF
usage: ${0##*/} release [--apt] 6.1|6.12...
       ${0##*/} fetch 6.1|6.12
       ${0##*/} headers 6.1|6.12
       ${0##*/} update
release  print the Debian kernel release of each test kernel, one per line
         (--apt: fail instead of falling back to the cache or /lib/modules)
fetch    download its image package into $cache/kernels/<release>/ (once)
         and print the vmlinuz path
headers  print the kernel tree to build against (make module KDIR=...):
         6.1: /lib/modules/<release>/build (installed by scripts/deps.sh);
         6.12: the headers unpacked into $cache/kernels/<release>/headers (once)
update   apt-get update of the private bookworm-backports lists in $apt_dir
EOF
}

# The private apt setup for bookworm-backports. Every Dir:: that apt reads or
# writes points into $apt_dir; the empty status file makes apt treat nothing as
# installed, so host packages cannot change what it resolves. As root, apt would
# hand downloads to the _apt user, who cannot enter root's $HOME.
bpo_apt_opts=(
	-o "Dir::Etc::SourceList=$apt_dir/sources.list"
	-o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
	-o "Dir::Etc::Preferences=$apt_dir/preferences"
	-o "Dir::Etc::PreferencesParts=$apt_dir/preferences.d"
	-o "Dir::State=$apt_dir/state"
	-o "Dir::State::status=$apt_dir/state/status"
	-o "Dir::Cache=$apt_dir/cache"
)
[[ $(id -u) -ne 0 ]] || bpo_apt_opts+=(-o APT::Sandbox::User=root)

bpo_setup() {
	mkdir -p "$apt_dir"/{sources.list.d,preferences.d,state/lists/partial,cache/archives/partial}
	: >>"$apt_dir/state/status"
	echo "deb [signed-by=$bpo_keyring] $bpo_mirror bookworm-backports main" \
		>"$apt_dir/sources.list"
}

bpo_lists_present() {
	compgen -G "$apt_dir/state/lists/*bookworm-backports*_Packages*" >/dev/null
}

cmd_update() {
	bpo_setup
	msg "apt-get update of bookworm-backports (private lists in $apt_dir)"
	apt-get "${bpo_apt_opts[@]}" update -q -o Dpkg::Use-Pty=0 >&2 ||
		die "apt-get update of the private bookworm-backports lists failed"
	bpo_lists_present || die "apt-get update left no bookworm-backports lists in $apt_dir"
}

# apt-cache/apt-get for $series: the host's for 6.1, the private one for 6.12
# (whose lists are fetched the first time they are needed).
kapt() { # apt-cache|apt-get ARGS...
	local tool=$1
	shift
	if [[ $series == 6.12 ]]; then
		bpo_lists_present || cmd_update
		"$tool" "${bpo_apt_opts[@]}" "$@"
	else
		"$tool" "$@"
	fi
}

# series -> metapackage, package-name pattern (ERE), fallback glob
series_info() {
	series=$1
	case "$1" in
	6.1)
		meta=linux-image-amd64
		pattern='linux-image-6\.1\.0-[0-9]+-amd64'
		modglob='6.1.0-*-amd64'
		;;
	6.12)
		meta=linux-image-cloud-amd64
		pattern='linux-image-6\.12\.[0-9]+\+deb[0-9]+-cloud-amd64'
		modglob='6.12.*-cloud-amd64'
		;;
	*) die "unknown kernel series '$1' (want 6.1 or 6.12)" ;;
	esac
}

# Every version of the metapackage apt knows lists its image in Depends; pick
# the newest one of the wanted series. Independent of pin priorities, so it
# works whichever suite the metapackage would install from.
release_from_apt() {
	[[ $series != 6.12 ]] || bpo_lists_present || cmd_update
	kapt apt-cache show "$meta" 2>/dev/null | sed -n 's/^Depends: //p' | tr ',' '\n' |
		grep -oE "^ *${pattern}( |$)" | sed 's/^ *linux-image-//; s/ *$//' |
		sort -uV | tail -n 1
}

# 6.1: installed headers; 6.12: headers already unpacked in the cache.
release_fallback() {
	local d best=
	if [[ $series == 6.12 ]]; then
		for d in "$cache"/kernels/$modglob; do
			[[ -d $d/headers ]] && best+="${d##*/}"$'\n'
		done
	else
		for d in /lib/modules/$modglob; do
			[[ -e $d/build ]] && best+="${d##*/}"$'\n'
		done
	fi
	printf '%s' "$best" | sort -V | tail -n 1
}

# $1 = 1 to allow the fallback
cmd_release() {
	local rel
	rel=$(release_from_apt) || true
	[[ -n $rel || ${1:-1} -eq 0 ]] || rel=$(release_fallback)
	[[ -n $rel ]] || die "cannot resolve the $series release: no $meta in the apt lists (run scripts/deps.sh) and no $modglob kernel with headers"
	echo "$rel"
}

# download PKG DIR: apt-get download PKG into DIR, print the .deb's path
download() {
	local pkg=$1 dir=$2 deb
	msg "downloading $pkg"
	(cd "$dir" && kapt apt-get download -q -o Dpkg::Use-Pty=0 "$pkg" >"$dir/apt.log" 2>&1) ||
		{ cat "$dir/apt.log" >&2; die "apt-get download $pkg failed (stale lists? try: ${0##*/} update)"; }
	deb=$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)
	[[ -n $deb ]] || die "apt-get download $pkg left no .deb"
	echo "$deb"
}

cmd_fetch() {
	local rel dir vmlinuz tmp pkg candidates p deb
	rel=$(cmd_release)
	dir=$cache/kernels/$rel
	vmlinuz=$dir/boot/vmlinuz-$rel
	if [[ -f $vmlinuz ]]; then
		echo "$vmlinuz"
		return 0
	fi
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	# Both the signed and the -unsigned package carry boot/vmlinuz-<release>; the
	# unsigned one needs no shim/SB metadata, so prefer it when apt knows it.
	candidates=("linux-image-$rel-unsigned" "linux-image-$rel")
	pkg=
	for p in "${candidates[@]}"; do
		if kapt apt-cache show "$p" >/dev/null 2>&1; then
			pkg=$p
			break
		fi
	done
	[[ -n $pkg ]] || die "apt knows neither ${candidates[*]}; run scripts/deps.sh (apt-get update)"
	deb=$(download "$pkg" "$tmp")
	mkdir -p "$tmp/root"
	# dpkg-deb -x of the whole package is 400 MB for 6.1 (modules we never load);
	# unpack only boot/.
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/root" ./boot ||
		die "extracting $deb failed"
	[[ -f $tmp/root/boot/vmlinuz-$rel ]] || die "$pkg has no boot/vmlinuz-$rel"
	echo "$pkg $(dpkg-deb -f "$deb" Version)" >"$dir/package"
	rm -rf "${dir:?}/boot"
	mv "$tmp/root/boot" "$dir/boot"
	msg "cached $dir/boot"
	echo "$vmlinuz"
}

# The packages a build against linux-headers-<release> needs: itself, and the
# -common and linux-kbuild-* packages its Depends name.
headers_packages() { # release
	local hdr=linux-headers-$1 deps
	deps=$(kapt apt-cache show "$hdr" 2>/dev/null | sed -n '1,/^$/s/^Depends: //p' |
		sed 's/[,|]/\n/g' | sed 's/^ *//; s/ .*//') || true
	[[ -n $deps ]] || die "apt does not know $hdr; run ${0##*/} update"
	echo "$hdr"
	grep -E '^linux-headers-.*-common$' <<<"$deps" | head -n 1
	grep -E '^linux-kbuild-' <<<"$deps" | head -n 1
}

cmd_headers() {
	local rel dir kdir tmp pkgs p deb n
	rel=$(cmd_release)
	if [[ $series == 6.1 ]]; then
		kdir=/lib/modules/$rel/build
		[[ -f $kdir/Makefile ]] || die "no headers for $rel ($kdir); run scripts/deps.sh (installs linux-headers-$rel from bookworm)"
		echo "$kdir"
		return 0
	fi
	dir=$cache/kernels/$rel
	kdir=$dir/headers/usr/src/linux-headers-$rel
	if [[ -f $kdir/Makefile && -f $dir/headers.packages ]]; then
		echo "$kdir"
		return 0
	fi
	mapfile -t pkgs < <(headers_packages "$rel")
	((${#pkgs[@]} == 3)) || die "cannot resolve the -common and linux-kbuild packages of linux-headers-$rel (got: ${pkgs[*]})"
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/.headers.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	mkdir -p "$tmp/root"
	: >"$tmp/packages"
	for p in "${pkgs[@]}"; do
		deb=$(download "$p" "$tmp")
		dpkg-deb -x "$deb" "$tmp/root" || die "extracting $deb failed"
		echo "$p $(dpkg-deb -f "$deb" Version)" >>"$tmp/packages"
	done
	# The flavour's Makefile includes the -common one by absolute path
	# (include /usr/src/linux-headers-<x>-common/Makefile); point it into this
	# tree, so a build can never pick up headers installed on the host. The
	# only absolute links, lib/modules/<release>/{build,source}, are unused
	# here (KDIR names the tree): dropped. Every other link is relative
	# (checked below).
	rm -rf "$tmp/root/lib/modules"
	n=$(grep -c '^include /usr/src/' "$tmp/root/usr/src/linux-headers-$rel/Makefile" || true)
	((n == 1)) || die "linux-headers-$rel/Makefile: expected one 'include /usr/src/...' line, found $n"
	sed -i "s|^include /usr/src/|include $dir/headers/usr/src/|" \
		"$tmp/root/usr/src/linux-headers-$rel/Makefile"
	if find "$tmp/root" -type l -lname '/*' | grep -q .; then
		die "the header packages of $rel hold absolute symlinks: $(find "$tmp/root" -type l -lname '/*' | head -n 3 | tr '\n' ' ')"
	fi
	rm -rf "${dir:?}/headers"
	mv "$tmp/root" "$dir/headers"
	mv "$tmp/packages" "$dir/headers.packages"
	msg "cached $dir/headers ($(tr '\n' ' ' <"$dir/headers.packages"))"
	echo "$kdir"
}

[[ $# -ge 1 ]] || { usage >&2; exit 2; }
case "$1" in
release)
	shift
	fallback=1
	if [[ ${1:-} == --apt ]]; then
		fallback=0
		shift
	fi
	[[ $# -ge 1 ]] || { usage >&2; exit 2; }
	for s in "$@"; do
		series_info "$s"
		cmd_release "$fallback"
	done
	;;
fetch | headers)
	[[ $# -eq 2 ]] || { usage >&2; exit 2; }
	series_info "$2"
	"cmd_$1"
	;;
update)
	[[ $# -eq 1 ]] || { usage >&2; exit 2; }
	cmd_update
	;;
-h | --help) usage ;;
*) usage >&2; exit 2 ;;
esac
