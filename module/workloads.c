// SPDX-License-Identifier: GPL-2.0
/*
 * The workload suite: lib/test_vmalloc.c's cases, each run against kvalab
 * and against the kernel's vmalloc in the same invocation (see workloads.h).
 *
 * One run is driven by one controller kthread. For every selected case (in
 * table order, or shuffled) and every repeat, it runs one "unit" per
 * backend: nr_threads fresh worker kthreads, each pinned to a CPU, released
 * together by one completion, each running the case once. Backends take
 * turns inside a repeat and swap their order every repeat (kvalab first on
 * even repeats, vmalloc first on odd ones), so drift over a run and
 * first-runner effects fall on both alike.
 *
 * Differences from test_vmalloc, and why:
 *  - all workers run the same case at the same time (test_vmalloc shuffles
 *    per worker), so that each backend is measured under the same load;
 *  - the timed region is the case's measured loop only, not its setup; the
 *    Summary line's avg still covers the whole case, as test_vmalloc's does;
 *  - the busy lists of full_fit and long_busy_list are sized to the slice
 *    and to RAM (wl_size_lists()), the same for both backends;
 *  - random sizes come from a per-worker PRNG seeded per (case, repeat,
 *    worker), so both backends see the same sequence of requests;
 *  - setup allocations are checked: running out of the slice is a failure
 *    with a reason, never a silently shorter list.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/thread_info.h>
#include <linux/vmalloc.h>

#include <kvalab/cmd.h>
#include <kvalab/workloads.h>

#include "kvalab.h"
#include "workloads.h"

/*
 * Defaults sized for TCG, where one 1-page vmalloc + vfree costs ~20 us and
 * random_size_alloc_test and long_busy_list_alloc_test cost ~50-100 times
 * that per iteration: a full run of every case on both backends, 2 workers,
 * took 41 s (6.1) and 34 s (6.12) there. test_vmalloc's own default of
 * 1000000 loops is for real hardware; pass test_loop_count= to match it.
 */
#define WL_DEF_LOOPS		1000
#define WL_DEF_REPEAT		5

/*
 * Bounds of a run. Samples are kept per (repeat, worker), so repeat times
 * threads bounds the sample arrays (2 MiB over every case and backend).
 */
#define WL_MAX_REPEAT		256
#define WL_MAX_LOOPS		100000000U
#define WL_MAX_PAGES		65536U

/* test_vmalloc's sizes for the two list-building cases. */
#define WL_BUSY_LIST_MAX	15000UL
#define WL_BIG_PAGES		100UL	/* long_busy_list's large allocation */

static int nr_threads;
module_param(nr_threads, int, 0644);
MODULE_PARM_DESC(nr_threads,
		 "Workers per run (0: one per online CPU; max 64)");

static bool sequential_test_order;
module_param(sequential_test_order, bool, 0644);
MODULE_PARM_DESC(sequential_test_order,
		 "Run the cases in table order instead of shuffled");

static int test_repeat_count = WL_DEF_REPEAT;
module_param(test_repeat_count, int, 0644);
MODULE_PARM_DESC(test_repeat_count, "Repeats of each case per backend (max 256)");

static int test_loop_count = WL_DEF_LOOPS;
module_param(test_loop_count, int, 0644);
MODULE_PARM_DESC(test_loop_count, "Iterations of each case's loop");

static int nr_pages;
module_param(nr_pages, int, 0644);
MODULE_PARM_DESC(nr_pages,
		 "Pages for fix_size_alloc_test and vm_map_ram_test (0: 1)");

static int run_test_mask = KVALAB_WORKLOAD_ALL;
module_param(run_test_mask, int, 0644);
MODULE_PARM_DESC(run_test_mask,
		 "Cases to run, test_vmalloc's bits; bits kvalab does not run are ignored:\n"
		 "\t\tid: 1,    name: fix_size_alloc_test\n"
		 "\t\tid: 2,    name: full_fit_alloc_test\n"
		 "\t\tid: 4,    name: long_busy_list_alloc_test\n"
		 "\t\tid: 8,    name: random_size_alloc_test\n"
		 "\t\tid: 16,   name: fix_align_alloc_test\n"
		 "\t\tid: 32,   name: random_size_align_alloc_test\n"
		 "\t\tid: 64,   name: align_shift_alloc_test (expected to fail)\n"
		 "\t\tid: 1024, name: vm_map_ram_test\n");

/* ---------------------------------------------------------------------- */
/* Backends                                                                */

/*
 * What a case needs of an allocator. The index of a backend in wl_backends[]
 * is its bit in KVALAB_BACKEND_*. A backend without @aligned is never asked
 * for alignment above PAGE_SIZE: the cases that need it are skipped.
 */
struct wl_backend {
	const char *name;
	bool aligned;
	void *(*alloc)(struct kvalab *kv, unsigned long size,
		       unsigned long align);
	void (*free)(struct kvalab *kv, const void *addr);
	void *(*map)(struct kvalab *kv, struct page **pages,
		     unsigned int count);
	void (*unmap)(struct kvalab *kv, const void *addr, unsigned int count);
	/* True if a request needing @need bytes of VA cannot fit now. */
	bool (*va_short)(struct kvalab *kv, unsigned long need);
};

static void *wl_kvalab_alloc(struct kvalab *kv, unsigned long size,
			     unsigned long align)
{
	return kvalab_vmalloc(kv, size, align, __builtin_return_address(0));
}

static void wl_kvalab_free(struct kvalab *kv, const void *addr)
{
	kvalab_vfree(kv, addr);
}

static void *wl_kvalab_map(struct kvalab *kv, struct page **pages,
			   unsigned int count)
{
	return kvalab_vm_map_ram(kv, pages, count, __builtin_return_address(0));
}

