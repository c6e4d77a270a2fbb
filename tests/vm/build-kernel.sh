#!/bin/bash
# Build (once) and print one flavour of kvalab's own kernel: linux-source-6.1 with
# tinyconfig plus tests/vm/base.config plus tests/vm/<flavour>.config.
#   debug  KASAN, kmemleak, lockdep, page-table check, UBSAN, fault injection
#   race   KCSAN, lockdep, DEBUG_PAGEALLOC and page poisoning (KCSAN cannot
#          be combined with KASAN, so races get a kernel of their own)
#   perf   no checkers; test_vmalloc.ko built (the oracle of kvalab's workloads)
# tests/vm/debug-kernel.sh, race-kernel.sh and perf-kernel.sh are this script
# with the flavour filled in.
#
# Output on stdout, two lines:
#   /path/to/arch/x86/boot/bzImage
#   KDIR=/path/to/build/tree          (usable as `make -C $KDIR M=...`)
# Progress goes to stderr, the full build log to <cache>/<flavour>-<key>/build.log.
#
# The cache key hashes the fragments and the linux-source-6.1 package version, so
# a changed fragment or a source update rebuilds; a cache hit returns at once.
# Environment: KVALAB_CACHE (default ~/.cache/kvalab), KVALAB_JOBS (default 2).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${KVALAB_CACHE:-$HOME/.cache/kvalab}
jobs=${KVALAB_JOBS:-2}

usage() {
	cat <<EOF2
usage: ${0##*/} debug|race|perf [--print-key]
Builds the cached kernel of that flavour and prints its bzImage path and
KDIR=<build tree>. --print-key prints the cache directory and exits.
EOF2
}

flavour=${1:-}
case "$flavour" in
debug)
	# Options whose absence makes the debug kernel pointless: fail the build.
	key_options="KASAN KASAN_GENERIC KASAN_VMALLOC DEBUG_KMEMLEAK PROVE_LOCKING
DEBUG_ATOMIC_SLEEP DEBUG_VM DEBUG_LIST PAGE_TABLE_CHECK UBSAN FAULT_INJECTION
FAILSLAB FAIL_PAGE_ALLOC"
	# Options that must stay off (none for the debug kernel).
	absent_options=""
	;;
race)
	# Without KCSAN (an unmet compiler dependency, say) the race stage would
	# pass without having looked: fail the build instead.
	key_options="KCSAN KCSAN_SELFTEST PROVE_LOCKING DEBUG_ATOMIC_SLEEP
DEBUG_PAGEALLOC PAGE_POISONING"
	# KASAN excludes KCSAN; kmemleak is the debug kernel's job.
	absent_options="KASAN"
	;;
perf)
	key_options="TEST_VMALLOC INIT_ON_ALLOC_DEFAULT_ON RANDOM_TRUST_CPU
RANDOM_TRUST_BOOTLOADER"
	# A checker pulled in by some default would skew every timing: fail instead.
	absent_options="KASAN DEBUG_KMEMLEAK PROVE_LOCKING LOCKDEP DEBUG_ATOMIC_SLEEP
DEBUG_VM DEBUG_LIST DEBUG_OBJECTS PAGE_TABLE_CHECK UBSAN FAULT_INJECTION KCSAN
DEBUG_PAGEALLOC"
	;;
-h | --help) usage; exit 0 ;;
*) usage >&2; exit 2 ;;
esac
shift
# Common to both: what booting the guest and building kvalab.ko against the tree need.
key_options+=" MODULES MODULE_UNLOAD DEBUG_FS EVENT_TRACING KALLSYMS_ALL
BLK_DEV_INITRD SERIAL_8250_CONSOLE DEVTMPFS"

msg() { printf '%s-kernel: %s\n' "$flavour" "$*" >&2; }
die() { msg "error: $*"; exit 1; }

print_key=0
case "${1:-}" in
"") ;;
--print-key) print_key=1 ;;
-h | --help) usage; exit 0 ;;
*) usage >&2; exit 2 ;;
esac

