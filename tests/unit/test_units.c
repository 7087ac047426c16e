/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Human sizes, strict number parsing, and words looked up in a list. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "lib/units.h"
#include "lib/words.h"

static void human_is(uint64_t v, const char *want)
{
	char b[32];
	units_human(v, b, sizeof(b));
	assert_string_equal(b, want);
}

static void test_human(void **state)
{
	human_is(0, "0B");
	human_is(1023, "1023B");
	human_is(1024, "1K");
	human_is(1536, "1.5K");
	human_is(4096, "4K");
	human_is(650240, "635K");              /* 0x9ec00 */
	human_is(1048575, "1M");               /* 1023.999K rounds up a unit */
	human_is(UINT64_C(3221225472), "3G");
	human_is(UINT64_C(4187593113), "3.9G");
	human_is(UINT64_C(25276510208), "23.5G");
	human_is(UINT64_MAX, "16E");
}

/* The hand-written formatters return the length and cut to the buffer as snprintf does. */
static void test_formatters(void **state)
{
	char b[32], want[32];
	assert_int_equal(units_human(UINT64_C(25276510208), b, sizeof(b)), 5);
	assert_int_equal(units_human(UINT64_C(25276510208), b, 3), 2);
	assert_string_equal(b, "23");
	assert_int_equal(units_human(1, b, 1), 0);
	assert_string_equal(b, "");
	/* every number of digits, and values around each power of ten, against snprintf */
	uint64_t p = 1;
	for (int d = 0; d < 20; d++, p *= 10) {
		const uint64_t vs[] = {p - 1, p, p + 1, p * 9 / 7};
		for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
			snprintf(want, sizeof(want), "%" PRIu64, vs[i]);
			assert_int_equal(units_dec(vs[i], b, sizeof(b)), strlen(want));
			assert_string_equal(b, want);
			/* the length returned is the text's */
			size_t n = units_human(vs[i], b, sizeof(b));
			assert_int_equal(n, strlen(b));
		}
	}
	snprintf(want, sizeof(want), "%" PRIu64, UINT64_MAX);
	assert_int_equal(units_dec(UINT64_MAX, b, sizeof(b)), 20);
	assert_string_equal(b, want);
	assert_int_equal(units_dec(12345, b, 4), 3);
	assert_string_equal(b, "123");
}

/* The widths a measured table keeps are the lengths the formatters write: every power of two
 * and its neighbours (where the unit and the rounding change), and around each power of ten */
static void test_widths(void **state)
{
	(void)state;
	char b[32];
	for (int bits = 0; bits < 64; bits++) {
		uint64_t p = UINT64_C(1) << bits;
		const uint64_t vs[] = {p - 1, p, p + 1, p + p / 2, p + p / 20, p * 2 - p / 1000 - 1};
		for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
			assert_int_equal(units_human_width(vs[i]), units_human(vs[i], b, sizeof(b)));
			assert_int_equal(units_dec_width(vs[i]), units_dec(vs[i], b, sizeof(b)));
		}
	}
	for (uint64_t v = 0; v < 3 * 1024 * 1024; v += 37)
		assert_int_equal(units_human_width(v), units_human(v, b, sizeof(b)));
	assert_int_equal(units_human_width(UINT64_MAX), 3); /* "16E" */
	assert_int_equal(units_dec_width(UINT64_MAX), 20);
}

/* units_hex() writes what "%0*" PRIx64 writes, for every width of value and of padding */
static void test_hex(void **state)
{
	(void)state;
	char b[17], want[40];
	for (int bits = 0; bits <= 64; bits++) {
		uint64_t v = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
		const uint64_t vs[] = {v, v + 1, v / 3};
		for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++)
			for (unsigned min = 0; min <= 16; min++) {
				snprintf(want, sizeof(want), "%0*" PRIx64, (int)min, vs[i]);
				assert_int_equal(units_hex(vs[i], min, b), strlen(want));
				assert_string_equal(b, want);
			}
	}
}

/* units_parse_u64() reads @s as @want */
static void u64_is(const char *s, uint64_t want)
{
	uint64_t v;
	assert_int_equal(units_parse_u64(s, &v), 0);
	assert_int_equal(v, want);
}

/* units_parse_u64() refuses @s with @want */
static void u64_fails(const char *s, int want)
{
	uint64_t v;
	assert_int_equal(units_parse_u64(s, &v), want);
}

static void test_parse_u64(void **state)
{
	u64_is("0", 0);
	u64_is("4096", 4096);
	u64_is("0x1000", 4096);
	u64_is("0XfFfF", 0xffff);
	u64_is("18446744073709551615", UINT64_MAX);
	u64_is("0xffffffffffffffff", UINT64_MAX);
	u64_fails("18446744073709551616", -ERANGE);
	u64_fails("0x10000000000000000", -ERANGE);
	u64_fails("", -EINVAL);
	u64_fails("0x", -EINVAL);
	u64_fails("-1", -EINVAL);
	u64_fails("+1", -EINVAL);
	u64_fails("12ab", -EINVAL);
	u64_fails(" 12", -EINVAL);
	u64_fails("0x12 ", -EINVAL);
	u64_fails(NULL, -EINVAL);
}

