// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab: a vmap_area allocator, after mm/vmalloc.c, over a reserved slice
 * of kernel virtual address space, driven and shown through debugfs.
 *
 * Load: find init_mm, reserve the slice, set up the allocator with one free
 * area spanning it, create the debugfs files. Unload: remove the files (no
 * new commands), stop workloads, finish deferred frees, free every area,
 * purge, check, release the slice.
 */

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/cpumask.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <kvalab/cmd.h>
#include <kvalab/lex.h>
#include <kvalab/slice.h>

#include "kvalab.h"
#include "objcache.h"
#include "init_mm.h"
#include "pgtable.h"
#include "purge.h"
#include "workloads/workloads.h"
#include "record.h"
#include "replay.h"
#include "../debugfs/debugfs.h"

#define CREATE_TRACE_POINTS
#include "kvalab_trace.h"

/* The one instance: made at init, torn down at exit; only this file uses it. */
static struct kvalab *kvalab;

static unsigned long slice_size = 128UL << 20;

/*
 * slice_size takes the size forms of every other size field (the lexer of
 * <kvalab/lex.h>, which the control file's parser and the CLI's --slice
 * share); a refusal names the value and the accepted forms in the log.
 */
static int slice_size_set(const char *val, const struct kernel_param *kp)
{
	size_t n = strcspn(val, "\n");
	char buf[32], why[160];
	struct kvalab_lex lx = { .err = why, .errlen = sizeof(why) };
	unsigned long v;
	int err;

	if (n >= sizeof(buf)) {
		pr_err("slice_size=%.*s...: too long for a size\n",
		       (int)(sizeof(buf) - 1), val);
		return -EINVAL;
	}
	memcpy(buf, val, n);
	buf[n] = '\0';
	err = kvalab_lex_size(&lx, "slice_size", buf, &v);
	if (err) {
		pr_err("%s\n", why);
		return -EINVAL;
	}
	*(unsigned long *)kp->arg = v;
	return 0;
}

static const struct kernel_param_ops slice_size_ops = {
	.set = slice_size_set,
	.get = param_get_ulong,
};

module_param_cb(slice_size, &slice_size_ops, &slice_size, 0444);
MODULE_PARM_DESC(slice_size,
		 "Bytes of kernel VA to manage (K/M/G or KiB/MiB/GiB suffixes, hex; 1M..RAM; default 128M)");

/* policy=NAME: checked when the parameter is set, applied at init. */
static enum kva_policy_id policy = KVA_POLICY_LOWEST;

static int policy_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strcspn(val, "\n");
	int id;

	/* Only a trailing newline (sysfs style) is forgiven. */
	if (val[len] && val[len + 1])
		id = -1;
	else
		id = kva_policy_by_name(val, len);
	if (id < 0) {
		pr_err("policy=%s is not a policy; accepted: %s\n", val,
		       KVA_POLICY_NAMES_STR);
		return -EINVAL;
	}
	*(enum kva_policy_id *)kp->arg = id;
	return 0;
}

static int policy_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  kva_policy_names[*(enum kva_policy_id *)kp->arg]);
}

static const struct kernel_param_ops policy_ops = {
	.set = policy_set,
	.get = policy_get,
};

module_param_cb(policy, &policy_ops, &policy, 0444);
MODULE_PARM_DESC(policy,
		 "Placement policy at load (" KVA_POLICY_NAMES_STR "; default lowest)");

static unsigned long lazy_max_pages;
module_param(lazy_max_pages, ulong, 0444);
MODULE_PARM_DESC(lazy_max_pages,
		 "Lazy pages that trigger a purge (0: fls(cpus) * 32M, at most 1/8 of the slice)");

/*
 * The kernel's lazy_max_pages() is fls(num_online_cpus()) * 32 MiB of pages
 * against a vmalloc space of terabytes; over a slice of megabytes that would
 * never purge, so the default is also capped at an eighth of the slice.
 */
static unsigned long default_lazy_max_pages(unsigned long slice_pages)
{
	unsigned long kernel = fls(num_online_cpus()) *
			       ((32UL << 20) >> PAGE_SHIFT);

	return max(1UL, min(kernel, slice_pages / 8));
}

static int validate_slice_size(unsigned long *size)
{
	unsigned long ram = totalram_pages() << PAGE_SHIFT;

	if (*size < KVALAB_SLICE_MIN) {
		pr_err("slice_size=%lu is below the minimum of 1M\n", *size);
		return -EINVAL;
	}
	if (*size > ram || PAGE_ALIGN(*size) < *size) {
		pr_err("slice_size=%lu exceeds RAM (%lu bytes): vmap() cannot reserve it\n",
		       *size, ram);
		return -EINVAL;
	}
	*size = PAGE_ALIGN(*size);
	return 0;
}

/* Return every area object of the free tree to the cache (slice unused). */
static void free_free_areas(struct kvalab *kv)
{
	struct kva_area *va, *next;

	list_for_each_entry_safe(va, next, &kv->space.free_list, list)
		kvalab_va_free(kv, va);
}

