/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope meminfo: a free(1)-like summary, every field, or a bar of who uses the memory. */
#include <argp.h>
#include <errno.h>
#include <string.h>

#include "command.h"
#include "lib/words.h"
#include "out/diagram.h"
#include "out/table.h"
#include "proc/meminfo.h"
#include "sys/msg.h"

struct meminfo_args {
	bool all, diagram;
};

static const struct opts meminfo_opts = {
	.opt = OPTIONS(
		OPT_BOOL("all", 'a', struct meminfo_args, all,
			 "Every field of /proc/meminfo, in the kernel's order"),
		OPT_BOOL("diagram", 0, struct meminfo_args, diagram,
			 "A bar of MemTotal split into its main users (and LowTotal/HighTotal "
			 "where present)")),
	.rules = RULES(OPT_EXCLUDE("all", "diagram")),
	.doc = "Show memory usage from /proc/meminfo. By default a summary computed the way "
	       "free(1) of procps-ng 4 computes it: used = MemTotal - MemAvailable, buff/cache = "
	       "Buffers + Cached + SReclaimable.",
};

enum { S_NAME, S_TOTAL, S_USED, S_FREE, S_SHARED, S_BUFF_CACHE, S_AVAILABLE };

static const struct col_def summary_cols[] = {
	[S_NAME] = {"", "name", COL_STR, COLF_DEFAULT | COLF_SHOW(SHOW_TEXT), "row", NULL},
	[S_TOTAL] = {"TOTAL", "total", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "total", NULL},
	[S_USED] = {"USED", "used", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "used", NULL},
	[S_FREE] = {"FREE", "free", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "unused", NULL},
	[S_SHARED] = {"SHARED", "shared", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "Shmem", NULL},
	[S_BUFF_CACHE] = {"BUFF/CACHE", "buff_cache", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
			  "buffers and page cache", NULL},
	[S_AVAILABLE] = {"AVAILABLE", "available", COL_SIZE, COLF_DEFAULT | COLF_RIGHT,
			 "estimate of what new work can use without swapping", NULL},
};

static struct trow *summary_row(struct table *tb, const char *key, const char *label,
				uint64_t total, uint64_t used, uint64_t free_)
{
	struct trow *r = table_add(tb, NULL);
	trow_key(r, key);
	trow_str(r, S_NAME, label);
	trow_size(r, S_TOTAL, total);
	trow_size(r, S_USED, used);
	trow_size(r, S_FREE, free_);
	return r;
}

