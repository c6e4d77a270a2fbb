// SPDX-License-Identifier: GPL-2.0
/*
 * The floor backend (docs/performance.md#the-floor): every case's sizes and
 * lifetimes with no VA management, so that kvalab ÷ floor is the share of
 * kvalab's time that its VA management costs.
 *
 * What it does per allocation is what kvalab does minus the allocator:
 *  - the backing pages come from kvalab_pages_fill() (the page_alloc
 *    parameter's mode), the page array from kvcalloc() (inline for one
 *    page), as kvalab's own areas get them;
 *  - they are mapped with kvalab_map_range() (apply_to_page_range()) and
 *    unmapped with kvalab_unmap_range(), as kvalab's are;
 *  - a freed VA waits for a TLB flush before reuse, and the flush is the one
 *    kvalab's purge does (kvalab_flush_tlb_range() over the span of the
 *    slots it releases: a full flush on every CPU, or per page under the
 *    tlb_flush=invlpg lever), batched the same way: when the pages this CPU freed since its
 *    last flush exceed lazy_max_pages, counting an area's pages plus its
 *    guard as kvalab's lazy list counts them. Workers are bound one per
 *    CPU, so one thread flushes as often per freed page as kvalab; with N
 *    threads each CPU keeps its own batch, so floor makes as many flushes
 *    per freed page as kvalab and may hold N times the lazy VA.
 *
 * Its VA is a second reservation the size of the slice (made at load), cut
 * by a bump pointer into slots of 2^order pages, packed (no alignment
 * padding): an area of n pages takes order order_base_2(n + 1) (its guard
 * included; a vm_map_ram mapping has none). The backend serves no alignment
 * above a page (wl_backends.c skips the aligned cases), so wl_floor_alloc()
 * refuses one. Each CPU
 * keeps a LIFO of free slots and one of lazy slots per order, touched with
 * preemption off and no lock; a free looks its slot up by address in a
 * table indexed by page. So an operation costs O(1) VA work: no search, no
 * tree, no lock, no atomic except when the bump pointer moves. Before each
 * floor unit the run controller resets the bump pointer (no slot is live
 * then: every case frees what it allocated), so a unit starts from an
 * empty range as a kvalab unit starts from a mostly empty slice.
 *
 * Invariant: a slot is in at most one place: live (slot.live), on one
 * CPU's free list, on one CPU's lazy list, or in a flush's hands (taken
 * off a lazy list, not yet on a free list); a slot on a free list has had
 * a TLB flush since its PTEs were last cleared.
 */
#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../kvalab.h"
#include "../breakdown.h"
#include "../pgtable.h"
#include "wl.h"

/* Slots of 2^0 to 2^(FLOOR_ORDERS - 1) pages. */
#define FLOOR_ORDERS	32

struct floor_slot {
	struct page **pages;	/* own pages' array, or the caller's */
	struct page *page1;	/* pages[] of a one-page own area */
	u32 nr;			/* pages mapped */
	u32 next;		/* free or lazy list link: index + 1; 0 ends */
	u8 order;		/* the slot is 1 << order pages of VA */
	bool own;		/* the pages are ours to free */
	bool live;		/* handed out, not yet freed */
};

/* List heads are slot index + 1, 0 for an empty list. */
struct floor_cpu {
	u32 free[FLOOR_ORDERS];
	u32 lazy[FLOOR_ORDERS];
	u32 lazy_tail[FLOOR_ORDERS];
	unsigned long lazy_pages;	/* freed since this CPU's last flush */
	/* The lazy slots' span, [lo, hi), for kvalab_flush_tlb_range(). */
	unsigned long lazy_lo, lazy_hi;
};

static struct {
	unsigned long start;		/* 0 while not reserved */
	unsigned long pages;
	struct floor_slot *slot;	/* by page offset from start */
	struct floor_cpu __percpu *cpu;
	atomic_long_t next;		/* bump pointer, pages from start */
	atomic_long_t flushes;
} floor;

int kvalab_floor_init(struct kvalab *kv)
{
	void *start;

	floor.pages = kv->slice_size >> PAGE_SHIFT;
	floor.slot = kvcalloc(floor.pages, sizeof(*floor.slot), GFP_KERNEL);
	floor.cpu = alloc_percpu(struct floor_cpu);
	if (!floor.slot || !floor.cpu)
		goto fail;
	start = kvalab_floor_reserve(kv->slice_size);
	if (!start) {
		pr_err("could not reserve the floor backend's %lu bytes of vmalloc space\n",
		       kv->slice_size);
		goto fail;
	}
	floor.start = (unsigned long)start;
	atomic_long_set(&floor.next, 0);
	atomic_long_set(&floor.flushes, 0);
	return 0;

fail:
	free_percpu(floor.cpu);
	kvfree(floor.slot);
	floor.cpu = NULL;
	floor.slot = NULL;
	return -ENOMEM;
}

