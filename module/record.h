/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recording (module/record.c, docs/traces.md "Recording"): while `record
 * on` is in force, every allocation and free on the slice, and every
 * explicit purge, is appended to a bounded buffer that the `trace` debugfs
 * file (debugfs/trace_file.c) prints in the trace format from a view. Off
 * (the default), each hook is one static-key NOP.
 */
#ifndef _KVALAB_RECORD_H
#define _KVALAB_RECORD_H

#include <linux/jump_label.h>
#include <linux/types.h>

struct kvalab;
struct kvalab_area;
struct kvalab_record_buf;
struct kva_trace_op;

DECLARE_STATIC_KEY_FALSE(kvalab_record_on);

void __kvalab_record_alloc(struct kvalab *kv, struct kvalab_area *a,
			   unsigned long align);
void __kvalab_record_free(struct kvalab *kv, struct kvalab_area *a);
void __kvalab_record_purge(struct kvalab *kv);

/* @a is allocated and not yet published; @align as placed (>= a page). */
static __always_inline void kvalab_record_alloc(struct kvalab *kv,
						struct kvalab_area *a,
						unsigned long align)
{
	if (static_branch_unlikely(&kvalab_record_on))
		__kvalab_record_alloc(kv, a, align);
}

/* @a is being released: its VA goes to the lazy list next. */
static __always_inline void kvalab_record_free(struct kvalab *kv,
					       struct kvalab_area *a)
{
	if (static_branch_unlikely(&kvalab_record_on))
		__kvalab_record_free(kv, a);
}

/* An explicit purge (control purge, reset): a `p` line. */
static __always_inline void kvalab_record_purge(struct kvalab *kv)
{
	if (static_branch_unlikely(&kvalab_record_on))
		__kvalab_record_purge(kv);
}

/*
 * record on|off. On allocates a new buffer (the old recording is dropped)
 * and returns -EALREADY if a recording runs; off keeps the buffer for the
 * trace file and returns -EALREADY if none runs. Both sleep; the reason
 * or the "ok" line goes to @res.
 */
int kvalab_record_set(struct kvalab *kv, bool on, char *res, size_t len);

/* For the stats listing: recording now, ops kept, ops dropped. */
void kvalab_record_stats(bool *on, unsigned long *ops,
			 unsigned long *dropped);

/*
 * A view of the last recording, for the trace file: its figures when taken
 * and a reference that keeps its buffer. The operations below @n are
 * written once and never change, so kvalab_record_view_op() reads them
 * without a lock, also while the recording goes on.
 */
struct kvalab_record_view {
	struct kvalab_record_buf *buf;
	unsigned long n;		/* operations kept */
	unsigned long cap;		/* room for (record_ops at the start) */
	unsigned long dropped;		/* not kept: the buffer was full */
	unsigned long old_frees;	/* frees of areas from before it */
	unsigned long slice_size;
	u32 ids;			/* trace ids handed out */
	bool on;			/* still recording */
};

/* Take a view (no sleeping); -ENODATA if nothing was ever recorded. */
int kvalab_record_view_get(struct kvalab_record_view *v);
void kvalab_record_view_put(struct kvalab_record_view *v);
/* Operation @i (below v->n) in the trace format's terms, with its time. */
void kvalab_record_view_op(const struct kvalab_record_view *v,
			   unsigned long i, struct kva_trace_op *op);

/* Module exit, after the debugfs files are gone. */
void kvalab_record_exit(struct kvalab *kv);

#endif /* _KVALAB_RECORD_H */
