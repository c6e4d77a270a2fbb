// SPDX-License-Identifier: GPL-2.0
/*
 * The only place kvalab touches page tables and TLBs.
 *
 * The slice is reserved with vmap() of one placeholder page repeated (no
 * exported way to reserve vmalloc space without mapping it), then its PTEs
 * are cleared. vmap() left every page-table level of the slice allocated,
 * so later mappings with apply_to_page_range() never allocate page tables.
 * vunmap() releases the slice and tolerates the cleared PTEs.
 *
 * No exported function flushes a kernel range on x86, so a flush is a full
 * local flush (kvalab_flush_tlb_local(), compat.h: __flush_tlb_all() where
 * it is exported, else the same done natively) on every CPU through
 * on_each_cpu(): costly, which is why
 * area.c batches frees on the lazy list as mm/vmalloc.c does. The
 * tlb_flush=invlpg lever replaces it for small ranges (see below).
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pgtable.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

#include "pgtable.h"

static struct mm_struct *kvalab_init_mm;

/*
 * One reserved range: what vmap() returned (the range used is an aligned
 * part of it) and the placeholder page vmap() was given.
 */
struct va_resv {
	void *reserved;
	struct page *placeholder;
};

/*
 * The slice, the floor backend's range (module/workloads/wl_floor.c) and the page of
 * the TLB check (module/tlbcheck.c).
 */
static struct va_resv slice_resv, floor_resv, scratch_resv;

void kvalab_pgtable_init(struct mm_struct *init_mm)
{
	kvalab_init_mm = init_mm;
}

static int clear_pte(pte_t *pte, unsigned long addr, void *data)
{
	unsigned long *cleared = data;

	if (!pte_none(ptep_get(pte))) {
		pte_clear(kvalab_init_mm, addr, pte);
		(*cleared)++;
	}
	return 0;
}

static unsigned long clear_range(unsigned long addr, unsigned long size)
{
	unsigned long cleared = 0;

	kvalab_apply_to_present(kvalab_init_mm, addr, size, clear_pte,
				&cleared);
	return cleared;
}

/*
 * The slice's start alignment: 2 MiB, or the slice size rounded down to a
 * power of two if smaller, so that offsets of requests aligned up to that
 * are the same on every load (the tutorial and the VM suites rely on it).
 */
static unsigned long slice_align(unsigned long size)
{
	return min(SZ_2M, rounddown_pow_of_two(size));
}

/*
 * Inlined so that vmap()'s caller, which /proc/vmallocinfo prints, is
 * kvalab_slice_reserve or kvalab_floor_reserve, telling the two apart.
 */
static __always_inline void *resv_reserve(struct va_resv *r,
					  unsigned long size)
{
	unsigned long align = slice_align(size);
	unsigned long i, count = (size + align - PAGE_SIZE) >> PAGE_SHIFT;
	struct page **pages;

	r->placeholder = alloc_page(GFP_KERNEL);
	if (!r->placeholder)
		return NULL;
	pages = kvmalloc_array(count, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		goto out_page;
	for (i = 0; i < count; i++)
		pages[i] = r->placeholder;
	/*
	 * vmap() aligns to the size's order only up to IOREMAP_MAX_ORDER and
	 * takes no alignment: reserve align - PAGE_SIZE more and use the
	 * aligned part. The rest stays reserved, unused, until release.
	 */
	r->reserved = vmap(pages, count, VM_MAP, PAGE_KERNEL);
	kvfree(pages);
	if (!r->reserved)
		goto out_page;
	clear_range((unsigned long)r->reserved, count << PAGE_SHIFT);
	/* Nothing may reach the placeholder through a stale TLB entry. */
	kvalab_flush_tlb_all();
	return PTR_ALIGN(r->reserved, align);

out_page:
	__free_page(r->placeholder);
	r->placeholder = NULL;
	return NULL;
}

static void resv_release(struct va_resv *r, void *start)
{
	/* @start is the aligned part of what vmap() gave. */
	WARN_ON(!r->reserved || start < r->reserved);
	vunmap(r->reserved);
	r->reserved = NULL;
	__free_page(r->placeholder);
	r->placeholder = NULL;
}

void *kvalab_slice_reserve(unsigned long size)
{
	return resv_reserve(&slice_resv, size);
}

void kvalab_slice_release(void *start)
{
	resv_release(&slice_resv, start);
}

void *kvalab_floor_reserve(unsigned long size)
{
	return resv_reserve(&floor_resv, size);
}

void kvalab_floor_release(void *start)
{
	resv_release(&floor_resv, start);
}

void *kvalab_scratch_reserve(void)
{
	return resv_reserve(&scratch_resv, PAGE_SIZE);
}

void kvalab_scratch_release(void *start)
{
	resv_release(&scratch_resv, start);
}

struct map_ctx {
	struct page **pages;
	unsigned int next;
};

static int map_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct map_ctx *ctx = data;

	/* A present PTE here means the allocator handed out a busy VA. */
	if (WARN_ON_ONCE(!pte_none(ptep_get(pte))))
		return -EBUSY;
	set_pte_at(kvalab_init_mm, addr, pte,
		   mk_pte(ctx->pages[ctx->next], PAGE_KERNEL));
	ctx->next++;
	return 0;
}

