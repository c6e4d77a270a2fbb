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
 * A case runs under one placement policy (lowest unless it names another),
 * and may switch policy mid-way or check a policy's search state (the
 * cached-hole cache, the next-fit rotor). Every lowest case is replayed
 * under vmlist, whose placement rule is the same. A case that documents a
 * known difference between a policy and the code it follows carries a TODO
 * (TAP "# TODO": reported, not counted as a failure).
 *
 *   test_core [-v]	(-v prints every step's drawing)
 */
#include "../../module/core.c"

/*
 * The policies' private state types, for the tests that check a policy's
 * search state or corrupt its index: each policy file is compiled in again
 * here with its exported descriptor renamed, so nothing clashes with the
 * linked copy that the space actually runs. Only the types are used.
 */
#define kva_policy_cached_hole	tc_unused_cached_hole
#include "../../module/policy_cached_hole.c"
#undef kva_policy_cached_hole
#define kva_policy_next_fit	tc_unused_next_fit
#include "../../module/policy_next_fit.c"
#undef kva_policy_next_fit
#define kva_policy_instant_fit	tc_unused_instant_fit
#include "../../module/policy_instant_fit.c"
#undef kva_policy_instant_fit

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
		&f->s.pool_list,
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
		else if (kva_pool_find(&f->s, addr))
			buf[p] = '+';
		else if (kva_free_find(&f->s, addr))
			buf[p] = '.';
		else
			buf[p] = '?';
	}
	buf[p] = '\0';
}

/*
 * Compare the slice with @map, the counters with what @map implies, and
 * run the checker. Areas are runs of one character in a drawing, except
 * pooled ones ('+'), which are never merged: only their bytes are checked
 * here, their number by the steps.
 */
