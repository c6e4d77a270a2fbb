/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KVALAB_PURGE_H
#define _KVALAB_PURGE_H

#include <linux/workqueue.h>

struct kvalab;

/* kvalab_purge() for a caller already holding state_sem for read. */
unsigned long kvalab_purge_state_held(struct kvalab *kv, unsigned long *pages);
/* The work item completing kvalab_free_atomic() (area.c). */
void kvalab_deferred_work(struct work_struct *work);

#endif /* _KVALAB_PURGE_H */
