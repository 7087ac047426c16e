/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/kpageflags bits by name (include/uapi/linux/kernel-page-flags.h, and the kernel-hacking
 * bits 32-42 of include/linux/kernel-page-flags.h). */
#ifndef MEMSCOPE_DECODE_KPAGEFLAGS_H
#define MEMSCOPE_DECODE_KPAGEFLAGS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/pagebits.h"

enum {
	KPF_LOCKED = 0, KPF_ERROR = 1, KPF_REFERENCED = 2, KPF_UPTODATE = 3, KPF_DIRTY = 4,
	KPF_LRU = 5, KPF_ACTIVE = 6, KPF_SLAB = 7, KPF_WRITEBACK = 8, KPF_RECLAIM = 9,
	KPF_BUDDY = 10, KPF_MMAP = 11, KPF_ANON = 12, KPF_SWAPCACHE = 13, KPF_SWAPBACKED = 14,
	KPF_COMPOUND_HEAD = 15, KPF_COMPOUND_TAIL = 16, KPF_HUGE = 17, KPF_UNEVICTABLE = 18,
	KPF_HWPOISON = 19, KPF_NOPAGE = 20, KPF_KSM = 21, KPF_THP = 22, KPF_OFFLINE = 23,
	KPF_ZERO_PAGE = 24, KPF_IDLE = 25, KPF_PGTABLE = 26,
	KPF_RESERVED = 32, KPF_MLOCKED = 33, KPF_MAPPEDTODISK = 34, KPF_PRIVATE = 35,
	KPF_PRIVATE_2 = 36, KPF_OWNER_PRIVATE = 37, KPF_ARCH = 38, KPF_UNCACHED = 39,
	KPF_SOFTDIRTY = 40, KPF_ARCH_2 = 41, KPF_ARCH_3 = 42,
};

/* The lower-case name of bit @bit ("uptodate", "compound_head"), or NULL for an unknown bit. */
const char *kpageflags_name(unsigned bit);

/* The names of the bits set in @flags, lowest bit first; unknown bits as "bit_NN". Writes at
 * most @max pointers (names live in static storage; "bit_NN" in @scratch, 8 bytes per bit).
 * Returns how many bits are set. */
size_t kpageflags_names(uint64_t flags, const char **names, size_t max, char (*scratch)[8]);

/* One plain sentence for what the flags make the page ("part of a transparent huge page (its
 * head)", "the shared zero page", ...), or NULL when nothing special. */
const char *kpageflags_explain(uint64_t flags);

/* A frame of a transparent huge page, of any size: fs/proc/page.c sets KPF_THP on every page
 * of a large rmappable folio ("we indicate any THPs here, not just PMD-sized ones"), anonymous
 * or page cache, and on the huge zero page; hugetlbfs pages are KPF_HUGE instead. */
static inline int kpageflags_thp(uint64_t f)
{
	return pagebits_thp(f);
}

/* The order of a folio of @pages frames: the smallest k with 2^k >= @pages. */
unsigned kpageflags_order(uint64_t pages);

/* The order of a folio that one PMD entry maps with pages of @page_size bytes (a page table is
 * one page of 8-byte entries): 9 with 4K pages (2M), 11 with 16K, 13 with 64K. Smaller THP
 * folios are multi-size THP, mTHP (admin-guide/mm/transhuge.rst). */
unsigned kpageflags_pmd_order(uint64_t page_size);

#endif
