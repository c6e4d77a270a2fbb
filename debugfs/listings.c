// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only views of the slice: vmallocinfo (exactly the /proc/vmallocinfo
 * format, each busy line ending in " id=N" or " workload"; no header, so
 * parsers of the kernel's file read it), free_areas, lazy_areas, stats,
 * free_hist, free_tree, map, explain and the workloads' results; all but
 * vmallocinfo start with a "#" header line, there even when they list
 * nothing. Each view takes one allocator lock at a time, so a listing is
 * consistent within a tree but not across trees; "check" is the consistent
 * view.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/rbtree_augmented.h>
#include <linux/nodemask.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "../module/kvalab.h"
#include "../module/workloads/workloads.h"
#include "../module/record.h"
#include "../module/explain.h"
#include "debugfs.h"

/*
 * ---- vmallocinfo: the busy areas in address order under busy_lock, then
 * the lazy ones as the kernel's "unpurged vm_area" lines, as
 * vmalloc_info_show() prints them. No header line: /proc/vmallocinfo has
 * none, and an empty slice gives an empty file, as the kernel's would.
 * Position 0 is the list head, which prints nothing itself; it is there so
 * that a slice with lazy areas and no busy one still lists the lazy ones.
 */

static void *vmi_start(struct seq_file *m, loff_t *pos)
	__acquires(&kvalab->busy_lock)
{
	struct kvalab *kv = m->private;

	spin_lock(&kv->busy_lock);
	return seq_list_start_head(&kv->space.busy_list, *pos);
}

static void *vmi_next(struct seq_file *m, void *p, loff_t *pos)
{
	struct kvalab *kv = m->private;

	return seq_list_next(p, &kv->space.busy_list, pos);
}

static void vmi_stop(struct seq_file *m, void *p)
	__releases(&kvalab->busy_lock)
{
	struct kvalab *kv = m->private;

	spin_unlock(&kv->busy_lock);
}

/* " N<node>=<pages>" per node, as show_numa_info() prints them. */
static void show_numa(struct seq_file *m, struct kvalab_area *a)
{
	unsigned int nid, i, nr;

	/* VA-only areas (vmap blocks, VA-only replays) have no pages. */
	if (!a->pages)
		return;
	for_each_node_state(nid, N_HIGH_MEMORY) {
		nr = 0;
		for (i = 0; i < a->nr_pages; i++)
			if (a->pages[i] && page_to_nid(a->pages[i]) == nid)
				nr++;
		if (nr)
			seq_printf(m, " N%u=%u", nid, nr);
	}
}

/*
 * The lazy areas after the last busy one, as show_purge_info() prints
 * them. The lock order is busy, lazy, free (module/kvalab.h), so taking
 * the lazy lock under the busy lock is allowed.
 */
static void show_unpurged(struct seq_file *m, struct kvalab *kv)
{
	struct kva_area *va;

	spin_lock(&kv->lazy_lock);
	list_for_each_entry(va, &kv->space.lazy_list, list)
		seq_printf(m, "0x%pK-0x%pK %7ld unpurged vm_area\n",
			   (void *)va->va_start, (void *)va->va_end,
			   (long)kva_size(va));
	spin_unlock(&kv->lazy_lock);
}

/*
 * Control-file areas end with "id=N"; workload areas, which have no id
 * (module/area.c), end with "workload" instead, so none reads as "id=0".
 */
static void show_owner(struct seq_file *m, struct kvalab_area *a)
{
	if (a->id)
		seq_printf(m, " id=%u\n", a->id);
	else
		seq_puts(m, " workload\n");
}

