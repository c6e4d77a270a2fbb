#!/usr/bin/env bats
# Seeing the slice on the live module: the fragmentation figures of a
# constructed layout against hand-computed values, explain against the
# allocation that follows it under every policy, the free_tree listing
# against free_areas and the checker, explain changing nothing, and its
# refusals.
#
# Offsets are pages from the slice start (4M slice: pages 0..1023); areas
# are noguard unless said otherwise, so "alloc 8K noguard" is 2 pages.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load policies

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	echo 1 >/proc/sys/kernel/kptr_restrict
	policy_load
}

teardown() {
	kvalab_unload || true
}

# The holes of tests/native/test_frag.c's "holes of 1, 2, 4 and 8 pages",
# with the rest of the slice busy: free pages 1, [3,5), [6,10), [11,19).
holes_layout() {
	local p ids=()
	for p in 1 1 1 2 1 4 1 8 1005; do
		palloc $((p * PG)) noguard || return 1
		ids+=("$ID")
	done
	for p in 1 3 5 7; do
		ctl_ok free "${ids[p]}" >/dev/null || return 1
	done
	ctl_ok purge >/dev/null
	free_list_is "1:2 3:5 6:10 11:19"
}

@test "figures of the 1, 2, 4, 8-page holes equal the hand-computed ones" {
	holes_layout
	# F = 15 pages, L = 8: ext = 1 - 8/15 = 0.46667 -> 0.4667;
	# S2 = 1 + 4 + 16 + 64 = 85: rss = 1 - sqrt(85)/15 = 0.38536 -> 0.3854.
	[[ $(stat_val free_bytes) == $((15 * PG)) ]]
	[[ $(stat_val nr_free) == 4 ]]
	[[ $(stat_val largest_free) == $((8 * PG)) ]]
	[[ $(stat_val ext_frag) == 0.4667 ]]
	[[ $(stat_val frag_rss) == 0.3854 ]]
	run cat "$D/free_hist"
	assert_output "# free areas by size class (pages in [2^K, 2^K+1)): nr_free=4 free_bytes=61440
class=0 pages=[1,2) areas=1 bytes=4096
class=1 pages=[2,4) areas=1 bytes=8192
class=2 pages=[4,8) areas=1 bytes=16384
class=3 pages=[8,16) areas=1 bytes=32768"
	run kvalab --json stats
	assert_output --partial '"ext_frag":0.4667,"frag_rss":0.3854,'
	# One free area: both figures 0; a full slice: no free area, no class.
	ctl_ok reset >/dev/null
	[[ $(stat_val ext_frag) == 0.0000 && $(stat_val frag_rss) == 0.0000 ]]
	palloc 4M noguard
	[[ $(stat_val nr_free) == 0 && $(stat_val ext_frag) == 0.0000 ]]
	run cat "$D/free_hist"
	assert_output "# free areas by size class (pages in [2^K, 2^K+1)): nr_free=0 free_bytes=0"
}

# explain_then_alloc ARGS...: explain ARGS, then alloc ARGS; the chosen
# address and split case must be the allocation's.
explain_then_alloc() {
	local ex
	ctl_res explain "$@" || { echo "explain $*: $RES" >&2; return 1; }
	ex=$RES
	[[ $ex == "ok explain policy=$(stat_val policy) "* ]] || { echo "$ex" >&2; return 1; }
	palloc "$@" || return 1
	if [[ $(field addr "$ex") != "$(field addr "$RES")" ||
		$(field fit "$ex") != "$(field fit "$RES")" ]]; then
		echo "$(stat_val policy): explain $*: $ex; alloc: $RES" >&2
		return 1
	fi
	grep -q "^chosen area=.* fit=$(field fit "$RES")\$" "$D/explain"
}

@test "explain chooses what the next alloc takes, under every policy" {
	local pol
	for pol in "${POLICIES[@]}"; do
		ctl_ok reset >/dev/null
		ctl_ok policy "$pol" >/dev/null
		build_layout
		# Guarded and aligned requests, and a no-edge split.
		explain_then_alloc 8K
		explain_then_alloc 12K
		explain_then_alloc 4K noguard align=16K
		explain_then_alloc 16K
		explain_then_alloc 8K align=8K
		explain_then_alloc 64K
		check_ok
	done
}

@test "explain's trace: lowest walks the tree, vmlist the list, each ends at the choice" {
	build_layout
	ctl_ok explain 12K >/dev/null
	run cat "$D/explain"
	assert_line --index 0 "# explain size=12288 vm_size=16384 align=4096 guard=1 policy=lowest"
	assert_line --regexp '^step=1 node \[\+0x[0-9a-f]+, \+0x[0-9a-f]+\) depth=0 size=[0-9]+ max=[0-9]+ left_max=[0-9]+ right_max=[0-9]+ go=(left|this|right|up)$'
	# The 4-page request fits the 8-page hole at page 2 first: LE.
	assert_line "chosen area=[+0x2000, +0xa000) start=+0x2000 end=+0x6000 fit=LE"
	last=$(grep '^step=' "$D/explain" | tail -n1)
	[[ $last == *" [+0x2000, +0xa000) "*"go=this" ]]
	ctl_ok policy vmlist >/dev/null
	ctl_ok explain 12K >/dev/null
	run cat "$D/explain"
	assert_line "step=1 entry [+0x0, +0x2000) addr=+0x2000 go=next"
	assert_line "step=2 entry [+0xa000, +0xb000) addr=+0x2000 go=this"
	assert_line "chosen area=[+0x2000, +0xa000) start=+0x2000 end=+0x6000 fit=LE"
	run kvalab explain 12K
	assert_success
	# The result line in the style of every control command: KEY=VALUE.
	assert_line --index 0 --regexp '^policy=vmlist vm_size=16384 align=4096 addr=0x[0-9a-f]{16} area=\+0x2000-\+0xa000 fit=LE steps=2$'
	assert_line --partial "-> this: the hole before this area holds the request"
}

