/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tables through libsmartcols: trees, colours, raw output, terminals (and fitting them). */
#include <errno.h>
#include <langinfo.h>
#include <libsmartcols.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "out/table_int.h"

/* ---- fitting the terminal ----
 * On a terminal (o->term_width), a table wider than it gives way in one column, as lsblk's do:
 * a COLF_WRAP column wraps at word boundaries onto continuation lines, a COLF_TRUNC column (a
 * tree, whose art a continuation line would break) is cut with a visible sign; addresses and
 * numbers never change. libsmartcols would cut without a sign and wrap in mid-word, so the
 * table layer does both and hands libsmartcols a table that fits. When the other columns alone
 * leave less than FIT_MIN columns, nothing is cut: the lines run long, as in a pipe (fewer
 * columns with -o make it fit). Pipes and files always get the full width. */
#define FIT_MIN 8

struct fit {
	bool on;
	size_t k;     /* the column that gives way, an index into t->sel */
	size_t width; /* its width on this terminal */
	bool wrap;    /* wrap (else cut) */
	bool utf8;    /* the sign of a cut is U+2026, else "..." */
};

/* The width libsmartcols gives @s on a terminal (lib/mbsalign.c mbs_safe_width): printable
 * characters their wcwidth, anything else escaped as \xHH, four cells a byte. With @max, stop
 * before the character that would pass it and say where in *@cut (bytes). */
static size_t text_width(const char *s, size_t max, size_t *cut)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t w = 0, i = 0;
	while (s[i]) {
		/* no strlen(): a wrapped 1 MiB name is measured a line at a time */
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + i, strnlen(s + i, MB_LEN_MAX), &st), cw;
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof(st));
			n = 1;
			cw = 4;
		} else {
			int ww = iswprint((wint_t)wc) ? wcwidth(wc) : -1;
			cw = ww >= 0 ? (size_t)ww : 4 * n;
		}
		if (cut && w + cw > max)
			break;
		w += cw;
		i += n;
	}
	if (cut)
		*cut = i;
	return w;
}

/* Tree art before a cell of the tree column: two cells a level ("│ ", "├─"), none at the
 * top. */
static size_t tree_art(const struct trow *r)
{
	size_t n = 0;
	for (const struct trow *p = r->parent; p; p = p->parent)
		n += 2;
	return n;
}

static bool has_children(const struct trow *r)
{
	for (; r; r = r->next)
		if (r->first)
			return true;
	return false;
}

/* The widest cell of column k under @first (tree art included in a tree column). */
static size_t rows_width(const struct table *t, const struct out *o, const struct trow *first,
			 size_t k, int hexw, bool tree)
{
	char buf[64];
	size_t w = 0;
	for (const struct trow *r = first; r; r = r->next) {
		const char *text;
		const struct cell *c = &r->cells[t->sel[k]];
		cell_view(t, o, c, hexw, buf, sizeof(buf), &text);
		size_t cw = text_width(text, 0, NULL) + (tree ? tree_art(r) : 0);
		if (cw > w)
			w = cw;
		cw = rows_width(t, o, r->first, k, hexw, tree);
		if (cw > w)
			w = cw;
	}
	return w;
}

/* Whether and how the table must give way to fit o->term_width. */
static void table_fit(const struct table *t, const struct out *o, const int *hexw, struct fit *f)
{
	memset(f, 0, sizeof(*f));
	if (!o->term_width || o->raw)
		return;
	size_t flex = SIZE_MAX, shown = 0;
	for (size_t k = 0; k < t->nsel; k++) {
		unsigned fl = t->defs[t->sel[k]].flags;
		if (!col_text(t, k))
			continue;
		shown++;
		if (fl & (COLF_WRAP | COLF_TRUNC))
			flex = k;
	}
	if (flex == SIZE_MAX)
		return;
	size_t fixed = shown - 1, natural = 0, head = 0; /* one blank between columns */
	for (size_t k = 0; k < t->nsel; k++) {
		const struct col_def *d = &t->defs[t->sel[k]];
		if (!col_text(t, k))
			continue;
		/* a heading sets the least width even when it is not printed, as in libsmartcols */
		size_t hw = text_width(d->name, 0, NULL);
		size_t w = rows_width(t, o, t->first, k, hexw[k], d->flags & COLF_TREE);
		if (w < hw)
			w = hw;
		if (k == flex) {
			natural = w;
			head = hw;
		} else {
			fixed += w;
		}
	}
	size_t term = (size_t)o->term_width;
	if (fixed + natural <= term || fixed >= term)
		return;
	size_t avail = term - fixed;
	if (avail < FIT_MIN || avail < head)
		return;
	f->on = true;
	f->k = flex;
	f->width = avail;
	/* a continuation line in a tree would draw tree art of its own */
	f->wrap = (t->defs[t->sel[flex]].flags & COLF_WRAP) && !has_children(t->first);
	f->utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
}

/* Cut @s to @width cells with the sign at the end, into @buf. */
static const char *fit_cut(const struct fit *f, const char *s, size_t width, char *buf,
			   size_t size)
{
	const char *sign = f->utf8 ? "\xe2\x80\xa6" : "..."; /* U+2026 HORIZONTAL ELLIPSIS */
	size_t sw = f->utf8 ? 1 : 3, cut;
	if (text_width(s, 0, NULL) <= width)
		return s;
	if (width <= sw)
		return f->utf8 ? sign : "";
	text_width(s, width - sw, &cut);
	if (cut + strlen(sign) + 1 > size)
		cut = size - strlen(sign) - 1;
	memcpy(buf, s, cut);
	strcpy(buf + cut, sign);
	return buf;
}

