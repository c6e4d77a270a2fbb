// SPDX-License-Identifier: GPL-2.0
/*
 * The va_pools lever: 6.9's per-node pools of pre-split free VA
 * (mm/vmalloc.c's node_alloc() and decay_va_pool_node()) over kvalab's
 * slice. Off (the default), a purge merges every flushed area back into the
 * free tree and every allocation asks the placement policy. On, a purge
 * keeps each flushed area of at most KVA_POOL_MAX_PAGES pages (guard
 * included) whole in the core's pool, by size, and an allocation of exactly
 * that size aligned to a page takes the newest one: no search, no clip, no
 * free_lock, under whichever policy is active (the pool sits in front of
 * find(), as node_alloc() sits in front of the tree search).
 *
 * Decay, as 6.9's: every purge first returns the oldest quarter of each
 * size class to the free tree, where it merges; an explicit purge, the
 * retry of an allocation that found no room and unload return all of it,
 * so a pooled area never makes an allocation fail that would succeed
 * without the pool. A policy switch keeps the pool (the occupied-list
 * policies rebuild their list with the pooled areas on it). The pool holds at most lazy_max_pages
 * pages (an eighth of the slice by default), so it cannot hoard the slice.
 *
 * One pool under pool_lock, not one per CPU: the pool's address tree is
 * what lets the checker prove busy + free + lazy + pooled tile the slice,
 * and one tree needs one lock. With 6.9's pools the node is chosen by CPU
 * for allocation and by address for the free; here both CPUs share it.
 *
 * Invariants: a pooled area is past the TLB flush of the purge that pooled
 * it (it only enters from kvalab_pool_purge(), after the flush), so handing
 * it out is as safe as a free-tree clip; to the policies it stays occupied
 * (on the occupied list of vmlist and cached-hole), to the figures it is
 * not free.
 */
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/spinlock.h>

#include "kvalab.h"
#include "vapool.h"

static bool va_pools;
module_param(va_pools, bool, 0444);
MODULE_PARM_DESC(va_pools,
		 "Keep purged areas of up to 256 pages whole, by size, for allocations of that size (default N)");

bool kvalab_pools_on(void)
{
	return va_pools;
}

struct kva_area *kvalab_pool_get(struct kvalab *kv, unsigned long vsize,
				 unsigned long align)
{
	struct kva_area *va;

	if (!va_pools || align != PAGE_SIZE || !kva_pool_fits(vsize))
		return NULL;
	lockdep_assert_held_read(&kv->state_sem);
	spin_lock(&kv->pool_lock);
	va = kva_pool_get(&kv->space, vsize);
	spin_unlock(&kv->pool_lock);
	return va;
}

void kvalab_pool_unget(struct kvalab *kv, struct kva_area *va)
{
	lockdep_assert_held_read(&kv->state_sem);
	INIT_LIST_HEAD(&va->list);
	spin_lock(&kv->pool_lock);
	kva_pool_insert(&kv->space, va);
	spin_unlock(&kv->pool_lock);
}

unsigned long kvalab_pool_purge(struct kvalab *kv, struct list_head *purged,
				struct list_head *to_free, bool all)
{
	unsigned long cap = READ_ONCE(kv->lazy_max_pages) << PAGE_SHIFT;
	struct kva_area *va, *next;
	unsigned long pooled = 0;
	LIST_HEAD(decayed);

	if (!va_pools)
		return 0;
	lockdep_assert_held_read(&kv->state_sem);
	lockdep_assert_held(&kv->purge_mutex);
	spin_lock(&kv->pool_lock);
	/* Decayed areas wait aside: @to_free may be @purged itself. */
	kva_pool_take(&kv->space, &decayed, all);
	if (!all) {
		list_for_each_entry_safe(va, next, purged, list) {
			if (!kva_pool_fits(kva_size(va)) ||
			    kv->space.pooled_bytes + kva_size(va) > cap)
				continue;
			list_del_init(&va->list);
			kva_pool_insert(&kv->space, va);
			pooled++;
		}
	}
	spin_unlock(&kv->pool_lock);
	list_splice_tail(&decayed, to_free);
	return pooled;
}
