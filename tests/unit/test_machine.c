/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The machine a dump describes: each kind of evidence alone, on lines shaped like the kernel's,
 * then whole fixtures; conflicts set aside, foreign architectures recognised. */
#include <string.h>

#include "test.h"
#include "proc/machine.h"

static struct machine fresh(void)
{
	struct machine m;
	machine_init(&m);
	return m;
}

/* A fresh machine that has learnt from @n maps lines @v alone */
static struct machine from_maps(const struct vma *v, size_t n)
{
	struct machine m = fresh();
	machine_from_maps(&m, v, n, "maps");
	return m;
}

/* ... from the version line @v, read from @source, alone */
static struct machine from_version(const char *v, const char *source)
{
	struct machine m = fresh();
	machine_from_version(&m, v, strlen(v), source);
	return m;
}

/* ... from the meminfo text @text alone */
static struct machine from_meminfo(const char *text)
{
	struct machine m = fresh();
	machine_from_meminfo(&m, text, strlen(text));
	return m;
}

/* ... from the zoneinfo text @z alone */
static struct machine from_zoneinfo(const char *z)
{
	struct machine m = fresh();
	machine_from_zoneinfo(&m, z, strlen(z));
	return m;
}

/* ... from the iomem text @io alone */
static struct machine from_iomem(const char *io)
{
	struct machine m = fresh();
	machine_from_iomem(&m, io, strlen(io));
	return m;
}

/* ... from the @n huge page sizes @kb (in kB) alone */
static struct machine from_hugepages(const uint64_t *kb, size_t n)
{
	struct machine m = fresh();
	machine_from_hugepage_sizes(&m, kb, n, "hugepages");
	return m;
}

static void test_masks_and_names(void **state)
{
	struct machine m = fresh();
	assert_null(machine_arch(&m));
	assert_int_equal(machine_page_size(&m), 0);
	assert_string_equal(machine_arch_name("aarch64", 7), "arm64");
	assert_string_equal(machine_arch_name("i686", 4), "i386");
	assert_string_equal(machine_arch_name("armv7l", 6), "arm");
	assert_string_equal(machine_arch_name("amd64", 5), "x86_64");
	assert_null(machine_arch_name("ia64", 4));
	assert_null(machine_arch_name("riscv64", 7));
	/* 64K pages are arm64's alone */
	assert_int_equal(machine_narrow(&m, machine_mask_page_size(65536), "t"), 0);
	assert_string_equal(machine_arch(&m), "arm64");
	assert_string_equal(m.arch_why, "t");
	assert_int_equal(machine_page_size(&m), 65536);
	assert_int_equal(machine_va_bits(&m), 0); /* 42, 48 or 52 */
	/* evidence against what is known is set aside, and kept */
	assert_int_equal(machine_narrow(&m, machine_mask_arch("x86_64"), "contrary"), -1);
	assert_string_equal(machine_arch(&m), "arm64");
	assert_string_equal(m.conflict, "contrary");
	char list[64];
	m = fresh();
	machine_narrow(&m, machine_mask_page_size(4096) & ~machine_mask_arch("arm"), "t");
	machine_arch_list(&m, list, sizeof(list));
	assert_string_equal(list, "x86_64, arm64 or i386");
}

static void test_records(void **state)
{
	struct machine m = from_version(
	    "Linux version 5.14.0-325.el9.x86_64 (mockbuild@x86-05.stream.rdu2.redhat.com) "
	    "(gcc (GCC) 11.4.1 20230605 (Red Hat 11.4.1-2)) #1 SMP PREEMPT_DYNAMIC\n",
	    "version");
	assert_string_equal(machine_arch(&m), "x86_64");
	assert_string_equal(m.arch_why, "version: 5.14.0-325.el9.x86_64");
	/* Debian's flavours; a cross compiler's target */
	m = from_version(
	    "Linux version 3.16.0-4-686-pae (debian-kernel@lists.debian.org) (gcc version 4.8.4)\n",
	    "version");
	assert_string_equal(machine_arch(&m), "i386");
	assert_int_equal(machine_levels(&m), 3);
	m = from_version(
	    "Linux version 6.1.0 (builder@host) (aarch64-linux-gnu-gcc (GCC) 12.2.0) #1 SMP\n",
	    "version");
	assert_string_equal(machine_arch(&m), "arm64");
	/* a release that names nothing, and a host name that only looks like an arch: nothing */
	m = from_version(
	    "Linux version 4.1.25 (root@arm-builder) (gcc version 4.9.3 (GCC) ) #56 SMP\n",
	    "version");
	assert_int_equal(m.configs, MACHINE_ANY);
	/* a sosreport's uname -a: the machine word near the end */
	m = from_version(
	    "Linux localhost 4.18.0-80.11.2.el8_0.x86_64 #1 SMP Sun Sep 15 2019 x86_64 x86_64 "
	    "x86_64 GNU/Linux\n",
	    "uname -a");
	assert_string_equal(machine_arch(&m), "x86_64");
	/* proc/sys/kernel/arch */
	m = fresh();
	machine_from_arch_record(&m, "aarch64\n", 8, "arch");
	assert_string_equal(machine_arch(&m), "arm64");
	m = fresh();
	machine_from_arch_record(&m, "ia64\n", 5, "arch");
	assert_int_equal(m.configs, 0);
	assert_string_equal(m.foreign, "arch: ia64");
}

