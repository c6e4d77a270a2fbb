#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the scenario traces (kvalab scenario NAME -o TRACE, no
# module needed): each trace passes the trace parser (kvalab writes every
# line through it, and tests/native/out/scenario_check parses it again)
# and has the property docs/scenarios.md claims, checked by replaying it
# on the userspace build of the allocator core (scenario_check).
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}
CHECK=$TOP/tests/native/out/scenario_check

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	make -s -C "$TOP/tests/native" out/scenario_check >&2
	[ -x "$KVALAB" ] && [ -x "$CHECK" ]
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

field() { # field KEY LINE
	sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"
}

@test "scenario --list names the three scenarios with their sources" {
	run "$KVALAB" scenario --list
	assert_success
	assert_line --partial "modules-area"
	assert_line --partial "aligned-search"
	assert_line --partial "lazy-purge"
	assert_output --partial "9f531973dff3"
	assert_output --partial "763b218ddfaf"
}

@test "scenario: bad names and options are usage errors" {
	run "$KVALAB" scenario nosuch
	assert_failure 2
	assert_output --partial "unknown scenario 'nosuch'"
	run "$KVALAB" scenario
	assert_failure 2
	assert_output --partial "missing NAME"
	run "$KVALAB" scenario modules-area --small 4
	assert_failure 2
	run "$KVALAB" scenario modules-area --ops 0
	assert_failure 2
	# With a module (a debugfs to use), the slice is the loaded one's.
	run env KVALAB_DEBUGFS="$BATS_TEST_TMPDIR" "$KVALAB" scenario aligned-search --slice-size 64M
	assert_failure 2
	assert_output --partial "--slice-size is for -o"
	run "$KVALAB" scenario aligned-search --sim -o x.trace
	assert_failure 2
	assert_output --partial "--sim has nothing to run"
}

@test "aligned-search: padded fails and exact places, at every slice misalignment" {
	run "$KVALAB" scenario aligned-search -o as.trace --slice-size 64M
	assert_success
	head -1 as.trace | grep -q '^kvalab-trace 1 slice_size=64M page_size=4096'
	# The last op is the request: 512K aligned to 256K.
	tail -1 as.trace | grep -q '^a [0-9]* 524288 align=262144 flags=noguard$'
	# Every misalignment of the slice start modulo the 256K alignment.
	for off in $(seq 0 63); do
		run "$CHECK" as.trace --search padded --offset "$off"
		assert_success
		assert_output --partial "enomem=1 "
		# The failure is the last line, with the exact hole free.
		[ "$(field first_fail_line "$output")" = "$(wc -l <as.trace)" ]
		[ "$(field largest_then "$output")" = 524288 ]
		run "$CHECK" as.trace --search exact --offset "$off"
		assert_success
		assert_output --partial "enomem=0 "
	done
}

@test "aligned-search: the free area fits the request exactly, never size + align - 1" {
	run "$KVALAB" scenario aligned-search -o as.trace --slice-size 16M
	assert_success
	id=$(tail -1 as.trace | cut -d' ' -f2)
	head -n -1 as.trace >layout.trace
	run "$CHECK" layout.trace --offset 5
	assert_success
	assert_output --partial "enomem=0 "
	# One page more than the request fits nowhere, at any alignment: no
	# free area reaches size + align - 1 (786431 bytes).
	cp layout.trace more.trace
	echo "a $id 528384 flags=noguard" >>more.trace
	run "$CHECK" more.trace --search exact --offset 5
	assert_output --partial "enomem=1 "
	# The request itself fits (exact), in the hole of exactly its size.
	cp layout.trace req.trace
	echo "a $id 524288 align=262144 flags=noguard" >>req.trace
	run "$CHECK" req.trace --search exact --offset 5
	assert_output --partial "enomem=0 "
}

@test "modules-area: deterministic, below 94% of 16M live, ENOMEM from fragmentation" {
	run "$KVALAB" scenario modules-area -o a.trace --slice-size 16M --seed 7
	assert_success
	run "$KVALAB" scenario modules-area -o b.trace --slice-size 16M --seed 7
	cmp a.trace b.trace
	run "$KVALAB" scenario modules-area -o c.trace --slice-size 16M --seed 8
	! cmp -s a.trace c.trace || false
	any=0
	for pol in lowest vmlist cached-hole next-fit best-fit instant-fit; do
		run "$CHECK" a.trace --policy "$pol"
		assert_success
		assert_output --partial "check=ok"
		if [ "$(field enomem "$output")" != 0 ]; then
			any=1
			# Fragmentation: the bytes were free, not one area as large.
			free=$(field free_then "$output")
			size=$(field first_fail_size "$output")
			largest=$(field largest_then "$output")
			[ "$free" -ge "$size" ]
			[ "$largest" -lt "$size" ]
		fi
	done
	[ "$any" = 1 ]
}

@test "modules-area: on a larger slice a filler keeps all but 16M busy" {
	run "$KVALAB" scenario modules-area -o big.trace --slice-size 64M --ops 500
	assert_success
	sed -n 2,5p big.trace | grep -q '^a 0 50331648 flags=noguard,filler$'
	run "$KVALAB" scenario modules-area -o small.trace --slice-size 8M
	assert_failure 1
	assert_output --partial "kvalab load --slice 16M"
}

@test "lazy-purge: no purge points; the large threshold's purges are larger" {
	run "$KVALAB" scenario lazy-purge -o lp.trace --slice-size 128M --ops 20000
	assert_success
	! grep -q '^p' lp.trace || false
	run "$CHECK" lp.trace --lazy-max 32
	assert_success
	small=$(field purge_pages_max "$output")
	run "$CHECK" lp.trace --lazy-max 8192
	assert_success
	large=$(field purge_pages_max "$output")
	[ "$small" -le 64 ]
	[ "$large" -gt 8192 ]
}
