/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Diagrams at the terminal's width: every line fits a narrow terminal (down to the minimum),
 * pipes (term_width 0) and wide terminals keep the natural width, and what is cut says so. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "out/diagram.h"

/* Columns of the widest line of @text (one per UTF-8 code point). */
static int widest(const char *text, size_t len)
{
	int w = 0, max = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n') {
			max = w > max ? w : max;
			w = 0;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			w++;
		}
	}
	return w > max ? w : max;
}

/* Draw with @draw at @cols columns (0: a pipe); the widest line. The text stays in @o. */
static int draw_at(struct out *o, int cols, void (*draw)(struct out *))
{
	assert_int_equal(out_init(o, false, false, false), 0);
	o->term_width = cols;
	draw(o);
	size_t len;
	const char *t = out_text(o, &len);
	return widest(t, len);
}

/* Draw with @draw at @cols columns; the text, which stays in @o. */
static const char *drawn(struct out *o, int cols, void (*draw)(struct out *))
{
	size_t len;
	draw_at(o, cols, draw);
	return out_text(o, &len);
}

/* The same, and the widest line must be @width columns. */
static const char *drawn_width(struct out *o, int cols, void (*draw)(struct out *), int width)
{
	size_t len;
	assert_int_equal(draw_at(o, cols, draw), width);
	return out_text(o, &len);
}

static const struct diagram_box ram_children[] = {
	{0x1000000, 0x1ffffff, "Kernel code", NULL, 0},
	{0x2000000, 0x27fffff, "Kernel data", NULL, 0},
};
static const struct diagram_box boxes[] = {
	{0x0, 0xfff, "Reserved", NULL, 0},
	{0x1000, 0x9fbff, "System RAM", NULL, 0},
	{0x100000, 0xbfffffff, "System RAM", ram_children, 2},
	{0xfed00000, 0xfed003ff, "HPET 0 with a name long enough to need cutting somewhere", NULL,
	 0},
};

/* Draw the @n boxes @b @width columns wide, gaps of 1G huge and boxes under 1M small. */
static void draw_boxes(struct out *o, const struct diagram_box *b, size_t n, int width,
		       size_t max_run, const char *gap_label)
{
	const struct diagram_opts opt = {.width = width,
					 .huge_gap = 1u << 30,
					 .small = 1 << 20,
					 .max_run = max_run,
					 .gap_label = gap_label};
	assert_int_equal(diagram_map(o, b, n, &opt), 0);
}

static void draw_map(struct out *o)
{
	draw_boxes(o, boxes, 4, 44, 4, "unused");
}

static void test_map(void **state)
{
	struct out o;
	int pipe = draw_at(&o, 0, draw_map);
	/* a pipe: the boxes' 44 columns and the addresses beside them */
	assert_int_equal(pipe, 44 + 7 + 8 + 7); /* "  <- 0x", 8 digits, " (639K)" */
	out_discard(&o);
	assert_int_equal(draw_at(&o, 200, draw_map), pipe);
	out_discard(&o);
	const char *t = drawn_width(&o, 60, draw_map, 60);
	/* the long name is cut with a sign and keeps its size */
	assert_contains(t, ".. (1K) |", "Kernel code (16M)");
	out_discard(&o);
	/* narrower than the minimum: the minimum, and the addresses beside it */
	assert_int_equal(draw_at(&o, 30, draw_map), pipe - 44 + DIAGRAM_MIN_WIDTH);
	out_discard(&o);
}

static const struct diagram_box kernel_children[] = {
	{0xffffffffff600000, 0xffffffffff600fff, "[vsyscall]", NULL, 0},
};
static const struct diagram_box halves[] = {
	{0x400000, 0x400fff, "text \x1b[31mred\x1b[0m /usr/bin/a-program-with-a-long-name", NULL, 0},
	{0xffff800000000000, UINT64_MAX, "kernel space, not user-readable", kernel_children, 1},
};

static void draw_halves(struct out *o)
{
	draw_boxes(o, halves, 2, 48, 6, "unmapped");
}

/* A name cut to fit keeps its size, in a box with children too, and is cut after it was
 * escaped: the escapes a hostile name grows by never push its size out of the box. */
