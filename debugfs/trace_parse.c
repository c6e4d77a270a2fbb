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
 * The number rules are those of parse.c (decimal or 0x hex, no sign, no
 * leading zero, K/M/G suffixes where a size is expected); parse.c keeps its
 * helpers static, so the few lines are repeated here rather than changing
 * the control parser's interface.
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

#include <kvalab/trace.h>
#include "lex.h"

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
 * NUMBER from the whole of @tok, into an unsigned long long so that the
 * same code reads timestamps; hex only if @hex_ok, a K/M/G suffix only if
 * @suffix. Syntax is checked over the whole token before the range, so a
 * malformed token is -EINVAL even when its digits would also overflow.
 */
static int parse_num(struct kvalab_lex *ps, const char *what, const char *tok,
		     bool hex_ok, bool suffix, unsigned long long *val)
{
	unsigned int base = 10, shift = 0;
	unsigned long long v = 0;
	const char *p = tok;
	bool overflow = false;
	int d;

	if (!*p)
		return kvalab_lex_fail(ps, -EINVAL, "missing %s value", what);
	if (*p == '-' || *p == '+')
		return kvalab_lex_fail(ps, -EINVAL,
			       "%s '%s' is signed; numbers have no sign",
			       what, tok);
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (!hex_ok)
			return kvalab_lex_fail(ps, -EINVAL,
				       "%s '%s' must be decimal", what, tok);
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
		return kvalab_lex_fail(ps, -EINVAL,
			       "%s '%s' has a leading zero (no octal)",
			       what, tok);
	}
	if (kvalab_digit_value(*p) < 0 || kvalab_digit_value(*p) >= (int)base)
		return kvalab_lex_fail(ps, -EINVAL, "malformed %s '%s'", what, tok);
	for (; (d = kvalab_digit_value(*p)) >= 0 && d < (int)base; p++) {
		if (check_mul_overflow(v, (unsigned long long)base, &v) ||
		    check_add_overflow(v, (unsigned long long)d, &v))
			overflow = true;
	}
	if (suffix && kvalab_suffix_shift(*p)) {
		shift = kvalab_suffix_shift(*p);
		p++;
	}
	if (*p)
		return kvalab_lex_fail(ps, -EINVAL, "malformed %s '%s'", what, tok);
	if (overflow)
		return kvalab_lex_fail(ps, -ERANGE, "%s '%s' is too large", what, tok);
	if (shift && check_mul_overflow(v, 1ULL << shift, &v))
		return kvalab_lex_fail(ps, -EOVERFLOW, "%s '%s' overflows", what, tok);
	*val = v;
	return 0;
}

