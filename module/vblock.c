// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU vmap blocks: the fast path for small vm_map_ram()-style mappings,
 * after mm/vmalloc.c's vb_alloc() and vb_free() (struct vmap_block, since
 * 2.6.28). Each CPU owns a current block: one busy area of vb_pages pages
 * with no pages of its own, carved by a bump pointer into power-of-two
 * pieces, so a mapping costs no VA search, no area object and no tree
 * insert. A freed piece is unmapped but its VA is never handed out again
 * from the block ("dirty"); once a block is full it is retired, and when
 * every piece handed out of a retired block is dirty the whole block is
 * freed like any area: it waits on the lazy list, and the purge's TLB flush
 * covers every stale translation of every piece. So the invariant of the
 * lazy list holds: no VA is reused before a flush that covers it.
 *
 * Blocks are ordinary busy areas to the core and to every placement policy
 * (the policy places the block, as 6.9's vmap nodes sit in front of the
 * tree search); the checker knows them by KVALAB_VBLOCK.
 *
 * Locking: each CPU's queue lock covers its current-block pointer and the
 * counters of every block created on that CPU. No path holds it with any
 * allocator lock, and nothing sleeps under it.
 */
#include <linux/err.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "kvalab.h"
#include "breakdown.h"
#include "pgtable.h"

/* The per-CPU block fast path can be switched off to measure without it. */
static bool vblocks = true;
module_param(vblocks, bool, 0644);
MODULE_PARM_DESC(vblocks,
		 "Serve small page mappings (vm_map_ram workload) from per-CPU blocks (default Y)");

/* Largest piece (pages) a block serves: VMAP_MAX_ALLOC, BITS_PER_LONG. */
#define VB_MAX_ALLOC	BITS_PER_LONG

struct kvalab_vbq {
	spinlock_t lock;		/* see the comment at the top */
	struct kvalab_area *cur;	/* this CPU's block, or NULL */
};

int kvalab_vblocks_init(struct kvalab *kv)
{
	unsigned long slice_pages = kv->slice_size >> PAGE_SHIFT;
	int cpu;

	/*
	 * 1,024 pages (mm/vmalloc.c's VMAP_BBMAP_BITS_MAX) on big slices; a
	 * thirty-second of a small slice, but at least one largest piece.
	 */
	kv->vb_pages = clamp_t(unsigned long,
			       rounddown_pow_of_two(max(slice_pages / 32, 1UL)),
			       VB_MAX_ALLOC, 1024);
	kv->vbq = alloc_percpu(struct kvalab_vbq);
	if (!kv->vbq)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		spin_lock_init(&per_cpu_ptr(kv->vbq, cpu)->lock);
	return 0;
}

void kvalab_vblocks_exit(struct kvalab *kv)
{
	free_percpu(kv->vbq);
	kv->vbq = NULL;
}

/* Every piece handed out of retired @vb is dirty: the block can go. */
static bool vb_done(const struct kvalab_vblock *vb)
{
	return vb->retired && vb->dirty == vb->nr - vb->free;
}

/* Free the block's VA; its struct goes with its record (area.c). */
static void vb_release(struct kvalab *kv, struct kvalab_area *block)
{
	kvalab_free(kv, block);	/* consumes the reference the block held */
}

/* The next @n pages of @block (queue lock held, room checked). */
static unsigned long vb_take(struct kvalab_area *block, unsigned int n)
{
	struct kvalab_vblock *vb = block->vb;
	unsigned long addr = block->va->va_start +
			     ((unsigned long)(vb->nr - vb->free) << PAGE_SHIFT);

	vb->free -= n;
	return addr;
}

/* A new block for CPU @cpu, or an ERR_PTR. */
static struct kvalab_area *vb_new(struct kvalab *kv, unsigned int cpu)
{
	struct kvalab_vblock *vb = kzalloc(sizeof(*vb), GFP_KERNEL);
	struct kvalab_area *block;

	if (!vb)
		return ERR_PTR(-ENOMEM);
	block = kvalab_alloc(kv, kv->vb_pages << PAGE_SHIFT, PAGE_SIZE,
			     KVALAB_NOGUARD | KVALAB_WORKLOAD | KVALAB_VBLOCK,
			     __builtin_return_address(0));
	if (IS_ERR(block)) {
		kfree(vb);
		return block;
	}
	vb->cpu = cpu;
	vb->nr = kv->vb_pages;
	vb->free = vb->nr;
	/* Published with the queue lock the first user takes. */
	block->vb = vb;
	return block;	/* with the reference kvalab_alloc() gave us */
}

