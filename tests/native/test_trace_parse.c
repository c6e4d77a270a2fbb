// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven tests of the trace parser (debugfs/trace_parse.c, built
 * unchanged in userspace). One TAP line per case. A case is a whole trace
 * text, parsed line by line the way every consumer does: with an id table
 * behind the is_live() hook that the test updates after each accepted a/f.
 * Accepted traces are compared op by op; refused ones by the errno and the
 * exact "line N: reason" message of the first refused line.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>

#include <kvalab/trace.h>

#define HDR	"kvalab-trace 1 slice_size=64M page_size=4096\n"
#define MAX_IDS	64
#define MAX_OPS	16

static int tap_nr;
static int tap_failed;

static __attribute__((format(printf, 2, 3)))
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

/* Ids below MAX_IDS are tracked; larger ones are never live. */
struct ids {
	bool live[MAX_IDS];
};

static bool ids_live(void *ctx, unsigned int id)
{
	struct ids *t = ctx;

	return id < MAX_IDS && t->live[id];
}

struct outcome {
	int rc;
	char msg[KVA_TRACE_MSG_MAX];
	int nr_ops;			/* ops other than SKIP and HEADER */
	struct kva_trace_op ops[MAX_OPS];
	struct kva_trace_header hdr;
	unsigned long lines;
};

/*
 * Parse @text line by line (a line without '\n' at the end counts too) and
 * stop at the first error. Also checks the reason-buffer contract: always
 * NUL-terminated, never written past, empty on success.
 */
static bool run_trace(const char *text, unsigned long page_size,
		      struct outcome *o)
{
	struct kva_trace_parser p;
	struct ids t = { { false } };
	const char *s = text;

	memset(o, 0, sizeof(*o));
	kva_trace_parser_init(&p, page_size, ids_live, &t);
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) + 1 : strlen(s);
		char err[KVA_TRACE_ERR_MAX + 16];
		struct kva_trace_op op;
		size_t i;

		memset(err, 0x5a, sizeof(err));
		memset(&op, 0xa5, sizeof(op));
		o->rc = kva_trace_parse_line(&p, s, len, &op, err,
					     KVA_TRACE_ERR_MAX);
		if (!memchr(err, '\0', KVA_TRACE_ERR_MAX)) {
			printf("# reason not NUL-terminated\n");
			return false;
		}
		for (i = KVA_TRACE_ERR_MAX; i < sizeof(err); i++)
			if ((unsigned char)err[i] != 0x5a) {
				printf("# reason overrun\n");
				return false;
			}
		if (!o->rc && err[0]) {
			printf("# success with reason '%s'\n", err);
			return false;
		}
		if (o->rc) {
			if (!err[0]) {
				printf("# error %d without a reason\n", o->rc);
				return false;
			}
			kva_trace_format_error(&p, err, o->msg, sizeof(o->msg));
			o->lines = p.line_nr;
			return true;
		}
		if (op.kind == KVA_TRACE_ALLOC && op.id < MAX_IDS)
			t.live[op.id] = true;
		if (op.kind == KVA_TRACE_FREE && op.id < MAX_IDS)
			t.live[op.id] = false;
		if (op.kind != KVA_TRACE_SKIP && op.kind != KVA_TRACE_HEADER) {
			if (o->nr_ops == MAX_OPS) {
				printf("# more than %d ops\n", MAX_OPS);
				return false;
			}
			o->ops[o->nr_ops++] = op;
		}
		s += len;
	}
	o->hdr = p.hdr;
	o->lines = p.line_nr;
	return true;
}

static const char *errname(int rc)
{
	switch (rc) {
	case 0:			return "0";
	case -EINVAL:		return "-EINVAL";
	case -ERANGE:		return "-ERANGE";
	case -EOVERFLOW:	return "-EOVERFLOW";
	case -EMSGSIZE:		return "-EMSGSIZE";
	case -EEXIST:		return "-EEXIST";
	case -ENOENT:		return "-ENOENT";
	case -EPROTONOSUPPORT:	return "-EPROTONOSUPPORT";
	}
	return "-E?";
}

/* --- refused traces: errno and the exact message ------------------------ */

