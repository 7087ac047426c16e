/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The slab parsers: /proc/slabinfo (SLUB and SLAB), SLUB's /sys/kernel/slab attributes, and
 * every real capture's slabinfo summed against awk's reading of the same file. */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "proc/slabinfo.h"
#include "proc/slabsys.h"

#define HEAD                                                                                     \
	"slabinfo - version: 2.1\n"                                                              \
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : "   \
	"tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> "    \
	"<sharedavail>\n"

/* @t (HEAD and rows) parsed into @si: @n caches. */
static void parse_ok(const char *t, struct slabinfo *si, size_t n)
{
	struct ms_error err = {0};
	assert_int_equal(slabinfo_parse(t, strlen(t), "f", si, &err), 0);
	assert_int_equal(si->n, n);
}

static void test_slub_fixture(void **state)
{
	struct slabinfo si;
	fixture_read("x86_64-vm-6.18-slab", slabinfo_read, &si);
	assert_int_equal(si.n, 235);
	assert_false(si.tunables);
	assert_false(si.statistics);
	assert_string_equal(si.v[0].name, "btrfs_delayed_node");
	assert_int_equal(si.v[0].line, 3);
	const struct slab_cache *d = slabinfo_find(&si, "dentry");
	assert_non_null(d);
	/* dentry 129618 129654 192 21 1 : tunables 0 0 0 : slabdata 6174 6174 0 */
	assert_int_equal(d->active_objs, 129618);
	assert_int_equal(d->num_objs, 129654);
	assert_int_equal(d->objsize, 192);
	assert_int_equal(d->objperslab, 21);
	assert_int_equal(d->pagesperslab, 1);
	assert_int_equal(d->active_slabs, 6174);
	assert_int_equal(d->num_slabs, 6174);
	assert_int_equal(d->sharedavail, 0);
	const struct slab_cache *t = slabinfo_find(&si, "task_struct");
	assert_int_equal(t->objsize, 5888);
	assert_int_equal(t->pagesperslab, 8);
	assert_null(slabinfo_find(&si, "no such cache"));
	/* the totals awk gives: sum of num_objs*objsize, of num_slabs*pagesperslab */
	uint64_t bytes = 0, pages = 0;
	for (size_t i = 0; i < si.n; i++) {
		bytes += si.v[i].num_objs * si.v[i].objsize;
		pages += si.v[i].num_slabs * si.v[i].pagesperslab;
	}
	assert_int_equal(bytes, 197817600);
	assert_int_equal(pages, 49392);
	assert_string_equal(si.v[si.n - 1].name, "kmem_cache");
	slabinfo_free(&si);
	assert_null(si.v);
}

static void test_slab_tunables(void **state)
{
	/* the old SLAB (arm32 4.4): tunables set; no final newline */
	static const char t[] = HEAD
		"can_gw                 0      0    480    8    1 : tunables   54   27    8 : "
		"slabdata      0      0      0\n"
		"RAWv6                  6     18    832    9    2 : tunables   54   27    8 : "
		"slabdata      2      2      1";
	struct slabinfo si;
	parse_ok(t, &si, 2);
	assert_true(si.tunables);
	assert_int_equal(si.v[1].limit, 54);
	assert_int_equal(si.v[1].batchcount, 27);
	assert_int_equal(si.v[1].sharedfactor, 8);
	assert_int_equal(si.v[1].sharedavail, 1);
	assert_int_equal(si.v[1].line, 4);
	slabinfo_free(&si);
}

