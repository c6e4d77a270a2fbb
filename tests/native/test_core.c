// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the allocator core, in the manner of tools/testing/vma: the
 * production file is #included, so the tests can also reach its static
 * helpers to inject corruption for the checker to find.
 *
 * Most cases are rows of a table: a slice of a few pages and a list of steps
 * (alloc, free, lazy free, purge), each with the result it must have and a
 * drawing of the slice after it, one character per page:
 *
 *	A-Z  busy area with that label	a-z  the same area, lazily freed
 *	.    free			?    covered by no tree
 *
 * e.g. "A.BB....cc......". The drawing is read back from the live trees and
 * compared as a string; the expected counters (nr_*, *_bytes, the largest
 * free area) are derived from the expected drawing, and every step must
 * move exactly the fit or merge counter it names and pass kva_check().
 *
 *   test_core [-v]	(-v prints every step's drawing)
 */
#include "../../module/core.c"

#include <ctype.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A slice base aligned to 1 TiB, as vmalloc space bases are aligned. */
#define BASE	0xffffc90000000000UL
#define P(n)	((unsigned long)(n) * PAGE_SIZE)
#define MAXP	64

static bool verbose;
static int test_nr;
static int failures;

static const char labels[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

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

static __printf(2, 3) bool fail(struct fixture *f, const char *fmt, ...);

static bool fail(struct fixture *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	return false;
}

static struct kva_area *new_area(struct fixture *f)
{
	struct kva_area *va = calloc(1, sizeof(*va));

	if (!va)
		abort();
	f->objects++;
	return va;
}

static void release(struct fixture *f, struct list_head *unused)
{
	struct kva_area *va, *n;

	list_for_each_entry_safe(va, n, unused, list) {
		list_del(&va->list);
		free(va);
		f->objects--;
	}
}

static bool setup(struct fixture *f, unsigned long base, unsigned long pages)
{
	memset(f, 0, sizeof(*f));
	f->base = base ? base : BASE;
	f->nr_pages = pages;
	f->warnings = kvalab_shim_warnings;
	f->preload = new_area(f);
	if (kva_space_init(&f->s, f->base, f->base + P(pages), new_area(f)))
		return fail(f, "kva_space_init failed");
	return true;
}

static void teardown(struct fixture *f)
{
	struct list_head *heads[] = {
		&f->s.free_list, &f->s.busy_list, &f->s.lazy_list,
	};
	unsigned int i;

	/* A fixture that never set up a slice (only zeroed) holds nothing. */
	if (!f->s.free_list.next)
		return;
	for (i = 0; i < ARRAY_SIZE(heads); i++) {
		struct kva_area *va, *n;

		list_for_each_entry_safe(va, n, heads[i], list)
			free(va);
	}
	free(f->preload);
}

/* The slice as a string, read from the trees one page at a time. */
static void draw(struct fixture *f, char *buf)
{
	unsigned long p;

	for (p = 0; p < f->nr_pages; p++) {
		unsigned long addr = f->base + P(p);
		struct kva_area *busy = kva_busy_find(&f->s, addr);
		struct kva_area *lazy = kva_lazy_find(&f->s, addr);

		if (busy)
			buf[p] = *(const char *)busy->owner;
		else if (lazy)
			buf[p] = tolower(*(const char *)lazy->owner);
		else if (kva_free_find(&f->s, addr))
			buf[p] = '.';
		else
			buf[p] = '?';
	}
	buf[p] = '\0';
}

/*
 * Compare the slice with @map, the counters with what @map implies, and
 * run the checker. Areas are runs of one character in a drawing.
 */
static bool check_state(struct fixture *f, const char *map)
{
	unsigned long nr[3] = { 0, 0, 0 }, bytes[3] = { 0, 0, 0 };
	unsigned long largest = 0, run = 0;
	char got[MAXP + 1], why[256];
	unsigned long p;

	draw(f, got);
	if (verbose)
		printf("#   %s\n", got);
	if (strcmp(got, map))
		return fail(f, "slice is \"%s\", expected \"%s\"", got, map);

	for (p = 0; map[p]; p++) {
		int kind = map[p] == '.' ? 0 : isupper(map[p]) ? 1 : 2;

		if (!p || map[p] != map[p - 1])
			nr[kind]++;
		bytes[kind] += PAGE_SIZE;
		run = kind == 0 ? run + 1 : 0;
		largest = max(largest, run * PAGE_SIZE);
	}
	if (f->s.nr_free != nr[0] || f->s.free_bytes != bytes[0] ||
	    f->s.nr_busy != nr[1] || f->s.busy_bytes != bytes[1] ||
	    f->s.nr_lazy != nr[2] || f->s.lazy_bytes != bytes[2])
		return fail(f, "counters free %lu/0x%lx busy %lu/0x%lx lazy %lu/0x%lx disagree with \"%s\"",
			    f->s.nr_free, f->s.free_bytes, f->s.nr_busy,
			    f->s.busy_bytes, f->s.nr_lazy, f->s.lazy_bytes,
			    map);
	if (kva_largest_free(&f->s) != largest)
		return fail(f, "largest free 0x%lx, expected 0x%lx",
			    kva_largest_free(&f->s), largest);
	if (kva_check(&f->s, why, sizeof(why)))
		return fail(f, "kva_check: %s", why);
	if (f->objects != f->s.nr_free + f->s.nr_busy + f->s.nr_lazy +
			  (f->preload ? 1 : 0))
		return fail(f, "%lu area objects held, trees and preload account for %lu",
			    f->objects, f->s.nr_free + f->s.nr_busy +
			    f->s.nr_lazy + (f->preload ? 1 : 0));
	if (kvalab_shim_warnings != f->warnings)
		return fail(f, "the core warned");
	return true;
}

enum step_op { END, ALLOC, FREE, LAZY, PURGE };
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

struct core_case {
	const char *name;
	unsigned long base;		/* 0: BASE */
	unsigned long pages;
	struct step steps[24];
};

static bool do_alloc(struct fixture *f, const struct step *st)
{
	struct kva_free_stats before = f->s.fstats;
	struct kva_area *va = new_area(f);
	struct kva_area *saved = NULL;
	enum kva_fit_type fit;
	LIST_HEAD(unused);
	unsigned int i;
	int ret;

	if (st->no_preload) {
		saved = f->preload;
		f->preload = NULL;
	}
	ret = kva_alloc(&f->s, va, st->size, st->align, &f->preload,
			&unused, &fit);
	if (st->no_preload)
		f->preload = saved;
	release(f, &unused);

	if (ret != st->ret) {
		free(va);
		f->objects--;
		return fail(f, "alloc 0x%lx align 0x%lx returned %d, expected %d",
			    st->size, st->align, ret, st->ret);
	}
	if (ret) {
		free(va);
		f->objects--;
		/* Only "nothing fits" is counted, as a NOTHING fit. */
		if (f->s.fstats.fit[KVA_NOTHING_FIT] !=
		    before.fit[KVA_NOTHING_FIT] + (ret == -ENOMEM))
			return fail(f, "failed alloc counted wrongly");
		return fit == KVA_NOTHING_FIT ||
		       fail(f, "failed alloc reported fit %d", fit);
	}

	for (i = 0; i < KVA_NR_FIT; i++)
		if (f->s.fstats.fit[i] != before.fit[i] + !!(i == st->fit))
			return fail(f, "fit counter %u moved wrongly (fit %d, expected %d)",
				    i, fit, st->fit);
	if (fit != st->fit)
		return fail(f, "fit %d, expected %d", fit, st->fit);
	if (!f->preload)
		f->preload = new_area(f);	/* the split took it */

	va->owner = (void *)&labels[st->label - 'A'];
	kva_busy_insert(&f->s, va);
	f->by_label[st->label - 'A'] = va;
	return true;
}

static bool free_one(struct fixture *f, struct kva_area *va,
		     enum merge_kind *kind)
{
	struct kva_free_stats b = f->s.fstats;
	const struct kva_free_stats *a = &f->s.fstats;
	LIST_HEAD(unused);

	if (!kva_free_insert(&f->s, va, &unused))
		return fail(f, "kva_free_insert refused 0x%lx", va->va_start);
	release(f, &unused);

	if (a->inserts + a->merge_prev + a->merge_next + a->merge_both !=
	    b.inserts + b.merge_prev + b.merge_next + b.merge_both + 1)
		return fail(f, "not exactly one merge counter moved");
	*kind = a->merge_both != b.merge_both ? MERGE_BOTH :
		a->merge_next != b.merge_next ? MERGE_NEXT :
		a->merge_prev != b.merge_prev ? MERGE_PREV : MERGE_NONE;
	return true;
}

static bool do_free(struct fixture *f, const struct step *st)
{
	struct kva_area *va = f->by_label[st->label - 'A'];
	enum merge_kind kind;

	f->by_label[st->label - 'A'] = NULL;
	kva_busy_unlink(&f->s, va);
	if (!free_one(f, va, &kind))
		return false;
	return kind == st->merge ||
	       fail(f, "merge kind %d, expected %d", kind, st->merge);
}

static bool do_lazy(struct fixture *f, const struct step *st)
{
	struct kva_area *va = f->by_label[st->label - 'A'];

	kva_busy_unlink(&f->s, va);
	kva_lazy_insert(&f->s, va);
	return true;
}

static bool do_purge(struct fixture *f, const struct step *st)
{
	unsigned long start, end, nr, listed = 0, lo, hi;
	struct kva_area *va, *n;
	enum merge_kind kind;
	LIST_HEAD(out);
	unsigned int i;

	nr = kva_lazy_take(&f->s, &out, &start, &end);
	lo = st->lo == st->hi ? 0 : f->base + P(st->lo);
	hi = st->lo == st->hi ? 0 : f->base + P(st->hi);
	if (start != lo || end != hi)
		return fail(f, "lazy range 0x%lx-0x%lx, expected 0x%lx-0x%lx",
			    start, end, lo, hi);

	list_for_each_entry_safe(va, n, &out, list) {
		for (i = 0; i < 26; i++)
			if (f->by_label[i] == va)
				f->by_label[i] = NULL;
		list_del(&va->list);
		if (!free_one(f, va, &kind))
			return false;
		listed++;
	}
	return listed == nr ||
	       fail(f, "take said %lu areas, listed %lu", nr, listed);
}

static void report(bool ok, const char *name, struct fixture *f)
{
	test_nr++;
	if (ok) {
		printf("ok %d - %s\n", test_nr, name);
		return;
	}
	failures++;
	printf("not ok %d - %s\n#   %s\n", test_nr, name, f->why);
}

static void run_case(const struct core_case *c)
{
	struct fixture f;
	const struct step *st;
	bool ok;
	char initial[MAXP + 1];

	memset(initial, '.', c->pages);
	initial[c->pages] = '\0';
	if (verbose)
		printf("# %s\n", c->name);
	ok = setup(&f, c->base, c->pages) && check_state(&f, initial);

	for (st = c->steps; ok && st->op != END; st++) {
		switch (st->op) {
		case ALLOC:
			ok = do_alloc(&f, st);
			break;
		case FREE:
			ok = do_free(&f, st);
			break;
		case LAZY:
			ok = do_lazy(&f, st);
			break;
		case PURGE:
			ok = do_purge(&f, st);
			break;
		default:
			ok = fail(&f, "bad step");
		}
		if (ok)
			ok = check_state(&f, st->map);
		if (!ok) {
			char where[64];

			snprintf(where, sizeof(where), " (step %ld)",
				 (long)(st - c->steps) + 1);
			strncat(f.why, where, sizeof(f.why) - strlen(f.why) - 1);
		}
	}

	report(ok, c->name, &f);
	teardown(&f);
}

/* Top of the address space: a 16-page slice whose end is the last page. */
#define TOP	(0UL - P(17))

static const struct core_case cases[] = {
	{ "first alloc: left edge fit", 0, 16, {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
	} },
	{ "full fit consumes the only free area", 0, 4, {
		ALLOC('A', P(4), P(1), FL,	"AAAA"),
		FREE('A', NONE,			"...."),
	} },
	{ "right edge fit: alignment puts the end at the area's end", 0, 16, {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(8), P(8), RE,	"A.......BBBBBBBB"),
		ALLOC('C', P(7), P(1), FL,	"ACCCCCCCBBBBBBBB"),
	} },
	{ "no edge fit splits the area and takes the preload", 0, 16, {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(1), P(2), NE,	"A.B............."),
		ALLOC('C', P(1), P(1), FL,	"ACB............."),
	} },
	{ "no edge split without a preload is refused, nothing changes", 0, 16, {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC_NO_PRELOAD_FAIL(P(1), P(2), -EINVAL,
						"A..............."),
		ALLOC_NO_PRELOAD('B', P(3), P(1), LE,
						"ABBB............"),
	} },
	{ "lowest match skips a hole that is too small", 0, 16, {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(1), P(1), LE,	"AAB............."),
		ALLOC('C', P(2), P(1), LE,	"AABCC..........."),
		FREE('B', NONE,			"AA.CC..........."),
		ALLOC('D', P(2), P(1), LE,	"AA.CCDD........."),
		ALLOC('E', P(1), P(1), FL,	"AAECCDD........."),
	} },
	{ "lowest match skips a hole that alignment misses", 0, 16, {
		ALLOC('A', P(1), P(1), LE,	"A..............."),
		ALLOC('B', P(1), P(1), LE,	"AB.............."),
		ALLOC('C', P(2), P(1), LE,	"ABCC............"),
		FREE('B', NONE,			"A.CC............"),
		ALLOC('D', P(1), P(2), LE,	"A.CCD..........."),
		ALLOC('E', P(2), P(4), NE,	"A.CCD...EE......"),
		ALLOC('F', P(1), P(1), FL,	"AFCCD...EE......"),
		ALLOC('G', P(2), P(2), RE,	"AFCCD.GGEE......"),
	} },
	{ "free: merge with the lower neighbour", 0, 16, {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		ALLOC('C', P(2), P(1), LE,	"AABBCC.........."),
		FREE('A', NONE,			"..BBCC.........."),
		FREE('B', PREV,			"....CC.........."),
	} },
	{ "free: merge with the upper neighbour", 0, 16, {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		FREE('B', NEXT,			"AA.............."),
	} },
	{ "free: bridge both neighbours, then one area spans the slice", 0, 16, {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		ALLOC('C', P(2), P(1), LE,	"AABBCC.........."),
		FREE('A', NONE,			"..BBCC.........."),
		FREE('C', NEXT,			"..BB............"),
		FREE('B', BOTH,			"................"),
	} },
	{ "free: no neighbour to merge with", 0, 8, {
		ALLOC('A', P(1), P(1), LE,	"A......."),
		ALLOC('B', P(1), P(1), LE,	"AB......"),
		ALLOC('C', P(6), P(1), FL,	"ABCCCCCC"),
		FREE('B', NONE,			"A.CCCCCC"),
		FREE('A', NEXT,			"..CCCCCC"),
		FREE('C', PREV,			"........"),
	} },
	{ "larger than the slice: ENOMEM", 0, 16, {
		ALLOC_FAIL(P(17), P(1), -ENOMEM, "................"),
		ALLOC('A', P(16), P(1), FL,	"AAAAAAAAAAAAAAAA"),
	} },
	{ "exhaustion: ENOMEM when full", 0, 4, {
		ALLOC('A', P(4), P(1), FL,	"AAAA"),
		ALLOC_FAIL(P(1), P(1), -ENOMEM, "AAAA"),
		FREE('A', NONE,			"...."),
		ALLOC('B', P(1), P(1), LE,	"B..."),
	} },
	{ "exhaustion by fragmentation: free pages, none together or aligned", 0, 8, {
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
	{ "bad arguments: EINVAL and nothing changes", 0, 8, {
		ALLOC_FAIL(0, P(1), -EINVAL,	"........"),
		ALLOC_FAIL(P(1) + 1, P(1), -EINVAL, "........"),
		ALLOC_FAIL(P(1), 0, -EINVAL,	"........"),
		ALLOC_FAIL(P(1), P(1) / 2, -EINVAL, "........"),
		ALLOC_FAIL(P(1), P(3), -EINVAL,	"........"),
	} },
	{ "alignment as large as the slice's own (1 TiB) fits at its start", 0, 16, {
		ALLOC('A', P(1), 1UL << 40, LE,	"A..............."),
		ALLOC_FAIL(P(1), 1UL << 40, -ENOMEM, "A..............."),
		ALLOC_FAIL(P(1), 1UL << 41, -ENOMEM, "A..............."),
	} },
	{ "alignment of 2^63 wraps around and fits nowhere", 0, 16, {
		ALLOC_FAIL(P(1), 1UL << 63, -ENOMEM, "................"),
	} },
	{ "slice at the top of the address space: no wrap-around", TOP, 16, {
		ALLOC('A', P(1), 1UL << 16, NE,	".A.............."),
		ALLOC_FAIL(P(1), 1UL << 20, -ENOMEM, ".A.............."),
		ALLOC('B', P(14), P(1), FL,	".ABBBBBBBBBBBBBB"),
		ALLOC_FAIL(P(2), P(1), -ENOMEM,	".ABBBBBBBBBBBBBB"),
		ALLOC('C', P(1), P(1), FL,	"CABBBBBBBBBBBBBB"),
	} },
	{ "lazy areas are not reused until purged", 0, 16, {
		ALLOC('A', P(2), P(1), LE,	"AA.............."),
		ALLOC('B', P(2), P(1), LE,	"AABB............"),
		ALLOC('C', P(2), P(1), LE,	"AABBCC.........."),
		LAZY('B',			"AAbbCC.........."),
		ALLOC('D', P(2), P(1), LE,	"AAbbCCDD........"),
		PURGE(2, 4,			"AA..CCDD........"),
		ALLOC('E', P(2), P(1), FL,	"AAEECCDD........"),
	} },
	{ "purge: range spans all lazy areas, frees merge in order", 0, 16, {
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
	{ "lazy then purge with everything lazy: one area again", 0, 8, {
		ALLOC('A', P(3), P(1), LE,	"AAA....."),
		ALLOC('B', P(5), P(1), FL,	"AAABBBBB"),
		LAZY('B',			"AAAbbbbb"),
		LAZY('A',			"aaabbbbb"),
		PURGE(0, 8,			"........"),
	} },
};

/*
 * Tests that are not step lists. Each returns true or fails @f with the
 * reason.
 */

static bool alloc_label(struct fixture *f, char label, unsigned long pages)
{
	struct step st = ALLOC(label, P(pages), P(1), NOTHING, NULL);
	struct kva_area *va = new_area(f);
	enum kva_fit_type fit;
	LIST_HEAD(unused);

	if (kva_alloc(&f->s, va, st.size, st.align, &f->preload, &unused,
		      &fit))
		return fail(f, "alloc of %lu pages failed", pages);
	release(f, &unused);
	if (!f->preload)
		f->preload = new_area(f);
	va->owner = (void *)&labels[label - 'A'];
	kva_busy_insert(&f->s, va);
	f->by_label[label - 'A'] = va;
	return true;
}

/* "AABBBCC.........": three busy areas, then free space. */
static bool three_areas(struct fixture *f)
{
	return setup(f, 0, 16) && alloc_label(f, 'A', 2) &&
	       alloc_label(f, 'B', 3) && alloc_label(f, 'C', 2) &&
	       check_state(f, "AABBBCC.........");
}

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
	    s.lazy_min != ULONG_MAX || s.lazy_max != 0)
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

static bool test_lazy_range_tracks_min_max(struct fixture *f)
{
	if (!three_areas(f))
		return false;
	kva_busy_unlink(&f->s, f->by_label['C' - 'A']);
	kva_lazy_insert(&f->s, f->by_label['C' - 'A']);
	kva_busy_unlink(&f->s, f->by_label[0]);	/* 'A' */
	kva_lazy_insert(&f->s, f->by_label[0]);
	if (f->s.lazy_min != BASE || f->s.lazy_max != BASE + P(7))
		return fail(f, "lazy range 0x%lx-0x%lx", f->s.lazy_min,
			    f->s.lazy_max);
	if (kva_lazy_find(&f->s, BASE + P(6)) != f->by_label['C' - 'A'] ||
	    kva_lazy_find(&f->s, BASE + P(3)))
		return fail(f, "lazy lookup wrong");
	return check_state(f, "aaBBBcc.........");
}

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
		kva_busy_insert(&f->s, c);
		c->owner = (void *)&labels[2];
	}
}

