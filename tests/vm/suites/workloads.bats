#!/usr/bin/env bats
# The test_vmalloc workloads: every case on both backends, N backends and
# policy backends, the results file,
# stopping, refusing what would disturb a run, unloading during a run.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load workloads

setup() {
	lean_trace # bats' per-command trap, cheaper (kvalab.bash)
	echo 1 >/proc/sys/kernel/kptr_restrict
}

teardown() {
	if kvalab_loaded; then
		ctl stop >/dev/null || true
	fi
	kvalab_unload || true
}

# The status every case must end with, by case and backend: the aligned cases
# are skipped on vmalloc (no exported aligned vmalloc), the expected failure
# fails on kvalab, everything else passes.
declare -A WANT=(
	[fix_size_alloc_test/kvalab]=pass [fix_size_alloc_test/vmalloc]=pass
	[full_fit_alloc_test/kvalab]=pass [full_fit_alloc_test/vmalloc]=pass
	[long_busy_list_alloc_test/kvalab]=pass [long_busy_list_alloc_test/vmalloc]=pass
	[random_size_alloc_test/kvalab]=pass [random_size_alloc_test/vmalloc]=pass
	[fix_align_alloc_test/kvalab]=pass [fix_align_alloc_test/vmalloc]=skip
	[random_size_align_alloc_test/kvalab]=pass [random_size_align_alloc_test/vmalloc]=skip
	[align_shift_alloc_test/kvalab]=xfail [align_shift_alloc_test/vmalloc]=skip
	[vm_map_ram_test/kvalab]=pass [vm_map_ram_test/vmalloc]=pass
)
BOTH="fix_size_alloc_test full_fit_alloc_test long_busy_list_alloc_test random_size_alloc_test vm_map_ram_test"

@test "every case on both backends: status per case and backend, ratios, Summary lines" {
	kvalab_load slice_size=32M
	mark=$(kmsg_mark)
	run -0 ctl run mask=0x47f loops=20 repeat=1 threads=2
	assert_output "ok run mask=0x47f backends=kvalab,vmalloc baseline=vmalloc"
	run -0 wait_run_end 240
	assert_output "done"
	run -0 cat "$D/results"
	assert_line --index 0 "state: done"
	assert_line --index 1 "progress: 16/16"
	assert_line --index 2 "params: mask=0x47f threads=2 loops=20 repeat=1 pages=1 sequential=0 backends=kvalab,vmalloc baseline=vmalloc"
	# Exactly one case= line per case and backend, with the expected status;
	# kvalab's lines also give the slice's free areas after the case.
	[[ $(grep -c '^case=' <<<"$output") == 16 ]]
	for key in "${!WANT[@]}"; do
		c=${key%/*} b=${key#*/} s=${WANT[$key]}
		case $s in
		skip) assert_line "case=$c backend=$b status=skip reason=no_exported_aligned_vmalloc" ;;
		pass) assert_line --regexp "^case=$c backend=$b status=pass ops=[1-9][0-9]* avg_us=[0-9]+ loop_ns=[1-9][0-9]* p99_ns=[1-9][0-9]* min_ns=[1-9][0-9]* max_ns=[1-9][0-9]* enomem=0$(space_re "$b")$" ;;
		xfail) assert_line --regexp "^case=$c backend=$b status=xfail ops=[0-9]+ avg_us=[0-9]+ loop_ns=[0-9]+ p99_ns=[0-9]+ min_ns=[0-9]+ max_ns=[0-9]+ enomem=[1-9][0-9]*$(space_re "$b")$" ;;
		esac
	done
	# fix_size: loops times threads operations.
	assert_line --regexp '^case=fix_size_alloc_test backend=kvalab status=pass ops=40 '
	assert_line --regexp '^case=fix_size_alloc_test backend=vmalloc status=pass ops=40 '
	# A ratio exactly for the cases both backends ran: kvalab over the
	# baseline, and the same value in the two-backend format's line.
	[[ $(grep -c '^ratio ' <<<"$output") == 10 ]]
	for c in $BOTH; do
		assert_line --regexp "^ratio case=$c backend=kvalab baseline=vmalloc value=[0-9]+\.[0-9]{3}$"
		assert_line --regexp "^ratio case=$c kvalab/vmalloc=[0-9]+\.[0-9]{3}$"
		new=$(sed -n "s/^ratio case=$c backend=kvalab baseline=vmalloc value=//p" <<<"$output")
		old=$(sed -n "s|^ratio case=$c kvalab/vmalloc=||p" <<<"$output")
		[[ $new == "$old" ]]
	done
	# test_vmalloc's Summary lines, for every result that is not a skip.
	[[ $(grep -c '^Summary: ' <<<"$output") == 13 ]]
	for key in "${!WANT[@]}"; do
		c=${key%/*} b=${key#*/} s=${WANT[$key]}
		case $s in
		pass) assert_line --regexp "^Summary: $c passed: 1 failed: 0 repeat: 1 loops: 20 avg: [0-9]+ usec backend: $b$" ;;
		xfail) assert_line --regexp "^Summary: $c passed: 0 failed: 1 repeat: 1 loops: 20 avg: [0-9]+ usec backend: $b$" ;;
		esac
	done
	# The same Summary lines went to the kernel log, and the end of the run.
	log=$(dmesg_since_mark "$mark")
	grep -q 'Summary: fix_size_alloc_test passed: 1 failed: 0 repeat: 1 loops: 20 avg: [0-9]* usec backend: vmalloc' <<<"$log"
	grep -q 'workloads: run done' <<<"$log"
	# The workloads gave back every area.
	check_ok
	[[ $(stat_val nr_busy) == 0 ]]
	ctl_ok reset >/dev/null
	[[ $(stat_val nr_free) == 1 && $(stat_val largest_free) == 33554432 ]]
	[[ $(stat_val pages_allocated) == "$(stat_val pages_freed)" ]]
}