static int vmi_show(struct seq_file *m, void *p)
{
	struct kvalab *kv = m->private;
	struct kva_area *va;
	struct kvalab_area *a;

	if (p == &kv->space.busy_list)
		goto last;
	va = list_entry(p, struct kva_area, list);
	a = va->owner;
	seq_printf(m, "0x%pK-0x%pK %7ld", (void *)va->va_start,
		   (void *)va->va_end, (long)kva_size(va));
	/*
	 * A vmap block holds VA only: the kernel prints its blocks as
	 * "vm_map_ram" lines with no caller and no page count (they have no
	 * vm_struct), and so does kvalab.
	 */
	if (a->flags & KVALAB_VBLOCK) {
		seq_puts(m, " vm_map_ram");
		show_owner(m, a);
		goto last;
	}
	if (a->caller)
		seq_printf(m, " %pS", a->caller);
	/*
	 * The kernel prints "pages=" only when nr_pages is not 0; a replay's
	 * VA-only area has no pages, and its line has no "pages=" either.
	 */
	if (a->pages && a->nr_pages)
		seq_printf(m, " pages=%u", a->nr_pages);
	seq_puts(m, a->own_pages ? " vmalloc" : " vmap");
	if (a->own_pages && is_vmalloc_addr(a->pages))
		seq_puts(m, " vpages");
	show_numa(m, a);
	show_owner(m, a);
last:
	/* Also true of the head of an empty list: its next is itself. */
	if (list_is_last(p, &kv->space.busy_list))
		show_unpurged(m, kv);
	return 0;
}

static const struct seq_operations vmi_sops = {
	.start = vmi_start,
	.next = vmi_next,
	.stop = vmi_stop,
	.show = vmi_show,
};

DEFINE_SEQ_ATTRIBUTE(vmi);

/* ---- free_areas: free tree in address order, under free_lock ---- */

/* Position 0 is the list head: the header line, even when empty. */
static void *fa_start(struct seq_file *m, loff_t *pos)
	__acquires(&kvalab->free_lock)
{
	struct kvalab *kv = m->private;

	spin_lock(&kv->free_lock);
	return seq_list_start_head(&kv->space.free_list, *pos);
}

static void *fa_next(struct seq_file *m, void *p, loff_t *pos)
{
	struct kvalab *kv = m->private;

	return seq_list_next(p, &kv->space.free_list, pos);
}

static void fa_stop(struct seq_file *m, void *p)
	__releases(&kvalab->free_lock)
{
	struct kvalab *kv = m->private;

	spin_unlock(&kv->free_lock);
}

static int fa_show(struct seq_file *m, void *p)
{
	struct kvalab *kv = m->private;
	struct kva_area *va;

	if (p == &kv->space.free_list) {
		seq_puts(m, "# free areas: start-end size subtree_max_size\n");
		return 0;
	}
	va = list_entry(p, struct kva_area, list);
	seq_printf(m, "0x%pK-0x%pK %10lu %10lu\n", (void *)va->va_start,
		   (void *)va->va_end, kva_size(va), va->subtree_max_size);
	return 0;
}

static const struct seq_operations fa_sops = {
	.start = fa_start,
	.next = fa_next,
	.stop = fa_stop,
	.show = fa_show,
};

DEFINE_SEQ_ATTRIBUTE(fa);

/*
 * ---- lazy_areas: freed areas awaiting the purge, under lazy_lock, in
 * the lazy list's order, with their offsets in the slice (which hold
 * whatever %pK does to the addresses) ----
 */

