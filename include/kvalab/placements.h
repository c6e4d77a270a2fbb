/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The placement digest of a replay run, one definition for the module
 * (module/replay.c, `placements=`) and the sim (userspace-tools/
 * sim_engine.c): FNV-1a 64 over one little-endian u64 per allocation op in
 * trace order, the slice offset the allocation got or its negative errno.
 * Two runs placed everything alike exactly when their digests are equal
 * (docs/sim.md).
 */
#ifndef _KVALAB_PLACEMENTS_H
#define _KVALAB_PLACEMENTS_H

#define KVA_FNV_OFFSET	0xcbf29ce484222325ULL
#define KVA_FNV_PRIME	0x100000001b3ULL

/* @h with one placement @v (an offset, or a negative errno) mixed in. */
static inline unsigned long long kva_place_mix(unsigned long long h,
					       long long v)
{
	unsigned int i;

	for (i = 0; i < 8; i++)
		h = (h ^ (((unsigned long long)v >> (8 * i)) & 0xff)) *
		    KVA_FNV_PRIME;
	return h;
}

#endif
