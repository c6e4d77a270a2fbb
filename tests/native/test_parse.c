// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven tests of the control-command parser (debugfs/parse.c, built
 * unchanged against the userspace shim). One TAP line per case.
 *
 * Whitespace decisions pinned down here:
 *   - tokens are separated by any run of spaces and tabs; leading and
 *     trailing blanks are ignored;
 *   - one trailing '\n' is accepted (echo adds it); any other newline is
 *     refused, so a write carries exactly one command;
 *   - CRLF is refused (-EINVAL naming the carriage return): a stray '\r'
 *     is a control byte like any other, and silently eating it would make
 *     "0x5a\r" and "0x5a" the same byte only by accident;
 *   - NUL anywhere, even last, is refused: the length is what the writer
 *     said, and a NUL inside it means the writer sent something else.
 * Numbers: decimal or 0x hex; a decimal with a leading zero is refused
 * rather than read as decimal or octal.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>

#include <kvalab/cmd.h>
#include <kvalab/workloads.h>
#include <kvalab/lex.h>	/* KVALAB_SIZE_FORMS */

#ifndef KVALAB_RUN_MAX_THREADS
#define KVALAB_RUN_MAX_THREADS	64
#endif

/* A string literal and its length, embedded NULs included. */
#define L(s)	s, sizeof(s) - 1

static int tap_nr;
static int tap_failed;

static __printf(2, 3)
void tap(bool pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_nr);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!pass)
		tap_failed++;
}

/* Printable rendering of a test line for TAP descriptions. */
static const char *show(const char *s, size_t len)
{
	static char buf[4 * KVALAB_CMD_MAX + 64];
	size_t i, o = 0;

	if (len > 60) {
		snprintf(buf, sizeof(buf), "<%zu bytes>", len);
		return buf;
	}
	buf[o++] = '"';
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '\n')
			o += sprintf(buf + o, "\\n");
		else if (c == '\t')
			o += sprintf(buf + o, "\\t");
		else if (c == '\r')
			o += sprintf(buf + o, "\\r");
		else if (c < 0x20 || c >= 0x7f)
			o += sprintf(buf + o, "\\x%02x", c);
		else
			buf[o++] = c;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

static const char *errname(int rc)
{
	switch (rc) {
	case 0:			return "0";
	case -EINVAL:		return "-EINVAL";
	case -ERANGE:		return "-ERANGE";
	case -EOVERFLOW:	return "-EOVERFLOW";
	case -EMSGSIZE:		return "-EMSGSIZE";
	}
	return "-E?";
}

/*
 * Parse with a poisoned @cmd (the parser must clear what it does not set)
 * and an err buffer whose bytes past KVALAB_ERR_MAX are a canary. Returns
 * false and prints a diagnostic if the err contract is broken: not
 * NUL-terminated within the limit, canary written, input modified, empty
 * reason on error, or non-empty reason on success.
 */
static bool parse(const char *line, size_t len, struct kvalab_cmd *cmd,
		  char *err, int *rc)
{
	char copy[KVALAB_CMD_MAX + 64];
	char errbuf[KVALAB_ERR_MAX + 32];
	size_t i;

	memset(cmd, 0xa5, sizeof(*cmd));
	memset(errbuf, 0x5a, sizeof(errbuf));
	if (len <= sizeof(copy))
		memcpy(copy, line, len);
	*rc = kvalab_parse(line, len, cmd, errbuf, KVALAB_ERR_MAX);
	if (!memchr(errbuf, '\0', KVALAB_ERR_MAX)) {
		printf("# reason not NUL-terminated within %d bytes\n",
		       KVALAB_ERR_MAX);
		return false;
	}
	for (i = KVALAB_ERR_MAX; i < sizeof(errbuf); i++) {
		if ((unsigned char)errbuf[i] != 0x5a) {
			printf("# reason buffer overrun at %zu\n", i);
			return false;
		}
	}
	if (len <= sizeof(copy) && memcmp(copy, line, len)) {
		printf("# parser modified its input\n");
		return false;
	}
	strcpy(err, errbuf);
	if (*rc && !err[0]) {
		printf("# %s with an empty reason\n", errname(*rc));
		return false;
	}
	if (!*rc && err[0]) {
		printf("# success with reason '%s'\n", err);
		return false;
	}
	return true;
}

/* --- valid commands: every field of the result is compared --- */

struct ok_case {
	const char *line;
	size_t len;
	struct kvalab_cmd want;
};

/* The default backends: kvalab,vmalloc, baseline vmalloc. */
#define BE_DEFAULT	.nr_backends = 2,				\
			.backends = { KVALAB_BE_KVALAB, KVALAB_BE_VMALLOC },	\
			.baseline = KVALAB_BE_VMALLOC
#define RUN_DEFAULT	.run = { BE_DEFAULT }

