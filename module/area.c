// SPDX-License-Identifier: GPL-2.0
/*
 * Busy areas: allocation (VA from the core, order-0 pages, mapping), lookup
 * by id or address, reference counting and freeing into the lazy list.
 * The locking rules are stated above struct kvalab in kvalab.h.
 */

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "kvalab.h"
#include "objcache.h"
#include "breakdown.h"
#include "pgtable.h"
#include "purge.h"
#include "vapool.h"
#include "record.h"
#include "kvalab_trace.h"

/*
 * How backing pages are allocated: one alloc_page() each (the card's
 * picture, and the default), or the exported bulk allocator as vmalloc
 * does (module/compat.h), topped up page by page when it returns short.
 * Read once per allocation; changing it affects later allocations only.
 */
enum { PAGE_ALLOC_SINGLE, PAGE_ALLOC_BULK };
static int page_alloc_mode = PAGE_ALLOC_SINGLE;
static const char *const page_alloc_names[] = { "single", "bulk" };

static int page_alloc_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(page_alloc_names, val);

	if (i < 0) {
		pr_err("page_alloc='%s': expected single or bulk\n", val);
		return -EINVAL;
	}
	WRITE_ONCE(page_alloc_mode, i);
	return 0;
}

static int page_alloc_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  page_alloc_names[READ_ONCE(page_alloc_mode)]);
}

static const struct kernel_param_ops page_alloc_ops = {
	.set = page_alloc_set,
	.get = page_alloc_get,
};
module_param_cb(page_alloc, &page_alloc_ops, NULL, 0644);
MODULE_PARM_DESC(page_alloc,
		 "How backing pages are allocated: single (alloc_page() each; default) or bulk");

static void free_backing(struct kvalab *kv, struct kvalab_area *a)
{
	unsigned int i, freed = 0;

	if (a->own_pages && a->pages) {
		for (i = 0; i < a->nr_pages; i++) {
			if (a->pages[i]) {
				__free_page(a->pages[i]);
				freed++;
			}
		}
		atomic_long_add(freed, &kv->cnt.pages_freed);
	}
	/* A one-page area keeps its page pointer inline (see alloc_backing). */
	if (a->own_pages && a->pages != &a->page1)
		kvfree(a->pages);
	a->pages = NULL;
}

unsigned int kvalab_pages_fill(struct page **pages, unsigned int nr)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	unsigned int i = 0;

	if (READ_ONCE(page_alloc_mode) == PAGE_ALLOC_BULK && nr > 1)
		i = kvalab_alloc_pages_bulk(gfp, nr, pages);
	for (; i < nr; i++) {
		pages[i] = alloc_page(gfp);
		if (!pages[i])
			break;
	}
	return i;
}

static int alloc_backing(struct kvalab *kv, struct kvalab_area *a)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	unsigned int i, nr = a->nr_pages;
	int err = 0;

	/* No array allocation for the commonest request, one page. */
	if (nr == 1)
		a->pages = &a->page1;
	else
		a->pages = kvcalloc(nr, sizeof(*a->pages), gfp);
	if (!a->pages)
		return -ENOMEM;
	i = kvalab_pages_fill(a->pages, nr);
	if (i < nr)
		err = -ENOMEM;	/* the caller frees what exists */
	/* One shared-counter update per area, not per page. */
	atomic_long_add(i, &kv->cnt.pages_allocated);
	return err;
}

/*
 * Clip a VA of @vsize bytes out of the free tree. When nothing fits, purge
 * once and retry, as alloc_vmap_area() does: also when the lazy list and the
 * pool look empty, because another task's purge may hold their areas right
 * now, taken off the lazy list and not yet merged back; the purge waits for
 * it on purge_mutex (and with nothing left to flush returns at once). A
 * check of nr_lazy alone failed random_size_align_alloc_test with 2 threads
 * (enomem=1 with 119M free after the case, 6.1, 2026-12-06). The caller
 * holds state_sem for read.
 */
