// SPDX-License-Identifier: GPL-2.0
/*
 * instant-fit: vmem's VM_INSTANTFIT (Bonwick and Adams, "Magazines and
 * Vmem", USENIX 2001, section 4.4; illumos vmem_alloc()): free areas sit on
 * power-of-two size-class lists, and a bitmap says which lists are
 * non-empty. Class k holds the free areas of [2^k, 2^(k+1)) pages. A
 * request of n pages (guard included) aligned to a pages needs at most
 * m = n + a - 1 pages of any area it lands in; every area of class
 * ceil(log2(m)) or above is guaranteed to fit it, so the allocation takes
 * the first area of the lowest non-empty such class, found with one find-
 * first-set on the bitmap: constant time whatever the number of areas.
 *
 * Order within a list: most recently added first (vmem's freelist insert),
 * and an area whose size changes (clipped or merged) is re-added, so it
 * moves to the front of its new class. The place in the area is its lowest
 * aligned start.
 *
 * When no class is guaranteed to fit, vmem_alloc() falls back to
 * vmem_xalloc(), which tries the areas of the classes that may fit in list
 * order, from the class holding n up: kvalab does the same, so -ENOMEM
 * means that no free area fits at all. Instant fit trades fragmentation for
 * speed: a hole smaller than the guaranteed class stays unused while a
 * larger area is split.
 */
#include <linux/errno.h>
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>

#include <kvalab/policy.h>
#include <kvalab/policy_state.h>

static unsigned int area_class(const struct kva_area *va)
{
	return ilog2(kva_size(va) >> PAGE_SHIFT);
}

static void instant_fit_add(struct kva_space *s, struct kva_area *va)
{
	struct instant_fit_state *st = KVA_PSTATE(s, struct instant_fit_state);
	unsigned int k = area_class(va);

	list_add(&va->pidx.list, &st->lists[k]);
	st->map |= BIT(k);
}

static void instant_fit_del(struct kva_space *s, struct kva_area *va)
{
	struct instant_fit_state *st = KVA_PSTATE(s, struct instant_fit_state);
	unsigned int k = area_class(va);

	list_del(&va->pidx.list);
	if (list_empty(&st->lists[k]))
		st->map &= ~BIT(k);
}

/* Bits of @map at @k and above; 0 when @k is past the last class. */
static unsigned long classes_from(unsigned long map, unsigned int k)
{
	return k < KVA_IF_CLASSES ? map & (~0UL << k) : 0;
}

static struct kva_area *instant_fit_find(struct kva_space *s,
					 unsigned long size,
					 unsigned long align,
					 unsigned long *nva_start)
{
	struct instant_fit_state *st = KVA_PSTATE(s, struct instant_fit_state);
	unsigned long n = size >> PAGE_SHIFT, a = align >> PAGE_SHIFT;
	unsigned long m = n + a - 1, cand;
	unsigned int k, guaranteed;
	struct kva_area *va;

	/*
	 * ceil(log2(m)); a request whose m overflows cannot be guaranteed by
	 * any class.
	 */
	if (m < n)
		guaranteed = KVA_IF_CLASSES;
	else
		guaranteed = m > 1 ? ilog2(m - 1) + 1 : 0;
	cand = classes_from(st->map, guaranteed);
	if (cand) {
		s->fstats.search_steps++;
		va = list_first_entry(&st->lists[__ffs(cand)], struct kva_area,
				      pidx.list);
		kva_ex_note(s, KVA_EX_CLASS, KVA_GO_THIS, va, __ffs(cand),
			    guaranteed, 0);
		if (kva_fits_at(va, size, align, s->start, nva_start))
			return va;
		/* Guaranteed by the class bounds: a broken index. */
		WARN_ON(1);
		return NULL;
	}

	/* vmem_xalloc()'s first fit over the classes that may fit. */
	for (k = ilog2(n); k < guaranteed && k < KVA_IF_CLASSES; k++) {
		if (!(st->map & BIT(k))) {
			kva_ex_note(s, KVA_EX_CLASS, KVA_GO_NEXT, NULL, k,
				    guaranteed, 0);
			continue;
		}
		kva_ex_note(s, KVA_EX_CLASS, KVA_GO_SKIP, NULL, k, guaranteed,
			    0);
		list_for_each_entry(va, &st->lists[k], pidx.list) {
			bool fits;

			s->fstats.search_steps++;
			fits = kva_fits_at(va, size, align, s->start,
					   nva_start);
			kva_ex_note(s, KVA_EX_CAND,
				    fits ? KVA_GO_THIS : KVA_GO_NEXT, va, 0, 0,
				    0);
			if (fits)
				return va;
		}
	}
	return NULL;
}

static void instant_fit_attach(struct kva_space *s)
{
	struct instant_fit_state *st = KVA_PSTATE(s, struct instant_fit_state);
	struct kva_area *va;
	unsigned int k;

	/* Every head valid, so that no corruption of map can reach a NULL. */
	for (k = 0; k < KVA_IF_CLASSES; k++)
		INIT_LIST_HEAD(&st->lists[k]);

	/* In address order, so the lowest area of a class ends up last. */
	list_for_each_entry(va, &s->free_list, list)
		instant_fit_add(s, va);
}

static int instant_fit_check(struct kva_space *s, char *why, size_t len)
{
	struct instant_fit_state *st = KVA_PSTATE(s, struct instant_fit_state);
	unsigned long count = 0;
	unsigned int k;

	for (k = 0; k < KVA_IF_CLASSES; k++) {
		struct list_head *p;

		if (!(st->map & BIT(k)))
			continue;
		if (list_empty(&st->lists[k])) {
			snprintf(why, len, "instant-fit: class %u marked non-empty but empty", k);
			return -EUCLEAN;
		}
		for (p = st->lists[k].next; p != &st->lists[k] &&
		     count <= s->nr_free; p = p->next) {
			struct kva_area *va = list_entry(p, struct kva_area,
							 pidx.list);

			if (kva_free_find(s, va->va_start) != va ||
			    area_class(va) != k) {
				snprintf(why, len,
					 "instant-fit: class %u list holds [+0x%lx, +0x%lx), not a free area of that class",
					 k, kva_offset(s, va->va_start),
					 kva_offset(s, va->va_end));
				return -EUCLEAN;
			}
			count++;
		}
	}
	if (count != s->nr_free) {
		snprintf(why, len,
			 "instant-fit: class lists hold %lu areas, the free tree %lu",
			 count, s->nr_free);
		return -EUCLEAN;
	}
	return 0;
}

const struct kva_policy kva_policy_instant_fit = {
	.id = KVA_POLICY_INSTANT_FIT,
	.find = instant_fit_find,
	.attach = instant_fit_attach,
	.free_add = instant_fit_add,
	.free_del = instant_fit_del,
	.check = instant_fit_check,
};