static const struct ok_case ok_cases[] = {
	/* alloc: sizes, suffixes, hex */
	{ L("alloc 1"), { KVALAB_OP_ALLOC, .size = 1 } },
	{ L("alloc 4096"), { KVALAB_OP_ALLOC, .size = 4096 } },
	{ L("alloc 64K"), { KVALAB_OP_ALLOC, .size = 64UL << 10 } },
	{ L("alloc 64k"), { KVALAB_OP_ALLOC, .size = 64UL << 10 } },
	{ L("alloc 3M"), { KVALAB_OP_ALLOC, .size = 3UL << 20 } },
	{ L("alloc 3m"), { KVALAB_OP_ALLOC, .size = 3UL << 20 } },
	{ L("alloc 2G"), { KVALAB_OP_ALLOC, .size = 2UL << 30 } },
	{ L("alloc 2g"), { KVALAB_OP_ALLOC, .size = 2UL << 30 } },
	{ L("alloc 0x1000"), { KVALAB_OP_ALLOC, .size = 0x1000 } },
	{ L("alloc 0X1aB"), { KVALAB_OP_ALLOC, .size = 0x1ab } },
	{ L("alloc 0x10K"), { KVALAB_OP_ALLOC, .size = 16UL << 10 } },
	{ L("alloc 0x000000000000000000001"), { KVALAB_OP_ALLOC, .size = 1 } },
	{ L("alloc 12345"), { KVALAB_OP_ALLOC, .size = 12345 } },
	/* alloc: binary-prefix suffixes, the same multiples as K/M/G */
	{ L("alloc 64KiB"), { KVALAB_OP_ALLOC, .size = 64UL << 10 } },
	{ L("alloc 3MiB"), { KVALAB_OP_ALLOC, .size = 3UL << 20 } },
	{ L("alloc 2GiB"), { KVALAB_OP_ALLOC, .size = 2UL << 30 } },
	{ L("alloc 0x10KiB"), { KVALAB_OP_ALLOC, .size = 16UL << 10 } },
	{ L("alloc 4K align=64KiB"),
	  { KVALAB_OP_ALLOC, .size = 4096, .align = 64UL << 10 } },
	/* alloc: options in either order */
	{ L("alloc 4K align=8K"),
	  { KVALAB_OP_ALLOC, .size = 4096, .align = 8192 } },
	{ L("alloc 4K align=1"),
	  { KVALAB_OP_ALLOC, .size = 4096, .align = 1 } },
	{ L("alloc 4K align=0x200000"),
	  { KVALAB_OP_ALLOC, .size = 4096, .align = 0x200000 } },
	{ L("alloc 4K noguard"),
	  { KVALAB_OP_ALLOC, .size = 4096, .noguard = true } },
	{ L("alloc 4K noguard align=2M"),
	  { KVALAB_OP_ALLOC, .size = 4096, .align = 2UL << 20,
	    .noguard = true } },
	{ L("alloc 4K align=2M noguard"),
	  { KVALAB_OP_ALLOC, .size = 4096, .align = 2UL << 20,
	    .noguard = true } },
	{ L("alloc 4K align=16G"),
	  { KVALAB_OP_ALLOC, .size = 4096, .align = 16UL << 30 } },
	{ L("alloc 4K align=0x8000000000000000"),
	  { KVALAB_OP_ALLOC, .size = 4096, .align = 1UL << 63 } },
	/* alloc: the largest sizes whose page span does not overflow */
	{ L("alloc 0xffffffffffffe000"),
	  { KVALAB_OP_ALLOC, .size = 0xffffffffffffe000UL } },
	{ L("alloc 0xfffffffffffff000 noguard"),
	  { KVALAB_OP_ALLOC, .size = 0xfffffffffffff000UL, .noguard = true } },
	{ L("alloc 0xffffffffffdff000 align=2M"),
	  { KVALAB_OP_ALLOC, .size = 0xffffffffffdff000UL,
	    .align = 2UL << 20 } },
	{ L("alloc 17179869183G"),
	  { KVALAB_OP_ALLOC, .size = 0xffffffffc0000000UL } },
	{ L("alloc 16777216G"), { KVALAB_OP_ALLOC, .size = 1UL << 54 } },
	/* whitespace */
	{ L("alloc 4K\n"), { KVALAB_OP_ALLOC, .size = 4096 } },
	{ L("  alloc 4K"), { KVALAB_OP_ALLOC, .size = 4096 } },
	{ L("\talloc\t4K\t"), { KVALAB_OP_ALLOC, .size = 4096 } },
	{ L("alloc    4K  \t align=8K   noguard  \n"),
	  { KVALAB_OP_ALLOC, .size = 4096, .align = 8192, .noguard = true } },
	{ L(" \t alloc 4K \t\n"), { KVALAB_OP_ALLOC, .size = 4096 } },
	/* free, free_atomic: ids and addresses */
	{ L("free 3"), { KVALAB_OP_FREE, .target = { false, 3 } } },
	{ L("free 0"), { KVALAB_OP_FREE, .target = { false, 0 } } },
	{ L("free 4294967295"),
	  { KVALAB_OP_FREE, .target = { false, 4294967295UL } } },
	{ L("free 0xffffc90000000000"),
	  { KVALAB_OP_FREE, .target = { true, 0xffffc90000000000UL } } },
	{ L("free 0x0"), { KVALAB_OP_FREE, .target = { true, 0 } } },
	{ L("free 0xffffffffffffffff"),
	  { KVALAB_OP_FREE, .target = { true, ULONG_MAX } } },
	{ L("free 0x100000000"),
	  { KVALAB_OP_FREE, .target = { true, 0x100000000UL } } },
	{ L("free_atomic 7\n"),
	  { KVALAB_OP_FREE_ATOMIC, .target = { false, 7 } } },
	{ L("free_atomic 0XFFFFC90000001000"),
	  { KVALAB_OP_FREE_ATOMIC, .target = { true, 0xffffc90000001000UL } } },
	/* fill, verify */
	{ L("fill 3 0x5a"),
	  { KVALAB_OP_FILL, .target = { false, 3 }, .byte = 0x5a } },
	{ L("fill 3 255"),
	  { KVALAB_OP_FILL, .target = { false, 3 }, .byte = 255 } },
	{ L("fill 3 0"), { KVALAB_OP_FILL, .target = { false, 3 } } },
	{ L("fill 3 0xFF"),
	  { KVALAB_OP_FILL, .target = { false, 3 }, .byte = 0xff } },
	{ L("verify 0xffff888000000000 0xa5\n"),
	  { KVALAB_OP_VERIFY, .target = { true, 0xffff888000000000UL },
	    .byte = 0xa5 } },
	{ L("verify\t9\t1"),
	  { KVALAB_OP_VERIFY, .target = { false, 9 }, .byte = 1 } },
	/* argument-less commands */
	{ L("purge"), { .op = KVALAB_OP_PURGE } },
	{ L("purge vmalloc\n"),
	  { .op = KVALAB_OP_PURGE, .purge_vmalloc = true } },
	{ L("reset\n"), { .op = KVALAB_OP_RESET } },
	{ L("  check  "), { .op = KVALAB_OP_CHECK } },
	{ L("check tlb\n"), { .op = KVALAB_OP_CHECK, .check_tlb = true } },
	{ L("stop"), { .op = KVALAB_OP_STOP } },
	/* run */
	{ L("run"), { KVALAB_OP_RUN, RUN_DEFAULT } },
	{ L("run\n"), { KVALAB_OP_RUN, RUN_DEFAULT } },
	{ L("run fix_size_alloc_test"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x1,
				    BE_DEFAULT } } },
	{ L("run vm_map_ram_test fix_size_alloc_test"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x401,
				    BE_DEFAULT } } },
	{ L("run align_shift_alloc_test align_shift_alloc_test"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x40,
				    BE_DEFAULT } } },
	/* test_vmalloc 6.19's and 7.2's cases: bits 0x800 and 0x1000. */
	{ L("run no_block_alloc_test"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x800,
				    BE_DEFAULT } } },
	{ L("run vrealloc_test no_block_alloc_test backend=vmalloc"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x1800, .nr_backends = 1,
				    .backends = { KVALAB_BE_VMALLOC },
				    .baseline = KVALAB_BE_VMALLOC } } },
	{ L("run mask=0x1fff"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x1fff,
				    BE_DEFAULT } } },
	{ L("run mask=0x47f"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x47f,
				    BE_DEFAULT } } },
	{ L("run mask=1151"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x47f,
				    BE_DEFAULT } } },
	{ L("run full_fit_alloc_test mask=0x1"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x3,
				    BE_DEFAULT } } },
	{ L("run threads=4 loops=10 repeat=3 pages=2 sequential=1 backend=kvalab"),
	  { KVALAB_OP_RUN, .run = { .nr_threads = 4, .loops = 10, .repeat = 3,
				    .nr_pages = 2, .sequential = true,
				    .nr_backends = 1,
				    .backends = { KVALAB_BE_KVALAB },
				    .baseline = KVALAB_BE_KVALAB } } },
	{ L("run backend=vmalloc sequential=0 random_size_alloc_test"),
	  { KVALAB_OP_RUN, .run = { .mask = 0x8, .nr_backends = 1,
				    .backends = { KVALAB_BE_VMALLOC },
				    .baseline = KVALAB_BE_VMALLOC } } },
	{ L("run backend=kvalab,vmalloc"), { KVALAB_OP_RUN, RUN_DEFAULT } },
	/* The order is kept; the baseline is vmalloc wherever it is. */
	{ L("run backend=vmalloc,kvalab"),
	  { KVALAB_OP_RUN, .run = { .nr_backends = 2,
				    .backends = { KVALAB_BE_VMALLOC,
						  KVALAB_BE_KVALAB },
				    .baseline = KVALAB_BE_VMALLOC } } },
	{ L("run backend=vmalloc,kvalab:lowest,kvalab:best-fit"),
	  { KVALAB_OP_RUN, .run = {
		.nr_backends = 3,
		.backends = { KVALAB_BE_VMALLOC,
			      KVALAB_BE_POLICY(KVA_POLICY_LOWEST),
			      KVALAB_BE_POLICY(KVA_POLICY_BEST_FIT) },
		.baseline = KVALAB_BE_VMALLOC } } },
	/* Without vmalloc the first backend is the baseline. */
	{ L("run backend=kvalab:next-fit,kvalab"),
	  { KVALAB_OP_RUN, .run = {
		.nr_backends = 2,
		.backends = { KVALAB_BE_POLICY(KVA_POLICY_NEXT_FIT),
			      KVALAB_BE_KVALAB },
		.baseline = KVALAB_BE_POLICY(KVA_POLICY_NEXT_FIT) } } },
	/* baseline= before or after backend=, any of the run's backends. */
	{ L("run baseline=kvalab:vmlist backend=kvalab:vmlist,vmalloc"),
	  { KVALAB_OP_RUN, .run = {
		.nr_backends = 2,
		.backends = { KVALAB_BE_POLICY(KVA_POLICY_VMLIST),
			      KVALAB_BE_VMALLOC },
		.baseline = KVALAB_BE_POLICY(KVA_POLICY_VMLIST) } } },
	{ L("run baseline=kvalab"),
	  { KVALAB_OP_RUN, .run = { .nr_backends = 2,
				    .backends = { KVALAB_BE_KVALAB,
						  KVALAB_BE_VMALLOC },
				    .baseline = KVALAB_BE_KVALAB } } },
	/* Every backend once: the most a run can name. */
	{ L("run backend=kvalab:instant-fit,kvalab:best-fit,kvalab:next-fit,"
	    "kvalab:cached-hole,kvalab:vmlist,kvalab:lowest,kvalab,floor,vmalloc"),
	  { KVALAB_OP_RUN, .run = {
		.nr_backends = KVALAB_RUN_MAX_BACKENDS,
		.backends = { KVALAB_BE_POLICY(KVA_POLICY_INSTANT_FIT),
			      KVALAB_BE_POLICY(KVA_POLICY_BEST_FIT),
			      KVALAB_BE_POLICY(KVA_POLICY_NEXT_FIT),
			      KVALAB_BE_POLICY(KVA_POLICY_CACHED_HOLE),
			      KVALAB_BE_POLICY(KVA_POLICY_VMLIST),
			      KVALAB_BE_POLICY(KVA_POLICY_LOWEST),
			      KVALAB_BE_KVALAB, KVALAB_BE_FLOOR,
			      KVALAB_BE_VMALLOC },
		.baseline = KVALAB_BE_VMALLOC } } },
	{ L("run threads=0"), { KVALAB_OP_RUN, RUN_DEFAULT } },
	{ L("run threads=64"),
	  { KVALAB_OP_RUN, .run = { .nr_threads = 64,
				    BE_DEFAULT } } },
	/* policy: every name, also among blanks and before a newline */
	{ L("policy lowest"), { .op = KVALAB_OP_POLICY,
				.policy = KVA_POLICY_LOWEST } },
	{ L("policy vmlist"), { .op = KVALAB_OP_POLICY,
				.policy = KVA_POLICY_VMLIST } },
	{ L("policy cached-hole"), { .op = KVALAB_OP_POLICY,
				     .policy = KVA_POLICY_CACHED_HOLE } },
	{ L("policy next-fit"), { .op = KVALAB_OP_POLICY,
				  .policy = KVA_POLICY_NEXT_FIT } },
	{ L("policy best-fit\n"), { .op = KVALAB_OP_POLICY,
				     .policy = KVA_POLICY_BEST_FIT } },
	{ L(" \tpolicy\tinstant-fit \n"),
	  { .op = KVALAB_OP_POLICY, .policy = KVA_POLICY_INSTANT_FIT } },
	/* record on|off */
	{ L("record on"), { .op = KVALAB_OP_RECORD, .record_on = true } },
	{ L("record\toff\n"), { .op = KVALAB_OP_RECORD } },
	/* replay start|stop|clear */
	{ L("replay start"), { .op = KVALAB_OP_REPLAY,
			       .replay = { .action = KVALAB_REPLAY_START } } },
	{ L("replay stop\n"), { .op = KVALAB_OP_REPLAY,
				 .replay = { .action = KVALAB_REPLAY_STOP } } },
	{ L("replay clear"), { .op = KVALAB_OP_REPLAY,
			       .replay = { .action = KVALAB_REPLAY_CLEAR } } },
	{ L("replay start policy=all va_only samples=1000"),
	  { .op = KVALAB_OP_REPLAY,
	    .replay = { .action = KVALAB_REPLAY_START, .policies = 0x3f,
			.va_only = true, .samples = 1000 } } },
	{ L("replay start samples=1 policy=best-fit,lowest"),
	  { .op = KVALAB_OP_REPLAY,
	    .replay = { .action = KVALAB_REPLAY_START,
			.policies = (1 << KVA_POLICY_BEST_FIT) |
				    (1 << KVA_POLICY_LOWEST),
			.samples = 1 } } },
	{ L("replay start policy=instant-fit"),
	  { .op = KVALAB_OP_REPLAY,
	    .replay = { .action = KVALAB_REPLAY_START,
			.policies = 1 << KVA_POLICY_INSTANT_FIT } } },
	{ L("replay start search=padded lazy_max_pages=0x100"),
	  { .op = KVALAB_OP_REPLAY,
	    .replay = { .action = KVALAB_REPLAY_START,
			.search = KVA_SEARCH_PADDED,
			.lazy_max_pages = 256 } } },
	{ L("replay start search=exact lazy_max_pages=1"),
	  { .op = KVALAB_OP_REPLAY,
	    .replay = { .action = KVALAB_REPLAY_START,
			.search = KVA_SEARCH_EXACT, .lazy_max_pages = 1 } } },
	/* explain: the arguments of alloc, in any order */
	{ L("explain 64K"), { KVALAB_OP_EXPLAIN, .size = 64UL << 10 } },
	{ L("explain 1 align=2M noguard\n"),
	  { KVALAB_OP_EXPLAIN, .size = 1, .align = 2UL << 20, .noguard = true } },
	{ L("run loops=4294967295 repeat=0xffffffff pages=1"),
	  { KVALAB_OP_RUN, .run = { .loops = UINT_MAX, .repeat = UINT_MAX,
				    .nr_pages = 1,
				    BE_DEFAULT } } },
};

