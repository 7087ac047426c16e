/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope layout: the virtual memory map of an architecture configuration as the kernel
 * documents it, drawn, and (--live) this machine's real, KASLR-randomised bases. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/layoutopt.h"
#include "out/diagram.h"
#include "out/record.h"
#include "out/table.h"
#include "out/units.h"
#include "sys/msg.h"

struct layout_cmd_args {
	struct layout_args la;
	bool diagram;
};

enum { OPT_DIAGRAM = 0x200 };

static const struct argp_option options[] = {
	{"diagram", OPT_DIAGRAM, NULL, 0,
	 "Draw the map: every row a box on a log scale, named as the table names it; for i386 the "
	 "3G/1G split with LOWMEM and HIGHMEM",
	 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct layout_cmd_args *a = state->input;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->la;
		return 0;
	case OPT_DIAGRAM:
		a->diagram = true;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp_child children[] = {
	{&layout_opt_argp, 0, "Configuration:", 1},
	{&global_child_argp, 0, "Global options:", 2},
	{NULL, 0, NULL, 0},
};

static const struct argp layout_argp = {
	options, parse_opt, NULL,
	"Print the virtual memory map of an architecture configuration as the kernel documents it "
	"(arch/x86/x86_64/mm.rst, arch/arm64/memory.rst, arch/arm/memory.rst): start, offset, end, "
	"size and description, in the documentation's own words.\v"
	"Regions marked KASLR move at boot; the table gives their documented default. --live "
	"reads the real bases from /proc/kcore (root, CAP_SYS_RAWIO).",
	children, NULL, NULL};

enum { L_START, L_OFFSET, L_OFFSET_J, L_END, L_SIZE, L_KASLR, L_NAME, L_NCOLS };
static const struct col_def cols[] = {
	[L_START] = {"START", "start", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first address", NULL},
	[L_OFFSET] = {"OFFSET", NULL, COL_STR, COLF_DEFAULT | COLF_RIGHT,
		      "from 0, or (negative) from the top", NULL},
	[L_OFFSET_J] = {"OFFSET_B", "offset", COL_DELTA, COLF_DEFAULT | COLF_JSONONLY | COLF_WIDE,
			"bytes", NULL},
	[L_END] = {"END", "end", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "last address", NULL},
	[L_SIZE] = {"SIZE", "size", COL_SIZE, COLF_DEFAULT | COLF_RIGHT | COLF_WIDE, "size", NULL},
	[L_KASLR] = {"KASLR", "kaslr", COL_BOOL, COLF_DEFAULT, "base randomised at boot", NULL},
	[L_NAME] = {"DESCRIPTION", "description", COL_STR, COLF_DEFAULT | COLF_WRAP,
		    "the documentation's words", NULL},
};

/* The kernel half is written as the documentation writes it, negative from the top of the
 * address space (2^64, or 2^32 on i386 and arm): the start as a signed number of the address
 * width. */
static bool from_top(const struct layout *l, uint64_t start)
{
	return start > l->top / 2;
}

static int64_t offset_of(const struct layout *l, uint64_t start)
{
	if (!from_top(l, start))
		return (int64_t)start;
	/* two's complement: -(top - start + 1), which for 64 bits is (int64_t)start */
	return -(int64_t)(l->top - start) - 1;
}

static void offset_text(const struct out *o, const struct layout *l, uint64_t start, char *buf,
			size_t size)
{
	bool below = from_top(l, start);
	uint64_t dist = below ? (l->top - start) + 1 : start;
	char h[32];
	/* --bytes: the exact distance, as the SIZE column gives it */
	if (o->bytes)
		snprintf(h, sizeof(h), "%" PRIu64, dist);
	else
		units_human(dist, h, sizeof(h));
	snprintf(buf, size, "%s%s", start == 0 ? "" : below ? "-" : "+", start == 0 ? "0" : h);
}

static int print_table(struct ctx *ctx, const struct layout *l, const struct layout_args *a,
		       bool text)
{
	json_object *sec = out_json_section(&ctx->out, "layout");
	layout_json(sec, l, a);
	if (!ctx->out.json && text)
		fprintf(ctx->out.fp, "%s, %u-level page tables, %u KiB pages, %u-bit virtual addresses "
				     "(%s)\n\n",
			l->arch, l->levels, l->page_size / 1024, l->va_bits, l->doc);
	struct table *tb = table_new(cols, L_NCOLS, "regions");
	if (!tb)
		return -ENOMEM;
	if (!text)
		table_text_hidden(tb); /* --diagram: the picture in text, the rows in JSON */
	for (unsigned i = 0; i < l->n; i++) {
		const struct layout_region *r = &l->r[i];
		struct trow *row = table_add(tb, NULL);
		if (!row) {
			table_free(tb);
			return -ENOMEM;
		}
		char off[40];
		offset_text(&ctx->out, l, r->start, off, sizeof(off));
		trow_addr(row, L_START, r->start);
		trow_str(row, L_OFFSET, off);
		/* a kernel address is its (negative) distance from the top of the address space */
		trow_delta(row, L_OFFSET_J, offset_of(l, r->start));
		trow_addr(row, L_END, r->end);
		trow_size(row, L_SIZE, r->end - r->start == UINT64_MAX ? UINT64_MAX
								    : r->end - r->start + 1);
		trow_bool(row, L_KASLR, r->kaslr);
		trow_str(row, L_NAME, r->name);
	}
	int e = table_print(tb, &ctx->out, sec);
	table_free(tb);
	return e;
}

/* The notes' 3G/1G drawing: the process's 4 GB on the left, the physical memory it reaches on
 * the right; PAGE_OFFSET named in the margin, clear of both boxes. Sizes follow --bytes. */
static void i386_picture(struct ctx *ctx)
{
	struct out *o = &ctx->out;
	char high[24], low[24], user[24];
	if (o->bytes) {
		snprintf(high, sizeof(high), "%u", 128u << 20);
		snprintf(low, sizeof(low), "%u", 896u << 20);
		snprintf(user, sizeof(user), "user %14u", 3u << 30);
	} else {
		snprintf(high, sizeof(high), "128 MB");
		snprintf(low, sizeof(low), "896 MB");
		snprintf(user, sizeof(user), "user space     3 GB");
	}
	fprintf(o->fp,
		"                virtual (one process)                   physical memory\n"
		"                0xffffffff +---------------------+\n"
		"                           | HIGHMEM %11s |------> any frame above 896 MB, mapped\n"
		"                           | vmalloc kmap fixmap |        on demand (kmap, vmalloc) and\n"
		"                0xf8000000 +---------------------+        unmapped after use\n"
		"                           |                     |\n"
		"                           | LOWMEM  %11s |======> +---------------------+ 0x38000000\n"
		"                           | direct map          |        | LOW MEM %11s |\n"
		"                           |                     |        | ZONE_DMA, NORMAL    |\n"
		"  PAGE_OFFSET = 0xc0000000 +---------------------+        +---------------------+ "
		"0x00000000\n"
		"                           |                     |\n"
		"                           | %s |        pages mapped on demand, per "
		"process\n"
		"                           |  (per process)      |\n"
		"                           |                     |\n"
		"                0x00000000 +---------------------+\n",
		high, low, low, user);
}

static int print_diagram(struct ctx *ctx, const struct layout *l)
{
	if (ctx->out.json)
		return 0;
	if (!strcmp(l->arch, "i386")) {
		i386_picture(ctx);
		return 0;
	}
	struct diagram_box b[LAYOUT_MAX];
	char labels[LAYOUT_MAX][128];
	size_t n = 0;
	for (unsigned i = 0; i < l->n; i++) {
		const struct layout_region *r = &l->r[i];
		/* every row is a box, named as the table names it (holes and the non-canonical
		 * range too: one name for one region); the KASLR mark goes first, so that a label
		 * cut to the box's width keeps it */
		snprintf(labels[n], sizeof(labels[n]), "%s%s", r->kaslr ? "[KASLR] " : "", r->name);
		b[n] = (struct diagram_box){r->start, r->end, labels[n], NULL, 0};
		n++;
	}
	bool wide = l->top == UINT64_MAX;
	const struct diagram_opts opt = {
		.width = 56,
		.huge_gap = UINT64_MAX, /* the holes are drawn, in proportion (log scale) */
		/* a 32-bit map has no room for a gigabyte threshold: only pages are small */
		.small = wide ? UINT64_C(1) << 30 : UINT64_C(64) << 10,
		.max_run = 6,
		.gap_label = "unused", /* no gap is left: the rows tile the space */
		.log_step = wide ? 6 : 2, /* 64-bit: 1 MiB: 1 line ... 16 EiB: 8; 32-bit: 1 per 4x */
		.max_height = wide ? 9 : 6,
	};
	return diagram_map(&ctx->out, b, n, &opt);
}

static int print_live(struct ctx *ctx, const struct layout *l)
{
	struct live lv;
	live_read(ctx, l, &lv);
	struct record r;
	if (!ctx->out.json)
		fputc('\n', ctx->out.fp);
	bool dump = ctx->root.dir != NULL;
	record_begin(&r, &ctx->out, ctx->out.root, "live",
		     dump ? "the dump's machine (--live):" : "this machine (--live):");
	rec_u64(&r, "levels", "paging", l->levels);
	rec_u64(&r, "page_size", "page size", l->page_size);
	if (lv.kcore)
		rec_str(&r, "kcore", "kcore", "read");
	else
		rec_null(&r, "kcore", "kcore", live_kcore_reason(ctx, lv.kcore_errno));
	const char *unknown = lv.kcore ? "not found in kcore"
			      : dump	 ? "unknown without proc/kcore in the dump"
					 : "unknown without /proc/kcore";
	if (lv.direct)
		rec_addr(&r, "page_offset_base", "direct map", lv.page_offset_base);
	else
		rec_null(&r, "page_offset_base", "direct map", unknown);
	if (lv.vmalloc)
		rec_addr(&r, "vmalloc_base", "vmalloc", lv.vmalloc_base);
	else
		rec_null(&r, "vmalloc_base", "vmalloc", unknown);
	if (lv.vmemmap)
		rec_addr(&r, "vmemmap_base", "vmemmap", lv.vmemmap_base);
	else
		rec_null(&r, "vmemmap_base", "vmemmap", unknown);
	if (lv.text)
		rec_addr(&r, "text", "kernel text", lv.text_vaddr);
	else
		rec_null(&r, "text", "kernel text",
			 dump ? "unknown (neither kcore nor kallsyms in the dump gives it)"
			      : "unknown (kcore and /proc/kallsyms need root; kptr_restrict may hide "
				"it)");
	if (lv.have_text_paddr)
		rec_addr(&r, "text_phys", "text phys", lv.text_paddr);
	else if (lv.iomem_code)
		rec_addr(&r, "text_phys", "text phys", lv.iomem_code_start);
	else
		rec_null(&r, "text_phys", "text phys",
			 dump ? "unknown (iomem in the dump has no Kernel code with its address)"
			      : "unknown (iomem addresses need CAP_SYS_ADMIN)");
	if (lv.iomem_code)
		rec_addr(&r, "iomem_kernel_code", "iomem code", lv.iomem_code_start);
	else
		rec_null(&r, "iomem_kernel_code", "iomem code", "unknown");
	if (lv.have_text_paddr && lv.iomem_code)
		rec_bool(&r, "text_matches_iomem", "cross-check",
			 lv.text_paddr == lv.iomem_code_start);
	if (lv.text && l->levels) {
		/* KASLR: how far the text moved from its documented base */
		uint64_t base = UINT64_C(0xffffffff81000000);
		if (!strcmp(l->arch, "x86_64") && lv.text_vaddr >= base)
			rec_word(&r, "text_kaslr_offset", "text slide", lv.text_vaddr - base);
	}
	record_end(&r);
	if (!lv.kcore)
		msg_warnf("%s; the randomised bases are unknown",
			  live_kcore_reason(ctx, lv.kcore_errno));
	live_free(&lv);
	return 0;
}

int cmd_layout(struct ctx *ctx, int argc, char **argv)
{
	struct layout_cmd_args a = {0};
	int rc = command_parse(&layout_argp, ctx, argc, argv, &a);
	if (rc)
		return rc;
	struct layout l;
	/* an option is a configuration to show, or with --live a usage error: never a warning */
	ctx->config_only = true;
	rc = layout_from_args(ctx, &a.la, &l);
	if (rc)
		return rc;
	int e = print_table(ctx, &l, &a.la, !a.diagram);
	if (!e && a.diagram)
		e = print_diagram(ctx, &l);
	if (!e && a.la.live)
		e = print_live(ctx, &l);
	if (e) {
		msg_errorf("cannot print: %s", strerror(-e));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