static int reserve_va(struct kvalab *kv, struct kva_area *va,
		      unsigned long vsize, unsigned long align,
		      struct kva_area **preload, enum kva_fit_type *fit)
{
	struct kva_area *spare, *next;
	bool purged = false;
	LIST_HEAD(unused);
	int err;

	lockdep_assert_held_read(&kv->state_sem);
	for (;;) {
		spin_lock(&kv->free_lock);
		err = kva_alloc(&kv->space, va, vsize, align, preload, &unused,
				fit);
		spin_unlock(&kv->free_lock);
		if (err != -ENOMEM || purged)
			break;
		/* All of it: the pool too (module/vapool.c). */
		kvalab_purge_state_held(kv, NULL, true);
		purged = true;
	}
	list_for_each_entry_safe(spare, next, &unused, list)
		kvalab_va_free(kv, spare);
	return err;
}

/*
 * Put a VA that may have had PTEs on the lazy list so that the next purge
 * flushes the TLB before the VA is handed out again. Caller holds
 * state_sem for read.
 */
static void retire_va(struct kvalab *kv, struct kva_area *va)
{
	bool over;

	u64 t = kvalab_ph_start();

	lockdep_assert_held_read(&kv->state_sem);
	va->owner = NULL;
	/*
	 * Once on the lazy list @va belongs to the next purge, which may
	 * merge it away and free it at any moment: do not touch it after.
	 */
	spin_lock(&kv->lazy_lock);
	kva_lazy_insert(&kv->space, va);
	/* A replay may change the threshold (replay start lazy_max_pages=). */
	over = kv->space.lazy_bytes >> PAGE_SHIFT >
	       READ_ONCE(kv->lazy_max_pages);
	spin_unlock(&kv->lazy_lock);
	kvalab_ph_end(KVALAB_PH_LAZY, t);
	if (over)
		kvalab_purge_state_held(kv, NULL, false);
}

/* Keep an unused preload for the next allocation, or free it. */
static void stash_preload(struct kvalab *kv, struct kva_area *preload)
{
	if (preload && cmpxchg(&kv->preload, NULL, preload))
		kvalab_va_free(kv, preload);
}

static struct kvalab_area *new_area(struct kvalab *kv, unsigned long size,
				    unsigned long align, unsigned long flags,
				    struct page **pages, const void *caller)
{
	struct kva_area *va = NULL, *preload = NULL;
	struct kvalab_area *a = NULL;
	enum kva_fit_type fit = KVA_NOTHING_FIT;
	bool pooled = false;
	unsigned long vsize;
	u32 id = 0;
	u64 t;
	int err;

	if (!size) {
		err = -EINVAL;
		goto fail;
	}
	if (size > kv->slice_size) {
		err = -E2BIG;
		goto fail;
	}
	size = PAGE_ALIGN(size);
	vsize = size + ((flags & KVALAB_NOGUARD) ? 0 : PAGE_SIZE);
	if (vsize > kv->slice_size) {
		err = -E2BIG;
		goto fail;
	}
	align = max(align, PAGE_SIZE);
	if (!is_power_of_2(align)) {
		err = -EINVAL;
		goto fail;
	}
	if (vsize + (align - 1) < vsize) {
		err = -EOVERFLOW;
		goto fail;
	}

