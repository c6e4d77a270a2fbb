/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload suite's private header, shared by the parts of its package
 * (module/workloads/) and by nothing else:
 *   wl_cases.c    lib/test_vmalloc.c's cases and their table, one row each
 *   wl_backends.c the allocators a case runs on, by <kvalab/backends.h> id:
 *                 the kernel's vmalloc and the kvalab ones
 *   wl_floor.c    the floor backend: the same pages, mappings and flushes
 *                 with no VA management
 *   wl_run.c      parameters, the controller and its worker kthreads
 *   wl_stats.c    statistics: finished units folded into results, their
 *                 percentiles, phase counters, the Summary's avg, ratios
 *   wl_results.c  the `results` listing, printed from a snapshot, and the
 *                 Summary lines
 * The rest of the module and debugfs/ call it through workloads.h.
 */
#ifndef _KVALAB_MODULE_WL_H
#define _KVALAB_MODULE_WL_H

#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/types.h>

#include <kvalab/backends.h>
#include <kvalab/status.h>
#include <kvalab/workloads.h>

#include "../breakdown.h"
#include "../latency.h"

struct kvalab;
struct page;
struct seq_file;
struct task_struct;
struct kvalab_run_params;
struct wl_worker;

/* ---------------------------------------------------------------------- */
/* Backends (wl_backends.c; the floor's calls in wl_floor.c)             */

/*
 * What a case needs of an allocator. A backend without @aligned is never
 * asked for an alignment: the cases that need one are skipped. @kernel: the
 * areas are the kernel's vmalloc ones, so kernel code may free them
 * (kvfree_rcu()); the cases that measure the kernel's own allocators run
 * on such a backend only (wl_case.kernel_only). @alloc_nowait and
 * @realloc are test_vmalloc 7.x's calls, NULL where the backend has none:
 * then the case that needs one (wl_case.need) is skipped, for
 * @nowait_why or @realloc_why.
 */
struct wl_backend {
	bool aligned;
	bool kernel;
	const char *skip_why;	/* why !@aligned skips, one word */
	const char *nowait_why;	/* why !@alloc_nowait skips, one word */
	const char *realloc_why;	/* why !@realloc skips, one word */
	void *(*alloc)(struct kvalab *kv, unsigned long size,
		       unsigned long align);
	void (*free)(struct kvalab *kv, const void *addr);
	void *(*map)(struct kvalab *kv, struct page **pages,
		     unsigned int count);
	void (*unmap)(struct kvalab *kv, const void *addr, unsigned int count);
	/*
	 * An allocation that neither sleeps nor reclaims (@gfp GFP_NOWAIT or
	 * GFP_ATOMIC), called with preemption off.
	 */
	void *(*alloc_nowait)(struct kvalab *kv, unsigned long size, gfp_t gfp);
	/*
	 * vrealloc(): @addr NULL allocates @size bytes; else the area at @addr
	 * is kept if @size fits it, or replaced by a new one holding its
	 * contents (the old one freed). NULL if that failed (@addr stays).
	 */
	void *(*realloc)(struct kvalab *kv, const void *addr,
			 unsigned long size);
	/* True if a request needing @need bytes of VA cannot fit now. */
	bool (*va_short)(struct kvalab *kv, unsigned long need);
};

/* The allocator of backend @id (< KVALAB_NR_BACKENDS). */
const struct wl_backend *wl_backend(unsigned int id);

/*
 * The floor backend (wl_floor.c): its calls, the reset the controller
 * makes before each of its units (no worker running), and its flushes so
 * far.
 */
void *wl_floor_alloc(struct kvalab *kv, unsigned long size,
		     unsigned long align);
void wl_floor_free(struct kvalab *kv, const void *addr);
void *wl_floor_map(struct kvalab *kv, struct page **pages,
		   unsigned int count);
void wl_floor_unmap(struct kvalab *kv, const void *addr, unsigned int count);
void *wl_floor_realloc(struct kvalab *kv, const void *addr,
		       unsigned long size);
void wl_floor_reset(void);

/*
 * Why a backend without @aligned skips a case, as printed: the kernel
 * exports __vmalloc_node() only when built with CONFIG_TEST_VMALLOC=m.
 */
#define WL_SKIP_UNALIGNED	"no_exported_aligned_vmalloc"
#define WL_SKIP_FLOOR_ALIGN	"floor_places_no_alignment"
/*
 * Why kvalab and the floor skip no_block_alloc_test: their allocations
 * sleep (see wl_backends.c). The vmalloc backend's reasons are the
 * kernel's (compat.h).
 */
