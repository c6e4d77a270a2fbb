// SPDX-License-Identifier: GPL-2.0
/*
 * The trace parser: one line of a kvalab trace in, one struct kva_trace_op
 * out. Grammar, liveness contract and errnos: include/kvalab/trace.h; the
 * format's reference: docs/traces.md.
 *
 * Pure like debugfs/parse.c: it allocates nothing, takes no lock, writes
 * only the caller's parser, op and reason buffer, and uses no floating
 * point, so the same file builds in the kernel (Kbuild), in the native tests
 * (tests/native/trace.mk) and in the CLI (userspace-tools/trace_parse_cli.c).
 * The line is checked byte by byte and copied into a NUL-terminated buffer
 * on the stack first; tokens are then split in place in that copy, so
 * nothing below reads past the caller's @len bytes.
 *
 * Numbers, tokens and the line check are the lexer's (<kvalab/lex.h>),
 * shared with the control parser (debugfs/parse.c): decimal or 0x hex, no
 * sign, no leading zero, K/M/G suffixes where a size is expected.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/overflow.h>
#else
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#endif

#include <kvalab/lex.h>
#include <kvalab/trace.h>

static const char *const flag_names[KVA_TRACE_NR_FLAGS] = {
	"noguard", "filler", "unpurged", "vmalloc", "vmap", "ioremap",
	"user", "vpages", "vm_map_ram", "dma-coherent",
};

const char *kva_trace_flag_name(unsigned int bit)
{
	unsigned int i;

	for (i = 0; i < KVA_TRACE_NR_FLAGS; i++)
		if (bit == 1U << i)
			return flag_names[i];
	return NULL;
}

/*
 * NUMBER from the whole of @tok, as @form allows (KVALAB_NUM_*), into an
 * unsigned long long so that the same code reads timestamps. An empty
 * value (key=, a bare @) is missing rather than malformed.
 */
static int parse_num(struct kvalab_lex *ps, const char *what, const char *tok,
		     unsigned int form, unsigned long long *val)
{
	if (!*tok)
		return kvalab_lex_fail(ps, -EINVAL, "missing %s value", what);
	return kvalab_lex_u64(ps, what, tok, form, val);
}

/* A size-like NUMBER[K|M|G] that must fit an unsigned long. */
static int parse_ulong(struct kvalab_lex *ps, const char *what,
		       const char *tok, unsigned long *val)
{
	unsigned long long v;
	int rc = parse_num(ps, what, tok, KVALAB_NUM_KMG, &v);

	if (rc)
		return rc;
	if (v > ULONG_MAX)
		return kvalab_lex_fail(ps, -ERANGE,
			       "%s '%s' does not fit an unsigned long", what,
			       tok);
	*val = (unsigned long)v;
	return 0;
}

static bool is_pow2(unsigned long n)
{
	return n && !(n & (n - 1));
}

enum { HDR_SLICE, HDR_PAGE, HDR_IDS, HDR_SOURCE, HDR_NR_KEYS };

static const char *const hdr_keys[HDR_NR_KEYS] = {
	[HDR_SLICE]	= "slice_size",
	[HDR_PAGE]	= "page_size",
	[HDR_IDS]	= "ids",
	[HDR_SOURCE]	= "source",
};

static int parse_header_field(struct kvalab_lex *ps, int key, const char *val,
			      struct kva_trace_header *hdr)
{
	size_t n;
	int rc;

	switch (key) {
	case HDR_SLICE:
		return parse_ulong(ps, "slice_size", val, &hdr->slice_size);
	case HDR_PAGE:
		return parse_ulong(ps, "page_size", val, &hdr->page_size);
	case HDR_IDS:
		rc = parse_ulong(ps, "ids", val, &hdr->nr_ids);
		if (rc)
			return rc;
		if (!hdr->nr_ids)
			return kvalab_lex_fail(ps, -EINVAL,
				       "ids '%s' must be greater than 0", val);
		if (hdr->nr_ids - 1 > U32_MAX)
			return kvalab_lex_fail(ps, -ERANGE,
				       "ids '%s' is above 4294967296", val);
		return 0;
	default:
		n = strlen(val);
		if (!n)
			return kvalab_lex_fail(ps, -EINVAL, "empty source=");
		if (n >= KVA_TRACE_SOURCE_MAX)
			return kvalab_lex_fail(ps, -EINVAL,
				       "source= longer than %d bytes",
				       KVA_TRACE_SOURCE_MAX - 1);
		memcpy(hdr->source, val, n + 1);
		return 0;
	}
}

static int parse_header(struct kva_trace_parser *p, struct kvalab_lex *ps,
			struct kva_trace_header *hdr)
{
	unsigned int seen = 0;
	unsigned long long v;
	const char *tok, *val;
	int rc;