static int __init kvalab_init(void)
{
	struct mm_struct *init_mm;
	struct kva_area *whole;
	struct kvalab *kv;
	void *start;
	int err;

	err = validate_slice_size(&slice_size);
	if (err)
		return err;
	if (!kvalab_flush_tlb_ok()) {
		pr_err("this kernel exports no TLB flush to modules, and Xen PV traps the native one\n");
		return -EOPNOTSUPP;
	}
	init_mm = kvalab_find_init_mm();
	if (!init_mm)
		return -ENXIO;
	kvalab_pgtable_init(init_mm);

	kv = kzalloc(sizeof(*kv), GFP_KERNEL);
	if (!kv)
		return -ENOMEM;
	spin_lock_init(&kv->free_lock);
	spin_lock_init(&kv->busy_lock);
	spin_lock_init(&kv->lazy_lock);
	spin_lock_init(&kv->pool_lock);
	mutex_init(&kv->purge_mutex);
	init_rwsem(&kv->state_sem);
	spin_lock_init(&kv->claim_lock);
	kv->holder = KVALAB_HOLD_NONE;
	xa_init_flags(&kv->ids, XA_FLAGS_ALLOC1);
	kv->next_id = 1;
	init_llist_head(&kv->deferred);
	INIT_WORK(&kv->deferred_work, kvalab_deferred_work);
	kv->slice_size = slice_size;
	kv->lazy_max_pages = lazy_max_pages ? lazy_max_pages :
		default_lazy_max_pages(slice_size >> PAGE_SHIFT);

	err = -ENOMEM;
	if (kvalab_objcache_init(kv))
		goto out_kv;
	whole = kvalab_va_alloc(kv);
	if (!whole)
		goto out_caches;

	start = kvalab_slice_reserve(slice_size);
	if (!start) {
		pr_err("could not reserve a %lu-byte slice of vmalloc space\n",
		       slice_size);
		goto out_whole;
	}
	err = kva_space_init(&kv->space, (unsigned long)start,
			     (unsigned long)start + slice_size, whole);
	if (err)
		goto out_slice;
	/* Nothing is allocated yet, so the switch cannot fail on state. */
	if (policy != KVA_POLICY_LOWEST) {
		kvalab_claim(kv, KVALAB_HOLD_POLICY, NULL, 0);
		err = kvalab_switch_policy(kv, policy);
		kvalab_release(kv, KVALAB_HOLD_POLICY);
		if (err < 0) {
			pr_err("policy=%s could not be set up (%d)\n",
			       kva_policy_names[policy], err);
			free_free_areas(kv);	/* @whole is one of them */
			whole = NULL;
			goto out_slice;
		}
		err = 0;
	}

	err = kvalab_vblocks_init(kv);
	if (err)
		goto out_slice;
	err = kvalab_floor_init(kv);
	if (err) {
		kvalab_vblocks_exit(kv);
		goto out_slice;
	}
	kvalab = kv;
	err = kvalab_workloads_init(kv);
	if (!err)
		err = kvalab_replay_init(kv);
	if (err)
		goto out_workloads;
	err = kvalab_debugfs_init(kv);
	if (err)
		goto out_workloads;
	pr_info("slice of %lu bytes at 0x%pK, lazy_max_pages=%lu\n",
		slice_size, start, kv->lazy_max_pages);
	pr_info("TLB flush: %s on every CPU\n", kvalab_flush_tlb_name());
	if (policy != KVA_POLICY_LOWEST)
		pr_info("placement policy %s\n", kva_policy_names[policy]);
	return 0;

out_workloads:
	kvalab_replay_exit(kv);
	kvalab_workloads_exit(kv);
	kvalab_floor_exit(kv);
	kvalab_vblocks_exit(kv);
	kvalab = NULL;
	free_free_areas(kv);	/* @whole is one of them */
	whole = NULL;
out_slice:
	kvalab_slice_release(start);
out_whole:
	if (whole)
		kvalab_va_free(kv, whole);
out_caches:
	kvalab_objcache_exit(kv);
out_kv:
	kfree(kv);
	return err;
}

static void __exit kvalab_exit(void)
{
	struct kvalab *kv = kvalab;
	char why[KVALAB_ERR_MAX];
	unsigned long freed;

	kvalab_debugfs_exit(kv);
	kvalab_replay_exit(kv);
	kvalab_record_exit(kv);
	kvalab_workloads_exit(kv);
	/*
	 * No command can start anything now and the run and the replay have
	 * ended and released the slice: the claim cannot fail, and held to the
	 * end it says what the slice is doing to anyone still looking.
	 */
	WARN_ON(kvalab_claim(kv, KVALAB_HOLD_UNLOAD, NULL, 0));
	kvalab_floor_exit(kv);
	flush_work(&kv->deferred_work);
	freed = kvalab_reset(kv, true);
	kvalab_vblocks_exit(kv);
	kvalab_purge(kv, NULL);
	if (kvalab_check(kv, why, sizeof(why)))
		pr_err("unload: allocator check failed: %s\n", why);
	if (kv->space.nr_busy || kv->space.nr_lazy || kv->space.nr_pooled ||
	    kv->space.nr_free != 1)
		pr_err("unload: %lu busy, %lu lazy, %lu pooled, %lu free areas left\n",
		       kv->space.nr_busy, kv->space.nr_lazy,
		       kv->space.nr_pooled, kv->space.nr_free);
	kvalab_slice_release((void *)kv->space.start);
	free_free_areas(kv);
	kvalab_va_free(kv, kv->preload);
	xa_destroy(&kv->ids);
	kvalab_objcache_exit(kv);
	kvalab = NULL;
	kfree(kv);
	pr_info("unloaded; freed %lu live areas\n", freed);
}

module_init(kvalab_init);
module_exit(kvalab_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kvalab developers");
MODULE_DESCRIPTION("A vmap_area allocator over a reserved slice of kernel VA");
MODULE_VERSION(KVALAB_VERSION);
