/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagrams: fitting a terminal, prose notes and wrapping, proportional bars, sparklines.
 * The address map is in diagram_map.c, the pages-and-frames picture in diagram_pairs.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/diagram_int.h"

int diagram_fit(const struct out *o, int natural, int fixed, int minimum)
{
	if (o->term_width <= 0 || natural + fixed <= o->term_width)
		return natural;
	int w = o->term_width - fixed;
	return w < minimum ? minimum : w;
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

size_t diagram_timeline_step(size_t n, size_t max_rows)
{
	if (!max_rows)
		max_rows = 1;
	return n <= max_rows ? 1 : (n + max_rows - 1) / max_rows;
}

int diagram_timeline(struct out *o, const struct diagram_tick *t, size_t n, size_t max_rows,
		     int width, bool utf8)
{
	if (o->json)
		return 0;
	if (!n) {
		fprintf(o->fp, "no samples: the command ended within the first interval\n");
		return 0;
	}
	size_t step = diagram_timeline_step(n, max_rows), rows = (n + step - 1) / step;
	struct diagram_hbar *bar = calloc(rows, sizeof(*bar));
	uint64_t *rss = malloc(n * sizeof(*rss));
	if (!bar || !rss) {
		free(bar);
		free(rss);
		return -ENOMEM;
	}
	size_t nrss = 0;
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t r = 0; r < rows; r++) {
		uint64_t minor = 0, major = 0;
		const struct diagram_tick *last = &t[r * step];
		for (size_t i = r * step; i < n && i < (r + 1) * step; i++) {
			minor += t[i].minor;
			major += t[i].major;
			last = &t[i];
			if (t[i].have_rss) {
				rss[nrss++] = t[i].rss;
				lo = t[i].rss < lo ? t[i].rss : lo;
				hi = t[i].rss > hi ? t[i].rss : hi;
			}
		}
		char size[24] = "-";
		if (last->have_rss)
			out_size_text(o, last->rss, size, sizeof(size));
		snprintf(bar[r].left, sizeof(bar[r].left), "%5ld.%03lds", last->t_ms / 1000,
			 last->t_ms % 1000);
		snprintf(bar[r].right, sizeof(bar[r].right), "%7llu minor %5llu major  RSS %s",
			 (unsigned long long)minor, (unsigned long long)major, size);
		bar[r].value = minor + major;
	}
	if (step > 1)
		fprintf(o->fp, "each row %zu samples\n", step);
	int e = diagram_hbars(o, bar, rows, 0, width);
	if (!e && nrss) {
		/* as many samples as fit the bars' width: the last ones when there are more */
		size_t cols = (size_t)diagram_hbars_width(o, bar, rows, width) + 12, from = 0;
		if (nrss > cols)
			from = nrss - cols;
		char spark[4 * 256 + 1], a[24], b[24];
		if (nrss - from > 256)
			from = nrss - 256;
		diagram_sparkline(rss + from, nrss - from, utf8, spark, sizeof(spark));
		out_size_text(o, lo, a, sizeof(a));
		out_size_text(o, hi, b, sizeof(b));
		fprintf(o->fp, "RSS %s%s  %s to %s\n", from ? "(the last samples) " : "", spark, a, b);
	}
	free(bar);
	free(rss);
	return e;
}
