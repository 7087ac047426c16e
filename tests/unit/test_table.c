/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The table layer (out/table.c, rows.c, table_text.c, table_scols.c, table_json.c), byte for
 * byte: the direct writer and libsmartcols give the same text, column widths and alignment,
 * --bytes, -o, where columns and tables show, every JSON shape, and a spooled table of 10 000
 * rows printing the same as one kept in memory, in flat memory. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "out/table_int.h"

/* Print @t to @o (initialised by the caller) and commit it: what it wrote, malloc'd. */
static char *commit(struct table *t, struct out *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(table_print(t, o), 0);
	assert_int_equal(out_commit(o, fp), 0);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

struct opts {
	bool bytes, noheadings, direct;
};

/* @t as text, through the direct writer (when @op->direct says it takes this table) and
 * through libsmartcols (MEMSCOPE_TABLE=library): the two must agree. */
static char *text_of(struct table *t, const struct opts *op)
{
	struct out o;
	char *text[2];
	for (int lib = 0; lib < 2; lib++) {
		if (lib)
			assert_int_equal(setenv("MEMSCOPE_TABLE", "library", 1), 0);
		assert_int_equal(out_init(&o, false, op->bytes, false), 0);
		o.noheadings = op->noheadings;
		assert_int_equal(direct_text(t, &o), op->direct && !lib);
		text[lib] = commit(t, &o);
		unsetenv("MEMSCOPE_TABLE");
	}
	assert_string_equal(text[0], text[1]);
	free(text[1]);
	return text[0];
}

static char *json_of(struct table *t)
{
	struct out o;
	assert_int_equal(out_init(&o, true, false, false), 0);
	return commit(t, &o);
}

#define TEXT_IS(t, op, want)                                                                       \
	do {                                                                                       \
		char *s_ = text_of((t), (op));                                                     \
		assert_string_equal(s_, (want));                                                   \
		free(s_);                                                                          \
	} while (0)
#define JSON_IS(t, want)                                                                           \
	do {                                                                                       \
		char *s_ = json_of(t);                                                             \
		assert_string_equal(s_, (want));                                                   \
		free(s_);                                                                          \
	} while (0)

/* ---- a table of every cell type ---- */
enum { C_NAME, C_START, C_SIZE, C_PCT, C_IDX, C_DELTA, C_OK, C_OFF, C_COUNT, C_EXTRA, C_N };
static const struct col_def all_defs[] = {
	[C_NAME] = {"NAME", "name", COL_STR, COLF_DEFAULT, "name", NULL},
	[C_START] = {"START", "start", COL_ADDR, COLF_DEFAULT, "start", NULL},
	[C_SIZE] = {"SIZE", "size", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "size", NULL},
	[C_PCT] = {"PCT", "pct", COL_PERCENT, COLF_DEFAULT | COLF_RIGHT, "share", NULL},
	[C_IDX] = {"IDX", "index", COL_INDEX, COLF_DEFAULT | COLF_RIGHT, "index", NULL},
	[C_DELTA] = {"DELTA", "delta", COL_DELTA, COLF_DEFAULT | COLF_RIGHT, "change", NULL},
	[C_OK] = {"OK", "ok", COL_BOOL, COLF_DEFAULT, "ok", NULL},
	[C_OFF] = {"OFFSET", "offset", COL_HEX, COLF_DEFAULT, "offset", NULL},
	[C_COUNT] = {"LONGHEADING", "count", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "count", NULL},
	[C_EXTRA] = {"EXTRA", "extra", COL_STR, 0, "extra", NULL},
};

static struct table *all_table(void)
{
	struct table *t = table_new(all_defs, C_N, "all");
	assert_non_null(t);
	struct trow *r = table_add(t, NULL);
	trow_str(r, C_NAME, "kernel");
	trow_addr(r, C_START, 0x1000);
	trow_size(r, C_SIZE, 2 << 20);
	trow_percent(r, C_PCT, 12.5);
	trow_index(r, C_IDX, 125);
	trow_delta(r, C_DELTA, 5);
	trow_bool(r, C_OK, true);
	trow_typed(r, C_OFF, COL_HEX, 0x1a000);
	trow_count(r, C_COUNT, 7);
	trow_str(r, C_EXTRA, "x");
	r = table_add(t, NULL);
	trow_str(r, C_NAME, "a");
	trow_addr(r, C_START, 0x123456789);
	trow_size(r, C_SIZE, 1536);
	trow_percent(r, C_PCT, 100);
	trow_index(r, C_IDX, 1000);
	trow_delta(r, C_DELTA, -3);
	trow_bool(r, C_OK, false);
	trow_null(r, C_OFF);
	trow_null(r, C_COUNT);
	r = table_add(t, NULL);
	trow_null(r, C_NAME);
	trow_null(r, C_START);
	trow_size(r, C_SIZE, 0);
	trow_percent(r, C_PCT, 0);
	trow_index(r, C_IDX, 0);
	trow_delta(r, C_DELTA, 0);
	/* OK, OFFSET, LONGHEADING never set: the line ends after DELTA */
	return t;
}

static void test_text(void **state)
{
	struct table *t = all_table();
	/* widths of the widest cell or heading, one blank between, numbers to the right, the
	 * addresses padded to the widest (9 digits), nothing after the last cell with data */
	TEXT_IS(t, (&(struct opts){.direct = true}),
		"NAME   START       SIZE    PCT   IDX DELTA OK  OFFSET  LONGHEADING\n"
		"kernel 0x000001000   2M  12.5% 0.125    +5 yes 0x1a000           7\n"
		"a      0x123456789 1.5K 100.0% 1.000    -3 no  -                 -\n"
		"-      -             0B   0.0% 0.000     0\n");
	TEXT_IS(t, (&(struct opts){.direct = true, .bytes = true}),
		"NAME   START          SIZE    PCT   IDX DELTA OK  OFFSET  LONGHEADING\n"
		"kernel 0x000001000 2097152  12.5% 0.125    +5 yes 0x1a000           7\n"
		"a      0x123456789    1536 100.0% 1.000    -3 no  -                 -\n"
		"-      -                 0   0.0% 0.000     0\n");
	/* without headings, they still set the widths (as in libsmartcols) */
	TEXT_IS(t, (&(struct opts){.direct = true, .noheadings = true}),
		"kernel 0x000001000   2M  12.5% 0.125    +5 yes 0x1a000           7\n"
		"a      0x123456789 1.5K 100.0% 1.000    -3 no  -                 -\n"
		"-      -             0B   0.0% 0.000     0\n");
	table_free(t);
}

static void test_json(void **state)
{
	struct table *t = all_table();
	assert_int_equal(table_select(t, "+EXTRA", NULL), 0);
	/* a cell never set is absent; a null one is null */
	JSON_IS(t, "{\n"
		   "  \"all\": [\n"
		   "    {\n"
		   "      \"name\": \"kernel\",\n"
		   "      \"start\": \"0x0000000000001000\",\n"
		   "      \"size\": 2097152,\n"
		   "      \"pct\": 12.50,\n"
		   "      \"index\": 0.125,\n"
		   "      \"delta\": 5,\n"
		   "      \"ok\": true,\n"
		   "      \"offset\": 106496,\n"
		   "      \"count\": 7,\n"
		   "      \"extra\": \"x\"\n"
		   "    },\n"
		   "    {\n"
		   "      \"name\": \"a\",\n"
		   "      \"start\": \"0x0000000123456789\",\n"
		   "      \"size\": 1536,\n"
		   "      \"pct\": 100.00,\n"
		   "      \"index\": 1.000,\n"
		   "      \"delta\": -3,\n"
		   "      \"ok\": false,\n"
		   "      \"offset\": null,\n"
		   "      \"count\": null\n"
		   "    },\n"
		   "    {\n"
		   "      \"name\": null,\n"
		   "      \"start\": null,\n"
		   "      \"size\": 0,\n"
		   "      \"pct\": 0.00,\n"
		   "      \"index\": 0.000,\n"
		   "      \"delta\": 0\n"
		   "    }\n"
		   "  ]\n"
		   "}\n");
	table_free(t);
	/* an empty table: no text at all (libsmartcols prints no heading alone), an empty
	 * array */
	t = table_new(all_defs, C_N, "none");
	TEXT_IS(t, (&(struct opts){.direct = true}), "");
	JSON_IS(t, "{\n  \"none\": [\n  ]\n}\n");
	table_free(t);
}

static void test_select(void **state)
{
	struct ms_error err = {0};
	struct table *t = all_table();
	/* case-insensitive, in the order given */
	assert_int_equal(table_select(t, "size,Name", &err), 0);
	TEXT_IS(t, (&(struct opts){.direct = true}),
		"SIZE NAME\n"
		"  2M kernel\n"
		"1.5K a\n"
		"  0B -\n");
	JSON_IS(t, "{\n  \"all\": [\n"
		   "    {\n      \"size\": 2097152,\n      \"name\": \"kernel\"\n    },\n"
		   "    {\n      \"size\": 1536,\n      \"name\": \"a\"\n    },\n"
		   "    {\n      \"size\": 0,\n      \"name\": null\n    }\n"
		   "  ]\n}\n");
	/* "+" adds to the columns chosen so far */
	assert_int_equal(table_select(t, "+extra", &err), 0);
	TEXT_IS(t, (&(struct opts){.direct = true}),
		"SIZE NAME   EXTRA\n"
		"  2M kernel x\n"
		"1.5K a\n"
		"  0B -\n");
	/* NULL: no -o, nothing changes */
	assert_int_equal(table_select(t, NULL, &err), 0);
	assert_int_equal(t->nsel, 3);
	/* errors leave the selection as it was */
	assert_int_equal(table_select(t, "NAME,bogus", &err), -EINVAL);
	assert_string_equal(err.reason, "unknown column 'bogus'");
	assert_int_equal(table_select(t, "NAME,,SIZE", &err), -EINVAL);
	assert_string_equal(err.reason, "unknown column ''");
	assert_int_equal(table_select(t, "", &err), -EINVAL);
	assert_string_equal(err.reason, "no columns in -o");
	assert_int_equal(table_select(t, "name,name,name,name,name,name,name,name,name,name,name",
				      &err),
			 -EINVAL);
	assert_string_equal(err.reason,
			    "too many columns in 'name,name,name,name,name,name,name,name,name,name,"
			    "name'");
	assert_int_equal(t->nsel, 3);
	/* the help lists every column that shows in text */
	char help[1024];
	table_columns_help(all_defs, 3, help, sizeof(help));
	assert_string_equal(help, "  NAME       name\n  START      start\n  SIZE       size\n");
	table_columns_help(all_defs + C_EXTRA, 1, help, sizeof(help));
	assert_string_equal(help, "  EXTRA      extra (not shown by default)\n");
	table_free(t);
}

/* ---- where columns and tables show ---- */
static const struct col_def show_defs[] = {
	{"ZONE", NULL, COL_STR, COLF_DEFAULT | COLF_SHOW(SHOW_TEXT), "zone", NULL},
	{"FREE", "free", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "free", NULL},
	{"RAW", "raw", COL_COUNT, COLF_DEFAULT | COLF_SHOW(SHOW_JSON), "raw", NULL},
	{"LABEL", "label", COL_STR, COLF_DEFAULT | COLF_SHOW(SHOW_TEXT), "label", NULL},
};

static struct table *show_table(void)
{
	struct table *t = table_new(show_defs, 4, "zones");
	for (int i = 0; i < 2; i++) {
		struct trow *r = table_add(t, NULL);
		trow_str(r, 0, i ? "Normal" : "DMA");
		trow_count(r, 1, i ? 1000 : 3);
		trow_count(r, 2, i ? 99 : 1);
		trow_str(r, 3, i ? "n" : "d");
	}
	return t;
}

static void test_show(void **state)
{
	struct table *t = show_table();
	TEXT_IS(t, (&(struct opts){.direct = true}),
		"ZONE   FREE LABEL\n"
		"DMA       3 d\n"
		"Normal 1000 n\n");
	JSON_IS(t, "{\n  \"zones\": [\n"
		   "    {\n      \"free\": 3,\n      \"raw\": 1\n    },\n"
		   "    {\n      \"free\": 1000,\n      \"raw\": 99\n    }\n"
		   "  ]\n}\n");
	/* a JSON-only column is not in --help's list */
	char help[1024];
	table_columns_help(show_defs, 4, help, sizeof(help));
	assert_string_equal(help, "  ZONE       zone\n  FREE       free\n  LABEL      label\n");
	/* the whole table for text only: no JSON (the document is empty) */
	table_show(t, SHOW_TEXT);
	JSON_IS(t, "{}\n");
	TEXT_IS(t, (&(struct opts){.direct = true}), "ZONE   FREE LABEL\nDMA       3 d\nNormal 1000 n\n");
	/* for JSON only: no text */
	table_show(t, SHOW_JSON);
	TEXT_IS(t, (&(struct opts){.direct = true}), "");
	JSON_IS(t, "{\n  \"zones\": [\n"
		   "    {\n      \"free\": 3,\n      \"raw\": 1\n    },\n"
		   "    {\n      \"free\": 1000,\n      \"raw\": 99\n    }\n"
		   "  ]\n}\n");
	table_free(t);
}

/* ---- JSON shapes ---- */
static const struct col_def kv_defs[] = {
	{"FIELD", NULL, COL_STR, COLF_DEFAULT | COLF_SHOW(SHOW_TEXT), "field", NULL},
	{"VALUE", "value", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "value", NULL},
	{"PAGES", "pages", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "pages", NULL},
};

static struct table *kv_table(void)
{
	struct table *t = table_new(kv_defs, 3, "meminfo");
	static const char *const keys[] = {"MemTotal", "MemFree", "Huge"};
	for (int i = 0; i < 3; i++) {
		struct trow *r = table_add(t, NULL);
		trow_key(r, keys[i]);
		trow_str(r, 0, keys[i]);
		trow_size(r, 1, (uint64_t)(i + 1) << 20);
		trow_count(r, 2, (uint64_t)(i + 1) * 256);
	}
	return t;
}

static void test_keyed_flat(void **state)
{
	struct table *t = kv_table();
	table_json_keyed(t);
	JSON_IS(t, "{\n  \"meminfo\": {\n"
		   "    \"MemTotal\": {\n      \"value\": 1048576,\n      \"pages\": 256\n    },\n"
		   "    \"MemFree\": {\n      \"value\": 2097152,\n      \"pages\": 512\n    },\n"
		   "    \"Huge\": {\n      \"value\": 3145728,\n      \"pages\": 768\n    }\n"
		   "  }\n}\n");
	/* keyed rows are text as any other */
	TEXT_IS(t, (&(struct opts){.direct = true}),
		"FIELD    VALUE PAGES\n"
		"MemTotal    1M   256\n"
		"MemFree     2M   512\n"
		"Huge        3M   768\n");
	table_free(t);
	t = kv_table();
	table_json_flat(t, 1);
	/* a row's cell may be wide: a "0x" string */
	trow_wide(t->last, 1);
	JSON_IS(t, "{\n  \"meminfo\": {\n"
		   "    \"MemTotal\": 1048576,\n"
		   "    \"MemFree\": 2097152,\n"
		   "    \"Huge\": \"0x0000000000300000\"\n"
		   "  }\n}\n");
	table_free(t);
}

static const struct col_def nest_defs[] = {
	{"ID", "id", COL_COUNT, COLF_DEFAULT, "id", NULL},
	{"RSS", "mem.rss", COL_SIZE, COLF_DEFAULT, "rss", NULL},
	{"ANON", "mem.detail.anon", COL_SIZE, COLF_DEFAULT, "anon", NULL},
	{"NAME", "name", COL_STR, COLF_DEFAULT, "name", NULL},
	{"PSS", "mem.pss", COL_SIZE, COLF_DEFAULT, "pss", NULL},
	{"O0", "free", COL_COUNT, COLF_DEFAULT | COLF_LIST, "order 0", NULL},
	{"O1", "free", COL_COUNT, COLF_DEFAULT | COLF_LIST, "order 1", NULL},
	{"O2", "free", COL_COUNT, COLF_DEFAULT | COLF_LIST, "order 2", NULL},
	{"VSZ", "vsz", COL_SIZE, COLF_DEFAULT | COLF_WIDE, "virtual size", NULL},
	{"CHG", "change", COL_DELTA, COLF_DEFAULT | COLF_WIDE, "change", NULL},
};

static void test_nesting_lists(void **state)
{
	struct table *t = table_new(nest_defs, 10, "procs");
	struct trow *r = table_add(t, NULL);
	trow_count(r, 0, 1);
	trow_size(r, 1, 4096);
	trow_size(r, 2, 8192);
	trow_str(r, 3, "init");
	trow_size(r, 4, 2048);
	trow_count(r, 5, 10);
	trow_count(r, 6, 20);
	trow_count(r, 7, 30);
	trow_size(r, 8, 0xfffffffffffff000u);
	trow_delta(r, 9, -2);
	r = table_add(t, NULL);
	/* "mem" starts where its first set member is; a list of its set cells only */
	trow_count(r, 0, 2);
	trow_str(r, 3, "b");
	trow_size(r, 4, 1);
	trow_count(r, 6, 5);
	trow_delta(r, 9, 3);
	JSON_IS(t, "{\n  \"procs\": [\n"
		   "    {\n"
		   "      \"id\": 1,\n"
		   "      \"mem\": {\n"
		   "        \"rss\": 4096,\n"
		   "        \"detail\": {\n"
		   "          \"anon\": 8192\n"
		   "        },\n"
		   "        \"pss\": 2048\n"
		   "      },\n"
		   "      \"name\": \"init\",\n"
		   "      \"free\": [\n"
		   "        10,\n"
		   "        20,\n"
		   "        30\n"
		   "      ],\n"
		   "      \"vsz\": \"0xfffffffffffff000\",\n"
		   "      \"change\": \"-0x0000000000000002\"\n"
		   "    },\n"
		   "    {\n"
		   "      \"id\": 2,\n"
		   "      \"name\": \"b\",\n"
		   "      \"mem\": {\n"
		   "        \"pss\": 1\n"
		   "      },\n"
		   "      \"free\": [\n"
		   "        5\n"
		   "      ],\n"
		   "      \"change\": \"0x0000000000000003\"\n"
		   "    }\n"
		   "  ]\n}\n");
	/* wide columns are text as any other (VSZ is not right-aligned) */
	assert_int_equal(table_select(t, "ID,VSZ,CHG", NULL), 0);
	TEXT_IS(t, (&(struct opts){.direct = true, .bytes = true}),
		"ID VSZ                  CHG\n"
		"1  18446744073709547520 -2\n"
		"2                       +3\n");
	table_free(t);
}

/* ---- trees ---- */
static const struct col_def tree_defs[] = {
	{"NAME", "name", COL_STR, COLF_DEFAULT | COLF_TREE, "name", NULL},
	{"FREE", "free", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "free", "free_blocks"},
	{"ORDER", "order", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "order", NULL},
};

static struct table *tree_table(void)
{
	struct table *t = table_new(tree_defs, 3, "zones");
	for (int z = 0; z < 2; z++) {
		struct trow *p = table_add(t, NULL);
		trow_str(p, 0, z ? "Normal" : "DMA");
		trow_count(p, 1, z ? 100 : 10);
		for (int o = 0; o < 2; o++) {
			struct trow *c = table_add(t, p);
			trow_str(c, 0, o ? "order1" : "order0");
			trow_count(c, 1, (uint64_t)(z * 10 + o));
			trow_count(c, 2, (uint64_t)o);
		}
	}
	return t;
}

static void test_tree(void **state)
{
	struct table *t = tree_table();
	/* text: tree art, through libsmartcols only (ASCII art: the test runs in the C locale) */
	TEXT_IS(t, (&(struct opts){.direct = false}),
		"NAME     FREE ORDER\n"
		"DMA        10\n"
		"|-order0    0     0\n"
		"`-order1    1     1\n"
		"Normal    100\n"
		"|-order0   10     0\n"
		"`-order1   11     1\n");
	JSON_IS(t, "{\n  \"zones\": [\n"
		   "    {\n      \"name\": \"DMA\",\n      \"free\": 10,\n      \"children\": [\n"
		   "        {\n          \"name\": \"order0\",\n          \"free\": 0,\n"
		   "          \"order\": 0\n        },\n"
		   "        {\n          \"name\": \"order1\",\n          \"free\": 1,\n"
		   "          \"order\": 1\n        }\n"
		   "      ]\n    },\n"
		   "    {\n      \"name\": \"Normal\",\n      \"free\": 100,\n      \"children\": [\n"
		   "        {\n          \"name\": \"order0\",\n          \"free\": 10,\n"
		   "          \"order\": 0\n        },\n"
		   "        {\n          \"name\": \"order1\",\n          \"free\": 11,\n"
		   "          \"order\": 1\n        }\n"
		   "      ]\n    }\n"
		   "  ]\n}\n");
	/* without the tree column in the text, still libsmartcols: the children follow their
	 * parent, without tree art (the direct writer once printed the top-level rows alone) */
	assert_int_equal(table_select(t, "FREE,ORDER", NULL), 0);
	TEXT_IS(t, (&(struct opts){.direct = false}),
		"FREE ORDER\n"
		"  10\n"
		"   0     0\n"
		"   1     1\n"
		" 100\n"
		"  10     0\n"
		"  11     1\n");
	table_free(t);
	/* flattened: every row in one array, in order */
	t = tree_table();
	table_json_flatten(t);
	JSON_IS(t, "{\n  \"zones\": [\n"
		   "    {\n      \"name\": \"DMA\",\n      \"free\": 10\n    },\n"
		   "    {\n      \"name\": \"order0\",\n      \"free\": 0,\n      \"order\": 0\n    },\n"
		   "    {\n      \"name\": \"order1\",\n      \"free\": 1,\n      \"order\": 1\n    },\n"
		   "    {\n      \"name\": \"Normal\",\n      \"free\": 100\n    },\n"
		   "    {\n      \"name\": \"order0\",\n      \"free\": 10,\n      \"order\": 0\n    },\n"
		   "    {\n      \"name\": \"order1\",\n      \"free\": 11,\n      \"order\": 1\n    }\n"
		   "  ]\n}\n");
	table_free(t);
	/* child lists: the children's FREE as an array on the parent (ORDER has no child_key) */
	t = tree_table();
	table_json_child_lists(t);
	JSON_IS(t, "{\n  \"zones\": [\n"
		   "    {\n      \"name\": \"DMA\",\n      \"free\": 10,\n      \"free_blocks\": [\n"
		   "        0,\n        1\n      ]\n    },\n"
		   "    {\n      \"name\": \"Normal\",\n      \"free\": 100,\n      \"free_blocks\": [\n"
		   "        10,\n        11\n      ]\n    }\n"
		   "  ]\n}\n");
	table_free(t);
}

/* ---- spooling ---- */
static const struct col_def big_defs[] = {
	{"START", "start", COL_ADDR, COLF_DEFAULT, "start", NULL},
	{"END", "end", COL_ADDR, COLF_DEFAULT, "end", NULL},
	{"RSS", "rss", COL_SIZE, COLF_DEFAULT | COLF_RIGHT, "rss", NULL},
	{"PAGES", "pages", COL_COUNT, COLF_DEFAULT | COLF_RIGHT, "pages", NULL},
	{"NAME", "name", COL_STR, COLF_DEFAULT, "name", NULL},
};
#define BIG_ROWS 10000

static void big_fill(struct table *t)
{
	for (uint64_t i = 0; i < BIG_ROWS; i++) {
		struct trow *r = table_add(t, NULL);
		assert_non_null(r);
		char name[64];
		snprintf(name, sizeof(name), "/usr/lib/lib%llu.so", (unsigned long long)(i * 7919 % 100003));
		trow_addr(r, 0, 0x400000 + i * 0x1000);
		/* the widest address comes late: a spooled segment must not fix the width */
		trow_addr(r, 1, i == BIG_ROWS - 3 ? 0x7ffffffff000u : 0x400fff + i * 0x1000);
		trow_size(r, 2, i * 4096);
		if (i % 1000 == 999)
			trow_null(r, 3);
		else
			trow_count(r, 3, i * i);
		trow_str(r, 4, i % 5 ? name : NULL);
	}
}

static size_t blocks(const struct table *t)
{
	size_t n = 0;
	for (const struct block *b = t->blocks; b; b = b->next)
		n++;
	return n;
}

static void test_spool(void **state)
{
	/* in memory: the reference */
	struct table *mem = table_new(big_defs, 5, "maps");
	big_fill(mem);
	size_t mem_blocks = blocks(mem);
	struct out o;
	assert_int_equal(out_init(&o, false, false, false), 0);
	char *want_text = commit(mem, &o);
	char *want_json = json_of(mem);
	/* measured and spooled */
	struct out to;
	struct table *sp = table_new(big_defs, 5, "maps");
	assert_int_equal(out_init(&to, false, false, false), 0);
	assert_int_equal(table_measure(sp, &to), 0);
	table_spool(sp);
	big_fill(sp);
	/* most rows went to the spool; memory holds one segment's rows at most */
	assert_true(sp->spooled >= BIG_ROWS - 2048);
	assert_true(sp->mem_rows <= 2048);
	assert_true(blocks(sp) < mem_blocks);
	assert_true(blocks(sp) <= 2);
	assert_true(sp->strings_cap < mem->strings_cap);
	assert_true(direct_text(sp, &to));
	char *text = commit(sp, &to);
	assert_string_equal(text, want_text);
	free(text);
	/* the spool reads back again, for JSON */
	char *json = json_of(sp);
	assert_string_equal(json, want_json);
	free(json);
	assert_true(sp->spooled > 0);
	/* libsmartcols reads every row back first, and prints the same */
	assert_int_equal(setenv("MEMSCOPE_TABLE", "library", 1), 0);
	assert_int_equal(out_init(&o, false, false, false), 0);
	text = commit(sp, &o);
	unsetenv("MEMSCOPE_TABLE");
	assert_int_equal(sp->spooled, 0);
	assert_string_equal(text, want_text);
	free(text);
	json = json_of(sp);
	assert_string_equal(json, want_json);
	free(json);
	/* the reference is what it should be: the heading and a few rows (addresses padded to
	 * the widest, 12 digits, which came late; a null count; a null name) */
	assert_true(strncmp(want_text,
			    "START          END              RSS    PAGES NAME\n"
			    "0x000000400000 0x000000400fff    0B        0 -\n"
			    "0x000000401000 0x000000401fff    4K        1 /usr/lib/lib7919.so\n",
			    strlen("START          END              RSS    PAGES NAME\n") * 3) == 0);
	assert_non_null(strstr(want_text, "\n0x0000007e7000 0x0000007e7fff  3.9M        - "
					  "/usr/lib/lib10844.so\n"));
	assert_non_null(strstr(want_text, "\n0x000002b0d000 0x7ffffffff000 39.1M 99940009 "
					  "/usr/lib/lib63870.so\n"));
	size_t lines = 0;
	for (const char *p = want_text; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, BIG_ROWS + 1);
	assert_int_equal(strlen(want_json) > 0, 1);
	assert_non_null(strstr(want_json, "    {\n      \"start\": \"0x00000000007e7000\",\n"
					  "      \"end\": \"0x00000000007e7fff\",\n"
					  "      \"rss\": 4091904,\n"
					  "      \"pages\": null,\n"
					  "      \"name\": \"/usr/lib/lib10844.so\"\n    },\n"));
	free(want_text);
	free(want_json);
	table_free(sp);
	table_free(mem);
}

/* Allocation failure on demand: this test links with --wrap=malloc and --wrap=realloc, so
 * the table layer's own calls come here (libc's and libsmartcols' do not). */
void *__real_malloc(size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_realloc(void *p, size_t size);
static bool alloc_fails;

void *__wrap_malloc(size_t size)
{
	return alloc_fails ? NULL : __real_malloc(size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return alloc_fails ? NULL : __real_realloc(p, size);
}

/* Out of memory while it fills, a table gives rows that are not kept (never NULL: no caller
 * checks each), and fails to print, whole: nothing of it is written, text or JSON */
static void test_out_of_memory(void **state)
{
	(void)state;
	for (int json = 0; json < 2; json++) {
		struct table *t = table_new(big_defs, 5, "maps");
		assert_non_null(t);
		for (int i = 0; i < 3; i++)
			trow_str(table_add(t, NULL), 4, "kept");
		alloc_fails = true;
		/* a string that needs a bigger arena, then rows that need a new block */
		char big[100000];
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		trow_str(table_add(t, NULL), 4, big);
		for (int i = 0; i < 20000; i++) {
			struct trow *r = table_add(t, NULL);
			assert_non_null(r);
			trow_addr(r, 0, (uint64_t)i);
			trow_str(r, 4, "lost");
			trow_key(r, "k");
			assert_non_null(table_add(t, r)); /* a child of a lost row */
		}
		alloc_fails = false;
		struct out o;
		assert_int_equal(out_init(&o, json, false, false), 0);
		size_t before = o.memlen;
		assert_int_equal(table_print(t, &o), -ENOMEM);
		fflush(o.buf);
		assert_int_equal(o.memlen, before);
		out_discard(&o);
		table_free(t);
	}
}

/* A signed size: the sign, then the size as every size is written (human, or --bytes); 0 has
 * none; JSON the integer; INT64_MIN's magnitude without overflow */
static void test_size_delta(void **state)
{
	(void)state;
	static const struct col_def d[] = {
		{"NAME", "name", COL_STR, COLF_DEFAULT, "name", NULL},
		{"CHANGE", "change", COL_SIZE_DELTA, COLF_DEFAULT | COLF_RIGHT, "change", NULL},
	};
	struct table *t = table_new(d, 2, "rows");
	assert_non_null(t);
	const int64_t v[] = {1536, -(INT64_C(4) << 20), 0, INT64_MIN};
	const char *name[] = {"up", "down", "same", "min"};
	for (int i = 0; i < 4; i++) {
		struct trow *r = table_add(t, NULL);
		trow_str(r, 0, name[i]);
		trow_size_delta(r, 1, v[i]);
	}
	TEXT_IS(t, (&(struct opts){.direct = true}),
		"NAME CHANGE\n"
		"up    +1.5K\n"
		"down    -4M\n"
		"same     0B\n"
		"min     -8E\n");
	TEXT_IS(t, (&(struct opts){.direct = true, .bytes = true}),
		"NAME               CHANGE\n"
		"up                  +1536\n"
		"down             -4194304\n"
		"same                    0\n"
		"min  -9223372036854775808\n");
	char *j = json_of(t);
	assert_non_null(strstr(j, "\"change\": 1536"));
	assert_non_null(strstr(j, "\"change\": -4194304"));
	assert_non_null(strstr(j, "\"change\": 0"));
	assert_non_null(strstr(j, "\"change\": -9223372036854775808"));
	free(j);
	table_free(t);
}

TEST_MAIN(cmocka_unit_test(test_text), cmocka_unit_test(test_size_delta), cmocka_unit_test(test_json), cmocka_unit_test(test_select),
	  cmocka_unit_test(test_show), cmocka_unit_test(test_keyed_flat),
	  cmocka_unit_test(test_nesting_lists), cmocka_unit_test(test_tree),
	  cmocka_unit_test(test_spool), cmocka_unit_test(test_out_of_memory))
