/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The machine a dump describes, inferred from the kernel's own files (see machine.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/words.h"
#include "proc/buddyinfo.h"
#include "proc/iomem.h"
#include "proc/machine.h"
#include "proc/pagetypeinfo.h"
#include "proc/text.h"
#include "proc/zoneinfo.h"

#define K4 4096u
#define K16 16384u
#define K64 65536u

/* Linux's page sizes and VA widths per architecture: x86_64 Documentation/arch/x86/x86_64/mm.rst
 * (4 and 5 levels); arm64 arch/arm64/Kconfig (ARM64_VA_BITS_* for each ARM64_*K_PAGES); i386
 * 2-level or PAE; 32-bit ARM 4K pages. */
const struct machine_config machine_configs[MACHINE_NCONFIGS] = {
	{"x86_64", K4, 48, 4},	{"x86_64", K4, 57, 5},	 {"arm64", K4, 39, 3},
	{"arm64", K4, 48, 4},	{"arm64", K4, 52, 5},	 {"arm64", K16, 36, 2},
	{"arm64", K16, 47, 3},	{"arm64", K16, 48, 4},	 {"arm64", K16, 52, 4},
	{"arm64", K64, 42, 2},	{"arm64", K64, 48, 3},	 {"arm64", K64, 52, 3},
	{"i386", K4, 32, 2},	{"i386", K4, 32, 3},	 {"arm", K4, 32, 2},
};

/* the order in which an assumption picks among what is left */
static const char *const arch_order[] = {"x86_64", "arm64", "i386", "arm"};
/* Linux's page sizes, smallest first, and their names */
static const uint64_t page_sizes[] = {K4, K16, K64};
static const char *const page_names[] = {"4K", "16K", "64K"};

const char *machine_source_name(enum machine_source s)
{
	switch (s) {
	case MACHINE_DUMP:
		return "dump";
	case MACHINE_LIVE:
		return "live";
	case MACHINE_OPTION:
		return "option";
	default:
		return "assumed";
	}
}

void machine_init(struct machine *m)
{
	memset(m, 0, sizeof(*m));
	m->configs = MACHINE_ANY;
}

static uint32_t mask_where(bool (*keep)(const struct machine_config *, const void *),
			   const void *arg)
{
	uint32_t mask = 0;
	for (unsigned i = 0; i < MACHINE_NCONFIGS; i++)
		if (keep(&machine_configs[i], arg))
			mask |= UINT32_C(1) << i;
	return mask;
}

static bool is_arch(const struct machine_config *c, const void *arg)
{
	return !strcmp(c->arch, arg);
}

static bool is_page(const struct machine_config *c, const void *arg)
{
	return c->page_size == *(const uint64_t *)arg;
}

static bool is_va(const struct machine_config *c, const void *arg)
{
	return c->va_bits == *(const unsigned *)arg;
}

static bool is_levels(const struct machine_config *c, const void *arg)
{
	return c->levels == *(const unsigned *)arg;
}

uint32_t machine_mask_arch(const char *arch)
{
	return arch ? mask_where(is_arch, arch) : MACHINE_ANY;
}

uint32_t machine_mask_page_size(uint64_t page_size)
{
	return page_size ? mask_where(is_page, &page_size) : MACHINE_ANY;
}

uint32_t machine_mask_va_bits(unsigned va_bits)
{
	return va_bits ? mask_where(is_va, &va_bits) : MACHINE_ANY;
}

uint32_t machine_mask_levels(unsigned levels)
{
	return levels ? mask_where(is_levels, &levels) : MACHINE_ANY;
}

#define X86_64 machine_mask_arch("x86_64")
#define ARM64 machine_mask_arch("arm64")
#define I386 machine_mask_arch("i386")
#define ARM32 machine_mask_arch("arm")
#define BITS64 (X86_64 | ARM64)
#define BITS32 (I386 | ARM32)
#define ARM64_PS(ps) (ARM64 & machine_mask_page_size(ps))

const char *machine_arch(const struct machine *m)
{
	const char *a = NULL;
	for (unsigned i = 0; i < MACHINE_NCONFIGS; i++) {
		if (!(m->configs >> i & 1))
			continue;
		if (a && strcmp(a, machine_configs[i].arch))
			return NULL;
		a = machine_configs[i].arch;
	}
	return a;
}

/* the value of @field shared by every configuration left, or 0 */
static unsigned shared(const struct machine *m, size_t off)
{
	unsigned v = 0;
	for (unsigned i = 0; i < MACHINE_NCONFIGS; i++) {
		if (!(m->configs >> i & 1))
			continue;
		unsigned x;
		memcpy(&x, (const char *)&machine_configs[i] + off, sizeof(x));
		if (v && v != x)
			return 0;
		v = x;
	}
	return v;
}

uint64_t machine_page_size(const struct machine *m)
{
	return shared(m, offsetof(struct machine_config, page_size));
}

unsigned machine_va_bits(const struct machine *m)
{
	return shared(m, offsetof(struct machine_config, va_bits));
}

unsigned machine_levels(const struct machine *m)
{
	return shared(m, offsetof(struct machine_config, levels));
}

const char *machine_arch_preferred(uint32_t configs)
{
	for (size_t k = 0; k < sizeof(arch_order) / sizeof(arch_order[0]); k++)
		if (configs & machine_mask_arch(arch_order[k]))
			return arch_order[k];
	return "x86_64";
}

/* The @n @names whose @masks meet @configs, as "a", "a or b", "a, b or c", into @buf. */
static void or_list(uint32_t configs, const char *const *names, const uint32_t *masks, size_t n,
		    char *buf, size_t size)
{
	size_t o = 0, left = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < n; k++)
		left += (configs & masks[k]) != 0;
	for (size_t k = 0, i = 0; k < n && o < size; k++) {
		if (!(configs & masks[k]))
			continue;
		i++;
		o += (size_t)snprintf(buf + o, size - o, "%s%s",
				      i == 1 ? "" : i == left ? " or " : ", ", names[k]);
	}
}

