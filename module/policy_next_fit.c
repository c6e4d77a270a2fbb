// SPDX-License-Identifier: GPL-2.0
/*
 * next-fit: vmem's VM_NEXTFIT (Bonwick and Adams, "Magazines and Vmem",
 * USENIX 2001; illumos uts/common/os/vmem.c, vmem_nextfit_alloc()): a rotor
 * marks the end of the previous allocation, and the next one takes the
 * first fit at or after it, wrapping once to the start of the slice. vmem
 * uses it for resource maps (ids, minor numbers) where reusing a just-freed
 * value late is the point; for address space it spreads allocations over
 * the whole slice before any hole is reused.
 *
 * vmem walks its segment list from the rotor; kvalab finds the same place
 * in O(log n) with the augmented tree's vstart-bounded lowest match. When
 * vmem comes full circle it advances the rotor past its neighbour, so a
 * free segment split by the rotor counts as one: so does kvalab's wrap,
 * which searches from the slice start over whole free areas, and a request
 * that fails even so moves the rotor past the free area holding it, as
 * vmem's advance does (a rotor at an occupied area stays: kvalab does not
 * know where that area's vmem segment would end). Unlike vmem's next-fit
 * (which ignores alignment), the start is aligned as requested.
 */
#include <linux/errno.h>
#include <linux/bug.h>
#include <linux/kernel.h>

#include <kvalab/policy.h>
#include <kvalab/policy_state.h>

static struct kva_area *next_fit_find(struct kva_space *s, unsigned long size,
				      unsigned long align,
				      unsigned long *nva_start)
{
	struct next_fit_state *st = KVA_PSTATE(s, struct next_fit_state);
	unsigned long rotor = st->rotor ? st->rotor : s->start;
	struct kva_area *va;

	kva_ex_note(s, KVA_EX_ROTOR, KVA_GO_FROM, NULL, rotor, 0, 0);
	va = kva_lowest_match(s, size, align, rotor);
	if (va) {
		if (WARN_ON(!kva_fits_at(va, size, align, rotor, nva_start)))
			return NULL;
		return va;
	}

	/* Wrap once: the first fit from the bottom of the slice. */
	kva_ex_note(s, KVA_EX_ROTOR, KVA_GO_WRAP, NULL, s->start, 0, 0);
	va = kva_lowest_match(s, size, align, s->start);
	if (va) {
		if (WARN_ON(!kva_fits_at(va, size, align, s->start, nva_start)))
			return NULL;
		return va;
	}

	/*
	 * Full circle and nothing fits: vmem_nextfit_alloc() then advances
	 * its rotor past the segment after it (vmem_advance()), which
	 * coalesces a free segment the rotor had split. The rotor here is an
	 * address, so when it sits at or inside a free area it moves to that
	 * area's end, and the next request searches from there.
	 */
	va = kva_free_find(s, rotor);
	if (va)
		st->rotor = va->va_end;
	return NULL;
}

static void next_fit_placed(struct kva_space *s, struct kva_area *va)
{
	KVA_PSTATE(s, struct next_fit_state)->rotor = va->va_end;
}

static int next_fit_check(struct kva_space *s, char *why, size_t len)
{
	unsigned long rotor = KVA_PSTATE(s, struct next_fit_state)->rotor;

	if (rotor && (rotor < s->start || rotor > s->end)) {
		snprintf(why, len, "next-fit: rotor +0x%lx outside the slice [+0x0, +0x%lx]",
			 kva_offset(s, rotor), s->end - s->start);
		return -EUCLEAN;
	}
	return 0;
}

const struct kva_policy kva_policy_next_fit = {
	.id = KVA_POLICY_NEXT_FIT,
	.find = next_fit_find,
	.placed = next_fit_placed,
	.check = next_fit_check,
};
