/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope vmalloc: the areas of /proc/vmallocinfo, grouped by the function that asked for
 * them (or listed one by one), their total set against meminfo's VmallocUsed and
 * VmallocTotal, ioremaps placed in iomem, and, where the kernel printed real addresses, each
 * area placed in the architecture's layout. Hashed and zeroed addresses are said, never
 * placed. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "cmd/rootonly.h"
#include "opts.h"
#include "cmd/layoutopt.h"
#include "decode/kptr.h"
#include "decode/layout.h"
#include "out/table.h"
#include "proc/iomem.h"
#include "proc/meminfo.h"
#include "proc/slabinfo.h"
#include "proc/sysctl.h"
#include "proc/vmallocinfo.h"
#include "sys/caps.h"

struct vmalloc_args {
	struct table_args tbl;
	const char *sort;
	long top; /* 0: all */
	bool list;
};

enum {
	V_CALLER, V_AREAS, V_SIZE, V_PAGES, V_MEMORY, V_IOREMAP, V_SHARE, V_KINDS, V_START, V_END,
	V_NODES, V_PHYS, V_IOMEM, V_REGION, V_LINE, V_NCOLS
};

/* Which view a column belongs to. */
enum { IN_GROUPS = 1, IN_LIST = 2, IN_BOTH = 3 };

#define NUM (COLF_DEFAULT | COLF_RIGHT)
static const struct col_def vmalloc_cols[] = {
	[V_CALLER] = {"CALLER", "caller", COL_STR, COLF_DEFAULT,
		      "the function that asked for the area (with [module]), its address when "
		      "the kernel had no symbol, empty for none",
		      NULL},
	[V_AREAS] = {"AREAS", "areas", COL_COUNT, NUM, "areas of the caller", NULL},
	[V_SIZE] = {"SIZE", "size", COL_SIZE, NUM,
		    "address space, as printed (each area's guard page included)", NULL},
	[V_PAGES] = {"PAGES", "pages", COL_COUNT, NUM, "pages allocated to it (pages=)", NULL},
	[V_MEMORY] = {"MEMORY", "memory", COL_SIZE, NUM,
		      "PAGES x page size: what meminfo's VmallocUsed counts", NULL},
	[V_IOREMAP] = {"IOREMAP", "ioremap_size", COL_SIZE, COLF_RIGHT,
		       "SIZE of the caller's ioremap areas (device memory, no pages of RAM)", NULL},
	[V_SHARE] = {"SHARE", "share", COL_PERCENT, COLF_RIGHT, "SIZE / every area's SIZE", NULL},
	[V_KINDS] = {"KINDS", "kinds", COL_STR, COLF_DEFAULT,
		     "vmalloc, vmap, ioremap, user, vpages, vm_map_ram, dma-coherent, sparse, "
		     "unpurged, as the kernel printed them",
		     NULL},
	[V_START] = {"START", "start", COL_ADDR, COLF_WIDE,
		     "--list: first address (empty when the kernel hid or hashed it)", NULL},
	[V_END] = {"END", "end", COL_ADDR, COLF_WIDE, "--list: the address after the area", NULL},
	[V_NODES] = {"NODES", "nodes", COL_STR, 0,
		     "--list: its pages per NUMA node, as printed (N0=4 N1=2)", NULL},
	[V_PHYS] = {"PHYS", "phys", COL_ADDR, COLF_WIDE, "--list: an ioremap's physical address",
		    NULL},
	[V_IOMEM] = {"IOMEM", "iomem", COL_STR, 0,
		     "--list: the innermost /proc/iomem region holding PHYS", NULL},
	[V_REGION] = {"REGION", "region", COL_STR, 0,
		      "--list: the layout's region holding START (real addresses only)", NULL},
	[V_LINE] = {"LINE", "line", COL_COUNT, COLF_RIGHT, "--list: line in vmallocinfo", NULL},
};

