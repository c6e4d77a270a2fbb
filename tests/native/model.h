/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reference model of the allocator core, and the driver that runs one
 * operation on both and compares them. Shared by test_random.c and
 * fuzz_core.c.
 *
 * The model is the slice as an array of page states. Its lowest fit is a
 * scan over aligned candidate addresses in 128-bit arithmetic (so nothing
 * wraps), skipping past each used page it meets: slow and obviously right.
 * It decides every address, fit type and merge kind the core must report.
 *
 * Every area object the core gives back is free()d at once, so that ASan
 * catches the core touching an object it no longer owns; the driver counts
 * the objects it holds to catch the core dropping one.
 */
#ifndef _KVALAB_MODEL_H
#define _KVALAB_MODEL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/align.h>
#include <kvalab/core.h>
#include <kvalab/policies.h>

/* Wide enough that no address computation of the model can wrap. */
#define u128 unsigned __int128

enum page_state { PG_FREE, PG_BUSY, PG_LAZY };

struct model {
	unsigned long base;		/* slice start */
	unsigned long nr_pages;
	unsigned char *state;		/* enum page_state per page */
	/* Pages of the occupied area starting at each page, else 0. */
	unsigned long *alen;

	/*
	 * The placement policy and the model's own copy of its search state,
	 * kept from the policy's definition (docs/policies.md), not from its
	 * code's data structures: page indexes instead of area objects.
	 */
	enum kva_policy_id policy;
	unsigned long rotor;		/* next-fit: page after the last alloc */
	long cache;			/* cached-hole: first page, or -1 */
	unsigned long chs;		/* cached_hole_size, bytes */
	unsigned long cvstart;		/* cached_vstart */
	unsigned long calign;		/* cached_align */
};

/* Expected effect of a free on the free-space statistics. */
enum merge_kind { MERGE_NONE, MERGE_PREV, MERGE_NEXT, MERGE_BOTH };

/* Page index of the lowest aligned fit at or above page @from, or -1. */
static long model_fit_from(const struct model *m, unsigned long pages,
			   unsigned long align, unsigned long from)
{
	u128 base = m->base;
	u128 end = base + (u128)m->nr_pages * PAGE_SIZE;
	u128 addr = (base + (u128)from * PAGE_SIZE + align - 1) / align * align;

	while (addr + (u128)pages * PAGE_SIZE <= end) {
		unsigned long p = (unsigned long)((addr - base) / PAGE_SIZE);
		unsigned long i = 0;
		u128 used_end;

		while (i < pages && m->state[p + i] == PG_FREE)
			i++;
		if (i == pages)
			return (long)p;

		/* Page p + i is used: the next candidate starts above it. */
		used_end = base + (u128)(p + i + 1) * PAGE_SIZE;
		addr = (used_end + align - 1) / align * align;
	}

	return -1;
}

/* Page index of the lowest aligned fit for @pages pages, or -1. */
static long model_lowest_fit(const struct model *m, unsigned long pages,
			     unsigned long align)
{
	return model_fit_from(m, pages, align, 0);
}

/*
 * The free runs, one at a time: from page *@p, the next maximal run of free
 * pages [*@start, *@start + *@len); false when there is none.
 */
static bool model_next_run(const struct model *m, unsigned long *p,
			   unsigned long *start, unsigned long *len)
{
	while (*p < m->nr_pages && m->state[*p] != PG_FREE)
		(*p)++;
	if (*p >= m->nr_pages)
		return false;
	*start = *p;
	while (*p < m->nr_pages && m->state[*p] == PG_FREE)
		(*p)++;
	*len = *p - *start;
	return true;
}

/* First page of the run [start, start + len) where @pages fit aligned, or -1. */
static long model_run_fit(const struct model *m, unsigned long start,
			  unsigned long len, unsigned long pages,
			  unsigned long align)
{
	u128 a = m->base + (u128)start * PAGE_SIZE;
	u128 end = a + (u128)len * PAGE_SIZE;

	a = (a + align - 1) / align * align;
	if (a + (u128)pages * PAGE_SIZE > end)
		return -1;
	return (long)((a - m->base) / PAGE_SIZE);
}

