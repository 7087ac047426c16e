/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The page files a capture keeps (memscope capture --with-pagemap): a process's pagemap over its
 * mappings alone, and the kpageflags and kpagecount entries of the frames it names, each as the
 * runs of bytes a sparse file holds, at their offsets in the kernel's file. */
#ifndef MEMSCOPE_PROC_PAGECOPY_H
#define MEMSCOPE_PROC_PAGECOPY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

/* A sparse file: its length and its runs of bytes (in order, apart); the rest holes (zeros) */
struct page_runs {
	uint64_t size;
	size_t n, cap;
	uint64_t *off;
	size_t *len;
	size_t *room; /* bytes allocated for each run */
	char **data;
	uint64_t bytes; /* of all runs */
};
void page_runs_free(struct page_runs *r);

/* A set of frame numbers, gathered from pagemaps */
struct pfn_set {
	uint64_t *v;
	size_t n, cap;
	uint64_t hidden; /* present entries that named no frame (no CAP_SYS_ADMIN) */
};
void pfn_set_free(struct pfn_set *s);

/* proc/@pid/pagemap under @sr, for the pages of the mappings of proc/@pid/maps (@page_size
 * each), into @out: zero entries (nothing there) are left as holes. The frames of the present
 * entries are added to @frames. Returns 0 or -errno with @err filled (naming the file). */
int pagecopy_pagemap(const struct sysroot *sr, const char *pid, uint64_t page_size,
		     struct page_runs *out, struct pfn_set *frames, struct ms_error *err);

/* @frames sorted, once each, and widened to the whole folio of each frame of a compound page
 * (its head and every tail, as proc/kpageflags shows them), so a walk over the copy finds the
 * folios it finds live. Returns 0 or -errno (the file unreadable: the set is then as it was). */
int pagecopy_folios(const struct sysroot *sr, struct pfn_set *frames, struct ms_error *err);

/* The entries of @path (proc/kpageflags, proc/kpagecount) for @frames (sorted) into @out.
 * Returns 0 or -errno with @err filled. */
int pagecopy_frames(const struct sysroot *sr, const char *path, const struct pfn_set *frames,
		    struct page_runs *out, struct ms_error *err);

#endif