static const unsigned char col_view[V_NCOLS] = {
	[V_CALLER] = IN_BOTH, [V_AREAS] = IN_GROUPS, [V_SIZE] = IN_BOTH, [V_PAGES] = IN_BOTH,
	[V_MEMORY] = IN_BOTH, [V_IOREMAP] = IN_GROUPS, [V_SHARE] = IN_GROUPS, [V_KINDS] = IN_BOTH,
	[V_START] = IN_LIST, [V_END] = IN_LIST, [V_NODES] = IN_LIST, [V_PHYS] = IN_LIST,
	[V_IOMEM] = IN_LIST, [V_REGION] = IN_LIST, [V_LINE] = IN_LIST,
};

#define LIST_DEFAULTS "START,END,SIZE,PAGES,KINDS,PHYS,IOMEM,CALLER"

static const struct columns vmalloc_columns =
	COLUMNS(vmalloc_cols, "Columns marked --list are the list's (its default: " LIST_DEFAULTS
			      "); AREAS, IOREMAP and SHARE are the groups' only.");

static const struct opts vmalloc_opts = {
	.opt = OPTIONS(
		OPT_SORT_TOP(struct vmalloc_args, sort, top, vmalloc_cols, V_NCOLS, V_NCOLS, "SIZE",
			     "Sort by the column KEY (groups: SIZE by default; --list: the file's "
			     "order): sizes and counts largest first, CALLER and START in order",
			     "Only the first N rows after sorting (the totals count them all)"),
		OPT_BOOL("list", 'l', struct vmalloc_args, list,
			 "One row per area instead of one per caller: its range, size, pages, "
			 "kinds, an ioremap's physical address and iomem region, its caller"),
		OPT_INCLUDE(table_opts_top, struct vmalloc_args, tbl, NULL, 1)),
	.doc = "Show the kernel's vmalloc areas from /proc/vmallocinfo (vmalloc, vmap, ioremap, "
	"vm_map_ram and the rest), grouped by the function that asked for them, with their total "
	"set against meminfo's VmallocUsed and VmallocTotal. /proc/vmallocinfo is mode 0400: "
	"reading it live needs root or CAP_DAC_READ_SEARCH (without, meminfo's vmalloc figures "
	"alone are shown). Its addresses are real only when kernel.kptr_restrict lets the reader "
	"see them (1 and CAP_SYSLOG): hashed or zeroed, they are said and never placed.\v"
	"SIZE is address space, guard pages included; MEMORY is the RAM behind it (pages=), which "
	"is what VmallocUsed counts since Linux 5.3 (4.4 to 5.2 print 0; before 4.4 it summed the "
	"sizes of the areas between VMALLOC_START and VMALLOC_END): --json gives both and the "
	"difference.",
};

/* An area kept for --list: the strings copied, the rest as parsed. */
struct area_row {
	uint64_t start, end, size, pages, phys;
	unsigned kinds;
	bool has_pages, has_phys;
	unsigned long line;
	char *caller, *nodes, *kind_text;
};

struct vmalloc_run {
	struct ctx *ctx;
	const struct vmalloc_args *a;
	struct vmalloc_sum sum;
	struct kptr_check kc;
	struct area_row *rows; /* --list */
	size_t n, cap;
};

/* The kinds as one word list ("vmalloc,vpages"), unknown words after them. */
static void kinds_text(unsigned kinds, const char *const *extra, unsigned n_extra, char *buf,
		       size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned k = 0; k < VMK_NKINDS; k++)
		if (kinds & (1u << k))
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
						len ? "," : "", vmalloc_kind_name(1u << k));
	for (unsigned i = 0; i < n_extra; i++)
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
					len ? "," : "", extra[i]);
}