static bool cmd_equal(const struct kvalab_cmd *a, const struct kvalab_cmd *b)
{
	unsigned int i;

#define FIELD(f, fmt) do {						\
	if (a->f != b->f) {						\
		printf("# " #f ": got " fmt ", want " fmt "\n",		\
		       a->f, b->f);					\
		return false;						\
	}								\
} while (0)
	FIELD(op, "%d");
	FIELD(size, "%#lx");
	FIELD(align, "%#lx");
	FIELD(noguard, "%d");
	FIELD(target.is_addr, "%d");
	FIELD(target.value, "%#lx");
	FIELD(byte, "%#x");
	FIELD(run.mask, "%#x");
	FIELD(run.nr_threads, "%u");
	FIELD(run.loops, "%u");
	FIELD(run.repeat, "%u");
	FIELD(run.nr_pages, "%u");
	FIELD(run.sequential, "%d");
	FIELD(run.nr_backends, "%u");
	FIELD(run.baseline, "%u");
	for (i = 0; i < KVALAB_RUN_MAX_BACKENDS; i++)
		FIELD(run.backends[i], "%u");
	FIELD(policy, "%d");
	FIELD(record_on, "%d");
	FIELD(purge_vmalloc, "%d");
	FIELD(replay.action, "%d");
	FIELD(replay.policies, "%#x");
	FIELD(replay.va_only, "%d");
	FIELD(replay.samples, "%u");
	FIELD(replay.search, "%d");
	FIELD(replay.lazy_max_pages, "%lu");
#undef FIELD
	return true;
}

static void test_ok_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok_cases); i++) {
		const struct ok_case *c = &ok_cases[i];
		char err[KVALAB_ERR_MAX];
		struct kvalab_cmd cmd;
		bool pass;
		int rc;

		pass = parse(c->line, c->len, &cmd, err, &rc);
		if (pass && rc) {
			printf("# got %s: %s\n", errname(rc), err);
			pass = false;
		}
		pass = pass && cmd_equal(&cmd, &c->want);
		tap(pass, "accept %s", show(c->line, c->len));
	}
}

/* --- refused commands: errno, reason naming the token, op if known --- */

struct err_case {
	const char *line;
	size_t len;
	int rc;
	const char *reason;	/* must occur in the reason */
	enum kvalab_op op;	/* cmd.op after the failure */
};