/* The hex scanner the maps parser runs on every line, and the bounded parse built on it */
static void test_parse_hex(void **state)
{
	(void)state;
	uint64_t v = 7;
	const char *line = "7f3aBC00-7f3b0000 r-xp", *p = line;
	assert_int_equal(units_scan_hex(&p, NULL, &v), 0);
	assert_true(v == 0x7f3abc00);
	assert_ptr_equal(p, line + 8); /* stopped at the '-' */
	p++;
	assert_int_equal(units_scan_hex(&p, line + 13, &v), 0); /* bounded: four digits */
	assert_true(v == 0x7f3b);
	assert_ptr_equal(p, line + 13);
	/* no digit, or above 2^64-1: an error, and nothing moved */
	p = line + 8;
	v = 7;
	assert_int_equal(units_scan_hex(&p, NULL, &v), -EINVAL);
	assert_ptr_equal(p, line + 8);
	assert_true(v == 7);
	const char *big = "10000000000000000", *q = big;
	assert_int_equal(units_scan_hex(&q, NULL, &v), -ERANGE);
	assert_ptr_equal(q, big);
	q = big + 1; /* sixteen digits: the largest */
	assert_int_equal(units_scan_hex(&q, NULL, &v), 0);
	assert_true(v == 0);
	q = "ffffffffffffffff";
	assert_int_equal(units_scan_hex(&q, NULL, &v), 0);
	assert_true(v == UINT64_MAX);
	/* units_parse_hex: every byte of the span a digit, no prefix */
	assert_int_equal(units_parse_hex("00ff", 4, &v), 0);
	assert_true(v == 0xff);
	assert_int_equal(units_parse_hex("0x10", 4, &v), -EINVAL);
	assert_int_equal(units_parse_hex("12g", 3, &v), -EINVAL);
	assert_int_equal(units_parse_hex("12g", 2, &v), 0);
	assert_true(v == 0x12);
	assert_int_equal(units_parse_hex("", 0, &v), -EINVAL);
	assert_int_equal(units_parse_hex(big, 17, &v), -ERANGE);
	/* a NUL ends the digits of an unbounded scan; ':' and ' ' are no digits */
	q = "ab:cd";
	assert_int_equal(units_scan_hex(&q, NULL, &v), 0);
	assert_true(v == 0xab && *q == ':');
}

static void test_hex_width(void **state)
{
	assert_int_equal(units_hex_width(0), 8);
	assert_int_equal(units_hex_width(0xffffffff), 8);
	assert_int_equal(units_hex_width(UINT64_C(0x100000000)), 9);
	assert_int_equal(units_hex_width(UINT64_MAX), 16);
}

static void test_addr_json(void **state)
{
	char b[24];
	units_addr_json(0xfee00000, b, sizeof(b));
	assert_string_equal(b, "0x00000000fee00000");
	units_addr_json(UINT64_MAX, b, sizeof(b));
	assert_string_equal(b, "0xffffffffffffffff");
}

static void size_is(const char *s, uint64_t want)
{
	uint64_t v = 0;
	int e = units_parse_size(s, &v);
	if (e || v != want)
		fail_msg("'%s': %d, %" PRIu64 " (want %" PRIu64 ")", s, e, v, want);
}

static void size_fails(const char *s, int want)
{
	uint64_t v = 12345;
	int e = units_parse_size(s, &v);
	if (e != want)
		fail_msg("'%s': %d (want %d)", s, e, want);
	assert_true(v == 12345); /* nothing written on failure */
}