static int keep_area(struct vmalloc_run *r, const struct vmalloc_area *a)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		struct area_row *v = realloc(r->rows, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->rows = v;
		r->cap = cap;
	}
	struct area_row *row = &r->rows[r->n];
	char caller[512], nodes[256] = "", kinds[256];
	vmalloc_caller_name(a, caller, sizeof(caller));
	size_t len = 0;
	for (unsigned i = 0; i < VMALLOC_MAX_NODES; i++)
		if (a->node_pages[i])
			len += (size_t)snprintf(nodes + len, len < sizeof(nodes) ? sizeof(nodes) - len : 0,
						"%sN%u=%" PRIu64, len ? " " : "", i, a->node_pages[i]);
	kinds_text(a->kinds, a->extra, a->n_extra, kinds, sizeof(kinds));
	*row = (struct area_row){a->start, a->end, a->size, a->pages, a->phys, a->kinds,
				 a->has_pages, a->has_phys, a->line, strdup(caller), strdup(nodes),
				 strdup(kinds)};
	if (!row->caller || !row->nodes || !row->kind_text) {
		free(row->caller);
		free(row->nodes);
		free(row->kind_text);
		return -ENOMEM;
	}
	r->n++;
	return 0;
}

static int each_area(const struct vmalloc_area *a, void *arg)
{
	struct vmalloc_run *r = arg;
	kptr_check_range(&r->kc, a->start, a->end, a->size);
	int e = vmalloc_sum_add(&r->sum, a);
	return e ? e : keep_area(r, a);
}

static int sort_col;
static uint64_t page_size;

static uint64_t caller_key(const struct vmalloc_caller *c, int col)
{
	switch (col) {
	case V_AREAS: return c->areas;
	case V_PAGES:
	case V_MEMORY: return c->pages;
	case V_IOREMAP: return c->ioremap_bytes;
	default: return c->bytes;
	}
}

static int by_caller_key(const void *pa, const void *pb)
{
	const struct vmalloc_caller *a = pa, *b = pb;
	if (sort_col != V_CALLER && sort_col != V_KINDS) {
		uint64_t x = caller_key(a, sort_col), y = caller_key(b, sort_col);
		if (x != y)
			return x < y ? 1 : -1;
	}
	return strcmp(a->name, b->name);
}

static uint64_t area_key(const struct area_row *a, int col)
{
	switch (col) {
	case V_PAGES:
	case V_MEMORY: return a->pages;
	case V_PHYS: return a->phys;
	case V_LINE: return a->line;
	default: return a->size;
	}
}

static int by_area_key(const void *pa, const void *pb)
{
	const struct area_row *a = pa, *b = pb;
	int c = 0;
	if (sort_col == V_CALLER)
		c = strcmp(a->caller, b->caller);
	else if (sort_col == V_KINDS)
		c = strcmp(a->kind_text, b->kind_text);
	else if (sort_col == V_START || sort_col == V_END || sort_col == V_REGION)
		c = (a->start > b->start) - (a->start < b->start); /* lowest first */
	else if (sort_col == V_NODES)
		c = strcmp(a->nodes, b->nodes);
	else if (sort_col != V_IOMEM) {
		uint64_t x = area_key(a, sort_col), y = area_key(b, sort_col);
		c = (x < y) - (x > y); /* largest first */
	}
	return c ? c : (a->line > b->line) - (a->line < b->line);
}

/* A column -o or -s names must belong to the view: a usage error otherwise. */
static int view_has(const struct vmalloc_args *a, const char *name, struct ms_error *err)
{
	int c = col_lookup(vmalloc_cols, V_NCOLS, name);
	unsigned view = a->list ? IN_LIST : IN_GROUPS;
	if (c >= 0 && !(col_view[c] & view))
		return ms_usage(err, "%s is a column of %s", vmalloc_cols[c].name,
				a->list ? "the groups (without --list)" : "--list");
	return 0;
}

static int check_view(const struct vmalloc_args *a, struct ms_error *err)
{
	int e = a->sort ? view_has(a, a->sort, err) : 0;
	char *copy = a->tbl.columns ? strdup(a->tbl.columns + (a->tbl.columns[0] == '+')) : NULL;
	if (a->tbl.columns && !copy)
		return ms_say(err, -ENOMEM, "out of memory");
	for (char *save, *t = copy ? strtok_r(copy, ",", &save) : NULL; t && !e;
	     t = strtok_r(NULL, ",", &save))
		e = view_has(a, t, err);
	free(copy);
	return e;
}