/* best-fit: the smallest run that fits, lowest among equals. */
static long model_best_fit(const struct model *m, unsigned long pages,
			   unsigned long align)
{
	unsigned long p = 0, start, len, best_len = 0;
	long best = -1;

	while (model_next_run(m, &p, &start, &len)) {
		long at = model_run_fit(m, start, len, pages, align);

		if (at >= 0 && (best < 0 || len < best_len)) {
			best = at;
			best_len = len;
		}
	}
	return best;
}

static unsigned int model_class(unsigned long pages)
{
	unsigned int k = 0;

	while (pages >>= 1)
		k++;
	return k;
}

/*
 * instant-fit's rule, checked rather than computed (the order within a
 * class is the lists' history): with g = ceil(log2(pages + align pages -
 * 1)), if a run of class >= g exists the chosen run must be of the lowest
 * such class; otherwise of the lowest class holding any run that fits;
 * otherwise -ENOMEM. The start is the run's lowest aligned page. @got is
 * the page the core chose, or -1. Returns NULL or what is wrong.
 */
static const char *model_instant_fit_check(const struct model *m,
					   unsigned long pages,
					   unsigned long align, long got)
{
	unsigned long ap = align / PAGE_SIZE, need = pages + ap - 1;
	unsigned long p = 0, start, len;
	unsigned int g = 0, want_class = ~0U, got_class = ~0U;
	bool guaranteed = false, got_ok = false;

	if (need < pages)
		g = 64;
	else
		while ((1UL << g) < need && g < 63)
			g++;
	if (need > (1UL << 63))
		g = 64;

	while (model_next_run(m, &p, &start, &len)) {
		unsigned int k = model_class(len);
		long at = model_run_fit(m, start, len, pages, align);

		if (got >= 0 && (unsigned long)got >= start &&
		    (unsigned long)got < start + len) {
			got_class = k;
			got_ok = at == got;
		}
		if (k >= g) {
			if (!guaranteed || k < want_class)
				want_class = k;
			guaranteed = true;
		} else if (!guaranteed && at >= 0 && k < want_class) {
			want_class = k;
		}
	}
	if (want_class == ~0U)
		return got < 0 ? NULL : "allocated although no free area fits";
	if (got < 0)
		return "ENOMEM although a free area fits";
	if (!got_ok)
		return "not at the lowest aligned start of a free area that fits";
	if (got_class != want_class)
		return guaranteed ? "not from the lowest non-empty guaranteed class" :
				    "not from the lowest class with an area that fits";
	return NULL;
}

/* The occupied area holding page @q (not free): its first page. */
static unsigned long model_area_head(const struct model *m, unsigned long q)
{
	while (!m->alen[q])
		q--;
	return q;
}

/*
 * cached-hole: 5.1's alloc_vmap_area() search over the page array, in the
 * kernel's own unsigned long arithmetic (its wrap-arounds are part of the
 * rule). Occupied areas are found by scanning pages; returns a page or -1.
 */
static long model_cached_hole(struct model *m, unsigned long pages,
			      unsigned long align)
{
	unsigned long size = pages * PAGE_SIZE, vstart = m->base;
	unsigned long vend = m->base + m->nr_pages * PAGE_SIZE, addr;
	unsigned long q = 0, fstart, fend;
	bool have_first = false;

	if (m->cache < 0 || size < m->chs || vstart < m->cvstart ||
	    align < m->calign) {
nocache:
		m->chs = 0;
		m->cache = -1;
	}
	m->cvstart = vstart;
	m->calign = align;

	if (m->cache >= 0) {
		q = m->cache;
		fstart = m->base + q * PAGE_SIZE;
		fend = fstart + m->alen[q] * PAGE_SIZE;
		addr = ALIGN(fend, align);
		if (addr < vstart)
			goto nocache;
		if (addr + size < addr)
			return -1;
		have_first = true;
	} else {
		addr = ALIGN(vstart, align);
		if (addr + size < addr)
			return -1;
		for (q = 0; q < m->nr_pages; q++) {
			if (!m->alen[q])
				continue;
			fstart = m->base + q * PAGE_SIZE;
			fend = fstart + m->alen[q] * PAGE_SIZE;
			if (fend >= addr) {
				have_first = true;
				break;
			}
		}
	}

	while (have_first && addr + size > fstart && addr + size <= vend) {
		if (addr + m->chs < fstart)
			m->chs = fstart - addr;
		addr = ALIGN(fend, align);
		if (addr + size < addr)
			return -1;
		/* The next occupied area above this one, if any. */
		for (q += m->alen[q]; q < m->nr_pages && !m->alen[q]; q++)
			;
		if (q >= m->nr_pages)
			break;
		fstart = m->base + q * PAGE_SIZE;
		fend = fstart + m->alen[q] * PAGE_SIZE;
	}

	if (addr + size > vend || addr < vstart)
		return -1;
	return (long)((addr - m->base) / PAGE_SIZE);
}

