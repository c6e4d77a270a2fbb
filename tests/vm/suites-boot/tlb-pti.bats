#!/usr/bin/env bats
# kvalab-append: pti=on
# kvalab-kernels: 7.3
# The TLB check (tlb.bats) with page-table isolation forced on: the kernel's
# mappings then live in per-PCID address spaces and the tlb_flush=invlpg
# lever must fall back to the full flush (compat.h, kvalab_invlpg_ok()).
# Run by make check (stage boot) on 7.3, whose flush is kvalab's own.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

teardown() {
	kvalab_unload || true
}

@test "PTI is on in this boot" {
	grep -qw pti /proc/cpuinfo
}

@test "check tlb under PTI: stale before each flush, gone after; invlpg falls back to the full flush" {
	tlb_check_passes tlb_flush=invlpg
	[[ $(field flush "$LINE") == "$(tlb_flush_expected)" ]]
	[[ $(field purge_flush "$LINE") == full ]]
}

@test "allocations through a purge keep their contents under PTI" {
	kvalab_load slice_size=4M lazy_max_pages=8
	for i in $(seq 1 24); do ctl_ok alloc 8K >/dev/null; done
	for i in $(seq 1 24); do ctl_ok fill "$i" "$i" >/dev/null; done
	for i in $(seq 1 24 | awk '$1 % 2'); do ctl_ok free "$i" >/dev/null; done
	ctl_ok purge >/dev/null
	for i in $(seq 25 36); do ctl_ok alloc 8K >/dev/null; ctl_ok fill "$i" 0x5a >/dev/null; done
	for i in $(seq 2 2 24); do ctl_ok verify "$i" "$i" >/dev/null; done
	for i in $(seq 25 36); do ctl_ok verify "$i" 0x5a >/dev/null; done
	[[ $(ctl_ok check) == "ok check busy=24 free="* ]]
}
