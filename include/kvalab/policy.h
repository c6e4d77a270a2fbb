/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The placement-policy seam of the allocator core (docs/policies.md).
 *
 * kva_alloc() asks the active policy where a request goes: which free area,
 * and which start inside it. The core then clips exactly that range and
 * keeps its own structures (the augmented free tree, the address-sorted
 * lists, the busy and lazy trees) as always, so every policy gets the same
 * split and merge code, the same counters and the same checker.
 *
 * A policy that needs an index of its own (a size-ordered tree, size-class
 * lists, the 2.6 list of occupied areas) keeps it in the space's pstate
 * through the hooks below, which the core calls on every change, under the
 * same free-space lock. Hooks never allocate: index links live inside
 * struct kva_area (pidx for free areas, occ for occupied ones) and the
 * index heads inside struct kva_space (pstate).
 *
 * To add a policy: a name in <kvalab/policies.h>, a module/policy_<name>.c
 * defining a struct kva_policy, and its line in module/policy.c's table.
 * Like the core, policy files know nothing of pages, locks or debugfs and
 * compile unchanged in userspace.
 */
#ifndef _KVALAB_POLICY_H
#define _KVALAB_POLICY_H

#include <kvalab/core.h>

struct kva_policy {
	enum kva_policy_id id;

	/*
	 * Where @size bytes aligned to @align go: the free area holding the
	 * range (returned) and its start (*@nva_start), such that the range
	 * lies inside that free area. NULL when the policy finds no place
	 * (kva_alloc() then fails with -ENOMEM). May update the policy's own
	 * search state (a rotor, a cache), never the space. Adds what it
	 * looked at to s->fstats.search_steps.
	 */
	struct kva_area *(*find)(struct kva_space *s, unsigned long size,
				 unsigned long align, unsigned long *nva_start);

	/*
	 * Build the index from the space as it is (every area in its tree,
	 * none in flight). pstate is zeroed before. Optional.
	 */
	void (*attach)(struct kva_space *s);

	/*
	 * Free-area hooks, optional. free_add: @va became a free area, or a
	 * free area whose range just changed (after free_del). free_del: @va
	 * stops being a free area, or its range is about to change.
	 */
	void (*free_add)(struct kva_space *s, struct kva_area *va);
	void (*free_del)(struct kva_space *s, struct kva_area *va);

	/*
	 * Occupied-area hooks, optional. placed: @va was just clipped out of
	 * the free tree by the find() just before. released: occupied @va is
	 * about to return to the free tree (kva_free_insert()).
	 */
	void (*placed)(struct kva_space *s, struct kva_area *va);
	void (*released)(struct kva_space *s, struct kva_area *va);

	/*
	 * The index's invariants on a quiescent space (the check rule):
	 * 0, or -EUCLEAN with the first broken rule in @why. Optional.
	 */
	int (*check)(struct kva_space *s, char *why, size_t len);
};

extern const struct kva_policy kva_policy_lowest;
extern const struct kva_policy kva_policy_vmlist;
extern const struct kva_policy kva_policy_cached_hole;
extern const struct kva_policy kva_policy_next_fit;
extern const struct kva_policy kva_policy_best_fit;
extern const struct kva_policy kva_policy_instant_fit;

/* The table, by enum kva_policy_id (module/policy.c). */
extern const struct kva_policy *const kva_policies[KVA_NR_POLICIES];

/* The policy's state inside @s, checked at build time to fit. */
#define KVA_PSTATE(s, type)						\
	({								\
		BUILD_BUG_ON(sizeof(type) > sizeof((s)->pstate));	\
		(type *)(s)->pstate;					\
	})

/*
 * Core services for policies (module/core.c).
 *
 * kva_lowest_match(): the free area holding the lowest address >= @vstart
 * where @size bytes aligned to @align fit, through the augmented tree in
 * O(log n) (find_vmap_lowest_match()); NULL if none. Counts its steps.
 */
struct kva_area *kva_lowest_match(struct kva_space *s, unsigned long size,
				  unsigned long align, unsigned long vstart);

/*
 * kva_lowest_find(): the core's own search as a find(), the lowest match
 * from the slice start at its lowest aligned address. It is lowest's
 * find(); kva_alloc() calls it directly, not through the pointer, when it
 * is the active policy's, so the default policy pays no indirect call
 * (retpolines make those dear in the kernel).
 */
struct kva_area *kva_lowest_find(struct kva_space *s, unsigned long size,
				 unsigned long align, unsigned long *nva_start);

/*
 * Whether @size bytes aligned to @align fit in @va at its lowest such
 * address >= @vstart; if so *@nva_start receives it. Overflow-safe.
 */
bool kva_fits_at(const struct kva_area *va, unsigned long size,
		 unsigned long align, unsigned long vstart,
		 unsigned long *nva_start);

/*
 * The address-ordered list of occupied areas (busy, lazy and in flight)
 * that the list-walking policies (vmlist, cached-hole) keep through their
 * placed/released hooks (module/policy_occupied.c).
 */
struct kva_occupied {
	struct list_head head;
	unsigned long nr;
};

/* Build from the busy and lazy lists, merged by address. */
void kva_occupied_build(struct kva_space *s, struct kva_occupied *o);
/* Link @va before @pos (an entry's occ, or &o->head for the tail). */
void kva_occupied_insert(struct kva_occupied *o, struct kva_area *va,
			 struct list_head *pos);
void kva_occupied_del(struct kva_occupied *o, struct kva_area *va);
/* It must equal busy and lazy merged by address, entry for entry. */
int kva_occupied_check(struct kva_space *s, struct kva_occupied *o,
		       const char *name, char *why, size_t len);

static inline struct kva_area *kva_occ_entry(struct list_head *p)
{
	return list_entry(p, struct kva_area, occ);
}

#endif /* _KVALAB_POLICY_H */
