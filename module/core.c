// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab allocator core: the KVA allocator of mm/vmalloc.c (the v5.2+
 * augmented-tree design), re-implemented over one slice of address space.
 *
 * Functions are named after their mm/vmalloc.c originals where they port
 * one: find_lowest_match() is find_vmap_lowest_match(), classify_fit_type()
 * is classify_va_fit_type(), area_clip() is adjust_va_to_fit_type(),
 * merge_or_add() is merge_or_add_vmap_area(). The core never allocates,
 * frees or locks: objects it stops using go onto the caller's list, and the
 * one object a split may need is preloaded by the caller.
 */

#include <linux/align.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/rbtree_augmented.h>
#include <linux/string.h>
#include <asm/page.h>

#include <kvalab/core.h>
#include <kvalab/policy.h>

/*
 * The free tree is augmented: each node's subtree_max_size is the largest
 * free area size in its subtree, node included. A descent can then skip any
 * subtree whose maximum is below the request, which makes the lowest match
 * O(log n) for page-aligned requests. The rb-tree library keeps the value
 * right across rotations through these callbacks; callers that change an
 * area's size in place propagate it with augment_propagate_from().
 */
RB_DECLARE_CALLBACKS_MAX(static, free_area_augment_cb,
			 struct kva_area, rb_node, unsigned long,
			 subtree_max_size, kva_size)

static __always_inline unsigned long get_subtree_max_size(struct rb_node *node)
{
	struct kva_area *va = rb_entry_safe(node, struct kva_area, rb_node);

	return va ? va->subtree_max_size : 0;
}

/*
 * Recompute subtree_max_size from @va up towards the root, stopping at the
 * first node whose value does not change. Needed after @va is inserted,
 * shrunk (allocation) or grown (merge).
 */
static __always_inline void augment_propagate_from(struct kva_area *va)
{
	free_area_augment_cb_propagate(&va->rb_node, NULL);
}

/*
 * The active policy's hooks. Policies without an index of their own (lowest)
 * leave them NULL, so the default path pays one predictable branch each.
 */
static __always_inline void pol_free_add(struct kva_space *s,
					 struct kva_area *va)
{
	if (s->policy->free_add)
		s->policy->free_add(s, va);
}

static __always_inline void pol_free_del(struct kva_space *s,
					 struct kva_area *va)
{
	if (s->policy->free_del)
		s->policy->free_del(s, va);
}

/* The area of a plain or augmented tree containing @addr, or NULL. */
static struct kva_area *find_area(struct rb_root *root, unsigned long addr)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		struct kva_area *va = rb_entry(n, struct kva_area, rb_node);

		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}

	return NULL;
}

/*
 * Descend from @from (or the root of @root when @from is NULL) to the empty
 * link where @va belongs, returning it and its *@parent. Returns NULL, with
 * a warning, if @va overlaps an area on the way: inserting it would break
 * the "no overlap" invariant of every tree.
 */
static struct rb_node **find_area_links(struct kva_area *va,
					struct rb_root *root,
					struct rb_node *from,
					struct rb_node **parent)
{
	struct kva_area *tmp = NULL;
	struct rb_node **link;

	if (root) {
		link = &root->rb_node;
		if (!*link) {
			*parent = NULL;
			return link;
		}
	} else {
		link = &from;
	}

	do {
		tmp = rb_entry(*link, struct kva_area, rb_node);

		if (va->va_end <= tmp->va_start) {
			link = &(*link)->rb_left;
		} else if (va->va_start >= tmp->va_end) {
			link = &(*link)->rb_right;
		} else {
			WARN(1, "kvalab: 0x%lx-0x%lx overlaps 0x%lx-0x%lx\n",
			     va->va_start, va->va_end,
			     tmp->va_start, tmp->va_end);
			return NULL;
		}
	} while (*link);

	*parent = &tmp->rb_node;
	return link;
}

/*
 * The list entry that will follow an area linked at @link under @parent:
 * the parent itself when linking to its left, else the parent's successor.
 * Returns NULL when the tree is empty.
 */
static struct list_head *area_next_sibling(struct rb_node *parent,
					   struct rb_node **link)
{
	struct list_head *list;

	if (!parent)
		return NULL;

	list = &rb_entry(parent, struct kva_area, rb_node)->list;
	return &parent->rb_right == link ? list->next : list;
}

/*
 * Link @va into the tree at @link and into the sorted list right after its
 * in-order predecessor, so list order always equals tree order. For the
 * free tree the augmented value starts at 0 and the caller propagates once
 * the node is in place.
 */
static void link_area(struct kva_area *va, struct rb_root *root,
		      struct rb_node *parent, struct rb_node **link,
		      struct list_head *head, bool augment)
{
	if (parent) {
		head = &rb_entry(parent, struct kva_area, rb_node)->list;
		if (&parent->rb_right != link)
			head = head->prev;
	}

	rb_link_node(&va->rb_node, parent, link);
	if (augment) {
		rb_insert_augmented(&va->rb_node, root, &free_area_augment_cb);
		va->subtree_max_size = 0;
	} else {
		rb_insert_color(&va->rb_node, root);
	}

	list_add(&va->list, head);
}

