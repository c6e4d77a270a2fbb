// SPDX-License-Identifier: GPL-2.0
/*
 * follow_model.h's model: the kernel's vmalloc range in a sim space,
 * moved by the kernel's events (mm/vmalloc.c of 6.9 to 7.3 for the pools:
 * node_alloc(), node_pool_del_va(), free_vmap_area_noflush(),
 * __purge_vmap_area_lazy(), decay_va_pool_node(), purge_vmap_node()).
 *
 * The kernel model's space is the core under lowest. Every area the model
 * knows is a struct fm_area; its kva_area is in the busy tree while busy
 * or pooled (a pooled area is occupied to the free tree, as the kernel's
 * is) and in the lazy tree while lazy, with ->owner pointing back. Pools
 * are fm_area lists per (node, pages), head the newest, as vp->head.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/align.h>
#include <linux/errno.h>
#include <kvalab/core.h>
#include <kvalab/policies.h>
#include <kvalab/policy.h>

#include "follow_model.h"
#include "sim_space.h"

const char *const fm_miss_names[FM_NR_MISS] = {
	[FM_MISS_FAILED] = "failed",
	[FM_MISS_STALE] = "stale",
	[FM_MISS_LAYOUT_POOL] = "layout-pool",
	[FM_MISS_POOL_OTHER] = "pool-other",
	[FM_MISS_POOL_MISSING] = "pool-missing",
	[FM_MISS_POOL_BEFORE] = "pool-before",
	[FM_MISS_HIDDEN] = "hidden",
	[FM_MISS_OTHER] = "other",
};

const char *const fm_miss_help[FM_NR_MISS] = {
	[FM_MISS_FAILED] = "the kernel's attempt failed and the model's would not, or the reverse",
	[FM_MISS_STALE] = "placed over areas the model still held: freed by a path without the noflush tracepoint, or a lost event",
	[FM_MISS_LAYOUT_POOL] = "placed over areas that were lazy in the layout and that the model then pooled on no known node (the CPU that allocated them is not seen): the kernel's node pool had decayed them back to its tree",
	[FM_MISS_POOL_OTHER] = "a pooled area the model held, but not the one predicted: the CPU moved between the pool pick and the trace, or an area allocated before the follow (node unknown)",
	[FM_MISS_POOL_MISSING] = "the model's pool for that CPU had an area, the kernel's had none: it decayed or was taken unseen",
	[FM_MISS_POOL_BEFORE] = "a pooled size placed in VA the model thought free: the kernel's pools held VA from before the follow (vmallocinfo does not list pools), which it handed out or searched around",
	[FM_MISS_HIDDEN] = "placed above the model's lowest fit: the space there is held by something the model cannot see (percpu's areas, lost events)",
	[FM_MISS_OTHER] = "none of the above",
};

/*
 * FM_HIDDEN: a free gap of the model the kernel was seen to skip (it placed
 * a request above the lowest fit the model found there) that could hold one
 * pooled area: taken as VA the kernel's pools held before the follow.
 * Occupied, in no pool list, until the kernel allocates over it.
 */
enum fm_state { FM_BUSY, FM_LAZY, FM_POOLED, FM_HIDDEN };

struct fm_area {
	struct kva_area *va;		/* in the kernel model */
	struct kva_area *pva[KVA_NR_POLICIES];
	struct list_head pool;		/* FM_POOLED: its pool list */
	unsigned int node;		/* nodes: not known (layout) */
	bool vn_valid;			/* allocated through node_alloc() */
	enum fm_state state;
};

struct follow_model {
	struct fm_config c;
	unsigned long start, end;	/* the space: [vstart, vend & PAGE_MASK) */
	struct sim_space sp;
	struct sim_space *pol;		/* [KVA_NR_POLICIES], or NULL */
	unsigned long enomem[KVA_NR_POLICIES];
	/* [node][pages - 1]: node c.nodes holds areas of unknown node */
	struct list_head (*pools)[FM_POOL_PAGES];
	unsigned long (*pool_len)[FM_POOL_PAGES];
	struct fm_stats st;
	/* A failed attempt's context: its purge is the full-decay reclaim. */
	bool fail_pending;
	unsigned long fail_pid;
	unsigned long outside_lazy;	/* outside frees since the last purge */
	/* Past the snapshot: a known range allocated again is stale. */
	bool settled;
};

