/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Records: a set of named values about one thing (a page, a frame), written once and shown as
 * aligned "label  value" lines in text or as one JSON object. Nested groups (a mapping, the
 * page-table indices) are one text line and a nested JSON object. */
#ifndef MEMSCOPE_RECORD_H
#define MEMSCOPE_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "out/out.h"

struct record {
	struct out *o;
	struct jw *jw; /* the document's writer, NULL in text */
	int depth;
	char line[1024]; /* the text line of an open group */
	size_t len;
	int label_width; /* 0: the usual 12 */
};

/* Start a record: a JSON object under @key at the current place of the document (in an array,
 * @key is ignored); text starts with @title on a line of its own (NULL: none). */
void record_begin(struct record *r, struct out *o, const char *key, const char *title);
void record_end(struct record *r);
/* Text labels padded to @width instead of 12 (a record whose labels are the kernel's names). */
void record_label_width(struct record *r, int width);

/* A nested group: text "label  k v k v", JSON "key": {...}. */
void rec_group(struct record *r, const char *key, const char *label);
void rec_group_end(struct record *r);
/* In a group: end the text line here and go on with the group's values on a new one labelled
 * @label; the JSON object goes on (decode's "offset" line of the page-table group). */
void rec_group_break(struct record *r, const char *label);

/* Values. @label is the text label (in a group, the short name printed before the value).
 * A NULL string, or rec_null(), is null in JSON and "-" in text. */
void rec_str(struct record *r, const char *key, const char *label, const char *v);
void rec_u64(struct record *r, const char *key, const char *label, uint64_t v);
/* Hex in text, an integer in JSON: only for a value whose range stays below 2^53 (a frame
 * number, an offset in a page). */
void rec_hex(struct record *r, const char *key, const char *label, uint64_t v);
/* A 64-bit word (a pagemap entry, a mask, a virtual offset): hex in text, and in JSON the
 * string "0x" + 16 hex digits, since a JSON number is exact only up to 2^53. */
void rec_word(struct record *r, const char *key, const char *label, uint64_t v);
void rec_addr(struct record *r, const char *key, const char *label, uint64_t v);
void rec_size(struct record *r, const char *key, const char *label, uint64_t v);
void rec_bool(struct record *r, const char *key, const char *label, bool v);
void rec_null(struct record *r, const char *key, const char *label, const char *why);
/* A list of words: JSON array of strings, text joined by spaces. */
void rec_words(struct record *r, const char *key, const char *label, const char *const *w,
	       size_t n);
/* Text only: a line of explanation under the values. */
void rec_note(struct record *r, const char *text);

#endif
