/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The option tables of opts.h made into argp: one parser for every command's options, their
 * messages and the checks between them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "opts.h"
#include "lib/units.h"
#include "out/table.h"

/* One table's argp, and the tables it includes as its children. */
struct opts_node {
	const struct opts *o;
	char *args;
	struct opts_node *root;
	struct argp argp;
	struct argp_option *options;
	int *keys; /* each row's key, given or made: o->opt[i]'s is keys[i] */
	struct argp_child *children;
	struct opts_node *kids;
	size_t nkids;
	/* root only: the options given */
	const struct opt *seen[64];
	size_t nseen;
};

/* The command's tree, kept for the whole run (argp exits from inside on a usage error) */
static struct opts_node *tree;

static size_t count(const struct opt *t, enum opt_kind kind, bool is)
{
	size_t n = 0;
	for (; t->kind != OPTK_END; t++)
		n += (t->kind == kind) == is;
	return n;
}

static error_t node_parse(int key, char *arg, struct argp_state *state);
static const struct opt *find(const struct opts_node *n, const char *name, int *key);

/* The keys made for long options only: past every character, a block of 256 per table */
enum { MADE_KEYS = 0x1000 };

static int node_build(struct opts_node *n, const struct opts *o, char *args,
		      struct opts_node *root, int *made)
{
	*n = (struct opts_node){.o = o, .args = args, .root = root ? root : n};
	size_t nopt = count(o->opt, OPTK_INCLUDE, false), nkid = count(o->opt, OPTK_INCLUDE, true);
	n->options = calloc(nopt + 1, sizeof(*n->options));
	n->keys = calloc(nopt + nkid + 1, sizeof(*n->keys));
	n->children = calloc(nkid + 1, sizeof(*n->children));
	n->kids = calloc(nkid ? nkid : 1, sizeof(*n->kids));
	if (!n->options || !n->keys || !n->children || !n->kids)
		return -ENOMEM;
	int base = *made;
	*made += 0x100;
	size_t i = 0;
	for (const struct opt *t = o->opt; t->kind != OPTK_END; t++) {
		if (t->kind != OPTK_INCLUDE) {
			int k = t->key ? t->key : base + (int)(t - o->opt);
			n->keys[t - o->opt] = k;
			n->options[i++] = (struct argp_option){t->name, k, t->arg, t->flags, t->doc,
							       t->group};
			continue;
		}
		struct opts_node *k = &n->kids[n->nkids];
		if (node_build(k, t->include, args + t->off, n->root, made))
			return -ENOMEM;
		n->children[n->nkids++] = (struct argp_child){&k->argp, 0, t->doc, t->group};
	}
	n->argp = (struct argp){nopt ? n->options : NULL, node_parse, o->args_doc, NULL,
				nkid ? n->children : NULL, NULL, NULL};
	return 0;
}

static void node_free(struct opts_node *n)
{
	for (size_t i = 0; n->kids && i < n->nkids; i++)
		node_free(&n->kids[i]);
	free(n->options);
	free(n->keys);
	free(n->children);
	free(n->kids);
}

const struct argp *opts_argp(const struct opts *o, void *args, void **input)
{
	if (tree) {
		node_free(tree);
		free(tree);
	}
	tree = calloc(1, sizeof(*tree));
	int made = MADE_KEYS;
	if (!tree || node_build(tree, o, args, NULL, &made))
		return NULL; /* the dispatcher says "out of memory" and exits */
	/* a rule naming no option would never apply: a mistake in the table, found by any run */
	for (const struct opt_rule *r = o->rules; r && r->kind != RULE_END; r++)
		for (size_t i = 0; r->names[i]; i++) {
			int key;
			if (!find(tree, r->names[i], &key)) {
				fprintf(stderr, "memscope: bug: a rule names --%s, not an option\n",
					r->names[i]);
				abort();
			}
		}
	*input = tree;
	return &tree->argp;
}

/* An option by its long name, in the tree below @n, and its key */
static const struct opt *find(const struct opts_node *n, const char *name, int *key)
{
	for (const struct opt *t = n->o->opt; t->kind != OPTK_END; t++)
		if (t->kind != OPTK_INCLUDE && !strcmp(t->name, name)) {
			*key = n->keys[t - n->o->opt];
			return t;
		}
	for (size_t i = 0; i < n->nkids; i++) {
		const struct opt *t = find(&n->kids[i], name, key);
		if (t)
			return t;
	}
	return NULL;
}

static bool given(const struct opts_node *root, const char *name)
{
	int key;
	const struct opt *t = find(root, name, &key);
	for (size_t i = 0; i < root->nseen; i++)
		if (root->seen[i] == t)
			return true;
	return false;
}

/* "--find, --diagram and --summary" (@letters: "-o" where the option has a letter) */
static void names(const struct opts_node *root, const char *const *list, bool letters,
		  char *buf, size_t size)
{
	size_t len = 0, n = 0;
	while (list[n])
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		int key = 0;
		find(root, list[i], &key);
		const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
		int w = letters && key > ' ' && key < 127
				? snprintf(buf + len, size - len, "%s-%c", sep, key)
				: snprintf(buf + len, size - len, "%s--%s", sep, list[i]);
		len += w > 0 ? (size_t)w : 0;
	}
}

