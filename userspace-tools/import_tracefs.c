// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab import tracefs: the text of /sys/kernel/tracing/trace (or
 * trace_pipe) with the vmalloc events of Linux 6.2+ in, a trace out.
 *
 * Lines are parsed and checked by tracefs_event.c (the formats are listed
 * in tracefs_event.h).
 *
 * An alloc's size is the VA span the kernel searched for (the guard page,
 * if any, included), so it becomes `a ID SIZE flags=noguard`; align is kept
 * when above a page. Frees carry only va_start: they are joined to the live
 * alloc with that start. Frees of areas not seen allocated (allocated before
 * the capture) are skipped and reported. A start allocated again while live
 * means its free took an untraced path (free_vmap_area() without the
 * noflush tracepoint): the old area is freed first, and that is counted too.
 *
 * Failures (mm/vmalloc.c, alloc_vmap_area()). A failed=1 attempt's
 * va_start is vend up to 6.15 (the search returned vend) and an errno from
 * 6.16 on (IS_ERR_VALUE: -ENOENT no free area, -ERANGE past vend, -ENOMEM
 * no vmap_area for a split), printed by %lu as 2^64 - errno. Either way it
 * is no address; any other va_start with failed=1, or with failed=0 an
 * errno or a start the kernel cannot return (misaligned, outside
 * vstart..vend), is refused with its line. A blocking caller then
 * purges (purge_vmap_area_lazy, traced in its own context) and retries the
 * same call: its context's next alloc event, with the same size, align,
 * vstart and vend. A failed attempt followed by a successful retry is
 * folded into it. A call that ends without success is not replayed (the
 * trace format has no failed allocation) but counted and listed: on 7.x a
 * non-blocking caller fails at once, with no purge and no retry.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trace_write.h"
#include "tracefs_event.h"

/*
 * va_start -> (id, size), open addressing; key 0 empty, 1 deleted (no
 * kernel area starts at 0 or 1). @used counts live and deleted slots, so
 * an empty slot always ends a probe.
 */
struct live_map {
	unsigned long *key;
	unsigned int *id;
	unsigned long *size;
	size_t cap, used;
};

static size_t lm_slot(const struct live_map *m, unsigned long k)
{
	return (size_t)((k >> 12) * 0x9e3779b97f4a7c15UL) & (m->cap - 1);
}

static long lm_find(const struct live_map *m, unsigned long k)
{
	size_t i;

	if (!m->cap)
		return -1;
	for (i = lm_slot(m, k); m->key[i]; i = (i + 1) & (m->cap - 1))
		if (m->key[i] == k)
			return (long)i;
	return -1;
}

static int lm_put(struct live_map *m, unsigned long k, unsigned int id,
		  unsigned long size);

static int lm_grow(struct live_map *m)
{
	struct live_map n = { 0 };
	size_t i;

	n.cap = m->cap ? 2 * m->cap : 1024;
	n.key = calloc(n.cap, sizeof(*n.key));
	n.id = calloc(n.cap, sizeof(*n.id));
	n.size = calloc(n.cap, sizeof(*n.size));
	if (!n.key || !n.id || !n.size) {
		free(n.key);
		free(n.id);
		free(n.size);
		return -ENOMEM;
	}
	for (i = 0; i < m->cap; i++)
		if (m->key[i] > 1)
			lm_put(&n, m->key[i], m->id[i], m->size[i]);
	free(m->key);
	free(m->id);
	free(m->size);
	*m = n;
	return 0;
}

static int lm_put(struct live_map *m, unsigned long k, unsigned int id,
		  unsigned long size)
{
	size_t i;

	if ((m->used + 1) * 2 > m->cap && lm_grow(m))
		return -ENOMEM;
	for (i = lm_slot(m, k); m->key[i] > 1; i = (i + 1) & (m->cap - 1))
		;
	if (!m->key[i])
		m->used++;
	m->key[i] = k;
	m->id[i] = id;
	m->size[i] = size;
	return 0;
}

static void lm_release(struct live_map *m)
{
	free(m->key);
	free(m->id);
	free(m->size);
}

/*
 * A call of alloc_vmap_area() whose last attempt failed, waiting for its
 * retry: its context's next alloc event with the same size, align, vstart
 * and vend, after a purge by that context. Once purged, later retries need
 * none (a purge notifier that freed something retries at once); in a text
 * without purge events (not enabled) none is awaited. Also the shape of
 * one alloc event, for on_attempt().
 */
