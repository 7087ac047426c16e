/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shell completion answered from the command table (cobra's __complete, in memscope's terms):
 * completions/memscope.{bash,zsh,fish} pass the words of the line and print what this says, so
 * a new option is completed the moment it is in the table (a command's name, from each
 * script's list: :commands). */
#include <ctype.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "complete.h"
#include "out/table.h"

/* One option as completion sees it: the command's rows (struct opt) and the global argp ones */
struct copt {
	const char *name; /* long name, or NULL */
	int key;	  /* its letter, or 0 */
	const char *arg;  /* metavar, or NULL: no argument */
	bool optional;	  /* --NAME[=ARG] */
	const char *doc;
	const struct opt *opt; /* NULL: a global option */
};

enum { MAX_COPTS = 96 };

struct comp {
	FILE *out;
	const struct command *cmd;
	struct copt o[MAX_COPTS];
	size_t n;
	bool given[MAX_COPTS]; /* the options on the line before the word being completed */
	const char *sysroot; /* --sysroot's value on the line: its PIDs, not this machine's */
};

static void add_opts(struct comp *c, const struct opts *o)
{
	for (const struct opt *t = o->opt; t->kind != OPTK_END; t++) {
		if (t->kind == OPTK_INCLUDE) {
			add_opts(c, t->include);
			continue;
		}
		if (c->n == MAX_COPTS || (t->flags & OPTION_HIDDEN))
			continue;
		int key = t->key > ' ' && t->key < 127 ? t->key : 0;
		c->o[c->n++] = (struct copt){t->name, key, t->arg, t->flags & OPTION_ARG_OPTIONAL,
					     t->doc, t};
	}
}

static void add_globals(struct comp *c)
{
	for (const struct argp_option *a = global_child_argp.options; a->name || a->key; a++) {
		if (c->n == MAX_COPTS || (a->flags & (OPTION_HIDDEN | OPTION_ALIAS)))
			continue;
		int key = a->key > ' ' && a->key < 127 ? a->key : 0;
		c->o[c->n++] = (struct copt){a->name, key, a->arg, a->flags & OPTION_ARG_OPTIONAL,
					     a->doc, NULL};
	}
}

/* An option by its long name, or by a prefix of it that no other option has (argp's rule) */
static const struct copt *find_long(const struct comp *c, const char *name, size_t len)
{
	const struct copt *found = NULL;
	size_t prefixed = 0;
	for (size_t i = 0; i < c->n; i++) {
		const char *n = c->o[i].name;
		if (!n || strncmp(n, name, len))
			continue;
		if (strlen(n) == len)
			return &c->o[i];
		found = &c->o[i];
		prefixed++;
	}
	return prefixed == 1 ? found : NULL;
}

static const struct copt *find_short(const struct comp *c, int key)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->o[i].key == key)
			return &c->o[i];
	return NULL;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* The first clause of an option's help, as a short description: its length */
static size_t clause(const char *doc)
{
	if (!doc)
		return 0;
	size_t d = strcspn(doc, ";:(\n\t\v");
	if (d > 72)
		for (d = 72; d && doc[d] != ' ';)
			d--;
	while (d && doc[d - 1] == ' ')
		d--;
	return d;
}

/* @before and a candidate, when it starts with @cur, and @dlen bytes of its description (one
 * line, no tab: the tables' own text) */
static void say(struct comp *c, const char *before, const char *word, size_t wlen,
		const char *cur, const char *doc, size_t dlen)
{
	size_t clen = strlen(cur);
	if (clen > wlen || strncmp(word, cur, clen))
		return;
	fprintf(c->out, "%s%.*s", before, (int)wlen, word);
	if (dlen)
		fprintf(c->out, "\t%.*s", (int)dlen, doc);
	fputc('\n', c->out);
}

/* The words a hint lists ("never, always or only", "a size, such as 0, 64K or 1M"), into @buf
 * a space apart: false when the hint is prose ("a number of rows, at least 1") */