static unsigned long floor_addr(unsigned long idx)
{
	return floor.start + (idx << PAGE_SHIFT);
}

/* Pop a free slot of @order from this CPU's list: index, or -1. */
static long floor_pop(unsigned int order)
{
	struct floor_cpu *fc = get_cpu_ptr(floor.cpu);
	long idx = -1;
	u32 head = fc->free[order];

	if (head) {
		idx = head - 1;
		fc->free[order] = floor.slot[idx].next;
	}
	put_cpu_ptr(floor.cpu);
	return idx;
}

static void floor_push_free(struct floor_cpu *fc, unsigned long idx)
{
	struct floor_slot *s = &floor.slot[idx];

	s->next = fc->free[s->order];
	fc->free[s->order] = idx + 1;
}

/*
 * A new slot of @order from the bump pointer: index, or -1 when full. The
 * pointer never passes the range's end, so smaller slots still fit after a
 * larger one did not.
 */
static long floor_carve(unsigned int order)
{
	unsigned long size = 1UL << order, off;
	long old = atomic_long_read(&floor.next);

	do {
		off = old;
		if (off + size > floor.pages)
			return -1;
	} while (!atomic_long_try_cmpxchg(&floor.next, &old, off + size));
	floor.slot[off].order = order;
	return off;
}

/*
 * Flush the TLB for the slots this CPU freed, then make them free: the
 * lists are taken before the flush starts, so every slot the flush hands
 * back had its PTEs cleared before it.
 */
static void floor_flush(void)
{
	u32 head[FLOOR_ORDERS], tail[FLOOR_ORDERS];
	unsigned long lo, hi;
	struct floor_cpu *fc;
	bool any = false;
	unsigned int o;
	u64 t;

	fc = get_cpu_ptr(floor.cpu);
	for (o = 0; o < FLOOR_ORDERS; o++) {
		head[o] = fc->lazy[o];
		tail[o] = fc->lazy_tail[o];
		any |= head[o] != 0;
		fc->lazy[o] = 0;
	}
	lo = fc->lazy_lo;
	hi = fc->lazy_hi;
	fc->lazy_pages = 0;
	fc->lazy_lo = 0;
	fc->lazy_hi = 0;
	put_cpu_ptr(floor.cpu);
	if (!any)
		return;

	/* The flush kvalab's purge makes, over the span kvalab's would. */
	t = kvalab_ph_start();
	kvalab_flush_tlb_range(lo, hi);
	kvalab_ph_end(KVALAB_PH_FLUSH, t);
	atomic_long_inc(&floor.flushes);

	fc = get_cpu_ptr(floor.cpu);
	for (o = 0; o < FLOOR_ORDERS; o++) {
		if (!head[o])
			continue;
		floor.slot[tail[o] - 1].next = fc->free[o];
		fc->free[o] = head[o];
	}
	put_cpu_ptr(floor.cpu);
}

/*
 * A slot of @order, flushing this CPU's lazy slots once if none is free
 * and the range is used up (as kvalab purges once when no VA fits). The
 * whole of it is floor's VA phase, flush included, as kvalab's search and
 * purge-on-ENOSPC are.
 */
static long floor_take(unsigned int order)
{
	bool flushed = false;
	u64 t = kvalab_ph_start();
	long idx;

	for (;;) {
		idx = floor_pop(order);
		if (idx < 0)
			idx = floor_carve(order);
		if (idx >= 0 || flushed)
			break;
		floor_flush();
		flushed = true;
	}
	kvalab_ph_end(KVALAB_PH_VA, t);
	return idx;
}

/*
 * Slot @idx had PTEs: put it on this CPU's lazy list, counting @vpages
 * towards the batch, and flush when the batch is over lazy_max_pages.
 */
