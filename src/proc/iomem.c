/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/iomem: "%*s%0*llx-%0*llx : %s\n", two spaces of indent per nesting level
 * (kernel/resource.c, r_show()). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/units.h"
#include "proc/text.h"
#include "proc/iomem.h"


static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Parse one hex number at *p (stops at the first non-hex character). */
static int hex_at(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	while (*p < end && strchr("0123456789abcdefABCDEF", **p) && **p)
		(*p)++;
	return units_parse_hex(s, (size_t)(*p - s), v);
}

int iomem_parse(const char *data, size_t len, const char *file, struct iomem_tree *t,
		struct ms_error *err)
{
	memset(t, 0, sizeof(*t));
	t->text = malloc(len + 1);
	t->v = text_rows(data, len, sizeof(*t->v), NULL);
	if (!t->text || !t->v) {
		iomem_free(t);
		return ms_fail(err, -ENOMEM, file, 0, "out of memory");
	}
	memcpy(t->text, data, len);
	t->text[len] = '\0';

	long last_at_depth[64]; /* index of the latest region at each depth */
	int prev_depth = -1;
	unsigned long lineno = 0;
	char *p = t->text, *end = t->text + len;
	bool all_zero = true;
	int ret = 0;

	while (p < end) {
		lineno++;
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *eol = nl ? nl : end;
		bool cut = !nl; /* no newline: the last line, possibly cut off */
		if (memchr(p, '\0', (size_t)(eol - p))) {
			ret = ms_fail(err, -EINVAL, file, lineno, "NUL byte in line");
			goto fail;
		}
		if (blank(p, (size_t)(eol - p))) {
			p = eol + 1;
			continue;
		}
		const char *q = p;
		size_t indent = 0;
		while (q < eol && *q == ' ')
			q++, indent++;
		if (indent % 2) {
			ret = ms_fail(err, -EINVAL, file, lineno,
				      "indented by %zu spaces, not a whole nesting level", indent);
			goto fail;
		}
		int depth = (int)(indent / 2);
		if (depth > prev_depth + 1) {
			ret = ms_fail(err, -EINVAL, file, lineno,
				      "nested %d levels deep under a line at level %d", depth,
				      prev_depth < 0 ? 0 : prev_depth);
			goto fail;
		}
		if (depth >= 64) {
			ret = ms_fail(err, -EINVAL, file, lineno, "nested more than 64 levels deep");
			goto fail;
		}
		uint64_t start, stop;
		int e = hex_at(&q, eol, &start);
		if (e == -ERANGE) {
			ret = ms_fail(err, -EINVAL, file, lineno, "start address does not fit in 64 bits");
			goto fail;
		}
		if (e || q >= eol || *q != '-') {
			ret = ms_fail(err, -EINVAL, file, lineno,
				      cut ? "last line cut off" : "expected 'START-END : NAME'");
			goto fail;
		}
		q++;
		e = hex_at(&q, eol, &stop);
		if (e == -ERANGE) {
			ret = ms_fail(err, -EINVAL, file, lineno, "end address does not fit in 64 bits");
			goto fail;
		}
		/* " : NAME", or " :" alone when the name is empty */
		bool sep = !e && eol - q >= 2 && q[0] == ' ' && q[1] == ':' &&
			   (eol - q == 2 || q[2] == ' ');
		if (!sep) {
			ret = ms_fail(err, -EINVAL, file, lineno,
				      cut ? "last line cut off" : "expected 'START-END : NAME'");
			goto fail;
		}
		if (start > stop) {
			ret = ms_fail(err, -EINVAL, file, lineno, "range ends before it starts");
			goto fail;
		}
		char *name = (char *)q + (eol - q == 2 ? 2 : 3);
		char *ne = eol;
		while (ne > name && (ne[-1] == ' ' || ne[-1] == '\t' || ne[-1] == '\r'))
			ne--;
		*ne = '\0';

		struct iomem_region *r = &t->v[t->n];
		long idx = (long)t->n++;
		r->start = start;
		r->end = stop;
		r->name = name;
		r->depth = (unsigned)depth;
		r->line = lineno;
		r->first_child = r->next = -1;
		r->parent = depth ? last_at_depth[depth - 1] : -1;
		/* link as the last child of the parent, or after the previous top-level region */
		if (depth <= prev_depth)
			t->v[last_at_depth[depth]].next = idx;
		else if (depth)
			t->v[r->parent].first_child = idx;
		last_at_depth[depth] = idx;
		prev_depth = depth;
		if (start || stop)
			all_zero = false;
		p = eol + 1;
	}
	if (t->n == 0) {
		ret = ms_fail(err, -EINVAL, file, 0, len ? "no address ranges in the file"
							 : "empty file");
		goto fail;
	}
	t->hidden = all_zero;
	return 0;
fail:
	iomem_free(t);
	return ret;
}

static int parse_any(const char *data, size_t len, const char *file, void *out,
		     struct ms_error *err)
{
	return iomem_parse(data, len, file, out, err);
}

int iomem_read(const struct sysroot *sr, struct iomem_tree *t, struct ms_error *err)
{
	memset(t, 0, sizeof(*t)); /* safe to free whatever happens */
	return sysroot_parse(sr, "proc/iomem", parse_any, t, err);
}

void iomem_free(struct iomem_tree *t)
{
	free(t->v);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

size_t iomem_find(const struct iomem_tree *t, uint64_t addr, long *chain, size_t max)
{
	size_t n = 0;
	long i = t->n ? 0 : -1;
	while (i >= 0) {
		const struct iomem_region *r = &t->v[i];
		if (addr >= r->start && addr <= r->end) {
			if (n < max)
				chain[n] = i;
			n++;
			i = r->first_child;
		} else {
			i = r->next;
		}
	}
	return n;
}

uint64_t iomem_size(const struct iomem_region *r)
{
	uint64_t s = r->end - r->start;
	return s == UINT64_MAX ? UINT64_MAX : s + 1;
}
