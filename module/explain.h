/* SPDX-License-Identifier: GPL-2.0 */
/* The explain command and its listing (module/explain.c). */
#ifndef _KVALAB_EXPLAIN_H
#define _KVALAB_EXPLAIN_H

#include <linux/types.h>

struct kvalab;
struct seq_file;

/*
 * Dry-run an allocation of @size bytes aligned to @align with @flags
 * (KVALAB_NOGUARD) under the active policy, as kvalab_alloc() would ask the
 * core: nothing changes. Writes the "ok explain ..." result line, or the
 * reason for -EINVAL / -E2BIG, to @res. Keeps the steps for the explain
 * listing. Sleeps (a mutex).
 */
int kvalab_explain(struct kvalab *kv, unsigned long size, unsigned long align,
		   unsigned long flags, char *res, size_t len);

/* The explain listing: the latest explain's steps and outcome. */
int kvalab_explain_show(struct seq_file *m, struct kvalab *kv);

#endif /* _KVALAB_EXPLAIN_H */
