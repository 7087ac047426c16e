/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memscope: global options, then one command from the table in commands.c. */
#include <argp.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "complete.h"
#include "sys/caps.h"
#include "sys/msg.h"

const char *argp_program_version = "memscope " MEMSCOPE_VERSION;

enum { OPT_LIST_COMMANDS = 0x400 };

/* Hidden: the command table, "NAME<TAB>SUMMARY" a line, for tests/cli/docs.bats, which checks
 * memscope(1) against it. (--complete, the other hidden one, is taken before argp: complete.h) */
static const struct argp_option main_options[] = {
	{"list-commands", OPT_LIST_COMMANDS, NULL, OPTION_HIDDEN, NULL, 0},
	{NULL, 0, NULL, 0, NULL, 0},
};

static FILE *help_fp;

struct main_args {
	struct ctx *ctx;
	int cmd_index; /* argv index of the command, 0 if none */
};

static error_t main_parse(int key, char *arg, struct argp_state *state)
{
	struct main_args *a = state->input;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = a->ctx;
		return 0;
	case OPT_LIST_COMMANDS:
		for (const struct command *const *c = commands; *c; c++)
			fprintf(help_fp ? help_fp : stdout, "%s\t%s\n", (*c)->name, (*c)->summary);
		exit(EXIT_OK); /* main's exit handler writes it out and checks it */
	case ARGP_KEY_ARG:
		/* the first word that is not an option is the command: the rest is its own */
		a->cmd_index = state->next - 1;
		state->next = state->argc;
		return 0;
	case ARGP_KEY_END:
		if (!a->cmd_index)
			argp_error(state, "no command given");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static char *main_help(int key, const char *text, void *input)
{
	if (key == ARGP_KEY_HELP_PRE_DOC && text) {
		char *w = help_wrap(text);
		return w ? w : (char *)text;
	}
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return (char *)text;
	fputs("Commands:\n", f);
	for (const struct command *const *c = commands; *c; c++)
		fprintf(f, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fputs("\nRun 'memscope COMMAND --help' for the options of a command.\n"
	      "Global options may also follow the command.\n\n"
	      "Exit status: 0 success, 1 runtime or input error, 2 usage error.\n",
	      f);
	if (fclose(f) != 0) {
		free(out);
		return (char *)text;
	}
	char *w = help_wrap(out);
	free(out);
	return w ? w : (char *)text;
}

static const struct argp_child main_children[] = {
	{&global_child_argp, 0, NULL, 0},
	{NULL, 0, NULL, 0},
};

static const struct argp main_argp = {
	main_options, main_parse, "COMMAND [ARG...]",
	"Show how memory is laid out and used: the physical address map, free memory, and more.\v",
	main_children, main_help, NULL};

/* Help, usage and version text: argp prints it and calls exit(0) itself, so it is written to
 * this memory stream (global_help_to()) and sent to stdout by an exit handler that checks it
 * as main() checks a command's output: `memscope --help >/dev/full` is a write error too. */
static char *help_text;
static size_t help_len;

static void help_flush(void)
{
	if (!help_fp)
		return;
	fclose(help_fp); /* sets help_text and help_len */
	help_fp = NULL;
	int e = 0;
	if (help_len && fwrite(help_text, 1, help_len, stdout) != help_len)
		e = errno;
	if (help_len && !e && fflush(stdout) != 0)
		e = errno;
	if (help_len && !e && ferror(stdout))
		e = EIO;
	free(help_text);
	help_text = NULL;
	if (help_len && e) {
		msg_errorf("write error: %s", strerror(e));
		_exit(EXIT_RUNTIME); /* in an exit handler: exit() again would be undefined */
	}
}

int main(int argc, char **argv)
{
	/* character classes follow the user's locale (for wide names in tables); numbers never
	 * do, so output is the same in every locale */
	setlocale(LC_CTYPE, "");
	/* installed with file capabilities: run with the real user's rights until an open needs
	 * more (sys/caps.c) */
	caps_init();
	argp_err_exit_status = EXIT_USAGE;

	/* the shells' completion scripts: the words after it are a command line, not options */
	if (argc > 1 && !strcmp(argv[1], "--complete")) {
		complete_main(argc - 2, argv + 2, stdout);
		if (fflush(stdout) != 0 || ferror(stdout))
			return EXIT_RUNTIME;
		return EXIT_OK;
	}

	struct ctx ctx = {.root = {.fd = -1}};
	struct main_args a = {&ctx, 0};
	/* messages say "memscope:", however the binary was called */
	argv[0] = (char *)"memscope";
	help_fp = open_memstream(&help_text, &help_len);
	if (help_fp) {
		global_help_to(help_fp);
		atexit(help_flush);
	}
	argp_parse(&main_argp, argc, argv, ARGP_IN_ORDER | ARGP_NO_HELP, NULL, &a);

	const char *name = argv[a.cmd_index];
	const struct command *cmd = command_find(name);
	if (!cmd) {
		msg_errorf("unknown command '%s'", name);
		fprintf(stderr, "Try 'memscope --help' for the list of commands.\n");
		return EXIT_USAGE;
	}
	int rc = command_dispatch(cmd, &ctx, argc - a.cmd_index, argv + a.cmd_index);
	/* a failed close of stdout (a full disk, say) is a failed command too */
	if (fclose(stdout) != 0 && rc == EXIT_OK) {
		msg_errorf("write error: %s", strerror(errno));
		rc = EXIT_RUNTIME;
	}
	return rc;
}
