/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvalab allocator core: the vmap_area bookkeeping of mm/vmalloc.c over one
 * slice [start, end) of kernel virtual address space.
 *
 * The core knows nothing of pages, page tables, debugfs or locks. The caller
 * serialises access: every function touching the free tree must be called
 * under the caller's free-space lock, every busy function under the busy
 * lock, every lazy function under the lazy lock (see module/kvalab.h). The
 * same file compiles unchanged in userspace (userspace-tools/shim/, for the
 * sim and tests/native).
 */
#ifndef _KVALAB_CORE_H
#define _KVALAB_CORE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/list.h>
#include <linux/rbtree_augmented.h>
#else
#include "kvalab_shim.h"
#endif

#include <kvalab/policies.h>
#include <kvalab/search.h>

/*
 * How a request fits the free area chosen for it (classify_va_fit_type() in
 * mm/vmalloc.c). Counted per case in struct kva_space.
 */
enum kva_fit_type {
	KVA_NOTHING_FIT = 0,
	KVA_FL_FIT,	/* full fit: the free area is consumed whole */
	KVA_LE_FIT,	/* left edge: the request starts at the free area */
	KVA_RE_FIT,	/* right edge: the request ends at the free area */
	KVA_NE_FIT,	/* no edge: the free area splits in two */
	/*
	 * Not a clip: the range came whole from the VA pool (below), with no
	 * search. kva_alloc() never returns it and fstats.fit[] never counts
	 * it (pool hits are s->pool_hits); areas and result lines show it.
	 */
	KVA_POOL_FIT,
	KVA_NR_FIT,
};

/*
 * The fit types' names in result lines and listings; the tracepoints'
 * __print_symbolic() pairs (module/kvalab_trace.h) must spell the same,
 * which test_core checks.
 */
static const char *const kva_fit_names[KVA_NR_FIT] = {
	[KVA_NOTHING_FIT]	= "none",
	[KVA_FL_FIT]		= "FL",
	[KVA_LE_FIT]		= "LE",
	[KVA_RE_FIT]		= "RE",
	[KVA_NE_FIT]		= "NE",
	[KVA_POOL_FIT]		= "pool",
};

/*
 * One range [va_start, va_end) of the slice; va_end is exclusive, both are
 * page aligned. An area lives in exactly one of four places: the free tree
 * (with free_list), the busy tree (with busy_list), the lazy tree (with
 * lazy_list) or the pool tree (with pool_list, and on its size class's list
 * through pool), linked through the same rb_node and list members.
 */
struct kva_area {
	unsigned long va_start;
	unsigned long va_end;
	struct rb_node rb_node;
	struct list_head list;
	union {
		/* Free areas. */
		struct {
			/*
			 * The largest va_end - va_start in the free-tree
			 * subtree rooted here, this node included.
			 */
			unsigned long subtree_max_size;
			/*
			 * The active policy's own index of free areas
			 * (best-fit's size tree, instant-fit's size-class
			 * lists); untouched by policies that keep none.
			 */
			union {
				struct rb_node rb;
				struct list_head list;
			} pidx;
		};
		/* Occupied areas: busy, lazy, or in flight between trees. */
		struct {
			/* Busy and lazy trees: the owner's record, opaque here. */
			void *owner;
			/*
			 * The active policy's address-ordered list of every
			 * occupied area (vmlist, cached-hole); linked from the
			 * clip that makes the area until the free that ends it.
			 */
			struct list_head occ;
			/* Pooled areas: their size class's list, newest first. */
			struct list_head pool;
		};
	};
};

/* Counters of the free-space side; written under the free-space lock. */
struct kva_free_stats {
	/* By enum kva_fit_type; [KVA_NOTHING_FIT] counts -ENOMEM failures. */
	unsigned long fit[KVA_NR_FIT];
	unsigned long merge_prev;	/* freed area joined its lower neighbour */
	unsigned long merge_next;	/* freed area joined its upper neighbour */
	unsigned long merge_both;	/* freed area bridged two neighbours */
	unsigned long inserts;		/* freed area inserted with no merge */
	/*
	 * Search cost: tree nodes or list entries the active policy looked
	 * at, summed over every allocation (its own unit per policy: see
	 * docs/policies.md).
	 */
	unsigned long search_steps;
};

