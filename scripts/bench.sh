#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: deterministic cost figures, one section at a time. Not part of
# `make check`: nothing here passes or fails on a figure, only on a run that
# breaks.
#
# Sections (BENCH_SECTIONS, space separated, default "native sim levers oracle"):
#   native  instructions per alloc+free pair for every placement policy at
#           1k, 10k, 100k and 1M live areas: tests/native/bench_policies
#           under callgrind, counting kva_alloc() + kva_free_insert() only,
#           in steady state (the fill and warm-up run uninstrumented).
#           Prints a table, writes build/bench/policies.json.
#   sim     kvalab sim's wall-clock speed (scripts/bench-sim.py): pairs/s per
#           policy at 1k, 100k and 1M live areas, a 1M-op trace under all
#           six policies, a 36-cell sweep with --jobs 1 and 2. Medians of
#           BENCH_SIM_REPEAT (5) runs; writes build/bench/sim/sim.json.
#   levers  the VM part: kvalab ÷ vmalloc in the same boot under each
#           performance lever (scripts/bench-levers.sh: both kernels,
#           init_on_alloc=1 and 0, configurations interleaved over rounds,
#           medians with min-max; docs/performance.md). Its knobs are that
#           script's (KERNELS, ZEROING, ROUNDS, LOOPS, THREADS, CONFIGS).
#   oracle  the real lib/test_vmalloc.ko beside kvalab's workloads, in one
#           boot of the perf kernel (tests/vm/perf-kernel.sh; docs/oracle.md):
#           per case and round, test_vmalloc once and kvalab's run (backends
#           vmalloc and kvalab) once, with the same parameters, their order
#           alternating round by round; prints per case the median over
#           rounds of test_vmalloc's Summary avg, kvalab's vmalloc-backend
#           avg, their ratio (and whether it is within 15%), then the
#           kvalab backend's avg and its ratio. The perf kernel's first
#           build takes 4-12 minutes on 2 cores; later runs hit its cache.
# A section is a function section_<name>; add one by defining it and naming
# it in BENCH_SECTIONS' default.
#
# Knobs (environment) for the oracle section:
#   ORACLE_MASK     test_vmalloc's run_test_mask (default 0x3ff: its whole 6.1
#                   table); kvalab also runs vm_map_ram_test (0x400), which
#                   6.1's test_vmalloc does not have
#   ORACLE_LOOPS    test_loop_count (default 1000)
#   ORACLE_REPEAT   test_repeat_count per round (default 5: one repeat of a
#                   short case is 10-60 ms, and under TCG on this machine
#                   one such measurement varies by 25-50% from run to run;
#                   the avg of 5 varies less)
#   ORACLE_ROUNDS   rounds (default 7)
#   ORACLE_THREADS  nr_threads (default 1: test_vmalloc prints one Summary
#                   line per thread; kvalab's avg is the mean over threads)
#   ORACLE_SMP      guest vCPUs (default 2; with 1, test_vmalloc's worker
#                   shares its CPU with RCU's and the purge's kthreads and
#                   the kvfree_rcu cases drift apart)
#   ORACLE_RCU_GAP  seconds before each run of the kvfree_rcu cases (default
#                   2: their 5,000 deferred vfree()s per run end first)
#   ORACLE_MEM      guest MB (default 2048: RAM and slice big enough that
#                   kvalab's lists are test_vmalloc's full 16384 and 15000)
#
# Knobs (environment) for the native section:
#   BENCH_SIZES       live areas per point (default "1000 10000 100000 1000000")
#   BENCH_POLICIES    policies (default: all, in table order)
#   BENCH_PAIRS       measured pairs per point (default 2000)
#   BENCH_SLOW_PAIRS  measured pairs for vmlist and cached-hole at 100k live
#                     and above, whose allocations walk a list of every
#                     occupied area (default 200)
#   BENCH_WARMUP      warm-up pairs before measuring (default: the live
#                     count, at most 20000; at most 2000 for vmlist and
#                     cached-hole)
#   BENCH_SEED        trace seed (default 1)
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$TOP/build/bench
BENCH_SECTIONS=${BENCH_SECTIONS:-native sim levers oracle}

