#!/usr/bin/env bats
# kvalab scenario (docs/scenarios.md) on a 16M slice, scaled down with
# --ops to stay cheap (VA-only replays): modules-area reports an ENOMEM
# point for at least one policy with every checker clean; aligned-search's
# padded search fails where the exact one places the request; lazy-purge's
# large threshold purges more pages at once than the small one; and the
# replay's search= and lazy_max_pages= are back to the module's afterwards.
# Three tests only: on the debug kernel each costs seconds of its own.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	kvalab_load slice_size=16M lazy_max_pages=77
}

teardown() {
	kvalab_unload || true
}

# Fewer ops on the debug kernel (scaled: KASAN and lockdep make every op slower).

@test "modules-area: an ENOMEM point for at least one policy, checkers clean; a small slice refused" {
	# next-fit's first failure is at op 130 of the seed-1 trace.
	run kvalab scenario modules-area --ops "$(scaled 1000 150)" --json "$BATS_TEST_TMPDIR/ma.json"
	assert_success
	assert_output --partial "longest: "
	assert_output --partial "why: live bytes stay below 94% of the area"
	# Six policies, each check ok, at least one ENOMEM.
	(($(grep -c '^result ' "$D/replay_results") == 6))
	[[ -z $(grep '^result ' "$D/replay_results" | grep -v ' check=ok$') ]]
	grep '^result ' "$D/replay_results" | grep -q ' enomem=[1-9]'
	grep -q '"first_fail_op": [1-9]' "$BATS_TEST_TMPDIR/ma.json"
	grep -q '"lazy_max_pages": 512' "$BATS_TEST_TMPDIR/ma.json"
	grep -q '^result .* lazy_max_pages=512 ' "$D/replay_results"
	grep -q '"longest": "' "$BATS_TEST_TMPDIR/ma.json"
	stat_is nr_busy 0
	stat_is nr_lazy 0
	# Below 16M the CLI says how to load a slice that fits.
	kvalab_unload
	kvalab_load slice_size=8M
	run kvalab scenario modules-area --ops 10
	assert_failure 1
	assert_output --partial "modules-area needs a slice of at least 16M (this one is 8M): kvalab unload; kvalab load --slice 16M"
}

@test "aligned-search: padded fails where exact succeeds; bad search= and lazy_max_pages= refused" {
	run kvalab scenario aligned-search --json "$BATS_TEST_TMPDIR/as.json"
	assert_success
	assert_output --partial "reproduced: padded failed"
	assert_line --regexp '^padded +ENOMEM +1 '
	assert_line --regexp '^exact +placed +0 '
	grep -q '"search": "padded", "request": "ENOMEM"' "$BATS_TEST_TMPDIR/as.json"
	grep -q '"search": "exact", "request": "placed"' "$BATS_TEST_TMPDIR/as.json"
	grep -q '"reproduced": true' "$BATS_TEST_TMPDIR/as.json"
	# The exact run was the last: its result line names the search.
	grep -q '^result policy=lowest .* search=exact .* check=ok$' "$D/replay_results"
	# Bad values of the new options are refused; nothing changes.
	run ctl replay start search=fast
	[[ $status != 0 && $output == "error replay -22 EINVAL: unknown search 'fast' (exact, padded)"* ]]
	run ctl replay start lazy_max_pages=0
	[[ $status != 0 && $output == "error replay -34 ERANGE: lazy_max_pages '0' is zero"* ]]
	# Above the slice (4096 pages), once a trace is loaded.
	printf 'kvalab-trace 1 slice_size=16M page_size=4096\na 0 4K\n' >"$D/replay"
	run ctl replay start lazy_max_pages=4097
	[[ $status != 0 && $output == "error replay -34 ERANGE: lazy_max_pages=4097 is above the slice's 4096 pages"* ]]
	grep -q '^state: loaded$' "$D/replay_results"
	stat_is lazy_max_pages 77
}

@test "lazy-purge: the large threshold's largest purge exceeds the small one's" {
	# About 1.75 pages freed per op: several purges at either threshold.
	local big
	big=$(scaled 1024 96)
	run kvalab scenario lazy-purge --ops "$(scaled 4000 400)" --small 16 --large "$big" \
		--json "$BATS_TEST_TMPDIR/lp.json"
	assert_success
	small=$(sed -n 's/.*"lazy_max_pages": 16, "purge_n": [0-9]*, .*"purge_pages_max": \([0-9]*\).*/\1/p' "$BATS_TEST_TMPDIR/lp.json")
	large=$(sed -n "s/.*\"lazy_max_pages\": $big, \"purge_n\": [0-9]*, .*\"purge_pages_max\": \([0-9]*\).*/\\1/p" "$BATS_TEST_TMPDIR/lp.json")
	echo "small=$small large=$large" >&2
	((small > 16 && large > small && large > big))
	! grep -q '"check": "failed"' "$BATS_TEST_TMPDIR/lp.json" || false
	grep -q "^result .* lazy_max_pages=$big .* check=ok\$" "$D/replay_results"
	# The module's own threshold is back.
	stat_is lazy_max_pages 77
}
