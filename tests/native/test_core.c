// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the allocator core under its default policy (lowest): the
 * four split cases, merges on free, lazy areas and purges, the search modes,
 * limits and refusals, as step tables (core_fixture.h), each lowest case
 * replayed under vmlist; then the lookups, kva_alloc_at() and the insert
 * refusals as plain tests.
 *
 *   test_core [-v]	(-v prints every step's drawing)
 */
#include <stdlib.h>
#include <string.h>

#include "core_fixture.h"

/*
 * The search modes' layout: D's hole [9, 10) is freed first and is the
 * tree's root, B's hole [4, 8) is freed second and becomes its left child.
 */
#define HOLE_LEFT_OF_ROOT \
	ALLOC('A', P(4), P(1), LE,	"AAAA............"), \
	ALLOC('B', P(4), P(1), LE,	"AAAABBBB........"), \
	ALLOC('C', P(1), P(1), LE,	"AAAABBBBC......."), \
	ALLOC('D', P(1), P(1), LE,	"AAAABBBBCD......"), \
	ALLOC('E', P(6), P(1), FL,	"AAAABBBBCDEEEEEE"), \
	FREE('D', NONE,			"AAAABBBBC.EEEEEE"), \
	FREE('B', NONE,			"AAAA....C.EEEEEE")

static const struct core_case core_cases[] = {
	{ CASE("first alloc: left edge fit", 0, 16), .steps = {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
	} },
	{ CASE("full fit consumes the only free area", 0, 4), .steps = {
		ALLOC('A', P(4), P(1), FL,	"AAAA"),
		FREE('A', NONE,			"...."),
	} },
	{ CASE("right edge fit: alignment puts the end at the area's end", 0, 16), .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(8), P(8), RE,	"A.......BBBBBBBB"),
		ALLOC('C', P(7), P(1), FL,	"ACCCCCCCBBBBBBBB"),
	} },
	{ CASE("no edge fit splits the area and takes the preload", 0, 16), .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(1), P(2), NE,	"A.B............."),
		ALLOC('C', P(1), P(1), FL,	"ACB............."),
	} },
	{ CASE("no edge split without a preload is refused, nothing changes", 0, 16), .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC_NO_PRELOAD_FAIL(P(1), P(2), -EINVAL,
						"A..............."),
		ALLOC_NO_PRELOAD('B', P(3), P(1), LE,
						"ABBB............"),
	} },
	{ CASE("lowest match skips a hole that is too small", 0, 16), .steps = {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(1), P(1), LE,	"AAB............."),
		ALLOC('C', P(2), P(1), LE,	"AABCC..........."),
		FREE('B', NONE,			"AA.CC..........."),
		ALLOC('D', P(2), P(1), LE,	"AA.CCDD........."),
		ALLOC('E', P(1), P(1), FL,	"AAECCDD........."),
	} },
	{ CASE("lowest match skips a hole that alignment misses", 0, 16), .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(1), P(1), LE,	"AB.............."),
		ALLOC('C', P(2), P(1), LE,	"ABCC............"),
		FREE('B', NONE,			"A.CC............"),
		ALLOC('D', P(1), P(2), LE,	"A.CCD..........."),
		ALLOC('E', P(2), P(4), NE,	"A.CCD...EE......"),
		ALLOC('F', P(1), P(1), FL,	"AFCCD...EE......"),
		ALLOC('G', P(2), P(2), RE,	"AFCCD.GGEE......"),
	} },
	/*
	 * The padded search (v5.2 .. v5.15) against the exact one, on one
	 * layout (HOLE_LEFT_OF_ROOT). A 4-page request aligned to 4 pages
	 * fits B's hole exactly; padded compares the left subtree's maximum
	 * (4 pages) with 4 + 4 pages - 1 byte, never goes left, tries the
	 * root only and fails. Exact goes left and takes B's hole.
	 */
	{ CASE("exact and aligned: the lowest aligned hole fits whole", 0, 16), .steps = {
		HOLE_LEFT_OF_ROOT,
		ALLOC('F', P(4), P(4), FL,	"AAAAFFFFC.EEEEEE"),
	} },
	{ CASE("exact and aligned: the lowest aligned hole fits whole", 0, 16),
	  .search = KVA_SEARCH_PADDED, .steps = {
		HOLE_LEFT_OF_ROOT,
		/* 4 pages free at an aligned start, and ENOMEM */
		ALLOC_FAIL(P(4), P(4), -ENOMEM,	"AAAA....C.EEEEEE"),
		/* 5.2 padded page-aligned requests too: 4 pages + 4095 bytes */
		ALLOC_FAIL(P(4), P(1), -ENOMEM,	"AAAA....C.EEEEEE"),
		/* 2 pages - 1 byte: the left subtree qualifies, B's hole */
		ALLOC('G', P(1), P(1), LE,	"AAAAG...C.EEEEEE"),
	} },
	/* The same one-page request, exact: the lowest hole, page 4. */
	{ CASE("exact and page aligned: the lowest hole, not the root", 0, 16), .steps = {
		HOLE_LEFT_OF_ROOT,
		ALLOC('G', P(1), P(1), LE,	"AAAAG...C.EEEEEE"),
	} },
	/* Padded with an area of size + align - 1 in a subtree: it is entered. */
	{ CASE("a hole of size + align - 1 below the root is found", 0, 16),
	  .search = KVA_SEARCH_PADDED, .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(8), P(1), LE,	"ABBBBBBBB......."),
		ALLOC('C', P(1), P(1), LE,	"ABBBBBBBBC......"),
		ALLOC('D', P(1), P(1), LE,	"ABBBBBBBBCD....."),
		ALLOC('E', P(5), P(1), FL,	"ABBBBBBBBCDEEEEE"),
		FREE('D', NONE,			"ABBBBBBBBC.EEEEE"),
		FREE('B', NONE,			"A........C.EEEEE"),
		ALLOC('F', P(4), P(4), NE,	"A...FFFF.C.EEEEE"),
	} },
	{ CASE("free: merge with the lower neighbour", 0, 16), .steps = {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		ALLOC('C', P(2), P(1), LE,	"AABBCC.........."),
		FREE('A', NONE,			"..BBCC.........."),
		FREE('B', PREV,			"....CC.........."),
	} },
	{ CASE("free: merge with the upper neighbour", 0, 16), .steps = {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		FREE('B', NEXT,			"AA.............."),
	} },
	{ CASE("free: bridge both neighbours, then one area spans the slice", 0, 16), .steps = {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		ALLOC('C', P(2), P(1), LE,	"AABBCC.........."),
		FREE('A', NONE,			"..BBCC.........."),
		FREE('C', NEXT,			"..BB............"),
		FREE('B', BOTH,			"................"),
	} },
	{ CASE("free: no neighbour to merge with", 0, 8), .steps = {
		ALLOC('A', P(1), P(1), LE,	"A......."),
		ALLOC('B', P(1), P(1), LE,	"AB......"),
		ALLOC('C', P(6), P(1), FL,	"ABCCCCCC"),
		FREE('B', NONE,			"A.CCCCCC"),
		FREE('A', NEXT,			"..CCCCCC"),
		FREE('C', PREV,			"........"),
	} },
	{ CASE("larger than the slice: ENOMEM", 0, 16), .steps = {
		ALLOC_FAIL(P(17), P(1), -ENOMEM, "................"),
		ALLOC('A', P(16), P(1), FL,	"AAAAAAAAAAAAAAAA"),
	} },
	{ CASE("exhaustion: ENOMEM when full", 0, 4), .steps = {
		ALLOC('A', P(4), P(1), FL,	"AAAA"),
		ALLOC_FAIL(P(1), P(1), -ENOMEM, "AAAA"),
		FREE('A', NONE,			"...."),
		ALLOC('B', P(1), P(1), LE,	"B..."),
	} },
	{ CASE("exhaustion by fragmentation: free pages, none together or aligned", 0, 8), .steps = {
		ALLOC('A', P(1), P(1), LE,	"A......."),
		ALLOC('B', P(1), P(1), LE,	"AB......"),
		ALLOC('C', P(1), P(1), LE,	"ABC....."),
		ALLOC('D', P(1), P(1), LE,	"ABCD...."),
		ALLOC('E', P(4), P(1), FL,	"ABCDEEEE"),
		FREE('B', NONE,			"A.CDEEEE"),
		FREE('D', NONE,			"A.C.EEEE"),
		ALLOC_FAIL(P(2), P(1), -ENOMEM,	"A.C.EEEE"),
		ALLOC_FAIL(P(1), P(2), -ENOMEM,	"A.C.EEEE"),
		ALLOC('F', P(1), P(1), FL,	"AFC.EEEE"),
		ALLOC('G', P(1), P(1), FL,	"AFCGEEEE"),
	} },
	{ CASE("bad arguments: EINVAL and nothing changes", 0, 8), .steps = {
		ALLOC_FAIL(0, P(1), -EINVAL,	"........"),
		ALLOC_FAIL(P(1) + 1, P(1), -EINVAL, "........"),
		ALLOC_FAIL(P(1), 0, -EINVAL,	"........"),
		ALLOC_FAIL(P(1), P(1) / 2, -EINVAL, "........"),
		ALLOC_FAIL(P(1), P(3), -EINVAL,	"........"),
	} },
	{ CASE("alignment as large as the slice's own (1 TiB) fits at its start", 0, 16), .steps = {
		ALLOC('A', P(1), 1UL << 40, LE,	"A..............."),
		ALLOC_FAIL(P(1), 1UL << 40, -ENOMEM, "A..............."),
		ALLOC_FAIL(P(1), 1UL << 41, -ENOMEM, "A..............."),
	} },
	{ CASE("alignment of 2^63 wraps around and fits nowhere", 0, 16), .steps = {
		ALLOC_FAIL(P(1), 1UL << 63, -ENOMEM, "................"),
	} },
	{ CASE("slice at the top of the address space: no wrap-around", TOP, 16), .steps = {
		ALLOC('A', P(1), 1UL << 16, NE,	".A.............."),
		ALLOC_FAIL(P(1), 1UL << 20, -ENOMEM, ".A.............."),
		ALLOC('B', P(14), P(1), FL,	".ABBBBBBBBBBBBBB"),
		ALLOC_FAIL(P(2), P(1), -ENOMEM,	".ABBBBBBBBBBBBBB"),
		ALLOC('C', P(1), P(1), FL,	"CABBBBBBBBBBBBBB"),
	} },
	{ CASE("lazy areas are not reused until purged", 0, 16), .steps = {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		ALLOC('C', P(2), P(1), LE,	"AABBCC.........."),
		LAZY('B',			"AAbbCC.........."),
		ALLOC('D', P(2), P(1), LE,	"AAbbCCDD........"),
		PURGE(2, 4,			"AA..CCDD........"),
		ALLOC('E', P(2), P(1), FL,	"AAEECCDD........"),
	} },
	{ CASE("purge: range spans all lazy areas, frees merge in order", 0, 16), .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(1), P(1), LE,	"AB.............."),
		ALLOC('C', P(1), P(1), LE,	"ABC............."),
		ALLOC('D', P(1), P(1), LE,	"ABCD............"),
		LAZY('C',			"ABcD............"),
		LAZY('A',			"aBcD............"),
		FREE('D', NEXT,			"aBc............."),
		PURGE(0, 3,			".B.............."),
		FREE('B', BOTH,			"................"),
		PURGE(0, 0,			"................"),
	} },
	{ CASE("lazy then purge with everything lazy: one area again", 0, 8), .steps = {
		ALLOC('A', P(3), P(1), LE,	"AAA....."),
		ALLOC('B', P(5), P(1), FL,	"AAABBBBB"),
		LAZY('B',			"AAAbbbbb"),
		LAZY('A',			"aaabbbbb"),
		PURGE(0, 8,			"........"),
	} },
};

