/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope zones: each node's zones from /proc/zoneinfo: page frame ranges, the physical
 * addresses they cover, watermarks and free pages; drawn against iomem's System RAM. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "out/diagram.h"
#include "out/table.h"
#include "lib/units.h"
#include "proc/iomem.h"
#include "proc/zoneinfo.h"
#include "sys/msg.h"

struct zones_args {
	bool diagram;
	const char *find;
};

static const struct opts zones_opts = {
	.opt = OPTIONS(
		OPT_BOOL("diagram", 0, struct zones_args, diagram,
			 "Draw physical memory from 0 to the top of RAM with the zones on it, and "
			 "iomem's System RAM ranges inside them"),
		OPT_STR("find", 'f', "ADDR", struct zones_args, find,
			"The node and zone of physical address ADDR")),
	.rules = RULES(OPT_EXCLUDE("find", "diagram")),
	.doc = "Show each node's memory zones from /proc/zoneinfo: the page frames they span, the "
	       "physical addresses that covers, pages present and managed by the buddy allocator, "
	       "free pages and the min/low/high watermarks.\v"
	       "Sizes in text are bytes (pages x page size); JSON gives the kernel's page counts, "
	       "and the watermarks in bytes.",
};

enum {
	Z_NODE, Z_ZONE, Z_START_PFN, Z_SPANNED_P, Z_PRESENT_P, Z_MANAGED_P, Z_START, Z_END,
	Z_SPANNED, Z_PRESENT, Z_MANAGED, Z_FREE, Z_FREE_P, Z_MIN, Z_LOW, Z_HIGH, Z_NCOLS
};