static bool pools_on(const struct follow_model *m)
{
	return m->c.pools && m->c.nodes > 1;
}

static struct fm_area *owner(struct kva_area *va)
{
	return va ? va->owner : NULL;
}

static unsigned long pages_of(unsigned long size)
{
	return (size - 1) / PAGE_SIZE + 1;
}

/* Take [addr, addr + size) exactly in @sp; the area or NULL (not free). */
static struct kva_area *take_at(struct sim_space *sp, unsigned long addr,
				unsigned long size)
{
	struct kva_area *va = sim_va_new(sp), *u, *n;
	LIST_HEAD(unused);

	if (!sp->preload)
		sp->preload = sim_va_new(sp);
	if (kva_alloc_at(&sp->s, va, addr, size, &sp->preload, &unused)) {
		sim_va_put(sp, va);
		return NULL;
	}
	list_for_each_entry_safe(u, n, &unused, list) {
		list_del(&u->list);
		sim_va_put(sp, u);
	}
	kva_busy_insert(&sp->s, va);
	return va;
}

/* @va (on no tree) back to @sp's free tree. */
static void give_back(struct sim_space *sp, struct kva_area *va)
{
	struct kva_area *u, *n;
	LIST_HEAD(unused);

	INIT_LIST_HEAD(&va->list);
	if (!kva_free_insert(&sp->s, va, &unused))
		sim_va_put(sp, va);
	list_for_each_entry_safe(u, n, &unused, list) {
		list_del(&u->list);
		sim_va_put(sp, u);
	}
}

/* The policies' copies of @a: freed (lazily) or dropped at once. */
static void policies_free(struct follow_model *m, struct fm_area *a, bool now)
{
	int p;

	if (!m->pol)
		return;
	for (p = 0; p < KVA_NR_POLICIES; p++) {
		struct kva_area *va = a->pva[p];

		if (!va)
			continue;
		a->pva[p] = NULL;
		/* A copy is set only while busy in its space. */
		if (now) {
			kva_busy_unlink(&m->pol[p].s, va);
			give_back(&m->pol[p], va);
		} else {
			sim_space_free(&m->pol[p], va);
		}
	}
}

static void policies_alloc(struct follow_model *m, struct fm_area *a,
			   unsigned long size, unsigned long align, bool exact)
{
	int p;

	if (!m->pol)
		return;
	for (p = 0; p < KVA_NR_POLICIES; p++) {
		struct sim_space *sp = &m->pol[p];

		sp->s.search = exact ? KVA_SEARCH_EXACT : KVA_SEARCH_PADDED;
		if (sim_space_alloc(sp, size, align, true, &a->pva[p]))
			m->enomem[p]++;
	}
}

static void pool_del(struct follow_model *m, struct fm_area *a)
{
	list_del_init(&a->pool);
	m->pool_len[a->node][pages_of(kva_size(a->va)) - 1]--;
	a->state = FM_BUSY;
}

/* Unlink @va alone from the lazy tree (which has no unlink): O(lazy). */
static void lazy_unlink(struct kva_space *s, struct kva_area *va)
{
	struct kva_area *o, *n;
	unsigned long start, end;
	LIST_HEAD(list);

	kva_lazy_take(s, &list, &start, &end);
	list_for_each_entry_safe(o, n, &list, list) {
		list_del(&o->list);
		if (o != va)
			kva_lazy_insert(s, o);
	}
}

