/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names and meanings of /proc/kpageflags bits (Documentation/admin-guide/mm/pagemap.rst). */
#include <stdio.h>

#include "decode/kpageflags.h"

static const char *const names[64] = {
	[KPF_LOCKED] = "locked",
	[KPF_ERROR] = "error",
	[KPF_REFERENCED] = "referenced",
	[KPF_UPTODATE] = "uptodate",
	[KPF_DIRTY] = "dirty",
	[KPF_LRU] = "lru",
	[KPF_ACTIVE] = "active",
	[KPF_SLAB] = "slab",
	[KPF_WRITEBACK] = "writeback",
	[KPF_RECLAIM] = "reclaim",
	[KPF_BUDDY] = "buddy",
	[KPF_MMAP] = "mmap",
	[KPF_ANON] = "anon",
	[KPF_SWAPCACHE] = "swapcache",
	[KPF_SWAPBACKED] = "swapbacked",
	[KPF_COMPOUND_HEAD] = "compound_head",
	[KPF_COMPOUND_TAIL] = "compound_tail",
	[KPF_HUGE] = "huge",
	[KPF_UNEVICTABLE] = "unevictable",
	[KPF_HWPOISON] = "hwpoison",
	[KPF_NOPAGE] = "nopage",
	[KPF_KSM] = "ksm",
	[KPF_THP] = "thp",
	[KPF_OFFLINE] = "offline",
	[KPF_ZERO_PAGE] = "zero_page",
	[KPF_IDLE] = "idle",
	[KPF_PGTABLE] = "pgtable",
	[KPF_RESERVED] = "reserved",
	[KPF_MLOCKED] = "mlocked",
	[KPF_MAPPEDTODISK] = "mappedtodisk",
	[KPF_PRIVATE] = "private",
	[KPF_PRIVATE_2] = "private_2",
	[KPF_OWNER_PRIVATE] = "owner_private",
	[KPF_ARCH] = "arch",
	[KPF_UNCACHED] = "uncached",
	[KPF_SOFTDIRTY] = "softdirty",
	[KPF_ARCH_2] = "arch_2",
	[KPF_ARCH_3] = "arch_3",
};

const char *kpageflags_name(unsigned bit)
{
	return bit < 64 ? names[bit] : NULL;
}

size_t kpageflags_names(uint64_t flags, const char **out, size_t max, char (*scratch)[8])
{
	size_t n = 0;
	for (unsigned bit = 0; bit < 64; bit++) {
		if (!(flags >> bit & 1))
			continue;
		if (n < max) {
			if (names[bit]) {
				out[n] = names[bit];
			} else {
				snprintf(scratch[n], 8, "bit_%u", bit);
				out[n] = scratch[n];
			}
		}
		n++;
	}
	return n;
}

#define HAS(f, b) ((f) >> (b) & 1)

/* the first row whose bit is set explains the frame; where the row has a second bit and that
 * is set too, its second text instead */
static const struct {
	unsigned bit;
	const char *text;
	unsigned also;
	const char *text_also;
} explain[] = {
	{ KPF_NOPAGE, "no struct page: the frame is not memory the kernel manages", 0, NULL },
	{ KPF_ZERO_PAGE, "the zero page: read, never written, shared by all", KPF_THP,
	  "the huge zero page: read, never written, shared by all" },
	{ KPF_KSM, "merged by KSM: identical pages share this one frame", 0, NULL },
	{ KPF_THP, "tail page of a transparent huge page", KPF_COMPOUND_HEAD,
	  "head page of a transparent huge page" },
	{ KPF_HUGE, "tail page of a hugetlbfs huge page", KPF_COMPOUND_HEAD,
	  "head page of a hugetlbfs huge page" },
	{ KPF_COMPOUND_HEAD, "head page of a compound (multi-page) allocation", 0, NULL },
	{ KPF_COMPOUND_TAIL, "tail page of a compound (multi-page) allocation", 0, NULL },
	{ KPF_BUDDY, "free: owned by the buddy allocator", 0, NULL },
	{ KPF_SLAB, "used by the slab allocator", 0, NULL },
	{ KPF_PGTABLE, "a page table", 0, NULL },
	{ KPF_HWPOISON, "hardware poisoned: the kernel stopped using it", 0, NULL },
};

const char *kpageflags_explain(uint64_t f)
{
	for (size_t i = 0; i < sizeof(explain) / sizeof(explain[0]); i++)
		if (HAS(f, explain[i].bit))
			return explain[i].text_also && HAS(f, explain[i].also) ? explain[i].text_also
									       : explain[i].text;
	return NULL;
}

unsigned kpageflags_order(uint64_t pages)
{
	return pagebits_order(pages);
}

unsigned kpageflags_pmd_order(uint64_t page_size)
{
	/* a page table is one page of 8-byte entries (x86_64, arm64 with any granule) */
	return kpageflags_order(page_size / 8);
}
