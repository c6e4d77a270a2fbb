/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-kernel replay of a trace (module/replay.c, docs/traces.md
 * "Replaying"): a load takes the parsed operations of a trace, the control
 * command `replay start|stop|clear` runs them per policy on the otherwise
 * empty slice, and a view of the results is what the listings print. The
 * text is debugfs's (debugfs/replay_file.c parses the `replay` file with
 * the trace parser; debugfs/replay_results.c prints `replay_results` and
 * `replay_placements`); this side keeps the states, the locks and the claim.
 */
#ifndef _KVALAB_REPLAY_H
#define _KVALAB_REPLAY_H

#include <linux/types.h>

#include <kvalab/cmd.h>
#include <kvalab/policies.h>
#include "latency.h"

struct kvalab;
struct kva_trace_header;
struct kva_trace_op;

int kvalab_replay_init(struct kvalab *kv);
/* After the debugfs files are gone: stops a replay and frees the trace. */
void kvalab_replay_exit(struct kvalab *kv);

/* The control command; the "ok" line or the reason goes to @res. */
int kvalab_replay_cmd(struct kvalab *kv, const struct kvalab_replay_params *p,
		      char *res, size_t len);

/*
 * Loading, one load at a time, by the opener of the replay file (@loader,
 * any pointer that names it). kvalab_replay_load_begin() drops the previous
 * trace and its results and returns -EBUSY while a replay runs or another
 * load is open. Then, for each write, load_text() with its byte count, and
 * for each parsed line load_header() or load_op() (blank and comment lines
 * need no call; @line is the line number, kept for the results). These
 * refuse with a negative errno and a reason in @why (@len bytes) without
 * ending the load: the loader then reports the refusal with load_abort()
 * (@msg, with its line number, is what replay_results shows), which frees
 * the trace. load_end() lets the load go: one still in progress becomes the
 * loaded trace. Between begin and end, only the loader changes the trace,
 * so load_is_live() (the trace parser's liveness hook) takes no lock.
 */
int kvalab_replay_load_begin(struct kvalab *kv, const void *loader);
int kvalab_replay_load_text(struct kvalab *kv, const void *loader,
			    size_t count, char *why, size_t len);
void kvalab_replay_load_header(struct kvalab *kv, const void *loader,
			       const struct kva_trace_header *hdr);
int kvalab_replay_load_op(struct kvalab *kv, const void *loader,
			  const struct kva_trace_op *op, unsigned long line,
			  char *why, size_t len);
bool kvalab_replay_load_is_live(struct kvalab *kv, unsigned int id);
void kvalab_replay_load_abort(struct kvalab *kv, const void *loader, int err,
			      const char *msg);
void kvalab_replay_load_end(struct kvalab *kv, const void *loader);

enum kvalab_replay_state {
	KVALAB_RS_EMPTY,
	KVALAB_RS_LOADING,
	KVALAB_RS_LOADED,
	KVALAB_RS_LOAD_FAILED,
	KVALAB_RS_RUNNING,
	KVALAB_RS_DONE,
	KVALAB_RS_STOPPED,
};

/* One operation of the loaded trace, kept compactly. */
struct kvalab_replay_op {
	unsigned long size;	/* alloc: bytes as in the trace */
	u32 id;
	u32 line;		/* line number in the trace */
	u8 kind;		/* enum kva_trace_kind */
	u8 align_order;		/* alloc: log2(align); 0 for the default */
	u16 flags;		/* alloc: enum kva_trace_flag bits */
};

struct kvalab_replay_sample {
	unsigned long op;	/* ops done when taken */
	unsigned long used;	/* bytes of the replay's busy areas */
	unsigned long free_bytes, nr_free, largest_free;
	unsigned long ext_frag_e4, frag_rss_e4;
};

/* What one policy's run did. */
struct kvalab_replay_result {
	enum kva_policy_id policy;
	unsigned long ops, allocs_ok, enomem, errors, skipped_frees, purges;
	u64 ns;			/* replaying, sampling excluded */
	unsigned long first_fail_line, first_fail_size, largest_then;
	unsigned long free_then, nr_free_then;	/* the free space then */
	int first_err;
	unsigned long peak_used;
	struct kvalab_replay_sample end;	/* figures after the last op */
	bool stopped;
	int check_err;
	char check_msg[KVALAB_ERR_MAX];
	unsigned int nr_samples;
	struct kvalab_replay_sample *samples;
	/* Every purge of the run (automatic, failed-search and `p`). */
	struct kvalab_purge_lat purge;
	/*
	 * The placement digest (include/kvalab/placements.h). With `log`,
	 * the values themselves, one per allocation op in trace order.
	 */
	u64 placements;
	s64 *log;
	unsigned long nr_log;
};

/*
 * The replay as the listings print it. kvalab_replay_view_begin() fills it
 * under the replay's locks and keeps its mutex until
 * kvalab_replay_view_end(): until then every pointer stays valid, and
 * nothing in it changes but what a running replay does to results at and
 * beyond @nr_res (published results never change).
 */
struct kvalab_replay_view {
	enum kvalab_replay_state state;
	int load_err;			/* load_failed: the refusal */
	const char *load_msg;
	/* The trace (not while empty or load_failed). */
	const struct kva_trace_header *hdr;
	const struct kvalab_replay_op *ops;
	unsigned long nr_ops, nr_alloc, nr_free, nr_purge;
	unsigned long peak_live, text_bytes;
	u32 nr_ids;			/* highest id seen + 1 */
	/* The last start's plan: 0 policies before the first. */
	unsigned int nr_planned;
	const enum kva_policy_id *order;
	const struct kvalab_replay_params *params;
	unsigned long lazy_max_pages;	/* in force during the run */
	const char *note;		/* a warning, or "" */
	unsigned int cur;		/* running: the result index */
	unsigned long cur_op;		/* running: ops done */
	unsigned int nr_res;		/* published results */
	const struct kvalab_replay_result *res;
};

void kvalab_replay_view_begin(struct kvalab *kv, struct kvalab_replay_view *v);
void kvalab_replay_view_end(struct kvalab *kv);

#endif /* _KVALAB_REPLAY_H */
