/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope numa: the NUMA nodes of /sys/devices/system/node, one row each: their memory as
 * numastat -m gives it, their huge page pools, CPUs, distances and numastat counters; then
 * the nodes' MemTotal set against /proc/meminfo's and the zones' present and managed pages. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/process.h"
#include "command.h"
#include "opts.h"
#include "out/diagram.h"
#include "out/table.h"
#include "proc/memblock.h"
#include "proc/node.h"
#include "proc/numamaps.h"
#include "proc/zoneinfo.h"

struct numa_args {
	struct table_args tbl;
	char **pids;
	int npids;
	struct watch_opts watch;
	bool diagram;
};

enum {
	N_NODE, N_CPUS, N_TOTAL, N_FREE, N_USED, N_FILE, N_ANON, N_SHMEM, N_SLAB, N_KSTACK,
	N_PTABLES, N_HUGE, N_HUGE_FREE, N_DIST, N_HIT, N_MISS, N_FOREIGN, N_INTERLEAVE, N_LOCAL,
	N_OTHER, N_HIT_S, N_MISS_S, N_FOREIGN_S, N_INTERLEAVE_S, N_LOCAL_S, N_OTHER_S, N_NCOLS
};

#define NUM (COLF_DEFAULT | COLF_RIGHT)
static const struct col_def numa_cols[] = {
	[N_NODE] = {"NODE", "node", COL_COUNT, NUM, "node number", NULL},
	[N_CPUS] = {"CPUS", "cpus", COL_STR, COLF_DEFAULT, "the node's CPUs (cpulist)", NULL},
	[N_TOTAL] = {"TOTAL", "memtotal", COL_SIZE, NUM,
		     "MemTotal: the pages the node's zones manage", NULL},
	[N_FREE] = {"FREE", "memfree", COL_SIZE, NUM, "MemFree", NULL},
	[N_USED] = {"USED", "memused", COL_SIZE, NUM, "MemUsed: MemTotal - MemFree", NULL},
	[N_FILE] = {"FILE", "filepages", COL_SIZE, NUM, "FilePages: page cache, buffers, swap cache",
		    NULL},
	[N_ANON] = {"ANON", "anonpages", COL_SIZE, NUM, "AnonPages", NULL},
	[N_SHMEM] = {"SHMEM", "shmem", COL_SIZE, NUM, "Shmem", NULL},
	[N_SLAB] = {"SLAB", "slab", COL_SIZE, NUM, "Slab", NULL},
	[N_KSTACK] = {"KSTACK", "kernelstack", COL_SIZE, COLF_RIGHT, "KernelStack", NULL},
	[N_PTABLES] = {"PTABLES", "pagetables", COL_SIZE, COLF_RIGHT, "PageTables", NULL},
	[N_HUGE] = {"HUGE", "hugetlb", COL_SIZE, NUM,
		    "the node's hugetlb pools: nr_hugepages x page size, every size", NULL},
	[N_HUGE_FREE] = {"HUGE_FREE", "hugetlb_free", COL_SIZE, COLF_RIGHT,
			 "the pools' free_hugepages x page size", NULL},
	[N_DIST] = {"DISTANCES", "distances", COL_STR, COLF_DEFAULT,
		    "distance to each node, in the order of NODE", NULL},
	[N_HIT] = {"HIT", "numa_hit", COL_COUNT, COLF_RIGHT,
		   "numastat numa_hit: pages allocated here as intended", NULL},
	[N_MISS] = {"MISS", "numa_miss", COL_COUNT, COLF_RIGHT,
		    "numa_miss: pages allocated here meant for another node", NULL},
	[N_FOREIGN] = {"FOREIGN", "numa_foreign", COL_COUNT, COLF_RIGHT,
		       "numa_foreign: pages meant for here allocated elsewhere", NULL},
	[N_INTERLEAVE] = {"INTERLEAVE", "interleave_hit", COL_COUNT, COLF_RIGHT,
			  "interleave_hit: interleaved pages allocated here as intended", NULL},
	[N_LOCAL] = {"LOCAL", "local_node", COL_COUNT, COLF_RIGHT,
		     "local_node: pages allocated here by a process running here", NULL},
	[N_OTHER] = {"OTHER", "other_node", COL_COUNT, COLF_RIGHT,
		     "other_node: pages allocated here by a process on another node", NULL},
	/* --watch: the counters' rates */
	[N_HIT_S] = {"HIT/S", "numa_hit_per_s", COL_COUNT, COLF_RIGHT,
		     "with --watch: numa_hit per second since the last frame", NULL},
	[N_MISS_S] = {"MISS/S", "numa_miss_per_s", COL_COUNT, COLF_RIGHT,
		      "with --watch: numa_miss per second", NULL},
	[N_FOREIGN_S] = {"FOREIGN/S", "numa_foreign_per_s", COL_COUNT, COLF_RIGHT,
			 "with --watch: numa_foreign per second", NULL},
	[N_INTERLEAVE_S] = {"INTERLEAVE/S", "interleave_hit_per_s", COL_COUNT, COLF_RIGHT,
			    "with --watch: interleave_hit per second", NULL},
	[N_LOCAL_S] = {"LOCAL/S", "local_node_per_s", COL_COUNT, COLF_RIGHT,
		       "with --watch: local_node per second", NULL},
	[N_OTHER_S] = {"OTHER/S", "other_node_per_s", COL_COUNT, COLF_RIGHT,
		       "with --watch: other_node per second", NULL},
};
static const struct columns numa_columns =
	COLUMNS(numa_cols, "Sizes are the node's meminfo; a value the kernel did not print is "
			   "empty (null in JSON). The numastat counters are pages.");

