// SPDX-License-Identifier: GPL-2.0
/*
 * kva_explain(), the dry run behind the "explain" control command: for
 * every placement policy, on random layouts (allocations at several
 * alignments, frees, lazy frees and purges), every allocation is preceded
 * by an explain of the same request, and
 *
 *   - the explain changes nothing: struct kva_space and every area object
 *     on the three lists are byte-for-byte what they were (policy state,
 *     counters, tree links and augmented values included), and kva_check()
 *     still passes;
 *   - its outcome is the allocation's: the same free area, the same start,
 *     the same split case, or nothing found exactly when kva_alloc() fails
 *     with -ENOMEM (the allocation itself is checked against the reference
 *     model by model.h's h_alloc());
 *   - its trace ends at the choice: the last step is a "this" decision on
 *     the chosen area (or the chosen address for the list walks), and for
 *     the policies whose cost unit is one step per area looked at
 *     (lowest, vmlist, best-fit) there are exactly as many steps on areas
 *     as the search counted.
 *
 * Bad arguments are refused with -EINVAL like kva_alloc(). TAP output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define SLICE_PAGES	384
#define OPS		1500
#define MAX_STEPS	8192

static int tests_run, failures;
static struct kva_explain_step steps[MAX_STEPS];
static struct kva_explain ex = { .steps = steps, .max = MAX_STEPS };

static void tap(bool ok, const char *name, const char *why)
{
	tests_run++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", tests_run, name);
	if (!ok) {
		printf("#   %s\n", why);
		failures++;
	}
}

/* Every area object on the three lists, in list order, copied whole. */
struct snapshot {
	struct kva_space s;
	struct kva_area *areas;
	struct kva_area **where;
	unsigned long nr;
};

static void snap_take(struct harness *h, struct snapshot *sn)
{
	struct list_head *heads[] = {
		&h->s.free_list, &h->s.busy_list, &h->s.lazy_list,
	};
	unsigned long cap = h->s.nr_free + h->s.nr_busy + h->s.nr_lazy;
	unsigned int i;

	sn->s = h->s;
	sn->areas = calloc(cap + 1, sizeof(*sn->areas));
	sn->where = calloc(cap + 1, sizeof(*sn->where));
	if (!sn->areas || !sn->where) {
		perror("calloc");
		exit(2);
	}
	sn->nr = 0;
	for (i = 0; i < 3; i++) {
		struct kva_area *va;

		list_for_each_entry(va, heads[i], list) {
			if (sn->nr < cap) {
				sn->areas[sn->nr] = *va;
				sn->where[sn->nr] = va;
			}
			sn->nr++;
		}
	}
}

/* NULL if @h is still exactly @sn, else what differs. */
static const char *snap_differs(struct harness *h, struct snapshot *sn)
{
	struct snapshot now;
	const char *bad = NULL;
	unsigned long i;

	if (memcmp(&sn->s, &h->s, sizeof(h->s)))
		return "struct kva_space changed (policy state, counters or roots)";
	snap_take(h, &now);
	if (now.nr != sn->nr)
		bad = "the number of areas changed";
	for (i = 0; !bad && i < now.nr; i++)
		if (now.where[i] != sn->where[i] ||
		    memcmp(&now.areas[i], &sn->areas[i], sizeof(now.areas[i])))
			bad = "an area object changed";
	free(now.areas);
	free(now.where);
	return bad;
}

static void snap_free(struct snapshot *sn)
{
	free(sn->areas);
	free(sn->where);
}

/* Steps that looked at an area (not the end of a list, a rotor, a class). */
static unsigned long steps_on_areas(void)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < ex.nr; i++)
		n += ex.steps[i].end != 0;
	return n;
}

