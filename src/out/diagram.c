/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ASCII address maps and bars, in the style of the notes' drawings. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/diagram.h"
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

/* display width of @n bytes: one column per UTF-8 code point (escape_text leaves nothing else) */
static int span_width(const char *s, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static int text_width(const char *s)
{
	return span_width(s, strlen(s));
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

int diagram_fit(const struct out *o, int natural, int fixed, int minimum)
{
	if (o->term_width <= 0 || natural + fixed <= o->term_width)
		return natural;
	int w = o->term_width - fixed;
	return w < minimum ? minimum : w;
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

void diagram_note(struct out *o, const char *text, int indent, int hang, int width)
{
	if (o->json)
		return;
	/* @width, or the terminal's when it is narrower (40 at the least); 0: the terminal's
	 * alone, so that a pipe gets the text on one line */
	if (o->term_width > 0 && (width <= 0 || o->term_width < width))
		width = o->term_width < 40 ? 40 : o->term_width;
	else if (width <= 0)
		width = INT_MAX;
	/* words as they come, with the blanks between them as they are (a record's "pgd 273  pud
	 * 0" keeps its two); a line is broken before the word that would pass @width, unless it
	 * would not fit on the next line either, and the blanks at the break are dropped */
	FILE *f = o->fp;
	const char *p = text;
	int col = indent;
	fprintf(f, "%*s", indent, "");
	bool first = true; /* no word on this line yet */
	while (*p) {
		size_t sp = strspn(p, " ");
		const char *word = p + sp;
		size_t wl = strcspn(word, " ");
		if (!wl) {
			fwrite(p, 1, sp, f); /* trailing blanks, as they were */
			break;
		}
		int ww = span_width(word, wl);
		if (!first && col + (int)sp + ww > width && hang + ww <= width) {
			fprintf(f, "\n%*s", hang, "");
			col = hang;
		} else {
			fwrite(p, 1, sp, f);
			col += (int)sp;
		}
		fwrite(word, 1, wl, f);
		col += ww;
		first = false;
		p = word + wl;
	}
	fputc('\n', f);
}

int diagram_wrap(const char *text, int width, char *lines, size_t size, int max)
{
	int nl = 0;
	const char *p = text;
	if (width < 3)
		width = 3;
	if ((size_t)width >= size)
		width = (int)size - 1;
	while (nl < max) {
		p += strspn(p, " ");
		if (!*p)
			break;
		char *l = lines + (size_t)nl * size;
		int len = 0;
		/* whole words while they fit; a word longer than a line is cut, with a sign */
		for (;;) {
			size_t sp = len ? strspn(p, " ") : 0;
			const char *w = p + sp;
			int wl = (int)strcspn(w, " ");
			if (!wl)
				break;
			if (len + (int)sp + wl > width) {
				if (len)
					break;
				memcpy(l, w, (size_t)width - 2);
				memcpy(l + width - 2, "..", 2);
				len = width;
				p = w + wl;
				break;
			}
			memset(l + len, ' ', sp);
			memcpy(l + len + sp, w, (size_t)wl);
			len += (int)sp + wl;
			p = w + wl;
		}
		l[len] = '\0';
		nl++;
		if (nl == max && p[strspn(p, " ")]) {
			/* more than @max lines: the last one says it was cut */
			while (len > width - 2 || (len && l[len - 1] == ' '))
				len--;
			memcpy(l + len, "..", 3);
		}
	}
	return nl;
}

void diagram_bar_cells(const uint64_t *values, size_t n, uint64_t total, int width, int *cells)
{
	/* largest remainder (Hamilton's method): each part its whole cells first, then the cells
	 * left over one each to the parts with the largest fractions, so that every part's cells
	 * are as close to its share as whole cells can be. The bar is the larger of @total and
	 * the parts' sum (parts that pass MemTotal still fit it); with parts short of @total the
	 * rest of it stays blank. A part too small for a cell gets none: the legend says so. */
	memset(cells, 0, n * sizeof(*cells));
	width = width > 256 ? 256 : width;
	if (width <= 0)
		return;
	/* exact in 64 bits: everything scaled below 2^54 first (a malformed file's sizes can sum
	 * past 2^64), so that a value times 256 cells, doubled to round, still fits; what the
	 * shift drops is far below a cell */
	unsigned shift = 0;
	uint64_t sum, whole;
	for (;;) {
		bool over = false;
		sum = 0;
		for (size_t i = 0; i < n && !over; i++) {
			uint64_t v = values[i] >> shift;
			over = sum + v < sum;
			sum += v;
		}
		whole = sum > total >> shift ? sum : total >> shift;
		if (!over && whole < UINT64_C(1) << 54)
			break;
		shift += 8;
	}
	if (!whole)
		return;
	uint64_t *rem = calloc(n ? n : 1, sizeof(*rem));
	if (!rem)
		return;
	int used = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t x = (values[i] >> shift) * (uint64_t)width;
		cells[i] = (int)(x / whole);
		rem[i] = x % whole;
		used += cells[i];
	}
	/* the cells the parts fill: all of them, or their sum's share of @total, rounded */
	int target = sum >= whole ? width : (int)((sum * (uint64_t)width * 2 + whole) / (2 * whole));
	while (used < target) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (rem[i] && (best == n || rem[i] > rem[best]))
				best = i;
		if (best == n)
			break;
		cells[best]++;
		rem[best] = 0;
		used++;
	}
	free(rem);
}

int diagram_bar(struct out *o, const char *title, uint64_t total, const struct diagram_seg *segs,
		size_t n, int width)
{
	if (o->json)
		return 0;
	width = diagram_fit(o, width, 2, 20); /* the bar between its brackets */
	int *cells = calloc(n ? n : 1, sizeof(*cells));
	uint64_t *values = calloc(n ? n : 1, sizeof(*values));
	if (!cells || !values) {
		free(cells);
		free(values);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		values[i] = segs[i].value;
	diagram_bar_cells(values, n, total, width, cells);
	int used = 0;
	char tot[32];
	out_size_text(o, total, tot, sizeof(tot));
	fprintf(o->fp, "%s %s\n[", title, tot);
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < cells[i]; c++, used++)
			fputc(segs[i].mark, o->fp);
	for (int c = used; c < width; c++)
		fputc(' ', o->fp);
	fputs("]\n", o->fp);
	for (size_t i = 0; i < n; i++) {
		char sz[32];
		out_size_text(o, segs[i].value, sz, sizeof(sz));
		long long tenths = total ? (long long)((double)segs[i].value * 1000.0 / (double)total + 0.5) : 0;
		fprintf(o->fp, " %c %-26s %10s %5lld.%lld%%%s\n", segs[i].mark, segs[i].label, sz,
			tenths / 10, tenths % 10,
			segs[i].value && !cells[i] ? "  <1 cell" : "");
	}
	free(cells);
	free(values);
	return 0;
}

int diagram_hbars_width(const struct out *o, const struct diagram_hbar *rows, size_t n, int width)
{
	/* the bars narrow to fit a terminal, the texts beside them do not */
	int fixed = 0;
	for (size_t i = 0; i < n; i++) {
		int w = text_width(rows[i].left) + 4 + text_width(rows[i].right); /* " |", "| " */
		fixed = w > fixed ? w : fixed;
	}
	return diagram_fit(o, width, fixed, 10);
}

int diagram_hbars(struct out *o, const struct diagram_hbar *rows, size_t n, uint64_t max,
		  int width)
{
	if (o->json)
		return 0;
	if (max == 0)
		for (size_t i = 0; i < n; i++)
			if (rows[i].value > max)
				max = rows[i].value;
	width = diagram_hbars_width(o, rows, n, width);
	for (size_t i = 0; i < n; i++) {
		/* round up so a value that is not zero always shows */
		int cells = max ? (int)((rows[i].value * (uint64_t)width + max - 1) / max) : 0;
		if (cells > width)
			cells = width;
		fprintf(o->fp, "%s |%.*s%*s| %s\n", rows[i].left, cells,
			"################################################################################",
			width - cells, "", rows[i].right);
	}
	return 0;
}

void diagram_sparkline(const uint64_t *v, size_t n, bool utf8, char *buf, size_t size)
{
	static const char *const blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
					     "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char ramp[] = "_.-:=+*#";
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		unsigned level = hi > lo ? (unsigned)((v[i] - lo) * 7 / (hi - lo)) : 3;
		const char *c = utf8 ? blocks[level] : (char[]){ramp[level], 0};
		size_t len = strlen(c);
		if (o + len >= size)
			break;
		memcpy(buf + o, c, len + 1);
		o += len;
	}
}

