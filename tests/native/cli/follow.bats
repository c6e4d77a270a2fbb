#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# kvalab follow --from TRACE --layout VMALLOCINFO (docs/follow.md): the
# kernel's vmalloc followed on the sim, offline. fixtures/follow/ is a
# constructed follow (a 7.3-like header, 2 nodes) whose every answer is
# worked out by hand in the comments below; tests/data/follow-6.12.* and
# follow-7.3.* are real follows saved by `kvalab follow --save-trace
# --save-layout` in the test VM (tests/data/README.md), whose agreement
# figures are the issue's measurements. Then the JSON, the picture, and
# bad input: refused with a reason (a line number for a trace), exit 1 or
# 2, never a crash.
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
KVALAB=${KVALAB:-$TOP/userspace-tools/kvalab}
DATA=$TOP/tests/data
FIX=$BATS_TEST_DIRNAME/fixtures/follow
INK=$BATS_TEST_DIRNAME/png_ink.py

setup_file() {
	if [ -z "${KVALAB_NO_BUILD:-}" ]; then
		make -s -C "$TOP/userspace-tools" >&2
	fi
	[ -x "$KVALAB" ]
}

setup() {
	cd "$BATS_TEST_TMPDIR"
	# follow runs on the sim: it must not need the module.
	export KVALAB_DEBUGFS=$BATS_TEST_TMPDIR/no-debugfs
}

fix() {
	"$KVALAB" follow --from "$FIX/trace.txt" --layout "$FIX/layout.txt" "$@"
}

# The fixture, 7.3's rules (the header's release): the layout holds A
# [0,2000) busy, L [2000,4000) lazy, C [4000,6000) busy (offsets from
# 0xffffc90000000000), and a module area outside the range. The alloc
# before the "layout begin" marker is in the layout already: skipped.
#  1 alloc 8K cpu0 -> lowest fit 6000, kernel 6000: agreed (X, node 0)
#    free X; purge 2: L (node unknown) and X (node 0) pooled; purge 0:
#    7.3 keeps pools of fewer than 4 areas
#  2 alloc 8K cpu0 -> node 0's pool head X at 6000, kernel 6000: agreed,
#    a pool hit predicted
#  3 alloc 8K cpu1 -> node 1's pool empty, lowest fit 8000; kernel 2000,
#    L, which the model holds pooled on no known node: pool-other
#  4 alloc in the modules range: outside, not modelled
#  5 alloc of 64T fails (va_start = vend), the model finds no room either:
#    agreed; its purge is the full-decay reclaim
#  6 alloc 4K cpu0 -> lowest fit 8000; kernel 9000, free in the model, a
#    pooled size: pool-before; the gap 8000-9000 the kernel skipped is
#    taken as VA its pools held before the follow (hidden)
#  7 alloc 8K -> lowest fit a000; kernel 0, over A, which the model still
#    held: stale (A evicted)
# Then a free never allocated, a free in the modules range, a LOST line.
@test "follow: the fixture under 7.3's rules, worked out by hand" {
	run fix -q
	assert_success
	assert_line "followed 7.3.0-test: 13 events (7 allocs, 3 frees, 3 purges), LOST 3 events in 1 gaps"
	assert_line "modelled 6 allocations (1 outside the vmalloc range, 0 already in the layout)"
	assert_line "agreement: 3 of 6 = 50.00% placed where the kernel placed them (1 of 1 pool hits predicted)"
	assert_line --regexp '^  miss stale +1  '
	assert_line --regexp '^  miss pool-other +1  '
	assert_line --regexp '^  miss pool-before +1  '
	refute_line --regexp '^  miss (failed|layout-pool|pool-missing|hidden|other) '
	assert_line "model: 1 frees outside the range, 1 of areas it never held, 0 of lazy areas; 1 stale areas evicted, 1 skipped gaps taken as pooled before the follow, 0 purges that purged another count than the kernel's"
	assert_line "  event 5 cpu 1 size 8192 align 1: kernel 0xffffc90000002000, model 0xffffc90000008000 from the tree (pool-other)"
	assert_line "  event 9 cpu 0 size 4096 align 1: kernel 0xffffc90000009000, model 0xffffc90000008000 from the tree (pool-before)"
	assert_line "  event 10 cpu 0 size 8192 align 1: kernel 0xffffc90000000000, model 0xffffc9000000a000 from the tree (stale)"
}