static bool unlink_area(struct kva_area *va, struct rb_root *root,
			bool augment)
{
	if (WARN_ON(RB_EMPTY_NODE(&va->rb_node)))
		return false;

	if (augment)
		rb_erase_augmented(&va->rb_node, root, &free_area_augment_cb);
	else
		rb_erase(&va->rb_node, root);

	list_del_init(&va->list);
	RB_CLEAR_NODE(&va->rb_node);
	return true;
}

/* Busy and lazy trees: plain insertion, refused (with a warning) on overlap. */
static bool insert_area(struct kva_area *va, struct rb_root *root,
			struct list_head *head)
{
	struct rb_node **link;
	struct rb_node *parent;

	link = find_area_links(va, root, NULL, &parent);
	if (!link)
		return false;

	link_area(va, root, parent, link, head, false);
	return true;
}

/*
 * Free tree insertion with no merge. @from, if not NULL, is a node whose
 * subtree is known to hold @va's place, which saves the descent from the
 * root (the no-edge split inserts its lower remainder below the upper one).
 */
static bool insert_free_area(struct kva_area *va, struct rb_node *from,
			     struct rb_root *root, struct list_head *head)
{
	struct rb_node **link;
	struct rb_node *parent;

	link = find_area_links(va, from ? NULL : root, from, &parent);
	if (!link)
		return false;

	link_area(va, root, parent, link, head, true);
	augment_propagate_from(va);
	return true;
}

/*
 * Give [va_start, va_end) of @va back to the free tree, coalescing with the
 * free areas that touch it, so that no two free areas are ever adjacent.
 * The descent to @va's insertion point yields its list neighbours in O(1).
 * Returns the free area now holding the range, or NULL if @va overlaps a
 * free area. Objects merged away go onto @unused.
 */
static struct kva_area *merge_or_add(struct kva_space *s,
				     struct kva_area *va,
				     struct list_head *unused)
{
	struct rb_root *root = &s->free_root;
	struct list_head *head = &s->free_list;
	struct kva_area *sibling;
	struct list_head *next;
	struct rb_node **link;
	struct rb_node *parent;
	bool merged_next = false;
	bool merged_prev = false;

	link = find_area_links(va, root, NULL, &parent);
	if (!link)
		return NULL;

	next = area_next_sibling(parent, link);
	if (!next)
		goto insert;

	/*
	 * |<------VA------>|<-----Next----->|
	 * Next grows down over VA; VA's object is no longer needed.
	 */
	if (next != head) {
		sibling = list_entry(next, struct kva_area, list);
		if (sibling->va_start == va->va_end) {
			pol_free_del(s, sibling);
			sibling->va_start = va->va_start;
			list_add(&va->list, unused);
			va = sibling;
			merged_next = true;
		}
	}

	/*
	 * |<-----Prev----->|<------VA------>|
	 * Prev grows up over VA (which may already be Next grown down).
	 */
	if (next->prev != head) {
		sibling = list_entry(next->prev, struct kva_area, list);
		if (sibling->va_end == va->va_start) {
			/*
			 * When bridging, unlink Next before Prev grows: a
			 * rotation during the erase could otherwise copy a
			 * stale maximum into Prev's subtree.
			 */
			if (merged_next)
				unlink_area(va, root, true);
			list_add(&va->list, unused);
			pol_free_del(s, sibling);
			sibling->va_end = va->va_end;
			va = sibling;
			merged_prev = true;
		}
	}

insert:
	if (merged_next && merged_prev) {
		s->fstats.merge_both++;
		s->nr_free--;
	} else if (merged_next) {
		s->fstats.merge_next++;
	} else if (merged_prev) {
		s->fstats.merge_prev++;
	} else {
		link_area(va, root, parent, link, head, true);
		s->fstats.inserts++;
		s->nr_free++;
	}

	augment_propagate_from(va);
	pol_free_add(s, va);
	return va;
}

/*
 * Whether @size bytes fit in @va at its lowest address that is >= @vstart
 * and aligned to @align. Near the top of the address space the aligned start
 * or its end can wrap around, so both are checked for overflow.
 */
static __always_inline bool area_fits(struct kva_area *va, unsigned long size,
				      unsigned long align, unsigned long vstart)
{
	unsigned long nva_start;

	if (va->va_start > vstart)
		nva_start = ALIGN(va->va_start, align);
	else
		nva_start = ALIGN(vstart, align);

	if (nva_start + size < nva_start || nva_start < vstart)
		return false;

	return nva_start + size <= va->va_end;
}

/*
 * Find the free area holding the lowest address >= @vstart where @size bytes
 * aligned to @align fit: descend left while the left subtree has an area of
 * at least @size and may start above @vstart; else try this node, then the
 * right subtree. When a subtree's maximum was big enough but alignment made
 * every area in it miss, back-track through the parents, trying each parent
 * and then its right subtree, and move @vstart past a parent once its right
 * subtree is entered so that no subtree is searched twice.
 *
 * @length is what a subtree's maximum is compared with: @size for the exact
 * search (the default; see <kvalab/search.h> for mm/vmalloc.c's), whose
 * contract is the lowest aligned match (checked address by address
 * against a reference model); size + align - 1 for the padded search of
 * v5.2 until 2021 (KVA_SEARCH_PADDED), which guarantees a fit in every
 * subtree it enters
 * but never enters one whose areas fit only exactly or only at an aligned
 * start inside them, so it can miss a lower fit or every fit. The nodes on
 * the path are tried exactly in both.
 */
