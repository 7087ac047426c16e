/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The command table and the context every command runs in.
 *
 * Adding a command:
 *   1. src/cmd/<name>.c: its args struct, its options as one table (opts.h), a static run()
 *      returning 0 or -errno with the ms_error filled, and its row `const struct command
 *      cmd_<name>` (summary, the set-up it needs in .flags, its -o columns if it prints a
 *      table); nothing else to write for parsing, usage errors, opening, errors or output: the
 *      dispatcher does it. The options:
 *
 *	struct zones_args {
 *		bool diagram;
 *		const char *find;
 *	};
 *	static const struct opts zones_opts = {
 *		.opt = OPTIONS(
 *			// long name, letter (0: none), the args struct and its field, help
 *			OPT_BOOL("diagram", 0, struct zones_args, diagram, "Draw ..."),
 *			OPT_STR("find", 'f', "ADDR", struct zones_args, find, "The node and ...")),
 *		// "--find and --diagram exclude each other"
 *		.rules = RULES(OPT_EXCLUDE("find", "diagram")),
 *		.doc = "What it shows, from where.\vMore after the options.",
 *	};
 *	COMMAND(zones, struct zones_args, .summary = "...", .flags = CMD_SYSROOT | CMD_OUTPUT);
 *
 *      A number with a range is OPT_NUM, a word of a list OPT_CHOICE, --watch[=SECONDS] and
 *      --count OPT_WATCH and OPT_COUNT (with OPT_NEEDS("count", "watch")), anything else
 *      OPT_CALL; -o/-r/-n are OPT_INCLUDE(table_opts, struct zones_args, tbl, NULL, 0) into a
 *      struct table_args field, with `.columns = &zones_columns` (COLUMNS()) in the row;
 *      arguments are OPTS_LIST (one list, each checked) or an .arg callback, and what the
 *      rules cannot say an .check callback (argp_error());
 *   2. &cmd_<name> in src/commands.c's commands[] and its declaration at the end of this file
 *      (and the file in meson.build's core_sources);
 *   3. man/memscope-<name>.1.scd, its entry in man/memscope.1.scd's COMMANDS, and its name
 *      in every other page's "The other commands:" line;
 *   4. its name in completions/memscope.bash's list, and its name and summary in those of
 *      completions/_memscope and memscope.fish; nothing else there: the scripts ask `memscope
 *      --complete` (complete.c), which reads this table, the options, their values and the
 *      -o columns;
 *   5. tests/cli/<name>.bats, golden cases in tests/golden.list, unit tests for its parser.
 * tests/cli/docs.bats fails until 3 and 4 match the table (`memscope --list-commands`,
 * hidden) and each command's --help, and checks that the completion offers every option
 * --help lists.
 */
#ifndef MEMSCOPE_COMMAND_H
#define MEMSCOPE_COMMAND_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "opts.h"
#include "out/out.h"
#include "proc/machine.h"
#include "proc/manifest.h"
#include "proc/sysroot.h"

/* Exit codes (README and memscope(1) document them): the dispatcher's alone. */
enum {
	EXIT_OK = 0,
	EXIT_RUNTIME = 1, /* runtime or input error */
	EXIT_USAGE = 2,   /* bad command line */
};

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct col_def; /* out/table.h */
struct table;   /* out/table.h */

/* A command's table columns as --help lists them: `static const struct columns maps_columns =
 * COLUMNS(maps_cols, "what to know about them");` after the table of col_defs. */
struct columns {
	const struct col_def *def;
	size_t n;
	const char *note; /* or NULL */
};
#define COLUMNS(defs, note_) {defs, sizeof(defs) / sizeof((defs)[0]), note_}

/* The machine a command describes, each fact with where it came from (ctx_machine()). */
struct machine_facts {
	const char *arch; /* "x86_64", "arm64", "i386", "arm" */
	enum machine_source arch_source;
	uint64_t page_size;
	enum machine_source page_size_source;
	unsigned levels;  /* page-table levels (x86_64: 4 or 5; i386: 3 with PAE), 0: not known */
	unsigned va_bits; /* virtual address bits, 0: not known */
	enum machine_source levels_source, va_bits_source; /* of what is known */
};

/* State shared by main and every command: global options and the opened sources. */
struct ctx {
	const char *sysroot_dir; /* --sysroot, or NULL for the live system */
	bool json;
	bool bytes;
	enum color_mode color;
	const char *arch_opt;	/* --arch, in memscope's spelling */
	uint64_t page_size_opt; /* --page-size, 0 when not given */
	struct sysroot root;	/* opened by the dispatcher before the command runs */
	struct manifest manifest; /* a capture's, read with the sysroot (present: it had one) */
	struct out out;		/* set up by the dispatcher; commands write only through it */
	/* layout and decode describe a configuration: an option that differs from the machine
	 * is a choice, not a contradiction to warn about (with --live, a usage error) */
	bool config_only;
	/* read on first use by ctx_machine() */
	bool have_machine, said_arch, said_page_size;
	/* the assumptions made, one line each, said on stderr only when the command succeeds
	 * (just before its output): a failed command says one line, its error */
	char notes[1024];
	struct machine machine; /* what the dump (or this system) says, options aside */
	struct machine_facts facts;
	/* Where the output goes once the command succeeds: stdout, unless the command chose
	 * another before printing (faults' report goes to stderr, the stdout being its
	 * command's); with @dest_file (-o FILE), the file's temporary, renamed over it once
	 * written whole, removed when the command fails. */
	FILE *dest;
	struct outfile *dest_file; /* sys/outfile.h */
	/* The exit status the command passes on as memscope's own, 0: the usual (faults: its
	 * command's, or a shell's 126 and 127 when it could not be run) */
	int exit_status;
};

/* What the dispatcher sets up before a command runs (git's RUN_SETUP) */
enum command_flags {
	CMD_SYSROOT = 1 << 0, /* opens ctx->root: --sysroot DIR, or the live /proc */
	CMD_OUTPUT = 1 << 1,  /* prints: ctx->out set up, written once run() succeeds (frames
			       * written by out_frame(), --watch, are not written again) */
	CMD_CONFIG = 1 << 2,  /* describes a configuration: --arch or --page-size differing from
			       * the machine is a choice, not a contradiction (ctx->config_only) */
};

/* One row of the command table: the dispatcher parses argv with @opts (opts.h) into a zeroed
 * struct of @args_size bytes (the global options are added as a child), sets up what @flags ask
 * for, calls @run and commits the output. */
struct command {
	const char *name;
	const char *summary; /* one line for `memscope --help` */
	const struct opts *opts;
	size_t args_size;
	unsigned flags; /* enum command_flags */
	/* the columns -o takes, listed by --help after the documentation, then their note */
	const struct columns *columns;
	/* Returns 0, or -errno with @err filled: the dispatcher says it and exits 1 (2 when
	 * err->usage: ms_usage()). A command prints no error itself, only warnings. */
	int (*run)(struct ctx *ctx, void *args, struct ms_error *err);
};

/* A command's row in src/cmd/<name>.c: `COMMAND(name, struct name_args, .summary = "...",
 * .flags = CMD_SYSROOT | CMD_OUTPUT);` defines cmd_<name> with its options <name>_opts (a
 * struct opts), the size of its args struct and its static run(); any other field (.columns,
 * ...) follows the flags. */
#define COMMAND(id, args_type, ...)                                                               \
	const struct command cmd_##id = {.name = #id, .opts = &id##_opts,                        \
					 .args_size = sizeof(args_type), .run = run, __VA_ARGS__}

