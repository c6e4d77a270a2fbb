// SPDX-License-Identifier: GPL-2.0
/*
 * Randomized differential test of the allocator core against the page-array
 * model in model.h: allocations of random size and alignment, frees, lazy
 * frees and purges in random phases of filling and draining, and random
 * lookups. Every address, fit type and merge kind must equal the model's;
 * kva_check() and a full state comparison run every -c operations and at
 * the end.
 *
 *   test_random [-s SEED] [-n OPS] [-c CHECK_EVERY]
 *
 * The ops are shared among slice geometries (one TAP line each). Output is
 * TAP; the seed is printed so that a failure can be replayed.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "model.h"

struct geometry {
	const char *name;
	unsigned long base;
	unsigned long nr_pages;
	unsigned int per_mille;		/* share of the -n operations */
	unsigned int max_align_shift;	/* beyond PAGE_SHIFT */
};

static const struct geometry geometries[] = {
	{ "4096 pages at a 1 TiB aligned base",
	  0xffffc90000000000UL, 4096, 700, 16 },
	{ "64 pages at an odd page, mostly exhausted",
	  0xffffc90000003000UL, 64, 100, 8 },
	{ "1025 pages ending at the last page of the address space",
	  0UL - 1026 * PAGE_SIZE, 1025, 100, 51 },
	{ "1024 pages, alignments up to 2^63",
	  0xffffe8fffff00000UL, 1024, 100, 51 },
};

#include "rng.h"

static unsigned long pick_pages(const struct geometry *g)
{
	unsigned long r = rnd_below(100);

	if (r < 70)
		return 1 + rnd_below(4);
	if (r < 95)
		return 1 + rnd_below(64);
	if (r < 99)
		return 1 + rnd_below(g->nr_pages);
	return g->nr_pages + 1 + rnd_below(4);	/* larger than the slice */
}

static unsigned long pick_align(const struct geometry *g)
{
	unsigned long r = rnd_below(100);

	if (r < 75)
		return PAGE_SIZE;
	if (r < 95)
		return PAGE_SIZE << rnd_below(7);
	return PAGE_SIZE << rnd_below(g->max_align_shift + 1);
}

/*
 * One random operation; fill and drain phases skew the mix. With @switching,
 * about one operation in 2,000 switches to a random placement policy.
 */
static bool step(struct harness *h, const struct geometry *g, bool filling,
		 bool switching)
{
	unsigned long r = rnd_below(100);
	unsigned long alloc_share = filling ? 65 : 30;

	if (switching && !rnd_below(2000)) {
		h->switches++;
		return h_set_policy(h, rnd_below(KVA_NR_POLICIES));
	}

	/* The kernel purges once lazy pages pass a threshold; so do we. */
	if (h->s.lazy_bytes / PAGE_SIZE > g->nr_pages / 4)
		return h_purge(h);

	if (r >= 97)	/* lookups a little outside the slice too */
		return h_probe(h, g->base - PAGE_SIZE +
			       rnd_below((g->nr_pages + 2) * PAGE_SIZE));
	if (r >= 94)
		return h_purge(h);
	if (!h->nr_live || r < alloc_share)
		return h_alloc(h, pick_pages(g), pick_align(g));
	if (r < alloc_share + (94 - alloc_share) * 6 / 10)
		return h_free(h, rnd_below(h->nr_live));
	return h_lazy(h, rnd_below(h->nr_live));
}

