// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the placement policies (docs/policies.md): hand-computed
 * cases from layouts where the policies differ, each step's map derived
 * from the rule of the source the policy follows, as step tables
 * (core_fixture.h); switching policy on a live slice; the policy names and
 * the refusal of an unknown policy.
 *
 *   test_policies [-v]	(-v prints every step's drawing)
 */
#include <string.h>

#include "core_fixture.h"

/*
 * The layout of docs/policies.md: a contiguous fill (placed alike by every
 * policy), six frees, and L, which only one hole can hold. Each policy's
 * case then makes the same 2-page request.
 */
#define DOC_LAYOUT \
	ALLOC('A', P(1), P(1), LE,	"A..............................."), \
	ALLOC('B', P(1), P(1), LE,	"AB.............................."), \
	ALLOC('C', P(1), P(1), LE,	"ABC............................."), \
	ALLOC('D', P(3), P(1), LE,	"ABCDDD.........................."), \
	ALLOC('E', P(1), P(1), LE,	"ABCDDDE........................."), \
	ALLOC('F', P(6), P(1), LE,	"ABCDDDEFFFFFF..................."), \
	ALLOC('G', P(1), P(1), LE,	"ABCDDDEFFFFFFG.................."), \
	ALLOC('H', P(4), P(1), LE,	"ABCDDDEFFFFFFGHHHH.............."), \
	ALLOC('I', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHI............."), \
	ALLOC('J', P(3), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJ.........."), \
	ALLOC('K', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJK........."), \
	ALLOC('M', P(2), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMM......."), \
	ALLOC('N', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMMN......"), \
	ALLOC('O', P(6), P(1), FL,	"ABCDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"), \
	FREE('B', NONE,		"A.CDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"), \
	FREE('D', NONE,		"A.C...EFFFFFFGHHHHIJJJKMMNOOOOOO"), \
	FREE('F', NONE,		"A.C...E......GHHHHIJJJKMMNOOOOOO"), \
	FREE('H', NONE,		"A.C...E......G....IJJJKMMNOOOOOO"), \
	FREE('M', NONE,		"A.C...E......G....IJJJK..NOOOOOO"), \
	FREE('J', NONE,		"A.C...E......G....I...K..NOOOOOO"), \
	/* only the 6-page hole holds 6 pages */ \
	ALLOC('L', P(6), P(1), FL,	"A.C...ELLLLLLG....I...K..NOOOOOO")

/* That layout under policy @pol, then R: fit @fit, the slice @m after it. */
#define DOC_CASE(pol, fit, m) \
	{ CASE("doc layout (docs/policies.md): 2 pages", 0, 32), \
	  .policy = KVA_POLICY_##pol, \
	  .steps = { DOC_LAYOUT, ALLOC('R', P(2), P(1), fit, m) } }

static const struct core_case policy_cases[] = {
	/* lowest: the lowest hole that fits (a 3-page hole) */
	DOC_CASE(LOWEST, LE, "A.CRR.ELLLLLLG....I...K..NOOOOOO"),
	/* vmlist: the same place as lowest, found by walking the occupied list */
	DOC_CASE(VMLIST, LE, "A.CRR.ELLLLLLG....I...K..NOOOOOO"),
	/* cached-hole: 2 pages < cached_hole_size (3, noted by L's walk): reset, search from the bottom */
	DOC_CASE(CACHED_HOLE, LE, "A.CRR.ELLLLLLG....I...K..NOOOOOO"),
	/* next-fit: the first fit at or after the rotor (page 13, the end of L) */
	DOC_CASE(NEXT_FIT, LE, "A.C...ELLLLLLGRR..I...K..NOOOOOO"),
	/* best-fit: the smallest hole that fits (2 pages) */
	DOC_CASE(BEST_FIT, FL, "A.C...ELLLLLLG....I...KRRNOOOOOO"),
	/* instant-fit: the head of class 1 ([2, 4) pages), the hole freed last */
	DOC_CASE(INSTANT_FIT, LE, "A.C...ELLLLLLG....IRR.K..NOOOOOO"),
	/*
	 * cached-hole (5.1's alloc_vmap_area()): a hole below the cache is
	 * skipped unless the request resets the cache. Resetting on a lower
	 * vstart, and __free_vmap_area()'s "va_end < cached_vstart" drop, cannot
	 * happen here: kvalab searches one slice, so vstart is always its start.
	 */
	{ CASE("the search continues after the cached area; ENOMEM with a hole below", 0, 16),
	  .policy = KVA_POLICY_CACHED_HOLE,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(1), P(1), LE,	"AB.............."),
		ALLOC('C', P(1), P(1), LE,	"ABC............."),
		ALLOC('D', P(5), P(1), LE,	"ABCDDDDD........"),
		FREE('B', NONE,		"A.CDDDDD........"),
		/* B was at or below the cache (D): it moves to the area before B */
		CACHED('A',		"A.CDDDDD........"),
		/* the walk from A passes the 1-page hole: cached_hole_size = 1 page */
		ALLOC('E', P(2), P(1), LE,	"A.CDDDDDEE......"),
		/* 1 page is not smaller than cached_hole_size: from E, over the hole (lowest: page 1) */
		ALLOC('F', P(1), P(1), LE,	"A.CDDDDDEEF....."),
		ALLOC('G', P(5), P(1), FL,	"A.CDDDDDEEFGGGGG"),
		/* ENOMEM although page 1 is free: 5.1 skips a hole of exactly cached_hole_size */
		ALLOC_FAIL(P(1), P(1), -ENOMEM, "A.CDDDDDEEFGGGGG"),
		/* a failed search leaves the cache */
		CACHED('G',		"A.CDDDDDEEFGGGGG"),
		/* a larger alignment does not reset either (cached_align becomes 2 pages) */
		ALLOC_FAIL(P(1), P(2), -ENOMEM, "A.CDDDDDEEFGGGGG"),
		/* a smaller alignment than cached_align resets: from the bottom */
		ALLOC('H', P(1), P(1), FL,	"AHCDDDDDEEFGGGGG"),
		CACHED('H',		"AHCDDDDDEEFGGGGG"),
	} },
	{ CASE("a size smaller than cached_hole_size resets the cache", 0, 16),
	  .policy = KVA_POLICY_CACHED_HOLE,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(2), P(1), LE,	"ABB............."),
		ALLOC('C', P(1), P(1), LE,	"ABBC............"),
		ALLOC('D', P(4), P(1), LE,	"ABBCDDDD........"),
		FREE('B', NONE,		"A..CDDDD........"),
		CACHED('A',		"A..CDDDD........"),
		/* the walk from A notes the 2-page hole: cached_hole_size = 2 pages */
		ALLOC('E', P(3), P(1), LE,	"A..CDDDDEEE....."),
		/* 2 pages is not smaller: after E, although the hole fits exactly */
		ALLOC('F', P(2), P(1), LE,	"A..CDDDDEEEFF..."),
		/* 1 page is smaller: reset, search from the bottom */
		ALLOC('G', P(1), P(1), LE,	"AG.CDDDDEEEFF..."),
		CACHED('G',		"AG.CDDDDEEEFF..."),
		/* from the cache G again */
		ALLOC('H', P(1), P(1), FL,	"AGHCDDDDEEEFF..."),
	} },
	{ CASE("a free at or below the cache moves it to the area before", 0, 16),
	  .policy = KVA_POLICY_CACHED_HOLE,
	  .steps = {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		ALLOC('C', P(2), P(1), LE,	"AABBCC.........."),
		ALLOC('D', P(2), P(1), LE,	"AABBCCDD........"),
		CACHED('D',		"AABBCCDD........"),
		FREE('C', NONE,		"AABB..DD........"),
		/* C is below the cache D: the cache becomes rb_prev(C) = B */
		CACHED('B',		"AABB..DD........"),
		FREE('D', BOTH,		"AABB............"),
		/* D is above the cache B: the cache stays */
		CACHED('B',		"AABB............"),
		ALLOC('E', P(2), P(1), LE,	"AABBEE.........."),
		CACHED('E',		"AABBEE.........."),
		FREE('A', NONE,		"..BBEE.........."),
		/* A has no area before it: no cache */
		CACHED('-',		"..BBEE.........."),
		ALLOC('F', P(1), P(1), LE,	"F.BBEE.........."),
		CACHED('F',		"F.BBEE.........."),
		ALLOC('G', P(1), P(1), FL,	"FGBBEE.........."),
		CACHED('G',		"FGBBEE.........."),
		FREE('G', NONE,		"F.BBEE.........."),
		/* freeing the cached area itself: the cache becomes the area before it */
		CACHED('F',		"F.BBEE.........."),
		/* from F: over the 1-page hole and B, E */
		ALLOC('H', P(3), P(1), LE,	"F.BBEEHHH......."),
	} },
	/*
	 * next-fit (vmem_nextfit_alloc()): the first fit at or after the end
	 * of the previous allocation; frees do not move the rotor.
	 */
	{ CASE("the rotor follows each allocation, not frees", 0, 16),
	  .policy = KVA_POLICY_NEXT_FIT,
	  .steps = {
		/* a new rotor: the slice start */
		ROTOR(0,		"................"),
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ROTOR(2,		"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		ROTOR(4,		"AABB............"),
		FREE('A', NONE,		"..BB............"),
		ROTOR(4,		"..BB............"),
		/* after the rotor, not in the hole at 0 (lowest: 0) */
		ALLOC('C', P(2), P(1), LE,	"..BBCC.........."),
		ROTOR(6,		"..BBCC.........."),
		FREE('B', PREV,		"....CC.........."),
		ALLOC('D', P(3), P(1), LE,	"....CCDDD......."),
		ROTOR(9,		"....CCDDD......."),
		/* the free area [6, 16) now holds the rotor */
		FREE('D', NEXT,		"....CC.........."),
		/* at the rotor, inside that free area, as vmem starts at the segment after its rotor */
		ALLOC('E', P(1), P(1), NE,	"....CC...E......"),
		ROTOR(10,		"....CC...E......"),
	} },
	{ CASE("wrap once to the slice start; ENOMEM when the wrap fails too", 0, 16),
	  .policy = KVA_POLICY_NEXT_FIT,
	  .steps = {
		ALLOC('A', P(4), P(1), LE,	"AAAA............"),
		ALLOC('B', P(4), P(1), LE,	"AAAABBBB........"),
		ALLOC('C', P(4), P(1), LE,	"AAAABBBBCCCC...."),
		ALLOC('D', P(4), P(1), FL,	"AAAABBBBCCCCDDDD"),
		ROTOR(16,		"AAAABBBBCCCCDDDD"),
		FREE('B', NONE,		"AAAA....CCCCDDDD"),
		/* nothing at or after the rotor: wrap */
		ALLOC('E', P(2), P(1), LE,	"AAAAEE..CCCCDDDD"),
		ROTOR(6,		"AAAAEE..CCCCDDDD"),
		FREE('D', NONE,		"AAAAEE..CCCC...."),
		ALLOC('F', P(2), P(1), FL,	"AAAAEEFFCCCC...."),
		ROTOR(8,		"AAAAEEFFCCCC...."),
		ALLOC('G', P(1), P(1), LE,	"AAAAEEFFCCCCG..."),
		ROTOR(13,		"AAAAEEFFCCCCG..."),
		FREE('A', NONE,		"....EEFFCCCCG..."),
		/* 3 pages after the rotor are too few: wrap to the hole at 0 */
		ALLOC('H', P(4), P(1), FL,	"HHHHEEFFCCCCG..."),
		ROTOR(4,		"HHHHEEFFCCCCG..."),
		/* after the rotor: 3 pages; the wrap: nothing larger */
		ALLOC_FAIL(P(4), P(1), -ENOMEM, "HHHHEEFFCCCCG..."),
		ROTOR(4,		"HHHHEEFFCCCCG..."),
		ALLOC('I', P(3), P(1), FL,	"HHHHEEFFCCCCGIII"),
		ROTOR(16,		"HHHHEEFFCCCCGIII"),
		/* full: ENOMEM */
		ALLOC_FAIL(P(1), P(1), -ENOMEM, "HHHHEEFFCCCCGIII"),
	} },
	{ CASE("the wrap sees a free area holding the rotor whole", 0, 16),
	  .policy = KVA_POLICY_NEXT_FIT,
	  .steps = {
		ALLOC('A', P(4), P(1), LE,	"AAAA............"),
		ALLOC('B', P(4), P(1), LE,	"AAAABBBB........"),
		ROTOR(8,		"AAAABBBB........"),
		FREE('B', NEXT,		"AAAA............"),
		/* [8, 16) is too small, the wrap finds [4, 16): vmem coalesces across its rotor when it comes full circle */
		ALLOC('C', P(12), P(1), FL,	"AAAACCCCCCCCCCCC"),
		ROTOR(16,		"AAAACCCCCCCCCCCC"),
	} },
	/*
	 * vmem, full circle: the rotor sits between the free segments [4, 8)
	 * and [8, 16); vmem_advance() moves it past [8, 16), the two coalesce,
	 * [4, 16) is too small, the request fails, and the rotor stays past the
	 * coalesced segment: the next request starts at the arena's start.
	 */
	{ CASE("after a full circle that fails, the search restarts past the coalesced area", 0, 16),
	  .policy = KVA_POLICY_NEXT_FIT,
	  .steps = {
		ALLOC('A', P(4), P(1), LE,	"AAAA............"),
		ALLOC('B', P(4), P(1), LE,	"AAAABBBB........"),
		ROTOR(8,		"AAAABBBB........"),
		FREE('B', NEXT,		"AAAA............"),
		ALLOC_FAIL(P(13), P(1), -ENOMEM, "AAAA............"),
		/* vmem: page 4 */
		ALLOC('C', P(1), P(1), LE,	"AAAAC..........."),
	} },
	{ CASE("the smallest hole wins, ties go to the lowest address", 0, 16),
	  .policy = KVA_POLICY_BEST_FIT,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(3), P(1), LE,	"ABBB............"),
		ALLOC('C', P(1), P(1), LE,	"ABBBC..........."),
		ALLOC('D', P(2), P(1), LE,	"ABBBCDD........."),
		ALLOC('E', P(1), P(1), LE,	"ABBBCDDE........"),
		ALLOC('F', P(2), P(1), LE,	"ABBBCDDEFF......"),
		ALLOC('G', P(1), P(1), LE,	"ABBBCDDEFFG....."),
		ALLOC('H', P(5), P(1), FL,	"ABBBCDDEFFGHHHHH"),
		FREE('B', NONE,		"A...CDDEFFGHHHHH"),
		FREE('D', NONE,		"A...C..EFFGHHHHH"),
		FREE('F', NONE,		"A...C..E..GHHHHH"),
		/* 2-page holes at 5 and 8: the lower (lowest: 1; the last freed is 8) */
		ALLOC('I', P(2), P(1), FL,	"A...CIIE..GHHHHH"),
		ALLOC('J', P(2), P(1), FL,	"A...CIIEJJGHHHHH"),
		ALLOC('K', P(1), P(1), LE,	"AK..CIIEJJGHHHHH"),
		FREE('H', NONE,		"AK..CIIEJJG....."),
		/* the 2-page remainder of B's hole, not the 5-page one */
		ALLOC('L', P(2), P(1), FL,	"AKLLCIIEJJG....."),
		ALLOC_FAIL(P(6), P(1), -ENOMEM, "AKLLCIIEJJG....."),
	} },
	{ CASE("alignment can make the smallest hole miss", 0, 16),
	  .policy = KVA_POLICY_BEST_FIT,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(2), P(1), LE,	"ABB............."),
		ALLOC('C', P(1), P(1), LE,	"ABBC............"),
		ALLOC('D', P(4), P(1), LE,	"ABBCDDDD........"),
		ALLOC('E', P(1), P(1), LE,	"ABBCDDDDE......."),
		ALLOC('F', P(7), P(1), FL,	"ABBCDDDDEFFFFFFF"),
		FREE('B', NONE,		"A..CDDDDEFFFFFFF"),
		FREE('D', NONE,		"A..C....EFFFFFFF"),
		/* [1, 3) holds no 2-aligned 2 pages: the next smallest, [4, 8) */
		ALLOC('G', P(2), P(2), LE,	"A..CGG..EFFFFFFF"),
		/* 2-page holes at 1 and 6: the lower */
		ALLOC('H', P(2), P(1), FL,	"AHHCGG..EFFFFFFF"),
		/* [6, 8) holds no 4-aligned 2 pages */
		ALLOC_FAIL(P(2), P(4), -ENOMEM, "AHHCGG..EFFFFFFF"),
		ALLOC('J', P(2), P(2), FL,	"AHHCGGJJEFFFFFFF"),
	} },
	/*
	 * instant-fit (vmem_alloc()): class k holds free areas of [2^k,
	 * 2^(k+1)) pages; n pages go to the head of the lowest non-empty class
	 * >= ceil(log2(n)), whatever fits lower.
	 */
	{ CASE("the first non-empty class that is guaranteed to fit", 0, 16),
	  .policy = KVA_POLICY_INSTANT_FIT,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(3), P(1), LE,	"ABBB............"),
		ALLOC('C', P(1), P(1), LE,	"ABBBC..........."),
		ALLOC('D', P(4), P(1), LE,	"ABBBCDDDD......."),
		ALLOC('E', P(1), P(1), LE,	"ABBBCDDDDE......"),
		FREE('B', NONE,		"A...CDDDDE......"),
		FREE('D', NONE,		"A...C....E......"),
		/* 3 pages: class 2 (D's 4-page hole), not the 3-page hole of class 1 (lowest, best-fit: 1) */
		ALLOC('F', P(3), P(1), LE,	"A...CFFF.E......"),
		/* 2 pages: class 1, B's hole */
		ALLOC('G', P(2), P(1), LE,	"AGG.CFFF.E......"),
		/* class 0 holds [3, 4) (added last) and [8, 9): the head */
		ALLOC('H', P(1), P(1), FL,	"AGGHCFFF.E......"),
		ALLOC('I', P(1), P(1), FL,	"AGGHCFFFIE......"),
		/* class 0 empty: the head of class 2, the top */
		ALLOC('J', P(1), P(1), LE,	"AGGHCFFFIEJ....."),
		ALLOC('K', P(4), P(1), LE,	"AGGHCFFFIEJKKKK."),
	} },
	/*
	 * Order within a class list: the area added last comes first (vmem's
	 * vmem_freelist_insert() links at the head); a free area whose range
	 * changes (clip, merge) is added again, so it moves to the front.
	 */
	{ CASE("within a class: most recently added first", 0, 16),
	  .policy = KVA_POLICY_INSTANT_FIT,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(1), P(1), LE,	"AB.............."),
		ALLOC('C', P(1), P(1), LE,	"ABC............."),
		ALLOC('D', P(1), P(1), LE,	"ABCD............"),
		ALLOC('E', P(1), P(1), LE,	"ABCDE..........."),
		ALLOC('F', P(1), P(1), LE,	"ABCDEF.........."),
		ALLOC('G', P(1), P(1), LE,	"ABCDEFG........."),
		ALLOC('H', P(1), P(1), LE,	"ABCDEFGH........"),
		ALLOC('I', P(8), P(1), FL,	"ABCDEFGHIIIIIIII"),
		FREE('B', NONE,		"A.CDEFGHIIIIIIII"),
		FREE('D', NONE,		"A.C.EFGHIIIIIIII"),
		/* class 0 is [3, 4), [1, 2): D's hole, freed last (lowest: 1) */
		ALLOC('J', P(1), P(1), FL,	"A.CJEFGHIIIIIIII"),
		ALLOC('K', P(1), P(1), FL,	"AKCJEFGHIIIIIIII"),
		FREE('J', NONE,		"AKC.EFGHIIIIIIII"),
		FREE('K', NONE,		"A.C.EFGHIIIIIIII"),
		/* now [1, 2) was freed last */
		ALLOC('L', P(1), P(1), FL,	"ALC.EFGHIIIIIIII"),
		/* C merges with [3, 4): [2, 4) joins class 1 */
		FREE('C', NEXT,		"AL..EFGHIIIIIIII"),
		FREE('F', NONE,		"AL..E.GHIIIIIIII"),
		/* G merges with [5, 6): [5, 7) joins class 1, in front of [2, 4) */
		FREE('G', PREV,		"AL..E..HIIIIIIII"),
		/* the merged area added last (lowest: 2) */
		ALLOC('M', P(2), P(1), FL,	"AL..EMMHIIIIIIII"),
		ALLOC('N', P(2), P(1), FL,	"ALNNEMMHIIIIIIII"),
	} },
	/*
	 * No class guaranteed to fit is non-empty: like vmem_alloc() falling
	 * back to vmem_xalloc(), the lists that may fit are searched in order.
	 */
	{ CASE("fallback: the classes that may fit, in list order", 0, 16),
	  .policy = KVA_POLICY_INSTANT_FIT,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(3), P(1), LE,	"ABBB............"),
		ALLOC('C', P(1), P(1), LE,	"ABBBC..........."),
		ALLOC('D', P(2), P(1), LE,	"ABBBCDD........."),
		ALLOC('E', P(1), P(1), LE,	"ABBBCDDE........"),
		ALLOC('F', P(8), P(1), FL,	"ABBBCDDEFFFFFFFF"),
		FREE('B', NONE,		"A...CDDEFFFFFFFF"),
		FREE('D', NONE,		"A...C..EFFFFFFFF"),
		/* class 2 and up are empty; class 1 is [5, 7) (too small), then [1, 4) */
		ALLOC('G', P(3), P(1), FL,	"AGGGC..EFFFFFFFF"),
		/* only [5, 7) is left */
		ALLOC_FAIL(P(3), P(1), -ENOMEM, "AGGGC..EFFFFFFFF"),
		/* 1 page aligned to 4 needs class 2; [5, 7) holds no 4-aligned page */
		ALLOC_FAIL(P(1), P(4), -ENOMEM, "AGGGC..EFFFFFFFF"),
		/* aligned to 2: class 1 is guaranteed (any 2 pages hold a 2-aligned one) */
		ALLOC('H', P(1), P(2), RE,	"AGGGC.HEFFFFFFFF"),
		ALLOC('I', P(1), P(1), FL,	"AGGGCIHEFFFFFFFF"),
	} },
	{ CASE("fallback with alignment: a class below the guaranteed one", 0, 16),
	  .policy = KVA_POLICY_INSTANT_FIT,
	  .steps = {
		ALLOC('A', P(4), P(1), LE,	"AAAA............"),
		ALLOC('B', P(3), P(1), LE,	"AAAABBB........."),
		ALLOC('C', P(9), P(1), FL,	"AAAABBBCCCCCCCCC"),
		FREE('B', NONE,		"AAAA...CCCCCCCCC"),
		/* needs class 2 (1 + 4 - 1 pages); none: class 1's [4, 7) fits at 4 */
		ALLOC('D', P(1), P(4), LE,	"AAAAD..CCCCCCCCC"),
		/* [5, 7) has no 4-aligned page */
		ALLOC_FAIL(P(1), P(4), -ENOMEM, "AAAAD..CCCCCCCCC"),
		ALLOC('E', P(1), P(2), RE,	"AAAAD.ECCCCCCCCC"),
	} },
	/*
	 * Each switch rebuilds the new policy's index from the busy, lazy and
	 * free trees (the checker runs after every step) and starts its search
	 * state afresh: no cache, the rotor at the start.
	 */
	{ CASE("switching policy on a live slice keeps every busy and lazy area", 0, 16),
	  .steps = {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		ALLOC('C', P(2), P(1), LE,	"AABBCC.........."),
		ALLOC('D', P(2), P(1), LE,	"AABBCCDD........"),
		LAZY('B',			"AAbbCCDD........"),
		FREE('D', NEXT,		"AAbbCC.........."),
		SWITCH(VMLIST,		"AAbbCC.........."),
		SWITCH(CACHED_HOLE,		"AAbbCC.........."),
		CACHED('-',		"AAbbCC.........."),
		/* lazy B is not free: after C */
		ALLOC('F', P(2), P(1), LE,	"AAbbCCFF........"),
		CACHED('F',		"AAbbCCFF........"),
		SWITCH(NEXT_FIT,		"AAbbCCFF........"),
		ROTOR(0,		"AAbbCCFF........"),
		ALLOC('G', P(1), P(1), LE,	"AAbbCCFFG......."),
		ROTOR(9,		"AAbbCCFFG......."),
		SWITCH(BEST_FIT,		"AAbbCCFFG......."),
		PURGE(2, 4,		"AA..CCFFG......."),
		/* the 2-page hole, not the 7-page one */
		ALLOC('H', P(1), P(1), LE,	"AAH.CCFFG......."),
		SWITCH(INSTANT_FIT,		"AAH.CCFFG......."),
		LAZY('A',			"aaH.CCFFG......."),
		/* class 0: [3, 4) */
		ALLOC('I', P(1), P(1), FL,	"aaHICCFFG......."),
		SWITCH(LOWEST,		"aaHICCFFG......."),
		ALLOC('J', P(2), P(1), LE,	"aaHICCFFGJJ....."),
	} },
};

