/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope hugepages: huge pages of both kinds. Hugetlb's reserved pools, per size and per node,
 * with what meminfo says of them; transparent huge pages' policy, khugepaged, every multi-size
 * THP size and the kernel's counters. With PIDs: each process's huge memory per mapping, from
 * smaps, and the large folios behind it by order from pagemap and kpageflags (root), as the
 * kernel's tools/mm/thpmaps reports them. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/process.h"
#include "lib/pagebits.h"
#include "out/record.h"
#include "out/table.h"
#include "proc/kpage.h"
#include "proc/meminfo.h"
#include "proc/node.h"
#include "proc/pagewalk.h"
#include "proc/thp.h"
#include "proc/vmstat.h"
#include "sys/caps.h"

struct hugepages_args {
	char **pids;
	int npids;
	bool all;
};

static const struct opts hugepages_opts = {
	.opt = OPTIONS(OPT_BOOL("all", 'a', struct hugepages_args, all,
				"With PIDs: list every mapping, not only those with huge pages or "
				"large folios")),
	.doc = "Show huge pages: the hugetlb pools per page size and per node "
	       "(/sys/kernel/mm/hugepages, /sys/devices/system/node/nodeN/hugepages) against "
	       "meminfo's HugePages_* and Hugetlb; transparent huge pages' policy, khugepaged and "
	       "every multi-size THP size with its counters (/sys/kernel/mm/transparent_hugepage); "
	       "and /proc/vmstat's huge page counters.\v"
	       "With PIDs, each process's mappings that hold huge memory: hugetlb pages, and "
	       "smaps' AnonHugePages, ShmemPmdMapped and FilePmdMapped; as root, also the large "
	       "folios behind them by order (from /proc/PID/pagemap and /proc/kpageflags): anon "
	       "or file, mapped whole or in part, aligned to their size or not. Without "
	       "CAP_SYS_ADMIN the folios are hidden and smaps' figures are shown alone, said on "
	       "stderr.",
	.args_doc = "[PID...]",
	.pid_self = true,
	/* none given: the machine's view */
	OPTS_LIST(struct hugepages_args, pids, npids, NULL, pid_check, "PID", "a number, or self"),
};

/* ---- the hugetlb pools ---- */

enum { P_SIZE, P_DEFAULT, P_PAGES, P_FREE, P_RESV, P_SURPLUS, P_OVERCOMMIT, P_TOTAL, P_USED,
       P_NCOLS };
#define NUM (COLF_DEFAULT | COLF_RIGHT)
static const struct col_def pool_cols[] = {
	[P_SIZE] = {"SIZE", "page_size", COL_SIZE, NUM, "huge page size", NULL},
	[P_DEFAULT] = {"DEFAULT", "default", COL_BOOL, COLF_DEFAULT,
		       "the default size (meminfo's Hugepagesize)", NULL},
	[P_PAGES] = {"PAGES", "nr_hugepages", COL_COUNT, NUM, "pages in the pool", NULL},
	[P_FREE] = {"FREE", "free_hugepages", COL_COUNT, NUM, "not allocated", NULL},
	[P_RESV] = {"RESV", "resv_hugepages", COL_COUNT, NUM,
		    "reserved for mappings, not yet faulted in", NULL},
	[P_SURPLUS] = {"SURPLUS", "surplus_hugepages", COL_COUNT, NUM,
		       "allocated above nr_hugepages, under the overcommit limit", NULL},
	[P_OVERCOMMIT] = {"OVERCOMMIT", "nr_overcommit_hugepages", COL_COUNT, NUM,
			  "how many surplus pages may be made", NULL},
	[P_TOTAL] = {"TOTAL", "total", COL_SIZE, NUM, "PAGES x SIZE", NULL},
	[P_USED] = {"USED", "used", COL_SIZE, NUM, "(PAGES - FREE) x SIZE", NULL},
};

enum { NP_NODE, NP_SIZE, NP_PAGES, NP_FREE, NP_SURPLUS, NP_TOTAL, NP_USED, NP_NCOLS };
static const struct col_def node_pool_cols[] = {
	[NP_NODE] = {"NODE", "node", COL_COUNT, NUM, "node", NULL},
	[NP_SIZE] = {"SIZE", "page_size", COL_SIZE, NUM, "huge page size", NULL},
	[NP_PAGES] = {"PAGES", "nr_hugepages", COL_COUNT, NUM, "pages of the pool on the node", NULL},
	[NP_FREE] = {"FREE", "free_hugepages", COL_COUNT, NUM, "not allocated", NULL},
	[NP_SURPLUS] = {"SURPLUS", "surplus_hugepages", COL_COUNT, NUM, "surplus pages", NULL},
	[NP_TOTAL] = {"TOTAL", "total", COL_SIZE, NUM, "PAGES x SIZE", NULL},
	[NP_USED] = {"USED", "used", COL_SIZE, NUM, "(PAGES - FREE) x SIZE", NULL},
};

/* ---- the multi-size THP sizes ---- */

