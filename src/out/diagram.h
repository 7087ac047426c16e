/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text pictures: vertical address maps of boxes, and proportional bars. Text only: with --json
 * they print nothing (the same rows go to JSON through a table). */
#ifndef MEMSCOPE_DIAGRAM_H
#define MEMSCOPE_DIAGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "out/out.h"

struct diagram_box {
	uint64_t start, end; /* inclusive */
	const char *label;
	const struct diagram_box *children; /* drawn inside, ascending by address */
	size_t nchildren;
};

struct diagram_opts {
	int width;	      /* outer width of the top-level boxes, borders included */
	uint64_t huge_gap;    /* unmapped gaps at least this large become a break */
	uint64_t small;	      /* boxes below this size are "small" */
	size_t max_run;	      /* a run of more small boxes than this is elided */
	const char *gap_label; /* what an unmapped gap is called ("unused") */
	const char *inner_gap_label; /* what a parent's space around its children is called,
				      * before its size ("no System RAM"); NULL: the size alone */
	bool no_addresses;    /* addresses unknown: equal heights, no edge labels */
	unsigned log_step;    /* if set: one more line of height per 2^log_step of size, from 1 MiB,
			       * up to max_height (the whole 64-bit space fits on a screen) */
	unsigned max_height;
};

/* The narrowest a box of diagram_map() becomes to fit a terminal. */
#define DIAGRAM_MIN_WIDTH 28

/* The width to draw at: @natural when stdout is no terminal (pipes keep their width) or when
 * @natural plus @fixed columns (what is drawn beside) fit o->term_width; else what fits, but
 * never less than @minimum. */
int diagram_fit(const struct out *o, int natural, int fixed, int minimum);

/* Sort boxes by start address, as diagram_map() wants them. */
void diagram_sort(struct diagram_box *boxes, size_t n);

/* Draw @boxes (ascending, not overlapping) highest address on top, as in the notes' physical
 * address map: boundary addresses beside the edges, heights growing with the logarithm of the
 * size within bounds, long runs of small boxes and huge gaps elided with a /\/\/\ break. */
int diagram_map(struct out *o, const struct diagram_box *boxes, size_t n,
		const struct diagram_opts *opt);

struct diagram_seg {
	const char *label;
	uint64_t value;
	char mark; /* the character that fills this segment */
};

/* The cells of a bar of @width for parts of @values out of @total (the parts' sum when larger),
 * into @cells: by largest remainder, so that each part's cells are as close to its share as
 * whole cells allow (@width: 256 at most); a part too small for a cell may get none. */
void diagram_bar_cells(const uint64_t *values, size_t n, uint64_t total, int width, int *cells);

/* A bar of @width characters split among @segs in proportion to their share of @total
 * (diagram_bar_cells()), then a legend line per segment with its size and share, and for a part
 * too small for a cell of its own, "<1 cell" after its share (it is in the legend only). */
int diagram_bar(struct out *o, const char *title, uint64_t total, const struct diagram_seg *segs,
		size_t n, int width);

/* Prose: a note beside a diagram, a heading, a summary, a record's line. @text wrapped between
 * words at @width columns, or at the terminal's when that is narrower (40 at the least); a
 * @width of 0 is the terminal's alone, so that a pipe gets @text on one line, as it is. The
 * first line is indented by @indent spaces, the next ones by @hang; the blanks between words
 * stay as they are but for those at a break. A word is never split, and one too long for a
 * line of its own stays where it is. The one wrapper of prose for the whole output. Text only. */
void diagram_note(struct out *o, const char *text, int indent, int hang, int width);

/* @text (memscope's own words: ASCII) split between words into at most @max lines of @width
 * columns, line i at @lines + i * @size (@width is kept below @size); a word longer than a line,
 * and the last line when the text goes on, are cut with "..". Returns the lines made. For text
 * laid out inside a picture, beside its boxes. */
int diagram_wrap(const char *text, int width, char *lines, size_t size, int max);

/* One run of virtual pages and, when they have frames, the frames behind it. */
struct diagram_pair {
	uint64_t vstart, vend; /* inclusive */
	bool frames;	       /* present with frames shown: drawn on the right too */
	bool unmapped;	       /* no mapping holds these addresses (not the same as not present) */
	bool joined;	       /* several frames in a row: joined by ===== */
	uint64_t pstart, pend;
	const char *left, *right; /* what to write inside each box (wrapped to two lines, a cut
				   * shown by ".." ) */
	char lbuf[64], rbuf[64];  /* room for the caller's texts */
};

/* The notes' kmalloc picture: virtual memory on the left, top to bottom, and for each run the
 * physical frames on the right, joined by === for a contiguous run of several pages; an
 * unmapped stretch is drawn with dotted edges. @p holds @n of the @total runs: all of them, or,
 * when @total > @n, the first @n - 1 and the last, the ones between summed up in a line. The
 * last label is the end of the last run, the end of the range. */
int diagram_pairs(struct out *o, const struct diagram_pair *p, size_t n, size_t total);

struct diagram_hbar {
	char left[64];	/* label before the bar */
	uint64_t value; /* bar length in proportion to max */
	char right[48]; /* text after the bar */
};

/* The cells diagram_hbars() gives each bar of @rows for @width: @width, or fewer in a terminal
 * too narrow for them and the texts beside (10 at the least). Bars drawn together (one zone's
 * free memory and its fragmentation) take the smallest of their widths, so they narrow alike. */
int diagram_hbars_width(const struct out *o, const struct diagram_hbar *rows, size_t n, int width);

/* One horizontal bar per row, all scaled to @max (0: the largest value), @width cells each
 * (fewer when the terminal is too narrow: diagram_hbars_width()). */
int diagram_hbars(struct out *o, const struct diagram_hbar *rows, size_t n, uint64_t max,
		  int width);

/* A sparkline of @n values (oldest first) scaled between their min and max: block characters
 * when @utf8, else an ASCII ramp. Writes at most @size-1 bytes into @buf. */
void diagram_sparkline(const uint64_t *v, size_t n, bool utf8, char *buf, size_t size);

/* One sample of a process over time: the faults of the interval that ends at @t_ms, the RSS then. */
struct diagram_tick {
	long t_ms;
	uint64_t minor, major;
	uint64_t rss; /* bytes */
	bool have_rss;
};

/* How many samples make one row of diagram_timeline() for @n samples and @max_rows rows. */
size_t diagram_timeline_step(size_t n, size_t max_rows);

/* A timeline of faults per interval: one horizontal bar per row (diagram_hbars()), of the
 * faults (minor and major) of diagram_timeline_step() samples summed, labelled with the time
 * at the row's end and followed by its minor and major counts and the RSS at that time; then the
 * RSS of every sample as a sparkline (@utf8: block characters) with its least and most. @n may
 * be 0 ("no samples"). Text only. */
int diagram_timeline(struct out *o, const struct diagram_tick *t, size_t n, size_t max_rows,
		     int width, bool utf8);

#endif
