/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The pagemap walk: a virtual range of a task read from /proc/PID/pagemap (and the frames'
 * /proc/kpageflags and /proc/kpagecount when open), handed on as runs of pages to a sink, the
 * shape of tools/mm/page-types' walk_vma() -> add_page(). The walker counts; the sink shows. */
#ifndef MEMSCOPE_PROC_PAGEWALK_H
#define MEMSCOPE_PROC_PAGEWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

/* THP folios of every order up to this are counted by order (a 1 GiB PUD folio of 4K pages is
 * order 18; kpage_folio_pages() looks no further) */
#define PW_FOLIO_ORDERS 19

/* PW_UNMAPPED: no mapping holds the page; PW_NONE: a mapping does, and no page is there;
 * PW_HIDDEN: present, its frame number read as 0 (no CAP_SYS_ADMIN) */
enum pw_state { PW_NONE, PW_PRESENT, PW_HIDDEN, PW_SWAP, PW_UNMAPPED };

/* The pages of one stretch of virtual memory, counted as they are walked. */
struct pw_stats {
	uint64_t pages, present, swapped, not_present, unmapped, hidden, runs, shared;
	/* present pages in transparent huge pages, and per folio order the folios met and how
	 * many of their pages were mapped here (a folio can be mapped in part) */
	uint64_t thp_pages, folios[PW_FOLIO_ORDERS], folio_pages[PW_FOLIO_ORDERS];
	/* of those folios: anonymous ones (KPF_ANON; the rest are the page cache's), the ones
	 * mapped here in part, and the ones mapped whole at a virtual address aligned to their
	 * size (what a PMD or a contiguous-PTE mapping needs; tools/mm/thpmaps' "aligned") */
	uint64_t folios_anon[PW_FOLIO_ORDERS], folios_partial[PW_FOLIO_ORDERS],
		folios_aligned[PW_FOLIO_ORDERS];
};

/* A run: pages of one state that follow each other, present ones on consecutive frames. */
struct pw_run {
	enum pw_state st;
	uint64_t vstart, pages, pfn, thp_pages; /* pfn: the first page's, when PW_PRESENT */
	unsigned lo_order, hi_order; /* the THP folio orders met in the run (UINT_MAX: none) */
};

/* Called with each run, in address order, as soon as it ends. Returns 0, or -errno to stop
 * the walk (which then returns it). */
typedef int (*pw_sink)(void *data, const struct pw_run *run);

/* The THP folio being walked: frames that follow each other, the first a head or not. */
struct pw_folio {
	bool open, from_head, anon;
	uint64_t first, pages, vaddr; /* vaddr: where its first frame walked is mapped */
};

/* How pagemap is read (proc/pagescan.c). PW_READ_SCAN: by the PAGEMAP_SCAN ioctl (Linux 6.7+),
 * which tells present and swapped pages apart but gives no frame numbers: used only when
 * pagemap hides them anyway (no CAP_SYS_ADMIN), where the runs and counts are the same.
 * PW_READ_PROBE: SCAN until the first present page, whose entry (pread) decides between the
 * two. PW_READ_PREAD: batched pread of the entries (a dump, frames shown, a kernel without
 * the ioctl, MEMSCOPE_PAGEMAP=pread). */
enum pw_reader { PW_READ_PROBE, PW_READ_SCAN, PW_READ_PREAD };

struct page_region; /* the kernel's, <linux/fs.h> */

/* The regions of the last PAGEMAP_SCAN call, read on from @next: what the kernel said of
 * [@at, @hi) not yet walked. Walking on past its end, the next call asks for @ahead bytes more
 * than the range (doubled each time, as readahead: --all's thousands of small mappings take a
 * call or a few, not one each). */
struct pw_scan {
	struct page_region *v;
	size_t n, next;
	uint64_t at, hi, ahead;
	uint64_t calls; /* PAGEMAP_SCAN calls made (the tests look) */
};

struct pagewalk {
	int pagemap_fd, flags_fd, count_fd; /* flags_fd, count_fd < 0: not read */
	uint64_t ps;
	bool live;	  /* a live process: a short pagemap read may mean it exited */
	const char *name; /* the pagemap file as named to the user, for errors */
	/* what the walks so far have met (sticky): */
	bool hidden;   /* frame numbers read as 0: no CAP_SYS_ADMIN */
	bool frames;   /* a real frame was met */
	bool vanished; /* a walk stopped because the process's address space went away */
	struct pw_folio folio;
	enum pw_reader reader;
	struct pw_scan scan;
	/* batch buffers, allocated once: memory stays flat whatever the process's size */
	uint64_t *pm, *pfn, *flags, *count, *scratch;
	size_t *order;
};

/* Set @pw up to walk the pagemap open on @pagemap_fd (named @name) with page size @ps; the fds
 * stay the caller's. A @live one is read by PAGEMAP_SCAN where that gives the same (unless
 * MEMSCOPE_PAGEMAP=pread is in the environment). Returns 0 or -ENOMEM. */
int pagewalk_init(struct pagewalk *pw, int pagemap_fd, const char *name, int flags_fd,
		  int count_fd, uint64_t ps, bool live);
void pagewalk_free(struct pagewalk *pw);

/* Walk [start, end) of one mapping: count its pages into @st and hand each run to @sink (may be
 * NULL). Returns 0 or -errno with @err filled: -ESRCH when the live process went away while it
 * was read (pw->vanished set). */
int pagewalk_range(struct pagewalk *pw, uint64_t start, uint64_t end, struct pw_stats *st,
		   pw_sink sink, void *data, struct ms_error *err);

/* @pages from @start that no mapping holds: one PW_UNMAPPED run, nothing read. */
int pagewalk_gap(struct pagewalk *pw, uint64_t start, uint64_t pages, struct pw_stats *st,
		 pw_sink sink, void *data);

/* The pagemap entry of the page at @vaddr into *@raw (0 past the end of a dump's file).
 * Returns 0, or -errno with @err filled (-ESRCH: the live process went away). */
int pagewalk_entry(struct pagewalk *pw, uint64_t vaddr, uint64_t *raw, struct ms_error *err);

/* The page flags and map count of frame @pfn (UINT64_MAX each when unknown). */
void pagewalk_frame(struct pagewalk *pw, uint64_t pfn, uint64_t *flags, uint64_t *count);

void pagewalk_stats_add(struct pw_stats *to, const struct pw_stats *st);

#endif
