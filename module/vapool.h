/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The va_pools lever (module/vapool.c): purged areas of up to 256 pages kept
 * whole in the core's VA pool, in front of the placement policy, so that an
 * allocation of exactly that size skips the search, the clip and free_lock.
 */
#ifndef _KVALAB_VAPOOL_H
#define _KVALAB_VAPOOL_H

#include <linux/types.h>

struct kvalab;
struct kva_area;
struct list_head;

/* Whether the lever is on (the va_pools parameter, fixed at load). */
bool kvalab_pools_on(void);

/*
 * A pooled area of exactly @vsize bytes for an allocation aligned to
 * @align, unlinked from the pool, or NULL (off, too big, aligned above a
 * page, or none of that size). Caller holds state_sem for read.
 */
struct kva_area *kvalab_pool_get(struct kvalab *kv, unsigned long vsize,
				 unsigned long align);

/*
 * Return @va, from kvalab_pool_get() and never mapped (its allocation
 * failed before), to the pool. Caller holds state_sem for read.
 */
void kvalab_pool_unget(struct kvalab *kv, struct kva_area *va);

/*
 * A purge's side, past its TLB flush. First the decay: a quarter of every
 * size class (all of it if @all) moves from the pool onto @to_free. Then
 * each area of @purged that may be pooled, while the pool stays within its
 * cap (lazy_max_pages), moves into the pool, unless @all; the rest stay on
 * @purged (which may be @to_free). Caller holds state_sem for read and
 * purge_mutex. Returns the number of areas pooled.
 */
unsigned long kvalab_pool_purge(struct kvalab *kv, struct list_head *purged,
				struct list_head *to_free, bool all);

#endif /* _KVALAB_VAPOOL_H */
