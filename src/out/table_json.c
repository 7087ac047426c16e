/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tables as JSON, written row by row through the streaming writer: an array of objects (a
 * long table read back from its spool one segment at a time), an object keyed by each row's
 * key, or one flat object; "a.b" keys nest b in an object a, COLF_LIST columns of one key form
 * an array, and children become "children" or, with table_json_child_lists(), arrays on the
 * parent. A cell never set is absent; a null cell is null. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "out/table_int.h"

static void cell_json(struct jw *w, const struct table *t, const char *key, const struct cell *c)
{
	char b[40];
	if (!c->set || c->null) {
		jw_null(w, key);
		return;
	}
	if (c->wide && (c->type == COL_SIZE || c->type == COL_COUNT || c->type == COL_HEX ||
			c->type == COL_DELTA)) {
		jw_word(w, key, c->u, c->type == COL_DELTA && (int64_t)c->u < 0);
		return;
	}
	switch ((enum col_type)c->type) {
	case COL_STR:
		jw_str(w, key, cell_str(t, c));
		return;
	case COL_ADDR:
		jw_word(w, key, c->u, false);
		return;
	case COL_SIZE:
	case COL_COUNT:
	case COL_HEX:
		jw_u64(w, key, c->u);
		return;
	case COL_PERCENT: /* two decimals, never the locale's comma */
		snprintf(b, sizeof(b), "%" PRIu64 ".%02" PRIu64, c->u / 100, c->u % 100);
		jw_number(w, key, b);
		return;
	case COL_INDEX:
		snprintf(b, sizeof(b), "%" PRIu64 ".%03" PRIu64, c->u / 1000, c->u % 1000);
		jw_number(w, key, b);
		return;
	case COL_DELTA:
	case COL_SIZE_DELTA:
		jw_i64(w, key, (int64_t)c->u);
		return;
	case COL_BOOL:
		jw_bool(w, key, c->u != 0);
		return;
	}
}

/* Column k of the selection goes into a row's JSON object. */
static bool col_json(const struct table *t, size_t k)
{
	const struct col_def *d = &t->defs[t->sel[k]];
	return d->key && col_show(d) != SHOW_TEXT;
}

/* The first column of the selection with a set cell whose key starts with @prefix (@n bytes)
 * followed by @name (@len bytes) and then a dot or the end; SIZE_MAX if none. */
static size_t first_under(const struct table *t, const struct trow *r, const char *prefix,
			  size_t n, const char *name, size_t len, bool list)
{
	for (size_t k = 0; k < t->nsel; k++) {
		const struct col_def *d = &t->defs[t->sel[k]];
		if (!col_json(t, k) || !r->cells[t->sel[k]].set || strncmp(d->key, prefix, n) ||
		    strncmp(d->key + n, name, len))
			continue;
		char end = d->key[n + len];
		if (list ? end == '\0' && (d->flags & COLF_LIST) : end == '.')
			return k;
	}
	return SIZE_MAX;
}

/* Whether every member is a plain value: no "a.b" key, no COLF_LIST column. */
static bool plain_members(const struct table *t)
{
	for (size_t k = 0; k < t->nsel; k++) {
		const struct col_def *d = &t->defs[t->sel[k]];
		if (col_json(t, k) && ((d->flags & COLF_LIST) || strchr(d->key, '.')))
			return false;
	}
	return true;
}