/* Every command, NULL-terminated, in the order `memscope --help` lists them. */
extern const struct command *const commands[];
const struct command *command_find(const char *name);
/* Parse, set up, run @cmd, and write its output; returns the exit code. */
int command_dispatch(const struct command *cmd, struct ctx *ctx, int argc, char **argv);

/* Global options (-J, -b, --sysroot, --color, --arch, --page-size), their input the struct
 * ctx: main's argp and the dispatcher's (after the command, for every command) list them. */
extern const struct argp global_child_argp;
/* What global option @name takes when its values are a fixed list, worded as its message
 * words it ("auto, always or never"); NULL for the others. */
const char *global_hint(const char *name);
/* util-linux's table options, for commands that print one table: -o/--output, -r/--raw,
 * -n/--noheadings. A command includes table_opts (opts.h) into a struct table_args:
 * OPT_INCLUDE(table_opts, struct NAME_args, tbl, NULL, 0); a ranked list whose -n is --top
 * (procs, slab) includes table_opts_top (no -n). */
struct table_args {
	const char *columns;
	bool raw, noheadings;
};
void table_args_apply(struct ctx *ctx, const struct table_args *t);
/* The command's table of @defs (JSON under @json_key) as -o, -r and -n (@t) shape it, with
 * @extra ("+CHANGE,RATE", or NULL) added when -o is not given: 0 with *@tb, or -errno with @err
 * filled (a bad -o is a usage error, exit 2). */
int table_from_args(struct ctx *ctx, const struct col_def *defs, size_t n, const char *json_key,
		    const struct table_args *t, const char *extra, struct table **tb,
		    struct ms_error *err);

/* Parse an address argument (hex with 0x, or decimal). A bad one is a usage error naming @what
 * ("address", "frame number"): -EINVAL with @err filled; else 0. */
int addr_arg(const char *s, const char *what, uint64_t *v, struct ms_error *err);

/* Send the output to @path instead of stdout: a temporary beside it is made now (a path that
 * cannot be written is said before anything runs: -errno with @err naming it), renamed over
 * it once the output is written whole, removed when the command fails. */
