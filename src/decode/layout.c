/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Layout tables. x86_64 rows are Documentation/arch/x86/x86_64/mm.rst's; arm64 rows follow
 * arch/arm64/include/asm/memory.h (PAGE_OFFSET, PAGE_END, MODULES_VADDR, VMALLOC_END,
 * VMEMMAP_START, PCI_IO_START, FIXADDR_TOP), which give memory.rst's tables for 48-bit 4K and
 * 52-bit 64K and every other supported configuration the same way. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "decode/layout.h"

#define KB(x) ((uint64_t)(x) << 10)
#define MB(x) ((uint64_t)(x) << 20)
#define GB(x) ((uint64_t)(x) << 30)
#define TB(x) ((uint64_t)(x) << 40)

static void add(struct layout *l, uint64_t start, uint64_t end, enum region_kind kind,
		bool kaslr, const char *name)
{
	if (l->n < LAYOUT_MAX)
		l->r[l->n++] = (struct layout_region){start, end, name, kind, kaslr};
}

/* The rows of mm.rst's two tables up to where they are the same, one row per region with its
 * range under 4-level and under 5-level paging (start, end inclusive), its name (the 5-level
 * table's own where it words it otherwise), kind and whether KASLR moves it. */
static const struct x86_64_row {
	uint64_t start4, end4, start5, end5;
	const char *name, *name5;
	enum region_kind kind;
	bool kaslr;
} x86_64_low[] = {
	{0, 0x00007fffffffffff, 0, 0x00ffffffffffffff,
	 "user-space virtual memory, different per mm", NULL, RK_USER, false},
	{0x0000800000000000, 0xffff7fffffffffff, 0x0100000000000000, 0xfeffffffffffffff,
	 "... huge, almost 64 bits wide hole of non-canonical virtual memory addresses",
	 "... huge, still almost 64 bits wide hole of non-canonical virtual memory addresses",
	 RK_NONCANONICAL, false},
	{0xffff800000000000, 0xffff87ffffffffff, 0xff00000000000000, 0xff0fffffffffffff,
	 "... guard hole, also reserved for hypervisor", NULL, RK_HOLE, false},
	{0xffff880000000000, 0xffff887fffffffff, 0xff10000000000000, 0xff10ffffffffffff,
	 "LDT remap for PTI", NULL, RK_KERNEL, false},
	{0xffff888000000000, 0xffffc87fffffffff, 0xff11000000000000, 0xff90ffffffffffff,
	 "direct mapping of all physical memory (page_offset_base)", NULL, RK_KERNEL, true},
	{0xffffc88000000000, 0xffffc8ffffffffff, 0xff91000000000000, 0xff9fffffffffffff,
	 "... unused hole", NULL, RK_HOLE, false},
	{0xffffc90000000000, 0xffffe8ffffffffff, 0xffa0000000000000, 0xffd1ffffffffffff,
	 "vmalloc/ioremap space (vmalloc_base)", NULL, RK_KERNEL, true},
	{0xffffe90000000000, 0xffffe9ffffffffff, 0xffd2000000000000, 0xffd3ffffffffffff,
	 "... unused hole", NULL, RK_HOLE, false},
	{0xffffea0000000000, 0xffffeaffffffffff, 0xffd4000000000000, 0xffd5ffffffffffff,
	 "virtual memory map (vmemmap_base)", NULL, RK_KERNEL, true},
	{0xffffeb0000000000, 0xffffebffffffffff, 0xffd6000000000000, 0xffdeffffffffffff,
	 "... unused hole", NULL, RK_HOLE, false},
	{0xffffec0000000000, 0xfffffbffffffffff, 0xffdf000000000000, 0xfffffbffffffffff,
	 "KASAN shadow memory", NULL, RK_KERNEL, false},
};

/* The kernel half below the 2 GB text window is the same for 4 and 5 levels (mm.rst: "Identical
 * layout to the 47-bit one from here on"). */