# avg_us=N loop_ns=N of CASE on BACKEND in the results listing $output.
avg_loop() {
	sed -n "s/^case=$1 backend=$2 status=pass ops=[0-9]* avg_us=\([0-9]*\) loop_ns=\([0-9]*\) .*/\1 \2/p" <<<"$output"
}

@test "avg_us is test_vmalloc's avg (setup included), loop_ns the measured loop; kernel-only cases run on vmalloc only" {
	kvalab_load slice_size=8M
	run -0 ctl run full_fit_alloc_test kvfree_rcu_1_arg_vmalloc_test \
		kvfree_rcu_2_arg_vmalloc_test loops=20 repeat=2 threads=1 sequential=1
	assert_output "ok run mask=0x302 backends=kvalab,vmalloc baseline=vmalloc"
	run -0 wait_run_end 120
	assert_output "done"
	run -0 cat "$D/results"
	# full_fit builds its hole list before the loop: hundreds of areas
	# allocated and freed, which avg_us covers and loop_ns does not.
	for b in kvalab vmalloc; do
		read -r avg loop < <(avg_loop full_fit_alloc_test $b)
		echo "# full_fit on $b: avg ${avg} us, loop ${loop} ns/op" >&3
		((loop > 0 && avg * 1000 > 2 * 20 * loop))
		# The Summary line's avg is the same figure.
		assert_line --regexp "^Summary: full_fit_alloc_test passed: 2 failed: 0 repeat: 2 loops: 20 avg: $avg usec backend: $b$"
	done
	# kvfree_rcu frees through the kernel's kvfree(): vmalloc backend only.
	for c in kvfree_rcu_1_arg_vmalloc_test kvfree_rcu_2_arg_vmalloc_test; do
		assert_line --regexp "^case=$c backend=vmalloc status=pass ops=40 avg_us=[0-9]+ loop_ns=[1-9][0-9]* p99_ns=[1-9][0-9]* min_ns=[1-9][0-9]* max_ns=[1-9][0-9]* enomem=0$"
		assert_line "case=$c backend=kvalab status=skip reason=kvfree_rcu_frees_only_kernel_vmalloc"
		assert_line --regexp "^Summary: $c passed: 2 failed: 0 repeat: 2 loops: 20 avg: [0-9]+ usec backend: vmalloc$"
		refute_line --regexp "^Summary: $c .* backend: kvalab$"
	done
	check_ok
	[[ $(stat_val nr_busy) == 0 ]]
}

@test "pcpu_alloc_test: 35000 per-CPU areas on the vmalloc backend; kvalab skips it and says why" {
	# Its 35,000 areas are fixed (test_vmalloc's count); under KASAN,
	# kmemleak and lockdep they cost more than this suite's budget there.
	[[ $KVALAB_KERNEL != debug ]] || skip "35,000 per-CPU areas are too slow on the debug kernel"
	kvalab_load slice_size=8M
	ctl_ok run pcpu_alloc_test repeat=1 threads=1 >/dev/null
	run -0 wait_run_end 240
	assert_output "done"
	run -0 cat "$D/results"
	# One op per area (its alloc and its free), whatever loops says.
	assert_line --regexp "^case=pcpu_alloc_test backend=vmalloc status=pass ops=35000 avg_us=[1-9][0-9]* loop_ns=[1-9][0-9]* "
	assert_line "case=pcpu_alloc_test backend=kvalab status=skip reason=pcpu_chunks_use_kernel_vmalloc"
}