struct pending {
	struct tfs_ctx ctx;
	unsigned long size, align, vstart, vend;
	unsigned long line;		/* its first failed attempt */
	unsigned long va;		/* the last attempt's va_start */
	unsigned int attempts;
	bool purged;
};

/* How a call was seen to fail for good. */
enum fail_end {
	FAIL_NO_RETRY,		/* its context moved on, no purge since */
	FAIL_GAVE_UP,		/* its context moved on after purging */
	FAIL_TRACE_END,		/* the trace ends with the call pending */
	FAIL_EVICTED,		/* more than MAX_PENDING calls pending */
};

static const char *const fail_ends[] = {
	[FAIL_NO_RETRY]		= "no purge, no retry (a non-blocking caller)",
	[FAIL_GAVE_UP]		= "given up after purging",
	[FAIL_TRACE_END]	= "the trace ends before a retry",
	[FAIL_EVICTED]		= "too many calls pending at once to follow",
};

struct failure {
	unsigned long line, size, va;
	unsigned int attempts;
	enum fail_end end;
};

#define MAX_PENDING	64
#define MAX_REPORTED	5

struct tfs_state {
	struct trace_buf tb;
	struct live_map live;
	struct pending pend[MAX_PENDING];	/* oldest first */
	unsigned int nr_pend;
	unsigned long page;
	bool purge_traced;		/* the text has purge events at all */
	unsigned long nr_alloc, nr_free, nr_purge, nr_folded, nr_failed;
	struct failure fails[MAX_REPORTED];	/* lowest lines first */
	unsigned long nr_unknown, unknown_lines[MAX_REPORTED];
	unsigned long nr_realloc, nr_other, nr_lost;
	unsigned long live_bytes, lazy_bytes, peak;
	bool have_time;
	unsigned long long last_ns;
};

static bool same_ctx(const struct tfs_ctx *a, const struct tfs_ctx *b)
{
	return a->pid == b->pid && a->cpu == b->cpu && a->irq == b->irq;
}

static long pend_find(const struct tfs_state *st, const struct tfs_ctx *c)
{
	unsigned int i;

	for (i = 0; i < st->nr_pend; i++)
		if (same_ctx(&st->pend[i].ctx, c))
			return i;
	return -1;
}

static void pend_del(struct tfs_state *st, unsigned int i)
{
	st->nr_pend--;
	memmove(st->pend + i, st->pend + i + 1,
		(st->nr_pend - i) * sizeof(st->pend[0]));
}

/*
 * Pending call @i failed for good: count it, keep it among the
 * MAX_REPORTED lowest lines, drop it from the pending ones.
 */
static void fail_final(struct tfs_state *st, unsigned int i,
		       enum fail_end end)
{
	const struct pending *q = &st->pend[i];
	struct failure f = { q->line, q->size, q->va, q->attempts, end };
	unsigned long n = st->nr_failed < MAX_REPORTED ? st->nr_failed :
			  MAX_REPORTED;

	st->nr_failed++;
	while (n > 0 && st->fails[n - 1].line > f.line) {
		if (n < MAX_REPORTED)
			st->fails[n] = st->fails[n - 1];
		n--;
	}
	if (n < MAX_REPORTED)
		st->fails[n] = f;
	pend_del(st, i);
}

/*
 * Attempt @ev against its context's pending call, if any: a retry of that
 * call (a failure adds an attempt, a success folds them), or the sign that
 * the call failed for good. A failure that retries nothing starts a call.
 */
static void on_attempt(struct tfs_state *st, const struct pending *ev,
		       bool failed)
{
	long i = pend_find(st, &ev->ctx);

	if (i >= 0) {
		struct pending *q = &st->pend[i];

		if (q->size == ev->size && q->align == ev->align &&
		    q->vstart == ev->vstart && q->vend == ev->vend &&
		    (q->purged || !st->purge_traced)) {
			if (failed) {
				q->attempts++;
				q->va = ev->va;
			} else {
				st->nr_folded += q->attempts;
				pend_del(st, i);
			}
			return;
		}
		fail_final(st, i, q->purged ? FAIL_GAVE_UP : FAIL_NO_RETRY);
	}
	if (!failed)
		return;
	if (st->nr_pend == MAX_PENDING)
		fail_final(st, 0, FAIL_EVICTED);
	st->pend[st->nr_pend++] = *ev;
}