static const struct layout_region x86_64_top[] = {
	{0xfffffc0000000000, 0xfffffdffffffffff,
	 "... unused hole (vaddr_end for KASLR)",
	 RK_HOLE, false},
	{0xfffffe0000000000, 0xfffffe7fffffffff, "cpu_entry_area mapping", RK_KERNEL, false},
	{0xfffffe8000000000, 0xfffffeffffffffff, "... unused hole", RK_HOLE, false},
	{0xffffff0000000000, 0xffffff7fffffffff, "%esp fixup stacks", RK_KERNEL, false},
	{0xffffff8000000000, 0xffffffeeffffffff, "... unused hole", RK_HOLE, false},
	{0xffffffef00000000, 0xfffffffeffffffff, "EFI region mapping space", RK_KERNEL, false},
	{0xffffffff00000000, 0xffffffff7fffffff, "... unused hole", RK_HOLE, false},
	{0xffffffff80000000, 0xffffffff9fffffff,
	 "kernel text mapping, mapped to physical address 0",
	 RK_KERNEL, true},
	{0xffffffffa0000000, 0xfffffffffeffffff, "module mapping space", RK_KERNEL, false},
	/* FIXADDR_START is about -11 MB and moves with the fixmap's size */
	{0xffffffffff000000, 0xffffffffff5fffff,
	 "kernel-internal fixmap range, variable size and offset",
	 RK_KERNEL, false},
	{0xffffffffff600000, 0xffffffffff600fff, "legacy vsyscall ABI", RK_KERNEL, false},
	/* FIXADDR_TOP is the page below the 2 MB boundary above the vsyscall page */
	{0xffffffffff601000, 0xffffffffff7fffff,
	 "kernel-internal fixmap range, variable size and offset",
	 RK_KERNEL, false},
	{0xffffffffff800000, 0xffffffffffdfffff, "... unused hole", RK_HOLE, false},
	{0xffffffffffe00000, 0xffffffffffffffff, "... unused hole", RK_HOLE, false},
};

#define NROWS(t) (sizeof(t) / sizeof((t)[0]))

static void add_rows(struct layout *l, const struct layout_region *rows, size_t n)
{
	for (size_t i = 0; i < n && l->n < LAYOUT_MAX; i++)
		l->r[l->n++] = rows[i];
}

static void x86_64(struct layout *l)
{
	l->doc = l->levels == 5 ? "Documentation/arch/x86/x86_64/mm.rst, 5-level page tables"
				: "Documentation/arch/x86/x86_64/mm.rst, 4-level page tables";
	bool five = l->levels == 5;
	for (size_t i = 0; i < NROWS(x86_64_low); i++) {
		const struct x86_64_row *r = &x86_64_low[i];
		add(l, five ? r->start5 : r->start4, five ? r->end5 : r->end4, r->kind, r->kaslr,
		    five && r->name5 ? r->name5 : r->name);
	}
	add_rows(l, x86_64_top, NROWS(x86_64_top));
}

static uint64_t neg(uint64_t x)
{
	return (uint64_t)0 - x;
}

static void arm64(struct layout *l)
{
	l->doc = "Documentation/arch/arm64/memory.rst and arch/arm64/include/asm/memory.h (6.x)";
	unsigned va = l->va_bits, va_min = va > 48 ? 48 : va;
	unsigned page_shift = l->paging.page_shift;
	uint64_t page_offset = neg(UINT64_C(1) << va);	   /* start of the linear map */
	uint64_t page_end = neg(UINT64_C(1) << (va_min - 1)); /* _PAGE_END(VA_BITS_MIN) */
	unsigned vmemmap_shift = page_shift - 6;	   /* sizeof(struct page) is 64 */
	uint64_t vmemmap_start = neg(UINT64_C(1) << (va - vmemmap_shift));
	uint64_t vmemmap_size = (page_end - page_offset) >> vmemmap_shift;
	uint64_t pci_io_end = vmemmap_start - MB(8);
	uint64_t pci_io_start = pci_io_end - MB(16);
	uint64_t fixaddr_top = pci_io_start - MB(8);
	uint64_t vmalloc_end = vmemmap_start - MB(256);
	uint64_t user_end = (UINT64_C(1) << va) - 1;
	add(l, 0, user_end, RK_USER, false, "user");
	add(l, user_end + 1, page_offset - 1, RK_NONCANONICAL, false,
	    "not mapped: neither TTBR0 (user) nor TTBR1 (kernel)");
	add(l, page_offset, page_end - 1, RK_KERNEL, true, "kernel logical memory map");
	add(l, page_end, page_end + GB(2) - 1, RK_KERNEL, false, "modules");
	/* the kernel image sits in the vmalloc area, its place randomised by KASLR */
	add(l, page_end + GB(2), vmalloc_end - 1, RK_KERNEL, true, "vmalloc");
	add(l, vmalloc_end, fixaddr_top - 1, RK_KERNEL, false, "fixed mappings (top down)");
	add(l, fixaddr_top, pci_io_start - 1, RK_HOLE, false, "[guard region]");
	add(l, pci_io_start, pci_io_end - 1, RK_KERNEL, false, "PCI I/O space");
	add(l, pci_io_end, vmemmap_start - 1, RK_HOLE, false, "[guard region]");
	add(l, vmemmap_start, vmemmap_start + vmemmap_size - 1, RK_KERNEL, false, "vmemmap");
	if (vmemmap_start + vmemmap_size != 0)
		add(l, vmemmap_start + vmemmap_size, UINT64_MAX, RK_HOLE, false, "[guard region]");
}

