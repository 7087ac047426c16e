/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared pieces of the text parsers: one line iterator that is also the parse's outcome (the
 * copy, the failure naming "FILE:LINE: reason", the empty file), and field scanning. */
#ifndef MEMSCOPE_PROC_TEXT_H
#define MEMSCOPE_PROC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/error.h"
#include "proc/sysroot.h"

/* The lines of a file a parser reads, each NUL-terminated in place of its '\n'. Every proc/ text
 * parser goes through one:
 *
 *	struct lines it;
 *	lines_open_model(&it, m, data, len, file, err);    (or lines_open() without rows)
 *	for (char *line; (line = lines_next(&it));)
 *		if (bad)
 *			lines_fail(&it, "reason");  (and leave the line: lines_next() ends the loop)
 *	if (lines_end(&it, m->n, "no rows in the file", NULL))
 *		m_free(m);
 *	return it.ret;
 *
 * A failure (out of memory, a bad line) is kept, the first one only; lines_next() returns NULL
 * from then on and lines_end() returns it. */
struct lines {
	char *text;	      /* the parser's copy of the file; lines_end() frees it (or hands it on) */
	char *p, *end;
	size_t len;	      /* of the file */
	const char *file;     /* as named to the user */
	struct ms_error *err; /* may be NULL */
	unsigned long no;     /* number of the line last returned, from 1 */
	char *eol;	      /* where the line last returned ended (its '\n', now a NUL) */
	bool cut;	      /* the line last returned had no '\n' (the file's last line) */
	bool nul;	      /* it holds a NUL byte: the string ends there, before eol */
	bool nul_ok;	      /* hand such lines on (set after lines_open()); else they fail */
	int ret;	      /* 0, or the first failure (a negative errno) */
};

/* Copy @len bytes at @data (which need not be NUL-terminated) and start at their first line;
 * with a @row_size, allocate a zeroed row for every line of the file and return them (NULL with
 * no @row_size, or out of memory). Running out of memory fails the parse (-ENOMEM, line 0). */
void *lines_open(struct lines *it, const char *data, size_t len, const char *file,
		 struct ms_error *err, size_t row_size);
/* The next line, or NULL at the end or once the parse has failed. Without nul_ok a line holding
 * a NUL byte fails the parse: "NUL byte in line". */
char *lines_next(struct lines *it);
/* The same, passing over blank lines (only spaces, tabs, carriage returns) */
char *lines_next_text(struct lines *it);
/* lines_open() for a model @m whose rows are m->v: the model zeroed, then its rows allocated. */
#define lines_open_model(it, m, data, len, file, err)                                           \
	(memset((m), 0, sizeof(*(m))),                                                            \
	 (m)->v = lines_open((it), (data), (len), (file), (err), sizeof(*(m)->v)))
/* Fail the parse at the line last returned (-EINVAL; the first failure is the one kept).
 * Returns the failure kept. */
int lines_fail(struct lines *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* @n zeroed rows of @size bytes, or NULL with the parse failed for want of memory. */
void *lines_alloc(struct lines *it, size_t n, size_t size);
/* The parse's outcome: the failure kept, else, when @found is 0, "empty file" or @none (a file
 * of blank lines, or of none the parser wanted). Frees the copy, or on success hands it to
 * *@keep when the model points into it. Returns 0 or a negative errno with @err filled. */
int lines_end(struct lines *it, size_t found, const char *none, char **keep);

/* NAME_read(): the file at @path under the sysroot parsed by NAME_parse() into a model of
 * @type, zeroed first so that NAME_free() is safe whatever happens. */
#define TEXT_READER(name, type, path)                                                           \
	static int name##_parse_any(const char *data, size_t len, const char *file, void *out,   \
				    struct ms_error *err)                                        \
	{                                                                                         \
		return name##_parse(data, len, file, out, err);                                   \
	}                                                                                         \
	int name##_read(const struct sysroot *sr, type *m, struct ms_error *err)                  \
	{                                                                                         \
		memset(m, 0, sizeof(*m));                                                         \
		return sysroot_parse(sr, path, name##_parse_any, m, err);                         \
	}

/* Free @rows and @text (either may be NULL) and zero the @size bytes of @model. */
void text_free_model(void *model, size_t size, void *rows, void *text);
#define TEXT_MODEL_FREE_(name, type, text)                                                      \
	void name##_free(type *m)                                                                 \
	{                                                                                         \
		text_free_model(m, sizeof(*m), m->v, text);                                       \
	}
/* NAME_read() and NAME_free() of a model whose rows are m->v. */
#define TEXT_MODEL(name, type, path) TEXT_MODEL_FREE_(name, type, NULL) TEXT_READER(name, type, path)
/* The same for a model whose rows point into its copy of the file, m->text (lines_end()'s @keep). */
#define TEXT_MODEL_KEEPING_TEXT(name, type, path)                                               \
	TEXT_MODEL_FREE_(name, type, m->text) TEXT_READER(name, type, path)

/* Skip blanks (spaces, tabs, carriage returns). */
char *text_skip_blank(char *s);
/* True if the line holds only blanks. */
bool text_blank(const char *s);

/* Parse the unsigned decimal number at *s and move past it. Returns 0, -EINVAL (no digits)
 * or -ERANGE. */
int text_u64(char **s, uint64_t *v);

/* Copy a whole file into a parser-owned NUL-terminated buffer (NULL when out of memory). */
char *text_dup(const char *data, size_t len);

/* For machine.c's looks at whole files (NUL-terminated text, not split): the first line at or
 * after @from (the start of a line, or NULL) that starts with @key, or NULL; the line after
 * @line (NULL after the last, or for NULL). */
const char *text_line_with(const char *from, const char *key);
const char *text_next_line(const char *line);

/* sysroot_list() of a directory that may not be there (an older kernel, a dump without it):
 * then 0 entries, *@names NULL, not an error. */
int sysroot_list_opt(const struct sysroot *sr, const char *path, const char *prefix,
		     char ***names, struct ms_error *err);
/* The page size a "hugepages-2048kB" directory is named for, in bytes; 0 for another name. */
uint64_t hugepage_dir_size(const char *name);

/* One number of a sysfs attribute file at @path ("sys/.../nr_hugepages") under @sr. Returns 0
 * or -errno with @err naming it (-ENOENT: missing, -EINVAL: not a whole number). */
int sysfs_attr_u64(const struct sysroot *sr, const char *path, uint64_t *v, struct ms_error *err);

#endif