static void test_cut_keeps_size(void **state)
{
	struct out o;
	const char *t = drawn_width(&o, 60, draw_halves, 60);
	assert_contains(t, ".. (128T) |", ".. (4K) |");
	assert_null(strchr(t, '\x1b'));
	out_discard(&o);
}

/* Sizes are never cut, with --bytes as without: in a run of small boxes elided into one, in a
 * gap, and in a child whose box is too narrow for its exact size even at the minimum width
 * (the map is drawn wider then). */
static const struct diagram_box deep_child[] = {
	{0x4000000000000000, 0x7fffffffffffffff, "a child of four exbibytes", NULL, 0},
};
/* ten boxes of 768M, 256M apart, elided into one run of 10G less 256M: "10 small regions,
 * 10468982784" is wider than a narrow box */
static struct diagram_box sized[13];

static void sized_init(void)
{
	for (int i = 0; i < 10; i++)
		sized[i] = (struct diagram_box){(UINT64_C(4) + (uint64_t)i) << 30,
						((UINT64_C(4) + (uint64_t)i) << 30) + 0x2fffffff,
						"small", NULL, 0};
	sized[10] = (struct diagram_box){UINT64_C(1) << 40, (UINT64_C(1) << 40) + 0xfffffff,
					 "after a gap", NULL, 0};
	sized[11] = (struct diagram_box){UINT64_C(0x4000000000000000), UINT64_MAX,
					 "a parent with a long name", deep_child, 1};
}

static void draw_sized(struct out *o)
{
	o->bytes = true;
	const struct diagram_opts opt = {.width = 48, .huge_gap = UINT64_C(1) << 50,
					 .small = UINT64_C(1) << 30, .max_run = 6,
					 .gap_label = "unmapped"};
	sized_init();
	assert_int_equal(diagram_map(o, sized, 12, &opt), 0);
}

/* Whether @t has a number cut by a sign: a digit right before "..". */
static bool number_cut(const char *t)
{
	for (const char *p = strstr(t, ".."); p; p = strstr(p + 1, ".."))
		if (p > t && p[-1] >= '0' && p[-1] <= '9')
			return true;
	return false;
}

static void test_size_never_cut(void **state)
{
	struct out o;
	size_t len;
	for (int cols = 0; cols <= 60; cols += 10) {
		const char *t = drawn(&o, cols, draw_sized);
		assert_false(number_cut(t));
		/* the elided run's size, the gap's, the child's and the parent's, whole */
		assert_non_null(strstr(t, " 10468982784 "));	       /* 10 small regions */
		assert_non_null(strstr(t, "(1084747677696)"));       /* the gap below 1T */
		assert_non_null(strstr(t, "(4611686018427387904)")); /* the child */
		assert_non_null(strstr(t, "(13835058055282163712)"));
		out_discard(&o);
	}
	/* narrower than the minimum (28): wider still, as the child's size needs, on a line of
	 * its own under its cut name: 21 columns, a blank each side, its two borders, inside a
	 * parent's (6 more); then the addresses, "  <- 0x", 16 digits, " (1T)" */
	int w = draw_at(&o, 20, draw_sized);
	const char *t = out_text(&o, &len);
	assert_non_null(strstr(t, "\n|  | (4611686018427387904) |  |\n"));
	assert_int_equal(w, 6 + 2 + 2 + 21 + 7 + 16 + 5);
	out_discard(&o);
}

static void draw_bar(struct out *o)
{
	const struct diagram_seg segs[] = {{"used", 300, 'u'}, {"free", 700, '.'}};
	assert_int_equal(diagram_bar(o, "MemTotal", 1000, segs, 2, 64), 0);
	diagram_note(o, "A note long enough to be wrapped between its words whatever the width "
			"of the terminal, and never cut.",
		     1, 1, 66);
}