static bool test_init_refuses_bad_ranges(struct fixture *f)
{
	struct kva_area whole;
	struct kva_space s;

	memset(f, 0, sizeof(*f));
	if (kva_space_init(&s, BASE, BASE, &whole) != -EINVAL ||
	    kva_space_init(&s, BASE + P(1), BASE, &whole) != -EINVAL ||
	    kva_space_init(&s, BASE + 1, BASE + P(1), &whole) != -EINVAL ||
	    kva_space_init(&s, BASE, BASE + P(1) + 1, &whole) != -EINVAL)
		return fail(f, "a bad range was accepted");
	if (kva_space_init(&s, BASE, BASE + P(1), &whole) ||
	    s.nr_free != 1 || kva_largest_free(&s) != P(1) ||
	    !list_empty(&s.lazy_list))
		return fail(f, "a one-page slice was not set up right");
	return true;
}

static bool test_busy_find(struct fixture *f)
{
	struct kva_area *b;

	if (!three_areas(f))
		return false;
	b = f->by_label['B' - 'A'];
	if (kva_busy_find(&f->s, BASE + P(2)) != b ||
	    kva_busy_find(&f->s, BASE + P(3) + 123) != b ||
	    kva_busy_find(&f->s, BASE + P(5) - 1) != b)
		return fail(f, "start, inside or last byte of B not found");
	if (kva_busy_find(&f->s, BASE + P(5)) != f->by_label['C' - 'A'] ||
	    kva_busy_find(&f->s, BASE + P(7)) ||
	    kva_busy_find(&f->s, BASE - 1) ||
	    kva_busy_find(&f->s, BASE + P(16)))
		return fail(f, "end of B, free space or outside the slice found wrongly");
	if (kva_free_find(&f->s, BASE + P(2)) ||
	    !kva_free_find(&f->s, BASE + P(15) + 4095) ||
	    kva_lazy_find(&f->s, BASE + P(2)))
		return fail(f, "free or lazy lookup wrong");
	return true;
}

