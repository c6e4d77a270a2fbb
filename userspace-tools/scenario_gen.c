// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario traces (docs/scenarios.md): deterministic functions of their
 * options and seed, written with the importers' writer (trace_write.c), so
 * every line passes the module's trace parser before it is used.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

const struct scn_desc scn_table[SCN_NR] = {
	[SCN_MODULES_AREA] = {
		"modules-area",
		"a 16 MiB modules area (32-bit ARM) filled by module and BPF JIT allocations until vmap allocation fails: which policy lasts longest",
		"linux-arm-kernel/linux-mm 2014 'ARM: mm: Could I change module space size or place modules in vmalloc area?'; Florian Fainelli 2017 'ARM: Silence first allocation with CONFIG_ARM_MODULE_PLTS=y'; commit ede95a63b5e8 'bpf: add bpf_jit_limit knob to restrict unpriv allocations'",
	},
	[SCN_ALIGNED_SEARCH] = {
		"aligned-search",
		"an aligned request that the v5.2 search (size + align - 1) fails while the exact search succeeds",
		"commit 9f531973dff3 'mm/vmalloc: do not adjust the search size for alignment overhead' (Uladzislau Rezki, 2021; reported by Ping Fang: 'vmap allocation for size 16777216 failed' onlining memory with KASAN)",
	},
	[SCN_LAZY_PURGE] = {
		"lazy-purge",
		"a large lazy_max_pages makes one purge long: the purge latency tail against a small threshold",
		"commit 763b218ddfaf 'mm: add preempt points into __purge_vmap_area_lazy()' (Joel Fernandes, 2016; thread '[PATCH 6/6] mm: add preempt points into __purge_vmap_area_lazy', linux-mm/linux-rt-users, October 2016)",
	},
};

