// SPDX-License-Identifier: GPL-2.0
/*
 * The "explain" control command and the explain listing (docs/debugfs.md,
 * "explain"): a dry run of the active policy's search for the request an
 * alloc with the same arguments would make. kva_explain() records the
 * steps under free_lock and restores everything the search touched, so
 * nothing changes; the steps of the latest explain (anyone's) stay here,
 * in static storage so that nothing is allocated or left to free at exit,
 * until the next explain replaces them.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#include "kvalab.h"
#include "explain.h"

/* Enough for any tree descent and for list walks over a few hundred areas. */
#define EXPLAIN_STEPS	512

/*
 * The latest explain, under explain_mutex (taken outside free_lock: the
 * recorder itself runs under free_lock, into this storage).
 */
static DEFINE_MUTEX(explain_mutex);
static struct kva_explain_step explain_steps[EXPLAIN_STEPS];
static struct kva_explain explain_last = {
	.steps = explain_steps,
	.max = EXPLAIN_STEPS,
};

static bool explain_valid;
static unsigned long explain_user_size;	/* SIZE as written */
static bool explain_guard;
static unsigned long explain_nr_lazy;	/* lazy areas at the time */

int kvalab_explain(struct kvalab *kv, unsigned long size, unsigned long align,
		   unsigned long flags, char *res, size_t len)
{
	struct kva_explain *ex = &explain_last;
	unsigned long vsize;
	int err;

	/*
	 * @res is the control file's reason buffer (KVALAB_ERR_MAX bytes):
	 * the result line keeps to the summary, the steps are in the listing.
	 * The same checks and rounding as an allocation (area.c).
	 */
	if (!size) {
		snprintf(res, len, "size is zero");
		return -EINVAL;
	}
	if (size > kv->slice_size) {
		kvalab_too_big_reason(kv, size, flags, res, len);
		return -E2BIG;
	}
	vsize = PAGE_ALIGN(size) + ((flags & KVALAB_NOGUARD) ? 0 : PAGE_SIZE);
	if (vsize > kv->slice_size) {
		kvalab_too_big_reason(kv, size, flags, res, len);
		return -E2BIG;
	}
	align = max(align, PAGE_SIZE);
	if (!is_power_of_2(align)) {
		snprintf(res, len, "alignment %lu is not a power of two", align);
		return -EINVAL;
	}

	mutex_lock(&explain_mutex);
	spin_lock(&kv->free_lock);
	err = kva_explain(&kv->space, vsize, align, ex);
	spin_unlock(&kv->free_lock);
	if (err) {
		/* Unreachable after the checks above; the old trace stays. */
		mutex_unlock(&explain_mutex);
		snprintf(res, len, "the core refused size %lu align %lu", vsize,
			 align);
		return err;
	}
	explain_valid = true;
	explain_user_size = size;
	explain_guard = !(flags & KVALAB_NOGUARD);
	explain_nr_lazy = READ_ONCE(kv->space.nr_lazy);
	if (ex->found)
		snprintf(res, len,
			 "ok explain policy=%s vm_size=%lu align=%lu addr=0x%pK area=+0x%lx-+0x%lx fit=%s steps=%lu\n",
			 kva_policy_names[ex->policy], vsize, align,
			 (void *)ex->nva_start,
			 kva_offset(&kv->space, ex->area_start),
			 kva_offset(&kv->space, ex->area_end),
			 kva_fit_names[ex->fit], ex->nr + ex->dropped);
	else
		snprintf(res, len,
			 "ok explain policy=%s vm_size=%lu align=%lu found=none lazy=%lu steps=%lu\n",
			 kva_policy_names[ex->policy], vsize, align,
			 explain_nr_lazy, ex->nr + ex->dropped);
	mutex_unlock(&explain_mutex);
	return 0;
}

/* "[+start, +end) " of a step's area, as slice offsets. */
static void show_range(struct seq_file *m, const struct kva_space *s,
		       const struct kva_explain_step *st)
{
	seq_printf(m, " [+0x%lx, +0x%lx)", kva_offset(s, st->start),
		   kva_offset(s, st->end));
}

static void show_step(struct seq_file *m, const struct kva_space *s,
		      unsigned int i, const struct kva_explain_step *st)
{
	seq_printf(m, "step=%u %s", i + 1, kva_ex_kind_names[st->kind]);
	switch (st->kind) {
	case KVA_EX_NODE:
	case KVA_EX_PARENT:
		show_range(m, s, st);
		seq_printf(m, " depth=%u size=%lu max=%lu left_max=%lu right_max=%lu",
			   st->depth, st->end - st->start, st->a, st->b, st->c);
		break;
	case KVA_EX_ENTRY:
		if (st->end)
			show_range(m, s, st);
		else
			seq_puts(m, " end-of-list");
		seq_printf(m, " addr=+0x%lx", kva_offset(s, st->a));
		break;
	case KVA_EX_CACHE:
		if (st->end)
			show_range(m, s, st);
		if (st->go == KVA_GO_HIT)
			seq_printf(m, " addr=+0x%lx", kva_offset(s, st->a));
		else
			seq_printf(m, " reason=%s", st->a < KVA_RESET_NR ?
				   kva_ex_reset_names[st->a] : "?");
		seq_printf(m, " hole=%lu", st->b);
		break;
	case KVA_EX_ROTOR:
		seq_printf(m, " addr=+0x%lx", kva_offset(s, st->a));
		break;
	case KVA_EX_CLASS:
		if (st->end)
			show_range(m, s, st);
		seq_printf(m, " k=%lu guaranteed=%lu", st->a, st->b);
		break;
	case KVA_EX_SNODE:
	case KVA_EX_CAND:
		show_range(m, s, st);
		seq_printf(m, " size=%lu", st->end - st->start);
		break;
	}
	seq_printf(m, " go=%s\n", kva_ex_go_names[st->go]);
}

int kvalab_explain_show(struct seq_file *m, struct kvalab *kv)
{
	const struct kva_explain *ex = &explain_last;
	const struct kva_space *s = &kv->space;
	unsigned int i;

	mutex_lock(&explain_mutex);
	if (!explain_valid) {
		seq_puts(m, "# no explain yet: write 'explain SIZE [align=N] [noguard]' to control\n");
		goto out;
	}
	seq_printf(m, "# explain size=%lu vm_size=%lu align=%lu guard=%d policy=%s\n",
		   explain_user_size, ex->size, ex->align, explain_guard,
		   kva_policy_names[ex->policy]);
	for (i = 0; i < ex->nr; i++)
		show_step(m, s, i, &ex->steps[i]);
	if (ex->dropped)
		seq_printf(m, "# %lu more steps not kept (the first %u are shown)\n",
			   ex->dropped, ex->nr);
	if (ex->found)
		seq_printf(m, "chosen area=[+0x%lx, +0x%lx) start=+0x%lx end=+0x%lx fit=%s\n",
			   kva_offset(s, ex->area_start), kva_offset(s, ex->area_end),
			   kva_offset(s, ex->nva_start),
			   kva_offset(s, ex->nva_start + ex->size),
			   kva_fit_names[ex->fit]);
	else
		seq_printf(m, "chosen none (an alloc would fail with -ENOMEM%s)\n",
			   explain_nr_lazy ?
			   " unless purging the lazy areas frees room: it purges once and retries" :
			   "");
	seq_printf(m, "search_steps=%lu steps=%u dropped=%lu\n",
		   ex->search_steps, ex->nr, ex->dropped);
out:
	mutex_unlock(&explain_mutex);
	return 0;
}
