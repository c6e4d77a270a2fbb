// SPDX-License-Identifier: GPL-2.0
/*
 * The fixture of the allocator core's unit tests: setting a slice up, the
 * steps of a case, the check after each, and TAP (core_fixture.h).
 */
#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kvalab/policy_state.h>

#include "core_fixture.h"

bool verbose;
static int test_nr;
static int failures;

static const char labels[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

bool fail(struct fixture *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	return false;
}

struct kva_area *new_area(struct fixture *f)
{
	struct kva_area *va = calloc(1, sizeof(*va));

	if (!va)
		abort();
	f->objects++;
	return va;
}

void drop_area(struct fixture *f, struct kva_area *va)
{
	free(va);
	f->objects--;
}

void release(struct fixture *f, struct list_head *unused)
{
	struct kva_area *va, *n;

	list_for_each_entry_safe(va, n, unused, list) {
		list_del(&va->list);
		drop_area(f, va);
	}
}

bool setup(struct fixture *f, unsigned long base, unsigned long pages)
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

void teardown(struct fixture *f)
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

void hold(struct fixture *f, struct kva_area *va, char label)
{
	va->owner = (void *)&labels[label - 'A'];
	kva_busy_insert(&f->s, va);
	f->by_label[label - 'A'] = va;
}

void keep_alloc(struct fixture *f, struct kva_area *va, char label)
{
	if (!f->preload)
		f->preload = new_area(f);	/* the split took it */
	hold(f, va, label);
}

/* Forget the label of @va, an area that is no longer busy or lazy. */
static void forget(struct fixture *f, const struct kva_area *va)
{
	unsigned int i;

	for (i = 0; i < 26; i++)
		if (f->by_label[i] == va)
			f->by_label[i] = NULL;
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
 * Areas are runs of one character in a drawing, except pooled ones ('+'),
 * which are never merged: only their bytes are checked here, their number
 * by the steps.
 */
bool check_state(struct fixture *f, const char *map)
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

bool alloc_label(struct fixture *f, char label, unsigned long pages)
{
	struct kva_area *va = new_area(f);
	enum kva_fit_type fit;
	LIST_HEAD(unused);

	if (kva_alloc(&f->s, va, P(pages), P(1), &f->preload, &unused, &fit))
		return fail(f, "alloc of %lu pages failed", pages);
	release(f, &unused);
	keep_alloc(f, va, label);
	return true;
}

bool three_areas(struct fixture *f)
{
	return setup(f, 0, 16) && alloc_label(f, 'A', 2) &&
	       alloc_label(f, 'B', 3) && alloc_label(f, 'C', 2) &&
	       check_state(f, "AABBBCC.........");
}

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
		drop_area(f, va);
		return fail(f, "alloc 0x%lx align 0x%lx returned %d, expected %d",
			    st->size, st->align, ret, st->ret);
	}
	if (ret) {
		drop_area(f, va);
		/* Only "nothing fits" is counted, as a NOTHING fit. */
		if (f->s.fstats.fit[KVA_NOTHING_FIT] !=
		    before.fit[KVA_NOTHING_FIT] + (ret == -ENOMEM))
			return fail(f, "failed alloc counted wrongly");
		return fit == KVA_NOTHING_FIT ||
		       fail(f, "failed alloc reported fit %d", fit);
	}

	/* The area is the test's now, whatever the checks below say. */
	keep_alloc(f, va, st->label);

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

/*
 * Free the areas taken off the lazy list or out of the pool onto @out,
 * each as one free_one(); @nr is how many the take said it moved.
 */
static bool free_taken(struct fixture *f, struct list_head *out,
		       unsigned long nr)
{
	unsigned long listed = 0;
	struct kva_area *va, *n;
	enum merge_kind kind;

	list_for_each_entry_safe(va, n, out, list) {
		forget(f, va);
		list_del(&va->list);
		if (!free_one(f, va, &kind))
			return false;
		listed++;
	}
	return listed == nr ||
	       fail(f, "take said %lu areas, listed %lu", nr, listed);
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
	unsigned long start, end, nr, lo, hi;
	LIST_HEAD(out);

	nr = kva_lazy_take(&f->s, &out, &start, &end);
	lo = st->lo == st->hi ? 0 : f->base + P(st->lo);
	hi = st->lo == st->hi ? 0 : f->base + P(st->hi);
	if (start != lo || end != hi)
		return fail(f, "lazy range 0x%lx-0x%lx, expected 0x%lx-0x%lx",
			    start, end, lo, hi);
	return free_taken(f, &out, nr);
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

	if (!va)
		return (!st->count && f->s.pool_misses == misses + 1 &&
			f->s.pool_hits == hits) ||
		       fail(f, "pool get 0x%lx: none (hits %lu misses %lu)",
			    st->size, f->s.pool_hits, f->s.pool_misses);
	forget(f, va);
	hold(f, va, st->label);
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
	unsigned long nr;
	LIST_HEAD(out);

	nr = kva_pool_take(&f->s, &out, st->all);
	if (!free_taken(f, &out, nr))
		return false;
	return nr == st->count ||
	       fail(f, "decay moved %lu areas, expected %lu", nr, st->count);
}

bool do_switch(struct fixture *f, const struct step *st)
{
	int ret = kva_set_policy(&f->s, st->policy);

	if (ret || kva_policy_id(&f->s) != st->policy)
		return fail(f, "kva_set_policy(%s) returned %d, policy now %d",
			    kva_policy_names[st->policy], ret,
			    kva_policy_id(&f->s));
	return true;
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

void report(bool ok, const char *name, struct fixture *f)
{
	report_todo(ok, name, f, NULL);
}

/* What each step op does; the map is checked after it. */
static bool (*const step_fns[])(struct fixture *f, const struct step *st) = {
	[ALLOC] = do_alloc, [FREE] = do_free, [LAZY] = do_lazy,
	[PURGE] = do_purge, [SWITCH] = do_switch, [CACHED] = do_cached,
	[ROTOR] = do_rotor, [POOLP] = do_pool_purge, [PGET] = do_pool_get,
	[DECAY] = do_decay,
};

static bool do_step(struct fixture *f, const struct step *st)
{
	if ((unsigned int)st->op >= ARRAY_SIZE(step_fns) || !step_fns[st->op])
		return fail(f, "bad step");
	return step_fns[st->op](f, st);
}

void run_case_as(const struct core_case *c, enum kva_policy_id policy,
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
		ok = do_step(&f, st);
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

void run_case(const struct core_case *c)
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

void run_cases(const struct core_case *c, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		run_case(&c[i]);
}

void run_fn_tests(const struct fn_test *t, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct fixture f;
		bool ok = t[i].fn(&f);

		report(ok, t[i].name, &f);
		teardown(&f);
	}
}

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

void tc_start(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "v")) != -1) {
		if (opt != 'v') {
			fprintf(stderr, "usage: %s [-v]\n", argv[0]);
			exit(2);
		}
		verbose = true;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	alarm(60);
}

int tc_done(void)
{
	printf("1..%d\n", test_nr);
	return failures ? 1 : 0;
}
