#!/bin/bash
# Install the Debian packages kvalab needs (build, VM tests, static checks, DKMS),
# from bookworm only, by name, and unpack the 6.12, 7.2 and 7.3 test kernels'
# headers into the cache. Changes nothing else on the host: no apt source is added, nothing comes
# from bookworm-backports, no installed package is removed, and an installed one
# is upgraded only when apt needs it for the new packages, to bookworm's own
# update of it (apt's plan is checked first and the upgrades announced;
# KVALAB_DEPS_NO_UPGRADE=1 refuses them), no kernel image, initramfs or boot
# entry is touched.
#
#   scripts/deps.sh            install what is missing, fetch the 6.12/7.x headers
#   scripts/deps.sh --check    only report; exit 1 if something is missing
#   scripts/deps.sh --list     print the packages it installs, one a line
#
# Idempotent: when everything is present it runs only dpkg-query/apt-cache and
# exits in about a second. Otherwise it runs `apt-get update` once and installs the
# missing packages with --no-install-recommends. Installing needs root.
#
# Debian's 6.12 and 7.x headers depend on their kernel image, so they are not
# installed: scripts/kernels.sh downloads them (and their -common and
# linux-kbuild packages) with apt-get download from private apt setups
# (bookworm-backports, sid, trixie-backports) in ~/.cache/kvalab/apt/<suite>
# and unpacks them with dpkg-deb -x into ~/.cache/kvalab/kernels/<release>/headers,
# next to the test kernels' images; 7.x's are adapted to bookworm's gcc-12 there.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DEBIAN_FRONTEND=noninteractive

# From bookworm (with bookworm-security/-updates, as the host's apt sources say).
main_pkgs=(
	build-essential linux-headers-amd64 qemu-system-x86 busybox-static
	bats bats-support bats-assert bats-file libkmod-dev kmod dkms cpio xz-utils
	zstd sparse clang libclang-rt-14-dev cppcheck linux-source-6.1 bc flex bison
	libelf-dev libssl-dev python3 shellcheck librsvg2-bin chromium
	valgrind dwarves jc
)

msg() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

mode=install
case "${1:-}" in
"") ;;
--check) mode=check ;;
--list) mode=list ;;
-h | --help)
	sed -n '2,15s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*) die "unknown argument '$1' (try --help)" ;;
