#!/usr/bin/env bats
# kvalab-append: clearcpuid=invpcid
# kvalab-kernels: 7.3
# The TLB check (tlb.bats) with INVPCID hidden from the kernel: kvalab's own
# flush must take the CR4.PGE toggle (compat.h). QEMU's TCG offers no INVPCID
# in the first place, so under TCG this boot checks that hiding it changes
# nothing; on hardware with INVPCID (tests/vm/run --kvm where KVM works) it
# is the boot that leaves the INVPCID path.
# Run by make check (stage boot) on 7.3, whose flush is kvalab's own.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

teardown() {
	kvalab_unload || true
}

@test "INVPCID is not offered in this boot" {
	run ! grep -qw invpcid /proc/cpuinfo
}

@test "check tlb without INVPCID: the CR4.PGE toggle, stale before each flush, gone after" {
	tlb_check_passes
	[[ $(field flush "$LINE") == cr4.pge ]]
	# Again with the purge's per-page flush (PTI is off here).
	kvalab_unload
	tlb_check_passes tlb_flush=invlpg
	[[ $(field purge_flush "$LINE") == invlpg ]]
}
