#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of the floor backend's columns and the breakdown table, from
# fixtures/results-floor (a 6.1 guest's results file of a vmalloc, kvalab,
# floor run with breakdown=Y; its frag and latency lines left out).
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
FIXTURES=$BATS_TEST_DIRNAME/fixtures
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}
FLOOR=$FIXTURES/results-floor
PHASES="objects pages va map insert vblock lookup unmap free_pages lazy flush merge state_sem"

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "table: kvalab/floor next to the ratios over vmalloc, from the medians" {
	run -0 "$KVALAB" report --from-results "$FLOOR"
	assert_line --regexp '^case +vmalloc loop_ns +p99 +kvalab loop_ns +p99 +floor loop_ns +p99 +kvalab/vmalloc +floor/vmalloc +kvalab/floor +status$'
	# 37586/30201, 18596/11404, 1062901/1151528.
	assert_line --regexp '^fix_size_alloc_test +31149 +687199 +37586 +206581 +30201 +1934354 +1\.207 +0\.970 +1\.245 +pass$'
	assert_line --regexp '^vm_map_ram_test .* 2\.047 +1\.255 +1\.631 +pass$'
	assert_line --regexp '^random_size_alloc_test .* 0\.993 +1\.076 +0\.923 +pass$'
	assert_line --partial 'kvalab/floor: kvalab median / floor median'
	# No breakdown table unless asked for.
	refute_line --partial 'breakdown'
}

@test "--breakdown: ns per loop iteration of every phase, per case and backend" {
	run -0 "$KVALAB" report --from-results "$FLOOR" --breakdown
	head=$(grep '^case  *backend  *objects' <<<"$output")
	for ph in $PHASES sum ns/op; do
		[[ $head =~ \ $ph( |$) ]]
	done
	# fix_size on kvalab: objects=245761 ns over ops=40 is 6144 per op;
	# phases never entered print "-"; sum is every phase's ns over ops.
	assert_line --regexp '^fix_size_alloc_test +kvalab +6144 +9410 +4411 +2517 +1121 +- +1108 +1083 +2393 +1202 +- +- +1320 +30712 +37586$'
	assert_line --regexp '^fix_size_alloc_test +floor +- +11671 +5082 +4543 +- +- +1487 +1811 +2877 +3364 +- +- +- +30839 +30201$'
	assert_line --regexp '^random_size_alloc_test +floor +- +795886 .* 261804 +- +- +1092520 +1151528$'
	# vmalloc has no line of kvalab's phases: 3 cases x (kvalab, floor).
	[[ $(grep -cE '^[a-z_]+_test +(kvalab|floor) ' <<<"$output") == 6 ]]
	refute_line --regexp '^[a-z_]+_test +vmalloc +[0-9-]+ +[0-9-]+ +[0-9-]+ +[0-9-]+ '
}

@test "breakdown and kvalab/floor survive JSON; CSV has kvalab_floor on every row" {
	run -0 "$KVALAB" report --from-results "$FLOOR" --json f.json --csv f.csv
	grep -q '"kvalab_floor": 1.245' f.json
	grep -q '"breakdown": {"ops": 40, "objects": {"ns": 245761, "calls": 40}' f.json
	run -0 "$KVALAB" report f.json --breakdown
	assert_line --regexp '^fix_size_alloc_test +kvalab +6144 +9410 '
	assert_line --regexp '^random_size_alloc_test .* 0\.923 +pass$'
	run -0 head -1 f.csv
	assert_output --regexp ',kvalab_floor,avg_us$'
	[[ $(grep -c ',1\.245,[0-9]*$' f.csv) == 3 ]]
}

@test "a breakdown line missing a phase, naming an unknown one or a bad value is an error" {
	sed 's/ state_sem=[0-9:]*//' "$FLOOR" > a
	run -1 "$KVALAB" report --from-results a
	assert_output --partial 'breakdown: no phase state_sem'
	sed 's/ merge=/ bogus=/' "$FLOOR" > b
	run -1 "$KVALAB" report --from-results b
	assert_output --partial "breakdown: bad phase 'bogus="
	sed 's/ lazy=\([0-9]*\):/ lazy=\1;/' "$FLOOR" > c
	run -1 "$KVALAB" report --from-results c
	assert_output --partial "breakdown: bad phase 'lazy="
}

@test "no breakdown lines: --breakdown says why instead of a table" {
	grep -v '^breakdown ' "$FLOOR" > nb
	run -0 "$KVALAB" report --from-results nb --breakdown
	assert_line 'no breakdown: the run had breakdown=N, or more threads than CPUs'
}

@test "baseline floor: the ratio is kvalab/floor itself, no second column" {
	sed 's/baseline=vmalloc$/baseline=floor/' "$FLOOR" | grep -v '^ratio ' > bf
	run -0 "$KVALAB" report --from-results bf
	assert_line --regexp '^case +vmalloc loop_ns .* vmalloc/floor +kvalab/floor +status$'
	[[ $(grep -c 'kvalab/floor' <<<"$output") == 1 ]]
}
