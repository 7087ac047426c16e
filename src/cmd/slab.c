/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope slab: the slab caches of /proc/slabinfo (SLUB or the old SLAB), ranked by the memory
 * their slabs hold, with SLUB's /sys/kernel/slab details read only for the columns that need
 * them, and their total set against meminfo's Slab, SReclaimable and SUnreclaim. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "cmd/rootonly.h"
#include "opts.h"
#include "lib/escape.h"
#include "lib/units.h"
#include "out/diagram.h"
#include "out/table.h"
#include "proc/meminfo.h"
#include "proc/slabinfo.h"
#include "proc/slabsys.h"
#include "sys/caps.h"

struct slab_args {
	struct table_args tbl;
	const char *sort;
	long top; /* 0: all */
	bool diagram;
	struct watch_opts watch;
};


enum {
	S_NAME, S_ACTIVE, S_OBJS, S_USE, S_SLOT, S_OBJSIZE, S_PER_SLAB, S_PAGES, S_ORDER, S_SLABS,
	S_ACT_SLABS, S_MEMORY, S_WASTE, S_RECLAIM, S_ALIASES, S_PARTIAL, S_CPU_SLABS, S_LIMIT,
	S_BATCH, S_SHARED, S_CHANGE, S_RATE, S_NCOLS
};

#define NUM (COLF_DEFAULT | COLF_RIGHT)
static const struct col_def slab_cols[] = {
	[S_NAME] = {"NAME", "name", COL_STR, COLF_DEFAULT, "cache name", NULL},
	[S_ACTIVE] = {"ACTIVE", "active_objs", COL_COUNT, NUM, "objects in use", NULL},
	[S_OBJS] = {"OBJS", "num_objs", COL_COUNT, NUM, "object slots in its slabs", NULL},
	[S_USE] = {"USE", "use", COL_PERCENT, NUM, "ACTIVE / OBJS", NULL},
	[S_SLOT] = {"SLOT", "objsize", COL_SIZE, NUM,
		    "bytes per slot (slabinfo's objsize: metadata and alignment included)", NULL},
	[S_OBJSIZE] = {"OBJECT", "object_size", COL_SIZE, COLF_RIGHT,
		       "the object as asked for (SLUB sysfs object_size)", NULL},
	[S_PER_SLAB] = {"PER_SLAB", "objperslab", COL_COUNT, NUM, "objects per slab", NULL},
	[S_PAGES] = {"PAGES", "pagesperslab", COL_COUNT, COLF_RIGHT, "pages per slab", NULL},
	[S_ORDER] = {"ORDER", "order", COL_COUNT, NUM, "buddy order of a slab (log2 of PAGES)", NULL},
	[S_SLABS] = {"SLABS", "num_slabs", COL_COUNT, NUM, "slabs", NULL},
	[S_ACT_SLABS] = {"ACT_SLABS", "active_slabs", COL_COUNT, COLF_RIGHT,
			    "slabs with objects in use (SLAB; SLUB prints SLABS)", NULL},
	[S_MEMORY] = {"MEMORY", "memory", COL_SIZE, NUM, "held by its slabs: SLABS x PAGES x page size",
		      NULL},
	[S_WASTE] = {"WASTE", "wasted", COL_SIZE, NUM,
		     "MEMORY not in used slots: free slots and each slab's unused tail", NULL},
	[S_RECLAIM] = {"RECLAIM", "reclaimable", COL_BOOL, COLF_RIGHT,
		       "counted in SReclaimable (SLUB sysfs reclaim_account)", NULL},
	[S_ALIASES] = {"ALIASES", "aliases", COL_COUNT, COLF_RIGHT,
		       "caches merged into this one (SLUB sysfs)", NULL},
	[S_PARTIAL] = {"PARTIAL", "partial_slabs", COL_COUNT, COLF_RIGHT,
		       "slabs on the node partial lists (SLUB sysfs)", NULL},
	[S_CPU_SLABS] = {"CPU_SLABS", "cpu_slabs", COL_COUNT, COLF_RIGHT,
			 "slabs held by CPUs (SLUB sysfs)", NULL},
	[S_LIMIT] = {"LIMIT", "limit", COL_COUNT, COLF_RIGHT, "SLAB tunable: per-CPU objects", NULL},
	[S_BATCH] = {"BATCH", "batchcount", COL_COUNT, COLF_RIGHT, "SLAB tunable: batch count",
		     NULL},
	[S_SHARED] = {"SHARED", "sharedfactor", COL_COUNT, COLF_RIGHT, "SLAB tunable: shared factor",
		      NULL},
	[S_CHANGE] = {"CHANGE", "memory_change", COL_SIZE_DELTA, COLF_RIGHT,
		      "with --watch: MEMORY's change since the first frame", NULL},
	[S_RATE] = {"RATE", "memory_per_minute", COL_SIZE_DELTA, COLF_RIGHT,
		    "with --watch: CHANGE per minute since the first frame", NULL},
};

