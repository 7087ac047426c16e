/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fragmentation arithmetic over free counts per order, as the kernel defines it. */
#ifndef MEMSCOPE_DECODE_FRAG_H
#define MEMSCOPE_DECODE_FRAG_H

#include <stdint.h>

/* Free base pages in @n orders: sum of count[o] << o. */
uint64_t frag_free_pages(const uint64_t *count, unsigned n);

/* The unusable free space index for an allocation of @order, in thousandths (0: every free
 * page can serve it, 1000: none can; also 1000 when nothing is free), exactly as
 * mm/vmstat.c unusable_free_index() computes /sys/kernel/debug/extfrag/unusable_index. */
unsigned frag_unusable_index(const uint64_t *count, unsigned n, unsigned order);

/* Highest order with a free block, or -1 when nothing is free. */
int frag_largest_order(const uint64_t *count, unsigned n);

#endif
