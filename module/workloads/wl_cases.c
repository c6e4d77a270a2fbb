// SPDX-License-Identifier: GPL-2.0
/*
 * The workload cases: lib/test_vmalloc.c's, each run by every worker of a
 * unit on the unit's backend (w->be), and their table, one row per case
 * (wl_cases[], at the end): its function (the cases of one shape share
 * one), its sizes, what it needs of a backend and, derived from those, the
 * VA it holds.
 *
 * Two times per case (docs/oracle.md): the whole case, setup and teardown
 * included, which the Summary line's avg is (per repeat, as test_vmalloc
 * computes it), and the measured loop alone (wl_clock_start/stop), which
 * gives the results' loop_ns per operation.
 *
 * Differences from test_vmalloc, and why:
 *  - the lists of full_fit and long_busy_list are test_vmalloc's length or,
 *    where the slice or RAM cannot hold them, shorter (wl_size_lists() in
 *    wl_run.c), the same for every backend, and the results say so;
 *  - random sizes come from a per-worker PRNG seeded per (case, repeat,
 *    worker), so every backend sees the same sequence of requests;
 *  - setup allocations are checked: running out of the slice is a failure
 *    with a reason, never a list cut short while it is built.
 * Every NULL an alloc or map returns is counted (w->enomem) before the case
 * fails on it, so the results can report ENOMEM failures per backend.
 */

#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/thread_info.h>

#include "../kvalab.h"
#include "wl.h"

/* test_vmalloc's size of long_busy_list's large allocation, in pages. */
#define WL_BIG_PAGES		100UL
/* test_vmalloc's long_busy_list length. */
#define WL_BUSY_LIST		15000UL
/* pcpu_alloc_test's areas, whatever loops= says. */
#define WL_PCPU_AREAS		35000U

/* ---------------------------------------------------------------------- */
/* Helpers for the cases                                                   */

/*
 * Each call is timed while w->timing (the measured loop of a run with
 * latency on): two local_clock() reads per call, whose cost the results'
 * timing line gives as clock_ns; the loop's ns/op includes them.
 */
/*
 * The end of every allocating call: its time (taken from @t0) into the
 * alloc latency when timing, a NULL counted as an ENOMEM. Returns @p.
 */
static void *wl_alloc_end(struct wl_worker *w, u64 t0, void *p)
{
	if (w->timing)
		kvalab_lat_add(&w->lat_alloc, local_clock() - t0);
	if (!p)
		w->enomem++;
	return p;
}

static void *wl_alloc(struct wl_worker *w, unsigned long size,
		      unsigned long align)
{
	u64 t0 = w->timing ? local_clock() : 0;

	return wl_alloc_end(w, t0, w->be->alloc(w->kv, size, align));
}

static void wl_free(struct wl_worker *w, const void *addr)
{
	u64 t0;

	if (!addr)
		return;
	t0 = w->timing ? local_clock() : 0;
	w->be->free(w->kv, addr);
	if (w->timing)
		kvalab_lat_add(&w->lat_free, local_clock() - t0);
}

/* wl_alloc() with test_vmalloc 7.x's non-blocking flags (preemption off). */
static void *wl_alloc_nowait(struct wl_worker *w, unsigned long size,
			     gfp_t gfp)
{
	u64 t0 = w->timing ? local_clock() : 0;

	return wl_alloc_end(w, t0, w->be->alloc_nowait(w->kv, size, gfp));
}

/* A vrealloc(): timed and counted as an allocation (it may be one). */
static void *wl_realloc(struct wl_worker *w, const void *addr,
			unsigned long size)
{
	u64 t0 = w->timing ? local_clock() : 0;

	return wl_alloc_end(w, t0, w->be->realloc(w->kv, addr, size));
}

static void *wl_map(struct wl_worker *w, struct page **pages, unsigned int n)
{
	u64 t0 = w->timing ? local_clock() : 0;
	void *p = w->be->map(w->kv, pages, n);

	if (w->timing)
		kvalab_lat_add(&w->lat_alloc, local_clock() - t0);
	return p;
}

static void wl_unmap(struct wl_worker *w, const void *addr, unsigned int n)
{
	u64 t0 = w->timing ? local_clock() : 0;

	w->be->unmap(w->kv, addr, n);
	if (w->timing)
		kvalab_lat_add(&w->lat_free, local_clock() - t0);
}

