/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Layout tables: every row at its first and last address, one past each boundary, every arm64
 * configuration, canonical checks; the kcore header reader. */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "test.h"
#include "decode/layout.h"
#include "proc/kcore.h"

/* rows must tile the whole space: no gap, no overlap, first at 0, last at the top */
static void check_tiling(const struct layout *l)
{
	assert_true(l->n > 2);
	assert_int_equal(l->r[0].start, 0);
	assert_true(l->r[l->n - 1].end == l->top);
	for (unsigned i = 0; i < l->n; i++) {
		const struct layout_region *r = &l->r[i];
		assert_true(r->start <= r->end);
		/* first and last address of the row are in it; one past belongs to the next */
		assert_ptr_equal(layout_find(l, r->start), r);
		assert_ptr_equal(layout_find(l, r->end), r);
		if (i + 1 < l->n) {
			assert_true(r->end + 1 == l->r[i + 1].start);
			assert_ptr_equal(layout_find(l, r->end + 1), &l->r[i + 1]);
		}
		if (i > 0)
			assert_ptr_equal(layout_find(l, r->start - 1), &l->r[i - 1]);
	}
}

static const struct layout_region *at(const struct layout *l, uint64_t a)
{
	return layout_find(l, a);
}

/* The row holding each address is named so. */
struct named {
	uint64_t addr;
	const char *name;
};
static void check_names_(const struct layout *l, const struct named *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_string_equal(at(l, want[i].addr)->name, want[i].name);
}
#define check_names(l, ...)                                                                        \
	check_names_(l, (const struct named[]){__VA_ARGS__},                                     \
		     sizeof((const struct named[]){__VA_ARGS__}) / sizeof(struct named))

static void test_x86_64_4level(void **state)
{
	struct layout l;
	assert_int_equal(layout_build(&l, "x86_64", 4, 0, 0), 0);
	check_tiling(&l);
	/* the documented rows, at both ends */
	assert_string_equal(at(&l, 0x00007fffffffffff)->name,
			    "user-space virtual memory, different per mm");
	assert_int_equal(at(&l, 0x0000800000000000)->kind, RK_NONCANONICAL);
	assert_int_equal(at(&l, 0xffff7fffffffffff)->kind, RK_NONCANONICAL);
	check_names(&l,
		    {0xffff888000000000, "direct mapping of all physical memory (page_offset_base)"},
		    {0xffffc87fffffffff, "direct mapping of all physical memory (page_offset_base)"},
		    {0xffffc90000000000, "vmalloc/ioremap space (vmalloc_base)"},
		    {0xffffe8ffffffffff, "vmalloc/ioremap space (vmalloc_base)"},
		    {0xffffea0000000000, "virtual memory map (vmemmap_base)"},
		    {0xffffec0000000000, "KASAN shadow memory"},
		    {0xfffffe0000000000, "cpu_entry_area mapping"},
		    {0xffffffff80000000, "kernel text mapping, mapped to physical address 0"},
		    {0xffffffff9fffffff, "kernel text mapping, mapped to physical address 0"},
		    {0xffffffffa0000000, "module mapping space"},
		    {0xffffffffff600000, "legacy vsyscall ABI"},
		    {0xffffffffff600fff, "legacy vsyscall ABI"});
	assert_true(at(&l, 0xffffffff80000000)->kaslr);
	assert_false(at(&l, 0xffffffffa0000000)->kaslr);
	char why[160];
	assert_true(layout_canonical(&l, 0x00007fffffffffff, why, sizeof(why)));
	assert_true(layout_canonical(&l, 0xffff800000000000, why, sizeof(why)));
	assert_false(layout_canonical(&l, 0x0000800000000000, why, sizeof(why)));
	assert_string_equal(why, "bits 63-47 must all equal bit 47 (sign extension of a 48-bit "
				 "address); here they are 0x1");
	assert_false(layout_canonical(&l, 0xffff7fffffffffff, why, sizeof(why)));
}

