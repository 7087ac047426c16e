/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope iomem: the physical address map as a tree, a diagram, a summary, or a lookup. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "command.h"
#include "out/diagram.h"
#include "out/table.h"
#include "lib/units.h"
#include "proc/iomem.h"
#include "sys/caps.h"
#include "sys/msg.h"

enum { COL_START, COL_END, COL_SIZE_, COL_NAME, COL_DEPTH };

static const struct col_def iomem_cols[] = {
	[COL_START] = {"START", "start", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first address", NULL},
	[COL_END] = {"END", "end", COL_ADDR, COLF_DEFAULT | COLF_RIGHT,
		     "last address (inclusive, as the kernel prints it)", NULL},
	[COL_SIZE_] = {"SIZE", "size", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "size of the range", NULL},
	[COL_NAME] = {"NAME", "name", COL_STR, COLF_DEFAULT | COLF_TREE | COLF_TRUNC | COLF_WRAP,
		      "what the range is", NULL},
	[COL_DEPTH] = {"DEPTH", "depth", COL_COUNT, COLF_RIGHT, "nesting level, 0 at the top", NULL},
};

/* the note --help gives after the columns */
static const struct columns iomem_columns = COLUMNS(
	iomem_cols,
	"ADDR is hex with 0x, or decimal. Without CAP_SYS_ADMIN the kernel hides every "
	"address; the names are still shown.");
#define NCOLS (sizeof(iomem_cols) / sizeof(iomem_cols[0]))

/* What --summary adds up, with the names the kernel gives those ranges. */
enum kind { K_RAM, K_RESERVED, K_ACPI_TABLES, K_ACPI_NVS, K_PCI, K_CODE, K_RODATA, K_DATA, K_BSS,
	    K_NKINDS, K_OTHER = K_NKINDS };

static const struct {
	const char *key, *label, *color;
} kinds[] = {
	[K_RAM] = {"system_ram", "System RAM", "green"},
	[K_RESERVED] = {"reserved", "Reserved", "yellow"},
	[K_ACPI_TABLES] = {"acpi_tables", "ACPI Tables", "cyan"},
	[K_ACPI_NVS] = {"acpi_nvs", "ACPI Non-volatile Storage", "cyan"},
	[K_PCI] = {"pci_bus", "PCI bus windows", "blue"},
	[K_CODE] = {"kernel_code", "Kernel code", "magenta"},
	[K_RODATA] = {"kernel_rodata", "Kernel rodata", "magenta"},
	[K_DATA] = {"kernel_data", "Kernel data", "magenta"},
	[K_BSS] = {"kernel_bss", "Kernel bss", "magenta"},
};

static enum kind classify(const char *name)
{
	/* "Kernel text" is what 2.6-era ARM kernels call the code */
	if (strcmp(name, "Kernel text") == 0)
		return K_CODE;
	if (strncmp(name, "PCI Bus", 7) == 0)
		return K_PCI;
	if (strcasecmp(name, "Reserved") == 0)
		return K_RESERVED;
	/* the others are labelled with the kernel's own name */
	for (int k = 0; k < K_NKINDS; k++)
		if (k != K_PCI && strcmp(name, kinds[k].label) == 0)
			return (enum kind)k;
	return K_OTHER;
}

struct iomem_args {
	struct table_args tbl;
	const char *find;
	long depth; /* 0: every level */
	bool diagram, summary;
};

static const struct opts iomem_opts = {
	.opt = OPTIONS(
		OPT_NUM("depth", 0, "N", struct iomem_args, depth, 1, 64, "a number from 1 to 64",
			"Show N levels of nesting (1: top level only)"),
		OPT_BOOL("diagram", 0, struct iomem_args, diagram,
			 "Draw the physical address map, highest address on top (--depth 2 draws "
			 "children)"),
		OPT_BOOL("summary", 's', struct iomem_args, summary,
			 "Totals by kind: RAM, reserved, ACPI, PCI windows, kernel image"),
		OPT_STR("find", 'f', "ADDR", struct iomem_args, find,
			"The regions holding physical address ADDR, outermost first"),
		OPT_INCLUDE(table_opts, struct iomem_args, tbl, NULL, 0)),
	.rules = RULES(
		OPT_EXCLUDE("find", "diagram", "summary"),
		/* the picture replaces the table that -o, -r and -n shape; --summary has its own
		 * columns (-r and -n apply to it, -o names the tree's) */
		OPT_REFUSES("diagram", "--diagram draws no table", "output", "raw", "noheadings"),
		OPT_REFUSES("summary", "--summary has its own columns", "output")),
	.doc = "Show the physical address map from /proc/iomem: a tree like lsblk by default.\v",
};

static void fill_row(struct trow *row, const struct iomem_tree *t, const struct iomem_region *r)
{
	if (t->hidden) {
		/* the kernel printed zeros: the real values are unknown, not zero */
		trow_null(row, COL_START);
		trow_null(row, COL_END);
		trow_null(row, COL_SIZE_);
	} else {
		trow_addr(row, COL_START, r->start);
		trow_addr(row, COL_END, r->end);
		trow_size(row, COL_SIZE_, iomem_size(r));
	}
	trow_str(row, COL_NAME, r->name);
	trow_count(row, COL_DEPTH, r->depth);
	enum kind k = classify(r->name);
	if (k != K_OTHER)
		trow_color(row, kinds[k].color);
}

static int add_rows(struct table *tb, struct trow *parent, const struct iomem_tree *t, long i,
		    long depth_left)
{
	for (; i >= 0; i = t->v[i].next) {
		struct trow *row = table_add(tb, parent);
		fill_row(row, t, &t->v[i]);
		if (depth_left != 1 && t->v[i].first_child >= 0) {
			int e = add_rows(tb, row, t, t->v[i].first_child, depth_left - 1);
			if (e)
				return e;
		}
	}
	return 0;
}

/* --summary: each kind counted at its outermost occurrence, so a window nested in a window of
 * the same kind is not counted twice; System RAM counts top-level ranges only. */
static int print_summary(struct ctx *ctx, const struct iomem_tree *t)
{
	uint64_t bytes[K_NKINDS] = {0}, ranges[K_NKINDS] = {0};
	for (size_t i = 0; i < t->n; i++) {
		const struct iomem_region *r = &t->v[i];
		enum kind k = classify(r->name);
		if (k == K_OTHER || (k == K_RAM && r->depth != 0))
			continue;
		bool nested = false;
		for (long p = r->parent; p >= 0 && !nested; p = t->v[p].parent)
			nested = classify(t->v[p].name) == k;
		if (nested)
			continue;
		ranges[k]++;
		bytes[k] += iomem_size(r);
	}
	static const struct col_def cols[] = {
		{"KIND", "kind", COL_STR, COLF_DEFAULT, "kind of range", NULL},
		{"RANGES", "ranges", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "number of ranges", NULL},
		{"SIZE", "size", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "bytes in them", NULL},
	};
	struct table *tb = table_new(cols, 3, "summary");
	if (!tb)
		return -ENOMEM;
	table_json_keyed(tb);
	for (int k = 0; k < K_NKINDS; k++) {
		struct trow *row = table_add(tb, NULL);
		trow_key(row, kinds[k].key);
		trow_str(row, 0, kinds[k].label);
		trow_count(row, 1, ranges[k]);
		if (t->hidden)
			trow_null(row, 2);
		else
			trow_size(row, 2, bytes[k]);
	}
	int e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

static void boxes_free(struct diagram_box *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		boxes_free((struct diagram_box *)b[i].children, b[i].nchildren);
	free(b);
}

static struct diagram_box *make_boxes(const struct iomem_tree *t, long first, long depth_left,
				      size_t *n)
{
	size_t count = 0;
	for (long i = first; i >= 0; i = t->v[i].next)
		count++;
	*n = 0;
	struct diagram_box *b = calloc(count ? count : 1, sizeof(*b));
	if (!b)
		return NULL;
	for (long i = first; i >= 0; i = t->v[i].next) {
		struct diagram_box *x = &b[(*n)++];
		x->start = t->v[i].start;
		x->end = t->v[i].end;
		x->label = t->v[i].name;
		if (depth_left > 1 && t->v[i].first_child >= 0) {
			x->children = make_boxes(t, t->v[i].first_child, depth_left - 1,
						 &x->nchildren);
			if (!x->children) {
				boxes_free(b, *n);
				return NULL;
			}
		}
	}
	if (!t->hidden)
		diagram_sort(b, *n);
	return b;
}

static int print_diagram(struct ctx *ctx, const struct iomem_tree *t, long depth)
{
	size_t n;
	struct diagram_box *b = make_boxes(t, t->n ? 0 : -1, depth ? depth : 1, &n);
	if (!b)
		return -ENOMEM;
	const struct diagram_opts opt = {
		.width = 44,
		.huge_gap = UINT64_C(1) << 30,
		.small = UINT64_C(1) << 20,
		.max_run = 4,
		.gap_label = "unused",
		.no_addresses = t->hidden,
	};
	int e = diagram_map(&ctx->out, b, n, &opt);
	boxes_free(b, n);
	return e;
}

static int print_find(struct ctx *ctx, const struct iomem_tree *t, uint64_t addr,
		      const struct iomem_args *a, struct ms_error *err)
{
	long chain[64];
	size_t n = iomem_find(t, addr, chain, 64);
	if (n == 0)
		return ms_say(err, -ENOENT, "no region of /proc/iomem holds 0x%016" PRIx64, addr);
	struct table *tb = table_new(iomem_cols, NCOLS, "regions");
	if (!tb)
		return printed(-ENOMEM, err);
	if (table_select(tb, a->tbl.columns, err)) {
		table_free(tb);
		err->usage = true; /* -o named a column there is not */
		return -EINVAL;
	}
	struct trow *parent = NULL;
	/* --depth N: the chain down to the Nth level, as the tree would show it */
	if (a->depth && n > (size_t)a->depth)
		n = (size_t)a->depth;
	/* outermost first: each region nests in the one before, in text as a tree, in JSON a
	 * list */
	table_json_flatten(tb);
	for (size_t i = 0; i < n && i < 64; i++) {
		struct trow *row = table_add(tb, parent);
		fill_row(row, t, &t->v[chain[i]]);
		parent = row;
	}
	out_object(&ctx->out, "find");
	out_word(&ctx->out, SHOW_JSON, "address", NULL, addr);
	int e = table_print(tb, &ctx->out);
	out_end(&ctx->out);
	table_free(tb);
	return printed(e, err);
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct iomem_args *a = args;
	int rc = 0;
	uint64_t addr = 0;
	if (a->find && (rc = addr_arg(a->find, "address", &addr, err)))
		return rc;
	table_args_apply(ctx, &a->tbl);

	struct iomem_tree t;
	if ((rc = iomem_read(&ctx->root, &t, err)))
		return rc;
	char name[512];
	sysroot_name(&ctx->root, "proc/iomem", name, sizeof(name));
	if (t.hidden) {
		if (a->find) {
			iomem_free(&t);
			return ms_say(err, -EPERM, "'%s': addresses are %s, so no address can be found",
				      name, ctx_hidden_reason(ctx));
		}
		msg_warnf("'%s': addresses are %s; showing names only", name, ctx_hidden_reason(ctx));
	}
	out_bool(&ctx->out, SHOW_JSON, "addresses_hidden", NULL, t.hidden);

	int e = 0;
	if (a->find) {
		rc = print_find(ctx, &t, addr, a, err);
		iomem_free(&t);
		return rc;
	}
	struct table *tb = table_new(iomem_cols, NCOLS, "iomem");
	if (!tb) {
		iomem_free(&t);
		return printed(-ENOMEM, err);
	}
	if (table_select(tb, a->tbl.columns, err)) {
		err->usage = true; /* -o named a column there is not */
		table_free(tb);
		iomem_free(&t);
		return -EINVAL;
	}
	/* the tree goes to JSON always; in text, --diagram and --summary replace it */
	if (a->diagram || a->summary)
		table_show(tb, SHOW_JSON);
	e = add_rows(tb, NULL, &t, t.n ? 0 : -1, a->depth);
	if (!e)
		e = table_print(tb, &ctx->out);
	if (!e && a->summary)
		e = print_summary(ctx, &t);
	if (!e && a->diagram)
		e = print_diagram(ctx, &t, a->depth);
	table_free(tb);
	iomem_free(&t);
	return printed(e, err);
}

COMMAND(iomem, struct iomem_args,
	.summary = "physical address map from /proc/iomem",
	.flags = CMD_SYSROOT | CMD_OUTPUT,
	.columns = &iomem_columns);
