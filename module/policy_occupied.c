// SPDX-License-Identifier: GPL-2.0
/*
 * The address-ordered list of occupied areas that the list-walking policies
 * search: 2.6's vmlist of vm_structs, and 2.6.39-5.1's vmap_area_list, which
 * held busy and lazily freed areas alike. Here it holds every area that is
 * not free: busy, lazy, pooled, and in flight between trees (clipped out of
 * the free tree but not yet busy, or taken off the lazy list but not yet
 * free or pooled).
 * Because it changes only in kva_alloc() and kva_free_insert(), both under
 * the free-space lock, it is always exactly the complement of the free tree
 * under that lock, although the busy and lazy trees have locks of their own.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>

#include <kvalab/policy.h>

/*
 * The occupied areas come from three address-sorted lists: busy, lazy and
 * pooled. occ_next() returns the lowest of their heads at @pos (advancing
 * that one), or NULL when all three are done.
 */
static struct kva_area *occ_next(struct kva_space *s, struct list_head **pos)
{
	struct list_head *heads[3] = {
		&s->busy_list, &s->lazy_list, &s->pool_list,
	};
	struct kva_area *best = NULL;
	int i, which = 0;

	for (i = 0; i < 3; i++) {
		struct kva_area *va;

		if (pos[i] == heads[i])
			continue;
		va = list_entry(pos[i], struct kva_area, list);
		if (!best || va->va_start < best->va_start) {
			best = va;
			which = i;
		}
	}
	if (best)
		pos[which] = pos[which]->next;
	return best;
}

void kva_occupied_build(struct kva_space *s, struct kva_occupied *o)
{
	struct list_head *pos[3] = {
		s->busy_list.next, s->lazy_list.next, s->pool_list.next,
	};
	struct kva_area *va;

	INIT_LIST_HEAD(&o->head);
	o->nr = 0;
	while ((va = occ_next(s, pos))) {
		list_add_tail(&va->occ, &o->head);
		o->nr++;
	}
}

void kva_occupied_insert(struct kva_occupied *o, struct kva_area *va,
			 struct list_head *pos)
{
	list_add_tail(&va->occ, pos);
	o->nr++;
}

void kva_occupied_del(struct kva_occupied *o, struct kva_area *va)
{
	list_del(&va->occ);
	o->nr--;
}

int kva_occupied_check(struct kva_space *s, struct kva_occupied *o,
		       const char *name, char *why, size_t len)
{
	struct list_head *pos[3] = {
		s->busy_list.next, s->lazy_list.next, s->pool_list.next,
	};
	unsigned long want = s->nr_busy + s->nr_lazy + s->nr_pooled, seen = 0;
	struct list_head *p;

	if (o->nr != want) {
		snprintf(why, len,
			 "%s: occupied list counts %lu areas, busy + lazy + pooled hold %lu",
			 name, o->nr, want);
		return -EUCLEAN;
	}

	/* Bounded by the count, so a corrupted list cannot loop. */
	for (p = o->head.next; p != &o->head && seen <= want; p = p->next) {
		struct kva_area *va = kva_occ_entry(p);

		if (p->next->prev != p) {
			snprintf(why, len, "%s: occupied list links broken at [+0x%lx, +0x%lx)",
				 name, kva_offset(s, va->va_start),
				 kva_offset(s, va->va_end));
			return -EUCLEAN;
		}
		if (occ_next(s, pos) != va) {
			snprintf(why, len,
				 "%s: occupied list has [+0x%lx, +0x%lx) where the busy, lazy and pool trees have the next area elsewhere",
				 name, kva_offset(s, va->va_start),
				 kva_offset(s, va->va_end));
			return -EUCLEAN;
		}
		seen++;
	}
	if (seen != want || occ_next(s, pos)) {
		snprintf(why, len,
			 "%s: occupied list walks %lu areas, busy + lazy + pooled hold %lu",
			 name, seen, want);
		return -EUCLEAN;
	}
	return 0;
}
