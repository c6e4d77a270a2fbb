/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvalab module internals: the one allocator instance over the reserved
 * slice, and the API the control file and the workloads use.
 */
#ifndef _KVALAB_H
#define _KVALAB_H

#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/refcount.h>
#include <linux/llist.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/atomic.h>

#include <kvalab/core.h>

struct page;
struct kmem_cache;
struct dentry;
struct kvalab_vbq;
struct kvalab_replay;
struct wl_suite;
struct kvalab_oc;

/*
 * Slice-wide activities (module/placement.c). Each changes what every
 * allocation in the slice sees (its policy, search rule or purge threshold,
 * or all its areas), so at most one runs at a time: it claims the slice
 * with kvalab_claim() before it acts and releases it when it has ended. A
 * run and a replay hold the claim until their thread ends; a policy switch
 * and a reset for their one command; unload for good.
 */
enum kvalab_holder {
	KVALAB_HOLD_NONE,
	KVALAB_HOLD_RUN,
	KVALAB_HOLD_REPLAY,
	KVALAB_HOLD_POLICY,
	KVALAB_HOLD_RESET,
	KVALAB_HOLD_UNLOAD,
	KVALAB_NR_HOLDERS
};

/* Allocation flags. */
#define KVALAB_NOGUARD		0x1	/* no trailing unmapped guard page */
#define KVALAB_WORKLOAD		0x2	/* owned by a workload thread */
#define KVALAB_VBLOCK		0x4	/* a per-CPU vmap block: VA only */
#define KVALAB_VAONLY		0x8	/* a replay's VA decision: no pages */

/*
 * A per-CPU vmap block's bookkeeping (module/vblock.c), under the queue
 * lock of CPU @cpu: pieces are handed out from the bottom (@nr - @free
 * pages used so far) and never reused; @dirty pages of them are freed.
 */
struct kvalab_vblock {
	unsigned int cpu;
	unsigned int nr;
	unsigned int free;
	unsigned int dirty;
	bool retired;			/* no longer its CPU's current block */
};

/*
 * A busy allocation: a busy kva_area plus what backs it. Reached from the
 * busy tree (va->owner) and from the id xarray. Lifetime: one reference is
 * held by the busy tree; every lookup takes another. Freeing happens once:
 * under the busy lock KVALAB_AREA_DYING is set and the id is erased, so no
 * new lookup succeeds, and the tree's reference is dropped. The last put
 * (always in process context, under state_sem) unlinks the area from the
 * busy tree, unmaps it, frees the pages and moves the VA to the lazy list,
 * so the area is in some tree at every moment outside one locked call.
 */
struct kvalab_area {
	struct kva_area *va;
	refcount_t ref;
	unsigned long flags;		/* KVALAB_NOGUARD ... KVALAB_VAONLY */
	unsigned long state;		/* bits KVALAB_AREA_DYING, _QUEUED */
	u32 id;				/* 0 for workload areas */
	enum kva_fit_type fit;		/* how its VA was clipped */
	unsigned int nr_pages;		/* mapped pages, guard excluded */
	struct page **pages;		/* NULL entries never mapped */
	struct page *page1;		/* pages[] of a one-page own area */
	bool own_pages;			/* pages are ours to free */
	const void *caller;
	struct llist_node defer;	/* free_atomic queue */
	struct kvalab_vblock *vb;	/* KVALAB_VBLOCK areas only */
	/*
	 * Recording (module/record.c): 1 + the area's id in recording
	 * @rec_gen, or 0 if it was allocated while no recording ran. Set
	 * once before the area is published, read when it is released.
	 */
	u32 rec_id;
	u32 rec_gen;
};

#define KVALAB_AREA_DYING	0	/* freed; lookups fail with -EALREADY */
#define KVALAB_AREA_QUEUED	1	/* queued by kvalab_free_atomic() */

/* Counters kept outside the core; atomic because no one lock covers them. */
struct kvalab_counters {
	atomic_long_t allocs;
	atomic_long_t frees;
	atomic_long_t alloc_failures;
	atomic_long_t pages_allocated;
	atomic_long_t pages_freed;
	atomic_long_t purges;
	atomic_long_t tlb_flushes;
	atomic_long_t deferred_frees;
};

/*
 * Locking, modelled on mm/vmalloc.c's split of free_vmap_area_lock from
 * vmap_area_lock and purge_vmap_area_lock:
 *
 *   free_lock   the free tree/list and kva_space.fstats (searches, splits,
 *               merges);
 *   busy_lock   the busy tree/list and the id xarray;
 *   lazy_lock   the lazy tree/list;
 *   pool_lock   the VA pool (module/vapool.c) and its counters;
 *   purge_mutex one purge at a time (it sleeps in the TLB flush IPI).
 *
 * No path holds two of the spinlocks except kvalab_check() and the policy
 * switch, which take busy_lock, lazy_lock, free_lock, pool_lock in that
 * order. Between those locks an area is briefly in no tree (clipped from
 * free, not yet busy; taken from lazy, not yet free or pooled; taken from
 * the pool, not yet busy or free). So that the checker sees a quiescent
 * slice, every path that moves areas holds state_sem for read, and the
 * checker holds it for write. Atomic-context frees only queue work and never take it.
 *
 * Pages are allocated and mapped with no spinlock held.
 */