static void floor_retire(struct kvalab *kv, unsigned long idx,
			 unsigned long vpages)
{
	struct floor_slot *s = &floor.slot[idx];
	struct floor_cpu *fc;
	bool over;
	u64 t = kvalab_ph_start();

	s->live = false;
	fc = get_cpu_ptr(floor.cpu);
	s->next = 0;
	if (fc->lazy[s->order])
		floor.slot[fc->lazy_tail[s->order] - 1].next = idx + 1;
	else
		fc->lazy[s->order] = idx + 1;
	fc->lazy_tail[s->order] = idx + 1;
	if (!fc->lazy_hi || floor_addr(idx) < fc->lazy_lo)
		fc->lazy_lo = floor_addr(idx);
	fc->lazy_hi = max(fc->lazy_hi, floor_addr(idx) + (vpages << PAGE_SHIFT));
	fc->lazy_pages += vpages;
	over = fc->lazy_pages > kv->lazy_max_pages;
	put_cpu_ptr(floor.cpu);
	kvalab_ph_end(KVALAB_PH_LAZY, t);
	if (over)
		floor_flush();
}

/* The order of a slot for @vpages pages of VA. */
static int floor_order(unsigned long vpages)
{
	unsigned int order = order_base_2(vpages);

	if (order >= FLOOR_ORDERS || (1UL << order) > floor.pages)
		return -1;
	return order;
}

void *wl_floor_alloc(struct kvalab *kv, unsigned long size,
		     unsigned long align)
{
	unsigned long nr = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct floor_slot *s;
	unsigned int got;
	int order;
	long idx;
	u64 t;

	if (!nr || nr >= U32_MAX || align > PAGE_SIZE)
		return NULL;
	order = floor_order(nr + 1);
	if (order < 0)
		return NULL;
	idx = floor_take(order);
	if (idx < 0)
		return NULL;
	s = &floor.slot[idx];

	t = kvalab_ph_start();
	s->pages = nr == 1 ? &s->page1 :
		kvcalloc(nr, sizeof(*s->pages), GFP_KERNEL | __GFP_NOWARN);
	got = s->pages ? kvalab_pages_fill(s->pages, nr) : 0;
	kvalab_ph_end(KVALAB_PH_PAGES, t);
	s->nr = nr;
	s->own = true;
	if (got < nr)
		goto fail_pages;

	t = kvalab_ph_start();
	if (kvalab_map_range(floor_addr(idx), s->pages, nr)) {
		kvalab_ph_end(KVALAB_PH_MAP, t);
		s->nr = got;
		goto fail_mapped;
	}
	kvalab_ph_end(KVALAB_PH_MAP, t);
	s->live = true;
	return (void *)floor_addr(idx);

fail_mapped:
	/* Some PTEs may have been live: the slot waits for a flush. */
	while (got)
		__free_page(s->pages[--got]);
	if (s->pages != &s->page1)
		kvfree(s->pages);
	floor_retire(kv, idx, nr + 1);
	return NULL;
fail_pages:
	/* Never mapped: the slot is free again at once. */
	while (got)
		__free_page(s->pages[--got]);
	if (s->pages && s->pages != &s->page1)
		kvfree(s->pages);
	floor_push_free(get_cpu_ptr(floor.cpu), idx);
	put_cpu_ptr(floor.cpu);
	return NULL;
}

void *wl_floor_map(struct kvalab *kv, struct page **pages, unsigned int count)
{
	struct floor_slot *s;
	int order;
	long idx;
	u64 t;

	if (!pages || !count)
		return NULL;
	/* No guard page, as vm_map_ram() and kvalab's mappings have none. */
	order = floor_order(count);
	if (order < 0)
		return NULL;
	idx = floor_take(order);
	if (idx < 0)
		return NULL;
	s = &floor.slot[idx];
	s->pages = pages;
	s->nr = count;
	s->own = false;
	t = kvalab_ph_start();
	if (kvalab_map_range(floor_addr(idx), pages, count)) {
		kvalab_ph_end(KVALAB_PH_MAP, t);
		floor_retire(kv, idx, count);
		return NULL;
	}
	kvalab_ph_end(KVALAB_PH_MAP, t);
	s->live = true;
	return (void *)floor_addr(idx);
}

/* The live slot starting at @addr, or NULL (with a warning: a bad free). */
static struct floor_slot *floor_slot_of(const void *addr, unsigned long *idx)
{
	unsigned long a = (unsigned long)addr;

	if (WARN_ON_ONCE(a < floor.start || a & ~PAGE_MASK ||
			 a - floor.start >= floor.pages << PAGE_SHIFT))
		return NULL;
	*idx = (a - floor.start) >> PAGE_SHIFT;
	if (WARN_ON_ONCE(!floor.slot[*idx].live))
		return NULL;
	return &floor.slot[*idx];
}

