// SPDX-License-Identifier: GPL-2.0
/*
 * The sim's space: module/area.c, purge.c and vapool.c's handling of a
 * kva_space, in userspace (sim_space.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/errno.h>
#include <kvalab/core.h>

#include "sim_space.h"

static void hist_add(struct sim_hist *h, unsigned long v)
{
	unsigned int b = v ? (unsigned int)(64 - __builtin_clzl(v)) : 0;

	h->count[b < SIM_LAT_BUCKETS ? b : SIM_LAT_BUCKETS - 1]++;
	h->n++;
	if (v > h->max)
		h->max = v;
}

/* module/latency.c kvalab_lat_percentile(): nearest rank, bucket's top. */
unsigned long sim_hist_pct(const struct sim_hist *h, unsigned int per_10000)
{
	unsigned long rank, seen = 0, upper;
	unsigned int b;

	if (!h->n)
		return 0;
	rank = (h->n * per_10000 + 9999) / 10000;
	if (!rank)
		rank = 1;
	for (b = 0; b < SIM_LAT_BUCKETS; b++) {
		seen += h->count[b];
		if (seen >= rank)
			break;
	}
	if (b >= SIM_LAT_BUCKETS - 1)
		return h->max;
	upper = b ? (1UL << b) - 1 : 0;
	return min(upper, h->max);
}

/*
 * Area objects come from arenas and go back to a LIFO free
 * list, as the module's per-CPU magazines and slab do: a freed object is
 * the next one handed out, still in cache. (malloc() and free() per area
 * were a tenth of a pair at 100k live.)
 */
#define SIM_ARENA_FIRST		64
#define SIM_ARENA_MAX		4096

/* Each arena twice the last, up to SIM_ARENA_MAX: small runs stay small. */
struct sim_arena {
	struct sim_arena *next;
	unsigned int cap;
	struct kva_area va[];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* A zeroed area object, as the module's kmem_cache_zalloc(). */
struct kva_area *sim_va_new(struct sim_space *sp)
{
	struct kva_area *va;

