/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The line iterator every proc/ text parser reads through, and the tail they share: the empty
 * file, the failure naming its line, the NUL byte, the copy handed on. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "proc/text.h"

static void test_lines_numbered(void **state)
{
	static const char t[] = "one\n\n  three\r\nfour";
	struct lines it;
	assert_null(lines_open(&it, t, strlen(t), "f", NULL, 0));
	const char *want[] = {"one", "", "  three\r", "four"};
	for (unsigned i = 0; i < 4; i++) {
		char *line = lines_next(&it);
		assert_non_null(line);
		assert_string_equal(line, want[i]);
		assert_int_equal(it.no, i + 1);
		assert_true(it.eol == line + strlen(want[i]));
		assert_int_equal(it.cut, i == 3); /* the last line has no '\n' */
		assert_false(it.nul);
	}
	assert_null(lines_next(&it));
	assert_null(lines_next(&it));
	/* lines were found: nothing to say */
	assert_int_equal(lines_end(&it, 4, "none", NULL), 0);
	assert_null(it.text);
	/* the copy is the parser's: the caller's bytes are untouched */
	assert_string_equal(t, "one\n\n  three\r\nfour");
}

static void test_rows(void **state)
{
	struct lines it;
	/* a row per line at least: 3 '\n', so 4 rows (the last line may lack one) */
	int *rows = lines_open(&it, "a\nb\nc\n", 6, "f", NULL, sizeof(int));
	assert_non_null(rows);
	for (int i = 0; i < 4; i++)
		assert_int_equal(rows[i], 0);
	free(rows);
	assert_int_equal(lines_end(&it, 1, "none", NULL), 0);
	/* lines_alloc() after a failure fails too, and keeps the first failure */
	lines_open(&it, "x\n", 2, "f", NULL, 0);
	assert_non_null(lines_next(&it));
	assert_int_equal(lines_fail(&it, "bad"), -EINVAL);
	assert_null(lines_alloc(&it, 1, 8));
	assert_int_equal(lines_end(&it, 0, "none", NULL), -EINVAL);
}

static void test_empty_and_none(void **state)
{
	struct lines it;
	struct ms_error err = {0};
	lines_open(&it, "", 0, "DIR/proc/x", &err, 0);
	assert_null(lines_next(&it));
	assert_failed(lines_end(&it, 0, "no rows in the file", NULL), &err, -EINVAL, 0,
		      "empty file");
	assert_string_equal(err.file, "DIR/proc/x");
	/* blank lines only: not empty, but nothing the parser wanted */
	lines_open(&it, "\n \n", 3, "f", &err, 0);
	while (lines_next(&it))
		;
	assert_failed(lines_end(&it, 0, "no rows in the file", NULL), &err, -EINVAL, 0,
		      "no rows in the file");
}

static void test_fail_names_line(void **state)
{
	struct lines it;
	struct ms_error err = {0};
	static const char t[] = "ok\nok\nbad 7\nnever\n";
	lines_open(&it, t, strlen(t), "f", &err, 0);
	char *line;
	unsigned seen = 0;
	while ((line = lines_next(&it))) {
		seen++;
		if (!strncmp(line, "bad", 3))
			lines_fail(&it, "'%s' is not ok (%d)", line, 7);
	}
	assert_int_equal(seen, 3); /* the failure ends the loop */
	/* a second failure does not overwrite the first */
	assert_int_equal(lines_fail(&it, "later"), -EINVAL);
	char *keep = NULL;
	assert_failed(lines_end(&it, 2, "none", &keep), &err, -EINVAL, 3, "'bad 7' is not ok (7)");
	assert_null(keep); /* a failed parse keeps nothing */
	/* truncated: the last line has no newline, which a parser says as "cut off" */
	lines_open(&it, "a 1\nb", 5, "f", &err, 0);
	while ((line = lines_next(&it)))
		if (!strchr(line, ' '))
			lines_fail(&it, it.cut ? "last line cut off" : "expected 'KEY VALUE'");
	assert_failed(lines_end(&it, 1, "none", NULL), &err, -EINVAL, 2, "last line cut off");
}

