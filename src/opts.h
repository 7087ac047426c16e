/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A command's options as one table (git's parse-options, bpftool's tables of the same kind):
 * each row is an option's spelling, its help and what it does with its argument, written into
 * the command's args struct at offsetof(); the constraints between options are rows too. The
 * dispatcher builds the argp from it (opts_argp()), so the help, the parsing and the messages
 * are the same for every command. command.h's "Adding a command" has an example.
 *
 * A table is written in place, .opt = OPTIONS(OPT_BOOL(...), ...), its rules .rules = RULES(...);
 * a long option without a letter has key 0 (one is made for argp), and rules name options by
 * their long names. Messages, one wording each (usage errors: argp's "memscope CMD: ..." and exit 2):
 *	invalid --NAME 'ARG' (HINT)           OPT_NUM out of range, OPT_CHOICE not a word of
 *	                                      its list, OPT_CALL returning -EINVAL
 *	invalid --watch interval 'ARG' (...)  OPT_WATCH
 *	--A, --B and --C exclude each other   OPT_EXCLUDE, when more than one is given
 *	--A goes with --B                     OPT_NEEDS, A given without B
 *	WHY: -o, -r and -n do not apply       OPT_REFUSES, A given with any of the others
 * An option is named by its long name; in OPT_REFUSES' list, by its letter where it has one.
 */
#ifndef MEMSCOPE_OPTS_H
#define MEMSCOPE_OPTS_H

#include <argp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum opt_kind {
	OPTK_END,
	OPTK_BOOL,    /* a bool at @off set */
	OPTK_STR,     /* the argument (const char *) stored at @off */
	OPTK_NUM,     /* a whole number (decimal or 0x hex) from @min to @max, into an integer
		       * of @size bytes at @off */
	OPTK_CHOICE,  /* one of @choices, its index + @min into an int (or enum) at @off */
	OPTK_WATCH,   /* --watch[=SECONDS]: a bool at @off, the interval in ms (long) at @off2,
		       * @min ms unless given */
	OPTK_CALL,    /* @parse(args, arg, state): 0, or -EINVAL: "invalid --NAME 'ARG' (HINT)" */
	OPTK_SORT,    /* a column of @cols (@ncols of them; not the one at index @max, which
		       * cannot sort, when below @ncols), its name stored (const char *) at @off:
		       * else "invalid --NAME key 'ARG' (a column name, such as HINT)" */
	OPTK_INCLUDE, /* the options of @include (their args struct at @off), listed under @doc
		       * (a header, or NULL: among this table's own) in help group @group */
};

struct opts;
struct col_def;

struct opt {
	enum opt_kind kind;
	/* as in struct argp_option; @key 0: a long option only (opts.c gives it a key) */
	const char *name;
	int key;
	const char *arg;
	int flags;
	const char *doc;
	int group;
	size_t off, size, off2;
	uint64_t min, max;
	const char *hint; /* what a valid argument is, for the message */
	const char *const *choices;
	int (*parse)(void *args, const char *arg, struct argp_state *state);
	const struct opts *include;
	const struct col_def *cols; /* OPTK_SORT's columns */
	size_t ncols;
};

#define OPT_FIELD_(type, field) .off = offsetof(type, field), .size = sizeof(((type *)0)->field)

/* --NAME (and -KEY when KEY is a letter; 0: no short option) sets a bool */
#define OPT_BOOL(name_, key_, type, field, doc_)                                                  \
	{.kind = OPTK_BOOL, .name = name_, .key = key_, .doc = doc_, OPT_FIELD_(type, field)}
/* --NAME=ARG stores the argument */
#define OPT_STR(name_, key_, arg_, type, field, doc_)                                             \
	{.kind = OPTK_STR, .name = name_, .key = key_, .arg = arg_, .doc = doc_,                  \
	 OPT_FIELD_(type, field)}
/* --NAME=N, a whole number from min_ to max_ ("invalid --NAME 'ARG' (hint_)") */
#define OPT_NUM(name_, key_, arg_, type, field, min_, max_, hint_, doc_)                          \
	{.kind = OPTK_NUM, .name = name_, .key = key_, .arg = arg_, .doc = doc_,                  \
	 OPT_FIELD_(type, field), .min = min_, .max = max_, .hint = hint_}
/* --NAME=WORD, one of the NULL-terminated words, stored as first_ + its index */
#define OPT_CHOICE(name_, key_, arg_, type, field, first_, hint_, doc_, ...)                      \
	{.kind = OPTK_CHOICE, .name = name_, .key = key_, .arg = arg_, .doc = doc_,               \
	 OPT_FIELD_(type, field), .min = first_, .hint = hint_,                                   \
	 .choices = (const char *const[]){__VA_ARGS__, NULL}}
/* --watch[=SECONDS] (a bool and a long of milliseconds, default_ms unless given) */
#define OPT_WATCH(type, watch, interval_ms, default_ms, doc_)                                     \
	{.kind = OPTK_WATCH, .name = "watch", .arg = "SECONDS",                                   \
	 .flags = OPTION_ARG_OPTIONAL, .doc = doc_, OPT_FIELD_(type, watch),                       \
	 .off2 = offsetof(type, interval_ms), .min = default_ms}
