// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel replay of a trace (docs/traces.md, "Replaying"; the format is
 * include/kvalab/trace.h).
 *
 * Loading (the `replay` file, debugfs/replay_file.c): a load begins when
 * the file is opened, which drops the previous trace and its results; the
 * file parses every line at once and hands each operation here, so a
 * malformed trace is refused by the write that carries the bad line, with
 * its line number, and the slice is never touched by a load. The ops are
 * kept compactly (struct kvalab_replay_op); liveness during the load is an
 * xarray id -> pages, which the parser asks and which also gives the
 * trace's peak live bytes, so a trace that cannot fit is refused before it
 * runs.
 *
 * Running: `replay start` checks that the slice is empty of busy areas
 * (fresh), then one kthread replays the ops once per requested policy:
 * switch to the policy, purge, replay (allocations are workload areas, so
 * control commands cannot free them; with va_only they get a VA and no
 * pages or PTEs), sample the fragmentation every nr_ops / samples ops, free
 * what is left, purge, run the checker. Afterwards the policy in force
 * before the start is restored. Results are published per policy.
 *
 * Locking: r->mutex serialises the control actions, each step of a load
 * and the listings' view (debugfs/replay_results.c), and is held by
 * whoever frees the trace or the results (only after the thread is
 * stopped). The thread never takes it: it publishes under r->res_lock
 * (state, nr_res) and updates its progress with WRITE_ONCE. Results below
 * nr_res never change once published.
 */
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>

#include <kvalab/cmd.h>
#include <kvalab/placements.h>
#include <kvalab/trace.h>
#include "kvalab.h"
#include "latency.h"
#include "replay.h"

/* Bounds of one loaded trace. */
#define REPLAY_TEXT_MAX		(64UL << 20)	/* bytes of text */
#define REPLAY_OPS_MAX		(4UL << 20)	/* operations */
#define REPLAY_IDS_MAX		BIT(24)	/* ids 0..2^24-1 (the id map) */
/* Placements a `log` run may keep, over all its policies (64 MiB). */
#define REPLAY_LOG_MAX		(8UL << 20)

struct kvalab_replay {
	struct kvalab *kv;
	struct mutex mutex;		/* see the locking comment above */
	spinlock_t res_lock;		/* state, nr_res */
	enum kvalab_replay_state state;

	/* The load (under mutex). */
	const void *loader;		/* the load in progress, or NULL */
	struct xarray live;		/* id -> xa_mk_value(pages) */
	unsigned long text_bytes, live_bytes;
	int load_err;
	char load_msg[KVA_TRACE_MSG_MAX];

	/* The loaded trace (immutable while the thread runs). */
	struct kva_trace_header hdr;
	struct kvalab_replay_op *ops;
	unsigned long nr_ops, cap_ops;
	unsigned long nr_alloc, nr_free, nr_purge, peak_live;
	u32 nr_ids;			/* highest id seen + 1 */

	/* The run. */
	struct task_struct *task;
	struct kvalab_replay_params params;
	enum kva_policy_id orig_policy;
	enum kva_search_mode orig_search;	/* restored after the run */
	unsigned long orig_lazy_max;		/* likewise */
	enum kva_policy_id order[KVA_NR_POLICIES];
	unsigned int nr_planned;
	unsigned int nr_res;		/* published results */
	struct kvalab_replay_result res[KVA_NR_POLICIES];
	struct kvalab_area **map;	/* nr_ids entries */
	unsigned int cur;		/* progress: result index */
	unsigned long cur_op;		/* progress: ops done */
	struct kva_frag frag;		/* the thread's scratch */
	char note[192];			/* a warning for the listing, or "" */
};

static void set_state(struct kvalab_replay *r, enum kvalab_replay_state s)
{
	spin_lock(&r->res_lock);
	r->state = s;
	spin_unlock(&r->res_lock);
}

static enum kvalab_replay_state get_state(struct kvalab_replay *r)
{
	enum kvalab_replay_state s;

	spin_lock(&r->res_lock);
	s = r->state;
	spin_unlock(&r->res_lock);
	return s;
}

