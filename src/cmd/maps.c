/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope maps: a process's virtual address space, mapping by mapping, with what each one is,
 * its resident memory from smaps (--rss, as pmap -X counts it), or drawn as the notes draw it. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmd/process.h"
#include "decode/layout.h"
#include "lib/escape.h"
#include "out/diagram.h"
#include "out/table.h"
#include "lib/units.h"
#include "sys/msg.h"

struct maps_args {
	struct table_args tbl;
	char **pids;
	int npids;
	bool rss, diagram;
	bool smaps; /* read smaps: --rss, or a column of it in -o */
};

enum { M_START, M_END, M_SIZE, M_PERM, M_OFFSET, M_DEVICE, M_INODE, M_KIND, M_NAME, M_RSS,
       M_PSS, M_DIRTY, M_SWAP, M_NCOLS };

static const struct col_def maps_cols[] = {
	[M_START] = {"START", "start", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first address", NULL},
	[M_END] = {"END", "end", COL_ADDR, COLF_DEFAULT | COLF_RIGHT,
		   "end (exclusive, as the kernel prints it)", NULL},
	[M_SIZE] = {"SIZE", "size", COL_SIZE, COLF_DEFAULT | COLF_RIGHT | COLF_WIDE, "size", NULL},
	[M_PERM] = {"PERM", "perms", COL_STR, COLF_DEFAULT, "rwx and p(rivate)/s(hared)", NULL},
	/* hex, as the kernel and pmap print it; in JSON a "0x" string, as every value that may
	 * pass 2^53 (a file offset may reach 2^63) */
	[M_OFFSET] = {"OFFSET", "offset", COL_HEX, COLF_DEFAULT | COLF_RIGHT | COLF_WIDE,
		      "file offset (hex)", NULL},
	[M_DEVICE] = {"DEVICE", "device", COL_STR, COLF_DEFAULT, "major:minor", NULL},
	[M_INODE] = {"INODE", "inode", COL_COUNT, COLF_DEFAULT | COLF_RIGHT | COLF_WIDE, "inode",
		     NULL},
	[M_KIND] = {"KIND", "kind", COL_STR, COLF_DEFAULT,
		    "text, rodata, data, bss, heap, stack, anon, file, shm, guard, vdso, vvar, "
		    "vsyscall, special",
		    NULL},
	[M_NAME] = {"NAME", "name", COL_STR, COLF_DEFAULT | COLF_WRAP, "path or [name]", NULL},
	[M_RSS] = {"RSS", "rss", COL_SIZE, COLF_RIGHT, "resident (smaps Rss)", NULL},
	[M_PSS] = {"PSS", "pss", COL_SIZE, COLF_RIGHT, "proportional share (Pss)", NULL},
	[M_DIRTY] = {"DIRTY", "dirty", COL_SIZE, COLF_RIGHT, "Shared_Dirty + Private_Dirty", NULL},
	[M_SWAP] = {"SWAP", "swap", COL_SIZE, COLF_RIGHT, "in swap", NULL},
};

/* the note --help gives after the columns */
static const struct columns maps_columns = COLUMNS(
	maps_cols,
	"PID is a number or self; with several, each process's table follows a line naming "
	"it, as pmap prints. RSS, PSS, DIRTY and SWAP read smaps, as --rss does. Names are "
	"escaped before they reach a terminal.");

static const struct opts maps_opts = {
	.opt = OPTIONS(
		OPT_BOOL("rss", 0, struct maps_args, rss,
			 "Add RSS, PSS, dirty and swap per mapping from smaps, with totals (as "
			 "pmap -X)"),
		OPT_BOOL("diagram", 0, struct maps_args, diagram,
			 "Draw the address space: stack on top, mmap area, heap, bss, data, text, "
			 "the kernel half above"),
		OPT_INCLUDE(table_opts, struct maps_args, tbl, NULL, 0)),
	.rules = RULES(
		/* the picture shows no smaps counters */
		OPT_EXCLUDE("diagram", "rss"),
		/* nor the table that -o, -r and -n shape (iomem --diagram refuses them alike) */
		OPT_REFUSES("diagram", "--diagram draws no table", "output", "raw", "noheadings")),
	.doc = "Show the mappings of process PID from /proc/PID/maps: range, size, permissions, "
	       "offset, device, inode, what kind of memory it is, and its name.\v",
	.args_doc = "PID...",
	.pid_self = true,
	OPTS_LIST(struct maps_args, pids, npids, "no PID given", pid_check, "PID",
		  "a number, or self"),
};

/* The table of mappings, filled one mapping at a time as they are read. */
struct maps_table {
	struct table *tb;
	/* with --rss: made with the table and its row named, so nothing is allocated once the
	 * output has begun (a failure then would cut it short) */
	struct table *totals;
	struct trow *total;
	bool rss;
	uint64_t tot[4], size;
	size_t n;
};

/* the totals, as pmap -X ends with them */
static const struct col_def tcols[] = {
	{"", NULL, COL_STR, COLF_DEFAULT, "", NULL},
	{"SIZE", "size", COL_SIZE, COLF_DEFAULT | COLF_RIGHT | COLF_WIDE, "", NULL},
	{"RSS", "rss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL},
	{"PSS", "pss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL},
	{"DIRTY", "dirty", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL},
	{"SWAP", "swap", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL},
	{"MAPPINGS", "mappings", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "", NULL},
};

static int maps_table_new(struct ctx *ctx, struct maps_table *mt, const struct maps_args *a,
			  struct ms_error *err)
{
	*mt = (struct maps_table){.rss = a->smaps};
	mt->tb = table_new(maps_cols, M_NCOLS, "maps");
	mt->totals = mt->rss ? table_new(tcols, 7, "totals") : NULL;
	if (mt->totals) {
		table_json_keyed(mt->totals);
		mt->total = table_add(mt->totals, NULL);
		trow_key(mt->total, "all");
		trow_str(mt->total, 0, "total");
	}
	if (!mt->tb || (mt->rss && (!mt->totals || table_error(mt->totals)))) {
		table_free(mt->tb);
		mt->tb = NULL;
		return ms_say(err, -ENOMEM, "out of memory");
	}
	if (a->rss)
		table_select(mt->tb, "+RSS,PSS,DIRTY,SWAP", NULL);
	if (table_select(mt->tb, a->tbl.columns, err)) {
		err->usage = true; /* -o named a column there is not */
		table_free(mt->tb);
		mt->tb = NULL;
		return -EINVAL;
	}
	if (a->diagram)
		table_show(mt->tb, SHOW_JSON);
	table_spool(mt->tb); /* 60 000 mappings need not stay in memory as rows */
	return table_measure(mt->tb, &ctx->out);
}

static int maps_table_add(void *data, const struct vma *v)
{
	struct maps_table *mt = data;
	struct trow *r = table_add(mt->tb, NULL);
	/* "%02x:%02x", by hand: snprintf for each of 60 000 mappings showed in profiles */
	char dev[40];
	size_t n = units_hex(v->dev_major, 2, dev);
	dev[n++] = ':';
	units_hex(v->dev_minor, 2, dev + n);
	trow_addr(r, M_START, v->start);
	trow_addr(r, M_END, v->end);
	trow_size(r, M_SIZE, v->end - v->start);
	trow_str(r, M_PERM, v->perms);
	trow_typed(r, M_OFFSET, COL_HEX, v->offset);
	trow_str(r, M_DEVICE, dev);
	trow_count(r, M_INODE, v->inode);
	trow_str(r, M_KIND, vma_kind_name(v->kind));
	trow_str(r, M_NAME, v->name);
	mt->size += v->end - v->start;
	mt->n++;
	if (mt->rss) {
		uint64_t dirty = v->sm[SM_SHARED_DIRTY] + v->sm[SM_PRIVATE_DIRTY];
		trow_size(r, M_RSS, v->sm[SM_RSS]);
		trow_size(r, M_PSS, v->sm[SM_PSS]);
		trow_size(r, M_DIRTY, dirty);
		trow_size(r, M_SWAP, v->sm[SM_SWAP]);
		mt->tot[0] += v->sm[SM_RSS];
		mt->tot[1] += v->sm[SM_PSS];
		mt->tot[2] += dirty;
		mt->tot[3] += v->sm[SM_SWAP];
	}
	return table_error(mt->tb); /* -ENOMEM ends the read, before any output */
}

/* Print the table, and with --rss its totals. */
static int maps_table_print(struct ctx *ctx, struct maps_table *mt, bool diagram)
{
	int e = table_print(mt->tb, &ctx->out);
	if (e || !mt->rss)
		return e;
	struct table *tt = mt->totals;
	struct trow *r = mt->total;
	trow_size(r, 1, mt->size);
	for (int k = 0; k < 4; k++)
		trow_size(r, 2 + k, mt->tot[k]);
	trow_count(r, 6, mt->n);
	if (!diagram)
		out_printf(&ctx->out, "\n");
	else
		table_show(tt, SHOW_JSON);
	return table_print(tt, &ctx->out);
}

/* The kernel half of the machine the maps come from, drawn above user space. */
struct kernel_half {
	uint64_t user_end;    /* first address past user space (TASK_SIZE) */
	uint64_t kernel;      /* first address of the kernel half */
	const char *hole;     /* what lies between them, when they differ by more than a gap */
};

/* The split of a 32-bit machine: PAGE_OFFSET is 0xc0000000 by default (VMSPLIT_3G), and the
 * stack sits just below TASK_SIZE (PAGE_OFFSET on i386, PAGE_OFFSET - 16M on ARM, whose modules
 * live below PAGE_OFFSET: arch/arm/include/asm/memory.h), so its end tells another split. */
static uint64_t split_32(const struct maps *m, uint64_t below)
{
	static const uint64_t page_offset[] = {0xc0000000, 0xb0000000, 0x80000000, 0x78000000,
					       0x40000000};
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->v[i].name, "[stack]"))
			continue;
		for (size_t k = 0; k < sizeof(page_offset) / sizeof(page_offset[0]); k++) {
			uint64_t task = page_offset[k] - below;
			if (m->v[i].end <= task && task - m->v[i].end < (UINT64_C(256) << 20))
				return page_offset[k];
		}
	}
	return 0xc0000000;
}

