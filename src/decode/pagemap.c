/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Decoder of pagemap entries (Documentation/admin-guide/mm/pagemap.rst). */
#include <string.h>

#include "decode/pagemap.h"

void pagemap_entry_decode(uint64_t raw, struct pagemap_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->raw = raw;
	e->present = raw >> 63 & 1;
	e->swapped = raw >> 62 & 1;
	e->file_shared = raw >> 61 & 1;
	e->guard = raw >> 58 & 1;
	e->uffd_wp = raw >> 57 & 1;
	e->exclusive = raw >> 56 & 1;
	e->soft_dirty = raw >> 55 & 1;
	uint64_t low = raw & PAGEMAP_PFN_MASK; /* bits 0-54 */
	if (e->present) {
		e->pfn = low;
	} else if (e->swapped) {
		e->swap_type = (unsigned)(low & 0x1f); /* bits 0-4 */
		e->swap_offset = low >> 5;	       /* bits 5-54 */
	}
}
