/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Line iteration and number scanning shared by the /proc text parsers. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/units.h"
#include "proc/text.h"

void lines_init(struct lines *it, char *text, size_t len)
{
	it->p = text;
	it->end = text + len;
	it->no = 0;
	it->cut = false;
}

char *lines_next(struct lines *it, bool *has_nul)
{
	if (it->p >= it->end)
		return NULL;
	char *line = it->p;
	char *nl = memchr(line, '\n', (size_t)(it->end - line));
	char *eol = nl ? nl : it->end;
	it->cut = !nl;
	it->no++;
	*eol = '\0';
	if (has_nul)
		*has_nul = strlen(line) != (size_t)(eol - line);
	it->p = eol + 1;
	return line;
}

char *text_skip_blank(char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

bool text_blank(const char *s)
{
	return *text_skip_blank((char *)s) == '\0';
}

int text_u64(char **s, uint64_t *v)
{
	char *p = *s;
	while (*p >= '0' && *p <= '9')
		p++;
	int e = units_parse_dec(*s, (size_t)(p - *s), v);
	if (e == 0)
		*s = p;
	return e;
}

char *text_dup(const char *data, size_t len)
{
	char *t = malloc(len + 1);
	if (t) {
		memcpy(t, data, len);
		t[len] = '\0';
	}
	return t;
}

void *text_rows(const char *data, size_t len, size_t row_size, size_t *cap)
{
	size_t n = 1;
	for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + len - p))); p++)
		n++;
	if (cap)
		*cap = n;
	return calloc(n, row_size);
}
