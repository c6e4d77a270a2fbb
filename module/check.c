// SPDX-License-Identifier: GPL-2.0
/*
 * The checker: the core's invariants on a quiescent slice, plus the module's
 * own: every busy area's record points back at it, ids map to live areas,
 * and pages_allocated - pages_freed equals the pages backing live areas.
 */
#include <linux/kernel.h>
#include <linux/mm.h>

#include "kvalab.h"

static int check_records(struct kvalab *kv, char *why, size_t len)
{
	unsigned long own_pages = 0, live, nr_ids = 0, nr_named = 0, index;
	struct kvalab_area *a;
	struct kva_area *va;

	list_for_each_entry(va, &kv->space.busy_list, list) {
		a = va->owner;
		if (!a || a->va != va) {
			snprintf(why, len, "busy area at +0x%lx has no record pointing back at it",
				 kva_offset(&kv->space, va->va_start));
			return -EUCLEAN;
		}
		if (((unsigned long)a->nr_pages << PAGE_SHIFT) +
		    ((a->flags & KVALAB_NOGUARD) ? 0 : PAGE_SIZE) !=
		    kva_size(va)) {
			snprintf(why, len, "area id %u: %u pages do not match its size %lu",
				 a->id, a->nr_pages, kva_size(va));
			return -EUCLEAN;
		}
		if (a->own_pages)
			own_pages += a->nr_pages;
		if (a->id && !test_bit(KVALAB_AREA_DYING, &a->state))
			nr_named++;
	}
	xa_for_each(&kv->ids, index, a) {
		nr_ids++;
		if (a->id != index || !a->va ||
		    kva_busy_find(&kv->space, a->va->va_start) != a->va) {
			snprintf(why, len, "id %lu does not name a busy area",
				 index);
			return -EUCLEAN;
		}
	}
	if (nr_ids != nr_named) {
		snprintf(why, len, "%lu ids but %lu live busy areas", nr_ids,
			 nr_named);
		return -EUCLEAN;
	}
	live = atomic_long_read(&kv->cnt.pages_allocated) -
	       atomic_long_read(&kv->cnt.pages_freed);
	if (live != own_pages) {
		snprintf(why, len, "pages allocated - freed = %lu, live areas hold %lu",
			 live, own_pages);
		return -EUCLEAN;
	}
	return 0;
}

int kvalab_check(struct kvalab *kv, char *why, size_t len)
{
	int err;

	why[0] = '\0';
	down_write(&kv->state_sem);
	spin_lock(&kv->busy_lock);
	spin_lock(&kv->lazy_lock);
	spin_lock(&kv->free_lock);
	spin_lock(&kv->pool_lock);
	err = kva_check(&kv->space, why, len);
	if (!err)
		err = check_records(kv, why, len);
	spin_unlock(&kv->pool_lock);
	spin_unlock(&kv->free_lock);
	spin_unlock(&kv->lazy_lock);
	spin_unlock(&kv->busy_lock);
	up_write(&kv->state_sem);
	return err;
}
