/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared bits of the cmocka tests. */
#ifndef MEMSCOPE_TEST_H
#define MEMSCOPE_TEST_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ftw.h>
#include <glob.h>

#include "proc/sysroot.h"

/* Open fixtures/@name as a sysroot (FIXTURES is set by tests/meson.build). */
static inline void fixture_open(struct sysroot *sr, const char *name)
{
	struct ms_error err = {0};
	static char dir[1024]; /* the sysroot keeps this pointer: it must outlive the call */
	snprintf(dir, sizeof(dir), "%s/%s", FIXTURES, name);
	if (sysroot_open(sr, dir, &err))
		fail_msg("%s: %s", err.file, err.reason);
}

/* main(): run the tests listed (cmocka_unit_test(NAME), ...), each group with @setup and
 * @teardown (or NULL). */
#define TEST_MAIN_WITH(setup, teardown, ...)                                                     \
	int main(void)                                                                            \
	{                                                                                         \
		const struct CMUnitTest tests_[] = {__VA_ARGS__};                                 \
		return cmocka_run_group_tests(tests_, setup, teardown);                           \
	}
#define TEST_MAIN(...) TEST_MAIN_WITH(NULL, NULL, __VA_ARGS__)

/* TESTS(a, b, ...): cmocka_unit_test(a), cmocka_unit_test(b), ... for up to 16 names. */
#define TESTS_N_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, n, ...) TESTS_##n##_
#define TESTS(...) TESTS_N_(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)(__VA_ARGS__)
#define TESTS_1_(a) cmocka_unit_test(a)
#define TESTS_2_(a, ...) cmocka_unit_test(a), TESTS_1_(__VA_ARGS__)
#define TESTS_3_(a, ...) cmocka_unit_test(a), TESTS_2_(__VA_ARGS__)
#define TESTS_4_(a, ...) cmocka_unit_test(a), TESTS_3_(__VA_ARGS__)
#define TESTS_5_(a, ...) cmocka_unit_test(a), TESTS_4_(__VA_ARGS__)
#define TESTS_6_(a, ...) cmocka_unit_test(a), TESTS_5_(__VA_ARGS__)
#define TESTS_7_(a, ...) cmocka_unit_test(a), TESTS_6_(__VA_ARGS__)
#define TESTS_8_(a, ...) cmocka_unit_test(a), TESTS_7_(__VA_ARGS__)
#define TESTS_9_(a, ...) cmocka_unit_test(a), TESTS_8_(__VA_ARGS__)
#define TESTS_10_(a, ...) cmocka_unit_test(a), TESTS_9_(__VA_ARGS__)
#define TESTS_11_(a, ...) cmocka_unit_test(a), TESTS_10_(__VA_ARGS__)
#define TESTS_12_(a, ...) cmocka_unit_test(a), TESTS_11_(__VA_ARGS__)
#define TESTS_13_(a, ...) cmocka_unit_test(a), TESTS_12_(__VA_ARGS__)
#define TESTS_14_(a, ...) cmocka_unit_test(a), TESTS_13_(__VA_ARGS__)
#define TESTS_15_(a, ...) cmocka_unit_test(a), TESTS_14_(__VA_ARGS__)
#define TESTS_16_(a, ...) cmocka_unit_test(a), TESTS_15_(__VA_ARGS__)
/* main() running the tests named (as TESTS() says), with no setup or teardown. */
#define TEST_MAIN_OF(...) TEST_MAIN(TESTS(__VA_ARGS__))

/* Read fixtures/@name's file with @read (a NAME_read()) into @model; an error fails the test. */
#define fixture_read(name, read, model)                                                         \
	do {                                                                                      \
		struct sysroot sr_;                                                               \
		struct ms_error e_ = {0};                                                         \
		fixture_open(&sr_, name);                                                         \
		if (read(&sr_, model, &e_))                                                       \
			fail_msg("%s: %s", e_.file, e_.reason);                                   \
		sysroot_close(&sr_);                                                              \
	} while (0)

/* A parse or read returned @ret: it must be @want with @err naming @line (0: the whole file) and
 * @reason. */
static inline void assert_failed(int ret, const struct ms_error *err, int want, unsigned long line,
				 const char *reason)
{
	assert_int_equal(ret, want);
	assert_int_equal(err->line, line);
	assert_string_equal(err->reason, reason);
}

