// SPDX-License-Identifier: GPL-2.0
/*
 * Results of a workload run: folding each finished unit into its case's
 * and backend's statistics, the Summary lines (test_vmalloc's, to dmesg at
 * the end and in the file), and the `results` file (docs/debugfs.md).
 */

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include <kvalab/cmd.h>

#include "kvalab.h"
#include "workloads.h"
#include "wl.h"

const char *const wl_state_names[] = {
	[WL_IDLE] = "idle",
	[WL_RUNNING] = "running",
	[WL_DONE] = "done",
	[WL_STOPPED] = "stopped",
	[WL_FAILED] = "failed",
};

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

void wl_record_purges(struct wl_result *res,
		      const struct kvalab_purge_lat *purge)
{
	kvalab_lat_merge(&res->purge.ns, &purge->ns);
	kvalab_lat_merge(&res->purge.areas, &purge->areas);
	kvalab_lat_merge(&res->purge.pages, &purge->pages);
}

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
 * test_vmalloc's avg: the mean time of one repeat of the case, setup and
 * teardown included, in whole microseconds. test_vmalloc times a worker's
 * repeats of a case together and divides by test_repeat_count, one
 * Summary line per worker; here each (repeat, worker) is timed alone
 * (units of other backends run between repeats) and the mean is over all
 * of them, which for one worker is the same figure.
 */
static u64 wl_avg_us(const struct wl_result *res)
{
	if (!res->nr_total)
		return 0;
	return div_u64(div_u64(res->total_ns, res->nr_total), NSEC_PER_USEC);
}

/* test_vmalloc's Summary line, plus the backend. */
#define WL_SUMMARY_FMT \
	"Summary: %s passed: %u failed: %u repeat: %u loops: %u avg: %llu usec backend: %s\n"

static void wl_print_summary(struct seq_file *m, const struct wl_run *run,
			     const struct wl_case *c, unsigned int b,
			     const struct wl_result *res)
{
	u64 avg_us = wl_avg_us(res);

	if (m)
		seq_printf(m, WL_SUMMARY_FMT, wl_case_name(c), res->passed,
			   res->failed, run->repeat, run->loops, avg_us,
			   kvalab_backend_name(b));
	else
		pr_info(WL_SUMMARY_FMT, wl_case_name(c), res->passed,
			res->failed, run->repeat, run->loops, avg_us,
			kvalab_backend_name(b));
}

/* In case order, then the run's backend order; not skipped ones. */
void wl_summaries(struct seq_file *m, const struct wl_suite *s)
{
	const struct wl_run *run = &s->run;
	const struct wl_result *res;
	const struct wl_case *c;
	unsigned int i, k, b;

	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		for (k = 0; k < run->nr_backends; k++) {
			b = run->backends[k];
			res = &s->res[c->bit][b];
			if (res->finished && res->status != WL_SKIP)
				wl_print_summary(m, run, c, b, res);
		}
	}
}

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

static void wl_print_params(struct seq_file *m, const struct wl_run *run)
{
	unsigned int k;

	seq_printf(m,
		   "params: mask=0x%x threads=%u loops=%u repeat=%u pages=%u sequential=%d backends=",
		   run->mask, run->threads, run->loops, run->repeat,
		   run->nr_pages, run->sequential);
	for (k = 0; k < run->nr_backends; k++)
		seq_printf(m, "%s%s", k ? "," : "",
			   kvalab_backend_name(run->backends[k]));
	seq_printf(m, " baseline=%s\n", kvalab_backend_name(run->baseline));
}

static void wl_print_case(struct seq_file *m, const struct wl_case *c,
			  unsigned int b, const struct wl_result *res)
{
	seq_printf(m, "case=%s backend=%s status=%s", wl_case_name(c),
		   kvalab_backend_name(b), kvalab_status_names[res->status]);
	/*
	 * avg_us is the Summary line's (whole case per repeat); loop_ns is
	 * the median of the measured loop's ns per operation over the
	 * (repeat, worker) samples, p99/min/max_ns the same samples'.
	 */
	if (res->status != WL_SKIP)
		seq_printf(m, " ops=%llu avg_us=%llu loop_ns=%llu p99_ns=%llu min_ns=%llu max_ns=%llu enomem=%llu",
			   res->ops, wl_avg_us(res), res->median, res->p99,
			   res->min, res->max, res->enomem);
	if (res->status != WL_SKIP && res->has_space)
		seq_printf(m, " nr_free=%lu largest_free=%lu", res->nr_free,
			   res->largest_free);
	if (res->reason &&
	    (res->status == WL_SKIP || res->status == WL_FAIL))
		seq_printf(m, " reason=%s", res->reason);
	seq_putc(m, '\n');
}

