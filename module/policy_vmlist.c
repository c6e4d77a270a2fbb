// SPDX-License-Identifier: GPL-2.0
/*
 * vmlist: Linux 2.6's __get_vm_area_node() (mm/vmalloc.c up to 2.6.27,
 * before vmap_area): walk the list of occupied areas in address order and
 * take the first hole after an area, aligned, that the request fits in.
 * The walk is O(n) in the areas below the hole, by design: it is what the
 * rb-trees of 2.6.28 and the augmented tree of 5.2 replaced.
 *
 * The 2.6 loop, with kvalab's names (an area's range includes its guard
 * page, as the vm_struct's size did):
 *
 *	addr = ALIGN(start, align);
 *	for (tmp in address order) {
 *		if (tmp->va_start < addr) {
 *			if (tmp->va_end >= addr)
 *				addr = ALIGN(tmp->va_end, align);
 *			continue;
 *		}
 *		if (addr + size <= tmp->va_start)
 *			goto found;
 *		addr = ALIGN(tmp->va_end, align);
 *		if (addr > end - size)
 *			goto out;
 *	}
 *
 * 2.6 had no lazy list; kvalab's lazy areas are not free, so the list holds
 * them too (policy_occupied.c). Where 2.6 could wrap past the top of the
 * address space (ALIGN of an end near 2^64), kvalab fails the request.
 * The place is the one the lowest policy finds; only the cost differs.
 */
#include <linux/errno.h>
#include <linux/align.h>
#include <linux/bug.h>
#include <linux/kernel.h>

#include <kvalab/policy.h>

struct vmlist_state {
	struct kva_occupied occ;
	/* Where find() saw the hole: the new area goes before this entry. */
	struct list_head *pos;
};

/* ALIGN(@addr, @align), or 0 if that wraps past the top of the space. */
static unsigned long align_or_zero(unsigned long addr, unsigned long align)
{
	unsigned long a = ALIGN(addr, align);

	return a < addr ? 0 : a;
}

static struct kva_area *vmlist_find(struct kva_space *s, unsigned long size,
				    unsigned long align,
				    unsigned long *nva_start)
{
	struct vmlist_state *st = KVA_PSTATE(s, struct vmlist_state);
	unsigned long addr = align_or_zero(s->start, align);
	unsigned long steps = 0;
	struct list_head *p;
	struct kva_area *va;

	if (!addr)
		return NULL;

	list_for_each(p, &st->occ.head) {
		struct kva_area *tmp = kva_occ_entry(p);

		steps++;
		if (tmp->va_start < addr) {
			if (tmp->va_end >= addr)
				addr = align_or_zero(tmp->va_end, align);
			kva_ex_note(s, KVA_EX_ENTRY,
				    addr ? KVA_GO_SKIP : KVA_GO_FAIL, tmp, addr,
				    0, 0);
			if (!addr)
				goto out;
			continue;
		}
		if (addr + size >= addr && addr + size <= tmp->va_start) {
			kva_ex_note(s, KVA_EX_ENTRY, KVA_GO_THIS, tmp, addr,
				    0, 0);
			goto found;
		}
		addr = align_or_zero(tmp->va_end, align);
		if (!addr || addr + size < addr || addr + size > s->end) {
			kva_ex_note(s, KVA_EX_ENTRY, KVA_GO_FAIL, tmp, addr,
				    0, 0);
			goto out;
		}
		kva_ex_note(s, KVA_EX_ENTRY, KVA_GO_NEXT, tmp, addr, 0, 0);
	}
	if (addr + size < addr || addr + size > s->end)
		goto out;
	/* The hole above the last area (or the empty list's slice). */
	kva_ex_note(s, KVA_EX_ENTRY, KVA_GO_THIS, NULL, addr, 0, 0);
found:
	s->fstats.search_steps += steps;
	st->pos = p;
	/* The hole is free space: the free tree has one area holding it. */
	va = kva_free_find(s, addr);
	if (WARN_ON(!va || addr + size > va->va_end))
		return NULL;
	*nva_start = addr;
	return va;
out:
	s->fstats.search_steps += steps;
	return NULL;
}

static void vmlist_placed(struct kva_space *s, struct kva_area *va)
{
	struct vmlist_state *st = KVA_PSTATE(s, struct vmlist_state);

	kva_occupied_insert(&st->occ, va, st->pos);
}

static void vmlist_released(struct kva_space *s, struct kva_area *va)
{
	kva_occupied_del(&KVA_PSTATE(s, struct vmlist_state)->occ, va);
}

static void vmlist_attach(struct kva_space *s)
{
	kva_occupied_build(s, &KVA_PSTATE(s, struct vmlist_state)->occ);
}

static int vmlist_check(struct kva_space *s, char *why, size_t len)
{
	return kva_occupied_check(s, &KVA_PSTATE(s, struct vmlist_state)->occ,
				  "vmlist", why, len);
}

const struct kva_policy kva_policy_vmlist = {
	.id = KVA_POLICY_VMLIST,
	.find = vmlist_find,
	.attach = vmlist_attach,
	.placed = vmlist_placed,
	.released = vmlist_released,
	.check = vmlist_check,
};
