/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one lexer of kvalab's two line grammars, the control commands
 * (debugfs/parse.c) and the trace format (debugfs/trace_parse.c), also used
 * for the module's slice_size parameter and by the CLI: the line check and
 * copy, blank-separated tokens cut in place out of that NUL-terminated
 * copy, key=value words, comma-separated name lists, numbers (decimal or
 * 0x hex, no sign, no octal, size suffixes, overflow), the allocation
 * request's SIZE and span both grammars share, and the reason buffer a
 * refusal writes. Header only; compiles in the kernel and in userspace.
 */
#ifndef _KVALAB_LEX_H
#define _KVALAB_LEX_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#endif

#include <kvalab/names.h>

/*
 * Kernel helpers a userspace build need not provide: the fallbacks are the
 * compiler builtins the kernel's own versions are built on, and no format
 * checking (the kernel build checks the formats).
 */
#ifndef __printf
#define __printf(a, b)
#endif
#ifndef check_add_overflow
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#endif
#ifndef check_mul_overflow
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)
#endif
#ifndef U32_MAX
#define U32_MAX				((unsigned int)~0U)
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)			(sizeof(a) / sizeof((a)[0]))
#endif

struct kvalab_lex {
	char *pos;		/* next unread byte of the NUL-terminated copy */
	char *err;		/* the reason, if not NULL */
	size_t errlen;
};

/*
 * Write the reason into the caller's buffer (truncated as needed) and return
 * @rc, so that callers can write "return kvalab_lex_fail(...)".
 */
static inline __printf(3, 4) int kvalab_lex_fail(struct kvalab_lex *lx,
						 int rc, const char *fmt, ...)
{
	va_list args;

	if (!lx->err || !lx->errlen)
		return rc;
	va_start(args, fmt);
	vsnprintf(lx->err, lx->errlen, fmt, args);
	va_end(args);
	return rc;
}

/*
 * The line check both grammars make before anything else: @len bytes of
 * @line (need not be NUL-terminated) are at most @max, and but for one
 * trailing newline, which is dropped, every byte is printable ASCII, a
 * space or a tab (a NUL would cut the line short unseen; CR from CRLF line
 * endings, other control bytes and non-ASCII bytes have no place in either
 * grammar). The line is then copied into @buf (@max + 1 bytes),
 * NUL-terminated, and the tokens are cut from that copy, so nothing reads
 * past the caller's @len bytes. @one_per ends the reason of a second line
 * ("one command per write").
 */
