#!/usr/bin/env bats
# kvalab-append: lockdown=integrity
# Booted locked down (lockdown=integrity: what Secure Boot turns on in Debian's
# kernels), the kernel refuses the unsigned kvalab.ko. `kvalab load` must say
# the kernel is locked down, that the module must be signed and where the docs
# are, and exit non-zero; plain insmod fails too. Also checks the debugfs rule
# docs/secure-boot.md states for a signed kvalab (fs/debugfs/file.c,
# debugfs_locked_down()) on the kernel's own debugfs files.
# Run by make check (tests/check.sh, stage boot) on 6.1 and 7.3.

bats_require_minimum_version 1.5.0
bats_load_library kvalab

teardown() {
	kvalab_unload || true
}

@test "the kernel reports lockdown integrity in securityfs" {
	run cat /sys/kernel/security/lockdown
	assert_success
	assert_output --partial "[integrity]"
}

@test "plain insmod of the unsigned module fails and the kernel names lockdown" {
	local mark
	mark=$(kmsg_mark)
	run ! insmod "$KVALAB_KO"
	assert_output --partial "Operation not permitted"
	run dmesg_since_mark "$mark"
	assert_output --partial "Lockdown: insmod: unsigned module loading is restricted"
	run ! kvalab_loaded
}

@test "kvalab load fails: the kernel is locked down, the module must be signed, see the docs" {
	run ! kvalab load
	assert_output --partial "the kernel is locked down (lockdown: integrity)"
	assert_output --partial "$KVALAB_KO is unsigned"
	assert_output --partial "mokutil --import"
	assert_output --partial "docs/secure-boot.md"
	assert_output --regexp '\(EPERM\)$'
	refute_output --partial "run as root"
	run ! kvalab_loaded
}

@test "kvalab load --module gives the same answer (path named)" {
	cp "$KVALAB_KO" /tmp/copy.ko
	run ! env -u KVALAB_KO kvalab load --module /tmp/copy.ko
	assert_output --partial "lockdown: integrity"
	assert_output --partial "/tmp/copy.ko is unsigned"
}

@test "debugfs under lockdown: a 0644 file cannot be opened, even to read; 0444-only ones can" {
	local f=/sys/kernel/debug/dynamic_debug/control
	[[ $(stat -c %a "$f") == 644 ]]
	run ! cat "$f"
	assert_output --partial "Operation not permitted"
	run ! sh -c "echo 'module kvalab +p' >$f"
	assert_output --partial "Operation not permitted"
	# Some read-only file (no write bit for anyone) opens and reads.
	local g read=0
	while IFS= read -r g; do
		if head -c 64 "$g" >/dev/null 2>&1; then
			read=1
			break
		fi
	done < <(find /sys/kernel/debug -maxdepth 3 -type f ! -perm /0333 2>/dev/null | head -n 40)
	[[ $read == 1 ]]
}