static void wl_kvalab_unmap(struct kvalab *kv, const void *addr,
			    unsigned int count)
{
	/* The pages are the caller's: unmapping leaves them alone. */
	kvalab_vm_unmap_ram(kv, addr, count);
}

static bool wl_kvalab_va_short(struct kvalab *kv, unsigned long need)
{
	return kvalab_largest_free(kv) < need;
}

static void *wl_vmalloc_alloc(struct kvalab *kv, unsigned long size,
			      unsigned long align)
{
	/* No exported vmalloc takes an alignment: see wl_backend.aligned. */
	return vmalloc(size);
}

static void wl_vmalloc_free(struct kvalab *kv, const void *addr)
{
	vfree(addr);
}

static void *wl_vmalloc_map(struct kvalab *kv, struct page **pages,
			    unsigned int count)
{
	return vm_map_ram(pages, count, NUMA_NO_NODE);
}

static void wl_vmalloc_unmap(struct kvalab *kv, const void *addr,
			     unsigned int count)
{
	vm_unmap_ram(addr, count);
}

static bool wl_vmalloc_va_short(struct kvalab *kv, unsigned long need)
{
	return false;
}

#define WL_NR_BACKENDS	2

static const struct wl_backend wl_backends[WL_NR_BACKENDS] = {
	{
		.name = "kvalab",
		.aligned = true,
		.alloc = wl_kvalab_alloc,
		.free = wl_kvalab_free,
		.map = wl_kvalab_map,
		.unmap = wl_kvalab_unmap,
		.va_short = wl_kvalab_va_short,
	},
	{
		.name = "vmalloc",
		.aligned = false,
		.alloc = wl_vmalloc_alloc,
		.free = wl_vmalloc_free,
		.map = wl_vmalloc_map,
		.unmap = wl_vmalloc_unmap,
		.va_short = wl_vmalloc_va_short,
	},
};

/* Why a backend without @aligned skips a case, as printed. */
#define WL_SKIP_UNALIGNED	"no_exported_aligned_vmalloc"

/* ---------------------------------------------------------------------- */
/* Run state                                                               */

/* A run's parameters, resolved; constant while the run goes on. */
struct wl_run {
	unsigned int mask;
	unsigned int threads;
	unsigned int loops;
	unsigned int repeat;
	unsigned int nr_pages;
	unsigned int backends;
	bool sequential;
	unsigned long busy_count;	/* long_busy_list: areas per worker */
	unsigned long junk_length;	/* full_fit: area pairs per worker */
	u64 seed;
	/* Indexes into wl_cases[], in the order they run. */
	unsigned int order[KVALAB_NR_WORKLOAD_BITS];
	unsigned int nr_cases;
};

/*
 * One worker of one unit. The controller fills the inputs before waking
 * the thread and reads the outputs after the unit's all_done completion.
 */
struct wl_worker {
	/* inputs */
	struct task_struct *task;
	struct kvalab *kv;
	const struct wl_run *run;
	const struct wl_backend *be;
	int (*fn)(struct wl_worker *w);
	struct rnd_state rnd;
	/* outputs */
	int ret;		/* 0, -EINTR (stopped) or a failure */
	const char *reason;	/* why it failed, one word */
	u64 t0;
	u64 loop_ns;		/* time in the measured loop */
	u64 iters;		/* iterations of the measured loop */
	u64 total_ns;		/* time in the whole case */
};

enum wl_status { WL_NOT_RUN, WL_PASS, WL_FAIL, WL_XFAIL, WL_XPASS, WL_SKIP };

static const char *const wl_status_names[] = {
	[WL_NOT_RUN] = "not_run",
	[WL_PASS] = "pass",
	[WL_FAIL] = "fail",
	[WL_XFAIL] = "xfail",
	[WL_XPASS] = "xpass",
	[WL_SKIP] = "skip",
};

/*
 * One case on one backend. Samples are ns per iteration of the measured
 * loop, one per (repeat, worker) that passed; a failed or stopped worker
 * contributes none. The result is shown once @finished is set, which
 * happens when every repeat of the case ran on this backend.
 */
struct wl_result {
	bool finished;
	enum wl_status status;
	const char *reason;		/* first failure's */
	unsigned int passed;		/* repeats in which every worker passed */
	unsigned int failed;		/* repeats in which one failed */
	u64 ops;			/* iterations summed over samples */
	u64 total_ns;			/* whole-case time, summed */
	unsigned int nr_total;
	u64 *samples;
	unsigned int nr_samples;
	u64 median, p99, min, max;
};

enum wl_state { WL_IDLE, WL_RUNNING, WL_DONE, WL_STOPPED, WL_FAILED };

static const char *const wl_state_names[] = {
	[WL_IDLE] = "idle",
	[WL_RUNNING] = "running",
	[WL_DONE] = "done",
	[WL_STOPPED] = "stopped",
	[WL_FAILED] = "failed",
};

/*
 * The suite. Lock order: run_lock, then lock. The controller takes only
 * @lock, and never while a unit runs, so stop() can wait for it while
 * holding run_lock and readers of `results` wait only for bookkeeping.
 */
static struct wl_suite {
	struct kvalab *kv;

	/* Serialises start, stop and exit; guards @task. */
	struct mutex run_lock;
	/* The controller; we hold a task reference so it can be reaped late. */
	struct task_struct *task;
	/* Set to end the run; workers test it on every loop iteration. */
	bool stop;

	/* Guards everything below that is not marked otherwise. */
	struct mutex lock;
	enum wl_state state;
	unsigned int done;		/* units finished (skips included) */
	unsigned int total;
	struct wl_run run;
	struct wl_result res[KVALAB_NR_WORKLOAD_BITS][WL_NR_BACKENDS];

