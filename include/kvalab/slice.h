/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bounds of the slice_size module parameter that the CLI checks too,
 * before it loads the module (userspace-tools/module.c); the module checks
 * them at load (module/main.c), the upper one being the RAM it finds.
 * Plain C with no other header, so every CLI file can include it.
 */
#ifndef _KVALAB_SLICE_H
#define _KVALAB_SLICE_H

/* The smallest slice_size the module takes. */
#define KVALAB_SLICE_MIN	0x100000UL	/* 1M */

#endif /* _KVALAB_SLICE_H */
