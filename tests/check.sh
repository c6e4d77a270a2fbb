#!/usr/bin/env bash
# make check: every test kvalab has, each printing TAP; a summary line
# "N passed, N failed" at the end; non-zero exit on any failure.
#
# Stages: deps (make deps, with a before/after snapshot proving it leaves the
# host alone: tests/deps-snapshot.sh), native (allocator core, parser,
# fuzzers), CLI, static checks, runner self-test, VM suites on the supported
# range's ends in full (6.1 and 7.3), the middle (6.12) on the suites that
# touch what differs between kernels, the smoke suite on 7.2, the special-boot
# suites on 6.1 and 7.3 (lockdown, signature enforcement, kptr_restrict, the
# TLB check under PTI and without INVPCID on 7.3), DKMS, and the debug kernel
# (KASAN, lockdep, kmemleak...) when KVALAB_DEBUG is not 0, and the race
# kernel (KCSAN, lockdep, DEBUG_PAGEALLOC, page poisoning: the concurrency
# and stale-page suites of tests/vm/suites-race) when KVALAB_RACE is not 0.
# Two lanes, one per core: the foreground runs deps, native, cli, style, the
# Debian kernels' suites, the special boots and dkms; the background lane,
# started after deps, runs the debug kernel, then the race kernel, the 7.2
# smoke suite and the runner's self-test, and is printed at the end.
# KVALAB_CHECK_ONLY="deps native cli style selftest vm boot dkms race debug" picks
# stages; without deps, scripts/deps.sh still runs (no snapshot).
# KVALAB_CHECK_SERIAL=1 (or one CPU) runs everything in one lane, the debug
# kernel's stage last. KVALAB_DEBUG_PARAMS: the module parameters the debug kernel's suites load
# with (default: the levers on; empty: the defaults).
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOG_DIR=${KVALAB_CHECK_LOG:-$TOP/build/check}
ONLY=${KVALAB_CHECK_ONLY:-deps native cli style selftest vm boot dkms race debug}
mkdir -p "$LOG_DIR"

passed=0
failed=0
skipped=0
declare -a failures=()

want() { [[ " $ONLY " == *" $1 "* ]]; }

# count_tap NAME LOG: add the TAP results in LOG to the totals.
count_tap() {
	local name=$1 log=$2 p f s
	p=$(grep -cE '^ok( |$)' "$log" | tr -d ' ')
	s=$(grep -cE '^ok .*# (skip|SKIP)' "$log" | tr -d ' ')
	f=$(grep -cE '^not ok( |$)' "$log" | tr -d ' ')
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	if ((f)); then
		failures+=("$name: $(grep -E '^not ok' "$log" | head -5 | tr '\n' ';')")
	fi
	echo "== $name: $((p - s)) passed, $f failed, $s skipped"
}

# stage NAME CMD...: run CMD, print its output, count its TAP. A command that
# fails without printing any "not ok" line counts as one failure itself.
stage() {
	local name=$1 log="$LOG_DIR/$1.tap" start
	shift
	echo
	echo "######## $name: $*"
	start=$SECONDS
	"$@" 2>&1 | tee "$log"
	stage_end "$name" "${PIPESTATUS[0]}" "$start"
}

# stage_end NAME RC START [END]: a status without a "not ok" line is one
# failure; count the log's TAP and say how long the stage took (until END,
# default now).
stage_end() {
	local name=$1 rc=$2 start=$3 end=${4:-$SECONDS} log="$LOG_DIR/$1.tap"
	if ((rc != 0)) && ! grep -qE '^not ok' "$log"; then
		echo "not ok - $name exited with status $rc" | tee -a "$log"
	fi
	count_tap "$name" "$log"
	echo "== $name took $((end - start)) s"
}

