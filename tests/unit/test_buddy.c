/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsers of buddyinfo, zoneinfo, pagetypeinfo and vmstat. */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "proc/buddyinfo.h"
#include "proc/pagetypeinfo.h"
#include "proc/vmstat.h"
#include "proc/zoneinfo.h"

static void test_buddyinfo(void **state)
{
	struct buddyinfo bi;
	struct ms_error err = {0};
	fixture_read("arm64-64k-numa2-hand", buddyinfo_read, &bi);
	assert_int_equal(bi.n, 3);
	assert_int_equal(bi.orders, 14); /* never assume 11 */
	assert_int_equal(bi.v[2].node, 1);
	assert_string_equal(bi.v[2].zone, "Normal");
	assert_int_equal(bi.v[0].free[13], 5);
	buddyinfo_free(&bi);

	/* without the kernel's trailing blanks, as prometheus' fixture has it */
	static const char t[] = "Node 0, zone      DMA      1      2\nNode 1, zone   Normal 3 4";
	assert_int_equal(buddyinfo_parse(t, strlen(t), "b", &bi, &err), 0);
	assert_int_equal(bi.orders, 2);
	assert_int_equal(bi.v[1].free[1], 4);
	buddyinfo_free(&bi);
}

PARSE_REFUSES_TEST(test_buddyinfo_errors, buddyinfo_parse, struct buddyinfo,
	    {"", 0, "empty file"},
	    {"Node 0, zone DMA 1 2 3\nNode 0, zone Normal 1 2\n", 2,
	     "2 orders, but the rows before have 3"},
	    {"Node 0, zone DMA 1 2 3\nNode 0, zone Normal 1 2", 2, "last line cut off"},
	    {"Node 0, zone DMA\n", 1, "no free counts after the zone name"},
	    {"Node 0, zone DMA 1 x 3\n", 1, "counts must be whole numbers"},
	    {"Node 0, zone DMA 1 -2 3\n", 1, "counts must be whole numbers"},
	    {"Node 0, zone DMA 99999999999999999999\n", 1, "a count does not fit in 64 bits"},
	    {"Node x, zone DMA 1\n", 1, "expected 'Node N, zone NAME COUNTS...'"},
	    {"zone DMA 1\n", 1, "expected 'Node N, zone NAME COUNTS...'"})

static void test_zoneinfo_versions(void **state)
{
	struct zoneinfo zi;
	/* 2.6.32 style: no managed, "all_unreclaimable", pcp "high:" must not be the watermark */
	fixture_read("i386-highmem-hand", zoneinfo_read, &zi);
	assert_int_equal(zi.n, 3);
	const struct zone *h = &zi.v[2];
	assert_string_equal(h->name, "HighMem");
	assert_int_equal(h->f[ZF_HIGH], 800); /* not the per-CPU "high:  0" */
	assert_int_equal(h->f[ZF_MIN], 128);
	assert_int_equal(h->f[ZF_START_PFN], 227326);
	assert_false(h->has[ZF_MANAGED]);
	assert_int_equal(h->f[ZF_FREE], 352664);
	/* pfn lookups: the first frame of HighMem, the last of Normal, a hole past the end */
	assert_ptr_equal(zoneinfo_find(&zi, 227326), h);
	assert_ptr_equal(zoneinfo_find(&zi, 227325), &zi.v[1]);
	assert_null(zoneinfo_find(&zi, 227326 + 549630));
	assert_null(zoneinfo_find(&zi, 0));
	zoneinfo_free(&zi);

	/* this machine (6.18): per-node stats block, empty Movable/Device without start_pfn */
	fixture_read("x86_64-vm-6.18-24g-root", zoneinfo_read, &zi);
	assert_int_equal(zi.n, 5);
	assert_string_equal(zi.v[3].name, "Movable");
	assert_false(zi.v[3].has[ZF_START_PFN]);
	assert_int_equal(zi.v[3].f[ZF_SPANNED], 0);
	assert_true(zi.v[2].has[ZF_MANAGED]);
	assert_int_equal(zi.v[1].f[ZF_START_PFN], 4096);
	zoneinfo_free(&zi);
}

static void test_zoneinfo_errors(void **state)
{
	struct zoneinfo zi;
	struct ms_error err = {0};
	static const char a[] = "  pages free 3\n";
	assert_int_equal(zoneinfo_parse(a, strlen(a), "z", &zi, &err), -EINVAL);
	assert_string_equal(err.reason, "a field before the first zone");
	static const char b[] = "Node 0, zone DMA\n  pages free 12x\n";
	assert_int_equal(zoneinfo_parse(b, strlen(b), "z", &zi, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.reason, "value of 'pages free' is not a whole number");
	static const char c[] = "Node 0, zone DMA\n        spanned  99999999999999999999\n";
	assert_int_equal(zoneinfo_parse(c, strlen(c), "z", &zi, &err), -EINVAL);
	assert_string_equal(err.reason, "value of 'spanned' does not fit in 64 bits");
	assert_int_equal(zoneinfo_parse("", 0, "z", &zi, &err), -EINVAL);
	assert_string_equal(err.reason, "empty file");
}

static void test_pagetypeinfo(void **state)
{
	struct sysroot sr;
	struct pagetypeinfo pt;
	struct ms_error err = {0};
	fixture_read("arm64-64k-numa2-hand", pagetypeinfo_read, &pt);
	assert_int_equal(pt.orders, 14);
	assert_int_equal(pt.pageblock_order, 13);
	assert_int_equal(pt.n, 18);
	assert_string_equal(pt.v[1].type, "Movable");
	assert_int_equal(pt.v[1].free[13], 5);
	assert_string_equal(pt.v[3].type, "CMA");
	pagetypeinfo_free(&pt);
	/* a capture made without root holds an empty file */
	fixture_open(&sr, "x86_64-vm-6.18-24g-nonroot");
	assert_int_equal(pagetypeinfo_read(&sr, &pt, &err), -EACCES);
	sysroot_close(&sr);
}

static void test_vmstat(void **state)
{
	struct vmstat vs;
	struct ms_error err = {0};
	fixture_read("arm64-64k-numa2-hand", vmstat_read, &vs);
	assert_int_equal(vs.v[VM_COMPACT_STALL], 12);
	assert_int_equal(vs.v[VM_COMPACT_FAIL], 3);
	assert_int_equal(vs.v[VM_ALLOCSTALL], 3); /* allocstall_normal + allocstall_movable */
	assert_false(vs.has[VM_HTLB_BUDDY_ALLOC_FAIL]);
	static const char bad[] = "compact_stall 1\ncompact_fail x\n";
	assert_int_equal(vmstat_parse(bad, strlen(bad), "v", &vs, &err), -EINVAL);
	assert_int_equal(err.line, 2);
}

TEST_MAIN(cmocka_unit_test(test_buddyinfo), cmocka_unit_test(test_buddyinfo_errors),
	  cmocka_unit_test(test_zoneinfo_versions), cmocka_unit_test(test_zoneinfo_errors),
	  cmocka_unit_test(test_pagetypeinfo), cmocka_unit_test(test_vmstat))
