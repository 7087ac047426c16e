/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Records rendered as aligned text lines or JSON objects from the same calls. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "out/diagram.h"
#include "lib/escape.h"
#include "out/record.h"
#include "lib/units.h"

#define LABEL_WIDTH 12
/* the column values start at: "  ", the label, " " */
#define LABEL_W(r) ((r)->label_width ? (r)->label_width : LABEL_WIDTH)
#define VALUE_COLUMN(r) (2 + LABEL_W(r) + 1)

/* One text line of a record: in a narrow terminal its value wraps between words under the
 * value column, the label staying where it is; a pipe gets the line whole. */
static void line_out(struct record *r, const char *line)
{
	diagram_note(r->o, line, 0, VALUE_COLUMN(r), 0);
}

void record_begin(struct record *r, struct out *o, const char *key, const char *title)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->jw = out_jw(o);
	if (r->jw)
		jw_object(r->jw, key);
	if (!o->json && title) {
		char esc[1024];
		escape_text(title, strlen(title), esc, sizeof(esc));
		diagram_note(o, esc, 0, 0, 0);
	}
}

void record_label_width(struct record *r, int width)
{
	r->label_width = width;
}

void record_end(struct record *r)
{
	while (r->depth > 0)
		rec_group_end(r);
	if (r->jw)
		jw_end(r->jw);
}

static void group_line(struct record *r, const char *label)
{
	r->len = (size_t)snprintf(r->line, sizeof(r->line), "  %-*s ", LABEL_W(r), label);
}

static void group_line_out(struct record *r)
{
	if (!r->jw) {
		r->line[r->len < sizeof(r->line) ? r->len : sizeof(r->line) - 1] = '\0';
		line_out(r, r->line);
	}
	r->len = 0;
}

void rec_group(struct record *r, const char *key, const char *label)
{
	if (r->jw)
		jw_object(r->jw, key);
	r->depth++;
	group_line(r, label);
}

void rec_group_break(struct record *r, const char *label)
{
	if (r->depth == 0)
		return;
	group_line_out(r);
	group_line(r, label);
}

void rec_group_end(struct record *r)
{
	if (r->depth == 0)
		return;
	r->depth--;
	if (r->jw)
		jw_end(r->jw);
	group_line_out(r);
}

/* text: in a group append "label value", else a line "  label  value" */
static void text(struct record *r, const char *label, const char *value)
{
	if (r->jw)
		return;
	char esc[1024];
	escape_text(value, strlen(value), esc, sizeof(esc));
	if (r->depth > 0) {
		if (r->len < sizeof(r->line))
			r->len += (size_t)snprintf(r->line + r->len, sizeof(r->line) - r->len,
						   "%s%s%s%s", r->line[r->len - 1] == ' ' ? "" : "  ",
						   label ? label : "", label && *label ? " " : "", esc);
		if (r->len >= sizeof(r->line))
			r->len = sizeof(r->line) - 1;
	} else {
		char line[1100];
		snprintf(line, sizeof(line), "  %-*s %s", LABEL_W(r), label, esc);
		line_out(r, line);
	}
}

void rec_str(struct record *r, const char *key, const char *label, const char *v)
{
	if (r->jw)
		jw_str(r->jw, key, v);
	text(r, label, v ? v : "-");
}

/* A number: JSON an integer, or with @word the "0x" + 16 digits string of a 64-bit word;
 * text in decimal, hex, an address's 16 digits or a size. */
enum num_text { NUM_DEC, NUM_HEX, NUM_ADDR, NUM_SIZE };
static void number(struct record *r, const char *key, const char *label, uint64_t v, bool word,
		   enum num_text form)
{
	if (r->jw) {
		if (word)
			jw_word(r->jw, key, v, false);
		else
			jw_u64(r->jw, key, v);
		return;
	}
	char b[32];
	switch (form) {
	case NUM_DEC:
		units_dec(v, b, sizeof(b));
		break;
	case NUM_HEX:
		snprintf(b, sizeof(b), "0x%" PRIx64, v);
		break;
	case NUM_ADDR:
		units_addr_json(v, b, sizeof(b));
		break;
	case NUM_SIZE:
		out_size_text(r->o, v, b, sizeof(b));
		break;
	}
	text(r, label, b);
}

void rec_u64(struct record *r, const char *key, const char *label, uint64_t v)
{
	number(r, key, label, v, false, NUM_DEC);
}

void rec_hex(struct record *r, const char *key, const char *label, uint64_t v)
{
	number(r, key, label, v, false, NUM_HEX);
}

void rec_word(struct record *r, const char *key, const char *label, uint64_t v)
{
	number(r, key, label, v, true, NUM_HEX);
}

void rec_addr(struct record *r, const char *key, const char *label, uint64_t v)
{
	number(r, key, label, v, true, NUM_ADDR);
}

void rec_size(struct record *r, const char *key, const char *label, uint64_t v)
{
	number(r, key, label, v, false, NUM_SIZE);
}

void rec_bool(struct record *r, const char *key, const char *label, bool v)
{
	if (r->jw)
		jw_bool(r->jw, key, v);
	text(r, label, v ? "yes" : "no");
}

void rec_null(struct record *r, const char *key, const char *label, const char *why)
{
	if (r->jw)
		jw_null(r->jw, key);
	text(r, label, why ? why : "-");
}

void rec_words(struct record *r, const char *key, const char *label, const char *const *w,
	       size_t n)
{
	if (r->jw) {
		jw_array(r->jw, key);
		for (size_t i = 0; i < n; i++)
			jw_str(r->jw, NULL, w[i]);
		jw_end(r->jw);
		return;
	}
	char b[1024] = "";
	size_t o = 0;
	for (size_t i = 0; i < n && o < sizeof(b); i++)
		o += (size_t)snprintf(b + o, sizeof(b) - o, "%s%s", i ? " " : "", w[i]);
	text(r, label, n ? b : "(none)");
}

void rec_note(struct record *r, const char *t)
{
	if (!r->jw) {
		char line[1100];
		snprintf(line, sizeof(line), "  %-*s %s", LABEL_W(r), "", t);
		line_out(r, line);
	}
}