enum { T_SIZE, T_ORDER, T_ENABLED, T_SHMEM, T_ANON, T_ANON_MEM, T_STAT0 };
#define T_NCOLS (T_STAT0 + TS_N)
/* the stats shown in text; the others are in JSON alone */
static const bool stat_text[TS_N] = {
	[TS_NR_ANON_PARTIAL] = true, [TS_ANON_FAULT_ALLOC] = true, [TS_ANON_FAULT_FALLBACK] = true,
	[TS_SPLIT] = true, [TS_SWPOUT] = true,
};
static const char *const stat_head[TS_N] = {
	[TS_NR_ANON] = "NR_ANON", [TS_NR_ANON_PARTIAL] = "PARTIAL",
	[TS_ANON_FAULT_ALLOC] = "ALLOC", [TS_ANON_FAULT_FALLBACK] = "FALLBACK",
	[TS_ANON_FAULT_FALLBACK_CHARGE] = "FALLBACK_CHARGE", [TS_ANON_FAULT_DECLINED] = "DECLINED",
	[TS_SPLIT] = "SPLIT",
	[TS_SPLIT_FAILED] = "SPLIT_FAILED", [TS_SPLIT_DEFERRED] = "SPLIT_DEFERRED",
	[TS_SWPOUT] = "SWPOUT", [TS_SWPOUT_FALLBACK] = "SWPOUT_FALLBACK", [TS_ZSWPOUT] = "ZSWPOUT",
	[TS_SWPIN] = "SWPIN", [TS_SWPIN_FALLBACK] = "SWPIN_FALLBACK",
	[TS_SWPIN_FALLBACK_CHARGE] = "SWPIN_FALLBACK_CHARGE", [TS_SHMEM_ALLOC] = "SHMEM_ALLOC",
	[TS_SHMEM_FALLBACK] = "SHMEM_FALLBACK", [TS_SHMEM_FALLBACK_CHARGE] = "SHMEM_FALLBACK_CHARGE",
};

static void thp_cols(struct col_def *c)
{
	c[T_SIZE] = (struct col_def){"SIZE", "size", COL_SIZE, NUM, "folio size", NULL};
	c[T_ORDER] = (struct col_def){"ORDER", "order", COL_COUNT, NUM, "its order", NULL};
	c[T_ENABLED] = (struct col_def){"ENABLED", "enabled", COL_STR, COLF_DEFAULT,
					"anonymous memory: always, madvise, inherit, never", NULL};
	c[T_SHMEM] = (struct col_def){"SHMEM", "shmem_enabled", COL_STR, COLF_DEFAULT,
				      "shmem and tmpfs", NULL};
	c[T_ANON] = (struct col_def){"ANON", "nr_anon", COL_COUNT, NUM,
				     "anonymous folios of the size now (stats/nr_anon)", NULL};
	c[T_ANON_MEM] = (struct col_def){"ANON_MEM", "anon_bytes", COL_SIZE, NUM,
					 "ANON x SIZE", NULL};
	for (int s = 0; s < TS_N; s++)
		c[T_STAT0 + s] = (struct col_def){
			stat_head[s], thp_stat_name((enum thp_stat)s), COL_COUNT,
			s == TS_NR_ANON ? 0
			: stat_text[s]	? NUM
					: NUM | COLF_SHOW(SHOW_JSON),
			"stats/ counter", NULL};
}

/* ---- reading ---- */

struct sys_view {
	struct hugepool pools[HUGEPOOL_MAX];
	int n_pools;
	unsigned *ids;
	int n_nodes;
	struct hugepool (*node_pools)[HUGEPOOL_MAX];
	int *n_node_pools;
	struct meminfo mi;
	bool have_mi;
	struct thp thp;
	struct vmstat vs;
	bool have_vs;
};

static void sys_free(struct sys_view *s)
{
	free(s->ids);
	free(s->node_pools);
	free(s->n_node_pools);
	if (s->have_mi)
		meminfo_free(&s->mi);
}

/* What a dump or an older kernel lacks is left out and said; a file that is there and bad
 * fails the command */
