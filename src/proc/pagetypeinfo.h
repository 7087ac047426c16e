/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/pagetypeinfo: free blocks per order for each migrate type (mm/vmstat.c). */
#ifndef MEMSCOPE_PROC_PAGETYPEINFO_H
#define MEMSCOPE_PROC_PAGETYPEINFO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/buddyinfo.h"
#include "proc/sysroot.h"

struct pagetype_row {
	unsigned node;
	char zone[32];
	char type[32]; /* Unmovable, Movable, Reclaimable, HighAtomic, CMA, Isolate, Reserve... */
	uint64_t free[BUDDY_MAX_ORDERS];
	unsigned long line;
};

struct pagetypeinfo {
	struct pagetype_row *v;
	size_t n;
	unsigned orders;
	unsigned pageblock_order; /* "Page block order: N" */
};

/* Parse the "Free pages count per migrate type" section (the block counts that follow are not
 * needed). An empty file (pagetypeinfo is root-only since 5.9) is -EACCES: unreadable. */
int pagetypeinfo_parse(const char *data, size_t len, const char *file, struct pagetypeinfo *pt,
		       struct ms_error *err);
int pagetypeinfo_read(const struct sysroot *sr, struct pagetypeinfo *pt, struct ms_error *err);
void pagetypeinfo_free(struct pagetypeinfo *pt);

#endif
