/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parser for /proc/vmallocinfo: s_show()'s "0x%pK-0x%pK %7ld", then " %pS" (the caller),
 * " pages=%d", " phys=%pa", the kinds, " N%u=%u" per node; vm_map_ram and unpurged areas
 * print their kind right after the size. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/grow.h"
#include "lib/units.h"
#include "lib/words.h"
#include "proc/slabinfo.h"
#include "proc/stream.h"
#include "proc/text.h"
#include "proc/vmallocinfo.h"

static const char *const kind_names[VMK_NKINDS] = {
	"ioremap", "vmalloc", "vmap", "user", "vpages", "vm_map_ram", "dma-coherent", "sparse",
	"unpurged",
};

const char *vmalloc_kind_name(unsigned bit)
{
	for (unsigned k = 0; k < VMK_NKINDS; k++)
		if (bit == 1u << k)
			return kind_names[k];
	return NULL;
}

#define SHAPE "expected '0xSTART-0xEND SIZE [CALLER] [pages=N] [phys=ADDR] [KIND...]'"

/* Hex with "0x" at *@p, the whole rest of the token when @whole. */
static int hex0x(const char **p, uint64_t *v)
{
	if ((*p)[0] != '0' || (*p)[1] != 'x')
		return -EINVAL;
	const char *q = *p + 2;
	int r = units_scan_hex(&q, NULL, v);
	if (r == 0)
		*p = q;
	return r;
}

static bool hex_token(const char *s, uint64_t *v)
{
	if (s[0] == '0' && s[1] == 'x')
		s += 2;
	return *s && units_scan_hex(&s, NULL, v) == 0 && !*s;
}

/* "func+0xOFF/0xLEN": split in place. */
static bool symbol_token(char *s, struct vmalloc_area *a)
{
	char *plus = strrchr(s, '+');
	if (!plus || plus == s)
		return false;
	const char *p = plus + 1;
	uint64_t off, len;
	if (hex0x(&p, &off) || *p != '/')
		return false;
	p++;
	if (hex0x(&p, &len) || *p)
		return false;
	*plus = '\0';
	a->func = s;
	a->off = off;
	a->len = len;
	return true;
}

static char *next_word(char **s)
{
	char *p = text_skip_blank(*s);
	if (!*p)
		return NULL;
	char *e = p + strcspn(p, " \t\r");
	if (*e)
		*e++ = '\0';
	*s = e;
	return p;
}

const char *vmallocinfo_parse_line(char *line, struct vmalloc_area *a)
{
	memset(a, 0, sizeof(*a));
	char *s = line;
	const char *p = text_skip_blank(s);
	int r = hex0x(&p, &a->start);
	if (r == 0 && *p == '-') {
		p++;
		r = hex0x(&p, &a->end);
	} else if (r == 0) {
		r = -EINVAL;
	}
	if (r)
		return r == -ERANGE ? "an address does not fit in 64 bits" : SHAPE;
	if (*p != ' ' && *p != '\t')
		return SHAPE;
	s = text_skip_blank((char *)p);
	r = text_u64(&s, &a->size);
	if (r)
		return r == -ERANGE ? "the size does not fit in 64 bits" : SHAPE;
	if (*s && *s != ' ' && *s != '\t' && *s != '\r')
		return SHAPE;
	bool first = true, after_caller = false;
	for (char *w; (w = next_word(&s)); first = false) {
		bool caller = after_caller;
		after_caller = false;
		if (first && symbol_token(w, a)) {
			after_caller = true;
			continue;
		}
		if (first && w[0] == '0' && w[1] == 'x' && hex_token(w, &a->caller_value)) {
			a->caller_addr = true;
			after_caller = true;
			continue;
		}
		size_t n = strlen(w);
		if (caller && w[0] == '[' && n > 2 && w[n - 1] == ']') {
			w[n - 1] = '\0';
			a->module = w + 1;
			continue;
		}
		if (!strncmp(w, "pages=", 6)) {
			char *q = w + 6;
			if (text_u64(&q, &a->pages) || *q)
				return "pages= must be a whole number";
			a->has_pages = true;
			continue;
		}
		if (!strncmp(w, "phys=", 5)) {
			if (!hex_token(w + 5, &a->phys))
				return "phys= must be a hex address";
			a->has_phys = true;
			continue;
		}
		if (w[0] == 'N' && w[1] >= '0' && w[1] <= '9') {
			char *q = w + 1;
			uint64_t node, pages;
			if (text_u64(&q, &node) || *q != '=')
				return "expected 'N<node>=<pages>'";
			q++;
			if (text_u64(&q, &pages) || *q)
				return "expected 'N<node>=<pages>'";
			if (node < VMALLOC_MAX_NODES)
				a->node_pages[node] += pages;
			else
				a->node_pages_above += pages;
			a->nodes++;
			continue;
		}
		int k = word_index(kind_names, VMK_NKINDS, w);
		bool known = k >= 0;
		if (known)
			a->kinds |= 1u << k;
		/* "unpurged vm_area": the second word belongs to the first */
		if (known || (!strcmp(w, "vm_area") && (a->kinds & VMK_UNPURGED)))
			continue;
		if (a->n_extra < VMALLOC_MAX_EXTRA)
			a->extra[a->n_extra++] = w;
		else
			a->extra_dropped++;
	}
	return NULL;
}

