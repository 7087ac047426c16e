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
#include "lib/units.h"
#include "sys/msg.h"

struct layout_cmd_args {
	struct layout_args la;
	bool diagram;
};

static const struct opts layout_opts = {
	.opt = OPTIONS(
		OPT_BOOL("diagram", 0, struct layout_cmd_args, diagram,
			 "Draw the map: every row a box on a log scale, named as the table names "
			 "it; for i386 the 3G/1G split with LOWMEM and HIGHMEM"),
		LAYOUT_OPTS(struct layout_cmd_args, la)),
	.doc = "Print the virtual memory map of an architecture configuration as the kernel "
	       "documents it (arch/x86/x86_64/mm.rst, arch/arm64/memory.rst, arch/arm/memory.rst): "
	       "start, offset, end, size and description, in the documentation's own words.\v"
	       "Regions marked KASLR move at boot; the table gives their documented default. "
	       "--live reads the real bases from /proc/kcore (root, CAP_SYS_RAWIO).",
};

enum { L_START, L_OFFSET, L_OFFSET_J, L_END, L_SIZE, L_KASLR, L_NAME, L_NCOLS };
static const struct col_def cols[] = {
	[L_START] = {"START", "start", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first address", NULL},
	[L_OFFSET] = {"OFFSET", NULL, COL_STR, COLF_DEFAULT | COLF_RIGHT,
		      "from 0, or (negative) from the top", NULL},
	[L_OFFSET_J] = {"OFFSET_B", "offset", COL_DELTA, COLF_DEFAULT | COLF_WIDE | COLF_SHOW(SHOW_JSON),
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
	out_object(&ctx->out, "layout");
	layout_json(&ctx->out, l, a);
	if (text) {
		/* a heading: wrapped between words in a narrow terminal, whole in a pipe */
		char head[256];
		snprintf(head, sizeof(head),
			 "%s, %u-level page tables, %u KiB pages, %u-bit virtual addresses (%s)",
			 l->arch, l->levels, l->page_size / 1024, l->va_bits, l->doc);
		diagram_note(&ctx->out, head, 0, 0, 0);
		out_printf(&ctx->out, "\n");
	}
	struct table *tb = table_new(cols, L_NCOLS, "regions");
	if (!tb)
		return -ENOMEM;
	if (!text)
		table_show(tb, SHOW_JSON); /* --diagram: the picture in text, the rows in JSON */
	for (unsigned i = 0; i < l->n; i++) {
		const struct layout_region *r = &l->r[i];
		struct trow *row = table_add(tb, NULL);
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
	int e = table_print(tb, &ctx->out);
	out_end(&ctx->out);
	table_free(tb);
	return e;
}

/* The i386 picture at one width: the columns of its parts. */
struct i386_pic {
	struct out *o;
	int margin; /* the addresses left of the virtual box, right-aligned */
	int bw, pw; /* inside widths of the virtual and the physical box */
	int link;   /* an arrow from the virtual box to the right, its blank after included */
	int width;  /* the whole picture's */
};

/* "+-----+" */
static void pic_edge(char *buf, size_t size, int inner)
{
	snprintf(buf, size, "+%.*s+", inner,
		 "-----------------------------------------------------------------------");
}

/* @text in @room columns (2 at the least), or cut to fit with a sign: "vmalloc k.." */
static void pic_cut(char *t, size_t size, const char *text, int room)
{
	int n = (int)strlen(text);
	if (n <= room) {
		snprintf(t, size, "%s", text);
		return;
	}
	n = room - 2;
	while (n > 0 && text[n - 1] == ' ')
		n--; /* "user.." rather than "user .." */
	snprintf(t, size, "%.*s..", n, text);
}

/* "| text   |": one blank each side, @text cut with a sign to fit */
static void pic_cell(char *buf, size_t size, int inner, const char *text)
{
	char t[64];
	int room = inner - 2;
	room = room < 2 ? 2 : room > 60 ? 60 : room; /* the boxes are 21 columns at most */
	pic_cut(t, sizeof(t), text, room);
	snprintf(buf, size, "| %-*s |", room, t);
}

/* "| name   size |": the size right-aligned and never cut; the name cut beside it, with a sign */
static void pic_sized(char *buf, size_t size, int inner, const char *name, const char *sz)
{
	char t[64];
	int room = inner - 2 - 1 - (int)strlen(sz);
	room = room < 2 ? 2 : room > 60 ? 60 : room; /* the boxes are 21 columns at most */
	pic_cut(t, sizeof(t), name, room);
	snprintf(buf, size, "| %-*s %*s |", room, t, (int)strlen(sz), sz);
}

/* One line: @addr right-aligned in the margin, the virtual box's @left, the @arrow (or blanks)
 * and what is on the right; the blanks at its end are not printed. */
static void pic_line(const struct i386_pic *p, const char *addr, const char *left,
		     const char *arrow, const char *right)
{
	char line[256], link[32];
	if (arrow)
		snprintf(link, sizeof(link), "%.*s> ", p->link - 2,
			 arrow[0] == '=' ? "==============" : "--------------");
	else
		snprintf(link, sizeof(link), "%*s", p->link, "");
	int n = snprintf(line, sizeof(line), "%*s %s%s%s", p->margin, addr, left, right[0] ? link : "",
			 right);
	while (n > 0 && line[n - 1] == ' ')
		n--;
	out_printf(p->o, "%.*s\n", n, line);
}

/* The notes' 3G/1G drawing: the process's 4 GB on the left, the physical memory it reaches on
 * the right; PAGE_OFFSET named in the margin, clear of both boxes. Sizes follow --bytes. In a
 * terminal narrower than its 93 columns the arrows shorten, PAGE_OFFSET goes on a line of its
 * own above its address, the notes wrap, and the boxes narrow down to what their sizes need,
 * the names beside those cut with a sign. */
static void i386_picture(struct ctx *ctx)
{
	struct out *o = &ctx->out;
	char high[24], low[24], user[24];
	snprintf(high, sizeof(high), o->bytes ? "%u" : "128 MB", 128u << 20);
	snprintf(low, sizeof(low), o->bytes ? "%u" : "896 MB", 896u << 20);
	snprintf(user, sizeof(user), o->bytes ? "%u" : "3 GB", 3u << 30);
	/* exact bytes leave "user space" no room beside them in the natural width */
	const char *user_name = o->bytes ? "user" : "user space";
	const char *phys_addr = " 0x38000000"; /* the physical box's labels, as wide as each other */
	int fixed_right = (int)strlen(phys_addr);
	struct i386_pic p = {.o = o, .margin = 26, .bw = 21, .pw = 21, .link = 8};
	int natural = p.margin + 1 + p.bw + 2 + p.link + p.pw + 2 + fixed_right; /* 92 */
	int w = o->term_width;
	p.width = w > 0 ? w : natural + 1;
	if (w > 0 && w < natural) {
		/* first the arrows, then the margin, then the boxes give way */
		p.link = natural - w > 4 ? 4 : 8 - (natural - w);
		if (p.link == 4 && natural - 4 > w) {
			p.margin = 11; /* "PAGE_OFFSET" over "0xc0000000" */
			int compact = natural - 15;
			p.link = compact <= w ? 8 : compact - w > 4 ? 4 : 8 - (compact - w);
			int avail = w - (p.margin + 1 + 2 + p.link + 2 + fixed_right);
			if (avail < p.bw + p.pw) {
				p.bw = (avail + 1) / 2;
				p.pw = avail / 2;
			}
			if (p.bw < 21 && !o->bytes) {
				/* narrower boxes: the sizes as memscope writes them elsewhere */
				snprintf(high, sizeof(high), "128M");
				snprintf(low, sizeof(low), "896M");
				snprintf(user, sizeof(user), "3G");
			}
			/* no narrower than 12 columns inside, nor than a size with a cut name's
			 * sign ("..") beside it */
			int bmin = 12, pmin = 12;
			const char *sizes[] = {high, low, user};
			for (size_t i = 0; i < 3; i++)
				if (2 + 3 + (int)strlen(sizes[i]) > bmin)
					bmin = 2 + 3 + (int)strlen(sizes[i]);
			if (2 + 3 + (int)strlen(low) > pmin)
				pmin = 2 + 3 + (int)strlen(low);
			p.bw = p.bw < bmin ? bmin : p.bw;
			p.pw = p.pw < pmin ? pmin : p.pw;
		}
	}
	bool compact = p.margin < 26;
	int bx = p.margin + 1, px = bx + p.bw + 2 + p.link;
	/* the notes on the right: what is left of the width (30 columns at most for the first,
	 * as drawn), and at least what fits under the physical box */
	int room = p.width - px;
	if (room < p.pw + 2 + fixed_right)
		room = p.pw + 2 + fixed_right;
	char note1[4][64], note2[4][64];
	memset(note1, 0, sizeof(note1));
	memset(note2, 0, sizeof(note2));
	diagram_wrap("any frame above 896 MB, mapped on demand (kmap, vmalloc) and unmapped after "
		     "use",
		     room < 30 ? room : 30, note1[0], sizeof(note1[0]), 4);
	diagram_wrap("pages mapped on demand, per process", room, note2[0], sizeof(note2[0]), 4);

	/* the headings over the two boxes */
	int vstart = bx - 11 < 0 ? 0 : bx - 11, pstart = px - 2;
	if (pstart < vstart + 22)
		pstart = vstart + 22;
	out_printf(o, "%*s%s%*s%s\n", vstart, "", "virtual (one process)", pstart - vstart - 21, "",
		"physical memory");
	char edge[80], pedge[80], l[128], r[128];
	pic_edge(edge, sizeof(edge), p.bw);
	pic_edge(pedge, sizeof(pedge), p.pw);
	pic_line(&p, "0xffffffff", edge, NULL, "");
	pic_sized(l, sizeof(l), p.bw, "HIGHMEM", high);
	pic_line(&p, "", l, "-", note1[0]);
	pic_cell(l, sizeof(l), p.bw, "vmalloc kmap fixmap");
	pic_line(&p, "", l, NULL, note1[1]);
	pic_line(&p, "0xf8000000", edge, NULL, note1[2]);
	pic_cell(l, sizeof(l), p.bw, "");
	pic_line(&p, "", l, NULL, note1[3]);
	pic_sized(l, sizeof(l), p.bw, "LOWMEM", low);
	snprintf(r, sizeof(r), "%s 0x38000000", pedge);
	pic_line(&p, "", l, "=", r);
	pic_cell(l, sizeof(l), p.bw, "direct map");
	pic_sized(r, sizeof(r), p.pw, "LOW MEM", low);
	pic_line(&p, "", l, NULL, r);
	pic_cell(l, sizeof(l), p.bw, "");
	pic_cell(r, sizeof(r), p.pw, "ZONE_DMA, NORMAL");
	pic_line(&p, compact ? "PAGE_OFFSET" : "", l, NULL, r);
	snprintf(r, sizeof(r), "%s 0x00000000", pedge);
	pic_line(&p, compact ? "0xc0000000" : "  PAGE_OFFSET = 0xc0000000", edge, NULL, r);
	pic_cell(l, sizeof(l), p.bw, "");
	pic_line(&p, "", l, NULL, "");
	pic_sized(l, sizeof(l), p.bw, user_name, user);
	pic_line(&p, "", l, NULL, note2[0]);
	pic_cell(l, sizeof(l), p.bw, " (per process)");
	pic_line(&p, "", l, NULL, note2[1]);
	pic_cell(l, sizeof(l), p.bw, "");
	pic_line(&p, "", l, NULL, note2[2]);
	pic_line(&p, "0x00000000", edge, NULL, note2[3]);
}

static int print_diagram(struct ctx *ctx, const struct layout *l)
{
	if (!out_shows(&ctx->out, SHOW_TEXT))
		return 0; /* the picture is text: nothing to work out for JSON */
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
	struct live_facts lf;
	live_facts_read(ctx, l, &lf);
	struct kernel_facts lv = lf.kf;
	struct record r;
	out_printf(&ctx->out, "\n");
	bool dump = ctx->root.dir != NULL;
	record_begin(&r, &ctx->out, "live",
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
	/* the KASLR bases kcore's segments give */
	const struct {
		bool have;
		uint64_t base;
		const char *key, *label;
	} bases[] = {
		{lv.direct, lv.page_offset_base, "page_offset_base", "direct map"},
		{lv.vmalloc, lv.vmalloc_base, "vmalloc_base", "vmalloc"},
		{lv.vmemmap, lv.vmemmap_base, "vmemmap_base", "vmemmap"},
	};
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (bases[i].have)
			rec_addr(&r, bases[i].key, bases[i].label, bases[i].base);
		else
			rec_null(&r, bases[i].key, bases[i].label, unknown);
	if (lv.text) {
		rec_addr(&r, "text", "kernel text", lv.text_vaddr);
	} else {
		char why[400];
		rec_null(&r, "text", "kernel text", live_text_unknown(ctx, &lf, why, sizeof(why)));
	}
	/* what kallsyms' addresses are, when it was read (kcore gave no text) */
	if (lv.kallsyms) {
		rec_group(&r, "kallsyms", "kallsyms");
		rec_str(&r, "addresses", "addresses", kptr_kind_name(lf.kallsyms));
		if (lf.kptr_restrict >= 0)
			rec_u64(&r, "kptr_restrict", "kptr_restrict", (uint64_t)lf.kptr_restrict);
		else
			rec_null(&r, "kptr_restrict", "kptr_restrict", "not known");
		if (lv.text) /* else the text's line above said it */
			rec_str(&r, "why", "why", lf.kallsyms_why);
		rec_group_end(&r);
	}
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
	kernel_facts_free(&lf.kf);
	return 0;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct layout_cmd_args *a = args;
	struct layout l;
	int rc = layout_from_args(ctx, &a->la, &l, err);
	if (rc)
		return rc;
	int e = print_table(ctx, &l, &a->la, !a->diagram);
	if (!e && a->diagram)
		e = print_diagram(ctx, &l);
	if (!e && a->la.live)
		e = print_live(ctx, &l);
	return printed(e, err);
}

COMMAND(layout, struct layout_cmd_args,
	.summary = "virtual memory map of x86_64, arm64, i386 or arm as the kernel documents it",
	.flags = CMD_SYSROOT | CMD_OUTPUT | CMD_CONFIG);
