#!/usr/bin/env bats
# Everything at once for a fixed time: writers with their own areas, readers
# of every listing, back-to-back workload runs. Then every live area must hold
# what its writer last wrote, the trees must check, an unload with a file
# open must be refused, and after the last close the module unloads and
# gives back its memory.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load workloads
load stress

STRESS_SECONDS=${KVALAB_STRESS_SECONDS:-25}

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	echo 1 >/proc/sys/kernel/kptr_restrict
	STRESS_ERRORS=$BATS_TEST_TMPDIR/errors
	: >"$STRESS_ERRORS"
}

teardown() {
	[[ -n ${hold:-} ]] && exec {hold}<&-
	[[ -n ${BATS_TEST_TMPDIR:-} ]] && touch "$BATS_TEST_TMPDIR/stop"
	wait 2>/dev/null || true
	if kvalab_loaded; then
		ctl stop >/dev/null || true
	fi
	kvalab_unload || true
}

@test "stress: 3 writers, 2 readers and workload runs at once; contents, check, unload, memory" {
	echo 3 >/proc/sys/vm/drop_caches
	mem_before=$(free_kb)
	info_before=$(meminfo_brief)
	kvalab_load slice_size=32M
	stop=$BATS_TEST_TMPDIR/stop
	T=$BATS_TEST_TMPDIR
	pids=()
	for w in 1 2 3; do
		(untraced stress_writer "w$w" "$stop" "$T/live.$w") 3>&- &
		pids+=($!)
	done
	for r in 1 2; do
		(untraced stress_reader "$stop" "$T/reads.$r") 3>&- &
		pids+=($!)
	done
	(untraced stress_runner "$stop" "$T/runs") 3>&- &
	pids+=($!)

	# Meanwhile: with a listing held open, unloading is refused and
	# changes nothing.
	sleep 5
	exec {hold}<"$D/vmallocinfo"
	run ! rmmod kvalab
	kvalab_loaded
	run -1 kvalab unload
	assert_output --partial "in use"
	kvalab_loaded
	sleep $((STRESS_SECONDS - 5))
	touch "$stop"
	for p in "${pids[@]}"; do
		wait "$p"
	done
	# The workload runner stops between runs; the last run has ended.
	[[ $(run_state) != running ]]

	cat "$T"/live.*.summary >&3
	echo "# stress: reads $(cat "$T"/reads.1) + $(cat "$T"/reads.2) rounds, $(cat "$T"/runs) workload runs" >&3
	run cat "$STRESS_ERRORS"
	assert_output ""
	(($(cat "$T"/runs) >= 1))
	(($(cat "$T"/reads.1) >= 1 && $(cat "$T"/reads.2) >= 1))

	# Every live area holds its writer's last byte; nothing else is busy
	# once the deferred frees are done.
	nlive=0
	while read -r id b; do
		ctl_ok verify "$id" "$b" >/dev/null
		nlive=$((nlive + 1))
	done < <(cat "$T"/live.[1-3])
	wait_stat nr_busy "$nlive"
	[[ $(stat_val nr_busy) == "$nlive" ]]
	# Busy lines end in id=N (unpurged vm_area lines do not).
	[[ $(grep -cE ' id=[0-9]+$' "$D/vmallocinfo") == "$nlive" ]]
	check_ok
	# Every page the allocator still holds belongs to a live area.
	held=$(($(stat_val pages_allocated) - $(stat_val pages_freed)))
	listed=$(sed -n 's/.* pages=\([0-9]*\) .*/\1/p' "$D/vmallocinfo" | awk '{ n += $1 } END { print n + 0 }')
	[[ $held == "$listed" ]]

	# Still refused while the listing is open, even with everything idle.
	run ! rmmod kvalab
	kvalab_loaded
	exec {hold}<&-
	hold=
	kvalab_unload
	not_loaded
	run grep kvalab /proc/vmallocinfo
	assert_failure
	echo 3 >/proc/sys/vm/drop_caches
	mem_after=$(free_kb)
	echo "# free (MemFree + per-CPU lists) before $mem_before kB, after $mem_after kB" >&3
	echo "# before: $info_before" >&3
	echo "# after:  $(meminfo_brief)" >&3
	((mem_after * 100 >= mem_before * 99))
}