/* The model's placement under its policy (not instant-fit), or -1. */
static long model_place(struct model *m, unsigned long pages,
			unsigned long align)
{
	long at;

	switch (m->policy) {
	case KVA_POLICY_NEXT_FIT:
		at = model_fit_from(m, pages, align, m->rotor);
		return at >= 0 ? at : model_lowest_fit(m, pages, align);
	case KVA_POLICY_BEST_FIT:
		return model_best_fit(m, pages, align);
	case KVA_POLICY_CACHED_HOLE:
		return model_cached_hole(m, pages, align);
	default:	/* lowest, vmlist: the lowest aligned fit */
		return model_lowest_fit(m, pages, align);
	}
}

/* An area was placed at [p, p + pages): the policies' state follows. */
static void model_placed(struct model *m, unsigned long p, unsigned long pages)
{
	m->alen[p] = pages;
	m->rotor = p + pages;
	if (m->policy == KVA_POLICY_CACHED_HOLE)
		m->cache = (long)p;
}

/* 5.1's __free_vmap_area() on the model's cache, then forget the area. */
static void model_released(struct model *m, unsigned long p)
{
	unsigned long end = m->base + (p + m->alen[p]) * PAGE_SIZE;

	if (m->policy == KVA_POLICY_CACHED_HOLE && m->cache >= 0) {
		if (end < m->cvstart) {
			m->cache = -1;
		} else if (p <= (unsigned long)m->cache) {
			unsigned long q;

			/* The occupied area just below, if any. */
			for (q = p; q > 0 && m->state[q - 1] == PG_FREE; q--)
				;
			m->cache = q ? (long)model_area_head(m, q - 1) : -1;
		}
	}
	m->alen[p] = 0;
}

/* A policy switch: the new policy starts from its empty state. */
static void model_set_policy(struct model *m, enum kva_policy_id id)
{
	m->policy = id;
	m->rotor = 0;
	m->cache = -1;
	m->chs = 0;
	m->cvstart = 0;
	m->calign = 0;
}

/* Fit type of taking [p, p + pages) out of the free run that holds it. */
static enum kva_fit_type model_fit_type(const struct model *m, unsigned long p,
					unsigned long pages)
{
	bool free_below = p > 0 && m->state[p - 1] == PG_FREE;
	bool free_above = p + pages < m->nr_pages &&
			  m->state[p + pages] == PG_FREE;

	if (free_below && free_above)
		return KVA_NE_FIT;
	if (free_below)
		return KVA_RE_FIT;
	if (free_above)
		return KVA_LE_FIT;
	return KVA_FL_FIT;
}

/* Merge kind of giving [p, p + pages) back. */
static enum merge_kind model_merge_kind(const struct model *m, unsigned long p,
					unsigned long pages)
{
	bool free_below = p > 0 && m->state[p - 1] == PG_FREE;
	bool free_above = p + pages < m->nr_pages &&
			  m->state[p + pages] == PG_FREE;

	if (free_below && free_above)
		return MERGE_BOTH;
	if (free_below)
		return MERGE_PREV;
	if (free_above)
		return MERGE_NEXT;
	return MERGE_NONE;
}

