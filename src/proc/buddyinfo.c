/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/buddyinfo: "Node %d, zone %8s " then "%6lu " per order. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/buddyinfo.h"
#include "proc/text.h"

int buddy_parse_node_zone(char **s, unsigned *node, char *zone, size_t zone_size)
{
	char *p = text_skip_blank(*s);
	uint64_t v;
	if (strncmp(p, "Node", 4) != 0)
		return -EINVAL;
	p = text_skip_blank(p + 4);
	if (text_u64(&p, &v) || v > 65535 || *p != ',')
		return -EINVAL;
	p = text_skip_blank(p + 1);
	if (strncmp(p, "zone", 4) != 0)
		return -EINVAL;
	p = text_skip_blank(p + 4);
	size_t n = strcspn(p, " \t,");
	if (n == 0 || n >= zone_size)
		return -EINVAL;
	memcpy(zone, p, n);
	zone[n] = '\0';
	*node = (unsigned)v;
	*s = p + n;
	return 0;
}

TEXT_MODEL(buddyinfo, struct buddyinfo, "proc/buddyinfo")

int buddyinfo_parse(const char *data, size_t len, const char *file, struct buddyinfo *bi,
		    struct ms_error *err)
{
	struct lines it;
	lines_open_model(&it, bi, data, len, file, err);
	for (char *line; (line = lines_next_text(&it));) {
		struct buddy_zone *z = &bi->v[bi->n];
		z->line = it.no;
		char *p = line;
		if (buddy_parse_node_zone(&p, &z->node, z->zone, sizeof(z->zone))) {
			lines_fail(&it, "expected 'Node N, zone NAME COUNTS...'");
			break;
		}
		unsigned orders = 0;
		for (;;) {
			p = text_skip_blank(p);
			if (!*p)
				break;
			if (orders == BUDDY_MAX_ORDERS) {
				lines_fail(&it, "more than %d orders", BUDDY_MAX_ORDERS);
				break;
			}
			int e = text_u64(&p, &z->free[orders]);
			if (e || (*p && *p != ' ' && *p != '\t' && *p != '\r')) {
				lines_fail(&it, e == -ERANGE ? "a count does not fit in 64 bits"
						: it.cut && !*p ? "last line cut off"
								: "counts must be whole numbers");
				break;
			}
			orders++;
		}
		if (it.ret)
			break;
		if (orders == 0) {
			lines_fail(&it, "no free counts after the zone name");
			break;
		}
		if (bi->n && orders != bi->orders) {
			if (it.cut)
				lines_fail(&it, "last line cut off");
			else
				lines_fail(&it, "%u orders, but the rows before have %u", orders, bi->orders);
			break;
		}
		bi->orders = orders;
		bi->n++;
	}
	if (lines_end(&it, bi->n, "no zones in the file", NULL))
		buddyinfo_free(bi);
	return it.ret;
}

int buddyinfo_copy(struct buddyinfo *dst, const struct buddyinfo *src)
{
	*dst = *src;
	dst->v = malloc((src->n ? src->n : 1) * sizeof(*dst->v));
	if (!dst->v)
		return -ENOMEM;
	memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	return 0;
}