/* p50, p99, p99.9 and max of @h, as KEY_ns=V (or KEY=V for counts). */
static void wl_print_lat(struct seq_file *m, const char *key, const char *unit,
			 const struct kvalab_lat_hist *h)
{
	seq_printf(m, " %sp50%s=%llu %sp99%s=%llu %sp999%s=%llu %smax%s=%llu",
		   key, unit, kvalab_lat_percentile(h, 5000),
		   key, unit, kvalab_lat_percentile(h, 9900),
		   key, unit, kvalab_lat_percentile(h, 9990),
		   key, unit, h->max);
}

/*
 * A result's latency lines: alloc and free (map and unmap in
 * vm_map_ram_test) on every backend when the run timed them, and the
 * purges of a kvalab backend's units (those run whatever op_latency says).
 */
static void wl_print_latency(struct seq_file *m, const struct wl_run *run,
			     const struct wl_case *c, unsigned int b,
			     const struct wl_result *res)
{
	if (res->status == WL_SKIP)
		return;
	if (run->latency) {
		seq_printf(m, "latency case=%s backend=%s op=alloc n=%llu",
			   wl_case_name(c), kvalab_backend_name(b),
			   res->lat_alloc.n);
		wl_print_lat(m, "", "_ns", &res->lat_alloc);
		seq_printf(m, "\nlatency case=%s backend=%s op=free n=%llu",
			   wl_case_name(c), kvalab_backend_name(b),
			   res->lat_free.n);
		wl_print_lat(m, "", "_ns", &res->lat_free);
		seq_putc(m, '\n');
	}
	if (!kvalab_backend_is_kvalab(b))
		return;
	seq_printf(m, "latency case=%s backend=%s op=purge n=%llu",
		   wl_case_name(c), kvalab_backend_name(b), res->purge.ns.n);
	wl_print_lat(m, "", "_ns", &res->purge.ns);
	wl_print_lat(m, "areas_", "", &res->purge.areas);
	wl_print_lat(m, "pages_", "", &res->purge.pages);
	seq_putc(m, '\n');
}

/* A kvalab backend's fragmentation samples, in operation order. */
static void wl_print_frag(struct seq_file *m, const struct wl_case *c,
			  unsigned int b, const struct wl_result *res)
{
	const struct wl_frag_sample *fs;
	unsigned int i;

	if (res->status == WL_SKIP || !res->frag)
		return;
	for (i = 0; i < res->nr_frag; i++) {
		fs = &res->frag[i];
		seq_printf(m, "frag case=%s backend=%s op=%llu ext_frag=%u.%04u frag_rss=%u.%04u largest_free=%lu nr_free=%lu free_bytes=%lu\n",
			   wl_case_name(c), kvalab_backend_name(b), fs->op,
			   fs->ext_frag_e4 / 10000, fs->ext_frag_e4 % 10000,
			   fs->frag_rss_e4 / 10000, fs->frag_rss_e4 % 10000,
			   fs->largest_free, fs->nr_free, fs->free_bytes);
	}
}

/*
 * The breakdown over a result's measured loops (run with breakdown=Y):
 * "breakdown case=C backend=B ops=N PHASE=NS:CALLS..." for every phase of
 * <kvalab/phases.h>, summed over workers and repeats.
 */
static void wl_print_breakdown(struct seq_file *m, const struct wl_case *c,
			       unsigned int b, const struct wl_result *res)
{
	int ph;

	/* vmalloc's time is in none of kvalab's phases: nothing to show. */
	if (b == KVALAB_BE_VMALLOC || res->status == WL_SKIP || res->ph_bad ||
	    !res->ph_ops)
		return;
	seq_printf(m, "breakdown case=%s backend=%s ops=%llu", wl_case_name(c),
		   kvalab_backend_name(b), res->ph_ops);
	for (ph = 0; ph < KVALAB_NR_PHASES; ph++)
		seq_printf(m, " %s=%llu:%llu", kvalab_phase_names[ph],
			   res->ph.ns[ph], res->ph.calls[ph]);
	seq_putc(m, '\n');
}