static void model_set(struct model *m, unsigned long p, unsigned long pages,
		      enum page_state st)
{
	memset(m->state + p, st, pages);
}

/* Number of maximal runs of free pages: what nr_free must be. */
static unsigned long model_free_runs(const struct model *m)
{
	unsigned long p, runs = 0;

	for (p = 0; p < m->nr_pages; p++)
		if (m->state[p] == PG_FREE &&
		    (p == 0 || m->state[p - 1] != PG_FREE))
			runs++;
	return runs;
}

/*
 * The driver: the core's space, the model, and the busy areas the test
 * owns, plus the preload and counters of what happened.
 */
struct harness {
	struct kva_space s;
	struct model m;
	struct kva_area **live;		/* busy areas, in no order */
	unsigned long nr_live;
	struct kva_area *preload;
	unsigned long objects;		/* area objects held by core + test */
	unsigned long nr_lazy_areas;
	unsigned long warnings_at_start;

	unsigned long allocs, enomem, frees, lazies, purges, probes, switches;
	unsigned long fits[KVA_NR_FIT];
	unsigned long merges[4];
	char why[512];
};

static __printf(2, 3) bool h_fail(struct harness *h, const char *fmt, ...);

static bool h_fail(struct harness *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->why, sizeof(h->why), fmt, ap);
	va_end(ap);
	return false;
}

static struct kva_area *h_new_area(struct harness *h)
{
	struct kva_area *va = calloc(1, sizeof(*va));

	if (!va) {
		perror("calloc");
		exit(2);
	}
	h->objects++;
	return va;
}

static void h_release(struct harness *h, struct list_head *unused)
{
	struct kva_area *va, *n;

	list_for_each_entry_safe(va, n, unused, list) {
		list_del(&va->list);
		free(va);
		h->objects--;
	}
}

static unsigned long h_page(const struct harness *h, unsigned long addr)
{
	return (addr - h->m.base) / PAGE_SIZE;
}

/* Set up a slice of @nr_pages pages at @base; false if the core refused. */
static bool h_init(struct harness *h, unsigned long base,
		   unsigned long nr_pages)
{
	memset(h, 0, sizeof(*h));
	h->m.base = base;
	h->m.nr_pages = nr_pages;
	h->m.state = calloc(nr_pages, 1);
	h->m.alen = calloc(nr_pages, sizeof(*h->m.alen));
	model_set_policy(&h->m, KVA_POLICY_LOWEST);
	h->live = calloc(nr_pages, sizeof(*h->live));
	if (!h->m.state || !h->m.alen || !h->live) {
		perror("calloc");
		exit(2);
	}
	h->warnings_at_start = kvalab_shim_warnings;
	if (kva_space_init(&h->s, base, base + nr_pages * PAGE_SIZE,
			   h_new_area(h)))
		return h_fail(h, "kva_space_init(0x%lx, %lu pages) failed",
			      base, nr_pages);
	return true;
}

static void h_destroy(struct harness *h)
{
	struct list_head *heads[] = {
		&h->s.free_list, &h->s.busy_list, &h->s.lazy_list,
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct kva_area *va, *n;

		list_for_each_entry_safe(va, n, heads[i], list)
			free(va);
	}
	free(h->preload);
	free(h->live);
	free(h->m.state);
	free(h->m.alen);
}

/* Switch both the core and the model to policy @id. */
static bool h_set_policy(struct harness *h, enum kva_policy_id id)
{
	char why[256];
	int ret = kva_set_policy(&h->s, id);

	if (ret || kva_policy_id(&h->s) != id)
		return h_fail(h, "kva_set_policy(%s) returned %d", kva_policy_names[id], ret);
	model_set_policy(&h->m, id);
	/* The new index is built from the live space: check it at once. */
	if (kva_check(&h->s, why, sizeof(why)))
		return h_fail(h, "after switching to %s: %s", kva_policy_names[id], why);
	return true;
}

