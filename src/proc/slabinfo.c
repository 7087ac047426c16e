/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/slabinfo: print_slabinfo_header() then, per cache, cache_show()'s
 * "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu". */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/units.h"
#include "proc/slabinfo.h"
#include "proc/text.h"

#define SHAPE                                                                                    \
	"expected 'NAME ACTIVE_OBJS NUM_OBJS OBJSIZE OBJPERSLAB PAGESPERSLAB : tunables LIMIT "   \
	"BATCHCOUNT SHAREDFACTOR : slabdata ACTIVE_SLABS NUM_SLABS SHAREDAVAIL'"

TEXT_MODEL_FREE_(slabinfo, struct slabinfo, m->text)

static int parse_any(const char *data, size_t len, const char *file, void *out,
		     struct ms_error *err)
{
	return slabinfo_parse(data, len, file, out, err);
}

int root_only_said(const struct sysroot *sr, int ret, struct ms_error *err)
{
	if ((ret == -EACCES || ret == -EPERM) && !sr->dir && !strncmp(err->reason, "cannot open", 11)) {
		size_t n = strlen(err->reason);
		snprintf(err->reason + n, sizeof(err->reason) - n, " (it needs %s)", SLABINFO_PRIVILEGE);
	}
	return ret;
}

int slabinfo_read(const struct sysroot *sr, struct slabinfo *si, struct ms_error *err)
{
	memset(si, 0, sizeof(*si));
	int ret = sysroot_parse(sr, "proc/slabinfo", parse_any, si, err);
	return root_only_said(sr, ret, err);
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The number that ends just before *@end (blanks before *@end skipped first), parsed and *@end
 * moved to its first digit. */
static int number_before(char *start, char **end, uint64_t *v)
{
	char *e = *end;
	while (e > start && blank(e[-1]))
		e--;
	char *b = e;
	while (b > start && b[-1] >= '0' && b[-1] <= '9')
		b--;
	if (b == e || (b > start && !blank(b[-1])))
		return -EINVAL;
	int r = units_parse_dec(b, (size_t)(e - b), v);
	if (r == 0)
		*end = b;
	return r;
}

/* @n numbers at *@s, each after blanks; *@s moved past them. */
static int numbers_at(char **s, uint64_t *const *v, int n)
{
	for (int i = 0; i < n; i++) {
		char *p = text_skip_blank(*s);
		if (p == *s)
			return -EINVAL;
		int r = text_u64(&p, v[i]);
		if (r)
			return r;
		*s = p;
	}
	return 0;
}

/* After @word (": tunables"), blanks allowed around the colon as the kernel spaces it. */
static char *after_word(char *s, const char *word)
{
	s = text_skip_blank(s);
	if (*s != ':')
		return NULL;
	s = text_skip_blank(s + 1);
	size_t n = strlen(word);
	return strncmp(s, word, n) ? NULL : s + n;
}

/* One cache line into @c. Returns 0, -EINVAL (not the shape) or -ERANGE. */
static int parse_cache(char *line, bool statistics, struct slab_cache *c)
{
	/* the name is what comes before the five numbers that precede ": tunables": read from
	 * the right, a name with blanks in it is still whole */
	char *colon = strstr(line, ": tunables");
	if (!colon)
		return -EINVAL;
	char *end = colon;
	uint64_t *head[5] = {&c->pagesperslab, &c->objperslab, &c->objsize, &c->num_objs,
			     &c->active_objs};
	for (int i = 0; i < 5; i++) {
		int r = number_before(line, &end, head[i]);
		if (r)
			return r;
	}
	while (end > line && blank(end[-1]))
		end--;
	if (end == line)
		return -EINVAL;
	*end = '\0';
	c->name = line;
	char *p = after_word(colon, "tunables");
	uint64_t *tun[3] = {&c->limit, &c->batchcount, &c->sharedfactor};
	uint64_t *data[3] = {&c->active_slabs, &c->num_slabs, &c->sharedavail};
	int r = p ? numbers_at(&p, tun, 3) : -EINVAL;
	if (r)
		return r;
	p = after_word(p, "slabdata");
	r = p ? numbers_at(&p, data, 3) : -EINVAL;
	if (r)
		return r;
	if (text_blank(p))
		return 0;
	/* CONFIG_DEBUG_SLAB's statistics: " : globalstat ... : cpustat ...", not kept */
	return statistics && after_word(p, "globalstat") ? 0 : -EINVAL;
}

/* "slabinfo - version: 2.1" or "... 2.1 (statistics)". */
static int parse_version(struct lines *it, char *line, struct slabinfo *si)
{
	static const char key[] = "slabinfo - version:";
	if (strncmp(line, key, sizeof(key) - 1))
		return lines_fail(it, "expected 'slabinfo - version: 2.1' on the first line");
	char *v = text_skip_blank(line + sizeof(key) - 1);
	size_t n = strcspn(v, " \t\r");
	char *rest = text_skip_blank(v + n);
	if (n == 3 && !strncmp(v, "2.1", 3)) {
		if (!*rest)
			return 0;
		if (!strcmp(rest, "(statistics)")) {
			si->statistics = true;
			return 0;
		}
	}
	v[n] = '\0';
	return lines_fail(it, "unknown version '%.32s' (memscope reads version 2.1, Linux 2.6.10 "
			      "and later)",
			  v);
}

int slabinfo_parse(const char *data, size_t len, const char *file, struct slabinfo *si,
		   struct ms_error *err)
{
	if (len == 0) {
		memset(si, 0, sizeof(*si));
		return ms_fail(err, -EACCES, file, 0, "empty file (the kernel shows it to root only)");
	}
	struct lines it;
	lines_open_model(&it, si, data, len, file, err);
	bool version = false;
	for (char *line; (line = lines_next(&it));) {
		if (!version) {
			if (parse_version(&it, line, si))
				break;
			version = true;
			continue;
		}
		if (text_blank(line) || *line == '#')
			continue;
		struct slab_cache *c = &si->v[si->n];
		int r = parse_cache(line, si->statistics, c);
		if (r) {
			lines_fail(&it, "%s", r == -ERANGE ? "a number does not fit in 64 bits"
					      : it.cut	   ? "last line cut off"
							   : SHAPE);
			break;
		}
		/* a slab is one buddy block: 2^order pages, never 0 nor 3 */
		if (!c->pagesperslab || (c->pagesperslab & (c->pagesperslab - 1))) {
			lines_fail(&it, "pagesperslab %" PRIu64 " is not a power of two (a slab is a "
				   "block of 2^order pages)", c->pagesperslab);
			break;
		}
		c->line = it.no;
		if (c->limit || c->batchcount || c->sharedfactor)
			si->tunables = true;
		si->n++;
	}
	if (lines_end(&it, si->n, "no caches in the file", &si->text))
		slabinfo_free(si);
	return it.ret;
}

const struct slab_cache *slabinfo_find(const struct slabinfo *si, const char *name)
{
	for (size_t i = 0; i < si->n; i++)
		if (!strcmp(si->v[i].name, name))
			return &si->v[i];
	return NULL;
}

uint64_t slab_cache_memory(const struct slab_cache *c, uint64_t page_size)
{
	return c->num_slabs * c->pagesperslab * page_size;
}

uint64_t slab_cache_wasted(const struct slab_cache *c, uint64_t page_size)
{
	uint64_t memory = slab_cache_memory(c, page_size), used = c->active_objs * c->objsize;
	return memory > used ? memory - used : 0;
}

void slabinfo_totals(const struct slabinfo *si, uint64_t page_size, struct slab_totals *t)
{
	memset(t, 0, sizeof(*t));
	t->caches = si->n;
	for (size_t i = 0; i < si->n; i++) {
		t->active_objs += si->v[i].active_objs;
		t->num_objs += si->v[i].num_objs;
		t->memory += slab_cache_memory(&si->v[i], page_size);
		t->wasted += slab_cache_wasted(&si->v[i], page_size);
	}
}

bool slab_kmalloc_class(const char *name, char *family, size_t fsize, uint64_t *bytes)
{
	if (strncmp(name, "kmalloc-", 8) && strncmp(name, "dma-kmalloc-", 12) &&
	    strncmp(name, "size-", 5))
		return false;
	const char *dash = strrchr(name, '-');
	char *p = (char *)dash + 1;
	uint64_t v;
	if (text_u64(&p, &v) || !v || v > (UINT64_C(1) << 40))
		return false;
	if (*p == 'k' || *p == 'M')
		v <<= *p++ == 'k' ? 10 : 20;
	const char *tail = p;
	if (*tail && strcmp(tail, "(DMA)"))
		return false;
	snprintf(family, fsize, "%.*s%s", (int)(dash - name), name, tail);
	*bytes = v;
	return true;
}
