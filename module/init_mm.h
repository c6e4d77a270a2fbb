/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KVALAB_INIT_MM_H
#define _KVALAB_INIT_MM_H

struct mm_struct;

/*
 * Find and validate init_mm (see init_mm.c). Returns NULL, with the reason
 * logged, if no validated address is available.
 */
struct mm_struct *kvalab_find_init_mm(void);

#endif /* _KVALAB_INIT_MM_H */