/* Allocate @pages pages aligned to @align in both; compare the outcome. */
static bool h_alloc(struct harness *h, unsigned long pages,
		    unsigned long align)
{
	bool instant = h->m.policy == KVA_POLICY_INSTANT_FIT;
	long want = instant ? 0 : model_place(&h->m, pages, align);
	const char *pol = kva_policy_names[h->m.policy];
	struct kva_area *va = h_new_area(h);
	enum kva_fit_type fit, want_fit;
	LIST_HEAD(unused);
	int ret;

	if (!h->preload)
		h->preload = h_new_area(h);

	ret = kva_alloc(&h->s, va, pages * PAGE_SIZE, align, &h->preload,
			&unused, &fit);
	h_release(h, &unused);

	if (instant) {
		long got = ret ? -1 : (long)h_page(h, va->va_start);
		const char *bad;

		if (ret && ret != -ENOMEM)
			return h_fail(h, "%s: alloc %lu pages align 0x%lx: got %d",
				      pol, pages, align, ret);
		bad = model_instant_fit_check(&h->m, pages, align, got);
		if (bad)
			return h_fail(h, "%s: alloc %lu pages align 0x%lx at page %ld: %s",
				      pol, pages, align, got, bad);
		want = got;
	}

	if (want < 0) {
		unsigned long got = ret ? 0 : va->va_start;

		free(va);
		h->objects--;
		if (ret != -ENOMEM)
			return h_fail(h, "%s: alloc %lu pages align 0x%lx: got %d at 0x%lx, model has no fit",
				      pol, pages, align, ret, got);
		h->enomem++;
		return true;
	}

	if (ret)
		return h_fail(h, "%s: alloc %lu pages align 0x%lx: got %d, model fits at 0x%lx",
			      pol, pages, align, ret,
			      h->m.base + want * PAGE_SIZE);
	if (va->va_start != h->m.base + want * PAGE_SIZE ||
	    kva_size(va) != pages * PAGE_SIZE)
		return h_fail(h, "%s: alloc %lu pages align 0x%lx: got 0x%lx-0x%lx, model 0x%lx",
			      pol, pages, align, va->va_start, va->va_end,
			      h->m.base + want * PAGE_SIZE);

	want_fit = model_fit_type(&h->m, want, pages);
	if (fit != want_fit)
		return h_fail(h, "alloc at 0x%lx: fit type %d, model %d",
			      va->va_start, fit, want_fit);

	kva_busy_insert(&h->s, va);
	model_set(&h->m, want, pages, PG_BUSY);
	model_placed(&h->m, want, pages);
	h->live[h->nr_live++] = va;
	h->allocs++;
	h->fits[fit]++;
	return true;
}

/* Take live area @i off the busy tree and out of the live array. */
static struct kva_area *h_take_live(struct harness *h, unsigned long i)
{
	struct kva_area *va = h->live[i];

	h->live[i] = h->live[--h->nr_live];
	kva_busy_unlink(&h->s, va);
	return va;
}

/* Give @va back to the free tree; compare the merge kind with the model. */
static bool h_free_insert(struct harness *h, struct kva_area *va)
{
	unsigned long p = h_page(h, va->va_start);
	unsigned long pages = kva_size(va) / PAGE_SIZE;
	struct kva_free_stats before = h->s.fstats;
	enum merge_kind want = model_merge_kind(&h->m, p, pages);
	unsigned long got[4];
	unsigned long start = va->va_start, end = va->va_end;
	struct kva_area *merged;
	LIST_HEAD(unused);
	int i, n = 0;

	merged = kva_free_insert(&h->s, va, &unused);
	if (!merged)
		return h_fail(h, "free 0x%lx-0x%lx refused", start, end);
	if (merged->va_start > start || merged->va_end < end)
		return h_fail(h, "free 0x%lx-0x%lx returned 0x%lx-0x%lx",
			      start, end, merged->va_start, merged->va_end);

	got[MERGE_NONE] = h->s.fstats.inserts - before.inserts;
	got[MERGE_PREV] = h->s.fstats.merge_prev - before.merge_prev;
	got[MERGE_NEXT] = h->s.fstats.merge_next - before.merge_next;
	got[MERGE_BOTH] = h->s.fstats.merge_both - before.merge_both;
	for (i = 0; i < 4; i++)
		n += got[i];
	if (n != 1 || got[want] != 1)
		return h_fail(h, "free 0x%lx-0x%lx: merge counters moved %lu/%lu/%lu/%lu, model kind %d",
			      start, end, got[0], got[1], got[2], got[3], want);

	/* Objects merged away: the freed one, and Next too when bridging. */
	n = 0;
	{
		struct kva_area *u;

		list_for_each_entry(u, &unused, list)
			n++;
	}
	if (n != (want == MERGE_NONE ? 0 : want == MERGE_BOTH ? 2 : 1))
		return h_fail(h, "free 0x%lx-0x%lx: %d objects handed back for merge kind %d",
			      start, end, n, want);
	h_release(h, &unused);

	model_released(&h->m, p);
	model_set(&h->m, p, pages, PG_FREE);
	h->merges[want]++;
	return true;
}

