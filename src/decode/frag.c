/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fragmentation indices from buddy free counts (mm/vmstat.c fill_contig_page_info and
 * unusable_free_index). */
#include "decode/frag.h"

uint64_t frag_free_pages(const uint64_t *count, unsigned n)
{
	uint64_t pages = 0;
	for (unsigned o = 0; o < n; o++)
		pages += count[o] << o;
	return pages;
}

unsigned frag_unusable_index(const uint64_t *count, unsigned n, unsigned order)
{
	uint64_t free_pages = frag_free_pages(count, n);
	/* no free memory is interpreted as all free memory being unusable */
	if (free_pages == 0)
		return 1000;
	/* blocks of at least @order, counted in units of 2^order pages */
	uint64_t suitable = 0;
	for (unsigned o = order; o < n; o++)
		suitable += count[o] << (o - order);
	return (unsigned)((free_pages - (suitable << order)) * 1000 / free_pages);
}

int frag_largest_order(const uint64_t *count, unsigned n)
{
	for (int o = (int)n - 1; o >= 0; o--)
		if (count[o])
			return o;
	return -1;
}
