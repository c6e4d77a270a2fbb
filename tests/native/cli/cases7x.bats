#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# Native tests of test_vmalloc's two newest cases in the CLI:
# no_block_alloc_test (bit 2048, test_vmalloc since 6.19) and vrealloc_test
# (4096, since 7.2). The fixtures are results files in the module's format,
# written by hand after module/workloads/wl_results.c (no 7.x guest had run them when
# they were made): results-7x is a 7.x kernel's run on vmalloc, kvalab and
# floor, where vmalloc runs both cases and kvalab and floor skip the
# non-blocking one; results-7x-old-kernel a 6.12 kernel's, where vmalloc
# skips both for the kernel's reasons (module/compat.h).
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
FIXTURES=$BATS_TEST_DIRNAME/fixtures
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}
NEW=$FIXTURES/results-7x
OLD=$FIXTURES/results-7x-old-kernel

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

# A fake debugfs whose control file is a plain file, as cli.bats makes it.
setup() {
	cd "$BATS_TEST_TMPDIR"
	DFS=$BATS_TEST_TMPDIR/debugfs
	cp -r "$FIXTURES/debugfs" "$DFS"
	: > "$DFS/control"
	export KVALAB_DEBUGFS=$DFS
	unset KVALAB_KO
}

@test "run sends the two cases by name, or by their mask bits" {
	run -0 "$KVALAB" run no_block_alloc_test vrealloc_test --backend vmalloc \
		--loops 10 --no-progress
	printf 'run no_block_alloc_test vrealloc_test loops=10 backend=vmalloc\n' |
		cmp - "$DFS/control"
	: > "$DFS/control"
	run -0 "$KVALAB" run --mask 0x1800 --no-progress
	printf 'run mask=0x1800\n' | cmp - "$DFS/control"
	: > "$DFS/control"
	run -0 "$KVALAB" compare vrealloc_test --policies lowest --no-progress
	printf 'run vrealloc_test backend=vmalloc,kvalab:lowest\n' |
		cmp - "$DFS/control"
}

@test "7.x: vmalloc runs both; kvalab and floor skip no_block_alloc_test and say why" {
	run -0 "$KVALAB" report --from-results "$NEW"
	assert_line --regexp '^no_block_alloc_test +20050 +41000 +- +- +- +- +- +- +- +pass/skip/skip$'
	# 60300/80400, 48240/80400, 60300/48240.
	assert_line --regexp '^vrealloc_test +80400 +120500 +60300 +88000 +48240 +70100 +0\.750 +0\.600 +1\.250 +pass$'
	assert_line "no_block_alloc_test on kvalab: skip: kvalab_alloc_may_sleep"
	assert_line "no_block_alloc_test on floor: skip: floor_alloc_may_sleep"
	refute_line --partial "vrealloc_test on"
	assert_line "2 cases, 6 results: 4 pass, 2 skip"
}

@test "6.12: the vmalloc backend skips both, naming the kernel version they need" {
	run -0 "$KVALAB" report --from-results "$OLD"
	assert_line --regexp '^no_block_alloc_test +- +- +- +- +- +skip$'
	assert_line --regexp '^vrealloc_test +65120 +97000 +- +- +- +pass/skip$'
	assert_line "no_block_alloc_test on kvalab: skip: kvalab_alloc_may_sleep"
	assert_line "no_block_alloc_test on vmalloc: skip: vmalloc_may_sleep_before_6.19"
	assert_line "vrealloc_test on vmalloc: skip: vrealloc_not_exported_before_7.0"
	assert_line "2 cases, 4 results: 1 pass, 3 skip"
}

@test "CSV and JSON: the bits 2048 and 4096, the skip reasons, and a stable round trip" {
	run -0 "$KVALAB" report --from-results "$NEW" --csv n.csv --json n.json
	grep -qx 'no_block_alloc_test,2048,vmalloc,pass,40,20050,41000,18200,41000,,,vmalloc,,0,,,,410' n.csv
	grep -qx 'no_block_alloc_test,2048,kvalab,skip,0,,,,,,kvalab_alloc_may_sleep,vmalloc,,0,,,,' n.csv
	grep -qx 'no_block_alloc_test,2048,floor,skip,0,,,,,,floor_alloc_may_sleep,vmalloc,,0,,,,' n.csv
	grep -qx 'vrealloc_test,4096,kvalab,pass,40,60300,88000,57000,88000,0.750,,vmalloc,0.750,0,1,16777216,1.250,1204' n.csv
	[ "$(wc -l < n.csv)" -eq 7 ]
	run -0 "$KVALAB" report --from-results "$OLD" --csv o.csv --json o.json
	grep -qx 'no_block_alloc_test,2048,vmalloc,skip,0,,,,,,vmalloc_may_sleep_before_6.19,vmalloc,,0,,,,' o.csv
	grep -qx 'vrealloc_test,4096,vmalloc,skip,0,,,,,,vrealloc_not_exported_before_7.0,vmalloc,,0,,,,' o.csv
	grep -q '"reason": "vrealloc_not_exported_before_7.0"' o.json
	for f in n o; do
		run -0 "$KVALAB" report $f.json --json $f-2.json --csv $f-2.csv
		cmp $f.json $f-2.json
		cmp $f.csv $f-2.csv
	done
	python3 - n.json <<-'EOF'
	import json, sys
	d = json.load(open(sys.argv[1]))
	c = {x["name"]: x for x in d["cases"]}
	assert c["no_block_alloc_test"]["bit"] == 2048
	assert c["vrealloc_test"]["bit"] == 4096
	nb = c["no_block_alloc_test"]["backends"]
	assert nb["vmalloc"]["status"] == "pass"
	assert nb["kvalab"]["status"] == "skip"
	assert nb["kvalab"]["reason"] == "kvalab_alloc_may_sleep"
	assert nb["floor"]["reason"] == "floor_alloc_may_sleep"
	vr = c["vrealloc_test"]["backends"]
	assert all(vr[b]["status"] == "pass" for b in ("vmalloc", "kvalab", "floor"))
	EOF
}

@test "a non-blocking allocation that found no memory is xfail: the run does not fail" {
	sed 's/^case=no_block_alloc_test backend=vmalloc status=pass ops=40 \(.*\) enomem=0$/case=no_block_alloc_test backend=vmalloc status=xfail ops=20 \1 enomem=1/' \
		"$NEW" > "$DFS/results"
	grep -q 'no_block_alloc_test backend=vmalloc status=xfail ops=20 .* enomem=1$' "$DFS/results"
	run -0 "$KVALAB" run no_block_alloc_test --no-progress
	assert_line --regexp '^no_block_alloc_test +20050 +41000 .* xfail/skip/skip$'
	refute_output --partial "a case failed or an expected failure passed"
	# A fail (which no_block_alloc_test never reports) would.
	sed -i 's/status=xfail ops=20/status=fail ops=20/' "$DFS/results"
	run -1 "$KVALAB" run no_block_alloc_test --no-progress
	assert_output --partial "a case failed or an expected failure passed"
}
