/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Page-table index arithmetic: every level maps (page_shift - 3) bits on 64-bit kernels, the top
 * level whatever remains of the virtual address. */
#include <errno.h>
#include <string.h>

#include "decode/pgtable.h"

/* Fill levels bottom-up from @page_shift, @per bits per level, until @va_bits are covered. */
static void build(struct paging *p, const char *arch, unsigned va_bits, unsigned page_shift,
		  unsigned per, const char *const *names, unsigned nnames)
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
	/* names go top-down: the last @n of the list, so 3 levels are pgd/pmd/pte */
	for (unsigned i = 0; i < n; i++) {
		p->level[i] = tmp[n - 1 - i];
		p->level[i].name = names[nnames - n + i];
	}
}

static const char *const x86_names[] = {"pgd", "p4d", "pud", "pmd", "pte"};

int paging_x86_64(struct paging *p, unsigned levels)
{
	if (levels != 4 && levels != 5)
		return -EINVAL;
	build(p, "x86_64", levels == 5 ? 57 : 48, 12, 9, x86_names, 5);
	if (levels == 4) {
		/* a 4-level kernel folds p4d: the top level is still called pgd */
		p->level[0].name = "pgd";
	}
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
	/* arm64 names its levels pgd/p4d/pud/pmd/pte as Linux does; the hardware calls them
	 * L0..L3 (L-1 for 52-bit 4K) */
	build(p, "arm64", va_bits, shift, shift - 3, x86_names, 5);
	return 0;
}

int paging_i386(struct paging *p, bool pae)
{
	static const char *const names[] = {"pgd", "pmd", "pte"};
	if (pae) {
		build(p, "i386", 32, 12, 9, names, 3);
	} else {
		build(p, "i386", 32, 12, 10, names, 3);
		p->level[0].name = "pgd";
	}
	return 0;
}

void paging_indices(const struct paging *p, uint64_t vaddr, unsigned *idx, uint64_t *offset)
{
	for (unsigned i = 0; i < p->levels; i++)
		idx[i] = (unsigned)(vaddr >> p->level[i].shift & ((UINT64_C(1) << p->level[i].bits) - 1));
	*offset = vaddr & ((UINT64_C(1) << p->page_shift) - 1);
}