/* Take [BASE + P(page), + P(pages)) by kva_alloc_at() and label it. */
static int alloc_at_label(struct fixture *f, char label, unsigned long page,
			  unsigned long pages)
{
	struct kva_area *va = new_area(f);
	LIST_HEAD(unused);
	int ret;

	ret = kva_alloc_at(&f->s, va, BASE + P(page), P(pages), &f->preload,
			   &unused);
	release(f, &unused);
	if (ret) {
		drop_area(f, va);
		return ret;
	}
	keep_alloc(f, va, label);
	return 0;
}

/*
 * kva_alloc_at(): each fit type at a given address, and every refusal
 * (busy, partly busy, past the end, unaligned) leaves the state as it was.
 */
static bool test_alloc_at(struct fixture *f)
{
	struct kva_area *va;
	LIST_HEAD(unused);

	if (!three_areas(f))
		return false;
	if (alloc_at_label(f, 'D', 10, 2) ||
	    !check_state(f, "AABBBCC...DD...."))
		return fail(f, "no-edge take at page 10");
	if (alloc_at_label(f, 'E', 7, 1) || alloc_at_label(f, 'F', 15, 1) ||
	    !check_state(f, "AABBBCCE..DD...F"))
		return fail(f, "left- and right-edge takes");
	if (alloc_at_label(f, 'X', 1, 1) != -ENOMEM ||
	    alloc_at_label(f, 'X', 6, 2) != -ENOMEM ||
	    alloc_at_label(f, 'X', 14, 3) != -ENOMEM ||
	    alloc_at_label(f, 'X', 16, 1) != -ENOMEM)
		return fail(f, "a busy, partly busy or outside range was taken");
	va = new_area(f);
	if (kva_alloc_at(&f->s, va, BASE + P(8) + 1, P(1), &f->preload,
			 &unused) != -EINVAL ||
	    kva_alloc_at(&f->s, va, BASE + P(8), P(1) + 1, &f->preload,
			 &unused) != -EINVAL ||
	    kva_alloc_at(&f->s, va, BASE + P(8), 0, &f->preload,
			 &unused) != -EINVAL) {
		drop_area(f, va);
		return fail(f, "an unaligned or empty range was not EINVAL");
	}
	drop_area(f, va);
	if (!check_state(f, "AABBBCCE..DD...F"))
		return false;
	if (alloc_at_label(f, 'G', 8, 2) || alloc_at_label(f, 'H', 12, 3) ||
	    !check_state(f, "AABBBCCEGGDDHHHF"))
		return fail(f, "full-fit takes");
	return true;
}

