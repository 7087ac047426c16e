/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope kmem (after crash's kmem): the kernel's allocator stack with this machine's numbers,
 * as the notes' "Memory allocation mechanism" figure draws it: kmalloc on the slab caches,
 * vmalloc beside them, both on the page allocator, on main memory; and what the struct page
 * array costs. Each part names the command that shows it in full. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "opts.h"
#include "decode/frag.h"
#include "lib/escape.h"
#include "lib/grow.h"
#include "lib/units.h"
#include "out/diagram.h"
#include "out/table.h"
#include "proc/buddyinfo.h"
#include "proc/iomem.h"
#include "proc/meminfo.h"
#include "proc/slabinfo.h"
#include "proc/vmallocinfo.h"
#include "proc/zoneinfo.h"
#include "sys/caps.h"

struct kmem_args {
	bool diagram;
	long top; /* caches, callers and kmalloc families listed; 0: the default */
};

#define TOP_DEFAULT 5
#define FRAG_ORDER 9 /* the unusable index shown: 2M on 4K pages, a THP or a pageblock */

static const struct opts kmem_opts = {
	.opt = OPTIONS(
		OPT_BOOL("diagram", 0, struct kmem_args, diagram,
			 "Draw the allocators as the notes' figure stacks them: kmalloc on the slab "
			 "allocator, vmalloc beside, both on the page allocator, on main memory"),
		OPT_NUM("top", 'n', "N", struct kmem_args, top, 1, 1000, "a number from 1 to 1000",
			"List the N largest slab caches, vmalloc callers and kmalloc families "
			"(default 5)")),
	.doc = "Show the kernel's memory allocators with this machine's numbers: the kmalloc size "
	       "classes and the slab caches (/proc/slabinfo, meminfo's Slab, SReclaimable and "
	       "SUnreclaim), vmalloc (/proc/vmallocinfo, meminfo's VmallocUsed), the page "
	       "allocator's free blocks per zone and order and the unusable free space index at "
	       "order 9 (/proc/buddyinfo), main memory (MemTotal, iomem's System RAM) and what the "
	       "struct page array costs (zoneinfo's present pages x the size of a struct page, an "
	       "estimate). Each part names the command that shows it in full.\v"
	       "slabinfo and vmallocinfo are mode 0400: without root or CAP_DAC_READ_SEARCH the "
	       "slab and vmalloc parts are meminfo's figures alone, said on stderr. iomem's "
	       "addresses need CAP_SYS_ADMIN: without it System RAM is unknown. In a dump, a file "
	       "it lacks leaves its part unknown (said on stderr); meminfo alone is required.",
};

/* A size of struct page, by architecture: 64 bytes on 64-bit kernels with the default
 * options (include/linux/mm_types.h keeps it at 8 words), 32 on 32-bit ones. An estimate:
 * debug options (page owner, KMSAN) and some configurations make it larger. */
static unsigned struct_page_size(const char *arch)
{
	return !strcmp(arch, "x86_64") || !strcmp(arch, "arm64") ? 64 : 32;
}

/* ---- what is read ---- */

struct kfamily {
	char name[40];
	uint64_t classes, memory;
};

struct kmem {
	uint64_t ps;
	bool have_mi;
	struct meminfo mi;
	bool have_slab;
	struct slabinfo si;
	struct slab_totals st;
	const struct slab_cache **top; /* si's caches by memory, most first */
	struct kfamily *fam;	       /* kmalloc families by memory, most first */
	size_t nfam;
	uint64_t kclasses, kmemory;
	bool have_vm;
	struct vmalloc_sum vs;
	bool have_buddy;
	struct buddyinfo bi;
	bool have_zones;
	uint64_t present;
	bool have_managed; /* every zone printed its managed pages (Linux 3.8+) */
	uint64_t managed;
	bool have_io, io_hidden;
	uint64_t ram;
	size_t ram_ranges;
};

static uint64_t mi_get(const struct kmem *k, const char *key, bool *known);

/* What MemTotal counts beyond the zones' managed pages (0 when they agree, or either is not
 * known): more than 1% of it, so a moment between the two reads is not taken for it */
static uint64_t not_managed(const struct kmem *k)
{
	bool known = false;
	uint64_t total = mi_get(k, "MemTotal", &known), managed = k->managed * k->ps;
	if (!known || !k->have_managed || total <= managed || total - managed <= total / 100)
		return 0;
	return total - managed;
}

static uint64_t mi_get(const struct kmem *k, const char *key, bool *known)
{
	const struct meminfo_entry *e = meminfo_get(&k->mi, key);
	if (known)
		*known = e != NULL;
	return e ? e->value : 0;
}

/* A part's file could not be read: missing or refused is said and leaves the part unknown (or
 * meminfo's figures alone); anything else (a malformed file) is the command's error. */
static int unread(struct ctx *ctx, int ret, struct ms_error *err, const char *part)
{
	if (ret != -ENOENT && ret != -EACCES && ret != -EPERM)
		return ret;
	if (ret == -EACCES && ctx->root.dir && !strncmp(err->reason, "empty file", 10))
		ctx_note(ctx, "'%s': empty in the dump (the kernel shows it to root only, and the dump "
			      "was made without); %s",
			 err->file, part);
	else
		ctx_note(ctx, "'%s': %s; %s", err->file, err->reason, part);
	*err = (struct ms_error){0};
	return 0;
}

static int by_cache_memory(const void *pa, const void *pb, void *arg)
{
	const struct slab_cache *a = *(const struct slab_cache *const *)pa;
	const struct slab_cache *b = *(const struct slab_cache *const *)pb;
	uint64_t ps = *(const uint64_t *)arg;
	uint64_t x = slab_cache_memory(a, ps), y = slab_cache_memory(b, ps);
	if (x != y)
		return x < y ? 1 : -1;
	return strcmp(a->name, b->name);
}

static int by_family_memory(const void *pa, const void *pb)
{
	const struct kfamily *a = pa, *b = pb;
	if (a->memory != b->memory)
		return a->memory < b->memory ? 1 : -1;
	return strcmp(a->name, b->name);
}

/* The caches by memory and the kmalloc classes by family. */
static int slab_rank(struct kmem *k)
{
	slabinfo_totals(&k->si, k->ps, &k->st);
	k->top = calloc(k->si.n ? k->si.n : 1, sizeof(*k->top));
	k->fam = calloc(k->si.n ? k->si.n : 1, sizeof(*k->fam));
	if (!k->top || !k->fam)
		return -ENOMEM;
	for (size_t i = 0; i < k->si.n; i++) {
		const struct slab_cache *c = &k->si.v[i];
		k->top[i] = c;
		char fam[40];
		uint64_t bytes;
		if (!slab_kmalloc_class(c->name, fam, sizeof(fam), &bytes))
			continue;
		size_t f = 0;
		while (f < k->nfam && strcmp(k->fam[f].name, fam))
			f++;
		if (f == k->nfam)
			snprintf(k->fam[k->nfam++].name, sizeof(k->fam[0].name), "%s", fam);
		k->fam[f].classes++;
		k->fam[f].memory += slab_cache_memory(c, k->ps);
		k->kclasses++;
		k->kmemory += slab_cache_memory(c, k->ps);
	}
	qsort_r(k->top, k->si.n, sizeof(*k->top), by_cache_memory, &k->ps);
	qsort(k->fam, k->nfam, sizeof(*k->fam), by_family_memory);
	return 0;
}

static int vm_add(const struct vmalloc_area *a, void *arg)
{
	return vmalloc_sum_add(arg, a);
}

static void kmem_free(struct kmem *k)
{
	if (k->have_mi)
		meminfo_free(&k->mi);
	if (k->have_slab)
		slabinfo_free(&k->si);
	free(k->top);
	free(k->fam);
	vmalloc_sum_free(&k->vs);
	if (k->have_buddy)
		buddyinfo_free(&k->bi);
}

static int kmem_read(struct ctx *ctx, struct kmem *k, struct ms_error *err)
{
	memset(k, 0, sizeof(*k));
	vmalloc_sum_init(&k->vs);
	k->ps = ctx_page_size(ctx);
	int e = meminfo_read(&ctx->root, &k->mi, err);
	if (e)
		return e;
	k->have_mi = true;

	/* slabinfo and vmallocinfo are mode 0400 root: memscope's file capabilities are raised
	 * for these opens of the live files only */
	bool raised = !ctx->root.dir && caps_raise();
	e = slabinfo_read(&ctx->root, &k->si, err);
	if (raised)
		caps_lower();
	k->have_slab = !e;
	if (e && (e = unread(ctx, e, err, "the slab part is meminfo's Slab, SReclaimable and "
					  "SUnreclaim alone")))
		return e;
	if (k->have_slab && slab_rank(k))
		return ms_say(err, -ENOMEM, "out of memory");

	raised = !ctx->root.dir && caps_raise();
	e = vmallocinfo_stream(&ctx->root, vm_add, &k->vs, err);
	if (raised)
		caps_lower();
	if (e == -ENOMEM && !err->reason[0])
		return ms_say(err, e, "out of memory");
	k->have_vm = !e;
	if (e && (e = unread(ctx, e, err, "the vmalloc part is meminfo's VmallocUsed and "
					  "VmallocTotal alone")))
		return e;
	if (k->have_vm)
		vmalloc_sum_sort(&k->vs);

	e = buddyinfo_read(&ctx->root, &k->bi, err);
	k->have_buddy = !e;
	if (e && (e = unread(ctx, e, err, "the free blocks per zone and order are unknown")))
		return e;

	struct zoneinfo zi;
	e = zoneinfo_read(&ctx->root, &zi, err);
	k->have_zones = !e;
	if (e && (e = unread(ctx, e, err, "the present pages, and the cost of struct page, are "
					  "unknown")))
		return e;
	if (k->have_zones) {
		bool any = false;
		k->have_managed = zi.n > 0;
		for (size_t i = 0; i < zi.n; i++) {
			k->present += zi.v[i].f[ZF_PRESENT];
			any |= zi.v[i].has[ZF_PRESENT];
			k->managed += zi.v[i].f[ZF_MANAGED];
			k->have_managed &= zi.v[i].has[ZF_MANAGED];
		}
		k->have_zones = any;
		zoneinfo_free(&zi);
	}

	struct iomem_tree io;
	e = iomem_read(&ctx->root, &io, err);
	k->have_io = !e;
	if (e && (e = unread(ctx, e, err, "System RAM is unknown")))
		return e;
	if (k->have_io) {
		k->io_hidden = io.hidden;
		k->ram = iomem_ram_bytes(&io, &k->ram_ranges);
		if (io.hidden) {
			char name[512];
			sysroot_name(&ctx->root, "proc/iomem", name, sizeof(name));
			ctx_note(ctx, "'%s': addresses are %s; System RAM is unknown", name,
				 ctx_hidden_reason(ctx));
		}
		iomem_free(&io);
	}
	return 0;
}

/* ---- the parts, as lines: the same lines in text and in the picture ---- */

/* One line of a part: @l, and @r right-aligned after it (a size beside a name); a name from a
 * file is escaped. */
struct kline {
	char l[160];
	char r[32];
};

struct part {
	const char *key, *title, *command;
	struct kline *line;
	size_t n, cap;
	bool nomem; /* a line could not be added */
};

static struct kline *add(struct part *p, const char *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static struct kline *add(struct part *p, const char *r, const char *fmt, ...)
{
	if (grow(&p->line, &p->cap, p->n + 1, sizeof(*p->line), 16)) {
		p->nomem = true;
		return NULL;
	}
	struct kline *l = &p->line[p->n++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->l, sizeof(l->l), fmt, ap);
	va_end(ap);
	snprintf(l->r, sizeof(l->r), "%s", r ? r : "");
	return l;
}

/* More of @l's text. */
static void append(struct kline *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append(struct kline *l, const char *fmt, ...)
{
	size_t n = strlen(l->l);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->l + n, sizeof(l->l) - n, fmt, ap);
	va_end(ap);
}

/* A size as text, in one of four rotating buffers (several in one line). */
static const char *sz(const struct out *o, uint64_t v)
{
	static char b[8][32];
	static unsigned i;
	char *s = b[i++ % 8];
	out_size_text(o, v, s, 32);
	return s;
}

static const char *esc(const char *name, char *buf, size_t size)
{
	escape_text(name, strlen(name), buf, size);
	return buf;
}

static long top_n(const struct kmem_args *a)
{
	return a->top ? a->top : TOP_DEFAULT;
}

/* Start part @p: its JSON object under @key with the command that shows it in full. */
static void part_begin(struct out *o, struct part *p, const char *key, const char *title,
		       const char *command)
{
	free(p->line);
	*p = (struct part){.key = key, .title = title, .command = command};
	out_object(o, key);
	out_str(o, SHOW_JSON, "command", NULL, command);
}

/* meminfo's @key into JSON (null when the kernel does not print it) and as text into @text
 * ("-" then); returns the value. */
static uint64_t mi_show(struct out *o, const struct kmem *k, const char *key, char *text,
			size_t size)
{
	bool known;
	uint64_t v = mi_get(k, key, &known);
	if (known)
		out_u64(o, SHOW_JSON, key, NULL, v);
	else
		out_null(o, SHOW_JSON, key, NULL);
	snprintf(text, size, "%s", known ? sz(o, v) : "-");
	return v;
}

static void kmalloc_part(struct out *o, const struct kmem *k, const struct kmem_args *a,
			 struct part *p)
{
	part_begin(o, p, "kmalloc", "kmalloc", "memscope slab --diagram");
	if (!k->have_slab) {
		add(p, NULL, "size classes: slabinfo not read");
		out_null(o, SHOW_JSON, "classes", NULL);
		out_null(o, SHOW_JSON, "memory", NULL);
		out_null(o, SHOW_JSON, "families", NULL);
		out_end(o);
		return;
	}
	add(p, NULL, "%" PRIu64 " size classes, %s in their slabs", k->kclasses, sz(o, k->kmemory));
	out_u64(o, SHOW_JSON, "classes", NULL, k->kclasses);
	out_u64(o, SHOW_JSON, "memory", NULL, k->kmemory);
	out_array(o, "families");
	for (size_t i = 0; i < k->nfam; i++) {
		char e[sizeof(k->fam[i].name) * 4];
		if (i < (size_t)top_n(a))
			add(p, sz(o, k->fam[i].memory), "  %s (%" PRIu64 ")",
			    esc(k->fam[i].name, e, sizeof(e)), k->fam[i].classes);
		out_object(o, NULL);
		out_str(o, SHOW_JSON, "family", NULL, k->fam[i].name);
		out_u64(o, SHOW_JSON, "classes", NULL, k->fam[i].classes);
		out_u64(o, SHOW_JSON, "memory", NULL, k->fam[i].memory);
		out_end(o);
	}
	out_end(o);
	if (k->nfam > (size_t)top_n(a))
		add(p, NULL, "  and %zu more famil%s", k->nfam - (size_t)top_n(a),
		    k->nfam - (size_t)top_n(a) == 1 ? "y" : "ies");
	out_end(o);
}

static void slab_part(struct out *o, const struct kmem *k, const struct kmem_args *a,
		      struct part *p)
{
	part_begin(o, p, "slab", "slab allocator", "memscope slab");
	if (k->have_slab) {
		out_str(o, SHOW_JSON, "allocator", NULL, k->si.tunables ? "SLAB" : "SLUB");
		out_u64(o, SHOW_JSON, "caches", NULL, k->st.caches);
		out_u64(o, SHOW_JSON, "memory", NULL, k->st.memory);
		out_u64(o, SHOW_JSON, "wasted", NULL, k->st.wasted);
		add(p, NULL, "%zu caches (%s), %s in slabs", k->st.caches,
		    k->si.tunables ? "SLAB" : "SLUB", sz(o, k->st.memory));
		add(p, NULL, "  %s of it in no object", sz(o, k->st.wasted));
	} else {
		out_null(o, SHOW_JSON, "allocator", NULL);
		out_null(o, SHOW_JSON, "caches", NULL);
		out_null(o, SHOW_JSON, "memory", NULL);
		out_null(o, SHOW_JSON, "wasted", NULL);
		add(p, NULL, "caches: slabinfo not read");
	}
	static const char *const keys[3] = {"Slab", "SReclaimable", "SUnreclaim"};
	char t[3][32];
	for (int i = 0; i < 3; i++)
		mi_show(o, k, keys[i], t[i], sizeof(t[i]));
	add(p, NULL, "meminfo Slab %s", t[0]);
	add(p, NULL, "  SReclaimable %s, SUnreclaim %s", t[1], t[2]);
	if (!k->have_slab) {
		out_null(o, SHOW_JSON, "top_caches", NULL);
		out_end(o);
		return;
	}
	add(p, NULL, "largest caches:");
	out_array(o, "top_caches");
	for (size_t i = 0; i < k->si.n && i < (size_t)top_n(a); i++) {
		const struct slab_cache *c = k->top[i];
		char e[512];
		add(p, sz(o, slab_cache_memory(c, k->ps)), "  %s", esc(c->name, e, sizeof(e)));
		out_object(o, NULL);
		out_str(o, SHOW_JSON, "name", NULL, c->name);
		out_u64(o, SHOW_JSON, "memory", NULL, slab_cache_memory(c, k->ps));
		out_u64(o, SHOW_JSON, "active_objs", NULL, c->active_objs);
		out_u64(o, SHOW_JSON, "objsize", NULL, c->objsize);
		out_end(o);
	}
	out_end(o);
	out_end(o);
}

static void vmalloc_part(struct out *o, const struct kmem *k, const struct kmem_args *a,
			 struct part *p)
{
	part_begin(o, p, "vmalloc", "vmalloc", "memscope vmalloc");
	char used[32], total[32];
	mi_show(o, k, "VmallocUsed", used, sizeof(used));
	mi_show(o, k, "VmallocTotal", total, sizeof(total));
	add(p, NULL, "meminfo VmallocUsed %s", used);
	add(p, NULL, "  of VmallocTotal %s", total);
	if (!k->have_vm) {
		add(p, NULL, "areas: vmallocinfo not read");
		out_null(o, SHOW_JSON, "areas", NULL);
		out_null(o, SHOW_JSON, "bytes", NULL);
		out_null(o, SHOW_JSON, "pages", NULL);
		out_null(o, SHOW_JSON, "top_callers", NULL);
		out_end(o);
		return;
	}
	const struct vmalloc_sum *s = &k->vs;
	add(p, NULL, "%" PRIu64 " areas, %s of addresses", s->areas, sz(o, s->bytes));
	add(p, NULL, "  %" PRIu64 " pages (%s) behind them", s->pages, sz(o, s->pages * k->ps));
	/* freed areas whose TLB flush is still lazy: addresses held, no pages */
	unsigned unp = (unsigned)__builtin_ctz(VMK_UNPURGED); /* its index in the kinds */
	add(p, NULL, "  %" PRIu64 " freed, unpurged: %s", s->kind_areas[unp],
	    sz(o, s->kind_bytes[unp]));
	out_u64(o, SHOW_JSON, "areas", NULL, s->areas);
	out_u64(o, SHOW_JSON, "bytes", NULL, s->bytes);
	out_u64(o, SHOW_JSON, "pages", NULL, s->pages);
	out_u64(o, SHOW_JSON, "unpurged_areas", NULL, s->kind_areas[unp]);
	out_u64(o, SHOW_JSON, "unpurged_bytes", NULL, s->kind_bytes[unp]);
	add(p, NULL, "largest callers:");
	out_array(o, "top_callers");
	for (size_t i = 0; i < s->n_callers && i < (size_t)top_n(a); i++) {
		const struct vmalloc_caller *c = &s->callers[i];
		char e[1024];
		/* the areas printed without a caller: unpurged ones, vm_map_ram's blocks */
		const char *none = c->kinds == VMK_UNPURGED	 ? "(unpurged areas)"
				   : c->kinds == VMK_VM_MAP_RAM ? "(vm_map_ram)"
								: "(no caller)";
		add(p, sz(o, c->bytes), "  %s", *c->name ? esc(c->name, e, sizeof(e)) : none);
		out_object(o, NULL);
		out_str(o, SHOW_JSON, "caller", NULL, c->name);
		out_u64(o, SHOW_JSON, "areas", NULL, c->areas);
		out_u64(o, SHOW_JSON, "bytes", NULL, c->bytes);
		out_u64(o, SHOW_JSON, "pages", NULL, c->pages);
		out_end(o);
	}
	out_end(o);
	out_end(o);
}

/* The free blocks of each order as a grid, a row per zone, a column per order: as many orders
 * to a grid as @width allows (0: all). */
static void order_grid(struct part *p, const struct buddyinfo *bi, int width)
{
	unsigned orders = bi->orders < BUDDY_MAX_ORDERS ? bi->orders : BUDDY_MAX_ORDERS;
	int w = 2;
	for (size_t i = 0; i < bi->n; i++)
		for (unsigned o = 0; o < orders; o++) {
			char d[24];
			int n = (int)units_dec(bi->v[i].free[o], d, sizeof(d));
			w = n > w ? n : w;
		}
	const int label = 16;
	unsigned per = orders;
	if (width > 0 && width > label + w + 1)
		per = (unsigned)((width - label) / (w + 1));
	per = per ? per : 1;
	for (unsigned first = 0; first < orders; first += per) {
		unsigned last = first + per < orders ? first + per : orders;
		struct kline *l = add(p, NULL, "%-*s", label, "  order");
		for (unsigned o = first; l && o < last; o++)
			append(l, " %*u", w, o);
		for (size_t i = 0; i < bi->n; i++) {
			const struct buddy_zone *z = &bi->v[i];
			char zone[sizeof(z->zone) * 4], name[sizeof(zone) + 16];
			snprintf(name, sizeof(name), "  node %u %s", z->node,
				 esc(z->zone, zone, sizeof(zone)));
			l = add(p, NULL, "%-*s", label, name);
			for (unsigned o = first; l && o < last; o++)
				append(l, " %*" PRIu64, w, z->free[o]);
		}
	}
}

static int page_part(struct out *o, const struct kmem *k, struct part *p, int grid_width)
{
	part_begin(o, p, "page_allocator", "page allocator", "memscope buddy");
	char memfree[32];
	mi_show(o, k, "MemFree", memfree, sizeof(memfree));
	out_u64(o, SHOW_JSON, "unusable_order", NULL, FRAG_ORDER);
	if (!k->have_buddy) {
		add(p, NULL, "free blocks: buddyinfo not read; meminfo MemFree %s", memfree);
		out_null(o, SHOW_JSON, "free_pages", NULL);
		out_null(o, SHOW_JSON, "free_bytes", NULL);
		out_null(o, SHOW_JSON, "zones", NULL);
		out_end(o);
		return 0;
	}
	const struct buddyinfo *bi = &k->bi;
	uint64_t pages = 0;
	for (size_t i = 0; i < bi->n; i++)
		pages += frag_free_pages(bi->v[i].free, bi->orders);
	out_u64(o, SHOW_JSON, "free_pages", NULL, pages);
	out_u64(o, SHOW_JSON, "free_bytes", NULL, pages * k->ps);
	add(p, NULL, "%s free in %" PRIu64 " pages of %s, %zu zone%s; meminfo MemFree %s",
	    sz(o, pages * k->ps), pages, sz(o, k->ps), bi->n, bi->n == 1 ? "" : "s", memfree);
	uint64_t unmanaged = not_managed(k);
	if (unmanaged)
		add(p, NULL, "(MemFree also counts the %s of MemTotal no zone manages yet)",
		    sz(o, unmanaged));
	add(p, NULL, "unusable free space index at order %u (blocks of %s):", FRAG_ORDER,
	    sz(o, k->ps << FRAG_ORDER));
	static const struct col_def cols[] = {
		{"NODE", "node", COL_COUNT, COLF_DEFAULT, "NUMA node", NULL},
		{"ZONE", "zone", COL_STR, COLF_DEFAULT, "zone", NULL},
		{"PAGES", "free_pages", COL_COUNT, COLF_DEFAULT, "free pages", NULL},
		{"FREE", "free_bytes", COL_SIZE, COLF_DEFAULT, "free bytes", NULL},
		{"BLOCKS", NULL, COL_COUNT, COLF_DEFAULT, "free blocks of an order", "free_blocks"},
		{"UNUSABLE", "unusable_index", COL_INDEX, COLF_DEFAULT,
		 "unusable free space index at order 9", NULL},
	};
	struct table *tb = table_new(cols, 6, "zones");
	if (!tb)
		return -ENOMEM;
	table_json_child_lists(tb);
	table_show(tb, SHOW_JSON); /* the text is the lines */
	for (size_t i = 0; i < bi->n; i++) {
		const struct buddy_zone *z = &bi->v[i];
		uint64_t zp = frag_free_pages(z->free, bi->orders);
		struct trow *r = table_add(tb, NULL);
		trow_count(r, 0, z->node);
		trow_str(r, 1, z->zone);
		trow_count(r, 2, zp);
		trow_size(r, 3, zp * k->ps);
		char zone[sizeof(z->zone) * 4], idx[16] = "-";
		if (bi->orders > FRAG_ORDER) {
			unsigned u = frag_unusable_index(z->free, bi->orders, FRAG_ORDER);
			trow_index(r, 5, u);
			snprintf(idx, sizeof(idx), "%u.%03u", u / 1000, u % 1000);
		} else {
			trow_null(r, 5);
		}
		add(p, NULL, "  node %u %-8s %10s free, index %s", z->node,
		    esc(z->zone, zone, sizeof(zone)), sz(o, zp * k->ps), idx);
		for (unsigned ord = 0; ord < bi->orders && ord < BUDDY_MAX_ORDERS; ord++) {
			struct trow *c = table_add(tb, r);
			trow_count(c, 4, z->free[ord]);
		}
	}
	int e = table_print(tb, o);
	table_free(tb);
	add(p, NULL, "free blocks per order:");
	order_grid(p, bi, grid_width);
	out_end(o);
	return e;
}

static void main_part(struct ctx *ctx, const struct kmem *k, struct part *p)
{
	struct out *o = &ctx->out;
	part_begin(o, p, "main_memory", "main memory", "memscope meminfo");
	char total[32];
	mi_show(o, k, "MemTotal", total, sizeof(total));
	uint64_t unmanaged = not_managed(k);
	if (unmanaged) {
		/* deferred struct page initialisation (deferred_init, the zones grown on demand)
		 * or memory being onlined: counted in MemTotal, not yet in any zone */
		add(p, NULL, "MemTotal %s: %s managed by the zones, %s not yet handed to them", total,
		    sz(o, k->managed * k->ps), sz(o, unmanaged));
		add(p, NULL, "  (deferred struct page init growing the zones as needed, or memory being onlined)");
	} else {
		add(p, NULL, "MemTotal %s, the pages the page allocator manages", total);
	}
	if (k->have_managed)
		out_u64(o, SHOW_JSON, "managed_bytes", NULL, k->managed * k->ps);
	else
		out_null(o, SHOW_JSON, "managed_bytes", NULL);

	out_object(o, "system_ram");
	out_str(o, SHOW_JSON, "command", NULL, "memscope iomem --summary");
	if (k->have_io && !k->io_hidden) {
		out_u64(o, SHOW_JSON, "bytes", NULL, k->ram);
		out_u64(o, SHOW_JSON, "ranges", NULL, k->ram_ranges);
		add(p, NULL, "System RAM %s in %zu ranges (memscope iomem --summary)", sz(o, k->ram),
		    k->ram_ranges);
	} else {
		out_null(o, SHOW_JSON, "bytes", NULL);
		if (k->have_io)
			out_u64(o, SHOW_JSON, "ranges", NULL, k->ram_ranges);
		else
			out_null(o, SHOW_JSON, "ranges", NULL);
		add(p, NULL, "System RAM unknown: %s (memscope iomem --summary)",
		    k->have_io ? "iomem's addresses hidden" : "no iomem");
	}
	out_bool(o, SHOW_JSON, "addresses_hidden", NULL, k->have_io && k->io_hidden);
	out_end(o);

	unsigned size = struct_page_size(ctx_arch(ctx));
	out_object(o, "struct_page");
	out_str(o, SHOW_JSON, "command", NULL, "memscope zones");
	out_u64(o, SHOW_JSON, "size", NULL, size);
	out_bool(o, SHOW_JSON, "estimate", NULL, true);
	if (k->have_zones) {
		out_u64(o, SHOW_JSON, "present_pages", NULL, k->present);
		out_u64(o, SHOW_JSON, "bytes", NULL, k->present * size);
		add(p, NULL, "struct page array ~%s: %" PRIu64 " present pages x %u bytes, an "
			     "estimate (memscope zones)",
		    sz(o, k->present * size), k->present, size);
	} else {
		out_null(o, SHOW_JSON, "present_pages", NULL);
		out_null(o, SHOW_JSON, "bytes", NULL);
		add(p, NULL, "struct page array unknown: no zoneinfo (memscope zones)");
	}
	out_end(o);
	out_end(o);
}

/* ---- text: the parts one after another ---- */

static void print_part(struct out *o, const struct part *p)
{
	char head[160];
	snprintf(head, sizeof(head), "%s (%s)", p->title, p->command);
	diagram_note(o, head, 0, 0, 0);
	int w = 0;
	for (size_t i = 0; i < p->n; i++)
		if (p->line[i].r[0]) {
			int n = (int)strlen(p->line[i].l);
			w = n > w ? n : w;
		}
	for (size_t i = 0; i < p->n; i++) {
		char line[256];
		if (p->line[i].r[0])
			snprintf(line, sizeof(line), "  %-*s %9s", w, p->line[i].l, p->line[i].r);
		else
			snprintf(line, sizeof(line), "  %s", p->line[i].l);
		diagram_note(o, line, 0, 6, 0);
	}
}

/* ---- the picture: boxes on a grid of characters ---- */

struct canvas {
	char *c;
	int w, h;
};

static int cv_rows(struct canvas *cv, int h)
{
	if (h <= cv->h)
		return 0;
	char *n = realloc(cv->c, (size_t)h * (size_t)cv->w);
	if (!n)
		return -ENOMEM;
	memset(n + (size_t)cv->h * (size_t)cv->w, ' ', (size_t)(h - cv->h) * (size_t)cv->w);
	cv->c = n;
	cv->h = h;
	return 0;
}

static void cv_put(struct canvas *cv, int x, int y, char ch)
{
	if (x >= 0 && x < cv->w && y >= 0 && y < cv->h)
		cv->c[(size_t)y * (size_t)cv->w + (size_t)x] = ch;
}

/* @s at @x, @y, at most @max columns: cut with ".." when longer. The canvas counts a byte as a
 * column, so anything past ASCII (a name's UTF-8) shows as '?' here; the text keeps it. */
static void cv_text(struct canvas *cv, int x, int y, const char *s, int max)
{
	int n = (int)strlen(s);
	bool cut = n > max;
	if (cut)
		n = max >= 2 ? max - 2 : 0;
	for (int i = 0; i < n; i++)
		cv_put(cv, x + i, y, (unsigned char)s[i] < 0x80 ? s[i] : '?');
	if (cut)
		for (int i = n; i < max; i++)
			cv_put(cv, x + i, y, '.');
}

static void cv_vline(struct canvas *cv, int x, int y0, int y1, bool arrow)
{
	for (int y = y0; y <= y1; y++)
		cv_put(cv, x, y, arrow && y == y1 ? 'v' : '|');
}

/* The rows of a box @inner columns wide holding @p: its title and command, then its lines;
 * a line of prose that does not fit is wrapped between words (its continuation indented
 * further), a name beside a size cut with "..", the size kept whole. Returns the rows. */
/* at most: the title in two rows, each line in three */
#define BOX_ROWS(p) ((p)->n * 3 + 2)
#define ROW 160
static void rowf(char *row, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rowf(char *row, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(row, ROW, fmt, ap);
	va_end(ap);
}

static int box_rows(const struct part *p, int inner, char (*row)[ROW])
{
	int n = 0;
	char head[160], wrapped[3][160];
	snprintf(head, sizeof(head), "%s (%s)", p->title, p->command);
	int nw = diagram_wrap(head, inner, wrapped[0], sizeof(wrapped[0]), 2);
	for (int j = 0; j < nw; j++)
		rowf(row[n++], "%s%s", j ? "  " : "", wrapped[j]);
	for (size_t i = 0; i < p->n; i++) {
		const struct kline *l = &p->line[i];
		int rn = (int)strlen(l->r);
		if (rn) {
			char name[160];
			snprintf(name, sizeof(name), "%s", l->l);
			int room = inner - rn - 1;
			if ((int)strlen(name) > room && room >= 2)
				memcpy(name + room - 2, "..", 3);
			rowf(row[n++], "%-*s %s", room, name, l->r);
			continue;
		}
		size_t lead = strspn(l->l, " ");
		if ((int)strlen(l->l) <= inner) {
			rowf(row[n++], "%s", l->l);
			continue;
		}
		nw = diagram_wrap(l->l + lead, inner - (int)lead - 2, wrapped[0], sizeof(wrapped[0]), 3);
		for (int j = 0; j < nw; j++)
			rowf(row[n++], "%*s%s", (int)lead + (j ? 2 : 0), "", wrapped[j]);
	}
	return n;
}

/* A box at @x, @y of @w columns holding @p (box_rows()). Returns its height, or -1. */
static int cv_box(struct canvas *cv, int x, int y, int w, const struct part *p)
{
	char (*row)[ROW] = malloc(BOX_ROWS(p) * sizeof(*row));
	if (!row)
		return -1;
	int n = box_rows(p, w - 4, row);
	int h = n + 2;
	if (cv_rows(cv, y + h)) {
		free(row);
		return -1;
	}
	for (int i = 0; i < w; i++) {
		cv_put(cv, x + i, y, i == 0 || i == w - 1 ? '+' : '-');
		cv_put(cv, x + i, y + h - 1, i == 0 || i == w - 1 ? '+' : '-');
	}
	for (int j = 1; j < h - 1; j++) {
		cv_put(cv, x, y + j, '|');
		cv_put(cv, x + w - 1, y + j, '|');
	}
	for (int j = 0; j < n; j++)
		cv_text(cv, x + 2, y + 1 + j, row[j], w - 4);
	free(row);
	return h;
}

#define DIAGRAM_WIDTH 96

static int print_diagram(struct out *o, struct part *parts, int width)
{
	struct part *km = &parts[0], *sl = &parts[1], *vm = &parts[2], *pa = &parts[3],
		    *mm = &parts[4];
	int W = width;
	int lw = W * 52 / 96;	      /* the slab box */
	int kw = lw - 8;	      /* the kmalloc box, kmem_cache_alloc() passing beside */
	int lane_a = kw + 3;	      /* kmem_cache_alloc() into the slab allocator */
	int lane_b = lw + 3;	      /* alloc_pages() straight to the page allocator */
	int vx = lw + 7, vw = W - vx; /* the vmalloc box */
	int kx = kw / 2, vc = vx + vw / 2;
	struct canvas cv = {.w = W};
	struct part kernel = {.title = "kernel code and modules",
			      .command = "kmalloc, kmem_cache_alloc, alloc_pages, vmalloc"};
	int y = 0, h = cv_box(&cv, 0, y, W, &kernel);
	if (h < 0)
		goto nomem;
	y += h;
	int top = y + 2; /* the kmalloc and vmalloc boxes */
	int hk = cv_box(&cv, 0, top, kw, km);
	int hv = hk < 0 ? -1 : cv_box(&cv, vx, top, vw, vm);
	if (hv < 0)
		goto nomem;
	int ys = top + hk + 2;
	int hs = cv_box(&cv, 0, ys, lw, sl);
	if (hs < 0)
		goto nomem;
	int yp = (ys + hs > top + hv ? ys + hs : top + hv) + 2;
	int hp = cv_box(&cv, 0, yp, W, pa);
	if (hp < 0)
		goto nomem;
	int ym = yp + hp + 2;
	if (cv_box(&cv, 0, ym, W, mm) < 0)
		goto nomem;
	cv_vline(&cv, kx, y, top - 1, true);
	cv_vline(&cv, lane_a, y, ys - 1, true);
	cv_vline(&cv, lane_b, y, yp - 1, true);
	cv_vline(&cv, vc, y, top - 1, true);
	cv_vline(&cv, kx, top + hk, ys - 1, true);
	cv_vline(&cv, kx, ys + hs, yp - 1, true);
	cv_vline(&cv, vc, top + hv, yp - 1, true);
	cv_vline(&cv, W / 2, yp + hp, ym - 1, true);
	for (int r = 0; r < cv.h; r++) {
		const char *row = cv.c + (size_t)r * (size_t)W;
		int n = W;
		while (n > 0 && row[n - 1] == ' ')
			n--;
		out_printf(o, "%.*s\n", n, row);
	}
	free(cv.c);
	return 0;
nomem:
	free(cv.c);
	return -ENOMEM;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct kmem_args *a = args;
	struct kmem k;
	int e = kmem_read(ctx, &k, err);
	if (e) {
		kmem_free(&k);
		return e;
	}
	struct out *o = &ctx->out;
	ctx_machine_json(ctx, true, true);
	int width = a->diagram ? diagram_fit(o, DIAGRAM_WIDTH, 0, 80) : 0;
	struct part *parts = calloc(5, sizeof(*parts));
	if (!parts) {
		kmem_free(&k);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	kmalloc_part(o, &k, a, &parts[0]);
	slab_part(o, &k, a, &parts[1]);
	vmalloc_part(o, &k, a, &parts[2]);
	e = page_part(o, &k, &parts[3], width ? width - 4 : 0);
	main_part(ctx, &k, &parts[4]);
	for (int i = 0; i < 5; i++)
		if (parts[i].nomem)
			e = -ENOMEM;
	if (!e && out_shows(o, SHOW_TEXT)) {
		if (a->diagram) {
			e = print_diagram(o, parts, width);
		} else {
			for (int i = 0; i < 5; i++) {
				if (i)
					out_printf(o, "\n");
				print_part(o, &parts[i]);
			}
		}
	}
	for (int i = 0; i < 5; i++)
		free(parts[i].line);
	free(parts);
	kmem_free(&k);
	return printed(e, err);
}

COMMAND(kmem, struct kmem_args,
	.summary = "the allocator stack: kmalloc, slab, vmalloc, page allocator, main memory",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
