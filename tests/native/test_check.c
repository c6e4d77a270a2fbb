// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the checker, kva_check(), in the manner of
 * tools/testing/vma: the production file is #included, so the tests can
 * reach its static helpers to inject corruption for the checker to find.
 *
 *   test_check [-v]	(-v prints each report)
 */
#include "../../module/core.c"

#include <stdio.h>
#include <string.h>

#include <kvalab/policy_state.h>

#include "core_fixture.h"

/*
 * Checker: each row corrupts a healthy "AABBBCC........." slice one way,
 * expects kva_check() to name the broken rule (and a slice offset, never a
 * kernel address), and then
 * undoes the damage and expects a clean bill again.
 */
struct injection {
	const char *name;
	void (*inject)(struct fixture *f, int dir);	/* dir +1 do, -1 undo */
	const char *expect;
	unsigned long off;		/* a slice offset the report must name */
};

static struct kva_area *A_(struct fixture *f, char l)
{
	return f->by_label[l - 'A'];
}

static struct kva_area *free_tail(struct fixture *f)
{
	return list_last_entry(&f->s.free_list, struct kva_area, list);
}

static void inj_subtree_max(struct fixture *f, int dir)
{
	free_tail(f)->subtree_max_size += dir * PAGE_SIZE;
}

static void inj_counter(struct fixture *f, int dir)
{
	f->s.nr_busy += dir;
}

static void inj_bytes(struct fixture *f, int dir)
{
	f->s.free_bytes += dir * PAGE_SIZE;
}

/* Busy C grows over the first free page (busy_bytes kept consistent). */
static void inj_overlap(struct fixture *f, int dir)
{
	A_(f, 'C')->va_end += dir * PAGE_SIZE;
	f->s.busy_bytes += dir * PAGE_SIZE;
}

/* B leaves the busy tree and goes nowhere. */
static void inj_gap(struct fixture *f, int dir)
{
	if (dir > 0)
		kva_busy_unlink(&f->s, A_(f, 'B'));
	else
		kva_busy_insert(&f->s, A_(f, 'B'));
}

/* C leaves busy for the free tree without merging with its neighbour. */
static void inj_adjacent(struct fixture *f, int dir)
{
	struct kva_area *c = A_(f, 'C');

	if (dir > 0) {
		kva_busy_unlink(&f->s, c);
		insert_free_area(c, NULL, &f->s.free_root, &f->s.free_list);
		f->s.nr_free++;
		f->s.free_bytes += kva_size(c);
	} else {
		unlink_area(c, &f->s.free_root, true);
		f->s.nr_free--;
		f->s.free_bytes -= kva_size(c);
		augment_propagate_from(free_tail(f));
		hold(f, c, 'C');
	}
}

/* Swap neighbours @a and @b on their list (@dir > 0), or back. */
static void swap_links(struct list_head *a, struct list_head *b, int dir)
{
	if (dir > 0)
		list_move(a, b);
	else
		list_move(b, a);
}

/* The busy list order no longer matches the tree: swap A and B. */
static void inj_list_order(struct fixture *f, int dir)
{
	swap_links(&A_(f, 'A')->list, &A_(f, 'B')->list, dir);
}

/* Busy A grows into busy B (busy_bytes kept consistent). */
static void inj_busy_overlap(struct fixture *f, int dir)
{
	A_(f, 'A')->va_end += dir * PAGE_SIZE;
	f->s.busy_bytes += dir * PAGE_SIZE;
}

static void inj_unaligned(struct fixture *f, int dir)
{
	A_(f, 'B')->va_start += dir * 16;
	f->s.busy_bytes -= dir * 16;
}

/* The root turns red: the tree is no longer a red-black tree. */
static void inj_red_root(struct fixture *f, int dir)
{
	struct rb_node *root = f->s.busy_root.rb_node;

	if (dir > 0)
		rb_set_parent_color(root, NULL, RB_RED);
	else
		rb_set_parent_color(root, NULL, RB_BLACK);
}

static void inj_outside(struct fixture *f, int dir)
{
	struct kva_area *t = free_tail(f);

	t->va_end += dir * PAGE_SIZE;
	f->s.free_bytes += dir * PAGE_SIZE;
	augment_propagate_from(t);
}

static const struct injection injections[] = {
	{ "wrong subtree_max_size", inj_subtree_max, "subtree_max_size",
	  P(7) },
	{ "wrong area count", inj_counter, "busy counters", 0 },
	{ "wrong byte count", inj_bytes, "free counters", 0 },
	{ "busy area overlapping free space", inj_overlap, "overlap",
	  P(7) },
	{ "busy areas overlapping each other", inj_busy_overlap,
	  "overlap or are out of order", P(2) },
	{ "a gap covered by no tree", inj_gap, "gap", P(2) },
	{ "adjacent free areas left unmerged", inj_adjacent,
	  "adjacent but not merged", P(5) },
	{ "list order differs from tree order", inj_list_order,
	  "busy list does not match the tree at area [+0x0,", 0 },
	{ "unaligned area", inj_unaligned, "unaligned", P(2) + 16 },
	{ "red root", inj_red_root, "root", 0 },
	{ "area beyond the slice end", inj_outside, "outside the slice",
	  P(17) },
};

/*
 * Policy check rules: the same healthy slice, switched to the policy, with
 * that policy's own index corrupted; the reason must name the policy.
 */
struct policy_injection {
	enum kva_policy_id policy;
	struct injection inj;
};

/* vmlist: A and B swap places on the occupied list. */
static void inj_occ_order(struct fixture *f, int dir)
{
	swap_links(&A_(f, 'A')->occ, &A_(f, 'B')->occ, dir);
}