/* Where user space ends and the kernel half begins, for the machine described (the options,
 * the dump or this system, and what this process's own mappings show: [vsyscall], [vectors],
 * where the stack ends). */
static struct kernel_half kernel_half(struct ctx *ctx, const struct maps *m)
{
	const struct machine_facts *f = ctx_machine(ctx);
	struct machine own = ctx->machine;
	machine_from_maps(&own, m->v, m->n, "maps");
	/* what nothing else said, the mappings may: then no assumption is needed */
	const char *arch = f->arch_source != MACHINE_ASSUMED || !machine_arch(&own)
				   ? ctx_arch(ctx)
				   : machine_arch(&own);
	bool same = machine_arch(&own) && !strcmp(machine_arch(&own), arch);
	unsigned va = same && machine_va_bits(&own) ? machine_va_bits(&own) : f->va_bits;
	unsigned levels = same && machine_levels(&own) ? machine_levels(&own) : f->levels;
	struct kernel_half k;
	if (!strcmp(arch, "arm64")) {
		/* TTBR0 holds user space below 2^VA_BITS, TTBR1 the kernel from -2^VA_BITS
		 * (Documentation/arch/arm64/memory.rst) */
		if (!va || va == 32)
			va = layout_arm64_default_va((unsigned)f->page_size);
		k.user_end = UINT64_C(1) << va;
		k.kernel = (uint64_t)0 - (UINT64_C(1) << va);
		k.hole = "non-canonical: neither TTBR0 nor TTBR1";
	} else if (!strcmp(arch, "i386") || !strcmp(arch, "arm")) {
		bool is_arm = !strcmp(arch, "arm");
		uint64_t po = split_32(m, is_arm ? UINT64_C(16) << 20 : 0);
		/* ARM's kernel half starts with the modules, 16M below PAGE_OFFSET */
		k.kernel = k.user_end = is_arm ? po - (UINT64_C(16) << 20) : po;
		k.hole = NULL;
	} else {
		/* the canonical halves of 48 or 57 bits (Documentation/arch/x86/x86_64/mm.rst) */
		unsigned bits = levels == 5 ? 56 : 47;
		k.user_end = UINT64_C(1) << bits;
		k.kernel = (uint64_t)0 - (UINT64_C(1) << bits);
		k.hole = "non-canonical: no address here is valid";
	}
	return k;
}

