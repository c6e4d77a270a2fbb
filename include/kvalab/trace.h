/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kvalab trace format, version 1: a line-oriented text file of
 * allocations, frees and purge points that replays on a slice. Reference
 * with examples: docs/traces.md. The parser (debugfs/trace_parse.c) is pure
 * like debugfs/parse.c: no allocation, no lock, no global, no floating
 * point, bounded line length; it builds unchanged in the kernel, in the
 * native tests (tests/native) and in the CLI (userspace-tools).
 *
 * Grammar (tokens separated by spaces or tabs; one trailing '\n' allowed):
 *   line 1:  kvalab-trace 1 slice_size=N page_size=N [ids=N] [source=WORD]
 *   then, one per line:
 *            [@NS] a ID SIZE [align=N] [flags=FLAG[,FLAG...]]
 *            [@NS] f ID
 *            [@NS] p
 *            # comment              (a '#' first on the line, after blanks)
 *            (blank line)
 * N, SIZE:  NUMBER[K|M|G] (also k, m, g); NUMBER is decimal or 0x hex, no
 *           sign, no leading zero (no octal).
 * ID:       decimal, 0..4294967295; below ids= when the header has one.
 * NS:       decimal nanoseconds; non-decreasing along the file.
 * FLAG:     one of the names of enum kva_trace_flag, each at most once.
 * Header keys in any order, each at most once; slice_size and page_size are
 * required, slice_size is a non-zero multiple of page_size and page_size a
 * power of two. A header is required on line 1 and allowed nowhere else.
 *
 * Liveness is the caller's: an id is live from its `a` until its `f`. The
 * parser holds no id table; it asks the caller's is_live() hook (when set)
 * so that a duplicate live id and a free of a non-live id are refused with
 * the same reasons everywhere. After a successful `a` or `f` the caller
 * must mark the id live or dead before parsing the next line.
 */
/*
 * Not _KVALAB_TRACE_H: that is module/kvalab_trace.h's guard (the
 * tracepoints), and a file that includes both must get both.
 */
#ifndef _KVALAB_TRACE_FORMAT_H
#define _KVALAB_TRACE_FORMAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

#define KVA_TRACE_MAGIC		"kvalab-trace"
#define KVA_TRACE_VERSION	1
/* Longest accepted line, its newline included. */
#define KVA_TRACE_LINE_MAX	256
/* Longest reason (NUL included); "line N: " adds at most 27 bytes. */
#define KVA_TRACE_ERR_MAX	160
#define KVA_TRACE_MSG_MAX	(KVA_TRACE_ERR_MAX + 27)
/* Longest source= value, NUL included. */
#define KVA_TRACE_SOURCE_MAX	64

/*
 * Flags of an alloc. noguard changes the placement (no guard page after the
 * area, as the control command's noguard); the others only label where the
 * area came from, for reports: filler marks a gap-keeping area an importer
 * added, unpurged an area that was lazily freed in the source, the rest
 * are /proc/vmallocinfo's kinds.
 */
enum kva_trace_flag {
	KVA_TRACE_F_NOGUARD	= 1U << 0,
	KVA_TRACE_F_FILLER	= 1U << 1,
	KVA_TRACE_F_UNPURGED	= 1U << 2,
	KVA_TRACE_F_VMALLOC	= 1U << 3,
	KVA_TRACE_F_VMAP	= 1U << 4,
	KVA_TRACE_F_IOREMAP	= 1U << 5,
	KVA_TRACE_F_USER	= 1U << 6,
	KVA_TRACE_F_VPAGES	= 1U << 7,
	KVA_TRACE_F_VM_MAP_RAM	= 1U << 8,
	KVA_TRACE_F_DMA_COHERENT = 1U << 9,
};

#define KVA_TRACE_NR_FLAGS	10

enum kva_trace_kind {
	KVA_TRACE_SKIP = 0,	/* blank or comment line: nothing to do */
	KVA_TRACE_HEADER,	/* the header: see parser->hdr */
	KVA_TRACE_ALLOC,
	KVA_TRACE_FREE,
	KVA_TRACE_PURGE,
};

struct kva_trace_header {
	unsigned int version;
	unsigned long slice_size;
	unsigned long page_size;
	unsigned long nr_ids;		/* ids=N; 0: not declared */
	char source[KVA_TRACE_SOURCE_MAX];	/* "" if absent */
};

struct kva_trace_op {
	enum kva_trace_kind kind;
	bool has_time;
	unsigned long long time_ns;	/* @NS, when has_time */
	unsigned int id;		/* alloc, free */
	unsigned long size;		/* alloc: bytes, not yet page rounded */
	unsigned long align;		/* alloc: 0 for the default (a page) */
	unsigned int flags;		/* alloc: enum kva_trace_flag bits */
};

/*
 * One parser per trace, owned by the caller (on the stack is fine: about
 * 150 bytes). Set the first three fields with kva_trace_parser_init(); the
 * rest is the parser's.
 */
struct kva_trace_parser {
	/* The page size the trace must declare; 0 accepts any. */
	unsigned long page_size;
	/* Whether @id is live now; NULL: the caller checks liveness itself. */
	bool (*is_live)(void *ctx, unsigned int id);
	void *ctx;

	unsigned long line_nr;		/* lines parsed so far */
	bool have_header;
	struct kva_trace_header hdr;
	bool have_time;
	unsigned long long last_time_ns;
};

void kva_trace_parser_init(struct kva_trace_parser *p,
			   unsigned long page_size,
			   bool (*is_live)(void *ctx, unsigned int id),
			   void *ctx);

/*
 * Parse the next line of the trace: @len bytes of @line (need not be
 * NUL-terminated, at most one trailing '\n'). Counts the line, so call it
 * for every line, blank and comment lines included. Returns 0 and fills
 * @op, or a negative errno with a reason in @err (@errlen bytes, always
 * NUL-terminated; "" on success) and @op zeroed:
 *   -EINVAL           malformed line: missing or bad header (magic, key,
 *                     value), header after line 1, unknown op, missing or
 *                     extra argument, malformed number, size 0, align not a
 *                     power of two, unknown or repeated flag or option,
 *                     page_size other than the expected one, timestamp
 *                     going backwards, NUL or control byte
 *   -ERANGE           a number too large for its field, an id not below
 *                     the header's ids=
 *   -EOVERFLOW        a suffix overflows, or SIZE rounded to pages plus a
 *                     guard page plus alignment slack overflows
 *   -EPROTONOSUPPORT  a header with a version other than 1
 *   -EEXIST           alloc of an id that is_live() says is live
 *   -ENOENT           free of an id that is_live() says is not live
 *   -EMSGSIZE         @len > KVA_TRACE_LINE_MAX
 * After an error the parser's state is as before the call except for the
 * line count, so a caller may report and go on.
 */
int kva_trace_parse_line(struct kva_trace_parser *p, const char *line,
			 size_t len, struct kva_trace_op *op, char *err,
			 size_t errlen);

/*
 * Write "line N: @reason" for the line parsed last into @buf (@len bytes,
 * NUL-terminated, truncated as needed); returns @buf.
 */
char *kva_trace_format_error(const struct kva_trace_parser *p,
			     const char *reason, char *buf, size_t len);

/* The name of one flag bit ("noguard", ...), or NULL if it is none. */
const char *kva_trace_flag_name(unsigned int bit);

#endif /* _KVALAB_TRACE_FORMAT_H */