static void test_smaps_and_meminfo(void **state)
{
	struct machine m = fresh();
	/* a hugetlb mapping says its huge size: the base page is the smallest */
	const char *s = "00400000-00600000 r-xp 00000000 08:01 1 /bin/x\nKernelPageSize:     2048 kB\n"
			"7f0000000000-7f0000001000 rw-p 00000000 00:00 0\nKernelPageSize:       16 kB\n";
	machine_from_smaps(&m, s, strlen(s), "smaps");
	assert_int_equal(machine_page_size(&m), 16384);
	assert_string_equal(m.page_why, "smaps: KernelPageSize 16 kB");

	struct {
		const char *text, *arch;
		uint64_t ps;
		unsigned va;
	} c[] = {
		{"Hugepagesize:       2048 kB\nVmallocTotal:   34359738367 kB\n", "x86_64", 4096, 48},
		{"VmallocTotal:   13743895347199 kB\n", "x86_64", 4096, 57},
		{"Hugepagesize:       4096 kB\nVmallocTotal:     114680 kB\n", "i386", 4096, 32},
		{"Hugepagesize:     524288 kB\n", "arm64", 65536, 0},
		{"Hugepagesize:      32768 kB\n", "arm64", 16384, 0},
		/* arm64 48-bit 4K (DGX GB10), and 39-bit: VmallocTotal gives the VA width */
		{"Hugepagesize:       2048 kB\nVmallocTotal:   135288315904 kB\n", "arm64", 4096, 0},
		{"Hugepagesize:       2048 kB\nVmallocTotal:   258998208 kB\n", "arm64", 4096, 39},
		/* HighMem above 0: a 32-bit kernel */
		{"HighTotal:        521216 kB\nVmallocTotal:     540672 kB\n", NULL, 4096, 32},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		m = from_meminfo(c[i].text);
		if (c[i].arch)
			assert_string_equal(machine_arch(&m), c[i].arch);
		else
			assert_null(machine_arch(&m));
		assert_int_equal(machine_page_size(&m), c[i].ps);
		if (c[i].va)
			assert_int_equal(machine_va_bits(&m), c[i].va);
	}
	/* 48 bits from VmallocTotal may be a 52-bit kernel: both stay possible */
	m = from_meminfo("Hugepagesize:       2048 kB\nVmallocTotal:   135288315904 kB\n");
	assert_int_equal(machine_va_bits(&m), 0);
	assert_true(m.configs & machine_mask_va_bits(52));
	assert_false(m.configs & machine_mask_va_bits(39));
	/* ia64's 256M huge pages fit no configuration: foreign, nothing else learnt */
	m = from_meminfo("Hugepagesize:     262144 kB\nVmallocTotal:   137430564864 kB\n");
	assert_int_equal(m.configs, 0);
	assert_string_equal(m.foreign, "meminfo: Hugepagesize 262144 kB");
	assert_null(machine_arch(&m));
}