static int sys_read(struct ctx *ctx, struct sys_view *s, struct ms_error *err)
{
	const struct sysroot *sr = &ctx->root;
	int e;
	if ((s->n_pools = hugepools_read(sr, "sys/kernel/mm/hugepages", s->pools, err)) < 0)
		return s->n_pools;
	if ((s->n_nodes = node_list(sr, &s->ids, err)) < 0)
		return s->n_nodes;
	s->node_pools = calloc((size_t)s->n_nodes + 1, sizeof(*s->node_pools));
	s->n_node_pools = calloc((size_t)s->n_nodes + 1, sizeof(int));
	if (!s->node_pools || !s->n_node_pools)
		return ms_say(err, -ENOMEM, "out of memory");
	for (int i = 0; i < s->n_nodes; i++) {
		char dir[96];
		snprintf(dir, sizeof(dir), "sys/devices/system/node/node%u/hugepages", s->ids[i]);
		if ((s->n_node_pools[i] = hugepools_read(sr, dir, s->node_pools[i], err)) < 0)
			return s->n_node_pools[i];
	}
	struct ms_error lerr = {0};
	e = meminfo_read(sr, &s->mi, &lerr);
	if (e == -ENOENT)
		ctx_note(ctx, "'%s': %s: meminfo's HugePages_* and THP figures are not shown",
			 lerr.file, lerr.reason);
	else if (e)
		return *err = lerr, e;
	s->have_mi = !e;
	if ((e = thp_read(sr, &s->thp, err)))
		return e;
	e = vmstat_read(sr, &s->vs, &lerr);
	if (e == -ENOENT)
		ctx_note(ctx, "'%s': %s: the counters are not shown", lerr.file, lerr.reason);
	else if (e)
		return *err = lerr, e;
	s->have_vs = !e;
	if (!s->n_pools && !s->thp.present)
		ctx_note(ctx, "%s no sys/kernel/mm/hugepages nor transparent_hugepage: no hugetlb "
			      "pools, no THP (a kernel without them, or a dump without /sys)",
			 ctx->root.dir ? "the dump has" : "this kernel has");
	return 0;
}

/* ---- showing ---- */

static const struct meminfo_entry *mi_get(const struct sys_view *s, const char *key)
{
	return s->have_mi ? meminfo_get(&s->mi, key) : NULL;
}

static int print_pools(struct ctx *ctx, const struct sys_view *s)
{
	struct out *o = &ctx->out;
	const struct meminfo_entry *dsz = mi_get(s, "Hugepagesize");
	struct table *tb = table_new(pool_cols, P_NCOLS, "pools");
	if (!tb)
		return -ENOMEM;
	uint64_t total = 0;
	for (int i = 0; i < s->n_pools; i++) {
		const struct hugepool *h = &s->pools[i];
		struct trow *r = table_add(tb, NULL);
		trow_size(r, P_SIZE, h->page_size);
		if (dsz)
			trow_bool(r, P_DEFAULT, dsz->value == h->page_size);
		else
			trow_null(r, P_DEFAULT);
		trow_count(r, P_PAGES, h->nr);
		trow_count(r, P_FREE, h->free);
		if (h->has_resv)
			trow_count(r, P_RESV, h->resv);
		else
			trow_null(r, P_RESV);
		trow_count(r, P_SURPLUS, h->surplus);
		if (h->has_overcommit)
			trow_count(r, P_OVERCOMMIT, h->overcommit);
		else
			trow_null(r, P_OVERCOMMIT);
		trow_size(r, P_TOTAL, h->nr * h->page_size);
		trow_size(r, P_USED, (h->nr >= h->free ? h->nr - h->free : 0) * h->page_size);
		total += h->nr * h->page_size;
	}
	out_printf(o, "Hugetlb pools (sys/kernel/mm/hugepages)\n");
	int e = s->n_pools ? table_print(tb, o) : 0;
	table_free(tb);
	if (!s->n_pools) {
		out_printf(o, "  %s\n", ctx->root.dir ? "none in the dump"
						    : "none: this kernel has no hugetlb page sizes");
		out_array(o, "pools");
		out_end(o);
	}
	if (e)
		return e;
	/* per node, where the nodes have pools */
	bool any = false;
	for (int i = 0; i < s->n_nodes; i++)
		any |= s->n_node_pools[i] > 0;
	if (any) {
		tb = table_new(node_pool_cols, NP_NCOLS, "node_pools");
		if (!tb)
			return -ENOMEM;
		for (int i = 0; i < s->n_nodes; i++)
			for (int k = 0; k < s->n_node_pools[i]; k++) {
				const struct hugepool *h = &s->node_pools[i][k];
				struct trow *r = table_add(tb, NULL);
				trow_count(r, NP_NODE, s->ids[i]);
				trow_size(r, NP_SIZE, h->page_size);
				trow_count(r, NP_PAGES, h->nr);
				trow_count(r, NP_FREE, h->free);
				trow_count(r, NP_SURPLUS, h->surplus);
				trow_size(r, NP_TOTAL, h->nr * h->page_size);
				trow_size(r, NP_USED,
					  (h->nr >= h->free ? h->nr - h->free : 0) * h->page_size);
			}
		out_printf(o, "\nPer node (sys/devices/system/node/nodeN/hugepages)\n");
		e = table_print(tb, o);
		table_free(tb);
		if (e)
			return e;
		/* the nodes' pages of a size add up to the machine's */
		for (int k = 0; k < s->n_pools; k++) {
			uint64_t sum = 0;
			for (int i = 0; i < s->n_nodes; i++)
				for (int j = 0; j < s->n_node_pools[i]; j++)
					if (s->node_pools[i][j].page_size == s->pools[k].page_size)
						sum += s->node_pools[i][j].nr;
			if (sum != s->pools[k].nr)
				ctx_note(ctx, "the nodes' %" PRIu64 " kB pages add up to %" PRIu64
					 ", the machine's pool says %" PRIu64 " (read a moment apart)",
					 s->pools[k].page_size >> 10, sum, s->pools[k].nr);
		}
	}
	/* meminfo: HugePages_* of the default size, Hugetlb of every size (Linux 4.16+) */
	if (!s->have_mi)
		return 0;
	struct record r;
	out_printf(o, "\n");
	record_begin(&r, o, "meminfo", "meminfo");
	record_label_width(&r, 15);
	static const char *const keys[] = {"HugePages_Total", "HugePages_Free", "HugePages_Rsvd",
					   "HugePages_Surp", "Hugepagesize", "Hugetlb"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct meminfo_entry *m = mi_get(s, keys[i]);
		if (!m)
			rec_null(&r, keys[i], keys[i], "not in this kernel's meminfo");
		else if (m->bytes)
			rec_size(&r, keys[i], keys[i], m->value);
		else
			rec_u64(&r, keys[i], keys[i], m->value);
	}
	const struct meminfo_entry *ht = mi_get(s, "Hugetlb"), *tot = mi_get(s, "HugePages_Total");
	char line[256];
	if (ht && s->n_pools) {
		out_bool(o, SHOW_JSON, "hugetlb_equals_pools", NULL, ht->value == total);
		char a[32], b[32];
		out_size_text(o, ht->value, a, sizeof(a));
		out_size_text(o, total, b, sizeof(b));
		snprintf(line, sizeof(line), "Hugetlb %s: the pools' PAGES x SIZE add up to %s (%s)",
			 a, b, ht->value == total ? "equal" : "read a moment apart, or not equal");
		rec_note(&r, line);
	}
	for (int k = 0; tot && dsz && k < s->n_pools; k++)
		if (s->pools[k].page_size == dsz->value) {
			snprintf(line, sizeof(line),
				 "HugePages_Total %" PRIu64 " is the default size's pool: %" PRIu64
				 " pages (%s)",
				 tot->value, s->pools[k].nr,
				 tot->value == s->pools[k].nr ? "equal" : "not equal");
			rec_note(&r, line);
		}
	record_end(&r);
	return 0;
}