	/*
	 * Held across the whole allocation, page allocation included, so
	 * the checker never sees pages or a VA that belong to no area yet.
	 */
	t = kvalab_ph_start();
	down_read(&kv->state_sem);
	kvalab_ph_end(KVALAB_PH_STATE, t);
	t = kvalab_ph_start();
	err = -ENOMEM;
	a = kvalab_rec_alloc(kv);
	/*
	 * The va_pools lever: a pooled area of exactly this size is the VA
	 * and its object at once, with no search (module/vapool.c).
	 */
	va = kvalab_pool_get(kv, vsize, align);
	if (va) {
		pooled = true;
		fit = KVA_POOL_FIT;
	} else {
		va = kvalab_va_alloc(kv);
		/* The spare for a no-edge split, kept between calls as Linux does. */
		preload = xchg(&kv->preload, NULL);
		if (!preload)
			preload = kvalab_va_alloc(kv);
	}
	kvalab_ph_end(KVALAB_PH_OBJECTS, t);
	if (!a || !va || (!pooled && !preload))
		goto fail_state_held;
	a->nr_pages = size >> PAGE_SHIFT;
	a->flags = flags;
	a->caller = caller;
	/*
	 * VA first, then pages, as __vmalloc_node_range() does: the VA search
	 * is the step that fails in a fragmented slice, and failing it now
	 * costs no page (before, a 1M request that found no VA allocated and
	 * freed 256 pages: docs/design.md, "Order of work").
	 */
	if (!pooled) {
		t = kvalab_ph_start();
		err = reserve_va(kv, va, vsize, align, &preload, &fit);
		kvalab_ph_end(KVALAB_PH_VA, t);
		if (err)
			goto fail_state_held;
	}
	if (flags & (KVALAB_VBLOCK | KVALAB_VAONLY)) {
		/*
		 * VA only: a block's pieces are mapped one by one; a replay's
		 * VA-only area is never mapped.
		 */
	} else if (pages) {
		a->pages = pages;
	} else {
		a->own_pages = true;
		t = kvalab_ph_start();
		err = alloc_backing(kv, a);
		kvalab_ph_end(KVALAB_PH_PAGES, t);
		/* A pooled VA was never mapped here: it goes back as it came. */
		if (err && pooled)
			goto fail_state_held;
		if (err)
			goto fail_va_held;
	}
	t = kvalab_ph_start();
	err = (flags & (KVALAB_VBLOCK | KVALAB_VAONLY)) ? 0 :
	      kvalab_map_range(va->va_start, a->pages, a->nr_pages);
	kvalab_ph_end(KVALAB_PH_MAP, t);
	t = kvalab_ph_start();
	/*
	 * Workload areas get no id: no command may name them, and an id
	 * costs an xarray node per allocation, which vmalloc does not pay.
	 */
	if (!err && !(flags & KVALAB_WORKLOAD)) {
		/*
		 * Reserve the id last, so that a failed allocation uses none
		 * (ids below next_id are known to have been freed); the
		 * xa_store() below then needs no memory.
		 */
		err = xa_alloc_cyclic(&kv->ids, &id, NULL,
				      XA_LIMIT(1, U32_MAX), &kv->next_id,
				      GFP_KERNEL | __GFP_NOWARN);
		if (err >= 0)
			err = 0;
		else
			kvalab_unmap_range(va->va_start, a->nr_pages,
					   &kv->cnt.tlb_flushes);
	}
	if (err)
		goto fail_va_held;
	a->va = va;
	a->id = id;
	a->fit = fit;
	/* One reference for the busy tree, one for the caller. */
	refcount_set(&a->ref, 2);
	va->owner = a;
	/* Before anyone can see (and free) the area, so frees follow it. */
	kvalab_record_alloc(kv, a, align);
	spin_lock(&kv->busy_lock);
	kva_busy_insert(&kv->space, va);
	if (id)
		xa_store(&kv->ids, id, a, GFP_NOWAIT);
	spin_unlock(&kv->busy_lock);
	kvalab_ph_end(KVALAB_PH_INSERT, t);
	up_read(&kv->state_sem);

	stash_preload(kv, preload);
	atomic_long_inc(&kv->cnt.allocs);
	if (!pooled)
		trace_kvalab_split(kva_offset(&kv->space, va->va_start), vsize,
				   fit);
	trace_kvalab_alloc(id, kva_offset(&kv->space, va->va_start), vsize, align, fit);
	return a;

fail_va_held:
	/*
	 * The VA left the free tree and may have had PTEs (a map that failed
	 * part way): like vmalloc's failure path (vfree()), it goes to the
	 * lazy list and waits for the next purge's flush.
	 */
	retire_va(kv, va);
	va = NULL;
	pooled = false;
fail_state_held:
	if (a) {
		free_backing(kv, a);
		kvalab_rec_free(kv, a);
	}
	/* A pooled VA that was never mapped goes back as it came. */
	if (va && pooled) {
		kvalab_pool_unget(kv, va);
		va = NULL;
	}
	up_read(&kv->state_sem);
	if (va)
		kvalab_va_free(kv, va);
	stash_preload(kv, preload);
fail:
	atomic_long_inc(&kv->cnt.alloc_failures);
	return ERR_PTR(err);
}