struct bad_case {
	const char *text;
	int rc;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	/* header */
	{ "a 0 4096\n", -EINVAL,
	  "line 1: missing header: line 1 must be 'kvalab-trace 1 slice_size=N page_size=N', not 'a...'" },
	{ "# comment first\n" HDR, -EINVAL,
	  "line 1: missing header: line 1 must be 'kvalab-trace 1 slice_size=N page_size=N'" },
	{ "\n" HDR, -EINVAL,
	  "line 1: missing header: line 1 must be 'kvalab-trace 1 slice_size=N page_size=N'" },
	{ "kvalab-trace\n", -EINVAL, "line 1: header has no version" },
	{ "kvalab-trace 2 slice_size=64M page_size=4096\n", -EPROTONOSUPPORT,
	  "line 1: trace format version 2 is not supported (this parser reads version 1)" },
	{ "kvalab-trace 0 slice_size=64M page_size=4096\n", -EPROTONOSUPPORT,
	  "line 1: trace format version 0 is not supported (this parser reads version 1)" },
	{ "kvalab-trace 0x1 slice_size=64M page_size=4096\n", -EINVAL,
	  "line 1: version '0x1' must be decimal" },
	{ "kvalab-trace 99999999999999999999999 slice_size=1M page_size=4096\n",
	  -ERANGE, "line 1: version '99999999999999999999999' is too large" },
	{ "kvalab-trace 1 page_size=4096\n", -EINVAL,
	  "line 1: header has no slice_size=" },
	{ "kvalab-trace 1 slice_size=64M\n", -EINVAL,
	  "line 1: header has no page_size=" },
	{ "kvalab-trace 1 slice_size=64M page_size=4096 color=red\n", -EINVAL,
	  "line 1: unknown header field 'color=red'" },
	{ "kvalab-trace 1 slice_size=64M page_size=4096 junk\n", -EINVAL,
	  "line 1: unknown header field 'junk'" },
	{ "kvalab-trace 1 slice_size=64M slice_size=1M page_size=4096\n",
	  -EINVAL, "line 1: repeated header field 'slice_size=1M'" },
	{ "kvalab-trace 1 slice_size=64X page_size=4096\n", -EINVAL,
	  "line 1: malformed slice_size '64X'" },
	{ "kvalab-trace 1 slice_size= page_size=4096\n", -EINVAL,
	  "line 1: missing slice_size value" },
	{ "kvalab-trace 1 slice_size=0 page_size=4096\n", -EINVAL,
	  "line 1: slice_size 0 is not a non-zero multiple of page_size 4096" },
	{ "kvalab-trace 1 slice_size=6000 page_size=4096\n", -EINVAL,
	  "line 1: slice_size 6000 is not a non-zero multiple of page_size 4096" },
	{ "kvalab-trace 1 slice_size=64M page_size=3000\n", -EINVAL,
	  "line 1: page_size 3000 is not a power of two" },
	{ "kvalab-trace 1 slice_size=64M page_size=16K\n", -EINVAL,
	  "line 1: page_size 16384 does not match this system's 4096" },
	{ "kvalab-trace 1 slice_size=64M page_size=4096 ids=0\n", -EINVAL,
	  "line 1: ids '0' must be greater than 0" },
	{ "kvalab-trace 1 slice_size=64M page_size=4096 ids=4294967297\n",
	  -ERANGE, "line 1: ids '4294967297' is above 4294967296" },
	{ "kvalab-trace 1 slice_size=64M page_size=4096 source=\n", -EINVAL,
	  "line 1: empty source=" },
	{ "kvalab-trace 1 slice_size=64M page_size=4096 source="
	  "0123456789012345678901234567890123456789012345678901234567890123\n",
	  -EINVAL, "line 1: source= longer than 63 bytes" },
	{ "kvalab-trace 1 slice_size=18446744073709551616 page_size=4096\n",
	  -ERANGE, "line 1: slice_size '18446744073709551616' is too large" },
	{ "kvalab-trace 1 slice_size=17179869184G page_size=4096\n",
	  -EOVERFLOW, "line 1: slice_size '17179869184G' overflows" },
	{ "kvalab-trace 1 slice_size=0xffffffffffffffffK page_size=4096\n",
	  -EOVERFLOW, "line 1: slice_size '0xffffffffffffffffK' overflows" },
	{ HDR HDR, -EINVAL, "line 2: header on line 2: only line 1 may hold it" },
	/* unknown op, bad tokens */
	{ HDR "x 1\n", -EINVAL, "line 2: unknown operation 'x' (a, f or p)" },
	{ HDR "alloc 1 4096\n", -EINVAL,
	  "line 2: unknown operation 'alloc' (a, f or p)" },
	{ HDR "# ok\n\np\nA 1 4096\n", -EINVAL,
	  "line 5: unknown operation 'A' (a, f or p)" },
	{ HDR "a\n", -EINVAL, "line 2: missing ID" },
	{ HDR "a 1\n", -EINVAL, "line 2: missing SIZE" },
	{ HDR "a -1 4096\n", -EINVAL,
	  "line 2: id '-1' is signed; numbers have no sign" },
	{ HDR "a 0x1 4096\n", -EINVAL, "line 2: id '0x1' must be decimal" },
	{ HDR "a 01 4096\n", -EINVAL,
	  "line 2: id '01' has a leading zero (no octal)" },
	{ HDR "a 1K 4096\n", -EINVAL, "line 2: malformed id '1K'" },
	{ HDR "a 4294967296 4096\n", -ERANGE,
	  "line 2: id '4294967296' does not fit 32 bits" },
	{ HDR "a 1 +4096\n", -EINVAL,
	  "line 2: size '+4096' is signed; numbers have no sign" },
	{ HDR "a 1 0\n", -EINVAL, "line 2: size '0' is zero" },
	{ HDR "a 1 0x0\n", -EINVAL, "line 2: size '0x0' is zero" },
	{ HDR "a 1 0K\n", -EINVAL, "line 2: size '0K' is zero" },
	{ HDR "a 1 4096x\n", -EINVAL, "line 2: malformed size '4096x'" },
	{ HDR "a 1 0x\n", -EINVAL, "line 2: malformed size '0x'" },
	{ HDR "a 1 012\n", -EINVAL,
	  "line 2: size '012' has a leading zero (no octal)" },
	{ HDR "a 1 4KK\n", -EINVAL, "line 2: malformed size '4KK'" },
	{ HDR "a 1 99999999999999999999\n", -ERANGE,
	  "line 2: size '99999999999999999999' is too large" },
	{ HDR "a 1 99999999999999999999x\n", -EINVAL,
	  "line 2: malformed size '99999999999999999999x'" },
	{ HDR "a 1 17179869184G\n", -EOVERFLOW,
	  "line 2: size '17179869184G' overflows" },
	{ HDR "a 1 0xfffffffffffff001\n", -EOVERFLOW,
	  "line 2: size '0xfffffffffffff001' with guard and alignment overflows" },
	{ HDR "a 1 0xfffffffffffff000\n", -EOVERFLOW,
	  "line 2: size '0xfffffffffffff000' with guard and alignment overflows" },
	{ HDR "a 1 0xffffffffffdff001 align=2M\n", -EOVERFLOW,
	  "line 2: size '0xffffffffffdff001' with guard and alignment overflows" },
	{ HDR "a 1 4096 align=3\n", -EINVAL,
	  "line 2: align 3 is not a power of two" },
	{ HDR "a 1 4096 align=0\n", -EINVAL,
	  "line 2: align 0 is not a power of two" },
	{ HDR "a 1 4096 align=12K\n", -EINVAL,
	  "line 2: align 12K is not a power of two" },
	{ HDR "a 1 4096 align=\n", -EINVAL, "line 2: missing align value" },
	{ HDR "a 1 4096 align=8K align=8K\n", -EINVAL,
	  "line 2: repeated option 'align=8K'" },
	{ HDR "a 1 4096 noguard\n", -EINVAL,
	  "line 2: unknown option 'noguard'" },
	{ HDR "a 1 4096 flags=guard\n", -EINVAL,
	  "line 2: unknown flag 'guard' in 'flags=guard'" },
	{ HDR "a 1 4096 flags=\n", -EINVAL,
	  "line 2: unknown flag '' in 'flags='" },
	{ HDR "a 1 4096 flags=vmap,\n", -EINVAL,
	  "line 2: unknown flag '' in 'flags=vmap,'" },
	{ HDR "a 1 4096 flags=vmap,,noguard\n", -EINVAL,
	  "line 2: unknown flag '' in 'flags=vmap,,noguard'" },
	{ HDR "a 1 4096 flags=vmap,noguard,vmap\n", -EINVAL,
	  "line 2: flag 'vmap' given twice" },
	{ HDR "a 1 4096 flags=vmap flags=user\n", -EINVAL,
	  "line 2: repeated option 'flags=user'" },
	{ HDR "f\n", -EINVAL, "line 2: missing ID" },
	{ HDR "a 1 4096\nf 1 2\n", -EINVAL, "line 3: extra argument '2'" },
	{ HDR "p now\n", -EINVAL, "line 2: extra argument 'now'" },
	/* liveness */
	{ HDR "a 1 4096\na 1 8192\n", -EEXIST, "line 3: id 1 is already live" },
	{ HDR "f 7\n", -ENOENT, "line 2: free of id 7, which is not live" },
	{ HDR "a 7 4096\nf 7\nf 7\n", -ENOENT,
	  "line 4: free of id 7, which is not live" },
	{ "kvalab-trace 1 slice_size=64M page_size=4096 ids=4\na 4 4096\n",
	  -ERANGE, "line 2: id 4 is not below the header's ids=4" },
	{ "kvalab-trace 1 slice_size=64M page_size=4096 ids=4\nf 9\n",
	  -ERANGE, "line 2: id 9 is not below the header's ids=4" },
	/* timestamps */
	{ HDR "@100 p\n@99 p\n", -EINVAL,
	  "line 3: timestamp 99 is before the previous one (100)" },
	{ HDR "@ p\n", -EINVAL, "line 2: missing timestamp value" },
	{ HDR "@0x10 p\n", -EINVAL, "line 2: timestamp '0x10' must be decimal" },
	{ HDR "@1.5 p\n", -EINVAL, "line 2: malformed timestamp '1.5'" },
	{ HDR "@10\n", -EINVAL, "line 2: timestamp without an operation" },
	{ HDR "@18446744073709551616 p\n", -ERANGE,
	  "line 2: timestamp '18446744073709551616' is too large" },
	{ HDR "p @10\n", -EINVAL, "line 2: extra argument '@10'" },
	/* bytes */
	{ HDR "p\r\n", -EINVAL, "line 2: carriage return at offset 1 (no CRLF)" },
	{ HDR "a 1 4096 flags=vm\x01map\n", -EINVAL,
	  "line 2: control or non-ASCII byte 0x01 at offset 17" },
	{ HDR "# caf\xc3\xa9\n", -EINVAL,
	  "line 2: control or non-ASCII byte 0xc3 at offset 5" },
};

