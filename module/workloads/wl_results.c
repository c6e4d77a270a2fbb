// SPDX-License-Identifier: GPL-2.0
/*
 * The workload suite's output: the `results` listing (docs/debugfs.md),
 * printed from a copy of the suite's state taken under its lock, and the
 * lines that go to the kernel log: each case's list lengths when a run
 * starts, its Summary lines (test_vmalloc's) when it ends. The figures come
 * from wl_stats.c.
 */

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kvalab/cmd.h>

#include "../kvalab.h"
#include "workloads.h"
#include "wl.h"

const char *const wl_state_names[] = {
	[WL_IDLE] = "idle",
	[WL_RUNNING] = "running",
	[WL_DONE] = "done",
	[WL_STOPPED] = "stopped",
	[WL_FAILED] = "failed",
};

/*
 * test_vmalloc's Summary line, plus the backend. Its format stays
 * test_vmalloc's: a list shorter than test_vmalloc's is said on the case's
 * own `list` line (wl_print_lists()).
 */
#define WL_SUMMARY_FMT \
	"Summary: %s passed: %u failed: %u repeat: %u loops: %u avg: %llu usec backend: %s\n"

/* The Summary line of a finished result that is not a skip. */
static void wl_print_summary(struct seq_file *m, const struct wl_run *run,
			     const struct wl_case *c, unsigned int b,
			     const struct wl_result *res)
{
	u64 avg_us = wl_avg_us(res);

	if (res->status == WL_SKIP)
		return;
	if (m)
		seq_printf(m, WL_SUMMARY_FMT, wl_case_name(c), res->passed,
			   res->failed, run->repeat, run->loops, avg_us,
			   kvalab_backend_name(b));
	else
		pr_info(WL_SUMMARY_FMT, wl_case_name(c), res->passed,
			res->failed, run->repeat, run->loops, avg_us,
			kvalab_backend_name(b));
}

/* In the run's backend order; @row: the case's results by backend id. */
void wl_log_summaries(const struct wl_run *run, const struct wl_case *c,
		      const struct wl_result *row)
{
	unsigned int k, b;

	for (k = 0; k < run->nr_backends; k++) {
		b = run->backends[k];
		if (row[b].finished)
			wl_print_summary(NULL, run, c, b, &row[b]);
	}
}

#define WL_LIST_FMT	"list case=%s length=%lu test_vmalloc=%lu\n"

/*
 * Every case of @run that builds a list: the entries each worker builds and
 * test_vmalloc's. Where the first is smaller (a slice or RAM too small for
 * test_vmalloc's list), the case's figures, its Summary line's avg above
 * all, are not test_vmalloc's: its setup built a shorter list.
 */
void wl_print_lists(struct seq_file *m, const struct wl_run *run)
{
	const struct wl_case *c;
	unsigned int i;

	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		if (!c->list_areas)
			continue;
		if (m)
			seq_printf(m, WL_LIST_FMT, wl_case_name(c),
				   run->list[c->bit], run->list_tv[c->bit]);
		else
			pr_info(WL_LIST_FMT, wl_case_name(c), run->list[c->bit],
				run->list_tv[c->bit]);
	}
}

/*
 * What the listing prints, copied under the suite's lock: the state, the
 * run, and its results, nr_cases x nr_backends of them in run order (case
 * i's results from res[i * nr_backends], in the run's backend order), the
 * fragmentation samples they point to in @frag.
 */
struct wl_view {
	enum wl_state state;
	unsigned int done, total;
	struct wl_run run;
	struct wl_result *res;
	struct wl_frag_sample *frag;
};

static void wl_view_free(struct wl_view *v)
{
	kvfree(v->res);
	kvfree(v->frag);
	v->res = NULL;
	v->frag = NULL;
}

/*
 * Copy @s into @v (under s->lock): 0, or -ENOMEM. Only finished results
 * are copied, the rest left unfinished: the listing prints no other, and
 * the running unit's worker 0 appends fragmentation samples to its result
 * without the lock, so only a finished result's nr_frag holds still.
 */
static int wl_view_take(const struct wl_suite *s, struct wl_view *v)
{
	const struct wl_run *run = &s->run;
	unsigned int i, k, n, nr_frag = 0;
	const struct wl_result *src;
	struct wl_frag_sample *fs;
	struct wl_result *dst;

	lockdep_assert_held(&s->lock);
	v->state = s->state;
	v->done = s->done;
	v->total = s->total;
	v->run = *run;
	v->res = NULL;
	v->frag = NULL;
	if (s->state == WL_IDLE)
		return 0;

	n = run->nr_cases * run->nr_backends;
	for (i = 0; i < run->nr_cases; i++) {
		for (k = 0; k < run->nr_backends; k++) {
			src = &s->res[wl_cases[run->order[i]].bit][run->backends[k]];
			if (src->finished && src->frag)
				nr_frag += src->nr_frag;
		}
	}
	v->res = kvmalloc_array(n, sizeof(*v->res), GFP_KERNEL);
	if (nr_frag)
		v->frag = kvmalloc_array(nr_frag, sizeof(*v->frag), GFP_KERNEL);
	if (!v->res || (nr_frag && !v->frag)) {
		wl_view_free(v);
		return -ENOMEM;
	}

	fs = v->frag;
	for (i = 0; i < run->nr_cases; i++) {
		for (k = 0; k < run->nr_backends; k++) {
			src = &s->res[wl_cases[run->order[i]].bit][run->backends[k]];
			dst = &v->res[i * run->nr_backends + k];
			if (!src->finished) {
				memset(dst, 0, sizeof(*dst));
				continue;
			}
			*dst = *src;
			/* The samples are summed up already: not printed. */
			dst->samples = NULL;
			dst->frag = NULL;
			if (!src->frag || !src->nr_frag)
				continue;
			memcpy(fs, src->frag, src->nr_frag * sizeof(*fs));
			dst->frag = fs;
			fs += src->nr_frag;
		}
	}
	return 0;
}

