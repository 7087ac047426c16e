/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Virtual memory layouts as the kernel documents them: x86_64 with 4 and 5 levels
 * (Documentation/arch/x86/x86_64/mm.rst), arm64 by page size and VA bits
 * (Documentation/arch/arm64/memory.rst and arch/arm64/include/asm/memory.h, Linux 6.x), i386's
 * 3G/1G split, and 32-bit ARM's (Documentation/arch/arm/memory.rst). Pure tables and
 * arithmetic. */
#ifndef MEMSCOPE_DECODE_LAYOUT_H
#define MEMSCOPE_DECODE_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/pgtable.h"

#define LAYOUT_MAX 32

enum region_kind { RK_USER, RK_HOLE, RK_KERNEL, RK_NONCANONICAL };

struct layout_region {
	uint64_t start, end; /* inclusive */
	const char *name;    /* the documentation's words */
	enum region_kind kind;
	bool kaslr; /* its base moves at boot (KASLR): the documented place is the default */
};

struct layout {
	const char *arch;
	unsigned levels, page_size, va_bits;
	struct paging paging;
	uint64_t top; /* last address: 2^64-1, or 2^32-1 on i386 and arm */
	struct layout_region r[LAYOUT_MAX];
	unsigned n;
	const char *doc; /* where the table comes from */
};

/* Build the layout of @arch ("x86_64", "arm64", "i386", "arm"); @levels for x86_64 (4 or 5) and
 * i386 (2, or 3 with PAE; 0: 2), @page_size and @va_bits for arm64. Returns 0 or -EINVAL for a
 * combination the kernel does not support. */
int layout_build(struct layout *l, const char *arch, unsigned levels, unsigned page_size,
		 unsigned va_bits);

/* arm64's VA width when nothing else says: the kernel's default for the page size
 * (arch/arm64/Kconfig: 48 bits with 4K and 64K pages, 47 with 16K). */
unsigned layout_arm64_default_va(unsigned page_size);

/* The region holding @addr, or NULL. */
const struct layout_region *layout_find(const struct layout *l, uint64_t addr);

/* What decode says of an address. */
struct layout_decoded {
	bool canonical;
	char why[160]; /* when not canonical: which bits break the rule */
	const char *half; /* "user", "kernel", or NULL (non-canonical, or past a 32-bit space) */
	const struct layout_region *region; /* the layout's row holding it: NULL only past the
					     * top of a 32-bit space, where the layout has none */
};

/* Decode @addr in @l: canonical or not, its half, and the very row the layout table shows for
 * it (the non-canonical hole is a row too). */
void layout_decode(const struct layout *l, uint64_t addr, struct layout_decoded *d);

/* Whether @addr is canonical; if not, @why says which bits break the sign extension. */
bool layout_canonical(const struct layout *l, uint64_t addr, char *why, unsigned whylen);

#endif
