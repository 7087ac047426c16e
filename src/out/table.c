/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tables: typed cells set once, rendered as text (table_text.c, table_scols.c) or JSON
 * (table_json.c) from the one row store (rows.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/units.h"
#include "out/table_int.h"

struct table *table_new(const struct col_def *defs, size_t ndefs, const char *json_key)
{
	struct table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->defs = defs;
	t->ndefs = ndefs;
	t->json_key = json_key;
	t->sel = calloc(ndefs, sizeof(*t->sel));
	t->addr_col = calloc(ndefs, sizeof(*t->addr_col));
	t->blank = calloc(ndefs ? ndefs : 1, sizeof(*t->blank));
	t->sink = calloc(1, sizeof(*t->sink) + ndefs * sizeof(struct cell));
	if (!t->sel || !t->addr_col || !t->blank || !t->sink) {
		free(t->sel);
		free(t->addr_col);
		free(t->blank);
		free(t->sink);
		free(t);
		return NULL;
	}
	t->sink->cells = (struct cell *)(t->sink + 1);
	t->sink->table = t;
	for (size_t i = 0; i < ndefs; i++) {
		t->blank[i].type = (uint8_t)defs[i].type;
		t->blank[i].wide = defs[i].flags & COLF_WIDE;
	}
	for (size_t i = 0; i < ndefs; i++)
		if (defs[i].flags & COLF_DEFAULT)
			t->sel[t->nsel++] = i;
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	rows_release(t);
	free(t->sel);
	free(t->addr_col);
	free(t->twidth);
	free(t->addr_max);
	free(t->blank);
	free(t->sink->key);
	free(t->sink);
	free(t);
}

int table_measure(struct table *t, const struct out *o)
{
	t->twidth = calloc(t->ndefs, sizeof(*t->twidth));
	t->addr_max = calloc(t->ndefs, sizeof(*t->addr_max));
	if (!t->twidth || !t->addr_max)
		return -ENOMEM;
	t->measured = o;
	return 0;
}

int table_select(struct table *t, const char *spec, struct ms_error *err)
{
	if (!spec)
		return 0;
	bool add = spec[0] == '+';
	if (add)
		spec++;
	size_t n = add ? t->nsel : 0;
	const char *p = spec;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		size_t i;
		for (i = 0; i < t->ndefs; i++)
			if (strlen(t->defs[i].name) == len && strncasecmp(t->defs[i].name, p, len) == 0)
				break;
		if (i == t->ndefs)
			return ms_fail(err, -EINVAL, NULL, 0, "unknown column '%.*s'", (int)len, p);
		if (n == t->ndefs)
			return ms_fail(err, -EINVAL, NULL, 0, "too many columns in '%s'", spec);
		t->sel[n++] = i;
		p += len;
		if (*p == ',')
			p++;
	}
	if (n == 0)
		return ms_fail(err, -EINVAL, NULL, 0, "no columns in -o");
	t->nsel = n;
	return 0;
}

int col_lookup(const struct col_def *defs, size_t ndefs, const char *name)
{
	for (size_t i = 0; i < ndefs; i++)
		if (!strcasecmp(defs[i].name, name) || (defs[i].key && !strcasecmp(defs[i].key, name)))
			return (int)i;
	return -1;
}

void cols_shown(const struct col_def *defs, size_t ndefs, const char *spec, const char *sort,
		bool *shown)
{
	for (size_t c = 0; c < ndefs; c++)
		shown[c] = (defs[c].flags & COLF_DEFAULT) && !(spec && spec[0] != '+');
	char *copy = spec ? strdup(spec + (spec[0] == '+')) : NULL;
	for (char *save, *t = copy ? strtok_r(copy, ",", &save) : NULL; t;
	     t = strtok_r(NULL, ",", &save))
		if (col_lookup(defs, ndefs, t) >= 0)
			shown[col_lookup(defs, ndefs, t)] = true;
	free(copy);
	if (sort && col_lookup(defs, ndefs, sort) >= 0)
		shown[col_lookup(defs, ndefs, sort)] = true;
}

void table_json_keyed(struct table *t)
{
	t->keyed = true;
}

void table_json_flat(struct table *t, size_t col)
{
	t->keyed = true;
	t->flat = true;
	t->flat_col = col;
}

void table_json_child_lists(struct table *t)
{
	t->child_lists = true;
}

void table_json_flatten(struct table *t)
{
	t->flatten = true;
}

void table_show(struct table *t, enum show s)
{
	t->show = s;
}

void table_spool(struct table *t)
{
	t->spool_on = true;
}

struct trow *table_add(struct table *t, struct trow *parent)
{
	if (t->err || parent == t->sink)
		return t->sink;
	if (!parent && rows_full(t))
		rows_spill(t);
	struct trow *r = rows_new(t);
	if (!r) {
		t->err = -ENOMEM;
		return t->sink;
	}
	t->mem_rows += !parent;
	memcpy(r->cells, t->blank, t->ndefs * sizeof(*r->cells)); /* one copy, not a loop a row */
	r->parent = parent;
	struct trow **first = parent ? &parent->first : &t->first;
	struct trow **last = parent ? &parent->last : &t->last;
	if (*last)
		(*last)->next = r;
	else
		*first = r;
	*last = r;
	return r;
}

