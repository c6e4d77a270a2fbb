#!/usr/bin/env bats
# The test_vmalloc workloads: every case on both backends, N backends and
# policy backends, the results file,
# stopping, refusing what would disturb a run, unloading during a run.

bats_require_minimum_version 1.5.0
bats_load_library kvalab
load workloads

setup() {
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

# The floor backend (wl_floor.c) runs every case; with breakdown=Y the
# results carry one breakdown line per result that ran, naming every phase.
@test "floor: every case runs and passes as kvalab does; breakdown lines name every phase" {
	kvalab_load slice_size=16M breakdown=Y
	run -0 ctl run mask=0x47f backend=kvalab,floor baseline=floor loops=10 repeat=1 threads=2
	assert_output "ok run mask=0x47f backends=kvalab,floor baseline=floor"
	run -0 wait_run_end 240
	assert_output "done"
	run -0 cat "$D/results"
	for key in "${!WANT[@]}"; do
		c=${key%/*} b=${key#*/} s=${WANT[$key]}
		[[ $b == kvalab ]] || continue
		case $s in
		pass) assert_line --regexp "^case=$c backend=floor status=pass ops=20 median_ns=[1-9][0-9]* p99_ns=[0-9]+ min_ns=[0-9]+ max_ns=[0-9]+ enomem=0$" ;;
		xfail) assert_line --regexp "^case=$c backend=floor status=xfail " ;;
		esac
		[[ $s == pass ]] || continue
		for be in kvalab floor; do
			line=$(grep "^breakdown case=$c backend=$be ops=20 " <<<"$output")
			for ph in objects pages va map insert vblock lookup unmap free_pages lazy flush merge; do
				[[ $line =~ \ $ph=[0-9]+:[0-9]+( |$) ]]
			done
		done
		assert_line --regexp "^ratio case=$c backend=kvalab baseline=floor value=[0-9]+\.[0-9]{3}$"
	done
	# floor maps and unmaps (every case but vm_map_ram allocates pages) and
	# never touches kvalab's objects, trees or merges.
	assert_line --regexp '^breakdown case=fix_size_alloc_test backend=floor ops=20 objects=0:0 pages=[1-9][0-9]*:20 va=[0-9]+:20 map=[1-9][0-9]*:20 insert=0:0 vblock=0:0 lookup=[0-9]+:20 unmap=[1-9][0-9]*:20 free_pages=[0-9]+:20 lazy=[0-9]+:20 flush=[0-9]+:[0-9]+ merge=0:0$'
	assert_line --regexp '^breakdown case=fix_size_alloc_test backend=kvalab ops=20 objects=[1-9][0-9]*:20 pages=[1-9][0-9]*:20 va=[0-9]+:20 map=[1-9][0-9]*:20 insert=[0-9]+:20 '
	check_ok
	[[ $(stat_val nr_busy) == 0 ]]
}

@test "floor without breakdown: no breakdown lines; levers page_alloc=bulk on kvalab and floor pass the checker" {
	kvalab_load slice_size=16M page_alloc=bulk
	run -0 ctl run mask=0x40f backend=vmalloc,kvalab,floor loops=10 repeat=2 threads=1
	run -0 wait_run_end 240
	assert_output "done"
	run -0 cat "$D/results"
	refute_line --regexp '^breakdown '
	for c in $BOTH; do
		assert_line --regexp "^case=$c backend=floor status=pass ops=20 "
		assert_line --regexp "^ratio case=$c backend=floor baseline=vmalloc value=[0-9]+\.[0-9]{3}$"
	done
	check_ok
	[[ $(stat_val pages_allocated) == "$(stat_val pages_freed)" ]]
}