static bool check_state(struct fixture *f, const char *map)
{
	unsigned long nr[4] = { 0 }, bytes[4] = { 0 };
	unsigned long largest = 0, run = 0;
	char got[MAXP + 1], why[256];
	unsigned long p;

	draw(f, got);
	if (verbose)
		printf("#   %s\n", got);
	if (strcmp(got, map))
		return fail(f, "slice is \"%s\", expected \"%s\"", got, map);

	for (p = 0; map[p]; p++) {
		int kind = map[p] == '.' ? 0 : map[p] == '+' ? 3 :
			   isupper(map[p]) ? 1 : 2;

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
	if (f->s.pooled_bytes != bytes[3])
		return fail(f, "pooled 0x%lx bytes, \"%s\" has 0x%lx",
			    f->s.pooled_bytes, map, bytes[3]);
	if (kva_largest_free(&f->s) != largest)
		return fail(f, "largest free 0x%lx, expected 0x%lx",
			    kva_largest_free(&f->s), largest);
	if (kva_check(&f->s, why, sizeof(why)))
		return fail(f, "kva_check: %s", why);
	if (f->objects != f->s.nr_free + f->s.nr_busy + f->s.nr_lazy +
			  f->s.nr_pooled + (f->preload ? 1 : 0))
		return fail(f, "%lu area objects held, trees and preload account for %lu",
			    f->objects, f->s.nr_free + f->s.nr_busy +
			    f->s.nr_lazy + f->s.nr_pooled +
			    (f->preload ? 1 : 0));
	if (kvalab_shim_warnings != f->warnings)
		return fail(f, "the core warned");
	return true;
}

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

	/* The area is the test's now, whatever the checks below say. */
	if (!f->preload)
		f->preload = new_area(f);	/* the split took it */
	va->owner = (void *)&labels[st->label - 'A'];
	kva_busy_insert(&f->s, va);
	f->by_label[st->label - 'A'] = va;

	for (i = 0; i < KVA_NR_FIT; i++)
		if (f->s.fstats.fit[i] != before.fit[i] + !!(i == st->fit))
			return fail(f, "alloc at page %lu: fit counter %u moved wrongly (fit %d, expected %d)",
				    (va->va_start - f->base) / PAGE_SIZE, i,
				    fit, st->fit);
	if (fit != st->fit)
		return fail(f, "fit %d, expected %d", fit, st->fit);
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

static bool do_pool_purge(struct fixture *f, const struct step *st)
{
	unsigned long start, end, nr, pooled = f->s.nr_pooled;
	struct kva_area *va, *n;
	LIST_HEAD(out);

	nr = kva_lazy_take(&f->s, &out, &start, &end);
	if (start != f->base + P(st->lo) || end != f->base + P(st->hi))
		return fail(f, "lazy range 0x%lx-0x%lx, expected pages %lu-%lu",
			    start, end, st->lo, st->hi);
	list_for_each_entry_safe(va, n, &out, list) {
		list_del_init(&va->list);
		if (!kva_pool_fits(kva_size(va)))
			return fail(f, "a %lu-page area cannot be pooled",
				    kva_size(va) / PAGE_SIZE);
		kva_pool_insert(&f->s, va);
	}
	return f->s.nr_pooled == pooled + nr ||
	       fail(f, "%lu areas pooled, expected %lu", f->s.nr_pooled,
		    pooled + nr);
}

static bool do_pool_get(struct fixture *f, const struct step *st)
{
	unsigned long hits = f->s.pool_hits, misses = f->s.pool_misses;
	struct kva_area *va = kva_pool_get(&f->s, st->size);
	unsigned int i;

	if (!va)
		return (!st->count && f->s.pool_misses == misses + 1 &&
			f->s.pool_hits == hits) ||
		       fail(f, "pool get 0x%lx: none (hits %lu misses %lu)",
			    st->size, f->s.pool_hits, f->s.pool_misses);
	for (i = 0; i < 26; i++)
		if (f->by_label[i] == va)
			f->by_label[i] = NULL;
	va->owner = (void *)&labels[st->label - 'A'];
	kva_busy_insert(&f->s, va);
	f->by_label[st->label - 'A'] = va;
	if (!st->count)
		return fail(f, "pool get 0x%lx found one", st->size);
	if (kva_size(va) != st->size)
		return fail(f, "pool get 0x%lx returned 0x%lx bytes", st->size,
			    kva_size(va));
	return (f->s.pool_hits == hits + 1 && f->s.pool_misses == misses) ||
	       fail(f, "a hit counted hits %lu misses %lu", f->s.pool_hits,
		    f->s.pool_misses);
}

static bool do_decay(struct fixture *f, const struct step *st)
{
	unsigned long nr, listed = 0;
	struct kva_area *va, *n;
	enum merge_kind kind;
	LIST_HEAD(out);

	nr = kva_pool_take(&f->s, &out, st->all);
	list_for_each_entry_safe(va, n, &out, list) {
		list_del(&va->list);
		if (!free_one(f, va, &kind))
			return false;
		listed++;
	}
	if (nr != listed)
		return fail(f, "take said %lu areas, listed %lu", nr, listed);
	return nr == st->count ||
	       fail(f, "decay moved %lu areas, expected %lu", nr, st->count);
}

static bool do_switch(struct fixture *f, const struct step *st)
{
	int ret = kva_set_policy(&f->s, st->policy);

	if (ret || kva_policy_id(&f->s) != st->policy)
		return fail(f, "kva_set_policy(%s) returned %d, policy now %d",
			    kva_policy_names[st->policy], ret,
			    kva_policy_id(&f->s));
	return true;
}

/* The label of busy or lazy area @va, '-' for none, '?' if unknown. */
static char label_of(struct fixture *f, const struct kva_area *va)
{
	unsigned int i;

	if (!va)
		return '-';
	for (i = 0; i < 26; i++)
		if (f->by_label[i] == va)
			return labels[i];
	return '?';
}

static bool do_cached(struct fixture *f, const struct step *st)
{
	struct cached_hole_state *ch =
		KVA_PSTATE(&f->s, struct cached_hole_state);
	struct kva_area *want = st->label == '-' ? NULL :
				f->by_label[st->label - 'A'];

	if (kva_policy_id(&f->s) != KVA_POLICY_CACHED_HOLE)
		return fail(f, "CACHED step under %s",
			    kva_policy_names[kva_policy_id(&f->s)]);
	if (ch->cache != want)
		return fail(f, "cached area is %c, expected %c",
			    label_of(f, ch->cache), st->label);
	return true;
}

static bool do_rotor(struct fixture *f, const struct step *st)
{
	unsigned long rotor = KVA_PSTATE(&f->s, struct next_fit_state)->rotor;
	unsigned long page = rotor ? (rotor - f->base) / PAGE_SIZE : 0;

	if (kva_policy_id(&f->s) != KVA_POLICY_NEXT_FIT)
		return fail(f, "ROTOR step under %s",
			    kva_policy_names[kva_policy_id(&f->s)]);
	if (page != st->lo)
		return fail(f, "rotor at page %lu, expected %lu", page, st->lo);
	return true;
}

/* @todo: a known divergence; reported as TAP TODO, never a failure. */
static void report_todo(bool ok, const char *name, struct fixture *f,
			const char *todo)
{
	test_nr++;
	if (ok && !todo) {
		printf("ok %d - %s\n", test_nr, name);
		return;
	}
	if (ok) {
		printf("ok %d - %s # TODO %s\n", test_nr, name, todo);
		return;
	}
	if (todo) {
		printf("not ok %d - %s # TODO %s\n#   %s\n", test_nr, name,
		       todo, f->why);
		return;
	}
	failures++;
	printf("not ok %d - %s\n#   %s\n", test_nr, name, f->why);
}

static void report(bool ok, const char *name, struct fixture *f)
{
	report_todo(ok, name, f, NULL);
}

/* Run case @c under policy @policy (its own, or vmlist for a replay). */
static void run_case_as(const struct core_case *c, enum kva_policy_id policy,
			const char *name)
{
	struct fixture f;
	const struct step *st;
	bool ok;
	char initial[MAXP + 1];

	memset(initial, '.', c->pages);
	initial[c->pages] = '\0';
	if (verbose)
		printf("# %s\n", name);
	ok = setup(&f, c->base, c->pages);
	if (ok && policy != KVA_POLICY_LOWEST) {
		struct step sw = { .op = SWITCH, .policy = policy };

		ok = do_switch(&f, &sw);
	}
	f.s.search = c->search;
	ok = ok && check_state(&f, initial);

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
		case SWITCH:
			ok = do_switch(&f, st);
			break;
		case CACHED:
			ok = do_cached(&f, st);
			break;
		case ROTOR:
			ok = do_rotor(&f, st);
			break;
		case POOLP:
			ok = do_pool_purge(&f, st);
			break;
		case PGET:
			ok = do_pool_get(&f, st);
			break;
		case DECAY:
			ok = do_decay(&f, st);
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

	report_todo(ok, name, &f, c->todo);
	teardown(&f);
}

static void run_case(const struct core_case *c)
{
	char name[160];

	if (c->policy != KVA_POLICY_LOWEST)
		snprintf(name, sizeof(name), "%s: %s",
			 kva_policy_names[c->policy], c->name);
	else
		snprintf(name, sizeof(name), "%s", c->name);
	if (c->search != KVA_SEARCH_EXACT) {
		snprintf(name, sizeof(name), "%s search: %s",
			 kva_search_names[c->search], c->name);
		run_case_as(c, c->policy, name);
		return;	/* vmlist has no such search: no replay */
	}
	run_case_as(c, c->policy, name);
	/* vmlist places by the same rule as lowest: same steps, same maps. */
	if (c->policy == KVA_POLICY_LOWEST) {
		snprintf(name, sizeof(name), "vmlist replay: %s", c->name);
		run_case_as(c, KVA_POLICY_VMLIST, name);
	}
}

/* A case's name, base (0: BASE) and size in pages; the policy defaults to lowest. */
#define CASE(n, b, p)	.name = (n), .base = (b), .pages = (p)

/* Top of the address space: a 16-page slice whose end is the last page. */
#define TOP	(0UL - P(17))

static const struct core_case cases[] = {
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
	 * layout: D's hole [9, 10) is freed first and is the tree's root, B's
	 * hole [4, 8) is freed second and becomes its left child. A 4-page
	 * request aligned to 4 pages fits B exactly; padded compares the left
	 * subtree's maximum (4 pages) with 4 + 4 pages - 1 byte, never goes
	 * left, tries the root only and fails. Exact goes left and takes B.
	 */
	{ CASE("exact and aligned: the lowest aligned hole fits whole", 0, 16), .steps = {
		ALLOC('A', P(4), P(1), LE,	"AAAA............"),
		ALLOC('B', P(4), P(1), LE,	"AAAABBBB........"),
		ALLOC('C', P(1), P(1), LE,	"AAAABBBBC......."),
		ALLOC('D', P(1), P(1), LE,	"AAAABBBBCD......"),
		ALLOC('E', P(6), P(1), FL,	"AAAABBBBCDEEEEEE"),
		FREE('D', NONE,			"AAAABBBBC.EEEEEE"),
		FREE('B', NONE,			"AAAA....C.EEEEEE"),
		ALLOC('F', P(4), P(4), FL,	"AAAAFFFFC.EEEEEE"),
	} },
	{ CASE("exact and aligned: the lowest aligned hole fits whole", 0, 16),
	  .search = KVA_SEARCH_PADDED, .steps = {
		ALLOC('A', P(4), P(1), LE,	"AAAA............"),
		ALLOC('B', P(4), P(1), LE,	"AAAABBBB........"),
		ALLOC('C', P(1), P(1), LE,	"AAAABBBBC......."),
		ALLOC('D', P(1), P(1), LE,	"AAAABBBBCD......"),
		ALLOC('E', P(6), P(1), FL,	"AAAABBBBCDEEEEEE"),
		FREE('D', NONE,			"AAAABBBBC.EEEEEE"),
		FREE('B', NONE,			"AAAA....C.EEEEEE"),
		/* 4 pages free at an aligned start, and ENOMEM */
		ALLOC_FAIL(P(4), P(4), -ENOMEM,	"AAAA....C.EEEEEE"),
		/* 5.2 padded page-aligned requests too: 4 pages + 4095 bytes */
		ALLOC_FAIL(P(4), P(1), -ENOMEM,	"AAAA....C.EEEEEE"),
		/* 2 pages - 1 byte: the left subtree qualifies, B's hole */
		ALLOC('G', P(1), P(1), LE,	"AAAAG...C.EEEEEE"),
	} },
	/* The same one-page request, exact: the lowest hole, page 4. */
	{ CASE("exact and page aligned: the lowest hole, not the root", 0, 16), .steps = {
		ALLOC('A', P(4), P(1), LE,	"AAAA............"),
		ALLOC('B', P(4), P(1), LE,	"AAAABBBB........"),
		ALLOC('C', P(1), P(1), LE,	"AAAABBBBC......."),
		ALLOC('D', P(1), P(1), LE,	"AAAABBBBCD......"),
		ALLOC('E', P(6), P(1), FL,	"AAAABBBBCDEEEEEE"),
		FREE('D', NONE,			"AAAABBBBC.EEEEEE"),
		FREE('B', NONE,			"AAAA....C.EEEEEE"),
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

	/*
	 * Placement policies: hand-computed cases from layouts where the
	 * policies differ, each step's map derived from the rule of the
	 * source the policy follows (docs/policies.md).
	 */
	/*
	 * The layout of docs/policies.md: a contiguous fill (placed alike by
	 * every policy), six frees, and L, which only one hole can hold. Then
	 * the same 2-page request under each policy.
	 */
	{ CASE("doc layout (docs/policies.md): 2 pages", 0, 32),
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............................."),
		ALLOC('B', P(1), P(1), LE,	"AB.............................."),
		ALLOC('C', P(1), P(1), LE,	"ABC............................."),
		ALLOC('D', P(3), P(1), LE,	"ABCDDD.........................."),
		ALLOC('E', P(1), P(1), LE,	"ABCDDDE........................."),
		ALLOC('F', P(6), P(1), LE,	"ABCDDDEFFFFFF..................."),
		ALLOC('G', P(1), P(1), LE,	"ABCDDDEFFFFFFG.................."),
		ALLOC('H', P(4), P(1), LE,	"ABCDDDEFFFFFFGHHHH.............."),
		ALLOC('I', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHI............."),
		ALLOC('J', P(3), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJ.........."),
		ALLOC('K', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJK........."),
		ALLOC('M', P(2), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMM......."),
		ALLOC('N', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMMN......"),
		ALLOC('O', P(6), P(1), FL,	"ABCDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('B', NONE,		"A.CDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('D', NONE,		"A.C...EFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('F', NONE,		"A.C...E......GHHHHIJJJKMMNOOOOOO"),
		FREE('H', NONE,		"A.C...E......G....IJJJKMMNOOOOOO"),
		FREE('M', NONE,		"A.C...E......G....IJJJK..NOOOOOO"),
		FREE('J', NONE,		"A.C...E......G....I...K..NOOOOOO"),
		/* only the 6-page hole holds 6 pages */
		ALLOC('L', P(6), P(1), FL,	"A.C...ELLLLLLG....I...K..NOOOOOO"),
		/* lowest: the lowest hole that fits (a 3-page hole) */
		ALLOC('R', P(2), P(1), LE,	"A.CRR.ELLLLLLG....I...K..NOOOOOO"),
	} },
	{ CASE("doc layout (docs/policies.md): 2 pages", 0, 32),
	  .policy = KVA_POLICY_VMLIST,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............................."),
		ALLOC('B', P(1), P(1), LE,	"AB.............................."),
		ALLOC('C', P(1), P(1), LE,	"ABC............................."),
		ALLOC('D', P(3), P(1), LE,	"ABCDDD.........................."),
		ALLOC('E', P(1), P(1), LE,	"ABCDDDE........................."),
		ALLOC('F', P(6), P(1), LE,	"ABCDDDEFFFFFF..................."),
		ALLOC('G', P(1), P(1), LE,	"ABCDDDEFFFFFFG.................."),
		ALLOC('H', P(4), P(1), LE,	"ABCDDDEFFFFFFGHHHH.............."),
		ALLOC('I', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHI............."),
		ALLOC('J', P(3), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJ.........."),
		ALLOC('K', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJK........."),
		ALLOC('M', P(2), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMM......."),
		ALLOC('N', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMMN......"),
		ALLOC('O', P(6), P(1), FL,	"ABCDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('B', NONE,		"A.CDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('D', NONE,		"A.C...EFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('F', NONE,		"A.C...E......GHHHHIJJJKMMNOOOOOO"),
		FREE('H', NONE,		"A.C...E......G....IJJJKMMNOOOOOO"),
		FREE('M', NONE,		"A.C...E......G....IJJJK..NOOOOOO"),
		FREE('J', NONE,		"A.C...E......G....I...K..NOOOOOO"),
		/* only the 6-page hole holds 6 pages */
		ALLOC('L', P(6), P(1), FL,	"A.C...ELLLLLLG....I...K..NOOOOOO"),
		/* vmlist: the same place as lowest, found by walking the occupied list */
		ALLOC('R', P(2), P(1), LE,	"A.CRR.ELLLLLLG....I...K..NOOOOOO"),
	} },
	{ CASE("doc layout (docs/policies.md): 2 pages", 0, 32),
	  .policy = KVA_POLICY_CACHED_HOLE,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............................."),
		ALLOC('B', P(1), P(1), LE,	"AB.............................."),
		ALLOC('C', P(1), P(1), LE,	"ABC............................."),
		ALLOC('D', P(3), P(1), LE,	"ABCDDD.........................."),
		ALLOC('E', P(1), P(1), LE,	"ABCDDDE........................."),
		ALLOC('F', P(6), P(1), LE,	"ABCDDDEFFFFFF..................."),
		ALLOC('G', P(1), P(1), LE,	"ABCDDDEFFFFFFG.................."),
		ALLOC('H', P(4), P(1), LE,	"ABCDDDEFFFFFFGHHHH.............."),
		ALLOC('I', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHI............."),
		ALLOC('J', P(3), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJ.........."),
		ALLOC('K', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJK........."),
		ALLOC('M', P(2), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMM......."),
		ALLOC('N', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMMN......"),
		ALLOC('O', P(6), P(1), FL,	"ABCDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('B', NONE,		"A.CDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('D', NONE,		"A.C...EFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('F', NONE,		"A.C...E......GHHHHIJJJKMMNOOOOOO"),
		FREE('H', NONE,		"A.C...E......G....IJJJKMMNOOOOOO"),
		FREE('M', NONE,		"A.C...E......G....IJJJK..NOOOOOO"),
		FREE('J', NONE,		"A.C...E......G....I...K..NOOOOOO"),
		/* only the 6-page hole holds 6 pages */
		ALLOC('L', P(6), P(1), FL,	"A.C...ELLLLLLG....I...K..NOOOOOO"),
		/* cached-hole: 2 pages < cached_hole_size (3, noted by L's walk): reset, search from the bottom */
		ALLOC('R', P(2), P(1), LE,	"A.CRR.ELLLLLLG....I...K..NOOOOOO"),
	} },
	{ CASE("doc layout (docs/policies.md): 2 pages", 0, 32),
	  .policy = KVA_POLICY_NEXT_FIT,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............................."),
		ALLOC('B', P(1), P(1), LE,	"AB.............................."),
		ALLOC('C', P(1), P(1), LE,	"ABC............................."),
		ALLOC('D', P(3), P(1), LE,	"ABCDDD.........................."),
		ALLOC('E', P(1), P(1), LE,	"ABCDDDE........................."),
		ALLOC('F', P(6), P(1), LE,	"ABCDDDEFFFFFF..................."),
		ALLOC('G', P(1), P(1), LE,	"ABCDDDEFFFFFFG.................."),
		ALLOC('H', P(4), P(1), LE,	"ABCDDDEFFFFFFGHHHH.............."),
		ALLOC('I', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHI............."),
		ALLOC('J', P(3), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJ.........."),
		ALLOC('K', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJK........."),
		ALLOC('M', P(2), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMM......."),
		ALLOC('N', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMMN......"),
		ALLOC('O', P(6), P(1), FL,	"ABCDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('B', NONE,		"A.CDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('D', NONE,		"A.C...EFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('F', NONE,		"A.C...E......GHHHHIJJJKMMNOOOOOO"),
		FREE('H', NONE,		"A.C...E......G....IJJJKMMNOOOOOO"),
		FREE('M', NONE,		"A.C...E......G....IJJJK..NOOOOOO"),
		FREE('J', NONE,		"A.C...E......G....I...K..NOOOOOO"),
		/* only the 6-page hole holds 6 pages */
		ALLOC('L', P(6), P(1), FL,	"A.C...ELLLLLLG....I...K..NOOOOOO"),
		/* next-fit: the first fit at or after the rotor (page 13, the end of L) */
		ALLOC('R', P(2), P(1), LE,	"A.C...ELLLLLLGRR..I...K..NOOOOOO"),
	} },
	{ CASE("doc layout (docs/policies.md): 2 pages", 0, 32),
	  .policy = KVA_POLICY_BEST_FIT,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............................."),
		ALLOC('B', P(1), P(1), LE,	"AB.............................."),
		ALLOC('C', P(1), P(1), LE,	"ABC............................."),
		ALLOC('D', P(3), P(1), LE,	"ABCDDD.........................."),
		ALLOC('E', P(1), P(1), LE,	"ABCDDDE........................."),
		ALLOC('F', P(6), P(1), LE,	"ABCDDDEFFFFFF..................."),
		ALLOC('G', P(1), P(1), LE,	"ABCDDDEFFFFFFG.................."),
		ALLOC('H', P(4), P(1), LE,	"ABCDDDEFFFFFFGHHHH.............."),
		ALLOC('I', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHI............."),
		ALLOC('J', P(3), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJ.........."),
		ALLOC('K', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJK........."),
		ALLOC('M', P(2), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMM......."),
		ALLOC('N', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMMN......"),
		ALLOC('O', P(6), P(1), FL,	"ABCDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('B', NONE,		"A.CDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('D', NONE,		"A.C...EFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('F', NONE,		"A.C...E......GHHHHIJJJKMMNOOOOOO"),
		FREE('H', NONE,		"A.C...E......G....IJJJKMMNOOOOOO"),
		FREE('M', NONE,		"A.C...E......G....IJJJK..NOOOOOO"),
		FREE('J', NONE,		"A.C...E......G....I...K..NOOOOOO"),
		/* only the 6-page hole holds 6 pages */
		ALLOC('L', P(6), P(1), FL,	"A.C...ELLLLLLG....I...K..NOOOOOO"),
		/* best-fit: the smallest hole that fits (2 pages) */
		ALLOC('R', P(2), P(1), FL,	"A.C...ELLLLLLG....I...KRRNOOOOOO"),
	} },
	{ CASE("doc layout (docs/policies.md): 2 pages", 0, 32),
	  .policy = KVA_POLICY_INSTANT_FIT,
	  .steps = {
		ALLOC('A', P(1), P(1), LE,	"A..............................."),
		ALLOC('B', P(1), P(1), LE,	"AB.............................."),
		ALLOC('C', P(1), P(1), LE,	"ABC............................."),
		ALLOC('D', P(3), P(1), LE,	"ABCDDD.........................."),
		ALLOC('E', P(1), P(1), LE,	"ABCDDDE........................."),
		ALLOC('F', P(6), P(1), LE,	"ABCDDDEFFFFFF..................."),
		ALLOC('G', P(1), P(1), LE,	"ABCDDDEFFFFFFG.................."),
		ALLOC('H', P(4), P(1), LE,	"ABCDDDEFFFFFFGHHHH.............."),
		ALLOC('I', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHI............."),
		ALLOC('J', P(3), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJ.........."),
		ALLOC('K', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJK........."),
		ALLOC('M', P(2), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMM......."),
		ALLOC('N', P(1), P(1), LE,	"ABCDDDEFFFFFFGHHHHIJJJKMMN......"),
		ALLOC('O', P(6), P(1), FL,	"ABCDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('B', NONE,		"A.CDDDEFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('D', NONE,		"A.C...EFFFFFFGHHHHIJJJKMMNOOOOOO"),
		FREE('F', NONE,		"A.C...E......GHHHHIJJJKMMNOOOOOO"),
		FREE('H', NONE,		"A.C...E......G....IJJJKMMNOOOOOO"),
		FREE('M', NONE,		"A.C...E......G....IJJJK..NOOOOOO"),
		FREE('J', NONE,		"A.C...E......G....I...K..NOOOOOO"),
		/* only the 6-page hole holds 6 pages */
		ALLOC('L', P(6), P(1), FL,	"A.C...ELLLLLLG....I...K..NOOOOOO"),
		/* instant-fit: the head of class 1 ([2, 4) pages), the hole freed last */
		ALLOC('R', P(2), P(1), LE,	"A.C...ELLLLLLG....IRR.K..NOOOOOO"),
	} },
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
		free(va);
		f->objects--;
		return ret;
	}
	if (!f->preload)
		f->preload = new_area(f);
	va->owner = (void *)&labels[label - 'A'];
	kva_busy_insert(&f->s, va);
	f->by_label[label - 'A'] = va;
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
		free(va);
		f->objects--;
		return fail(f, "an unaligned or empty range was not EINVAL");
	}
	free(va);
	f->objects--;
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
				free(va);
				f->objects--;
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
	if (dir > 0)
		list_move(&A_(f, 'A')->occ, &A_(f, 'B')->occ);
	else
		list_move(&A_(f, 'B')->occ, &A_(f, 'A')->occ);
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

struct fn_test {
	const char *name;
	bool (*fn)(struct fixture *f);
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
	b->owner = (void *)&labels[1];
	kva_busy_insert(&f->s, b);
	f->by_label['B' - 'A'] = b;
	return check_state(f, "AABBBCC.........");
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

static const struct fn_test fn_tests[] = {
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
	{ "policy names: table ids, KVA_POLICY_NAMES_STR, exact lookup",
	  test_policy_names },
	{ "kva_set_policy refuses an unknown id and changes nothing",
	  test_set_policy_refuses_unknown },
	{ "the checker catches a broken pool: class counts, class sizes, tree counters",
	  test_pool_check_catches },
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
	for (i = 0; i < ARRAY_SIZE(pool_cases); i++) {
		enum kva_policy_id pol;

		for (pol = 0; pol < KVA_NR_POLICIES; pol++) {
			char name[160];

			snprintf(name, sizeof(name), "%s: %s",
				 kva_policy_names[pol], pool_cases[i].name);
			run_case_as(&pool_cases[i], pol, name);
		}
	}
	for (i = 0; i < ARRAY_SIZE(fn_tests); i++) {
		struct fixture f;
		bool ok = fn_tests[i].fn(&f);

		report(ok, fn_tests[i].name, &f);
		teardown(&f);
	}
	for (i = 0; i < ARRAY_SIZE(injections); i++)
		run_injection(&injections[i]);
	for (i = 0; i < ARRAY_SIZE(policy_injections); i++)
		run_injection_as(&policy_injections[i].inj,
				 policy_injections[i].policy);

	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
