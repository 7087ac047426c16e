/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/buddyinfo: free blocks per order, per node and zone (mm/vmstat.c frag_show_print). */
#ifndef MEMSCOPE_PROC_BUDDYINFO_H
#define MEMSCOPE_PROC_BUDDYINFO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"
#include "proc/sysroot.h"

#define BUDDY_MAX_ORDERS 32

struct buddy_zone {
	unsigned node;
	char zone[32];
	uint64_t free[BUDDY_MAX_ORDERS]; /* free blocks of each order */
	unsigned long line;
};

struct buddyinfo {
	struct buddy_zone *v;
	size_t n;
	unsigned orders; /* the same for every row: it depends on the kernel's configuration */
};

/* Parse "Node N, zone NAME c0 c1 ...". Rows of different lengths are an error naming the line. */
int buddyinfo_parse(const char *data, size_t len, const char *file, struct buddyinfo *bi,
		    struct ms_error *err);
int buddyinfo_read(const struct sysroot *sr, struct buddyinfo *bi, struct ms_error *err);
void buddyinfo_free(struct buddyinfo *bi);
/* A deep copy (for --watch's first frame). Returns 0 or -ENOMEM. */
int buddyinfo_copy(struct buddyinfo *dst, const struct buddyinfo *src);

/* Parse a "Node N, zone NAME" prefix at *s (also used by pagetypeinfo and zoneinfo); moves *s
 * past it. Returns 0 or -EINVAL. */
int buddy_parse_node_zone(char **s, unsigned *node, char *zone, size_t zone_size);

#endif