# 6.9 to 6.15 decay a pool class of 1..3 areas whole at every purge: the
# purge 0 after the pooling returns X and L to the tree, so 2 is predicted
# at 2000 (the lowest fit) and misses X's 6000 (free in the model:
# pool-before); the gap 2000-4000 it skipped is taken as hidden pooled VA,
# so 3, which the kernel puts at 2000, misses too (pool-before).
@test "follow: --release 6.12 takes 6.9's pool decay and changes the answers" {
	run fix -q --release 6.12.0
	assert_success
	assert_line --partial "agreement: 2 of 6 = 33.33%"
	assert_line --regexp '^  miss pool-before +3  '
	assert_line --regexp '^  miss stale +1  '
	refute_line --regexp '^  miss pool-other '
	assert_line "  event 4 cpu 0 size 8192 align 1: kernel 0xffffc90000006000, model 0xffffc90000002000 from the tree (pool-before)"
	run fix --release 6.12.0
	assert_line --partial "pools on, 6.9's decay"
	# Without pools (before 6.9) every purged area merges back: 2 and 6
	# land above the lowest fit, which no pool explains: hidden.
	run fix --pools off -q
	assert_line --partial "agreement: 3 of 6 = 50.00%"
	assert_line --regexp '^  miss hidden +2  '
}

@test "follow: events before the layout's begin marker are in the layout already" {
	grep -v 'kvalab-follow: layout' "$FIX/trace.txt" >nomark.txt
	run "$KVALAB" follow --from nomark.txt --layout "$FIX/layout.txt" -q
	assert_success
	# Without markers the text starts after its layout: the early alloc
	# (a page at 10000) counts.
	assert_line --partial "14 events (8 allocs"
	assert_line --partial "agreement: 2 of 7 ="
}

@test "follow: the real 6.12 follow: every allocation where the kernel put it" {
	run "$KVALAB" follow --from "$DATA/follow-6.12.trace" --layout "$DATA/follow-6.12.vmallocinfo"
	assert_success
	assert_line --partial "follow: 6.12.95+deb12-cloud-amd64, vmalloc 0xff7dbd3a80000000-0xffafbd3a7fffffff, 108 areas of the layout in it (1 outside left out), 2 nodes, pools on, 6.9's decay"
	assert_line "followed 6.12.95+deb12-cloud-amd64: 1070 events (490 allocs, 490 frees, 90 purges)"
	assert_line "modelled 454 allocations (36 outside the vmalloc range, 0 already in the layout)"
	assert_line "agreement: 454 of 454 = 100.00% placed where the kernel placed them (3 of 3 pool hits predicted)"
	refute_line --regexp '^  miss '
}

@test "follow: the real 7.3 follow: 96.18%, every miss attributed" {
	run "$KVALAB" follow --from "$DATA/follow-7.3.trace" --layout "$DATA/follow-7.3.vmallocinfo" -q
	assert_success
	assert_line "modelled 445 allocations (30 outside the vmalloc range, 0 already in the layout)"
	assert_line "agreement: 428 of 445 = 96.18% placed where the kernel placed them (11 of 12 pool hits predicted)"
	assert_line --regexp '^  miss stale +1  '
	assert_line --regexp '^  miss pool-other +7  '
	assert_line --regexp '^  miss pool-before +9  '
	refute_line --regexp '^  miss (failed|layout-pool|pool-missing|hidden|other) '
	# The decay is the release's: 6.9's on the 7.3 data is far off.
	run "$KVALAB" follow --from "$DATA/follow-7.3.trace" --layout "$DATA/follow-7.3.vmallocinfo" -q --release 6.12.0
	assert_line --partial "agreement: 398 of 445 = 89.44%"
}

@test "follow: the JSON holds the figures, the misses by cause and the first misses" {
	run fix -q --json f.json
	assert_success
	python3 - f.json <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["kernel"] == "7.3.0-test", j["kernel"]
assert (j["allocs"], j["outside"], j["modelled"], j["agreed"]) == (7, 1, 6, 3)
assert j["agreement"] == 0.5
assert (j["pool_predicted"], j["pool_agreed"]) == (1, 1)
assert (j["outside_frees"], j["unknown_frees"], j["evicted"]) == (1, 1, 1)
assert j["hidden_gaps"] == 1
assert (j["lost_lines"], j["lost_events"], j["layout_outside"]) == (1, 3, 1)
assert (j["layout_areas"], j["layout_unpurged"]) == (3, 1)
assert j["misses"]["stale"] == 1 and j["misses"]["pool-other"] == 1 and j["misses"]["pool-before"] == 1
assert sum(j["misses"].values()) == j["modelled"] - j["agreed"]
assert [m["cause"] for m in j["first_misses"]] == ["pool-other", "pool-before", "stale"]
assert j["first_misses"][0]["kernel"] == "0xffffc90000002000"
assert [s["space"] for s in j["spaces"]][:2] == ["kernel", "lowest"] and len(j["spaces"]) == 7
PY
	run fix -q --json -
	assert_success
	[ "$(printf '%s\n' "$output" | sed -n '/^{/,$p' | python3 -c 'import json,sys; print(json.load(sys.stdin)["agreed"])')" = 3 ]
}

