// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the sim's entry point (userspace-tools/sim_engine.c):
 * any bytes are a trace; a refused one must come back as NULL with a
 * "NAME:LINE: reason" or "NAME: reason" message, an accepted one is run
 * under two policies and both search modes on a 1 MiB slice (so most
 * traces run it out) with a small threshold and the pool lever on the
 * odd runs, and every run must end with the checker clean. The same bytes
 * also make a whatif layout (up to 16 ranges, some unpurged, in 1 MiB) and
 * request, tried under every policy and both searches: a fit lies in the
 * range at its alignment, and with the exact search and page alignment a
 * request fits exactly when the largest free area holds it, before the
 * purge and after. ASan and UBSan catch the rest (tests/native/sim.mk).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../userspace-tools/sim_engine.h"

#define W_BASE	0xffffc90000000000UL
#define W_SPAN	(1UL << 20)
#define W_PAGE	4096UL

static void check_fit(const struct sim_fit *f, unsigned long size,
		      unsigned long align, int search)
{
	if (f->fits && (f->addr < W_BASE || f->addr + size > W_BASE + W_SPAN ||
			f->addr % align))
		abort();
	if (search == 0 && align == W_PAGE &&
	    f->fits != (f->largest_free >= size))
		abort();
}

static void whatif_case(const uint8_t *d, size_t n)
{
	struct sim_range r[16];
	struct sim_fit now, purged;
	unsigned long at = W_BASE, size, align;
	size_t i, nr = 0;
	char err[256];
	int pol, se;

	if (n < 2)
		return;
	for (i = 2; i + 2 < n && nr < 16; i += 3) {
		unsigned long start = at + (d[i] % 8) * W_PAGE;
		unsigned long end = start + (d[i + 1] % 16 + 1) * W_PAGE;

		if (end > W_BASE + W_SPAN)
			break;
		r[nr].start = start;
		r[nr].end = end;
		r[nr++].lazy = d[i + 2] & 1;
		at = end;
	}
	size = (d[0] % 64 + 1) * W_PAGE;
	align = W_PAGE << (d[1] % 4);
	for (pol = 0; pol < sim_nr_policies(); pol++) {
		for (se = 0; se < sim_nr_search(); se++) {
			if (sim_whatif(W_BASE, W_BASE + W_SPAN, r, nr, pol, se,
				       size, align, &now, &purged, err,
				       sizeof(err)))
				abort();	/* a valid layout is never refused */
			check_fit(&now, size, align, se);
			check_fit(&purged, size, align, se);
			/* The purge only adds free space. */
			if (purged.free_bytes < now.free_bytes)
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const pols[] = { "lowest", "next-fit" };
	struct sim_summary sum;
	struct sim_trace *t;
	char err[512];
	unsigned int i;

	whatif_case(data, size);
	t = sim_trace_load("fuzz", (const char *)data, size, err, sizeof(err));
	if (!t) {
		if (strncmp(err, "fuzz:", 5))
			abort();	/* every refusal names the trace */
		return 0;
	}
	for (i = 0; i < 4; i++) {
		struct sim_params p = {
			.policy = sim_policy_by_name(pols[i & 1]),
			.search = (int)(i >> 1),
			.slice_size = 1UL << 20,
			.lazy_max_pages = 16,
			.samples = 4,
			.va_pools = i & 1,
		};

		if (sim_run(t, &p, NULL, &sum, err, sizeof(err)))
			continue;	/* refused (peaks above the slice) */
		if (!sum.check_ok)
			abort();
		if (sum.allocs_ok + sum.enomem + sum.errors >
		    sum.ops)
			abort();
	}
	sim_trace_free(t);
	return 0;
}
