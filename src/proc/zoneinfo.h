/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/zoneinfo: each node's zones, their page ranges, watermarks and free pages
 * (mm/vmstat.c zoneinfo_show_print), across kernel versions from 2.6 to 6.x. */
#ifndef MEMSCOPE_PROC_ZONEINFO_H
#define MEMSCOPE_PROC_ZONEINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

enum zone_field {
	ZF_FREE,      /* "pages free" */
	ZF_MIN,	      /* watermarks, in pages */
	ZF_LOW,
	ZF_HIGH,
	ZF_SPANNED,   /* pages from start_pfn to the end of the zone, holes included */
	ZF_PRESENT,   /* pages that exist */
	ZF_MANAGED,   /* pages the buddy allocator manages (since 3.8) */
	ZF_START_PFN, /* first page frame (absent from empty zones on recent kernels) */
	ZF_NFIELDS
};

struct zone {
	unsigned node;
	char name[32];
	uint64_t f[ZF_NFIELDS];
	bool has[ZF_NFIELDS]; /* a field the kernel did not print is absent, not 0 */
	unsigned long line;
};

struct zoneinfo {
	struct zone *v;
	size_t n;
};

int zoneinfo_parse(const char *data, size_t len, const char *file, struct zoneinfo *zi,
		   struct ms_error *err);
int zoneinfo_read(const struct sysroot *sr, struct zoneinfo *zi, struct ms_error *err);
void zoneinfo_free(struct zoneinfo *zi);

/* The zone whose span holds @pfn (the first one when NUMA spans interleave), or NULL. */
const struct zone *zoneinfo_find(const struct zoneinfo *zi, uint64_t pfn);

#endif
