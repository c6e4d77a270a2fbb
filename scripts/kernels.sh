#!/bin/bash
# Resolve and fetch the Debian kernels kvalab is tested on.
#
#   kernels.sh release [--apt] SERIES...
#                                 print the current release(s), e.g. 6.1.0-56-amd64,
#                                 one line per series (--apt: no fallback)
#   kernels.sh fetch SERIES       download + extract the image (no install), print vmlinuz
#   kernels.sh headers SERIES     print the KDIR to build modules against; for all but
#                                 6.1 download + extract the headers into the cache (once)
#   kernels.sh update [SERIES...] refresh the private apt lists (default: every series')
#   kernels.sh mirror             print the Debian mirror the private apt setups use
#
# SERIES is one of (the supported range, 6.1 to 7.3, is module/compat.h's):
#   6.1   bookworm's generic amd64 flavour (the host's apt lists; its headers are
#         installed by scripts/deps.sh)
#   6.12  bookworm-backports' cloud flavour
#   7.2   sid's cloud flavour
#   7.3   trixie-backports' cloud flavour
# Debian bumps the ABI number in these names with security updates, so the release
# is resolved through the metapackages (linux-image-amd64, linux-image-cloud-amd64).
#
# Nothing is installed on the host and its apt configuration is not touched.
# Everything of 6.12, 7.2 and 7.3 comes from a private apt setup per suite in the
# cache ($cache/apt/<suite>: its own sources.list naming only that suite, lists,
# package cache and an empty dpkg status), used only by apt-cache and apt-get
# download; it needs no root. Its mirror is the one the host's own apt sources use
# for bookworm (as `apt-get indextargets` reports it), so a box with a local
# mirror or a proxy in its sources keeps working; KVALAB_DEBIAN_MIRROR overrides
# it. The header packages depend on their image, so they are never installed:
# linux-headers-<release>, its -common and the linux-kbuild package it depends on
# are unpacked with dpkg-deb -x into one folder.
#
# 7.x's headers come from trixie (7.3) or sid (7.2) and do not build with
# bookworm's toolchain as they are, so the unpacked tree is adapted once, in the
# cache (adapt_headers): the compiler Debian names (gcc-14, gcc-16) becomes
# bookworm's gcc-12; two config values that describe the newer toolchain are set
# to bookworm's (gcc-12 lacks -fmin-function-alignment; pahole is 1.24); the kbuild
# host tools that need a newer glibc than the host's (objtool, modpost,
# resolve_btfids) are rebuilt from linux-source-<series> of the same suite
# (olddefconfig + modules_prepare, about 30 s on 2 cores) and cached in
# $cache/kbuild-tools/<linux-kbuild package version>/.
#
# Without usable apt lists, release falls back to the newest kernel already in the
# cache (6.12, 7.x) or the newest /lib/modules/<release> with a `build` link (6.1).
#
# Cache layout, ${KVALAB_CACHE:-$HOME/.cache/kvalab}/kernels/<release>/:
#   boot/      vmlinuz-<release> (fetch): boot/ of the image package, or, from 7.3
#              on, usr/lib/modules/<release>/vmlinuz of linux-binary-<release>
#   package    name and version of the image package
#   headers/   the unpacked header packages; KDIR is
#              headers/usr/src/linux-headers-<release> (headers)
#   headers.packages  their names and versions, and what adapt_headers changed
set -euo pipefail

cache=${KVALAB_CACHE:-$HOME/.cache/kvalab}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
all_series=(6.1 6.12 7.2 7.3)

msg() { printf 'kernels: %s\n' "$*" >&2; }
die() { msg "error: $*"; exit 1; }