/*
 * Record free-tree node @node in the explain recorder @ex: its area, its
 * subtree's and its children's maxima, its depth, and the decision taken.
 */
static void explain_tree_node(struct kva_explain *ex, enum kva_ex_kind kind,
			      enum kva_ex_go go, struct rb_node *node)
{
	struct kva_area *va = rb_entry(node, struct kva_area, rb_node);
	unsigned int depth = 0;
	struct rb_node *p;

	for (p = rb_parent(node); p; p = rb_parent(p))
		depth++;
	kva_explain_note(ex, kind, go, va, va->subtree_max_size,
			 get_subtree_max_size(node->rb_left),
			 get_subtree_max_size(node->rb_right), depth);
}

static inline void explain_node(struct kva_explain *ex,
				enum kva_ex_kind kind, enum kva_ex_go go,
				struct rb_node *node)
{
	if (unlikely(ex))
		explain_tree_node(ex, kind, go, node);
}

static struct kva_area *find_lowest_match(struct rb_root *root,
					  unsigned long size,
					  unsigned long align,
					  unsigned long length,
					  unsigned long vstart,
					  unsigned long *steps,
					  struct kva_explain *ex)
{
	struct rb_node *node = root->rb_node;
	struct kva_area *va;

	while (node) {
		va = rb_entry(node, struct kva_area, rb_node);
		(*steps)++;

		if (get_subtree_max_size(node->rb_left) >= length &&
		    vstart < va->va_start) {
			explain_node(ex, KVA_EX_NODE, KVA_GO_LEFT, node);
			node = node->rb_left;
			continue;
		}

		if (area_fits(va, size, align, vstart)) {
			explain_node(ex, KVA_EX_NODE, KVA_GO_THIS, node);
			return va;
		}

		if (get_subtree_max_size(node->rb_right) >= length) {
			explain_node(ex, KVA_EX_NODE, KVA_GO_RIGHT, node);
			node = node->rb_right;
			continue;
		}

		explain_node(ex, KVA_EX_NODE, KVA_GO_UP, node);
		while ((node = rb_parent(node))) {
			va = rb_entry(node, struct kva_area, rb_node);
			(*steps)++;
			if (area_fits(va, size, align, vstart)) {
				explain_node(ex, KVA_EX_PARENT, KVA_GO_THIS,
					     node);
				return va;
			}

			if (get_subtree_max_size(node->rb_right) >= length &&
			    vstart <= va->va_start) {
				explain_node(ex, KVA_EX_PARENT, KVA_GO_RIGHT,
					     node);
				vstart = va->va_start + 1;
				node = node->rb_right;
				break;
			}
			explain_node(ex, KVA_EX_PARENT, KVA_GO_UP, node);
		}
	}

	return NULL;
}

/* Which part of free area @va the request [nva_start, +size) takes. */
static enum kva_fit_type classify_fit_type(struct kva_area *va,
					   unsigned long nva_start,
					   unsigned long size)
{
	if (nva_start < va->va_start || nva_start + size > va->va_end)
		return KVA_NOTHING_FIT;

	if (va->va_start == nva_start)
		return va->va_end == nva_start + size ? KVA_FL_FIT : KVA_LE_FIT;

	if (va->va_end == nva_start + size)
		return KVA_RE_FIT;

	return KVA_NE_FIT;
}

/*
 * Cut [nva_start, nva_start + size) out of free area @va, as classified by
 * @type. Only a full fit removes a node and only a no-edge split adds one
 * (@lva, the caller's preload); edge fits shrink @va in place.
 */
static void area_clip(struct kva_space *s, struct kva_area *va,
		      enum kva_fit_type type, unsigned long nva_start,
		      unsigned long size, struct kva_area *lva,
		      struct list_head *unused)
{
	pol_free_del(s, va);
	switch (type) {
	case KVA_FL_FIT:
		/*
		 * |      NVA      |
		 * |---------------|
		 */
		unlink_area(va, &s->free_root, true);
		list_add(&va->list, unused);
		s->nr_free--;
		return;
	case KVA_LE_FIT:
		/*
		 * |  NVA  |   R   |
		 * |-------|-------|
		 */
		va->va_start += size;
		break;
	case KVA_RE_FIT:
		/*
		 * |   L   |  NVA  |
		 * |-------|-------|
		 */
		va->va_end = nva_start;
		break;
	case KVA_NE_FIT:
		/*
		 * | L |  NVA  | R |
		 * |---|-------|---|
		 */
		lva->va_start = va->va_start;
		lva->va_end = nva_start;
		va->va_start = nva_start + size;
		break;
	default:
		/* The caller classified the fit: nothing else can come here. */
		WARN_ON(1);
		pol_free_add(s, va);
		return;
	}

	augment_propagate_from(va);
	pol_free_add(s, va);
	if (type == KVA_NE_FIT) {
		insert_free_area(lva, &va->rb_node, &s->free_root,
				 &s->free_list);
		pol_free_add(s, lva);
		s->nr_free++;
	}
}

