#!/usr/bin/env bats
# Record and replay (docs/traces.md, "Recording" and "Replaying"): the
# shipped real traces (tests/data, at /kvalab/data in the guest) and an
# imported /proc/vmallocinfo snapshot replayed under every policy with the
# checker clean after each and the memory back; record of control commands
# replaying to the same layout; refusals with line numbers and errnos that
# leave the slice alone; the record buffer's overflow counted.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

DATA=/kvalab/data
NR_POLICIES=6

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	echo 1 >/proc/sys/kernel/kptr_restrict
}

teardown() {
	kvalab_unload || true
}

# trace_ops FILE: the number of a/f/p lines of a trace.
trace_ops() {
	grep -cE '^(@[0-9]+ )?[afp]( |$)' "$1"
}

trace_allocs() {
	grep -cE '^(@[0-9]+ )?a ' "$1"
}

# results_sane FILE NPOLICIES: the replay_results listing of a finished
# replay of FILE: one result per policy, every op done, the allocs
# accounted for (ok + ENOMEM + other errors), frees of failed allocs only
# skipped, the checker clean; and the slice empty with every page back.
results_sane() {
	local trace=$1 want=$2 ops allocs n=0 line
	ops=$(trace_ops "$trace")
	allocs=$(trace_allocs "$trace")
	grep -q '^state: done$' "$D/replay_results"
	while read -r line; do
		n=$((n + 1))
		[[ $(field ops "$line") == "$ops" ]] || { echo "ops: $line" >&2; return 1; }
		(($(field allocs_ok "$line") + $(field enomem "$line") + $(field errors "$line") == allocs)) ||
			{ echo "allocs: $line" >&2; return 1; }
		(($(field skipped_frees "$line") <= $(field enomem "$line") + $(field errors "$line"))) ||
			{ echo "skipped: $line" >&2; return 1; }
		if (($(field enomem "$line") == 0 && $(field errors "$line") == 0)); then
			[[ $(field first_fail_line "$line") == 0 ]]
		else
			(($(field first_fail_line "$line") > 1))
		fi
		[[ $(field check "$line") == ok && $(field stopped "$line") == 0 ]] ||
			{ echo "check: $line" >&2; return 1; }
		(($(field peak_used "$line") > 0))
	done < <(grep '^result ' "$D/replay_results")
	[[ $n == "$want" ]] || { echo "$n results, want $want" >&2; return 1; }
	stat_is nr_busy 0
	stat_is nr_lazy 0
	stat_is nr_free 1
	[[ $(stat_val pages_allocated) == "$(stat_val pages_freed)" ]]
	check_ok
}

# capture_replays TRACE SLICE: a shipped capture replayed on a SLICE slice
# under every policy: a table row and a JSON object per policy, every
# result sane, the policy in force before the replay back after it.
capture_replays() {
	kvalab_load slice_size="$2"
	run kvalab replay "$1" --policy all --samples 20 --json "$BATS_TEST_TMPDIR/r.json"
	echo "$output"
	[[ $status == 0 ]]
	results_sane "$1" "$NR_POLICIES"
	for p in lowest vmlist cached-hole next-fit best-fit instant-fit; do
		grep -q "^$p " <<<"$output"
		grep -q "\"policy\": \"$p\"" "$BATS_TEST_TMPDIR/r.json"
	done
	stat_is policy lowest
}

@test "shipped 6.12 capture: every policy, checker clean, memory back" {
	capture_replays "$DATA/capture-6.12.trace" 96M
}

@test "shipped 7.3 capture: every policy, checker clean, memory back" {
	capture_replays "$DATA/capture-7.3.trace" 128M
}

@test "imported vmallocinfo snapshot (real 6.12 addresses): every policy" {
	kvalab import vmallocinfo "$DATA/vmallocinfo-6.12.txt" --slice-size 64M \
		--scale fit -o "$BATS_TEST_TMPDIR/vmi.trace"
	kvalab_load slice_size=64M policy=best-fit
	# A layout: VA decisions tell all; no page is allocated.
	run kvalab replay "$BATS_TEST_TMPDIR/vmi.trace" --policy all --va-only --samples 20
	echo "$output"
	[[ $status == 0 ]]
	results_sane "$BATS_TEST_TMPDIR/vmi.trace" "$NR_POLICIES"
	stat_is pages_allocated 0
	grep -q '^result .* va_only=1 ' "$D/replay_results"
	stat_is policy best-fit
	# With pages and mappings, once: the same final figures, pages back.
	va=$(grep '^result policy=best-fit ' "$D/replay_results" | sed 's/.* used=/used=/; s/ stopped.*//')
	kvalab replay "$BATS_TEST_TMPDIR/vmi.trace" --samples 5
	results_sane "$BATS_TEST_TMPDIR/vmi.trace" 1
	(($(stat_val pages_allocated) > 10000))
	[[ $(grep '^result ' "$D/replay_results" | sed 's/.* used=/used=/; s/ stopped.*//') == "$va" ]]
}