static void rec_word_or_null(struct record *r, const char *key, const char *label,
			     const char *w)
{
	if (w[0])
		rec_str(r, key, label, w);
	else
		rec_null(r, key, label, "not in this kernel");
}

static int print_thp(struct ctx *ctx, const struct sys_view *s)
{
	struct out *o = &ctx->out;
	const struct thp *t = &s->thp;
	out_printf(o, "\n");
	if (!t->present) {
		out_printf(o, "Transparent huge pages: %s\n",
			   ctx->root.dir ? "not in the dump (no sys/kernel/mm/transparent_hugepage)"
					 : "none (no sys/kernel/mm/transparent_hugepage: a kernel "
					   "without CONFIG_TRANSPARENT_HUGEPAGE)");
		out_null(o, SHOW_JSON, "thp", NULL);
		return 0;
	}
	struct record r;
	record_begin(&r, o, "thp", "Transparent huge pages (sys/kernel/mm/transparent_hugepage)");
	record_label_width(&r, 14);
	rec_word_or_null(&r, "enabled", "enabled", t->enabled);
	rec_word_or_null(&r, "defrag", "defrag", t->defrag);
	rec_word_or_null(&r, "shmem_enabled", "shmem_enabled", t->shmem_enabled);
	if (t->has_use_zero_page)
		rec_u64(&r, "use_zero_page", "use_zero_page", t->use_zero_page);
	else
		rec_null(&r, "use_zero_page", "use_zero_page", "not in this kernel");
	if (t->has_pmd_size)
		rec_size(&r, "pmd_size", "hpage_pmd_size", t->pmd_size);
	else
		rec_null(&r, "pmd_size", "hpage_pmd_size", "not in this kernel");
	rec_group(&r, "khugepaged", "khugepaged");
	for (int k = 0; k < KH_N; k++) {
		const char *n = thp_khugepaged_name((enum thp_khugepaged)k);
		if (t->has_kh[k])
			rec_u64(&r, n, n, t->kh[k]);
		else
			rec_null(&r, n, n, NULL);
		if (k == KH_DEFRAG)
			rec_group_break(&r, "");
	}
	rec_group_end(&r);
	/* what is in THPs now, as meminfo counts it */
	if (s->have_mi) {
		rec_group(&r, "in_use", "in use");
		static const char *const keys[] = {"AnonHugePages", "ShmemHugePages",
						   "ShmemPmdMapped", "FileHugePages",
						   "FilePmdMapped"};
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			const struct meminfo_entry *m = mi_get(s, keys[i]);
			if (m)
				rec_size(&r, keys[i], keys[i], m->value);
			else
				rec_null(&r, keys[i], keys[i], NULL);
		}
		rec_group_end(&r);
	}
	record_end(&r);
	if (!t->n_sizes) {
		out_printf(o, "  no multi-size THP directories (hugepages-*kB/: Linux 6.8+)\n");
		out_array(o, "thp_sizes");
		out_end(o);
		return 0;
	}
	struct col_def c[T_NCOLS];
	thp_cols(c);
	struct table *tb = table_new(c, T_NCOLS, "thp_sizes");
	if (!tb)
		return -ENOMEM;
	uint64_t ps = ctx_page_size(ctx);
	for (int i = 0; i < t->n_sizes; i++) {
		const struct thp_size *z = &t->sizes[i];
		struct trow *r2 = table_add(tb, NULL);
		trow_size(r2, T_SIZE, z->size);
		if (z->size >= ps && z->size % ps == 0 && !((z->size / ps) & (z->size / ps - 1)))
			trow_count(r2, T_ORDER, pagebits_order(z->size / ps));
		else
			trow_null(r2, T_ORDER);
		if (z->enabled[0])
			trow_str(r2, T_ENABLED, z->enabled);
		else
			trow_null(r2, T_ENABLED);
		if (z->shmem[0])
			trow_str(r2, T_SHMEM, z->shmem);
		else
			trow_null(r2, T_SHMEM);
		if (z->has[TS_NR_ANON]) {
			trow_count(r2, T_ANON, z->st[TS_NR_ANON]);
			trow_size(r2, T_ANON_MEM, z->st[TS_NR_ANON] * z->size);
		} else {
			trow_null(r2, T_ANON);
			trow_null(r2, T_ANON_MEM);
		}
		for (int k = 0; k < TS_N; k++)
			if (z->has[k])
				trow_count(r2, (size_t)(T_STAT0 + k), z->st[k]);
			else
				trow_null(r2, (size_t)(T_STAT0 + k));
	}
	out_printf(o, "\nSizes (hugepages-*kB/; their stats/ counters are folios)\n");
	int e = table_print(tb, o);
	table_free(tb);
	return e;
}

