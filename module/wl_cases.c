// SPDX-License-Identifier: GPL-2.0
/*
 * The workload cases: lib/test_vmalloc.c's, each one function run by every
 * worker of a unit on the unit's backend (w->be), and their table.
 *
 * Two times per case (docs/oracle.md): the whole case, setup and teardown
 * included, which the Summary line's avg is (per repeat, as test_vmalloc
 * computes it), and the measured loop alone (wl_clock_start/stop), which
 * gives the results' loop_ns per operation.
 *
 * Differences from test_vmalloc, and why:
 *  - the busy lists of full_fit and long_busy_list are sized to the slice
 *    and to RAM (wl_size_lists() in wl_run.c), the same for every backend;
 *  - random sizes come from a per-worker PRNG seeded per (case, repeat,
 *    worker), so every backend sees the same sequence of requests;
 *  - setup allocations are checked: running out of the slice is a failure
 *    with a reason, never a silently shorter list.
 * Every NULL an alloc or map returns is counted (w->enomem) before the case
 * fails on it, so the results can report ENOMEM failures per backend.
 */

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
#include <linux/spinlock.h>
#include <linux/slab.h>
#include <linux/thread_info.h>

#include "kvalab.h"
#include "wl.h"

/* test_vmalloc's size of long_busy_list's large allocation. */
#define WL_BIG_PAGES		100UL

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

/* ---------------------------------------------------------------------- */
/* The cases                                                               */

static int fix_size_alloc_test(struct wl_worker *w)
{
	unsigned long size = (unsigned long)w->run->nr_pages << PAGE_SHIFT;
	unsigned int i;
	u8 *ptr;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		ptr = wl_alloc(w, size, 0);
		if (!ptr)
			return wl_alloc_failed(w, size, 0);
		*ptr = 0;
		wl_free(w, ptr);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
	return 0;
}

/*
 * Interleave kept and junk one-page areas, then free the junk: once the
 * lazy frees are purged the free space is holes exactly one area wide, so
 * the loop's one-page allocations are full fits.
 */
static int full_fit_alloc_test(struct wl_worker *w)
{
	unsigned long n = w->run->junk_length, j;
	void **ptr, **junk;
	unsigned int i;
	int ret = 0;
	u8 *tmp;

	ptr = kvcalloc(n, sizeof(*ptr), GFP_KERNEL);
	junk = kvcalloc(n, sizeof(*junk), GFP_KERNEL);
	if (!ptr || !junk) {
		w->reason = "no_memory_for_setup";
		ret = -ENOMEM;
		goto out;
	}

	for (j = 0; j < n; j++) {
		if (wl_stop_point()) {
			ret = -EINTR;
			goto out;
		}
		ptr[j] = wl_alloc(w, PAGE_SIZE, 0);
		junk[j] = wl_alloc(w, PAGE_SIZE, 0);
		if (!ptr[j] || !junk[j]) {
			ret = wl_alloc_failed(w, PAGE_SIZE, 0);
			goto out;
		}
	}
	for (j = 0; j < n; j++) {
		wl_free(w, junk[j]);
		junk[j] = NULL;
	}

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point()) {
			ret = -EINTR;
			goto out;
		}
		tmp = wl_alloc(w, PAGE_SIZE, 0);
		if (!tmp) {
			ret = wl_alloc_failed(w, PAGE_SIZE, 0);
			goto out;
		}
		*tmp = 1;
		wl_free(w, tmp);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
out:
	for (j = 0; ptr && junk && j < n; j++) {
		wl_free(w, ptr[j]);
		wl_free(w, junk[j]);
	}
	kvfree(ptr);
	kvfree(junk);
	return ret;
}

/* Allocate and free while a long busy list is in place. */
static int long_busy_list_alloc_test(struct wl_worker *w)
{
	unsigned long n = w->run->busy_count, j;
	u8 *ptr_1, *ptr_2;
	unsigned int i;
	void **ptr;
	int ret = 0;

	ptr = kvcalloc(n, sizeof(*ptr), GFP_KERNEL);
	if (!ptr) {
		w->reason = "no_memory_for_setup";
		return -ENOMEM;
	}

	for (j = 0; j < n; j++) {
		if (wl_stop_point()) {
			ret = -EINTR;
			goto out;
		}
		ptr[j] = wl_alloc(w, PAGE_SIZE, 0);
		if (!ptr[j]) {
			ret = wl_alloc_failed(w, PAGE_SIZE, 0);
			goto out;
		}
	}

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point()) {
			ret = -EINTR;
			goto out;
		}
		ptr_1 = wl_alloc(w, WL_BIG_PAGES * PAGE_SIZE, 0);
		if (!ptr_1) {
			ret = wl_alloc_failed(w, WL_BIG_PAGES * PAGE_SIZE, 0);
			goto out;
		}
		ptr_2 = wl_alloc(w, PAGE_SIZE, 0);
		if (!ptr_2) {
			wl_free(w, ptr_1);
			ret = wl_alloc_failed(w, PAGE_SIZE, 0);
			goto out;
		}
		*ptr_1 = 0;
		*ptr_2 = 1;
		wl_free(w, ptr_1);
		wl_free(w, ptr_2);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
