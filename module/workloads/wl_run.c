// SPDX-License-Identifier: GPL-2.0
/*
 * The workload run controller: resolving a run's parameters, one
 * controller kthread per run, and its worker kthreads (see workloads.h).
 *
 * For every selected case (in table order, or shuffled) and every repeat,
 * the controller runs one "unit" per backend: nr_threads fresh worker
 * kthreads, each bound to a CPU (pin_workers, by default), released
 * together by one completion,
 * each running the case once. Backends take turns inside a repeat and
 * their order rotates by one every repeat (repeat r starts with the run's
 * backend r mod n), so drift over a run and first-runner effects fall on
 * all of them alike; with two backends that is the old alternation.
 *
 * All workers run the same case at the same time (test_vmalloc shuffles
 * per worker), so that each backend is measured under the same load.
 *
 * Policies: the `kvalab` backend runs under the policy the slice had when
 * the run started; before a unit of kvalab:<policy> the controller switches
 * the slice to that policy (and back for `kvalab`), and when the run ends,
 * is stopped or fails it restores the starting policy. Only the controller
 * switches while a run is in progress (the `policy` command is refused
 * then), so it knows the active policy without asking.
 */

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <kvalab/cmd.h>
#include <kvalab/workloads.h>

#include "../kvalab.h"
#include "workloads.h"
#include "wl.h"

/*
 * Defaults sized for TCG, where one 1-page vmalloc + vfree costs ~20 us and
 * random_size_alloc_test and long_busy_list_alloc_test cost ~50-100 times
 * that per iteration: a full run of every case on two backends, 2 workers,
 * took 41 s (6.1) and 34 s (6.12) there. test_vmalloc's own default of
 * 1000000 loops is for real hardware; pass test_loop_count= to match it.
 */
#define WL_DEF_LOOPS		1000
#define WL_DEF_REPEAT		5

/*
 * Bounds of a run. Samples are kept per (repeat, worker), so repeat times
 * threads bounds the sample arrays (128 KiB per case and backend, 8 MiB
 * over every case and all KVALAB_NR_BACKENDS backends).
 */
#define WL_MAX_REPEAT		256
#define WL_MAX_LOOPS		100000000U
#define WL_MAX_PAGES		65536U

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
		 "Pages for fix_size_alloc_test, vm_map_ram_test and no_block_alloc_test (0: 1)");

static int run_test_mask = KVALAB_WORKLOAD_ALL;
module_param(run_test_mask, int, 0644);
MODULE_PARM_DESC(run_test_mask,
		 "Cases to run, test_vmalloc's bits:\n"
		 "\t\tid: 1,    name: fix_size_alloc_test\n"
		 "\t\tid: 2,    name: full_fit_alloc_test\n"
		 "\t\tid: 4,    name: long_busy_list_alloc_test\n"
		 "\t\tid: 8,    name: random_size_alloc_test\n"
		 "\t\tid: 16,   name: fix_align_alloc_test\n"
		 "\t\tid: 32,   name: random_size_align_alloc_test\n"
		 "\t\tid: 64,   name: align_shift_alloc_test (expected to fail)\n"
		 "\t\tid: 128,  name: pcpu_alloc_test\n"
		 "\t\tid: 256,  name: kvfree_rcu_1_arg_vmalloc_test\n"
		 "\t\tid: 512,  name: kvfree_rcu_2_arg_vmalloc_test\n"
		 "\t\tid: 1024, name: vm_map_ram_test\n"
		 "\t\tid: 2048, name: no_block_alloc_test (may fail)\n"
		 "\t\tid: 4096, name: vrealloc_test\n");

static bool op_latency = true;
module_param(op_latency, bool, 0644);
MODULE_PARM_DESC(op_latency,
		 "Time every alloc and free of a run's measured loops (latency histograms; costs two local_clock() calls per op)");

/*
 * test_vmalloc leaves its workers to the scheduler; kvalab pins worker t to
 * online CPU t mod n by default, so every backend's units see the same
 * placement. Where a thread runs changes timings several-fold under TCG
 * (pcpu_alloc_test: 1.4 s pinned to CPU 0, 4.1 s on CPU 1, 13 s floating,
 * one boot of the perf kernel), so comparisons with test_vmalloc.ko
 * (docs/oracle.md) unpin them.
 */
