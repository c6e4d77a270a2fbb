#!/usr/bin/env bats
# kvalab-append: debug_pagealloc=on page_poison=1
# kvalab-kernels: race
# Stale pages: areas freed and their pages reallocated under load, every byte
# written checked. On the race kernel DEBUG_PAGEALLOC unmaps every freed page
# from the linear map (a kernel access through page_address() after the free
# faults) and page poisoning fills it with a pattern that is checked when the
# page is allocated again, so a write through a kvalab mapping that outlived
# its page shows as "pagealloc: memory corruption" in the kernel log, which
# tests/vm/run fails on. A page still mapped after kvalab freed it and now
# another area's (or anyone's) shows as a wrong byte in a verify.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load workloads
load stress

STALE_ROUNDS=${KVALAB_STALE_ROUNDS:-12}

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	STRESS_ERRORS=$BATS_TEST_TMPDIR/errors
	: >"$STRESS_ERRORS"
	T=$BATS_TEST_TMPDIR
}

teardown() {
	[[ -n ${T:-} ]] && touch "$T/stop"
	wait 2>/dev/null || true
	rm -f /dev/shm/kvalab-churn
	if kvalab_loaded; then
		ctl stop >/dev/null || true
	fi
	kvalab_unload || true
}

# churn STOPFILE: take and give back page-cache pages (tmpfs) in a loop, so
# pages kvalab frees are soon someone else's.
churn() {
	while [[ ! -e $1 ]]; do
		dd if=/dev/zero of=/dev/shm/kvalab-churn bs=64K count=64 2>/dev/null
		rm -f /dev/shm/kvalab-churn
	done
}

# LIVE: id -> the byte its area was filled with.
declare -A LIVE=()

@test "stale pages: the checkers are on in this boot" {
	[[ $KVALAB_KERNEL == race ]] || skip "DEBUG_PAGEALLOC and page poisoning are the race kernel's"
	grep -qw debug_pagealloc=on /proc/cmdline
	grep -qw page_poison=1 /proc/cmdline
}

@test "stale pages: with debug_pagealloc=on every free flushes its range at once, as vmalloc does" {
	grep -qw debug_pagealloc=on /proc/cmdline || skip "booted without debug_pagealloc=on"
	kvalab_load slice_size=32M
	ids=()
	for ((i = 0; i < 8; i++)); do
		ids+=("$(alloc_id $(((i + 1) * 4))K)")
	done
	flushes=$(stat_val tlb_flushes) purges=$(stat_val purges)
	for id in "${ids[@]}"; do
		ctl_ok free "$id" >/dev/null
	done
	# One flush per free, none of them a purge's: the pages went back to
	# the page allocator with no CPU still translating to them.
	[[ $(stat_val purges) == "$purges" ]]
	[[ $(stat_val tlb_flushes) == $((flushes + 8)) ]]
	check_ok
}

@test "stale pages: free, purge and reallocate under load; every byte written is still there" {
	kvalab_load slice_size=32M
	(untraced churn "$T/stop") 3>&- &
	(untraced stress_runner "$T/stop" "$T/runs") 3>&- &
	n=0 b=0 freed=0 checked=0
	for ((r = 0; r < STALE_ROUNDS; r++)); do
		# Fill: areas of 1 to 16 pages, each with a byte of its own.
		for ((i = 0; i < 24; i++)); do
			if ! ctl_res alloc $(((RANDOM % 16 + 1) * 4))K; then
				# The runner shares the slice: ENOMEM is allowed.
				[[ $RES == "error alloc -12 ENOMEM: "* ]]
				continue
			fi
			res_id
			b=$(((b + 37) % 256))
			ctl_ok fill "$ID" "$b" >/dev/null
			LIVE[$ID]=$b
			n=$((n + 1))
		done
		# Free every other area (by free and by free_atomic), then purge:
		# their pages go back to the page allocator and are poisoned.
		k=0
		for id in "${!LIVE[@]}"; do
			k=$((k + 1))
			((k % 2)) || continue
			if ((k % 4 == 1)); then
				ctl_ok free "$id" >/dev/null
			else
				ctl_ok free_atomic "$id" >/dev/null
			fi
			unset "LIVE[$id]"
			freed=$((freed + 1))
		done
		ctl_ok purge >/dev/null
		# Every byte of every area still live is its own.
		for id in "${!LIVE[@]}"; do
			ctl_ok verify "$id" "${LIVE[$id]}" >/dev/null
			checked=$((checked + 1))
		done
	done
	touch "$T/stop"
	wait
	run cat "$STRESS_ERRORS"
	assert_output ""
	echo "# stale pages: $n areas written, $freed freed and their pages reused, $checked verifies of every byte, $(cat "$T/runs") workload runs" >&3
	(($(cat "$T/runs") >= 1))
	# The pages kvalab holds are exactly its live areas' pages.
	wait_stat nr_busy "${#LIVE[@]}" 10
	held=$(($(stat_val pages_allocated) - $(stat_val pages_freed)))
	listed=$(sed -n 's/.* pages=\([0-9]*\) .*/\1/p' "$D/vmallocinfo" | awk '{ n += $1 } END { print n + 0 }')
	[[ $held == "$listed" ]]
	check_ok
	for id in "${!LIVE[@]}"; do
		ctl_ok verify "$id" "${LIVE[$id]}" >/dev/null
	done
	kvalab_unload
	not_loaded
}
