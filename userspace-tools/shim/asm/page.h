/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for the kernel's <asm/page.h>: only the page geometry
 * module/core.c uses (x86-64, 4 KiB pages). The extracted tools/include has
 * no asm/page.h, so nothing here duplicates it.
 */
#ifndef _KVALAB_SHIM_ASM_PAGE_H
#define _KVALAB_SHIM_ASM_PAGE_H

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#endif