	/* Unit machinery, used by the controller only (no lock). */
	struct wl_worker *workers;
	bool cancel;			/* unit could not start all workers */
	struct completion go;		/* releases a unit's workers together */
	struct completion all_done;	/* the last worker finished */
	atomic_t undone;
} suite;

/* Each worker's only way out of a loop early, and its scheduling point. */
static bool wl_stop_point(void)
{
	cond_resched();
	return READ_ONCE(suite.stop);
}

/* ---------------------------------------------------------------------- */
/* Helpers for the cases                                                   */

static void *wl_alloc(struct wl_worker *w, unsigned long size,
		      unsigned long align)
{
	return w->be->alloc(w->kv, size, align);
}

static void wl_free(struct wl_worker *w, const void *addr)
{
	if (addr)
		w->be->free(w->kv, addr);
}

static void wl_clock_start(struct wl_worker *w)
{
	w->t0 = ktime_get_ns();
}

static void wl_clock_stop(struct wl_worker *w, u64 iters)
{
	w->loop_ns = ktime_get_ns() - w->t0;
	w->iters = iters;
}

/* A PRNG draw in [0, ceil), from the worker's reproducible stream. */
static u32 wl_rand_below(struct wl_worker *w, u32 ceil)
{
	return (u32)(((u64)prandom_u32_state(&w->rnd) * ceil) >> 32);
}

/*
 * Record a failure: @reason, or no_va_in_slice if the backend could not
 * have found @need bytes of address space. Returns the case's result.
 */
static int wl_failed(struct wl_worker *w, unsigned long need,
		     const char *reason)
{
	w->reason = w->be->va_short(w->kv, need) ? "no_va_in_slice" : reason;
	return -ENOMEM;
}

/* VA taken by an allocation of @size aligned to @align: guard and slack. */
static unsigned long wl_va_need(unsigned long size, unsigned long align)
{
	unsigned long need = PAGE_ALIGN(size) + PAGE_SIZE;

	if (align > PAGE_SIZE && check_add_overflow(need, align - PAGE_SIZE,
						    &need))
		return ULONG_MAX;
	return need;
}

static int wl_alloc_failed(struct wl_worker *w, unsigned long size,
			   unsigned long align)
{
	return wl_failed(w, wl_va_need(size, align), "alloc_failed");
}

/* ---------------------------------------------------------------------- */
/* The cases: lib/test_vmalloc.c's, on w->be                               */

static int fix_size_alloc_test(struct wl_worker *w)
{
	unsigned long size = (unsigned long)w->run->nr_pages << PAGE_SHIFT;
	unsigned int i;
	u8 *ptr;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		ptr = wl_alloc(w, size, 0);
		if (!ptr)
			return wl_alloc_failed(w, size, 0);
		*ptr = 0;
		wl_free(w, ptr);
	}
	wl_clock_stop(w, i);
	return 0;
}

/*
 * Interleave kept and junk one-page areas, then free the junk: once the
 * lazy frees are purged the free space is holes exactly one area wide, so
 * the loop's one-page allocations are full fits.
 */
static int full_fit_alloc_test(struct wl_worker *w)
{
	unsigned long n = w->run->junk_length, j;
	void **ptr, **junk;
	unsigned int i;
	int ret = 0;
	u8 *tmp;

	ptr = kvcalloc(n, sizeof(*ptr), GFP_KERNEL);
	junk = kvcalloc(n, sizeof(*junk), GFP_KERNEL);
	if (!ptr || !junk) {
		w->reason = "no_memory_for_setup";
		ret = -ENOMEM;
		goto out;
	}

	for (j = 0; j < n; j++) {
		if (wl_stop_point()) {
			ret = -EINTR;
			goto out;
		}
		ptr[j] = wl_alloc(w, PAGE_SIZE, 0);
		junk[j] = wl_alloc(w, PAGE_SIZE, 0);
		if (!ptr[j] || !junk[j]) {
			ret = wl_alloc_failed(w, PAGE_SIZE, 0);
			goto out;
		}
	}
	for (j = 0; j < n; j++) {
		wl_free(w, junk[j]);
		junk[j] = NULL;
	}

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point()) {
			ret = -EINTR;
			goto out;
		}
		tmp = wl_alloc(w, PAGE_SIZE, 0);
		if (!tmp) {
			ret = wl_alloc_failed(w, PAGE_SIZE, 0);
			goto out;
		}
		*tmp = 1;
		wl_free(w, tmp);
	}
	wl_clock_stop(w, i);
out:
	for (j = 0; ptr && junk && j < n; j++) {
		wl_free(w, ptr[j]);
		wl_free(w, junk[j]);
	}
	kvfree(ptr);
	kvfree(junk);
	return ret;
}

/* Allocate and free while a long busy list is in place. */
static int long_busy_list_alloc_test(struct wl_worker *w)
{
	unsigned long n = w->run->busy_count, j;
	u8 *ptr_1, *ptr_2;
	unsigned int i;
	void **ptr;
	int ret = 0;

	ptr = kvcalloc(n, sizeof(*ptr), GFP_KERNEL);
	if (!ptr) {
		w->reason = "no_memory_for_setup";
		return -ENOMEM;
	}

	for (j = 0; j < n; j++) {
		if (wl_stop_point()) {
			ret = -EINTR;
			goto out;
		}
		ptr[j] = wl_alloc(w, PAGE_SIZE, 0);
		if (!ptr[j]) {
			ret = wl_alloc_failed(w, PAGE_SIZE, 0);
			goto out;
		}
	}

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point()) {
			ret = -EINTR;
			goto out;
		}
		ptr_1 = wl_alloc(w, WL_BIG_PAGES * PAGE_SIZE, 0);
		if (!ptr_1) {
			ret = wl_alloc_failed(w, WL_BIG_PAGES * PAGE_SIZE, 0);
			goto out;
		}
		ptr_2 = wl_alloc(w, PAGE_SIZE, 0);
		if (!ptr_2) {
			wl_free(w, ptr_1);
			ret = wl_alloc_failed(w, PAGE_SIZE, 0);
			goto out;
		}
		*ptr_1 = 0;
		*ptr_2 = 1;
		wl_free(w, ptr_1);
		wl_free(w, ptr_2);
	}
	wl_clock_stop(w, i);
