#!/usr/bin/env bats
# The kvalab tracepoints (module/kvalab_trace.h): a scripted sequence of
# commands must produce exactly the expected events, with offsets into the
# slice, sizes, alignment, fit and merge cases.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load workloads

T=/sys/kernel/tracing

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	echo 1 >/proc/sys/kernel/kptr_restrict
}

teardown() {
	if [[ -d $T/events/kvalab ]]; then
		echo 0 >"$T/events/kvalab/enable" || true
	fi
	echo 0 >"$T/tracing_on" 2>/dev/null || true
	kvalab_unload || true
}

# kvalab_events: the kvalab events in the trace buffer, "name: fields" each.
kvalab_events() {
	grep -o ' kvalab_[a-z]*: .*$' "$T/trace" | sed 's/^ //'
}

start_tracing() {
	echo 0 >"$T/tracing_on"
	echo >"$T/trace"
	echo 'kvalab:*' >"$T/set_event"
	echo 1 >"$T/tracing_on"
}

@test "tracefs is mounted and the kvalab events exist only while loaded" {
	grep -q " $T tracefs " /proc/mounts
	[[ ! -e $T/events/kvalab ]]
	kvalab_load slice_size=8M
	for e in kvalab_alloc kvalab_split kvalab_free kvalab_merge kvalab_purge; do
		[[ -d $T/events/kvalab/$e ]]
		grep -q "$e" "$T/available_events"
	done
	grep -q '^print fmt: "id=%u offset=0x%lx size=%lu align=%lu fit=%s"' \
		"$T/events/kvalab/kvalab_alloc/format"
	kvalab_unload
	[[ ! -e $T/events/kvalab ]]
}

@test "alloc/free/purge sequence: every event with its fields, in order" {
	kvalab_load slice_size=8M
	s0=$(($(stat_val slice_start)))
	K=1024
	A=$((64 * K))
	start_tracing
	# Four one-page areas from the bottom of the slice: LE fits at 0..12K.
	for i in 0 1 2 3; do
		res=$(ctl_ok alloc 4K noguard)
		[[ $(field fit "$res") == LE && $(field id "$res") == $((i + 1)) ]]
	done
	# An aligned request above them: the next 64K boundary past 16K, unless
	# that is exactly 16K (then one more page first), leaves free space on
	# both sides: NE.
	extra=0
	if ((((s0 + 16 * K) & (A - 1)) == 0)); then
		ctl_ok alloc 4K noguard >/dev/null
		extra=1
	fi
	base=$((16 * K + extra * 4 * K))
	ne=$(align_up $((s0 + base)) $A)
	res=$(ctl_ok alloc 4K align=64K noguard)
	[[ $(field fit "$res") == NE && $(field addr "$res") == "$(hex $ne)" ]]
	neid=$(field id "$res")
	neoff=$((ne - s0))
	# Merge cases at purge: area 1 (offset 0) has no free neighbour; 2 then
	# has free space below; 4 has free space above (unless the extra page
	# sits there); 3 joins both.
	for id in 1 2 4 3; do
		free_purge "$id"
	done
	echo 0 >"$T/tracing_on"

	expected=()
	for i in 0 1 2 3; do
		off=$(hex $((i * 4 * K)))
		expected+=("kvalab_split: offset=$off size=4096 case=LE")
		expected+=("kvalab_alloc: id=$((i + 1)) offset=$off size=4096 align=4096 fit=LE")
	done
	if ((extra)); then
		expected+=("kvalab_split: offset=0x4000 size=4096 case=LE")
		expected+=("kvalab_alloc: id=5 offset=0x4000 size=4096 align=4096 fit=LE")
	fi
	expected+=("kvalab_split: offset=$(hex $neoff) size=4096 case=NE")
	expected+=("kvalab_alloc: id=$neid offset=$(hex $neoff) size=4096 align=65536 fit=NE")
	four=$( ((extra)) && echo none || echo next)
	for step in "1 0x0 none" "2 0x1000 prev" "4 0x3000 $four" "3 0x2000 both"; do
		read -r id off kind <<<"$step"
		expected+=("kvalab_free: id=$id offset=$off size=4096")
		expected+=("kvalab_merge: offset=$off size=4096 case=$kind")
		expected+=("kvalab_purge: areas=1 pages=1 range=$off-$(hex $((off + 4096)))")
	done
	mapfile -t got < <(kvalab_events)
	printf '%s\n' "${got[@]}" >"$BATS_TEST_TMPDIR/got"
	printf '%s\n' "${expected[@]}" >"$BATS_TEST_TMPDIR/expected"
	run diff -u "$BATS_TEST_TMPDIR/expected" "$BATS_TEST_TMPDIR/got"
	assert_success
	# The counters agree with the events.
	[[ $(stat_val merge_prev) == 1 && $(stat_val merge_both) == 1 ]]
	check_ok
}

@test "a purge of several lazy areas: one purge event over their range, one merge each" {
	kvalab_load slice_size=8M
	ids=()
	for i in 1 2 3; do
		ids+=("$(alloc_id 8K)")
	done
	start_tracing
	# Free the first and the last: two lazy areas, one batched purge.
	ctl_ok free "${ids[0]}" >/dev/null
	ctl_ok free "${ids[2]}" >/dev/null
	run -0 ctl purge
	assert_output "ok purge areas=2 pages=6"
	echo 0 >"$T/tracing_on"
	mapfile -t got < <(kvalab_events)
	# 8K areas plus guard: 12K each, at 0, 12K, 24K.
	[[ ${got[0]} == "kvalab_free: id=${ids[0]} offset=0x0 size=12288" ]]
	[[ ${got[1]} == "kvalab_free: id=${ids[2]} offset=0x6000 size=12288" ]]
	merges=$(printf '%s\n' "${got[@]}" | grep '^kvalab_merge: ' | sort)
	[[ $merges == "kvalab_merge: offset=0x0 size=12288 case=none
kvalab_merge: offset=0x6000 size=12288 case=next" ]]
	[[ ${got[-1]} == "kvalab_purge: areas=2 pages=6 range=0x0-0x9000" ]]
	[[ ${#got[@]} == 5 ]]
}

@test "workload allocations are traced too" {
	kvalab_load slice_size=16M
	start_tracing
	ctl_ok run fix_size_alloc_test backend=kvalab loops=20 repeat=1 threads=1 >/dev/null
	[[ $(wait_run_end 60) == "done" ]]
	echo 0 >"$T/tracing_on"
	run -0 kvalab_events
	[[ $(grep -c '^kvalab_alloc: ' <<<"$output") -ge 20 ]]
	[[ $(grep -c '^kvalab_free: ' <<<"$output") -ge 20 ]]
	assert_line --regexp '^kvalab_alloc: id=[0-9]+ offset=0x[0-9a-f]+ size=8192 align=4096 fit=(FL|LE|RE|NE)$'
}