struct kva_policy;
struct kva_explain;

/* The largest pooled area, in pages: 6.9's MAX_VA_SIZE_PAGES. */
#define KVA_POOL_MAX_PAGES	256

/*
 * Room for the active policy's state inside struct kva_space (each policy
 * checks at build time that its state fits), so switching policies never
 * allocates.
 */
#define KVA_POLICY_STATE_LONGS	144

struct kva_space {
	unsigned long start;		/* slice start, page aligned */
	unsigned long end;		/* slice end, exclusive */

	/*
	 * Free space: an augmented rb-tree sorted by va_start whose nodes
	 * carry subtree_max_size, plus free_list sorted by address so that
	 * both neighbours of any point are found in O(1) after one descent.
	 * No two free areas are adjacent: a freed area always merges.
	 */
	struct rb_root free_root;
	struct list_head free_list;
	unsigned long nr_free;
	unsigned long free_bytes;
	struct kva_free_stats fstats;

	/* Busy areas: plain rb-tree by va_start plus address-sorted list. */
	struct rb_root busy_root;
	struct list_head busy_list;
	unsigned long nr_busy;
	unsigned long busy_bytes;

	/*
	 * Lazy areas: freed and unmapped, waiting for the TLB flush that will
	 * make their addresses safe to hand out again. Sorted like busy.
	 */
	struct rb_root lazy_root;
	struct list_head lazy_list;
	unsigned long nr_lazy;
	unsigned long lazy_bytes;
	/*
	 * The range a purge flushes is derived, as mm/vmalloc.c derives it:
	 * the first entry's va_start and the last entry's va_end of the
	 * address-sorted lazy list.
	 */

	/*
	 * The VA pool (pool lock), after 6.9's vmap_node pools: purged areas
	 * of at most KVA_POOL_MAX_PAGES pages (guard included) that the
	 * caller chose to keep out of the free tree, so an allocation of
	 * exactly that size takes one whole, with no search, no clip and no
	 * free-space lock. Pooled areas are occupied to the policies (they
	 * stay on the occupied list) and not free to the figures. The tree
	 * and address-sorted list are for the checker and the listings; the
	 * class lists (class k: areas of k pages) for kva_pool_get().
	 */
	struct rb_root pool_root;
	struct list_head pool_list;
	struct list_head pool_class[KVA_POOL_MAX_PAGES + 1];
	unsigned long pool_class_nr[KVA_POOL_MAX_PAGES + 1];
	unsigned long nr_pooled;
	unsigned long pooled_bytes;
	unsigned long pool_hits;	/* kva_pool_get() that found one */
	unsigned long pool_misses;	/* kva_pool_get() that found none */

	/*
	 * Placement policy (free-space lock): its operations and its private
	 * state. Changed only by kva_set_policy() on a quiescent space.
	 */
	const struct kva_policy *policy;
	unsigned long pstate[KVA_POLICY_STATE_LONGS];

	/*
	 * The lowest-match descent's length rule (enum kva_search_mode; free-
	 * space lock). kva_space_init() sets KVA_SEARCH_EXACT; a caller may
	 * change it between allocations, no index depends on it.
	 */
	enum kva_search_mode search;

	/*
	 * The step recorder of a dry run (kva_explain()): NULL except inside
	 * kva_explain(), under the free-space lock. Searches test it with
	 * unlikely() and record their steps into it when set.
	 */
	struct kva_explain *explain;
};

/*
 * Set up @s over [start, end) under the lowest policy; @whole becomes the
 * one free area covering it. Returns 0, or -EINVAL when the range is empty
 * or not page aligned.
 */
int kva_space_init(struct kva_space *s, unsigned long start,
		   unsigned long end, struct kva_area *whole);

/*
 * Make @id the active placement policy: the old policy's index is dropped
 * and the new one's built from the areas there now, with nothing allocated.
 * The caller holds all three locks and no area is in flight between trees
 * (the same quiescence kva_check() needs). Returns 0 or -EINVAL for an
 * unknown id (nothing changed).
 */
int kva_set_policy(struct kva_space *s, enum kva_policy_id id);
/* The active policy's id. */
enum kva_policy_id kva_policy_id(const struct kva_space *s);

