// SPDX-License-Identifier: GPL-2.0
/*
 * cached-hole: alloc_vmap_area() and __free_vmap_area() of Linux 2.6.39 to
 * 5.1 (the free_vmap_cache of commit 89699605fe7c, "mm: vmap area cache",
 * removed by 5.2's augmented tree). The last allocated area is cached and
 * the next search starts right after it, walking the address-ordered list
 * of occupied areas; cached_hole_size remembers the largest hole the walks
 * passed below the cache, and a request that might fit there (smaller than
 * it), or a lower start or smaller alignment than the cached search's,
 * resets the cache and searches from the bottom. Freeing an area at or
 * below the cache moves the cache back to the area before it, so the next
 * search finds the new hole; freeing below the cached vstart drops it.
 *
 * As in 2.6.39-5.1, lazily freed areas stay on the list until a purge frees
 * them (policy_occupied.c), and the walk is O(n) in the areas it passes.
 * The bottom-up search's start is found by walking the list from its head
 * (5.1 used the busy rb-tree; the place found is the same). Differences from
 * the lowest policy show when the cache skips a hole below it: the request
 * lands above the cache, or fails with -ENOMEM although a hole below fits
 * (5.1 then purged and retried, as kvalab's module does).
 */
#include <linux/errno.h>
#include <linux/align.h>
#include <linux/bug.h>
#include <linux/kernel.h>

#include <kvalab/policy.h>
#include <kvalab/policy_state.h>

static struct kva_area *cached_hole_find(struct kva_space *s,
					 unsigned long size,
					 unsigned long align,
					 unsigned long *nva_start)
{
	struct cached_hole_state *st = KVA_PSTATE(s, struct cached_hole_state);
	unsigned long vstart = s->start, vend = s->end;
	struct list_head *head = &st->occ.head;
	struct kva_area *first = NULL, *va;
	unsigned long steps = 0;
	unsigned long addr;

	/*
	 * Invalidate the cache on more permissive parameters: a size that
	 * may fit the largest hole noticed below the cache, a lower start,
	 * a smaller alignment.
	 */
	if (!st->cache || size < st->cached_hole_size ||
	    vstart < st->cached_vstart || align < st->cached_align) {
		kva_ex_note(s, KVA_EX_CACHE, KVA_GO_RESET, st->cache,
			    !st->cache ? KVA_RESET_EMPTY :
			    size < st->cached_hole_size ? KVA_RESET_HOLE :
			    vstart < st->cached_vstart ? KVA_RESET_VSTART :
			    KVA_RESET_ALIGN, st->cached_hole_size, 0);
nocache:
		st->cached_hole_size = 0;
		st->cache = NULL;
	}
	/* Record the less permissive parameters of this search. */
	st->cached_vstart = vstart;
	st->cached_align = align;

	if (st->cache) {
		first = st->cache;
		addr = ALIGN(first->va_end, align);
		if (addr < vstart) {
			kva_ex_note(s, KVA_EX_CACHE, KVA_GO_RESET, first,
				    KVA_RESET_BELOW, st->cached_hole_size, 0);
			goto nocache;
		}
		kva_ex_note(s, KVA_EX_CACHE, KVA_GO_HIT, first, addr,
			    st->cached_hole_size, 0);
		if (addr + size < addr)
			goto overflow;
	} else {
		struct list_head *p;

		addr = ALIGN(vstart, align);
		if (addr + size < addr)
			goto overflow;
		/* The lowest occupied area ending at or above addr. */
		list_for_each(p, head) {
			steps++;
			if (kva_occ_entry(p)->va_end >= addr) {
				first = kva_occ_entry(p);
				break;
			}
			kva_ex_note(s, KVA_EX_ENTRY, KVA_GO_SKIP,
				    kva_occ_entry(p), addr, 0, 0);
		}
		if (!first) {
			st->pos = head;
			goto found;
		}
	}

	/* From the starting point, walk areas until a hole fits. */
	st->pos = &first->occ;
	while (addr + size > first->va_start && addr + size <= vend) {
		steps++;
		if (addr + st->cached_hole_size < first->va_start)
			st->cached_hole_size = first->va_start - addr;
		kva_ex_note(s, KVA_EX_ENTRY, KVA_GO_NEXT, first,
			    ALIGN(first->va_end, align), 0, 0);
		addr = ALIGN(first->va_end, align);
		if (addr + size < addr)
			goto overflow;
		if (list_is_last(&first->occ, head)) {
			st->pos = head;
			goto found;
		}
		first = kva_occ_entry(first->occ.next);
		st->pos = &first->occ;
	}

found:
	/* Also catches an aligned address that wrapped to 0. */
	if (addr + size > vend || addr < vstart)
		goto overflow;
	kva_ex_note(s, KVA_EX_ENTRY, KVA_GO_THIS,
		    st->pos == head ? NULL : kva_occ_entry(st->pos), addr, 0, 0);
	s->fstats.search_steps += steps;
	va = kva_free_find(s, addr);
	if (WARN_ON(!va || addr + size > va->va_end))
		return NULL;
	*nva_start = addr;
	return va;

overflow:
	s->fstats.search_steps += steps;
	return NULL;
}

static void cached_hole_placed(struct kva_space *s, struct kva_area *va)
{
	struct cached_hole_state *st = KVA_PSTATE(s, struct cached_hole_state);

	kva_occupied_insert(&st->occ, va, st->pos);
	st->cache = va;
}

/* __free_vmap_area(): move the cache before a hole opening at or below it. */
static void cached_hole_released(struct kva_space *s, struct kva_area *va)
{
	struct cached_hole_state *st = KVA_PSTATE(s, struct cached_hole_state);

	if (st->cache) {
		if (va->va_end < st->cached_vstart) {
			st->cache = NULL;
		} else if (va->va_start <= st->cache->va_start) {
			/*
			 * As 5.1 says: cached_hole_size and cached_align are
			 * not updated, "but it won't go very wrong".
			 */
			st->cache = va->occ.prev == &st->occ.head ? NULL :
				    kva_occ_entry(va->occ.prev);
		}
	}
	kva_occupied_del(&st->occ, va);
}

static void cached_hole_attach(struct kva_space *s)
{
	kva_occupied_build(s, &KVA_PSTATE(s, struct cached_hole_state)->occ);
}

static int cached_hole_check(struct kva_space *s, char *why, size_t len)
{
	struct cached_hole_state *st = KVA_PSTATE(s, struct cached_hole_state);
	struct list_head *p;
	int err;

	err = kva_occupied_check(s, &st->occ, "cached-hole", why, len);
	if (err || !st->cache)
		return err;

	/* The occupied list was just checked: this walk ends. */
	list_for_each(p, &st->occ.head)
		if (kva_occ_entry(p) == st->cache)
			return 0;
	snprintf(why, len, "cached-hole: the cached area is not on the occupied list");
	return -EUCLEAN;
}

const struct kva_policy kva_policy_cached_hole = {
	.id = KVA_POLICY_CACHED_HOLE,
	.find = cached_hole_find,
	.attach = cached_hole_attach,
	.placed = cached_hole_placed,
	.released = cached_hole_released,
	.check = cached_hole_check,
};
