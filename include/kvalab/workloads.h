/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workload cases, by the bit they have in lib/test_vmalloc.c's run_test_mask.
 * Bits test_vmalloc has and kvalab does not run (pcpu_alloc_test and the
 * kvfree_rcu cases: they measure other allocators) are NULL here.
 * Shared by the module, the command parser and the CLI.
 */
#ifndef _KVALAB_WORKLOADS_H
#define _KVALAB_WORKLOADS_H

#define KVALAB_NR_WORKLOAD_BITS	11

static const char *const kvalab_workload_names[KVALAB_NR_WORKLOAD_BITS] = {
	"fix_size_alloc_test",		/* 1 */
	"full_fit_alloc_test",		/* 2 */
	"long_busy_list_alloc_test",	/* 4 */
	"random_size_alloc_test",	/* 8 */
	"fix_align_alloc_test",		/* 16 */
	"random_size_align_alloc_test",	/* 32 */
	"align_shift_alloc_test",	/* 64, expected to fail */
	NULL,				/* 128 pcpu_alloc_test */
	NULL,				/* 256 kvfree_rcu_1_arg */
	NULL,				/* 512 kvfree_rcu_2_arg */
	"vm_map_ram_test",		/* 1024 */
};

/* Every case kvalab runs. */
#define KVALAB_WORKLOAD_ALL	0x47fU
/* The case that is expected to fail (reported as xfail). */
#define KVALAB_WORKLOAD_XFAIL	0x40U

/* Upper bound of a run's threads=N: one pinned kthread each. */
#define KVALAB_RUN_MAX_THREADS	64

#endif /* _KVALAB_WORKLOADS_H */