usage() {
	cat <<EOF
usage: ${0##*/} release [--apt] SERIES...
       ${0##*/} fetch SERIES
       ${0##*/} headers SERIES
       ${0##*/} update [SERIES...]
       ${0##*/} mirror
SERIES: ${all_series[*]}
release  print the Debian kernel release of each test kernel, one per line
         (--apt: fail instead of falling back to the cache or /lib/modules)
fetch    download its image package into $cache/kernels/<release>/ (once)
         and print the vmlinuz path
headers  print the kernel tree to build against (make module KDIR=...):
         6.1: /lib/modules/<release>/build (installed by scripts/deps.sh);
         the others: the headers unpacked into $cache/kernels/<release>/headers
         (once; 7.x's adapted to bookworm's toolchain)
update   apt-get update of the private lists in $cache/apt/<suite>
mirror   print the Debian mirror the private apt setups use
EOF
}

# The Debian mirror: the one the host's apt sources use for bookworm's main
# archive (not the security one), as apt itself reports it; deb.debian.org when
# the host's lists name none. KVALAB_DEBIAN_MIRROR (or the older
# KVALAB_BPO_MIRROR) overrides it.
debian_mirror() {
	local m=${KVALAB_DEBIAN_MIRROR:-${KVALAB_BPO_MIRROR:-}}
	if [[ -z $m ]]; then
		# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
		m=$(apt-get indextargets --format '$(LABEL) $(CODENAME) $(REPO_URI)' 2>/dev/null |
			awk '$1 == "Debian" && $2 == "bookworm" { print $3; exit }') || true
	fi
	echo "${m:-http://deb.debian.org/debian/}"
}

# The private apt setup of $suite. Every Dir:: that apt reads or writes points
# into $apt_dir; the empty status file makes apt treat nothing as installed, so
# host packages cannot change what it resolves. As root, apt would hand
# downloads to the _apt user, who cannot enter root's $HOME.
priv_opts() {
	apt_dir=$cache/apt/$suite
	priv_apt_opts=(
		-o "Dir::Etc::SourceList=$apt_dir/sources.list"
		-o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
		-o "Dir::Etc::Preferences=$apt_dir/preferences"
		-o "Dir::Etc::PreferencesParts=$apt_dir/preferences.d"
		-o "Dir::State=$apt_dir/state"
		-o "Dir::State::status=$apt_dir/state/status"
		-o "Dir::Cache=$apt_dir/cache"
	)
	[[ $(id -u) -ne 0 ]] || priv_apt_opts+=(-o APT::Sandbox::User=root)
}

priv_lists_present() {
	compgen -G "$apt_dir/state/lists/*_dists_${suite}_main_*Packages*" >/dev/null
}

# update_suite: apt-get update of $suite's private lists.
update_suite() {
	mkdir -p "$apt_dir"/{sources.list.d,preferences.d,state/lists/partial,cache/archives/partial}
	: >>"$apt_dir/state/status"
	echo "deb [signed-by=$keyring] $(debian_mirror) $suite main" >"$apt_dir/sources.list"
	msg "apt-get update of $suite (private lists in $apt_dir)"
	apt-get "${priv_apt_opts[@]}" update -q -o Dpkg::Use-Pty=0 >&2 ||
		die "apt-get update of the private $suite lists failed"
	priv_lists_present || die "apt-get update left no $suite lists in $apt_dir"
}

cmd_update() {
	local s
	(($#)) || set -- "${all_series[@]}"
	for s in "$@"; do
		series_info "$s"
		[[ -z $suite ]] || update_suite
	done
}

# apt-cache/apt-get for $series: the host's for 6.1, its suite's private one
# otherwise (whose lists are fetched the first time they are needed).
kapt() { # apt-cache|apt-get ARGS...
	local tool=$1
	shift
	if [[ -n $suite ]]; then
		priv_lists_present || update_suite
		"$tool" "${priv_apt_opts[@]}" "$@"
	else
		"$tool" "$@"
	fi
}

# series -> suite (empty: the host's lists), metapackage, package-name pattern
# (ERE), fallback glob, and for 7.x the linux-source package its kbuild host
# tools are rebuilt from.
series_info() {
	series=$1
	srcpkg=
	case "$1" in
	6.1)
		suite=
		meta=linux-image-amd64
		pattern='linux-image-6\.1\.0-[0-9]+-amd64'
		modglob='6.1.0-*-amd64'
		;;
	6.12)
		suite=bookworm-backports
		meta=linux-image-cloud-amd64
		pattern='linux-image-6\.12\.[0-9]+\+deb[0-9]+-cloud-amd64'
		modglob='6.12.*-cloud-amd64'
		;;
	7.2)
		suite=sid
		meta=linux-image-cloud-amd64
		pattern='linux-image-7\.2\.[0-9]+(\+deb[0-9]+)?-cloud-amd64'
		modglob='7.2.*-cloud-amd64'
		srcpkg=linux-source-7.2
		;;
	7.3)
		suite=trixie-backports
		meta=linux-image-cloud-amd64
		pattern='linux-image-7\.3\.[0-9]+(\+deb[0-9]+)?-cloud-amd64'
		modglob='7.3.*-cloud-amd64'
		srcpkg=linux-source-7.3
		;;
	*) die "unknown kernel series '$1' (want one of: ${all_series[*]})" ;;
	esac
	[[ -z $suite ]] || priv_opts
}

# Every version of the metapackage apt knows lists its image in Depends; pick
# the newest one of the wanted series. Independent of pin priorities, so it
# works whichever suite the metapackage would install from.
release_from_apt() {
	[[ -z $suite ]] || priv_lists_present || update_suite
	kapt apt-cache show "$meta" 2>/dev/null | sed -n 's/^Depends: //p' | tr ',' '\n' |
		grep -oE "^ *${pattern}( |$)" | sed 's/^ *linux-image-//; s/ *$//' |
		sort -uV | tail -n 1
}

# 6.1: installed headers; the others: headers already unpacked in the cache.
release_fallback() {
	local d best=
	if [[ -n $suite ]]; then
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
		{ cat "$dir/apt.log" >&2; die "apt-get download $pkg failed (stale lists? try: ${0##*/} update $series)"; }
	deb=$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" | head -n 1)
	[[ -n $deb ]] || die "apt-get download $pkg left no .deb"
	echo "$deb"
}

cmd_fetch() {
	local rel dir vmlinuz tmp pkg candidates p deb member listing
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
	# From 7.3 on linux-image-<release> is a small metapackage and the kernel is
	# in linux-binary-<release>. Before, both the signed and the -unsigned image
	# package carry boot/vmlinuz-<release>; the unsigned one needs no shim/SB
	# metadata, so it is preferred when apt knows it.
	candidates=("linux-binary-$rel" "linux-image-$rel-unsigned" "linux-image-$rel")
	pkg=
	for p in "${candidates[@]}"; do
		if kapt apt-cache show "$p" >/dev/null 2>&1; then
			pkg=$p
			break
		fi
	done
	[[ -n $pkg ]] || die "apt knows none of ${candidates[*]}; run scripts/deps.sh (apt-get update)"
	deb=$(download "$pkg" "$tmp")
	# dpkg-deb -x of the whole package is 400 MB for 6.1 (modules we never load);
	# unpack only the kernel.
	member=
	# The whole listing first: grep -q would close the pipe early and
	# dpkg-deb die of SIGPIPE (pipefail).
	listing=$(dpkg-deb -c "$deb" | awk '{ print $6 }') || die "cannot list $deb"
	for p in "./boot/vmlinuz-$rel" "./usr/lib/modules/$rel/vmlinuz"; do
		if grep -qxF "$p" <<<"$listing"; then
			member=$p
			break
		fi
	done
	[[ -n $member ]] || die "$pkg has neither boot/vmlinuz-$rel nor usr/lib/modules/$rel/vmlinuz"
	mkdir -p "$tmp/root" "$tmp/boot"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/root" "$member" ||
		die "extracting $member of $deb failed"
	mv "$tmp/root/$member" "$tmp/boot/vmlinuz-$rel"
	echo "$pkg $(dpkg-deb -f "$deb" Version)" >"$dir/package"
	rm -rf "${dir:?}/boot"
	mv "$tmp/boot" "$dir/boot"
	msg "cached $dir/boot ($member of $pkg)"
	echo "$vmlinuz"
}

# The packages a build against linux-headers-<release> needs: itself, and the
# -common and linux-kbuild-* packages its Depends name.
headers_packages() { # release
	local hdr=linux-headers-$1 deps
	deps=$(kapt apt-cache show "$hdr" 2>/dev/null | sed -n '1,/^$/s/^Depends: //p' |
		sed 's/[,|]/\n/g' | sed 's/^ *//; s/ .*//') || true
	[[ -n $deps ]] || die "apt does not know $hdr; run ${0##*/} update $series"
	echo "$hdr"
	grep -E '^linux-headers-.*-common$' <<<"$deps" | head -n 1
	grep -E '^linux-kbuild-' <<<"$deps" | head -n 1
}

# needs_newer_glibc FILE: FILE is an ELF program that asks for a GLIBC_x.y
# symbol version newer than the host's glibc.
host_glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ print $2 }')
needs_newer_glibc() {
	local want
	want=$(objdump -T "$1" 2>/dev/null | grep -oE 'GLIBC_[0-9]+\.[0-9]+' |
		sed 's/GLIBC_//' | sort -V | tail -n 1)
	[[ -n $want && -n $host_glibc ]] || return 1
	[[ $(printf '%s\n%s\n' "$want" "$host_glibc" | sort -V | tail -n 1) != "$host_glibc" ]]
}

# kbuild_tools KBUILD_VERSION CONFIG: build objtool, modpost and resolve_btfids
# from $srcpkg with the host's gcc (once per linux-kbuild version) and print
# the folder that holds them.
kbuild_tools() {
	local ver=$1 config=$2 out tmp deb tarball src t
	out=$cache/kbuild-tools/$ver
	if [[ -x $out/modpost && -x $out/objtool && -x $out/resolve_btfids ]]; then
		echo "$out"
		return 0
	fi
	[[ -n $srcpkg ]] || die "no linux-source package known for $series"
	mkdir -p "$cache/kbuild-tools"
	tmp=$(mktemp -d "$cache/kbuild-tools/.build.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	deb=$(download "$srcpkg" "$tmp")
	tarball=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | grep -E '^\./usr/src/linux-source-.*\.tar\.xz$') || true
	tarball=$(head -n 1 <<<"$tarball")
	[[ -n $tarball ]] || die "$srcpkg holds no usr/src/linux-source-*.tar.xz"
	msg "unpacking $srcpkg"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -O "$tarball" | tar -xJ -C "$tmp" ||
		die "unpacking $tarball failed"
	rm -f "$deb"
	src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -n 1)
	[[ -n $src ]] || die "$srcpkg unpacked no linux-source-* folder"
	cp "$config" "$src/.config"
	msg "building objtool, modpost and resolve_btfids from $srcpkg with gcc-12"
	# Only the host tools are kept; the config change olddefconfig makes for
	# gcc-12 does not matter to them.
	if ! make -s -C "$src" CC=gcc-12 HOSTCC=gcc-12 olddefconfig >"$tmp/build.log" 2>&1 ||
		! make -s -j"$(nproc)" -C "$src" CC=gcc-12 HOSTCC=gcc-12 \
			CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT= modules_prepare >>"$tmp/build.log" 2>&1; then
		tail -n 30 "$tmp/build.log" >&2
		die "building the kbuild host tools from $srcpkg failed"
	fi
	mkdir -p "$tmp/out"
	for t in scripts/mod/modpost tools/objtool/objtool tools/bpf/resolve_btfids/resolve_btfids; do
		[[ -x $src/$t ]] || die "building $srcpkg left no $t"
		cp "$src/$t" "$tmp/out/"
	done
	rm -rf "$out"
	mv "$tmp/out" "$out"
	rm -rf "$tmp"
	trap - EXIT
	echo "$out"
}

