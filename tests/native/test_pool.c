// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the VA pool: purged areas pooled whole, taken by exact size
 * and decayed back to the free tree, as step tables (core_fixture.h) run
 * under every policy; and the checker's pool rules.
 *
 *   test_pool [-v]	(-v prints every step's drawing)
 */
#include <stdio.h>
#include <string.h>

#include "core_fixture.h"

/*
 * The VA pool under every policy. Every allocation here is made while one
 * free area is left, so every policy places it at that area's start and
 * the maps hold for all of them; the occupied-list policies keep pooled
 * areas on their list (and a switch rebuilds it with them).
 */
static const struct core_case pool_cases[] = {
	{ CASE("pool: purged areas pooled whole, taken by exact size, decayed back", 0, 8),
	  .steps = {
		ALLOC('A', P(2), P(1), LE, "AA......"),
		ALLOC('B', P(2), P(1), LE, "AABB...."),
		ALLOC('C', P(1), P(1), LE, "AABBC..."),
		ALLOC('D', P(3), P(1), FL, "AABBCDDD"),
		LAZY('A', "aaBBCDDD"),
		LAZY('C', "aaBBcDDD"),
		POOLP(0, 5, "++BB+DDD"),
		PMISS(P(3), "++BB+DDD"),
		PGET('E', P(2), "EEBB+DDD"),
		SWITCH(CACHED_HOLE, "EEBB+DDD"),
		LAZY('B', "EEbb+DDD"),
		POOLP(2, 4, "EE+++DDD"),
		/* One area per class: a quarter rounds down to none. */
		DECAY(false, 0, "EE+++DDD"),
		DECAY(true, 2, "EE...DDD"),
		FREE('E', NEXT, ".....DDD"),
		FREE('D', PREV, "........"),
	} },
	{ CASE("pool: a purge decays the oldest quarter; a get takes the newest", 0, 8),
	  .steps = {
		ALLOC('A', P(1), P(1), LE, "A......."),
		ALLOC('B', P(1), P(1), LE, "AB......"),
		ALLOC('C', P(1), P(1), LE, "ABC....."),
		ALLOC('D', P(1), P(1), LE, "ABCD...."),
		LAZY('A', "aBCD...."),
		LAZY('B', "abCD...."),
		LAZY('C', "abcD...."),
		LAZY('D', "abcd...."),
		POOLP(0, 4, "++++...."),
		DECAY(false, 1, ".+++...."),
		PGET('E', P(1), ".++E...."),
		PMISS(P(2), ".++E...."),
		DECAY(true, 2, "...E...."),
		FREE('E', BOTH, "........"),
	} },
};

/* kva_check() reports @want for the state as it is now. */
static bool check_says(struct fixture *f, const char *want)
{
	char why[256];

	if (!kva_check(&f->s, why, sizeof(why)))
		return fail(f, "kva_check passed, expected \"%s\"", want);
	return !strcmp(why, want) ||
	       fail(f, "kva_check said \"%s\", expected \"%s\"", why, want);
}

/*
 * The checker sees a broken pool: a class count off by one, an area on
 * the list of another size's class, and a pool tree with more than its
 * counters (a page counted in two trees). Each break is undone after.
 */
static bool test_pool_check_catches(struct fixture *f)
{
	struct kva_area *b;

	if (!three_areas(f))
		return false;
	b = f->by_label['B' - 'A'];
	kva_busy_unlink(&f->s, b);
	kva_pool_insert(&f->s, b);
	f->by_label['B' - 'A'] = NULL;
	if (!check_state(f, "AA+++CC........."))
		return false;

	f->s.pool_class_nr[3]++;
	if (!check_says(f, "pool class 3 counts 2 areas, its list holds 1"))
		return false;
	f->s.pool_class_nr[3]--;

	list_move(&b->pool, &f->s.pool_class[2]);
	if (!check_says(f, "pool class 2 holds [+0x2000, +0x5000), of another size"))
		return false;
	list_move(&b->pool, &f->s.pool_class[3]);

	f->s.nr_pooled++;
	if (!check_says(f, "pool counters say 2 areas 0x3000 bytes, found 1 areas 0x3000 bytes"))
		return false;
	f->s.nr_pooled--;

	/* Taken back by size, it is the same object and the slice is whole. */
	if (kva_pool_get(&f->s, P(2)) || kva_pool_get(&f->s, P(3)) != b)
		return fail(f, "pool get by size returned the wrong area");
	hold(f, b, 'B');
	return check_state(f, "AABBBCC.........");
}

static const struct fn_test pool_tests[] = {
	{ "the checker catches a broken pool: class counts, class sizes, tree counters",
	  test_pool_check_catches },
};

int main(int argc, char **argv)
{
	unsigned int i;

	tc_start(argc, argv);
	for (i = 0; i < ARRAY_SIZE(pool_cases); i++) {
		enum kva_policy_id pol;

		for (pol = 0; pol < KVA_NR_POLICIES; pol++) {
			char name[160];

			snprintf(name, sizeof(name), "%s: %s",
				 kva_policy_names[pol], pool_cases[i].name);
			run_case_as(&pool_cases[i], pol, name);
		}
	}
	run_fn_tests(pool_tests, ARRAY_SIZE(pool_tests));
	return tc_done();
}