static void test_bar(void **state)
{
	struct out o;
	assert_int_equal(draw_at(&o, 0, draw_bar), 66);
	size_t len;
	const char *t = out_text(&o, &len);
	assert_non_null(strstr(t, "\n[uuuuuuuuuuuuuuuuuuu")); /* 19.2 of 64 cells: 19 */
	out_discard(&o);
	assert_int_equal(draw_at(&o, 200, draw_bar), 66);
	out_discard(&o);
	t = drawn_width(&o, 50, draw_bar, 50);
	/* 48 cells in the brackets, 30% of them used; every word of the note is there */
	assert_contains(t, "\n[" "uuuuuuuuuuuuuu" "........", " words whatever", "never cut.\n");
	out_discard(&o);
}

/* Ten small parts and one of 93.2% (the shape of a real meminfo) in a bar of 58 cells: by
 * largest remainder, worked by hand. The exact cells are 1.16, 0.87, 0.696, 0.464, 0.29,
 * 0.174, 0.116, 0.058 x3 and 54.056; the whole cells (1 and 54) leave 3, which go to the
 * largest fractions (.87, .696, .464). The six parts left without a cell say so. */
static const struct diagram_seg small_parts[] = {
	{"a", 20, 'a'}, {"b", 15, 'b'}, {"c", 12, 'c'}, {"d", 8, 'd'},	 {"e", 5, 'e'}, {"f", 3, 'f'},
	{"g", 2, 'g'},	{"h", 1, 'h'},	{"i", 1, 'i'},	{"j", 1, 'j'}, {"free", 932, '.'},
};

static void draw_small_parts(struct out *o)
{
	assert_int_equal(diagram_bar(o, "MemTotal", 1000, small_parts, 11, 58), 0);
}

static void test_bar_rounding(void **state)
{
	struct out o;
	const char *t = drawn_width(&o, 0, draw_small_parts, 60);
	assert_contains(t, "\n[abcd......................................................]\n",
			"\n d d ");
	/* a part without a cell says so; a part with one does not */
	for (char m = 'e'; m <= 'j'; m++) {
		char head[8];
		snprintf(head, sizeof(head), "\n %c %c ", m, m);
		const char *l = strstr(t, head);
		assert_non_null(l);
		const char *end = strchr(l + 1, '\n');
		assert_non_null(end);
		assert_true(end - l > 9 && !strncmp(end - 9, "  <1 cell", 9));
	}
	const char *d = strchr(strstr(t, "\n d d ") + 1, '\n');
	assert_memory_equal(d - 4, "0.8%", 4);
	out_discard(&o);
	/* whatever the values: the cells fill the bar, each within one of its exact share */
	uint64_t v[7];
	int cells[7];
	unsigned seed = 11;
	for (int round = 0; round < 2000; round++) {
		uint64_t total = 0;
		for (int i = 0; i < 7; i++) {
			seed = seed * 1103515245 + 12345;
			v[i] = (seed >> 8) % (round % 2 ? 1000 : UINT64_C(1) << 40);
			total += v[i];
		}
		int width = 20 + round % 60;
		diagram_bar_cells(v, 7, total, width, cells);
		int sum = 0;
		for (int i = 0; i < 7; i++) {
			double exact = total ? (double)v[i] * width / (double)total : 0;
			assert_true(cells[i] >= 0 && (double)cells[i] > exact - 1 &&
				    (double)cells[i] < exact + 1);
			sum += cells[i];
		}
		assert_int_equal(sum, total ? width : 0);
	}
	/* sizes whose sum passes 2^64 (a malformed file) still give a bar that fills */
	uint64_t huge[2] = {UINT64_MAX - 1, UINT64_MAX / 3};
	diagram_bar_cells(huge, 2, UINT64_MAX, 64, cells);
	assert_int_equal(cells[0] + cells[1], 64);
	assert_int_equal(cells[0], 48);
}

static void draw_hbars(struct out *o)
{
	struct diagram_hbar rows[2] = {{"   0     4K", 1, "       1 x = 4K"},
				       {"  10     4M", 3072, "       3 x = 12M"}};
	assert_int_equal(diagram_hbars(o, rows, 2, 0, 40), 0);
}

static void test_hbars(void **state)
{
	struct out o;
	int pipe = draw_at(&o, 0, draw_hbars);
	assert_int_equal(pipe, 11 + 2 + 40 + 2 + 16);
	out_discard(&o);
	assert_int_equal(draw_at(&o, 200, draw_hbars), pipe);
	out_discard(&o);
	assert_int_equal(draw_at(&o, 60, draw_hbars), 60);
	size_t len;
	const char *t = out_text(&o, &len);
	/* the longest bar fills the narrower width */
	assert_non_null(strstr(t, "|#############################| "));
	out_discard(&o);
}

