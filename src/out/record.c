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
#define VALUE_COLUMN (2 + LABEL_WIDTH + 1)

/* One text line of a record: in a narrow terminal its value wraps between words under the
 * value column, the label staying where it is; a pipe gets the line whole. */
static void line_out(struct record *r, const char *line)
{
	diagram_note(r->o, line, 0, VALUE_COLUMN, 0);
}

void record_begin(struct record *r, struct out *o, json_object *parent, const char *key,
		  const char *title)
{
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->obj = json_object_new_object();
	r->stack[0] = r->obj;
	if (json_object_is_type(parent, json_type_array))
		json_object_array_add(parent, r->obj);
	else
		json_object_object_add(parent, key, r->obj);
	if (!o->json && title) {
		char esc[1024];
		escape_text(title, strlen(title), esc, sizeof(esc));
		diagram_note(o, esc, 0, 0, 0);
	}
}

void record_end(struct record *r)
{
	while (r->depth > 0)
		rec_group_end(r);
}

void rec_group(struct record *r, const char *key, const char *label)
{
	json_object *g = json_object_new_object();
	json_object_object_add(r->stack[r->depth], key, g);
	if (r->depth < 3)
		r->stack[++r->depth] = g;
	r->len = (size_t)snprintf(r->line, sizeof(r->line), "  %-*s ", LABEL_WIDTH, label);
}

void rec_group_end(struct record *r)
{
	if (r->depth == 0)
		return;
	r->depth--;
	if (!r->o->json) {
		r->line[r->len < sizeof(r->line) ? r->len : sizeof(r->line) - 1] = '\0';
		line_out(r, r->line);
	}
	r->len = 0;
}

/* text: in a group append "label value", else a line "  label  value" */
static void text(struct record *r, const char *label, const char *value)
{
	if (r->o->json)
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
		snprintf(line, sizeof(line), "  %-*s %s", LABEL_WIDTH, label, esc);
		line_out(r, line);
	}
}

static void put(struct record *r, const char *key, json_object *v)
{
	json_object_object_add(r->stack[r->depth], key, v);
}

void rec_str(struct record *r, const char *key, const char *label, const char *v)
{
	char *u = v ? utf8_valid(v) : NULL;
	put(r, key, u ? json_object_new_string(u) : NULL);
	if (u != v)
		free(u);
	text(r, label, v ? v : "-");
}

void rec_u64(struct record *r, const char *key, const char *label, uint64_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "%" PRIu64, v);
	put(r, key, json_object_new_uint64(v));
	text(r, label, b);
}

void rec_hex(struct record *r, const char *key, const char *label, uint64_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	put(r, key, json_object_new_uint64(v));
	text(r, label, b);
}

void rec_word(struct record *r, const char *key, const char *label, uint64_t v)
{
	char b[32], j[24];
	snprintf(b, sizeof(b), "0x%" PRIx64, v);
	units_addr_json(v, j, sizeof(j));
	put(r, key, json_object_new_string(j));
	text(r, label, b);
}

void rec_addr(struct record *r, const char *key, const char *label, uint64_t v)
{
	char b[32];
	units_addr_json(v, b, sizeof(b));
	put(r, key, json_object_new_string(b));
	text(r, label, b);
}

void rec_size(struct record *r, const char *key, const char *label, uint64_t v)
{
	char b[32];
	out_size_text(r->o, v, b, sizeof(b));
	put(r, key, json_object_new_uint64(v));
	text(r, label, b);
}

void rec_bool(struct record *r, const char *key, const char *label, bool v)
{
	put(r, key, json_object_new_boolean(v));
	text(r, label, v ? "yes" : "no");
}

void rec_null(struct record *r, const char *key, const char *label, const char *why)
{
	put(r, key, NULL);
	text(r, label, why ? why : "-");
}

void rec_words(struct record *r, const char *key, const char *label, const char *const *w,
	       size_t n)
{
	json_object *a = json_object_new_array();
	char b[1024] = "";
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char *u = utf8_valid(w[i]);
		json_object_array_add(a, json_object_new_string(u ? u : ""));
		if (u != w[i])
			free(u);
		if (o < sizeof(b))
			o += (size_t)snprintf(b + o, sizeof(b) - o, "%s%s", i ? " " : "", w[i]);
	}
	put(r, key, a);
	text(r, label, n ? b : "(none)");
}

void rec_note(struct record *r, const char *t)
{
	if (!r->o->json) {
		char line[1100];
		snprintf(line, sizeof(line), "  %-*s %s", LABEL_WIDTH, "", t);
		line_out(r, line);
	}
}
