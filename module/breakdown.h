/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-phase time counters (docs/performance.md): while the `breakdown`
 * parameter is on, each phase of <kvalab/phases.h> adds its local_clock()
 * duration and one call to this CPU's counters; the `breakdown` debugfs file
 * sums the CPUs. Off (the default), each phase boundary is one static-key
 * NOP, so the counters cost nothing measurable; on, two clock reads and two
 * per-CPU adds per phase.
 */
#ifndef _KVALAB_BREAKDOWN_H
#define _KVALAB_BREAKDOWN_H

#include <linux/jump_label.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>

#include <kvalab/phases.h>

struct kvalab_phase_stats {
	u64 ns[KVALAB_NR_PHASES];
	u64 calls[KVALAB_NR_PHASES];
};

DECLARE_STATIC_KEY_FALSE(kvalab_breakdown_on);
DECLARE_PER_CPU(struct kvalab_phase_stats, kvalab_phase_stats);

#ifndef KVALAB_NO_BREAKDOWN
/* A phase's start: the clock when counting, else 0 (never read). */
static __always_inline u64 kvalab_ph_start(void)
{
	return static_branch_unlikely(&kvalab_breakdown_on) ? local_clock() : 0;
}

static __always_inline void kvalab_ph_end(enum kvalab_phase ph, u64 t0)
{
	if (static_branch_unlikely(&kvalab_breakdown_on)) {
		this_cpu_add(kvalab_phase_stats.ns[ph], local_clock() - t0);
		this_cpu_inc(kvalab_phase_stats.calls[ph]);
	}
}
#else
/*
 * A measurement build (make module KCFLAGS=-DKVALAB_NO_BREAKDOWN, made by
 * scripts/bench-levers.sh's VARIANTS): the phase boundaries compile to
 * nothing, so that the off cost of the NOPs above can be measured against
 * it. breakdown=Y then counts nothing.
 */
static __always_inline u64 kvalab_ph_start(void)
{
	return 0;
}

static __always_inline void kvalab_ph_end(enum kvalab_phase ph, u64 t0)
{
}
#endif

/* The counters summed over CPUs, into @out. */
void kvalab_breakdown_read(struct kvalab_phase_stats *out);

/*
 * This CPU's counters into @out, for a caller bound to its CPU (a workload
 * worker snapshots them around its measured loop).
 */
void kvalab_breakdown_read_local(struct kvalab_phase_stats *out);

static inline bool kvalab_breakdown_enabled(void)
{
	return static_key_enabled(&kvalab_breakdown_on);
}

#endif /* _KVALAB_BREAKDOWN_H */