int kvalab_map_range(unsigned long addr, struct page **pages,
		     unsigned int nr)
{
	struct map_ctx ctx = { .pages = pages };
	unsigned long size = (unsigned long)nr << PAGE_SHIFT;
	int err;

	err = apply_to_page_range(kvalab_init_mm, addr, size, map_pte, &ctx);
	if (err)
		clear_range(addr, (unsigned long)ctx.next << PAGE_SHIFT);
	return err;
}

void kvalab_unmap_range_noflush(unsigned long addr, unsigned int nr)
{
	clear_range(addr, (unsigned long)nr << PAGE_SHIFT);
}

/*
 * Unmap, and flush at once when the kernel runs with debug_pagealloc=on, as
 * vmalloc does then (mm/vmalloc.c: free_unmap_vmap_area(), vb_free()):
 * the pages go back to the page allocator right after this, and a CPU
 * that kept a translation until the lazy purge could read or write a page
 * the allocator has unmapped from the linear map or poisoned, unseen by
 * either check. Otherwise the flush waits for the purge. Such a flush is
 * counted in @flushes, the caller's flush counter.
 */
void kvalab_unmap_range(unsigned long addr, unsigned int nr,
			atomic_long_t *flushes)
{
	kvalab_unmap_range_noflush(addr, nr);
	if (!debug_pagealloc_enabled_static())
		return;
	kvalab_flush_tlb_range(addr, addr + ((unsigned long)nr << PAGE_SHIFT));
	atomic_long_inc(flushes);
}

static void flush_this_cpu(void *unused)
{
	kvalab_flush_tlb_local();
}

void kvalab_flush_tlb_all(void)
{
	on_each_cpu(flush_this_cpu, NULL, 1);
}

/*
 * How a purge flushes (docs/performance.md, the invlpg lever): kernel (the
 * default), the full flush on every CPU that is the only exported way; or
 * invlpg, an INVLPG per page in the same IPI when the range is at most
 * tlb_invlpg_ceiling pages (33, the kernel's tlb_single_page_flush_ceiling)
 * and kvalab_invlpg_ok() (no PTI, not Xen PV), else the full flush.
 */
enum { TLB_FLUSH_KERNEL, TLB_FLUSH_INVLPG };
static int tlb_flush_mode = TLB_FLUSH_KERNEL;
static const char *const tlb_flush_names[] = { "kernel", "invlpg" };

static int tlb_flush_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(tlb_flush_names, val);

	if (i < 0) {
		pr_err("tlb_flush='%s': expected kernel or invlpg\n", val);
		return -EINVAL;
	}
	WRITE_ONCE(tlb_flush_mode, i);
	return 0;
}

static int tlb_flush_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  tlb_flush_names[READ_ONCE(tlb_flush_mode)]);
}

static const struct kernel_param_ops tlb_flush_ops = {
	.set = tlb_flush_set,
	.get = tlb_flush_get,
};
module_param_cb(tlb_flush, &tlb_flush_ops, NULL, 0644);
MODULE_PARM_DESC(tlb_flush,
		 "How a purge flushes the TLB: kernel (full flush; default) or invlpg (per page up to tlb_invlpg_ceiling pages, without PTI)");

static unsigned int tlb_invlpg_ceiling = 33;
module_param(tlb_invlpg_ceiling, uint, 0644);
MODULE_PARM_DESC(tlb_invlpg_ceiling,
		 "Most pages tlb_flush=invlpg flushes one by one (default 33, the kernel's ceiling)");

/* Flushes that took the INVLPG path, for the lever's measurement. */
static atomic_long_t tlb_invlpg_flushes = ATOMIC_LONG_INIT(0);

static int tlb_invlpg_flushes_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&tlb_invlpg_flushes));
}

static const struct kernel_param_ops tlb_invlpg_flushes_ops = {
	.get = tlb_invlpg_flushes_get,
};
module_param_cb(tlb_invlpg_flushes, &tlb_invlpg_flushes_ops, NULL, 0444);
MODULE_PARM_DESC(tlb_invlpg_flushes,
		 "Flushes made with INVLPG per page so far (read only)");

struct flush_range {
	unsigned long start, end;
};

static void invlpg_this_cpu(void *data)
{
	const struct flush_range *r = data;
	unsigned long addr;

	for (addr = r->start; addr < r->end; addr += PAGE_SIZE)
		kvalab_flush_tlb_one_local(addr);
}

bool kvalab_flush_tlb_range(unsigned long start, unsigned long end)
{
	struct flush_range r = { start & PAGE_MASK, PAGE_ALIGN(end) };

	if (READ_ONCE(tlb_flush_mode) == TLB_FLUSH_INVLPG &&
	    kvalab_invlpg_ok() && r.end > r.start &&
	    (r.end - r.start) >> PAGE_SHIFT <= READ_ONCE(tlb_invlpg_ceiling)) {
		on_each_cpu(invlpg_this_cpu, &r, 1);
		atomic_long_inc(&tlb_invlpg_flushes);
		return true;
	}
	kvalab_flush_tlb_all();
	return false;
}