# test_vmalloc's two newest cases. The vmalloc backend runs each where the
# kernel has what it calls (module/compat.h, by version: non-blocking
# vmalloc from 6.19, vrealloc exported from 7.0), so on 7.2 and 7.3 both
# pass and on 6.1 and 6.12 (debug and perf kernels included) both are
# skipped, naming the version. kvalab and floor run vrealloc_test with
# their own realloc and skip no_block_alloc_test on every kernel: their
# allocations sleep.
@test "no_block_alloc_test, vrealloc_test: vmalloc runs them where the kernel (uname -r) can, else skips with the reason; kvalab and floor run vrealloc only" {
	echo "# $(uname -r) (KVALAB_KERNEL=$KVALAB_KERNEL)" >&3
	# The kernels the suites boot, by name, are on the side of the
	# version line their release says.
	case $KVALAB_KERNEL in
	7.2 | 7.3) kernel_at_least 7 0 ;;
	6.1 | 6.12 | debug | perf) run -1 kernel_at_least 6 19 ;;
	esac
	kvalab_load slice_size=8M
	mark=$(kmsg_mark)
	run -0 ctl run no_block_alloc_test vrealloc_test backend=vmalloc,kvalab,floor \
		loops=20 repeat=1 threads=2 sequential=1
	assert_output "ok run mask=0x1800 backends=vmalloc,kvalab,floor baseline=vmalloc"
	run -0 wait_run_end 120
	assert_output "done"
	run -0 cat "$D/results"
	assert_line --index 0 "state: done"
	assert_line --index 1 "progress: 6/6"
	[[ $(grep -c '^case=' <<<"$output") == 6 ]]
	pass_re='status=pass ops=40 avg_us=[0-9]+ loop_ns=[1-9][0-9]* p99_ns=[1-9][0-9]* min_ns=[1-9][0-9]* max_ns=[1-9][0-9]* enomem=0'
	# kvalab and floor, whatever the kernel.
	assert_line "case=no_block_alloc_test backend=kvalab status=skip reason=kvalab_alloc_may_sleep"
	assert_line "case=no_block_alloc_test backend=floor status=skip reason=floor_alloc_may_sleep"
	assert_line --regexp "^case=vrealloc_test backend=kvalab $pass_re$(space_re kvalab)$"
	assert_line --regexp "^case=vrealloc_test backend=floor $pass_re$"
	for b in kvalab floor; do
		assert_line --regexp "^Summary: vrealloc_test passed: 1 failed: 0 repeat: 1 loops: 20 avg: [0-9]+ usec backend: $b$"
		refute_line --regexp "^Summary: no_block_alloc_test .* backend: $b$"
	done
	# vmalloc, by the running kernel's version.
	if kernel_at_least 6 19; then
		assert_line --regexp "^case=no_block_alloc_test backend=vmalloc $pass_re$"
		assert_line --regexp "^Summary: no_block_alloc_test passed: 1 failed: 0 repeat: 1 loops: 20 avg: [0-9]+ usec backend: vmalloc$"
	else
		assert_line "case=no_block_alloc_test backend=vmalloc status=skip reason=vmalloc_may_sleep_before_6.19"
		refute_line --regexp "^Summary: no_block_alloc_test .* backend: vmalloc$"
	fi
	if kernel_at_least 7 0; then
		assert_line --regexp "^case=vrealloc_test backend=vmalloc $pass_re$"
		assert_line --regexp "^Summary: vrealloc_test passed: 1 failed: 0 repeat: 1 loops: 20 avg: [0-9]+ usec backend: vmalloc$"
		# Ratios over vmalloc for vrealloc_test only (no_block_alloc_test
		# ran on vmalloc alone).
		assert_line --regexp '^ratio case=vrealloc_test backend=kvalab baseline=vmalloc value=[0-9]+\.[0-9]{3}$'
		assert_line --regexp '^ratio case=vrealloc_test backend=floor baseline=vmalloc value=[0-9]+\.[0-9]{3}$'
		assert_line --regexp '^ratio case=vrealloc_test kvalab/vmalloc=[0-9]+\.[0-9]{3}$'
		[[ $(grep -c '^ratio ' <<<"$output") == 3 ]]
	else
		assert_line "case=vrealloc_test backend=vmalloc status=skip reason=vrealloc_not_exported_before_7.0"
		refute_line --regexp "^Summary: vrealloc_test .* backend: vmalloc$"
		refute_line --regexp '^ratio '
	fi
	# Nothing slept in atomic context (BUG: sleeping function called
	# from invalid context, scheduling while atomic) or warned.
	run -0 dmesg_since_mark "$mark"
	refute_output --partial 'BUG:'
	refute_output --partial 'WARNING:'
	check_ok
	[[ $(stat_val nr_busy) == 0 ]]
}

@test "stop mid-run: state stopped, nothing left busy, check passes" {
	kvalab_load slice_size=16M
	ctl_ok run mask=0x47f loops=1000000 repeat=2 threads=2 >/dev/null
	[[ $(run_state) == running ]]
	# Let the workers get into their loops.
	sleep 1
	run -0 ctl stop
	assert_output "ok stop"
	# stop returns once the workers are gone.
	[[ $(run_state) == stopped ]]
	[[ $(stat_val nr_busy) == 0 ]]
	check_ok
	# Nothing finished: no case reported, progress not complete.
	run -0 cat "$D/results"
	refute_line --regexp '^progress: ([0-9]+)/\1$'
	# A new run can start after a stop and finishes.
	ctl_ok run fix_size_alloc_test loops=20 repeat=1 threads=2 >/dev/null
	run -0 wait_run_end 120
	assert_output "done"
	[[ $(stat_val nr_busy) == 0 ]]
	check_ok
}