static const struct columns slab_columns = COLUMNS(slab_cols, NULL);

/* The sysfs attribute each column needs, or SA_N. */
static const int col_attr[S_NCOLS] = {
	[S_NAME] = SA_N, [S_ACTIVE] = SA_N, [S_OBJS] = SA_N, [S_USE] = SA_N, [S_SLOT] = SA_N,
	[S_OBJSIZE] = SA_OBJECT_SIZE, [S_PER_SLAB] = SA_N, [S_PAGES] = SA_N, [S_ORDER] = SA_N,
	[S_SLABS] = SA_N, [S_ACT_SLABS] = SA_N, [S_MEMORY] = SA_N, [S_WASTE] = SA_N,
	[S_RECLAIM] = SA_RECLAIM_ACCOUNT, [S_ALIASES] = SA_ALIASES, [S_PARTIAL] = SA_PARTIAL,
	[S_CPU_SLABS] = SA_CPU_SLABS, [S_LIMIT] = SA_N, [S_BATCH] = SA_N, [S_SHARED] = SA_N,
	[S_CHANGE] = SA_N, [S_RATE] = SA_N,
};

static const struct opts slab_opts = {
	.opt = OPTIONS(
		OPT_SORT_TOP(struct slab_args, sort, top, slab_cols, S_NCOLS, S_NCOLS, "MEMORY",
			     "Sort by the column KEY (default MEMORY): sizes and counts largest first, "
			     "NAME in order",
			     "Only the first N caches after sorting (the totals count them all)"),
		OPT_BOOL("diagram", 0, struct slab_args, diagram,
			 "Draw the kmalloc size classes (kmalloc-8 to kmalloc-8k and their dma, cg "
			 "and rcl variants) as bars of the memory their slabs hold, each with its "
			 "slab order"),
		OPT_WATCH(struct slab_args, watch.on, watch.interval_ms, 2000,
			  "Redraw every SECONDS (default 2, decimals allowed) with each cache's growth "
			  "since the start (CHANGE) and its slope per minute (RATE): a leak is the "
			  "cache whose memory keeps rising; q or Ctrl-C ends"),
		OPT_COUNT(struct slab_args, watch.count),
		OPT_INCLUDE(table_opts_top, struct slab_args, tbl, NULL, 1)),
	.rules = RULES(OPT_NEEDS("count", "watch"), OPT_EXCLUDE("diagram", "watch"),
		       OPT_REFUSES("diagram", "--diagram draws the kmalloc classes", "output", "sort", "top",
				   "raw")),
	.doc = "Show the kernel's slab caches from /proc/slabinfo (SLUB, or the old SLAB with its "
	"tunables), ranked by the memory their slabs hold, with the total set against meminfo's "
	"Slab. /proc/slabinfo is mode 0400: reading it live needs root or CAP_DAC_READ_SEARCH "
	"(without, meminfo's slab totals alone are shown). "
	"OBJECT, RECLAIM, ALIASES, PARTIAL and CPU_SLABS come from SLUB's /sys/kernel/slab, read "
	"only when one of them is asked for.\v"
	"MEMORY is what slabinfo says (slabs x pages per slab); meminfo counts the pages the "
	"allocator really holds, so the two differ by slabs of a smaller order than the cache's "
	"own and by pages meminfo charges as slab that no cache lists: --json gives both and the "
	"difference.",
};