out:
	for (j = 0; j < n; j++)
		wl_free(w, ptr[j]);
	kvfree(ptr);
	return ret;
}

static int random_size_alloc_test(struct wl_worker *w)
{
	unsigned long size;
	unsigned int i;
	u8 *p;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		size = (1 + wl_rand_below(w, 100)) * PAGE_SIZE;
		p = wl_alloc(w, size, 0);
		if (!p)
			return wl_alloc_failed(w, size, 0);
		*p = 1;
		wl_free(w, p);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
	return 0;
}

static int fix_align_alloc_test(struct wl_worker *w)
{
	const unsigned long size = 5 * PAGE_SIZE;
	const unsigned long align = THREAD_ALIGN << 1;
	unsigned int i;
	void *ptr;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		ptr = wl_alloc(w, size, align);
		if (!ptr)
			return wl_alloc_failed(w, size, align);
		wl_free(w, ptr);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
	return 0;
}

static int random_size_align_alloc_test(struct wl_worker *w)
{
	unsigned long size, align;
	unsigned int i, rnd;
	void *ptr;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		rnd = wl_rand_below(w, 256);
		/* At most 1024 pages of alignment and 10 of size (4K pages). */
		align = 1UL << (rnd % 23);
		size = ((rnd % 10) + 1) * PAGE_SIZE;
		ptr = wl_alloc(w, size, align);
		if (!ptr)
			return wl_alloc_failed(w, size, align);
		wl_free(w, ptr);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
	return 0;
}

/*
 * Expected to fail: alignments up to 1 << (BITS_PER_LONG - 1) cannot be
 * met. It runs BITS_PER_LONG iterations whatever test_loop_count says.
 */
