// SPDX-License-Identifier: GPL-2.0
/*
 * Fragmentation figures of the free space (docs/debugfs.md, "Fragmentation
 * figures", has the definitions and a worked example). Linux has reported
 * none since VmallocChunk went to 0 in 4.4; these are computed from the
 * free list in one O(n) walk under the free-space lock:
 *
 *   ext_frag = 1 - largest_free / free_bytes
 *	the share of free space that a request as large as all of it cannot
 *	use: 0 when the free space is one area;
 *   frag_rss = 1 - sqrt(sum f_i^2) / sum f_i
 *	Sawicki's metric over the free areas' sizes f_i: 0 for one area, and
 *	towards 1 - 1/sqrt(n) for n equal areas; it sees the small holes that
 *	ext_frag ignores once the largest area is fixed.
 *
 * Both are fixed point with four decimals (10000 = 1.0), the ratio part
 * truncated: ext_frag_e4 = 10000 - floor(10000 * L / F), frag_rss_e4 =
 * 10000 - floor(10000 * sqrt(S2) / S1), computed exactly in integers (sizes
 * in pages, so S2 fits 64 bits for any slice below 2^32 pages; the one
 * product that does not is taken in 128 bits, multiplications only).
 */
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/string.h>

#include <kvalab/core.h>

/* floor(10000 * sqrt(s2) / s1), by bisection on (q * s1)^2 <= 10^8 * s2. */
static unsigned long rss_ratio_e4(unsigned long s2, unsigned long s1)
{
	unsigned __int128 rhs = (unsigned __int128)s2 * 100000000UL;
	unsigned long lo = 0, hi = 10000;

	while (lo < hi) {
		unsigned long mid = (lo + hi + 1) / 2;
		unsigned __int128 x;

		x = (unsigned __int128)mid * s1;
		if (x * x <= rhs)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

void kva_frag(struct kva_space *s, struct kva_frag *out)
{
	unsigned long s1 = 0, s2 = 0, largest = 0;
	struct kva_area *va;

	memset(out, 0, sizeof(*out));
	list_for_each_entry(va, &s->free_list, list) {
		unsigned long pages = kva_size(va) >> PAGE_SHIFT;
		unsigned int k = 0;

		while ((pages >> k) > 1)
			k++;
		out->hist_areas[k]++;
		out->hist_bytes[k] += kva_size(va);
		s1 += pages;
		s2 += pages * pages;
		largest = max(largest, pages);
		out->nr_free++;
	}
	out->free_bytes = s1 << PAGE_SHIFT;
	out->largest_free = largest << PAGE_SHIFT;
	if (s1) {
		out->ext_frag_e4 = 10000 - largest * 10000 / s1;
		out->frag_rss_e4 = 10000 - rss_ratio_e4(s2, s1);
	}
}