/* A failing timestamp must leave the last one as it was. */
static void test_state_unchanged(void)
{
	struct kva_trace_parser p;
	struct kva_trace_op op;
	char err[KVA_TRACE_ERR_MAX];
	int rc1, rc2, rc3;

	kva_trace_parser_init(&p, 4096, NULL, NULL);
	kva_trace_parse_line(&p, HDR, strlen(HDR), &op, err, sizeof(err));
	rc1 = kva_trace_parse_line(&p, "@50 p", 5, &op, err, sizeof(err));
	rc2 = kva_trace_parse_line(&p, "@60 x", 5, &op, err, sizeof(err));
	rc3 = kva_trace_parse_line(&p, "@55 p", 5, &op, err, sizeof(err));
	tap(!rc1 && rc2 == -EINVAL && !rc3 && p.last_time_ns == 55 &&
	    p.line_nr == 4,
	    "a refused line does not advance the timestamp (rc %d %d %d)",
	    rc1, rc2, rc3);
}

/* Without is_live() the parser leaves liveness to the caller. */
static void test_no_hook(void)
{
	struct kva_trace_parser p;
	struct kva_trace_op op;
	char err[KVA_TRACE_ERR_MAX];
	int rc1, rc2, rc3;

	kva_trace_parser_init(&p, 0, NULL, NULL);
	kva_trace_parse_line(&p, HDR, strlen(HDR), &op, err, sizeof(err));
	rc1 = kva_trace_parse_line(&p, "a 1 1", 5, &op, err, sizeof(err));
	rc2 = kva_trace_parse_line(&p, "a 1 1", 5, &op, err, sizeof(err));
	rc3 = kva_trace_parse_line(&p, "f 9", 3, &op, err, sizeof(err));
	tap(!rc1 && !rc2 && !rc3,
	    "no is_live hook: duplicate and unknown ids are the caller's");
}