/* @parse (a NAME_parse() of models of @type) refuses @text at @line for @reason (-EINVAL), and
 * leaves the model freed (its rows m.v NULL). */
#define assert_parse_fails(parse, type, text, line, reason)                                     \
	do {                                                                                      \
		type m_;                                                                          \
		struct ms_error e_ = {0};                                                         \
		assert_failed(parse(text, strlen(text), "f", &m_, &e_), &e_, -EINVAL, line,       \
			      reason);                                                            \
		assert_null(m_.v);                                                                \
	} while (0)

/* One input a parser must refuse: @text, at @line (0: the whole file), for @reason. */
struct bad_input {
	const char *text;
	unsigned long line;
	const char *reason;
};

/* @parse (a NAME_parse() of models of @type) refuses every row of the array @bad, and the
 * empty file (every parser's "empty file", from lines_end()), as assert_parse_fails() says. */
#define assert_parse_fails_all(parse, type, bad)                                                   \
	do {                                                                                      \
		assert_parse_fails(parse, type, "", 0, "empty file");                             \
		assert_parse_fails_each(parse, type, bad);                                        \
	} while (0)
/* A test @name whose whole body is assert_parse_fails_all(@parse, @type, the bad_input rows
 * after @type). */
#define PARSE_REFUSES_TEST(name, parse, type, ...)                                                \
	static void name(void **state)                                                            \
	{                                                                                         \
		static const struct bad_input bad_[] = {__VA_ARGS__};                             \
		assert_parse_fails_all(parse, type, bad_);                                        \
	}
/* The same without the empty file, for a parser that reads it otherwise (slabinfo: a dump
 * made without root holds it empty, -EACCES) */
#define assert_parse_fails_each(parse, type, bad)                                                  \
	do {                                                                                      \
		for (size_t i_ = 0; i_ < sizeof(bad) / sizeof((bad)[0]); i_++)                     \
			assert_parse_fails(parse, type, (bad)[i_].text, (bad)[i_].line,           \
					   (bad)[i_].reason);                                     \
	} while (0)

/* @fn(text, len, err), a parse wrapped by the test (for a parser of another shape, or to check
 * what it leaves behind), refuses every row of @bad, and the empty file, as assert_failed()
 * says. */
static inline void assert_refuses_all_(int (*fn)(const char *, size_t, struct ms_error *),
				       const struct bad_input *bad, size_t n)
{
	struct ms_error empty = {0};
	assert_failed(fn("", 0, &empty), &empty, -EINVAL, 0, "empty file");
	for (size_t i = 0; i < n; i++) {
		struct ms_error err = {0};
		assert_failed(fn(bad[i].text, strlen(bad[i].text), &err), &err, -EINVAL,
			      bad[i].line, bad[i].reason);
	}
}
#define assert_refuses_all(fn, bad) assert_refuses_all_(fn, bad, sizeof(bad) / sizeof((bad)[0]))

/* A dump made on the spot: a new directory under /tmp (@dir, at least 64 bytes), files written
 * into it by tmp_sysroot_write() and all of it removed by tmp_sysroot_remove(). */
