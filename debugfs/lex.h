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
#include <linux/kernel.h>
#include <linux/types.h>
#else
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

#endif /* _KVALAB_LEX_H */