/* Split @text (escaped) into at most two lines of @width columns at spaces; what does not fit
 * is cut with ".." at the end of the second line, never silently. Returns the lines made. */
static int pair_wrap(const char *text, int width, char out[2][64])
{
	char esc[256];
	escape_text(text, strlen(text), esc, sizeof(esc));
	out[0][0] = out[1][0] = '\0';
	const char *p = esc;
	int nl = 0;
	while (*p && nl < 2) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		int len = (int)strlen(p);
		int take = len;
		if (len > width) {
			/* the last ", " that leaves the line within the width (a label's parts
			 * stay whole), else the last space */
			int comma = 0;
			take = 0;
			for (int k = 0; k <= width && k < len; k++) {
				if (p[k] == ' ')
					take = k;
				if (p[k] == ' ' && k && p[k - 1] == ',')
					comma = k;
			}
			if (comma)
				take = comma;
			if (take == 0 || nl == 1)
				take = width;
		}
		bool cut = nl == 1 && len > take;
		if (cut) {
			take = width - 2;
			while (take > 0 && p[take - 1] == ' ')
				take--;
		}
		snprintf(out[nl], 64, "%.*s%s", take, p, cut ? ".." : "");
		nl++;
		p += take;
	}
	return nl;
}

/* "|" + @text centred in @inner columns + "|" */
static void pair_cell(FILE *f, const char *text, int inner, char side)
{
	int w = text_width(text);
	int left = (inner - w) / 2;
	fprintf(f, "%c%*s%s%*s%c", side, left, "", text, inner - w - left, "", side);
}

