/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope blocks: the memory blocks of /sys/devices/system/memory (memory hotplug) merged into
 * ranges as lsmem(1) prints them, or each block (--all), with the summary lsmem gives. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "command.h"
#include "opts.h"
#include "lib/units.h"
#include "lib/words.h"
#include "out/table.h"
#include "proc/memblock.h"

enum summary_when { SUM_DEFAULT, SUM_NEVER, SUM_ALWAYS, SUM_ONLY };

struct blocks_args {
	struct table_args tbl;
	bool all;
	const char *split;
	int summary; /* enum summary_when */
};

enum {
	B_RANGE, B_START, B_END, B_SIZE, B_STATE, B_REMOVABLE, B_BLOCK, B_BLOCKS, B_NODE, B_ZONES,
	B_PHYS, B_MEMMAP, B_NCOLS
};

#define NUM (COLF_DEFAULT | COLF_RIGHT)
static const struct col_def blocks_cols[] = {
	[B_RANGE] = {"RANGE", "range", COL_STR, COLF_DEFAULT,
		     "start and end address of the range, as lsmem prints it", NULL},
	[B_START] = {"START", "start", COL_ADDR, 0, "first byte of the range", NULL},
	[B_END] = {"END", "end", COL_ADDR, 0, "last byte of the range", NULL},
	[B_SIZE] = {"SIZE", "size", COL_SIZE, NUM, "size of the range: blocks x block size", NULL},
	[B_STATE] = {"STATE", "state", COL_STR, NUM, "online, offline or going-offline", NULL},
	[B_REMOVABLE] = {"REMOVABLE", "removable", COL_BOOL, NUM,
			 "the kernel may offline it (online blocks only)", NULL},
	[B_BLOCK] = {"BLOCK", "block", COL_STR, NUM, "the block number, or FIRST-LAST", NULL},
	[B_BLOCKS] = {"BLOCKS", "blocks", COL_COUNT, COLF_RIGHT, "blocks in the range", NULL},
	[B_NODE] = {"NODE", "node", COL_COUNT, COLF_RIGHT, "NUMA node (the block's nodeN link)",
		    NULL},
	[B_ZONES] = {"ZONES", "zones", COL_STR, COLF_RIGHT,
		     "valid_zones: the zone of an online block (None: more than one), the zones "
		     "an offline one may join",
		     NULL},
	[B_PHYS] = {"PHYS_DEV", "phys_device", COL_COUNT, COLF_RIGHT,
		    "phys_device: the card or DIMM it belongs to where the platform says (s390), "
		    "else 0",
		    NULL},
	[B_MEMMAP] = {"MEMMAP", "memmap_on_memory", COL_BOOL, COLF_RIGHT,
		      "its struct pages live in the block itself (memmap_on_memory, where the "
		      "kernel has it)",
		      NULL},
};
static const struct columns blocks_columns = COLUMNS(
	blocks_cols, "A range goes on while the next block is equal in each of STATE, REMOVABLE, "
		     "NODE, ZONES, PHYS_DEV and MEMMAP that is shown (--split chooses others).");

/* The split each column makes, 0: none */
static const unsigned col_split[B_NCOLS] = {
	[B_STATE] = MB_SPLIT_STATE, [B_REMOVABLE] = MB_SPLIT_REMOVABLE, [B_NODE] = MB_SPLIT_NODE,
	[B_ZONES] = MB_SPLIT_ZONES, [B_PHYS] = MB_SPLIT_PHYS_DEVICE,	 [B_MEMMAP] = MB_SPLIT_MEMMAP,
};

/* --split LIST: columns that split (any case), or "none"; 0 or -EINVAL */
static int split_mask(const char *list, unsigned *mask)
{
	*mask = 0;
	if (!strcasecmp(list, "none"))
		return 0;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", list);
	char *save = NULL;
	for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int c = col_lookup(blocks_cols, B_NCOLS, w);
		if (c < 0 || !col_split[c])
			return -EINVAL;
		*mask |= col_split[c];
	}
	return *mask ? 0 : -EINVAL;
}

static int split_parse(void *args, const char *arg, struct argp_state *state)
{
	(void)state;
	unsigned m;
	if (strlen(arg) >= 256 || split_mask(arg, &m))
		return -EINVAL;
	((struct blocks_args *)args)->split = arg;
	return 0;
}

