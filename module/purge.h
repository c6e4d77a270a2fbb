/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KVALAB_PURGE_H
#define _KVALAB_PURGE_H

#include <linux/workqueue.h>

struct kvalab;

/*
 * kvalab_purge() for a caller already holding state_sem for read. With
 * @all false (the lazy threshold's purge) the va_pools lever decays the
 * pool by a quarter and pools what it may of this purge; with @all true
 * (an explicit purge, an allocation's retry) everything goes to the free
 * tree.
 */
unsigned long kvalab_purge_state_held(struct kvalab *kv, unsigned long *pages,
				      bool all);
/* The work item completing kvalab_free_atomic() (area.c). */
void kvalab_deferred_work(struct work_struct *work);

#endif /* _KVALAB_PURGE_H */