static inline void tmp_sysroot(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/memscope-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

/* Write @len bytes at @data as @dir/@path ("proc/1/cmdline"), making its directories. */
static inline void tmp_sysroot_write(const char *dir, const char *path, const void *data,
				     size_t len)
{
	char name[1024];
	snprintf(name, sizeof(name), "%s/%s", dir, path);
	for (char *s = name + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(name, 0755);
		*s = '/';
	}
	FILE *f = fopen(name, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static inline int tmp_sysroot_unlink_(const char *path, const struct stat *st, int flag,
				      struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static inline void tmp_sysroot_remove(const char *dir)
{
	nftw(dir, tmp_sysroot_unlink_, 16, FTW_DEPTH | FTW_PHYS);
}

/* End the test, saying why it could not run here (not root, a kernel without the feature).
 * Not cmocka's skip(): its TAP line is "not ok N # SKIP", which meson counts as a failure. */
#define SKIP_TEST(...)                                                                            \
	do {                                                                                      \
		print_message("# SKIP " __VA_ARGS__);                                             \
		return;                                                                           \
	} while (0)

/* A file of /proc the kernel shows to root only (@file, "/proc/slabinfo"): as root it opens,
 * so the test ends there; as a user @sr is opened on the live machine, for the refusal. */
#define LIVE_AS_USER(sr, file, err)                                                              \
	do {                                                                                      \
		if (geteuid() == 0)                                                               \
			SKIP_TEST("as root " file " opens: the refusal is tested as a user\n");   \
		assert_int_equal(sysroot_open(sr, NULL, err), 0);                                 \
	} while (0)

/* A read of the live @file (see LIVE_AS_USER()) returned @ret: refused, @err naming it. */
static inline void assert_root_only(int ret, const struct ms_error *err, const char *file)
{
	assert_int_equal(ret, -EACCES);
	assert_string_equal(err->file, file);
	assert_string_equal(err->reason, "cannot open: Permission denied (it needs root or "
					 "CAP_DAC_READ_SEARCH: the kernel makes it mode 0400 root)");
}

/* Every string after @t is in @t: assert_contains(t, "a", "b"). */
#define assert_contains(t, ...) assert_contains_(t, (const char *const[]){__VA_ARGS__, NULL})
static inline void assert_contains_(const char *t, const char *const *want)
{
	for (; *want; want++)
		if (!strstr(t, *want))
			fail_msg("\"%s\" is not in\n%s", *want, t);
}

/* @got (@gotlen bytes) is exactly @want (@wantlen bytes), NULs and all. */
static inline void assert_bytes(const char *got, size_t gotlen, const char *want, size_t wantlen)
{
	if (gotlen != wantlen || memcmp(got, want, wantlen) != 0)
		fail_msg("got  [%.*s] (%zu bytes)\nwant [%.*s] (%zu bytes)", (int)gotlen, got, gotlen,
			 (int)wantlen, want, wantlen);
}

/* The real captures' copies of /proc/@file (../shared/real-dumps beside the tree, or
 * $REAL_DUMPS): true with @dir and @g filled (globfree() it), false when there are none here. */
static inline bool real_dumps(const char *file, char *dir, size_t size, glob_t *g)
{
	const char *env = getenv("REAL_DUMPS");
	snprintf(dir, size, "%s", env ? env : FIXTURES "/../../shared/real-dumps");
	struct stat st;
	char pat[1200];
	snprintf(pat, sizeof(pat), "%s/*/proc/%s", dir, file);
	return stat(dir, &st) == 0 && glob(pat, 0, NULL, g) == 0;
}

/* awk's reading of @file: @prog (an awk program, without single quotes) prints @n whole
 * numbers, into @v. */
static inline void awk_numbers(const char *prog, const char *file, uint64_t *v, int n)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "awk '%s' '%s'", prog, file);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	int got = 0;
	unsigned long long x;
	while (got < n && fscanf(f, "%llu", &x) == 1)
		v[got++] = x;
	pclose(f);
	assert_int_equal(got, n);
}

/* @path read whole (up to @size bytes) into @buf; returns the length. */
static inline size_t read_whole(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t len = fread(buf, 1, size, f);
	fclose(f);
	return len;
}

/* One real capture (see real_dumps()): @name below the captures' folder, @path, its @len bytes
 * at @data, and awk's reading of it (@awk, as many numbers as the caller asked). */
struct real_dump {
	const char *name, *path, *data;
	size_t len;
	uint64_t awk[8];
};

/* Every real capture of /proc/@file (there must be @min of them at least), read whole and by
 * the awk program @prog (@nawk numbers, at most 8), given to @check with @ctx. False, with the
 * SKIP line printed, when there are none here: the test then ends. */
static inline bool real_dumps_each(const char *file, size_t min, const char *prog, int nawk,
				   void (*check)(const struct real_dump *d, void *ctx), void *ctx)
{
	char dir[1024];
	glob_t g;
	if (!real_dumps(file, dir, sizeof(dir), &g)) {
		print_message("# SKIP no real dumps at %s (they are not part of the repository)\n", dir);
		return false;
	}
	assert_true(g.gl_pathc >= min);
	static char data[1 << 20];
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct real_dump d = {g.gl_pathv[i] + strlen(dir) + 1, g.gl_pathv[i], data, 0, {0}};
		d.len = read_whole(d.path, data, sizeof(data));
		awk_numbers(prog, d.path, d.awk, nawk);
		check(&d, ctx);
	}
	globfree(&g);
	return true;
}

#endif