/* True when @res has a median to divide or be divided by. */
static bool wl_has_median(const struct wl_result *res)
{
	return res->finished && res->nr_samples;
}

/* @num's median over @den's, rounded to thousandths; false if undefined. */
static bool wl_ratio(const struct wl_result *num, const struct wl_result *den,
		     u64 *whole, u32 *frac)
{
	u64 milli;

	if (!wl_has_median(num) || !wl_has_median(den) || !den->median)
		return false;
	milli = div64_u64(num->median * 1000 + den->median / 2, den->median);
	*whole = div_u64_rem(milli, 1000, frac);
	return true;
}

/*
 * A case's ratios: each backend's median over the baseline's, then the
 * line of the two-backend format (kvalab over vmalloc), which readers of
 * that format look for, whenever both of those ran.
 */
static void wl_print_ratios(struct seq_file *m, const struct wl_suite *s,
			    const struct wl_case *c)
{
	const struct wl_result *res = s->res[c->bit];
	const struct wl_run *run = &s->run;
	unsigned int k, b, kv = 0, vm = 0;
	u64 whole;
	u32 frac;

	for (k = 0; k < run->nr_backends; k++) {
		b = run->backends[k];
		kv |= b == KVALAB_BE_KVALAB;
		vm |= b == KVALAB_BE_VMALLOC;
		if (b == run->baseline ||
		    !wl_ratio(&res[b], &res[run->baseline], &whole, &frac))
			continue;
		seq_printf(m, "ratio case=%s backend=%s baseline=%s value=%llu.%03u\n",
			   wl_case_name(c), kvalab_backend_name(b),
			   kvalab_backend_name(run->baseline), whole, frac);
	}
	if (kv && vm && wl_ratio(&res[KVALAB_BE_KVALAB],
				 &res[KVALAB_BE_VMALLOC], &whole, &frac))
		seq_printf(m, "ratio case=%s kvalab/vmalloc=%llu.%03u\n",
			   wl_case_name(c), whole, frac);
}

int kvalab_workloads_show(struct seq_file *m, void *v)
{
	struct kvalab_run_params none = {};
	struct wl_suite *s = &wl_suite;
	const struct wl_run *run;
	const struct wl_case *c;
	struct wl_run defaults;
	char why[KVALAB_ERR_MAX];
	unsigned int i, k, b;

	mutex_lock(&s->lock);
	seq_printf(m, "state: %s\n", wl_state_names[s->state]);
	seq_printf(m, "progress: %u/%u\n", s->done, s->total);
	run = &s->run;
	if (s->state == WL_IDLE) {
		/* No run yet: show what a bare `run` would use. */
		if (!s->kv || wl_resolve(&none, s->kv, &defaults, why,
					 sizeof(why))) {
			mutex_unlock(&s->lock);
			return 0;
		}
		run = &defaults;
	}
	wl_print_params(m, run);
	seq_printf(m, "timing: latency=%d clock_ns=%llu frag_every=%llu frag_samples=%u pinned=%d\n",
		   run->latency, run->clock_ns, run->frag_every,
		   WL_FRAG_SAMPLES, run->pin);
	if (s->state == WL_IDLE)
		goto out;

	wl_summaries(m, s);
	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		for (k = 0; k < run->nr_backends; k++) {
			b = run->backends[k];
			if (s->res[c->bit][b].finished)
				wl_print_case(m, c, b, &s->res[c->bit][b]);
		}
	}
	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		for (k = 0; k < run->nr_backends; k++) {
			b = run->backends[k];
			if (s->res[c->bit][b].finished)
				wl_print_latency(m, run, c, b,
						 &s->res[c->bit][b]);
		}
	}
	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		for (k = 0; k < run->nr_backends; k++) {
			b = run->backends[k];
			if (s->res[c->bit][b].finished)
				wl_print_frag(m, c, b, &s->res[c->bit][b]);
		}
	}
	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		for (k = 0; k < run->nr_backends; k++) {
			b = run->backends[k];
			if (s->res[c->bit][b].finished)
				wl_print_breakdown(m, c, b,
						   &s->res[c->bit][b]);
		}
	}
	for (i = 0; i < run->nr_cases; i++)
		wl_print_ratios(m, s, &wl_cases[run->order[i]]);
out:
	mutex_unlock(&s->lock);
	return 0;
}