/* A search that never ends is a failure too. */
static void on_alarm(int sig)
{
	static const char msg[] = "Bail out! no progress for 300 s\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * @policy: the placement policy for the whole run, or -1 to start under
 * lowest and switch at random (step()).
 */
static bool run_geometry(const struct geometry *g, int policy,
			 unsigned long ops, unsigned long check_every, int nr,
			 double *secs, unsigned long *done)
{
	unsigned long i, phase_left = 0;
	bool filling = true, ok;
	struct harness h;
	double t0 = now();
	char name[160];

	snprintf(name, sizeof(name), "%s: %s", policy < 0 ? "policy switches" :
		 kva_policy_names[policy], g->name);
	ok = h_init(&h, g->base, g->nr_pages) &&
	     h_set_policy(&h, policy < 0 ? KVA_POLICY_LOWEST : policy) &&
	     h_compare(&h);
	for (i = 0; ok && i < ops; i++) {
		if (!phase_left) {
			filling = !filling;
			phase_left = 1 + rnd_below(4 * g->nr_pages);
		}
		phase_left--;
		ok = step(&h, g, filling, policy < 0);
		if (!(i & 0xffff))
			alarm(300);
		if (ok && (i + 1) % check_every == 0)
			ok = h_compare(&h);
	}
	/* Drain: purge, free everything, and expect the one whole area. */
	while (ok && h.nr_live)
		ok = h_free(&h, 0);
	if (ok)
		ok = h_purge(&h) && h_compare(&h);
	if (ok && (h.s.nr_free != 1 ||
		   kva_largest_free(&h.s) != g->nr_pages * PAGE_SIZE))
		ok = h_fail(&h, "after freeing everything: %lu free areas, largest 0x%lx",
			    h.s.nr_free, kva_largest_free(&h.s));
	*secs += now() - t0;
	*done += i;

	if (ok)
		printf("ok %d - %s: %lu ops match the model (alloc %lu, ENOMEM %lu, FL/LE/RE/NE %lu/%lu/%lu/%lu, free %lu, lazy %lu, purge %lu, lookup %lu, switch %lu; merge none/prev/next/both %lu/%lu/%lu/%lu; search steps %lu)\n",
		       nr, name, ops, h.allocs, h.enomem,
		       h.fits[KVA_FL_FIT], h.fits[KVA_LE_FIT],
		       h.fits[KVA_RE_FIT], h.fits[KVA_NE_FIT], h.frees,
		       h.lazies, h.purges, h.probes, h.switches,
		       h.merges[MERGE_NONE], h.merges[MERGE_PREV],
		       h.merges[MERGE_NEXT], h.merges[MERGE_BOTH],
		       h.s.fstats.search_steps);
	else
		printf("not ok %d - %s: after op %lu: %s\n", nr, name, i,
		       h.why);
	h_destroy(&h);
	return ok;
}

/*
 * The core alone, for a throughput figure: the first geometry's slice, a
 * vmalloc-like mix (mostly small, page aligned), objects recycled through a
 * free list instead of malloc, no model. Only kva_check() at the end.
 */
static bool run_core_only(unsigned long ops, int nr, double *rate)
{
	const unsigned long nr_pages = 1UL << 16, base = 0xffffc90000000000UL;
	unsigned long i, nr_live = 0, nr_objs = 2 * nr_pages + 2;
	struct kva_area *objs = calloc(nr_objs, sizeof(*objs));
	struct kva_area **live = calloc(nr_pages, sizeof(*live));
	struct kva_area *preload = NULL, *va;
	LIST_HEAD(spare);
	struct kva_space s;
	char why[256] = "";
	double t0;
	bool ok;

	if (!objs || !live) {
		perror("calloc");
		exit(2);
	}
	for (i = 1; i < nr_objs; i++)
		list_add(&objs[i].list, &spare);
	kva_space_init(&s, base, base + nr_pages * PAGE_SIZE, &objs[0]);

	t0 = now();
	for (i = 0; i < ops; i++) {
		unsigned long r = rnd_below(100);

		if (nr_live && (r < 45 || nr_live == nr_pages)) {
			unsigned long k = rnd_below(nr_live);

			va = live[k];
			live[k] = live[--nr_live];
			kva_busy_unlink(&s, va);
			kva_free_insert(&s, va, &spare);
			continue;
		}
		if (!preload) {
			preload = list_first_entry(&spare, struct kva_area, list);
			list_del(&preload->list);
		}
		va = list_first_entry(&spare, struct kva_area, list);
		list_del(&va->list);
		if (kva_alloc(&s, va, (1 + rnd_below(r < 90 ? 4 : 64)) * PAGE_SIZE,
			      r < 95 ? PAGE_SIZE : PAGE_SIZE << rnd_below(8),
			      &preload, &spare, NULL)) {
			list_add(&va->list, &spare);
			continue;
		}
		kva_busy_insert(&s, va);
		live[nr_live++] = va;
	}
	*rate = ops / (now() - t0);

	ok = !kva_check(&s, why, sizeof(why)) && s.nr_busy == nr_live;
	printf("%s %d - core alone: %lu ops (alloc/free, %lu busy at the end) leave a consistent space%s%s\n",
	       ok ? "ok" : "not ok", nr, ops, nr_live, *why ? ": " : "", why);
	free(live);
	free(objs);
	return ok;
}

int main(int argc, char **argv)
{
	unsigned long ops = 1000000, check_every = 1000, total = 0;
	unsigned long pol_ops = 0, pol_check = 1;
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	int nr, i, p, opt, failed = 0;
	double secs = 0, rate;

	while ((opt = getopt(argc, argv, "s:n:c:p:C:h")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			ops = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			check_every = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			pol_ops = strtoul(optarg, NULL, 0);
			break;
		case 'C':
			pol_check = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n OPS] [-c CHECK_EVERY] [-p POLICY_OPS] [-C POLICY_CHECK_EVERY]\n",
				argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!check_every)
		check_every = 1;
	if (!pol_check)
		pol_check = 1;
	if (!pol_ops)
		pol_ops = ops / 10;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	printf("# test_random -s %llu -n %lu -c %lu -p %lu -C %lu\n",
	       (unsigned long long)seed, ops, check_every, pol_ops, pol_check);
	rng_state = seed;
	nr = 0;
	/* lowest with the full -n; every other policy, then switching, -p. */
	for (p = -1; p < KVA_NR_POLICIES; p++) {
		int policy = p < 0 ? KVA_POLICY_LOWEST :
			     p == KVA_POLICY_LOWEST ? -1 : p;
		unsigned long base = p < 0 ? ops : pol_ops;
		unsigned long every = p < 0 ? check_every : pol_check;

		for (i = 0; i < (int)ARRAY_SIZE(geometries); i++) {
			unsigned long n = base * geometries[i].per_mille / 1000;

			failed += !run_geometry(&geometries[i], policy, n, every,
						++nr, &secs, &total);
		}
	}
	printf("# %lu ops in %.2f s: %.0f ops/s (model and checks included)\n",
	       total, secs, secs > 0 ? total / secs : 0.0);
	failed += !run_core_only(ops, ++nr, &rate);
	printf("# core alone: %.0f ops/s\n", rate);
	printf("1..%d\n", nr);
	return failed ? 1 : 0;
}