static void test_names_and_statistics(void **state)
{
	/* a name with blanks (and one of digits) is read whole, from the right; a name longer
	 * than the 17 columns runs into the numbers with one blank */
	static const char t[] = HEAD
		"my cache 2   5 6 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"nf_conntrack_ffff881026e52400      0      0    320   51    4 : tunables    0    0 "
		"   0 : slabdata      0      0      0\n"
		"\x1b]0;x\x07 1 2 3 4 1 : tunables 0 0 0 : slabdata 1 1 0\r\n";
	struct slabinfo si;
	parse_ok(t, &si, 3);
	assert_string_equal(si.v[0].name, "my cache 2");
	assert_int_equal(si.v[0].active_objs, 5);
	assert_string_equal(si.v[1].name, "nf_conntrack_ffff881026e52400");
	assert_int_equal(si.v[1].pagesperslab, 4);
	assert_string_equal(si.v[2].name, "\x1b]0;x\x07"); /* kept; escaped by who prints it */
	slabinfo_free(&si);

	/* CONFIG_DEBUG_SLAB: "(statistics)" and two more groups of columns, not kept */
	static const char s[] =
		"slabinfo - version: 2.1 (statistics)\n"
		"# name <active_objs> ... : globalstat <listallocs> ... : cpustat <allochit> ...\n"
		"kmalloc-32 100 113 32 113 1 : tunables 120 60 8 : slabdata 1 1 0 : globalstat 5 5 1 "
		"0 0 0 0 0 0 : cpustat 10 2 3 0\n";
	struct ms_error err = {0};
	assert_int_equal(slabinfo_parse(s, strlen(s), "f", &si, &err), 0);
	assert_true(si.statistics);
	assert_int_equal(si.v[0].num_objs, 113);
	slabinfo_free(&si);
}

static void test_slabinfo_errors(void **state)
{
	static const char shape[] =
		"expected 'NAME ACTIVE_OBJS NUM_OBJS OBJSIZE OBJPERSLAB PAGESPERSLAB : tunables LIMIT "
		"BATCHCOUNT SHAREDFACTOR : slabdata ACTIVE_SLABS NUM_SLABS SHAREDAVAIL'";
	static const struct bad_input bad[] = {
	    {"\n", 1, "expected 'slabinfo - version: 2.1' on the first line"},
	    {"# name\n", 1, "expected 'slabinfo - version: 2.1' on the first line"},
	    {"slabinfo - version: 2.0\n", 1,
	     "unknown version '2.0' (memscope reads version 2.1, Linux 2.6.10 and later)"},
	    {"slabinfo - version: 1.1 (SMP)\n", 1,
	     "unknown version '1.1' (memscope reads version 2.1, Linux 2.6.10 and later)"},
	    {"slabinfo - version: 2.1 (other)\n", 1,
	     "unknown version '2.1' (memscope reads version 2.1, Linux 2.6.10 and later)"},
	    {HEAD, 0, "no caches in the file"},
	    {"slabinfo - version: 2.1\n\n\n", 0, "no caches in the file"},
	    {HEAD "a 1 2 3 4 : tunables 0 0 0 : slabdata 1 1 0\n", 3, shape},
	    {HEAD "1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0\n", 3, shape},
	    {HEAD "a 1 2 3 4 5 : tunables 0 0 : slabdata 1 1 0\n", 3, shape},
	    {HEAD "a 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1\n", 3, shape},
	    {HEAD "a 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0 junk\n", 3, shape},
	    {HEAD "a 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 0 : globalstat 1\n", 3, shape},
	    {HEAD "a 1 2 -3 4 5 : tunables 0 0 0 : slabdata 1 1 0\n", 3, shape},
	    {HEAD "a 1 2 3x 4 5 : tunables 0 0 0 : slabdata 1 1 0\n", 3, shape},
	    {HEAD "a 1 2 3 4 5\n", 3, shape},
	    {HEAD "a 1 2 3 4 4 : tunables 0 0 0 : slabdata 1 1 0\nb 1 2 3 4 5 : tunab", 4,
	     "last line cut off"},
	    {HEAD "a 1 2 99999999999999999999 4 5 : tunables 0 0 0 : slabdata 1 1 0\n", 3,
	     "a number does not fit in 64 bits"},
	    {HEAD "a 1 2 3 4 5 : tunables 0 0 0 : slabdata 1 1 99999999999999999999\n", 3,
	     "a number does not fit in 64 bits"},
	    /* pagesperslab: a buddy block's 2^order pages */
	    {HEAD "a 1 2 3 4 0 : tunables 0 0 0 : slabdata 1 1 0\n", 3,
	     "pagesperslab 0 is not a power of two (a slab is a block of 2^order pages)"},
	    {HEAD "a 1 2 3 4 8 : tunables 0 0 0 : slabdata 1 1 0\nb 1 2 3 4 3 : tunables 0 0 0 : "
		  "slabdata 1 1 0\n", 4,
	     "pagesperslab 3 is not a power of two (a slab is a block of 2^order pages)"},
	};
	assert_parse_fails_each(slabinfo_parse, struct slabinfo, bad);
	/* a NUL byte needs the length given, not strlen() */
	static const char nul[] = HEAD "a 1 2\0 3 4 5 : tunables 0 0 0 : slabdata 1 1 0\n";
	struct slabinfo si;
	struct ms_error err = {0};
	assert_failed(slabinfo_parse(nul, sizeof(nul) - 1, "f", &si, &err), &err, -EINVAL, 3,
		      "NUL byte in line");
	/* a dump made without root holds it empty */
	assert_failed(slabinfo_parse("", 0, "d/proc/slabinfo", &si, &err), &err, -EACCES, 0,
		      "empty file (the kernel shows it to root only)");
	assert_string_equal(err.file, "d/proc/slabinfo");
	assert_null(si.v);
}