out:
	for (j = 0; j < n; j++)
		wl_free(w, ptr[j]);
	kvfree(ptr);
	return ret;
}

static int random_size_alloc_test(struct wl_worker *w)
{
	unsigned long size;
	unsigned int i;
	u8 *p;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		size = (1 + wl_rand_below(w, 100)) * PAGE_SIZE;
		p = wl_alloc(w, size, 0);
		if (!p)
			return wl_alloc_failed(w, size, 0);
		*p = 1;
		wl_free(w, p);
	}
	wl_clock_stop(w, i);
	return 0;
}

static int fix_align_alloc_test(struct wl_worker *w)
{
	const unsigned long size = 5 * PAGE_SIZE;
	const unsigned long align = THREAD_ALIGN << 1;
	unsigned int i;
	void *ptr;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		ptr = wl_alloc(w, size, align);
		if (!ptr)
			return wl_alloc_failed(w, size, align);
		wl_free(w, ptr);
	}
	wl_clock_stop(w, i);
	return 0;
}

static int random_size_align_alloc_test(struct wl_worker *w)
{
	unsigned long size, align;
	unsigned int i, rnd;
	void *ptr;

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point())
			return -EINTR;
		rnd = wl_rand_below(w, 256);
		/* At most 1024 pages of alignment and 10 of size (4K pages). */
		align = 1UL << (rnd % 23);
		size = ((rnd % 10) + 1) * PAGE_SIZE;
		ptr = wl_alloc(w, size, align);
		if (!ptr)
			return wl_alloc_failed(w, size, align);
		wl_free(w, ptr);
	}
	wl_clock_stop(w, i);
	return 0;
}

/*
 * Expected to fail: alignments up to 1 << (BITS_PER_LONG - 1) cannot be
 * met. It runs BITS_PER_LONG iterations whatever test_loop_count says.
 */
static int align_shift_alloc_test(struct wl_worker *w)
{
	unsigned long align;
	unsigned int i;
	void *ptr;

	wl_clock_start(w);
	for (i = 0; i < BITS_PER_LONG; i++) {
		if (wl_stop_point())
			return -EINTR;
		align = 1UL << i;
		ptr = wl_alloc(w, PAGE_SIZE, align);
		if (!ptr)
			return wl_alloc_failed(w, PAGE_SIZE, align);
		wl_free(w, ptr);
	}
	wl_clock_stop(w, i);
	return 0;
}

/* Map the same caller-owned pages again and again, like vm_map_ram(). */
static int vm_map_ram_test(struct wl_worker *w)
{
	unsigned int n = w->run->nr_pages, i;
	struct page **pages;
	u8 *v_ptr;
	int ret = 0;

	pages = kvcalloc(n, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		w->reason = "no_memory_for_setup";
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			w->reason = "no_pages";
			ret = -ENOMEM;
			goto out;
		}
	}

	wl_clock_start(w);
	for (i = 0; i < w->run->loops; i++) {
		if (wl_stop_point()) {
			ret = -EINTR;
			goto out;
		}
		v_ptr = w->be->map(w->kv, pages, n);
		if (!v_ptr) {
			/* No guard page: the mapping needs exactly n pages. */
			ret = wl_failed(w, (unsigned long)n << PAGE_SHIFT,
					"map_failed");
			goto out;
		}
		*v_ptr = 'a';
		w->be->unmap(w->kv, v_ptr, n);
	}
	wl_clock_stop(w, i);
out:
	for (i = 0; i < n && pages[i]; i++)
		__free_page(pages[i]);
	kvfree(pages);
	return ret;
}

/*
 * The suite: test_vmalloc's table, by its mask bit (the name comes from
 * kvalab_workload_names[bit]). @aligned cases need alignment above
 * PAGE_SIZE; the expected failure is KVALAB_WORKLOAD_XFAIL.
 */
struct wl_case {
	unsigned int bit;
	int (*fn)(struct wl_worker *w);
	bool aligned;
};

static const struct wl_case wl_cases[] = {
	{ 0,	fix_size_alloc_test,		false },
	{ 1,	full_fit_alloc_test,		false },
	{ 2,	long_busy_list_alloc_test,	false },
	{ 3,	random_size_alloc_test,		false },
	{ 4,	fix_align_alloc_test,		true },
	{ 5,	random_size_align_alloc_test,	true },
	{ 6,	align_shift_alloc_test,		true },
	{ 10,	vm_map_ram_test,		false },
};

static const char *wl_case_name(const struct wl_case *c)
{
	return kvalab_workload_names[c->bit];
}

static bool wl_case_xfail(const struct wl_case *c)
{
	return BIT(c->bit) & KVALAB_WORKLOAD_XFAIL;
}

static bool wl_skips(const struct wl_case *c, const struct wl_backend *be)
{
	return c->aligned && !be->aligned;
}

/* ---------------------------------------------------------------------- */
/* Controller                                                              */

