/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope buddy: the buddy allocator's free lists per node and zone, how fragmented they are,
 * per migrate type, and live with --watch. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "decode/frag.h"
#include "out/diagram.h"
#include "lib/escape.h"
#include "out/table.h"
#include "lib/units.h"
#include "proc/buddyinfo.h"
#include "proc/pagetypeinfo.h"
#include "proc/vmstat.h"
#include "sys/caps.h"
#include "sys/msg.h"
#include "sys/term.h"

struct buddy_args {
	bool diagram, types;
	struct watch_opts watch;
};

static const struct opts buddy_opts = {
	.opt = OPTIONS(
		OPT_BOOL("diagram", 0, struct buddy_args, diagram,
			 "Per zone, a bar per order scaled to the bytes it holds, and the "
			 "fragmentation index"),
		OPT_BOOL("types", 0, struct buddy_args, types,
			 "Free blocks per migrate type, from /proc/pagetypeinfo"),
		OPT_WATCH(struct buddy_args, watch.on, watch.interval_ms, 1000,
			  "Redraw every SECONDS (default 1, decimals allowed): changes per order "
			  "since the last frame and since the start, history of free memory; q or "
			  "Ctrl-C ends"),
		OPT_COUNT(struct buddy_args, watch.count)),
	.rules = RULES(
		OPT_NEEDS("count", "watch"),
		OPT_EXCLUDE("diagram", "types")),
	.doc = "Show the buddy allocator's free blocks per node, zone and order from "
	       "/proc/buddyinfo: what they amount to, the largest free block, and the unusable "
	       "free space index per order (the share of free memory that cannot serve an "
	       "allocation of that order).\v"
	       "Not on a terminal, or with --json, --watch writes one complete frame per interval "
	       "(JSON: one object per line).",
};

enum {
	C_NAME, C_NODE, C_ZONE, C_BLOCK, C_BLOCKS, C_PAGES, C_FREE, C_LARGEST, C_UNUSABLE, C_DPREV,
	C_DSTART, C_NCOLS
};