@test "while a run is going: a second run and reset are EBUSY; its areas (by address) are EBUSY to control" {
	kvalab_load slice_size=16M
	ctl_ok run long_busy_list_alloc_test backend=kvalab loops=10000000 repeat=1 threads=1 >/dev/null
	# long_busy_list first fills the bottom of the slice with one-page areas
	# that stay for the whole (practically endless) loop.
	wait_busy_over 50 120
	stat_is slice_holder run
	run -1 ctl run fix_size_alloc_test loops=20 repeat=1
	assert_output "error run -16 EBUSY: a workload run is in progress; stop it first"
	run -1 ctl reset
	assert_output "error reset -16 EBUSY: a workload run is in progress; stop it first"
	# Workload areas have no id: vmallocinfo names them "workload", id 0
	# is refused as theirs, and by address they are refused as well.
	first=$(sed -n 1p "$D/vmallocinfo")
	addr=${first%%-*}
	[[ $first == *" pages=1 vmalloc "*" workload" ]]
	run -1 ctl free 0
	assert_output "error free -16 EBUSY: id 0 names no area: the areas listed as 'workload' belong to a running workload, which frees them itself"
	for cmd in "free $addr" "free_atomic $addr" "fill $addr 0x11" "verify $addr 0"; do
		run -1 ctl $cmd
		assert_output "error ${cmd%% *} -16 EBUSY: area id 0 belongs to a running workload"
	done
	# The area is still there, unchanged.
	[[ $(sed -n 1p "$D/vmallocinfo") == "$first" ]]
	[[ $(run_state) == running ]]
	# Our own allocations work alongside the run.
	own=$(alloc_id 64K)
	ctl_ok fill "$own" 0x42 >/dev/null
	ctl_ok verify "$own" 0x42 >/dev/null
	ctl_ok free "$own" >/dev/null
	ctl_ok stop >/dev/null
	[[ $(run_state) == stopped ]]
	[[ $(stat_val nr_busy) == 0 ]]
	check_ok
}

@test "run parameters out of range are refused with a reason; no run starts" {
	kvalab_load slice_size=8M
	run -1 ctl run mask=0x2000
	assert_output --regexp '^error run -22 EINVAL: .*0x2000'
	run -1 ctl run threads=65
	assert_output "error run -34 ERANGE: threads '65' is above the maximum 64"
	run -1 ctl run pages=65536 threads=2 backend=kvalab
	assert_output --regexp '^error run -22 EINVAL: '
	run -1 ctl run no_such_test
	assert_output --regexp '^error run -22 EINVAL: .*no_such_test'
	[[ $(run_state) == idle ]]
	# Only the selected backend runs.
	ctl_ok run fix_size_alloc_test backend=vmalloc loops=20 repeat=1 threads=1 >/dev/null
	run -0 wait_run_end 60
	assert_output "done"
	run -0 cat "$D/results"
	assert_line --regexp '^case=fix_size_alloc_test backend=vmalloc status=pass ops=20 '
	refute_line --regexp '^case=.* backend=kvalab '
	refute_line --regexp '^ratio '
	# Unknown and repeated backends, a baseline that does not run.
	run -1 ctl run backend=vmalloc,kvalab:worst-fit
	assert_output "error run -22 EINVAL: unknown backend 'kvalab:worst-fit' in 'backend=vmalloc,kvalab:worst-fit'"
	run -1 ctl run backend=kvalab:lowest,kvalab:lowest
	assert_output "error run -22 EINVAL: backend 'kvalab:lowest' given twice"
	run -1 ctl run backend=kvalab:lowest baseline=vmalloc
	assert_output "error run -22 EINVAL: baseline 'vmalloc' is not one of the run's backends"
	[[ $(run_state) == done ]]
}

