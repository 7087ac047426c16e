/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What --live reads of the kernel (proc/kernel.c): kcore's bases, kallsyms' _text, iomem's
 * kernel code, and that a dump's files are the only ones read for a dump. */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "test.h"
#include "proc/kernel.h"

/* fs/proc/kcore.c's segments on an x86_64 machine with KASLR (as tests/mkkcore.py writes) */
#define PAGE_OFFSET UINT64_C(0xffff9b3c00000000)
#define TEXT_V UINT64_C(0xffffffff9a000000)
#define VMALLOC UINT64_C(0xffffb7a8c0000000)
#define VMEMMAP UINT64_C(0xffffe1c7c0000000)
static const struct kcore_segment segs[] = {
	{TEXT_V, 0x1a000000, 0x2000000},
	{VMALLOC, UINT64_MAX, 0x1fffffffffff},
	{PAGE_OFFSET + 0x100000, 0x100000, 0xbff00000},
	{PAGE_OFFSET + 0x100000000, 0x100000000, 0x40000000},
	{VMEMMAP + 0x1000, VMEMMAP + 0x1000 - PAGE_OFFSET, 0x300000},
};
enum { NSEGS = sizeof(segs) / sizeof(segs[0]) };

static void test_from_kcore(void **state)
{
	static struct kcore k;
	memset(&k, 0, sizeof(k));
	memcpy(k.seg, segs, sizeof(segs));
	k.n = NSEGS;
	struct kernel_facts kf = {0};
	kernel_from_kcore(&k, &kf);
	assert_true(kf.direct && kf.page_offset_base == PAGE_OFFSET);
	assert_true(kf.vmalloc && kf.vmalloc_base == VMALLOC);
	assert_true(kf.vmemmap && kf.vmemmap_base == VMEMMAP); /* rounded down to 1 GiB */
	assert_true(kf.text && kf.have_text_paddr);
	assert_true(kf.text_vaddr == TEXT_V && kf.text_paddr == 0x1a000000);
	/* no vmalloc segment: no vmemmap either (it is found above vmalloc) */
	k.seg[1] = k.seg[4];
	k.n = 2;
	memset(&kf, 0, sizeof(kf));
	kernel_from_kcore(&k, &kf);
	assert_false(kf.vmalloc);
	assert_false(kf.vmemmap);
}

static void test_kallsyms(void **state)
{
	uint64_t a = 0;
	struct ms_error err = {0};
	static const char t[] = "0000000000000000 A fixed_percpu_data\n"
				"ffffffff81000000 T _text\n"
				"ffffffff81001000 T _stext\n"
				"ffffffffc0a01000 t init_module\t[foo]\n";
	assert_int_equal(kallsyms_text_symbol(t, strlen(t), "k", "_text", &a, &err), 0);
	assert_true(a == UINT64_C(0xffffffff81000000));
	assert_int_equal(kallsyms_text_symbol(t, strlen(t), "k", "init_module", &a, &err), 0);
	assert_true(a == UINT64_C(0xffffffffc0a01000));
	/* a data symbol is not text; a prefix is not the name */
	assert_int_equal(kallsyms_text_symbol(t, strlen(t), "k", "fixed_percpu_data", &a, &err),
			 -ENOENT);
	assert_int_equal(kallsyms_text_symbol(t, strlen(t), "k", "_tex", &a, &err), -ENOENT);
	/* kptr_restrict: every address 0, so nothing is known */
	static const char hidden[] = "0000000000000000 T _text\n";
	assert_int_equal(kallsyms_text_symbol(hidden, strlen(hidden), "k", "_text", &a, &err),
			 -ENOENT);
	/* the last line without its newline still counts */
	static const char last[] = "ffffffff81000000 T _text";
	assert_int_equal(kallsyms_text_symbol(last, strlen(last), "k", "_text", &a, &err), 0);
	/* malformed lines name their line */
	static const char bad[] = "ffffffff81000000 T _text0\nzz T _text\n";
	assert_failed(kallsyms_text_symbol(bad, strlen(bad), "k", "_text", &a, &err), &err, -EINVAL,
		      2, "expected 'ADDRESS TYPE NAME'");
	static const char big[] = "1ffffffff81000000 T _text\n";
	assert_failed(kallsyms_text_symbol(big, strlen(big), "k", "_text", &a, &err), &err, -EINVAL,
		      1, "address does not fit in 64 bits");
	static const char cut[] = "ffffffff81000000 T";
	assert_failed(kallsyms_text_symbol(cut, strlen(cut), "k", "_text", &a, &err), &err, -EINVAL,
		      1, "last line cut off");
	assert_int_equal(kallsyms_text_symbol("", 0, "k", "_text", &a, &err), -ENOENT);
}

struct seen {
	size_t n;
	uint64_t v[8];
};
static void see(void *arg, uint64_t addr)
{
	struct seen *s = arg;
	if (s->n < 8)
		s->v[s->n] = addr;
	s->n++;
}

/* the scan hands on every text symbol's address, zeros included, the found one and those after
 * it, and no data symbol's; the symbol found is the same as without a watch */
