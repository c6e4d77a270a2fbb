/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sim's engine (sim_engine.c): module/replay.c's VA-only replay run on
 * module/core.c, the placement policies and the pool lever compiled into
 * the CLI unchanged. Plain C on this side: the rest of the CLI never sees
 * the kernel-shaped types.
 *
 * A trace is loaded once (parsed, ops kept compactly as the module keeps
 * them) and can then be run any number of times, from any number of
 * threads at once: a run owns everything it touches.
 *
 * A run writes the lines the module's replay_results listing would hold
 * for it ("result policy=..." and its "sample" lines, the same keys in the
 * same order; docs/debugfs.md), so every reader of that listing (the
 * replay table, JSON and CSV, the scenarios) reads the sim's too. What the
 * sim cannot share with the kernel is time: ns= and the purge_ns_ figures
 * are the sim's own.
 */
#ifndef _KVALAB_SIM_ENGINE_H
#define _KVALAB_SIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sim_trace;

/* What a loaded trace is: the module's "trace:" line, plus a digest. */
struct sim_trace_info {
	unsigned long nr_ops, nr_alloc, nr_free, nr_purge, nr_ids;
	unsigned long slice_size;	/* the header's */
	unsigned long peak_live;	/* bytes, guard pages included */
	unsigned long text_bytes;
	char source[64];		/* "-" if none */
	uint64_t digest;		/* FNV-1a 64 of the text */
};

/*
 * Parse @text (@len bytes; @name for messages). NULL on a refused trace,
 * with "NAME:LINE: reason" in @err (the module's reasons; a header-less
 * trace is "NAME: empty trace: no header line").
 */
struct sim_trace *sim_trace_load(const char *name, const char *text,
				 size_t len, char *err, size_t errlen);
void sim_trace_free(struct sim_trace *t);
void sim_trace_info(const struct sim_trace *t, struct sim_trace_info *info);

/* One run's settings; zero-initialised means the module's defaults. */
struct sim_params {
	int policy;			/* index in kva_policy_names */
	int search;			/* index in kva_search_names */
	unsigned long slice_size;	/* bytes; 0: the trace's */
	/* The purge threshold in pages; 0: sim_default_lazy_max(). */
	unsigned long lazy_max_pages;
	/*
	 * The slice start's alignment (its lowest set bit), a power of two
	 * of at least a page; 0: what the module guarantees, 2 MiB or the
	 * slice size rounded down to a power of two (module/pgtable.c).
	 */
	unsigned long base_align;
	unsigned int samples;		/* 0: 100, as the module */
	bool va_pools;			/* the pool lever (module/vapool.c) */
	/* Every allocation's placement, one line each, or NULL. */
	FILE *log;
};

/*
 * The module's default threshold for a slice of @slice_pages pages on
 * @cpus CPUs: fls(cpus) * 32 MiB of pages, at most an eighth of the slice,
 * at least one page (module/main.c).
 */
unsigned long sim_default_lazy_max(unsigned long slice_pages, unsigned int cpus);

/* What a run found, beyond its listing lines. */
struct sim_summary {
	unsigned long ops, allocs_ok, enomem, errors, first_fail_line;
	unsigned long first_fail_op;	/* 1-based op index; 0: none failed */
	unsigned long peak_used, purge_n;
	unsigned long ext_frag_peak_e4;	/* the largest over the samples */
	uint64_t placements;		/* the placement digest */
	uint64_t ns;
	bool check_ok;
};

/*
 * Run @t once with @p. Writes the listing lines to @out (may be NULL) and
 * fills @sum. Returns 0, or -1 with a reason in @err when the run cannot
 * start (the module's refusals: the trace peaks above the slice, the
 * threshold is above the slice, an unknown policy).
 */
int sim_run(const struct sim_trace *t, const struct sim_params *p,
	    FILE *out, struct sim_summary *sum, char *err, size_t errlen);

/*
 * whatif (sim_whatif.c): a real layout and one request.
 *
 * @ranges (@nr, sorted by start, disjoint, page aligned, inside [start,
 * end)) are the occupied areas of a /proc/vmallocinfo, their guard pages
 * included; @lazy ones are its "unpurged vm_area" lines (freed, not yet
 * purged: still in the way, as on the kernel's lazy list). The layout is
 * rebuilt in [start, end), @policy is attached to it (its search state
 * built from the trees, as after a switch), and a request of @size bytes
 * (the span searched: the kernel's "vmap allocation for size N" counts
 * the guard page) aligned to @align is tried twice: as the layout is
 * (@now), and after the lazy areas are purged into the free space
 * (@purged), what the kernel does before it gives up.
 */
struct sim_range {
	unsigned long start, end;
	bool lazy;
};

struct sim_fit {
	bool fits;
	unsigned long addr;		/* where it went, when it fits */
	unsigned long largest_free;	/* before the request */
	unsigned long free_bytes, nr_free;
};

int sim_whatif(unsigned long start, unsigned long end,
	       const struct sim_range *ranges, size_t nr, int policy,
	       int search, unsigned long size, unsigned long align,
	       struct sim_fit *now, struct sim_fit *purged,
	       char *err, size_t errlen);

/* The policy and search names (the module's tables), for the CLI. */
int sim_nr_policies(void);
const char *sim_policy_name(int i);
int sim_policy_by_name(const char *name);
int sim_nr_search(void);
const char *sim_search_name(int i);
int sim_search_by_name(const char *name);

#endif