/* vmstat's huge page counters: in JSON one object of them, in text a line per family
 * ("thp_fault  alloc 218  fallback 0  fallback_charge 0") */
static void print_counters(struct ctx *ctx, const struct sys_view *s)
{
	if (!s->have_vs)
		return;
	struct out *o = &ctx->out;
	out_printf(o, "\nCounters (/proc/vmstat)\n");
	out_object(o, "counters");
	char fam[VM_NAME_MAX] = "";
	for (size_t i = 0; i < s->vs.n_huge; i++) {
		/* the family: "nr" for the nr_* page counts, else the first two words */
		const char *n = s->vs.huge_name[i], *u = strchr(n, '_');
		if (u && strncmp(n, "nr_", 3))
			u = strchr(u + 1, '_');
		size_t fl = u ? (size_t)(u - n) : strlen(n);
		if (strlen(fam) != fl || strncmp(fam, n, fl)) {
			snprintf(fam, sizeof(fam), "%.*s", (int)fl, n);
			out_printf(o, "%s  %-14s", i ? "\n" : "", fam);
		}
		out_printf(o, "  %s%s%" PRIu64, u ? u + 1 : "", u ? " " : "", s->vs.huge_v[i]);
		out_u64(o, SHOW_JSON, n, NULL, s->vs.huge_v[i]);
	}
	out_printf(o, s->vs.n_huge ? "\n" : "  none: this kernel counts no huge page events\n");
	out_end(o);
}

static int run_system(struct ctx *ctx, struct ms_error *err)
{
	struct sys_view s = {0};
	int e = sys_read(ctx, &s, err);
	if (!e) {
		e = print_pools(ctx, &s);
		if (!e)
			e = print_thp(ctx, &s);
		if (!e)
			print_counters(ctx, &s);
		e = printed(e, err);
	}
	sys_free(&s);
	return e;
}

/* ---- a process's huge memory ---- */

enum { M_START, M_END, M_SIZE, M_PAGESIZE, M_HUGETLB, M_PMD, M_ANON_PMD, M_SHMEM_PMD,
       M_FILE_PMD, M_FOLIOS, M_NFOLIOS, M_PARTIAL, M_UNALIGNED, M_NAME, M_NCOLS };
/* the text fits 80 columns before NAME: END and the three PMD counts are JSON's, their sum
 * text's */
