// SPDX-License-Identifier: GPL-2.0
/*
 * The workload suite's statistics: each finished unit folded into its case's
 * and backend's result (samples, their median, p99, min and max, latency
 * histograms, purges, phase counters), a case's status once every repeat
 * ran, and the figures the listings derive from a result (test_vmalloc's
 * avg, the ratios of medians). The controller records under the suite's
 * lock; wl_results.c prints from a copy.
 */

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "../kvalab.h"
#include "wl.h"

/* Free the sample arrays of a results table and forget them. */
void wl_free_results(struct wl_result res[][KVALAB_NR_BACKENDS])
{
	unsigned int i, b;

	for (i = 0; i < KVALAB_NR_WORKLOAD_BITS; i++) {
		for (b = 0; b < KVALAB_NR_BACKENDS; b++) {
			kvfree(res[i][b].samples);
			res[i][b].samples = NULL;
			kvfree(res[i][b].frag);
			res[i][b].frag = NULL;
		}
	}
}

/* Fresh results for @run: sample arrays for what will be measured. */
int wl_alloc_results(const struct wl_run *run,
		     struct wl_result res[][KVALAB_NR_BACKENDS])
{
	unsigned int i, k, b, n = run->repeat * run->threads;
	const struct wl_case *c;

	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		for (k = 0; k < run->nr_backends; k++) {
			b = run->backends[k];
			if (wl_skips(c, b))
				continue;
			res[c->bit][b].samples = kvcalloc(n, sizeof(u64),
							  GFP_KERNEL);
			if (!res[c->bit][b].samples)
				return -ENOMEM;
			if (!kvalab_backend_is_kvalab(b))
				continue;
			res[c->bit][b].frag =
				kvcalloc(WL_FRAG_SAMPLES,
					 sizeof(struct wl_frag_sample),
					 GFP_KERNEL);
			if (!res[c->bit][b].frag)
				return -ENOMEM;
		}
	}
	return 0;
}

static int wl_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median, p99 (nearest rank), min and max of the samples so far. */
static void wl_update_stats(struct wl_result *res)
{
	unsigned int n = res->nr_samples;
	u64 *v = res->samples;

	if (!n)
		return;
	sort(v, n, sizeof(*v), wl_cmp_u64, NULL);
	res->min = v[0];
	res->max = v[n - 1];
	res->median = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	res->p99 = v[DIV_ROUND_UP(99 * n, 100) - 1];
}

/*
 * Fold one finished unit into its result (under s->lock). @started false:
 * the unit never ran, for reason @why.
 */
void wl_record_unit(struct wl_suite *s, struct wl_result *res, bool started,
		    const char *why)
{
	unsigned int t, threads = s->run.threads;
	const char *reason = NULL;
	struct wl_worker *w;
	bool failed = false;

	lockdep_assert_held(&s->lock);
	if (!started) {
		reason = why;
		failed = true;
	}
	for (t = 0; started && t < threads; t++) {
		w = &s->workers[t];
		/* A stopped unit counts for nothing: partial data only. */
		if (w->ret == -EINTR)
			return;
		if (w->ret && !failed) {
			failed = true;
			reason = w->reason;
		}
	}

	for (t = 0; started && t < threads; t++) {
		w = &s->workers[t];
		res->total_ns += w->total_ns;
		res->nr_total++;
		res->enomem += w->enomem;
		kvalab_lat_merge(&res->lat_alloc, &w->lat_alloc);
		kvalab_lat_merge(&res->lat_free, &w->lat_free);
		if (w->ret || !w->iters)
			continue;
		res->samples[res->nr_samples++] = div64_u64(w->loop_ns,
							    w->iters);
		res->ops += w->iters;
	}
	if (failed) {
		res->failed++;
		if (!res->reason)
			res->reason = reason;
	} else {
		res->passed++;
	}
	wl_update_stats(res);
	s->done++;
}