static const struct col_def buddy_cols[] = {
	[C_NAME] = {"ZONE", NULL, COL_STR, COLF_DEFAULT | COLF_TREE, "node and zone, then order", NULL},
	[C_NODE] = {"NODE", "node", COL_COUNT, COLF_DEFAULT | COLF_SHOW(SHOW_JSON), "NUMA node", NULL},
	[C_ZONE] = {"ZONENAME", "zone", COL_STR, COLF_DEFAULT | COLF_SHOW(SHOW_JSON), "zone", NULL},
	[C_BLOCK] = {"BLOCK", NULL, COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "block size of the order", NULL},
	[C_BLOCKS] = {"BLOCKS", NULL, COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "free blocks",
		      "free_blocks"},
	[C_PAGES] = {"PAGES", "free_pages", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "free pages", NULL},
	[C_FREE] = {"FREE", "free_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "free bytes", NULL},
	[C_LARGEST] = {"LARGEST", "largest_block_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
		       "largest free block", NULL},
	[C_UNUSABLE] = {"UNUSABLE", NULL, COL_INDEX, COLF_DEFAULT | COLF_RIGHT,
			"unusable free space index", "unusable_index"},
	[C_DPREV] = {"CHANGE", NULL, COL_DELTA, COLF_RIGHT, "change since the last frame",
		     "change_blocks"},
	[C_DSTART] = {"SINCE START", NULL, COL_DELTA, COLF_RIGHT, "change since the first frame",
		      "change_blocks_since_start"},
};

/* What --watch keeps between frames. */
#define HISTORY 240
struct watch_state {
	struct buddyinfo start, prev;
	bool have_start;
	struct vmstat vm_start, vm_prev;
	uint64_t free_hist[HISTORY], unusable_hist[HISTORY];
	size_t nhist;
	long frame;
	long interval_ms;
};

static const struct buddy_zone *match(const struct buddyinfo *bi, const struct buddy_zone *z)
{
	for (size_t i = 0; bi && i < bi->n; i++)
		if (bi->v[i].node == z->node && !strcmp(bi->v[i].zone, z->zone))
			return &bi->v[i];
	return NULL;
}

/* The zones and their orders; @text: in text too (--watch draws print_watch_table() instead,
 * and --diagram its bars). */
static int print_zones(struct ctx *ctx, const struct buddyinfo *bi, uint64_t ps,
		       const struct watch_state *w, bool text)
{
	struct table *tb = table_new(buddy_cols, C_NCOLS, "zones");
	if (!tb)
		return -ENOMEM;
	table_json_child_lists(tb);
	if (!text)
		table_show(tb, SHOW_JSON);
	if (w)
		table_select(tb, "+CHANGE,SINCE START", NULL);
	for (size_t i = 0; i < bi->n; i++) {
		const struct buddy_zone *z = &bi->v[i];
		const struct buddy_zone *p = w ? match(&w->prev, z) : NULL;
		const struct buddy_zone *s = w ? match(&w->start, z) : NULL;
		struct trow *r = table_add(tb, NULL);
		char name[64];
		snprintf(name, sizeof(name), "node %u %s", z->node, z->zone);
		trow_str(r, C_NAME, name);
		trow_count(r, C_NODE, z->node);
		trow_str(r, C_ZONE, z->zone);
		uint64_t pages = frag_free_pages(z->free, bi->orders);
		int largest = frag_largest_order(z->free, bi->orders);
		trow_count(r, C_PAGES, pages);
		trow_size(r, C_FREE, pages * ps);
		trow_size(r, C_LARGEST, largest < 0 ? 0 : ps << largest);
		/* the parser keeps orders within BUDDY_MAX_ORDERS; the bound says so to the compiler */
		for (unsigned o = 0; o < bi->orders && o < BUDDY_MAX_ORDERS; o++) {
			struct trow *c = table_add(tb, r);
			snprintf(name, sizeof(name), "order %u", o);
			trow_str(c, C_NAME, name);
			trow_size(c, C_BLOCK, ps << o);
			trow_count(c, C_BLOCKS, z->free[o]);
			trow_count(c, C_PAGES, z->free[o] << o);
			trow_size(c, C_FREE, (z->free[o] << o) * ps);
			trow_index(c, C_UNUSABLE, frag_unusable_index(z->free, bi->orders, o));
			if (w) {
				trow_delta(c, C_DPREV, p ? (int64_t)(z->free[o] - p->free[o]) : 0);
				trow_delta(c, C_DSTART, s ? (int64_t)(z->free[o] - s->free[o]) : 0);
			}
		}
	}
	int e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

/* A zone's bars: the bytes held at each order (@unusable false), or the unusable free space
 * index of each order, in @rows (one per order). */
static void diagram_rows(const struct out *o, const struct buddy_zone *z, unsigned orders,
			 uint64_t ps, bool unusable, struct diagram_hbar *rows)
{
	for (unsigned k = 0; k < orders && k < BUDDY_MAX_ORDERS; k++) {
		if (unusable) {
			unsigned idx = frag_unusable_index(z->free, orders, k);
			snprintf(rows[k].left, sizeof(rows[k].left), "  %2u %6s", k, "");
			rows[k].value = idx;
			snprintf(rows[k].right, sizeof(rows[k].right), "%u.%03u", idx / 1000,
				 idx % 1000);
			continue;
		}
		char blk[32], by[32];
		out_size_text(o, ps << k, blk, sizeof(blk));
		out_size_text(o, (z->free[k] << k) * ps, by, sizeof(by));
		snprintf(rows[k].left, sizeof(rows[k].left), "  %2u %6s", k, blk);
		rows[k].value = z->free[k] << k;
		snprintf(rows[k].right, sizeof(rows[k].right), "%8" PRIu64 " x = %s", z->free[k], by);
	}
}

static int print_diagram(struct ctx *ctx, const struct buddyinfo *bi, uint64_t ps)
{
	struct out *o = &ctx->out;
	if (!out_shows(o, SHOW_TEXT))
		return 0; /* bars are text: nothing to work out for JSON */
	unsigned orders = bi->orders < BUDDY_MAX_ORDERS ? bi->orders : BUDDY_MAX_ORDERS;
	struct diagram_hbar rows[BUDDY_MAX_ORDERS];
	/* one width for every bar of the picture, free memory and fragmentation alike, so that
	 * in a narrow terminal they narrow together and stay comparable */
	int width = 40;
	for (size_t i = 0; i < bi->n; i++)
		for (int u = 0; u < 2; u++) {
			diagram_rows(o, &bi->v[i], orders, ps, u, rows);
			int w = diagram_hbars_width(o, rows, orders, 40);
			width = w < width ? w : width;
		}
	for (size_t i = 0; i < bi->n; i++) {
		const struct buddy_zone *z = &bi->v[i];
		uint64_t pages = frag_free_pages(z->free, bi->orders);
		int largest = frag_largest_order(z->free, bi->orders);
		char free_s[32], big[32], zone[sizeof(z->zone) * 4], head[256];
		/* the zone's name as the file gives it: escaped before a terminal */
		escape_text(z->zone, strlen(z->zone), zone, sizeof(zone));
		out_size_text(o, pages * ps, free_s, sizeof(free_s));
		out_size_text(o, largest < 0 ? 0 : ps << largest, big, sizeof(big));
		if (i)
			out_printf(o, "\n");
		/* a heading: wrapped between words in a narrow terminal, whole in a pipe */
		snprintf(head, sizeof(head), "Node %u, zone %s: %s free in %" PRIu64
			 " pages, largest block %s", z->node, zone, free_s, pages,
			 largest < 0 ? "none" : big);
		diagram_note(o, head, 0, 0, 0);
		diagram_note(o, "free memory by order (bytes held in blocks of each size)", 2, 2, 100);
		diagram_rows(o, z, orders, ps, false, rows);
		diagram_hbars(o, rows, orders, 0, width);
		diagram_note(o, "unusable free space index (share of free memory too fragmented "
				"for an allocation of each order)", 2, 2, 100);
		diagram_rows(o, z, orders, ps, true, rows);
		diagram_hbars(o, rows, orders, 1000, width);
	}
	return 0;
}

static int print_types(struct ctx *ctx, struct ms_error *err)
{
	struct pagetypeinfo pt;
	/* The kernel makes /proc/pagetypeinfo mode 0400 root (proc_create_seq() in mm/vmstat.c):
	 * the open is an ordinary permission check, which root or CAP_DAC_READ_SEARCH (or
	 * CAP_DAC_OVERRIDE) passes. Installed with file capabilities, or given them ambient,
	 * memscope raises them for this open of the live file only; a dump's files are read
	 * with the user's own rights. */
	bool raised = !ctx->root.dir && caps_raise();
	int ret = pagetypeinfo_read(&ctx->root, &pt, err);
	if (raised)
		caps_lower();
	bool empty = ret == -EACCES && !strncmp(err->reason, "empty file", 10);
	if (empty && ctx->root.dir) {
		/* a dump made without root holds it empty: nothing anyone can do about that now
		 * (a file of the dump we may not open is said as any other file) */
		char file[sizeof(err->file)];
		snprintf(file, sizeof(file), "%s", err->file);
		return ms_say(err, ret,
			      "'%s': empty in the dump (the kernel shows pagetypeinfo to root only, "
			      "and the dump was made without); 'memscope buddy' without --types still "
			      "works",
			      file);
	}
	if ((ret == -EACCES || ret == -EPERM) && !ctx->root.dir) {
		char why[2200];
		return ms_say(err, ret, "%s; 'memscope buddy' without --types still works",
			      ctx_unreadable(ctx, "proc/pagetypeinfo", -ret,
					     "root or CAP_DAC_READ_SEARCH: the kernel makes it mode "
					     "0400 root",
					     why, sizeof(why)));
	}
	if (ret)
		return ret;
	uint64_t ps = ctx_page_size(ctx);
	ctx_machine_json(ctx, false, true);
	/* one text column per order; in JSON they form one "free_blocks" array */
	struct col_def cols[3 + BUDDY_MAX_ORDERS + 1];
	char heads[BUDDY_MAX_ORDERS][12];
	cols[0] = (struct col_def){"NODE", "node", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "node", NULL};
	cols[1] = (struct col_def){"ZONE", "zone", COL_STR, COLF_DEFAULT, "zone", NULL};
	cols[2] = (struct col_def){"TYPE", "type", COL_STR, COLF_DEFAULT, "migrate type", NULL};
	for (unsigned k = 0; k < pt.orders; k++) {
		snprintf(heads[k], sizeof(heads[k]), "%u", k);
		cols[3 + k] = (struct col_def){heads[k], "free_blocks", COL_COUNT,
					       COLF_DEFAULT | COLF_RIGHT | COLF_LIST, "order", NULL};
	}
	cols[3 + pt.orders] =
		(struct col_def){"FREE", "free_bytes", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "free", NULL};
	struct table *tb = table_new(cols, 4 + pt.orders, "types");
	int e = tb ? 0 : -ENOMEM;
	for (size_t i = 0; i < pt.n && !e; i++) {
		struct trow *r = table_add(tb, NULL);
		trow_count(r, 0, pt.v[i].node);
		trow_str(r, 1, pt.v[i].zone);
		trow_str(r, 2, pt.v[i].type);
		for (unsigned k = 0; k < pt.orders; k++)
			trow_count(r, 3 + k, pt.v[i].free[k]);
		trow_size(r, 3 + pt.orders, frag_free_pages(pt.v[i].free, pt.orders) * ps);
	}
	if (!e)
		e = table_print(tb, &ctx->out);
	table_free(tb);
	pagetypeinfo_free(&pt);
	return printed(e, err);
}

/* --watch's text: one line of counts per zone with the orders as columns, and under it the
 * changes since the last frame and since the first, so a frame fits a terminal */
static int print_watch_table(struct ctx *ctx, const struct buddyinfo *bi, uint64_t ps,
			     const struct watch_state *w)
{
	struct col_def cols[3 + BUDDY_MAX_ORDERS];
	char heads[BUDDY_MAX_ORDERS][12];
	cols[0] = (struct col_def){"ZONE", NULL, COL_STR, COLF_DEFAULT | COLF_TREE, "zone", NULL};
	cols[1] = (struct col_def){"FREE", NULL, COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "free", NULL};
	cols[2] = (struct col_def){"LARGEST", NULL, COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL};
	for (unsigned k = 0; k < bi->orders; k++) {
		snprintf(heads[k], sizeof(heads[k]), "%u", k);
		cols[3 + k] = (struct col_def){heads[k], NULL, COL_COUNT, COLF_DEFAULT | COLF_RIGHT,
					       "order", NULL};
	}
	struct table *tb = table_new(cols, 3 + bi->orders, "watch");
	if (!tb)
		return -ENOMEM;
	table_show(tb, SHOW_TEXT);
	int e = 0;
	for (size_t i = 0; i < bi->n && !e; i++) {
		const struct buddy_zone *z = &bi->v[i];
		const struct buddy_zone *p = match(&w->prev, z), *s = match(&w->start, z);
		struct trow *r = table_add(tb, NULL);
		struct trow *rp = table_add(tb, r);
		struct trow *rs = table_add(tb, r);
		char name[64];
		snprintf(name, sizeof(name), "node %u %s", z->node, z->zone);
		trow_str(r, 0, name);
		trow_str(rp, 0, "change");
		trow_str(rs, 0, "since start");
		int largest = frag_largest_order(z->free, bi->orders);
		trow_size(r, 1, frag_free_pages(z->free, bi->orders) * ps);
		trow_size(r, 2, largest < 0 ? 0 : ps << largest);
		for (unsigned k = 0; k < bi->orders; k++) {
			trow_count(r, 3 + k, z->free[k]);
			trow_delta(rp, 3 + k, p ? (int64_t)(z->free[k] - p->free[k]) : 0);
			trow_delta(rs, 3 + k, s ? (int64_t)(z->free[k] - s->free[k]) : 0);
		}
	}
	if (!e)
		e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

/* --watch: the changes of the compaction counters, and histories as sparklines */
static void print_watch_extras(struct ctx *ctx, const struct buddyinfo *bi, struct watch_state *w,
			       const struct vmstat *vm)
{
	struct out *o = &ctx->out;
	uint64_t pages = 0;
	for (size_t i = 0; i < bi->n; i++)
		pages += frag_free_pages(bi->v[i].free, bi->orders);
	/* the high order: 2 MiB blocks (THP) where the kernel has them, else the top order */
	unsigned high = bi->orders > 9 ? 9 : bi->orders - 1;
	uint64_t worst = 0;
	for (size_t i = 0; i < bi->n; i++) {
		unsigned idx = frag_unusable_index(bi->v[i].free, bi->orders, high);
		if (frag_free_pages(bi->v[i].free, bi->orders) && idx > worst)
			worst = idx;
	}
	if (w->nhist == HISTORY) {
		memmove(w->free_hist, w->free_hist + 1, (HISTORY - 1) * sizeof(uint64_t));
		memmove(w->unusable_hist, w->unusable_hist + 1, (HISTORY - 1) * sizeof(uint64_t));
		w->nhist--;
	}
	w->free_hist[w->nhist] = pages;
	w->unusable_hist[w->nhist] = worst;
	w->nhist++;

	out_i64(o, SHOW_JSON, "frame", NULL, w->frame);
	out_object(o, "vmstat");
	for (int c = 0; c < VM_NCOUNTERS; c++)
		if (vm->has[c])
			out_word(o, SHOW_JSON, vmstat_name(c), NULL, vm->v[c]); /* free-running */
	out_end(o);
	int cols = term_columns();
	size_t n = w->nhist, width = cols > 60 ? (size_t)cols - 40 : 20;
	if (n > width)
		n = width;
	bool utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	char spark[HISTORY * 4];
	diagram_sparkline(w->free_hist + w->nhist - n, n, utf8, spark, sizeof(spark));
	out_printf(o, "\nfree pages      %s %" PRIu64 "\n", spark, pages);
	diagram_sparkline(w->unusable_hist + w->nhist - n, n, utf8, spark, sizeof(spark));
	/* the label padded as a whole, so the sparklines line up whatever the order's width */
	char label[32];
	snprintf(label, sizeof(label), "unusable (o%u)", high);
	out_printf(o, "%-16s%s %" PRIu64 ".%03" PRIu64 " (worst zone)\n", label, spark,
		worst / 1000, worst % 1000);
	bool any = false;
	for (int c = 0; c < VM_NCOUNTERS; c++) {
		if (!vm->has[c])
			continue;
		int64_t d = w->have_start ? (int64_t)(vm->v[c] - w->vm_prev.v[c]) : 0;
		int64_t ds = w->have_start ? (int64_t)(vm->v[c] - w->vm_start.v[c]) : 0;
		if (!any)
			out_printf(o, "\n%-22s %12s %8s %11s\n", "/proc/vmstat", "count", "change",
				"since start");
		out_printf(o, "%-22s %12" PRIu64 " %+8" PRId64 " %+11" PRId64 "\n", vmstat_name(c),
			vm->v[c], d, ds);
		any = true;
	}
}


/* One frame: read, render into ctx->out. Returns 0 or -errno with @err filled. */
static int frame(struct ctx *ctx, const struct buddy_args *a, struct watch_state *w,
		 struct ms_error *err)
{
	struct buddyinfo bi;
	struct vmstat vm = {0};
	memset(&bi, 0, sizeof(bi));
	/* --types needs pagetypeinfo only */
	int e = a->types ? 0 : buddyinfo_read(&ctx->root, &bi, err);
	if (e)
		return e;
	/* after the read: a dump without buddyinfo needs no word on its page size (--types
	 * asks once pagetypeinfo is read) */
	uint64_t ps = a->types ? 0 : ctx_page_size(ctx);
	if (w)
		vmstat_read(&ctx->root, &vm, NULL); /* optional: absent in some dumps */
	out_object(&ctx->out, "buddy");
	if (!a->types)
		ctx_machine_json(ctx, false, true);
	if (a->types)
		e = print_types(ctx, err); /* its errors worded */
	else if (a->diagram)
		e = print_diagram(ctx, &bi, ps);
	if (!e && !a->types)
		e = print_zones(ctx, &bi, ps, w, !a->diagram && !w);
	if (!e && w && !a->types && !a->diagram)
		e = print_watch_table(ctx, &bi, ps, w);
	if (!e && w && !a->types) {
		print_watch_extras(ctx, &bi, w, &vm);
		if (!w->have_start) {
			if (buddyinfo_copy(&w->start, &bi))
				e = -ENOMEM;
			w->vm_start = vm;
			w->have_start = true;
		}
		/* this frame is the next one's "previous": hand the rows over */
		buddyinfo_free(&w->prev);
		w->prev = bi;
		memset(&bi, 0, sizeof(bi));
		w->vm_prev = vm;
	}
	out_end(&ctx->out);
	buddyinfo_free(&bi);
	return a->types ? e : printed(e, err);
}

struct watch_call {
	const struct buddy_args *a;
	struct watch_state w;
};

static int watch_frame(struct ctx *ctx, void *arg, struct ms_error *err)
{
	struct watch_call *c = arg;
	int rc = frame(ctx, c->a, &c->w, err);
	c->w.frame++;
	return rc;
}

static int watch(struct ctx *ctx, struct buddy_args *a, struct ms_error *err)
{
	struct watch_call c = {.a = a, .w = {.interval_ms = a->watch.interval_ms}};
	int rc = watch_loop(ctx, "buddy", a->watch.interval_ms, a->watch.count, watch_frame, &c, err);
	buddyinfo_free(&c.w.start);
	buddyinfo_free(&c.w.prev);
	return rc;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct buddy_args *a = args;
	if (a->watch.on)
		return watch(ctx, a, err);
	return frame(ctx, a, NULL, err);
}

COMMAND(buddy, struct buddy_args,
	.summary = "buddy allocator free lists and fragmentation, live with --watch",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
