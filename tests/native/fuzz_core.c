// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the input is a slice geometry and a sequence of
 * operations on it; after every operation the core must agree with the
 * model in model.h (addresses, fit types, merge kinds, lookups, counters,
 * kva_check()). Any disagreement aborts with the reason.
 *
 * Input: byte 0 picks the slice (1..64 pages; the two high bits pick a base
 * alignment, including a slice at the top of the address space). Then two
 * bytes per operation: op (low 3 bits: which; high 5 bits: alignment) and
 * arg (size, index or address). Op 6 with high bits 24..31 switches the
 * placement policy to arg modulo their number, so every policy (and every
 * switch between two, with busy and lazy areas live) meets the model.
 */
#include <stdint.h>

#include "model.h"

static const unsigned long bases[] = {
	0xffffc90000000000UL,		/* 1 TiB aligned */
	0xffffc90000001000UL,		/* odd page */
	0UL - 65 * PAGE_SIZE,		/* filled from the top downwards */
	0xffffe8fffff10000UL,		/* 64 KiB aligned */
};

static void fail(struct harness *h, const char *what)
{
	fprintf(stderr, "fuzz_core: %s: %s\n", what, h->why);
	abort();
}

/* Alignment from the op byte's high 5 bits, up to 2^63. */
static unsigned long op_align(uint8_t op)
{
	unsigned int shift = op >> 3;

	if (shift >= 24)
		shift = 24 + (shift - 24) * 4;
	if (shift > 63 - PAGE_SHIFT)
		shift = 63 - PAGE_SHIFT;
	return PAGE_SIZE << shift;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long nr_pages, base;
	struct harness h;
	size_t i;
	bool ok;

	if (size < 1)
		return 0;
	nr_pages = 1 + (data[0] & 63);
	base = bases[data[0] >> 6];
	if (data[0] >> 6 == 2)
		base = 0UL - (nr_pages + 1) * PAGE_SIZE;

	if (!h_init(&h, base, nr_pages))
		fail(&h, "init");

	for (i = 1; i + 1 < size; i += 2) {
		uint8_t op = data[i], arg = data[i + 1];

		switch (op & 7) {
		case 0:
		case 1:
		case 2:
			ok = h_alloc(&h, 1 + (arg & 15), op_align(op));
			break;
		case 3:
			ok = h.nr_live ? h_free(&h, arg % h.nr_live) : true;
			break;
		case 4:
			ok = h.nr_live ? h_lazy(&h, arg % h.nr_live) : true;
			break;
		case 5:
			ok = h_purge(&h);
			break;
		case 6:
			/* One op byte in four of this kind switches policy. */
			if ((op >> 3) >= 24)
				ok = h_set_policy(&h, arg % KVA_NR_POLICIES);
			else
				ok = h_probe(&h, base - PAGE_SIZE +
					     arg * (PAGE_SIZE / 2) + (op >> 3));
			break;
		default:
			ok = h_alloc(&h, 1 + arg % (nr_pages + 2), PAGE_SIZE);
			break;
		}
		if (!ok || !h_compare(&h))
			fail(&h, "op");
	}

	while (h.nr_live)
		if (!h_free(&h, 0))
			fail(&h, "final free");
	if (!h_purge(&h) || !h_compare(&h))
		fail(&h, "final purge");
	if (h.s.nr_free != 1 ||
	    kva_largest_free(&h.s) != nr_pages * PAGE_SIZE)
		fail(&h, "not one whole free area at the end");

	h_destroy(&h);
	return 0;
}