/* ---- the trace and the results: freeing (mutex held, no thread) ---- */

static void free_results(struct kvalab_replay *r)
{
	unsigned int i;

	for (i = 0; i < KVA_NR_POLICIES; i++) {
		kvfree(r->res[i].samples);
		r->res[i].samples = NULL;
		kvfree(r->res[i].log);
		r->res[i].log = NULL;
	}
	memset(r->res, 0, sizeof(r->res));
	kvfree(r->map);
	r->map = NULL;
	r->nr_planned = 0;
	r->note[0] = '\0';
	spin_lock(&r->res_lock);
	r->nr_res = 0;
	spin_unlock(&r->res_lock);
}

static void free_trace(struct kvalab_replay *r)
{
	kvfree(r->ops);
	r->ops = NULL;
	r->nr_ops = 0;
	r->cap_ops = 0;
	r->nr_alloc = 0;
	r->nr_free = 0;
	r->nr_purge = 0;
	r->peak_live = 0;
	r->nr_ids = 0;
	r->text_bytes = 0;
	r->live_bytes = 0;
	memset(&r->hdr, 0, sizeof(r->hdr));
	xa_destroy(&r->live);
}

/*
 * Wait for the replay thread and drop it (mutex held). The thread ends the
 * slice's claim when it leaves KVALAB_RS_RUNNING; one stopped before it
 * ever ran (kthread_stop() then returns -EINTR) is settled here instead.
 */
static void reap_thread(struct kvalab_replay *r)
{
	if (r->task) {
		if (kthread_stop(r->task) == -EINTR &&
		    get_state(r) == KVALAB_RS_RUNNING) {
			set_state(r, KVALAB_RS_STOPPED);
			kvalab_release(r->kv, KVALAB_HOLD_REPLAY);
		}
		r->task = NULL;
	}
}

/* ---- loading: the replay file's operations (debugfs/replay_file.c) ---- */

int kvalab_replay_load_begin(struct kvalab *kv, const void *loader)
{
	struct kvalab_replay *r = kv->replay;
	int err = 0;

	mutex_lock(&r->mutex);
	if (get_state(r) == KVALAB_RS_RUNNING || r->loader) {
		err = -EBUSY;	/* a replay runs, or another load is open */
		goto out;
	}
	reap_thread(r);
	free_results(r);
	free_trace(r);
	r->load_err = 0;
	r->load_msg[0] = '\0';
	r->loader = loader;
	set_state(r, KVALAB_RS_LOADING);
out:
	mutex_unlock(&r->mutex);
	return err;
}

/* Whether @loader's load is in progress (not refused or ended); mutex held. */
static bool loading(struct kvalab_replay *r, const void *loader)
{
	return r->loader == loader && get_state(r) == KVALAB_RS_LOADING;
}

static int refuse(char *why, size_t len, int err, const char *reason)
{
	strscpy(why, reason, len);
	return err;
}

int kvalab_replay_load_text(struct kvalab *kv, const void *loader,
			    size_t count, char *why, size_t len)
{
	struct kvalab_replay *r = kv->replay;
	int err = 0;

	mutex_lock(&r->mutex);
	if (!loading(r, loader))
		err = refuse(why, len, -EINVAL, "no load in progress");
	else if (count > REPLAY_TEXT_MAX - r->text_bytes)
		err = refuse(why, len, -EFBIG,
			     "the trace text is larger than a replay takes (64 MiB)");
	else
		r->text_bytes += count;
	mutex_unlock(&r->mutex);
	return err;
}

void kvalab_replay_load_header(struct kvalab *kv, const void *loader,
			       const struct kva_trace_header *hdr)
{
	struct kvalab_replay *r = kv->replay;

	mutex_lock(&r->mutex);
	if (loading(r, loader))
		r->hdr = *hdr;
	mutex_unlock(&r->mutex);
}

bool kvalab_replay_load_is_live(struct kvalab *kv, unsigned int id)
{
	/* Only the loader changes the table now, and xa_load() needs no lock. */
	return xa_load(&kv->replay->live, id);
}

