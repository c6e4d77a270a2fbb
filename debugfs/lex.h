/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lexer the two line parsers share (the control commands in parse.c,
 * the trace format in trace_parse.c): blank-separated tokens cut in place
 * out of a NUL-terminated copy of the line, digits, K/M/G suffixes, and the
 * reason buffer a refusal writes. Compiles in the kernel and in userspace.
 */
#ifndef _KVALAB_LEX_H
#define _KVALAB_LEX_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#endif

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

/*
 * The smallest slice_size the module takes (module/main.c), which the CLI
 * checks before it loads the module.
 */
#define KVALAB_SLICE_MIN	0x100000UL	/* 1M */

/*
 * The shift of the size suffix that is the whole of @p: K, M or G (either
 * case), alone or followed by "iB"; -1 for anything else (64KB, 1.5M, Ki).
 * The empty string is no suffix: shift 0.
 */
static inline int kvalab_size_suffix(const char *p)
{
	unsigned int shift = kvalab_suffix_shift(*p);

	if (!*p)
		return 0;
	if (!shift)
		return -1;
	p++;
	if (!*p || (p[0] == 'i' && p[1] == 'B' && !p[2]))
		return (int)shift;
	return -1;
}

/*
 * A size (or an alignment, which takes the same forms) from the whole of
 * @tok: NUMBER (decimal, or hex after 0x) and an optional suffix of
 * kvalab_size_suffix(). @what names the field in the reason. The syntax is
 * checked over the whole token before the range, so a malformed token is
 * always -EINVAL, even when its digits would also overflow; the reason of
 * a malformed token names it and lists the accepted forms.
 */
static inline int kvalab_lex_size(struct kvalab_lex *lx, const char *what,
				  const char *tok, unsigned long *val)
{
	unsigned int base = 10;
	const char *p = tok;
	bool overflow = false;
	unsigned long v = 0;
	int d, shift;

	if (*p == '-' || *p == '+')
		return kvalab_lex_fail(lx, -EINVAL,
				       "%s '%s' is signed; sizes are " KVALAB_SIZE_FORMS,
				       what, tok);
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
		/* C reads 010 as octal; refuse rather than guess. */
		return kvalab_lex_fail(lx, -EINVAL,
				       "%s '%s' has a leading zero (no octal)",
				       what, tok);
	}
	if (kvalab_digit_value(*p) < 0 || kvalab_digit_value(*p) >= (int)base)
		goto malformed;
	for (; (d = kvalab_digit_value(*p)) >= 0 && d < (int)base; p++) {
		if (check_mul_overflow(v, (unsigned long)base, &v) ||
		    check_add_overflow(v, (unsigned long)d, &v))
			overflow = true;
	}
	shift = kvalab_size_suffix(p);
	if (shift < 0)
		goto malformed;
	if (overflow)
		return kvalab_lex_fail(lx, -ERANGE,
				       "%s '%s' does not fit an unsigned long",
				       what, tok);
	if (shift && check_mul_overflow(v, 1UL << shift, &v))
		return kvalab_lex_fail(lx, -EOVERFLOW,
				       "%s '%s' overflows an unsigned long",
				       what, tok);
	*val = v;
	return 0;
malformed:
	return kvalab_lex_fail(lx, -EINVAL,
			       "malformed %s '%s': sizes are " KVALAB_SIZE_FORMS,
			       what, tok);
}

#endif /* _KVALAB_LEX_H */
