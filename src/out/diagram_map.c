/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The address map: boxes drawn highest address on top, in the style of the notes' drawings. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/diagram_int.h"
#include "lib/escape.h"
#include "lib/units.h"

struct dline {
	char *s;
	bool has_addr;
	uint64_t addr;
};

struct dlines {
	struct dline *v;
	size_t n, cap;
	int err;
	bool bytes; /* --bytes: sizes in exact bytes */
	int short_by; /* the most columns a box lacked to hold a size whole (boxed_sized()) */
};

/* A size as the boxes give it: human, or exact bytes with --bytes. */
static void size_text(const struct dlines *L, uint64_t v, char *buf, size_t n)
{
	if (L->bytes)
		snprintf(buf, n, "%" PRIu64, v);
	else
		units_human(v, buf, n);
}

static void push(struct dlines *L, char *s, bool has_addr, uint64_t addr)
{
	if (!s)
		L->err = -ENOMEM;
	if (L->err) {
		free(s);
		return;
	}
	if (L->n == L->cap) {
		size_t cap = L->cap ? L->cap * 2 : 64;
		struct dline *v = realloc(L->v, cap * sizeof(*v));
		if (!v) {
			free(s);
			L->err = -ENOMEM;
			return;
		}
		L->v = v;
		L->cap = cap;
	}
	L->v[L->n++] = (struct dline){s, has_addr, addr};
}

static void lines_free(struct dlines *L)
{
	for (size_t i = 0; i < L->n; i++)
		free(L->v[i].s);
	free(L->v);
	memset(L, 0, sizeof(*L));
}

/* Cut @s to @w columns, ending in ".." when something was cut; its width is returned. */
static int clip(char *s, int w)
{
	if (text_width(s) <= w)
		return text_width(s);
	int keep = w - 2, cols = 0;
	size_t i = 0;
	while (s[i] && cols < keep) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		cols++;
	}
	memcpy(s + i, "..", 3);
	return text_width(s);
}

/* "|" + @esc (escaped already) centred in @inner columns + "|", @esc cut to fit */
static char *boxed_escaped(char *esc, int inner, char side)
{
	int w = clip(esc, inner - 2);
	int left = (inner - w) / 2, right = inner - w - left;
	char *s = NULL;
	if (asprintf(&s, "%c%*s%s%*s%c", side, left, "", esc, right, "", side) < 0)
		return NULL;
	return s;
}

/* "|" + @text centred in @inner columns + "|", @text escaped and cut to fit */
static char *boxed(const char *text, int inner, char side)
{
	char esc[512];
	escape_text(text, strlen(text), esc, sizeof(esc));
	return boxed_escaped(esc, inner, side);
}

/* "@name @size" (or "@size @name" when @size_first) boxed in @inner columns on one line. A size
 * is never cut: a name too long is cut (with "..") beside it, down to the sign alone; cut once
 * escaped, so the escapes of a hostile name never push the size out. A size that does not fit
 * even so is drawn whole, and L->short_by says how many more columns the box needs (the map is
 * drawn again that much wider). An empty @name leaves the size alone (before a blank, as it
 * always was, when @size_first). */
static char *boxed_sized(struct dlines *L, const char *name, const char *size, int inner, char side,
			 bool size_first)
{
	char esc[560], label[608];
	escape_text(name, strlen(name), esc, sizeof(esc));
	int sw = text_width(size);
	/* the columns the size needs, with the blank each side, and a cut name's sign beside it */
	int need = 2 + sw + (esc[0] ? 3 : 0);
	if (need > inner && need - inner > L->short_by)
		L->short_by = need - inner;
	if (esc[0] && text_width(esc) + 1 + sw > inner - 2) {
		int room = inner - 2 - 1 - sw;
		clip(esc, room < 2 ? 2 : room);
	}
	if (!esc[0] && !size_first)
		snprintf(label, sizeof(label), "%s", size);
	else if (size_first)
		snprintf(label, sizeof(label), "%s %s", size, esc);
	else
		snprintf(label, sizeof(label), "%s %s", esc, size);
	if (text_width(label) > inner - 2) {
		/* no room even for the sign: the size alone, whole; the next drawing is wider */
		snprintf(label, sizeof(label), "%s", size);
		int w = text_width(label), left = (inner - w) / 2;
		char *s = NULL;
		if (left < 0)
			left = 0;
		if (asprintf(&s, "%c%*s%s%*s%c", side, left, "", label,
			     inner - w - left > 0 ? inner - w - left : 0, "", side) < 0)
			return NULL;
		return s;
	}
	return boxed_escaped(label, inner, side);
}

