/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The /proc/iomem parser, on fixtures and on hand-written text. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "proc/iomem.h"

static int parse(const char *text, struct iomem_tree *t, struct ms_error *err)
{
	return iomem_parse(text, strlen(text), "iomem", t, err);
}

static void test_notes_example(void **state)
{
	struct iomem_tree t;
	fixture_read("notes-example", iomem_read, &t);
	assert_int_equal(t.n, 96);
	assert_false(t.hidden);
	/* first and last lines */
	assert_int_equal(t.v[0].start, 0);
	assert_int_equal(t.v[0].end, 0xfff);
	assert_string_equal(t.v[0].name, "Reserved");
	const struct iomem_region *last = &t.v[t.n - 1];
	assert_true(last->start == UINT64_C(0x3fff40000000));
	assert_true(last->end == UINT64_C(0x3fffffffffff));
	assert_string_equal(last->name, "0000:04:00.0");
	/* the kernel image is a child of the RAM above 4 GiB */
	long chain[8];
	size_t n = iomem_find(&t, UINT64_C(0x463800000), chain, 8);
	assert_int_equal(n, 2);
	assert_string_equal(t.v[chain[0]].name, "System RAM");
	assert_true(t.v[chain[0]].start == UINT64_C(0x100000000));
	assert_string_equal(t.v[chain[1]].name, "Kernel code");
	/* the xhci controller sits 4 levels down */
	n = iomem_find(&t, 0xfc900010, chain, 8);
	assert_int_equal(n, 4);
	assert_string_equal(t.v[chain[0]].name, "PCI Bus 0000:00");
	assert_string_equal(t.v[chain[1]].name, "PCI Bus 0000:04");
	assert_string_equal(t.v[chain[2]].name, "0000:04:00.4");
	assert_string_equal(t.v[chain[3]].name, "xhci-hcd");
	assert_int_equal(t.v[chain[3]].depth, 3);
	/* nothing lives between the top RAM/Reserved and the GPU window */
	assert_int_equal(iomem_find(&t, UINT64_C(0x1000000000), chain, 8), 0);
	iomem_free(&t);
}

static void test_tree_links(void **state)
{
	struct iomem_tree t;
	struct ms_error err = {0};
	assert_int_equal(parse("00000000-0000ffff : A\n"
			       "  00000000-00000fff : A1\n"
			       "    00000000-000000ff : A1a\n"
			       "  00001000-00001fff : A2\n"
			       "00010000-0001ffff : B\n"
			       "  00010000-00010fff : B1\n",
			       &t, &err),
			 0);
	assert_int_equal(t.n, 6);
	assert_int_equal(t.v[0].first_child, 1);
	assert_int_equal(t.v[0].next, 4);
	assert_int_equal(t.v[1].next, 3);
	assert_int_equal(t.v[1].first_child, 2);
	assert_int_equal(t.v[2].parent, 1);
	assert_int_equal(t.v[3].parent, 0);
	assert_int_equal(t.v[3].next, -1);
	assert_int_equal(t.v[4].first_child, 5);
	assert_int_equal(t.v[5].parent, 4);
	assert_int_equal(t.v[4].next, -1);
	iomem_free(&t);
}

static void test_names(void **state)
{
	struct iomem_tree t;
	fixture_read("names", iomem_read, &t);
	long chain[8];
	size_t n = iomem_find(&t, 0xf0000000, chain, 8);
	assert_int_equal(n, 3);
	assert_string_equal(t.v[chain[2]].name, "vesafb: frame (buffer) : with colons");
	/* "f1004000-f1004fff : " and "f1005000-f1005fff :" both have an empty name */
	n = iomem_find(&t, 0xf1004000, chain, 8);
	assert_int_equal(n, 2);
	assert_string_equal(t.v[chain[1]].name, "");
	n = iomem_find(&t, 0xf1005000, chain, 8);
	assert_string_equal(t.v[chain[1]].name, "");
	iomem_free(&t);
}

static void test_hidden(void **state)
{
	struct iomem_tree t;
	fixture_read("x86_64-vm-6.18-24g-nonroot", iomem_read, &t);
	assert_true(t.hidden);
	assert_true(t.n > 10);
	iomem_free(&t);
	fixture_read("x86_64-vm-6.18-24g-root", iomem_read, &t);
	assert_false(t.hidden);
	iomem_free(&t);
	/* one zero-sized child among real ranges does not hide anything (2.6.18 crashkernel) */
	struct ms_error err = {0};
	assert_int_equal(parse("00000000-0009ebff : System RAM\n"
			       "  00000000-00000000 : Crash kernel\n",
			       &t, &err),
			 0);
	assert_false(t.hidden);
	iomem_free(&t);
}

