/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency histograms in log2 buckets (module/latency.c): the workload
 * suite's per-operation alloc and free times, and every lazy purge's
 * duration, areas and pages.
 *
 * Bucket b holds the values v with fls64(v) == b: bucket 0 is v = 0,
 * bucket 1 is v = 1, bucket b > 0 is [2^(b-1), 2^b - 1]; the last bucket
 * also takes everything larger. A percentile is the upper bound of the
 * bucket holding its nearest rank, clamped to the largest value seen, so
 * p50 <= p99 <= p99.9 <= max always holds and no percentile exceeds max.
 */
#ifndef _KVALAB_MODULE_LATENCY_H
#define _KVALAB_MODULE_LATENCY_H

#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/types.h>

struct kvalab;

/* 2^47 ns is 39 hours: the last bucket is never a real op's. */
#define KVALAB_LAT_BUCKETS	48

struct kvalab_lat_hist {
	u64 count[KVALAB_LAT_BUCKETS];
	u64 n;
	u64 max;
};

static inline unsigned int kvalab_lat_bucket(u64 v)
{
	return min_t(unsigned int, fls64(v), KVALAB_LAT_BUCKETS - 1);
}

/* Add one value; the caller owns @h (no locking here). */
static inline void kvalab_lat_add(struct kvalab_lat_hist *h, u64 v)
{
	h->count[kvalab_lat_bucket(v)]++;
	h->n++;
	if (v > h->max)
		h->max = v;
}

void kvalab_lat_merge(struct kvalab_lat_hist *dst,
		      const struct kvalab_lat_hist *src);
/* The value at @per_10000 / 10000 (nearest rank); 0 when empty. */
u64 kvalab_lat_percentile(const struct kvalab_lat_hist *h,
			  unsigned int per_10000);

/* Every purge of the slice: its duration (ns), areas and pages. */
struct kvalab_purge_lat {
	struct kvalab_lat_hist ns;
	struct kvalab_lat_hist areas;
	struct kvalab_lat_hist pages;
};

/* Record one purge; the caller holds kv->purge_mutex. */
void kvalab_purge_lat_record(struct kvalab *kv, u64 ns, unsigned long areas,
			     unsigned long pages);
/*
 * Copy the purges recorded so far to @out and start over (takes
 * kv->purge_mutex, so it sleeps): the workload controller calls it
 * before and after each unit, so a unit's copy holds its purges only.
 */
void kvalab_purge_lat_take(struct kvalab *kv, struct kvalab_purge_lat *out);

/* Cost of one local_clock() call in ns, averaged over @n calls. */
u64 kvalab_clock_cost_ns(unsigned int n);

#endif /* _KVALAB_MODULE_LATENCY_H */
