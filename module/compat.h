/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for kernel-version and architecture differences. Kbuild
 * force-includes it (-include) into every kernel object of kvalab, before
 * any other header, so pr_fmt is defined once here and nothing else needs
 * an #if on versions or architectures.
 *
 * Supported: Linux 6.1 to 7.3 on x86_64 (Debian 12's 6.1, its backports'
 * 6.12, sid's 7.2 and trixie-backports' 7.3, the versions the VM suites
 * boot). The range is stated here and nowhere else in the code; README.md
 * and dkms.conf repeat it for users.
 *
 * Export differences are probed by Kbuild in the build tree's
 * Module.symvers (an export can move into a namespace or disappear within
 * a version, and distributions backport), and arrive here as
 * KVALAB_HAVE_* defines; version differences are tested here.
 */
#ifndef _KVALAB_COMPAT_H
#define _KVALAB_COMPAT_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0) || \
	LINUX_VERSION_CODE >= KERNEL_VERSION(7, 4, 0)
#error "kvalab supports Linux 6.1 to 7.3 (see the compat header)"
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
 * The bulk page allocator: __alloc_pages_bulk() (GPL) on 6.1; from 6.10
 * the export is alloc_pages_bulk_noprof() behind an alloc_hooks() macro.
 * The page-array form is alloc_pages_bulk_array() (an inline on 6.1, a
 * macro on 6.12) until 6.14 renamed it alloc_pages_bulk() (the list form
 * was dropped). Either fills the NULL slots of @pages and returns how many
 * slots are filled, possibly fewer than @nr.
 */
static inline unsigned long kvalab_alloc_pages_bulk(gfp_t gfp,
						    unsigned long nr,
						    struct page **pages)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 14, 0)
	return alloc_pages_bulk(gfp, nr, pages);
#else
	return alloc_pages_bulk_array(gfp, nr, pages);
#endif
}

/*
 * Flush this CPU's whole TLB, global entries included; a kernel-range
 * flush is this on every CPU (no range flush is exported on x86:
 * flush_tlb_kernel_range() is not).
 *
 * Where __flush_tlb_all() (GPL) is exported to every module (6.1 to 6.12;
 * Kbuild defines KVALAB_HAVE_FLUSH_TLB_ALL when Module.symvers lists it
 * outside a namespace), it is called. 7.x exports it to KVM only (namespace
 * module:kvm,...), so there kvalab does what arch/x86/mm/tlb.c's
 * __flush_tlb_all() does natively, with the instructions' header inlines:
 *
 *  - PGE on (kernel mappings global) and INVPCID: INVPCID type 2 (all
 *    contexts, globals included), native_flush_tlb_global()'s first choice.
 *  - PGE on, no INVPCID: toggle CR4.PGE off and on with interrupts off.
 *    Any write that changes CR4.PGE invalidates every TLB entry of every
 *    PCID, global ones included (SDM vol. 3, 4.10.4.1). CR4 ends as it
 *    was, so the kernel's shadow of it (cpu_tlbstate.cr4) stays true; with
 *    interrupts off no interrupt can see or write CR4 in between. PGE is
 *    not among the pinned bits (cr4_pinned_mask).
 *  - PGE off: no entry is global and the kernel never enables PCID without
 *    PGE (setup_pcid()), so reloading CR3 flushes everything, as
 *    flush_tlb_local() does there.
 *
 * Page-table isolation changes nothing here: its user-half PCIDs map the
 * entry trampoline, not vmalloc space, and the three ways above drop every
 * PCID's entries anyway. Xen PV traps all three and needs its hypercall
 * (a paravirt op, not exported): kvalab refuses to load there
 * (kvalab_flush_tlb_ok()).
 */
#include <asm/cpufeature.h>
#include <asm/tlbflush.h>

#ifdef KVALAB_HAVE_FLUSH_TLB_ALL
static inline bool kvalab_flush_tlb_ok(void)
{
	return true;
}

/* How kvalab_flush_tlb_local() flushes, for the log and "check tlb". */
static inline const char *kvalab_flush_tlb_name(void)
{
	return "__flush_tlb_all";
}

static inline void kvalab_flush_tlb_local(void)
{
	__flush_tlb_all();
}
#else
#include <asm/invpcid.h>
#include <asm/special_insns.h>

static inline bool kvalab_flush_tlb_ok(void)
{
	return !boot_cpu_has(X86_FEATURE_XENPV);
}

