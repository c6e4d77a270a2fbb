// SPDX-License-Identifier: GPL-2.0
/*
 * The control-file command parser: one line in, one struct kvalab_cmd out.
 * Grammar and errno contract: include/kvalab/cmd.h.
 *
 * The parser is pure: it allocates nothing, takes no lock and writes no
 * global, so debugfs/control.c may call it from any context and the same
 * file builds unchanged in userspace (tests/native/test_parse.c and the
 * libFuzzer target tests/native/fuzz_parse.c).
 *
 * The line is first copied into a NUL-terminated buffer on the stack after
 * every byte has been checked; from then on the tokens are split in place
 * in that copy, so no function below can read past the caller's @len bytes.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#include <asm/page.h>
#else
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#endif

#include <kvalab/cmd.h>
#include "lex.h"
#include <kvalab/workloads.h>

/*
 * Parse NUMBER from the whole of @tok: decimal or 0x hex, no sign, with the
 * size suffixes of lex.h if @suffix. @what names the field in the reason.
 * The syntax is checked over the whole token before the range, so a
 * malformed token is always -EINVAL even when its digits would also
 * overflow.
 */
static int parse_number(struct kvalab_lex *ps, const char *what,
			const char *tok, bool suffix, unsigned long *val)
{
	unsigned int base = 10;
	const char *p = tok;
	bool overflow = false;
	unsigned long v = 0;
	int d;

	if (suffix)
		return kvalab_lex_size(ps, what, tok, val);
	if (*p == '-' || *p == '+')
		return kvalab_lex_fail(ps, -EINVAL,
				  "%s '%s' is signed; numbers have no sign",
				  what, tok);
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
		/* C reads 010 as octal; refuse rather than guess. */
		return kvalab_lex_fail(ps, -EINVAL,
				  "%s '%s' has a leading zero (no octal)",
				  what, tok);
	}
	if (kvalab_digit_value(*p) < 0 || kvalab_digit_value(*p) >= (int)base)
		return kvalab_lex_fail(ps, -EINVAL, "malformed %s '%s'", what, tok);

	for (; (d = kvalab_digit_value(*p)) >= 0 && d < (int)base; p++) {
		if (check_mul_overflow(v, (unsigned long)base, &v) ||
		    check_add_overflow(v, (unsigned long)d, &v))
			overflow = true;
	}
	if (*p)
		return kvalab_lex_fail(ps, -EINVAL, "malformed %s '%s'", what, tok);
	if (overflow)
		return kvalab_lex_fail(ps, -ERANGE,
				  "%s '%s' does not fit an unsigned long",
				  what, tok);
	*val = v;
	return 0;
}

/* NUMBER without suffix that must fit an unsigned int. */
static int parse_uint(struct kvalab_lex *ps, const char *what,
		      const char *tok, unsigned int *val)
{
	unsigned long v;
	int rc;

	rc = parse_number(ps, what, tok, false, &v);
	if (rc)
		return rc;
	if (v > UINT_MAX)
		return kvalab_lex_fail(ps, -ERANGE,
				  "%s '%s' does not fit an unsigned int",
				  what, tok);
	*val = (unsigned int)v;
	return 0;
}

static bool is_pow2(unsigned long n)
{
	return n && !(n & (n - 1));
}

/* Every token left on the line is one too many. */
static int expect_end(struct kvalab_lex *ps)
{
	const char *tok = kvalab_next_token(ps);

	if (tok)
		return kvalab_lex_fail(ps, -EINVAL, "extra argument '%s'", tok);
	return 0;
}

/* TARGET: a decimal id (u32) or a 0x-hex start address. */
static int parse_target(struct kvalab_lex *ps, struct kvalab_target *t)
{
	const char *tok = kvalab_next_token(ps);
	bool is_addr;
	int rc;

	if (!tok)
		return kvalab_lex_fail(ps, -EINVAL, "missing TARGET (id or 0x address)");
	is_addr = tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X');
	rc = parse_number(ps, is_addr ? "address" : "id", tok, false,
			  &t->value);
	if (rc)
		return rc;
	if (!is_addr && t->value > U32_MAX)
		return kvalab_lex_fail(ps, -ERANGE, "id '%s' does not fit 32 bits",
				  tok);
	t->is_addr = is_addr;
	return 0;
}

