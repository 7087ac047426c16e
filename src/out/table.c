/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Typed cells to libsmartcols text or json-c JSON. */
#include <errno.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "out/table.h"
#include "out/units.h"

struct cell {
	bool set;
	bool null;
	enum col_type type;
	uint64_t u;
	double d;
	char *s;
};

struct trow {
	struct cell *cells;
	char *key;
	const char *color;
	struct trow *parent, *first, *last, *next;
};

struct table {
	const struct col_def *defs;
	size_t ndefs;
	size_t *sel;
	size_t nsel;
	const char *json_key;
	bool keyed;
	bool child_lists;
	bool flat;
	size_t flat_col;
	bool text_hidden;
	bool json_hidden;
	struct trow *first, *last;
};

struct table *table_new(const struct col_def *defs, size_t ndefs, const char *json_key)
{
	struct table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->defs = defs;
	t->ndefs = ndefs;
	t->json_key = json_key;
	t->sel = calloc(ndefs, sizeof(*t->sel));
	if (!t->sel) {
		free(t);
		return NULL;
	}
	for (size_t i = 0; i < ndefs; i++)
		if (defs[i].flags & COLF_DEFAULT)
			t->sel[t->nsel++] = i;
	return t;
}

static void rows_free(struct trow *r, size_t ncells)
{
	while (r) {
		struct trow *next = r->next;
		rows_free(r->first, ncells);
		for (size_t i = 0; i < ncells; i++)
			free(r->cells[i].s);
		free(r->cells);
		free(r->key);
		free(r);
		r = next;
	}
}

