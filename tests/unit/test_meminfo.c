/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The /proc/meminfo parser and free(1)'s arithmetic. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "proc/meminfo.h"

static int parse(const char *text, struct meminfo *mi, struct ms_error *err)
{
	return meminfo_parse(text, strlen(text), "meminfo", mi, err);
}

static void test_units_and_counts(void **state)
{
	struct meminfo mi;
	fixture_read("arm64-virt-hand", meminfo_read, &mi);
	const struct meminfo_entry *e = meminfo_get(&mi, "MemTotal");
	assert_non_null(e);
	assert_true(e->bytes);
	assert_true(e->value == UINT64_C(2014928) * 1024);
	e = meminfo_get(&mi, "HugePages_Total");
	assert_non_null(e);
	assert_false(e->bytes); /* a count, not kB */
	assert_int_equal(e->value, 4);
	e = meminfo_get(&mi, "Hugepagesize");
	assert_true(e->bytes);
	assert_int_equal(e->value, 2048 * 1024);
	/* VmallocTotal of a 48-bit arm64 kernel: 124 TiB in kB still fits */
	e = meminfo_get(&mi, "VmallocTotal");
	assert_true(e->value == UINT64_C(133143461888) * 1024);
	/* unknown to this code, kept all the same */
	assert_non_null(meminfo_get(&mi, "ShadowCallStack"));
	/* missing: absent, not 0 */
	assert_null(meminfo_get(&mi, "HighTotal"));
	assert_null(meminfo_get(&mi, "DirectMap4k"));
	assert_string_equal(mi.v[0].key, "MemTotal");
	assert_string_equal(mi.v[mi.n - 1].key, "Hugetlb");
	meminfo_free(&mi);
}

/* fixtures/@name's meminfo, and free(1)'s summary of it */
static void summarize_fixture(const char *name, struct meminfo *mi, struct meminfo_summary *s)
{
	struct ms_error err = {0};
	fixture_read(name, meminfo_read, mi);
	assert_int_equal(meminfo_summarize(mi, "m", s, &err), 0);
}

static void test_summary_procps4(void **state)
{
	struct meminfo mi;
	struct meminfo_summary s;
	summarize_fixture("arm64-virt-hand", &mi, &s);
	/* worked by hand from the fixture, in kB */
	assert_true(s.total == UINT64_C(2014928) * 1024);
	assert_true(s.used == (UINT64_C(2014928) - 1790400) * 1024);
	assert_true(s.free == UINT64_C(1543212) * 1024);
	assert_true(s.shared == UINT64_C(1360) * 1024);
	assert_true(s.buff_cache == (UINT64_C(12480) + 260124 + 24756) * 1024);
	assert_true(s.available == UINT64_C(1790400) * 1024);
	assert_false(s.has_high);
	meminfo_free(&mi);
}

static void test_summary_old_kernel(void **state)
{
	struct meminfo mi;
	struct meminfo_summary s;
	summarize_fixture("old-2.6-hand", &mi, &s);
	assert_null(meminfo_get(&mi, "MemAvailable"));
	/* no MemAvailable: procps uses MemFree, so used = total - free */
	assert_true(s.available == UINT64_C(2251088) * 1024);
	assert_true(s.used == (UINT64_C(8174592) - 2251088) * 1024);
	assert_true(s.buff_cache == (UINT64_C(412344) + 3911248) * 1024);
	assert_int_equal(s.shared, 0);
	assert_true(s.swap_total == UINT64_C(4192956) * 1024);
	assert_int_equal(s.swap_used, 0);
	/* LowTotal is printed (HighTotal 0): the Low/High rows are shown */
	assert_true(s.has_high);
	assert_int_equal(s.high_total, 0);
	meminfo_free(&mi);
}

static void test_summary_highmem(void **state)
{
	struct meminfo mi;
	struct meminfo_summary s;
	summarize_fixture("i386-highmem-hand", &mi, &s);
	assert_true(s.has_high);
	assert_true(s.low_total == UINT64_C(872132) * 1024);
	assert_true(s.low_used == (UINT64_C(872132) - 413284) * 1024);
	assert_true(s.high_used == (UINT64_C(2234376) - 1408856) * 1024);
	assert_true(s.swap_used == (UINT64_C(2097148) - 2000000) * 1024);
	meminfo_free(&mi);
}

static void test_summary_container(void **state)
{
	struct meminfo mi;
	struct meminfo_summary s;
	struct ms_error err = {0};
	/* lxc: MemAvailable above MemTotal is distrusted and MemFree used instead */
	assert_int_equal(parse("MemTotal: 1000 kB\nMemFree: 400 kB\nMemAvailable: 5000 kB\n", &mi,
			       &err),
			 0);
	assert_int_equal(meminfo_summarize(&mi, "m", &s, &err), 0);
	assert_int_equal(s.available, 400 * 1024);
	assert_int_equal(s.used, 600 * 1024);
	meminfo_free(&mi);
	assert_int_equal(parse("MemFree: 400 kB\n", &mi, &err), 0);
	assert_int_equal(meminfo_summarize(&mi, "m", &s, &err), -EINVAL);
	assert_string_equal(err.reason, "no MemTotal line");
	meminfo_free(&mi);
}

PARSE_REFUSES_TEST(test_errors, meminfo_parse, struct meminfo,
	    {"", 0, "empty file"},
	    {"MemTotal: 1 kB\nMemFree: abc kB\n", 2, "value of MemFree is not a whole number"},
	    {"MemTotal: -1 kB\n", 1, "value of MemTotal is not a whole number"},
	    {"MemTotal: 1 MB\n", 1, "unknown unit 'MB' for MemTotal"},
	    {"MemTotal 1 kB\n", 1, "expected 'Key: value [kB]'"},
	    {"MemTotal: 18446744073709551616\n", 1, "value of MemTotal does not fit in 64 bits"},
	    {"MemTotal: 18014398509481984 kB\n", 1, "value of MemTotal does not fit in 64 bits"},
	    {"MemTotal: 1 kB\nMemFr", 2, "last line cut off"},
	    {"MemTotal: 1 kB\nBuffers:", 2, "last line cut off"})

static void test_lenient_spacing(void **state)
{
	struct meminfo mi;
	struct ms_error err = {0};
	/* no final newline, tabs, trailing blanks, a blank line */
	assert_int_equal(parse("MemTotal:\t 100 kB  \n\nHugePages_Free: 3", &mi, &err), 0);
	assert_int_equal(mi.n, 2);
	assert_int_equal(meminfo_get(&mi, "HugePages_Free")->value, 3);
	meminfo_free(&mi);
}

TEST_MAIN(cmocka_unit_test(test_units_and_counts), cmocka_unit_test(test_summary_procps4),
	  cmocka_unit_test(test_summary_old_kernel), cmocka_unit_test(test_summary_highmem),
	  cmocka_unit_test(test_summary_container), cmocka_unit_test(test_errors),
	  cmocka_unit_test(test_lenient_spacing))