struct kvalab_area *kvalab_alloc(struct kvalab *kv, unsigned long size,
				 unsigned long align, unsigned long flags,
				 const void *caller)
{
	return new_area(kv, size, align, flags, NULL, caller);
}

struct kvalab_area *kvalab_map_pages(struct kvalab *kv, struct page **pages,
				     unsigned int count, const void *caller)
{
	if (!pages || !count) {
		atomic_long_inc(&kv->cnt.alloc_failures);
		return ERR_PTR(-EINVAL);
	}
	/* Only workloads map caller pages: control commands must not free them. */
	return new_area(kv, (unsigned long)count << PAGE_SHIFT, PAGE_SIZE,
			KVALAB_NOGUARD | KVALAB_WORKLOAD, pages,
			caller);
}

/*
 * The last reference is gone: unlink, unmap, free the pages and retire the
 * VA to the lazy list. Caller holds state_sem for read.
 */
static void release_unlinked(struct kvalab *kv, struct kvalab_area *a);

static void release_area(struct kvalab *kv, struct kvalab_area *a)
{
	spin_lock(&kv->busy_lock);
	kva_busy_unlink(&kv->space, a->va);
	spin_unlock(&kv->busy_lock);
	release_unlinked(kv, a);
}

/* release_area() once @a is off the busy tree. */
static void release_unlinked(struct kvalab *kv, struct kvalab_area *a)
{
	struct kva_area *va = a->va;
	u64 t = kvalab_ph_start();

	kvalab_record_free(kv, a);
	/* A vmap block's pieces were each unmapped when freed. */
	if (!a->vb && !(a->flags & KVALAB_VAONLY))
		kvalab_unmap_range(va->va_start, a->nr_pages,
				   &kv->cnt.tlb_flushes);
	kvalab_ph_end(KVALAB_PH_UNMAP, t);
	t = kvalab_ph_start();
	free_backing(kv, a);
	trace_kvalab_free(a->id, kva_offset(&kv->space, va->va_start), kva_size(va));
	kfree(a->vb);
	kvalab_rec_free(kv, a);
	kvalab_ph_end(KVALAB_PH_FREE_PAGES, t);
	atomic_long_inc(&kv->cnt.frees);
	retire_va(kv, va);
}

/* Drop a reference; caller holds state_sem for read. */
static void put_state_held(struct kvalab *kv, struct kvalab_area *a)
{
	lockdep_assert_held_read(&kv->state_sem);
	if (refcount_dec_and_test(&a->ref))
		release_area(kv, a);
}

void kvalab_put(struct kvalab *kv, struct kvalab_area *a)
{
	u64 t = kvalab_ph_start();

	down_read(&kv->state_sem);
	kvalab_ph_end(KVALAB_PH_STATE, t);
	put_state_held(kv, a);
	up_read(&kv->state_sem);
}

/* Take a lookup reference on @a found in the busy tree (busy lock held). */
static int get_found(struct kvalab_area *a, bool control, char *why,
		     size_t len)
{
	if (test_bit(KVALAB_AREA_DYING, &a->state) ||
	    test_bit(KVALAB_AREA_QUEUED, &a->state)) {
		if (why)
			snprintf(why, len, "area id %u is already freed or queued for freeing",
				 a->id);
		return -EALREADY;
	}
	if (control && (a->flags & KVALAB_WORKLOAD)) {
		if (why)
			snprintf(why, len, "area id %u belongs to a running workload",
				 a->id);
		return -EBUSY;
	}
	refcount_inc(&a->ref);
	return 0;
}