static void wl_clock_start(struct wl_worker *w)
{
	w->timing = w->run->latency;
	w->frag_ns = 0;
	wl_phases_start(w);
	w->t0 = ktime_get_ns();
}

static void wl_clock_stop(struct wl_worker *w, u64 iters)
{
	w->loop_ns = ktime_get_ns() - w->t0;
	wl_phases_stop(w);
	/* Sampling is not the backend's time (see wl_op_done()). */
	w->loop_ns -= min(w->frag_ns, w->loop_ns);
	w->iters = iters;
	w->timing = false;
}

/*
 * One operation (loop iteration) of the measured loop is done. Worker 0 of
 * a kvalab backend samples the slice's fragmentation every frag_every
 * operations of the case and backend (counted over its repeats), at most
 * WL_FRAG_SAMPLES times. kva_frag() walks the free list under free_lock,
 * O(free areas): the other workers may wait on that lock meanwhile, but
 * the time worker 0 spends is taken out of its loop time.
 */
static void wl_op_done(struct wl_worker *w)
{
	struct wl_frag_sample *fs;
	struct kva_frag f;
	u64 t0;

	w->op++;
	if (!w->frag || *w->nr_frag >= WL_FRAG_SAMPLES ||
	    w->op % w->run->frag_every)
		return;
	t0 = ktime_get_ns();
	spin_lock(&w->kv->free_lock);
	kva_frag(&w->kv->space, &f);
	spin_unlock(&w->kv->free_lock);
	fs = &w->frag[(*w->nr_frag)++];
	fs->op = w->op;
	fs->free_bytes = f.free_bytes;
	fs->nr_free = f.nr_free;
	fs->largest_free = f.largest_free;
	fs->ext_frag_e4 = f.ext_frag_e4;
	fs->frag_rss_e4 = f.frag_rss_e4;
	w->frag_ns += ktime_get_ns() - t0;
}

/* A PRNG draw in [0, ceil), from the worker's reproducible stream. */
static u32 wl_rand_below(struct wl_worker *w, u32 ceil)
{
	return (u32)(((u64)prandom_u32_state(&w->rnd) * ceil) >> 32);
}

/*
 * Record a failure: @reason, or no_va_in_slice if the backend could not
 * have found @need bytes of address space. Returns the case's result.
 */
static int wl_failed(struct wl_worker *w, unsigned long need,
		     const char *reason)
{
	w->reason = w->be->va_short(w->kv, need) ? "no_va_in_slice" : reason;
	return -ENOMEM;
}

/* VA taken by an allocation of @size aligned to @align: guard and slack. */
static unsigned long wl_va_need(unsigned long size, unsigned long align)
{
	unsigned long need = PAGE_ALIGN(size) + PAGE_SIZE;

	if (align > PAGE_SIZE && check_add_overflow(need, align - PAGE_SIZE,
						    &need))
		return ULONG_MAX;
	return need;
}

static int wl_alloc_failed(struct wl_worker *w, unsigned long size,
			   unsigned long align)
{
	return wl_failed(w, wl_va_need(size, align), "alloc_failed");
}

/* Bytes of @pages, a row's size (WL_RUN_PAGES: the run's pages=). */
static unsigned long wl_bytes(const struct wl_run *run, unsigned long pages)
{
	return (pages == WL_RUN_PAGES ? run->nr_pages : pages) << PAGE_SHIFT;
}

/* Operations of one repeat: the row's fixed count, else the run's loops. */
static unsigned int wl_ops(const struct wl_worker *w)
{
	return w->c->count ? w->c->count : w->run->loops;
}

/* A case's own array of @n pointers, or NULL with the reason set. */
static void *wl_setup_array(struct wl_worker *w, unsigned long n)
{
	void *a = kvcalloc(n, sizeof(void *), GFP_KERNEL);

	if (!a)
		w->reason = "no_memory_for_setup";
	return a;
}

/* The entries of the list the worker's case builds (wl_size_lists()). */
static unsigned long wl_list_len(const struct wl_worker *w)
{
	return w->run->list[w->c->bit];
}

/* ---------------------------------------------------------------------- */
/* The cases                                                               */

