/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pagemap, kpageflags and page-table decoders. */
#include <errno.h>
#include <string.h>

#include "test.h"
#include "decode/kpageflags.h"
#include "decode/pagemap.h"
#include "decode/pgtable.h"

static void test_pagemap_present(void **state)
{
	struct pagemap_entry e;
	/* from the captured process: present, file/shared, exclusive, pfn 0x12d0cd */
	pagemap_entry_decode(UINT64_C(0xa10000000012d0cd), &e);
	assert_true(e.present);
	assert_false(e.swapped);
	assert_true(e.file_shared);
	assert_true(e.exclusive);
	assert_false(e.soft_dirty);
	assert_false(e.uffd_wp);
	assert_int_equal(e.pfn, 0x12d0cd);
	/* every flag bit at once, and the widest frame number */
	pagemap_entry_decode(UINT64_MAX, &e);
	assert_true(e.present && e.swapped && e.file_shared && e.guard && e.uffd_wp &&
		    e.exclusive && e.soft_dirty);
	assert_true(e.pfn == (UINT64_C(1) << 55) - 1);
	/* present without CAP_SYS_ADMIN: the frame reads 0 */
	pagemap_entry_decode(UINT64_C(1) << 63, &e);
	assert_true(e.present);
	assert_int_equal(e.pfn, 0);
}

static void test_pagemap_swap(void **state)
{
	struct pagemap_entry e;
	/* swapped, type 3, offset 0x1234: bits 0-4 type, 5-54 offset */
	uint64_t raw = UINT64_C(1) << 62 | UINT64_C(0x1234) << 5 | 3;
	pagemap_entry_decode(raw, &e);
	assert_true(e.swapped);
	assert_false(e.present);
	assert_int_equal(e.swap_type, 3);
	assert_int_equal(e.swap_offset, 0x1234);
	assert_int_equal(e.pfn, 0); /* not a frame */
	pagemap_entry_decode(0, &e);
	assert_false(e.present || e.swapped);
	/* bit 58: a guard region (6.15), bit 55 soft-dirty alone */
	pagemap_entry_decode(UINT64_C(1) << 58, &e);
	assert_true(e.guard);
	pagemap_entry_decode(UINT64_C(1) << 55, &e);
	assert_true(e.soft_dirty && !e.present);
}

/* The accessors translate's page walk uses say what the full decoder says, on every bit. */
static void test_pagemap_accessors(void **state)
{
	uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
	for (int i = 0; i < 4096; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint64_t raw = i < 64 ? UINT64_C(1) << i : i < 128 ? ~(UINT64_C(1) << (i - 64)) : x;
		struct pagemap_entry e;
		pagemap_entry_decode(raw, &e);
		assert_int_equal(pagemap_present(raw), e.present);
		assert_int_equal(pagemap_swapped(raw), e.swapped);
		assert_int_equal(pagemap_pfn(raw), e.pfn);
	}
	assert_int_equal(pagemap_pfn(UINT64_C(0x7fffffffffffffff)), 0); /* not present: no frame */
	assert_int_equal(pagemap_pfn(UINT64_C(0x80ffffffffffffff)), UINT64_C(0x7fffffffffffff));
}

static void test_kpageflags(void **state)
{
	const char *names[64];
	char scratch[64][8];
	uint64_t f = 1 << KPF_UPTODATE | 1 << KPF_LRU | 1 << KPF_ANON | UINT64_C(1) << 33 |
		     UINT64_C(1) << 50;
	size_t n = kpageflags_names(f, names, 64, scratch);
	assert_int_equal(n, 5);
	assert_string_equal(names[0], "uptodate");
	assert_string_equal(names[1], "lru");
	assert_string_equal(names[2], "anon");
	assert_string_equal(names[3], "mlocked");
	assert_string_equal(names[4], "bit_50");
	assert_string_equal(kpageflags_name(KPF_COMPOUND_TAIL), "compound_tail");
	assert_null(kpageflags_name(30));
	/* made plain */
	assert_string_equal(kpageflags_explain(1 << KPF_THP | 1 << KPF_COMPOUND_HEAD),
			    "head page of a transparent huge page");
	assert_string_equal(kpageflags_explain(1 << KPF_THP | 1 << KPF_COMPOUND_TAIL),
			    "tail page of a transparent huge page");
	assert_string_equal(kpageflags_explain(1 << KPF_HUGE | 1 << KPF_COMPOUND_HEAD),
			    "head page of a hugetlbfs huge page");
	assert_string_equal(kpageflags_explain(1 << KPF_ZERO_PAGE),
			    "the zero page: read, never written, shared by all");
	assert_string_equal(kpageflags_explain(1 << KPF_KSM | 1 << KPF_ANON),
			    "merged by KSM: identical pages share this one frame");
	assert_null(kpageflags_explain(1 << KPF_UPTODATE));
	/* the walkers' bits (lib/pagebits.h) are the named bits, and no other */
	for (unsigned b = 0; b < 64; b++) {
		uint64_t one = UINT64_C(1) << b;
		assert_int_equal(pagebits_head(one), b == KPF_COMPOUND_HEAD);
		assert_int_equal(pagebits_tail(one), b == KPF_COMPOUND_TAIL);
		assert_int_equal(pagebits_thp(one), b == KPF_THP);
	}
	assert_int_equal(kpageflags_order(1), 0);
	assert_int_equal(kpageflags_order(2), 1);
	assert_int_equal(kpageflags_order(3), 2);
	assert_int_equal(kpageflags_order(512), 9);
	assert_int_equal(kpageflags_order(513), 10);
}