static int append_op(struct kvalab_replay *r, const struct kva_trace_op *op,
		     unsigned long line, char *why, size_t len)
{
	struct kvalab_replay_op *o;

	if (r->nr_ops == r->cap_ops) {
		unsigned long cap = max(1024UL, r->cap_ops * 2);
		struct kvalab_replay_op *n;

		if (r->nr_ops >= REPLAY_OPS_MAX)
			return refuse(why, len, -E2BIG,
				      "more operations than a replay takes (4194304)");
		cap = min(cap, REPLAY_OPS_MAX);
		n = kvmalloc_array(cap, sizeof(*n), GFP_KERNEL);
		if (!n)
			return refuse(why, len, -ENOMEM,
				      "no memory for the operations");
		if (r->nr_ops)
			memcpy(n, r->ops, r->nr_ops * sizeof(*n));
		kvfree(r->ops);
		r->ops = n;
		r->cap_ops = cap;
	}
	o = &r->ops[r->nr_ops++];
	o->kind = op->kind;
	o->id = op->id;
	o->line = line;
	o->size = op->size;
	o->align_order = op->align > PAGE_SIZE ? ilog2(op->align) : 0;
	o->flags = op->flags;
	return 0;
}

/* One alloc, free or purge (mutex held, load in progress). */
static int add_op(struct kvalab_replay *r, const struct kva_trace_op *op,
		  unsigned long line, char *why, size_t len)
{
	unsigned long pages;
	void *old;

	switch (op->kind) {
	case KVA_TRACE_ALLOC:
		if (op->id >= REPLAY_IDS_MAX)
			return refuse(why, len, -ERANGE,
				      "id is above what a replay maps (16777215): renumber the trace");
		/* Guard included: what the area takes of the slice. */
		pages = (PAGE_ALIGN(op->size) >> PAGE_SHIFT) +
			((op->flags & KVA_TRACE_F_NOGUARD) ? 0 : 1);
		old = xa_store(&r->live, op->id, xa_mk_value(pages), GFP_KERNEL);
		if (xa_is_err(old))
			return refuse(why, len, -ENOMEM,
				      "no memory for the id table");
		r->live_bytes += pages << PAGE_SHIFT;
		r->peak_live = max(r->peak_live, r->live_bytes);
		r->nr_ids = max(r->nr_ids, op->id + 1);
		r->nr_alloc++;
		break;
	case KVA_TRACE_FREE:
		old = xa_erase(&r->live, op->id);
		if (old)
			r->live_bytes -= xa_to_value(old) << PAGE_SHIFT;
		r->nr_free++;
		break;
	case KVA_TRACE_PURGE:
		r->nr_purge++;
		break;
	default:
		return 0;	/* the header, blank or comment */
	}
	return append_op(r, op, line, why, len);
}

int kvalab_replay_load_op(struct kvalab *kv, const void *loader,
			  const struct kva_trace_op *op, unsigned long line,
			  char *why, size_t len)
{
	struct kvalab_replay *r = kv->replay;
	int err;

	mutex_lock(&r->mutex);
	if (loading(r, loader))
		err = add_op(r, op, line, why, len);
	else
		err = refuse(why, len, -EINVAL, "no load in progress");
	mutex_unlock(&r->mutex);
	return err;
}

void kvalab_replay_load_abort(struct kvalab *kv, const void *loader, int err,
			      const char *msg)
{
	struct kvalab_replay *r = kv->replay;

	mutex_lock(&r->mutex);
	if (loading(r, loader)) {
		r->load_err = err;
		strscpy(r->load_msg, msg, sizeof(r->load_msg));
		free_trace(r);
		set_state(r, KVALAB_RS_LOAD_FAILED);
		pr_notice("replay: trace refused (%d): %s\n", err, r->load_msg);
	}
	mutex_unlock(&r->mutex);
}

