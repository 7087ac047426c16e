/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Terminal escaping of untrusted names. */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "lib/escape.h"

static void esc_is(const char *in, size_t len, const char *want)
{
	char b[256];
	escape_text(in, len, b, sizeof(b));
	assert_string_equal(b, want);
}

static void test_plain(void **state)
{
	esc_is("System RAM", 10, "System RAM");
	esc_is("PCI MMCONFIG 0000 [bus 00-7f]", 29, "PCI MMCONFIG 0000 [bus 00-7f]");
	esc_is("caf\xc3\xa9", 5, "caf\xc3\xa9"); /* valid UTF-8 stays */
	esc_is("\xe2\x94\x80", 3, "\xe2\x94\x80");
}

static void test_controls(void **state)
{
	esc_is("a\nb", 3, "a\\x0ab");
	esc_is("\x1b[31mred", 8, "\\x1b[31mred");                 /* CSI */
	esc_is("\x1b]52;c;Zm9v\x07", 12, "\\x1b]52;c;Zm9v\\x07"); /* OSC 52 */
	esc_is("x\x7fy", 3, "x\\x7fy");                           /* DEL */
	esc_is("\xc2\x9b" "2J", 4, "\\xc2\\x9b2J");               /* C1 CSI as UTF-8 */
	esc_is("back\\slash", 10, "back\\x5cslash");
	esc_is("nul\0x", 5, "nul\\x00x");
}

static void test_invalid_utf8(void **state)
{
	esc_is("\xff", 1, "\\xff");
	esc_is("\xc3", 1, "\\xc3");                 /* truncated sequence */
	esc_is("\xc0\xaf", 2, "\\xc0\\xaf");        /* overlong '/' */
	esc_is("\xed\xa0\x80", 3, "\\xed\\xa0\\x80"); /* surrogate */
	esc_is("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
}

static void test_truncation(void **state)
{
	char b[6];
	size_t n = escape_text("\x1b\x1b", 2, b, sizeof(b));
	assert_int_equal(n, 4); /* one whole \xHH fits, half of the next does not */
	assert_string_equal(b, "\\x1b");
	n = escape_text("abcdefgh", 8, b, sizeof(b));
	assert_int_equal(n, 5);
	assert_string_equal(b, "abcde");
}

static void test_utf8_valid(void **state)
{
	const char *ok = "caf\xc3\xa9 \xe2\x94\x80";
	assert_ptr_equal(utf8_valid(ok), ok); /* valid: no copy */
	char *v = utf8_valid("a\xff" "b\xc3");
	assert_string_equal(v, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	free(v);
	v = utf8_valid("\xed\xa0\x80"); /* a surrogate: three bytes, three replacements */
	assert_string_equal(v, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	free(v);
}

TEST_MAIN(cmocka_unit_test(test_plain), cmocka_unit_test(test_controls),
	  cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_truncation),
	  cmocka_unit_test(test_utf8_valid))
