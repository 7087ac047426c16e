/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Line iteration, the parse's outcome and number scanning shared by the /proc text parsers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/units.h"
#include "proc/text.h"

char *text_dup(const char *data, size_t len)
{
	char *t = malloc(len + 1);
	if (t) {
		memcpy(t, data, len);
		t[len] = '\0';
	}
	return t;
}

static int nomem(struct lines *it)
{
	if (!it->ret)
		it->ret = ms_fail(it->err, -ENOMEM, it->file, 0, "out of memory");
	return it->ret;
}

void *lines_open(struct lines *it, const char *data, size_t len, const char *file,
		 struct ms_error *err, size_t row_size)
{
	memset(it, 0, sizeof(*it));
	it->file = file;
	it->err = err;
	it->len = len;
	it->text = text_dup(data, len);
	if (!it->text) {
		nomem(it);
		return NULL;
	}
	it->p = it->text;
	it->end = it->text + len;
	/* NUL bytes after the last line are a copy's padding, not the kernel's (a sysfs file
	 * saved as its 4096-byte page: PCP's test archives have them): the file ends there */
	char *q = it->end;
	while (q > it->text && q[-1] == '\0')
		q--;
	if (q < it->end && q > it->text && q[-1] == '\n')
		it->end = q;
	if (!row_size)
		return NULL;
	size_t n = 1;
	for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + len - p))); p++)
		n++;
	return lines_alloc(it, n, row_size);
}

char *lines_next(struct lines *it)
{
	if (it->ret || it->p >= it->end)
		return NULL;
	char *line = it->p;
	char *nl = memchr(line, '\n', (size_t)(it->end - line));
	char *eol = nl ? nl : it->end;
	it->cut = !nl;
	it->no++;
	*eol = '\0';
	it->eol = eol;
	it->nul = strlen(line) != (size_t)(eol - line);
	it->p = eol + 1;
	if (it->nul && !it->nul_ok) {
		lines_fail(it, "NUL byte in line");
		return NULL;
	}
	return line;
}

char *lines_next_text(struct lines *it)
{
	char *line;
	while ((line = lines_next(it)) && text_blank(line))
		;
	return line;
}

int lines_fail(struct lines *it, const char *fmt, ...)
{
	if (it->ret)
		return it->ret;
	if (!it->err)
		return it->ret = -EINVAL;
	char reason[sizeof(it->err->reason)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return it->ret = ms_fail(it->err, -EINVAL, it->file, it->no, "%s", reason);
}

void *lines_alloc(struct lines *it, size_t n, size_t size)
{
	void *v = it->ret ? NULL : calloc(n, size);
	if (!v)
		nomem(it);
	return v;
}

int lines_end(struct lines *it, size_t found, const char *none, char **keep)
{
	if (!it->ret && found == 0)
		it->ret = ms_fail(it->err, -EINVAL, it->file, 0, "%s", it->len ? none : "empty file");
	if (!it->ret && keep)
		*keep = it->text;
	else
		free(it->text);
	it->text = NULL;
	return it->ret;
}

void text_free_model(void *model, size_t size, void *rows, void *text)
{
	free(rows);
	free(text);
	memset(model, 0, size);
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

const char *text_next_line(const char *line)
{
	const char *nl = line ? strchr(line, '\n') : NULL;
	return nl ? nl + 1 : NULL;
}

const char *text_line_with(const char *from, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = from; p && *p; p = text_next_line(p))
		if (!strncmp(p, key, kl))
			return p;
	return NULL;
}

int sysfs_attr_u64(const struct sysroot *sr, const char *path, uint64_t *v, struct ms_error *err)
{
	struct buf b = {0};
	int e = sysroot_read(sr, path, &b, err);
	if (e)
		return e;
	char name[512];
	sysroot_name(sr, path, name, sizeof(name));
	char *t = text_dup(b.data, b.len), *p = t;
	buf_free(&b);
	if (!t)
		return ms_fail(err, -ENOMEM, name, 0, "out of memory");
	p = text_skip_blank(p);
	e = text_u64(&p, v);
	if (!e && *text_skip_blank(p) && *text_skip_blank(p) != '\n')
		e = -EINVAL;
	free(t);
	return e ? ms_fail(err, -EINVAL, name, 1, "expected a whole number") : 0;
}

int sysroot_list_opt(const struct sysroot *sr, const char *path, const char *prefix,
		     char ***names, struct ms_error *err)
{
	struct ms_error lerr = {0};
	int n = sysroot_list(sr, path, prefix, names, &lerr);
	if (n == 0)
		free(*names); /* one allocation even for no entries */
	if (n == -ENOENT || n == 0) {
		*names = NULL;
		return 0;
	}
	if (n < 0)
		*err = lerr;
	return n;
}

uint64_t hugepage_dir_size(const char *name)
{
	static const char pre[] = "hugepages-";
	if (strncmp(name, pre, sizeof(pre) - 1))
		return 0;
	char *p = (char *)name + sizeof(pre) - 1;
	uint64_t kb;
	if (text_u64(&p, &kb) || strcmp(p, "kB") || !kb || kb > (UINT64_C(1) << 40))
		return 0;
	return kb * 1024;
}
