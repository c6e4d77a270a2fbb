// SPDX-License-Identifier: GPL-2.0
/*
 * whatif's engine (sim_engine.h, sim_whatif()): a real layout rebuilt in a
 * sim space and one request tried against it under a policy.
 *
 * The layout is rebuilt as the importer's traces rebuild it
 * (import_vmallocinfo.c): under lowest, in address order, the gap before
 * each range taken by a filler, the range itself next; lowest's first fit
 * of the space left is its start, so every range lands where it was (each
 * one is checked). The fillers are then freed and purged, which gives the
 * gaps back to the free tree whole, and the lazy ranges are freed without
 * a purge. Only then is @policy attached: it builds its search state from
 * the trees, as after a `policy` switch in the module, so the layout does
 * not depend on the policy and the policy sees the whole layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <kvalab/core.h>
#include <kvalab/policies.h>

#include "sim_engine.h"
#include "sim_space.h"

/* Take exactly [at, at + size) under lowest; 0, or -1 with a reason. */
static int take(struct sim_space *sp, unsigned long at, unsigned long size,
		struct kva_area **out, char *err, size_t errlen)
{
	int e = sim_space_alloc(sp, size, PAGE_SIZE, false, out);

	if (e || (*out)->va_start != at) {
		snprintf(err, errlen,
			 "cannot rebuild 0x%lx-0x%lx (%s): the layout is not page aligned, or overlaps",
			 at, at + size, e ? "no room" : "placed elsewhere");
		return -1;
	}
	return 0;
}

static void figures(struct sim_space *sp, struct sim_fit *fit)
{
	struct kva_frag f;

	kva_frag(&sp->s, &f);
	fit->largest_free = f.largest_free;
	fit->free_bytes = f.free_bytes;
	fit->nr_free = f.nr_free;
}

/* Try the request; give the area back so the layout stays as it was. */
static void try_request(struct sim_space *sp, int policy, unsigned long size,
			unsigned long align, struct sim_fit *fit)
{
	struct kva_area *va;
	LIST_HEAD(spares);

	/* A policy fresh on this layout, whatever the last try moved. */
	kva_set_policy(&sp->s, policy);
	figures(sp, fit);
	fit->fits = !sim_space_alloc(sp, size, align, false, &va);
	if (!fit->fits)
		return;
	fit->addr = va->va_start;
	kva_busy_unlink(&sp->s, va);
	kva_free_insert(&sp->s, va, &spares);
	while (!list_empty(&spares)) {
		va = list_first_entry(&spares, struct kva_area, list);
		list_del(&va->list);
		sim_va_put(sp, va);
	}
}

int sim_whatif(unsigned long start, unsigned long end,
	       const struct sim_range *ranges, size_t nr, int policy,
	       int search, unsigned long size, unsigned long align,
	       struct sim_fit *now, struct sim_fit *purged,
	       char *err, size_t errlen)
{
	struct kva_area *va, **areas = NULL, **fillers = NULL;
	unsigned long at = start;
	struct sim_space sp;
	size_t i, nr_fill = 0;
	int ret = -1;

	memset(now, 0, sizeof(*now));
	memset(purged, 0, sizeof(*purged));
	if (policy < 0 || policy >= KVA_NR_POLICIES || search < 0 ||
	    search >= KVA_NR_SEARCH || !size || size % PAGE_SIZE ||
	    align < PAGE_SIZE || (align & (align - 1)) || start >= end ||
	    start % PAGE_SIZE || end % PAGE_SIZE) {
		snprintf(err, errlen, "whatif: bad request or range");
		return -1;
	}
	/* No threshold purge while the layout is built: ULONG_MAX pages. */
	if (sim_space_init(&sp, start, end, KVA_POLICY_LOWEST, search,
			   ULONG_MAX, false)) {
		snprintf(err, errlen, "whatif: cannot set the space up");
		return -1;
	}
	areas = calloc(nr ? nr : 1, sizeof(*areas));
	fillers = calloc(nr ? nr : 1, sizeof(*fillers));
	if (!areas || !fillers) {
		snprintf(err, errlen, "whatif: out of memory");
		goto out;
	}
	for (i = 0; i < nr; i++) {
		const struct sim_range *r = &ranges[i];

		if (r->start < at || r->end <= r->start || r->end > end) {
			snprintf(err, errlen,
				 "whatif: 0x%lx-0x%lx is outside 0x%lx-0x%lx or overlaps the range before it",
				 r->start, r->end, start, end);
			goto out;
		}
		if (r->start > at &&
		    take(&sp, at, r->start - at, &fillers[nr_fill++], err, errlen))
			goto out;
		if (take(&sp, r->start, r->end - r->start, &areas[i], err, errlen))
			goto out;
		at = r->end;
	}
	for (i = 0; i < nr_fill; i++)
		sim_space_free(&sp, fillers[i]);
	sim_space_purge(&sp, true);
	for (i = 0; i < nr; i++) {
		if (ranges[i].lazy) {
			va = areas[i];
			kva_busy_unlink(&sp.s, va);
			kva_lazy_insert(&sp.s, va);
		}
	}
	try_request(&sp, policy, size, align, now);
	sim_space_purge(&sp, true);
	try_request(&sp, policy, size, align, purged);
	ret = 0;
out:
	free(areas);
	free(fillers);
	sim_space_destroy(&sp);
	return ret;
}
