/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Typed cells to libsmartcols text or json-c JSON. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/printbuf.h>
#include <langinfo.h>
#include <limits.h>
#include <libsmartcols.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "lib/escape.h"
#include "out/table.h"
#include "lib/units.h"

struct cell {
	uint64_t u; /* the value; COL_STR: offset in the string arena; COL_PERCENT: hundredths */
	uint8_t type;
	bool set, null;
	bool wide; /* JSON as a "0x" string (COLF_WIDE, trow_wide()) */
};

struct trow {
	struct table *table;
	struct cell *cells;
	char *key;
	const char *color;
	struct trow *parent, *first, *last, *next;
};

/* Rows and strings come from a few large blocks, not one malloc per cell: a table of 60 000
 * mappings must not cost a million small allocations. */
struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

struct table {
	const struct col_def *defs;
	size_t ndefs;
	size_t *sel;
	size_t nsel;
	bool *addr_col; /* a column with an address in it: only those need max_hexw() */
	/* table_measure(): text widths kept as cells are set, so a large table is formatted once */
	const struct out *measured;
	size_t *twidth;	    /* per column: the widest text of a cell that is not an address */
	uint64_t *addr_max; /* per column: the largest address */
	bool nonascii;	    /* a string the direct writer leaves to libsmartcols */
	bool remeasure;	    /* a cell was set twice: its old width may be too wide */
	const char *json_key;
	bool keyed;
	bool child_lists;
	bool flat;
	size_t flat_col;
	bool text_hidden;
	bool json_hidden;
	struct trow *first, *last;
	struct block *blocks;
	char *strings; /* arena of string cells, NUL-terminated each */
	size_t strings_len, strings_cap;
	int refs; /* the caller's, and a streamed JSON node's */
	int flags; /* json-c flags while streaming */
	/* table_spool(): full segments of rows written out, read back once when printed */
	bool spool_on;
	FILE *spool;
	size_t mem_rows; /* top-level rows in memory */
	size_t spooled;	 /* rows in the spool */
	struct out *json_out; /* a streamed node's output: rows go to o->direct when it is set */
	int spool_err;	      /* the spool lost rows (a write failed and could not be undone) */
};

/* table_spool(): a segment is this many rows, then their strings */
#define SPOOL_ROWS 2048
struct spool_head {
	size_t rows, strings;
};

