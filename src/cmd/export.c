/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope export: this machine's memory as Prometheus metrics (the text exposition format, or
 * OpenMetrics), with the derived values no exporter has: free bytes per order and at or above
 * it, the unusable free space index, headroom above the watermarks; beside them compaction,
 * hugetlb pools, slab and per-node memory. --textfile DIR writes DIR/memscope.prom whole
 * (a temporary renamed over it) for node_exporter's textfile collector. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "decode/frag.h"
#include "opts.h"
#include "proc/buddyinfo.h"
#include "proc/meminfo.h"
#include "proc/node.h"
#include "proc/slabinfo.h"
#include "proc/vmstat.h"
#include "proc/zoneinfo.h"
#include "sys/caps.h"

enum { FMT_PROMETHEUS, FMT_OPENMETRICS };

struct export_args {
	int format;
	const char *textfile;
	long top;
};

static const struct opts export_opts = {
	.opt = OPTIONS(
		OPT_CHOICE("format", 'f', "prometheus|openmetrics", struct export_args, format,
			   FMT_PROMETHEUS, "prometheus or openmetrics",
			   "The exposition format: Prometheus' text format (the default), or "
			   "OpenMetrics (counters' TYPE without _total, # EOF at the end)",
			   "prometheus", "openmetrics"),
		OPT_STR("textfile", 0, "DIR", struct export_args, textfile,
			"Write DIR/memscope.prom for node_exporter's textfile collector instead of "
			"stdout: whole, through a temporary file renamed over it, so a scrape never "
			"reads half of it"),
		OPT_NUM("top", 'n', "N", struct export_args, top, 1, 1000, "a number from 1 to 1000",
			"The N slab caches that hold the most memory get a series each (default 10)")),
	.doc = "Print this machine's memory as Prometheus metrics: free blocks and bytes per "
	       "node, zone and order from /proc/buddyinfo, the bytes free at or above each order "
	       "and the unusable free space index per order (what a high-order allocation can "
	       "get); each zone's free pages, managed pages and min/low/high watermarks from "
	       "/proc/zoneinfo, and the headroom above each; compaction and allocation-stall "
	       "counters from /proc/vmstat; hugetlb pools per page size; slab memory from "
	       "meminfo and the largest caches from /proc/slabinfo (root); and per-node memory "
	       "and numastat counters. Names follow Prometheus' conventions: memscope_ prefix, "
	       "base units (_bytes, _ratio), _total for counters; no timestamps.\v"
	       "buddyinfo is required; a file missing from a dump, or slabinfo without root, "
	       "leaves its metrics out and says so on stderr. With --json the same samples come "
	       "as one JSON document.",
};

/* ---- writing families and samples ---- */

struct exp {
	struct out *o;
	bool om;	  /* OpenMetrics */
	const char *name; /* the open family */
	bool counter;
	uint64_t samples;
};

/* A label value as the format wants it: backslash, double quote and newline escaped */
static void label_value(const char *v, char *buf, size_t size)
{
	size_t k = 0;
	for (; *v && k + 3 < size; v++) {
		if (*v == '\\' || *v == '"') {
			buf[k++] = '\\';
			buf[k++] = *v;
		} else if (*v == '\n') {
			buf[k++] = '\\';
			buf[k++] = 'n';
		} else {
			buf[k++] = *v;
		}
	}
	buf[k] = '\0';
}

static void family(struct exp *x, const char *name, bool counter, const char *help)
{
	struct out *o = x->o;
	if (x->name)
		out_end(o), out_end(o); /* the samples, the family */
	x->name = name;
	x->counter = counter;
	/* OpenMetrics names a counter's family without its _total; Prometheus' text format with */
	size_t n = strlen(name);
	int fl = x->om && counter && n > 6 && !strcmp(name + n - 6, "_total") ? (int)n - 6 : (int)n;
	out_printf(o, "# HELP %.*s %s\n# TYPE %.*s %s\n", fl, name, help, fl, name,
		   counter ? "counter" : "gauge");
	out_object(o, NULL);
	out_str(o, SHOW_JSON, "name", NULL, name);
	out_str(o, SHOW_JSON, "type", NULL, counter ? "counter" : "gauge");
	out_str(o, SHOW_JSON, "help", NULL, help);
	out_array(o, "samples");
}

/* One sample of the open family: @nl label pairs (name, value, name, value...), the value an
 * integer (@frac 0) or @v / @frac written exactly (thousandths: 0.125) */