static const struct err_case err_cases[] = {
	/* the line itself */
	{ L(""), -EINVAL, "empty command", 0 },
	{ L("\n"), -EINVAL, "empty command", 0 },
	{ L("  \t  "), -EINVAL, "empty command", 0 },
	{ L(" \t\n"), -EINVAL, "empty command", 0 },
	{ L("\n\n"), -EINVAL, "newline at offset 0", 0 },
	{ L("alloc 4K\n\n"), -EINVAL, "newline at offset 8", 0 },
	{ L("alloc\n4K"), -EINVAL, "newline at offset 5", 0 },
	{ L("alloc 4K\r\n"), -EINVAL, "carriage return at offset 8", 0 },
	{ L("alloc 4K\r"), -EINVAL, "carriage return at offset 8", 0 },
	{ L("alloc 4K\0garbage"), -EINVAL, "NUL byte at offset 8", 0 },
	{ L("alloc 4K\0"), -EINVAL, "NUL byte at offset 8", 0 },
	{ L("\0"), -EINVAL, "NUL byte at offset 0", 0 },
	{ L("\0alloc 4K"), -EINVAL, "NUL byte at offset 0", 0 },
	{ L("alloc \x01"), -EINVAL, "byte 0x01 at offset 6", 0 },
	{ L("alloc 4K\x7f"), -EINVAL, "byte 0x7f at offset 8", 0 },
	{ L("alloc \xff"), -EINVAL, "byte 0xff at offset 6", 0 },
	{ L("\x1b[Aalloc 4K"), -EINVAL, "byte 0x1b at offset 0", 0 },
	{ L("alloc\v4K"), -EINVAL, "byte 0x0b at offset 5", 0 },
	{ L("alloc\f4K"), -EINVAL, "byte 0x0c at offset 5", 0 },
	/* command word */
	{ L("allco 4K"), -EINVAL, "unknown command 'allco'", 0 },
	{ L("ALLOC 4K"), -EINVAL, "unknown command 'ALLOC'", 0 },
	{ L("alloc4K"), -EINVAL, "unknown command 'alloc4K'", 0 },
	{ L("free-atomic 3"), -EINVAL, "unknown command 'free-atomic'", 0 },
	{ L("#alloc 4K"), -EINVAL, "unknown command '#alloc'", 0 },
	/* alloc SIZE */
	{ L("alloc"), -EINVAL, "missing SIZE", KVALAB_OP_ALLOC },
	{ L("alloc \n"), -EINVAL, "missing SIZE", KVALAB_OP_ALLOC },
	{ L("alloc 0"), -EINVAL, "size '0' is zero", KVALAB_OP_ALLOC },
	{ L("alloc 0K"), -EINVAL, "size '0K' is zero", KVALAB_OP_ALLOC },
	{ L("alloc 0x0"), -EINVAL, "size '0x0' is zero", KVALAB_OP_ALLOC },
	{ L("alloc -1"), -EINVAL, "size '-1' is signed", KVALAB_OP_ALLOC },
	{ L("alloc +4096"), -EINVAL, "size '+4096' is signed",
	  KVALAB_OP_ALLOC },
	{ L("alloc -0x1000"), -EINVAL, "'-0x1000' is signed",
	  KVALAB_OP_ALLOC },
	{ L("alloc 010"), -EINVAL, "size '010' has a leading zero",
	  KVALAB_OP_ALLOC },
	{ L("alloc 00"), -EINVAL, "'00' has a leading zero", KVALAB_OP_ALLOC },
	{ L("alloc 4KB"), -EINVAL, "malformed size '4KB'", KVALAB_OP_ALLOC },
	{ L("alloc 4KK"), -EINVAL, "malformed size '4KK'", KVALAB_OP_ALLOC },
	{ L("alloc 1.5M"), -EINVAL, "malformed size '1.5M'", KVALAB_OP_ALLOC },
	{ L("alloc K"), -EINVAL, "malformed size 'K'", KVALAB_OP_ALLOC },
	{ L("alloc 4T"), -EINVAL, "malformed size '4T'", KVALAB_OP_ALLOC },
	{ L("alloc 0x"), -EINVAL, "malformed size '0x'", KVALAB_OP_ALLOC },
	{ L("alloc 0xK"), -EINVAL, "malformed size '0xK'", KVALAB_OP_ALLOC },
	{ L("alloc 0xg"), -EINVAL, "malformed size '0xg'", KVALAB_OP_ALLOC },
	{ L("alloc 12abc"), -EINVAL, "malformed size '12abc'",
	  KVALAB_OP_ALLOC },
	{ L("alloc 99999999999999999999x"), -EINVAL,
	  "malformed size '99999999999999999999x'", KVALAB_OP_ALLOC },
	{ L("alloc 4 K"), -EINVAL, "unknown option 'K'", KVALAB_OP_ALLOC },
	/* a refused size names the token and lists the accepted forms */
	{ L("alloc 64KB"), -EINVAL,
	  "malformed size '64KB': sizes are " KVALAB_SIZE_FORMS,
	  KVALAB_OP_ALLOC },
	{ L("alloc 1.5M"), -EINVAL,
	  "malformed size '1.5M': sizes are decimal or 0x hex bytes with an optional K, M, G, KiB, MiB or GiB suffix",
	  KVALAB_OP_ALLOC },
	{ L("alloc -4K"), -EINVAL,
	  "size '-4K' is signed; sizes are " KVALAB_SIZE_FORMS,
	  KVALAB_OP_ALLOC },
	{ L("alloc 4Ki"), -EINVAL, "malformed size '4Ki'", KVALAB_OP_ALLOC },
	{ L("alloc 4KiBx"), -EINVAL, "malformed size '4KiBx'",
	  KVALAB_OP_ALLOC },
	{ L("alloc 4Kib"), -EINVAL, "malformed size '4Kib'", KVALAB_OP_ALLOC },
	{ L("alloc 4iB"), -EINVAL, "malformed size '4iB'", KVALAB_OP_ALLOC },
	{ L("alloc 4K align=2KB"), -EINVAL,
	  "malformed alignment '2KB': sizes are " KVALAB_SIZE_FORMS,
	  KVALAB_OP_ALLOC },
	/* alloc SIZE: range and overflow */
	{ L("alloc 18446744073709551615"), -EOVERFLOW,
	  "size '18446744073709551615' with guard", KVALAB_OP_ALLOC },
	{ L("alloc 18446744073709551616"), -ERANGE,
	  "size '18446744073709551616' does not fit", KVALAB_OP_ALLOC },
	{ L("alloc 0xffffffffffffffff"), -EOVERFLOW,
	  "size '0xffffffffffffffff' with guard", KVALAB_OP_ALLOC },
	{ L("alloc 0x10000000000000000"), -ERANGE,
	  "'0x10000000000000000' does not fit", KVALAB_OP_ALLOC },
	{ L("alloc 0xffffffffffffffffK"), -EOVERFLOW,
	  "size '0xffffffffffffffffK' overflows", KVALAB_OP_ALLOC },
	{ L("alloc 18446744073709551616K"), -ERANGE,
	  "'18446744073709551616K' does not fit", KVALAB_OP_ALLOC },
	{ L("alloc 17179869184G"), -EOVERFLOW,
	  "size '17179869184G' overflows", KVALAB_OP_ALLOC },
	{ L("alloc 17592186044416M"), -EOVERFLOW,
	  "'17592186044416M' overflows", KVALAB_OP_ALLOC },
	{ L("alloc 0xffffffffffffe001"), -EOVERFLOW,
	  "'0xffffffffffffe001' with guard", KVALAB_OP_ALLOC },
	{ L("alloc 0xfffffffffffff001 noguard"), -EOVERFLOW,
	  "'0xfffffffffffff001' with guard", KVALAB_OP_ALLOC },
	{ L("alloc 0xffffffffffdff001 align=2M"), -EOVERFLOW,
	  "'0xffffffffffdff001' with guard", KVALAB_OP_ALLOC },
	{ L("alloc 0x8000000000000000 align=0x8000000000000000"), -EOVERFLOW,
	  "size '0x8000000000000000' with guard", KVALAB_OP_ALLOC },
	/* alloc options */
	{ L("alloc 4K align=3000"), -EINVAL,
	  "alignment 3000 is not a power of two", KVALAB_OP_ALLOC },
	{ L("alloc 4K align=0"), -EINVAL, "alignment 0 is not a power of two",
	  KVALAB_OP_ALLOC },
	{ L("alloc 4K align=3K"), -EINVAL,
	  "alignment 3K is not a power of two", KVALAB_OP_ALLOC },
	{ L("alloc 4K align="), -EINVAL, "malformed alignment ''",
	  KVALAB_OP_ALLOC },
	{ L("alloc 4K align=-4096"), -EINVAL, "alignment '-4096' is signed",
	  KVALAB_OP_ALLOC },
	{ L("alloc 4K align=0x10000000000000000"), -ERANGE,
	  "alignment '0x10000000000000000' does not fit", KVALAB_OP_ALLOC },
	{ L("alloc 4K align=0x8000000000000000K"), -EOVERFLOW,
	  "alignment '0x8000000000000000K' overflows", KVALAB_OP_ALLOC },
	{ L("alloc 4K align=4K align=8K"), -EINVAL,
	  "repeated option 'align=8K'", KVALAB_OP_ALLOC },
	{ L("alloc 4K noguard noguard"), -EINVAL, "repeated option 'noguard'",
	  KVALAB_OP_ALLOC },
	{ L("alloc 4K guard"), -EINVAL, "unknown option 'guard'",
	  KVALAB_OP_ALLOC },
	{ L("alloc 4K align"), -EINVAL, "unknown option 'align'",
	  KVALAB_OP_ALLOC },
	{ L("alloc 4K Align=4K"), -EINVAL, "unknown option 'Align=4K'",
	  KVALAB_OP_ALLOC },
	{ L("alloc 4K noguard=1"), -EINVAL, "unknown option 'noguard=1'",
	  KVALAB_OP_ALLOC },
	/* free, free_atomic */
	{ L("free"), -EINVAL, "missing TARGET", KVALAB_OP_FREE },
	{ L("free 3 x"), -EINVAL, "extra argument 'x'", KVALAB_OP_FREE },
	{ L("free 4294967296"), -ERANGE, "id '4294967296' does not fit 32 bits",
	  KVALAB_OP_FREE },
	{ L("free 18446744073709551616"), -ERANGE,
	  "id '18446744073709551616' does not fit", KVALAB_OP_FREE },
	{ L("free 0x10000000000000000"), -ERANGE,
	  "address '0x10000000000000000' does not fit", KVALAB_OP_FREE },
	{ L("free -1"), -EINVAL, "id '-1' is signed", KVALAB_OP_FREE },
	{ L("free 4K"), -EINVAL, "malformed id '4K'", KVALAB_OP_FREE },
	{ L("free 0x1000K"), -EINVAL, "malformed address '0x1000K'",
	  KVALAB_OP_FREE },
	{ L("free abc"), -EINVAL, "malformed id 'abc'", KVALAB_OP_FREE },
	{ L("free 0xzz"), -EINVAL, "malformed address '0xzz'", KVALAB_OP_FREE },
	{ L("free 03"), -EINVAL, "id '03' has a leading zero", KVALAB_OP_FREE },
	{ L("free_atomic"), -EINVAL, "missing TARGET",
	  KVALAB_OP_FREE_ATOMIC },
	{ L("free_atomic 1 2"), -EINVAL, "extra argument '2'",
	  KVALAB_OP_FREE_ATOMIC },
	/* fill, verify */
	{ L("fill"), -EINVAL, "missing TARGET", KVALAB_OP_FILL },
	{ L("fill 3"), -EINVAL, "missing BYTE", KVALAB_OP_FILL },
	{ L("fill 3 256"), -ERANGE, "byte '256' is out of range",
	  KVALAB_OP_FILL },
	{ L("fill 3 0x100"), -ERANGE, "byte '0x100' is out of range",
	  KVALAB_OP_FILL },
	{ L("fill 3 99999999999999999999"), -ERANGE,
	  "byte '99999999999999999999' does not fit", KVALAB_OP_FILL },
	{ L("fill 3 -1"), -EINVAL, "byte '-1' is signed", KVALAB_OP_FILL },
	{ L("fill 3 a5"), -EINVAL, "malformed byte 'a5'", KVALAB_OP_FILL },
	{ L("fill 3 1K"), -EINVAL, "malformed byte '1K'", KVALAB_OP_FILL },
	{ L("fill 3 0x5a 0x5a"), -EINVAL, "extra argument '0x5a'",
	  KVALAB_OP_FILL },
	{ L("fill 4294967296 1"), -ERANGE, "id '4294967296'", KVALAB_OP_FILL },
	{ L("verify 3"), -EINVAL, "missing BYTE", KVALAB_OP_VERIFY },
	{ L("verify x 1"), -EINVAL, "malformed id 'x'",
	  KVALAB_OP_VERIFY },
	/* argument-less commands */
	{ L("purge now"), -EINVAL,
	  "'now' is not vmalloc: purge takes nothing or vmalloc",
	  KVALAB_OP_PURGE },
	{ L("purge vmalloc now"), -EINVAL, "extra argument 'now'",
	  KVALAB_OP_PURGE },
	{ L("purge VMALLOC"), -EINVAL, "'VMALLOC' is not vmalloc",
	  KVALAB_OP_PURGE },
	{ L("check tlb now"), -EINVAL, "extra argument 'now'",
	  KVALAB_OP_CHECK },
	{ L("check TLB"), -EINVAL,
	  "'TLB' is not tlb: check takes nothing or tlb", KVALAB_OP_CHECK },
	{ L("reset 1"), -EINVAL, "extra argument '1'", KVALAB_OP_RESET },
	{ L("check all"), -EINVAL,
	  "'all' is not tlb: check takes nothing or tlb", KVALAB_OP_CHECK },
	{ L("stop\t-f\n"), -EINVAL, "extra argument '-f'",
	  KVALAB_OP_STOP },
	/* run */
	{ L("run foo"), -EINVAL, "unknown test 'foo'", KVALAB_OP_RUN },
	{ L("run kvfree_rcu_3_arg_vmalloc_test"), -EINVAL,
	  "unknown test 'kvfree_rcu_3_arg_vmalloc_test'", KVALAB_OP_RUN },
	{ L("run fix_size_alloc_test,vm_map_ram_test"), -EINVAL,
	  "unknown test 'fix_size_alloc_test,vm_map_ram_test'", KVALAB_OP_RUN },
	{ L("run mask=0x2000"), -EINVAL,
	  "mask '0x2000' has bits 0x2000 that name no", KVALAB_OP_RUN },
	{ L("run mask=0x3fff"), -EINVAL, "mask '0x3fff' has bits 0x2000",
	  KVALAB_OP_RUN },
	{ L("run no_block_alloc_test,vrealloc_test"), -EINVAL,
	  "unknown test 'no_block_alloc_test,vrealloc_test'", KVALAB_OP_RUN },
	{ L("run mask=0"), -EINVAL, "mask '0' selects no test", KVALAB_OP_RUN },
	{ L("run mask=4294967296"), -ERANGE,
	  "mask '4294967296' does not fit an unsigned int", KVALAB_OP_RUN },
	{ L("run mask=1K"), -EINVAL, "malformed mask '1K'", KVALAB_OP_RUN },
	{ L("run mask="), -EINVAL, "malformed mask ''", KVALAB_OP_RUN },
	{ L("run mask=1 mask=2"), -EINVAL, "repeated option 'mask=2'",
	  KVALAB_OP_RUN },
	{ L("run threads=65"), -ERANGE, "threads '65' is above the maximum 64",
	  KVALAB_OP_RUN },
	{ L("run threads=18446744073709551616"), -ERANGE,
	  "threads '18446744073709551616' does not fit", KVALAB_OP_RUN },
	{ L("run threads=-1"), -EINVAL, "threads '-1' is signed",
	  KVALAB_OP_RUN },
	{ L("run threads=2 threads=2"), -EINVAL,
	  "repeated option 'threads=2'", KVALAB_OP_RUN },
	{ L("run loops=0"), -EINVAL, "loops '0' must be greater than 0",
	  KVALAB_OP_RUN },
	{ L("run repeat=0x0"), -EINVAL, "repeat '0x0' must be greater than 0",
	  KVALAB_OP_RUN },
	{ L("run pages=0"), -EINVAL, "pages '0' must be greater than 0",
	  KVALAB_OP_RUN },
	{ L("run loops=4294967296"), -ERANGE,
	  "loops '4294967296' does not fit", KVALAB_OP_RUN },
	{ L("run loops=10K"), -EINVAL, "malformed loops '10K'", KVALAB_OP_RUN },
	{ L("run sequential=2"), -EINVAL, "sequential '2' is not 0 or 1",
	  KVALAB_OP_RUN },
	{ L("run sequential=01"), -EINVAL, "sequential '01' is not 0 or 1",
	  KVALAB_OP_RUN },
	{ L("run sequential="), -EINVAL, "sequential '' is not 0 or 1",
	  KVALAB_OP_RUN },
	{ L("run backend=foo"), -EINVAL, "unknown backend 'foo'",
	  KVALAB_OP_RUN },
	{ L("run backend="), -EINVAL, "unknown backend ''", KVALAB_OP_RUN },
	{ L("run backend=kvalab,"), -EINVAL,
	  "unknown backend '' in 'backend=kvalab,'", KVALAB_OP_RUN },
	{ L("run backend=,vmalloc"), -EINVAL, "unknown backend ''",
	  KVALAB_OP_RUN },
	{ L("run backend=kvalabx"), -EINVAL, "unknown backend 'kvalabx'",
	  KVALAB_OP_RUN },
	{ L("run backend=kvalab,kvalab"), -EINVAL,
	  "backend 'kvalab' given twice", KVALAB_OP_RUN },
	{ L("run backend=kvalab backend=vmalloc"), -EINVAL,
	  "repeated option 'backend=vmalloc'", KVALAB_OP_RUN },
	{ L("run backend=kvalab:"), -EINVAL,
	  "unknown backend 'kvalab:' in 'backend=kvalab:'", KVALAB_OP_RUN },
	{ L("run backend=kvalab:worst-fit"), -EINVAL,
	  "unknown backend 'kvalab:worst-fit'", KVALAB_OP_RUN },
	{ L("run backend=lowest"), -EINVAL, "unknown backend 'lowest'",
	  KVALAB_OP_RUN },
	{ L("run backend=vmalloc,kvalab:lowest,kvalab:lowest"), -EINVAL,
	  "backend 'kvalab:lowest' given twice", KVALAB_OP_RUN },
	{ L("run baseline=zmalloc"), -EINVAL,
	  "unknown backend 'zmalloc' in 'baseline=zmalloc'", KVALAB_OP_RUN },
	{ L("run baseline="), -EINVAL, "unknown backend '' in 'baseline='",
	  KVALAB_OP_RUN },
	{ L("run backend=kvalab:lowest,kvalab baseline=vmalloc"), -EINVAL,
	  "baseline 'vmalloc' is not one of the run's backends",
	  KVALAB_OP_RUN },
	{ L("run baseline=kvalab baseline=kvalab"), -EINVAL,
	  "repeated option 'baseline=kvalab'", KVALAB_OP_RUN },
	/* A bad option after baseline= is reported, not the baseline. */
	{ L("run baseline=foo loops=0"), -EINVAL,
	  "loops '0' must be greater than 0", KVALAB_OP_RUN },
	{ L("run color=red"), -EINVAL, "unknown option 'color=red'",
	  KVALAB_OP_RUN },
	{ L("run =5"), -EINVAL, "unknown option '=5'", KVALAB_OP_RUN },
	{ L("run mask==1"), -EINVAL, "malformed mask '=1'", KVALAB_OP_RUN },
	/* policy NAME: exact names only, the accepted ones in the reason */
	{ L("policy"), -EINVAL,
	  "missing NAME (one of: lowest, vmlist, cached-hole, next-fit, best-fit, instant-fit)",
	  KVALAB_OP_POLICY },
	{ L("policy \t\n"), -EINVAL, "missing NAME", KVALAB_OP_POLICY },
	{ L("policy first-fit"), -EINVAL,
	  "unknown policy 'first-fit' (one of: lowest, vmlist, cached-hole, next-fit, best-fit, instant-fit)",
	  KVALAB_OP_POLICY },
	{ L("policy Lowest"), -EINVAL, "unknown policy 'Lowest'",
	  KVALAB_OP_POLICY },
	{ L("policy BEST-FIT"), -EINVAL, "unknown policy 'BEST-FIT'",
	  KVALAB_OP_POLICY },
	{ L("policy best_fit"), -EINVAL, "unknown policy 'best_fit'",
	  KVALAB_OP_POLICY },
	{ L("policy low"), -EINVAL, "unknown policy 'low' ", KVALAB_OP_POLICY },
	{ L("policy lowestx"), -EINVAL, "unknown policy 'lowestx'",
	  KVALAB_OP_POLICY },
	{ L("policy next-fit,best-fit"), -EINVAL,
	  "unknown policy 'next-fit,best-fit'", KVALAB_OP_POLICY },
	{ L("policy =lowest"), -EINVAL, "unknown policy '=lowest'",
	  KVALAB_OP_POLICY },
	{ L("policy lowest best-fit"), -EINVAL, "extra argument 'best-fit'",
	  KVALAB_OP_POLICY },
	{ L("policy vmlist x\n"), -EINVAL, "extra argument 'x'",
	  KVALAB_OP_POLICY },
	{ L("Policy lowest"), -EINVAL, "unknown command 'Policy'", 0 },
	/* record on|off */
	{ L("record"), -EINVAL, "missing on or off", KVALAB_OP_RECORD },
	{ L("record yes"), -EINVAL, "'yes' is not on or off",
	  KVALAB_OP_RECORD },
	{ L("record On"), -EINVAL, "'On' is not on or off", KVALAB_OP_RECORD },
	{ L("record on off"), -EINVAL, "extra argument 'off'",
	  KVALAB_OP_RECORD },
	/* replay */
	{ L("replay"), -EINVAL, "missing start, stop or clear",
	  KVALAB_OP_REPLAY },
	{ L("replay go"), -EINVAL, "'go' is not start, stop or clear",
	  KVALAB_OP_REPLAY },
	{ L("replay stop now"), -EINVAL, "extra argument 'now'",
	  KVALAB_OP_REPLAY },
	{ L("replay clear x"), -EINVAL, "extra argument 'x'",
	  KVALAB_OP_REPLAY },
	{ L("replay start policy=first-fit"), -EINVAL,
	  "unknown policy 'first-fit' (all, or one or more of: lowest, vmlist, cached-hole, next-fit, best-fit, instant-fit)",
	  KVALAB_OP_REPLAY },
	{ L("replay start policy="), -EINVAL, "unknown policy ''",
	  KVALAB_OP_REPLAY },
	{ L("replay start policy=lowest,"), -EINVAL, "unknown policy ''",
	  KVALAB_OP_REPLAY },
	{ L("replay start policy=all,lowest"), -EINVAL,
	  "unknown policy 'all'", KVALAB_OP_REPLAY },
	{ L("replay start policy=lowest,lowest"), -EINVAL,
	  "policy 'lowest' given twice", KVALAB_OP_REPLAY },
	{ L("replay start search=fast"), -EINVAL,
	  "unknown search 'fast' (exact, padded)", KVALAB_OP_REPLAY },
	{ L("replay start search="), -EINVAL, "unknown search ''",
	  KVALAB_OP_REPLAY },
	{ L("replay start search=exact search=padded"), -EINVAL,
	  "repeated option 'search='", KVALAB_OP_REPLAY },
	{ L("replay start lazy_max_pages=0"), -ERANGE,
	  "lazy_max_pages '0' is zero", KVALAB_OP_REPLAY },
	{ L("replay start lazy_max_pages=4K"), -EINVAL, "lazy_max_pages '4K'",
	  KVALAB_OP_REPLAY },
	{ L("replay start lazy_max_pages=1 lazy_max_pages=2"), -EINVAL,
	  "repeated option 'lazy_max_pages='", KVALAB_OP_REPLAY },
	{ L("replay start policy=lowest policy=vmlist"), -EINVAL,
	  "repeated option 'policy='", KVALAB_OP_REPLAY },
	{ L("replay start va_only va_only"), -EINVAL,
	  "repeated option 'va_only'", KVALAB_OP_REPLAY },
	{ L("replay start samples=0"), -ERANGE,
	  "samples '0' is not in 1..1000", KVALAB_OP_REPLAY },
	{ L("replay start samples=1001"), -ERANGE,
	  "samples '1001' is not in 1..1000", KVALAB_OP_REPLAY },
	{ L("replay start samples=x"), -EINVAL, "malformed samples 'x'",
	  KVALAB_OP_REPLAY },
	{ L("replay start samples=1 samples=2"), -EINVAL,
	  "repeated option 'samples='", KVALAB_OP_REPLAY },
	{ L("replay start vaonly"), -EINVAL, "unknown option 'vaonly'",
	  KVALAB_OP_REPLAY },
	{ L("policy\vlowest"), -EINVAL, "byte 0x0b at offset 6", 0 },
	/* explain: alloc's refusals, named explain */
	{ L("explain"), -EINVAL, "missing SIZE", KVALAB_OP_EXPLAIN },
	{ L("explain 0"), -EINVAL, "size '0' is zero", KVALAB_OP_EXPLAIN },
	{ L("explain 4K align=3K"), -EINVAL,
	  "alignment 3K is not a power of two", KVALAB_OP_EXPLAIN },
	{ L("explain 4K noguard noguard"), -EINVAL,
	  "repeated option 'noguard'", KVALAB_OP_EXPLAIN },
	{ L("explain 4K id=3"), -EINVAL, "unknown option 'id=3'",
	  KVALAB_OP_EXPLAIN },
	{ L("explain 18446744073709551615"), -EOVERFLOW,
	  "overflows", KVALAB_OP_EXPLAIN },
	{ L("explain 99999999999999999999"), -ERANGE, "", KVALAB_OP_EXPLAIN },
};