static void *table_alloc(struct table *t, size_t size)
{
	size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct block *b = t->blocks;
	if (!b || b->size - b->used < size) {
		size_t bs = size > 256 * 1024 ? size : 256 * 1024;
		b = malloc(sizeof(*b) + bs);
		if (!b)
			return NULL;
		b->next = t->blocks;
		b->used = 0;
		b->size = bs;
		t->blocks = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

static const char *cell_str(const struct table *t, const struct cell *c)
{
	return t->strings + c->u;
}

/* Copy @len bytes to the end of the string arena; their offset in *@off. 0 or -ENOMEM. */
static int strings_append(struct table *t, const char *s, size_t len, uint64_t *off)
{
	if (t->strings_len + len > t->strings_cap) {
		size_t cap = t->strings_cap ? t->strings_cap * 2 : 64 * 1024;
		while (cap < t->strings_len + len)
			cap *= 2;
		char *n = realloc(t->strings, cap);
		if (!n)
			return -ENOMEM;
		t->strings = n;
		t->strings_cap = cap;
	}
	memcpy(t->strings + t->strings_len, s, len);
	*off = t->strings_len;
	t->strings_len += len;
	return 0;
}

/* A row's memory, its cells right after it, all zero. */
static struct trow *row_new(struct table *t)
{
	struct trow *r = table_alloc(t, sizeof(*r) + t->ndefs * sizeof(struct cell));
	if (r) {
		r->cells = (struct cell *)(r + 1);
		r->table = t;
	}
	return r;
}

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
	if (!t->sel || !t->addr_col) {
		free(t->sel);
		free(t->addr_col);
		free(t);
		return NULL;
	}
	for (size_t i = 0; i < ndefs; i++)
		if (defs[i].flags & COLF_DEFAULT)
			t->sel[t->nsel++] = i;
	t->refs = 1;
	return t;
}

static void rows_free(struct trow *r)
{
	for (; r; r = r->next) {
		rows_free(r->first);
		free(r->key);
	}
}

void table_free(struct table *t)
{
	if (!t || --t->refs > 0)
		return;
	rows_free(t->first);
	while (t->blocks) {
		struct block *b = t->blocks;
		t->blocks = b->next;
		free(b);
	}
	free(t->strings);
	free(t->sel);
	free(t->addr_col);
	free(t->twidth);
	free(t->addr_max);
	if (t->spool)
		fclose(t->spool);
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

/* ---- spooling ----
 * A table of 60 000 mappings is 17 MiB of rows, kept only to learn the column widths before
 * the first line is printed. With table_spool() (and table_measure(), which learns the widths
 * as cells are set), full segments of SPOOL_ROWS rows go to an unlinked file in $TMPDIR, as
 * sort(1) spills, and are read back one segment at a time when printed: memory stays flat
 * however long the table. A segment is a spool_head, then per row its colour pointer (static
 * strings, this process only) and its cells, then the strings the cells point into. */

void table_spool(struct table *t)
{
	t->spool_on = true;
}

static FILE *spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) { /* a file system without O_TMPFILE */
		char path[4096];
		snprintf(path, sizeof(path), "%s/memscope-XXXXXX", dir);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w+");
	if (!f && fd >= 0)
		close(fd);
	return f;
}

static size_t spool_row_size(const struct table *t)
{
	return sizeof(const char *) + t->ndefs * sizeof(struct cell);
}

/* Write the rows in memory out as one segment and start afresh. Any failure (no temporary
 * directory, a full disk) just keeps the rows in memory from then on. */
static void spool_flush(struct table *t)
{
	if (!t->measured || t->remeasure || t->keyed || t->flat || t->child_lists)
		goto off;
	for (const struct trow *r = t->first; r; r = r->next)
		if (r->first || r->key)
			goto off;
	if (!t->spool && !(t->spool = spool_open()))
		goto off;
	long at = ftell(t->spool);
	struct spool_head h = {t->mem_rows, t->strings_len};
	fwrite(&h, sizeof(h), 1, t->spool);
	for (const struct trow *r = t->first; r; r = r->next) {
		fwrite(&r->color, sizeof(r->color), 1, t->spool);
		fwrite(r->cells, sizeof(struct cell), t->ndefs, t->spool);
	}
	fwrite(t->strings, 1, t->strings_len, t->spool);
	if (at < 0 || fflush(t->spool) != 0 || ferror(t->spool)) {
		/* what was spooled before stays good; this segment is cut off */
		clearerr(t->spool);
		if (at < 0 || ftruncate(fileno(t->spool), at) != 0 || fseek(t->spool, at, SEEK_SET))
			t->spool_err = -EIO; /* table_print() fails rather than print a part */
		goto off;
	}
	t->spooled += t->mem_rows;
	/* keep the newest block for the next rows, free the others */
	struct block *keep = t->blocks;
	while (keep && keep->next) {
		struct block *b = keep->next;
		keep->next = b->next;
		free(b);
	}
	if (keep)
		keep->used = 0;
	t->first = t->last = NULL;
	t->mem_rows = 0;
	t->strings_len = 0;
	return;
off:
	t->spool_on = false;
}

/* The rows of a table, spooled ones first, one at a time. While a spooled segment is read,
 * t->strings points into it, so the cell functions work unchanged; rows_end() puts it back. */
struct rows {
	struct table *t;
	char *arena; /* the table's own strings */
	char *seg;
	size_t cap, n, nstr, i;
	bool in_mem;
	const struct trow *mem;
	struct trow row;
	int err;
};

static void rows_begin(struct rows *it, const struct table *ct)
{
	struct table *t = (struct table *)ct; /* only t->strings changes, and is restored */
	*it = (struct rows){.t = t, .arena = t->strings, .in_mem = !t->spooled, .mem = t->first};
	if (t->spooled && (fflush(t->spool) != 0 || fseek(t->spool, 0, SEEK_SET) != 0)) {
		it->err = -errno;
		it->in_mem = true;
		it->mem = NULL;
	}
	it->row.table = t;
}

/* Read the next segment; false at the end of the spool or on error (it->err). */
static bool rows_segment(struct rows *it)
{
	struct table *t = it->t;
	struct spool_head h;
	if (fread(&h, sizeof(h), 1, t->spool) != 1)
		return false; /* the end: segments were written whole */
	size_t rowbytes = h.rows * spool_row_size(t), need = rowbytes + h.strings + 1;
	if (need > it->cap) {
		char *p = realloc(it->seg, need);
		if (!p) {
			it->err = -ENOMEM;
			return false;
		}
		it->seg = p;
		it->cap = need;
	}
	if (fread(it->seg, 1, need - 1, t->spool) != need - 1) {
		it->err = ferror(t->spool) ? -EIO : -ENODATA;
		return false;
	}
	it->seg[need - 1] = '\0';
	t->strings = it->seg + rowbytes;
	it->n = h.rows;
	it->nstr = h.strings;
	it->i = 0;
	return true;
}

static const struct trow *rows_next(struct rows *it)
{
	while (!it->in_mem) {
		if (it->i < it->n) {
			char *p = it->seg + it->i++ * spool_row_size(it->t);
			memcpy(&it->row.color, p, sizeof(it->row.color));
			it->row.cells = (struct cell *)(p + sizeof(const char *));
			return &it->row;
		}
		if (!rows_segment(it)) {
			it->in_mem = true;
			it->t->strings = it->arena;
			if (it->err)
				return NULL;
		}
	}
	const struct trow *r = it->mem;
	if (r)
		it->mem = r->next;
	return r;
}

static int rows_end(struct rows *it)
{
	it->t->strings = it->arena;
	free(it->seg);
	return it->err;
}

/* Read every spooled row back into memory, before the rows there: for the printers that need
 * them all at once (libsmartcols, json-c objects). */
static int table_unspool(struct table *t)
{
	if (!t->spooled)
		return 0;
	struct rows it;
	rows_begin(&it, t);
	struct trow *first = NULL, *last = NULL;
	while (!it.err && rows_segment(&it)) {
		/* the segment's strings join the arena; its cells' offsets move by as much */
		const char *strs = t->strings;
		uint64_t base;
		t->strings = it.arena;
		it.err = strings_append(t, strs, it.nstr, &base);
		it.arena = t->strings;
		for (size_t i = 0; i < it.n && !it.err; i++) {
			const char *p = it.seg + i * spool_row_size(t);
			struct trow *r = row_new(t);
			if (!r) {
				it.err = -ENOMEM;
				break;
			}
			memcpy(&r->color, p, sizeof(r->color));
			memcpy(r->cells, p + sizeof(const char *), t->ndefs * sizeof(struct cell));
			for (size_t k = 0; k < t->ndefs; k++)
				if (r->cells[k].set && !r->cells[k].null && r->cells[k].type == COL_STR)
					r->cells[k].u += base;
			if (last)
				last->next = r;
			else
				first = r;
			last = r;
		}
	}
	int e = rows_end(&it);
	if (e)
		return e;
	if (last) {
		last->next = t->first;
		if (!t->first)
			t->last = last;
		t->first = first;
	}
	t->mem_rows += t->spooled;
	t->spooled = 0;
	t->spool_on = false;
	fclose(t->spool);
	t->spool = NULL;
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

static void spool_flush(struct table *t);

struct trow *table_add(struct table *t, struct trow *parent)
{
	if (!parent && t->spool_on && t->mem_rows >= SPOOL_ROWS)
		spool_flush(t);
	struct trow *r = row_new(t);
	if (!r)
		return NULL;
	t->mem_rows += !parent;
	for (size_t i = 0; i < t->ndefs; i++) {
		r->cells[i].type = (uint8_t)t->defs[i].type;
		r->cells[i].wide = t->defs[i].flags & COLF_WIDE;
	}
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

static void measure(struct table *t, size_t col, const struct cell *c);

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
	struct cell *c = cell_for(r, col);
	struct table *t = r->table;
	c->set = true;
	c->null = !s;
	if (!s) {
		measure(t, col, c);
		return;
	}
	if (strings_append(t, s, strlen(s) + 1, &c->u))
		c->null = true; /* out of memory: shown as unknown, never as garbage */
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
	struct cell *c = cell_for(r, col);
	c->type = (uint8_t)COL_PERCENT;
	c->u = (uint64_t)(v < 0 ? 0 : v * 100.0 + 0.5);
	c->set = true;
	c->null = false;
	measure(r->table, col, c);
}

void trow_index(struct trow *r, size_t col, unsigned thousandths)
{
	trow_typed(r, col, COL_INDEX, thousandths);
}

void trow_delta(struct trow *r, size_t col, int64_t v)
{
	trow_typed(r, col, COL_DELTA, (uint64_t)v);
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

/* A wide integer's JSON text: "0x" + 16 hex digits, "-0x..." for a negative delta, quoted. */
static size_t wide_json(const struct cell *c, char *b, size_t size)
{
	bool neg = c->type == COL_DELTA && (int64_t)c->u < 0;
	b[0] = '"';
	if (neg)
		b[1] = '-';
	units_addr_json(neg ? -c->u : c->u, b + 1 + neg, size - 2 - neg);
	size_t n = strlen(b);
	b[n++] = '"';
	b[n] = '\0';
	return n;
}

static json_object *cell_json(const struct table *t, const struct cell *c)
{
	if (!c->set || c->null)
		return NULL; /* json-c prints a NULL member as null */
	if (c->wide && (c->type == COL_SIZE || c->type == COL_COUNT || c->type == COL_HEX ||
			 c->type == COL_DELTA)) {
		char b[32];
		size_t n = wide_json(c, b, sizeof(b));
		b[n - 1] = '\0';
		return json_object_new_string(b + 1);
	}
	switch ((enum col_type)c->type) {
	case COL_STR: {
		/* JSON is UTF-8: a name with invalid bytes (a hostile file name) would break it */
		const char *raw = cell_str(t, c);
		char *v = utf8_valid(raw);
		json_object *j = json_object_new_string(v ? v : "");
		if (v != raw)
			free(v);
		return j;
	}
	case COL_ADDR:
		return out_json_addr(c->u);
	case COL_SIZE:
	case COL_COUNT:
	case COL_HEX:
		return json_object_new_uint64(c->u);
	case COL_PERCENT:
		return percent_json((double)c->u / 100.0);
	case COL_INDEX: {
		char b[32];
		snprintf(b, sizeof(b), "%" PRIu64 ".%03" PRIu64, c->u / 1000, c->u % 1000);
		return json_object_new_double_s((double)c->u / 1000.0, b);
	}
	case COL_DELTA:
		return json_object_new_int64((int64_t)c->u);
	case COL_BOOL:
		return json_object_new_boolean(c->u != 0);
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
					       cell_json(t, &r->cells[t->flat_col]));
			continue;
		}
		json_object *obj = json_object_new_object();
		for (size_t k = 0; k < t->nsel; k++) {
			size_t i = t->sel[k];
			const struct cell *c = &r->cells[i];
			const struct col_def *d = &t->defs[i];
			if (!c->set || !d->key || (d->flags & COLF_NOJSON))
				continue; /* a cell never set is absent, not null */
			json_put(obj, d->key, cell_json(t, c), d->flags & COLF_LIST);
		}
		if (r->first && t->child_lists) {
			for (const struct trow *ch = r->first; ch; ch = ch->next)
				for (size_t k = 0; k < t->nsel; k++) {
					size_t i = t->sel[k];
					if (t->defs[i].child_key && ch->cells[i].set)
						json_put(obj, t->defs[i].child_key,
							 cell_json(t, &ch->cells[i]), true);
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

static size_t cell_text(const struct table *t, const struct out *o, const struct cell *c,
			int hexw, char *buf, size_t size)
{
	if (!c->set) {
		buf[0] = '\0';
		return 0;
	}
	if (c->null) {
		snprintf(buf, size, "-");
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
		snprintf(buf, size, "0x%" PRIx64, c->u);
		break;
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
	case COL_BOOL:
		snprintf(buf, size, "%s", c->u ? "yes" : "no");
		break;
	}
	return strlen(buf);
}

static size_t cell_view(const struct table *t, const struct out *o, const struct cell *c,
			int hexw, char *buf, size_t size, const char **text);

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
		if (fl & COLF_JSONONLY)
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
		if (d->flags & COLF_JSONONLY)
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
			if (t->defs[i].flags & COLF_JSONONLY)
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
			scols_line_set_color(ln, r->color);
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
				scols_line_set_color(more, r->color);
			rest = *next ? next : NULL;
		}
		int e = rows_text(t, o, tb, r->first, ln, hexw, f);
		if (e)
			return e;
	}
	return 0;
}


/* ---- streamed JSON for large flat tables ----
 * A flat table (an array of objects whose members are plain values) becomes one json-c node
 * whose serializer writes the rows straight from the cells when the document is printed, in the
 * same layout json-c uses (json_object.c: json_object_{array,object}_to_json_string), so a table
 * of 60 000 rows costs no million json-c objects. */

static bool library_only(void)
{
	const char *force = getenv("MEMSCOPE_TABLE");
	return force && !strcmp(force, "library");
}

static bool streamable(const struct table *t)
{
	if (t->keyed || t->flat || t->child_lists || t->nsel > 64 || library_only())
		return false;
	for (size_t k = 0; k < t->nsel; k++) {
		const struct col_def *d = &t->defs[t->sel[k]];
		if ((d->flags & COLF_LIST) || (d->key && strchr(d->key, '.')))
			return false;
	}
	for (const struct trow *r = t->first; r; r = r->next)
		if (r->first)
			return false;
	return true;
}

/* A row's JSON is built here and handed to json-c's printbuf in one append: printbuf_memappend
 * per token was most of the time of a 60 000-row document. */
struct sbuf {
	char *p;
	size_t len, cap;
	bool failed;
};

static void sb_grow(struct sbuf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + n)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		b->failed = true;
		return;
	}
	b->p = p;
	b->cap = cap;
}

