/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Finding and writing tracefs (tracefs_dir.c), for `kvalab capture` and
 * `kvalab follow`.
 */
#ifndef KVALAB_TRACEFS_DIR_H
#define KVALAB_TRACEFS_DIR_H

#include <stdbool.h>

/*
 * $KVALAB_TRACEFS, else /sys/kernel/tracing, else /sys/kernel/debug/tracing
 * (the first with a `trace` file); NULL if none.
 */
const char *tracefs_find(void);
bool tracefs_exists(const char *dir, const char *name);
/* Write @s to @dir/@name (truncating if @trunc); 0 or -errno. */
int tracefs_write(const char *dir, const char *name, const char *s,
		  bool trunc);

#endif
