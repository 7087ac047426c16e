/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Making untrusted strings safe for a terminal. */
#ifndef MEMSCOPE_ESCAPE_H
#define MEMSCOPE_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

/* Copy @s (@len bytes, may hold NULs) to @out as printable text: control bytes, DEL, ESC, C1
 * controls, backslash and bytes of invalid UTF-8 become \xHH. Always NUL-terminates; returns
 * the length written (truncating at a character boundary when @size is too small). */
size_t escape_text(const char *s, size_t len, char *out, size_t size);

/* The length of the valid UTF-8 sequence at @s (at most @len bytes; RFC 3629: no overlong
 * forms, no surrogates, nothing past U+10FFFF) with its code point in *@cp; 0 when invalid. */
size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp);
/* The same into a new string (NULL when out of memory). */
char *escape_dup(const char *s);

/* A copy of @s that is valid UTF-8 for JSON: each byte of an invalid sequence becomes U+FFFD.
 * Returns @s itself (not a copy) when it is valid already; free the result only if it differs. */
char *utf8_valid(const char *s);

#endif
