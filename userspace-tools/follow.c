// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab follow: the running kernel's vmalloc, followed live on the sim
 * (follow_model.c), or a saved follow judged later.
 *
 * Live: a tracefs instance of its own (instances/kvalab-follow-PID, so the
 * global buffer, its events and tracing_on are never touched; removed on
 * every exit path after it was made, Ctrl-C included), its vmalloc events
 * enabled, then a marker, /proc/vmallocinfo read (with kptr_restrict
 * raised to 1 for the read if it is 0, and put back), a second marker, and
 * the instance's trace_pipe read as it fills. Events before the first
 * marker are in the snapshot already; those between the markers may or
 * may not be (the model skips what it holds already); after the second,
 * every event moves the model. Lost events (trace_pipe's "[LOST N
 * EVENTS]") are counted and reported.
 *
 * The model is built when the range is known: --range, or the first
 * alloc_vmap_area event over a range of at least 1 TiB (VMALLOC_START and
 * VMALLOC_END as the kernel passes them); events until then wait.
 *
 * Offline (--from TRACE --layout VMALLOCINFO): the same on saved text, the
 * interval lines by the events' own timestamps. A trace saved by follow
 * (--save-trace) carries its markers and a "# kvalab-follow:" header with
 * the kernel release, the node count and the pool setting; another text
 * (a `kvalab capture`'s tracefs) starts after its layout, as taken before
 * the trace began.
 *
 * Never writes to the kernel's allocator nor needs kvalab's module.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <kvalab/policies.h>

#include "cli.h"
#include "follow_model.h"
#include "lockdown.h"
#include "sim.h"
#include "sim_engine.h"
#include "simsvg.h"
#include "tracefs_dir.h"
#include "tracefs_event.h"
#include "vmallocinfo.h"
#include "xml.h"

#define MARK_BEGIN	"kvalab-follow: layout begin"
#define MARK_END	"kvalab-follow: layout end"
#define HEADER		"# kvalab-follow:"
#define TIB		(1UL << 40)
#define MAX_SAMPLES	4096
/* The kernel's model, then each policy's space. */
#define KVA_FOLLOW_SPACES	(1 + KVA_NR_POLICIES)

struct follow_opts {
	unsigned long seconds, interval;	/* interval in s */
	unsigned int policies;			/* mask of lines printed */
	const char *svg, *json, *map;
	const char *from, *layout;
	const char *save_trace, *save_layout;
	const char *release;			/* --release */
	unsigned long nodes;			/* 0: auto */
	int pools;				/* -1: auto */
	bool have_range;
	unsigned long vstart, vend;
	bool quiet;
};

struct sample {
	unsigned long events;
	unsigned long largest[KVA_FOLLOW_SPACES];
	unsigned long ext_frag[KVA_FOLLOW_SPACES];
};

struct follow_run {
	const struct follow_opts *o;
	struct follow_model *m;
	struct fm_config cfg;
	const char *release;
	struct vmi_entry *ents;
	size_t nr_ents, nr_outside;
	/* Events before the model exists, and where the layout settled. */
	struct tfs_event *pend;
	size_t nr_pend, cap_pend, settle_at;
	bool markers, begun, settled;
	unsigned long page;
	unsigned long long first_ns, next_tick;
	bool have_first;
	unsigned long lineno;
	struct sample *samples;
	size_t nr_samples;
	unsigned long tick_no, stride;	/* one sample every stride ticks */
	unsigned long tick_events;	/* at the last line: none twice */
	bool ticked;
	FILE *save;
};

static volatile sig_atomic_t follow_stop;
/* The instance, for the fatal-signal handler: set while it exists. */
static char instance_path[4200];
static volatile sig_atomic_t instance_made;

static void on_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

/* A crash still removes the instance (rmdir is async-signal-safe). */
static void on_fatal(int sig)
{
	if (instance_made)
		rmdir(instance_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

static const char *hsize(unsigned long v, char *buf, size_t len)
{
	static const char units[] = "KMGTP";
	double d = v;
	int u = -1;

	while (d >= 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%lu", v);
	else
		snprintf(buf, len, "%.1f%c", d, units[u]);
	return buf;
}

static const char *space_name(int i)
{
	return i ? sim_policy_name(i - 1) : "kernel";
}

static int build_model(struct follow_run *r, unsigned long vstart,
		       unsigned long vend)
{
	struct fm_range *rg = calloc(r->nr_ents ? r->nr_ents : 1, sizeof(*rg));
	char err[256];
	size_t i, n = 0;

	if (!rg) {
		msg_err("follow: out of memory");
		return 1;
	}
	r->cfg.vstart = vstart;
	r->cfg.vend = vend;
	for (i = 0; i < r->nr_ents; i++) {
		const struct vmi_entry *e = &r->ents[i];

		if (e->start < vstart || e->end > vend) {
			r->nr_outside++;
			continue;
		}
		rg[n].start = e->start;
		rg[n].end = e->end;
		rg[n].lazy = e->kind == VMI_UNPURGED;
		n++;
	}
	r->m = fm_new(&r->cfg, rg, n, err, sizeof(err));
	free(rg);
	if (!r->m) {
		msg_err("follow: %s", err);
		return 1;
	}
	if (!r->o->quiet)
		printf("follow: %s, vmalloc 0x%lx-0x%lx, %zu areas of the layout in it (%zu outside left out), %u node%s, pools %s\n",
		       r->release ? r->release : "release not known (taken as the newest)",
		       vstart, vend, n, r->nr_outside, r->cfg.nodes,
		       r->cfg.nodes == 1 ? "" : "s",
		       !r->cfg.pools ? "off" : r->cfg.decay_all_small ?
		       "on, 6.9's decay" : "on, 6.16's decay");
	return 0;
}

static void take_sample(struct follow_run *r)
{
	struct sample *s;
	struct fm_figures f;
	int i;

	if (!r->m)
		return;
	/*
	 * A long follow keeps the whole run in MAX_SAMPLES: when full, every
	 * other sample goes and only every 2^k-th interval is kept after.
	 */
	if (r->tick_no++ % r->stride)
		return;
	if (r->nr_samples == MAX_SAMPLES) {
		size_t k;

		for (k = 0; k < MAX_SAMPLES / 2; k++)
			r->samples[k] = r->samples[2 * k];
		r->nr_samples = MAX_SAMPLES / 2;
		r->stride *= 2;
	}
	s = &r->samples[r->nr_samples++];
	s->events = fm_stats(r->m)->events;
	for (i = 0; i < KVA_FOLLOW_SPACES; i++) {
		if (i && !r->cfg.policies)
			break;
		fm_figures(r->m, i - 1, &f);
		s->largest[i] = f.largest_free;
		s->ext_frag[i] = f.ext_frag_e4;
	}
}

/* The interval lines; @last: the closing one, left out if nothing moved. */
static void print_tick(struct follow_run *r, double t, bool last)
{
	const struct fm_stats *st;
	struct fm_figures f;
	char b1[16], b2[16], b3[16], b4[16];
	int i, c;

	if (last && r->m && r->ticked &&
	    fm_stats(r->m)->events == r->tick_events)
		return;
	if (r->m) {
		r->tick_events = fm_stats(r->m)->events;
		r->ticked = true;
	}
	take_sample(r);
	if (r->o->quiet)
		return;
	if (!r->m) {
		printf("t=%.0fs  waiting for the first alloc_vmap_area event to learn the vmalloc range (%zu events held)\n",
		       t, r->nr_pend);
		fflush(stdout);
		return;
	}
	st = fm_stats(r->m);
	printf("t=%.0fs  events=%lu allocs=%lu modelled=%lu agreed=%lu", t,
	       st->events, st->allocs, st->modelled, st->agreed);
	if (st->modelled)
		printf(" (%.2f%%)", 100.0 * st->agreed / st->modelled);
	for (c = 0; c < FM_NR_MISS; c++)
		if (st->miss[c])
			printf(" %s=%lu", fm_miss_names[c], st->miss[c]);
	if (st->lost_lines)
		printf(" lost=%lu", st->lost_events);
	putchar('\n');
	for (i = 0; i < KVA_FOLLOW_SPACES; i++) {
		if (i && (!r->cfg.policies || !(r->o->policies & (1U << (i - 1)))))
			continue;
		fm_figures(r->m, i - 1, &f);
		printf("  %-12s live=%lu used=%s pooled=%s lazy=%s largest_free=%s ext_frag=%.4f\n",
		       space_name(i), f.live, hsize(f.used, b1, sizeof(b1)),
		       hsize(f.pooled, b2, sizeof(b2)),
		       hsize(f.lazy, b3, sizeof(b3)),
		       hsize(f.largest_free, b4, sizeof(b4)),
		       f.ext_frag_e4 / 10000.0);
	}
	fflush(stdout);
}

static int queue(struct follow_run *r, const struct tfs_event *ev)
{
	if (r->nr_pend == r->cap_pend) {
		size_t cap = r->cap_pend ? r->cap_pend * 2 : 256;
		struct tfs_event *p = realloc(r->pend, cap * sizeof(*p));

		if (!p) {
			msg_err("follow: out of memory");
			return 1;
		}
		r->pend = p;
		r->cap_pend = cap;
	}
	r->pend[r->nr_pend] = *ev;
	r->pend[r->nr_pend++].mark = NULL;
	return 0;
}

/* One parsed event; 0, or 1 after a message. */
static int feed(struct follow_run *r, const struct tfs_event *ev)
{
	size_t i;

	if (ev->kind == TFS_MARK) {
		if (strstr(ev->mark, MARK_BEGIN)) {
			r->begun = true;
		} else if (strstr(ev->mark, MARK_END)) {
			r->settled = true;
			if (r->m)
				fm_settle(r->m);
			else
				r->settle_at = r->nr_pend;
		}
		return 0;
	}
	if (ev->kind != TFS_ALLOC && ev->kind != TFS_FREE &&
	    ev->kind != TFS_PURGE && ev->kind != TFS_LOST)
		return 0;
	/* Before the snapshot began: the snapshot holds its effect. */
	if (r->markers && !r->begun && ev->kind != TFS_LOST)
		return 0;
	if (!r->have_first && ev->has_time) {
		r->have_first = true;
		r->first_ns = ev->ns;
	}
	if (r->m) {
		fm_event(r->m, ev);
		return 0;
	}
	if (queue(r, ev))
		return 1;
	if (ev->kind != TFS_ALLOC || ev->failed ||
	    ev->vend - ev->vstart < TIB)
		return 0;
	if (build_model(r, ev->vstart, ev->vend))
		return 1;
	for (i = 0; i < r->nr_pend; i++) {
		if (i == r->settle_at)
			fm_settle(r->m);
		fm_event(r->m, &r->pend[i]);
	}
	if (r->settled)
		fm_settle(r->m);
	r->nr_pend = 0;
	return 0;
}

/* One line of tracefs text; 0, or 1 after a message. */
static int line_in(struct follow_run *r, char *line, const char *src)
{
	struct tfs_event ev;
	char why[256];

	r->lineno++;
	if (r->save && line[0] != '#')
		fprintf(r->save, "%s\n", line);
	if (tfs_parse(line, r->page, &ev, why, sizeof(why))) {
		msg_err("follow: %s: line %lu: %s", src, r->lineno, why);
		return 1;
	}
	if (r->o->from && r->m && ev.has_time && r->have_first) {
		while (ev.ns - r->first_ns >= r->next_tick) {
			print_tick(r, r->next_tick / 1e9, false);
			r->next_tick += r->o->interval * 1000000000ULL;
		}
	}
	return feed(r, &ev);
}

static void json_figures(FILE *f, struct follow_run *r)
{
	struct fm_figures fg;
	int i;

	fputs("  \"spaces\": [", f);
	for (i = 0; i < KVA_FOLLOW_SPACES; i++) {
		if (i && !r->cfg.policies)
			break;
		fm_figures(r->m, i - 1, &fg);
		fprintf(f, "%s\n    {\"space\": \"%s\", \"live\": %lu, \"used\": %lu, \"pooled\": %lu, \"lazy\": %lu, \"free_bytes\": %lu, \"largest_free\": %lu, \"nr_free\": %lu, \"ext_frag\": %.4f, \"enomem\": %lu}",
			i ? "," : "", space_name(i), fg.live, fg.used,
			fg.pooled, fg.lazy, fg.free_bytes, fg.largest_free,
			fg.nr_free, fg.ext_frag_e4 / 10000.0, fg.enomem);
	}
	fputs("\n  ],\n", f);
}

static int write_json(struct follow_run *r, const char *path)
{
	const struct fm_stats *st = fm_stats(r->m);
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	unsigned long i;
	int c;

	if (!f) {
		msg_err("follow: %s: %s", path, strerror(errno));
		return 1;
	}
	fputs("{\n  \"kernel\": ", f);
	json_string(f, r->release ? r->release : "");
	fprintf(f, ",\n  \"vstart\": \"0x%lx\", \"vend\": \"0x%lx\", \"nodes\": %u, \"pools\": %s,\n",
		r->cfg.vstart, r->cfg.vend, r->cfg.nodes,
		r->cfg.pools ? "true" : "false");
	fprintf(f, "  \"layout_areas\": %lu, \"layout_unpurged\": %lu, \"layout_outside\": %zu,\n",
		st->layout_areas, st->layout_lazy, r->nr_outside);
	fprintf(f, "  \"events\": %lu, \"allocs\": %lu, \"outside\": %lu, \"in_layout\": %lu, \"modelled\": %lu, \"agreed\": %lu, \"agreement\": %.4f,\n",
		st->events, st->allocs, st->outside, st->in_layout,
		st->modelled, st->agreed,
		st->modelled ? (double)st->agreed / st->modelled : 0.0);
	fprintf(f, "  \"kernel_failed\": %lu, \"pool_predicted\": %lu, \"pool_agreed\": %lu,\n",
		st->kernel_failed, st->pool_predicted, st->pool_agreed);
	fprintf(f, "  \"frees\": %lu, \"outside_frees\": %lu, \"unknown_frees\": %lu, \"double_frees\": %lu, \"purges\": %lu, \"purge_count_mismatch\": %lu, \"evicted\": %lu, \"hidden_gaps\": %lu, \"lost_lines\": %lu, \"lost_events\": %lu,\n",
		st->frees, st->outside_frees, st->unknown_frees,
		st->double_frees, st->purges, st->purge_mismatch, st->evicted,
		st->hidden_gaps, st->lost_lines, st->lost_events);
	fputs("  \"misses\": {", f);
	for (c = 0; c < FM_NR_MISS; c++)
		fprintf(f, "%s\"%s\": %lu", c ? ", " : "", fm_miss_names[c],
			st->miss[c]);
	fputs("},\n", f);
	json_figures(f, r);
	fputs("  \"first_misses\": [", f);
	for (i = 0; i < st->nr_recs; i++) {
		const struct fm_miss_rec *m = &st->recs[i];

		fprintf(f, "%s\n    {\"event\": %lu, \"ns\": %llu, \"cpu\": %ld, \"size\": %lu, \"align\": %lu, \"kernel\": \"0x%lx\", \"predicted\": \"0x%lx\", \"predicted_from\": \"%s\", \"cause\": \"%s\"}",
			i ? "," : "", m->event, m->ns, m->cpu, m->size,
			m->align, m->kernel, m->predicted,
			m->predicted_fail ? "none" :
			m->predicted_pool ? "pool" : "tree",
			fm_miss_names[m->cause]);
	}
	fputs("\n  ]\n}\n", f);
	if (f != stdout && fclose(f)) {
		msg_err("follow: %s: %s", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int write_svg(struct follow_run *r, const char *path)
{
	char *buf = NULL, title[200];
	size_t len = 0, k;
	FILE *mem = open_memstream(&buf, &len), *f;
	int i, ret = 1;

	if (!mem) {
		msg_err("follow: out of memory");
		return 1;
	}
	for (i = 0; i < KVA_FOLLOW_SPACES; i++) {
		if (i && (!r->cfg.policies ||
			  !(r->o->policies & (1U << (i - 1)))))
			continue;
		fprintf(mem, "result policy=%s\n", space_name(i));
		for (k = 0; k < r->nr_samples; k++)
			fprintf(mem, "sample policy=%s op=%lu largest_free=%lu ext_frag_e4=%lu\n",
				space_name(i), r->samples[k].events,
				r->samples[k].largest[i],
				r->samples[k].ext_frag[i]);
	}
	fclose(mem);
	snprintf(title, sizeof(title),
		 "kvalab follow %s: fragmentation over the kernel's events",
		 r->release ? r->release : "");
	f = fopen(path, "w");
	if (!f) {
		msg_err("follow: %s: %s", path, strerror(errno));
		goto out;
	}
	if (simsvg_frag(f, buf, title)) {
		msg_err("follow: %s: %s", path,
			errno == EINVAL ? "no samples to draw (too short a follow)" :
			strerror(errno));
		fclose(f);
		goto out;
	}
	ret = fclose(f) ? 1 : 0;
out:
	free(buf);
	return ret;
}

/* The address maps: one row per space, busy, pooled, lazy over free. */
#define MAP_X0		120
#define MAP_W		960
#define MAP_ROW		26
#define MAP_GAP		10
#define MAP_TOP		70

static const char *const map_fill[] = {
	[FM_KIND_BUSY] = "#1f77b4", [FM_KIND_LAZY] = "#9a9a9a",
	[FM_KIND_POOLED] = "#ff7f0e",
};

struct map_range {
	unsigned long s, e;
};

struct map_ctx {
	FILE *f;
	unsigned long start, span;
	double y;
	struct map_range *r;
	size_t nr, cap;
	bool oom;
};

static void map_collect(void *arg, unsigned long s, unsigned long e,
			enum fm_kind k)
{
	struct map_ctx *c = arg;

	(void)k;
	if (c->nr == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct map_range *n = realloc(c->r, cap * sizeof(*n));

		if (!n) {
			c->oom = true;
			return;
		}
		c->r = n;
		c->cap = cap;
	}
	c->r[c->nr++] = (struct map_range){ s, e };
}

static int map_cmp(const void *a, const void *b)
{
	const struct map_range *x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s;
}

/*
 * The span drawn: from the range's start over the cluster the areas form
 * there, up to the first gap wider than 1 GiB and 16 times the cluster so
 * far (the percpu chunks at the top of a 32 or 12800 TiB range would
 * shrink everything else to nothing). *@beyond: areas left out.
 */
static unsigned long map_span(struct map_ctx *c, size_t *beyond)
{
	unsigned long end = c->start;
	size_t i;

	qsort(c->r, c->nr, sizeof(*c->r), map_cmp);
	for (i = 0; i < c->nr; i++) {
		unsigned long ext = end - c->start, lim = 16 * ext;

		if (lim < (1UL << 30))
			lim = 1UL << 30;
		if (c->r[i].s > end && c->r[i].s - end > lim)
			break;
		if (c->r[i].e > end)
			end = c->r[i].e;
	}
	*beyond = c->nr - i;
	return end - c->start;
}

static void map_rect(void *arg, unsigned long s, unsigned long e,
		     enum fm_kind k)
{
	struct map_ctx *c = arg;
	double x, w;

	if (s >= c->start + c->span)
		return;
	if (e > c->start + c->span)
		e = c->start + c->span;
	x = MAP_X0 + (double)(s - c->start) * MAP_W / c->span;
	w = (double)(e - s) * MAP_W / c->span;
	fprintf(c->f, "<rect x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%d\" fill=\"%s\"/>\n",
		x, c->y, w < 0.6 ? 0.6 : w, MAP_ROW, map_fill[k]);
}

static int write_map(struct follow_run *r, const char *path)
{
	struct map_ctx c = { .start = r->cfg.vstart & ~4095UL };
	int i, rows = 0, k, h;
	char b[32], title[256];
	size_t beyond;
	FILE *f;

	for (i = 0; i < KVA_FOLLOW_SPACES; i++) {
		if (i && (!r->cfg.policies ||
			  !(r->o->policies & (1U << (i - 1)))))
			continue;
		fm_walk(r->m, i - 1, map_collect, &c);
		rows++;
	}
	if (c.oom) {
		free(c.r);
		msg_err("follow: out of memory");
		return 1;
	}
	c.span = map_span(&c, &beyond);
	free(c.r);
	if (!c.span) {
		msg_err("follow: %s: nothing occupied to draw", path);
		return 1;
	}
	f = fopen(path, "w");
	if (!f) {
		msg_err("follow: %s: %s", path, strerror(errno));
		return 1;
	}
	h = MAP_TOP + rows * (MAP_ROW + MAP_GAP) + 60;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n",
		MAP_X0 + MAP_W + 50, h);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n");
	snprintf(title, sizeof(title),
		 "kvalab follow %s: the first %s of the vmalloc range (0x%lx), at the end",
		 r->release ? r->release : "", hsize(c.span, b, sizeof(b)),
		 c.start);
	fprintf(f, "<text x=\"10\" y=\"24\" font-size=\"15\">");
	xml_text(f, title);
	fputs("</text>\n", f);
	fprintf(f, "<text x=\"10\" y=\"44\">the kernel's model (its own addresses) and each policy on the same requests: busy, pooled, lazy over free; %zu range%s further up not drawn</text>\n",
		beyond, beyond == 1 ? "" : "s");
	c.f = f;
	c.y = MAP_TOP;
	for (i = 0; i < KVA_FOLLOW_SPACES; i++) {
		if (i && (!r->cfg.policies ||
			  !(r->o->policies & (1U << (i - 1)))))
			continue;
		fprintf(f, "<text x=\"10\" y=\"%.0f\">%s</text>\n",
			c.y + MAP_ROW - 8, space_name(i));
		fprintf(f, "<rect x=\"%d\" y=\"%.0f\" width=\"%d\" height=\"%d\" fill=\"#ffffff\" stroke=\"#444444\" stroke-width=\"0.5\"/>\n",
			MAP_X0, c.y, MAP_W, MAP_ROW);
		fm_walk(r->m, i - 1, map_rect, &c);
		c.y += MAP_ROW + MAP_GAP;
	}
	for (k = 0; k <= 4; k++) {
		hsize(c.span / 4 * k, b, sizeof(b));
		fprintf(f, "<text x=\"%d\" y=\"%.0f\" text-anchor=\"middle\">+%s</text>\n",
			MAP_X0 + MAP_W * k / 4, c.y + 8, b);
	}
	for (k = 0; k < 3; k++)
		fprintf(f, "<rect x=\"%d\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"%s\"/><text x=\"%d\" y=\"%.0f\">%s</text>\n",
			MAP_X0 + k * 160, c.y + 24, map_fill[k],
			MAP_X0 + k * 160 + 20, c.y + 36,
			k == FM_KIND_BUSY ? "busy" : k == FM_KIND_LAZY ?
			"lazy" : "pooled");
	fputs("</svg>\n", f);
	if (fclose(f)) {
		msg_err("follow: %s: %s", path, strerror(errno));
		return 1;
	}
	return 0;
}

static void summary(struct follow_run *r)
{
	const struct fm_stats *st = fm_stats(r->m);
	unsigned long i;
	int c;

	printf("\nfollowed %s: %lu events (%lu allocs, %lu frees, %lu purges)",
	       r->release ? r->release : "a kernel", st->events, st->allocs,
	       st->frees, st->purges);
	if (st->lost_lines)
		printf(", LOST %lu events in %lu gaps", st->lost_events,
		       st->lost_lines);
	printf("\nmodelled %lu allocations (%lu outside the vmalloc range, %lu already in the layout)\n",
	       st->modelled, st->outside, st->in_layout);
	printf("agreement: %lu of %lu = %.2f%% placed where the kernel placed them",
	       st->agreed, st->modelled,
	       st->modelled ? 100.0 * st->agreed / st->modelled : 0.0);
	if (st->pool_predicted)
		printf(" (%lu of %lu pool hits predicted)", st->pool_agreed,
		       st->pool_predicted);
	putchar('\n');
	for (c = 0; c < FM_NR_MISS; c++)
		if (st->miss[c])
			printf("  miss %-13s %6lu  %s\n", fm_miss_names[c],
			       st->miss[c], fm_miss_help[c]);
	printf("model: %lu frees outside the range, %lu of areas it never held, %lu of lazy areas; %lu stale areas evicted, %lu skipped gaps taken as pooled before the follow, %lu purges that purged another count than the kernel's\n",
	       st->outside_frees, st->unknown_frees, st->double_frees,
	       st->evicted, st->hidden_gaps, st->purge_mismatch);
	for (i = 0; i < st->nr_recs && i < 10; i++) {
		const struct fm_miss_rec *m = &st->recs[i];

		printf("  event %lu cpu %ld size %lu align %lu: kernel 0x%lx, model 0x%lx from the %s (%s)\n",
		       m->event, m->cpu, m->size, m->align, m->kernel,
		       m->predicted,
		       m->predicted_fail ? "nothing" :
		       m->predicted_pool ? "pool" : "tree",
		       fm_miss_names[m->cause]);
	}
}

static int finish(struct follow_run *r, double t)
{
	int ret = 0;

	if (!r->m) {
		msg_err("follow: no alloc_vmap_area event over the vmalloc range came%s: nothing to model (pass --range START-END to model from the layout alone)",
			r->o->from ? " in the trace" : " while following");
		return 1;
	}
	print_tick(r, t, true);
	summary(r);
	if (r->o->json)
		ret |= write_json(r, r->o->json);
	if (r->o->svg)
		ret |= write_svg(r, r->o->svg);
	if (r->o->map)
		ret |= write_map(r, r->o->map);
	return ret;
}

/*
 * What the kernel's release says of its vmalloc: per-node pools from 6.9
 * (none before), and the pools' decay as 6.9 merged it (a size class of
 * 1..3 areas decays whole) until 6.16 changed decay_va_pool_node() to keep
 * such a class. An unparsable release is taken as the newest.
 */
static void release_config(const char *rel, struct fm_config *c, int pools)
{
	unsigned int maj = 0, min = 0, v;

	if (!rel || sscanf(rel, "%u.%u", &maj, &min) != 2)
		maj = 99;
	v = maj * 1000 + min;
	c->pools = pools < 0 ? v >= 6009 : pools;
	c->decay_all_small = v >= 6009 && v < 6016;
}

/* "# kvalab-follow: release=R nodes=N" (a saved follow's first line) */
static void read_header(struct follow_run *r, const char *text)
{
	const char *h = strstr(text, HEADER), *p;
	static char rel[128];

	if (!h)
		return;
	p = strstr(h, "release=");
	if (p && !r->release && sscanf(p, "release=%127s", rel) == 1)
		r->release = rel;
	p = strstr(h, "nodes=");
	if (p && !r->o->nodes)
		r->cfg.nodes = strtoul(p + 6, NULL, 10);
}

static int run_text(struct follow_run *r, char *text, const char *src)
{
	char *line, *next;

	for (line = text; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (line_in(r, line, src))
			return 1;
	}
	return 0;
}

static int follow_offline(struct follow_run *r)
{
	size_t len;
	char *text = read_file(r->o->from, &len);
	const char *p;
	int ret;

	if (!text) {
		msg_err("follow: %s: %s", r->o->from, strerror(errno));
		return 1;
	}
	if (strlen(text) != len) {
		msg_err("follow: %s: not a text file (NUL byte)", r->o->from);
		free(text);
		return 1;
	}
	r->release = r->o->release;
	read_header(r, text);
	release_config(r->release, &r->cfg, r->o->pools);
	/* #P:N, the CPUs of the buffer, when nothing else says the nodes */
	if (!r->cfg.nodes) {
		p = strstr(text, "#P:");
		r->cfg.nodes = p ? strtoul(p + 3, NULL, 10) : 1;
	}
	if (!r->cfg.nodes || r->cfg.nodes > 128)
		r->cfg.nodes = 1;
	r->markers = strstr(text, MARK_BEGIN) != NULL;
	if (!r->markers)
		r->settled = true, r->settle_at = 0;
	if (r->o->have_range && build_model(r, r->o->vstart, r->o->vend)) {
		free(text);
		return 1;
	}
	if (r->m && r->settled)
		fm_settle(r->m);
	ret = run_text(r, text, r->o->from);
	free(text);
	return ret ? ret : finish(r, r->next_tick / 1e9);
}

static unsigned int possible_cpus(void)
{
	size_t len;
	char *s = read_file("/sys/devices/system/cpu/possible", &len);
	unsigned long n = 0;
	char *p;

	if (!s)
		return (unsigned int)sysconf(_SC_NPROCESSORS_CONF);
	for (p = s; *p && *p != '\n';) {
		unsigned long a = strtoul(p, &p, 10), b = a;

		if (*p == '-')
			b = strtoul(p + 1, &p, 10);
		n += b - a + 1;
		if (*p == ',')
			p++;
		else
			break;
	}
	free(s);
	return n ? n : 1;
}

struct live {
	char *dir;		/* the instance: instance_path */
	bool made;
	int kptr;		/* kptr_restrict before, -1 untouched */
};

/* Instances of follows whose process is gone (killed): removed. */
static void remove_stale(const char *tracefs)
{
	char path[4200];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/instances", tracefs);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		char *end;
		long pid;

		if (strncmp(d->d_name, "kvalab-follow-", 14))
			continue;
		pid = strtol(d->d_name + 14, &end, 10);
		if (*end || pid <= 0 || !kill(pid, 0) || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/instances/%s", tracefs,
			 d->d_name);
		if (!rmdir(path))
			fprintf(stderr, "kvalab: follow: removed %s, left by a follow that died\n",
				path);
	}
	closedir(dir);
}

static void live_cleanup(struct live *l)
{
	if (l->made) {
		tracefs_write(l->dir, "events/vmalloc/enable", "0", false);
		instance_made = 0;
		if (rmdir(l->dir))
			msg_err("follow: cannot remove the tracefs instance %s: %s",
				l->dir, strerror(errno));
		l->made = false;
	}
	if (l->kptr >= 0) {
		char v[16];

		snprintf(v, sizeof(v), "%d", l->kptr);
		tracefs_write("/proc/sys/kernel", "kptr_restrict", v, false);
		l->kptr = -1;
	}
}

/* /proc/vmallocinfo with real addresses, into @path; 0 or 1. */
static int snapshot(struct live *l, const char *path)
{
	size_t len;
	char *s = read_file("/proc/sys/kernel/kptr_restrict", &len), *text;
	bool ok;
	FILE *f;
	int k = s ? atoi(s) : 1;

	free(s);
	if (k != 1) {
		if (tracefs_write("/proc/sys/kernel", "kptr_restrict", "1",
				  false)) {
			msg_err("follow: cannot set kptr_restrict to 1 for the snapshot (it is %d): %s",
				k, strerror(errno));
			return 1;
		}
		l->kptr = k;
	}
	text = read_file("/proc/vmallocinfo", &len);
	if (l->kptr >= 0) {
		char v[16];

		snprintf(v, sizeof(v), "%d", l->kptr);
		tracefs_write("/proc/sys/kernel", "kptr_restrict", v, false);
		l->kptr = -1;
	}
	if (!text) {
		msg_err("follow: /proc/vmallocinfo: %s", strerror(errno));
		return 1;
	}
	f = fopen(path, "w");
	ok = f && fwrite(text, 1, len, f) == len;
	if (f && fclose(f))
		ok = false;
	free(text);
	if (!ok) {
		msg_err("follow: %s: %s", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int live_setup(struct follow_run *r, struct live *l, const char *snap)
{
	const char *dir = tracefs_find();
	int err;

	if (!dir || !tracefs_exists(dir, "trace")) {
		msg_err("follow: no tracefs (looked in %s): mount it with 'mount -t tracefs nodev /sys/kernel/tracing' and run as root",
			dir ? dir : "/sys/kernel/tracing and /sys/kernel/debug/tracing");
		return 1;
	}
	if (!tracefs_exists(dir, "events/vmalloc/enable")) {
		msg_err("follow: %s has no events/vmalloc/: the vmalloc trace events (alloc_vmap_area, free_vmap_area_noflush, purge_vmap_area_lazy) exist only from Linux 6.2, and this kernel is %s; kvalab whatif judges a /proc/vmallocinfo snapshot without them",
			dir, kernel_release());
		return 1;
	}
	remove_stale(dir);
	l->dir = instance_path;
	snprintf(instance_path, sizeof(instance_path),
		 "%s/instances/kvalab-follow-%ld", dir, (long)getpid());
	instance_made = 1;
	if (mkdir(l->dir, 0700)) {
		char mode[32];

		instance_made = 0;
		err = errno;
		msg_err("follow: cannot make the tracefs instance %s: %s%s%s",
			l->dir, strerror(err),
			err == EACCES || err == EPERM ? " (run as root" : "",
			err == EACCES || err == EPERM ?
			(lockdown_mode(mode, sizeof(mode)) &&
			 !strcmp(mode, "confidentiality") ?
			 "; lockdown=confidentiality closes tracefs)" : ")") : "");
		return 1;
	}
	l->made = true;
	err = tracefs_write(l->dir, "buffer_size_kb", "4096", false);
	if (!err)
		err = tracefs_write(l->dir, "events/vmalloc/enable", "1", false);
	if (!err)
		err = tracefs_write(l->dir, "trace_marker", MARK_BEGIN, false);
	if (err) {
		msg_err("follow: cannot set up %s: %s", l->dir, strerror(-err));
		return 1;
	}
	if (snapshot(l, snap))
		return 1;
	err = tracefs_write(l->dir, "trace_marker", MARK_END, false);
	if (err) {
		msg_err("follow: cannot write %s/trace_marker: %s", l->dir,
			strerror(-err));
		return 1;
	}
	(void)r;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read what trace_pipe holds; 0, 1 after a message. */
static int pump(struct follow_run *r, int fd, char *buf, size_t cap,
		size_t *have)
{
	for (;;) {
		ssize_t n = read(fd, buf + *have, cap - 1 - *have);
		char *line, *nl;

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			msg_err("follow: trace_pipe: %s", strerror(errno));
			return 1;
		}
		if (!n)
			return 0;
		*have += n;
		buf[*have] = '\0';
		for (line = buf; (nl = strchr(line, '\n')); line = nl + 1) {
			*nl = '\0';
			if (line_in(r, line, "trace_pipe"))
				return 1;
		}
		*have -= line - buf;
		memmove(buf, line, *have);
		if (*have == cap - 1) {
			msg_err("follow: trace_pipe: a line of over %zu bytes",
				cap);
			return 1;
		}
	}
}

static int follow_live(struct follow_run *r)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct live l = { .kptr = -1 };
	char snap[] = "/tmp/kvalab-follow-XXXXXX", path[4300], *buf = NULL;
	const char *snap_path = r->o->save_layout;
	double t0, next, t;
	size_t have = 0, cap = 1 << 16;
	int fd = -1, ret = 1, tmp = -1;
	struct pollfd pfd;

	r->release = kernel_release();
	if (!r->cfg.nodes)
		r->cfg.nodes = possible_cpus();
	if (r->cfg.nodes > 128)
		r->cfg.nodes = 128;
	release_config(r->release, &r->cfg, r->o->pools);
	if (!snap_path) {
		tmp = mkstemp(snap);
		if (tmp < 0) {
			msg_err("follow: %s: %s", snap, strerror(errno));
			return 1;
		}
		close(tmp);
		snap_path = snap;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGSEGV, on_fatal);
	signal(SIGBUS, on_fatal);
	signal(SIGABRT, on_fatal);
	signal(SIGFPE, on_fatal);
	if (r->o->save_trace) {
		r->save = fopen(r->o->save_trace, "w");
		if (!r->save) {
			msg_err("follow: %s: %s", r->o->save_trace,
				strerror(errno));
			goto out;
		}
		fprintf(r->save, "%s release=%s nodes=%u\n", HEADER,
			r->release, r->cfg.nodes);
	}
	if (live_setup(r, &l, snap_path))
		goto out;
	if (vmi_load(snap_path, "follow", false, &r->ents, &r->nr_ents))
		goto out;
	r->markers = true;
	if (r->o->have_range && build_model(r, r->o->vstart, r->o->vend))
		goto out;
	snprintf(path, sizeof(path), "%s/trace_pipe", l.dir);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	buf = malloc(cap);
	if (fd < 0 || !buf) {
		msg_err("follow: %s: %s", path, strerror(errno));
		goto out;
	}
	if (!r->o->quiet)
		printf("follow: %s, following its vmalloc %s\n", r->release,
		       r->o->seconds ? "(Ctrl-C ends it early)" :
		       "until Ctrl-C");
	t0 = now_s();
	next = t0 + r->o->interval;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!follow_stop) {
		t = now_s();
		if (r->o->seconds && t - t0 >= r->o->seconds)
			break;
		if (poll(&pfd, 1, 200) < 0 && errno != EINTR) {
			msg_err("follow: poll: %s", strerror(errno));
			goto out;
		}
		if (pump(r, fd, buf, cap, &have))
			goto out;
		if (now_s() >= next) {
			print_tick(r, next - t0, false);
			next += r->o->interval;
		}
	}
	/* What the buffer still holds, then the events off. */
	tracefs_write(l.dir, "events/vmalloc/enable", "0", false);
	if (pump(r, fd, buf, cap, &have))
		goto out;
	ret = finish(r, now_s() - t0);
out:
	if (fd >= 0)
		close(fd);
	live_cleanup(&l);
	if (r->save && fclose(r->save)) {
		msg_err("follow: %s: %s", r->o->save_trace, strerror(errno));
		ret = 1;
	}
	r->save = NULL;
	if (tmp >= 0)
		unlink(snap);
	free(buf);
	return ret;
}

/* --range START-END: hex, START < END. */
static bool parse_range(const char *s, unsigned long *a, unsigned long *b)
{
	char *e;

	errno = 0;
	*a = strtoul(s, &e, 16);
	if (errno || e == s || *e != '-')
		return false;
	s = e + 1;
	*b = strtoul(s, &e, 16);
	return !errno && e != s && !*e && *a < *b && !(*a & 4095);
}

int cmd_follow(const struct command *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' },
		{ "policy", required_argument, NULL, 'p' },
		{ "svg", required_argument, NULL, 'S' },
		{ "map", required_argument, NULL, 'M' },
		{ "json", required_argument, NULL, 'j' },
		{ "from", required_argument, NULL, 'f' },
		{ "layout", required_argument, NULL, 'l' },
		{ "save-trace", required_argument, NULL, 'T' },
		{ "save-layout", required_argument, NULL, 'L' },
		{ "nodes", required_argument, NULL, 'N' },
		{ "pools", required_argument, NULL, 'P' },
		{ "range", required_argument, NULL, 'r' },
		{ "release", required_argument, NULL, 'R' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct follow_opts o = { .interval = 1, .pools = -1,
				 .policies = ~0U };
	struct follow_run r = { .o = &o, .page = 4096, .settle_at = SIZE_MAX,
				.stride = 1 };
	struct sample *samples;
	int c, ret;

	while ((c = sub_getopt(argc, argv, ":hq", opts)) != -1) {
		switch (c) {
		case 'h':
			return print_help(cmd);
		case 'n':
			if (!parse_uint(optarg, &o.seconds) || o.seconds > 604800)
				return usage_error(cmd, "--seconds '%s' is not 0..604800",
						   optarg);
			break;
		case 'i':
			if (!parse_uint(optarg, &o.interval) || !o.interval ||
			    o.interval > 86400)
				return usage_error(cmd, "--interval '%s' is not 1..86400",
						   optarg);
			break;
		case 'p':
			ret = sim_policy_opt(cmd, optarg, &o.policies);
			if (ret)
				return ret;
			break;
		case 'S':
			o.svg = optarg;
			break;
		case 'M':
			o.map = optarg;
			break;
		case 'j':
			o.json = optarg;
			break;
		case 'f':
			o.from = optarg;
			break;
		case 'l':
			o.layout = optarg;
			break;
		case 'T':
			o.save_trace = optarg;
			break;
		case 'L':
			o.save_layout = optarg;
			break;
		case 'N':
			if (!parse_uint(optarg, &o.nodes) || !o.nodes ||
			    o.nodes > 128)
				return usage_error(cmd, "--nodes '%s' is not 1..128",
						   optarg);
			break;
		case 'P':
			if (!strcmp(optarg, "on"))
				o.pools = 1;
			else if (!strcmp(optarg, "off"))
				o.pools = 0;
			else
				return usage_error(cmd, "--pools '%s' is not on or off",
						   optarg);
			break;
		case 'r':
			if (!parse_range(optarg, &o.vstart, &o.vend))
				return usage_error(cmd, "--range '%s' is not START-END (hex, START page aligned, below END)",
						   optarg);
			o.have_range = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'R':
			o.release = optarg;
			break;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!o.from != !o.layout)
		return usage_error(cmd, "--from TRACE and --layout VMALLOCINFO go together");
	if (o.from && (o.save_trace || o.save_layout || o.seconds))
		return usage_error(cmd, "--save-trace, --save-layout and --seconds are for a live follow, not --from");
	samples = calloc(MAX_SAMPLES, sizeof(*samples));
	if (!samples) {
		msg_err("follow: out of memory");
		return 1;
	}
	r.samples = samples;
	r.cfg.nodes = o.nodes;
	r.cfg.policies = true;
	r.next_tick = o.interval * 1000000000ULL;
	if (o.from) {
		if (vmi_load(o.layout, "follow", false, &r.ents, &r.nr_ents)) {
			free(samples);
			return 1;
		}
		ret = follow_offline(&r);
	} else {
		ret = follow_live(&r);
	}
	fm_free(r.m);
	free(r.ents);
	free(r.pend);
	free(samples);
	return ret;
}