	tok = kvalab_next_token(ps);
	if (!tok)
		return kvalab_lex_fail(ps, -EINVAL, "header has no version");
	rc = parse_num(ps, "version", tok, KVALAB_NUM_DECIMAL, &v);
	if (rc)
		return rc;
	if (v != KVA_TRACE_VERSION)
		return kvalab_lex_fail(ps, -EPROTONOSUPPORT,
			       "trace format version %s is not supported (this parser reads version %d)",
			       tok, KVA_TRACE_VERSION);
	hdr->version = KVA_TRACE_VERSION;

	while ((tok = kvalab_next_token(ps))) {
		int key = kvalab_lex_key(tok, hdr_keys, HDR_NR_KEYS, &val);

		if (key < 0)
			return kvalab_lex_fail(ps, -EINVAL,
				       "unknown header field '%s'", tok);
		if (seen & (1U << key))
			return kvalab_lex_fail(ps, -EINVAL,
				       "repeated header field '%s'", tok);
		seen |= 1U << key;
		rc = parse_header_field(ps, key, val, hdr);
		if (rc)
			return rc;
	}
	if (!(seen & (1U << HDR_SLICE)))
		return kvalab_lex_fail(ps, -EINVAL, "header has no slice_size=");
	if (!(seen & (1U << HDR_PAGE)))
		return kvalab_lex_fail(ps, -EINVAL, "header has no page_size=");
	if (!is_pow2(hdr->page_size))
		return kvalab_lex_fail(ps, -EINVAL,
			       "page_size %lu is not a power of two",
			       hdr->page_size);
	if (p->page_size && hdr->page_size != p->page_size)
		return kvalab_lex_fail(ps, -EINVAL,
			       "page_size %lu does not match this system's %lu",
			       hdr->page_size, p->page_size);
	if (!hdr->slice_size || hdr->slice_size & (hdr->page_size - 1))
		return kvalab_lex_fail(ps, -EINVAL,
			       "slice_size %lu is not a non-zero multiple of page_size %lu",
			       hdr->slice_size, hdr->page_size);
	return 0;
}

static int parse_id(struct kva_trace_parser *p, struct kvalab_lex *ps,
		    unsigned int *id)
{
	const char *tok = kvalab_next_token(ps);
	unsigned long long v;
	int rc;

	if (!tok)
		return kvalab_lex_fail(ps, -EINVAL, "missing ID");
	rc = parse_num(ps, "id", tok, KVALAB_NUM_DECIMAL, &v);
	if (rc)
		return rc;
	if (v > U32_MAX)
		return kvalab_lex_fail(ps, -ERANGE, "id '%s' does not fit 32 bits",
			       tok);
	if (p->hdr.nr_ids && v >= p->hdr.nr_ids)
		return kvalab_lex_fail(ps, -ERANGE,
			       "id %llu is not below the header's ids=%lu", v,
			       p->hdr.nr_ids);
	*id = (unsigned int)v;
	return 0;
}

static int parse_flags(struct kvalab_lex *ps, const char *val,
		       unsigned int *flags)
{
	const char *bad = val;
	size_t n = 0;
	int rc;

	rc = kvalab_lex_names(ps, val, flag_names, KVA_TRACE_NR_FLAGS, "flag",
			      flags, &bad, &n);
	if (rc == -ENOENT)
		return kvalab_lex_fail(ps, -EINVAL,
				       "unknown flag '%.*s' in 'flags=%s'",
				       (int)n, bad, val);
	return rc;
}

enum { OPT_ALIGN, OPT_FLAGS, OPT_NR_KEYS };

static const char *const alloc_keys[OPT_NR_KEYS] = {
	[OPT_ALIGN]	= "align",
	[OPT_FLAGS]	= "flags",
};

/* a ID SIZE [align=N] [flags=F,...], options in any order, each once. */
static int parse_alloc(struct kva_trace_parser *p, struct kvalab_lex *ps,
		       struct kva_trace_op *op)
{
	const char *size_tok, *tok, *val;
	unsigned int seen = 0;
	int rc;

	rc = parse_id(p, ps, &op->id);
	if (!rc)
		rc = kvalab_lex_alloc_size(ps, parse_ulong, &size_tok,
					   &op->size);
	if (rc)
		return rc;
	while ((tok = kvalab_next_token(ps))) {
		int key = kvalab_lex_key(tok, alloc_keys, OPT_NR_KEYS, &val);

		if (key < 0)
			return kvalab_lex_fail(ps, -EINVAL, "unknown option '%s'", tok);
		if (seen & (1U << key))
			return kvalab_lex_fail(ps, -EINVAL, "repeated option '%s'", tok);
		seen |= 1U << key;
		if (key == OPT_FLAGS) {
			rc = parse_flags(ps, val, &op->flags);
			if (rc)
				return rc;
			continue;
		}
		rc = parse_ulong(ps, "align", val, &op->align);
		if (rc)
			return rc;
		if (!is_pow2(op->align))
			return kvalab_lex_fail(ps, -EINVAL,
				       "align %s is not a power of two", val);
	}
	/* The replay places it as the control executor would. */
	rc = kvalab_lex_alloc_span(ps, size_tok, op->size, op->align,
				   !(op->flags & KVA_TRACE_F_NOGUARD),
				   p->hdr.page_size);
	if (rc)
		return rc;
	if (p->is_live && p->is_live(p->ctx, op->id))
		return kvalab_lex_fail(ps, -EEXIST, "id %u is already live", op->id);
	return 0;
}