static void test_x86_64_5level(void **state)
{
	struct layout l;
	assert_int_equal(layout_build(&l, "x86_64", 5, 0, 0), 0);
	check_tiling(&l);
	assert_int_equal(l.va_bits, 57);
	assert_string_equal(at(&l, 0x00ffffffffffffff)->name,
			    "user-space virtual memory, different per mm");
	assert_int_equal(at(&l, 0x0100000000000000)->kind, RK_NONCANONICAL);
	check_names(&l,
		    {0xff11000000000000, "direct mapping of all physical memory (page_offset_base)"},
		    {0xff90ffffffffffff, "direct mapping of all physical memory (page_offset_base)"},
		    {0xffa0000000000000, "vmalloc/ioremap space (vmalloc_base)"},
		    {0xffd4000000000000, "virtual memory map (vmemmap_base)"},
		    {0xffdf000000000000, "KASAN shadow memory"});
	/* identical to 4 levels from -4 TB up */
	assert_string_equal(at(&l, 0xffffffff80000000)->name,
			    "kernel text mapping, mapped to physical address 0");
	char why[160];
	assert_true(layout_canonical(&l, 0x00ffffffffffffff, why, sizeof(why)));
	assert_false(layout_canonical(&l, 0x0100000000000000, why, sizeof(why)));
	assert_true(layout_canonical(&l, 0xff00000000000000, why, sizeof(why)));
	assert_int_equal(layout_build(&l, "x86_64", 3, 0, 0), -EINVAL);
}

/* @l built for arm64 with @ps-byte pages and @va-bit addresses: it tiles, the user half
 * reaches @user_top, and the rows are named as the rest say. */
static void check_arm64_(struct layout *l, unsigned ps, unsigned va, uint64_t user_top,
			 const struct named *want, size_t n)
{
	assert_int_equal(layout_build(l, "arm64", 0, ps, va), 0);
	check_tiling(l);
	assert_true(at(l, user_top)->kind == RK_USER);
	check_names_(l, want, n);
}
#define check_arm64(l, ps, va, user_top, ...)                                                      \
	check_arm64_(l, ps, va, user_top, (const struct named[]){__VA_ARGS__},                   \
		     sizeof((const struct named[]){__VA_ARGS__}) / sizeof(struct named))

static void test_arm64_documented(void **state)
{
	struct layout l;
	/* memory.rst, 4KB pages + 4 levels (48-bit) */
	check_arm64(&l, 4096, 48, 0x0000ffffffffffff,
		    {0xffff000000000000, "kernel logical memory map"},
		    {0xffff7fffffffffff, "kernel logical memory map"},
		    {0xffff800000000000, "modules"},
		    {0xffff80007fffffff, "modules"},
		    {0xffff800080000000, "vmalloc"},
		    {0xfffffbffefffffff, "vmalloc"},
		    {0xfffffbfff0000000, "fixed mappings (top down)"},
		    {0xfffffbfffdffffff, "fixed mappings (top down)"},
		    {0xfffffbfffe800000, "PCI I/O space"},
		    {0xfffffbffff7fffff, "PCI I/O space"},
		    {0xfffffc0000000000, "vmemmap"},
		    {0xfffffdffffffffff, "vmemmap"},
		    {0xfffffe0000000000, "[guard region]"});
	/* memory.rst, 64KB pages + 3 levels (52-bit) */
	check_arm64(&l, 65536, 52, 0x000fffffffffffff,
		    {0xfff0000000000000, "kernel logical memory map"},
		    {0xfffffc0000000000, "vmemmap"},
		    {0xffffffdfffffffff, "vmemmap"},
		    {0xffffffe000000000, "[guard region]"});
	char why[160];
	assert_true(layout_canonical(&l, 0x000fffffffffffff, why, sizeof(why)));
	assert_false(layout_canonical(&l, 0x0010000000000000, why, sizeof(why)));
	assert_true(layout_canonical(&l, 0xfff0000000000000, why, sizeof(why)));
}

