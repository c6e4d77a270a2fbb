/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CLI's one XML escaper (xml.c), for every SVG and HTML document it
 * writes: & < > " and ' escaped, so the text is safe in character data and
 * in attribute values of either quote; control bytes dropped (XML 1.0 has
 * no way to write them); each byte of invalid UTF-8 written as '?'. The
 * documents stay well-formed whatever the text.
 */
#ifndef KVALAB_XML_H
#define KVALAB_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The string @s, escaped; nothing for NULL. */
void xml_text(FILE *f, const char *s);

/*
 * At most @n bytes of @s (a NUL ends them early), escaped; with @pre,
 * newlines and tabs are kept (the text of a <pre>).
 */
void xml_text_n(FILE *f, const char *s, size_t n, bool pre);

#endif /* KVALAB_XML_H */
