/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the allocator core's unit tests (core_fixture.c): a slice
 * under test, the steps that change it and the check after each step. Used
 * by test_core.c (the core), test_policies.c (the placement policies),
 * test_pool.c (the VA pool) and test_check.c (the checker).
 *
 * Most cases are rows of a table: a slice of a few pages and a list of steps
 * (alloc, free, lazy free, purge), each with the result it must have and a
 * drawing of the slice after it, one character per page:
 *
 *	A-Z  busy area with that label	a-z  the same area, lazily freed
 *	.    free			+    pooled
 *	?    covered by no tree
 *
 * e.g. "A.BB....cc......". The drawing is read back from the live trees and
 * compared as a string; the expected counters (nr_*, *_bytes, the largest
 * free area) are derived from the expected drawing, and every step must
 * move exactly the fit or merge counter it names and pass kva_check().
 *
 * A case runs under one placement policy (lowest unless it names another),
 * and may switch policy mid-way or check a policy's search state (the
 * cached-hole cache, the next-fit rotor). Every lowest case is replayed
 * under vmlist, whose placement rule is the same. A case that documents a
 * known difference between a policy and the code it follows carries a TODO
 * (TAP "# TODO": reported, not counted as a failure).
 *
 * Each test binary takes -v (print every step's drawing) and prints TAP.
 */
#ifndef _KVALAB_CORE_FIXTURE_H
#define _KVALAB_CORE_FIXTURE_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include <kvalab/core.h>
#include <kvalab/policy.h>

/* A slice base aligned to 1 TiB, as vmalloc space bases are aligned. */
#define BASE	0xffffc90000000000UL
#define P(n)	((unsigned long)(n) * PAGE_SIZE)
#define MAXP	64

/* Top of the address space: a 16-page slice whose end is the last page. */
#define TOP	(0UL - P(17))

extern bool verbose;

/* The slice under test and every area object the test holds. */
struct fixture {
	struct kva_space s;
	unsigned long base, nr_pages;
	struct kva_area *by_label[26];	/* busy or lazy areas */
	struct kva_area *preload;
	unsigned long objects;		/* area objects not yet freed */
	unsigned long warnings;		/* shim warnings at setup */
	char why[512];
};

/* Record why the test failed in @f->why; returns false. */
__printf(2, 3) bool fail(struct fixture *f, const char *fmt, ...);

/* A zeroed area object, counted in @f->objects; drop_area() undoes it. */
struct kva_area *new_area(struct fixture *f);
void drop_area(struct fixture *f, struct kva_area *va);

/* free() the area objects the core handed back on @unused. */
void release(struct fixture *f, struct list_head *unused);

/* A slice of @pages pages at @base (0: BASE), the policy lowest. */
bool setup(struct fixture *f, unsigned long base, unsigned long pages);
void teardown(struct fixture *f);

/* Make @va, just placed by the core, busy area @label (preload refilled). */
void keep_alloc(struct fixture *f, struct kva_area *va, char label);
/* Put @va in the busy tree as area @label. */
void hold(struct fixture *f, struct kva_area *va, char label);

/*
 * Compare the slice with drawing @map, the counters with what @map
 * implies, and run the checker.
 */
bool check_state(struct fixture *f, const char *map);

/* Allocate @pages pages as busy area @label, wherever the policy puts it. */
bool alloc_label(struct fixture *f, char label, unsigned long pages);
/* "AABBBCC.........": three busy areas, then free space. */
bool three_areas(struct fixture *f);

enum step_op { END, ALLOC, FREE, LAZY, PURGE, SWITCH, CACHED, ROTOR,
	       POOLP, PGET, DECAY };
enum merge_kind { MERGE_NONE, MERGE_PREV, MERGE_NEXT, MERGE_BOTH };

struct step {
	enum step_op op;
	char label;
	unsigned long size, align;	/* ALLOC, bytes */
	int ret;			/* ALLOC */
	enum kva_fit_type fit;		/* ALLOC */
	bool no_preload;		/* ALLOC */
	enum merge_kind merge;		/* FREE */
	unsigned long lo, hi;		/* PURGE: expected range, pages */
					/* ROTOR: expected rotor, page (lo) */
	enum kva_policy_id policy;	/* SWITCH */
	bool all;			/* DECAY */
	unsigned long count;		/* DECAY: areas moved; PGET: 1 hit, 0 miss */
	const char *map;		/* the slice after the step */
};

#define ALLOC(l, sz, al, f, m) \
	{ .op = ALLOC, .label = (l), .size = (sz), .align = (al), \
	  .fit = KVA_##f##_FIT, .map = (m) }
#define ALLOC_FAIL(sz, al, err, m) \
	{ .op = ALLOC, .size = (sz), .align = (al), .ret = (err), .map = (m) }
#define ALLOC_NO_PRELOAD(l, sz, al, f, m) \
	{ .op = ALLOC, .label = (l), .size = (sz), .align = (al), \
	  .fit = KVA_##f##_FIT, .no_preload = true, .map = (m) }
#define ALLOC_NO_PRELOAD_FAIL(sz, al, err, m) \
	{ .op = ALLOC, .size = (sz), .align = (al), .ret = (err), \
	  .no_preload = true, .map = (m) }
#define FREE(l, mk, m) \
	{ .op = FREE, .label = (l), .merge = MERGE_##mk, .map = (m) }
#define LAZY(l, m)	{ .op = LAZY, .label = (l), .map = (m) }
#define PURGE(l, h, m)	{ .op = PURGE, .lo = (l), .hi = (h), .map = (m) }
/* Make policy @id (KVA_POLICY_@id) the active one on the live slice. */
#define SWITCH(id, m) \
	{ .op = SWITCH, .policy = KVA_POLICY_##id, .map = (m) }
/* cached-hole's free_vmap_cache is area @l ('-': no cache). */
#define CACHED(l, m)	{ .op = CACHED, .label = (l), .map = (m) }
/* next-fit's rotor is at page @p (its "start" value 0 reads as page 0). */
#define ROTOR(p, m)	{ .op = ROTOR, .lo = (p), .map = (m) }
/* A purge whose areas all go to the pool; @l-@h its range, in pages. */
#define POOLP(l, h, m)	{ .op = POOLP, .lo = (l), .hi = (h), .map = (m) }
/* kva_pool_get(@sz) hands out area @l / finds none. */
#define PGET(l, sz, m) \
	{ .op = PGET, .label = (l), .size = (sz), .count = 1, .map = (m) }
#define PMISS(sz, m)	{ .op = PGET, .size = (sz), .map = (m) }
/* kva_pool_take(@a) moves @n areas, which go back to the free tree. */
#define DECAY(a, n, m)	{ .op = DECAY, .all = (a), .count = (n), .map = (m) }

struct core_case {
	const char *name;
	unsigned long base;		/* 0: BASE */
	unsigned long pages;
	struct step steps[24];
	enum kva_policy_id policy;	/* from the start; default lowest */
	/* The lowest-match length rule (default exact; see core.h). */
	enum kva_search_mode search;
	/*
	 * A known difference from the source the policy follows: the steps
	 * say what the source does, and the case reports "# TODO" with this.
	 */
	const char *todo;
};

/* A case's name, base (0: BASE) and size in pages; the policy defaults to lowest. */
#define CASE(n, b, p)	.name = (n), .base = (b), .pages = (p)

/* One step of a case; true if it did what it says (the map aside). */
bool do_switch(struct fixture *f, const struct step *st);

/* One TAP line for test @name, the reason from @f if it failed. */
void report(bool ok, const char *name, struct fixture *f);

/* Run case @c under policy @policy (its own, or vmlist for a replay). */
void run_case_as(const struct core_case *c, enum kva_policy_id policy,
		 const char *name);
/* Run case @c under its policy, and a lowest case under vmlist again. */
void run_case(const struct core_case *c);
void run_cases(const struct core_case *c, unsigned int nr);

/*
 * Tests that are not step lists. Each returns true or fails @f with the
 * reason.
 */
struct fn_test {
	const char *name;
	bool (*fn)(struct fixture *f);
};

void run_fn_tests(const struct fn_test *t, unsigned int nr);

/* A binary's start (options, the timeout) and end (the plan; exit status). */
void tc_start(int argc, char **argv);
int tc_done(void);

#endif /* _KVALAB_CORE_FIXTURE_H */