static bool test_largest_free(struct fixture *f)
{
	if (!three_areas(f))
		return false;
	/* "AABBBCC.........": free 9; then "..BBBCC........." */
	if (kva_largest_free(&f->s) != P(9))
		return fail(f, "largest free 0x%lx, expected 0x%lx",
			    kva_largest_free(&f->s), P(9));
	if (!alloc_label(f, 'D', 9) || kva_largest_free(&f->s) != 0)
		return fail(f, "largest free of a full slice is not 0");
	return check_state(f, "AABBBCCDDDDDDDDD");
}

/*
 * The padded search against the exact one on random layouts (64 pages,
 * fixed seed), by dry runs (kva_explain) of the same request in both modes:
 * whatever padded finds fits and is never below exact's choice (exact is
 * the lowest aligned fit); padded finds something whenever a free area of
 * size + align - 1 exists; and across the layouts padded both misses a fit
 * exact finds and lands above it, or the mode would not be doing anything.
 */
static bool test_search_padded_vs_exact(struct fixture *f)
{
	static const unsigned long req[][2] = {
		{ 1, 1 }, { 2, 1 }, { 4, 1 }, { 1, 2 }, { 2, 2 }, { 2, 4 },
		{ 4, 4 }, { 3, 4 }, { 8, 8 },
	};
	struct kva_explain_step steps[64];
	unsigned long misses = 0, higher = 0;
	unsigned int seed = 12345, round, i;

	memset(f, 0, sizeof(*f));
	for (round = 0; round < 300; round++) {
		struct kva_area *live[MAXP], *va;
		unsigned int nr = 0, k;
		LIST_HEAD(unused);

		if (round)
			teardown(f);
		if (!setup(f, 0, MAXP))
			return false;
		/* Fill with 1..4-page areas, then free about half of them. */
		for (;;) {
			unsigned long pages = 1 + rand_r(&seed) % 4;

			va = new_area(f);
			if (kva_alloc(&f->s, va, P(pages), P(1), &f->preload,
				      &unused, NULL)) {
				drop_area(f, va);
				break;
			}
			release(f, &unused);
			if (!f->preload)
				f->preload = new_area(f);
			kva_busy_insert(&f->s, va);
			live[nr++] = va;
		}
		for (k = 0; k < nr; k++) {
			if (rand_r(&seed) % 2)
				continue;
			kva_busy_unlink(&f->s, live[k]);
			if (!kva_free_insert(&f->s, live[k], &unused))
				return fail(f, "free insert refused");
			release(f, &unused);
			live[k] = NULL;
		}
		for (i = 0; i < ARRAY_SIZE(req); i++) {
			unsigned long size = P(req[i][0]), align = P(req[i][1]);
			struct kva_explain ex = { .steps = steps, .max = 64 };
			struct kva_explain px = { .steps = steps, .max = 64 };
			bool big = false;

			list_for_each_entry(va, &f->s.free_list, list)
				if (kva_size(va) >= size + align - 1)
					big = true;
			f->s.search = KVA_SEARCH_EXACT;
			if (kva_explain(&f->s, size, align, &ex))
				return fail(f, "exact explain refused");
			f->s.search = KVA_SEARCH_PADDED;
			if (kva_explain(&f->s, size, align, &px))
				return fail(f, "padded explain refused");
			f->s.search = KVA_SEARCH_EXACT;
			if (big && !px.found)
				return fail(f, "round %u: padded missed an area of size + align - 1 (%lu pages align %lu)",
					    round, req[i][0], req[i][1]);
			if (px.found && (!ex.found ||
					 px.nva_start < ex.nva_start ||
					 px.nva_start % align ||
					 px.nva_start < px.area_start ||
					 px.nva_start + size > px.area_end))
				return fail(f, "round %u: padded chose 0x%lx, exact 0x%lx",
					    round, px.nva_start, ex.nva_start);
			if (ex.found && !px.found)
				misses++;
			if (ex.found && px.found && px.nva_start > ex.nva_start)
				higher++;
		}
	}
	if (!misses || !higher)
		return fail(f, "padded never differed: %lu misses, %lu higher",
			    misses, higher);
	return true;
}