esac
[[ $# -le 1 ]] || die "one argument at most (try --help)"

# The metapackage can lag the versioned headers (or, on a host that took it from
# backports earlier, point at 6.12), so also ask for the exact 6.1 headers the VM
# tests build against, resolved from the host's apt lists; returns 1 when they
# do not know it.
main_extra=()
versioned_headers() {
	local rel
	main_extra=()
	rel=$("$here/kernels.sh" release --apt 6.1 2>/dev/null) || return 1
	[[ -n $rel ]] || return 1
	main_extra=("linux-headers-$rel")
}

# Print the packages among "$@" that are not fully installed.
missing_of() {
	local installed p
	installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
		awk '$2 == "ii" { print $1 }') || true
	for p in "$@"; do
		grep -qxF "$p" <<<"$installed" || echo "$p"
	done
}

need_update=0
versioned_headers || need_update=1

if [[ $mode == list ]]; then
	((need_update)) && die "the apt lists do not know the 6.1 kernel yet (run scripts/deps.sh as root first)"
	printf '%s\n' "${main_pkgs[@]}" "${main_extra[@]}"
	exit 0
fi

# Versioned headers that apt marks automatically installed are removed by the next
# `apt autoremove` once the metapackage points elsewhere: mark them manual.
mark_manual() {
	local -a auto
	mapfile -t auto < <(apt-mark showauto "${main_extra[@]}" 2>/dev/null)
	((${#auto[@]})) || return 0
	if [[ $mode == check || $(id -u) -ne 0 ]]; then
		msg "automatically installed (autoremove would drop them; make deps as root keeps them): ${auto[*]}"
	else
		msg "marking manually installed: ${auto[*]}"
		apt-mark manual "${auto[@]}" >/dev/null
	fi
}

# The 6.12, 7.2 and 7.3 headers: in the cache, not installed (see the top of
# this file).
cached_series=(6.12 7.2 7.3)
headers_612() {
	local kdir s rc=0
	for s in "${cached_series[@]}"; do
		if [[ $mode == check ]]; then
			# Only look: resolving the release could fetch the private apt lists.
			kdir=$(compgen -G "${KVALAB_CACHE:-$HOME/.cache/kvalab}/kernels/$s.*-cloud-amd64/headers.packages" |
				sort -V | tail -n 1)
			if [[ -n $kdir ]]; then
				msg "$s headers: unpacked in the cache (${kdir%/headers.packages})"
			else
				msg "$s headers: not in the cache yet (scripts/deps.sh or scripts/kernels.sh headers $s fetches them)"
				rc=1
			fi
			continue
		fi
		kdir=$("$here/kernels.sh" headers "$s") || die "fetching the $s headers into the cache failed"
		msg "$s headers (not installed): $kdir"
	done
	return "$rc"
}

mapfile -t miss < <(missing_of "${main_pkgs[@]}" "${main_extra[@]}")
ntotal=$((${#main_pkgs[@]} + ${#main_extra[@]}))

if ((!need_update && ${#miss[@]} == 0)); then
	mark_manual
	msg "all $ntotal packages present (6.1 headers: ${main_extra[*]})"
	headers_612 || exit 1
	exit 0
fi

if [[ $mode == check ]]; then
	((need_update)) && msg "the apt lists do not know the 6.1 kernel (apt-get update needed)"
	((${#miss[@]})) && msg "missing: ${miss[*]}"
	headers_612 || true
	exit 1
fi

[[ $(id -u) -eq 0 ]] || die "installing packages needs root (missing: ${miss[*]:-unknown until apt-get update})"

msg "apt-get update"
apt-get update -q -o Dpkg::Use-Pty=0
# The private lists of scripts/kernels.sh (bookworm-backports, sid,
# trixie-backports), refreshed with them.
"$here/kernels.sh" update || die "updating the private apt lists of scripts/kernels.sh failed"
# The update may have moved the kernel ABI: resolve the headers again.
versioned_headers || die "the apt lists still lack linux-image-amd64 (6.1) after apt-get update"
mapfile -t miss < <(missing_of "${main_pkgs[@]}" "${main_extra[@]}")

if ((${#miss[@]})); then
	# Ask apt for its plan first and refuse anything beyond adding packages from
	# bookworm and the upgrades they need: a removal of an installed package,
	# a package from backports (possible only if the host's own sources list
	# them), an upgrade from elsewhere or of a kernel image.
	plan=$(apt-get install -s -q -o Dpkg::Use-Pty=0 --no-install-recommends "${miss[@]}") ||
		{ printf '%s\n' "$plan" >&2; die "apt cannot install: ${miss[*]}"; }
	mapfile -t adds < <(sed -n 's/^Inst \([^ ]*\) (.*/\1/p' <<<"$plan")
	mapfile -t ups < <(sed -n 's/^Inst \([^ ]*\) \[\([^]]*\)\] (\([^ ]*\) .*/\1 \2 -> \3/p' <<<"$plan")
	mapfile -t rms < <(sed -n 's/^Remv \([^ ]*\).*/\1/p' <<<"$plan")
	mapfile -t bpo < <(grep -E '^Inst .*(backports|~bpo)' <<<"$plan" | cut -d' ' -f2)
	((${#rms[@]} == 0)) || die "apt would remove installed packages: ${rms[*]}; not doing that"
	((${#bpo[@]} == 0)) || die "apt would take these from bookworm-backports: ${bpo[*]}; kvalab installs from bookworm only"
	# Upgrades: only those apt needs to install the new packages (a library
	# whose -bin or -dev package pins its exact version, packages of one
	# source that Break older siblings), only to a version of this release
	# (its security and point-release updates: bookworm keeps no older
	# version to install beside them), never a kernel image.
	mapfile -t upimg < <(sed -n 's/^Inst \(linux-image-[^ ]*\) \[.*/\1/p' <<<"$plan")
	((${#upimg[@]} == 0)) || die "apt would upgrade kernel images: ${upimg[*]}; not doing that"
	mapfile -t upoff < <(grep -E '^Inst [^ ]+ \[' <<<"$plan" | grep -vE '\([^ ]+ (Debian|Debian-Security):12[^)]*\)' | cut -d' ' -f2)
	((${#upoff[@]} == 0)) || die "apt would upgrade these from outside bookworm: ${upoff[*]}; not doing that"
	if ((${#ups[@]})) && [[ ${KVALAB_DEPS_NO_UPGRADE:-0} == 1 ]]; then
		die "the new packages need upgrades of installed ones: $(printf '%s, ' "${ups[@]}" | sed 's/, $//'); KVALAB_DEPS_NO_UPGRADE=1 refuses them: run apt-get upgrade yourself, or make deps without it"
	fi
	msg "installing from bookworm: ${miss[*]}"
	msg "apt will add ${#adds[@]} packages (with dependencies): ${adds[*]}"
	((${#ups[@]} == 0)) || msg "apt will upgrade ${#ups[@]} installed packages the new ones need: $(printf '%s, ' "${ups[@]}" | sed 's/, $//')"
	apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends --no-remove "${miss[@]}"
fi

mark_manual
mapfile -t still < <(missing_of "${main_pkgs[@]}" "${main_extra[@]}")
((${#still[@]} == 0)) || die "still missing after install: ${still[*]}"
msg "done: installed ${#miss[@]} of $ntotal packages from bookworm"
headers_612