static void test_slabinfo_missing_and_denied(void **state)
{
	struct sysroot sr;
	struct slabinfo si;
	struct ms_error err = {0};
	fixture_open(&sr, "empty");
	assert_int_equal(slabinfo_read(&sr, &si, &err), -ENOENT);
	assert_string_equal(err.reason, "missing from the dump");
	assert_non_null(strstr(err.file, "empty/proc/slabinfo"));
	sysroot_close(&sr);
	LIVE_AS_USER(&sr, "/proc/slabinfo", &err);
	int ret = slabinfo_read(&sr, &si, &err);
	if (ret == -ENOENT)
		SKIP_TEST("this kernel has no /proc/slabinfo\n");
	assert_root_only(ret, &err, "/proc/slabinfo");
	sysroot_close(&sr);
}

static void test_slabsys(void **state)
{
	struct sysroot sr;
	struct slabsys s;
	struct ms_error err = {0};
	fixture_open(&sr, "x86_64-vm-6.18-slab");
	assert_int_equal(slabsys_read(&sr, "dentry", SA_ALL, &s, &err), 0);
	for (int a = 0; a < SA_N; a++)
		assert_true(s.has[a]);
	assert_int_equal(s.v[SA_ORDER], 0);
	assert_int_equal(s.v[SA_OBJS_PER_SLAB], 21);
	assert_int_equal(s.v[SA_OBJECT_SIZE], 192);
	assert_int_equal(s.v[SA_SLAB_SIZE], 192);
	assert_int_equal(s.v[SA_PARTIAL], 16); /* "16 N0=16" */
	assert_int_equal(s.v[SA_CPU_SLABS], 6);	       /* "6 N0=6" */
	assert_int_equal(s.v[SA_TOTAL_OBJECTS], 129654); /* = slabinfo's num_objs */
	assert_int_equal(s.v[SA_RECLAIM_ACCOUNT], 1);
	assert_int_equal(s.v[SA_ALIASES], 0);
	/* only what is asked is read */
	assert_int_equal(slabsys_read(&sr, "task_struct", SA_BIT(SA_ORDER), &s, &err), 0);
	assert_true(s.has[SA_ORDER]);
	assert_false(s.has[SA_SLAB_SIZE]);
	assert_int_equal(s.v[SA_ORDER], 3); /* 8 pages per slab */
	/* a merged cache's name is a link to the directory it shares (inside the dump) */
	assert_int_equal(slabsys_read(&sr, "vmap_area", SA_BIT(SA_ALIASES) | SA_BIT(SA_SLAB_SIZE),
				      &s, &err),
			 0);
	assert_int_equal(s.v[SA_ALIASES], 6);
	assert_int_equal(s.v[SA_SLAB_SIZE], 72);
	/* no such cache; names sysfs cannot have */
	assert_int_equal(slabsys_read(&sr, "pid", SA_ALL, &s, &err), -ENOENT);
	assert_string_equal(err.reason, "missing from the dump");
	assert_int_equal(slabsys_read(&sr, "../../../proc", SA_ALL, &s, &err), -EINVAL);
	assert_string_equal(err.reason, "not a cache name sysfs can have");
	assert_int_equal(slabsys_read(&sr, "..", SA_ALL, &s, &err), -EINVAL);
	assert_int_equal(slabsys_read(&sr, "", SA_ALL, &s, &err), -EINVAL);
	sysroot_close(&sr);
	assert_string_equal(slabsys_name(SA_TOTAL_OBJECTS), "total_objects");
}