static void i386(struct layout *l)
{
	l->doc = "the 3G/1G split (CONFIG_VMSPLIT_3G, PAGE_OFFSET 0xc0000000)";
	l->top = 0xffffffff;
	add(l, 0, 0xbfffffff, RK_USER, false, "user space (3 GB, per process)");
	add(l, 0xc0000000, 0xf7ffffff, RK_KERNEL, false,
	    "LOWMEM: direct mapping of the first 896 MB of physical memory");
	add(l, 0xf8000000, 0xffffffff, RK_KERNEL, false,
	    "HIGHMEM window (128 MB): vmalloc, kmap (pkmap) and fixmap, mapped on demand");
}

/* 32-bit ARM: Documentation/arch/arm/memory.rst, with the default CONFIG_PAGE_OFFSET
 * 0xC0000000 (VMSPLIT_3G) and arch/arm/include/asm/memory.h (TASK_SIZE = PAGE_OFFSET - 16M,
 * MODULES_VADDR = PAGE_OFFSET - 16M, PKMAP_BASE = PAGE_OFFSET - 2M); lowmem ends where the
 * default 240 MB of vmalloc below VMALLOC_END (0xff800000), less its 8 MB gap, begins. Where
 * memory.rst lists overlapping uses, the more specific one is the row. */
static void arm(struct layout *l)
{
	l->doc = "Documentation/arch/arm/memory.rst, PAGE_OFFSET 0xc0000000 (VMSPLIT_3G)";
	l->top = 0xffffffff;
	/* the vector page sits here on CPUs without vector relocation */
	add(l, 0, 0xfff, RK_HOLE, false, "CPU vector page / null pointer trap");
	add(l, 0x1000, 0xbeffffff, RK_USER, false, "user space mappings");
	add(l, 0xbf000000, 0xbfdfffff, RK_KERNEL, false, "kernel module space");
	add(l, 0xbfe00000, 0xbfffffff, RK_KERNEL, false, "permanent kernel mappings (HIGHMEM)");
	/* PAGE_OFFSET to high_memory: 760 MB at most with the default vmalloc size */
	add(l, 0xc0000000, 0xef7fffff, RK_KERNEL, false, "kernel direct-mapped RAM region");
	add(l, 0xef800000, 0xefffffff, RK_HOLE, false, "vmalloc gap (VMALLOC_OFFSET)");
	add(l, 0xf0000000, 0xfedfffff, RK_KERNEL, false, "vmalloc() / ioremap() space");
	add(l, 0xfee00000, 0xfeffffff, RK_KERNEL, false, "PCI I/O space (static, in vmalloc)");
	add(l, 0xff000000, 0xff7fffff, RK_KERNEL, false, "vmalloc() / ioremap() space");
	add(l, 0xff800000, 0xffbfffff, RK_KERNEL, false, "fixed read-only mapping of the DT blob");
	add(l, 0xffc00000, 0xffc7ffff, RK_HOLE, false, "guard region");
	add(l, 0xffc80000, 0xffefffff, RK_KERNEL, false, "fixmap mapping region");
	add(l, 0xfff00000, 0xfffdffff, RK_HOLE, false, "... unused hole");
	add(l, 0xfffe0000, 0xfffeffff, RK_KERNEL, false, "ITCM / DTCM mapping areas");
	/* with vector relocation (the V bit): the [vectors] of a process's maps */
	add(l, 0xffff0000, 0xffff0fff, RK_KERNEL, false, "CPU vector page");
	add(l, 0xffff1000, 0xffff3fff, RK_HOLE, false, "reserved: platforms must not use it");
	add(l, 0xffff4000, 0xffff7fff, RK_KERNEL, false, "cache aliasing (ARMv6 and later)");
	add(l, 0xffff8000, 0xffffffff, RK_KERNEL, false, "copy_user_page / clear_user_page");
}