static void test_long_and_nul(void)
{
	char line[KVA_TRACE_LINE_MAX + 2];
	struct kva_trace_parser p;
	struct kva_trace_op op;
	char err[KVA_TRACE_ERR_MAX];
	char msg[KVA_TRACE_MSG_MAX];
	int rc;

	kva_trace_parser_init(&p, 4096, NULL, NULL);
	kva_trace_parse_line(&p, HDR, strlen(HDR), &op, err, sizeof(err));

	/* The longest accepted line: a comment, newline included. */
	memset(line, 'x', sizeof(line));
	line[0] = '#';
	line[KVA_TRACE_LINE_MAX - 1] = '\n';
	rc = kva_trace_parse_line(&p, line, KVA_TRACE_LINE_MAX, &op, err,
				  sizeof(err));
	tap(!rc && op.kind == KVA_TRACE_SKIP,
	    "a %d-byte line (newline included) is accepted",
	    KVA_TRACE_LINE_MAX);
	rc = kva_trace_parse_line(&p, line, KVA_TRACE_LINE_MAX + 1, &op, err,
				  sizeof(err));
	kva_trace_format_error(&p, err, msg, sizeof(msg));
	tap(rc == -EMSGSIZE &&
	    !strcmp(msg, "line 3: line longer than 256 bytes (257)"),
	    "a %d-byte line is refused: %s", KVA_TRACE_LINE_MAX + 1, msg);
	rc = kva_trace_parse_line(&p, "p\0", 2, &op, err, sizeof(err));
	kva_trace_format_error(&p, err, msg, sizeof(msg));
	tap(rc == -EINVAL && !strcmp(msg, "line 4: NUL byte at offset 1"),
	    "a NUL byte is refused: %s", msg);
	rc = kva_trace_parse_line(&p, "p\np\n", 4, &op, err, sizeof(err));
	kva_trace_format_error(&p, err, msg, sizeof(msg));
	tap(rc == -EINVAL &&
	    !strcmp(msg, "line 5: newline at offset 1: one line per call"),
	    "two lines in one call are refused: %s", msg);
	/* A short reason buffer truncates, NUL-terminated. */
	rc = kva_trace_parse_line(&p, "zz", 2, &op, err, 8);
	tap(rc == -EINVAL && !strcmp(err, "unknown"),
	    "an 8-byte reason buffer gets '%s'", err);
	kva_trace_format_error(&p, "r", msg, 7);
	tap(!strcmp(msg, "line 6"), "format_error truncates: '%s'", msg);
}