static void test_x86_64(void **state)
{
	struct paging p;
	unsigned idx[PGTABLE_MAX_LEVELS];
	uint64_t off;
	assert_int_equal(paging_x86_64(&p, 4), 0);
	assert_int_equal(p.levels, 4);
	assert_string_equal(p.level[0].name, "pgd");
	assert_string_equal(p.level[1].name, "pud");
	assert_string_equal(p.level[3].name, "pte");
	/* 0x00007fc0fd77a000: bits 47-39 = 255, 38-30 = 259, 29-21 = 491, 20-12 = 378 */
	paging_indices(&p, UINT64_C(0x00007fc0fd77a123), idx, &off);
	assert_int_equal(idx[0], 255);
	assert_int_equal(idx[1], 259);
	assert_int_equal(idx[2], 491);
	assert_int_equal(idx[3], 378);
	assert_int_equal(off, 0x123);
	/* the last user address and the first kernel one */
	paging_indices(&p, UINT64_C(0x00007fffffffffff), idx, &off);
	assert_true(idx[0] == 255 && idx[1] == 511 && idx[2] == 511 && idx[3] == 511 && off == 4095);
	paging_indices(&p, UINT64_C(0xffff800000000000), idx, &off);
	assert_true(idx[0] == 256 && idx[1] == 0);
	assert_int_equal(paging_x86_64(&p, 5), 0);
	assert_int_equal(p.levels, 5);
	assert_string_equal(p.level[1].name, "p4d");
	assert_int_equal(p.level[0].shift, 48);
	paging_indices(&p, UINT64_C(0x01ffffffffffffff), idx, &off); /* bits 48-56 all set */
	assert_int_equal(idx[0], 511);
	assert_int_equal(paging_x86_64(&p, 3), -EINVAL);
}

static void test_arm64(void **state)
{
	struct paging p;
	/* 4K, 48 bits: 4 levels of 9 bits from bit 12 */
	assert_int_equal(paging_arm64(&p, 4096, 48), 0);
	assert_int_equal(p.levels, 4);
	assert_int_equal(p.level[0].shift, 39);
	/* 4K, 39 bits: 3 levels */
	assert_int_equal(paging_arm64(&p, 4096, 39), 0);
	assert_int_equal(p.levels, 3);
	assert_string_equal(p.level[0].name, "pgd"); /* pud folded */
	assert_string_equal(p.level[1].name, "pmd");
	/* 16K, 47 bits: 11 bits per level from 14: 14-24, 25-35, 36-46 */
	assert_int_equal(paging_arm64(&p, 16384, 47), 0);
	assert_int_equal(p.levels, 3);
	assert_int_equal(p.level[0].shift, 36);
	assert_int_equal(p.level[0].bits, 11);
	/* 16K, 48 bits: a 1-bit top level */
	assert_int_equal(paging_arm64(&p, 16384, 48), 0);
	assert_int_equal(p.levels, 4);
	assert_int_equal(p.level[0].bits, 1);
	/* 64K, 42 bits: 2 levels (13 bits from 16, then 13); 48 bits: 3 levels, top 6 bits */
	assert_int_equal(paging_arm64(&p, 65536, 42), 0);
	assert_int_equal(p.levels, 2);
	assert_int_equal(paging_arm64(&p, 65536, 48), 0);
	assert_int_equal(p.levels, 3);
	assert_int_equal(p.level[0].bits, 6);
	assert_int_equal(paging_arm64(&p, 65536, 52), 0);
	assert_int_equal(p.level[0].bits, 10);
	assert_int_equal(paging_arm64(&p, 4096, 42), -EINVAL);
	assert_int_equal(paging_arm64(&p, 8192, 48), -EINVAL);
}

static void test_i386(void **state)
{
	struct paging p;
	unsigned idx[PGTABLE_MAX_LEVELS];
	uint64_t off;
	paging_i386(&p, false);
	assert_int_equal(p.levels, 2);
	paging_indices(&p, 0xc0101234, idx, &off);
	assert_int_equal(idx[0], 0x300); /* PAGE_OFFSET 3G: pgd entry 768 */
	assert_int_equal(idx[1], 0x101);
	assert_int_equal(off, 0x234);
	paging_i386(&p, true);
	assert_int_equal(p.levels, 3);
	assert_int_equal(p.level[0].bits, 2);
	paging_indices(&p, 0xc0101234, idx, &off);
	assert_int_equal(idx[0], 3);
}

TEST_MAIN(cmocka_unit_test(test_pagemap_present), cmocka_unit_test(test_pagemap_swap),
	  cmocka_unit_test(test_pagemap_accessors), cmocka_unit_test(test_kpageflags),
	  cmocka_unit_test(test_x86_64), cmocka_unit_test(test_arm64), cmocka_unit_test(test_i386))
