#!/usr/bin/env bats
# Placement policies on the live slice: each policy's exact placements on a
# layout where they differ, switching with live busy and lazy areas, the
# policy command's refusals, the policy= parameter and the stats lines.
#
# Offsets are pages from the slice start (4M slice: pages 0..1023). Every
# allocation's VA includes its guard page unless noguard, so "alloc 8K" is
# 3 pages. Frees go to the lazy list until a purge.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load policies
load workloads

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	# Real addresses for root, so that offsets can be computed.
	echo 1 >/proc/sys/kernel/kptr_restrict
}

teardown() {
	if kvalab_loaded; then
		ctl stop >/dev/null || true
	fi
	kvalab_unload || true
}

# After build_layout the free areas are [2,10) 8 pages, [11,14) 3,
# [15,20) 5 and [21,1024); the probe asks for 3, 4, 5, 3 pages.

@test "lowest: each request at the lowest page where it fits" {
	policy_load policy=lowest
	build_layout
	# 3 -> [2,10) at 2; 4 -> the rest [5,10) at 5; 5 -> [9,10) is 1, [11,14)
	# is 3, so [15,20) at 15; 3 -> [11,14) at 11.
	probe_expect 2 5 15 11
	free_list_is "9:10 21:1024"
	clean_end
}

@test "vmlist: the 2.6 walk of occupied areas finds lowest's pages" {
	policy_load policy=vmlist
	[[ $(stat_val policy) == vmlist ]]
	build_layout
	# The first hole between occupied areas that fits: as for lowest.
	probe_expect 2 5 15 11
	free_list_is "9:10 21:1024"
	clean_end
}

@test "best-fit: the smallest free area that fits, at its start" {
	policy_load policy=best-fit
	build_layout
	# 3 -> [11,14) exactly; 4 -> [15,20) (5 beats 8) at 15, leaving [19,20);
	# 5 -> [2,10) (8 beats 1003) at 2, leaving [7,10); 3 -> [7,10) at 7.
	probe_expect 11 15 2 7
	free_list_is "19:20 21:1024"
	# Ties go to the lowest address: free a3 (page 14, between busy areas
	# at 11 and 15), a hole as small as the older one at 19.
	ctl_ok free "${LAYOUT_IDS[4]}" >/dev/null
	ctl_ok purge >/dev/null
	free_list_is "14:15 19:20 21:1024"
	place_at 14 4K noguard
	place_at 19 4K noguard
	# Nothing of one page is left: the next goes to the rest's start.
	place_at 21 4K noguard
	clean_end
}

@test "next-fit: from the end of the previous allocation, wrapping once to the start" {
	policy_load policy=next-fit
	build_layout
	# a4 ended at 21: every probe continues from there, past the holes.
	probe_expect 21 24 28 33
	free_list_is "2:10 11:14 15:20 36:1024"
	# Fill the rest exactly: the rotor is then the slice end, nothing fits
	# after it, and the search wraps to the start: [2,10) at 2.
	place_at 36 $(((1024 - 36) * PG)) noguard
	place_at 2 8K
	# And goes on from there: [5,10) holds 4 pages.
	place_at 5 12K
	free_list_is "9:10 11:14 15:20"
	clean_end
}

@test "cached-hole: the search goes on after the cached area; a free below moves the cache back" {
	policy_load policy=cached-hole
	build_layout
	# The purge freed h8 below the cache (a4): the cache moved back to a1,
	# the occupied area before h8. 3 -> walk from a1's end: [2,10) at 2;
	# 4 -> after it, [5,10) at 5; 5 -> after it: [9,10) and [11,14) are too
	# small, [15,20) at 15; 3 -> after it, so not [11,14) (lowest's choice)
	# but the rest's start, 21.
	probe_expect 2 5 15 21
	free_list_is "9:10 11:14 24:1024"
	# Free the 4-page area at 5 (below the cache at 21) and purge: it merges
	# into [5,10) and the cache moves back to the area before it (at 2), so
	# a 3-page request goes to 5 instead of after 24.
	ctl_ok free "${PROBE_IDS[1]}" >/dev/null
	ctl_ok purge >/dev/null
	free_list_is "5:10 11:14 24:1024"
	place_at 5 8K
	clean_end
}