void kvalab_replay_load_end(struct kvalab *kv, const void *loader)
{
	struct kvalab_replay *r = kv->replay;

	mutex_lock(&r->mutex);
	if (r->loader == loader) {
		r->loader = NULL;
		if (get_state(r) == KVALAB_RS_LOADING) {
			xa_destroy(&r->live);
			set_state(r, KVALAB_RS_LOADED);
		}
	}
	mutex_unlock(&r->mutex);
}

/* ---- running ---- */

static void take_sample(struct kvalab_replay *r, struct kvalab_replay_sample *s,
			unsigned long op, unsigned long used)
{
	struct kvalab *kv = r->kv;

	spin_lock(&kv->free_lock);
	kva_frag(&kv->space, &r->frag);
	spin_unlock(&kv->free_lock);
	s->op = op;
	s->used = used;
	s->free_bytes = r->frag.free_bytes;
	s->nr_free = r->frag.nr_free;
	s->largest_free = r->frag.largest_free;
	s->ext_frag_e4 = r->frag.ext_frag_e4;
	s->frag_rss_e4 = r->frag.frag_rss_e4;
}

/* One allocation's placement into the digest (and the log). */
static void place(struct kvalab_replay_result *res, s64 v)
{
	res->placements = kva_place_mix(res->placements, v);
	if (res->log)
		res->log[res->nr_log++] = v;
}

static void replay_alloc(struct kvalab_replay *r,
			 struct kvalab_replay_result *res,
			 const struct kvalab_replay_op *o, unsigned long *used)
{
	unsigned long flags = KVALAB_WORKLOAD;
	unsigned long align = o->align_order ? 1UL << o->align_order :
			      PAGE_SIZE;
	struct kvalab_area *a;

	if (r->params.va_only)
		flags |= KVALAB_VAONLY;
	if (o->flags & KVA_TRACE_F_NOGUARD)
		flags |= KVALAB_NOGUARD;
	a = kvalab_alloc(r->kv, o->size, align, flags, (const void *)_THIS_IP_);
	place(res, IS_ERR(a) ? PTR_ERR(a) :
	      (s64)kva_offset(&r->kv->space, a->va->va_start));
	if (IS_ERR(a)) {
		if (PTR_ERR(a) == -ENOMEM)
			res->enomem++;
		else
			res->errors++;
		if (!res->first_fail_line) {
			res->first_fail_line = o->line;
			res->first_fail_size = o->size;
			res->first_err = PTR_ERR(a);
			/* After the purge the failed search made: one moment. */
			spin_lock(&r->kv->free_lock);
			res->largest_then = kva_largest_free(&r->kv->space);
			res->free_then = r->kv->space.free_bytes;
			res->nr_free_then = r->kv->space.nr_free;
			spin_unlock(&r->kv->free_lock);
		}
		r->map[o->id] = NULL;
		return;
	}
	r->map[o->id] = a;
	res->allocs_ok++;
	*used += kva_size(a->va);
	res->peak_used = max(res->peak_used, *used);
}

/* Free what the replay still holds, purge, check: the slice as before. */
static void replay_cleanup(struct kvalab_replay *r,
			   struct kvalab_replay_result *res)
{
	struct kvalab *kv = r->kv;
	u32 id;

	for (id = 0; id < r->nr_ids; id++) {
		if (r->map[id]) {
			kvalab_free(kv, r->map[id]);
			r->map[id] = NULL;
		}
		if (!(id & 255))
			cond_resched();
	}
	kvalab_purge(kv, NULL);
	res->check_err = kvalab_check(kv, res->check_msg,
				      sizeof(res->check_msg));
}