/*
 * The executor rounds the size up to pages, adds a guard page unless
 * noguard and raises the alignment to at least PAGE_SIZE; its bound on the
 * VA a request may need is that span plus align - 1 (the slack an aligned
 * start can cost; the core itself searches for the exact span). Refusing
 * here every request for which that sum overflows means the executor and
 * the allocator core never have to.
 */
static bool alloc_span_overflows(const struct kvalab_cmd *cmd)
{
	unsigned long align = cmd->align > PAGE_SIZE ? cmd->align : PAGE_SIZE;
	unsigned long span;

	if (check_add_overflow(cmd->size, PAGE_SIZE - 1, &span))
		return true;
	span &= ~(PAGE_SIZE - 1);
	if (!cmd->noguard && check_add_overflow(span, PAGE_SIZE, &span))
		return true;
	return check_add_overflow(span, align - 1, &span);
}

/* alloc SIZE [align=N] [noguard], options in any order, each at most once. */
static int parse_alloc(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	const char *size_tok = kvalab_next_token(ps);
	bool have_align = false;
	const char *tok;
	int rc;

	if (!size_tok)
		return kvalab_lex_fail(ps, -EINVAL, "missing SIZE");
	rc = parse_number(ps, "size", size_tok, true, &cmd->size);
	if (rc)
		return rc;
	if (!cmd->size)
		return kvalab_lex_fail(ps, -EINVAL, "size '%s' is zero", size_tok);

	while ((tok = kvalab_next_token(ps))) {
		if (!strncmp(tok, "align=", 6)) {
			const char *val = tok + 6;

			if (have_align)
				return kvalab_lex_fail(ps, -EINVAL,
						  "repeated option '%s'", tok);
			have_align = true;
			rc = parse_number(ps, "alignment", val, true,
					  &cmd->align);
			if (rc)
				return rc;
			if (!is_pow2(cmd->align))
				return kvalab_lex_fail(ps, -EINVAL,
						  "alignment %s is not a power of two",
						  val);
		} else if (!strcmp(tok, "noguard")) {
			if (cmd->noguard)
				return kvalab_lex_fail(ps, -EINVAL,
						  "repeated option '%s'", tok);
			cmd->noguard = true;
		} else {
			return kvalab_lex_fail(ps, -EINVAL, "unknown option '%s'",
					  tok);
		}
	}
	if (alloc_span_overflows(cmd))
		return kvalab_lex_fail(ps, -EOVERFLOW,
				  "size '%s' with guard and alignment overflows",
				  size_tok);
	return 0;
}

/* free TARGET, free_atomic TARGET */
static int parse_free(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	int rc = parse_target(ps, &cmd->target);

	return rc ? rc : expect_end(ps);
}

/* fill TARGET BYTE, verify TARGET BYTE */
static int parse_fill(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	unsigned long byte;
	const char *tok;
	int rc;

	rc = parse_target(ps, &cmd->target);
	if (rc)
		return rc;
	tok = kvalab_next_token(ps);
	if (!tok)
		return kvalab_lex_fail(ps, -EINVAL, "missing BYTE");
	rc = parse_number(ps, "byte", tok, false, &byte);
	if (rc)
		return rc;
	if (byte > 0xff)
		return kvalab_lex_fail(ps, -ERANGE,
				  "byte '%s' is out of range 0..255", tok);
	cmd->byte = (u8)byte;
	return expect_end(ps);
}

