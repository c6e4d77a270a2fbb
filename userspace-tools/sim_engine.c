// SPDX-License-Identifier: GPL-2.0
/*
 * The sim's engine: the VA decisions of module/replay.c with va_only, on
 * module/core.c and the policies compiled unchanged against shim/ and the
 * kernel's tools/include (userspace-tools/Makefile).
 *
 * Each step mirrors the module function named beside it (the allocation,
 * free and purge in sim_space.c); a change there is a change here, and the
 * VM suite sim.bats diffs the two placement logs on every kernel make
 * check boots:
 *
 *   alloc     area.c new_area(): EINVAL for size 0, E2BIG past the slice
 *             (guard included), a pooled area of exactly the size when the
 *             pool lever is on and the request is page aligned, else
 *             kva_alloc(); on ENOMEM one full purge and one retry
 *             (reserve_va());
 *   free      area.c retire_va(): onto the lazy tree, and a purge (the pool
 *             keeping what it may) when the lazy pages exceed the threshold;
 *   purge     purge.c kvalab_purge_state_held(): the lazy areas in address
 *             order, the pool's decay, merged into the free tree;
 *   a run     replay.c replay_one(): the policy's search state fresh, a
 *             full purge, the ops, a sample every nr_ops / samples ops,
 *             the end figures, everything freed, a purge, kva_check().
 *
 * The placement digest is include/kvalab/placements.h's, the module's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/align.h>
#include <linux/errno.h>
#include <kvalab/core.h>
#include <kvalab/trace.h>
#include <kvalab/cmd.h>
#include <kvalab/placements.h>

#include "sim_engine.h"
#include "sim_space.h"

/* A slice start aligned to 1 TiB; base_align is added to it. */
#define SIM_BASE		0xffffc90000000000UL
/* The module's bounds of one trace (replay.c). */
#define SIM_OPS_MAX		(4UL << 20)
#define SIM_IDS_MAX		(1U << 24)

struct sim_op {
	unsigned long size;
	uint32_t id;
	uint32_t line;
	uint8_t kind;
	uint8_t align_order;
	uint16_t flags;
};

struct sim_trace {
	struct sim_op *ops;
	unsigned long nr_ops, cap;
	struct sim_trace_info info;
	/* Loading only: guard-included pages per live id, 0 when not live. */
	uint32_t *live;
	unsigned long nr_live_slots, live_bytes;
};

/* ---- names ---- */

int sim_nr_policies(void)
{
	return KVA_NR_POLICIES;
}

const char *sim_policy_name(int i)
{
	return i >= 0 && i < KVA_NR_POLICIES ? kva_policy_names[i] : NULL;
}

int sim_policy_by_name(const char *name)
{
	return kva_policy_by_name(name, strlen(name));
}

int sim_nr_search(void)
{
	return KVA_NR_SEARCH;
}

const char *sim_search_name(int i)
{
	return i >= 0 && i < KVA_NR_SEARCH ? kva_search_names[i] : NULL;
}

int sim_search_by_name(const char *name)
{
	return kvalab_name_index(kva_search_names, KVA_NR_SEARCH, name,
				 strlen(name));
}

/* ---- loading (replay.c feed_line, add_op) ---- */

static bool sim_is_live(void *ctx, unsigned int id)
{
	const struct sim_trace *t = ctx;

	return id < t->nr_live_slots && t->live[id];
}

static int grow_live(struct sim_trace *t, unsigned int id)
{
	unsigned long n = t->nr_live_slots ? t->nr_live_slots : 4096;
	uint32_t *p;

	while (n <= id)
		n *= 2;
	if (n > SIM_IDS_MAX)
		n = SIM_IDS_MAX;
	p = realloc(t->live, n * sizeof(*p));
	if (!p)
		return -1;
	memset(p + t->nr_live_slots, 0, (n - t->nr_live_slots) * sizeof(*p));
	t->live = p;
	t->nr_live_slots = n;
	return 0;
}

