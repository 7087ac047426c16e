/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One /proc/PID/pagemap entry, decoded (Documentation/admin-guide/mm/pagemap.rst). */
#ifndef MEMSCOPE_DECODE_PAGEMAP_H
#define MEMSCOPE_DECODE_PAGEMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/pagebits.h"

struct pagemap_entry {
	uint64_t raw;
	bool present;	  /* bit 63 */
	bool swapped;	  /* bit 62 */
	bool file_shared; /* bit 61: file page or shared anonymous page (since 3.5) */
	bool guard;	  /* bit 58: a guard region (since 6.15) */
	bool uffd_wp;	  /* bit 57: write-protected by userfaultfd (since 5.13) */
	bool exclusive;	  /* bit 56: mapped by this process only (since 4.2) */
	bool soft_dirty;  /* bit 55 */
	uint64_t pfn;	  /* bits 0-54 when present; 0 when the reader lacks CAP_SYS_ADMIN */
	unsigned swap_type;   /* bits 0-4 when swapped */
	uint64_t swap_offset; /* bits 5-54 when swapped */
};

void pagemap_entry_decode(uint64_t raw, struct pagemap_entry *e);

/* The bits a walk over every page tests, without filling a struct per page: pagemap_present(),
 * pagemap_swapped(), pagemap_pfn() in lib/pagebits.h, which proc/'s walk uses too. */

#endif