static int wl_worker_fn(void *data)
{
	struct wl_worker *w = data;
	u64 t0;

	wait_for_completion(&suite.go);
	if (!READ_ONCE(suite.cancel)) {
		t0 = ktime_get_ns();
		w->ret = w->fn(w);
		w->total_ns = ktime_get_ns() - t0;
	}
	if (atomic_dec_and_test(&suite.undone))
		complete(&suite.all_done);

	/*
	 * Leave only through kthread_stop(), which waits for this thread to
	 * be gone: then no worker runs module code once the controller (and
	 * so the module's exit) is past the unit.
	 */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* The CPU of worker @t: the online CPUs in turn. */
static unsigned int wl_worker_cpu(unsigned int t)
{
	return cpumask_nth(t % num_online_cpus(), cpu_online_mask);
}

/*
 * Run case @c once on backend @b with every worker, and wait for all of
 * them. Returns false if not every worker could be started (the started
 * ones are released without running the case).
 */
static bool wl_run_unit(struct wl_suite *s, const struct wl_case *c,
			unsigned int b, unsigned int r)
{
	const struct wl_run *run = &s->run;
	struct task_struct *task;
	struct wl_worker *w;
	unsigned int t, cpu;
	bool started = true;

	reinit_completion(&s->go);
	reinit_completion(&s->all_done);
	/* The controller's own count keeps all_done from firing early. */
	atomic_set(&s->undone, 1);
	WRITE_ONCE(s->cancel, false);

	for (t = 0; t < run->threads; t++) {
		w = &s->workers[t];
		memset(w, 0, sizeof(*w));
		w->kv = s->kv;
		w->run = run;
		w->be = &wl_backends[b];
		w->fn = c->fn;
		w->ret = -ECANCELED;
		/* Same seed for both backends: same request sequence. */
		prandom_seed_state(&w->rnd, run->seed + ((u64)c->bit << 48) +
				   ((u64)r << 16) + t);

		task = kthread_create(wl_worker_fn, w, "kvalab_wl/%u", t);
		if (IS_ERR(task)) {
			started = false;
			break;
		}
		cpu = wl_worker_cpu(t);
		if (cpu < nr_cpu_ids)
			kthread_bind(task, cpu);
		w->task = task;
		atomic_inc(&s->undone);
		wake_up_process(task);
	}

	if (!started)
		WRITE_ONCE(s->cancel, true);
	complete_all(&s->go);

	/* Sleep in slices so a long case never looks like a hung task. */
	if (!atomic_dec_and_test(&s->undone))
		while (!wait_for_completion_timeout(&s->all_done, HZ))
			;

	for (t = 0; t < run->threads; t++) {
		w = &s->workers[t];
		if (!w->task)
			break;
		kthread_stop(w->task);
		w->task = NULL;
	}
	/* Every worker is done: idle vmap blocks go back, as after a test. */
	kvalab_vblocks_drain(s->kv);
	return started;
}

static int wl_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median, p99 (nearest rank), min and max of the samples so far. */
static void wl_update_stats(struct wl_result *res)
{
	unsigned int n = res->nr_samples;
	u64 *v = res->samples;

	if (!n)
		return;
	sort(v, n, sizeof(*v), wl_cmp_u64, NULL);
	res->min = v[0];
	res->max = v[n - 1];
	res->median = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	res->p99 = v[DIV_ROUND_UP(99 * n, 100) - 1];
}

/* Fold one finished unit into its result (under s->lock). */
static void wl_record_unit(struct wl_suite *s, struct wl_result *res,
			   bool started)
{
	unsigned int t, threads = s->run.threads;
	const char *reason = NULL;
	struct wl_worker *w;
	bool failed = false;

	if (!started) {
		reason = "kthread_create_failed";
		failed = true;
	}
	for (t = 0; started && t < threads; t++) {
		w = &s->workers[t];
		/* A stopped unit counts for nothing: partial data only. */
		if (w->ret == -EINTR)
			return;
		if (w->ret && !failed) {
			failed = true;
			reason = w->reason;
		}
	}

	for (t = 0; started && t < threads; t++) {
		w = &s->workers[t];
		res->total_ns += w->total_ns;
		res->nr_total++;
		if (w->ret || !w->iters)
			continue;
		res->samples[res->nr_samples++] = div64_u64(w->loop_ns,
							    w->iters);
		res->ops += w->iters;
	}
	if (failed) {
		res->failed++;
		if (!res->reason)
			res->reason = reason;
	} else {
		res->passed++;
	}
	wl_update_stats(res);
	s->done++;
}

/* A case ran every repeat on a backend: settle its status. */
static void wl_finish_result(const struct wl_case *c, struct wl_result *res)
{
	if (wl_case_xfail(c))
		res->status = res->failed ? WL_XFAIL : WL_XPASS;
	else
		res->status = res->failed ? WL_FAIL : WL_PASS;
	res->finished = true;
}

static bool wl_backend_selected(const struct wl_run *run, unsigned int b)
{
	return run->backends & BIT(b);
}

static void wl_run_case(struct wl_suite *s, const struct wl_case *c)
{
	const struct wl_run *run = &s->run;
	struct wl_result *res = s->res[c->bit];
	unsigned int r, k, b;
	bool started;

	mutex_lock(&s->lock);
	for (b = 0; b < WL_NR_BACKENDS; b++) {
		if (!wl_backend_selected(run, b) ||
		    !wl_skips(c, &wl_backends[b]))
			continue;
		res[b].status = WL_SKIP;
		res[b].reason = WL_SKIP_UNALIGNED;
		res[b].finished = true;
		s->done += run->repeat;
	}
	mutex_unlock(&s->lock);

	for (r = 0; r < run->repeat; r++) {
		for (k = 0; k < WL_NR_BACKENDS; k++) {
			/* kvalab first on even repeats, vmalloc on odd. */
			b = r & 1 ? WL_NR_BACKENDS - 1 - k : k;
			if (!wl_backend_selected(run, b) || res[b].finished)
				continue;
			if (READ_ONCE(s->stop) || kthread_should_stop())
				return;
			started = wl_run_unit(s, c, b, r);
			mutex_lock(&s->lock);
			wl_record_unit(s, &res[b], started);
			mutex_unlock(&s->lock);
		}
	}

	if (READ_ONCE(s->stop))
		return;
	mutex_lock(&s->lock);
	for (b = 0; b < WL_NR_BACKENDS; b++)
		if (wl_backend_selected(run, b) && !res[b].finished)
			wl_finish_result(c, &res[b]);
	mutex_unlock(&s->lock);
}

/* test_vmalloc's Summary line, plus the backend. */
#define WL_SUMMARY_FMT \
	"Summary: %s passed: %u failed: %u repeat: %u loops: %u avg: %llu usec backend: %s\n"

static void wl_print_summary(struct seq_file *m, const struct wl_run *run,
			     const struct wl_case *c, unsigned int b,
			     const struct wl_result *res)
{
	u64 avg_us = res->nr_total ?
		div_u64(div_u64(res->total_ns, res->nr_total), NSEC_PER_USEC) : 0;

	if (m)
		seq_printf(m, WL_SUMMARY_FMT, wl_case_name(c), res->passed,
			   res->failed, run->repeat, run->loops, avg_us,
			   wl_backends[b].name);
	else
		pr_info(WL_SUMMARY_FMT, wl_case_name(c), res->passed,
			res->failed, run->repeat, run->loops, avg_us,
			wl_backends[b].name);
}

/* Summary lines of every finished, not skipped result; to @m or dmesg. */
static void wl_summaries(struct seq_file *m, const struct wl_suite *s)
{
	const struct wl_run *run = &s->run;
	const struct wl_result *res;
	const struct wl_case *c;
	unsigned int i, b;

	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		for (b = 0; b < WL_NR_BACKENDS; b++) {
			res = &s->res[c->bit][b];
			if (res->finished && res->status != WL_SKIP)
				wl_print_summary(m, run, c, b, res);
		}
	}
}

