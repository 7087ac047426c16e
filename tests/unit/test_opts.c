/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The option tables (opts.h): what each kind of row writes, the messages, the rules. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "command.h"
#include "opts.h"

struct sub_args {
	const char *name;
	bool quiet;
};

static const struct opt sub_opt[] = {
	OPT_STR("name", 'N', "NAME", struct sub_args, name, "A name"),
	OPT_BOOL("quiet", 'q', struct sub_args, quiet, "Say less"),
	OPT_END,
};

static const struct opts sub_opts = {.opt = sub_opt};

enum mode { M_NONE, M_FAST, M_SLOW };

struct t_args {
	bool all, diagram, watch;
	const char *find;
	long depth, interval_ms, count;
	unsigned odd;
	enum mode mode;
	struct sub_args sub;
	char **argv;
	int argc;
};

static int odd_parse(void *args, const char *arg, struct argp_state *state)
{
	struct t_args *a = args;
	(void)state;
	if (strlen(arg) % 2 == 0)
		return -EINVAL;
	a->odd = (unsigned)strlen(arg);
	return 0;
}

/* the arguments' check: anything but "x" */
static int not_x(const char *s)
{
	return strcmp(s, "x") ? 0 : -EINVAL;
}

static const struct opts t_opts = {
	.opt = OPTIONS(
		OPT_BOOL("all", 'a', struct t_args, all, "Everything"),
		OPT_BOOL("diagram", 0, struct t_args, diagram, "Draw it"),
		OPT_STR("find", 'f', "ADDR", struct t_args, find, "Find ADDR"),
		OPT_NUM("depth", 0, "N", struct t_args, depth, 1, 64, "a number from 1 to 64",
			"N levels"),
		OPT_CHOICE("mode", 0, "fast|slow", struct t_args, mode, M_FAST, "fast or slow",
			   "How", "fast", "slow"),
		OPT_CALL("odd", 0, "WORD", odd_parse, "a word of odd length", "An odd word"),
		OPT_WATCH(struct t_args, watch, interval_ms, 1500, "Redraw every SECONDS"),
		OPT_COUNT(struct t_args, count),
		OPT_INCLUDE(sub_opts, struct t_args, sub, "Sub:", 1)),
	.rules = RULES(
		OPT_NEEDS("count", "watch"),
		OPT_EXCLUDE("all", "diagram", "find"),
		OPT_REFUSES("diagram", "--diagram draws no name", "name", "quiet"),
		OPT_REFUSES("all", "--all names everything", "name")),
	.doc = "A test.",
	.args_doc = "WORD...",
	OPTS_LIST(struct t_args, argv, argc, "no word given", not_x, "word", "not x"),
};

/* A parent that catches argp's messages instead of exiting */
struct run {
	char *err;
	size_t len;
	FILE *f;
	void *input;
};

static error_t top_parse(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	struct run *r = state->input;
	if (key != ARGP_KEY_INIT)
		return ARGP_ERR_UNKNOWN;
	state->err_stream = r->f;
	state->out_stream = r->f;
	state->child_inputs[0] = r->input;
	return 0;
}

/* Parse @argv (NULL-terminated, after the program name) into @a; the first line argp said
 * (empty when it said nothing) into @msg. */
static void parse(struct t_args *a, char *msg, size_t size, const char *const *argv)
{
	static char *v[16]; /* the list argument points into it */
	v[0] = (char *)"t";
	int n = 1;
	for (; argv[n - 1]; n++)
		v[n] = (char *)argv[n - 1];
	*a = (struct t_args){0};
	struct run r = {0};
	r.f = open_memstream(&r.err, &r.len);
	assert_non_null(r.f);
	const struct argp *own = opts_argp(&t_opts, a, &r.input);
	assert_non_null(own);
	const struct argp_child children[] = {{own, 0, NULL, 0}, {NULL, 0, NULL, 0}};
	const struct argp top = {NULL, top_parse, NULL, NULL, children, NULL, NULL};
	argp_parse(&top, n, v, ARGP_NO_EXIT | ARGP_NO_HELP, NULL, &r);
	fclose(r.f);
	size_t first = strcspn(r.err, "\n");
	snprintf(msg, size, "%.*s", (int)first, r.err);
	free(r.err);
}

