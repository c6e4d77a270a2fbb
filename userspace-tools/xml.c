// SPDX-License-Identifier: GPL-2.0
/*
 * Text into XML (xml.h): the one escaper of the SVG and HTML writers.
 */
#include <stdint.h>
#include <string.h>

#include "xml.h"

/*
 * The length of the valid UTF-8 sequence at @s (at most @n bytes) that XML
 * 1.0 allows, or 0: overlong forms, surrogates, U+FFFE/U+FFFF and code
 * points above U+10FFFF are refused.
 */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff ||
	    c > 0x10ffff)
		return 0;
	return len;
}

/*
 * @n bytes of @s as XML character data or attribute text: the special
 * characters escaped, control bytes dropped (XML 1.0 has no way to write
 * them) except newline and tab when @pre, and each byte of invalid UTF-8
 * as '?'. A NUL ends the text early.
 */
void xml_text_n(FILE *f, const char *s, size_t n, bool pre)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + n;

	while (p < end && *p) {
		size_t l;

		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			if (*p < 0x20) {
				if (pre && (*p == '\n' || *p == '\t'))
					fputc(*p, f);
				break;
			}
			l = utf8_len(p, (size_t)(end - p));
			if (!l) {
				fputc('?', f);
				break;
			}
			fwrite(p, 1, l, f);
			p += l;
			continue;
		}
		p++;
	}
}

void xml_text(FILE *f, const char *s)
{
	if (s)
		xml_text_n(f, s, strlen(s), false);
}