static int wl_controller(void *data)
{
	struct wl_suite *s = data;
	enum wl_state end = WL_DONE;
	const struct wl_result *res;
	unsigned int i, b;

	for (i = 0; i < s->run.nr_cases; i++) {
		if (READ_ONCE(s->stop) || kthread_should_stop())
			break;
		wl_run_case(s, &wl_cases[s->run.order[i]]);
	}

	mutex_lock(&s->lock);
	for (i = 0; i < KVALAB_NR_WORKLOAD_BITS; i++) {
		for (b = 0; b < WL_NR_BACKENDS; b++) {
			res = &s->res[i][b];
			if (res->status == WL_FAIL || res->status == WL_XPASS)
				end = WL_FAILED;
		}
	}
	if (READ_ONCE(s->stop) || kthread_should_stop())
		end = WL_STOPPED;
	wl_summaries(NULL, s);
	WRITE_ONCE(s->state, end);
	mutex_unlock(&s->lock);
	pr_info("workloads: run %s\n", wl_state_names[end]);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Starting, stopping, showing                                             */

/* Which module parameters stand for "not set": zero and negatives. */
static unsigned int wl_param(unsigned int given, int module_default,
			     unsigned int fallback)
{
	if (given)
		return given;
	return module_default > 0 ? module_default : fallback;
}

static unsigned long wl_slice_pages(const struct kvalab *kv)
{
	return (kv->space.end - kv->space.start) >> PAGE_SHIFT;
}

/*
 * Size the per-worker lists of full_fit and long_busy_list, the same for
 * both backends. Each worker may use a 1/(2 * threads) share of the slice's
 * VA (the other half leaves room for lazy areas and the user's own) and a
 * 1/(8 * threads) share of RAM. A one-page area takes two pages of VA (the
 * guard) and one of RAM.
 */
static void wl_size_lists(struct wl_run *run, const struct kvalab *kv)
{
	unsigned long va = wl_slice_pages(kv) / 2 / run->threads;
	unsigned long ram = totalram_pages() / 8 / run->threads;
	/* long_busy_list's loop needs 100 + 1 pages and two guards. */
	unsigned long loop_va = WL_BIG_PAGES + 3, loop_ram = WL_BIG_PAGES + 1;
	/* test_vmalloc's junk length: the kernel's lazy_max_pages. */
	unsigned long lazy = fls(num_online_cpus()) * (SZ_32M / PAGE_SIZE);

	run->busy_count = min3(WL_BUSY_LIST_MAX,
			       va > loop_va ? (va - loop_va) / 2 : 0,
			       ram > loop_ram ? ram - loop_ram : 0);
	/* A kept and a junk area per step, plus the loop's own area. */
	run->junk_length = min3(lazy, va > 2 ? (va - 2) / 4 : 0, ram / 2);
}

/* Fisher-Yates over the selected cases. */
static void wl_shuffle(unsigned int *a, unsigned int n)
{
	unsigned int i, j;

	for (i = n; i > 1; i--) {
		j = get_random_u32_below(i);
		swap(a[i - 1], a[j]);
	}
}

static int wl_resolve(const struct kvalab_run_params *p, struct kvalab *kv,
		      struct wl_run *run, char *why, size_t len)
{
	unsigned int i;

	memset(run, 0, sizeof(*run));
	run->mask = p->mask ? p->mask :
		(unsigned int)READ_ONCE(run_test_mask) & KVALAB_WORKLOAD_ALL;
	run->threads = wl_param(p->nr_threads, READ_ONCE(nr_threads),
				num_online_cpus());
	run->loops = wl_param(p->loops, READ_ONCE(test_loop_count), 1);
	run->repeat = wl_param(p->repeat, READ_ONCE(test_repeat_count), 1);
	run->nr_pages = wl_param(p->nr_pages, READ_ONCE(nr_pages), 1);
	run->backends = p->backends ? p->backends : KVALAB_BACKEND_ALL;
	run->sequential = p->sequential || READ_ONCE(sequential_test_order);

	if (run->mask & ~KVALAB_WORKLOAD_ALL) {
		snprintf(why, len,
			 "mask 0x%x has bits of cases kvalab does not run (0x%x)",
			 run->mask, run->mask & ~KVALAB_WORKLOAD_ALL);
		return -EINVAL;
	}
	if (!run->mask) {
		snprintf(why, len, "run_test_mask selects no case kvalab runs");
		return -EINVAL;
	}
	if (run->backends & ~KVALAB_BACKEND_ALL) {
		snprintf(why, len, "unknown backend bits 0x%x",
			 run->backends & ~KVALAB_BACKEND_ALL);
		return -EINVAL;
	}
	if (run->threads > KVALAB_RUN_MAX_THREADS) {
		snprintf(why, len, "threads %u is more than %u",
			 run->threads, KVALAB_RUN_MAX_THREADS);
		return -EINVAL;
	}
	if (run->repeat > WL_MAX_REPEAT) {
		snprintf(why, len, "repeat %u is more than %u",
			 run->repeat, WL_MAX_REPEAT);
		return -EINVAL;
	}
	if (run->loops > WL_MAX_LOOPS) {
		snprintf(why, len, "loops %u is more than %u",
			 run->loops, WL_MAX_LOOPS);
		return -EINVAL;
	}
	if (run->nr_pages > WL_MAX_PAGES) {
		snprintf(why, len, "pages %u is more than %u",
			 run->nr_pages, WL_MAX_PAGES);
		return -EINVAL;
	}
	/* Every worker holds one area of nr_pages plus a guard at a time. */
	if ((run->backends & KVALAB_BACKEND_KVALAB) &&
	    (u64)(run->nr_pages + 1) * run->threads > wl_slice_pages(kv)) {
		snprintf(why, len,
			 "pages %u for %u threads do not fit the %lu-page slice",
			 run->nr_pages, run->threads, wl_slice_pages(kv));
		return -EINVAL;
	}

	for (i = 0; i < ARRAY_SIZE(wl_cases); i++)
		if (run->mask & BIT(wl_cases[i].bit))
			run->order[run->nr_cases++] = i;
	if (!run->sequential)
		wl_shuffle(run->order, run->nr_cases);
	wl_size_lists(run, kv);
	run->seed = get_random_u64();
	return 0;
}

/* Free the sample arrays of a results table and forget them. */
static void wl_free_results(struct wl_result res[][WL_NR_BACKENDS])
{
	unsigned int i, b;

	for (i = 0; i < KVALAB_NR_WORKLOAD_BITS; i++) {
		for (b = 0; b < WL_NR_BACKENDS; b++) {
			kvfree(res[i][b].samples);
			res[i][b].samples = NULL;
		}
	}
}

/* Fresh results for @run: sample arrays for what will be measured. */
static int wl_alloc_results(const struct wl_run *run,
			    struct wl_result res[][WL_NR_BACKENDS])
{
	unsigned int i, b, n = run->repeat * run->threads;
	const struct wl_case *c;

	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		for (b = 0; b < WL_NR_BACKENDS; b++) {
			if (!wl_backend_selected(run, b) ||
			    wl_skips(c, &wl_backends[b]))
				continue;
			res[c->bit][b].samples = kvcalloc(n, sizeof(u64),
							  GFP_KERNEL);
			if (!res[c->bit][b].samples)
				return -ENOMEM;
		}
	}
	return 0;
}