/*
 * Allocation (free-space lock). The active policy chooses the free area and
 * the start inside it where @size bytes aligned to @align fit (@size a
 * non-zero multiple of PAGE_SIZE, @align a power of two >= PAGE_SIZE); the
 * core clips that range out of the free tree and sets @va's range. @va's
 * list and rb_node come back initialised, on none of the core's lists (a
 * policy may have linked @va into its own occupied list). A no-edge split
 * needs a second area object: the caller passes one in *@preload, and the
 * core sets *@preload to NULL if it used it, so nothing is allocated under
 * the lock. A full fit consumes the free area object itself: the core moves
 * it onto @unused, for the caller to free after unlocking. @fit, if not
 * NULL, receives the case taken. Returns 0, -ENOMEM when the policy finds
 * nothing, or -EINVAL for bad arguments (including a no-edge split with
 * *@preload NULL); on error nothing changed.
 */
int kva_alloc(struct kva_space *s, struct kva_area *va, unsigned long size,
	      unsigned long align, struct kva_area **preload,
	      struct list_head *unused, enum kva_fit_type *fit);

/*
 * Take exactly [addr, addr + size) out of the free tree into @va, with no
 * search (free-space lock): the placement another allocator made, which a
 * model of it follows (kvalab follow). The range must lie inside one free
 * area. @preload, @unused and the policy's bookkeeping as for kva_alloc().
 * Returns 0, -ENOMEM when the range is not wholly free, or -EINVAL for a
 * range that is not page aligned (or a no-edge split with *@preload NULL);
 * on error nothing changed.
 */
int kva_alloc_at(struct kva_space *s, struct kva_area *va, unsigned long addr,
		 unsigned long size, struct kva_area **preload,
		 struct list_head *unused);

/*
 * Return [va_start, va_end) of @va to the free tree (free-space lock),
 * merging with one or both neighbours. @va must be on no list (as
 * kva_alloc() and kva_busy_unlink() leave it; list_del() it from a
 * kva_lazy_take() list first). Area objects no longer used (@va when it
 * merged, and the upper neighbour too when @va bridged two) are moved onto
 * @unused; the caller frees them after unlocking. Returns the free area now
 * holding the range, or NULL (with a WARN, nothing changed, @va still the
 * caller's) if @va overlaps a free area.
 */
struct kva_area *kva_free_insert(struct kva_space *s, struct kva_area *va,
				 struct list_head *unused);

/* Busy tree (busy lock). @va must not overlap any busy area. */
void kva_busy_insert(struct kva_space *s, struct kva_area *va);
void kva_busy_unlink(struct kva_space *s, struct kva_area *va);
/* The busy area containing @addr, or NULL. */
struct kva_area *kva_busy_find(struct kva_space *s, unsigned long addr);

/* Lazy tree (lazy lock). */
void kva_lazy_insert(struct kva_space *s, struct kva_area *va);
/*
 * Move every lazy area onto the tail of @out (address order) and reset the
 * lazy tree. *@start and *@end receive the range covering them all (both 0
 * when there were none). Returns the number of areas moved.
 */
unsigned long kva_lazy_take(struct kva_space *s, struct list_head *out,
			    unsigned long *start, unsigned long *end);

/*
 * The VA pool (pool lock). kva_pool_fits(): whether an area of @size bytes
 * may be pooled. kva_pool_insert(): @va (on no list, taken off the lazy
 * list and past its TLB flush) joins the pool. kva_pool_get(): the newest
 * pooled area of exactly @size bytes, unlinked (list and rb_node
 * initialised, still on the policy's occupied list), or NULL; counts a hit
 * or a miss. kva_pool_take(): the decay of a purge: from every class the
 * oldest quarter of its areas (rounded down), or all of them if @all, move
 * onto the tail of @out (for kva_free_insert()); returns how many.
 */
static inline bool kva_pool_fits(unsigned long size)
{
	return size && size <= (KVA_POOL_MAX_PAGES << PAGE_SHIFT);
}

void kva_pool_insert(struct kva_space *s, struct kva_area *va);
struct kva_area *kva_pool_get(struct kva_space *s, unsigned long size);
unsigned long kva_pool_take(struct kva_space *s, struct list_head *out,
			    bool all);
