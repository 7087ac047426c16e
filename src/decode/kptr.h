/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel pointers as a /proc file printed them: real, zeroed (kptr_restrict, or a reader
 * without the privilege) or hashed (%p, and %pK with kptr_restrict 0 since Linux 4.15: a
 * siphash of the pointer, on 64-bit kernels its low 32 bits only, printed zero-padded). Fed
 * one address or range at a time (a streamed file keeps nothing), it says which, why, and what
 * would change it; no position is ever computed from a pointer that is not real. */
#ifndef MEMSCOPE_DECODE_KPTR_H
#define MEMSCOPE_DECODE_KPTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/layout.h"

enum kptr_kind {
	KPTR_NONE,   /* no address seen */
	KPTR_REAL,   /* kernel addresses where the architecture puts them */
	KPTR_ZEROED, /* every one 0 */
	KPTR_HASHED, /* not addresses at all: ranges that end before they start, spans that do
		      * not match their size, values in user space or no space at all */
};

struct kptr_check {
	const struct layout *layout; /* the machine's, or NULL: then by width alone */
	bool wide;		     /* a 64-bit kernel: a hashed value has 32 high zero bits */
	size_t n;		     /* addresses seen */
	size_t zero;		     /* ... that were 0 */
	size_t outside;		     /* ... non-zero, where no kernel address can be */
	size_t ranges, reversed, mismatched; /* ranges seen; ending before they start; whose
					      * span is not their printed size */
};

/* Start a check for a kernel of @wide (64-bit) pointers, laid out as @l (may be NULL). On a
 * 32-bit kernel the layout is the only test of a lone address, and the documented one: a 32-bit
 * ARM built with a 2G/2G or 1G/3G split keeps its kernel below 3G, where the table has user
 * space, so pass no layout there unless the split is known (ranges still tell: a hash ends
 * before it starts half the time). */
void kptr_check_init(struct kptr_check *c, const struct layout *l, bool wide);
void kptr_check_addr(struct kptr_check *c, uint64_t addr);
/* A range @start-@end the file printed as two pointers, with the @size it printed beside
 * them (0: none). */
void kptr_check_range(struct kptr_check *c, uint64_t start, uint64_t end, uint64_t size);

enum kptr_kind kptr_verdict(const struct kptr_check *c);
const char *kptr_kind_name(enum kptr_kind k); /* "real", "zeroed", "hashed", "none" */

/* One line (no full stop) on what @file's pointers are, why, and what changes it, given
 * kernel.kptr_restrict (@restrict_level: 0, 1, 2; -1 when not known). Returns @buf. */
const char *kptr_explain(const struct kptr_check *c, const char *file, int restrict_level,
			 char *buf, size_t size);

#endif