int kva_space_init(struct kva_space *s, unsigned long start,
		   unsigned long end, struct kva_area *whole)
{
	int i;

	if (start >= end || !IS_ALIGNED(start, PAGE_SIZE) ||
	    !IS_ALIGNED(end, PAGE_SIZE))
		return -EINVAL;

	*s = (struct kva_space) {
		.start = start,
		.end = end,
		.free_root = RB_ROOT,
		.busy_root = RB_ROOT,
		.lazy_root = RB_ROOT,
		.pool_root = RB_ROOT,
	};
	INIT_LIST_HEAD(&s->free_list);
	INIT_LIST_HEAD(&s->busy_list);
	INIT_LIST_HEAD(&s->lazy_list);
	INIT_LIST_HEAD(&s->pool_list);
	for (i = 0; i <= KVA_POOL_MAX_PAGES; i++)
		INIT_LIST_HEAD(&s->pool_class[i]);

	s->policy = kva_policies[KVA_POLICY_LOWEST];

	whole->va_start = start;
	whole->va_end = end;
	insert_free_area(whole, NULL, &s->free_root, &s->free_list);
	s->nr_free = 1;
	s->free_bytes = end - start;
	return 0;
}

int kva_set_policy(struct kva_space *s, enum kva_policy_id id)
{
	if ((unsigned int)id >= KVA_NR_POLICIES)
		return -EINVAL;

	/*
	 * Indexes live in pstate and in the areas' pidx/occ links only, so
	 * dropping one is forgetting it: the next policy's attach rebuilds
	 * its own from the trees and overwrites any stale links.
	 */
	memset(s->pstate, 0, sizeof(s->pstate));
	s->policy = kva_policies[id];
	if (s->policy->attach)
		s->policy->attach(s);
	return 0;
}

enum kva_policy_id kva_policy_id(const struct kva_space *s)
{
	return s->policy->id;
}

struct kva_area *kva_lowest_match(struct kva_space *s, unsigned long size,
				  unsigned long align, unsigned long vstart)
{
	unsigned long steps = 0, length = size;
	struct kva_area *va;

	/* 5.2's length; on overflow nothing is that large: ULONG_MAX. */
	if (s->search == KVA_SEARCH_PADDED) {
		length = size + (align - 1);
		if (length < size)
			length = ULONG_MAX;
	}
	va = find_lowest_match(&s->free_root, size, align, length, vstart,
			       &steps, s->explain);
	s->fstats.search_steps += steps;
	return va;
}

struct kva_area *kva_lowest_find(struct kva_space *s, unsigned long size,
				 unsigned long align, unsigned long *nva_start)
{
	struct kva_area *va = kva_lowest_match(s, size, align, s->start);

	/* Free areas never start below the slice: vstart plays no part. */
	if (va)
		*nva_start = ALIGN(va->va_start, align);
	return va;
}

bool kva_fits_at(const struct kva_area *va, unsigned long size,
		 unsigned long align, unsigned long vstart,
		 unsigned long *nva_start)
{
	unsigned long start = ALIGN(max(va->va_start, vstart), align);

	if (start < vstart || start + size < start || start + size > va->va_end)
		return false;
	*nva_start = start;
	return true;
}

/*
 * Clip [start, start + size) out of free area @match (a fit of @type,
 * checked by the caller) into @va, and account for it: kva_alloc()'s and
 * kva_alloc_at()'s common end. A no-edge split consumes *@preload.
 */
static void take_range(struct kva_space *s, struct kva_area *va,
		       struct kva_area *match, enum kva_fit_type type,
		       unsigned long start, unsigned long size,
		       struct kva_area **preload, struct list_head *unused)
{
	area_clip(s, match, type, start, size,
		  type == KVA_NE_FIT ? *preload : NULL, unused);
	if (type == KVA_NE_FIT)
		*preload = NULL;

	va->va_start = start;
	va->va_end = start + size;
	RB_CLEAR_NODE(&va->rb_node);
	INIT_LIST_HEAD(&va->list);
	if (s->policy->placed)
		s->policy->placed(s, va);
	s->free_bytes -= size;
	s->fstats.fit[type]++;
}

int kva_alloc(struct kva_space *s, struct kva_area *va, unsigned long size,
	      unsigned long align, struct kva_area **preload,
	      struct list_head *unused, enum kva_fit_type *fit)
{
	struct kva_area *lva = preload ? *preload : NULL;
	enum kva_fit_type type = KVA_NOTHING_FIT;
	unsigned long nva_start;
	struct kva_area *match;
	int ret = -EINVAL;

	if (!size || !IS_ALIGNED(size, PAGE_SIZE) ||
	    align < PAGE_SIZE || !is_power_of_2(align))
		goto out;

	/*
	 * The core's own search is called directly when it is the active
	 * policy's find(), as INDIRECT_CALL_1() does: the default policy's
	 * hot path then pays no indirect call, which a kernel with Spectre v2
	 * mitigations sends through a retpoline or similar thunk. The core
	 * knows no policy by name; lowest's descriptor names this search.
	 */
	if (s->policy->find == kva_lowest_find)
		match = kva_lowest_find(s, size, align, &nva_start);
	else
		match = s->policy->find(s, size, align, &nva_start);
	if (!match) {
		s->fstats.fit[KVA_NOTHING_FIT]++;
		ret = -ENOMEM;
		goto out;
	}

