/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside the diagrams: what diagram.c (fitting, notes, wrapping, bars), diagram_map.c (the
 * address map of boxes) and diagram_pairs.c (virtual pages beside their frames) share. */
#ifndef MEMSCOPE_DIAGRAM_INT_H
#define MEMSCOPE_DIAGRAM_INT_H

#include <string.h>

#include "out/diagram.h"

/* display width of @n bytes: one column per UTF-8 code point (escape_text leaves nothing else) */
static inline int span_width(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static inline int text_width(const char *s)
{
	return span_width(s, strlen(s));
}

#endif
