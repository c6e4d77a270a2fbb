/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KVALAB_DEBUGFS_H
#define _KVALAB_DEBUGFS_H

struct kvalab;
struct dentry;

/* Create /sys/kernel/debug/kvalab/ and its files; remove them. */
int kvalab_debugfs_init(struct kvalab *kv);
void kvalab_debugfs_exit(struct kvalab *kv);

/* The control file (control.c) and the listings (listings.c). */
void kvalab_control_create(struct kvalab *kv, struct dentry *dir);
void kvalab_listings_create(struct kvalab *kv, struct dentry *dir);
/* The per-phase time counters (breakdown.c). */
void kvalab_breakdown_create(struct kvalab *kv, struct dentry *dir);
/* The recording (trace_file.c). */
void kvalab_trace_file_create(struct kvalab *kv, struct dentry *dir);
/* The replay: its loader (replay_file.c) and listings (replay_results.c). */
void kvalab_replay_file_create(struct kvalab *kv, struct dentry *dir);
void kvalab_replay_results_create(struct kvalab *kv, struct dentry *dir);

#endif /* _KVALAB_DEBUGFS_H */