/* The names table, its joined string, the policy table and the lookup agree. */
static bool test_policy_names(struct fixture *f)
{
	static const char *const bad[] = { "", "low", "lowestx", "Lowest",
					   "best_fit", "instant-fit " };
	char joined[256] = "";
	unsigned int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < KVA_NR_POLICIES; i++) {
		const char *n = kva_policy_names[i];

		if (!n || !kva_policy_descs[i] || !kva_policies[i])
			return fail(f, "policy %u has no name, summary or table entry", i);
		if (kva_policies[i]->id != (enum kva_policy_id)i)
			return fail(f, "kva_policies[%u]->id is %d", i,
				    kva_policies[i]->id);
		if (!kva_policies[i]->find)
			return fail(f, "policy %s has no find()", n);
		if (kva_policy_by_name(n, strlen(n)) != (int)i)
			return fail(f, "kva_policy_by_name(\"%s\") is %d, expected %u",
				    n, kva_policy_by_name(n, strlen(n)), i);
		if (i)
			strcat(joined, ", ");
		strcat(joined, n);
	}
	if (strcmp(joined, KVA_POLICY_NAMES_STR))
		return fail(f, "KVA_POLICY_NAMES_STR is \"%s\", the names join to \"%s\"",
			    KVA_POLICY_NAMES_STR, joined);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (kva_policy_by_name(bad[i], strlen(bad[i])) != -1)
			return fail(f, "kva_policy_by_name(\"%s\") accepted", bad[i]);
	/* Only the first @len bytes of the buffer count. */
	if (kva_policy_by_name("next-fitting", 8) != KVA_POLICY_NEXT_FIT)
		return fail(f, "kva_policy_by_name does not stop at the length");
	return true;
}

