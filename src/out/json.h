/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A streaming JSON writer: each value goes out as it is written, in constant memory (a stack of
 * open containers, no document tree), as util-linux's lib/jsonwrt.c and iproute2's
 * json_writer.c write theirs. Pretty output is laid out as `jq .` and json-c lay it out (two
 * blanks a level, "key": value); compact output is one line, for NDJSON frames. Strings are
 * escaped as strict UTF-8: invalid bytes become U+FFFD. */
#ifndef MEMSCOPE_OUT_JSON_H
#define MEMSCOPE_OUT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JW_DEPTH 32
#define JW_BUF 16384

struct jw {
	FILE *fp;
	size_t len;    /* bytes waiting in buf: the writer's own buffer, for the million small
			* tokens of a long table (a stdio call each cost more than the token) */
	bool pretty;
	int depth;			 /* open containers */
	bool array[JW_DEPTH];		 /* the container at each depth is an array */
	bool members[JW_DEPTH];		 /* it has a member already */
	int skip;			 /* containers opened past JW_DEPTH: their contents dropped */
	char buf[JW_BUF];
};

void jw_init(struct jw *w, FILE *fp, bool pretty);
/* Write out what the writer holds: before anything else writes to, flushes or closes its
 * FILE (the writer also empties itself when the outermost container closes). */
void jw_flush(struct jw *w);

/* A writer for members of an array written apart, to be spliced into a document later
 * (jw_splice()): as if inside an array at @depth open containers, none written yet. */
void jw_init_inside(struct jw *w, FILE *fp, bool pretty, int depth);
/* The members a writer made by jw_init_inside(..., @depth) wrote to @from (from its start, flushed),
 * written into the array @w has open at its innermost level (at @depth or deeper: lines
 * indented further by as much), after the members it has. 0, or -EIO (a read error) or
 * -EINVAL (@w is shallower than @depth, or not in an array). */
int jw_splice(struct jw *w, FILE *from, int depth);

/* Containers. @key names the member in an object; it is ignored in an array. */
void jw_object(struct jw *w, const char *key);
void jw_array(struct jw *w, const char *key);
void jw_end(struct jw *w); /* closes the innermost container */

/* Values. In an object @key names them; in an array it is ignored. */
void jw_str(struct jw *w, const char *key, const char *v); /* NULL: null */
void jw_strn(struct jw *w, const char *key, const char *v, size_t len);
void jw_u64(struct jw *w, const char *key, uint64_t v);
void jw_i64(struct jw *w, const char *key, int64_t v);
void jw_bool(struct jw *w, const char *key, bool v);
void jw_null(struct jw *w, const char *key);
/* A 64-bit word as the string "0x" + 16 hex digits (exact in jq and JavaScript, as a number
 * past 2^53 is not); "-0x..." for a negative value when @neg. */
void jw_word(struct jw *w, const char *key, uint64_t v, bool neg);
/* A number already formatted (a fixed-point "12.50"): written as it is. */
void jw_number(struct jw *w, const char *key, const char *text);

/* The escaped, quoted form of @s (strict UTF-8) written to @fp; for the writer and tests. */
void jw_escape(FILE *fp, const char *s, size_t len);

#endif