static int on_alloc(struct tfs_state *st, const struct tfs_event *e,
		    unsigned long lineno, char *why, size_t wlen)
{
	unsigned long va = e->va, size = e->size, align = e->align, al;
	bool failed = e->failed, has_time = e->has_time;
	unsigned long long ns = e->ns;
	struct pending ev;
	unsigned int id;
	long slot;

	ev = (struct pending){ e->ctx, size, align, e->vstart, e->vend, lineno,
			       va, 1, false };
	on_attempt(st, &ev, failed);
	if (failed)
		return 0;
	slot = lm_find(&st->live, va);
	if (slot >= 0) {
		/* Freed by a path without the noflush tracepoint. */
		st->nr_realloc++;
		tb_free(&st->tb, st->live.id[slot], has_time, ns);
		st->live_bytes -= st->live.size[slot];
		st->live.key[slot] = 1;
	}
	al = align > st->page ? align : 0;
	id = tb_alloc(&st->tb, size, al, KVA_TRACE_F_NOGUARD, has_time, ns);
	if (lm_put(&st->live, va, id, size)) {
		snprintf(why, wlen, "out of memory");
		return -1;
	}
	st->nr_alloc++;
	st->live_bytes += size;
	if (st->live_bytes + st->lazy_bytes > st->peak)
		st->peak = st->live_bytes + st->lazy_bytes;
	return 0;
}

static int on_free(struct tfs_state *st, const struct tfs_event *e,
		   unsigned long lineno)
{
	unsigned long va = e->va;
	long slot;

	slot = lm_find(&st->live, va);
	if (slot < 0) {
		if (st->nr_unknown < MAX_REPORTED)
			st->unknown_lines[st->nr_unknown] = lineno;
		st->nr_unknown++;
		return 0;
	}
	tb_free(&st->tb, st->live.id[slot], e->has_time, e->ns);
	st->live_bytes -= st->live.size[slot];
	st->lazy_bytes += st->live.size[slot];
	st->live.key[slot] = 1;
	st->nr_free++;
	return 0;
}

static void on_purge(struct tfs_state *st, const struct tfs_event *e)
{
	long i;

	i = pend_find(st, &e->ctx);
	if (i >= 0)
		st->pend[i].purged = true;
	tb_purge(&st->tb, e->has_time, e->ns);
	st->lazy_bytes = 0;
	st->nr_purge++;
}

/* One line; 0, or -1 with @why. */
static int tfs_line(struct tfs_state *st, char *line, unsigned long lineno,
		    char *why, size_t wlen)
{
	struct tfs_event e;

	if (tfs_parse(line, st->page, &e, why, wlen))
		return -1;
	switch (e.kind) {
	case TFS_BLANK:
		return 0;
	case TFS_LOST:
		st->nr_lost++;
		return 0;
	case TFS_OTHER:
	case TFS_MARK:
		st->nr_other++;
		return 0;
	default:
		break;
	}
	if (e.has_time) {
		if (st->have_time && e.ns < st->last_ns) {
			snprintf(why, wlen,
				 "timestamp goes backwards (%llu ns after %llu ns): not one time-ordered trace",
				 e.ns, st->last_ns);
			return -1;
		}
		st->have_time = true;
		st->last_ns = e.ns;
	}
	if (e.kind == TFS_ALLOC)
		return on_alloc(st, &e, lineno, why, wlen);
	if (e.kind == TFS_FREE)
		return on_free(st, &e, lineno);
	on_purge(st, &e);
	return 0;
}

