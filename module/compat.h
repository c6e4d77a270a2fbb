/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for kernel-version and architecture differences. Kbuild
 * force-includes it (-include) into every kernel object of kvalab, before
 * any other header, so pr_fmt is defined once here and nothing else needs
 * an #if on versions or architectures.
 *
 * Supported: Linux 6.1 to 6.12 on x86_64 (Debian 12's 6.1 and its
 * backports' 6.12, the versions the VM suites run).
 */
#ifndef _KVALAB_COMPAT_H
#define _KVALAB_COMPAT_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || \
	LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#error "kvalab supports Linux 6.1 to 6.12 (see the compat header)"
#endif

/*
 * x86_64 only: the TLB flush (__flush_tlb_all(), an x86 export; no range
 * flush is exported on x86), the page-table checks and the la57-aware
 * layout assumptions are x86's.
 */
#ifndef CONFIG_X86_64
#error "kvalab supports x86_64 only (see the compat header)"
#endif

#include <linux/gfp.h>

/*
 * The bulk page allocator: __alloc_pages_bulk() (GPL) on 6.1; on 6.12 the
 * export is alloc_pages_bulk_noprof() behind the alloc_hooks() macro
 * __alloc_pages_bulk(). Both spell the page-array form
 * alloc_pages_bulk_array(), an inline (6.1) or macro (6.12), so the call is
 * the same here; it fills the NULL slots of @pages and returns how many
 * slots are filled, possibly fewer than @nr.
 */
static inline unsigned long kvalab_alloc_pages_bulk(gfp_t gfp,
						    unsigned long nr,
						    struct page **pages)
{
	return alloc_pages_bulk_array(gfp, nr, pages);
}

/*
 * Flush this CPU's whole TLB, global entries included. x86 exports
 * __flush_tlb_all() (GPL) but no range flush (flush_tlb_kernel_range() is
 * not exported), so a kernel-range flush is this on every CPU.
 */
#include <asm/cpufeature.h>
#include <asm/tlbflush.h>

static inline void kvalab_flush_tlb_local(void)
{
	__flush_tlb_all();
}

/*
 * An aligned vmalloc, for the vmalloc backend's align cases: only kernels
 * built with CONFIG_TEST_VMALLOC=m export __vmalloc_node() (GPL; on 6.10+
 * the export is __vmalloc_node_noprof() behind an alloc_hooks() macro of the
 * old name, so the call is the same). Kbuild defines
 * KVALAB_HAVE_VMALLOC_NODE when the build tree's Module.symvers lists it.
 * The flags are test_vmalloc's for its align cases (GFP_KERNEL |
 * __GFP_ZERO); its node 0 is NUMA_NO_NODE here, the same on one node.
 */
#include <linux/numa.h>
#include <linux/vmalloc.h>

#ifdef KVALAB_HAVE_VMALLOC_NODE
#define KVALAB_VMALLOC_ALIGNED	true
static inline void *kvalab_vmalloc_aligned(unsigned long size,
					   unsigned long align,
					   const void *caller)
{
	return __vmalloc_node(size, align, GFP_KERNEL | __GFP_ZERO,
			      NUMA_NO_NODE, caller);
}
#else
#define KVALAB_VMALLOC_ALIGNED	false
/* Never called: the backend says it cannot align (wl_backend.aligned). */
static inline void *kvalab_vmalloc_aligned(unsigned long size,
					   unsigned long align,
					   const void *caller)
{
	return NULL;
}
#endif

/*
 * kvfree_rcu() with one argument (no rcu_head; may sleep): 6.1's
 * kvfree_rcu(p) form is gone by 6.12, whose name for it,
 * kvfree_rcu_mightsleep(), Debian's 6.1 has too. Both end in the GPL
 * export kvfree_call_rcu().
 */
#include <linux/rcupdate.h>
#define kvalab_kvfree_rcu_1arg(p)	kvfree_rcu_mightsleep(p)

/*
 * The tlb_flush=invlpg lever (module/pgtable.c): a purge of a few pages
 * flushes them one INVLPG each on every CPU, as flush_tlb_kernel_range()
 * does below tlb_single_page_flush_ceiling (arch/x86/mm/tlb.c,
 * do_kernel_range_flush(), the same on 6.1 and 6.12) but cannot be called
 * (not exported). It is correct only where INVLPG reaches every address
 * space's entry for a kernel address: without page-table isolation the
 * kernel's PTEs are global and INVLPG drops a global entry whatever the
 * PCID; with PTI they are per PCID, and the kernel's flush_tlb_one_kernel()
 * then sets cpu_tlbstate.invalidate_other, which a module cannot reach.
 * Xen PV traps INVLPG. Elsewhere the lever falls back to the full flush.
 */
static inline bool kvalab_invlpg_ok(void)
{
	return !boot_cpu_has(X86_FEATURE_PTI) &&
		!boot_cpu_has(X86_FEATURE_XENPV);
}

static inline void kvalab_flush_tlb_one_local(unsigned long addr)
{
	asm volatile("invlpg (%0)" : : "r" (addr) : "memory");
}

#endif /* _KVALAB_COMPAT_H */
