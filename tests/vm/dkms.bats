#!/usr/bin/env bats
# Run with the DKMS-built module (tests/dkms.sh passes it as --module).

bats_require_minimum_version 1.5.0
bats_load_library kvalab

D=/sys/kernel/debug/kvalab

teardown() {
	kvalab_unload || true
}

@test "the DKMS-built module loads, allocates, verifies, checks and unloads" {
	kvalab_load slice_size=8M
	exec {fd}<>"$D/control"
	echo "alloc 100K" >&"$fd"
	read -r res <&"$fd"
	[[ $res == "ok alloc id=1 "* ]]
	echo "fill 1 0xa5" >&"$fd"
	read -r res <&"$fd"
	[[ $res == "ok fill id=1 byte=0xa5 bytes=102400" ]]
	echo "verify 1 165" >&"$fd"
	read -r res <&"$fd"
	[[ $res == "ok verify id=1 byte=0xa5 bytes=102400" ]]
	echo "check" >&"$fd"
	read -r res <&"$fd"
	[[ $res == "ok check busy=1 free=1 lazy=0" ]]
	exec {fd}>&-
	grep -q ' id=1$' "$D/vmallocinfo"
}

@test "the CLI loads and unloads the DKMS-built module" {
	run kvalab load --slice 4M
	assert_success
	run kvalab status
	assert_success
	run kvalab unload
	assert_success
	! kvalab_loaded
}