static const struct opts numa_opts = {
	.opt = OPTIONS(
		OPT_WATCH(struct numa_args, watch.on, watch.interval_ms, 1000,
			  "Redraw every SECONDS (default 1, decimals allowed) with the numastat "
			  "counters' rates per second since the frame before (HIT/S ... OTHER/S): "
			  "which node allocations miss; q or Ctrl-C ends"),
		OPT_COUNT(struct numa_args, watch.count),
		OPT_BOOL("diagram", 0, struct numa_args, diagram,
			 "Draw the nodes on the physical address line, each holding its zones (from "
			 "/proc/zoneinfo), with each node's memory blocks under it"),
		OPT_INCLUDE(table_opts, struct numa_args, tbl, NULL, 0)),
	.rules = RULES(OPT_NEEDS("count", "watch"), OPT_EXCLUDE("diagram", "watch"),
		       OPT_REFUSES("diagram", "--diagram draws no table", "output", "raw",
				   "noheadings")),
	.doc = "Show the NUMA nodes of /sys/devices/system/node: each node's memory (its "
	       "meminfo, as numastat -m reads it), hugetlb pools, CPUs, distances and numastat "
	       "counters; then the nodes' MemTotal set against /proc/meminfo's, and each node's "
	       "present and managed pages from /proc/zoneinfo. No privilege is needed.\v"
	       "A kernel without NUMA (or a dump without the directory) is shown as one node "
	       "from /proc/meminfo, its FilePages taken as Cached + Buffers + SwapCached and "
	       "MemUsed as MemTotal - MemFree; that is said on stderr.\n\n"
	       "With PIDs, each process's memory per node from /proc/PID/numa_maps instead, as "
	       "numastat -p: anonymous, file-backed and hugetlb, each huge page counted in its "
	       "mapping's own page size; -o then takes NODE, ANON, FILE, HUGE and TOTAL.",
	.args_doc = "[PID...]",
	.pid_self = true,
	/* none given: the nodes */
	OPTS_LIST(struct numa_args, pids, npids, NULL, pid_check, "PID", "a number, or self"),
};

/* ---- numa PID...: a process's pages per node ---- */

enum { PN_NODE, PN_ANON, PN_FILE, PN_HUGE, PN_TOTAL, PN_NCOLS };
static const struct col_def pid_cols[] = {
	[PN_NODE] = {"NODE", "node", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "node", NULL},
	[PN_ANON] = {"ANON", "anon", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
		     "anonymous memory: heap, stack, private and shared anonymous mappings", NULL},
	[PN_FILE] = {"FILE", "file", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
		     "file-backed mappings (file=), hugetlb ones aside", NULL},
	[PN_HUGE] = {"HUGE", "huge", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
		     "hugetlb pages, each in its mapping's kernelpagesize_kB", NULL},
	[PN_TOTAL] = {"TOTAL", "total", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "ANON + FILE + HUGE",
		      NULL},
};

struct one_proc {
	struct process proc;
	bool open;
	struct numa_usage u;
};

