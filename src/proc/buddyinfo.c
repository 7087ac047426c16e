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

int buddyinfo_parse(const char *data, size_t len, const char *file, struct buddyinfo *bi,
		    struct ms_error *err)
{
	memset(bi, 0, sizeof(*bi));
	char *text = text_dup(data, len);
	bi->v = text_rows(data, len, sizeof(*bi->v), NULL);
	int ret = 0;
	if (!text || !bi->v) {
		ret = ms_fail(err, -ENOMEM, file, 0, "out of memory");
		goto fail;
	}
	struct lines it;
	lines_init(&it, text, len);
	char *line;
	bool nul;
	while ((line = lines_next(&it, &nul))) {
		if (nul) {
			ret = ms_fail(err, -EINVAL, file, it.no, "NUL byte in line");
			goto fail;
		}
		if (text_blank(line))
			continue;
		struct buddy_zone *z = &bi->v[bi->n];
		char *p = line;
		if (buddy_parse_node_zone(&p, &z->node, z->zone, sizeof(z->zone))) {
			ret = ms_fail(err, -EINVAL, file, it.no, "expected 'Node N, zone NAME COUNTS...'");
			goto fail;
		}
		unsigned orders = 0;
		for (;;) {
			p = text_skip_blank(p);
			if (!*p)
				break;
			if (orders == BUDDY_MAX_ORDERS) {
				ret = ms_fail(err, -EINVAL, file, it.no, "more than %d orders",
					      BUDDY_MAX_ORDERS);
				goto fail;
			}
			int e = text_u64(&p, &z->free[orders]);
			if (e || (*p && *p != ' ' && *p != '\t' && *p != '\r')) {
				ret = ms_fail(err, -EINVAL, file, it.no,
					      e == -ERANGE ? "a count does not fit in 64 bits"
					      : it.cut && !*p ? "last line cut off"
							      : "counts must be whole numbers");
				goto fail;
			}
			orders++;
		}
		if (orders == 0) {
			ret = ms_fail(err, -EINVAL, file, it.no, "no free counts after the zone name");
			goto fail;
		}
		if (bi->n && orders != bi->orders && it.cut) {
			ret = ms_fail(err, -EINVAL, file, it.no, "last line cut off");
			goto fail;
		}
		if (bi->n && orders != bi->orders) {
			ret = ms_fail(err, -EINVAL, file, it.no,
				      "%u orders, but the rows before have %u", orders, bi->orders);
			goto fail;
		}
		bi->orders = orders;
		z->line = it.no;
		bi->n++;
	}
	if (bi->n == 0) {
		ret = ms_fail(err, -EINVAL, file, 0, len ? "no zones in the file" : "empty file");
		goto fail;
	}
	free(text);
	return 0;
fail:
	free(text);
	buddyinfo_free(bi);
	return ret;
}

static int parse_any(const char *data, size_t len, const char *file, void *out,
		     struct ms_error *err)
{
	return buddyinfo_parse(data, len, file, out, err);
}

int buddyinfo_read(const struct sysroot *sr, struct buddyinfo *bi, struct ms_error *err)
{
	memset(bi, 0, sizeof(*bi)); /* safe to free whatever happens */
	return sysroot_parse(sr, "proc/buddyinfo", parse_any, bi, err);
}

void buddyinfo_free(struct buddyinfo *bi)
{
	free(bi->v);
	memset(bi, 0, sizeof(*bi));
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
