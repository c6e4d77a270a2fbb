// SPDX-License-Identifier: GPL-2.0
/*
 * The allocators a workload case runs on, by <kvalab/backends.h> id: the
 * kernel's vmalloc, kvalab, and the floor (its calls are in wl_floor.c).
 * Every kvalab backend (kvalab and each kvalab:<policy>) allocates through
 * the same calls; which policy places the areas is the slice's, and the run
 * controller switches it before a kvalab:<policy> backend's units
 * (wl_run.c).
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "../kvalab.h"
#include "wl.h"

static void *wl_kvalab_alloc(struct kvalab *kv, unsigned long size,
			     unsigned long align)
{
	return kvalab_vmalloc(kv, size, align, __builtin_return_address(0));
}

static void wl_kvalab_free(struct kvalab *kv, const void *addr)
{
	kvalab_vfree(kv, addr);
}

static void *wl_kvalab_map(struct kvalab *kv, struct page **pages,
			   unsigned int count)
{
	return kvalab_vm_map_ram(kv, pages, count, __builtin_return_address(0));
}

static void wl_kvalab_unmap(struct kvalab *kv, const void *addr,
			    unsigned int count)
{
	/* The pages are the caller's: unmapping leaves them alone. */
	kvalab_vm_unmap_ram(kv, addr, count);
}

/* vrealloc(): in place while the area's pages hold @size (kvalab.h). */
static void *wl_kvalab_realloc(struct kvalab *kv, const void *addr,
			       unsigned long size)
{
	return kvalab_vrealloc(kv, addr, size, __builtin_return_address(0));
}

static bool wl_kvalab_va_short(struct kvalab *kv, unsigned long need)
{
	return kvalab_largest_free(kv) < need;
}

static void *wl_vmalloc_alloc(struct kvalab *kv, unsigned long size,
			      unsigned long align)
{
	/*
	 * Cases ask for an alignment only where test_vmalloc calls
	 * __vmalloc_node(), and only of a backend that is .aligned, which
	 * this one is where the kernel exports it (compat.h).
	 */
	if (align)
		return kvalab_vmalloc_aligned(size, align,
					      __builtin_return_address(0));
	return vmalloc(size);
}

static void wl_vmalloc_free(struct kvalab *kv, const void *addr)
{
	vfree(addr);
}

/* test_vmalloc 7.x's calls, where the kernel has them (compat.h). */
static void *wl_vmalloc_alloc_nowait(struct kvalab *kv, unsigned long size,
				     gfp_t gfp)
{
	return kvalab_vmalloc_nowait(size, gfp);
}

static void *wl_vmalloc_realloc(struct kvalab *kv, const void *addr,
				unsigned long size)
{
	return kvalab_vmalloc_realloc(addr, size);
}

static void *wl_vmalloc_map(struct kvalab *kv, struct page **pages,
			    unsigned int count)
{
	return vm_map_ram(pages, count, NUMA_NO_NODE);
}

static void wl_vmalloc_unmap(struct kvalab *kv, const void *addr,
			     unsigned int count)
{
	vm_unmap_ram(addr, count);
}

static bool wl_vmalloc_va_short(struct kvalab *kv, unsigned long need)
{
	return false;
}

static const struct wl_backend wl_vmalloc_backend = {
	.aligned = KVALAB_VMALLOC_ALIGNED,
	.kernel = true,
	.skip_why = WL_SKIP_UNALIGNED,
	.nowait_why = KVALAB_VMALLOC_NOWAIT_WHY,
	.realloc_why = KVALAB_VMALLOC_REALLOC_WHY,
	.alloc = wl_vmalloc_alloc,
	.free = wl_vmalloc_free,
	.map = wl_vmalloc_map,
	.unmap = wl_vmalloc_unmap,
	.alloc_nowait = KVALAB_VMALLOC_NOWAIT ? wl_vmalloc_alloc_nowait : NULL,
	.realloc = KVALAB_VMALLOC_REALLOC ? wl_vmalloc_realloc : NULL,
	.va_short = wl_vmalloc_va_short,
};

/*
 * No alloc_nowait: kvalab's allocation sleeps. It holds state_sem (an
 * rwsem) across the whole allocation, takes its area objects and backing
 * pages with GFP_KERNEL, and when no VA fits it purges (purge_mutex, then a
 * TLB flush that waits for every CPU) and retries. A non-blocking path
 * would try state_sem, take objects and pages with the caller's flags and
 * fail where it now purges, as alloc_vmap_area() does for such flags since
 * 6.19; kvalab has none, so no_block_alloc_test is skipped with the reason.
 */
static const struct wl_backend wl_kvalab_backend = {
	.aligned = true,
	.nowait_why = WL_SKIP_KVALAB_NOWAIT,
	.alloc = wl_kvalab_alloc,
	.free = wl_kvalab_free,
	.map = wl_kvalab_map,
	.unmap = wl_kvalab_unmap,
	.realloc = wl_kvalab_realloc,
	.va_short = wl_kvalab_va_short,
};

static bool wl_floor_va_short(struct kvalab *kv, unsigned long need)
{
	return false;
}

/*
 * Not aligned: a slot allocator with no search cannot place the aligned
 * cases' areas (random_size_align asks up to 4 MiB of alignment for at
 * most ten pages) in bounded VA; it would measure its own waste, not the
 * limit. See docs/performance.md, the floor. No alloc_nowait: it takes
 * pages and the page array as kvalab does (GFP_KERNEL) and flushes, waiting
 * for every CPU, when its slots run out.
 */
static const struct wl_backend wl_floor_backend = {
	.aligned = false,
	.skip_why = WL_SKIP_FLOOR_ALIGN,
	.nowait_why = WL_SKIP_FLOOR_NOWAIT,
	.alloc = wl_floor_alloc,
	.free = wl_floor_free,
	.map = wl_floor_map,
	.unmap = wl_floor_unmap,
	.realloc = wl_floor_realloc,
	.va_short = wl_floor_va_short,
};

const struct wl_backend *wl_backend(unsigned int id)
{
	switch (id) {
	case KVALAB_BE_VMALLOC:
		return &wl_vmalloc_backend;
	case KVALAB_BE_FLOOR:
		return &wl_floor_backend;
	default:
		return &wl_kvalab_backend;
	}
}