/* A line of a parent's own space between or around its children: no border, the size in the
 * middle, after opt->inner_gap_label if there is one ("no System RAM (1G)", or "(1G)"). */
static char *boxed_gap(struct dlines *L, uint64_t size, int inner, char side,
		       const struct diagram_opts *opt)
{
	char sz[32], paren[40];
	size_text(L, size, sz, sizeof(sz));
	snprintf(paren, sizeof(paren), "(%s)", sz);
	return boxed_sized(L, opt->inner_gap_label ? opt->inner_gap_label : "", paren, inner, side,
			   false);
}

static char *repeat_line(char l, char fill, char r, int width)
{
	char *s = malloc((size_t)width + 1);
	if (!s)
		return NULL;
	memset(s, fill, (size_t)width);
	s[0] = l;
	s[width - 1] = r;
	s[width] = '\0';
	return s;
}

static char *break_line(int width)
{
	char *s = malloc((size_t)width + 1);
	if (!s)
		return NULL;
	for (int i = 0; i < width; i++)
		s[i] = i % 2 ? '\\' : '/';
	s[width] = '\0';
	return s;
}

/* interior lines for a box of @size bytes: 1 for a page, one more per 16x, at most 6 */
static int box_height(uint64_t size);

static int scaled_height(uint64_t size, const struct diagram_opts *opt)
{
	if (!opt->log_step)
		return box_height(size);
	int log2 = 63 - __builtin_clzll(size | 1);
	int h = 1 + (log2 > 20 ? (log2 - 20) / (int)opt->log_step : 0);
	int max = opt->max_height ? (int)opt->max_height : 12;
	return h > max ? max : h;
}

static int box_height(uint64_t size)
{
	int log2 = 63 - __builtin_clzll(size | 1);
	int h = log2 / 4 - 2;
	return h < 1 ? 1 : h > 6 ? 6 : h;
}

static uint64_t span(uint64_t start, uint64_t end)
{
	return end - start == UINT64_MAX ? UINT64_MAX : end - start + 1;
}

struct item {
	uint64_t start, end;
	const struct diagram_box *box; /* NULL: an elided run */
	size_t run;		       /* boxes in an elided run */
	const struct diagram_box *first;
};

static void render(struct dlines *L, const struct diagram_box *boxes, size_t n, int width,
		   const struct diagram_opts *opt, bool top_level);

