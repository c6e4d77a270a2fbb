/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload suite, module/workloads/: lib/test_vmalloc.c's cases run
 * against a list of backends (<kvalab/backends.h>: the kernel's own vmalloc,
 * kvalab under the active policy, kvalab under a named policy, the floor)
 * in the same invocation, so that their costs can be compared. One suite
 * per module instance, kv->wl. This is the package's interface for the rest
 * of the module and for debugfs/; its parts and their private header:
 * wl.h.
 *
 * Life of a run: kvalab_workloads_start() checks the parameters and starts a
 * controller kthread, which runs every selected case, repeat and backend in
 * turn on nr_threads pinned worker kthreads and records the timings; the
 * `results` file shows them as they come in (format: docs/debugfs.md).
 * State: idle -> running -> done | stopped | failed, where failed means that
 * at least one case ended with status fail or xpass.
 *
 * Locking: all five entry points sleep. None may be called with the suite's
 * own locks held (nothing outside module/workloads/ can hold them).
 */
#ifndef _KVALAB_MODULE_WORKLOADS_H
#define _KVALAB_MODULE_WORKLOADS_H

#include <linux/types.h>

struct kvalab;
struct seq_file;
struct kvalab_run_params;

/*
 * Make @kv's suite (kv->wl): 0, or -ENOMEM. Call once @kv is fully set up,
 * before the results file is created.
 */
int kvalab_workloads_init(struct kvalab *kv);

/*
 * Stop a run in progress and wait for every thread of it to exit, then free
 * the results and the suite. Call before tearing @kv down, after removing
 * the results file; nothing to do if init failed or never ran. Bounded:
 * workers test the stop flag on every loop iteration.
 */
void kvalab_workloads_exit(struct kvalab *kv);

/*
 * Start a run with @p (zero fields take the module parameters' values;
 * sequential=1 in either place gives sequential order). Returns at once:
 * 0 when the controller thread is started, -EBUSY when a run is already in
 * progress, -EINVAL for parameters out of range, -ENOMEM; on error a reason
 * is written to @why (@len bytes, NUL-terminated).
 */
int kvalab_workloads_start(struct kvalab *kv, const struct kvalab_run_params *p,
			   char *why, size_t len);

/*
 * Interrupt the run in progress and wait until its controller and workers
 * have exited; the results keep what finished, with state "stopped".
 * Nothing to do when nothing is running (stop is idempotent, so a run that
 * ends on its own just before `stop` is not an error).
 */
void kvalab_workloads_stop(struct kvalab *kv);

/*
 * seq_file show function of the `results` file (single_open; m->private
 * is the struct kvalab). Never waits for a test to finish: it takes the
 * results mutex, which the controller holds for bookkeeping, never while a
 * case runs, only to copy the results, and prints the copy.
 */
int kvalab_workloads_show(struct seq_file *m, void *v);

#endif /* _KVALAB_MODULE_WORKLOADS_H */