static int summary_parse(void *args, const char *arg, struct argp_state *state)
{
	(void)state;
	static const char *const when[] = {"never", "always", "only"};
	struct blocks_args *a = args;
	if (!arg) {
		a->summary = SUM_ONLY;
		return 0;
	}
	int i = word_index(when, WORDS_N(when), arg);
	if (i < 0)
		return -EINVAL;
	a->summary = SUM_NEVER + i;
	return 0;
}

static const struct opts blocks_opts = {
	.opt = OPTIONS(
		OPT_BOOL("all", 'a', struct blocks_args, all,
			 "Every block on a row of its own, merged with none (lsmem --all)"),
		OPT_CALL("split", 'S', "LIST", split_parse,
			 "STATE, REMOVABLE, NODE, ZONES, PHYS_DEV, MEMMAP, or none",
			 "Split ranges where these attributes differ (comma-separated: STATE, "
			 "REMOVABLE, NODE, ZONES, PHYS_DEV, MEMMAP; or none), instead of by the "
			 "columns shown"),
		/* lsmem's --summary[=WHEN] */
		{.kind = OPTK_CALL, .name = "summary", .arg = "WHEN", .flags = OPTION_ARG_OPTIONAL,
		 .doc = "The summary (block size, online and offline memory): only it (no WHEN, or "
			"only), never, or always (with -r too); by default after the table",
		 .parse = summary_parse, .hint = "never, always or only"},
		OPT_INCLUDE(table_opts, struct blocks_args, tbl, NULL, 1)),
	.rules = RULES(OPT_EXCLUDE("all", "split")),
	.doc = "Show the memory blocks of /sys/devices/system/memory (memory hotplug): each "
	       "block's range (its number x block_size_bytes), state, node, valid zones and "
	       "whether it is removable, neighbours merged into ranges as lsmem(1) merges them, "
	       "then the block size and the online and offline totals. Every file is mode 0444: "
	       "no privilege is needed.\v"
	       "A kernel without CONFIG_MEMORY_HOTPLUG has no /sys/devices/system/memory: that is "
	       "said, and nothing is shown.",
};

/* "0" or "3-7" */
static void block_text(const struct memblock *b, size_t count, char *buf, size_t size)
{
	if (count == 1)
		snprintf(buf, size, "%" PRIu64, b->index);
	else
		snprintf(buf, size, "%" PRIu64 "-%" PRIu64, b->index, b->index + count - 1);
}

static void zones_text(const struct memblock *b, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < b->nzones && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? "/" : "",
					mb_zone_name((enum mb_zone)b->zones[i]));
}

static void fill(struct trow *r, const struct memblocks *m, const struct mb_range *g)
{
	const struct memblock *b = &m->v[g->first];
	uint64_t start = b->index * m->block_size;
	/* memblocks_read() keeps every block below 2^64 bytes */
	uint64_t end = (b->index + g->count) * m->block_size - 1;
	char buf[96];
	snprintf(buf, sizeof(buf), "0x%016" PRIx64 "-0x%016" PRIx64, start, end);
	trow_str(r, B_RANGE, buf);
	trow_addr(r, B_START, start);
	trow_addr(r, B_END, end);
	trow_size(r, B_SIZE, g->count * m->block_size);
	trow_str(r, B_STATE, mb_state_name(b->state));
	if (b->state == MB_ONLINE && b->has_removable)
		trow_bool(r, B_REMOVABLE, b->removable);
	else
		trow_null(r, B_REMOVABLE);
	block_text(b, g->count, buf, sizeof(buf));
	trow_str(r, B_BLOCK, buf);
	trow_count(r, B_BLOCKS, g->count);
	if (b->node >= 0)
		trow_count(r, B_NODE, (uint64_t)b->node);
	else
		trow_null(r, B_NODE);
	if (b->has_zones) {
		zones_text(b, buf, sizeof(buf));
		trow_str(r, B_ZONES, buf);
	} else {
		trow_null(r, B_ZONES);
	}
	if (b->has_phys_device)
		trow_count(r, B_PHYS, b->phys_device);
	else
		trow_null(r, B_PHYS);
	if (b->memmap_on_memory >= 0)
		trow_bool(r, B_MEMMAP, b->memmap_on_memory);
	else
		trow_null(r, B_MEMMAP);
}

