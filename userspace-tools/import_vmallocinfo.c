// SPDX-License-Identifier: GPL-2.0
/*
 * kvalab import vmallocinfo: a /proc/vmallocinfo snapshot in, a trace out
 * whose setup phase recreates that layout on a fresh slice. The snapshot
 * is read, and its addresses checked, by vmallocinfo.c (the lines
 * understood are listed there).
 *
 * The layout is rebuilt in address order: the gap before each area becomes
 * a filler allocation (flags=filler,noguard), the area follows; once every
 * area is placed the fillers are freed and one purge returns the gaps to
 * the free tree; the unpurged areas are freed last, without a purge, so
 * they are still lazy when the replay proper starts. Because the trace
 * allocates from an empty slice in ascending order, every policy places
 * the areas where they were (the first fit of an empty slice is its start).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "trace_write.h"
#include "vmallocinfo.h"

static unsigned long scale_up(unsigned long v, double f, unsigned long page,
			      bool at_least_a_page)
{
	double d = f > 0 ? (double)v * f : (double)v;
	unsigned long r = (unsigned long)(d / (double)page + 0.5) * page;

	if (at_least_a_page && r < page)
		r = page;
	return r;
}

int import_vmallocinfo(const struct vmi_opts *o)
{
	unsigned long page = tw_page_size(), span = 0, collapsed = 0;
	unsigned long slice, prev_end = 0, *fillers = NULL;
	unsigned int *unpurged = NULL;
	size_t nr = 0, i, nr_fill = 0, nr_unp = 0;
	struct vmi_entry *ents = NULL;
	struct trace_buf tb = { 0 };
	double factor = o->scale;
	char b1[32], b2[32];
	int ret = 1;

	if (vmi_load(o->in, "import", o->ignore_addresses, &ents, &nr))
		return 1;

	/* The layout's span before scaling, gaps shrunk to max_gap. */
	for (i = 0; i < nr; i++) {
		if (!o->ignore_addresses && i) {
			unsigned long gap = ents[i].start - ents[i - 1].end;

			if (!o->keep_gaps && gap > o->max_gap) {
				gap = o->max_gap;
				collapsed++;
			}
			span += gap;
		}
		span += ents[i].size;
	}
	if (o->scale_fit) {
		if (!o->slice_size) {
			msg_err("import: --scale fit needs --slice-size");
			ret = EXIT_USAGE;
			goto out;
		}
		factor = span > o->slice_size ?
			 (double)o->slice_size / (double)span : 0;
	}

	fillers = calloc(nr, sizeof(*fillers));
	unpurged = calloc(nr, sizeof(*unpurged));
	if (!fillers || !unpurged) {
		msg_err("out of memory");
		goto out;
	}
	/*
	 * Scaled sizes are rounded to pages, so the scaled span is only known
	 * after placing; a fit factor that rounds up past the slice is
	 * lowered until it fits.
	 */
	for (;;) {
		span = 0;
		prev_end = 0;
		for (i = 0; i < nr; i++) {
			if (!o->ignore_addresses && i) {
				unsigned long gap = ents[i].start - prev_end;

				if (!o->keep_gaps && gap > o->max_gap)
					gap = o->max_gap;
				span += scale_up(gap, factor, page, false);
			}
			prev_end = ents[i].end;
			span += scale_up(ents[i].size, factor, page, true);
		}
		if (!o->scale_fit || span <= o->slice_size || factor <= 0)
			break;
		factor *= 0.99;
	}
	slice = o->slice_size;
	if (!slice)
		slice = (span + (1UL << 20) - 1) & ~((1UL << 20) - 1);
	if (span > slice) {
		msg_err("import: %s: the layout spans %s%s; the slice is %s: pass --scale F (F < 1, e.g. --scale %.3g), --scale fit, a larger --slice-size%s",
			o->in, tw_size_str(span, b1, sizeof(b1)),
			factor > 0 ? " after scaling" : "",
			tw_size_str(slice, b2, sizeof(b2)),
			(double)slice / (double)span,
			o->ignore_addresses || o->keep_gaps ? "" :
			" or a smaller --max-gap");
		goto out;
	}

	tb_comment(&tb, "imported by kvalab import vmallocinfo from %s", o->in);
	tb_comment(&tb, "%zu areas; %s", nr,
		   o->ignore_addresses ?
		   "--ignore-addresses: sizes and file order only, no gaps" :
		   "address order, gaps kept as filler areas freed and purged after the layout");
	if (collapsed)
		tb_comment(&tb, "%lu gaps wider than %s shrunk to it (--max-gap)",
			   collapsed, tw_size_str(o->max_gap, b1, sizeof(b1)));
	if (factor > 0)
		tb_comment(&tb, "sizes and gaps scaled by %.6g, rounded to pages",
			   factor);

	prev_end = 0;
	for (i = 0; i < nr; i++) {
		const struct vmi_entry *e = &ents[i];
		unsigned long size = scale_up(e->size, factor, page, true);
		unsigned int flags = e->flags;
		unsigned int id;

		if (!o->ignore_addresses && i) {
			unsigned long gap = e->start - prev_end;

			if (!o->keep_gaps && gap > o->max_gap)
				gap = o->max_gap;
			gap = scale_up(gap, factor, page, false);
			if (gap)
				fillers[nr_fill++] = tb_alloc(&tb, gap, 0,
					KVA_TRACE_F_FILLER | KVA_TRACE_F_NOGUARD,
					false, 0);
		}
		prev_end = e->end;
		/* A vm_struct's size includes its guard page: the replay adds it. */
		if (e->kind == VMI_AREA) {
			if (size >= 2 * page)
				size -= page;
			else
				flags |= KVA_TRACE_F_NOGUARD;
		}
		id = tb_alloc(&tb, size, 0, flags, false, 0);
		if (e->kind == VMI_UNPURGED)
			unpurged[nr_unp++] = id;
	}
	for (i = 0; i < nr_fill; i++)
		tb_free(&tb, fillers[i], false, 0);
	if (nr_fill)
		tb_purge(&tb, false, 0);
	for (i = 0; i < nr_unp; i++)
		tb_free(&tb, unpurged[i], false, 0);

	ret = tb_write(&tb, o->out, slice, "vmallocinfo");
	if (!ret)
		fprintf(stderr,
			"kvalab: import: %zu areas, %zu gap fillers, %zu unpurged, span %s, slice %s -> %s\n",
			nr, nr_fill, nr_unp, tw_size_str(span, b1, sizeof(b1)),
			tw_size_str(slice, b2, sizeof(b2)), o->out);
out:
	tb_release(&tb);
	free(fillers);
	free(unpurged);
	free(ents);
	return ret;
}