static void test_parse_size(void **state)
{
	/* plain numbers: decimal, and hex with 0x (a leading 0 is not octal) */
	size_is("4096", 4096);
	size_is("0", 0);
	size_is("010", 10);
	size_is("0x1000", 4096);
	size_is("0XfFfF", 0xffff);
	size_is("0x1E", 0x1e); /* hex takes no suffix: E is a digit */
	size_is("18446744073709551615", UINT64_MAX);
	size_is("0xffffffffffffffff", UINT64_MAX);
	/* suffixes: the letter in either case, then nothing, iB or B; all powers of 1024 */
	size_is("4K", 4096);
	size_is("64k", 65536);
	size_is("4KiB", 4096);
	size_is("4Kib", 4096);
	size_is("4KB", 4096);
	size_is("4kb", 4096);
	size_is("2MiB", 2 << 20);
	size_is("1G", 1 << 30);
	size_is("3T", UINT64_C(3) << 40);
	size_is("5p", UINT64_C(5) << 50);
	size_is("15E", UINT64_C(15) << 60);
	size_is("512B", 512);
	/* fractions with a suffix, when they come to whole bytes */
	size_is("1.5M", 1572864);
	size_is("1.5K", 1536);
	size_is("0.5K", 512);
	size_is("0.25KiB", 256);
	size_is("1.000K", 1024);
	size_is("2.0B", 2);
	size_is("0.0009765625M", 1024); /* 2^-10 M, ten digits */
	size_is("0.0000000000000000008673617379884035472059622406959533691406250E", 1);
	size_is("15.5E", UINT64_C(31) << 59);
	size_is("15.999999999999999999132638262011596452794037759304046630859375E",
		UINT64_MAX); /* 16E - 1 byte, exactly */
	/* fractions of a byte, or of nothing */
	size_fails("1.3K", -EINVAL);	/* 1331.2 bytes */
	size_fails("0.1K", -EINVAL);
	size_fails("1.00000000001K", -EINVAL);
	size_fails("0.00000000000000000086736173798840354720596224069595336914062501E", -EINVAL);
	size_fails("1.5", -EINVAL);	/* a fraction needs a unit */
	size_fails("1.5B", -EINVAL);
	size_fails("1.K", -EINVAL);
	size_fails(".5K", -EINVAL);
	size_fails("0x1.8K", -EINVAL);
	size_fails("0x10K", -EINVAL);
	/* overflow */
	size_fails("16E", -ERANGE);
	size_fails("16384P", -ERANGE);
	size_fails("99999999999T", -ERANGE);
	size_fails("18446744073709551616", -ERANGE);
	size_fails("0x10000000000000000", -ERANGE);
	size_fails("99999999999999999999K", -ERANGE);
	size_fails("15.9999999999999999999E", -EINVAL); /* not whole; would not fit either */
	/* junk */
	size_fails("", -EINVAL);
	size_fails(NULL, -EINVAL);
	size_fails("K", -EINVAL);
	size_fails("4X", -EINVAL);
	size_fails("4Z", -EINVAL);	/* zetta passes 2^64 for any number */
	size_fails("4KIB", -EINVAL);	/* the i is lower case, as in util-linux */
	size_fails("4KiBB", -EINVAL);
	size_fails("4iB", -EINVAL);
	size_fails("4 K", -EINVAL);
	size_fails(" 4K", -EINVAL);
	size_fails("4K ", -EINVAL);
	size_fails("-4K", -EINVAL);
	size_fails("+4K", -EINVAL);
	size_fails("1,5M", -EINVAL);
	size_fails("0x", -EINVAL);
	size_fails("4b", -EINVAL);	/* bytes are B */
	size_fails("4KK", -EINVAL);
}

/* units_parse_interval() reads @s as @want milliseconds */
static void interval_is(const char *s, long want)
{
	long ms;
	assert_int_equal(units_parse_interval(s, &ms), 0);
	assert_int_equal(ms, want);
}

/* units_parse_interval() refuses @s (-EINVAL) */
static void interval_fails(const char *s)
{
	long ms;
	assert_int_equal(units_parse_interval(s, &ms), -EINVAL);
}

static void test_parse_interval(void **state)
{
	interval_is("1", 1000);
	interval_is("0.5", 500);
	interval_is("0,25", 250); /* a comma-decimal locale's way */
	interval_is(".1", 100);
	interval_is("2.0005", 2000);
	interval_fails("0");
	interval_fails("0.0001");
	interval_fails("-1");
	interval_fails("1s");
	interval_fails(".");
	interval_fails("");
	interval_fails("86401");
}

/* exact matches only: no prefix, no case folding; the first of two equal words */
static void test_words(void **state)
{
	(void)state;
	static const char *const w[] = {"online", "offline", "going-offline", "online"};
	assert_int_equal(word_index(w, WORDS_N(w), "online"), 0);
	assert_int_equal(word_index(w, WORDS_N(w), "going-offline"), 2);
	assert_int_equal(word_index(w, WORDS_N(w), "offlin"), -1);
	assert_int_equal(word_index(w, WORDS_N(w), "Online"), -1);
	assert_int_equal(word_index(w, WORDS_N(w), ""), -1);
	assert_int_equal(word_index(w, 0, "online"), -1);
}

TEST_MAIN(cmocka_unit_test(test_human), cmocka_unit_test(test_words), cmocka_unit_test(test_formatters), cmocka_unit_test(test_widths),
	  cmocka_unit_test(test_hex),
	  cmocka_unit_test(test_parse_u64), cmocka_unit_test(test_parse_hex),
	  cmocka_unit_test(test_hex_width), cmocka_unit_test(test_addr_json),
	  cmocka_unit_test(test_parse_size), cmocka_unit_test(test_parse_interval))