/* The explain of the next request against what kva_alloc() then does. */
static bool explain_then_alloc(struct harness *h, unsigned long pages,
			       unsigned long align)
{
	const char *pol = kva_policy_names[h->m.policy];
	unsigned long allocs = h->allocs, enomem = h->enomem, fits;
	struct snapshot sn;
	const char *bad;
	char why[256];
	int ret;

	snap_take(h, &sn);
	ret = kva_explain(&h->s, pages * PAGE_SIZE, align, &ex);
	bad = snap_differs(h, &sn);
	snap_free(&sn);
	if (ret)
		return h_fail(h, "%s: explain %lu pages align 0x%lx returned %d",
			      pol, pages, align, ret);
	if (bad)
		return h_fail(h, "%s: explain %lu pages align 0x%lx: %s",
			      pol, pages, align, bad);
	if (kva_check(&h->s, why, sizeof(why)))
		return h_fail(h, "%s: after explain: %s", pol, why);
	if (ex.dropped)
		return h_fail(h, "%s: explain dropped %lu steps", pol, ex.dropped);

	if (ex.found) {
		const struct kva_explain_step *last = ex.nr ? &ex.steps[ex.nr - 1] : NULL;

		if (!last || last->go != KVA_GO_THIS)
			return h_fail(h, "%s: explain found an area but its last step is not 'this'",
				      pol);
		if (last->kind == KVA_EX_ENTRY ? last->a != ex.nva_start :
		    last->start != ex.area_start || last->end != ex.area_end)
			return h_fail(h, "%s: the last step is not on the chosen area", pol);
	}
	if ((h->m.policy == KVA_POLICY_LOWEST || h->m.policy == KVA_POLICY_VMLIST ||
	     h->m.policy == KVA_POLICY_BEST_FIT) &&
	    steps_on_areas() != ex.search_steps)
		return h_fail(h, "%s: %lu steps on areas recorded, the search counted %lu",
			      pol, steps_on_areas(), ex.search_steps);

	fits = h->fits[ex.fit];
	if (!h_alloc(h, pages, align))
		return false;
	if (h->allocs == allocs + 1) {
		struct kva_area *va = h->live[h->nr_live - 1];
		struct kva_area *fa;

		if (!ex.found)
			return h_fail(h, "%s: explain found nothing, the allocation got 0x%lx",
				      pol, va->va_start);
		if (va->va_start != ex.nva_start || h->fits[ex.fit] != fits + 1)
			return h_fail(h, "%s: explain chose 0x%lx (%s), the allocation got 0x%lx",
				      pol, ex.nva_start, kva_fit_names[ex.fit],
				      va->va_start);
		/* The split case, from the area left around the allocation. */
		fa = kva_free_find(&h->s, va->va_start - 1);
		if ((ex.fit == KVA_FL_FIT || ex.fit == KVA_LE_FIT) ?
		    ex.area_start != va->va_start :
		    !fa || fa->va_start != ex.area_start)
			return h_fail(h, "%s: split %s does not match area 0x%lx-0x%lx around 0x%lx",
				      pol, kva_fit_names[ex.fit], ex.area_start,
				      ex.area_end, va->va_start);
	} else if (h->enomem == enomem + 1) {
		if (ex.found)
			return h_fail(h, "%s: explain chose 0x%lx, the allocation failed",
				      pol, ex.nva_start);
	}
	return true;
}

static unsigned long rnd(unsigned int *seed, unsigned long n)
{
	return (unsigned long)rand_r(seed) % n;
}

static bool random_run(struct harness *h, enum kva_policy_id id,
		       unsigned int seed, unsigned long *explains)
{
	unsigned long op;

	if (!h_init(h, 0xffffc90000000000UL, SLICE_PAGES) ||
	    !h_set_policy(h, id))
		return false;
	for (op = 0; op < OPS; op++) {
		unsigned long r = rnd(&seed, 100);
		bool ok;

		if (r < 55 || !h->nr_live) {
			unsigned long pages = 1 + rnd(&seed, r < 10 ? 40 : 8);
			unsigned long align = PAGE_SIZE << rnd(&seed, 4);

			ok = explain_then_alloc(h, pages, align);
			(*explains)++;
		} else if (r < 80) {
			ok = h_free(h, rnd(&seed, h->nr_live));
		} else if (r < 97) {
			ok = h_lazy(h, rnd(&seed, h->nr_live));
		} else {
			ok = h_purge(h);
		}
		if (!ok)
			return false;
		if (op % 100 == 0 && !h_compare(h))
			return false;
	}
	return h_compare(h);
}

