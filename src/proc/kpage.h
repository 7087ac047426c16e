/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Binary per-page files: /proc/PID/pagemap (one u64 per virtual page), /proc/kpageflags and
 * /proc/kpagecount (one u64 per page frame), read in large batches with pread(2). */
#ifndef MEMSCOPE_PROC_KPAGE_H
#define MEMSCOPE_PROC_KPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

/* Open proc/kpageflags or proc/kpagecount (@path) under @sr. Returns an fd, or -errno with *@why
 * the errno (0 when it opened). */
int kpage_open(const struct sysroot *sr, const char *path, int *why);

/* Read @n u64s at index @first of @fd into @out. Returns how many were read (fewer at the end
 * of the file), or -errno. A file whose size is not a multiple of 8 ends at the last whole u64. */
long kpage_pread(int fd, uint64_t first, uint64_t *out, size_t n);

/* After a read of /proc/PID/pagemap on @fd came back short: whether the address space it was
 * opened on is gone. pagemap_read() (fs/proc/task_mmu.c) returns 0 bytes once the mm has no
 * users (!mmget_not_zero), as it does past TASK_SIZE ([vsyscall]); the entry of address 0 is
 * always there while the mm lives. Returns 1 (gone), 0 (there) or -errno. */
int kpage_pagemap_gone(int fd);

/* The number of frames of the compound page (folio) that holds the @n frames from @first, known
 * to be consecutive pages of one (@first its head when @first_head), from /proc/kpageflags on
 * @flags_fd: the head is the nearest KPF_COMPOUND_HEAD at or below @first, the folio its head
 * and the KPF_COMPOUND_TAIL frames right after it (admin-guide/mm/pagemap.rst; fs/proc/page.c).
 * Folios come from the buddy allocator naturally aligned (a folio of 2^k frames starts at a
 * multiple of 2^k), which bounds both scans; @n frames from a head at an alignment of
 * exactly @n need no read at all. Reads as few entries as it can, into @scratch (KPAGE_BATCH
 * u64s). Returns 0 with *@pages (at least @n) or -errno. */
int kpage_folio_pages(int flags_fd, uint64_t first, uint64_t n, bool first_head, uint64_t *pages,
		      uint64_t *scratch);

/* Batch size of the readers: 64 KiB of entries was fastest here (issue 3's measurements). */
#define KPAGE_BATCH 8192

/* Look up flags and counts of @n frames @pfn[] (any order) in batched windows: frames less than
 * KPAGE_BATCH apart share one read. @flags or @count may be NULL; @fd < 0 skips that file.
 * Missing frames (past the end) get UINT64_MAX. Returns 0 or -errno. Uses @scratch of
 * 2 * KPAGE_BATCH u64s and @order of n size_t. */
int kpage_lookup(int flags_fd, int count_fd, const uint64_t *pfn, size_t n, uint64_t *flags,
		 uint64_t *count, uint64_t *scratch, size_t *order);

#endif
