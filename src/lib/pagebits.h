/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The bits of the kernel's page files that a reader tests as it walks them: pagemap entries
 * (Documentation/admin-guide/mm/pagemap.rst) and the compound-page and THP bits of kpageflags
 * (include/uapi/linux/kernel-page-flags.h). Kept below every layer: proc/ walks by them,
 * decode/ names them; decode/pagemap.h and decode/kpageflags.h build on these. */
#ifndef MEMSCOPE_LIB_PAGEBITS_H
#define MEMSCOPE_LIB_PAGEBITS_H

#include <stdbool.h>
#include <stdint.h>

/* pagemap: bit 63 present, 62 swapped, 0-54 the frame when present (0 without CAP_SYS_ADMIN) */
#define PAGEMAP_PFN_MASK ((UINT64_C(1) << 55) - 1)
static inline bool pagemap_present(uint64_t raw) { return raw >> 63; }
static inline bool pagemap_swapped(uint64_t raw) { return raw >> 62 & 1; }
static inline uint64_t pagemap_pfn(uint64_t raw) { return pagemap_present(raw) ? raw & PAGEMAP_PFN_MASK : 0; }

/* kpageflags: KPF_COMPOUND_HEAD 15, KPF_COMPOUND_TAIL 16, KPF_THP 22 */
static inline bool pagebits_head(uint64_t flags) { return flags >> 15 & 1; }
static inline bool pagebits_tail(uint64_t flags) { return flags >> 16 & 1; }
static inline bool pagebits_thp(uint64_t flags) { return flags >> 22 & 1; }
/* KPF_ANON: an anonymous page (not the page cache's) */
static inline bool pagebits_anon(uint64_t flags) { return flags >> 12 & 1; }

/* The order of a folio of @pages frames: the smallest k with 2^k >= @pages. */
static inline unsigned pagebits_order(uint64_t pages)
{
	unsigned k = 0;
	while (k < 63 && (UINT64_C(1) << k) < pages)
		k++;
	return k;
}

#endif