#define JSON_DEFAULT (COLF_DEFAULT | COLF_SHOW(SHOW_JSON))
#define TEXT_SIZE (COLF_DEFAULT | COLF_RIGHT)
static const struct col_def zone_cols[] = {
	[Z_NODE] = {"NODE", "node", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "NUMA node", NULL},
	[Z_ZONE] = {"ZONE", "zone", COL_STR, COLF_DEFAULT, "zone", NULL},
	[Z_START_PFN] = {"START_PFN", "start_pfn", COL_COUNT, JSON_DEFAULT, "first frame", NULL},
	[Z_SPANNED_P] = {"SPANNED_P", "spanned", COL_COUNT, JSON_DEFAULT, "pages spanned", NULL},
	[Z_PRESENT_P] = {"PRESENT_P", "present", COL_COUNT, JSON_DEFAULT, "pages present", NULL},
	[Z_MANAGED_P] = {"MANAGED_P", "managed", COL_COUNT, JSON_DEFAULT, "pages managed", NULL},
	[Z_START] = {"START", "start", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first address", NULL},
	[Z_END] = {"END", "end", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "last address", NULL},
	[Z_SPANNED] = {"SPANNED", NULL, COL_SIZE, TEXT_SIZE, "span, holes included", NULL},
	[Z_PRESENT] = {"PRESENT", NULL, COL_SIZE, TEXT_SIZE, "memory present", NULL},
	[Z_MANAGED] = {"MANAGED", NULL, COL_SIZE, TEXT_SIZE, "managed by the buddy allocator", NULL},
	[Z_FREE] = {"FREE", NULL, COL_SIZE, TEXT_SIZE, "free", NULL},
	[Z_FREE_P] = {"FREE_P", "free_pages", COL_COUNT, JSON_DEFAULT, "free pages", NULL},
	[Z_MIN] = {"MIN", "watermarks.min", COL_SIZE, TEXT_SIZE, "min watermark", NULL},
	[Z_LOW] = {"LOW", "watermarks.low", COL_SIZE, TEXT_SIZE, "low watermark", NULL},
	[Z_HIGH] = {"HIGH", "watermarks.high", COL_SIZE, TEXT_SIZE, "high watermark", NULL},
};

/* Fill @col with @field, as pages (@pages) or bytes; null when the kernel did not print it. */
static void put(struct trow *r, size_t col, const struct zone *z, enum zone_field f, uint64_t ps,
		bool pages)
{
	if (!z->has[f])
		trow_null(r, col);
	else if (pages)
		trow_count(r, col, z->f[f]);
	else
		trow_size(r, col, z->f[f] * ps);
}

static void fill(struct trow *r, const struct zone *z, uint64_t ps)
{
	trow_count(r, Z_NODE, z->node);
	trow_str(r, Z_ZONE, z->name);
	put(r, Z_START_PFN, z, ZF_START_PFN, ps, true);
	put(r, Z_SPANNED_P, z, ZF_SPANNED, ps, true);
	put(r, Z_PRESENT_P, z, ZF_PRESENT, ps, true);
	put(r, Z_MANAGED_P, z, ZF_MANAGED, ps, true);
	if (z->has[ZF_START_PFN] && z->f[ZF_SPANNED]) {
		trow_addr(r, Z_START, z->f[ZF_START_PFN] * ps);
		trow_addr(r, Z_END, (z->f[ZF_START_PFN] + z->f[ZF_SPANNED]) * ps - 1);
	} else {
		/* an empty zone covers no addresses */
		trow_null(r, Z_START);
		trow_null(r, Z_END);
	}
	put(r, Z_SPANNED, z, ZF_SPANNED, ps, false);
	put(r, Z_PRESENT, z, ZF_PRESENT, ps, false);
	put(r, Z_MANAGED, z, ZF_MANAGED, ps, false);
	put(r, Z_FREE, z, ZF_FREE, ps, false);
	put(r, Z_FREE_P, z, ZF_FREE, ps, true);
	put(r, Z_MIN, z, ZF_MIN, ps, false);
	put(r, Z_LOW, z, ZF_LOW, ps, false);
	put(r, Z_HIGH, z, ZF_HIGH, ps, false);
}

static int print_table(struct ctx *ctx, const struct zone *const *v, size_t n, uint64_t ps,
		       const char *key, bool text)
{
	struct table *tb = table_new(zone_cols, Z_NCOLS, key);
	if (!tb)
		return -ENOMEM;
	if (!text)
		table_show(tb, SHOW_JSON);
	for (size_t i = 0; i < n; i++) {
		struct trow *r = table_add(tb, NULL);
		fill(r, v[i], ps);
	}
	int e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

/* Zones on the physical address line, each holding the System RAM ranges it covers. */
static int print_diagram(struct ctx *ctx, const struct zoneinfo *zi, uint64_t ps)
{
	struct iomem_tree io;
	struct ms_error err = {0};
	bool have_ram = iomem_read(&ctx->root, &io, &err) == 0 && !io.hidden;
	if (!have_ram && err.reason[0])
		msg_warnf("'%s': %s; zones drawn without System RAM ranges", err.file, err.reason);
	else if (!have_ram)
		msg_warnf("iomem addresses are %s; zones drawn without System RAM ranges",
			  ctx_hidden_reason(ctx));
	struct diagram_box *boxes = calloc(zi->n ? zi->n : 1, sizeof(*boxes));
	char(*labels)[64] = calloc(zi->n ? zi->n : 1, sizeof(*labels));
	size_t nb = 0;
	int e = boxes && labels ? 0 : -ENOMEM;
	for (size_t i = 0; i < zi->n && !e; i++) {
		const struct zone *z = &zi->v[i];
		if (!z->has[ZF_START_PFN] || !z->f[ZF_SPANNED])
			continue;
		struct diagram_box *b = &boxes[nb];
		b->start = z->f[ZF_START_PFN] * ps;
		b->end = (z->f[ZF_START_PFN] + z->f[ZF_SPANNED]) * ps - 1;
		snprintf(labels[nb], sizeof(labels[nb]), "node %u %s", z->node, z->name);
		b->label = labels[nb];
		size_t nram = 0;
		for (size_t k = 0; have_ram && k < io.n; k++)
			nram += !io.v[k].depth && !strcmp(io.v[k].name, "System RAM") &&
				io.v[k].start <= b->end && io.v[k].end >= b->start;
		struct diagram_box *ram = nram ? calloc(nram, sizeof(*ram)) : NULL;
		size_t m = 0;
		for (size_t k = 0; ram && k < io.n; k++) {
			const struct iomem_region *r = &io.v[k];
			if (r->depth || strcmp(r->name, "System RAM") || r->start > b->end ||
			    r->end < b->start)
				continue;
			/* clipped to the zone: a RAM range can straddle a zone boundary */
			ram[m++] = (struct diagram_box){r->start > b->start ? r->start : b->start,
							r->end < b->end ? r->end : b->end,
							"System RAM", NULL, 0};
		}
		b->children = ram;
		b->nchildren = m;
		nb++;
	}
	if (!e) {
		diagram_sort(boxes, nb);
		const struct diagram_opts opt = {
			.width = 44,
			.huge_gap = UINT64_C(1) << 30,
			.small = 0,
			.max_run = 0,
			.gap_label = "no zone",
			/* holes in a zone's span: reserved, ACPI, or nothing at all */
			.inner_gap_label = have_ram ? "no System RAM" : NULL,
		};
		e = diagram_map(&ctx->out, boxes, nb, &opt);
	}
	for (size_t i = 0; boxes && i < nb; i++)
		free((void *)boxes[i].children);
	free(boxes);
	free(labels);
	iomem_free(&io); /* iomem_read zeroes it first: safe whatever happened */
	return e;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct zones_args *a = args;
	int rc = 0;
	uint64_t addr = 0;
	if (a->find && (rc = addr_arg(a->find, "address", &addr, err)))
		return rc;
	struct zoneinfo zi;
	if ((rc = zoneinfo_read(&ctx->root, &zi, err)))
		return rc;
	uint64_t ps = ctx_page_size(ctx); /* after the read: an error is said alone */
	ctx_machine_json(ctx, false, true);
	const struct zone **v = calloc(zi.n, sizeof(*v));
	int e = v ? 0 : -ENOMEM;
	size_t n = 0;
	if (!e && a->find) {
		const struct zone *z = zoneinfo_find(&zi, addr / ps);
		if (!z) {
			free(v);
			zoneinfo_free(&zi);
			return ms_say(err, -ENOENT, "no zone spans physical address 0x%016" PRIx64,
				      addr);
		}
		v[n++] = z;
		out_object(&ctx->out, "find");
		out_word(&ctx->out, SHOW_JSON, "address", NULL, addr);
		e = print_table(ctx, v, n, ps, "zones", true);
		out_end(&ctx->out);
	} else if (!e) {
		for (size_t i = 0; i < zi.n; i++)
			v[n++] = &zi.v[i];
		e = print_table(ctx, v, n, ps, "zones", !a->diagram);
		if (!e && a->diagram)
			e = print_diagram(ctx, &zi, ps);
	}
	free(v);
	zoneinfo_free(&zi);
	return printed(e, err);
}

COMMAND(zones, struct zones_args,
	.summary = "memory zones per node: page ranges, watermarks, free pages",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
