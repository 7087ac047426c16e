/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pagemap walk by the PAGEMAP_SCAN ioctl (fs/proc/task_mmu.c, Linux 6.7+;
 * Documentation/admin-guide/mm/pagemap.rst): the kernel hands back regions of pages that share
 * the categories asked for, not an entry per page. Of the bits the walk tests (present,
 * swapped, the frame) it has present and swapped; it has no frame number (nor the exclusive
 * bit, which the walk does not use), so it stands in for pread only where pagemap hides the
 * frames anyway. Internal to proc/pagewalk.c and proc/pagescan.c. */
#ifndef MEMSCOPE_PROC_PAGESCAN_H
#define MEMSCOPE_PROC_PAGESCAN_H

#include "proc/pagewalk.h"

/* The reader a new walk starts with, and its region buffer into pw->regions. Returns 0 or
 * -ENOMEM. */
int pagescan_init(struct pagewalk *pw);

/* Walk pages [@page, @stop) with PAGEMAP_SCAN as far as it gives what the pread walk would,
 * continuing @run. Returns 0 (all walked), 1 (the pages from *@resume are the pread walk's:
 * SCAN is not to be used, failed there, or the frames turned out to be shown) or -errno. */
int pagescan_range(struct pagewalk *pw, uint64_t page, uint64_t stop, struct pw_stats *st,
		   struct pw_run *run, pw_sink sink, void *data, uint64_t *resume,
		   struct ms_error *err);

/* From proc/pagewalk.c: @pages from @vaddr, all in state @ps and needing no frame of their own
 * (not present, swapped, present with the frame hidden), counted into @st and joined to @run or
 * starting the next one. Returns 0 or the sink's -errno. */
int pagewalk_pages(struct pagewalk *pw, enum pw_state ps, uint64_t vaddr, uint64_t pages,
		   struct pw_stats *st, struct pw_run *run, pw_sink sink, void *data);

/* From proc/pagewalk.c: whether the live process's address space is gone (-ESRCH, @err filled,
 * pw->vanished set), 0 if it is there or the pagemap is a dump's, or the read's -errno. */
int pagewalk_gone(struct pagewalk *pw, struct ms_error *err);

#endif
