// SPDX-License-Identifier: GPL-2.0
/*
 * The allocators a workload case runs on, by <kvalab/backends.h> id: the
 * kernel's vmalloc, and kvalab. Every kvalab backend (kvalab and each
 * kvalab:<policy>) allocates through the same calls; which policy places
 * the areas is the slice's, and the run controller switches it before a
 * kvalab:<policy> backend's units (wl_run.c).
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "kvalab.h"
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
	.alloc = wl_vmalloc_alloc,
	.free = wl_vmalloc_free,
	.map = wl_vmalloc_map,
	.unmap = wl_vmalloc_unmap,
	.va_short = wl_vmalloc_va_short,
};

static const struct wl_backend wl_kvalab_backend = {
	.aligned = true,
	.alloc = wl_kvalab_alloc,
	.free = wl_kvalab_free,
	.map = wl_kvalab_map,
	.unmap = wl_kvalab_unmap,
	.va_short = wl_kvalab_va_short,
};

const struct wl_backend *wl_backend(unsigned int id)
{
	return id == KVALAB_BE_VMALLOC ? &wl_vmalloc_backend :
		&wl_kvalab_backend;
}