msg() { printf 'bench: %s\n' "$*"; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

section_levers() {
	BENCH_OUT=$OUT/levers "$TOP/scripts/bench-levers.sh"
}

section_sim() {
	make -s -C "$TOP/userspace-tools" >/dev/null
	"$TOP/scripts/bench-sim.py"
}

section_native() {
	local sizes=${BENCH_SIZES:-1000 10000 100000 1000000}
	local policies=${BENCH_POLICIES:-lowest vmlist cached-hole next-fit best-fit instant-fit}
	local pairs=${BENCH_PAIRS:-2000} slow_pairs=${BENCH_SLOW_PAIRS:-200}
	local seed=${BENCH_SEED:-1}
	local bin=$TOP/tests/native/out/bench_policies
	local raw=$OUT/policies.raw policy n m w t0 cg line total

	command -v valgrind >/dev/null ||
		die "valgrind is not installed (apt-get install valgrind)"
	[[ -f /usr/include/valgrind/callgrind.h ]] ||
		die "valgrind/callgrind.h is missing (it comes with Debian's valgrind package)"
	make -s -C "$TOP/tests/native" bench
	mkdir -p "$OUT"
	: >"$raw"

	msg "native: callgrind $(valgrind --version | sed 's/^valgrind-//'), instructions in kva_alloc() + kva_free_insert() per pair"
	for n in $sizes; do
		for policy in $policies; do
			m=$pairs
			w=${BENCH_WARMUP:-$((n < 20000 ? n : 20000))}
			if [[ $policy == vmlist || $policy == cached-hole ]]; then
				((n >= 100000)) && m=$slow_pairs
				((w > 2000)) && w=2000
			fi
			cg=$OUT/callgrind.$policy.$n
			t0=$SECONDS
			line=$(valgrind --tool=callgrind --instr-atstart=no \
				--collect-atstart=no --toggle-collect=bench_alloc \
				--toggle-collect=bench_free --callgrind-out-file="$cg" \
				"$bin" -p "$policy" -n "$n" -m "$m" -w "$w" -s "$seed" \
				2>"$cg.log") || { cat "$cg.log" >&2; die "$policy at $n live failed"; }
			total=$(sed -n 's/^totals: //p' "$cg")
			[[ $total =~ ^[0-9]+$ ]] || die "no totals in $cg"
			printf '%s\t%s\t%s\n' "$total" "$((SECONDS - t0))" "$line" >>"$raw"
			msg "  $policy at $n live: $((total / m)) instructions/pair ($m pairs, $w warm-up, $((SECONDS - t0)) s)"
		done
	done

	python3 - "$raw" "$OUT/policies.json" <<'PY'
import json, sys

raw, out = sys.argv[1], sys.argv[2]
points = []
for row in open(raw):
    total, secs, line = row.rstrip('\n').split('\t', 2)
    p = json.loads(line)
    p['instructions'] = int(total)
    p['instructions_per_pair'] = round(int(total) / p['pairs'], 1)
    p['seconds'] = int(secs)
    points.append(p)

policies = list(dict.fromkeys(p['policy'] for p in points))
sizes = sorted({p['live'] for p in points})
at = {(p['policy'], p['live']): p for p in points}
growth = {}
for pol in policies:
    lo, hi = at.get((pol, sizes[0])), at.get((pol, sizes[-1]))
    if lo and hi and len(sizes) > 1:
        growth[pol] = round(hi['instructions_per_pair'] / lo['instructions_per_pair'], 2)

def label(n):
    return '%dM' % (n // 1000000) if n % 1000000 == 0 else \
           '%dk' % (n // 1000) if n % 1000 == 0 else str(n)

head = '%-12s' % 'policy' + ''.join('%12s' % label(n) for n in sizes)
if len(sizes) > 1:
    head += '%12s' % ('%s->%s' % (label(sizes[0]), label(sizes[-1])))
print()
print('instructions per alloc+free pair (kva_alloc + kva_free_insert), '
      'steady state, by live areas')
print(head)
capped = []
for pol in policies:
    row = '%-12s' % pol
    for n in sizes:
        p = at.get((pol, n))
        cell = '-' if not p else '%.0f' % p['instructions_per_pair']
        if p and p['pairs'] != points[0]['pairs']:
            cell += '*'
            capped.append('%s at %s: %d pairs' % (pol, label(n), p['pairs']))
        row += '%12s' % cell
    if pol in growth:
        row += '%11.2fx' % growth[pol]
    print(row)
if capped:
    print('* fewer measured pairs (O(n) per allocation): ' + '; '.join(capped))
print()
print('search_steps per pair (each policy\'s own unit, docs/policies.md)')
print('%-12s' % 'policy' + ''.join('%12s' % label(n) for n in sizes))
for pol in policies:
    print('%-12s' % pol + ''.join(
        '%12s' % ('-' if (pol, n) not in at else
                  '%.1f' % at[(pol, n)]['search_steps_per_pair']) for n in sizes))

json.dump({
    'unit': 'instructions per alloc+free pair: kva_alloc() + kva_free_insert(), '
            'callgrind --toggle-collect, steady state',
    'trace': 'bench_policies.c: sizes 80% 1-4 pages, 18% 5-64, 2% 65-1024; '
             'alignment 90% one page, 10% 2-16 pages; half the frees among '
             'the 32 newest areas, half uniform',
    'sizes': sizes,
    'policies': policies,
    'growth': growth,
    'points': points,
}, open(out, 'w'), indent=1)
print()
print('bench: wrote ' + out)
PY
}

section_oracle() {
	local mask=${ORACLE_MASK:-0x3ff} loops=${ORACLE_LOOPS:-1000}
	local repeat=${ORACLE_REPEAT:-5} rounds=${ORACLE_ROUNDS:-7}
	local threads=${ORACLE_THREADS:-1} mem=${ORACLE_MEM:-2048}
	local smp=${ORACLE_SMP:-2} rcu_gap=${ORACLE_RCU_GAP:-2}
	local dir=$OUT/oracle script

	((rounds >= 5)) || msg "oracle: warning: $rounds rounds; medians want 5 or more"
	rm -rf "$dir"
	mkdir -p "$dir"
	script=$dir/guest.sh
	# One case at a time, so the two alternate per case and drift falls on
	# both alike. test_vmalloc's init runs the tests and then fails with
	# EAGAIN on purpose (nothing stays loaded); its Summary lines are read
	# from the kernel log. kvalab's slice is big enough that its lists are
	# test_vmalloc's sizes (16384 pairs, 15000 areas: wl_size_lists()), and
	# its workers are left to the scheduler as test_vmalloc's are
	# (pin_workers=0), and they time no single call (op_latency=0: two
	# local_clock() reads per call would be in kvalab's avg and not in
	# test_vmalloc's). align_shift_alloc_test fails on purpose, and vmalloc
	# reports the failure through warn_alloc(), at most once per 10 s
	# kernel-wide: 11 s between the two runs of it let both pay for it.
	# Every run starts from an empty kernel lazy list ("purge vmalloc",
	# vm_unmap_aliases()): both sides vfree() into the kernel's one lazy
	# list, whose purge (at 16384 pages on 2 CPUs) otherwise falls into
	# whichever run crosses the threshold, a run's whole time or more on
	# the short cases. The kvfree_rcu cases leave their frees to RCU: the
	# gap before each of their runs (ORACLE_RCU_GAP) lets those end first.
	cat >"$script" <<GUEST
bits="\$(for b in 0 1 2 3 4 5 6 7 8 9; do ((($mask >> b) & 1)) && echo \$b; done)"
kvalab load slice_size=768M pin_workers=0 op_latency=0 >/dev/null || exit 1
kv() {
	kvalab purge vmalloc >/dev/null
	kvalab run --mask \$1 --loops $loops --repeat $repeat --threads $threads \\
		--backend vmalloc,kvalab --sequential --no-progress >/dev/null
	cat /sys/kernel/debug/kvalab/results >"\$KVALAB_RESULTS/kv-\$1-\$2.txt"
}
tv() {
	kvalab purge vmalloc >/dev/null
	dmesg -c >/dev/null
	insmod "\$KVALAB_TEST_VMALLOC" run_test_mask=\$1 test_repeat_count=$repeat \\
		test_loop_count=$loops nr_threads=$threads sequential_test_order=1 \\
		2>/dev/null
	dmesg | grep 'Summary: ' >"\$KVALAB_RESULTS/tv-\$1-\$2.txt"
}
for r in \$(seq 1 $rounds); do
	for b in \$bits; do
		m=\$((1 << b))
		gap=0
		((b == 6)) && gap=11
		((b >= 8)) && gap=$rcu_gap
		if ((r % 2)); then
			tv \$m \$r; sleep \$gap; kv \$m \$r
		else
			kv \$m \$r; sleep \$gap; tv \$m \$r
		fi
		sleep \$gap
	done
	kv 1024 \$r
	echo "oracle: round \$r done" >/dev/ttyS0
done
kvalab check >/dev/null
kvalab unload >/dev/null
GUEST
	msg "oracle: perf kernel, test_vmalloc mask $mask + vm_map_ram, $loops loops x $repeat repeat, $rounds rounds, $threads thread(s), ${mem} MB"
	# loglevel=3: align_shift_alloc_test fails on purpose and both sides
	# print vmalloc's warn_alloc() report; on the serial console that would
	# time the console, not the allocator. The kernel log keeps it (dmesg).
	if ! "$TOP/tests/vm/run" --kernel perf --script "$script" --results "$dir" \
		--mem "$mem" --smp "$smp" --timeout 5400 --append loglevel=3 \
		>"$dir/vm.tap" 2>"$dir/vm.log"; then
		msg "oracle: the boot reported failures (see $dir/vm.tap):"
		grep '^not ok' "$dir/vm.tap" >&2 || true
	fi
	ls "$dir"/tv-*.txt >/dev/null 2>&1 || die "oracle: no results from the guest (see $dir/vm.log)"
	"$TOP/scripts/bench-oracle-table.py" "$dir"
}

for s in $BENCH_SECTIONS; do
	declare -F "section_$s" >/dev/null || die "unknown section '$s'"
	"section_$s"
done