#define PARSE(a, msg, ...) parse(a, msg, sizeof(msg), (const char *const[]){__VA_ARGS__, NULL})

static void test_kinds(void **state)
{
	struct t_args a;
	char msg[256];
	PARSE(&a, msg, "-q", "--depth", "0x10", "--mode", "slow", "--odd", "abc", "-N", "n", "w1",
	      "w2");
	assert_string_equal(msg, "");
	assert_true(a.sub.quiet);
	assert_false(a.all);
	assert_false(a.diagram);
	assert_int_equal(a.depth, 16);
	assert_int_equal(a.mode, M_SLOW);
	assert_int_equal(a.odd, 3);
	assert_string_equal(a.sub.name, "n");
	assert_int_equal(a.argc, 2);
	assert_string_equal(a.argv[1], "w2");
	/* --watch's default interval, and a given one */
	assert_false(a.watch);
	assert_int_equal(a.interval_ms, 1500);
	PARSE(&a, msg, "--watch=0.25", "--count", "3", "-f", "1", "w");
	assert_string_equal(msg, "");
	assert_true(a.watch);
	assert_int_equal(a.interval_ms, 250);
	assert_int_equal(a.count, 3);
	assert_string_equal(a.find, "1");
}

static void test_messages(void **state)
{
	static const struct {
		const char *argv[5];
		const char *msg;
	} bad[] = {
		{{"--depth", "65", "w"}, "t: invalid --depth '65' (a number from 1 to 64)"},
		{{"--depth", "x", "w"}, "t: invalid --depth 'x' (a number from 1 to 64)"},
		{{"--mode", "medium", "w"}, "t: invalid --mode 'medium' (fast or slow)"},
		{{"--odd", "ab", "w"}, "t: invalid --odd 'ab' (a word of odd length)"},
		{{"--watch=soon", "w"},
		 "t: invalid --watch interval 'soon' (seconds, such as 1 or 0.5)"},
		{{"--count", "0", "w"}, "t: invalid --count '0' (a number of frames, at least 1)"},
		{{"--count", "2", "w"}, "t: --count goes with --watch"},
		{{"-a", "-f", "1", "w"}, "t: --all, --diagram and --find exclude each other"},
		{{"--diagram", "-q", "w"}, "t: --diagram draws no name: -N and -q do not apply"},
		{{"-a", "-N", "x", "w"}, "t: --all names everything: -N does not apply"},
		{{"w", "x"}, "t: invalid word 'x' (not x)"},
		{{"-a"}, "t: no word given"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct t_args a;
		char msg[256];
		const char *const *v = bad[i].argv;
		parse(&a, msg, sizeof(msg), v);
		assert_string_equal(msg, bad[i].msg);
	}
}

static void test_help(void **state)
{
	struct t_args a = {0};
	void *input;
	const struct argp *own = opts_argp(&t_opts, &a, &input);
	assert_non_null(own);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	argp_help(own, f, ARGP_HELP_STD_HELP, (char *)"t");
	fclose(f);
	/* the rows as argp options, the included table under its header */
	assert_non_null(strstr(text, "Usage: t [OPTION...] WORD..."));
	assert_non_null(strstr(text, "  -a, --all"));
	assert_non_null(strstr(text, "      --watch[=SECONDS]"));
	assert_non_null(strstr(text, "      --depth=N"));
	assert_non_null(strstr(text, " Sub:\n  -N, --name=NAME"));
	free(text);
}

TEST_MAIN(cmocka_unit_test(test_kinds), cmocka_unit_test(test_messages),
	  cmocka_unit_test(test_help))
