#!/usr/bin/env bats
# kvalab-append: module.sig_enforce=1
# Booted with module.sig_enforce=1 (not locked down), the kernel refuses the
# unsigned kvalab.ko with EKEYREJECTED. `kvalab load` must say the kernel
# enforces module signatures, that the module must be signed and where the
# docs are, and exit non-zero; plain insmod fails too.
# Run by make check (tests/check.sh, stage boot) on 6.1 and 7.3.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

teardown() {
	kvalab_unload || true
}

@test "the kernel enforces signatures and is not locked down" {
	run cat /sys/module/module/parameters/sig_enforce
	assert_output Y
	run cat /sys/kernel/security/lockdown
	assert_output --partial "[none]"
}

@test "plain insmod of the unsigned module fails and the kernel says why" {
	local mark
	mark=$(kmsg_mark)
	run ! insmod "$KVALAB_KO"
	assert_output --partial "Key was rejected by service"
	run dmesg_since_mark "$mark"
	assert_output --partial "Loading of unsigned module is rejected"
	run ! kvalab_loaded
}

@test "kvalab load fails: signatures enforced, the module must be signed, see the docs" {
	run ! kvalab load
	assert_output --partial "the kernel enforces module signatures (module.sig_enforce=1)"
	assert_output --partial "$KVALAB_KO is unsigned"
	assert_output --partial "mokutil --import"
	assert_output --partial "docs/secure-boot.md"
	assert_output --regexp '\(EKEYREJECTED\)$'
	run ! kvalab_loaded
}