/* The busy list order no longer matches the tree: swap A and B. */
static void inj_list_order(struct fixture *f, int dir)
{
	if (dir > 0)
		list_move(&A_(f, 'A')->list, &A_(f, 'B')->list);
	else
		list_move(&A_(f, 'B')->list, &A_(f, 'A')->list);
}

/* Busy A grows into busy B (busy_bytes kept consistent). */
static void inj_busy_overlap(struct fixture *f, int dir)
{
	A_(f, 'A')->va_end += dir * PAGE_SIZE;
	f->s.busy_bytes += dir * PAGE_SIZE;
}

static void inj_lazy_range(struct fixture *f, int dir)
{
	f->s.lazy_min = dir > 0 ? BASE : ULONG_MAX;
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
	{ "lazy range out of date", inj_lazy_range, "expected empty", 0 },
	{ "unaligned area", inj_unaligned, "unaligned", P(2) + 16 },
	{ "red root", inj_red_root, "root", 0 },
	{ "area beyond the slice end", inj_outside, "outside the slice",
	  P(17) },
};

static void run_injection(const struct injection *inj)
{
	char name[128];
	struct fixture f;
	bool ok;

	snprintf(name, sizeof(name), "kva_check detects: %s", inj->name);
	ok = three_areas(&f);
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

struct fn_test {
	const char *name;
	bool (*fn)(struct fixture *f);
};

static const struct fn_test fn_tests[] = {
	{ "init refuses empty and unaligned ranges", test_init_refuses_bad_ranges },
	{ "busy find: start, inside, last byte, end, outside", test_busy_find },
	{ "kva_largest_free follows the tree root", test_largest_free },
	{ "busy insert of an overlapping area warns and is refused",
	  test_busy_insert_overlap_warns },
	{ "free insert of an area overlapping free space is refused",
	  test_free_insert_overlap_refused },
	{ "lazy insert keeps lazy_min and lazy_max", test_lazy_range_tracks_min_max },
};

/* A search that never ends is a failure too: say which test hung. */
static void on_alarm(int sig)
{
	char msg[64];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg), "Bail out! test %d timed out\n",
		     test_nr + 1);
	if (write(STDOUT_FILENO, msg, n) < 0)
		_exit(3);
	_exit(1);
}

int main(int argc, char **argv)
{
	unsigned int i;
	int opt;

	while ((opt = getopt(argc, argv, "v")) != -1) {
		if (opt != 'v') {
			fprintf(stderr, "usage: %s [-v]\n", argv[0]);
			return 2;
		}
		verbose = true;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	alarm(60);

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	for (i = 0; i < ARRAY_SIZE(fn_tests); i++) {
		struct fixture f;
		bool ok = fn_tests[i].fn(&f);

		report(ok, fn_tests[i].name, &f);
		teardown(&f);
	}
	for (i = 0; i < ARRAY_SIZE(injections); i++)
		run_injection(&injections[i]);

	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