@test "follow: --svg draws ext_frag and largest free over the events, and renders" {
	run "$KVALAB" follow --from "$DATA/follow-7.3.trace" --layout "$DATA/follow-7.3.vmallocinfo" -q --svg f.svg --interval 1
	assert_success
	xmllint --noout f.svg
	rsvg-convert f.svg -o f.png
	read -r n w h < <(python3 "$INK" f.png)
	echo "# f.svg: ${w}x$h, $n non-white pixels" >&3
	((w > 100 && h > 100 && n >= 10000))
	grep -q '>kernel<' f.svg
	grep -q '>instant-fit<' f.svg
}

# The maps: a row per space over the cluster at the range's start, busy
# (#1f77b4) and pooled (#ff7f0e) each well past their legend swatch.
@test "follow: --map draws each space's occupied ranges at the end, and renders" {
	run "$KVALAB" follow --from "$DATA/follow-7.3.trace" --layout "$DATA/follow-7.3.vmallocinfo" -q --map m.svg
	assert_success
	xmllint --noout m.svg
	rsvg-convert m.svg -o m.png
	read -r n w h busy < <(python3 "$INK" m.png 1f77b4)
	read -r _ _ _ pooled < <(python3 "$INK" m.png ff7f0e)
	echo "# m.svg: ${w}x$h, $n non-white, $busy busy, $pooled pooled pixels" >&3
	((w > 1000 && h > 300 && busy > 2000 && pooled > 2000))
	grep -q '>next-fit<' m.svg
	grep -q 'the first 168.4M of the vmalloc range (0xff589a02c0000000)' m.svg
	run "$KVALAB" follow --from "$DATA/follow-7.3.trace" --layout "$DATA/follow-7.3.vmallocinfo" -q --map m2.svg --policy lowest
	assert_success
	[ "$(grep -c '<text x="10" y="[0-9]*">[a-z-]*</text>' m2.svg)" = 2 ]
}

@test "follow: a malformed trace line is refused with its line number" {
	cp "$FIX/trace.txt" bad.txt
	sed -i '8s/num_purged=2/num_purged=x/' bad.txt
	run "$KVALAB" follow --from bad.txt --layout "$FIX/layout.txt" -q
	assert_failure 1
	assert_output --partial "follow: bad.txt: line 8: purge_vmap_area_lazy: expected 'start=0xH end=0xH num_purged=N'"
	printf 'x\0y\n' >nul.txt
	run "$KVALAB" follow --from nul.txt --layout "$FIX/layout.txt"
	assert_failure 1
	assert_output --partial "not a text file"
}

@test "follow: a layout with hashed addresses or a missing file is refused" {
	sed 's/^0xffffc9000000/0x0000abcd1234/' "$FIX/layout.txt" >hashed.txt
	run fix -q --layout hashed.txt
	assert_failure 1
	run "$KVALAB" follow --from "$FIX/trace.txt" --layout hashed.txt
	assert_failure 1
	assert_output --partial "follow:"
	run "$KVALAB" follow --from nothere.txt --layout "$FIX/layout.txt"
	assert_failure 1
	assert_output --partial "nothere.txt"
}

@test "follow: a trace without an alloc over the vmalloc range has nothing to model" {
	grep -v 'alloc_vmap_area' "$FIX/trace.txt" >noalloc.txt
	run "$KVALAB" follow --from noalloc.txt --layout "$FIX/layout.txt"
	assert_failure 1
	assert_output --partial "no alloc_vmap_area event over the vmalloc range came in the trace"
	# --range models from the layout alone.
	run "$KVALAB" follow --from noalloc.txt --layout "$FIX/layout.txt" -q --range 0xffffc90000000000-0xffffe8ffffffffff
	assert_success
	assert_line --partial "modelled 0 allocations"
}

@test "follow: usage errors exit 2" {
	run "$KVALAB" follow --from "$FIX/trace.txt"
	assert_failure 2
	run "$KVALAB" follow --from "$FIX/trace.txt" --layout "$FIX/layout.txt" --seconds 5
	assert_failure 2
	run fix --nodes 0
	assert_failure 2
	run fix --pools maybe
	assert_failure 2
	run fix --range 0x2000-0x1000
	assert_failure 2
	run fix --interval 0
	assert_failure 2
	run fix --policy nosuch
	assert_failure 2
}

@test "follow: live without tracefs, or without the vmalloc events (6.1), says so" {
	mkdir -p empty fake/events
	: >fake/trace
	KVALAB_TRACEFS=$PWD/empty run "$KVALAB" follow --seconds 1
	assert_failure 1
	assert_output --partial "no tracefs"
	KVALAB_TRACEFS=$PWD/fake run "$KVALAB" follow --seconds 1
	assert_failure 1
	assert_output --partial "exist only from Linux 6.2"
}
