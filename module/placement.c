// SPDX-License-Identifier: GPL-2.0
/*
 * Switching the slice's placement policy at run time (the `policy NAME`
 * command and the policy= parameter).
 *
 * kva_set_policy() drops the old policy's index and builds the new one from
 * the areas in the trees, so it needs what the checker needs: a quiescent
 * slice, with no area between trees. Every path that moves areas holds
 * state_sem for read, so holding it for write excludes them all; the three
 * spinlocks are then taken in the checker's order (busy, lazy, free: see
 * module/check.c and the locking comment in kvalab.h), which keeps lockdep
 * seeing one order. Listings that take one spinlock at a time are excluded
 * by that spinlock. Busy and lazy areas stay where they are: a policy only
 * decides where the next allocation goes.
 */
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

#include "kvalab.h"

/* The switch itself, on a slice the caller made quiescent. */
static int switch_locked(struct kvalab *kv, enum kva_policy_id id)
{
	lockdep_assert_held_write(&kv->state_sem);
	lockdep_assert_held(&kv->busy_lock);
	lockdep_assert_held(&kv->lazy_lock);
	lockdep_assert_held(&kv->free_lock);
	lockdep_assert_held(&kv->pool_lock);

	return kva_set_policy(&kv->space, id);
}

static int switch_policy(struct kvalab *kv, enum kva_policy_id id, bool fresh)
{
	enum kva_policy_id old;
	int err = 0;

	/* Unsigned compare: an enum holding a negative value is refused too. */
	if ((unsigned int)id >= KVA_NR_POLICIES)
		return -EINVAL;

	down_write(&kv->state_sem);
	spin_lock(&kv->busy_lock);
	spin_lock(&kv->lazy_lock);
	spin_lock(&kv->free_lock);
	/* The occupied-list policies' index holds pooled areas too. */
	spin_lock(&kv->pool_lock);
	old = kva_policy_id(&kv->space);
	/*
	 * Selecting the active policy again changes nothing: its search state
	 * (next-fit's rotor, cached-hole's cache) is kept, not reset by a
	 * rebuild, so "policy X" never moves where the next alloc goes.
	 * @fresh rebuilds it anyway (a replay's run starts from nothing).
	 */
	if (id != old || fresh)
		err = switch_locked(kv, id);
	spin_unlock(&kv->pool_lock);
	spin_unlock(&kv->free_lock);
	spin_unlock(&kv->lazy_lock);
	spin_unlock(&kv->busy_lock);
	up_write(&kv->state_sem);
	return err ? err : (int)old;
}

int kvalab_switch_policy(struct kvalab *kv, enum kva_policy_id id)
{
	return switch_policy(kv, id, false);
}

int kvalab_restart_policy(struct kvalab *kv, enum kva_policy_id id)
{
	return switch_policy(kv, id, true);
}

enum kva_policy_id kvalab_policy(struct kvalab *kv)
{
	enum kva_policy_id id;

	spin_lock(&kv->free_lock);
	id = kva_policy_id(&kv->space);
	spin_unlock(&kv->free_lock);
	return id;
}
