// SPDX-License-Identifier: GPL-2.0
/*
 * The fragmentation figures (module/frag.c) on constructed layouts whose
 * values are computed by hand in the comments, plus a randomized check
 * against the definitions in floating point. TAP output.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

static int tests, failures;

static void tap(bool ok, const char *name, const char *why)
{
	tests++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", tests, name);
	if (!ok) {
		printf("#   %s\n", why);
		failures++;
	}
}

/*
 * A 32-page slice carved by @map: '.' free, any other letter busy (one
 * area per run of the same letter). Lowest placement makes the runs land
 * in order, then the frees leave the holes.
 */
static bool build(struct harness *h, const char *map)
{
	unsigned long i = 0, n = strlen(map);

	if (!h_init(h, 0xffffc90000000000UL, n))
		return false;
	/* Fill everything page by page, then free the free pages. */
	while (i < n) {
		unsigned long run = 1;

		while (i + run < n && map[i + run] == map[i])
			run++;
		if (!h_alloc(h, run, PAGE_SIZE))
			return false;
		i += run;
	}
	for (i = h->nr_live; i-- > 0;) {
		unsigned long p = h_page(h, h->live[i]->va_start);

		if (map[p] == '.' && !h_free(h, i))
			return false;
	}
	return h_compare(h);
}

struct frag_case {
	const char *name;
	const char *map;
	unsigned long nr_free, largest_pages, free_pages;
	unsigned long ext_e4, rss_e4;
	unsigned long hist[6];		/* areas per class 0..5 */
};

static const struct frag_case cases[] = {
	/* One free area: nothing is fragmented. */
	{ "one free area", "AAAA............................",
	  1, 28, 28, 0, 0, { 0, 0, 0, 0, 1, 0 } },
	/*
	 * Holes of 1, 2, 4 and 8 pages: F = 15, L = 8, ext = 1 - 8/15 =
	 * 0.46667 (10000 - floor(5333.3) = 4667); S2 = 1+4+16+64 = 85,
	 * sqrt(85)/15 = 0.61464, rss = 10000 - 6146 = 3854. Classes 0..3
	 * hold one area each.
	 */
	{ "holes of 1, 2, 4 and 8 pages", "A.B..C....D........EEEEEEEEEEEEE",
	  4, 8, 15, 4667, 3854, { 1, 1, 1, 1, 0, 0 } },
	/*
	 * Eight single-page holes: ext = 1 - 1/8 = 0.875; rss = 1 -
	 * sqrt(8)/8 = 0.64645 (sqrt(8)/8 = 0.353553: 10000 - 3535 = 6465).
	 */
	{ "eight single-page holes", "A.B.C.D.E.F.G.H.IIIIIIIIIIIIIIII",
	  8, 1, 8, 8750, 6465, { 8, 0, 0, 0, 0, 0 } },
	/* Full: no free area, every figure 0. */
	{ "no free space", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	  0, 0, 0, 0, 0, { 0, 0, 0, 0, 0, 0 } },
};

static void run_case(const struct frag_case *c)
{
	struct harness h;
	struct kva_frag f;
	char why[256] = "";
	bool ok = build(&h, c->map);
	int k;

	if (!ok) {
		tap(false, c->name, h.why);
		h_destroy(&h);
		return;
	}
	kva_frag(&h.s, &f);
	if (f.nr_free != c->nr_free || f.largest_free != c->largest_pages * PAGE_SIZE ||
	    f.free_bytes != c->free_pages * PAGE_SIZE || f.ext_frag_e4 != c->ext_e4 ||
	    f.frag_rss_e4 != c->rss_e4)
		snprintf(why, sizeof(why),
			 "nr_free %lu largest %lu free %lu ext %lu rss %lu; want %lu %lu %lu %lu %lu",
			 f.nr_free, f.largest_free / PAGE_SIZE, f.free_bytes / PAGE_SIZE,
			 f.ext_frag_e4, f.frag_rss_e4, c->nr_free, c->largest_pages,
			 c->free_pages, c->ext_e4, c->rss_e4);
	for (k = 0; k < 6 && !*why; k++)
		if (f.hist_areas[k] != c->hist[k])
			snprintf(why, sizeof(why), "class %d holds %lu areas, want %lu",
				 k, f.hist_areas[k], c->hist[k]);
	if (!*why && f.largest_free != kva_largest_free(&h.s))
		snprintf(why, sizeof(why), "largest_free %lu, the tree says %lu",
			 f.largest_free, kva_largest_free(&h.s));
	tap(!*why, c->name, why);
	h_destroy(&h);
}

/* Random layouts: the integer figures equal the definitions, truncated. */
static void run_random(void)
{
	unsigned int seed = 12345, round;
	char why[256] = "";

	for (round = 0; round < 200 && !*why; round++) {
		char map[257];
		unsigned long i, n = 64 + rand_r(&seed) % 192;
		double s1 = 0, s2 = 0, largest = 0, run = 0;
		struct harness h;
		struct kva_frag f;
		long want_ext, want_rss;

		for (i = 0; i < n; i++)
			map[i] = rand_r(&seed) % 3 ? '.' : 'A' + rand_r(&seed) % 26;
		map[n] = '\0';
		if (!build(&h, map)) {
			snprintf(why, sizeof(why), "build: %s", h.why);
			h_destroy(&h);
			break;
		}
		for (i = 0; i <= n; i++) {
			if (i < n && map[i] == '.') {
				run++;
				continue;
			}
			if (run) {
				s1 += run;
				s2 += run * run;
				largest = run > largest ? run : largest;
			}
			run = 0;
		}
		kva_frag(&h.s, &f);
		want_ext = s1 ? 10000 - (long)floor(10000 * largest / s1 + 1e-9) : 0;
		want_rss = s1 ? 10000 - (long)floor(10000 * sqrt(s2) / s1 + 1e-9) : 0;
		if ((long)f.ext_frag_e4 != want_ext || (long)f.frag_rss_e4 != want_rss)
			snprintf(why, sizeof(why), "layout %s: ext %lu rss %lu, want %ld %ld",
				 map, f.ext_frag_e4, f.frag_rss_e4, want_ext, want_rss);
		h_destroy(&h);
	}
	tap(!*why, "200 random layouts: ext_frag and frag_rss equal their definitions", why);
}

int main(void)
{
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	run_random();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
