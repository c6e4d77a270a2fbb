#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench, section sim: how fast `kvalab sim` is (docs/performance.md,
"The sim"). Wall-clock figures on this machine, medians of REPEAT runs:

1. pairs/s per policy at 1k, 10k, 100k and 1M live areas, one core (vmlist
   and cached-hole to 10k only: their every allocation walks the list of
   occupied areas, so a fill of N areas costs N^2/2 steps: over an hour at
   1M in one run, where the others take a second): two traces
   per point, a fill of N allocations (sizes 1-4 pages, seeded) and the same
   fill followed by P pairs (free a random live area, allocate a new one);
   the pairs' time is the difference of the two runs' ns= (the sim's own
   replay time, parsing and sampling excluded), so pairs/s = P / that.
2. a 1M-operation trace (the steady-state mix at 1k live areas, about what
   /proc/vmallocinfo holds on a running system) under all six policies in
   one `kvalab sim --policy all`: wall time of the command, parsing
   included. The same at 10k live, for scale (vmlist's list walk dominates).
3. a sweep's speed-up from --jobs 1 to --jobs 2: the wall time of
   `--sweep policy=all lazy_max=32,512,4096 search=exact,padded` (36 cells)
   on the 1k-live 1M-operation trace, both ways.

Goals (issue "the lab without a kernel"): lowest at 100k live >= 2,000,000
pairs/s; the 1M-op trace under six policies <= 10 s; speed-up >= 1.8.
Knobs: BENCH_SIM_REPEAT (default 5), BENCH_SIM_PAIRS (200000; 20000 for
vmlist and cached-hole), BENCH_SIM_SEED (1). Writes
build/bench/sim/sim.json.
"""
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KVALAB = os.path.join(TOP, 'userspace-tools', 'kvalab')
OUT = os.path.join(TOP, 'build', 'bench', 'sim')
REPEAT = int(os.environ.get('BENCH_SIM_REPEAT', '5'))
PAIRS = int(os.environ.get('BENCH_SIM_PAIRS', '200000'))
SEED = int(os.environ.get('BENCH_SIM_SEED', '1'))
POLICIES = ['lowest', 'vmlist', 'cached-hole', 'next-fit', 'best-fit',
            'instant-fit']
SLOW = {'vmlist', 'cached-hole'}
SIZES = (1000, 10000, 100000, 1000000)
SLOW_MAX = 10000
PAGE = 4096


def write_trace(path, live, pairs, seed):
    """N live areas, then PAIRS free+alloc pairs; returns the op count."""
    rng = random.Random(seed)
    sizes = [rng.randint(1, 4) for _ in range(live + pairs)]
    slice_pages = sum(sizes) + len(sizes) + 1024
    slice_size = 1 << max(24, (slice_pages * PAGE - 1).bit_length())
    ids = list(range(live))
    lines = ['kvalab-trace 1 slice_size=%d page_size=4096 source=bench' %
             slice_size]
    lines += ['a %d %d' % (i, sizes[i] * PAGE) for i in range(live)]
    nxt = live
    for _ in range(pairs):
        k = rng.randrange(len(ids))
        lines.append('f %d' % ids[k])
        lines.append('a %d %d' % (nxt, sizes[nxt] * PAGE))
        ids[k] = nxt
        nxt += 1
    with open(path, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return live + 2 * pairs


def sim_ns(trace, policy):
    out = subprocess.run([KVALAB, 'sim', trace, '--policy', policy,
                          '--samples', '1', '--listing', '-'],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r'^result .* ns=(\d+) ', out, re.M)
    return int(m.group(1))


def wall(cmd):
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t0


def main():
    os.makedirs(OUT, exist_ok=True)
    res = {'repeat': REPEAT, 'seed': SEED, 'pairs': {}, 'host': os.uname().nodename}
    print('sim: pairs/s (free + alloc) per policy, one core, median of %d runs'
          % REPEAT, flush=True)
    table = {p: {} for p in POLICIES}
    for live in SIZES:
        for p in POLICIES:
            if p in SLOW and live > SLOW_MAX:
                continue
            pairs = PAIRS if p not in SLOW else min(PAIRS, 20000)
            fill = os.path.join(OUT, 'fill-%d.trace' % live)
            both = os.path.join(OUT, 'pairs-%d-%d.trace' % (live, pairs))
            if not os.path.exists(fill):
                write_trace(fill, live, 0, SEED)
            if not os.path.exists(both):
                write_trace(both, live, pairs, SEED)
            runs = []
            for _ in range(REPEAT):
                d = sim_ns(both, p) - sim_ns(fill, p)
                runs.append(pairs / (d / 1e9) if d > 0 else float('inf'))
            table[p][live] = statistics.median(runs)
    print('%-12s %14s %14s %14s %14s' % ('policy', '1k live', '10k live',
                                          '100k live', '1M live'))
    for p in POLICIES:
        print('%-12s' % p + ''.join(' %14.0f' % table[p][n] if n in table[p]
                                    else ' %14s' % '-' for n in SIZES))
    sys.stdout.flush()
    res['pairs'] = table
    for live in (1000, 10000):
        big = os.path.join(OUT, 'mix-1m-%d.trace' % live)
        if not os.path.exists(big):
            write_trace(big, live, (1000000 - live) // 2, SEED)
        n = REPEAT if live == 1000 else 1
        t6 = statistics.median(wall([KVALAB, 'sim', big, '--policy', 'all',
                                     '--samples', '100']) for _ in range(n))
        print('sim: a 1,000,000-op trace (%dk live, then pairs) under all six '
              'policies: %.2f s wall (%s%s)' % (live // 1000, t6,
              'median of %d' % n if n > 1 else 'one run',
              '; goal <= 10 s' if live == 1000 else ''), flush=True)
        res['six_policies_1m_ops_%dk_live_s' % (live // 1000)] = t6
    big = os.path.join(OUT, 'mix-1m-1000.trace')
    sweep = [KVALAB, 'sim', big, '--sweep', 'policy=all',
             'lazy_max=32,512,4096', 'search=exact,padded', '--samples', '10']
    j1 = statistics.median(wall(sweep + ['--jobs', '1']) for _ in range(REPEAT))
    j2 = statistics.median(wall(sweep + ['--jobs', '2']) for _ in range(REPEAT))
    print('sim: sweep of 36 cells on it: %.2f s with --jobs 1, %.2f s with '
          '--jobs 2: speed-up %.2f (goal >= 1.8; %d CPUs)'
          % (j1, j2, j1 / j2, os.cpu_count()))
    res.update({'sweep_jobs1_s': j1, 'sweep_jobs2_s': j2,
                'sweep_speedup': j1 / j2})
    with open(os.path.join(OUT, 'sim.json'), 'w') as f:
        json.dump(res, f, indent=1)
    print('sim: figures in %s' % os.path.join(OUT, 'sim.json'))


if __name__ == '__main__':
    sys.exit(main())
