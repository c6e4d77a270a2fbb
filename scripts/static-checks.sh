#!/usr/bin/env bash
# Static checks, as TAP: checkpatch.pl --strict (from linux-source-6.1) on
# every kernel source (0 errors, 0 warnings), sparse (a clean make C=1) on the
# 6.x test kernels and a clean gcc build on 7.3 (0 warnings; all but 6.1
# against the headers in the cache, see scripts/kernels.sh), cppcheck on the
# CLI and the native harness. sparse on 7.x is a stated skip: bookworm's sparse
# 0.6.4 cannot parse 7.x headers (__typeof_unqual__), and Debian's 7.3 kbuild
# lacks scripts/checker-valid.sh, so a C=1 build there would turn sparse off
# without a word.
#
# --list prints the kernel sources checkpatch checks, one a line, and exits
# (tests/native/cli/sources.bats holds the list against what git tracks).
set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${KVALAB_CACHE:-$HOME/.cache/kvalab}

# Every kernel source: the module, its workload package, debugfs/, and the
# headers the module shares with the parser and the CLI.
kernel_sources() {
	(cd "$TOP" && printf '%s\n' module/*.[ch] module/workloads/*.[ch] \
		debugfs/*.[ch] include/kvalab/*.h)
}
if [[ ${1:-} == --list ]]; then
	kernel_sources
	exit 0
fi
n=0
tap() { # tap OK|FAIL DESC [DETAILS-FILE]
	n=$((n + 1))
	if [[ $1 == OK ]]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		[[ -n ${3:-} ]] && sed 's/^/# /' "$3" | head -40
	fi
}

# checkpatch.pl and its data files, extracted once from the Debian tarball.
ks=$CACHE/checkpatch
if [[ ! -x $ks/scripts/checkpatch.pl ]]; then
	mkdir -p "$ks"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$ks" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$TOP" || exit 1
if [[ ! -x $ks/scripts/checkpatch.pl ]]; then
	# Without it every file below would "pass": fail once, loudly, instead.
	echo "checkpatch.pl could not be extracted from /usr/src/linux-source-6.1.tar.xz (make deps)" >"$tmp/cp.txt"
	tap FAIL "checkpatch.pl available" "$tmp/cp.txt"
fi
for f in $(kernel_sources); do
	[[ -x $ks/scripts/checkpatch.pl ]] || break
	out=$tmp/cp.txt
	# The compat header is the one place that compares kernel versions.
	ignore=()
	[[ $f == module/compat.h ]] &&
		ignore=(--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON)
	"$ks/scripts/checkpatch.pl" --strict --no-tree --terse -q \
		"${ignore[@]}" -f "$f" >"$out" 2>&1
	if grep -qE ': (ERROR|WARNING):' "$out"; then
		tap FAIL "checkpatch --strict $f: 0 errors, 0 warnings" "$out"
	else
		tap OK "checkpatch --strict $f: 0 errors, 0 warnings ($(grep -c 'CHECK:' "$out") checks)"
	fi
done

for k in 6.1 6.12 7.3; do
	out=$tmp/sparse-$k.txt
	c=1 what="sparse (C=1) and gcc"
	if [[ $k == 7.* ]]; then
		c='' what="gcc"
	fi
	# 6.12's headers are unpacked in the cache, not installed (kernels.sh headers).
	if ! kver=$("$TOP/scripts/kernels.sh" release "$k" 2>"$out") || [[ -z $kver ]] ||
		! kdir=$("$TOP/scripts/kernels.sh" headers "$k" 2>>"$out"); then
		tap FAIL "$what on $k: kernel release and headers resolved" "$out"
		continue
	fi
	rm -rf "$TOP/build/${kver:?}"
	make -s -C "$TOP" module KDIR="$kdir" KVER="$kver" ${c:+C=$c} >"$out" 2>&1
	rc=$?
	# sparse and compiler diagnostics on our sources (not kernel headers).
	grep -E '(module|debugfs|include/kvalab)/[^:]+:[0-9]+:[0-9]+: (warning|error)' "$out" >"$tmp/w.txt"
	if ((rc != 0)) || [[ -s $tmp/w.txt ]]; then
		[[ -s $tmp/w.txt ]] || cp "$out" "$tmp/w.txt"
		tap FAIL "$what on $kver: 0 warnings" "$tmp/w.txt"
	else
		tap OK "$what on $kver: 0 warnings"
	fi
	if [[ -z $c ]]; then
		tap OK "sparse on $kver # SKIP sparse $(sparse --version 2>/dev/null) cannot parse 7.x headers (__typeof_unqual__), and this kbuild has no scripts/checker-valid.sh, so C=1 would be silently off"
	fi
done

# The harness includes the kernel's tools/include (extracted at build time);
# findings inside those kernel headers are not ours to fix.
out=$tmp/cppcheck.txt
make -s -C tests/native out/.ktools-extracted >/dev/null 2>&1
ktools=$(echo tests/native/out/linux-source-*/tools/include)
if cppcheck --enable=warning,style,performance,portability --error-exitcode=1 \
	--inline-suppr -q --std=c11 -I include -I userspace-tools/shim -I "$ktools" \
	--suppress=missingIncludeSystem --suppress='*:tests/native/out/*' \
	-i userspace-tools/sim-obj --suppress='*:userspace-tools/sim-obj/*' \
	--suppress='constParameter:module/core.c' \
	--suppress='clarifyCalculation:module/policy_instant_fit.c' \
	--suppress='unusedLabel:tests/native/*.c' \
	userspace-tools tests/native/*.c >"$out" 2>&1; then
	tap OK "cppcheck on userspace-tools and tests/native: 0 findings"
else
	tap FAIL "cppcheck on userspace-tools and tests/native: 0 findings" "$out"
fi
echo "1..$n"