/* --count=N with --watch: stop after N frames (a long); OPT_NEEDS("count", "watch") */
#define OPT_COUNT(type, field)                                                                    \
	OPT_NUM("count", 0, "N", type, field, 1, 100000000, "a number of frames, at least 1",     \
		"With --watch, stop after N frames")
/* A ranked list's pair: -s/--sort KEY handed to sort_fn (which checks it is a column) and
 * -n/--top N into the long top_field */
/* --sort KEY, a column of the table @cols_ (not @nosort, a column that cannot sort: @ncols_
 * when every one can; @example names one in the message), and --top N */
#define OPT_SORT_TOP(type, sort_field, top_field, cols_, ncols_, nosort, example, sort_doc,        \
		     top_doc)                                                                      \
	{.kind = OPTK_SORT, .name = "sort", .key = 's', .arg = "KEY", .doc = sort_doc,             \
	 OPT_FIELD_(type, sort_field), .cols = cols_, .ncols = ncols_, .max = nosort,              \
	 .hint = example},                                                                         \
	OPT_NUM("top", 'n', "N", type, top_field, 1, 100000000, "a number of rows, at least 1",   \
		top_doc)
/* --NAME[=ARG] handed to fn(args, arg, state) */
#define OPT_CALL(name_, key_, arg_, fn, hint_, doc_)                                              \
	{.kind = OPTK_CALL, .name = name_, .key = key_, .arg = arg_, .doc = doc_, .parse = fn,     \
	 .hint = hint_}
/* Another table's options (table_opts: -o, -r, -n; layout_opts), its args struct a field */
#define OPT_INCLUDE(opts_, type, field, header, group_)                                           \
	{.kind = OPTK_INCLUDE, .include = &opts_, .off = offsetof(type, field), .doc = header,     \
	 .group = group_}
#define OPT_END {.kind = OPTK_END}

enum opt_rule_kind { RULE_END, RULE_EXCLUDE, RULE_NEEDS, RULE_REFUSES };

/* A constraint, checked once every option is parsed, in the order of the rules, between
 * options named by their long names (in the command's table or one it includes). */
struct opt_rule {
	enum opt_rule_kind kind;
	const char *why;
	const char *names[8]; /* NULL ends them */
};

/* at most one of these: OPT_EXCLUDE("find", "diagram") */
#define OPT_EXCLUDE(...) {RULE_EXCLUDE, NULL, {__VA_ARGS__, NULL}}
/* @a only with @b */
#define OPT_NEEDS(a, b) {RULE_NEEDS, NULL, {a, b, NULL}}
/* @a with none of the others: "WHY: -o, -r and -n do not apply" */
#define OPT_REFUSES(a, why_, ...) {RULE_REFUSES, why_, {a, __VA_ARGS__, NULL}}
#define OPT_RULES_END {RULE_END, NULL, {NULL}}

/* A table of rows (OPT_END added) and one of rules (OPT_RULES_END added), in place */
#define OPTIONS(...) ((const struct opt[]){__VA_ARGS__, OPT_END})
#define RULES(...) ((const struct opt_rule[]){__VA_ARGS__, OPT_RULES_END})

/* A command's options and arguments. */
struct opts {
	const struct opt *opt;	     /* ends with OPT_END */
	const struct opt_rule *rules; /* NULL, or ends with OPT_RULES_END */
	const char *doc;	     /* argp's: the text before the options, \v, the text after */
	const char *args_doc;	     /* "PID...", or NULL: no arguments */
	/* the arguments as one list (char ** at @list, int at @nlist): each checked by
	 * @list_check (0: good; else "invalid WHAT 'ARG' (HINT)"), none given: @list_none (a
	 * usage error; NULL: the command runs without them) */
	bool list;
	size_t list_off, nlist_off;
	const char *list_none, *list_what, *list_hint;
	int (*list_check)(const char *arg);
	/* else the arguments one at a time (ARGP_KEY_ARG), when a command takes them otherwise */
	error_t (*arg)(void *args, char *arg, struct argp_state *state);
	/* what the rules cannot say, checked before them (argp_error() for a usage error) */
	void (*check)(void *args, struct argp_state *state);
	/* a PID argument may be "self" (memscope's own process): completion offers it */
	bool pid_self;
};

/* The arguments as one list into @argv_field (char **) and @n_field (int); none given:
 * "@none" (NULL: none may be given); each checked by @check (a function of the argument: 0,
 * else "invalid WHAT 'ARG' (HINT)"), or by nothing (NULL, NULL, NULL). */
#define OPTS_LIST(type, argv_field, n_field, none, check, what, hint)                           \
	.list = true, .list_off = offsetof(type, argv_field),                                     \
	.nlist_off = offsetof(type, n_field), .list_none = none, .list_check = check,             \
	.list_what = what, .list_hint = hint

/* util-linux's table options, for commands that print one table: -o/--output, -r/--raw,
 * -n/--noheadings into a struct table_args (command.h). */
extern const struct opts table_opts;
/* The same for a ranked flat table whose -n is --top (procs, slab): --noheadings has no
 * letter, and no tree art to speak of. */
extern const struct opts table_opts_top;

/* The argp for @o parsing into @args, and in *@input what its parent hands it (child_inputs).
 * The one built before is freed; NULL when out of memory. */
const struct argp *opts_argp(const struct opts *o, void *args, void **input);

#endif