static void draw_pairs(struct out *o)
{
	struct diagram_pair p[2] = {
		{.vstart = 0x7fc0fd580000, .vend = 0x7fc0fd580fff, .frames = true,
		 .pstart = 0x120a7f000, .pend = 0x120a7ffff, .left = "1 page", .right = "4K"},
		{.vstart = 0x7fc0fd581000, .vend = 0x7fc0fd591fff,
		 .left = "17 pages, not present, never touched"},
	};
	assert_int_equal(diagram_pairs(o, p, 2, 2), 0);
}

static void test_pairs(void **state)
{
	struct out o;
	assert_int_equal(draw_at(&o, 0, draw_pairs), 83);
	size_t len;
	const char *t = out_text(&o, &len);
	assert_non_null(strstr(t, "0x00007fc0fd580000 +------------------+"));
	out_discard(&o);
	assert_int_equal(draw_at(&o, 200, draw_pairs), 83);
	out_discard(&o);
	assert_true(draw_at(&o, 60, draw_pairs) <= 60);
	t = out_text(&o, &len);
	/* the digits the addresses need, a label wrapped at a ", " and the rest cut with a sign */
	assert_contains(t, "0x7fc0fd580000 +", "0x120a7ffff\n", "17 pages,", "..");
	assert_null(strstr(t, "not present|"));
	out_discard(&o);
}

/* Every box keeps a blank each side of its text: no character but a border or a link's
 * touches a border from inside. */
static void assert_blank_inside(const char *t)
{
	for (const char *p = t; *p; p++) {
		if (*p != '|' && *p != ':')
			continue;
		char before = p > t ? p[-1] : '\n', after = p[1];
		bool edge_before = strchr(" |:=-\n", before) != NULL;
		bool edge_after = strchr(" |:=-\n", after) != NULL || after == '\0';
		if (!edge_before || !edge_after)
			fail_msg("text touches a border: '%.30s'", p > t + 15 ? p - 15 : t);
	}
}

static void draw_unmapped(struct out *o)
{
	struct diagram_pair p[2] = {
		{.vstart = 0x7f00000a2000, .vend = 0x7f00000a5fff, .unmapped = true,
		 .left = "4 pages, unmapped"},
		{.vstart = 0x7f00000a6000, .vend = 0x7f00000a7fff, .frames = true, .joined = true,
		 .pstart = 0x30005000, .pend = 0x30006fff, .left = "2 pages",
		 .right = "8K contiguous"},
	};
	assert_int_equal(diagram_pairs(o, p, 2, 2), 0);
}

static void test_pairs_blank(void **state)
{
	struct out o;
	for (int cols = 0; cols <= 60; cols += 60) {
		const char *t = drawn(&o, cols, draw_unmapped);
		assert_blank_inside(t);
		/* the dotted box's label, whole over two lines */
		assert_contains(t, " 4 pages, ", " unmapped ");
		out_discard(&o);
	}
}

/* Prose wraps between words at the terminal's width, under its hanging indent, and keeps its
 * own blanks; a pipe gets it on one line, as it is. */
static const char prose[] = "  indices      pgd 273  pud 0  pmd 0  pte 0 and some words that go "
			    "on and on past sixty columns, /a/path/much/too/long/to/fit/anywhere/"
			    "on/a/line/of/its/own/at/all";

static void draw_prose(struct out *o)
{
	diagram_note(o, prose, 0, 15, 0);
}