/* The last component of a path ("libc.so.6"), or the whole name of anything else: a bracketed
 * name may hold a slash that is no path's ("[anon:dalvik-/system/framework/boot.art]", named by
 * prctl(PR_SET_VMA_ANON_NAME)), and so may "anon_inode:" names; only a path starts with '/' */
static const char *base_name(const char *name)
{
	const char *slash = name[0] == '/' ? strrchr(name, '/') : NULL;
	return slash ? slash + 1 : name;
}

/* The notes' picture of user space: one box per kind of region, top to bottom by address, the
 * kernel half above, of the machine the maps come from. Mappings of one kind that follow each
 * other become one box. */
static int print_diagram(struct ctx *ctx, const struct maps *m)
{
	/* no mappings (a kernel thread, a zombie): no user space to draw a half above; and a
	 * picture only text shows is not worked out for JSON (a box per mapping) */
	if (!m->n || !out_shows(&ctx->out, SHOW_TEXT))
		return 0;
	struct kernel_half kh = kernel_half(ctx, m);
	struct diagram_box *b = calloc(m->n + 2, sizeof(*b));
	struct diagram_box *kernel_children = calloc(m->n + 1, sizeof(*kernel_children));
	char(*labels)[96] = calloc(m->n + 2, sizeof(*labels));
	if (!b || !labels || !kernel_children) {
		free(b);
		free(labels);
		free(kernel_children);
		return -ENOMEM;
	}
	size_t n = 0, nk = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct vma *v = &m->v[i];
		if (v->start >= kh.kernel) {
			/* [vsyscall] on x86_64, [vectors] on ARM: pages of the kernel half that user
			 * space may see, drawn inside it */
			kernel_children[nk++] = (struct diagram_box){v->start, v->end - 1, v->name,
								     NULL, 0};
			continue;
		}
		/* "text libc.so.6": the kind and whose it is; a bss is the object's whose data it
		 * follows, and the heap and the stack need no name */
		const char *who = base_name(v->name);
		if (v->kind == VMA_BSS)
			who = i ? base_name(m->v[i - 1].name) : "";
		else if (v->kind == VMA_HEAP || v->kind == VMA_STACK)
			who = "";
		char label[96];
		snprintf(label, sizeof(label), "%s%s%s", vma_kind_name(v->kind), who[0] ? " " : "",
			 who);
		if (n && b[n - 1].end + 1 == v->start && !strcmp(labels[n - 1], label)) {
			b[n - 1].end = v->end - 1;
			continue;
		}
		snprintf(labels[n], sizeof(labels[n]), "%s", label);
		b[n] = (struct diagram_box){v->start, v->end - 1, labels[n], NULL, 0};
		n++;
	}
	/* between the halves, on 64-bit machines: the addresses no page table maps */
	if (kh.hole && kh.kernel > kh.user_end && (!n || b[n - 1].end < kh.user_end))
		b[n++] = (struct diagram_box){kh.user_end, kh.kernel - 1, kh.hole, NULL, 0};
	/* the kernel half itself, unless a mapping of this process reaches into it (a 32-bit
	 * machine with another split than we know): better no half than a wrong one */
	if (!n || b[n - 1].end < kh.kernel) {
		uint64_t top = kh.user_end > UINT64_C(0xffffffff) || kh.kernel > UINT64_C(0xffffffff)
				       ? UINT64_MAX
				       : UINT64_C(0xffffffff);
		b[n++] = (struct diagram_box){kh.kernel, top, "kernel space, not user-readable",
					      nk ? kernel_children : NULL, nk};
	}
	const struct diagram_opts opt = {
		.width = 48,
		.huge_gap = UINT64_C(1) << 30,
		.small = UINT64_C(1) << 20,
		.max_run = 6,
		.gap_label = "unmapped",
	};
	int e = diagram_map(&ctx->out, b, n, &opt);
	free(b);
	free(labels);
	free(kernel_children);
	return e;
}