/* --- accepted traces ----------------------------------------------------- */

static bool op_eq(const struct kva_trace_op *a, const struct kva_trace_op *b)
{
	return a->kind == b->kind && a->has_time == b->has_time &&
	       a->time_ns == b->time_ns && a->id == b->id &&
	       a->size == b->size && a->align == b->align &&
	       a->flags == b->flags;
}

struct ok_case {
	const char *text;
	int nr_ops;
	struct kva_trace_op ops[6];
};

#define A(i, s, al, fl)	{ KVA_TRACE_ALLOC, false, 0, i, s, al, fl }
#define F(i)		{ KVA_TRACE_FREE, false, 0, i, 0, 0, 0 }
#define P		{ KVA_TRACE_PURGE, false, 0, 0, 0, 0, 0 }

static const struct ok_case ok_cases[] = {
	{ HDR, 0, { } },
	{ HDR "a 0 1\n", 1, { A(0, 1, 0, 0) } },
	{ HDR "a 4294967295 4096", 1, { A(4294967295U, 4096, 0, 0) } },
	{ HDR "a 1 64K\nf 1\np\n", 3,
	  { A(1, 65536, 0, 0), F(1), P } },
	{ HDR "a 1 0x10k align=2M flags=noguard,vmap\n", 1,
	  { A(1, 16384, 2UL << 20, KVA_TRACE_F_NOGUARD | KVA_TRACE_F_VMAP) } },
	{ HDR "a 1 4096 flags=vmalloc align=1\n", 1,
	  { A(1, 4096, 1, KVA_TRACE_F_VMALLOC) } },
	{ HDR "a 1 4096 flags=noguard,filler,unpurged,vmalloc,vmap,ioremap,"
	  "user,vpages,vm_map_ram,dma-coherent\n", 1,
	  { A(1, 4096, 0, (1U << KVA_TRACE_NR_FLAGS) - 1) } },
	{ HDR "  \t# comment\n\n\t \n\ta\t2\t8K\t\n", 1, { A(2, 8192, 0, 0) } },
	{ HDR "a 1 4096\nf 1\na 1 4096\n", 3,
	  { A(1, 4096, 0, 0), F(1), A(1, 4096, 0, 0) } },
	{ HDR "a 1 17179869183G\n", 1, { A(1, 0xffffffffc0000000UL, 0, 0) } },
	{ HDR "a 1 0xffffffffffffe000\n", 1,
	  { A(1, 0xffffffffffffe000UL, 0, 0) } },
	{ HDR "a 1 0xfffffffffffff000 flags=noguard\n", 1,
	  { A(1, 0xfffffffffffff000UL, 0, KVA_TRACE_F_NOGUARD) } },
	{ HDR "@5 a 1 4096\n@5 f 1\n@18446744073709551615 p\n", 3,
	  { { KVA_TRACE_ALLOC, true, 5, 1, 4096, 0, 0 },
	    { KVA_TRACE_FREE, true, 5, 1, 0, 0, 0 },
	    { KVA_TRACE_PURGE, true, 18446744073709551615ULL, 0, 0, 0, 0 } } },
	{ HDR "@10 p\np\n@10 p\n", 3,
	  { { KVA_TRACE_PURGE, true, 10, 0, 0, 0, 0 }, P,
	    { KVA_TRACE_PURGE, true, 10, 0, 0, 0, 0 } } },
};