/* Wait for a controller that ended (or is ending) and drop it. */
static void wl_reap(struct wl_suite *s)
{
	lockdep_assert_held(&s->run_lock);
	if (s->task) {
		/*
		 * Safe even if the thread has exited: our reference keeps
		 * the task, and kthread_stop() returns once it is gone. A
		 * controller stopped before it ever ran never settled the
		 * state; settle it here.
		 */
		kthread_stop(s->task);
		put_task_struct(s->task);
		s->task = NULL;

		mutex_lock(&s->lock);
		if (s->state == WL_RUNNING)
			WRITE_ONCE(s->state, WL_STOPPED);
		mutex_unlock(&s->lock);
	}
	/* No controller, so no unit: the workers' array is unused. */
	kvfree(s->workers);
	s->workers = NULL;
}

int kvalab_workloads_start(struct kvalab *kv, const struct kvalab_run_params *p,
			   char *why, size_t len)
{
	struct wl_result (*res)[WL_NR_BACKENDS] = NULL;
	struct wl_suite *s = &suite;
	struct wl_worker *workers = NULL;
	struct task_struct *task;
	struct wl_run run;
	unsigned int b;
	int ret;

	mutex_lock(&s->run_lock);
	if (READ_ONCE(s->state) == WL_RUNNING) {
		snprintf(why, len, "a run is already in progress");
		ret = -EBUSY;
		goto out;
	}
	wl_reap(s);

	ret = wl_resolve(p, kv, &run, why, len);
	if (ret)
		goto out;

	ret = -ENOMEM;
	snprintf(why, len, "no memory for the run's results");
	workers = kvcalloc(run.threads, sizeof(*workers), GFP_KERNEL);
	res = kvcalloc(KVALAB_NR_WORKLOAD_BITS, sizeof(*res), GFP_KERNEL);
	if (!workers || !res)
		goto out;
	if (wl_alloc_results(&run, res))
		goto out;

	mutex_lock(&s->lock);
	wl_free_results(s->res);
	memcpy(s->res, res, sizeof(s->res));
	s->kv = kv;
	s->run = run;
	s->done = 0;
	s->total = 0;
	for (b = 0; b < WL_NR_BACKENDS; b++)
		if (wl_backend_selected(&run, b))
			s->total += run.nr_cases * run.repeat;
	WRITE_ONCE(s->stop, false);
	WRITE_ONCE(s->state, WL_RUNNING);
	mutex_unlock(&s->lock);
	s->workers = workers;
	workers = NULL;
	kvfree(res);
	res = NULL;

	/* Hold a reference from before it can run, so it can be reaped. */
	task = kthread_create(wl_controller, s, "kvalab_run");
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		snprintf(why, len, "cannot start the controller thread");
		mutex_lock(&s->lock);
		WRITE_ONCE(s->state, WL_IDLE);
		s->total = 0;
		mutex_unlock(&s->lock);
		goto out;
	}
	get_task_struct(task);
	s->task = task;
	wake_up_process(task);
	ret = 0;
	pr_info("workloads: run mask=0x%x threads=%u loops=%u repeat=%u pages=%u busy_list=%lu junk_length=%lu\n",
		run.mask, run.threads, run.loops, run.repeat, run.nr_pages,
		run.busy_count, run.junk_length);
