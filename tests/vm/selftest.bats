#!/usr/bin/env bats
# Host-side tests of the VM runner itself (tests/vm/run), run natively by
# `make check`. Each test boots one Debian kernel once or twice under TCG
# (~10-20 s each): $KVALAB_SELFTEST_KERNEL, default 6.12 (make check runs it
# on 7.2, last in its background lane, where no other stage builds for 7.2).
# The guest bats files are written to a temp dir outside the repository.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

RUNNER="$BATS_TEST_DIRNAME/run"
K=${KVALAB_SELFTEST_KERNEL:-6.12}

setup() {
	dir=$(mktemp -d "${TMPDIR:-/tmp}/kvalab-selftest.XXXXXX")
}

teardown() {
	rm -rf "$dir"
}

# guest_file NAME: write stdin to $dir/NAME. Guest tests are spelled "%test" here
# because bats preprocesses "@test" lines even inside this file's heredocs.
guest_file() {
	sed 's/^%test /@test /' >"$dir/$1"
}

# vm [runner args...]: boot $K with a bounded time; fd 3 closed for QEMU
vm() {
	run "$RUNNER" --kernel "$K" --timeout 180 "$@" 3>&-
	printf '%s\n' "$output"
}

@test "a passing bats file outside the repo reports ok, exit 0, results copied back" {
	guest_file helper.bash <<'EOF'
helper_word() { echo beside; }
EOF
	guest_file pass.bats <<'EOF'
bats_require_minimum_version 1.5.0
bats_load_library kvalab
load helper

%test "trivial" {
	run helper_word
	assert_output beside
	[ -n "$KVALAB_KERNEL" ]
	[ -f "$KVALAB_KO" ]
	echo "from-guest $KVALAB_KERNEL" >"$KVALAB_RESULTS/marker.txt"
}
EOF
	vm --results "$dir/results" "$dir/pass.bats"
	assert_success
	assert_line --regexp '^ok 1 trivial( in [0-9]+ms)?$'
	assert_line "ok - guest reported a result ($K)"
	assert_line "ok - kernel log clean ($K)"
	assert_line "4 passed, 0 failed"
	refute_line --regexp '^not ok'
	run cat "$dir/results/marker.txt"
	assert_output "from-guest $K"
}

@test "a WARNING in the kernel log fails the run and is printed" {
	guest_file warn.bats <<'EOF'
%test "inject a warning into the kernel log" {
	echo '<4>WARNING: CPU: 0 PID: 1 at kvalab-selftest' >/dev/kmsg
}
EOF
	vm "$dir/warn.bats"
	assert_failure
	assert_line --regexp '^ok 1 inject a warning into the kernel log( in [0-9]+ms)?$'
	assert_line "not ok - kernel log clean ($K)"
	assert_line --partial "WARNING: CPU: 0 PID: 1 at kvalab-selftest"
}

@test "a guest that crashes yields 'not ok - guest reported a result'" {
	guest_file crash.bats <<'EOF'
%test "crash the kernel" {
	echo c >/proc/sysrq-trigger
	sleep 30
}
EOF
	vm "$dir/crash.bats"
	assert_failure
	assert_line "not ok - guest reported a result ($K)"
	assert_line "not ok - kernel log clean ($K)"
	refute_line --regexp '^ok 1 crash the kernel( in [0-9]+ms)?$'
	# /init had run: a crash there is the tests', never retried
	refute_output --partial "died before /init ran"
}

@test "a kernel that dies before /init is booted once more, and still fails" {
	guest_file never.bats <<'EOF'
%test "never runs" {
	true
}
EOF
	# No such rdinit: the kernel panics at mount_root and never runs /init.
	vm --append rdinit=/kvalab-no-such-init "$dir/never.bats"
	assert_failure
	assert_line "not ok - guest reported a result ($K)"
	assert_line --partial "a first boot died before /init ran"
	assert_output --partial "Kernel panic"
	refute_line --regexp '^ok 1 never runs( in [0-9]+ms)?$'
}

@test "a guest that hangs is killed at the timeout and fails" {
	guest_file hang.bats <<'EOF'
%test "hang" {
	sleep 1000
}
EOF
	run "$RUNNER" --kernel "$K" --timeout 25 "$dir/hang.bats" 3>&-
	printf '%s\n' "$output"
	assert_failure
	assert_line "not ok - guest reported a result ($K)"
	assert_output --partial "killed after 25s timeout"
}

@test "a failing bats test gives a non-zero exit" {
	guest_file fail.bats <<'EOF'
%test "passes" {
	true
}
%test "fails" {
	[ 1 -eq 2 ]
}
EOF
	vm "$dir/fail.bats"
	assert_failure
	assert_line --regexp '^ok 1 passes( in [0-9]+ms)?$'
	assert_line --regexp '^not ok 2 fails( in [0-9]+ms)?$'
	assert_line "not ok - guest status 0 ($K): got 1"
	assert_line "ok - kernel log clean ($K)"
}