static int pid_table(struct ctx *ctx, const struct numa_args *a, const struct one_proc *p,
		     struct ms_error *err)
{
	struct table *tb;
	int e = table_from_args(ctx, pid_cols, PN_NCOLS, "nodes", &a->tbl, NULL, &tb, err);
	if (e)
		return e;
	uint64_t t[3] = {0};
	for (unsigned n = 0; n < p->u.nodes && !e; n++) {
		uint64_t v[3] = {p->u.anon[n], p->u.file[n], p->u.huge[n]};
		struct trow *r = table_add(tb, NULL);
		trow_count(r, PN_NODE, n);
		for (int k = 0; k < 3; k++) {
			trow_size(r, (size_t)(PN_ANON + k), v[k]);
			t[k] += v[k];
		}
		trow_size(r, PN_TOTAL, v[0] + v[1] + v[2]);
	}
	if (!e)
		e = printed(table_print(tb, &ctx->out), err);
	table_free(tb);
	if (e)
		return e;
	struct out *o = &ctx->out;
	char b[4][32];
	for (int k = 0; k < 3; k++)
		out_size_text(o, t[k], b[k], sizeof(b[k]));
	out_size_text(o, t[0] + t[1] + t[2], b[3], sizeof(b[3]));
	if (!a->tbl.raw)
		out_printf(o, "total %s: anon %s, file %s, huge %s in %" PRIu64 " mapping%s\n", b[3],
			   b[0], b[1], b[2], p->u.mappings, p->u.mappings == 1 ? "" : "s");
	out_object(o, "total");
	out_u64(o, SHOW_JSON, "anon", NULL, t[0]);
	out_u64(o, SHOW_JSON, "file", NULL, t[1]);
	out_u64(o, SHOW_JSON, "huge", NULL, t[2]);
	out_u64(o, SHOW_JSON, "total", NULL, t[0] + t[1] + t[2]);
	out_u64(o, SHOW_JSON, "mappings", NULL, p->u.mappings);
	out_end(o);
	/* the huge page sizes met, each counted in its own */
	out_array(o, "huge_page_sizes");
	char sizes[256] = "";
	size_t len = 0;
	for (unsigned k = 0; k < 64; k++)
		if (p->u.huge_sizes_seen >> k & 1 && len < sizeof(sizes) - 32) {
			out_u64(o, SHOW_JSON, NULL, NULL, UINT64_C(1) << k);
			out_size_text(o, UINT64_C(1) << k, b[0], sizeof(b[0]));
			len += (size_t)snprintf(sizes + len, sizeof(sizes) - len, "%s%s",
						len ? ", " : "", b[0]);
		}
	out_end(o);
	if (len && !a->tbl.raw)
		out_printf(o, "huge pages counted in their own size: %s\n", sizes);
	return 0;
}

static int run_pids(struct ctx *ctx, const struct numa_args *a, struct ms_error *err)
{
	struct one_proc *all = calloc((size_t)a->npids, sizeof(*all));
	if (!all)
		return ms_say(err, -ENOMEM, "out of memory");
	int rc = 0;
	for (int i = 0; i < a->npids && !rc; i++) {
		struct one_proc *p = &all[i];
		if ((rc = process_open(ctx, a->pids[i], &p->proc, err)))
			break;
		p->open = true;
		struct buf b = {0};
		if ((rc = process_read(&p->proc, "numa_maps", &b, err)))
			break;
		char name[600];
		task_name(&p->proc.task, "numa_maps", name, sizeof(name));
		rc = numa_maps_parse(b.data, b.len, name, &p->u, err);
		buf_free(&b);
	}
	bool several = a->npids > 1;
	if (!rc && several)
		out_array(&ctx->out, "processes");
	for (int i = 0; !rc && i < a->npids; i++) {
		out_object(&ctx->out, several ? NULL : "process");
		if (i)
			out_printf(&ctx->out, "\n");
		process_header(ctx, &all[i].proc, several); /* pmap's line, for several */
		rc = pid_table(ctx, a, &all[i], err);
		out_end(&ctx->out);
	}
	if (!rc && several)
		out_end(&ctx->out);
	for (int i = 0; i < a->npids; i++)
		if (all[i].open)
			process_close(&all[i].proc);
	free(all);
	return rc;
}

/* The meminfo key each size column shows */
static const char *const col_key[N_NCOLS] = {
	[N_TOTAL] = "MemTotal",	   [N_FREE] = "MemFree",   [N_USED] = "MemUsed",
	[N_FILE] = "FilePages",	   [N_ANON] = "AnonPages", [N_SHMEM] = "Shmem",
	[N_SLAB] = "Slab",	   [N_KSTACK] = "KernelStack", [N_PTABLES] = "PageTables",
};