static bool hint_words(const char *hint, char *buf, size_t size)
{
	if (!hint)
		return false;
	const char *such = strstr(hint, "such as ");
	const char *s = such ? such + 8 : hint;
	size_t len = 0;
	while (*s) {
		size_t w = strcspn(s, ", ");
		if (!w || len + w + 1 >= size)
			return false;
		memcpy(buf + len, s, w);
		len += w;
		buf[len++] = ' ';
		s += w;
		/* a list's separators: ", ", ", or ", " or "; anything else is prose */
		if (starts(s, ", or "))
			s += 5;
		else if (starts(s, ", "))
			s += 2;
		else if (starts(s, " or "))
			s += 4;
		else if (*s)
			return false;
	}
	if (!len)
		return false;
	buf[len - 1] = '\0';
	return true;
}

/* Every word of the space-separated @words */
static void say_words(struct comp *c, const char *before, const char *words, const char *cur)
{
	for (const char *w = words; *w;) {
		size_t n = strcspn(w, " ");
		say(c, before, w, n, cur, NULL, 0);
		w += n + (w[n] == ' ');
	}
}

/* A dump's processes: PATH/proc's numbered directories */
static void say_dump_pids(struct comp *c, const char *before, const char *cur)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/proc", c->sysroot);
	DIR *d = opendir(path);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] && strspn(e->d_name, "0123456789") == strlen(e->d_name))
			say(c, before, e->d_name, strlen(e->d_name), cur, NULL, 0);
	closedir(d);
}

/* What a metavar asks for, when nothing more exact is known */
static void say_kind(struct comp *c, const char *arg, bool self, const char *before,
		     const char *cur)
{
	if (!strcmp(arg, "PID") || !strcmp(arg, "PID,...")) {
		if (self)
			say(c, before, "self", 4, cur, NULL, 0);
		if (c->sysroot)
			say_dump_pids(c, before, cur);
		else
			fputs(":pids\n", c->out);
	} else if (!strcmp(arg, "DIR")) {
		fputs(":dirs\n", c->out);
	} else if (!strcmp(arg, "USER")) {
		fputs(":users\n", c->out);
	} else if (!strcmp(arg, "FILE") || !strcmp(arg, "PATH") || strchr(arg, '.')) {
		fputs(":files\n", c->out);
	} else if (strlen(arg) == 1 && strchr("AB", arg[0])) {
		/* diff's sides: a capture or the live system */
		say(c, before, "live", 4, cur, "this system, now", 16);
		fputs(":files\n", c->out);
	}
}

/* Whether @name (@len bytes) is one of the first @hlen bytes of a list "A,B," (or "+A,") */
static bool listed(const char *list, size_t hlen, const char *name, size_t len)
{
	for (size_t at = list[0] == '+'; at < hlen;) {
		size_t l = strcspn(list + at, ",");
		if (l == len && !strncmp(list + at, name, len))
			return true;
		at += l + 1;
	}
	return false;
}

/* A comma-separated list of columns (-o, with its +): the ones not given yet, with their help;
 * @words instead of the columns when given */
static void say_list(struct comp *c, const char *before, const char *cur, const char *words)
{
	char head[512];
	const char *last = strrchr(cur, ',');
	size_t hlen = last ? (size_t)(last - cur) + 1 : cur[0] == '+';
	snprintf(head, sizeof(head), "%s%.*s", before, (int)hlen, cur);
	const char *tail = cur + hlen;
	fputs(":nospace\n", c->out);
	for (const char *w = words; w && *w;) {
		size_t len = strcspn(w, " ");
		if (!listed(cur, hlen, w, len))
			say(c, head, w, len, tail, NULL, 0);
		w += len + (w[len] == ' ');
	}
	const struct columns *cols = words || !c->cmd ? NULL : c->cmd->columns;
	for (size_t i = 0; cols && i < cols->n; i++) {
		const struct col_def *d = &cols->def[i];
		if (!listed(cur, hlen, d->name, strlen(d->name)))
			say(c, head, d->name, strlen(d->name), tail, d->help, clause(d->help));
	}
}

