#!/usr/bin/env bats
# kvalab-append: sysctl.kernel.kptr_restrict=2
# Booted with kptr_restrict=2 (hardened systems set it): /proc/kallsyms shows
# zeros even to root, so the CLI passes no init_mm_addr= and the module finds
# init_mm by its sprint_symbol() walk from init_task (module/init_mm.c), and
# every %pK address kvalab prints reads as zeros; ids and offsets still work.
# What docs/secure-boot.md states. Run by make check (stage boot) on 6.1 and 7.3.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

teardown() {
	kvalab_unload || true
}

zero='0x0000000000000000'

@test "kptr_restrict is 2 and /proc/kallsyms shows init_mm at zero" {
	[[ $(cat /proc/sys/kernel/kptr_restrict) == 2 ]]
	run awk '$3 == "init_mm" { print $1 }' /proc/kallsyms
	assert_output 0000000000000000
}

@test "kvalab load works: no init_mm_addr= passed, the module's walk finds init_mm" {
	run kvalab load --slice 4M
	assert_success
	assert_output "loaded /kvalab/kvalab.ko slice_size=4M"
	# The CLI added nothing: the parameter stayed 0, so the walk ran.
	[[ $(cat /sys/module/kvalab/parameters/init_mm_addr) == 0 ]]
	[[ $(ctl_ok check) == "ok check busy=0 free=1 lazy=0" ]]
}

@test "addresses print as zeros; ids, fill, verify and free still work" {
	kvalab_load slice_size=4M
	res=$(ctl_ok alloc 100K)
	[[ $res == "ok alloc id=1 addr=$zero "* ]]
	[[ $(stat_val slice_start) == "$zero" ]]
	grep -q "^$zero-$zero " "$D/vmallocinfo"
	[[ $(ctl_ok fill 1 0x5a) == "ok fill id=1 byte=0x5a bytes=102400" ]]
	[[ $(ctl_ok verify 1 90) == "ok verify id=1 byte=0x5a bytes=102400" ]]
	[[ $(ctl_ok free 1) == "ok free id=1"* ]]
}
