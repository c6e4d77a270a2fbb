#!/usr/bin/env bats
# A TLB flush is real (module/tlbcheck.c, "check tlb"): a translation cached
# by every CPU survives a PTE change until kvalab's flush and not after it,
# through the full flush and the purge's flush (both tlb_flush levers). On
# every kernel; suites-boot/tlb-*.bats repeat it with page-table isolation on
# and with INVPCID hidden.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

setup() {
	lean_trace
}

teardown() {
	kvalab_unload || true
}

@test "the module logs the flush it chose for this kernel" {
	mark=$(kmsg_mark)
	kvalab_load
	want=$(tlb_flush_expected)
	dmesg_since_mark "$mark" | grep -q "kvalab: TLB flush: $want on every CPU"
}

@test "check tlb: stale before the flush on every round, gone after (tlb_flush=kernel)" {
	tlb_check_passes tlb_flush=kernel
	[[ $(field flush "$LINE") == "$(tlb_flush_expected)" ]]
	[[ $(field purge_flush "$LINE") == full ]]
}

@test "check tlb: the purge's per-page INVLPG drops the entry too (tlb_flush=invlpg)" {
	tlb_check_passes tlb_flush=invlpg
	if grep -qw pti /proc/cpuinfo; then
		# With PTI the lever falls back to the full flush (compat.h).
		[[ $(field purge_flush "$LINE") == full ]]
	else
		[[ $(field purge_flush "$LINE") == invlpg ]]
	fi
}

@test "check tlb leaves the allocator and memory as they were" {
	kvalab_load
	before=$(ctl_ok check)
	for _ in 1 2 3; do ctl_ok check tlb >/dev/null; done
	[[ $(ctl_ok check) == "$before" ]]
	run ! ctl check tlb extra
	assert_output --partial "extra argument 'extra'"
	run ! ctl check tlbx
	assert_output --partial "'tlbx' is not tlb"
}
