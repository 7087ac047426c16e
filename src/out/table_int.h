/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Inside the table layer: the row store (rows.c) and the renderers that read it, each in its
 * own file: table_text.c (cells as text, the direct writer for long flat tables),
 * table_scols.c (libsmartcols: trees, colours, terminals), table_json.c (the JSON writer). */
#ifndef MEMSCOPE_TABLE_INT_H
#define MEMSCOPE_TABLE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "out/table.h"

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
	uint8_t color; /* an index into the table's colours, 0: none */
	struct trow *parent, *first, *last, *next;
};

/* Rows and strings come from a few large blocks, not one malloc per cell: a table of 60 000
 * mappings must not cost a million small allocations. */
struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

#define TABLE_COLORS 16

struct table {
	const struct col_def *defs;
	size_t ndefs;
	size_t *sel;
	size_t nsel;
	bool *addr_col; /* a column with an address in it: only those need max_hexw() */
	struct cell *blank; /* a new row's cells: each column's type and width, nothing set */
	/* table_measure(): text widths kept as cells are set, so a large table is formatted once */
	const struct out *measured;
	size_t *twidth;	    /* per column: the widest text of a cell that is not an address */
	uint64_t *addr_max; /* per column: the largest address */
	bool nonascii;	    /* a string the direct writer leaves to libsmartcols */
	bool remeasure;	    /* a cell was set twice: its old width may be too wide */
	const char *json_key;
	enum show show;
	bool keyed;
	bool child_lists;
	bool flatten;
	bool plain; /* print_json(): no member needs its key taken apart */
	bool flat;
	size_t flat_col;
	const char *colors[TABLE_COLORS]; /* [0] unused: rows name theirs by index */
	size_t ncolors;
	struct trow *first, *last;
	struct block *blocks;
	char *strings; /* arena of string cells, NUL-terminated each */
	size_t strings_len, strings_cap;
	/* table_spool(): full segments of rows written out, read back once when printed */
	bool spool_on;
	FILE *spool;
	char *spool_buf; /* its stdio buffer: glibc makes a NULL one its 4 KiB block size */
	/* with --json the spool holds the segments as JSON text instead, written as they fill
	 * (while the kernel still writes smaps) by their own writer, and is spliced into the
	 * document when printed */
	struct jw *json_pre;
	size_t json_rows; /* rows written there */
	size_t mem_rows; /* top-level rows in memory */
	size_t spooled;	 /* rows in the spool */
	/* the table cannot print whole, so table_print() fails with this rather than print a
	 * part: a row or a string could not be kept (-ENOMEM), or the spool lost rows (-EIO) */
	int err;
	/* what table_add() gives once it has failed: a row of its own that nothing prints, so
	 * a command fills its rows without a check each and learns of it from table_print() */
	struct trow *sink;
};

/* ---- the row store (rows.c) ---- */
struct trow *rows_new(struct table *t);
int strings_append(struct table *t, const char *s, size_t len, uint64_t *off);
static inline const char *cell_str(const struct table *t, const struct cell *c)
{
	return t->strings + c->u;
}
void rows_release(struct table *t);
/* A spooling table has a full segment of rows in memory: rows_spill() writes it out (a
 * measured flat table; any other keeps its rows in memory). */
bool rows_full(const struct table *t);
void rows_spill(struct table *t);
/* Read every spooled row back into memory (for the renderers that need them all at once). */
int rows_unspool(struct table *t);

/* The one iterator: the top-level rows of a table in order, spooled ones first. While a
 * spooled segment is read, t->strings points into it; rows_end() puts it back. */
struct rows {
	struct table *t;
	char *arena; /* the table's own strings */
	char *seg;
	size_t cap, n, nstr, i;
	size_t at, rowbytes; /* the next packed row in the segment, and where its rows end */
	bool in_mem;
	const struct trow *mem;
	struct trow row;
	int err;
};
void rows_begin(struct rows *it, const struct table *t);
const struct trow *rows_next(struct rows *it);
int rows_end(struct rows *it);

/* ---- cells as text (table_text.c) ---- */
size_t cell_text(const struct table *t, const struct out *o, const struct cell *c, int hexw,
		 char *buf, size_t size);
/* Strings in place, anything else formatted into @buf: *@text is the cell's text. */
size_t cell_view(const struct table *t, const struct out *o, const struct cell *c, int hexw,
		 char *buf, size_t size, const char **text);
int max_hexw(const struct trow *r, size_t col);
void measure(struct table *t, size_t col, const struct cell *c);
bool measured_for(const struct table *t, const struct out *o);
/* MEMSCOPE_TABLE=library: libsmartcols for all text (the tests compare the two writers). */
bool library_only(void);
bool direct_text(const struct table *t, const struct out *o);
int print_direct(const struct table *t, const struct out *o, const int *hexw);
/* Whether column k of the selection shows in text. */
static inline enum show col_show(const struct col_def *d)
{
	return (enum show)((d->flags >> 9) & 3);
}
static inline bool col_text(const struct table *t, size_t k)
{
	return col_show(&t->defs[t->sel[k]]) != SHOW_JSON;
}

/* ---- libsmartcols (table_scols.c) ---- */
int print_scols(const struct table *t, struct out *o, const int *hexw);

/* ---- JSON (table_json.c) ---- */
int print_json(struct table *t, struct out *o);
/* The rows in memory written to the spool as JSON (the members of the table's array, as a
 * writer at JSON_SPLICE_DEPTH writes them); 0 or -errno, the spool as it was (or t->spool_err
 * set). */
int json_spill(struct table *t);
/* The least depth a table's array is at: inside the document's object. */
#define JSON_SPLICE_DEPTH 2

#endif