void trow_key(struct trow *r, const char *key)
{
	free(r->key);
	r->key = strdup(key);
	if (!r->key)
		r->table->err = -ENOMEM;
}

void trow_color(struct trow *r, const char *color)
{
	/* a colour is a static string of the command's: rows keep its index, so a spooled row
	 * holds no pointer */
	struct table *t = r->table;
	size_t i;
	for (i = 1; i <= t->ncolors; i++)
		if (t->colors[i] == color)
			break;
	if (i > t->ncolors) {
		if (t->ncolors + 1 == TABLE_COLORS)
			return;
		t->colors[++t->ncolors] = color;
	}
	r->color = (uint8_t)i;
}

/* Before a cell is set: setting it twice makes its measured width unsure. */
static struct cell *cell_for(struct trow *r, size_t col)
{
	struct cell *c = &r->cells[col];
	if (c->set)
		r->table->remeasure = true;
	return c;
}

void trow_str(struct trow *r, size_t col, const char *s)
{
	struct table *t = r->table;
	if (r == t->sink)
		return; /* a lost row keeps nothing: the strings stay as they were */
	struct cell *c = cell_for(r, col);
	c->set = true;
	c->null = !s;
	if (!s) {
		measure(t, col, c);
		return;
	}
	if (strings_append(t, s, strlen(s) + 1, &c->u)) {
		c->null = true;
		t->err = -ENOMEM; /* the table will not print */
	}
	measure(t, col, c);
}

void trow_typed(struct trow *r, size_t col, enum col_type type, uint64_t v)
{
	struct cell *c = cell_for(r, col);
	if (type == COL_ADDR)
		r->table->addr_col[col] = true;
	c->type = (uint8_t)type;
	c->u = v;
	c->set = true;
	c->null = false;
	measure(r->table, col, c);
}

void trow_addr(struct trow *r, size_t col, uint64_t v)
{
	trow_typed(r, col, COL_ADDR, v);
}

void trow_size(struct trow *r, size_t col, uint64_t v)
{
	trow_typed(r, col, COL_SIZE, v);
}

void trow_count(struct trow *r, size_t col, uint64_t v)
{
	trow_typed(r, col, COL_COUNT, v);
}

void trow_percent(struct trow *r, size_t col, double v)
{
	/* kept in hundredths: printed without the locale, "12.50" never "12,50" */
	trow_typed(r, col, COL_PERCENT, (uint64_t)(v < 0 ? 0 : v * 100.0 + 0.5));
}

void trow_index(struct trow *r, size_t col, unsigned thousandths)
{
	trow_typed(r, col, COL_INDEX, thousandths);
}

void trow_delta(struct trow *r, size_t col, int64_t v)
{
	trow_typed(r, col, COL_DELTA, (uint64_t)v);
}

void trow_size_delta(struct trow *r, size_t col, int64_t v)
{
	trow_typed(r, col, COL_SIZE_DELTA, (uint64_t)v);
}

void trow_bool(struct trow *r, size_t col, bool v)
{
	trow_typed(r, col, COL_BOOL, v);
}

void trow_wide(struct trow *r, size_t col)
{
	r->cells[col].wide = true;
}

void trow_null(struct trow *r, size_t col)
{
	struct cell *c = cell_for(r, col);
	c->set = true;
	c->null = true;
	measure(r->table, col, c);
}

int table_error(const struct table *t)
{
	return t->err;
}

int table_print(struct table *t, struct out *o)
{
	if (t->err)
		return t->err;
	if (!out_shows(o, t->show))
		return 0;
	if (o->json)
		return print_json(t, o);
	/* one width for every address of the table, the widest of any column, as lsmem pads
	 * START and END alike: a range reads as two numbers of the same length */
	int hexw[64], addrw = 8;
	for (size_t k = 0; k < t->nsel && k < 64; k++) {
		size_t i = t->sel[k];
		int w = !t->addr_col[i]	       ? 8
			: measured_for(t, o) ? units_hex_width(t->addr_max[i])
					     : max_hexw(t->first, i);
		if (w > addrw)
			addrw = w;
	}
	for (size_t k = 0; k < t->nsel && k < 64; k++)
		hexw[k] = t->addr_col[t->sel[k]] ? addrw : 8;
	/* only the direct writer reads a spool as it goes */
	if (direct_text(t, o) && (measured_for(t, o) || !t->spooled))
		return print_direct(t, o, hexw);
	int e = rows_unspool(t);
	return e ? e : print_scols(t, o, hexw);
}

void table_columns_help(const struct col_def *defs, size_t ndefs, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ndefs && o < size; i++)
		if (col_show(&defs[i]) != SHOW_JSON)
			o += (size_t)snprintf(buf + o, size - o, "  %-10s %s%s\n", defs[i].name, defs[i].help,
				      defs[i].flags & COLF_DEFAULT ? "" : " (not shown by default)");
}