static void render_box(struct dlines *L, const struct item *it, int width,
		       const struct diagram_opts *opt)
{
	int inner = width - 2;
	char size[32];
	size_text(L, span(it->start, it->end), size, sizeof(size));
	if (!it->box) {
		/* an elided run of small boxes: say how many and name the first few */
		char label[64], names[256] = "";
		snprintf(label, sizeof(label), "%zu small regions,", it->run);
		size_t o = 0;
		for (size_t i = 0; i < it->run && o < sizeof(names) - 1; i++) {
			const char *nm = it->first[it->run - 1 - i].label;
			if (i && strstr(names, nm))
				continue;
			o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s", o ? ", " : "", nm);
		}
		push(L, break_line(width), false, 0);
		push(L, boxed_sized(L, label, size, inner, '|', false), false, 0);
		push(L, boxed(names, inner, '|'), false, 0);
		push(L, break_line(width), false, 0);
		return;
	}
	const struct diagram_box *b = it->box;
	char sized[40];
	snprintf(sized, sizeof(sized), "(%s)", size);
	if (b->nchildren && width >= 16) {
		push(L, opt->no_addresses ? boxed(b->label, inner, '|')
					  : boxed_sized(L, b->label, sized, inner, '|', false),
		     false, 0);
		/* the parent's own space above its highest child, labelled with its size */
		const struct diagram_box *top = &b->children[b->nchildren - 1];
		if (!opt->no_addresses && b->end > top->end)
			push(L, boxed_gap(L, b->end - top->end, inner, '|', opt), false, 0);
		struct dlines C = {.bytes = L->bytes};
		render(&C, b->children, b->nchildren, width - 6, opt, false);
		for (size_t i = 0; i < C.n && !C.err; i++) {
			char *s = NULL;
			if (asprintf(&s, "|  %s  |", C.v[i].s) < 0)
				s = NULL;
			push(L, s, C.v[i].has_addr, C.v[i].addr);
		}
		if (C.err)
			L->err = C.err;
		/* a child's lack is the whole map's: every width inside grows with the outer one */
		if (C.short_by > L->short_by)
			L->short_by = C.short_by;
		lines_free(&C);
		/* and below its lowest, when that does not reach the parent's start */
		if (!opt->no_addresses && b->children[0].start > b->start)
			push(L, boxed_gap(L, b->children[0].start - b->start, inner, '|', opt),
			     false, 0);
		return;
	}
	int h = opt->no_addresses ? 1 : scaled_height(span(b->start, b->end), opt);
	/* a label too long for one line with its size gets the size on the next line */
	char esc[600];
	escape_text(b->label, strlen(b->label), esc, sizeof(esc));
	bool split = !opt->no_addresses && h >= 2 &&
		     text_width(esc) + 1 + text_width(sized) > inner - 2;
	int at = split ? (h - 2) / 2 : (h - 1) / 2;
	for (int i = 0; i < h; i++) {
		char *line;
		if (i == at && opt->no_addresses)
			line = boxed(b->label, inner, '|');
		else if (i == at && !split)
			line = boxed_sized(L, b->label, sized, inner, '|', false);
		else if (split && i == at + 1)
			line = boxed_sized(L, "", sized, inner, '|', false);
		else
			line = boxed(i == at ? b->label : "", inner, '|');
		push(L, line, false, 0);
	}
}

/* Group boxes into items, folding runs of more than max_run small boxes into one. */
static size_t make_items(struct item *items, const struct diagram_box *boxes, size_t n,
			 const struct diagram_opts *opt)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		if (!opt->no_addresses && opt->max_run) {
			while (j < n && span(boxes[j].start, boxes[j].end) < opt->small &&
			       (j == i || boxes[j].start - boxes[j - 1].end - 1 < opt->small))
				j++;
		}
		if (j - i > opt->max_run) {
			items[k++] = (struct item){boxes[i].start, boxes[j - 1].end, NULL, j - i,
						   &boxes[i]};
			i = j;
		} else {
			items[k++] = (struct item){boxes[i].start, boxes[i].end, &boxes[i], 1, NULL};
			i++;
		}
	}
	return k;
}

static void render(struct dlines *L, const struct diagram_box *boxes, size_t n, int width,
		   const struct diagram_opts *opt, bool top_level)
{
	struct item *items = calloc(n ? n : 1, sizeof(*items));
	if (!items) {
		L->err = -ENOMEM;
		return;
	}
	size_t k = make_items(items, boxes, n, opt);
	bool have = !opt->no_addresses;
	uint64_t below = 0; /* start of the item drawn just above */
	for (size_t i = k; i-- > 0;) {
		const struct item *it = &items[i];
		/* the top edge is labelled with the first address above the box */
		bool top_max = it->end == UINT64_MAX;
		uint64_t top = top_max ? it->end : it->end + 1;
		if (i == k - 1) {
			push(L, repeat_line('+', '-', '+', width), have, top);
		} else if (have && below > top) {
			uint64_t gap = below - top;
			char sz[32], paren[40];
			size_text(L, gap, sz, sizeof(sz));
			if (gap >= opt->huge_gap) {
				push(L, break_line(width), false, 0);
				push(L, boxed_sized(L, top_level ? opt->gap_label : "", sz, width - 2, ' ',
						    true),
				     false, 0);
				push(L, break_line(width), false, 0);
				push(L, repeat_line('+', '-', '+', width), true, top);
			} else if (top_level) {
				snprintf(paren, sizeof(paren), "(%s)", sz);
				int h = scaled_height(gap, opt);
				for (int j = 0; j < h; j++)
					push(L, j == (h - 1) / 2
							? boxed_sized(L, opt->gap_label, paren, width - 2,
								      '|', false)
							: boxed("", width - 2, '|'),
					     false, 0);
				push(L, repeat_line('+', '-', '+', width), true, top);
			} else {
				/* inside a parent, space between children is the parent's own */
				push(L, boxed_gap(L, gap, width - 2, ' ', opt), false, 0);
				push(L, repeat_line('+', '-', '+', width), true, top);
			}
		} else if (!have && i != k - 1) {
			/* no addresses: every edge is shared */
		}
		render_box(L, it, width, opt);
		push(L, repeat_line('+', '-', '+', width), have, it->start);
		below = it->start;
	}
	free(items);
}

