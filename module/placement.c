// SPDX-License-Identifier: GPL-2.0
/*
 * TEMPORARY (branch wt-b only): kvalab_switch_policy() and kvalab_policy()
 * as declared in kvalab.h, so the workload controller's policy backends
 * can be built and tested before the real implementation lands on main;
 * that one replaces this file on merge.
 *
 * The switch needs a quiescent slice: state_sem for write excludes every
 * path that moves areas; then the three spinlocks in the checker's order.
 */
#include <linux/kernel.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

#include "kvalab.h"

int kvalab_switch_policy(struct kvalab *kv, enum kva_policy_id id)
{
	enum kva_policy_id old;
	int err;

	if ((unsigned int)id >= KVA_NR_POLICIES)
		return -EINVAL;
	down_write(&kv->state_sem);
	spin_lock(&kv->busy_lock);
	spin_lock(&kv->lazy_lock);
	spin_lock(&kv->free_lock);
	old = kva_policy_id(&kv->space);
	err = kva_set_policy(&kv->space, id);
	spin_unlock(&kv->free_lock);
	spin_unlock(&kv->lazy_lock);
	spin_unlock(&kv->busy_lock);
	up_write(&kv->state_sem);
	return err ? err : (int)old;
}

enum kva_policy_id kvalab_policy(struct kvalab *kv)
{
	enum kva_policy_id id;

	spin_lock(&kv->free_lock);
	id = kva_policy_id(&kv->space);
	spin_unlock(&kv->free_lock);
	return id;
}