/* f ID */
static int parse_free(struct kva_trace_parser *p, struct kvalab_lex *ps,
		      struct kva_trace_op *op)
{
	int rc;

	rc = parse_id(p, ps, &op->id);
	if (!rc)
		rc = kvalab_lex_end(ps);
	if (rc)
		return rc;
	if (p->is_live && !p->is_live(p->ctx, op->id))
		return kvalab_lex_fail(ps, -ENOENT, "free of id %u, which is not live",
			       op->id);
	return 0;
}

void kva_trace_parser_init(struct kva_trace_parser *p,
			   unsigned long page_size,
			   bool (*is_live)(void *ctx, unsigned int id),
			   void *ctx)
{
	memset(p, 0, sizeof(*p));
	p->page_size = page_size;
	p->is_live = is_live;
	p->ctx = ctx;
}

static int parse_body(struct kva_trace_parser *p, struct kvalab_lex *ps,
		      struct kva_trace_op *op)
{
	struct kva_trace_header hdr;
	const char *word;
	int rc;

	while (kvalab_is_blank(*ps->pos))
		ps->pos++;
	if (!*ps->pos || *ps->pos == '#') {
		if (p->line_nr == 1)
			return kvalab_lex_fail(ps, -EINVAL,
				       "missing header: line 1 must be '%s %d slice_size=N page_size=N'",
				       KVA_TRACE_MAGIC, KVA_TRACE_VERSION);
		op->kind = KVA_TRACE_SKIP;
		return 0;
	}
	word = kvalab_next_token(ps);
	if (!strcmp(word, KVA_TRACE_MAGIC)) {
		if (p->line_nr != 1)
			return kvalab_lex_fail(ps, -EINVAL,
				       "header on line %lu: only line 1 may hold it",
				       p->line_nr);
		memset(&hdr, 0, sizeof(hdr));
		rc = parse_header(p, ps, &hdr);
		if (rc)
			return rc;
		p->hdr = hdr;
		p->have_header = true;
		op->kind = KVA_TRACE_HEADER;
		return 0;
	}
	if (!p->have_header)
		return kvalab_lex_fail(ps, -EINVAL,
			       "missing header: line 1 must be '%s %d slice_size=N page_size=N', not '%s...'",
			       KVA_TRACE_MAGIC, KVA_TRACE_VERSION, word);

	if (word[0] == '@') {
		rc = parse_num(ps, "timestamp", word + 1, KVALAB_NUM_DECIMAL,
			       &op->time_ns);
		if (rc)
			return rc;
		if (p->have_time && op->time_ns < p->last_time_ns)
			return kvalab_lex_fail(ps, -EINVAL,
				       "timestamp %llu is before the previous one (%llu)",
				       op->time_ns, p->last_time_ns);
		op->has_time = true;
		word = kvalab_next_token(ps);
		if (!word)
			return kvalab_lex_fail(ps, -EINVAL,
				       "timestamp without an operation");
	}

	if (!strcmp(word, "a")) {
		op->kind = KVA_TRACE_ALLOC;
		rc = parse_alloc(p, ps, op);
	} else if (!strcmp(word, "f")) {
		op->kind = KVA_TRACE_FREE;
		rc = parse_free(p, ps, op);
	} else if (!strcmp(word, "p")) {
		op->kind = KVA_TRACE_PURGE;
		rc = kvalab_lex_end(ps);
	} else {
		rc = kvalab_lex_fail(ps, -EINVAL,
				     "unknown operation '%s' (a, f or p)", word);
	}
	if (rc)
		return rc;
	if (op->has_time) {
		p->have_time = true;
		p->last_time_ns = op->time_ns;
	}
	return 0;
}

int kva_trace_parse_line(struct kva_trace_parser *p, const char *line,
			 size_t len, struct kva_trace_op *op, char *err,
			 size_t errlen)
{
	struct kvalab_lex ps = { .err = err, .errlen = errlen };
	char buf[KVA_TRACE_LINE_MAX + 1];
	int rc;

	memset(op, 0, sizeof(*op));
	if (err && errlen)
		err[0] = '\0';
	p->line_nr++;
	rc = kvalab_lex_line(&ps, line, len, buf, KVA_TRACE_LINE_MAX,
			     "one line per call");
	if (!rc)
		rc = parse_body(p, &ps, op);
	if (rc)
		memset(op, 0, sizeof(*op));
	return rc;
}

char *kva_trace_format_error(const struct kva_trace_parser *p,
			     const char *reason, char *buf, size_t len)
{
	if (len)
		snprintf(buf, len, "line %lu: %s", p->line_nr, reason);
	return buf;
}