static void test_slabsys_parse(void **state)
{
	uint64_t v;
	struct ms_error err = {0};
	assert_int_equal(slabsys_parse("3\n", 2, "f", &v, &err), 0);
	assert_int_equal(v, 3);
	assert_int_equal(slabsys_parse("12 N0=5 N1=7\n", 13, "f", &v, &err), 0);
	assert_int_equal(v, 12);
	assert_int_equal(slabsys_parse("7", 1, "f", &v, &err), 0);
	static const struct {
		const char *text;
		unsigned long line;
		const char *reason;
	} bad[] = {
	    {"", 0, "empty file"},
	    {"x\n", 1, "expected a number"},
	    {"-1\n", 1, "expected a number"},
	    {"99999999999999999999\n", 1, "the number does not fit in 64 bits"},
	    {"5 N0=\n", 1, "expected 'COUNT [N0=COUNT ...]'"},
	    {"5 N0=99999999999999999999\n", 1, "a count does not fit in 64 bits"},
	    {"5 X\n", 1, "expected 'COUNT [N0=COUNT ...]'"},
	    {"5N0=5\n", 1, "expected 'COUNT [N0=COUNT ...]'"},
	    {"5\n6\n", 2, "more than one line"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = slabsys_parse(bad[i].text, strlen(bad[i].text), "f", &v, &err);
		assert_true(ret < 0);
		assert_int_equal(err.line, bad[i].line);
		assert_string_equal(err.reason, bad[i].reason);
	}
	assert_int_equal(slabsys_parse("5\0\n", 3, "f", &v, &err), -EINVAL);
	assert_string_equal(err.reason, "NUL byte in line");
}

/* The shared arithmetic: a cache's memory and waste, the totals, the kmalloc classes. */
static void test_arithmetic(void **state)
{
	struct slabinfo si;
	/* 10 slabs of 2 pages of 4K: 81920 bytes; 100 objects of 512 in use: 30720 wasted; a
	 * cache fuller than its slabs (a racing read) wastes nothing */
	parse_ok(HEAD "a 100 150 512 15 2 : tunables 0 0 0 : slabdata 10 10 0\n"
		      "b 9 9 1000 9 1 : tunables 0 0 0 : slabdata 1 1 0\n",
		 &si, 2);
	assert_int_equal(slab_cache_memory(&si.v[0], 4096), 81920);
	assert_int_equal(slab_cache_wasted(&si.v[0], 4096), 81920 - 51200);
	assert_int_equal(slab_cache_memory(&si.v[1], 4096), 4096);
	assert_int_equal(slab_cache_wasted(&si.v[1], 4096), 0);
	assert_int_equal(slab_cache_memory(&si.v[0], 65536), 20 * 65536);
	struct slab_totals t;
	slabinfo_totals(&si, 4096, &t);
	assert_int_equal(t.caches, 2);
	assert_int_equal(t.active_objs, 109);
	assert_int_equal(t.num_objs, 159);
	assert_int_equal(t.memory, 81920 + 4096);
	assert_int_equal(t.wasted, 30720);
	slabinfo_free(&si);

	static const struct {
		const char *name, *family;
		uint64_t bytes;
	} classes[] = {
		{"kmalloc-cg-2k", "kmalloc-cg", 2048}, {"kmalloc-192", "kmalloc", 192},
		{"dma-kmalloc-8192", "dma-kmalloc", 8192}, {"size-64(DMA)", "size(DMA)", 64},
		{"kmalloc-rcl-4M", "kmalloc-rcl", 4 << 20}, {"kmalloc-rnd-01-64", "kmalloc-rnd-01", 64},
	};
	char fam[40];
	uint64_t b = 0;
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		assert_true(slab_kmalloc_class(classes[i].name, fam, sizeof(fam), &b));
		assert_string_equal(fam, classes[i].family);
		assert_int_equal(b, classes[i].bytes);
	}
	assert_false(slab_kmalloc_class("kmalloc_buckets", fam, sizeof(fam), &b));
	assert_false(slab_kmalloc_class("kmalloc-node", fam, sizeof(fam), &b));
	assert_false(slab_kmalloc_class("kmalloc-64x", fam, sizeof(fam), &b));
	assert_false(slab_kmalloc_class("dentry", fam, sizeof(fam), &b));
	assert_false(slab_kmalloc_class("kmalloc-0", fam, sizeof(fam), &b));
	(void)state;
}

