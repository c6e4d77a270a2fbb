/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The search state that cached-hole, next-fit and instant-fit keep in the
 * space's pstate (KVA_PSTATE()). Each policy file is the only code that
 * changes its state; the types are here so that the native tests can read
 * a cache or a rotor and corrupt an index for the checker to find, against
 * the one definition the module builds.
 */
#ifndef _KVALAB_POLICY_STATE_H
#define _KVALAB_POLICY_STATE_H

#include <linux/bits.h>

#include <kvalab/policy.h>

/* cached-hole (policy_cached_hole.c): 5.1's free_vmap_cache. */
struct cached_hole_state {
	struct kva_occupied occ;
	struct kva_area *cache;		/* free_vmap_cache, or NULL */
	unsigned long cached_hole_size;
	unsigned long cached_vstart;
	unsigned long cached_align;
	struct list_head *pos;		/* insert the new area before this */
};

/* next-fit (policy_next_fit.c): vmem's rotor. */
struct next_fit_state {
	unsigned long rotor;		/* end of the last allocation; 0: start */
};

/*
 * instant-fit (policy_instant_fit.c): class k lists the free areas of
 * [2^k, 2^(k+1)) pages.
 */
#define KVA_IF_CLASSES	BITS_PER_LONG

struct instant_fit_state {
	unsigned long map;		/* bit k: lists[k] is not empty */
	struct list_head lists[KVA_IF_CLASSES];
};

#endif /* _KVALAB_POLICY_STATE_H */
