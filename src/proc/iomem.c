/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/iomem: "%*s%0*llx-%0*llx : %s\n", two spaces of indent per nesting level
 * (kernel/resource.c, r_show()). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/units.h"
#include "proc/text.h"
#include "proc/iomem.h"

/* Parse one hex number at *p (stops at the first non-hex character). */
static int hex_at(const char **p, uint64_t *v)
{
	const char *s = *p;
	while (**p && strchr("0123456789abcdefABCDEF", **p))
		(*p)++;
	return units_parse_hex(s, (size_t)(*p - s), v);
}

TEXT_MODEL_KEEPING_TEXT(iomem, struct iomem_tree, "proc/iomem")

int iomem_parse(const char *data, size_t len, const char *file, struct iomem_tree *t,
		struct ms_error *err)
{
	struct lines it;
	lines_open_model(&it, t, data, len, file, err);

	long last_at_depth[64]; /* index of the latest region at each depth */
	int prev_depth = -1;
	bool all_zero = true;

	for (char *line; (line = lines_next_text(&it));) {
		char *eol = it.eol;
		bool cut = it.cut; /* no newline: the last line, possibly cut off */
		const char *q = line;
		size_t indent = 0;
		while (*q == ' ')
			q++, indent++;
		if (indent % 2) {
			lines_fail(&it, "indented by %zu spaces, not a whole nesting level", indent);
			break;
		}
		int depth = (int)(indent / 2);
		if (depth > prev_depth + 1) {
			lines_fail(&it, "nested %d levels deep under a line at level %d", depth,
				   prev_depth < 0 ? 0 : prev_depth);
			break;
		}
		if (depth >= 64) {
			lines_fail(&it, "nested more than 64 levels deep");
			break;
		}
		uint64_t start, stop;
		int e = hex_at(&q, &start);
		if (e == -ERANGE) {
			lines_fail(&it, "start address does not fit in 64 bits");
			break;
		}
		if (e || *q != '-') {
			lines_fail(&it, cut ? "last line cut off" : "expected 'START-END : NAME'");
			break;
		}
		q++;
		e = hex_at(&q, &stop);
		if (e == -ERANGE) {
			lines_fail(&it, "end address does not fit in 64 bits");
			break;
		}
		/* " : NAME", or " :" alone when the name is empty */
		bool sep = !e && eol - q >= 2 && q[0] == ' ' && q[1] == ':' &&
			   (eol - q == 2 || q[2] == ' ');
		if (!sep) {
			lines_fail(&it, cut ? "last line cut off" : "expected 'START-END : NAME'");
			break;
		}
		if (start > stop) {
			lines_fail(&it, "range ends before it starts");
			break;
		}
		char *name = line + (q - line) + (eol - q == 2 ? 2 : 3);
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
		r->line = it.no;
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
	}
	int ret = lines_end(&it, t->n, "no address ranges in the file", &t->text);
	if (ret)
		iomem_free(t);
	else
		t->hidden = all_zero;
	return ret;
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

uint64_t iomem_ram_bytes(const struct iomem_tree *t, size_t *ranges)
{
	uint64_t bytes = 0;
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].depth && !strcmp(t->v[i].name, "System RAM")) {
			bytes += iomem_size(&t->v[i]);
			n++;
		}
	if (ranges)
		*ranges = n;
	return bytes;
}