static void test_orders_and_zones(void **state)
{
	struct machine m = fresh();
	const char *b = "Node 0, zone   Normal    310    120     44     20      8      3      1      0"
			"      1      0      0      0      0      1 \n";
	machine_from_buddyinfo(&m, b, strlen(b));
	assert_string_equal(machine_arch(&m), "arm64");
	assert_int_equal(machine_page_size(&m), 65536);
	assert_string_equal(m.page_why, "buddyinfo: 14 orders");

	m = fresh();
	const char *p = "Page block order: 11\nPages per block:  2048\n\n"
			"Free pages count per migrate type at order       0      1      2      3      4"
			"      5      6      7      8      9     10     11 \n"
			"Node    0, zone   Normal, type    Unmovable      1      1      1      1      1"
			"      1      1      1      1      1      1      1 \n";
	machine_from_pagetypeinfo(&m, p, strlen(p));
	/* 12 orders and page block order 11: arm64 with 16K pages, or a 6.4+ ARM AM33xx
	 * (ARCH_FORCE_MAX_ORDER 11) without hugetlb; a 64-bit VmallocTotal settles it */
	assert_null(machine_arch(&m));
	assert_int_equal(m.configs, (machine_mask_arch("arm64") & machine_mask_page_size(16384)) |
					    machine_mask_arch("arm"));
	const char *mi = "VmallocTotal:   67090432000 kB\n";
	machine_from_meminfo(&m, mi, strlen(mi));
	assert_string_equal(machine_arch(&m), "arm64");
	assert_int_equal(machine_page_size(&m), 16384);
	assert_int_equal(machine_va_bits(&m), 47);

	/* Jetson AGX Orin's zones: a DMA32 zone (64-bit), DMA at 2G (not x86's 16M) */
	m = from_zoneinfo(
	    "Node 0, zone      DMA\n  pages free     1\n        min      1\n        low  1\n"
	    "        high     1\n        spanned  524288\n        present  524288\n"
	    "        managed  500000\n  start_pfn:           524288\n"
	    "Node 0, zone    DMA32\n  pages free     0\n        min      0\n        low  0\n"
	    "        high     0\n        spanned  0\n        present  0\n        managed  0\n");
	assert_int_equal(m.configs, machine_mask_arch("x86_64") | machine_mask_arch("arm64"));
	/* x86's DMA zone of the first 16 MiB */
	m = from_zoneinfo(
	    "Node 0, zone      DMA\n  pages free     3979\n        min      5\n        low  6\n"
	    "        high     7\n        spanned  4095\n        present  3998\n        managed  "
	    "3977\n"
	    "  start_pfn:           1\n"
	    "Node 0, zone    DMA32\n  pages free     0\n        min      0\n        low  0\n"
	    "        high     0\n        spanned  1044480\n        present  782304\n"
	    "        managed  766000\n  start_pfn:           4096\n");
	assert_string_equal(machine_arch(&m), "x86_64");
	/* 32-bit ARM: Normal and HighMem, no DMA zone */
	m = from_zoneinfo(
	    "Node 0, zone   Normal\n  pages free     1\n        min      1\n        low  1\n"
	    "        high     1\n        spanned  122368\n        present  122368\n"
	    "  start_pfn:         524288\n"
	    "Node 0, zone  HighMem\n  pages free     1\n        min      1\n        low  1\n"
	    "        high     1\n        spanned  136448\n        present  136448\n"
	    "  start_pfn:         646656\n");
	assert_string_equal(machine_arch(&m), "arm");
}

static void test_iomem_and_maps(void **state)
{
	/* 32-bit ARM loads the kernel 0x8000 into RAM (TEXT_OFFSET) */
	struct machine m = from_iomem(
	    "40000000-47ffffff : System RAM\n  40008000-406a7e6b : Kernel code\n"
	    "  406de000-4094e093 : Kernel data\n94405000-94405fff : /soc/serial@0x94405000\n");
	assert_string_equal(machine_arch(&m), "arm");
	/* the legacy PC, RAM below 640K */
	m = from_iomem("00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n"
		       "000f0000-000fffff : System ROM\n00100000-bfffffff : System RAM\n"
		       "  01000000-01c031d0 : Kernel code\n100000000-63fffffff : System RAM\n");
	assert_int_equal(m.configs, machine_mask_arch("x86_64") |
					    (machine_mask_arch("i386") & machine_mask_levels(3)));
	/* hidden addresses: the names still speak, the zeros do not */
	m = from_iomem("00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n"
		       "00000000-00000000 : Video ROM\n");
	assert_int_equal(m.configs, machine_mask_arch("x86_64") | machine_mask_arch("i386"));

	/* maps: [vsyscall] is x86_64's, [vectors] 32-bit ARM's; the stack gives arm64's VA */
	struct vma v[2] = {{.start = 0x7fcd456000, .end = 0x7fcdc55000, .name = "[stack]"},
			   {.start = 0x5555000000, .end = 0x5555001000, .name = "/system/bin/app"}};
	m = from_maps(v, 2);
	assert_string_equal(machine_arch(&m), "arm64");
	assert_int_equal(machine_va_bits(&m), 39);
	assert_int_equal(machine_page_size(&m), 4096);
	struct vma w[2] = {{.start = 0xbee84000, .end = 0xbeea5000, .name = "[stack]"},
			   {.start = 0xffff0000, .end = 0xffff1000, .name = "[vectors]"}};
	m = from_maps(w, 2);
	assert_string_equal(machine_arch(&m), "arm");
}

