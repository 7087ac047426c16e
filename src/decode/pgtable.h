/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Page-table geometry: which bits of a virtual address index each level, per architecture and
 * configuration (x86_64 4/5-level; arm64 by granule and VA bits; i386 2-level and PAE; 32-bit
 * ARM). */
#ifndef MEMSCOPE_DECODE_PGTABLE_H
#define MEMSCOPE_DECODE_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#define PGTABLE_MAX_LEVELS 5

struct pgtable_level {
	const char *name; /* "pgd", "p4d", "pud", "pmd", "pte" */
	unsigned shift;	  /* lowest bit of the index */
	unsigned bits;	  /* width of the index */
};

struct paging {
	const char *arch;   /* "x86_64", "arm64", "i386", "arm" */
	unsigned va_bits;   /* implemented virtual address bits */
	unsigned page_shift;
	unsigned levels;
	struct pgtable_level level[PGTABLE_MAX_LEVELS]; /* top level first */
};

/* x86_64 with 4 (48-bit) or 5 (57-bit) levels (arch/x86/include/asm/pgtable_64_types.h). */
int paging_x86_64(struct paging *p, unsigned levels);
/* arm64 with a 4K, 16K or 64K granule and 39, 42, 47, 48 or 52 VA bits
 * (arch/arm64/include/asm/pgtable-hwdef.h); -EINVAL for a combination the kernel lacks. */
int paging_arm64(struct paging *p, unsigned page_size, unsigned va_bits);
/* i386: 2 levels (pgd/pte, 10+10 bits) or PAE (3 levels, 2+9+9). */
int paging_i386(struct paging *p, bool pae);
/* 32-bit ARM without LPAE: 2 levels, pgd 11 bits and pte 9 (arch/arm/include/asm/
 * pgtable-2level.h). */
int paging_arm(struct paging *p);

/* The index at each level of @vaddr, top level first, and the offset in the page. */
void paging_indices(const struct paging *p, uint64_t vaddr, unsigned *idx, uint64_t *offset);

#endif
