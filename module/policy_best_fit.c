// SPDX-License-Identifier: GPL-2.0
/*
 * best-fit: the smallest free area the request fits in, the lowest address
 * among equals, placed at its lowest aligned start. This is vmem's
 * VM_BESTFIT (vmem_xalloc() scanning its size-class freelists for the
 * smallest segment) and the classic rule of Knuth's TAOCP 2.5, kept here in
 * a size-ordered red-black tree of free areas keyed by (size, start), so
 * that the smallest area of at least the request's size is one O(log n)
 * descent away. With an alignment above a page the first such area may
 * still not fit; the search then moves to the next larger area in order, so
 * it is O(log n + k) for the k areas that alignment makes miss.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/rbtree.h>

#include <kvalab/policy.h>

struct best_fit_state {
	struct rb_root by_size;
	unsigned long nr;
};

static struct kva_area *by_size_entry(struct rb_node *n)
{
	return rb_entry(n, struct kva_area, pidx.rb);
}

/* (size, start) order: does @a sort before @b? */
static bool size_less(const struct kva_area *a, const struct kva_area *b)
{
	return kva_size(a) < kva_size(b) ||
	       (kva_size(a) == kva_size(b) && a->va_start < b->va_start);
}

static void best_fit_add(struct kva_space *s, struct kva_area *va)
{
	struct best_fit_state *st = KVA_PSTATE(s, struct best_fit_state);
	struct rb_node **link = &st->by_size.rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = size_less(va, by_size_entry(parent)) ?
		       &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(&va->pidx.rb, parent, link);
	rb_insert_color(&va->pidx.rb, &st->by_size);
	st->nr++;
}

static void best_fit_del(struct kva_space *s, struct kva_area *va)
{
	struct best_fit_state *st = KVA_PSTATE(s, struct best_fit_state);

	rb_erase(&va->pidx.rb, &st->by_size);
	st->nr--;
}

static struct kva_area *best_fit_find(struct kva_space *s, unsigned long size,
				      unsigned long align,
				      unsigned long *nva_start)
{
	struct best_fit_state *st = KVA_PSTATE(s, struct best_fit_state);
	struct rb_node *n = st->by_size.rb_node, *lb = NULL;
	unsigned long steps = 0;

	/* The first area, in (size, start) order, of at least @size bytes. */
	while (n) {
		steps++;
		if (kva_size(by_size_entry(n)) >= size) {
			kva_ex_note(s, KVA_EX_SNODE, KVA_GO_LEFT,
				    by_size_entry(n), 0, 0, 0);
			lb = n;
			n = n->rb_left;
		} else {
			kva_ex_note(s, KVA_EX_SNODE, KVA_GO_RIGHT,
				    by_size_entry(n), 0, 0, 0);
			n = n->rb_right;
		}
	}
	for (n = lb; n; n = rb_next(n)) {
		bool fits;

		steps++;
		fits = kva_fits_at(by_size_entry(n), size, align, s->start,
				   nva_start);
		kva_ex_note(s, KVA_EX_CAND, fits ? KVA_GO_THIS : KVA_GO_NEXT,
			    by_size_entry(n), 0, 0, 0);
		if (fits)
			break;
	}
	s->fstats.search_steps += steps;
	return n ? by_size_entry(n) : NULL;
}

static void best_fit_attach(struct kva_space *s)
{
	struct kva_area *va;

	list_for_each_entry(va, &s->free_list, list)
		best_fit_add(s, va);
}

static int best_fit_check(struct kva_space *s, char *why, size_t len)
{
	struct best_fit_state *st = KVA_PSTATE(s, struct best_fit_state);
	struct kva_area *prev = NULL;
	unsigned long count = 0;
	struct rb_node *n;

	for (n = rb_first(&st->by_size); n && count <= s->nr_free;
	     n = rb_next(n)) {
		struct kva_area *va = by_size_entry(n);

		if (kva_free_find(s, va->va_start) != va) {
			snprintf(why, len,
				 "best-fit: size tree holds [+0x%lx, +0x%lx), which is not a free area",
				 kva_offset(s, va->va_start), kva_offset(s, va->va_end));
			return -EUCLEAN;
		}
		if (prev && !size_less(prev, va)) {
			snprintf(why, len,
				 "best-fit: size tree out of order at [+0x%lx, +0x%lx)",
				 kva_offset(s, va->va_start), kva_offset(s, va->va_end));
			return -EUCLEAN;
		}
		prev = va;
		count++;
	}
	if (count != s->nr_free || st->nr != s->nr_free) {
		snprintf(why, len,
			 "best-fit: size tree holds %lu areas (counter %lu), the free tree %lu",
			 count, st->nr, s->nr_free);
		return -EUCLEAN;
	}
	return 0;
}

const struct kva_policy kva_policy_best_fit = {
	.id = KVA_POLICY_BEST_FIT,
	.find = best_fit_find,
	.attach = best_fit_attach,
	.free_add = best_fit_add,
	.free_del = best_fit_del,
	.check = best_fit_check,
};