struct cache_row {
	const struct slab_cache *c;
	struct slabsys sys;
	uint64_t memory, wasted;
	int64_t change, rate; /* --watch: since the first frame, and per minute */
};

/* What --watch keeps: each cache's memory in the first frame, by name. */
struct start_entry {
	char *name;
	uint64_t memory;
};
struct slab_watch {
	struct start_entry *v;
	size_t n;
	bool have_start;
	struct timespec t0;
	long frame;
};

static int by_start_name(const void *pa, const void *pb)
{
	return strcmp(((const struct start_entry *)pa)->name, ((const struct start_entry *)pb)->name);
}

static int sort_col;

static uint64_t key_of(const struct cache_row *r, int col)
{
	const struct slab_cache *c = r->c;
	switch (col) {
	case S_ACTIVE: return c->active_objs;
	case S_OBJS: return c->num_objs;
	case S_USE: return c->num_objs ? c->active_objs * 1000000 / c->num_objs : 0;
	case S_SLOT: return c->objsize;
	case S_OBJSIZE: return r->sys.v[SA_OBJECT_SIZE];
	case S_PER_SLAB: return c->objperslab;
	case S_PAGES:
	case S_ORDER: return c->pagesperslab;
	case S_SLABS: return c->num_slabs;
	case S_ACT_SLABS: return c->active_slabs;
	case S_WASTE: return r->wasted;
	case S_RECLAIM: return r->sys.v[SA_RECLAIM_ACCOUNT];
	case S_ALIASES: return r->sys.v[SA_ALIASES];
	case S_PARTIAL: return r->sys.v[SA_PARTIAL];
	case S_CPU_SLABS: return r->sys.v[SA_CPU_SLABS];
	case S_LIMIT: return c->limit;
	case S_BATCH: return c->batchcount;
	case S_SHARED: return c->sharedfactor;
	case S_CHANGE: return (uint64_t)r->change ^ (UINT64_C(1) << 63); /* signed order */
	case S_RATE: return (uint64_t)r->rate ^ (UINT64_C(1) << 63);
	default: return r->memory;
	}
}

static int by_key(const void *pa, const void *pb)
{
	const struct cache_row *a = pa, *b = pb;
	if (sort_col != S_NAME) {
		uint64_t x = key_of(a, sort_col), y = key_of(b, sort_col);
		if (x != y)
			return x < y ? 1 : -1;
	}
	return strcmp(a->c->name, b->c->name);
}

static unsigned log2u(uint64_t v)
{
	unsigned o = 0;
	while (v > 1) {
		v >>= 1;
		o++;
	}
	return o;
}

static void fill(struct trow *r, const struct cache_row *cr)
{
	const struct slab_cache *c = cr->c;
	trow_str(r, S_NAME, c->name);
	trow_count(r, S_ACTIVE, c->active_objs);
	trow_count(r, S_OBJS, c->num_objs);
	if (c->num_objs)
		trow_percent(r, S_USE, 100.0 * (double)c->active_objs / (double)c->num_objs);
	else
		trow_null(r, S_USE);
	trow_size(r, S_SLOT, c->objsize);
	trow_count(r, S_PER_SLAB, c->objperslab);
	trow_count(r, S_PAGES, c->pagesperslab);
	/* the kernel prints 1 << order: anything else has no order */
	if (c->pagesperslab && !(c->pagesperslab & (c->pagesperslab - 1)))
		trow_count(r, S_ORDER, log2u(c->pagesperslab));
	else
		trow_null(r, S_ORDER);
	trow_count(r, S_SLABS, c->num_slabs);
	trow_count(r, S_ACT_SLABS, c->active_slabs);
	trow_size(r, S_MEMORY, cr->memory);
	trow_size(r, S_WASTE, cr->wasted);
	for (int col = 0; col < S_NCOLS; col++) {
		int a = col_attr[col];
		if (a == SA_N)
			continue;
		if (!cr->sys.has[a])
			trow_null(r, (size_t)col);
		else if (col == S_RECLAIM)
			trow_bool(r, S_RECLAIM, cr->sys.v[a] != 0);
		else if (col == S_OBJSIZE)
			trow_size(r, S_OBJSIZE, cr->sys.v[a]);
		else
			trow_count(r, (size_t)col, cr->sys.v[a]);
	}
	trow_count(r, S_LIMIT, c->limit);
	trow_count(r, S_BATCH, c->batchcount);
	trow_count(r, S_SHARED, c->sharedfactor);
	trow_size_delta(r, S_CHANGE, cr->change);
	trow_size_delta(r, S_RATE, cr->rate);
}