static void test_err_cases(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(err_cases); i++) {
		const struct err_case *c = &err_cases[i];
		char err[KVALAB_ERR_MAX];
		struct kvalab_cmd cmd;
		bool pass;
		int rc;

		pass = parse(c->line, c->len, &cmd, err, &rc);
		if (pass && rc != c->rc) {
			printf("# got %s (%s), want %s\n", errname(rc), err,
			       errname(c->rc));
			pass = false;
		}
		if (pass && c->reason && !strstr(err, c->reason)) {
			printf("# reason '%s' lacks '%s'\n", err, c->reason);
			pass = false;
		}
		if (pass && rc && cmd.op != c->op) {
			printf("# cmd.op %d after the failure, want %d\n",
			       cmd.op, c->op);
			pass = false;
		}
		tap(pass, "%s %s", errname(c->rc), show(c->line, c->len));
	}
}

/* --- generated cases --- */

static void expect(const char *what, const char *line, size_t len, int want,
		   const char *reason)
{
	char err[KVALAB_ERR_MAX];
	struct kvalab_cmd cmd;
	bool pass;
	int rc;

	pass = parse(line, len, &cmd, err, &rc);
	if (pass && rc != want) {
		printf("# got %s (%s), want %s\n", errname(rc), err,
		       errname(want));
		pass = false;
	}
	if (pass && reason && !strstr(err, reason)) {
		printf("# reason '%s' lacks '%s'\n", err, reason);
		pass = false;
	}
	tap(pass, "%s", what);
}