/* A 32-bit process: its stack's end tells a 32-bit kernel (3G at most) from a 64-bit one */
static void test_32bit_maps(void **state)
{
	/* i386: everything below 4G, the stack ending at the 3G split, a [vdso] */
	struct vma i[3] = {{.start = 0x08048000, .end = 0x08049000, .name = "/bin/app"},
			   {.start = 0xb7f00000, .end = 0xb7f01000, .name = "[vdso]"},
			   {.start = 0xbffdf000, .end = 0xc0000000, .name = "[stack]"}};
	struct machine m = from_maps(i, 3);
	assert_int_equal(m.configs, machine_mask_arch("i386") | machine_mask_arch("arm"));
	/* another split (CONFIG_VMSPLIT_2G): still a 32-bit kernel */
	i[2] = (struct vma){.start = 0x7ffdf000, .end = 0x80000000, .name = "[stack]"};
	m = from_maps(i, 3);
	assert_int_equal(m.configs, machine_mask_arch("i386") | machine_mask_arch("arm"));
	/* a compat process of x86_64 (or arm64): the stack near 4G */
	i[2] = (struct vma){.start = 0xffd80000, .end = 0xffda1000, .name = "[stack]"};
	m = from_maps(i, 3);
	assert_int_equal(m.configs, machine_mask_arch("x86_64") | machine_mask_arch("arm64"));
	/* and with [vectors]: a 32-bit kernel's is ARM, a 64-bit one's arm64 */
	struct vma a[2] = {{.start = 0xfffcf000, .end = 0xffff0000, .name = "[stack]"},
			   {.start = 0xffff0000, .end = 0xffff1000, .name = "[vectors]"}};
	m = from_maps(a, 2);
	assert_string_equal(machine_arch(&m), "arm64");
	a[0] = (struct vma){.start = 0xbee84000, .end = 0xbeea5000, .name = "[stack]"};
	m = from_maps(a, 2);
	assert_string_equal(machine_arch(&m), "arm");
}

/* The huge page sizes of sys/kernel/mm/hugepages */
static void test_hugepage_sizes(void **state)
{
	/* contiguous PTEs and PMDs: arm64 with 4K pages alone */
	uint64_t arm[] = {64, 2048, 32768, 1048576};
	struct machine m = from_hugepages(arm, 4);
	assert_string_equal(machine_arch(&m), "arm64");
	assert_int_equal(machine_page_size(&m), 4096);
	assert_string_equal(m.arch_why, "hugepages: huge pages of 64kB 2048kB 32768kB 1048576kB");
	/* 64K pages: 2M, 512M, 16G */
	uint64_t k64[] = {2048, 524288, 16777216};
	m = from_hugepages(k64, 3);
	assert_int_equal(m.configs, machine_mask_arch("arm64") & machine_mask_page_size(65536));
	/* 16K pages: 2M, 32M and 1G, which 4K pages have too */
	uint64_t k16[] = {2048, 32768, 1048576};
	m = from_hugepages(k16, 3);
	assert_int_equal(m.configs, machine_mask_arch("arm64") & ~machine_mask_page_size(65536));
	/* x86_64's 2M and 1G: x86_64 or arm64 (4K or 16K) */
	uint64_t x86[] = {2048, 1048576};
	m = from_hugepages(x86, 2);
	assert_int_equal(m.configs, machine_mask_arch("x86_64") |
					    (machine_mask_arch("arm64") & ~machine_mask_page_size(65536)));
	/* i386 without PAE: 4M */
	uint64_t i386[] = {4096};
	m = from_hugepages(i386, 1);
	assert_int_equal(m.configs, machine_mask_arch("i386") & machine_mask_levels(2));
	/* s390's 1M: an architecture outside the four */
	uint64_t s390[] = {1024};
	m = from_hugepages(s390, 1);
	assert_int_equal(m.configs, 0);
	assert_string_equal(m.foreign, "hugepages: huge pages of 1024kB");
	/* none: nothing learnt */
	m = from_hugepages(NULL, 0);
	assert_int_equal(m.configs, MACHINE_ANY);
}