@test "vmallocinfo during a va_only replay: its areas have no pages=, as the kernel prints nr_pages 0" {
	kvalab_load slice_size=64M
	# Long enough to be sampled while it runs (5 s on 6.1; the debug
	# kernel replays a sixth of it as slowly).
	sim_random_trace 5 "$(scaled 6000 1000)" $((64 << 20)) >"$BATS_TEST_TMPDIR/t.trace"
	cat "$BATS_TEST_TMPDIR/t.trace" >"$D/replay"
	ctl replay start policy=all va_only
	local seen=0 bad=0 line
	# Sample the listing while the replay runs: every area of it is busy
	# VA with no pages, printed as the kernel prints a vm_struct with
	# nr_pages 0 (no "pages=" field).
	while grep -q '^state: running$' "$D/replay_results"; do
		while IFS= read -r line; do
			[[ $line == *" workload" ]] || continue
			seen=$((seen + 1))
			[[ $line == *" pages="* ]] && { echo "with pages=: $line"; bad=$((bad + 1)); }
		done <"$D/vmallocinfo"
	done
	echo "# $seen replay lines sampled" >&3
	((seen > 0 && bad == 0))
	grep -q '^state: done$' "$D/replay_results"
	check_ok
}

@test "shipped recorded workload trace replays va-only under every policy" {
	kvalab_load slice_size=4M
	kvalab replay "$DATA/record-workload.trace" --policy all --va-only --samples 10
	results_sane "$DATA/record-workload.trace" "$NR_POLICIES"
	# At most 10 samples per policy.
	(($(grep -c '^sample policy=lowest ' "$D/replay_results") <= 10))
}

@test "record: control allocs and frees, record off, replay gives the same layout" {
	kvalab_load slice_size=4M
	ctl_ok record on
	a=$(alloc_id 8K)
	b=$(alloc_id 64K align=64K)
	alloc_id 4K noguard >/dev/null
	ctl_ok free "$b" >/dev/null
	ctl_ok purge >/dev/null
	alloc_id 12K >/dev/null
	alloc_id 100K >/dev/null
	ctl_ok free "$a" >/dev/null
	ctl_ok purge >/dev/null
	want="$(stat_val free_bytes) $(stat_val nr_free) $(stat_val largest_free)"
	run ctl_ok record off
	[[ $output == "ok record off ops=9 dropped=0 ids=5" ]]
	stat_is record off
	stat_is record_ops 9
	cat "$D/trace" >"$BATS_TEST_TMPDIR/rec.trace"
	cat "$BATS_TEST_TMPDIR/rec.trace"
	head -1 "$BATS_TEST_TMPDIR/rec.trace" | grep -q '^kvalab-trace 1 slice_size=4194304 page_size=4096 ids=5 source=record$'
	grep -q '^@[0-9]* a 1 65536 align=65536$' "$BATS_TEST_TMPDIR/rec.trace"
	grep -q '^@[0-9]* a 2 4096 flags=noguard$' "$BATS_TEST_TMPDIR/rec.trace"
	[[ $(trace_ops "$BATS_TEST_TMPDIR/rec.trace") == 9 ]]
	ctl_ok reset >/dev/null
	kvalab replay "$BATS_TEST_TMPDIR/rec.trace"
	results_sane "$BATS_TEST_TMPDIR/rec.trace" 1
	line=$(grep '^result ' "$D/replay_results")
	[[ "$(field free_bytes "$line") $(field nr_free "$line") $(field largest_free "$line")" == "$want" ]]
	# Areas from before the recording: their frees are counted, not traced.
	x=$(alloc_id 4K)
	ctl_ok record on
	ctl_ok free "$x" >/dev/null
	ctl_ok record off
	grep -q '^# 1 frees of areas allocated before the recording' "$D/trace"
}