void machine_arch_list(const struct machine *m, char *buf, size_t size)
{
	uint32_t masks[4];
	for (size_t k = 0; k < 4; k++)
		masks[k] = machine_mask_arch(arch_order[k]);
	or_list(m->configs, arch_order, masks, 4, buf, size);
}

void machine_page_list(const struct machine *m, char *buf, size_t size)
{
	uint32_t masks[3];
	for (size_t k = 0; k < 3; k++)
		masks[k] = machine_mask_page_size(page_sizes[k]);
	or_list(m->configs, page_names, masks, 3, buf, size);
}

int machine_narrow(struct machine *m, uint32_t mask, const char *what)
{
	mask &= MACHINE_ANY;
	if (!m->configs)
		return -1; /* foreign already: nothing more to learn */
	if (!mask && !machine_arch(m)) {
		/* an architecture outside the four: nothing else in the dump can be read as ours */
		snprintf(m->foreign, sizeof(m->foreign), "%s", what);
		m->configs = 0;
		return -1;
	}
	uint32_t left = m->configs & mask;
	if (!left) {
		if (!m->conflict[0])
			snprintf(m->conflict, sizeof(m->conflict), "%s", what);
		return -1;
	}
	bool had_arch = machine_arch(m) != NULL, had_page = machine_page_size(m) != 0;
	m->configs = left;
	if (!had_arch && machine_arch(m))
		snprintf(m->arch_why, sizeof(m->arch_why), "%s", what);
	if (!had_page && machine_page_size(m))
		snprintf(m->page_why, sizeof(m->page_why), "%s", what);
	return 0;
}

static bool word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && !strncmp(w, s, len);
}

const char *machine_arch_name(const char *w, size_t len)
{
	/* uname -m (UTS_MACHINE) and the names distributions give their kernels */
	if (word_is(w, len, "x86_64") || word_is(w, len, "amd64") || word_is(w, len, "x86-64"))
		return "x86_64";
	if (word_is(w, len, "aarch64") || word_is(w, len, "arm64") || word_is(w, len, "aarch64_be"))
		return "arm64";
	if (len == 4 && w[0] == 'i' && w[1] >= '3' && w[1] <= '6' && !strncmp(w + 2, "86", 2))
		return "i386";
	/* armv7l, armv6l, armv5tel, armv8l (a 32-bit kernel on a 64-bit core), Debian's armhf,
	 * armel and armmp flavours */
	if ((len > 4 && !strncmp(w, "armv", 4)) || word_is(w, len, "arm") ||
	    word_is(w, len, "armhf") || word_is(w, len, "armel") || word_is(w, len, "armmp"))
		return "arm";
	return NULL;
}

/* The value after "@key" at the start of a line, as an unsigned number; false when absent. */
static bool line_u64(const char *data, const char *key, uint64_t *v)
{
	size_t kl = strlen(key);
	for (const char *p = text_line_with(data, key); p;
	     p = text_line_with(text_next_line(p), key)) {
		const char *q = p + kl;
		if (*q != ' ' && *q != '\t' && *q != ':' && key[kl - 1] != ':')
			continue; /* a longer key: "nr_free_pages_blocks" */
		while (*q == ' ' || *q == '\t' || *q == ':')
			q++;
		if (*q < '0' || *q > '9')
			return false;
		char *end;
		errno = 0;
		unsigned long long x = strtoull(q, &end, 10);
		if (errno)
			return false;
		*v = x;
		return true;
	}
	return false;
}