static int run(struct stream *s, vmalloc_cb cb, void *arg, struct ms_error *err)
{
	struct vmalloc_area a;
	memset(&a, 0, sizeof(a));
	size_t len, areas = 0;
	int ret = 0;
	bool any = false;
	char *line;
	while ((line = stream_line(s, &len, &ret, err))) {
		any = true;
		if (memchr(line, '\0', len)) {
			ret = ms_fail(err, -EINVAL, s->name, s->no, "NUL byte in line");
			break;
		}
		if (text_blank(line))
			continue;
		const char *why = vmallocinfo_parse_line(line, &a);
		if (why) {
			ret = ms_fail(err, -EINVAL, s->name, s->no, "%s",
				      s->cut ? "last line cut off" : why);
			break;
		}
		a.line = s->no;
		areas++;
		if ((ret = cb(&a, arg)))
			break;
	}
	if (!ret && !any)
		ret = ms_fail(err, -EACCES, s->name, 0, "empty file (the kernel shows it to root only)");
	else if (!ret && !areas)
		ret = ms_fail(err, -EINVAL, s->name, 0, "no areas in the file");
	stream_close(s);
	return ret;
}

int vmallocinfo_stream_bytes(const char *data, size_t len, const char *file, vmalloc_cb cb,
			     void *arg, struct ms_error *err)
{
	struct stream s;
	int ret = stream_open_bytes(&s, data, len, file, err);
	return ret ? ret : run(&s, cb, arg, err);
}

int vmallocinfo_stream(const struct sysroot *sr, vmalloc_cb cb, void *arg, struct ms_error *err)
{
	char name[512];
	sysroot_name(sr, "proc/vmallocinfo", name, sizeof(name));
	int fd = sysroot_openat(sr, "proc/vmallocinfo", err);
	if (fd < 0)
		return root_only_said(sr, fd, err);
	struct stream s;
	int ret = stream_adopt(&s, fd, name, err);
	return ret ? ret : run(&s, cb, arg, err);
}

void vmalloc_sum_init(struct vmalloc_sum *s)
{
	memset(s, 0, sizeof(*s));
}

const char *vmalloc_caller_name(const struct vmalloc_area *a, char *buf, size_t size)
{
	if (a->func && a->module)
		snprintf(buf, size, "%s [%s]", a->func, a->module);
	else if (a->func)
		snprintf(buf, size, "%s", a->func);
	else if (a->caller_addr)
		snprintf(buf, size, "0x%" PRIx64, a->caller_value);
	else
		buf[0] = '\0';
	return buf;
}

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Rebuild the index at twice the callers' room. */
static int reindex(struct vmalloc_sum *s)
{
	size_t n = s->index_size ? s->index_size * 2 : 256;
	size_t *ix = malloc(n * sizeof(*ix));
	if (!ix)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		ix[i] = SIZE_MAX;
	for (size_t c = 0; c < s->n_callers; c++) {
		size_t h = name_hash(s->callers[c].name) & (n - 1);
		while (ix[h] != SIZE_MAX)
			h = (h + 1) & (n - 1);
		ix[h] = c;
	}
	free(s->index);
	s->index = ix;
	s->index_size = n;
	return 0;
}

static struct vmalloc_caller *caller_of(struct vmalloc_sum *s, const char *name)
{
	if ((s->n_callers + 1) * 2 > s->index_size && reindex(s))
		return NULL;
	size_t h = name_hash(name) & (s->index_size - 1);
	for (; s->index[h] != SIZE_MAX; h = (h + 1) & (s->index_size - 1))
		if (!strcmp(s->callers[s->index[h]].name, name))
			return &s->callers[s->index[h]];
	if (grow(&s->callers, &s->cap, s->n_callers + 1, sizeof(*s->callers), 64))
		return NULL;
	struct vmalloc_caller *c = &s->callers[s->n_callers];
	memset(c, 0, sizeof(*c));
	if (!(c->name = strdup(name)))
		return NULL;
	s->index[h] = s->n_callers++;
	return c;
}

int vmalloc_sum_add(struct vmalloc_sum *s, const struct vmalloc_area *a)
{
	char key[512];
	struct vmalloc_caller *c = caller_of(s, vmalloc_caller_name(a, key, sizeof(key)));
	if (!c)
		return -ENOMEM;
	c->areas++;
	c->bytes += a->size;
	c->pages += a->pages;
	c->kinds |= a->kinds;
	if (a->kinds & VMK_IOREMAP)
		c->ioremap_bytes += a->size;
	s->areas++;
	s->bytes += a->size;
	s->pages += a->pages;
	for (unsigned k = 0; k < VMK_NKINDS; k++)
		if (a->kinds & (1u << k)) {
			s->kind_areas[k]++;
			s->kind_bytes[k] += a->size;
			s->kind_pages[k] += a->pages;
		}
	for (unsigned n = 0; n < VMALLOC_MAX_NODES; n++)
		if (a->node_pages[n]) {
			s->node_pages[n] += a->node_pages[n];
			if (n + 1 > s->max_node)
				s->max_node = n + 1;
		}
	s->node_pages_above += a->node_pages_above;
	return 0;
}

static int by_bytes(const void *pa, const void *pb)
{
	const struct vmalloc_caller *a = pa, *b = pb;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return strcmp(a->name, b->name);
}

void vmalloc_sum_sort(struct vmalloc_sum *s)
{
	free(s->index);
	s->index = NULL;
	s->index_size = 0;
	if (s->n_callers)
		qsort(s->callers, s->n_callers, sizeof(*s->callers), by_bytes);
}

void vmalloc_sum_free(struct vmalloc_sum *s)
{
	for (size_t c = 0; c < s->n_callers; c++)
		free(s->callers[c].name);
	free(s->callers);
	free(s->index);
	memset(s, 0, sizeof(*s));
}