static int parse_workload_name(struct kvalab_lex *ps, const char *tok,
			       unsigned int *mask)
{
	int i;

	for (i = 0; i < KVALAB_NR_WORKLOAD_BITS; i++) {
		if (kvalab_workload_names[i] &&
		    !strcmp(tok, kvalab_workload_names[i])) {
			*mask |= 1U << i;
			return 0;
		}
	}
	return kvalab_lex_fail(ps, -EINVAL, "unknown test '%s'", tok);
}

/* backend=B[,B...]: names of <kvalab/backends.h>, each at most once. */
static int parse_backends(struct kvalab_lex *ps, const char *val,
			  struct kvalab_run_params *run)
{
	const char *p = val;
	unsigned int i;

	/* Unused slots stay 0, so equal lists compare equal bytewise. */
	memset(run->backends, 0, sizeof(run->backends));
	run->nr_backends = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		int id = kvalab_backend_by_name(p, n);

		if (id < 0)
			return kvalab_lex_fail(ps, -EINVAL,
					  "unknown backend '%.*s' in 'backend=%s'",
					  (int)n, p, val);
		for (i = 0; i < run->nr_backends; i++)
			if (run->backends[i] == id)
				return kvalab_lex_fail(ps, -EINVAL,
						  "backend '%.*s' given twice",
						  (int)n, p);
		/* Cannot overflow: every id fits once and a repeat failed. */
		run->backends[run->nr_backends++] = (unsigned char)id;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

void kvalab_run_default_backends(struct kvalab_run_params *run)
{
	run->nr_backends = 2;
	run->backends[0] = KVALAB_BE_KVALAB;
	run->backends[1] = KVALAB_BE_VMALLOC;
	run->baseline = KVALAB_BE_VMALLOC;
}

void kvalab_run_backends_str(const struct kvalab_run_params *run, char *buf,
			     size_t len)
{
	size_t n = 0;
	unsigned int i;

	if (!len)
		return;
	buf[0] = '\0';
	for (i = 0; i < run->nr_backends && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? "," : "",
			      kvalab_backend_name(run->backends[i]));
}

/*
 * baseline=B (@val, or NULL when not given) once the backends are known:
 * one of them; by default vmalloc if it runs, else the first.
 */
static int parse_baseline(struct kvalab_lex *ps, const char *val,
			  struct kvalab_run_params *run)
{
	unsigned int i;
	int id;

