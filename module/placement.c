// SPDX-License-Identifier: GPL-2.0
/*
 * Who may change the slice as a whole, and the policy switch itself.
 *
 * The claim: a workload run, a replay, a policy switch, a reset and unload
 * each change what every allocation in the slice sees, so they exclude
 * each other by claiming the slice here, in one step under claim_lock (a
 * leaf spinlock: nothing is taken inside it). There is no separate "is
 * anyone running?" test to race with: a second claimant is refused with
 * EBUSY naming the holder. The claim is not a lock around the work (a run
 * holds it for minutes, from its start command to its controller's end),
 * so a holder may sleep and take any lock while it has it.
 *
 * Switching the slice's placement policy at run time (the `policy NAME`
 * command, the policy= parameter, a run's kvalab:POLICY backends and a
 * replay's policies): the caller holds the claim.
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
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>

#include "kvalab.h"

const char *const kvalab_holder_names[KVALAB_NR_HOLDERS] = {
	[KVALAB_HOLD_NONE] = "none",
	[KVALAB_HOLD_RUN] = "run",
	[KVALAB_HOLD_REPLAY] = "replay",
	[KVALAB_HOLD_POLICY] = "policy",
	[KVALAB_HOLD_RESET] = "reset",
	[KVALAB_HOLD_UNLOAD] = "unload",
};

/* The refusal a claimant gets: what holds the slice and what ends it. */
static const char *const held_reasons[KVALAB_NR_HOLDERS] = {
	[KVALAB_HOLD_RUN] = "a workload run is in progress; stop it first",
	[KVALAB_HOLD_REPLAY] = "a replay is running; replay stop first",
	[KVALAB_HOLD_POLICY] = "a policy switch is in progress; try again",
	[KVALAB_HOLD_RESET] = "a reset is in progress; try again",
	[KVALAB_HOLD_UNLOAD] = "the module is unloading",
};

int kvalab_claim(struct kvalab *kv, enum kvalab_holder who, char *why,
		 size_t len)
{
	enum kvalab_holder held;

	if (WARN_ON_ONCE(who == KVALAB_HOLD_NONE || who >= KVALAB_NR_HOLDERS))
		return -EINVAL;
	spin_lock(&kv->claim_lock);
	held = kv->holder;
	if (held == KVALAB_HOLD_NONE) {
		WRITE_ONCE(kv->holder, who);
		WRITE_ONCE(kv->claims, kv->claims + 1);
	}
	spin_unlock(&kv->claim_lock);
	if (held == KVALAB_HOLD_NONE)
		return 0;
	if (why)
		snprintf(why, len, "%s", held_reasons[held]);
	return -EBUSY;
}

void kvalab_release(struct kvalab *kv, enum kvalab_holder who)
{
	spin_lock(&kv->claim_lock);
	/* Only the holder releases: anything else is a bookkeeping bug. */
	if (!WARN_ON_ONCE(kv->holder != who))
		WRITE_ONCE(kv->holder, KVALAB_HOLD_NONE);
	spin_unlock(&kv->claim_lock);
}

/* Written under claim_lock; a lockless snapshot is all a reader needs. */
enum kvalab_holder kvalab_holder(struct kvalab *kv)
{
	return READ_ONCE(kv->holder);
}

/*
 * The holder and the number of claims granted so far, read together: two
 * snapshots with the same count and holder bracket a time in which that
 * holder kept the slice (the claim race test's sampler relies on it).
 */
enum kvalab_holder kvalab_holder_snapshot(struct kvalab *kv,
					  unsigned long *claims)
{
	enum kvalab_holder held;

	spin_lock(&kv->claim_lock);
	held = kv->holder;
	*claims = kv->claims;
	spin_unlock(&kv->claim_lock);
	return held;
}

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
	/* Someone must own the slice-wide change (see the top of the file). */
	WARN_ON_ONCE(kvalab_holder(kv) == KVALAB_HOLD_NONE);

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