/* The columns shown: the defaults unless -o replaces them, what -o adds, the sort key. */
static void columns_shown(const struct slab_args *a, bool *shown)
{
	cols_shown(slab_cols, S_NCOLS, a->tbl.columns, a->sort, shown);
}

struct kclass {
	char family[40];
	uint64_t bytes;
	const struct cache_row *r;
};

static int by_class(const void *pa, const void *pb)
{
	const struct kclass *a = pa, *b = pb;
	int c = strcmp(a->family, b->family);
	return c ? c : (a->bytes > b->bytes) - (a->bytes < b->bytes);
}

/* The kmalloc classes as bars of memory held, a family at a time, all on one scale. */
static int print_diagram(struct ctx *ctx, const struct cache_row *v, size_t n)
{
	struct out *o = &ctx->out;
	if (!out_shows(o, SHOW_TEXT))
		return 0; /* bars are text: the table is the JSON */
	struct kclass *k = calloc(n ? n : 1, sizeof(*k));
	struct diagram_hbar *rows = calloc(n ? n : 1, sizeof(*rows));
	if (!k || !rows) {
		free(k);
		free(rows);
		return -ENOMEM;
	}
	size_t nk = 0;
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (slab_kmalloc_class(v[i].c->name, k[nk].family, sizeof(k[nk].family), &k[nk].bytes)) {
			k[nk].r = &v[i];
			max = v[i].memory > max ? v[i].memory : max;
			nk++;
		}
	if (!nk) {
		diagram_note(o, "no kmalloc size classes in slabinfo (kmalloc-8 ... kmalloc-8k)", 0,
			     0, 0);
		free(k);
		free(rows);
		return 0;
	}
	qsort(k, nk, sizeof(*k), by_class);
	for (size_t i = 0; i < nk; i++) {
		char sz[32], held[32];
		const struct cache_row *r = k[i].r;
		units_human(k[i].bytes, sz, sizeof(sz));
		out_size_text(o, r->memory, held, sizeof(held));
		snprintf(rows[i].left, sizeof(rows[i].left), "  %6s", sz);
		rows[i].value = r->memory;
		uint64_t pages = r->c->pagesperslab;
		if (pages && !(pages & (pages - 1)))
			snprintf(rows[i].right, sizeof(rows[i].right), "%8s  order %u", held,
				 log2u(pages));
		else
			snprintf(rows[i].right, sizeof(rows[i].right), "%8s", held);
	}
	int width = diagram_hbars_width(o, rows, nk, 40);
	diagram_note(o, "kmalloc size classes: the memory their slabs hold, and the buddy order of "
			"a slab",
		     0, 0, 0);
	int e = 0;
	for (size_t i = 0; i < nk && !e;) {
		size_t j = i;
		uint64_t total = 0;
		while (j < nk && !strcmp(k[j].family, k[i].family))
			total += k[j++].r->memory;
		char fam[sizeof(k[i].family) * 4], held[32], head[256];
		escape_text(k[i].family, strlen(k[i].family), fam, sizeof(fam));
		out_size_text(o, total, held, sizeof(held));
		out_printf(o, "\n");
		snprintf(head, sizeof(head), "%s: %s in %zu classes", fam, held, j - i);
		diagram_note(o, head, 0, 0, 0);
		if (total)
			e = diagram_hbars(o, rows + i, j - i, max, width);
		i = j;
	}
	free(k);
	free(rows);
	return e;
}