static void narrowf(struct machine *m, uint32_t mask, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void narrowf(struct machine *m, uint32_t mask, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	machine_narrow(m, mask, what);
}

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

void machine_from_arch_record(struct machine *m, const char *data, size_t len, const char *what)
{
	size_t i = 0, j;
	while (i < len && (data[i] == ' ' || data[i] == '\t'))
		i++;
	for (j = i; j < len && data[j] != '\n' && data[j] != ' ' && data[j] != '\t'; j++)
		;
	if (j == i || j - i > 32)
		return;
	const char *a = machine_arch_name(data + i, j - i);
	narrowf(m, a ? machine_mask_arch(a) : 0, "%s: %.*s", what, (int)(j - i), data + i);
}

/* The architecture words in @s (NUL-terminated): in the kernel release ("5.14.0-325.el9.x86_64",
 * "5.10.0-10-amd64", "3.16.0-4-686-pae") and in a compiler's target triplet
 * ("aarch64-linux-gnu-gcc"). Returns the one named, or NULL when none or several disagree;
 * @pae says the release names a PAE kernel. */
static const char *arch_words(const char *s, size_t release_from, size_t release_to, bool *pae)
{
	const char *found = NULL;
	bool clash = false;
	*pae = false;
	for (size_t i = 0; s[i];) {
		if (!word_char(s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (word_char(s[j]))
			j++;
		bool in_release = i >= release_from && j <= release_to;
		/* "x86_64-pc-linux-gnu": the word before a "-...linux" is a target */
		bool triplet = s[j] == '-' && strstr(s + j, "linux") &&
			       strstr(s + j, "linux") - (s + j) < 24;
		const char *a = NULL;
		if (in_release || triplet)
			a = machine_arch_name(s + i, j - i);
		if (!a && in_release && (word_is(s + i, j - i, "686") || word_is(s + i, j - i, "586") ||
					 word_is(s + i, j - i, "486")))
			a = "i386";
		if (in_release && word_is(s + i, j - i, "pae"))
			*pae = true;
		if (a && found && strcmp(a, found))
			clash = true;
		if (a)
			found = a;
		i = j;
	}
	return clash ? NULL : found;
}

/* the span of the third blank-separated word: the release, in "Linux version R" and in
 * "Linux HOST R ..." (uname -a) alike */
static void third_word(const char *s, size_t *from, size_t *to)
{
	size_t i = 0;
	*from = *to = 0;
	for (int w = 0; w < 3 && s[i]; w++) {
		while (s[i] == ' ')
			i++;
		*from = i;
		while (s[i] && s[i] != ' ' && s[i] != '\n')
			i++;
		*to = i;
	}
}

void machine_from_version(struct machine *m, const char *data, size_t len, const char *what)
{
	(void)len;
	size_t from, to;
	third_word(data, &from, &to);
	bool pae;
	const char *a = arch_words(data, from, to, &pae);
	/* uname -a ends "MACHINE PROCESSOR PLATFORM OS": the machine word stands alone there */
	if (!a) {
		const char *p = data;
		while ((p = strchr(p, ' '))) {
			p++;
			size_t n = strcspn(p, " \n");
			const char *b = machine_arch_name(p, n);
			if (b && a && strcmp(a, b))
				return;
			if (b)
				a = b;
		}
	}
	if (!a)
		return;
	uint32_t mask = machine_mask_arch(a);
	if (pae && !strcmp(a, "i386"))
		mask &= machine_mask_levels(3);
	narrowf(m, mask, "%s: %.*s", what, (int)(to - from), data + from);
}

void machine_from_smaps(struct machine *m, const char *data, size_t len, const char *what)
{
	/* KernelPageSize: the page size the kernel maps the area with (a hugetlb area says its
	 * huge size, so the smallest one is the base page) */
	uint64_t min = 0;
	for (const char *p = data; p && p < data + len; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		uint64_t v;
		if (!strncmp(p, "KernelPageSize:", 15) && line_u64(p, "KernelPageSize:", &v) && v &&
		    (!min || v < min))
			min = v;
	}
	if (min)
		narrowf(m, machine_mask_page_size(min * 1024), "%s: KernelPageSize %" PRIu64 " kB",
			what, min);
}

void machine_from_meminfo(struct machine *m, const char *data, size_t len)
{
	(void)len;
	uint64_t v;
	/* the default huge page is the PMD size: 2M with 4K pages (x86_64, arm64, i386 PAE, ARM
	 * LPAE), 4M on i386 without PAE, 32M with arm64's 16K pages, 512M with 64K; 1G is
	 * default_hugepagesz=1G (x86_64, arm64 4K) (Documentation/arch/arm64/hugetlbpage.rst) */
	if (line_u64(data, "Hugepagesize:", &v)) {
		uint32_t mask = v == 2048	  ? X86_64 | (I386 & machine_mask_levels(3)) | ARM32 |
						    ARM64_PS(K4)
				: v == 4096	  ? I386 & machine_mask_levels(2)
				: v == 64	  ? ARM64_PS(K4)
				: v == 32768	  ? ARM64_PS(K16)
				: v == 524288	  ? ARM64_PS(K64)
				: v == 16777216 ? ARM64_PS(K64)
				: v == 1048576	  ? X86_64 | ARM64_PS(K4) | ARM64_PS(K16)
						  : 0;
		narrowf(m, mask, "meminfo: Hugepagesize %" PRIu64 " kB", v);
	}
	/* VmallocTotal is VMALLOC_END - VMALLOC_START: under 4G on a 32-bit kernel; 32T on x86_64
	 * with 4 levels, 12800T with 5 (mm.rst); on arm64 about half the kernel's VA range, which
	 * gives VA_BITS_MIN (memory.h) */
	if (line_u64(data, "VmallocTotal:", &v) && v) {
		uint32_t mask = 0;
		if (v < UINT64_C(4) << 20) {
			mask = BITS32;
		} else if (v == UINT64_C(34359738367)) {
			mask = X86_64 & machine_mask_levels(4);
		} else if (v == UINT64_C(13743895347199)) {
			mask = X86_64 & machine_mask_levels(5);
		} else if (v < UINT64_MAX >> 10) {
			unsigned va = 63 - (unsigned)__builtin_clzll(v << 10) + 2;
			mask = ARM64 & (machine_mask_va_bits(va) |
					(va == 48 ? machine_mask_va_bits(52) : 0));
		}
		if (mask)
			narrowf(m, mask, "meminfo: VmallocTotal %" PRIu64 " kB", v);
	}
	/* HighTotal is printed with CONFIG_HIGHMEM (and by 2.6 kernels always): HighMem above 0
	 * is a 32-bit kernel's */
	if (line_u64(data, "HighTotal:", &v) && v)
		narrowf(m, BITS32, "meminfo: HighTotal %" PRIu64 " kB", v);
}

/* The number of orders is MAX_ORDER (MAX_PAGE_ORDER + 1 since 6.4): 11 on x86, i386, ARM and
 * arm64 with 4K pages, 12 with arm64's 16K (and old SA1111 ARM boards), 14 with 64K
 * (arch/arm64/Kconfig ARCH_FORCE_MAX_ORDER). Any other count says nothing. */
static void from_orders(struct machine *m, unsigned orders, const char *file)
{
	uint32_t mask = orders == 11   ? X86_64 | I386 | ARM32 | ARM64_PS(K4)
			: orders == 12 ? ARM64_PS(K16) | ARM32
			: orders == 14 ? ARM64_PS(K64)
				       : MACHINE_ANY;
	if (mask != MACHINE_ANY)
		narrowf(m, mask, "%s: %u orders", file, orders);
}

void machine_from_buddyinfo(struct machine *m, const char *data, size_t len)
{
	struct buddyinfo bi;
	if (buddyinfo_parse(data, len, "buddyinfo", &bi, NULL) == 0) {
		from_orders(m, bi.orders, "buddyinfo"); /* a parsed buddyinfo has a row */
		buddyinfo_free(&bi);
	}
}

void machine_from_pagetypeinfo(struct machine *m, const char *data, size_t len)
{
	struct pagetypeinfo pt;
	if (pagetypeinfo_parse(data, len, "pagetypeinfo", &pt, NULL))
		return;
	/* pageblock_order is the PMD huge page's order where hugetlb is built (9 with 4K pages,
	 * 10 on i386 without PAE, 11 with 16K, 13 with 64K), else MAX_ORDER - 1
	 * (include/linux/pageblock-flags.h) */
	unsigned o = pt.pageblock_order;
	uint32_t mask = o == 9	  ? X86_64 | (I386 & machine_mask_levels(3)) | ARM32 | ARM64_PS(K4)
			: o == 10 ? X86_64 | I386 | ARM32 | ARM64_PS(K4)
			: o == 11 ? ARM64_PS(K16) | ARM32
			: o == 13 ? ARM64_PS(K64)
				  : MACHINE_ANY;
	if (mask != MACHINE_ANY)
		narrowf(m, mask, "pagetypeinfo: page block order %u", o);
	if (pt.orders)
		from_orders(m, pt.orders, "pagetypeinfo");
	pagetypeinfo_free(&pt);
}

void machine_from_zoneinfo(struct machine *m, const char *data, size_t len)
{
	struct zoneinfo zi;
	if (zoneinfo_parse(data, len, "zoneinfo", &zi, NULL))
		return;
	bool dma32 = false, high = false, dma = false, x86_dma = false;
	for (size_t i = 0; i < zi.n; i++) {
		const struct zone *z = &zi.v[i];
		dma32 |= !strcmp(z->name, "DMA32");
		high |= !strcmp(z->name, "HighMem");
		if (!strcmp(z->name, "DMA")) {
			dma = true;
			/* x86's ZONE_DMA is the first 16 MiB: frames 0 or 1 to 4095 */
			x86_dma |= z->has[ZF_START_PFN] && z->f[ZF_START_PFN] <= 1 &&
				   z->f[ZF_START_PFN] + z->f[ZF_SPANNED] == 4096;
		}
	}
	/* ZONE_DMA32 exists on x86_64 and arm64 only (and x86_64 always has memory below 4G);
	 * ZONE_HIGHMEM on 32-bit kernels only (mm/Kconfig, include/linux/mmzone.h) */
	if (dma32)
		machine_narrow(m, BITS64, "zoneinfo: a DMA32 zone");
	if (high)
		machine_narrow(m, BITS32, "zoneinfo: a HighMem zone");
	if (zi.n && !dma32)
		machine_narrow(m, MACHINE_ANY & ~X86_64, "zoneinfo: no DMA32 zone");
	if (x86_dma)
		machine_narrow(m, X86_64 | I386, "zoneinfo: a DMA zone of the first 16 MiB");
	/* x86 kernels are built with ZONE_DMA for ISA devices: a zoneinfo without it is not x86 */
	if (zi.n && !dma)
		machine_narrow(m, MACHINE_ANY & ~(X86_64 | I386), "zoneinfo: no DMA zone");
	zoneinfo_free(&zi);
}

/* the legacy PC's regions, which only x86 firmware describes */
static bool pc_name(const char *n)
{
	static const char *const names[] = {"System ROM",  "Video ROM", "Video RAM area",
					    "Adapter ROM", "Local APIC"};
	return word_index(names, WORDS_N(names), n) >= 0 || !strncmp(n, "IOAPIC ", 7) ||
	       !strncmp(n, "HPET ", 5);
}

void machine_from_iomem(struct machine *m, const char *data, size_t len)
{
	struct iomem_tree t;
	if (iomem_parse(data, len, "iomem", &t, NULL))
		return;
	for (size_t i = 0; i < t.n; i++)
		if (pc_name(t.v[i].name)) {
			narrowf(m, X86_64 | I386, "iomem: '%s'", t.v[i].name);
			break;
		}
	if (t.hidden) {
		iomem_free(&t);
		return;
	}
	/* device-tree node names ("pl011@9000000", "/soc/i2c@0x884000") name resources on
	 * DT platforms: ARM, not x86's ACPI and legacy PC */
	for (size_t i = 0; i < t.n; i++) {
		const char *n = t.v[i].name, *at = strchr(n, '@');
		if (n[0] == '/' || (at && ((at[1] >= '0' && at[1] <= '9') ||
					   (at[1] >= 'a' && at[1] <= 'f')))) {
			narrowf(m, MACHINE_ANY & ~(X86_64 | I386), "iomem: a device-tree name '%s'", n);
			break;
		}
	}
	bool ram = false, low_ram = false;
	uint64_t top = 0;
	for (size_t i = 0; i < t.n; i++) {
		const struct iomem_region *r = &t.v[i];
		if (r->end > top)
			top = r->end;
		if (r->depth || strcmp(r->name, "System RAM"))
			continue;
		ram = true;
		/* x86 always has RAM under 640K (the real-mode memory below the VGA window) */
		low_ram |= r->start < 0xa0000;
		for (long c = r->first_child; c >= 0; c = t.v[c].next) {
			const struct iomem_region *k = &t.v[c];
			if (strcmp(k->name, "Kernel code") && strcmp(k->name, "Kernel text"))
				continue;
			/* a 32-bit kernel runs from low memory; 32-bit ARM loads it TEXT_OFFSET
			 * (0x8000) into RAM, arm64 at 0x80000 or a 2M boundary, x86 at 1M or 16M
			 * (arch/arm/Makefile, arch/arm64/kernel/head.S) */
			uint64_t off = k->start - r->start;
			if (k->start > 0xffffffff)
				narrowf(m, BITS64, "iomem: %s above 4G", k->name);
			else if ((off > 0 && off < 0x80000) || (off & 0xfffff) == 0x8000)
				narrowf(m, ARM32, "iomem: %s 0x%" PRIx64 " into System RAM", k->name, off);
			else if (off >= 0x80000 && off % 0x10000 == 0)
				narrowf(m, MACHINE_ANY & ~ARM32,
					"iomem: %s 0x%" PRIx64 " into System RAM", k->name, off);
		}
	}
	if (ram && !low_ram)
		machine_narrow(m, MACHINE_ANY & ~(X86_64 | I386), "iomem: no System RAM below 640K");
	if (top >> 40)
		machine_narrow(m, BITS64, "iomem: addresses past 40 bits");
	else if (top > 0xffffffff)
		machine_narrow(m, MACHINE_ANY & ~(I386 & machine_mask_levels(2)),
			       "iomem: addresses above 4G");
	iomem_free(&t);
}

/* the one page size of page_sizes[] for which ok() holds, or 0 */
static uint64_t only_fit(bool (*ok)(uint64_t ps, const void *arg), const void *arg)
{
	uint64_t found = 0;
	for (size_t i = 0; i < 3; i++)
		if (ok(page_sizes[i], arg)) {
			if (found)
				return 0;
			found = page_sizes[i];
		}
	return found;
}

struct fit {
	const struct zoneinfo *zi;
	const struct iomem_tree *io;
	uint64_t bytes, pages; /* a byte count and the page count it should be */
	double lo, hi;
};

static bool in_ram(const struct iomem_tree *io, uint64_t a)
{
	for (size_t i = 0; i < io->n; i++)
		if (!io->v[i].depth && !strcmp(io->v[i].name, "System RAM") && io->v[i].start <= a &&
		    a <= io->v[i].end)
			return true;
	return false;
}

/* every populated zone starts in System RAM, and the last one ends near the top of RAM (spans
 * hold holes, but begin on RAM the kernel was given) */
static bool zones_fit(uint64_t ps, const void *arg)
{
	const struct fit *f = arg;
	uint64_t ram_top = 0, zone_top = 0;
	bool any = false;
	for (size_t i = 0; i < f->io->n; i++)
		if (!f->io->v[i].depth && !strcmp(f->io->v[i].name, "System RAM") &&
		    f->io->v[i].end > ram_top)
			ram_top = f->io->v[i].end;
	for (size_t i = 0; i < f->zi->n; i++) {
		const struct zone *z = &f->zi->v[i];
		if (!z->has[ZF_START_PFN] || !z->f[ZF_SPANNED] || (z->has[ZF_PRESENT] &&
								    !z->f[ZF_PRESENT]))
			continue;
		if (z->f[ZF_START_PFN] > UINT64_MAX / ps / 2 || z->f[ZF_SPANNED] > UINT64_MAX / ps / 2)
			return false;
		uint64_t start = z->f[ZF_START_PFN] * ps, end = start + z->f[ZF_SPANNED] * ps;
		if (!in_ram(f->io, start))
			return false;
		if (end > zone_top)
			zone_top = end;
		any = true;
	}
	/* the last zone may run past the last System RAM range by memory the firmware keeps
	 * (nomap carve-outs), never by a factor of 4 */
	return any && zone_top <= ram_top + ram_top / 4 + ps;
}

static bool ratio_fits(uint64_t ps, const void *arg)
{
	const struct fit *f = arg;
	double r = (double)f->bytes / ((double)f->pages * (double)ps);
	return r >= f->lo && r <= f->hi;
}

void machine_from_ratios(struct machine *m, const char *meminfo, size_t meminfo_len,
			 const char *zoneinfo, size_t zoneinfo_len, const char *iomem,
			 size_t iomem_len, const char *vmstat, size_t vmstat_len)
{
	(void)meminfo_len;
	(void)vmstat_len;
	struct zoneinfo zi = {0};
	struct iomem_tree io = {0};
	bool have_zi = zoneinfo && !zoneinfo_parse(zoneinfo, zoneinfo_len, "zoneinfo", &zi, NULL);
	bool have_io = iomem && !iomem_parse(iomem, iomem_len, "iomem", &io, NULL) && !io.hidden;
	uint64_t ps;
	if (have_zi && have_io) {
		struct fit f = {.zi = &zi, .io = &io};
		if ((ps = only_fit(zones_fit, &f)))
			narrowf(m, machine_mask_page_size(ps),
				"zoneinfo against iomem: the zones lie on System RAM with %" PRIu64
				"K pages",
				ps >> 10);
	}
	uint64_t total, free_kb, nr_free;
	if (have_zi && meminfo && line_u64(meminfo, "MemTotal:", &total)) {
		/* MemTotal is totalram_pages, the sum of the zones' managed pages (before 3.8,
		 * present counts reserved pages too: a little more than MemTotal) */
		uint64_t managed = 0, present = 0;
		bool has_managed = false;
		for (size_t i = 0; i < zi.n; i++) {
			managed += zi.v[i].f[ZF_MANAGED];
			present += zi.v[i].f[ZF_PRESENT];
			has_managed |= zi.v[i].has[ZF_MANAGED];
		}
		struct fit f = {.bytes = total << 10, .pages = has_managed ? managed : present,
				.lo = has_managed ? 0.99 : 0.85, .hi = has_managed ? 1.01 : 1.0};
		if (f.pages && (ps = only_fit(ratio_fits, &f)))
			narrowf(m, machine_mask_page_size(ps),
				"MemTotal against zoneinfo's %s pages: %" PRIu64 "K pages",
				has_managed ? "managed" : "present", ps >> 10);
	}
	if (meminfo && vmstat && line_u64(meminfo, "MemFree:", &free_kb) &&
	    line_u64(vmstat, "nr_free_pages", &nr_free) && nr_free) {
		/* MemFree is NR_FREE_PAGES in bytes; the two were read moments apart */
		struct fit f = {.bytes = free_kb << 10, .pages = nr_free, .lo = 0.9, .hi = 1.1};
		if ((ps = only_fit(ratio_fits, &f)))
			narrowf(m, machine_mask_page_size(ps),
				"MemFree against vmstat's nr_free_pages: %" PRIu64 "K pages", ps >> 10);
	}
	zoneinfo_free(&zi);
	iomem_free(&io);
}

/* @word among the blank-separated words of the first line starting with @key */
static bool line_has_word(const char *data, const char *key, const char *word)
{
	size_t kl = strlen(key), wl = strlen(word);
	const char *p = text_line_with(data, key);
	if (!p)
		return false;
	const char *end = strchr(p, '\n');
	end = end ? end : p + strlen(p);
	for (const char *q = p + kl; q + wl <= end; q++)
		if (!strncmp(q, word, wl) && (q[-1] == ' ' || q[-1] == '\t') &&
		    (q + wl == end || q[wl] == ' ' || q[wl] == '\t'))
			return true;
	return false;
}

static bool has_line(const char *data, const char *key)
{
	return text_line_with(data, key) != NULL;
}

/* whether the value of a "@key : value" line starts with @prefix */
static bool value_starts(const char *data, const char *key, const char *prefix)
{
	size_t kl = strlen(key);
	for (const char *p = text_line_with(data, key); p;
	     p = text_line_with(text_next_line(p), key)) {
		const char *q = p + kl;
		while (*q == ' ' || *q == '\t' || *q == ':')
			q++;
		if (!strncmp(q, prefix, strlen(prefix)))
			return true;
	}
	return false;
}

void machine_from_cpuinfo(struct machine *m, const char *cpuinfo, size_t len, const char *cmdline)
{
	(void)len;
	/* arch/x86/kernel/cpu/proc.c prints vendor_id and flags; arch/arm/kernel/setup.c
	 * "model name : ARMv7 ..." with "Features : ... thumb ..."; arch/arm64/kernel/cpuinfo.c
	 * "Features : fp asimd ..." */
	if (has_line(cpuinfo, "vendor_id") || line_has_word(cpuinfo, "flags", "fpu")) {
		machine_narrow(m, X86_64 | I386, "cpuinfo: an x86 processor");
		/* la57: 5-level paging, unless the kernel was booted with no5lvl */
		bool la57 = line_has_word(cpuinfo, "flags", "la57") &&
			    !(cmdline && strstr(cmdline, "no5lvl"));
		if (la57)
			machine_narrow(m, (X86_64 & machine_mask_levels(5)) | I386,
				       "cpuinfo: la57 (5-level paging)");
		else
			machine_narrow(m, MACHINE_ANY & ~(X86_64 & machine_mask_levels(5)),
				       "cpuinfo: no la57 (4-level paging)");
	} else if (line_has_word(cpuinfo, "Features", "thumb") || value_starts(cpuinfo, "model name", "ARMv") ||
		   value_starts(cpuinfo, "Processor", "ARMv")) {
		machine_narrow(m, ARM32, "cpuinfo: a 32-bit ARM kernel's features (thumb)");
	} else if (line_has_word(cpuinfo, "Features", "asimd") ||
		   line_has_word(cpuinfo, "Features", "fp")) {
		machine_narrow(m, ARM64, "cpuinfo: arm64 features (fp, asimd)");
	}
}

void machine_from_memory_blocks(struct machine *m, uint64_t block_size,
				const struct machine_block *b, size_t n)
{
	/* a block is at least a sparsemem section: 512M on arm64 with 64K pages since 5.12
	 * (arch/arm64/include/asm/sparsemem.h), so smaller blocks are not that */
	if (block_size && block_size < UINT64_C(512) << 20)
		narrowf(m, MACHINE_ANY & ~ARM64_PS(K64), "memory blocks of %" PRIu64 "M",
			block_size >> 20);
	for (size_t i = 0; i < n; i++) {
		const char *z = b[i].zones;
		if (strstr(z, "DMA32")) {
			narrowf(m, BITS64, "memory block at 0x%" PRIx64 ": DMA32", b[i].start);
			break;
		}
		if (strstr(z, "HighMem")) {
			narrowf(m, BITS32, "memory block at 0x%" PRIx64 ": HighMem", b[i].start);
			break;
		}
		/* ZONE_DMA above 4G: neither x86's 16M nor a 32-bit kernel's, but arm64's, whose
		 * DMA zone covers what its devices reach from the start of RAM */
		if (b[i].start > 0xffffffff && !strncmp(z, "DMA", 3) && (z[3] == '\0' || z[3] == ' ' ||
									z[3] == '\n')) {
			narrowf(m, ARM64, "memory block at 0x%" PRIx64 ": DMA", b[i].start);
			break;
		}
	}
}

/* The huge page sizes each configuration offers, from Documentation/arch/arm64/hugetlbpage.rst
 * (contiguous PTEs, PMD, contiguous PMDs, PUD: 4K pages 64K, 2M, 32M, 1G; 16K pages 2M, 32M,
 * 1G; 64K pages 2M, 512M, 16G), x86_64's 2M and 1G (Documentation/admin-guide/mm/hugetlbpage.rst),
 * i386's PMD (2M with PAE, 4M without) and ARM's 2M (LPAE sections). 0 for any other size. */
static uint32_t hugepage_mask(uint64_t kb)
{
	switch (kb) {
	case 64:
		return ARM64_PS(K4);
	case 2048:
		return X86_64 | (I386 & machine_mask_levels(3)) | ARM32 | ARM64;
	case 4096:
		return I386 & machine_mask_levels(2);
	case 32768:
		return ARM64_PS(K4) | ARM64_PS(K16);
	case 524288:
	case 16777216:
		return ARM64_PS(K64);
	case 1048576:
		return X86_64 | ARM64_PS(K4) | ARM64_PS(K16);
	default:
		return 0;
	}
}

void machine_from_hugepage_sizes(struct machine *m, const uint64_t *kb, size_t n, const char *what)
{
	if (!n)
		return;
	/* every size must be one the machine offers: the configurations that offer them all */
	uint32_t mask = MACHINE_ANY;
	char list[96] = "";
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		mask &= hugepage_mask(kb[i]);
		int w = snprintf(list + len, sizeof(list) - len, "%s%" PRIu64 "kB", i ? " " : "",
				 kb[i]);
		if (w > 0 && (size_t)w < sizeof(list) - len)
			len += (size_t)w;
	}
	narrowf(m, mask, "%s: huge pages of %s", what, list);
}

void machine_from_maps(struct machine *m, const struct vma *v, size_t n, const char *what)
{
	uint64_t top = 0, stack_end = 0;
	const char *arm_page = NULL;
	for (size_t i = 0; i < n; i++) {
		/* [vsyscall] sits at 0xffffffffff600000 on x86_64 only (mm.rst); ARM shows its
		 * vector page [vectors] at 0xffff0000 and [sigpage] (arch/arm/kernel/process.c),
		 * and so does arm64 for a 32-bit process (arch/arm64/kernel/vdso.c) */
		if (!strcmp(v[i].name, "[vsyscall]")) {
			narrowf(m, X86_64, "%s: [vsyscall]", what);
			continue;
		}
		if (!strcmp(v[i].name, "[vectors]") || !strcmp(v[i].name, "[sigpage]")) {
			arm_page = v[i].name;
			continue;
		}
		if (v[i].end > top)
			top = v[i].end;
		if (!strcmp(v[i].name, "[stack]"))
			stack_end = v[i].end;
	}
	const uint64_t g3 = UINT64_C(0xc0000000), g4 = UINT64_C(0x100000000);
	if (stack_end && top <= g4) {
		/* A 32-bit process. Its stack is set up just below TASK_SIZE (less at most 8M of
		 * randomization): a 32-bit kernel's TASK_SIZE is its user split, 3G at most
		 * (i386 PAGE_OFFSET 0xc0000000, or 2G, 1G; ARM PAGE_OFFSET - 16M, 0xbf000000),
		 * while a 64-bit kernel gives a compat process 4G less a page (x86_64
		 * IA32_PAGE_OFFSET, arm64 TASK_SIZE_32) */
		if (stack_end <= g3)
			narrowf(m, arm_page ? ARM32 : BITS32,
				"%s: the stack ends at 0x%" PRIx64 ", at most 3G%s%s", what, stack_end,
				arm_page ? ", and " : "", arm_page ? arm_page : "");
		else
			narrowf(m, arm_page ? ARM64 : BITS64,
				"%s: a 32-bit process with its stack ending at 0x%" PRIx64
				", above 3G%s%s",
				what, stack_end, arm_page ? ", and " : "", arm_page ? arm_page : "");
	} else if (arm_page) {
		narrowf(m, ARM32 | ARM64, "%s: %s", what, arm_page);
	}
	if (top > g4)
		narrowf(m, BITS64, "%s: addresses above 4G", what);
	if (stack_end > g4) {
		/* the stack is set up just below TASK_SIZE: its end says the VA width (x86_64
		 * keeps user space below 47 bits with 5 levels too, unless asked) */
		unsigned b = 64 - (unsigned)__builtin_clzll(stack_end - 1);
		uint32_t mask = (ARM64 & machine_mask_va_bits(b)) |
				(b == 48 ? ARM64 & machine_mask_va_bits(52) : 0) |
				(b == 47 ? X86_64 : 0);
		narrowf(m, mask ? mask : MACHINE_ANY, "%s: the stack ends at 0x%" PRIx64, what,
			stack_end);
	}
}

/* Read the first @max bytes of @path (smaps of a large process need not be read whole). */
static int read_prefix(const struct sysroot *sr, const char *path, struct buf *b, size_t max)
{
	int fd = sysroot_openat(sr, path, NULL);
	if (fd < 0)
		return fd;
	b->data = malloc(max + 1);
	b->len = 0;
	if (!b->data) {
		close(fd);
		return -ENOMEM;
	}
	while (b->len < max) {
		ssize_t r = read(fd, b->data + b->len, max - b->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		b->len += (size_t)r;
	}
	close(fd);
	b->data[b->len] = '\0';
	return 0;
}

/* The lowest-numbered process of the dump with proc/PID/@file ("self" first), in @pid. */
static bool dump_pid(const struct sysroot *sr, const char *file, char *pid, size_t size)
{
	char path[96];
	snprintf(path, sizeof(path), "proc/self/%s", file);
	if (sysroot_exists(sr, path, false, NULL) == 0) {
		snprintf(pid, size, "self");
		return true;
	}
	char **names;
	int count = sysroot_list(sr, "proc", "", &names, NULL);
	unsigned long best = 0;
	for (int i = 0; i < count; i++) {
		char *end;
		unsigned long n = strtoul(names[i], &end, 10);
		if (*end || !n || (best && n >= best))
			continue;
		snprintf(path, sizeof(path), "proc/%lu/%s", n, file);
		if (sysroot_exists(sr, path, false, NULL) == 0)
			best = n;
	}
	if (count >= 0)
		free(names);
	if (best)
		snprintf(pid, size, "%lu", best);
	return best != 0;
}

static bool read_all(const struct sysroot *sr, const char *path, struct buf *b)
{
	memset(b, 0, sizeof(*b));
	return sysroot_read(sr, path, b, NULL) == 0;
}

/* sys/devices/system/memory: the block size and each block's valid_zones */
static void read_memory_blocks(const struct sysroot *sr, struct machine *m)
{
	struct buf b;
	if (!read_all(sr, "sys/devices/system/memory/block_size_bytes", &b))
		return;
	char *end;
	uint64_t size = strtoull(b.data, &end, 16);
	buf_free(&b);
	char **names;
	int count = sysroot_list(sr, "sys/devices/system/memory", "memory", &names, NULL);
	if (count < 0) {
		machine_from_memory_blocks(m, size, NULL, 0);
		return;
	}
	struct machine_block *v = NULL;
	char **texts = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < count; i++) {
		unsigned long id;
		if (!names[i][6])
			continue;
		id = strtoul(names[i] + 6, &end, 10);
		char path[320];
		snprintf(path, sizeof(path), "sys/devices/system/memory/%s/valid_zones", names[i]);
		if (*end || !read_all(sr, path, &b))
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 64;
			struct machine_block *nv = realloc(v, c * sizeof(*v));
			char **nt = nv ? realloc(texts, c * sizeof(*texts)) : NULL;
			if (nv)
				v = nv;
			if (!nt) {
				buf_free(&b);
				break;
			}
			texts = nt;
			cap = c;
		}
		texts[n] = b.data;
		v[n] = (struct machine_block){(uint64_t)id * size, b.data};
		n++;
	}
	free(names);
	machine_from_memory_blocks(m, size, v, n);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(v);
}

/* The hugepages-NkB directories beneath @dir, added to @kb[*n] (each size once) */
static void hugepage_dirs(const struct sysroot *sr, const char *dir, uint64_t *kb, size_t *n,
			  size_t max)
{
	char **names;
	int count = sysroot_list(sr, dir, "hugepages-", &names, NULL);
	for (int k = 0; k < count; k++) {
		char *end;
		if (names[k][10] < '0' || names[k][10] > '9')
			continue;
		uint64_t v = strtoull(names[k] + 10, &end, 10);
		if (strcmp(end, "kB"))
			continue;
		size_t i = 0;
		while (i < *n && kb[i] != v)
			i++;
		if (i == *n && *n < max)
			kb[(*n)++] = v;
	}
	if (count >= 0)
		free(names);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* sys/kernel/mm/hugepages, else the nodes' (a capture of sys/devices/system/node alone) */
static void read_hugepage_sizes(const struct sysroot *sr, struct machine *m)
{
	uint64_t kb[16];
	size_t n = 0;
	const char *what = "sys/kernel/mm/hugepages";
	hugepage_dirs(sr, what, kb, &n, 16);
	if (!n) {
		what = "sys/devices/system/node";
		char **names;
		int count = sysroot_list(sr, what, "node", &names, NULL);
		for (int i = 0; i < count; i++) {
			char path[320];
			if (names[i][4] < '0' || names[i][4] > '9')
				continue;
			snprintf(path, sizeof(path), "%s/%s/hugepages", what, names[i]);
			hugepage_dirs(sr, path, kb, &n, 16);
		}
		if (count >= 0)
			free(names);
	}
	qsort(kb, n, sizeof(kb[0]), cmp_u64);
	machine_from_hugepage_sizes(m, kb, n, what);
}

void machine_read_dump(const struct sysroot *sr, struct machine *m)
{
	struct buf b;
	char pid[32], what[64];
	/* a capture's own record first: the kernel's uname machine (proc/sys/kernel/arch, 6.x)
	 * and a sosreport's uname -a */
	if (read_all(sr, "proc/sys/kernel/arch", &b)) {
		machine_from_arch_record(m, b.data, b.len, "proc/sys/kernel/arch");
		buf_free(&b);
	}
	if (read_all(sr, "sos_commands/kernel/uname_-a", &b)) {
		machine_from_version(m, b.data, b.len, "uname -a");
		buf_free(&b);
	}
	if (read_all(sr, "proc/version", &b)) {
		machine_from_version(m, b.data, b.len, "version");
		buf_free(&b);
	}
	if (dump_pid(sr, "smaps", pid, sizeof(pid))) {
		char path[64];
		snprintf(path, sizeof(path), "proc/%s/smaps", pid);
		snprintf(what, sizeof(what), "proc/%s/smaps", pid);
		if (read_prefix(sr, path, &b, 64 * 1024) == 0) {
			machine_from_smaps(m, b.data, b.len, what);
			buf_free(&b);
		}
	}
	struct buf mi = {0}, zi = {0}, io = {0}, vm = {0};
	bool have_mi = read_all(sr, "proc/meminfo", &mi), have_zi = read_all(sr, "proc/zoneinfo", &zi);
	bool have_io = read_all(sr, "proc/iomem", &io), have_vm = read_all(sr, "proc/vmstat", &vm);
	/* the orders are the kernel's configuration (MAX_ORDER); meminfo's huge page size can be
	 * chosen at boot (default_hugepagesz): the orders go first */
	if (read_all(sr, "proc/pagetypeinfo", &b)) {
		machine_from_pagetypeinfo(m, b.data, b.len);
		buf_free(&b);
	}
	if (read_all(sr, "proc/buddyinfo", &b)) {
		machine_from_buddyinfo(m, b.data, b.len);
		buf_free(&b);
	}
	if (have_mi)
		machine_from_meminfo(m, mi.data, mi.len);
	if (have_zi)
		machine_from_zoneinfo(m, zi.data, zi.len);
	if (have_io)
		machine_from_iomem(m, io.data, io.len);
	machine_from_ratios(m, have_mi ? mi.data : NULL, mi.len, have_zi ? zi.data : NULL, zi.len,
			    have_io ? io.data : NULL, io.len, have_vm ? vm.data : NULL, vm.len);
	buf_free(&mi);
	buf_free(&zi);
	buf_free(&io);
	buf_free(&vm);
	if (read_all(sr, "proc/cpuinfo", &b)) {
		struct buf cl;
		bool have_cl = read_all(sr, "proc/cmdline", &cl);
		machine_from_cpuinfo(m, b.data, b.len, have_cl ? cl.data : NULL);
		if (have_cl)
			buf_free(&cl);
		buf_free(&b);
	}
	read_memory_blocks(sr, m);
	read_hugepage_sizes(sr, m);
	bool smaps = false;
	if (dump_pid(sr, "maps", pid, sizeof(pid)) ||
	    (smaps = dump_pid(sr, "smaps", pid, sizeof(pid)))) {
		struct maps mp = {0};
		if (maps_read(sr, pid, smaps, &mp, NULL) == 0) {
			snprintf(what, sizeof(what), "proc/%s/%s", pid, smaps ? "smaps" : "maps");
			machine_from_maps(m, mp.v, mp.n, what);
		}
		maps_free(&mp);
	}
}

void machine_read_live(const struct sysroot *sr, struct machine *m)
{
	/* what the kernel says of itself outright; a dump's weaker evidence (cpuinfo's la57,
	 * the command line's no5lvl) would only repeat what VmallocTotal says exactly */
	struct buf b;
	if (read_all(sr, "proc/sys/kernel/arch", &b)) {
		machine_from_arch_record(m, b.data, b.len, "/proc/sys/kernel/arch");
		buf_free(&b);
	}
	if (read_all(sr, "proc/meminfo", &b)) {
		machine_from_meminfo(m, b.data, b.len);
		buf_free(&b);
	}
}