static void test_arm64_every_combination(void **state)
{
	static const struct {
		unsigned ps, va;
		int ok;
	} c[] = {
		{4096, 39, 0},	{4096, 48, 0},	{4096, 52, 0},	{4096, 42, -EINVAL},
		{4096, 47, -EINVAL}, {16384, 36, 0}, {16384, 47, 0}, {16384, 48, 0},
		{16384, 52, 0}, {16384, 39, -EINVAL}, {65536, 42, 0}, {65536, 48, 0},
		{65536, 52, 0}, {65536, 39, -EINVAL}, {8192, 48, -EINVAL},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct layout l;
		assert_int_equal(layout_build(&l, "arm64", 0, c[i].ps, c[i].va), c[i].ok);
		if (c[i].ok)
			continue;
		check_tiling(&l);
		/* the user half ends at 2^va - 1; the kernel's linear map starts at -2^va */
		assert_true(l.r[0].end == (UINT64_C(1) << c[i].va) - 1);
		assert_true(layout_find(&l, (uint64_t)0 - (UINT64_C(1) << c[i].va))->kind == RK_KERNEL);
		assert_true(l.paging.level[l.paging.levels - 1].shift ==
			    (unsigned)__builtin_ctz(c[i].ps));
	}
}

static void test_i386(void **state)
{
	struct layout l;
	assert_int_equal(layout_build(&l, "i386", 0, 0, 0), 0);
	check_tiling(&l);
	assert_true(at(&l, 0xbfffffff)->kind == RK_USER);
	assert_true(at(&l, 0xc0000000)->kind == RK_KERNEL);
	assert_non_null(strstr(at(&l, 0xf7ffffff)->name, "LOWMEM"));
	assert_non_null(strstr(at(&l, 0xf8000000)->name, "HIGHMEM"));
	char why[160];
	assert_false(layout_canonical(&l, 0x100000000, why, sizeof(why)));
	assert_true(layout_canonical(&l, 0xffffffff, why, sizeof(why)));
	assert_int_equal(layout_build(&l, "riscv64", 0, 0, 0), -EINVAL);
}

/* Every configuration layout and decode know, as decode's --arch/--levels/--page-size/--va-bits
 * name them. */
static const struct {
	const char *arch;
	unsigned levels, ps, va;
} configs[] = {
	{"x86_64", 4, 0, 0},	{"x86_64", 5, 0, 0},	 {"arm64", 0, 4096, 39},
	{"arm64", 0, 4096, 48}, {"arm64", 0, 4096, 52},	 {"arm64", 0, 16384, 36},
	{"arm64", 0, 16384, 47}, {"arm64", 0, 16384, 48}, {"arm64", 0, 16384, 52},
	{"arm64", 0, 65536, 42}, {"arm64", 0, 65536, 48}, {"arm64", 0, 65536, 52},
	{"i386", 2, 0, 0},	{"i386", 3, 0, 0},	 {"arm", 0, 0, 0},
};

/* The row the layout table prints for @addr, found the way a reader of the table would: the
 * one whose START..END holds it. */
static const struct layout_region *table_row(const struct layout *l, uint64_t addr)
{
	for (unsigned i = 0; i < l->n; i++)
		if (l->r[i].start <= addr && addr <= l->r[i].end)
			return &l->r[i];
	return NULL;
}

static void check_decode(const struct layout *l, uint64_t addr)
{
	struct layout_decoded d;
	layout_decode(l, addr, &d);
	const struct layout_region *row = table_row(l, addr);
	if (d.region != row)
		fail_msg("%s %u-level %u/%u: decode of 0x%016llx names '%s', layout's row is '%s'",
			 l->arch, l->levels, l->page_size, l->va_bits, (unsigned long long)addr,
			 d.region ? d.region->name : "(none)", row ? row->name : "(none)");
	/* a row of the user half is user, one of the kernel half kernel; none is both */
	if (row && row->kind == RK_USER)
		assert_string_equal(d.half, "user");
	if (row && row->kind == RK_KERNEL)
		assert_string_equal(d.half, "kernel");
	if (row && row->kind == RK_NONCANONICAL)
		assert_null(d.half);
	assert_true(d.canonical == (row && row->kind != RK_NONCANONICAL));
	if (!d.canonical)
		assert_true(d.why[0] != '\0');
}

/* decode names the row layout shows for an address: at, just inside and just outside every
 * boundary of every configuration, the non-canonical hole and the space past 32 bits included */
