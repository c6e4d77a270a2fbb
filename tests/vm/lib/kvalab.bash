# kvalab helper library for bats files run in the test VM (tests/vm/run).
# Installed in the guest as /usr/lib/bats/kvalab/, so a test file does:
#
#   bats_require_minimum_version 1.5.0
#   bats_load_library kvalab
#
# The guest init exports KVALAB_KO (the module), KVALAB_KERNEL (6.1, 6.12, 7.2,
# 7.3, debug, perf or custom) and KVALAB_RESULTS (a directory copied back to the
# host by --results).
# Generic helpers here; the allocator's (control file, stats, waits) are in
# allocator.bash beside it, sourced at the end of this file.
#
# Background children of a test must not inherit fd 3 (bats waits for it to close):
# start them as `cmd 3>&- &`.

bats_load_library bats-support
bats_load_library bats-assert

# lean_trace: the first call of every suite's setup(). bats 1.8 runs its
# DEBUG trap, bats_debug_trap (a call-stack capture, some 40 commands of
# bash), before every simple command, and its functrace (-T) puts it in
# every function, command substitution and subshell too, helpers and bats'
# own code included. Under TCG that was half of a suite's time
# (allocator.bats on 6.1, alone on the host: 85 s with it, 44 s without).
# This turns functrace off and replaces the trap with one assignment that
# records only the test file's own lines: a failure still names the line of
# the test (or of setup) that failed and its source, as bats prints it; one
# inside a helper names the test line that called it (the helper says what
# failed itself). Line 1 is what bash reports in the traps of a failing
# command's exit, not a line of the test, so it is not recorded. A failure
# in teardown names the test's last line.
lean_trace() {
	set +T
	# One line: $LINENO in a trap counts the trap string's own newlines.
	# shellcheck disable=SC2016 # expanded when the trap runs
	trap '[[ $LINENO == 1 || ${BASH_SOURCE[0]} != "$BATS_TEST_SOURCE" ]] || BATS_DEBUG_LAST_STACK_TRACE=("$LINENO ${FUNCNAME[0]} $BATS_TEST_SOURCE") BATS_DEBUG_LASTLAST_STACK_TRACE=("$LINENO ${FUNCNAME[0]} $BATS_TEST_SOURCE")' DEBUG
}

: "${KVALAB_KO:=/kvalab/kvalab.ko}"
: "${KVALAB_RESULTS:=/results}"
KVALAB_MODNAME=kvalab

# True while the module is loaded.
kvalab_loaded() {
	[[ -d /sys/module/$KVALAB_MODNAME ]]
}

# kvalab_load [PARAM=VALUE...]: insmod $KVALAB_KO with module parameters,
# after those of $KVALAB_PARAMS (tests/vm/run --params): the kernel takes the
# last value of a parameter given twice, so the test's own win.
# Fails (with the insmod error and the kernel's complaint) if it does not load.
kvalab_load() {
	local mark out
	mark=$(kmsg_mark)
	# shellcheck disable=SC2086 # a list of words
	if ! out=$(insmod "$KVALAB_KO" ${KVALAB_PARAMS:-} "$@" 2>&1); then
		echo "kvalab_load: insmod $KVALAB_KO ${KVALAB_PARAMS:+$KVALAB_PARAMS }$*: $out" >&2
		dmesg_since_mark "$mark" >&2
		return 1
	fi
	kvalab_loaded
}

# scaled FULL DEBUG: FULL, or DEBUG on the debug kernel, whose KASAN, kmemleak
# and lockdep make every command 5-15x slower: a test's volume there, so
# make check keeps to its time.
scaled() {
	if [[ ${KVALAB_KERNEL:-} == debug ]]; then echo "$2"; else echo "$1"; fi
}

# kvalab_unload: remove the module if loaded (a no-op otherwise), so it is safe in
# teardown. Fails if rmmod fails, e.g. while a debugfs file is still open.
kvalab_unload() {
	kvalab_loaded || return 0
	rmmod "$KVALAB_MODNAME"
}

# kmsg_mark: write a unique marker line to the kernel log and print the marker.
kmsg_mark() {
	local mark
	mark="kvalab-mark-$$-${RANDOM}${RANDOM}-$(cut -d' ' -f1 /proc/uptime)"
	echo "<6>$mark" >/dev/kmsg
	echo "$mark"
}

# dmesg_since_mark MARK: print the kernel log lines after the marker line.
dmesg_since_mark() {
	local mark=${1:?dmesg_since_mark: marker required}
	dmesg | awk -v m="$mark" 'found { print } index($0, m) { found = 1 }'
}

# not_loaded: the module is not loaded. (A bare `! kvalab_loaded` in a test
# cannot fail it: set -e ignores negated commands.)
not_loaded() {
	! kvalab_loaded
}

# Allocator helpers (control file, stats, waits, free memory): the file
# beside this one.
# shellcheck source=allocator.bash
source "${BASH_SOURCE[0]%/*}/allocator.bash"
# The TLB check's assertions.
# shellcheck source=tlb.bash
source "${BASH_SOURCE[0]%/*}/tlb.bash"
# The README's main-job tables.
# shellcheck source=maintable.bash
source "${BASH_SOURCE[0]%/*}/maintable.bash"

# shellcheck source=sim.bash
source "${BASH_SOURCE[0]%/*}/sim.bash"
