/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Cells as text, and the direct writer for long flat tables. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/units.h"
#include "out/table_int.h"

size_t cell_text(const struct table *t, const struct out *o, const struct cell *c,
			int hexw, char *buf, size_t size)
{
	if (!c->set) {
		buf[0] = '\0';
		return 0;
	}
	if (c->null) {
		/* not snprintf: translate --all has eight of them a row */
		if (size < 2) {
			if (size)
				buf[0] = '\0';
			return 0;
		}
		buf[0] = '-';
		buf[1] = '\0';
		return 1;
	}
	switch ((enum col_type)c->type) {
	case COL_STR:
		/* libsmartcols escapes control bytes, C1 codes and invalid UTF-8 as \xHH itself
		 * (and blanks too in raw mode, as util-linux does): escaping here would double it */
	{
		const char *v = cell_str(t, c);
		size_t n = strlen(v);
		if (n > size - 1)
			n = size - 1;
		memcpy(buf, v, n);
		buf[n] = '\0';
		return n;
	}
	case COL_ADDR: {
		/* by hand: snprintf for every address of 60 000 mappings shows in profiles */
		static const char hex[] = "0123456789abcdef";
		int w = o->raw ? 16 : hexw;
		if ((size_t)w + 3 > size)
			w = (int)size - 3;
		buf[0] = '0';
		buf[1] = 'x';
		uint64_t v = c->u;
		for (int i = w + 1; i >= 2; i--, v >>= 4)
			buf[i] = hex[v & 15];
		buf[w + 2] = '\0';
		return (size_t)w + 2;
	}
	case COL_SIZE:
		return out_size_text(o, c->u, buf, size);
	case COL_COUNT:
		return units_dec(c->u, buf, size);
	case COL_HEX:
		if (size < 19) {
			snprintf(buf, size, "0x%" PRIx64, c->u);
			break;
		}
		/* by hand: snprintf twice for every offset of 60 000 mappings showed */
		buf[0] = '0';
		buf[1] = 'x';
		return 2 + units_hex(c->u, 1, buf + 2);
	case COL_PERCENT: {
		uint64_t h = (c->u + 5) / 10; /* tenths */
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%%", h / 10, h % 10);
		break;
	}
	case COL_INDEX:
		snprintf(buf, size, "%" PRIu64 ".%03" PRIu64, c->u / 1000, c->u % 1000);
		break;
	case COL_DELTA:
		snprintf(buf, size, (int64_t)c->u > 0 ? "+%" PRId64 : "%" PRId64, (int64_t)c->u);
		break;
	case COL_SIZE_DELTA: {
		/* the sign, then the size of the change as every size is written */
		int64_t v = (int64_t)c->u;
		uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
		if (size < 2)
			break;
		buf[0] = v < 0 ? '-' : '+';
		size_t n = out_size_text(o, m, buf + (v != 0), size - (v != 0));
		return n + (v != 0);
	}
	case COL_BOOL:
		snprintf(buf, size, "%s", c->u ? "yes" : "no");
		break;
	}
	return strlen(buf);
}

int max_hexw(const struct trow *r, size_t col)
{
	int w = 8;
	for (; r; r = r->next) {
		const struct cell *c = &r->cells[col];
		if (c->set && !c->null && c->type == COL_ADDR) {
			int cw = units_hex_width(c->u);
			if (cw > w)
				w = cw;
		}
		int cw = max_hexw(r->first, col);
		if (cw > w)
			w = cw;
	}
	return w;
}

bool library_only(void)
{
	const char *force = getenv("MEMSCOPE_TABLE");
	return force && !strcmp(force, "library");
}


/* ---- direct text for flat ASCII tables ----
 * libsmartcols measures every cell character by character (mbrtowc, wcwidth); for a flat table
 * of plain ASCII going to a pipe or file the layout is simple and is written here directly, the
 * same as libsmartcols writes it (widths of the widest cell, one blank between columns, numbers
 * right-aligned, nothing after the last cell that holds data). Trees, terminals, colours, raw
 * output and any other byte go through libsmartcols. MEMSCOPE_TABLE=library turns the direct
 * writer off (libsmartcols for every table), for the tests that compare the two. */

/* Whether the widths kept by table_measure() hold for printing to @o. */
bool measured_for(const struct table *t, const struct out *o)
{
	return t->measured == o && !t->remeasure;
}

static bool plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

bool direct_text(const struct table *t, const struct out *o)
{
	/* a terminal's table may have to give way to fit it: libsmartcols' path does that */
	if (o->raw || o->color || o->term_width || library_only())
		return false;
	/* children, drawn as a tree or not (-o without the tree column): the direct writer
	 * reads only the top-level rows */
	for (const struct trow *r = t->first; r; r = r->next)
		if (r->first)
			return false;
	if (measured_for(t, o) && t->nonascii)
		return false;
	for (const struct trow *r = measured_for(t, o) ? NULL : t->first; r; r = r->next)
		for (size_t i = 0; i < t->ndefs; i++)
			if (r->cells[i].set && !r->cells[i].null && r->cells[i].type == COL_STR &&
			    !plain_ascii(cell_str(t, &r->cells[i])))
				return false;
	for (size_t k = 0; k < t->nsel; k++)
		if (!plain_ascii(t->defs[t->sel[k]].name))
			return false;
	return true;
}

/* A cell's text for the direct writer: strings in place (a path may be longer than any
 * buffer), the rest formatted into @buf. */
