// SPDX-License-Identifier: GPL-2.0
/*
 * Recording: `record on` starts a new recording into a buffer of
 * record_ops entries (a module parameter), `record off` ends it, and the
 * `trace` debugfs file (debugfs/trace_file.c) prints the last recording in
 * the trace format of include/kvalab/trace.h from a view of it
 * (kvalab_record_view_get(); docs/traces.md, "Recording").
 *
 * The buffer keeps the *first* record_ops operations and counts the rest
 * as dropped, rather than overwriting the oldest: a prefix of a history is
 * a valid trace (every free follows its alloc), a suffix is not. Once full
 * it stays full, so everything after the first drop is dropped too and the
 * file is still a consistent prefix; the count is printed in the file and
 * in stats, never silent.
 *
 * Areas get trace ids from a per-recording counter, stored in the area
 * (rec_id, rec_gen): workload areas have no control id, and a control id
 * may be reused after a free while a trace id must name one allocation at
 * a time. Frees of areas allocated before the recording began are not in
 * the trace (they are counted); allocations and frees after `record off`
 * are not either.
 *
 * Locking: rec_lock (a leaf spinlock, taken in process context only, with
 * no other kvalab spinlock held) covers the current buffer pointer and the
 * buffer's counters and entries; rec_mutex serialises on/off. A buffer is
 * freed when its last reference goes: the current one holds one, every
 * view (an open trace file) another, so a reader never sees it freed.
 */
#include <linux/kref.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include <kvalab/trace.h>
#include "kvalab.h"
#include "record.h"

DEFINE_STATIC_KEY_FALSE(kvalab_record_on);

#define RECORD_OPS_MIN	16UL
#define RECORD_OPS_MAX	(16UL << 20)

static unsigned long record_ops = 1UL << 16;

static int record_ops_set(const char *val, const struct kernel_param *kp)
{
	unsigned long v;
	int err = kstrtoul(val, 0, &v);

	if (err || v < RECORD_OPS_MIN || v > RECORD_OPS_MAX) {
		pr_err("record_ops='%s': expected %lu..%lu\n", val,
		       RECORD_OPS_MIN, RECORD_OPS_MAX);
		return -EINVAL;
	}
	WRITE_ONCE(record_ops, v);
	return 0;
}

static const struct kernel_param_ops record_ops_ops = {
	.set = record_ops_set,
	.get = param_get_ulong,
};
module_param_cb(record_ops, &record_ops_ops, &record_ops, 0644);
MODULE_PARM_DESC(record_ops,
		 "Operations one recording keeps (16..16777216, default 65536); read at 'record on'");

enum rec_kind { REC_ALLOC = 1, REC_FREE, REC_PURGE };

struct rec_ent {
	u64 ns;			/* since the recording began */
	unsigned long size;	/* alloc: page rounded, guard excluded */
	u32 id;			/* trace id (alloc, free) */
	u16 flags;		/* alloc: enum kva_trace_flag bits */
	u8 kind;		/* enum rec_kind */
	u8 align_order;		/* alloc: log2(align), 0 for one page */
};

struct kvalab_record_buf {
	struct kref ref;
	u32 gen;		/* area->rec_gen of this recording's areas */
	bool on;		/* still recording */
	u64 t0;
	u32 next_id;		/* trace ids handed out */
	unsigned long slice_size;
	unsigned long cap, n;	/* entries: room for, written */
	unsigned long dropped;	/* ops not kept because the buffer was full */
	unsigned long old_frees; /* frees of areas from before the start */
	struct rec_ent ent[];
};

static DEFINE_SPINLOCK(rec_lock);
static DEFINE_MUTEX(rec_mutex);
static struct kvalab_record_buf *rec_cur;	/* under rec_lock */
static u32 rec_gen;			/* under rec_mutex */

static void rec_buf_release(struct kref *ref)
{
	vfree(container_of(ref, struct kvalab_record_buf, ref));
}

/* Append under rec_lock; the entry, or NULL when full (counted). */
static struct rec_ent *rec_append(struct kvalab_record_buf *b,
				  enum rec_kind kind)
{
	struct rec_ent *e;

	if (b->n == b->cap) {
		b->dropped++;
		return NULL;
	}
	e = &b->ent[b->n++];
	e->kind = kind;
	/* Taken under the lock, so times never go backwards in the file. */
	e->ns = ktime_get_ns() - b->t0;
	return e;
}

static u16 rec_flags(const struct kvalab_area *a)
{
	u16 f = 0;

	if (a->flags & KVALAB_NOGUARD)
		f |= KVA_TRACE_F_NOGUARD;
	/* Labels: where the area came from (the trace's own vocabulary). */
	if (a->flags & KVALAB_VBLOCK)
		f |= KVA_TRACE_F_VM_MAP_RAM;
	else if ((a->flags & KVALAB_WORKLOAD) && !a->own_pages &&
		 !(a->flags & KVALAB_VAONLY))
		f |= KVA_TRACE_F_VM_MAP_RAM;	/* kvalab_map_pages() */
	else if (a->flags & KVALAB_WORKLOAD)
		f |= KVA_TRACE_F_VMALLOC;
	return f;
}

void __kvalab_record_alloc(struct kvalab *kv, struct kvalab_area *a,
			   unsigned long align)
{
	struct kvalab_record_buf *b;
	struct rec_ent *e;

	spin_lock(&rec_lock);
	b = rec_cur;
	if (b && b->on) {
		e = rec_append(b, REC_ALLOC);
		if (e) {
			e->id = b->next_id++;
			e->size = (unsigned long)a->nr_pages << PAGE_SHIFT;
			e->flags = rec_flags(a);
			e->align_order = align > PAGE_SIZE ? ilog2(align) : 0;
			a->rec_id = e->id + 1;
			a->rec_gen = b->gen;
		}
	}
	spin_unlock(&rec_lock);
}

