/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Binary per-page files: /proc/PID/pagemap (one u64 per virtual page), /proc/kpageflags and
 * /proc/kpagecount (one u64 per page frame), read in large batches with pread(2). */
#ifndef MEMSCOPE_PROC_KPAGE_H
#define MEMSCOPE_PROC_KPAGE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Read @n u64s at index @first of @fd into @out. Returns how many were read (fewer at the end
 * of the file), or -errno. A file whose size is not a multiple of 8 ends at the last whole u64. */
long kpage_pread(int fd, uint64_t first, uint64_t *out, size_t n);

/* Batch size of the readers: 64 KiB of entries was fastest here (issue 3's measurements). */
#define KPAGE_BATCH 8192

/* Look up flags and counts of @n frames @pfn[] (any order) in batched windows: frames less than
 * KPAGE_BATCH apart share one read. @flags or @count may be NULL; @fd < 0 skips that file.
 * Missing frames (past the end) get UINT64_MAX. Returns 0 or -errno. Uses @scratch of
 * 2 * KPAGE_BATCH u64s and @order of n size_t. */
int kpage_lookup(int flags_fd, int count_fd, const uint64_t *pfn, size_t n, uint64_t *flags,
		 uint64_t *count, uint64_t *scratch, size_t *order);

#endif
