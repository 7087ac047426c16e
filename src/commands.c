/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one table of commands, and the shared parsing of global options. */
#include <argp.h>
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "command.h"
#include "out/table.h"
#include "lib/escape.h"
#include "lib/units.h"
#include "sys/term.h"
#include "sys/msg.h"
#include "sys/outfile.h"

/* The order of `memscope --help` */
const struct command *const commands[] = {
	&cmd_iomem, &cmd_meminfo, &cmd_buddy,  &cmd_zones, &cmd_maps,
	&cmd_translate, &cmd_layout, &cmd_decode, &cmd_phys, &cmd_procs, &cmd_faults,
	&cmd_slab, &cmd_vmalloc, &cmd_blocks, &cmd_kmem, &cmd_numa, &cmd_hugepages,
	&cmd_export, &cmd_capture, &cmd_diff, NULL,
};

const struct command *command_find(const char *name)
{
	/* exact names only: no prefix matching, so adding a command never changes what an old
	 * abbreviation meant */
	for (const struct command *const *c = commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

enum { OPT_SYSROOT = 0x100, OPT_COLOR, OPT_USAGE, OPT_ARCH, OPT_PAGE_SIZE };

/* argp parses with ARGP_NO_HELP and these stand in for its own --help, --usage and --version,
 * so --help is listed once, as -h; -? stays argp's habit, accepted and not listed. */
static const struct argp_option global_options[] = {
	{"help", 'h', NULL, 0, "Give this help list", -1},
	{NULL, '?', NULL, OPTION_ALIAS | OPTION_HIDDEN, NULL, -1},
	{"usage", OPT_USAGE, NULL, 0, "Give a short usage message", -1},
	{"version", 'V', NULL, 0, "Print program version", -1},
	{"json", 'J', NULL, 0, "Print JSON (one object) instead of text", -1},
	{"bytes", 'b', NULL, 0, "Print sizes in bytes instead of a human-readable form", -1},
	{"sysroot", OPT_SYSROOT, "PATH", 0,
	 "Read every /proc and /sys file from PATH/proc and PATH/sys: a captured dump, a "
	 "directory or a capture archive (memscope capture -o FILE.tar.zst, read in place)",
	 -1},
	{"color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	 "Colorize output: auto (default), always or never; NO_COLOR turns auto off", -1},
	{"arch", OPT_ARCH, "ARCH", 0,
	 "Architecture of the machine described: x86_64, arm64, i386 or arm (default: what the "
	 "dump says, or this system's)",
	 -1},
	{"page-size", OPT_PAGE_SIZE, "SIZE", 0,
	 "Page size of the machine described, such as 4K, 16K or 64K (a power of two from 1K to "
	 "1M; default: what the dump says, or this system's)",
	 -1},
	{NULL, 0, NULL, 0, NULL, 0},
};

/* What --color, --arch and --page-size take, as their messages say it and completion offers
 * it (complete.c reads the words of such a list) */
static const struct {
	const char *name, *hint;
} global_hints[] = {
	{"color", "auto, always or never"},
	{"arch", "x86_64, arm64, i386 or arm"},
	{"page-size", "a power of two from 1K to 1M, such as 4K, 16K or 64K"},
};
enum { HINT_COLOR, HINT_ARCH, HINT_PAGE_SIZE };

const char *global_hint(const char *name)
{
	for (size_t i = 0; i < sizeof(global_hints) / sizeof(global_hints[0]); i++)
		if (!strcmp(name, global_hints[i].name))
			return global_hints[i].hint;
	return NULL;
}

static FILE *help_out;

void global_help_to(FILE *f)
{
	help_out = f;
}

static error_t global_parse(int key, char *arg, struct argp_state *state)
{
	struct ctx *bound = state->input; /* main's and the dispatcher's child_inputs */
	switch (key) {
	case ARGP_KEY_INIT:
		/* every argp lists these options, so this runs first in each: from here on argp's
		 * help, usage and version text (--help, -?, --usage, --version) go to main's
		 * checked stream; its error messages stay on stderr */
		if (help_out)
			state->out_stream = help_out;
		return 0;
	case 'h':
	case '?':
		argp_state_help(state, state->out_stream, ARGP_HELP_STD_HELP);
		return 0;
	case OPT_USAGE:
		argp_state_help(state, state->out_stream, ARGP_HELP_USAGE | ARGP_HELP_EXIT_OK);
		return 0;
	case 'V':
		fprintf(state->out_stream, "%s\n", argp_program_version);
		exit(EXIT_OK); /* main's exit handler writes it out and checks it */
	case 'J':
		bound->json = true;
		return 0;
	case 'b':
		bound->bytes = true;
		return 0;
	case OPT_SYSROOT:
		bound->sysroot_dir = arg;
		return 0;
	case OPT_ARCH:
		/* memscope's names, and the kernel's own (aarch64, i686, armv7l, amd64) */
		bound->arch_opt = machine_arch_name(arg, strlen(arg));
		if (!bound->arch_opt)
			argp_error(state, "invalid --arch '%s' (%s)", arg, global_hints[HINT_ARCH].hint);
		return 0;
	case OPT_PAGE_SIZE:
		if (page_size_parse(arg, &bound->page_size_opt))
			argp_error(state, "invalid --page-size '%s' (%s)", arg,
				   global_hints[HINT_PAGE_SIZE].hint);
		return 0;
	case OPT_COLOR:
		if (!arg || strcmp(arg, "always") == 0)
			bound->color = COLOR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			bound->color = COLOR_NEVER;
		else if (strcmp(arg, "auto") == 0)
			bound->color = COLOR_AUTO;
		else
			argp_error(state, "invalid --color value '%s' (%s)", arg,
				   global_hints[HINT_COLOR].hint);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp global_child_argp = {global_options, global_parse, NULL, NULL, NULL, NULL, NULL};

/* ---- help text ----
 * argp wraps documentation at its right margin without a hanging indent, so a list ("  maps
 * a process's mappings ...") ran on at column 0, and a line that filled the margin exactly lost
 * its newline (glibc's argp-fmtstream.c then thinks it is at the start of a line). Lines are
 * wrapped here first, a little inside argp's margin, so argp passes them through as they are. */

/* argp's right margin: 79, or rmargin= in ARGP_HELP_FMT, as argp-help.c reads it */
static size_t help_rmargin(void)
{
	const char *fmt = getenv("ARGP_HELP_FMT");
	const char *r = fmt ? strstr(fmt, "rmargin=") : NULL;
	if (r && (r == fmt || r[-1] == ',' || r[-1] == ' ')) {
		long n = strtol(r + 8, NULL, 10);
		if (n > 20 && n < 10000)
			return (size_t)n;
	}
	return 79;
}

char *help_wrap(const char *text)
{
	size_t width = help_rmargin() - 1; /* a line must stay short of the margin */
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	for (const char *line = text; *line;) {
		const char *eol = strchr(line, '\n');
		size_t n = eol ? (size_t)(eol - line) : strlen(line);
		/* a list item ("  NAME   text") hangs its text under the text, a paragraph at 0 */
		size_t lead = strspn(line, " "), hang = lead;
		if (lead && lead < n) {
			size_t name = hang + strcspn(line + hang, " ");
			size_t gap = name < n ? strspn(line + name, " ") : 0;
			if (name + gap < n && name + gap < width / 2)
				hang = name + gap;
		}
		fprintf(f, "%.*s", (int)hang, line);
		size_t col = hang;
		bool first = true;
		for (size_t i = hang; i < n;) {
			size_t w = strcspn(line + i, " \n");
			if (w > n - i)
				w = n - i;
			if (!first && col + 1 + w > width) {
				fprintf(f, "\n%*s", (int)hang, "");
				col = hang;
				first = true;
			}
			if (!first) {
				fputc(' ', f);
				col++;
			}
			fprintf(f, "%.*s", (int)w, line + i);
			col += w;
			first = false;
			i += w;
			i += strspn(line + i, " ");
			if (i > n)
				i = n;
		}
		if (eol)
			fputc('\n', f);
		line += eol ? n + 1 : n;
	}
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* What the dispatcher's argp hands on: the command's arguments to the command's argp, the
 * context to the global options; its own help filter finds the command's through it. */
struct dispatch {
	const struct command *cmd;
	struct ctx *ctx;
	void *args;
	void *input; /* the command's argp's */
};

static error_t dispatch_parse(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	struct dispatch *d = state->input;
	if (key != ARGP_KEY_INIT)
		return ARGP_ERR_UNKNOWN;
	state->child_inputs[0] = d->input;
	state->child_inputs[1] = d->ctx;
	return 0;
}

/* Last of the dispatcher's children: an argument no parser before took (the command's takes
 * its own, if any) */
static error_t no_args_parse(int key, char *arg, struct argp_state *state)
{
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	argp_error(state, "unexpected argument '%s'", arg);
	return 0;
}

static const struct argp no_args_argp = {NULL, no_args_parse, NULL, NULL, NULL, NULL, NULL};

/* The command's own help filter, then the wrapping, for its documentation */
static char *dispatch_help(int key, const char *text, void *input)
{
	const struct dispatch *d = input;
	const struct command *c = d->cmd;
	if (key != ARGP_KEY_HELP_PRE_DOC && key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	char *t = (char *)text;
	if (key == ARGP_KEY_HELP_POST_DOC && c->columns) {
		/* -o's columns, from the command's row */
		char cols[4096], *with = NULL;
		table_columns_help(c->columns->def, c->columns->n, cols, sizeof(cols));
		if (asprintf(&with, "Columns:\n%s%s%s", cols, c->columns->note ? "\n" : "",
			     c->columns->note ? c->columns->note : "") >= 0) {
			if (t != text)
				free(t);
			t = with;
		}
	}
	if (!t)
		return t;
	char *w = help_wrap(t);
	if (t != text)
		free(t);
	return w ? w : (char *)text;
}

/* Parse the command's arguments with its argp (argv[0] is the command name; argp's usage
 * errors exit 2 inside), the global options as a child of it. Returns 0 or -errno. */
static int dispatch_parse_args(const struct command *cmd, struct ctx *ctx, void *args, int argc,
			       char **argv, struct ms_error *err)
{
	/* the command's argp, its documentation moved up to the dispatcher's (which wraps it)
	 * and the global options after its own */
	struct dispatch d = {cmd, ctx, args, args};
	const struct argp *argp = opts_argp(cmd->opts, args, &d.input);
	if (!argp)
		return ms_say(err, -ENOMEM, "out of memory");
	struct argp own = *argp;
	own.doc = NULL;
	own.help_filter = NULL;
	const struct argp_child children[] = {
		{&own, 0, NULL, 0},
		{&global_child_argp, 0, "Global options:", 2},
		{&no_args_argp, 0, NULL, 0},
		{NULL, 0, NULL, 0},
	};
	const struct argp top = {NULL, dispatch_parse, NULL, cmd->opts->doc,
				 children, dispatch_help, NULL};
	/* argp names the program in usage lines from argv[0]: make it "memscope iomem" */
	char name[128];
	snprintf(name, sizeof(name), "memscope %s", argv[0]);
	char *saved = argv[0];
	argv[0] = name;
	argp_parse(&top, argc, argv, ARGP_NO_HELP, NULL, &d);
	argv[0] = saved;
	if (ctx->arch_opt && ctx->page_size_opt)
		return page_size_check(ctx->page_size_opt, ctx->arch_opt, true, err);
	return 0;
}

/* Open what the command's flags ask for. Returns 0 or -errno. */
static int dispatch_setup(const struct command *cmd, struct ctx *ctx, struct ms_error *err)
{
	int e;
	ctx->config_only = cmd->flags & CMD_CONFIG;
	if ((cmd->flags & CMD_SYSROOT) && (e = sysroot_open(&ctx->root, ctx->sysroot_dir, err)))
		return e;
	/* a capture says what machine it came from: before any file is guessed from */
	if ((cmd->flags & CMD_SYSROOT) && ctx->sysroot_dir &&
	    (e = manifest_read(&ctx->root, &ctx->manifest, err)))
		return e;
	if (!(cmd->flags & CMD_OUTPUT))
		return 0;
	bool color = false;
	if (ctx->color == COLOR_ALWAYS) {
		color = true;
	} else if (ctx->color == COLOR_AUTO) {
		/* https://no-color.org: a NO_COLOR that is set and not empty turns auto off */
		const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
		color = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && !strcmp(term, "dumb"));
	}
	if (out_init(&ctx->out, ctx->json, ctx->bytes, color) != 0)
		return ms_say(err, -ENOMEM, "out of memory");
	ctx->out.term_width = isatty(STDOUT_FILENO) ? term_columns() : 0;
	ctx->out.before = ctx_say_notes;
	ctx->out.before_arg = ctx;
	return 0;
}

/* The output, written once the command has succeeded (@rc 0); dropped when it failed. */
static int dispatch_commit(const struct command *cmd, struct ctx *ctx, int rc, struct ms_error *err)
{
	if (!(cmd->flags & CMD_OUTPUT))
		return rc;
	if (rc) {
		out_discard(&ctx->out);
		if (ctx->dest_file)
			outfile_abort(ctx->dest_file);
		free(ctx->dest_file);
		ctx->dest_file = NULL;
		return rc;
	}
	FILE *dest = ctx->dest ? ctx->dest : stdout;
	int e = out_commit(&ctx->out, dest);
	if (e == 0 && fflush(dest) != 0)
		e = -errno;
	if (e == 0 && ferror(dest))
		e = -EIO;
	if (e)
		ctx->exit_status = 0; /* a write error is memscope's own: 1 */
	if (ctx->dest_file) {
		struct outfile *f = ctx->dest_file;
		ctx->dest_file = NULL;
		if (e)
			outfile_abort(f);
		else
			e = outfile_commit(f, err);
		free(f);
		if (e)
			ctx->exit_status = 0;
		if (e)
			return err->reason[0] ? e : ms_say(err, e, "write error: %s", strerror(-e));
		return 0;
	}
	return e ? ms_say(err, e, "write error: %s", strerror(-e)) : 0;
}

int command_dispatch(const struct command *cmd, struct ctx *ctx, int argc, char **argv)
{
	struct ms_error err = {0};
	void *args = calloc(1, cmd->args_size ? cmd->args_size : 1);
	int rc = args ? 0 : ms_say(&err, -ENOMEM, "out of memory");
	if (!rc)
		rc = dispatch_parse_args(cmd, ctx, args, argc, argv, &err);
	if (!rc)
		rc = dispatch_setup(cmd, ctx, &err);
	if (!rc)
		rc = dispatch_commit(cmd, ctx, cmd->run(ctx, args, &err), &err);
	free(args);
	sysroot_close(&ctx->root);
	if (!rc)
		return ctx->exit_status;
	/* the one place a command's error is said */
	if (err.reason[0])
		msg_error(&err);
	else
		msg_errorf("%s", strerror(-rc));
	if (ctx->exit_status)
		return ctx->exit_status;
	return err.usage ? EXIT_USAGE : EXIT_RUNTIME;
}

void ctx_note(struct ctx *ctx, const char *fmt, ...)
{
	size_t len = strlen(ctx->notes);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(ctx->notes + len, sizeof(ctx->notes) - len, fmt, ap);
	va_end(ap);
	/* a line cut short still ends in its newline */
	if (n < 0 || (size_t)n + 1 >= sizeof(ctx->notes) - len)
		ctx->notes[sizeof(ctx->notes) - 2] = '\0';
	strcat(ctx->notes, "\n");
}

void ctx_say_notes(void *arg)
{
	struct ctx *ctx = arg;
	for (char *line = ctx->notes, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		msg_errorf("%.*s", (int)(nl - line), line);
	}
	ctx->notes[0] = '\0';
}

const char *ctx_where(const struct ctx *ctx)
{
	return ctx->root.dir ? "the dump" : "this system";
}

static void machine_resolve(struct ctx *ctx)
{
	struct machine *m = &ctx->machine;
	struct machine_facts *f = &ctx->facts;
	bool dump = ctx->root.dir != NULL;
	enum machine_source src = dump ? MACHINE_DUMP : MACHINE_LIVE;
	machine_init(m);
	if (dump) {
		/* the capture's own record first: the files' evidence that contradicts it is set
		 * aside, as a mixed dump's is */
		const struct manifest *mf = &ctx->manifest;
		if (mf->arch || mf->page_size) {
			char what[96];
			snprintf(what, sizeof(what), "%s: arch %s, page_size %" PRIu64, MANIFEST_PATH,
				 mf->arch ? mf->arch : "unknown", mf->page_size);
			machine_narrow(m, machine_mask_arch(mf->arch) &
					      machine_mask_page_size(mf->page_size),
				       what);
		}
		machine_read_dump(&ctx->root, m);
	} else {
		/* Only the live machine is asked, never for a dump. Its page size is the kernel's
		 * own, handed to every process (AT_PAGESZ): no file need be read for it */
		long ps = sysconf(_SC_PAGESIZE);
		if (ps > 0)
			machine_narrow(m, machine_mask_page_size((uint64_t)ps), "sysconf(_SC_PAGESIZE)");
		machine_read_live(&ctx->root, m);
		/* /proc/sys/kernel/arch is 6.1's: before it, the same string from uname() */
		struct utsname u;
		const char *a = uname(&u) == 0 ? machine_arch_name(u.machine, strlen(u.machine))
					       : NULL;
		if (!machine_arch(m) && a)
			machine_narrow(m, machine_mask_arch(a), "uname -m");
	}
	/* the options, narrowing what the dump leaves open (or overriding it) */
	uint32_t opt = machine_mask_arch(ctx->arch_opt) & machine_mask_page_size(ctx->page_size_opt);
	uint32_t with = m->configs & opt ? m->configs & opt : opt ? opt : m->configs;
	struct machine n = *m;
	n.configs = with;
	const char *said = machine_arch(m);
	uint64_t said_ps = machine_page_size(m);
	/* the page size the dump gives is for its own architecture: with --arch naming another,
	 * it says nothing about that one */
	uint64_t own_ps = m->configs & opt ? machine_page_size(&n) : 0;
	if (ctx->arch_opt) {
		f->arch = ctx->arch_opt;
		f->arch_source = MACHINE_OPTION;
	} else if (said) {
		f->arch = said;
		f->arch_source = src;
	} else if (machine_arch(&n)) {
		f->arch = machine_arch(&n); /* --page-size 64K: arm64 */
		f->arch_source = MACHINE_OPTION;
	} else {
		f->arch = machine_arch_preferred(n.configs);
		f->arch_source = MACHINE_ASSUMED;
	}
	if (ctx->page_size_opt) {
		f->page_size = ctx->page_size_opt;
		f->page_size_source = MACHINE_OPTION;
	} else if (own_ps) {
		f->page_size = own_ps;
		f->page_size_source = src;
	} else {
		/* what the architecture allows: --arch x86_64 means 4K; else the smallest left */
		struct machine k = n;
		k.configs &= machine_mask_arch(f->arch);
		f->page_size = machine_page_size(&k);
		f->page_size_source = f->arch_source; /* the architecture's only page size */
		if (!f->page_size) {
			f->page_size = 4096;
			f->page_size_source = MACHINE_ASSUMED;
		}
	}
	/* levels and VA width, where the configurations left for this arch and page size agree */
	struct machine k = n;
	k.configs &= machine_mask_arch(f->arch) & machine_mask_page_size(f->page_size);
	f->levels = machine_levels(&k);
	f->va_bits = machine_va_bits(&k);
	f->levels_source = f->va_bits_source = src;
	if (ctx->arch_opt && !(m->configs & machine_mask_arch(f->arch)))
		f->levels_source = f->va_bits_source = MACHINE_OPTION;
	/* an option that contradicts the dump wins, but not in silence */
	char why[sizeof(m->arch_why) * 4];
	if (ctx->arch_opt && said && strcmp(said, ctx->arch_opt) && !ctx->config_only) {
		escape_text(m->arch_why, strlen(m->arch_why), why, sizeof(why));
		msg_warnf("--arch %s, but %s says %s (%s)", ctx->arch_opt, ctx_where(ctx),
			   said, why);
	}
	if (ctx->page_size_opt && said_ps && said_ps != ctx->page_size_opt && !ctx->config_only) {
		char a[24], b[24];
		units_human(ctx->page_size_opt, a, sizeof(a));
		units_human(said_ps, b, sizeof(b));
		escape_text(m->page_why, strlen(m->page_why), why, sizeof(why));
		msg_warnf("--page-size %s, but %s says %s pages (%s)", a, ctx_where(ctx), b,
			   why);
	}
	if (m->conflict[0]) {
		escape_text(m->conflict, strlen(m->conflict), why, sizeof(why));
		msg_warnf("%s: files disagree about the machine: '%s' does not fit the "
			   "rest (a dump of several machines?); going by the rest",
			   dump ? ctx->root.dir : "/proc", why);
	}
}

const struct machine_facts *ctx_machine(struct ctx *ctx)
{
	if (!ctx->have_machine) {
		machine_resolve(ctx);
		ctx->have_machine = true;
	}
	return &ctx->facts;
}

/* "an x86_64", "an arm64", "an i386", "an arm": every name memscope knows starts with a vowel
 * sound, but say it from the name */
static const char *article(const char *arch)
{
	return strchr("aeiouAEIOU", arch[0]) || arch[0] == 'x' ? "an" : "a";
}

uint64_t ctx_page_size(struct ctx *ctx)
{
	const struct machine_facts *f = ctx_machine(ctx);
	if (f->page_size_source == MACHINE_ASSUMED && !ctx->said_page_size) {
		char h[24], list[32];
		units_human(f->page_size, h, sizeof(h));
		struct machine k = ctx->machine;
		k.configs &= machine_mask_arch(f->arch);
		machine_page_list(&k, list, sizeof(list));
		const char *said = machine_arch(&ctx->machine);
		if (ctx->arch_opt && said && strcmp(said, ctx->arch_opt))
			/* what this system (or the dump) says of its pages is said of its own
			 * architecture: of another, nothing is known */
			ctx_note(ctx, "assuming %s pages: the page size of %s %s is not known from %s, "
				 "%s %s (use --page-size)",
				 h, article(ctx->arch_opt), ctx->arch_opt, ctx_where(ctx),
				 article(said), said);
		else if (strchr(list, ' ') && !ctx->machine.foreign[0] && k.configs != machine_mask_arch(f->arch))
			ctx_note(ctx, "assuming %s pages: %s does not say whether %s (use --page-size)",
				 h, ctx_where(ctx), list);
		else
			ctx_note(ctx, "assuming %s pages: %s does not say (use --page-size)", h,
				 ctx_where(ctx));
		ctx->said_page_size = true;
	}
	return f->page_size;
}

const char *ctx_arch(struct ctx *ctx)
{
	const struct machine_facts *f = ctx_machine(ctx);
	if (f->arch_source == MACHINE_ASSUMED && !ctx->said_arch) {
		const struct machine *m = &ctx->machine;
		char list[64], why[sizeof(m->foreign) * 4];
		machine_arch_list(m, list, sizeof(list));
		if (m->foreign[0]) {
			escape_text(m->foreign, strlen(m->foreign), why, sizeof(why));
			ctx_note(ctx, "assuming %s: %s shows another architecture than x86_64, arm64, "
				 "i386 or arm (%s) (use --arch)",
				 f->arch, ctx_where(ctx), why);
		} else if (m->configs != MACHINE_ANY && strchr(list, ' ')) {
			ctx_note(ctx, "assuming %s: %s does not say whether %s (use --arch)", f->arch,
				 ctx_where(ctx), list);
		} else {
			ctx_note(ctx, "assuming %s: %s does not say (use --arch)", f->arch,
				 ctx_where(ctx));
		}
		ctx->said_arch = true;
	}
	return f->arch;
}

void ctx_machine_json(struct ctx *ctx, bool arch, bool page_size)
{
	/* asked in text too: the first use of an assumed fact notes it */
	const struct machine_facts *f = ctx_machine(ctx);
	struct out *o = &ctx->out;
	if (arch) {
		out_str(o, SHOW_JSON, "arch", NULL, ctx_arch(ctx));
		out_str(o, SHOW_JSON, "arch_source", NULL, machine_source_name(f->arch_source));
	}
	if (page_size) {
		out_u64(o, SHOW_JSON, "page_size", NULL, ctx_page_size(ctx));
		out_str(o, SHOW_JSON, "page_size_source", NULL,
			machine_source_name(f->page_size_source));
	}
}

const char *ctx_unreadable(const struct ctx *ctx, const char *path, int err, const char *privilege,
			   char *buf, size_t size)
{
	char name[512], esc[2048];
	sysroot_name(&ctx->root, path, name, sizeof(name));
	escape_text(name, strlen(name), esc, sizeof(esc));
	if (ctx->root.dir && err == ENOENT)
		snprintf(buf, size, "'%s': missing from the dump", esc);
	else if (ctx->root.dir)
		snprintf(buf, size, "'%s': %s", esc, strerror(err));
	else if (err == EACCES || err == EPERM)
		snprintf(buf, size, "cannot open %s: %s (it needs %s)", esc, strerror(err), privilege);
	else
		snprintf(buf, size, "cannot open %s: %s", esc, strerror(err));
	return buf;
}

const char *ctx_hidden_reason(const struct ctx *ctx)
{
	return ctx->root.dir ? "hidden in the dump (it was made without CAP_SYS_ADMIN)"
			     : "hidden (reading them needs CAP_SYS_ADMIN)";
}

int page_size_check(uint64_t ps, const char *arch, bool arch_opt, struct ms_error *err)
{
	if (machine_mask_arch(arch) & machine_mask_page_size(ps))
		return 0;
	char h[24];
	units_human(ps, h, sizeof(h));
	return ms_usage(err, "--page-size %s does not go with %s%s: its pages are %s", h,
			arch_opt ? "--arch " : "", arch,
			!strcmp(arch, "arm64") ? "4K, 16K or 64K" : "4K");
}

int page_size_parse(const char *arg, uint64_t *v)
{
	if (units_parse_size(arg, v) || *v < 1024 || *v > (1 << 20) || (*v & (*v - 1)))
		return -EINVAL;
	return 0;
}

void table_args_apply(struct ctx *ctx, const struct table_args *t)
{
	ctx->out.raw = t->raw;
	ctx->out.noheadings = t->noheadings;
}

int table_from_args(struct ctx *ctx, const struct col_def *defs, size_t n, const char *json_key,
		    const struct table_args *t, const char *extra, struct table **tb,
		    struct ms_error *err)
{
	*tb = table_new(defs, n, json_key);
	if (!*tb)
		return ms_say(err, -ENOMEM, "out of memory");
	int e = t->columns ? table_select(*tb, t->columns, err) : 0;
	if (!e && extra && !t->columns)
		e = table_select(*tb, extra, err);
	if (e) {
		err->usage = true; /* a bad -o is a bad command line: exit 2 */
		table_free(*tb);
		*tb = NULL;
		return e;
	}
	table_args_apply(ctx, t);
	return 0;
}

int ctx_output_file(struct ctx *ctx, const char *path, struct ms_error *err)
{
	struct outfile *f = calloc(1, sizeof(*f));
	if (!f)
		return ms_say(err, -ENOMEM, "out of memory");
	int e = outfile_open(f, path, err);
	if (e) {
		free(f);
		return e;
	}
	ctx->dest_file = f;
	ctx->dest = f->fp;
	ctx->out.term_width = 0; /* a file keeps the full width, as a pipe does */
	return 0;
}

int printed(int e, struct ms_error *err)
{
	return e ? ms_say(err, e, "cannot print: %s", strerror(-e)) : 0;
}

void args_rest(struct argp_state *state, char ***argv, int *n)
{
	*argv = &state->argv[state->next - 1];
	*n = state->argc - state->next + 1;
	state->next = state->argc;
}

int addr_arg(const char *s, const char *what, uint64_t *v, struct ms_error *err)
{
	if (units_parse_u64(s, v) == 0)
		return 0;
	return ms_usage(err, "invalid %s '%s' (hex with 0x, or decimal)", what, s);
}

int watch_loop(struct ctx *ctx, const char *name, long interval_ms, long count,
	       int (*frame)(struct ctx *ctx, void *arg, struct ms_error *err), void *arg,
	       struct ms_error *err)
{
	bool interactive = out_frames(&ctx->out);
	term_begin(interactive);
	int rc = 0;
	for (long n = 0;;) {
		char when[32];
		time_t t = time(NULL);
		strftime(when, sizeof(when), "%H:%M:%S", localtime(&t));
		out_printf(&ctx->out, "%smemscope %s: every %ld.%03lds, frame %ld at %s%s\n\n",
			   term_frame_start(), name, interval_ms / 1000, interval_ms % 1000, n + 1,
			   when, isatty(STDOUT_FILENO) ? " (q quits)" : "");
		if ((rc = frame(ctx, arg, err)))
			break;
		if (!interactive) {
			out_printf(&ctx->out, "\n");
		} else {
			size_t len;
			const char *text = out_text(&ctx->out, &len);
			out_truncate(&ctx->out, term_clip(text, len));
		}
		if ((rc = out_frame(&ctx->out, stdout))) {
			ms_say(err, rc, "write error: %s", strerror(-rc)); /* stdout gone */
			break;
		}
		if (++n == count)
			break;
		/* a resize (or coming back from Ctrl-Z) draws the next frame at once, at the new
		 * size */
		if (term_wait(interval_ms) == TERM_QUIT)
			break;
	}
	term_end();
	return rc;
}