/* Retire this CPU's block (if any); free it if nothing of it is live. */
static void vb_retire_cpu(struct kvalab *kv, unsigned int cpu)
{
	struct kvalab_vbq *q = per_cpu_ptr(kv->vbq, cpu);
	struct kvalab_area *old;
	bool done = false;

	spin_lock(&q->lock);
	old = q->cur;
	q->cur = NULL;
	if (old) {
		old->vb->retired = true;
		done = vb_done(old->vb);
	}
	spin_unlock(&q->lock);
	if (done)
		vb_release(kv, old);
}

void kvalab_vblocks_drain(struct kvalab *kv)
{
	int cpu;

	for_each_possible_cpu(cpu)
		vb_retire_cpu(kv, cpu);
}

void *kvalab_vm_map_ram(struct kvalab *kv, struct page **pages,
			unsigned int count, const void *caller)
{
	struct kvalab_area *block, *spare = NULL;
	struct kvalab_vbq *q;
	unsigned long addr = 0;
	unsigned int n, cpu;
	int err;
	u64 t;

	if (!pages || !count)
		return NULL;
	if (!READ_ONCE(vblocks) || count > VB_MAX_ALLOC) {
		struct kvalab_area *a = kvalab_map_pages(kv, pages, count,
							 caller);

		if (IS_ERR(a))
			return NULL;
		addr = a->va->va_start;
		kvalab_put(kv, a);	/* the busy tree keeps its reference */
		return (void *)addr;
	}

	n = roundup_pow_of_two(count);
	t = kvalab_ph_start();
	for (;;) {
		struct kvalab_area *full = NULL;
		bool done = false;

		/* Any CPU's queue is correct; this one's is cheapest. */
		cpu = raw_smp_processor_id();
		q = per_cpu_ptr(kv->vbq, cpu);
		spin_lock(&q->lock);
		block = q->cur;
		if (block && block->vb->free < n) {
			/* Full for this request: retire it. */
			q->cur = NULL;
			block->vb->retired = true;
			done = vb_done(block->vb);
			full = block;
			block = NULL;
		}
		if (!block && spare) {
			/* n <= VB_MAX_ALLOC <= vb_pages: a new block fits it. */
			q->cur = spare;
			block = spare;
			spare = NULL;
		}
		if (block)
			addr = vb_take(block, n);
		spin_unlock(&q->lock);
		if (done)
			vb_release(kv, full);
		if (block)
			break;
		spare = vb_new(kv, cpu);
		if (IS_ERR(spare))
			return NULL;
	}
	/* A block made while another thread installed one: not needed. */
	if (spare)
		vb_release(kv, spare);
	kvalab_ph_end(KVALAB_PH_VBLOCK, t);

	t = kvalab_ph_start();
	err = kvalab_map_range(addr, pages, count);
	kvalab_ph_end(KVALAB_PH_MAP, t);
	if (err) {
		/* The piece may have live PTEs: it is dirty from now on. */
		kvalab_vm_unmap_ram(kv, (void *)addr, count);
		return NULL;
	}
	return (void *)addr;
}

void kvalab_vm_unmap_ram(struct kvalab *kv, const void *mem,
			 unsigned int count)
{
	unsigned long addr = (unsigned long)mem;
	struct kvalab_area *block = NULL;
	struct kvalab_vbq *q;
	struct kva_area *va;
	bool done;

	u64 t;

	if (!mem)
		return;
	if (count <= VB_MAX_ALLOC) {
		t = kvalab_ph_start();
		spin_lock(&kv->busy_lock);
		va = kva_busy_find(&kv->space, addr);
		if (va && ((struct kvalab_area *)va->owner)->vb)
			block = va->owner;
		spin_unlock(&kv->busy_lock);
		kvalab_ph_end(KVALAB_PH_LOOKUP, t);
	}
	if (!block) {
		/* Mapped by the plain path (large, or blocks were off). */
		kvalab_vfree(kv, mem);
		return;
	}

	/*
	 * The block cannot go away under us: it is freed only when every
	 * piece handed out of it is dirty, and this one is not yet.
	 */
	t = kvalab_ph_start();
	kvalab_unmap_range(addr, count, &kv->cnt.tlb_flushes);
	kvalab_ph_end(KVALAB_PH_UNMAP, t);
	q = per_cpu_ptr(kv->vbq, block->vb->cpu);
	spin_lock(&q->lock);
	block->vb->dirty += roundup_pow_of_two(count);
	done = vb_done(block->vb);
	spin_unlock(&q->lock);
	if (done)
		vb_release(kv, block);
}