/* The totals: slabinfo's, and meminfo's beside them with the difference. */
static void print_totals(struct ctx *ctx, const struct slabinfo *si, const struct cache_row *v,
			 bool reclaim_known, uint64_t ps)
{
	struct out *o = &ctx->out;
	struct slab_totals t;
	slabinfo_totals(si, ps, &t);
	uint64_t memory = t.memory, recl = 0;
	for (size_t i = 0; i < si->n; i++)
		if (v[i].sys.v[SA_RECLAIM_ACCOUNT])
			recl += v[i].memory;
	struct meminfo mi;
	struct ms_error merr = {0};
	bool have_mi = meminfo_read(&ctx->root, &mi, &merr) == 0;
	const struct meminfo_entry *slab = have_mi ? meminfo_get(&mi, "Slab") : NULL;
	const struct meminfo_entry *sr = have_mi ? meminfo_get(&mi, "SReclaimable") : NULL;
	const struct meminfo_entry *su = have_mi ? meminfo_get(&mi, "SUnreclaim") : NULL;

	char h[32], hs[32];
	units_human(memory, h, sizeof(h));
	if (ctx->bytes)
		snprintf(h, sizeof(h), "%llu", (unsigned long long)memory);
	out_printf(o, "\n%zu caches, %s in slabs", si->n, h);
	if (slab) {
		units_human(slab->value, hs, sizeof(hs));
		if (ctx->bytes)
			snprintf(hs, sizeof(hs), "%llu", (unsigned long long)slab->value);
		uint64_t d = memory > slab->value ? memory - slab->value : slab->value - memory;
		char hd[32];
		units_human(d, hd, sizeof(hd));
		if (ctx->bytes)
			snprintf(hd, sizeof(hd), "%llu", (unsigned long long)d);
		double pct = slab->value ? 100.0 * (double)d / (double)slab->value : 0;
		out_printf(o, "; meminfo Slab %s, %s %s (%.1f%%)", hs, hd,
			   memory >= slab->value ? "more in slabinfo" : "less in slabinfo", pct);
	} else {
		out_printf(o, "; meminfo's Slab %s", have_mi ? "not printed" : "not read");
	}
	out_printf(o, "\n");

	out_object(o, "totals");
	out_u64(o, SHOW_JSON, "caches", NULL, t.caches);
	out_u64(o, SHOW_JSON, "active_objs", NULL, t.active_objs);
	out_u64(o, SHOW_JSON, "num_objs", NULL, t.num_objs);
	out_u64(o, SHOW_JSON, "memory", NULL, memory);
	out_u64(o, SHOW_JSON, "wasted", NULL, t.wasted);
	if (reclaim_known) {
		out_u64(o, SHOW_JSON, "reclaimable", NULL, recl);
		out_u64(o, SHOW_JSON, "unreclaimable", NULL, memory - recl);
	} else {
		out_null(o, SHOW_JSON, "reclaimable", NULL);
		out_null(o, SHOW_JSON, "unreclaimable", NULL);
	}
	out_end(o);
	out_object(o, "meminfo");
	const struct meminfo_entry *m[3] = {slab, sr, su};
	const char *keys[3] = {"Slab", "SReclaimable", "SUnreclaim"};
	for (int i = 0; i < 3; i++)
		if (m[i])
			out_u64(o, SHOW_JSON, keys[i], NULL, m[i]->value);
		else
			out_null(o, SHOW_JSON, keys[i], NULL);
	/* slabinfo's memory less meminfo's: pages are exact, meminfo rounds to 1 kB, so a
	 * difference past 1 kB is the two counting differently, not rounding */
	if (slab)
		out_i64(o, SHOW_JSON, "difference", NULL, (int64_t)(memory - slab->value));
	else
		out_null(o, SHOW_JSON, "difference", NULL);
	if (slab && reclaim_known && sr)
		out_i64(o, SHOW_JSON, "reclaimable_difference", NULL, (int64_t)(recl - sr->value));
	else
		out_null(o, SHOW_JSON, "reclaimable_difference", NULL);
	out_end(o);
	if (have_mi)
		meminfo_free(&mi);
}