/* " (640K)", " (4G)": an address in the largest unit that divides it exactly, as the notes
 * label boundaries; nothing when no unit gives a round figure under 1024 (a rounded figure
 * would mislead, and 18451328K helps nobody) */
static void exact_unit(uint64_t addr, char *buf, size_t size)
{
	static const char suffix[] = "KMGTPE";
	int u = -1;
	while (u < 5 && addr && addr % (UINT64_C(1) << (10 * (u + 2))) == 0)
		u++;
	if (u >= 0 && addr >> (10 * (u + 1)) < 1024)
		snprintf(buf, size, " (%" PRIu64 "%c)", addr >> (10 * (u + 1)), suffix[u]);
}

static int cmp_box(const void *a, const void *b)
{
	const struct diagram_box *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

void diagram_sort(struct diagram_box *boxes, size_t n)
{
	qsort(boxes, n, sizeof(*boxes), cmp_box);
}

int diagram_map(struct out *o, const struct diagram_box *boxes, size_t n,
		const struct diagram_opts *opt)
{
	if (o->json || n == 0)
		return 0;
	struct dlines L = {.bytes = o->bytes};
	render(&L, boxes, n, opt->width, opt, true);
	int hexw = 8, suffix = 0;
	for (size_t i = 0; i < L.n; i++)
		if (L.v[i].has_addr && units_hex_width(L.v[i].addr) > hexw)
			hexw = units_hex_width(L.v[i].addr);
	for (size_t i = 0; i < L.n; i++)
		if (L.v[i].has_addr) {
			char h[40] = "";
			exact_unit(L.v[i].addr, h, sizeof(h));
			int w = 7 + hexw + (int)strlen(h); /* "  <- 0x" + digits + " (4G)" */
			suffix = w > suffix ? w : suffix;
		}
	/* in a narrower terminal, boxes narrow so that they and their addresses fit; the
	 * addresses are the same whatever the width, so one more drawing does it */
	int width = diagram_fit(o, opt->width, suffix, DIAGRAM_MIN_WIDTH);
	if (width != opt->width && !L.err) {
		lines_free(&L);
		L = (struct dlines){.bytes = o->bytes};
		render(&L, boxes, n, width, opt, true);
	}
	/* a box too narrow to hold a size whole (a deep child, exact bytes): wider by what it
	 * lacked, so that no size is ever cut; the sizes do not change with the width, so one
	 * more drawing is enough */
	if (L.short_by > 0 && !L.err) {
		width += L.short_by;
		lines_free(&L);
		L = (struct dlines){.bytes = o->bytes};
		render(&L, boxes, n, width, opt, true);
	}
	for (size_t i = 0; i < L.n && !L.err; i++) {
		/* a box edge that closes one box and opens the next is drawn once */
		if (i + 1 < L.n && L.v[i].s[0] == '+' && L.v[i + 1].s[0] == '+' &&
		    strcmp(L.v[i].s, L.v[i + 1].s) == 0 && L.v[i].has_addr == L.v[i + 1].has_addr &&
		    L.v[i].addr == L.v[i + 1].addr)
			continue;
		if (L.v[i].has_addr) {
			char h[40] = "";
			exact_unit(L.v[i].addr, h, sizeof(h));
			fprintf(o->fp, "%s  <- 0x%0*" PRIx64 "%s\n", L.v[i].s, hexw, L.v[i].addr, h);
		} else {
			/* trailing blanks of a gap line are not worth printing */
			size_t len = strlen(L.v[i].s);
			while (len && L.v[i].s[len - 1] == ' ')
				len--;
			fprintf(o->fp, "%.*s\n", (int)len, L.v[i].s);
		}
	}
	int err = L.err;
	lines_free(&L);
	return err;
}