static void test_kallsyms_scan(void **state)
{
	static const char t[] = "0000000000000000 A fixed_percpu_data\n"
				"0000000000000000 T _text\n"
				"ffffffff81000000 T _text\n"
				"ffffffff81000010 D jiffies\n"
				"ffffffffc0a01000 t init_module\t[foo]\n";
	struct seen s = {0};
	const struct kallsyms_watch w = {see, &s};
	uint64_t a = 0;
	struct ms_error err = {0};
	assert_int_equal(kallsyms_text_scan(t, strlen(t), "k", "_text", &w, &a, &err), 0);
	assert_true(a == UINT64_C(0xffffffff81000000));
	assert_int_equal(s.n, 3);
	assert_true(s.v[0] == 0 && s.v[1] == UINT64_C(0xffffffff81000000) &&
		    s.v[2] == UINT64_C(0xffffffffc0a01000));
	/* all hidden: every one seen, none found */
	static const char hidden[] = "0000000000000000 T _text\n0000000000000000 t x\n";
	s.n = 0;
	assert_int_equal(kallsyms_text_scan(hidden, strlen(hidden), "k", "_text", &w, &a, &err),
			 -ENOENT);
	assert_int_equal(s.n, 2);
}

/* proc/kcore as fs/proc/kcore.c writes its headers: a PT_NOTE, then one PT_LOAD per segment */
static void write_kcore(const char *dir)
{
	unsigned char buf[sizeof(Elf64_Ehdr) + (NSEGS + 1) * sizeof(Elf64_Phdr)] = {0};
	Elf64_Ehdr eh = {.e_type = ET_CORE, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			 .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
			 .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = NSEGS + 1};
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(buf, &eh, sizeof(eh));
	Elf64_Phdr ph = {.p_type = PT_NOTE};
	memcpy(buf + sizeof(eh), &ph, sizeof(ph));
	for (int i = 0; i < NSEGS; i++) {
		ph = (Elf64_Phdr){.p_type = PT_LOAD, .p_flags = 7, .p_vaddr = segs[i].vaddr,
				  .p_paddr = segs[i].paddr, .p_filesz = segs[i].size,
				  .p_memsz = segs[i].size, .p_align = 4096};
		memcpy(buf + sizeof(eh) + (size_t)(i + 1) * sizeof(ph), &ph, sizeof(ph));
	}
	tmp_sysroot_write(dir, "proc/kcore", buf, sizeof(buf));
}

static const char iomem[] = "00100000-bfffffff : System RAM\n"
			    "  1a000000-1b1fffff : Kernel code\n";
static const char kallsyms[] = "ffffffff9a000000 T _text\n";

static void test_read_dump(void **state)
{
	char dir[64];
	tmp_sysroot(dir, sizeof(dir));
	write_kcore(dir);
	tmp_sysroot_write(dir, "proc/iomem", iomem, strlen(iomem));
	struct sysroot sr;
	struct ms_error err = {0};
	assert_int_equal(sysroot_open(&sr, dir, &err), 0);
	struct kernel_facts kf;
	kernel_facts_read(&sr, "x86_64", NULL, &kf);
	assert_true(kf.kcore);
	assert_int_equal(kf.kcore_errno, 0);
	assert_true(kf.page_offset_base == PAGE_OFFSET && kf.vmemmap_base == VMEMMAP);
	assert_true(kf.text_vaddr == TEXT_V && kf.have_text_paddr);
	assert_true(kf.iomem_code && kf.iomem_code_start == 0x1a000000);
	assert_int_equal(kf.io.n, 2);
	kernel_facts_free(&kf);
	assert_int_equal(kf.io.n, 0);
	/* kcore is x86_64's to interpret: for arm64 it is read, and gives nothing */
	kernel_facts_read(&sr, "arm64", NULL, &kf);
	assert_false(kf.kcore);
	assert_false(kf.direct);
	kernel_facts_free(&kf);
	sysroot_close(&sr);
	tmp_sysroot_remove(dir);

	/* no kcore in the dump: said as missing; the text from the dump's kallsyms, never from
	 * this machine's */
	tmp_sysroot(dir, sizeof(dir));
	tmp_sysroot_write(dir, "proc/kallsyms", kallsyms, strlen(kallsyms));
	assert_int_equal(sysroot_open(&sr, dir, &err), 0);
	kernel_facts_read(&sr, "x86_64", NULL, &kf);
	assert_false(kf.kcore);
	assert_int_equal(kf.kcore_errno, ENOENT);
	assert_true(kf.text && kf.text_vaddr == TEXT_V);
	assert_false(kf.have_text_paddr);
	assert_false(kf.iomem_code); /* no iomem either */
	assert_int_equal(kf.io.n, 0);
	kernel_facts_free(&kf);
	sysroot_close(&sr);
	tmp_sysroot_remove(dir);

	/* an empty dump: nothing known, nothing fails */
	tmp_sysroot(dir, sizeof(dir));
	assert_int_equal(sysroot_open(&sr, dir, &err), 0);
	kernel_facts_read(&sr, "x86_64", NULL, &kf);
	assert_false(kf.kcore || kf.text || kf.direct || kf.vmalloc || kf.iomem_code);
	kernel_facts_free(&kf);
	sysroot_close(&sr);
	tmp_sysroot_remove(dir);
}

TEST_MAIN(cmocka_unit_test(test_from_kcore), cmocka_unit_test(test_kallsyms),
	  cmocka_unit_test(test_kallsyms_scan),
	  cmocka_unit_test(test_read_dump))
