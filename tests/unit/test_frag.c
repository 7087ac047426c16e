/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fragmentation arithmetic, against values worked out by hand. */
#include "test.h"
#include "decode/frag.h"

/* the notes' buddyinfo, zone DMA: 1 1 0 1 2 1 1 0 1 1 3 */
static const uint64_t dma[11] = {1, 1, 0, 1, 2, 1, 1, 0, 1, 1, 3};

static void test_free_pages(void **state)
{
	/* 1 + 1*2 + 1*8 + 2*16 + 1*32 + 1*64 + 1*256 + 1*512 + 3*1024 */
	assert_int_equal(frag_free_pages(dma, 11), 3979);
	assert_int_equal(frag_largest_order(dma, 11), 10);
	static const uint64_t none[4] = {0};
	assert_int_equal(frag_free_pages(none, 4), 0);
	assert_int_equal(frag_largest_order(none, 4), -1);
	static const uint64_t low[4] = {5, 2, 0, 0};
	assert_int_equal(frag_largest_order(low, 4), 1);
}

static void test_unusable_by_hand(void **state)
{
	/* order 0: every free page serves it */
	assert_int_equal(frag_unusable_index(dma, 11, 0), 0);
	/* order 4: blocks of >= 16 pages hold 32+32+64+256+512+3072 = 3968 pages, so 11 of
	 * 3979 free pages are unusable: 11000/3979 = 2.76 -> 2 (thousandths, truncated) */
	assert_int_equal(frag_unusable_index(dma, 11, 4), 2);
	/* order 5: >= 32 pages hold 3936; 43000/3979 = 10.8 -> 10 */
	assert_int_equal(frag_unusable_index(dma, 11, 5), 10);
	/* order 9: 512 + 3072 = 3584 usable; 395000/3979 = 99.3 -> 99 */
	assert_int_equal(frag_unusable_index(dma, 11, 9), 99);
	/* order 10: 3072 usable; 907000/3979 = 227.9 -> 227 */
	assert_int_equal(frag_unusable_index(dma, 11, 10), 227);
}

static void test_unusable_edges(void **state)
{
	/* nothing free: all unusable (1.000), as the kernel says */
	static const uint64_t none[11] = {0};
	assert_int_equal(frag_unusable_index(none, 11, 3), 1000);
	/* only order-0 pages: useless for any larger order */
	static const uint64_t small[3] = {100, 0, 0};
	assert_int_equal(frag_unusable_index(small, 3, 1), 1000);
	assert_int_equal(frag_unusable_index(small, 3, 0), 0);
	/* 14 orders (arm64, 64K pages): one order-13 block and one page */
	static const uint64_t big[14] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	assert_int_equal(frag_free_pages(big, 14), 8193);
	assert_int_equal(frag_unusable_index(big, 14, 13), 0); /* 1000/8193 = 0.12 -> 0 */
	assert_int_equal(frag_unusable_index(big, 14, 1), 0);
	static const uint64_t half[2] = {2, 1}; /* 2 single pages + one pair: 4 pages */
	assert_int_equal(frag_unusable_index(half, 2, 1), 500);
}

TEST_MAIN(cmocka_unit_test(test_free_pages), cmocka_unit_test(test_unusable_by_hand),
	  cmocka_unit_test(test_unusable_edges))