	if (!val) {
		run->baseline = run->backends[0];
		for (i = 0; i < run->nr_backends; i++)
			if (run->backends[i] == KVALAB_BE_VMALLOC)
				run->baseline = KVALAB_BE_VMALLOC;
		return 0;
	}
	id = kvalab_backend_by_name(val, strlen(val));
	if (id < 0)
		return kvalab_lex_fail(ps, -EINVAL,
				  "unknown backend '%s' in 'baseline=%s'", val,
				  val);
	for (i = 0; i < run->nr_backends; i++) {
		if (run->backends[i] == id) {
			run->baseline = id;
			return 0;
		}
	}
	return kvalab_lex_fail(ps, -EINVAL,
			  "baseline '%s' is not one of the run's backends", val);
}

enum run_opt {
	RUN_MASK,
	RUN_THREADS,
	RUN_LOOPS,
	RUN_REPEAT,
	RUN_PAGES,
	RUN_SEQUENTIAL,
	RUN_BACKEND,
	RUN_BASELINE,
	RUN_NR_OPTS,
};

static const char *const run_opt_names[RUN_NR_OPTS] = {
	[RUN_MASK]		= "mask",
	[RUN_THREADS]		= "threads",
	[RUN_LOOPS]		= "loops",
	[RUN_REPEAT]		= "repeat",
	[RUN_PAGES]		= "pages",
	[RUN_SEQUENTIAL]	= "sequential",
	[RUN_BACKEND]		= "backend",
	[RUN_BASELINE]		= "baseline",
};

/* loops, repeat, pages: absent means the module default, so 0 is refused. */
static int parse_count(struct kvalab_lex *ps, const char *what,
		       const char *val, unsigned int *count)
{
	int rc = parse_uint(ps, what, val, count);

	if (rc)
		return rc;
	if (!*count)
		return kvalab_lex_fail(ps, -EINVAL, "%s '%s' must be greater than 0",
				  what, val);
	return 0;
}

static int parse_run_opt(struct kvalab_lex *ps, enum run_opt opt,
			 const char *val, struct kvalab_run_params *run,
			 unsigned int *mask)
{
	unsigned int valid = KVALAB_WORKLOAD_ALL;
	const char *what = run_opt_names[opt];
	int rc;

	switch (opt) {
	case RUN_MASK:
		rc = parse_uint(ps, what, val, mask);
		if (rc)
			return rc;
		/* cmd.h gives mask 0 the meaning "every case"; say so. */
		if (!*mask)
			return kvalab_lex_fail(ps, -EINVAL,
					  "mask '%s' selects no test (omit mask to run all)",
					  val);
		if (*mask & ~valid)
			return kvalab_lex_fail(ps, -EINVAL,
					  "mask '%s' has bits 0x%x that name no test",
					  val, *mask & ~valid);
		return 0;
	case RUN_THREADS:
		rc = parse_uint(ps, what, val, &run->nr_threads);
		if (rc)
			return rc;
		if (run->nr_threads > KVALAB_RUN_MAX_THREADS)
			return kvalab_lex_fail(ps, -ERANGE,
					  "threads '%s' is above the maximum %d",
					  val, KVALAB_RUN_MAX_THREADS);
		return 0;
	case RUN_LOOPS:
		return parse_count(ps, what, val, &run->loops);
	case RUN_REPEAT:
		return parse_count(ps, what, val, &run->repeat);
	case RUN_PAGES:
		return parse_count(ps, what, val, &run->nr_pages);
	case RUN_SEQUENTIAL:
		if (strcmp(val, "0") && strcmp(val, "1"))
			return kvalab_lex_fail(ps, -EINVAL,
					  "sequential '%s' is not 0 or 1", val);
		run->sequential = val[0] == '1';
		return 0;
	case RUN_BACKEND:
		return parse_backends(ps, val, run);
	case RUN_BASELINE:
		/* Checked once every option is in: backend= may follow. */
		return 0;
	default:
		return kvalab_lex_fail(ps, -EINVAL, "unknown option '%s'", what);
	}
}

/*
 * run [TEST...] [key=value...] in any order. Test names and mask= combine
 * by OR; every option may appear at most once.
 */
static int parse_run(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	unsigned int names = 0, mask = 0, seen = 0;
	const char *tok, *baseline = NULL;
	int rc;

	kvalab_run_default_backends(&cmd->run);
	while ((tok = kvalab_next_token(ps))) {
		const char *eq = strchr(tok, '=');
		size_t keylen;
		int opt;

		if (!eq) {
			rc = parse_workload_name(ps, tok, &names);
			if (rc)
				return rc;
			continue;
		}
		keylen = eq - tok;
		for (opt = 0; opt < RUN_NR_OPTS; opt++)
			if (strlen(run_opt_names[opt]) == keylen &&
			    !strncmp(tok, run_opt_names[opt], keylen))
				break;
		if (opt == RUN_NR_OPTS)
			return kvalab_lex_fail(ps, -EINVAL, "unknown option '%s'",
					  tok);
		if (seen & (1U << opt))
			return kvalab_lex_fail(ps, -EINVAL, "repeated option '%s'",
					  tok);
		seen |= 1U << opt;
		if (opt == RUN_BASELINE)
			baseline = eq + 1;
		rc = parse_run_opt(ps, opt, eq + 1, &cmd->run, &mask);
		if (rc)
			return rc;
	}
	cmd->run.mask = names | mask;
	return parse_baseline(ps, baseline, &cmd->run);
}

/*
 * The longest part of a refused name a reason quotes: more than any policy
 * name, and short enough that the accepted names always fit the reason.
 */
#define POLICY_QUOTE_MAX	32

/* "'TOK' is not WHAT" (TOK cut at POLICY_QUOTE_MAX), EINVAL. */
static int fail_not(struct kvalab_lex *ps, const char *tok, const char *what)
{
	return kvalab_lex_fail(ps, -EINVAL, "'%.*s%s' is not %s",
			       POLICY_QUOTE_MAX, tok,
			       strlen(tok) > POLICY_QUOTE_MAX ? "..." : "", what);
}

/* policy NAME: NAME exactly as in <kvalab/policies.h> (case matters). */
static int parse_policy(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	const char *tok = kvalab_next_token(ps);
	size_t len;
	int id;

	if (!tok)
		return kvalab_lex_fail(ps, -EINVAL,
				  "missing NAME (one of: " KVA_POLICY_NAMES_STR ")");
	len = strlen(tok);
	id = kva_policy_by_name(tok, len);
	if (id < 0)
		return kvalab_lex_fail(ps, -EINVAL,
				  "unknown policy '%.*s%s' (one of: "
				  KVA_POLICY_NAMES_STR ")",
				  POLICY_QUOTE_MAX, tok,
				  len > POLICY_QUOTE_MAX ? "..." : "");
	cmd->policy = (enum kva_policy_id)id;
	return expect_end(ps);
}

/* record on|off */
static int parse_record(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	const char *tok = kvalab_next_token(ps);

	if (!tok)
		return kvalab_lex_fail(ps, -EINVAL, "missing on or off");
	if (!strcmp(tok, "on"))
		cmd->record_on = true;
	else if (strcmp(tok, "off"))
		return fail_not(ps, tok, "on or off");
	return expect_end(ps);
}

/*
 * purge [vmalloc]: kvalab's lazy areas, or with "vmalloc" the kernel's own
 * (what vmalloc's vfree()s left lazy, for a comparison that starts from an
 * empty lazy list on both sides).
 */
static int parse_purge(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	const char *tok = kvalab_next_token(ps);

	if (!tok)
		return 0;
	if (strcmp(tok, "vmalloc"))
		return fail_not(ps, tok,
				"vmalloc: purge takes nothing or vmalloc");
	cmd->purge_vmalloc = true;
	return expect_end(ps);
}

/*
 * check [tlb]: the allocator's consistency check, or with "tlb" the test
 * that kvalab's TLB flush really drops a cached translation
 * (module/tlbcheck.c).
 */
static int parse_check(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	const char *tok = kvalab_next_token(ps);

	if (!tok)
		return 0;
	if (strcmp(tok, "tlb"))
		return fail_not(ps, tok, "tlb: check takes nothing or tlb");
	cmd->check_tlb = true;
	return expect_end(ps);
}

/* policy=all or policy=NAME[,NAME...]: a bit per policy, each once. */
static int parse_replay_policies(struct kvalab_lex *ps, const char *val,
				 unsigned int *mask)
{
	const char *p = val;

	*mask = 0;
	if (!strcmp(val, "all")) {
		*mask = (1U << KVA_NR_POLICIES) - 1;
		return 0;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		int id = kva_policy_by_name(p, n);

		if (id < 0)
			return kvalab_lex_fail(ps, -EINVAL,
					  "unknown policy '%.*s%s' (all, or one or more of: "
					  KVA_POLICY_NAMES_STR ")",
					  (int)(n > POLICY_QUOTE_MAX ?
						POLICY_QUOTE_MAX : n), p,
					  n > POLICY_QUOTE_MAX ? "..." : "");
		if (*mask & (1U << id))
			return kvalab_lex_fail(ps, -EINVAL, "policy '%s' given twice",
					  kva_policy_names[id]);
		*mask |= 1U << id;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/*
 * replay start [policy=NAME[,NAME...]|all] [va_only] [samples=N]
 *              [search=exact|padded] [lazy_max_pages=N] [log]
 * replay stop | replay clear
 */
static int parse_replay(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	struct kvalab_replay_params *rp = &cmd->replay;
	bool seen_policy = false, seen_samples = false, seen_search = false;
	bool seen_lazy = false;
	const char *tok = kvalab_next_token(ps);
	int rc;

	if (!tok)
		return kvalab_lex_fail(ps, -EINVAL, "missing start, stop or clear");
	if (!strcmp(tok, "stop")) {
		rp->action = KVALAB_REPLAY_STOP;
		return expect_end(ps);
	}
	if (!strcmp(tok, "clear")) {
		rp->action = KVALAB_REPLAY_CLEAR;
		return expect_end(ps);
	}
	if (strcmp(tok, "start"))
		return fail_not(ps, tok, "start, stop or clear");
	rp->action = KVALAB_REPLAY_START;
	while ((tok = kvalab_next_token(ps))) {
		if (!strcmp(tok, "va_only")) {
			if (rp->va_only)
				return kvalab_lex_fail(ps, -EINVAL,
						  "repeated option 'va_only'");
			rp->va_only = true;
		} else if (!strcmp(tok, "log")) {
			if (rp->log)
				return kvalab_lex_fail(ps, -EINVAL,
						  "repeated option 'log'");
			rp->log = true;
		} else if (!strncmp(tok, "policy=", 7)) {
			if (seen_policy)
				return kvalab_lex_fail(ps, -EINVAL,
						  "repeated option 'policy='");
			seen_policy = true;
			rc = parse_replay_policies(ps, tok + 7, &rp->policies);
			if (rc)
				return rc;
		} else if (!strncmp(tok, "samples=", 8)) {
			if (seen_samples)
				return kvalab_lex_fail(ps, -EINVAL,
						  "repeated option 'samples='");
			seen_samples = true;
			rc = parse_uint(ps, "samples", tok + 8, &rp->samples);
			if (rc)
				return rc;
			if (!rp->samples ||
			    rp->samples > KVALAB_REPLAY_MAX_SAMPLES)
				return kvalab_lex_fail(ps, -ERANGE,
						  "samples '%s' is not in 1..%d",
						  tok + 8,
						  KVALAB_REPLAY_MAX_SAMPLES);
		} else if (!strncmp(tok, "search=", 7)) {
			int id = kvalab_name_index(kva_search_names,
						   KVA_NR_SEARCH, tok + 7,
						   strlen(tok + 7));

			if (seen_search)
				return kvalab_lex_fail(ps, -EINVAL,
						  "repeated option 'search='");
			seen_search = true;
			if (id < 0)
				return kvalab_lex_fail(ps, -EINVAL,
						  "unknown search '%.*s%s' ("
						  KVA_SEARCH_NAMES_STR ")",
						  POLICY_QUOTE_MAX, tok + 7,
						  strlen(tok + 7) > POLICY_QUOTE_MAX ?
						  "..." : "");
			rp->search = id;
		} else if (!strncmp(tok, "lazy_max_pages=", 15)) {
			if (seen_lazy)
				return kvalab_lex_fail(ps, -EINVAL,
						  "repeated option 'lazy_max_pages='");
			seen_lazy = true;
			rc = parse_number(ps, "lazy_max_pages", tok + 15, false,
					  &rp->lazy_max_pages);
			if (rc)
				return rc;
			/* The upper bound is the slice's: the module checks it. */
			if (!rp->lazy_max_pages)
				return kvalab_lex_fail(ps, -ERANGE,
						  "lazy_max_pages '%s' is zero",
						  tok + 15);
		} else {
			return kvalab_lex_fail(ps, -EINVAL, "unknown option '%.*s%s'",
					  POLICY_QUOTE_MAX, tok,
					  strlen(tok) > POLICY_QUOTE_MAX ?
					  "..." : "");
		}
	}
	return 0;
}

struct kvalab_op_desc {
	const char *name;
	enum kvalab_op op;
	/* Parses the arguments; NULL for commands that take none. */
	int (*parse)(struct kvalab_lex *ps, struct kvalab_cmd *cmd);
};

static const struct kvalab_op_desc kvalab_ops[] = {
	{ "alloc",		KVALAB_OP_ALLOC,	parse_alloc },
	{ "free",		KVALAB_OP_FREE,		parse_free },
	{ "free_atomic",	KVALAB_OP_FREE_ATOMIC,	parse_free },
	{ "fill",		KVALAB_OP_FILL,		parse_fill },
	{ "verify",		KVALAB_OP_VERIFY,	parse_fill },
	{ "purge",		KVALAB_OP_PURGE,	parse_purge },
	{ "reset",		KVALAB_OP_RESET,	NULL },
	{ "check",		KVALAB_OP_CHECK,	parse_check },
	{ "run",		KVALAB_OP_RUN,		parse_run },
	{ "stop",		KVALAB_OP_STOP,		NULL },
	{ "policy",		KVALAB_OP_POLICY,	parse_policy },
	{ "record",		KVALAB_OP_RECORD,	parse_record },
	{ "replay",		KVALAB_OP_REPLAY,	parse_replay },
	/* The same request as alloc, searched but not taken. */
	{ "explain",		KVALAB_OP_EXPLAIN,	parse_alloc },
};

const char *kvalab_op_name(enum kvalab_op op)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kvalab_ops); i++)
		if (kvalab_ops[i].op == op)
			return kvalab_ops[i].name;
	return "unknown";
}