int diagram_pairs(struct out *o, const struct diagram_pair *p, size_t n, size_t total)
{
	if (o->json || n == 0)
		return 0;
	FILE *f = o->fp;
	/* 16 hex digits each side and boxes of 18 columns inside: 83 columns. A narrower
	 * terminal gets the digits the addresses need and boxes that fit, 10 at the least */
	int vw = 16, pw = 16, bi = 18;
	if (o->term_width > 0 && o->term_width < 83) {
		vw = pw = 8;
		for (size_t i = 0; i < n; i++) {
			int v = units_hex_width(p[i].vend), ph = units_hex_width(p[i].pend);
			vw = v > vw ? v : vw;
			pw = p[i].frames && ph > pw ? ph : pw;
		}
		bi = (o->term_width - (vw + 2 + 1 + 5 + 1 + pw + 2) - 4) / 2;
		bi = bi < 10 ? 10 : bi > 18 ? 18 : bi;
	}
	char edge[24], dotted[24];
	memset(edge, '-', (size_t)bi + 2);
	memset(dotted, '.', (size_t)bi + 2);
	edge[0] = edge[bi + 1] = dotted[0] = dotted[bi + 1] = '+';
	edge[bi + 2] = dotted[bi + 2] = '\0';
	fprintf(f, "%*s %-*s     %s\n", vw + 2, "virtual memory", bi + 2, "", "physical memory");
	for (size_t i = 0; i < n; i++) {
		const struct diagram_pair *r = &p[i];
		if (i == n - 1 && total > n) {
			size_t more = total - n;
			fprintf(f, "%*s /\\/\\/ %zu more run%s, as listed above\n", vw + 2, "", more,
				more == 1 ? "" : "s");
		}
		fprintf(f, "0x%0*" PRIx64 " %s", vw, r->vstart, r->unmapped ? dotted : edge);
		if (r->frames)
			fprintf(f, "     %s 0x%0*" PRIx64, edge, pw, r->pstart);
		fputc('\n', f);
		/* a blank at least each side inside the box, dotted or not */
		char l[2][64], rr[2][64];
		int nl = pair_wrap(r->left ? r->left : "", bi - 2, l);
		int nr = r->frames ? pair_wrap(r->right ? r->right : "", bi - 2, rr) : 0;
		int rows = nl > nr ? nl : nr;
		if (rows == 0)
			rows = 1;
		for (int k = 0; k < rows; k++) {
			fprintf(f, "%*s ", vw + 2, "");
			pair_cell(f, k < nl ? l[k] : "", bi, r->unmapped ? ':' : '|');
			if (r->frames) {
				/* the link on the first line; the box goes on below it */
				fputs(k ? "     " : r->joined ? "=====" : "-----", f);
				pair_cell(f, k < nr ? rr[k] : "", bi, '|');
			}
			fputc('\n', f);
		}
		if (r->frames)
			fprintf(f, "%*s %s     %s 0x%0*" PRIx64 "\n", vw + 2, "", edge, edge, pw, r->pend);
	}
	fprintf(f, "0x%0*" PRIx64 " %s\n", vw, p[n - 1].vend, p[n - 1].unmapped ? dotted : edge);
	return 0;
}