/* An area the model held, which the kernel no longer does: forgotten. */
static void evict(struct follow_model *m, struct fm_area *a)
{
	struct kva_area *va = a->va;

	if (a->state == FM_POOLED)
		pool_del(m, a);
	if (a->state == FM_LAZY)
		lazy_unlink(&m->sp.s, va);
	else
		kva_busy_unlink(&m->sp.s, va);
	give_back(&m->sp, va);
	if (a->state != FM_HIDDEN)
		m->st.evicted++;
	policies_free(m, a, true);
	free(a);
}

/* The model's free gap holding @addr, if one pooled area could fill it. */
static void hide_gap(struct follow_model *m, unsigned long addr)
{
	struct kva_area *f = kva_free_find(&m->sp.s, addr), *va;
	struct fm_area *a;

	if (!f || kva_size(f) > FM_POOL_PAGES * PAGE_SIZE)
		return;
	a = calloc(1, sizeof(*a));
	va = a ? take_at(&m->sp, f->va_start, kva_size(f)) : NULL;
	if (!va) {
		free(a);
		return;
	}
	a->va = va;
	va->owner = a;
	INIT_LIST_HEAD(&a->pool);
	a->node = m->c.nodes;
	a->state = FM_HIDDEN;
	m->st.hidden_gaps++;
}

/* The model's area overlapping [addr, addr + size), or NULL if all free. */
static struct kva_area *occupant(struct follow_model *m, unsigned long addr,
				 unsigned long size)
{
	struct kva_area *f = kva_free_find(&m->sp.s, addr), *o;
	unsigned long at = f ? f->va_end : addr;

	if (at >= addr + size)
		return NULL;
	o = kva_busy_find(&m->sp.s, at);
	return o ? o : kva_lazy_find(&m->sp.s, at);
}

static void record_miss(struct follow_model *m, const struct tfs_event *ev,
			enum fm_miss cause, unsigned long pred, bool pool,
			bool fail)
{
	struct fm_miss_rec *r;

	m->st.miss[cause]++;
	if (m->st.nr_recs >= FM_MAX_MISSES)
		return;
	r = &m->st.recs[m->st.nr_recs++];
	*r = (struct fm_miss_rec){
		.ns = ev->ns, .event = m->st.events - 1, .size = ev->size,
		.align = ev->align, .kernel = ev->failed ? 0 : ev->va,
		.predicted = pred, .cpu = ev->cpu, .predicted_pool = pool,
		.predicted_fail = fail, .cause = cause,
	};
}

/*
 * Where mm/vmalloc.c would place @ev from the model's state: *@pool set
 * when node_alloc() would hand out a pooled area (*@from it), false and
 * the lowest match otherwise; false return: the search fails.
 */
static bool predict(struct follow_model *m, const struct tfs_event *ev,
		    bool full, unsigned int node, unsigned long *addr,
		    bool *pool, struct fm_area **from)
{
	unsigned long size = ev->size, align = ev->align, pages;
	unsigned long align_eff = align < PAGE_SIZE ? PAGE_SIZE : align;
	struct kva_area *va;

	*pool = false;
	*from = NULL;
	pages = pages_of(size);
	if (full && pools_on(m) && pages <= FM_POOL_PAGES) {
		struct list_head *head = &m->pools[node][pages - 1];

		if (!list_empty(head)) {
			struct fm_area *a = list_first_entry(head, struct fm_area,
							     pool);

			if (!(a->va->va_start & (align - 1)) &&
			    kva_size(a->va) == size) {
				*pool = true;
				*from = a;
				*addr = a->va->va_start;
				return true;
			}
			/* node_pool_del_va(): not aligned, to the tail. */
			list_move_tail(&a->pool, head);
		}
	}
	/* __alloc_vmap_area(): pad the length only for a real alignment. */
	m->sp.s.search = align > PAGE_SIZE && ev->vend - ev->vstart != size ?
			 KVA_SEARCH_PADDED : KVA_SEARCH_EXACT;
	va = kva_lowest_match(&m->sp.s, size, align_eff, ev->vstart);
	if (!va)
		return false;
	*addr = ALIGN(max(va->va_start, ev->vstart), align_eff);
	/* va_alloc(): -ERANGE past vend. */
	return *addr + size <= ev->vend;
}

