/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one table of commands, and the shared parsing of global options. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "out/units.h"
#include "sys/term.h"
#include "sys/msg.h"

const struct command commands[] = {
	{"iomem", cmd_iomem, "physical address map from /proc/iomem"},
	{"meminfo", cmd_meminfo, "memory usage from /proc/meminfo, as free(1) counts it"},
	{"buddy", cmd_buddy, "buddy allocator free lists and fragmentation, live with --watch"},
	{"zones", cmd_zones, "memory zones per node: page ranges, watermarks, free pages"},
	{"maps", cmd_maps, "a process's mappings: kinds, sizes, resident memory, the layout drawn"},
	{"translate", cmd_translate, "virtual address of a process to physical frame, page by page"},
	{"layout", cmd_layout, "virtual memory map of x86_64, arm64 or i386 as the kernel documents it"},
	{"decode", cmd_decode, "a virtual address: canonical, half, region, page-table indices"},
	{"phys", cmd_phys, "what lives at a physical address: region, zone, node, page flags"},
	{NULL, NULL, NULL},
};

const struct command *command_find(const char *name)
{
	/* exact names only: no prefix matching, so adding a command never changes what an old
	 * abbreviation meant */
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

enum { OPT_SYSROOT = 0x100, OPT_COLOR };

static const struct argp_option global_options[] = {
	{"help", 'h', NULL, 0, "Give this help list", -1},
	{"json", 'J', NULL, 0, "Print JSON (one object) instead of text", -1},
	{"bytes", 'b', NULL, 0, "Print sizes in bytes instead of a human-readable form", -1},
	{"sysroot", OPT_SYSROOT, "DIR", 0, "Read every /proc file from DIR/proc (a captured dump)",
	 -1},
	{"color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	 "Colorize output: auto (default), always or never; NO_COLOR turns auto off", -1},
	{NULL, 0, NULL, 0, NULL, 0},
};

static struct ctx *bound;
static FILE *help_out;

void global_options_bind(struct ctx *ctx)
{
	bound = ctx;
}

void global_help_to(FILE *f)
{
	help_out = f;
}

static error_t global_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		/* every argp lists these options, so this runs first in each: from here on argp's
		 * help, usage and version text (--help, -?, --usage, --version) go to main's
		 * checked stream; its error messages stay on stderr */
		if (help_out)
			state->out_stream = help_out;
		return 0;
	case 'h':
		argp_state_help(state, state->out_stream, ARGP_HELP_STD_HELP);
		return 0;
	case 'J':
		bound->json = true;
		return 0;
	case 'b':
		bound->bytes = true;
		return 0;
	case OPT_SYSROOT:
		bound->sysroot_dir = arg;
		return 0;
	case OPT_COLOR:
		if (!arg || strcmp(arg, "always") == 0)
			bound->color = COLOR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			bound->color = COLOR_NEVER;
		else if (strcmp(arg, "auto") == 0)
			bound->color = COLOR_AUTO;
		else
			argp_error(state, "invalid --color value '%s' (auto, always or never)", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp global_child_argp = {global_options, global_parse, NULL, NULL, NULL, NULL, NULL};

const struct argp_child command_children[] = {
	{&global_child_argp, 0, "Global options:", 1},
	{NULL, 0, NULL, 0},
};

int command_parse(const struct argp *argp, struct ctx *ctx, int argc, char **argv, void *input)
{
	/* argp names the program in usage lines from argv[0]: make it "memscope iomem" */
	char name[128];
	snprintf(name, sizeof(name), "memscope %s", argv[0]);
	char *saved = argv[0];
	argv[0] = name;
	global_options_bind(ctx);
	argp_parse(argp, argc, argv, 0, NULL, input); /* usage errors exit 2 inside */
	argv[0] = saved;

	bool color = false;
	if (ctx->color == COLOR_ALWAYS) {
		color = true;
	} else if (ctx->color == COLOR_AUTO) {
		/* https://no-color.org: a NO_COLOR that is set and not empty turns auto off */
		const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
		color = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
	}
	struct ms_error err = {0};
	if (sysroot_open(&ctx->root, ctx->sysroot_dir, &err) != 0) {
		msg_error(&err);
		return EXIT_RUNTIME;
	}
	if (out_init(&ctx->out, ctx->json, ctx->bytes, color) != 0) {
		msg_errorf("out of memory");
		return EXIT_RUNTIME;
	}
	ctx->out.term_width = isatty(STDOUT_FILENO) ? term_columns() : 0;
	return 0;
}

uint64_t ctx_page_size(const struct ctx *ctx, uint64_t override)
{
	(void)ctx;
	if (override)
		return override;
	long ps = sysconf(_SC_PAGESIZE);
	return ps > 0 ? (uint64_t)ps : 4096;
}

int page_size_parse(const char *arg, uint64_t *v)
{
	if (units_parse_size(arg, v) || *v < 1024 || *v > (1 << 20) || (*v & (*v - 1)))
		return -EINVAL;
	return 0;
}

static const struct argp_option table_options[] = {
	{"output", 'o', "LIST", 0, "Columns to print (see below); +LIST adds to the default", 0},
	{"raw", 'r', NULL, 0, "Raw output: no alignment, no tree art", 0},
	{"noheadings", 'n', NULL, 0, "Do not print the heading line", 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

static error_t table_parse(int key, char *arg, struct argp_state *state)
{
	struct table_args *t = state->input;
	switch (key) {
	case 'o':
		t->columns = arg;
		return 0;
	case 'r':
		t->raw = true;
		return 0;
	case 'n':
		t->noheadings = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp table_opt_argp = {table_options, table_parse, NULL, NULL, NULL, NULL, NULL};

void table_args_apply(struct ctx *ctx, const struct table_args *t)
{
	ctx->out.raw = t->raw;
	ctx->out.noheadings = t->noheadings;
}

void args_rest(struct argp_state *state, char ***argv, int *n)
{
	*argv = &state->argv[state->next - 1];
	*n = state->argc - state->next + 1;
	state->next = state->argc;
}

int addr_arg(const char *s, const char *what, uint64_t *v)
{
	if (units_parse_u64(s, v) == 0)
		return 0;
	msg_errorf("invalid %s '%s' (hex with 0x, or decimal)", what, s);
	return EXIT_USAGE;
}
