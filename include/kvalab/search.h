/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lowest-match descent's length rule (struct kva_space.search, the
 * control command `replay start search=`), shared by the core, the command
 * parser and the CLI.
 *
 * KVA_SEARCH_EXACT: a subtree is entered when its largest area is at least
 * the request's size, and the search backtracks through the parents when
 * alignment makes every area there miss: the lowest aligned fit, always
 * (kvalab's default; mm/vmalloc.c's search from commit 9f531973dff3,
 * "mm/vmalloc: do not adjust the search size for alignment overhead",
 * 2021, until 9333fe98d0a6, "mm/vmalloc: add adjust_search_size
 * parameter", 2022, padded aligned requests again unless the range is
 * exactly the request's size).
 *
 * KVA_SEARCH_PADDED: the length compared is size + align - 1 for every
 * request, page-aligned ones too, as from v5.2 (commit 68ad4a330433) until
 * 9f531973dff3: a subtree whose areas fit the
 * request only exactly, or only at an aligned start inside them, is never
 * entered, so a request can fail (or land higher) while a free area holds
 * it. Nodes on the path are still tried exactly. Kept to reproduce that
 * failure (docs/scenarios.md, aligned-search).
 */
#ifndef _KVALAB_SEARCH_H
#define _KVALAB_SEARCH_H

enum kva_search_mode {
	KVA_SEARCH_EXACT = 0,
	KVA_SEARCH_PADDED,
	KVA_NR_SEARCH,
};

/* The modes' names in commands and listings. */
static const char *const kva_search_names[KVA_NR_SEARCH] = {
	[KVA_SEARCH_EXACT]	= "exact",
	[KVA_SEARCH_PADDED]	= "padded",
};

#define KVA_SEARCH_NAMES_STR	"exact, padded"

#endif /* _KVALAB_SEARCH_H */