int import_tracefs_text(const char *text, size_t len,
			const struct tfs_opts *o)
{
	struct tfs_state st = { .page = tw_page_size() };
	unsigned long lineno = 0, slice;
	char why[200], b1[32], b2[32];
	char *copy, *line, *next;
	int ret = 1;
	size_t i;

	copy = malloc(len + 1);
	if (!copy) {
		msg_err("out of memory");
		return 1;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (strlen(copy) != len) {
		msg_err("import: %s: not a text file (NUL byte)", o->in);
		goto out;
	}
	/* Without purge events, a retry cannot wait for its purge. */
	st.purge_traced = strstr(copy, " purge_vmap_area_lazy: ") != NULL;
	for (line = copy; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		lineno++;
		if (tfs_line(&st, line, lineno, why, sizeof(why))) {
			msg_err("import: %s: line %lu: %s", o->in, lineno, why);
			goto out;
		}
	}
	while (st.nr_pend)
		fail_final(&st, 0, FAIL_TRACE_END);
	if (!st.nr_alloc && !st.nr_free && !st.nr_purge) {
		msg_err("import: %s: no vmalloc events (alloc_vmap_area, free_vmap_area_noflush, purge_vmap_area_lazy) in %lu lines",
			o->in, lineno);
		goto out;
	}
	slice = o->slice_size;
	if (!slice) {
		slice = 2 * st.peak;
		slice = (slice + (1UL << 20) - 1) & ~((1UL << 20) - 1);
		if (!slice)
			slice = 1UL << 20;
	}
	if (slice < st.peak) {
		msg_err("import: %s: the trace needs %s of VA at its peak (live plus lazily freed); --slice-size %s is smaller",
			o->in, tw_size_str(st.peak, b1, sizeof(b1)),
			tw_size_str(slice, b2, sizeof(b2)));
		goto out;
	}

	tb_comment(&st.tb, "imported by kvalab import tracefs from %s", o->in);
	tb_comment(&st.tb, "%lu allocs, %lu frees, %lu purges; peak %s live plus lazy",
		   st.nr_alloc, st.nr_free, st.nr_purge,
		   tw_size_str(st.peak, b1, sizeof(b1)));
	if (st.nr_folded)
		tb_comment(&st.tb, "%lu failed attempts folded into their retries",
			   st.nr_folded);
	if (st.nr_failed)
		tb_comment(&st.tb, "%lu allocations failed in the kernel (no successful retry): not replayed",
			   st.nr_failed);
	for (i = 0; i < st.nr_failed && i < MAX_REPORTED; i++) {
		const struct failure *f = &st.fails[i];

		tb_comment(&st.tb, "  line %lu: %lu bytes, %u attempt%s, va_start=%s: %s",
			   f->line, f->size, f->attempts,
			   f->attempts == 1 ? "" : "s",
			   tfs_fail_str(f->va, b1, sizeof(b1)),
			   f->end == FAIL_NO_RETRY && !st.purge_traced ?
			   "not retried (no purge events in the trace)" :
			   fail_ends[f->end]);
	}
	if (st.nr_failed > MAX_REPORTED)
		tb_comment(&st.tb, "  and %lu more", st.nr_failed - MAX_REPORTED);
	if (st.nr_unknown)
		tb_comment(&st.tb, "%lu frees of areas allocated before the capture: skipped",
			   st.nr_unknown);
	if (st.nr_realloc)
		tb_comment(&st.tb, "%lu starts allocated again while live (freed by an untraced path): freed just before",
			   st.nr_realloc);
	if (st.nr_lost)
		tb_comment(&st.tb, "the capture lost events (%lu LOST lines): frees may be missing",
			   st.nr_lost);
	tb_comment(&st.tb, "sizes are the searched spans (guard page included), hence noguard");

	ret = tb_write(&st.tb, o->out, slice, o->source);
	if (ret)
		goto out;
	if (st.nr_unknown) {
		fprintf(stderr,
			"kvalab: import: %lu frees of areas never seen allocated skipped (lines",
			st.nr_unknown);
		for (i = 0; i < st.nr_unknown && i < MAX_REPORTED; i++)
			fprintf(stderr, " %lu", st.unknown_lines[i]);
		fprintf(stderr, "%s)\n", st.nr_unknown > MAX_REPORTED ? " ..." : "");
	}
	if (st.nr_failed) {
		fprintf(stderr,
			"kvalab: import: %lu allocations failed in the kernel, not replayed (lines",
			st.nr_failed);
		for (i = 0; i < st.nr_failed && i < MAX_REPORTED; i++)
			fprintf(stderr, " %lu", st.fails[i].line);
		fprintf(stderr, "%s)\n", st.nr_failed > MAX_REPORTED ? " ..." : "");
	}
	if (st.nr_lost)
		fprintf(stderr, "kvalab: import: warning: %lu LOST EVENTS lines: the trace buffer overflowed, frees may be missing (enlarge buffer_size_kb)\n",
			st.nr_lost);
	fprintf(stderr,
		"kvalab: import: %lu allocs (%lu failed attempts folded, %lu never succeeded), %lu frees, %lu purges, %lu other lines ignored, slice %s -> %s\n",
		st.nr_alloc, st.nr_folded, st.nr_failed, st.nr_free,
		st.nr_purge, st.nr_other, tw_size_str(slice, b1, sizeof(b1)),
		o->out);
out:
	tb_release(&st.tb);
	lm_release(&st.live);
	free(copy);
	return ret;
}