/* Case @i's result on backend @b, or NULL if @b is not the run's. */
static const struct wl_result *wl_view_res(const struct wl_view *v,
					   unsigned int i, unsigned int b)
{
	unsigned int k;

	for (k = 0; k < v->run.nr_backends; k++)
		if (v->run.backends[k] == b)
			return &v->res[i * v->run.nr_backends + k];
	return NULL;
}

/* @print for every finished result, in case order, then backend order. */
static void wl_view_each(struct seq_file *m, const struct wl_view *v,
			 void (*print)(struct seq_file *m,
				       const struct wl_run *run,
				       const struct wl_case *c, unsigned int b,
				       const struct wl_result *res))
{
	const struct wl_run *run = &v->run;
	const struct wl_result *res;
	unsigned int i, k;

	for (i = 0; i < run->nr_cases; i++) {
		for (k = 0; k < run->nr_backends; k++) {
			res = &v->res[i * run->nr_backends + k];
			if (res->finished)
				print(m, run, &wl_cases[run->order[i]],
				      run->backends[k], res);
		}
	}
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

static void wl_print_case(struct seq_file *m, const struct wl_run *run,
			  const struct wl_case *c, unsigned int b,
			  const struct wl_result *res)
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
static void wl_print_frag(struct seq_file *m, const struct wl_run *run,
			  const struct wl_case *c, unsigned int b,
			  const struct wl_result *res)
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
static void wl_print_breakdown(struct seq_file *m, const struct wl_run *run,
			       const struct wl_case *c, unsigned int b,
			       const struct wl_result *res)
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

/*
 * Case @i's ratios: each backend's median over the baseline's, then the
 * line of the two-backend format (kvalab over vmalloc), which readers of
 * that format look for, whenever both of those ran.
 */
static void wl_print_ratios(struct seq_file *m, const struct wl_view *v,
			    unsigned int i)
{
	const struct wl_run *run = &v->run;
	const char *name = wl_case_name(&wl_cases[run->order[i]]);
	const struct wl_result *base = wl_view_res(v, i, run->baseline);
	const struct wl_result *kv, *vm;
	unsigned int k, b;
	u64 whole;
	u32 frac;

	for (k = 0; k < run->nr_backends; k++) {
		b = run->backends[k];
		if (b == run->baseline ||
		    !wl_ratio(wl_view_res(v, i, b), base, &whole, &frac))
			continue;
		seq_printf(m, "ratio case=%s backend=%s baseline=%s value=%llu.%03u\n",
			   name, kvalab_backend_name(b),
			   kvalab_backend_name(run->baseline), whole, frac);
	}
	kv = wl_view_res(v, i, KVALAB_BE_KVALAB);
	vm = wl_view_res(v, i, KVALAB_BE_VMALLOC);
	if (kv && vm && wl_ratio(kv, vm, &whole, &frac))
		seq_printf(m, "ratio case=%s kvalab/vmalloc=%llu.%03u\n",
			   name, whole, frac);
}

int kvalab_workloads_show(struct seq_file *m, void *unused)
{
	struct kvalab_run_params none = {};
	struct kvalab *kv = m->private;
	struct wl_suite *s = kv->wl;
	char why[KVALAB_ERR_MAX];
	struct wl_view v;
	unsigned int i;
	int err;

	/*
	 * Copy under the lock, print without it. The listing can be long
	 * (a frag line per sample: a hundred per case and kvalab backend)
	 * and seq_file calls this again, from the start, each time its
	 * buffer turns out too small; printing under the lock would keep
	 * the controller, which takes it between units to record them,
	 * waiting on a reader for all of that. The copy holds the lock for
	 * a memcpy of the results, and every line printed is of one moment.
	 */
	mutex_lock(&s->lock);
	err = wl_view_take(s, &v);
	mutex_unlock(&s->lock);
	if (err)
		return err;

	seq_printf(m, "state: %s\n", wl_state_names[v.state]);
	seq_printf(m, "progress: %u/%u\n", v.done, v.total);
	/* No run yet: show what a bare `run` would use. */
	if (v.state == WL_IDLE &&
	    wl_resolve(&none, kv, &v.run, why, sizeof(why)))
		return 0;
	wl_print_params(m, &v.run);
	seq_printf(m, "timing: latency=%d clock_ns=%llu frag_every=%llu frag_samples=%u pinned=%d\n",
		   v.run.latency, v.run.clock_ns, v.run.frag_every,
		   WL_FRAG_SAMPLES, v.run.pin);
	wl_print_lists(m, &v.run);
	if (v.state == WL_IDLE)
		return 0;

	wl_view_each(m, &v, wl_print_summary);
	wl_view_each(m, &v, wl_print_case);
	wl_view_each(m, &v, wl_print_latency);
	wl_view_each(m, &v, wl_print_frag);
	wl_view_each(m, &v, wl_print_breakdown);
	for (i = 0; i < v.run.nr_cases; i++)
		wl_print_ratios(m, &v, i);
	wl_view_free(&v);
	return 0;
}