/* A kvalab backend unit's purges (under s->lock). */
void wl_record_purges(struct wl_result *res,
		      const struct kvalab_purge_lat *purge)
{
	kvalab_lat_merge(&res->purge.ns, &purge->ns);
	kvalab_lat_merge(&res->purge.areas, &purge->areas);
	kvalab_lat_merge(&res->purge.pages, &purge->pages);
}

/* The status of @c on a backend once every repeat ran (under s->lock). */
void wl_finish_result(const struct wl_case *c, struct wl_result *res)
{
	if (wl_case_xfail(c))
		res->status = res->failed ? WL_XFAIL : WL_XPASS;
	else if (wl_case_mayfail(c))
		res->status = res->failed ? WL_XFAIL : WL_PASS;
	else
		res->status = res->failed ? WL_FAIL : WL_PASS;
	res->finished = true;
}

/*
 * The per-phase counters are per CPU and a worker is bound to its CPU, so
 * the difference of its CPU's counters over its loop is its own time,
 * provided no other worker shares the CPU (wl_record_phases() drops units
 * with more workers than online CPUs). Off, this is two static-key tests.
 */
void wl_phases_start(struct wl_worker *w)
{
	w->ph_ok = kvalab_breakdown_enabled();
	if (w->ph_ok)
		kvalab_breakdown_read_local(&w->ph);
}

void wl_phases_stop(struct wl_worker *w)
{
	struct kvalab_phase_stats now;
	int ph;

	if (!w->ph_ok)
		return;
	if (!kvalab_breakdown_enabled()) {
		w->ph_ok = false;
		return;
	}
	kvalab_breakdown_read_local(&now);
	for (ph = 0; ph < KVALAB_NR_PHASES; ph++) {
		w->ph.ns[ph] = now.ns[ph] - w->ph.ns[ph];
		w->ph.calls[ph] = now.calls[ph] - w->ph.calls[ph];
	}
}

/* The unit's workers' phase counters into @res (under s->lock). */
void wl_record_phases(const struct wl_suite *s, struct wl_result *res)
{
	const struct wl_worker *w;
	unsigned int t;
	int ph;

	if (res->ph_bad)
		return;
	for (t = 0; t < s->run.threads; t++) {
		w = &s->workers[t];
		if (w->ret)
			continue;
		if (!w->ph_ok || s->run.threads > num_online_cpus()) {
			res->ph_bad = true;
			res->ph_ops = 0;
			return;
		}
		for (ph = 0; ph < KVALAB_NR_PHASES; ph++) {
			res->ph.ns[ph] += w->ph.ns[ph];
			res->ph.calls[ph] += w->ph.calls[ph];
		}
		res->ph_ops += w->iters;
	}
}

/*
 * test_vmalloc's avg: the mean time of one repeat of the case, setup and
 * teardown included, in whole microseconds. test_vmalloc times a worker's
 * repeats of a case together and divides by test_repeat_count, one
 * Summary line per worker; here each (repeat, worker) is timed alone
 * (units of other backends run between repeats) and the mean is over all
 * of them, which for one worker is the same figure.
 */
u64 wl_avg_us(const struct wl_result *res)
{
	if (!res->nr_total)
		return 0;
	return div_u64(div_u64(res->total_ns, res->nr_total), NSEC_PER_USEC);
}

/* True when @res has a median to divide or be divided by. */
static bool wl_has_median(const struct wl_result *res)
{
	return res->finished && res->nr_samples;
}

/* Rounded to thousandths. */
bool wl_ratio(const struct wl_result *num, const struct wl_result *den,
	      u64 *whole, u32 *frac)
{
	u64 milli;

	if (!wl_has_median(num) || !wl_has_median(den) || !den->median)
		return false;
	milli = div64_u64(num->median * 1000 + den->median / 2, den->median);
	*whole = div_u64_rem(milli, 1000, frac);
	return true;
}