# stage_bg NAME CMD...: start CMD in the background, its output to its log;
# stage_wait NAME prints the log and counts it as stage() does. For the debug
# kernel's stage, the longest, which then runs beside the Debian kernels'
# stages: each guest's tests are mostly one serial bash, so two guests on two
# cores take little longer than one.
declare -A bg_pid bg_start
stage_bg() {
	local name=$1 log="$LOG_DIR/$1.tap"
	shift
	echo
	echo "######## $name (in the background, printed at the end): ${bg_label:-$*}"
	bg_start[$name]=$SECONDS
	rm -f "$log.rc" "$log.end"
	# Its end time (in $SECONDS' terms) first, then its status: the stage
	# took until it ended, not until stage_wait printed it.
	("$@" >"$log" 2>&1; rc=$?; echo $(($(date +%s) - bg_epoch)) >"$log.end"; echo $rc >"$log.rc") &
	bg_pid[$name]=$!
}
stage_wait() {
	local name=$1 log="$LOG_DIR/$1.tap" start
	wait "${bg_pid[$name]}"
	echo
	echo "######## $name (ran in the background)"
	cat "$log"
	# A stage queued behind another (stage_bg_after) started when it wrote
	# its start; its waiting is not its time.
	start=${bg_start[$name]}
	[[ -s $log.start ]] && start=$(($(cat "$log.start") - bg_epoch))
	stage_end "$name" "$(cat "$log.rc" 2>/dev/null || echo 1)" "$start" \
		"$(cat "$log.end" 2>/dev/null || echo "$SECONDS")"
}
# stage_bg_after PREV NAME CMD...: NAME in the background once the
# background stage PREV has ended: a second stage in the same lane, so two
# guests still share the two cores.
bg_epoch=$(($(date +%s) - SECONDS))
# PREV's end is its status file (its process stays a zombie, and so
# alive to kill -0, until stage_wait reaps it).
stage_bg_after() {
	local after=$1 prev="$LOG_DIR/$1.tap.rc" name=$2 log="$LOG_DIR/$2.tap"
	shift 2
	rm -f "$log.start"
	# shellcheck disable=SC2016 # expanded by the inner bash
	bg_label="after $after: $*" stage_bg "$name" bash -c 'until [[ -e $1 ]]; do sleep 2; done
		date +%s >"$2"; shift 2; exec "$@"' _ "$prev" "$log.start" "$@"
}

# Nothing else can run without the packages: stop at a failed make deps.
if want deps; then
	stage deps "$TOP/tests/deps-snapshot.sh"
	grep -q '^ok 1 ' "$LOG_DIR/deps.tap" ||
		{ echo "make deps failed; stopping"; echo "$passed passed, $failed failed"; exit 1; }
else
	"$TOP/scripts/deps.sh" || { echo "not ok - make deps"; echo "0 passed, 1 failed"; exit 1; }
fi

make -s -C "$TOP" cli >/dev/null || { failures+=("cli build"); failed=$((failed + 1)); }

suites=("$TOP"/tests/vm/suites/*.bats)
# The debug kernel (KASAN, lockdep, kmemleak, fault injection) runs 5-15x
# slower under TCG, so it gets the suites that exercise the module's locking
# and memory: allocator, faults, fuzz, policies, replay, stress, trace,
# workloads, claim, scenario, tlb. The CLI's front end, the pictures and
# reports drawn from listings, the documents' examples (cli, insight, report,
# tutorial, readme, follow) and the sim's identity with the module (sim: the
# same arithmetic on every kernel, proven on four; the replay engine it drives
# is under the debug kernel's checkers in replay.bats) run on the Debian
# kernels only. The debug kernel's suites run with the levers
# of docs/performance.md on (page_alloc=bulk, tlb_flush=invlpg, the object
# magazines, the VA pools and the breakdown counters; vmap blocks are on by
# default) where a test does not set them itself; the Debian kernels run the
# defaults.
DEBUG_PARAMS=${KVALAB_DEBUG_PARAMS-page_alloc=bulk tlb_flush=invlpg obj_cache=Y breakdown=Y va_pools=Y}
debug_suites=()
for f in "${suites[@]}"; do
	case ${f##*/} in
	cli.bats | insight.bats | report.bats | tutorial.bats | readme.bats | follow.bats | sim.bats) ;;
	*) debug_suites+=("$f") ;;
	esac
done
# It starts here, right after make deps and the CLI's build, and runs beside
# the rest (native, cli and style run on the host's other core)
# unless KVALAB_CHECK_SERIAL=1 or the host has one CPU. It builds only in
# build/<release>-debug; the style stage's sparse builds use build/<release>.
debug_cmd=("$TOP/tests/vm/run" --kernel debug --timeout 3000
	--params "$DEBUG_PARAMS" "${debug_suites[@]}")
debug_bg=0
if want debug && [[ ${KVALAB_DEBUG:-1} != 0 ]]; then
	if [[ ${KVALAB_CHECK_SERIAL:-0} != 1 ]] && (($(nproc) > 1)); then
		stage_bg vm-debug "${debug_cmd[@]}"
		debug_bg=1
	fi