static void replay_one(struct kvalab_replay *r, unsigned int idx)
{
	struct kvalab_replay_result *res = &r->res[idx];
	struct kvalab *kv = r->kv;
	unsigned int want = r->params.samples;
	unsigned long every = max(1UL, r->nr_ops / want);
	unsigned long i, used = 0;
	u64 t0, ts, sample_ns = 0;

	res->policy = r->order[idx];
	res->placements = KVA_FNV_OFFSET;
	/* An empty slice, then the policy's search state from nothing. */
	kvalab_purge(kv, NULL);
	kvalab_restart_policy(kv, res->policy);
	/* The purges from here to the cleanup are this run's. */
	kvalab_purge_lat_take(kv, NULL);
	t0 = ktime_get_ns();
	for (i = 0; i < r->nr_ops; i++) {
		const struct kvalab_replay_op *o = &r->ops[i];
		struct kvalab_area *a;

		if (kthread_should_stop()) {
			res->stopped = true;
			break;
		}
		switch (o->kind) {
		case KVA_TRACE_ALLOC:
			replay_alloc(r, res, o, &used);
			break;
		case KVA_TRACE_FREE:
			a = r->map[o->id];
			if (!a) {
				res->skipped_frees++;	/* its alloc failed */
				break;
			}
			used -= kva_size(a->va);
			r->map[o->id] = NULL;
			kvalab_free(kv, a);
			break;
		default:
			kvalab_purge(kv, NULL);
			res->purges++;
		}
		res->ops = i + 1;
		WRITE_ONCE(r->cur_op, i + 1);
		if (!((i + 1) % every) && res->nr_samples < want) {
			ts = ktime_get_ns();
			take_sample(r, &res->samples[res->nr_samples++], i + 1,
				    used);
			sample_ns += ktime_get_ns() - ts;
		}
		cond_resched();
	}
	res->ns = ktime_get_ns() - t0 - sample_ns;
	kvalab_purge_lat_take(kv, &res->purge);
	take_sample(r, &res->end, res->ops, used);
	replay_cleanup(r, res);
}

/*
 * The replay's search rule and purge threshold, or (@restore) the module's
 * again. The search field is read under the free-space lock; the threshold
 * is read locklessly by every lazy free (READ_ONCE in area.c).
 */
static void replay_settings(struct kvalab_replay *r, bool restore)
{
	struct kvalab *kv = r->kv;

	spin_lock(&kv->free_lock);
	kv->space.search = restore ? r->orig_search : r->params.search;
	spin_unlock(&kv->free_lock);
	if (r->params.lazy_max_pages)
		WRITE_ONCE(kv->lazy_max_pages, restore ? r->orig_lazy_max :
			   r->params.lazy_max_pages);
}

