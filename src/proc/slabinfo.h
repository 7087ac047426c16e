/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/slabinfo: one line per slab cache (mm/slab_common.c cache_show(), format 2.1, the same
 * for SLUB, whose tunables are 0, and the old SLAB, whose tunables are set). */
#ifndef MEMSCOPE_PROC_SLABINFO_H
#define MEMSCOPE_PROC_SLABINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

struct slab_cache {
	const char *name; /* as the kernel printed it (into the model's copy): it may hold blanks,
			   * and bytes a terminal must not see (escape it) */
	uint64_t active_objs, num_objs;
	uint64_t objsize;	   /* bytes per object slot (SLUB: s->size, metadata included) */
	uint64_t objperslab;	   /* objects per slab */
	uint64_t pagesperslab;	   /* pages per slab: 1 << the slab's buddy order */
	uint64_t limit, batchcount, sharedfactor; /* SLAB's tunables; 0 under SLUB */
	uint64_t active_slabs, num_slabs, sharedavail;
	unsigned long line;
};

struct slabinfo {
	struct slab_cache *v; /* in file order */
	size_t n;
	char *text;
	bool statistics; /* "2.1 (statistics)": CONFIG_DEBUG_SLAB's globalstat and cpustat columns
			  * follow each line (not kept) */
	bool tunables;	 /* some cache has a non-zero tunable: the old SLAB allocator */
};

/* Parse the file: the "slabinfo - version: 2.1" line first (any other version is "unknown
 * version", with the line), then the "# name ..." heading and the caches. Returns 0 or -EINVAL
 * with @err naming the line; an empty file is -EACCES (a dump made without root). */
int slabinfo_parse(const char *data, size_t len, const char *file, struct slabinfo *si,
		   struct ms_error *err);
/* Read proc/slabinfo under @sr. The kernel makes it mode 0400 root: without the right the
 * open fails with -EACCES and @err says which file and what it needs. */
int slabinfo_read(const struct sysroot *sr, struct slabinfo *si, struct ms_error *err);
void slabinfo_free(struct slabinfo *si);

/* The cache named @name, or NULL. */
const struct slab_cache *slabinfo_find(const struct slabinfo *si, const char *name);

/* What a cache's slabs hold: num_slabs x pagesperslab x @page_size (slabinfo's own count; meminfo
 * counts the pages the allocator holds, which differs by slabs of another order). */
uint64_t slab_cache_memory(const struct slab_cache *c, uint64_t page_size);
/* Of that, what no object in use fills: free slots and each slab's unused tail. */
uint64_t slab_cache_wasted(const struct slab_cache *c, uint64_t page_size);

/* Every cache of @si added up (slab_cache_memory(), slab_cache_wasted()). */
struct slab_totals {
	size_t caches;
	uint64_t active_objs, num_objs, memory, wasted;
};
void slabinfo_totals(const struct slabinfo *si, uint64_t page_size, struct slab_totals *t);

/* A kmalloc size class: "kmalloc-cg-2k" is family "kmalloc-cg" (into @family), 2048 bytes
 * (*@bytes); "kmalloc-192", "dma-kmalloc-8192" (before 5.x sizes were bytes), the old SLAB's
 * "size-64(DMA)" (family "size(DMA)"). False for any other cache ("kmalloc_buckets",
 * "kmalloc-node"). */
bool slab_kmalloc_class(const char *name, char *family, size_t fsize, uint64_t *bytes);

/* What opening a root-only /proc file takes (an ordinary permission check on a 0400 root file:
 * CAP_DAC_READ_SEARCH passes it, CAP_DAC_OVERRIDE too). */
#define SLABINFO_PRIVILEGE "root or CAP_DAC_READ_SEARCH: the kernel makes it mode 0400 root"
/* @ret from opening a live root-only file: an -EACCES or -EPERM gets SLABINFO_PRIVILEGE added
 * to @err's reason. Returns @ret. */
int root_only_said(const struct sysroot *sr, int ret, struct ms_error *err);

#endif