#define WL_SKIP_KVALAB_NOWAIT	"kvalab_alloc_may_sleep"
#define WL_SKIP_FLOOR_NOWAIT	"floor_alloc_may_sleep"

/* ---------------------------------------------------------------------- */
/* Cases (wl_cases.c)                                                      */

/* A call beyond alloc/free and map/unmap that a case makes. */
enum wl_need {
	WL_NEED_NONE,
	WL_NEED_NOWAIT,		/* wl_backend.alloc_nowait */
	WL_NEED_REALLOC,	/* wl_backend.realloc */
};

/* A case's size that the run gives (pages=), not its row. */
#define WL_RUN_PAGES		(~0UL)
/* test_vmalloc's full_fit list: lazy_max_pages(), as it computes it. */
#define WL_LIST_LAZY		(~0UL)

struct wl_run;

/*
 * One case of test_vmalloc's table, the whole of it but its name, which is
 * kvalab_workload_names[@bit] (<kvalab/workloads.h>, shared with the
 * parser and the CLI), and its line in the run_test_mask parameter's
 * description (wl_run.c). @fn is what every worker of a unit runs; it
 * takes its sizes from here (w->c), so they are written once. The cases
 * that allocate and free one area per operation share one @fn, which
 * takes operation i's size and alignment from @draw and writes the area's
 * first byte where test_vmalloc does (@touch).
 *
 * Sizes, in pages (WL_RUN_PAGES: the run's pages=): @pages is the loop's
 * area, the largest one where the sizes are drawn at random; @pages2 a
 * second area the loop holds at the same time (0: none); @align the largest
 * alignment it asks for, in bytes (0: none: every backend can run it, else
 * only the wl_backend.aligned ones); @noguard: the area is a vm_map_ram()
 * mapping, which has no guard page. @count: operations per repeat fixed by
 * test_vmalloc whatever loops= says (0: loops=). A case that builds a list
 * before its loop has @list_areas one-page areas per entry, and
 * test_vmalloc's @list_len entries (WL_LIST_LAZY: lazy_max_pages()) or, on
 * a slice or in RAM too small for them, fewer (wl_size_lists()), which the
 * results say (the `list` line). From these wl_case_va_need() derives what
 * a worker holds. @kernel_only, if set, is why a backend that is not
 * wl_backend.kernel skips the case (one word); a backend without the call
 * @need names skips it too. The expected failure and the case that may
 * fail are <kvalab/workloads.h>'s masks.
 */
struct wl_case {
	unsigned int bit;
	int (*fn)(struct wl_worker *w);
	void (*draw)(struct wl_worker *w, unsigned int i, unsigned long *size,
		     unsigned long *align);
	bool touch;
	unsigned long pages;
	unsigned long pages2;
	unsigned long align;
	bool noguard;
	unsigned int count;
	unsigned int list_areas;
	unsigned long list_len;
	const char *kernel_only;
	enum wl_need need;
};

/* Every case kvalab has, in bit order. */
extern const struct wl_case wl_cases[];
extern const unsigned int wl_nr_cases;

/* The most VA one worker of @c holds at a time on a kvalab backend. */
unsigned long wl_case_va_need(const struct wl_case *c, const struct wl_run *run);
/* The pages (RAM) its loop's areas hold at a time, guards left out. */
unsigned long wl_case_loop_pages(const struct wl_case *c,
				 const struct wl_run *run);
/* test_vmalloc's length of @c's list (0: the case builds none). */
unsigned long wl_case_list_tv(const struct wl_case *c);

static inline const char *wl_case_name(const struct wl_case *c)
{
	return kvalab_workload_names[c->bit];
}

static inline bool wl_case_xfail(const struct wl_case *c)
{
	return BIT(c->bit) & KVALAB_WORKLOAD_XFAIL;
}

static inline bool wl_case_mayfail(const struct wl_case *c)
{
	return BIT(c->bit) & KVALAB_WORKLOAD_MAYFAIL;
}

/* Why @backend skips case @c, or NULL if it runs it. */
static inline const char *wl_skip_reason(const struct wl_case *c,
					 unsigned int backend)
{
	const struct wl_backend *be = wl_backend(backend);

	if (c->kernel_only && !be->kernel)
		return c->kernel_only;
	if (c->align && !be->aligned)
		return be->skip_why;
	if (c->need == WL_NEED_NOWAIT && !be->alloc_nowait)
		return be->nowait_why;
	if (c->need == WL_NEED_REALLOC && !be->realloc)
		return be->realloc_why;
	return NULL;
}