static int replay_thread(void *data)
{
	struct kvalab_replay *r = data;
	bool stopped = false;
	unsigned int i;

	replay_settings(r, false);
	for (i = 0; i < r->nr_planned; i++) {
		WRITE_ONCE(r->cur, i);
		WRITE_ONCE(r->cur_op, 0);
		replay_one(r, i);
		stopped = r->res[i].stopped;
		spin_lock(&r->res_lock);
		r->nr_res = i + 1;
		spin_unlock(&r->res_lock);
		if (stopped || kthread_should_stop()) {
			stopped = true;
			break;
		}
	}
	kvalab_switch_policy(r->kv, r->orig_policy);
	replay_settings(r, true);
	set_state(r, stopped ? KVALAB_RS_STOPPED : KVALAB_RS_DONE);
	/* The slice is the module's again: end the claim replay_start() took. */
	kvalab_release(r->kv, KVALAB_HOLD_REPLAY);
	/* Parked until reaped, so that kthread_stop() always finds us. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int replay_start(struct kvalab_replay *r,
			const struct kvalab_replay_params *p, char *res,
			size_t len)
{
	struct kvalab *kv = r->kv;
	unsigned long busy, scale_e4;
	unsigned int i, want;
	int err;

	switch (get_state(r)) {
	case KVALAB_RS_EMPTY:
		snprintf(res, len, "no trace loaded: write one to the replay file first");
		return -ENOENT;
	case KVALAB_RS_LOADING:
		snprintf(res, len, "a trace is being loaded (the replay file is open)");
		return -EBUSY;
	case KVALAB_RS_LOAD_FAILED:
		snprintf(res, len, "the trace was refused: %s", r->load_msg);
		return -EINVAL;
	case KVALAB_RS_RUNNING:
		snprintf(res, len, "a replay is running; replay stop first");
		return -EBUSY;
	default:
		break;
	}
	if (r->peak_live > kv->slice_size) {
		scale_e4 = kv->slice_size / (r->peak_live / 10000 + 1);
		snprintf(res, len,
			 "the trace peaks at %luK live; the slice is %luK: replay with --scale %lu.%04lu or less, or load with slice_size=%luM",
			 r->peak_live >> 10, kv->slice_size >> 10,
			 scale_e4 / 10000,
			 scale_e4 % 10000,
			 DIV_ROUND_UP(r->peak_live + (r->peak_live >> 3),
				      1UL << 20));
		return -E2BIG;
	}
	if (p->lazy_max_pages > kv->slice_size >> PAGE_SHIFT) {
		snprintf(res, len,
			 "lazy_max_pages=%lu is above the slice's %lu pages",
			 p->lazy_max_pages, kv->slice_size >> PAGE_SHIFT);
		return -ERANGE;
	}
	/*
	 * From here the slice is the replay's until its thread ends (or the
	 * setup below fails): no run, policy switch or reset can start under
	 * it, and it cannot start under them.
	 */
	err = kvalab_claim(kv, KVALAB_HOLD_REPLAY, res, len);
	if (err)
		return err;
	reap_thread(r);
	free_results(r);
	/* Idle vmap blocks and queued frees are the module's: let them go. */
	flush_work(&kv->deferred_work);
	kvalab_vblocks_drain(kv);
	spin_lock(&kv->busy_lock);
	busy = kv->space.nr_busy;
	spin_unlock(&kv->busy_lock);
	if (busy) {
		snprintf(res, len,
			 "the slice holds %lu busy areas; a replay needs it empty (free them or reset first)",
			 busy);
		err = -EBUSY;
		goto out_release;
	}

	r->params = *p;
	want = p->samples ? p->samples : KVALAB_REPLAY_DEF_SAMPLES;
	r->params.samples = want;
	r->orig_policy = kvalab_policy(kv);
	spin_lock(&kv->free_lock);
	r->orig_search = kv->space.search;
	spin_unlock(&kv->free_lock);
	r->orig_lazy_max = READ_ONCE(kv->lazy_max_pages);
	for (i = 0; i < KVA_NR_POLICIES; i++)
		if (p->policies & (1U << i))
			r->order[r->nr_planned++] = i;
	if (!r->nr_planned)
		r->order[r->nr_planned++] = r->orig_policy;
	err = -ENOMEM;
	r->map = kvcalloc(max(r->nr_ids, 1U), sizeof(*r->map), GFP_KERNEL);
	if (!r->map)
		goto fail;
	if (p->log && r->nr_alloc * r->nr_planned > REPLAY_LOG_MAX) {
		free_results(r);
		snprintf(res, len,
			 "log: %lu placements over %u policies is above %lu: log fewer policies at once",
			 r->nr_alloc, r->nr_planned, REPLAY_LOG_MAX);
		err = -E2BIG;
		goto out_release;
	}
	for (i = 0; i < r->nr_planned; i++) {
		r->res[i].samples = kvcalloc(want, sizeof(struct kvalab_replay_sample),
					     GFP_KERNEL);
		if (!r->res[i].samples)
			goto fail;
		if (p->log) {
			r->res[i].log = kvcalloc(max(r->nr_alloc, 1UL),
						 sizeof(s64), GFP_KERNEL);
			if (!r->res[i].log)
				goto fail;
		}
	}
	if (r->hdr.slice_size > kv->slice_size)
		snprintf(r->note, sizeof(r->note),
			 "the trace was made for slice_size=%lu, this slice is %lu: ENOMEM may come from the smaller slice (--scale F, or load with slice_size=)",
			 r->hdr.slice_size, kv->slice_size);
	WRITE_ONCE(r->cur, 0);
	WRITE_ONCE(r->cur_op, 0);
	set_state(r, KVALAB_RS_RUNNING);
	r->task = kthread_run(replay_thread, r, "kvalab-replay");
	if (IS_ERR(r->task)) {
		err = PTR_ERR(r->task);
		r->task = NULL;
		set_state(r, KVALAB_RS_LOADED);
		goto fail;
	}
	snprintf(res, len,
		 "ok replay start ops=%lu policies=%u va_only=%d samples=%u search=%s lazy_max_pages=%lu\n",
		 r->nr_ops, r->nr_planned, r->params.va_only, want,
		 kva_search_names[r->params.search],
		 p->lazy_max_pages ? p->lazy_max_pages : r->orig_lazy_max);
	return 0;
fail:
	free_results(r);
	snprintf(res, len, "cannot set the replay up (%d)", err);
out_release:
	kvalab_release(kv, KVALAB_HOLD_REPLAY);
	return err;
}