static bool h_free(struct harness *h, unsigned long i)
{
	h->frees++;
	return h_free_insert(h, h_take_live(h, i));
}

/* Free live area @i lazily: busy -> lazy, as an unmap-then-defer does. */
static bool h_lazy(struct harness *h, unsigned long i)
{
	struct kva_area *va = h_take_live(h, i);

	kva_lazy_insert(&h->s, va);
	model_set(&h->m, h_page(h, va->va_start), kva_size(va) / PAGE_SIZE,
		  PG_LAZY);
	h->nr_lazy_areas++;
	h->lazies++;
	return true;
}

/* The purge: take the lazy tree, check its range, free each in order. */
static bool h_purge(struct harness *h)
{
	unsigned long lo = 0, hi = 0, start, end, nr, p, seen = 0;
	unsigned long prev_end = 0;
	struct kva_area *va, *n;
	LIST_HEAD(out);

	for (p = 0; p < h->m.nr_pages; p++) {
		if (h->m.state[p] != PG_LAZY)
			continue;
		if (!hi)
			lo = h->m.base + p * PAGE_SIZE;
		hi = h->m.base + (p + 1) * PAGE_SIZE;
	}

	nr = kva_lazy_take(&h->s, &out, &start, &end);
	if (nr != h->nr_lazy_areas || start != lo || end != hi)
		return h_fail(h, "lazy take: %lu areas 0x%lx-0x%lx, model %lu areas 0x%lx-0x%lx",
			      nr, start, end, h->nr_lazy_areas, lo, hi);
	if (kva_lazy_find(&h->s, lo) || h->s.nr_lazy || h->s.lazy_bytes)
		return h_fail(h, "lazy tree not empty after take");

	list_for_each_entry_safe(va, n, &out, list) {
		if (va->va_start < prev_end)
			return h_fail(h, "lazy take list out of order at 0x%lx",
				      va->va_start);
		prev_end = va->va_end;
		list_del(&va->list);
		if (!h_free_insert(h, va))
			return false;
		seen++;
	}
	if (seen != nr)
		return h_fail(h, "lazy take returned %lu, listed %lu", nr, seen);

	h->nr_lazy_areas = 0;
	h->purges++;
	return true;
}

/* Look @addr up in the three trees; exactly the model's one must hold it. */
static bool h_probe(struct harness *h, unsigned long addr)
{
	struct kva_area *fb = kva_busy_find(&h->s, addr);
	struct kva_area *ff = kva_free_find(&h->s, addr);
	struct kva_area *fl = kva_lazy_find(&h->s, addr);
	int st = -1;

	h->probes++;
	if (addr >= h->m.base && addr - h->m.base < h->m.nr_pages * PAGE_SIZE) {
		unsigned long p = h_page(h, addr);

		st = h->m.state[p];
	}

	if (!!fb != (st == PG_BUSY) || !!ff != (st == PG_FREE) ||
	    !!fl != (st == PG_LAZY))
		return h_fail(h, "lookup 0x%lx: busy %p free %p lazy %p, model state %d",
			      addr, (void *)fb, (void *)ff, (void *)fl, st);

	fb = fb ? fb : ff ? ff : fl;
	if (fb && (addr < fb->va_start || addr >= fb->va_end))
		return h_fail(h, "lookup 0x%lx returned 0x%lx-0x%lx",
			      addr, fb->va_start, fb->va_end);
	return true;
}

