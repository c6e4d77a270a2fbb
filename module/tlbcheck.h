/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KVALAB_TLBCHECK_H
#define _KVALAB_TLBCHECK_H

#include <linux/types.h>

/*
 * "check tlb": prove that kvalab's TLB flush drops a cached translation on
 * every CPU (tlbcheck.c). Writes the result line into @res; 0, or -EUCLEAN
 * when a CPU still reached the old page after a flush, -ENOMEM.
 */
int kvalab_tlb_check(char *res, size_t len);

#endif /* _KVALAB_TLBCHECK_H */
