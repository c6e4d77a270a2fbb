// SPDX-License-Identifier: GPL-2.0
/*
 * Lazy purge, as __purge_vmap_area_lazy() in mm/vmalloc.c: freed areas are
 * unmapped at once but their VA waits on the lazy list; when the list holds
 * more than lazy_max_pages (or on demand, or when an allocation finds no
 * room), one TLB flush covers all of them and they are merged back into the
 * free tree. Invariant: no VA on the lazy list is handed out, so no CPU can
 * reach a new mapping through a stale TLB entry for an old one.
 */
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>

#include "kvalab.h"
#include "objcache.h"
#include "latency.h"
#include "breakdown.h"
#include "pgtable.h"
#include "purge.h"
#include "vapool.h"
#include "kvalab_trace.h"

/* Which neighbours an insertion merged with, from the counters it bumped. */
static int merge_kind(const struct kva_free_stats *before,
		      const struct kva_free_stats *after)
{
	if (after->merge_both != before->merge_both)
		return 3;
	if (after->merge_next != before->merge_next)
		return 2;
	if (after->merge_prev != before->merge_prev)
		return 1;
	return 0;
}

/* Merge every area of @list into the free tree; the objects freed go to @spares. */
static void merge_all(struct kvalab *kv, struct list_head *list,
		      struct list_head *spares)
{
	struct kva_area *va, *next;

	spin_lock(&kv->free_lock);
	list_for_each_entry_safe(va, next, list, list) {
		struct kva_free_stats before = kv->space.fstats;
		unsigned long offset = kva_offset(&kv->space, va->va_start);
		unsigned long size = kva_size(va);

		list_del(&va->list);
		kva_free_insert(&kv->space, va, spares);
		trace_kvalab_merge(offset, size,
				   merge_kind(&before, &kv->space.fstats));
	}
	spin_unlock(&kv->free_lock);
}

unsigned long kvalab_purge_state_held(struct kvalab *kv, unsigned long *pagesp,
				      bool all)
{
	struct kva_area *va, *next;
	unsigned long nr, pages = 0, start, end;
	LIST_HEAD(purge);
	LIST_HEAD(spares);
	u64 t, t_purge;

	lockdep_assert_held_read(&kv->state_sem);
	mutex_lock(&kv->purge_mutex);
	spin_lock(&kv->lazy_lock);
	nr = kva_lazy_take(&kv->space, &purge, &start, &end);
	spin_unlock(&kv->lazy_lock);
	if (!nr) {
		/* Nothing to flush; a full purge still empties the pool. */
		if (all) {
			kvalab_pool_purge(kv, &purge, &purge, true);
			merge_all(kv, &purge, &spares);
		}
		goto out;
	}

	t_purge = local_clock();
	t = kvalab_ph_start();
	/* The lazy list is in address order: one range covers it all. */
	kvalab_flush_tlb_range(start, end);
	kvalab_ph_end(KVALAB_PH_FLUSH, t);
	atomic_long_inc(&kv->cnt.tlb_flushes);

	list_for_each_entry(va, &purge, list)
		pages += kva_size(va) >> PAGE_SHIFT;
	t = kvalab_ph_start();
	/*
	 * Past the flush the pool may keep some (module/vapool.c); what it
	 * keeps leaves @purge, what it decays joins it.
	 */
	kvalab_pool_purge(kv, &purge, &purge, all);
	merge_all(kv, &purge, &spares);
	kvalab_ph_end(KVALAB_PH_MERGE, t);

	atomic_long_inc(&kv->cnt.purges);
	kvalab_purge_lat_record(kv, local_clock() - t_purge, nr, pages);
	trace_kvalab_purge(nr, pages, kva_offset(&kv->space, start),
			   kva_offset(&kv->space, end));
out:
	list_for_each_entry_safe(va, next, &spares, list)
		kvalab_va_free(kv, va);
	mutex_unlock(&kv->purge_mutex);
	if (pagesp)
		*pagesp = pages;
	return nr;
}

unsigned long kvalab_purge(struct kvalab *kv, unsigned long *pages)
{
	unsigned long nr;

	down_read(&kv->state_sem);
	nr = kvalab_purge_state_held(kv, pages, true);
	up_read(&kv->state_sem);
	return nr;
}