static int print_summary(struct ctx *ctx, const struct meminfo_summary *s, bool text)
{
	struct table *tb = table_new(summary_cols, sizeof(summary_cols) / sizeof(summary_cols[0]),
				     "summary");
	if (!tb)
		return -ENOMEM;
	table_json_keyed(tb);
	if (!text)
		table_show(tb, SHOW_JSON);
	struct trow *r = summary_row(tb, "mem", "Mem:", s->total, s->used, s->free);
	trow_size(r, S_SHARED, s->shared);
	trow_size(r, S_BUFF_CACHE, s->buff_cache);
	trow_size(r, S_AVAILABLE, s->available);
	if (s->has_high) {
		summary_row(tb, "low", "Low:", s->low_total, s->low_used, s->low_free);
		summary_row(tb, "high", "High:", s->high_total, s->high_used, s->high_free);
	}
	summary_row(tb, "swap", "Swap:", s->swap_total, s->swap_used, s->swap_free);
	int e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

static const struct col_def all_cols[] = {
	{"KEY", "key", COL_STR, COLF_DEFAULT, "field as the kernel names it", NULL},
	{"VALUE", "value", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "size, or a count for HugePages_*", NULL},
};

/* Fields that measure virtual address space or a commitment, not memory: their range passes
 * 2^53 bytes (VmallocTotal is 12800 TiB with 5-level paging, Documentation/arch/x86/x86_64/
 * mm.rst; CommitLimit and Committed_AS follow vm.overcommit_kbytes and the address spaces of
 * every process, Documentation/mm/overcommit-accounting.rst), so JSON gives them as "0x"
 * strings. Every other field counts RAM or swap, bounded by the 52 bits of a physical address
 * (swap by MAX_SWAPFILES areas of at most 2^32 pages each). */
static bool meminfo_wide(const char *key)
{
	static const char *const wide[] = {"VmallocTotal", "VmallocUsed", "VmallocChunk",
					   "CommitLimit", "Committed_AS"};
	return word_index(wide, WORDS_N(wide), key) >= 0;
}

/* Every key: the "meminfo" JSON object always, the text table with --all. */
static int print_all(struct ctx *ctx, const struct meminfo *mi, bool text)
{
	struct table *tb = table_new(all_cols, 2, "meminfo");
	if (!tb)
		return -ENOMEM;
	table_json_flat(tb, 1);
	if (!text)
		table_show(tb, SHOW_JSON);
	for (size_t i = 0; i < mi->n; i++) {
		struct trow *r = table_add(tb, NULL);
		trow_key(r, mi->v[i].key);
		trow_str(r, 0, mi->v[i].key);
		trow_typed(r, 1, mi->v[i].bytes ? COL_SIZE : COL_COUNT, mi->v[i].value);
		if (meminfo_wide(mi->v[i].key))
			trow_wide(r, 1);
	}
	int e = table_print(tb, &ctx->out);
	table_free(tb);
	return e;
}

static uint64_t val(const struct meminfo *mi, const char *key)
{
	const struct meminfo_entry *e = meminfo_get(mi, key);
	return e && e->bytes ? e->value : 0;
}

/* Whether the kernel printed @key (in kB): a part it did not print is left out of the bar and
 * its legend, never drawn as 0. */
static bool have(const struct meminfo *mi, const char *key)
{
	const struct meminfo_entry *e = meminfo_get(mi, key);
	return e && e->bytes;
}

static int print_diagram(struct ctx *ctx, const struct meminfo *mi,
			 const struct meminfo_summary *s)
{
	uint64_t cached = val(mi, "Cached"), shmem = val(mi, "Shmem");
	/* VmallocUsed meant three things. Before 4.4 it was the vmalloc address space in use,
	 * ioremap()ed device memory included (mm/vmalloc.c get_vmalloc_info()), not pages: it can
	 * pass MemTotal (190M on a 92M arm32 router). 4.4 dropped that walk and printed 0 for it
	 * and for VmallocChunk; 5.3 gave VmallocUsed the pages vmalloc holds
	 * (vmalloc_nr_pages()), and VmallocChunk stayed 0. So a VmallocChunk other than 0 says
	 * VmallocUsed is address space, and it is shown apart from the users of RAM. */
	const struct meminfo_entry *chunk = meminfo_get(mi, "VmallocChunk");
	bool vmalloc_space = chunk && chunk->value;
	struct diagram_seg segs[12];
	size_t n = 0;
	/* the parts the kernel printed, each drawn as it printed it; old kernels print fewer
	 * (proc(5): AnonPages since 2.6.18, SReclaimable and SUnreclaim beside Slab since 2.6.19,
	 * Shmem and KernelStack since 2.6.32), and what they leave out falls in "other" */
	if (have(mi, "AnonPages"))
		segs[n++] = (struct diagram_seg){"anonymous (AnonPages)", val(mi, "AnonPages"), 'a'};
	if (have(mi, "Cached") && have(mi, "Shmem"))
		segs[n++] = (struct diagram_seg){"page cache (Cached-Shmem)",
						 cached > shmem ? cached - shmem : 0, 'c'};
	else if (have(mi, "Cached"))
		/* before Shmem was printed, its pages were counted in Cached, unseparated */
		segs[n++] = (struct diagram_seg){"page cache (Cached)", cached, 'c'};
	if (have(mi, "Buffers"))
		segs[n++] = (struct diagram_seg){"buffers", val(mi, "Buffers"), 'b'};
	if (have(mi, "Shmem"))
		segs[n++] = (struct diagram_seg){"shmem", shmem, 's'};
	bool halves = have(mi, "SReclaimable") && have(mi, "SUnreclaim");
	if (!halves && have(mi, "Slab")) {
		/* Slab without its halves (before 2.6.19): one part, the whole of it */
		segs[n++] = (struct diagram_seg){"slab (Slab)", val(mi, "Slab"), 'S'};
	} else {
		if (have(mi, "SReclaimable"))
			segs[n++] = (struct diagram_seg){"slab reclaimable", val(mi, "SReclaimable"),
							 'r'};
		if (have(mi, "SUnreclaim"))
			segs[n++] = (struct diagram_seg){"slab unreclaimable", val(mi, "SUnreclaim"),
							 'u'};
	}
	if (have(mi, "KernelStack"))
		segs[n++] = (struct diagram_seg){"kernel stacks", val(mi, "KernelStack"), 'k'};
	if (have(mi, "PageTables"))
		segs[n++] = (struct diagram_seg){"page tables", val(mi, "PageTables"), 'p'};
	if (!vmalloc_space && have(mi, "VmallocUsed"))
		segs[n++] = (struct diagram_seg){"vmalloc", val(mi, "VmallocUsed"), 'v'};
	size_t other = n++;
	if (have(mi, "MemFree"))
		segs[n++] = (struct diagram_seg){"free", s->free, '.'};
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++)
		if (i != other)
			sum += segs[i].value;
	/* what the kernel does not itemise (drivers, hugetlb pool, ...) */
	segs[other] = (struct diagram_seg){"other (not itemised)",
					   s->total > sum ? s->total - sum : 0, 'o'};
	/* the bar is MemTotal, exactly, whatever the parts add up to */
	int e = diagram_bar(&ctx->out, "MemTotal", s->total, segs, n, 64);
	if (e == 0) {
		char sz[32], note[256];
		if (sum > s->total) {
			out_size_text(&ctx->out, sum - s->total, sz, sizeof(sz));
			snprintf(note, sizeof(note),
				 "The parts add up to %s more than MemTotal: the kernel counts some "
				 "pages in two of them.",
				 sz);
			diagram_note(&ctx->out, note, 1, 1, 66);
		}
		if (vmalloc_space) {
			out_size_text(&ctx->out, val(mi, "VmallocUsed"), sz, sizeof(sz));
			snprintf(note, sizeof(note),
				 "Not in the bar: VmallocUsed %s, vmalloc address space in use "
				 "(ioremap included), not RAM: kernels before 4.4 count it so "
				 "(VmallocChunk is not 0).",
				 sz);
			diagram_note(&ctx->out, note, 1, 1, 66);
		}
	}
	if (e == 0 && s->has_high) {
		struct diagram_seg hl[] = {
			{"LowTotal used", s->low_used, 'L'},
			{"LowTotal free", s->low_free, 'l'},
			{"HighTotal used", s->high_used, 'H'},
			{"HighTotal free", s->high_free, 'h'},
		};
		out_printf(&ctx->out, "\n");
		e = diagram_bar(&ctx->out, "LowTotal + HighTotal", s->low_total + s->high_total, hl, 4,
				64);
	}
	return e;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct meminfo_args *a = args;
	struct meminfo mi;
	struct meminfo_summary s;
	char name[512];
	sysroot_name(&ctx->root, "proc/meminfo", name, sizeof(name));
	int e = meminfo_read(&ctx->root, &mi, err);
	if (e || (e = meminfo_summarize(&mi, name, &s, err))) {
		meminfo_free(&mi);
		return e;
	}
	e = print_all(ctx, &mi, a->all);
	if (!e)
		e = print_summary(ctx, &s, !a->all && !a->diagram);
	if (!e && a->diagram)
		e = print_diagram(ctx, &mi, &s);
	meminfo_free(&mi);
	return printed(e, err);
}

COMMAND(meminfo, struct meminfo_args,
	.summary = "memory usage from /proc/meminfo, as free(1) counts it",
	.flags = CMD_SYSROOT | CMD_OUTPUT);