/* The values of option @o, @cur its start so far; @before is printed ahead of each */
static void say_values(struct comp *c, const struct copt *o, const char *before, const char *cur)
{
	const struct opt *t = o->opt;
	if (t && t->kind == OPTK_CHOICE) {
		for (size_t i = 0; t->choices[i]; i++)
			say(c, before, t->choices[i], strlen(t->choices[i]), cur, NULL, 0);
		return;
	}
	if (t && t->kind == OPTK_SORT) {
		for (size_t i = 0; i < t->ncols; i++) {
			char low[64];
			size_t n = 0;
			for (const char *s = t->cols[i].name; *s && n + 1 < sizeof(low); s++)
				low[n++] = (char)tolower((unsigned char)*s);
			if (i != t->max)
				say(c, before, low, n, cur, t->cols[i].help, clause(t->cols[i].help));
		}
		return;
	}
	if (t && t->kind == OPTK_NUM && t->max - t->min < 8) {
		for (uint64_t v = 0; v <= t->max - t->min; v++) {
			char num[24];
			int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)(t->min + v));
			say(c, before, num, (size_t)n, cur, NULL, 0);
		}
		return;
	}
	/* the words of its hint, the list its message gives; else what its metavar asks for */
	char words[256];
	bool have = hint_words(t ? t->hint : global_hint(o->name), words, sizeof(words));
	if (o->arg && !strcmp(o->arg, "LIST"))
		say_list(c, before, cur, have ? words : NULL);
	else if (have)
		say_words(c, before, words, cur);
	else if (o->arg)
		say_kind(c, o->arg, false, before, cur); /* an option's PIDs are numbers */
}

/* The command's options, then the global ones */
static void say_options(struct comp *c, const char *cur)
{
	for (size_t k = 0; k < 2 * c->n; k++) {
		const struct copt *o = &c->o[k % c->n];
		if ((k < c->n) != (o->opt != NULL))
			continue;
		char spelled[64];
		if (o->name) {
			snprintf(spelled, sizeof(spelled), "--%s", o->name);
			say(c, "", spelled, strlen(spelled), cur, o->doc, clause(o->doc));
		}
		/* a letter only when it is all there is, or exactly what was typed */
		snprintf(spelled, sizeof(spelled), "-%c", o->key);
		if (o->key && (!o->name || !strcmp(cur, spelled)))
			say(c, "", spelled, 2, cur, o->doc, clause(o->doc));
	}
}

/* An option named in a usage line ("-o", "--pid"), of the @n bytes at @s */
static const struct copt *usage_opt(const struct comp *c, const char *s, size_t n)
{
	if (n > 2 && s[1] == '-')
		return find_long(c, s + 2, n - 2);
	return n == 2 ? find_short(c, (unsigned char)s[1]) : NULL;
}

/* The @k-th argument (from 0) of one usage line ("PID VADDR...", "-o FILE.tar.zst [--pid
 * PID...]"): of its words that are neither options nor an option's value, into @buf; NULL
 * when it has none there. *@options: the line names options, *@given: one that is on the
 * command line. */
static const char *line_arg(const struct comp *c, const char *line, size_t llen, size_t k,
			    bool *options, bool *given, char *buf, size_t size)
{
	const char *toks[16];
	size_t ntok = 0, lens[16];
	bool after_dashes = false;
	*options = *given = false;
	for (const char *s = line; s < line + llen;) {
		s += strspn(s, " []");
		size_t n = strcspn(s, " []\n");
		if (!n)
			break;
		if (n == 2 && !strncmp(s, "--", 2)) {
			after_dashes = true; /* what follows -- is another command's */
		} else if (s[0] == '-') {
			const struct copt *o = usage_opt(c, s, n);
			*options = true;
			*given |= o && c->given[o - c->o];
			if (o && o->arg && !o->optional) { /* its value */
				s += n;
				s += strspn(s, " []");
				n = strcspn(s, " []\n");
			}
		} else if (!after_dashes && ntok < 16) {
			toks[ntok] = s, lens[ntok++] = n;
		}
		s += n;
	}
	if (!ntok)
		return NULL;
	size_t i = k < ntok ? k : ntok - 1;
	bool more = lens[i] > 3 && !strncmp(toks[i] + lens[i] - 3, "...", 3);
	if (i != k && !more)
		return NULL;
	snprintf(buf, size, "%.*s", (int)(lens[i] - (more ? 3 : 0)), toks[i]);
	return buf;
}