	/* A policy must choose a range inside the free area it returns. */
	type = classify_fit_type(match, nva_start, size);
	if (WARN_ON(type == KVA_NOTHING_FIT) || (type == KVA_NE_FIT && !lva)) {
		type = KVA_NOTHING_FIT;
		goto out;
	}

	take_range(s, va, match, type, nva_start, size, preload, unused);
	ret = 0;
out:
	if (fit)
		*fit = type;
	return ret;
}

int kva_alloc_at(struct kva_space *s, struct kva_area *va, unsigned long addr,
		 unsigned long size, struct kva_area **preload,
		 struct list_head *unused)
{
	struct kva_area *lva = preload ? *preload : NULL;
	enum kva_fit_type type;
	struct kva_area *match;

	if (!size || !IS_ALIGNED(size, PAGE_SIZE) ||
	    !IS_ALIGNED(addr, PAGE_SIZE) || addr + size < addr)
		return -EINVAL;
	match = kva_free_find(s, addr);
	if (!match)
		return -ENOMEM;
	type = classify_fit_type(match, addr, size);
	if (type == KVA_NOTHING_FIT)
		return -ENOMEM;
	if (type == KVA_NE_FIT && !lva)
		return -EINVAL;

	take_range(s, va, match, type, addr, size, preload, unused);
	return 0;
}

const char *const kva_ex_kind_names[KVA_EX_NR_KINDS] = {
	[KVA_EX_NODE] = "node", [KVA_EX_PARENT] = "parent",
	[KVA_EX_ENTRY] = "entry", [KVA_EX_CACHE] = "cache",
	[KVA_EX_ROTOR] = "rotor", [KVA_EX_SNODE] = "size-node",
	[KVA_EX_CLASS] = "class", [KVA_EX_CAND] = "candidate",
};

const char *const kva_ex_go_names[KVA_GO_NR] = {
	[KVA_GO_LEFT] = "left", [KVA_GO_THIS] = "this",
	[KVA_GO_RIGHT] = "right", [KVA_GO_UP] = "up", [KVA_GO_SKIP] = "skip",
	[KVA_GO_NEXT] = "next", [KVA_GO_FAIL] = "fail", [KVA_GO_HIT] = "hit",
	[KVA_GO_RESET] = "reset", [KVA_GO_FROM] = "from",
	[KVA_GO_WRAP] = "wrap",
};

const char *const kva_ex_reset_names[KVA_RESET_NR] = {
	[KVA_RESET_EMPTY] = "empty", [KVA_RESET_HOLE] = "hole",
	[KVA_RESET_VSTART] = "vstart", [KVA_RESET_ALIGN] = "align",
	[KVA_RESET_BELOW] = "below",
};

void kva_explain_note(struct kva_explain *ex, enum kva_ex_kind kind,
		      enum kva_ex_go go, const struct kva_area *va,
		      unsigned long a, unsigned long b, unsigned long c,
		      unsigned int depth)
{
	struct kva_explain_step *st;

	if (ex->nr >= ex->max) {
		ex->dropped++;
		return;
	}
	st = &ex->steps[ex->nr++];
	st->kind = kind;
	st->go = go;
	st->depth = min(depth, 0xffffU);
	st->start = va ? va->va_start : 0;
	st->end = va ? va->va_end : 0;
	st->a = a;
	st->b = b;
	st->c = c;
}

/*
 * A policy's find() may change its own search state (a cache, a rotor, the
 * place for the next list insertion) and the search counter; nothing else.
 * Both are saved and put back around the search, so an explain leaves the
 * space exactly as it found it (test_explain.c compares every byte).
 */
int kva_explain(struct kva_space *s, unsigned long size, unsigned long align,
		struct kva_explain *ex)
{
	unsigned long nva_start = 0;
	struct kva_area *match;

	ex->nr = 0;
	ex->dropped = 0;
	ex->size = size;
	ex->align = align;
	ex->policy = kva_policy_id(s);
	ex->found = false;
	ex->area_start = 0;
	ex->area_end = 0;
	ex->nva_start = 0;
	ex->fit = KVA_NOTHING_FIT;
	ex->search_steps = 0;
	if (!size || !IS_ALIGNED(size, PAGE_SIZE) ||
	    align < PAGE_SIZE || !is_power_of_2(align))
		return -EINVAL;

	memcpy(ex->saved_pstate, s->pstate, sizeof(s->pstate));
	ex->saved_fstats = s->fstats;
	s->explain = ex;
	match = s->policy->find(s, size, align, &nva_start);
	s->explain = NULL;
	ex->search_steps = s->fstats.search_steps -
			   ex->saved_fstats.search_steps;
	if (match) {
		ex->found = true;
		ex->area_start = match->va_start;
		ex->area_end = match->va_end;
		ex->nva_start = nva_start;
		ex->fit = classify_fit_type(match, nva_start, size);
	}
	memcpy(s->pstate, ex->saved_pstate, sizeof(s->pstate));
	s->fstats = ex->saved_fstats;
	return 0;
}

