/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/pagetypeinfo's per-migrate-type free counts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/pagetypeinfo.h"
#include "proc/text.h"

int pagetypeinfo_parse(const char *data, size_t len, const char *file, struct pagetypeinfo *pt,
		       struct ms_error *err)
{
	memset(pt, 0, sizeof(*pt));
	if (len == 0)
		return ms_fail(err, -EACCES, file, 0, "empty file (the kernel shows it to root only)");
	char *text = text_dup(data, len);
	pt->v = text_rows(data, len, sizeof(*pt->v), NULL);
	int ret = 0;
	if (!text || !pt->v) {
		ret = ms_fail(err, -ENOMEM, file, 0, "out of memory");
		goto fail;
	}
	struct lines it;
	lines_init(&it, text, len);
	char *line;
	bool nul, in_free = false;
	while ((line = lines_next(&it, &nul))) {
		if (nul) {
			ret = ms_fail(err, -EINVAL, file, it.no, "NUL byte in line");
			goto fail;
		}
		char *p = line;
		uint64_t v;
		if (!strncmp(p, "Page block order:", 17)) {
			p = text_skip_blank(p + 17);
			if (text_u64(&p, &v) == 0 && v < 64)
				pt->pageblock_order = (unsigned)v;
			continue;
		}
		if (!strncmp(p, "Free pages count per migrate type", 33)) {
			in_free = true;
			continue;
		}
		if (!strncmp(p, "Number of blocks type", 21) || text_blank(p)) {
			in_free = in_free && text_blank(p) && pt->n == 0;
			continue;
		}
		if (!in_free)
			continue;
		struct pagetype_row *r = &pt->v[pt->n];
		if (buddy_parse_node_zone(&p, &r->node, r->zone, sizeof(r->zone))) {
			ret = ms_fail(err, -EINVAL, file, it.no,
				      "expected 'Node N, zone NAME, type TYPE COUNTS...'");
			goto fail;
		}
		p = text_skip_blank(p);
		if (*p != ',' || strncmp(text_skip_blank(p + 1), "type", 4)) {
			ret = ms_fail(err, -EINVAL, file, it.no, "expected ', type TYPE' after the zone");
			goto fail;
		}
		p = text_skip_blank(text_skip_blank(p + 1) + 4);
		size_t n = strcspn(p, " \t");
		if (n == 0 || n >= sizeof(r->type)) {
			ret = ms_fail(err, -EINVAL, file, it.no, "missing migrate type");
			goto fail;
		}
		memcpy(r->type, p, n);
		p += n;
		unsigned orders = 0;
		for (;;) {
			p = text_skip_blank(p);
			if (!*p)
				break;
			if (orders == BUDDY_MAX_ORDERS || text_u64(&p, &r->free[orders])) {
				ret = ms_fail(err, -EINVAL, file, it.no,
					      it.cut ? "last line cut off" : "counts must be whole numbers");
				goto fail;
			}
			orders++;
		}
		if (orders == 0 || (pt->n && orders != pt->orders)) {
			ret = ms_fail(err, -EINVAL, file, it.no, "%u orders, but the rows before have %u",
				      orders, pt->orders);
			goto fail;
		}
		pt->orders = orders;
		r->line = it.no;
		pt->n++;
	}
	if (pt->n == 0) {
		ret = ms_fail(err, -EINVAL, file, 0, "no free counts per migrate type in the file");
		goto fail;
	}
	free(text);
	return 0;
fail:
	free(text);
	pagetypeinfo_free(pt);
	return ret;
}

static int parse_any(const char *data, size_t len, const char *file, void *out,
		     struct ms_error *err)
{
	return pagetypeinfo_parse(data, len, file, out, err);
}

int pagetypeinfo_read(const struct sysroot *sr, struct pagetypeinfo *pt, struct ms_error *err)
{
	memset(pt, 0, sizeof(*pt)); /* safe to free whatever happens */
	return sysroot_parse(sr, "proc/pagetypeinfo", parse_any, pt, err);
}

void pagetypeinfo_free(struct pagetypeinfo *pt)
{
	free(pt->v);
	memset(pt, 0, sizeof(*pt));
}