/* The pooled area containing @addr, or NULL (pool lock). */
struct kva_area *kva_pool_find(struct kva_space *s, unsigned long addr);

/* The free area containing @addr, or NULL (free-space lock). */
struct kva_area *kva_free_find(struct kva_space *s, unsigned long addr);
/* The lazy area containing @addr, or NULL (lazy lock). */
struct kva_area *kva_lazy_find(struct kva_space *s, unsigned long addr);

/* Largest free area in bytes: the root's subtree_max_size, O(1). */
unsigned long kva_largest_free(struct kva_space *s);

/* Power-of-two size classes of free areas: class k holds [2^k, 2^k+1) pages. */
#define KVA_FRAG_CLASSES	64

/* The fragmentation figures of the free space (module/frag.c). */
struct kva_frag {
	unsigned long free_bytes;
	unsigned long nr_free;
	unsigned long largest_free;
	unsigned long ext_frag_e4;	/* 1 - largest / free, x 10000 */
	unsigned long frag_rss_e4;	/* 1 - sqrt(sum f^2) / sum f, x 10000 */
	unsigned long hist_areas[KVA_FRAG_CLASSES];
	unsigned long hist_bytes[KVA_FRAG_CLASSES];
};

/* Compute @out from the free list (free-space lock), O(n). */
void kva_frag(struct kva_space *s, struct kva_frag *out);

/*
 * A dry run of the active policy's search ("explain", docs/debugfs.md).
 *
 * Each step is one thing a search looked at and what it decided there. The
 * meaning of the fields by kind (offsets are kernel addresses here; the
 * listing shows them as slice offsets):
 *
 *   KVA_EX_NODE    free-tree node on the way down: [start, end) the area,
 *                  a its subtree_max_size, b and c its left and right
 *                  subtrees' maxima, depth its depth; go LEFT (the left
 *                  subtree may hold a lower fit), THIS (the request fits
 *                  here), RIGHT, or UP (nothing below fits: back up)
 *   KVA_EX_PARENT  free-tree node revisited on the way back up: as NODE;
 *                  go THIS, RIGHT (enter its right subtree) or UP
 *   KVA_EX_ENTRY   occupied-list entry (vmlist, cached-hole): the area,
 *                  a the candidate address after the step; go SKIP (below
 *                  the candidate), THIS (the hole before it fits), NEXT
 *                  (too small: the candidate moves past it) or FAIL (the
 *                  candidate ran past the slice)
 *   KVA_EX_CACHE   cached-hole's cache: go HIT (the search resumes after
 *                  the cached area [start, end)) or RESET (a the reason:
 *                  enum kva_ex_reset), b cached_hole_size before the step
 *   KVA_EX_ROTOR   next-fit: a the address the search starts from; go FROM
 *                  (the rotor) or WRAP (from the slice start again)
 *   KVA_EX_SNODE   best-fit's size-tree node: the area; go LEFT (at least
 *                  the request: remember it, look for a smaller one) or
 *                  RIGHT (too small)
 *   KVA_EX_CLASS   instant-fit's size class a (areas of [2^a, 2^(a+1))
 *                  pages), b the class guaranteed to fit; go THIS (the
 *                  first area of the lowest guaranteed non-empty class),
 *                  NEXT (an empty class: skipped) or SKIP (a maybe-class
 *                  whose areas are tried one by one, KVA_EX_CAND steps)
 *   KVA_EX_CAND    a free area tried whole (best-fit, instant-fit): go THIS
 *                  (the request fits) or NEXT (alignment makes it miss)
 */
enum kva_ex_kind {
	KVA_EX_NODE,
	KVA_EX_PARENT,
	KVA_EX_ENTRY,
	KVA_EX_CACHE,
	KVA_EX_ROTOR,
	KVA_EX_SNODE,
	KVA_EX_CLASS,
	KVA_EX_CAND,
	KVA_EX_NR_KINDS,
};

enum kva_ex_go {
	KVA_GO_LEFT,
	KVA_GO_THIS,
	KVA_GO_RIGHT,
	KVA_GO_UP,
	KVA_GO_SKIP,
	KVA_GO_NEXT,
	KVA_GO_FAIL,
	KVA_GO_HIT,
	KVA_GO_RESET,
	KVA_GO_FROM,
	KVA_GO_WRAP,
	KVA_GO_NR,
};