struct kvalab {
	struct kva_space space;
	spinlock_t free_lock;		/* see the locking comment above */
	spinlock_t busy_lock;		/* see the locking comment above */
	spinlock_t lazy_lock;		/* see the locking comment above */
	spinlock_t pool_lock;		/* see the locking comment above */
	struct mutex purge_mutex;	/* see the locking comment above */
	struct rw_semaphore state_sem;

	struct xarray ids;		/* id -> struct kvalab_area */
	u32 next_id;			/* ids below this were handed out */
	unsigned long slice_size;

	/* The area objects' slab caches and magazines: module/objcache.c. */
	struct kmem_cache *area_cache;	/* struct kva_area */
	struct kmem_cache *rec_cache;	/* struct kvalab_area */
	struct kvalab_oc __percpu *oc;	/* NULL unless obj_cache=Y */
	struct kva_area *preload;	/* spare for NE splits; xchg'd */

	unsigned long lazy_max_pages;	/* purge threshold */

	struct llist_head deferred;	/* free_atomic queue */
	struct work_struct deferred_work;

	struct kvalab_counters cnt;
	struct dentry *debugfs_dir;

	/* Who holds the slice-wide claim: module/placement.c. */
	spinlock_t claim_lock;
	enum kvalab_holder holder;	/* under claim_lock */
	unsigned long claims;		/* under claim_lock; claims granted */

	struct kvalab_replay *replay;		/* module/replay.c */
	struct wl_suite *wl;			/* module/workloads/ */
	struct kvalab_vbq __percpu *vbq;	/* module/vblock.c */
	unsigned long vb_pages;			/* pages per vmap block */
};

/*
 * Allocate @size bytes (rounded up to pages) aligned to @align (0 or a power
 * of two; raised to PAGE_SIZE), backed by order-0 pages and mapped, with a
 * guard page unless KVALAB_NOGUARD. Sleeps. Returns the area with a
 * reference held for the caller (drop it with kvalab_put()), or an ERR_PTR:
 * -ENOMEM (no VA or no pages), -E2BIG (larger than the slice), -EINVAL,
 * -EOVERFLOW (size plus alignment slack overflows).
 */
struct kvalab_area *kvalab_alloc(struct kvalab *kv, unsigned long size,
				 unsigned long align, unsigned long flags,
				 const void *caller);

/*
 * Fill @pages[0..@nr) (NULL on entry) with order-0 pages as kvalab's own
 * areas get theirs (the page_alloc parameter: single or bulk). Sleeps.
 * Returns how many slots are filled, from the start; fewer than @nr means
 * out of memory, and the caller frees those it got.
 */
unsigned int kvalab_pages_fill(struct page **pages, unsigned int nr);

/*
 * Map caller-owned @pages (@count of them) into a new area without a guard
 * page, like vm_map_ram(); returns with a caller reference like
 * kvalab_alloc(). Freeing it unmaps it and leaves the pages alone.
 */
struct kvalab_area *kvalab_map_pages(struct kvalab *kv, struct page **pages,
				     unsigned int count, const void *caller);

/*
 * Look up a busy area by id or by exact start address and take a reference.
 * Errors: -ENOENT (no such id / no area there), -EALREADY (id or address
 * already freed or queued for freeing), -EINVAL (address inside an area but
 * not its start), -EBUSY (owned by a running workload). The reason is
 * written to @why if not NULL.
 */
struct kvalab_area *kvalab_get_by_id(struct kvalab *kv, u32 id,
				     char *why, size_t len);
struct kvalab_area *kvalab_get_by_addr(struct kvalab *kv, unsigned long addr,
				       char *why, size_t len);
void kvalab_put(struct kvalab *kv, struct kvalab_area *a);

/*
 * The reason an alloc or explain of @size bytes (flags KVALAB_NOGUARD or
 * not) is -E2BIG on this slice, naming the span it needs.
 */
void kvalab_too_big_reason(struct kvalab *kv, unsigned long size,
			   unsigned long flags, char *why, size_t len);
/* The largest free area in bytes, read under free_lock. */
unsigned long kvalab_largest_free(struct kvalab *kv);

/*
 * Free @a, on which the caller holds a reference that this consumes.
 * Returns -EALREADY if someone else freed it first. Sleeps.
 */
int kvalab_free(struct kvalab *kv, struct kvalab_area *a);