static void sample(struct exp *x, const char *const *labels, size_t nl, int64_t v, unsigned frac)
{
	struct out *o = x->o;
	char text[1024];
	size_t len = (size_t)snprintf(text, sizeof(text), "%s", x->name);
	out_object(o, NULL);
	out_object(o, "labels");
	for (size_t i = 0; i + 1 < nl * 2; i += 2) {
		char esc[256];
		label_value(labels[i + 1], esc, sizeof(esc));
		if (len < sizeof(text))
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s=\"%s\"",
						i ? "," : "{", labels[i], esc);
		out_str(o, SHOW_JSON, labels[i], NULL, labels[i + 1]);
	}
	out_end(o);
	if (nl && len < sizeof(text))
		len += (size_t)snprintf(text + len, sizeof(text) - len, "}");
	char val[48];
	if (frac == 1000)
		snprintf(val, sizeof(val), "%" PRId64 ".%03" PRId64, v / 1000, v % 1000);
	else
		snprintf(val, sizeof(val), "%" PRId64, v);
	out_printf(o, "%s %s\n", text, val);
	if (frac == 1000)
		out_str(o, SHOW_JSON, "value", NULL, val); /* exact, as the text has it */
	else
		out_i64(o, SHOW_JSON, "value", NULL, v);
	out_end(o);
	x->samples++;
}