static void on_alloc(struct follow_model *m, const struct tfs_event *ev)
{
	bool full, pool = false, ok, hit;
	unsigned long pred = 0, size = ev->size;
	struct fm_area *from = NULL, *a;
	struct kva_area *va;
	unsigned int node;
	enum fm_miss cause;

	m->st.allocs++;
	if (ev->vstart < m->start || ev->vend > m->c.vend) {
		m->st.outside++;
		return;
	}
	if (ev->failed)
		m->st.kernel_failed++;
	full = ev->vstart == m->c.vstart && ev->vend == m->c.vend;
	node = ev->cpu >= 0 ? (unsigned long)ev->cpu % m->c.nodes : 0;
	/* Seen in the layout already (an event from around the snapshot). */
	if (!ev->failed && !m->settled) {
		va = kva_busy_find(&m->sp.s, ev->va);
		a = owner(va);
		if (a && a->state == FM_BUSY && va->va_start == ev->va &&
		    kva_size(va) == size) {
			m->st.in_layout++;
			return;
		}
	}
	m->st.modelled++;
	ok = predict(m, ev, full, node, &pred, &pool, &from);
	if (pool)
		m->st.pool_predicted++;
	if (ev->failed) {
		if (!ok)
			m->st.agreed++;
		else
			record_miss(m, ev, FM_MISS_FAILED, pred, pool, false);
		m->fail_pending = true;
		m->fail_pid = ev->ctx.pid;
		return;
	}
	m->fail_pending = false;
	hit = ok && pred == ev->va;
	va = kva_busy_find(&m->sp.s, ev->va);
	a = owner(va);
	if (a && a->state == FM_POOLED && va->va_start == ev->va &&
	    kva_size(va) == size) {
		/* The kernel took a pooled area: the model's too. */
		pool_del(m, a);
		cause = FM_MISS_POOL_OTHER;
	} else {
		struct kva_area *o = occupant(m, ev->va, size);

		cause = !ok ? FM_MISS_FAILED : pool ? FM_MISS_POOL_MISSING :
			ev->va > pred ? FM_MISS_HIDDEN : FM_MISS_OTHER;
		if (o) {
			bool stale = false;

			bool hidden = true;

			for (; o; o = occupant(m, ev->va, size)) {
				enum fm_state st = owner(o)->state;

				hidden &= st == FM_HIDDEN;
				stale |= st != FM_HIDDEN && (st != FM_POOLED ||
					 owner(o)->node != m->c.nodes);
				evict(m, owner(o));
			}
			cause = hidden ? FM_MISS_POOL_BEFORE : stale ?
				FM_MISS_STALE : FM_MISS_LAYOUT_POOL;
		} else if (cause != FM_MISS_FAILED && full && pools_on(m) &&
			   pages_of(size) <= FM_POOL_PAGES && !pool) {
			cause = FM_MISS_POOL_BEFORE;
		}
		va = take_at(&m->sp, ev->va, size);
		a = calloc(1, sizeof(*a));
		if (!va || !a) {
			fputs("kvalab: follow: out of memory or a broken model\n",
			      stderr);
			exit(1);
		}
		a->va = va;
		va->owner = a;
		INIT_LIST_HEAD(&a->pool);
	}
	policies_alloc(m, a, size, ev->align < PAGE_SIZE ? PAGE_SIZE : ev->align,
		       !(ev->align > PAGE_SIZE && ev->vend - ev->vstart != size));
	a->state = FM_BUSY;
	a->vn_valid = full && m->c.nodes > 1;
	a->node = node;
	if (hit) {
		m->st.agreed++;
		if (pool)
			m->st.pool_agreed++;
		return;
	}
	record_miss(m, ev, cause, pred, pool, !ok);
	/*
	 * Placed above a gap the model had free: the kernel holds some of it.
	 * Taken whole as pooled VA from before the follow, so the model does
	 * not predict into it again (on one 7.3 follow the kernel skipped
	 * three such gaps between thread stacks seven times: 90.8% -> 96.6%).
	 */
	if (ok && !pool && ev->va > pred && pools_on(m))
		hide_gap(m, pred);
}