static void run_policy(enum kva_policy_id id)
{
	unsigned long explains = 0;
	unsigned int round;
	char name[160], why[600] = "";

	for (round = 0; round < 4 && !*why; round++) {
		struct harness h;

		if (!random_run(&h, id, 1000 + round * 7 + id, &explains))
			snprintf(why, sizeof(why), "seed %u: %s",
				 1000 + round * 7 + id, h.why);
		h_destroy(&h);
	}
	snprintf(name, sizeof(name),
		 "%s: %lu explains equal the next allocation and change nothing",
		 kva_policy_names[id], explains);
	tap(!*why, name, why);
}

/* Arguments kva_alloc() refuses: -EINVAL, nothing changed. */
static void run_bad_args(void)
{
	static const struct { unsigned long size, align; } bad[] = {
		{ 0, PAGE_SIZE }, { PAGE_SIZE + 1, PAGE_SIZE },
		{ PAGE_SIZE, PAGE_SIZE / 2 }, { PAGE_SIZE, 3 * PAGE_SIZE },
	};
	struct harness h;
	struct snapshot sn;
	char why[256] = "";
	unsigned int i;

	if (!h_init(&h, 0xffffc90000000000UL, 64) || !h_alloc(&h, 3, PAGE_SIZE)) {
		tap(false, "bad arguments refused", h.why);
		h_destroy(&h);
		return;
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]) && !*why; i++) {
		const char *diff;
		int ret;

		snap_take(&h, &sn);
		ret = kva_explain(&h.s, bad[i].size, bad[i].align, &ex);
		diff = snap_differs(&h, &sn);
		snap_free(&sn);
		if (ret != -EINVAL || ex.found || ex.nr || diff)
			snprintf(why, sizeof(why),
				 "size 0x%lx align 0x%lx: returned %d found %d steps %u%s%s",
				 bad[i].size, bad[i].align, ret, ex.found, ex.nr,
				 diff ? ": " : "", diff ? diff : "");
	}
	tap(!*why, "size 0, unaligned size, align below a page or not a power of two: -EINVAL, nothing changed",
	    why);
	h_destroy(&h);
}

/* A trace that does not fit the buffer is cut and counted, never overrun. */
static void run_small_buffer(void)
{
	struct kva_explain_step few[2];
	struct kva_explain small = { .steps = few, .max = 2 };
	struct harness h;
	char why[256] = "";
	unsigned long i;

	if (!h_init(&h, 0xffffc90000000000UL, 256) || !h_set_policy(&h, KVA_POLICY_VMLIST)) {
		tap(false, "a short step buffer", h.why);
		h_destroy(&h);
		return;
	}
	for (i = 0; i < 20 && !*h.why; i++)
		h_alloc(&h, 1, PAGE_SIZE);
	if (kva_explain(&h.s, PAGE_SIZE, PAGE_SIZE, &small) || !small.found ||
	    small.nr != 2 || small.nr + small.dropped != small.search_steps + 1)
		snprintf(why, sizeof(why), "found %d nr %u dropped %lu search_steps %lu",
			 small.found, small.nr, small.dropped, small.search_steps);
	tap(!*why, "a short step buffer: 2 steps kept, the rest (20 entries and the end of the list) counted as dropped", why);
	h_destroy(&h);
}

int main(void)
{
	int id;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (id = 0; id < KVA_NR_POLICIES; id++)
		run_policy(id);
	run_bad_args();
	run_small_buffer();
	printf("1..%d\n", tests_run);
	return failures ? 1 : 0;
}
