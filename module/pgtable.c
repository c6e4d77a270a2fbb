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
 * No exported function flushes a kernel range on x86, so a flush is
 * __flush_tlb_all() on every CPU through on_each_cpu(): costly, which is why
 * area.c batches frees on the lazy list as mm/vmalloc.c does.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/smp.h>
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

/* The slice, and the floor backend's range (module/wl_floor.c). */
static struct va_resv slice_resv, floor_resv;

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

	apply_to_existing_page_range(kvalab_init_mm, addr, size, clear_pte,
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

static void *resv_reserve(struct va_resv *r, unsigned long size)
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

void kvalab_unmap_range(unsigned long addr, unsigned int nr)
{
	clear_range(addr, (unsigned long)nr << PAGE_SHIFT);
}

static void flush_this_cpu(void *unused)
{
	kvalab_flush_tlb_local();
}

void kvalab_flush_tlb_all(void)
{
	on_each_cpu(flush_this_cpu, NULL, 1);
}
