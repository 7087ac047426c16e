/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/meminfo (fs/proc/meminfo.c: "%s:%8lu kB\n", HugePages_* without a unit). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/units.h"
#include "proc/text.h"
#include "proc/meminfo.h"

TEXT_MODEL_KEEPING_TEXT(meminfo, struct meminfo, "proc/meminfo")

/* "Node N " before each key (a node's meminfo, drivers/base/node.c): the same N on every line,
 * given back in *@node; else (@node NULL) none. */
static int parse(const char *data, size_t len, const char *file, struct meminfo *mi,
		 struct ms_error *err, long *node)
{
	struct lines it;
	lines_open_model(&it, mi, data, len, file, err);
	it.nul_ok = true; /* a NUL byte is a malformed line, said as one */
	for (char *p; (p = lines_next(&it));) {
		char *eol = it.eol;
		bool cut = it.cut;
		if (!it.nul && text_blank(p))
			continue;
		if (node && !it.nul) {
			char *q = p;
			uint64_t n;
			if (strncmp(q, "Node ", 5) || (q += 5, text_u64(&q, &n)) || *q != ' ' ||
			    n > 1u << 20) {
				lines_fail(&it, cut ? "last line cut off" : "expected 'Node N Key: value [kB]'");
				break;
			}
			if (*node >= 0 && (uint64_t)*node != n) {
				lines_fail(&it, "node %llu after node %ld", (unsigned long long)n, *node);
				break;
			}
			*node = (long)n;
			p = text_skip_blank(q);
		}
		char *colon = strchr(p, ':');
		if (it.nul || !colon || colon == p || memchr(p, ' ', (size_t)(colon - p))) {
			lines_fail(&it, cut ? "last line cut off" : "expected 'Key: value [kB]'");
			break;
		}
		*colon = '\0';
		char *q = colon + 1;
		while (*q == ' ' || *q == '\t')
			q++;
		char *num = q;
		while (*q >= '0' && *q <= '9')
			q++;
		uint64_t v;
		int e = units_parse_dec(num, (size_t)(q - num), &v);
		if (e == -ERANGE) {
			lines_fail(&it, "value of %s does not fit in 64 bits", p);
			break;
		}
		if (e && cut && q == eol) {
			lines_fail(&it, "last line cut off");
			break;
		}
		if (e) {
			lines_fail(&it, "value of %s is not a whole number", p);
			break;
		}
		while (*q == ' ' || *q == '\t')
			q++;
		char *unit = q;
		char *ue = eol;
		while (ue > unit && (ue[-1] == ' ' || ue[-1] == '\t' || ue[-1] == '\r'))
			ue--;
		bool bytes = false;
		if (ue - unit == 2 && memcmp(unit, "kB", 2) == 0) {
			if (v > UINT64_MAX / 1024) {
				lines_fail(&it, "value of %s does not fit in 64 bits", p);
				break;
			}
			v *= 1024;
			bytes = true;
		} else if (ue != unit) {
			lines_fail(&it, "unknown unit '%.*s' for %s",
				   (int)(ue - unit > 16 ? 16 : ue - unit), unit, p);
			break;
		}
		mi->v[mi->n++] = (struct meminfo_entry){p, v, bytes, it.no};
	}
	if (lines_end(&it, mi->n, "no fields in the file", &mi->text))
		meminfo_free(mi);
	return it.ret;
}

int meminfo_parse(const char *data, size_t len, const char *file, struct meminfo *mi,
		  struct ms_error *err)
{
	return parse(data, len, file, mi, err, NULL);
}

int meminfo_parse_node(const char *data, size_t len, const char *file, struct meminfo *mi,
		       long *node, struct ms_error *err)
{
	*node = -1;
	return parse(data, len, file, mi, err, node);
}

const struct meminfo_entry *meminfo_get(const struct meminfo *mi, const char *key)
{
	for (size_t i = 0; i < mi->n; i++)
		if (strcmp(mi->v[i].key, key) == 0)
			return &mi->v[i];
	return NULL;
}

static uint64_t get0(const struct meminfo *mi, const char *key)
{
	const struct meminfo_entry *e = meminfo_get(mi, key);
	return e ? e->value : 0;
}

int meminfo_summarize(const struct meminfo *mi, const char *file, struct meminfo_summary *s,
		      struct ms_error *err)
{
	memset(s, 0, sizeof(*s));
	const struct meminfo_entry *total = meminfo_get(mi, "MemTotal");
	if (!total)
		return ms_fail(err, -EINVAL, file, 0, "no MemTotal line");
	s->total = total->value;
	s->free = get0(mi, "MemFree");
	s->shared = get0(mi, "Shmem");
	s->buffers = get0(mi, "Buffers");
	/* procps-ng 4: cache is Cached plus reclaimable slab */
	s->cache = get0(mi, "Cached") + get0(mi, "SReclaimable");
	s->buff_cache = s->buffers + s->cache;
	/* kernels before 3.14 have no MemAvailable: procps then uses MemFree; a value above
	 * MemTotal (lxc containers) is distrusted the same way */
	const struct meminfo_entry *avail = meminfo_get(mi, "MemAvailable");
	s->available = avail && avail->value ? avail->value : s->free;
	if (s->available > s->total)
		s->available = s->free;
	/* procps-ng 4: used = total - available, or total - free if that would be negative */
	s->used = s->total >= s->available ? s->total - s->available
	                                    : (s->total >= s->free ? s->total - s->free : 0);
	s->swap_total = get0(mi, "SwapTotal");
	s->swap_free = get0(mi, "SwapFree");
	s->swap_used = s->swap_free < s->swap_total ? s->swap_total - s->swap_free : 0;
	const struct meminfo_entry *low = meminfo_get(mi, "LowTotal");
	const struct meminfo_entry *high = meminfo_get(mi, "HighTotal");
	s->has_high = low || high;
	if (s->has_high) {
		s->low_total = low ? low->value : s->total;
		s->low_free = low ? get0(mi, "LowFree") : s->free;
		s->low_used = s->low_free < s->low_total ? s->low_total - s->low_free : 0;
		s->high_total = get0(mi, "HighTotal");
		s->high_free = get0(mi, "HighFree");
		s->high_used = s->high_free < s->high_total ? s->high_total - s->high_free : 0;
	}
	return 0;
}
