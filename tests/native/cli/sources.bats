#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
#
# The lists of kernel sources that the build, DKMS and the style checks each
# keep, held against what git has: every kernel source (module/, its
# workload package module/workloads/, debugfs/, include/kvalab/) must be in
# the sources `make module` links and `make dkms-install` copies (the
# Makefile's KSRC, `make print-ksrc`) and in checkpatch's list
# (`scripts/static-checks.sh --list`), and Kbuild must name an object for
# every module/ and debugfs/ .c file. A file left out of one would build
# here and fail only in DKMS, or never be style-checked.
#
# Run: bats --tap tests/native/cli

bats_require_minimum_version 1.5.0
export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
bats_load_library bats-support
bats_load_library bats-assert

TOP=$(cd "$BATS_TEST_DIRNAME/../../.." && pwd)

# The kernel sources git has: tracked, or new and not ignored (so a file
# not yet added is held to the lists too), that are in the working tree
# (a file deleted or moved but not yet committed is not a source).
git_sources() {
	local f
	git -C "$TOP" ls-files --cached --others --exclude-standard -- \
		'module/*.[ch]' 'module/**/*.[ch]' 'debugfs/*.[ch]' \
		'include/kvalab/*.h' | sort -u |
		while read -r f; do
			[[ -e $TOP/$f ]] && echo "$f"
		done
}

# missing WANT HAVE: the lines of file WANT that are not lines of file HAVE
# (nothing when every one is there).
missing() {
	grep -vxF -f "$2" "$1" || true
}

setup() {
	git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1 ||
		skip "not a git checkout: no list of the sources to hold the others to"
	cd "$BATS_TEST_TMPDIR" || return
	git_sources >want
	# At least the core, a policy, a workload part, the parser, a header.
	for f in module/core.c module/policy_lowest.c module/workloads/wl_run.c \
		debugfs/parse.c include/kvalab/workloads.h; do
		grep -qxF "$f" want
	done
}

@test "DKMS's sources (make print-ksrc: what module links and dkms-install copies) hold every kernel source" {
	run -0 make -s -C "$TOP" print-ksrc
	printf '%s\n' "$output" >have
	assert_line Kbuild
	assert_line dkms.conf
	run -0 missing want have
	assert_output ''
}

@test "checkpatch's list (static-checks.sh --list) holds every kernel source, and only sources" {
	run -0 bash "$TOP/scripts/static-checks.sh" --list
	printf '%s\n' "$output" >have
	run -0 missing want have
	assert_output ''
	run -0 missing have want
	assert_output ''
}

@test "Kbuild names an object for every module/ and debugfs/ .c file, and a .c file for every object" {
	grep -E '^(module|debugfs)/.*\.c$' want | sed 's/\.c$/.o/' | sort >sources
	grep -E '^kvalab-y' "$TOP/Kbuild" | grep -oE '[A-Za-z0-9_/]+\.o' | sort >objects
	[[ -s objects ]]
	run -0 missing sources objects
	assert_output ''
	run -0 missing objects sources
	assert_output ''
}

@test "a source missing from a list is named (the check itself)" {
	grep -v '^module/workloads/wl_stats.c$' want >have
	run -0 missing want have
	assert_output module/workloads/wl_stats.c
	echo module/workloads/wl_new_part.c >>want
	run -0 missing want have
	assert_line module/workloads/wl_new_part.c
}