int layout_build(struct layout *l, const char *arch, unsigned levels, unsigned page_size,
		 unsigned va_bits)
{
	memset(l, 0, sizeof(*l));
	l->arch = arch;
	l->top = UINT64_MAX;
	if (!strcmp(arch, "x86_64")) {
		if (paging_x86_64(&l->paging, levels))
			return -EINVAL;
		l->levels = levels;
		l->page_size = 4096;
		l->va_bits = levels == 5 ? 57 : 48;
		x86_64(l);
	} else if (!strcmp(arch, "arm64")) {
		if (paging_arm64(&l->paging, page_size, va_bits))
			return -EINVAL;
		l->levels = l->paging.levels;
		l->page_size = page_size;
		l->va_bits = va_bits;
		arm64(l);
	} else if (!strcmp(arch, "i386")) {
		/* 2 levels, or 3 with PAE: the same split either way */
		if (levels && levels != 2 && levels != 3)
			return -EINVAL;
		paging_i386(&l->paging, levels == 3);
		l->levels = l->paging.levels;
		l->page_size = 4096;
		l->va_bits = 32;
		i386(l);
	} else if (!strcmp(arch, "arm")) {
		if (levels && levels != 2)
			return -EINVAL;
		paging_arm(&l->paging);
		l->levels = 2;
		l->page_size = 4096;
		l->va_bits = 32;
		arm(l);
	} else {
		return -EINVAL;
	}
	return 0;
}

unsigned layout_arm64_default_va(unsigned page_size)
{
	return page_size == 16384 ? 47 : 48;
}

const struct layout_region *layout_find(const struct layout *l, uint64_t addr)
{
	for (unsigned i = 0; i < l->n; i++)
		if (addr >= l->r[i].start && addr <= l->r[i].end)
			return &l->r[i];
	return NULL;
}

bool layout_canonical(const struct layout *l, uint64_t addr, char *why, unsigned whylen)
{
	if (l->top != UINT64_MAX) {
		if (addr > l->top) {
			snprintf(why, whylen, "above 0x%llx: a 32-bit address has 32 bits",
				 (unsigned long long)l->top);
			return false;
		}
		return true;
	}
	if (!strcmp(l->arch, "arm64")) {
		/* bits 63..VA_BITS select the table: all 0 for TTBR0 (user), all 1 for TTBR1 */
		uint64_t sel = addr >> l->va_bits, all = UINT64_MAX >> l->va_bits;
		if (sel == 0 || sel == all)
			return true;
		snprintf(why, whylen,
			 "bits 63-%u must be all 0 (user, TTBR0) or all 1 (kernel, TTBR1); here "
			 "they are 0x%llx",
			 l->va_bits, (unsigned long long)sel);
		return false;
	}
	/* bits 63..va_bits-1 must all equal bit va_bits-1 (sign extension) */
	unsigned b = l->va_bits - 1;
	uint64_t high = addr >> b;
	uint64_t ones = UINT64_MAX >> b;
	if (high == 0 || high == ones)
		return true;
	snprintf(why, whylen,
		 "bits 63-%u must all equal bit %u (sign extension of a %u-bit address); here they "
		 "are 0x%llx",
		 b, b, l->va_bits, (unsigned long long)high);
	return false;
}

void layout_decode(const struct layout *l, uint64_t addr, struct layout_decoded *d)
{
	memset(d, 0, sizeof(*d));
	d->canonical = layout_canonical(l, addr, d->why, sizeof(d->why));
	/* the hole between the halves is a row of the table: decode names it as layout shows it */
	d->region = layout_find(l, addr);
	if (!d->canonical)
		return;
	/* the half is where the address lies, not what its row is: a hole or trap page below
	 * the last user row (arm's page 0) is still in the user half */
	uint64_t user_end = 0;
	for (unsigned i = 0; i < l->n; i++)
		if (l->r[i].kind == RK_USER && l->r[i].end > user_end)
			user_end = l->r[i].end;
	d->half = addr <= user_end ? "user" : "kernel";
}