static bool pin_workers = true;
module_param(pin_workers, bool, 0644);
MODULE_PARM_DESC(pin_workers,
		 "Pin worker t of a run to online CPU t mod n (0: leave them to the scheduler, as test_vmalloc does)");

/* local_clock() calls averaged to measure its cost at each run's start. */
#define WL_CLOCK_PROBE		1000

bool wl_stop_point(const struct wl_worker *w)
{
	cond_resched();
	return READ_ONCE(w->s->stop);
}

static int wl_worker_fn(void *data)
{
	struct wl_worker *w = data;
	struct wl_suite *s = w->s;
	u64 t0;

	wait_for_completion(&s->go);
	if (!READ_ONCE(s->cancel)) {
		t0 = ktime_get_ns();
		w->ret = w->c->fn(w);
		w->total_ns = ktime_get_ns() - t0;
	}
	if (atomic_dec_and_test(&s->undone))
		complete(&s->all_done);

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
		w->s = s;
		w->kv = s->kv;
		w->run = run;
		w->be = wl_backend(b);
		w->c = c;
		w->ret = -ECANCELED;
		/* Worker 0 of a kvalab backend samples fragmentation. */
		if (!t && s->frag) {
			w->frag = s->frag->frag;
			w->nr_frag = &s->frag->nr_frag;
			w->op = (u64)r * run->loops;
		}
		/* Same seed for every backend: same request sequence. */
		prandom_seed_state(&w->rnd, run->seed + ((u64)c->bit << 48) +
				   ((u64)r << 16) + t);

		task = kthread_create(wl_worker_fn, w, "kvalab_wl/%u", t);
		if (IS_ERR(task)) {
			started = false;
			break;
		}
		cpu = wl_worker_cpu(t);
		if (run->pin && cpu < nr_cpu_ids)
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

/* Make the slice's policy @id, if it is not already. 0 or -errno. */
static int wl_set_policy(struct wl_suite *s, enum kva_policy_id id)
{
	int old;

	if (id == s->cur_policy)
		return 0;
	old = kvalab_switch_policy(s->kv, id);
	if (old < 0)
		return old;
	s->cur_policy = id;
	return 0;
}

/* Put the slice under the policy backend @b measures. 0 or -errno. */
static int wl_use_backend(struct wl_suite *s, unsigned int b)
{
	int p = kvalab_backend_policy(b);

	if (!kvalab_backend_is_kvalab(b))
		return 0;
	return wl_set_policy(s, p < 0 ? s->start_policy :
			     (enum kva_policy_id)p);
}

/* The slice as a kvalab backend's unit left it (under s->lock). */
static void wl_record_space(struct wl_suite *s, struct wl_result *res,
			    unsigned int b)
{
	if (!kvalab_backend_is_kvalab(b))
		return;
	res->has_space = true;
	res->nr_free = READ_ONCE(s->kv->space.nr_free);
	res->largest_free = kvalab_largest_free(s->kv);
}

static void wl_run_case(struct wl_suite *s, const struct wl_case *c)
{
	const struct wl_run *run = &s->run;
	struct wl_result *res = s->res[c->bit];
	unsigned int r, k, b, n = run->nr_backends;
	const char *why = NULL;
	struct kvalab_purge_lat purge;
	bool started;

	mutex_lock(&s->lock);
	for (k = 0; k < n; k++) {
		b = run->backends[k];
		if (!wl_skips(c, b))
			continue;
		res[b].status = WL_SKIP;
		res[b].reason = wl_skip_reason(c, b);
		res[b].finished = true;
		s->done += run->repeat;
	}
	mutex_unlock(&s->lock);

	for (r = 0; r < run->repeat; r++) {
		for (k = 0; k < n; k++) {
			/* Repeat r starts with backend r mod n. */
			b = run->backends[(k + r) % n];
			if (res[b].finished)
				continue;
			if (READ_ONCE(s->stop) || kthread_should_stop())
				return;
			started = !wl_use_backend(s, b);
			/*
			 * The purges of a kvalab backend's unit: drop what
			 * came before, take what the unit (and its vblock
			 * drain) did after it.
			 */
			s->frag = kvalab_backend_is_kvalab(b) &&
				  res[b].frag ? &res[b] : NULL;
			if (started && kvalab_backend_is_kvalab(b))
				kvalab_purge_lat_take(s->kv, NULL);
			/* A floor unit starts from an empty range. */
			if (started && b == KVALAB_BE_FLOOR)
				wl_floor_reset();
			if (started)
				started = wl_run_unit(s, c, b, r);
			else
				why = "policy_switch_failed";
			if (!started && !why)
				why = "kthread_create_failed";
			if (started && kvalab_backend_is_kvalab(b))
				kvalab_purge_lat_take(s->kv, &purge);
			mutex_lock(&s->lock);
			wl_record_unit(s, &res[b], started, why);
			if (started)
				wl_record_phases(s, &res[b]);
			wl_record_space(s, &res[b], b);
			if (started && kvalab_backend_is_kvalab(b))
				wl_record_purges(&res[b], &purge);
			mutex_unlock(&s->lock);
			s->frag = NULL;
			why = NULL;
		}
	}

	if (READ_ONCE(s->stop))
		return;
	mutex_lock(&s->lock);
	for (k = 0; k < n; k++) {
		b = run->backends[k];
		if (!res[b].finished)
			wl_finish_result(c, &res[b]);
	}
	/* test_vmalloc's Summary lines, to the kernel log, as cases end. */
	wl_log_summaries(run, c, res);
	mutex_unlock(&s->lock);
}

static int wl_controller(void *data)
{
	struct wl_suite *s = data;
	enum wl_state end = WL_DONE;
	const struct wl_result *res;
	unsigned int i, b;
	int err;

	s->start_policy = kvalab_policy(s->kv);
	s->cur_policy = s->start_policy;
	for (i = 0; i < s->run.nr_cases; i++) {
		if (READ_ONCE(s->stop) || kthread_should_stop())
			break;
		wl_run_case(s, &wl_cases[s->run.order[i]]);
	}
	/* Done, stopped or failed: the slice gets its policy back. */
	err = wl_set_policy(s, s->start_policy);
	if (err)
		pr_warn("workloads: cannot restore policy %s: %d\n",
			kva_policy_names[s->start_policy], err);

	mutex_lock(&s->lock);
	for (i = 0; i < KVALAB_NR_WORKLOAD_BITS; i++) {
		for (b = 0; b < KVALAB_NR_BACKENDS; b++) {
			res = &s->res[i][b];
			if (res->status == WL_FAIL || res->status == WL_XPASS)
				end = WL_FAILED;
		}
	}
	if (err)
		end = WL_FAILED;
	if (READ_ONCE(s->stop) || kthread_should_stop())
		end = WL_STOPPED;
	WRITE_ONCE(s->state, end);
	/* Leaving WL_RUNNING, under s->lock, is what ends the claim. */
	kvalab_release(s->kv, KVALAB_HOLD_RUN);
	mutex_unlock(&s->lock);
	pr_info("workloads: run %s\n", wl_state_names[end]);
	return 0;
}

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
 * The per-worker lists of the cases that build one (full_fit,
 * long_busy_list), the same for every backend: test_vmalloc's length, or
 * shorter where the slice or RAM cannot hold it (the results' `list` lines
 * say so). Each worker may use a 1/(2 * threads) share of the slice's VA
 * (the other half leaves room for lazy areas and the user's own) and a
 * 1/(8 * threads) share of RAM, less what its loop holds at a time
 * (wl_case_va_need(), wl_case_loop_pages()). A list entry is
 * wl_case.list_areas one-page areas, each two pages of VA (the guard) and
 * one of RAM.
 */
static void wl_size_lists(struct wl_run *run, const struct kvalab *kv)
{
	unsigned long va = wl_slice_pages(kv) / 2 / run->threads;
	unsigned long ram = totalram_pages() / 8 / run->threads;
	unsigned long loop_va, loop_ram, tv;
	const struct wl_case *c;
	unsigned int i;

	for (i = 0; i < wl_nr_cases; i++) {
		c = &wl_cases[i];
		if (!c->list_areas)
			continue;
		tv = wl_case_list_tv(c);
		loop_va = wl_case_va_need(c, run) >> PAGE_SHIFT;
		loop_ram = wl_case_loop_pages(c, run);
		run->list_tv[c->bit] = tv;
		run->list[c->bit] =
			min3(tv,
			     va > loop_va ? (va - loop_va) / (2 * c->list_areas) : 0,
			     ram > loop_ram ? (ram - loop_ram) / c->list_areas : 0);
	}
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

/*
 * The backends of @p into @run: each a known id at most once, the
 * baseline one of them; nr_backends 0 takes the default.
 */
static int wl_resolve_backends(const struct kvalab_run_params *p,
			       struct wl_run *run, char *why, size_t len)
{
	struct kvalab_run_params def = {};
	unsigned int i, j;
	bool baseline = false;

	if (!p->nr_backends) {
		kvalab_run_default_backends(&def);
		p = &def;
	}
	if (p->nr_backends > KVALAB_RUN_MAX_BACKENDS) {
		snprintf(why, len, "%u backends is more than %u",
			 p->nr_backends, KVALAB_RUN_MAX_BACKENDS);
		return -EINVAL;
	}
	for (i = 0; i < p->nr_backends; i++) {
		if (p->backends[i] >= KVALAB_NR_BACKENDS) {
			snprintf(why, len, "unknown backend id %u",
				 p->backends[i]);
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (p->backends[j] == p->backends[i]) {
				snprintf(why, len, "backend %s given twice",
					 kvalab_backend_name(p->backends[i]));
				return -EINVAL;
			}
		}
		run->backends[i] = p->backends[i];
		baseline |= p->backends[i] == p->baseline;
	}
	if (!baseline) {
		snprintf(why, len, "baseline id %u is not one of the run's backends",
			 p->baseline);
		return -EINVAL;
	}
	run->nr_backends = p->nr_backends;
	run->baseline = p->baseline;
	return 0;
}

/*
 * Refuse up front a run one of whose cases cannot fit the slice on the
 * kvalab backends: its threads together would hold more VA than the
 * slice has, so the case could only end in no_va_in_slice. The reason
 * names the first such case and the smallest slice, in whole MiB, that
 * holds every selected case.
 */
static int wl_check_fit(const struct wl_run *run, const struct kvalab *kv,
			char *why, size_t len)
{
	unsigned long slice = kv->space.end - kv->space.start;
	unsigned long need, bad_need = 0, most = 0;
	const struct wl_case *bad = NULL;
	unsigned int i;

	for (i = 0; i < run->nr_cases; i++) {
		const struct wl_case *c = &wl_cases[run->order[i]];

		if (check_mul_overflow(wl_case_va_need(c, run),
				       (unsigned long)run->threads, &need))
			need = ULONG_MAX;
		if (need > slice && !bad) {
			bad = c;
			bad_need = need;
		}
		most = max(most, need);
	}
	if (!bad)
		return 0;
	snprintf(why, len,
		 "%s needs %lu bytes of VA with %u threads; the slice has %lu: load with slice_size=%luM or more",
		 wl_case_name(bad), bad_need, run->threads, slice,
		 DIV_ROUND_UP(most, SZ_1M));
	return -E2BIG;
}

int wl_resolve(const struct kvalab_run_params *p, struct kvalab *kv,
	       struct wl_run *run, char *why, size_t len)
{
	bool in_slice = false;	/* a backend allocates from the slice */
	unsigned int i;
	int ret;

	memset(run, 0, sizeof(*run));
	run->mask = p->mask ? p->mask :
		(unsigned int)READ_ONCE(run_test_mask) & KVALAB_WORKLOAD_ALL;
	run->threads = wl_param(p->nr_threads, READ_ONCE(nr_threads),
				num_online_cpus());
	run->loops = wl_param(p->loops, READ_ONCE(test_loop_count), 1);
	run->repeat = wl_param(p->repeat, READ_ONCE(test_repeat_count), 1);
	run->nr_pages = wl_param(p->nr_pages, READ_ONCE(nr_pages), 1);
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
	ret = wl_resolve_backends(p, run, why, len);
	if (ret)
		return ret;
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
	for (i = 0; i < run->nr_backends; i++)
		in_slice |= kvalab_backend_is_kvalab(run->backends[i]);
	/* Every worker holds one area of nr_pages plus a guard at a time. */
	if (in_slice &&
	    (u64)(run->nr_pages + 1) * run->threads > wl_slice_pages(kv)) {
		snprintf(why, len,
			 "pages %u for %u threads do not fit the %lu-page slice",
			 run->nr_pages, run->threads, wl_slice_pages(kv));
		return -EINVAL;
	}

	for (i = 0; i < wl_nr_cases; i++)
		if (run->mask & BIT(wl_cases[i].bit))
			run->order[run->nr_cases++] = i;
	if (in_slice) {
		ret = wl_check_fit(run, kv, why, len);
		if (ret)
			return ret;
	}
	if (!run->sequential)
		wl_shuffle(run->order, run->nr_cases);
	wl_size_lists(run, kv);
	run->latency = READ_ONCE(op_latency);
	run->pin = READ_ONCE(pin_workers);
	run->clock_ns = kvalab_clock_cost_ns(WL_CLOCK_PROBE);
	/* About WL_FRAG_SAMPLES samples over loops * repeat operations. */
	run->frag_every = DIV_ROUND_UP((u64)run->loops * run->repeat,
				       WL_FRAG_SAMPLES);
	run->frag_every = max_t(u64, run->frag_every, 1);
	run->seed = get_random_u64();
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
		 * state (nor switched a policy); settle it here.
		 */
		kthread_stop(s->task);
		put_task_struct(s->task);
		s->task = NULL;

		mutex_lock(&s->lock);
		if (s->state == WL_RUNNING) {
			WRITE_ONCE(s->state, WL_STOPPED);
			kvalab_release(s->kv, KVALAB_HOLD_RUN);
		}
		mutex_unlock(&s->lock);
	}
	/* No controller, so no unit: the workers' array is unused. */
	kvfree(s->workers);
	s->workers = NULL;
}

int kvalab_workloads_start(struct kvalab *kv, const struct kvalab_run_params *p,
			   char *why, size_t len)
{
	struct wl_result (*res)[KVALAB_NR_BACKENDS] = NULL;
	struct wl_suite *s = kv->wl;
	struct wl_worker *workers = NULL;
	struct task_struct *task;
	struct wl_run run;
	int ret;

	/*
	 * The claim is the run's from here until its state leaves
	 * WL_RUNNING (the controller's end, or wl_reap() of a controller
	 * that never ran); a start that fails before that releases it.
	 */
	ret = kvalab_claim(kv, KVALAB_HOLD_RUN, why, len);
	if (ret)
		return ret;
	mutex_lock(&s->run_lock);
	wl_reap(s);

	ret = wl_resolve(p, kv, &run, why, len);
	if (ret)
		goto out_release;

	ret = -ENOMEM;
	snprintf(why, len, "no memory for the run's results");
	workers = kvcalloc(run.threads, sizeof(*workers), GFP_KERNEL);
	res = kvcalloc(KVALAB_NR_WORKLOAD_BITS, sizeof(*res), GFP_KERNEL);
	if (!workers || !res)
		goto out_release;
	if (wl_alloc_results(&run, res))
		goto out_release;

	mutex_lock(&s->lock);
	wl_free_results(s->res);
	memcpy(s->res, res, sizeof(s->res));
	s->kv = kv;
	s->run = run;
	s->done = 0;
	s->total = run.nr_backends * run.nr_cases * run.repeat;
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
		goto out_release;
	}
	get_task_struct(task);
	s->task = task;
	wake_up_process(task);
	ret = 0;
	pr_info("workloads: run mask=0x%x threads=%u loops=%u repeat=%u pages=%u backends=%u\n",
		run.mask, run.threads, run.loops, run.repeat, run.nr_pages,
		run.nr_backends);
	wl_print_lists(NULL, &run);
	goto out;
out_release:
	kvalab_release(kv, KVALAB_HOLD_RUN);
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
	struct wl_suite *s = kv->wl;

	mutex_lock(&s->run_lock);
	if (s->task) {
		/* Workers see the flag; the controller also kthread_stop(). */
		WRITE_ONCE(s->stop, true);
		wl_reap(s);
	}
	mutex_unlock(&s->run_lock);
}

int kvalab_workloads_init(struct kvalab *kv)
{
	struct wl_suite *s = kvzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	mutex_init(&s->run_lock);
	mutex_init(&s->lock);
	init_completion(&s->go);
	init_completion(&s->all_done);
	s->kv = kv;
	s->state = WL_IDLE;
	kv->wl = s;
	return 0;
}

void kvalab_workloads_exit(struct kvalab *kv)
{
	struct wl_suite *s = kv->wl;

	if (!s)
		return;
	kvalab_workloads_stop(kv);
	mutex_lock(&s->run_lock);
	wl_reap(s);
	mutex_unlock(&s->run_lock);
	/* No controller and no results file (removed first): no reader. */
	wl_free_results(s->res);
	kv->wl = NULL;
	kvfree(s);
}
