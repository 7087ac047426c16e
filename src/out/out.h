/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The output context: text, or one JSON document streamed as it is written, held back until
 * the command has succeeded.
 *
 * One mechanism decides where a value shows, after iproute2's print_*(PRINT_ANY|PRINT_FP|
 * PRINT_JSON, ...): every value is one call with a `enum show`, SHOW_ANY for both outputs,
 * SHOW_TEXT or SHOW_JSON for one. Tables (out/table.h) and records (out/record.h) take the same
 * flag for a column, a table or a value; diagrams (out/diagram.h) are text by nature. A command
 * never branches on --json and never writes to a stream itself.
 *
 * Nothing reaches stdout until out_commit(), or out_unbuffer() once all reading is done, so a
 * command that fails part-way prints nothing on stdout. */
#ifndef MEMSCOPE_OUT_H
#define MEMSCOPE_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "out/json.h"

/* Where a value shows: both outputs, the text only, the JSON only. */
enum show { SHOW_ANY = 0, SHOW_TEXT = 1, SHOW_JSON = 2 };

struct out {
	bool json;	 /* --json */
	bool bytes;	 /* --bytes: exact byte counts in text */
	bool color;	 /* resolved --color */
	bool raw;	 /* --raw: tables without alignment or tree art */
	bool noheadings; /* --noheadings */
	/* text goes to fp: the buffer in text mode, nowhere with --json (where the buffer holds
	 * the JSON document, written through jw) */
	FILE *fp;
	FILE *buf;	 /* the buffer (fopencookie over mem; read it with out_text()) */
	char *mem;
	size_t memlen, memcap;
	struct jw jw;	 /* the JSON document, into buf */
	bool doc_open;	 /* its top-level object is open */
	bool frames;	 /* --watch: frames, JSON as one compact line each (out_frames()) */
	bool streamed;	 /* frames went out with out_frame(): out_commit() adds nothing */
	FILE *direct;	 /* set by out_unbuffer(): the buffer writes straight there */
	int direct_errno; /* the first write to it that failed */
	int term_width;	  /* columns of the terminal stdout is, 0 when it is not one: tables
			   * and diagrams fit a terminal, and pipes keep their full width */
	/* called once, just before the first byte reaches stdout (out_commit(), out_unbuffer(),
	 * out_frame()): the dispatcher's notes about the command (an assumption it made), said
	 * only when the command got as far as printing, never before its error */
	void (*before)(void *arg);
	void *before_arg;
};

int out_init(struct out *o, bool json, bool bytes, bool color);
/* The struct must stay where out_init() put it: its streams write into it. */

/* Whether a value for @s shows in this output. */
bool out_shows(const struct out *o, enum show s);

/* ---- values, after iproute2's print_*() ----
 * JSON: the value under @key (in an array, @key is ignored). Text: @fmt formatted with the
 * value (NULL: nothing in text). @s says which of the two get it. */
void out_str(struct out *o, enum show s, const char *key, const char *fmt, const char *v);
void out_u64(struct out *o, enum show s, const char *key, const char *fmt, uint64_t v);
void out_i64(struct out *o, enum show s, const char *key, const char *fmt, int64_t v);
/* Text gets "yes" or "no" through @fmt's %s. */
void out_bool(struct out *o, enum show s, const char *key, const char *fmt, bool v);
/* An integer whose range passes 2^53 (a free-running counter, a 64-bit word): in JSON the
 * string "0x" + 16 hex digits, exact in jq and JavaScript as a JSON number would not be. */
void out_word(struct out *o, enum show s, const char *key, const char *fmt, uint64_t v);
/* JSON null (text: @fmt as it is, when given). */
void out_null(struct out *o, enum show s, const char *key, const char *fmt);
/* Text only: a formatted line or part of one. */
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* JSON only: open an object or array under @key (in an array: @key ignored), and close the
 * innermost one. Text is not touched. */
void out_object(struct out *o, const char *key);
void out_array(struct out *o, const char *key);
void out_end(struct out *o);

/* The JSON writer at the current place of the document (NULL in text): for out/'s own
 * renderers (tables, records). */
struct jw *out_jw(struct out *o);

/* The text written so far, and its length. */
const char *out_text(struct out *o, size_t *len);
/* Keep only the first @len bytes of the text (--watch cuts a frame to the terminal). */
void out_truncate(struct out *o, size_t len);

/* --watch: output comes as frames (JSON: one compact line each, NDJSON). Call before anything
 * is written. Returns true when the frames are text for a terminal (redrawn in place). */
bool out_frames(struct out *o);
/* Write what was built as one frame and start the next. Returns 0 or -errno. */
int out_frame(struct out *o, FILE *dest);

/* A size as text (human or --bytes), its length returned. */
size_t out_size_text(const struct out *o, uint64_t bytes, char *buf, size_t size);
/* How many characters out_size_text() writes for @bytes, without writing them. */
size_t out_size_width(const struct out *o, uint64_t bytes);

/* Write what was built to @dest and release it. Returns 0, or -errno if writing failed. */
int out_commit(struct out *o, FILE *dest);
/* Everything that can fail has been read: output from here on goes straight to @dest, after
 * what was buffered, so a large table is not held twice (its rows, then their text or JSON).
 * Write errors are kept for out_commit() to return, so printing itself never fails on them.
 * Returns 0 or -errno. */
int out_unbuffer(struct out *o, FILE *dest);
/* Drop everything built so far (after an error). */
void out_discard(struct out *o);

#endif