static void on_free(struct follow_model *m, const struct tfs_event *ev)
{
	struct kva_area *va = kva_busy_find(&m->sp.s, ev->va);
	struct fm_area *a = owner(va);

	m->st.frees++;
	if (ev->va < m->start || ev->va >= m->end) {
		/* A module's or another range's: lazy until the next purge. */
		m->st.outside_frees++;
		m->outside_lazy++;
		return;
	}
	if (!a || va->va_start != ev->va || a->state != FM_BUSY) {
		va = kva_lazy_find(&m->sp.s, ev->va);
		if (va && va->va_start == ev->va && !m->settled)
			m->st.double_frees++;
		else
			m->st.unknown_frees++;
		return;
	}
	kva_busy_unlink(&m->sp.s, va);
	kva_lazy_insert(&m->sp.s, va);
	a->state = FM_LAZY;
	policies_free(m, a, false);
}

/* A quarter of @n areas as @k nodes each decay a quarter of theirs. */
static unsigned long split_quarter(unsigned long n, unsigned int k)
{
	return k > 1 ? k * ((n / k) >> 2) : n >> 2;
}

/*
 * decay_va_pool_node(): a quarter (rounded down) from the head, or all.
 * The areas of no known node (lazy in the layout, pooled since) sit in the
 * kernel spread over its nodes by the CPUs that allocated them, each node
 * decaying its own share: the model, which cannot tell the shares, decays
 * them at the rate of an even split (on 7.3 a rate of the whole list
 * drained them twice as fast as the kernel, 47% agreement on one follow).
 */
static void decay(struct follow_model *m, unsigned int node, bool all)
{
	int i;

	for (i = 0; i < FM_POOL_PAGES; i++) {
		struct list_head *head = &m->pools[node][i];
		unsigned long n = m->pool_len[node][i];

		if (!all)
			n = node == m->c.nodes ? split_quarter(n, m->c.nodes) :
			    n >> 2;
		/* 6.9's first form: !--n_decay wrapped, so a pool of 1..3 went whole. */
		if (!n && m->c.decay_all_small)
			n = m->pool_len[node][i];
		while (n-- && !list_empty(head)) {
			struct fm_area *a = list_first_entry(head, struct fm_area,
							     pool);

			pool_del(m, a);
			kva_busy_unlink(&m->sp.s, a->va);
			give_back(&m->sp, a->va);
			free(a);
		}
	}
}

static void on_purge(struct follow_model *m, const struct tfs_event *ev)
{
	bool full = m->fail_pending && ev->ctx.pid == m->fail_pid;
	unsigned long nr, start, end, n = 0;
	struct kva_area *va, *next;
	LIST_HEAD(list);

	m->st.purges++;
	m->fail_pending = false;
	if (pools_on(m))
		for (unsigned int node = 0; node <= m->c.nodes; node++)
			decay(m, node, full);
	nr = kva_lazy_take(&m->sp.s, &list, &start, &end);
	list_for_each_entry_safe(va, next, &list, list) {
		struct fm_area *a = owner(va);
		unsigned long pages = pages_of(kva_size(va));

		list_del(&va->list);
		n++;
		if (a && pools_on(m) && !full && a->vn_valid &&
		    pages <= FM_POOL_PAGES) {
			/* purge_vmap_node(): address order, each to the head */
			kva_busy_insert(&m->sp.s, va);
			a->state = FM_POOLED;
			list_add(&a->pool, &m->pools[a->node][pages - 1]);
			m->pool_len[a->node][pages - 1]++;
			continue;
		}
		give_back(&m->sp, va);
		free(a);
	}
	(void)nr;
	if (n + m->outside_lazy != ev->npurged)
		m->st.purge_mismatch++;
	m->outside_lazy = 0;
	if (m->pol)
		for (int p = 0; p < KVA_NR_POLICIES; p++)
			sim_space_purge(&m->pol[p], full);
}

