// SPDX-License-Identifier: GPL-2.0
/*
 * Area objects: the two slab caches and the obj_cache lever.
 *
 * Every allocation takes two objects (the area record and its kva_area) and
 * every free returns them, the kva_area often only at the next purge. Off
 * (the default), they come from and go to their slab caches, as vmalloc's
 * vmap_area and vm_struct do. On, each CPU keeps a magazine of up to
 * OC_DEPTH free objects of each kind in front of the caches: an allocation
 * pops one (and zeroes it), a free pushes one while there is room, and only
 * an empty or a full magazine reaches the slab. It is the per-CPU object
 * cache the performance issue asks to measure against SLUB's own per-CPU
 * fast path (docs/performance.md has the figures); on by default.
 *
 * Invariants: a magazine holds only objects of its kind, each owned by
 * nobody else; objects are taken and put in process context only (every
 * path holds state_sem or runs at load and unload), so a local_lock (no
 * interrupt masking) protects a CPU's magazine, and lockdep checks it.
 * Unload returns every magazine's objects before the caches are destroyed.
 */
#include <linux/slab.h>
#include <linux/percpu.h>
#include <linux/local_lock.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "kvalab.h"
#include "objcache.h"

#define OC_DEPTH	16

enum oc_kind { OC_REC, OC_VA, OC_NR };

struct kvalab_oc {
	local_lock_t lock;
	unsigned int nr[OC_NR];
	void *obj[OC_NR][OC_DEPTH];
};

/*
 * On by default: it measured 0.948 of the slab-only time over every case
 * (docs/performance.md, 40 cells); obj_cache=N gives the slab-only picture
 * vmalloc's own objects have.
 */
static bool obj_cache = true;
module_param(obj_cache, bool, 0444);
MODULE_PARM_DESC(obj_cache,
		 "Per-CPU magazines of area objects in front of the slab caches (default Y)");

/* Objects the magazines handed out: static, so readable until the end. */
static DEFINE_PER_CPU(unsigned long, oc_hits);

static int oc_hits_get(char *buf, const struct kernel_param *kp)
{
	unsigned long sum = 0;
	int cpu;

	/*
	 * Other CPUs count on while we add (this_cpu_inc(), no lock): each
	 * word is read whole, and a sum a few hits behind is what a counter
	 * read at any moment means.
	 */
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(oc_hits, cpu));
	return sysfs_emit(buf, "%lu\n", sum);
}

static const struct kernel_param_ops oc_hits_ops = {
	.get = oc_hits_get,
};
module_param_cb(obj_cache_hits, &oc_hits_ops, NULL, 0444);
MODULE_PARM_DESC(obj_cache_hits,
		 "Area objects served from the obj_cache magazines since load");

static struct kmem_cache *oc_slab(struct kvalab *kv, enum oc_kind k)
{
	return k == OC_REC ? kv->rec_cache : kv->area_cache;
}

static void *oc_alloc(struct kvalab *kv, enum oc_kind k, size_t size)
{
	struct kvalab_oc *oc;
	void *obj = NULL;

	might_sleep();
	if (kv->oc) {
		local_lock(&kv->oc->lock);
		oc = this_cpu_ptr(kv->oc);
		if (oc->nr[k]) {
			obj = oc->obj[k][--oc->nr[k]];
			this_cpu_inc(oc_hits);
		}
		local_unlock(&kv->oc->lock);
		if (obj) {
			memset(obj, 0, size);
			return obj;
		}
	}
	return kmem_cache_zalloc(oc_slab(kv, k), GFP_KERNEL | __GFP_NOWARN);
}

static void oc_free(struct kvalab *kv, enum oc_kind k, void *obj)
{
	struct kvalab_oc *oc;

	if (!obj)
		return;
	if (kv->oc) {
		local_lock(&kv->oc->lock);
		oc = this_cpu_ptr(kv->oc);
		if (oc->nr[k] < OC_DEPTH) {
			oc->obj[k][oc->nr[k]++] = obj;
			obj = NULL;
		}
		local_unlock(&kv->oc->lock);
		if (!obj)
			return;
	}
	kmem_cache_free(oc_slab(kv, k), obj);
}

struct kvalab_area *kvalab_rec_alloc(struct kvalab *kv)
{
	return oc_alloc(kv, OC_REC, sizeof(struct kvalab_area));
}

struct kva_area *kvalab_va_alloc(struct kvalab *kv)
{
	return oc_alloc(kv, OC_VA, sizeof(struct kva_area));
}

void kvalab_rec_free(struct kvalab *kv, struct kvalab_area *a)
{
	oc_free(kv, OC_REC, a);
}

void kvalab_va_free(struct kvalab *kv, struct kva_area *va)
{
	oc_free(kv, OC_VA, va);
}

int kvalab_objcache_init(struct kvalab *kv)
{
	int cpu;

	kv->area_cache = KMEM_CACHE(kva_area, 0);
	kv->rec_cache = KMEM_CACHE(kvalab_area, 0);
	if (!kv->area_cache || !kv->rec_cache)
		goto fail;
	if (!obj_cache)
		return 0;
	kv->oc = alloc_percpu(struct kvalab_oc);
	if (!kv->oc)
		goto fail;
	for_each_possible_cpu(cpu)
		local_lock_init(&per_cpu_ptr(kv->oc, cpu)->lock);
	return 0;
fail:
	kmem_cache_destroy(kv->rec_cache);
	kmem_cache_destroy(kv->area_cache);
	return -ENOMEM;
}

void kvalab_objcache_exit(struct kvalab *kv)
{
	struct kvalab_oc *oc;
	int cpu, k;

	if (kv->oc) {
		for_each_possible_cpu(cpu) {
			oc = per_cpu_ptr(kv->oc, cpu);
			for (k = 0; k < OC_NR; k++)
				while (oc->nr[k])
					kmem_cache_free(oc_slab(kv, k),
							oc->obj[k][--oc->nr[k]]);
		}
		free_percpu(kv->oc);
		kv->oc = NULL;
	}
	kmem_cache_destroy(kv->rec_cache);
	kmem_cache_destroy(kv->area_cache);
}
