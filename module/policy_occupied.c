// SPDX-License-Identifier: GPL-2.0
/*
 * The address-ordered list of occupied areas that the list-walking policies
 * search: 2.6's vmlist of vm_structs, and 2.6.39-5.1's vmap_area_list, which
 * held busy and lazily freed areas alike. Here it holds every area that is
 * not free: busy, lazy, and in flight between trees (clipped out of the
 * free tree but not yet busy, or taken off the lazy list but not yet free).
 * Because it changes only in kva_alloc() and kva_free_insert(), both under
 * the free-space lock, it is always exactly the complement of the free tree
 * under that lock, although the busy and lazy trees have locks of their own.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>

#include <kvalab/policy.h>

void kva_occupied_build(struct kva_space *s, struct kva_occupied *o)
{
	struct list_head *b = s->busy_list.next, *l = s->lazy_list.next;

	INIT_LIST_HEAD(&o->head);
	o->nr = 0;
	while (b != &s->busy_list || l != &s->lazy_list) {
		struct kva_area *vb = list_entry(b, struct kva_area, list);
		struct kva_area *vl = list_entry(l, struct kva_area, list);
		struct kva_area *va;

		if (l == &s->lazy_list ||
		    (b != &s->busy_list && vb->va_start < vl->va_start)) {
			va = vb;
			b = b->next;
		} else {
			va = vl;
			l = l->next;
		}
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
	struct list_head *b = s->busy_list.next, *l = s->lazy_list.next;
	unsigned long want = s->nr_busy + s->nr_lazy, seen = 0;
	struct list_head *p;

	if (o->nr != want) {
		snprintf(why, len,
			 "%s: occupied list counts %lu areas, busy + lazy hold %lu",
			 name, o->nr, want);
		return -EUCLEAN;
	}

	/* Bounded by the count, so a corrupted list cannot loop. */
	for (p = o->head.next; p != &o->head && seen <= want; p = p->next) {
		struct kva_area *va = kva_occ_entry(p);
		struct kva_area *vb = list_entry(b, struct kva_area, list);
		struct kva_area *vl = list_entry(l, struct kva_area, list);

		if (p->next->prev != p) {
			snprintf(why, len, "%s: occupied list links broken at [+0x%lx, +0x%lx)",
				 name, kva_offset(s, va->va_start),
				 kva_offset(s, va->va_end));
			return -EUCLEAN;
		}
		if (b != &s->busy_list && va == vb) {
			b = b->next;
		} else if (l != &s->lazy_list && va == vl) {
			l = l->next;
		} else {
			snprintf(why, len,
				 "%s: occupied list has [+0x%lx, +0x%lx) where the busy and lazy trees have the next area elsewhere",
				 name, kva_offset(s, va->va_start),
				 kva_offset(s, va->va_end));
			return -EUCLEAN;
		}
		seen++;
	}
	if (seen != want || b != &s->busy_list || l != &s->lazy_list) {
		snprintf(why, len,
			 "%s: occupied list walks %lu areas, busy + lazy hold %lu",
			 name, seen, want);
		return -EUCLEAN;
	}
	return 0;
}