static void test_ratios(void **state)
{
	/* MemTotal is the zones' managed pages in bytes: 193000 pages of 64K */
	struct machine m = fresh();
	const char *mi = "MemTotal:       12352000 kB\n";
	const char *zi = "Node 0, zone   Normal\n  pages free     1\n        min      1\n"
			 "        low  1\n        high     1\n        spanned  200000\n"
			 "        present  200000\n        managed  193000\n  start_pfn:  16384\n";
	machine_from_ratios(&m, mi, strlen(mi), zi, strlen(zi), NULL, 0, NULL, 0);
	assert_int_equal(machine_page_size(&m), 65536);
	/* MemFree against vmstat's nr_free_pages, read moments apart */
	m = fresh();
	mi = "MemFree:           40000 kB\n";
	const char *vm = "nr_free_pages_blocks 1\nnr_free_pages 10100\n";
	machine_from_ratios(&m, mi, strlen(mi), NULL, 0, NULL, 0, vm, strlen(vm));
	assert_int_equal(machine_page_size(&m), 4096);
}

static void test_memory_blocks(void **state)
{
	/* an Apple-silicon-like arm64: RAM (all DMA) at 1 TiB in 128M blocks: arm64, not 64K */
	struct machine_block b[] = {{UINT64_C(8192) << 27, "DMA\n"}, {UINT64_C(8193) << 27, "DMA"}};
	struct machine m = fresh();
	machine_from_memory_blocks(&m, UINT64_C(128) << 20, b, 2);
	assert_string_equal(machine_arch(&m), "arm64");
	assert_int_equal(machine_page_size(&m), 0);
	assert_false(m.configs & machine_mask_page_size(65536));
	char list[32];
	machine_page_list(&m, list, sizeof(list));
	assert_string_equal(list, "4K or 16K");
	/* x86's blocks: DMA below 16M, DMA32, Normal */
	struct machine_block x[] = {{0, "DMA"}, {UINT64_C(1) << 27, "DMA32"}};
	m = fresh();
	machine_from_memory_blocks(&m, UINT64_C(128) << 20, x, 2);
	assert_int_equal(m.configs, machine_mask_arch("x86_64") |
					    (machine_mask_arch("arm64") & ~machine_mask_page_size(65536)));
}

/* Whole dumps: each fixture read as its machine. */
static void test_fixtures(void **state)
{
	static const struct {
		const char *name, *arch;
		uint64_t ps;
	} c[] = {
		{"arm64-64k-numa2-hand", "arm64", 65536}, {"arm64-virt-hand", "arm64", 4096},
		{"i386-highmem-hand", "i386", 4096},	  {"x86_64-vm-6.18-24g-root", "x86_64", 4096},
		{"x86_64-vm-6.18-process", "x86_64", 4096}, {"notes-example", "x86_64", 4096},
		{"movable-hand", "x86_64", 4096},	  {"empty", NULL, 0},
		{"x86_64-compat-process-hand", "x86_64", 4096}, {"arm32-maps-hand", "arm", 4096},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct sysroot sr;
		fixture_open(&sr, c[i].name);
		struct machine m;
		machine_init(&m);
		machine_read_dump(&sr, &m);
		sysroot_close(&sr);
		if (c[i].arch && (!machine_arch(&m) || strcmp(machine_arch(&m), c[i].arch)))
			fail_msg("%s: read as %s", c[i].name, machine_arch(&m) ? machine_arch(&m) : "?");
		if (!c[i].arch)
			assert_null(machine_arch(&m));
		assert_int_equal(machine_page_size(&m), c[i].ps);
		assert_string_equal(m.conflict, "");
	}
}

TEST_MAIN(cmocka_unit_test(test_masks_and_names), cmocka_unit_test(test_records),
	  cmocka_unit_test(test_smaps_and_meminfo), cmocka_unit_test(test_orders_and_zones),
	  cmocka_unit_test(test_iomem_and_maps), cmocka_unit_test(test_ratios),
	  cmocka_unit_test(test_memory_blocks), cmocka_unit_test(test_fixtures),
	  cmocka_unit_test(test_32bit_maps), cmocka_unit_test(test_hugepage_sizes))