/* HIT..OTHER are numastat's counters in the kernel's order */
_Static_assert(N_OTHER - N_HIT == NS_OTHER - NS_HIT, "one column per numastat counter");
_Static_assert(N_OTHER_S - N_HIT_S == NS_OTHER - NS_HIT, "one rate per numastat counter");

/* What --watch keeps between frames: each node's counters and when they were read */
#define WATCH_NODES 1024
struct numa_watch {
	bool have;
	struct timespec at;
	size_t n;
	unsigned id[WATCH_NODES];
	struct numastat ns[WATCH_NODES];
};

/* The rates of node @n since the last frame into @rate (has[k] false: not known, the first
 * frame or a counter that went back), and @n kept for the next */
static void watch_rates(struct numa_watch *w, const struct node *n, size_t i, double dt,
			struct numastat *rate)
{
	memset(rate, 0, sizeof(*rate));
	if (w->have && i < w->n && w->id[i] == n->id && dt > 0 && n->has_numastat)
		for (int k = 0; k < NS_N; k++)
			if (n->ns.has[k] && w->ns[i].has[k] && n->ns.v[k] >= w->ns[i].v[k]) {
				rate->v[k] = (uint64_t)((double)(n->ns.v[k] - w->ns[i].v[k]) / dt + 0.5);
				rate->has[k] = true;
			}
}

static void fill(struct trow *r, const struct node *n, const struct numastat *rate)
{
	trow_count(r, N_NODE, n->id);
	if (n->has_cpus)
		trow_str(r, N_CPUS, n->cpus);
	else
		trow_null(r, N_CPUS);
	for (int c = 0; c < N_NCOLS; c++) {
		if (col_key[c]) {
			const struct meminfo_entry *e = meminfo_get(&n->mi, col_key[c]);
			if (e && e->bytes)
				trow_size(r, (size_t)c, e->value);
			else
				trow_null(r, (size_t)c);
		} else if (c >= N_HIT && c <= N_OTHER) {
			int k = NS_HIT + (c - N_HIT);
			if (n->has_numastat && n->ns.has[k])
				trow_count(r, (size_t)c, n->ns.v[k]);
			else
				trow_null(r, (size_t)c);
		} else if (c >= N_HIT_S && c <= N_OTHER_S) {
			int k = NS_HIT + (c - N_HIT_S);
			if (rate && rate->has[k])
				trow_count(r, (size_t)c, rate->v[k]);
			else
				trow_null(r, (size_t)c);
		}
	}
	const struct meminfo_entry *ht = meminfo_get(&n->mi, "HugePages_Total"),
				   *hb = meminfo_get(&n->mi, "Hugetlb");
	if (n->n_pools == 0) {
		/* no pools read (a dump without hugepages/): what meminfo says, else unknown */
		if (hb && hb->bytes)
			trow_size(r, N_HUGE, hb->value);
		else if (ht && !ht->bytes && ht->value == 0)
			trow_size(r, N_HUGE, 0);
		else
			trow_null(r, N_HUGE);
		trow_null(r, N_HUGE_FREE);
	} else {
		uint64_t nr = 0, fr = 0;
		for (int i = 0; i < n->n_pools; i++) {
			nr += n->pools[i].nr * n->pools[i].page_size;
			fr += n->pools[i].free * n->pools[i].page_size;
		}
		trow_size(r, N_HUGE, nr);
		trow_size(r, N_HUGE_FREE, fr);
	}
	if (n->n_dist) {
		char buf[512];
		size_t len = 0;
		buf[0] = '\0';
		for (size_t i = 0; i < n->n_dist && len < sizeof(buf); i++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%u", i ? " " : "",
						n->dist[i]);
		trow_str(r, N_DIST, buf);
	} else {
		trow_null(r, N_DIST);
	}
}

/* A node made of /proc/meminfo, for a kernel without NUMA: the keys a node's meminfo has
 * that /proc/meminfo lacks are derived, and said to be */