void wl_floor_free(struct kvalab *kv, const void *addr)
{
	struct floor_slot *s;
	unsigned long idx;
	unsigned int i;
	u64 t;

	t = kvalab_ph_start();
	s = floor_slot_of(addr, &idx);
	kvalab_ph_end(KVALAB_PH_LOOKUP, t);
	if (!s || WARN_ON_ONCE(!s->own))
		return;
	t = kvalab_ph_start();
	kvalab_unmap_range((unsigned long)addr, s->nr, &floor.flushes);
	kvalab_ph_end(KVALAB_PH_UNMAP, t);
	t = kvalab_ph_start();
	for (i = 0; i < s->nr; i++)
		__free_page(s->pages[i]);
	if (s->pages != &s->page1)
		kvfree(s->pages);
	s->pages = NULL;
	kvalab_ph_end(KVALAB_PH_FREE_PAGES, t);
	floor_retire(kv, idx, s->nr + 1);
}

void wl_floor_unmap(struct kvalab *kv, const void *addr, unsigned int count)
{
	struct floor_slot *s;
	unsigned long idx;
	u64 t;

	t = kvalab_ph_start();
	s = floor_slot_of(addr, &idx);
	kvalab_ph_end(KVALAB_PH_LOOKUP, t);
	if (!s || WARN_ON_ONCE(s->own || s->nr != count))
		return;
	t = kvalab_ph_start();
	kvalab_unmap_range((unsigned long)addr, count, &floor.flushes);
	kvalab_ph_end(KVALAB_PH_UNMAP, t);
	s->pages = NULL;
	floor_retire(kv, idx, count);
}

/*
 * vrealloc() as kvalab_vrealloc() does it: in place while the slot's pages
 * hold @size, else a new slot with the old pages' contents and the old one
 * freed; the lookup is the one a free makes.
 */
void *wl_floor_realloc(struct kvalab *kv, const void *addr,
		       unsigned long size)
{
	struct floor_slot *s;
	unsigned long idx, have;
	void *n;
	u64 t;

	if (!addr)
		return wl_floor_alloc(kv, size, 0);
	if (!size) {
		wl_floor_free(kv, addr);
		return NULL;
	}
	t = kvalab_ph_start();
	s = floor_slot_of(addr, &idx);
	kvalab_ph_end(KVALAB_PH_LOOKUP, t);
	if (!s || WARN_ON_ONCE(!s->own))
		return NULL;
	have = (unsigned long)s->nr << PAGE_SHIFT;
	if (size <= have)
		return (void *)addr;
	n = wl_floor_alloc(kv, size, 0);
	if (!n)
		return NULL;
	memcpy(n, addr, have);
	wl_floor_free(kv, addr);
	return n;
}

/*
 * Between units (no worker runs): flush what waits and start the range
 * afresh. Should a slot still be live (a case that leaked), only the flush
 * happens and every slot stays where it is, so no live VA is handed out.
 */
void wl_floor_reset(void)
{
	unsigned long i, used = atomic_long_read(&floor.next), live = 0;
	struct floor_cpu *fc;
	bool lazy = false;
	unsigned int o;
	int cpu;

	if (!floor.start)
		return;
	for (i = 0; i < used; i++)
		live += floor.slot[i].live;
	for_each_possible_cpu(cpu) {
		fc = per_cpu_ptr(floor.cpu, cpu);
		for (o = 0; o < FLOOR_ORDERS; o++)
			lazy |= fc->lazy[o] != 0;
	}
	if (lazy) {
		kvalab_flush_tlb_all();
		atomic_long_inc(&floor.flushes);
	}
	if (live) {
		pr_warn("floor: %lu slots still live between units\n", live);
		/* Flushed: each CPU's lazy slots may go on its free lists. */
		for_each_possible_cpu(cpu) {
			fc = per_cpu_ptr(floor.cpu, cpu);
			for (o = 0; o < FLOOR_ORDERS; o++) {
				if (!fc->lazy[o])
					continue;
				floor.slot[fc->lazy_tail[o] - 1].next =
					fc->free[o];
				fc->free[o] = fc->lazy[o];
				fc->lazy[o] = 0;
			}
			fc->lazy_pages = 0;
			fc->lazy_lo = 0;
			fc->lazy_hi = 0;
		}
		return;
	}
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(floor.cpu, cpu), 0, sizeof(*fc));
	atomic_long_set(&floor.next, 0);
}

void kvalab_floor_exit(struct kvalab *kv)
{
	if (!floor.start)
		return;
	wl_floor_reset();
	kvalab_floor_release((void *)floor.start);
	floor.start = 0;
	free_percpu(floor.cpu);
	kvfree(floor.slot);
	floor.cpu = NULL;
	floor.slot = NULL;
}