static bool test_busy_insert_overlap_warns(struct fixture *f)
{
	struct kva_area dup = { .va_start = BASE + P(3), .va_end = BASE + P(4) };
	unsigned long w;

	if (!three_areas(f))
		return false;
	w = kvalab_shim_warnings;
	kvalab_shim_quiet = true;
	kva_busy_insert(&f->s, &dup);
	kvalab_shim_quiet = false;
	if (kvalab_shim_warnings != w + 1)
		return fail(f, "overlapping busy insert did not warn");
	f->warnings++;
	return check_state(f, "AABBBCC.........");
}

static bool test_free_insert_overlap_refused(struct fixture *f)
{
	struct kva_area dup = { .va_start = BASE + P(8), .va_end = BASE + P(9) };
	struct kva_area *merged;
	LIST_HEAD(unused);
	unsigned long w;

	if (!three_areas(f))
		return false;
	w = kvalab_shim_warnings;
	kvalab_shim_quiet = true;
	merged = kva_free_insert(&f->s, &dup, &unused);
	kvalab_shim_quiet = false;
	if (merged || !list_empty(&unused) || kvalab_shim_warnings != w + 1)
		return fail(f, "a free area overlapping free space was accepted");
	f->warnings++;
	return check_state(f, "AABBBCC.........");
}