/* lsmem's summary: labels in a column, sizes right-aligned (%5s, or %15s in bytes) */
static void print_summary(struct ctx *ctx, const struct memblocks *m, bool text)
{
	struct out *o = &ctx->out;
	bool param = m->memmap_param[0] != '\0';
	int w = param ? 32 : 23, vw = ctx->bytes ? 15 : 5;
	const struct {
		const char *label, *key;
		uint64_t v;
	} rows[] = {
		{"Memory block size:", "block_size", m->block_size},
		{"Total online memory:", "online", m->online},
		{"Total offline memory:", "offline", m->offline},
	};
	out_object(o, "summary");
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char v[32];
		out_size_text(o, rows[i].v, v, sizeof(v));
		if (text)
			out_printf(o, "%-*s %*s\n", w, rows[i].label, vw, v);
		out_u64(o, SHOW_JSON, rows[i].key, NULL, rows[i].v);
	}
	if (param && text)
		out_printf(o, "%-*s %*s\n", w, "Memmap on memory parameter:", vw, m->memmap_param);
	if (param)
		out_str(o, SHOW_JSON, "memmap_on_memory_parameter", NULL, m->memmap_param);
	else
		out_null(o, SHOW_JSON, "memmap_on_memory_parameter", NULL);
	out_end(o);
}

/* The error for a missing /sys/devices/system/memory, worded for where it was looked for. */
static int no_blocks(struct ctx *ctx, int e, struct ms_error *err)
{
	char dir[512];
	sysroot_name(&ctx->root, MEMBLOCK_DIR, dir, sizeof(dir));
	if (e != -ENOENT || strcmp(err->file, dir))
		return e;
	if (ctx->root.dir)
		return ms_say(err, e, "'%s': missing from the dump: it holds no memory blocks", dir);
	return ms_say(err, e,
		      "'%s' is not there: this kernel has no memory hotplug sysfs (built without "
		      "CONFIG_MEMORY_HOTPLUG), so it lists no memory blocks",
		      dir);
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct blocks_args *a = args;
	struct table *tb;
	int e = table_from_args(ctx, blocks_cols, B_NCOLS, "memory", &a->tbl, NULL, &tb, err);
	if (e)
		return e;
	struct memblocks m;
	if ((e = memblocks_read(&ctx->root, &m, err))) {
		table_free(tb);
		return no_blocks(ctx, e, err);
	}
	/* split by what is shown, as lsmem does, unless --split or --all says otherwise */
	unsigned split = 0;
	if (a->all) {
		split = MB_SPLIT_EACH;
	} else if (a->split) {
		split_mask(a->split, &split);
	} else {
		bool shown[B_NCOLS];
		cols_shown(blocks_cols, B_NCOLS, a->tbl.columns, NULL, shown);
		for (int c = 0; c < B_NCOLS; c++)
			if (shown[c])
				split |= col_split[c];
	}
	struct mb_range *g = calloc(m.n ? m.n : 1, sizeof(*g));
	if (!g) {
		memblocks_free(&m);
		table_free(tb);
		return ms_say(err, -ENOMEM, "out of memory");
	}
	size_t n = memblocks_merge(&m, split, g);
	out_u64(&ctx->out, SHOW_JSON, "block_size", NULL, m.block_size);
	bool table = a->summary != SUM_ONLY;
	/* the summary follows the table in text unless asked not to (raw output is for scripts,
	 * as in lsmem) */
	bool sum_text = a->summary == SUM_ALWAYS || a->summary == SUM_ONLY ||
			(a->summary == SUM_DEFAULT && !a->tbl.raw);
	if (table) {
		for (size_t i = 0; !e && i < n; i++) {
			struct trow *r = table_add(tb, NULL);
			fill(r, &m, &g[i]);
		}
		if (!e)
			e = table_print(tb, &ctx->out);
		if (!e && sum_text)
			out_printf(&ctx->out, "\n");
	}
	if (!e)
		print_summary(ctx, &m, sum_text);
	free(g);
	memblocks_free(&m);
	table_free(tb);
	return printed(e, err);
}

COMMAND(blocks, struct blocks_args,
	.summary = "memory blocks of /sys/devices/system/memory as lsmem merges them: state, node, "
		   "zones",
	.flags = CMD_SYSROOT | CMD_OUTPUT, .columns = &blocks_columns);