void fm_event(struct follow_model *m, const struct tfs_event *ev)
{
	m->st.events++;
	switch (ev->kind) {
	case TFS_ALLOC:
		on_alloc(m, ev);
		break;
	case TFS_FREE:
		on_free(m, ev);
		break;
	case TFS_PURGE:
		on_purge(m, ev);
		break;
	case TFS_LOST:
		m->st.lost_lines++;
		m->st.lost_events += ev->lost;
		m->st.events--;
		break;
	default:
		m->st.events--;
		break;
	}
}

/* Build @layout into @sp (every range taken where it is). */
static int build(struct sim_space *sp, const struct fm_range *layout,
		 size_t nr, struct fm_area **areas, int pol, char *err,
		 size_t errlen)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		const struct fm_range *r = &layout[i];
		struct kva_area *va = take_at(sp, r->start, r->end - r->start);

		if (!va) {
			snprintf(err, errlen,
				 "the layout's 0x%lx-0x%lx overlaps another range or lies outside 0x%lx-0x%lx",
				 r->start, r->end, sp->s.start, sp->s.end);
			return -1;
		}
		if (pol < 0) {
			va->owner = areas[i];
			areas[i]->va = va;
		} else if (!r->lazy) {
			/* A policy's lazy copy is its own until its purge. */
			areas[i]->pva[pol] = va;
		}
		if (r->lazy) {
			kva_busy_unlink(&sp->s, va);
			kva_lazy_insert(&sp->s, va);
		}
	}
	return 0;
}

struct follow_model *fm_new(const struct fm_config *c,
			    const struct fm_range *layout, size_t nr,
			    char *err, size_t errlen)
{
	struct follow_model *m = calloc(1, sizeof(*m));
	struct fm_area **areas = calloc(nr ? nr : 1, sizeof(*areas));
	unsigned int nodes = c->nodes ? c->nodes : 1, n;
	size_t i;
	int p;

	if (!m || !areas) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	m->c = *c;
	m->c.nodes = nodes;
	m->start = ALIGN(c->vstart, PAGE_SIZE);
	m->end = c->vend & PAGE_MASK;
	if (m->start >= m->end || nodes > 128) {
		snprintf(err, errlen, "bad range 0x%lx-0x%lx or %u nodes",
			 c->vstart, c->vend, nodes);
		goto fail;
	}
	m->pools = calloc(nodes + 1, sizeof(*m->pools));
	m->pool_len = calloc(nodes + 1, sizeof(*m->pool_len));
	if (!m->pools || !m->pool_len) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (n = 0; n <= nodes; n++)
		for (i = 0; i < FM_POOL_PAGES; i++)
			INIT_LIST_HEAD(&m->pools[n][i]);
	for (i = 0; i < nr; i++) {
		areas[i] = calloc(1, sizeof(**areas));
		if (!areas[i]) {
			snprintf(err, errlen, "out of memory");
			goto fail_areas;
		}
		INIT_LIST_HEAD(&areas[i]->pool);
		areas[i]->state = layout[i].lazy ? FM_LAZY : FM_BUSY;
		/* Allocated before the follow: its CPU, hence node, unknown. */
		areas[i]->node = nodes;
		areas[i]->vn_valid = nodes > 1;
		m->st.layout_areas++;
		m->st.layout_lazy += layout[i].lazy;
	}
	if (sim_space_init(&m->sp, m->start, m->end, KVA_POLICY_LOWEST,
			   KVA_SEARCH_EXACT, ULONG_MAX, false)) {
		snprintf(err, errlen, "cannot set the space up");
		goto fail_areas;
	}
	if (build(&m->sp, layout, nr, areas, -1, err, errlen))
		goto fail_space;
	if (c->policies) {
		m->pol = calloc(KVA_NR_POLICIES, sizeof(*m->pol));
		if (!m->pol) {
			snprintf(err, errlen, "out of memory");
			goto fail_space;
		}
		for (p = 0; p < KVA_NR_POLICIES; p++) {
			if (sim_space_init(&m->pol[p], m->start, m->end,
					   KVA_POLICY_LOWEST, KVA_SEARCH_EXACT,
					   ULONG_MAX, pools_on(m)) ||
			    build(&m->pol[p], layout, nr, areas, p, err,
				  errlen)) {
				snprintf(err, errlen, "cannot set up the %s space",
					 kva_policy_names[p]);
				while (p >= 0)
					sim_space_destroy(&m->pol[p--]);
				free(m->pol);
				m->pol = NULL;
				goto fail_space;
			}
			kva_set_policy(&m->pol[p].s, p);
		}
	}
	free(areas);
	return m;

fail_space:
	sim_space_destroy(&m->sp);
fail_areas:
	for (i = 0; i < nr; i++)
		free(areas[i]);
fail:
	if (m) {
		free(m->pools);
		free(m->pool_len);
	}
	free(areas);
	free(m);
	return NULL;
}