#define JSON_ONLY (NUM | COLF_SHOW(SHOW_JSON))
static const struct col_def map_cols[] = {
	[M_START] = {"START", "start", COL_ADDR, NUM, "first address", NULL},
	[M_END] = {"END", "end", COL_ADDR, JSON_ONLY, "end (exclusive)", NULL},
	[M_SIZE] = {"SIZE", "size", COL_SIZE, NUM | COLF_WIDE, "size", NULL},
	[M_PAGESIZE] = {"PAGESIZE", "kernel_page_size", COL_SIZE, NUM,
			"smaps KernelPageSize: a hugetlb mapping's huge page size", NULL},
	[M_HUGETLB] = {"HUGETLB", "hugetlb", COL_SIZE, NUM,
		       "hugetlb pages mapped: Shared_Hugetlb + Private_Hugetlb", NULL},
	[M_PMD] = {"PMD", NULL, COL_SIZE, NUM | COLF_SHOW(SHOW_TEXT),
		   "THPs mapped by PMD: AnonHugePages + ShmemPmdMapped + FilePmdMapped", NULL},
	[M_ANON_PMD] = {"ANON_PMD", "anon_huge_pages", COL_SIZE, JSON_ONLY,
			"AnonHugePages: anonymous THPs mapped by PMD", NULL},
	[M_SHMEM_PMD] = {"SHMEM_PMD", "shmem_pmd_mapped", COL_SIZE, JSON_ONLY,
			 "ShmemPmdMapped: shmem THPs mapped by PMD", NULL},
	[M_FILE_PMD] = {"FILE_PMD", "file_pmd_mapped", COL_SIZE, JSON_ONLY,
			"FilePmdMapped: page cache THPs mapped by PMD", NULL},
	[M_FOLIOS] = {"FOLIOS", NULL, COL_STR, COLF_DEFAULT | COLF_SHOW(SHOW_TEXT),
		      "large folios by size: 2Mx3 is three 2M folios (root)", NULL},
	[M_NFOLIOS] = {"NFOLIOS", "folios", COL_COUNT, NUM | COLF_SHOW(SHOW_JSON),
		       "large folios met (root)", NULL},
	[M_PARTIAL] = {"PARTIAL", "partial", COL_COUNT, NUM,
		       "of them, mapped here in part (root)", NULL},
	[M_UNALIGNED] = {"UNALIGNED", "unaligned", COL_COUNT, NUM,
			 "mapped whole at an address not aligned to their size (root)", NULL},
	[M_NAME] = {"NAME", "name", COL_STR, COLF_DEFAULT | COLF_WRAP, "path or [name]", NULL},
};

enum { O_ORDER, O_SIZE, O_FOLIOS, O_ANON, O_FILE, O_PARTIAL, O_ALIGNED, O_UNALIGNED, O_MAPPED,
       O_NCOLS };
static const struct col_def order_cols[] = {
	[O_ORDER] = {"ORDER", "order", COL_COUNT, NUM, "folio order", NULL},
	[O_SIZE] = {"SIZE", "size", COL_SIZE, NUM, "folio size", NULL},
	[O_FOLIOS] = {"FOLIOS", "folios", COL_COUNT, NUM, "folios met", NULL},
	[O_ANON] = {"ANON", "anon", COL_COUNT, NUM, "of them anonymous (KPF_ANON)", NULL},
	[O_FILE] = {"FILE", "file", COL_COUNT, NUM, "page cache and shmem", NULL},
	[O_PARTIAL] = {"PARTIAL", "partial", COL_COUNT, NUM, "mapped in part", NULL},
	[O_ALIGNED] = {"ALIGNED", "aligned", COL_COUNT, NUM,
		       "mapped whole at an address aligned to their size", NULL},
	[O_UNALIGNED] = {"UNALIGNED", "unaligned", COL_COUNT, NUM, "mapped whole, not aligned",
			 NULL},
	[O_MAPPED] = {"MAPPED", "mapped", COL_SIZE, NUM, "their pages mapped here", NULL},
};

struct proc_view {
	struct process proc;
	bool open;
	struct maps m;
	struct pw_stats *st; /* per mapping, when the folios are walked */
	struct pw_stats sum;
	bool walked;	/* frames and page flags were read */
	const char *why; /* else why not */
	char whybuf[2300];
};