/* KVALAB_CMD_MAX counts the newline: 256 bytes pass, 257 do not. */
static void test_lengths(void)
{
	char line[KVALAB_CMD_MAX + 2];
	char big[4096];

	memset(line, ' ', sizeof(line));
	memcpy(line, "alloc 4K", 8);
	expect("line of exactly KVALAB_CMD_MAX bytes is accepted", line,
	       KVALAB_CMD_MAX, 0, NULL);
	line[KVALAB_CMD_MAX - 1] = '\n';
	expect("line of KVALAB_CMD_MAX bytes ending in a newline is accepted",
	       line, KVALAB_CMD_MAX, 0, NULL);
	line[KVALAB_CMD_MAX - 1] = ' ';
	expect("line of KVALAB_CMD_MAX + 1 bytes is -EMSGSIZE", line,
	       KVALAB_CMD_MAX + 1, -EMSGSIZE, "line longer than 256 bytes");
	line[KVALAB_CMD_MAX] = '\n';
	expect("KVALAB_CMD_MAX bytes plus a newline is -EMSGSIZE", line,
	       KVALAB_CMD_MAX + 1, -EMSGSIZE, "longer than 256");
	memset(big, 'x', sizeof(big));
	expect("4096-byte line is -EMSGSIZE before any byte is judged", big,
	       sizeof(big), -EMSGSIZE, "(4096)");

	/* A 250-digit size: the reason is cut to fit, still terminated. */
	memset(line, '1', sizeof(line));
	memcpy(line, "alloc ", 6);
	expect("250-digit size is -ERANGE with a truncated reason", line,
	       KVALAB_CMD_MAX, -ERANGE, "size '1111");
}

