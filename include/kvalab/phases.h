/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The phases of an allocation and a free that the breakdown counters time
 * (module/breakdown.h, the `breakdown` debugfs file, `kvalab run
 * --breakdown`). Shared by the module and the CLI.
 */
#ifndef _KVALAB_PHASES_H
#define _KVALAB_PHASES_H

enum kvalab_phase {
	KVALAB_PH_OBJECTS,	/* area record, area object and preload */
	KVALAB_PH_PAGES,	/* backing pages */
	KVALAB_PH_VA,		/* VA search and clip, free_lock included */
	KVALAB_PH_MAP,		/* apply_to_page_range() */
	KVALAB_PH_INSERT,	/* id and busy-tree insert */
	KVALAB_PH_VBLOCK,	/* a piece of a per-CPU vmap block */
	KVALAB_PH_LOOKUP,	/* free: busy-tree lookup and unlink */
	KVALAB_PH_UNMAP,	/* PTE clearing */
	KVALAB_PH_FREE_PAGES,	/* backing pages and the record freed */
	KVALAB_PH_LAZY,		/* lazy-list insert */
	KVALAB_PH_FLUSH,	/* TLB flush of a purge */
	KVALAB_PH_MERGE,	/* a purge's merges into the free tree */
	KVALAB_PH_STATE,	/* waiting for state_sem (down_read) */
	KVALAB_NR_PHASES
};

static const char *const kvalab_phase_names[KVALAB_NR_PHASES] = {
	[KVALAB_PH_OBJECTS]	= "objects",
	[KVALAB_PH_PAGES]	= "pages",
	[KVALAB_PH_VA]		= "va",
	[KVALAB_PH_MAP]		= "map",
	[KVALAB_PH_INSERT]	= "insert",
	[KVALAB_PH_VBLOCK]	= "vblock",
	[KVALAB_PH_LOOKUP]	= "lookup",
	[KVALAB_PH_UNMAP]	= "unmap",
	[KVALAB_PH_FREE_PAGES]	= "free_pages",
	[KVALAB_PH_LAZY]	= "lazy",
	[KVALAB_PH_FLUSH]	= "flush",
	[KVALAB_PH_MERGE]	= "merge",
	[KVALAB_PH_STATE]	= "state_sem",
};

#endif /* _KVALAB_PHASES_H */