void table_free(struct table *t)
{
	if (!t)
		return;
	rows_free(t->first, t->ndefs);
	free(t->sel);
	free(t);
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

void table_json_hidden(struct table *t)
{
	t->json_hidden = true;
}

void table_text_hidden(struct table *t)
{
	t->text_hidden = true;
}

struct trow *table_add(struct table *t, struct trow *parent)
{
	struct trow *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->cells = calloc(t->ndefs, sizeof(*r->cells));
	if (!r->cells) {
		free(r);
		return NULL;
	}
	for (size_t i = 0; i < t->ndefs; i++)
		r->cells[i].type = t->defs[i].type;
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
}

void trow_color(struct trow *r, const char *color)
{
	r->color = color;
}

void trow_str(struct trow *r, size_t col, const char *s)
{
	struct cell *c = &r->cells[col];
	free(c->s);
	c->s = s ? strdup(s) : NULL;
	c->set = true;
	c->null = !c->s;
}

void trow_typed(struct trow *r, size_t col, enum col_type type, uint64_t v)
{
	struct cell *c = &r->cells[col];
	c->type = type;
	c->u = v;
	c->set = true;
	c->null = false;
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
	struct cell *c = &r->cells[col];
	c->type = COL_PERCENT;
	c->d = v;
	c->set = true;
	c->null = false;
}

void trow_index(struct trow *r, size_t col, unsigned thousandths)
{
	trow_typed(r, col, COL_INDEX, thousandths);
}

void trow_delta(struct trow *r, size_t col, int64_t v)
{
	trow_typed(r, col, COL_DELTA, (uint64_t)v);
}

void trow_null(struct trow *r, size_t col)
{
	r->cells[col].set = true;
	r->cells[col].null = true;
}

/* ---- JSON ---- */

static json_object *percent_json(double d)
{
	/* two decimals, printed without the locale so "12.50" never becomes "12,50" */
	char b[32];
	long long hundredths = (long long)(d * 100.0 + (d < 0 ? -0.5 : 0.5));
	snprintf(b, sizeof(b), "%s%lld.%02lld", hundredths < 0 ? "-" : "",
		 (hundredths < 0 ? -hundredths : hundredths) / 100,
		 (hundredths < 0 ? -hundredths : hundredths) % 100);
	return json_object_new_double_s((double)hundredths / 100.0, b);
}

static json_object *cell_json(const struct cell *c)
{
	if (!c->set || c->null)
		return NULL; /* json-c prints a NULL member as null */
	switch (c->type) {
	case COL_STR:
		return json_object_new_string(c->s);
	case COL_ADDR:
		return out_json_addr(c->u);
	case COL_SIZE:
	case COL_COUNT:
		return json_object_new_uint64(c->u);
	case COL_PERCENT:
		return percent_json(c->d);
	case COL_INDEX: {
		char b[32];
		snprintf(b, sizeof(b), "%" PRIu64 ".%03" PRIu64, c->u / 1000, c->u % 1000);
		return json_object_new_double_s((double)c->u / 1000.0, b);
	}
	case COL_DELTA:
		return json_object_new_int64((int64_t)c->u);
	}
	return NULL;
}

/* The object that holds @key ("a.b" -> the object "a" in @obj, made on first use), and the
 * last part of the key. */
static json_object *key_parent(json_object *obj, const char *key, const char **leaf)
{
	const char *dot = strchr(key, '.');
	if (!dot) {
		*leaf = key;
		return obj;
	}
	char head[64];
	snprintf(head, sizeof(head), "%.*s", (int)(dot - key), key);
	json_object *sub;
	if (!json_object_object_get_ex(obj, head, &sub)) {
		sub = json_object_new_object();
		json_object_object_add(obj, head, sub);
	}
	return key_parent(sub, dot + 1, leaf);
}

/* Add @v under @key, or append it to the array there when @list. */
static void json_put(json_object *obj, const char *key, json_object *v, bool list)
{
	const char *leaf;
	json_object *parent = key_parent(obj, key, &leaf);
	if (!list) {
		json_object_object_add(parent, leaf, v);
		return;
	}
	json_object *arr;
	if (!json_object_object_get_ex(parent, leaf, &arr)) {
		arr = json_object_new_array();
		json_object_object_add(parent, leaf, arr);
	}
	json_object_array_add(arr, v);
}

static json_object *rows_json(const struct table *t, const struct trow *first)
{
	json_object *container = t->keyed ? json_object_new_object() : json_object_new_array();
	for (const struct trow *r = first; r; r = r->next) {
		if (t->flat) {
			json_object_object_add(container, r->key ? r->key : "",
					       cell_json(&r->cells[t->flat_col]));
			continue;
		}
		json_object *obj = json_object_new_object();
		for (size_t k = 0; k < t->nsel; k++) {
			size_t i = t->sel[k];
			const struct cell *c = &r->cells[i];
			const struct col_def *d = &t->defs[i];
			if (!c->set || !d->key || (d->flags & COLF_NOJSON))
				continue; /* a cell never set is absent, not null */
			json_put(obj, d->key, cell_json(c), d->flags & COLF_LIST);
		}
		if (r->first && t->child_lists) {
			for (const struct trow *ch = r->first; ch; ch = ch->next)
				for (size_t k = 0; k < t->nsel; k++) {
					size_t i = t->sel[k];
					if (t->defs[i].child_key && ch->cells[i].set)
						json_put(obj, t->defs[i].child_key,
							 cell_json(&ch->cells[i]), true);
				}
		} else if (r->first) {
			json_object_object_add(obj, "children", rows_json(t, r->first));
		}
		if (t->keyed)
			json_object_object_add(container, r->key ? r->key : "", obj);
		else
			json_object_array_add(container, obj);
	}
	return container;
}

/* ---- text ---- */

static void cell_text(const struct table *t, const struct out *o, const struct cell *c,
		      int hexw, char *buf, size_t size)
{
	if (!c->set) {
		buf[0] = '\0';
		return;
	}
	if (c->null) {
		snprintf(buf, size, "-");
		return;
	}
	switch (c->type) {
	case COL_STR:
		/* libsmartcols escapes control bytes, C1 codes and invalid UTF-8 as \xHH itself
		 * (and blanks too in raw mode, as util-linux does): escaping here would double it */
		snprintf(buf, size, "%s", c->s);
		break;
	case COL_ADDR:
		snprintf(buf, size, "0x%0*" PRIx64, o->raw ? 16 : hexw, c->u);
		break;
	case COL_SIZE:
		out_size_text(o, c->u, buf, size);
		break;
	case COL_COUNT:
		snprintf(buf, size, "%" PRIu64, c->u);
		break;
	case COL_PERCENT: {
		long long h = (long long)(c->d * 10.0 + 0.5);
		snprintf(buf, size, "%lld.%lld%%", h / 10, h % 10);
		break;
	}
	case COL_INDEX:
		snprintf(buf, size, "%" PRIu64 ".%03" PRIu64, c->u / 1000, c->u % 1000);
		break;
	case COL_DELTA:
		snprintf(buf, size, (int64_t)c->u > 0 ? "+%" PRId64 : "%" PRId64, (int64_t)c->u);
		break;
	}
	(void)t;
}

static int max_hexw(const struct trow *r, size_t col)
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

static int rows_text(const struct table *t, const struct out *o, struct libscols_table *tb,
		     const struct trow *first, struct libscols_line *parent, const int *hexw)
{
	char buf[4096];
	for (const struct trow *r = first; r; r = r->next) {
		struct libscols_line *ln = scols_table_new_line(tb, parent);
		if (!ln)
			return -ENOMEM;
		for (size_t k = 0, col = 0; k < t->nsel; k++) {
			size_t i = t->sel[k];
			if (t->defs[i].flags & COLF_JSONONLY)
				continue;
			cell_text(t, o, &r->cells[i], hexw[k], buf, sizeof(buf));
			if (scols_line_set_data(ln, col++, buf) != 0)
				return -ENOMEM;
		}
		if (r->color && o->color)
			scols_line_set_color(ln, r->color);
		int e = rows_text(t, o, tb, r->first, ln, hexw);
		if (e)
			return e;
	}
	return 0;
}

int table_print(struct table *t, struct out *o, json_object *parent)
{
	if (o->json && t->json_hidden)
		return 0;
	if (o->json) {
		json_object_object_add(parent ? parent : o->root, t->json_key,
				       rows_json(t, t->first));
		return 0;
	}
	if (t->text_hidden)
		return 0;
	struct libscols_table *tb = scols_new_table();
	if (!tb)
		return -ENOMEM;
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	scols_table_enable_colors(tb, o->color);
	scols_table_enable_minout(tb, 1); /* no padding after the last cell */
	scols_table_set_stream(tb, o->fp);
	int hexw[64];
	int ret = 0;
	for (size_t k = 0; k < t->nsel && k < 64; k++) {
		const struct col_def *d = &t->defs[t->sel[k]];
		if (d->flags & COLF_JSONONLY)
			continue;
		int fl = 0;
		/* raw output is for scripts: one line per row, no tree art (as lsblk -r) */
		if ((d->flags & COLF_TREE) && !o->raw)
			fl |= SCOLS_FL_TREE;
		if (d->flags & COLF_RIGHT)
			fl |= SCOLS_FL_RIGHT;
		if (d->flags & COLF_TRUNC)
			fl |= SCOLS_FL_TRUNC;
		if (!scols_table_new_column(tb, d->name, 0, fl)) {
			ret = -ENOMEM;
			goto out;
		}
		hexw[k] = max_hexw(t->first, t->sel[k]);
	}
	ret = rows_text(t, o, tb, t->first, NULL, hexw);
	if (ret == 0 && scols_print_table(tb) != 0)
		ret = -EIO;
out:
	scols_unref_table(tb);
	return ret;
}

void table_columns_help(const struct col_def *defs, size_t ndefs, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ndefs && o < size; i++)
		if (!(defs[i].flags & COLF_JSONONLY))
			o += (size_t)snprintf(buf + o, size - o, "  %-10s %s%s\n", defs[i].name, defs[i].help,
				      defs[i].flags & COLF_DEFAULT ? "" : " (not shown by default)");
}
