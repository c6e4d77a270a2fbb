// SPDX-License-Identifier: GPL-2.0
/*
 * The replay's listings (docs/traces.md "Replaying"): `replay_results`,
 * the state, the loaded trace, the progress and one result line per policy
 * run with its samples; `replay_placements`, a `log` run's placements, as
 * the sim's --log. Both print a view of module/replay.c taken under the
 * replay's locks and held until the listing is written.
 */
#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include <kvalab/policies.h>
#include <kvalab/search.h>
#include <kvalab/trace.h>
#include "../module/kvalab.h"
#include "../module/latency.h"
#include "../module/replay.h"
#include "debugfs.h"

static const char *const state_names[] = {
	[KVALAB_RS_EMPTY] = "empty", [KVALAB_RS_LOADING] = "loading",
	[KVALAB_RS_LOADED] = "loaded", [KVALAB_RS_LOAD_FAILED] = "load_failed",
	[KVALAB_RS_RUNNING] = "running", [KVALAB_RS_DONE] = "done",
	[KVALAB_RS_STOPPED] = "stopped",
};

static void show_figures(struct seq_file *m,
			 const struct kvalab_replay_sample *s)
{
	seq_printf(m, " used=%lu free_bytes=%lu nr_free=%lu largest_free=%lu ext_frag_e4=%lu frag_rss_e4=%lu",
		   s->used, s->free_bytes, s->nr_free, s->largest_free,
		   s->ext_frag_e4, s->frag_rss_e4);
}

/* The run's purges: count, duration percentiles, areas and pages. */
static void show_purges(struct seq_file *m, const struct kvalab_purge_lat *p)
{
	seq_printf(m, " purge_n=%llu purge_ns_p50=%llu purge_ns_p99=%llu purge_ns_max=%llu purge_areas_p50=%llu purge_areas_max=%llu purge_pages_p50=%llu purge_pages_max=%llu",
		   p->ns.n, kvalab_lat_percentile(&p->ns, 5000),
		   kvalab_lat_percentile(&p->ns, 9900), p->ns.max,
		   kvalab_lat_percentile(&p->areas, 5000), p->areas.max,
		   kvalab_lat_percentile(&p->pages, 5000), p->pages.max);
}

static void show_result(struct seq_file *m, const struct kvalab_replay_view *v,
			const struct kvalab_replay_result *res)
{
	const char *name = kva_policy_names[res->policy];
	unsigned long ns_op = res->ops ? div64_u64(res->ns, res->ops) : 0;
	unsigned int i;

	seq_printf(m, "result policy=%s va_only=%d ops=%lu ns=%llu ns_per_op=%lu allocs_ok=%lu enomem=%lu errors=%lu skipped_frees=%lu purges=%lu first_fail_line=%lu first_fail_errno=%d first_fail_size=%lu largest_free_then=%lu free_bytes_then=%lu nr_free_then=%lu peak_used=%lu",
		   name, v->params->va_only, res->ops, res->ns, ns_op,
		   res->allocs_ok, res->enomem, res->errors,
		   res->skipped_frees, res->purges, res->first_fail_line,
		   res->first_err, res->first_fail_size, res->largest_then,
		   res->free_then, res->nr_free_then, res->peak_used);
	/* Before the end figures, which run from used= to stopped=. */
	seq_printf(m, " search=%s lazy_max_pages=%lu",
		   kva_search_names[v->params->search], v->lazy_max_pages);
	show_purges(m, &res->purge);
	show_figures(m, &res->end);
	seq_printf(m, " placements=%016llx stopped=%d check=%s\n",
		   res->placements, res->stopped,
		   res->check_err ? "failed" : "ok");
	if (res->check_err)
		seq_printf(m, "check_error policy=%s errno=%d: %s\n", name,
			   res->check_err, res->check_msg);
	for (i = 0; i < res->nr_samples; i++) {
		seq_printf(m, "sample policy=%s op=%lu", name,
			   res->samples[i].op);
		show_figures(m, &res->samples[i]);
		seq_putc(m, '\n');
	}
}

static void show_state(struct seq_file *m, struct kvalab *kv,
		       const struct kvalab_replay_view *v)
{
	unsigned long start = kv->space.start;

	seq_printf(m, "state: %s\n", state_names[v->state]);
	if (v->state == KVALAB_RS_LOAD_FAILED)
		seq_printf(m, "load_error: errno=%d %s\n", v->load_err,
			   v->load_msg);
	if (v->state != KVALAB_RS_EMPTY && v->state != KVALAB_RS_LOAD_FAILED)
		seq_printf(m, "trace: ops=%lu allocs=%lu frees=%lu purges=%lu ids=%u slice_size=%lu source=%s peak_live=%lu text_bytes=%lu\n",
			   v->nr_ops, v->nr_alloc, v->nr_free, v->nr_purge,
			   v->nr_ids, v->hdr->slice_size,
			   v->hdr->source[0] ? v->hdr->source : "-",
			   v->peak_live, v->text_bytes);
	if (v->nr_planned) {
		seq_printf(m, "slice_size: %lu\n", kv->slice_size);
		/* The start's lowest set bit: what aligned placements depend on. */
		seq_printf(m, "slice_align: %lu\n",
			   min(1UL << 39, start & -start));
	}
	if (v->note[0])
		seq_printf(m, "note: %s\n", v->note);
	if (v->state == KVALAB_RS_RUNNING)
		seq_printf(m, "running: policy=%s %u/%u op=%lu/%lu\n",
			   kva_policy_names[v->order[v->cur]], v->cur + 1,
			   v->nr_planned, v->cur_op, v->nr_ops);
}

static int results_show(struct seq_file *m, void *unused)
{
	struct kvalab *kv = m->private;
	struct kvalab_replay_view v;
	unsigned int i;

	kvalab_replay_view_begin(kv, &v);
	show_state(m, kv, &v);
	for (i = 0; i < v.nr_res; i++)
		show_result(m, &v, &v.res[i]);
	kvalab_replay_view_end(kv);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(results);

/* replay_placements: one line per allocation of each `log` run. */
static int placements_show(struct seq_file *m, void *unused)
{
	struct kvalab *kv = m->private;
	struct kvalab_replay_view v;
	unsigned int i;
	unsigned long k, n;

	kvalab_replay_view_begin(kv, &v);
	for (i = 0; i < v.nr_res; i++) {
		const struct kvalab_replay_result *res = &v.res[i];

		if (!res->log)
			continue;
		for (k = 0, n = 0; k < v.nr_ops && n < res->nr_log; k++) {
			s64 val;

			if (v.ops[k].kind != KVA_TRACE_ALLOC)
				continue;
			val = res->log[n++];
			seq_printf(m, "place policy=%s line=%u %s=%lld\n",
				   kva_policy_names[res->policy], v.ops[k].line,
				   val < 0 ? "errno" : "offset", val);
		}
		cond_resched();
	}
	kvalab_replay_view_end(kv);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(placements);

void kvalab_replay_results_create(struct kvalab *kv, struct dentry *dir)
{
	debugfs_create_file("replay_results", 0400, dir, kv, &results_fops);
	debugfs_create_file("replay_placements", 0400, dir, kv,
			    &placements_fops);
}
