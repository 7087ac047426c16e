/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Which machine a dump (or this system) is: architecture, page size, virtual address width and
 * paging levels, learnt from what the kernel's own files show, each with the evidence.
 *
 * The machine is a set of the configurations the kernel supports (x86_64 with 4 or 5 levels,
 * i386 with or without PAE, 32-bit ARM, arm64 by page size and VA bits). Every file that says
 * something narrows the set; a fact is known when every configuration left agrees on it.
 * Evidence that contradicts what is already known (a mixed dump) is set aside and kept as the
 * conflict; evidence that fits no configuration at all (ia64, s390) marks the machine foreign.
 * Nothing here asks the live machine (no uname, no sysconf): live, commands.c gives the page
 * size and machine_read_live() what this system's /proc says. */
#ifndef MEMSCOPE_PROC_MACHINE_H
#define MEMSCOPE_PROC_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc/maps.h"
#include "proc/sysroot.h"

/* Where a fact came from, as JSON names it ("page_size_source"). */
enum machine_source { MACHINE_ASSUMED, MACHINE_DUMP, MACHINE_LIVE, MACHINE_OPTION };
const char *machine_source_name(enum machine_source s);

struct machine_config {
	const char *arch; /* "x86_64", "arm64", "i386", "arm" */
	unsigned page_size;
	unsigned va_bits;
	unsigned levels; /* page-table levels (i386: 3 with PAE) */
};

#define MACHINE_NCONFIGS 15
#define MACHINE_ANY ((UINT32_C(1) << MACHINE_NCONFIGS) - 1)
extern const struct machine_config machine_configs[MACHINE_NCONFIGS];

struct machine {
	uint32_t configs; /* bit i: machine_configs[i] is still possible */
	char arch_why[128]; /* the evidence that settled the architecture ("" while open) */
	char page_why[128]; /* ... and the page size */
	char foreign[128];  /* evidence of an architecture outside the four */
	char conflict[256]; /* the first evidence set aside because it contradicted */
};

/* Every configuration possible, nothing learnt. */
void machine_init(struct machine *m);
/* Narrow @m to @mask, learnt from @what ("meminfo: Hugepagesize 2048 kB"). Evidence that leaves
 * nothing is set aside (kept in m->conflict) and -1 returned; an empty @mask is foreign
 * evidence. Returns 0 otherwise. */
int machine_narrow(struct machine *m, uint32_t mask, const char *what);

/* The configurations of an architecture, a page size, a VA width, paging levels (0: any). */
uint32_t machine_mask_arch(const char *arch);
uint32_t machine_mask_page_size(uint64_t page_size);
uint32_t machine_mask_va_bits(unsigned va_bits);
uint32_t machine_mask_levels(unsigned levels);

/* memscope's name for an architecture as the kernel or a distribution spells it ("aarch64",
 * "i686", "armv7l", "amd64"); NULL when it is none of the four. */
const char *machine_arch_name(const char *word, size_t len);

/* What every configuration left agrees on: NULL or 0 while they differ (or none is left). */
const char *machine_arch(const struct machine *m);
uint64_t machine_page_size(const struct machine *m);
unsigned machine_va_bits(const struct machine *m);
unsigned machine_levels(const struct machine *m);
/* The first architecture of @configs in the order an assumption prefers them (x86_64, arm64,
 * i386, arm), x86_64 when none. */
const char *machine_arch_preferred(uint32_t configs);
/* The architectures still possible, preferred first (x86_64, arm64, i386, arm), as "x86_64 or
 * arm64"; "" when none. */
void machine_arch_list(const struct machine *m, char *buf, size_t size);
/* The page sizes still possible, smallest first, as "4K or 16K"; "" when none. */
void machine_page_list(const struct machine *m, char *buf, size_t size);

/* Evidence from one file's text (@data[len] must be writable, as in struct buf), each narrowing
 * @m. Pure: the readers below and the unit tests hand them bytes. */
void machine_from_arch_record(struct machine *m, const char *data, size_t len, const char *what);
void machine_from_version(struct machine *m, const char *data, size_t len, const char *what);
void machine_from_smaps(struct machine *m, const char *data, size_t len, const char *what);
void machine_from_meminfo(struct machine *m, const char *data, size_t len);
void machine_from_buddyinfo(struct machine *m, const char *data, size_t len);
void machine_from_pagetypeinfo(struct machine *m, const char *data, size_t len);
void machine_from_zoneinfo(struct machine *m, const char *data, size_t len);
void machine_from_iomem(struct machine *m, const char *data, size_t len);
/* zoneinfo's page frames against iomem's System RAM, MemTotal against the zones' managed pages,
 * MemFree against vmstat's nr_free_pages: which page size makes them agree. Any may be NULL. */
void machine_from_ratios(struct machine *m, const char *meminfo, size_t meminfo_len,
			 const char *zoneinfo, size_t zoneinfo_len, const char *iomem,
			 size_t iomem_len, const char *vmstat, size_t vmstat_len);
void machine_from_cpuinfo(struct machine *m, const char *cpuinfo, size_t len, const char *cmdline);
/* Memory blocks of sys/devices/system/memory: their size (block_size_bytes) and, for each, its
 * first physical address and its valid_zones ("DMA", "Normal Movable"). */
struct machine_block {
	uint64_t start;
	const char *zones;
};
void machine_from_memory_blocks(struct machine *m, uint64_t block_size,
				const struct machine_block *b, size_t n);
/* The huge page sizes a kernel offers (@kb: in kB, as the hugepages-NkB directories of
 * sys/kernel/mm/hugepages and of each node name them): each size is one the architecture and its
 * page size allow, so together they narrow both (arm64 with 4K pages alone has 64K and 32M). */
void machine_from_hugepage_sizes(struct machine *m, const uint64_t *kb, size_t n, const char *what);
/* A process's mappings: [vsyscall] (x86_64), [vectors] and [sigpage] (ARM), the highest
 * address and where the stack ends: the VA width, and for a 32-bit process (everything below
 * 4G) whether its kernel is 32-bit (the stack ends at or below 3G) or 64-bit (near 4G). */
void machine_from_maps(struct machine *m, const struct vma *v, size_t n, const char *what);

/* Everything a dump says about its machine, strongest evidence first: proc/sys/kernel/arch, a
 * sosreport's uname -a, proc/version, a process's smaps KernelPageSize, pagetypeinfo, buddyinfo,
 * meminfo, zoneinfo, iomem, the ratios between them, cpuinfo, the memory blocks of
 * sys/devices/system/memory, the huge page sizes of sys/kernel/mm/hugepages (or of the nodes),
 * a process's maps. */
void machine_read_dump(const struct sysroot *sr, struct machine *m);
/* This system, from its /proc: proc/sys/kernel/arch and meminfo (VmallocTotal: the paging
 * levels of x86_64, the VA width of arm64). The caller supplies the page size (sysconf()) and
 * what /proc lacks (uname() for a kernel without proc/sys/kernel/arch). */
void machine_read_live(const struct sysroot *sr, struct machine *m);

#endif