@test "instant-fit: power-of-two classes, the most recently added area first" {
	policy_load policy=instant-fit
	build_layout
	# Classes of free areas (k: 2^k..2^(k+1)-1 pages): h3 in 1, h5 in 2, h8
	# in 3, the rest (1003) in 9. 3 pages -> class 2: h5 at 15, its rest
	# [18,20) goes to class 1; 4 -> class 2 is empty, class 3: h8 at 2, its
	# rest [6,10) to class 2; 5 -> class 3 is empty, up to 9: the rest at
	# 21; 3 -> class 2: [6,10) at 6, its rest [9,10) to class 0.
	probe_expect 15 2 21 6
	free_list_is "9:10 11:14 18:20 26:1024"
	# 2 pages -> class 1 holds [18,20) (added by the first probe) and
	# [11,14) (added by the purge, earlier): the newer one wins, not the
	# lower one.
	place_at 18 4K
	# Then [11,14), the only area left in class 1.
	place_at 11 4K
	free_list_is "9:10 13:14 26:1024"
	clean_end
}

@test "switching with live busy and lazy areas keeps them; each switch is checker-clean" {
	policy_load
	# a [0,5) b [5,11) c [11,13) d [13,15) e [15,17), then b and d freed:
	# lazy until the purge below.
	palloc 16K
	a=$ID
	palloc 20K
	b=$ID
	palloc 4K
	palloc 4K
	d=$ID
	palloc 4K
	ctl_ok fill "$a" 0x5a >/dev/null
	ctl_ok free "$b" >/dev/null
	ctl_ok free "$d" >/dev/null
	[[ $(stat_val nr_lazy) == 2 && $(stat_val lazy_pages) == 8 ]]
	before=$(policy_state | grep -v '^policy:')
	prev=lowest
	for p in vmlist cached-hole next-fit best-fit instant-fit lowest best-fit; do
		run -0 ctl policy "$p"
		assert_output "ok policy $prev->$p"
		[[ $(stat_val policy) == "$p" ]]
		[[ $(policy_state | grep -v '^policy:') == "$before" ]]
		check_ok
		prev=$p
	done
	ctl_ok verify "$a" 0x5a >/dev/null
	# The lazy areas are still lazy: this purge returns them, into
	# best-fit's index too.
	run -0 ctl purge
	assert_output "ok purge areas=2 pages=8"
	free_list_is "5:11 13:15 17:1024"
	check_ok
	# best-fit: 2 pages into the 2-page hole; lowest would take 5.
	place_at 13 4K
	run -0 ctl policy lowest
	assert_output "ok policy best-fit->lowest"
	place_at 5 4K
	clean_end
}

@test "policy NAME with the active name changes nothing" {
	policy_load policy=best-fit
	build_layout
	before=$(policy_state)
	run -0 ctl policy best-fit
	assert_output "ok policy best-fit->best-fit"
	[[ $(policy_state) == "$before" ]]
	# Still best-fit: 3 pages into the 3-page hole.
	place_at 11 8K
	clean_end
}

# policy_refused ERRNO REASON ARGS...: "policy ARGS" fails with ERRNO and a
# reason containing REASON, logs it, and leaves the state alone.
policy_refused() {
	local errno=$1 reason=$2 before mark
	shift 2
	before=$(policy_state)
	mark=$(kmsg_mark)
	run -1 ctl policy "$@"
	assert_output --regexp "^error policy -[0-9]+ $errno: "
	assert_output --partial "$reason"
	dmesg_since_mark "$mark" | grep -qF "control: policy rejected (-"
	[[ $(policy_state) == "$before" ]]
	check_ok
}