struct kva_area *kva_free_insert(struct kva_space *s, struct kva_area *va,
				 struct list_head *unused)
{
	unsigned long size = kva_size(va);
	struct kva_area *merged;

	/*
	 * The policy lets go of the occupied area first: its occ link shares
	 * storage with the free-area fields the merge is about to write. A
	 * refused insert (overlap, warned below) leaves @va unlinked from the
	 * policy's list, which the checker then reports.
	 */
	if (s->policy->released)
		s->policy->released(s, va);
	merged = merge_or_add(s, va, unused);
	if (merged)
		s->free_bytes += size;
	return merged;
}

void kva_busy_insert(struct kva_space *s, struct kva_area *va)
{
	if (!insert_area(va, &s->busy_root, &s->busy_list))
		return;

	s->nr_busy++;
	s->busy_bytes += kva_size(va);
}

void kva_busy_unlink(struct kva_space *s, struct kva_area *va)
{
	if (!unlink_area(va, &s->busy_root, false))
		return;

	s->nr_busy--;
	s->busy_bytes -= kva_size(va);
}

struct kva_area *kva_busy_find(struct kva_space *s, unsigned long addr)
{
	return find_area(&s->busy_root, addr);
}

void kva_lazy_insert(struct kva_space *s, struct kva_area *va)
{
	if (!insert_area(va, &s->lazy_root, &s->lazy_list))
		return;

	s->nr_lazy++;
	s->lazy_bytes += kva_size(va);
}

/*
 * The purge side of lazy freeing: the whole tree is handed over at once,
 * like mm/vmalloc.c's list_replace_init() of purge_vmap_area_list, so the
 * lazy lock is held for O(1) and the TLB flush covers one range.
 */
unsigned long kva_lazy_take(struct kva_space *s, struct list_head *out,
			    unsigned long *start, unsigned long *end)
{
	unsigned long nr = s->nr_lazy;

	*start = nr ? list_first_entry(&s->lazy_list, struct kva_area,
				       list)->va_start : 0;
	*end = nr ? list_last_entry(&s->lazy_list, struct kva_area,
				    list)->va_end : 0;

	list_splice_tail_init(&s->lazy_list, out);
	s->lazy_root = RB_ROOT;
	s->nr_lazy = 0;
	s->lazy_bytes = 0;
	return nr;
}

/*
 * The VA pool: a fourth tree like the lazy one, plus per-size lists. Its
 * areas are past their purge's TLB flush, so handing one out is safe; they
 * are kept whole (never merged), so a class's area always has exactly the
 * class's size.
 */
void kva_pool_insert(struct kva_space *s, struct kva_area *va)
{
	unsigned long pages = kva_size(va) >> PAGE_SHIFT;

	if (WARN_ON(!kva_pool_fits(kva_size(va))) ||
	    !insert_area(va, &s->pool_root, &s->pool_list))
		return;

	list_add(&va->pool, &s->pool_class[pages]);
	s->pool_class_nr[pages]++;
	s->nr_pooled++;
	s->pooled_bytes += kva_size(va);
}

static void pool_unlink(struct kva_space *s, struct kva_area *va)
{
	unsigned long pages = kva_size(va) >> PAGE_SHIFT;

	unlink_area(va, &s->pool_root, false);
	list_del(&va->pool);
	s->pool_class_nr[pages]--;
	s->nr_pooled--;
	s->pooled_bytes -= kva_size(va);
}

struct kva_area *kva_pool_get(struct kva_space *s, unsigned long size)
{
	struct kva_area *va;

	if (!kva_pool_fits(size) || !IS_ALIGNED(size, PAGE_SIZE) ||
	    list_empty(&s->pool_class[size >> PAGE_SHIFT])) {
		s->pool_misses++;
		return NULL;
	}

	va = list_first_entry(&s->pool_class[size >> PAGE_SHIFT],
			      struct kva_area, pool);
	pool_unlink(s, va);
	s->pool_hits++;
	return va;
}

unsigned long kva_pool_take(struct kva_space *s, struct list_head *out,
			    bool all)
{
	unsigned long moved = 0;
	int i;

	for (i = 1; i <= KVA_POOL_MAX_PAGES; i++) {
		unsigned long n = all ? s->pool_class_nr[i] :
					s->pool_class_nr[i] >> 2;

		while (n--) {
			struct kva_area *va = list_last_entry(&s->pool_class[i],
							      struct kva_area,
							      pool);

			pool_unlink(s, va);
			list_add_tail(&va->list, out);
			moved++;
		}
	}
	return moved;
}

struct kva_area *kva_pool_find(struct kva_space *s, unsigned long addr)
{
	return find_area(&s->pool_root, addr);
}

struct kva_area *kva_free_find(struct kva_space *s, unsigned long addr)
{
	return find_area(&s->free_root, addr);
}

struct kva_area *kva_lazy_find(struct kva_space *s, unsigned long addr)
{
	return find_area(&s->lazy_root, addr);
}

unsigned long kva_largest_free(struct kva_space *s)
{
	return get_subtree_max_size(s->free_root.rb_node);
}

