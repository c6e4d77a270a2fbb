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
 * The lexer (<kvalab/lex.h>, the trace parser's too) first checks every
 * byte and copies the line into a NUL-terminated buffer on the stack; from
 * then on the tokens are split in place in that copy, so no function below
 * can read past the caller's @len bytes.
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
#include <kvalab/lex.h>
#include <kvalab/workloads.h>

/* NUMBER without suffix that must fit an unsigned int. */
static int parse_uint(struct kvalab_lex *ps, const char *what,
		      const char *tok, unsigned int *val)
{
	unsigned long v;
	int rc;

	rc = kvalab_lex_ulong(ps, what, tok, 0, &v);
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

/* TARGET: a decimal id (u32) or a 0x-hex start address. */
static int parse_target(struct kvalab_lex *ps, struct kvalab_target *t)
{
	const char *tok = kvalab_next_token(ps);
	bool is_addr;
	int rc;

	if (!tok)
		return kvalab_lex_fail(ps, -EINVAL, "missing TARGET (id or 0x address)");
	is_addr = tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X');
	rc = kvalab_lex_ulong(ps, is_addr ? "address" : "id", tok, 0,
			      &t->value);
	if (rc)
		return rc;
	if (!is_addr && t->value > U32_MAX)
		return kvalab_lex_fail(ps, -ERANGE, "id '%s' does not fit 32 bits",
				  tok);
	t->is_addr = is_addr;
	return 0;
}

/* alloc SIZE [align=N] [noguard], options in any order, each at most once. */
static int parse_alloc(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	const char *size_tok, *tok;
	bool have_align = false;
	int rc;

	rc = kvalab_lex_alloc_size(ps, kvalab_lex_size, &size_tok, &cmd->size);
	if (rc)
		return rc;
	while ((tok = kvalab_next_token(ps))) {
		if (!strncmp(tok, "align=", 6)) {
			const char *val = tok + 6;

			if (have_align)
				return kvalab_lex_fail(ps, -EINVAL,
						  "repeated option '%s'", tok);
			have_align = true;
			rc = kvalab_lex_size(ps, "alignment", val, &cmd->align);
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
	/* The executor places it: see kvalab_lex_alloc_span(). */
	return kvalab_lex_alloc_span(ps, size_tok, cmd->size, cmd->align,
				     !cmd->noguard, PAGE_SIZE);
}

/* free TARGET, free_atomic TARGET */
static int parse_free(struct kvalab_lex *ps, struct kvalab_cmd *cmd)
{
	int rc = parse_target(ps, &cmd->target);

	return rc ? rc : kvalab_lex_end(ps);
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
	rc = kvalab_lex_ulong(ps, "byte", tok, 0, &byte);
	if (rc)
		return rc;
	if (byte > 0xff)
		return kvalab_lex_fail(ps, -ERANGE,
				  "byte '%s' is out of range 0..255", tok);
	cmd->byte = (u8)byte;
	return kvalab_lex_end(ps);
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
		const char *val;
		int opt;

		if (!strchr(tok, '=')) {
			rc = parse_workload_name(ps, tok, &names);
			if (rc)
				return rc;
			continue;
		}
		opt = kvalab_lex_key(tok, run_opt_names, RUN_NR_OPTS, &val);
		if (opt < 0)
			return kvalab_lex_fail(ps, -EINVAL, "unknown option '%s'",
					  tok);
		if (seen & (1U << opt))
			return kvalab_lex_fail(ps, -EINVAL, "repeated option '%s'",
					  tok);
		seen |= 1U << opt;
		if (opt == RUN_BASELINE)
			baseline = val;
		rc = parse_run_opt(ps, opt, val, &cmd->run, &mask);
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
	return kvalab_lex_end(ps);
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
	return kvalab_lex_end(ps);
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
	return kvalab_lex_end(ps);
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
	return kvalab_lex_end(ps);
}

/* policy=all or policy=NAME[,NAME...]: a bit per policy, each once. */
static int parse_replay_policies(struct kvalab_lex *ps, const char *val,
				 unsigned int *mask)
{
	const char *bad = val;
	size_t n = 0;
	int rc;

	*mask = 0;
	if (!strcmp(val, "all")) {
		*mask = (1U << KVA_NR_POLICIES) - 1;
		return 0;
	}
	rc = kvalab_lex_names(ps, val, kva_policy_names, KVA_NR_POLICIES,
			      "policy", mask, &bad, &n);
	if (rc == -ENOENT)
		return kvalab_lex_fail(ps, -EINVAL,
				  "unknown policy '%.*s%s' (all, or one or more of: "
				  KVA_POLICY_NAMES_STR ")",
				  (int)(n > POLICY_QUOTE_MAX ?
					POLICY_QUOTE_MAX : n), bad,
				  n > POLICY_QUOTE_MAX ? "..." : "");
	return rc;
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
		return kvalab_lex_end(ps);
	}
	if (!strcmp(tok, "clear")) {
		rp->action = KVALAB_REPLAY_CLEAR;
		return kvalab_lex_end(ps);
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
			rc = kvalab_lex_ulong(ps, "lazy_max_pages", tok + 15, 0,
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
	rc = kvalab_lex_line(&ps, line, len, buf, KVALAB_CMD_MAX,
			     "one command per write");
	if (rc)
		return rc;
	word = kvalab_next_token(&ps);
	if (!word)
		return kvalab_lex_fail(&ps, -EINVAL, "empty command");
	for (i = 0; i < ARRAY_SIZE(kvalab_ops); i++) {
		if (!strcmp(word, kvalab_ops[i].name)) {
			cmd->op = kvalab_ops[i].op;
			if (!kvalab_ops[i].parse)
				return kvalab_lex_end(&ps);
			return kvalab_ops[i].parse(&ps, cmd);
		}
	}
	return kvalab_lex_fail(&ps, -EINVAL, "unknown command '%s'", word);
}