static int align_shift_alloc_test(struct wl_worker *w)
{
	unsigned long align;
	unsigned int i;
	void *ptr;

	wl_clock_start(w);
	for (i = 0; i < BITS_PER_LONG; i++) {
		if (wl_stop_point())
			return -EINTR;
		align = 1UL << i;
		ptr = wl_alloc(w, PAGE_SIZE, align);
		if (!ptr)
			return wl_alloc_failed(w, PAGE_SIZE, align);
		wl_free(w, ptr);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
	return 0;
}

/*
 * test_vmalloc's per-CPU case: 35000 areas of 1 to PAGE_SIZE / 4 bytes,
 * aligned to 2 to 128 bytes in turn, from the kernel's per-CPU allocator, then
 * every one freed; the count is fixed, whatever test_loop_count says. It
 * measures that allocator, whose chunks take their VA from the kernel's
 * vmalloc through pcpu_get_vm_areas() (not exported, not pluggable): so
 * only the kernel's backend runs it (kernel_only), and the whole case, the
 * frees included, is the measured loop. A failed allocation fails the case
 * but, as in test_vmalloc, the loop goes on.
 */
#define WL_PCPU_AREAS	35000U

static int pcpu_alloc_test(struct wl_worker *w)
{
	void __percpu **pcpu;
	unsigned int i, done;
	size_t size, align;
	int ret = 0;
	u64 t0;

	pcpu = kvcalloc(WL_PCPU_AREAS, sizeof(*pcpu), GFP_KERNEL);
	if (!pcpu) {
		w->reason = "no_memory_for_setup";
		return -ENOMEM;
	}

	wl_clock_start(w);
	for (i = 0; i < WL_PCPU_AREAS; i++) {
		if (wl_stop_point()) {
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
	struct wl_rcu_obj *p;
	unsigned int i;
	u64 t0;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		p = wl_alloc(w, PAGE_SIZE, 0);
		if (!p)
			return wl_alloc_failed(w, PAGE_SIZE, 0);
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
 * Map the same caller-owned pages again and again, like vm_map_ram().
 * test_vmalloc has this case since 6.2 (not in 6.1's).
 */
static int vm_map_ram_test(struct wl_worker *w)
{
	unsigned int n = w->run->nr_pages, i;
	struct page **pages;
	u8 *v_ptr;
	int ret = 0;

	pages = kvcalloc(n, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		w->reason = "no_memory_for_setup";
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			w->reason = "no_pages";
			ret = -ENOMEM;
			goto out;
		}
	}

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point()) {
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
 * test_vmalloc's non-blocking case (6.19+): fix_size's loop with each
 * allocation asking for GFP_ATOMIC or GFP_NOWAIT at random, with preemption
 * off around the call, so an allocator that sleeps there is caught
 * (CONFIG_DEBUG_ATOMIC_SLEEP says so). Such an allocation may find no
 * memory: a failure is reported xfail (KVALAB_WORKLOAD_MAYFAIL), as
 * test_vmalloc counts it. Only backends with alloc_nowait run it.
 */
static int no_block_alloc_test(struct wl_worker *w)
{
	unsigned long size = (unsigned long)w->run->nr_pages << PAGE_SHIFT;
	unsigned int i;
	gfp_t gfp;
	u8 *ptr;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		gfp = wl_rand_below(w, 2) ? GFP_ATOMIC : GFP_NOWAIT;
		preempt_disable();
		ptr = wl_alloc_nowait(w, size, gfp);
		preempt_enable();
		if (!ptr)
			return wl_alloc_failed(w, size, 0);
		*ptr = 0;
		wl_free(w, ptr);
		wl_op_done(w);
	}
	wl_clock_stop(w, i);
	return 0;
}

/*
 * test_vmalloc's vrealloc case (7.2+), one operation per loop: a page from
 * vrealloc(NULL), grown to four pages (past the area: a new area and a
 * copy), shrunk to one page and to half a page, grown back to one page
 * (all three within the area's pages), then freed; the first byte must
 * survive every step. Only backends with realloc run it.
 */
static const unsigned long wl_vrealloc_steps[] = {
	4 * PAGE_SIZE, PAGE_SIZE, PAGE_SIZE / 2, PAGE_SIZE,
};

static int vrealloc_test(struct wl_worker *w)
{
	unsigned int i, k;
	u8 *ptr, *tmp;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		ptr = wl_realloc(w, NULL, PAGE_SIZE);
		if (!ptr)
			return wl_alloc_failed(w, PAGE_SIZE, 0);
		*ptr = 'a';
		for (k = 0; k < ARRAY_SIZE(wl_vrealloc_steps); k++) {
			tmp = wl_realloc(w, ptr, wl_vrealloc_steps[k]);
			if (!tmp) {
				wl_free(w, ptr);
				return wl_failed(w,
						 wl_va_need(wl_vrealloc_steps[k], 0),
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

/*
 * The most VA one worker of @c holds at a time on a kvalab backend, guards
 * and alignment slack included, for the worst draw of its random sizes;
 * lists sized by wl_size_lists() to the slice count as empty. The expected
 * failure (align_shift) needs nothing: it fails whatever the slice.
 */
unsigned long wl_case_va_need(const struct wl_case *c, const struct wl_run *run)
{
	unsigned long pages = (unsigned long)run->nr_pages << PAGE_SHIFT;

	/* The bits of the table below. */
	switch (c->bit) {
	case 0:		/* fix_size_alloc_test */
		return wl_va_need(pages, 0);
	case 1:		/* full_fit_alloc_test */
		return wl_va_need(PAGE_SIZE, 0);
	case 2:		/* long_busy_list_alloc_test */
		return wl_va_need(WL_BIG_PAGES * PAGE_SIZE, 0) +
		       wl_va_need(PAGE_SIZE, 0);
	case 3:		/* random_size_alloc_test */
		return wl_va_need(100 * PAGE_SIZE, 0);
	case 4:		/* fix_align_alloc_test */
		return wl_va_need(5 * PAGE_SIZE, THREAD_ALIGN << 1);
	case 5:		/* random_size_align_alloc_test */
		return wl_va_need(10 * PAGE_SIZE, 1UL << 22);
	case 10:	/* vm_map_ram_test */
		/* No guard page: a mapping takes exactly its pages. */
		return pages;
	case 11:	/* no_block_alloc_test: kvalab backends skip it */
		return 0;
	case 12:	/* vrealloc_test: the old page and the new four at once */
		return wl_va_need(PAGE_SIZE, 0) + wl_va_need(4 * PAGE_SIZE, 0);
	}
	return 0;
}

/*
 * Why a kvalab backend cannot run the cases that measure kernel allocators
 * other than vmalloc's VA management (one word each, as the results print).
 */
#define WL_SKIP_PCPU	"pcpu_chunks_use_kernel_vmalloc"
#define WL_SKIP_KVFREE	"kvfree_rcu_frees_only_kernel_vmalloc"

/* test_vmalloc's table, in its order (see struct wl_case). */
const struct wl_case wl_cases[] = {
	{ 0,	fix_size_alloc_test,		false },
	{ 1,	full_fit_alloc_test,		false },
	{ 2,	long_busy_list_alloc_test,	false },
	{ 3,	random_size_alloc_test,		false },
	{ 4,	fix_align_alloc_test,		true },
	{ 5,	random_size_align_alloc_test,	true },
	{ 6,	align_shift_alloc_test,		true },
	{ 7,	pcpu_alloc_test,		false,	WL_SKIP_PCPU },
	{ 8,	kvfree_rcu_1_arg_vmalloc_test,	false,	WL_SKIP_KVFREE },
	{ 9,	kvfree_rcu_2_arg_vmalloc_test,	false,	WL_SKIP_KVFREE },
	{ 10,	vm_map_ram_test,		false },
	{ 11,	no_block_alloc_test,		false,	NULL,	WL_NEED_NOWAIT },
	{ 12,	vrealloc_test,			false,	NULL,	WL_NEED_REALLOC },
};

const unsigned int wl_nr_cases = ARRAY_SIZE(wl_cases);