/* An unknown id changes nothing; a valid one leaves the slice intact. */
static bool test_set_policy_refuses_unknown(struct fixture *f)
{
	if (!three_areas(f))
		return false;
	if (kva_set_policy(&f->s, KVA_POLICY_BEST_FIT))
		return fail(f, "switching to best-fit failed");
	if (kva_set_policy(&f->s, KVA_NR_POLICIES) != -EINVAL ||
	    kva_set_policy(&f->s, (enum kva_policy_id)-1) != -EINVAL)
		return fail(f, "an unknown policy id was accepted");
	if (kva_policy_id(&f->s) != KVA_POLICY_BEST_FIT)
		return fail(f, "a refused switch changed the policy to %d",
			    kva_policy_id(&f->s));
	return check_state(f, "AABBBCC.........");
}

static const struct fn_test policy_tests[] = {
	{ "policy names: table ids, KVA_POLICY_NAMES_STR, exact lookup",
	  test_policy_names },
	{ "kva_set_policy refuses an unknown id and changes nothing",
	  test_set_policy_refuses_unknown },
};

int main(int argc, char **argv)
{
	tc_start(argc, argv);
	run_cases(policy_cases, ARRAY_SIZE(policy_cases));
	run_fn_tests(policy_tests, ARRAY_SIZE(policy_tests));
	return tc_done();
}