/* The layout region holding @addr, worded for what it is: 32-bit ARM's vmalloc space starts
 * 8M above the end of lowmem (high_memory + VMALLOC_OFFSET), where the documented table still
 * shows the largest direct map and the gap after it, so a vmalloc area there is in vmalloc
 * space, not RAM's map. @id is what areas are grouped by: the row, or none for that space. */
static const char *region_of(const struct layout *l, uint64_t addr, const void **id)
{
	const struct layout_region *reg = layout_find(l, addr);
	*id = reg;
	if (!reg)
		return NULL;
	if (!strcmp(l->arch, "arm") &&
	    (strstr(reg->name, "direct-mapped") || strstr(reg->name, "VMALLOC_OFFSET"))) {
		*id = l;
		return "vmalloc() / ioremap() space (from high_memory + 8M)";
	}
	/* x86_64's memory KASLR (CONFIG_RANDOMIZE_MEMORY, arch/x86/mm/kaslr.c) moves the direct
	 * map, vmalloc space and vmemmap, in that order, anywhere from the direct map's documented
	 * start to vaddr_end: a vmalloc area found in another of them, or in a hole between, is in
	 * vmalloc space moved, not in what the documented table has there */
	if (!strcmp(l->arch, "x86_64") && !strstr(reg->name, "(vmalloc_base)")) {
		uint64_t lo = 0, hi = 0;
		for (size_t i = 0; i < l->n; i++) {
			if (strstr(l->r[i].name, "(page_offset_base)"))
				lo = l->r[i].start;
			if (strstr(l->r[i].name, "vaddr_end for KASLR"))
				hi = l->r[i].start;
		}
		if (lo && addr >= lo && addr < hi) {
			*id = &l->r[0].kaslr; /* one group for all of them */
			return "vmalloc/ioremap space (vmalloc_base, moved by KASLR between the direct "
			       "map's documented start and vaddr_end)";
		}
	}
	return reg->name;
}

struct place {
	const void *id;
	const char *name;
	uint64_t areas, bytes, start, end;
};

/* The areas by layout region, in address order (real addresses only). */
static void print_placement(struct out *o, const struct layout *l, const struct area_row *v,
			    size_t n, struct place *p, size_t max)
{
	size_t np = 0;
	for (size_t i = 0; i < n; i++) {
		const void *id;
		const char *name = region_of(l, v[i].start, &id);
		if (!name)
			name = "outside the layout";
		size_t j = 0;
		while (j < np && p[j].id != id)
			j++;
		if (j == np) {
			if (np == max)
				continue;
			p[np++] = (struct place){id, name, 0, 0, v[i].start, v[i].end};
		}
		p[j].areas++;
		p[j].bytes += v[i].size;
		p[j].start = v[i].start < p[j].start ? v[i].start : p[j].start;
		p[j].end = v[i].end > p[j].end ? v[i].end : p[j].end;
	}
	out_array(o, "placement");
	out_printf(o, "\nplaced in the %s layout:\n", l->arch);
	for (size_t j = 0; j < np; j++) {
		char h[32];
		out_size_text(o, p[j].bytes, h, sizeof(h));
		out_object(o, NULL);
		out_str(o, SHOW_JSON, "region", NULL, p[j].name);
		out_word(o, SHOW_JSON, "start", NULL, p[j].start);
		out_word(o, SHOW_JSON, "end", NULL, p[j].end);
		out_u64(o, SHOW_JSON, "areas", NULL, p[j].areas);
		out_u64(o, SHOW_JSON, "size", NULL, p[j].bytes);
		out_printf(o, "  %6" PRIu64 " area%s %8s in 0x%" PRIx64 "-0x%" PRIx64 ": ", p[j].areas,
			   p[j].areas == 1 ? ", " : "s,", h, p[j].start, p[j].end);
		out_str(o, SHOW_TEXT, NULL, "%s\n", p[j].name);
		out_end(o);
	}
	out_end(o);
}