struct kvalab_area *kvalab_get_by_id(struct kvalab *kv, u32 id, char *why,
				     size_t len)
{
	struct kvalab_area *a;
	int err;

	spin_lock(&kv->busy_lock);
	a = xa_load(&kv->ids, id);
	if (a) {
		err = get_found(a, true, why, len);
	} else if (id && id < READ_ONCE(kv->next_id)) {
		err = -EALREADY;
		if (why)
			snprintf(why, len, "id %u was already freed (double free?)",
				 id);
	} else if (!id && kvalab_holder(kv) == KVALAB_HOLD_RUN) {
		/* Workload areas carry no id (new_area()): id 0 is theirs. */
		err = -EBUSY;
		if (why)
			snprintf(why, len,
				 "id 0 names no area: the areas listed as 'workload' belong to a running workload, which frees them itself");
	} else {
		err = -ENOENT;
		if (why)
			snprintf(why, len, "no area has id %u%s", id,
				 id ? "" : " (ids start at 1)");
	}
	spin_unlock(&kv->busy_lock);
	return err ? ERR_PTR(err) : a;
}

void kvalab_too_big_reason(struct kvalab *kv, unsigned long size,
			   unsigned long flags, char *why, size_t len)
{
	bool guard = !(flags & KVALAB_NOGUARD);

	/*
	 * The request alone is too big (PAGE_ALIGN() might not even round
	 * it), or, the slice being whole pages, only its guard page is too
	 * much.
	 */
	if (size > kv->slice_size || !guard)
		snprintf(why, len, "%lu bytes exceed the %lu-byte slice", size,
			 kv->slice_size);
	else
		snprintf(why, len,
			 "%lu bytes need %lu with the guard page, more than the %lu-byte slice",
			 size, PAGE_ALIGN(size) + PAGE_SIZE, kv->slice_size);
}

/*
 * A hashed %pK value (kptr_restrict=0 hashes to 32 bits) or a zeroed one
 * (kptr_restrict=2, or 1 without CAP_SYSLOG) is below 2^32, where no kernel
 * address lies on a 64-bit kernel: such an address was read from a listing
 * that hid the real one.
 */
static bool looks_hidden(unsigned long addr)
{
	return BITS_PER_LONG == 64 && addr <= U32_MAX;
}

/* Why there is no busy area at @addr: free, lazy or outside the slice. */
static int explain_addr(struct kvalab *kv, unsigned long addr, char *why,
			size_t len)
{
	const char *gone = NULL;
	bool free;

	if (addr < kv->space.start || addr >= kv->space.end) {
		if (why && looks_hidden(addr))
			snprintf(why, len,
				 "address 0x%lx is outside the slice and is no kernel address (listings under kptr_restrict=0 show hashes): give the id, or list with kptr_restrict=1",
				 addr);
		else if (why)
			snprintf(why, len, "address 0x%lx is outside the slice",
				 addr);
		return -ENOENT;
	}
	/* Freed already: on the lazy list, or purged into the VA pool. */
	spin_lock(&kv->lazy_lock);
	if (kva_lazy_find(&kv->space, addr))
		gone = "waiting for purge";
	spin_unlock(&kv->lazy_lock);
	if (!gone) {
		spin_lock(&kv->pool_lock);
		if (kva_pool_find(&kv->space, addr))
			gone = "purged, kept in the VA pool";
		spin_unlock(&kv->pool_lock);
	}
	if (gone) {
		if (why)
			snprintf(why, len, "address 0x%lx was already freed (%s)",
				 addr, gone);
		return -EALREADY;
	}
	spin_lock(&kv->free_lock);
	free = kva_free_find(&kv->space, addr);
	spin_unlock(&kv->free_lock);
	if (why)
		snprintf(why, len, "no busy area at 0x%lx (%s)", addr,
			 free ? "free space" : "being allocated or freed");
	return -ENOENT;
}

static struct kvalab_area *get_by_addr(struct kvalab *kv, unsigned long addr,
				       bool control, char *why, size_t len)
{
	struct kva_area *va;
	struct kvalab_area *a = NULL;
	int err;

	spin_lock(&kv->busy_lock);
	va = kva_busy_find(&kv->space, addr);
	if (!va) {
		err = -ENOENT;
	} else if (va->va_start != addr) {
		a = va->owner;
		err = -EINVAL;
		if (why)
			snprintf(why, len,
				 "address 0x%lx is inside area id %u (+0x%lx), not its start",
				 addr, a->id, addr - va->va_start);
	} else {
		a = va->owner;
		err = get_found(a, control, why, len);
	}
	spin_unlock(&kv->busy_lock);
	if (err == -ENOENT)
		return ERR_PTR(explain_addr(kv, addr, why, len));
	return err ? ERR_PTR(err) : a;
}