static int node_from_meminfo(struct ctx *ctx, struct node *n, struct ms_error *err)
{
	memset(n, 0, sizeof(*n));
	struct meminfo mi;
	int e = meminfo_read(&ctx->root, &mi, err);
	if (e)
		return e;
	const struct meminfo_entry *t = meminfo_get(&mi, "MemTotal"),
				   *f = meminfo_get(&mi, "MemFree");
	uint64_t file = 0;
	static const char *const parts[] = {"Cached", "Buffers", "SwapCached"};
	bool has_file = true;
	for (int i = 0; i < 3; i++) {
		const struct meminfo_entry *p = meminfo_get(&mi, parts[i]);
		if (p)
			file += p->value;
		else
			has_file = false;
	}
	/* a new array: the parsed one with MemUsed and FilePages added */
	struct meminfo_entry *v = calloc(mi.n + 2, sizeof(*v));
	if (!v) {
		meminfo_free(&mi);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	memcpy(v, mi.v, mi.n * sizeof(*v));
	size_t k = mi.n;
	if (t && f && t->value >= f->value)
		v[k++] = (struct meminfo_entry){"MemUsed", t->value - f->value, true, 0};
	if (has_file)
		v[k++] = (struct meminfo_entry){"FilePages", file, true, 0};
	free(mi.v);
	mi.v = v;
	mi.n = k;
	n->mi = mi;
	n->has_meminfo = true;
	n->n_pools = hugepools_read(&ctx->root, "sys/kernel/mm/hugepages", n->pools, err);
	if (n->n_pools < 0) {
		e = n->n_pools;
		node_free(n);
		return e;
	}
	ctx_note(ctx,
		 "%s no NUMA nodes (no sys/devices/system/node): one node 0 from /proc/meminfo, "
		 "FilePages taken as Cached + Buffers + SwapCached",
		 ctx->root.dir ? "the dump has" : "this kernel has");
	return 0;
}

/* The nodes' MemTotal against /proc/meminfo's, and the zones' present and managed pages */
static void print_summary(struct ctx *ctx, const struct node *v, size_t n, bool fallback)
{
	struct out *o = &ctx->out;
	uint64_t sum = 0;
	bool all = true;
	for (size_t i = 0; i < n; i++) {
		const struct meminfo_entry *t = meminfo_get(&v[i].mi, "MemTotal");
		if (t)
			sum += t->value;
		else
			all = false;
	}
	out_object(o, "summary");
	out_printf(o, "\n");
	char a[32], b[32], d[32];
	out_u64(o, SHOW_JSON, "nodes", NULL, n);
	if (all)
		out_u64(o, SHOW_JSON, "nodes_memtotal", NULL, sum);
	else
		out_null(o, SHOW_JSON, "nodes_memtotal", NULL);
	struct meminfo mi;
	struct ms_error e2 = {0};
	const struct meminfo_entry *t = NULL;
	bool have_mi = !fallback && !meminfo_read(&ctx->root, &mi, &e2);
	if (have_mi)
		t = meminfo_get(&mi, "MemTotal");
	if (all && t) {
		out_size_text(o, sum, a, sizeof(a));
		out_size_text(o, t->value, b, sizeof(b));
		int64_t diff = (int64_t)(t->value - sum);
		out_size_text(o, diff < 0 ? (uint64_t)-diff : (uint64_t)diff, d, sizeof(d));
		out_printf(o, "MemTotal: %s in the %zu node%s, %s in /proc/meminfo (%s%s)\n", a, n,
			   n == 1 ? "" : "s", b, diff == 0 ? "equal" : diff > 0 ? "+" : "-",
			   diff == 0 ? "" : d);
		out_u64(o, SHOW_JSON, "meminfo_memtotal", NULL, t->value);
		out_i64(o, SHOW_JSON, "difference", NULL, diff);
	} else if (!fallback) {
		if (all) {
			out_size_text(o, sum, a, sizeof(a));
			out_printf(o, "MemTotal: %s in the %zu node%s; /proc/meminfo's not read: %s\n",
				   a, n, n == 1 ? "" : "s", have_mi ? "it has no MemTotal" : e2.reason);
		} else {
			out_printf(o, "MemTotal: not known for every node (one has no meminfo, or no MemTotal in it)\n");
		}
		out_null(o, SHOW_JSON, "meminfo_memtotal", NULL);
		out_null(o, SHOW_JSON, "difference", NULL);
	}
	if (have_mi)
		meminfo_free(&mi);
	/* zoneinfo: present and managed per node; a node's MemTotal is its managed pages */
	struct zoneinfo zi;
	if (zoneinfo_read(&ctx->root, &zi, &e2)) {
		out_end(o);
		return;
	}
	uint64_t ps = ctx_page_size(ctx);
	out_array(o, "zones");
	for (size_t i = 0; i < n; i++) {
		uint64_t present = 0, managed = 0;
		bool found = false, has_managed = true;
		for (size_t z = 0; z < zi.n; z++) {
			if (zi.v[z].node != v[i].id)
				continue;
			found = true;
			present += zi.v[z].f[ZF_PRESENT];
			if (zi.v[z].has[ZF_MANAGED])
				managed += zi.v[z].f[ZF_MANAGED];
			else
				has_managed = false;
		}
		if (!found)
			continue;
		out_object(o, NULL);
		out_u64(o, SHOW_JSON, "node", NULL, v[i].id);
		out_u64(o, SHOW_JSON, "present_pages", NULL, present);
		out_size_text(o, present * ps, a, sizeof(a));
		if (has_managed) {
			out_u64(o, SHOW_JSON, "managed_pages", NULL, managed);
			out_size_text(o, managed * ps, b, sizeof(b));
			out_size_text(o, (present - managed) * ps, d, sizeof(d));
			out_printf(o,
				   "Node %u zones: %" PRIu64 " pages present (%s), %" PRIu64
				   " managed (%s): %s present, not managed\n",
				   v[i].id, present, a, managed, b, d);
		} else {
			out_null(o, SHOW_JSON, "managed_pages", NULL);
			out_printf(o, "Node %u zones: %" PRIu64 " pages present (%s)\n", v[i].id,
				   present, a);
		}
		out_end(o);
	}
	out_end(o);
	zoneinfo_free(&zi);
	out_end(o);
}

/* A node's span and its zones, for the diagram */
struct node_span {
	unsigned id;
	uint64_t start, end; /* inclusive */
	struct diagram_box *zones;
	size_t n;
	char label[64];
};

/* The nodes' memory blocks: per node how many are online, and the ranges they make */
static void print_blocks(struct ctx *ctx, const struct node_span *sp, size_t ns)
{
	struct memblocks mb;
	struct ms_error e2 = {0};
	if (memblocks_read(&ctx->root, &mb, &e2) || !mb.have_nodes || !mb.block_size) {
		if (!mb.have_nodes && !e2.reason[0])
			ctx_note(ctx, "the memory blocks name no nodes: they are not drawn");
		memblocks_free(&mb);
		return;
	}
	/* the ranges as blocks merges them, split by node alone */
	struct mb_range *g = calloc(mb.n ? mb.n : 1, sizeof(*g));
	if (!g) {
		memblocks_free(&mb);
		return;
	}
	size_t ng = memblocks_merge(&mb, MB_SPLIT_NODE, g);
	struct out *o = &ctx->out;
	char bs[32];
	out_size_text(o, mb.block_size, bs, sizeof(bs));
	out_printf(o, "\nMemory blocks of %s (sys/devices/system/memory)\n", bs);
	for (size_t k = 0; k < ns; k++) {
		uint64_t online = 0, blocks = 0, outside = 0;
		char ranges[512] = "";
		size_t len = 0, shown = 0;
		for (size_t r = 0; r < ng; r++) {
			const struct memblock *f = &mb.v[g[r].first];
			if (f->node < 0 || (unsigned)f->node != sp[k].id)
				continue;
			for (size_t i = g[r].first; i < g[r].first + g[r].count; i++) {
				uint64_t s0 = mb.v[i].index * mb.block_size;
				online += mb.v[i].state == MB_ONLINE;
				outside += s0 + mb.block_size - 1 < sp[k].start || s0 > sp[k].end;
			}
			blocks += g[r].count;
			uint64_t s0 = f->index * mb.block_size,
				 e1 = (f->index + g[r].count) * mb.block_size - 1;
			if (shown++ < 6 && len < sizeof(ranges))
				len += (size_t)snprintf(ranges + len, sizeof(ranges) - len,
							"%s0x%" PRIx64 "-0x%" PRIx64, len ? ", " : "",
							s0, e1);
			else if (shown == 7 && len < sizeof(ranges))
				len += (size_t)snprintf(ranges + len, sizeof(ranges) - len, ", ...");
		}
		char on[32];
		out_size_text(o, online * mb.block_size, on, sizeof(on));
		out_printf(o, "  node %u: %" PRIu64 " block%s, %" PRIu64 " online (%s)%s%s\n",
			   sp[k].id, blocks, blocks == 1 ? "" : "s", online, on,
			   blocks ? ": " : "", ranges);
		if (outside)
			ctx_note(ctx, "%" PRIu64 " of node %u's memory blocks lie outside its zones' span (zoneinfo and the blocks read a moment apart, or memory hot-plugged between)",
				 outside, sp[k].id);
	}
	free(g);
	memblocks_free(&mb);
}

/* The nodes on the physical address line, each box a node holding its zones (zoneinfo's
 * start_pfn and spanned); nodes whose spans cross (a node's zone inside another's) are
 * listed instead */
static int print_diagram(struct ctx *ctx, const struct node *v, size_t n, struct ms_error *err)
{
	struct zoneinfo zi;
	int e = zoneinfo_read(&ctx->root, &zi, err);
	if (e)
		return e;
	uint64_t ps = ctx_page_size(ctx);
	struct node_span *sp = calloc(n ? n : 1, sizeof(*sp));
	struct diagram_box *boxes = calloc(zi.n ? zi.n : 1, sizeof(*boxes));
	char(*labels)[64] = calloc(zi.n ? zi.n : 1, sizeof(*labels));
	if (!sp || !boxes || !labels)
		e = ms_say(err, -ENOMEM, "out of memory");
	size_t ns = 0, nz = 0;
	for (size_t k = 0; !e && k < n; k++) {
		struct node_span *s = &sp[ns];
		*s = (struct node_span){.id = v[k].id, .start = UINT64_MAX, .zones = boxes + nz};
		for (size_t i = 0; i < zi.n; i++) {
			const struct zone *z = &zi.v[i];
			if (z->node != v[k].id || !z->has[ZF_START_PFN] || !z->f[ZF_SPANNED])
				continue;
			struct diagram_box *b = &boxes[nz];
			b->start = z->f[ZF_START_PFN] * ps;
			b->end = (z->f[ZF_START_PFN] + z->f[ZF_SPANNED]) * ps - 1;
			snprintf(labels[nz], sizeof(labels[nz]), "%s", z->name);
			b->label = labels[nz];
			if (b->start < s->start)
				s->start = b->start;
			if (b->end > s->end)
				s->end = b->end;
			nz++;
			s->n++;
		}
		if (s->n)
			ns++;
	}
	/* the nodes as boxes, unless their spans cross */
	struct diagram_box *top = e ? NULL : calloc(ns ? ns : 1, sizeof(*top));
	if (!e && !top)
		e = ms_say(err, -ENOMEM, "out of memory");
	bool cross = false;
	for (size_t k = 0; !e && k < ns; k++) {
		char sz[32];
		uint64_t present = 0;
		for (size_t i = 0; i < zi.n; i++)
			if (zi.v[i].node == sp[k].id)
				present += zi.v[i].f[ZF_PRESENT];
		out_size_text(&ctx->out, present * ps, sz, sizeof(sz));
		snprintf(sp[k].label, sizeof(sp[k].label), "node %u: %s present", sp[k].id, sz);
		top[k] = (struct diagram_box){sp[k].start, sp[k].end, sp[k].label, sp[k].zones,
					       sp[k].n};
		diagram_sort((struct diagram_box *)top[k].children, top[k].nchildren);
	}
	if (!e) {
		diagram_sort(top, ns);
		for (size_t k = 1; k < ns; k++)
			cross |= top[k].start <= top[k - 1].end;
		const struct diagram_opts opt = {
			.width = 48,
			.huge_gap = UINT64_C(1) << 30,
			.gap_label = "no node",
			.inner_gap_label = "no zone",
		};
		if (cross) {
			/* overlapping boxes would draw a false picture: the spans as a list */
			ctx_note(ctx, "the nodes' spans cross (a zone of one lies inside another's): "
				      "listed, not drawn");
			out_printf(&ctx->out, "The nodes' zones (their spans cross: no picture):\n");
			for (size_t k = 0; k < ns; k++)
				for (size_t i = 0; i < sp[k].n; i++) {
					const struct diagram_box *b = &sp[k].zones[i];
					char sz[32];
					out_size_text(&ctx->out, b->end - b->start + 1, sz, sizeof(sz));
					out_printf(&ctx->out,
						   "  node %u %-8s 0x%012" PRIx64 "-0x%012" PRIx64 " (%s)\n",
						   sp[k].id, b->label, b->start, b->end, sz);
				}
		} else {
			e = diagram_map(&ctx->out, top, ns, &opt);
		}
		e = printed(e, err);
	}
	if (!e)
		print_blocks(ctx, sp, ns);
	free(top);
	free(sp);
	free(boxes);
	free(labels);
	zoneinfo_free(&zi);
	return e;
}

/* The nodes, once or as one frame of --watch (@w: the counters of the frame before) */
static int frame(struct ctx *ctx, const struct numa_args *a, struct numa_watch *w,
		 struct ms_error *err)
{
	struct table *tb;
	int e = table_from_args(ctx, numa_cols, N_NCOLS, "nodes", &a->tbl,
				w ? "NODE,TOTAL,FREE,USED,HIT/S,MISS/S,FOREIGN/S,INTERLEAVE/S,"
				    "LOCAL/S,OTHER/S" /* 80 columns */
				  : NULL,
				&tb, err);
	if (e)
		return e;
	unsigned *ids = NULL;
	int count = node_list(&ctx->root, &ids, err);
	if (count < 0) {
		table_free(tb);
		return count;
	}
	bool fallback = count == 0;
	size_t n = fallback ? 1 : (size_t)count;
	struct node *v = calloc(n, sizeof(*v));
	if (!v) {
		free(ids);
		table_free(tb);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	size_t got = 0;
	if (fallback) {
		e = node_from_meminfo(ctx, &v[0], err);
		got = e ? 0 : 1;
	} else {
		for (; !e && got < n; got++)
			if ((e = node_read(&ctx->root, ids[got], &v[got], err)))
				break;
	}
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double dt = w ? (double)(now.tv_sec - w->at.tv_sec) +
				(double)(now.tv_nsec - w->at.tv_nsec) / 1e9
		      : 0;
	for (size_t i = 0; !e && i < got; i++) {
		/* old kernels' per-node counters drift (2.6 ia64 dumps give a node more AnonPages
		 * than it has memory): shown as read, and said */
		if (!v[i].has_meminfo)
			ctx_note(ctx, "node %u has no meminfo: its memory is not known", v[i].id);
		const struct meminfo_entry *t = meminfo_get(&v[i].mi, "MemTotal");
		for (int c = N_FILE; t && c <= N_PTABLES; c++) {
			const struct meminfo_entry *x = meminfo_get(&v[i].mi, col_key[c]);
			if (x && x->bytes && x->value > t->value)
				ctx_note(ctx, "node %u's %s (%" PRIu64 " kB) exceeds its MemTotal (%" PRIu64
					 " kB): the kernel's counter, shown as read",
					 v[i].id, col_key[c], x->value >> 10, t->value >> 10);
		}
		struct numastat rate;
		if (w)
			watch_rates(w, &v[i], i, dt, &rate);
		struct trow *r = table_add(tb, NULL);
		fill(r, &v[i], w ? &rate : NULL);
	}
	if (!e && w) {
		/* kept for the next frame's rates */
		w->n = got < WATCH_NODES ? got : WATCH_NODES;
		for (size_t i = 0; i < w->n; i++) {
			w->id[i] = v[i].id;
			w->ns[i] = v[i].ns;
		}
		w->at = now;
		w->have = true;
	}
	if (!e && a->diagram)
		table_show(tb, SHOW_JSON); /* the text is the picture */
	if (!e)
		e = printed(table_print(tb, &ctx->out), err);
	if (!e && a->diagram)
		e = print_diagram(ctx, v, got, err);
	if (!e && !a->tbl.raw)
		print_summary(ctx, v, got, fallback);
	for (size_t i = 0; i < got; i++)
		node_free(&v[i]);
	free(v);
	free(ids);
	table_free(tb);
	return e;
}

static int watch_frame(struct ctx *ctx, void *arg, struct ms_error *err)
{
	void **c = arg;
	return frame(ctx, c[0], c[1], err);
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct numa_args *a = args;
	if (a->npids && (a->watch.on || a->diagram))
		return ms_usage(err, "--%s shows the nodes: it takes no PID",
				a->watch.on ? "watch" : "diagram");
	if (a->npids)
		return run_pids(ctx, a, err);
	if (!a->watch.on)
		return frame(ctx, a, NULL, err);
	struct numa_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return ms_say(err, -ENOMEM, "out of memory");
	void *c[2] = {a, w};
	int rc = watch_loop(ctx, "numa", a->watch.interval_ms, a->watch.count, watch_frame, c, err);
	free(w);
	return rc;
}

COMMAND(numa, struct numa_args,
	.summary = "NUMA nodes: memory per node as numastat -m, hugetlb pools, CPUs, distances",
	.flags = CMD_SYSROOT | CMD_OUTPUT, .columns = &numa_columns);