/*
 * Check every byte and copy the line into @buf (KVALAB_CMD_MAX + 1 bytes),
 * NUL-terminated, without its one permitted trailing newline. Only printable
 * ASCII, spaces and tabs pass: a NUL would cut the line short unseen, and
 * CR (CRLF line endings), other control bytes and non-ASCII bytes have no
 * place in the grammar.
 */
static int copy_line(struct kvalab_lex *ps, const char *line, size_t len,
		     char *buf)
{
	size_t i;

	if (len && line[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = line[i];

		if (c == '\0')
			return kvalab_lex_fail(ps, -EINVAL, "NUL byte at offset %zu",
					  i);
		if (c == '\n')
			return kvalab_lex_fail(ps, -EINVAL,
					  "newline at offset %zu: one command per write",
					  i);
		if (c == '\r')
			return kvalab_lex_fail(ps, -EINVAL,
					  "carriage return at offset %zu (no CRLF)",
					  i);
		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return kvalab_lex_fail(ps, -EINVAL,
					  "control or non-ASCII byte 0x%02x at offset %zu",
					  c, i);
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	return 0;
}

/*
 * cmd->op is set as soon as the command word is recognised, also when its
 * arguments are then refused, so the caller can name the command in its
 * error line; it is 0 when the command word itself is missing or unknown.
 */
int kvalab_parse(const char *line, size_t len, struct kvalab_cmd *cmd,
		 char *err, size_t errlen)
{
	struct kvalab_lex ps = { .err = err, .errlen = errlen };
	char buf[KVALAB_CMD_MAX + 1];
	const char *word;
	size_t i;
	int rc;

	memset(cmd, 0, sizeof(*cmd));
	if (err && errlen)
		err[0] = '\0';
	if (len > KVALAB_CMD_MAX)
		return kvalab_lex_fail(&ps, -EMSGSIZE,
				  "line longer than %d bytes (%zu)",
				  KVALAB_CMD_MAX, len);
	rc = copy_line(&ps, line, len, buf);
	if (rc)
		return rc;

	ps.pos = buf;
	word = kvalab_next_token(&ps);
	if (!word)
		return kvalab_lex_fail(&ps, -EINVAL, "empty command");
	for (i = 0; i < ARRAY_SIZE(kvalab_ops); i++) {
		if (!strcmp(word, kvalab_ops[i].name)) {
			cmd->op = kvalab_ops[i].op;
			if (!kvalab_ops[i].parse)
				return expect_end(&ps);
			return kvalab_ops[i].parse(&ps, cmd);
		}
	}
	return kvalab_lex_fail(&ps, -EINVAL, "unknown command '%s'", word);
}
