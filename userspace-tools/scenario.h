/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvalab scenario: reproductions of real reported vmalloc problems
 * (docs/scenarios.md). The trace generators (scenario_gen.c) are pure
 * functions of their parameters and a seed, so the native tests
 * (tests/native/test_scenario.c) check the very traces the CLI replays.
 */
#ifndef KVALAB_SCENARIO_H
#define KVALAB_SCENARIO_H

#include <stdbool.h>

#include "trace_write.h"

/* The scenarios, in --list order; names are what `kvalab scenario` takes. */
enum scn_id {
	SCN_MODULES_AREA,
	SCN_ALIGNED_SEARCH,
	SCN_LAZY_PURGE,
	SCN_NR,
};

struct scn_desc {
	const char *name;
	const char *summary;
	const char *source;	/* the report or commit it reproduces */
};

extern const struct scn_desc scn_table[SCN_NR];

/* modules-area: the modules area of 32-bit ARM (MODULES_VADDR..END). */
#define SCN_MODULES_AREA_SIZE	(16UL << 20)

struct scn_modules_opts {
	unsigned long slice_size;	/* the loaded slice, >= 16M */
	unsigned long seed;
	unsigned long ops;		/* operations after the filler */
};

/*
 * Which ids the generator used for what, for the CLI's report: the
 * filler (the slice beyond the 16 MiB area, if any) has id 0 then.
 */
struct scn_modules_info {
	bool has_filler;
	unsigned long filler_size;	/* bytes, noguard */
	unsigned long module_allocs, bpf_allocs, frees;
	unsigned long peak_live;	/* bytes with guards, filler excluded */
};

int scn_gen_modules_area(struct trace_buf *tb,
			 const struct scn_modules_opts *o,
			 struct scn_modules_info *info);

/* aligned-search: the request and the hole that fits it exactly. */
#define SCN_ALIGN		(256UL << 10)
#define SCN_REQ_SIZE		(2 * SCN_ALIGN)
/* Holes of one alignment unit freed before the exact one. */
#define SCN_SMALL_HOLES		8

struct scn_aligned_info {
	unsigned long size, align;	/* the last op's request */
	unsigned long length;		/* what the padded search compares */
	unsigned long holes;		/* free areas smaller than size */
	unsigned long layout_bytes;	/* the layout's span after the probe */
};

int scn_gen_aligned_search(struct trace_buf *tb, unsigned long slice_size,
			   struct scn_aligned_info *info);

/* lazy-purge: short-lived small areas, no purge points in the trace. */
struct scn_lazy_opts {
	unsigned long seed;
	unsigned long ops;		/* about this many operations */
	unsigned long batch;		/* areas live at once */
};

struct scn_lazy_info {
	unsigned long allocs, frees, freed_pages;	/* pages with guards */
	unsigned long peak_live;	/* bytes with guards */
};

int scn_gen_lazy_purge(struct trace_buf *tb, const struct scn_lazy_opts *o,
		       struct scn_lazy_info *info);

#endif /* KVALAB_SCENARIO_H */
