#!/usr/bin/env bats
# The documents' examples are tests: every command of docs/tutorial.md, of
# README.md's "Driving it" section and of kvalab(1)'s EXAMPLES runs here, in
# order, and what it prints must match the document line for line, after the
# masks of tests/vm/lib/doctest.bash (addresses beyond their offset in the slice,
# log and trace timestamps, pids, symbol offsets). A doc that drifts from the
# code fails with a diff; the guest also writes each document with this run's
# outputs to $KVALAB_RESULTS/doctest/<kernel>/ (tests/vm/run --results DIR keeps
# them) to re-capture a changed chapter from a real run:
#
#   tests/vm/run --kernel 6.1 --results /tmp/r tests/vm/suites/tutorial.bats
#   diff docs/tutorial.md /tmp/r/doctest/6.1/docs/tutorial.md   # review, then cp
#
# The documents are copied to /kvalab/src by tests/vm/run. Their commands run in
# a directory laid out like a built source tree (build/$(uname -r)/kvalab.ko is
# the module under test), with the reader's defaults restored first: module
# unloaded, kptr_restrict=0, no events enabled but tracing on, empty kernel log
# and trace buffer.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
# shellcheck source=../lib/doctest.bash
source /usr/lib/bats/kvalab/doctest.bash

SRC=/kvalab/src

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	t0=$SECONDS
	kvalab_unload
	echo 0 >/proc/sys/kernel/kptr_restrict
	echo >/sys/kernel/tracing/set_event
	echo >/sys/kernel/tracing/trace
	echo 1 >/sys/kernel/tracing/tracing_on # trace.bats leaves it off
	dmesg -c >/dev/null
}

teardown() {
	echo "# $BATS_TEST_DESCRIPTION: $((SECONDS - t0)) s" >&3
	kvalab_unload || true
	echo >/sys/kernel/tracing/set_event
	echo 0 >/proc/sys/kernel/kptr_restrict
}

# doc_test FILE: run FILE's examples (doctest_run) as a reader would, in a
# source tree at /root/kvalab (outputs may show that path) and without
# $KVALAB_KO: the CLI then finds ./build/$(uname -r)/kvalab.ko. Print the
# mismatch report, and the slowest examples in the TAP.
doc_test() {
	local doc=$SRC/$1 w=$BATS_TEST_TMPDIR/doctest out rc=0 tree=/root/kvalab
	out=$KVALAB_RESULTS/doctest/$KVALAB_KERNEL/$1
	rm -rf "$tree"
	mkdir -p "$tree/build/$(uname -r)" "$(dirname "$out")"
	ln -s "$KVALAB_KO" "$tree/build/$(uname -r)/kvalab.ko"
	(unset KVALAB_KO && DOCTEST_CWD=$tree doctest_run "$doc" "$w" "$out") || rc=$?
	head -n 3 "$w/times" | sed 's/^/# slowest: /' >&3
	if ((rc)); then
		cat "$w/report"
		return 1
	fi
}

@test "doctest: the masks keep the slice offset and hide only what varies" {
	run doctest_mask <<'EOF'
0xff83f4fb80503000-0xff83f4fb80507000 16384 control_write+0x506/0xd30 [kvalab]
[    4.228854] kvalab: slice of 2097152 bytes at 0x00000000faabeaaf
 kworker/1:1-29 [001] ...1. 4.635107: kvalab_free: id=7 offset=0x7000
loaded build/6.12.95+deb12-cloud-amd64/kvalab.ko slice_size=64M
EOF
	assert_line -n 0 "0x<address>03000-0x<address>07000 16384 control_write+<off>/<len> [kvalab]"
	assert_line -n 1 "[<time>] kvalab: slice of 2097152 bytes at 0x00000000<hashed>"
	assert_line -n 2 " kworker/<n>-<pid> [<cpu>] <flags> <time>: kvalab_free: id=7 offset=0x7000"
	assert_line -n 3 "loaded build/<release>/kvalab.ko slice_size=64M"
	# a different offset is not masked away
	run doctest_mask <<<"0xff83f4fb80504000"
	refute_output "0x<address>03000"
	run doctest_mask mask-addresses <<<"0xff83f4fb80504000-0xff00000000000000"
	assert_output "0x<address>-0x<address>"
}

@test "doctest: a drifted output and a failing command fail with a diff" {
	local w=$BATS_TEST_TMPDIR/self
	mkdir -p "$w"
	cat >"$w/doc.md" <<'EOF'
```console
$ x=2; echo "x is $x"
x is 3
$ f() {
>   echo "f $1"; false
> }
$ f 1
f 1
```
EOF
	run ! doctest_run "$w/doc.md" "$w/run" "$w/new.md"
	run cat "$w/run/report"
	# shellcheck disable=SC2016 # the report quotes the command as written
	assert_line --partial 'doc.md:2: $ x=2; echo "x is $x"'
	assert_line '  -x is 3'
	assert_line '  +x is 2'
	assert_line --partial 'doc.md:7: $ f 1'
	assert_line '  exit status 1 (an example must exit 0); it printed:'
	run grep -c '^x is 2$' "$w/new.md"
	assert_output 1
}

@test "tutorial: every command of docs/tutorial.md prints what the tutorial shows" {
	doc_test docs/tutorial.md
}

@test "README: the Driving it examples print what README.md shows" {
	doc_test README.md
}

@test "kvalab(1): the EXAMPLES run and exit 0" {
	doc_test docs/kvalab.1
}

# offsets: the lines on stdin with each 16-digit address rewritten as its offset
# from the slice start $base. Builtins only: forks are slow under TCG.
offsets() {
	local line out a off
	while IFS= read -r line; do
		out=
		while [[ $line =~ 0x[0-9a-f]{16} ]]; do
			a=${BASH_REMATCH[0]}
			printf -v off '+0x%x' $((a - base))
			out+=${line%%"$a"*}$off
			line=${line#*"$a"}
		done
		printf '%s\n' "$out$line"
	done
}

# one_load SLICE: load, place the tutorial's alignment cases, print every listing
# with offsets instead of addresses, unload.
one_load() {
	local d=/sys/kernel/debug/kvalab c
	kvalab_load "slice_size=$1"
	echo 1 >/proc/sys/kernel/kptr_restrict
	base=$(sed -n 's/^slice_start: //p' "$d/stats")
	# the slice starts aligned to 2 MiB, or to its own size if that is smaller
	local want=$((2 << 20))
	(($1 < want)) && want=$1
	(((base & (want - 1)) == 0)) || { echo "slice_start $base not aligned to $want"; return 1; }
	for c in "alloc 12345" "alloc 8K align=64K" "alloc 4K align=16K noguard" \
		"explain 8K align=32K" "alloc 20K noguard" "free 1" "purge" "explain 64K"; do
		exec {fd}<>"$d/control"
		echo "$c" >&"$fd"
		read -r line <&"$fd"
		exec {fd}>&-
		echo "$line"
	done | offsets
	offsets <"$d/free_areas"
	offsets <"$d/vmallocinfo"
	cat "$d/explain" "$d/map"
	kvalab_unload
}

@test "tutorial: two loads in a row place every request at the same offsets" {
	local s a b
	for s in 2097152 4194304 1048576; do
		a=$(one_load "$s")
		b=$(one_load "$s")
		[[ -n $a && $a == "$b" ]] || {
			echo "slice_size=$s: the second load differs:"
			diff <(echo "$a") <(echo "$b")
			return 1
		}
	done
}