/* The lazy list stays sorted, so its ends give the purge's flush range. */
static bool test_lazy_list_sorted(struct fixture *f)
{
	if (!three_areas(f))
		return false;
	kva_busy_unlink(&f->s, f->by_label['C' - 'A']);
	kva_lazy_insert(&f->s, f->by_label['C' - 'A']);
	kva_busy_unlink(&f->s, f->by_label[0]);	/* 'A' */
	kva_lazy_insert(&f->s, f->by_label[0]);
	if (list_first_entry(&f->s.lazy_list, struct kva_area, list) !=
	    f->by_label[0] ||
	    list_last_entry(&f->s.lazy_list, struct kva_area, list) !=
	    f->by_label['C' - 'A'])
		return fail(f, "lazy list not sorted: first must be A, last C");
	if (kva_lazy_find(&f->s, BASE + P(6)) != f->by_label['C' - 'A'] ||
	    kva_lazy_find(&f->s, BASE + P(3)))
		return fail(f, "lazy lookup wrong");
	return check_state(f, "aaBBBcc.........");
}

/*
 * The tracepoints print fit types with __print_symbolic() pairs, which
 * cannot be built from kva_fit_names: every pair in module/kvalab_trace.h
 * must spell the table's name for its value.
 */
static bool test_trace_fit_names(struct fixture *f)
{
	FILE *fp = fopen("../../module/kvalab_trace.h", "r");
	unsigned int pairs = 0;
	char line[512];

	memset(f, 0, sizeof(*f));
	if (!fp)
		return fail(f, "cannot open module/kvalab_trace.h");
	bool in_fit = false;

	while (fgets(line, sizeof(line), fp)) {
		char *p = line, name[8];
		int v, n;

		/* Only the fit's symbol lists, up to their closing "))". */
		if (strstr(line, "__print_symbolic(__entry->fit,"))
			in_fit = true;
		while (in_fit && (p = strchr(p, '{'))) {
			if (sscanf(p, "{ %d, \"%7[^\"]\" }%n", &v, name, &n) == 2) {
				if (v <= 0 || v >= KVA_NR_FIT ||
				    strcmp(kva_fit_names[v], name)) {
					fclose(fp);
					return fail(f, "trace pair { %d, \"%s\" } does not match kva_fit_names", v, name);
				}
				pairs++;
				p += n;
			} else {
				p++;
			}
		}
		if (strstr(line, "))"))
			in_fit = false;
	}
	fclose(fp);
	return pairs >= KVA_NR_FIT - 1 ||
	       fail(f, "only %u fit pairs found in kvalab_trace.h", pairs);
}

static const struct fn_test core_tests[] = {
	{ "tracepoints name the fit types as kva_fit_names does", test_trace_fit_names },
	{ "init refuses empty and unaligned ranges", test_init_refuses_bad_ranges },
	{ "busy find: start, inside, last byte, end, outside", test_busy_find },
	{ "kva_largest_free follows the tree root", test_largest_free },
	{ "kva_alloc_at: every fit type at an address, refusals change nothing",
	  test_alloc_at },
	{ "padded search: fits, never below exact, finds size + align - 1",
	  test_search_padded_vs_exact },
	{ "busy insert of an overlapping area warns and is refused",
	  test_busy_insert_overlap_warns },
	{ "free insert of an area overlapping free space is refused",
	  test_free_insert_overlap_refused },
	{ "lazy list stays sorted: its ends are the flush range", test_lazy_list_sorted },
};

int main(int argc, char **argv)
{
	tc_start(argc, argv);
	run_cases(core_cases, ARRAY_SIZE(core_cases));
	run_fn_tests(core_tests, ARRAY_SIZE(core_tests));
	return tc_done();
}