static void test_nul_byte(void **state)
{
	struct lines it;
	struct ms_error err = {0};
	static const char t[] = "a\nb\0c\nd\n";
	lines_open(&it, t, sizeof(t) - 1, "f", &err, 0);
	assert_string_equal(lines_next(&it), "a");
	assert_null(lines_next(&it));
	assert_failed(lines_end(&it, 1, "none", NULL), &err, -EINVAL, 2, "NUL byte in line");
	/* nul_ok: the line is handed on, cut at the NUL, and says so */
	lines_open(&it, t, sizeof(t) - 1, "f", &err, 0);
	it.nul_ok = true;
	assert_string_equal(lines_next(&it), "a");
	assert_false(it.nul);
	assert_string_equal(lines_next(&it), "b");
	assert_true(it.nul);
	assert_true(it.eol == it.text + 5);
	assert_string_equal(lines_next(&it), "d");
	assert_false(it.nul);
	assert_int_equal(lines_end(&it, 3, "none", NULL), 0);
	/* NULs after the last line: a saved page's padding, the file ends before them */
	static const char pad[] = "a\nb\n\0\0\0\0";
	lines_open(&it, pad, sizeof(pad) - 1, "f", &err, 0);
	assert_string_equal(lines_next(&it), "a");
	assert_string_equal(lines_next(&it), "b");
	assert_null(lines_next(&it));
	assert_int_equal(lines_end(&it, 2, "none", NULL), 0);
	/* not after a whole line: the line holds them */
	static const char cut[] = "a\nb\0\0";
	lines_open(&it, cut, sizeof(cut) - 1, "f", &err, 0);
	assert_string_equal(lines_next(&it), "a");
	assert_null(lines_next(&it));
	assert_failed(lines_end(&it, 1, "none", NULL), &err, -EINVAL, 2, "NUL byte in line");
}

static void test_keep(void **state)
{
	struct lines it;
	lines_open(&it, "k: v\n", 5, "f", NULL, 0);
	char *line = lines_next(&it), *keep = NULL;
	assert_int_equal(lines_end(&it, 1, "none", &keep), 0);
	assert_true(keep == line); /* the rows may point into it: handed on, not freed */
	assert_string_equal(keep, "k: v");
	free(keep);
}

static void test_line_with(void **state)
{
	static const char t[] = "flags\t: fpu\nvendor_id : x\nflags : la57\nlast";
	const char *p = text_line_with(t, "flags");
	assert_true(p == t);
	p = text_line_with(text_next_line(p), "flags");
	assert_non_null(p);
	assert_int_equal(strncmp(p, "flags : la57", 12), 0);
	assert_null(text_line_with(text_next_line(p), "flags"));
	assert_non_null(text_line_with(t, "last"));
	assert_null(text_next_line(text_line_with(t, "last")));
	assert_null(text_line_with(t, "vendor_id :x"));
	assert_null(text_line_with(NULL, "x"));
	assert_null(text_line_with("", "x"));
}

static void test_sysroot_list(void **state)
{
	(void)state;
	char dir[64];
	tmp_sysroot(dir, sizeof(dir));
	const char *files[] = {"sys/m/memory10/state", "sys/m/memory2/state", "sys/m/memory0/state",
			       "sys/m/block_size_bytes", "sys/m/memory002x/state", "sys/f"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		tmp_sysroot_write(dir, files[i], "x", 1);
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, dir, &err), 0);
	char **v;
	assert_int_equal(sysroot_list(&sr, "sys/m", "memory", &v, &err), 4);
	assert_string_equal(v[0], "memory0");
	assert_string_equal(v[1], "memory2");
	assert_string_equal(v[2], "memory002x"); /* 2 = 002, then the longer name */
	assert_string_equal(v[3], "memory10");
	free(v);
	assert_int_equal(sysroot_list(&sr, "sys/m", "", &v, &err), 5);
	assert_string_equal(v[0], "block_size_bytes");
	free(v);
	assert_int_equal(sysroot_list(&sr, "sys/m", "nothing", &v, &err), 0);
	free(v);
	assert_int_equal(sysroot_list(&sr, "sys/none", "", &v, &err), -ENOENT);
	assert_contains(err.file, "sys/none");
	assert_string_equal(err.reason, "missing from the dump");
	assert_null(v);
	assert_int_equal(sysroot_list(&sr, "sys/f", "", &v, &err), -ENOTDIR);
	assert_contains(err.file, "sys/f");
	assert_string_equal(err.reason, "not a directory");
	sysroot_close(&sr);
	tmp_sysroot_remove(dir);
}

TEST_MAIN(cmocka_unit_test(test_lines_numbered), cmocka_unit_test(test_rows),
	  cmocka_unit_test(test_empty_and_none), cmocka_unit_test(test_fail_names_line),
	  cmocka_unit_test(test_nul_byte), cmocka_unit_test(test_keep),
	  cmocka_unit_test(test_line_with), cmocka_unit_test(test_sysroot_list))