@test "record: a full buffer drops and counts, the prefix still replays" {
	kvalab_load slice_size=4M record_ops=16
	ctl_ok record on
	for i in $(seq 20); do alloc_id 4K >/dev/null; done
	ctl_ok reset >/dev/null
	run ctl_ok record off
	# 20 allocs + 20 frees + 1 purge, 16 kept.
	[[ $output == "ok record off ops=16 dropped=25 ids=16" ]]
	stat_is record_dropped 25
	grep -q '^# OVERFLOW: 25 operations dropped after the buffer of 16 filled' "$D/trace"
	cat "$D/trace" >"$BATS_TEST_TMPDIR/o.trace"
	kvalab replay "$BATS_TEST_TMPDIR/o.trace" --policy next-fit,lowest
	results_sane "$BATS_TEST_TMPDIR/o.trace" 2
	# record on twice, off twice: refused.
	run ctl record off
	[[ $status != 0 && $output == *EALREADY*"no recording is on"* ]]
	ctl_ok record on
	run ctl record on
	[[ $status != 0 && $output == *EALREADY*"already on"* ]]
	ctl_ok record off
}

# load_bad TEXT: write TEXT to the replay file; the write must fail.
load_bad() {
	! printf '%b' "$1" >"$D/replay" 2>/dev/null
}

@test "malformed traces: refused with errno and line number, slice unchanged" {
	kvalab_load slice_size=4M
	alloc_id 8K >/dev/null
	before=$(snapshot)
	load_bad 'kvalab-trace 1 slice_size=4M page_size=4096\na 0 4K\nf 1\n'
	grep -q '^state: load_failed$' "$D/replay_results"
	grep -q '^load_error: errno=-2 line 3: free of id 1, which is not live$' "$D/replay_results"
	load_bad 'kvalab-trace 2 slice_size=4M page_size=4096\n'
	grep -q '^load_error: errno=-93 line 1: trace format version 2' "$D/replay_results"
	load_bad 'kvalab-trace 1 slice_size=4M page_size=4096\n# c\n\na 0 0\n'
	grep -q "^load_error: errno=-22 line 4: size '0' is zero" "$D/replay_results"
	load_bad 'kvalab-trace 1 slice_size=4M page_size=4096\na 0 4K\na 0 4K\n'
	grep -q '^load_error: errno=-17 line 3: id 0 is already live' "$D/replay_results"
	load_bad "kvalab-trace 1 slice_size=4M page_size=4096\na 0 $(printf 'x%.0s' $(seq 300))\n"
	grep -q '^load_error: errno=-90 line 2: ' "$D/replay_results"
	# A refused trace cannot be started.
	run ctl replay start
	[[ $status != 0 && $output == "error replay -22 EINVAL: the trace was refused: line 2:"* ]]
	[[ $(snapshot) == "$before" ]]
	# A partial last line is parsed at close: an empty trace is refused.
	: >"$D/replay"
	grep -q '^load_error: errno=-61 empty trace: no header line' "$D/replay_results"
	check_ok
}

@test "replay start: refusals leave the slice alone" {
	kvalab_load slice_size=4M
	run ctl replay start
	[[ $status != 0 && $output == *ENOENT*"no trace loaded"* ]]
	run ctl replay stop
	[[ $status != 0 && $output == *EALREADY* ]]
	printf 'kvalab-trace 1 slice_size=4M page_size=4096\na 0 8M flags=noguard\n' >"$D/replay"
	run ctl replay start
	[[ $status != 0 && $output == *E2BIG*"--scale 0.49"*"slice_size=9M"* ]]
	# --scale makes it fit.
	printf 'kvalab-trace 1 slice_size=4M page_size=4096\na 0 8M flags=noguard\nf 0\n' >"$BATS_TEST_TMPDIR/big.trace"
	kvalab replay "$BATS_TEST_TMPDIR/big.trace" --scale 0.25
	results_sane "$BATS_TEST_TMPDIR/big.trace" 1
	# Not on a slice with user areas.
	id=$(alloc_id 4K)
	before=$(snapshot)
	run ctl replay start
	[[ $status != 0 && $output == *EBUSY*"1 busy areas"* ]]
	[[ $(snapshot) == "$before" ]]
	ctl_ok free "$id" >/dev/null
	ctl_ok replay clear
	grep -q '^state: empty$' "$D/replay_results"
	check_ok
}