/*
 * Full comparison: kva_check(), every page's state, the counters against
 * the model, the fit/merge counters against their identity, and the count
 * of area objects against what the trees and the preload hold.
 */
static bool h_compare(struct harness *h)
{
	struct list_head *heads[] = {
		&h->s.free_list, &h->s.busy_list, &h->s.lazy_list,
	};
	static const unsigned char states[] = { PG_FREE, PG_BUSY, PG_LAZY };
	const struct kva_free_stats *fs = &h->s.fstats;
	unsigned long model_bytes[3] = { 0, 0, 0 };
	unsigned long nr_free, p;
	char why[256];
	unsigned int i;

	if (kva_check(&h->s, why, sizeof(why)))
		return h_fail(h, "kva_check: %s", why);

	for (i = 0; i < 3; i++) {
		struct kva_area *va;

		list_for_each_entry(va, heads[i], list) {
			for (p = h_page(h, va->va_start);
			     p < h_page(h, va->va_end); p++)
				if (h->m.state[p] != states[i])
					return h_fail(h, "page 0x%lx: core state %d, model %d",
						      h->m.base + p * PAGE_SIZE,
						      states[i], h->m.state[p]);
		}
	}

	for (p = 0; p < h->m.nr_pages; p++)
		model_bytes[h->m.state[p]] += PAGE_SIZE;
	nr_free = model_free_runs(&h->m);
	if (h->s.nr_free != nr_free || h->s.free_bytes != model_bytes[PG_FREE] ||
	    h->s.nr_busy != h->nr_live || h->s.busy_bytes != model_bytes[PG_BUSY] ||
	    h->s.nr_lazy != h->nr_lazy_areas ||
	    h->s.lazy_bytes != model_bytes[PG_LAZY])
		return h_fail(h, "counters free %lu/0x%lx busy %lu/0x%lx lazy %lu/0x%lx, model %lu/0x%lx %lu/0x%lx %lu/0x%lx",
			      h->s.nr_free, h->s.free_bytes,
			      h->s.nr_busy, h->s.busy_bytes,
			      h->s.nr_lazy, h->s.lazy_bytes,
			      nr_free, model_bytes[PG_FREE],
			      h->nr_live, model_bytes[PG_BUSY],
			      h->nr_lazy_areas, model_bytes[PG_LAZY]);

	for (i = 1; i < KVA_NR_FIT; i++)
		if (fs->fit[i] != h->fits[i])
			return h_fail(h, "fit[%u] = %lu, driver counted %lu",
				      i, fs->fit[i], h->fits[i]);
	if (fs->fit[KVA_NOTHING_FIT] != h->enomem)
		return h_fail(h, "fit[NOTHING] = %lu, driver saw %lu ENOMEM",
			      fs->fit[KVA_NOTHING_FIT], h->enomem);
	/* Each split adds a free area, each full fit and bridge removes one. */
	if (h->s.nr_free != 1 + fs->fit[KVA_NE_FIT] - fs->fit[KVA_FL_FIT] +
			    fs->inserts - fs->merge_both)
		return h_fail(h, "nr_free %lu does not follow from the fit/merge counters",
			      h->s.nr_free);

	if (h->objects != h->s.nr_free + h->s.nr_busy + h->s.nr_lazy +
			  (h->preload ? 1 : 0))
		return h_fail(h, "%lu area objects held, trees+preload account for %lu",
			      h->objects, h->s.nr_free + h->s.nr_busy +
			      h->s.nr_lazy + (h->preload ? 1 : 0));

	if (kvalab_shim_warnings != h->warnings_at_start)
		return h_fail(h, "the core warned %lu times",
			      kvalab_shim_warnings - h->warnings_at_start);
	return true;
}

#endif /* _KVALAB_MODEL_H */