/* vmlist: B's back link points at C instead of A. */
static void inj_occ_link(struct fixture *f, int dir)
{
	A_(f, 'B')->occ.prev = dir > 0 ? &A_(f, 'C')->occ : &A_(f, 'A')->occ;
}

/* cached-hole: C drops off the occupied list, its count unchanged. */
static void inj_occ_unlink(struct fixture *f, int dir)
{
	if (dir > 0)
		list_del(&A_(f, 'C')->occ);
	else
		list_add(&A_(f, 'C')->occ, &A_(f, 'B')->occ);
}

/* cached-hole: the cache points at the free area (attach left it NULL). */
static void inj_cache(struct fixture *f, int dir)
{
	KVA_PSTATE(&f->s, struct cached_hole_state)->cache =
		dir > 0 ? free_tail(f) : NULL;
}

/* next-fit: the rotor one page past the slice end (attach left it 0). */
static void inj_rotor(struct fixture *f, int dir)
{
	KVA_PSTATE(&f->s, struct next_fit_state)->rotor =
		dir > 0 ? f->s.end + PAGE_SIZE : 0;
}

/* best-fit: the free area leaves the size tree. */
static void inj_size_tree(struct fixture *f, int dir)
{
	if (dir > 0)
		kva_policy_best_fit.free_del(&f->s, free_tail(f));
	else
		kva_policy_best_fit.free_add(&f->s, free_tail(f));
}

/* instant-fit: the bit of the free area's class (9 pages: class 3) flips. */
static void inj_class_map(struct fixture *f, int dir)
{
	(void)dir;
	KVA_PSTATE(&f->s, struct instant_fit_state)->map ^= BIT(3);
}

/* instant-fit: the free area moves to the class 2 list. */
static void inj_class_list(struct fixture *f, int dir)
{
	struct instant_fit_state *st =
		KVA_PSTATE(&f->s, struct instant_fit_state);
	struct kva_area *va = free_tail(f);

	if (dir > 0) {
		INIT_LIST_HEAD(&st->lists[2]);
		list_move(&va->pidx.list, &st->lists[2]);
		st->map = BIT(2);
	} else {
		list_move(&va->pidx.list, &st->lists[3]);
		st->map = BIT(3);
	}
}

static const struct policy_injection policy_injections[] = {
	{ KVA_POLICY_VMLIST, { "vmlist: occupied list out of order",
	  inj_occ_order, "vmlist: occupied list has", P(2) } },
	{ KVA_POLICY_VMLIST, { "vmlist: occupied list link broken",
	  inj_occ_link, "vmlist: occupied list links broken", 0 } },
	{ KVA_POLICY_CACHED_HOLE, { "cached-hole: area missing from the occupied list",
	  inj_occ_unlink, "cached-hole: occupied list walks 2 areas, busy + lazy + pooled hold 3", 0 } },
	{ KVA_POLICY_CACHED_HOLE, { "cached-hole: cache on a free area",
	  inj_cache, "cached-hole: the cached area is not on the occupied list", 0 } },
	{ KVA_POLICY_NEXT_FIT, { "next-fit: rotor outside the slice",
	  inj_rotor, "next-fit: rotor", P(17) } },
	{ KVA_POLICY_BEST_FIT, { "best-fit: free area missing from the size tree",
	  inj_size_tree, "best-fit: size tree holds 0 areas (counter 0), the free tree 1", 0 } },
	{ KVA_POLICY_INSTANT_FIT, { "instant-fit: class bitmap bit cleared",
	  inj_class_map, "instant-fit: class lists hold 0 areas, the free tree 1", 0 } },
	{ KVA_POLICY_INSTANT_FIT, { "instant-fit: free area on the wrong class list",
	  inj_class_list, "instant-fit: class 2 list holds", P(7) } },
};

static void run_injection_as(const struct injection *inj,
			     enum kva_policy_id policy)
{
	char name[128];
	struct fixture f;
	bool ok;

	snprintf(name, sizeof(name), "kva_check detects: %s", inj->name);
	ok = three_areas(&f);
	if (ok && policy != KVA_POLICY_LOWEST) {
		struct step sw = { .op = SWITCH, .policy = policy };

		ok = do_switch(&f, &sw) && check_state(&f, "AABBBCC.........");
	}
	if (ok) {
		char why[256], addr[32];
		int ret;

		inj->inject(&f, 1);
		ret = kva_check(&f.s, why, sizeof(why));
		snprintf(addr, sizeof(addr), "+0x%lx", inj->off);
		if (ret != -EUCLEAN)
			ok = fail(&f, "returned %d", ret);
		else if (!strstr(why, inj->expect) ||
			 (inj->off && !strstr(why, addr)) ||
			 strstr(why, "ffffc9"))	/* no kernel address */
			ok = fail(&f, "said \"%s\", expected \"%s\" and %s",
				  why, inj->expect, inj->off ? addr : "-");
		else if (verbose)
			printf("#   %s\n", why);
		inj->inject(&f, -1);
		if (ok)
			ok = check_state(&f, "AABBBCC.........");
	}
	report(ok, name, &f);
	teardown(&f);
}

static void run_injection(const struct injection *inj)
{
	run_injection_as(inj, KVA_POLICY_LOWEST);
}

int main(int argc, char **argv)
{
	unsigned int i;

	tc_start(argc, argv);
	for (i = 0; i < ARRAY_SIZE(injections); i++)
		run_injection(&injections[i]);
	for (i = 0; i < ARRAY_SIZE(policy_injections); i++)
		run_injection_as(&policy_injections[i].inj,
				 policy_injections[i].policy);
	return tc_done();
}