static void test_note(void **state)
{
	struct out o;
	size_t len;
	draw_at(&o, 0, draw_prose);
	const char *t = out_text(&o, &len);
	assert_int_equal(len, strlen(prose) + 1);
	assert_memory_equal(t, prose, strlen(prose));
	out_discard(&o);
	t = drawn(&o, 200, draw_prose);
	assert_memory_equal(t, prose, strlen(prose));
	out_discard(&o);
	t = drawn(&o, 60, draw_prose);
	/* the first line as it was, blanks and all, up to the word that would pass 60; then
	 * the rest under the value column; a word too long for any line is never split, nor
	 * sent to a line of its own (it would not fit there either: a record's label keeps its
	 * value beside it so) */
	assert_string_equal(t, "  indices      pgd 273  pud 0  pmd 0  pte 0 and some words\n"
			       "               that go on and on past sixty columns, /a/path/much/"
			       "too/long/to/fit/anywhere/on/a/line/of/its/own/at/all\n");
	out_discard(&o);
	/* a terminal narrower than 40 columns: 40 still */
	t = drawn(&o, 30, draw_prose);
	assert_non_null(strstr(t, "  indices      pgd 273  pud 0  pmd 0\n               pte 0 and"));
	out_discard(&o);
}

/* faults' timeline: a bar per sample, the counts and RSS beside, the RSS as a sparkline */
static void draw_timeline(struct out *o)
{
	struct diagram_tick t[4] = {
		{100, 60, 0, 1 << 20, true},
		{200, 0, 0, 1 << 20, true},
		{300, 1024, 2, 5 << 20, true},
		{312, 3, 0, 0, false}, /* at exit: no RSS */
	};
	assert_int_equal(diagram_timeline(o, t, 4, 40, 40, false), 0);
}

static void test_timeline(void **state)
{
	struct out o;
	const char *t = drawn(&o, 0, draw_timeline);
	assert_contains(t,
			"    0.100s |###                                     |      60 minor     0 major  RSS 1M\n",
			"    0.200s |                                        |       0 minor     0 major  RSS 1M\n",
			/* the largest is the whole width */
			"    0.300s |########################################|    1024 minor     2 major  RSS 5M\n",
			/* a value that is not zero always shows */
			"    0.312s |#                                       |       3 minor     0 major  RSS -\n",
			/* the samples with an RSS: lowest, lowest, highest */
			"RSS __#  1M to 5M\n");
	assert_null(strstr(t, "each row"));
	out_discard(&o);
	/* nothing to draw */
	assert_int_equal(out_init(&o, false, false, false), 0);
	assert_int_equal(diagram_timeline(&o, NULL, 0, 40, 40, false), 0);
	size_t len;
	assert_string_equal(out_text(&o, &len), "no samples: the command ended within the first interval\n");
	out_discard(&o);
	/* JSON: nothing (the samples are the command's keys) */
	assert_int_equal(out_init(&o, true, false, false), 0);
	struct diagram_tick one = {100, 1, 0, 4096, true};
	assert_int_equal(diagram_timeline(&o, &one, 1, 40, 40, false), 0);
	out_discard(&o);
}

/* a long run: samples summed into rows, the faults added, the RSS the row's last */
static void test_timeline_rows(void **state)
{
	assert_int_equal(diagram_timeline_step(0, 40), 1);
	assert_int_equal(diagram_timeline_step(40, 40), 1);
	assert_int_equal(diagram_timeline_step(41, 40), 2);
	assert_int_equal(diagram_timeline_step(400, 40), 10);
	assert_int_equal(diagram_timeline_step(401, 40), 11);
	assert_int_equal(diagram_timeline_step(5, 0), 5);
	struct diagram_tick t[5];
	for (int i = 0; i < 5; i++)
		t[i] = (struct diagram_tick){(i + 1) * 10, (uint64_t)i + 1, 0, (uint64_t)(i + 1) << 20, true};
	struct out o;
	assert_int_equal(out_init(&o, false, false, false), 0);
	assert_int_equal(diagram_timeline(&o, t, 5, 2, 10, false), 0);
	size_t len;
	const char *s = out_text(&o, &len);
	assert_string_equal(s, "each row 3 samples\n"
			       "    0.030s |#######   |       6 minor     0 major  RSS 3M\n"
			       "    0.050s |##########|       9 minor     0 major  RSS 5M\n"
			       "RSS _.:+#  1M to 5M\n");
	out_discard(&o);
}

TEST_MAIN_OF(test_map, test_cut_keeps_size, test_bar, test_size_never_cut, test_bar_rounding,
	     test_hbars, test_pairs, test_pairs_blank, test_note, test_timeline, test_timeline_rows)