struct kvalab_area *kvalab_get_by_addr(struct kvalab *kv, unsigned long addr,
				       char *why, size_t len)
{
	return get_by_addr(kv, addr, true, why, len);
}

/* Mark @a freed (once) and drop the tree's and the caller's references. */
static int free_state_held(struct kvalab *kv, struct kvalab_area *a)
{
	int err = 0;

	lockdep_assert_held_read(&kv->state_sem);
	spin_lock(&kv->busy_lock);
	if (test_and_set_bit(KVALAB_AREA_DYING, &a->state))
		err = -EALREADY;
	else if (a->id)
		xa_erase(&kv->ids, a->id);
	spin_unlock(&kv->busy_lock);
	if (!err)
		put_state_held(kv, a);	/* the busy tree's reference */
	put_state_held(kv, a);		/* the caller's */
	return err;
}

int kvalab_free(struct kvalab *kv, struct kvalab_area *a)
{
	int err;

	down_read(&kv->state_sem);
	err = free_state_held(kv, a);
	up_read(&kv->state_sem);
	return err;
}

void kvalab_free_atomic(struct kvalab *kv, struct kvalab_area *a)
{
	set_bit(KVALAB_AREA_QUEUED, &a->state);
	if (llist_add(&a->defer, &kv->deferred))
		schedule_work(&kv->deferred_work);
}

/* Work item: complete the frees queued from atomic context. */
void kvalab_deferred_work(struct work_struct *work)
{
	struct kvalab *kv = container_of(work, struct kvalab, deferred_work);
	struct llist_node *list = llist_del_all(&kv->deferred);
	struct kvalab_area *a, *next;

	llist_for_each_entry_safe(a, next, list, defer) {
		u32 id = a->id;

		atomic_long_inc(&kv->cnt.deferred_frees);
		if (kvalab_free(kv, a) == -EALREADY)
			pr_notice("free_atomic: area id %u was already freed\n",
				  id);
	}
}

void *kvalab_vmalloc(struct kvalab *kv, unsigned long size,
		     unsigned long align, const void *caller)
{
	struct kvalab_area *a;
	void *addr;

	a = new_area(kv, size, align, KVALAB_WORKLOAD, NULL, caller);
	if (IS_ERR(a))
		return NULL;
	addr = (void *)a->va->va_start;
	/*
	 * The busy tree holds a reference too, so ours is not the last
	 * unless someone freed the area meanwhile: drop it without state_sem
	 * (one down_read/up_read pair less per allocation), and take the full
	 * path only when it may be the last.
	 */
	if (!refcount_dec_not_one(&a->ref))
		kvalab_put(kv, a);
	return addr;
}

/*
 * The bytes of backing pages of the workload area starting at @addr, or 0
 * if there is none (not a start, not one of kvalab_vmalloc()'s, dying). A
 * lookup as kvalab_vfree() makes one; the caller owns the area, so what it
 * reads cannot change under it.
 */
static unsigned long workload_area_bytes(struct kvalab *kv, const void *addr)
{
	unsigned long start = (unsigned long)addr, bytes = 0;
	const struct kvalab_area *a;
	struct kva_area *va;
	u64 t;

	t = kvalab_ph_start();
	down_read(&kv->state_sem);
	kvalab_ph_end(KVALAB_PH_STATE, t);
	t = kvalab_ph_start();
	spin_lock(&kv->busy_lock);
	va = kva_busy_find(&kv->space, start);
	if (va && va->va_start == start) {
		a = va->owner;
		if (a->own_pages && (a->flags & KVALAB_WORKLOAD) &&
		    !test_bit(KVALAB_AREA_DYING, &a->state) &&
		    !test_bit(KVALAB_AREA_QUEUED, &a->state))
			bytes = (unsigned long)a->nr_pages << PAGE_SHIFT;
	}
	spin_unlock(&kv->busy_lock);
	kvalab_ph_end(KVALAB_PH_LOOKUP, t);
	up_read(&kv->state_sem);
	return bytes;
}

