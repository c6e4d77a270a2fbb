/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control-file command language: one line in, one struct kvalab_cmd out.
 * The parser (debugfs/parse.c) only checks syntax and ranges that need no
 * allocator state; the executor (debugfs/control.c) does the rest. The parser
 * compiles unchanged in userspace (tests/native/).
 *
 * Grammar (tokens separated by spaces or tabs, one trailing newline allowed):
 *   alloc SIZE [align=N] [noguard]   SIZE, N: NUMBER[K|M|G] (also k, m, g)
 *   free TARGET
 *   free_atomic TARGET
 *   fill TARGET BYTE
 *   verify TARGET BYTE
 *   purge [vmalloc] | reset          vmalloc: the kernel's own lazy areas
 *   check [tlb]                      tlb: test that a TLB flush is real
 *   policy NAME                     NAME: one of <kvalab/policies.h>
 *   record on|off
 *   replay start [policy=NAME[,NAME...]|all] [va_only] [samples=N]
 *                [search=exact|padded] [lazy_max_pages=N]
 *   replay stop | replay clear
 *   explain SIZE [align=N] [noguard] as alloc, a dry run: nothing changes
 *   run [TEST...] [mask=N] [threads=N] [loops=N] [repeat=N] [pages=N]
 *       [sequential=0|1] [backend=B[,B...]] [baseline=B]
 *                                   B: a name of <kvalab/backends.h>
 *   stop
 * TARGET: a decimal id, or a start address in hex with 0x.
 * BYTE:   0..255, decimal or 0x hex.
 * NUMBER: decimal or 0x hex, no sign.
 */
#ifndef _KVALAB_CMD_H
#define _KVALAB_CMD_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include "kvalab_shim.h"
#endif

#include <kvalab/backends.h>
#include <kvalab/policies.h>
#include <kvalab/search.h>

/* Longest accepted control line, newline included. */
#define KVALAB_CMD_MAX		256
/* Longest reason string (NUL included) the parser or the module produces. */
#define KVALAB_ERR_MAX		160

enum kvalab_op {
	KVALAB_OP_ALLOC = 1,
	KVALAB_OP_FREE,
	KVALAB_OP_FREE_ATOMIC,
	KVALAB_OP_FILL,
	KVALAB_OP_VERIFY,
	KVALAB_OP_PURGE,
	KVALAB_OP_RESET,
	KVALAB_OP_CHECK,
	KVALAB_OP_RUN,
	KVALAB_OP_STOP,
	KVALAB_OP_POLICY,
	KVALAB_OP_RECORD,
	KVALAB_OP_REPLAY,
	KVALAB_OP_EXPLAIN,
};

struct kvalab_target {
	bool is_addr;		/* value is a start address, else an id */
	unsigned long value;
};

struct kvalab_run_params {
	unsigned int mask;		/* 0: every case; else test bit mask */
	unsigned int nr_threads;	/* 0: one per online CPU */
	unsigned int loops;		/* 0: the module default */
	unsigned int repeat;		/* 0: the module default */
	unsigned int nr_pages;		/* 0: the module default */
	bool sequential;
	/*
	 * Backends (<kvalab/backends.h> ids), in the order given, each at
	 * most once. nr_backends 0 means the default, kvalab,vmalloc with
	 * baseline vmalloc (the parser always fills both in).
	 */
	unsigned int nr_backends;
	unsigned char backends[KVALAB_RUN_MAX_BACKENDS];
	/* The backend ratios divide by: one of backends[]. */
	unsigned int baseline;
};

/*
 * The default backends of a run (kvalab,vmalloc, baseline vmalloc) into
 * @run: the parser's for a `run` that names none, and the workload suite's
 * for a run that reaches it with none (data both share, so neither calls
 * the other).
 */
static inline void kvalab_run_default_backends(struct kvalab_run_params *run)
{
	run->nr_backends = 2;
	run->backends[0] = KVALAB_BE_KVALAB;
	run->backends[1] = KVALAB_BE_VMALLOC;
	run->baseline = KVALAB_BE_VMALLOC;
}

/* replay: what to do with the trace loaded through the replay file. */
enum kvalab_replay_action {
	KVALAB_REPLAY_START = 1,
	KVALAB_REPLAY_STOP,
	KVALAB_REPLAY_CLEAR,
};

/* Most samples= a replay may ask for per policy; default 100. */
#define KVALAB_REPLAY_MAX_SAMPLES	1000
#define KVALAB_REPLAY_DEF_SAMPLES	100

struct kvalab_replay_params {
	enum kvalab_replay_action action;
	unsigned int policies;		/* bit per kva_policy_id; 0: current */
	bool va_only;			/* VA decisions only: no pages, no PTEs */
	unsigned int samples;		/* 0: KVALAB_REPLAY_DEF_SAMPLES */
	/* The lowest-match length rule during the replay; exact by default. */
	enum kva_search_mode search;
	/* The purge threshold during the replay (pages); 0: the module's. */
	unsigned long lazy_max_pages;
	/* Keep every allocation's placement (the replay_placements file). */
	bool log;
};

struct kvalab_cmd {
	enum kvalab_op op;
	/* alloc, explain: size and align as given (bytes, not page rounded). */
	unsigned long size;
	unsigned long align;		/* 0: PAGE_SIZE */
	bool noguard;
	/* free, free_atomic, fill, verify */
	struct kvalab_target target;
	u8 byte;			/* fill, verify */
	struct kvalab_run_params run;
	enum kva_policy_id policy;	/* policy */
	bool record_on;			/* record */
	bool purge_vmalloc;		/* purge vmalloc */
	bool check_tlb;			/* check tlb */
	struct kvalab_replay_params replay;	/* replay */
};

/*
 * Parse @len bytes of @line (need not be NUL-terminated). Returns 0 and
 * fills @cmd, or a negative errno with a reason in @err (@errlen bytes,
 * always NUL-terminated):
 *   -EINVAL     unknown command, missing or extra argument, malformed
 *               number, zero size, alignment not a power of two, bad byte,
 *               unknown option or test name, NUL or control bytes
 *   -ERANGE     a number that does not fit an unsigned long (or the field)
 *   -EOVERFLOW  SIZE or N times its suffix overflows, or SIZE rounded to
 *               pages plus a guard page plus alignment slack overflows
 *   -EMSGSIZE   @len > KVALAB_CMD_MAX
 */
int kvalab_parse(const char *line, size_t len, struct kvalab_cmd *cmd,
		 char *err, size_t errlen);

/* The name of @op as written in the grammar ("alloc", ...). */
const char *kvalab_op_name(enum kvalab_op op);

/*
 * @run's backends as "a,b,c" into @buf (@len bytes, always NUL-terminated;
 * KVALAB_RUN_MAX_BACKENDS * KVALAB_BE_NAME_MAX is enough).
 */
void kvalab_run_backends_str(const struct kvalab_run_params *run, char *buf,
			     size_t len);

#endif /* _KVALAB_CMD_H */