/* awk's reading of a slabinfo: caches, sum of num_objs*objsize, sum of num_slabs*pagesperslab */
static const char awk_sums[] =
	"NR>2 && NF>0 {n++; b+=$3*$4; p+=$15*$6} END {printf \"%.0f %.0f %.0f\\n\", n, b, p}";

/* A capture's slabinfo parsed and summed as awk sums it; @ctx counts the SLAB ones. */
static void check_real_dump(const struct real_dump *d, void *ctx)
{
	struct slabinfo si;
	struct ms_error err = {0};
	if (slabinfo_parse(d->data, d->len, d->path, &si, &err))
		fail_msg("%s:%lu: %s", err.file, err.line, err.reason);
	uint64_t my_bytes = 0, my_pages = 0;
	for (size_t c = 0; c < si.n; c++) {
		my_bytes += si.v[c].num_objs * si.v[c].objsize;
		my_pages += si.v[c].num_slabs * si.v[c].pagesperslab;
	}
	print_message("# %s: %zu caches, %llu bytes of objects, %llu slab pages%s\n", d->name, si.n,
		      (unsigned long long)my_bytes, (unsigned long long)my_pages,
		      si.tunables ? " (SLAB)" : "");
	assert_int_equal(si.n, d->awk[0]);
	assert_int_equal(my_bytes, d->awk[1]);
	assert_int_equal(my_pages, d->awk[2]);
	*(size_t *)ctx += si.tunables;
	slabinfo_free(&si);
}

static void test_real_dumps(void **state)
{
	size_t slab = 0;
	if (!real_dumps_each("slabinfo", 10, awk_sums, 3, check_real_dump, &slab))
		return;
	assert_int_equal(slab, 1); /* arm32-xilinx-zynq-4.4.0-252M */
}

TEST_MAIN(cmocka_unit_test(test_slub_fixture), cmocka_unit_test(test_slab_tunables),
	  cmocka_unit_test(test_names_and_statistics), cmocka_unit_test(test_slabinfo_errors),
	  cmocka_unit_test(test_slabinfo_missing_and_denied), cmocka_unit_test(test_slabsys),
	  cmocka_unit_test(test_slabsys_parse), cmocka_unit_test(test_arithmetic), cmocka_unit_test(test_real_dumps))