void *kvalab_vrealloc(struct kvalab *kv, const void *addr, unsigned long size,
		      const void *caller)
{
	unsigned long have;
	void *n;

	if (!addr)
		return kvalab_vmalloc(kv, size, 0, caller);
	if (!size) {
		kvalab_vfree(kv, addr);
		return NULL;
	}
	have = workload_area_bytes(kv, addr);
	/* Reallocating what is not a live area's start is the caller's bug. */
	if (WARN_ON_ONCE(!have))
		return NULL;
	if (size <= have)
		return (void *)addr;
	n = kvalab_vmalloc(kv, size, 0, caller);
	if (!n)
		return NULL;
	/* Every old byte fits: size > have. */
	memcpy(n, addr, have);
	kvalab_vfree(kv, addr);
	return n;
}

/*
 * The workloads' vfree(): lookup, marking and unlinking in one busy-lock
 * section, where kvalab_get_by_addr() + kvalab_free() take it three times
 * (vfree() in mm/vmalloc.c takes vmap_area_lock once). Lifetime rules as in
 * kvalab.h: once DYING is set no lookup takes a new reference, so the tree's
 * reference dropping to zero here means nobody else holds one and the area
 * can leave the tree at once; otherwise the last holder releases it.
 */
void kvalab_vfree(struct kvalab *kv, const void *addr)
{
	unsigned long start = (unsigned long)addr;
	struct kvalab_area *a = NULL;
	struct kva_area *va;
	bool last = false;
	u64 t;

	if (!addr)
		return;
	t = kvalab_ph_start();
	down_read(&kv->state_sem);
	kvalab_ph_end(KVALAB_PH_STATE, t);
	t = kvalab_ph_start();
	spin_lock(&kv->busy_lock);
	va = kva_busy_find(&kv->space, start);
	if (va && va->va_start == start) {
		a = va->owner;
		if (test_bit(KVALAB_AREA_QUEUED, &a->state) ||
		    test_and_set_bit(KVALAB_AREA_DYING, &a->state)) {
			a = NULL;
		} else {
			if (a->id)
				xa_erase(&kv->ids, a->id);
			last = refcount_dec_and_test(&a->ref);
			if (last)
				kva_busy_unlink(&kv->space, va);
		}
	}
	spin_unlock(&kv->busy_lock);
	kvalab_ph_end(KVALAB_PH_LOOKUP, t);
	if (last)
		release_unlinked(kv, a);
	up_read(&kv->state_sem);
	/* Freeing what is not a live area's start is the caller's bug. */
	WARN_ON_ONCE(!a);
}

/*
 * Free every busy area control commands may free. Areas already dying are
 * released by whoever holds their last reference.
 */
unsigned long kvalab_reset(struct kvalab *kv, bool all)
{
	unsigned long freed = 0;
	struct kva_area *va;
	struct kvalab_area *a;

	/* Idle vmap blocks are the module's, not the user's: let them go. */
	kvalab_vblocks_drain(kv);
	for (;;) {
		a = NULL;
		spin_lock(&kv->busy_lock);
		list_for_each_entry(va, &kv->space.busy_list, list) {
			struct kvalab_area *cand = va->owner;

			if (!get_found(cand, !all, NULL, 0)) {
				a = cand;
				break;
			}
		}
		spin_unlock(&kv->busy_lock);
		if (!a)
			return freed;
		if (!kvalab_free(kv, a))
			freed++;
		cond_resched();
	}
}

unsigned long kvalab_largest_free(struct kvalab *kv)
{
	unsigned long largest;

	spin_lock(&kv->free_lock);
	largest = kva_largest_free(&kv->space);
	spin_unlock(&kv->free_lock);
	return largest;
}
