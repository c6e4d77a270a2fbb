#!/usr/bin/env bats
# The smoke suite: a kernel that make check boots but does not test in full
# (7.2, sid's; tests/check.sh) builds, loads and runs the basics: an area
# mapped, written and read back, the checker, the TLB check, one workload case
# on both backends, the sim's identity with the replay on one trace, a purge
# and the unload with an area still live.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

setup() {
	lean_trace
}

teardown() {
	kvalab_unload || true
}

@test "smoke: load, alloc, fill, verify, free, purge, check" {
	kvalab_load slice_size=8M
	[[ $(ctl_ok alloc 100K) == "ok alloc id=1 "* ]]
	[[ $(ctl_ok fill 1 0xa5) == "ok fill id=1 byte=0xa5 bytes=102400" ]]
	[[ $(ctl_ok verify 1 165) == "ok verify id=1 byte=0xa5 bytes=102400" ]]
	[[ $(ctl_ok alloc 8K) == "ok alloc id=2 "* ]]
	ctl_ok free 2 >/dev/null
	[[ $(ctl_ok check) == "ok check busy=1 free="*" lazy=1" ]]
	ctl_ok purge >/dev/null
	[[ $(ctl_ok check) == "ok check busy=1 free="*" lazy=0" ]]
}

@test "smoke: check tlb on this kernel's flush" {
	tlb_check_passes
	[[ $(field flush "$LINE") == "$(tlb_flush_expected)" ]]
}

@test "smoke: fix_size_alloc_test on both backends passes" {
	kvalab_load
	run -0 kvalab run fix_size_alloc_test --loops 200 --repeat 1 --no-progress
	assert_line --regexp '^fix_size_alloc_test +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+\.[0-9]{3} +pass$'
	assert_line "1 cases, 2 results: 2 pass"
}

@test "smoke: the sim places a trace as the module's replay does" {
	kvalab_load slice_size=4M
	sim_matches /kvalab/data/record-workload.trace exact
}

@test "smoke: unload with a live area frees it" {
	kvalab_load slice_size=8M
	ctl_ok alloc 64K >/dev/null
	ctl_ok fill 1 7 >/dev/null
	kvalab_unload
	not_loaded
}
