/* SPDX-License-Identifier: GPL-2.0 */
/*
 * splitmix64: small, fast, and the same sequence on every machine, so that
 * a seed printed by a test (or a bench's fixed seed) replays exactly.
 * Shared by test_random.c and bench_policies.c.
 */
#ifndef _KVALAB_TEST_RNG_H
#define _KVALAB_TEST_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform enough below @n; 0 for n == 0. */
static inline unsigned long rnd_below(unsigned long n)
{
	return n ? rnd() % n : 0;
}

#endif /* _KVALAB_TEST_RNG_H */