/*
 * The vfree_atomic() analogue, callable from atomic context: queue @a (the
 * caller's reference moves to the queue) for a work item that frees it.
 * Failures of the deferred free (a racing free) are logged.
 */
void kvalab_free_atomic(struct kvalab *kv, struct kvalab_area *a);

/*
 * vmalloc()/vfree()-shaped wrappers, used by the workloads. Areas they make
 * carry KVALAB_WORKLOAD, so control commands cannot free them under the
 * workload. kvalab_vfree() also frees kvalab_map_pages() areas.
 */
void *kvalab_vmalloc(struct kvalab *kv, unsigned long size,
		     unsigned long align, const void *caller);
void kvalab_vfree(struct kvalab *kv, const void *addr);
/*
 * vrealloc() for the workloads: @addr NULL is kvalab_vmalloc(@size); @size
 * 0 frees @addr and returns NULL. Else, while the area's pages hold @size
 * it is kept as it is (a shrink keeps its pages, as 6.12's vrealloc()
 * does; 7.3's unmaps and frees the tail ones); otherwise a new area gets
 * @size bytes and the old pages' contents, and @addr is freed. NULL if the
 * new area could not be had (@addr stays). @addr must be the start of a
 * kvalab_vmalloc() area. Sleeps.
 */
void *kvalab_vrealloc(struct kvalab *kv, const void *addr, unsigned long size,
		      const void *caller);

/*
 * vm_map_ram()/vm_unmap_ram() for the workloads (module/vblock.c): map
 * caller-owned @pages (@count of them, no guard page) and return the
 * address, or NULL; small requests are served from per-CPU vmap blocks
 * unless the vblocks parameter is off. Unmapping needs the same @count.
 * Both sleep.
 */
void *kvalab_vm_map_ram(struct kvalab *kv, struct page **pages,
			unsigned int count, const void *caller);
void kvalab_vm_unmap_ram(struct kvalab *kv, const void *mem,
			 unsigned int count);
/*
 * Retire every CPU's current block and free those with nothing mapped
 * (vm_unmap_aliases()); blocks with live pieces go when their last piece
 * is unmapped. Called at the end of a workload case, by reset and at exit.
 */
void kvalab_vblocks_drain(struct kvalab *kv);
int kvalab_vblocks_init(struct kvalab *kv);
void kvalab_vblocks_exit(struct kvalab *kv);

/*
 * Flush the TLB and return every lazy area, and every pooled one (the
 * va_pools lever), to the free tree. Returns the number of lazy areas
 * purged; *@pages (if not NULL) gets their VA pages.
 */
unsigned long kvalab_purge(struct kvalab *kv, unsigned long *pages);
/*
 * Free every busy area (those of workloads too if @all) and return how many
 * this call freed. Does not purge.
 */
unsigned long kvalab_reset(struct kvalab *kv, bool all);
/*
 * Claim the slice for @who: 0, or -EBUSY with the holder and what ends it
 * named in @why (if not NULL). The check and the claim are one step under
 * claim_lock, so two claimants never both succeed. kvalab_release() ends
 * @who's claim (it must be the holder). kvalab_holder() is a snapshot, for
 * listings and for wording errors; decisions take a claim.
 */
int kvalab_claim(struct kvalab *kv, enum kvalab_holder who, char *why,
		 size_t len);
void kvalab_release(struct kvalab *kv, enum kvalab_holder who);
enum kvalab_holder kvalab_holder(struct kvalab *kv);
enum kvalab_holder kvalab_holder_snapshot(struct kvalab *kv,
					  unsigned long *claims);
extern const char *const kvalab_holder_names[KVALAB_NR_HOLDERS];

/*
 * Make @id the slice's placement policy (module/placement.c): waits for a
 * quiescent slice (state_sem for write, all four locks), keeps every busy
 * and lazy area and rebuilds the new policy's index. Sleeps. Returns the
 * previous policy's id, or -EINVAL for an id out of range. The caller
 * holds the slice's claim (a `policy` command, or the run or replay that
 * switches between its parts).
 */
int kvalab_switch_policy(struct kvalab *kv, enum kva_policy_id id);
/*
 * As kvalab_switch_policy(), but the policy's search state is rebuilt from
 * the trees even when @id is already active: a replay's run must not start
 * from the rotor or cache a previous run left (the sim starts fresh).
 */
int kvalab_restart_policy(struct kvalab *kv, enum kva_policy_id id);
/* The active policy's id (read under free_lock). */
enum kva_policy_id kvalab_policy(struct kvalab *kv);

/*
 * The floor backend's reserved range and tables
 * (module/workloads/wl_floor.c), made at load after the slice and released
 * at unload after the workloads.
 */
int kvalab_floor_init(struct kvalab *kv);
void kvalab_floor_exit(struct kvalab *kv);

/* Run the core checker on a quiescent slice. */
int kvalab_check(struct kvalab *kv, char *why, size_t len);

#endif /* _KVALAB_H */