/* The folios behind every mapping, where frames and page flags can be read */
static int walk(struct ctx *ctx, struct proc_view *pv, int flags_fd, struct ms_error *err)
{
	char path[64];
	task_name(&pv->proc.task, "pagemap", path, sizeof(path));
	caps_raise();
	struct ms_error lerr = {0};
	int fd = task_openat(&pv->proc.task, "pagemap", &lerr);
	caps_lower();
	if (fd < 0) {
		if (fd == -ENOENT && task_live(&pv->proc.task))
			return ms_say(err, -ESRCH, "process %s exited before its pages could be read",
				      pv->proc.pid);
		pv->why = ctx_unreadable(ctx, path + (path[0] == '/'), -fd, "root", pv->whybuf,
					 sizeof(pv->whybuf));
		return 0;
	}
	uint64_t ps = ctx_page_size(ctx);
	struct pagewalk pw;
	if (pagewalk_init(&pw, fd, path, flags_fd, -1, ps, task_live(&pv->proc.task))) {
		close(fd);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	pv->st = calloc(pv->m.n ? pv->m.n : 1, sizeof(*pv->st));
	int e = pv->st ? 0 : ms_say(err, -ENOMEM, "out of memory");
	for (size_t i = 0; !e && i < pv->m.n && !pw.hidden; i++) {
		e = pagewalk_range(&pw, pv->m.v[i].start, pv->m.v[i].end, &pv->st[i], NULL, NULL,
				   err);
		pagewalk_stats_add(&pv->sum, &pv->st[i]);
	}
	if (e == -ESRCH)
		e = process_vanished(&pv->proc, "its pages were read", err);
	if (!e && pw.hidden)
		pv->why = ctx->root.dir ? "the dump's pagemap hides frame numbers (it was made "
					  "without CAP_SYS_ADMIN)"
					: "frame numbers in pagemap need CAP_SYS_ADMIN";
	else if (!e)
		pv->walked = true;
	pagewalk_free(&pw);
	close(fd);
	return e;
}

static bool huge_in(const struct vma *v, const struct pw_stats *st)
{
	if (v->sm[SM_SHARED_HUGETLB] || v->sm[SM_PRIVATE_HUGETLB] || v->sm[SM_ANON_HUGE] ||
	    v->sm[SM_SHMEM_PMD] || v->sm[SM_FILE_PMD])
		return true;
	for (int k = 1; st && k < PW_FOLIO_ORDERS; k++)
		if (st->folios[k])
			return true;
	return false;
}

static void folio_text(const struct pw_stats *st, uint64_t ps, const struct out *o, char *buf,
		       size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int k = PW_FOLIO_ORDERS - 1; k >= 1; k--) {
		if (!st->folios[k] || len >= size)
			continue;
		char sz[32];
		out_size_text(o, ps << k, sz, sizeof(sz));
		len += (size_t)snprintf(buf + len, size - len, "%s%sx%" PRIu64, len ? " " : "", sz,
					st->folios[k]);
	}
}

static uint64_t unaligned(const struct pw_stats *st, int k)
{
	return st->folios[k] - st->folios_partial[k] - st->folios_aligned[k];
}

static int print_proc(struct ctx *ctx, struct proc_view *pv, bool all)
{
	struct out *o = &ctx->out;
	uint64_t ps = ctx_page_size(ctx);
	struct table *tb = table_new(map_cols, M_NCOLS, "mappings");
	if (!tb)
		return -ENOMEM;
	uint64_t tot[4] = {0};
	size_t shown = 0;
	for (size_t i = 0; i < pv->m.n; i++) {
		const struct vma *v = &pv->m.v[i];
		const struct pw_stats *st = pv->walked ? &pv->st[i] : NULL;
		uint64_t hugetlb = v->sm[SM_SHARED_HUGETLB] + v->sm[SM_PRIVATE_HUGETLB];
		tot[0] += hugetlb;
		tot[1] += v->sm[SM_ANON_HUGE];
		tot[2] += v->sm[SM_SHMEM_PMD];
		tot[3] += v->sm[SM_FILE_PMD];
		if (!all && !huge_in(v, st))
			continue;
		struct trow *r = table_add(tb, NULL);
		shown++;
		trow_addr(r, M_START, v->start);
		trow_addr(r, M_END, v->end);
		trow_size(r, M_SIZE, v->end - v->start);
		trow_size(r, M_PAGESIZE, v->sm[SM_KERNEL_PAGE_SIZE]);
		trow_size(r, M_HUGETLB, hugetlb);
		trow_size(r, M_PMD, v->sm[SM_ANON_HUGE] + v->sm[SM_SHMEM_PMD] + v->sm[SM_FILE_PMD]);
		trow_size(r, M_ANON_PMD, v->sm[SM_ANON_HUGE]);
		trow_size(r, M_SHMEM_PMD, v->sm[SM_SHMEM_PMD]);
		trow_size(r, M_FILE_PMD, v->sm[SM_FILE_PMD]);
		if (st) {
			char buf[256];
			folio_text(st, ps, o, buf, sizeof(buf));
			uint64_t n = 0, part = 0, unal = 0;
			for (int k = 1; k < PW_FOLIO_ORDERS; k++) {
				n += st->folios[k];
				part += st->folios_partial[k];
				unal += unaligned(st, k);
			}
			trow_str(r, M_FOLIOS, buf[0] ? buf : "0");
			trow_count(r, M_NFOLIOS, n);
			trow_count(r, M_PARTIAL, part);
			trow_count(r, M_UNALIGNED, unal);
		} else {
			for (size_t c = M_FOLIOS; c <= M_UNALIGNED; c++)
				trow_null(r, c);
		}
		trow_str(r, M_NAME, v->name);
	}
	int e = shown ? table_print(tb, o) : 0;
	table_free(tb);
	if (!shown) {
		out_printf(o, "no mapping holds huge pages%s\n",
			   pv->walked ? " or large folios" : " (by smaps)");
		out_array(o, "mappings");
		out_end(o);
	}
	if (e)
		return e;
	char a[4][32];
	for (int k = 0; k < 4; k++)
		out_size_text(o, tot[k], a[k], sizeof(a[k]));
	out_printf(o, "smaps: hugetlb %s, AnonHugePages %s, ShmemPmdMapped %s, FilePmdMapped %s in %zu mapping%s\n",
		   a[0], a[1], a[2], a[3], pv->m.n, pv->m.n == 1 ? "" : "s");
	out_object(o, "smaps");
	out_u64(o, SHOW_JSON, "hugetlb", NULL, tot[0]);
	out_u64(o, SHOW_JSON, "anon_huge_pages", NULL, tot[1]);
	out_u64(o, SHOW_JSON, "shmem_pmd_mapped", NULL, tot[2]);
	out_u64(o, SHOW_JSON, "file_pmd_mapped", NULL, tot[3]);
	out_u64(o, SHOW_JSON, "mappings", NULL, pv->m.n);
	out_end(o);
	if (!pv->walked) {
		out_str(o, SHOW_JSON, "folios_hidden", NULL, pv->why);
		out_null(o, SHOW_JSON, "orders", NULL);
		return 0;
	}
	/* the folios by order, of the whole address space */
	tb = table_new(order_cols, O_NCOLS, "orders");
	if (!tb)
		return -ENOMEM;
	const struct pw_stats *s = &pv->sum;
	for (int k = 1; k < PW_FOLIO_ORDERS; k++) {
		if (!s->folios[k])
			continue;
		struct trow *r = table_add(tb, NULL);
		trow_count(r, O_ORDER, (uint64_t)k);
		trow_size(r, O_SIZE, ps << k);
		trow_count(r, O_FOLIOS, s->folios[k]);
		trow_count(r, O_ANON, s->folios_anon[k]);
		trow_count(r, O_FILE, s->folios[k] - s->folios_anon[k]);
		trow_count(r, O_PARTIAL, s->folios_partial[k]);
		trow_count(r, O_ALIGNED, s->folios_aligned[k]);
		trow_count(r, O_UNALIGNED, unaligned(s, k));
		trow_size(r, O_MAPPED, s->folio_pages[k] * ps);
	}
	out_printf(o, "\nLarge folios by order (pagemap, kpageflags)\n");
	bool any = false;
	for (int k = 1; k < PW_FOLIO_ORDERS; k++)
		any |= s->folios[k] > 0;
	e = any ? table_print(tb, o) : 0;
	if (!any) {
		out_printf(o, "  none: every page is a folio of its own\n");
		out_array(o, "orders");
		out_end(o);
	}
	table_free(tb);
	return e;
}

