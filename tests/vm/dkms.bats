#!/usr/bin/env bats
# Run with the DKMS-built module (tests/dkms.sh passes it as --module).

bats_require_minimum_version 1.5.0
bats_load_library kvalab

teardown() {
	kvalab_unload || true
}

@test "the DKMS-built module loads, allocates, verifies, checks and unloads" {
	kvalab_load slice_size=8M
	[[ $(ctl_ok alloc 100K) == "ok alloc id=1 "* ]]
	[[ $(ctl_ok fill 1 0xa5) == "ok fill id=1 byte=0xa5 bytes=102400" ]]
	[[ $(ctl_ok verify 1 165) == "ok verify id=1 byte=0xa5 bytes=102400" ]]
	[[ $(ctl_ok check) == "ok check busy=1 free=1 lazy=0" ]]
	grep -q ' id=1$' "$D/vmallocinfo"
}

@test "the CLI loads and unloads the DKMS-built module" {
	run kvalab load --slice 4M
	assert_success
	run kvalab status
	assert_success
	run kvalab unload
	assert_success
	not_loaded
}

@test "installed as make install does: modprobe and the CLI find it" {
	# What `make install` does on a test box: the module under extra/ and
	# depmod. Neither modprobe nor the CLI is told where the file is.
	dir=/lib/modules/$(uname -r)/extra
	mkdir -p "$dir"
	cp "$KVALAB_KO" "$dir/kvalab.ko"
	depmod -a
	run modinfo -F version kvalab
	assert_success
	modprobe kvalab slice_size=4M
	[[ $(stat_val slice_size) == 4194304 ]]
	modprobe -r kvalab
	run env -u KVALAB_KO kvalab load --slice 2M
	assert_success
	[[ $(stat_val slice_size) == 2097152 ]]
	kvalab unload
	rm -f "$dir/kvalab.ko"
	depmod -a
}
