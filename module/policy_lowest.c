// SPDX-License-Identifier: GPL-2.0
/*
 * lowest: mm/vmalloc.c's placement since v5.2 (commit 68ad4a330433,
 * "mm/vmalloc.c: keep track of free blocks for vmap allocation"): the
 * lowest address of the slice where the request fits, found by descending
 * the augmented free tree (find_vmap_lowest_match()), O(log n). It needs no
 * index beyond the core's own tree, so it has no hooks and no check rule,
 * and its find() is the core's own search, kva_lowest_find() (core.c).
 *
 * kvalab searches for the exact size at every alignment and backtracks
 * (see find_lowest_match() in core.c); mainline searched size + align - 1
 * from v5.2 until 2021 and again, for aligned requests, from 2022, and can
 * miss a lower aligned fit (docs/policies.md). The v5.2 form is the space's
 * KVA_SEARCH_PADDED mode (<kvalab/search.h>).
 */
#include <kvalab/policy.h>

const struct kva_policy kva_policy_lowest = {
	.id = KVA_POLICY_LOWEST,
	.find = kva_lowest_find,
};
