/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace environment in which module/core.c compiles unchanged, in
 * the manner of tools/testing/vma/vma_internal.h.
 *
 * Include path order (userspace-tools/Makefile for the sim, tests/native/Makefile
 * for the tests): shim/, then the kernel's
 * tools/include extracted from linux-source-6.1 into out/, then the system
 * headers. So <linux/list.h>, <linux/rbtree_augmented.h>, <linux/align.h>,
 * <linux/log2.h>, <linux/kernel.h> (min, max, ARRAY_SIZE) and <asm/bug.h>
 * (WARN, WARN_ON; reached through shim/linux/bug.h) are the kernel's own
 * tools copies, and the rb-tree code
 * itself is the kernel's tools/lib/rbtree.c, linked in. <linux/errno.h> is
 * the system's uapi header, which has the kernel's errno values.
 *
 * This file adds only what none of those provides: page geometry
 * (shim/asm/page.h), ULONG_MAX and snprintf, and it counts warnings: the
 * tools WARN() prints through __WARN_printf(), which is re-pointed here so
 * that a test can assert that an operation warned, or that none did.
 */
#ifndef _KVALAB_SHIM_H
#define _KVALAB_SHIM_H

#include <limits.h>
#include <stdio.h>

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/list.h>
#include <linux/rbtree_augmented.h>
#include <asm/page.h>

/*
 * Warnings so far, and whether to keep them off stderr (a test that
 * provokes one on purpose); defined in shim/kvalab_shim.c.
 */
extern unsigned long kvalab_shim_warnings;
extern bool kvalab_shim_quiet;

#undef __WARN_printf
#define __WARN_printf(arg...) do {				\
		kvalab_shim_warnings++;				\
		if (!kvalab_shim_quiet)				\
			fprintf(stderr, arg);			\
	} while (0)

#endif /* _KVALAB_SHIM_H */
