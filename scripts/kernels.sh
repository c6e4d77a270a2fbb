#!/bin/bash
# Resolve and fetch the Debian kernels kvalab is tested on.
#
#   kernels.sh release [--apt] 6.1|6.12...
#                                 print the current release(s), e.g. 6.1.0-56-amd64,
#                                 one line per series (--apt: no /lib/modules fallback)
#   kernels.sh fetch 6.1|6.12     download + extract the image (no install), print vmlinuz
#
# 6.1 is bookworm's generic amd64 flavour, 6.12 is bookworm-backports' cloud flavour.
# Debian bumps the ABI number in these names with security updates, so the release is
# resolved through the metapackages (linux-image-amd64, linux-image-cloud-amd64) in the
# apt lists. Without usable apt lists it falls back to the newest matching
# /lib/modules/<release> that has a `build` link (installed headers).
#
# Images are cached in ${KVALAB_CACHE:-$HOME/.cache/kvalab}/kernels/<release>/; only
# boot/ (vmlinuz, config, System.map) is kept. Nothing is installed on the host.
set -euo pipefail

cache=${KVALAB_CACHE:-$HOME/.cache/kvalab}

msg() { printf 'kernels: %s\n' "$*" >&2; }
die() { msg "error: $*"; exit 1; }

usage() {
	cat <<EOF
usage: ${0##*/} release [--apt] 6.1|6.12...
       ${0##*/} fetch 6.1|6.12
release  print the Debian kernel release of each test kernel, one per line
         (--apt: fail instead of falling back to /lib/modules)
fetch    download its image package into $cache/kernels/<release>/ (once)
         and print the vmlinuz path
EOF
}

# series -> metapackage, package-name pattern (ERE), /lib/modules glob
series_info() {
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

# Every version of the metapackage apt knows (bookworm and backports) lists its
# image in Depends; pick the newest one of the wanted series. Independent of pin
# priorities, so it works whichever suite the metapackage would install from.
# apt-cache takes ~0.5 s here (no pkgcache.bin), so all series share one call.
apt_depends=
apt_depends_loaded=0
load_apt_depends() {
	((apt_depends_loaded)) && return 0
	apt_depends=$(apt-cache show linux-image-amd64 linux-image-cloud-amd64 2>/dev/null |
		sed -n 's/^Depends: //p' | tr ',' '\n') || true
	apt_depends_loaded=1
}

# Call load_apt_depends first, outside any $(...), so the result is kept.
release_from_apt() {
	grep -oE "^ *${pattern}( |$)" <<<"$apt_depends" |
		sed 's/^ *linux-image-//; s/ *$//' | sort -uV | tail -n 1
}

release_from_modules() {
	local d best=
	for d in /lib/modules/$modglob; do
		[[ -e $d/build ]] && best+="${d##*/}"$'\n'
	done
	printf '%s' "$best" | sort -V | tail -n 1
}

# $1 = series, $2 = 1 to allow the /lib/modules fallback
cmd_release() {
	local rel
	load_apt_depends
	rel=$(release_from_apt) || true
	[[ -n $rel || ${2:-1} -eq 0 ]] || rel=$(release_from_modules)
	[[ -n $rel ]] || die "cannot resolve the $1 release: no $meta in the apt lists (run scripts/deps.sh) and no /lib/modules/$modglob/build"
	echo "$rel"
}

cmd_fetch() {
	local rel dir vmlinuz tmp pkg candidates p
	rel=$(cmd_release "$1")
	dir=$cache/kernels/$rel
	vmlinuz=$dir/boot/vmlinuz-$rel
	if [[ -f $vmlinuz ]]; then
		echo "$vmlinuz"
		return 0
	fi
	mkdir -p "$cache/kernels"
	tmp=$(mktemp -d "$cache/kernels/.fetch-$rel.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is local
	trap "rm -rf '$tmp'" EXIT
	# Both the signed and the -unsigned package carry boot/vmlinuz-<release>; the
	# unsigned one needs no shim/SB metadata, so prefer it when apt knows it.
	candidates=("linux-image-$rel-unsigned" "linux-image-$rel")
	pkg=
	for p in "${candidates[@]}"; do
		if apt-cache show "$p" >/dev/null 2>&1; then
			pkg=$p
			break
		fi
	done
	[[ -n $pkg ]] || die "apt knows neither ${candidates[*]}; run scripts/deps.sh (apt-get update)"
	msg "downloading $pkg"
	(cd "$tmp" && apt-get download -q "$pkg" >&2 2>"$tmp/apt.err") ||
		{ cat "$tmp/apt.err" >&2; die "apt-get download $pkg failed"; }
	local deb
	deb=$(find "$tmp" -maxdepth 1 -name '*.deb' | head -n 1)
	[[ -n $deb ]] || die "apt-get download left no .deb"
	mkdir -p "$tmp/root"
	# dpkg-deb -x of the whole package is 400 MB for 6.1 (modules we never load);
	# unpack only boot/.
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/root" ./boot ||
		die "extracting $deb failed"
	[[ -f $tmp/root/boot/vmlinuz-$rel ]] || die "$pkg has no boot/vmlinuz-$rel"
	echo "$pkg $(dpkg-deb -f "$deb" Version)" >"$tmp/root/package"
	rm -rf "$dir"
	mv "$tmp/root" "$dir"
	msg "cached $dir"
	echo "$vmlinuz"
}

[[ $# -ge 2 ]] || { usage >&2; exit 2; }
case "$1" in
release)
	shift
	fallback=1
	if [[ $1 == --apt ]]; then
		fallback=0
		shift
	fi
	[[ $# -ge 1 ]] || { usage >&2; exit 2; }
	for series in "$@"; do
		series_info "$series"
		cmd_release "$series" "$fallback"
	done
	;;
fetch)
	[[ $# -eq 2 ]] || { usage >&2; exit 2; }
	series_info "$2"
	cmd_fetch "$2"
	;;
-h | --help) usage ;;
*) usage >&2; exit 2 ;;
esac