void __kvalab_record_free(struct kvalab *kv, struct kvalab_area *a)
{
	struct kvalab_record_buf *b;
	struct rec_ent *e;

	spin_lock(&rec_lock);
	b = rec_cur;
	if (b && b->on) {
		if (a->rec_id && a->rec_gen == b->gen) {
			e = rec_append(b, REC_FREE);
			if (e)
				e->id = a->rec_id - 1;
		} else {
			/*
			 * Allocated before this recording, or its alloc was
			 * dropped (the buffer was full then and still is: this
			 * free is dropped too).
			 */
			if (b->n == b->cap)
				b->dropped++;
			else
				b->old_frees++;
		}
	}
	spin_unlock(&rec_lock);
}

void __kvalab_record_purge(struct kvalab *kv)
{
	struct kvalab_record_buf *b;

	spin_lock(&rec_lock);
	b = rec_cur;
	if (b && b->on)
		rec_append(b, REC_PURGE);
	spin_unlock(&rec_lock);
}

int kvalab_record_set(struct kvalab *kv, bool on, char *res, size_t len)
{
	struct kvalab_record_buf *b, *old;
	unsigned long cap;
	int err = 0;

	mutex_lock(&rec_mutex);
	spin_lock(&rec_lock);
	old = rec_cur;
	if (on == (old && old->on)) {
		spin_unlock(&rec_lock);
		snprintf(res, len, on ? "a recording is already on; record off first"
				      : "no recording is on");
		err = -EALREADY;
		goto out;
	}
	if (!on) {
		old->on = false;
		cap = old->n;
		spin_unlock(&rec_lock);
		static_branch_disable(&kvalab_record_on);
		snprintf(res, len, "ok record off ops=%lu dropped=%lu ids=%u\n",
			 cap, old->dropped, old->next_id);
		goto out;
	}
	spin_unlock(&rec_lock);

	/* Allocated with no spinlock held; it may be large. */
	cap = READ_ONCE(record_ops);
	b = vzalloc(struct_size(b, ent, cap));
	if (!b) {
		snprintf(res, len, "no memory for a buffer of %lu operations (record_ops)",
			 cap);
		err = -ENOMEM;
		goto out;
	}
	kref_init(&b->ref);
	b->gen = ++rec_gen;
	b->cap = cap;
	b->slice_size = kv->slice_size;
	b->on = true;
	b->t0 = ktime_get_ns();
	spin_lock(&rec_lock);
	old = rec_cur;
	rec_cur = b;
	spin_unlock(&rec_lock);
	static_branch_enable(&kvalab_record_on);
	if (old)
		kref_put(&old->ref, rec_buf_release);
	snprintf(res, len, "ok record on ops_max=%lu\n", cap);
out:
	mutex_unlock(&rec_mutex);
	return err;
}

void kvalab_record_stats(bool *on, unsigned long *ops, unsigned long *dropped)
{
	spin_lock(&rec_lock);
	*on = rec_cur && rec_cur->on;
	*ops = rec_cur ? rec_cur->n : 0;
	*dropped = rec_cur ? rec_cur->dropped : 0;
	spin_unlock(&rec_lock);
}

/* ---- the views of the trace file (debugfs/trace_file.c) ---- */

int kvalab_record_view_get(struct kvalab_record_view *v)
{
	memset(v, 0, sizeof(*v));
	spin_lock(&rec_lock);
	if (rec_cur) {
		v->buf = rec_cur;
		kref_get(&v->buf->ref);
		v->n = v->buf->n;
		v->cap = v->buf->cap;
		v->dropped = v->buf->dropped;
		v->old_frees = v->buf->old_frees;
		v->slice_size = v->buf->slice_size;
		v->ids = v->buf->next_id;
		v->on = v->buf->on;
	}
	spin_unlock(&rec_lock);
	return v->buf ? 0 : -ENODATA;	/* nothing was ever recorded */
}

void kvalab_record_view_put(struct kvalab_record_view *v)
{
	if (v->buf)
		kref_put(&v->buf->ref, rec_buf_release);
	v->buf = NULL;
}

void kvalab_record_view_op(const struct kvalab_record_view *v,
			   unsigned long i, struct kva_trace_op *op)
{
	/* Entries below the view's n are written once and never change. */
	const struct rec_ent *e = &v->buf->ent[i];

	memset(op, 0, sizeof(*op));
	op->has_time = true;
	op->time_ns = e->ns;
	switch (e->kind) {
	case REC_ALLOC:
		op->kind = KVA_TRACE_ALLOC;
		op->id = e->id;
		op->size = e->size;
		op->align = e->align_order ? 1UL << e->align_order : 0;
		op->flags = e->flags;
		break;
	case REC_FREE:
		op->kind = KVA_TRACE_FREE;
		op->id = e->id;
		break;
	default:
		op->kind = KVA_TRACE_PURGE;
	}
}

/* After the debugfs files are gone: no reader and no command is left. */
void kvalab_record_exit(struct kvalab *kv)
{
	struct kvalab_record_buf *b;

	static_branch_disable(&kvalab_record_on);
	spin_lock(&rec_lock);
	b = rec_cur;
	rec_cur = NULL;
	spin_unlock(&rec_lock);
	if (b)
		kref_put(&b->ref, rec_buf_release);
}
