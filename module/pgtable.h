/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KVALAB_PGTABLE_H
#define _KVALAB_PGTABLE_H

#include <linux/types.h>

struct page;
struct mm_struct;

/*
 * Everything that touches kernel page tables or the TLB. All of it runs in
 * process context and may sleep.
 */
void kvalab_pgtable_init(struct mm_struct *init_mm);

/*
 * Reserve @size bytes (page multiple) of vmalloc space for the slice and
 * leave its PTEs allocated but clear. Returns the start or NULL.
 */
void *kvalab_slice_reserve(unsigned long size);
void kvalab_slice_release(void *start);
/*
 * The same for the floor backend's range (module/workloads/wl_floor.c): a second
 * reservation, aligned as the slice is, which no allocator manages.
 */
void *kvalab_floor_reserve(unsigned long size);
void kvalab_floor_release(void *start);
/*
 * One page of reserved, unmapped vmalloc space for module/tlbcheck.c (its
 * caller serialises): mapped and cleared only by the check itself.
 */
void *kvalab_scratch_reserve(void);
void kvalab_scratch_release(void *start);

/*
 * Map @nr pages at @addr. Every PTE must be clear; on failure any PTE this
 * call set is cleared again, and the caller must treat the range as
 * needing a TLB flush before reuse.
 */
int kvalab_map_range(unsigned long addr, struct page **pages,
		     unsigned int nr);
/* Clear every present PTE in [addr, addr + nr pages); no TLB flush. */
void kvalab_unmap_range_noflush(unsigned long addr, unsigned int nr);
void kvalab_unmap_range(unsigned long addr, unsigned int nr,
			atomic_long_t *flushes);
/* Flush the TLB on every CPU. */
void kvalab_flush_tlb_all(void);
/*
 * Flush [start, end) on every CPU: the full flush, or per page under the
 * tlb_flush=invlpg lever when the range is small enough (pgtable.c).
 * Returns true when it flushed per page.
 */
bool kvalab_flush_tlb_range(unsigned long start, unsigned long end);

#endif /* _KVALAB_PGTABLE_H */