/*
 * The checker. Each helper checks one rule, writes the first violation to
 * @why and returns false. The walks are bounded by the trees' own in-order
 * walk, so a corrupted list cannot make them loop.
 *
 * Reports name areas by their offset in the slice, [+start, +end), never by
 * kernel address: they reach dmesg and the control file's result, and an
 * offset is both safe to show (kptr_restrict) and the same on every load.
 * An area below the slice start shows as a huge offset (it wraps).
 */

/* Red-black shape: parent links, black root, no red-red, equal black depth. */
static bool check_rb_shape(struct kva_space *s, struct rb_root *root,
			   const char *name, char *why, size_t len)
{
	struct rb_node *top = root->rb_node;
	long black_depth = -1;
	struct rb_node *n;

	if (top && (rb_parent(top) || rb_is_red(top))) {
		snprintf(why, len, "%s tree: root has a parent or is red", name);
		return false;
	}

	for (n = rb_first(root); n; n = rb_next(n)) {
		struct kva_area *va = rb_entry(n, struct kva_area, rb_node);
		struct rb_node *p;
		long depth = 0;

		if ((n->rb_left && rb_parent(n->rb_left) != n) ||
		    (n->rb_right && rb_parent(n->rb_right) != n)) {
			snprintf(why, len,
				 "%s area [+0x%lx, +0x%lx): child's parent link is wrong",
				 name, kva_offset(s, va->va_start), kva_offset(s, va->va_end));
			return false;
		}
		if (rb_is_red(n) && ((n->rb_left && rb_is_red(n->rb_left)) ||
				     (n->rb_right && rb_is_red(n->rb_right)))) {
			snprintf(why, len,
				 "%s area [+0x%lx, +0x%lx): red node has a red child",
				 name, kva_offset(s, va->va_start), kva_offset(s, va->va_end));
			return false;
		}
		if (n->rb_left && n->rb_right)
			continue;

		/* A node with an empty link: all such paths count equal. */
		for (p = n; p; p = rb_parent(p))
			depth += rb_is_black(p);
		if (black_depth < 0)
			black_depth = depth;
		if (depth != black_depth) {
			snprintf(why, len,
				 "%s area [+0x%lx, +0x%lx): black depth %ld, expected %ld",
				 name, kva_offset(s, va->va_start), kva_offset(s, va->va_end),
				 depth, black_depth);
			return false;
		}
	}

	return true;
}

/*
 * One tree against its list and counters: same areas in the same order,
 * each sane and inside the slice, sorted without overlap (and for the free
 * tree without adjacency and with exact subtree_max_size).
 */
static bool check_tree(struct kva_space *s, struct rb_root *root,
		       struct list_head *head, const char *name,
		       unsigned long nr, unsigned long bytes, bool is_free,
		       char *why, size_t len)
{
	struct kva_area *prev = NULL;
	struct list_head *pos = head;
	unsigned long count = 0;
	unsigned long sum = 0;
	struct rb_node *n;

	if (!check_rb_shape(s, root, name, why, len))
		return false;

	for (n = rb_first(root); n; n = rb_next(n)) {
		struct kva_area *va = rb_entry(n, struct kva_area, rb_node);

		if (pos->next == head || pos->next->prev != pos ||
		    list_entry(pos->next, struct kva_area, list) != va) {
			snprintf(why, len,
				 "%s list does not match the tree at area [+0x%lx, +0x%lx)",
				 name, kva_offset(s, va->va_start), kva_offset(s, va->va_end));
			return false;
		}
		pos = pos->next;

		if (va->va_start >= va->va_end ||
		    !IS_ALIGNED(va->va_start, PAGE_SIZE) ||
		    !IS_ALIGNED(va->va_end, PAGE_SIZE) ||
		    va->va_start < s->start || va->va_end > s->end) {
			snprintf(why, len,
				 "%s area [+0x%lx, +0x%lx): empty, unaligned or outside the slice [+0x0, +0x%lx)",
				 name, kva_offset(s, va->va_start), kva_offset(s, va->va_end),
				 s->end - s->start);
			return false;
		}
		if (prev && prev->va_end > va->va_start) {
			snprintf(why, len,
				 "%s areas [+0x%lx, +0x%lx) and [+0x%lx, +0x%lx) overlap or are out of order",
				 name, kva_offset(s, prev->va_start), kva_offset(s, prev->va_end),
				 kva_offset(s, va->va_start), kva_offset(s, va->va_end));
			return false;
		}
		if (is_free && prev && prev->va_end == va->va_start) {
			snprintf(why, len,
				 "free areas [+0x%lx, +0x%lx) and [+0x%lx, +0x%lx) are adjacent but not merged",
				 kva_offset(s, prev->va_start), kva_offset(s, prev->va_end),
				 kva_offset(s, va->va_start), kva_offset(s, va->va_end));
			return false;
		}
		if (is_free) {
			unsigned long want = max(kva_size(va),
						 max(get_subtree_max_size(n->rb_left),
						     get_subtree_max_size(n->rb_right)));

			if (va->subtree_max_size != want) {
				snprintf(why, len,
					 "free area [+0x%lx, +0x%lx): subtree_max_size 0x%lx, expected 0x%lx",
					 kva_offset(s, va->va_start), kva_offset(s, va->va_end),
					 va->subtree_max_size, want);
				return false;
			}
		}

		count++;
		sum += kva_size(va);
		prev = va;
	}

	if (pos->next != head || head->prev != pos) {
		snprintf(why, len, "%s list has areas the tree does not",
			 name);
		return false;
	}
	if (count != nr || sum != bytes) {
		snprintf(why, len,
			 "%s counters say %lu areas 0x%lx bytes, found %lu areas 0x%lx bytes",
			 name, nr, bytes, count, sum);
		return false;
	}

	return true;
}