@test "free_tree: every free area once, subtree_max_size as the checker and free_areas say" {
	local i ids=()
	# 40 areas of 1..7 pages, every other freed: a tree of about 20 nodes.
	for i in $(seq 1 40); do
		palloc $(((i % 7 + 1) * PG)) noguard
		ids+=("$ID")
	done
	for i in $(seq 1 2 39); do
		ctl_ok free "${ids[i]}" >/dev/null
	done
	ctl_ok purge >/dev/null
	check_ok
	nr=$(stat_val nr_free)
	tail -n1 "$D/free_tree" | grep -qx "# shown $nr of $nr nodes, cut 0 (depth limit 16, node limit 2048)"
	# The same ranges as free_areas, with the same subtree_max_size.
	diff <(grep '^depth=' "$D/free_tree" | sed -E 's/.*\[\+0x([0-9a-f]+), \+0x([0-9a-f]+)\) size=([0-9]+) subtree_max_size=([0-9]+)/\1 \2 \3 \4/' |
		while read -r a b sz mx; do echo "$((0x$a / PG)) $((0x$b / PG)) $sz $mx"; done | sort -n) \
		<(while read -r range sz mx; do
			[[ $range == "#"* ]] && continue	# the header
			s=${range%-*} e=${range#*-}
			echo "$(((s - S0) / PG)) $(((e - S0) / PG)) $sz $mx"
		done <"$D/free_areas" | sort -n)
	# subtree_max_size recomputed from the listing's shape: each node's own
	# size or its children's maxima, whichever is largest (pre-order: the
	# children of a depth-d node are the following depth-(d+1) lines).
	awk '/^depth=/ {
		d = substr($1, 7) + 0; sz = substr($5, 6) + 0; mx = substr($6, 18) + 0
		n++; dep[n] = d; size[n] = sz; max[n] = mx
	} END {
		for (i = 1; i <= n; i++) {
			want = size[i]
			for (j = i + 1; j <= n && dep[j] > dep[i]; j++)
				if (dep[j] == dep[i] + 1 && max[j] > want) want = max[j]
			if (want != max[i]) { print "node " i ": max " max[i] ", want " want; bad = 1 }
		}
		exit bad
	}' "$D/free_tree"
	# The root is black and its maximum is largest_free.
	head -n2 "$D/free_tree" | tail -n1 | grep -q "^depth=0 black .* subtree_max_size=$(stat_val largest_free)\$"
	run kvalab tree --svg "$BATS_TEST_TMPDIR/t.svg"
	assert_success
	grep -q '</svg>' "$BATS_TEST_TMPDIR/t.svg"
}

@test "explain changes nothing: listings and counters identical, for every policy" {
	local pol before
	build_layout
	ctl_ok free "${LAYOUT_IDS[0]}" >/dev/null	# a lazy area too
	for pol in "${POLICIES[@]}"; do
		ctl_ok policy "$pol" >/dev/null
		before=$(cat "$D/vmallocinfo" "$D/free_areas" "$D/free_tree" "$D/stats")
		ctl_ok explain 12K >/dev/null
		ctl_ok explain 4K noguard align=64K >/dev/null
		[[ $(cat "$D/vmallocinfo" "$D/free_areas" "$D/free_tree" "$D/stats") == "$before" ]]
		check_ok
	done
	# A request nothing holds: found=none, and the lazy area is named.
	run ctl explain 4090K noguard
	assert_output --regexp '^ok explain policy=instant-fit vm_size=4190208 align=4096 found=none lazy=1 steps=[0-9]+$'
	grep -q '^chosen none (an alloc would fail with -ENOMEM unless purging' "$D/explain"
}

@test "bad explain input: errno and reason, nothing changed" {
	local before
	build_layout
	before=$(policy_state; cat "$D/explain")
	run ctl explain
	assert_output "error explain -22 EINVAL: missing SIZE"
	run ctl explain 0
	assert_output "error explain -22 EINVAL: size '0' is zero"
	run ctl explain 4K align=3K
	assert_output "error explain -22 EINVAL: alignment 3K is not a power of two"
	run ctl explain 4K id=1
	assert_output "error explain -22 EINVAL: unknown option 'id=1'"
	run ctl explain 8M
	assert_output "error explain -7 E2BIG: 8388608 bytes exceed the 4194304-byte slice"
	run ctl explain 4M
	assert_output "error explain -7 E2BIG: 4194304 bytes need 4198400 with the guard page, more than the 4194304-byte slice"
	run ctl explain 18446744073709551615
	assert_output --partial "error explain -75 EOVERFLOW:"
	[[ $(policy_state; cat "$D/explain") == "$before" ]]
	run -1 kvalab explain 0
	assert_output --partial "size '0' is zero"
}