/* The first line of @s that fits @width cells when wrapped at word boundaries: its length in
 * bytes, and in *@next where the next line starts. The line breaks at the last chance that
 * fits: before a blank (dropped), or after a '/', ',' or '-' (paths, lists, long names); with
 * none, where the width ends. */
static size_t fit_line(const char *s, size_t width, const char **next)
{
	size_t cut;
	text_width(s, width, &cut);
	if (!s[cut]) {
		*next = s + cut;
		return cut;
	}
	for (size_t i = cut; i > 0; i--) {
		if (s[i] == ' ') {
			size_t n = i, j = i;
			while (n > 0 && s[n - 1] == ' ')
				n--;
			while (s[j] == ' ')
				j++;
			if (n == 0)
				break; /* blanks only: no word to end the line with */
			*next = s + j;
			return n;
		}
		if (strchr("/,-", s[i - 1])) {
			*next = s + i;
			return i;
		}
	}
	if (cut == 0) /* one character wider than the column: it goes on its own line */
		text_width(s, 4, &cut);
	if (cut == 0)
		cut = 1;
	*next = s + cut;
	return cut;
}

static int rows_text(const struct table *t, const struct out *o, struct libscols_table *tb,
		     const struct trow *first, struct libscols_line *parent, const int *hexw,
		     const struct fit *f)
{
	char buf[64], cut[4096];
	for (const struct trow *r = first; r; r = r->next) {
		struct libscols_line *ln = scols_table_new_line(tb, parent);
		if (!ln)
			return -ENOMEM;
		const char *rest = NULL; /* what wraps onto continuation lines */
		size_t flexcol = 0;
		for (size_t k = 0, col = 0; k < t->nsel; k++) {
			size_t i = t->sel[k];
			if (!col_text(t, k))
				continue;
			const char *text;
			cell_view(t, o, &r->cells[i], hexw[k], buf, sizeof(buf), &text);
			int e;
			if (f->on && k == f->k && f->wrap) {
				const char *next;
				size_t n = fit_line(text, f->width, &next);
				char *line = strndup(text, n);
				e = line ? scols_line_refer_data(ln, col, line) : -ENOMEM;
				if (e && line)
					free(line);
				rest = *next ? next : NULL;
				flexcol = col;
			} else if (f->on && k == f->k) {
				size_t art = t->defs[i].flags & COLF_TREE ? tree_art(r) : 0;
				size_t w = f->width > art ? f->width - art : 1;
				e = scols_line_set_data(ln, col, fit_cut(f, text, w, cut, sizeof(cut)));
			} else {
				e = scols_line_set_data(ln, col, text);
			}
			if (e != 0)
				return -ENOMEM;
			col++;
		}
		if (r->color && o->color)
			scols_line_set_color(ln, t->colors[r->color]);
		while (rest) {
			/* the rest of a wrapped cell, its other columns blank */
			struct libscols_line *more = scols_table_new_line(tb, parent);
			const char *next;
			size_t n = fit_line(rest, f->width, &next);
			char *line = more ? strndup(rest, n) : NULL;
			if (!line || scols_line_refer_data(more, flexcol, line) != 0) {
				free(line);
				return -ENOMEM;
			}
			if (r->color && o->color)
				scols_line_set_color(more, t->colors[r->color]);
			rest = *next ? next : NULL;
		}
		int e = rows_text(t, o, tb, r->first, ln, hexw, f);
		if (e)
			return e;
	}
	return 0;
}


int print_scols(const struct table *t, struct out *o, const int *hexw)
{
	struct libscols_table *tb = scols_new_table();
	if (!tb)
		return -ENOMEM;
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_colors(tb, o->color);
	scols_table_enable_minout(tb, 1); /* no padding after the last cell */
	scols_table_set_stream(tb, o->fp);
	/* the stream is our buffer, so libsmartcols cannot ask it whether it is a terminal (it
	 * asks isatty(STDOUT_FILENO), and the terminal's size itself): say it, as the dispatcher
	 * learnt it, so the text for a terminal is always the text for this width */
	scols_table_set_termforce(tb, o->term_width ? SCOLS_TERMFORCE_ALWAYS : SCOLS_TERMFORCE_NEVER);
	if (o->term_width)
		scols_table_set_termwidth(tb, (size_t)o->term_width);
	int ret = 0;
	for (size_t k = 0; k < t->nsel && k < 64; k++) {
		const struct col_def *d = &t->defs[t->sel[k]];
		if (!col_text(t, k))
			continue;
		int fl = 0;
		/* raw output is for scripts: one line per row, no tree art (as lsblk -r) */
		if ((d->flags & COLF_TREE) && !o->raw)
			fl |= SCOLS_FL_TREE;
		if (d->flags & COLF_RIGHT)
			fl |= SCOLS_FL_RIGHT;
		/* COLF_TRUNC and COLF_WRAP are done here (table_fit()), never by libsmartcols */
		if (!scols_table_new_column(tb, d->name, 0, fl)) {
			ret = -ENOMEM;
			goto out;
		}
	}
	struct fit fit;
	table_fit(t, o, hexw, &fit);
	ret = rows_text(t, o, tb, t->first, NULL, hexw, &fit);
	if (ret == 0 && scols_print_table(tb) != 0)
		ret = -EIO;
out:
	scols_unref_table(tb);
	return ret;
}
