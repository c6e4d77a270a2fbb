/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recording (module/record.c, docs/traces.md "Recording"): while `record
 * on` is in force, every allocation and free on the slice, and every
 * explicit purge, is appended to a bounded buffer that the `trace` debugfs
 * file prints in the trace format. Off (the default), each hook is one
 * static-key NOP.
 */
#ifndef _KVALAB_RECORD_H
#define _KVALAB_RECORD_H

#include <linux/jump_label.h>

struct kvalab;
struct kvalab_area;
struct dentry;

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

/* The trace file (debugfs) and module exit. */
void kvalab_record_create(struct kvalab *kv, struct dentry *dir);
void kvalab_record_exit(struct kvalab *kv);

#endif /* _KVALAB_RECORD_H */
