#!/bin/bash
# Install the Debian packages kvalab needs (build, VM tests, static checks, DKMS).
# Idempotent: when everything is present it only runs dpkg-query/apt-cache and
# exits in well under 2 s. Otherwise it runs `apt-get update` once and installs the
# missing packages with --no-install-recommends. Needs root for installing.
#
#   scripts/deps.sh            install what is missing
#   scripts/deps.sh --check    only report; exit 1 if something is missing
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export DEBIAN_FRONTEND=noninteractive
backports_list=/etc/apt/sources.list.d/kvalab-backports.list
backports_line='deb http://deb.debian.org/debian bookworm-backports main'

# From bookworm.
main_pkgs=(
	build-essential linux-headers-amd64 qemu-system-x86 busybox-static
	bats bats-support bats-assert bats-file libkmod-dev kmod dkms cpio xz-utils
	zstd sparse clang libclang-rt-14-dev cppcheck linux-source-6.1 bc flex bison
	libelf-dev libssl-dev python3 shellcheck
)
# From bookworm-backports (the 6.12 test kernel).
bpo_pkgs=(linux-headers-cloud-amd64)

msg() { printf 'deps: %s\n' "$*"; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

check_only=0
case "${1:-}" in
"") ;;
--check) check_only=1 ;;
-h | --help)
	sed -n '2,8s/^# \{0,1\}//p' "$0"
	exit 0
	;;
*) die "unknown argument '$1' (try --help)" ;;
esac

need_update=0

# The backports suite may be configured anywhere under /etc/apt; add ours if not.
if ! grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	((check_only)) && die "bookworm-backports is not in the apt sources"
	msg "adding $backports_list"
	echo "$backports_line" >"$backports_list"
	need_update=1
fi

# The metapackages can lag the versioned headers (linux-headers-amd64 may even come
# from backports), so also ask for the exact headers of the releases the VM tests
# build against. Resolving them needs apt lists that include bookworm-backports;
# returns 1 when they do not.
versioned_headers() {
	local rels
	main_extra=()
	bpo_extra=()
	rels=$("$here/kernels.sh" release --apt 6.1 6.12 2>/dev/null) || return 1
	main_extra=("linux-headers-$(sed -n 1p <<<"$rels")")
	bpo_extra=("linux-headers-$(sed -n 2p <<<"$rels")")
}

# Print the packages among "$@" that are not fully installed.
missing_of() {
	local installed
	installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
		awk '$2 == "ii" { print $1 }') || true
	local p
	for p in "$@"; do
		grep -qxF "$p" <<<"$installed" || echo "$p"
	done
}

main_extra=()
bpo_extra=()
if ((!need_update)) && ! versioned_headers; then
	need_update=1
fi

mapfile -t miss_main < <(missing_of "${main_pkgs[@]}" "${main_extra[@]}")
mapfile -t miss_bpo < <(missing_of "${bpo_pkgs[@]}" "${bpo_extra[@]}")

# Versioned headers that apt marks automatically installed are removed by the next
# `apt autoremove` once the metapackage points elsewhere (linux-headers-amd64 from
# backports no longer depends on the 6.1 headers): mark them manual.
mark_manual() {
	local -a auto
	mapfile -t auto < <(apt-mark showauto "${main_extra[@]}" "${bpo_extra[@]}" 2>/dev/null)
	((${#auto[@]})) || return 0
	if ((check_only)) || [[ $(id -u) -ne 0 ]]; then
		msg "automatically installed (autoremove would drop them; make deps as root keeps them): ${auto[*]}"
	else
		msg "marking manually installed: ${auto[*]}"
		apt-mark manual "${auto[@]}" >/dev/null
	fi
}

if ((!need_update && ${#miss_main[@]} == 0 && ${#miss_bpo[@]} == 0)); then
	mark_manual
	msg "all $((${#main_pkgs[@]} + ${#bpo_pkgs[@]} + ${#main_extra[@]} + ${#bpo_extra[@]})) packages present (headers ${main_extra[*]} ${bpo_extra[*]})"
	exit 0
fi

if ((check_only)); then
	((need_update)) && msg "apt lists lack bookworm-backports (apt-get update needed)"
	msg "missing: ${miss_main[*]} ${miss_bpo[*]}"
	exit 1
fi

[[ $(id -u) -eq 0 ]] || die "installing packages needs root"

msg "apt-get update"
apt-get update -q -o Dpkg::Use-Pty=0
# The update may have moved the kernel ABI: resolve the headers again.
versioned_headers || die "apt lists still lack linux-image-amd64/linux-image-cloud-amd64 after apt-get update"
mapfile -t miss_main < <(missing_of "${main_pkgs[@]}" "${main_extra[@]}")
mapfile -t miss_bpo < <(missing_of "${bpo_pkgs[@]}" "${bpo_extra[@]}")

if ((${#miss_main[@]})); then
	msg "installing: ${miss_main[*]}"
	apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends "${miss_main[@]}"
fi
if ((${#miss_bpo[@]})); then
	msg "installing from bookworm-backports: ${miss_bpo[*]}"
	apt-get install -y -q -o Dpkg::Use-Pty=0 --no-install-recommends -t bookworm-backports "${miss_bpo[@]}"
fi

mark_manual
mapfile -t still < <(missing_of "${main_pkgs[@]}" "${main_extra[@]}" "${bpo_pkgs[@]}" "${bpo_extra[@]}")
((${#still[@]} == 0)) || die "still missing after install: ${still[*]}"
msg "done: installed ${#miss_main[@]} from bookworm, ${#miss_bpo[@]} from bookworm-backports"