int ctx_output_file(struct ctx *ctx, const char *path, struct ms_error *err);

/* What printing came to: 0, or @e (-errno) worded "cannot print: REASON" in @err. */
int printed(int e, struct ms_error *err);

/* In a command's ARGP_KEY_ARG: take this and every following argument as a list. */
void args_rest(struct argp_state *state, char ***argv, int *n);

/* Help, usage and version text go to @f, not stdout (main checks that it was written). */
void global_help_to(FILE *f);
/* @text wrapped for --help at argp's right margin: words never split, list items ("  NAME
 * text") hanging under their text. A new string (NULL when out of memory). */
char *help_wrap(const char *text);

/* The machine the command describes: --arch and --page-size, else what the dump says
 * (proc/machine.c), else, live, this system (its page size from sysconf(), its architecture
 * from /proc/sys/kernel/arch or uname(), levels and VA width from meminfo), else an
 * assumption. Read once. */
const struct machine_facts *ctx_machine(struct ctx *ctx);
/* The page size and the architecture a command works with; an assumption is noted the first
 * time it is used ("memscope: assuming 4K pages: the dump does not say (use --page-size)") and
 * said on stderr once the command succeeds, before its output (struct out's before hook). */
uint64_t ctx_page_size(struct ctx *ctx);
const char *ctx_arch(struct ctx *ctx);
/* Note one line the command assumed ("assuming 4-level paging: ..."), said with the rest; and
 * say the noted lines on stderr and forget them (@arg: the struct ctx). */
void ctx_note(struct ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ctx_say_notes(void *arg);
/* Write "page_size" and "page_size_source" (@page_size), "arch" and "arch_source" (@arch) at
 * the current place of the JSON document: "option", "dump", "live" or "assumed". */
void ctx_machine_json(struct ctx *ctx, bool arch, bool page_size);
/* Where a fact came from, for a message: "the dump" or "this system". */
const char *ctx_where(const struct ctx *ctx);
/* Why @path ("proc/kpageflags") could not be opened (errno @err), worded for where it was
 * looked for: in a dump it is missing from the dump (or unreadable there); on this system the
 * kernel's reason and the privilege that lifts it (@privilege: "root"). Written into @buf. */
const char *ctx_unreadable(const struct ctx *ctx, const char *path, int err, const char *privilege,
			   char *buf, size_t size);
/* How iomem's zeroed addresses are explained: "hidden (reading them needs CAP_SYS_ADMIN)" on
 * this system, "hidden in the dump (it was made without CAP_SYS_ADMIN)" in a dump. */
const char *ctx_hidden_reason(const struct ctx *ctx);
/* Whether page size @ps is one @arch has (@arch_opt: @arch is --arch's): 0, or a usage error
 * (-EINVAL) worded "--page-size 64K does not go with [--arch ]x86_64: its pages are 4K". The
 * one check of --page-size against an architecture, the dispatcher's and layout's. */
int page_size_check(uint64_t ps, const char *arch, bool arch_opt, struct ms_error *err);
/* Parse a --page-size value: a power of two from 1K to 1M ("4K", "16K", "65536"). */
int page_size_parse(const char *arg, uint64_t *v);

/* --watch[=SECONDS] and --count N, as buddy, procs and faults take them: OPT_WATCH(struct
 * NAME_args, watch.on, watch.interval_ms, DEFAULT_MS, "help"), OPT_COUNT(struct NAME_args,
 * watch.count) and OPT_NEEDS("count", "watch") in the command's options (opts.h). */
struct watch_opts {
	bool on;	  /* --watch given */
	long interval_ms; /* its SECONDS */
	long count;	  /* --count: frames, 0: until stopped */
};

/* --watch (buddy, procs, faults): a heading "memscope @name: every N s, frame N at TIME" in text,
 * then @frame, which renders one frame into ctx->out; every
 * @interval_ms until q, Ctrl-C or a signal ends it, or @count frames (0: no limit) were shown.
 * On a terminal each frame is redrawn in place on the alternate screen, cut to its height;
 * elsewhere (or with --json) frames follow each other, a blank line (JSON: a newline) apart.
 * Returns 0 or -errno with @err filled. */
int watch_loop(struct ctx *ctx, const char *name, long interval_ms, long count,
	       int (*frame)(struct ctx *ctx, void *arg, struct ms_error *err), void *arg,
	       struct ms_error *err);

extern const struct command cmd_iomem, cmd_meminfo, cmd_buddy, cmd_zones, cmd_translate, cmd_maps,
	cmd_phys, cmd_layout, cmd_decode, cmd_procs, cmd_faults;
extern const struct command cmd_slab, cmd_vmalloc, cmd_blocks, cmd_kmem, cmd_numa,
	cmd_hugepages, cmd_export, cmd_capture, cmd_diff;

#endif