/* The members of @r whose keys start with @prefix (@n bytes: "" or "a.b."). */
static void members(struct jw *w, const struct table *t, const struct trow *r,
		    const char *prefix, size_t n)
{
	if (t->plain) {
		/* the common case, and the long tables': no key to take apart */
		for (size_t k = 0; k < t->nsel; k++) {
			const struct cell *c = &r->cells[t->sel[k]];
			if (c->set && col_json(t, k))
				cell_json(w, t, t->defs[t->sel[k]].key, c);
		}
		return;
	}
	for (size_t k = 0; k < t->nsel; k++) {
		size_t i = t->sel[k];
		const struct col_def *d = &t->defs[i];
		const struct cell *c = &r->cells[i];
		if (!col_json(t, k) || !c->set || strncmp(d->key, prefix, n))
			continue;
		const char *rest = d->key + n, *dot = strchr(rest, '.');
		if (dot) {
			/* an object of its own, where its first member would be */
			size_t len = (size_t)(dot - rest);
			if (first_under(t, r, prefix, n, rest, len, false) != k)
				continue;
			char name[64];
			snprintf(name, sizeof(name), "%.*s", (int)len, rest);
			jw_object(w, name);
			members(w, t, r, d->key, (size_t)(dot + 1 - d->key));
			jw_end(w);
		} else if (d->flags & COLF_LIST) {
			if (first_under(t, r, prefix, n, rest, strlen(rest), true) != k)
				continue;
			jw_array(w, rest);
			for (size_t j = k; j < t->nsel; j++) {
				const struct col_def *e = &t->defs[t->sel[j]];
				if (col_json(t, j) && (e->flags & COLF_LIST) && !strcmp(e->key, d->key) &&
				    r->cells[t->sel[j]].set)
					cell_json(w, t, NULL, &r->cells[t->sel[j]]);
			}
			jw_end(w);
		} else {
			cell_json(w, t, rest, c);
		}
	}
}

static void rows_json(struct jw *w, const struct table *t, const struct trow *first);

static void row_json(struct jw *w, const struct table *t, const struct trow *r)
{
	const char *key = t->keyed ? (r->key ? r->key : "") : NULL;
	if (t->flat) {
		cell_json(w, t, key, &r->cells[t->flat_col]);
		return;
	}
	jw_object(w, key);
	members(w, t, r, "", 0);
	if (r->first && t->child_lists) {
		for (size_t k = 0; k < t->nsel; k++) {
			size_t i = t->sel[k];
			const char *ck = t->defs[i].child_key;
			const struct trow *ch = r->first;
			while (ch && !ch->cells[i].set)
				ch = ch->next;
			if (!ck || !ch)
				continue;
			jw_array(w, ck);
			for (; ch; ch = ch->next)
				if (ch->cells[i].set)
					cell_json(w, t, NULL, &ch->cells[i]);
			jw_end(w);
		}
	} else if (r->first && !t->flatten) {
		jw_array(w, "children");
		rows_json(w, t, r->first);
		jw_end(w);
	}
	jw_end(w);
	if (t->flatten)
		rows_json(w, t, r->first);
}

static void rows_json(struct jw *w, const struct table *t, const struct trow *first)
{
	for (const struct trow *r = first; r; r = r->next)
		row_json(w, t, r);
}

int json_spill(struct table *t)
{
	if (!t->json_pre) {
		if (!(t->json_pre = malloc(sizeof(*t->json_pre))))
			return -ENOMEM;
		jw_init_inside(t->json_pre, t->spool, t->measured->jw.pretty, JSON_SPLICE_DEPTH);
	}
	struct jw *w = t->json_pre;
	t->plain = plain_members(t);
	long at = ftell(t->spool);
	bool had = w->members[JSON_SPLICE_DEPTH - 1];
	for (const struct trow *r = t->first; r; r = r->next)
		row_json(w, t, r);
	jw_flush(w);
	if (at < 0 || fflush(t->spool) != 0 || ferror(t->spool)) {
		/* what was spooled before stays good; this segment is cut off */
		clearerr(t->spool);
		w->members[JSON_SPLICE_DEPTH - 1] = had;
		if (at < 0 || ftruncate(fileno(t->spool), at) != 0 || fseek(t->spool, at, SEEK_SET))
			t->err = -EIO; /* table_print() fails rather than print a part */
		return -EIO;
	}
	t->json_rows += t->mem_rows;
	return 0;
}

int print_json(struct table *t, struct out *o)
{
	struct jw *w = out_jw(o);
	t->plain = plain_members(t);
	if (t->keyed)
		jw_object(w, t->json_key);
	else
		jw_array(w, t->json_key);
	/* the rows spooled as JSON first, then those still in memory */
	if (t->json_rows) {
		int e = jw_splice(w, t->spool, JSON_SPLICE_DEPTH);
		if (e) {
			jw_end(w);
			return e;
		}
	}
	struct rows it;
	rows_begin(&it, t);
	for (const struct trow *r; (r = rows_next(&it));)
		row_json(w, t, r);
	jw_end(w);
	return rows_end(&it);
}