/* Why cached-hole's cache was reset (KVA_EX_CACHE, go RESET, field a). */
enum kva_ex_reset {
	KVA_RESET_EMPTY,	/* no cached area */
	KVA_RESET_HOLE,		/* size below cached_hole_size */
	KVA_RESET_VSTART,	/* a lower start than the cached search's */
	KVA_RESET_ALIGN,	/* a smaller alignment than the cached search's */
	KVA_RESET_BELOW,	/* the cached area's end aligned below vstart */
	KVA_RESET_NR,
};

/* Names as the explain listing prints them (module/core.c). */
extern const char *const kva_ex_kind_names[KVA_EX_NR_KINDS];
extern const char *const kva_ex_go_names[KVA_GO_NR];
extern const char *const kva_ex_reset_names[KVA_RESET_NR];

struct kva_explain_step {
	u8 kind;			/* enum kva_ex_kind */
	u8 go;				/* enum kva_ex_go */
	u16 depth;			/* NODE, PARENT */
	unsigned long start, end;	/* the area looked at, if any */
	unsigned long a, b, c;		/* by kind, see above */
};

/*
 * The recorder and the outcome of one dry run. The caller provides @steps
 * (@max of them) and kva_explain() fills the rest; steps past @max are only
 * counted (@dropped), so the recorder never allocates.
 */
struct kva_explain {
	struct kva_explain_step *steps;
	unsigned int max;
	unsigned int nr;
	unsigned long dropped;

	/* The request, as kva_alloc() would get it. */
	unsigned long size, align;
	enum kva_policy_id policy;
	/* The outcome: the free area chosen, the start and the split case. */
	bool found;
	unsigned long area_start, area_end;
	unsigned long nva_start;
	enum kva_fit_type fit;
	/* What the search would add to fstats.search_steps. */
	unsigned long search_steps;

	/* kva_explain()'s snapshot, restored before it returns. */
	unsigned long saved_pstate[KVA_POLICY_STATE_LONGS];
	struct kva_free_stats saved_fstats;
};

/* Append one step to @ex (the searches call it through kva_ex_note()). */
void kva_explain_note(struct kva_explain *ex, enum kva_ex_kind kind,
		      enum kva_ex_go go, const struct kva_area *va,
		      unsigned long a, unsigned long b, unsigned long c,
		      unsigned int depth);

#define kva_ex_note(s, kind, go, va, a, b, c)				\
	do {								\
		struct kva_explain *__ex = (s)->explain;		\
									\
		if (unlikely(__ex))					\
			kva_explain_note(__ex, kind, go, va, a, b, c, 0); \
	} while (0)

/*
 * Dry-run kva_alloc(@size, @align) under the active policy (free-space
 * lock): the policy's find() runs with @ex as the recorder, the fit is
 * classified, and the policy state and counters the search touched are put
 * back as they were, so the space is unchanged byte for byte and the next
 * kva_alloc() with the same arguments makes the same choice. @ex->steps and
 * @ex->max are the caller's; the rest is overwritten. Returns 0 (with
 * @ex->found false when nothing fits: kva_alloc() would return -ENOMEM) or
 * -EINVAL for arguments kva_alloc() refuses.
 */
int kva_explain(struct kva_space *s, unsigned long size, unsigned long align,
		struct kva_explain *ex);

static inline unsigned long kva_size(const struct kva_area *va)
{
	return va->va_end - va->va_start;
}

/*
 * @addr as an offset into the slice: what reports, listings and tracepoints
 * show instead of a kernel address (stable across loads, kptr_restrict-safe).
 */
static inline unsigned long kva_offset(const struct kva_space *s,
				       unsigned long addr)
{
	return addr - s->start;
}

/*
 * Check every invariant of @s; the caller holds all four locks. Returns 0,
 * or -EUCLEAN with the first broken rule written to @why (NUL-terminated):
 * tree order, no overlap within and across trees, no two adjacent free
 * areas, every subtree_max_size, lists equal trees in order, counters equal
 * what is there, busy + free + lazy + pooled covering the slice exactly,
 * the pool's class lists, and the active policy's own index (its check
 * rule).
 */
int kva_check(struct kva_space *s, char *why, size_t len);

#endif /* _KVALAB_CORE_H */