/* Each cache's change since the first frame (which it records), and its slope per minute. */
static int watch_changes(struct slab_watch *w, struct cache_row *v, size_t n)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!w->have_start) {
		w->v = calloc(n ? n : 1, sizeof(*w->v));
		if (!w->v)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			w->v[i].name = strdup(v[i].c->name);
			if (!w->v[i].name)
				return -ENOMEM;
			w->v[i].memory = v[i].memory;
			w->n++;
		}
		qsort(w->v, w->n, sizeof(*w->v), by_start_name);
		w->t0 = now;
		w->have_start = true;
		return 0;
	}
	double minutes = (double)(now.tv_sec - w->t0.tv_sec) / 60.0 +
			 (double)(now.tv_nsec - w->t0.tv_nsec) / 60e9;
	for (size_t i = 0; i < n; i++) {
		struct start_entry key = {(char *)v[i].c->name, 0};
		const struct start_entry *s = bsearch(&key, w->v, w->n, sizeof(*w->v), by_start_name);
		/* a cache made since the start grew from nothing */
		v[i].change = (int64_t)(v[i].memory - (s ? s->memory : 0));
		v[i].rate = minutes > 0 ? (int64_t)((double)v[i].change / minutes) : 0;
	}
	return 0;
}

/* slabinfo refused live (mode 0400, no privilege), or empty in a dump made without root:
 * meminfo's slab figures are still shown, with a line naming the file and what would show the
 * caches. */
static int refused_totals(struct ctx *ctx, struct ms_error *err)
{
	static const char *const keys[] = {"Slab", "SReclaimable", "SUnreclaim"};
	return meminfo_only(ctx, err, "slab totals", "caches", keys, sizeof(keys) / sizeof(keys[0]));
}

