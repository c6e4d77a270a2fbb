/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel replay of a trace (module/replay.c, docs/traces.md
 * "Replaying"): the `replay` debugfs file takes the trace text, the control
 * command `replay start|stop|clear` runs it per policy on the otherwise
 * empty slice, and `replay_results` lists what happened.
 */
#ifndef _KVALAB_REPLAY_H
#define _KVALAB_REPLAY_H

#include <linux/types.h>

struct kvalab;
struct dentry;
struct kvalab_replay_params;

int kvalab_replay_init(struct kvalab *kv);
/* After the debugfs files are gone: stops a replay and frees the trace. */
void kvalab_replay_exit(struct kvalab *kv);
void kvalab_replay_create(struct kvalab *kv, struct dentry *dir);

/* The control command; the "ok" line or the reason goes to @res. */
int kvalab_replay_cmd(struct kvalab *kv, const struct kvalab_replay_params *p,
		      char *res, size_t len);

#endif /* _KVALAB_REPLAY_H */