# adapt_headers ROOT RELEASE: make the unpacked header tree of a 7.x kernel
# build with bookworm's toolchain (see the top of this file). Prints what it
# changed, one line each. The 6.x trees need none of it.
adapt_headers() {
	local root=$1 rel=$2 kdir kbuild ver tools f n
	kdir=$root/usr/src/linux-headers-$rel
	# 1. The compiler: .kernelvariables names trixie's or sid's gcc; Debian's
	# DEBIAN_KERNEL_NO_CC_VERSION_CHECK there lets another version build.
	if grep -qE '^CC = .*gcc-[0-9]+$' "$kdir/.kernelvariables" 2>/dev/null; then
		command -v x86_64-linux-gnu-gcc-12 >/dev/null || die "x86_64-linux-gnu-gcc-12 is missing (build-essential)"
		f=$(sed -n 's/^CC = .*\(gcc-[0-9]*\)$/\1/p' "$kdir/.kernelvariables")
		if [[ $f != gcc-12 ]]; then
			sed -i 's/gcc-[0-9]*$/gcc-12/' "$kdir/.kernelvariables"
			echo "adapted: CC $f -> gcc-12 (.kernelvariables)"
		fi
	fi
	# 2. Config values measured on the kernel's toolchain, read by Kbuild from
	# include/config/auto.conf: gcc-12 has no -fmin-function-alignment (Kbuild
	# then uses -falign-functions), and pahole 1.24 lacks the BTF options
	# that CONFIG_PAHOLE_VERSION=130 makes scripts/Makefile.btf pass.
	if grep -q '^CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=y' "$kdir/include/config/auto.conf" &&
		! gcc-12 -fmin-function-alignment=16 -x c -c -o /dev/null /dev/null 2>/dev/null; then
		sed -i '/^CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=y$/d' "$kdir/include/config/auto.conf"
		echo "adapted: CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT unset (gcc-12 lacks it)"
	fi
	# gcc-16's counted_by attribute (sid's 7.2): headers annotate flexible
	# arrays with it when CONFIG_CC_HAS_COUNTED_BY is set in autoconf.h; gcc-12
	# ignores it with a warning in every file. It is an annotation for bounds
	# checks only (no layout change), so unset where gcc-12 lacks it.
	if grep -q '^#define CONFIG_CC_HAS_COUNTED_BY 1' "$kdir/include/generated/autoconf.h" &&
		! printf 'struct s { int n; int a[] __attribute__((counted_by(n))); };\n' |
		gcc-12 -Werror -x c -c -o /dev/null - 2>/dev/null; then
		sed -i '/^#define CONFIG_CC_HAS_COUNTED_BY 1$/d' "$kdir/include/generated/autoconf.h"
		sed -i '/^CONFIG_CC_HAS_COUNTED_BY=y$/d' "$kdir/include/config/auto.conf"
		echo "adapted: CONFIG_CC_HAS_COUNTED_BY unset (gcc-12 lacks counted_by)"
	fi
	f=$(sed -n 's/^CONFIG_PAHOLE_VERSION=//p' "$kdir/include/config/auto.conf")
	n=$(pahole --numeric_version 2>/dev/null || echo 0)
	if [[ -n $f ]] && ((f > n)); then
		sed -i "s/^CONFIG_PAHOLE_VERSION=.*/CONFIG_PAHOLE_VERSION=$n/" "$kdir/include/config/auto.conf"
		echo "adapted: CONFIG_PAHOLE_VERSION $f -> $n (the host's pahole)"
	fi
	# 3. Host tools linked against a newer glibc than the host's. Debian's
	# modpost and objtool are wrappers around per-arch .real-* programs.
	kbuild=$(find "$root/usr/lib" -maxdepth 1 -type d -name 'linux-kbuild-*' | head -n 1)
	[[ -n $kbuild ]] || return 0
	local -A real=(
		[modpost]=scripts/mod/modpost.real-lsb-64
		[objtool]=tools/objtool/objtool.real-x86
		[resolve_btfids]=tools/bpf/resolve_btfids/resolve_btfids
	)
	local stale=()
	for t in "${!real[@]}"; do
		[[ -f $kbuild/${real[$t]} ]] || real[$t]=${real[$t]%.real-*}
		[[ -f $kbuild/${real[$t]} ]] || continue
		needs_newer_glibc "$kbuild/${real[$t]}" && stale+=("$t")
	done
	((${#stale[@]})) || return 0
	ver=${kbuild##*/linux-kbuild-}
	tools=$(kbuild_tools "$ver" "$kdir/.config") || die "cannot rebuild the kbuild host tools"
	for t in "${stale[@]}"; do
		cp "$tools/$t" "$kbuild/${real[$t]}"
		echo "adapted: ${real[$t]} rebuilt from $srcpkg (needed a newer glibc than $host_glibc)"
	done
}

cmd_headers() {
	local rel dir kdir tmp pkgs p deb n
	rel=$(cmd_release)
	if [[ -z $suite ]]; then
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
	# (include /usr/src/linux-headers-<x>-common/Makefile), and from 7.x on
	# also names its own folder (KBUILD_OUTPUT=/usr/src/linux-headers-<rel>);
	# point both into this tree, so a build can never pick up headers installed
	# on the host. The only absolute links, lib/modules/<release>/{build,source},
	# are unused here (KDIR names the tree): dropped. Every other link is
	# relative (checked below).
	rm -rf "$tmp/root/lib/modules"
	n=$(grep -c '^include /usr/src/' "$tmp/root/usr/src/linux-headers-$rel/Makefile" || true)
	((n == 1)) || die "linux-headers-$rel/Makefile: expected one 'include /usr/src/...' line, found $n"
	sed -i -e "s|^include /usr/src/|include $dir/headers/usr/src/|" \
		-e "s|^KBUILD_OUTPUT=/usr/src/|KBUILD_OUTPUT=$dir/headers/usr/src/|" \
		"$tmp/root/usr/src/linux-headers-$rel/Makefile"
	if sed "s|$dir/headers/usr/src/||g" "$tmp/root/usr/src/linux-headers-$rel/Makefile" | grep -q '/usr/src/'; then
		die "linux-headers-$rel/Makefile still names /usr/src/ (a line kvalab does not know): $(grep -v "$dir/headers/" "$tmp/root/usr/src/linux-headers-$rel/Makefile" | grep '/usr/src/' | head -n 3)"
	fi
	if find "$tmp/root" -type l -lname '/*' | grep -q .; then
		die "the header packages of $rel hold absolute symlinks: $(find "$tmp/root" -type l -lname '/*' | head -n 3 | tr '\n' ' ')"
	fi
	# The paths above are this cache's final ones: adapt in place after the move.
	rm -rf "${dir:?}/headers"
	mv "$tmp/root" "$dir/headers"
	adapt_headers "$dir/headers" "$rel" >>"$tmp/packages" || {
		rm -rf "${dir:?}/headers"
		die "adapting the headers of $rel to this host's toolchain failed"
	}
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
	shift
	cmd_update "$@"
	;;
mirror)
	[[ $# -eq 1 ]] || { usage >&2; exit 2; }
	debian_mirror
	;;
-h | --help) usage ;;
*) usage >&2; exit 2 ;;
esac