@test "three backends in one run: vmalloc, kvalab:lowest, kvalab:best-fit each report, ratios over vmalloc" {
	kvalab_load slice_size=16M
	policy_before=$(stat_val policy)
	run -0 ctl run fix_size_alloc_test random_size_alloc_test fix_align_alloc_test \
		backend=vmalloc,kvalab:lowest,kvalab:best-fit loops=20 repeat=2 threads=2
	assert_output "ok run mask=0x19 backends=vmalloc,kvalab:lowest,kvalab:best-fit baseline=vmalloc"
	run -0 wait_run_end 240
	assert_output "done"
	run -0 cat "$D/results"
	assert_line "progress: 18/18"
	assert_line "params: mask=0x19 threads=2 loops=20 repeat=2 pages=1 sequential=0 backends=vmalloc,kvalab:lowest,kvalab:best-fit baseline=vmalloc"
	[[ $(grep -c '^case=' <<<"$output") == 9 ]]
	for c in fix_size_alloc_test random_size_alloc_test fix_align_alloc_test; do
		for b in kvalab:lowest kvalab:best-fit; do
			# loops x threads x repeats operations, each kvalab backend.
			assert_line --regexp "^case=$c backend=$b status=pass ops=80 avg_us=[0-9]+ loop_ns=[1-9][0-9]* p99_ns=[1-9][0-9]* min_ns=[1-9][0-9]* max_ns=[1-9][0-9]* enomem=0 nr_free=[1-9][0-9]* largest_free=[1-9][0-9]*$"
			assert_line --regexp "^Summary: $c passed: 2 failed: 0 repeat: 2 loops: 20 avg: [0-9]+ usec backend: $b$"
		done
	done
	assert_line "case=fix_align_alloc_test backend=vmalloc status=skip reason=no_exported_aligned_vmalloc"
	for c in fix_size_alloc_test random_size_alloc_test; do
		assert_line --regexp "^case=$c backend=vmalloc status=pass ops=80 avg_us=[0-9]+ loop_ns=[1-9][0-9]* p99_ns=[1-9][0-9]* min_ns=[1-9][0-9]* max_ns=[1-9][0-9]* enomem=0$"
		assert_line --regexp "^ratio case=$c backend=kvalab:lowest baseline=vmalloc value=[0-9]+\.[0-9]{3}$"
		assert_line --regexp "^ratio case=$c backend=kvalab:best-fit baseline=vmalloc value=[0-9]+\.[0-9]{3}$"
	done
	# Neither plain kvalab nor a ratio against a skipped baseline.
	refute_line --regexp '^ratio case=.* kvalab/vmalloc='
	refute_line --regexp '^ratio case=fix_align_alloc_test '
	[[ $(grep -c '^ratio ' <<<"$output") == 4 ]]
	# The policy active before the run is active again, the slice is whole.
	[[ $(stat_val policy) == "$policy_before" ]]
	check_ok
	[[ $(stat_val nr_busy) == 0 ]]
}

# reuse_addr: allocate 4K, free and purge it, allocate 4K again; print both
# addresses. Lowest-first placement hands the same address out again;
# next-fit's rotor has moved past it.
reuse_addrs() {
	local r1 r2
	r1=$(ctl_ok alloc 4K) || return 1
	free_purge "$(field id "$r1")"
	r2=$(ctl_ok alloc 4K) || return 1
	ctl_ok free "$(field id "$r2")" >/dev/null
	echo "$(field addr "$r1") $(field addr "$r2")"
}

@test "after a run ending on kvalab:next-fit, placement is lowest-first again" {
	kvalab_load slice_size=16M
	read -r a b < <(reuse_addrs)
	[[ $a == "$b" ]]
	ctl_ok run fix_size_alloc_test backend=kvalab,kvalab:next-fit loops=20 \
		repeat=1 threads=1 sequential=1 >/dev/null
	run -0 wait_run_end 120
	assert_output "done"
	ctl_ok purge >/dev/null
	read -r a b < <(reuse_addrs)
	[[ $a == "$b" ]]
	check_ok
}

@test "a run restores the active policy when it ends and when it is stopped" {
	kvalab_load slice_size=16M
	# The policy command and the stats line come with module/placement.c.
	if ! ctl policy next-fit >/dev/null 2>&1; then
		skip "this module has no 'policy' command yet"
	fi
	[[ $(stat_val policy) == next-fit ]]
	ctl_ok run fix_size_alloc_test backend=kvalab:best-fit,kvalab,kvalab:vmlist \
		loops=20 repeat=2 threads=1 >/dev/null
	run -0 wait_run_end 120
	assert_output "done"
	[[ $(stat_val policy) == next-fit ]]
	# Stopped in the middle of a kvalab:best-fit unit.
	ctl_ok run long_busy_list_alloc_test backend=kvalab:best-fit loops=10000000 \
		repeat=1 threads=1 >/dev/null
	wait_busy_over 50 120
	ctl_ok stop >/dev/null
	[[ $(run_state) == stopped ]]
	[[ $(stat_val policy) == next-fit ]]
	ctl_ok policy lowest >/dev/null
	check_ok
}