static int add_op(struct sim_trace *t, const struct kva_trace_op *op,
		  unsigned long line)
{
	struct sim_op *o;

	if (t->nr_ops == t->cap) {
		unsigned long cap = t->cap ? t->cap * 2 : 4096;
		struct sim_op *p = realloc(t->ops, cap * sizeof(*p));

		if (!p)
			return -1;
		t->ops = p;
		t->cap = cap;
	}
	o = &t->ops[t->nr_ops++];
	o->kind = op->kind;
	o->id = op->id;
	o->line = (uint32_t)line;
	o->size = op->size;
	/* The parser takes powers of two only: log2 is the trailing zeros. */
	o->align_order = 0;
	if (op->align > PAGE_SIZE)
		o->align_order = (uint8_t)__builtin_ctzl(op->align);
	o->flags = (uint16_t)op->flags;
	return 0;
}

/* One line; 0, or -1 with the reason in @why. */
static int load_line(struct sim_trace *t, struct kva_trace_parser *p,
		     const char *line, size_t len, char *why, size_t wlen)
{
	struct kva_trace_op op;
	unsigned long pages;

	if (kva_trace_parse_line(p, line, len, &op, why, wlen))
		return -1;
	switch (op.kind) {
	case KVA_TRACE_HEADER:
		return 0;
	case KVA_TRACE_ALLOC:
		if (op.id >= SIM_IDS_MAX) {
			snprintf(why, wlen, "id is above what a replay maps (16777215): renumber the trace");
			return -1;
		}
		if (op.id >= t->nr_live_slots && grow_live(t, op.id))
			goto oom;
		pages = (ALIGN(op.size, PAGE_SIZE) >> PAGE_SHIFT) +
			((op.flags & KVA_TRACE_F_NOGUARD) ? 0 : 1);
		t->live[op.id] = (uint32_t)pages;
		t->live_bytes += pages << PAGE_SHIFT;
		if (t->live_bytes > t->info.peak_live)
			t->info.peak_live = t->live_bytes;
		if (op.id + 1UL > t->info.nr_ids)
			t->info.nr_ids = op.id + 1UL;
		t->info.nr_alloc++;
		break;
	case KVA_TRACE_FREE:
		t->live_bytes -= (unsigned long)t->live[op.id] << PAGE_SHIFT;
		t->live[op.id] = 0;
		t->info.nr_free++;
		break;
	case KVA_TRACE_PURGE:
		t->info.nr_purge++;
		break;
	default:
		return 0;	/* blank or comment */
	}
	if (t->nr_ops >= SIM_OPS_MAX) {
		snprintf(why, wlen, "more than %lu operations", SIM_OPS_MAX);
		return -1;
	}
	if (add_op(t, &op, p->line_nr))
		goto oom;
	return 0;
oom:
	snprintf(why, wlen, "out of memory");
	return -1;
}

struct sim_trace *sim_trace_load(const char *name, const char *text,
				 size_t len, char *err, size_t errlen)
{
	char why[KVA_TRACE_ERR_MAX];
	struct sim_trace *t = calloc(1, sizeof(*t));
	struct kva_trace_parser p;
	uint64_t h = KVA_FNV_OFFSET;
	size_t off = 0, i;

	if (!t) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)text[i]) * KVA_FNV_PRIME;
	kva_trace_parser_init(&p, PAGE_SIZE, sim_is_live, t);
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = (nl ? (size_t)(nl - text) + 1 : len) - off;

		if (load_line(t, &p, text + off, n, why, sizeof(why))) {
			/* The parser's reason, as "NAME:LINE: reason". */
			snprintf(err, errlen, "%s:%lu: %s", name, p.line_nr, why);
			sim_trace_free(t);
			return NULL;
		}
		off += n;
	}
	if (!p.have_header) {
		snprintf(err, errlen, "%s: empty trace: no header line", name);
		sim_trace_free(t);
		return NULL;
	}
	free(t->live);
	t->live = NULL;
	t->info.nr_ops = t->nr_ops;
	t->info.slice_size = p.hdr.slice_size;
	t->info.text_bytes = len;
	t->info.digest = h;
	snprintf(t->info.source, sizeof(t->info.source), "%s",
		 p.hdr.source[0] ? p.hdr.source : "-");
	return t;
}

