// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the sim's entry point (userspace-tools/sim_engine.c):
 * any bytes are a trace; a refused one must come back as NULL with a
 * "NAME:LINE: reason" or "NAME: reason" message, an accepted one is run
 * under two policies and both search modes on a 1 MiB slice (so most
 * traces run it out) with a small threshold and the pool lever on the
 * odd runs, and every run must end with the checker clean. ASan and UBSan
 * catch the rest (tests/native/sim.mk).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../userspace-tools/sim_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const pols[] = { "lowest", "next-fit" };
	struct sim_summary sum;
	struct sim_trace *t;
	char err[512];
	unsigned int i;

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
