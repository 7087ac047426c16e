/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The output context: text into a buffer, or one JSON document, written only on success.
 *
 * A command never branches on --json: it fills tables (out/table.h), which render as text
 * through libsmartcols or as JSON through json-c, draws diagrams (out/diagram.h), which are
 * text only, and sets JSON-only facts with out_json_*(). Nothing reaches stdout until
 * out_commit(), or out_unbuffer() once all reading is done, so a command that fails part-way
 * prints nothing on stdout.
 */
#ifndef MEMSCOPE_OUT_H
#define MEMSCOPE_OUT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct out {
	bool json;	 /* --json */
	bool bytes;	 /* --bytes: exact byte counts in text */
	bool color;	 /* resolved --color */
	bool raw;	 /* --raw: tables without alignment or tree art */
	bool noheadings; /* --noheadings */
	FILE *fp;	 /* text goes here: a memory buffer until out_commit() */
	char *mem;	 /* that buffer (fopencookie over it; read it with out_text()) */
	size_t memlen, memcap;
	json_object *root; /* the one top-level JSON object */
	bool streamed;	   /* frames went out with out_frame(): out_commit() adds nothing */
	FILE *direct;	   /* set by out_unbuffer(): text goes straight there */
	int direct_errno;  /* the first write to it that failed */
	int term_width;	   /* columns of the terminal stdout is, 0 when it is not one: tables
			    * and diagrams fit a terminal, and pipes keep their full width */
	/* called once, just before the first byte reaches stdout (out_commit(), out_unbuffer(),
	 * out_frame()): the dispatcher's notes about the command (an assumption it made), said
	 * only when the command got as far as printing, never before its error */
	void (*before)(void *arg);
	void *before_arg;
};

int out_init(struct out *o, bool json, bool bytes, bool color);
/* The struct must stay where out_init() put it: o->fp writes into it. */

/* The text written so far, and its length. */
const char *out_text(struct out *o, size_t *len);
/* Keep only the first @len bytes of the text (--watch cuts a frame to the terminal). */
void out_truncate(struct out *o, size_t len);

/* JSON-only facts (text conveys them otherwise, e.g. as a warning on stderr). */
void out_json_bool(struct out *o, const char *key, bool v);
void out_json_u64(struct out *o, const char *key, uint64_t v);

/* A JSON object under @key in the root (made on first use), for a command's own section such as
 * {"buddy": {...}}. In text mode it is built and dropped unseen. */
json_object *out_json_section(struct out *o, const char *key);
/* An integer whose range stays below 2^53 (a count of pages, a page size). */
void out_json_obj_u64(json_object *obj, const char *key, uint64_t v);
/* An integer whose range passes 2^53 (a free-running kernel counter, a 64-bit word): the
 * string "0x" + 16 hex digits, exact in jq and JavaScript as a JSON number would not be. */
void out_json_obj_word(json_object *obj, const char *key, uint64_t v);

/* --watch: write what was built as one frame (JSON: one compact line) and start the next.
 * Returns 0 or -errno. */
int out_frame(struct out *o, FILE *dest);

/* Value helpers shared by tables and diagrams: a size as text (human or --bytes), its length
 * returned. */
size_t out_size_text(const struct out *o, uint64_t bytes, char *buf, size_t size);
json_object *out_json_addr(uint64_t addr);

/* Write what was built to @dest (text buffer, or the JSON document) and release it.
 * Returns 0, or -errno if writing failed. */
int out_commit(struct out *o, FILE *dest);
/* Everything that can fail has been read: text from here on goes straight to @dest, after
 * what was buffered, so a large table is not held twice (its rows, then their text). Write
 * errors are kept for out_commit() to return, so printing itself never fails on them. JSON is
 * untouched. Returns 0 or -errno. */
int out_unbuffer(struct out *o, FILE *dest);
/* Write to o->direct, keeping the first error for out_commit() (table.c's streamed JSON). */
void out_direct_write(struct out *o, const void *data, size_t n);
/* Drop everything built so far (after an error). */
void out_discard(struct out *o);

#endif
