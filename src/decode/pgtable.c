/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Page-table index arithmetic: every level maps (page_shift - 3) bits on 64-bit kernels, the top
 * level whatever remains of the virtual address. */
#include <errno.h>
#include <string.h>

#include "decode/pgtable.h"

/* Linux's names for the levels that remain when some are folded (include/asm-generic/
 * pgtable-nop4d.h, -nopud.h, -nopmd.h): the top is always pgd, the bottom pte. */
static const char *const names_by_levels[PGTABLE_MAX_LEVELS + 1][PGTABLE_MAX_LEVELS] = {
	[1] = {"pte"},
	[2] = {"pgd", "pte"},
	[3] = {"pgd", "pmd", "pte"},
	[4] = {"pgd", "pud", "pmd", "pte"},
	[5] = {"pgd", "p4d", "pud", "pmd", "pte"},
};

/* Fill levels bottom-up from @page_shift, @per bits per level, until @va_bits are covered. */
static void build(struct paging *p, const char *arch, unsigned va_bits, unsigned page_shift,
		  unsigned per)
{
	memset(p, 0, sizeof(*p));
	p->arch = arch;
	p->va_bits = va_bits;
	p->page_shift = page_shift;
	unsigned shift = page_shift, n = 0;
	struct pgtable_level tmp[PGTABLE_MAX_LEVELS];
	while (shift < va_bits && n < PGTABLE_MAX_LEVELS) {
		unsigned bits = va_bits - shift < per ? va_bits - shift : per;
		tmp[n++] = (struct pgtable_level){NULL, shift, bits};
		shift += bits;
	}
	p->levels = n;
	for (unsigned i = 0; i < n; i++) {
		p->level[i] = tmp[n - 1 - i];
		p->level[i].name = names_by_levels[n][i];
	}
}

int paging_x86_64(struct paging *p, unsigned levels)
{
	if (levels != 4 && levels != 5)
		return -EINVAL;
	build(p, "x86_64", levels == 5 ? 57 : 48, 12, 9);
	return 0;
}

int paging_arm64(struct paging *p, unsigned page_size, unsigned va_bits)
{
	unsigned shift;
	switch (page_size) {
	case 4096:
		shift = 12;
		if (va_bits != 39 && va_bits != 48 && va_bits != 52)
			return -EINVAL;
		break;
	case 16384:
		shift = 14;
		if (va_bits != 36 && va_bits != 47 && va_bits != 48 && va_bits != 52)
			return -EINVAL;
		break;
	case 65536:
		shift = 16;
		if (va_bits != 42 && va_bits != 48 && va_bits != 52)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	/* Linux's level names; the hardware calls them L0..L3 (L-1 for 52-bit 4K) */
	build(p, "arm64", va_bits, shift, shift - 3);
	return 0;
}

int paging_i386(struct paging *p, bool pae)
{
	build(p, "i386", 32, 12, pae ? 9 : 10);
	return 0;
}

int paging_arm(struct paging *p)
{
	/* PGDIR_SHIFT 21 and PTRS_PER_PGD 2048: each Linux pgd entry is a pair of the hardware's
	 * 1 MB first-level entries, and a pte table holds 512 entries (PTRS_PER_PTE) */
	build(p, "arm", 21, 12, 9);
	p->va_bits = 32;
	p->levels = 2;
	p->level[0] = (struct pgtable_level){"pgd", 21, 11};
	p->level[1] = (struct pgtable_level){"pte", 12, 9};
	return 0;
}

void paging_indices(const struct paging *p, uint64_t vaddr, unsigned *idx, uint64_t *offset)
{
	for (unsigned i = 0; i < p->levels; i++)
		idx[i] = (unsigned)(vaddr >> p->level[i].shift & ((UINT64_C(1) << p->level[i].bits) - 1));
	*offset = vaddr & ((UINT64_C(1) << p->page_shift) - 1);
}