static void test_decode_names_layout_row(void **state)
{
	for (size_t c = 0; c < sizeof(configs) / sizeof(configs[0]); c++) {
		struct layout l;
		assert_int_equal(layout_build(&l, configs[c].arch, configs[c].levels, configs[c].ps,
					      configs[c].va),
				 0);
		check_tiling(&l);
		for (unsigned i = 0; i < l.n; i++) {
			const uint64_t s = l.r[i].start, e = l.r[i].end;
			const uint64_t probe[] = {s - 1, s, s + 1, s + (e - s) / 2, e - 1, e, e + 1};
			for (size_t k = 0; k < sizeof(probe) / sizeof(probe[0]); k++)
				check_decode(&l, probe[k]);
		}
		/* past a 32-bit space: no row, and decode names none */
		check_decode(&l, UINT64_C(0x100000000));
		check_decode(&l, UINT64_MAX);
	}
}

static void test_arm(void **state)
{
	struct layout l;
	assert_int_equal(layout_build(&l, "arm", 0, 0, 0), 0);
	check_tiling(&l);
	/* TASK_SIZE = PAGE_OFFSET - 16M; the vector page at 0xffff0000 is the kernel's */
	assert_true(at(&l, 0xbeffffff)->kind == RK_USER);
	assert_string_equal(at(&l, 0xbf000000)->name, "kernel module space");
	assert_true(at(&l, 0xc0000000)->kind == RK_KERNEL);
	assert_non_null(strstr(at(&l, 0xffff0000)->name, "CPU vector page"));
	assert_int_equal(l.paging.levels, 2);
	assert_int_equal(l.paging.level[0].bits, 11);
	assert_int_equal(l.paging.level[1].bits, 9);
	/* the 0 page is a trap in the user half, not kernel */
	struct layout_decoded d;
	layout_decode(&l, 0x10, &d);
	assert_string_equal(d.half, "user");
	assert_int_equal(layout_build(&l, "arm", 3, 0, 0), -EINVAL);
	assert_int_equal(layout_build(&l, "i386", 3, 0, 0), 0);
	assert_int_equal(l.paging.levels, 3);
}

static void test_kcore(void **state)
{
	unsigned char buf[sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Phdr)] = {0};
	Elf64_Ehdr eh = {0};
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_phoff = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = 3;
	memcpy(buf, &eh, sizeof(eh));
	Elf64_Phdr ph[3] = {
		{.p_type = PT_NOTE},
		{.p_type = PT_LOAD, .p_vaddr = 0xffffffff81000000, .p_paddr = 0x1000000,
		 .p_memsz = 0x2000000},
		{.p_type = PT_LOAD, .p_vaddr = 0xffffc90000000000, .p_paddr = (Elf64_Addr)-1,
		 .p_memsz = 1},
	};
	memcpy(buf + sizeof(eh), ph, sizeof(ph));
	struct kcore k;
	struct ms_error err = {0};
	assert_int_equal(kcore_parse(buf, sizeof(buf), "kcore", &k, &err), 0);
	assert_int_equal(k.n, 2);
	assert_true(k.seg[0].vaddr == 0xffffffff81000000 && k.seg[0].paddr == 0x1000000);
	assert_true(k.seg[1].paddr == UINT64_MAX);
	/* cut short, and not ELF */
	assert_int_equal(kcore_parse(buf, sizeof(eh) + 10, "kcore", &k, &err), -EINVAL);
	assert_string_equal(err.reason, "program headers past the end of what was read");
	buf[1] = 'X';
	assert_int_equal(kcore_parse(buf, sizeof(buf), "kcore", &k, &err), -EINVAL);
	assert_string_equal(err.reason, "not an ELF file");
}

TEST_MAIN(cmocka_unit_test(test_x86_64_4level), cmocka_unit_test(test_x86_64_5level),
	  cmocka_unit_test(test_arm64_documented), cmocka_unit_test(test_arm64_every_combination),
	  cmocka_unit_test(test_i386), cmocka_unit_test(test_kcore), cmocka_unit_test(test_arm),
	  cmocka_unit_test(test_decode_names_layout_row))