size_t cell_view(const struct table *t, const struct out *o, const struct cell *c,
			int hexw, char *buf, size_t size, const char **text)
{
	if (c->set && !c->null && c->type == COL_STR) {
		*text = cell_str(t, c);
		return strlen(*text);
	}
	*text = buf;
	return cell_text(t, o, c, hexw, buf, size);
}

/* A cell's text width, formatting only what must be (a string's width is its length, and
 * *@text points to it then; addresses, counts and sizes are computed). */
static size_t cell_width(const struct table *t, const struct out *o, const struct cell *c,
			 int hexw, char *buf, size_t size, const char **text)
{
	*text = NULL;
	if (c->set && !c->null && c->type == COL_ADDR && !o->raw)
		return (size_t)hexw + 2;
	if (c->set && !c->null && c->type == COL_COUNT)
		return units_dec_width(c->u);
	if (c->set && !c->null && c->type == COL_SIZE)
		return out_size_width(o, c->u);
	return cell_view(t, o, c, hexw, buf, size, text);
}

void measure(struct table *t, size_t col, const struct cell *c)
{
	if (!t->measured || t->measured->json)
		return; /* JSON has no widths */
	if (!c->null && c->type == COL_ADDR) {
		if (c->u > t->addr_max[col])
			t->addr_max[col] = c->u;
		return;
	}
	char buf[48];
	const char *text;
	size_t l = cell_width(t, t->measured, c, 8, buf, sizeof(buf), &text);
	if (!c->null && c->type == COL_STR && text && !plain_ascii(text))
		t->nonascii = true;
	if (l > t->twidth[col])
		t->twidth[col] = l;
}

int print_direct(const struct table *t, const struct out *o, const int *hexw)
{
	/* libsmartcols prints nothing for a table without rows, not even the heading */
	if (!t->first && !t->spooled)
		return 0;
	size_t n = 0, cols[64];
	for (size_t k = 0; k < t->nsel && n < 64; k++)
		if (col_text(t, k))
			cols[n++] = k;
	/* widths, then lines: the widths kept by table_measure() when it was asked for, else a
	 * first pass over the cells (formatting a cell twice is cheaper than keeping 60 000 rows
	 * of text, tens of MiB of page faults) */
	size_t width[64] = {0};
	char buf[48]; /* any cell but a string fits */
	/* the headings set the least widths even when they are not printed, as libsmartcols
	 * does (its columns' minimum is the heading's width either way) */
	for (size_t j = 0; j < n; j++)
		width[j] = strlen(t->defs[t->sel[cols[j]]].name);
	if (measured_for(t, o))
		for (size_t j = 0; j < n; j++) {
			size_t i = t->sel[cols[j]];
			size_t l = t->addr_col[i] ? (size_t)hexw[cols[j]] + 2 : 0;
			if (t->twidth[i] > l)
				l = t->twidth[i];
			if (l > width[j])
				width[j] = l;
		}
	for (const struct trow *r = measured_for(t, o) ? NULL : t->first; r; r = r->next)
		for (size_t j = 0; j < n; j++) {
			const char *text;
			size_t l = cell_width(t, o, &r->cells[t->sel[cols[j]]], hexw[cols[j]], buf,
					      sizeof(buf), &text);
			if (l > width[j])
				width[j] = l;
		}
	/* lines are built whole, one after the other, and written 64 KiB at a time; what the
	 * loop asks of each column is looked up once */
	size_t cap = 1;
	bool right[64], tree[64];
	const struct col_def *def[64];
	size_t at[64];
	for (size_t j = 0; j < n; j++) {
		cap += width[j] + 1;
		at[j] = t->sel[cols[j]];
		def[j] = &t->defs[at[j]];
		right[j] = def[j]->flags & COLF_RIGHT;
		tree[j] = def[j]->flags & COLF_TREE;
	}
	size_t size = cap * 2 > 64 * 1024 ? cap * 2 : 64 * 1024, used = 0;
	char *out = malloc(size);
	if (!out)
		return -ENOMEM;
	/* the buffer is blanks until a cell is written into it: no padding is written, a cell
	 * goes where its column starts (or ends, right-aligned), and blanks come back over
	 * what was written when the buffer is emptied */
	memset(out, ' ', size);
	size_t start[64], namelen[64];
	for (size_t j = 0, at_col = 0; j < n; at_col += width[j] + 1, j++) {
		start[j] = at_col;
		namelen[j] = strlen(def[j]->name);
	}
	struct rows it;
	rows_begin(&it, t);
	for (bool heading = !o->noheadings;; heading = false) {
		const struct trow *r = heading ? NULL : rows_next(&it); /* NULL: the heading */
		if (!heading && !r)
			break;
		if (size - used < cap) {
			fwrite(out, 1, used, o->fp);
			memset(out, ' ', used);
			used = 0;
		}
		/* the line ends after the last cell that holds data, as libsmartcols ends it, but
		 * never before its tree column (print.c is_next_columns_empty()): an empty name
		 * still gets the blank before it */
		char *line = out + used;
		size_t end = 0;
		for (size_t j = 0; j < n; j++) {
			const char *text = def[j]->name;
			size_t len = namelen[j];
			if (r)
				len = cell_view(t, o, &r->cells[at[j]], hexw[cols[j]], buf,
						sizeof(buf), &text);
			size_t from = right[j] ? start[j] + width[j] - len : start[j];
			memcpy(line + from, text, len);
			if (len || tree[j])
				end = from + len;
		}
		line[end++] = '\n';
		used += end;
	}
	fwrite(out, 1, used, o->fp);
	free(out);
	int e = rows_end(&it);
	return e ? e : ferror(o->fp) ? -EIO : 0;
}

