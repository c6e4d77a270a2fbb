// SPDX-License-Identifier: GPL-2.0
/*
 * check tlb: a flush is real.
 *
 * kvalab frees a VA lazily and hands it out again only after the flush of
 * its purge (area.c, purge.c), the flush being its own on 7.x (compat.h).
 * If that flush missed a CPU, or did not drop global entries, the VA's next
 * user would read and write the previous page through a stale translation:
 * nothing in the allocator's own checks would notice. This check shows the
 * flush at work on a page of its own (pgtable.c's scratch reservation):
 *
 *   1. map page A at the VA; every CPU reads it (the translation is cached);
 *   2. point the PTE at page B without a flush; every CPU reads again: a
 *      CPU that still sees A's word holds a stale entry (the "stale"
 *      count: it shows that the check can tell, and that nothing else
 *      flushed in between);
 *   3. flush the way the check's round says; every CPU reads again and must
 *      see B's word. A's word means the flush missed that CPU.
 *
 * Two rounds: "full" (kvalab_flush_tlb_all(), what init and unload use) and
 * "purge" (kvalab_flush_tlb_range() over the page, what a purge does: the
 * full flush, or INVLPG under tlb_flush=invlpg). The words differ per round
 * and per page, so no round can pass on a previous round's contents.
 *
 * Reads on the other CPUs happen in on_each_cpu() callbacks, which run with
 * interrupts off and load the VA once each. The caller stays on one CPU
 * (migrate_disable()) so that its own entry is the one it cached. A CPU that
 * switches address space between steps 1 and 2 may drop its entry by itself
 * (QEMU's TCG flushes its soft TLB on every CR3 write), which lowers "stale"
 * but cannot make step 3 pass wrongly.
 */
#include <linux/compiler.h>
#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "pgtable.h"
#include "tlbcheck.h"

/* One check at a time: there is one scratch page. */
static DEFINE_MUTEX(tlbcheck_mutex);

struct tlb_probe {
	unsigned long va;
	u64 a, b;		/* the words of pages A and B this round */
	atomic_t saw_a, saw_b, saw_other;
};

static void probe_read(void *data)
{
	struct tlb_probe *p = data;
	u64 v = READ_ONCE(*(u64 *)p->va);

	if (v == p->a)
		atomic_inc(&p->saw_a);
	else if (v == p->b)
		atomic_inc(&p->saw_b);
	else
		atomic_inc(&p->saw_other);
}

/* Every online CPU reads the VA once; returns how many saw A, B, other. */
static void probe_all(struct tlb_probe *p, int *a, int *b, int *other)
{
	atomic_set(&p->saw_a, 0);
	atomic_set(&p->saw_b, 0);
	atomic_set(&p->saw_other, 0);
	on_each_cpu(probe_read, p, 1);
	*a = atomic_read(&p->saw_a);
	*b = atomic_read(&p->saw_b);
	*other = atomic_read(&p->saw_other);
}

static void fill_word(struct page *page, u64 word)
{
	u64 *p = kmap_local_page(page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(u64); i++)
		p[i] = word;
	kunmap_local(p);
}

struct tlb_round {
	const char *name;
	int cpus, stale, missed;	/* missed: CPUs on A after the flush */
	bool invlpg;			/* purge round: flushed per page */
};

/*
 * One round at @va with pages @pa and @pb. Returns 0, or -EUCLEAN with
 * the reason in @res when a read was neither page's word or a CPU reached
 * A after the flush.
 */
static int tlb_round(unsigned long va, struct page **pa, struct page **pb,
		     u64 seed, bool purge, struct tlb_round *r,
		     char *res, size_t len)
{
	struct tlb_probe p = { .va = va, .a = seed, .b = ~seed };
	int a, b, other, err;

	fill_word(*pa, p.a);
	fill_word(*pb, p.b);
	err = kvalab_map_range(va, pa, 1);
	if (err) {
		snprintf(res, len, "check tlb: mapping page A failed (%d)", err);
		return err;
	}
	probe_all(&p, &a, &b, &other);
	r->cpus = a + b + other;
	if (a != r->cpus) {
		snprintf(res, len,
			 "check tlb %s: %d of %d CPUs did not read page A through its new mapping",
			 r->name, r->cpus - a, r->cpus);
		err = -EUCLEAN;
		goto out;
	}
	/*
	 * Repoint the PTE without a flush (not even debug_pagealloc's): the
	 * entries cached above are stale.
	 */
	kvalab_unmap_range_noflush(va, 1);
	err = kvalab_map_range(va, pb, 1);
	if (err) {
		snprintf(res, len, "check tlb: mapping page B failed (%d)", err);
		goto out_flush;
	}
	probe_all(&p, &a, &b, &other);
	r->stale = a;
	if (purge)
		r->invlpg = kvalab_flush_tlb_range(va, va + PAGE_SIZE);
	else
		kvalab_flush_tlb_all();
	probe_all(&p, &a, &b, &other);
	r->missed = a;
	if (a || other) {
		snprintf(res, len,
			 "check tlb %s: after the flush %d of %d CPUs still read page A, %d neither page",
			 r->name, a, r->cpus, other);
		err = -EUCLEAN;
	}
out:
	/* The full flush below covers it. */
	kvalab_unmap_range_noflush(va, 1);
out_flush:
	kvalab_flush_tlb_all();
	return err;
}

int kvalab_tlb_check(char *res, size_t len)
{
	struct tlb_round full = { .name = "full" }, purge = { .name = "purge" };
	struct page *pages[2] = { NULL, NULL };
	unsigned long va;
	void *scratch;
	int err = -ENOMEM;

	mutex_lock(&tlbcheck_mutex);
	pages[0] = alloc_page(GFP_KERNEL);
	pages[1] = alloc_page(GFP_KERNEL);
	scratch = kvalab_scratch_reserve();
	if (!pages[0] || !pages[1] || !scratch) {
		snprintf(res, len, "check tlb: out of memory");
		goto out;
	}
	va = (unsigned long)scratch;
	migrate_disable();
	err = tlb_round(va, &pages[0], &pages[1], 0x6b766c6174626c31ULL,
			false, &full, res, len);
	if (!err)
		err = tlb_round(va, &pages[1], &pages[0], 0x6b766c6174626c32ULL,
				true, &purge, res, len);
	migrate_enable();
	if (!err)
		snprintf(res, len,
			 "ok check tlb flush=%s cpus=%d full_stale=%d full_missed=%d purge_stale=%d purge_missed=%d purge_flush=%s\n",
			 kvalab_flush_tlb_name(), full.cpus, full.stale,
			 full.missed, purge.stale, purge.missed,
			 purge.invlpg ? "invlpg" : "full");
out:
	if (scratch)
		kvalab_scratch_release(scratch);
	if (pages[1])
		__free_page(pages[1]);
	if (pages[0])
		__free_page(pages[0]);
	mutex_unlock(&tlbcheck_mutex);
	return err;
}