/* The lowest of the three list cursors not yet at their list head. */
static struct kva_area *lowest_of(struct list_head **pos,
				  struct list_head **heads, int nr, int *which)
{
	struct kva_area *best = NULL;
	int i;

	for (i = 0; i < nr; i++) {
		struct kva_area *va;

		if (pos[i]->next == heads[i])
			continue;
		va = list_entry(pos[i]->next, struct kva_area, list);
		if (!best || va->va_start < best->va_start) {
			best = va;
			*which = i;
		}
	}

	return best;
}

/*
 * Busy, free, lazy and pooled areas, merged in address order, must tile the
 * slice: each starts where the previous one ended, from start to end. This
 * also rules out overlap between trees.
 */
static bool check_coverage(struct kva_space *s, char *why, size_t len)
{
	static const char * const names[] = { "busy", "free", "lazy", "pool" };
	struct list_head *heads[] = {
		&s->busy_list, &s->free_list, &s->lazy_list, &s->pool_list,
	};
	struct list_head *pos[] = {
		&s->busy_list, &s->free_list, &s->lazy_list, &s->pool_list,
	};
	unsigned long addr = s->start;
	struct kva_area *va;
	int i = 0;

	while ((va = lowest_of(pos, heads, ARRAY_SIZE(heads), &i))) {
		if (va->va_start != addr) {
			snprintf(why, len,
				 "%s area [+0x%lx, +0x%lx): %s at +0x%lx",
				 names[i], kva_offset(s, va->va_start), kva_offset(s, va->va_end),
				 va->va_start > addr ? "gap" : "overlap",
				 kva_offset(s, addr));
			return false;
		}
		addr = va->va_end;
		pos[i] = pos[i]->next;
	}

	if (addr != s->end) {
		snprintf(why, len, "nothing covers [+0x%lx, +0x%lx), the end of the slice",
			 kva_offset(s, addr), kva_offset(s, s->end));
		return false;
	}

	return true;
}

/*
 * Every pooled area is on the list of its size class, each class list holds
 * as many as its count says, and the counts add up to nr_pooled. Walks are
 * bounded by nr_pooled, so a corrupted list cannot loop.
 */
static bool check_pool_classes(struct kva_space *s, char *why, size_t len)
{
	unsigned long total = 0;
	struct list_head *p;
	int i;

	for (i = 0; i <= KVA_POOL_MAX_PAGES; i++) {
		unsigned long seen = 0;

		for (p = s->pool_class[i].next;
		     p != &s->pool_class[i] && seen <= s->nr_pooled;
		     p = p->next) {
			struct kva_area *va = list_entry(p, struct kva_area,
							 pool);

			if (kva_size(va) != (unsigned long)i << PAGE_SHIFT ||
			    RB_EMPTY_NODE(&va->rb_node) ||
			    kva_pool_find(s, va->va_start) != va) {
				snprintf(why, len,
					 "pool class %d holds [+0x%lx, +0x%lx), %s",
					 i, kva_offset(s, va->va_start),
					 kva_offset(s, va->va_end),
					 kva_size(va) != (unsigned long)i << PAGE_SHIFT ?
					 "of another size" : "which is not in the pool tree");
				return false;
			}
			seen++;
		}
		if (seen != s->pool_class_nr[i]) {
			snprintf(why, len, "pool class %d counts %lu areas, its list holds %lu",
				 i, s->pool_class_nr[i], seen);
			return false;
		}
		total += seen;
	}
	if (total != s->nr_pooled) {
		snprintf(why, len, "pool classes hold %lu areas, nr_pooled is %lu",
			 total, s->nr_pooled);
		return false;
	}
	return true;
}

int kva_check(struct kva_space *s, char *why, size_t len)
{
	if (!check_tree(s, &s->free_root, &s->free_list, "free",
			s->nr_free, s->free_bytes, true, why, len) ||
	    !check_tree(s, &s->busy_root, &s->busy_list, "busy",
			s->nr_busy, s->busy_bytes, false, why, len) ||
	    !check_tree(s, &s->lazy_root, &s->lazy_list, "lazy",
			s->nr_lazy, s->lazy_bytes, false, why, len) ||
	    !check_tree(s, &s->pool_root, &s->pool_list, "pool",
			s->nr_pooled, s->pooled_bytes, false, why, len) ||
	    !check_pool_classes(s, why, len) ||
	    !check_coverage(s, why, len))
		return -EUCLEAN;

	if (s->policy->check && s->policy->check(s, why, len))
		return -EUCLEAN;

	if (len)
		why[0] = '\0';
	return 0;
}
