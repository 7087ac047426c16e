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

int zoneinfo_parse(const char *data, size_t len, const char *file, struct zoneinfo *zi,
		   struct ms_error *err)
{
	memset(zi, 0, sizeof(*zi));
	char *text = text_dup(data, len);
	size_t cap = 1;
	for (size_t i = 0; i + 4 < len; i++)
		cap += data[i] == 'N' && !strncmp(data + i, "Node", 4);
	zi->v = calloc(cap, sizeof(*zi->v));
	int ret = 0;
	if (!text || !zi->v) {
		ret = ms_fail(err, -ENOMEM, file, 0, "out of memory");
		goto fail;
	}
	struct lines it;
	lines_init(&it, text, len);
	char *line;
	bool nul;
	struct zone *z = NULL;
	bool in_pagesets = false;
	while ((line = lines_next(&it, &nul))) {
		if (nul) {
			ret = ms_fail(err, -EINVAL, file, it.no, "NUL byte in line");
			goto fail;
		}
		char *p = text_skip_blank(line);
		if (!*p)
			continue;
		if (p == line) {
			/* a line at the left margin opens a zone */
			z = &zi->v[zi->n];
			if (zi->n == cap || buddy_parse_node_zone(&p, &z->node, z->name,
								  sizeof(z->name)) ||
			    !text_blank(p)) {
				ret = ms_fail(err, -EINVAL, file, it.no, "expected 'Node N, zone NAME'");
				goto fail;
			}
			z->line = it.no;
			zi->n++;
			in_pagesets = false;
			continue;
		}
		if (!z) {
			ret = ms_fail(err, -EINVAL, file, it.no, "a field before the first zone");
			goto fail;
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
				ret = ms_fail(err, -EINVAL, file, it.no,
					      e == -ERANGE ? "value of '%s' does not fit in 64 bits"
					      : it.cut	   ? "last line cut off"
							   : "value of '%s' is not a whole number",
					      keys[k].key);
				goto fail;
			}
			z->f[keys[k].f] = v;
			z->has[keys[k].f] = true;
			break;
		}
	}
	if (zi->n == 0) {
		ret = ms_fail(err, -EINVAL, file, 0, len ? "no zones in the file" : "empty file");
		goto fail;
	}
	free(text);
	return 0;
fail:
	free(text);
	zoneinfo_free(zi);
	return ret;
}

static int parse_any(const char *data, size_t len, const char *file, void *out,
		     struct ms_error *err)
{
	return zoneinfo_parse(data, len, file, out, err);
}

int zoneinfo_read(const struct sysroot *sr, struct zoneinfo *zi, struct ms_error *err)
{
	memset(zi, 0, sizeof(*zi)); /* safe to free whatever happens */
	return sysroot_parse(sr, "proc/zoneinfo", parse_any, zi, err);
}

void zoneinfo_free(struct zoneinfo *zi)
{
	free(zi->v);
	memset(zi, 0, sizeof(*zi));
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