static void check_rules(struct opts_node *root, struct argp_state *state)
{
	for (const struct opt_rule *r = root->o->rules; r && r->kind != RULE_END; r++) {
		char list[256];
		size_t n = 0, k = 0;
		for (; r->names[k]; k++)
			n += given(root, r->names[k]);
		switch (r->kind) {
		case RULE_EXCLUDE:
			if (n > 1) {
				names(root, r->names, false, list, sizeof(list));
				argp_error(state, "%s exclude each other", list);
			}
			break;
		case RULE_NEEDS:
			if (given(root, r->names[0]) && !given(root, r->names[1]))
				argp_error(state, "--%s goes with --%s", r->names[0], r->names[1]);
			break;
		case RULE_REFUSES:
			if (given(root, r->names[0]) && n > 1) {
				names(root, r->names + 1, true, list, sizeof(list));
				argp_error(state, "%s: %s do%s not apply", r->why, list,
					   k > 2 ? "" : "es");
			}
			break;
		case RULE_END:
			break;
		}
	}
}

static void store(char *field, size_t size, uint64_t v)
{
	if (size == sizeof(uint64_t)) {
		memcpy(field, &v, sizeof(v));
	} else {
		uint32_t w = (uint32_t)v;
		memcpy(field, &w, sizeof(w));
	}
}

static void parse_one(const struct opt *t, char *args, char *arg, struct argp_state *state)
{
	uint64_t v;
	int e = 0;
	switch (t->kind) {
	case OPTK_BOOL:
		*(bool *)(args + t->off) = true;
		return;
	case OPTK_STR:
		*(const char **)(args + t->off) = arg;
		return;
	case OPTK_NUM:
		if (units_parse_u64(arg, &v) || v < t->min || v > t->max)
			e = -EINVAL;
		else
			store(args + t->off, t->size, v);
		break;
	case OPTK_CHOICE:
		e = -EINVAL;
		for (size_t i = 0; t->choices[i]; i++)
			if (!strcmp(arg, t->choices[i])) {
				store(args + t->off, t->size, t->min + i);
				e = 0;
			}
		break;
	case OPTK_WATCH:
		*(bool *)(args + t->off) = true;
		if (arg && units_parse_interval(arg, (long *)(args + t->off2)))
			argp_error(state, "invalid --%s interval '%s' (seconds, such as 1 or 0.5)",
				   t->name, arg);
		return;
	case OPTK_CALL:
		e = t->parse(args, arg, state);
		break;
	case OPTK_SORT: {
		int c = col_lookup(t->cols, t->ncols, arg);
		if (c < 0 || (uint64_t)c == t->max)
			argp_error(state, "invalid --%s key '%s' (a column name, such as %s)", t->name,
				   arg, t->hint);
		*(const char **)(args + t->off) = arg;
		return;
	}
	case OPTK_INCLUDE:
	case OPTK_END:
		return;
	}
	if (e == -ENOMEM)
		argp_failure(state, EXIT_RUNTIME, ENOMEM, "--%s", t->name);
	else if (e)
		argp_error(state, "invalid --%s '%s' (%s)", t->name, arg, t->hint);
}

static error_t node_parse(int key, char *arg, struct argp_state *state)
{
	struct opts_node *n = state->input;
	const struct opts *o = n->o;
	switch (key) {
	case ARGP_KEY_INIT:
		for (size_t i = 0; i < n->nkids; i++)
			state->child_inputs[i] = &n->kids[i];
		for (const struct opt *t = o->opt; t->kind != OPTK_END; t++)
			if (t->kind == OPTK_WATCH)
				*(long *)(n->args + t->off2) = (long)t->min;
		return 0;
	case ARGP_KEY_ARG:
		if (o->arg)
			return o->arg(n->args, arg, state);
		if (!o->list)
			return ARGP_ERR_UNKNOWN;
		char ***argv = (char ***)(n->args + o->list_off);
		int *nargs = (int *)(n->args + o->nlist_off);
		args_rest(state, argv, nargs);
		for (int i = 0; o->list_check && i < *nargs; i++)
			if (o->list_check((*argv)[i]))
				argp_error(state, "invalid %s '%s' (%s)", o->list_what, (*argv)[i],
					   o->list_hint);
		return 0;
	case ARGP_KEY_END:
		if (n != n->root)
			return 0;
		/* the arguments first, then the options */
		if (o->list && o->list_none && !*(int *)(n->args + o->nlist_off))
			argp_error(state, "%s", o->list_none);
		if (o->check)
			o->check(n->args, state);
		check_rules(n, state);
		return 0;
	default:
		for (const struct opt *t = o->opt; t->kind != OPTK_END; t++)
			if (t->kind != OPTK_INCLUDE && n->keys[t - o->opt] == key) {
				struct opts_node *root = n->root;
				if (root->nseen < sizeof(root->seen) / sizeof(root->seen[0]))
					root->seen[root->nseen++] = t;
				parse_one(t, n->args, arg, state);
				return 0;
			}
		return ARGP_ERR_UNKNOWN;
	}
}

/* -o, -r and --noheadings (-n, or none where -n is --top), in each table's wording */
#define TABLE_OPT_ROWS(output_doc, raw_doc, noheadings_key)                                       \
	OPT_STR("output", 'o', "LIST", struct table_args, columns, output_doc),                    \
	OPT_BOOL("raw", 'r', struct table_args, raw, raw_doc),                                     \
	OPT_BOOL("noheadings", noheadings_key, struct table_args, noheadings,                      \
		 "Do not print the heading line")

const struct opts table_opts = {
	.opt = OPTIONS(TABLE_OPT_ROWS("Columns to print (see below); +LIST adds to the default",
				      "Raw output: no alignment, no tree art", 'n')),
};

const struct opts table_opts_top = {
	.opt = OPTIONS(TABLE_OPT_ROWS("Columns to print (see below); +LIST adds to the defaults",
				      "Columns separated by one space, no alignment", 0)),
};