static int run_pids(struct ctx *ctx, const struct hugepages_args *a, struct ms_error *err)
{
	struct proc_view *all = calloc((size_t)a->npids, sizeof(*all));
	if (!all)
		return ms_say(err, -ENOMEM, "out of memory");
	/* kpageflags once for every process */
	int why = 0;
	caps_raise();
	int flags_fd = kpage_open(&ctx->root, "proc/kpageflags", &why);
	caps_lower();
	char whybuf[2300];
	const char *flags_why = flags_fd < 0 ? ctx_unreadable(ctx, "proc/kpageflags", why, "root",
							      whybuf, sizeof(whybuf))
					     : NULL;
	int rc = 0;
	for (int i = 0; i < a->npids && !rc; i++) {
		struct proc_view *pv = &all[i];
		if ((rc = process_open(ctx, a->pids[i], &pv->proc, err)))
			break;
		pv->open = true;
		if ((rc = process_maps(&pv->proc, true, &pv->m, err)))
			break;
		if (flags_fd >= 0)
			rc = walk(ctx, pv, flags_fd, err);
		else
			pv->why = flags_why;
	}
	if (flags_fd >= 0)
		close(flags_fd);
	bool several = a->npids > 1;
	int e = 0;
	if (!rc) {
		for (int i = 0; i < a->npids; i++)
			if (!all[i].walked) {
				ctx_note(ctx, "%s: the large folios are not shown, only what smaps "
					      "says (hugetlb, AnonHugePages, ShmemPmdMapped, "
					      "FilePmdMapped)",
					 all[i].why);
				break;
			}
		if (several)
			out_array(&ctx->out, "processes");
		for (int i = 0; i < a->npids && !e; i++) {
			out_object(&ctx->out, several ? NULL : "process");
			if (i)
				out_printf(&ctx->out, "\n");
			process_header(ctx, &all[i].proc, several); /* pmap's line, for several */
			e = print_proc(ctx, &all[i], a->all);
			out_end(&ctx->out);
		}
		if (several)
			out_end(&ctx->out);
		e = printed(e, err);
	}
	for (int i = 0; i < a->npids; i++) {
		free(all[i].st);
		maps_free(&all[i].m);
		if (all[i].open)
			process_close(&all[i].proc);
	}
	free(all);
	return rc ? rc : e;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct hugepages_args *a = args;
	if (a->all && !a->npids)
		return ms_usage(err, "--all lists a process's mappings: give a PID");
	return a->npids ? run_pids(ctx, a, err) : run_system(ctx, err);
}

COMMAND(hugepages, struct hugepages_args,
	.summary = "hugetlb pools, THP policy and sizes, a process's huge pages and folios",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