/*
 * Every byte value after "reset " (a command without arguments): blanks
 * pass, a lone trailing newline
 * passes, other control and non-ASCII bytes are refused by offset, and
 * printable bytes reach the command as an extra argument.
 */
static void test_byte_sweep(void)
{
	int bad = 0;
	int b;

	for (b = 0; b < 256; b++) {
		char line[8] = "reset ";
		char err[KVALAB_ERR_MAX];
		struct kvalab_cmd cmd;
		const char *reason;
		int rc, want;

		line[6] = (char)b;
		if (b == ' ' || b == '\t' || b == '\n') {
			want = 0;
			reason = NULL;
		} else if (b == 0) {
			want = -EINVAL;
			reason = "NUL byte at offset 6";
		} else if (b == '\r') {
			want = -EINVAL;
			reason = "carriage return at offset 6";
		} else if (b < 0x20 || b >= 0x7f) {
			want = -EINVAL;
			reason = "at offset 6";
		} else {
			want = -EINVAL;
			reason = "extra argument";
		}
		if (!parse(line, 7, &cmd, err, &rc) || rc != want ||
		    (reason && !strstr(err, reason)) ||
		    (!rc && cmd.op != KVALAB_OP_RESET)) {
			printf("# byte 0x%02x: %s '%s'\n", b, errname(rc), err);
			bad++;
		}
	}
	tap(!bad, "every byte value 0x00-0xff after 'reset ' is classified");
}

/* The reason honours any @errlen, down to none at all. */
static void test_errlen(void)
{
	char err[16], big_err[128];
	struct kvalab_cmd cmd;
	int rc;

	memset(err, 'z', sizeof(err));
	rc = kvalab_parse(L("allco"), &cmd, err, 5);
	tap(rc == -EINVAL && !strcmp(err, "unkn") && err[5] == 'z',
	    "errlen 5: reason truncated to 4 bytes, nothing written beyond");

	memset(err, 'z', sizeof(err));
	rc = kvalab_parse(L("fill 7"), &cmd, err, 4);
	tap(rc == -EINVAL && !strcmp(err, "mis") && err[4] == 'z' &&
	    cmd.op == KVALAB_OP_FILL,
	    "errlen 4: truncated, the op still recognised");

	rc = kvalab_parse(L("alloc 4K align=3"), &cmd, big_err, sizeof(big_err));
	tap(rc == -EINVAL && cmd.op == KVALAB_OP_ALLOC &&
	    !strcmp(big_err, "alignment 3 is not a power of two"),
	    "a refused command's reason does not repeat the command word");

	memset(err, 'z', sizeof(err));
	rc = kvalab_parse(L("allco"), &cmd, err, 1);
	tap(rc == -EINVAL && err[0] == '\0' && err[1] == 'z',
	    "errlen 1: empty reason");

	rc = kvalab_parse(L("alloc 0"), &cmd, NULL, 0);
	tap(rc == -EINVAL && cmd.op == KVALAB_OP_ALLOC,
	    "err NULL, errlen 0: errno still returned");

	memset(err, 'z', sizeof(err));
	rc = kvalab_parse(L("purge"), &cmd, err, sizeof(err));
	tap(rc == 0 && err[0] == '\0', "success leaves an empty reason");
}

/*
 * The backend table (include/kvalab/backends.h): every policy has its
 * kvalab:<policy> name at KVALAB_BE_POLICY(p), names and ids round-trip.
 */