/* The @k-th argument as the command's usage names it: by the usage line one of whose options
 * is on the command line (capture -o FILE: none), else the first line without options that
 * has one there ("-- COMMAND [ARGS...]" has none: faults' "PID") */
static const char *nth_arg(const struct comp *c, const char *doc, size_t k, char *buf,
			   size_t size)
{
	const char *first = NULL;
	for (const char *line = doc; line && *line;) {
		size_t llen = strcspn(line, "\n");
		bool options, given;
		char one[64];
		const char *a = line_arg(c, line, llen, k, &options, &given, one, sizeof(one));
		if (given || (!options && a && !first)) {
			first = a ? buf : NULL;
			if (a)
				snprintf(buf, size, "%s", a);
			if (given)
				return first;
		}
		line += llen + (line[llen] == '\n');
	}
	return first;
}

int complete_main(int argc, char **argv, FILE *out)
{
	struct comp c = {.out = out};
	add_globals(&c);
	const char *cur = argc > 0 ? argv[argc - 1] : "";
	const struct copt *pending = NULL; /* the option whose argument @cur is */
	size_t npos = 0;
	int command_at = -1; /* after --: another command's line, from this word */
	for (int i = 0; i + 1 < argc && command_at < 0; i++) {
		const char *w = argv[i];
		const struct copt *takes = NULL; /* an option whose argument is the next word */
		if (!strcmp(w, "--")) {
			/* faults -- COMMAND...: the rest is another command's line */
			if (c.cmd && c.cmd->opts->args_doc && strstr(c.cmd->opts->args_doc, "-- "))
				command_at = i + 1;
		} else if (starts(w, "--")) {
			const char *eq = strchr(w, '=');
			size_t len = eq ? (size_t)(eq - w - 2) : strlen(w + 2);
			const struct copt *o = find_long(&c, w + 2, len);
			if (o)
				c.given[o - c.o] = true;
			if (o && o->arg && !o->optional && !eq)
				takes = o;
			if (o && !o->opt && !strcmp(o->name, "sysroot"))
				c.sysroot = eq ? eq + 1 : i + 2 < argc ? argv[i + 1] : NULL;
		} else if (w[0] == '-' && w[1]) {
			/* letters together (-rn); one that takes an argument takes the rest */
			for (const char *s = w + 1; *s; s++) {
				const struct copt *o = find_short(&c, (unsigned char)*s);
				if (o)
					c.given[o - c.o] = true;
				if (o && o->arg && !o->optional) {
					takes = s[1] ? NULL : o;
					break;
				}
			}
		} else if (!c.cmd) {
			c.cmd = command_find(w);
			if (!c.cmd)
				return 0; /* an unknown command: nothing to offer */
			add_opts(&c, c.cmd->opts);
		} else {
			npos++;
		}
		if (takes && i + 2 == argc) {
			pending = takes; /* the word being completed is its argument */
			break;
		}
		if (takes)
			i++;
	}
	if (command_at >= 0) {
		fprintf(out, ":command %d\n", command_at);
		return 0;
	}
	if (pending) {
		say_values(&c, pending, "", cur);
		return 0;
	}
	if (starts(cur, "--") && strchr(cur, '=')) {
		const char *eq = strchr(cur, '=');
		const struct copt *o = find_long(&c, cur + 2, (size_t)(eq - cur - 2));
		if (o && o->arg) {
			char before[80];
			snprintf(before, sizeof(before), "%.*s", (int)(eq - cur + 1), cur);
			say_values(&c, o, before, eq + 1);
		}
		return 0;
	}
	char arg[64];
	const char *kind = c.cmd ? nth_arg(&c, c.cmd->opts->args_doc, npos, arg, sizeof(arg)) : NULL;
	if (cur[0] == '-' || (c.cmd && !c.cmd->opts->args_doc)) {
		say_options(&c, cur);
	} else if (!c.cmd) {
		fputs(":commands\n", out); /* each script lists them, with the table's summaries */
	} else if (kind) {
		say_kind(&c, kind, c.cmd->opts->pid_self, "", cur);
	}
	return 0;
}