static int lazy_areas_show(struct seq_file *m, void *unused)
{
	struct kvalab *kv = m->private;
	struct kva_space *s = &kv->space;
	struct kva_area *va;

	spin_lock(&kv->lazy_lock);
	seq_printf(m, "# lazy areas awaiting purge: start-end size [+start, +end) (nr_lazy=%lu lazy_pages=%lu)\n",
		   s->nr_lazy, s->lazy_bytes >> PAGE_SHIFT);
	list_for_each_entry(va, &s->lazy_list, list)
		seq_printf(m, "0x%pK-0x%pK %10lu [+0x%lx, +0x%lx)\n",
			   (void *)va->va_start, (void *)va->va_end,
			   kva_size(va), kva_offset(s, va->va_start),
			   kva_offset(s, va->va_end));
	spin_unlock(&kv->lazy_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lazy_areas);

/* ---- stats ---- */

static void stat(struct seq_file *m, const char *name, unsigned long v)
{
	seq_printf(m, "%s: %lu\n", name, v);
}

/* Recording (module/record.c): whether on, ops kept, ops dropped. */
static void stats_record(struct seq_file *m)
{
	unsigned long ops, dropped;
	bool on;

	kvalab_record_stats(&on, &ops, &dropped);
	seq_printf(m, "record: %s\n", on ? "on" : "off");
	stat(m, "record_ops", ops);
	stat(m, "record_dropped", dropped);
}

static int stats_show(struct seq_file *m, void *unused)
{
	struct kvalab *kv = m->private;
	struct kva_space *s = &kv->space;
	struct kva_free_stats fs;
	unsigned long nr_busy, busy_bytes;
	unsigned long nr_lazy, lazy_bytes;
	unsigned long nr_pooled, pooled_bytes, pool_hits, pool_misses;
	enum kva_policy_id policy;
	enum kvalab_holder holder;
	unsigned long claims;
	struct kva_frag *fr = kmalloc(sizeof(*fr), GFP_KERNEL);

	if (!fr)
		return -ENOMEM;

	spin_lock(&kv->busy_lock);
	nr_busy = s->nr_busy;
	busy_bytes = s->busy_bytes;
	spin_unlock(&kv->busy_lock);
	spin_lock(&kv->lazy_lock);
	nr_lazy = s->nr_lazy;
	lazy_bytes = s->lazy_bytes;
	spin_unlock(&kv->lazy_lock);
	spin_lock(&kv->pool_lock);
	nr_pooled = s->nr_pooled;
	pooled_bytes = s->pooled_bytes;
	pool_hits = s->pool_hits;
	pool_misses = s->pool_misses;
	spin_unlock(&kv->pool_lock);
	spin_lock(&kv->free_lock);
	/* One O(nr_free) walk: every free-space figure from one moment. */
	kva_frag(s, fr);
	fs = s->fstats;
	/* The policy in charge now, read under the lock that changes it. */
	policy = kva_policy_id(s);
	spin_unlock(&kv->free_lock);

	seq_printf(m, "slice_start: 0x%pK\n", (void *)s->start);
	seq_printf(m, "slice_end: 0x%pK\n", (void *)s->end);
	stat(m, "slice_size", s->end - s->start);
	seq_printf(m, "policy: %s\n", kva_policy_names[policy]);
	/* Who holds the slice-wide claim now: run, replay, policy, reset... */
	holder = kvalab_holder_snapshot(kv, &claims);
	seq_printf(m, "slice_holder: %s\n", kvalab_holder_names[holder]);
	stat(m, "slice_claims", claims);
	stat(m, "used_bytes", busy_bytes);
	stat(m, "free_bytes", fr->free_bytes);
	stat(m, "largest_free", fr->largest_free);
	/* Fixed point, four decimals: 10000 is 1.0 (module/frag.c). */
	seq_printf(m, "ext_frag: %lu.%04lu\n", fr->ext_frag_e4 / 10000,
		   fr->ext_frag_e4 % 10000);
	seq_printf(m, "frag_rss: %lu.%04lu\n", fr->frag_rss_e4 / 10000,
		   fr->frag_rss_e4 % 10000);
	stat(m, "nr_busy", nr_busy);
	stat(m, "nr_free", fr->nr_free);
	stat(m, "nr_lazy", nr_lazy);
	stat(m, "lazy_pages", lazy_bytes >> PAGE_SHIFT);
	/* A replay changes it under its own mutex (replay start lazy_max_pages=). */
	stat(m, "lazy_max_pages", READ_ONCE(kv->lazy_max_pages));
	stat(m, "nr_pooled", nr_pooled);
	stat(m, "pooled_pages", pooled_bytes >> PAGE_SHIFT);
	stat(m, "pool_hits", pool_hits);
	stat(m, "pool_misses", pool_misses);
	stat(m, "purges", atomic_long_read(&kv->cnt.purges));
	stat(m, "tlb_flushes", atomic_long_read(&kv->cnt.tlb_flushes));
	stat(m, "pages_allocated", atomic_long_read(&kv->cnt.pages_allocated));
	stat(m, "pages_freed", atomic_long_read(&kv->cnt.pages_freed));
	stat(m, "allocs", atomic_long_read(&kv->cnt.allocs));
	stat(m, "frees", atomic_long_read(&kv->cnt.frees));
	stat(m, "alloc_failures", atomic_long_read(&kv->cnt.alloc_failures));
	stat(m, "deferred_frees", atomic_long_read(&kv->cnt.deferred_frees));
	stat(m, "fit_fl", fs.fit[KVA_FL_FIT]);
	stat(m, "fit_le", fs.fit[KVA_LE_FIT]);
	stat(m, "fit_re", fs.fit[KVA_RE_FIT]);
	stat(m, "fit_ne", fs.fit[KVA_NE_FIT]);
	stat(m, "merge_prev", fs.merge_prev);
	stat(m, "merge_next", fs.merge_next);
	stat(m, "merge_both", fs.merge_both);
	stat(m, "insert_nomerge", fs.inserts);
	stat(m, "search_steps", fs.search_steps);
	stats_record(m);
	kfree(fr);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* ---- free_hist: free areas per power-of-two size class ---- */

static int free_hist_show(struct seq_file *m, void *unused)
{
	struct kvalab *kv = m->private;
	struct kva_frag *fr = kmalloc(sizeof(*fr), GFP_KERNEL);
	unsigned int k;

	if (!fr)
		return -ENOMEM;
	spin_lock(&kv->free_lock);
	kva_frag(&kv->space, fr);
	spin_unlock(&kv->free_lock);

	/* The header always: an empty listing is then visibly empty. */
	seq_printf(m, "# free areas by size class (pages in [2^K, 2^K+1)): nr_free=%lu free_bytes=%lu\n",
		   fr->nr_free, fr->free_bytes);
	for (k = 0; k < KVA_FRAG_CLASSES; k++) {
		if (!fr->hist_areas[k])
			continue;
		/* Class 63's upper bound 2^64 does not fit: print it as is. */
		if (k == KVA_FRAG_CLASSES - 1)
			seq_printf(m, "class=%u pages=[%lu,18446744073709551616) areas=%lu bytes=%lu\n",
				   k, 1UL << k, fr->hist_areas[k], fr->hist_bytes[k]);
		else
			seq_printf(m, "class=%u pages=[%lu,%lu) areas=%lu bytes=%lu\n",
				   k, 1UL << k, 1UL << (k + 1), fr->hist_areas[k],
				   fr->hist_bytes[k]);
	}
	kfree(fr);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(free_hist);

/* ---- free_tree: the augmented free tree in pre-order ---- */

/*
 * Bounds of the listing: nodes deeper than FREE_TREE_DEPTH - 1 and nodes
 * past the first FREE_TREE_NODES are not shown (the last line counts them).
 * A red-black tree of n nodes is at most 2 log2(n + 1) deep, so depth 16
 * shows every node of trees up to 255 areas and the top of larger ones.
 */
#define FREE_TREE_DEPTH		16
#define FREE_TREE_NODES		2048

static void free_tree_node(struct seq_file *m, struct kva_space *s,
			   struct rb_node *n, unsigned int depth)
{
	struct kva_area *va = rb_entry(n, struct kva_area, rb_node);

	seq_printf(m, "depth=%u %s [+0x%lx, +0x%lx) size=%lu subtree_max_size=%lu\n",
		   depth, rb_is_red(n) ? "red" : "black",
		   kva_offset(s, va->va_start), kva_offset(s, va->va_end),
		   kva_size(va), va->subtree_max_size);
}

/*
 * Pre-order without recursion or a stack: down the left link, else the
 * right link, else up through the parent links to the first ancestor
 * entered from its left whose right subtree is not visited yet. Subtrees
 * below the depth bound are skipped whole.
 */
static int free_tree_show(struct seq_file *m, void *unused)
{
	struct kvalab *kv = m->private;
	struct kva_space *s = &kv->space;
	unsigned long shown = 0, nr_free;
	unsigned int depth = 0;
	struct rb_node *n, *p;

	seq_puts(m, "# pre-order: depth colour [+start, +end) size subtree_max_size\n");
	spin_lock(&kv->free_lock);
	nr_free = s->nr_free;
	n = s->free_root.rb_node;
	while (n && shown < FREE_TREE_NODES) {
		free_tree_node(m, s, n, depth);
		shown++;
		if (depth + 1 < FREE_TREE_DEPTH && n->rb_left) {
			n = n->rb_left;
			depth++;
			continue;
		}
		if (depth + 1 < FREE_TREE_DEPTH && n->rb_right) {
			n = n->rb_right;
			depth++;
			continue;
		}
		for (;;) {
			p = rb_parent(n);
			if (!p) {
				n = NULL;
				break;
			}
			if (n == p->rb_left && p->rb_right) {
				n = p->rb_right;	/* same depth */
				break;
			}
			n = p;
			depth--;
		}
	}
	spin_unlock(&kv->free_lock);
	seq_printf(m, "# shown %lu of %lu nodes, cut %lu (depth limit %u, node limit %u)\n",
		   shown, nr_free, nr_free - shown, FREE_TREE_DEPTH,
		   FREE_TREE_NODES);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(free_tree);

/* ---- explain: the latest explain command's steps (module/explain.c) ---- */

static int explain_show(struct seq_file *m, void *unused)
{
	return kvalab_explain_show(m, m->private);
}
DEFINE_SHOW_ATTRIBUTE(explain);

/* ---- map: the slice drawn one character per slice_size / MAP_CELLS ---- */

#define MAP_CELLS	512
#define MAP_WIDTH	64
#define CELL_BUSY	0x1
#define CELL_FREE	0x2
#define CELL_LAZY	0x4
#define CELL_POOL	0x8

static void mark_cells(u8 *cells, struct kva_space *s, struct list_head *head,
		       u8 bit)
{
	unsigned long unit = (s->end - s->start) / MAP_CELLS;
	struct kva_area *va;
	unsigned long c, first, last;

	list_for_each_entry(va, head, list) {
		first = (va->va_start - s->start) / unit;
		last = (va->va_end - 1 - s->start) / unit;
		for (c = first; c <= last && c < MAP_CELLS; c++)
			cells[c] |= bit;
	}
}

/*
 * Lazy wins: a cell that holds any lazy byte is 'z' whatever else it holds,
 * so a lazy area smaller than a cell still shows. Otherwise one kind is
 * its own mark ('p': pooled, the va_pools lever) and several are '+'.
 */
static char cell_char(u8 v)
{
	if (v & CELL_LAZY)
		return 'z';
	switch (v) {
	case CELL_BUSY: return '#';
	case CELL_FREE: return '.';
	case CELL_POOL: return 'p';
	case 0: return ' ';
	default: return '+';
	}
}

static int map_show(struct seq_file *m, void *unused)
{
	struct kvalab *kv = m->private;
	struct kva_space *s = &kv->space;
	unsigned long unit = (s->end - s->start) / MAP_CELLS;
	u8 *cells = kzalloc(MAP_CELLS, GFP_KERNEL);
	int c;

	if (!cells)
		return -ENOMEM;
	spin_lock(&kv->busy_lock);
	mark_cells(cells, s, &s->busy_list, CELL_BUSY);
	spin_unlock(&kv->busy_lock);
	spin_lock(&kv->lazy_lock);
	mark_cells(cells, s, &s->lazy_list, CELL_LAZY);
	spin_unlock(&kv->lazy_lock);
	spin_lock(&kv->free_lock);
	mark_cells(cells, s, &s->free_list, CELL_FREE);
	spin_unlock(&kv->free_lock);
	spin_lock(&kv->pool_lock);
	mark_cells(cells, s, &s->pool_list, CELL_POOL);
	spin_unlock(&kv->pool_lock);

	seq_printf(m, "# one char = %lu bytes; '#' busy '.' free 'z' any lazy 'p' pooled '+' mixed\n",
		   unit);
	for (c = 0; c < MAP_CELLS; c++) {
		if (c % MAP_WIDTH == 0)
			seq_printf(m, "+0x%08lx ", c * unit);
		seq_putc(m, cell_char(cells[c]));
		if (c % MAP_WIDTH == MAP_WIDTH - 1)
			seq_putc(m, '\n');
	}
	kfree(cells);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(map);

static int results_show(struct seq_file *m, void *unused)
{
	return kvalab_workloads_show(m, unused);
}
DEFINE_SHOW_ATTRIBUTE(results);

void kvalab_listings_create(struct kvalab *kv, struct dentry *dir)
{
	debugfs_create_file("vmallocinfo", 0400, dir, kv, &vmi_fops);
	debugfs_create_file("free_areas", 0400, dir, kv, &fa_fops);
	debugfs_create_file("lazy_areas", 0400, dir, kv, &lazy_areas_fops);
	debugfs_create_file("stats", 0400, dir, kv, &stats_fops);
	debugfs_create_file("free_hist", 0400, dir, kv, &free_hist_fops);
	debugfs_create_file("free_tree", 0400, dir, kv, &free_tree_fops);
	debugfs_create_file("explain", 0400, dir, kv, &explain_fops);
	debugfs_create_file("map", 0400, dir, kv, &map_fops);
	debugfs_create_file("results", 0400, dir, kv, &results_fops);
}
