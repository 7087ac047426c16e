/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal-safe escaping: nothing a dump or a file name holds can move the cursor or set the
 * clipboard (ESC, CSI, OSC 52 all start with a control byte or a C1 code point). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/escape.h"

size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, v = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

size_t escape_text(const char *s, size_t len, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;
	if (size == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp = 0;
		size_t n = utf8_seq(p + i, len - i, &cp);
		int bad = n == 0 || cp < 0x20 || cp == 0x7f || cp == '\\' || (cp >= 0x80 && cp < 0xa0);
		if (bad) {
			/* escape the sequence's bytes (or the one invalid byte) */
			size_t k = n ? n : 1;
			if (o + 4 * k >= size)
				break;
			for (size_t j = 0; j < k; j++) {
				out[o++] = '\\';
				out[o++] = 'x';
				out[o++] = hex[p[i + j] >> 4];
				out[o++] = hex[p[i + j] & 15];
			}
			i += k;
		} else {
			if (o + n >= size)
				break;
			memcpy(out + o, p + i, n);
			o += n;
			i += n;
		}
	}
	out[o] = '\0';
	return o;
}

char *escape_dup(const char *s)
{
	size_t len = strlen(s);
	size_t size = len * 4 + 1;
	char *out = malloc(size);
	if (out)
		escape_text(s, len, out, size);
	return out;
}

char *utf8_valid(const char *s)
{
	size_t len = strlen(s), bad = 0;
	uint32_t cp;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq((const unsigned char *)s + i, len - i, &cp);
		bad += n == 0;
		i += n ? n : 1;
	}
	if (!bad)
		return (char *)s;
	char *out = malloc(len + bad * 2 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq((const unsigned char *)s + i, len - i, &cp);
		if (n) {
			memcpy(out + o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3); /* U+FFFD REPLACEMENT CHARACTER */
			o += 3;
			i++;
		}
	}
	out[o] = '\0';
	return out;
}