int kvalab_replay_cmd(struct kvalab *kv, const struct kvalab_replay_params *p,
		      char *res, size_t len)
{
	struct kvalab_replay *r = kv->replay;
	int err = 0;

	mutex_lock(&r->mutex);
	switch (p->action) {
	case KVALAB_REPLAY_START:
		err = replay_start(r, p, res, len);
		break;
	case KVALAB_REPLAY_STOP:
		if (get_state(r) != KVALAB_RS_RUNNING) {
			snprintf(res, len, "no replay is running");
			err = -EALREADY;
			break;
		}
		reap_thread(r);		/* waits for the cleanup */
		snprintf(res, len, "ok replay stop\n");
		break;
	case KVALAB_REPLAY_CLEAR:
		if (get_state(r) == KVALAB_RS_RUNNING || r->loader) {
			snprintf(res, len, "a replay is running or a trace is loading");
			err = -EBUSY;
			break;
		}
		reap_thread(r);
		free_results(r);
		free_trace(r);
		r->load_err = 0;
		r->load_msg[0] = '\0';
		set_state(r, KVALAB_RS_EMPTY);
		snprintf(res, len, "ok replay clear\n");
		break;
	default:
		snprintf(res, len, "unknown replay action");
		err = -EINVAL;
	}
	mutex_unlock(&r->mutex);
	return err;
}

/* ---- the listings' view (debugfs/replay_results.c) ---- */

void kvalab_replay_view_begin(struct kvalab *kv, struct kvalab_replay_view *v)
{
	struct kvalab_replay *r = kv->replay;

	mutex_lock(&r->mutex);
	spin_lock(&r->res_lock);
	v->state = r->state;
	v->nr_res = r->nr_res;
	spin_unlock(&r->res_lock);
	v->load_err = r->load_err;
	v->load_msg = r->load_msg;
	v->hdr = &r->hdr;
	v->ops = r->ops;
	v->nr_ops = r->nr_ops;
	v->nr_alloc = r->nr_alloc;
	v->nr_free = r->nr_free;
	v->nr_purge = r->nr_purge;
	v->peak_live = r->peak_live;
	v->text_bytes = r->text_bytes;
	v->nr_ids = r->nr_ids;
	v->nr_planned = r->nr_planned;
	v->order = r->order;
	v->params = &r->params;
	v->lazy_max_pages = r->params.lazy_max_pages ?
			    r->params.lazy_max_pages : r->orig_lazy_max;
	v->note = r->note;
	v->cur = READ_ONCE(r->cur);
	v->cur_op = READ_ONCE(r->cur_op);
	v->res = r->res;
}

void kvalab_replay_view_end(struct kvalab *kv)
{
	mutex_unlock(&kv->replay->mutex);
}

int kvalab_replay_init(struct kvalab *kv)
{
	struct kvalab_replay *r = kvzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return -ENOMEM;
	r->kv = kv;
	mutex_init(&r->mutex);
	spin_lock_init(&r->res_lock);
	xa_init(&r->live);
	r->state = KVALAB_RS_EMPTY;
	kv->replay = r;
	return 0;
}

void kvalab_replay_exit(struct kvalab *kv)
{
	struct kvalab_replay *r = kv->replay;

	if (!r)
		return;
	mutex_lock(&r->mutex);
	reap_thread(r);
	free_results(r);
	free_trace(r);
	mutex_unlock(&r->mutex);
	kv->replay = NULL;
	kvfree(r);
}
