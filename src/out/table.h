/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tables and trees: one set of typed cells, rendered as text (libsmartcols for util-linux's
 * -o/-r/-n, tree art, terminal width; a direct writer for long flat tables) or as streamed
 * JSON, so the two never drift. */
#ifndef MEMSCOPE_TABLE_H
#define MEMSCOPE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "out/out.h"

enum col_type {
	COL_STR,   /* text: escaped for the terminal by libsmartcols; JSON string */
	COL_ADDR,  /* text: 0x + hex padded to the widest address of the table (every address
		    * column alike); JSON "0x" + 16 digits */
	COL_SIZE,  /* text: human or --bytes; JSON integer (bytes) */
	COL_COUNT, /* integer in both */
	COL_PERCENT, /* text: "12.5%"; JSON number (0..100) */
	COL_INDEX,   /* thousandths: text "0.125"; JSON number 0.125 */
	COL_DELTA,   /* a signed change: text "+5", "-3", "0"; JSON integer */
	COL_BOOL,    /* text "yes"/"no"; JSON true/false */
	COL_HEX,     /* a number written in hex in text ("0x1a000", as the kernel prints file
		      * offsets); JSON integer */
	COL_SIZE_DELTA, /* a signed change of a size: text "+1.5M", "-4K", "0B" (--bytes:
			 * "+1572864"); JSON integer (bytes) */
};

enum {
	COLF_DEFAULT = 1 << 0, /* shown when -o does not say otherwise */
	COLF_TREE = 1 << 1,    /* tree art in this column */
	COLF_RIGHT = 1 << 2,   /* right-aligned */
	COLF_TRUNC = 1 << 3,   /* cut with a sign to fit a terminal (the text column of a tree) */
	COLF_LIST = 1 << 6,    /* consecutive columns with this flag and the same key form one
				* JSON array (one text column per order, say) */
	COLF_WIDE = 1 << 8,    /* the value's range passes 2^53 (a virtual size, a file offset,
				* an inode): JSON gives it as a string "0x" + 16 hex digits
				* ("-0x..." for a negative COL_DELTA), exact in jq and JavaScript
				* (README "JSON conventions"); text is unchanged */
	/* where the column shows (enum show, out/out.h): COLF_SHOW(SHOW_TEXT) for a row label
	 * that is the JSON key already, COLF_SHOW(SHOW_JSON) when the text shows the value in
	 * another column */
#define COLF_SHOW(s) ((unsigned)(s) << 9)
	COLF_WRAP = 1 << 7,    /* wraps at word boundaries onto continuation lines to fit a
				* terminal (a tree's rows are cut instead when COLF_TRUNC is set
				* too). One column per table gives way, the last so flagged:
				* addresses and numbers never do. Pipes get the full width. */
};

struct col_def {
	const char *name; /* heading and -o name */
	const char *key;  /* JSON key; "a.b" nests b in an object a; NULL: not in JSON */
	enum col_type type;
	unsigned flags;
	const char *help; /* for --help's list of columns */
	const char *child_key; /* with table_json_child_lists(): children's values of this
				* column become an array under this key in the parent */
};

struct table;
struct trow;

/* A table whose JSON goes under @json_key in the document. */
struct table *table_new(const struct col_def *defs, size_t ndefs, const char *json_key);
void table_free(struct table *t);

/* Pick columns from a -o list ("START,NAME", case-insensitive; "+COL,..." adds to the
 * defaults). Returns 0 or -EINVAL with @err naming the unknown column. */
int table_select(struct table *t, const char *spec, struct ms_error *err);

/* The index of the column named @name (its heading or its JSON key, any case), or -1. */
int col_lookup(const struct col_def *defs, size_t ndefs, const char *name);
/* Which columns a -o @spec shows (the defaults unless it replaces them, what "+" adds), and
 * the column @sort (NULL: none) sorts by: for a command that reads only what is shown. */
void cols_shown(const struct col_def *defs, size_t ndefs, const char *spec, const char *sort,
		bool *shown);

/* JSON as an object keyed by each row's key instead of an array of rows. */
void table_json_keyed(struct table *t);
/* JSON as one object {row key: value of column @col}, e.g. {"MemTotal": 1024}. */
void table_json_flat(struct table *t, size_t col);
/* In JSON, child rows are not objects: each column with a child_key gathers the children's
 * values into an array on the parent (per-order rows under a zone -> "free_blocks": [...]). */
void table_json_child_lists(struct table *t);
/* In JSON, a tree's rows are one flat array, in their order (text draws the tree). */
void table_json_flatten(struct table *t);
/* Where the table shows: SHOW_TEXT for a text view whose JSON another table already gives,
 * SHOW_JSON when the text view is a diagram drawn from the same rows. */
void table_show(struct table *t, enum show s);

/* Keep each column's text width as cells are set, as they would print to @o (which must stay
 * where it is), so a large table is formatted once when it is printed, not twice. Returns 0
 * or -ENOMEM. */
int table_measure(struct table *t, const struct out *o);

/* After table_measure(): rows may go to a temporary file in full segments while the table is
 * filled, and come back one segment at a time when it prints as plain text or JSON, so memory
 * stays flat however many rows there are (other renderings read them all back first). Only a
 * flat table without row keys spools; a trow is then valid only until the next table_add(). */
void table_spool(struct table *t);

/* A new row (a child of @parent, NULL: at the top). Never NULL: once out of memory, a row
 * nothing prints, and table_print() returns -ENOMEM, so no row needs a check of its own. */
struct trow *table_add(struct table *t, struct trow *parent);
void trow_key(struct trow *r, const char *key);
void trow_color(struct trow *r, const char *color);
void trow_str(struct trow *r, size_t col, const char *s);
void trow_addr(struct trow *r, size_t col, uint64_t v);
void trow_size(struct trow *r, size_t col, uint64_t v);
void trow_count(struct trow *r, size_t col, uint64_t v);
/* A value of another type than the column's (a count in a column of sizes). */
void trow_typed(struct trow *r, size_t col, enum col_type type, uint64_t v);
void trow_percent(struct trow *r, size_t col, double v);
void trow_index(struct trow *r, size_t col, unsigned thousandths);
void trow_delta(struct trow *r, size_t col, int64_t v);
void trow_size_delta(struct trow *r, size_t col, int64_t v);
void trow_bool(struct trow *r, size_t col, bool v);
/* This cell's range passes 2^53: JSON as a "0x" string, as COLF_WIDE does for a column (a row
 * of a table whose rows are different quantities, such as meminfo's fields). */
void trow_wide(struct trow *r, size_t col);
/* Unknown or hidden: "-" in text, null in JSON. */
void trow_null(struct trow *r, size_t col);

/* 0, or what table_print() will fail with (-ENOMEM: a row or string was lost): for a command
 * that must fail before anything reaches stdout (out_unbuffer()), as maps and translate stop
 * reading at the first row that could not be kept. */
int table_error(const struct table *t);

/* Render to @o: text, or JSON under the table's key at the current place of the document.
 * Returns 0 or -errno. */
int table_print(struct table *t, struct out *o);

/* The column list for an option's --help text ("START  start address\n..."). */
void table_columns_help(const struct col_def *defs, size_t ndefs, char *buf, size_t size);

#endif
