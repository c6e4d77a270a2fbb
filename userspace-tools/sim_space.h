/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sim's space (sim_space.c): a kva_space (module/core.c) with what the
 * module wraps around it for allocations, frees and purges (module/area.c,
 * purge.c, vapool.c), in userspace. Shared by the trace runs
 * (sim_engine.c) and whatif (sim_whatif.c); compiled, as they are, against
 * shim/ and the kernel's tools/include (userspace-tools/Makefile).
 *
 * Each function names the module function it mirrors; a change there is a
 * change here, and tests/vm/suites/sim.bats compares the two.
 */
#ifndef _KVALAB_SIM_SPACE_H
#define _KVALAB_SIM_SPACE_H

#include <stdbool.h>
#include <stdint.h>

#include <kvalab/core.h>

/* log2 buckets as module/latency.h's; the last takes all above. */
#define SIM_LAT_BUCKETS		48

struct sim_hist {
	unsigned long count[SIM_LAT_BUCKETS], n, max;
};

/* module/latency.c kvalab_lat_percentile(): nearest rank, bucket's top. */
unsigned long sim_hist_pct(const struct sim_hist *h, unsigned int per_10000);

struct sim_arena;

struct sim_space {
	struct kva_space s;
	struct sim_arena *arenas;
	unsigned int arena_used;	/* objects handed out of arenas */
	struct list_head spare;		/* freed objects, newest first */
	struct kva_area *preload;	/* the spare for a no-edge split */
	unsigned long lazy_max;		/* pages */
	bool pools;			/* the va_pools lever */
	/* Every purge that took lazy areas: its time, areas and pages. */
	struct sim_hist pns, pareas, ppages;
};

/*
 * [start, end) one free area under @policy and @search; 0, or -1 (no
 * memory, a range the core refuses).
 */
int sim_space_init(struct sim_space *sp, unsigned long start,
		   unsigned long end, int policy, int search,
		   unsigned long lazy_max, bool pools);
/* Every object back; the space is unusable after. */
void sim_space_destroy(struct sim_space *sp);

/* A zeroed area object (kmem_cache_zalloc), and back. */
struct kva_area *sim_va_new(struct sim_space *sp);
void sim_va_put(struct sim_space *sp, struct kva_area *va);

/*
 * A VA of @size bytes aligned to @align (area.c new_area() from the pool
 * lookup on, reserve_va()): the pool's when the lever is on, else the
 * policy's search, after one full purge and a retry on ENOMEM. The area
 * is busy when this returns 0; -ENOMEM or the core's errno otherwise.
 * With @retry false no purge is made (whatif's "as the layout is").
 */
int sim_space_alloc(struct sim_space *sp, unsigned long size,
		    unsigned long align, bool retry, struct kva_area **out);
/* area.c retire_va(): onto the lazy tree, a purge past the threshold. */
void sim_space_free(struct sim_space *sp, struct kva_area *va);
/* purge.c kvalab_purge_state_held() */
void sim_space_purge(struct sim_space *sp, bool all);

#endif
