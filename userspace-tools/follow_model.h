/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvalab follow's model of the running kernel's vmalloc (follow_model.c):
 * the kernel's vmalloc range in a sim build of kvalab's core, started from
 * a /proc/vmallocinfo layout and moved by the kernel's own events, as the
 * kernel moved.
 *
 * For each alloc_vmap_area event in the modelled range the model first
 * says where mm/vmalloc.c would place it from the state it holds (the
 * per-node pool of 6.9+ for the allocating CPU, else the lowest match of
 * the free tree, padded for an alignment above a page as the kernel pads),
 * then takes the kernel's own address, whatever it predicted: one miss
 * never cascades. A miss is attributed to a cause (enum fm_miss). Frees go
 * to the lazy tree with the node of the CPU that allocated them; a purge
 * decays every node's pools by a quarter (all, without repopulating, after
 * a failed attempt), then pools each purged area of up to 256 pages on its
 * node, newest first, and merges the rest into the free tree.
 *
 * Besides, every placement policy runs the same stream of requests on its
 * own space from the same layout (sizes, alignments, frees by the kernel's
 * address, purges when the kernel purged), for the live figures of "this
 * kernel's traffic under policy X".
 *
 * Compiled with the sim (shim/, the kernel's tools/include).
 */
#ifndef KVALAB_FOLLOW_MODEL_H
#define KVALAB_FOLLOW_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "tracefs_event.h"

/* mm/vmalloc.c MAX_VA_SIZE_PAGES: the largest pooled area, in pages. */
#define FM_POOL_PAGES		256

enum fm_miss {
	FM_MISS_FAILED,		/* one side failed, the other did not */
	FM_MISS_STALE,		/* placed over areas the model still held */
	FM_MISS_LAYOUT_POOL,	/* over the layout's lazy areas it pooled */
	FM_MISS_POOL_OTHER,	/* a pooled area, not the one predicted */
	FM_MISS_POOL_MISSING,	/* the model's pool had one, the kernel's not */
	FM_MISS_POOL_BEFORE,	/* VA the kernel pooled before the follow */
	FM_MISS_HIDDEN,		/* above the lowest fit: space held unseen */
	FM_MISS_OTHER,
	FM_NR_MISS
};

extern const char *const fm_miss_names[FM_NR_MISS];
extern const char *const fm_miss_help[FM_NR_MISS];

struct fm_config {
	/* The kernel's VMALLOC_START and VMALLOC_END, as the events give them. */
	unsigned long vstart, vend;
	unsigned int nodes;	/* nr_vmap_nodes: possible CPUs, 1..128 */
	bool pools;		/* 6.9+: per-node pools of purged VA */
	/*
	 * decay_va_pool_node() as 6.9 merged it: a size class of fewer than
	 * four areas decays whole at every purge (its n_decay of 0 wraps);
	 * later kernels keep it (n_decay 0: none).
	 */
	bool decay_all_small;
	bool policies;		/* also run every placement policy */
};

/* One range of the starting layout (vmallocinfo); @lazy: unpurged. */
struct fm_range {
	unsigned long start, end;
	bool lazy;
};

/* One miss, as recorded for the report (the first FM_MAX_MISSES). */
struct fm_miss_rec {
	unsigned long long ns;
	unsigned long event;	/* index among the events given */
	unsigned long size, align, kernel, predicted;
	long cpu;
	bool predicted_pool, predicted_fail;
	enum fm_miss cause;
};

#define FM_MAX_MISSES	64

struct fm_stats {
	unsigned long events, allocs, modelled, agreed, outside;
	unsigned long kernel_failed, in_layout;
	unsigned long pool_predicted, pool_agreed;
	unsigned long miss[FM_NR_MISS];
	unsigned long frees, unknown_frees, double_frees, purges;
	unsigned long purge_mismatch, evicted, lost_lines, lost_events;
	unsigned long outside_frees, hidden_gaps;
	unsigned long layout_areas, layout_lazy;
	unsigned long nr_recs;
	struct fm_miss_rec recs[FM_MAX_MISSES];
};

/* The figures of one space: the kernel's model (-1) or a policy's. */
struct fm_figures {
	unsigned long live, used, lazy, pooled, free_bytes, largest_free;
	unsigned long nr_free, ext_frag_e4, enomem;
};

struct follow_model;

/*
 * A model of [c->vstart, c->vend) holding @layout (address order, inside
 * the range, no overlap). NULL with @err on a bad range or layout.
 */
struct follow_model *fm_new(const struct fm_config *c,
			    const struct fm_range *layout, size_t nr,
			    char *err, size_t errlen);
/*
 * The events so far may predate the layout (a live follow enables the
 * events before it reads vmallocinfo): an alloc of a range the model holds
 * busy as it is, or a free of one it holds lazy, was seen in the layout and
 * is skipped. After fm_settle() both are the model's error (stale state).
 */
void fm_settle(struct follow_model *m);
/* One event: the model moves as the kernel moved. */
void fm_event(struct follow_model *m, const struct tfs_event *ev);
const struct fm_stats *fm_stats(const struct follow_model *m);
/* @policy -1: the kernel's model; else a policy's space (if c->policies). */
void fm_figures(struct follow_model *m, int policy, struct fm_figures *out);
void fm_free(struct follow_model *m);

/* What occupies a range of a space, for the maps. */
enum fm_kind { FM_KIND_BUSY, FM_KIND_LAZY, FM_KIND_POOLED };
typedef void (*fm_walk_fn)(void *arg, unsigned long start,
			   unsigned long end, enum fm_kind kind);
/*
 * Every occupied range of a space (@policy as for fm_figures()), in no
 * particular order: busy, lazy, and pooled (the kernel model's pools and
 * the gaps it takes as pooled before the follow; a policy's pool lever).
 */
void fm_walk(struct follow_model *m, int policy, fm_walk_fn fn, void *arg);

#endif
