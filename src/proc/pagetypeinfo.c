/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/pagetypeinfo's per-migrate-type free counts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/pagetypeinfo.h"
#include "proc/text.h"

TEXT_MODEL(pagetypeinfo, struct pagetypeinfo, "proc/pagetypeinfo")

int pagetypeinfo_parse(const char *data, size_t len, const char *file, struct pagetypeinfo *pt,
		       struct ms_error *err)
{
	memset(pt, 0, sizeof(*pt));
	if (len == 0)
		return ms_fail(err, -EACCES, file, 0, "empty file (the kernel shows it to root only)");
	struct lines it;
	pt->v = lines_open(&it, data, len, file, err, sizeof(*pt->v));
	bool in_free = false;
	for (char *line; (line = lines_next(&it));) {
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
			lines_fail(&it, "expected 'Node N, zone NAME, type TYPE COUNTS...'");
			break;
		}
		p = text_skip_blank(p);
		if (*p != ',' || strncmp(text_skip_blank(p + 1), "type", 4)) {
			lines_fail(&it, "expected ', type TYPE' after the zone");
			break;
		}
		p = text_skip_blank(text_skip_blank(p + 1) + 4);
		size_t n = strcspn(p, " \t");
		if (n == 0 || n >= sizeof(r->type)) {
			lines_fail(&it, "missing migrate type");
			break;
		}
		memcpy(r->type, p, n);
		p += n;
		unsigned orders = 0;
		for (;;) {
			p = text_skip_blank(p);
			if (!*p)
				break;
			if (orders == BUDDY_MAX_ORDERS || text_u64(&p, &r->free[orders])) {
				lines_fail(&it, it.cut ? "last line cut off" : "counts must be whole numbers");
				break;
			}
			orders++;
		}
		if (!it.ret && (orders == 0 || (pt->n && orders != pt->orders)))
			lines_fail(&it, "%u orders, but the rows before have %u", orders, pt->orders);
		if (it.ret)
			break;
		pt->orders = orders;
		r->line = it.no;
		pt->n++;
	}
	if (lines_end(&it, pt->n, "no free counts per migrate type in the file", NULL))
		pagetypeinfo_free(pt);
	return it.ret;
}