static void test_64bit(void **state)
{
	struct iomem_tree t;
	fixture_read("above-4g", iomem_read, &t);
	const struct iomem_region *top = &t.v[t.n - 1];
	assert_true(top->end == UINT64_MAX);
	assert_true(iomem_size(top) == UINT64_C(0x1000000000));
	struct iomem_region whole = {.start = 0, .end = UINT64_MAX};
	assert_true(iomem_size(&whole) == UINT64_MAX); /* 2^64 saturates */
	long chain[4];
	assert_int_equal(iomem_find(&t, UINT64_C(0x38000000010), chain, 4), 2);
	assert_string_equal(t.v[chain[1]].name, "0000:80:00.0");
	iomem_free(&t);
}

static void test_deep(void **state)
{
	struct iomem_tree t;
	fixture_read("deep", iomem_read, &t);
	long chain[16];
	assert_int_equal(iomem_find(&t, UINT64_C(0x100000000), chain, 16), 12);
	assert_int_equal(t.v[chain[11]].depth, 11);
	iomem_free(&t);
}

PARSE_REFUSES_TEST(test_errors, iomem_parse, struct iomem_tree,
	    {"", 0, "empty file"},
	    {"\n\n", 0, "no address ranges in the file"},
	    {"00000000-00000fff : A\nzzzz\n", 2, "expected 'START-END : NAME'"},
	    {"00000000-00000fff : A\n00001000-00001fff\n", 2, "expected 'START-END : NAME'"},
	    {"00000000-00000fff : A\n00001000-0000", 2, "last line cut off"},
	    {"00000000-00000fff : A\n   00000000-000000ff : B\n", 2,
	     "indented by 3 spaces, not a whole nesting level"},
	    {"00000000-00000fff : A\n    00000000-000000ff : B\n", 2,
	     "nested 2 levels deep under a line at level 0"},
	    {"  00000000-00000fff : A\n", 1, "nested 1 levels deep under a line at level 0"},
	    {"00001000-00000fff : A\n", 1, "range ends before it starts"},
	    {"10000000000000000-1ffffffffffffffff : A\n", 1,
	     "start address does not fit in 64 bits"},
	    {"0-1ffffffffffffffff : A\n", 1, "end address does not fit in 64 bits"})

static void test_nul_byte(void **state)
{
	struct iomem_tree t;
	struct ms_error err = {0};
	static const char text[] = "00000000-00000fff : A\n00001000-00001fff : B\0C\n";
	assert_int_equal(iomem_parse(text, sizeof(text) - 1, "iomem", &t, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.reason, "NUL byte in line");
}

static void test_blank_lines_and_cr(void **state)
{
	struct iomem_tree t;
	struct ms_error err = {0};
	/* the Kirin dump ends with an extra blank line; no final newline is fine too */
	assert_int_equal(parse("00000000-00000fff : A \r\n\n00001000-00001fff : B", &t, &err), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0].name, "A");
	assert_int_equal(t.v[1].line, 3);
	iomem_free(&t);
}

/* iomem_ram_bytes(): top-level System RAM only, a nested one (a hand-made oddity) not again */
static void test_ram_bytes(void **state)
{
	static const char t1[] = "00001000-0009ffff : System RAM\n"
				 "000a0000-000fffff : Reserved\n"
				 "00100000-3fffffff : System RAM\n"
				 "  01000000-01ffffff : Kernel code\n"
				 "  02000000-02000fff : System RAM\n"
				 "100000000-13fffffff : System RAM\n";
	struct iomem_tree t;
	struct ms_error err = {0};
	assert_int_equal(iomem_parse(t1, sizeof(t1) - 1, "f", &t, &err), 0);
	size_t n = 0;
	assert_int_equal(iomem_ram_bytes(&t, &n), 0x9f000 + 0x3ff00000 + 0x40000000ull);
	assert_int_equal(n, 3);
	assert_int_equal(iomem_ram_bytes(&t, NULL), 0x9f000 + 0x3ff00000 + 0x40000000ull);
	iomem_free(&t);
	static const char t2[] = "00000000-00000fff : Reserved\n";
	assert_int_equal(iomem_parse(t2, sizeof(t2) - 1, "f", &t, &err), 0);
	assert_int_equal(iomem_ram_bytes(&t, &n), 0);
	assert_int_equal(n, 0);
	iomem_free(&t);
	(void)state;
}

TEST_MAIN(cmocka_unit_test(test_notes_example), cmocka_unit_test(test_ram_bytes), cmocka_unit_test(test_tree_links),
	  cmocka_unit_test(test_names), cmocka_unit_test(test_hidden), cmocka_unit_test(test_64bit),
	  cmocka_unit_test(test_deep), cmocka_unit_test(test_errors),
	  cmocka_unit_test(test_nul_byte), cmocka_unit_test(test_blank_lines_and_cr))
