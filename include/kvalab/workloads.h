/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workload cases, by the bit they have in lib/test_vmalloc.c's run_test_mask:
 * its whole table as of 6.1 (bits 1 to 512), vm_map_ram_test, which
 * test_vmalloc has since 6.2, no_block_alloc_test (since 6.19) and
 * vrealloc_test (since 7.2). pcpu_alloc_test and the kvfree_rcu cases
 * measure the kernel's per-CPU allocator and kvfree_rcu(), so only the
 * vmalloc backend runs them (module/workloads/wl_cases.c says why); the vmalloc
 * backend runs the two newest only on kernels that have what they call
 * (module/compat.h), and kvalab has no non-blocking allocation.
 * Shared by the module, the command parser and the CLI.
 */
#ifndef _KVALAB_WORKLOADS_H
#define _KVALAB_WORKLOADS_H

#define KVALAB_NR_WORKLOAD_BITS	13

static const char *const kvalab_workload_names[KVALAB_NR_WORKLOAD_BITS] = {
	"fix_size_alloc_test",		/* 1 */
	"full_fit_alloc_test",		/* 2 */
	"long_busy_list_alloc_test",	/* 4 */
	"random_size_alloc_test",	/* 8 */
	"fix_align_alloc_test",		/* 16 */
	"random_size_align_alloc_test",	/* 32 */
	"align_shift_alloc_test",	/* 64, expected to fail */
	"pcpu_alloc_test",		/* 128 */
	"kvfree_rcu_1_arg_vmalloc_test",	/* 256 */
	"kvfree_rcu_2_arg_vmalloc_test",	/* 512 */
	"vm_map_ram_test",		/* 1024, test_vmalloc since 6.2 */
	"no_block_alloc_test",		/* 2048, test_vmalloc since 6.19; may fail */
	"vrealloc_test",		/* 4096, test_vmalloc since 7.2 */
};

/*
 * Every case kvalab runs, and the cases of a run that names none (the
 * run_test_mask parameter's default): all of them, as test_vmalloc ran its
 * whole table by default (INT_MAX) until 2025. Its newer versions (7.3's,
 * for one) default to 7, the first three cases; kvalab keeps every case, and
 * a backend that cannot run one reports it as skipped with the reason.
 */
#define KVALAB_WORKLOAD_ALL	0x1fffU
/* The case that is expected to fail (reported as xfail; a pass is xpass). */
#define KVALAB_WORKLOAD_XFAIL	0x40U
/*
 * The case that may fail: a non-blocking allocation is allowed to find no
 * memory, so test_vmalloc counts its failure as xfailed and its success as
 * passed. A failure is reported as xfail, a pass as pass.
 */
#define KVALAB_WORKLOAD_MAYFAIL	0x800U

/* Upper bound of a run's threads=N: one pinned kthread each. */
#define KVALAB_RUN_MAX_THREADS	64

#endif /* _KVALAB_WORKLOADS_H */