static void test_header_fields(void)
{
	static const char text[] =
		"kvalab-trace 1 source=vmallocinfo ids=3 page_size=0x1000 "
		"slice_size=1G\na 2 4096\n";
	struct outcome o;
	bool ok = run_trace(text, 4096, &o);

	tap(ok && !o.rc && o.hdr.version == 1 && o.hdr.slice_size == 1UL << 30 &&
	    o.hdr.page_size == 4096 && o.hdr.nr_ids == 3 &&
	    !strcmp(o.hdr.source, "vmallocinfo") && o.nr_ops == 1,
	    "header fields in any order: slice %lu page %lu ids %lu source '%s'",
	    o.hdr.slice_size, o.hdr.page_size, o.hdr.nr_ids, o.hdr.source);
	ok = run_trace("kvalab-trace 1 slice_size=64K page_size=64K\n", 0, &o);
	tap(ok && !o.rc && o.hdr.page_size == 65536,
	    "expected page size 0 accepts any power of two (%lu)",
	    o.hdr.page_size);
}

static void test_flag_names(void)
{
	unsigned int i;
	bool ok = kva_trace_flag_name(0) == NULL &&
		  kva_trace_flag_name(3) == NULL &&
		  kva_trace_flag_name(1U << KVA_TRACE_NR_FLAGS) == NULL;

	for (i = 0; i < KVA_TRACE_NR_FLAGS; i++)
		ok = ok && kva_trace_flag_name(1U << i);
	tap(ok && !strcmp(kva_trace_flag_name(KVA_TRACE_F_NOGUARD), "noguard") &&
	    !strcmp(kva_trace_flag_name(KVA_TRACE_F_DMA_COHERENT),
		    "dma-coherent"),
	    "flag names: one per bit, NULL for anything else");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct outcome o;
		bool ok = run_trace(c->text, 4096, &o);

		tap(ok && o.rc == c->rc && !strcmp(o.msg, c->msg),
		    "%s: %s", errname(c->rc), c->msg);
		if (ok && (o.rc != c->rc || strcmp(o.msg, c->msg)))
			printf("#   got %s: %s\n", errname(o.rc), o.msg);
	}
	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++) {
		const struct ok_case *c = &ok_cases[i];
		struct outcome o;
		bool ok = run_trace(c->text, 4096, &o);
		int j;

		ok = ok && !o.rc && o.nr_ops == c->nr_ops;
		for (j = 0; ok && j < c->nr_ops; j++)
			ok = op_eq(&o.ops[j], &c->ops[j]);
		tap(ok, "accepted trace %zu (%d ops, %lu lines)", i, c->nr_ops,
		    o.lines);
		if (o.rc)
			printf("#   got %s: %s\n", errname(o.rc), o.msg);
	}
	test_header_fields();
	test_flag_names();
	test_state_unchanged();
	test_no_hook();
	test_long_and_nul();
	printf("1..%d\n", tap_nr);
	return tap_failed ? 1 : 0;
}