/* Whether the -o list @spec names a column only smaps has (RSS, PSS, DIRTY, SWAP): then smaps
 * is read, as with --rss, rather than the column left empty. */
static bool wants_smaps(const char *spec)
{
	if (!spec)
		return false;
	const char *p = spec[0] == '+' ? spec + 1 : spec;
	while (*p) {
		size_t len = strcspn(p, ",");
		for (size_t c = M_RSS; c <= M_SWAP; c++)
			if (strlen(maps_cols[c].name) == len && !strncasecmp(maps_cols[c].name, p, len))
				return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* One process: its mappings read into a table (and a list, for the picture). */
struct one_maps {
	struct process proc;
	struct maps_table mt;
	struct maps m;
	bool open;
};

static int read_one(struct ctx *ctx, const struct maps_args *a, const char *pid,
		    struct one_maps *om, struct ms_error *err)
{
	int rc = process_open(ctx, pid, &om->proc, err);
	if (rc)
		return rc;
	om->open = true;
	int e = maps_table_new(ctx, &om->mt, a, err);
	if (e)
		return e;
	if (a->diagram) {
		/* the picture needs every mapping at once */
		rc = process_maps(&om->proc, a->smaps, &om->m, err);
		for (size_t i = 0; !rc && !e && i < om->m.n; i++)
			e = maps_table_add(&om->mt, &om->m.v[i]);
	} else {
		/* rows are made while the kernel still writes smaps, and no mapping is kept (a
		 * row that cannot be kept, -ENOMEM, ends the read: nothing has been printed) */
		rc = process_maps_stream(&om->proc, a->smaps, maps_table_add, &om->mt, err);
	}
	if (!rc && e)
		rc = ms_say(err, e, "cannot read the mappings: %s", strerror(-e));
	return rc;
}

static int run(struct ctx *ctx, void *args, struct ms_error *err)
{
	struct maps_args *a = args;
	int rc = 0;
	table_args_apply(ctx, &a->tbl);
	/* -o RSS reads smaps, but adds no other column: -o +RSS is the default and RSS */
	a->smaps = a->rss || wants_smaps(a->tbl.columns);
	struct one_maps *all = calloc((size_t)a->npids, sizeof(*all));
	if (!all)
		return ms_say(err, -ENOMEM, "out of memory");
	/* every process is read before anything is printed: one that cannot be read fails the
	 * command, and nothing of the others reaches stdout (their rows wait spooled) */
	for (int i = 0; i < a->npids && !rc; i++)
		rc = read_one(ctx, a, a->pids[i], &all[i], err);
	int e = 0;
	if (!rc)
		e = out_unbuffer(&ctx->out, stdout); /* all read: the rows need not wait as text too */
	bool several = a->npids > 1;
	if (!rc && several)
		out_array(&ctx->out, "processes");
	for (int i = 0; !rc && !e && i < a->npids; i++) {
		struct one_maps *om = &all[i];
		if (several) {
			/* several: a line naming each, as pmap prints, and a JSON object each */
			out_object(&ctx->out, NULL);
			if (i)
				out_printf(&ctx->out, "\n");
			process_header(ctx, &om->proc, true);
		}
		e = maps_table_print(ctx, &om->mt, a->diagram);
		if (!e && a->diagram)
			e = print_diagram(ctx, &om->m);
		if (several)
			out_end(&ctx->out);
	}
	if (!rc && several)
		out_end(&ctx->out);
	for (int i = 0; i < a->npids; i++) {
		maps_free(&all[i].m);
		table_free(all[i].mt.tb);
		table_free(all[i].mt.totals);
		if (all[i].open)
			process_close(&all[i].proc);
	}
	free(all);
	if (rc)
		return rc;
	return printed(e, err);
}

COMMAND(maps, struct maps_args,
	.summary = "a process's mappings: kinds, sizes, resident memory, the layout drawn",
	.flags = CMD_SYSROOT | CMD_OUTPUT,
	.columns = &maps_columns);
