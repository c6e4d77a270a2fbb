#!/usr/bin/env bats
# kvalab-append: debug_pagealloc=on page_poison=1
# kvalab-kernels: race
# The race kernel's suite (tests/vm/race.config: KCSAN, lockdep,
# DEBUG_PAGEALLOC, page poisoning): kvalab's concurrent paths all at once,
# each for RACE_SECONDS, under make check's levers (per-CPU object
# magazines, the VA pools, per-CPU phase counters, bulk pages; vmap blocks
# are on by default). Any KCSAN report fails the boot: tests/vm/run counts
# them ("no KCSAN report") and scans the console ("kernel log clean").
# docs/reliability.md lists what each test covers and what KCSAN found.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load workloads
load stress
load race

RACE_SECONDS=${KVALAB_RACE_SECONDS:-20}
# KCSAN's watchpoint count when the suite began (the first test writes it).
RACE_WATCH0=/tmp/race-watchpoints-at-start

# kcsan_counter NAME: one of KCSAN's counters (/sys/kernel/debug/kcsan).
kcsan_counter() {
	sed -n "s/^$1: //p" /sys/kernel/debug/kcsan
}

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	STRESS_ERRORS=$BATS_TEST_TMPDIR/errors
	: >"$STRESS_ERRORS"
	T=$BATS_TEST_TMPDIR
	stop=$T/stop
	pids=()
}

teardown() {
	[[ -n ${T:-} ]] && touch "$T/stop"
	wait 2>/dev/null || true
	if kvalab_loaded; then
		ctl stop >/dev/null || true
		ctl replay stop >/dev/null || true
	fi
	kvalab_unload || true
}

# race_bg CMD...: CMD as a background loop of this test (untraced, without
# bats' fd 3), its pid kept for race_end.
race_bg() {
	(untraced "$@") 3>&- &
	pids+=($!)
}

# race_end: stop every loop, wait for it, and require no error.
race_end() {
	touch "$stop"
	local p
	for p in "${pids[@]}"; do
		wait "$p"
	done
	run cat "$STRESS_ERRORS"
	assert_output ""
}

# race_unload_clean: the trees check, every page the allocator took went
# back, and the module unloads.
race_unload_clean() {
	check_ok
	kvalab_unload
	not_loaded
	run grep kvalab /proc/vmallocinfo
	assert_failure
}

@test "race kernel: KCSAN is on, its boot selftest passed, and the stale-page checkers are enabled" {
	[[ $KVALAB_KERNEL == race ]] || skip "the race kernel's own suite"
	grep -qx 'enabled: 1' /sys/kernel/debug/kcsan
	dmesg | grep -Eq 'kcsan: selftest: ([0-9]+)/\1 tests passed'
	kcsan_counter setup_watchpoints >"$RACE_WATCH0"
	grep -qw debug_pagealloc=on /proc/cmdline
	grep -qw page_poison=1 /proc/cmdline
}

@test "race: writers (fill, verify, free, free_atomic), listing readers and 2-thread runs on every backend, vm_map_ram through vmap blocks" {
	kvalab_load slice_size=32M
	race_bg stress_writer w1 "$stop" "$T/live.1"
	race_bg stress_writer w2 "$stop" "$T/live.2"
	race_bg stress_reader "$stop" "$T/reads"
	# Every backend, 2 threads each: kvalab (its per-CPU vmap blocks serve
	# vm_map_ram_test), the kernel's vmalloc and the floor, one after the
	# other in each run while the writers share the slice.
	race_bg stress_runner "$stop" "$T/runs" 0 mask=0x47f loops=30 repeat=1 threads=2 backend=kvalab,vmalloc,floor
	sleep "$RACE_SECONDS"
	race_end
	cat "$T"/live.*.summary >&3
	echo "# race: $(cat "$T/reads") listing rounds, $(cat "$T/runs") runs on 3 backends" >&3
	(($(cat "$T/runs") >= 1))
	run -0 race_verify_live "$T"/live.1 "$T"/live.2
	# vm_map_ram_test went through the per-CPU vmap blocks (the last run's
	# results), and with the VA pools on (make check's levers) the pools
	# served allocations.
	[[ $(cat /sys/module/kvalab/parameters/vblocks) == Y ]]
	grep -q '^case=vm_map_ram_test backend=kvalab status=pass ' "$D/results"
	if [[ $(cat /sys/module/kvalab/parameters/va_pools) == Y ]]; then
		(($(stat_val pool_hits) > 0))
	fi
	race_unload_clean
}

@test "race: policy switches, purges and checks under writers and workload runs" {
	kvalab_load slice_size=32M
	race_bg stress_writer w1 "$stop" "$T/live.1"
	race_bg stress_writer w2 "$stop" "$T/live.2"
	race_bg race_switcher "$stop" "$T/switches"
	# Short runs (fix_size, random_size) whose controller switches the
	# slice itself before each kvalab:POLICY unit, two seconds apart so
	# that the switcher's own switches get their turns.
	race_bg stress_runner "$stop" "$T/runs" 2 mask=0x9 loops=20 repeat=1 threads=2 backend=kvalab:best-fit,kvalab:next-fit,kvalab:instant-fit
	sleep "$RACE_SECONDS"
	race_end
	read -r nsw nbusy <"$T/switches"
	echo "# race: $nsw switches ($nbusy refused EBUSY during runs), $(cat "$T/runs") runs ($(cat "$T/runs.busy") refused EBUSY during switches, retried)" >&3
	((nsw > nbusy))
	(($(cat "$T/runs") >= 1))
	run -0 race_verify_live "$T"/live.1 "$T"/live.2
	race_unload_clean
}

@test "race: replays under every policy beside a writer, listing readers and recordings" {
	kvalab_load slice_size=64M
	race_bg race_replay_reader "$stop" "$T/reads"
	race_bg race_recorder "$stop" "$T/records"
	replays=0 writes=0
	end=$((SECONDS + RACE_SECONDS))
	while ((replays == 0 || SECONDS < end)); do
		# A replay starts on an empty slice; the writer's areas share it
		# while the replay runs, and are verified and freed after it.
		cat /kvalab/data/record-workload.trace >"$D/replay"
		ctl_ok replay start policy=all va_only samples=10 lazy_max_pages=64 >/dev/null
		rm -f "$T/wstop"
		(untraced stress_writer w1 "$T/wstop" "$T/live") 3>&- &
		wpid=$!
		wait_until 300 grep -q '^state: done$' "$D/replay_results"
		touch "$T/wstop"
		wait "$wpid"
		[[ $(grep -c '^result ' "$D/replay_results") == 6 ]]
		run -0 race_verify_live "$T/live"
		writes=$((writes + output))
		while read -r id b; do
			ctl_ok free "$id" >/dev/null
		done <"$T/live"
		ctl_ok purge >/dev/null
		replays=$((replays + 1))
	done
	race_end
	echo "# race: $replays replays of 6 policies, $writes areas written beside them, $(cat "$T/reads") listing rounds, $(cat "$T/records") recordings" >&3
	race_unload_clean
}

@test "race kernel: KCSAN watched while the suite ran (its counters)" {
	[[ $KVALAB_KERNEL == race ]] || skip "the race kernel's own suite"
	start=$(cat "$RACE_WATCH0")
	now=$(kcsan_counter setup_watchpoints)
	echo "# KCSAN: $((now - start)) watchpoints set up during the suite; $(grep -E '^(data_races|report_races|races_unknown_origin|no_capacity): ' /sys/kernel/debug/kcsan | tr '\n' ' ')" >&3
	((now > start))
}