static inline const char *kvalab_flush_tlb_name(void)
{
	if (!boot_cpu_has(X86_FEATURE_PGE))
		return "cr3";
	return boot_cpu_has(X86_FEATURE_INVPCID) ? "invpcid" : "cr4.pge";
}

static inline void kvalab_flush_tlb_local(void)
{
	unsigned long flags, cr4;

	if (boot_cpu_has(X86_FEATURE_PGE)) {
		if (boot_cpu_has(X86_FEATURE_INVPCID)) {
			invpcid_flush_all();
			return;
		}
		raw_local_irq_save(flags);
		cr4 = native_read_cr4();
		asm volatile("mov %0, %%cr4" : : "r" (cr4 ^ X86_CR4_PGE) : "memory");
		asm volatile("mov %0, %%cr4" : : "r" (cr4) : "memory");
		raw_local_irq_restore(flags);
		return;
	}
	raw_local_irq_save(flags);
	native_write_cr3(__native_read_cr3());
	raw_local_irq_restore(flags);
}
#endif

/*
 * Clearing PTEs of a range: apply_to_existing_page_range() (GPL) calls @fn
 * only for present PTEs and never allocates a page table; Kbuild defines
 * KVALAB_HAVE_APPLY_TO_EXISTING when Module.symvers lists it (6.1 to 6.12;
 * 7.x no longer exports it). Without it apply_to_page_range() walks the
 * same range and calls @fn for every PTE, none ones too (@fn must check
 * pte_none() itself, as pgtable.c's clear_pte() does). It allocates no page
 * table either: every range kvalab clears lies in a reservation that
 * vmap() mapped whole (pgtable.c), so every level of it exists until
 * vunmap(), which never frees page tables of vmalloc space.
 */
#include <linux/mm.h>

static inline int kvalab_apply_to_present(struct mm_struct *mm,
					  unsigned long addr,
					  unsigned long size,
					  pte_fn_t fn, void *data)
{
#ifdef KVALAB_HAVE_APPLY_TO_EXISTING
	return apply_to_existing_page_range(mm, addr, size, fn, data);
#else
	return apply_to_page_range(mm, addr, size, fn, data);
#endif
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

/* ---- test_vmalloc's 7.x cases on the vmalloc backend (wl_backends.c) ---- */

#include <linux/gfp.h>
#include <linux/vmalloc.h>

/*
 * no_block_alloc_test: __vmalloc() (exported on every supported kernel)
 * with GFP_NOWAIT or GFP_ATOMIC, called with preemption off. vmalloc honours
 * non-blocking flags from 6.19 (the series that added the test to
 * test_vmalloc: alloc_vmap_area() neither sleeps nor purges for them,
 * __vmalloc_area_node() maps under a no-reclaim scope). Before, vmalloc
 * may sleep whatever the flags (vmap_area objects, page tables and the
 * pages array are GFP_KERNEL allocations), so the backend skips the case
 * (KVALAB_VMALLOC_NOWAIT false, the stub never called) for the reason below.
 */
#define KVALAB_VMALLOC_NOWAIT_WHY	"vmalloc_may_sleep_before_6.19"
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define KVALAB_VMALLOC_NOWAIT	true
static inline void *kvalab_vmalloc_nowait(unsigned long size, gfp_t gfp)
{
	return __vmalloc(size, gfp);
}
#else
#define KVALAB_VMALLOC_NOWAIT	false
static inline void *kvalab_vmalloc_nowait(unsigned long size, gfp_t gfp)
{
	return NULL;
}
#endif

/*
 * vrealloc_test: vrealloc() with GFP_KERNEL, as test_vmalloc calls it.
 * 6.12 has vrealloc_noprof() but does not export it; the export (now
 * vrealloc_node_align_noprof(), behind the vrealloc() macro) came with
 * 7.0. Before, the backend skips the case (KVALAB_VMALLOC_REALLOC false,
 * the stub never called) for the reason below.
 */
#define KVALAB_VMALLOC_REALLOC_WHY	"vrealloc_not_exported_before_7.0"
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
#define KVALAB_VMALLOC_REALLOC	true
static inline void *kvalab_vmalloc_realloc(const void *p, unsigned long size)
{
	return vrealloc(p, size, GFP_KERNEL);
}
#else
#define KVALAB_VMALLOC_REALLOC	false
static inline void *kvalab_vmalloc_realloc(const void *p, unsigned long size)
{
	return NULL;
}
#endif

/* ---- end of test_vmalloc's 7.x cases ---- */

#endif /* _KVALAB_COMPAT_H */
