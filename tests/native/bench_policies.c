// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of one allocation + free pair under a placement policy, in steady
 * state at N live areas: the native half of `make bench` (scripts/bench.sh,
 * docs/policies.md). It drives the core directly (no model, no checker).
 *
 *   bench_policies -p POLICY -n LIVE [-m PAIRS] [-w WARMUP] [-s SEED]
 *
 * 1. Fill: a fixed-seed trace of vmalloc-like requests (sizes: 80% 1-4
 *    pages, 18% 5-64, 2% 65-1024; alignment: 90% one page, 10% 2-16 pages)
 *    with a free after one allocation in four, until LIVE areas are busy.
 *    Victims: half the time one of the 32 most recent areas (short-lived
 *    buffers), else any live area (long-lived mappings).
 * 2. Warm-up: WARMUP pairs (allocate one, free one victim) under POLICY.
 * 3. Measure: PAIRS more pairs, each allocation in bench_alloc() and each
 *    free in bench_free(), which do nothing but call kva_alloc() and
 *    kva_free_insert(). Under callgrind with --toggle-collect on those two
 *    functions, instructions are counted there only: the free-space side
 *    of a pair, placement search and index upkeep included; not the trace
 *    generation, the busy tree (kva_busy_insert()/unlink, the same for
 *    every policy) or object allocation. The callgrind client requests
 *    turn instrumentation on for the measured loop only, so the fill and
 *    warm-up run at native speed (--instr-atstart=no).
 *
 * vmlist and cached-hole walk a list of every occupied area (O(n) per
 * allocation by design): filling a large slice under them would take
 * hours, so they fill under lowest (vmlist's placement is the same as
 * lowest's, so its slice is exactly the one it would build itself) and then
 * switch; the other policies fill under their own rule.
 *
 * Prints one JSON object on stdout: the parameters, what the slice looks
 * like at the end, and the policy's search_steps per measured pair.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include <kvalab/core.h>
#include <kvalab/policy.h>

/* A slice base aligned to 1 TiB, as in the tests. */
#define BASE		0xffffc90000000000UL
#define RECENT		32

#include "rng.h"

static unsigned long pick_pages(void)
{
	unsigned long r = rnd_below(100);

	if (r < 80)
		return 1 + rnd_below(4);
	if (r < 98)
		return 5 + rnd_below(60);
	return 65 + rnd_below(960);
}

static unsigned long pick_align(void)
{
	return rnd_below(10) ? PAGE_SIZE : PAGE_SIZE << (1 + rnd_below(4));
}

struct bench {
	struct kva_space s;
	struct kva_area **live;		/* busy areas; newest at the end */
	unsigned long nr_live, max_live;
	struct kva_area *preload;
	unsigned long enomem;
};

static struct kva_area *new_area(void)
{
	struct kva_area *va = calloc(1, sizeof(*va));

	if (!va) {
		perror("calloc");
		exit(2);
	}
	return va;
}

static void release(struct list_head *unused)
{
	struct kva_area *va, *n;

	list_for_each_entry_safe(va, n, unused, list) {
		list_del(&va->list);
		free(va);
	}
}

/*
 * The measured calls: nothing but the core's own work. Never inlined, so
 * that callgrind's --toggle-collect finds them by name (the tools headers'
 * noinline is empty, hence the attribute spelled out).
 */
#define BENCH_NOINLINE __attribute__((__noinline__))

static BENCH_NOINLINE int bench_alloc(struct kva_space *s, struct kva_area *va,
				      unsigned long size, unsigned long align,
				      struct kva_area **preload,
				      struct list_head *unused)
{
	return kva_alloc(s, va, size, align, preload, unused, NULL);
}

static BENCH_NOINLINE struct kva_area *bench_free(struct kva_space *s,
						  struct kva_area *va,
						  struct list_head *unused)
{
	return kva_free_insert(s, va, unused);
}

static void alloc_one(struct bench *b, bool measured)
{
	unsigned long size = pick_pages() * PAGE_SIZE, align = pick_align();
	struct kva_area *va = new_area();
	LIST_HEAD(unused);
	int ret;

	if (!b->preload)
		b->preload = new_area();
	if (measured)
		ret = bench_alloc(&b->s, va, size, align, &b->preload, &unused);
	else
		ret = kva_alloc(&b->s, va, size, align, &b->preload, &unused,
				NULL);
	release(&unused);
	if (ret) {
		if (ret != -ENOMEM) {
			fprintf(stderr, "kva_alloc: %d\n", ret);
			exit(1);
		}
		free(va);
		b->enomem++;
		return;
	}
	kva_busy_insert(&b->s, va);
	if (b->nr_live == b->max_live) {
		fprintf(stderr, "more live areas than planned\n");
		exit(1);
	}
	b->live[b->nr_live++] = va;
}

static void free_one(struct bench *b, bool measured)
{
	unsigned long i;
	struct kva_area *va;
	LIST_HEAD(unused);

	if (!b->nr_live)
		return;
	if (rnd_below(2) && b->nr_live > RECENT)
		i = b->nr_live - 1 - rnd_below(RECENT);
	else
		i = rnd_below(b->nr_live);
	va = b->live[i];
	b->live[i] = b->live[--b->nr_live];
	kva_busy_unlink(&b->s, va);
	if (!(measured ? bench_free(&b->s, va, &unused) :
			 kva_free_insert(&b->s, va, &unused))) {
		fprintf(stderr, "kva_free_insert refused an area\n");
		exit(1);
	}
	release(&unused);
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s -p POLICY -n LIVE [-m PAIRS] [-w WARMUP] [-s SEED]\n"
		"  POLICY: %s\n", argv0, KVA_POLICY_NAMES_STR);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long live = 0, pairs = 2000, warmup = 0, seed = 1, i;
	unsigned long pages, steps, fills = 0;
	enum kva_policy_id fill_policy;
	struct bench b = { 0 };
	char why[256];
	int policy = -1, opt;

	while ((opt = getopt(argc, argv, "p:n:m:w:s:")) != -1) {
		switch (opt) {
		case 'p':
			policy = kva_policy_by_name(optarg, strlen(optarg));
			if (policy < 0) {
				fprintf(stderr, "unknown policy \"%s\"\n", optarg);
				usage(argv[0]);
			}
			break;
		case 'n':
			live = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			pairs = strtoul(optarg, NULL, 0);
			break;
		case 'w':
			warmup = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (policy < 0 || !live || !pairs)
		usage(argv[0]);

	/*
	 * 64 pages of slice per live area: the trace's mean request is
	 * about 19 pages, so the slice never runs out and every policy
	 * measures placement rather than exhaustion.
	 */
	pages = live * 64 < 4096 ? 4096 : live * 64;
	rng_state = seed;
	b.max_live = live + 1;
	b.live = calloc(b.max_live, sizeof(*b.live));
	if (!b.live || kva_space_init(&b.s, BASE, BASE + pages * PAGE_SIZE,
				      new_area())) {
		fprintf(stderr, "setup failed\n");
		return 2;
	}

	fill_policy = policy == KVA_POLICY_VMLIST ||
		      policy == KVA_POLICY_CACHED_HOLE ?
		      KVA_POLICY_LOWEST : (enum kva_policy_id)policy;
	kva_set_policy(&b.s, fill_policy);
	while (b.nr_live < live) {
		alloc_one(&b, false);
		if (!rnd_below(4) && b.nr_live < live)
			free_one(&b, false);
		fills++;
	}
	if (fill_policy != (enum kva_policy_id)policy)
		kva_set_policy(&b.s, policy);

	for (i = 0; i < warmup; i++) {
		alloc_one(&b, false);
		free_one(&b, false);
	}

	steps = b.s.fstats.search_steps;
	CALLGRIND_START_INSTRUMENTATION;
	for (i = 0; i < pairs; i++) {
		alloc_one(&b, true);
		free_one(&b, true);
	}
	CALLGRIND_STOP_INSTRUMENTATION;
	steps = b.s.fstats.search_steps - steps;

	if (kva_check(&b.s, why, sizeof(why))) {
		fprintf(stderr, "kva_check: %s\n", why);
		return 1;
	}

	printf("{\"policy\": \"%s\", \"live\": %lu, \"pairs\": %lu, \"warmup\": %lu, "
	       "\"seed\": %lu, \"fill_policy\": \"%s\", \"fill_allocs\": %lu, "
	       "\"slice_pages\": %lu, \"nr_busy\": %lu, \"nr_free\": %lu, "
	       "\"largest_free_pages\": %lu, \"enomem\": %lu, "
	       "\"search_steps_per_pair\": %.2f}\n",
	       kva_policy_names[policy], live, pairs, warmup, seed,
	       kva_policy_names[fill_policy], fills, pages, b.s.nr_busy,
	       b.s.nr_free, kva_largest_free(&b.s) / PAGE_SIZE, b.enomem,
	       (double)steps / pairs);
	return 0;
}