/* xorshift64*: small, fast, the same sequence everywhere for a seed. */
static unsigned long long rng_next(unsigned long long *s)
{
	unsigned long long x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static unsigned long rng_below(unsigned long long *s, unsigned long n)
{
	return (unsigned long)(rng_next(s) >> 11) % n;
}

static void rng_seed(unsigned long long *s, unsigned long seed)
{
	*s = seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
	if (!*s)
		*s = 1;
}

struct live {
	unsigned int id;
	unsigned long bytes;		/* with the guard page */
};

struct live_set {
	struct live *v;
	size_t nr, cap;
};

static int ls_add(struct live_set *ls, unsigned int id, unsigned long bytes)
{
	if (ls->nr == ls->cap) {
		size_t cap = ls->cap ? ls->cap * 2 : 256;
		struct live *n = realloc(ls->v, cap * sizeof(*n));

		if (!n)
			return -1;
		ls->v = n;
		ls->cap = cap;
	}
	ls->v[ls->nr].id = id;
	ls->v[ls->nr].bytes = bytes;
	ls->nr++;
	return 0;
}

/* Remove entry @i (order is not kept); returns it. */
static struct live ls_take(struct live_set *ls, size_t i)
{
	struct live l = ls->v[i];

	ls->v[i] = ls->v[--ls->nr];
	return l;
}

/*
 * Loadable module sizes (core text + data, KiB) as lsmod shows them on
 * small ARM boards: mostly tens of KiB, a few drivers and filesystems of
 * hundreds, the occasional MiB-sized one (GPU, wireless, filesystems).
 * Each entry is equally likely, so the list is the distribution.
 */
static const unsigned short module_kib[] = {
	12, 16, 16, 20, 20, 24, 28, 32, 32, 36, 40, 48, 56, 64, 64, 72,
	80, 96, 112, 128, 144, 160, 192, 224, 256, 320, 384, 448, 512, 640,
	768, 1024, 1280, 1536,
};

/*
 * BPF JIT images: bpf_jit_binary_alloc() takes whole pages from the
 * modules area on 32-bit ARM; most programs (socket filters, seccomp,
 * cgroup hooks) are one page, some two, few four.
 */
static unsigned long bpf_pages(unsigned long long *s)
{
	unsigned long r = rng_below(s, 100);

	return r < 70 ? 1 : r < 92 ? 2 : 4;
}

int scn_gen_modules_area(struct trace_buf *tb,
			 const struct scn_modules_opts *o,
			 struct scn_modules_info *info)
{
	const unsigned long page = tw_page_size();
	/* Live bytes are kept below this, so any ENOMEM is fragmentation. */
	const unsigned long cap = SCN_MODULES_AREA_SIZE / 100 * 94;
	struct live_set mods = { 0 }, progs = { 0 };
	unsigned long long st;
	unsigned long i, live = 0;
	int err = -1;

	memset(info, 0, sizeof(*info));
	if (o->slice_size < SCN_MODULES_AREA_SIZE)
		return -1;
	rng_seed(&st, o->seed);
	if (o->slice_size > SCN_MODULES_AREA_SIZE) {
		/*
		 * The slice beyond the area: one allocation made first, on
		 * the empty slice, where every policy places it at the start.
		 */
		info->has_filler = true;
		info->filler_size = o->slice_size - SCN_MODULES_AREA_SIZE;
		tb_alloc(tb, info->filler_size, 0,
			 KVA_TRACE_F_NOGUARD | KVA_TRACE_F_FILLER, false, 0);
	}
	for (i = 0; i < o->ops; i++) {
		unsigned long r = rng_below(&st, 100), bytes;
		bool bpf = r >= 55;
		struct live_set *ls;
		struct live l;

		if (r < 22) {
			/* Unload: BPF programs come and go more than modules. */
			ls = rng_below(&st, 10) < 7 ? &progs : &mods;
			if (!ls->nr)
				ls = ls == &progs ? &mods : &progs;
			if (!ls->nr)
				continue;
			goto do_free;
		}
		bytes = bpf ? bpf_pages(&st) * page :
			(unsigned long)module_kib[rng_below(&st, sizeof(module_kib) /
							     sizeof(module_kib[0]))] << 10;
		if (live + bytes + page > cap) {
			/* Full by bytes: something goes first. */
			ls = mods.nr && (!progs.nr || rng_below(&st, 2)) ?
			     &mods : &progs;
			if (!ls->nr)
				continue;
			goto do_free;
		}
		if (ls_add(bpf ? &progs : &mods,
			   tb_alloc(tb, bytes, 0, KVA_TRACE_F_VMALLOC, false, 0),
			   bytes + page))
			goto out;
		live += bytes + page;
		if (live > info->peak_live)
			info->peak_live = live;
		if (bpf)
			info->bpf_allocs++;
		else
			info->module_allocs++;
		continue;
do_free:
		l = ls_take(ls, rng_below(&st, ls->nr));
		tb_free(tb, l.id, false, 0);
		live -= l.bytes;
		info->frees++;
	}
	err = 0;
out:
	free(mods.v);
	free(progs.v);
	return err;
}

int scn_gen_aligned_search(struct trace_buf *tb, unsigned long slice_size,
			   struct scn_aligned_info *info)
{
	const unsigned long page = tw_page_size(), a = SCN_ALIGN;
	unsigned int holes[SCN_SMALL_HOLES], exact, i;
	unsigned long layout, top;

	/*
	 * Everything is noguard and a multiple of the alignment A. The probe
	 * P (A bytes aligned to A) lands on the first A boundary of the
	 * slice; the gap below it is under A, so no later piece fits there
	 * and the layout after P is A-aligned wherever the slice starts.
	 * After P: SCN_SMALL_HOLES times a hole of A and a separator of A,
	 * the exact hole of 2A and its separator, and a filler for the rest
	 * of the slice sized for the largest gap, so at most A - page stays
	 * free at the top. Free areas afterwards: the gap and the top (both
	 * under A), the A-sized holes, and the exact one, freed last so that
	 * it enters the tree as a leaf below the others.
	 */
	layout = a + SCN_SMALL_HOLES * 2 * a + 3 * a;
	memset(info, 0, sizeof(*info));
	info->size = SCN_REQ_SIZE;
	info->align = a;
	info->length = SCN_REQ_SIZE + a - 1;
	info->holes = SCN_SMALL_HOLES;
	info->layout_bytes = layout;
	/* The layout, the largest gap below the probe and the top's rest. */
	if (slice_size < layout + a + a)
		return -1;
	tb_alloc(tb, a, a, KVA_TRACE_F_NOGUARD, false, 0);
	for (i = 0; i < SCN_SMALL_HOLES; i++) {
		holes[i] = tb_alloc(tb, a, 0, KVA_TRACE_F_NOGUARD, false, 0);
		tb_alloc(tb, a, 0, KVA_TRACE_F_NOGUARD | KVA_TRACE_F_FILLER,
			 false, 0);
	}
	exact = tb_alloc(tb, SCN_REQ_SIZE, 0, KVA_TRACE_F_NOGUARD, false, 0);
	tb_alloc(tb, a, 0, KVA_TRACE_F_NOGUARD | KVA_TRACE_F_FILLER, false, 0);
	top = slice_size - layout - (a - page);
	tb_alloc(tb, top, 0, KVA_TRACE_F_NOGUARD | KVA_TRACE_F_FILLER, false, 0);
	for (i = 0; i < SCN_SMALL_HOLES; i++)
		tb_free(tb, holes[i], false, 0);
	tb_purge(tb, false, 0);
	tb_free(tb, exact, false, 0);
	tb_purge(tb, false, 0);
	/* The request: fits the exact hole and nothing else. */
	tb_alloc(tb, SCN_REQ_SIZE, a, KVA_TRACE_F_NOGUARD, false, 0);
	return 0;
}

int scn_gen_lazy_purge(struct trace_buf *tb, const struct scn_lazy_opts *o,
		       struct scn_lazy_info *info)
{
	const unsigned long page = tw_page_size();
	unsigned long batch = o->batch ? o->batch : 64;
	struct live_set ls = { 0 };
	unsigned long long st;
	unsigned long live = 0;

	memset(info, 0, sizeof(*info));
	rng_seed(&st, o->seed);
	/*
	 * Rounds of @batch short-lived areas of 1 to 4 pages (the sizes of
	 * vmalloc'ed buffers, stacks, vm_map_ram users), all freed again in
	 * random order. No purge points: every purge is the allocator's own,
	 * when the lazy pages pass lazy_max_pages.
	 */
	while (info->allocs + info->frees < o->ops) {
		unsigned long i;

		for (i = 0; i < batch; i++) {
			unsigned long bytes = (1 + rng_below(&st, 4)) * page;

			if (ls_add(&ls, tb_alloc(tb, bytes, 0,
						 KVA_TRACE_F_VMALLOC, false, 0),
				   bytes + page)) {
				free(ls.v);
				return -1;
			}
			live += bytes + page;
			info->allocs++;
		}
		if (live > info->peak_live)
			info->peak_live = live;
		while (ls.nr) {
			struct live l = ls_take(&ls, rng_below(&st, ls.nr));

			tb_free(tb, l.id, false, 0);
			live -= l.bytes;
			info->freed_pages += l.bytes / page;
			info->frees++;
		}
	}
	free(ls.v);
	return 0;
}