/* A size-like NUMBER[K|M|G] that must fit an unsigned long. */
static int parse_ulong(struct kvalab_lex *ps, const char *what,
		       const char *tok, unsigned long *val)
{
	unsigned long long v;
	int rc = parse_num(ps, what, tok, true, true, &v);

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

/*
 * Match "key=value" in @tok against @keys (@nr names): the key's index,
 * with the value in *@val, or -1 for a token that names none of them.
 */
static int match_key(const char *tok, const char *const *keys, int nr,
		     const char **val)
{
	const char *eq = strchr(tok, '=');
	int i;

	if (!eq)
		return -1;
	for (i = 0; i < nr; i++) {
		if (strlen(keys[i]) == (size_t)(eq - tok) &&
		    !strncmp(tok, keys[i], eq - tok)) {
			*val = eq + 1;
			return i;
		}
	}
	return -1;
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
	rc = parse_num(ps, "version", tok, false, false, &v);
	if (rc)
		return rc;
	if (v != KVA_TRACE_VERSION)
		return kvalab_lex_fail(ps, -EPROTONOSUPPORT,
			       "trace format version %s is not supported (this parser reads version %d)",
			       tok, KVA_TRACE_VERSION);
	hdr->version = KVA_TRACE_VERSION;

	while ((tok = kvalab_next_token(ps))) {
		int key = match_key(tok, hdr_keys, HDR_NR_KEYS, &val);

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
	rc = parse_num(ps, "id", tok, false, false, &v);
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
	const char *s = val;

	for (;;) {
		size_t n = strcspn(s, ",");
		unsigned int i;

		for (i = 0; i < KVA_TRACE_NR_FLAGS; i++)
			if (strlen(flag_names[i]) == n &&
			    !strncmp(s, flag_names[i], n))
				break;
		if (i == KVA_TRACE_NR_FLAGS)
			return kvalab_lex_fail(ps, -EINVAL,
				       "unknown flag '%.*s' in 'flags=%s'",
				       (int)n, s, val);
		if (*flags & (1U << i))
			return kvalab_lex_fail(ps, -EINVAL, "flag '%s' given twice",
				       flag_names[i]);
		*flags |= 1U << i;
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

/*
 * The replay rounds SIZE up to pages, adds a guard page unless noguard and
 * searches size + align - 1 with align at least a page, as the control
 * command's executor does: refuse here every request for which that sum
 * overflows, so no consumer has to check.
 */
static bool span_overflows(const struct kva_trace_op *op,
			   unsigned long page_size)
{
	unsigned long align = op->align > page_size ? op->align : page_size;
	unsigned long span;

	if (check_add_overflow(op->size, page_size - 1, &span))
		return true;
	span &= ~(page_size - 1);
	if (!(op->flags & KVA_TRACE_F_NOGUARD) &&
	    check_add_overflow(span, page_size, &span))
		return true;
	return check_add_overflow(span, align - 1, &span);
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
	if (rc)
		return rc;
	size_tok = kvalab_next_token(ps);
	if (!size_tok)
		return kvalab_lex_fail(ps, -EINVAL, "missing SIZE");
	rc = parse_ulong(ps, "size", size_tok, &op->size);
	if (rc)
		return rc;
	if (!op->size)
		return kvalab_lex_fail(ps, -EINVAL, "size '%s' is zero", size_tok);
	while ((tok = kvalab_next_token(ps))) {
		int key = match_key(tok, alloc_keys, OPT_NR_KEYS, &val);

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
	if (span_overflows(op, p->hdr.page_size))
		return kvalab_lex_fail(ps, -EOVERFLOW,
			       "size '%s' with guard and alignment overflows",
			       size_tok);
	if (p->is_live && p->is_live(p->ctx, op->id))
		return kvalab_lex_fail(ps, -EEXIST, "id %u is already live", op->id);
	return 0;
}

/* f ID */
static int parse_free(struct kva_trace_parser *p, struct kvalab_lex *ps,
		      struct kva_trace_op *op)
{
	const char *tok;
	int rc;

	rc = parse_id(p, ps, &op->id);
	if (rc)
		return rc;
	tok = kvalab_next_token(ps);
	if (tok)
		return kvalab_lex_fail(ps, -EINVAL, "extra argument '%s'", tok);
	if (p->is_live && !p->is_live(p->ctx, op->id))
		return kvalab_lex_fail(ps, -ENOENT, "free of id %u, which is not live",
			       op->id);
	return 0;
}

/* The checks of debugfs/parse.c's copy_line, with trace wording. */
static int copy_line(struct kvalab_lex *ps, const char *line, size_t len,
		     char *buf)
{
	size_t i;

	if (len && line[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = line[i];

		if (c == '\0')
			return kvalab_lex_fail(ps, -EINVAL, "NUL byte at offset %zu", i);
		if (c == '\n')
			return kvalab_lex_fail(ps, -EINVAL,
				       "newline at offset %zu: one line per call",
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
		rc = parse_num(ps, "timestamp", word + 1, false, false,
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
		word = kvalab_next_token(ps);
		rc = word ? kvalab_lex_fail(ps, -EINVAL, "extra argument '%s'", word) :
			    0;
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
	if (len > KVA_TRACE_LINE_MAX)
		return kvalab_lex_fail(&ps, -EMSGSIZE, "line longer than %d bytes (%zu)",
			       KVA_TRACE_LINE_MAX, len);
	rc = copy_line(&ps, line, len, buf);
	if (!rc) {
		ps.pos = buf;
		rc = parse_body(p, &ps, op);
	}
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