static int64_t clamp(uint64_t v)
{
	return v > INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* ---- the metrics ---- */

static void buddy_metrics(struct exp *x, const struct buddyinfo *bi, uint64_t ps)
{
	static const char *const what[] = {"free_blocks", "free_bytes", "free_at_or_above_bytes",
					   "unusable_ratio"};
	static const char *const help[] = {
		"Free blocks of 2^order pages in the zone's buddy free lists (/proc/buddyinfo)",
		"Bytes free in blocks of exactly this order",
		"Bytes free in blocks of this order or larger: what an allocation of this order can use",
		("Unusable free space index for an allocation of this order (mm/vmstat.c "
		 "unusable_free_index): 0 every free page can serve it, 1 none can")};
	for (int m = 0; m < 4; m++) {
		char name[64];
		snprintf(name, sizeof(name), "memscope_buddy_%s", what[m]);
		family(x, name, false, help[m]);
		unsigned no = bi->orders < BUDDY_MAX_ORDERS ? bi->orders : BUDDY_MAX_ORDERS;
		for (size_t z = 0; z < bi->n; z++) {
			const struct buddy_zone *b = &bi->v[z];
			char node[16], ord[16];
			snprintf(node, sizeof(node), "%u", b->node);
			for (unsigned k = 0; k < no; k++) {
				snprintf(ord, sizeof(ord), "%u", k);
				const char *l[] = {"node", node, "zone", b->zone, "order", ord};
				uint64_t above = 0;
				for (unsigned j = k; j < no; j++)
					above += (b->free[j] << j) * ps;
				if (m == 0)
					sample(x, l, 3, clamp(b->free[k]), 0);
				else if (m == 1)
					sample(x, l, 3, clamp((b->free[k] << k) * ps), 0);
				else if (m == 2)
					sample(x, l, 3, clamp(above), 0);
				else
					sample(x, l, 3,
					       frag_unusable_index(b->free, no, k), 1000);
			}
		}
	}
}

static void zone_metrics(struct exp *x, const struct zoneinfo *zi, uint64_t ps)
{
	static const char *const lv[] = {"min", "low", "high"};
	static const enum zone_field wf[] = {ZF_FREE + 1, ZF_FREE + 2, ZF_FREE + 3};
	_Static_assert(ZF_MIN == ZF_FREE + 1 && ZF_LOW == ZF_FREE + 2 && ZF_HIGH == ZF_FREE + 3,
		       "the watermarks follow free");
	struct {
		const char *name, *help;
		int field; /* -1: the watermarks, -2: headroom */
	} fams[] = {
		{"memscope_zone_free_bytes", "Free pages of the zone (/proc/zoneinfo pages free)",
		 ZF_FREE},
		{"memscope_zone_managed_bytes", "Pages the zone's buddy allocator manages", ZF_MANAGED},
		{"memscope_zone_present_bytes", "Pages present in the zone", ZF_PRESENT},
		{"memscope_zone_watermark_bytes",
		 "The zone's watermarks: below low kswapd wakes, below min allocations stall", -1},
		{"memscope_zone_watermark_headroom_bytes",
		 "Free bytes above each watermark (negative: below it)", -2},
	};
	for (size_t f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		family(x, fams[f].name, false, fams[f].help);
		for (size_t z = 0; z < zi->n; z++) {
			const struct zone *zn = &zi->v[z];
			char node[16];
			snprintf(node, sizeof(node), "%u", zn->node);
			if (fams[f].field >= 0) {
				if (!zn->has[fams[f].field])
					continue;
				const char *l[] = {"node", node, "zone", zn->name};
				sample(x, l, 2, clamp(zn->f[fams[f].field] * ps), 0);
				continue;
			}
			for (int w = 0; w < 3; w++) {
				if (!zn->has[wf[w]] || (fams[f].field == -2 && !zn->has[ZF_FREE]))
					continue;
				const char *l[] = {"node", node, "zone", zn->name, "level", lv[w]};
				int64_t v = clamp(zn->f[wf[w]] * ps);
				if (fams[f].field == -2)
					v = clamp(zn->f[ZF_FREE] * ps) - v;
				sample(x, l, 3, v, 0);
			}
		}
	}
}

static void vmstat_metrics(struct exp *x, const struct vmstat *vs)
{
	static const struct {
		enum vmstat_counter c;
		const char *name, *help;
	} m[] = {
		{VM_COMPACT_STALL, "memscope_compaction_stalls_total",
		 "Allocations that stalled for direct compaction (vmstat compact_stall)"},
		{VM_COMPACT_FAIL, "memscope_compaction_failures_total",
		 "Direct compactions that freed no block of the order asked (compact_fail)"},
		{VM_COMPACT_SUCCESS, "memscope_compaction_successes_total",
		 "Direct compactions that did (compact_success)"},
		{VM_ALLOCSTALL, "memscope_allocation_stalls_total",
		 "Allocations that entered direct reclaim (allocstall_*)"},
		{VM_THP_FAULT_FALLBACK, "memscope_thp_fault_fallbacks_total",
		 "THP faults that fell back to small pages (thp_fault_fallback)"},
		{VM_HTLB_BUDDY_ALLOC_FAIL, "memscope_hugetlb_buddy_alloc_failures_total",
		 "Huge pages the buddy allocator could not give hugetlb (htlb_buddy_alloc_fail)"},
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		if (!vs->has[m[i].c])
			continue;
		family(x, m[i].name, true, m[i].help);
		sample(x, NULL, 0, clamp(vs->v[m[i].c]), 0);
	}
}

static void hugetlb_metrics(struct exp *x, const struct hugepool *p, int n)
{
	static const char *const names[] = {"memscope_hugetlb_pages", "memscope_hugetlb_free_pages",
					    "memscope_hugetlb_reserved_pages",
					    "memscope_hugetlb_surplus_pages", "memscope_hugetlb_bytes"};
	static const char *const help[] = {
		"Huge pages in the pool of the size (nr_hugepages)", "Of them, not allocated",
		"Reserved for mappings, not yet faulted in", "Allocated above nr_hugepages",
		"The pool's pages times their size"};
	for (int m = 0; m < 5; m++) {
		family(x, names[m], false, help[m]);
		for (int i = 0; i < n; i++) {
			char sz[24];
			snprintf(sz, sizeof(sz), "%" PRIu64, p[i].page_size);
			const char *l[] = {"page_size", sz};
			uint64_t v[] = {p[i].nr, p[i].free, p[i].resv, p[i].surplus,
					p[i].nr * p[i].page_size};
			if (m == 2 && !p[i].has_resv)
				continue;
			sample(x, l, 1, clamp(v[m]), 0);
		}
	}
}

struct cache_mem {
	const struct slab_cache *c;
	uint64_t memory;
};

static int by_memory(const void *a, const void *b)
{
	uint64_t x = ((const struct cache_mem *)a)->memory, y = ((const struct cache_mem *)b)->memory;
	return (x < y) - (x > y);
}

static void slab_metrics(struct exp *x, const struct meminfo *mi, const struct slabinfo *si,
			 uint64_t ps, long top)
{
	const struct meminfo_entry *r = mi ? meminfo_get(mi, "SReclaimable") : NULL,
				   *u = mi ? meminfo_get(mi, "SUnreclaim") : NULL;
	if (r || u) {
		family(x, "memscope_slab_bytes",
		       false, "Slab memory by kind (meminfo SReclaimable, SUnreclaim)");
		if (r)
			sample(x, (const char *[]){"type", "reclaimable"}, 1, clamp(r->value), 0);
		if (u)
			sample(x, (const char *[]){"type", "unreclaimable"}, 1, clamp(u->value), 0);
	}
	if (!si || !si->n)
		return;
	struct cache_mem *v = malloc(si->n * sizeof(*v));
	if (!v)
		return;
	for (size_t i = 0; i < si->n; i++)
		v[i] = (struct cache_mem){&si->v[i], slab_cache_memory(&si->v[i], ps)};
	qsort(v, si->n, sizeof(*v), by_memory);
	family(x, "memscope_slab_cache_bytes", false,
	       "Memory held by the slab caches that hold the most (/proc/slabinfo: slabs x pages "
	       "per slab)");
	for (size_t i = 0; i < si->n && i < (size_t)top; i++)
		sample(x, (const char *[]){"cache", v[i].c->name}, 1, clamp(v[i].memory), 0);
	free(v);
}

static void node_metrics(struct exp *x, const struct node *v, size_t n)
{
	static const struct {
		const char *key, *name, *help;
	} mem[] = {
		{"MemTotal", "memscope_node_memory_total_bytes", "The node's MemTotal (its managed pages)"},
		{"MemFree", "memscope_node_memory_free_bytes", "The node's MemFree"},
		{"FilePages", "memscope_node_file_bytes", "The node's page cache (FilePages)"},
		{"AnonPages", "memscope_node_anon_bytes", "The node's anonymous memory (AnonPages)"},
		{"Slab", "memscope_node_slab_bytes", "The node's slab memory"},
	};
	for (size_t m = 0; m < sizeof(mem) / sizeof(mem[0]); m++) {
		family(x, mem[m].name, false, mem[m].help);
		for (size_t i = 0; i < n; i++) {
			const struct meminfo_entry *e = meminfo_get(&v[i].mi, mem[m].key);
			if (!e || !e->bytes)
				continue;
			char id[16];
			snprintf(id, sizeof(id), "%u", v[i].id);
			sample(x, (const char *[]){"node", id}, 1, clamp(e->value), 0);
		}
	}
	static const struct {
		enum numastat_counter c;
		const char *name, *help;
	} ns[] = {
		{NS_HIT, "memscope_node_numa_hit_pages_total", "Pages allocated on the node as intended"},
		{NS_MISS, "memscope_node_numa_miss_pages_total",
		 "Pages allocated on the node though meant for another"},
		{NS_FOREIGN, "memscope_node_numa_foreign_pages_total",
		 "Pages meant for the node allocated on another"},
	};
	for (size_t m = 0; m < sizeof(ns) / sizeof(ns[0]); m++) {
		family(x, ns[m].name, true, ns[m].help);
		for (size_t i = 0; i < n; i++) {
			if (!v[i].has_numastat || !v[i].ns.has[ns[m].c])
				continue;
			char id[16];
			snprintf(id, sizeof(id), "%u", v[i].id);
			sample(x, (const char *[]){"node", id}, 1, clamp(v[i].ns.v[ns[m].c]), 0);
		}
	}
}

/* ---- reading everything, then writing ---- */

struct sources {
	struct buddyinfo bi;
	struct zoneinfo zi;
	bool have_zi;
	struct vmstat vs;
	bool have_vs;
	struct meminfo mi;
	bool have_mi;
	struct slabinfo si;
	bool have_si;
	struct hugepool pools[HUGEPOOL_MAX];
	int n_pools;
	struct node *nodes;
	size_t n_nodes;
};

/* An optional source that could not be read: its metrics left out, said */
static void missing(struct ctx *ctx, const struct ms_error *e, const char *what)
{
	ctx_note(ctx, "'%s': %s: %s left out", e->file, e->reason, what);
}

/* What reading an optional source came to: 1 read, 0 left out (missing, or not allowed: said,
 * naming @what), or the failure of a file that is there (-errno, @err filled from @le) */
static int optional(struct ctx *ctx, int e, const struct ms_error *le, const char *what,
		    struct ms_error *err)
{
	if (!e)
		return 1;
	if (e == -ENOENT || e == -EACCES) {
		missing(ctx, le, what);
		return 0;
	}
	*err = *le;
	return e;
}

static int read_all(struct ctx *ctx, struct sources *s, struct ms_error *err)
{
	const struct sysroot *sr = &ctx->root;
	int e = buddyinfo_read(sr, &s->bi, err);
	if (e)
		return e;
	struct ms_error le = {0};
	int r;
	if ((r = optional(ctx, zoneinfo_read(sr, &s->zi, &le), &le,
			  "the zones' watermarks and headroom are", err)) < 0)
		return r;
	s->have_zi = r;
	if ((r = optional(ctx, vmstat_read(sr, &s->vs, &le), &le, "the compaction counters are",
			  err)) < 0)
		return r;
	s->have_vs = r;
	if ((r = optional(ctx, meminfo_read(sr, &s->mi, &le), &le, "slab memory is", err)) < 0)
		return r;
	s->have_mi = r;
	bool raised = !ctx->root.dir && caps_raise();
	e = slabinfo_read(sr, &s->si, &le);
	if (raised)
		caps_lower();
	if (!e)
		s->have_si = true;
	else if (e == -ENOENT || e == -EACCES)
		ctx_note(ctx, "'%s': %s: the largest slab caches are left out%s", le.file, le.reason,
			 e == -EACCES && !ctx->root.dir
				 ? " (slabinfo is mode 0400: root or CAP_DAC_READ_SEARCH reads it)"
				 : "");
	else
		return *err = le, e;
	if ((s->n_pools = hugepools_read(sr, "sys/kernel/mm/hugepages", s->pools, err)) < 0)
		return s->n_pools;
	unsigned *ids = NULL;
	int n = node_list(sr, &ids, err);
	if (n < 0)
		return n;
	s->nodes = calloc(n ? (size_t)n : 1, sizeof(*s->nodes));
	if (!s->nodes) {
		free(ids);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	for (e = 0; !e && s->n_nodes < (size_t)n; s->n_nodes++)
		if ((e = node_read(sr, ids[s->n_nodes], &s->nodes[s->n_nodes], err)))
			break;
	free(ids);
	return e;
}

static void free_all(struct sources *s)
{
	buddyinfo_free(&s->bi);
	if (s->have_zi)
		zoneinfo_free(&s->zi);
	if (s->have_mi)
		meminfo_free(&s->mi);
	if (s->have_si)
		slabinfo_free(&s->si);
	for (size_t i = 0; i < s->n_nodes; i++)
		node_free(&s->nodes[i]);
	free(s->nodes);
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct export_args *a = args;
	struct sources s = {0};
	int e = read_all(ctx, &s, err);
	if (e) {
		free_all(&s);
		return e;
	}
	/* everything read: only now the file, so a failed read leaves the old one in place */
	if (a->textfile) {
		static char path[4096]; /* the output file keeps it until it is renamed, after run() */
		if (snprintf(path, sizeof(path), "%s/memscope.prom", a->textfile) >= (int)sizeof(path))
			e = ms_usage(err, "--textfile: the directory's name is too long");
		else
			e = ctx_output_file(ctx, path, err);
		if (e) {
			free_all(&s);
			return e;
		}
	}
	uint64_t ps = ctx_page_size(ctx);
	struct exp x = {.o = &ctx->out, .om = a->format == FMT_OPENMETRICS};
	out_array(&ctx->out, "metrics");
	buddy_metrics(&x, &s.bi, ps);
	if (s.have_zi)
		zone_metrics(&x, &s.zi, ps);
	if (s.have_vs)
		vmstat_metrics(&x, &s.vs);
	if (s.n_pools)
		hugetlb_metrics(&x, s.pools, s.n_pools);
	slab_metrics(&x, s.have_mi ? &s.mi : NULL, s.have_si ? &s.si : NULL, ps,
		     a->top ? a->top : 10);
	if (s.n_nodes)
		node_metrics(&x, s.nodes, s.n_nodes);
	if (x.name)
		out_end(&ctx->out), out_end(&ctx->out);
	out_end(&ctx->out);
	if (x.om)
		out_printf(&ctx->out, "# EOF\n");
	out_u64(&ctx->out, SHOW_JSON, "samples", NULL, x.samples);
	free_all(&s);
	return 0;
}

COMMAND(export, struct export_args,
	.summary = "memory as Prometheus metrics: fragmentation, watermarks, pools, slab, nodes",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