fi
# The race kernel (KCSAN, lockdep, DEBUG_PAGEALLOC, page poisoning;
# tests/vm/race.config), one boot with the levers on as on the debug kernel
# and with debug_pagealloc=on page_poison=1 (both files' headers): race.bats,
# every concurrent path at once (any KCSAN report fails it: tests/vm/run's
# "no KCSAN report" line), and stale-pages.bats, queued behind the debug
# kernel in the background lane.
race_cmd=("$TOP/tests/vm/run" --kernel race --timeout 1500
	--params "$DEBUG_PARAMS" "$TOP"/tests/vm/suites-race/*.bats)
race_bg=0 bg_last=vm-debug
if want race && [[ ${KVALAB_RACE:-1} != 0 ]] && ((debug_bg)); then
	stage_bg_after vm-debug vm-race "${race_cmd[@]}"
	race_bg=1 bg_last=vm-race
fi
# sid's 7.2 gets the smoke suite (build, load, the basics, the TLB check,
# the sim's identity on one trace), last in the background lane when there
# is one (no other stage builds in build/<7.2 release>), with the Debian
# kernels otherwise.
smoke_cmd=("$TOP/tests/vm/run" --kernel 7.2 --timeout 900 "$TOP/tests/vm/smoke.bats")
smoke_bg=0
if want vm && ((debug_bg)); then
	stage_bg_after "$bg_last" vm-7.2-smoke "${smoke_cmd[@]}"
	smoke_bg=1 bg_last=vm-7.2-smoke
fi
# The runner's self-test boots one kernel a few times; in the background
# lane it boots 7.2, after the smoke suite (so no two stages build for 7.2
# at once), which evens the two lanes.
selftest_bg=0
if want selftest && ((debug_bg)); then
	stage_bg_after "$bg_last" selftest env KVALAB_SELFTEST_KERNEL=7.2 \
		bats --tap "$TOP/tests/vm/selftest.bats"
	selftest_bg=1
fi
want native && stage native make -s -C "$TOP/tests/native" test
want cli && stage cli bats --tap "$TOP/tests/native/cli"
want style && stage style "$TOP/scripts/static-checks.sh"
want selftest && ((!selftest_bg)) && stage selftest bats --tap "$TOP/tests/vm/selftest.bats"

# Which suites run where (README.md, "Tests"): the oldest and the newest
# supported kernel (6.1, 7.3) run every suite; 6.12 in between runs the
# suites whose subject differs between kernels: the allocator's page tables
# and flush (allocator, tlb), the vmalloc backend and its cases (workloads),
# the tracepoints (trace), the traces replayed on it (replay), the sim's
# identity with its replay (sim, one trace of each kind), the
# README's table of it (readme) and the slice's one owner (claim: its
# writers race kthreads whose scheduling differs between kernels); the suites
# of the CLI, pictures, reports, documents, policies and fuzzing exercise the
# same code on every kernel and run on the two ends and the debug kernel.
mid_suites=()
for f in "${suites[@]}"; do
	case ${f##*/} in
	allocator.bats | tlb.bats | workloads.bats | trace.bats | replay.bats | sim.bats | follow.bats | readme.bats | claim.bats) mid_suites+=("$f") ;;
	esac
done
if want vm; then
	stage vm-6.1 "$TOP/tests/vm/run" --kernel 6.1 --timeout 1800 "${suites[@]}"
	stage vm-7.3 "$TOP/tests/vm/run" --kernel 7.3 --timeout 1800 "${suites[@]}"
	stage vm-6.12 "$TOP/tests/vm/run" --kernel 6.12 --timeout 1800 "${mid_suites[@]}"
	((smoke_bg)) || stage vm-7.2-smoke "${smoke_cmd[@]}"
fi
# One boot per file and kernel: each needs its own kernel command line
# (a "# kvalab-append:" header line, see tests/vm/run). A "# kvalab-kernels:"
# line among a file's first 10 names the kernels it is for (default: the
# range's ends, 6.1 and 7.3).
if want boot; then
	for k in 6.1 7.3; do
		for f in "$TOP"/tests/vm/suites-boot/*.bats; do
			b=${f##*/}
			only=$(head -n 10 "$f" | sed -n 's/^# kvalab-kernels: *//p')
			[[ -z $only || " $only " == *" $k "* ]] || continue
			stage "boot-${b%.bats}-$k" "$TOP/tests/vm/run" --kernel "$k" "$f"
		done
	done
fi
want dkms && stage dkms "$TOP/tests/dkms.sh"
# Without the background lane, the race kernel's boot comes here.
if ((!race_bg)) && want race && [[ ${KVALAB_RACE:-1} != 0 ]]; then
	stage vm-race "${race_cmd[@]}"
fi
if want debug && [[ ${KVALAB_DEBUG:-1} != 0 ]]; then
	if ((debug_bg)); then
		stage_wait vm-debug
		((race_bg)) && stage_wait vm-race
		((smoke_bg)) && stage_wait vm-7.2-smoke
		((selftest_bg)) && stage_wait selftest
	else
		stage vm-debug "${debug_cmd[@]}"
	fi
fi

echo
if ((${#failures[@]})); then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
fi
if ((skipped)); then
	echo "($skipped skipped)"
fi
echo "$passed passed, $failed failed"
((failed == 0 && ${#failures[@]} == 0))
