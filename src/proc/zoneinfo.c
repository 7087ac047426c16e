/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/zoneinfo. Only the fields memscope shows are kept; the per-node and per-CPU
 * statistics are skipped. The watermarks are "min", "low", "high" without a colon: the per-CPU
 * pagesets have "high:" with one, and are not mistaken for them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proc/buddyinfo.h"
#include "proc/text.h"
#include "proc/zoneinfo.h"

static const struct {
	const char *key;
	enum zone_field f;
} keys[] = {
	{"pages free", ZF_FREE}, {"min", ZF_MIN},	  {"low", ZF_LOW},
	{"high", ZF_HIGH},	 {"spanned", ZF_SPANNED}, {"present", ZF_PRESENT},
	{"managed", ZF_MANAGED}, {"start_pfn:", ZF_START_PFN},
};

TEXT_MODEL(zoneinfo, struct zoneinfo, "proc/zoneinfo")

int zoneinfo_parse(const char *data, size_t len, const char *file, struct zoneinfo *zi,
		   struct ms_error *err)
{
	memset(zi, 0, sizeof(*zi));
	size_t cap = 1; /* a zone for every "Node" in the file, at most */
	for (size_t i = 0; i + 4 < len; i++)
		cap += data[i] == 'N' && !strncmp(data + i, "Node", 4);
	struct lines it;
	lines_open(&it, data, len, file, err, 0);
	zi->v = lines_alloc(&it, cap, sizeof(*zi->v));
	struct zone *z = NULL;
	bool in_pagesets = false;
	for (char *line; (line = lines_next(&it));) {
		char *p = text_skip_blank(line);
		if (!*p)
			continue;
		if (p == line) {
			/* a line at the left margin opens a zone */
			z = &zi->v[zi->n];
			if (zi->n == cap || buddy_parse_node_zone(&p, &z->node, z->name,
								  sizeof(z->name)) ||
			    !text_blank(p)) {
				lines_fail(&it, "expected 'Node N, zone NAME'");
				break;
			}
			z->line = it.no;
			zi->n++;
			in_pagesets = false;
			continue;
		}
		if (!z) {
			lines_fail(&it, "a field before the first zone");
			break;
		}
		if (!strncmp(p, "pagesets", 8)) {
			in_pagesets = true;
			continue;
		}
		if (!strncmp(p, "start_pfn:", 10) || !strncmp(p, "node_unreclaimable:", 19) ||
		    !strncmp(p, "all_unreclaimable:", 18))
			in_pagesets = false;
		if (in_pagesets)
			continue;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t kl = strlen(keys[k].key);
			if (strncmp(p, keys[k].key, kl) || (p[kl] != ' ' && p[kl] != '\t'))
				continue;
			char *q = text_skip_blank(p + kl);
			uint64_t v;
			int e = text_u64(&q, &v);
			if (e || !(*q == '\0' || *q == ' ' || *q == '\t' || *q == '\r')) {
				lines_fail(&it,
					   e == -ERANGE ? "value of '%s' does not fit in 64 bits"
					   : it.cut	? "last line cut off"
							: "value of '%s' is not a whole number",
					   keys[k].key);
				break;
			}
			z->f[keys[k].f] = v;
			z->has[keys[k].f] = true;
			break;
		}
	}
	if (lines_end(&it, zi->n, "no zones in the file", NULL))
		zoneinfo_free(zi);
	return it.ret;
}

const struct zone *zoneinfo_find(const struct zoneinfo *zi, uint64_t pfn)
{
	for (size_t i = 0; i < zi->n; i++) {
		const struct zone *z = &zi->v[i];
		if (!z->has[ZF_START_PFN] || !z->f[ZF_SPANNED])
			continue;
		if (pfn >= z->f[ZF_START_PFN] && pfn - z->f[ZF_START_PFN] < z->f[ZF_SPANNED])
			return z;
	}
	return NULL;
}