/* The totals line and JSON: areas, address space, pages, by kind and node; meminfo beside. */
static void print_totals(struct ctx *ctx, const struct vmalloc_sum *s, const struct meminfo *mi)
{
	struct out *o = &ctx->out;
	uint64_t ps = page_size;
	char hs[32], hm[32], hi[32];
	out_size_text(o, s->bytes, hs, sizeof(hs));
	out_size_text(o, s->pages * ps, hm, sizeof(hm));
	out_size_text(o, s->kind_bytes[0], hi, sizeof(hi)); /* VMK_IOREMAP is bit 0 */
	out_printf(o, "\n%" PRIu64 " areas of %zu callers: %s of address space, %" PRIu64
		      " pages (%s) of RAM, %s ioremapped\n",
		   s->areas, s->n_callers, hs, s->pages, hm, hi);
	out_object(o, "totals");
	out_u64(o, SHOW_JSON, "areas", NULL, s->areas);
	out_u64(o, SHOW_JSON, "callers", NULL, s->n_callers);
	out_u64(o, SHOW_JSON, "size", NULL, s->bytes);
	out_u64(o, SHOW_JSON, "pages", NULL, s->pages);
	out_u64(o, SHOW_JSON, "memory", NULL, s->pages * ps);
	out_object(o, "kinds");
	for (unsigned k = 0; k < VMK_NKINDS; k++) {
		if (!s->kind_areas[k])
			continue;
		out_object(o, vmalloc_kind_name(1u << k));
		out_u64(o, SHOW_JSON, "areas", NULL, s->kind_areas[k]);
		out_u64(o, SHOW_JSON, "size", NULL, s->kind_bytes[k]);
		out_u64(o, SHOW_JSON, "pages", NULL, s->kind_pages[k]);
		out_end(o);
	}
	out_end(o);
	out_object(o, "node_pages");
	if (s->max_node)
		out_printf(o, "pages per node:");
	for (unsigned i = 0; i < s->max_node && i < VMALLOC_MAX_NODES; i++) {
		char key[16];
		snprintf(key, sizeof(key), "%u", i);
		out_printf(o, " N%u=", i);
		out_u64(o, SHOW_ANY, key, "%" PRIu64, s->node_pages[i]);
	}
	if (s->node_pages_above)
		out_u64(o, SHOW_ANY, "above", " (and %" PRIu64 " on nodes above 63)",
			s->node_pages_above);
	if (s->max_node)
		out_printf(o, "\n");
	out_end(o);
	out_end(o);

	const struct meminfo_entry *used = mi ? meminfo_get(mi, "VmallocUsed") : NULL;
	const struct meminfo_entry *total = mi ? meminfo_get(mi, "VmallocTotal") : NULL;
	const struct meminfo_entry *chunk = mi ? meminfo_get(mi, "VmallocChunk") : NULL;
	out_object(o, "meminfo");
	const struct meminfo_entry *m[3] = {used, total, chunk};
	static const char *const keys[3] = {"VmallocUsed", "VmallocTotal", "VmallocChunk"};
	for (int i = 0; i < 3; i++)
		if (m[i])
			out_u64(o, SHOW_JSON, keys[i], NULL, m[i]->value);
		else
			out_null(o, SHOW_JSON, keys[i], NULL);
	if (!used) {
		out_null(o, SHOW_JSON, "counts", NULL);
		out_null(o, SHOW_JSON, "difference", NULL);
		out_printf(o, "meminfo's VmallocUsed %s\n", mi ? "not printed" : "not read");
	} else {
		/* what the kernel counted: pages since 5.3 (vmalloc_nr_pages), nothing from 4.4
		 * to 5.2, the areas' sizes before; the nearer of the two is the one it used */
		uint64_t mem = s->pages * ps, v = used->value;
		uint64_t dm = mem > v ? mem - v : v - mem, ds = s->bytes > v ? s->bytes - v : v - s->bytes;
		const char *counts = !v && s->pages ? "nothing" : dm <= ds ? "pages" : "sizes";
		uint64_t mine = !strcmp(counts, "sizes") ? s->bytes : mem;
		char hu[32], hd[32];
		out_size_text(o, v, hu, sizeof(hu));
		out_size_text(o, mine > v ? mine - v : v - mine, hd, sizeof(hd));
		out_str(o, SHOW_JSON, "counts", NULL, counts);
		if (!strcmp(counts, "nothing"))
			out_null(o, SHOW_JSON, "difference", NULL);
		else
			out_i64(o, SHOW_JSON, "difference", NULL, (int64_t)(mine - v));
		if (!strcmp(counts, "nothing"))
			out_printf(o, "meminfo VmallocUsed 0: this kernel does not count it (Linux 4.4 "
				      "to 5.2 print 0)");
		else if (mine == v)
			out_printf(o, "meminfo VmallocUsed %s: equal to the %s", hu,
				   !strcmp(counts, "pages") ? "pages' memory" : "areas' sizes");
		else
			out_printf(o, "meminfo VmallocUsed %s: %s %s than the %s%s", hu, hd,
				   mine > v ? "less" : "more",
				   !strcmp(counts, "pages") ? "pages' memory (read a moment apart)"
							    : "areas' sizes",
				   !strcmp(counts, "sizes")
				       ? " (before 4.4 it summed those between VMALLOC_START and "
					 "VMALLOC_END only)"
				       : "");
		if (total) {
			char ht[32];
			out_size_text(o, total->value, ht, sizeof(ht));
			out_printf(o, "; VmallocTotal %s", ht);
		}
		out_printf(o, "\n");
	}
	out_end(o);
}

