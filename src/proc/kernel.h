/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where a kernel put itself (--live): the KASLR bases its /proc/kcore segments give (x86_64),
 * _text from /proc/kallsyms when kcore cannot be read, and iomem's "Kernel code". Read under
 * the sysroot, so a dump's files speak for the dump's machine and nothing else. */
#ifndef MEMSCOPE_PROC_KERNEL_H
#define MEMSCOPE_PROC_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/iomem.h"
#include "proc/kcore.h"
#include "proc/sysroot.h"

struct kernel_facts {
	bool kcore;	 /* proc/kcore was read */
	int kcore_errno; /* why not (a positive errno) */
	bool text;	 /* the kernel text base is known */
	uint64_t text_vaddr, text_paddr;
	bool have_text_paddr;
	bool direct;
	uint64_t page_offset_base;
	bool vmalloc;
	uint64_t vmalloc_base;
	bool vmemmap;
	uint64_t vmemmap_base;
	bool iomem_code;
	uint64_t iomem_code_start;
	struct iomem_tree io; /* iomem when its addresses are readable (io.n == 0 otherwise) */
	bool kallsyms;	      /* kallsyms was read (kcore gave no text): its text symbols'
			       * addresses went to the watch, and text_kallsyms says whether the
			       * text came from it */
	bool text_kallsyms;
};

/* Who sees every text symbol's address kallsyms printed, 0 and hashed ones included: the
 * caller's check of what they are (decode/kptr.h, which proc/ may not include). */
struct kallsyms_watch {
	void (*addr)(void *arg, uint64_t addr);
	void *arg;
};

/* Read iomem, kcore (or kallsyms for the text) under @sr, for a kernel of @arch (memscope's
 * spelling: the bases are worked out for x86_64 only). Never fails: what is missing stays
 * unknown, and kcore_errno says why kcore was not read. When kallsyms is read, @w (may be
 * NULL) is given every text symbol's address, so that the caller can judge them before it
 * uses text_vaddr. */
void kernel_facts_read(const struct sysroot *sr, const char *arch, const struct kallsyms_watch *w,
		       struct kernel_facts *kf);
void kernel_facts_free(struct kernel_facts *kf);

/* x86_64's bases from kcore's PT_LOAD segments (fs/proc/kcore.c): the direct map's
 * page_offset_base, vmalloc_base, vmemmap_base and the text's virtual and physical address. */
void kernel_from_kcore(const struct kcore *k, struct kernel_facts *kf);

/* The address of @sym, a text symbol ('T' or 't') in /proc/kallsyms ("ADDR TYPE NAME [MODULE]"
 * lines, mm/kallsyms.c s_show()). Returns 0 with *@addr, -ENOENT when no line names it or its
 * address is hidden (0: kptr_restrict), -EINVAL for a line of another shape, with @err naming
 * @file and the line. */
int kallsyms_text_symbol(const char *data, size_t len, const char *file, const char *sym,
			 uint64_t *addr, struct ms_error *err);
/* The same, reading every line: each text symbol's address (0 included) goes to @w. */
int kallsyms_text_scan(const char *data, size_t len, const char *file, const char *sym,
		       const struct kallsyms_watch *w, uint64_t *addr, struct ms_error *err);

#endif