void fm_settle(struct follow_model *m)
{
	m->settled = true;
}

const struct fm_stats *fm_stats(const struct follow_model *m)
{
	return &m->st;
}

void fm_figures(struct follow_model *m, int policy, struct fm_figures *out)
{
	struct sim_space *sp = policy < 0 ? &m->sp : &m->pol[policy];
	struct kva_area *va;
	struct kva_frag f;

	memset(out, 0, sizeof(*out));
	kva_frag(&sp->s, &f);
	out->free_bytes = f.free_bytes;
	out->largest_free = f.largest_free;
	out->nr_free = f.nr_free;
	out->ext_frag_e4 = f.ext_frag_e4;
	out->lazy = sp->s.lazy_bytes;
	out->live = sp->s.nr_busy;
	out->used = sp->s.busy_bytes;
	if (policy < 0) {
		list_for_each_entry(va, &sp->s.busy_list, list) {
			struct fm_area *a = owner(va);

			if (a && (a->state == FM_POOLED ||
				  a->state == FM_HIDDEN)) {
				out->live--;
				out->used -= kva_size(va);
				out->pooled += kva_size(va);
			}
		}
	} else {
		out->pooled = sp->s.pooled_bytes;
		out->enomem = m->enomem[policy];
	}
}

static void free_owned(struct list_head *head)
{
	struct kva_area *va;

	list_for_each_entry(va, head, list)
		free(owner(va));
}

void fm_free(struct follow_model *m)
{
	if (!m)
		return;
	free_owned(&m->sp.s.busy_list);
	free_owned(&m->sp.s.lazy_list);
	sim_space_destroy(&m->sp);
	if (m->pol) {
		for (int p = 0; p < KVA_NR_POLICIES; p++)
			sim_space_destroy(&m->pol[p]);
		free(m->pol);
	}
	free(m->pools);
	free(m->pool_len);
	free(m);
}

void fm_walk(struct follow_model *m, int policy, fm_walk_fn fn, void *arg)
{
	struct sim_space *sp = policy < 0 ? &m->sp : &m->pol[policy];
	struct kva_area *va;

	list_for_each_entry(va, &sp->s.busy_list, list) {
		struct fm_area *a = policy < 0 ? owner(va) : NULL;

		fn(arg, va->va_start, va->va_end,
		   a && a->state != FM_BUSY ? FM_KIND_POOLED : FM_KIND_BUSY);
	}
	list_for_each_entry(va, &sp->s.lazy_list, list)
		fn(arg, va->va_start, va->va_end, FM_KIND_LAZY);
	if (policy >= 0)
		list_for_each_entry(va, &sp->s.pool_list, list)
			fn(arg, va->va_start, va->va_end, FM_KIND_POOLED);
}