fragments=("$here/base.config" "$here/$flavour.config")
for f in "${fragments[@]}"; do
	[[ -r $f ]] || die "missing $f"
done
[[ -r $tarball ]] || die "missing $tarball (apt-get install linux-source-6.1, or run scripts/deps.sh)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	die "linux-source-6.1 is not installed"
key=$({ cat "${fragments[@]}"; echo "linux-source-6.1=$srcver"; } | sha256sum | cut -c1-12)
dir=$cache/$flavour-$key
tree=$dir/linux-source-6.1
bzimage=$tree/arch/x86/boot/bzImage
stamp=$dir/.built

if ((print_key)); then
	echo "$dir"
	exit 0
fi

done_print() {
	echo "$bzimage"
	echo "KDIR=$tree"
}

if [[ -e $stamp && -f $bzimage && -f $tree/Module.symvers ]]; then
	done_print
	exit 0
fi

mkdir -p "$dir"
# Only one build per key at a time; a second caller waits, then sees the stamp.
exec 9>"$dir/.lock"
if ! flock -n 9; then
	msg "another build of $dir is running; waiting for it"
	flock 9
fi
if [[ -e $stamp && -f $bzimage && -f $tree/Module.symvers ]]; then
	done_print
	exit 0
fi

log=$dir/build.log
: >"$log"
start=$SECONDS
fail() {
	msg "error: $* (last lines of $log follow)"
	tail -n 40 "$log" >&2
	exit 1
}

msg "building $flavour kernel in $dir (linux-source-6.1 $srcver, -j$jobs); log: $log"
rm -rf "$tree"
msg "extracting $tarball"
tar -xJf "$tarball" -C "$dir" >>"$log" 2>&1 || fail "extracting the source failed"
[[ -d $tree ]] || fail "tarball did not contain linux-source-6.1/"

cd "$tree"
msg "configuring: tinyconfig + base.config + $flavour.config"
{
	make tinyconfig &&
		scripts/kconfig/merge_config.sh -m .config "${fragments[@]}" &&
		make olddefconfig
} >>"$log" 2>&1 || fail "configuration failed"

# merge_config.sh warns about overridden values but does not fail when Kconfig
# drops a requested option (unmet dependency); check every requested =y/=m here.
missing=()
while IFS= read -r line; do
	grep -qx "$line" .config || missing+=("${line#CONFIG_}")
done < <(cat "${fragments[@]}" | grep -E '^CONFIG_[A-Z0-9_]+=[ym]$')
if ((${#missing[@]})); then
	msg "requested but not set in .config: ${missing[*]}"
	for opt in $key_options; do
		for m in "${missing[@]}"; do
			[[ ${m%=*} == "$opt" ]] && die "key option CONFIG_$opt is missing; fix $flavour.config"
		done
	done
fi
for opt in $absent_options; do
	if grep -Eq "^CONFIG_$opt=[ym]$" .config; then
		die "CONFIG_$opt is set but must not be in the $flavour kernel; fix $flavour.config"
	fi
done

msg "make -j$jobs bzImage modules_prepare modules (takes 4-15 minutes on 2 cores)"
make -j"$jobs" bzImage modules_prepare >>"$log" 2>&1 || fail "kernel build failed"
# External modules need Module.symvers; `make modules` writes it (and builds the
# flavour's own modules, e.g. test_vmalloc.ko). vmlinux.symvers holds the same
# exports when the config has no modules of its own.
make -j"$jobs" modules >>"$log" 2>&1 || fail "make modules failed"
if [[ ! -s Module.symvers && -s vmlinux.symvers ]]; then
	cp vmlinux.symvers Module.symvers
fi
[[ -f $bzimage ]] || fail "no bzImage produced"
[[ -s Module.symvers ]] || fail "no Module.symvers produced"

touch "$stamp"
msg "built in $((SECONDS - start)) s: $(du -h "$bzimage" | cut -f1) bzImage"
done_print