/*
 * The size and alignment of operation @i of a case of wl_alloc_free_test()
 * (wl_case.draw). wl_draw_row(): the row's own.
 */
static void wl_draw_row(struct wl_worker *w, unsigned int i,
			unsigned long *size, unsigned long *align)
{
	*size = wl_bytes(w->run, w->c->pages);
	*align = w->c->align;
}

/* random_size: 1 to the row's pages (100), at random. */
static void wl_draw_pages(struct wl_worker *w, unsigned int i,
			  unsigned long *size, unsigned long *align)
{
	*size = (1 + wl_rand_below(w, (u32)w->c->pages)) * PAGE_SIZE;
	*align = 0;
}

/*
 * random_size_align, test_vmalloc's draw: one random byte gives both the
 * alignment, from 1 byte to the row's (4 MiB: 1 << (rnd % 23)), and the
 * size, 1 to the row's pages (10: rnd % 10 + 1).
 */
static void wl_draw_pages_align(struct wl_worker *w, unsigned int i,
				unsigned long *size, unsigned long *align)
{
	u32 rnd = wl_rand_below(w, 256);

	*align = 1UL << (rnd % (ilog2(w->c->align) + 1));
	*size = ((rnd % w->c->pages) + 1) * PAGE_SIZE;
}

/*
 * align_shift: the row's size aligned to 1 << i, up to the row's count
 * (BITS_PER_LONG) of operations: the large alignments cannot be met, so
 * the case is expected to fail.
 */
static void wl_draw_shift(struct wl_worker *w, unsigned int i,
			  unsigned long *size, unsigned long *align)
{
	*size = wl_bytes(w->run, w->c->pages);
	*align = 1UL << i;
}

/*
 * An allocation as the row makes it: test_vmalloc 7.x's non-blocking one
 * for no_block_alloc_test (wl_case.need), GFP_ATOMIC or GFP_NOWAIT at
 * random with preemption off around the call, so an allocator that sleeps
 * there is caught (CONFIG_DEBUG_ATOMIC_SLEEP says so); such an allocation
 * may find no memory, which KVALAB_WORKLOAD_MAYFAIL reports xfail, as
 * test_vmalloc counts it.
 */
static void *wl_alloc_row(struct wl_worker *w, unsigned long size,
			  unsigned long align)
{
	gfp_t gfp;
	void *p;

	if (w->c->need != WL_NEED_NOWAIT)
		return wl_alloc(w, size, align);
	gfp = wl_rand_below(w, 2) ? GFP_ATOMIC : GFP_NOWAIT;
	preempt_disable();
	p = wl_alloc_nowait(w, size, gfp);
	preempt_enable();
	return p;
}

/*
 * fix_size, random_size, fix_align, random_size_align, align_shift and
 * no_block: one allocation of the size and alignment the row draws and its
 * free, per operation; where test_vmalloc writes to the area
 * (wl_case.touch), its first byte is written.
 */