@test "unload during a run does not hang and leaves nothing in /proc/vmallocinfo" {
	# vmalloc backend: the list is real vmalloc areas, allocated by the module.
	kvalab_load slice_size=16M
	ctl_ok run long_busy_list_alloc_test backend=vmalloc loops=10000000 repeat=2 threads=2 >/dev/null
	wait_until 60 kernel_vmalloc_over 50
	[[ $(run_state) == running ]]
	timeout 120 rmmod kvalab
	not_loaded
	run grep kvalab /proc/vmallocinfo
	assert_failure
	# kvalab backend: the list is in the slice. Through the CLI this time.
	kvalab_load slice_size=16M
	ctl_ok run long_busy_list_alloc_test backend=kvalab loops=10000000 repeat=2 threads=2 >/dev/null
	wait_busy_over 50 120
	[[ $(run_state) == running ]]
	run -0 timeout 120 kvalab unload
	assert_output "unloaded kvalab"
	not_loaded
	run grep kvalab /proc/vmallocinfo
	assert_failure
}

@test "cli run --timeout stops the run and shows what finished" {
	kvalab_load slice_size=16M
	run -1 kvalab run long_busy_list_alloc_test --loops 10000000 --repeat 1 --threads 1 \
		--timeout 2 --no-progress
	assert_output --partial "timed out"
	assert_line --regexp '^kvalab .*state: stopped'
	[[ $(run_state) == stopped ]]
	[[ $(stat_val nr_busy) == 0 ]]
	check_ok
}

# The floor backend (module/workloads/wl_floor.c) runs every case; with breakdown=Y the
# results carry a breakdown line per kvalab and floor result, every phase
# named, over the measured loops only (ops = loops x threads).
# 16M: with 2 threads random_size_align needs 9M of VA (the run refuses less).
@test "floor: every case runs as on kvalab; breakdown lines name every phase, floor none of kvalab's VA phases" {
	# va_pools=N whatever --params says: a pooled allocation skips the VA
	# search (va=N:M, M < ops), and this test counts one search per op.
	kvalab_load slice_size=16M breakdown=Y va_pools=N
	run -0 ctl run mask=0x47f backend=kvalab,floor baseline=floor loops=10 repeat=1 threads=2
	assert_output "ok run mask=0x47f backends=kvalab,floor baseline=floor"
	run -0 wait_run_end 240
	assert_output "done"
	run -0 cat "$D/results"
	for key in "${!WANT[@]}"; do
		c=${key%/*} b=${key#*/} s=${WANT[$key]}
		[[ $b == kvalab ]] || continue
		# The aligned cases are vmalloc's skips: floor skips them too.
		if [[ ${WANT[$c/vmalloc]} == skip ]]; then
			assert_line "case=$c backend=floor status=skip reason=floor_places_no_alignment"
			refute_line --regexp "^breakdown case=$c backend=floor "
			continue
		fi
		assert_line --regexp "^case=$c backend=floor status=pass ops=20 avg_us=[0-9]+ loop_ns=[1-9][0-9]* p99_ns=[0-9]+ min_ns=[0-9]+ max_ns=[0-9]+ enomem=0$"
		for be in kvalab floor; do
			line=$(grep "^breakdown case=$c backend=$be ops=20 " <<<"$output")
			for ph in objects pages va map insert vblock lookup unmap free_pages lazy flush merge state_sem; do
				[[ $line =~ \ $ph=[0-9]+:[0-9]+( |$) ]]
			done
		done
		assert_line --regexp "^ratio case=$c backend=kvalab baseline=floor value=[0-9]+\.[0-9]{3}$"
	done
	# floor allocates, maps, unmaps and frees once per op and never touches
	# kvalab's objects, trees, merges or state_sem; kvalab's allocation
	# takes state_sem twice per op (alloc, free), not three times.
	assert_line --regexp '^breakdown case=fix_size_alloc_test backend=floor ops=20 objects=0:0 pages=[1-9][0-9]*:20 va=[0-9]+:20 map=[1-9][0-9]*:20 insert=0:0 vblock=0:0 lookup=[0-9]+:20 unmap=[1-9][0-9]*:20 free_pages=[0-9]+:20 lazy=[0-9]+:20 flush=[0-9]+:[0-9]+ merge=0:0 state_sem=0:0$'
	assert_line --regexp '^breakdown case=fix_size_alloc_test backend=kvalab ops=20 objects=[1-9][0-9]*:20 pages=[1-9][0-9]*:20 va=[0-9]+:20 map=[1-9][0-9]*:20 insert=[0-9]+:20 .* state_sem=[0-9]+:40$'
	refute_line --regexp '^breakdown case=.* backend=vmalloc '
	check_ok
	[[ $(stat_val nr_busy) == 0 ]]
}