static inline bool wl_skips(const struct wl_case *c, unsigned int backend)
{
	return wl_skip_reason(c, backend);
}

/* ---------------------------------------------------------------------- */
/* Run state (wl_run.c)                                                    */

/* A run's parameters, resolved; constant while the run goes on. */
struct wl_run {
	unsigned int mask;
	unsigned int threads;
	unsigned int loops;
	unsigned int repeat;
	unsigned int nr_pages;
	/* Backend ids in the order given; baseline is one of them. */
	unsigned int nr_backends;
	unsigned int backends[KVALAB_RUN_MAX_BACKENDS];
	unsigned int baseline;
	bool sequential;
	/*
	 * By case bit, for the cases with a list (wl_case.list_areas; 0 for
	 * the others): @list, the entries each worker builds, and @list_tv,
	 * test_vmalloc's, which @list is shorter than where the slice or RAM
	 * cannot hold them (wl_size_lists()).
	 */
	unsigned long list[KVALAB_NR_WORKLOAD_BITS];
	unsigned long list_tv[KVALAB_NR_WORKLOAD_BITS];
	u64 seed;
	/*
	 * Per-operation timing (the op_latency parameter when the run
	 * started) and what one local_clock() call cost then; every
	 * frag_every operations of worker 0 a kvalab backend samples the
	 * fragmentation figures (see wl_op_done() in wl_cases.c).
	 */
	bool latency;
	u64 clock_ns;
	/* Workers bound to their CPUs (the pin_workers parameter then). */
	bool pin;
	u64 frag_every;
	/* Indexes into wl_cases[], in the order they run. */
	unsigned int order[KVALAB_NR_WORKLOAD_BITS];
	unsigned int nr_cases;
};

/* Most fragmentation samples per case and backend. */
#define WL_FRAG_SAMPLES		100

/* The slice's fragmentation after operation @op of worker 0. */
struct wl_frag_sample {
	u64 op;
	unsigned long free_bytes;
	unsigned long nr_free;
	unsigned long largest_free;
	u32 ext_frag_e4;
	u32 frag_rss_e4;
};

struct wl_suite;

/*
 * One worker of one unit. The controller fills the inputs before waking
 * the thread and reads the outputs after the unit's all_done completion.
 */
struct wl_worker {
	/* inputs */
	struct task_struct *task;
	struct wl_suite *s;
	struct kvalab *kv;
	const struct wl_run *run;
	const struct wl_backend *be;
	const struct wl_case *c;
	struct rnd_state rnd;
	/* outputs */
	int ret;		/* 0, -EINTR (stopped) or a failure */
	const char *reason;	/* why it failed, one word */
	u64 t0;
	u64 loop_ns;		/* time in the measured loop */
	u64 iters;		/* iterations of the measured loop */
	u64 total_ns;		/* time in the whole case */
	unsigned int enomem;	/* alloc/map calls that returned NULL */
	/*
	 * Per-op latency, while @timing (the measured loop of a run with
	 * latency on): alloc and map calls, free and unmap calls.
	 */
	bool timing;
	struct kvalab_lat_hist lat_alloc;
	struct kvalab_lat_hist lat_free;
	/*
	 * Fragmentation sampling (worker 0 of a kvalab backend only, else
	 * @frag is NULL): operations of this case and backend so far
	 * (@op, starting at repeat * loops), the samples' array and count
	 * (the result's), and the time sampling took, which the measured
	 * loop's time leaves out.
	 */
	struct wl_frag_sample *frag;
	unsigned int *nr_frag;
	u64 op;
	u64 frag_ns;
	/*
	 * The breakdown counters of the worker's CPU over its measured loop
	 * (wl_phases_start/stop()): @ph_ok if they were on all along.
	 */
	bool ph_ok;
	struct kvalab_phase_stats ph;
};