static inline int kvalab_lex_line(struct kvalab_lex *lx, const char *line,
				  size_t len, char *buf, size_t max,
				  const char *one_per)
{
	size_t i;

	if (len > max)
		return kvalab_lex_fail(lx, -EMSGSIZE,
				       "line longer than %zu bytes (%zu)",
				       max, len);
	if (len && line[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = line[i];

		if (c == '\0')
			return kvalab_lex_fail(lx, -EINVAL,
					       "NUL byte at offset %zu", i);
		if (c == '\n')
			return kvalab_lex_fail(lx, -EINVAL,
					       "newline at offset %zu: %s",
					       i, one_per);
		if (c == '\r')
			return kvalab_lex_fail(lx, -EINVAL,
					       "carriage return at offset %zu (no CRLF)",
					       i);
		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return kvalab_lex_fail(lx, -EINVAL,
					       "control or non-ASCII byte 0x%02x at offset %zu",
					       c, i);
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	lx->pos = buf;
	return 0;
}

static inline bool kvalab_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The next space- or tab-separated token, NUL-terminated in place, or NULL
 * at the end of the line.
 */
static inline char *kvalab_next_token(struct kvalab_lex *lx)
{
	char *start;

	while (kvalab_is_blank(*lx->pos))
		lx->pos++;
	if (!*lx->pos)
		return NULL;
	start = lx->pos;
	while (*lx->pos && !kvalab_is_blank(*lx->pos))
		lx->pos++;
	if (*lx->pos)
		*lx->pos++ = '\0';
	return start;
}

/* The end of the line: every token left is one too many. */
static inline int kvalab_lex_end(struct kvalab_lex *lx)
{
	const char *tok = kvalab_next_token(lx);

	if (tok)
		return kvalab_lex_fail(lx, -EINVAL, "extra argument '%s'", tok);
	return 0;
}

/*
 * Match the key of a "key=value" token against @keys (@nr names, exact
 * length): the key's index, with the value in *@val, or -1 for a token
 * with no '=' or a key that is none of them.
 */
static inline int kvalab_lex_key(const char *tok, const char *const *keys,
				 int nr, const char **val)
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

/*
 * A comma-separated list of names of @names (@nr of them, at most 32,
 * matched whole), each at most once, into the bits of *@mask, which keeps
 * the bits set so far when an item is refused. A repeat is refused here
 * ("WHAT 'NAME' given twice"); an item that is none of the names ends the
 * list with -ENOENT and no reason, *@bad and *@len naming it for the
 * grammar to word.
 */
static inline int kvalab_lex_names(struct kvalab_lex *lx, const char *val,
				   const char *const *names, int nr,
				   const char *what, unsigned int *mask,
				   const char **bad, size_t *len)
{
	const char *p = val;

	for (;;) {
		size_t n = strcspn(p, ",");
		int i = kvalab_name_index(names, nr, p, n);

		if (i < 0) {
			*bad = p;
			*len = n;
			return -ENOENT;
		}
		if (*mask & (1U << i))
			return kvalab_lex_fail(lx, -EINVAL, "%s '%s' given twice",
					       what, names[i]);
		*mask |= 1U << i;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* A hex digit's value, or -1. */
static inline int kvalab_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The shift of a K, M or G suffix (either case), or 0. */
static inline unsigned int kvalab_suffix_shift(char c)
{
	switch (c) {
	case 'K': case 'k':
		return 10;
	case 'M': case 'm':
		return 20;
	case 'G': case 'g':
		return 30;
	}
	return 0;
}

/*
 * The size forms every size field accepts (control commands, the
 * slice_size parameter, the CLI's --slice): the text of refusals and of
 * --help, kept here so they cannot drift apart.
 */
#define KVALAB_SIZE_FORMS \
	"decimal or 0x hex bytes with an optional K, M, G, KiB, MiB or GiB suffix"

/* How a number may be written (flags of kvalab_lex_number()). */
#define KVALAB_NUM_DECIMAL	0x1	/* no 0x hex */
#define KVALAB_NUM_KMG		0x2	/* an optional K, M or G suffix */
/* A size: K, M, G, KiB, MiB or GiB; refusals list KVALAB_SIZE_FORMS. */
#define KVALAB_NUM_SIZE		0x4

/*
 * The shift of the suffix that is the whole of @p under @form: K, M or G
 * (either case) with KVALAB_NUM_KMG or KVALAB_NUM_SIZE, followed by "iB"
 * only with KVALAB_NUM_SIZE; -1 for anything else (64KB, 1.5M, Ki). The
 * empty string is no suffix: shift 0.
 */
static inline int kvalab_num_suffix(const char *p, unsigned int form)
{
	unsigned int shift = kvalab_suffix_shift(*p);

	if (!*p)
		return 0;
	if (!(form & (KVALAB_NUM_KMG | KVALAB_NUM_SIZE)) || !shift)
		return -1;
	p++;
	if (!*p)
		return (int)shift;
	if ((form & KVALAB_NUM_SIZE) && p[0] == 'i' && p[1] == 'B' && !p[2])
		return (int)shift;
	return -1;
}

/*
 * The number parser: NUMBER (decimal, or hex after 0x unless
 * KVALAB_NUM_DECIMAL) and the suffix @form allows, from the whole of @tok,
 * at most @max. @what names the field in the reason, @type the destination
 * in range refusals ("does not fit an unsigned long", "overflows an
 * unsigned long"; NULL: "is too large", "overflows"). The syntax is checked
 * over the whole token before the range, so a malformed token is always
 * -EINVAL, even when its digits would also overflow:
 *   -EINVAL     signed, 0x where only decimal is taken, a leading zero (C
 *               would read 010 as octal: refuse rather than guess), no
 *               digit, or anything but a suffix of @form after the digits
 *   -ERANGE     the digits are above @max
 *   -EOVERFLOW  the digits times the suffix are above @max
 */
static inline int kvalab_lex_number(struct kvalab_lex *lx, const char *what,
				    const char *tok, unsigned int form,
				    unsigned long long max, const char *type,
				    unsigned long long *val)
{
	const char *forms = form & KVALAB_NUM_SIZE ?
			    ": sizes are " KVALAB_SIZE_FORMS : "";
	unsigned int base = 10;
	const char *p = tok;
	bool overflow = false;
	unsigned long long v = 0;
	int d, shift;

	if (*p == '-' || *p == '+')
		return kvalab_lex_fail(lx, -EINVAL, "%s '%s' is signed; %s",
				       what, tok, form & KVALAB_NUM_SIZE ?
				       "sizes are " KVALAB_SIZE_FORMS :
				       "numbers have no sign");
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		if (form & KVALAB_NUM_DECIMAL)
			return kvalab_lex_fail(lx, -EINVAL,
					       "%s '%s' must be decimal",
					       what, tok);
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
		return kvalab_lex_fail(lx, -EINVAL,
				       "%s '%s' has a leading zero (no octal)",
				       what, tok);
	}
	if (kvalab_digit_value(*p) < 0 || kvalab_digit_value(*p) >= (int)base)
		goto malformed;
	for (; (d = kvalab_digit_value(*p)) >= 0 && d < (int)base; p++) {
		if (check_mul_overflow(v, (unsigned long long)base, &v) ||
		    check_add_overflow(v, (unsigned long long)d, &v))
			overflow = true;
	}
	shift = kvalab_num_suffix(p, form);
	if (shift < 0)
		goto malformed;
	if (overflow || v > max)
		return type ?
		       kvalab_lex_fail(lx, -ERANGE, "%s '%s' does not fit %s",
				       what, tok, type) :
		       kvalab_lex_fail(lx, -ERANGE, "%s '%s' is too large",
				       what, tok);
	/* v <= max here, so v << shift is above max exactly when this is. */
	if (v > max >> shift)
		return kvalab_lex_fail(lx, -EOVERFLOW, "%s '%s' overflows%s%s",
				       what, tok, type ? " " : "",
				       type ? type : "");
	*val = v << shift;
	return 0;
malformed:
	return kvalab_lex_fail(lx, -EINVAL, "malformed %s '%s'%s",
			       what, tok, forms);
}

/* A number into an unsigned long; range refusals name the type. */
static inline int kvalab_lex_ulong(struct kvalab_lex *lx, const char *what,
				   const char *tok, unsigned int form,
				   unsigned long *val)
{
	unsigned long long v = 0;
	int rc = kvalab_lex_number(lx, what, tok, form, ~0UL,
				   "an unsigned long", &v);

	if (!rc)
		*val = (unsigned long)v;
	return rc;
}

/* A number into 64 bits: "is too large", "overflows". */
static inline int kvalab_lex_u64(struct kvalab_lex *lx, const char *what,
				 const char *tok, unsigned int form,
				 unsigned long long *val)
{
	return kvalab_lex_number(lx, what, tok, form, ~0ULL, NULL, val);
}

/*
 * A size (or an alignment, which takes the same forms) from the whole of
 * @tok: NUMBER and an optional K, M, G, KiB, MiB or GiB suffix; a refusal
 * of its syntax names the token and lists the accepted forms.
 */
static inline int kvalab_lex_size(struct kvalab_lex *lx, const char *what,
				  const char *tok, unsigned long *val)
{
	return kvalab_lex_ulong(lx, what, tok, KVALAB_NUM_SIZE, val);
}

/*
 * The allocation request both grammars take (control `alloc SIZE`, trace
 * `a ID SIZE`) is refused in the same words. SIZE is the next token, read
 * by @parse in the grammar's number forms, and neither missing nor zero;
 * *@tok is the token, for later reasons.
 */
static inline int kvalab_lex_alloc_size(struct kvalab_lex *lx,
					int (*parse)(struct kvalab_lex *lx,
						     const char *what,
						     const char *tok,
						     unsigned long *val),
					const char **tok, unsigned long *size)
{
	int rc;

	*tok = kvalab_next_token(lx);
	if (!*tok)
		return kvalab_lex_fail(lx, -EINVAL, "missing SIZE");
	rc = parse(lx, "size", *tok, size);
	if (rc)
		return rc;
	if (!*size)
		return kvalab_lex_fail(lx, -EINVAL, "size '%s' is zero", *tok);
	return 0;
}

/*
 * Whoever places the request (the control executor, the replay, the sim)
 * rounds @size up to pages, adds a guard page if @guard and raises @align
 * to at least a page; its bound on the VA the request may need is that
 * span plus align - 1 (the slack an aligned start can cost; the core itself
 * searches for the exact span). Refusing every request for which that sum
 * overflows (-EOVERFLOW; @tok is SIZE as written) means none of them has to
 * check.
 */
static inline int kvalab_lex_alloc_span(struct kvalab_lex *lx,
					const char *tok, unsigned long size,
					unsigned long align, bool guard,
					unsigned long page_size)
{
	unsigned long span;

	if (align < page_size)
		align = page_size;
	if (check_add_overflow(size, page_size - 1, &span))
		goto overflow;
	span &= ~(page_size - 1);
	if (guard && check_add_overflow(span, page_size, &span))
		goto overflow;
	if (check_add_overflow(span, align - 1, &span))
		goto overflow;
	return 0;
overflow:
	return kvalab_lex_fail(lx, -EOVERFLOW,
			       "size '%s' with guard and alignment overflows",
			       tok);
}

#endif /* _KVALAB_LEX_H */