@test "unknown, missing or extra names are EINVAL naming the accepted ones; nothing changes" {
	policy_load policy=next-fit
	build_layout
	palloc 4K
	ctl_ok free "$ID" >/dev/null
	policy_refused EINVAL "unknown policy 'first-fit' (one of: $POLICY_NAMES)" first-fit
	policy_refused EINVAL "unknown policy 'Best-fit'" Best-fit
	policy_refused EINVAL "unknown policy 'best_fit'" best_fit
	policy_refused EINVAL "missing NAME (one of: $POLICY_NAMES)"
	policy_refused EINVAL "extra argument 'lowest'" best-fit lowest
	long=$(printf 'x%.0s' {1..200})
	policy_refused EINVAL "unknown policy '$(printf 'x%.0s' {1..32})...' (one of: $POLICY_NAMES)" "$long"
	[[ $(stat_val policy) == next-fit ]]
	# The rotor survived the refusals: the next alloc continues after the
	# 4K (2 pages at 21..23) freed above.
	place_at 23 4K
	clean_end
}

@test "policy is EBUSY while a workload run is going, works after stop" {
	kvalab_load slice_size=16M
	ctl_ok run long_busy_list_alloc_test backend=kvalab loops=10000000 repeat=1 threads=1 >/dev/null
	[[ $(run_state) == running ]]
	mark=$(kmsg_mark)
	run -1 ctl policy best-fit
	assert_output "error policy -16 EBUSY: a workload run is in progress; stop it first"
	dmesg_since_mark "$mark" | grep -qF "control: policy rejected (-16 EBUSY)"
	[[ $(stat_val policy) == lowest ]]
	ctl_ok stop >/dev/null
	run -0 ctl policy best-fit
	assert_output "ok policy lowest->best-fit"
	check_ok
	ctl_ok reset >/dev/null
	[[ $(stat_val nr_busy) == 0 && $(stat_val nr_lazy) == 0 ]]
	[[ $(stat_val nr_free) == 1 && $(stat_val largest_free) == 16777216 ]]
	[[ $(stat_val pages_allocated) == "$(stat_val pages_freed)" ]]
	check_ok
}

@test "policy= at load: every name is taken, shown in stats and the parameter" {
	for p in "${POLICIES[@]}"; do
		mark=$(kmsg_mark)
		policy_load policy="$p"
		[[ $(stat_val policy) == "$p" ]]
		[[ $(cat /sys/module/kvalab/parameters/policy) == "$p" ]]
		if [[ $p != lowest ]]; then
			dmesg_since_mark "$mark" | grep -qx ".*kvalab: placement policy $p"
		fi
		# A working allocator under it: one alloc at the slice start.
		place_at 0 64K
		clean_end
		kvalab_unload
	done
}

@test "a bad policy= fails the load with EINVAL and names the accepted policies" {
	for bad in first-fit Lowest best_fit "" lowestx; do
		mark=$(kmsg_mark)
		run ! insmod "$KVALAB_KO" policy="$bad"
		dmesg_since_mark "$mark" | grep -qF "policy=$bad is not a policy; accepted: $POLICY_NAMES"
		not_loaded
	done
	# The parameter itself still works after the refusals.
	policy_load policy=instant-fit
	[[ $(stat_val policy) == instant-fit ]]
	clean_end
}

@test "stats: the policy line follows switches; search_steps counts the searches" {
	policy_load
	run -0 grep -xE 'policy: lowest' "$D/stats"
	[[ $(stat_val search_steps) == 0 ]]
	build_layout
	s1=$(stat_val search_steps)
	# Seven allocations, each looked at something.
	((s1 >= 7))
	ctl_ok policy instant-fit >/dev/null
	run -0 grep -xE 'policy: instant-fit' "$D/stats"
	# The counter spans switches: it is not reset, and grows again.
	[[ $(stat_val search_steps) == "$s1" ]]
	palloc 4K
	(($(stat_val search_steps) > s1))
	# policy sits after slice_size; search_steps right after the merge counters.
	run -0 sed -n '4p' "$D/stats"
	assert_output "policy: instant-fit"
	run -0 grep -A1 -x 'insert_nomerge: [0-9]*' "$D/stats"
	assert_line --index 1 "search_steps: $(stat_val search_steps)"
	clean_end
}