/* The outcomes, by <kvalab/status.h>'s list (shared with the CLI). */
enum wl_status {
	WL_NOT_RUN = KVALAB_ST_NONE,
	WL_PASS = KVALAB_ST_PASS,
	WL_FAIL = KVALAB_ST_FAIL,
	WL_XFAIL = KVALAB_ST_XFAIL,
	WL_XPASS = KVALAB_ST_XPASS,
	WL_SKIP = KVALAB_ST_SKIP,
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
	u64 enomem;			/* NULL allocs over every worker */
	/* kvalab backends: the slice after this backend's last unit. */
	bool has_space;
	unsigned long nr_free;
	unsigned long largest_free;
	u64 *samples;
	unsigned int nr_samples;
	u64 median, p99, min, max;
	/* Per-op latency over every worker (run->latency only). */
	struct kvalab_lat_hist lat_alloc;
	struct kvalab_lat_hist lat_free;
	/* kvalab backends: the purges during this backend's units. */
	struct kvalab_purge_lat purge;
	/* kvalab backends: WL_FRAG_SAMPLES entries, nr_frag used. */
	struct wl_frag_sample *frag;
	unsigned int nr_frag;
	/*
	 * The breakdown counters over the measured loops of every worker
	 * and repeat, and those loops' iterations (@ph_ops, 0 if the
	 * counters were off or workers shared a CPU in any unit).
	 */
	bool ph_bad;
	u64 ph_ops;
	struct kvalab_phase_stats ph;
};

enum wl_state { WL_IDLE, WL_RUNNING, WL_DONE, WL_STOPPED, WL_FAILED };

/*
 * The suite, one per module instance: kv->wl, allocated by
 * kvalab_workloads_init() and freed by kvalab_workloads_exit(). Lock
 * order: run_lock, then lock. The controller takes only @lock, and never
 * while a unit runs, so stop() can wait for it while holding run_lock, and
 * the `results` listing, which copies what it prints under @lock, waits
 * only for bookkeeping.
 */
struct wl_suite {
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
	/* By case bit and backend id. */
	struct wl_result res[KVALAB_NR_WORKLOAD_BITS][KVALAB_NR_BACKENDS];

	/* Unit machinery, used by the controller only (no lock). */
	struct wl_worker *workers;
	bool cancel;			/* unit could not start all workers */
	struct completion go;		/* releases a unit's workers together */
	struct completion all_done;	/* the last worker finished */
	atomic_t undone;
	/*
	 * The slice's policy when the run started (the `kvalab` backend's)
	 * and the one it has now; the controller only (no lock).
	 */
	enum kva_policy_id start_policy;
	enum kva_policy_id cur_policy;
	/* The result whose samples the running unit's worker 0 takes. */
	struct wl_result *frag;
};

/* Each worker's only way out of a loop early, and its scheduling point. */
bool wl_stop_point(const struct wl_worker *w);

/*
 * Resolve @p against the module parameters into @run (wl_run.c); shared
 * with the results listing, which shows a bare run's defaults while idle.
 */
int wl_resolve(const struct kvalab_run_params *p, struct kvalab *kv,
	       struct wl_run *run, char *why, size_t len);

/* ---------------------------------------------------------------------- */
/* Statistics (wl_stats.c); "under lock": the caller holds s->lock.        */

int wl_alloc_results(const struct wl_run *run,
		     struct wl_result res[][KVALAB_NR_BACKENDS]);
void wl_free_results(struct wl_result res[][KVALAB_NR_BACKENDS]);
/* Around a worker's measured loop: its CPU's phase counters. */
void wl_phases_start(struct wl_worker *w);
void wl_phases_stop(struct wl_worker *w);
/* Fold the workers' outcome of one unit into @res (under lock). */
void wl_record_unit(struct wl_suite *s, struct wl_result *res, bool started,
		    const char *why);
/* Add a unit's workers' phase counters to @res (under lock). */
void wl_record_phases(const struct wl_suite *s, struct wl_result *res);
/* Add a kvalab backend unit's purges to @res (under lock). */
void wl_record_purges(struct wl_result *res,
		      const struct kvalab_purge_lat *purge);
/* Every repeat of @c ran on a backend: settle its status (under lock). */
void wl_finish_result(const struct wl_case *c, struct wl_result *res);
/* test_vmalloc's avg: one repeat of the whole case, in whole us. */
u64 wl_avg_us(const struct wl_result *res);
/* @num's median over @den's, in thousandths; false if undefined. */
bool wl_ratio(const struct wl_result *num, const struct wl_result *den,
	      u64 *whole, u32 *frac);

/* ---------------------------------------------------------------------- */
/* The results listing and the kernel log (wl_results.c)                   */

/*
 * The `list` lines of @run's cases that build a list (to @m, or to the
 * kernel log when @m is NULL), and the Summary lines of case @c's finished
 * results (@row: @c's results by backend id), to the kernel log.
 */
void wl_print_lists(struct seq_file *m, const struct wl_run *run);
void wl_log_summaries(const struct wl_run *run, const struct wl_case *c,
		      const struct wl_result *row);
extern const char *const wl_state_names[];

#endif /* _KVALAB_MODULE_WL_H */