out:
	if (res) {
		wl_free_results(res);
		kvfree(res);
	}
	kvfree(workers);
	mutex_unlock(&s->run_lock);
	return ret;
}

void kvalab_workloads_stop(struct kvalab *kv)
{
	struct wl_suite *s = &suite;

	mutex_lock(&s->run_lock);
	if (s->task) {
		/* Workers see the flag; the controller also kthread_stop(). */
		WRITE_ONCE(s->stop, true);
		wl_reap(s);
	}
	mutex_unlock(&s->run_lock);
}

bool kvalab_workloads_running(struct kvalab *kv)
{
	return READ_ONCE(suite.state) == WL_RUNNING;
}

static void wl_print_params(struct seq_file *m, const struct wl_run *run)
{
	bool k = run->backends & KVALAB_BACKEND_KVALAB;
	bool v = run->backends & KVALAB_BACKEND_VMALLOC;

	seq_printf(m,
		   "params: mask=0x%x threads=%u loops=%u repeat=%u pages=%u sequential=%d backends=%s%s%s\n",
		   run->mask, run->threads, run->loops, run->repeat,
		   run->nr_pages, run->sequential, k ? "kvalab" : "",
		   k && v ? "," : "", v ? "vmalloc" : "");
}

static void wl_print_case(struct seq_file *m, const struct wl_case *c,
			  unsigned int b, const struct wl_result *res)
{
	seq_printf(m, "case=%s backend=%s status=%s", wl_case_name(c),
		   wl_backends[b].name, wl_status_names[res->status]);
	if (res->status != WL_SKIP)
		seq_printf(m, " ops=%llu median_ns=%llu p99_ns=%llu min_ns=%llu max_ns=%llu",
			   res->ops, res->median, res->p99, res->min,
			   res->max);
	if (res->reason &&
	    (res->status == WL_SKIP || res->status == WL_FAIL))
		seq_printf(m, " reason=%s", res->reason);
	seq_putc(m, '\n');
}

/* kvalab median / vmalloc median, to three decimals, when both exist. */
static void wl_print_ratio(struct seq_file *m, const struct wl_case *c,
			   const struct wl_result *kres,
			   const struct wl_result *vres)
{
	u64 milli;
	u32 frac;

	if (!kres->finished || !vres->finished ||
	    !kres->nr_samples || !vres->nr_samples || !vres->median)
		return;
	milli = div64_u64(kres->median * 1000 + vres->median / 2,
			  vres->median);
	milli = div_u64_rem(milli, 1000, &frac);
	seq_printf(m, "ratio case=%s kvalab/vmalloc=%llu.%03u\n",
		   wl_case_name(c), milli, frac);
}

int kvalab_workloads_show(struct seq_file *m, void *v)
{
	struct kvalab_run_params none = {};
	struct wl_suite *s = &suite;
	const struct wl_run *run;
	const struct wl_case *c;
	struct wl_run defaults;
	char why[KVALAB_ERR_MAX];
	unsigned int i, b;

	BUILD_BUG_ON(BIT(0) != KVALAB_BACKEND_KVALAB ||
		     BIT(1) != KVALAB_BACKEND_VMALLOC);

	mutex_lock(&s->lock);
	seq_printf(m, "state: %s\n", wl_state_names[s->state]);
	seq_printf(m, "progress: %u/%u\n", s->done, s->total);
	run = &s->run;
	if (s->state == WL_IDLE) {
		/* No run yet: show what a bare `run` would use. */
		if (!s->kv || wl_resolve(&none, s->kv, &defaults, why,
					 sizeof(why))) {
			mutex_unlock(&s->lock);
			return 0;
		}
		run = &defaults;
	}
	wl_print_params(m, run);
	if (s->state == WL_IDLE)
		goto out;

	wl_summaries(m, s);
	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		for (b = 0; b < WL_NR_BACKENDS; b++)
			if (s->res[c->bit][b].finished)
				wl_print_case(m, c, b, &s->res[c->bit][b]);
	}
	for (i = 0; i < run->nr_cases; i++) {
		c = &wl_cases[run->order[i]];
		wl_print_ratio(m, c, &s->res[c->bit][0], &s->res[c->bit][1]);
	}
out:
	mutex_unlock(&s->lock);
	return 0;
}

void kvalab_workloads_init(struct kvalab *kv)
{
	struct wl_suite *s = &suite;

	mutex_init(&s->run_lock);
	mutex_init(&s->lock);
	init_completion(&s->go);
	init_completion(&s->all_done);
	s->kv = kv;
	s->task = NULL;
	s->workers = NULL;
	s->state = WL_IDLE;
	s->done = 0;
	s->total = 0;
	memset(s->res, 0, sizeof(s->res));
}

void kvalab_workloads_exit(struct kvalab *kv)
{
	struct wl_suite *s = &suite;

	kvalab_workloads_stop(kv);
	mutex_lock(&s->run_lock);
	wl_reap(s);
	mutex_lock(&s->lock);
	wl_free_results(s->res);
	s->state = WL_IDLE;
	mutex_unlock(&s->lock);
	mutex_unlock(&s->run_lock);
}
