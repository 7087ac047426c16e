/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared pieces of the text parsers: a line iterator over an owned copy, and field scanning. */
#ifndef MEMSCOPE_PROC_TEXT_H
#define MEMSCOPE_PROC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

/* Lines of a buffer the parser owns (each is NUL-terminated in place, its '\n' replaced). */
struct lines {
	char *p, *end;
	unsigned long no; /* number of the line last returned, from 1 */
	bool cut;	  /* the line last returned had no '\n' (the file's last line) */
};

/* Start iterating over @len bytes at @text (text[len] must be writable, as in struct buf). */
void lines_init(struct lines *it, char *text, size_t len);
/* The next line, or NULL at the end. A NUL byte inside a line ends it early: @has_nul says so. */
char *lines_next(struct lines *it, bool *has_nul);

/* Skip blanks (spaces, tabs, carriage returns). */
char *text_skip_blank(char *s);
/* True if the line holds only blanks. */
bool text_blank(const char *s);

/* Parse the unsigned decimal number at *s and move past it. Returns 0, -EINVAL (no digits)
 * or -ERANGE. */
int text_u64(char **s, uint64_t *v);

/* An array of zeroed rows, one per line of @data at most (NULL when out of memory). */
void *text_rows(const char *data, size_t len, size_t row_size, size_t *cap);

/* Copy a whole file into a parser-owned NUL-terminated buffer (NULL when out of memory). */
char *text_dup(const char *data, size_t len);

#endif