	if (!list_empty(&sp->spare)) {
		va = list_first_entry(&sp->spare, struct kva_area, list);
		list_del(&va->list);
	} else {
		if (!sp->arenas || sp->arena_used == sp->arenas->cap) {
			unsigned int cap = sp->arenas ? sp->arenas->cap * 2 :
					   SIM_ARENA_FIRST;
			struct sim_arena *a;

			if (cap > SIM_ARENA_MAX)
				cap = SIM_ARENA_MAX;
			a = malloc(sizeof(*a) + cap * sizeof(a->va[0]));
			if (!a) {
				fputs("kvalab: sim: out of memory\n", stderr);
				exit(1);
			}
			a->cap = cap;
			a->next = sp->arenas;
			sp->arenas = a;
			sp->arena_used = 0;
		}
		va = &sp->arenas->va[sp->arena_used++];
	}
	memset(va, 0, sizeof(*va));
	return va;
}

void sim_va_put(struct sim_space *sp, struct kva_area *va)
{
	list_add(&va->list, &sp->spare);
}

static void free_arenas(struct sim_space *sp)
{
	while (sp->arenas) {
		struct sim_arena *a = sp->arenas;

		sp->arenas = a->next;
		free(a);
	}
}

static void free_list(struct sim_space *sp, struct list_head *list)
{
	struct kva_area *va, *n;

	list_for_each_entry_safe(va, n, list, list) {
		list_del(&va->list);
		sim_va_put(sp, va);
	}
}

/* vapool.c kvalab_pool_purge() */
static void pool_purge(struct sim_space *sp, struct list_head *purged, bool all)
{
	unsigned long cap = sp->lazy_max << PAGE_SHIFT;
	struct kva_area *va, *next;
	LIST_HEAD(decayed);

	if (!sp->pools)
		return;
	kva_pool_take(&sp->s, &decayed, all);
	if (!all) {
		list_for_each_entry_safe(va, next, purged, list) {
			if (!kva_pool_fits(kva_size(va)) ||
			    sp->s.pooled_bytes + kva_size(va) > cap)
				continue;
			list_del_init(&va->list);
			kva_pool_insert(&sp->s, va);
		}
	}
	list_splice_tail(&decayed, purged);
}

/* purge.c merge_all() */
static void merge_all(struct sim_space *sp, struct list_head *list)
{
	struct kva_area *va, *next;
	LIST_HEAD(spares);

	list_for_each_entry_safe(va, next, list, list) {
		list_del(&va->list);
		kva_free_insert(&sp->s, va, &spares);
	}
	free_list(sp, &spares);
}

/* purge.c kvalab_purge_state_held() */
void sim_space_purge(struct sim_space *sp, bool all)
{
	unsigned long nr, pages = 0, start, end;
	struct kva_area *va;
	LIST_HEAD(list);
	uint64_t t0;

	nr = kva_lazy_take(&sp->s, &list, &start, &end);
	if (!nr) {
		if (all) {
			pool_purge(sp, &list, true);
			merge_all(sp, &list);
		}
		return;
	}
	t0 = now_ns();
	list_for_each_entry(va, &list, list)
		pages += kva_size(va) >> PAGE_SHIFT;
	pool_purge(sp, &list, all);
	merge_all(sp, &list);
	hist_add(&sp->pns, now_ns() - t0);
	hist_add(&sp->pareas, nr);
	hist_add(&sp->ppages, pages);
}

/* area.c reserve_va(): one full purge and one retry on ENOMEM. */
static int reserve(struct sim_space *sp, struct kva_area *va, unsigned long size,
		   unsigned long align, bool retry)
{
	bool purged = !retry;
	LIST_HEAD(unused);
	int err;

	for (;;) {
		if (!sp->preload)
			sp->preload = sim_va_new(sp);
		err = kva_alloc(&sp->s, va, size, align, &sp->preload, &unused,
				NULL);
		if (err != -ENOMEM || purged)
			break;
		sim_space_purge(sp, true);
		purged = true;
	}
	free_list(sp, &unused);
	return err;
}

/* area.c retire_va() */
void sim_space_free(struct sim_space *sp, struct kva_area *va)
{
	kva_busy_unlink(&sp->s, va);
	kva_lazy_insert(&sp->s, va);
	if (sp->s.lazy_bytes >> PAGE_SHIFT > sp->lazy_max)
		sim_space_purge(sp, false);
}


/* area.c new_area(), from the pool lookup to the busy tree. */
int sim_space_alloc(struct sim_space *sp, unsigned long size,
		    unsigned long align, bool retry, struct kva_area **out)
{
	struct kva_area *va;
	int err;

	if (sp->pools && align == PAGE_SIZE && kva_pool_fits(size)) {
		va = kva_pool_get(&sp->s, size);
		if (va)
			goto got;
	}
	va = sim_va_new(sp);
	err = reserve(sp, va, size, align, retry);
	if (err) {
		sim_va_put(sp, va);
		return err;
	}
got:
	kva_busy_insert(&sp->s, va);
	*out = va;
	return 0;
}

int sim_space_init(struct sim_space *sp, unsigned long start,
		   unsigned long end, int policy, int search,
		   unsigned long lazy_max, bool pools)
{
	memset(sp, 0, sizeof(*sp));
	INIT_LIST_HEAD(&sp->spare);
	sp->lazy_max = lazy_max;
	sp->pools = pools;
	if (kva_space_init(&sp->s, start, end, sim_va_new(sp)) ||
	    kva_set_policy(&sp->s, policy)) {
		free_arenas(sp);
		return -1;
	}
	sp->s.search = search;
	return 0;
}

void sim_space_destroy(struct sim_space *sp)
{
	/* Every object lives in an arena: the trees', the preload. */
	free_arenas(sp);
}
