/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Human sizes and strict number parsing. */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "out/units.h"

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

static void test_parse_u64(void **state)
{
	uint64_t v;
	assert_int_equal(units_parse_u64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(units_parse_u64("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(units_parse_u64("0x1000", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(units_parse_u64("0XfFfF", &v), 0);
	assert_int_equal(v, 0xffff);
	assert_int_equal(units_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(units_parse_u64("0xffffffffffffffff", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(units_parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(units_parse_u64("0x10000000000000000", &v), -ERANGE);
	assert_int_equal(units_parse_u64("", &v), -EINVAL);
	assert_int_equal(units_parse_u64("0x", &v), -EINVAL);
	assert_int_equal(units_parse_u64("-1", &v), -EINVAL);
	assert_int_equal(units_parse_u64("+1", &v), -EINVAL);
	assert_int_equal(units_parse_u64("12ab", &v), -EINVAL);
	assert_int_equal(units_parse_u64(" 12", &v), -EINVAL);
	assert_int_equal(units_parse_u64("0x12 ", &v), -EINVAL);
	assert_int_equal(units_parse_u64(NULL, &v), -EINVAL);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_human),
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_hex_width),
		cmocka_unit_test(test_addr_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
