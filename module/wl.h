/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload suite's internals, shared by its four parts:
 *   wl_cases.c    lib/test_vmalloc.c's cases, one table (wl_cases[])
 *   wl_backends.c the allocators a case runs on, by <kvalab/backends.h> id
 *   wl_run.c      parameters, the controller and its worker kthreads
 *   wl_results.c  statistics of finished units and the `results` file
 * Public entry points: workloads.h.
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

#include "breakdown.h"
#include "latency.h"

struct kvalab;
struct page;
struct seq_file;
struct task_struct;
struct kvalab_run_params;
struct wl_worker;

/* ---------------------------------------------------------------------- */
/* Backends (wl_backends.c)                                                */

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
unsigned long wl_floor_flushes(void);

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

/*
 * One case of test_vmalloc's table, by its mask bit (the name comes from
 * kvalab_workload_names[bit]). @aligned cases ask for alignments; the
 * expected failure is KVALAB_WORKLOAD_XFAIL, the one that may fail
 * KVALAB_WORKLOAD_MAYFAIL. @kernel_only, if set, is why a backend that is
 * not wl_backend.kernel skips the case (one word). A backend without the
 * call @need names skips the case too.
 */
struct wl_case {
	unsigned int bit;
	int (*fn)(struct wl_worker *w);
	bool aligned;
	const char *kernel_only;
	enum wl_need need;
};

extern const struct wl_case wl_cases[];
extern const unsigned int wl_nr_cases;

struct wl_run;
unsigned long wl_case_va_need(const struct wl_case *c, const struct wl_run *run);

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
	if (c->aligned && !be->aligned)
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
	unsigned long busy_count;	/* long_busy_list: areas per worker */
	unsigned long junk_length;	/* full_fit: area pairs per worker */
	u64 seed;
	/*
	 * Per-operation timing (the op_latency parameter when the run
	 * started) and what one local_clock() call cost then; every
	 * frag_every operations of worker 0 a kvalab backend samples the
	 * fragmentation figures (see wl_frag_every() in wl_run.c).
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

/* Around a worker's measured loop (wl_backends.c). */
void wl_phases_start(struct wl_worker *w);
void wl_phases_stop(struct wl_worker *w);

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
 * The suite. Lock order: run_lock, then lock. The controller takes only
 * @lock, and never while a unit runs, so stop() can wait for it while
 * holding run_lock and readers of `results` wait only for bookkeeping.
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

extern struct wl_suite wl_suite;

/* Each worker's only way out of a loop early, and its scheduling point. */
bool wl_stop_point(void);

/*
 * Resolve @p against the module parameters into @run (wl_run.c); shared
 * with the results file, which shows a bare run's defaults while idle.
 */
int wl_resolve(const struct kvalab_run_params *p, struct kvalab *kv,
	       struct wl_run *run, char *why, size_t len);

/* ---------------------------------------------------------------------- */
/* Results (wl_results.c); the caller holds wl_suite.lock where noted.     */

int wl_alloc_results(const struct wl_run *run,
		     struct wl_result res[][KVALAB_NR_BACKENDS]);
void wl_free_results(struct wl_result res[][KVALAB_NR_BACKENDS]);
/* Fold the workers' outcome of one unit into @res (under lock). */
void wl_record_unit(struct wl_suite *s, struct wl_result *res, bool started,
		    const char *why);
/* Add a unit's workers' phase counters to @res (wl_backends.c; lock). */
void wl_record_phases(const struct wl_suite *s, struct wl_result *res);
/* Add a kvalab backend unit's purges to @res (under lock). */
void wl_record_purges(struct wl_result *res,
		      const struct kvalab_purge_lat *purge);
/* Every repeat of @c ran on a backend: settle its status (under lock). */
void wl_finish_result(const struct wl_case *c, struct wl_result *res);
/* Summary lines of every finished result, to @m or dmesg (under lock). */
void wl_summaries(struct seq_file *m, const struct wl_suite *s);
extern const char *const wl_state_names[];

#endif /* _KVALAB_MODULE_WL_H */
