/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's <linux/bug.h> provides BUILD_BUG_ON*() and WARN*(). The tools
 * copy of that name is a perf leftover whose BUILD_BUG_ON_ZERO() clashes
 * with tools <linux/build_bug.h>, so this one (found first on the include
 * path) routes to the tools headers that hold the real definitions.
 */
#ifndef _KVALAB_SHIM_LINUX_BUG_H
#define _KVALAB_SHIM_LINUX_BUG_H

#include <linux/build_bug.h>
#include <asm/bug.h>

#endif