# Levers on and off: the floor and kvalab pass and the slice checks out;
# tlb_flush=invlpg flushes small purges page by page unless PTI is on (then
# INVLPG cannot reach other address spaces' kernel entries: the full flush).
@test "levers: page_alloc=bulk and tlb_flush=invlpg with small purges, on kvalab and floor; no breakdown lines when off" {
	kvalab_load slice_size=8M page_alloc=bulk tlb_flush=invlpg lazy_max_pages=8 breakdown=N
	run -0 ctl run mask=0x40b backend=vmalloc,kvalab,floor loops=10 repeat=2 threads=1
	run -0 wait_run_end 240
	assert_output "done"
	run -0 cat "$D/results"
	refute_line --regexp '^breakdown '
	for c in fix_size_alloc_test full_fit_alloc_test random_size_alloc_test vm_map_ram_test; do
		assert_line --regexp "^case=$c backend=floor status=pass ops=20 "
		assert_line --regexp "^case=$c backend=kvalab status=pass ops=20 "
		assert_line --regexp "^ratio case=$c backend=floor baseline=vmalloc value=[0-9]+\.[0-9]{3}$"
	done
	check_ok
	[[ $(stat_val pages_allocated) == "$(stat_val pages_freed)" ]]
	n=$(cat /sys/module/kvalab/parameters/tlb_invlpg_flushes)
	if grep -q PTI /sys/devices/system/cpu/vulnerabilities/meltdown; then
		[[ $n == 0 ]]
	else
		[[ $n -gt 0 ]]
	fi
	# Back to the full flush: the counter stops.
	echo kernel > /sys/module/kvalab/parameters/tlb_flush
	run -0 ctl run fix_size_alloc_test backend=kvalab,floor loops=10 repeat=1 threads=1
	run -0 wait_run_end 240
	[[ $(cat /sys/module/kvalab/parameters/tlb_invlpg_flushes) == "$n" ]]
	check_ok
	run ! sh -c 'echo bogus > /sys/module/kvalab/parameters/tlb_flush'
	[[ $(cat /sys/module/kvalab/parameters/tlb_flush) == kernel ]]
}

# purge vmalloc: the kernel's lazy areas (what the vmalloc backend's vfree()s
# left, the "unpurged vm_area" lines of /proc/vmallocinfo) are gone after it.
# The kernel purges on its own too, when its lazy count passes lazy_max_pages:
# every exiting process can vfree() its stack, and bats forks a lot, so on the
# debug kernel (KASAN doubles the stacks) a purge can fall inside the run and
# leave only its tail (12 of 40 once). The run is repeated until it leaves at
# least 20, at most 5 times.
@test "purge vmalloc empties the kernel's lazy list; a plain purge does not touch it" {
	kvalab_load slice_size=8M
	local try before=0
	for try in 1 2 3 4 5; do
		run -0 ctl run fix_size_alloc_test backend=vmalloc loops=40 repeat=1 threads=1
		run -0 wait_run_end 240
		ctl_ok purge
		before=$(grep -c 'unpurged vm_area' /proc/vmallocinfo || true)
		echo "# try $try: unpurged vm_area lines: $before" >&3
		if ((before >= 20)); then break; fi
	done
	((before >= 20))
	run -0 ctl purge vmalloc
	assert_output "ok purge vmalloc"
	after=$(grep -c 'unpurged vm_area' /proc/vmallocinfo || true)
	echo "# after purge vmalloc: $after" >&3
	((after < 5))
	run -0 kvalab purge vmalloc --json
	assert_output '{"op":"purge","vmalloc":true}'
	run -1 ctl purge vmalloc x
	assert_output --partial "extra argument 'x'"
	check_ok
}

# obj_cache=Y: the area objects come from per-CPU magazines. A magazine that
# handed an object out twice or lost one fails the checker (two areas, one
# record) or, at unload, kmem_cache_destroy() ("Objects remaining", a BUG
# splat that fails the boot); the hits counter shows the magazines were used.
@test "levers: obj_cache=Y serves area objects from per-CPU magazines (N: none); checker clean; unload with live areas leaves no object" {
	# Off: every object from the slab, the counter does not move.
	kvalab_load slice_size=8M obj_cache=N
	hits=$(cat /sys/module/kvalab/parameters/obj_cache_hits)
	run -0 ctl run fix_size_alloc_test backend=kvalab loops=10 repeat=1 threads=1
	run -0 wait_run_end 240
	check_ok
	[[ $(cat /sys/module/kvalab/parameters/obj_cache_hits) == "$hits" ]]
	kvalab_unload
	# On.
	kvalab_load slice_size=8M obj_cache=Y
	[[ $(cat /sys/module/kvalab/parameters/obj_cache) == Y ]]
	hits=$(cat /sys/module/kvalab/parameters/obj_cache_hits)
	run -0 ctl run mask=0x40b backend=kvalab,floor loops=10 repeat=2 threads=2
	run -0 wait_run_end 240
	assert_output "done"
	run -0 cat "$D/results"
	for c in fix_size_alloc_test full_fit_alloc_test random_size_alloc_test vm_map_ram_test; do
		assert_line --regexp "^case=$c backend=kvalab status=pass ops=40 "
	done
	check_ok
	(($(cat /sys/module/kvalab/parameters/obj_cache_hits) > hits + 40))
	[[ $(stat_val pages_allocated) == "$(stat_val pages_freed)" ]]
	# Live areas and freed ones (their objects in the magazines) at unload.
	for i in 1 2 3 4; do
		ids[i]=$(alloc_id 8K)
	done
	ctl_ok free "${ids[2]}"
	ctl_ok free "${ids[4]}"
	check_ok
	mark=$(kmsg_mark)
	kvalab_unload
	run -0 dmesg_since_mark "$mark"
	assert_line --partial "unloaded; freed 2 live areas"
	refute_line --partial "Objects remaining"
}