static void fill_group(struct trow *r, const struct vmalloc_caller *c, uint64_t all)
{
	char kinds[256];
	kinds_text(c->kinds, NULL, 0, kinds, sizeof(kinds));
	if (c->name[0])
		trow_str(r, V_CALLER, c->name);
	else
		trow_null(r, V_CALLER); /* unpurged areas have none */
	trow_count(r, V_AREAS, c->areas);
	trow_size(r, V_SIZE, c->bytes);
	trow_count(r, V_PAGES, c->pages);
	trow_size(r, V_MEMORY, c->pages * page_size);
	trow_size(r, V_IOREMAP, c->ioremap_bytes);
	trow_percent(r, V_SHARE, all ? 100.0 * (double)c->bytes / (double)all : 0);
	trow_str(r, V_KINDS, kinds);
}

static void fill_area(struct trow *r, const struct area_row *a, bool real,
		      const struct iomem_tree *io, const struct layout *l)
{
	if (a->caller[0])
		trow_str(r, V_CALLER, a->caller);
	else
		trow_null(r, V_CALLER);
	trow_size(r, V_SIZE, a->size);
	if (a->has_pages) {
		trow_count(r, V_PAGES, a->pages);
		trow_size(r, V_MEMORY, a->pages * page_size);
	} else {
		trow_null(r, V_PAGES);
		trow_null(r, V_MEMORY);
	}
	trow_str(r, V_KINDS, a->kind_text);
	if (real) {
		trow_addr(r, V_START, a->start);
		trow_addr(r, V_END, a->end);
	} else {
		trow_null(r, V_START);
		trow_null(r, V_END);
	}
	if (a->nodes[0])
		trow_str(r, V_NODES, a->nodes);
	else
		trow_null(r, V_NODES);
	if (a->has_phys)
		trow_addr(r, V_PHYS, a->phys);
	else
		trow_null(r, V_PHYS);
	long chain[16];
	size_t nc = io && a->has_phys ? iomem_find(io, a->phys, chain, 16) : 0;
	if (nc)
		trow_str(r, V_IOMEM, io->v[chain[(nc > 16 ? 16 : nc) - 1]].name);
	else
		trow_null(r, V_IOMEM);
	const void *id;
	const char *reg = real && l ? region_of(l, a->start, &id) : NULL;
	if (reg)
		trow_str(r, V_REGION, reg);
	else
		trow_null(r, V_REGION);
	trow_count(r, V_LINE, a->line);
}

/* vmallocinfo refused live (mode 0400), or empty in a dump made without root: meminfo's vmalloc
 * figures, with a line naming the file and what would show the areas. */
static int refused_totals(struct ctx *ctx, struct ms_error *err)
{
	static const char *const keys[] = {"VmallocUsed", "VmallocTotal", "VmallocChunk"};
	return meminfo_only(ctx, err, "vmalloc figures", "callers", keys, sizeof(keys) / sizeof(keys[0]));
}