static int wl_alloc_free_test(struct wl_worker *w)
{
	unsigned long size, align;
	unsigned int i;
	u8 *p;

	wl_clock_start(w);
	for (i = 0; i < wl_ops(w); i++) {
		if (wl_stop_point(w))
			return -EINTR;
		w->c->draw(w, i, &size, &align);
		p = wl_alloc_row(w, size, align);
		if (!p)
			return wl_alloc_failed(w, size, align);
		if (w->c->touch)
			*p = 1;
		wl_free(w, p);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
	return 0;
}

/*
 * full_fit and long_busy_list: before the loop, a list of wl_list_len()
 * entries of the row's list_areas one-page areas each. With two (full_fit:
 * a kept and a junk area, interleaved) the junk ones are freed again, so
 * that once the lazy frees are purged the free space is holes exactly one
 * area wide and the loop's one-page allocations are full fits. Then per
 * operation: the row's area and its second one (long_busy_list's, held at
 * the same time), each written, and freed.
 */
static int wl_list_test(struct wl_worker *w)
{
	unsigned long n = wl_list_len(w) * w->c->list_areas, j;
	unsigned long size = wl_bytes(w->run, w->c->pages);
	unsigned long size2 = wl_bytes(w->run, w->c->pages2);
	u8 *p, *p2 = NULL;
	unsigned int i;
	void **list;
	int ret = 0;

	list = wl_setup_array(w, n);
	if (!list)
		return -ENOMEM;
	for (j = 0; j < n; j++) {
		if (wl_stop_point(w)) {
			ret = -EINTR;
			goto out;
		}
		list[j] = wl_alloc(w, PAGE_SIZE, 0);
		if (!list[j]) {
			ret = wl_alloc_failed(w, PAGE_SIZE, 0);
			goto out;
		}
	}
	for (j = 1; w->c->list_areas == 2 && j < n; j += 2) {
		wl_free(w, list[j]);
		list[j] = NULL;
	}

	wl_clock_start(w);
	for (i = 0; i < wl_ops(w); i++) {
		if (wl_stop_point(w)) {
			ret = -EINTR;
			goto out;
		}
		p = wl_alloc(w, size, 0);
		if (!p) {
			ret = wl_alloc_failed(w, size, 0);
			goto out;
		}
		if (size2) {
			p2 = wl_alloc(w, size2, 0);
			if (!p2) {
				wl_free(w, p);
				ret = wl_alloc_failed(w, size2, 0);
				goto out;
			}
			*p2 = 1;
		}
		*p = 0;
		wl_free(w, p);
		wl_free(w, p2);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
out:
	for (j = 0; j < n; j++)
		wl_free(w, list[j]);
	kvfree(list);
	return ret;
}

/*
 * test_vmalloc's per-CPU case: the row's count (35000) of areas of 1 to
 * PAGE_SIZE / 4 bytes, aligned to 2 to 128 bytes in turn, from the kernel's
 * per-CPU allocator, then every one freed. It measures that allocator, whose
 * chunks take their VA from the kernel's vmalloc through
 * pcpu_get_vm_areas() (not exported, not pluggable): so only the kernel's
 * backend runs it (kernel_only), and the whole case, the frees included, is
 * the measured loop. A failed allocation fails the case but, as in
 * test_vmalloc, the loop goes on.
 */
static int pcpu_alloc_test(struct wl_worker *w)
{
	const unsigned int n = wl_ops(w);
	void __percpu **pcpu;
	unsigned int i, done;
	size_t size, align;
	int ret = 0;
	u64 t0;

	pcpu = wl_setup_array(w, n);
	if (!pcpu)
		return -ENOMEM;

	wl_clock_start(w);
	for (i = 0; i < n; i++) {
		if (wl_stop_point(w)) {
			ret = -EINTR;
			break;
		}
		size = 1 + wl_rand_below(w, PAGE_SIZE / 4);
		/* test_vmalloc's: 2 to 128 bytes, in turn. */
		align = 1UL << ((i % 7) + 1);
		t0 = w->timing ? local_clock() : 0;
		pcpu[i] = __alloc_percpu(size, align);
		if (w->timing)
			kvalab_lat_add(&w->lat_alloc, local_clock() - t0);
		if (!pcpu[i]) {
			w->enomem++;
			w->reason = "pcpu_alloc_failed";
			ret = -ENOMEM;
		}
	}
	done = i;
	for (i = 0; i < done; i++) {
		t0 = w->timing ? local_clock() : 0;
		/* free_percpu(NULL) is a no-op, as for a failed slot. */
		free_percpu(pcpu[i]);
		if (w->timing)
			kvalab_lat_add(&w->lat_free, local_clock() - t0);
		wl_op_done(w);
	}
	wl_clock_stop(w, done);
	kvfree(pcpu);
	return ret;
}

/* test_vmalloc's object in a one-page area freed with kvfree_rcu(). */
struct wl_rcu_obj {
	struct rcu_head rcu;
	unsigned char array[20];
};

/*
 * test_vmalloc's kvfree_rcu cases: allocate a page and hand it to
 * kvfree_rcu(), with (@head) or without (the form that may sleep) an
 * rcu_head. The freeing happens after a grace period, in the kernel's
 * kvfree(), which frees only the kernel's own areas: so only the kernel's
 * backend runs them (kernel_only). Nothing of this module runs at the free,
 * so an unload needs no rcu_barrier() for them.
 */
static int wl_kvfree_rcu_loop(struct wl_worker *w, bool head)
{
	const unsigned long size = wl_bytes(w->run, w->c->pages);
	struct wl_rcu_obj *p;
	unsigned int i;
	u64 t0;

	wl_clock_start(w);
	for (i = 0; i < wl_ops(w); i++) {
		if (wl_stop_point(w))
			return -EINTR;
		p = wl_alloc(w, size, 0);
		if (!p)
			return wl_alloc_failed(w, size, 0);
		p->array[0] = 'a';
		t0 = w->timing ? local_clock() : 0;
		if (head)
			kvfree_rcu(p, rcu);
		else
			kvalab_kvfree_rcu_1arg(p);
		if (w->timing)
			kvalab_lat_add(&w->lat_free, local_clock() - t0);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
	return 0;
}

static int kvfree_rcu_1_arg_vmalloc_test(struct wl_worker *w)
{
	return wl_kvfree_rcu_loop(w, false);
}

static int kvfree_rcu_2_arg_vmalloc_test(struct wl_worker *w)
{
	return wl_kvfree_rcu_loop(w, true);
}

/*
 * Map the same caller-owned pages (the row's: pages=) again and again, like
 * vm_map_ram(). test_vmalloc has this case since 6.2 (not in 6.1's).
 */
static int vm_map_ram_test(struct wl_worker *w)
{
	unsigned int n = wl_bytes(w->run, w->c->pages) >> PAGE_SHIFT, i;
	struct page **pages;
	u8 *v_ptr;
	int ret = 0;

	pages = wl_setup_array(w, n);
	if (!pages)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			w->reason = "no_pages";
			ret = -ENOMEM;
			goto out;
		}
	}

	wl_clock_start(w);
	for (i = 0; i < wl_ops(w); i++) {
		if (wl_stop_point(w)) {
			ret = -EINTR;
			goto out;
		}
		v_ptr = wl_map(w, pages, n);
		if (!v_ptr) {
			w->enomem++;
			/* No guard page: the mapping needs exactly n pages. */
			ret = wl_failed(w, (unsigned long)n << PAGE_SHIFT,
					"map_failed");
			goto out;
		}
		*v_ptr = 'a';
		wl_unmap(w, v_ptr, n);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
out:
	for (i = 0; i < n && pages[i]; i++)
		__free_page(pages[i]);
	kvfree(pages);
	return ret;
}

/*
 * test_vmalloc's vrealloc case (7.2+), one operation per loop: a page from
 * vrealloc(NULL) (the row's pages2), grown to four pages (its pages: past
 * the area, so a new area and a copy, the old one still held), shrunk to
 * one page and to half a page, grown back to one page (all three within the
 * area's pages), then freed; the first byte must survive every step. Only
 * backends with realloc run it.
 */
static int vrealloc_test(struct wl_worker *w)
{
	const unsigned long first = wl_bytes(w->run, w->c->pages2);
	const unsigned long steps[] = {
		wl_bytes(w->run, w->c->pages), PAGE_SIZE, PAGE_SIZE / 2,
		PAGE_SIZE,
	};
	unsigned int i, k;
	u8 *ptr, *tmp;

	wl_clock_start(w);
	for (i = 0; i < wl_ops(w); i++) {
		if (wl_stop_point(w))
			return -EINTR;
		ptr = wl_realloc(w, NULL, first);
		if (!ptr)
			return wl_alloc_failed(w, first, 0);
		*ptr = 'a';
		for (k = 0; k < ARRAY_SIZE(steps); k++) {
			tmp = wl_realloc(w, ptr, steps[k]);
			if (!tmp) {
				wl_free(w, ptr);
				return wl_failed(w, wl_va_need(steps[k], 0),
						 "realloc_failed");
			}
			ptr = tmp;
			if (*ptr != 'a') {
				wl_free(w, ptr);
				w->reason = "realloc_lost_contents";
				return -EIO;
			}
		}
		wl_free(w, ptr);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The table                                                               */

/*
 * Why a kvalab backend cannot run the cases that measure kernel allocators
 * other than vmalloc's VA management (one word each, as the results print).
 */
#define WL_SKIP_PCPU	"pcpu_chunks_use_kernel_vmalloc"
#define WL_SKIP_KVFREE	"kvfree_rcu_frees_only_kernel_vmalloc"

/*
 * test_vmalloc's table, in its order (bit order), one complete row per case
 * (see struct wl_case): a case is added here, with its name and mask bits
 * in <kvalab/workloads.h> and its line in run_test_mask's description.
 */
const struct wl_case wl_cases[] = {
	{ .bit = 0, .fn = wl_alloc_free_test, .draw = wl_draw_row,
	  .pages = WL_RUN_PAGES, .touch = true },
	{ .bit = 1, .fn = wl_list_test, .pages = 1,
	  .list_areas = 2, .list_len = WL_LIST_LAZY },
	{ .bit = 2, .fn = wl_list_test,
	  .pages = WL_BIG_PAGES, .pages2 = 1,
	  .list_areas = 1, .list_len = WL_BUSY_LIST },
	{ .bit = 3, .fn = wl_alloc_free_test, .draw = wl_draw_pages,
	  .pages = 100, .touch = true },
	{ .bit = 4, .fn = wl_alloc_free_test, .draw = wl_draw_row,
	  .pages = 5, .align = THREAD_ALIGN << 1 },
	{ .bit = 5, .fn = wl_alloc_free_test, .draw = wl_draw_pages_align,
	  .pages = 10, .align = 1UL << 22 },
	{ .bit = 6, .fn = wl_alloc_free_test, .draw = wl_draw_shift,
	  .pages = 1, .align = 1UL << (BITS_PER_LONG - 1),
	  .count = BITS_PER_LONG },
	{ .bit = 7, .fn = pcpu_alloc_test, .count = WL_PCPU_AREAS,
	  .kernel_only = WL_SKIP_PCPU },
	{ .bit = 8, .fn = kvfree_rcu_1_arg_vmalloc_test, .pages = 1,
	  .kernel_only = WL_SKIP_KVFREE },
	{ .bit = 9, .fn = kvfree_rcu_2_arg_vmalloc_test, .pages = 1,
	  .kernel_only = WL_SKIP_KVFREE },
	{ .bit = 10, .fn = vm_map_ram_test, .pages = WL_RUN_PAGES,
	  .noguard = true },
	{ .bit = 11, .fn = wl_alloc_free_test, .draw = wl_draw_row,
	  .pages = WL_RUN_PAGES, .touch = true, .need = WL_NEED_NOWAIT },
	{ .bit = 12, .fn = vrealloc_test, .pages = 4, .pages2 = 1,
	  .need = WL_NEED_REALLOC },
};

const unsigned int wl_nr_cases = ARRAY_SIZE(wl_cases);

/* One row for every bit of <kvalab/workloads.h>. */
static_assert(ARRAY_SIZE(wl_cases) == KVALAB_NR_WORKLOAD_BITS);

/*
 * The most VA one worker of @c holds at a time on a kvalab backend, guards
 * and alignment slack included, for the worst draw of its random sizes:
 * its row's areas. Its list (full_fit, long_busy_list) is sized to the
 * slice afterwards (wl_size_lists()) and counts as empty here. A case the
 * kvalab backends skip needs nothing of the slice, nor does the expected
 * failure (align_shift): it fails whatever the slice.
 */
unsigned long wl_case_va_need(const struct wl_case *c, const struct wl_run *run)
{
	unsigned long bytes = wl_bytes(run, c->pages);

	if (wl_skips(c, KVALAB_BE_KVALAB) || wl_case_xfail(c) || !c->pages)
		return 0;
	/* No guard page: a mapping takes exactly its pages. */
	if (c->noguard)
		return bytes;
	if (!c->pages2)
		return wl_va_need(bytes, c->align);
	return wl_va_need(bytes, c->align) +
	       wl_va_need(wl_bytes(run, c->pages2), 0);
}

unsigned long wl_case_loop_pages(const struct wl_case *c,
				 const struct wl_run *run)
{
	return (wl_bytes(run, c->pages) + wl_bytes(run, c->pages2)) >>
	       PAGE_SHIFT;
}

/*
 * test_vmalloc's list length: a constant, or for full_fit its junk_length,
 * fls(num_online_cpus()) * (32 MiB / PAGE_SIZE), which is the kernel's
 * lazy_max_pages().
 */
unsigned long wl_case_list_tv(const struct wl_case *c)
{
	if (c->list_len != WL_LIST_LAZY)
		return c->list_len;
	return fls(num_online_cpus()) * (SZ_32M / PAGE_SIZE);
}