void sim_trace_free(struct sim_trace *t)
{
	if (!t)
		return;
	free(t->ops);
	free(t->live);
	free(t);
}

void sim_trace_info(const struct sim_trace *t, struct sim_trace_info *info)
{
	*info = t->info;
}

unsigned long sim_default_lazy_max(unsigned long slice_pages, unsigned int cpus)
{
	unsigned long kernel = (unsigned long)(32 - __builtin_clz(cpus ? cpus : 1)) *
			       ((32UL << 20) >> PAGE_SHIFT);

	return max(1UL, min(kernel, slice_pages / 8));
}

/* ---- running ---- */

struct sim_sample {
	unsigned long op, used, free_bytes, nr_free, largest_free;
	unsigned long ext_frag_e4, frag_rss_e4;
};

struct sim_run {
	struct sim_space sp;
	struct kva_area **map;		/* id -> area; NULL: not live */
	unsigned long slice_size;
	uint64_t placements;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* area.c new_area()'s checks for a VA-only workload area; 0 or -errno. */
static long sim_alloc(struct sim_run *r, const struct sim_op *o,
		      struct kva_area **out)
{
	unsigned long align = o->align_order ? 1UL << o->align_order : PAGE_SIZE;
	unsigned long size = o->size, vsize;

	if (!size)
		return -EINVAL;
	if (size > r->slice_size)
		return -E2BIG;
	size = ALIGN(size, PAGE_SIZE);
	vsize = size + ((o->flags & KVA_TRACE_F_NOGUARD) ? 0 : PAGE_SIZE);
	if (vsize > r->slice_size)
		return -E2BIG;
	if (vsize + (align - 1) < vsize)
		return -EOVERFLOW;
	return sim_space_alloc(&r->sp, vsize, align, true, out);
}

static void take_sample(struct sim_run *r, struct sim_sample *sm,
			unsigned long op, unsigned long used)
{
	struct kva_frag f;

	kva_frag(&r->sp.s, &f);
	sm->op = op;
	sm->used = used;
	sm->free_bytes = f.free_bytes;
	sm->nr_free = f.nr_free;
	sm->largest_free = f.largest_free;
	sm->ext_frag_e4 = f.ext_frag_e4;
	sm->frag_rss_e4 = f.frag_rss_e4;
}

static void print_figures(FILE *f, const struct sim_sample *sm)
{
	fprintf(f, " used=%lu free_bytes=%lu nr_free=%lu largest_free=%lu ext_frag_e4=%lu frag_rss_e4=%lu",
		sm->used, sm->free_bytes, sm->nr_free, sm->largest_free,
		sm->ext_frag_e4, sm->frag_rss_e4);
}

/* The run's state from scratch: the slice one free area, nothing else. */
static int run_setup(struct sim_run *r, const struct sim_trace *t,
		     const struct sim_params *p, char *err, size_t errlen)
{
	unsigned long align = p->base_align, base, lazy_max;

	r->slice_size = p->slice_size ? p->slice_size : t->info.slice_size;
	if (r->slice_size < PAGE_SIZE || r->slice_size % PAGE_SIZE) {
		snprintf(err, errlen, "slice size %lu is not a whole number of pages",
			 r->slice_size);
		return -1;
	}
	if (!align) {
		align = 1UL << 21;
		while (align > r->slice_size)
			align >>= 1;
	}
	if (align < PAGE_SIZE || (align & (align - 1)) || align > (1UL << 39)) {
		snprintf(err, errlen, "base alignment %lu is not a power of two from a page to 512G",
			 align);
		return -1;
	}
	if (t->info.peak_live > r->slice_size) {
		unsigned long e4 = r->slice_size / (t->info.peak_live / 10000 + 1);

		snprintf(err, errlen,
			 "the trace peaks at %luK live; the slice is %luK: sim with --scale %lu.%04lu or less, or --slice-size %luM",
			 t->info.peak_live >> 10, r->slice_size >> 10,
			 e4 / 10000, e4 % 10000,
			 (t->info.peak_live + (t->info.peak_live >> 3) +
			  (1UL << 20) - 1) >> 20);
		return -1;
	}
	lazy_max = p->lazy_max_pages ? p->lazy_max_pages :
		   sim_default_lazy_max(r->slice_size >> PAGE_SHIFT,
					(unsigned int)sysconf(_SC_NPROCESSORS_ONLN));
	if (lazy_max > r->slice_size >> PAGE_SHIFT) {
		snprintf(err, errlen, "lazy_max_pages=%lu is above the slice's %lu pages",
			 lazy_max, r->slice_size >> PAGE_SHIFT);
		return -1;
	}
	if (p->policy < 0 || p->policy >= KVA_NR_POLICIES ||
	    p->search < 0 || p->search >= KVA_NR_SEARCH) {
		snprintf(err, errlen, "unknown policy or search");
		return -1;
	}
	base = SIM_BASE + align;
	r->map = calloc(t->info.nr_ids ? t->info.nr_ids : 1, sizeof(*r->map));
	if (!r->map || sim_space_init(&r->sp, base, base + r->slice_size,
				      p->policy, p->search, lazy_max,
				      p->va_pools)) {
		snprintf(err, errlen, "cannot set the sim up");
		free(r->map);
		return -1;
	}
	r->placements = KVA_FNV_OFFSET;
	return 0;
}

/* Everything back to the allocator, checked, and every object freed. */
static bool run_teardown(struct sim_run *r, const struct sim_trace *t,
			 char *msg, size_t len)
{
	unsigned long id;
	bool ok;

	for (id = 0; id < t->info.nr_ids; id++)
		if (r->map[id])
			sim_space_free(&r->sp, r->map[id]);
	sim_space_purge(&r->sp, true);
	ok = !kva_check(&r->sp.s, msg, len);
	free(r->map);
	/* Every object lives in an arena: the free tree's, the preload. */
	sim_space_destroy(&r->sp);
	return ok;
}

int sim_run(const struct sim_trace *t, const struct sim_params *p,
	    FILE *out, struct sim_summary *sum, char *err, size_t errlen)
{
	unsigned int want = p->samples ? p->samples : KVALAB_REPLAY_DEF_SAMPLES;
	unsigned long every = max(1UL, t->nr_ops / want);
	unsigned long i, used = 0, allocs_ok = 0, enomem = 0, errors = 0;
	unsigned long skipped = 0, purges = 0, fail_line = 0, fail_size = 0;
	unsigned long largest_then = 0, free_then = 0, nr_free_then = 0;
	unsigned long peak = 0, nr_samples = 0, fail_op = 0;
	const char *name = kva_policy_names[p->policy >= 0 &&
					    p->policy < KVA_NR_POLICIES ?
					    p->policy : 0];
	struct sim_sample *samples, end;
	struct sim_run r = { 0 };
	uint64_t t0, ts, sample_ns = 0, ns;
	char msg[256];
	int first_err = 0;

	if (run_setup(&r, t, p, err, errlen))
		return -1;
	samples = calloc(want, sizeof(*samples));
	if (!samples) {
		snprintf(err, errlen, "out of memory");
		run_teardown(&r, t, msg, sizeof(msg));
		return -1;
	}
	t0 = now_ns();
	for (i = 0; i < t->nr_ops; i++) {
		const struct sim_op *o = &t->ops[i];
		struct kva_area *va = NULL;
		long e;

		switch (o->kind) {
		case KVA_TRACE_ALLOC:
			e = sim_alloc(&r, o, &va);
			if (e) {
				r.placements = kva_place_mix(r.placements, e);
				if (p->log)
					fprintf(p->log, "place policy=%s line=%u errno=%ld\n",
						name, o->line, e);
				if (e == -ENOMEM)
					enomem++;
				else
					errors++;
				if (!fail_line) {
					fail_line = o->line;
					fail_op = i + 1;
					fail_size = o->size;
					first_err = (int)e;
					largest_then = kva_largest_free(&r.sp.s);
					free_then = r.sp.s.free_bytes;
					nr_free_then = r.sp.s.nr_free;
				}
				r.map[o->id] = NULL;
				break;
			}
			r.placements = kva_place_mix(r.placements,
						     (long long)(va->va_start - r.sp.s.start));
			if (p->log)
				fprintf(p->log, "place policy=%s line=%u offset=%lu\n",
					name, o->line, va->va_start - r.sp.s.start);
			r.map[o->id] = va;
			allocs_ok++;
			used += kva_size(va);
			peak = max(peak, used);
			break;
		case KVA_TRACE_FREE:
			va = r.map[o->id];
			if (!va) {
				skipped++;
				break;
			}
			used -= kva_size(va);
			r.map[o->id] = NULL;
			sim_space_free(&r.sp, va);
			break;
		default:
			sim_space_purge(&r.sp, true);
			purges++;
		}
		if (!((i + 1) % every) && nr_samples < want) {
			ts = now_ns();
			take_sample(&r, &samples[nr_samples++], i + 1, used);
			sample_ns += now_ns() - ts;
		}
	}
	ns = now_ns() - t0 - sample_ns;
	take_sample(&r, &end, t->nr_ops, used);
	{
		/* The purges of the ops; the teardown's are not the run's. */
		struct sim_hist pns = r.sp.pns, pareas = r.sp.pareas, ppages = r.sp.ppages;
		bool ok = run_teardown(&r, t, msg, sizeof(msg));

		if (out) {
			fprintf(out, "result policy=%s va_only=1 ops=%lu ns=%llu ns_per_op=%llu allocs_ok=%lu enomem=%lu errors=%lu skipped_frees=%lu purges=%lu first_fail_line=%lu first_fail_errno=%d first_fail_size=%lu largest_free_then=%lu free_bytes_then=%lu nr_free_then=%lu peak_used=%lu",
				name, t->nr_ops, (unsigned long long)ns,
				(unsigned long long)(t->nr_ops ? ns / t->nr_ops : 0),
				allocs_ok, enomem, errors, skipped, purges,
				fail_line, first_err, fail_size, largest_then,
				free_then, nr_free_then, peak);
			fprintf(out, " search=%s lazy_max_pages=%lu",
				kva_search_names[p->search], r.sp.lazy_max);
			fprintf(out, " purge_n=%lu purge_ns_p50=%lu purge_ns_p99=%lu purge_ns_max=%lu purge_areas_p50=%lu purge_areas_max=%lu purge_pages_p50=%lu purge_pages_max=%lu",
				pns.n, sim_hist_pct(&pns, 5000), sim_hist_pct(&pns, 9900),
				pns.max, sim_hist_pct(&pareas, 5000), pareas.max,
				sim_hist_pct(&ppages, 5000), ppages.max);
			print_figures(out, &end);
			fprintf(out, " placements=%016llx stopped=0 check=%s\n",
				(unsigned long long)r.placements,
				ok ? "ok" : "failed");
			if (!ok)
				fprintf(out, "check_error policy=%s errno=%d: %s\n",
					name, -EUCLEAN, msg);
			for (i = 0; i < nr_samples; i++) {
				fprintf(out, "sample policy=%s op=%lu", name,
					samples[i].op);
				print_figures(out, &samples[i]);
				fputc('\n', out);
			}
		}
		if (sum) {
			memset(sum, 0, sizeof(*sum));
			sum->ops = t->nr_ops;
			sum->allocs_ok = allocs_ok;
			sum->enomem = enomem;
			sum->errors = errors;
			sum->first_fail_line = fail_line;
			sum->first_fail_op = fail_op;
			sum->peak_used = peak;
			sum->purge_n = pns.n;
			for (i = 0; i < nr_samples; i++)
				sum->ext_frag_peak_e4 = max(sum->ext_frag_peak_e4,
							    samples[i].ext_frag_e4);
			sum->ext_frag_peak_e4 = max(sum->ext_frag_peak_e4,
						    end.ext_frag_e4);
			sum->placements = r.placements;
			sum->ns = ns;
			sum->check_ok = ok;
		}
	}
	free(samples);
	return 0;
}
