// SPDX-License-Identifier: GPL-2.0
/*
 * Latency histograms (see latency.h). The purge histogram is one for the
 * module's single slice, guarded by that slice's purge_mutex: purges run
 * one at a time under it anyway, so recording costs a few adds and no
 * atomics or per-CPU data are needed.
 */
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/string.h>

#include "kvalab.h"
#include "latency.h"

static struct kvalab_purge_lat kvalab_purge_lat;

void kvalab_lat_merge(struct kvalab_lat_hist *dst,
		      const struct kvalab_lat_hist *src)
{
	unsigned int b;

	for (b = 0; b < KVALAB_LAT_BUCKETS; b++)
		dst->count[b] += src->count[b];
	dst->n += src->n;
	if (src->max > dst->max)
		dst->max = src->max;
}

u64 kvalab_lat_percentile(const struct kvalab_lat_hist *h,
			  unsigned int per_10000)
{
	u64 rank, seen = 0, upper;
	unsigned int b;

	if (!h->n)
		return 0;
	/* Nearest rank: ceil(n * q), at least 1. */
	rank = div_u64(h->n * per_10000 + 9999, 10000);
	if (!rank)
		rank = 1;
	for (b = 0; b < KVALAB_LAT_BUCKETS; b++) {
		seen += h->count[b];
		if (seen >= rank)
			break;
	}
	if (b >= KVALAB_LAT_BUCKETS - 1)
		return h->max;
	upper = b ? (1ULL << b) - 1 : 0;
	return min(upper, h->max);
}

void kvalab_purge_lat_record(struct kvalab *kv, u64 ns, unsigned long areas,
			     unsigned long pages)
{
	lockdep_assert_held(&kv->purge_mutex);
	kvalab_lat_add(&kvalab_purge_lat.ns, ns);
	kvalab_lat_add(&kvalab_purge_lat.areas, areas);
	kvalab_lat_add(&kvalab_purge_lat.pages, pages);
}

void kvalab_purge_lat_take(struct kvalab *kv, struct kvalab_purge_lat *out)
{
	mutex_lock(&kv->purge_mutex);
	if (out)
		*out = kvalab_purge_lat;
	memset(&kvalab_purge_lat, 0, sizeof(kvalab_purge_lat));
	mutex_unlock(&kv->purge_mutex);
}

u64 kvalab_clock_cost_ns(unsigned int n)
{
	u64 t0, t1;
	unsigned int i;

	if (!n)
		return 0;
	/* An out-of-line call with side effects: never optimised away. */
	t0 = local_clock();
	for (i = 0; i < n; i++)
		local_clock();
	t1 = local_clock();
	return div_u64(t1 - t0, n);
}