# fill_pool: free ten one-page areas (two pages each with the guard), so
# that the lazy list passes lazy_max_pages=16 and a threshold purge runs in
# the last free, whatever the lazy list held before; that purge keeps the
# flushed areas whole in the pool (it holds up to lazy_max_pages pages).
fill_pool() {
	local i ids=()
	for ((i = 0; i < 10; i++)); do
		ctl_ok alloc 4K >/dev/null
		res_id
		ids+=("$ID")
	done
	for i in "${ids[@]}"; do
		ctl_ok free "$i" >/dev/null
	done
	check_ok
	(($(stat_val nr_pooled) > 0))
}

# va_pools=Y: a threshold purge keeps flushed areas of up to 256 pages whole
# in the pool and an allocation of the same size takes one back (fit=pool),
# under every policy, with the checker clean after each (the occupied-list
# policies keep pooled areas on their list; switching rebuilds it with
# them). An explicit purge empties the pool; unload with pooled areas frees
# every object (kmem_cache_destroy() would report "Objects remaining").
@test "levers: va_pools=Y: purged areas come back whole by size under every policy; purge empties the pool; unload leaves nothing" {
	# Off (whatever --params says): the pool is never used.
	kvalab_load slice_size=8M lazy_max_pages=16 va_pools=N
	run -0 ctl run fix_size_alloc_test backend=kvalab loops=40 repeat=1 threads=1
	run -0 wait_run_end 240
	[[ $(stat_val pool_hits) == 0 && $(stat_val nr_pooled) == 0 ]]
	kvalab_unload
	kvalab_load slice_size=8M lazy_max_pages=16 va_pools=Y
	[[ $(cat /sys/module/kvalab/parameters/va_pools) == Y ]]
	local p hits=0
	for p in lowest vmlist cached-hole next-fit best-fit instant-fit; do
		ctl_ok policy "$p" >/dev/null
		run -0 ctl run fix_size_alloc_test backend=kvalab loops=40 repeat=1 threads=2
		run -0 wait_run_end 240
		assert_output "done"
		run -0 cat "$D/results"
		assert_line --regexp "^case=fix_size_alloc_test backend=kvalab status=pass ops=80 "
		check_ok
		echo "# $p: pool_hits $(stat_val pool_hits) nr_pooled $(stat_val nr_pooled)" >&3
		(($(stat_val pool_hits) > hits))
		hits=$(stat_val pool_hits)
	done
	# Whether the runs left anything pooled depends on where their last
	# threshold purge fell; a purge of our own makes it certain. A two-page
	# area (one page and its guard) is in the pool then: the control file's
	# one-page alloc takes it.
	fill_pool
	ctl_res alloc 4K
	[[ $RES == *" fit=pool"* ]]
	res_id
	check_ok
	ctl_ok free "$ID" >/dev/null
	# An explicit purge returns every pooled area to the free tree.
	ctl_ok purge >/dev/null
	[[ $(stat_val nr_pooled) == 0 && $(stat_val pooled_pages) == 0 ]]
	[[ $(stat_val nr_free) == 1 ]]
	check_ok
	# Pooled areas at unload: fill the pool again, then unload.
	run -0 ctl run fix_size_alloc_test backend=kvalab loops=40 repeat=1 threads=1
	run -0 wait_run_end 240
	fill_pool
	mark=$(kmsg_mark)
	kvalab_unload
	run -0 dmesg_since_mark "$mark"
	refute_line --partial "Objects remaining"
	refute_line --partial "areas left"
}

@test "kvalab run --breakdown: every phase per case and backend, the parameter back as it was" {
	# Off before the run (whatever --params says), so "back" is visible.
	kvalab_load slice_size=8M breakdown=N
	run -0 kvalab run fix_size_alloc_test --backend kvalab,floor --loops 10 --repeat 1 --threads 1 --no-progress --breakdown
	assert_line --regexp '^case +kvalab loop_ns +p99 +floor loop_ns +p99 +ratio +kvalab/floor +status$'
	assert_line --regexp '^case +backend +objects +pages +va +map +insert +vblock +lookup +unmap +free_pages +lazy +flush +merge +state_sem +sum +ns/op$'
	assert_line --regexp '^fix_size_alloc_test +kvalab +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +- '
	assert_line --regexp '^fix_size_alloc_test +floor +- +[0-9]+ +[0-9]+ +[0-9]+ +- +- '
	[[ $(cat /sys/module/kvalab/parameters/breakdown) == N ]]
	check_ok
}
