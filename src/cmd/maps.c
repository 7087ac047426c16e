/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope maps: a process's virtual address space, mapping by mapping, with what each one is,
 * its resident memory from smaps (--rss, as pmap -X counts it), or drawn as the notes draw it. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/process.h"
#include "out/diagram.h"
#include "out/table.h"
#include "out/units.h"
#include "sys/msg.h"

struct maps_args {
	struct table_args tbl;
	const char *pid;
	bool rss, diagram;
};

enum { OPT_RSS = 0x200, OPT_DIAGRAM };

static const struct argp_option maps_options[] = {
	{"rss", OPT_RSS, NULL, 0,
	 "Add RSS, PSS, dirty and swap per mapping from smaps, with totals (as pmap -X)", 0},
	{"diagram", OPT_DIAGRAM, NULL, 0,
	 "Draw the address space: stack on top, mmap area, heap, bss, data, text, the kernel half "
	 "above",
	 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

static error_t maps_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct maps_args *a = state->input;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->tbl;
		return 0;
	case OPT_RSS:
		a->rss = true;
		return 0;
	case OPT_DIAGRAM:
		a->diagram = true;
		return 0;
	case ARGP_KEY_ARG:
		if (a->pid)
			argp_error(state, "unexpected argument '%s'", arg);
		if (pid_check(arg))
			argp_error(state, "invalid PID '%s' (a number, or self)", arg);
		a->pid = arg;
		return 0;
	case ARGP_KEY_END:
		if (!a->pid)
			argp_error(state, "no PID given");
		/* the picture shows no smaps counters */
		if (a->diagram && a->rss)
			argp_error(state, "--diagram and --rss exclude each other");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

enum { M_START, M_END, M_SIZE, M_PERM, M_OFFSET, M_DEVICE, M_INODE, M_KIND, M_NAME, M_RSS,
       M_PSS, M_DIRTY, M_SWAP, M_NCOLS };

static const struct col_def maps_cols[] = {
	[M_START] = {"START", "start", COL_ADDR, COLF_DEFAULT | COLF_RIGHT, "first address", NULL},
	[M_END] = {"END", "end", COL_ADDR, COLF_DEFAULT | COLF_RIGHT,
		   "end (exclusive, as the kernel prints it)", NULL},
	[M_SIZE] = {"SIZE", "size", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "size", NULL},
	[M_PERM] = {"PERM", "perms", COL_STR, COLF_DEFAULT, "rwx and p(rivate)/s(hared)", NULL},
	[M_OFFSET] = {"OFFSET", "offset", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "file offset",
		      NULL},
	[M_DEVICE] = {"DEVICE", "device", COL_STR, COLF_DEFAULT, "major:minor", NULL},
	[M_INODE] = {"INODE", "inode", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "inode", NULL},
	[M_KIND] = {"KIND", "kind", COL_STR, COLF_DEFAULT,
		    "text, rodata, data, bss, heap, stack, anon, file, shm, guard, vdso, vvar, "
		    "vsyscall, special",
		    NULL},
	[M_NAME] = {"NAME", "name", COL_STR, COLF_DEFAULT, "path or [name]", NULL},
	[M_RSS] = {"RSS", "rss", COL_SIZE, COLF_RIGHT, "resident (smaps Rss)", NULL},
	[M_PSS] = {"PSS", "pss", COL_SIZE, COLF_RIGHT, "proportional share (Pss)", NULL},
	[M_DIRTY] = {"DIRTY", "dirty", COL_SIZE, COLF_RIGHT, "Shared_Dirty + Private_Dirty", NULL},
	[M_SWAP] = {"SWAP", "swap", COL_SIZE, COLF_RIGHT, "in swap", NULL},
};

static char *maps_help(int key, const char *text, void *input)
{
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	char cols[4096], *out = NULL;
	table_columns_help(maps_cols, M_NCOLS, cols, sizeof(cols));
	if (asprintf(&out, "Columns:\n%s\nPID is a number or self. Names are escaped before they "
			   "reach a terminal.",
		     cols) < 0)
		return (char *)text;
	return out;
}

static const struct argp_child maps_children[] = {
	{&table_opt_argp, 0, NULL, 0},
	{&global_child_argp, 0, "Global options:", 1},
	{NULL, 0, NULL, 0},
};

static const struct argp maps_argp = {
	maps_options, maps_parse_opt, "PID",
	"Show the mappings of process PID from /proc/PID/maps: range, size, permissions, offset, "
	"device, inode, what kind of memory it is, and its name.\v",
	maps_children, maps_help, NULL};

/* The table of mappings, filled one mapping at a time as they are read. */
struct maps_table {
	struct table *tb;
	bool rss;
	uint64_t tot[4], size;
	size_t n;
};

static int maps_table_new(struct ctx *ctx, struct maps_table *mt, const struct maps_args *a)
{
	struct ms_error err = {0};
	*mt = (struct maps_table){.rss = a->rss};
	mt->tb = table_new(maps_cols, M_NCOLS, "maps");
	if (!mt->tb)
		return -ENOMEM;
	if (a->rss)
		table_select(mt->tb, "+RSS,PSS,DIRTY,SWAP", NULL);
	if (table_select(mt->tb, a->tbl.columns, &err)) {
		msg_error(&err);
		table_free(mt->tb);
		mt->tb = NULL;
		return -EINVAL;
	}
	if (a->diagram)
		table_text_hidden(mt->tb);
	table_spool(mt->tb); /* 60 000 mappings need not stay in memory as rows */
	return table_measure(mt->tb, &ctx->out);
}

static int maps_table_add(void *data, const struct vma *v)
{
	struct maps_table *mt = data;
	struct trow *r = table_add(mt->tb, NULL);
	if (!r)
		return -ENOMEM;
	char dev[32];
	snprintf(dev, sizeof(dev), "%02x:%02x", v->dev_major, v->dev_minor);
	trow_addr(r, M_START, v->start);
	trow_addr(r, M_END, v->end);
	trow_size(r, M_SIZE, v->end - v->start);
	trow_str(r, M_PERM, v->perms);
	trow_count(r, M_OFFSET, v->offset);
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
	return 0;
}

static int maps_table_print(struct ctx *ctx, struct maps_table *mt, bool diagram)
{
	int e = table_print(mt->tb, &ctx->out, NULL);
	if (e || !mt->rss)
		return e;
	/* totals, as pmap -X ends with them */
	static const struct col_def tcols[] = {
		{"", NULL, COL_STR, COLF_DEFAULT, "", NULL},
		{"SIZE", "size", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL},
		{"RSS", "rss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL},
		{"PSS", "pss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL},
		{"DIRTY", "dirty", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL},
		{"SWAP", "swap", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "", NULL},
		{"MAPPINGS", "mappings", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "", NULL},
	};
	struct table *tt = table_new(tcols, 7, "totals");
	struct trow *r = tt ? table_add(tt, NULL) : NULL;
	if (!r) {
		table_free(tt);
		return -ENOMEM;
	}
	table_json_keyed(tt);
	trow_key(r, "all");
	trow_str(r, 0, "total");
	trow_size(r, 1, mt->size);
	for (int k = 0; k < 4; k++)
		trow_size(r, 2 + k, mt->tot[k]);
	trow_count(r, 6, mt->n);
	if (!ctx->out.json && !diagram)
		fputc('\n', ctx->out.fp);
	if (diagram)
		table_text_hidden(tt);
	e = table_print(tt, &ctx->out, NULL);
	table_free(tt);
	return e;
}

/* The notes' picture of user space: one box per kind of region, top to bottom by address, the
 * kernel half above. Mappings of one kind that follow each other become one box. */
static int print_diagram(struct ctx *ctx, const struct maps *m)
{
	struct diagram_box *b = calloc(m->n + 1, sizeof(*b));
	char(*labels)[96] = calloc(m->n + 1, sizeof(*labels));
	if (!b || !labels) {
		free(b);
		free(labels);
		return -ENOMEM;
	}
	size_t n = 0;
	uint64_t top = 0;
	for (size_t i = 0; i < m->n; i++) {
		const struct vma *v = &m->v[i];
		if (v->kind == VMA_VSYSCALL) {
			/* above user space on x86_64: drawn with the kernel half */
			continue;
		}
		const char *base = strrchr(v->name, '/');
		base = base ? base + 1 : v->name;
		char label[96];
		if (v->kind == VMA_TEXT || v->kind == VMA_DATA || v->kind == VMA_RODATA ||
		    v->kind == VMA_BSS || v->kind == VMA_FILE)
			snprintf(label, sizeof(label), "%s %s", vma_kind_name(v->kind),
				 v->kind == VMA_BSS ? (i ? strrchr(m->v[i - 1].name, '/')
							       ? strrchr(m->v[i - 1].name, '/') + 1
							       : m->v[i - 1].name
							 : "")
						    : base);
		else
			snprintf(label, sizeof(label), "%s%s%s", vma_kind_name(v->kind),
				 base[0] && v->kind != VMA_HEAP && v->kind != VMA_STACK ? " " : "",
				 v->kind != VMA_HEAP && v->kind != VMA_STACK ? base : "");
		if (n && b[n - 1].end + 1 == v->start && !strcmp(labels[n - 1], label)) {
			b[n - 1].end = v->end - 1;
			continue;
		}
		snprintf(labels[n], sizeof(labels[n]), "%s", label);
		b[n] = (struct diagram_box){v->start, v->end - 1, labels[n], NULL, 0};
		n++;
		top = v->end;
	}
	/* the kernel half: x86_64 canonical upper half, never readable from user space */
	uint64_t kstart = top > UINT64_C(0xffffffff) ? UINT64_C(0xffff800000000000) : 0xc0000000;
	if (top <= kstart) {
		snprintf(labels[n], sizeof(labels[n]), "kernel space: not readable from user space");
		b[n] = (struct diagram_box){kstart, UINT64_MAX, labels[n], NULL, 0};
		n++;
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
	return e;
}

int cmd_maps(struct ctx *ctx, int argc, char **argv)
{
	struct maps_args a = {0};
	int rc = command_parse(&maps_argp, ctx, argc, argv, &a);
	if (rc)
		return rc;
	table_args_apply(ctx, &a.tbl);
	struct maps_table mt;
	int e = maps_table_new(ctx, &mt, &a);
	if (e == -ENOMEM)
		msg_errorf("out of memory");
	if (e) {
		table_free(mt.tb);
		return e == -EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
	}
	struct maps m = {0};
	if (a.diagram) {
		/* the picture needs every mapping at once */
		rc = process_maps(ctx, a.pid, a.rss, &m);
		for (size_t i = 0; !rc && !e && i < m.n; i++)
			e = maps_table_add(&mt, &m.v[i]);
	} else {
		/* rows are made while the kernel still writes smaps, and no mapping is kept */
		rc = process_maps_stream(ctx, a.pid, a.rss, maps_table_add, &mt);
	}
	if (!rc && !e)
		e = out_unbuffer(&ctx->out, stdout); /* all read: the rows need not wait as text too */
	if (!rc && !e)
		e = maps_table_print(ctx, &mt, a.diagram);
	if (!rc && !e && a.diagram)
		e = print_diagram(ctx, &m);
	maps_free(&m);
	table_free(mt.tb);
	if (rc)
		return rc;
	if (e) {
		msg_errorf("cannot print: %s", strerror(-e));
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}
