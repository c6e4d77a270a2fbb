// SPDX-License-Identifier: GPL-2.0
/*
 * Recording: `record on` starts a new recording into a buffer of
 * record_ops entries (a module parameter), `record off` ends it, and the
 * `trace` debugfs file prints the last recording in the trace format of
 * include/kvalab/trace.h (docs/traces.md, "Recording").
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
 * open trace file another, so a reader never sees it freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kref.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
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

struct rec_buf {
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
static struct rec_buf *rec_cur;		/* under rec_lock */
static u32 rec_gen;			/* under rec_mutex */

static void rec_buf_release(struct kref *ref)
{
	vfree(container_of(ref, struct rec_buf, ref));
}

/* Append under rec_lock; the entry, or NULL when full (counted). */
static struct rec_ent *rec_append(struct rec_buf *b, enum rec_kind kind)
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
	struct rec_buf *b;
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
	struct rec_buf *b;
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
	struct rec_buf *b;

	spin_lock(&rec_lock);
	b = rec_cur;
	if (b && b->on)
		rec_append(b, REC_PURGE);
	spin_unlock(&rec_lock);
}

int kvalab_record_set(struct kvalab *kv, bool on, char *res, size_t len)
{
	struct rec_buf *b, *old;
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

/* ---- the trace file: a snapshot of the buffer taken at open ---- */

struct trace_view {
	struct rec_buf *b;	/* a reference */
	unsigned long n, dropped, old_frees, cap;
	u32 ids;
	bool on;
};

/* Positions: 0 the header and comments, 1..n the entries. */
static void *trace_start(struct seq_file *m, loff_t *pos)
{
	struct trace_view *v = m->private;

	return *pos <= v->n ? (void *)(uintptr_t)(*pos + 1) : NULL;
}

static void *trace_next(struct seq_file *m, void *p, loff_t *pos)
{
	++*pos;
	return trace_start(m, pos);
}

static void trace_stop(struct seq_file *m, void *p)
{
}

static void trace_flags(struct seq_file *m, unsigned int flags)
{
	const char *sep = " flags=";
	unsigned int bit;

	for (bit = 0; bit < KVA_TRACE_NR_FLAGS; bit++) {
		if (!(flags & (1U << bit)))
			continue;
		seq_printf(m, "%s%s", sep, kva_trace_flag_name(1U << bit));
		sep = ",";
	}
}

static int trace_show(struct seq_file *m, void *p)
{
	struct trace_view *v = m->private;
	unsigned long i = (uintptr_t)p - 1;
	const struct rec_ent *e;

	if (!i) {
		seq_printf(m, "%s %d slice_size=%lu page_size=%lu ids=%u source=record\n",
			   KVA_TRACE_MAGIC, KVA_TRACE_VERSION,
			   v->b->slice_size, PAGE_SIZE, v->ids);
		seq_printf(m, "# recorded by kvalab: %lu operations%s\n", v->n,
			   v->on ? " so far (recording still on)" : "");
		if (v->dropped)
			seq_printf(m, "# OVERFLOW: %lu operations dropped after the buffer of %lu filled (record_ops); this is the prefix\n",
				   v->dropped, v->cap);
		if (v->old_frees)
			seq_printf(m, "# %lu frees of areas allocated before the recording are not in the trace\n",
				   v->old_frees);
		return 0;
	}
	/* Entries below the snapshot's n are written once and never change. */
	e = &v->b->ent[i - 1];
	seq_printf(m, "@%llu ", e->ns);
	switch (e->kind) {
	case REC_ALLOC:
		seq_printf(m, "a %u %lu", e->id, e->size);
		if (e->align_order)
			seq_printf(m, " align=%lu", 1UL << e->align_order);
		trace_flags(m, e->flags);
		break;
	case REC_FREE:
		seq_printf(m, "f %u", e->id);
		break;
	default:
		seq_puts(m, "p");
	}
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations trace_seq_ops = {
	.start = trace_start,
	.next = trace_next,
	.stop = trace_stop,
	.show = trace_show,
};

static int trace_open(struct inode *inode, struct file *file)
{
	struct trace_view *v;
	int err;

	v = __seq_open_private(file, &trace_seq_ops, sizeof(*v));
	if (!v)
		return -ENOMEM;
	spin_lock(&rec_lock);
	if (rec_cur) {
		v->b = rec_cur;
		kref_get(&v->b->ref);
		v->n = v->b->n;
		v->cap = v->b->cap;
		v->dropped = v->b->dropped;
		v->old_frees = v->b->old_frees;
		v->ids = v->b->next_id;
		v->on = v->b->on;
	}
	spin_unlock(&rec_lock);
	if (!v->b) {
		err = -ENODATA;		/* nothing was ever recorded */
		seq_release_private(inode, file);
		return err;
	}
	return 0;
}

static int trace_release(struct inode *inode, struct file *file)
{
	struct trace_view *v = ((struct seq_file *)file->private_data)->private;

	kref_put(&v->b->ref, rec_buf_release);
	return seq_release_private(inode, file);
}

static const struct file_operations trace_fops = {
	.owner = THIS_MODULE,
	.open = trace_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = trace_release,
};

void kvalab_record_create(struct kvalab *kv, struct dentry *dir)
{
	debugfs_create_file("trace", 0400, dir, kv, &trace_fops);
}

/* After the debugfs files are gone: no reader and no command is left. */
void kvalab_record_exit(struct kvalab *kv)
{
	struct rec_buf *b;

	static_branch_disable(&kvalab_record_on);
	spin_lock(&rec_lock);
	b = rec_cur;
	rec_cur = NULL;
	spin_unlock(&rec_lock);
	if (b)
		kref_put(&b->ref, rec_buf_release);
}