/* vmallocinfo read whole (0400: the caps raised for the live read), then parsed from memory:
 * one read, a small file (a few thousand lines). */
static int read_file(struct ctx *ctx, struct buf *b, struct ms_error *err)
{
	bool raised = !ctx->root.dir && caps_raise();
	int e = sysroot_read(&ctx->root, "proc/vmallocinfo", b, err);
	if (raised)
		caps_lower();
	return e ? root_only_said(&ctx->root, e, err) : 0;
}

static void free_rows(struct vmalloc_run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rows[i].caller);
		free(r->rows[i].nodes);
		free(r->rows[i].kind_text);
	}
	free(r->rows);
}

/* Why the addresses are not placed, said once: the check's verdict and kptr_restrict. */
static void say_pointers(struct ctx *ctx, const struct kptr_check *kc, const char *file)
{
	long level = -1;
	struct ms_error serr = {0};
	if (sysctl_read_int(&ctx->root, "kernel/kptr_restrict", &level, &serr))
		level = -1;
	char line[512];
	kptr_explain(kc, file, (int)level, line, sizeof(line));
	ctx_note(ctx, "%s", line);
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct vmalloc_args *a = args;
	int e = check_view(a, err);
	if (e)
		return e;
	struct table *tb = table_new(vmalloc_cols, V_NCOLS, a->list ? "areas" : "callers");
	if (!tb)
		return ms_say(err, -ENOMEM, "out of memory");
	if (a->list && (!a->tbl.columns || a->tbl.columns[0] == '+'))
		e = table_select(tb, LIST_DEFAULTS, err);
	if (!e && a->tbl.columns)
		e = table_select(tb, a->tbl.columns, err);
	if (e) {
		err->usage = true;
		table_free(tb);
		return e;
	}
	table_args_apply(ctx, &a->tbl);
	struct buf b = {0};
	e = read_file(ctx, &b, err);
	if (e) {
		table_free(tb);
		if ((e == -EACCES || e == -EPERM) && !ctx->root.dir)
			return refused_totals(ctx, err);
		return e;
	}
	char name[512];
	sysroot_name(&ctx->root, "proc/vmallocinfo", name, sizeof(name));
	if (ctx->root.dir && !b.len) {
		/* a dump made without root: what the live machine would show such a user */
		buf_free(&b);
		table_free(tb);
		ms_fail(err, -EACCES, name, 0,
			"empty in the dump (the kernel shows vmallocinfo to root only, and the dump "
			"was made without)");
		return refused_totals(ctx, err);
	}
	page_size = ctx_page_size(ctx);
	const struct machine_facts *f = ctx_machine(ctx);
	/* a 64-bit kernel's hash looks like a 32-bit kernel's address: without the architecture
	 * the ranges alone decide, and nothing is placed */
	bool arch_known = f->arch_source != MACHINE_ASSUMED;
	bool wide = arch_known && strcmp(f->arch, "i386") && strcmp(f->arch, "arm");
	/* a layout tells a hashed lone address on a 64-bit kernel; 32-bit ones go by ranges */
	struct layout lay, *l = NULL;
	struct layout_args la = {0};
	struct ms_error lerr = {0};
	struct vmalloc_run r = {.ctx = ctx, .a = a};
	vmalloc_sum_init(&r.sum);
	kptr_check_init(&r.kc, NULL, wide);
	e = vmallocinfo_stream_bytes(b.data, b.len, name, each_area, &r, err);
	buf_free(&b);
	if (e == -ENOMEM)
		e = ms_say(err, e, "out of memory");
	bool real = !e && kptr_verdict(&r.kc) == KPTR_REAL;
	if (real && arch_known) {
		if (layout_from_args(ctx, &la, &lay, &lerr) == 0)
			l = &lay;
	} else if (real) {
		ctx_note(ctx, "the areas are not placed in a layout: %s does not say the architecture "
			      "(use --arch)",
			 ctx_where(ctx));
	}
	if (real && l && wide) {
		/* the layout's user half tells a hash that the ranges did not */
		kptr_check_init(&r.kc, l, wide);
		for (size_t i = 0; i < r.n; i++)
			kptr_check_range(&r.kc, r.rows[i].start, r.rows[i].end, r.rows[i].size);
		real = kptr_verdict(&r.kc) == KPTR_REAL;
	}
	struct iomem_tree io = {0};
	bool have_io = false;
	if (!e && a->list) {
		bool shown[V_NCOLS];
		cols_shown(vmalloc_cols, V_NCOLS, a->tbl.columns ? a->tbl.columns : LIST_DEFAULTS,
			   a->sort, shown);
		if (a->tbl.columns && a->tbl.columns[0] == '+')
			shown[V_IOMEM] = true; /* the defaults, IOMEM among them */
		struct ms_error ierr = {0};
		if (shown[V_IOMEM] && r.sum.kind_areas[0]) {
			have_io = iomem_read(&ctx->root, &io, &ierr) == 0;
			if (!have_io)
				ctx_note(ctx, "IOMEM is empty: %s%s%s", ierr.file, ierr.file[0] ? ": " : "",
					 ierr.reason);
			else if (io.hidden) {
				ctx_note(ctx, "IOMEM is empty: iomem's addresses are %s",
					 ctx_hidden_reason(ctx));
				iomem_free(&io);
				have_io = false;
			}
		}
	}
	if (!e && kptr_verdict(&r.kc) != KPTR_REAL)
		say_pointers(ctx, &r.kc, name);
	struct meminfo mi;
	struct ms_error merr = {0};
	bool have_mi = !e && meminfo_read(&ctx->root, &mi, &merr) == 0;
	if (!e) {
		out_str(&ctx->out, SHOW_JSON, "addresses", NULL, kptr_kind_name(kptr_verdict(&r.kc)));
		ctx_machine_json(ctx, false, true);
	}
	if (!e && a->list) {
		if (a->sort) {
			sort_col = col_lookup(vmalloc_cols, V_NCOLS, a->sort);
			qsort(r.rows, r.n, sizeof(*r.rows), by_area_key);
		}
		size_t n = a->top && (size_t)a->top < r.n ? (size_t)a->top : r.n;
		for (size_t i = 0; !e && i < n; i++) {
			struct trow *row = table_add(tb, NULL);
			fill_area(row, &r.rows[i], real, have_io ? &io : NULL, l);
		}
	} else if (!e) {
		vmalloc_sum_sort(&r.sum);
		if (a->sort) {
			sort_col = col_lookup(vmalloc_cols, V_NCOLS, a->sort);
			qsort(r.sum.callers, r.sum.n_callers, sizeof(*r.sum.callers), by_caller_key);
		}
		size_t n = r.sum.n_callers;
		if (a->top && (size_t)a->top < n)
			n = (size_t)a->top;
		for (size_t i = 0; !e && i < n; i++) {
			struct trow *row = table_add(tb, NULL);
			fill_group(row, &r.sum.callers[i], r.sum.bytes);
		}
	}
	if (!e)
		e = printed(table_print(tb, &ctx->out), err);
	if (!e) {
		print_totals(ctx, &r.sum, have_mi ? &mi : NULL);
		if (real && l) {
			struct place p[LAYOUT_MAX + 1];
			/* in address order, whatever the table's */
			sort_col = V_START;
			qsort(r.rows, r.n, sizeof(*r.rows), by_area_key);
			print_placement(&ctx->out, l, r.rows, r.n, p, LAYOUT_MAX + 1);
		} else {
			out_null(&ctx->out, SHOW_JSON, "placement", NULL);
		}
	}
	if (have_mi)
		meminfo_free(&mi);
	if (have_io)
		iomem_free(&io);
	free_rows(&r);
	vmalloc_sum_free(&r.sum);
	table_free(tb);
	return e;
}

COMMAND(vmalloc, struct vmalloc_args,
	.summary = "vmalloc areas by caller or one by one, against meminfo's VmallocUsed",
	.flags = CMD_SYSROOT | CMD_OUTPUT, .columns = &vmalloc_columns);