static inline void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap) {
		sb_grow(b, n);
		if (b->failed)
			return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void indent(struct sbuf *b, int level, int flags)
{
	static const char blanks[] = "                                                                ";
	if (!(flags & JSON_C_TO_STRING_PRETTY))
		return;
	if (flags & JSON_C_TO_STRING_PRETTY_TAB) {
		for (int i = 0; i < level; i++)
			sb_put(b, "\t", 1);
		return;
	}
	for (size_t n = (size_t)(level > 0 ? level : 0) * 2; n;) {
		size_t k = n < sizeof(blanks) - 1 ? n : sizeof(blanks) - 1;
		sb_put(b, blanks, k);
		n -= k;
	}
}

/* JSON string escaping as json-c's json_escape_str() does it */
static void escape_json(struct sbuf *b, const char *s, int flags)
{
	static const char hex[] = "0123456789abcdef";
	sb_put(b, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		char u[7];
		switch (c) {
		case '\b': esc = "\\b"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		case '\f': esc = "\\f"; break;
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '/':
			if (!(flags & JSON_C_TO_STRING_NOSLASHESCAPE))
				esc = "\\/";
			break;
		default:
			if (c < ' ') {
				snprintf(u, sizeof(u), "\\u00%c%c", hex[c >> 4], hex[c & 15]);
				esc = u;
			}
		}
		if (!esc)
			continue;
		sb_put(b, run, (size_t)(s - run));
		sb_put(b, esc, strlen(esc));
		run = s + 1;
	}
	sb_put(b, run, (size_t)(s - run));
	sb_put(b, "\"", 1);
}

static void value_json(struct sbuf *sb, const struct table *t, const struct cell *c, int flags)
{
	char b[40];
	size_t n;
	if (!c->set || c->null) {
		sb_put(sb, "null", 4);
		return;
	}
	if (c->wide && (c->type == COL_SIZE || c->type == COL_COUNT || c->type == COL_HEX ||
			 c->type == COL_DELTA)) {
		n = wide_json(c, b, sizeof(b));
		sb_put(sb, b, n);
		return;
	}
	switch ((enum col_type)c->type) {
	case COL_STR: {
		const char *raw = cell_str(t, c);
		char *v = utf8_valid(raw);
		escape_json(sb, v ? v : "", flags);
		if (v != raw)
			free(v);
		return;
	}
	case COL_ADDR: {
		static const char hex[] = "0123456789abcdef";
		uint64_t v = c->u;
		memcpy(b, "\"0x", 3);
		for (int i = 18; i >= 3; i--, v >>= 4)
			b[i] = hex[v & 15];
		b[19] = '"';
		n = 20;
		break;
	}
	case COL_SIZE:
	case COL_COUNT:
	case COL_HEX:
		n = units_dec(c->u, b, sizeof(b));
		break;
	case COL_DELTA:
		n = (size_t)snprintf(b, sizeof(b), "%" PRId64, (int64_t)c->u);
		break;
	case COL_BOOL:
		n = (size_t)snprintf(b, sizeof(b), "%s", c->u ? "true" : "false");
		break;
	case COL_INDEX:
		n = (size_t)snprintf(b, sizeof(b), "%" PRIu64 ".%03" PRIu64, c->u / 1000,
				     c->u % 1000);
		break;
	case COL_PERCENT: {
		json_object *v = percent_json((double)c->u / 100.0);
		n = (size_t)snprintf(b, sizeof(b), "%s", json_object_to_json_string_ext(v, flags));
		json_object_put(v);
		break;
	}
	default:
		return;
	}
	sb_put(sb, b, n);
}

static int stream_rows(json_object *jso, struct printbuf *pb, int level, int flags)
{
	const struct table *t = json_object_get_userdata(jso);
	bool pretty = flags & JSON_C_TO_STRING_PRETTY;
	bool spaced = (flags & JSON_C_TO_STRING_SPACED) && !pretty;
	struct sbuf b = {0}, keys = {0};
	/* every member's "key": once, not once per row */
	size_t koff[64 + 1] = {0};
	for (size_t k = 0; k < t->nsel && k < 64; k++) {
		const struct col_def *d = &t->defs[t->sel[k]];
		if (d->key) {
			escape_json(&keys, d->key, flags);
			sb_put(&keys, (flags & JSON_C_TO_STRING_SPACED) ? ": " : ":",
			       (flags & JSON_C_TO_STRING_SPACED) ? 2 : 1);
		}
		koff[k + 1] = keys.len;
	}
	sb_put(&b, pretty ? "[\n" : "[", pretty ? 2 : 1);
	bool rows = false;
	struct rows it;
	rows_begin(&it, t);
	/* out_commit() has set o->direct: what the document holds so far can go out now */
	struct out *o = t->json_out;
	for (const struct trow *r; (r = rows_next(&it));) {
		if (rows)
			sb_put(&b, pretty ? ",\n" : ",", pretty ? 2 : 1);
		rows = true;
		if (spaced)
			sb_put(&b, " ", 1);
		indent(&b, level + 1, flags);
		sb_put(&b, pretty ? "{\n" : "{", pretty ? 2 : 1);
		bool members = false;
		for (size_t k = 0; k < t->nsel && k < 64; k++) {
			size_t i = t->sel[k];
			const struct col_def *d = &t->defs[i];
			const struct cell *c = &r->cells[i];
			if (!c->set || !d->key || (d->flags & COLF_NOJSON))
				continue;
			if (members)
				sb_put(&b, pretty ? ",\n" : ",", pretty ? 2 : 1);
			members = true;
			if (spaced)
				sb_put(&b, " ", 1);
			indent(&b, level + 2, flags);
			sb_put(&b, keys.p + koff[k], koff[k + 1] - koff[k]);
			value_json(&b, t, c, flags);
		}
		if (pretty) {
			if (members)
				sb_put(&b, "\n", 1);
			indent(&b, level + 1, flags);
		}
		sb_put(&b, spaced ? " }" : "}", spaced ? 2 : 1);
		/* one append per row: the row buffer stays small however long the table is */
		if (b.failed || keys.failed || printbuf_memappend(pb, b.p, (int)b.len) < 0) {
			free(b.p);
			free(keys.p);
			rows_end(&it);
			return -1;
		}
		b.len = 0;
		/* json-c keeps no offsets into the printbuf while it serializes, so a full one
		 * can be written out and emptied: a long table is never held whole as text */
		if (o && o->direct && pb->bpos >= 256 * 1024) {
			out_direct_write(o, pb->buf, (size_t)pb->bpos);
			printbuf_reset(pb);
		}
	}
	if (rows_end(&it)) {
		free(b.p);
		free(keys.p);
		return -1;
	}
	if (pretty) {
		if (rows)
			sb_put(&b, "\n", 1);
		indent(&b, level, flags);
	}
	sb_put(&b, spaced ? " ]" : "]", spaced ? 2 : 1);
	int ret = b.failed || printbuf_memappend(pb, b.p, (int)b.len) < 0 ? -1 : 0;
	free(b.p);
	free(keys.p);
	return ret;
}

static void stream_release(json_object *jso, void *userdata)
{
	(void)jso;
	table_free(userdata);
}

/* ---- direct text for flat ASCII tables ----
 * libsmartcols measures every cell character by character (mbrtowc, wcwidth); for a flat table
 * of plain ASCII going to a pipe or file the layout is simple and is written here directly, the
 * same as libsmartcols writes it (widths of the widest cell, one blank between columns, numbers
 * right-aligned, nothing after the last cell that holds data). Trees, terminals, colours, raw
 * output and any other byte go through libsmartcols. MEMSCOPE_TABLE=library turns both fast
 * paths off (libsmartcols text, json-c objects), for the test that compares the two. */

/* Whether the widths kept by table_measure() hold for printing to @o. */
static bool measured_for(const struct table *t, const struct out *o)
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

static bool direct_text(const struct table *t, const struct out *o)
{
	/* a terminal's table may have to give way to fit it: libsmartcols' path does that */
	if (o->raw || o->color || o->term_width || library_only())
		return false;
	for (size_t k = 0; k < t->nsel; k++)
		if ((t->defs[t->sel[k]].flags & COLF_TREE) &&
		    !(t->defs[t->sel[k]].flags & COLF_JSONONLY))
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
static size_t cell_view(const struct table *t, const struct out *o, const struct cell *c,
			int hexw, char *buf, size_t size, const char **text)
{
	if (c->set && !c->null && c->type == COL_STR) {
		*text = cell_str(t, c);
		return strlen(*text);
	}
	*text = buf;
	return cell_text(t, o, c, hexw, buf, size);
}

static size_t dec_width(uint64_t v)
{
	size_t n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void measure(struct table *t, size_t col, const struct cell *c)
{
	if (!t->measured)
		return;
	if (!c->null && c->type == COL_ADDR) {
		if (c->u > t->addr_max[col])
			t->addr_max[col] = c->u;
		return;
	}
	char buf[48];
	const char *text;
	size_t l = !c->null && c->type == COL_COUNT
			   ? dec_width(c->u)
			   : cell_view(t, t->measured, c, 8, buf, sizeof(buf), &text);
	if (!c->null && c->type == COL_STR && !plain_ascii(text))
		t->nonascii = true;
	if (l > t->twidth[col])
		t->twidth[col] = l;
}

static int print_direct(const struct table *t, const struct out *o, const int *hexw)
{
	size_t n = 0, cols[64];
	for (size_t k = 0; k < t->nsel && n < 64; k++)
		if (!(t->defs[t->sel[k]].flags & COLF_JSONONLY))
			cols[n++] = k;
	/* widths, then lines: the widths kept by table_measure() when it was asked for, else a
	 * first pass over the cells (formatting a cell twice is cheaper than keeping 60 000 rows
	 * of text, tens of MiB of page faults) */
	size_t width[64] = {0}, len[64];
	const char *text[64];
	char buf[64][48]; /* any cell but a string fits */
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
			size_t k = cols[j], l;
			const struct cell *c = &r->cells[t->sel[k]];
			/* the widths that need no formatting */
			if (c->set && !c->null && c->type == COL_ADDR && !o->raw)
				l = (size_t)hexw[k] + 2;
			else if (c->set && !c->null && c->type == COL_COUNT)
				l = dec_width(c->u);
			else
				l = cell_view(t, o, c, hexw[k], buf[0], sizeof(buf[0]), &text[0]);
			if (l > width[j])
				width[j] = l;
		}
	/* each line is built whole and written with one call */
	size_t cap = 1;
	for (size_t j = 0; j < n; j++)
		cap += width[j] + 1;
	char *line = malloc(cap);
	if (!line)
		return -ENOMEM;
	struct rows it;
	rows_begin(&it, t);
	for (bool heading = !o->noheadings;; heading = false) {
		const struct trow *r = heading ? NULL : rows_next(&it); /* NULL: the heading */
		if (!heading && !r)
			break;
		size_t last = 0, pos = 0;
		for (size_t j = 0; j < n; j++) {
			size_t k = cols[j];
			if (!r) {
				text[j] = t->defs[t->sel[k]].name;
				len[j] = strlen(text[j]);
			} else {
				len[j] = cell_view(t, o, &r->cells[t->sel[k]], hexw[k], buf[j],
						   sizeof(buf[j]), &text[j]);
			}
			/* libsmartcols ends a line after the last cell that holds data, but
			 * never before its tree column (print.c is_next_columns_empty()): an
			 * empty name still gets the blank before it */
			if (len[j] || (t->defs[t->sel[k]].flags & COLF_TREE))
				last = j + 1;
		}
		for (size_t j = 0; j < last; j++) {
			bool right = t->defs[t->sel[cols[j]]].flags & COLF_RIGHT;
			size_t fill = width[j] - len[j];
			if (j)
				line[pos++] = ' ';
			if (right) {
				memset(line + pos, ' ', fill);
				pos += fill;
			}
			memcpy(line + pos, text[j], len[j]);
			pos += len[j];
			if (!right && j + 1 < last) {
				memset(line + pos, ' ', fill);
				pos += fill;
			}
		}
		line[pos++] = '\n';
		fwrite(line, 1, pos, o->fp);
	}
	free(line);
	int e = rows_end(&it);
	return e ? e : ferror(o->fp) ? -EIO : 0;
}

int table_print(struct table *t, struct out *o, json_object *parent)
{
	if (t->spool_err)
		return t->spool_err;
	if (o->json && t->json_hidden)
		return 0;
	/* only the direct text writer and the streamed JSON read a spool as it goes */
	int e = 0;
	if (t->spooled && (o->json ? !streamable(t) : !(direct_text(t, o) && measured_for(t, o))))
		e = table_unspool(t);
	if (e)
		return e;
	if (o->json) {
		json_object *node;
		if (streamable(t)) {
			/* the node keeps the table until the document is printed and freed */
			t->json_out = o;
			node = json_object_new_array();
			json_object_set_serializer(node, stream_rows, t, stream_release);
			t->refs++;
		} else {
			node = rows_json(t, t->first);
		}
		json_object_object_add(parent ? parent : o->root, t->json_key, node);
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
	/* the stream is our buffer, so libsmartcols cannot ask it whether it is a terminal (it
	 * asks isatty(STDOUT_FILENO), and the terminal's size itself): say it, as command_parse()
	 * learnt it, so the text for a terminal is always the text for this width */
	scols_table_set_termforce(tb, o->term_width ? SCOLS_TERMFORCE_ALWAYS : SCOLS_TERMFORCE_NEVER);
	if (o->term_width)
		scols_table_set_termwidth(tb, (size_t)o->term_width);
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
		/* COLF_TRUNC and COLF_WRAP are done here (table_fit()), never by libsmartcols */
		if (!scols_table_new_column(tb, d->name, 0, fl)) {
			ret = -ENOMEM;
			goto out;
		}
	}
	/* one width for every address of the table, the widest of any column, as lsmem pads
	 * START and END alike: a range reads as two numbers of the same length */
	int addrw = 8;
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
	if (direct_text(t, o)) {
		ret = print_direct(t, o, hexw);
		goto out;
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

void table_columns_help(const struct col_def *defs, size_t ndefs, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < ndefs && o < size; i++)
		if (!(defs[i].flags & COLF_JSONONLY))
			o += (size_t)snprintf(buf + o, size - o, "  %-10s %s%s\n", defs[i].name, defs[i].help,
				      defs[i].flags & COLF_DEFAULT ? "" : " (not shown by default)");
}
