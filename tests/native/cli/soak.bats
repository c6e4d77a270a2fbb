#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# make soak's host side (scripts/soak.sh): its knobs are checked before any
# guest boots, and the guest script it ships is valid bash. The soak itself
# runs for an hour on the debug kernel and is not part of make check
# (docs/reliability.md has its figures).
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)
SOAK=$TOP/scripts/soak.sh

@test "soak: a duration that is not a positive number is refused before anything boots" {
	for v in abc 0 -5 1.5 010x; do
		SOAK_SECONDS=$v run -2 "$SOAK"
		assert_output "soak: SOAK_SECONDS must be a positive number of seconds, not '$v'"
		refute_output --partial booting
	done
}

@test "soak: a cycle shorter than a minute is refused; so is a bad progress interval" {
	SOAK_CYCLE=30 run -2 "$SOAK"
	assert_output "soak: SOAK_CYCLE must be at least 60 s (a cycle loads, runs, replays and unloads)"
	SOAK_PROGRESS=x run -2 "$SOAK"
	assert_output "soak: SOAK_PROGRESS must be a positive number of seconds, not 'x'"
}

@test "soak: the guest script and the host script pass bash -n and shellcheck" {
	run -0 bash -n "$TOP/tests/vm/soak/soak-guest.sh"
	cd "$TOP/tests/vm/soak"
	run -0 shellcheck -x soak-guest.sh
	run -0 shellcheck "$SOAK"
}