static void test_backend_names(void)
{
	char want[64];
	bool ok = true;
	int id;

	for (id = 0; id < KVA_NR_POLICIES; id++) {
		snprintf(want, sizeof(want), "%s%s", KVALAB_BE_POLICY_PREFIX,
			 kva_policy_names[id]);
		if (!kvalab_backend_names[KVALAB_BE_POLICY(id)] ||
		    strcmp(kvalab_backend_names[KVALAB_BE_POLICY(id)], want)) {
			printf("# backend %d: want %s\n", KVALAB_BE_POLICY(id),
			       want);
			ok = false;
		}
		if (kvalab_backend_policy(KVALAB_BE_POLICY(id)) != id)
			ok = false;
	}
	for (id = 0; id < KVALAB_NR_BACKENDS; id++) {
		const char *n = kvalab_backend_names[id];

		if (!n || kvalab_backend_by_name(n, strlen(n)) != id ||
		    kvalab_backend_is_kvalab(id) !=
		    (id != KVALAB_BE_VMALLOC && id != KVALAB_BE_FLOOR))
			ok = false;
	}
	ok = ok && kvalab_backend_policy(KVALAB_BE_KVALAB) < 0 &&
	     kvalab_backend_policy(KVALAB_BE_VMALLOC) < 0 &&
	     kvalab_backend_policy(KVALAB_BE_FLOOR) < 0 &&
	     kvalab_backend_by_name("floor", 5) == KVALAB_BE_FLOOR &&
	     kvalab_backend_by_name("kvalab:", 7) < 0 &&
	     kvalab_backend_by_name("kvalab:lowestx", 14) < 0 &&
	     kvalab_backend_by_name("kvalab:lowestx", 13) ==
	     KVALAB_BE_POLICY(KVA_POLICY_LOWEST);
	tap(ok, "backend table: vmalloc, kvalab, floor, kvalab:<policy> for every policy");
}

/* kvalab_run_backends_str() joins names and truncates safely. */
static void test_backends_str(void)
{
	struct kvalab_run_params run = { .nr_backends = 3,
		.backends = { KVALAB_BE_VMALLOC,
			      KVALAB_BE_POLICY(KVA_POLICY_LOWEST),
			      KVALAB_BE_KVALAB } };
	char buf[64], tiny[6];

	kvalab_run_backends_str(&run, buf, sizeof(buf));
	kvalab_run_backends_str(&run, tiny, sizeof(tiny));
	tap(!strcmp(buf, "vmalloc,kvalab:lowest,kvalab") &&
	    !strcmp(tiny, "vmall"),
	    "run backends joined by commas, truncated to the buffer");
}

/* Parsing the same bytes twice gives the same command and reason. */
static void test_repeat(void)
{
	static const char line[] = "run mask=0x3 threads=2 backend=vmalloc";
	char err1[KVALAB_ERR_MAX], err2[KVALAB_ERR_MAX];
	struct kvalab_cmd a, b;
	int rc1, rc2;

	memset(&a, 0x11, sizeof(a));
	memset(&b, 0xee, sizeof(b));
	rc1 = kvalab_parse(L(line), &a, err1, sizeof(err1));
	rc2 = kvalab_parse(L(line), &b, err2, sizeof(err2));
	tap(!rc1 && !rc2 && !memcmp(&a, &b, sizeof(a)) && !strcmp(err1, err2),
	    "parse is deterministic and independent of the old cmd contents");
}

static void test_op_names(void)
{
	static const struct {
		enum kvalab_op op;
		const char *name;
	} names[] = {
		{ KVALAB_OP_ALLOC, "alloc" },
		{ KVALAB_OP_FREE, "free" },
		{ KVALAB_OP_FREE_ATOMIC, "free_atomic" },
		{ KVALAB_OP_FILL, "fill" },
		{ KVALAB_OP_VERIFY, "verify" },
		{ KVALAB_OP_PURGE, "purge" },
		{ KVALAB_OP_RESET, "reset" },
		{ KVALAB_OP_CHECK, "check" },
		{ KVALAB_OP_RUN, "run" },
		{ KVALAB_OP_STOP, "stop" },
		{ KVALAB_OP_POLICY, "policy" },
		{ KVALAB_OP_RECORD, "record" },
		{ KVALAB_OP_REPLAY, "replay" },
		{ KVALAB_OP_EXPLAIN, "explain" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const char *got = kvalab_op_name(names[i].op);

		tap(got && !strcmp(got, names[i].name),
		    "kvalab_op_name(%d) is '%s' (got '%s')", names[i].op,
		    names[i].name, got ? got : "(null)");
	}
	tap(!strcmp(kvalab_op_name(0), "unknown") &&
	    !strcmp(kvalab_op_name(KVALAB_OP_EXPLAIN + 1), "unknown"),
	    "kvalab_op_name of a value outside the enum is 'unknown'");
}

/* Each named case sets exactly its bit, and they OR up to the full mask. */
static void test_workload_names(void)
{
	unsigned int all = 0;
	int bad = 0;
	int i;

	for (i = 0; i < KVALAB_NR_WORKLOAD_BITS; i++) {
		char line[KVALAB_CMD_MAX], err[KVALAB_ERR_MAX];
		struct kvalab_cmd cmd;
		int rc;

		if (!kvalab_workload_names[i])
			continue;
		snprintf(line, sizeof(line), "run %s",
			 kvalab_workload_names[i]);
		if (!parse(line, strlen(line), &cmd, err, &rc) || rc ||
		    cmd.run.mask != 1U << i) {
			printf("# %s: %s mask %#x\n", line, errname(rc),
			       cmd.run.mask);
			bad++;
		}
		all |= 1U << i;
	}
	tap(!bad, "each workload name selects its own mask bit");
	tap(all == KVALAB_WORKLOAD_ALL,
	    "named workloads cover KVALAB_WORKLOAD_ALL (%#x)", all);
}

/*
 * Every name of <kvalab/policies.h> selects its own id, and the table's
 * names are exactly the ones the reasons list.
 */
static void test_policy_names(void)
{
	char names[KVALAB_CMD_MAX] = "";
	int bad = 0;
	int i;

	for (i = 0; i < KVA_NR_POLICIES; i++) {
		char line[KVALAB_CMD_MAX], err[KVALAB_ERR_MAX];
		struct kvalab_cmd cmd;
		int rc;

		snprintf(line, sizeof(line), "policy %s", kva_policy_names[i]);
		if (!parse(line, strlen(line), &cmd, err, &rc) || rc ||
		    cmd.op != KVALAB_OP_POLICY || (int)cmd.policy != i) {
			printf("# %s: %s policy %d\n", line, errname(rc),
			       cmd.policy);
			bad++;
		}
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", i ? ", " : "", kva_policy_names[i]);
	}
	tap(!bad, "each of the %d policy names selects its own id",
	    KVA_NR_POLICIES);
	expect("the reason lists every policy of the table", L("policy x"),
	       -EINVAL, names);
}

/*
 * An overlong name (the whole 256-byte line) is refused with the quote
 * cut short, so the accepted names still fit the reason.
 */
static void test_policy_overlong(void)
{
	char line[KVALAB_CMD_MAX];
	char quote[64];

	memset(line, 'a', sizeof(line));
	memcpy(line, "policy ", 7);
	snprintf(quote, sizeof(quote), "unknown policy '%.32s...' (one of: ",
		 line + 7);
	expect("a 249-byte policy name is refused, quoted in part", line,
	       sizeof(line), -EINVAL, quote);
	expect("... and its reason still ends with the accepted names", line,
	       sizeof(line), -EINVAL, "best-fit, instant-fit)");
	/* A name just past the quote limit, built on a real name. */
	expect("lowest plus 27 bytes is unknown, not a prefix match",
	       L("policy lowestaaaaaaaaaaaaaaaaaaaaaaaaaaa"), -EINVAL,
	       "unknown policy 'lowestaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
}

int main(void)
{
	test_ok_cases();
	test_err_cases();
	test_lengths();
	test_byte_sweep();
	test_errlen();
	test_repeat();
	test_backend_names();
	test_backends_str();
	test_op_names();
	test_workload_names();
	test_policy_names();
	test_policy_overlong();
	printf("1..%d\n", tap_nr);
	printf("# %d passed, %d failed\n", tap_nr - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}