static int frame(struct ctx *ctx, struct slab_args *a, struct slab_watch *w,
		 struct ms_error *err)
{
	struct table *tb;
	int e = table_from_args(ctx, slab_cols, S_NCOLS, "caches", &a->tbl, w ? "+CHANGE,RATE" : NULL,
				&tb, err);
	if (e)
		return e;
	/* mode 0400 root: root or CAP_DAC_READ_SEARCH opens it; memscope's file capabilities
	 * are raised for this open of the live file only */
	struct slabinfo si;
	bool raised = !ctx->root.dir && caps_raise();
	int ret = slabinfo_read(&ctx->root, &si, err);
	if (raised)
		caps_lower();
	/* a dump's file this user may not open is the dump's fault, not the kernel's */
	bool withheld = ret == -EACCES && (!ctx->root.dir || !strncmp(err->reason, "empty file", 10));
	if (withheld && ctx->root.dir) {
		/* a dump made without root: what the live machine would show such a user */
		char file[sizeof(err->file)];
		snprintf(file, sizeof(file), "%s", err->file);
		ms_fail(err, ret, file, 0,
			"empty in the dump (the kernel shows slabinfo to root only, and the dump was "
			"made without)");
	}
	if (withheld) {
		table_free(tb);
		return refused_totals(ctx, err);
	}
	if (ret) {
		table_free(tb);
		return ret;
	}
	uint64_t ps = ctx_page_size(ctx);
	bool shown[S_NCOLS];
	columns_shown(a, shown);
	unsigned mask = 0;
	for (int c = 0; c < S_NCOLS; c++)
		if (shown[c] && col_attr[c] != SA_N)
			mask |= SA_BIT(col_attr[c]);
	/* the split by reclaimability needs every cache's reclaim_account: JSON asks for it */
	if (out_shows(&ctx->out, SHOW_JSON) && !si.tunables)
		mask |= SA_BIT(SA_RECLAIM_ACCOUNT);
	struct cache_row *v = calloc(si.n, sizeof(*v));
	if (!v) {
		table_free(tb);
		slabinfo_free(&si);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	bool sys_ok = mask != 0;
	if (sys_ok) {
		/* no /sys/kernel/slab at all (SLAB, or a dump without it): the columns stay
		 * empty, said once */
		struct ms_error perr = {0};
		sys_ok = sysroot_exists(&ctx->root, "sys/kernel/slab", true, &perr) == 0;
		if (!sys_ok && (mask & ~SA_BIT(SA_RECLAIM_ACCOUNT) || shown[S_RECLAIM]))
			ctx_note(ctx, "%s: the sysfs columns are empty",
				 ctx->root.dir ? "the dump has no sys/kernel/slab"
					       : "this kernel has no /sys/kernel/slab (not SLUB)");
	}
	bool reclaim_known = sys_ok && (mask & SA_BIT(SA_RECLAIM_ACCOUNT));
	for (size_t i = 0; i < si.n; i++) {
		const struct slab_cache *c = &si.v[i];
		v[i].c = c;
		v[i].memory = slab_cache_memory(c, ps);
		v[i].wasted = slab_cache_wasted(c, ps);
		if (!sys_ok)
			continue;
		struct ms_error serr = {0};
		int r = slabsys_read(&ctx->root, c->name, mask, &v[i].sys, &serr);
		/* a cache sysfs does not list (a name it cannot hold): its cells stay empty */
		if (r && r != -ENOENT && r != -EINVAL) {
			free(v);
			table_free(tb);
			slabinfo_free(&si);
			*err = serr;
			return r;
		}
		if (!v[i].sys.has[SA_RECLAIM_ACCOUNT])
			reclaim_known = false;
	}
	if (w && watch_changes(w, v, si.n)) {
		free(v);
		table_free(tb);
		slabinfo_free(&si);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	sort_col = a->sort ? col_lookup(slab_cols, S_NCOLS, a->sort) : S_MEMORY;
	qsort(v, si.n, sizeof(*v), by_key);
	size_t n = si.n;
	if (a->top && (size_t)a->top < n)
		n = (size_t)a->top;
	if (w)
		out_i64(&ctx->out, SHOW_JSON, "frame", NULL, w->frame);
	out_str(&ctx->out, SHOW_JSON, "allocator", NULL, si.tunables ? "SLAB" : "SLUB");
	ctx_machine_json(ctx, false, true);
	if (a->diagram)
		table_show(tb, SHOW_JSON); /* the text is the picture */
	for (size_t i = 0; !e && i < n; i++) {
		struct trow *r = table_add(tb, NULL);
		fill(r, &v[i]);
	}
	if (!e)
		e = table_print(tb, &ctx->out);
	if (!e && a->diagram)
		e = print_diagram(ctx, v, si.n);
	if (!e)
		print_totals(ctx, &si, v, reclaim_known, ps);
	free(v);
	table_free(tb);
	slabinfo_free(&si);
	return printed(e, err);
}

static int watch_frame(struct ctx *ctx, void *arg, struct ms_error *err)
{
	void **c = arg;
	struct slab_watch *w = c[1];
	int rc = frame(ctx, c[0], w, err);
	w->frame++;
	return rc;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct slab_args *a = args;
	if (!a->watch.on)
		return frame(ctx, a, NULL, err);
	struct slab_watch w = {0};
	void *c[2] = {a, &w};
	int rc = watch_loop(ctx, "slab", a->watch.interval_ms, a->watch.count, watch_frame, c, err);
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i].name);
	free(w.v);
	return rc;
}

COMMAND(slab, struct slab_args,
	.summary = "slab caches: objects, sizes, memory held and wasted, against meminfo",
	.flags = CMD_SYSROOT | CMD_OUTPUT, .columns = &slab_columns);
